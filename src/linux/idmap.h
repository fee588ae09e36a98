/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * idmap.h: writing a child's uid_map and gid_map.
 *
 * The kernel's rules (user_namespaces(7)): each map file takes exactly one
 * write; an unprivileged writer may map only its own id, and must write
 * "deny" to /proc/PID/setgroups before gid_map. Anything else an
 * unprivileged caller asks for goes through the setuid helpers newuidmap
 * and newgidmap (Debian's uidmap), which check /etc/subuid and /etc/subgid.
 */
#ifndef NSBOX_LINUX_IDMAP_H
#define NSBOX_LINUX_IDMAP_H

#include <stdbool.h>
#include <sys/types.h>

#include "base/error.h"
#include "spec/config.h"

/* Write the maps of the user namespace of PID, as the caller EUID/EGID.
 * Sets *ret_setgroups_denied when setgroups(2) is disabled in it. */
/* Does nsbox run in the host's (initial) user namespace? Root in another
 * one (rootless podman runs its runtime so) is not the host's root: host
 * files such as the cgroup tree are not its own. */
bool nb_in_initial_userns(void);

int nb_idmap_apply(pid_t pid, const struct nb_idmap *uids, const struct nb_idmap *gids,
		   uid_t euid, gid_t egid, bool *ret_setgroups_denied, struct nb_error *err);

/* A user namespace holding UIDS and GIDS, for an idmapped mount
 * (mount_setattr MOUNT_ATTR_IDMAP): made by a short-lived child, whose
 * maps are written like a sandbox's, then pinned by an fd in *RET_FD. */
int nb_idmap_userns_fd(const struct nb_idmap *uids, const struct nb_idmap *gids,
		       uid_t euid, gid_t egid, int *ret_fd, struct nb_error *err);

#endif
