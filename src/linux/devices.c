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

enum entry { ENTRY_NONE, ENTRY_KEEP, ENTRY_REPLACE };

/* What is at DIRFD/NAME, for an entry of type WANT (S_IFDIR, S_IFIFO, or
 * any device node for S_IFCHR) to be put there: keep one of that type or
 * any mount point (the config put it there: the host's /dev bound, a pod's
 * shm); replace anything else (a symlink or file an image planted). */
static int inspect(int dirfd, const char *name, mode_t want, enum entry *ret)
{
	struct statx stx;

	if (statx(dirfd, name, AT_SYMLINK_NOFOLLOW, STATX_TYPE, &stx) < 0) {
		if (errno != ENOENT)
			return -errno;
		*ret = ENTRY_NONE;
		return 0;
	}
	if ((stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
	    (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
		*ret = ENTRY_KEEP;
	else if (want == S_IFCHR)
		*ret = (S_ISCHR(stx.stx_mode) || S_ISBLK(stx.stx_mode)) ? ENTRY_KEEP : ENTRY_REPLACE;
	else
		*ret = (stx.stx_mode & S_IFMT) == want ? ENTRY_KEEP : ENTRY_REPLACE;
	return 0;
}

/* Make room for a new entry NAME: 1 if an existing one is to be kept. */
static int make_room(int dirfd, const char *name, mode_t want, bool existing_ok,
		     struct nb_error *err)
{
	enum entry e;
	int r = inspect(dirfd, name, want, &e);

	if (r < 0)
		return nb_error_sys(err, -r, "inspect '%s'", name);
	if (e == ENTRY_NONE)
		return 0;
	if (!existing_ok)
		return nb_error_set(err, EEXIST, "create '%s': %s", name, strerror(EEXIST));
	if (e == ENTRY_KEEP)
		return 1;
	if (unlinkat(dirfd, name, 0) < 0 && (errno != EISDIR || unlinkat(dirfd, name, AT_REMOVEDIR) < 0))
		return nb_error_errno(err, "replace '%s'", name);
	return 0;
}

/* chmod and chown the entry NAME that we just made, by its own inode: a
 * name can be swapped for a symlink between two calls. */
static int set_owner_mode(int procfd, int dirfd, const char *name, mode_t mode, uid_t uid, gid_t gid,
			  struct nb_error *err)
{
	_cleanup_close_ int fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	char self[32];

	if (fd < 0)
		return nb_error_errno(err, "open '%s'", name);
	snprintf(self, sizeof(self), "self/fd/%d", fd);
	if (fchownat(fd, "", uid, gid, AT_EMPTY_PATH) < 0)
		return nb_error_errno(err, "chown '%s'", name);
	/* fchmod() refuses an O_PATH fd: go through its magic link, in our
	 * own verified procfs. */
	if (fchmodat(procfd, self, mode, 0) < 0)
		return nb_error_errno(err, "chmod '%s'", name);
	return 0;
}

/* Bind the host's HOST node onto a new empty file NAME in DEVFD. */
static int bind_node(int devfd, const char *name, const char *host, struct nb_error *err)
{
	_cleanup_close_ int tree = -1, target = -1;
	int r;

	target = openat(devfd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (target < 0)
		return nb_error_errno(err, "create '%s'", name);
	/* nosuid: a device node has no use for it, and then no mount of a
	 * sandbox lacks it (nsbox-run(1), --profile judge). */
	r = nb_mount_clone(AT_FDCWD, host, false, &tree, err);
	if (r >= 0)
		r = nb_mount_setattr(tree, MOUNT_ATTR_NOSUID, false, err);
	if (r >= 0)
		r = nb_mount_attach(tree, target, err);
	if (r < 0)
		return nb_error_prefix(err, "device '%s'", host);
	return 0;
}

/* A directory NAME with MODE, unless a directory or mount point is there. */
static int make_dir(int procfd, int devfd, const char *name, mode_t mode, bool existing_ok,
		    struct nb_error *err)
{
	int r = make_room(devfd, name, S_IFDIR, existing_ok, err);

	if (r != 0)
		return r < 0 ? r : 0;
	if (mkdirat(devfd, name, 0700) < 0)
		return nb_error_errno(err, "create '%s'", name);
	return set_owner_mode(procfd, devfd, name, mode, 0, 0, err);
}

int nb_dev_populate(int rootfd, int procfd, const char *dev, bool existing_ok, struct nb_error *err)
{
	_cleanup_close_ int devfd = -1;
	int r;

	r = nb_mount_target(rootfd, dev, NB_TARGET_DIR, &devfd, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < NB_ARRAY_SIZE(devices); i++) {
		char host[32];

		r = make_room(devfd, devices[i], S_IFCHR, existing_ok, err);
		if (r > 0)
			continue;
		snprintf(host, sizeof(host), "/dev/%s", devices[i]);
		if (r == 0)
			r = bind_node(devfd, devices[i], host, err);
		if (r < 0)
			return nb_error_prefix(err, "%s", dev);
	}
	for (size_t i = 0; i < NB_ARRAY_SIZE(dev_links); i++)
		if (symlinkat(dev_links[i].target, devfd, dev_links[i].name) < 0 &&
		    !(errno == EEXIST && existing_ok))
			return nb_error_errno(err, "create '%s/%s'", dev, dev_links[i].name);
	r = make_dir(procfd, devfd, "shm", 01777, existing_ok, err);
	if (r >= 0)
		r = make_dir(procfd, devfd, "pts", 0755, existing_ok, err);
	if (r < 0)
		return nb_error_prefix(err, "%s", dev);
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

int nb_dev_add(int rootfd, int procfd, const struct nb_device *d, struct nb_error *err)
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
	r = make_room(dirfd, name, d->type == 'p' ? S_IFIFO : S_IFCHR, true, err);
	if (r > 0)
		return 0;
	if (r == 0 && mknodat(dirfd, name, type | mode, makedev((unsigned)d->major, (unsigned)d->minor)) == 0)
		/* mknod applies the umask; fileMode is exact. */
		r = set_owner_mode(procfd, dirfd, name, mode, d->has_uid ? d->uid : 0,
				   d->has_gid ? d->gid : 0, err);
	else if (r == 0 && errno == EPERM)
		/* In a user namespace: the host's node at the same path, if any. */
		r = bind_node(dirfd, name, d->path, err);
	else if (r == 0)
		r = nb_error_errno(err, "mknod");
	if (r < 0)
		return nb_error_prefix(err, "device '%s'", d->path);
	return 0;
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

/* A file masked by /dev/null bound over it (nosuid, as the nodes of /dev). */
static int mask_file(int target, struct nb_error *err)
{
	_cleanup_close_ int tree = -1;
	int r = nb_mount_clone(AT_FDCWD, "/dev/null", false, &tree, err);

	if (r >= 0)
		r = nb_mount_setattr(tree, MOUNT_ATTR_NOSUID, false, err);
	return r < 0 ? r : nb_mount_attach(tree, target, err);
}

int nb_mask_paths(int rootfd, const struct nb_strv *paths, struct nb_error *err)
{
	for (size_t i = 0; i < paths->len; i++) {
		_cleanup_close_ int target = -1;
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
			r = mask_file(target, err);
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
