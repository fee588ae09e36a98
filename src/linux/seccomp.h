/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * seccomp.h: the seccomp filter of the sandboxed command (libseccomp),
 * built from struct nb_seccomp (the OCI linux.seccomp object) and loaded
 * as the last step before exec: after it, only the syscalls the filter
 * allows are left for the runtime's own remaining work.
 *
 * A filter never fails open. Syscall names are resolved in this order:
 *  1. libseccomp's table. A name it knows only for another architecture
 *     (a negative pseudo number) is added as always: libseccomp places it
 *     in the architectures that have the call.
 *  2. nsbox's table (linux/syscall_table.h) of the calls newer than
 *     libseccomp 2.5.4's: the rule is added by number for the native ABI
 *     and, when SCMP_ARCH_X32 is listed, by the x32 number. libseccomp takes
 *     a number it does not know only in a context whose one architecture is
 *     the native one (it translates numbers through the native name), so
 *     the listed architectures are built in a second context and merged.
 *     It cannot place such a number in the compat ABI at all (SCMP_ARCH_X86
 *     on x86-64, SCMP_ARCH_ARM on arm64). There, unless losing the rule is
 *     harmless (see 3.), a guard does it: a second filter, loaded before the
 *     profile's, that gives the rule's action to every compat call that
 *     libseccomp does not know (so on the compat ABI it also refuses the
 *     other calls newer than libseccomp, which the profile may allow).
 *  3. Neither knows it: the rule is skipped if losing it opens nothing,
 *     that is if its action is SCMP_ACT_ALLOW or SCMP_ACT_LOG, or if the
 *     default action takes precedence over it in the kernel's order
 *     (KILL_PROCESS, KILL_THREAD, TRAP, ERRNO, NOTIFY, TRACE, LOG, ALLOW),
 *     as an ERRNO rule under a default ERRNO: the call is refused either
 *     way, perhaps with another errno. Otherwise it is an error.
 * As runc and crun do, a rule whose action is the default action is
 * skipped (it changes nothing), and conditions that test the same argument
 * twice become one rule per condition (libseccomp cannot AND two tests of
 * one argument; the runtimes OR them).
 *
 * The filter never sets no_new_privs itself: loading it needs either
 * no_new_privs (nb_no_new_privs(), when the plan asks for it) or
 * CAP_SYS_ADMIN in the process's user namespace.
 */
#ifndef NSBOX_LINUX_SECCOMP_H
#define NSBOX_LINUX_SECCOMP_H

#include <linux/filter.h>
#include <stddef.h>

#include "base/error.h"
#include "spec/security.h"

/* A filter built by libseccomp and not loaded yet. */
struct nb_seccomp_filter;

/* Build SC's filter (SC->set must be true). Every check of the profile
 * happens here; *RET is freed with nb_seccomp_filter_free(). */
int nb_seccomp_build(const struct nb_seccomp *sc, struct nb_seccomp_filter **ret,
		     struct nb_error *err);

/* Load F in the calling thread (with the flag SECCOMP_FILTER_FLAG_TSYNC:
 * in all threads). With a NOTIFY rule the filter's listener fd
 * (close-on-exec) is returned in *RET_NOTIFY_FD, owned by the caller;
 * otherwise *RET_NOTIFY_FD is -1. RET_NOTIFY_FD may be NULL only for a
 * filter without NOTIFY rules.
 *
 * After a successful load the filter judges every syscall the caller makes:
 * free F only if the filter allows what free() does (munmap, brk), or leave
 * it to the exec. */
int nb_seccomp_filter_load(struct nb_seccomp_filter *f, int *ret_notify_fd,
			   struct nb_error *err);

/* F's BPF program as libseccomp generates it (seccomp_export_bpf()), in a
 * malloc'd array of *RET_LEN instructions. Fails with EOPNOTSUPP for a
 * filter with a guard (two programs). */
int nb_seccomp_filter_export(const struct nb_seccomp_filter *f, struct sock_filter **ret,
			     size_t *ret_len, struct nb_error *err);

/* Both of F's programs: the profile in *RET_MAIN, and its guard of the
 * compat architecture in *RET_GUARD (NULL, length 0, when F has none), each
 * malloc'd. The kernel runs both and keeps the action of highest
 * precedence. */
int nb_seccomp_filter_export_both(const struct nb_seccomp_filter *f, struct sock_filter **ret_main,
				  size_t *ret_main_len, struct sock_filter **ret_guard,
				  size_t *ret_guard_len, struct nb_error *err);

void nb_seccomp_filter_free(struct nb_seccomp_filter *f);

/* Build and load SC's filter (nb_seccomp_build(), nb_seccomp_filter_load());
 * does nothing when SC->set is false. After a successful load nothing is
 * freed: the caller should do no more than pass the listener on and
 * execve(2), both of which the filter must allow. */
int nb_seccomp_load(const struct nb_seccomp *sc, int *ret_notify_fd, struct nb_error *err);

#endif
