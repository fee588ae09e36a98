/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/devices.h"
#include "linux/mount.h"
#include "base/cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static const char *const devices[] = { "null", "zero", "full", "random", "urandom", "tty" };

static const struct { const char *name, *target; } dev_links[] = {
	{ "ptmx", "pts/ptmx" },
	{ "fd", "/proc/self/fd" },
	{ "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" },
};

/* Bind the host's HOST node onto a new empty file NAME in DEVFD. */
static int bind_node(int devfd, const char *name, const char *host, bool existing_ok,
		     struct nb_error *err)
{
	_cleanup_close_ int tree = -1, target = -1;
	int r;

	target = openat(devfd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (target < 0) {
		if (errno == EEXIST && existing_ok)
			return 0;
		return nb_error_errno(err, "create '%s'", name);
	}
	r = nb_mount_clone(AT_FDCWD, host, false, &tree, err);
	if (r >= 0)
		r = nb_mount_attach(tree, target, err);
	if (r < 0)
		return nb_error_prefix(err, "device '%s'", host);
	return 0;
}

int nb_dev_populate(int rootfd, const char *dev, bool existing_ok, struct nb_error *err)
{
	_cleanup_close_ int devfd = -1;
	int r;

	r = nb_mount_target(rootfd, dev, NB_TARGET_DIR, &devfd, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < NB_ARRAY_SIZE(devices); i++) {
		char host[32];

		snprintf(host, sizeof(host), "/dev/%s", devices[i]);
		r = bind_node(devfd, devices[i], host, existing_ok, err);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < NB_ARRAY_SIZE(dev_links); i++)
		if (symlinkat(dev_links[i].target, devfd, dev_links[i].name) < 0 &&
		    !(errno == EEXIST && existing_ok))
			return nb_error_errno(err, "create '%s/%s'", dev, dev_links[i].name);
	if ((mkdirat(devfd, "shm", 0) < 0 && !(errno == EEXIST && existing_ok)) ||
	    fchmodat(devfd, "shm", 01777, 0) < 0)
		return nb_error_errno(err, "create '%s/shm'", dev);
	if (mkdirat(devfd, "pts", 0755) < 0 && !(errno == EEXIST && existing_ok))
		return nb_error_errno(err, "create '%s/pts'", dev);
	return 0;
}

static int split_path(int rootfd, const char *path, int *ret_parent, const char **ret_name,
		      struct nb_error *err)
{
	_cleanup_free_ char *dir = strdup(path);
	char *slash;

	if (!dir)
		return nb_error_set(err, ENOMEM, "out of memory");
	slash = strrchr(dir, '/');
	if (!slash || slash[1] == '\0')
		return nb_error_set(err, EINVAL, "device path '%s': not a file path", path);
	*ret_name = path + (slash - dir) + 1;
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	return nb_mount_target(rootfd, dir, NB_TARGET_DIR, ret_parent, err);
}

int nb_dev_add(int rootfd, const struct nb_device *d, struct nb_error *err)
{
	_cleanup_close_ int parent = -1, dirfd = -1;
	mode_t type = d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR;
	mode_t mode = d->has_file_mode ? (d->file_mode & 07777) : 0666;
	const char *name = NULL;
	int r;

	r = split_path(rootfd, d->path, &parent, &name, err);
	if (r < 0)
		return nb_error_prefix(err, "device '%s'", d->path);
	/* An O_PATH fd cannot be used for mknodat: reopen the directory. */
	dirfd = openat(parent, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return nb_error_errno(err, "device '%s'", d->path);
	unlinkat(dirfd, name, 0);
	if (mknodat(dirfd, name, type | mode, makedev((unsigned)d->major, (unsigned)d->minor)) == 0) {
		/* mknod applies the umask; fileMode is exact. */
		if (fchmodat(dirfd, name, mode, 0) < 0)
			return nb_error_errno(err, "device '%s': chmod", d->path);
		if (fchownat(dirfd, name, d->has_uid ? d->uid : 0, d->has_gid ? d->gid : 0,
			     AT_SYMLINK_NOFOLLOW) < 0)
			return nb_error_errno(err, "device '%s': chown", d->path);
		return 0;
	}
	if (errno != EPERM)
		return nb_error_errno(err, "device '%s': mknod", d->path);
	/* In a user namespace: the host's node at the same path, if any. */
	return bind_node(dirfd, name, d->path, false, err);
}

static int open_existing(int rootfd, const char *path, int *ret_fd)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));

	if (fd < 0)
		return -errno;
	*ret_fd = fd;
	return 0;
}

int nb_mask_paths(int rootfd, const struct nb_strv *paths, struct nb_error *err)
{
	for (size_t i = 0; i < paths->len; i++) {
		_cleanup_close_ int target = -1, tree = -1;
		struct stat st;
		int r = open_existing(rootfd, paths->items[i], &target);

		if (r == -ENOENT)
			continue;
		if (r < 0 || fstat(target, &st) < 0)
			return nb_error_sys(err, r < 0 ? -r : errno, "mask '%s'", paths->items[i]);
		if (S_ISDIR(st.st_mode))
			r = nb_mount_fs("tmpfs", target, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
					MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, "size=0,mode=0555", err);
		else
			r = nb_mount_clone(AT_FDCWD, "/dev/null", false, &tree, err) < 0 ? -1 :
			    nb_mount_attach(tree, target, err);
		if (r < 0)
			return nb_error_prefix(err, "mask '%s'", paths->items[i]);
	}
	return 0;
}

int nb_readonly_paths(int rootfd, const struct nb_strv *paths, struct nb_error *err)
{
	for (size_t i = 0; i < paths->len; i++) {
		_cleanup_close_ int target = -1, tree = -1;
		int r = open_existing(rootfd, paths->items[i], &target);

		if (r == -ENOENT)
			continue;
		if (r < 0)
			return nb_error_sys(err, -r, "read-only '%s'", paths->items[i]);
		r = nb_mount_clone(target, "", true, &tree, err);
		if (r >= 0)
			r = nb_mount_setattr(tree, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
					     MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, true, err);
		if (r >= 0)
			r = nb_mount_attach(tree, target, err);
		if (r < 0)
			return nb_error_prefix(err, "read-only '%s'", paths->items[i]);
	}
	return 0;
}
