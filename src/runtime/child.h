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

#include "linux/cgroup.h"
#include "linux/cgroup_view.h"
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
	const int *stdio;               /* the command's stdin, stdout, stderr (-1: as
	                                 * they are), or NULL (nb_spawn_opts) */
	const int *keep_fds;            /* passed to the command as they are */
	size_t n_keep_fds;
	int status_fd;                  /* the init writes the command's wait status
	                                 * here (nb_spawn_opts), or -1 */
	pid_t exec_target;              /* exec: the container's process, or 0 */
	const int *pre_trees;           /* per mount: a tree the parent made (idmapped), or -1 */
	const struct nb_cgroup_view *cgview; /* the sandbox's cgroup, for a "cgroup" mount, or NULL */
	bool exec_barrier;              /* report EXEC_READY and wait for GO right
	                                 * before the exec (nb_spawn_opts.exec_ready) */
	bool unshare_cgroupns;          /* make the cgroup namespace after GO: nsbox
	                                 * moves us into our v1 cgroups before GO */
	unsigned short rows, cols;      /* --tty: the caller's window size (from GO) */
	bool pty_wait;                  /* exec --tty: after sending the pty, wait for
	                                 * GO (the pty delivered to --console-socket) */
	char *state_json;               /* received at the hook point, for startContainer */
	int procfd;                     /* a verified procfs of nsbox's view (linux/procfs.h) */
	int tramp;                      /* sealed nsbox-exec, or -1 when nsbox runs sealed
	                                 * itself (linux/trampoline.h) */
	int send_ns;                    /* before GO, send our net namespace (1), and our
	                                 * user namespace (2): runtime/netattach.h */
	bool dumpable_until_go;         /* stay dumpable until GO: an unprivileged parent
	                                 * writes our uid_map, which it may only while we
	                                 * own our /proc files */
	struct nb_cgroup_selfjoin *cgjoin; /* the v1 hierarchies to join first, or NULL */
	bool shared;                    /* spawned sharing nsbox's memory, nsbox suspended
	                                 * until our exec (nb_clone3_shared): no GO; we set
	                                 * our oom_score_adj and device rules ourselves, and
	                                 * an exec failure goes to stderr */
	struct nb_cgroup *devices;      /* shared: the cgroup whose device rules we set
	                                 * once our mounts are made, or NULL */
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
 * PID 1, whose death would do that). It first sheds what it inherited from
 * nsbox: every fd, the caller's command line and environment in its memory
 * (base/proctitle.h), every capability but CAP_KILL; it stays
 * non-dumpable, so nothing in the sandbox can ptrace it or open its /proc
 * files. STATUS_FD, if not -1, is kept: the command's raw wait status
 * (an int) is written to it before the init exits. */
__attribute__((noreturn)) void nb_init_main(pid_t cmdpid, const sigset_t *mask, int parent_died_sig,
						int status_fd);

/* The signals nsbox and its init forward to the command. */
void nb_forward_signals(sigset_t *set);

#endif
