/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kill.c: `nsbox kill [--all] ID [SIGNAL]`: SIGNAL by name (TERM, SIGTERM) or number. */
#include "cli/commands.h"
#include "base/strutil.h"
#include "runtime/container.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
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

/* "TERM", "SIGTERM", "sigterm", "15", "RTMIN+3". */
static int parse_signal(const char *text, int *ret)
{
	const char *name = strncasecmp(text, "SIG", 3) == 0 ? text + 3 : text;
	int n;

	if (nb_parse_int(text, 1, SIGRTMAX, ret) == 0)
		return 0;
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
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
	return -1;
}

int nb_cmd_kill(const struct nb_globals *g, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nb_error err = { 0 };
	bool all = false;
	int opt, sig = SIGTERM;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "ah", opts, NULL)) != -1) {
		if (opt == 'a')
			all = true;
		else if (opt == 'h') {
			printf("Usage: nsbox kill [--all] ID [SIGNAL]\n\nSend SIGNAL (default TERM; "
			       "a name or a number) to the container's process, or with --all to\n"
			       "every process of the container.\n");
			return 0;
		} else
			return nb_cli_usage("kill ", "kill: unknown option '%s'", argv[optind - 1]);
	}
	if (optind >= argc || argc - optind > 2)
		return nb_cli_usage("kill ", "kill: expected ID [SIGNAL]");
	if (argc - optind == 2 && parse_signal(argv[optind + 1], &sig) < 0)
		return nb_cli_usage("kill ", "kill: unknown signal '%s'", argv[optind + 1]);
	if (nb_container_kill(g->root, argv[optind], sig, all, &err) < 0)
		return nb_cli_fail(&err, NULL);
	return 0;
}
