/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for spec/box_args.c: isolate's command line into a box
 * action and the `nsbox run` command line of a run in the box.
 */
#include "spec/box_args.h"
#include "spec/run_args.h"
#include "tap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char env_path[] = "PATH=/usr/bin:/bin", env_home[] = "HOME=/root", env_lang[] = "LANG=C";
static char *const fake_environ[] = { env_path, env_home, env_lang, NULL };
static const char *const sys_dirs[] = { "usr", NULL };

#define ARGS(...) ((const char *const[]){ "box", __VA_ARGS__, NULL })

static int parse(const char *const *list, struct nb_box_args *a, struct nb_error *err)
{
	char *argv[64];
	int argc = 0, r;

	for (; *list && argc < 63; list++)
		argv[argc++] = strdup(*list);
	argv[argc] = NULL;
	nb_error_clear(err);
	r = nb_box_parse(argc, argv, fake_environ, sys_dirs, a, err);
	/* The translation copied what it keeps. */
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	return r;
}

/* The run command line, joined by spaces. */
static const char *joined(const struct nb_box_args *a)
{
	static char buf[4096];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < a->run.len; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", i ? " " : "", a->run.items[i]);
	return buf;
}

static void test_actions(void)
{
	struct nb_box_args a;
	struct nb_error err;

	tap_is_int(parse(ARGS("--box-id=7", "--init"), &a, &err), 0, "--init parses");
	tap_ok(a.action == NB_BOX_INIT && a.id == 7, "init box 7");
	tap_is_str(a.dir, "/var/lib/nsbox/box/7", "the box's directory");
	tap_is_str(a.work, "/var/lib/nsbox/box/7/box", "its /box");
	tap_ok(a.uid == 60007 && a.gid == 60007, "its uid and gid: 60000 + 7");
	nb_box_args_free(&a);
	tap_is_int(parse(ARGS("-b", "2", "--box-root", "/srv/boxes", "--first-uid", "1000", "cleanup"), &a, &err), 0,
		   "the word cleanup");
	tap_ok(a.action == NB_BOX_CLEANUP && a.uid == 1002, "cleanup box 2, uid 1002");
	tap_is_str(a.dir, "/srv/boxes/2", "--box-root");
	nb_box_args_free(&a);
	tap_is_int(parse(ARGS("--init", "--run"), &a, &err), -EINVAL, "two actions refused");
	tap_is_str(err.msg, "choose one of --init, --run and --cleanup", "their message");
	tap_is_int(parse(ARGS("-b", "1000", "--init"), &a, &err), -EINVAL, "box 1000 refused");
	tap_is_str(err.msg, "--box-id '1000': expected a number from 0 to 999", "its message");
	tap_is_int(parse(ARGS("--run"), &a, &err), -EINVAL, "--run without a program refused");
	tap_is_str(err.msg, "--run: no program given", "its message");
	tap_is_int(parse(ARGS("--init", "--", "x"), &a, &err), -EINVAL, "--init with a program refused");
	tap_is_int(parse(ARGS("--time=1"), &a, &err), -EINVAL, "no action refused");
	tap_is_int(parse(ARGS("--quota=10,10", "--init"), &a, &err), -EINVAL, "--quota refused");
	tap_is_str(err.msg, "--quota: isolate's option is not supported by nsbox", "its message");
	tap_is_int(parse(ARGS("--bogus", "--init"), &a, &err), -EINVAL, "an unknown option refused");
}

static void test_run_defaults(void)
{
	struct nb_box_args a;
	struct nb_error err;

	tap_is_int(parse(ARGS("--run", "--", "./a.out", "x"), &a, &err), 0, "a bare run parses");
	tap_is_str(joined(&a), "run --rootfs /var/lib/nsbox/box/0 --ro --bind /usr:/usr:ro "
		   "--bind /var/lib/nsbox/box/0/box:/box --workdir /box --uid 60000 --gid 60000 "
		   "--stack unlimited --nofile 64 --pids 2 --clearenv --env LIBC_FATAL_STDERR_=1 -- ./a.out x",
		   "isolate's defaults: one process, 64 files, no environment but LIBC_FATAL_STDERR_");
	nb_box_args_free(&a);
}

static void test_run_options(void)
{
	struct nb_box_args a;
	struct nb_error err;

	tap_is_int(parse(ARGS("-b", "3", "--cg", "--time=1.5", "--wall-time=5", "--extra-time=0.5", "--mem=262144",
			      "--cg-mem=131072", "--fsize=1024", "--stack=8192", "--open-files=0", "--processes=10",
			      "-i", "in", "-o", "/box/out", "--stderr-to-stdout", "--meta=/tmp/m", "--share-net",
			      "-d", "/data=/srv/data:rw", "--dir=/etc", "-E", "HOME", "-E", "X=1", "run", "--", "prog"),
			 &a, &err), 0, "a run with every option parses");
	tap_is_str(joined(&a), "run --rootfs /var/lib/nsbox/box/3 --ro --bind /usr:/usr:ro "
		   "--bind /var/lib/nsbox/box/3/box:/box --bind /srv/data:/data --bind /etc:/etc:ro "
		   "--workdir /box --uid 60003 --gid 60003 --share net --time-limit 1.5 --wall-time-limit 5 "
		   "--extra-time 0.5 --as 262144k --memory 131072k --fsize 1024k --stack 8192k --pids 11 "
		   "--stdin in --stdout out --stderr-to-stdout --meta /tmp/m --clearenv "
		   "--env LIBC_FATAL_STDERR_=1 --env HOME=/root --env X=1 -- prog", "the nsbox run line");
	nb_box_args_free(&a);
	tap_is_int(parse(ARGS("-e", "-E", "LANG=", "-c", "/box/sub", "-o", "o.txt", "-p", "--run", "--", "p"), &a, &err),
		   0, "--full-env, a removal, --chdir, -p without N");
	tap_is_str(joined(&a), "run --rootfs /var/lib/nsbox/box/0 --ro --bind /usr:/usr:ro "
		   "--bind /var/lib/nsbox/box/0/box:/box --workdir /box/sub --uid 60000 --gid 60000 "
		   "--stack unlimited --nofile 64 --stdout sub/o.txt --clearenv --env PATH=/usr/bin:/bin "
		   "--env HOME=/root --env LIBC_FATAL_STDERR_=1 -- p", "the environment in order, LANG removed");
	nb_box_args_free(&a);
	tap_is_int(parse(ARGS("-o", "/tmp/out", "--run", "--", "p"), &a, &err), -EINVAL, "a stream outside /box refused");
	tap_is_str(err.msg, "--stdout '/tmp/out': nsbox opens a box's streams in the box only (/box/...)", "its message");
	nb_box_args_free(&a);
	tap_is_int(parse(ARGS("-d", "/x=/y:noexec", "--run", "--", "p"), &a, &err), -EINVAL, "a --dir option refused");
	tap_is_str(err.msg, "--dir '/x=/y:noexec': option 'noexec' is not supported by nsbox (only rw)", "its message");
	nb_box_args_free(&a);
	tap_is_int(parse(ARGS("-d", "/usr=", "--run", "--", "p"), &a, &err), -EINVAL, "removing a default dir refused");
	nb_box_args_free(&a);
	tap_is_int(parse(ARGS("--mem=lots", "--run", "--", "p"), &a, &err), -EINVAL, "a bad size refused");
	tap_is_str(err.msg, "--mem 'lots': expected a number of kilobytes", "its message");
	nb_box_args_free(&a);
}

/* The line it becomes is one `nsbox run` takes. */
static void test_run_parses(void)
{
	static const struct nb_host host = { .euid = 0, .egid = 0, .hostname = "box" };
	struct nb_box_args a;
	struct nb_run_args args;
	struct nb_config cfg;
	struct nb_error err;

	if (parse(ARGS("--time=1", "--cg-mem=65536", "-o", "out", "--run", "--", "./a.out"), &a, &err) < 0) {
		tap_ok(false, "parse: %s", err.msg);
		return;
	}
	nb_config_init(&cfg);
	tap_is_int(nb_run_parse_args((int)a.run.len, a.run.items, fake_environ, &host, &cfg, &args, &err), 0,
		   "nsbox run takes the line");
	tap_ok(args.judge.cpu_us == 1000000 && cfg.oci.resources.memory_limit == 67108864 &&
	       cfg.oci.resources.pids_limit == 2 && cfg.uid == 60000 && nb_streq(args.judge.stdout_path, "out"),
	       "time, memory, pids, uid and stdout come through");
	nb_config_free(&cfg);
	nb_box_args_free(&a);
}

int main(void)
{
	test_actions();
	test_run_defaults();
	test_run_options();
	test_run_parses();
	return tap_done();
}
