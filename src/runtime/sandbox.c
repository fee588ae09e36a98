/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/sandbox.h"
#include "runtime/child.h"
#include "runtime/relay.h"
#include "runtime/state.h"
#include "runtime/status.h"
#include "runtime/sync.h"
#include "base/cleanup.h"
#include "linux/idmap.h"
#include "linux/namespaces.h"
#include "linux/process.h"
#include "linux/rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/pidfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
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
	sb->opts.child_close_fd = -1;
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

static uint64_t clone_flags(const struct nb_config *cfg)
{
	uint64_t flags = 0;

	for (int t = 0; t < NB_NS_COUNT; t++)
		if (cfg->ns[t].mode == NB_NS_NEW)
			flags |= (uint64_t)nb_ns_clone_flag((enum nb_ns_type)t);
	if (has_time_offsets(cfg))
		flags &= ~(uint64_t)nb_ns_clone_flag(NB_NS_TIME);   /* made by set_time_offsets() */
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

/* Write the id maps, then tell the child to go on. */
static int release_child(struct nb_sandbox *sb, struct nb_error *err)
{
	const struct nb_config *cfg = sb->cfg;
	struct nb_sync_msg msg;
	bool denied = false;
	int r;

	if (cfg->ns[NB_NS_USER].mode == NB_NS_NEW) {
		r = nb_idmap_apply(sb->pid, &cfg->uid_map, &cfg->gid_map, geteuid(), getegid(),
				   &denied, err);
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

/* Read the child's messages until EOF, which means the command was exec'd. */
static int read_reports(struct nb_sandbox *sb, struct nb_error *err)
{
	for (;;) {
		struct nb_sync_msg msg;
		int fd = -1, r = nb_sync_recv(sb->sock, &msg, &fd);

		if (r == 0)
			return 0;
		if (r < 0)
			return nb_error_sys(err, -r, "sync: read");
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
			return 0;
		}
		if (msg.type == NB_SYNC_SECCOMP && fd >= 0) {
			r = send_seccomp_fd(sb, msg.pid, fd, err);
			close(fd);
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

/* The trees of idmapped mounts, made here with our privileges.
 * *RET: one fd per mount (-1 for the others), or NULL if there are none. */
static int open_idmaps(const struct nb_config *cfg, int **ret, struct nb_error *err)
{
	int *fds = NULL;

	*ret = NULL;
	for (size_t i = 0; i < cfg->n_mounts; i++) {
		const struct nb_mount *m = &cfg->mounts[i];
		int r;

		if (m->kind != NB_MOUNT_BIND || (!m->uid_map && !m->gid_map))
			continue;
		if (!fds) {
			fds = malloc(cfg->n_mounts * sizeof(*fds));
			if (!fds)
				return nb_error_set(err, ENOMEM, "out of memory");
			for (size_t k = 0; k < cfg->n_mounts; k++)
				fds[k] = -1;
			*ret = fds;
		}
		r = nb_rootfs_idmapped_tree(m, geteuid(), getegid(), &fds[i], err);
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

static int spawn(struct nb_sandbox *sb, int *ns_fds, const sigset_t *forward, struct nb_error *err)
{
	_cleanup_close_ int fifo = -1;
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
	/* setns(CLONE_NEWPID) changes only where our children are born. */
	if (ns_fds[NB_NS_PID] >= 0 && nb_ns_join(ns_fds[NB_NS_PID], NB_NS_PID, err) < 0) {
		close(socks[1]);
		close_idmaps(idmaps, sb->cfg->n_mounts);
		return nb_error_prefix(err, "--join pid:%s", sb->cfg->ns[NB_NS_PID].path);
	}
	pid = nb_clone3(clone_flags(sb->cfg), &sb->pidfd, err);
	if (pid == 0) {
		struct nb_child_ctx ctx = { .cfg = sb->cfg, .sock = socks[1], .forward_mask = *forward,
					    .preserve_fds = sb->opts.preserve_fds, .exec_fifo = fifo,
					    .hook_point = sb->opts.hook_point != NULL,
					    .close_fd = sb->opts.child_close_fd,
					    .null_stdio = sb->opts.null_stdio, .pre_trees = idmaps };

		close(socks[0]);
		memcpy(ctx.ns_fds, ns_fds, sizeof(ctx.ns_fds));
		nb_child_main(&ctx);
	}
	close(socks[1]);
	close_idmaps(idmaps, sb->cfg->n_mounts);
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

int nb_sandbox_spawn(struct nb_sandbox *sb, const struct nb_config *cfg, struct nb_error *err)
{
	int ns_fds[NB_NS_COUNT];
	sigset_t forward;
	int r;

	sb->cfg = cfg;
	r = nb_rootfs_check(cfg, err);
	if (r < 0)
		return r;
	r = open_joins(cfg, ns_fds, err);
	if (r >= 0)
		r = set_time_offsets(cfg, err);
	if (r >= 0)
		r = block_signals(sb, &forward, err);
	if (r >= 0)
		r = spawn(sb, ns_fds, &forward, err);
	close_ns_fds(ns_fds);
	if (r >= 0)
		r = release_child(sb, err);
	if (r >= 0)
		r = read_reports(sb, err);
	if (r >= 0 && sb->opts.console_socket && sb->pty_master >= 0)
		r = send_console(sb, err);
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

	sb->cfg = cfg;
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
					    .close_fd = sb->opts.child_close_fd, .pty_wait = true };

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
	nb_closep(&sb->sock);
	return r;
}

void nb_sandbox_detach(struct nb_sandbox *sb)
{
	sb->pid = 0;
	nb_sandbox_release(sb);
}

int nb_sandbox_wait(struct nb_sandbox *sb, int *ret_code, struct nb_error *err)
{
	siginfo_t info;
	int r;

	r = nb_relay_run(sb, err);
	if (r < 0)
		return r;
	memset(&info, 0, sizeof(info));
	while (waitid(P_PIDFD, (id_t)sb->pidfd, &info, WEXITED) < 0)
		if (errno != EINTR)
			return nb_error_errno(err, "wait for sandbox");
	sb->pid = 0;
	*ret_code = nb_exit_code_from_siginfo(info.si_code, info.si_status);
	return 0;
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
	if (sb->tty_raw)
		nb_relay_restore_tty(sb);
	nb_closep(&sb->pidfd);
	nb_closep(&sb->sock);
	nb_closep(&sb->sigfd);
	nb_closep(&sb->pty_master);
	if (sb->mask_set)
		sigprocmask(SIG_SETMASK, &sb->oldmask, NULL);
	sb->mask_set = false;
}
