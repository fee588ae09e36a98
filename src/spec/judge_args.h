/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * judge_args.h: the options of `nsbox run` for running untrusted programs
 * and accounting for them exactly (a contest judge, a CI service): time
 * limits, process rlimits, the command's standard streams, the output
 * limit and the report. Pure: no system call; runtime/judge.h carries the
 * plan out.
 *
 *   --time-limit SEC       CPU time of the whole sandbox (every process
 *                          and thread), fractional ("0.5"; "250ms" too)
 *   --wall-time-limit SEC  wall-clock time from the command's exec
 *   --extra-time SEC       grace after a time limit before the kill (the
 *                          verdict is still TO)
 *   --fsize SIZE           RLIMIT_FSIZE: the largest file it may write
 *   --nofile N             RLIMIT_NOFILE
 *   --stack SIZE           RLIMIT_STACK, or "unlimited"
 *   --core SIZE            RLIMIT_CORE (default 0: no core dumps), or
 *                          "unlimited"
 *   --as SIZE              RLIMIT_AS (address space), or "unlimited"
 *   --stdin FILE, --stdout FILE, --stderr FILE, --stderr-to-stdout
 *   --output-limit SIZE    bytes the command may write to its stdout and
 *                          stderr together
 *   --inherit-fd N         pass nsbox's fd N (3 or more) to the command as
 *                          it is (repeatable)
 *   --report FILE          the run's verdict and figures, as JSON
 *   --meta FILE            the same in isolate's meta-file format
 *
 * Each rlimit is set as both the soft and the hard limit. The "watched"
 * options (a time limit, --output-limit, --report, --meta) make nsbox
 * watch the run from its own event loop, which needs a cgroup of the
 * sandbox's own.
 */
#ifndef NSBOX_SPEC_JUDGE_ARGS_H
#define NSBOX_SPEC_JUDGE_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "spec/config.h"

#define NB_JUDGE_UNSET (-1)
#define NB_JUDGE_UNLIMITED UINT64_MAX   /* an rlimit of RLIM_INFINITY */
#define NB_JUDGE_MAX_FDS 64
#define NB_JUDGE_MAX_SECONDS 1000000    /* the longest time limit, about 11 days */

/* One rlimit option: soft = hard = value. */
struct nb_judge_rlimit {
	bool set;
	uint64_t value;                /* NB_JUDGE_UNLIMITED: "unlimited" */
};

enum nb_judge_rlim { NB_JR_FSIZE, NB_JR_NOFILE, NB_JR_STACK, NB_JR_CORE, NB_JR_AS, NB_JR_COUNT };

struct nb_judge_plan {
	int64_t cpu_us, wall_us, extra_us;  /* microseconds, or NB_JUDGE_UNSET */
	int64_t output_limit;              /* bytes, or NB_JUDGE_UNSET */
	struct nb_judge_rlimit rlim[NB_JR_COUNT];
	const char *stdin_path, *stdout_path, *stderr_path;   /* point into argv */
	bool watch;                 /* watch the run even without a limit or a report
	                             * (`nsbox box`, for its verdict). No option. */
	const char *stdio_root;     /* or NULL; else those paths are taken beneath
	                             * this directory, through no symlink at all
	                             * (`nsbox box`: paths in a box the program
	                             * writes to). No option of `nsbox run`. */
	bool stderr_to_stdout;
	int inherit_fds[NB_JUDGE_MAX_FDS];
	size_t n_inherit;
	const char *report_path, *meta_path;                  /* point into argv */
};

void nb_judge_plan_init(struct nb_judge_plan *p);

/* Is NAME ("time-limit"...: the long option without "--") one of these?
 * TAKES_VALUE: whether it takes a value (all but --stderr-to-stdout). */
bool nb_judge_is_option(const char *name, bool *takes_value);

/* Record option NAME with ARG (NULL for --stderr-to-stdout). ARG must
 * outlive P. Usage errors name the option. */
int nb_judge_parse(struct nb_judge_plan *p, const char *name, const char *arg, struct nb_error *err);

/* Does P ask nsbox to watch the run (a time limit, --output-limit,
 * --report, --meta)? */
bool nb_judge_watched(const struct nb_judge_plan *p);

/* Does P redirect any standard stream or pass any fd? */
bool nb_judge_has_io(const struct nb_judge_plan *p);

/* Check the options together (--extra-time needs a time limit, --stderr
 * and --stderr-to-stdout exclude each other, nothing of this with --tty
 * or --detach) and put the rlimits into CFG's process, replacing any of
 * the same resource; --core defaults to 0. Call after the options. */
int nb_judge_apply(const struct nb_judge_plan *p, bool detach, struct nb_config *cfg,
		   struct nb_error *err);

/* The name of rlimit option R ("fsize") and its RLIMIT_* number. */
const char *nb_judge_rlim_name(enum nb_judge_rlim r);
int nb_judge_rlim_resource(enum nb_judge_rlim r);

#endif
