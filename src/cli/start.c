/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* start.c: `nsbox start ID`: let a created container exec its process. */
#include "cli/commands.h"
#include "base/cleanup.h"
#include "runtime/container.h"
#include "runtime/notify.h"
#include "spec/cli_args.h"

#include <stdio.h>

/* NOTIFY_SOCKET: the socket is bound before the process may exec, and
 * READY=1 relayed after (runtime/notify.h). */
int nb_cli_start(const struct nb_globals *g, const char *id, struct nb_error *warn, struct nb_error *err)
{
	const char *host = nb_notify_host();
	_cleanup_close_ int sock = -1, pidfd = -1;
	pid_t pid = 0;
	int r = host ? nb_container_notify_socket(g->root, id, &sock, err) : 0;

	if (r >= 0)
		r = nb_container_start(g->root, id, warn, err);
	if (r >= 0 && sock >= 0 && nb_container_process(g->root, id, &pid, &pidfd, err) >= 0)
		r = nb_notify_until_ready(sock, host, pidfd, pid, err);
	return r;
}

int nb_cmd_start(const struct nb_globals *g, int argc, char *argv[])
{
	struct nb_id_args a;
	struct nb_error err = { 0 }, warn = { 0 };

	if (nb_id_parse_args(argc, argv, &a, &err) < 0)
		return nb_cli_fail(&err, "start ");
	if (a.help) {
		printf("Usage: nsbox start ID\n\nStart a created container: its process execs.\n");
		return 0;
	}
	if (nb_cli_start(g, a.id, &warn, &err) < 0)
		return nb_cli_fail(&err, NULL);
	nb_cli_warn(&warn);
	return 0;
}
