/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * process.h: creating the sandbox's first process and signalling it.
 *
 * clone3(2) with CLONE_PIDFD gives the parent a pidfd at once, so every
 * later signal and wait names the process, never a pid that could be
 * recycled. The child runs on a copy of the parent's stack, like fork().
 */
#ifndef NSBOX_LINUX_PROCESS_H
#define NSBOX_LINUX_PROCESS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/error.h"

/* clone3 with FLAGS (CLONE_NEW* ...) | CLONE_PIDFD, exit signal SIGCHLD.
 * Returns the pid in the parent (with *RET_PIDFD set), 0 in the child.
 * Caveat: the child's glibc thread data still names the parent's tid, so
 * the child must not use raise(), abort() or pthread_* (it does not). */
pid_t nb_clone3(uint64_t flags, int *ret_pidfd, struct nb_error *err);
/* The same, the child born in the cgroup v2 CGROUP_FD (CLONE_INTO_CGROUP)
 * when it is not -1. */
pid_t nb_clone3_into(uint64_t flags, int cgroup_fd, int *ret_pidfd, struct nb_error *err);

/* A child that shares our memory until its exec, as vfork() does: clone3
 * with FLAGS | CLONE_VM | CLONE_VFORK (and CGROUP_FD as above). The child
 * runs FN(ARG) on our stack, below our frame, and must end in an exec or
 * _exit(), never return; we are suspended until it does. Nothing of our
 * memory is copied, and no copy is torn down by its exec. What it writes
 * (the heap, globals, errno) is ours: it may write only what we no longer
 * use, and it shares our mm's flags (PR_SET_DUMPABLE). Returns the pid
 * (with *RET_PIDFD set) once the child has exec'd or exited. Only where
 * nb_clone3_shared_available(). */
bool nb_clone3_shared_available(void);
pid_t nb_clone3_shared(uint64_t flags, int cgroup_fd, int *ret_pidfd, void (*fn)(void *), void *arg,
		       struct nb_error *err);

int nb_pidfd_signal(int pidfd, int sig);

/* The pid, in our pid namespace, of the process PIDFD names (from
 * /proc/self/fdinfo), or 0 if it is unknown or has exited. */
pid_t nb_pidfd_pid(int pidfd);

/* Die with SIG when the parent dies. Returns -ESRCH if it already has. */
int nb_set_pdeathsig(int sig, pid_t expected_parent);

#endif
