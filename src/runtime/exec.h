/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * exec.h: execute the sandboxed command, searching PATH of the sandbox's
 * own environment (not nsbox's) in the sandbox's own filesystem.
 */
#ifndef NSBOX_RUNTIME_EXEC_H
#define NSBOX_RUNTIME_EXEC_H

#include "base/error.h"
#include "spec/config.h"

#define NB_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Returns only on failure, with ERR of kind NB_ERR_NOT_FOUND or NB_ERR_CANNOT_EXEC. */
int nb_exec_command(const struct nb_config *cfg, struct nb_error *err);

#endif
