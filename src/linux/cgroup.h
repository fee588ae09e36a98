/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup.h: cgroup membership. For now only what `exec` needs: put a
 * process in the cgroups of another (a container's), on cgroup v1, hybrid
 * and v2 hosts alike. The cgroups issue adds creating cgroups and limits.
 */
#ifndef NSBOX_LINUX_CGROUP_H
#define NSBOX_LINUX_CGROUP_H

#include <sys/types.h>

#include "base/error.h"

/* Move SELF into every cgroup TARGET is in, as /proc/TARGET/cgroup lists
 * them, under the hierarchies mounted at /sys/fs/cgroup. A hierarchy that
 * is not mounted there, a cgroup SELF is in already, and one it may not
 * write (rootless) are skipped. */
int nb_cgroup_join_like(pid_t target, pid_t self, struct nb_error *err);

#endif
