/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cgroup_kill.c: freezing, listing and killing a sandbox's cgroup
 * (nb_cgroup_freeze, nb_cgroup_frozen, nb_cgroup_pids, nb_cgroup_kill;
 * declared in cgroup.h). */
#include "linux/cgroup.h"
#include "linux/cgroup_tree.h"
#include "base/cleanup.h"
#include "base/fileutil.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define KILL_WAIT_MS 10000
#define FREEZE_WAIT_MS 10000

static long elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

/* Wait (bounded) until FILE of DIR reads a line "KEY VALUE". */
static int wait_event(int dir, const char *key, const char *value, int timeout_ms)
{
	char want[64], buf[512];
	struct timespec start;

	snprintf(want, sizeof(want), "%s %s\n", key, value);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		_cleanup_close_ int fd = openat(dir, "cgroup.events", O_RDONLY | O_CLOEXEC);
		struct pollfd p = { .fd = fd, .events = POLLPRI };
		ssize_t n;

		if (fd < 0)
			return -errno;
		n = read(fd, buf, sizeof(buf) - 1);
		if (n < 0)
			return -errno;
		buf[n] = '\0';
		for (const char *at = strstr(buf, want); at; at = strstr(at + 1, want))
			if (at == buf || at[-1] == '\n')
				return 0;
		if (elapsed_ms(&start) > timeout_ms)
			return -ETIMEDOUT;
		/* cgroup.events notifies by POLLPRI; poll a little anyway. */
		poll(&p, 1, 20);
	}
}

/* v1 freezer.state until it reads WANT. */
static int v1_freeze(int dir, bool frozen)
{
	const char *want = frozen ? "FROZEN" : "THAWED";
	struct timespec start;
	int r = nb_write_file_at(dir, "freezer.state", want, strlen(want));

	if (r < 0)
		return r;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		char buf[32];

		if (nb_read_file_at(dir, "freezer.state", buf, sizeof(buf)) > 0 && strncmp(buf, want, strlen(want)) == 0)
			return 0;
		if (elapsed_ms(&start) > FREEZE_WAIT_MS)
			return -ETIMEDOUT;
		/* FREEZING: write again, as runc does, until it settles. */
		nb_write_file_at(dir, "freezer.state", want, strlen(want));
		usleep(1000);
	}
}

int nb_cgroup_freeze(const struct nb_cgroup *cg, bool frozen, struct nb_error *err)
{
	int r;

	if (!cg->on_v2[NB_CG_FREEZER] && cg->fd[NB_CG_FREEZER] >= 0)
		r = v1_freeze(cg->fd[NB_CG_FREEZER], frozen);
	else if (cg->v2fd >= 0 && (r = nb_write_file_at(cg->v2fd, "cgroup.freeze", frozen ? "1" : "0", 1)) >= 0)
		r = wait_event(cg->v2fd, "frozen", frozen ? "1" : "0", FREEZE_WAIT_MS);
	else if (cg->v2fd < 0)
		r = -EOPNOTSUPP;
	if (r < 0)
		return nb_error_sys(err, -r, "cgroup '%s': %s", cg->path, frozen ? "freeze" : "thaw");
	return 0;
}

bool nb_cgroup_frozen(const struct nb_cgroup *cg)
{
	char buf[512];

	if (!cg->on_v2[NB_CG_FREEZER] && cg->fd[NB_CG_FREEZER] >= 0)
		return nb_read_file_at(cg->fd[NB_CG_FREEZER], "freezer.state", buf, sizeof(buf)) > 0 &&
		       strncmp(buf, "FROZEN", 6) == 0;
	return cg->v2fd >= 0 && nb_read_file_at(cg->v2fd, "cgroup.events", buf, sizeof(buf)) > 0 &&
	       strstr(buf, "frozen 1") != NULL;
}

int nb_cgroup_pids(const struct nb_cgroup *cg, pid_t **ret, size_t *ret_n, struct nb_error *err)
{
	pid_t *pids = NULL;
	size_t n = 0;
	int r = 0, any = 0;

	/* Every hierarchy: what the container made below its leaf may be in
	 * one only. */
	if (cg->v2fd >= 0) {
		r = nb_cg_tree_pids(cg->v2fd, &pids, &n);
		any = 1;
	}
	for (int c = 0; r >= 0 && c < NB_CG_COUNT; c++) {
		int d;

		if (cg->fd[c] < 0 || cg->fd[c] == cg->v2fd)
			continue;
		for (d = 0; d < c && cg->fd[d] != cg->fd[c]; d++)
			;
		if (d == c)
			r = nb_cg_tree_pids(cg->fd[c], &pids, &n);
		any = 1;
	}
	if (r < 0 || !any) {
		free(pids);
		if (!any)
			return nb_error_set(err, ENOENT, "cgroup '%s': not open", cg->path);
		return nb_error_sys(err, -r, "cgroup '%s': read cgroup.procs", cg->path);
	}
	*ret = pids;
	*ret_n = n;
	return 0;
}

/* v1: freeze, so that nothing forks meanwhile; kill each; thaw. */
static int v1_kill(const struct nb_cgroup *cg, struct nb_error *err)
{
	bool freezer = cg->fd[NB_CG_FREEZER] >= 0 && !cg->on_v2[NB_CG_FREEZER];
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		_cleanup_free_ pid_t *pids = NULL;
		size_t n = 0;
		int r;

		if (freezer && v1_freeze(cg->fd[NB_CG_FREEZER], true) < 0)
			freezer = false;
		r = nb_cgroup_pids(cg, &pids, &n, err);
		if (r < 0)
			return r;
		for (size_t i = 0; i < n; i++)
			kill(pids[i], SIGKILL);
		if (freezer)
			v1_freeze(cg->fd[NB_CG_FREEZER], false);
		if (n == 0)
			return 0;
		if (elapsed_ms(&start) > KILL_WAIT_MS)
			return nb_error_set(err, ETIMEDOUT, "cgroup '%s': processes left after SIGKILL", cg->path);
		usleep(2000);
	}
}

int nb_cgroup_kill(const struct nb_cgroup *cg, struct nb_error *err)
{
	int r;

	if (cg->v2fd < 0)
		return v1_kill(cg, err);
	r = nb_write_file_at(cg->v2fd, "cgroup.kill", "1", 1);
	if (r == -ENOENT)   /* before Linux 5.14 */
		return v1_kill(cg, err);
	/* A v1 freezer holds killed processes until thawed (v2's lets them die). */
	if (r >= 0 && !cg->on_v2[NB_CG_FREEZER] && cg->fd[NB_CG_FREEZER] >= 0)
		v1_freeze(cg->fd[NB_CG_FREEZER], false);
	if (r >= 0)
		r = wait_event(cg->v2fd, "populated", "0", KILL_WAIT_MS);
	if (r < 0)
		return nb_error_sys(err, -r, "cgroup '%s': kill", cg->path);
	return 0;
}
