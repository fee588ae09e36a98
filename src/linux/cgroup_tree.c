/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/cgroup_tree.h"
#include "base/cleanup.h"
#include "base/fileutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TREE_DEPTH_MAX 64
#define PROCS_MAX ((size_t)64 << 20)

static int add_pid(pid_t **pids, size_t *n, pid_t pid)
{
	pid_t *grown;

	for (size_t i = 0; i < *n; i++)
		if ((*pids)[i] == pid)
			return 0;
	grown = realloc(*pids, (*n + 1) * sizeof(**pids));
	if (!grown)
		return -ENOMEM;
	*pids = grown;
	(*pids)[(*n)++] = pid;
	return 0;
}

static int tree_pids(int dirfd, pid_t **pids, size_t *n, int depth)
{
	_cleanup_free_ char *buf = NULL;
	struct dirent *de;
	size_t len = 0;
	DIR *d;
	int r = nb_read_file_alloc_at(dirfd, "cgroup.procs", PROCS_MAX, &buf, &len);

	if (r == -ENOENT)
		return 0;   /* removed meanwhile */
	if (r < 0)
		return r;
	for (char *p = buf; r >= 0 && p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		r = add_pid(pids, n, (pid_t)strtol(p, NULL, 10));
	if (r < 0 || depth >= TREE_DEPTH_MAX)
		return r;
	d = fdopendir(openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	if (!d)
		return -errno;
	while (r >= 0 && (de = readdir(d))) {
		_cleanup_close_ int child = -1;

		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		child = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (child >= 0)
			r = tree_pids(child, pids, n, depth + 1);
	}
	closedir(d);
	return r;
}

int nb_cg_tree_pids(int dirfd, pid_t **pids, size_t *n)
{
	return tree_pids(dirfd, pids, n, 0);
}

static long elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

static int rmdir_wait(int parent, const char *name, int wait_ms)
{
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (unlinkat(parent, name, AT_REMOVEDIR) < 0) {
		if (errno == ENOENT)
			return 0;
		if (errno != EBUSY || elapsed_ms(&start) > wait_ms)
			return -errno;
		usleep(10000);
	}
	return 0;
}

static int tree_remove(int parent, const char *name, int wait_ms, int depth)
{
	_cleanup_close_ int dir = -1;
	struct dirent *de;
	DIR *d;
	int r = 0;

	/* Most cgroups have none below: try the rmdir first. */
	if (unlinkat(parent, name, AT_REMOVEDIR) == 0 || errno == ENOENT)
		return 0;
	if (errno != EBUSY && errno != ENOTEMPTY)
		return -errno;
	dir = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (dir < 0)
		return errno == ENOENT ? 0 : -errno;
	if (depth < TREE_DEPTH_MAX) {
		d = fdopendir(openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
		if (!d)
			return -errno;
		while (r >= 0 && (de = readdir(d)))
			if (de->d_type == DT_DIR && de->d_name[0] != '.')
				r = tree_remove(dir, de->d_name, wait_ms, depth + 1);
		closedir(d);
	}
	return r < 0 ? r : rmdir_wait(parent, name, wait_ms);
}

int nb_cg_tree_remove(int parent, const char *name, int wait_ms)
{
	return tree_remove(parent, name, wait_ms, 0);
}
