/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The resource model: its life cycle, merge, runc's conversions and the
 * small parsers the front doors share. The checks are in
 * resources_check.c, the cgroup writes in cg_writes.c.
 */
#include "spec/resources.h"
#include "base/cleanup.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

void nb_resources_init(struct nb_resources *r)
{
	memset(r, 0, sizeof(*r));
	r->memory_limit = r->memory_reservation = r->memory_swap = NB_RES_UNSET;
	r->memory_kernel = r->memory_kernel_tcp = r->memory_swappiness = NB_RES_UNSET;
	r->memory_disable_oom_killer = r->memory_use_hierarchy = NB_RES_UNSET;
	r->memory_check_before_update = NB_RES_UNSET;
	r->cpu_shares = r->cpu_quota = r->cpu_period = r->cpu_burst = NB_RES_UNSET;
	r->cpu_weight = r->cpu_realtime_runtime = r->cpu_realtime_period = NB_RES_UNSET;
	r->cpu_idle = r->pids_limit = NB_RES_UNSET;
	r->blkio_weight = r->blkio_leaf_weight = r->io_weight = NB_RES_UNSET;
	r->net_class_id = NB_RES_UNSET;
}

static void free_named(struct nb_resources *r)
{
	for (size_t i = 0; i < r->n_hugepages; i++)
		free(r->hugepages[i].pagesize);
	free(r->hugepages);
	for (size_t i = 0; i < r->n_rdma; i++)
		free(r->rdma[i].device);
	free(r->rdma);
	for (size_t i = 0; i < r->n_net_priorities; i++)
		free(r->net_priorities[i].name);
	free(r->net_priorities);
}

void nb_resources_free(struct nb_resources *r)
{
	free(r->cpuset_cpus);
	free(r->cpuset_mems);
	free(r->blkio_weight_devices);
	for (int t = 0; t < NB_THROTTLE_COUNT; t++)
		free(r->blkio_throttle[t]);
	free_named(r);
	free(r->devices);
	nb_strv_free(&r->unified);
	nb_resources_init(r);
}

void nb_resources_drop_devices(struct nb_resources *r)
{
	free(r->devices);
	r->devices = NULL;
	r->n_devices = 0;
}

/* ---- merge ---- */

static int oom(struct nb_error *err)
{
	return nb_error_set(err, ENOMEM, "out of memory");
}

/* Replace *DST (N_DST items) by a copy of SRC (N items of SIZE bytes). */
static int copy_array(void *dst, size_t *n_dst, const void *src, size_t n, size_t size)
{
	void *copy = malloc(n * size);

	if (!copy)
		return -ENOMEM;
	memcpy(copy, src, n * size);
	free(*(void **)dst);
	*(void **)dst = copy;
	*n_dst = n;
	return 0;
}

static int copy_string(char **dst, const char *src)
{
	char *copy = strdup(src);

	if (!copy)
		return -ENOMEM;
	free(*dst);
	*dst = copy;
	return 0;
}

/* Copy SRC over *DST unless it is unset, or (LEAVE_ZERO) runc's "leave it" 0. */
static void merge_scalar(int64_t *dst, int64_t src, bool leave_zero)
{
	if (src != NB_RES_UNSET && !(leave_zero && src == 0))
		*dst = src;
}

static void merge_scalars(struct nb_resources *d, const struct nb_resources *s)
{
	/* Where 0 means "leave it" (resources.h), it does not replace a value. */
	int64_t *const leave_zero_dst[] = {
		&d->memory_limit, &d->memory_reservation, &d->memory_swap, &d->memory_kernel,
		&d->memory_kernel_tcp, &d->cpu_shares, &d->cpu_quota, &d->cpu_period,
		&d->cpu_realtime_runtime, &d->cpu_realtime_period, &d->blkio_weight,
		&d->blkio_leaf_weight, &d->net_class_id,
	};
	const int64_t leave_zero_src[] = {
		s->memory_limit, s->memory_reservation, s->memory_swap, s->memory_kernel,
		s->memory_kernel_tcp, s->cpu_shares, s->cpu_quota, s->cpu_period,
		s->cpu_realtime_runtime, s->cpu_realtime_period, s->blkio_weight,
		s->blkio_leaf_weight, s->net_class_id,
	};
	int64_t *const dst[] = {
		&d->memory_swappiness, &d->memory_disable_oom_killer, &d->memory_use_hierarchy,
		&d->memory_check_before_update, &d->cpu_burst, &d->cpu_weight, &d->cpu_idle,
		&d->pids_limit, &d->io_weight,
	};
	const int64_t src[] = {
		s->memory_swappiness, s->memory_disable_oom_killer, s->memory_use_hierarchy,
		s->memory_check_before_update, s->cpu_burst, s->cpu_weight, s->cpu_idle,
		s->pids_limit, s->io_weight,
	};

	_Static_assert(NB_ARRAY_SIZE(leave_zero_dst) == NB_ARRAY_SIZE(leave_zero_src), "merge lists");
	_Static_assert(NB_ARRAY_SIZE(dst) == NB_ARRAY_SIZE(src), "merge lists");
	for (size_t i = 0; i < NB_ARRAY_SIZE(leave_zero_dst); i++)
		merge_scalar(leave_zero_dst[i], leave_zero_src[i], true);
	for (size_t i = 0; i < NB_ARRAY_SIZE(dst); i++)
		merge_scalar(dst[i], src[i], false);
	/* Two scales of one knob: the one given last wins. */
	if (s->cpu_shares != NB_RES_UNSET && s->cpu_shares != 0)
		d->cpu_weight = NB_RES_UNSET;
	if (s->cpu_weight != NB_RES_UNSET)
		d->cpu_shares = NB_RES_UNSET;
	if (s->blkio_weight != NB_RES_UNSET && s->blkio_weight != 0)
		d->io_weight = NB_RES_UNSET;
	if (s->io_weight != NB_RES_UNSET)
		d->blkio_weight = NB_RES_UNSET;
}

static int merge_hugepages(struct nb_resources *d, const struct nb_resources *s)
{
	struct nb_hugepage_limit *h = calloc(s->n_hugepages, sizeof(*h));

	if (!h)
		return -ENOMEM;
	for (size_t i = 0; i < s->n_hugepages; i++) {
		h[i].limit = s->hugepages[i].limit;
		h[i].pagesize = strdup(s->hugepages[i].pagesize);
		if (!h[i].pagesize) {
			while (i-- > 0)
				free(h[i].pagesize);
			free(h);
			return -ENOMEM;
		}
	}
	for (size_t i = 0; i < d->n_hugepages; i++)
		free(d->hugepages[i].pagesize);
	free(d->hugepages);
	d->hugepages = h;
	d->n_hugepages = s->n_hugepages;
	return 0;
}

static int merge_rdma(struct nb_resources *d, const struct nb_resources *s)
{
	struct nb_rdma_limit *l = calloc(s->n_rdma, sizeof(*l));

	if (!l)
		return -ENOMEM;
	for (size_t i = 0; i < s->n_rdma; i++) {
		l[i] = s->rdma[i];
		l[i].device = strdup(s->rdma[i].device);
		if (!l[i].device) {
			while (i-- > 0)
				free(l[i].device);
			free(l);
			return -ENOMEM;
		}
	}
	for (size_t i = 0; i < d->n_rdma; i++)
		free(d->rdma[i].device);
	free(d->rdma);
	d->rdma = l;
	d->n_rdma = s->n_rdma;
	return 0;
}

static int merge_priorities(struct nb_resources *d, const struct nb_resources *s)
{
	struct nb_net_priority *p = calloc(s->n_net_priorities, sizeof(*p));

	if (!p)
		return -ENOMEM;
	for (size_t i = 0; i < s->n_net_priorities; i++) {
		p[i] = s->net_priorities[i];
		p[i].name = strdup(s->net_priorities[i].name);
		if (!p[i].name) {
			while (i-- > 0)
				free(p[i].name);
			free(p);
			return -ENOMEM;
		}
	}
	for (size_t i = 0; i < d->n_net_priorities; i++)
		free(d->net_priorities[i].name);
	free(d->net_priorities);
	d->net_priorities = p;
	d->n_net_priorities = s->n_net_priorities;
	return 0;
}

static int merge_lists(struct nb_resources *d, const struct nb_resources *s)
{
	int r = 0;

	if (s->cpuset_cpus)
		r = copy_string(&d->cpuset_cpus, s->cpuset_cpus);
	if (r >= 0 && s->cpuset_mems)
		r = copy_string(&d->cpuset_mems, s->cpuset_mems);
	if (r >= 0 && s->n_blkio_weight_devices)
		r = copy_array(&d->blkio_weight_devices, &d->n_blkio_weight_devices,
			       s->blkio_weight_devices, s->n_blkio_weight_devices,
			       sizeof(*s->blkio_weight_devices));
	for (int t = 0; r >= 0 && t < NB_THROTTLE_COUNT; t++)
		if (s->n_blkio_throttle[t])
			r = copy_array(&d->blkio_throttle[t], &d->n_blkio_throttle[t],
				       s->blkio_throttle[t], s->n_blkio_throttle[t],
				       sizeof(*s->blkio_throttle[t]));
	if (r >= 0 && s->n_hugepages)
		r = merge_hugepages(d, s);
	if (r >= 0 && s->n_rdma)
		r = merge_rdma(d, s);
	if (r >= 0 && s->n_net_priorities)
		r = merge_priorities(d, s);
	if (r >= 0 && s->n_devices)
		r = copy_array(&d->devices, &d->n_devices, s->devices, s->n_devices,
			       sizeof(*s->devices));
	for (size_t i = 0; r >= 0 && i < s->unified.len; i++)
		r = nb_strv_setenv(&d->unified, s->unified.items[i]);
	return r;
}

int nb_resources_merge(struct nb_resources *dst, const struct nb_resources *src, struct nb_error *err)
{
	merge_scalars(dst, src);
	dst->set |= src->set;
	return merge_lists(dst, src) < 0 ? oom(err) : 0;
}

/* ---- runc's conversions ---- */

int64_t nb_cg_shares_to_weight(int64_t shares)
{
	/* runc: 1 + ((shares - 2) * 9999) / 262142, 0 stays 0. */
	if (shares <= 0)
		return 0;
	if (shares < 2)
		return 1;
	return 1 + ((shares - 2) * 9999) / 262142;
}

int64_t nb_cg_blkio_to_io_weight(int64_t weight)
{
	/* runc: 1 + (weight - 10) * 9999 / 990, 0 stays 0. */
	if (weight <= 0)
		return 0;
	if (weight < 10)
		return 1;
	return 1 + (weight - 10) * 9999 / 990;
}

int64_t nb_cg_weight_to_shares(int64_t weight)
{
	if (weight <= 0)
		return 0;
	/* The least S with 1 + (S - 2) * 9999 / 262142 >= WEIGHT (== here). */
	return 2 + ((weight - 1) * 262142 + 9998) / 9999;
}

int64_t nb_cg_io_weight_to_blkio(int64_t weight)
{
	if (weight <= 0)
		return 0;
	/* The least B with 1 + (B - 10) * 9999 / 990 >= WEIGHT. */
	return 10 + ((weight - 1) * 990 + 9998) / 9999;
}

int nb_cg_swap_to_v2(int64_t swap, int64_t limit, int64_t *ret, const char **why)
{
	if (swap == NB_RES_UNSET)
		swap = 0;
	if (limit == NB_RES_UNSET)
		limit = 0;
	/* As runc 1.1: an unlimited memory without a swap value unlimits swap too. */
	if (limit == -1 && swap == 0) {
		*ret = -1;
		return 0;
	}
	if (swap == -1 || swap == 0) {
		*ret = swap;
		return 0;
	}
	if (limit == 0 || limit == -1) {
		*why = "unable to set swap limit without memory limit";
		return -EINVAL;
	}
	if (swap < limit) {
		*why = "memory+swap limit should be >= memory limit";
		return -EINVAL;
	}
	*ret = swap - limit;
	return 0;
}

/* ---- cpuset lists, sizes ---- */

/* A decimal number below 2^20 at *P, advancing it. */
static bool list_number(const char **p, long *ret)
{
	char *end;

	if (!isdigit((unsigned char)**p))
		return false;
	errno = 0;
	*ret = strtol(*p, &end, 10);
	if (errno || *ret >= (1L << 20))
		return false;
	*p = end;
	return true;
}

int nb_cpuset_list_check(const char *list, const char **why)
{
	const char *p = list;

	if (!*p) {
		*why = "empty list";
		return -EINVAL;
	}
	for (;;) {
		long lo, hi;

		if (!list_number(&p, &lo)) {
			*why = "expected a number below 1048576";
			return -EINVAL;
		}
		if (*p == '-') {
			p++;
			if (!list_number(&p, &hi)) {
				*why = "a range needs its last number";
				return -EINVAL;
			}
			if (hi < lo) {
				*why = "a range must go up";
				return -EINVAL;
			}
		}
		if (*p == '\0')
			return 0;
		if (*p != ',') {
			*why = "expected numbers and ranges (0-3) joined by commas";
			return -EINVAL;
		}
		p++;
	}
}

/* Powers of 1024 by the unit's letter. */
static int unit_shift(char c)
{
	switch (tolower((unsigned char)c)) {
	case 'k': return 10;
	case 'm': return 20;
	case 'g': return 30;
	case 't': return 40;
	case 'p': return 50;
	default: return -1;
	}
}

/* Digits at *P into *V (saturating at UINT64_MAX), their count returned. */
static size_t digits(const char **p, uint64_t *v)
{
	size_t n = 0;

	for (*v = 0; isdigit((unsigned char)**p); (*p)++, n++)
		*v = *v > (UINT64_MAX - 9) / 10 ? UINT64_MAX : *v * 10 + (uint64_t)(**p - '0');
	return n;
}

int nb_res_parse_size(const char *s, int64_t *ret)
{
	const char *p = s;
	uint64_t whole, frac = 0, scale = 1;
	size_t nfrac = 0;
	int shift = 0;
	unsigned __int128 v;

	if (digits(&p, &whole) == 0)
		return -EINVAL;
	if (*p == '.') {
		p++;
		/* go-units goes through a float64: 15 digits are all it keeps. */
		for (; isdigit((unsigned char)*p); p++, nfrac++)
			if (nfrac < 15) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				scale *= 10;
			}
		if (nfrac == 0)
			return -EINVAL;
	}
	if (*p == ' ')
		p++;
	if (*p && unit_shift(*p) >= 0)
		shift = unit_shift(*p++);
	if (*p == 'i' || *p == 'I')
		p++;
	if (*p == 'b' || *p == 'B')
		p++;
	if (*p)
		return -EINVAL;
	v = ((unsigned __int128)whole << shift) + (((unsigned __int128)frac << shift) / scale);
	if (whole == UINT64_MAX || v > INT64_MAX)
		return -ERANGE;
	*ret = (int64_t)v;
	return 0;
}

/* ---- controllers ---- */

const char *nb_cg_controller_name(enum nb_cg_controller c, bool v1)
{
	static const char *const v2_names[NB_CG_COUNT] = {
		[NB_CG_CPU] = "cpu", [NB_CG_CPUSET] = "cpuset", [NB_CG_MEMORY] = "memory",
		[NB_CG_PIDS] = "pids", [NB_CG_IO] = "io", [NB_CG_HUGETLB] = "hugetlb",
		[NB_CG_RDMA] = "rdma", [NB_CG_MISC] = "misc",
	};
	static const char *const v1_names[NB_CG_COUNT] = {
		[NB_CG_CPU] = "cpu", [NB_CG_CPUACCT] = "cpuacct", [NB_CG_CPUSET] = "cpuset",
		[NB_CG_MEMORY] = "memory", [NB_CG_PIDS] = "pids", [NB_CG_IO] = "blkio",
		[NB_CG_HUGETLB] = "hugetlb", [NB_CG_RDMA] = "rdma", [NB_CG_NET_CLS] = "net_cls",
		[NB_CG_NET_PRIO] = "net_prio", [NB_CG_DEVICES] = "devices",
		[NB_CG_FREEZER] = "freezer", [NB_CG_MISC] = "misc",
	};

	if ((unsigned)c >= NB_CG_COUNT)
		return NULL;
	return v1 ? v1_names[c] : v2_names[c];
}

/* Given and not runc's "leave it" 0. */
static bool given(int64_t v)
{
	return v != NB_RES_UNSET && v != 0;
}

static bool has(int64_t v)
{
	return v != NB_RES_UNSET;
}

enum nb_cg_controller nb_cg_unified_controller(const char *key)
{
	static const struct { const char *prefix; enum nb_cg_controller c; } map[] = {
		{ "cgroup.", NB_CG_CORE }, { "cpu.", NB_CG_CPU }, { "cpuset.", NB_CG_CPUSET },
		{ "memory.", NB_CG_MEMORY }, { "pids.", NB_CG_PIDS }, { "io.", NB_CG_IO },
		{ "hugetlb.", NB_CG_HUGETLB }, { "rdma.", NB_CG_RDMA }, { "misc.", NB_CG_MISC },
	};

	for (size_t i = 0; i < NB_ARRAY_SIZE(map); i++)
		if (nb_startswith(key, map[i].prefix))
			return map[i].c;
	return NB_CG_COUNT;
}

unsigned nb_cg_needed(const struct nb_resources *r)
{
	unsigned m = 0;
	size_t n_throttle = 0;

	for (int t = 0; t < NB_THROTTLE_COUNT; t++)
		n_throttle += r->n_blkio_throttle[t];
	if (given(r->memory_limit) || given(r->memory_reservation) || given(r->memory_swap) ||
	    has(r->memory_swappiness) || given(r->memory_disable_oom_killer) ||
	    has(r->memory_use_hierarchy))
		m |= 1u << NB_CG_MEMORY;
	if (given(r->cpu_shares) || given(r->cpu_weight) || given(r->cpu_quota) ||
	    given(r->cpu_period) || has(r->cpu_burst) || given(r->cpu_realtime_runtime) ||
	    given(r->cpu_realtime_period) || has(r->cpu_idle))
		m |= 1u << NB_CG_CPU;
	if (r->cpuset_cpus || r->cpuset_mems)
		m |= 1u << NB_CG_CPUSET;
	if (has(r->pids_limit))
		m |= 1u << NB_CG_PIDS;
	if (given(r->blkio_weight) || given(r->blkio_leaf_weight) || given(r->io_weight) ||
	    r->n_blkio_weight_devices || n_throttle)
		m |= 1u << NB_CG_IO;
	if (r->n_hugepages)
		m |= 1u << NB_CG_HUGETLB;
	if (r->n_rdma)
		m |= 1u << NB_CG_RDMA;
	if (given(r->net_class_id))
		m |= 1u << NB_CG_NET_CLS;
	if (r->n_net_priorities)
		m |= 1u << NB_CG_NET_PRIO;
	if (r->n_devices)
		m |= 1u << NB_CG_DEVICES;
	for (size_t i = 0; i < r->unified.len; i++) {
		enum nb_cg_controller c = nb_cg_unified_controller(r->unified.items[i]);

		if (c != NB_CG_COUNT)
			m |= 1u << c;
	}
	return m;
}

const struct nb_device_rule *nb_cg_default_device_rules(size_t *n)
{
	static const struct nb_device_rule rules[] = {
		{ true, 'c', -1, -1, "m" }, { true, 'b', -1, -1, "m" },
		{ true, 'c', 1, 3, "rwm" },    /* null */
		{ true, 'c', 1, 8, "rwm" },    /* random */
		{ true, 'c', 1, 7, "rwm" },    /* full */
		{ true, 'c', 5, 0, "rwm" },    /* tty */
		{ true, 'c', 1, 5, "rwm" },    /* zero */
		{ true, 'c', 1, 9, "rwm" },    /* urandom */
		{ true, 'c', 136, -1, "rwm" }, /* pts */
		{ true, 'c', 5, 2, "rwm" },    /* ptmx */
		{ true, 'c', 10, 200, "rwm" }, /* tun */
	};

	*n = NB_ARRAY_SIZE(rules);
	return rules;
}
