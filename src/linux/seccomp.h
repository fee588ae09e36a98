/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * seccomp.h: the seccomp filter of the sandboxed command (libseccomp),
 * built from struct nb_seccomp (the OCI linux.seccomp object) and loaded
 * as the last step before exec: after it, only the syscalls the filter
 * allows are left for the runtime's own remaining work.
 *
 * As runc and crun do, a syscall name libseccomp does not know is skipped
 * (profiles list the syscalls of newer kernels), a rule whose action is the
 * default action is skipped (it changes nothing), and conditions that test
 * the same argument twice become one rule per condition (libseccomp cannot
 * AND two tests of one argument; the runtimes OR them).
 *
 * The filter never sets no_new_privs itself: loading it needs either
 * no_new_privs (nb_no_new_privs(), when the plan asks for it) or
 * CAP_SYS_ADMIN in the process's user namespace.
 */
#ifndef NSBOX_LINUX_SECCOMP_H
#define NSBOX_LINUX_SECCOMP_H

#include "base/error.h"
#include "spec/security.h"

/* Build and load SC's filter in the calling thread (with the flag
 * SECCOMP_FILTER_FLAG_TSYNC: in all threads). With a NOTIFY rule the
 * filter's listener fd (close-on-exec) is returned in *RET_NOTIFY_FD, owned
 * by the caller; otherwise *RET_NOTIFY_FD is -1. RET_NOTIFY_FD may be NULL
 * only for a filter without NOTIFY rules. Does nothing when SC->set is
 * false.
 *
 * After a successful load the filter judges every syscall the caller makes,
 * so this function frees nothing then (the filter context is left to the
 * exec), and the caller should do no more than pass the listener on and
 * execve(2): both must be allowed by the filter. */
int nb_seccomp_load(const struct nb_seccomp *sc, int *ret_notify_fd, struct nb_error *err);

#endif
