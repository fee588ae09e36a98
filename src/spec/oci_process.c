/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* config.json "process": command, identity, capabilities, rlimits, scheduling. */
#include "spec/oci_internal.h"
#include "base/cleanup.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define MAX_ID UINT64_C(4294967294)   /* (uid_t)-1 means "no change" to the kernel */

static int parse_groups(struct oci_ctx *c, const json_t *v)
{
	struct nb_config *cfg = c->cfg;
	char path[OCI_PATH_MAX];
	size_t i;
	json_t *item;

	if (!json_is_array(v))
		return oci_fail(c, "process.user.additionalGids", "must be an array of group ids");
	if (json_array_size(v) > 65536)
		return oci_fail(c, "process.user.additionalGids", "more than 65536 groups");
	free(cfg->groups);
	cfg->n_groups = 0;
	cfg->groups = calloc(json_array_size(v) + 1, sizeof(*cfg->groups));
	if (!cfg->groups)
		return oci_oom(c);
	json_array_foreach(v, i, item) {
		uint64_t g;
		int r = oci_u64(c, item, oci_index(path, "process.user.additionalGids", i), MAX_ID, &g);

		if (r < 0)
			return r;
		cfg->groups[cfg->n_groups++] = (gid_t)g;
	}
	/* An empty list still clears the runtime's groups: nb_creds_apply()
	 * drops supplementary groups whenever it changes the identity. */
	cfg->set_groups = cfg->n_groups > 0;
	return 0;
}

static int parse_user(struct oci_ctx *c, const json_t *process)
{
	struct nb_config *cfg = c->cfg;
	const char *p = "process.user";
	json_t *user = oci_get(process, "user");
	uint64_t uid, gid, umask;
	bool has_umask;
	int r;

	if (!user)
		return oci_fail(c, p, "required");
	r = oci_check_object(c, user, p);
	if (r >= 0)
		r = oci_req_u64(c, user, p, "uid", MAX_ID, &uid);
	if (r >= 0)
		r = oci_req_u64(c, user, p, "gid", MAX_ID, &gid);
	if (r >= 0)
		r = oci_opt_u64(c, user, p, "umask", 0777, &umask, &has_umask);
	if (r >= 0 && oci_get(user, "additionalGids"))
		r = parse_groups(c, oci_get(user, "additionalGids"));
	if (r < 0)
		return r;
	cfg->uid = (uid_t)uid;
	cfg->gid = (gid_t)gid;
	cfg->set_uid = cfg->set_gid = true;
	cfg->sec.has_umask = has_umask;
	cfg->sec.umask = has_umask ? (mode_t)umask : 0;
	return 0;
}

static int parse_env(struct oci_ctx *c, const json_t *process)
{
	struct nb_strv *env = &c->cfg->env;
	char path[OCI_PATH_MAX];
	int r;

	nb_strv_free(env);
	r = oci_opt_string_array(c, process, "process", "env", env);
	if (r < 0)
		return r;
	for (size_t i = 0; i < env->len; i++) {
		const char *eq = strchr(env->items[i], '=');

		if (!eq || eq == env->items[i])
			return oci_fail(c, oci_index(path, "process.env", i),
					"'%s' is not KEY=VALUE", env->items[i]);
	}
	return 0;
}

static int parse_command(struct oci_ctx *c, const json_t *process)
{
	struct nb_config *cfg = c->cfg;
	const char *cwd = NULL;
	json_t *args = oci_get(process, "args");
	int r;

	if (oci_get(process, "commandLine"))
		return oci_fail(c, "process.commandLine", "only for Windows");
	nb_strv_free(&cfg->args);
	r = oci_string_array(c, args, "process.args", true, &cfg->args);
	if (r < 0)
		return r;
	if (cfg->args.items[0][0] == '\0')
		return oci_fail(c, "process.args[0]", "must not be empty");
	r = oci_req_string(c, process, "process", "cwd", &cwd);
	if (r < 0)
		return r;
	r = oci_check_abs(c, cwd, "process.cwd");
	if (r < 0)
		return r;
	return oci_set_string(c, &cfg->cwd, cwd);
}

static int parse_cap_set(struct oci_ctx *c, const json_t *caps, const char *key, uint64_t *mask)
{
	struct nb_strv names = { 0 };
	char path[OCI_PATH_MAX];
	int r;

	oci_key(path, "process.capabilities", key);
	*mask = 0;
	r = oci_opt_string_array(c, caps, "process.capabilities", key, &names);
	for (size_t i = 0; r >= 0 && i < names.len; i++) {
		int cap;

		if (nb_cap_from_name(names.items[i], &cap) < 0)
			r = oci_fail(c, path, "unknown capability '%s'", names.items[i]);
		else
			*mask |= UINT64_C(1) << cap;
	}
	nb_strv_free(&names);
	return r;
}

static int parse_capabilities(struct oci_ctx *c, const json_t *caps)
{
	struct nb_caps *sec = &c->cfg->sec.caps;
	int r = oci_check_object(c, caps, "process.capabilities");

	if (r >= 0)
		r = parse_cap_set(c, caps, "bounding", &sec->bounding);
	if (r >= 0)
		r = parse_cap_set(c, caps, "effective", &sec->effective);
	if (r >= 0)
		r = parse_cap_set(c, caps, "inheritable", &sec->inheritable);
	if (r >= 0)
		r = parse_cap_set(c, caps, "permitted", &sec->permitted);
	if (r >= 0)
		r = parse_cap_set(c, caps, "ambient", &sec->ambient);
	if (r >= 0)
		sec->set = true;
	return r;
}

static int parse_rlimit(struct oci_ctx *c, const json_t *v, const char *path,
			struct nb_rlimit *ret, uint64_t *seen)
{
	char sub[OCI_PATH_MAX];
	const char *type = NULL;
	int r = oci_check_object(c, v, path);

	if (r >= 0)
		r = oci_req_string(c, v, path, "type", &type);
	if (r < 0)
		return r;
	if (nb_rlimit_from_name(type, &ret->resource) < 0)
		return oci_fail(c, oci_key(sub, path, "type"), "unknown rlimit '%s'", type);
	if (*seen & (UINT64_C(1) << ret->resource))
		return oci_fail(c, oci_key(sub, path, "type"), "'%s' is set twice", type);
	*seen |= UINT64_C(1) << ret->resource;
	r = oci_req_u64(c, v, path, "soft", UINT64_MAX, &ret->soft);
	if (r >= 0)
		r = oci_req_u64(c, v, path, "hard", UINT64_MAX, &ret->hard);
	if (r >= 0 && ret->soft > ret->hard)
		return oci_fail(c, path, "soft limit %" PRIu64 " is above the hard limit %" PRIu64,
				ret->soft, ret->hard);
	return r;
}

static int parse_rlimits(struct oci_ctx *c, const json_t *v)
{
	struct nb_security *sec = &c->cfg->sec;
	char path[OCI_PATH_MAX];
	uint64_t seen = 0;
	size_t i;
	json_t *item;
	int r = oci_check_array(c, v, "process.rlimits");

	if (r < 0)
		return r;
	free(sec->rlimits);
	sec->n_rlimits = 0;
	sec->rlimits = calloc(json_array_size(v) + 1, sizeof(*sec->rlimits));
	if (!sec->rlimits)
		return oci_oom(c);
	json_array_foreach(v, i, item) {
		r = parse_rlimit(c, item, oci_index(path, "process.rlimits", i),
				 &sec->rlimits[i], &seen);
		if (r < 0)
			return r;
		sec->n_rlimits++;
	}
	return 0;
}

static int parse_ioprio(struct oci_ctx *c, const json_t *v)
{
	static const char *const classes[] = { "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE",
					       "IOPRIO_CLASS_IDLE" };
	struct nb_security *sec = &c->cfg->sec;
	const char *p = "process.ioPriority";
	const char *cls = NULL;
	int64_t level = 0;
	int r = oci_check_object(c, v, p);

	if (r >= 0)
		r = oci_req_string(c, v, p, "class", &cls);
	if (r >= 0)
		r = oci_opt_int(c, v, p, "priority", 0, 7, &level, NULL);
	if (r < 0)
		return r;
	for (size_t i = 0; i < NB_ARRAY_SIZE(classes); i++) {
		if (nb_streq(cls, classes[i])) {
			sec->has_ioprio = true;
			sec->ioprio_class = (int)i + 1;   /* IOPRIO_CLASS_RT is 1 */
			sec->ioprio_level = (int)level;
			return 0;
		}
	}
	return oci_fail(c, "process.ioPriority.class", "unknown class '%s' "
			"(IOPRIO_CLASS_RT, IOPRIO_CLASS_BE or IOPRIO_CLASS_IDLE)", cls);
}

/* sched(7) policy numbers; SCHED_ISO (4) is reserved and refused by Linux. */
static const struct { const char *name; int policy; } sched_policies[] = {
	{ "SCHED_OTHER", 0 }, { "SCHED_FIFO", 1 }, { "SCHED_RR", 2 }, { "SCHED_BATCH", 3 },
	{ "SCHED_ISO", 4 }, { "SCHED_IDLE", 5 }, { "SCHED_DEADLINE", 6 },
};

/* sched_setattr(2) flags, from <linux/sched.h>. */
static const struct { const char *name; uint64_t flag; } sched_flags[] = {
	{ "SCHED_FLAG_RESET_ON_FORK", 0x01 }, { "SCHED_FLAG_RECLAIM", 0x02 },
	{ "SCHED_FLAG_DL_OVERRUN", 0x04 }, { "SCHED_FLAG_KEEP_POLICY", 0x08 },
	{ "SCHED_FLAG_KEEP_PARAMS", 0x10 }, { "SCHED_FLAG_UTIL_CLAMP_MIN", 0x20 },
	{ "SCHED_FLAG_UTIL_CLAMP_MAX", 0x40 },
};

static int sched_policy(struct oci_ctx *c, const json_t *v, int *ret)
{
	const char *name = NULL;
	int r = oci_req_string(c, v, "process.scheduler", "policy", &name);

	if (r < 0)
		return r;
	for (size_t i = 0; i < NB_ARRAY_SIZE(sched_policies); i++) {
		if (nb_streq(name, sched_policies[i].name)) {
			*ret = sched_policies[i].policy;
			return 0;
		}
	}
	return oci_fail(c, "process.scheduler.policy", "unknown policy '%s'", name);
}

static int sched_flag_mask(struct oci_ctx *c, const json_t *v, uint64_t *ret)
{
	struct nb_strv names = { 0 };
	int r = oci_opt_string_array(c, v, "process.scheduler", "flags", &names);

	*ret = 0;
	for (size_t i = 0; r >= 0 && i < names.len; i++) {
		size_t j = 0;

		while (j < NB_ARRAY_SIZE(sched_flags) && !nb_streq(names.items[i], sched_flags[j].name))
			j++;
		if (j == NB_ARRAY_SIZE(sched_flags))
			r = oci_fail(c, "process.scheduler.flags", "unknown flag '%s'", names.items[i]);
		else
			*ret |= sched_flags[j].flag;
	}
	nb_strv_free(&names);
	return r;
}

static int check_sched(struct oci_ctx *c, const struct nb_security *s)
{
	bool rt = s->sched_policy == 1 || s->sched_policy == 2;

	if (rt && (s->sched_priority < 1 || s->sched_priority > 99))
		return oci_fail(c, "process.scheduler.priority",
				"must be 1 to 99 for SCHED_FIFO and SCHED_RR");
	if (!rt && s->sched_priority != 0)
		return oci_fail(c, "process.scheduler.priority", "only for SCHED_FIFO and SCHED_RR");
	if (s->sched_policy != 6) {
		if (s->sched_runtime || s->sched_deadline || s->sched_period)
			return oci_fail(c, "process.scheduler",
					"runtime, deadline and period are only for SCHED_DEADLINE");
		return 0;
	}
	if (s->sched_runtime == 0 || s->sched_runtime > s->sched_deadline ||
	    (s->sched_period && s->sched_deadline > s->sched_period))
		return oci_fail(c, "process.scheduler",
				"SCHED_DEADLINE needs 0 < runtime <= deadline <= period");
	return 0;
}

static int parse_scheduler(struct oci_ctx *c, const json_t *v)
{
	struct nb_security *s = &c->cfg->sec;
	const char *p = "process.scheduler";
	int64_t nice = 0, prio = 0;
	int r = oci_check_object(c, v, p);

	if (r >= 0)
		r = sched_policy(c, v, &s->sched_policy);
	if (r >= 0)
		r = oci_opt_int(c, v, p, "nice", -20, 19, &nice, NULL);
	if (r >= 0)
		r = oci_opt_int(c, v, p, "priority", INT32_MIN, INT32_MAX, &prio, NULL);
	if (r >= 0)
		r = sched_flag_mask(c, v, &s->sched_flags);
	if (r >= 0)
		r = oci_opt_u64(c, v, p, "runtime", UINT64_MAX, &s->sched_runtime, NULL);
	if (r >= 0)
		r = oci_opt_u64(c, v, p, "deadline", UINT64_MAX, &s->sched_deadline, NULL);
	if (r >= 0)
		r = oci_opt_u64(c, v, p, "period", UINT64_MAX, &s->sched_period, NULL);
	if (r < 0)
		return r;
	s->sched_nice = (int)nice;
	s->sched_priority = (int)prio;
	s->has_scheduler = true;
	return check_sched(c, s);
}

static int parse_console_size(struct oci_ctx *c, const json_t *v)
{
	struct nb_oci_extras *x = &c->cfg->oci;
	const char *p = "process.consoleSize";
	uint64_t h, w;
	int r = oci_check_object(c, v, p);

	if (r >= 0)
		r = oci_req_u64(c, v, p, "height", UINT16_MAX, &h);
	if (r >= 0)
		r = oci_req_u64(c, v, p, "width", UINT16_MAX, &w);
	if (r < 0)
		return r;
	x->has_console_size = true;
	x->console_height = (unsigned)h;
	x->console_width = (unsigned)w;
	return 0;
}

static int parse_lsm(struct oci_ctx *c, const json_t *process)
{
	struct nb_security *sec = &c->cfg->sec;
	const char *apparmor = NULL, *selinux = NULL;
	int r = oci_opt_string(c, process, "process", "apparmorProfile", &apparmor);

	if (r >= 0)
		r = oci_opt_string(c, process, "process", "selinuxLabel", &selinux);
	/* An empty string means none, as runc and crun read it. */
	if (r >= 0 && apparmor && *apparmor)
		r = oci_set_string(c, &sec->apparmor_profile, apparmor);
	if (r >= 0 && selinux && *selinux)
		r = oci_set_string(c, &sec->selinux_label, selinux);
	return r;
}

/* The optional objects of "process", each with its own parser. */
static int parse_extras(struct oci_ctx *c, const json_t *process)
{
	static const struct {
		const char *key;
		int (*parse)(struct oci_ctx *c, const json_t *v);
	} parts[] = {
		{ "capabilities", parse_capabilities }, { "rlimits", parse_rlimits },
		{ "ioPriority", parse_ioprio }, { "scheduler", parse_scheduler },
		{ "consoleSize", parse_console_size },
	};

	for (size_t i = 0; i < NB_ARRAY_SIZE(parts); i++) {
		json_t *v = oci_get(process, parts[i].key);
		int r = v ? parts[i].parse(c, v) : 0;

		if (r < 0)
			return r;
	}
	return 0;
}

int oci_parse_process(struct oci_ctx *c, const json_t *process)
{
	struct nb_config *cfg = c->cfg;
	int64_t oom;
	bool has_oom = false;
	int r;

	if (!process)
		return oci_fail(c, "process", "required");
	r = oci_check_object(c, process, "process");
	if (r >= 0 && oci_get(process, "execCPUAffinity"))
		r = oci_fail(c, "process.execCPUAffinity", "unsupported by nsbox");
	if (r >= 0)
		r = parse_command(c, process);
	if (r >= 0)
		r = parse_env(c, process);
	if (r >= 0)
		r = parse_user(c, process);
	if (r >= 0)
		r = oci_opt_bool(c, process, "process", "terminal", &cfg->tty);
	if (r >= 0)
		r = oci_opt_bool(c, process, "process", "noNewPrivileges", &cfg->sec.no_new_privs);
	if (r >= 0)
		r = oci_opt_int(c, process, "process", "oomScoreAdj", -1000, 1000, &oom, &has_oom);
	if (r >= 0)
		r = parse_lsm(c, process);
	if (r >= 0)
		r = parse_extras(c, process);
	if (r < 0)
		return r;
	cfg->sec.has_oom_score_adj = has_oom;
	cfg->sec.oom_score_adj = has_oom ? (int)oom : 0;
	return 0;
}
