/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup_view.h: what a sandbox sees at /sys/fs/cgroup: its own cgroup.
 *
 * nsbox (with its privileges, in its mount namespace) clones the sandbox's
 * leaves into detached trees before the sandbox's first process exists;
 * that process attaches them in its own mount namespace:
 *
 *   v2:           the leaf itself, as a fresh cgroup2 mount in the
 *                 sandbox's cgroup namespace would show it (without that
 *                 mount's wait on the kernel's cgroup locks);
 *   v1, hybrid:   a tmpfs holding one tree per hierarchy, named as on the
 *                 host ("cpu,cpuacct", with "cpu" and "cpuacct" symlinks
 *                 to it), plus "unified" for a hybrid host's cgroup2 leaf
 *                 and "systemd" for the name=systemd one, as runc shows them.
 *
 * Cloning needs CAP_SYS_ADMIN over nsbox's mount namespace: a rootless
 * sandbox mounts cgroup2 itself instead (linux/rootfs.c).
 */
#ifndef NSBOX_LINUX_CGROUP_VIEW_H
#define NSBOX_LINUX_CGROUP_VIEW_H

#include <stdbool.h>

#include "base/error.h"
#include "linux/cgroup.h"

struct nb_cgroup_view {
	bool v2;
	int n;                             /* 0: no view */
	int tree[NB_CG_COUNT + 2];         /* + unified (hybrid) + name=systemd */
	char name[NB_CG_COUNT + 2][32];    /* the directory of each tree (v1) */
};

void nb_cgroup_view_init(struct nb_cgroup_view *v);

/* Clone the leaves of CG into V (in the parent). */
int nb_cgroup_view_open(const struct nb_cgroup *cg, struct nb_cgroup_view *v, struct nb_error *err);
void nb_cgroup_view_close(struct nb_cgroup_view *v);

/* Attach V on the directory TARGET (an O_PATH fd) with the MOUNT_ATTR_*
 * flags ATTRS (in the sandbox's mount namespace). */
int nb_cgroup_view_attach(const struct nb_cgroup_view *v, int target, unsigned attrs,
			  struct nb_error *err);

#endif
