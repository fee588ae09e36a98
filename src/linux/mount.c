/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/mount.h"
#include "base/cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
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

#define MAX_LINK_HOPS 40

/* PATH with every dangling symlink on its way replaced by its target,
 * taken inside the root (an absolute target starts at the root): runc and
 * crun create a mount's destination where such a link points. *RET is
 * malloc'd. */
static int follow_dangling(int rootfd, const char *path, char **ret, struct nb_error *err)
{
	_cleanup_free_ char *cur = strdup(path);

	if (!cur)
		return nb_error_set(err, ENOMEM, "out of memory");
	for (int hops = 0; hops <= MAX_LINK_HOPS; hops++) {
		size_t off = strspn(cur, "/"), end;
		bool replaced = false;

		for (; cur[off]; off = end + strspn(cur + end, "/")) {
			_cleanup_close_ int parent = -1;
			char link[PATH_MAX], *next, saved;
			ssize_t n;
			int fd;

			end = off + strcspn(cur + off, "/");
			saved = cur[off];
			cur[off] = '\0';
			parent = openat2_in_root(rootfd, off ? cur : "/", O_PATH | O_DIRECTORY);
			cur[off] = saved;
			if (parent < 0)
				break;
			saved = cur[end];
			cur[end] = '\0';
			fd = openat2_in_root(rootfd, cur, O_PATH);
			if (fd >= 0) {   /* it leads somewhere: not dangling */
				close(fd);
				cur[end] = saved;
				continue;
			}
			n = readlinkat(parent, cur + off, link, sizeof(link) - 1);
			if (n < 0) {
				bool missing = errno == ENOENT;

				cur[end] = saved;
				if (missing)
					break;   /* the first missing component: create from here */
				continue;    /* not a symlink */
			}
			cur[end] = saved;
			link[n] = '\0';
			if (asprintf(&next, "%s%.*s/%s", link[0] == '/' ? "" : "/", link[0] == '/' ? 0 : (int)off,
				     cur, link) < 0 || !(next = realloc(next, strlen(next) + strlen(cur + end) + 1)))
				return nb_error_set(err, ENOMEM, "out of memory");
			strcat(next, cur + end);
			free(cur);
			cur = next;
			replaced = true;
			break;
		}
		if (!replaced) {
			*ret = TAKE_PTR(cur);
			return 0;
		}
	}
	return nb_error_set(err, ELOOP, "resolve '%s': %s", path, strerror(ELOOP));
}

int nb_mount_open_file(int rootfd, const char *path, int flags)
{
	return openat2_in_root(rootfd, path, flags);
}

static int target(int rootfd, const char *path, enum nb_target_type type, bool follow, int *ret_fd,
		  struct nb_error *err)
{
	int fd, r;

	fd = openat2_in_root(rootfd, path, O_PATH);
	if (fd == -ENOENT) {
		_cleanup_free_ char *real = NULL;

		r = follow ? follow_dangling(rootfd, path, &real, err) :
			     ((real = strdup(path)) ? 0 : nb_error_set(err, ENOMEM, "out of memory"));
		if (r >= 0)
			r = create_path(rootfd, real, type, err);
		if (r < 0)
			return r;
		fd = openat2_in_root(rootfd, real, O_PATH);
	}
	if (fd < 0)
		return nb_error_sys(err, -fd, "resolve '%s'", path);
	*ret_fd = fd;
	return 0;
}

int nb_mount_target(int rootfd, const char *path, enum nb_target_type type, int *ret_fd,
		    struct nb_error *err)
{
	return target(rootfd, path, type, false, ret_fd, err);
}

int nb_mount_target_follow(int rootfd, const char *path, enum nb_target_type type, int *ret_fd,
			   struct nb_error *err)
{
	return target(rootfd, path, type, true, ret_fd, err);
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
	struct nb_fs_opts o = { .fstype = fstype, .data = data, .attrs = attrs };

	return nb_mount_fs_opts(&o, targetfd, err);
}

static int set_flag(int fsfd, const char *flag, struct nb_error *err)
{
	if (fsconfig(fsfd, FSCONFIG_SET_FLAG, flag, NULL, 0) < 0)
		return nb_error_errno(err, "option '%s'", flag);
	return 0;
}

int nb_mount_fs_opts(const struct nb_fs_opts *o, int targetfd, struct nb_error *err)
{
	_cleanup_close_ int fsfd = fsopen(o->fstype, FSOPEN_CLOEXEC);
	_cleanup_close_ int mfd = -1;
	int r = 0;

	if (fsfd < 0)
		return nb_error_errno(err, "%s", o->fstype);
	/* The source goes first: mountinfo shows it, and a block filesystem
	 * needs it to find its device. */
	if (o->source && *o->source && fsconfig(fsfd, FSCONFIG_SET_STRING, "source", o->source, 0) < 0)
		return nb_error_errno(err, "%s: source '%s'", o->fstype, o->source);
	if (o->label && fsconfig(fsfd, FSCONFIG_SET_STRING, "context", o->label, 0) < 0)
		return nb_error_errno(err, "%s: mount label '%s'", o->fstype, o->label);
	if (o->sync)
		r = set_flag(fsfd, "sync", err);
	if (r >= 0 && o->dirsync)
		r = set_flag(fsfd, "dirsync", err);
	if (r >= 0)
		r = configure(fsfd, o->data, err);
	if (r < 0)
		return nb_error_prefix(err, "%s", o->fstype);
	mfd = fsmount(fsfd, FSMOUNT_CLOEXEC, o->attrs);
	if (mfd < 0)
		return nb_error_errno(err, "%s", o->fstype);
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
	return nb_mount_setattr_clr(fd, attrs, 0, recursive, err);
}

int nb_mount_setattr_clr(int fd, unsigned attrs, unsigned clear, bool recursive, struct nb_error *err)
{
	struct mount_attr attr = { .attr_set = attrs, .attr_clr = clear };

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
