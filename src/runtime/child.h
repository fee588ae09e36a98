/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * child.h: the sandbox's first process, from clone3 to exec.
 *
 * It runs the set-up steps in a fixed order (see docs/ARCHITECTURE.md),
 * reports any failure to the parent over the sync socket, and ends with
 * _exit(): it never returns into the caller's code.
 */
#ifndef NSBOX_RUNTIME_CHILD_H
#define NSBOX_RUNTIME_CHILD_H

#include <signal.h>

#include "spec/config.h"

struct nb_child_ctx {
	const struct nb_config *cfg;
	int sock;                       /* the child's end of the sync socket */
	int ns_fds[NB_NS_COUNT];        /* namespaces to join, or -1 */
	sigset_t forward_mask;          /* signals the parent blocked for us */
	int preserve_fds;               /* fds 3..3+N-1 pass to the command */
	int exec_fifo;                  /* O_PATH fd of exec.fifo (OCI create), or -1:
	                                 * report CREATED, then wait for `start` */
};

__attribute__((noreturn)) void nb_child_main(const struct nb_child_ctx *ctx);

/* The init (runtime/init.c): reap, forward, and exit with CMDPID's status.
 * PARENT_DIED_SIG, if not 0, is the parent-death signal on which the init
 * kills every descendant before it exits (when it is not a pid namespace's
 * PID 1, whose death would do that). */
__attribute__((noreturn)) void nb_init_main(pid_t cmdpid, const sigset_t *mask, int parent_died_sig);

/* The signals nsbox and its init forward to the command. */
void nb_forward_signals(sigset_t *set);

#endif
