/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/cgroups.h"
#include "base/cleanup.h"
#include "base/fileutil.h"
#include "linux/cgroup_bpf.h"
#include "linux/idmap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool nb_cgroups_wanted(const struct nb_config *cfg)
{
	const struct nb_resources *r = &cfg->oci.resources;

	return nb_cg_needed(r) != 0 || r->n_devices > 0 || cfg->oci.cgroup_parent != NULL;
}

/* Has PATH a "." or ".." component? A path is taken as it is written. */
static bool dotted(const char *path)
{
	for (const char *p = path; *p; p += strcspn(p, "/")) {
		size_t n;

		p += strspn(p, "/");
		n = strcspn(p, "/");
		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return true;
	}
	return false;
}

int nb_cgroups_path(const struct nb_config *cfg, const char *id, char *buf, size_t size,
		    struct nb_error *err)
{
	const char *given = id ? cfg->oci.cgroups_path : cfg->oci.cgroup_parent;
	char rel[4096];
	int n;

	if (id)
		n = given ? snprintf(rel, sizeof(rel), "%s", given) :
			    snprintf(rel, sizeof(rel), NB_CGROUP_DEFAULT_PARENT "/%s", id);
	else
		n = snprintf(rel, sizeof(rel), "%s/run-%d", given ? given : NB_CGROUP_DEFAULT_PARENT,
			     (int)getpid());
	if (n < 0 || (size_t)n >= sizeof(rel))
		return nb_error_set(err, ENAMETOOLONG, "cgroup path too long");
	if (dotted(rel))
		return nb_error_set(err, EINVAL, "cgroup path '%s': '.' and '..' are not allowed", rel);
	/* Relative: under nsbox's own cgroup, in each hierarchy (as runc). */
	if (rel[0] != '/' && nb_cgroup_resolve(rel, buf, size, err) < 0)
		return nb_error_prefix(err, "cgroup path '%s'", rel);
	if (rel[0] != '/')
		return 0;
	if ((size_t)n >= size)
		return nb_error_set(err, ENAMETOOLONG, "cgroup path too long");
	memcpy(buf, rel, (size_t)n + 1);
	return 0;
}

int nb_cgroups_update(struct nb_cgroup *cg, const struct nb_resources *r, struct nb_strv *warnings,
		      struct nb_error *err)
{
	struct nb_cg_writes w = { 0 };
	char cur[64];
	int64_t limit = NB_RES_UNSET;
	int rc;

	/* The order of memory writes depends on the limit in place. */
	if (nb_cgroup_read(cg, NB_CG_MEMORY, cg->on_v2[NB_CG_MEMORY] ? "memory.max" : "memory.limit_in_bytes",
			   cur, sizeof(cur)) > 0)
		limit = strncmp(cur, "max", 3) == 0 ? -1 : strtoll(cur, NULL, 10);
	rc = nb_cgroup_writes(cg, r, limit, "linux.resources", &w, err);
	if (rc >= 0)
		rc = nb_cgroup_apply(cg, &w, err);
	for (size_t i = 0; rc >= 0 && warnings && i < w.warnings.len; i++)
		if (nb_strv_push(warnings, w.warnings.items[i]) < 0)
			rc = nb_error_set(err, ENOMEM, "out of memory");
	nb_cg_writes_free(&w);
	return rc;
}

/* A number from FILE of CTRL's leaf ("max": -1), or NB_RES_UNSET. */
static int64_t current(const struct nb_cgroup *cg, enum nb_cg_controller ctrl, const char *file, int field)
{
	char buf[128], *p = buf;

	if (nb_cgroup_read(cg, ctrl, file, buf, sizeof(buf)) <= 0)
		return NB_RES_UNSET;
	while (field-- > 0 && (p = strchr(p, ' ')))
		p++;
	if (!p)
		return NB_RES_UNSET;
	return strncmp(p, "max", 3) == 0 ? -1 : strtoll(p, NULL, 10);
}

void nb_cgroups_complete(const struct nb_cgroup *cg, struct nb_resources *r)
{
	bool v2cpu = cg->on_v2[NB_CG_CPU], v2mem = cg->on_v2[NB_CG_MEMORY];

	/* cpu.max holds both: keep the one not given. */
	if (v2cpu && r->cpu_quota != NB_RES_UNSET && r->cpu_period == NB_RES_UNSET)
		r->cpu_period = current(cg, NB_CG_CPU, "cpu.max", 1);
	if (v2cpu && r->cpu_period != NB_RES_UNSET && r->cpu_quota == NB_RES_UNSET)
		r->cpu_quota = current(cg, NB_CG_CPU, "cpu.max", 0);
	/* OCI's swap is memory plus swap: it needs the limit. */
	if (r->memory_swap != NB_RES_UNSET && r->memory_limit == NB_RES_UNSET)
		r->memory_limit = current(cg, NB_CG_MEMORY, v2mem ? "memory.max" : "memory.limit_in_bytes", 0);
	if (v2mem && r->memory_limit != NB_RES_UNSET && r->memory_limit != 0 && r->memory_swap == NB_RES_UNSET) {
		int64_t swap = current(cg, NB_CG_MEMORY, "memory.swap.max", 0);

		if (swap != NB_RES_UNSET && r->memory_limit > 0)
			r->memory_swap = swap < 0 ? -1 : r->memory_limit + swap;
	}
}

static bool is_deny_all(const struct nb_device_rule *d)
{
	return !d->allow && d->type == 'a' && d->major < 0 && d->minor < 0;
}

/* The device rules a container's cgroup gets, as runc's: the config's own,
 * then runc's defaults (the basic nodes, mknod of any). A config that
 * never denies every device leaves all of them allowed, as in runc, where
 * the rules start from "allow all": then nothing is written. *RET: the
 * rules (malloc'd, or NULL for none). */
static int device_rules(const struct nb_resources *r, struct nb_device_rule **ret, size_t *ret_n,
			struct nb_error *err)
{
	size_t n_def, k = 0;
	const struct nb_device_rule *def = nb_cg_default_device_rules(&n_def);
	bool restricts = false;

	*ret = NULL;
	*ret_n = 0;
	for (size_t i = 0; i < r->n_devices; i++)
		restricts |= is_deny_all(&r->devices[i]);
	if (!restricts)
		return 0;
	*ret = calloc(r->n_devices + n_def, sizeof(**ret));
	if (!*ret)
		return nb_error_set(err, ENOMEM, "out of memory");
	/* What comes before the last deny-all means nothing. */
	for (size_t i = 0; i < r->n_devices; i++)
		if (is_deny_all(&r->devices[i]))
			k = i;
	for (size_t i = k; i < r->n_devices; i++)
		(*ret)[(*ret_n)++] = r->devices[i];
	for (size_t i = 0; i < n_def; i++)
		(*ret)[(*ret_n)++] = def[i];
	return 0;
}

/* The host's root may make cgroups; another user (or root in a user
 * namespace: rootless podman) only in a subtree delegated to it, found by
 * trying. */
static bool host_root(void)
{
	return geteuid() == 0 && nb_in_initial_userns();
}

/* Rootless without a limit, a sandbox goes without a cgroup of its own
 * when it cannot have one, whatever the reason (as runc). Its
 * device rules do not count: rootless, it cannot make a device node, and
 * gets only the ones bound from the host (runc and crun ignore them too). */
static bool may_fail_quietly(const struct nb_config *cfg)
{
	return !host_root() && (nb_cg_needed(&cfg->oci.resources) & ~(1u << NB_CG_DEVICES)) == 0;
}

/* The limits CG gets at its birth: the config's, without its device
 * rules (nb_cgroups_devices()). */
static int apply_first(struct nb_cgroup *cg, const struct nb_config *cfg, struct nb_strv *warnings,
		       struct nb_error *err)
{
	struct nb_resources res = cfg->oci.resources;

	res.devices = NULL;
	res.n_devices = 0;
	return nb_cgroups_update(cg, &res, warnings, err);
}

int nb_cgroups_devices(struct nb_cgroup *cg, const struct nb_config *cfg, struct nb_error *err)
{
	struct nb_resources res;
	_cleanup_free_ struct nb_device_rule *rules = NULL;
	size_t n = 0;
	int r;

	/* Rootless: none (see may_fail_quietly()). */
	if (!host_root())
		return 0;
	r = device_rules(&cfg->oci.resources, &rules, &n, err);
	if (r < 0 || n == 0)
		return r;
	if (cg->on_v2[NB_CG_DEVICES])
		return nb_cg_devices_apply(nb_cgroup_v2_fd(cg), rules, n, err);
	nb_resources_init(&res);
	res.devices = rules;
	res.n_devices = n;
	return nb_cgroups_update(cg, &res, NULL, err);
}

void nb_cgroups_sweep_runs(const struct nb_cgroup *cg)
{
	const char *slash = cg->path ? strrchr(cg->path, '/') : NULL;
	char own[32];

	/* Only beside a leaf of `nsbox run`'s own naming ("run-<our pid>"). */
	snprintf(own, sizeof(own), "/run-%d", (int)getpid());
	if (slash && strcmp(slash, own) == 0)
		nb_cgroup_sweep_siblings(cg, "run-");
}

int nb_cgroups_make(struct nb_cgroup *cg, const struct nb_config *cfg, const char *path, unsigned extra,
		    bool every, bool required, bool *ret_made, struct nb_strv *warnings,
		    struct nb_error *err)
{
	unsigned needed = nb_cg_needed(&cfg->oci.resources) | extra;
	/* A judged run (REQUIRED) reads its CPU time (v1's cpuacct, or a hybrid
	 * host's cgroup2 leaf) and watches its events; a sandbox without a pid
	 * namespace of its own is killed through the cgroup (v1's freezer, or
	 * the cgroup2 leaf's cgroup.kill). */
	bool pidns = cfg->ns[NB_NS_PID].mode == NB_NS_NEW;
	unsigned want = every ? 0 : needed | (required ? (1u << NB_CG_CPUACCT) | (1u << NB_CG_CORE) : 0) |
					 (pidns ? 0 : (1u << NB_CG_FREEZER) | (1u << NB_CG_CORE));
	struct nb_error quiet = { 0 };
	int r;

	*ret_made = false;
	if (!host_root())
		needed &= ~(1u << NB_CG_DEVICES);
	r = nb_cgroup_create(cg, path, needed, want, host_root() ? err : &quiet);
	if (r < 0 && !required && may_fail_quietly(cfg))
		return 0;
	if (r < 0 && !host_root()) {
		*err = quiet;
		if (required && !nb_cgroups_wanted(cfg))
			return nb_error_prefix(err, "a watched run (time limits, --output-limit, --report, "
					       "--meta) needs a cgroup of its own, which a rootless sandbox "
					       "may make only in a delegated cgroup v2 subtree");
		return nb_error_prefix(err, "the limits of a rootless sandbox need a cgroup it may "
				       "make (a delegated cgroup v2 subtree)");
	}
	if (r < 0)
		return r;
	*ret_made = true;
	r = apply_first(cg, cfg, warnings, err);
	if (r < 0) {
		struct nb_error ignored;

		nb_cgroup_destroy(cg, &ignored);
		*ret_made = false;
	}
	return r;
}

int nb_cgroups_end(struct nb_cgroup *cg, struct nb_error *err)
{
	struct nb_error ignored;
	int r = nb_cgroup_kill(cg, err);

	/* Even when the kill failed: its processes may be gone (a pid
	 * namespace ended), and a populated cgroup's rmdir fails harmlessly. */
	if (r >= 0)
		r = nb_cgroup_destroy(cg, err);
	else
		nb_cgroup_destroy(cg, &ignored);
	return r;
}
