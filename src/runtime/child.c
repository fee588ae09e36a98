/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/child.h"
#include "runtime/exec.h"
#include "runtime/status.h"
#include "runtime/sync.h"
#include "base/cleanup.h"
#include "linux/creds.h"
#include "linux/namespaces.h"
#include "linux/netlink.h"
#include "linux/process.h"
#include "linux/rootfs.h"
#include "linux/terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
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
static int wait_go(const struct nb_child_ctx *ctx, bool *setgroups_denied, struct nb_error *err)
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

/* linux.sysctl, through the new root's /proc/sys ("net.ipv4.ip_forward=1"). */
static int apply_sysctls(const struct nb_strv *sysctl, struct nb_error *err)
{
	for (size_t i = 0; i < sysctl->len; i++) {
		const char *kv = sysctl->items[i], *eq = strchr(kv, '=');
		char path[512];
		int n, fd;

		if (!eq)
			continue;
		n = snprintf(path, sizeof(path), "/proc/sys/%.*s", (int)(eq - kv), kv);
		if (n < 0 || (size_t)n >= sizeof(path))
			return nb_error_set(err, ENAMETOOLONG, "sysctl '%s': name too long", kv);
		for (char *p = path + 10; *p; p++)
			if (*p == '.')
				*p = '/';
		fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0)
			return nb_error_errno(err, "sysctl '%.*s'", (int)(eq - kv), kv);
		n = (int)write(fd, eq + 1, strlen(eq + 1));
		close(fd);
		if (n < 0)
			return nb_error_errno(err, "sysctl '%s'", kv);
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

static int setup_system(const struct nb_child_ctx *ctx, struct nb_error *err)
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
		r = nb_netlink_loopback_up(err);
		if (r < 0)
			return r;
	}
	if (cfg->ns[NB_NS_MNT].mode == NB_NS_NEW) {
		r = nb_rootfs_setup(cfg, err);
		if (r < 0)
			return nb_error_prefix(err, "set up filesystem");
	}
	return apply_sysctls(&cfg->oci.sysctl, err);
}

/* OCI create: tell the parent we are ready, then block until `nsbox start`
 * opens exec.fifo for reading. The fifo was opened O_PATH before
 * pivot_root; it is reopened through /proc for writing. */
static int wait_for_start(const struct nb_child_ctx *ctx, struct nb_error *err)
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
	if (fd < 0)
		return nb_error_errno(err, "wait for start: open exec.fifo");
	r = (int)write(fd, "0", 1);
	close(fd);
	close(ctx->exec_fifo);
	if (r != 1)
		return nb_error_errno(err, "wait for start: write exec.fifo");
	return 0;
}

/* Everything between fork (or the set-up) and exec of the command. */
__attribute__((noreturn)) static void exec_command(const struct nb_child_ctx *ctx, int slave,
						   bool setgroups_denied)
{
	const struct nb_config *cfg = ctx->cfg;
	struct nb_error err = { 0 };
	sigset_t none;
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
		r = nb_creds_apply(cfg, setgroups_denied, &err);
	if (r >= 0 && chdir(cfg->cwd ? cfg->cwd : "/") < 0)
		r = nb_error_errno(&err, "--workdir '%s'", cfg->cwd ? cfg->cwd : "/");
	/* A change of credentials clears the parent-death signal: set it again. */
	if (r >= 0 && !cfg->init && cfg->pdeathsig && nb_set_pdeathsig(SIGKILL, 0) < 0)
		r = nb_error_errno(&err, "set parent-death signal");
	if (r >= 0 && ctx->exec_fifo >= 0)
		r = wait_for_start(ctx, &err);
	if (r >= 0)
		nb_exec_command(cfg, &err);
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
	memset(&msg, 0, sizeof(msg));
	msg.type = NB_SYNC_PTY;
	r = nb_sync_send(ctx->sock, &msg, master);
	if (r < 0)
		return nb_error_sys(err, -r, "--tty: send pty to nsbox");
	return 0;
}

void nb_child_main(const struct nb_child_ctx *ctx)
{
	const struct nb_config *cfg = ctx->cfg;
	struct nb_error err = { 0 };
	bool setgroups_denied = false;
	/* In a new pid namespace the kernel kills everything when its PID 1
	 * dies; otherwise the init must be told, and kill its descendants. */
	int deathsig = (cfg->init && cfg->ns[NB_NS_PID].mode != NB_NS_NEW) ? SIGRTMIN : SIGKILL;
	int slave = -1;
	pid_t cmd;

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
