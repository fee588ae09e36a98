/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "spec/box_args.h"
#include "base/cleanup.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char nb_box_usage[] =
"Usage: nsbox box [OPTIONS] --init|--run|--cleanup [-- COMMAND [ARG...]]\n"
"       nsbox box [OPTIONS] init|run|cleanup [-- COMMAND [ARG...]]\n"
"\n"
"isolate's workflow: numbered boxes, each a directory (/box inside) and a host\n"
"uid of its own. Called as 'isolate', nsbox takes isolate's command line as it\n"
"is. Sizes in KiB and times in seconds, as isolate's.\n"
"\n"
"  -b, --box-id=N           the box, 0 to 999 (default 0)\n"
"  -t, --time=SEC           CPU time of the whole box\n"
"  -w, --wall-time=SEC      wall-clock time\n"
"  -x, --extra-time=SEC     grace after a time limit before the kill\n"
"  -m, --mem=KB             address space of each process\n"
"      --cg-mem=KB          memory of the whole box (its cgroup)\n"
"  -k, --stack=KB           stack size (default: unlimited)\n"
"  -f, --fsize=KB           largest file\n"
"  -n, --open-files=N       open files (default 64; 0: no limit)\n"
"  -p, --processes[=N]      processes and threads (default 1; no N: no limit)\n"
"  -i, --stdin=FILE         stdin, a file in the box\n"
"  -o, --stdout=FILE        stdout, a file in the box\n"
"  -r, --stderr=FILE        stderr, a file in the box\n"
"      --stderr-to-stdout   stderr where stdout goes\n"
"  -c, --chdir=DIR          working directory inside (default /box)\n"
"  -M, --meta=FILE          isolate's meta file (a path of the caller's)\n"
"  -E, --env=VAR[=VALUE]    pass VAR, or set it (empty VALUE: remove it)\n"
"  -e, --full-env           pass the whole environment\n"
"  -d, --dir=IN=OUT[:rw]    bind OUT at IN, read-only unless rw\n"
"      --share-net          keep the host's network\n"
"      --inherit-fds        pass every fd nsbox got to the program\n"
"      --cg, --cg-timing    accepted: nsbox always uses the cgroup\n"
"  -s, --silent             no status line on stderr\n"
"  -v, --verbose            accepted\n"
"      --wait               wait for a box in use instead of failing\n"
"      --box-root=DIR       where boxes are (default " NB_BOX_ROOT ")\n"
"      --first-uid=N        the uid and gid of box 0 (default 60000)\n"
"  -h, --help               show this help\n"
"\n"
"Exit status, as isolate's: 0 the program ended well, 1 it did not (the\n"
"status line and --meta say how), 2 nsbox failed.\n";

enum {
	OPT_INIT = 256, OPT_RUN, OPT_CLEANUP, OPT_CG, OPT_CG_MEM, OPT_CG_TIMING, OPT_SHARE_NET,
	OPT_INHERIT_FDS, OPT_STDERR_TO_STDOUT, OPT_WAIT, OPT_BOX_ROOT, OPT_FIRST_UID, OPT_REFUSED,
};

static const struct option box_options[] = {
	{ "init", no_argument, NULL, OPT_INIT },
	{ "run", no_argument, NULL, OPT_RUN },
	{ "cleanup", no_argument, NULL, OPT_CLEANUP },
	{ "box-id", required_argument, NULL, 'b' },
	{ "time", required_argument, NULL, 't' },
	{ "wall-time", required_argument, NULL, 'w' },
	{ "extra-time", required_argument, NULL, 'x' },
	{ "mem", required_argument, NULL, 'm' },
	{ "cg-mem", required_argument, NULL, OPT_CG_MEM },
	{ "stack", required_argument, NULL, 'k' },
	{ "fsize", required_argument, NULL, 'f' },
	{ "open-files", required_argument, NULL, 'n' },
	{ "processes", optional_argument, NULL, 'p' },
	{ "stdin", required_argument, NULL, 'i' },
	{ "stdout", required_argument, NULL, 'o' },
	{ "stderr", required_argument, NULL, 'r' },
	{ "stderr-to-stdout", no_argument, NULL, OPT_STDERR_TO_STDOUT },
	{ "chdir", required_argument, NULL, 'c' },
	{ "meta", required_argument, NULL, 'M' },
	{ "env", required_argument, NULL, 'E' },
	{ "full-env", no_argument, NULL, 'e' },
	{ "dir", required_argument, NULL, 'd' },
	{ "share-net", no_argument, NULL, OPT_SHARE_NET },
	{ "inherit-fds", no_argument, NULL, OPT_INHERIT_FDS },
	{ "cg", no_argument, NULL, OPT_CG },
	{ "cg-timing", no_argument, NULL, OPT_CG_TIMING },
	{ "silent", no_argument, NULL, 's' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "wait", no_argument, NULL, OPT_WAIT },
	{ "box-root", required_argument, NULL, OPT_BOX_ROOT },
	{ "first-uid", required_argument, NULL, OPT_FIRST_UID },
	{ "help", no_argument, NULL, 'h' },
	/* isolate's, which nsbox cannot honour: refused by name. */
	{ "quota", required_argument, NULL, OPT_REFUSED },
	{ "as-uid", required_argument, NULL, OPT_REFUSED },
	{ "as-gid", required_argument, NULL, OPT_REFUSED },
	{ "no-default-dirs", no_argument, NULL, OPT_REFUSED },
	{ "special-files", no_argument, NULL, OPT_REFUSED },
	{ "tty-hack", no_argument, NULL, OPT_REFUSED },
	{ "no-cg-timing", no_argument, NULL, OPT_REFUSED },
	{ "print-cg-root", no_argument, NULL, OPT_REFUSED },
	{ NULL, 0, NULL, 0 },
};

/* The options as given, in isolate's units, before translation. */
struct opts {
	const char *time, *wall, *extra, *mem, *cg_mem, *stack, *fsize, *open_files, *processes;
	bool processes_unlimited;
	const char *streams[3], *chdir, *meta;
	bool stderr_to_stdout, full_env, share_net;
	struct nb_strv env_rules, binds;
	uint32_t first_uid;
};

static int push(struct nb_strv *v, struct nb_error *err, const char *s)
{
	return nb_strv_push(v, s) < 0 ? nb_error_set(err, ENOMEM, "out of memory") : 0;
}

static int push2(struct nb_strv *v, struct nb_error *err, const char *opt, const char *value)
{
	int r = push(v, err, opt);

	return r < 0 ? r : push(v, err, value);
}

static int set_action(struct nb_box_args *out, enum nb_box_action a, struct nb_error *err)
{
	if (out->action != NB_BOX_NONE && out->action != a)
		return nb_error_usage(err, "choose one of --init, --run and --cleanup");
	out->action = a;
	return 0;
}

/* A number of KiB for OPT, as nsbox's SIZE ("64k"). */
static int kib(const char *opt, const char *arg, char *buf, size_t size, struct nb_error *err)
{
	uint64_t v;

	if (nb_parse_u64(arg, UINT64_MAX / 1024, &v) < 0)
		return nb_error_usage(err, "--%s '%s': expected a number of kilobytes", opt, arg);
	snprintf(buf, size, "%llu" "k", (unsigned long long)v);
	return 0;
}

/* --dir: "IN=OUT[:opts]" or "DIR[:opts]", as --bind OUT:IN[:ro]. */
static int parse_dir(struct opts *o, const char *arg, struct nb_error *err)
{
	_cleanup_free_ char *copy = strdup(arg);
	char *save = NULL, *rule, *eq, bind[8300];
	const char *in, *out;
	bool rw = false;

	if (!copy)
		return nb_error_set(err, ENOMEM, "out of memory");
	rule = strtok_r(copy, ":", &save);
	if (!rule)
		return nb_error_usage(err, "--dir '%s': expected IN=OUT[:OPTIONS] or DIR[:OPTIONS]", arg);
	for (char *opt = strtok_r(NULL, ":", &save); opt; opt = strtok_r(NULL, ":", &save)) {
		if (!nb_streq(opt, "rw"))
			return nb_error_usage(err, "--dir '%s': option '%s' is not supported by nsbox (only rw)",
					      arg, opt);
		rw = true;
	}
	eq = strchr(rule, '=');
	if (eq && !eq[1])
		return nb_error_usage(err, "--dir '%s': nsbox shows the host's root read-only; removing a "
				      "directory from it is not supported", arg);
	if (eq)
		*eq = '\0';
	in = rule;
	out = eq ? eq + 1 : rule;
	if (out[0] != '/')
		return nb_error_usage(err, "--dir '%s': the directory outside must be an absolute path", arg);
	snprintf(bind, sizeof(bind), "%s:%s%s%s", out, in[0] == '/' ? "" : "/", in, rw ? "" : ":ro");
	return push(&o->binds, err, bind);
}

static int parse_one(struct nb_box_args *out, struct opts *o, int opt, const char *arg, struct nb_error *err)
{
	int v;

	switch (opt) {
	case OPT_INIT: return set_action(out, NB_BOX_INIT, err);
	case OPT_RUN: return set_action(out, NB_BOX_RUN, err);
	case OPT_CLEANUP: return set_action(out, NB_BOX_CLEANUP, err);
	case 'b':
		if (nb_parse_int(arg, 0, NB_BOX_COUNT - 1, &v) < 0)
			return nb_error_usage(err, "--box-id '%s': expected a number from 0 to %d", arg,
					      NB_BOX_COUNT - 1);
		out->id = (unsigned)v;
		return 0;
	case 't': o->time = arg; return 0;
	case 'w': o->wall = arg; return 0;
	case 'x': o->extra = arg; return 0;
	case 'm': o->mem = arg; return 0;
	case OPT_CG_MEM: o->cg_mem = arg; return 0;
	case 'k': o->stack = arg; return 0;
	case 'f': o->fsize = arg; return 0;
	case 'n': o->open_files = arg; return 0;
	case 'p':
		o->processes = arg;
		o->processes_unlimited = !arg;
		return 0;
	case 'i': case 'o': case 'r': o->streams[opt == 'i' ? 0 : opt == 'o' ? 1 : 2] = arg; return 0;
	case OPT_STDERR_TO_STDOUT: o->stderr_to_stdout = true; return 0;
	case 'c': o->chdir = arg; return 0;
	case 'M': o->meta = arg; return 0;
	case 'E': return push(&o->env_rules, err, arg);
	case 'e': o->full_env = true; return 0;
	case 'd': return parse_dir(o, arg, err);
	case OPT_SHARE_NET: o->share_net = true; return 0;
	case OPT_INHERIT_FDS: out->inherit_fds = true; return 0;
	case OPT_CG: case OPT_CG_TIMING: return 0;
	case 's': out->silent = true; return 0;
	case 'v': out->verbose++; return 0;
	case OPT_WAIT: out->wait = true; return 0;
	case OPT_BOX_ROOT:
		if (arg[0] != '/')
			return nb_error_usage(err, "--box-root '%s': must be an absolute path", arg);
		out->root = arg;
		return 0;
	case OPT_FIRST_UID:
		if (nb_parse_u32(arg, &o->first_uid) < 0 || o->first_uid > 4294967294U - NB_BOX_COUNT)
			return nb_error_usage(err, "--first-uid '%s': expected a uid", arg);
		return 0;
	default:
		return nb_error_usage(err, "internal: unhandled option %d", opt);
	}
}

static const struct option *find_option(int val)
{
	for (const struct option *o = box_options; o->name; o++)
		if (o->val == val && val != OPT_REFUSED)
			return o;
	return NULL;
}

static bool action_word(const char *w, enum nb_box_action *ret)
{
	*ret = nb_streq(w, "init") ? NB_BOX_INIT : nb_streq(w, "run") ? NB_BOX_RUN :
	       nb_streq(w, "cleanup") ? NB_BOX_CLEANUP : NB_BOX_NONE;
	return *ret != NB_BOX_NONE;
}

static int parse_options(int argc, char *const argv[], struct nb_box_args *out, struct opts *o,
			 struct nb_error *err)
{
	int opt, idx = 0, r;

	opterr = 0;
	optind = 0;
	for (;;) {
		enum nb_box_action a;

		opt = getopt_long(argc, argv, "+b:t:w:x:m:k:f:n:p::i:o:r:c:M:E:ed:svh", box_options, &idx);
		if (opt == -1) {
			/* "init", "run" or "cleanup" as a word, options after it. */
			if (optind < argc && out->action == NB_BOX_NONE && !nb_streq(argv[optind - 1], "--") &&
			    action_word(argv[optind], &a)) {
				out->action = a;
				optind++;
				continue;
			}
			return 0;
		}
		if (opt == 'h') {
			out->help = true;
			return 0;
		}
		if (opt == OPT_REFUSED)
			return nb_error_usage(err, "--%s: isolate's option is not supported by nsbox",
					      box_options[idx].name);
		if (opt == '?') {
			const struct option *f = find_option(optopt);

			if (f)
				return nb_error_usage(err, "option '--%s' needs a value", f->name);
			if (optopt)
				return nb_error_usage(err, "unknown option '-%c'", optopt);
			return nb_error_usage(err, "unknown option '%s'", argv[optind - 1]);
		}
		r = parse_one(out, o, opt, optarg, err);
		if (r < 0)
			return r;
	}
}

/* isolate's environment rules, in order, after --full-env and its
 * LIBC_FATAL_STDERR_=1: VAR passes the caller's, VAR=VALUE sets it, VAR=
 * removes it. */
static int build_env(const struct opts *o, char *const environ_[], struct nb_strv *env,
		     struct nb_error *err)
{
	int r = 0;

	if (o->full_env)
		for (size_t i = 0; r >= 0 && environ_ && environ_[i]; i++)
			r = nb_strv_setenv(env, environ_[i]) < 0 ? -ENOMEM : 0;
	if (r >= 0)
		r = nb_strv_setenv(env, "LIBC_FATAL_STDERR_=1") < 0 ? -ENOMEM : 0;
	for (size_t i = 0; r >= 0 && i < o->env_rules.len; i++) {
		const char *rule = o->env_rules.items[i], *eq = strchr(rule, '=');

		if (rule[0] == '\0' || rule[0] == '=')
			return nb_error_usage(err, "--env '%s': expected VAR or VAR=VALUE", rule);
		if (!eq) {
			for (size_t k = 0; environ_ && environ_[k]; k++)
				if (strncmp(environ_[k], rule, strlen(rule)) == 0 && environ_[k][strlen(rule)] == '=')
					r = nb_strv_setenv(env, environ_[k]) < 0 ? -ENOMEM : 0;
		} else if (eq[1]) {
			r = nb_strv_setenv(env, rule) < 0 ? -ENOMEM : 0;
		} else {
			/* VAR=: remove it, keeping the others in order. */
			struct nb_strv kept = { 0 };

			for (size_t k = 0; r >= 0 && k < env->len; k++)
				if (strncmp(env->items[k], rule, (size_t)(eq - rule) + 1) != 0)
					r = nb_strv_push(&kept, env->items[k]) < 0 ? -ENOMEM : 0;
			nb_strv_free(env);
			*env = kept;
		}
	}
	return r < 0 ? nb_error_set(err, ENOMEM, "out of memory") : 0;
}

/* A stream's path, inside the box (relative: to the working directory),
 * as a path relative to the box's directory. */
static int stream_path(const char *opt, const char *path, const char *cwd, char *buf, size_t size,
		       struct nb_error *err)
{
	char abs[8300];

	if (path[0] == '/')
		snprintf(abs, sizeof(abs), "%s", path);
	else
		snprintf(abs, sizeof(abs), "%s/%s", cwd, path);
	if (strncmp(abs, "/box/", 5) != 0 || !abs[5])
		return nb_error_usage(err, "--%s '%s': nsbox opens a box's streams in the box only (/box/...)",
				      opt, path);
	snprintf(buf, size, "%s", abs + 5);
	return 0;
}

static int translate_limits(const struct opts *o, struct nb_strv *run, struct nb_error *err)
{
	char buf[64];
	int r = 0;

	if (o->time)
		r = push2(run, err, "--time-limit", o->time);
	if (r >= 0 && o->wall)
		r = push2(run, err, "--wall-time-limit", o->wall);
	if (r >= 0 && o->extra)
		r = push2(run, err, "--extra-time", o->extra);
	if (r >= 0 && o->mem && (r = kib("mem", o->mem, buf, sizeof(buf), err)) >= 0)
		r = push2(run, err, "--as", buf);
	if (r >= 0 && o->cg_mem && (r = kib("cg-mem", o->cg_mem, buf, sizeof(buf), err)) >= 0)
		r = push2(run, err, "--memory", buf);
	if (r >= 0 && o->fsize && (r = kib("fsize", o->fsize, buf, sizeof(buf), err)) >= 0)
		r = push2(run, err, "--fsize", buf);
	/* isolate's stack is unlimited unless asked (0 too). */
	if (r >= 0 && o->stack && !nb_streq(o->stack, "0") && (r = kib("stack", o->stack, buf, sizeof(buf), err)) >= 0)
		r = push2(run, err, "--stack", buf);
	else if (r >= 0)
		r = push2(run, err, "--stack", "unlimited");
	if (r >= 0 && !nb_streq(o->open_files ? o->open_files : "64", "0"))
		r = push2(run, err, "--nofile", o->open_files ? o->open_files : "64");
	/* isolate counts the program's processes; nsbox's pids, its init too. */
	if (r >= 0 && !o->processes_unlimited) {
		int n = 1;

		if (o->processes && nb_parse_int(o->processes, 1, 4194303, &n) < 0)
			return nb_error_usage(err, "--processes '%s': expected a number from 1", o->processes);
		snprintf(buf, sizeof(buf), "%d", n + 1);
		r = push2(run, err, "--pids", buf);
	}
	return r;
}

static int translate_streams(const struct opts *o, const char *cwd, struct nb_strv *run, struct nb_error *err)
{
	static const char *const names[3] = { "stdin", "stdout", "stderr" };
	char opt[16], rel[8300];
	int r = 0;

	for (int i = 0; r >= 0 && i < 3; i++) {
		if (!o->streams[i])
			continue;
		snprintf(opt, sizeof(opt), "--%s", names[i]);
		r = stream_path(names[i], o->streams[i], cwd, rel, sizeof(rel), err);
		if (r >= 0)
			r = push2(run, err, opt, rel);
	}
	if (r >= 0 && o->stderr_to_stdout)
		r = push(run, err, "--stderr-to-stdout");
	return r;
}

/* The `nsbox run` command line of a run in box OUT. */
static int translate(struct nb_box_args *out, const struct opts *o, char *const environ_[],
		     const char *const *sys_dirs, char *const command[], struct nb_error *err)
{
	struct nb_strv env = { 0 };
	char bind[8300], id[16], cwd[4200];
	struct nb_strv *run = &out->run;
	int r;

	if (o->chdir && strchr(o->chdir, ':'))
		return nb_error_usage(err, "--chdir '%s': no ':' in paths", o->chdir);
	snprintf(cwd, sizeof(cwd), "%s%s", o->chdir && o->chdir[0] != '/' ? "/" : "", o->chdir ? o->chdir : "/box");
	snprintf(bind, sizeof(bind), "%s:/box", out->work);
	r = push(run, err, "run");
	if (r >= 0)
		r = push2(run, err, "--rootfs", out->dir);
	if (r >= 0)
		r = push(run, err, "--ro");
	for (size_t i = 0; r >= 0 && sys_dirs && sys_dirs[i]; i++) {
		char sys[300];

		snprintf(sys, sizeof(sys), "/%s:/%s:ro", sys_dirs[i], sys_dirs[i]);
		r = push2(run, err, "--bind", sys);
	}
	if (r >= 0)
		r = push2(run, err, "--bind", bind);
	for (size_t i = 0; r >= 0 && i < o->binds.len; i++)
		r = push2(run, err, "--bind", o->binds.items[i]);
	if (r >= 0)
		r = push2(run, err, "--workdir", cwd);
	snprintf(id, sizeof(id), "%u", (unsigned)out->uid);
	if (r >= 0)
		r = push2(run, err, "--uid", id);
	snprintf(id, sizeof(id), "%u", (unsigned)out->gid);
	if (r >= 0)
		r = push2(run, err, "--gid", id);
	if (r >= 0 && o->share_net)
		r = push2(run, err, "--share", "net");
	if (r >= 0)
		r = translate_limits(o, run, err);
	if (r >= 0)
		r = translate_streams(o, cwd, run, err);
	if (r >= 0 && o->meta)
		r = push2(run, err, "--meta", o->meta);
	if (r >= 0)
		r = build_env(o, environ_, &env, err);
	if (r >= 0)
		r = push(run, err, "--clearenv");
	for (size_t i = 0; r >= 0 && i < env.len; i++)
		r = push2(run, err, "--env", env.items[i]);
	nb_strv_free(&env);
	if (r >= 0)
		r = push(run, err, "--");
	for (size_t i = 0; r >= 0 && command[i]; i++)
		r = push(run, err, command[i]);
	return r;
}

static int check_action(const struct nb_box_args *out, int n_command, struct nb_error *err)
{
	if (out->action == NB_BOX_NONE)
		return nb_error_usage(err, "expected --init, --run or --cleanup");
	if (out->action == NB_BOX_RUN && n_command == 0)
		return nb_error_usage(err, "--run: no program given");
	if (out->action != NB_BOX_RUN && n_command > 0)
		return nb_error_usage(err, "%s takes no program", out->action == NB_BOX_INIT ? "--init" : "--cleanup");
	return 0;
}

int nb_box_parse(int argc, char *const argv[], char *const environ_[], const char *const *sys_dirs,
		 struct nb_box_args *out, struct nb_error *err)
{
	struct opts o = { .first_uid = NB_BOX_FIRST_UID };
	int r;

	memset(out, 0, sizeof(*out));
	out->root = NB_BOX_ROOT;
	r = parse_options(argc, argv, out, &o, err);
	if (r >= 0 && !out->help)
		r = check_action(out, argc - optind, err);
	if (r >= 0 && !out->help) {
		out->uid = (uid_t)(o.first_uid + out->id);
		out->gid = (gid_t)(o.first_uid + out->id);
		snprintf(out->dir, sizeof(out->dir), "%s/%u", strcmp(out->root, "/") ? out->root : "", out->id);
		snprintf(out->work, sizeof(out->work), "%s/box", out->dir);
		if (out->action == NB_BOX_RUN)
			r = translate(out, &o, environ_, sys_dirs, argv + optind, err);
	}
	nb_strv_free(&o.env_rules);
	nb_strv_free(&o.binds);
	return r;
}

void nb_box_args_free(struct nb_box_args *a)
{
	nb_strv_free(&a->run);
}
