/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * box_args.h: isolate's command line, for `nsbox box` (and nsbox called
 * as `isolate`): numbered boxes, each a directory and a host uid of its
 * own, and a run in a box as the `nsbox run` command line it becomes.
 *
 *   nsbox box [OPTIONS] --init | init          make (or reset) box N
 *   nsbox box [OPTIONS] --run | run -- CMD...  run CMD in it
 *   nsbox box [OPTIONS] --cleanup | cleanup    remove it
 *
 * isolate's options, in its spellings and units (sizes in KiB, times in
 * seconds): -b/--box-id, -t/--time, -w/--wall-time, -x/--extra-time,
 * -m/--mem (address space), --cg-mem (the cgroup's memory), -k/--stack,
 * -f/--fsize, -n/--open-files (default 64), -p/--processes[=N] (default
 * 1), -i/--stdin, -o/--stdout, -r/--stderr, --stderr-to-stdout,
 * -c/--chdir, -M/--meta, -E/--env, -e/--full-env, -d/--dir, --share-net,
 * --inherit-fds, --cg, --cg-timing, -s/--silent, -v/--verbose, --wait;
 * and nsbox's --box-root DIR and --first-uid N. What isolate has and nsbox
 * cannot do is refused by name, never ignored.
 *
 * A run's root is the box's directory ROOT/N, read-only, with the host's
 * system directories bound read-only (isolate's default directory rules),
 * box/ bound read-write at /box (the working directory), and nsbox run's
 * /proc, /dev, /tmp and /sys; it runs as the box's uid and gid, with the
 * box's limits, as a judged run (spec/judge_args.h).
 *
 * Pure: no system call; the caller supplies the environment and the
 * host's system directories.
 */
#ifndef NSBOX_SPEC_BOX_ARGS_H
#define NSBOX_SPEC_BOX_ARGS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/error.h"
#include "base/strutil.h"

#define NB_BOX_ROOT "/var/lib/nsbox/box"
#define NB_BOX_FIRST_UID 60000      /* isolate's first_uid and first_gid */
#define NB_BOX_COUNT 1000           /* box ids 0..999, as isolate's num_boxes */

enum nb_box_action { NB_BOX_NONE, NB_BOX_INIT, NB_BOX_RUN, NB_BOX_CLEANUP };

struct nb_box_args {
	enum nb_box_action action;
	bool help;
	unsigned id;
	const char *root;           /* the boxes' directory (--box-root) */
	uid_t uid;                  /* the box's host uid and gid: first + id */
	gid_t gid;
	char dir[4096];             /* ROOT/ID, the box */
	char work[4112];            /* ROOT/ID/box, /box inside */
	bool wait, silent, inherit_fds;
	int verbose;
	struct nb_strv run;         /* run: the `nsbox run` command line ("run",
	                             * options, "--", the command) */
};

/* Parse ARGV (argv[0] "box") into OUT; ENVIRON_ is the caller's
 * environment (for --env VAR and --full-env); SYS_DIRS (NULL-terminated:
 * "usr", "lib64"...) the host's system directories a run binds read-only
 * at the same place in the box's root (runtime/box.h finds them). */
int nb_box_parse(int argc, char *const argv[], char *const environ_[], const char *const *sys_dirs,
		 struct nb_box_args *out, struct nb_error *err);
void nb_box_args_free(struct nb_box_args *a);

extern const char nb_box_usage[];

#endif
