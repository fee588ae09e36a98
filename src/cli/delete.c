/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* delete.c: `nsbox delete [--force] ID`. */
#include "cli/commands.h"
#include "runtime/container.h"
#include "spec/cli_args.h"

#include <errno.h>
#include <stdio.h>

int nb_cmd_delete(const struct nb_globals *g, int argc, char *argv[])
{
	struct nb_error err = { 0 }, warn = { 0 };
	struct nb_delete_args a;

	if (nb_delete_parse_args(argc, argv, &a, &err) < 0)
		return nb_cli_fail(&err, "delete ");
	if (a.help) {
		printf("Usage: nsbox delete [--force] ID\n\nDelete a stopped (or created) container; "
		       "--force kills a running one first, and succeeds when there is no such container.\n");
		return 0;
	}
	if (nb_container_delete(g->root, a.id, a.force, &warn, &err) < 0) {
		/* As runc and crun: --force of a container that is gone (already
		 * deleted, or never fully created) succeeds. containerd's shim
		 * calls `delete` then `delete --force` and logs a warning when the
		 * second fails. A bad id is still an error. */
		if (a.force && err.code == ENOENT && err.kind == NB_ERR_SETUP)
			return 0;
		return nb_cli_fail(&err, NULL);
	}
	nb_cli_warn(&warn);
	return 0;
}
