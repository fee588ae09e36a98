/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/process.h"

#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

pid_t nb_clone3(uint64_t flags, int *ret_pidfd, struct nb_error *err)
{
	int pidfd = -1;
	struct clone_args args;
	long pid;

	memset(&args, 0, sizeof(args));
	args.flags = flags | CLONE_PIDFD;
	args.pidfd = (uint64_t)(uintptr_t)&pidfd;
	/* With CLONE_PARENT the kernel takes the caller's own exit signal. */
	args.exit_signal = (flags & CLONE_PARENT) ? 0 : SIGCHLD;
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0)
		return nb_error_errno(err, "clone3");
	if (pid > 0)
		*ret_pidfd = pidfd;
	return (pid_t)pid;
}

int nb_pidfd_signal(int pidfd, int sig)
{
	return pidfd_send_signal(pidfd, sig, NULL, 0) < 0 ? -errno : 0;
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
