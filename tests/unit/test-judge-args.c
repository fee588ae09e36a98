/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for spec/judge_args.c through `nsbox run`'s parser: the judge
 * options into struct nb_judge_plan and the plan's rlimits, their errors,
 * and the checks across options.
 */
#include "spec/judge_args.h"
#include "spec/run_args.h"
#include "tap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static char env_path[] = "PATH=/usr/bin:/bin";
static char *const fake_environ[] = { env_path, NULL };
static const struct nb_host host_root = { .euid = 0, .egid = 0, .hostname = "nb-1" };

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, "/bin/true", NULL })

struct run {
	struct nb_config cfg;
	struct nb_run_args args;
	struct nb_error err;
	char *argv[64];
	int r;
};

/* ARGV stays allocated until done(): the plan points into it. */
static void parse(struct run *t, const char *const *list)
{
	int argc = 0;

	t->argv[argc++] = strdup("run");
	for (; *list && argc < 63; list++)
		t->argv[argc++] = strdup(*list);
	t->argv[argc] = NULL;
	nb_config_init(&t->cfg);
	nb_error_clear(&t->err);
	t->r = nb_run_parse_args(argc, t->argv, fake_environ, &host_root, &t->cfg, &t->args, &t->err);
}

static void done(struct run *t)
{
	for (int i = 0; t->argv[i]; i++)
		free(t->argv[i]);
	nb_config_free(&t->cfg);
}

static bool parse_ok(struct run *t, const char *const *list, const char *name)
{
	parse(t, list);
	if (!tap_is_int(t->r, 0, "%s: parses", name)) {
		tap_diag("message: %s", t->err.msg);
		done(t);
		return false;
	}
	return true;
}

static void fails(const char *const *list, const char *msg)
{
	struct run t;

	parse(&t, list);
	tap_is_int(t.r, -EINVAL, "'%s': refused", msg);
	tap_is_str(t.err.msg, msg, "message");
	tap_is_int(t.err.kind, NB_ERR_USAGE, "'%s': a usage error", msg);
	done(&t);
}

/* The plan's rlimit RESOURCE as "soft/hard", or "-". */
static const char *rlimit(const struct nb_config *cfg, int resource)
{
	static char buf[64];

	for (size_t i = 0; i < cfg->sec.n_rlimits; i++)
		if (cfg->sec.rlimits[i].resource == resource) {
			snprintf(buf, sizeof(buf), "%llu/%llu", (unsigned long long)cfg->sec.rlimits[i].soft,
				 (unsigned long long)cfg->sec.rlimits[i].hard);
			return buf;
		}
	return "-";
}

static void test_none(void)
{
	struct run t;

	if (!parse_ok(&t, ARGS("--ro"), "no judge option"))
		return;
	tap_ok(!nb_judge_watched(&t.args.judge) && !nb_judge_has_io(&t.args.judge), "nothing watched, no io");
	tap_is_str(rlimit(&t.cfg, RLIMIT_CORE), "0/0", "--core defaults to 0");
	tap_is_int((long long)t.cfg.sec.n_rlimits, 1, "and nothing else");
	done(&t);
}

static void test_times(void)
{
	struct run t;

	if (parse_ok(&t, ARGS("--time-limit", "0.5", "--wall-time-limit", "2", "--extra-time", "250ms"), "times")) {
		tap_is_int(t.args.judge.cpu_us, 500000, "--time-limit 0.5: 500000 us");
		tap_is_int(t.args.judge.wall_us, 2000000, "--wall-time-limit 2");
		tap_is_int(t.args.judge.extra_us, 250000, "--extra-time 250ms");
		tap_ok(nb_judge_watched(&t.args.judge), "a time limit is watched");
		done(&t);
	}
	if (parse_ok(&t, ARGS("--time-limit", "0.3", "--time-limit", "1.000001", "--extra-time", "0"), "exact")) {
		tap_is_int(t.args.judge.cpu_us, 1000001, "the last one counts, to the microsecond");
		tap_is_int(t.args.judge.extra_us, 0, "--extra-time 0");
		done(&t);
	}
	if (parse_ok(&t, ARGS("--time-limit", "0.3"), "0.3")) {
		tap_is_int(t.args.judge.cpu_us, 300000, "0.3 s is 300000 us, not 299999");
		done(&t);
	}
	fails(ARGS("--time-limit", "0"), "--time-limit '0': must be at least 1 microsecond");
	fails(ARGS("--time-limit", "-1"), "--time-limit '-1': expected seconds, such as 2, 0.5 or 250ms");
	fails(ARGS("--wall-time-limit", "x"), "--wall-time-limit 'x': expected seconds, such as 2, 0.5 or 250ms");
	fails(ARGS("--time-limit", "2000000"), "--time-limit '2000000': at most 1000000 seconds");
	fails(ARGS("--extra-time", "1"), "--extra-time needs --time-limit or --wall-time-limit");
}

static void test_rlimits(void)
{
	struct run t;

	if (parse_ok(&t, ARGS("--fsize", "1m", "--nofile", "64", "--stack", "unlimited", "--core", "4k",
			      "--as", "256m"), "rlimits")) {
		tap_is_str(rlimit(&t.cfg, RLIMIT_FSIZE), "1048576/1048576", "--fsize 1m");
		tap_is_str(rlimit(&t.cfg, RLIMIT_NOFILE), "64/64", "--nofile 64");
		tap_is_str(rlimit(&t.cfg, RLIMIT_STACK), "18446744073709551615/18446744073709551615",
			   "--stack unlimited: RLIM_INFINITY");
		tap_is_str(rlimit(&t.cfg, RLIMIT_CORE), "4096/4096", "--core 4k");
		tap_is_str(rlimit(&t.cfg, RLIMIT_AS), "268435456/268435456", "--as 256m");
		tap_ok(!nb_judge_watched(&t.args.judge), "rlimits alone are not watched");
		done(&t);
	}
	if (parse_ok(&t, ARGS("--core", "unlimited", "--fsize", "0"), "core unlimited, fsize 0")) {
		tap_is_str(rlimit(&t.cfg, RLIMIT_CORE), "18446744073709551615/18446744073709551615",
			   "--core unlimited");
		tap_is_str(rlimit(&t.cfg, RLIMIT_FSIZE), "0/0", "--fsize 0");
		done(&t);
	}
	fails(ARGS("--fsize", "unlimited"), "--fsize 'unlimited': expected a size such as 512k, 64m or 2g "
	      "(powers of 1024)");
	fails(ARGS("--stack", "-5"), "--stack '-5': expected a size such as 512k, 64m or 2g (powers of "
	      "1024), or 'unlimited'");
	fails(ARGS("--nofile", "lots"), "--nofile 'lots': expected a number from 0 to 1073741824");
	fails(ARGS("--as", "99999999999p"), "--as '99999999999p': too large");
}

static void test_io(void)
{
	struct run t;

	if (parse_ok(&t, ARGS("--stdin", "in", "--stdout", "out", "--stderr", "err", "--output-limit", "64k",
			      "--inherit-fd", "3", "--inherit-fd", "7", "--report", "r.json", "--meta", "m"),
		     "io")) {
		const struct nb_judge_plan *p = &t.args.judge;

		tap_is_str(p->stdin_path, "in", "--stdin");
		tap_is_str(p->stdout_path, "out", "--stdout");
		tap_is_str(p->stderr_path, "err", "--stderr");
		tap_is_int(p->output_limit, 65536, "--output-limit 64k");
		tap_ok(p->n_inherit == 2 && p->inherit_fds[0] == 3 && p->inherit_fds[1] == 7, "--inherit-fd 3 7");
		tap_is_str(p->report_path, "r.json", "--report");
		tap_is_str(p->meta_path, "m", "--meta");
		tap_ok(nb_judge_watched(p) && nb_judge_has_io(p), "watched, with io");
		done(&t);
	}
	if (parse_ok(&t, ARGS("--stdout", "out", "--stderr-to-stdout"), "stderr to stdout")) {
		tap_ok(t.args.judge.stderr_to_stdout && !nb_judge_watched(&t.args.judge) &&
		       nb_judge_has_io(&t.args.judge), "--stderr-to-stdout: io, not watched");
		done(&t);
	}
	fails(ARGS("--stderr", "e", "--stderr-to-stdout"), "--stderr and --stderr-to-stdout: choose one");
	fails(ARGS("--inherit-fd", "2"), "--inherit-fd '2': expected an fd number of 3 or more (0, 1 and 2: "
	      "--stdin, --stdout, --stderr)");
	fails(ARGS("--inherit-fd", "5", "--inherit-fd", "5"), "--inherit-fd 5: given twice");
	fails(ARGS("--stdout", ""), "--stdout: empty path");
	fails(ARGS("--report", "x", "--meta", "x"), "--report and --meta: the same file 'x'");
	fails(ARGS("--output-limit", "lots"), "--output-limit 'lots': expected a size such as 512k, 64m or 2g "
	      "(powers of 1024)");
	fails(ARGS("-t", "--report", "r"), "--tty: not with --stdin, --stdout, --stderr, --inherit-fd, time "
	      "limits, --output-limit, --report or --meta");
	fails(ARGS("--name", "n", "--detach", "--stdout", "o"), "--detach: not with --stdin, --stdout, --stderr, "
	      "--inherit-fd, time limits, --output-limit, --report or --meta (nobody would watch the run)");
	fails((const char *const[]){ "--stdout", NULL }, "option '--stdout' needs a value");
	fails(ARGS("--stderr-to-stdout=1"), "option '--stderr-to-stdout' takes no value");
}

static void test_names(void)
{
	bool value = false;

	tap_ok(nb_judge_is_option("time-limit", &value) && value, "time-limit takes a value");
	tap_ok(nb_judge_is_option("stderr-to-stdout", &value) && !value, "stderr-to-stdout takes none");
	tap_ok(!nb_judge_is_option("memory", NULL), "memory is a limit option, not a judge option");
	tap_ok(nb_run_option_takes_value("--report") && !nb_run_option_takes_value("--stderr-to-stdout"),
	       "the sandbox form knows which take a value");
	tap_is_str(nb_judge_rlim_name(NB_JR_AS), "as", "rlimit name");
	tap_is_int(nb_judge_rlim_resource(NB_JR_FSIZE), RLIMIT_FSIZE, "rlimit resource");
}

int main(void)
{
	test_none();
	test_times();
	test_rlimits();
	test_io();
	test_names();
	return tap_done();
}
