/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* run.c: `nsbox run`: parse the command line into a plan, run it, wait. */
#include "cli/commands.h"
#include "runtime/container.h"
#include "runtime/netattach.h"
#include "runtime/judge.h"
#include "runtime/status.h"
#include "runtime/sandbox.h"
#include "base/cleanup.h"
#include "spec/oci.h"
#include "spec/run_args.h"
#include "spec/run_print.h"
#include "base/strutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* --seccomp FILE: an OCI linux.seccomp object instead of the default
 * profile. A profile that cannot be read or loaded fails the run. */
static int load_seccomp_file(const char *path, struct nb_config *cfg, struct nb_error *err)
{
	FILE *f = fopen(path, "re");
	char *text = NULL;
	size_t cap = 0;
	ssize_t len;
	int r;

	if (!f)
		return nb_error_errno(err, "--seccomp '%s'", path);
	len = getdelim(&text, &cap, '\0', f);
	r = len < 0 && ferror(f) ? nb_error_errno(err, "--seccomp '%s'", path) : 0;
	fclose(f);
	if (r >= 0)
		r = nb_oci_load_seccomp(text ? text : "", len < 0 ? 0 : (size_t)len, path,
					&cfg->sec.seccomp, err);
	free(text);
	if (r >= 0)
		cfg->sec.seccomp_builtin = false;
	return r;
}

/* `nsbox run` has two forms, told apart by nb_run_form() (spec/run_args.h)
 * and here by what only the file system can say. */
enum run_form { RUN_SANDBOX, RUN_OCI, RUN_AMBIGUOUS };

/* Is NAME an executable found in PATH (as the sandbox would find it)? */
static bool in_path(const char *name)
{
	const char *path = getenv("PATH");
	char full[4096];

	for (const char *p = path ? path : "/usr/bin:/bin"; *p; ) {
		size_t len = strcspn(p, ":");

		if (len && (size_t)snprintf(full, sizeof(full), "%.*s/%s", (int)len, p, name) < sizeof(full) &&
		    access(full, X_OK) == 0)
			return true;
		p += len + (p[len] == ':');
	}
	return false;
}

static enum run_form run_form(int argc, char *argv[])
{
	int i = 0;

	switch (nb_run_form(argc, argv, &i)) {
	case NB_RUN_SANDBOX: return RUN_SANDBOX;
	case NB_RUN_OCI: return RUN_OCI;
	case NB_RUN_OCI_IF_BUNDLE: break;
	}
	/* A single operand: a container id if there is a bundle here. */
	if (access("config.json", F_OK) != 0)
		return RUN_SANDBOX;
	if (strchr(argv[i], '/') || in_path(argv[i]))
		return RUN_AMBIGUOUS;
	return RUN_OCI;
}

/* --net container:ID: join the net namespace of that container's process. */
static int resolve_container_net(const struct nb_globals *g, struct nb_config *cfg, struct nb_error *err)
{
	char path[64];
	int r;

	if (cfg->net.mode != NB_NET_CONTAINER)
		return 0;
	r = nb_netattach_container_netns(g->root, cfg->net.container, path, sizeof(path), err);
	if (r < 0)
		return r;
	free(cfg->ns[NB_NS_NET].path);
	cfg->ns[NB_NS_NET].path = strdup(path);
	return cfg->ns[NB_NS_NET].path ? 0 : nb_error_set(err, ENOMEM, "out of memory");
}

/* --report and --meta after the run; a failure (R < 0, in ERR) is the
 * report's XX. A report that cannot be written is nsbox's failure. */
static int finish_report(struct nb_judge *j, struct nb_report *rep, int r, struct nb_error *err)
{
	struct nb_error werr = { 0 };

	if (r < 0) {
		rep->failed = true;
		rep->status = nb_exit_code_from_error(err->kind);
		snprintf(rep->message, sizeof(rep->message), "%s", err->msg);
		nb_report_decide(rep);
	}
	if (nb_judge_write(j, rep, &werr) < 0 && r >= 0) {
		*err = werr;
		return -(werr.code > 0 ? werr.code : EIO);
	}
	return r;
}

/* Spawn the sandbox of CFG (registered as NAME when given). */
static int spawn(const struct nb_globals *g, const struct nb_run_args *args, struct nb_config *cfg,
		 struct nb_sandbox *sb, bool *registered, struct nb_error *err)
{
	if (args->name) {
		/* `exec` into it starts from the same process and security. */
		_cleanup_free_ char *plan = NULL;
		struct nb_container_opts co = { .root = g->root, .id = args->name, .bundle = "" };
		int r = nb_oci_plan_json(cfg, &plan, err);

		if (r < 0)
			return nb_error_prefix(err, "--name '%s': the plan kept for exec", args->name);
		co.config = plan;
		co.config_len = strlen(plan);
		r = nb_container_register(&co, cfg, sb, err);
		*registered = r >= 0;   /* on failure it removed its own record */
		return r;
	}
	return nb_sandbox_spawn(sb, cfg, err);
}

static int64_t limit_or_none(int64_t v)
{
	return v > 0 ? v : -1;
}

int nb_cli_run_sandbox(const struct nb_globals *g, struct nb_config *cfg, const struct nb_run_args *args,
		       struct nb_report *rep, int *ret_code, struct nb_error *err)
{
	bool registered = false, watched = nb_judge_watched(&args->judge);
	bool judged = watched || nb_judge_has_io(&args->judge);
	struct nb_netattach net;
	struct nb_judge judge;
	struct nb_sandbox sb;
	int r;

	*ret_code = 0;
	cfg->listen_fds = nb_cli_listen_fds();
	nb_report_init(rep, &args->judge, limit_or_none(cfg->oci.resources.memory_limit),
		       limit_or_none(cfg->oci.resources.pids_limit));
	if ((args->seccomp_file && load_seccomp_file(args->seccomp_file, cfg, err) < 0) ||
	    nb_cli_seal_runtime(g, cfg, err) < 0 || resolve_container_net(g, cfg, err) < 0)
		return -(err->code > 0 ? err->code : EIO);
	/* The network's leases, files and checks, before anything exists:
	 * bad input (a taken --ip, a published port in use) stops here. */
	nb_netattach_init(&net);
	net.detached = args->detach;
	if (nb_netattach_wanted(cfg) && nb_netattach_prepare(&net, cfg, err) < 0)
		return -(err->code > 0 ? err->code : EIO);
	/* Our own output must be out before the sandbox writes to the same fds. */
	fflush(NULL);
	nb_judge_init(&judge);
	nb_sandbox_init(&sb);
	sb.opts.null_stdio = args->detach;
	if (nb_netattach_wanted(cfg))
		sb.opts.net = &net;
	r = judged ? nb_judge_prepare(&judge, &args->judge, cfg, &sb.opts, err) : 0;
	if (r >= 0)
		r = spawn(g, args, cfg, &sb, &registered, err);
	if (r >= 0)
		nb_cli_warnings(&sb.warnings);
	if (r >= 0 && args->detach) {
		nb_sandbox_detach(&sb);
		return 0;
	}
	if (r >= 0 && judged)
		r = nb_judge_started(&judge, &sb, err);
	if (r >= 0)
		r = watched ? nb_judge_wait(&judge, &sb, rep, ret_code, err) : nb_sandbox_wait(&sb, ret_code, err);
	nb_sandbox_release(&sb);
	if (registered)
		nb_container_unregister(g->root, args->name);
	if (watched)
		r = finish_report(&judge, rep, r, err);
	nb_judge_release(&judge);
	return r;
}

/* --print-config: the plan on stdout, nothing created (no process, no
 * cgroup, no state). A --seccomp FILE is read, to print what it holds. */
static int print_config(struct nb_config *cfg, const struct nb_run_args *args)
{
	struct nb_error err = { 0 };
	_cleanup_free_ char *text = NULL;

	if ((args->seccomp_file && load_seccomp_file(args->seccomp_file, cfg, &err) < 0) ||
	    nb_run_print_json(cfg, args, &text, &err) < 0)
		return nb_cli_fail(&err, NULL);
	if (fputs(text, stdout) == EOF || fflush(stdout) != 0) {
		nb_error_errno(&err, "--print-config: stdout");
		return nb_cli_fail(&err, NULL);
	}
	return 0;
}

int nb_cmd_run(const struct nb_globals *g, int argc, char *argv[])
{
	struct nb_host host = { .euid = geteuid(), .egid = getegid() };
	struct nb_error err = { 0 };
	struct nb_run_args args;
	struct nb_config cfg;
	struct nb_report rep;
	int code = 0, r;

	switch (run_form(argc, argv)) {
	case RUN_OCI:
		return nb_cmd_oci_run(g, argc, argv);
	case RUN_AMBIGUOUS:
		return nb_cli_usage("run ", "run '%s': with ./config.json here it may be a container id, "
				    "and it is also a command: say 'nsbox run --bundle . %s' or "
				    "'nsbox run -- %s'", argv[argc - 1], argv[argc - 1], argv[argc - 1]);
	case RUN_SANDBOX:
		break;
	}
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
	if (args.print_config) {
		code = print_config(&cfg, &args);
		nb_config_free(&cfg);
		return code;
	}
	r = nb_cli_run_sandbox(g, &cfg, &args, &rep, &code, &err);
	nb_config_free(&cfg);
	if (r < 0)
		return nb_cli_fail(&err, NULL);
	return code;
}
