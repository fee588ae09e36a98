/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for the default seccomp profile: spec/seccomp_default.c (the
 * data), linux/seccomp_default.c (its build-time BPF) and the two ways of
 * loading it. Each filter is loaded in a forked child under no_new_privs,
 * which reports the first failed step through its exit status (0: all as
 * expected). The calls use arguments that make the kernel itself answer
 * something other than EPERM (and do nothing) if the filter let them
 * through, so an EPERM can only come from the filter.
 */
#include "base/cleanup.h"
#include "linux/seccomp.h"
#include "linux/seccomp_default.h"
#include "linux/syscall_table.h"
#include "spec/seccomp_default.h"
#include "seccomp_sim.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#define NR_STATMOUNT 457
#define NR_LISTMOUNT 458
#define NR_MSEAL 462

static struct nb_seccomp profile;

/* ---- the data ---- */

static bool resolves_natively(const char *name)
{
	return seccomp_syscall_resolve_name(name) >= 0 ||
#if defined(__x86_64__)
	       nb_syscall_table_lookup(name, NB_ABI_X86_64) >= 0;
#elif defined(__aarch64__)
	       nb_syscall_table_lookup(name, NB_ABI_AARCH64) >= 0;
#else
	       false;
#endif
}

static bool known_anywhere(const char *name)
{
	return seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR ||
	       nb_syscall_table_lookup(name, NB_ABI_X86_64) != -ENOENT;
}

static void test_data(void)
{
	const struct nb_seccomp_rule *allow = &profile.rules[0];
	unsigned bad = 0, twice = 0;

	tap_ok(profile.set && profile.default_action == NB_SECCOMP_ERRNO &&
	       profile.has_default_errno_ret && profile.default_errno_ret == ENOSYS,
	       "default action ERRNO(ENOSYS)");
	tap_is_int((long long)profile.architectures.len, 0, "no architecture: the native one only");
	tap_is_int(allow->action, NB_SECCOMP_ALLOW, "the first rule is the allow-list");
	for (size_t i = 0; i < allow->names.len; i++) {
		if (!resolves_natively(allow->names.items[i])) {
			tap_diag("allowed '%s' is not a native syscall", allow->names.items[i]);
			bad++;
		}
	}
	tap_is_int(bad, 0, "every allowed name is a native syscall (libseccomp or nsbox's table)");
	bad = 0;
	for (size_t r = 1; r < profile.n_rules; r++) {
		for (size_t i = 0; i < profile.rules[r].names.len; i++) {
			const char *name = profile.rules[r].names.items[i];

			if (!known_anywhere(name)) {
				tap_diag("'%s' is unknown", name);
				bad++;
			}
			for (size_t k = 0; k < allow->names.len; k++)
				if (strcmp(allow->names.items[k], name) == 0) {
					tap_diag("'%s' is allowed and in rule %zu", name, r);
					twice++;
				}
		}
	}
	tap_is_int(bad, 0, "every other name is known (some only to other architectures)");
	tap_is_int(twice, 0, "no name is both in the allow-list and in another rule");
}

/* ---- the embedded program ---- */

static void test_embedded_equals_libseccomp(void)
{
	struct nb_seccomp_filter *f = NULL;
	struct sock_filter *prog = NULL;
	struct nb_error err;
	size_t len = 0;
	int r = nb_seccomp_build(&profile, &f, &err);

	if (r >= 0)
		r = nb_seccomp_filter_export(f, &prog, &len, &err);
	tap_is_int(r, 0, "the default profile builds with libseccomp at run time%s%s",
		   r < 0 ? ": " : "", r < 0 ? err.msg : "");
	tap_is_int((long long)len, (long long)nb_seccomp_default_bpf_len,
		   "as many instructions as the embedded program");
	tap_ok(len == nb_seccomp_default_bpf_len && prog &&
	       memcmp(prog, nb_seccomp_default_bpf, len * sizeof(*prog)) == 0,
	       "the embedded program is what libseccomp %s generates at run time (built with %s)",
	       seccomp_version() ? "here" : "?", nb_seccomp_default_libseccomp);
	free(prog);
	nb_seccomp_filter_free(f);
}

/* ---- behaviour ---- */

static bool fails_with(long ret, int e)
{
	return ret == -1 && errno == e;
}

static bool eperm(long ret)
{
	return fails_with(ret, EPERM);
}

/* Fork; the child runs FN and exits with its return value. Returns the
 * exit status, or 1000 + the signal that killed the child. */
static int in_child(int (*fn)(bool embedded), bool embedded)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };

		setrlimit(RLIMIT_CORE, &no_core);   /* SIGSYS would dump core */
		_exit(fn(embedded));
	}
	if (waitpid(pid, &status, 0) < 0)
		return -2;
	return WIFSIGNALED(status) ? 1000 + WTERMSIG(status) : WEXITSTATUS(status);
}

static int load(bool embedded)
{
	struct nb_error err;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) < 0)
		return 90;
	if (embedded ? nb_seccomp_load_default(&err) : nb_seccomp_load(&profile, NULL, &err)) {
		fprintf(stderr, "child: %s\n", err.msg);
		return 91;
	}
	return 0;
}

/* Each call, unfiltered, would fail otherwise (EBADF, EFAULT, EINVAL...)
 * or succeed harmlessly in this child. */
static int denied_calls(void)
{
	if (!eperm(syscall(SYS_keyctl, 0L /* KEYCTL_GET_KEYRING_ID */, -3L /* session */, 0L)))
		return 1;
	if (!eperm(syscall(SYS_bpf, 0L, NULL, 0L)))
		return 2;
	if (!eperm(syscall(SYS_perf_event_open, NULL, 0L, -1L, -1L, 0L)))
		return 3;
	if (!eperm(syscall(SYS_unshare, (long)CLONE_NEWUSER)))
		return 4;
	if (!eperm(syscall(SYS_unshare, (long)CLONE_NEWTIME)))
		return 5;
	/* CLONE_FS with a new mount or user namespace is EINVAL to the kernel. */
	if (!eperm(syscall(SYS_clone, (long)(CLONE_NEWNS | CLONE_FS | SIGCHLD), 0L, 0L, 0L, 0L)))
		return 6;
	if (!eperm(syscall(SYS_clone, (long)(CLONE_NEWUSER | CLONE_FS | SIGCHLD), 0L, 0L, 0L, 0L)))
		return 7;
	if (!eperm(syscall(SYS_mount, "none", "/nonexistent-nsbox", "tmpfs", 0L, NULL)))
		return 8;
	/* Invalid flags: EINVAL before any permission check. */
	if (!eperm(syscall(SYS_umount2, "/nonexistent-nsbox", (long)0x80000000U)))
		return 9;
	if (!eperm(syscall(SYS_setns, -1L, 0L)))
		return 10;
	if (!eperm(syscall(SYS_io_uring_setup, 0L, NULL)))
		return 11;
	if (!eperm(syscall(SYS_userfaultfd, (long)~0U)))
		return 12;
	if (!eperm(syscall(SYS_open_by_handle_at, -1L, NULL, 0L)))
		return 13;
	/* A NULL time: EFAULT before the permission check. */
	if (!eperm(syscall(SYS_clock_settime, (long)CLOCK_REALTIME, NULL)))
		return 14;
	return 0;
}

static int denied_by_argument(void)
{
	unsigned long high = 0xffffffff00000000UL;

	if (!eperm(syscall(SYS_personality, (long)ADDR_NO_RANDOMIZE)))
		return 21;
	if (!eperm(socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)))
		return 22;
	if (!eperm(socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0)))
		return 23;
	if (!eperm(syscall(SYS_socket, (long)(high | AF_ALG), (long)SOCK_SEQPACKET, 0L)))
		return 24;
	if (!eperm(syscall(SYS_ioctl, -1L, (long)TIOCSTI, NULL)))
		return 25;
	if (!eperm(syscall(SYS_ioctl, -1L, (long)(high | TIOCSTI), NULL)))
		return 26;
	if (!eperm(syscall(SYS_ioctl, -1L, (long)TIOCLINUX, NULL)))
		return 27;
	if (!eperm(syscall(SYS_ioctl, -1L, (long)(high | TIOCLINUX), NULL)))
		return 28;
	return 0;
}

static int enosys_calls(void)
{
	if (!fails_with(syscall(SYS_clone3, NULL, 0L), ENOSYS))
		return 31;
	if (!fails_with(syscall(1000L), ENOSYS))
		return 32;
	if (!fails_with(syscall(SYS_afs_syscall), ENOSYS))
		return 33;
	return 0;
}

static int run_true(void)
{
	char *const argv[] = { "true", NULL };
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execve("/bin/true", argv, (char *[]){ NULL });
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
}

static int allowed_calls(void)
{
	int fds[2], fd, status;
	pid_t pid;

	if (syscall(SYS_getpid) != getpid() || getpid() <= 0)
		return 41;
	if (pipe2(fds, O_CLOEXEC) < 0 || write(fds[1], "x", 1) != 1)
		return 42;
	pid = fork();
	if (pid == 0)
		_exit(7);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 7)
		return 43;
	if (run_true() != 0)
		return 44;
	if (syscall(SYS_personality, 0xffffffffUL) < 0 || personality(PER_LINUX) < 0)
		return 45;
	if (syscall(SYS_unshare, 0L) != 0)
		return 46;
	if (!fails_with(syscall(SYS_ioctl, -1L, (long)TCGETS, NULL), EBADF))
		return 47;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 48;
	/* Newer than libseccomp 2.5.4: allowed by number. */
	if (!fails_with(syscall(NR_STATMOUNT, 0L, 0L, 0L, 0L), EFAULT) ||
	    !fails_with(syscall(NR_LISTMOUNT, 0L, 0L, 0L, 0L), EFAULT))
		return 49;
	if (syscall(NR_MSEAL, 0L, 0L, 0L) != 0)
		return 50;
	close(fd);
	return 0;
}

static int child_behaviour(bool embedded)
{
	int r = load(embedded);

	if (!r)
		r = denied_calls();
	if (!r)
		r = denied_by_argument();
	if (!r)
		r = enosys_calls();
	if (!r)
		r = allowed_calls();
	return r;
}

#if defined(__x86_64__)
static long i386_syscall(long nr)
{
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr) : "memory", "cc", "r8", "r9", "r10", "r11");
	return ret;
}

static int child_i386(bool embedded)
{
	int r;

	/* Where the kernel has no i386 ABI the call faults: die of it, not
	 * in a sanitizer's SIGSEGV handler. */
	signal(SIGSEGV, SIG_DFL);
	r = load(embedded);

	if (r)
		return r;
	i386_syscall(20);   /* getpid */
	return 0;
}

static int child_x32(bool embedded)
{
	int r = load(embedded);

	if (r)
		return r;
	syscall(0x40000000L | SYS_getpid);
	return 0;
}
#endif

static void test_behaviour(bool embedded)
{
	const char *how = embedded ? "embedded BPF" : "libseccomp at run time";

	tap_is_int(in_child(child_behaviour, embedded), 0, "%s: the dangerous calls get EPERM, "
		   "clone3 and unknown calls ENOSYS, ordinary ones work", how);
#if defined(__x86_64__)
	/* Live where the kernel has the i386 ABI; where it has none (PVM),
	 * int $0x80 cannot reach any filter: it dies of SIGSEGV. */
	if (sim_i386_abi_present())
		tap_is_int(in_child(child_i386, embedded), 1000 + SIGSYS,
			   "%s: an i386 call (int $0x80 getpid) is killed", how);
	else
		tap_is_int(in_child(child_i386, embedded), 1000 + SIGSEGV,
			   "%s: this kernel has no i386 ABI: int $0x80 dies of SIGSEGV "
			   "(the program's i386 branch is simulated below)", how);
	tap_is_int(in_child(child_x32, embedded), 1000 + SIGSYS, "%s: an x32 call is killed", how);
#endif
}

/* The program's answers for the compat ABI, whatever the kernel runs:
 * the embedded program (equal to libseccomp's, tested above). */
static void test_simulated(void)
{
	const struct sock_filter *prog = nb_seccomp_default_bpf;

	tap_ok(sim_run(prog, AUDIT_ARCH_X86_64, SYS_getpid) == SECCOMP_RET_ALLOW,
	       "simulated: x86-64 getpid is allowed");
	tap_ok(sim_run(prog, AUDIT_ARCH_X86_64, SYS_keyctl) == (SECCOMP_RET_ERRNO | EPERM),
	       "simulated: x86-64 keyctl gets EPERM");
	tap_ok(sim_kills(sim_run(prog, AUDIT_ARCH_I386, 20 /* getpid */)),
	       "simulated: an i386 getpid is killed");
	tap_ok(sim_kills(sim_run(prog, AUDIT_ARCH_I386, 288 /* keyctl */)),
	       "simulated: an i386 keyctl is killed");
	tap_ok(sim_kills(sim_run(prog, 0x12345678, SYS_getpid)),
	       "simulated: an unknown architecture is killed");
}

int main(void)
{
	struct nb_error err;

	tap_is_int(nb_seccomp_default_profile(&profile, &err), 0, "the default profile");
	test_data();
	test_embedded_equals_libseccomp();
	test_behaviour(true);
	test_behaviour(false);
	test_simulated();
	nb_seccomp_free(&profile);
	return tap_done();
}
