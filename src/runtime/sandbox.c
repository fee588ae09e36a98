/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/sandbox.h"
#include "runtime/cgroups.h"
#include "runtime/child.h"
#include "runtime/exec.h"
#include "runtime/netattach.h"
#include "runtime/relay.h"
#include "runtime/state.h"
#include "runtime/status.h"
#include "runtime/sync.h"
#include "base/cleanup.h"
#include "linux/idmap.h"
#include "linux/mount.h"
#include "linux/namespaces.h"
#include "linux/netdev.h"
#include "linux/procattr.h"
#include "linux/process.h"
#include "linux/procfs.h"
#include "linux/rootfs.h"
#include "linux/selfexe.h"
#include "linux/terminal.h"
#include "linux/trampoline.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/pidfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include "base/fdpass.h"
#include <jansson.h>
#include "base/fileutil.h"

void nb_sandbox_init(struct nb_sandbox *sb)
{
	memset(sb, 0, sizeof(*sb));
	sb->pidfd = sb->sock = sb->sigfd = sb->pty_master = -1;
	sb->cmd_pidfd = sb->procfd = sb->tramp = sb->notify_fd = -1;
	sb->opts.child_close_fd = -1;
	sb->opts.status_fd = -1;
	nb_cgroup_init(&sb->cg);
	nb_cgroup_view_init(&sb->cg_view);
	nb_cgroup_selfjoin_init(&sb->cg_join);
}

static void close_ns_fds(int *fds)
{
	for (int t = 0; t < NB_NS_COUNT; t++)
		nb_closep(&fds[t]);
}

/* Open and type-check every namespace to join, before anything is created. */
static int open_joins(const struct nb_config *cfg, int *fds, struct nb_error *err)
{
	for (int t = 0; t < NB_NS_COUNT; t++)
		fds[t] = -1;
	for (int t = 0; t < NB_NS_COUNT; t++) {
		int r;

		if (cfg->ns[t].mode != NB_NS_JOIN)
			continue;
		if (!cfg->ns[t].path)
			return nb_error_set(err, EINVAL, "internal: no path for the %s namespace to join",
					    nb_ns_name((enum nb_ns_type)t));
		r = nb_ns_open(cfg->ns[t].path, (enum nb_ns_type)t, "--join", &fds[t], err);
		if (r < 0)
			return r;
	}
	return 0;
}

static bool has_time_offsets(const struct nb_config *cfg)
{
	return cfg->ns[NB_NS_TIME].mode == NB_NS_NEW && (cfg->oci.monotonic.set || cfg->oci.boottime.set);
}

/* Born in its cgroup v2 leaf, the child's new cgroup namespace is rooted
 * there; v1 hierarchies take it only later (before GO), so it makes its
 * cgroup namespace itself then. */
static bool late_cgroupns(const struct nb_sandbox *sb)
{
	return sb->cg_made && sb->cg.layout != NB_CG_LAYOUT_V2 &&
	       sb->cfg->ns[NB_NS_CGROUP].mode == NB_NS_NEW;
}

static uint64_t clone_flags(const struct nb_sandbox *sb)
{
	const struct nb_config *cfg = sb->cfg;
	uint64_t flags = 0;

	for (int t = 0; t < NB_NS_COUNT; t++)
		if (cfg->ns[t].mode == NB_NS_NEW)
			flags |= (uint64_t)nb_ns_clone_flag((enum nb_ns_type)t);
	if (has_time_offsets(cfg))
		flags &= ~(uint64_t)nb_ns_clone_flag(NB_NS_TIME);   /* made by set_time_offsets() */
	if (late_cgroupns(sb))
		flags &= ~(uint64_t)CLONE_NEWCGROUP;
	return flags;
}

/* Clock offsets can be written only before any process is in the time
 * namespace: make it for our children, write them, then clone into it. */
static int set_time_offsets(const struct nb_config *cfg, struct nb_error *err)
{
	char buf[128];
	int len, r;

	if (!has_time_offsets(cfg))
		return 0;
	if (unshare(nb_ns_clone_flag(NB_NS_TIME)) < 0)
		return nb_error_errno(err, "linux.timeOffsets: new time namespace");
	len = snprintf(buf, sizeof(buf), "monotonic %lld %u\nboottime %lld %u\n",
		       (long long)cfg->oci.monotonic.secs, cfg->oci.monotonic.nanosecs,
		       (long long)cfg->oci.boottime.secs, cfg->oci.boottime.nanosecs);
	r = nb_write_file_at(AT_FDCWD, "/proc/self/timens_offsets", buf, (size_t)len);
	if (r < 0)
		return nb_error_sys(err, -r, "linux.timeOffsets: write timens_offsets");
	return 0;
}

/* Block the forwarded signals and SIGCHLD before clone: the child inherits
 * the mask, and neither side can lose a signal before its signalfd exists. */
static int block_signals(struct nb_sandbox *sb, sigset_t *forward, struct nb_error *err)
{
	sigset_t set;

	nb_forward_signals(forward);
	set = *forward;
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, &sb->oldmask) < 0)
		return nb_error_errno(err, "block signals");
	sb->mask_set = true;
	sb->sigfd = signalfd(-1, forward, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sb->sigfd < 0)
		return nb_error_errno(err, "signalfd");
	return 0;
}

/* linux.netDevices, between clone3 and GO: the child's network namespace
 * exists (a new one) or is open (JOIN_FD, one it joins after GO). */
static int move_net_devices(struct nb_sandbox *sb, int join_fd, struct nb_error *err)
{
	const struct nb_config *cfg = sb->cfg;
	_cleanup_close_ int own = -1;
	char path[64];

	if (cfg->oci.n_netdevs == 0)
		return 0;
	if (join_fd < 0) {
		/* Our own unreaped child: its pid names it. */
		snprintf(path, sizeof(path), "%d/ns/net", (int)sb->pid);
		own = openat(sb->procfd, path, O_RDONLY | O_CLOEXEC);
		if (own < 0)
			return nb_error_errno(err, "linux.netDevices: open the container's network namespace");
	}
	return nb_netdev_move(cfg->oci.netdevs, cfg->oci.n_netdevs, join_fd >= 0 ? join_fd : own, err);
}

/* The namespaces the child sends before GO for its networking: net, and
 * its user namespace when it has one of its own (FDS[1], else -1). */
static int recv_namespaces(struct nb_sandbox *sb, int fds[2], struct nb_error *err)
{
	int want = sb->cfg->ns[NB_NS_USER].mode == NB_NS_NEW ? 2 : 1;

	for (int i = 0; i < want; i++) {
		struct nb_sync_msg msg;
		int fd = -1, r = nb_sync_recv(sb->sock, &msg, &fd);

		if (r > 0 && msg.type == NB_SYNC_NSFD && fd >= 0) {
			fds[msg.flags == CLONE_NEWUSER ? 1 : 0] = fd;
			continue;
		}
		if (fd >= 0)
			close(fd);
		if (r > 0 && msg.type == NB_SYNC_ERROR) {
			*err = msg.error;
			return -(err->code > 0 ? err->code : EIO);
		}
		return nb_error_set(err, EPROTO, "sync: the sandbox did not send its namespaces");
	}
	return 0;
}

/* A step of ours before GO failed. If the child had died meanwhile (its
 * /proc files then belong to root: a map write fails with EACCES), the
 * cause is the child's: its error, sent before it exited, or how it ended. */
static void prefer_child_error(struct nb_sandbox *sb, struct nb_error *err)
{
	struct pollfd p = { .fd = sb->pidfd, .events = POLLIN };
	siginfo_t si = { 0 };

	/* A child that is exiting has no mm, and so root-owned /proc files,
	 * a moment before its pidfd says so: give it that moment. */
	if (sb->pidfd < 0 || poll(&p, 1, 100) <= 0)
		return;   /* alive: the error is ours */
	for (;;) {
		struct pollfd q = { .fd = sb->sock, .events = POLLIN };
		struct nb_sync_msg msg;
		int fd = -1;

		if (sb->sock < 0 || poll(&q, 1, 0) <= 0 || nb_sync_recv(sb->sock, &msg, &fd) <= 0)
			break;
		if (fd >= 0)
			close(fd);
		if (msg.type == NB_SYNC_ERROR) {
			*err = msg.error;
			return;
		}
	}
	/* Not reaped here: the caller's clean-up does. */
	if (waitid(P_PIDFD, (id_t)sb->pidfd, &si, WEXITED | WNOHANG | WNOWAIT) < 0 || si.si_pid == 0)
		return;
	if (si.si_code == CLD_EXITED)
		nb_error_prefix(err, "the sandbox's process exited (status %d) during set-up; then",
				si.si_status);
	else
		nb_error_prefix(err, "the sandbox's process was killed by signal %d during set-up; then",
				si.si_status);
}

/* Write the id maps, then tell the child to go on. */
static int release_child(struct nb_sandbox *sb, struct nb_error *err)
{
	const struct nb_config *cfg = sb->cfg;
	struct nb_sync_msg msg;
	bool denied = false;
	int r;

	/* Its cgroups it is in already: born in the v2 leaf, it joined the v1
	 * hierarchies itself before it reads GO (nb_cgroup_selfjoin). */
	if (cfg->ns[NB_NS_USER].mode == NB_NS_NEW) {
		r = nb_idmap_apply(sb->pid, &cfg->uid_map, &cfg->gid_map, geteuid(), getegid(),
				   &denied, err);
		if (r < 0)
			return r;
	}
	/* The child cannot: it may not own its /proc files (non-dumpable). */
	if (cfg->sec.has_oom_score_adj) {
		r = nb_procattr_set_oom_score_adj(sb->procfd, sb->pid, cfg->sec.oom_score_adj, err);
		if (r < 0)
			return r;
	}
	/* Its network, once it exists and is mapped (pasta joins its user
	 * namespace), before it runs anything. */
	if (sb->opts.net) {
		int fds[2] = { -1, -1 };

		r = recv_namespaces(sb, fds, err);
		if (r >= 0)
			r = nb_netattach_attach(sb->opts.net, sb->pid, fds[0], fds[1], err);
		nb_closep(&fds[0]);
		nb_closep(&fds[1]);
		if (r < 0)
			return r;
	}
	memset(&msg, 0, sizeof(msg));
	msg.type = NB_SYNC_GO;
	msg.flags = denied ? NB_SYNC_SETGROUPS_DENIED : 0;
	/* The pty gets our size before the command can read it. */
	if (cfg->tty) {
		struct winsize ws;

		if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0) {
			msg.rows = ws.ws_row;
			msg.cols = ws.ws_col;
		}
	}
	r = nb_sync_send(sb->sock, &msg, -1);
	if (r < 0)
		return nb_error_sys(err, -r, "sync: send GO");
	return 0;
}

static int connect_unix(const char *path, const char *what, struct nb_error *err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int sock;

	if (strlen(path) >= sizeof(addr.sun_path))
		return nb_error_set(err, ENAMETOOLONG, "%s '%s': path too long", what, path);
	strcpy(addr.sun_path, path);
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int r = nb_error_errno(err, "%s '%s'", what, path);

		if (sock >= 0)
			close(sock);
		return r;
	}
	return sock;
}

static char *seccomp_payload(pid_t pid, const char *metadata, const char *state)
{
	json_t *root = json_pack("{s:s, s:[s], s:i, s:s, s:o}", "ociVersion", "1.2.0", "fds",
				 "seccompFd", "pid", (int)pid, "metadata", metadata ? metadata : "",
				 "state", json_loads(state, 0, NULL));
	char *text = root ? json_dumps(root, JSON_COMPACT) : NULL;

	json_decref(root);
	return text;
}

/* runtime-spec: the listener gets the notify fd and the container process
 * state: {"ociVersion", "fds": ["seccompFd"], "pid", "metadata", "state"}. */
static int send_seccomp_fd(struct nb_sandbox *sb, pid_t child_pid, int fd, struct nb_error *err)
{
	const struct nb_seccomp *sc = &sb->cfg->sec.seccomp;
	struct nb_state st = { .id = (char *)(sb->opts.id ? sb->opts.id : ""),
			       .bundle = (char *)(sb->opts.bundle ? sb->opts.bundle : ""),
			       .pid = sb->pid };
	_cleanup_free_ char *state = nb_state_json(&st, NB_STATUS_CREATING);
	_cleanup_free_ char *msg = NULL;
	_cleanup_close_ int sock = -1;
	int r;

	(void)child_pid;
	if (!sc->listener_path)
		return nb_error_set(err, EINVAL, "seccomp: a notify rule without linux.seccomp.listenerPath");
	if (!state || !(msg = seccomp_payload(sb->pid, sc->listener_metadata, state)))
		return nb_error_set(err, ENOMEM, "out of memory");
	sock = connect_unix(sc->listener_path, "linux.seccomp.listenerPath", err);
	if (sock < 0)
		return sock;
	r = nb_send_msg_fd(sock, msg, strlen(msg), fd);
	if (r < 0)
		return nb_error_sys(err, -r, "linux.seccomp.listenerPath '%s': send", sc->listener_path);
	return 0;
}

static int run_hook_point(struct nb_sandbox *sb, struct nb_error *err)
{
	_cleanup_free_ char *json = NULL;
	struct nb_sync_msg msg;
	int r = sb->opts.hook_point(sb, sb->opts.hook_data, &json, err);

	if (r < 0)
		return r;
	memset(&msg, 0, sizeof(msg));
	msg.type = NB_SYNC_GO;
	r = nb_sync_send(sb->sock, &msg, -1);
	if (r >= 0)
		r = nb_sync_send_blob(sb->sock, json ? json : "{}");
	if (r < 0)
		return nb_error_sys(err, -r, "sync: send state");
	return 0;
}

/* Any other signal is the command's, once it runs: kept, in order. Standard
 * signals merge, as they would pending in the kernel; real-time ones queue
 * (up to the array's size). */
static void keep_pending(struct nb_sandbox *sb, int sig)
{
	if (sig < SIGRTMIN)
		for (int i = 0; i < sb->n_pending_sigs; i++)
			if (sb->pending_sigs[i] == sig)
				return;
	if (sb->n_pending_sigs < (int)NB_ARRAY_SIZE(sb->pending_sigs))
		sb->pending_sigs[sb->n_pending_sigs++] = sig;
}

/* Wait until the sync socket has something to read. A terminating signal
 * sent to nsbox meanwhile (the set-up could be slow, or stuck) aborts the
 * set-up: the caller then kills the sandbox and removes what it made. */
static int wait_readable(struct nb_sandbox *sb, struct nb_error *err)
{
	struct pollfd p[2] = { { .fd = sb->sock, .events = POLLIN },
			       { .fd = sb->sigfd, .events = POLLIN } };

	for (;;) {
		struct signalfd_siginfo si;
		int r = poll(p, sb->sigfd >= 0 ? 2 : 1, -1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return nb_error_errno(err, "sync: poll");
		if (p[0].revents)
			return 0;
		if (read(sb->sigfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
			continue;
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT || si.ssi_signo == SIGHUP ||
		    si.ssi_signo == SIGQUIT)
			return nb_error_set(err, EINTR, "set-up interrupted by SIG%s",
					    sigabbrev_np((int)si.ssi_signo));
		keep_pending(sb, (int)si.ssi_signo);
	}
}

/* The command runs: give it what came during the set-up, as the relay and
 * the judge's loop forward signals (a size change with a pty: its size). */
static void deliver_pending(struct nb_sandbox *sb)
{
	for (int i = 0; i < sb->n_pending_sigs; i++) {
		int sig = sb->pending_sigs[i];

		if (sig == SIGWINCH && sb->pty_master >= 0) {
			if (isatty(STDIN_FILENO))
				nb_tty_copy_winsize(STDIN_FILENO, sb->pty_master);
			continue;
		}
		nb_pidfd_signal(sb->pidfd, sig);
	}
	sb->n_pending_sigs = 0;
}

/* The init's report: its command, by pidfd; keep it and learn its pid. */
static void adopt_command(struct nb_sandbox *sb, const struct nb_sync_msg *msg, int fd)
{
	nb_closep(&sb->cmd_pidfd);
	sb->cmd_pidfd = fd;
	sb->cmd_pid = nb_pidfd_pid(fd);
	(void)msg;
}

/* Read the child's messages until EOF, which means the command was exec'd. */
static int read_reports(struct nb_sandbox *sb, struct nb_error *err)
{
	for (;;) {
		struct nb_sync_msg msg;
		int fd = -1, r = wait_readable(sb, err);

		if (r < 0)
			return r;
		r = nb_sync_recv(sb->sock, &msg, &fd);
		if (r == 0)
			return 0;
		if (r < 0)
			return nb_error_sys(err, -r, "sync: read");
		if (msg.type == NB_SYNC_PID && fd >= 0) {
			adopt_command(sb, &msg, fd);
			continue;
		}
		if (msg.type == NB_SYNC_EXEC_FAILED)
			return nb_exec_error(sb->cfg->args.items[0], msg.error.code, err);
		if (msg.type == NB_SYNC_PTY && fd >= 0) {
			nb_closep(&sb->pty_master);
			sb->pty_master = fd;
			continue;
		}
		if (fd >= 0)
			close(fd);
		if (msg.type == NB_SYNC_ERROR) {
			*err = msg.error;
			return -(err->code > 0 ? err->code : EIO);
		}
		if (msg.type == NB_SYNC_CREATED) {
			sb->created = true;
			/* Its mounts are made; its process waits for start. */
			if (sb->cg_made)
				return nb_cgroups_devices(&sb->cg, sb->cfg, err);
			return 0;
		}
		if (msg.type == NB_SYNC_SECCOMP && fd >= 0) {
			r = send_seccomp_fd(sb, msg.pid, fd, err);
			close(fd);
			if (r < 0)
				return r;
			continue;
		}
		if (msg.type == NB_SYNC_EXEC_READY && sb->opts.exec_ready) {
			r = sb->opts.exec_ready(sb, sb->opts.exec_ready_data, err);
			memset(&msg, 0, sizeof(msg));
			msg.type = NB_SYNC_GO;
			if (r >= 0 && (r = nb_sync_send(sb->sock, &msg, -1)) < 0)
				r = nb_error_sys(err, -r, "sync: send GO");
			if (r < 0)
				return r;
			continue;
		}
		if (msg.type == NB_SYNC_HOOKS && sb->opts.hook_point) {
			r = run_hook_point(sb, err);
			if (r < 0)
				return r;
			continue;
		}
		return nb_error_set(err, EPROTO, "sync: unexpected message %u", msg.type);
	}
}

/* The trees of bind mounts that the child could not make itself, made here
 * with nsbox's own credentials: idmapped ones (only the filesystem's user
 * namespace may idmap it), and, for a container of root's with a user
 * namespace of its own, every bind: its sources are opened as the host's
 * root, not as the container's (a source that only root may reach works,
 * as in runc). *RET: one fd per mount (-1 for the others), or NULL. */
static int open_idmaps(const struct nb_config *cfg, int **ret, struct nb_error *err)
{
	bool all = geteuid() == 0 && cfg->ns[NB_NS_USER].mode == NB_NS_NEW;
	int *fds = NULL;

	*ret = NULL;
	for (size_t i = 0; i < cfg->n_mounts; i++) {
		const struct nb_mount *m = &cfg->mounts[i];
		bool idmap = m->uid_map || m->gid_map;
		int r;

		if (m->kind != NB_MOUNT_BIND || (!idmap && !all))
			continue;
		if (!fds) {
			fds = malloc(cfg->n_mounts * sizeof(*fds));
			if (!fds)
				return nb_error_set(err, ENOMEM, "out of memory");
			for (size_t k = 0; k < cfg->n_mounts; k++)
				fds[k] = -1;
			*ret = fds;
		}
		if (idmap)
			r = nb_rootfs_idmapped_tree(m, geteuid(), getegid(), &fds[i], err);
		else if ((r = nb_mount_clone(AT_FDCWD, m->source, m->flags & NB_MNT_RECURSIVE, &fds[i], err)) < 0)
			nb_error_prefix(err, "bind mount '%s' on '%s'", m->source, m->dest);
		if (r < 0)
			return r;
	}
	return 0;
}

static void close_idmaps(int *fds, size_t n)
{
	for (size_t i = 0; fds && i < n; i++)
		nb_closep(&fds[i]);
	free(fds);
}

/* A time namespace is neither made nor joined: setns() refuses a process
 * that shares its memory (EUSERS). */
bool nb_sandbox_may_share(const struct nb_config *cfg, const struct nb_spawn_opts *opts)
{
	for (int k = 0; k < NB_HOOK_COUNT; k++)
		if (k != NB_HOOK_POSTSTART && k != NB_HOOK_POSTSTOP && cfg->oci.n_hooks[k])
			return false;
	return nb_clone3_shared_available() && geteuid() == 0 && cfg->ns[NB_NS_USER].mode == NB_NS_SHARE &&
	       cfg->ns[NB_NS_TIME].mode == NB_NS_SHARE && !cfg->init && !cfg->tty && cfg->oci.n_netdevs == 0 &&
	       !cfg->sec.seccomp.listener_path && !opts->hook_point && !opts->exec_fifo &&
	       !opts->console_socket && !opts->net && !opts->exec_ready && opts->status_fd < 0;
}

/* The sandbox's process of a shared spawn: on nsbox's stack (process.h). */
__attribute__((noreturn)) static void shared_child(void *arg)
{
	nb_child_main(arg);
}

/* Clone the child, which runs CTX. Shared, it has set itself up and exec'd
 * when this returns, and what it changed of SB's fd records was its own. */
static pid_t clone_child(struct nb_sandbox *sb, struct nb_child_ctx *ctx, int parent_sock, struct nb_error *err)
{
	int cgfd = sb->cg_made ? nb_cgroup_v2_fd(&sb->cg) : -1;
	struct nb_cgroup_view view = sb->cg_view;
	struct nb_cgroup_selfjoin join = sb->cg_join;
	pid_t pid;

	if (!sb->opts.share_memory) {
		pid = nb_clone3_into(clone_flags(sb), cgfd, &sb->pidfd, err);
		if (pid == 0) {
			close(parent_sock);
			nb_child_main(ctx);
		}
		return pid;
	}
	ctx->shared = true;
	ctx->devices = sb->cg_made ? &sb->cg : NULL;
	pid = nb_clone3_shared(clone_flags(sb), cgfd, &sb->pidfd, shared_child, ctx, err);
	sb->cg_view = view;
	sb->cg_join = join;
	return pid;
}

static int spawn(struct nb_sandbox *sb, int *ns_fds, const sigset_t *forward, struct nb_error *err)
{
	_cleanup_close_ int fifo = -1, own_pidns = -1;
	int socks[2], *idmaps = NULL, r;
	pid_t pid;

	r = open_idmaps(sb->cfg, &idmaps, err);
	if (r < 0) {
		close_idmaps(idmaps, sb->cfg->n_mounts);
		return r;
	}
	if (sb->opts.exec_fifo) {
		fifo = open(sb->opts.exec_fifo, O_PATH | O_CLOEXEC);
		if (fifo < 0) {
			close_idmaps(idmaps, sb->cfg->n_mounts);
			return nb_error_errno(err, "open '%s'", sb->opts.exec_fifo);
		}
	}

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, socks) < 0) {
		close_idmaps(idmaps, sb->cfg->n_mounts);
		return nb_error_errno(err, "socketpair");
	}
	sb->sock = socks[0];
	/* setns(CLONE_NEWPID) changes only where our children are born; back
	 * to our own namespace right after, so that nothing nsbox forks later
	 * (a sanitizer's tracer thread too) lands in the sandbox's. */
	if (ns_fds[NB_NS_PID] >= 0) {
		own_pidns = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
		if (own_pidns < 0 || nb_ns_join(ns_fds[NB_NS_PID], NB_NS_PID, err) < 0) {
			if (own_pidns < 0)
				nb_error_errno(err, "open our pid namespace");
			close(socks[1]);
			close_idmaps(idmaps, sb->cfg->n_mounts);
			return nb_error_prefix(err, "--join pid:%s", sb->cfg->ns[NB_NS_PID].path);
		}
	}
	/* Asked here, not in the child: there geteuid() turns 0 as soon as we
	 * write its uid_map, and the child would then go non-dumpable, taking
	 * its gid_map out of our reach, before we could write it. */
	bool dumpable_until_go = geteuid() != 0 && sb->cfg->ns[NB_NS_USER].mode == NB_NS_NEW;
	struct nb_child_ctx ctx = { .cfg = sb->cfg, .sock = socks[1], .forward_mask = *forward,
				    .preserve_fds = sb->opts.preserve_fds, .exec_fifo = fifo,
				    .hook_point = sb->opts.hook_point != NULL,
				    .close_fd = sb->opts.child_close_fd,
				    .null_stdio = sb->opts.null_stdio, .pre_trees = idmaps,
				    .stdio = sb->opts.stdio, .keep_fds = sb->opts.keep_fds,
				    .n_keep_fds = sb->opts.n_keep_fds,
				    .status_fd = sb->opts.status_fd,
				    .exec_barrier = sb->opts.exec_ready != NULL,
				    .procfd = sb->procfd, .tramp = sb->tramp,
				    .cgview = &sb->cg_view, .unshare_cgroupns = late_cgroupns(sb),
				    .send_ns = sb->opts.net ? (sb->cfg->ns[NB_NS_USER].mode == NB_NS_NEW ? 2 : 1) : 0,
				    .dumpable_until_go = dumpable_until_go,
				    .cgjoin = sb->cg_join.n > 0 ? &sb->cg_join : NULL };

	memcpy(ctx.ns_fds, ns_fds, sizeof(ctx.ns_fds));
	pid = clone_child(sb, &ctx, socks[0], err);
	if (own_pidns >= 0)
		(void)setns(own_pidns, CLONE_NEWPID);
	close(socks[1]);
	close_idmaps(idmaps, sb->cfg->n_mounts);
	nb_cgroup_view_close(&sb->cg_view);
	nb_cgroup_selfjoin_close(&sb->cg_join);
	if (pid < 0 && err->code == EPERM && geteuid() != 0 &&
	    sb->cfg->ns[NB_NS_USER].mode != NB_NS_NEW)
		return nb_error_prefix(err, "create namespaces without a user namespace (that needs root)");
	if (pid < 0)
		return nb_error_prefix(err, "create namespaces");
	sb->pid = pid;
	return 0;
}

/* OCI --console-socket: hand the pty master to the engine (SCM_RIGHTS). */
static int send_console(struct nb_sandbox *sb, struct nb_error *err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	_cleanup_close_ int sock = -1;
	const char *path = sb->opts.console_socket;
	int r;

	if (strlen(path) >= sizeof(addr.sun_path))
		return nb_error_set(err, ENAMETOOLONG, "--console-socket '%s': path too long", path);
	strcpy(addr.sun_path, path);
	if (sb->cfg->oci.has_console_size) {
		struct winsize ws = { .ws_row = (unsigned short)sb->cfg->oci.console_height,
				      .ws_col = (unsigned short)sb->cfg->oci.console_width };

		ioctl(sb->pty_master, TIOCSWINSZ, &ws);
	}
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return nb_error_errno(err, "--console-socket '%s'", path);
	r = nb_send_msg_fd(sock, "/dev/ptmx", 9, sb->pty_master);
	if (r < 0)
		return nb_error_sys(err, -r, "--console-socket '%s': send", path);
	nb_closep(&sb->pty_master);
	return 0;
}

/* What every spawn needs from nsbox's own view, before the sandbox's
 * process exists: a verified procfs; the sealed nsbox-exec, unless nsbox
 * runs from a sealed copy itself; the answer to whether the host has the
 * LSMs the plan names (cached, so that no process of the sandbox probes). */
static int prepare(struct nb_sandbox *sb, const struct nb_config *cfg, struct nb_error *err)
{
	int r;

	sb->cfg = cfg;
	r = nb_procattr_check_lsm(&cfg->sec, err);
	if (r >= 0)
		r = nb_procfs_open("/proc", &sb->procfd, err);
	if (r >= 0 && !nb_selfexe_is_protected())
		r = nb_trampoline_open(&sb->tramp, err);
	return r;
}

static bool has_cgroup_mount(const struct nb_config *cfg)
{
	for (size_t i = 0; i < cfg->n_mounts; i++)
		if (cfg->mounts[i].kind == NB_MOUNT_CGROUP)
			return true;
	return false;
}

/* The sandbox's cgroup, with its limits, before its first process exists;
 * and the view of it that its "cgroup" mount shows (root only: cloning a
 * tree needs CAP_SYS_ADMIN over our mount namespace). */
static int make_cgroup(struct nb_sandbox *sb, struct nb_error *err)
{
	const struct nb_config *cfg = sb->cfg;
	char path[NB_CG_LOCATION_MAX];
	int r;

	if (sb->opts.cgroup == NB_SPAWN_CGROUP_FOR_LIMITS && !nb_cgroups_wanted(cfg))
		return 0;
	if (sb->opts.cgroup_path)
		r = snprintf(path, sizeof(path), "%s", sb->opts.cgroup_path) < (int)sizeof(path) ? 0 :
		    nb_error_set(err, ENAMETOOLONG, "cgroup path too long");
	else
		r = nb_cgroups_path(cfg, sb->opts.id, path, sizeof(path), err);
	if (r >= 0)
		r = nb_cgroups_make(&sb->cg, cfg, path, sb->opts.cgroup_controllers,
				    sb->opts.cgroup == NB_SPAWN_CGROUP_ALWAYS,
				    sb->opts.cgroup == NB_SPAWN_CGROUP_REQUIRED, &sb->cg_made, &sb->warnings, err);
	if (r >= 0 && sb->cg_made && geteuid() == 0 && has_cgroup_mount(cfg))
		r = nb_cgroup_view_open(&sb->cg, &sb->cg_view, err);
	/* Born in its v2 leaf, the sandbox's first process joins the v1
	 * hierarchies itself. */
	if (r >= 0 && sb->cg_made)
		r = nb_cgroup_selfjoin_open(&sb->cg, &sb->cg_join, err);
	return r;
}

int nb_sandbox_spawn(struct nb_sandbox *sb, const struct nb_config *cfg, struct nb_error *err)
{
	int ns_fds[NB_NS_COUNT];
	sigset_t forward;
	int r;

	r = prepare(sb, cfg, err);
	if (r >= 0 && sb->opts.share_memory && !nb_sandbox_may_share(cfg, &sb->opts))
		r = nb_error_set(err, EINVAL, "internal: this sandbox cannot share nsbox's memory");
	if (r >= 0)
		r = nb_rootfs_check(cfg, err);
	if (r >= 0)
		r = make_cgroup(sb, err);
	if (r < 0)
		return r;
	r = open_joins(cfg, ns_fds, err);
	if (r >= 0)
		r = set_time_offsets(cfg, err);
	if (r >= 0)
		r = block_signals(sb, &forward, err);
	if (r >= 0)
		r = spawn(sb, ns_fds, &forward, err);
	if (r >= 0 && sb->opts.spawned)
		r = sb->opts.spawned(sb, sb->opts.spawned_data, err);
	if (r >= 0)
		r = move_net_devices(sb, ns_fds[NB_NS_NET], err);
	close_ns_fds(ns_fds);
	/* Shared, it had no one to wait for: it has exec'd, or failed. */
	if (r >= 0 && !sb->opts.share_memory) {
		r = release_child(sb, err);
		if (r < 0)
			prefer_child_error(sb, err);
	}
	/* While the child sets itself up: what killed runs left. */
	if (r >= 0 && sb->cg_made)
		nb_cgroups_sweep_runs(&sb->cg);
	if (r >= 0)
		r = read_reports(sb, err);
	if (r >= 0 && sb->opts.share_memory)
		sb->created = sb->started = true;
	if (r >= 0 && sb->opts.console_socket && sb->pty_master >= 0)
		r = send_console(sb, err);
	if (r >= 0 && !sb->opts.exec_fifo)
		deliver_pending(sb);
	/* After CREATED the child still holds its end; we are done with ours. */
	nb_closep(&sb->sock);
	return r;
}

/* exec: the intermediate reports the pid of the process it bore (our
 * child, by CLONE_PARENT) and exits; reap it and take a pidfd. With --tty
 * that process sends its pty master on the same socket, and may do so
 * before the intermediate's report: keep it for read_reports' caller. */
static int adopt_exec_process(struct nb_sandbox *sb, pid_t intermediate, struct nb_error *err)
{
	_cleanup_close_ int seccomp_fd = -1;
	struct nb_sync_msg msg;
	int fd, status, r;

	for (;;) {
		fd = -1;
		r = nb_sync_recv(sb->sock, &msg, &fd);
		if (r > 0 && msg.type == NB_SYNC_PTY && fd >= 0) {
			nb_closep(&sb->pty_master);
			sb->pty_master = fd;
			continue;
		}
		/* The process may load its filter before the intermediate's
		 * PID message arrives: keep the fd until the pid is known. */
		if (r > 0 && msg.type == NB_SYNC_SECCOMP && fd >= 0) {
			nb_closep(&seccomp_fd);
			seccomp_fd = fd;
			continue;
		}
		if (fd >= 0)
			close(fd);
		break;
	}
	while (waitpid(intermediate, &status, 0) < 0 && errno == EINTR)
		;
	if (r > 0 && msg.type == NB_SYNC_ERROR) {
		*err = msg.error;
		return -(err->code > 0 ? err->code : EIO);
	}
	if (r <= 0 || msg.type != NB_SYNC_PID)
		return nb_error_set(err, EPROTO, "exec: the process was not started");
	sb->pid = msg.pid;
	/* Our own child: no one else can reap it, so its pid cannot be reused. */
	sb->pidfd = pidfd_open(sb->pid, 0);
	if (sb->pidfd < 0)
		return nb_error_errno(err, "exec: pidfd_open");
	if (seccomp_fd >= 0)
		return send_seccomp_fd(sb, sb->pid, seccomp_fd, err);
	return 0;
}

/* exec --tty: the process waits, pty in hand, until we have passed the pty
 * on to --console-socket (when given), then takes GO, with our terminal's
 * size for a pty we relay ourselves. */
static int deliver_exec_pty(struct nb_sandbox *sb, struct nb_error *err)
{
	struct nb_sync_msg msg;
	struct winsize ws;
	int r;

	while (sb->pty_master < 0) {
		int fd = -1;

		r = nb_sync_recv(sb->sock, &msg, &fd);
		if (r == 0)
			return 0;   /* it is gone: read_reports tells why, or nothing */
		if (r < 0)
			return nb_error_sys(err, -r, "sync: read");
		if (msg.type == NB_SYNC_PTY && fd >= 0) {
			sb->pty_master = fd;
			break;
		}
		if (fd >= 0)
			close(fd);
		if (msg.type == NB_SYNC_ERROR) {
			*err = msg.error;
			return -(err->code > 0 ? err->code : EIO);
		}
		return nb_error_set(err, EPROTO, "sync: unexpected message %u", msg.type);
	}
	memset(&msg, 0, sizeof(msg));
	msg.type = NB_SYNC_GO;
	if (sb->opts.console_socket) {
		r = send_console(sb, err);
		if (r < 0)
			return r;
	} else if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0) {
		msg.rows = ws.ws_row;
		msg.cols = ws.ws_col;
	}
	r = nb_sync_send(sb->sock, &msg, -1);
	if (r < 0)
		return nb_error_sys(err, -r, "sync: send GO");
	return 0;
}

int nb_sandbox_spawn_exec(struct nb_sandbox *sb, const struct nb_config *cfg, int target_pidfd,
			  pid_t target_pid, int ns_flags, bool setgroups_denied, struct nb_error *err)
{
	sigset_t forward;
	int socks[2], r;
	pid_t pid;

	r = prepare(sb, cfg, err);
	if (r >= 0)
		r = block_signals(sb, &forward, err);
	if (r < 0)
		return r;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, socks) < 0)
		return nb_error_errno(err, "socketpair");
	sb->sock = socks[0];
	pid = fork();
	if (pid == 0) {
		struct nb_child_ctx ctx = { .cfg = cfg, .sock = socks[1], .forward_mask = forward,
					    .exec_target = target_pid,
					    .preserve_fds = sb->opts.preserve_fds, .exec_fifo = -1,
					    .close_fd = sb->opts.child_close_fd, .pty_wait = true,
					    .procfd = sb->procfd, .tramp = sb->tramp, .status_fd = -1 };

		for (int t = 0; t < NB_NS_COUNT; t++)
			ctx.ns_fds[t] = -1;

		close(socks[0]);
		nb_child_join_main(&ctx, target_pidfd, ns_flags, setgroups_denied);
	}
	close(socks[1]);
	if (pid < 0)
		return nb_error_errno(err, "exec: fork");
	r = adopt_exec_process(sb, pid, err);
	if (r >= 0 && cfg->tty)
		r = deliver_exec_pty(sb, err);
	if (r >= 0)
		r = read_reports(sb, err);
	if (r >= 0 && sb->opts.console_socket && sb->pty_master >= 0)
		r = send_console(sb, err);
	if (r >= 0)
		deliver_pending(sb);
	nb_closep(&sb->sock);
	return r;
}

void nb_sandbox_detach(struct nb_sandbox *sb)
{
	sb->pid = 0;
	sb->detached = true;
	nb_sandbox_release(sb);
}

int nb_sandbox_reap(struct nb_sandbox *sb, int *ret_code, siginfo_t *info, struct rusage *ru,
		    struct nb_error *err)
{
	siginfo_t si;
	struct rusage usage;

	memset(&si, 0, sizeof(si));
	/* glibc's waitid() has no rusage argument; the system call does. */
	while (syscall(SYS_waitid, P_PIDFD, sb->pidfd, &si, WEXITED, &usage) < 0)
		if (errno != EINTR)
			return nb_error_errno(err, "wait for sandbox");
	sb->pid = 0;
	*ret_code = nb_exit_code_from_siginfo(si.si_code, si.si_status);
	if (info)
		*info = si;
	if (ru)
		*ru = usage;
	return 0;
}

int nb_sandbox_wait(struct nb_sandbox *sb, int *ret_code, struct nb_error *err)
{
	int r = nb_relay_run(sb, err);

	if (r >= 0)
		r = nb_sandbox_reap(sb, ret_code, NULL, NULL, err);
	if (r >= 0 && sb->broken_pipe)
		*ret_code = 128 + SIGPIPE;
	return r;
}

void nb_sandbox_release(struct nb_sandbox *sb)
{
	if (sb->pid > 0 && sb->pidfd >= 0) {
		siginfo_t info;

		nb_pidfd_signal(sb->pidfd, SIGKILL);
		while (waitid(P_PIDFD, (id_t)sb->pidfd, &info, WEXITED) < 0 && errno == EINTR)
			;
		sb->pid = 0;
	}
	/* Done with these: closed first, so that the cgroup's end has fds to
	 * open even when a failure was running out of them (EMFILE). */
	nb_closep(&sb->sock);
	nb_closep(&sb->sigfd);
	nb_closep(&sb->pty_master);
	nb_closep(&sb->notify_fd);
	nb_closep(&sb->cmd_pidfd);
	nb_closep(&sb->tramp);
	/* What the sandbox left behind, with no pid namespace to end it. With
	 * one, its init reaped, nothing of it is left (the kernel ended every
	 * process of the namespace before the init's end), and its cgroup goes
	 * at once; unless a process from outside was put there: killed then. */
	if (sb->cg_made && !sb->detached) {
		struct nb_error ignored;
		bool pidns = sb->cfg && sb->cfg->ns[NB_NS_PID].mode == NB_NS_NEW;

		if (sb->cg_empty)
			nb_cgroup_destroy(&sb->cg, &ignored);
		else if (!pidns || nb_cgroup_remove(&sb->cg) < 0)
			nb_cgroups_end(&sb->cg, &ignored);
	}
	sb->cg_made = false;
	/* A detached sandbox keeps its network until `nsbox delete`. */
	if (sb->opts.net && sb->detached)
		nb_usernet_detach(&sb->opts.net->usernet);
	else if (sb->opts.net)
		nb_netattach_release(sb->opts.net);
	nb_cgroup_close(&sb->cg);
	nb_cgroup_view_close(&sb->cg_view);
	nb_cgroup_selfjoin_close(&sb->cg_join);
	nb_strv_free(&sb->warnings);
	if (sb->tty_raw)
		nb_relay_restore_tty(sb);
	nb_closep(&sb->pidfd);
	nb_closep(&sb->procfd);
	if (sb->mask_set)
		sigprocmask(SIG_SETMASK, &sb->oldmask, NULL);
	sb->mask_set = false;
}
