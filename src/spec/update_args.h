/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * update_args.h: the command line of `nsbox update`, runc's `update`
 * flags, as a resource model. Pure: the -r FILE is read by the caller
 * (cli/), which loads it with nb_oci_load_resources().
 *
 * The flags and their values are runc 1.1's: sizes as go-units'
 * RAMInBytes reads them ("64m", "1.5g", "512MiB": nb_res_parse_size())
 * or -1 for unlimited; --cpu-quota and --cpu-rt-runtime signed,
 * --cpu-period, --cpu-rt-period and --cpu-share unsigned; a --pids-limit
 * of 0 or below is unlimited; --kernel-memory and --kernel-memory-tcp are
 * kept in the model, whose writes make them a warning (as runc ignores
 * them). Where runc ignores every flag given with --resources, nsbox
 * refuses the combination. Each value is checked as it is read, and a
 * message names the flag: "update: --memory '12x': invalid size ...".
 */
#ifndef NSBOX_SPEC_UPDATE_ARGS_H
#define NSBOX_SPEC_UPDATE_ARGS_H

#include "base/error.h"
#include "spec/resources.h"

/*
 * Parse ARGV (argv[0] is "update") up to the first operand into *RET,
 * which is overwritten (nb_resources_init(); the caller frees it with
 * nb_resources_free(), also after a failure). *RET_RESOURCES_FILE gets the
 * -r/--resources FILE ("-" for stdin; points into ARGV), or NULL.
 *
 * Returns the index in ARGV of the first operand (the container id; ARGC
 * if there is none), 0 for -h/--help (print nb_update_usage), or -EINVAL
 * with a usage error.
 */
int nb_update_parse_args(int argc, char *const argv[], struct nb_resources *ret,
			 const char **ret_resources_file, struct nb_error *err);

extern const char nb_update_usage[];

#endif
