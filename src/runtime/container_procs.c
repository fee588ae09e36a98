/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/container_procs.h"
#include "base/cleanup.h"
#include "linux/cgroup.h"
#include "linux/namespaces.h"
#include "linux/process.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define KILL_TIMEOUT_MS 10000

static bool same_pidns(pid_t pid, const struct stat *ns)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
	return stat(path, &st) == 0 && st.st_ino == ns->st_ino && st.st_dev == ns->st_dev;
}

int nb_procs_pidns_members(const struct nb_state *st, pid_t **ret, size_t *ret_n, struct nb_error *err)
{
	char path[64];
	struct stat ns;
	struct dirent *de;
	pid_t *pids = NULL;
	size_t n = 0;
	DIR *d;

	/* The namespace of the process we can look at (runtime/state.h). */
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)(st->ns_pid > 0 ? st->ns_pid : st->pid));
	if (stat(path, &ns) < 0 && (st->ns_pid <= 0 ||
				    (snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)st->pid), stat(path, &ns) < 0)))
		return nb_error_errno(err, "container '%s': pid namespace", st->id);
	d = opendir("/proc");
	if (!d)
		return nb_error_errno(err, "read /proc");
	while ((de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		pid_t *grown;

		/* The container's own process is a member, even where its
		 * namespace cannot be read (a non-dumpable init, rootless). */
		if (*end || pid <= 0 || (pid != st->pid && !same_pidns((pid_t)pid, &ns)))
			continue;
		grown = realloc(pids, (n + 1) * sizeof(*pids));
		if (!grown) {
			closedir(d);
			free(pids);
			return nb_error_set(err, ENOMEM, "out of memory");
		}
		pids = grown;
		pids[n++] = (pid_t)pid;
	}
	closedir(d);
	*ret = pids;
	*ret_n = n;
	return 0;
}

/* The container's cgroup, if it has one still: 1 (open in CG), or 0. */
static int open_cgroup(const struct nb_state *st, struct nb_cgroup *cg, struct nb_error *err)
{
	int r;

	struct nb_error e = { 0 };

	nb_cgroup_init(cg);
	if (!st->cgroup)
		return 0;
	r = nb_cgroup_open(cg, st->cgroup, &e);
	if (r == -ENOENT)
		return 0;   /* not an error: ERR keeps what it held */
	if (r < 0)
		*err = e;
	return r < 0 ? r : 1;
}

int nb_procs_list(const struct nb_state *st, pid_t **ret, size_t *ret_n, struct nb_error *err)
{
	_cleanup_close_ int pidfd = -1;
	struct nb_cgroup cg;
	int r;

	*ret = NULL;
	*ret_n = 0;
	if (nb_state_pidfd(st, &pidfd) < 0)
		return 0;   /* stopped: no process */
	r = open_cgroup(st, &cg, err);
	if (r > 0) {
		r = nb_cgroup_pids(&cg, ret, ret_n, err);
		nb_cgroup_close(&cg);
		return r;
	}
	if (r < 0)
		return r;
	if (st->own_pidns)
		return nb_procs_pidns_members(st, ret, ret_n, err);
	*ret = malloc(sizeof(pid_t));
	if (!*ret)
		return nb_error_set(err, ENOMEM, "out of memory");
	**ret = st->pid;
	*ret_n = 1;
	return 0;
}

static int signal_cgroup(const struct nb_cgroup *cg, int sig, struct nb_error *err)
{
	_cleanup_free_ pid_t *pids = NULL;
	struct nb_error ignored;
	size_t n = 0;
	bool frozen;
	int r;

	if (sig == SIGKILL)
		return nb_cgroup_kill(cg, err);
	/* Signal 0 sends nothing: no need to hold the cgroup still. */
	frozen = sig != 0 && nb_cgroup_freeze(cg, true, &ignored) == 0;
	r = nb_cgroup_pids(cg, &pids, &n, err);
	for (size_t i = 0; r >= 0 && i < n; i++)
		kill(pids[i], sig);
	if (frozen)
		nb_cgroup_freeze(cg, false, &ignored);
	return r;
}

int nb_procs_kill_all(const struct nb_state *st, int sig, struct nb_error *err)
{
	_cleanup_free_ pid_t *pids = NULL;
	struct nb_cgroup cg;
	size_t n = 0;
	int r = open_cgroup(st, &cg, err);

	if (r > 0) {
		r = signal_cgroup(&cg, sig, err);
		nb_cgroup_close(&cg);
		return r;
	}
	if (r < 0 || !st->own_pidns)
		return r;   /* without its own pid namespace only its process is known */
	r = nb_procs_pidns_members(st, &pids, &n, err);
	for (size_t i = 0; r >= 0 && i < n; i++)
		kill(pids[i], sig);
	return r;
}

int nb_procs_kill_left(const struct nb_state *st, int sig, struct nb_error *err)
{
	struct nb_cgroup cg;
	int r = open_cgroup(st, &cg, err);

	if (r <= 0)
		return r;
	r = signal_cgroup(&cg, sig, err);
	nb_cgroup_close(&cg);
	if (r < 0)
		return nb_error_prefix(err, "container '%s'", st->id);
	return 0;
}

int nb_procs_end_cgroup(const struct nb_state *st, struct nb_error *err)
{
	struct nb_cgroup cg;
	int r = open_cgroup(st, &cg, err);

	if (r <= 0)
		return r;
	r = nb_cgroup_kill(&cg, err);
	if (r >= 0)
		r = nb_cgroup_destroy(&cg, err);
	nb_cgroup_close(&cg);
	if (r < 0)
		return nb_error_prefix(err, "container '%s'", st->id);
	return 0;
}

int nb_procs_kill_wait(const struct nb_state *st, struct nb_error *err)
{
	_cleanup_close_ int pidfd = -1;
	struct pollfd p;
	int r;

	if (nb_state_pidfd(st, &pidfd) < 0)
		return 0;
	r = nb_procs_kill_all(st, SIGKILL, err);
	if (r < 0)
		return r;
	nb_pidfd_signal(pidfd, SIGKILL);
	p = (struct pollfd){ .fd = pidfd, .events = POLLIN };
	/* The pidfd turns readable at exit, even if no one has reaped it yet. */
	do
		r = poll(&p, 1, KILL_TIMEOUT_MS);
	while (r < 0 && errno == EINTR);
	if (r <= 0)
		return nb_error_set(err, ETIMEDOUT, "container '%s' did not die after SIGKILL", st->id);
	return 0;
}

int nb_procs_differing_namespaces(pid_t pid)
{
	static const struct { const char *name; enum nb_ns_type type; } ns[] = {
		{ "user", NB_NS_USER }, { "mnt", NB_NS_MNT }, { "pid", NB_NS_PID },
		{ "uts", NB_NS_UTS }, { "ipc", NB_NS_IPC }, { "net", NB_NS_NET },
		{ "cgroup", NB_NS_CGROUP }, { "time", NB_NS_TIME },
	};
	int flags = 0;

	for (size_t i = 0; i < NB_ARRAY_SIZE(ns); i++) {
		char mine[64], theirs[64];
		struct stat a, b;

		snprintf(mine, sizeof(mine), "/proc/self/ns/%s", ns[i].name);
		snprintf(theirs, sizeof(theirs), "/proc/%d/ns/%s", (int)pid, ns[i].name);
		if (stat(mine, &a) == 0 && stat(theirs, &b) == 0 && a.st_ino != b.st_ino)
			flags |= nb_ns_clone_flag(ns[i].type);
	}
	return flags;
}
