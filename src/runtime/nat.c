/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/nat.h"
#include "base/cleanup.h"
#include "linux/procfs.h"
#include "spec/natscript.h"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_OPS (2 + 2 * NB_NET_MAX_PUBLISH * 16)

int nb_nat_helper_path(char *buf, size_t size, struct nb_error *err)
{
	const char *env = getenv("NSBOX_NAT_HELPER");
	char self[PATH_MAX];
	ssize_t n;

	if (env && env[0] == '/') {
		snprintf(buf, size, "%s", env);
		return 0;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0 && self[0] == '/') {
		char *slash;

		self[n] = '\0';
		slash = strrchr(self, '/');
		*slash = '\0';
		if ((size_t)snprintf(buf, size, "%s/" NB_NAT_HELPER, self) < size && access(buf, X_OK) == 0)
			return 0;
	}
	snprintf(buf, size, "%s/" NB_NAT_HELPER, NSBOX_BINDIR);
	if (access(buf, X_OK) == 0)
		return 0;
	return nb_error_set(err, ENOENT, "NAT helper '" NB_NAT_HELPER "' not found beside nsbox nor in %s: "
			    "--nat and --publish need it (it is built and installed with nsbox)", NSBOX_BINDIR);
}

/* Helpers that answered "ok" but had not exited yet: reaped when done, by
 * a later call, or by init after nsbox. Waiting for one would cost what
 * not waiting saves. */
static pid_t unreaped[4];

static void reap_done(bool block_if_full)
{
	size_t free_slots = 0;

	for (size_t i = 0; i < NB_ARRAY_SIZE(unreaped); i++) {
		if (unreaped[i] > 0 && waitpid(unreaped[i], NULL, WNOHANG) != 0)
			unreaped[i] = 0;
		free_slots += unreaped[i] == 0;
	}
	if (!free_slots && block_if_full) {
		while (waitpid(unreaped[0], NULL, 0) < 0 && errno == EINTR)
			;
		unreaped[0] = 0;
	}
}

static void keep_unreaped(pid_t pid)
{
	reap_done(true);
	for (size_t i = 0; i < NB_ARRAY_SIZE(unreaped); i++)
		if (unreaped[i] == 0) {
			unreaped[i] = pid;
			return;
		}
}

int nb_nat_run(char *const *ops, size_t n, struct nb_error *err)
{
	char path[PATH_MAX], msg[NB_ERROR_MSG_MAX / 2] = "";
	char *argv[MAX_OPS + 2], *envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int pipefd[2], status = 0, r;
	sigset_t none;
	size_t len = 0;
	pid_t pid;

	if (n > MAX_OPS)
		return nb_error_set(err, E2BIG, "NAT helper: too many operations");
	reap_done(false);
	r = nb_nat_helper_path(path, sizeof(path), err);
	if (r < 0)
		return r;
	argv[0] = (char *)NB_NAT_HELPER;
	for (size_t i = 0; i < n; i++)
		argv[i + 1] = ops[i];
	argv[n + 1] = NULL;
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return nb_error_errno(err, "NAT helper: pipe");
	/* Its stderr is the error's text; no signal of ours stays blocked. */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	r = posix_spawn(&pid, path, &fa, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(pipefd[1]);
	if (r != 0) {
		close(pipefd[0]);
		return nb_error_sys(err, r, "NAT helper '%s'", path);
	}
	for (;;) {
		ssize_t k = read(pipefd[0], msg + len, sizeof(msg) - 1 - len);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		len += (size_t)k;
		if (len == sizeof(msg) - 1) {
			char sink[256];

			while (read(pipefd[0], sink, sizeof(sink)) > 0)
				;
			break;
		}
	}
	close(pipefd[0]);
	msg[len] = '\0';
	/* "ok" then EOF: the change is in. The helper may still be closing
	 * its nftables socket (the kernel takes ~10 ms there): reap it if it
	 * is done, else leave it for later (a zombie until nsbox ends). */
	if (strcmp(msg, "ok\n") == 0) {
		pid_t got;

		while ((got = waitpid(pid, &status, WNOHANG)) < 0 && errno == EINTR)
			;
		if (got == 0)
			keep_unreaped(pid);
		return 0;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return nb_error_errno(err, "NAT helper: wait");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return nb_error_set(err, EIO, "NAT helper: no answer");
	while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		msg[--len] = '\0';
	for (char *p = msg; *p; p++)
		if (*p == '\n')
			*p = ' ';
	return nb_error_set(err, EIO, "NAT helper failed (%s %d)%s%s",
			    WIFEXITED(status) ? "status" : "signal",
			    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), len ? ": " : "", msg);
}

bool nb_lease_uses_nat(const struct nb_lease *l)
{
	return l->nat || l->n_publish;
}

bool nb_lease_needs_forwarding(const struct nb_lease *l)
{
	if (l->nat)
		return true;
	for (size_t i = 0; i < l->n_publish; i++)
		if (!nb_ip4_is_loopback(l->publish[i].host_addr))
			return true;
	return false;
}

/* The element words of L, added or deleted, appended to OPS. */
static size_t lease_ops(const struct nb_lease *l, bool add, char (*ops)[NB_NAT_OP_MAX], size_t k)
{
	struct nb_nat_op op = { .add = add, .addr = l->addr };

	if (l->nat && k < MAX_OPS) {
		op.kind = NB_NAT_MASQ;
		nb_nat_op_format(&op, ops[k++]);
	}
	for (size_t i = 0; i < l->n_publish && k < MAX_OPS; i++) {
		op.kind = NB_NAT_PUBLISH;
		op.pub = l->publish[i];
		nb_nat_op_format(&op, ops[k++]);
	}
	return k;
}

static int run_words(char (*ops)[NB_NAT_OP_MAX], size_t k, struct nb_error *err)
{
	char *argv[MAX_OPS];

	for (size_t i = 0; i < k; i++)
		argv[i] = ops[i];
	return nb_nat_run(argv, k, err);
}

/* ---- sysctls, through nsbox's verified procfs ---- */

static int write_sysctl(const char *rel, int value, struct nb_error *err)
{
	_cleanup_close_ int procfd = -1;
	int r = nb_procfs_open("/proc", &procfd, err);

	if (r < 0)
		return r;
	r = nb_procfs_write(procfd, rel, value ? "1\n" : "0\n", 2);
	if (r < 0)
		return nb_error_sys(err, -r, "write /proc/%s", rel);
	return 0;
}

static int read_sysctl(const char *rel, int *ret, struct nb_error *err)
{
	_cleanup_close_ int procfd = -1;
	char buf[16];
	ssize_t n;
	int r = nb_procfs_open("/proc", &procfd, err);

	if (r < 0)
		return r;
	n = nb_procfs_read(procfd, rel, buf, sizeof(buf));
	if (n < 0)
		return nb_error_sys(err, (int)-n, "read /proc/%s", rel);
	*ret = buf[0] == '1';
	return 0;
}

#define IP_FORWARD "sys/net/ipv4/ip_forward"

static int forward_on(struct nb_netstore *ns, struct nb_error *err)
{
	int saved, now = 0, r = nb_netstore_forward_saved(ns, &saved, err);

	if (r >= 0)
		r = read_sysctl(IP_FORWARD, &now, err);
	if (r < 0 || now)
		return r;   /* on already: by us (saved), or by someone else (then not ours to undo) */
	/* The old value first: a kill right after the write still restores. */
	if (saved < 0)
		r = nb_netstore_forward_save(ns, 0, err);
	if (r >= 0)
		r = write_sysctl(IP_FORWARD, 1, err);
	return r;
}

static int forward_restore(struct nb_netstore *ns, struct nb_error *err)
{
	int saved, r = nb_netstore_forward_saved(ns, &saved, err);

	if (r < 0 || saved < 0)
		return r;
	r = write_sysctl(IP_FORWARD, saved, err);
	if (r >= 0)
		r = nb_netstore_forward_forget(ns, err);
	return r;
}

static int route_localnet(const char *bridge, bool on, struct nb_error *err)
{
	char rel[96];

	snprintf(rel, sizeof(rel), "sys/net/ipv4/conf/%s/route_localnet", bridge);
	return write_sysctl(rel, on, err);
}

static bool network_publishes(const char *network, const struct nb_lease *leases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (leases[i].n_publish && strcmp(leases[i].network, network) == 0)
			return true;
	return false;
}

static bool any(const struct nb_lease *leases, size_t n, bool (*pred)(const struct nb_lease *))
{
	for (size_t i = 0; i < n; i++)
		if (pred(&leases[i]))
			return true;
	return false;
}

int nb_nat_reconcile(struct nb_netstore *ns, const struct nb_lease *live, size_t n, struct nb_error *err)
{
	char (*ops)[NB_NAT_OP_MAX] = malloc(sizeof(*ops) * MAX_OPS);
	size_t k = 0;
	int r;

	if (!ops)
		return nb_error_set(err, ENOMEM, "out of memory");
	strcpy(ops[k++], any(live, n, nb_lease_uses_nat) ? "table" : "drop");
	for (size_t i = 0; i < n; i++)
		if (nb_lease_uses_nat(&live[i]))
			k = lease_ops(&live[i], true, ops, k);
	r = run_words(ops, k, err);
	free(ops);
	if (r >= 0 && !any(live, n, nb_lease_needs_forwarding))
		r = forward_restore(ns, err);
	if (r >= 0) {
		/* route_localnet where a live lease publishes, and nowhere else. */
		struct nb_network *nets = NULL;
		size_t n_nets = 0;
		struct nb_error ignored;

		if (nb_netstore_networks(ns, &nets, &n_nets, &ignored) >= 0)
			for (size_t i = 0; i < n_nets; i++)
				route_localnet(nets[i].name, network_publishes(nets[i].name, live, n), &ignored);
		free(nets);
	}
	return r;
}

int nb_nat_update(struct nb_netstore *ns, const struct nb_lease *self, bool add,
		  const struct nb_lease *others, size_t n, struct nb_error *err)
{
	char (*ops)[NB_NAT_OP_MAX] = malloc(sizeof(*ops) * MAX_OPS);
	bool first = !any(others, n, nb_lease_uses_nat);
	size_t k = 0;
	int r;

	if (!ops)
		return nb_error_set(err, ENOMEM, "out of memory");
	if (add) {
		if (first)
			strcpy(ops[k++], "table");
		k = lease_ops(self, true, ops, k);
	} else if (first) {
		strcpy(ops[k++], "drop");
	} else {
		k = lease_ops(self, false, ops, k);
	}
	r = run_words(ops, k, err);
	free(ops);
	if (r < 0 && !first) {
		/* Our elements or the table were not as recorded (someone
		 * flushed it?): make it again from the leases. */
		struct nb_lease *all = malloc((n + 1) * sizeof(*all));
		struct nb_error again = { 0 };

		if (!all)
			return r;
		memcpy(all, others, n * sizeof(*all));
		if (add)
			all[n] = *self;
		if (nb_nat_reconcile(ns, all, n + (add ? 1 : 0), &again) >= 0)
			r = 0;
		free(all);
	}
	if (r < 0)
		return r;
	if (add && nb_lease_needs_forwarding(self))
		r = forward_on(ns, err);
	if (!add && !any(others, n, nb_lease_needs_forwarding))
		r = forward_restore(ns, err);
	if (r >= 0 && self->n_publish && (add || !network_publishes(self->network, others, n)))
		r = route_localnet(self->network, add, err);
	return r;
}
