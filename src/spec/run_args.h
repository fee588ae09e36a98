/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * run_args.h: the `nsbox run` command line, turned into a struct nb_config.
 * Pure: no system call; the caller supplies the facts about the host.
 */
#ifndef NSBOX_SPEC_RUN_ARGS_H
#define NSBOX_SPEC_RUN_ARGS_H

#include "spec/config.h"

struct nb_run_args {
	bool help;          /* --help: print usage, run nothing */
	const char *name;   /* --name: register in the state dir (points into argv) */
	bool detach;        /* --detach: start it and return */
};

/* Parse ARGV (argv[0] is "run") into CFG, which the caller has nb_config_init()ed.
 * ENVIRON is the caller's environment, the base unless --clearenv.
 * On success CFG is finalized and ready for the runtime. */
int nb_run_parse_args(int argc, char *const argv[], char *const environ_[],
		      const struct nb_host *host, struct nb_config *cfg,
		      struct nb_run_args *out, struct nb_error *err);

extern const char nb_run_usage[];

#endif
