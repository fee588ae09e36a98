/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* update.c: `nsbox update [OPTIONS] ID`: new limits for a container, from
 * runc's flags or a linux.resources document (-r FILE, '-' for stdin). */
#include "cli/commands.h"
#include "base/cleanup.h"
#include "base/fileutil.h"
#include "runtime/container_cgroup.h"
#include "spec/oci.h"
#include "spec/update_args.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define RESOURCES_MAX ((size_t)1 << 20)

/* The document FILE into *RES (its device rules dropped: runc's update
 * ignores them, and CRI sends its deny-all with every update). */
static int load_resources(const char *file, struct nb_resources *res, struct nb_error *err)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	int r;

	if (file[0] == '-' && !file[1]) {
		r = nb_read_fd_alloc(STDIN_FILENO, RESOURCES_MAX, &text, &len);
	} else {
		r = nb_read_file_alloc_at(AT_FDCWD, file, RESOURCES_MAX, &text, &len);
	}
	if (r < 0)
		return nb_error_sys(err, -r, "update: --resources '%s'", file);
	nb_resources_free(res);
	r = nb_oci_load_resources(text, len, file[0] == '-' && !file[1] ? "update: stdin" : file, res, err);
	if (r >= 0)
		nb_resources_drop_devices(res);
	return r;
}

int nb_cmd_update(const struct nb_globals *g, int argc, char *argv[])
{
	struct nb_error err = { 0 };
	struct nb_strv warnings = { 0 };
	struct nb_resources res;
	const char *file = NULL;
	int at, r;

	at = nb_update_parse_args(argc, argv, &res, &file, &err);
	if (at == 0) {
		fputs(nb_update_usage, stdout);
		nb_resources_free(&res);
		return 0;
	}
	if (at < 0 || argc - at != 1) {
		nb_resources_free(&res);
		if (at < 0)
			return nb_cli_usage("update ", "%s", err.msg);
		return nb_cli_usage("update ", "update: expected one container id");
	}
	r = file ? load_resources(file, &res, &err) : 0;
	if (r >= 0)
		r = nb_container_update(g->root, argv[at], &res, &warnings, &err);
	nb_resources_free(&res);
	nb_cli_warnings(&warnings);
	nb_strv_free(&warnings);
	if (r < 0)
		return nb_cli_fail(&err, NULL);
	return 0;
}
