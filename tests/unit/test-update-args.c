/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for spec/update_args.c: runc's `update` flags into a resource model. */
#include "spec/update_args.h"
#include "tap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define ARGS(...) ((const char *const[]){ "update", __VA_ARGS__, NULL })

struct parse {
	struct nb_resources res;
	const char *file;
	struct nb_error err;
	int r;
	int argc;
	char *argv[32];
};

static void parse(struct parse *t, const char *const *list)
{
	t->argc = 0;
	for (; *list && t->argc < 31; list++)
		t->argv[t->argc++] = strdup(*list);
	t->argv[t->argc] = NULL;
	nb_error_clear(&t->err);
	t->r = nb_update_parse_args(t->argc, t->argv, &t->res, &t->file, &t->err);
}

static void done(struct parse *t)
{
	for (int i = 0; i < t->argc; i++)
		free(t->argv[i]);
	nb_resources_free(&t->res);
}

static void fails(const char *const *list, const char *msg)
{
	struct parse t;

	parse(&t, list);
	tap_is_int(t.r, -EINVAL, "'%s': refused", msg);
	tap_is_str(t.err.msg, msg, "message");
	tap_is_int(t.err.kind, NB_ERR_USAGE, "'%s': a usage error", msg);
	done(&t);
}

static void test_every_flag(void)
{
	struct parse t;

	parse(&t, ARGS("--memory", "64m", "--memory-swap", "1G", "--memory-reservation", "32MiB",
		       "--kernel-memory", "1m", "--kernel-memory-tcp", "-1", "--cpu-quota", "50000",
		       "--cpu-period", "100000", "--cpu-share", "512", "--cpu-rt-period", "1000000",
		       "--cpu-rt-runtime", "-1", "--cpuset-cpus", "0-3,8", "--cpuset-mems", "0",
		       "--pids-limit", "200", "--blkio-weight", "300", "ctr1"));
	if (!tap_is_int(t.r, 29, "every flag: the container id is argv[29]"))
		tap_diag("%s", t.err.msg);
	tap_ok(t.file == NULL && t.res.set, "every flag: no file, set");
	tap_ok(t.res.memory_limit == 67108864 && t.res.memory_swap == 1073741824 &&
	       t.res.memory_reservation == 33554432 && t.res.memory_kernel == 1048576 &&
	       t.res.memory_kernel_tcp == -1, "every flag: memory sizes with runc's units");
	tap_ok(t.res.cpu_quota == 50000 && t.res.cpu_period == 100000 && t.res.cpu_shares == 512 &&
	       t.res.cpu_realtime_period == 1000000 && t.res.cpu_realtime_runtime == -1,
	       "every flag: cpu");
	tap_is_str(t.res.cpuset_cpus, "0-3,8", "every flag: cpuset cpus");
	tap_is_str(t.res.cpuset_mems, "0", "every flag: cpuset mems");
	tap_ok(t.res.pids_limit == 200 && t.res.blkio_weight == 300, "every flag: pids, blkio");
	tap_ok(t.res.n_devices == 0 && t.res.unified.len == 0, "every flag: nothing else");
	done(&t);
}

static void test_forms(void)
{
	struct parse t;

	parse(&t, ARGS("--memory=-1", "--pids-limit", "0", "c"));
	tap_is_int(t.r, 4, "--memory=-1: id at 4");
	tap_ok(t.res.memory_limit == -1 && t.res.pids_limit == -1,
	       "memory -1 unlimited; pids 0 unlimited");
	done(&t);
	parse(&t, ARGS("--pids-limit", "-1", "--blkio-weight", "0", "--memory", "1.5g", "c"));
	tap_ok(t.r == 7 && t.res.pids_limit == -1 && t.res.blkio_weight == 0 &&
	       t.res.memory_limit == 1610612736, "pids -1, blkio 0 (leave it), 1.5g");
	done(&t);
	parse(&t, ARGS("-r", "-", "c"));
	tap_ok(t.r == 3 && t.file && !strcmp(t.file, "-") && !t.res.set, "-r -: stdin, no flag");
	done(&t);
	parse(&t, ARGS("--resources", "/tmp/r.json", "c"));
	tap_ok(t.r == 3 && t.file && !strcmp(t.file, "/tmp/r.json"), "--resources FILE");
	done(&t);
	parse(&t, ARGS("--help"));
	tap_is_int(t.r, 0, "--help: 0");
	done(&t);
	parse(&t, ARGS("c", "--memory", "1m"));
	tap_ok(t.r == 1 && t.res.memory_limit == NB_RES_UNSET, "options stop at the container id");
	done(&t);
	{
		const char *const none[] = { "update", NULL };

		parse(&t, none);
		tap_is_int(t.r, 1, "no operand: argc");
		done(&t);
	}
}

static void test_errors(void)
{
	fails(ARGS("--memory", "12x", "c"), "update: --memory '12x': invalid size (a number of bytes, "
	      "with an optional unit k, m, g, t or p), or -1");
	fails(ARGS("--memory-swap", "-2", "c"), "update: --memory-swap '-2': invalid size (a number of "
	      "bytes, with an optional unit k, m, g, t or p), or -1");
	fails(ARGS("--memory", "9000p", "c"), "update: --memory '9000p': too large");
	fails(ARGS("--cpu-quota", "abc", "c"), "update: --cpu-quota 'abc': must be an integer");
	fails(ARGS("--cpu-quota", "10", "c"), "update: --cpu-quota '10': must be -1 (unlimited) or at "
	      "least 1000 microseconds, not 10");
	fails(ARGS("--cpu-period", "-5", "c"), "update: --cpu-period '-5': must be a non-negative integer");
	fails(ARGS("--cpu-period", "500", "c"), "update: --cpu-period '500': must be from 1000 to "
	      "1000000 microseconds, not 500");
	fails(ARGS("--cpu-share", "1", "c"), "update: --cpu-share '1': the minimum allowed cpu-shares is 2");
	fails(ARGS("--cpu-share", "99999999999999999999", "c"),
	      "update: --cpu-share '99999999999999999999': out of range");
	fails(ARGS("--cpuset-cpus", "0-", "c"), "update: --cpuset-cpus '0-': a range needs its last number");
	fails(ARGS("--cpuset-mems", "3-1", "c"), "update: --cpuset-mems '3-1': a range must go up");
	fails(ARGS("--blkio-weight", "5", "c"), "update: --blkio-weight '5': must be from 10 to 1000, "
	      "not 5");
	fails(ARGS("--pids-limit", "1x", "c"), "update: --pids-limit '1x': must be an integer");
	fails(ARGS("--memory", "2m", "--memory-swap", "1m", "c"), "update: --memory-swap '1m': "
	      "memory+swap limit should be >= memory limit (1048576 < 2097152)");
	fails(ARGS("--memory", "", "c"), "update: --memory: empty value");
	fails(ARGS("-r", "r.json", "--memory", "1m", "c"), "update: --memory cannot be combined with "
	      "--resources (its file gives every limit)");
	fails(ARGS("--memory"), "update: option '--memory' needs a value");
	fails(ARGS("-r"), "update: option '--resources' needs a value");
	fails(ARGS("--help=1"), "update: option '--help' takes no value");
	fails(ARGS("--l3-cache-schema", "x", "c"), "update: unknown option '--l3-cache-schema'");
	fails(ARGS("-x", "c"), "update: unknown option '-x'");
}

int main(void)
{
	test_every_flag();
	test_forms();
	test_errors();
	tap_ok(strstr(nb_update_usage, "--cpu-rt-runtime") && strstr(nb_update_usage, "--resources"),
	       "usage lists the flags");
	return tap_done();
}
