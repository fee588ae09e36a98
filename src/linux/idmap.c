/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/idmap.h"
#include "base/cleanup.h"
#include "base/fileutil.h"
#include "linux/process.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* The one map an unprivileged process may write itself: its own id. */
static bool is_self_map(const struct nb_idmap *map, uint32_t self)
{
	return map->len == 1 && map->range[0].outside == self && map->range[0].count == 1;
}

static int write_map(int procfd, const char *file, const char *what,
		     const struct nb_idmap *map, struct nb_error *err)
{
	char buf[NB_IDMAP_MAX_LINES * 34];
	int len = nb_idmap_format(map, buf, sizeof(buf));
	int r;

	if (len < 0)
		return nb_error_set(err, ENOSPC, "%s: map too long", what);
	r = nb_write_file_at(procfd, file, buf, (size_t)len);
	if (r < 0) {
		buf[strcspn(buf, "\n")] = '\0';
		return nb_error_sys(err, -r, "%s: kernel refused %s ('%s'%s)", what, file, buf,
				    map->len > 1 ? " ..." : "");
	}
	return 0;
}

/* Read what a helper printed on stderr, as one line for an error message. */
static void read_helper_output(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	for (char *p = buf; *p; p++)
		if (*p == '\n')
			*p = (p[1] ? ' ' : '\0');
}

static int run_helper(const char *helper, pid_t pid, const struct nb_idmap *map,
		      const char *what, struct nb_error *err)
{
	char args[NB_IDMAP_MAX_LINES * 3 + 3][12];
	char *argv[NB_IDMAP_MAX_LINES * 3 + 4];
	char out[512];
	int pipefd[2] = { -1, -1 }, status, r, n = 0;
	posix_spawn_file_actions_t fa;
	pid_t child;

	argv[n++] = (char *)helper;
	snprintf(args[n], sizeof(args[n]), "%d", (int)pid);
	argv[n] = args[n], n++;
	for (size_t i = 0; i < map->len; i++) {
		uint32_t v[3] = { map->range[i].inside, map->range[i].outside, map->range[i].count };

		for (int k = 0; k < 3; k++, n++) {
			snprintf(args[n], sizeof(args[n]), "%" PRIu32, v[k]);
			argv[n] = args[n];
		}
	}
	argv[n] = NULL;
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return nb_error_errno(err, "%s: pipe", what);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDERR_FILENO);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	r = posix_spawnp(&child, helper, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (r != 0) {
		close(pipefd[0]);
		if (r == ENOENT)
			return nb_error_set(err, ENOENT, "%s: '%s' not found (install Debian's uidmap package)",
					    what, helper);
		return nb_error_sys(err, r, "%s: run '%s'", what, helper);
	}
	read_helper_output(pipefd[0], out, sizeof(out));
	close(pipefd[0]);
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return nb_error_errno(err, "%s: wait for '%s'", what, helper);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return nb_error_set(err, EPERM, "%s: %s refused the map: %s", what, helper,
				    out[0] ? out : "no reason given");
	return 0;
}

int nb_idmap_apply(pid_t pid, const struct nb_idmap *uids, const struct nb_idmap *gids,
		   uid_t euid, gid_t egid, bool *ret_setgroups_denied, struct nb_error *err)
{
	char path[64];
	_cleanup_close_ int procfd = -1;
	bool privileged = euid == 0;
	int r;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	procfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		return nb_error_errno(err, "open '%s'", path);
	*ret_setgroups_denied = false;
	if (privileged || is_self_map(uids, euid))
		r = write_map(procfd, "uid_map", "--map-users", uids, err);
	else
		r = run_helper("newuidmap", pid, uids, "--map-users", err);
	if (r < 0)
		return r;
	if (privileged)
		return write_map(procfd, "gid_map", "--map-groups", gids, err);
	if (is_self_map(gids, egid)) {
		/* Unprivileged: the kernel accepts a gid_map only once setgroups
		 * is denied, or a dropped group could be regained (CVE-2014-8989). */
		r = nb_write_file_at(procfd, "setgroups", "deny", 4);
		if (r < 0)
			return nb_error_sys(err, -r, "write '%s/setgroups'", path);
		*ret_setgroups_denied = true;
		return write_map(procfd, "gid_map", "--map-groups", gids, err);
	}
	return run_helper("newgidmap", pid, gids, "--map-groups", err);
}

int nb_idmap_userns_fd(const struct nb_idmap *uids, const struct nb_idmap *gids,
		       uid_t euid, gid_t egid, int *ret_fd, struct nb_error *err)
{
	char path[64];
	int pipefd[2], pidfd = -1, r;
	bool denied;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return nb_error_errno(err, "idmapped mount: pipe");
	pid = nb_clone3(CLONE_NEWUSER, &pidfd, err);
	if (pid == 0) {
		char c;

		/* Wait until the parent has what it needs, then go. */
		close(pipefd[1]);
		(void)!read(pipefd[0], &c, 1);
		_exit(0);
	}
	close(pipefd[0]);
	if (pid < 0) {
		close(pipefd[1]);
		return nb_error_prefix(err, "idmapped mount");
	}
	r = nb_idmap_apply(pid, uids, gids, euid, egid, &denied, err);
	if (r >= 0) {
		snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
		*ret_fd = open(path, O_RDONLY | O_CLOEXEC);
		if (*ret_fd < 0)
			r = nb_error_errno(err, "idmapped mount: open '%s'", path);
	}
	close(pipefd[1]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	close(pidfd);
	return r < 0 ? nb_error_prefix(err, "idmapped mount") : 0;
}

bool nb_in_initial_userns(void)
{
	static int cached = -1;
	char buf[256];
	unsigned long a, b, n;

	/* The initial namespace maps all ids onto themselves, in one line. */
	if (cached < 0)
		cached = nb_read_file_at(AT_FDCWD, "/proc/self/uid_map", buf, sizeof(buf)) > 0 &&
			 sscanf(buf, "%lu %lu %lu", &a, &b, &n) == 3 && a == 0 && b == 0 &&
			 n == 4294967295UL && strchr(buf, '\n') == strrchr(buf, '\n');
	return cached;
}
