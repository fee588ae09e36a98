/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "spec/run_limits.h"
#include "base/cleanup.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define CPU_PERIOD 100000     /* the kernel's default period, in microseconds */
#define PIDS_MAX 4194304      /* PID_MAX_LIMIT on 64-bit: the kernel's pids.max bound */

static const char *const option_names[] = {
	"memory", "memory-swap", "cpus", "cpu-weight", "cpuset-cpus", "cpuset-mems", "pids",
	"io-weight", "cgroup-parent",
};

void nb_run_limits_init(struct nb_run_limits *rl)
{
	memset(rl, 0, sizeof(*rl));
	nb_resources_init(&rl->res);
}

void nb_run_limits_free(struct nb_run_limits *rl)
{
	nb_resources_free(&rl->res);
	memset(rl, 0, sizeof(*rl));
}

bool nb_run_limits_is_option(const char *name)
{
	for (size_t i = 0; i < NB_ARRAY_SIZE(option_names); i++)
		if (nb_streq(name, option_names[i]))
			return true;
	return false;
}

static int parse_bytes(const char *name, const char *arg, int64_t *ret, struct nb_error *err)
{
	int r = nb_res_parse_size(arg, ret);

	if (r == -ERANGE)
		return nb_error_usage(err, "--%s '%s': too large", name, arg);
	if (r < 0 || *ret == 0)
		return nb_error_usage(err, "--%s '%s': expected a size such as 512k, 64m or 2g "
				      "(powers of 1024)", name, arg);
	return 0;
}

static int parse_range(const char *name, const char *arg, int lo, int hi, int64_t *ret,
		       struct nb_error *err)
{
	int v;

	if (nb_parse_int(arg, lo, hi, &v) < 0)
		return nb_error_usage(err, "--%s '%s': expected a number from %d to %d", name, arg,
				      lo, hi);
	*ret = v;
	return 0;
}

/* "1.5": CPUs, to 5 decimals (a microsecond of quota per period). */
static int parse_cpus(const char *arg, struct nb_resources *res, struct nb_error *err)
{
	const char *p = arg;
	int64_t quota = 0, scale = CPU_PERIOD;
	size_t n = 0;

	for (; isdigit((unsigned char)*p) && n < 7; p++, n++)
		quota = quota * 10 + (*p - '0');
	if (n == 0 || isdigit((unsigned char)*p))
		goto bad;
	quota *= CPU_PERIOD;
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p) && scale > 1; p++) {
			scale /= 10;
			quota += (*p - '0') * scale;
		}
		if (p[-1] == '.')
			goto bad;
	}
	if (*p)
		goto bad;
	if (quota < 1000)
		return nb_error_usage(err, "--cpus '%s': must be at least 0.01 (the kernel's "
				      "smallest quota, 1 ms per 100 ms)", arg);
	res->cpu_quota = quota;
	res->cpu_period = CPU_PERIOD;
	return 0;
bad:
	return nb_error_usage(err, "--cpus '%s': expected a number of CPUs such as 2 or 0.5, "
			      "with at most 5 decimals", arg);
}

static int parse_list(const char *name, const char *arg, char **field, struct nb_error *err)
{
	const char *why = NULL;
	char *copy;

	if (nb_cpuset_list_check(arg, &why) < 0)
		return nb_error_usage(err, "--%s '%s': %s", name, arg, why);
	copy = strdup(arg);
	if (!copy)
		return nb_error_set(err, ENOMEM, "out of memory");
	free(*field);
	*field = copy;
	return 0;
}

/* A cgroup path: absolute, or relative to where nsbox runs, with no
 * empty, "." or ".." component and no control character. */
static int check_cgroup_parent(const char *arg, struct nb_error *err)
{
	const char *p = arg[0] == '/' ? arg + 1 : arg;

	if (!*p)
		return nb_error_usage(err, "--cgroup-parent '%s': expected a cgroup path", arg);
	for (const char *c = arg; *c; c++)
		if ((unsigned char)*c < ' ' || *c == 0x7f)
			return nb_error_usage(err, "--cgroup-parent: control character in the path");
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return nb_error_usage(err, "--cgroup-parent '%s': empty, '.' or '..' "
					      "component", arg);
		p += n;
		if (*p == '/')
			p++;
		if (*p == '\0' && p[-1] == '/')
			return nb_error_usage(err, "--cgroup-parent '%s': empty, '.' or '..' "
					      "component", arg);
	}
	return 0;
}

static int parse_one(struct nb_run_limits *rl, const char *name, const char *arg,
		     struct nb_error *err)
{
	struct nb_resources *res = &rl->res;

	if (nb_streq(name, "memory")) {
		rl->memory_arg = arg;
		return parse_bytes(name, arg, &res->memory_limit, err);
	}
	if (nb_streq(name, "memory-swap")) {
		rl->swap_arg = arg;
		if (nb_streq(arg, "-1")) {
			res->memory_swap = -1;
			return 0;
		}
		return parse_bytes(name, arg, &res->memory_swap, err);
	}
	if (nb_streq(name, "cpus"))
		return parse_cpus(arg, res, err);
	if (nb_streq(name, "cpu-weight"))
		return parse_range(name, arg, 1, 10000, &res->cpu_weight, err);
	if (nb_streq(name, "cpuset-cpus"))
		return parse_list(name, arg, &res->cpuset_cpus, err);
	if (nb_streq(name, "cpuset-mems"))
		return parse_list(name, arg, &res->cpuset_mems, err);
	if (nb_streq(name, "pids"))
		return parse_range(name, arg, 1, PIDS_MAX, &res->pids_limit, err);
	if (nb_streq(name, "io-weight"))
		return parse_range(name, arg, 1, 10000, &res->io_weight, err);
	if (nb_streq(name, "cgroup-parent")) {
		rl->cgroup_parent = arg;
		return check_cgroup_parent(arg, err);
	}
	return nb_error_usage(err, "internal: --%s is no limit option", name);
}

int nb_run_limits_parse(struct nb_run_limits *rl, const char *name, const char *arg,
			struct nb_error *err)
{
	int r = parse_one(rl, name, arg, err);

	if (r >= 0 && !nb_streq(name, "cgroup-parent"))
		rl->res.set = true;
	return r;
}

/* --memory and --memory-swap together, as Docker reads them. */
static int check_swap(const struct nb_run_limits *rl, struct nb_error *err)
{
	const struct nb_resources *res = &rl->res;

	if (res->memory_swap > 0 && res->memory_limit == NB_RES_UNSET)
		return nb_error_usage(err, "--memory-swap '%s': needs --memory (it is memory plus "
				      "swap)", rl->swap_arg);
	if (res->memory_swap > 0 && res->memory_swap < res->memory_limit)
		return nb_error_usage(err, "--memory-swap '%s': must be at least --memory '%s' (it is "
				      "memory plus swap)", rl->swap_arg, rl->memory_arg);
	return 0;
}

int nb_run_limits_apply(const struct nb_run_limits *rl, struct nb_config *cfg, struct nb_error *err)
{
	struct nb_resources *res = &cfg->oci.resources;
	int r = check_swap(rl, err);

	if (r < 0)
		return r;
	if (rl->cgroup_parent) {
		char *copy = strdup(rl->cgroup_parent);

		if (!copy)
			return nb_error_set(err, ENOMEM, "out of memory");
		free(cfg->oci.cgroup_parent);
		cfg->oci.cgroup_parent = copy;
	}
	if (!rl->res.set)
		return 0;
	r = nb_resources_merge(res, &rl->res, err);
	/* Swap off unless asked for: memory plus swap is the memory. */
	if (r >= 0 && rl->res.memory_limit != NB_RES_UNSET && rl->res.memory_swap == NB_RES_UNSET)
		res->memory_swap = rl->res.memory_limit;
	if (r >= 0)
		r = nb_resources_check(res, "linux.resources", err);
	return r;
}
