/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The default seccomp profile of `nsbox run` (see the header). */
#include "spec/seccomp_default.h"
#include "base/cleanup.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/socket.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080   /* Linux 5.6 */
#endif

/*
 * Allowed: the calls of an ordinary program. Kernel permission checks still
 * apply: the id, capability and scheduling calls act inside the sandbox's
 * user namespace; chroot, mknod, sethostname and setdomainname need
 * capabilities over the sandbox's own namespaces. ptrace and
 * process_vm_readv/writev are allowed: since Linux 4.8 seccomp runs after
 * the tracer has seen a call, so a tracer cannot turn a call into one the
 * filter refuses (nsbox needs Linux 5.3). uretprobe and uprobe are entered
 * only from the trampolines of a host's tracer and kill any other caller.
 * Not listed, hence ENOSYS: clone3 (its flags are in memory, out of
 * seccomp's reach; glibc falls back to clone), the calls no kernel
 * implements (afs_syscall, tuxcall, security, getpmsg, putpmsg, vserver,
 * epoll_ctl_old, epoll_wait_old), and every call newer than Linux 6.18.
 */
static const char *const allowed[] = {
	"accept", "accept4", "access", "alarm", "arch_prctl", "bind", "brk", "cachestat",
	"capget", "capset", "chdir", "chmod", "chown", "chroot", "clock_getres",
	"clock_gettime", "clock_nanosleep", "close", "close_range", "connect",
	"copy_file_range", "creat", "dup", "dup2", "dup3", "epoll_create", "epoll_create1",
	"epoll_ctl", "epoll_pwait", "epoll_pwait2", "epoll_wait", "eventfd", "eventfd2",
	"execve", "execveat", "exit", "exit_group", "faccessat", "faccessat2", "fadvise64",
	"fallocate", "fanotify_mark", "fchdir", "fchmod", "fchmodat", "fchmodat2", "fchown",
	"fchownat", "fcntl", "fdatasync", "fgetxattr", "file_getattr", "file_setattr",
	"flistxattr", "flock", "fork", "fremovexattr", "fsetxattr", "fstat", "fstatfs",
	"fsync", "ftruncate", "futex", "futex_requeue", "futex_wait", "futex_waitv",
	"futex_wake", "futimesat", "get_mempolicy", "get_robust_list", "get_thread_area",
	"getcpu", "getcwd", "getdents", "getdents64", "getegid", "geteuid", "getgid",
	"getgroups", "getitimer", "getpeername", "getpgid", "getpgrp", "getpid", "getppid",
	"getpriority", "getrandom", "getresgid", "getresuid", "getrlimit", "getrusage",
	"getsid", "getsockname", "getsockopt", "gettid", "gettimeofday", "getuid",
	"getxattr", "getxattrat", "inotify_add_watch", "inotify_init", "inotify_init1",
	"inotify_rm_watch", "io_cancel", "io_destroy", "io_getevents", "io_pgetevents",
	"io_setup", "io_submit", "ioprio_get", "ioprio_set", "kill", "landlock_add_rule",
	"landlock_create_ruleset", "landlock_restrict_self", "lchown", "lgetxattr", "link",
	"linkat", "listen", "listmount", "listxattr", "listxattrat", "llistxattr",
	"lremovexattr", "lseek", "lsetxattr", "lsm_get_self_attr", "lsm_list_modules",
	"lsm_set_self_attr", "lstat", "madvise", "map_shadow_stack", "membarrier",
	"memfd_create", "memfd_secret", "mincore", "mkdir", "mkdirat", "mknod", "mknodat",
	"mlock", "mlock2", "mlockall", "mmap", "mprotect", "mq_getsetattr", "mq_notify",
	"mq_open", "mq_timedreceive", "mq_timedsend", "mq_unlink", "mremap", "mseal",
	"msgctl", "msgget", "msgrcv", "msgsnd", "msync", "munlock", "munlockall", "munmap",
	"nanosleep", "newfstatat", "open", "openat", "openat2", "pause", "pidfd_getfd",
	"pidfd_open", "pidfd_send_signal", "pipe", "pipe2", "pkey_alloc", "pkey_free",
	"pkey_mprotect", "poll", "ppoll", "prctl", "pread64", "preadv", "preadv2",
	"prlimit64", "process_madvise", "process_mrelease", "process_vm_readv",
	"process_vm_writev", "pselect6", "ptrace", "pwrite64", "pwritev", "pwritev2", "read",
	"readahead", "readlink", "readlinkat", "readv", "recvfrom", "recvmmsg", "recvmsg",
	"remap_file_pages", "removexattr", "removexattrat", "rename", "renameat", "renameat2",
	"restart_syscall", "rmdir", "rseq", "rt_sigaction", "rt_sigpending",
	"rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend",
	"rt_sigtimedwait", "rt_tgsigqueueinfo", "sched_get_priority_max",
	"sched_get_priority_min", "sched_getaffinity", "sched_getattr", "sched_getparam",
	"sched_getscheduler", "sched_rr_get_interval", "sched_setaffinity", "sched_setattr",
	"sched_setparam", "sched_setscheduler", "sched_yield", "seccomp", "select",
	"semctl", "semget", "semop", "semtimedop", "sendfile", "sendmmsg", "sendmsg",
	"sendto", "set_robust_list", "set_thread_area", "set_tid_address", "setdomainname",
	"setfsgid", "setfsuid", "setgid", "setgroups", "sethostname", "setitimer",
	"setpgid", "setpriority", "setregid", "setresgid", "setresuid", "setreuid",
	"setrlimit", "setsid", "setsockopt", "setuid", "setxattr", "setxattrat", "shmat",
	"shmctl", "shmdt", "shmget", "shutdown", "sigaltstack", "signalfd", "signalfd4",
	"socketpair", "splice", "stat", "statfs", "statmount", "statx", "symlink",
	"symlinkat", "sync", "sync_file_range", "syncfs", "sysinfo", "tee", "tgkill", "time",
	"timer_create", "timer_delete", "timer_getoverrun", "timer_gettime",
	"timer_settime", "timerfd_create", "timerfd_gettime", "timerfd_settime", "times",
	"tkill", "truncate", "umask", "uname", "unlink", "unlinkat", "uprobe", "uretprobe",
	"utime", "utimensat", "utimes", "vfork", "vmsplice", "wait4", "waitid", "write",
	"writev", NULL,
};

/* EPERM, group by group. */
static const char *const denied[][16] = {
	/* Kernel keyrings are not namespaced: keys of the host's users. */
	{ "add_key", "keyctl", "request_key" },
	/* Code in the kernel: eBPF, perf events (also a side channel), modules,
	 * kexec. */
	{ "bpf", "perf_event_open", "init_module", "finit_module", "delete_module",
	  "create_module", "query_module", "get_kernel_syms", "kexec_load",
	  "kexec_file_load" },
	/* The sandbox's mounts and root are fixed: the old and the new mount
	 * API (Linux 5.2, 6.15). */
	{ "mount", "umount", "umount2", "pivot_root", "move_mount", "open_tree",
	  "open_tree_attr", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr" },
	/* Other namespaces (unshare and clone: by their flags, below). */
	{ "setns" },
	/* File handles skip the path's permission checks and reach outside the
	 * sandbox's root (open_by_handle_at: Docker's "shocker" escape, 2014). */
	{ "open_by_handle_at", "name_to_handle_at" },
	/* Attack surface with a history: userfaultfd stalls kernel copies at
	 * will (exploits' race windows); io_uring's operations are not seen by
	 * seccomp at all. */
	{ "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register" },
	/* The host: reboot, swap, process accounting, the kernel log, quotas,
	 * the hangup of the terminal. */
	{ "reboot", "swapon", "swapoff", "acct", "syslog", "quotactl", "quotactl_fd",
	  "vhangup" },
	/* The host's clocks are not namespaced (time namespaces only offset
	 * CLOCK_MONOTONIC and CLOCK_BOOTTIME). adjtimex also reads; a sandbox
	 * should not need it. */
	{ "settimeofday", "clock_settime", "clock_settime64", "adjtimex", "clock_adjtime",
	  "clock_adjtime64", "stime" },
	/* Hardware and x86 legacy: I/O ports, the LDT (16-bit and 32-bit
	 * segments, for the ABIs the filter refuses anyway), PCI config space,
	 * vm86 mode. */
	{ "iopl", "ioperm", "modify_ldt", "pciconfig_iobase", "pciconfig_read",
	  "pciconfig_write", "vm86", "vm86old" },
	/* Obsolete interfaces nothing needs. */
	{ "lookup_dcookie", "nfsservctl", "uselib", "ustat", "sysfs", "_sysctl", "bdflush" },
	/* kcmp orders kernel pointers (a KASLR leak); fanotify_init watches
	 * whole filesystems. */
	{ "kcmp", "fanotify_init" },
	/* NUMA policy and page migration: another process's memory, the
	 * host's nodes. */
	{ "mbind", "set_mempolicy", "set_mempolicy_home_node", "move_pages",
	  "migrate_pages" },
};

/* The namespace flags of clone and unshare. x86-64's and arm64's clone
 * take the flags in argument 0 (s390 swaps the first two; not a target).
 * clone's low byte is the exit signal, so CLONE_NEWTIME (0x80) cannot reach
 * the kernel through clone; it is tested anyway, for unshare's sake. */
static const uint64_t ns_flags[] = {
	CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER,
	CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWTIME,
};

/* The personalities a program may set (and 0xffffffff, which only asks):
 * Linux, 32-bit uname (setarch linux32), and UNAME26 with each. The
 * others, ADDR_NO_RANDOMIZE first, weaken the process. */
static const uint64_t personalities[] = {
	PER_LINUX, PER_LINUX32, UNAME26, UNAME26 | PER_LINUX32, 0xffffffff,
};

/* AF_ALG: the kernel's crypto API, a steady source of CVEs; AF_VSOCK:
 * sockets to the hypervisor and other VMs, outside any net namespace. */
static const uint64_t sockets[] = { AF_ALG, AF_VSOCK };

/* TIOCSTI pushes input into the terminal of whoever reads it next (the
 * host's shell, when a sandbox shares its terminal); TIOCLINUX reaches the
 * console's selection buffer the same way. */
static const uint64_t ioctls[] = { TIOCSTI, TIOCLINUX };

/* allowed, denied, clone and unshare, socket, ioctl, personality, clone3. */
#define MAX_RULES (1 + NB_ARRAY_SIZE(denied) + 2 * (1 + NB_ARRAY_SIZE(ns_flags)) + \
		   1 + NB_ARRAY_SIZE(sockets) + 1 + NB_ARRAY_SIZE(ioctls) + \
		   1 + NB_ARRAY_SIZE(personalities) + 1)

static struct nb_seccomp_rule *add_rule(struct nb_seccomp *sc, enum nb_seccomp_action action,
					uint32_t errno_ret)
{
	struct nb_seccomp_rule *r;

	if (sc->n_rules == MAX_RULES)   /* cannot happen: MAX_RULES counts them */
		return NULL;
	r = &sc->rules[sc->n_rules++];
	r->action = action;
	if (action == NB_SECCOMP_ERRNO) {
		r->has_errno_ret = true;
		r->errno_ret = errno_ret;
	}
	return r;
}

static int add_names(struct nb_seccomp_rule *r, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n && names[i]; i++)
		if (nb_strv_push(&r->names, names[i]) < 0)
			return -ENOMEM;
	return 0;
}

static void add_arg(struct nb_seccomp_rule *r, unsigned index, enum nb_seccomp_op op,
		    uint64_t value, uint64_t value_two)
{
	r->args[r->n_args++] = (struct nb_seccomp_arg){
		.index = index, .op = op, .value = value, .value_two = value_two,
	};
}

/* NAME allowed by a condition that always holds (argument INDEX >= 0), and
 * EPERM where argument INDEX's low 32 bits equal one of VALUES. An
 * unconditional allow would not do: libseccomp drops the conditional rules
 * of a call that also has an unconditional one. It checks the MASKED_EQ
 * rules before the GE one (test-seccomp-default proves it). */
static int allow_except(struct nb_seccomp *sc, const char *name, unsigned index,
			const uint64_t *values, size_t n)
{
	struct nb_seccomp_rule *r = add_rule(sc, NB_SECCOMP_ALLOW, 0);

	if (!r || add_names(r, &name, 1) < 0)
		return -ENOMEM;
	add_arg(r, index, NB_SECCOMP_OP_GE, 0, 0);
	for (size_t i = 0; i < n; i++) {
		r = add_rule(sc, NB_SECCOMP_ERRNO, EPERM);
		if (!r || add_names(r, &name, 1) < 0)
			return -ENOMEM;
		add_arg(r, index, NB_SECCOMP_OP_MASKED_EQ, 0xffffffff, values[i]);
	}
	return 0;
}

/* NAME allowed without a namespace flag in argument 0, EPERM with any. */
static int allow_without_ns(struct nb_seccomp *sc, const char *name)
{
	struct nb_seccomp_rule *r = add_rule(sc, NB_SECCOMP_ALLOW, 0);
	uint64_t all = 0;

	for (size_t i = 0; i < NB_ARRAY_SIZE(ns_flags); i++)
		all |= ns_flags[i];
	if (!r || add_names(r, &name, 1) < 0)
		return -ENOMEM;
	add_arg(r, 0, NB_SECCOMP_OP_MASKED_EQ, all, 0);
	/* One rule per flag: libseccomp cannot OR tests of one argument. */
	for (size_t i = 0; i < NB_ARRAY_SIZE(ns_flags); i++) {
		r = add_rule(sc, NB_SECCOMP_ERRNO, EPERM);
		if (!r || add_names(r, &name, 1) < 0)
			return -ENOMEM;
		add_arg(r, 0, NB_SECCOMP_OP_MASKED_EQ, ns_flags[i], ns_flags[i]);
	}
	return 0;
}

/* personality: EPERM for any value (argument 0 >= 0 always holds), but
 * the safe ones allowed; as in allow_except(), the MASKED_EQ rules win. */
static int personality_rules(struct nb_seccomp *sc)
{
	static const char *const name = "personality";
	struct nb_seccomp_rule *r = add_rule(sc, NB_SECCOMP_ERRNO, EPERM);

	if (!r || add_names(r, &name, 1) < 0)
		return -ENOMEM;
	add_arg(r, 0, NB_SECCOMP_OP_GE, 0, 0);
	for (size_t i = 0; i < NB_ARRAY_SIZE(personalities); i++) {
		r = add_rule(sc, NB_SECCOMP_ALLOW, 0);
		if (!r || add_names(r, &name, 1) < 0)
			return -ENOMEM;
		/* The kernel takes an unsigned int: compare the low 32 bits. */
		add_arg(r, 0, NB_SECCOMP_OP_MASKED_EQ, 0xffffffff, personalities[i]);
	}
	return 0;
}

static int fill(struct nb_seccomp *sc)
{
	static const char *const clone3 = "clone3";
	struct nb_seccomp_rule *r = add_rule(sc, NB_SECCOMP_ALLOW, 0);
	int e;

	if (!r || add_names(r, allowed, SIZE_MAX) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < NB_ARRAY_SIZE(denied); i++) {
		r = add_rule(sc, NB_SECCOMP_ERRNO, EPERM);
		if (!r || add_names(r, denied[i], NB_ARRAY_SIZE(denied[i])) < 0)
			return -ENOMEM;
	}
	e = allow_without_ns(sc, "clone");
	if (e >= 0)
		e = allow_without_ns(sc, "unshare");
	if (e >= 0)
		e = allow_except(sc, "socket", 0, sockets, NB_ARRAY_SIZE(sockets));
	/* The command is an unsigned int: garbage in the upper 32 bits of
	 * the register must not hide TIOCSTI, hence the 32-bit mask. */
	if (e >= 0)
		e = allow_except(sc, "ioctl", 1, ioctls, NB_ARRAY_SIZE(ioctls));
	if (e >= 0)
		e = personality_rules(sc);
	if (e < 0)
		return e;
	/* The default already says ENOSYS; listed to be explicit. */
	r = add_rule(sc, NB_SECCOMP_ERRNO, NB_SECCOMP_DEFAULT_ERRNO);
	if (!r || add_names(r, &clone3, 1) < 0)
		return -ENOMEM;
	return 0;
}

int nb_seccomp_default_profile(struct nb_seccomp *ret, struct nb_error *err)
{
	memset(ret, 0, sizeof(*ret));
	ret->set = true;
	ret->default_action = NB_SECCOMP_ERRNO;
	ret->has_default_errno_ret = true;
	ret->default_errno_ret = NB_SECCOMP_DEFAULT_ERRNO;
	ret->rules = calloc(MAX_RULES, sizeof(*ret->rules));
	if (!ret->rules || fill(ret) < 0)
		return nb_error_set(err, ENOMEM, "default seccomp profile: out of memory");
	return 0;
}
