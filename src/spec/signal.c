/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "spec/signal.h"
#include "base/cleanup.h"
#include "base/strutil.h"

#include <errno.h>
#include <signal.h>
#include <strings.h>

static const struct { const char *name; int sig; } signals[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ILL", SIGILL },
	{ "TRAP", SIGTRAP }, { "ABRT", SIGABRT }, { "IOT", SIGIOT }, { "BUS", SIGBUS },
	{ "FPE", SIGFPE }, { "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV },
	{ "USR2", SIGUSR2 }, { "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
	{ "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
	{ "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU }, { "URG", SIGURG },
	{ "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM }, { "PROF", SIGPROF },
	{ "WINCH", SIGWINCH }, { "IO", SIGIO }, { "POLL", SIGPOLL }, { "PWR", SIGPWR },
	{ "SYS", SIGSYS },
};

int nb_signal_from_name(const char *text, int *ret)
{
	const char *name = strncasecmp(text, "SIG", 3) == 0 ? text + 3 : text;
	int n;

	/* 0 as runc: no signal, only the check that the process is alive. */
	if (nb_parse_int(text, 0, SIGRTMAX, ret) == 0)
		return 0;
	for (size_t i = 0; i < NB_ARRAY_SIZE(signals); i++) {
		if (strcasecmp(signals[i].name, name) == 0) {
			*ret = signals[i].sig;
			return 0;
		}
	}
	if (strncasecmp(name, "RTMIN+", 6) == 0 && nb_parse_int(name + 6, 0, SIGRTMAX - SIGRTMIN, &n) == 0) {
		*ret = SIGRTMIN + n;
		return 0;
	}
	if (strncasecmp(name, "RTMAX-", 6) == 0 && nb_parse_int(name + 6, 0, SIGRTMAX - SIGRTMIN, &n) == 0) {
		*ret = SIGRTMAX - n;
		return 0;
	}
	return -EINVAL;
}
