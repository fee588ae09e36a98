/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup_tree.h: a cgroup and the cgroups below it, which a container may
 * make (a read-write cgroup mount, systemd inside): the processes of the
 * whole subtree, and its removal, deepest first.
 */
#ifndef NSBOX_LINUX_CGROUP_TREE_H
#define NSBOX_LINUX_CGROUP_TREE_H

#include <stddef.h>
#include <sys/types.h>

/* Add the pids in DIRFD's cgroup.procs and in every cgroup below it to
 * *PIDS (*N of them, malloc'd, grown; a pid already there is not added
 * again). 0 or -errno. */
int nb_cg_tree_pids(int dirfd, pid_t **pids, size_t *n);

/* Remove the cgroup NAME under PARENT and every cgroup below it, deepest
 * first, each rmdir waiting (at most WAIT_MS) for a cgroup the kernel still
 * tears down. A missing one is no error. 0 or -errno (EBUSY: processes). */
int nb_cg_tree_remove(int parent, const char *name, int wait_ms);

#endif
