/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* start.c: `nsbox start ID`: let a created container exec its process. */
#include "cli/commands.h"
#include "runtime/container.h"

#include <stdio.h>
#include <string.h>

int nb_cmd_start(const struct nb_globals *g, int argc, char *argv[])
{
	struct nb_error err = { 0 }, warn = { 0 };

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("Usage: nsbox start ID\n\nStart a created container: its process execs.\n");
		return 0;
	}
	if (argc != 2)
		return nb_cli_usage("start ", "start: expected one container id");
	if (nb_container_start(g->root, argv[1], &warn, &err) < 0)
		return nb_cli_fail(&err, NULL);
	nb_cli_warn(&warn);
	return 0;
}
