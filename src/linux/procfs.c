/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/procfs.h"
#include "base/cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdbool.h>
#include <stdint.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PROC_ROOT_INO 1

static bool on_procfs(int fd)
{
	struct statfs sfs;

	return fstatfs(fd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC;
}

int nb_procfs_open(const char *path, int *ret_fd, struct nb_error *err)
{
	_cleanup_close_ int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return nb_error_errno(err, "open '%s'", path);
	if (!on_procfs(fd) || fstat(fd, &st) < 0 || st.st_ino != PROC_ROOT_INO)
		return nb_error_set(err, EXDEV, "'%s' is not the root of a procfs", path);
	*ret_fd = TAKE_FD(fd);
	return 0;
}

int nb_procfs_openat(int procfd, const char *rel, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC | O_NOCTTY),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	do
		fd = (int)syscall(SYS_openat2, procfd, rel, &how, sizeof(how));
	while (fd < 0 && errno == EAGAIN);
	if (fd < 0)
		return -errno;
	if (!on_procfs(fd)) {
		close(fd);
		return -EXDEV;
	}
	return fd;
}

ssize_t nb_procfs_read(int procfd, const char *rel, char *buf, size_t size)
{
	_cleanup_close_ int fd = nb_procfs_openat(procfd, rel, O_RDONLY);
	size_t total = 0;

	if (fd < 0)
		return fd;
	while (total + 1 < size) {
		ssize_t n = read(fd, buf + total, size - 1 - total);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		total += (size_t)n;
	}
	buf[total] = '\0';
	return (ssize_t)total;
}

int nb_procfs_write(int procfd, const char *rel, const char *buf, size_t len)
{
	_cleanup_close_ int fd = nb_procfs_openat(procfd, rel, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return fd;
	n = write(fd, buf, len);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}
