/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for linux/seccomp.c. A filter, once loaded, stays for the
 * life of the process, so every filter is loaded in a forked child, which
 * then checks what the filtered syscalls return and reports through its
 * exit status: 0 when all is as expected, otherwise the number of the
 * first failed step. Setting no_new_privs first makes this work without
 * any privilege.
 */
#include "base/cleanup.h"
#include "linux/procattr.h"
#include "linux/seccomp.h"
#include "linux/syscall_table.h"
#include "seccomp_sim.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

/* Far above PID_MAX_LIMIT (2^22): never a real process. */
#define NO_PID 5000000L

/* ---- building a plan ---- */

static struct nb_seccomp plan;
static bool i386_live;   /* the kernel has the i386 ABI: checked live too */
static struct nb_seccomp_rule rules[16];

static void plan_reset(enum nb_seccomp_action def)
{
	for (size_t i = 0; i < NB_ARRAY_SIZE(rules); i++)
		nb_strv_free(&rules[i].names);
	nb_strv_free(&plan.architectures);
	nb_strv_free(&plan.flags);
	memset(&plan, 0, sizeof(plan));
	memset(rules, 0, sizeof(rules));
	plan.set = true;
	plan.default_action = def;
	plan.rules = rules;
}

static struct nb_seccomp_rule *plan_rule(const char *name, enum nb_seccomp_action action,
					 long errno_ret)
{
	struct nb_seccomp_rule *r = &rules[plan.n_rules++];

	if (name)
		nb_strv_push(&r->names, name);
	r->action = action;
	if (errno_ret >= 0) {
		r->has_errno_ret = true;
		r->errno_ret = (uint32_t)errno_ret;
	}
	return r;
}

static void rule_arg(struct nb_seccomp_rule *r, unsigned index, enum nb_seccomp_op op,
		     uint64_t value, uint64_t value_two)
{
	r->args[r->n_args++] = (struct nb_seccomp_arg){
		.index = index, .op = op, .value = value, .value_two = value_two,
	};
}

/* ---- running a child ---- */

/* Fork; the child runs FN and exits with its return value. Returns the
 * exit status, or 1000 + the signal that killed the child. */
static int in_child(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };

		setrlimit(RLIMIT_CORE, &no_core);   /* SIGSYS would dump core */
		_exit(fn());
	}
	if (waitpid(pid, &status, 0) < 0)
		return -2;
	if (WIFSIGNALED(status))
		return 1000 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* Load the plan under no_new_privs; 0 or 90+ on failure. */
static int load_nnp(int *notify_fd)
{
	struct nb_error err;

	if (nb_no_new_privs(&err) < 0)
		return 90;
	if (nb_seccomp_load(&plan, notify_fd, &err) < 0) {
		fprintf(stderr, "child: %s\n", err.msg);
		return 91;
	}
	return 0;
}

/* A raw syscall returned -1 with errno E. */
static bool fails_with(long ret, int e)
{
	return ret == -1 && errno == e;
}

/* ---- the tests ---- */

static void test_plan_errors(void)
{
	struct nb_error err;
	int fd = 7;

	nb_error_clear(&err);
	plan_reset(NB_SECCOMP_ALLOW);
	plan.set = false;
	tap_is_int(nb_seccomp_load(&plan, &fd, &err), 0, "set=false: nothing loaded");
	tap_is_int(fd, -1, "set=false: no listener");

	plan_reset(NB_SECCOMP_ALLOW);
	nb_strv_push(&plan.architectures, "SCMP_ARCH_NOPE");
	tap_is_int(nb_seccomp_load(&plan, &fd, &err), -EINVAL, "an unknown architecture is an error");
	tap_ok(nb_startswith(err.msg, "seccomp architecture 'SCMP_ARCH_NOPE': not known to libseccomp "),
	       "the error names it: %s", err.msg);
	tap_is_int(fd, -1, "no listener after an error");

	plan_reset(NB_SECCOMP_ALLOW);
	nb_strv_push(&plan.flags, "SECCOMP_FILTER_FLAG_BOGUS");
	tap_is_int(nb_seccomp_load(&plan, &fd, &err), -EINVAL, "an unknown flag is an error");
	tap_is_str(err.msg, "seccomp flag 'SECCOMP_FILTER_FLAG_BOGUS': unknown", "the error names it");

	plan_reset(NB_SECCOMP_NOTIFY);
	tap_is_int(nb_seccomp_load(&plan, &fd, &err), -EINVAL, "NOTIFY as the default is an error");
	tap_is_str(err.msg, "seccomp default action SCMP_ACT_NOTIFY: not allowed as the default",
		   "the error says so");

	plan_reset(NB_SECCOMP_ALLOW);
	plan_rule("getppid", NB_SECCOMP_NOTIFY, -1);
	tap_is_int(nb_seccomp_load(&plan, NULL, &err), -EINVAL, "a NOTIFY rule needs a listener");

	plan_reset(NB_SECCOMP_ALLOW);
	rule_arg(plan_rule("getppid", NB_SECCOMP_ERRNO, -1), 6, NB_SECCOMP_OP_EQ, 0, 0);
	tap_is_int(nb_seccomp_load(&plan, &fd, &err), -EINVAL, "an argument index above 5 is an error");
	tap_is_str(err.msg, "seccomp rule: argument index 6 out of range 0..5", "the error says so");
}

static int child_errno_rules(void)
{
	struct utsname u;
	int fd = 7, r;

	r = load_nnp(&fd);
	if (r)
		return r;
	if (fd != -1)
		return 1;
	if (!fails_with(syscall(SYS_getppid), 38))
		return 2;
	if (!fails_with(uname(&u), EPERM))
		return 3;
	/* MASKED_EQ: value 0xff000000 is the mask, valueTwo the datum. */
	if (!fails_with(syscall(SYS_getpgid, 0x10000005L), 77))
		return 4;
	if (!fails_with(syscall(SYS_getpgid, 0x20000005L), ESRCH))
		return 5;
	if (syscall(SYS_getpgid, 0L) < 0)
		return 6;
	/* Two arguments in one rule: both must match. */
	if (!fails_with(syscall(SYS_getpriority, PRIO_USER, NO_PID + 1), 79))
		return 7;
	if (!fails_with(syscall(SYS_getpriority, PRIO_PROCESS, NO_PID + 1), ESRCH))
		return 8;
	errno = 0;
	if (syscall(SYS_getpriority, PRIO_USER, 0L) < 0 && errno == 79)
		return 9;
	/* One argument tested twice: either test matches. */
	if (!fails_with(syscall(SYS_getsid, NO_PID), 78))
		return 10;
	if (!fails_with(syscall(SYS_getsid, NO_PID + 1), 78))
		return 11;
	if (!fails_with(syscall(SYS_getsid, NO_PID + 2), ESRCH))
		return 12;
	/* personality(0xffffffff) only queries; here it is refused. */
	if (!fails_with(syscall(SYS_personality, 0xffffffffUL), 80))
		return 13;
	/* LOG lets the call through. */
	if (syscall(SYS_getuid) != (long)getuid())
		return 14;
	if (prctl(PR_GET_NO_NEW_PRIVS, 0L, 0L, 0L, 0L) != 1)
		return 15;
	return 0;
}

static void test_errno_rules(void)
{
	struct nb_seccomp_rule *r;

	plan_reset(NB_SECCOMP_ALLOW);
	plan_rule("getppid", NB_SECCOMP_ERRNO, 38);
	plan_rule("uname", NB_SECCOMP_ERRNO, -1);   /* default errnoRet: EPERM */
	r = plan_rule("getpgid", NB_SECCOMP_ERRNO, 77);
	rule_arg(r, 0, NB_SECCOMP_OP_MASKED_EQ, 0xff000000, 0x10000000);
	r = plan_rule("getpriority", NB_SECCOMP_ERRNO, 79);
	rule_arg(r, 0, NB_SECCOMP_OP_EQ, PRIO_USER, 0);
	rule_arg(r, 1, NB_SECCOMP_OP_GT, NO_PID, 0);
	r = plan_rule("getsid", NB_SECCOMP_ERRNO, 78);
	rule_arg(r, 0, NB_SECCOMP_OP_EQ, NO_PID, 0);
	rule_arg(r, 0, NB_SECCOMP_OP_EQ, NO_PID + 1, 0);
	r = plan_rule("personality", NB_SECCOMP_ERRNO, 80);
	rule_arg(r, 0, NB_SECCOMP_OP_EQ, 0xffffffff, 0);
	plan_rule("getuid", NB_SECCOMP_LOG, -1);
	nb_strv_push(&rules[plan.n_rules - 1].names, "nsbox_no_such_syscall");
	plan_rule("getgid", NB_SECCOMP_ALLOW, -1);   /* = the default: skipped */
	tap_is_int(in_child(child_errno_rules), 0,
		   "ERRNO rules, argument conditions, LOG allowed (and an unknown name in it skipped)");
}

static int child_kill(void)
{
	int r = load_nnp(NULL);

	if (r)
		return r;
	syscall(SYS_getppid);
	return 0;
}

static void test_kill(void)
{
	plan_reset(NB_SECCOMP_ALLOW);
	plan_rule("getppid", NB_SECCOMP_KILL_PROCESS, -1);
	tap_is_int(in_child(child_kill), 1000 + SIGSYS, "KILL_PROCESS: the child dies of SIGSYS");

	plan_reset(NB_SECCOMP_ALLOW);
	plan_rule("getppid", NB_SECCOMP_KILL_THREAD, -1);
	tap_is_int(in_child(child_kill), 1000 + SIGSYS, "KILL_THREAD: the (only) thread dies of SIGSYS");
}

static int child_default_errno(void)
{
	struct utsname u;
	int r = load_nnp(NULL);

	if (r)
		return r;
	if (!fails_with(syscall(SYS_getppid), 55))
		return 1;
	if (!fails_with(uname(&u), 55))
		return 2;
	return 0;
}

/* An allow-list plan with default ERRNO(55) that allows what the child
 * itself needs, plus what a sanitizer runtime may call (the tests also run
 * under ASan + UBSan). */
static struct nb_seccomp_rule *plan_allow_needed(void)
{
	static const char *const needed[] = {
		"exit_group", "exit", "brk", "mmap", "munmap", "mremap", "madvise",
		"rt_sigprocmask", "write", "writev", "sigaltstack", "rt_sigaction", "prctl",
		"getpid", "gettid", "tgkill", "open", "openat", "read", "pread64", "close",
		"fstat", "newfstatat", "mprotect", "futex", "sched_yield", "clock_gettime",
		"getrandom", "readlink", "lseek", "ioctl", "sched_getaffinity", "getrlimit",
		"prlimit64",
	};
	struct nb_seccomp_rule *r;

	plan_reset(NB_SECCOMP_ERRNO);
	plan.has_default_errno_ret = true;
	plan.default_errno_ret = 55;
	r = plan_rule(NULL, NB_SECCOMP_ALLOW, -1);
	for (size_t i = 0; i < NB_ARRAY_SIZE(needed); i++)
		nb_strv_push(&r->names, needed[i]);
	return r;
}

static void test_default_errno(void)
{
	plan_allow_needed();
	plan_rule("getppid", NB_SECCOMP_ERRNO, 55);   /* = the default: skipped */
	tap_is_int(in_child(child_default_errno), 0,
		   "default ERRNO with defaultErrnoRet 55; a rule equal to the default skipped");
}

static volatile sig_atomic_t trapped_nr = -1;

static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
	trapped_nr = si->si_syscall;
}

static int child_trap(void)
{
	struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
	int r;

	if (sigaction(SIGSYS, &sa, NULL) < 0)
		return 1;
	r = load_nnp(NULL);
	if (r)
		return r;
	syscall(SYS_getppid);
	return trapped_nr == SYS_getppid ? 0 : 2;
}

static void test_trap(void)
{
	plan_reset(NB_SECCOMP_ALLOW);
	plan_rule("getppid", NB_SECCOMP_TRAP, -1);
	tap_is_int(in_child(child_trap), 0, "TRAP: SIGSYS is delivered, naming the syscall");
}

static int child_notify(void)
{
	struct seccomp_notif *req = NULL;
	struct seccomp_notif_resp *resp = NULL;
	int fd = -1, r, status;
	pid_t pid;

	r = load_nnp(&fd);
	if (r)
		return r;
	if (fd < 0)
		return 1;
	if (!(fcntl(fd, F_GETFD) & FD_CLOEXEC))
		return 2;
	pid = fork();
	if (pid < 0)
		return 3;
	if (pid == 0)   /* the filter and its rule are inherited */
		_exit(syscall(SYS_getppid) == 4242 ? 0 : 1);
	if (seccomp_notify_alloc(&req, &resp) < 0)
		return 4;
	if (seccomp_notify_receive(fd, req) < 0)
		return 5;
	if (req->data.nr != SYS_getppid || req->pid != (uint32_t)pid)
		return 6;
	resp->id = req->id;
	resp->val = 4242;
	resp->error = 0;
	resp->flags = 0;
	if (seccomp_notify_respond(fd, resp) < 0)
		return 7;
	seccomp_notify_free(req, resp);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return 8;
	return 0;
}

static void test_notify(void)
{
	plan_reset(NB_SECCOMP_ALLOW);
	plan_rule("getppid", NB_SECCOMP_NOTIFY, -1);
	tap_is_int(in_child(child_notify), 0,
		   "NOTIFY: a close-on-exec listener fd; the supervisor answers the call");
}

static int child_flags_arches(void)
{
	int r = load_nnp(NULL);

	if (r)
		return r;
	return fails_with(syscall(SYS_getppid), 39) ? 0 : 1;
}

#if SCMP_VER_MAJOR > 2 || (SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR >= 6)
static int child_waitkill(void)
{
	int fd = -1, r = load_nnp(&fd);

	if (r)
		return r;
	return fd >= 0 ? 0 : 1;
}
#endif

static void test_waitkill(void)
{
	plan_reset(NB_SECCOMP_ALLOW);
	nb_strv_push(&plan.flags, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
	plan_rule("getppid", NB_SECCOMP_NOTIFY, -1);
#if SCMP_VER_MAJOR > 2 || (SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR >= 6)
	tap_is_int(in_child(child_waitkill), 0, "WAIT_KILLABLE_RECV with a NOTIFY rule (libseccomp "
		   ">= 2.6)");
#else
	{
		struct nb_error err;
		int fd;

		tap_is_int(nb_seccomp_load(&plan, &fd, &err), -EOPNOTSUPP,
			   "WAIT_KILLABLE_RECV with a NOTIFY rule needs libseccomp 2.6");
		tap_ok(nb_startswith(err.msg, "seccomp flag SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV: "
				     "not supported by libseccomp 2."), "the error says so: %s", err.msg);
	}
#endif
}

static void test_flags_arches(void)
{
	plan_reset(NB_SECCOMP_ALLOW);
	nb_strv_push(&plan.flags, "SECCOMP_FILTER_FLAG_LOG");
	nb_strv_push(&plan.flags, "SECCOMP_FILTER_FLAG_SPEC_ALLOW");
	nb_strv_push(&plan.flags, "SECCOMP_FILTER_FLAG_TSYNC");
	/* Without a NOTIFY rule, WAIT_KILLABLE_RECV is moot and left out. */
	nb_strv_push(&plan.flags, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
#if defined(__x86_64__)
	nb_strv_push(&plan.architectures, "SCMP_ARCH_X86_64");
	nb_strv_push(&plan.architectures, "SCMP_ARCH_X86");
	nb_strv_push(&plan.architectures, "SCMP_ARCH_X32");
#elif defined(__aarch64__)
	nb_strv_push(&plan.architectures, "SCMP_ARCH_AARCH64");
	nb_strv_push(&plan.architectures, "SCMP_ARCH_ARM");
#endif
	plan_rule("getppid", NB_SECCOMP_ERRNO, 39);
	tap_is_int(in_child(child_flags_arches), 0, "flags LOG, SPEC_ALLOW, TSYNC; native and "
		   "compat architectures (native one listed twice)");
}

static int child_no_nnp(void)
{
	struct nb_error err;
	int r = nb_seccomp_load(&plan, NULL, &err);

	if (r == 0)
		return prctl(PR_GET_NO_NEW_PRIVS, 0L, 0L, 0L, 0L) == 0 ? 0 : 1;
	if (r == -EACCES && strcmp(err.msg, "load the seccomp filter: Permission denied "
				   "(needs no_new_privs or CAP_SYS_ADMIN)") == 0)
		return 2;
	fprintf(stderr, "child: %s\n", err.msg);
	return 3;
}

static void test_no_nnp(void)
{
	cap_flag_value_t admin = CAP_CLEAR;
	cap_t caps = cap_get_proc();

	if (caps) {
		cap_get_flag(caps, CAP_SYS_ADMIN, CAP_EFFECTIVE, &admin);
		cap_free(caps);
	}
	plan_reset(NB_SECCOMP_ALLOW);
	plan_rule("getppid", NB_SECCOMP_ERRNO, 40);
	if (admin == CAP_SET)
		tap_is_int(in_child(child_no_nnp), 0, "with CAP_SYS_ADMIN: loads, and no_new_privs "
			   "stays unset");
	else
		tap_is_int(in_child(child_no_nnp), 2, "without CAP_SYS_ADMIN nor no_new_privs: "
			   "load refused with a clear error");
}

/* ---- syscalls newer than libseccomp (linux/syscall_table.h) ---- */

/* Numbers from Linux 6.8 and 6.10, the same on every ABI since Linux 5.1. */
#define NR_STATMOUNT 457
#define NR_LISTMOUNT 458
#define NR_MSEAL 462

#if defined(__x86_64__)
/* An i386 system call from this x86-64 process: int $0x80 enters the
 * kernel's compat path, which seccomp sees as AUDIT_ARCH_I386. The result
 * is the raw return value (-errno on failure). The kernel clobbers r8-r11. */
static long i386_syscall(long nr, long a)
{
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a)
			 : "memory", "cc", "r8", "r9", "r10", "r11");
	return ret;
}
#endif

#if defined(__x86_64__)
/* The same deny-list's two programs (the profile and the compat guard)
 * run on i386 calls in user space (seccomp_sim.h). */
static void simulate_table_denylist(void)
{
	struct nb_seccomp_filter *f = NULL;
	struct sock_filter *main_prog = NULL, *guard = NULL;
	const struct sock_filter *progs[2];
	size_t n_main = 0, n_guard = 0;
	struct nb_error err;
	int r = nb_seccomp_build(&plan, &f, &err);

	if (r >= 0)
		r = nb_seccomp_filter_export_both(f, &main_prog, &n_main, &guard, &n_guard, &err);
	if (tap_is_int(r, 0, "deny-list: builds and exports%s%s", r < 0 ? ": " : "", r < 0 ? err.msg : "")) {
		progs[0] = main_prog;
		progs[1] = guard;
		tap_ok(guard != NULL, "deny-list: a guard of the i386 ABI comes with it");
		tap_ok(sim_action(progs, 2, AUDIT_ARCH_I386, NR_LISTMOUNT) == (SECCOMP_RET_ERRNO | 77) &&
		       sim_action(progs, 2, AUDIT_ARCH_I386, NR_STATMOUNT) == (SECCOMP_RET_ERRNO | 77) &&
		       sim_action(progs, 2, AUDIT_ARCH_I386, 20) == SECCOMP_RET_ALLOW,
		       "deny-list, simulated i386: listmount and statmount refused (77), getpid allowed");
		tap_ok(sim_action(progs, 2, AUDIT_ARCH_X86_64, NR_LISTMOUNT) == (SECCOMP_RET_ERRNO | 77) &&
		       sim_action(progs, 2, AUDIT_ARCH_X86_64, NR_STATMOUNT) == SECCOMP_RET_ALLOW,
		       "deny-list, simulated x86-64: listmount refused (77), statmount allowed");
	}
	free(main_prog);
	free(guard);
	nb_seccomp_filter_free(f);
}
#endif

static int child_table_denylist(void)
{
	int r = load_nnp(NULL);

	if (r)
		return r;
	if (!fails_with(syscall(NR_LISTMOUNT, 0L, 0L, 0L, 0L), 77))
		return 1;
	if (!fails_with(syscall(NR_MSEAL, 0L, 0L, 0L), 77))
		return 2;
	/* Not in the profile: the kernel answers (a NULL request). */
	if (!fails_with(syscall(NR_STATMOUNT, 0L, 0L, 0L, 0L), EFAULT))
		return 3;
#if defined(__x86_64__)
	/* x32 numbers: seccomp judges them before the kernel finds out
	 * whether it has the x32 ABI at all. */
	if (!fails_with(syscall(NB_X32_SYSCALL_BIT | NR_LISTMOUNT, 0L, 0L, 0L, 0L), 77))
		return 4;
	errno = 0;
	if (syscall(NB_X32_SYSCALL_BIT | SYS_getppid) < 0 && errno == 77)
		return 5;
	/* Without the i386 ABI (PVM) int $0x80 dies: simulated instead. */
	if (!i386_live)
		return 0;
	/* i386: libseccomp cannot place 458 there, the guard refuses it... */
	if (i386_syscall(NR_LISTMOUNT, 0) != -77)
		return 6;
	/* ...lets what libseccomp knows through (i386 getpid is 20)... */
	if (i386_syscall(20, 0) != getpid())
		return 7;
	/* ...and refuses the other calls newer than libseccomp too. */
	if (i386_syscall(NR_STATMOUNT, 0) != -77)
		return 8;
#endif
	return 0;
}

static void test_table_denylist(void)
{
	struct nb_seccomp_rule *r;

	plan_reset(NB_SECCOMP_ALLOW);
#if defined(__x86_64__)
	nb_strv_push(&plan.architectures, "SCMP_ARCH_X86_64");
	nb_strv_push(&plan.architectures, "SCMP_ARCH_X86");
	nb_strv_push(&plan.architectures, "SCMP_ARCH_X32");
#elif defined(__aarch64__)
	nb_strv_push(&plan.architectures, "SCMP_ARCH_AARCH64");
	nb_strv_push(&plan.architectures, "SCMP_ARCH_ARM");
#endif
	r = plan_rule("listmount", NB_SECCOMP_ERRNO, 77);
	nb_strv_push(&r->names, "mseal");
	tap_is_int(in_child(child_table_denylist), 0, "deny-list with native and compat "
		   "architectures: listmount and mseal refused by number on every ABI%s",
		   i386_live ? "" : " (i386 simulated below: this kernel has no i386 ABI)");
#if defined(__x86_64__)
	simulate_table_denylist();
#endif
}

static int child_table_kill(void)
{
	int r = load_nnp(NULL);

	if (r)
		return r;
	syscall(NR_MSEAL, 0L, 0L, 0L);
	return 0;
}

static int child_table_allowlist(void)
{
	int r = load_nnp(NULL);

	if (r)
		return r;
	if (!fails_with(syscall(NR_STATMOUNT, 0L, 0L, 0L, 0L), EFAULT))
		return 1;
	if (!fails_with(syscall(NR_LISTMOUNT, 0L, 0L, 0L, 0L), 55))
		return 2;
	return 0;
}

static void test_table_actions(void)
{
	plan_reset(NB_SECCOMP_ALLOW);
	plan_rule("mseal", NB_SECCOMP_KILL_PROCESS, -1);
	tap_is_int(in_child(child_table_kill), 1000 + SIGSYS,
		   "KILL_PROCESS for mseal (unknown to libseccomp): the child dies of SIGSYS");

	nb_strv_push(&plan_allow_needed()->names, "statmount");
	tap_is_int(in_child(child_table_allowlist), 0,
		   "allow-list: statmount allowed by number, listmount gets the default");
}

/* Build the plan (no load); the error message, or "" on success. */
static const char *build_msg(struct nb_error *err)
{
	struct nb_seccomp_filter *f = NULL;

	nb_error_clear(err);
	if (nb_seccomp_build(&plan, &f, err) < 0)
		return err->msg;
	nb_seccomp_filter_free(f);
	return "";
}

static void test_unknown_names(void)
{
	const struct scmp_version *v = seccomp_version();
	char want[256];
	struct nb_error err;

	snprintf(want, sizeof(want), "seccomp rule SCMP_ACT_ERRNO for 'frobnicate': unknown system "
		 "call (not known to libseccomp %u.%u.%u nor to nsbox's table)",
		 v->major, v->minor, v->micro);
	plan_reset(NB_SECCOMP_ALLOW);
	plan_rule("getppid", NB_SECCOMP_ERRNO, -1);
	nb_strv_push(&rules[0].names, "frobnicate");
	tap_is_str(build_msg(&err), want, "default ALLOW: an unknown name in an ERRNO rule is an error");
	tap_is_int(err.code, ENOSYS, "its code is ENOSYS");

	plan_reset(NB_SECCOMP_ERRNO);
	plan_rule("frobnicate", NB_SECCOMP_KILL_PROCESS, -1);
	tap_ok(nb_startswith(build_msg(&err), "seccomp rule SCMP_ACT_KILL_PROCESS for 'frobnicate': "
			     "unknown system call"),
	       "default ERRNO: an unknown name in a KILL_PROCESS rule is an error: %s", err.msg);

	plan_reset(NB_SECCOMP_LOG);
	plan_rule("frobnicate", NB_SECCOMP_TRAP, -1);
	tap_ok(*build_msg(&err) != '\0', "default LOG: an unknown name in a TRAP rule is an error");

	plan_reset(NB_SECCOMP_ALLOW);
	plan_rule("frobnicate", NB_SECCOMP_LOG, -1);
	tap_is_str(build_msg(&err), "", "default ALLOW: an unknown name in a LOG rule is skipped");

	plan_reset(NB_SECCOMP_ERRNO);
	plan_rule("frobnicate", NB_SECCOMP_ERRNO, 1);
	plan_rule("frobnicate", NB_SECCOMP_TRACE, -1);
	plan_rule("frobnicate", NB_SECCOMP_NOTIFY, -1);
	tap_is_str(build_msg(&err), "", "default ERRNO: unknown names in ERRNO, TRACE and NOTIFY "
		   "rules are skipped (the call is refused anyway)");

	plan_reset(NB_SECCOMP_KILL_PROCESS);
	plan_rule("frobnicate", NB_SECCOMP_KILL_THREAD, -1);
	tap_is_str(build_msg(&err), "", "default KILL_PROCESS: an unknown name in a KILL_THREAD "
		   "rule is skipped");

	/* Known only for other architectures: as before. */
	plan_reset(NB_SECCOMP_ALLOW);
	plan_rule("socketcall", NB_SECCOMP_ERRNO, -1);
	nb_strv_push(&rules[0].names, "vm86");
	tap_is_str(build_msg(&err), "", "names of other architectures (socketcall, vm86) are fine");
}

static int child_unknown_allowed(void)
{
	int r = load_nnp(NULL);

	if (r)
		return r;
	return fails_with(syscall(SYS_getppid), 55) ? 0 : 1;
}

static void test_unknown_allowed(void)
{
	nb_strv_push(&plan_allow_needed()->names, "frobnicate");
	tap_is_int(in_child(child_unknown_allowed), 0,
		   "allow-list: an unknown name in the ALLOW rule is skipped, the rest loads");
}

int main(void)
{
#if defined(__x86_64__)
	i386_live = sim_i386_abi_present();
#endif
	test_plan_errors();
	test_errno_rules();
	test_kill();
	test_default_errno();
	test_trap();
	test_notify();
	test_flags_arches();
	test_waitkill();
	test_no_nnp();
	test_table_denylist();
	test_table_actions();
	test_unknown_names();
	test_unknown_allowed();
	plan_reset(NB_SECCOMP_ALLOW);
	return tap_done();
}
