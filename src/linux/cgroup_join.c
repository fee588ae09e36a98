/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cgroup_join.c: joining cgroups by the joining process itself:
 * nb_cgroup_join_like() (`exec`) and nb_cgroup_selfjoin (the sandbox's
 * first process on v1 and hybrid hosts); declared in cgroup.h. */
#include "linux/cgroup.h"
#include "base/cleanup.h"
#include "base/fileutil.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The directory of one /proc/PID/cgroup line's hierarchy: v2 ("0::") is at
 * /sys/fs/cgroup/unified on hybrid hosts, else /sys/fs/cgroup; a v1 line
 * names its controllers ("4:cpu,cpuacct:"), mounted as one directory or,
 * here, as the first of them; "name=systemd" is /sys/fs/cgroup/systemd. */
static int hierarchy_dir(const char *controllers, char *buf, size_t size)
{
	struct stat st;
	char first[64];

	if (controllers[0] == '\0') {
		snprintf(buf, size, "/sys/fs/cgroup/unified");
		if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
			return 0;
		snprintf(buf, size, "/sys/fs/cgroup");
		return 0;
	}
	if (strncmp(controllers, "name=", 5) == 0)
		controllers += 5;
	snprintf(buf, size, "/sys/fs/cgroup/%s", controllers);
	if (stat(buf, &st) == 0)
		return 0;
	snprintf(first, sizeof(first), "%.*s", (int)strcspn(controllers, ","), controllers);
	snprintf(buf, size, "/sys/fs/cgroup/%s", first);
	return stat(buf, &st) == 0 ? 0 : -ENOENT;
}

/* A v1 hierarchy takes our own thread by "0" in its tasks file (see
 * nb_cgroup_selfjoin), when SELF is us; cgroup2 takes the whole process. */
static int join_one(const char *line, pid_t self, struct nb_error *err)
{
	char controllers[256], dir[512], path[4096], pid[32];
	const char *a = strchr(line, ':'), *b = a ? strchr(a + 1, ':') : NULL;
	bool own_thread;
	int n, r;

	if (!a || !b || (size_t)(b - a - 1) >= sizeof(controllers))
		return 0;
	snprintf(controllers, sizeof(controllers), "%.*s", (int)(b - a - 1), a + 1);
	if (hierarchy_dir(controllers, dir, sizeof(dir)) < 0)
		return 0;
	own_thread = controllers[0] != '\0' && self == getpid();
	n = snprintf(path, sizeof(path), "%s%s/%s", dir, b + 1, own_thread ? "tasks" : "cgroup.procs");
	if (n < 0 || (size_t)n >= sizeof(path))
		return nb_error_set(err, ENAMETOOLONG, "cgroup '%s': path too long", b + 1);
	n = snprintf(pid, sizeof(pid), "%d", own_thread ? 0 : (int)self);
	r = nb_write_file_at(AT_FDCWD, path, pid, (size_t)n);
	/* ENOENT: not mounted the way we look for it. EACCES, EPERM, EROFS: a
	 * cgroup we may not write, as a rootless engine's nsbox in a tree it
	 * was not delegated: stay where we are, as runc does rootless. */
	if (r == -ENOENT || r == -EACCES || r == -EPERM || r == -EROFS)
		return 0;
	if (r < 0)
		return nb_error_sys(err, -r, "join cgroup '%s'", path);
	return 0;
}

/* Is LINE of the target's /proc/PID/cgroup also in ours (MINE)? */
static bool in_cgroup_already(const char *line, const char *mine)
{
	size_t len = strlen(line);

	for (const char *p = mine; (p = strstr(p, line)); p += len)
		if ((p == mine || p[-1] == '\n') && (p[len] == '\n' || p[len] == '\0'))
			return true;
	return false;
}

int nb_cgroup_join_like(pid_t target, pid_t self, struct nb_error *err)
{
	char path[64], buf[8192], mine[8192];
	ssize_t n;
	char *save = NULL;

	if (nb_read_file_at(AT_FDCWD, "/proc/self/cgroup", mine, sizeof(mine)) < 0)
		mine[0] = '\0';

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)target);
	n = nb_read_file_at(AT_FDCWD, path, buf, sizeof(buf));
	if (n < 0)
		return nb_error_sys(err, (int)-n, "read '%s'", path);
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int r = in_cgroup_already(line, mine) ? 0 : join_one(line, self, err);

		if (r < 0)
			return r;
	}
	return 0;
}

void nb_cgroup_selfjoin_init(struct nb_cgroup_selfjoin *j)
{
	j->n = 0;
	j->path = NULL;
}

void nb_cgroup_selfjoin_close(struct nb_cgroup_selfjoin *j)
{
	for (int i = 0; i < j->n; i++)
		close(j->fd[i]);
	j->n = 0;
}

int nb_cgroup_selfjoin_open(const struct nb_cgroup *cg, struct nb_cgroup_selfjoin *j,
			    struct nb_error *err)
{
	nb_cgroup_selfjoin_init(j);
	j->path = cg->path;
	for (int c = 0; c < NB_CG_COUNT; c++) {
		int fd = cg->fd[c], d;

		if (fd < 0 || fd == cg->v2fd)
			continue;
		for (d = 0; d < c && cg->fd[d] != fd; d++)
			;
		if (d < c)
			continue;   /* that hierarchy has its file */
		j->fd[j->n] = openat(fd, "tasks", O_WRONLY | O_CLOEXEC | O_NOCTTY);
		if (j->fd[j->n] < 0) {
			int r = nb_error_errno(err, "cgroup: open '%s' (%s) to join it", cg->path,
					       nb_cg_controller_name((enum nb_cg_controller)c, true));

			nb_cgroup_selfjoin_close(j);
			return r;
		}
		j->ctrl[j->n++] = c;
	}
	if (cg->named_fd >= 0) {
		j->fd[j->n] = openat(cg->named_fd, "tasks", O_WRONLY | O_CLOEXEC | O_NOCTTY);
		if (j->fd[j->n] < 0) {
			int r = nb_error_errno(err, "cgroup: open '%s' (name=systemd) to join it", cg->path);

			nb_cgroup_selfjoin_close(j);
			return r;
		}
		j->ctrl[j->n++] = NB_CG_COUNT;
	}
	return 0;
}

int nb_cgroup_selfjoin(struct nb_cgroup_selfjoin *j, struct nb_error *err)
{
	int r = 0;

	for (int i = 0; i < j->n && r >= 0; i++)
		if (write(j->fd[i], "0", 1) != 1)
			r = nb_error_errno(err, "cgroup: move into '%s' (%s)", j->path ? j->path : "?",
					   j->ctrl[i] == NB_CG_COUNT ? "name=systemd" :
					   nb_cg_controller_name((enum nb_cg_controller)j->ctrl[i], true));
	nb_cgroup_selfjoin_close(j);
	return r;
}
