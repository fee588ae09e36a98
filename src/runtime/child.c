/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/child.h"
#include "runtime/cgroups.h"
#include "runtime/exec.h"
#include "runtime/hooks.h"
#include "runtime/status.h"
#include "runtime/sync.h"
#include "base/cleanup.h"
#include "base/fdclose.h"
#include "base/fileutil.h"
#include "base/proctitle.h"
#include "linux/caps.h"
#include "linux/cgroup.h"
#include "linux/creds.h"
#include "linux/mempolicy.h"
#include "linux/procattr.h"
#include "linux/seccomp.h"
#include "linux/seccomp_default.h"
#include "linux/namespaces.h"
#include "linux/loopback.h"
#include "linux/process.h"
#include "linux/rootfs.h"
#include "linux/sysctl.h"
#include "linux/terminal.h"
#include "linux/trampoline.h"
#include "spec/passwd.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <linux/close_range.h>
#include <linux/openat2.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Every signal a process can catch (the real-time ones too), as runc's
 * `run` forwards, but those that are nsbox's own: SIGCHLD (its children's
 * news) and the job-control stops SIGTSTP, SIGTTIN and SIGTTOU (they stop
 * nsbox in the caller's terminal, as for any foreground program). Any other
 * signal sent to nsbox used to end it, and the sandbox with it, unseen by
 * the command. Blocking the synchronous ones (SIGSEGV...) is safe: a fault
 * of nsbox's own is still fatal (the kernel unblocks them), only a kill(2)
 * of one is forwarded. A SIGPIPE of nsbox's own (relaying a pty's output to
 * a closed pipe) is not forwarded: it ends the sandbox (runtime/relay.c). */
void nb_forward_signals(sigset_t *set)
{
	static const int own[] = { SIGKILL, SIGSTOP, SIGCHLD, SIGTSTP, SIGTTIN, SIGTTOU };

	sigfillset(set);
	for (size_t i = 0; i < NB_ARRAY_SIZE(own); i++)
		sigdelset(set, own[i]);
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

/* Our own namespace files, which the kernel never refuses us (an
 * unprivileged nsbox's open of /proc/PID/ns/net is refused now and then):
 * the networking nsbox sets up from outside before GO needs them. */
static int send_namespaces(const struct nb_child_ctx *ctx, struct nb_error *err)
{
	static const struct { const char *path; uint32_t flag; } ns[] = {
		{ "/proc/self/ns/net", CLONE_NEWNET }, { "/proc/self/ns/user", CLONE_NEWUSER },
	};

	for (int i = 0; i < ctx->send_ns && i < 2; i++) {
		struct nb_sync_msg msg;
		int fd = open(ns[i].path, O_RDONLY | O_CLOEXEC), r;

		if (fd < 0)
			return nb_error_errno(err, "open %s", ns[i].path);
		memset(&msg, 0, sizeof(msg));
		msg.type = NB_SYNC_NSFD;
		msg.flags = ns[i].flag;
		r = nb_sync_send(ctx->sock, &msg, fd);
		close(fd);
		if (r < 0)
			return nb_error_sys(err, -r, "sync: send a namespace");
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
	int r = nb_rootfs_prepare(ctx->cfg, ctx->pre_trees, ctx->cgview, ctx->procfd, &rootfd, err);

	if (r >= 0 && ctx->hook_point)
		r = hook_point(ctx, err);
	if (r >= 0)
		return nb_rootfs_enter(ctx->cfg, rootfd, ctx->procfd, err);
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
	/* Rooted at the cgroups nsbox moved us into, owned by our user namespace. */
	if (ctx->unshare_cgroupns && unshare(CLONE_NEWCGROUP) < 0)
		return nb_error_errno(err, "new cgroup namespace");
	if (cfg->hostname && sethostname(cfg->hostname, strlen(cfg->hostname)) < 0)
		return nb_error_errno(err, "hostname '%s'", cfg->hostname);
	if (cfg->oci.domainname && setdomainname(cfg->oci.domainname, strlen(cfg->oci.domainname)) < 0)
		return nb_error_errno(err, "domainname '%s'", cfg->oci.domainname);
	if (cfg->ns[NB_NS_NET].mode == NB_NS_NEW) {
		r = nb_loopback_up(err);
		if (r < 0)
			return r;
	}
	/* Through nsbox's own procfs, in our namespaces: before the mounts,
	 * so no /proc of the image is ever involved. */
	r = nb_sysctl_apply(ctx->procfd, &cfg->oci.sysctl, err);
	if (r < 0)
		return r;
	if (cfg->ns[NB_NS_MNT].mode == NB_NS_NEW) {
		r = setup_filesystem(ctx, err);
		if (r < 0)
			return nb_error_prefix(err, "set up filesystem");
	} else if (cfg->rootfs && !nb_streq(cfg->rootfs, "/")) {
		/* An OCI root without a mount namespace of its own: change
		 * the root, as runc does, and nothing else. */
		if (chroot(cfg->rootfs) < 0 || chdir("/") < 0)
			return nb_error_errno(err, "root '%s'", cfg->rootfs);
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
	/* Reopened through its magic link in nsbox's own procfs: the
	 * sandbox's /proc could be anything. */
	snprintf(path, sizeof(path), "self/fd/%d", ctx->exec_fifo);
	do
		fd = openat(ctx->procfd, path, O_WRONLY | O_CLOEXEC);
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


/* The leaf fd that a shared spawn's device rules are written through. */
static int devices_fd(const struct nb_cgroup *cg)
{
	return cg->on_v2[NB_CG_DEVICES] ? nb_cgroup_v2_fd(cg) : cg->fd[NB_CG_DEVICES];
}

/* A shared spawn's device rules, set where nsbox sets them for the others
 * (at CREATED): once our mounts have made their nodes, and while we still
 * have the privileges. Through a copy of the cgroup that holds only the
 * fd we kept: the others are closed, their numbers maybe reused. */
static int set_device_rules(const struct nb_child_ctx *ctx, struct nb_error *err)
{
	struct nb_cgroup cg = *ctx->devices;
	int keep = devices_fd(ctx->devices);

	for (int c = 0; c < NB_CG_COUNT; c++)
		if (cg.fd[c] != keep)
			cg.fd[c] = -1;
	if (cg.v2fd != keep)
		cg.v2fd = -1;
	cg.named_fd = -1;
	return nb_cgroups_devices(&cg, ctx->cfg, err);
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
	int r = nb_procattr_apply(sec, ctx->procfd, err);

	/* After the last fork, before any seccomp filter (which may refuse
	 * set_mempolicy): the exec keeps it. */
	if (r >= 0)
		r = nb_mempolicy_apply(&cfg->oci.mempolicy, err);
	if (r >= 0 && sec->seccomp.set && !sec->no_new_privs)
		r = load_seccomp(ctx, err);
	if (r >= 0 && sec->seccomp_builtin && !sec->no_new_privs)
		r = nb_seccomp_load_default(err);
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
	if (r >= 0 && sec->seccomp_builtin && sec->no_new_privs)
		r = nb_seccomp_load_default(err);
	return r;
}

/* Enter the working directory, resolved inside our root and never through
 * a magic link: a cwd of "/proc/self/fd/N" must not lead to an fd that
 * nsbox holds (CVE-2024-21626). Then make sure the kernel agrees that it
 * lies under the root. */
static int enter_cwd(const char *cwd, struct nb_error *err)
{
	struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	_cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	_cleanup_close_ int fd = -1;
	char buf[PATH_MAX];

	if (root < 0)
		return nb_error_errno(err, "working directory '%s': open '/'", cwd);
	fd = (int)syscall(SYS_openat2, root, cwd, &how, sizeof(how));
	if (fd < 0 || fchdir(fd) < 0)
		return nb_error_errno(err, "working directory '%s'", cwd);
	/* glibc's getcwd() fails with ENOENT for a directory outside the root. */
	if (!getcwd(buf, sizeof(buf)) || buf[0] != '/')
		return nb_error_set(err, EPERM, "working directory '%s': outside the container's root", cwd);
	return 0;
}

/* Die with SIG when nsbox dies, and make sure it has not died already: the
 * signal is armed only from here on, and nsbox's end of the sync socket is
 * closed before its death is announced. */
static int arm_pdeathsig(int sig, int sock, struct nb_error *err)
{
	struct pollfd p = { .fd = sock, .events = POLLRDHUP };

	if (nb_set_pdeathsig(sig, 0) < 0)
		return nb_error_errno(err, "set parent-death signal");
	if (poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLRDHUP)))
		_exit(NB_EXIT_SETUP);   /* nsbox is gone: nobody to tell */
	return 0;
}

#define PASSWD_MAX (4 << 20)

/* Socket activation: the fds were passed first; LISTEN_PID must name the
 * process that will exec, in its own pid namespace (as crun does). */
static int listen_env(const struct nb_config *cfg, struct nb_strv *env)
{
	char kv[64];

	if (cfg->listen_fds <= 0)
		return 0;
	snprintf(kv, sizeof(kv), "LISTEN_FDS=%d", cfg->listen_fds);
	if (nb_strv_setenv(env, kv) < 0)
		return -ENOMEM;
	snprintf(kv, sizeof(kv), "LISTEN_PID=%d", (int)getpid());
	return nb_strv_setenv(env, kv) < 0 ? -ENOMEM : 0;
}

/* The command's environment: the plan's, with socket activation's
 * variables, and for an OCI process without HOME the one its container's
 * own /etc/passwd gives (opened inside the root; never blocking on a FIFO
 * the image put there), or "/". Read before the identity change, as runc. */
static int command_env(const struct nb_config *cfg, struct nb_strv *env)
{
	struct open_how how = { .flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	_cleanup_close_ int fd = (int)syscall(SYS_openat2, AT_FDCWD, "/etc/passwd", &how, sizeof(how));
	_cleanup_free_ char *text = NULL;
	char home[PATH_MAX], kv[PATH_MAX + 8];
	struct stat st;
	ssize_t n = -1;

	for (size_t i = 0; i < cfg->env.len; i++)
		if (nb_strv_push(env, cfg->env.items[i]) < 0)
			return -ENOMEM;
	if (listen_env(cfg, env) < 0)
		return -ENOMEM;
	if (!cfg->oci_process || nb_strv_getenv(&cfg->env, "HOME"))
		return 0;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < PASSWD_MAX &&
	    (text = malloc((size_t)st.st_size + 1)))
		n = read(fd, text, (size_t)st.st_size);
	if (n < 0 || nb_passwd_home(text, (size_t)n, cfg->set_uid ? cfg->uid : 0, home, sizeof(home)) < 0)
		strcpy(home, "/");
	snprintf(kv, sizeof(kv), "HOME=%s", home);
	return nb_strv_push(env, kv) < 0 ? -ENOMEM : 0;
}

/* A judged run: nsbox starts its clocks now, with the set-up behind us,
 * and tells us to go on to the exec. */
static int exec_barrier(const struct nb_child_ctx *ctx, struct nb_error *err)
{
	struct nb_sync_msg msg;
	int fd = -1, r;

	memset(&msg, 0, sizeof(msg));
	msg.type = NB_SYNC_EXEC_READY;
	r = nb_sync_send(ctx->sock, &msg, -1);
	if (r >= 0)
		r = nb_sync_recv(ctx->sock, &msg, &fd);
	if (fd >= 0)
		close(fd);
	if (r == 0)
		_exit(NB_EXIT_SETUP);   /* nsbox is gone */
	if (r < 0)
		return nb_error_sys(err, -r, "sync: exec barrier");
	if (msg.type != NB_SYNC_GO)
		return nb_error_set(err, EPROTO, "sync: expected GO, got message %u", msg.type);
	return 0;
}

__attribute__((noreturn)) static void exec_command(const struct nb_child_ctx *ctx, int slave,
						   bool setgroups_denied)
{
	const struct nb_config *cfg = ctx->cfg;
	struct nb_error err = { 0 };
	struct nb_exec_via via = { .tramp = ctx->tramp, .report = ctx->sock, .hold = -1 };
	struct nb_strv env = { 0 };
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
	if (r >= 0 && command_env(cfg, &env) < 0)
		r = nb_error_set(&err, ENOMEM, "out of memory");
	if (r >= 0)
		r = drop_privileges(ctx, setgroups_denied, &err);
	if (r >= 0)
		r = enter_cwd(cfg->cwd ? cfg->cwd : "/", &err);
	/* A change of credentials clears the parent-death signal: set it again. */
	if (r >= 0 && !cfg->init && cfg->pdeathsig)
		r = arm_pdeathsig(SIGKILL, ctx->sock, &err);
	else if (r >= 0 && ctx->shared && nb_set_pdeathsig(0, 0) < 0)
		r = nb_error_errno(&err, "clear the parent-death signal");
	/* As runc: the filter is in place before `start`, so a notify
	 * listener gets its fd while `create` still runs. The exec.fifo and
	 * the startContainer hooks then run under it. */
	if (r >= 0)
		r = lock_down(ctx, &err);
	if (r >= 0 && ctx->exec_fifo >= 0)
		r = wait_for_start(ctx, &started, &err);
	if (r >= 0 && ctx->exec_fifo >= 0 && cfg->oci.n_hooks[NB_HOOK_START_CONTAINER])
		r = nb_hooks_run(cfg->oci.hooks[NB_HOOK_START_CONTAINER], cfg->oci.n_hooks[NB_HOOK_START_CONTAINER],
				 NB_HOOK_START_CONTAINER, ctx->state_json ? ctx->state_json : "{}", -1,
				 ctx->tramp, &err);
	if (r >= 0 && ctx->exec_barrier)
		r = exec_barrier(ctx, &err);
	/* A failed exec ends the container with status 127 or 126, which
	 * engines report as its exit status (podman run: 127). A failure
	 * before it, after `start` (a startContainer hook): tell `start`
	 * through exec.fifo (the sync socket has no reader any more), so
	 * that it fails with our error. */
	if (r >= 0) {
		/* After `start` no nsbox listens on the sync socket: the one
		 * place left to say why is the container's own stderr. */
		if (started >= 0 || ctx->shared) {
			via.report = -1;
			via.hold = started;
			via.say = true;
		}
		nb_exec_argv(cfg->args.items, &env, &via, &err);
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

/* The command's standard streams from nsbox (--stdin, --stdout...): our
 * copies are close-on-exec, dup2() makes fds 0-2 that are not. */
static int set_stdio(const int *stdio)
{
	for (int i = 0; i < 3; i++) {
		if (stdio[i] < 0)
			continue;
		if (stdio[i] == i ? nb_fd_set_cloexec(i, 0) < 0 : dup2(stdio[i], i) < 0)
			return -1;
	}
	return 0;
}

/* Close every fd but those the set-up needs and the preserved ones: nsbox's
 * state directory, its lock, the caller's other fds and the parent's own
 * must not be reachable from inside, even before the exec. */
static int close_inherited(const struct nb_child_ctx *ctx, const int *extra, size_t n_extra)
{
	size_t n_trees = ctx->pre_trees ? ctx->cfg->n_mounts : 0;
	int n_views = ctx->cgview ? ctx->cgview->n : 0;
	size_t n = 0;
	int *keep = malloc((NB_NS_COUNT + 6 + n_trees + (size_t)n_views + n_extra) * sizeof(*keep));
	int r;

	if (!keep)
		return -ENOMEM;
	keep[n++] = ctx->devices ? devices_fd(ctx->devices) : -1;
	keep[n++] = ctx->sock;
	keep[n++] = ctx->exec_fifo;
	keep[n++] = ctx->procfd;
	keep[n++] = ctx->tramp;
	keep[n++] = ctx->status_fd;
	for (int t = 0; t < NB_NS_COUNT; t++)
		keep[n++] = ctx->ns_fds[t];
	for (size_t i = 0; i < n_trees; i++)
		keep[n++] = ctx->pre_trees[i];
	for (int i = 0; i < n_views; i++)
		keep[n++] = ctx->cgview->tree[i];
	for (size_t i = 0; i < n_extra; i++)
		keep[n++] = extra[i];
	r = nb_close_all_except(keep, n, ctx->cfg->listen_fds + ctx->preserve_fds);
	free(keep);
	return r;
}

/* Tell nsbox who the command is: its pid, and a pidfd (`exec` and `ps`
 * find the sandbox's namespaces through it, as the init is out of reach). */
static void announce_command(const struct nb_child_ctx *ctx, pid_t pid, int pidfd)
{
	struct nb_sync_msg msg;

	memset(&msg, 0, sizeof(msg));
	msg.type = NB_SYNC_PID;
	msg.pid = pid;
	(void)nb_sync_send(ctx->sock, &msg, pidfd);
}

/* The command of a shared-memory spawn: announce itself, then go on to
 * the exec. The init waits, frozen, until the exec or the exit. */
__attribute__((noreturn)) static void shared_command(const struct nb_child_ctx *ctx, int slave,
						     bool setgroups_denied)
{
	struct nb_error err = { 0 };
	pid_t self = getpid();
	int pidfd = pidfd_open(self, 0);

	if (pidfd < 0)
		nb_error_errno(&err, "pidfd_open"), fail(ctx, &err);
	announce_command(ctx, self, pidfd);
	close(pidfd);
	exec_command(ctx, slave, setgroups_denied);
}

/* The command without a copy of the init's memory: vfork(), the init
 * frozen until the command has exec'd nsbox-exec (or died), so no page of
 * nsbox is copied, then torn down again by the exec: 1 to 2 ms of a
 * run on a paravirtualized guest. The command's work before its exec
 * (a separate task: its own fds, credentials, signal handlers) writes only
 * to memory the init no longer uses. The init then sheds what it holds
 * while nsbox-exec runs, so this is only for a command that cannot reach
 * the init's fds or memory in that moment (no CAP_SYS_PTRACE over it,
 * nb_config_may_ptrace_runtime()); its command line is wiped before. */
static pid_t spawn_shared(const struct nb_child_ctx *ctx, int slave, bool setgroups_denied)
{
	pid_t pid;

	nb_proctitle_wipe("nsbox-init");
	pid = vfork();
	if (pid == 0)
		shared_command(ctx, slave, setgroups_denied);
	return pid;
}

/* The init: start the command, tell nsbox who it is, and become PID 1. */
__attribute__((noreturn)) static void run_init(struct nb_child_ctx *ctx, int slave, bool setgroups_denied,
					       int deathsig)
{
	int parent_died = deathsig == SIGKILL ? 0 : deathsig;
	struct nb_error err = { 0 };
	int pidfd = -1, gate[2];
	pid_t cmd;

	/* PID 1 must reap orphans; outside a new pid namespace, be a subreaper. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		nb_error_errno(&err, "set child subreaper"), fail(ctx, &err);
	if (!nb_config_may_ptrace_runtime(ctx->cfg)) {
		cmd = spawn_shared(ctx, slave, setgroups_denied);
		if (cmd < 0)
			nb_error_errno(&err, "vfork"), fail(ctx, &err);
		nb_init_main(cmd, &ctx->forward_mask, parent_died, ctx->status_fd);
	}
	/* The command waits until the init holds nothing of nsbox's (its
	 * fds, capabilities, command line): the init's last step closes the
	 * pipe's write end (nb_init_main). A command with CAP_SYS_PTRACE could
	 * otherwise reach them through /proc/1 in between. */
	if (pipe2(gate, O_CLOEXEC) < 0)
		nb_error_errno(&err, "pipe"), fail(ctx, &err);
	cmd = nb_clone3(0, &pidfd, &err);
	if (cmd < 0)
		fail(ctx, &err);
	if (cmd == 0) {
		char c;

		close(gate[1]);
		while (read(gate[0], &c, 1) < 0 && errno == EINTR)
			;
		close(gate[0]);
		exec_command(ctx, slave, setgroups_denied);
	}
	close(gate[0]);
	announce_command(ctx, cmd, pidfd);
	/* No fd survives: the parent sees EOF once the command execs. */
	nb_init_main(cmd, &ctx->forward_mask, parent_died, ctx->status_fd);
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

	/* Our v1 cgroups first: nothing we do is charged elsewhere, and GO
	 * finds us in them. */
	if (ctx->cgjoin && nb_cgroup_selfjoin(ctx->cgjoin, &err) < 0)
		fail(ctx, &err);
	/* Shared, nsbox cannot write it for us: we are root, and own our
	 * /proc files yet. */
	if (ctx->shared && cfg->sec.has_oom_score_adj &&
	    nb_procattr_set_oom_score_adj(ctx->procfd, 0, cfg->sec.oom_score_adj, &err) < 0)
		fail(ctx, &err);
	/* Nothing in the sandbox may ptrace us or open our /proc files: we
	 * hold host resources until the exec (which makes a new, dumpable
	 * image), and the init for its whole life. */
	if (!ctx->dumpable_until_go && prctl(PR_SET_DUMPABLE, 0L, 0L, 0L, 0L) < 0)
		nb_error_errno(&err, "set non-dumpable"), fail(ctx, &err);
	/* Detached: hold none of the caller's pipes ($(nsbox run --detach) returns). */
	if (ctx->null_stdio && null_stdio() < 0)
		nb_error_errno(&err, "open /dev/null"), fail(ctx, &err);
	if (ctx->stdio && set_stdio(ctx->stdio) < 0)
		nb_error_errno(&err, "standard streams"), fail(ctx, &err);
	if (close_inherited(ctx, ctx->keep_fds, ctx->n_keep_fds) < 0)
		nb_error_errno(&err, "close inherited fds"), fail(ctx, &err);
	/* Leave the caller's session: keyboard signals reach nsbox only, which
	 * forwards them once. Then die with nsbox. */
	if (setsid() < 0)
		nb_error_errno(&err, "setsid"), fail(ctx, &err);
	/* Shared, nsbox cannot tell us to stop by closing the socket: die with
	 * it, until the exec (a container outlives `run` once it runs). */
	if ((cfg->pdeathsig || ctx->shared) && arm_pdeathsig(deathsig, ctx->sock, &err) < 0)
		fail(ctx, &err);
	if (ctx->send_ns && send_namespaces(ctx, &err) < 0)
		fail(ctx, &err);
	if (!ctx->shared && wait_go(ctx, &setgroups_denied, &err) < 0)
		fail(ctx, &err);
	if (ctx->dumpable_until_go && prctl(PR_SET_DUMPABLE, 0L, 0L, 0L, 0L) < 0)
		nb_error_errno(&err, "set non-dumpable"), fail(ctx, &err);
	if (setup_system(ctx, &err) < 0)
		fail(ctx, &err);
	if (ctx->devices && set_device_rules(ctx, &err) < 0)
		fail(ctx, &err);
	if (cfg->tty && open_tty(ctx, &slave, &err) < 0)
		fail(ctx, &err);
	if (!cfg->init)
		exec_command(ctx, slave, setgroups_denied);
	run_init(ctx, slave, setgroups_denied, deathsig);
}

void nb_child_join_main(struct nb_child_ctx *ctx, int target_pidfd, int ns_flags,
			bool setgroups_denied)
{
	struct nb_error err = { 0 };
	struct nb_sync_msg msg;
	int pidfd = -1, slave = -1;
	pid_t pid;

	/* As a host process that still owns its /proc files; inherited by
	 * the process we bear. */
	if (ctx->cfg->sec.has_oom_score_adj &&
	    nb_procattr_set_oom_score_adj(ctx->procfd, 0, ctx->cfg->sec.oom_score_adj, &err) < 0)
		fail(ctx, &err);
	/* Set before joining anything, and inherited by the process we bear:
	 * the container's processes must not reach us through /proc. */
	if (prctl(PR_SET_DUMPABLE, 0L, 0L, 0L, 0L) < 0)
		nb_error_errno(&err, "set non-dumpable"), fail(ctx, &err);
	if (close_inherited(ctx, &target_pidfd, 1) < 0)
		nb_error_errno(&err, "close inherited fds"), fail(ctx, &err);
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
