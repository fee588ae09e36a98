/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * procfs.h: reads and writes of /proc files that a hostile image cannot
 * redirect.
 *
 * A sandbox's own /proc lies in a root filesystem that its image controls:
 * a tmpfs or a bind could stand there, with fake files, symlinks or a FIFO
 * that blocks whoever reads it (the class of CVE-2019-16884). So nsbox
 * writes its process attributes (oom_score_adj, LSM labels), sysctls and
 * the other /proc files of the set-up only through a procfs it verified:
 * opened in the runtime's view before anything of the sandbox exists,
 * checked to be procfs (PROC_SUPER_MAGIC) at its root, and walked with
 * openat2() without crossing a mount or following a magic link.
 */
#ifndef NSBOX_LINUX_PROCFS_H
#define NSBOX_LINUX_PROCFS_H

#include <stddef.h>
#include <sys/types.h>

#include "base/error.h"

/* Open PATH (normally "/proc") as a verified procfs root: *RET_FD is an
 * O_PATH, close-on-exec directory fd. */
int nb_procfs_open(const char *path, int *ret_fd, struct nb_error *err);

/* Open REL ("self/oom_score_adj", "sys/net/ipv4/ip_forward") under the
 * verified root PROCFD with FLAGS (O_CLOEXEC and O_NOCTTY are added): never
 * leaving it, crossing no mount, following no magic link. The opened file
 * is checked to be on procfs too. Returns the fd or -errno. */
int nb_procfs_openat(int procfd, const char *rel, int flags);

/* Read REL into BUF (NUL-terminated, at most SIZE-1 bytes); -errno. */
ssize_t nb_procfs_read(int procfd, const char *rel, char *buf, size_t size);

/* Write BUF to REL in one write(2), as /proc files want; 0 or -errno. */
int nb_procfs_write(int procfd, const char *rel, const char *buf, size_t len);

#endif
