/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/notify.h"
#include "base/cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define SOCK_NAME "notify.sock"

const char *nb_notify_host(void)
{
	const char *s = getenv("NOTIFY_SOCKET");

	if (!s || (s[0] != '/' && s[0] != '@') || strlen(s) >= sizeof(((struct sockaddr_un *)0)->sun_path))
		return NULL;
	return s;
}

int nb_notify_plan(struct nb_config *cfg, const char *root, const char *id, struct nb_error *err)
{
	struct nb_mount m = { .kind = NB_MOUNT_BIND, .dest = (char *)NB_NOTIFY_MOUNT,
			      .flags = NB_MNT_RDONLY | NB_MNT_NOSUID | NB_MNT_NODEV | NB_MNT_NOEXEC };
	char dir[PATH_MAX], cwd[PATH_MAX] = "";
	int r;

	/* The bind's source is a path: make it absolute (--root may not be;
	 * it may not exist yet either). */
	if (root[0] != '/' && !getcwd(cwd, sizeof(cwd)))
		return nb_error_errno(err, "NOTIFY_SOCKET: current directory");
	r = snprintf(dir, sizeof(dir), "%s%s%s/%s/%s", cwd, cwd[0] ? "/" : "", root, id, NB_NOTIFY_DIR);
	if (r < 0 || (size_t)r >= sizeof(dir))
		return nb_error_set(err, ENAMETOOLONG, "NOTIFY_SOCKET: state directory too long");
	m.source = dir;
	r = nb_config_add_mount(cfg, &m, err);
	if (r >= 0 && nb_strv_setenv(&cfg->env, "NOTIFY_SOCKET=" NB_NOTIFY_SOCKET) < 0)
		r = nb_error_set(err, ENOMEM, "out of memory");
	if (r >= 0 && !(cfg->oci.notify_dir = strdup(dir)))
		r = nb_error_set(err, ENOMEM, "out of memory");
	return r;
}

static socklen_t make_addr(const char *path, struct sockaddr_un *a)
{
	size_t len = strlen(path);

	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	memcpy(a->sun_path, path, len);
	if (path[0] == '@')
		a->sun_path[0] = '\0';   /* the abstract namespace */
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (path[0] != '@'));
}

int nb_notify_listen(int state_dirfd, int *ret_fd, struct nb_error *err)
{
	_cleanup_close_ int dir = openat(state_dirfd, NB_NOTIFY_DIR, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	_cleanup_close_ int sock = -1;
	struct sockaddr_un a;
	char path[64];

	*ret_fd = -1;
	if (dir < 0)
		return errno == ENOENT ? 0 : nb_error_errno(err, "NOTIFY_SOCKET: open '%s'", NB_NOTIFY_DIR);
	sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (sock < 0)
		return nb_error_errno(err, "NOTIFY_SOCKET: socket");
	/* Bound by a path through the directory's fd: nothing in the way can
	 * be swapped for a symlink. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d/" SOCK_NAME, dir);
	unlinkat(dir, SOCK_NAME, 0);
	if (bind(sock, (struct sockaddr *)&a, make_addr(path, &a)) < 0)
		return nb_error_errno(err, "NOTIFY_SOCKET: bind");
	/* Whoever the container's process is, it may write to it; the
	 * directory (0700 state dir above, read-only bind inside) guards it. */
	if (fchmodat(dir, SOCK_NAME, 0777, 0) < 0)
		return nb_error_errno(err, "NOTIFY_SOCKET: chmod");
	*ret_fd = TAKE_FD(sock);
	return 0;
}

static int send_to(const char *host, const char *buf, size_t len)
{
	_cleanup_close_ int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un a;
	socklen_t alen = make_addr(host, &a);

	if (s < 0)
		return -errno;
	return sendto(s, buf, len, MSG_NOSIGNAL, (struct sockaddr *)&a, alen) < 0 ? -errno : 0;
}

int nb_notify_forward(int sock, const char *host, pid_t pid)
{
	char buf[4096], mainpid[32];
	ssize_t n = recv(sock, buf, sizeof(buf) - 1, 0);
	bool ready;

	if (n < 0)
		return errno == EAGAIN ? 0 : -errno;
	buf[n] = '\0';
	ready = strstr(buf, "READY=1") != NULL;
	if (ready) {
		int len = snprintf(mainpid, sizeof(mainpid), "MAINPID=%d", (int)pid);
		int r = send_to(host, mainpid, (size_t)len);

		if (r < 0)
			return r;
	}
	n = send_to(host, buf, (size_t)n);
	return n < 0 ? (int)n : ready;
}

int nb_notify_until_ready(int sock, const char *host, int pidfd, pid_t pid, struct nb_error *err)
{
	struct pollfd p[2] = { { .fd = sock, .events = POLLIN }, { .fd = pidfd, .events = POLLIN } };

	for (;;) {
		int r = poll(p, 2, -1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return nb_error_errno(err, "NOTIFY_SOCKET: poll");
		if (p[0].revents) {
			r = nb_notify_forward(sock, host, pid);
			if (r < 0)
				return nb_error_sys(err, -r, "NOTIFY_SOCKET: forward to '%s'", host);
			if (r > 0)
				return 0;
			continue;
		}
		if (p[1].revents)
			return 0;   /* the process ended before it was ready */
	}
}
