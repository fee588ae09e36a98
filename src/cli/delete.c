/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* delete.c: `nsbox delete [--force] ID`. */
#include "cli/commands.h"
#include "runtime/container.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>

int nb_cmd_delete(const struct nb_globals *g, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nb_error err = { 0 }, warn = { 0 };
	bool force = false;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "fh", opts, NULL)) != -1) {
		if (opt == 'f')
			force = true;
		else if (opt == 'h') {
			printf("Usage: nsbox delete [--force] ID\n\nDelete a stopped (or created) container; "
			       "--force kills a running one first, and succeeds when there is no such container.\n");
			return 0;
		} else
			return nb_cli_usage("delete ", "delete: unknown option '%s'", argv[optind - 1]);
	}
	if (argc - optind != 1)
		return nb_cli_usage("delete ", "delete: expected one container id");
	if (nb_container_delete(g->root, argv[optind], force, &warn, &err) < 0) {
		/* As runc and crun: --force of a container that is gone (already
		 * deleted, or never fully created) succeeds. containerd's shim
		 * calls `delete` then `delete --force` and logs a warning when the
		 * second fails. A bad id is still an error. */
		if (force && err.code == ENOENT && err.kind == NB_ERR_SETUP)
			return 0;
		return nb_cli_fail(&err, NULL);
	}
	nb_cli_warn(&warn);
	return 0;
}
