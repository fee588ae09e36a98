/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * exec.h: execute the sandboxed command, searching PATH of the sandbox's
 * own environment (not nsbox's) in the sandbox's own filesystem.
 *
 * The program is found and checked first (the errors of "not found" and
 * "cannot execute" are made here, with their exit statuses 127 and 126),
 * then executed through nsbox-exec (linux/trampoline.h) unless nsbox runs
 * from a sealed copy of itself already: nsbox never executes a program of
 * the sandbox from its own image.
 */
#ifndef NSBOX_RUNTIME_EXEC_H
#define NSBOX_RUNTIME_EXEC_H

#include <stdbool.h>

#include "base/error.h"
#include "spec/config.h"

#define NB_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* How the last execve is made. */
struct nb_exec_via {
	int tramp;      /* sealed nsbox-exec, or -1: execve directly (nsbox is sealed) */
	int report;     /* sync socket for an nb_exec_report on failure, or -1 */
	int hold;       /* an fd to keep open until the execve (exec.fifo), or -1 */
	bool say;       /* nsbox-exec writes a failure to stderr (no one listens) */
};

/* Execute ARGV (ARGV[0] searched in PATH of ENV) with ENV. Returns only on
 * failure, with ERR of kind NB_ERR_NOT_FOUND or NB_ERR_CANNOT_EXEC. */
int nb_exec_argv(char *const argv[], const struct nb_strv *env, const struct nb_exec_via *via,
		 struct nb_error *err);

/* nb_exec_argv() of CFG's command and environment. */
int nb_exec_command(const struct nb_config *cfg, const struct nb_exec_via *via, struct nb_error *err);

/* The error for an execve of CMD that failed with CODE: "command not found"
 * (127) for ENOENT and ENOTDIR, else "cannot execute" (126). Returns -CODE. */
int nb_exec_error(const char *cmd, int code, struct nb_error *err);

#endif
