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
#include <signal.h>
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

void nb_init_main(pid_t cmdpid, const sigset_t *mask)
{
	sigset_t set = *mask;
	int sfd, code;

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
		if (si.ssi_signo != SIGCHLD) {
			kill(cmdpid, (int)si.ssi_signo);
			continue;
		}
		code = reap(cmdpid);
		if (code >= 0)
			_exit(code);
	}
}
