/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/box.h"
#include "base/cleanup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkdir -p of an absolute PATH, each new component 0755. */
static int make_dirs(const char *path)
{
	char buf[4096];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (char *p = buf + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = c;
		if (!c)
			return 0;
	}
}

int nb_box_lock(const struct nb_box_args *a, bool wait, int *ret_fd, struct nb_error *err)
{
	char path[4200];
	_cleanup_close_ int fd = -1;
	int r = make_dirs(a->root);

	if (r < 0)
		return nb_error_sys(err, -r, "box root '%s'", a->root);
	snprintf(path, sizeof(path), "%s.lock", a->dir);
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return nb_error_errno(err, "box %u: lock '%s'", a->id, path);
	while (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) < 0) {
		if (errno == EINTR)
			continue;
		if (errno == EWOULDBLOCK)
			return nb_error_set(err, EBUSY, "box %u is in use by another nsbox (--wait waits for it)",
					    a->id);
		return nb_error_errno(err, "box %u: lock '%s'", a->id, path);
	}
	*ret_fd = TAKE_FD(fd);
	return 0;
}

static const char *const sys_names[] = { "bin", "lib", "lib32", "lib64", "libx32", "sbin", "usr" };

void nb_box_sys_dirs(const char *ret[8])
{
	size_t n = 0;

	for (size_t i = 0; i < NB_ARRAY_SIZE(sys_names); i++) {
		char path[16];
		struct stat st;

		snprintf(path, sizeof(path), "/%s", sys_names[i]);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			ret[n++] = sys_names[i];
	}
	ret[n] = NULL;
}

/* The box's root: a mount point for each host system directory, the
 * host's symlinks among them, and those of nsbox run's own mounts. */
static int make_root(const struct nb_box_args *a, struct nb_error *err)
{
	static const char *const own[] = { "proc", "dev", "tmp", "sys" };
	_cleanup_close_ int dir = open(a->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (dir < 0)
		return nb_error_errno(err, "box %u: '%s'", a->id, a->dir);
	for (size_t i = 0; i < NB_ARRAY_SIZE(sys_names); i++) {
		char path[16], target[4096];
		struct stat st;
		ssize_t n;

		snprintf(path, sizeof(path), "/%s", sys_names[i]);
		if (lstat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode) && mkdirat(dir, sys_names[i], 0755) < 0)
			return nb_error_errno(err, "box %u: make '%s/%s'", a->id, a->dir, sys_names[i]);
		if (!S_ISLNK(st.st_mode) || (n = readlink(path, target, sizeof(target) - 1)) < 0)
			continue;
		target[n] = '\0';
		if (symlinkat(target, dir, sys_names[i]) < 0)
			return nb_error_errno(err, "box %u: link '%s/%s'", a->id, a->dir, sys_names[i]);
	}
	for (size_t i = 0; i < NB_ARRAY_SIZE(own); i++)
		if (mkdirat(dir, own[i], 0755) < 0)
			return nb_error_errno(err, "box %u: make '%s/%s'", a->id, a->dir, own[i]);
	return 0;
}

static int remove_at(int dirfd, const char *name, dev_t dev);

/* Empty the directory FD (on device DEV), then it may go. */
static int empty_dir(int fd, dev_t dev)
{
	DIR *d = fdopendir(fd);
	struct dirent *e;
	int r = 0;

	if (!d) {
		close(fd);
		return -errno;
	}
	while (r >= 0 && (errno = 0, e = readdir(d))) {
		if (nb_streq(e->d_name, ".") || nb_streq(e->d_name, ".."))
			continue;
		r = remove_at(dirfd(d), e->d_name, dev);
	}
	if (r >= 0 && errno)
		r = -errno;
	closedir(d);
	return r;
}

/* Remove DIRFD/NAME and all under it: a symlink is unlinked, never
 * followed; a directory on another filesystem (a mount) is refused. */
static int remove_at(int dirfd, const char *name, dev_t dev)
{
	struct stat st;
	int fd, r;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dirfd, name, 0) < 0 && errno != ENOENT ? -errno : 0;
	if (st.st_dev != dev)
		return -EXDEV;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = empty_dir(fd, dev);
	if (r >= 0 && unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		r = -errno;
	return r;
}

int nb_box_cleanup(const struct nb_box_args *a, struct nb_error *err)
{
	_cleanup_close_ int root = open(a->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char name[16];
	struct stat st;
	int r;

	if (root < 0 || fstat(root, &st) < 0)
		return errno == ENOENT ? 0 : nb_error_errno(err, "box root '%s'", a->root);
	snprintf(name, sizeof(name), "%u", a->id);
	r = remove_at(root, name, st.st_dev);
	if (r == -EXDEV)
		return nb_error_set(err, EXDEV, "box %u: '%s' holds a mount: not removed", a->id, a->dir);
	if (r < 0)
		return nb_error_sys(err, -r, "box %u: remove '%s'", a->id, a->dir);
	return 0;
}

int nb_box_init(const struct nb_box_args *a, struct nb_error *err)
{
	int r = nb_box_cleanup(a, err);

	if (r < 0)
		return r;
	if (mkdir(a->dir, 0755) < 0)
		return nb_error_errno(err, "box %u: make '%s'", a->id, a->dir);
	r = make_root(a, err);
	if (r < 0)
		return r;
	if (mkdir(a->work, 0755) < 0)
		return nb_error_errno(err, "box %u: make '%s'", a->id, a->work);
	/* Its programs write here; the caller (root) may anyway. */
	if (lchown(a->work, a->uid, a->gid) < 0)
		return nb_error_errno(err, "box %u: chown '%s'", a->id, a->work);
	return 0;
}

int nb_box_check(const struct nb_box_args *a, struct nb_error *err)
{
	struct stat st;

	if (lstat(a->work, &st) < 0 && errno == ENOENT)
		return nb_error_set(err, ENOENT, "box %u is not initialized (nsbox box --init --box-id %u)",
				    a->id, a->id);
	if (lstat(a->work, &st) < 0)
		return nb_error_errno(err, "box %u: '%s'", a->id, a->work);
	if (!S_ISDIR(st.st_mode) || st.st_uid != a->uid)
		return nb_error_set(err, EINVAL, "box %u: '%s' is not a box's directory (of uid %u)", a->id,
				    a->work, (unsigned)a->uid);
	return 0;
}
