/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pause.c: `nsbox pause ID`: freeze every process of a container. */
#include "cli/commands.h"
#include "runtime/container_cgroup.h"
#include "spec/cli_args.h"

#include <stdio.h>

int nb_cmd_pause(const struct nb_globals *g, int argc, char *argv[])
{
	struct nb_id_args a;
	struct nb_error err = { 0 };

	if (nb_id_parse_args(argc, argv, &a, &err) < 0)
		return nb_cli_fail(&err, "pause ");
	if (a.help) {
		printf("Usage: nsbox pause ID\n\nFreeze every process of a container (its cgroup's freezer).\n");
		return 0;
	}
	if (nb_container_pause(g->root, a.id, &err) < 0)
		return nb_cli_fail(&err, NULL);
	return 0;
}
