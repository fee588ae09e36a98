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
