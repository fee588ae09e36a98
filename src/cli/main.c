/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* main.c: global options and dispatch to one file per command. */
#include "cli/commands.h"
#include "base/strutil.h"
#include "runtime/status.h"
#include "config.h"

#include <stdio.h>
#include <string.h>

static const struct nb_command commands[] = {
	{ "run", "run a command in a new sandbox", nb_cmd_run },
};

static void usage(FILE *out)
{
	fprintf(out, "Usage: nsbox [--help] [--version] COMMAND [ARG...]\n\n"
		     "A Linux sandbox and container runtime.\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nRun 'nsbox COMMAND --help' for a command's options.\n");
}

int nb_cli_fail(const struct nb_error *err, const char *command)
{
	fprintf(stderr, "nsbox: %s\n", err->msg);
	if (err->kind == NB_ERR_USAGE)
		fprintf(stderr, "Try 'nsbox %s--help' for more information.\n", command ? command : "");
	return nb_exit_code_from_error(err->kind);
}

int main(int argc, char *argv[])
{
	if (argc < 2) {
		usage(stderr);
		return NB_EXIT_SETUP;
	}
	if (nb_streq(argv[1], "--help") || nb_streq(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (nb_streq(argv[1], "--version") || nb_streq(argv[1], "-v")) {
		printf("nsbox version %s\n", NSBOX_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (nb_streq(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "nsbox: unknown command '%s'\nTry 'nsbox --help' for more information.\n",
		argv[1]);
	return NB_EXIT_SETUP;
}
