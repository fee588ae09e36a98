/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* run.c: `nsbox run`: parse the command line into a plan, run it, wait. */
#include "cli/commands.h"
#include "runtime/container.h"
#include "runtime/sandbox.h"
#include "spec/run_args.h"
#include "base/strutil.h"

#include <errno.h>
#include <stdio.h>
#include <sys/random.h>
#include <unistd.h>

extern char **environ;

/* A short random default hostname, as container engines give. */
static void random_hostname(char *buf, size_t size)
{
	unsigned char bytes[6] = { 0 };

	if (getrandom(bytes, sizeof(bytes), GRND_NONBLOCK) != sizeof(bytes)) {
		pid_t pid = getpid();

		bytes[0] = (unsigned char)pid;
		bytes[1] = (unsigned char)(pid >> 8);
	}
	snprintf(buf, size, "%02x%02x%02x%02x%02x%02x", bytes[0], bytes[1], bytes[2], bytes[3],
		 bytes[4], bytes[5]);
}

/* `run ID --bundle DIR` is the OCI command; `run [OPTIONS] -- CMD` the
 * sandbox. The OCI form is recognised by --bundle/-b before any operand. */
static bool is_oci_run(int argc, char *argv[])
{
	for (int i = 1; i < argc; i++) {
		if (nb_streq(argv[i], "--"))
			return false;
		if (nb_streq(argv[i], "--bundle") || nb_streq(argv[i], "-b") ||
		    nb_startswith(argv[i], "--bundle="))
			return true;
	}
	return false;
}

int nb_cmd_run(const struct nb_globals *g, int argc, char *argv[])
{
	struct nb_host host = { .euid = geteuid(), .egid = getegid() };
	struct nb_error err = { 0 };
	struct nb_run_args args;
	struct nb_sandbox sb;
	struct nb_config cfg;
	int code = 0, r;

	if (is_oci_run(argc, argv))
		return nb_cmd_oci_run(g, argc, argv);
	random_hostname(host.hostname, sizeof(host.hostname));
	nb_config_init(&cfg);
	r = nb_run_parse_args(argc, argv, environ, &host, &cfg, &args, &err);
	if (r < 0) {
		nb_config_free(&cfg);
		return nb_cli_fail(&err, "run ");
	}
	if (args.help) {
		fputs(nb_run_usage, stdout);
		nb_config_free(&cfg);
		return 0;
	}
	/* Our own output must be out before the sandbox writes to the same fds. */
	fflush(NULL);
	nb_sandbox_init(&sb);
	sb.opts.null_stdio = args.detach;
	if (args.name) {
		struct nb_container_opts co = { .root = g->root, .id = args.name, .bundle = "" };

		r = nb_container_register(&co, &cfg, &sb, &err);
	} else {
		r = nb_sandbox_spawn(&sb, &cfg, &err);
	}
	if (r >= 0 && args.detach) {
		nb_sandbox_detach(&sb);
		nb_config_free(&cfg);
		return 0;
	}
	if (r >= 0)
		r = nb_sandbox_wait(&sb, &code, &err);
	nb_sandbox_release(&sb);
	if (args.name && (r >= 0 || err.code != EEXIST))
		nb_container_unregister(g->root, args.name);
	nb_config_free(&cfg);
	if (r < 0)
		return nb_cli_fail(&err, NULL);
	return code;
}
