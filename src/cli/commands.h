/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * commands.h: the subcommands of nsbox, one file each. A command returns
 * nsbox's exit status; printing is done here in cli/ and nowhere else.
 */
#ifndef NSBOX_CLI_COMMANDS_H
#define NSBOX_CLI_COMMANDS_H

#include "base/error.h"

struct nb_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char *argv[]);
};

int nb_cmd_run(int argc, char *argv[]);

/* Print "nsbox: MESSAGE" (plus a usage hint for usage errors) and return
 * the exit status for the error's kind. */
int nb_cli_fail(const struct nb_error *err, const char *command);

#endif
