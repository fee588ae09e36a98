/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* main.c: global options, logging, and dispatch to one file per command. */
#include "cli/commands.h"
#include "base/strutil.h"
#include "runtime/status.h"
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const struct nb_command commands[] = {
	{ "run", "run a command in a new sandbox (or an OCI bundle with --bundle)", nb_cmd_run },
	{ "create", "create an OCI container from a bundle", nb_cmd_create },
	{ "start", "start a created container", nb_cmd_start },
	{ "state", "print the state of a container", nb_cmd_state },
	{ "kill", "send a signal to a container", nb_cmd_kill },
	{ "delete", "delete a container", nb_cmd_delete },
	{ "list", "list containers", nb_cmd_list },
	{ "ps", "list the processes of a container", nb_cmd_ps },
	{ "exec", "run a process in a running container", nb_cmd_exec },
	{ "spec", "write a default config.json", nb_cmd_spec },
	{ "features", "print the features of this runtime", nb_cmd_features },
};

static struct nb_globals globals;
static FILE *log_file;

static void usage(FILE *out)
{
	fprintf(out, "Usage: nsbox [GLOBAL OPTIONS] COMMAND [ARG...]\n\n"
		     "A Linux sandbox and OCI container runtime.\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nGlobal options:\n"
		     "  --root DIR             state directory (default /run/nsbox,\n"
		     "                         rootless: $XDG_RUNTIME_DIR/nsbox)\n"
		     "  --log FILE             also write errors to FILE\n"
		     "  --log-format FORMAT    text (default) or json\n"
		     "  --debug                more detail in the log\n"
		     "  --systemd-cgroup       cgroups through systemd (not yet supported)\n"
		     "  --rootless MODE        auto (default), true or false\n"
		     "  -h, --help             show this help\n"
		     "  -v, --version          show the version\n"
		     "\nRun 'nsbox COMMAND --help' for a command's options.\n");
}

static void log_error(const char *msg)
{
	char when[64];
	struct timespec ts;
	struct tm tm;

	if (!log_file)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (globals.log_json) {
		/* One JSON object per line, as runc writes them: engines read it. */
		fprintf(log_file, "{\"level\":\"error\",\"msg\":\"");
		for (const char *p = msg; *p; p++) {
			if (*p == '"' || *p == '\\')
				fprintf(log_file, "\\%c", *p);
			else if ((unsigned char)*p < 0x20)
				fprintf(log_file, "\\u%04x", *p);
			else
				fputc(*p, log_file);
		}
		fprintf(log_file, "\",\"time\":\"%s\"}\n", when);
	} else {
		fprintf(log_file, "%s error: %s\n", when, msg);
	}
	fflush(log_file);
}

int nb_cli_fail(const struct nb_error *err, const char *command)
{
	fprintf(stderr, "nsbox: %s\n", err->msg);
	log_error(err->msg);
	if (err->kind == NB_ERR_USAGE)
		fprintf(stderr, "Try 'nsbox %s--help' for more information.\n", command ? command : "");
	return nb_exit_code_from_error(err->kind);
}

void nb_cli_warn(const struct nb_error *warn)
{
	if (!warn->msg[0])
		return;
	fprintf(stderr, "nsbox: %s\n", warn->msg);
	log_error(warn->msg);
}

int nb_cli_usage(const char *command, const char *fmt, ...)
{
	struct nb_error err = { .code = 22, .kind = NB_ERR_USAGE };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err.msg, sizeof(err.msg), fmt, ap);
	va_end(ap);
	return nb_cli_fail(&err, command);
}

static char default_root[4096];

/* True when this process runs in a user namespace other than the initial
 * one, whose uid_map is the whole identity range "0 0 4294967295". */
static bool in_user_namespace(void)
{
	unsigned long inside, outside, count;
	FILE *f = fopen("/proc/self/uid_map", "re");
	int n;

	if (!f)
		return false;
	n = fscanf(f, "%lu %lu %lu", &inside, &outside, &count);
	fclose(f);
	return !(n == 3 && inside == 0 && outside == 0 && count == 4294967295UL);
}

/* The default --root, chosen as runc does: $XDG_RUNTIME_DIR/nsbox for an
 * unprivileged user, and also for "root" in a user namespace made by an
 * unprivileged user (rootless podman runs its runtime as uid 0 in its user
 * namespace, with XDG_RUNTIME_DIR set and USER not root), where /run/nsbox
 * cannot be written; otherwise /run/nsbox. --rootless true or false forces
 * the choice. */
static const char *pick_root(int rootless)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	const char *user = getenv("USER");

	if (!xdg || !*xdg || rootless == 0)
		return "/run/nsbox";
	if (rootless < 0 && geteuid() == 0 &&
	    (!in_user_namespace() || (user && nb_streq(user, "root"))))
		return "/run/nsbox";
	snprintf(default_root, sizeof(default_root), "%s/nsbox", xdg);
	return default_root;
}

enum { G_ROOT = 256, G_LOG, G_LOG_FORMAT, G_DEBUG, G_SYSTEMD, G_ROOTLESS, G_CRIU };

static int parse_globals(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, G_ROOT },
		{ "log", required_argument, NULL, G_LOG },
		{ "log-format", required_argument, NULL, G_LOG_FORMAT },
		{ "debug", no_argument, NULL, G_DEBUG },
		{ "systemd-cgroup", no_argument, NULL, G_SYSTEMD },
		{ "rootless", required_argument, NULL, G_ROOTLESS },
		{ "criu", required_argument, NULL, G_CRIU },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	globals.rootless = -1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+hv", opts, NULL)) != -1) {
		switch (opt) {
		case G_ROOT: globals.root = optarg; break;
		case G_LOG: globals.log = optarg; break;
		case G_LOG_FORMAT:
			if (!nb_streq(optarg, "json") && !nb_streq(optarg, "text"))
				return nb_cli_usage(NULL, "--log-format '%s': expected text or json", optarg);
			globals.log_json = nb_streq(optarg, "json");
			break;
		case G_DEBUG: globals.debug = true; break;
		case G_SYSTEMD: globals.systemd_cgroup = true; break;
		case G_CRIU: break;   /* accepted for runc compatibility; unused */
		case G_ROOTLESS:
			if (nb_streq(optarg, "auto"))
				globals.rootless = -1;
			else if (nb_streq(optarg, "true") || nb_streq(optarg, "false"))
				globals.rootless = nb_streq(optarg, "true");
			else
				return nb_cli_usage(NULL, "--rootless '%s': expected auto, true or false", optarg);
			break;
		case 'h': usage(stdout); exit(0);
		case 'v': printf("nsbox version %s\nspec: 1.2.0\n", NSBOX_VERSION); exit(0);
		default:
			return nb_cli_usage(NULL, "unknown global option '%s'", argv[optind - 1]);
		}
	}
	if (!globals.root)
		globals.root = pick_root(globals.rootless);
	if (globals.log) {
		log_file = fopen(globals.log, "ae");
		if (!log_file)
			fprintf(stderr, "nsbox: --log '%s': cannot open\n", globals.log);
	}
	return 0;
}

int main(int argc, char *argv[])
{
	int r = parse_globals(argc, argv);

	if (r)
		return r;
	if (optind >= argc) {
		usage(stderr);
		return NB_EXIT_SETUP;
	}
	argc -= optind;
	argv += optind;
	optind = 0;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (nb_streq(argv[0], commands[i].name))
			return commands[i].run(&globals, argc, argv);
	return nb_cli_usage(NULL, "unknown command '%s'", argv[0]);
}
