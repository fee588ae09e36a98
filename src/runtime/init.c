/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * init.c: PID 1 of the sandbox. It reaps every process that dies (orphans
 * are re-parented to it), forwards the signals in the mask to the command,
 * and exits with the command's status (128+N for signal N) as soon as the
 * command ends; the kernel then kills what is left of the pid namespace.
 */
#include "runtime/child.h"
#include "runtime/status.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

/* Reap all dead children; returns the command's exit code once it is dead. */
static int reap(pid_t cmdpid)
{
	int status, code = -1;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		if (pid == cmdpid)
			code = nb_exit_code_from_wait(status);
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

void nb_init_main(pid_t cmdpid, const sigset_t *mask, int parent_died_sig)
{
	sigset_t set = *mask;
	int sfd, code;

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
		code = reap(cmdpid);
		if (code >= 0)
			_exit(code);
	}
}
