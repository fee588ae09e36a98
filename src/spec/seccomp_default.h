/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * seccomp_default.h: the default seccomp profile of `nsbox run`, as plain
 * data (a struct nb_seccomp, the shape of an OCI linux.seccomp object).
 *
 * In the spirit of Docker's default profile, written for nsbox:
 *  - an allow-list: a call nsbox does not list, or a call newer than every
 *    kernel nsbox knows, gets ENOSYS (the default action), so programs fall
 *    back as on an older kernel (glibc's clone3 → clone);
 *  - EPERM for the calls a sandbox must not make: keyrings, eBPF, perf,
 *    modules, kexec, mounts, namespaces (setns; unshare and clone with a
 *    CLONE_NEW* flag), file handles, userfaultfd, io_uring, the host's
 *    clock, swap, reboot and the like (each group is commented in the .c);
 *  - EPERM by argument: socket(AF_ALG), socket(AF_VSOCK), the TIOCSTI and
 *    TIOCLINUX ioctls (the low 32 bits of the command, which is all the
 *    kernel looks at), personality() other than the safe values;
 *  - no architecture listed: only the native ABI; libseccomp's
 *    bad-architecture action kills a call of any other (i386's int $0x80,
 *    x32).
 * Names of other architectures (vm86, stime...) are listed where Docker's
 * profile has them; libseccomp skips them on this one.
 *
 * linux/seccomp_default.h loads the same profile as BPF generated from this
 * data with libseccomp at build time.
 */
#ifndef NSBOX_SPEC_SECCOMP_DEFAULT_H
#define NSBOX_SPEC_SECCOMP_DEFAULT_H

#include "base/error.h"
#include "spec/security.h"

/* The default action's errno. */
#define NB_SECCOMP_DEFAULT_ERRNO 38   /* ENOSYS */

/* Fill *RET (overwritten; set is true) with the default profile; the
 * caller frees it with nb_seccomp_free(), also after a failure (only
 * ENOMEM). */
int nb_seccomp_default_profile(struct nb_seccomp *ret, struct nb_error *err);

#endif
