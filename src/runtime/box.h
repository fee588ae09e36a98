/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * box.h: isolate's numbered boxes on the host (`nsbox box`).
 *
 * Box N is the directory ROOT/N, holding box/, which the box's programs
 * see as /box: owned by the box's own host uid and gid (first uid + N),
 * so that what a program writes belongs to its box, and RLIMIT_NPROC and
 * file ownership work per box. Every command on box N holds an exclusive
 * flock(2) on ROOT/N.lock for as long as it runs, so two judges never
 * share a box: the second gets "in use", or waits (WAIT). The lock file
 * stays (removing it would race with the next locker).
 *
 * A box's tree is removed without following a symlink and without
 * leaving its filesystem: what a program left there (symlinks to the
 * host's files, say) is unlinked, never followed.
 */
#ifndef NSBOX_RUNTIME_BOX_H
#define NSBOX_RUNTIME_BOX_H

#include <stdbool.h>

#include "base/error.h"
#include "spec/box_args.h"

/* The host's system directories (of bin, lib, lib32, lib64, libx32, sbin,
 * usr) that are directories, not symlinks, into RET (NULL-terminated, at
 * most 8): a run binds them; a box made by nb_box_init() has a mount
 * point for each, and the host's symlinks for the others (bin -> usr/bin
 * on a merged /usr). */
void nb_box_sys_dirs(const char *ret[8]);

/* Lock box A->id (making A->root if need be): *RET_FD holds the lock. */
int nb_box_lock(const struct nb_box_args *a, bool wait, int *ret_fd, struct nb_error *err);

/* Make box A afresh: what an earlier box of that number left is removed. */
int nb_box_init(const struct nb_box_args *a, struct nb_error *err);

/* Is box A made (its box/ a directory of its uid)? */
int nb_box_check(const struct nb_box_args *a, struct nb_error *err);

/* Remove box A; a box that is not there is no error. */
int nb_box_cleanup(const struct nb_box_args *a, struct nb_error *err);

#endif
