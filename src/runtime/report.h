/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * report.h: the verdict on one judged run and its report (`nsbox run
 * --report FILE`, `--meta FILE`).
 *
 * runtime/judge.c gathers the facts of a run into a struct nb_report; the
 * pure nb_report_decide() turns them into a status (OK, RE, SG, TO, ML,
 * OL, XX), the limit that decided it and a message; nb_report_json() and
 * nb_report_meta() render it; nb_report_write() puts a rendering in place
 * atomically (a temporary file beside it, then rename). The fields are
 * documented in nsbox-run(1), REPORT.
 *
 * The order of the rules, first match wins:
 *   XX  the command never ran (nsbox failed, or it could not be executed),
 *       or nsbox failed while watching it: never blamed on the program
 *   a limit nsbox enforced by killing the sandbox: TO (cpu, wall),
 *       ML (memory), OL (output), RE (pids: a fork refused)
 *   TO  the CPU time, then the wall time, above its limit (the command
 *       ended within --extra-time)
 *   ML  the OOM killer struck inside a sandbox with a memory limit
 *   OL  more output than --output-limit (seen when draining it)
 *   OL  killed by SIGXFSZ: a file beyond --fsize (limit "fsize")
 *   RE  a fork refused at --pids (a v1 host, which never wakes nsbox)
 *   SG  killed by a signal
 *   RE  a non-zero exit status
 *   OK
 */
#ifndef NSBOX_RUNTIME_REPORT_H
#define NSBOX_RUNTIME_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "base/fileutil.h"
#include "spec/judge_args.h"

#define NB_REPORT_VERSION 1

enum nb_verdict { NB_VERDICT_OK, NB_VERDICT_RE, NB_VERDICT_SG, NB_VERDICT_TO, NB_VERDICT_ML,
		  NB_VERDICT_OL, NB_VERDICT_XX };

enum nb_limit { NB_LIMIT_NONE, NB_LIMIT_CPU, NB_LIMIT_WALL, NB_LIMIT_MEMORY, NB_LIMIT_PIDS,
		NB_LIMIT_FSIZE, NB_LIMIT_OUTPUT };

/* The limits that were set, for the report and the rules (-1: none). */
struct nb_report_limits {
	int64_t cpu_us, wall_us, extra_us;
	int64_t memory, pids, output;
	struct nb_judge_rlimit rlim[NB_JR_COUNT];
};

struct nb_report {
	struct nb_report_limits limits;
	/* Facts. */
	bool ran;                  /* the command was executed */
	bool failed;               /* nsbox failed (before or during the run): message */
	int status;                /* nsbox's exit status */
	bool exited;               /* the command ended with exit_code */
	int exit_code;
	int signal;                /* or of this signal (0: none) */
	enum nb_limit fired;       /* the limit nsbox killed the sandbox for */
	bool output_exceeded;      /* more than --output-limit was written */
	uint64_t oom_kills, pids_refused;
	uint64_t cpu_ns, user_ns, sys_ns, wall_ns;
	bool has_memory_peak, has_pids_peak, has_csw;
	uint64_t memory_peak, pids_peak;
	uint64_t csw_voluntary, csw_involuntary;
	/* The verdict (nb_report_decide). */
	enum nb_verdict verdict;
	enum nb_limit limit;
	bool oom_killed;
	char message[NB_ERROR_MSG_MAX];
};

/* Limits from the options (memory and pids: -1 for none). */
void nb_report_init(struct nb_report *rep, const struct nb_judge_plan *plan, int64_t memory, int64_t pids);

/* Set verdict, limit, oom_killed and (unless failed) message from the
 * facts, by the rules above. */
void nb_report_decide(struct nb_report *rep);

const char *nb_verdict_name(enum nb_verdict v);
const char *nb_limit_name(enum nb_limit l);   /* NULL for none */

/* The report as one JSON object (malloc'd, with a final newline), or NULL
 * (out of memory). */
char *nb_report_json(const struct nb_report *rep);

/* The same as an isolate meta file ("key:value" lines), malloc'd, or NULL. */
char *nb_report_meta(const struct nb_report *rep);

/* Write TEXT to DIRFD/BASE atomically, through FILE's temporary file when
 * it has one already (nb_atomic_begin()), else a new one; FILE is left
 * closed. Errors name OPTION and PATH. */
int nb_report_write(struct nb_atomic_file *file, int dirfd, const char *base, const char *text,
		    const char *option, const char *path, struct nb_error *err);

#endif
