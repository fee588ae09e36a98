/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* box.c: `nsbox box`, isolate's workflow (and nsbox called as `isolate`). */
#include "cli/commands.h"
#include "runtime/box.h"
#include "runtime/report.h"
#include "base/cleanup.h"
#include "spec/box_args.h"
#include "spec/run_args.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

/* isolate's exit status for its own failure. */
#define BOX_EXIT_INTERNAL 2

static int box_fail(const struct nb_error *err)
{
	nb_cli_fail(err, err->kind == NB_ERR_USAGE ? "box " : NULL);
	return BOX_EXIT_INTERNAL;
}

/* --inherit-fds: every fd nsbox got from its caller, 3 and up. */
static int inherited_fds(struct nb_judge_plan *plan, struct nb_error *err)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (!d)
		return nb_error_errno(err, "--inherit-fds: /proc/self/fd");
	while ((e = readdir(d))) {
		int fd = atoi(e->d_name);

		if (fd < 3 || fd == dirfd(d))
			continue;
		if (plan->n_inherit >= NB_JUDGE_MAX_FDS) {
			closedir(d);
			return nb_error_set(err, EMFILE, "--inherit-fds: more than %d fds", NB_JUDGE_MAX_FDS);
		}
		plan->inherit_fds[plan->n_inherit++] = fd;
	}
	closedir(d);
	return 0;
}

/* isolate's status line on stderr. */
static void status_line(const struct nb_report *rep)
{
	if (rep->verdict == NB_VERDICT_OK)
		fprintf(stderr, "OK (%.3f sec real, %.3f sec wall)\n", (double)rep->cpu_ns / 1e9,
			(double)rep->wall_ns / 1e9);
	else if (rep->verdict != NB_VERDICT_XX)
		fprintf(stderr, "%s\n", rep->message);
}

/* --run: the `nsbox run` plan the box's command line became, run with
 * its streams taken in the box. */
static int box_run(const struct nb_globals *g, struct nb_box_args *a)
{
	struct nb_host host = { .euid = geteuid(), .egid = getegid(), .hostname = "box" };
	struct nb_error err = { 0 };
	struct nb_run_args args;
	struct nb_config cfg;
	struct nb_report rep;
	int code, r;

	nb_config_init(&cfg);
	r = nb_box_check(a, &err);
	if (r >= 0)
		r = nb_run_parse_args((int)a->run.len, a->run.items, environ, &host, &cfg, &args, &err);
	if (r >= 0) {
		args.judge.watch = true;
		args.judge.stdio_root = a->work;
		if (a->inherit_fds)
			r = inherited_fds(&args.judge, &err);
	}
	if (r >= 0)
		r = nb_cli_run_sandbox(g, &cfg, &args, &rep, &code, &err);
	nb_config_free(&cfg);
	if (r < 0)
		return box_fail(&err);
	if (!a->silent)
		status_line(&rep);
	return rep.verdict == NB_VERDICT_OK ? 0 : 1;
}

int nb_cmd_box(const struct nb_globals *g, int argc, char *argv[])
{
	struct nb_error err = { 0 };
	struct nb_box_args a;
	_cleanup_close_ int lock = -1;
	const char *sys_dirs[8];
	int r;

	nb_box_sys_dirs(sys_dirs);
	r = nb_box_parse(argc, argv, environ, sys_dirs, &a, &err);

	if (r >= 0 && a.help) {
		fputs(nb_box_usage, stdout);
		nb_box_args_free(&a);
		return 0;
	}
	if (r >= 0 && geteuid() != 0)
		r = nb_error_set(&err, EPERM, "boxes need root: each box runs as a host uid of its own");
	if (r >= 0)
		r = nb_box_lock(&a, a.wait, &lock, &err);
	if (r >= 0 && a.action == NB_BOX_INIT && (r = nb_box_init(&a, &err)) >= 0)
		printf("%s\n", a.dir);
	if (r >= 0 && a.action == NB_BOX_CLEANUP)
		r = nb_box_cleanup(&a, &err);
	if (r >= 0 && a.action == NB_BOX_RUN) {
		r = box_run(g, &a);
		nb_box_args_free(&a);
		return r;
	}
	nb_box_args_free(&a);
	return r < 0 ? box_fail(&err) : 0;
}
