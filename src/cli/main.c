/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* main.c: global options, logging, and dispatch to one file per command. */
#include "cli/commands.h"
#include "base/proctitle.h"
#include "base/strutil.h"
#include "linux/selfexe.h"
#include "linux/trampoline.h"
#include "spec/cli_args.h"
#include "spec/config.h"
#include "runtime/status.h"
#include "config.h"

#include <errno.h>
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
	{ "network", "manage bridge networks (ls, inspect, create, rm, prune)", nb_cmd_network },
	{ "ps", "list the processes of a container", nb_cmd_ps },
	{ "exec", "run a process in a running container", nb_cmd_exec },
	{ "pause", "freeze every process of a container", nb_cmd_pause },
	{ "resume", "thaw a paused container", nb_cmd_resume },
	{ "events", "print a container's statistics and OOM kills", nb_cmd_events },
	{ "update", "change the resource limits of a container", nb_cmd_update },
	{ "spec", "write a default config.json", nb_cmd_spec },
	{ "features", "print the features of this runtime", nb_cmd_features },
	{ "box", "isolate's workflow: init, run in, clean up numbered boxes", nb_cmd_box },
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

/* Write MSG with its control characters escaped ("\n" for a newline,
 * "\xNN" for the others): a message may carry an id, a path or a value
 * from the user, and one error must stay one line of the log or stderr. */
static void put_line(FILE *f, const char *msg)
{
	for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
		if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('\n', f);
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
		fprintf(log_file, "%s error: ", when);
		put_line(log_file, msg);
	}
	fflush(log_file);
}

int nb_cli_fail(const struct nb_error *err, const char *command)
{
	fputs("nsbox: ", stderr);
	put_line(stderr, err->msg);
	log_error(err->msg);
	if (err->kind == NB_ERR_USAGE)
		fprintf(stderr, "Try 'nsbox %s--help' for more information.\n", command ? command : "");
	return nb_exit_code_from_error(err->kind);
}

void nb_cli_warn(const struct nb_error *warn)
{
	if (!warn->msg[0])
		return;
	fputs("nsbox: ", stderr);
	put_line(stderr, warn->msg);
	log_error(warn->msg);
}

void nb_cli_warnings(const struct nb_strv *warnings)
{
	for (size_t i = 0; i < warnings->len; i++) {
		struct nb_error warn = { 0 };

		snprintf(warn.msg, sizeof(warn.msg), "warning: %s", warnings->items[i]);
		nb_cli_warn(&warn);
	}
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

/* As crun prints it: engines and tests look for the "+FEATURE" words. */
static void print_version(void)
{
	printf("nsbox version %s\nspec: 1.2.0\n+CAP +SECCOMP +APPARMOR +SELINUX +IDMAPPED-MOUNTS "
	       "+JANSSON\n", NSBOX_VERSION);
}

/* The global options into GLOBALS. Returns the index in ARGV of the
 * command (ARGC if none), or -1 when nsbox is done: help or version
 * printed (*RET_STATUS 0), or a usage error (*RET_STATUS its status). */
static int parse_globals(int argc, char *argv[], int *ret_status)
{
	struct nb_error err = { 0 };
	struct nb_global_args ga;
	int at = nb_global_parse_args(argc, argv, &ga, &err);

	*ret_status = 0;
	if (at < 0) {
		*ret_status = nb_cli_fail(&err, NULL);
		return -1;
	}
	if (ga.help || ga.version) {
		if (ga.help)
			usage(stdout);
		else
			print_version();
		return -1;
	}
	globals.root = ga.root;
	globals.log = ga.log;
	globals.log_json = ga.log_json;
	globals.debug = ga.debug;
	globals.systemd_cgroup = ga.systemd_cgroup;
	globals.rootless = ga.rootless;
	if (!globals.root)
		globals.root = pick_root(globals.rootless);
	if (globals.log) {
		log_file = fopen(globals.log, "ae");
		if (!log_file) {
			nb_error_errno(&err, "--log '%s': cannot open", globals.log);
			fputs("nsbox: ", stderr);
			put_line(stderr, err.msg);
		}
	}
	return at;
}

int nb_cli_seal_runtime(const struct nb_globals *g, const struct nb_config *cfg, struct nb_error *err)
{
	if (nb_trampoline_available() && !nb_config_exposes_runtime(cfg))
		return 0;
	fflush(NULL);
	return nb_selfexe_protect(g->argv, err);
}

extern char **environ;

int main(int argc, char *argv[])
{
	int at, status;

	globals.argv = argv;
	nb_proctitle_init(argv, environ);
	/* Called as isolate: isolate's command line, as `nsbox box`. */
	if (nb_streq(strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0], "isolate")) {
		globals.root = pick_root(-1);
		return nb_cmd_box(&globals, argc, argv);
	}
	at = parse_globals(argc, argv, &status);
	if (at < 0)
		return status;
	if (at >= argc) {
		usage(stderr);
		return NB_EXIT_SETUP;
	}
	argc -= at;
	argv += at;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (nb_streq(argv[0], commands[i].name))
			return commands[i].run(&globals, argc, argv);
	return nb_cli_usage(NULL, "unknown command '%s'", argv[0]);
}
