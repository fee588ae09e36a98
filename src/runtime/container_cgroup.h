/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * container_cgroup.h: the commands on a container's cgroup, as runc has
 * them: pause and resume (the freezer), update (new limits), and the
 * cgroup itself for `events` (statistics, OOM kills).
 *
 * A container without a cgroup of its own (rootless, where nsbox may not
 * make one) gets a clear error from each.
 */
#ifndef NSBOX_RUNTIME_CONTAINER_CGROUP_H
#define NSBOX_RUNTIME_CONTAINER_CGROUP_H

#include "base/error.h"
#include "base/strutil.h"
#include "linux/cgroup.h"
#include "spec/resources.h"

/* Freeze every process of a created or running container (runc: "container
 * not running" otherwise). */
int nb_container_pause(const char *root, const char *id, struct nb_error *err);

/* Thaw a paused container (runc: "container not paused" otherwise). */
int nb_container_resume(const char *root, const char *id, struct nb_error *err);

/* Apply R to the cgroup of a container that has not stopped (its device
 * rules as they are: the caller drops those `update` ignores). What means
 * nothing on this host goes to WARNINGS. */
int nb_container_update(const char *root, const char *id, const struct nb_resources *r,
			struct nb_strv *warnings, struct nb_error *err);

/* Open the cgroup of a container that has not stopped into CG; its
 * process's pidfd into *RET_PIDFD (readable when it ends). */
int nb_container_cgroup(const char *root, const char *id, struct nb_cgroup *cg, int *ret_pidfd,
			struct nb_error *err);

#endif
