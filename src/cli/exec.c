/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* exec.c: `nsbox exec [OPTIONS] ID [--] CMD...`: run a process in a running
 * container, with its namespaces and the security of its config.json. */
#include "cli/commands.h"
#include "base/fileutil.h"
#include "base/strutil.h"
#include "runtime/container.h"
#include "runtime/sandbox.h"
#include "spec/config.h"
#include "spec/oci.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char exec_usage[] =
"Usage: nsbox exec [OPTIONS] ID [--] COMMAND [ARG...]\n"
"       nsbox exec [OPTIONS] --process FILE ID\n"
"\n"
"Run a process in the running container ID: it joins all the container's\n"
"namespaces and gets the capabilities, seccomp filter, no_new_privs and\n"
"rlimits of its config.json, unless the options say otherwise.\n"
"\n"
"  -p, --process FILE        the process, as a config.json \"process\" object\n"
"  -t, --tty                 allocate a pseudo-terminal\n"
"  -d, --detach              do not wait for the process\n"
"      --pid-file FILE       write the process's pid to FILE\n"
"      --console-socket SOCK send the pty master to the unix socket SOCK\n"
"  -e, --env K=V             set an environment variable (repeatable)\n"
"      --cwd DIR             working directory\n"
"  -u, --user UID[:GID]      user and group\n"
"  -c, --cap CAP             add a capability (repeatable)\n"
"      --no-new-privs        set no_new_privs\n"
"      --preserve-fds N      pass fds 3..3+N-1 to the process\n";

struct exec_args {
	const char *process_file;
	const char *pid_file;
	const char *console_socket;
	const char *cwd;
	const char *user;
	struct nb_strv env;
	struct nb_strv caps;
	bool tty, tty_set, detach, no_new_privs;
	int preserve_fds;
	int first_arg;
};

enum { X_PID_FILE = 256, X_CONSOLE, X_CWD, X_NNP, X_PRESERVE, X_IGNORED };

static int parse(int argc, char *argv[], struct exec_args *a)
{
	static const struct option opts[] = {
		{ "process", required_argument, NULL, 'p' }, { "tty", no_argument, NULL, 't' },
		{ "detach", no_argument, NULL, 'd' }, { "pid-file", required_argument, NULL, X_PID_FILE },
		{ "console-socket", required_argument, NULL, X_CONSOLE },
		{ "env", required_argument, NULL, 'e' }, { "cwd", required_argument, NULL, X_CWD },
		{ "user", required_argument, NULL, 'u' }, { "cap", required_argument, NULL, 'c' },
		{ "no-new-privs", no_argument, NULL, X_NNP },
		{ "preserve-fds", required_argument, NULL, X_PRESERVE },
		{ "process-label", required_argument, NULL, X_IGNORED },
		{ "apparmor", required_argument, NULL, X_IGNORED },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+p:tde:u:c:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'p': a->process_file = optarg; break;
		case 't': a->tty = a->tty_set = true; break;
		case 'd': a->detach = true; break;
		case X_PID_FILE: a->pid_file = optarg; break;
		case X_CONSOLE: a->console_socket = optarg; break;
		case 'e':
			if (!strchr(optarg, '='))
				return nb_cli_usage("exec ", "--env '%s': expected KEY=VALUE", optarg);
			nb_strv_push(&a->env, optarg);
			break;
		case X_CWD: a->cwd = optarg; break;
		case 'u': a->user = optarg; break;
		case 'c': nb_strv_push(&a->caps, optarg); break;
		case X_NNP: a->no_new_privs = true; break;
		case X_PRESERVE:
			if (nb_parse_int(optarg, 0, 1 << 20, &a->preserve_fds) < 0)
				return nb_cli_usage("exec ", "--preserve-fds '%s': expected a number", optarg);
			break;
		case X_IGNORED: break;
		case 'h': fputs(exec_usage, stdout); exit(0);
		default: return nb_cli_usage("exec ", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return nb_cli_usage("exec ", "exec: expected a container id");
	a->first_arg = optind + 1;
	if (a->first_arg < argc && nb_streq(argv[a->first_arg], "--"))
		a->first_arg++;
	if (!a->process_file && a->first_arg >= argc)
		return nb_cli_usage("exec ", "exec: expected a command or --process FILE");
	return 0;
}

static int read_text(const char *path, char **ret, size_t *ret_len, struct nb_error *err)
{
	FILE *f = fopen(path, "re");
	size_t cap = 0;

	*ret = NULL;
	if (!f)
		return nb_error_errno(err, "--process '%s'", path);
	errno = 0;
	*ret_len = (size_t)getdelim(ret, &cap, '\0', f);
	fclose(f);
	if (*ret_len == (size_t)-1) {
		*ret_len = 0;
		if (errno)
			return nb_error_errno(err, "--process '%s'", path);
	}
	return 0;
}

/* The container's process settings, overridden by --process or the options. */
static int build_process(const struct exec_args *a, int argc, char *argv[], struct nb_config *cfg,
			 struct nb_error *err)
{
	int r = 0;

	if (a->process_file) {
		char *text = NULL;
		size_t len = 0;

		r = read_text(a->process_file, &text, &len, err);
		if (r >= 0)
			r = nb_oci_load_process(text ? text : "", len, a->process_file, cfg, err);
		free(text);
		text = NULL;
		if (r < 0)
			return r;
	} else {
		nb_strv_free(&cfg->args);
		for (int i = a->first_arg; i < argc; i++)
			nb_strv_push(&cfg->args, argv[i]);
	}
	for (size_t i = 0; i < a->env.len; i++)
		nb_strv_setenv(&cfg->env, a->env.items[i]);
	if (a->cwd) {
		free(cfg->cwd);
		cfg->cwd = strdup(a->cwd);
	}
	if (a->user) {
		uint32_t uid, gid;
		char *colon = strchr(a->user, ':');
		char *u = strndup(a->user, colon ? (size_t)(colon - a->user) : strlen(a->user));

		if (!u || nb_parse_u32(u, &uid) < 0 || (colon && nb_parse_u32(colon + 1, &gid) < 0)) {
			free(u);
			u = NULL;
			return nb_error_usage(err, "--user '%s': expected UID[:GID]", a->user);
		}
		free(u);
		u = NULL;
		cfg->uid = uid;
		cfg->set_uid = true;
		if (colon) {
			cfg->gid = gid;
			cfg->set_gid = true;
		}
	}
	for (size_t i = 0; i < a->caps.len; i++) {
		int cap;

		if (nb_cap_from_name(a->caps.items[i], &cap) < 0)
			return nb_error_usage(err, "--cap '%s': unknown capability", a->caps.items[i]);
		/* No capability sets in the plan: the process keeps them all. */
		if (!cfg->sec.caps.set)
			continue;
		cfg->sec.caps.bounding |= 1ULL << cap;
		cfg->sec.caps.effective |= 1ULL << cap;
		cfg->sec.caps.permitted |= 1ULL << cap;
		cfg->sec.caps.inheritable |= 1ULL << cap;
	}
	if (a->no_new_privs)
		cfg->sec.no_new_privs = true;
	if (a->tty_set)
		cfg->tty = a->tty;
	else if (!a->process_file)
		cfg->tty = false;
	cfg->init = false;
	cfg->pdeathsig = false;
	return 0;
}

static int run_exec(const struct nb_globals *g, const struct exec_args *a, int argc, char *argv[],
		    int *ret_code, struct nb_error *err)
{
	struct nb_exec_target t;
	struct nb_sandbox sb;
	struct nb_config cfg;
	int r;

	nb_config_init(&cfg);
	nb_sandbox_init(&sb);
	r = nb_container_exec_target(g->root, argv[optind], &t, err);
	/* A sandbox of `nsbox run --name` has no bundle: plain defaults. */
	if (r >= 0 && t.bundle[0])
		r = nb_cli_load_bundle(t.bundle, &cfg, err);
	else if (r >= 0)
		r = nb_strv_push(&cfg.env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin") < 0 ?
		    nb_error_set(err, ENOMEM, "out of memory") : 0;
	if (r >= 0)
		r = build_process(a, argc, argv, &cfg, err);
	fflush(NULL);
	sb.opts.preserve_fds = a->preserve_fds;
	sb.opts.console_socket = a->console_socket;
	if (r >= 0)
		r = nb_sandbox_spawn_exec(&sb, &cfg, t.pidfd, t.pid, t.ns_flags, t.setgroups_denied, err);
	if (r >= 0 && a->pid_file && (r = nb_write_pid_file(a->pid_file, sb.pid)) < 0)
		nb_error_sys(err, -r, "--pid-file '%s'", a->pid_file);
	if (r >= 0 && a->detach)
		nb_sandbox_detach(&sb);
	else if (r >= 0)
		r = nb_sandbox_wait(&sb, ret_code, err);
	nb_sandbox_release(&sb);
	nb_exec_target_release(&t);
	nb_config_free(&cfg);
	return r;
}

int nb_cmd_exec(const struct nb_globals *g, int argc, char *argv[])
{
	struct exec_args a = { 0 };
	struct nb_error err = { 0 };
	int code = 0, r;

	r = parse(argc, argv, &a);
	if (r == 0)
		r = run_exec(g, &a, argc, argv, &code, &err) < 0 ? nb_cli_fail(&err, NULL) : code;
	nb_strv_free(&a.env);
	nb_strv_free(&a.caps);
	return r;
}
