/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mount.h: mount primitives on file descriptors (the new mount API).
 *
 * Paths inside a root filesystem are untrusted: they are resolved with
 * openat2(RESOLVE_IN_ROOT), so a symlink in the rootfs can never point a
 * mount outside it, and every mount is attached to an fd, not a path.
 */
#ifndef NSBOX_LINUX_MOUNT_H
#define NSBOX_LINUX_MOUNT_H

#include <stdbool.h>

#include "base/error.h"

enum nb_target_type {
	NB_TARGET_DIR,
	NB_TARGET_FILE,
};

/* Resolve PATH under ROOTFD without leaving it, creating missing
 * directories (mode 0755) and, for NB_TARGET_FILE, an empty last file.
 * Returns an O_PATH fd in *RET_FD. */
int nb_mount_target(int rootfd, const char *path, enum nb_target_type type, int *ret_fd,
		    struct nb_error *err);
/* The same, except that a dangling symlink on the way is followed (inside
 * the root) and its target created, as runc and crun do for an OCI mount's
 * destination. nsbox's own sandboxes refuse such a path instead. */
int nb_mount_target_follow(int rootfd, const char *path, enum nb_target_type type, int *ret_fd,
			   struct nb_error *err);

/* Open an existing PATH under ROOTFD (no leaving it, no magic links) with
 * FLAGS (O_CLOEXEC added). Returns the fd or -errno. */
int nb_mount_open_file(int rootfd, const char *path, int flags);

/* Mount a new filesystem FSTYPE on TARGETFD. ATTRS are MOUNT_ATTR_* flags;
 * DATA is a comma-separated option list ("mode=1777,size=65536"). */
int nb_mount_fs(const char *fstype, int targetfd, unsigned attrs, const char *data,
		struct nb_error *err);

/* A new filesystem with everything a plan may say of it. */
struct nb_fs_opts {
	const char *fstype;
	const char *source;   /* shown in mountinfo; a block device's path; or NULL */
	const char *data;     /* "mode=1777,size=65536", or NULL */
	const char *label;    /* SELinux context (OCI linux.mountLabel), or NULL: fsconfig
	                       * "context" as a whole string (labels hold commas) */
	unsigned attrs;       /* MOUNT_ATTR_* of the new mount */
	bool sync, dirsync;   /* superblock flags */
};

/* Mount the filesystem of O on TARGETFD. */
int nb_mount_fs_opts(const struct nb_fs_opts *o, int targetfd, struct nb_error *err);

/* Clone the mount tree at SRC (relative to DIRFD; recursively when RECURSIVE)
 * into a detached tree, returned in *RET_FD for nb_mount_attach(). */
int nb_mount_clone(int dirfd, const char *src, bool recursive, int *ret_fd, struct nb_error *err);

/* Set MOUNT_ATTR_* flags on the mount tree at FD (recursively when RECURSIVE). */
int nb_mount_setattr(int fd, unsigned attrs, bool recursive, struct nb_error *err);

/* Set ATTRS and clear CLEAR (MOUNT_ATTR__ATIME to change the atime mode). */
int nb_mount_setattr_clr(int fd, unsigned attrs, unsigned clear, bool recursive, struct nb_error *err);

/* Attach the detached tree TREEFD on TARGETFD. */
int nb_mount_attach(int treefd, int targetfd, struct nb_error *err);

/* Make everything under "/" private (or slave) in this mount namespace. */
int nb_mount_make_rprivate(bool slave, struct nb_error *err);

#endif
