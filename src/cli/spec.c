/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* spec.c: `nsbox spec [--rootless] [--bundle DIR]`: write a default config.json. */
#include "cli/commands.h"
#include "linux/cgroup.h"
#include "spec/cli_args.h"
#include "spec/oci.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int nb_cmd_spec(const struct nb_globals *g, int argc, char *argv[])
{
	struct nb_error err = { 0 };
	struct nb_spec_args a;
	char path[4096];
	char *json;
	FILE *f;
	int fd;

	(void)g;
	if (nb_spec_parse_args(argc, argv, &a, &err) < 0)
		return nb_cli_fail(&err, "spec ");
	if (a.help) {
		printf("Usage: nsbox spec [--rootless] [--bundle DIR]\n\n"
		       "Write a default config.json into DIR (default: the current directory).\n");
		return 0;
	}
	snprintf(path, sizeof(path), "%s/config.json", a.bundle);
	json = nb_oci_default_spec(a.rootless, getuid(), getgid());
	if (!json)
		return nb_cli_usage(NULL, "spec: out of memory");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		int e = errno;

		free(json);
		fprintf(stderr, "nsbox: spec: '%s': %s\n", path, e == EEXIST ? "already exists" : strerror(e));
		return 125;
	}
	f = fdopen(fd, "w");
	fprintf(f, "%s\n", json);
	fclose(f);
	free(json);
	return 0;
}

int nb_cmd_features(const struct nb_globals *g, int argc, char *argv[])
{
	char controllers[512];
	char *json = nb_oci_features(nb_cgroup_layout_name(nb_cgroup_layout()),
				     nb_cgroup_controllers(controllers, sizeof(controllers)));

	(void)g;
	(void)argc;
	(void)argv;
	if (!json)
		return nb_cli_usage(NULL, "features: out of memory");
	printf("%s\n", json);
	free(json);
	return 0;
}
