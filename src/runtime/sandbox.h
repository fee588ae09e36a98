/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sandbox.h: the parent's side of one sandbox: spawn it from a plan, then
 * wait for it while forwarding signals and relaying its terminal.
 *
 *   struct nb_sandbox sb;
 *   nb_sandbox_init(&sb);
 *   r = nb_sandbox_spawn(&sb, cfg, &err);    set up to the command's exec
 *   r = nb_sandbox_wait(&sb, &code, &err);   until the sandbox's end
 *   nb_sandbox_release(&sb);                 kills it if still alive
 */
#ifndef NSBOX_RUNTIME_SANDBOX_H
#define NSBOX_RUNTIME_SANDBOX_H

#include <signal.h>
#include <stdbool.h>
#include <termios.h>

#include "base/error.h"
#include "spec/config.h"

struct nb_sandbox;

/* Called at the hook point (the child's mounts are done, before pivot_root):
 * run the hooks due then, and return the state JSON (malloc'd) that the
 * child's startContainer hooks get. */
typedef int (*nb_hook_point_fn)(struct nb_sandbox *sb, void *data, char **ret_state_json,
				struct nb_error *err);

/* How to spawn, beyond the plan: what the OCI commands ask for. */
struct nb_spawn_opts {
	nb_hook_point_fn hook_point;  /* or NULL: no stop before pivot_root */
	void *hook_data;
	int preserve_fds;           /* --preserve-fds N */
	const char *exec_fifo;      /* OCI create: stop before exec until `start` */
	const char *console_socket; /* send the pty master there (OCI) */
	bool null_stdio;            /* stdin, stdout, stderr on /dev/null (detached) */
	const char *id;             /* for the seccomp listener's state: container id */
	const char *bundle;         /* and bundle */
	int child_close_fd;         /* an fd the child must close at once (a
	                             * flock()ed state lock it would hold), or -1 */
};

struct nb_sandbox {
	const struct nb_config *cfg;
	struct nb_spawn_opts opts;
	bool created;         /* the child reported CREATED and waits for start */
	pid_t pid;            /* the sandbox's first process, in our pid namespace */
	int pidfd;
	int sock;             /* our end of the sync socket */
	int sigfd;            /* signalfd of the forwarded signals */
	int pty_master;       /* --tty: the master end we relay */
	sigset_t oldmask;
	bool mask_set;
	bool tty_raw;         /* our stdin was put in raw mode */
	struct termios saved_tty;
};

void nb_sandbox_init(struct nb_sandbox *sb);

/* Create the sandbox of CFG and run it up to the exec of the command.
 * On failure nothing is left: the child is killed and reaped. */
int nb_sandbox_spawn(struct nb_sandbox *sb, const struct nb_config *cfg, struct nb_error *err);

/* Start a process of CFG inside the namespaces NS_FLAGS of the running
 * process TARGET_PIDFD (`exec`), and in its cgroups (TARGET_PID, pinned by
 * the pidfd). Then wait on SB as on a sandbox. */
int nb_sandbox_spawn_exec(struct nb_sandbox *sb, const struct nb_config *cfg, int target_pidfd,
			  pid_t target_pid, int ns_flags, bool setgroups_denied, struct nb_error *err);

/* Let the sandbox live on without us (OCI create): close our fds, do not kill. */
void nb_sandbox_detach(struct nb_sandbox *sb);

/* Wait for the sandbox to end. *RET_CODE: the command's exit status, or
 * 128+N for signal N. A failure reported by the child (such as "command
 * not found") is returned as an error whose kind gives the exit status. */
int nb_sandbox_wait(struct nb_sandbox *sb, int *ret_code, struct nb_error *err);

/* Kill (if alive) and reap the sandbox, close fds, restore the terminal. */
void nb_sandbox_release(struct nb_sandbox *sb);

#endif
