/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * run_args.h: the `nsbox run` command line, turned into a struct nb_config.
 * Pure: no system call; the caller supplies the facts about the host.
 */
#ifndef NSBOX_SPEC_RUN_ARGS_H
#define NSBOX_SPEC_RUN_ARGS_H

#include "spec/config.h"
#include "spec/judge_args.h"

struct nb_run_args {
	bool help;          /* --help: print usage, run nothing */
	const char *name;   /* --name: register in the state dir (points into argv) */
	bool detach;        /* --detach: start it and return */
	bool print_config;  /* --print-config: print the plan (nb_run_print_json()), run nothing */
	const char *profile;        /* --profile NAME, or NULL (spec/profile.h) */
	const char *seccomp_file;   /* --seccomp FILE: for the caller to load into
	                             * cfg->sec.seccomp (points into argv) */
	struct nb_judge_plan judge; /* time limits, stdio, output limit, report
	                             * (spec/judge_args.h; its rlimits are in CFG) */
};

/* Parse ARGV (argv[0] is "run") into CFG, which the caller has nb_config_init()ed.
 * ENVIRON is the caller's environment, the base unless --clearenv.
 * On success CFG is finalized and ready for the runtime. */
int nb_run_parse_args(int argc, char *const argv[], char *const environ_[],
		      const struct nb_host *host, struct nb_config *cfg,
		      struct nb_run_args *out, struct nb_error *err);

/* Is ARG ("--rootfs") an option of `nsbox run` whose value is the next
 * argument? (For telling the sandbox form from the OCI one.) */
bool nb_run_option_takes_value(const char *arg);

/*
 * Which form of `nsbox run` ARGV is (nsbox-run(1)): `run [OPTIONS] [--]
 * CMD...`, a sandbox, or runc's `run [OCI OPTIONS] ID`, a container from a
 * bundle. In order:
 *  1. --bundle or -b before any "--": OCI;
 *  2. "--": the sandbox (OCI if only OCI options came before);
 *  3. an option only OCI's run has (--pid-file, --console-socket,
 *     --preserve-fds, --no-pivot, --no-new-keyring, --keep, -d): OCI; any
 *     other option of the sandbox's: the sandbox;
 *  4. a single operand, and no option said: NB_RUN_OCI_IF_BUNDLE, with its
 *     index in *RET_OPERAND. The caller decides with what is outside:
 *     OCI if there is a config.json in the current directory, unless the
 *     operand is also a command in PATH (ambiguous: an error);
 *  5. otherwise the sandbox.
 * Only the options before the first operand count: what follows is a
 * command's own arguments (`nsbox run grep -b x`) or runc's id.
 */
enum nb_run_form { NB_RUN_SANDBOX, NB_RUN_OCI, NB_RUN_OCI_IF_BUNDLE };
enum nb_run_form nb_run_form(int argc, char *const argv[], int *ret_operand);

extern const char nb_run_usage[];

#endif
