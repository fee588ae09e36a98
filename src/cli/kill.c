/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kill.c: `nsbox kill [--all] ID [SIGNAL]`: SIGNAL by name (TERM, SIGTERM) or
 * number (spec/signal.h). */
#include "cli/commands.h"
#include "runtime/container.h"
#include "spec/cli_args.h"

#include <stdio.h>

int nb_cmd_kill(const struct nb_globals *g, int argc, char *argv[])
{
	struct nb_error err = { 0 };
	struct nb_kill_args a;

	if (nb_kill_parse_args(argc, argv, &a, &err) < 0)
		return nb_cli_fail(&err, "kill ");
	if (a.help) {
		printf("Usage: nsbox kill [--all] ID [SIGNAL]\n\nSend SIGNAL (default TERM; "
		       "a name or a number) to the container's process, or with --all to\n"
		       "every process of the container.\n");
		return 0;
	}
	if (nb_container_kill(g->root, a.id, a.signal, a.all, &err) < 0)
		return nb_cli_fail(&err, NULL);
	return 0;
}
