/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/status.h"

#include <signal.h>
#include <sys/wait.h>

int nb_exit_code_from_wait(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return NB_EXIT_SETUP;
}

int nb_exit_code_from_siginfo(int code, int status)
{
	switch (code) {
	case CLD_EXITED: return status & 0xff;
	case CLD_KILLED: case CLD_DUMPED: return 128 + status;
	default: return NB_EXIT_SETUP;
	}
}

int nb_exit_code_from_error(enum nb_error_kind kind)
{
	switch (kind) {
	case NB_ERR_CANNOT_EXEC: return NB_EXIT_CANNOT_EXEC;
	case NB_ERR_NOT_FOUND: return NB_EXIT_NOT_FOUND;
	case NB_ERR_SETUP: case NB_ERR_USAGE: default: return NB_EXIT_SETUP;
	}
}
