/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* exec.c: `nsbox exec [OPTIONS] ID [--] CMD...`: run a process in a running
 * container, with its namespaces and the security of its config.json. */
#include "cli/commands.h"
#include "base/fileutil.h"
#include "base/strutil.h"
#include "runtime/container.h"
#include "runtime/sandbox.h"
#include "spec/cli_args.h"
#include "spec/config.h"
#include "spec/oci.h"

#include <errno.h>
#include <fcntl.h>
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
"rlimits of the config.json it was created from (as it was then: the\n"
"bundle is not read again), unless the options say otherwise.\n"
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
static int build_process(const struct nb_exec_args *a, int argc, char *argv[], struct nb_config *cfg,
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
	if (a->user && (r = nb_parse_user("--user", a->user, cfg, err)) < 0)
		return r;
	for (size_t i = 0; i < a->caps.len; i++) {
		int cap;

		if (nb_cap_from_name(a->caps.items[i], &cap) < 0)
			return nb_error_usage(err, "--cap '%s': unknown capability", a->caps.items[i]);
		/* No capability sets in the plan: the process keeps them all. */
		if (!cfg->sec.caps.set)
			continue;
		/* Not inheritable (runc's CVE-2022-29162): an --cap must not
		 * pass on to programs the process executes. Ambient, as runc,
		 * only where the config already has inheritable ones. */
		cfg->sec.caps.bounding |= 1ULL << cap;
		cfg->sec.caps.effective |= 1ULL << cap;
		cfg->sec.caps.permitted |= 1ULL << cap;
		if (cfg->sec.caps.inheritable)
			cfg->sec.caps.ambient |= 1ULL << cap;
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

/* The process defaults: the config.json that create checked and kept in
 * the state directory, never the bundle's (whoever may edit the bundle
 * must not choose the next process's privileges). A `run --name` sandbox
 * keeps one of its plan (nb_oci_plan_json(): no bundle, paths absolute);
 * one made by an older nsbox has none: a default PATH and nothing else. */
static int load_defaults(const struct nb_exec_target *t, const char *id, struct nb_config *cfg,
			 struct nb_error *err)
{
	if (t->config)
		return nb_oci_load(t->config, t->config_len, t->bundle[0] ? t->bundle : "/", cfg, err);
	/* An OCI container always has one; without it the process would get
	 * every capability. */
	if (t->bundle[0])
		return nb_error_set(err, ENOENT, "cannot exec in container '%s': its state has no "
				    "config.json (created by an older nsbox?)", id);
	if (nb_strv_push(&cfg->env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin") < 0)
		return nb_error_set(err, ENOMEM, "out of memory");
	return 0;
}

static int run_exec(const struct nb_globals *g, const struct nb_exec_args *a, int argc, char *argv[],
		    int *ret_code, struct nb_error *err)
{
	struct nb_exec_target t;
	struct nb_sandbox sb;
	struct nb_config cfg;
	int r;

	nb_config_init(&cfg);
	nb_sandbox_init(&sb);
	r = nb_container_exec_target(g->root, a->id, &t, err);
	if (r >= 0)
		r = load_defaults(&t, a->id, &cfg, err);
	if (r >= 0)
		r = build_process(a, argc, argv, &cfg, err);
	if (r >= 0)
		r = nb_cli_seal_runtime(g, &cfg, err);
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
	struct nb_exec_args a;
	struct nb_error err = { 0 };
	int code = 0, r;

	if (nb_exec_parse_args(argc, argv, &a, &err) < 0)
		r = nb_cli_fail(&err, "exec ");
	else if (a.help) {
		fputs(exec_usage, stdout);
		r = 0;
	} else
		r = run_exec(g, &a, argc, argv, &code, &err) < 0 ? nb_cli_fail(&err, NULL) : code;
	nb_exec_args_free(&a);
	return r;
}
