/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * run_print.h: the plan of `nsbox run --print-config`, as JSON.
 *
 * The document is nb_oci_plan_json()'s (spec/oci.h: "process" with args,
 * env, cwd, user, capabilities, rlimits, noNewPrivileges; "linux" with
 * the new namespaces, id maps and seccomp), plus what only a run has:
 *   "hostname"          the sandbox's, when it has a uts namespace
 *   "mounts"            every mount in order, in OCI's form: destination,
 *                       type, source (binds), options (flags such as
 *                       "nosuid", "nodev", "ro", then the data's options)
 *   "linux.resources"   memory.limit/.swap, pids.limit, cpu.quota/.period
 *                       when set
 *   "nsbox"             profile (or null), network (the --net mode), nat,
 *                       init, root {path, readonly, nosuid, nodev},
 *                       timeLimit, wallTimeLimit, extraTime (seconds) and
 *                       outputLimit (bytes), each null when unset.
 * Pure: no system call.
 */
#ifndef NSBOX_SPEC_RUN_PRINT_H
#define NSBOX_SPEC_RUN_PRINT_H

#include "base/error.h"
#include "spec/config.h"
#include "spec/run_args.h"

/* The plan of CFG and ARGS as JSON text ending in a newline, malloc'd in
 * *RET; errors as nb_oci_plan_json()'s. */
int nb_run_print_json(const struct nb_config *cfg, const struct nb_run_args *args, char **ret,
		      struct nb_error *err);

#endif
