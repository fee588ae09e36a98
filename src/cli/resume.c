/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* resume.c: `nsbox resume ID`: thaw a paused container. */
#include "cli/commands.h"
#include "runtime/container_cgroup.h"
#include "spec/cli_args.h"

#include <stdio.h>

int nb_cmd_resume(const struct nb_globals *g, int argc, char *argv[])
{
	struct nb_id_args a;
	struct nb_error err = { 0 };

	if (nb_id_parse_args(argc, argv, &a, &err) < 0)
		return nb_cli_fail(&err, "resume ");
	if (a.help) {
		printf("Usage: nsbox resume ID\n\nThaw every process of a paused container.\n");
		return 0;
	}
	if (nb_container_resume(g->root, a.id, &err) < 0)
		return nb_cli_fail(&err, NULL);
	return 0;
}
