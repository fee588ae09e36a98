/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "spec/run_print.h"
#include "spec/oci.h"
#include "spec/resources.h"
#include "base/cleanup.h"

#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *kind_name(const struct nb_mount *m)
{
	switch (m->kind) {
	case NB_MOUNT_BIND: return "bind";
	case NB_MOUNT_TMPFS: return "tmpfs";
	case NB_MOUNT_PROC: return "proc";
	case NB_MOUNT_SYSFS: return "sysfs";
	case NB_MOUNT_DEVPTS: return "devpts";
	case NB_MOUNT_MQUEUE: return "mqueue";
	case NB_MOUNT_DEV: return "tmpfs";
	case NB_MOUNT_CGROUP: return "cgroup2";
	case NB_MOUNT_OTHER: return m->fstype ? m->fstype : "";
	}
	return "";
}

static json_t *mount_options(const struct nb_mount *m)
{
	static const struct { unsigned flag; const char *name; } flags[] = {
		{ NB_MNT_RDONLY, "ro" }, { NB_MNT_NOSUID, "nosuid" }, { NB_MNT_NODEV, "nodev" },
		{ NB_MNT_NOEXEC, "noexec" }, { NB_MNT_RECURSIVE, "rbind" },
	};
	json_t *opts = json_array();
	_cleanup_free_ char *data = m->data ? strdup(m->data) : NULL;
	char *save = NULL;

	if (!opts || (m->data && !data)) {
		json_decref(opts);
		return NULL;
	}
	for (size_t i = 0; i < NB_ARRAY_SIZE(flags); i++)
		if ((m->flags & flags[i].flag) && (flags[i].flag != NB_MNT_RECURSIVE || m->kind == NB_MOUNT_BIND))
			json_array_append_new(opts, json_string(flags[i].name));
	for (char *o = data ? strtok_r(data, ",", &save) : NULL; o; o = strtok_r(NULL, ",", &save))
		json_array_append_new(opts, json_string(o));
	return opts;
}

static json_t *mounts_json(const struct nb_config *cfg)
{
	json_t *list = json_array();

	for (size_t i = 0; list && i < cfg->n_mounts; i++) {
		const struct nb_mount *m = &cfg->mounts[i];
		json_t *one = json_pack("{s:s?, s:s, s:o*}", "destination", m->dest, "type", kind_name(m),
					"options", mount_options(m));

		if (one && m->source)
			json_object_set_new(one, "source", json_string(m->source));
		if (!one || json_array_append_new(list, one) < 0) {
			json_decref(list);
			return NULL;
		}
	}
	return list;
}

/* A value of the resource model, or null when unset. */
static json_t *res_value(int64_t v)
{
	return v != NB_RES_UNSET ? json_integer(v) : json_null();
}

static json_t *seconds_or_null(int64_t us)
{
	return us >= 0 ? json_real((double)us / 1e6) : json_null();
}

static json_t *resources_json(const struct nb_resources *res)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	if (res->memory_limit != NB_RES_UNSET || res->memory_swap != NB_RES_UNSET)
		json_object_set_new(o, "memory", json_pack("{s:o, s:o}", "limit", res_value(res->memory_limit),
							   "swap", res_value(res->memory_swap)));
	if (res->pids_limit != NB_RES_UNSET)
		json_object_set_new(o, "pids", json_pack("{s:I}", "limit", (json_int_t)res->pids_limit));
	if (res->cpu_quota != NB_RES_UNSET)
		json_object_set_new(o, "cpu", json_pack("{s:I, s:o}", "quota", (json_int_t)res->cpu_quota,
							"period", res_value(res->cpu_period)));
	return o;
}

static json_t *nsbox_json(const struct nb_config *cfg, const struct nb_run_args *args)
{
	const struct nb_judge_plan *j = &args->judge;
	enum nb_net_mode mode = cfg->net.mode;

	if (mode == NB_NET_UNSET)
		mode = cfg->ns[NB_NS_NET].mode == NB_NS_NEW ? NB_NET_NONE :
		       cfg->ns[NB_NS_NET].mode == NB_NS_SHARE ? NB_NET_HOST : NB_NET_NS;
	return json_pack("{s:s?, s:s, s:b, s:b, s:{s:s, s:b, s:b, s:b}, s:o, s:o, s:o, s:o}",
			 "profile", args->profile, "network", nb_net_mode_name(mode), "nat", cfg->net.nat,
			 "init", cfg->init, "root", "path", cfg->rootfs ? cfg->rootfs : "/",
			 "readonly", cfg->rootfs ? cfg->root_readonly : true,
			 "nosuid", cfg->root_nosuid, "nodev", cfg->root_nodev,
			 "timeLimit", seconds_or_null(j->cpu_us), "wallTimeLimit", seconds_or_null(j->wall_us),
			 "extraTime", seconds_or_null(j->extra_us),
			 "outputLimit", j->output_limit >= 0 ? json_integer(j->output_limit) : json_null());
}

/* Is S (or NULL) one that JSON can hold? Else an error naming mounts[I].FIELD,
 * or FIELD alone when I is SIZE_MAX. */
static int utf8_or_error(const char *s, const char *field, size_t i, struct nb_error *err)
{
	json_t *j;

	if (!s)
		return 0;
	j = json_string(s);
	if (j) {
		json_decref(j);
		return 0;
	}
	/* Not UTF-8, unless the copy without the check fails too (memory). */
	j = json_string_nocheck(s);
	if (!j)
		return nb_error_set(err, ENOMEM, "out of memory");
	json_decref(j);
	if (i == SIZE_MAX)
		return nb_error_set(err, EILSEQ, "%s is not UTF-8: JSON cannot hold it", field);
	return nb_error_set(err, EILSEQ, "mounts[%zu].%s is not UTF-8: JSON cannot hold it", i, field);
}

/* The strings of the run's own parts (the plan's are checked by
 * nb_oci_plan_json()): the mounts' and the hostname. */
static int check_strings(const struct nb_config *cfg, struct nb_error *err)
{
	int r = utf8_or_error(cfg->hostname, "hostname", SIZE_MAX, err);

	for (size_t i = 0; r >= 0 && i < cfg->n_mounts; i++) {
		const struct nb_mount *m = &cfg->mounts[i];

		r = utf8_or_error(m->dest, "destination", i, err);
		if (r >= 0)
			r = utf8_or_error(m->source, "source", i, err);
		if (r >= 0)
			r = utf8_or_error(m->data, "options", i, err);
		if (r >= 0)
			r = utf8_or_error(m->fstype, "type", i, err);
	}
	return r;
}

/* Add the run's own parts to DOC, nb_oci_plan_json()'s. */
static int add_parts(json_t *doc, const struct nb_config *cfg, const struct nb_run_args *args)
{
	json_t *linux_ = json_object_get(doc, "linux");
	json_t *mounts = mounts_json(cfg), *res = resources_json(&cfg->oci.resources);
	json_t *nsbox = nsbox_json(cfg, args);
	int r = 0;

	if (!json_is_object(linux_) || !mounts || !res || !nsbox) {
		json_decref(mounts);
		json_decref(res);
		json_decref(nsbox);
		return -ENOMEM;
	}
	if (cfg->hostname)
		r |= json_object_set_new(doc, "hostname", json_string(cfg->hostname));
	r |= json_object_set_new(doc, "mounts", mounts);
	r |= json_object_set_new(linux_, "resources", res);
	r |= json_object_set_new(doc, "nsbox", nsbox);
	return r ? -ENOMEM : 0;
}

int nb_run_print_json(const struct nb_config *cfg, const struct nb_run_args *args, char **ret,
		      struct nb_error *err)
{
	_cleanup_free_ char *plan = NULL;
	json_t *doc;
	char *text;
	size_t len;
	int r;

	*ret = NULL;
	r = nb_oci_plan_json(cfg, &plan, err);
	if (r >= 0)
		r = check_strings(cfg, err);
	if (r < 0)
		return r;
	/* jansson reads no integer above INT64_MAX (an rlimit of "unlimited",
	 * exact in the plan): then every number is read back as a real. */
	doc = json_loads(plan, 0, NULL);
	if (!doc)
		doc = json_loads(plan, JSON_DECODE_INT_AS_REAL, NULL);
	if (!doc)
		return nb_error_set(err, EINVAL, "the plan: not JSON");
	r = add_parts(doc, cfg, args);
	text = r < 0 ? NULL : json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (!text)
		return nb_error_set(err, ENOMEM, "out of memory");
	len = strlen(text);
	*ret = malloc(len + 2);
	if (*ret) {
		memcpy(*ret, text, len);
		memcpy(*ret + len, "\n", 2);
	}
	free(text);
	return *ret ? 0 : nb_error_set(err, ENOMEM, "out of memory");
}
