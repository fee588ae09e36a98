/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * config.json "linux.resources" (runtime-spec 1.2), every field, into the
 * resource model of spec/resources.h; also a linux.resources object of its
 * own, the input of `nsbox update -r FILE` (nb_oci_load_resources()). The
 * parser checks the JSON types and each field's range, then
 * nb_resources_check() the values together; every message names the
 * field's path ("config.json: linux.resources.cpu.shares: ...").
 *
 * As runc's specconv reads them: a device rule without a type is 'a', without
 * major or minor matches any (-1), and needs its access; pids.limit 0 or
 * below is no limit; memory.swappiness 18446744073709551615 (Go's -1 as a
 * uint64) is unset.
 */
#include "spec/oci_internal.h"
#include "spec/oci.h"
#include "base/cleanup.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A member that must be an array, or absent (0 items). */
static int opt_array(struct oci_ctx *c, const json_t *obj, const char *parent, const char *key,
		     char *path, const json_t **ret)
{
	*ret = oci_get(obj, key);
	oci_key(path, parent, key);
	return *ret ? oci_check_array(c, *ret, path) : 0;
}

/* Allocate N zeroed items of SIZE for *RET. */
static int alloc_items(struct oci_ctx *c, size_t n, size_t size, void *ret)
{
	void *items = calloc(n ? n : 1, size);

	if (!items)
		return oci_oom(c);
	*(void **)ret = items;
	return 0;
}

static int opt_flag(struct oci_ctx *c, const json_t *obj, const char *parent, const char *key,
		    int64_t *ret)
{
	bool b = false;
	int r = oci_opt_bool(c, obj, parent, key, &b);

	if (r >= 0 && oci_get(obj, key))
		*ret = b;
	return r;
}

/* An unsigned field up to MAX into an int64 (left alone when absent). */
static int opt_u(struct oci_ctx *c, const json_t *obj, const char *parent, const char *key,
		 uint64_t max, int64_t *ret)
{
	uint64_t u;
	bool present;
	int r = oci_opt_u64(c, obj, parent, key, max, &u, &present);

	if (r >= 0 && present)
		*ret = (int64_t)u;
	return r;
}

static int parse_memory(struct oci_ctx *c, const json_t *v, const char *p, struct nb_resources *res)
{
	static const char *const bytes[] = { "limit", "reservation", "swap", "kernel", "kernelTCP" };
	int64_t *const dst[] = { &res->memory_limit, &res->memory_reservation, &res->memory_swap,
				 &res->memory_kernel, &res->memory_kernel_tcp };
	uint64_t swappiness;
	bool present;
	int r = oci_check_object(c, v, p);

	for (size_t i = 0; r >= 0 && i < NB_ARRAY_SIZE(bytes); i++)
		r = oci_opt_int(c, v, p, bytes[i], -1, INT64_MAX, dst[i], NULL);
	if (r >= 0)
		r = oci_opt_u64(c, v, p, "swappiness", UINT64_MAX, &swappiness, &present);
	if (r >= 0 && present && swappiness != UINT64_MAX) {
		char path[OCI_PATH_MAX];

		if (swappiness > 100)
			return oci_fail(c, oci_key(path, p, "swappiness"),
					"must be an integer from 0 to 100");
		res->memory_swappiness = (int64_t)swappiness;
	}
	if (r >= 0)
		r = opt_flag(c, v, p, "disableOOMKiller", &res->memory_disable_oom_killer);
	if (r >= 0)
		r = opt_flag(c, v, p, "useHierarchy", &res->memory_use_hierarchy);
	if (r >= 0)
		r = opt_flag(c, v, p, "checkBeforeUpdate", &res->memory_check_before_update);
	return r;
}

static int parse_cpu(struct oci_ctx *c, const json_t *v, const char *p, struct nb_resources *res)
{
	const char *cpus = NULL, *mems = NULL;
	int r = oci_check_object(c, v, p);

	if (r >= 0)
		r = opt_u(c, v, p, "shares", 262144, &res->cpu_shares);
	if (r >= 0)
		r = oci_opt_int(c, v, p, "quota", -1, INT64_MAX, &res->cpu_quota, NULL);
	if (r >= 0)
		r = opt_u(c, v, p, "period", 1000000, &res->cpu_period);
	if (r >= 0)
		r = opt_u(c, v, p, "burst", INT64_MAX, &res->cpu_burst);
	if (r >= 0)
		r = oci_opt_int(c, v, p, "realtimeRuntime", -1, INT64_MAX, &res->cpu_realtime_runtime,
				NULL);
	if (r >= 0)
		r = opt_u(c, v, p, "realtimePeriod", INT64_MAX, &res->cpu_realtime_period);
	if (r >= 0)
		r = oci_opt_int(c, v, p, "idle", 0, 1, &res->cpu_idle, NULL);
	if (r >= 0)
		r = oci_opt_string(c, v, p, "cpus", &cpus);
	if (r >= 0)
		r = oci_opt_string(c, v, p, "mems", &mems);
	/* An empty list is no list, as in runc. */
	if (r >= 0 && cpus && *cpus)
		r = oci_set_string(c, &res->cpuset_cpus, cpus);
	if (r >= 0 && mems && *mems)
		r = oci_set_string(c, &res->cpuset_mems, mems);
	return r;
}

static int parse_pids(struct oci_ctx *c, const json_t *v, const char *p, struct nb_resources *res)
{
	int64_t limit;
	int r = oci_check_object(c, v, p);

	if (r >= 0)
		r = oci_req_int(c, v, p, "limit", INT64_MIN, INT64_MAX, &limit);
	/* Zero or negative: no limit, as runc and crun read it. */
	if (r >= 0)
		res->pids_limit = limit > 0 ? limit : -1;
	return r;
}

/* {major, minor} of a block device, with a weight or a rate. */
static int blkio_device(struct oci_ctx *c, const json_t *v, const char *path, bool throttle,
			struct nb_blkio_device *d)
{
	int r = oci_check_object(c, v, path);

	d->weight = d->leaf_weight = NB_RES_UNSET;
	d->rate = 0;
	if (r >= 0)
		r = oci_req_int(c, v, path, "major", 0, UINT32_MAX, &d->major);
	if (r >= 0)
		r = oci_req_int(c, v, path, "minor", 0, UINT32_MAX, &d->minor);
	if (r >= 0 && throttle) {
		uint64_t rate;

		r = oci_req_u64(c, v, path, "rate", INT64_MAX, &rate);
		d->rate = (int64_t)rate;
	}
	if (r >= 0 && !throttle)
		r = opt_u(c, v, path, "weight", UINT16_MAX, &d->weight);
	if (r >= 0 && !throttle)
		r = opt_u(c, v, path, "leafWeight", UINT16_MAX, &d->leaf_weight);
	return r;
}

static int blkio_list(struct oci_ctx *c, const json_t *v, const char *p, const char *key,
		      bool throttle, struct nb_blkio_device **ret, size_t *n_ret)
{
	char path[OCI_PATH_MAX], sub[OCI_PATH_MAX];
	const json_t *list;
	json_t *item;
	size_t i;
	int r = opt_array(c, v, p, key, path, &list);

	if (r < 0 || !list || json_array_size(list) == 0)
		return r;
	free(*ret);
	*ret = NULL;
	*n_ret = 0;
	r = alloc_items(c, json_array_size(list), sizeof(**ret), ret);
	json_array_foreach(list, i, item) {
		if (r < 0)
			break;
		r = blkio_device(c, item, oci_index(sub, path, i), throttle, &(*ret)[i]);
		*n_ret = i + 1;
	}
	return r;
}

static int parse_block_io(struct oci_ctx *c, const json_t *v, const char *p,
			  struct nb_resources *res)
{
	static const char *const throttles[NB_THROTTLE_COUNT] = {
		"throttleReadBpsDevice", "throttleWriteBpsDevice", "throttleReadIOPSDevice",
		"throttleWriteIOPSDevice",
	};
	int r = oci_check_object(c, v, p);

	if (r >= 0)
		r = opt_u(c, v, p, "weight", UINT16_MAX, &res->blkio_weight);
	if (r >= 0)
		r = opt_u(c, v, p, "leafWeight", UINT16_MAX, &res->blkio_leaf_weight);
	if (r >= 0)
		r = blkio_list(c, v, p, "weightDevice", false, &res->blkio_weight_devices,
			       &res->n_blkio_weight_devices);
	for (int t = 0; r >= 0 && t < NB_THROTTLE_COUNT; t++)
		r = blkio_list(c, v, p, throttles[t], true, &res->blkio_throttle[t],
			       &res->n_blkio_throttle[t]);
	return r;
}

static int parse_hugepages(struct oci_ctx *c, const json_t *v, const char *path,
			   struct nb_resources *res)
{
	char sub[OCI_PATH_MAX];
	json_t *item;
	size_t i;
	int r = oci_check_array(c, v, path);

	if (r < 0 || json_array_size(v) == 0)
		return r;
	r = alloc_items(c, json_array_size(v), sizeof(*res->hugepages), &res->hugepages);
	json_array_foreach(v, i, item) {
		struct nb_hugepage_limit *h = &res->hugepages[i];
		const char *size = NULL;
		uint64_t limit = 0;

		if (r < 0)
			break;
		oci_index(sub, path, i);
		r = oci_check_object(c, item, sub);
		if (r >= 0)
			r = oci_req_string(c, item, sub, "pageSize", &size);
		if (r >= 0)
			r = oci_req_u64(c, item, sub, "limit", INT64_MAX, &limit);
		if (r >= 0)
			r = oci_set_string(c, &h->pagesize, size);
		h->limit = (int64_t)limit;
		res->n_hugepages = i + 1;
	}
	return r;
}

static int parse_network(struct oci_ctx *c, const json_t *v, const char *p,
			 struct nb_resources *res)
{
	char path[OCI_PATH_MAX], sub[OCI_PATH_MAX];
	const json_t *list;
	json_t *item;
	size_t i;
	int r = oci_check_object(c, v, p);

	if (r >= 0)
		r = opt_u(c, v, p, "classID", UINT32_MAX, &res->net_class_id);
	if (r >= 0)
		r = opt_array(c, v, p, "priorities", path, &list);
	if (r < 0 || !list || json_array_size(list) == 0)
		return r;
	r = alloc_items(c, json_array_size(list), sizeof(*res->net_priorities), &res->net_priorities);
	json_array_foreach(list, i, item) {
		struct nb_net_priority *prio = &res->net_priorities[i];
		const char *name = NULL;
		uint64_t priority = 0;

		if (r < 0)
			break;
		oci_index(sub, path, i);
		r = oci_check_object(c, item, sub);
		if (r >= 0)
			r = oci_req_string(c, item, sub, "name", &name);
		if (r >= 0)
			r = oci_req_u64(c, item, sub, "priority", UINT32_MAX, &priority);
		if (r >= 0)
			r = oci_set_string(c, &prio->name, name);
		prio->priority = (int64_t)priority;
		res->n_net_priorities = i + 1;
	}
	return r;
}

static int parse_rdma(struct oci_ctx *c, const json_t *v, const char *p, struct nb_resources *res)
{
	char path[OCI_PATH_MAX];
	const char *dev;
	json_t *limits;
	size_t i = 0;
	int r = oci_check_object(c, v, p);

	if (r < 0 || json_object_size(v) == 0)
		return r;
	r = alloc_items(c, json_object_size(v), sizeof(*res->rdma), &res->rdma);
	json_object_foreach((json_t *)v, dev, limits) {
		struct nb_rdma_limit *l = &res->rdma[i];

		if (r < 0)
			break;
		l->hca_handles = l->hca_objects = NB_RES_UNSET;
		oci_key(path, p, dev);
		r = oci_check_object(c, limits, path);
		if (r >= 0)
			r = opt_u(c, limits, path, "hcaHandles", UINT32_MAX, &l->hca_handles);
		if (r >= 0)
			r = opt_u(c, limits, path, "hcaObjects", UINT32_MAX, &l->hca_objects);
		if (r >= 0)
			r = oci_set_string(c, &l->device, dev);
		res->n_rdma = ++i;
	}
	return r;
}

/* "rwm" letters into their canonical order; false on any other. */
static bool device_access(const char *s, char out[4])
{
	bool seen[3] = { false, false, false };
	size_t n = 0;

	for (; *s; s++) {
		const char *at = strchr("rwm", *s);

		if (!at)
			return false;
		seen[at - "rwm"] = true;
	}
	for (int k = 0; k < 3; k++)
		if (seen[k])
			out[n++] = "rwm"[k];
	out[n] = '\0';
	return true;
}

static int device_rule(struct oci_ctx *c, const json_t *v, const char *path,
		       struct nb_device_rule *d)
{
	char sub[OCI_PATH_MAX];
	const char *type = "a", *access = NULL;
	int r = oci_check_object(c, v, path);

	d->major = d->minor = -1;
	if (r >= 0)
		r = oci_opt_string(c, v, path, "type", &type);
	if (r >= 0 && !*type)
		type = "a";
	if (r >= 0 && !oci_get(v, "allow"))
		r = oci_fail(c, oci_key(sub, path, "allow"), "required");
	if (r >= 0)
		r = oci_opt_bool(c, v, path, "allow", &d->allow);
	if (r >= 0 && !nb_streq(type, "a") && !nb_streq(type, "b") && !nb_streq(type, "c"))
		r = oci_fail(c, oci_key(sub, path, "type"), "must be a, b or c");
	if (r >= 0)
		r = oci_opt_int(c, v, path, "major", -1, UINT32_MAX, &d->major, NULL);
	if (r >= 0)
		r = oci_opt_int(c, v, path, "minor", -1, UINT32_MAX, &d->minor, NULL);
	/* runc: "device access at N field cannot be empty". */
	if (r >= 0)
		r = oci_req_string(c, v, path, "access", &access);
	if (r >= 0 && !*access)
		r = oci_fail(c, oci_key(sub, path, "access"), "must not be empty");
	if (r >= 0 && !device_access(access, d->access))
		r = oci_fail(c, oci_key(sub, path, "access"), "must be made of r, w and m");
	d->type = type[0];
	return r;
}

static int parse_devices(struct oci_ctx *c, const json_t *v, const char *path,
			 struct nb_resources *res)
{
	char sub[OCI_PATH_MAX];
	json_t *item;
	size_t i;
	int r = oci_check_array(c, v, path);

	if (r < 0 || json_array_size(v) == 0)
		return r;
	r = alloc_items(c, json_array_size(v), sizeof(*res->devices), &res->devices);
	json_array_foreach(v, i, item) {
		if (r < 0)
			break;
		r = device_rule(c, item, oci_index(sub, path, i), &res->devices[i]);
		res->n_devices = i + 1;
	}
	return r;
}

/* unified: a map of file names to values, kept as "name=value": a name
 * holding '=' would be cut there, naming another file than it says (no
 * cgroup file has one in its name). */
static int parse_unified(struct oci_ctx *c, const json_t *v, const char *path, struct nb_resources *res)
{
	char sub[OCI_PATH_MAX];
	const char *key;
	json_t *value;

	if (json_is_object(v))
		json_object_foreach((json_t *)v, key, value)
			if (strchr(key, '='))
				return oci_fail(c, oci_key(sub, path, key), "not a cgroup file name");
	return oci_string_map(c, v, path, &res->unified);
}

/* BASE: "linux.resources", or "" for a document of its own. */
static int parse_resources(struct oci_ctx *c, const json_t *v, const char *base,
			   struct nb_resources *res)
{
	static const struct {
		const char *key;
		int (*parse)(struct oci_ctx *, const json_t *, const char *, struct nb_resources *);
	} parts[] = {
		{ "memory", parse_memory }, { "cpu", parse_cpu }, { "pids", parse_pids },
		{ "blockIO", parse_block_io }, { "hugepageLimits", parse_hugepages },
		{ "network", parse_network }, { "rdma", parse_rdma }, { "devices", parse_devices },
	};
	char path[OCI_PATH_MAX];
	json_t *part;
	int64_t oom;
	int r = oci_check_object(c, v, base);

	if (r >= 0)
		r = oci_opt_int(c, v, base, "oomScoreAdj", -1000, 1000, &oom, NULL);
	for (size_t i = 0; r >= 0 && i < NB_ARRAY_SIZE(parts); i++)
		if ((part = oci_get(v, parts[i].key)))
			r = parts[i].parse(c, part, oci_key(path, base, parts[i].key), res);
	if (r >= 0 && (part = oci_get(v, "unified")))
		r = parse_unified(c, part, oci_key(path, base, "unified"), res);
	if (r >= 0 && nb_resources_check(res, base, c->err) < 0)
		r = nb_error_prefix(c->err, "%s", c->file ? c->file : "config.json");
	if (r >= 0)
		res->set = true;
	return r;
}

int oci_parse_resources(struct oci_ctx *c, const json_t *v)
{
	return parse_resources(c, v, "linux.resources", &c->cfg->oci.resources);
}

int nb_oci_load_resources(const char *text, size_t len, const char *what, struct nb_resources *ret,
			  struct nb_error *err)
{
	struct oci_ctx c = { .cfg = NULL, .bundle = "/", .err = err, .file = what };
	_cleanup_free_ char *copy = malloc(len + 1);
	json_error_t jerr;
	json_t *doc;
	int r;

	nb_resources_init(ret);
	if (!copy)
		return oci_oom(&c);
	memcpy(copy, text, len);
	copy[len] = '\0';
	oci_mark_big_integers(&c, copy, len);
	doc = json_loadb(copy, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc)
		return nb_error_set(err, EINVAL, "%s:%d:%d: %s", what, jerr.line, jerr.column, jerr.text);
	r = json_is_object(doc) ? parse_resources(&c, doc, "", ret)
				: nb_error_set(err, EINVAL, "%s: must be a JSON object", what);
	json_decref(doc);
	return r;
}
