/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/rootfs.h"
#include "linux/devices.h"
#include "linux/idmap.h"
#include "linux/mount.h"
#include "linux/procfs.h"
#include "base/cleanup.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Where the host's root (read-only, without --rootfs) is attached before
 * pivot_root; a root dir is staged on itself. Only this mount namespace
 * sees it: the host's /tmp is untouched. */
#define STAGE "/tmp"

int nb_rootfs_check(const struct nb_config *cfg, struct nb_error *err)
{
	struct stat st;

	if (!cfg->rootfs)
		return 0;
	if (stat(cfg->rootfs, &st) < 0)
		return nb_error_errno(err, "--rootfs '%s'", cfg->rootfs);
	if (!S_ISDIR(st.st_mode))
		return nb_error_set(err, ENOTDIR, "--rootfs '%s': not a directory", cfg->rootfs);
	return 0;
}

static unsigned mount_attrs(unsigned flags)
{
	static const struct { unsigned flag, attr; } map[] = {
		{ NB_MNT_RDONLY, MOUNT_ATTR_RDONLY }, { NB_MNT_NOSUID, MOUNT_ATTR_NOSUID },
		{ NB_MNT_NODEV, MOUNT_ATTR_NODEV }, { NB_MNT_NOEXEC, MOUNT_ATTR_NOEXEC },
		{ NB_MNT_NOATIME, MOUNT_ATTR_NOATIME }, { NB_MNT_STRICTATIME, MOUNT_ATTR_STRICTATIME },
		{ NB_MNT_RELATIME, MOUNT_ATTR_RELATIME }, { NB_MNT_NODIRATIME, MOUNT_ATTR_NODIRATIME },
		{ NB_MNT_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW },
	};
	unsigned attrs = 0;

	for (size_t i = 0; i < NB_ARRAY_SIZE(map); i++)
		if (flags & map[i].flag)
			attrs |= map[i].attr;
	return attrs;
}

/* The attributes a bind clears: the atime mode, when the plan names one. */
static unsigned mount_attrs_clear(unsigned flags)
{
	return (flags & (NB_MNT_NOATIME | NB_MNT_STRICTATIME | NB_MNT_RELATIME)) ? MOUNT_ATTR__ATIME : 0;
}

/* A fresh proc or sysfs needs the pid or net namespace to be ours; when it
 * is not (--share pid or --share net in a user namespace), bind the host's.
 * Likewise cgroup2 without a cgroup namespace of our own in a user namespace
 * (rootless podman's config.json has a "cgroup" mount and no cgroup
 * namespace): the host's /sys/fs/cgroup, as runc and crun do. */
static int mount_or_bind(const char *fstype, const char *source, const char *host, int target,
			 unsigned attrs, const char *data, struct nb_error *err)
{
	struct nb_fs_opts o = { .fstype = fstype, .source = source, .data = data, .attrs = attrs };
	_cleanup_close_ int tree = -1;
	int r = nb_mount_fs_opts(&o, target, err);

	if (r != -EPERM && r != -EACCES)
		return r;
	r = nb_mount_clone(AT_FDCWD, host, true, &tree, err);
	if (r < 0)
		return r;
	r = nb_mount_setattr(tree, attrs, true, err);
	if (r < 0)
		return r;
	return nb_mount_attach(tree, target, err);
}

static int bind_type(int tree, enum nb_target_type *type, struct nb_error *err)
{
	struct stat st;

	if (fstat(tree, &st) < 0)
		return nb_error_errno(err, "stat");
	*type = S_ISDIR(st.st_mode) ? NB_TARGET_DIR : NB_TARGET_FILE;
	return 0;
}

int nb_rootfs_idmapped_tree(const struct nb_mount *m, uid_t euid, gid_t egid, int *ret_fd,
			    struct nb_error *err)
{
	_cleanup_close_ int userns = -1, tree = -1;
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP };
	unsigned flags = AT_EMPTY_PATH | ((m->flags & NB_MNT_IDMAP_RECURSIVE) ? AT_RECURSIVE : 0);
	int r;

	r = nb_idmap_userns_fd(m->uid_map ? m->uid_map : m->gid_map, m->gid_map ? m->gid_map : m->uid_map,
			       euid, egid, &userns, err);
	if (r >= 0)
		r = nb_mount_clone(AT_FDCWD, m->source, m->flags & NB_MNT_RECURSIVE, &tree, err);
	if (r < 0)
		return nb_error_prefix(err, "idmapped mount '%s'", m->dest);
	attr.userns_fd = (uint64_t)userns;
	if (mount_setattr(tree, "", flags, &attr, sizeof(attr)) < 0)
		return nb_error_errno(err, "idmapped mount '%s': idmap '%s'", m->dest, m->source);
	*ret_fd = TAKE_FD(tree);
	return 0;
}

/* The source of one bind mount, found before the root is staged (a path
 * under the staging point would then lead into the new root): an O_PATH
 * fd to clone from when the mount's turn comes, so that mounts are made in
 * the plan's order (mountinfo lists them in the order they were made); or
 * a detached tree that the parent made with its own credentials. */
struct bind_source {
	int path;
	int tree;
	bool from_parent;
};

/* A tree made by the parent was made before every other mount: attach it,
 * then replace it by a clone of itself made now, in the plan's order. */
static int attach_in_order(int tree, int target, const char *dest, int rootfd, int procfd,
			   bool recursive, struct nb_error *err)
{
	_cleanup_close_ int attached = -1, again = -1;
	char self[32];
	int r = nb_mount_attach(tree, target, err);

	if (r < 0)
		return r;
	attached = nb_mount_open_file(rootfd, dest, O_PATH);
	if (attached < 0 || nb_mount_clone(attached, "", recursive, &again, err) < 0)
		return 0;   /* attached, if out of order: good enough */
	snprintf(self, sizeof(self), "/proc/self/fd/%d", attached);
	(void)procfd;
	if (umount2(self, MNT_DETACH) < 0)
		return nb_error_errno(err, "reorder '%s'", dest);
	return nb_mount_attach(again, target, err);
}

static int apply_bind(const struct nb_mount *m, struct bind_source *src, int target, int rootfd,
		      int procfd, struct nb_error *err)
{
	_cleanup_close_ int tree = TAKE_FD(src->tree);
	unsigned attrs = mount_attrs(m->flags), clear = mount_attrs_clear(m->flags);
	bool recursive = m->flags & NB_MNT_RECURSIVE;
	int r;

	if (tree < 0) {
		r = nb_mount_clone(src->path, "", recursive, &tree, err);
		if (r < 0)
			return nb_error_prefix(err, "bind '%s'", m->source);
	}
	if (attrs || clear) {
		r = nb_mount_setattr_clr(tree, attrs, clear, recursive, err);
		if (r < 0)
			return r;
	}
	if (src->from_parent)
		return attach_in_order(tree, target, m->dest, rootfd, procfd, recursive, err);
	return nb_mount_attach(tree, target, err);
}

static int apply_mount(int rootfd, int procfd, const struct nb_mount *m, struct bind_source *src,
		       const char *label, bool oci, const struct nb_cgroup_view *cgview, struct nb_error *err)
{
	_cleanup_close_ int target = -1;
	enum nb_target_type type = NB_TARGET_DIR;
	struct nb_fs_opts fs = { .source = m->source, .data = m->data, .label = label,
				 .attrs = mount_attrs(m->flags), .sync = m->flags & NB_MNT_SYNC,
				 .dirsync = m->flags & NB_MNT_DIRSYNC };
	int r;

	if (m->kind == NB_MOUNT_BIND) {
		r = bind_type(src->tree >= 0 ? src->tree : src->path, &type, err);
		if (r < 0)
			return r;
	}
	r = oci ? nb_mount_target_follow(rootfd, m->dest, type, &target, err) :
		  nb_mount_target(rootfd, m->dest, type, &target, err);
	if (r < 0)
		return r;
	switch (m->kind) {
	case NB_MOUNT_BIND: return apply_bind(m, src, target, rootfd, procfd, err);
	case NB_MOUNT_TMPFS: fs.fstype = "tmpfs"; return nb_mount_fs_opts(&fs, target, err);
	case NB_MOUNT_PROC:
		/* Options (hidepid=...) a bind of the host's /proc would not honour:
		 * a proc of its own, or fail. */
		if (m->data) {
			fs.fstype = "proc";
			return nb_mount_fs_opts(&fs, target, err);
		}
		return mount_or_bind("proc", m->source, "/proc", target, fs.attrs, NULL, err);
	case NB_MOUNT_DEVPTS: fs.fstype = "devpts"; return nb_mount_fs_opts(&fs, target, err);
	case NB_MOUNT_MQUEUE: fs.fstype = "mqueue"; return nb_mount_fs_opts(&fs, target, err);
	case NB_MOUNT_SYSFS: return mount_or_bind("sysfs", m->source, "/sys", target, fs.attrs, NULL, err);
	case NB_MOUNT_CGROUP:
		if (cgview && cgview->n > 0)
			return nb_cgroup_view_attach(cgview, target, fs.attrs, err);
		return mount_or_bind("cgroup2", m->source, "/sys/fs/cgroup", target, fs.attrs, m->data, err);
	case NB_MOUNT_OTHER: fs.fstype = m->fstype; fs.label = NULL; return nb_mount_fs_opts(&fs, target, err);
	case NB_MOUNT_DEV:
		fs.fstype = "tmpfs";
		r = nb_mount_fs_opts(&fs, target, err);
		return r < 0 ? r : nb_dev_populate(rootfd, procfd, m->dest, false, err);
	}
	return nb_error_set(err, EINVAL, "unknown mount kind %d", (int)m->kind);
}

/* A mount's own propagation ("rshared", "slave"...), on the mount now at
 * its destination. */
static int set_propagation(int rootfd, const struct nb_mount *m, struct nb_error *err)
{
	static const unsigned long types[] = {
		[NB_MPROP_PRIVATE] = MS_PRIVATE, [NB_MPROP_SHARED] = MS_SHARED,
		[NB_MPROP_SLAVE] = MS_SLAVE, [NB_MPROP_UNBINDABLE] = MS_UNBINDABLE,
	};
	struct mount_attr attr = { .propagation = types[m->propagation] };
	_cleanup_close_ int fd = nb_mount_open_file(rootfd, m->dest, O_PATH);

	if (fd < 0)
		return nb_error_sys(err, -fd, "propagation of '%s'", m->dest);
	if (mount_setattr(fd, "", AT_EMPTY_PATH | (m->propagation_recursive ? AT_RECURSIVE : 0),
			  &attr, sizeof(attr)) < 0)
		return nb_error_errno(err, "propagation of '%s'", m->dest);
	return 0;
}

/* Find every bind source before the root is staged (struct bind_source). */
static int find_sources(const struct nb_config *cfg, const int *pre_trees, struct bind_source *srcs,
			struct nb_error *err)
{
	for (size_t i = 0; i < cfg->n_mounts; i++)
		srcs[i] = (struct bind_source){ .path = -1, .tree = -1 };
	for (size_t i = 0; i < cfg->n_mounts; i++) {
		const struct nb_mount *m = &cfg->mounts[i];

		if (m->kind != NB_MOUNT_BIND)
			continue;
		if (pre_trees && pre_trees[i] >= 0) {
			srcs[i].tree = pre_trees[i];   /* ours to close: a copy of the parent's fd */
			srcs[i].from_parent = true;
			continue;
		}
		srcs[i].path = open(m->source, O_PATH | O_CLOEXEC);
		if (srcs[i].path < 0)
			return nb_error_errno(err, "bind mount '%s' on '%s': open '%s'", m->source,
					      m->dest, m->source);
	}
	return 0;
}

static void close_sources(struct bind_source *srcs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		nb_closep(&srcs[i].path);
		nb_closep(&srcs[i].tree);
	}
	free(srcs);
}

static int stage_root(const struct nb_config *cfg, int *ret_rootfd, struct nb_error *err)
{
	_cleanup_close_ int tree = -1, stage = -1;
	const char *src = cfg->rootfs ? cfg->rootfs : "/";
	unsigned attrs;
	int r;

	r = nb_mount_clone(AT_FDCWD, src, true, &tree, err);
	if (r < 0)
		return nb_error_prefix(err, "%s", cfg->rootfs ? "--rootfs" : "root");
	/* The host's root is read-only all the way down, like bwrap --ro-bind
	 * / /; `nsbox run` also makes the host's trees nosuid and nodev. */
	attrs = (cfg->rootfs ? 0 : MOUNT_ATTR_RDONLY) | (cfg->root_nosuid ? MOUNT_ATTR_NOSUID : 0) |
		(cfg->root_nodev ? MOUNT_ATTR_NODEV : 0);
	if (attrs) {
		r = nb_mount_setattr(tree, attrs, true, err);
		if (r < 0)
			return nb_error_prefix(err, "root");
	}
	/* A root dir is staged on itself (as runc does), so that until
	 * pivot_root the rest of the host stays in view: an OCI createContainer
	 * hook runs here and reads its bundle, often under /tmp. */
	stage = open(cfg->rootfs ? cfg->rootfs : STAGE, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (stage < 0)
		return nb_error_errno(err, "open staging directory '%s'", cfg->rootfs ? cfg->rootfs : STAGE);
	r = nb_mount_attach(tree, stage, err);
	if (r < 0)
		return nb_error_prefix(err, "stage root at '%s'", cfg->rootfs ? cfg->rootfs : STAGE);
	/* Opened after the attach, this names the new root, not the old dir. */
	*ret_rootfd = open(cfg->rootfs ? cfg->rootfs : STAGE, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (*ret_rootfd < 0)
		return nb_error_errno(err, "open staged root");
	return 0;
}

/* The mount point of the mount under ROOTFD's (the one holding the root
 * directory), from our own mountinfo, into BUF. */
static int parent_mount_point(int rootfd, int procfd, char *buf, size_t size)
{
	_cleanup_free_ char *info = malloc(1 << 20);
	struct statx stx;
	unsigned long id, parent = 0, want;
	ssize_t n;

	if (!info || statx(rootfd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0)
		return -errno;
	n = nb_procfs_read(procfd, "self/mountinfo", info, 1 << 20);
	if (n < 0)
		return (int)n;
	for (int pass = 0; pass < 2; pass++) {
		want = pass ? parent : stx.stx_mnt_id;
		for (char *line = info; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
			char point[4096];

			if (sscanf(line, "%lu %lu %*s %*s %4095s", &id, &parent, point) != 3 || id != want)
				continue;
			if (pass == 0)
				break;
			/* mountinfo escapes space, tab, newline, backslash as \ooo. */
			for (char *s = point, *d = buf; ; s++) {
				if ((size_t)(d - buf) + 1 >= size)
					return -ENAMETOOLONG;
				if (s[0] == '\\' && s[1] && s[2] && s[3]) {
					*d++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
					s += 3;
				} else if (!(*d++ = *s)) {
					return 0;
				}
			}
		}
		if (id != want)
			return -ENOENT;
	}
	return -ENOENT;
}

/* OCI rshared: the namespace kept the host's peers; pivot_root refuses a
 * shared root, new root or parent of it, so make those three private (in
 * our namespace only). */
static int unshare_pivot_mounts(int rootfd, int procfd, struct nb_error *err)
{
	struct mount_attr priv = { .propagation = MS_PRIVATE };
	char parent[4096];
	int r = parent_mount_point(rootfd, procfd, parent, sizeof(parent));

	if (r < 0)
		return nb_error_sys(err, -r, "rshared: find the mount under the root");
	if (mount(NULL, "/", NULL, MS_PRIVATE, NULL) < 0 || mount(NULL, parent, NULL, MS_PRIVATE, NULL) < 0 ||
	    mount_setattr(rootfd, "", AT_EMPTY_PATH, &priv, sizeof(priv)) < 0)
		return nb_error_errno(err, "rshared: make the pivot's mounts private");
	return 0;
}

static int enter_root(int rootfd, int procfd, enum nb_propagation propagation, struct nb_error *err)
{
	if (propagation == NB_PROPAGATION_RSHARED) {
		int r = unshare_pivot_mounts(rootfd, procfd, err);

		if (r < 0)
			return r;
	}
	_cleanup_close_ int oldroot = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (oldroot < 0)
		return nb_error_errno(err, "open old root");
	/* pivot_root(".", ".") stacks the old root on top of the new one;
	 * detaching it leaves no way back (no /.oldroot to find). */
	if (fchdir(rootfd) < 0)
		return nb_error_errno(err, "enter new root");
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return nb_error_errno(err, "pivot_root");
	/* Back into the old root itself (a "." of the new root's would name
	 * the new root). Make it a slave first, so that detaching it
	 * propagates nothing to the host's peers of its mounts (with rshared,
	 * they are peers). */
	if (fchdir(oldroot) < 0)
		return nb_error_errno(err, "enter old root");
	if (propagation == NB_PROPAGATION_RSHARED && mount(NULL, ".", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		return nb_error_errno(err, "make the old root a slave");
	if (umount2(".", MNT_DETACH) < 0)
		return nb_error_errno(err, "detach old root");
	if (chdir("/") < 0)
		return nb_error_errno(err, "chdir '/'");
	if ((propagation == NB_PROPAGATION_SHARED || propagation == NB_PROPAGATION_RSHARED) &&
	    mount(NULL, "/", NULL, MS_REC | MS_SHARED, NULL) < 0)
		return nb_error_errno(err, "make mounts shared");
	if (propagation == NB_PROPAGATION_UNBINDABLE &&
	    mount(NULL, "/", NULL, MS_UNBINDABLE, NULL) < 0)
		return nb_error_errno(err, "make mounts unbindable");
	return 0;
}

/* After the mounts, before pivot_root: what an OCI config adds. */
static int apply_oci_extras(int rootfd, int procfd, const struct nb_config *cfg, struct nb_error *err)
{
	/* A /dev bound from elsewhere (the host's) is left as it is, as runc
	 * does: nothing is made or replaced there. */
	bool dev_bound = nb_config_binds_dev(cfg);
	int r;

	if (cfg->oci_devices && !dev_bound) {
		r = nb_dev_populate(rootfd, procfd, "/dev", true, err);
		if (r < 0)
			return nb_error_prefix(err, "default devices");
	}
	for (size_t i = 0; !dev_bound && i < cfg->oci.n_devices; i++) {
		r = nb_dev_add(rootfd, procfd, &cfg->oci.devices[i], err);
		if (r < 0)
			return nb_error_prefix(err, "linux.devices");
	}
	r = nb_mask_paths(rootfd, &cfg->oci.masked_paths, err);
	if (r < 0)
		return nb_error_prefix(err, "linux.maskedPaths");
	r = nb_readonly_paths(rootfd, &cfg->oci.readonly_paths, err);
	if (r < 0)
		return nb_error_prefix(err, "linux.readonlyPaths");
	return 0;
}

int nb_rootfs_enter(const struct nb_config *cfg, int rootfd, int procfd, struct nb_error *err)
{
	int r = enter_root(rootfd, procfd, cfg->propagation, err);

	close(rootfd);
	return r;
}

int nb_rootfs_prepare(const struct nb_config *cfg, const int *pre_trees, const struct nb_cgroup_view *cgview,
		      int procfd, int *ret_rootfd, struct nb_error *err)
{
	_cleanup_close_ int rootfd = -1;
	struct bind_source *srcs = calloc(cfg->n_mounts + 1, sizeof(*srcs));
	int r;

	if (!srcs)
		return nb_error_set(err, ENOMEM, "out of memory");
	/* Private or slave first: nothing made here may reach the host. With
	 * OCI rshared, the copies of the host's shared mounts stay its peers,
	 * so that binds of them propagate both ways; the staged root is made
	 * private instead, so that the sandbox's own mounts stay its own. */
	r = cfg->propagation == NB_PROPAGATION_RSHARED ? 0 :
	    nb_mount_make_rprivate(cfg->propagation == NB_PROPAGATION_SLAVE ||
				   cfg->propagation == NB_PROPAGATION_SHARED, err);
	if (r >= 0)
		r = find_sources(cfg, pre_trees, srcs, err);
	if (r >= 0)
		r = stage_root(cfg, &rootfd, err);
	if (r >= 0 && cfg->propagation == NB_PROPAGATION_RSHARED) {
		struct mount_attr priv = { .propagation = MS_PRIVATE };

		if (mount_setattr(rootfd, "", AT_EMPTY_PATH | AT_RECURSIVE, &priv, sizeof(priv)) < 0)
			r = nb_error_errno(err, "rshared: make the root private");
	}
	for (size_t i = 0; r >= 0 && i < cfg->n_mounts; i++) {
		r = apply_mount(rootfd, procfd, &cfg->mounts[i], &srcs[i], cfg->oci.mount_label, cfg->oci_process, cgview, err);
		if (r >= 0 && cfg->mounts[i].propagation != NB_MPROP_NONE)
			r = set_propagation(rootfd, &cfg->mounts[i], err);
		if (r < 0)
			nb_error_prefix(err, "mount '%s'", cfg->mounts[i].dest);
	}
	close_sources(srcs, cfg->n_mounts);
	if (r < 0)
		return r;
	r = apply_oci_extras(rootfd, procfd, cfg, err);
	if (r < 0)
		return r;
	/* runc and crun create a missing working directory, inside the root. */
	if (cfg->oci_process && cfg->cwd) {
		_cleanup_close_ int cwd = -1;

		r = nb_mount_target_follow(rootfd, cfg->cwd, NB_TARGET_DIR, &cwd, err);
		if (r < 0)
			return nb_error_prefix(err, "process.cwd: working directory '%s'", cfg->cwd);
	}
	if (cfg->rootfs && cfg->root_readonly) {
		r = nb_mount_setattr(rootfd, MOUNT_ATTR_RDONLY, false, err);
		if (r < 0)
			return nb_error_prefix(err, "--ro");
	}
	*ret_rootfd = TAKE_FD(rootfd);
	return 0;
}
