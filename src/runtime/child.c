/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/child.h"
#include "runtime/exec.h"
#include "runtime/hooks.h"
#include "runtime/status.h"
#include "runtime/sync.h"
#include "base/cleanup.h"
#include "base/fileutil.h"
#include "linux/caps.h"
#include "linux/cgroup.h"
#include "linux/creds.h"
#include "linux/procattr.h"
#include "linux/seccomp.h"
#include "linux/namespaces.h"
#include "linux/loopback.h"
#include "linux/process.h"
#include "linux/rootfs.h"
#include "linux/terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <linux/close_range.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

void nb_forward_signals(sigset_t *set)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };

	sigemptyset(set);
	for (size_t i = 0; i < NB_ARRAY_SIZE(sigs); i++)
		sigaddset(set, sigs[i]);
}

__attribute__((noreturn)) static void fail(const struct nb_child_ctx *ctx, struct nb_error *err)
{
	nb_sync_send_error(ctx->sock, err);
	_exit(nb_exit_code_from_error(err->kind));
}

/* Wait for GO. EOF means the parent is gone: leave without a word. */
static int wait_go(struct nb_child_ctx *ctx, bool *setgroups_denied, struct nb_error *err)
{
	struct nb_sync_msg msg;
	int fd = -1, r = nb_sync_recv(ctx->sock, &msg, &fd);

	if (fd >= 0)
		close(fd);
	if (r == 0)
		_exit(NB_EXIT_SETUP);
	if (r < 0)
		return nb_error_sys(err, -r, "read sync socket");
	if (msg.type != NB_SYNC_GO)
		return nb_error_set(err, EPROTO, "sync: expected GO, got message %u", msg.type);
	*setgroups_denied = msg.flags & NB_SYNC_SETGROUPS_DENIED;
	if (msg.rows || msg.cols) {
		ctx->rows = msg.rows;
		ctx->cols = msg.cols;
	}
	return 0;
}

/* The user namespace first: the others joined after it are owned by it. */
static int join_namespaces(const struct nb_child_ctx *ctx, struct nb_error *err)
{
	for (int t = 0; t < NB_NS_COUNT; t++) {
		int r;

		if (t == NB_NS_PID || ctx->ns_fds[t] < 0)
			continue;   /* pid: the parent joined it for us before clone */
		r = nb_ns_join(ctx->ns_fds[t], (enum nb_ns_type)t, err);
		if (r < 0)
			return nb_error_prefix(err, "--join %s:%s", nb_ns_name((enum nb_ns_type)t),
					       ctx->cfg->ns[t].path);
	}
	return 0;
}


/* In a new user namespace our ids may be unmapped (a map that leaves out
 * the caller): files we create would fail with EOVERFLOW. Become its root. */
static int become_userns_root(const struct nb_config *cfg, struct nb_error *err)
{
	if (cfg->ns[NB_NS_USER].mode == NB_NS_SHARE)
		return 0;
	if (nb_idmap_maps_inside(&cfg->gid_map, 0) && setresgid(0, 0, 0) < 0)
		return nb_error_errno(err, "become root of the user namespace: setresgid");
	if (nb_idmap_maps_inside(&cfg->uid_map, 0) && setresuid(0, 0, 0) < 0)
		return nb_error_errno(err, "become root of the user namespace: setresuid");
	return 0;
}

/* Mounts are in place, the old root still visible: the parent runs the
 * prestart, createRuntime and createContainer hooks, then sends the state
 * JSON that the startContainer hooks will get. */
static int hook_point(struct nb_child_ctx *ctx, struct nb_error *err)
{
	struct nb_sync_msg msg;
	bool ignored;
	int r;

	memset(&msg, 0, sizeof(msg));
	msg.type = NB_SYNC_HOOKS;
	r = nb_sync_send(ctx->sock, &msg, -1);
	if (r < 0)
		return nb_error_sys(err, -r, "sync: send HOOKS");
	r = wait_go(ctx, &ignored, err);
	if (r < 0)
		return r;
	r = nb_sync_recv_blob(ctx->sock, &ctx->state_json);
	if (r < 0)
		return nb_error_sys(err, -r, "sync: read state");
	return 0;
}

static int setup_filesystem(struct nb_child_ctx *ctx, struct nb_error *err)
{
	int rootfd = -1;
	int r = nb_rootfs_prepare(ctx->cfg, ctx->pre_trees, &rootfd, err);

	if (r >= 0 && ctx->hook_point)
		r = hook_point(ctx, err);
	if (r >= 0)
		return nb_rootfs_enter(ctx->cfg, rootfd, err);
	if (rootfd >= 0)
		close(rootfd);
	return r;
}

static int setup_system(struct nb_child_ctx *ctx, struct nb_error *err)
{
	const struct nb_config *cfg = ctx->cfg;
	int r = join_namespaces(ctx, err);

	if (r >= 0)
		r = become_userns_root(cfg, err);
	if (r < 0)
		return r;
	if (cfg->hostname && sethostname(cfg->hostname, strlen(cfg->hostname)) < 0)
		return nb_error_errno(err, "hostname '%s'", cfg->hostname);
	if (cfg->oci.domainname && setdomainname(cfg->oci.domainname, strlen(cfg->oci.domainname)) < 0)
		return nb_error_errno(err, "domainname '%s'", cfg->oci.domainname);
	if (cfg->ns[NB_NS_NET].mode == NB_NS_NEW) {
		r = nb_loopback_up(err);
		if (r < 0)
			return r;
	}
	if (cfg->ns[NB_NS_MNT].mode == NB_NS_NEW) {
		r = setup_filesystem(ctx, err);
		if (r < 0)
			return nb_error_prefix(err, "set up filesystem");
	}
	return 0;
}

/* Load the filter; a notify listener fd goes to the parent, which hands it
 * to listenerPath (a host path we can no longer see). */
static int load_seccomp(const struct nb_child_ctx *ctx, struct nb_error *err)
{
	int notify_fd = -1;
	int r = nb_seccomp_load(&ctx->cfg->sec.seccomp, &notify_fd, err);

	if (r >= 0 && notify_fd >= 0) {
		struct nb_sync_msg msg;

		memset(&msg, 0, sizeof(msg));
		msg.type = NB_SYNC_SECCOMP;
		msg.pid = getpid();
		r = nb_sync_send(ctx->sock, &msg, notify_fd);
		if (r < 0)
			r = nb_error_sys(err, -r, "seccomp: send the listener fd to nsbox");
		close(notify_fd);
	}
	return r;
}

static void report_to_stderr(const struct nb_error *err)
{
	char line[NB_ERROR_MSG_MAX + 16];
	int n = snprintf(line, sizeof(line), "nsbox: %s\n", err->msg);

	if (n > 0)
		(void)nb_write_all(STDERR_FILENO, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

/* OCI create: tell the parent we are ready, then block until `nsbox start`
 * opens exec.fifo for reading. The fifo was opened O_PATH before
 * pivot_root; it is reopened through /proc for writing. The write end is
 * left open in *RET_FD (O_CLOEXEC) until exec: `start` waits for its EOF,
 * so that poststart hooks run after the startContainer hooks and the exec,
 * as the spec orders. */
static int wait_for_start(const struct nb_child_ctx *ctx, int *ret_fd, struct nb_error *err)
{
	struct nb_sync_msg msg;
	char path[64];
	int fd, r;

	memset(&msg, 0, sizeof(msg));
	msg.type = NB_SYNC_CREATED;
	msg.pid = getpid();
	r = nb_sync_send(ctx->sock, &msg, -1);
	if (r < 0)
		return nb_error_sys(err, -r, "sync: send CREATED");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", ctx->exec_fifo);
	do
		fd = open(path, O_WRONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		/* CREATED is sent: no one reads the sync socket any more. */
		nb_error_errno(err, "wait for start: open exec.fifo");
		report_to_stderr(err);
		return -err->code;
	}
	r = (int)write(fd, "0", 1);
	close(ctx->exec_fifo);
	if (r != 1) {
		close(fd);
		return nb_error_errno(err, "wait for start: write exec.fifo");
	}
	*ret_fd = fd;
	return 0;
}


/* Identity and privileges, in the order the kernel demands: limits and
 * attributes while still privileged; the bounding set before setuid (it
 * needs CAP_SETPCAP); keep the capabilities across setuid, then set the
 * sets asked for. A seccomp filter without no_new_privs needs CAP_SYS_ADMIN,
 * so it is loaded before the capabilities go; otherwise it is loaded last. */
static int drop_privileges(const struct nb_child_ctx *ctx, bool setgroups_denied,
			   struct nb_error *err)
{
	const struct nb_config *cfg = ctx->cfg;
	const struct nb_security *sec = &cfg->sec;
	int r = nb_procattr_apply(sec, err);

	if (r >= 0 && sec->seccomp.set && !sec->no_new_privs)
		r = load_seccomp(ctx, err);
	if (r >= 0 && sec->caps.set)
		r = nb_caps_drop_bounding(&sec->caps, err);
	if (r >= 0 && sec->caps.set)
		r = nb_caps_keep(true, err);
	if (r >= 0)
		r = nb_creds_apply(cfg, setgroups_denied, err);
	if (r >= 0 && sec->caps.set)
		r = nb_caps_apply(&sec->caps, err);
	if (r >= 0 && sec->caps.set)
		r = nb_caps_keep(false, err);
	return r;
}

/* The last steps before exec: no_new_privs, then the seccomp filter, after
 * which only the syscalls it allows are left. */
static int lock_down(const struct nb_child_ctx *ctx, struct nb_error *err)
{
	const struct nb_security *sec = &ctx->cfg->sec;
	int r = 0;

	if (sec->no_new_privs)
		r = nb_no_new_privs(err);
	if (r >= 0 && sec->seccomp.set && sec->no_new_privs)
		r = load_seccomp(ctx, err);
	return r;
}

__attribute__((noreturn)) static void exec_command(const struct nb_child_ctx *ctx, int slave,
						   bool setgroups_denied)
{
	const struct nb_config *cfg = ctx->cfg;
	struct nb_error err = { 0 };
	sigset_t none;
	int started = -1;   /* exec.fifo, closed by exec: see wait_for_start */
	int r = 0;

	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (getsid(0) != getpid() && setsid() < 0)
		r = nb_error_errno(&err, "setsid");
	if (r >= 0 && slave >= 0) {
		r = nb_pty_make_controlling(slave, &err);
		if (slave > 2)
			close(slave);
	}
	if (r >= 0)
		r = drop_privileges(ctx, setgroups_denied, &err);
	if (r >= 0 && chdir(cfg->cwd ? cfg->cwd : "/") < 0)
		r = nb_error_errno(&err, "working directory '%s'", cfg->cwd ? cfg->cwd : "/");
	/* A change of credentials clears the parent-death signal: set it again. */
	if (r >= 0 && !cfg->init && cfg->pdeathsig && nb_set_pdeathsig(SIGKILL, 0) < 0)
		r = nb_error_errno(&err, "set parent-death signal");
	/* As runc: the filter is in place before `start`, so a notify
	 * listener gets its fd while `create` still runs. The exec.fifo and
	 * the startContainer hooks then run under it. */
	if (r >= 0)
		r = lock_down(ctx, &err);
	if (r >= 0 && ctx->exec_fifo >= 0)
		r = wait_for_start(ctx, &started, &err);
	if (r >= 0 && ctx->exec_fifo >= 0 && cfg->oci.n_hooks[NB_HOOK_START_CONTAINER])
		r = nb_hooks_run(cfg->oci.hooks[NB_HOOK_START_CONTAINER], cfg->oci.n_hooks[NB_HOOK_START_CONTAINER],
				 NB_HOOK_START_CONTAINER, ctx->state_json ? ctx->state_json : "{}", -1, &err);
	/* A failed exec ends the container with status 127 or 126, which
	 * engines report as its exit status (podman run: 127). A failure
	 * before it, after `start` (a startContainer hook): tell `start`
	 * through exec.fifo (the sync socket has no reader any more), so
	 * that it fails with our error. */
	if (r >= 0) {
		nb_exec_command(cfg, &err);
		/* After `start` no nsbox listens on the sync socket: the one
		 * place left to say why is the container's own stderr. */
		if (started >= 0)
			report_to_stderr(&err);
	} else if (started >= 0) {
		(void)nb_write_all(started, err.msg, strnlen(err.msg, sizeof(err.msg)));
	}
	fail(ctx, &err);
}

static int open_tty(const struct nb_child_ctx *ctx, int *ret_slave, struct nb_error *err)
{
	_cleanup_close_ int master = -1;
	struct nb_sync_msg msg;
	int r;

	r = nb_pty_open(&master, ret_slave, err);
	if (r < 0)
		return r;
	if (ctx->rows || ctx->cols) {
		struct winsize ws = { .ws_row = ctx->rows, .ws_col = ctx->cols };

		ioctl(master, TIOCSWINSZ, &ws);
	}
	memset(&msg, 0, sizeof(msg));
	msg.type = NB_SYNC_PTY;
	r = nb_sync_send(ctx->sock, &msg, master);
	if (r < 0)
		return nb_error_sys(err, -r, "--tty: send pty to nsbox");
	/* exec: nothing else holds us back before exec, so wait until nsbox
	 * has handed the pty on (an engine sets its size on receipt): the
	 * command must not read the terminal before that. */
	if (ctx->pty_wait) {
		int fd = -1;

		r = nb_sync_recv(ctx->sock, &msg, &fd);
		if (fd >= 0)
			close(fd);
		if (r == 0)
			_exit(NB_EXIT_SETUP);
		if (r < 0)
			return nb_error_sys(err, -r, "--tty: read sync socket");
		if (msg.type != NB_SYNC_GO)
			return nb_error_set(err, EPROTO, "sync: expected GO, got message %u", msg.type);
		if (msg.rows || msg.cols) {
			struct winsize ws = { .ws_row = msg.rows, .ws_col = msg.cols };

			ioctl(master, TIOCSWINSZ, &ws);
		}
	}
	return 0;
}

static int null_stdio(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -1;
	for (int i = 0; i < 3; i++)
		if (dup2(fd, i) < 0)
			return -1;
	close(fd);
	return 0;
}

void nb_child_main(struct nb_child_ctx *ctx)
{
	const struct nb_config *cfg = ctx->cfg;
	struct nb_error err = { 0 };
	bool setgroups_denied = false;
	/* In a new pid namespace the kernel kills everything when its PID 1
	 * dies; otherwise the init must be told, and kill its descendants. */
	int deathsig = (cfg->init && cfg->ns[NB_NS_PID].mode != NB_NS_NEW) ? SIGRTMIN : SIGKILL;
	int slave = -1;
	pid_t cmd;

	/* A lock shared with the parent would be held until exec. */
	if (ctx->close_fd >= 0)
		close(ctx->close_fd);
	/* Detached: hold none of the caller's pipes ($(nsbox run --detach) returns). */
	if (ctx->null_stdio && null_stdio() < 0)
		nb_error_errno(&err, "open /dev/null"), fail(ctx, &err);
	/* fd hygiene: only stdio and the preserved fds reach the command. */
	if (syscall(SYS_close_range, 3 + ctx->preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		nb_error_errno(&err, "close_range"), fail(ctx, &err);
	/* Leave the caller's session: keyboard signals reach nsbox only, which
	 * forwards them once. Then die with nsbox. */
	if (setsid() < 0)
		nb_error_errno(&err, "setsid"), fail(ctx, &err);
	if (cfg->pdeathsig && nb_set_pdeathsig(deathsig, 0) < 0)
		nb_error_errno(&err, "set parent-death signal"), fail(ctx, &err);
	if (wait_go(ctx, &setgroups_denied, &err) < 0 || setup_system(ctx, &err) < 0)
		fail(ctx, &err);
	if (cfg->tty && open_tty(ctx, &slave, &err) < 0)
		fail(ctx, &err);
	if (!cfg->init)
		exec_command(ctx, slave, setgroups_denied);
	/* PID 1 must reap orphans; outside a new pid namespace, be a subreaper. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		nb_error_errno(&err, "set child subreaper"), fail(ctx, &err);
	cmd = fork();
	if (cmd < 0)
		nb_error_errno(&err, "fork command"), fail(ctx, &err);
	if (cmd == 0)
		exec_command(ctx, slave, setgroups_denied);
	/* Our copies must go, so the parent sees EOF once the command execs. */
	close(ctx->sock);
	if (slave >= 0)
		close(slave);
	nb_init_main(cmd, &ctx->forward_mask, deathsig == SIGKILL ? 0 : deathsig);
}

void nb_child_join_main(struct nb_child_ctx *ctx, int target_pidfd, int ns_flags,
			bool setgroups_denied)
{
	struct nb_error err = { 0 };
	struct nb_sync_msg msg;
	int pidfd = -1, slave = -1;
	pid_t pid;

	if (syscall(SYS_close_range, 3 + ctx->preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		nb_error_errno(&err, "close_range"), fail(ctx, &err);
	/* The container's cgroups first, by their host paths; what we then
	 * bear is born in them. */
	if (ctx->exec_target > 0 && nb_cgroup_join_like(ctx->exec_target, getpid(), &err) < 0)
		fail(ctx, &err);
	/* One setns() with a pidfd joins them all at once (Linux 5.8). */
	if (ns_flags && setns(target_pidfd, ns_flags) < 0)
		nb_error_errno(&err, "join the container's namespaces"), fail(ctx, &err);
	close(target_pidfd);
	pid = nb_clone3(CLONE_PARENT, &pidfd, &err);
	if (pid < 0)
		fail(ctx, &err);
	if (pid == 0) {
		if (ctx->cfg->tty && open_tty(ctx, &slave, &err) < 0)
			fail(ctx, &err);
		exec_command(ctx, slave, setgroups_denied);
	}
	memset(&msg, 0, sizeof(msg));
	msg.type = NB_SYNC_PID;
	msg.pid = pid;
	if (nb_sync_send(ctx->sock, &msg, -1) < 0)
		_exit(NB_EXIT_SETUP);
	_exit(0);
}
