/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/mount.h"
#include "base/cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int openat2_in_root(int rootfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	do
		fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	while (fd < 0 && errno == EAGAIN);
	return fd < 0 ? -errno : fd;
}

/* Create the missing components of PATH under ROOTFD one at a time: each
 * parent is resolved inside the root first, so a component that is a
 * symlink is followed only within the root. */
static int create_path(int rootfd, const char *path, enum nb_target_type type, struct nb_error *err)
{
	_cleanup_free_ char *buf = strdup(path);
	char *p, *next;

	if (!buf)
		return nb_error_set(err, ENOMEM, "out of memory");
	for (p = buf; *p == '/'; p++)
		;
	for (; *p; p = next) {
		_cleanup_close_ int parent = -1;
		char saved;
		bool last;
		int fd;

		next = p + strcspn(p, "/");
		last = next[strspn(next, "/")] == '\0';
		saved = *p;
		*p = '\0';
		parent = openat2_in_root(rootfd, p == buf ? "/" : buf, O_PATH | O_DIRECTORY);
		*p = saved;
		if (parent < 0)
			return nb_error_sys(err, -parent, "resolve '%.*s'", (int)(p - buf), buf);
		saved = *next;
		*next = '\0';
		if (last && type == NB_TARGET_FILE)
			fd = openat(parent, p, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
		else
			fd = mkdirat(parent, p, 0755);
		if (fd < 0 && errno != EEXIST)
			return nb_error_errno(err, "create '%s'", buf);
		if (fd > 0 && last && type == NB_TARGET_FILE)
			close(fd);
		*next = saved;
		next += strspn(next, "/");
	}
	return 0;
}

int nb_mount_open_file(int rootfd, const char *path, int flags)
{
	return openat2_in_root(rootfd, path, flags);
}

int nb_mount_target(int rootfd, const char *path, enum nb_target_type type, int *ret_fd,
		    struct nb_error *err)
{
	int fd, r;

	fd = openat2_in_root(rootfd, path, O_PATH);
	if (fd == -ENOENT) {
		r = create_path(rootfd, path, type, err);
		if (r < 0)
			return r;
		fd = openat2_in_root(rootfd, path, O_PATH);
	}
	if (fd < 0)
		return nb_error_sys(err, -fd, "resolve '%s'", path);
	*ret_fd = fd;
	return 0;
}

/* Feed "a=b,c" to fsconfig(): "key=value" as a string, "key" as a flag. */
static int configure(int fsfd, const char *data, struct nb_error *err)
{
	_cleanup_free_ char *buf = data ? strdup(data) : NULL;
	char *save = NULL;

	if (data && !buf)
		return nb_error_set(err, ENOMEM, "out of memory");
	for (char *opt = buf ? strtok_r(buf, ",", &save) : NULL; opt; opt = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(opt, '=');
		int r;

		if (eq) {
			*eq = '\0';
			r = fsconfig(fsfd, FSCONFIG_SET_STRING, opt, eq + 1, 0);
		} else {
			r = fsconfig(fsfd, FSCONFIG_SET_FLAG, opt, NULL, 0);
		}
		if (r < 0)
			return nb_error_errno(err, "option '%s'", opt);
	}
	if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return nb_error_errno(err, "create");
	return 0;
}

int nb_mount_fs(const char *fstype, int targetfd, unsigned attrs, const char *data,
		struct nb_error *err)
{
	return nb_mount_fs_labeled(fstype, targetfd, attrs, data, NULL, err);
}

int nb_mount_fs_labeled(const char *fstype, int targetfd, unsigned attrs, const char *data,
			const char *label, struct nb_error *err)
{
	_cleanup_close_ int fsfd = fsopen(fstype, FSOPEN_CLOEXEC);
	_cleanup_close_ int mfd = -1;
	int r;

	if (fsfd < 0)
		return nb_error_errno(err, "%s", fstype);
	if (label && fsconfig(fsfd, FSCONFIG_SET_STRING, "context", label, 0) < 0)
		return nb_error_errno(err, "%s: mount label '%s'", fstype, label);
	r = configure(fsfd, data, err);
	if (r < 0)
		return nb_error_prefix(err, "%s", fstype);
	mfd = fsmount(fsfd, FSMOUNT_CLOEXEC, attrs);
	if (mfd < 0)
		return nb_error_errno(err, "%s", fstype);
	return nb_mount_attach(mfd, targetfd, err);
}

int nb_mount_clone(int dirfd, const char *src, bool recursive, int *ret_fd, struct nb_error *err)
{
	unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0);
	int fd = open_tree(dirfd, src, flags | (src[0] ? 0 : AT_EMPTY_PATH));

	if (fd < 0)
		return nb_error_errno(err, "open '%s'", src);
	*ret_fd = fd;
	return 0;
}

int nb_mount_setattr(int fd, unsigned attrs, bool recursive, struct nb_error *err)
{
	struct mount_attr attr = { .attr_set = attrs };

	if (mount_setattr(fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr, sizeof(attr)) < 0)
		return nb_error_errno(err, "set mount attributes");
	return 0;
}

int nb_mount_attach(int treefd, int targetfd, struct nb_error *err)
{
	if (move_mount(treefd, "", targetfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return nb_error_errno(err, "attach mount");
	return 0;
}

int nb_mount_make_rprivate(bool slave, struct nb_error *err)
{
	if (mount(NULL, "/", NULL, MS_REC | (slave ? MS_SLAVE : MS_PRIVATE), NULL) < 0)
		return nb_error_errno(err, "make mounts %s", slave ? "slave" : "private");
	return 0;
}
