/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* spec.c: `nsbox spec [--rootless] [--bundle DIR]`: write a default config.json. */
#include "cli/commands.h"
#include "spec/oci.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int nb_cmd_spec(const struct nb_globals *g, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "rootless", no_argument, NULL, 'r' }, { "bundle", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	const char *bundle = ".";
	bool rootless = false;
	char path[4096];
	char *json;
	FILE *f;
	int opt, fd;

	(void)g;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "b:h", opts, NULL)) != -1) {
		if (opt == 'r')
			rootless = true;
		else if (opt == 'b')
			bundle = optarg;
		else if (opt == 'h') {
			printf("Usage: nsbox spec [--rootless] [--bundle DIR]\n\n"
			       "Write a default config.json into DIR (default: the current directory).\n");
			return 0;
		} else
			return nb_cli_usage("spec ", "spec: unknown option '%s'", argv[optind - 1]);
	}
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	json = nb_oci_default_spec(rootless, getuid(), getgid());
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
	char *json = nb_oci_features();

	(void)g;
	(void)argc;
	(void)argv;
	if (!json)
		return nb_cli_usage(NULL, "features: out of memory");
	printf("%s\n", json);
	free(json);
	return 0;
}
