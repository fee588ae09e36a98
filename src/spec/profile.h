/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * profile.h: `nsbox run --profile judge|ci|service`, a named set of
 * settings applied at its place on the command line.
 *
 * The rule: a profile sets the settings of its table below, at its place
 * in argv, as if those options had been typed there. So an option after
 * --profile overrides the profile's value of the same setting, and an
 * option before it is overridden only when the profile sets that setting
 * (`--memory 1g --profile ci` gets ci's 4g; `--cpus 2 --profile ci` keeps
 * its 2 CPUs). --profile may be given once.
 *
 *   setting         judge            ci                service
 *   network         none             allowed (*)       allowed (*)
 *   processes       1 of the command 4096 (--pids)     16384 (--pids)
 *                   (**)
 *   memory          256m             4g                -
 *   CPU time        10 s             -                 none (***)
 *   wall time       20 s             -                 none (***)
 *   --fsize         64m              -                 -
 *   --nofile        64               -                 -
 *   --core          0                0                 0
 *   /tmp            tmpfs 64m        tmpfs 1g          -
 *   /dev/shm        tmpfs 16m        tmpfs 64m         -
 *   /proc           hidepid=invisible -                -
 *   mounts          nosuid,nodev on every mount (****) -
 *   init            -                -                 nsbox's init as PID 1
 *
 * (*) "allowed": --net pasta for a rootless caller, --net bridge --nat
 *     (the default bridge, nsbox0, masqueraded) for root. A later --net,
 *     --share net, --join net or --netns replaces it; an earlier one is
 *     replaced by it.
 * (**) judge: the sandbox's pids limit is 1 plus nsbox's init (2, or 1
 *     with --no-init), so the command cannot fork. A --pids after it sets
 *     the limit as --pids always does (the whole sandbox, init included).
 * (***) service clears a --time-limit, --wall-time-limit and
 *     --extra-time given before it, and an earlier --no-init.
 * (****) judge: nosuid and nodev on the root and every mount of the plan
 *     (the standard ones, --bind, --tmpfs), but nodev is not put on /dev
 *     and /dev/pts, which exist to hold the sandbox's device nodes. It
 *     clears an earlier --allow-suid or --allow-devices; a later one
 *     turns that half off.
 *
 * Pure: no system call. run_args.c calls nb_profile_apply() when it meets
 * --profile, the nb_profile_note_*() hooks for the later options that
 * replace a profile's setting, and nb_profile_finish() at the end.
 */
#ifndef NSBOX_SPEC_PROFILE_H
#define NSBOX_SPEC_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "base/error.h"
#include "spec/config.h"
#include "spec/judge_args.h"
#include "spec/run_limits.h"
#include "spec/run_security.h"

/* What a profile left to finish after the options. */
struct nb_profile_state {
	const char *name;         /* the profile given, or NULL */
	const char *net_arg;      /* the profile's --net mode while nothing later chose
	                           * the network (a static string), or NULL */
	bool command_pids;        /* judge: pids = 1 + init, unless a later --pids */
	bool hidepid;             /* judge: /proc with hidepid=invisible */
	bool strict_mounts;       /* judge: nosuid,nodev everywhere (see above) */
	size_t n_mounts;          /* the profile's tmpfs mounts still in the plan: */
	size_t mount_index[2];    /* their indices in cfg->mounts */
};

/* What nb_profile_apply() writes into: the parser's state. */
struct nb_profile_target {
	struct nb_config *cfg;
	struct nb_run_security *rs;
	struct nb_run_limits *rl;
	struct nb_judge_plan *judge;
	const char **net_arg;     /* run_args' --net, which the profile sets */
	uid_t euid;               /* which "allowed" network */
};

/* Is NAME a profile? */
bool nb_profile_exists(const char *name);

/* --profile NAME: put its settings into T now. A usage error for an
 * unknown NAME ("--profile 'x': expected judge, ci or service") or a
 * second --profile. */
int nb_profile_apply(struct nb_profile_state *ps, const char *name, struct nb_profile_target *t,
		     struct nb_error *err);

/* A later option replaces a profile's setting: --net, --share/--join net
 * or --netns (the network: forget the profile's mode and its --nat);
 * --pids; a --bind or --tmpfs at DEST (the profile's mount there is
 * removed from CFG). */
void nb_profile_note_net(struct nb_profile_state *ps, struct nb_net_spec *net, const char **net_arg);
void nb_profile_note_pids(struct nb_profile_state *ps);
void nb_profile_note_mount(struct nb_profile_state *ps, struct nb_config *cfg, const char *dest);

/* After the options and the standard mounts, before nb_run_limits_apply()
 * and nb_config_finalize(): the judge's pids limit (by CFG->init), hidepid
 * on CFG's /proc, nosuid,nodev on CFG's mounts unless RS allows them. */
int nb_profile_finish(const struct nb_profile_state *ps, const struct nb_run_security *rs,
		      struct nb_run_limits *rl, struct nb_config *cfg, struct nb_error *err);

#endif
