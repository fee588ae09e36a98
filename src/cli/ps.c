/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ps.c: `nsbox ps [--format table|json] ID`: the processes of a container. */
#include "cli/commands.h"
#include "base/fileutil.h"
#include "base/strutil.h"
#include "runtime/container.h"
#include "spec/cli_args.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_table(const pid_t *pids, size_t n)
{
	printf("%-8s %s\n", "PID", "CMD");
	for (size_t i = 0; i < n; i++) {
		char path[64], cmd[4096];
		ssize_t len;

		snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pids[i]);
		len = nb_read_file_at(AT_FDCWD, path, cmd, sizeof(cmd));
		for (ssize_t k = 0; k + 1 < len; k++)
			if (cmd[k] == '\0')
				cmd[k] = ' ';
		printf("%-8d %s\n", (int)pids[i], len > 0 ? cmd : "");
	}
}

int nb_cmd_ps(const struct nb_globals *g, int argc, char *argv[])
{
	struct nb_error err = { 0 };
	struct nb_ps_args a;
	pid_t *pids;
	size_t n;

	if (nb_ps_parse_args(argc, argv, &a, &err) < 0)
		return nb_cli_fail(&err, "ps ");
	if (a.help) {
		printf("Usage: nsbox ps [--format table|json] ID\n\nList the processes of a container.\n");
		return 0;
	}
	if (nb_container_pids(g->root, a.id, &pids, &n, &err) < 0)
		return nb_cli_fail(&err, NULL);
	if (a.json) {
		printf("[");
		for (size_t i = 0; i < n; i++)
			printf("%s%d", i ? "," : "", (int)pids[i]);
		printf("]\n");
	} else {
		print_table(pids, n);
	}
	free(pids);
	return 0;
}
