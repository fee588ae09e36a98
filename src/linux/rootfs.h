/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rootfs.h: building the sandbox's filesystem from the plan and moving
 * into it. Runs in the child, inside its new mount namespace.
 *
 * Steps: make every mount private (or slave) so nothing leaks to the host;
 * clone the root tree (the host's "/" read-only, or --rootfs DIR) and the
 * sources of bind mounts; attach the root at a staging point; apply the
 * plan's mounts in order, resolving each destination inside the new root;
 * pivot_root into it and detach the old root, so no path leads back.
 */
#ifndef NSBOX_LINUX_ROOTFS_H
#define NSBOX_LINUX_ROOTFS_H

#include "base/error.h"
#include "linux/cgroup_view.h"
#include "spec/config.h"

/* Check, before anything is created, that --rootfs names a directory. */
int nb_rootfs_check(const struct nb_config *cfg, struct nb_error *err);

/* Build the filesystem of CFG, staged: *RET_ROOTFD names the new root.
 * PRE_TREES (or NULL): per mount of CFG, a detached tree the parent made
 * for it (an idmapped bind: nb_rootfs_idmapped_tree()), or -1. PROCFD: a
 * verified procfs (linux/procfs.h) for the few /proc writes. CGVIEW: the
 * sandbox's own cgroup for a "cgroup" mount (linux/cgroup_view.h), or NULL
 * (or empty): such a mount is a fresh cgroup2, or the host's tree. */
int nb_rootfs_prepare(const struct nb_config *cfg, const int *pre_trees, const struct nb_cgroup_view *cgview,
		      int procfd, int *ret_rootfd, struct nb_error *err);

/* The detached tree of an idmapped bind mount M, made with the caller's
 * privileges: only the filesystem's own user namespace (the host's) may
 * idmap it, not a sandbox's new one. */
int nb_rootfs_idmapped_tree(const struct nb_mount *m, uid_t euid, gid_t egid, int *ret_fd,
			    struct nb_error *err);
/* pivot_root into ROOTFD (consumed) and detach the old root. PROCFD: a
 * verified procfs, to read our mountinfo (OCI rshared). */
int nb_rootfs_enter(const struct nb_config *cfg, int rootfd, int procfd, struct nb_error *err);

#endif
