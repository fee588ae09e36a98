/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * security.h: the process attributes of a plan beyond namespaces and
 * mounts: capabilities, rlimits, no_new_privs, seccomp, scheduling, and
 * the OCI extras (hooks, devices, sysctls, masked paths, and the resource
 * limits of spec/resources.h). Plain data, filled
 * by spec/oci.c (config.json) and later by `nsbox run` options; applied by
 * linux/caps.c, linux/seccomp.c, linux/procattr.c in the child.
 */
#ifndef NSBOX_SPEC_SECURITY_H
#define NSBOX_SPEC_SECURITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/strutil.h"
#include "spec/mempolicy.h"
#include "spec/netdev.h"
#include "spec/resources.h"

/* Capability sets as bit masks of CAP_* numbers (0..63). */
struct nb_caps {
	bool set;                 /* false: leave the sets as the kernel makes them */
	bool clamp;               /* keep only what nsbox itself holds, instead of
	                           * failing (`nsbox run --cap-add ALL`) */
	uint64_t bounding, effective, inheritable, permitted, ambient;
};

/* Capability name ("CAP_SYS_ADMIN", case-insensitive, "CAP_" optional) to number. */
int nb_cap_from_name(const char *name, int *ret);
const char *nb_cap_name(int cap);
#define NB_CAP_LAST 40          /* CAP_CHECKPOINT_RESTORE, Linux 5.9 */

struct nb_rlimit {
	int resource;             /* RLIMIT_* */
	uint64_t soft, hard;
};
/* "RLIMIT_NOFILE" to RLIMIT_NOFILE, and back (NULL if unknown). */
int nb_rlimit_from_name(const char *name, int *ret);
const char *nb_rlimit_name(int resource);

enum nb_seccomp_action {
	NB_SECCOMP_KILL_THREAD, NB_SECCOMP_KILL_PROCESS, NB_SECCOMP_TRAP, NB_SECCOMP_ERRNO,
	NB_SECCOMP_TRACE, NB_SECCOMP_ALLOW, NB_SECCOMP_LOG, NB_SECCOMP_NOTIFY,
};
int nb_seccomp_action_from_name(const char *name, enum nb_seccomp_action *ret);
/* "SCMP_ACT_ERRNO"...; NULL for a value out of range. */
const char *nb_seccomp_action_name(enum nb_seccomp_action action);

enum nb_seccomp_op {
	NB_SECCOMP_OP_NE, NB_SECCOMP_OP_LT, NB_SECCOMP_OP_LE, NB_SECCOMP_OP_EQ,
	NB_SECCOMP_OP_GE, NB_SECCOMP_OP_GT, NB_SECCOMP_OP_MASKED_EQ,
};
int nb_seccomp_op_from_name(const char *name, enum nb_seccomp_op *ret);
/* "SCMP_CMP_EQ"...; NULL for a value out of range. */
const char *nb_seccomp_op_name(enum nb_seccomp_op op);

struct nb_seccomp_arg {
	unsigned index;           /* 0..5 */
	uint64_t value, value_two;
	enum nb_seccomp_op op;
};

struct nb_seccomp_rule {
	struct nb_strv names;     /* syscall names, resolved by linux/seccomp.c */
	enum nb_seccomp_action action;
	uint32_t errno_ret;       /* ERRNO (default EPERM) and TRACE */
	bool has_errno_ret;
	struct nb_seccomp_arg args[6];
	size_t n_args;
};

struct nb_seccomp {
	bool set;
	enum nb_seccomp_action default_action;
	uint32_t default_errno_ret;
	bool has_default_errno_ret;
	struct nb_strv architectures;   /* "SCMP_ARCH_X86_64" ... */
	struct nb_strv flags;           /* "SECCOMP_FILTER_FLAG_LOG" ... */
	char *listener_path;            /* NOTIFY: where to send the listener fd */
	char *listener_metadata;
	struct nb_seccomp_rule *rules;
	size_t n_rules;
};

enum nb_hook_kind {
	NB_HOOK_PRESTART, NB_HOOK_CREATE_RUNTIME, NB_HOOK_CREATE_CONTAINER,
	NB_HOOK_START_CONTAINER, NB_HOOK_POSTSTART, NB_HOOK_POSTSTOP, NB_HOOK_COUNT
};
const char *nb_hook_kind_name(enum nb_hook_kind kind);   /* "createRuntime" ... */

struct nb_hook {
	char *path;
	struct nb_strv args;
	struct nb_strv env;
	bool has_env;             /* false: the hook gets nsbox's own environment,
	                           * as with runc and crun (the spec is silent) */
	int timeout;              /* seconds; 0: none */
};

struct nb_device {
	char type;                /* 'c', 'b', 'u' (= 'c') or 'p' */
	char *path;
	int64_t major, minor;
	uint32_t file_mode;           /* permission bits only (07777) */
	bool has_file_mode;
	uid_t uid;
	gid_t gid;
	bool has_uid, has_gid;
};

struct nb_time_offset {
	bool set;
	int64_t secs;
	uint32_t nanosecs;
};

struct nb_security {
	struct nb_caps caps;
	struct nb_rlimit *rlimits;
	size_t n_rlimits;
	bool no_new_privs;
	bool has_oom_score_adj;
	int oom_score_adj;
	bool has_umask;
	mode_t umask;
	char *apparmor_profile;
	char *selinux_label;
	bool has_ioprio;
	int ioprio_class, ioprio_level;
	bool has_scheduler;
	int sched_policy, sched_nice, sched_priority;
	uint64_t sched_flags, sched_runtime, sched_deadline, sched_period;
	bool has_personality;
	unsigned long personality;
	struct nb_seccomp seccomp;
	bool seccomp_builtin;      /* load nsbox's default profile (spec/seccomp_default.h),
	                            * compiled at build time, instead of .seccomp */
};

/* Everything a config.json adds that `nsbox run` does not (yet) set. */
struct nb_oci_extras {
	struct nb_hook *hooks[NB_HOOK_COUNT];
	size_t n_hooks[NB_HOOK_COUNT];
	struct nb_device *devices;
	size_t n_devices;
	struct nb_strv sysctl;             /* "key=value" */
	struct nb_strv masked_paths;
	struct nb_strv readonly_paths;
	struct nb_strv annotations;        /* "key=value" */
	char *domainname;
	char *mount_label;
	char *cgroups_path;
	char *cgroup_parent;               /* nsbox run --cgroup-parent: the sandbox's cgroup
	                                    * is made under it (spec/run_limits.h) */
	char *notify_dir;                  /* NOTIFY_SOCKET: the state's notify directory,
	                                    * bound on /run/notify (runtime/notify.h) */
	bool has_console_size;
	unsigned console_height, console_width;
	struct nb_time_offset monotonic, boottime;
	struct nb_resources resources;     /* linux.resources, or nsbox run's limits */
	struct nb_mempolicy mempolicy;     /* linux.memoryPolicy (.set) */
	struct nb_netdev *netdevs;         /* linux.netDevices, moved into the
	                                    * container's network namespace */
	size_t n_netdevs;
};

/* Free what SC owns and zero it (an empty SC is fine). */
void nb_seccomp_free(struct nb_seccomp *sc);
void nb_security_free(struct nb_security *sec);
void nb_oci_extras_free(struct nb_oci_extras *x);

#endif
