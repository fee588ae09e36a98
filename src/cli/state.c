/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* state.c: `nsbox state ID`: print the runtime-spec state JSON. */
#include "cli/commands.h"
#include "runtime/container.h"
#include "spec/cli_args.h"

#include <stdio.h>
#include <stdlib.h>

int nb_cmd_state(const struct nb_globals *g, int argc, char *argv[])
{
	struct nb_id_args a;
	struct nb_error err = { 0 };
	char *json = NULL;

	if (nb_id_parse_args(argc, argv, &a, &err) < 0)
		return nb_cli_fail(&err, "state ");
	if (a.help) {
		printf("Usage: nsbox state ID\n\nPrint the state of a container as JSON.\n");
		return 0;
	}
	if (nb_container_state(g->root, a.id, &json, &err) < 0)
		return nb_cli_fail(&err, NULL);
	printf("%s\n", json);
	free(json);
	return 0;
}
