/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A resource model as the writes of a cgroup v1 hierarchy or of cgroup v2,
 * as runc 1.1's libcontainer/cgroups/fs (v1) and fs2 (v2) make them: the
 * same files, values, conversions and order. Where runc silently drops a
 * limit that a layout cannot express, this refuses it (kernel memory,
 * ignored by runc and deprecated by the kernel, is a warning).
 */
#include "spec/resources.h"
#include "base/cleanup.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wctx {
	const struct nb_resources *r;
	const char *what;
	struct nb_cg_writes *out;
	struct nb_error *err;
};

static bool has(int64_t v)
{
	return v != NB_RES_UNSET;
}

/* Given, and not the 0 that runc reads as "leave it". */
static bool given(int64_t v)
{
	return v != NB_RES_UNSET && v != 0;
}

static int oom(struct wctx *w)
{
	return nb_error_set(w->err, ENOMEM, "out of memory");
}

static int add(struct wctx *w, enum nb_cg_controller ctrl, const char *file, unsigned flags,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int add(struct wctx *w, enum nb_cg_controller ctrl, const char *file, unsigned flags,
	       const char *fmt, ...)
{
	struct nb_cg_writes *o = w->out;
	struct nb_cg_write *grown = realloc(o->w, (o->n + 1) * sizeof(*grown));
	struct nb_cg_write *nw;
	va_list ap;
	int n;

	if (!grown)
		return oom(w);
	o->w = grown;
	nw = &o->w[o->n];
	*nw = (struct nb_cg_write){ .ctrl = ctrl, .flags = flags, .file = strdup(file) };
	va_start(ap, fmt);
	n = vasprintf(&nw->value, fmt, ap);
	va_end(ap);
	if (n < 0 || !nw->file) {
		free(nw->file);
		return oom(w);
	}
	o->n++;
	return 0;
}

/* A number, or "max" for -1 (v2's .max, .low and pids files). */
static int add_max(struct wctx *w, enum nb_cg_controller ctrl, const char *file, unsigned flags,
		   int64_t v)
{
	if (v == -1)
		return add(w, ctrl, file, flags, "max");
	return add(w, ctrl, file, flags, "%" PRId64, v);
}

static int add_int(struct wctx *w, enum nb_cg_controller ctrl, const char *file, unsigned flags,
		   int64_t v)
{
	return add(w, ctrl, file, flags, "%" PRId64, v);
}

static void field_path(char *buf, size_t size, const struct wctx *w, const char *field)
{
	if (w->what && *w->what)
		snprintf(buf, size, "%s.%s", w->what, field);
	else
		snprintf(buf, size, "%s", field);
}

static int refuse(struct wctx *w, const char *field, const char *msg)
{
	char path[256];

	field_path(path, sizeof(path), w, field);
	return nb_error_set(w->err, EINVAL, "%s: %s", path, msg);
}

static int warn(struct wctx *w, const char *field, const char *msg)
{
	_cleanup_free_ char *line = NULL;
	char path[256];

	field_path(path, sizeof(path), w, field);
	if (asprintf(&line, "%s: %s", path, msg) < 0)
		return oom(w);
	for (size_t i = 0; i < w->out->warnings.len; i++)
		if (nb_streq(w->out->warnings.items[i], line))
			return 0;
	return nb_strv_push(&w->out->warnings, line) < 0 ? oom(w) : 0;
}

static int warn_kernel_memory(struct wctx *w)
{
	static const char msg[] = "ignored: kernel memory limits are deprecated by the kernel "
				  "and ignored by runc";
	int e = 0;

	if (given(w->r->memory_kernel))
		e = warn(w, "memory.kernel", msg);
	if (e >= 0 && given(w->r->memory_kernel_tcp))
		e = warn(w, "memory.kernelTCP", msg);
	return e;
}

static int add_pids(struct wctx *w)
{
	/* runc: a limit of 0 or below is "max". */
	if (!has(w->r->pids_limit))
		return 0;
	return add_max(w, NB_CG_PIDS, "pids.max", 0, w->r->pids_limit > 0 ? w->r->pids_limit : -1);
}

static int add_cpuset(struct wctx *w)
{
	int e = 0;

	if (w->r->cpuset_cpus)
		e = add(w, NB_CG_CPUSET, "cpuset.cpus", 0, "%s", w->r->cpuset_cpus);
	if (e >= 0 && w->r->cpuset_mems)
		e = add(w, NB_CG_CPUSET, "cpuset.mems", 0, "%s", w->r->cpuset_mems);
	return e;
}

/* rdma.max, one device a write: "mlx5_1 hca_handle=3 hca_object=100". */
static int add_rdma(struct wctx *w)
{
	for (size_t i = 0; i < w->r->n_rdma; i++) {
		const struct nb_rdma_limit *l = &w->r->rdma[i];
		char handles[48] = "", objects[48] = "";
		int e;

		if (!has(l->hca_handles) && !has(l->hca_objects))
			continue;
		if (has(l->hca_handles))
			snprintf(handles, sizeof(handles), " hca_handle=%" PRId64, l->hca_handles);
		if (has(l->hca_objects))
			snprintf(objects, sizeof(objects), " hca_object=%" PRId64, l->hca_objects);
		e = add(w, NB_CG_RDMA, "rdma.max", 0, "%s%s%s", l->device, handles, objects);
		if (e < 0)
			return e;
	}
	return 0;
}

static int add_hugetlb(struct wctx *w, const char *suffix)
{
	for (size_t i = 0; i < w->r->n_hugepages; i++) {
		char file[64];
		int e;

		snprintf(file, sizeof(file), "hugetlb.%s.%s", w->r->hugepages[i].pagesize, suffix);
		e = add_int(w, NB_CG_HUGETLB, file, 0, w->r->hugepages[i].limit);
		if (e < 0)
			return e;
	}
	return 0;
}

/* ---- cgroup v2 (runc's fs2) ---- */

static int v2_refuse(struct wctx *w)
{
	const struct nb_resources *r = w->r;

	if (has(r->memory_swappiness))
		return refuse(w, "memory.swappiness", "cgroup v2 has no per-cgroup swappiness");
	if (r->memory_disable_oom_killer == 1)
		return refuse(w, "memory.disableOOMKiller", "cgroup v2 cannot disable the OOM killer");
	if (r->memory_use_hierarchy == 0)
		return refuse(w, "memory.useHierarchy", "cgroup v2 is always hierarchical");
	if (given(r->cpu_realtime_runtime))
		return refuse(w, "cpu.realtimeRuntime", "cgroup v2 has no real-time cpu bandwidth");
	if (given(r->cpu_realtime_period))
		return refuse(w, "cpu.realtimePeriod", "cgroup v2 has no real-time cpu bandwidth");
	if (given(r->net_class_id))
		return refuse(w, "network.classID", "net_cls is a cgroup v1 controller");
	if (r->n_net_priorities)
		return refuse(w, "network.priorities", "net_prio is a cgroup v1 controller");
	if (given(r->blkio_leaf_weight))
		return refuse(w, "blockIO.leafWeight", "cgroup v2 has no leaf weight");
	for (size_t i = 0; i < r->n_blkio_weight_devices; i++)
		if (given(r->blkio_weight_devices[i].leaf_weight)) {
			char field[64];

			snprintf(field, sizeof(field), "blockIO.weightDevice[%zu].leafWeight", i);
			return refuse(w, field, "cgroup v2 has no leaf weight");
		}
	return 0;
}

/* memory.swap.max, memory.max, memory.low, in runc's order. */
static int v2_memory(struct wctx *w)
{
	const struct nb_resources *r = w->r;
	const char *why = NULL;
	int64_t swap;
	int e = 0;

	if (given(r->memory_swap) || r->memory_limit == -1) {
		if (nb_cg_swap_to_v2(r->memory_swap, r->memory_limit, &swap, &why) < 0)
			return refuse(w, "memory.swap", why);
		/* Without swap accounting the file is missing, and swap off or
		 * unlimited is then what there is (runc 1.2). */
		if (swap == -1)
			e = add(w, NB_CG_MEMORY, "memory.swap.max", NB_CGW_IF_EXISTS, "max");
		else if (swap == 0)
			e = add(w, NB_CG_MEMORY, "memory.swap.max", NB_CGW_IF_EXISTS, "0");
		else
			e = add_int(w, NB_CG_MEMORY, "memory.swap.max", 0, swap);
	}
	if (e >= 0 && given(r->memory_limit))
		e = add_max(w, NB_CG_MEMORY, "memory.max", 0, r->memory_limit);
	if (e >= 0 && given(r->memory_reservation))
		e = add_max(w, NB_CG_MEMORY, "memory.low", 0, r->memory_reservation);
	if (e >= 0)
		e = warn_kernel_memory(w);
	return e;
}

/* The weight in blkio's scale (10..1000, BFQ's) and in io.weight's. */
static void v2_weights(int64_t blkio, int64_t io, int64_t *ret_bfq, int64_t *ret_io)
{
	*ret_bfq = blkio != NB_RES_UNSET ? blkio : nb_cg_io_weight_to_blkio(io);
	*ret_io = blkio != NB_RES_UNSET ? nb_cg_blkio_to_io_weight(blkio) : io;
}

/* io.bfq.weight (runc's first choice, BFQ's own scale) or io.weight. */
static int v2_io_weight(struct wctx *w)
{
	const struct nb_resources *r = w->r;
	int64_t bfq, io;
	int e = 0;

	if (given(r->blkio_weight) || has(r->io_weight)) {
		v2_weights(given(r->blkio_weight) ? r->blkio_weight : NB_RES_UNSET, r->io_weight,
			   &bfq, &io);
		e = add_int(w, NB_CG_IO, "io.bfq.weight", NB_CGW_OR_NEXT, bfq);
		if (e >= 0)
			e = add_int(w, NB_CG_IO, "io.weight", 0, io);
	}
	for (size_t i = 0; e >= 0 && i < r->n_blkio_weight_devices; i++) {
		const struct nb_blkio_device *d = &r->blkio_weight_devices[i];

		if (!given(d->weight))
			continue;
		v2_weights(d->weight, NB_RES_UNSET, &bfq, &io);
		e = add(w, NB_CG_IO, "io.bfq.weight", NB_CGW_OR_NEXT, "%" PRId64 ":%" PRId64 " %" PRId64,
			d->major, d->minor, bfq);
		if (e >= 0)
			e = add(w, NB_CG_IO, "io.weight", 0, "%" PRId64 ":%" PRId64 " %" PRId64,
				d->major, d->minor, io);
	}
	return e;
}

/* Was the device of D seen in an earlier throttle list, or earlier in its own? */
static bool throttle_seen(const struct nb_resources *r, int t, size_t i)
{
	const struct nb_blkio_device *d = &r->blkio_throttle[t][i];

	for (int u = 0; u <= t; u++)
		for (size_t j = 0; j < (u == t ? i : r->n_blkio_throttle[u]); j++)
			if (r->blkio_throttle[u][j].major == d->major &&
			    r->blkio_throttle[u][j].minor == d->minor)
				return true;
	return false;
}

/* io.max, one write a device with all its limits; a rate of 0 (no
 * limit in v1's throttle files) is "max". */
static int v2_io_max(struct wctx *w)
{
	static const char *const keys[NB_THROTTLE_COUNT] = { "rbps", "wbps", "riops", "wiops" };
	const struct nb_resources *r = w->r;

	for (int t = 0; t < NB_THROTTLE_COUNT; t++)
		for (size_t i = 0; i < r->n_blkio_throttle[t]; i++) {
			const struct nb_blkio_device *d = &r->blkio_throttle[t][i];
			char line[256];
			int len, e;

			if (throttle_seen(r, t, i))
				continue;
			len = snprintf(line, sizeof(line), "%" PRId64 ":%" PRId64, d->major, d->minor);
			for (int u = t; u < NB_THROTTLE_COUNT; u++)
				for (size_t j = 0; j < r->n_blkio_throttle[u]; j++) {
					const struct nb_blkio_device *o = &r->blkio_throttle[u][j];

					if (o->major != d->major || o->minor != d->minor)
						continue;
					if (o->rate == 0)
						len += snprintf(line + len, sizeof(line) - (size_t)len,
								" %s=max", keys[u]);
					else
						len += snprintf(line + len, sizeof(line) - (size_t)len,
								" %s=%" PRId64, keys[u], o->rate);
					break;
				}
			e = add(w, NB_CG_IO, "io.max", 0, "%s", line);
			if (e < 0)
				return e;
		}
	return 0;
}

/* cpu.idle, cpu.weight, cpu.max.burst, cpu.max, in runc's order. */
static int v2_cpu(struct wctx *w)
{
	const struct nb_resources *r = w->r;
	bool max = given(r->cpu_quota) || given(r->cpu_period);
	unsigned burst_flags = (r->cpu_burst == 0 ? NB_CGW_IF_EXISTS : 0) | (max ? NB_CGW_TRY : 0);
	int e = 0;

	if (has(r->cpu_idle))
		e = add_int(w, NB_CG_CPU, "cpu.idle", r->cpu_idle == 0 ? NB_CGW_IF_EXISTS : 0,
			    r->cpu_idle);
	if (e >= 0 && given(r->cpu_shares))
		e = add_int(w, NB_CG_CPU, "cpu.weight", 0, nb_cg_shares_to_weight(r->cpu_shares));
	else if (e >= 0 && has(r->cpu_weight))
		e = add_int(w, NB_CG_CPU, "cpu.weight", 0, r->cpu_weight);
	/* A burst above the old quota is refused until cpu.max raises it. */
	if (e >= 0 && has(r->cpu_burst))
		e = add_int(w, NB_CG_CPU, "cpu.max.burst", burst_flags, r->cpu_burst);
	if (e >= 0 && max) {
		int64_t period = given(r->cpu_period) ? r->cpu_period : 100000;

		if (r->cpu_quota > 0)
			e = add(w, NB_CG_CPU, "cpu.max", 0, "%" PRId64 " %" PRId64, r->cpu_quota, period);
		else
			e = add(w, NB_CG_CPU, "cpu.max", 0, "max %" PRId64, period);
	}
	if (e >= 0 && has(r->cpu_burst) && max)
		e = add_int(w, NB_CG_CPU, "cpu.max.burst", NB_CGW_RETRY | (burst_flags & NB_CGW_IF_EXISTS),
			    r->cpu_burst);
	return e;
}

/* Remove writes [I, J) of OUT. */
static void remove_writes(struct nb_cg_writes *o, size_t i, size_t j)
{
	for (size_t k = i; k < j; k++) {
		free(o->w[k].file);
		free(o->w[k].value);
	}
	memmove(&o->w[i], &o->w[j], (o->n - j) * sizeof(*o->w));
	o->n -= j - i;
}

/* Remove the writes of FILE, with their alternatives; the index of the
 * first one removed, or OUT->n. */
static size_t remove_file(struct nb_cg_writes *o, const char *file)
{
	size_t first = SIZE_MAX;

	for (size_t i = 0; i < o->n;) {
		size_t a = i, b = i + 1;

		if (!nb_streq(o->w[i].file, file)) {
			i++;
			continue;
		}
		while (a > 0 && (o->w[a - 1].flags & NB_CGW_OR_NEXT))
			a--;
		while (b < o->n && (o->w[b - 1].flags & NB_CGW_OR_NEXT))
			b++;
		remove_writes(o, a, b);
		/* Later removals are further on: the first place stays valid. */
		if (first == SIZE_MAX)
			first = a;
		i = a;
	}
	return first == SIZE_MAX ? o->n : first;
}

/* Each unified key=value, in place of the derived writes of that file. */
static int v2_unified(struct wctx *w)
{
	struct nb_cg_writes *o = w->out;

	for (size_t i = 0; i < w->r->unified.len; i++) {
		const char *kv = w->r->unified.items[i];
		const char *eq = strchr(kv, '=');
		_cleanup_free_ char *key = strndup(kv, eq ? (size_t)(eq - kv) : strlen(kv));
		size_t at;
		int e;

		if (!key)
			return oom(w);
		at = remove_file(o, key);
		e = add(w, nb_cg_unified_controller(key), key, 0, "%s", eq ? eq + 1 : "");
		if (e < 0)
			return e;
		if (at < o->n - 1) {
			struct nb_cg_write last = o->w[o->n - 1];

			memmove(&o->w[at + 1], &o->w[at], (o->n - 1 - at) * sizeof(*o->w));
			o->w[at] = last;
		}
	}
	return 0;
}

static void writes_init(struct nb_cg_writes *out)
{
	*out = (struct nb_cg_writes){ 0 };
}

int nb_cg_writes_v2(const struct nb_resources *r, int64_t current_memory_limit, const char *what,
		    struct nb_cg_writes *out, struct nb_error *err)
{
	struct wctx w = { .r = r, .what = what, .out = out, .err = err };
	int e;

	(void)current_memory_limit;   /* v2's memory.max and memory.swap.max are independent */
	writes_init(out);
	e = v2_refuse(&w);
	if (e >= 0)
		e = add_pids(&w);
	if (e >= 0)
		e = v2_memory(&w);
	if (e >= 0)
		e = v2_io_weight(&w);
	if (e >= 0)
		e = v2_io_max(&w);
	if (e >= 0)
		e = v2_cpu(&w);
	if (e >= 0)
		e = add_cpuset(&w);
	if (e >= 0)
		e = add_hugetlb(&w, "max");
	if (e >= 0)
		e = add_rdma(&w);
	if (e >= 0)
		e = v2_unified(&w);
	return e;
}

void nb_cg_writes_free(struct nb_cg_writes *out)
{
	for (size_t i = 0; i < out->n; i++) {
		free(out->w[i].file);
		free(out->w[i].value);
	}
	free(out->w);
	nb_strv_free(&out->warnings);
	writes_init(out);
}

/* ---- cgroup v1 (runc's fs) ---- */

static void device_number(char *buf, size_t size, int64_t n)
{
	if (n < 0)
		snprintf(buf, size, "*");
	else
		snprintf(buf, size, "%" PRId64, n);
}

/* Does rule A cover every device rule B names (type, major, minor)? */
static bool dev_covers(const struct nb_device_rule *a, const struct nb_device_rule *b)
{
	return (a->type == 'a' || a->type == b->type) && (a->major < 0 || a->major == b->major) &&
	       (a->minor < 0 || a->minor == b->minor);
}

static bool dev_same(const struct nb_device_rule *a, const struct nb_device_rule *b)
{
	return a->type == b->type && a->major == b->major && a->minor == b->minor;
}

static bool dev_all(const struct nb_device_rule *d)
{
	return d->type == 'a' && d->major < 0 && d->minor < 0;
}

/* v1 keeps a default (allow or deny every device) and exceptions to it,
 * and removes an exception only where one was made with the same numbers:
 * a rule against the default inside a wildcard exception made before it
 * would be silently ignored by the kernel. Refuse it, as runc does
 * ("cannot punch hole in existing wildcard rule"). An "a *:*" rule sets
 * the default and clears the exceptions. */
static int v1_devices_check(struct wctx *w)
{
	const struct nb_resources *r = w->r;
	size_t start = 0;

	for (size_t i = 0; i < r->n_devices; i++) {
		const struct nb_device_rule *d = &r->devices[i];

		if (dev_all(d)) {
			start = i + 1;
			continue;
		}
		for (size_t k = start; k < i; k++) {
			const struct nb_device_rule *e = &r->devices[k];

			if (e->allow != d->allow && dev_covers(e, d) && !dev_same(e, d) &&
			    strpbrk(e->access, d->access)) {
				char field[64];

				snprintf(field, sizeof(field), "devices[%zu]", i);
				return refuse(w, field, "cgroup v1 cannot make an exception inside a wildcard "
					      "rule before it (cannot punch hole in an existing wildcard rule)");
			}
		}
	}
	return 0;
}

/* "a" to devices.deny, then each rule in order: "c 1:3 rwm", "c 136:* rwm". */
static int v1_devices(struct wctx *w)
{
	int e;

	if (!w->r->n_devices)
		return 0;
	e = v1_devices_check(w);
	if (e < 0)
		return e;
	e = add(w, NB_CG_DEVICES, "devices.deny", 0, "a");
	for (size_t i = 0; e >= 0 && i < w->r->n_devices; i++) {
		const struct nb_device_rule *d = &w->r->devices[i];
		char major[24], minor[24];

		device_number(major, sizeof(major), d->major);
		device_number(minor, sizeof(minor), d->minor);
		e = add(w, NB_CG_DEVICES, d->allow ? "devices.allow" : "devices.deny", 0, "%c %s:%s %s",
			d->type, major, minor, d->access);
	}
	return e;
}

/* runc's setMemoryAndSwap: the kernel keeps memsw >= limit at every step. */
static int v1_memory_and_swap(struct wctx *w, int64_t current)
{
	const struct nb_resources *r = w->r;
	int64_t limit = given(r->memory_limit) ? r->memory_limit : 0;
	int64_t swap = given(r->memory_swap) ? r->memory_swap : 0;
	unsigned swap_flags = 0;
	int e = 0;

	/* Memory unlimited and no swap value: swap unlimited too, where swap
	 * accounting exists. */
	if (limit == -1 && swap == 0) {
		swap = -1;
		swap_flags = NB_CGW_IF_EXISTS;
	}
	if (current == NB_RES_UNSET)
		current = INT64_MAX;   /* a fresh cgroup: unlimited */
	if (limit != 0 && swap != 0 && (swap == -1 || current < swap)) {
		e = add_int(w, NB_CG_MEMORY, "memory.memsw.limit_in_bytes", swap_flags, swap);
		if (e >= 0)
			e = add_int(w, NB_CG_MEMORY, "memory.limit_in_bytes", 0, limit);
		return e;
	}
	if (limit != 0)
		e = add_int(w, NB_CG_MEMORY, "memory.limit_in_bytes", 0, limit);
	if (e >= 0 && swap != 0)
		e = add_int(w, NB_CG_MEMORY, "memory.memsw.limit_in_bytes", swap_flags, swap);
	return e;
}

static int v1_memory(struct wctx *w, int64_t current)
{
	const struct nb_resources *r = w->r;
	int e = 0;

	if (has(r->memory_use_hierarchy))
		e = add_int(w, NB_CG_MEMORY, "memory.use_hierarchy", 0, r->memory_use_hierarchy);
	if (e >= 0)
		e = v1_memory_and_swap(w, current);
	if (e >= 0 && given(r->memory_reservation))
		e = add_int(w, NB_CG_MEMORY, "memory.soft_limit_in_bytes", 0, r->memory_reservation);
	if (e >= 0)
		e = warn_kernel_memory(w);
	if (e >= 0 && r->memory_disable_oom_killer == 1)
		e = add(w, NB_CG_MEMORY, "memory.oom_control", 0, "1");
	if (e >= 0 && has(r->memory_swappiness))
		e = add_int(w, NB_CG_MEMORY, "memory.swappiness", 0, r->memory_swappiness);
	return e;
}

/* cpu.shares, then the period, burst and quota (a period or burst the old
 * quota refuses is tried again after it), idle, then the real-time pair. */
static int v1_cpu(struct wctx *w)
{
	const struct nb_resources *r = w->r;
	bool quota = given(r->cpu_quota);
	unsigned burst_flags = r->cpu_burst == 0 ? NB_CGW_IF_EXISTS : 0;
	int e = 0;

	if (given(r->cpu_shares))
		e = add_int(w, NB_CG_CPU, "cpu.shares", 0, r->cpu_shares);
	else if (has(r->cpu_weight))
		e = add_int(w, NB_CG_CPU, "cpu.shares", 0, nb_cg_weight_to_shares(r->cpu_weight));
	if (e >= 0 && given(r->cpu_period))
		e = add_int(w, NB_CG_CPU, "cpu.cfs_period_us", quota ? NB_CGW_TRY : 0, r->cpu_period);
	if (e >= 0 && has(r->cpu_burst))
		e = add_int(w, NB_CG_CPU, "cpu.cfs_burst_us", burst_flags | (quota ? NB_CGW_TRY : 0),
			    r->cpu_burst);
	if (e >= 0 && quota)
		e = add_int(w, NB_CG_CPU, "cpu.cfs_quota_us", 0, r->cpu_quota);
	if (e >= 0 && quota && given(r->cpu_period))
		e = add_int(w, NB_CG_CPU, "cpu.cfs_period_us", NB_CGW_RETRY, r->cpu_period);
	if (e >= 0 && quota && has(r->cpu_burst))
		e = add_int(w, NB_CG_CPU, "cpu.cfs_burst_us", burst_flags | NB_CGW_RETRY, r->cpu_burst);
	if (e >= 0 && has(r->cpu_idle))
		e = add_int(w, NB_CG_CPU, "cpu.idle", r->cpu_idle == 0 ? NB_CGW_IF_EXISTS : 0,
			    r->cpu_idle);
	if (e >= 0 && given(r->cpu_realtime_period))
		e = add_int(w, NB_CG_CPU, "cpu.rt_period_us", 0, r->cpu_realtime_period);
	if (e >= 0 && given(r->cpu_realtime_runtime))
		e = add_int(w, NB_CG_CPU, "cpu.rt_runtime_us", 0, r->cpu_realtime_runtime);
	return e;
}

/* blkio.weight (CFQ) or blkio.bfq.weight, as runc picks the one that exists. */
static int v1_blkio_weights(struct wctx *w)
{
	const struct nb_resources *r = w->r;
	int64_t weight = given(r->blkio_weight) ? r->blkio_weight :
			 has(r->io_weight) ? nb_cg_io_weight_to_blkio(r->io_weight) : 0;
	int e = 0;

	if (weight) {
		e = add_int(w, NB_CG_IO, "blkio.weight", NB_CGW_OR_NEXT, weight);
		if (e >= 0)
			e = add_int(w, NB_CG_IO, "blkio.bfq.weight", 0, weight);
	}
	if (e >= 0 && given(r->blkio_leaf_weight))
		e = add_int(w, NB_CG_IO, "blkio.leaf_weight", 0, r->blkio_leaf_weight);
	for (size_t i = 0; e >= 0 && i < r->n_blkio_weight_devices; i++) {
		const struct nb_blkio_device *d = &r->blkio_weight_devices[i];

		if (given(d->weight)) {
			e = add(w, NB_CG_IO, "blkio.weight_device", NB_CGW_OR_NEXT,
				"%" PRId64 ":%" PRId64 " %" PRId64, d->major, d->minor, d->weight);
			if (e >= 0)
				e = add(w, NB_CG_IO, "blkio.bfq.weight_device", 0,
					"%" PRId64 ":%" PRId64 " %" PRId64, d->major, d->minor, d->weight);
		}
		if (e >= 0 && given(d->leaf_weight))
			e = add(w, NB_CG_IO, "blkio.leaf_weight_device", 0,
				"%" PRId64 ":%" PRId64 " %" PRId64, d->major, d->minor, d->leaf_weight);
	}
	return e;
}

static int v1_blkio(struct wctx *w)
{
	static const char *const files[NB_THROTTLE_COUNT] = {
		"blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device",
		"blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device",
	};
	const struct nb_resources *r = w->r;
	int e = v1_blkio_weights(w);

	for (int t = 0; e >= 0 && t < NB_THROTTLE_COUNT; t++)
		for (size_t i = 0; e >= 0 && i < r->n_blkio_throttle[t]; i++) {
			const struct nb_blkio_device *d = &r->blkio_throttle[t][i];

			e = add(w, NB_CG_IO, files[t], 0, "%" PRId64 ":%" PRId64 " %" PRId64,
				d->major, d->minor, d->rate);
		}
	return e;
}

static int v1_network(struct wctx *w)
{
	const struct nb_resources *r = w->r;
	int e = 0;

	if (given(r->net_class_id))
		e = add_int(w, NB_CG_NET_CLS, "net_cls.classid", 0, r->net_class_id);
	for (size_t i = 0; e >= 0 && i < r->n_net_priorities; i++)
		e = add(w, NB_CG_NET_PRIO, "net_prio.ifpriomap", 0, "%s %" PRId64,
			r->net_priorities[i].name, r->net_priorities[i].priority);
	return e;
}

int nb_cg_writes_v1(const struct nb_resources *r, int64_t current_memory_limit, const char *what,
		    struct nb_cg_writes *out, struct nb_error *err)
{
	struct wctx w = { .r = r, .what = what, .out = out, .err = err };
	int e = 0;

	writes_init(out);
	if (r->unified.len)
		e = refuse(&w, "unified", "needs cgroup v2");
	if (e >= 0)
		e = add_cpuset(&w);
	if (e >= 0)
		e = v1_devices(&w);
	if (e >= 0)
		e = v1_memory(&w, current_memory_limit);
	if (e >= 0)
		e = v1_cpu(&w);
	if (e >= 0)
		e = add_pids(&w);
	if (e >= 0)
		e = v1_blkio(&w);
	if (e >= 0)
		e = add_hugetlb(&w, "limit_in_bytes");
	if (e >= 0)
		e = v1_network(&w);
	if (e >= 0)
		e = add_rdma(&w);
	return e;
}
