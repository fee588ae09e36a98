/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * config.json "linux.resources": parsed and checked here, applied by the
 * cgroups code. Memory, cpu, pids and unified are kept in struct
 * nb_resources; devices, blockIO, hugepageLimits, network and rdma are only
 * checked for their types, so that a wrong one is reported by name.
 */
#include "spec/oci_internal.h"
#include "base/cleanup.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define RES "linux.resources"

/* A typed field of a checked-only object. */
enum field_type { F_BOOL, F_STRING, F_INT, F_U64, F_U32, F_U16 };

struct field {
	const char *key;
	enum field_type type;
	bool required;
};

static int check_field(struct oci_ctx *c, const json_t *obj, const char *path,
		       const struct field *f)
{
	char sub[OCI_PATH_MAX];
	const char *s;
	bool b;
	int64_t i;
	uint64_t u;

	if (f->required && !oci_get(obj, f->key))
		return oci_fail(c, oci_key(sub, path, f->key), "required");
	switch (f->type) {
	case F_BOOL: return oci_opt_bool(c, obj, path, f->key, &b);
	case F_STRING: return oci_opt_string(c, obj, path, f->key, &s);
	case F_INT: return oci_opt_int(c, obj, path, f->key, INT64_MIN, INT64_MAX, &i, NULL);
	case F_U64: return oci_opt_u64(c, obj, path, f->key, UINT64_MAX, &u, NULL);
	case F_U32: return oci_opt_u64(c, obj, path, f->key, UINT32_MAX, &u, NULL);
	case F_U16: return oci_opt_u64(c, obj, path, f->key, UINT16_MAX, &u, NULL);
	}
	return 0;
}

/* An object at PATH whose fields FIELDS (ending with a NULL key) have their types. */
static int check_object(struct oci_ctx *c, const json_t *v, const char *path,
			const struct field *fields)
{
	int r = oci_check_object(c, v, path);

	for (; r >= 0 && fields->key; fields++)
		r = check_field(c, v, path, fields);
	return r;
}

/* An array at PATH of such objects. */
static int check_array(struct oci_ctx *c, const json_t *v, const char *path,
		       const struct field *fields)
{
	char sub[OCI_PATH_MAX];
	size_t i;
	json_t *item;
	int r = oci_check_array(c, v, path);

	json_array_foreach(v, i, item) {
		if (r < 0)
			break;
		r = check_object(c, item, oci_index(sub, path, i), fields);
	}
	return r;
}

static int check_devices(struct oci_ctx *c, const json_t *v)
{
	static const struct field fields[] = {
		{ "allow", F_BOOL, true }, { "type", F_STRING, false }, { "major", F_INT, false },
		{ "minor", F_INT, false }, { "access", F_STRING, false }, { NULL, 0, false },
	};
	char path[OCI_PATH_MAX], sub[OCI_PATH_MAX];
	size_t i;
	json_t *item;
	int r = check_array(c, v, RES ".devices", fields);

	json_array_foreach(v, i, item) {
		const char *type = json_string_value(oci_get(item, "type"));
		const char *access = json_string_value(oci_get(item, "access"));

		if (r < 0)
			break;
		oci_index(path, RES ".devices", i);
		if (type && !nb_streq(type, "a") && !nb_streq(type, "b") && !nb_streq(type, "c"))
			r = oci_fail(c, oci_key(sub, path, "type"), "must be a, b or c");
		else if (access && access[strspn(access, "rwm")] != '\0')
			r = oci_fail(c, oci_key(sub, path, "access"), "must be made of r, w and m");
	}
	return r;
}

static int check_block_io(struct oci_ctx *c, const json_t *v)
{
	static const struct field top[] = {
		{ "weight", F_U16, false }, { "leafWeight", F_U16, false }, { NULL, 0, false },
	};
	static const struct field weight_dev[] = {
		{ "major", F_INT, true }, { "minor", F_INT, true }, { "weight", F_U16, false },
		{ "leafWeight", F_U16, false }, { NULL, 0, false },
	};
	static const struct field throttle_dev[] = {
		{ "major", F_INT, true }, { "minor", F_INT, true }, { "rate", F_U64, true },
		{ NULL, 0, false },
	};
	static const char *const throttles[] = {
		"throttleReadBpsDevice", "throttleWriteBpsDevice", "throttleReadIOPSDevice",
		"throttleWriteIOPSDevice",
	};
	char path[OCI_PATH_MAX];
	int r = check_object(c, v, RES ".blockIO", top);

	if (r >= 0 && oci_get(v, "weightDevice"))
		r = check_array(c, oci_get(v, "weightDevice"),
				oci_key(path, RES ".blockIO", "weightDevice"), weight_dev);
	for (size_t i = 0; r >= 0 && i < NB_ARRAY_SIZE(throttles); i++)
		if (oci_get(v, throttles[i]))
			r = check_array(c, oci_get(v, throttles[i]),
					oci_key(path, RES ".blockIO", throttles[i]), throttle_dev);
	return r;
}

static int check_hugepages(struct oci_ctx *c, const json_t *v)
{
	static const struct field fields[] = {
		{ "pageSize", F_STRING, true }, { "limit", F_U64, true }, { NULL, 0, false },
	};

	return check_array(c, v, RES ".hugepageLimits", fields);
}

static int check_network(struct oci_ctx *c, const json_t *v)
{
	static const struct field top[] = { { "classID", F_U32, false }, { NULL, 0, false } };
	static const struct field prio[] = {
		{ "name", F_STRING, true }, { "priority", F_U32, true }, { NULL, 0, false },
	};
	int r = check_object(c, v, RES ".network", top);

	if (r >= 0 && oci_get(v, "priorities"))
		r = check_array(c, oci_get(v, "priorities"), RES ".network.priorities", prio);
	return r;
}

static int check_rdma(struct oci_ctx *c, const json_t *v)
{
	static const struct field fields[] = {
		{ "hcaHandles", F_U32, false }, { "hcaObjects", F_U32, false }, { NULL, 0, false },
	};
	char path[OCI_PATH_MAX];
	const char *dev;
	json_t *limits;
	int r = oci_check_object(c, v, RES ".rdma");

	json_object_foreach((json_t *)v, dev, limits) {
		if (r < 0)
			break;
		r = check_object(c, limits, oci_key(path, RES ".rdma", dev), fields);
	}
	return r;
}

static int parse_memory(struct oci_ctx *c, const json_t *v, struct nb_resources *res)
{
	static const struct field others[] = {
		{ "kernel", F_INT, false }, { "kernelTCP", F_INT, false },
		{ "disableOOMKiller", F_BOOL, false }, { "useHierarchy", F_BOOL, false },
		{ "checkBeforeUpdate", F_BOOL, false }, { NULL, 0, false },
	};
	const char *p = RES ".memory";
	uint64_t swappiness;
	int r = check_object(c, v, p, others);

	/* Bytes, or -1 for no limit (which is what unset means too). */
	if (r >= 0)
		r = oci_opt_int(c, v, p, "limit", -1, INT64_MAX, &res->memory_limit, NULL);
	if (r >= 0)
		r = oci_opt_int(c, v, p, "reservation", -1, INT64_MAX, &res->memory_reservation, NULL);
	if (r >= 0)
		r = oci_opt_int(c, v, p, "swap", -1, INT64_MAX, &res->memory_swap, NULL);
	if (r >= 0)
		r = oci_opt_u64(c, v, p, "swappiness", 100, &swappiness, NULL);
	return r;
}

static int parse_cpu(struct oci_ctx *c, const json_t *v, struct nb_resources *res)
{
	static const struct field others[] = {
		{ "burst", F_U64, false }, { "realtimeRuntime", F_INT, false },
		{ "realtimePeriod", F_U64, false }, { "idle", F_INT, false }, { NULL, 0, false },
	};
	const char *p = RES ".cpu";
	const char *cpus = NULL, *mems = NULL;
	int r = check_object(c, v, p, others);

	if (r >= 0)
		r = oci_opt_u64(c, v, p, "shares", UINT64_MAX, &res->cpu_shares, NULL);
	if (r >= 0)
		r = oci_opt_int(c, v, p, "quota", -1, INT64_MAX, &res->cpu_quota, NULL);
	if (r >= 0)
		r = oci_opt_u64(c, v, p, "period", UINT64_MAX, &res->cpu_period, NULL);
	if (r >= 0)
		r = oci_opt_string(c, v, p, "cpus", &cpus);
	if (r >= 0)
		r = oci_opt_string(c, v, p, "mems", &mems);
	if (r >= 0 && cpus && *cpus)
		r = oci_set_string(c, &res->cpuset_cpus, cpus);
	if (r >= 0 && mems && *mems)
		r = oci_set_string(c, &res->cpuset_mems, mems);
	return r;
}

static int parse_pids(struct oci_ctx *c, const json_t *v, struct nb_resources *res)
{
	int64_t limit;
	int r = oci_check_object(c, v, RES ".pids");

	if (r >= 0)
		r = oci_req_int(c, v, RES ".pids", "limit", INT64_MIN, INT64_MAX, &limit);
	/* Zero or negative: no limit, as runc and crun read it. */
	if (r >= 0)
		res->pids_limit = limit > 0 ? limit : -1;
	return r;
}

static int parse_unified(struct oci_ctx *c, const json_t *v, struct nb_resources *res)
{
	int r = oci_string_map(c, v, RES ".unified", &res->unified);

	for (size_t i = 0; r >= 0 && i < res->unified.len; i++) {
		const char *kv = res->unified.items[i];
		int n = (int)strcspn(kv, "=");

		/* A file of the container's cgroup directory, nothing else. */
		if (n == 0 || memchr(kv, '/', (size_t)n) || (n <= 2 && strncmp(kv, "..", (size_t)n) == 0))
			r = oci_fail(c, RES ".unified", "'%.*s' is not a cgroup file name", n, kv);
	}
	return r;
}

int oci_parse_resources(struct oci_ctx *c, const json_t *v)
{
	struct nb_resources *res = &c->cfg->oci.resources;
	json_t *part;
	int r = oci_check_object(c, v, RES);
	int64_t oom;

	if (r >= 0)
		r = oci_opt_int(c, v, RES, "oomScoreAdj", -1000, 1000, &oom, NULL);
	if (r >= 0 && (part = oci_get(v, "memory")))
		r = parse_memory(c, part, res);
	if (r >= 0 && (part = oci_get(v, "cpu")))
		r = parse_cpu(c, part, res);
	if (r >= 0 && (part = oci_get(v, "pids")))
		r = parse_pids(c, part, res);
	if (r >= 0 && (part = oci_get(v, "unified")))
		r = parse_unified(c, part, res);
	if (r >= 0 && (part = oci_get(v, "devices")))
		r = check_devices(c, part);
	if (r >= 0 && (part = oci_get(v, "blockIO")))
		r = check_block_io(c, part);
	if (r >= 0 && (part = oci_get(v, "hugepageLimits")))
		r = check_hugepages(c, part);
	if (r >= 0 && (part = oci_get(v, "network")))
		r = check_network(c, part);
	if (r >= 0 && (part = oci_get(v, "rdma")))
		r = check_rdma(c, part);
	if (r >= 0)
		res->set = true;
	return r;
}
