/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * init.c: PID 1 of the sandbox. It reaps every process that dies (orphans
 * are re-parented to it), forwards the signals in the mask to the command,
 * and exits with the command's status (128+N for signal N) as soon as the
 * command ends; the kernel then kills what is left of the pid namespace.
 * A judged run (runtime/judge.h) also gets the command's whole wait status
 * through a pipe, which tells "killed by signal N" from "exit 128+N".
 */
#include "runtime/child.h"
#include "runtime/status.h"
#include "base/proctitle.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/prctl.h>

/* Above every capability a kernel has had (CAP_CHECKPOINT_RESTORE is 40):
 * dropping one the kernel does not know is a harmless EINVAL. */
#define CAP_LAST_CAP_MAX 63
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Reap all dead children; returns the command's exit code once it is
 * dead, after writing its whole wait status to STATUS_FD if there is one. */
static int reap(pid_t cmdpid, int status_fd)
{
	int status, code = -1;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		if (pid == cmdpid) {
			code = nb_exit_code_from_wait(status);
			if (status_fd >= 0)
				(void)!write(status_fd, &status, sizeof(status));
		}
	return code;
}

/* SIGKILL every direct child, as listed by /proc/self/task/PID/children. */
static void kill_children(void)
{
	char path[64], buf[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)getpid());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof(buf) - 1)) > 0) {
		char *p = buf, *end;

		buf[n] = '\0';
		for (long pid; (pid = strtol(p, &end, 10)) > 0; p = end)
			kill((pid_t)pid, SIGKILL);
	}
	close(fd);
}

/* Kill every descendant: those whose parent dies are re-parented to us (we
 * are a subreaper), so kill and reap until no child is left. */
__attribute__((noreturn)) static void kill_descendants_and_exit(void)
{
	for (;;) {
		kill_children();
		if (waitpid(-1, NULL, 0) < 0 && errno == ECHILD)
			_exit(128 + SIGKILL);
	}
}

/* Keep nothing from nsbox: no command line or environment in memory
 * (/proc/1/cmdline is readable by everyone in the sandbox), no capability
 * but CAP_KILL (to signal a command of another uid), not even in the
 * bounding set, and no fd (not even stdio, which the command has) but
 * STATUS_FD (a judged run's, if >= 0). The fds go last: where the
 * command waits on the gate (runtime/child.c), closing them releases it,
 * and it must find nothing of nsbox's here; a command started by vfork()
 * runs already, but cannot reach the init's fds. Best effort: an init
 * whose nsbox lacked CAP_KILL keeps none. */
static void shed_inheritance(int status_fd)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { { 0 } };

	nb_proctitle_wipe("nsbox-init");
	for (int c = 0; c <= CAP_LAST_CAP_MAX; c++)
		if (c != CAP_KILL)
			(void)prctl(PR_CAPBSET_DROP, (unsigned long)c, 0L, 0L, 0L);
	if (syscall(SYS_capget, &hdr, data) == 0) {
		uint32_t kill_bit = (uint32_t)1 << CAP_KILL;

		data[0].effective = data[0].permitted = data[0].permitted & kill_bit;
		data[0].inheritable = 0;
		data[1] = (struct __user_cap_data_struct){ 0 };
		(void)syscall(SYS_capset, &hdr, data);
	}
	(void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0L, 0L, 0L);
	(void)prctl(PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L);
	if (status_fd >= 0) {
		if (status_fd > 0)
			syscall(SYS_close_range, 0U, (unsigned)status_fd - 1, 0U);
		syscall(SYS_close_range, (unsigned)status_fd + 1, ~0U, 0U);
	} else {
		syscall(SYS_close_range, 0U, ~0U, 0U);
	}
}

void nb_init_main(pid_t cmdpid, const sigset_t *mask, int parent_died_sig, int status_fd)
{
	sigset_t set = *mask;
	int sfd, code;

	shed_inheritance(status_fd);
	if (parent_died_sig)
		sigaddset(&set, parent_died_sig);
	sigaddset(&set, SIGCHLD);
	/* The parent blocked these before clone, so none was lost meanwhile. */
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0)
		_exit(NB_EXIT_SETUP);
	for (;;) {
		struct signalfd_siginfo si;
		ssize_t n = read(sfd, &si, sizeof(si));

		if (n < 0 && errno == EINTR)
			continue;
		if (n != sizeof(si))
			_exit(NB_EXIT_SETUP);
		if (parent_died_sig && (int)si.ssi_signo == parent_died_sig)
			kill_descendants_and_exit();
		if (si.ssi_signo != SIGCHLD) {
			kill(cmdpid, (int)si.ssi_signo);
			continue;
		}
		code = reap(cmdpid, status_fd);
		if (code >= 0)
			_exit(code);
	}
}
