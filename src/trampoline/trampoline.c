/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * trampoline.c: nsbox-exec, the program that executes a sandbox's command.
 *
 * Why it exists: a process that runs nsbox's own image inside a sandbox
 * (the first process, a process of `exec`) would give a `#!/proc/self/exe`
 * script the host's nsbox binary as interpreter, and a second process of
 * the sandbox could then reopen that binary for writing (CVE-2019-5736).
 * So nsbox never executes a sandboxed program itself: it executes this
 * program from a sealed memfd (linux/trampoline.c), and this program
 * executes the command. /proc/self/exe of nsbox-exec is the sealed copy,
 * which nobody can write.
 *
 * It is freestanding: no libc, a few raw system calls, a few KiB, so that
 * its execve costs tens of microseconds. The protocol is in protocol.h.
 */
#include "protocol.h"

#include <asm/unistd.h>
#include <stddef.h>

#define F_SETFD_ 2
#define FD_CLOEXEC_ 1
#define ENOENT_ 2
#define ENOTDIR_ 20

#define MSG_NOSIGNAL_ 0x4000

#if defined(__x86_64__)
static long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return r;
}
__asm__(".text\n.globl _start\n_start:\n\tmov %rsp, %rdi\n\tand $-16, %rsp\n\tcall nb_tramp_main\n\thlt\n");
#elif defined(__aarch64__)
static long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory");
	return x0;
}
__asm__(".text\n.globl _start\n_start:\n\tmov x0, sp\n\tbl nb_tramp_main\n\tbrk #0\n");
#else
#error "nsbox-exec: no system call glue for this architecture"
#endif

static long sys3(long n, long a, long b, long c)
{
	return sys6(n, a, b, c, 0, 0, 0);
}

static size_t len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static long number(const char *s)
{
	long sign = 1, v = 0;

	if (*s == '-') {
		sign = -1;
		s++;
	}
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return sign * v;
}

static void put(const char *s)
{
	sys3(__NR_write, 2, (long)s, (long)len(s));
}

/* The reasons an execve of a resolved path still fails. */
static const char *reason(long e)
{
	switch (e) {
	case 2: return "command not found";
	case 7: return "Argument list too long";
	case 8: return "Exec format error";
	case 12: return "Cannot allocate memory";
	case 13: return "Permission denied";
	case 20: return "Not a directory";
	case 21: return "Is a directory";
	case 26: return "Text file busy";
	case 40: return "Too many levels of symbolic links";
	default: return "cannot execute";
	}
}

__attribute__((noreturn, used)) void nb_tramp_main(long *sp);

void nb_tramp_main(long *sp)
{
	long argc = sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	long report, hold, e;

	if (argc <= NB_EXEC_ARGV_FIRST)
		sys3(__NR_exit_group, 126, 0, 0);
	report = number(argv[1]);
	hold = number(argv[2]);
	if (hold >= 0)
		sys3(__NR_fcntl, hold, F_SETFD_, FD_CLOEXEC_);
	if (report >= 0)
		sys3(__NR_fcntl, report, F_SETFD_, FD_CLOEXEC_);
	e = -sys3(__NR_execve, (long)argv[4], (long)(argv + NB_EXEC_ARGV_FIRST), (long)envp);
	if (report >= 0) {
		struct nb_exec_report r = { NB_EXEC_REPORT_MAGIC, (int)e };

		/* MSG_NOSIGNAL: nsbox may be gone, and a SIGPIPE would hide
		 * the exit status. */
		sys6(__NR_sendto, report, (long)&r, sizeof(r), MSG_NOSIGNAL_, 0, 0);
	}
	if (argv[3][0] == '1') {
		put("nsbox: exec '");
		put(argv[4]);
		put("': ");
		put(reason(e));
		put("\n");
	}
	sys3(__NR_exit_group, (e == ENOENT_ || e == ENOTDIR_) ? 127 : 126, 0, 0);
	for (;;)
		;
}
