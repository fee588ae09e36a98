/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "spec/update_args.h"
#include "base/cleanup.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

const char nb_update_usage[] =
"Usage: nsbox update [OPTIONS] CONTAINER\n"
"\n"
"Change the resource limits of a running container, as runc's update.\n"
"\n"
"  -r, --resources FILE         a linux.resources object (JSON) from FILE, or from\n"
"                               the standard input for '-'; no other option then:\n"
"                               {\"memory\": {\"limit\": 0, \"reservation\": 0, \"swap\": 0},\n"
"                                \"cpu\": {\"shares\": 0, \"quota\": 0, \"period\": 0,\n"
"                                 \"realtimeRuntime\": 0, \"realtimePeriod\": 0,\n"
"                                 \"cpus\": \"\", \"mems\": \"\"},\n"
"                                \"blockIO\": {\"weight\": 0}} (values left out are kept)\n"
"      --memory SIZE            memory limit (bytes, or 64m, 1g...; -1: none)\n"
"      --memory-swap SIZE       memory plus swap limit (-1: unlimited swap)\n"
"      --memory-reservation SIZE  memory soft limit (cgroup v2: memory.low)\n"
"      --kernel-memory SIZE     kernel memory limit (deprecated: ignored, with a warning)\n"
"      --kernel-memory-tcp SIZE kernel TCP buffer limit (deprecated: ignored, with a warning)\n"
"      --cpu-quota N            CPU time allowed in each period (microseconds; -1: none)\n"
"      --cpu-period N           CPU CFS period (microseconds, 1000 to 1000000)\n"
"      --cpu-share N            CPU shares, a relative weight (2 to 262144)\n"
"      --cpu-rt-period N        real-time period (microseconds; cgroup v1)\n"
"      --cpu-rt-runtime N       real-time time allowed in each period (cgroup v1)\n"
"      --cpuset-cpus LIST       CPUs allowed (0-3,8)\n"
"      --cpuset-mems LIST       memory nodes allowed\n"
"      --pids-limit N           most processes at once (0 or -1: no limit)\n"
"      --blkio-weight N         block I/O weight (10 to 1000)\n"
"  -h, --help                   show this help\n"
"\n"
"SIZE: a number of bytes with an optional unit k, m, g, t or p (powers of 1024).\n";

enum {
	OPT_MEMORY = 256, OPT_MEMORY_SWAP, OPT_MEMORY_RESERVATION, OPT_KERNEL_MEMORY,
	OPT_KERNEL_MEMORY_TCP, OPT_CPU_QUOTA, OPT_CPU_PERIOD, OPT_CPU_SHARE, OPT_CPU_RT_PERIOD,
	OPT_CPU_RT_RUNTIME, OPT_CPUSET_CPUS, OPT_CPUSET_MEMS, OPT_PIDS_LIMIT, OPT_BLKIO_WEIGHT,
};

static const struct option update_options[] = {
	{ "resources", required_argument, NULL, 'r' },
	{ "memory", required_argument, NULL, OPT_MEMORY },
	{ "memory-swap", required_argument, NULL, OPT_MEMORY_SWAP },
	{ "memory-reservation", required_argument, NULL, OPT_MEMORY_RESERVATION },
	{ "kernel-memory", required_argument, NULL, OPT_KERNEL_MEMORY },
	{ "kernel-memory-tcp", required_argument, NULL, OPT_KERNEL_MEMORY_TCP },
	{ "cpu-quota", required_argument, NULL, OPT_CPU_QUOTA },
	{ "cpu-period", required_argument, NULL, OPT_CPU_PERIOD },
	{ "cpu-share", required_argument, NULL, OPT_CPU_SHARE },
	{ "cpu-rt-period", required_argument, NULL, OPT_CPU_RT_PERIOD },
	{ "cpu-rt-runtime", required_argument, NULL, OPT_CPU_RT_RUNTIME },
	{ "cpuset-cpus", required_argument, NULL, OPT_CPUSET_CPUS },
	{ "cpuset-mems", required_argument, NULL, OPT_CPUSET_MEMS },
	{ "pids-limit", required_argument, NULL, OPT_PIDS_LIMIT },
	{ "blkio-weight", required_argument, NULL, OPT_BLKIO_WEIGHT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *option_name(int val)
{
	for (const struct option *o = update_options; o->name; o++)
		if (o->val == val)
			return o->name;
	return "?";
}

/* A size, or -1 (runc takes "-1" before RAMInBytes, which knows no sign). */
static int parse_size(const char *name, const char *arg, int64_t *ret, struct nb_error *err)
{
	int r;

	if (nb_streq(arg, "-1")) {
		*ret = -1;
		return 0;
	}
	r = nb_res_parse_size(arg, ret);
	if (r == -ERANGE)
		return nb_error_usage(err, "update: --%s '%s': too large", name, arg);
	if (r < 0)
		return nb_error_usage(err, "update: --%s '%s': invalid size (a number of bytes, with "
				      "an optional unit k, m, g, t or p), or -1", name, arg);
	return 0;
}

/* A whole decimal number, signed or not, in the int64 range. */
static int parse_number(const char *name, const char *arg, bool is_signed, int64_t *ret,
			struct nb_error *err)
{
	char *end;

	if (!*arg || !(isdigit((unsigned char)arg[0]) || (is_signed && arg[0] == '-' &&
							     isdigit((unsigned char)arg[1]))))
		return nb_error_usage(err, "update: --%s '%s': must be %s", name, arg,
				      is_signed ? "an integer" : "a non-negative integer");
	errno = 0;
	*ret = strtoll(arg, &end, 10);
	if (*end)
		return nb_error_usage(err, "update: --%s '%s': must be %s", name, arg,
				      is_signed ? "an integer" : "a non-negative integer");
	if (errno == ERANGE)
		return nb_error_usage(err, "update: --%s '%s': out of range", name, arg);
	return 0;
}

static int parse_list(const char *name, const char *arg, char **field, struct nb_error *err)
{
	const char *why = NULL;
	char *copy;

	if (nb_cpuset_list_check(arg, &why) < 0)
		return nb_error_usage(err, "update: --%s '%s': %s", name, arg, why);
	copy = strdup(arg);
	if (!copy)
		return nb_error_set(err, ENOMEM, "out of memory");
	free(*field);
	*field = copy;
	return 0;
}

/* The field of a number flag, and whether it is signed. */
static int64_t *number_field(struct nb_resources *r, int opt, bool *is_signed)
{
	*is_signed = opt == OPT_CPU_QUOTA || opt == OPT_CPU_RT_RUNTIME || opt == OPT_PIDS_LIMIT;
	switch (opt) {
	case OPT_CPU_QUOTA: return &r->cpu_quota;
	case OPT_CPU_PERIOD: return &r->cpu_period;
	case OPT_CPU_SHARE: return &r->cpu_shares;
	case OPT_CPU_RT_PERIOD: return &r->cpu_realtime_period;
	case OPT_CPU_RT_RUNTIME: return &r->cpu_realtime_runtime;
	case OPT_PIDS_LIMIT: return &r->pids_limit;
	case OPT_BLKIO_WEIGHT: return &r->blkio_weight;
	default: return NULL;
	}
}

static int64_t *size_field(struct nb_resources *r, int opt)
{
	switch (opt) {
	case OPT_MEMORY: return &r->memory_limit;
	case OPT_MEMORY_SWAP: return &r->memory_swap;
	case OPT_MEMORY_RESERVATION: return &r->memory_reservation;
	case OPT_KERNEL_MEMORY: return &r->memory_kernel;
	case OPT_KERNEL_MEMORY_TCP: return &r->memory_kernel_tcp;
	default: return NULL;
	}
}

static int parse_limit(struct nb_resources *r, int opt, const char *arg, struct nb_error *err)
{
	const char *name = option_name(opt);
	int64_t *field = size_field(r, opt);
	bool is_signed;

	if (field)
		return parse_size(name, arg, field, err);
	if (opt == OPT_CPUSET_CPUS)
		return parse_list(name, arg, &r->cpuset_cpus, err);
	if (opt == OPT_CPUSET_MEMS)
		return parse_list(name, arg, &r->cpuset_mems, err);
	field = number_field(r, opt, &is_signed);
	if (!field)
		return nb_error_usage(err, "update: internal: unhandled option %d", opt);
	if (parse_number(name, arg, is_signed, field, err) < 0)
		return -EINVAL;
	/* runc: 0 or below is no limit. */
	if (opt == OPT_PIDS_LIMIT && *field <= 0)
		*field = -1;
	return 0;
}

/* The model's own check, in the words of the flag that was just read. */
static int check_flag(const struct nb_resources *r, int opt, const char *arg, struct nb_error *err)
{
	struct nb_error e;
	const char *msg;

	if (nb_resources_check(r, NULL, &e) >= 0)
		return 0;
	msg = strstr(e.msg, ": ");
	return nb_error_usage(err, "update: --%s '%s': %s", option_name(opt), arg,
			      msg ? msg + 2 : e.msg);
}

/* getopt sets optopt to a long option's value when its value is missing or
 * it got one it takes none of, and to 0 (long) or the letter (short) when
 * the option is unknown. */
static int unknown_option(char *const argv[], struct nb_error *err)
{
	for (const struct option *o = update_options; o->name; o++)
		if (optopt && o->val == optopt)
			return nb_error_usage(err, o->has_arg == required_argument ?
					      "update: option '--%s' needs a value" :
					      "update: option '--%s' takes no value", o->name);
	if (optopt)
		return nb_error_usage(err, "update: unknown option '-%c'", optopt);
	return nb_error_usage(err, "update: unknown option '%s'", argv[optind - 1]);
}

int nb_update_parse_args(int argc, char *const argv[], struct nb_resources *ret,
			 const char **ret_resources_file, struct nb_error *err)
{
	const char *first_flag = NULL;
	int opt;

	nb_resources_init(ret);
	*ret_resources_file = NULL;
	opterr = 0;
	optind = 0;
	/* "+": the options come before the container id, as with runc. */
	while ((opt = getopt_long(argc, argv, "+hr:", update_options, NULL)) != -1) {
		if (opt == 'h')
			return 0;
		if (opt == '?')
			return unknown_option(argv, err);
		if (opt == 'r') {
			*ret_resources_file = optarg;
			continue;
		}
		if (!*optarg)
			return nb_error_usage(err, "update: --%s: empty value", option_name(opt));
		if (parse_limit(ret, opt, optarg, err) < 0 || check_flag(ret, opt, optarg, err) < 0)
			return -EINVAL;
		if (!first_flag)
			first_flag = option_name(opt);
		ret->set = true;
	}
	/* runc ignores every other flag with --resources; a limit asked for
	 * and not applied is worse than an error. */
	if (*ret_resources_file && first_flag)
		return nb_error_usage(err, "update: --%s cannot be combined with --resources (its file "
				      "gives every limit)", first_flag);
	if (*ret_resources_file && !**ret_resources_file)
		return nb_error_usage(err, "update: --resources: expected a file, or '-' for the "
				      "standard input");
	return optind;
}
