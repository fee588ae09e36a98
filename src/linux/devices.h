/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * devices.h: device nodes in a sandbox's /dev, and the masked and
 * read-only paths of the OCI spec. All paths are resolved inside the new
 * root (ROOTFD) and never follow a symlink out of it.
 */
#ifndef NSBOX_LINUX_DEVICES_H
#define NSBOX_LINUX_DEVICES_H

#include <stdbool.h>

#include "base/error.h"
#include "spec/config.h"

/* The standard devices (null zero full random urandom tty), bound from the
 * host onto empty files (this works in a user namespace, where mknod does
 * not), the /dev/fd and std* symlinks, ptmx, and the shm and pts dirs.
 * EXISTING_OK (an OCI /dev may hold some already: a pod's shm bound, the
 * image's own nodes; a /dev bound from the host is never populated, see
 * nb_config_binds_dev()): an existing device node, mount point or
 * directory is left as it is, untouched, while anything else where a
 * device belongs (a symlink or a file the image planted) is replaced. Without EXISTING_OK any existing
 * entry is an error. PROCFD: a verified procfs (linux/procfs.h). */
int nb_dev_populate(int rootfd, int procfd, const char *dev, bool existing_ok, struct nb_error *err);

/* One linux.devices entry: mknod when allowed, else a bind of the host's
 * node at the same path. An existing device node or mount point is kept;
 * a symlink or file there is replaced. Not for a /dev bound from the host
 * (nb_config_binds_dev()), where runc and nsbox make nothing. */
int nb_dev_add(int rootfd, int procfd, const struct nb_device *d, struct nb_error *err);

/* maskedPaths: /dev/null over files, an empty read-only tmpfs over dirs.
 * readonlyPaths: a read-only bind of the path onto itself. Missing paths
 * are skipped, as the spec allows. */
int nb_mask_paths(int rootfd, const struct nb_strv *paths, struct nb_error *err);
int nb_readonly_paths(int rootfd, const struct nb_strv *paths, struct nb_error *err);

#endif
