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
	bool hook_point;                /* stop before pivot_root for the OCI hooks */
	int close_fd;                   /* close at once (see nb_spawn_opts), or -1 */
	bool null_stdio;                /* put stdio on /dev/null (detached sandbox) */
	pid_t exec_target;              /* exec: the container's process, or 0 */
	const int *pre_trees;           /* per mount: a tree the parent made (idmapped), or -1 */
	unsigned short rows, cols;      /* --tty: the caller's window size (from GO) */
	bool pty_wait;                  /* exec --tty: after sending the pty, wait for
	                                 * GO (the pty delivered to --console-socket) */
	char *state_json;               /* received at the hook point, for startContainer */
};

__attribute__((noreturn)) void nb_child_main(struct nb_child_ctx *ctx);

/* `exec` into a running container: join the namespaces NS_FLAGS of the
 * process TARGET_PIDFD, bear the process that execs as our parent's child
 * (CLONE_PARENT, so nsbox waits for it directly), report its pid, exit. */
__attribute__((noreturn)) void nb_child_join_main(struct nb_child_ctx *ctx, int target_pidfd,
						  int ns_flags, bool setgroups_denied);

/* The init (runtime/init.c): reap, forward, and exit with CMDPID's status.
 * PARENT_DIED_SIG, if not 0, is the parent-death signal on which the init
 * kills every descendant before it exits (when it is not a pid namespace's
 * PID 1, whose death would do that). */
__attribute__((noreturn)) void nb_init_main(pid_t cmdpid, const sigset_t *mask, int parent_died_sig);

/* The signals nsbox and its init forward to the command. */
void nb_forward_signals(sigset_t *set);

#endif
