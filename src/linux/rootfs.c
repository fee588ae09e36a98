/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/rootfs.h"
#include "linux/devices.h"
#include "linux/idmap.h"
#include "linux/mount.h"
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
	unsigned attrs = 0;

	if (flags & NB_MNT_RDONLY)
		attrs |= MOUNT_ATTR_RDONLY;
	if (flags & NB_MNT_NOSUID)
		attrs |= MOUNT_ATTR_NOSUID;
	if (flags & NB_MNT_NODEV)
		attrs |= MOUNT_ATTR_NODEV;
	if (flags & NB_MNT_NOEXEC)
		attrs |= MOUNT_ATTR_NOEXEC;
	return attrs;
}

/* A fresh proc or sysfs needs the pid or net namespace to be ours; when it
 * is not (--share pid or --share net in a user namespace), bind the host's.
 * Likewise cgroup2 without a cgroup namespace of our own in a user namespace
 * (rootless podman's config.json has a "cgroup" mount and no cgroup
 * namespace): the host's /sys/fs/cgroup, as runc and crun do. */
static int mount_or_bind(const char *fstype, const char *host, int target, unsigned attrs,
			 const char *data, struct nb_error *err)
{
	_cleanup_close_ int tree = -1;
	int r = nb_mount_fs(fstype, target, attrs, data, err);

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

static int apply_mount(int rootfd, const struct nb_mount *m, int *bind_tree, const char *label,
		       struct nb_error *err)
{
	_cleanup_close_ int target = -1;
	enum nb_target_type type = NB_TARGET_DIR;
	unsigned attrs = mount_attrs(m->flags);
	int r;

	if (m->kind == NB_MOUNT_BIND) {
		r = bind_type(*bind_tree, &type, err);
		if (r < 0)
			return r;
	}
	r = nb_mount_target(rootfd, m->dest, type, &target, err);
	if (r < 0)
		return r;
	switch (m->kind) {
	case NB_MOUNT_BIND:
		if (attrs) {
			r = nb_mount_setattr(*bind_tree, attrs, m->flags & NB_MNT_RECURSIVE, err);
			if (r < 0)
				return r;
		}
		r = nb_mount_attach(*bind_tree, target, err);
		nb_closep(bind_tree);
		return r;
	case NB_MOUNT_TMPFS: return nb_mount_fs_labeled("tmpfs", target, attrs, m->data, label, err);
	case NB_MOUNT_PROC: return mount_or_bind("proc", "/proc", target, attrs, NULL, err);
	case NB_MOUNT_DEVPTS: return nb_mount_fs_labeled("devpts", target, attrs, m->data, label, err);
	case NB_MOUNT_MQUEUE: return nb_mount_fs_labeled("mqueue", target, attrs, m->data, label, err);
	case NB_MOUNT_SYSFS: return mount_or_bind("sysfs", "/sys", target, attrs, NULL, err);
	/* The cgroups issue mounts the v1 hierarchies on hybrid hosts. */
	case NB_MOUNT_CGROUP:
		return mount_or_bind("cgroup2", "/sys/fs/cgroup", target, attrs, m->data, err);
	case NB_MOUNT_OTHER: return nb_mount_fs(m->fstype, target, attrs, m->data, err);
	case NB_MOUNT_DEV:
		r = nb_mount_fs_labeled("tmpfs", target, attrs, m->data, label, err);
		return r < 0 ? r : nb_dev_populate(rootfd, m->dest, false, err);
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

/* Clone every bind source before the root is staged: a source under the
 * staging point would otherwise resolve into the new root. */
static int clone_sources(const struct nb_config *cfg, const int *pre_trees, int *trees,
			 struct nb_error *err)
{
	for (size_t i = 0; i < cfg->n_mounts; i++) {
		const struct nb_mount *m = &cfg->mounts[i];
		int r;

		trees[i] = -1;
		if (m->kind != NB_MOUNT_BIND)
			continue;
		if (pre_trees && pre_trees[i] >= 0) {
			trees[i] = pre_trees[i];   /* ours to close: a copy of the parent's fd */
			continue;
		}
		r = nb_mount_clone(AT_FDCWD, m->source, m->flags & NB_MNT_RECURSIVE, &trees[i], err);
		if (r < 0)
			return nb_error_prefix(err, "bind mount '%s' on '%s'", m->source, m->dest);
	}
	return 0;
}

static int stage_root(const struct nb_config *cfg, int *ret_rootfd, struct nb_error *err)
{
	_cleanup_close_ int tree = -1, stage = -1;
	const char *src = cfg->rootfs ? cfg->rootfs : "/";
	int r;

	r = nb_mount_clone(AT_FDCWD, src, true, &tree, err);
	if (r < 0)
		return nb_error_prefix(err, "%s", cfg->rootfs ? "--rootfs" : "root");
	if (!cfg->rootfs) {
		/* The host's root, read-only all the way down, like bwrap --ro-bind / /. */
		r = nb_mount_setattr(tree, MOUNT_ATTR_RDONLY, true, err);
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

static int enter_root(int rootfd, enum nb_propagation propagation, struct nb_error *err)
{
	/* pivot_root(".", ".") stacks the old root on top of the new one;
	 * detaching it leaves no way back (no /.oldroot to find). */
	if (fchdir(rootfd) < 0)
		return nb_error_errno(err, "enter new root");
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return nb_error_errno(err, "pivot_root");
	if (umount2(".", MNT_DETACH) < 0)
		return nb_error_errno(err, "detach old root");
	if (chdir("/") < 0)
		return nb_error_errno(err, "chdir '/'");
	if (propagation == NB_PROPAGATION_SHARED &&
	    mount(NULL, "/", NULL, MS_REC | MS_SHARED, NULL) < 0)
		return nb_error_errno(err, "make mounts shared");
	if (propagation == NB_PROPAGATION_UNBINDABLE &&
	    mount(NULL, "/", NULL, MS_UNBINDABLE, NULL) < 0)
		return nb_error_errno(err, "make mounts unbindable");
	return 0;
}

/* linux.sysctl ("net.ipv4.ip_forward=1", or with '/'), through the new
 * root's /proc/sys: before readonlyPaths makes /proc/sys read-only. */
static int apply_sysctls(int rootfd, const struct nb_strv *sysctl, struct nb_error *err)
{
	for (size_t i = 0; i < sysctl->len; i++) {
		const char *kv = sysctl->items[i], *eq = strchr(kv, '=');
		_cleanup_close_ int fd = -1;
		char path[512];
		int n;

		if (!eq)
			continue;
		n = snprintf(path, sizeof(path), "/proc/sys/%.*s", (int)(eq - kv), kv);
		if (n < 0 || (size_t)n >= sizeof(path))
			return nb_error_set(err, ENAMETOOLONG, "sysctl '%s': name too long", kv);
		if (!memchr(kv, '/', (size_t)(eq - kv)))
			for (char *p = path + 10; *p; p++)
				if (*p == '.')
					*p = '/';
		fd = nb_mount_open_file(rootfd, path, O_WRONLY);
		if (fd < 0)
			return nb_error_sys(err, -fd, "linux.sysctl '%.*s'", (int)(eq - kv), kv);
		if (write(fd, eq + 1, strlen(eq + 1)) < 0)
			return nb_error_errno(err, "linux.sysctl '%s'", kv);
	}
	return 0;
}

/* After the mounts, before pivot_root: what an OCI config adds. */
static int apply_oci_extras(int rootfd, const struct nb_config *cfg, struct nb_error *err)
{
	int r = apply_sysctls(rootfd, &cfg->oci.sysctl, err);

	if (r < 0)
		return r;
	if (cfg->oci_devices) {
		r = nb_dev_populate(rootfd, "/dev", true, err);
		if (r < 0)
			return nb_error_prefix(err, "default devices");
	}
	for (size_t i = 0; i < cfg->oci.n_devices; i++) {
		r = nb_dev_add(rootfd, &cfg->oci.devices[i], err);
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

static void close_trees(int *trees, size_t n)
{
	for (size_t i = 0; i < n; i++)
		nb_closep(&trees[i]);
	free(trees);
}

int nb_rootfs_enter(const struct nb_config *cfg, int rootfd, struct nb_error *err)
{
	int r = enter_root(rootfd, cfg->propagation, err);

	close(rootfd);
	return r;
}

int nb_rootfs_prepare(const struct nb_config *cfg, const int *pre_trees, int *ret_rootfd,
		      struct nb_error *err)
{
	_cleanup_close_ int rootfd = -1;
	int *trees = calloc(cfg->n_mounts + 1, sizeof(int));
	int r;

	if (!trees)
		return nb_error_set(err, ENOMEM, "out of memory");
	/* Private or slave first: nothing made here may reach the host. */
	r = nb_mount_make_rprivate(cfg->propagation == NB_PROPAGATION_SLAVE ||
				   cfg->propagation == NB_PROPAGATION_SHARED, err);
	if (r >= 0)
		r = clone_sources(cfg, pre_trees, trees, err);
	if (r >= 0)
		r = stage_root(cfg, &rootfd, err);
	for (size_t i = 0; r >= 0 && i < cfg->n_mounts; i++) {
		r = apply_mount(rootfd, &cfg->mounts[i], &trees[i], cfg->oci.mount_label, err);
		if (r >= 0 && cfg->mounts[i].propagation != NB_MPROP_NONE)
			r = set_propagation(rootfd, &cfg->mounts[i], err);
		if (r < 0)
			nb_error_prefix(err, "mount '%s'", cfg->mounts[i].dest);
	}
	close_trees(trees, cfg->n_mounts);
	if (r < 0)
		return r;
	r = apply_oci_extras(rootfd, cfg, err);
	if (r < 0)
		return r;
	if (cfg->rootfs && cfg->root_readonly) {
		r = nb_mount_setattr(rootfd, MOUNT_ATTR_RDONLY, false, err);
		if (r < 0)
			return nb_error_prefix(err, "--ro");
	}
	*ret_rootfd = TAKE_FD(rootfd);
	return 0;
}
