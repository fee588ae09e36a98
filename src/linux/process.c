/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/process.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
/* libasan's own, behind its vfork() interceptor (not in a public header). */
void __asan_handle_vfork(void *sp);
#endif

pid_t nb_clone3(uint64_t flags, int *ret_pidfd, struct nb_error *err)
{
	return nb_clone3_into(flags, -1, ret_pidfd, err);
}

pid_t nb_clone3_into(uint64_t flags, int cgroup_fd, int *ret_pidfd, struct nb_error *err)
{
	int pidfd = -1;
	struct clone_args args;
	long pid;

	memset(&args, 0, sizeof(args));
	args.flags = flags | CLONE_PIDFD;
	args.pidfd = (uint64_t)(uintptr_t)&pidfd;
	/* With CLONE_PARENT the kernel takes the caller's own exit signal. */
	args.exit_signal = (flags & CLONE_PARENT) ? 0 : SIGCHLD;
	if (cgroup_fd >= 0) {
		args.flags |= CLONE_INTO_CGROUP;
		args.cgroup = (uint64_t)cgroup_fd;
	}
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0)
		return nb_error_errno(err, "clone3");
	if (pid > 0)
		*ret_pidfd = pidfd;
	return (pid_t)pid;
}

/* clone3 on the caller's stack. The kernel keeps every register but rax,
 * rcx and r11 for both sides; FN and ARG stay in registers, and the child
 * calls FN below the red zone of this frame, 16-byte aligned as the ABI
 * wants, and never comes back: the frames it pushes are dead stack of ours. */
#if defined(__x86_64__)
__attribute__((noinline)) static long clone3_shared_call(struct clone_args *args, void (*fn)(void *),
							 void *arg)
{
	long ret;

	__asm__ volatile("syscall\n\t"
			 "testq %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "subq $128, %%rsp\n\t"
			 "andq $-16, %%rsp\n\t"
			 "xorl %%ebp, %%ebp\n\t"
			 "movq %[arg], %%rdi\n\t"
			 "callq *%[fn]\n\t"
			 "ud2\n"
			 "1:"
			 : "=a"(ret)
			 : "0"((long)SYS_clone3), "D"(args), "S"(sizeof(*args)), [fn] "r"(fn), [arg] "r"(arg)
			 : "rcx", "r11", "memory", "cc");
	return ret;
}
#endif

bool nb_clone3_shared_available(void)
{
#if defined(__x86_64__)
	return true;
#else
	return false;
#endif
}

pid_t nb_clone3_shared(uint64_t flags, int cgroup_fd, int *ret_pidfd, void (*fn)(void *), void *arg,
		       struct nb_error *err)
{
#if defined(__x86_64__)
	int pidfd = -1;
	struct clone_args args;
	long pid;

	memset(&args, 0, sizeof(args));
	args.flags = flags | CLONE_VM | CLONE_VFORK | CLONE_PIDFD;
	args.pidfd = (uint64_t)(uintptr_t)&pidfd;
	args.exit_signal = SIGCHLD;
	if (cgroup_fd >= 0) {
		args.flags |= CLONE_INTO_CGROUP;
		args.cgroup = (uint64_t)cgroup_fd;
	}
#if defined(__SANITIZE_ADDRESS__)
	/* What the child allocates is never freed (it execs): not a leak of
	 * ours. It shares our thread data, so our count holds for it too. */
	__lsan_disable();
#endif
	pid = clone3_shared_call(&args, fn, arg);
#if defined(__SANITIZE_ADDRESS__)
	__lsan_enable();
	{
		/* The child's frames below ours left their poison in the
		 * shadow: clear it, as ASan's own vfork() interceptor does. */
		char here;

		__asan_handle_vfork(&here);
	}
#endif
	if (pid < 0)
		return nb_error_sys(err, (int)-pid, "clone3");
	*ret_pidfd = pidfd;
	return (pid_t)pid;
#else
	(void)flags, (void)cgroup_fd, (void)ret_pidfd, (void)fn, (void)arg;
	return nb_error_set(err, ENOSYS, "clone3 sharing memory: not on this architecture");
#endif
}

int nb_pidfd_signal(int pidfd, int sig)
{
	return pidfd_send_signal(pidfd, sig, NULL, 0) < 0 ? -errno : 0;
}

pid_t nb_pidfd_pid(int pidfd)
{
	char path[64], buf[1024], *line;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	line = strstr(buf, "\nPid:");
	if (!line)
		return 0;
	n = strtol(line + 5, NULL, 10);
	return n > 0 ? (pid_t)n : 0;
}

int nb_set_pdeathsig(int sig, pid_t expected_parent)
{
	if (prctl(PR_SET_PDEATHSIG, sig) < 0)
		return -errno;
	/* The parent may have died before the prctl: then nobody would send
	 * the signal. In a new pid namespace getppid() is 0 and tells nothing,
	 * so callers there rely on the sync socket's EOF instead. */
	if (expected_parent > 0 && getppid() != expected_parent)
		return -ESRCH;
	return 0;
}
