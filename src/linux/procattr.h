/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * procattr.h: the per-process attributes of struct nb_security that are
 * neither capabilities nor seccomp: umask, personality, rlimits,
 * oom_score_adj, I/O priority, CPU scheduler, and the LSM labels the
 * command gets at exec (AppArmor profile, SELinux label); plus
 * no_new_privs.
 *
 * All of them are set by the sandbox's child on itself after its last
 * fork and before exec; they survive the identity change and execve(2)
 * (the LSM labels take effect at execve). Some need privilege: raising a
 * hard rlimit or lowering oom_score_adj needs CAP_SYS_RESOURCE, a
 * real-time scheduler CAP_SYS_NICE (or RLIMIT_RTPRIO).
 */
#ifndef NSBOX_LINUX_PROCATTR_H
#define NSBOX_LINUX_PROCATTR_H

#include "base/error.h"
#include "spec/security.h"

/* Apply umask, personality, the LSM exec labels, ioprio, rlimits and
 * scheduler of SEC, in that order, to the calling process (rlimits late, so
 * that a low RLIMIT_NOFILE cannot fail the /proc writes; the scheduler after
 * RLIMIT_RTPRIO and RLIMIT_NICE). Call it while still privileged (before
 * setuid and the capability drop), in the process that will exec. /proc
 * files are written through PROCFD, a verified procfs (linux/procfs.h),
 * never through the sandbox's own /proc. oom_score_adj is not among them:
 * see nb_procattr_set_oom_score_adj(). */
int nb_procattr_apply(const struct nb_security *sec, int procfd, struct nb_error *err);

/* Write oom_score_adj of process PID (0: the caller) through PROCFD. The
 * parent does it for a sandbox's first process, before that process is
 * released: the process itself, being non-dumpable, may not own its /proc
 * files. Lowering the value needs CAP_SYS_RESOURCE. */
int nb_procattr_set_oom_score_adj(int procfd, pid_t pid, int value, struct nb_error *err);

/* Check that the host has the LSMs SEC asks for: an AppArmor profile needs
 * AppArmor enabled, an SELinux label SELinux. It reads the host's /proc and
 * /sys, so call it in nsbox's own view, before the sandbox's process exists:
 * the answer is cached, and the sandbox's process (a copy) never probes a
 * filesystem that its image controls. */
int nb_procattr_check_lsm(const struct nb_security *sec, struct nb_error *err);

/* prctl(PR_SET_NO_NEW_PRIVS): from now on execve(2) grants no privilege
 * (setuid bits and file capabilities are ignored), and a seccomp filter can
 * be loaded without CAP_SYS_ADMIN. It cannot be undone. */
int nb_no_new_privs(struct nb_error *err);

#endif
