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
#include <sys/resource.h>
#include <termios.h>

#include "base/error.h"
#include "linux/cgroup.h"
#include "linux/cgroup_view.h"
#include "spec/config.h"

struct nb_sandbox;
struct nb_netattach;

/* Called at the hook point (the child's mounts are done, before pivot_root):
 * run the hooks due then, and return the state JSON (malloc'd) that the
 * child's startContainer hooks get. */
typedef int (*nb_hook_point_fn)(struct nb_sandbox *sb, void *data, char **ret_state_json,
				struct nb_error *err);

/* Called right after clone3, before the id maps and GO: the sandbox's
 * process exists (sb->pid, sb->pidfd) and waits. A failure kills it. */
typedef int (*nb_spawned_fn)(struct nb_sandbox *sb, void *data, struct nb_error *err);

/* When a sandbox gets a cgroup of its own (runtime/cgroups.h). */
enum nb_spawn_cgroup {
	NB_SPAWN_CGROUP_FOR_LIMITS,  /* when its plan sets a limit (nsbox run) */
	NB_SPAWN_CGROUP_ALWAYS,      /* an OCI container, as runc and crun */
	NB_SPAWN_CGROUP_REQUIRED,    /* always, rootless too (a judged run): no
	                              * cgroup is an error */
};

/* How to spawn, beyond the plan: what the OCI commands ask for. */
struct nb_spawn_opts {
	nb_hook_point_fn hook_point;  /* or NULL: no stop before pivot_root */
	void *hook_data;
	nb_spawned_fn spawned;      /* or NULL (the OCI state's first write) */
	void *spawned_data;
	int preserve_fds;           /* --preserve-fds N */
	const char *exec_fifo;      /* OCI create: stop before exec until `start` */
	const char *console_socket; /* send the pty master there (OCI) */
	bool null_stdio;            /* stdin, stdout, stderr on /dev/null (detached) */
	const char *id;             /* for the seccomp listener's state: container id */
	const char *bundle;         /* and bundle */
	int child_close_fd;         /* an fd the child must close at once (a
	                             * flock()ed state lock it would hold), or -1 */
	enum nb_spawn_cgroup cgroup;
	const char *cgroup_path;    /* the cgroup's location (linux/cgroup_location.h), or
	                             * NULL: runtime/cgroups.h's rule */
	struct nb_netattach *net;   /* prepared networking (runtime/netattach.h): attached
	                             * before GO, released with the sandbox; or NULL */
	unsigned cgroup_controllers; /* controllers to enable beyond the limits' (1 << NB_CG_*) */
	const int *stdio;           /* 3 fds to become the command's stdin, stdout and
	                             * stderr (-1: keep nsbox's), or NULL */
	const int *keep_fds;        /* fds the command gets as they are (--inherit-fd) */
	size_t n_keep_fds;
	nb_spawned_fn exec_ready;   /* or NULL: called when the command is set up and
	                             * about to be executed, which waits until it
	                             * returns (a judged run starts its clocks) */
	void *exec_ready_data;
	int status_fd;              /* a pipe's write end for the init to write the
	                             * command's wait status to (runtime/init.c), or -1 */
	bool share_memory;          /* spawn sharing our memory until the exec
	                             * (nb_sandbox_may_share() must hold): `run` */
};

struct nb_sandbox {
	const struct nb_config *cfg;
	struct nb_spawn_opts opts;
	bool created;         /* the child reported CREATED and waits for start */
	bool started;         /* spawned sharing our memory: it has exec'd, no start */
	pid_t pid;            /* the sandbox's first process, in our pid namespace */
	int pidfd;
	pid_t cmd_pid;        /* with an init: its command, in our pid namespace, or 0 */
	int cmd_pidfd;        /* and a pidfd of it, or -1 */
	int procfd;           /* our verified procfs (linux/procfs.h) */
	int tramp;            /* sealed nsbox-exec, or -1 if nsbox itself is sealed */
	int sock;             /* our end of the sync socket */
	int sigfd;            /* signalfd of the forwarded signals */
	int pending_sigs[32]; /* read from it during the set-up, in order: */
	int n_pending_sigs;   /* delivered once the command runs */
	int pty_master;       /* --tty: the master end we relay */
	int notify_fd;        /* NOTIFY_SOCKET: the container's socket to relay from */
	const char *notify_host;   /* and where to (runtime/notify.h) */
	sigset_t oldmask;
	bool mask_set;
	bool tty_raw;         /* our stdin was put in raw mode */
	bool broken_pipe;     /* the relay's output pipe closed: the sandbox
	                       * was killed, the status is SIGPIPE's */
	bool detached;        /* lives on without us: its cgroup stays */
	bool cg_made;         /* the sandbox has a cgroup of its own: cg */
	bool cg_empty;        /* its processes are all killed and reaped: release
	                       * removes the cgroup without killing again */
	struct nb_cgroup cg;
	struct nb_cgroup_view cg_view;
	struct nb_cgroup_selfjoin cg_join; /* the v1 hierarchies its first process joins */
	struct nb_strv warnings; /* for the caller to print: limits that mean
	                          * nothing on this host (kernel memory...) */
	struct termios saved_tty;
};

void nb_sandbox_init(struct nb_sandbox *sb);

/* Whether the sandbox of CFG may be spawned sharing nsbox's memory
 * (nb_spawn_opts.share_memory), with OPTS as they will be: its process then
 * sets itself up alone, nsbox suspended until its exec, which saves the
 * copy of nsbox's memory that its exec would tear down again (a fork on
 * a paravirtualized guest costs as much as the rest of a container's
 * start). Only a process that needs nothing of nsbox between its clone
 * and its exec: nsbox as root, no user namespace of its own, no time
 * namespace to make or join, no init, terminal, hooks before the exec,
 * seccomp listener, network set-up from outside or stop before the exec;
 * and only on x86_64. */
bool nb_sandbox_may_share(const struct nb_config *cfg, const struct nb_spawn_opts *opts);

/* Create the sandbox of CFG and run it up to the exec of the command.
 * On failure nothing is left: the child is killed and reaped. */
int nb_sandbox_spawn(struct nb_sandbox *sb, const struct nb_config *cfg, struct nb_error *err);

/* Start a process of CFG inside the namespaces NS_FLAGS of the running
 * process TARGET_PIDFD (`exec`), and in its cgroups (TARGET_PID, pinned by
 * the pidfd). Then wait on SB as on a sandbox. */
int nb_sandbox_spawn_exec(struct nb_sandbox *sb, const struct nb_config *cfg, int target_pidfd,
			  pid_t target_pid, int ns_flags, bool setgroups_denied, struct nb_error *err);

/* Let the sandbox live on without us (OCI create): close our fds, do not
 * kill, keep its cgroup. */
void nb_sandbox_detach(struct nb_sandbox *sb);

/* Wait for the sandbox to end. *RET_CODE: the command's exit status, or
 * 128+N for signal N. A failure reported by the child (such as "command
 * not found") is returned as an error whose kind gives the exit status. */
int nb_sandbox_wait(struct nb_sandbox *sb, int *ret_code, struct nb_error *err);

/* Reap the sandbox's first process, which has exited (after
 * nb_relay_run() or another loop on sb->pidfd): *RET_CODE as for
 * nb_sandbox_wait(); INFO and RU (either may be NULL): waitid's record and
 * the process's resource usage, which includes every process it reaped
 * (the init reaps the whole sandbox). */
int nb_sandbox_reap(struct nb_sandbox *sb, int *ret_code, siginfo_t *info, struct rusage *ru,
		    struct nb_error *err);

/* Kill (if alive) and reap the sandbox, kill whatever is left in its
 * cgroup and remove it (unless detached), close fds, restore the terminal. */
void nb_sandbox_release(struct nb_sandbox *sb);

#endif
