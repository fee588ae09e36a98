/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mempolicy.h: the NUMA memory policy of the container's process
 * (linux.memoryPolicy, spec/mempolicy.h), set with the raw set_mempolicy(2)
 * system call (no libnuma).
 *
 * The policy belongs to the calling thread and is inherited across fork(2)
 * and kept across execve(2), so the process that will exec sets it on
 * itself, after its last fork and before the seccomp filter (which may
 * refuse set_mempolicy). A node outside the process's cpuset (the
 * container's cgroup, placed before) is the kernel's EINVAL.
 */
#ifndef NSBOX_LINUX_MEMPOLICY_H
#define NSBOX_LINUX_MEMPOLICY_H

#include "base/error.h"
#include "spec/mempolicy.h"

/* set_mempolicy(MP's mode | flags, its nodes) on the calling thread; 0 at
 * once if MP is not set. */
int nb_mempolicy_apply(const struct nb_mempolicy *mp, struct nb_error *err);

#endif
