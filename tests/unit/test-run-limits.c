/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for spec/run_limits.c through `nsbox run`'s parser: the limit
 * options into cfg->oci.resources and cfg->oci.cgroup_parent, their
 * errors, and the cgroup writes they become.
 */
#include "spec/run_args.h"
#include "spec/run_limits.h"
#include "tap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char env_path[] = "PATH=/usr/bin:/bin";
static char *const fake_environ[] = { env_path, NULL };
static const struct nb_host host_root = { .euid = 0, .egid = 0, .hostname = "nb-1" };

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, "/bin/true", NULL })

struct run {
	struct nb_config cfg;
	struct nb_run_args args;
	struct nb_error err;
	int r;
};

static void parse(struct run *t, const char *const *list)
{
	char *argv[64];
	int argc = 0;

	argv[argc++] = strdup("run");
	for (; *list && argc < 63; list++)
		argv[argc++] = strdup(*list);
	argv[argc] = NULL;
	nb_config_init(&t->cfg);
	nb_error_clear(&t->err);
	t->r = nb_run_parse_args(argc, argv, fake_environ, &host_root, &t->cfg, &t->args, &t->err);
	for (int i = 0; i < argc; i++)
		free(argv[i]);
}

static bool parse_ok(struct run *t, const char *const *list, const char *name)
{
	parse(t, list);
	if (!tap_is_int(t->r, 0, "%s: parses", name)) {
		tap_diag("message: %s", t->err.msg);
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
	nb_config_free(&t.cfg);
}

/* The v2 writes of the plan, one "FILE VALUE" a line. */
static const char *v2_writes(const struct nb_config *cfg)
{
	static char buf[2048];
	struct nb_cg_writes out;
	struct nb_error err;
	size_t len = 0;

	buf[0] = '\0';
	if (nb_cg_writes_v2(&cfg->oci.resources, NB_RES_UNSET, "linux.resources", &out, &err) < 0)
		snprintf(buf, sizeof(buf), "ERROR %s", err.msg);
	for (size_t i = 0; i < out.n; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s %s", i ? "\n" : "",
					out.w[i].file, out.w[i].value);
	nb_cg_writes_free(&out);
	return buf;
}

static void test_none(void)
{
	struct run t;

	if (!parse_ok(&t, ARGS("--ro"), "no limit"))
		return;
	tap_ok(!t.cfg.oci.resources.set && t.cfg.oci.resources.memory_limit == NB_RES_UNSET &&
	       !t.cfg.oci.cgroup_parent, "no limit: nothing set");
	tap_is_int(nb_cg_needed(&t.cfg.oci.resources), 0, "no limit: no controller");
	nb_config_free(&t.cfg);
}

static void test_every_option(void)
{
	struct nb_resources *res;
	struct run t;

	if (!parse_ok(&t, ARGS("--memory", "64m", "--cpus", "1.5", "--cpu-weight", "200",
			       "--cpuset-cpus", "0-1", "--cpuset-mems", "0", "--pids", "64",
			       "--io-weight", "300", "--cgroup-parent", "/judge/batch-1"), "every option"))
		return;
	res = &t.cfg.oci.resources;
	tap_ok(res->set, "every option: set");
	tap_ok(res->memory_limit == 67108864 && res->memory_swap == 67108864,
	       "--memory without --memory-swap: swap off (memory+swap = memory)");
	tap_ok(res->cpu_quota == 150000 && res->cpu_period == 100000, "--cpus 1.5: 150000 per 100000");
	tap_ok(res->cpu_weight == 200 && res->cpu_shares == NB_RES_UNSET, "--cpu-weight: v2's scale");
	tap_is_str(res->cpuset_cpus, "0-1", "--cpuset-cpus");
	tap_is_str(res->cpuset_mems, "0", "--cpuset-mems");
	tap_is_int(res->pids_limit, 64, "--pids");
	tap_ok(res->io_weight == 300 && res->blkio_weight == NB_RES_UNSET, "--io-weight: v2's scale");
	tap_is_str(t.cfg.oci.cgroup_parent, "/judge/batch-1", "--cgroup-parent kept in the plan");
	tap_is_str(v2_writes(&t.cfg),
		   "pids.max 64\nmemory.swap.max 0\nmemory.max 67108864\nio.bfq.weight 40\n"
		   "io.weight 300\ncpu.weight 200\ncpu.max 150000 100000\ncpuset.cpus 0-1\n"
		   "cpuset.mems 0", "every option: v2 writes");
	nb_config_free(&t.cfg);
}

static void test_swap(void)
{
	struct run t;

	if (parse_ok(&t, ARGS("--memory", "64m", "--memory-swap", "1g"), "--memory-swap")) {
		tap_ok(t.cfg.oci.resources.memory_swap == 1073741824, "--memory-swap: the total");
		tap_is_str(v2_writes(&t.cfg), "memory.swap.max 1006632960\nmemory.max 67108864",
			   "--memory-swap: v2 swap is the total less the memory");
		nb_config_free(&t.cfg);
	}
	if (parse_ok(&t, ARGS("--memory-swap", "-1", "--memory", "1G"), "--memory-swap -1")) {
		tap_ok(t.cfg.oci.resources.memory_swap == -1 &&
		       t.cfg.oci.resources.memory_limit == 1073741824, "--memory-swap -1: unlimited");
		nb_config_free(&t.cfg);
	}
	if (parse_ok(&t, ARGS("--cpus", "0.01", "--cpus", "2"), "--cpus twice")) {
		tap_ok(t.cfg.oci.resources.cpu_quota == 200000, "--cpus: the last one counts");
		nb_config_free(&t.cfg);
	}
	if (parse_ok(&t, ARGS("--cpus", "2.00125"), "--cpus 2.00125")) {
		tap_is_int(t.cfg.oci.resources.cpu_quota, 200125, "--cpus: 5 decimals");
		nb_config_free(&t.cfg);
	}
}

static void test_errors(void)
{
	fails(ARGS("--memory", "12x"), "--memory '12x': expected a size such as 512k, 64m or 2g "
	      "(powers of 1024)");
	fails(ARGS("--memory", "0"), "--memory '0': expected a size such as 512k, 64m or 2g "
	      "(powers of 1024)");
	fails(ARGS("--memory", "-1"), "--memory '-1': expected a size such as 512k, 64m or 2g "
	      "(powers of 1024)");
	fails(ARGS("--memory", "99999p"), "--memory '99999p': too large");
	fails(ARGS("--memory-swap", "1g"), "--memory-swap '1g': needs --memory (it is memory plus swap)");
	fails(ARGS("--memory", "1g", "--memory-swap", "512m"), "--memory-swap '512m': must be at "
	      "least --memory '1g' (it is memory plus swap)");
	fails(ARGS("--cpus", "0"), "--cpus '0': must be at least 0.01 (the kernel's smallest quota, "
	      "1 ms per 100 ms)");
	fails(ARGS("--cpus", "0.001"), "--cpus '0.001': must be at least 0.01 (the kernel's smallest "
	      "quota, 1 ms per 100 ms)");
	fails(ARGS("--cpus", "1.000001"), "--cpus '1.000001': expected a number of CPUs such as 2 or "
	      "0.5, with at most 5 decimals");
	fails(ARGS("--cpus", "1."), "--cpus '1.': expected a number of CPUs such as 2 or 0.5, with at "
	      "most 5 decimals");
	fails(ARGS("--cpus", ".5"), "--cpus '.5': expected a number of CPUs such as 2 or 0.5, with at "
	      "most 5 decimals");
	fails(ARGS("--cpus", "-1"), "--cpus '-1': expected a number of CPUs such as 2 or 0.5, with at "
	      "most 5 decimals");
	fails(ARGS("--cpu-weight", "0"), "--cpu-weight '0': expected a number from 1 to 10000");
	fails(ARGS("--cpu-weight", "10001"), "--cpu-weight '10001': expected a number from 1 to 10000");
	fails(ARGS("--io-weight", "x"), "--io-weight 'x': expected a number from 1 to 10000");
	fails(ARGS("--pids", "0"), "--pids '0': expected a number from 1 to 4194304");
	fails(ARGS("--cpuset-cpus", "1,,2"), "--cpuset-cpus '1,,2': expected a number below 1048576");
	fails(ARGS("--cpuset-mems", "0-"), "--cpuset-mems '0-': a range needs its last number");
	fails(ARGS("--cgroup-parent", "a/../b"), "--cgroup-parent 'a/../b': empty, '.' or '..' component");
	fails(ARGS("--cgroup-parent", "/a//b"), "--cgroup-parent '/a//b': empty, '.' or '..' component");
	fails(ARGS("--cgroup-parent", "/a/"), "--cgroup-parent '/a/': empty, '.' or '..' component");
	fails(ARGS("--cgroup-parent", "/"), "--cgroup-parent '/': expected a cgroup path");
	fails(ARGS("--cgroup-parent", "a\nb"), "--cgroup-parent: control character in the path");
	fails((const char *const[]){ "--memory", NULL }, "option '--memory' needs a value");
	fails((const char *const[]){ "--pids=4", "--cgroup-parent", NULL },
	      "option '--cgroup-parent' needs a value");
}

static void test_relative_parent(void)
{
	struct run t;

	if (!parse_ok(&t, ARGS("--cgroup-parent", "nsbox.slice/jobs"), "relative parent"))
		return;
	tap_is_str(t.cfg.oci.cgroup_parent, "nsbox.slice/jobs", "relative parent kept as given");
	tap_ok(!t.cfg.oci.resources.set, "--cgroup-parent alone sets no limit");
	nb_config_free(&t.cfg);
}

int main(void)
{
	test_none();
	test_every_option();
	test_swap();
	test_errors();
	test_relative_parent();
	tap_ok(nb_run_limits_is_option("cpus") && !nb_run_limits_is_option("cap-add"),
	       "the limit options are told apart by name");
	tap_ok(nb_run_option_takes_value("--memory") && nb_run_option_takes_value("--cgroup-parent"),
	       "the limit options take a value (the run form rule)");
	tap_ok(strstr(nb_run_usage, "--cpus N") && strstr(nb_run_usage, "--cgroup-parent PATH"),
	       "usage lists the limit options");
	return tap_done();
}
