/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* state.c: `nsbox state ID`: print the runtime-spec state JSON. */
#include "cli/commands.h"
#include "runtime/container.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int nb_cmd_state(const struct nb_globals *g, int argc, char *argv[])
{
	struct nb_error err = { 0 };
	char *json = NULL;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("Usage: nsbox state ID\n\nPrint the state of a container as JSON.\n");
		return 0;
	}
	if (argc != 2)
		return nb_cli_usage("state ", "state: expected one container id");
	if (nb_container_state(g->root, argv[1], &json, &err) < 0)
		return nb_cli_fail(&err, NULL);
	printf("%s\n", json);
	free(json);
	return 0;
}
