/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nb_resources_check(): the values of a resource model that the kernel
 * would refuse, or take and silently round, each named by its field. The
 * bounds are the kernel's (cpu period 1 ms to 1 s, quota at least 1 ms,
 * shares 2 to 262144, blkio weights 10 to 1000) and runc's wording where
 * runc has one.
 */
#include "spec/resources.h"
#include "base/cleanup.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define PATH_MAX_LEN 256

struct check {
	const struct nb_resources *r;
	const char *what;
	struct nb_error *err;
};

/* "WHAT.FIELD: MESSAGE" (or "FIELD: MESSAGE"); returns -EINVAL. */
static int bad(const struct check *c, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int bad(const struct check *c, const char *field, const char *fmt, ...)
{
	char msg[NB_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->what && *c->what)
		return nb_error_set(c->err, EINVAL, "%s.%s: %s", c->what, field, msg);
	return nb_error_set(c->err, EINVAL, "%s: %s", field, msg);
}

static const char *indexed(char *buf, const char *list, size_t i, const char *field)
{
	snprintf(buf, PATH_MAX_LEN, "%s[%zu]%s%s", list, i, field ? "." : "", field ? field : "");
	return buf;
}

static bool has(int64_t v)
{
	return v != NB_RES_UNSET;
}

static bool given(int64_t v)
{
	return v != NB_RES_UNSET && v != 0;
}

/* Bytes, or -1 for unlimited. */
static int bytes(const struct check *c, const char *field, int64_t v)
{
	if (has(v) && v < -1)
		return bad(c, field, "must be -1 (unlimited) or a number of bytes, not %" PRId64, v);
	return 0;
}

static int flag(const struct check *c, const char *field, int64_t v)
{
	if (has(v) && v != 0 && v != 1)
		return bad(c, field, "must be 0 or 1, not %" PRId64, v);
	return 0;
}

static int range(const struct check *c, const char *field, int64_t v, int64_t lo, int64_t hi)
{
	if (given(v) && (v < lo || v > hi))
		return bad(c, field, "must be from %" PRId64 " to %" PRId64 ", not %" PRId64, lo, hi, v);
	return 0;
}

static int check_memory(const struct check *c)
{
	const struct nb_resources *r = c->r;
	int e = bytes(c, "memory.limit", r->memory_limit);

	if (e >= 0)
		e = bytes(c, "memory.reservation", r->memory_reservation);
	if (e >= 0)
		e = bytes(c, "memory.swap", r->memory_swap);
	if (e >= 0)
		e = bytes(c, "memory.kernel", r->memory_kernel);
	if (e >= 0)
		e = bytes(c, "memory.kernelTCP", r->memory_kernel_tcp);
	if (e >= 0 && r->memory_swap > 0 && r->memory_limit > 0 && r->memory_swap < r->memory_limit)
		e = bad(c, "memory.swap", "memory+swap limit should be >= memory limit (%" PRId64
			" < %" PRId64 ")", r->memory_swap, r->memory_limit);
	if (e >= 0 && has(r->memory_swappiness) &&
	    (r->memory_swappiness < 0 || r->memory_swappiness > 100))
		e = bad(c, "memory.swappiness", "must be from 0 to 100, not %" PRId64,
			r->memory_swappiness);
	if (e >= 0)
		e = flag(c, "memory.disableOOMKiller", r->memory_disable_oom_killer);
	if (e >= 0)
		e = flag(c, "memory.useHierarchy", r->memory_use_hierarchy);
	if (e >= 0)
		e = flag(c, "memory.checkBeforeUpdate", r->memory_check_before_update);
	return e;
}

static int check_cpu_bandwidth(const struct check *c)
{
	const struct nb_resources *r = c->r;

	if (has(r->cpu_quota) && r->cpu_quota != 0 && r->cpu_quota != -1 && r->cpu_quota < 1000)
		return bad(c, "cpu.quota", "must be -1 (unlimited) or at least 1000 microseconds, "
			   "not %" PRId64, r->cpu_quota);
	if (given(r->cpu_period) && (r->cpu_period < 1000 || r->cpu_period > 1000000))
		return bad(c, "cpu.period", "must be from 1000 to 1000000 microseconds, not %" PRId64,
			   r->cpu_period);
	if (has(r->cpu_burst) && r->cpu_burst < 0)
		return bad(c, "cpu.burst", "must be a number of microseconds, not %" PRId64, r->cpu_burst);
	if (has(r->cpu_burst) && r->cpu_quota > 0 && r->cpu_burst > r->cpu_quota)
		return bad(c, "cpu.burst", "must not exceed cpu.quota (%" PRId64 " > %" PRId64 ")",
			   r->cpu_burst, r->cpu_quota);
	if (has(r->cpu_realtime_runtime) && r->cpu_realtime_runtime < -1)
		return bad(c, "cpu.realtimeRuntime", "must be -1 (unlimited) or a number of "
			   "microseconds, not %" PRId64, r->cpu_realtime_runtime);
	if (has(r->cpu_realtime_period) && r->cpu_realtime_period < 0)
		return bad(c, "cpu.realtimePeriod", "must be a number of microseconds, not %" PRId64,
			   r->cpu_realtime_period);
	if (given(r->cpu_realtime_period) && r->cpu_realtime_runtime > r->cpu_realtime_period)
		return bad(c, "cpu.realtimeRuntime", "must not exceed cpu.realtimePeriod (%" PRId64
			   " > %" PRId64 ")", r->cpu_realtime_runtime, r->cpu_realtime_period);
	return 0;
}

static int check_cpu(const struct check *c)
{
	const struct nb_resources *r = c->r;
	const char *why = NULL;
	int e = 0;

	/* runc's words, from reading cpu.shares back after the kernel clamped it. */
	if (has(r->cpu_shares) && r->cpu_shares != 0 && r->cpu_shares < 2)
		return bad(c, "cpu.shares", "the minimum allowed cpu-shares is 2");
	if (has(r->cpu_shares) && r->cpu_shares > 262144)
		return bad(c, "cpu.shares", "the maximum allowed cpu-shares is 262144");
	if (has(r->cpu_weight) && (r->cpu_weight < 1 || r->cpu_weight > 10000))
		return bad(c, "cpu.weight", "must be from 1 to 10000, not %" PRId64, r->cpu_weight);
	if (given(r->cpu_shares) && has(r->cpu_weight))
		return bad(c, "cpu.shares", "not both cpu shares and a cpu weight");
	e = check_cpu_bandwidth(c);
	if (e >= 0)
		e = flag(c, "cpu.idle", r->cpu_idle);
	/* The kernel refuses a weight for an idle group (sched_group_set_shares). */
	if (e >= 0 && r->cpu_idle == 1 && (given(r->cpu_shares) || has(r->cpu_weight)))
		e = bad(c, "cpu.idle", "an idle cgroup takes no cpu shares or weight");
	if (e >= 0 && r->cpuset_cpus && nb_cpuset_list_check(r->cpuset_cpus, &why) < 0)
		e = bad(c, "cpu.cpus", "'%s': %s", r->cpuset_cpus, why);
	if (e >= 0 && r->cpuset_mems && nb_cpuset_list_check(r->cpuset_mems, &why) < 0)
		e = bad(c, "cpu.mems", "'%s': %s", r->cpuset_mems, why);
	/* pids.max takes up to PID_MAX_LIMIT (4194304 on 64-bit). */
	if (e >= 0 && has(r->pids_limit) && r->pids_limit != -1 &&
	    (r->pids_limit < 1 || r->pids_limit > 4194304))
		e = bad(c, "pids.limit", "must be -1 (unlimited) or from 1 to 4194304, not %" PRId64,
			r->pids_limit);
	return e;
}

/* A block device's numbers, and no device twice in one list. */
static int blkio_device(const struct check *c, const char *list, const struct nb_blkio_device *d,
			size_t n, size_t i)
{
	char path[PATH_MAX_LEN];

	if (d[i].major < 0 || d[i].major > UINT32_MAX)
		return bad(c, indexed(path, list, i, "major"), "must be from 0 to 4294967295");
	if (d[i].minor < 0 || d[i].minor > UINT32_MAX)
		return bad(c, indexed(path, list, i, "minor"), "must be from 0 to 4294967295");
	for (size_t j = 0; j < i && j < n; j++)
		if (d[j].major == d[i].major && d[j].minor == d[i].minor)
			return bad(c, indexed(path, list, i, NULL), "device %" PRId64 ":%" PRId64
				   " is listed twice", d[i].major, d[i].minor);
	return 0;
}

static int check_blkio(const struct check *c)
{
	static const char *const lists[NB_THROTTLE_COUNT] = {
		"blockIO.throttleReadBpsDevice", "blockIO.throttleWriteBpsDevice",
		"blockIO.throttleReadIOPSDevice", "blockIO.throttleWriteIOPSDevice",
	};
	const struct nb_resources *r = c->r;
	char path[PATH_MAX_LEN];
	int e = range(c, "blockIO.weight", r->blkio_weight, 10, 1000);

	if (e >= 0)
		e = range(c, "blockIO.leafWeight", r->blkio_leaf_weight, 10, 1000);
	if (e >= 0 && has(r->io_weight) && (r->io_weight < 1 || r->io_weight > 10000))
		e = bad(c, "io.weight", "must be from 1 to 10000, not %" PRId64, r->io_weight);
	if (e >= 0 && given(r->blkio_weight) && has(r->io_weight))
		e = bad(c, "blockIO.weight", "not both a blkio weight and an io weight");
	for (size_t i = 0; e >= 0 && i < r->n_blkio_weight_devices; i++) {
		const struct nb_blkio_device *d = &r->blkio_weight_devices[i];

		e = blkio_device(c, "blockIO.weightDevice", r->blkio_weight_devices,
				 r->n_blkio_weight_devices, i);
		if (e >= 0)
			e = range(c, indexed(path, "blockIO.weightDevice", i, "weight"), d->weight,
				  10, 1000);
		if (e >= 0)
			e = range(c, indexed(path, "blockIO.weightDevice", i, "leafWeight"),
				  d->leaf_weight, 10, 1000);
	}
	for (int t = 0; e >= 0 && t < NB_THROTTLE_COUNT; t++)
		for (size_t i = 0; e >= 0 && i < r->n_blkio_throttle[t]; i++) {
			e = blkio_device(c, lists[t], r->blkio_throttle[t], r->n_blkio_throttle[t], i);
			if (e >= 0 && r->blkio_throttle[t][i].rate < 0)
				e = bad(c, indexed(path, lists[t], i, "rate"), "must not be negative");
		}
	return e;
}

/* "2MB", "1GB", "64KB": the kernel's names (mem_fmt: KB, MB, GB). */
static bool pagesize_ok(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n > 0 && n < 8 && s[0] != '0' &&
	       (nb_streq(s + n, "KB") || nb_streq(s + n, "MB") || nb_streq(s + n, "GB"));
}

/* A name without space, '/' or control characters (rdma devices, interfaces). */
static bool plain_name(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max || nb_streq(s, ".") || nb_streq(s, ".."))
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == '/' || *s == 0x7f)
			return false;
	return true;
}

static int check_named(const struct check *c)
{
	const struct nb_resources *r = c->r;
	char path[PATH_MAX_LEN];

	for (size_t i = 0; i < r->n_hugepages; i++) {
		const char *ps = r->hugepages[i].pagesize;

		if (!pagesize_ok(ps))
			return bad(c, indexed(path, "hugepageLimits", i, "pageSize"),
				   "'%s' is not a huge page size such as 2MB or 1GB", ps);
		if (r->hugepages[i].limit < 0)
			return bad(c, indexed(path, "hugepageLimits", i, "limit"), "must not be negative");
		for (size_t j = 0; j < i; j++)
			if (nb_streq(r->hugepages[j].pagesize, ps))
				return bad(c, indexed(path, "hugepageLimits", i, "pageSize"),
					   "'%s' is listed twice", ps);
	}
	for (size_t i = 0; i < r->n_rdma; i++)
		if (!plain_name(r->rdma[i].device, 64))
			return bad(c, "rdma", "'%s' is not a device name", r->rdma[i].device);
	if (has(r->net_class_id) && (r->net_class_id < 0 || r->net_class_id > UINT32_MAX))
		return bad(c, "network.classID", "must be from 0 to 4294967295");
	for (size_t i = 0; i < r->n_net_priorities; i++) {
		const char *name = r->net_priorities[i].name;

		/* IFNAMSIZ - 1, and no ':' (an alias) or '/'. */
		if (!plain_name(name, 15) || strchr(name, ':'))
			return bad(c, indexed(path, "network.priorities", i, "name"),
				   "'%s' is not an interface name", name);
		for (size_t j = 0; j < i; j++)
			if (nb_streq(r->net_priorities[j].name, name))
				return bad(c, indexed(path, "network.priorities", i, "name"),
					   "'%s' is listed twice", name);
	}
	return 0;
}

static int check_devices(const struct check *c)
{
	const struct nb_resources *r = c->r;
	char path[PATH_MAX_LEN];

	for (size_t i = 0; i < r->n_devices; i++) {
		const struct nb_device_rule *d = &r->devices[i];

		if (d->type != 'a' && d->type != 'b' && d->type != 'c')
			return bad(c, indexed(path, "devices", i, "type"), "must be a, b or c");
		if (d->major < -1 || d->minor < -1)
			return bad(c, indexed(path, "devices", i, d->major < -1 ? "major" : "minor"),
				   "must be a device number, or absent for any");
		if (!d->access[0] || d->access[strspn(d->access, "rwm")] != '\0')
			return bad(c, indexed(path, "devices", i, "access"),
				   "must be made of r, w and m");
	}
	return 0;
}

/* A file of the container's own cgroup directory that holds a limit. */
static int check_unified(const struct check *c)
{
	static const char *const not_limits[] = { "cgroup.procs", "cgroup.threads", "cgroup.kill" };
	const struct nb_strv *u = &c->r->unified;

	for (size_t i = 0; i < u->len; i++) {
		const char *kv = u->items[i];
		int n = (int)strcspn(kv, "=");
		enum nb_cg_controller ctl;
		_cleanup_free_ char *key = strndup(kv, (size_t)n);

		if (!key)
			return nb_error_set(c->err, ENOMEM, "out of memory");
		if (!plain_name(key, 255))
			return bad(c, "unified", "'%s' is not a cgroup file name", key);
		ctl = nb_cg_unified_controller(key);
		if (ctl == NB_CG_COUNT || !strchr(key, '.')[1])
			return bad(c, "unified", "'%s': not a file of a known cgroup v2 controller "
				   "(cgroup, cpu, cpuset, io, memory, pids, hugetlb, rdma, misc)", key);
		for (size_t j = 0; j < NB_ARRAY_SIZE(not_limits); j++)
			if (nb_streq(key, not_limits[j]))
				return bad(c, "unified", "'%s' moves or kills processes: not a resource",
					   key);
	}
	return 0;
}

int nb_resources_check(const struct nb_resources *r, const char *what, struct nb_error *err)
{
	struct check c = { .r = r, .what = what, .err = err };
	int e = check_memory(&c);

	if (e >= 0)
		e = check_cpu(&c);
	if (e >= 0)
		e = check_blkio(&c);
	if (e >= 0)
		e = check_named(&c);
	if (e >= 0)
		e = check_devices(&c);
	if (e >= 0)
		e = check_unified(&c);
	return e;
}
