/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "spec/config.h"
#include "spec/run_security.h"
#include "base/cleanup.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const ns_names[NB_NS_COUNT] = {
	[NB_NS_USER] = "user", [NB_NS_PID] = "pid", [NB_NS_MNT] = "mnt",
	[NB_NS_UTS] = "uts", [NB_NS_IPC] = "ipc", [NB_NS_NET] = "net",
	[NB_NS_CGROUP] = "cgroup", [NB_NS_TIME] = "time",
};

const char *nb_ns_name(enum nb_ns_type type)
{
	return type < NB_NS_COUNT ? ns_names[type] : "?";
}

int nb_ns_from_name(const char *name, enum nb_ns_type *ret)
{
	if (nb_streq(name, "mount")) {
		*ret = NB_NS_MNT;
		return 0;
	}
	for (int i = 0; i < NB_NS_COUNT; i++) {
		if (nb_streq(name, ns_names[i])) {
			*ret = (enum nb_ns_type)i;
			return 0;
		}
	}
	return -EINVAL;
}

void nb_mount_clear(struct nb_mount *m)
{
	free(m->source);
	free(m->dest);
	free(m->data);
	free(m->fstype);
	free(m->uid_map);
	free(m->gid_map);
	memset(m, 0, sizeof(*m));
}

void nb_config_init(struct nb_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	/* The secure default: every namespace new except user and time,
	 * which finalize adds when needed (rootless) or asked for. */
	cfg->ns[NB_NS_PID].mode = NB_NS_NEW;
	cfg->ns[NB_NS_MNT].mode = NB_NS_NEW;
	cfg->ns[NB_NS_UTS].mode = NB_NS_NEW;
	cfg->ns[NB_NS_IPC].mode = NB_NS_NEW;
	cfg->ns[NB_NS_NET].mode = NB_NS_NEW;
	cfg->ns[NB_NS_CGROUP].mode = NB_NS_NEW;
	cfg->init = true;
	cfg->pdeathsig = true;
	nb_resources_init(&cfg->oci.resources);   /* no limit */
}

void nb_config_free(struct nb_config *cfg)
{
	for (int i = 0; i < NB_NS_COUNT; i++)
		free(cfg->ns[i].path);
	free(cfg->rootfs);
	for (size_t i = 0; i < cfg->n_mounts; i++)
		nb_mount_clear(&cfg->mounts[i]);
	free(cfg->mounts);
	nb_strv_free(&cfg->args);
	nb_strv_free(&cfg->env);
	free(cfg->cwd);
	free(cfg->groups);
	free(cfg->hostname);
	nb_net_spec_free(&cfg->net);
	nb_security_free(&cfg->sec);
	nb_oci_extras_free(&cfg->oci);
	memset(cfg, 0, sizeof(*cfg));
}

int nb_config_add_mount(struct nb_config *cfg, const struct nb_mount *m, struct nb_error *err)
{
	struct nb_mount *mounts;
	struct nb_mount copy = { .kind = m->kind, .flags = m->flags, .propagation = m->propagation,
				 .propagation_recursive = m->propagation_recursive };

	mounts = realloc(cfg->mounts, (cfg->n_mounts + 1) * sizeof(*mounts));
	if (!mounts)
		return nb_error_set(err, ENOMEM, "out of memory");
	cfg->mounts = mounts;
	copy.source = m->source ? strdup(m->source) : NULL;
	copy.dest = m->dest ? strdup(m->dest) : NULL;
	copy.data = m->data ? strdup(m->data) : NULL;
	copy.fstype = m->fstype ? strdup(m->fstype) : NULL;
	copy.uid_map = m->uid_map ? malloc(sizeof(*m->uid_map)) : NULL;
	copy.gid_map = m->gid_map ? malloc(sizeof(*m->gid_map)) : NULL;
	if (copy.uid_map)
		*copy.uid_map = *m->uid_map;
	if (copy.gid_map)
		*copy.gid_map = *m->gid_map;
	if ((m->source && !copy.source) || (m->dest && !copy.dest) || (m->data && !copy.data) ||
	    (m->fstype && !copy.fstype) || (m->uid_map && !copy.uid_map) ||
	    (m->gid_map && !copy.gid_map)) {
		nb_mount_clear(&copy);
		return nb_error_set(err, ENOMEM, "out of memory");
	}
	cfg->mounts[cfg->n_mounts++] = copy;
	return 0;
}

static bool is_tmp(const char *dest)
{
	return dest && strncmp(dest, "/tmp", 4) == 0 && dest[4 + strspn(dest + 4, "/")] == '\0';
}

int nb_config_add_default_mounts(struct nb_config *cfg, struct nb_error *err)
{
	static const struct nb_mount defaults[] = {
		{ NB_MOUNT_PROC, NULL, "/proc", NB_MNT_NOSUID | NB_MNT_NODEV | NB_MNT_NOEXEC, NULL },
		{ NB_MOUNT_DEV, NULL, "/dev", NB_MNT_NOSUID | NB_MNT_NOEXEC, "mode=755,size=65536k" },
		{ NB_MOUNT_DEVPTS, NULL, "/dev/pts", NB_MNT_NOSUID | NB_MNT_NOEXEC,
		  "newinstance,ptmxmode=0666,mode=620" },
		{ NB_MOUNT_TMPFS, NULL, "/tmp", NB_MNT_NOSUID | NB_MNT_NODEV, NB_RUN_TMP_OPTIONS },
		{ NB_MOUNT_SYSFS, NULL, "/sys",
		  NB_MNT_RDONLY | NB_MNT_NOSUID | NB_MNT_NODEV | NB_MNT_NOEXEC, NULL },
	};
	size_t n = NB_ARRAY_SIZE(defaults), k = 0;
	struct nb_mount *mounts = calloc(cfg->n_mounts + n, sizeof(*mounts));
	bool own_tmp = false, oom = false;

	if (!mounts)
		return nb_error_set(err, ENOMEM, "out of memory");
	/* A /tmp of the caller's (--tmpfs /tmp:size=1g) replaces ours. */
	for (size_t i = 0; i < cfg->n_mounts; i++)
		own_tmp = own_tmp || is_tmp(cfg->mounts[i].dest);
	for (size_t i = 0; i < n; i++) {
		struct nb_mount *m = &mounts[k];

		if (own_tmp && is_tmp(defaults[i].dest))
			continue;
		*m = defaults[i];
		m->dest = strdup(defaults[i].dest);
		m->data = defaults[i].data ? strdup(defaults[i].data) : NULL;
		k++;
		oom = oom || !m->dest || (defaults[i].data && !m->data);
	}
	/* Keep the caller's mounts after the defaults: later mounts win. */
	if (cfg->n_mounts)
		memcpy(mounts + k, cfg->mounts, cfg->n_mounts * sizeof(*mounts));
	free(cfg->mounts);
	cfg->mounts = mounts;
	cfg->n_mounts += k;
	return oom ? nb_error_set(err, ENOMEM, "out of memory") : 0;
}

int nb_parse_id(const char *flag, const char *text, uint32_t *ret, struct nb_error *err)
{
	if (nb_parse_u32(text, ret) < 0 || *ret == UINT32_MAX)
		return nb_error_usage(err, "%s '%s': expected a number from 0 to 4294967294", flag, text);
	return 0;
}

int nb_parse_user(const char *flag, const char *text, struct nb_config *cfg, struct nb_error *err)
{
	const char *colon = strchr(text, ':');
	_cleanup_free_ char *uid_text = strndup(text, colon ? (size_t)(colon - text) : strlen(text));
	uint32_t uid, gid = 0;
	struct nb_error ignored;

	if (!uid_text)
		return nb_error_set(err, ENOMEM, "out of memory");
	if (nb_parse_id(flag, uid_text, &uid, &ignored) < 0 ||
	    (colon && nb_parse_id(flag, colon + 1, &gid, &ignored) < 0))
		return nb_error_usage(err, "%s '%s': expected UID[:GID], each a number from 0 to 4294967294",
				      flag, text);
	cfg->uid = uid;
	cfg->set_uid = true;
	if (colon) {
		cfg->gid = gid;
		cfg->set_gid = true;
	}
	return 0;
}

static int check_ns_conflicts(const struct nb_config *cfg, struct nb_error *err)
{
	bool own_mnt = cfg->ns[NB_NS_MNT].mode == NB_NS_NEW;
	bool own_uts = cfg->ns[NB_NS_UTS].mode == NB_NS_NEW;
	bool own_user = cfg->ns[NB_NS_USER].mode == NB_NS_NEW;

	if (!own_mnt && (cfg->rootfs || cfg->root_readonly))
		return nb_error_usage(err, "--rootfs and --ro need a new mount namespace (mnt is %s)",
				      cfg->ns[NB_NS_MNT].mode == NB_NS_JOIN ? "joined" : "shared");
	for (size_t i = 0; !own_mnt && i < cfg->n_mounts; i++)
		if (cfg->mounts[i].kind == NB_MOUNT_BIND || cfg->mounts[i].kind == NB_MOUNT_TMPFS)
			return nb_error_usage(err, "mount '%s' needs a new mount namespace (mnt is %s)",
					      cfg->mounts[i].dest,
					      cfg->ns[NB_NS_MNT].mode == NB_NS_JOIN ? "joined" : "shared");
	if (!own_uts && cfg->hostname)
		return nb_error_usage(err, "--hostname needs a new uts namespace (uts is %s)",
				      cfg->ns[NB_NS_UTS].mode == NB_NS_JOIN ? "joined" : "shared");
	/* Without a pid namespace of its own, the command is not a PID 1 whose
	 * death takes the rest along, and with no init nothing would kill its
	 * children when nsbox dies. */
	if (!cfg->init && cfg->ns[NB_NS_PID].mode != NB_NS_NEW && cfg->pdeathsig)
		return nb_error_usage(err, "--no-init needs a new pid namespace (pid is %s): "
				      "nothing would end the command's children when nsbox dies",
				      cfg->ns[NB_NS_PID].mode == NB_NS_JOIN ? "joined" : "shared");
	if (!own_user && (cfg->uid_map.len || cfg->gid_map.len))
		return nb_error_usage(err, "--map-users and --map-groups need a new user namespace (user is %s)",
				      cfg->ns[NB_NS_USER].mode == NB_NS_JOIN ? "joined" : "shared");
	return 0;
}

static int default_map(struct nb_idmap *map, uint32_t outside)
{
	map->range[0] = (struct nb_idmap_range){ .inside = 0, .outside = outside, .count = 1 };
	map->len = 1;
	return 0;
}

int nb_config_finalize(struct nb_config *cfg, const struct nb_host *host, struct nb_error *err)
{
	int r;

	if (cfg->args.len == 0)
		return nb_error_usage(err, "no command given");
	/* execvp("") fails after the sandbox is made, and OCI refuses an empty
	 * args[0] (the plan kept for `exec` would not load). */
	if (cfg->args.items[0][0] == '\0')
		return nb_error_usage(err, "the command must not be empty");
	/* Rootless, or maps asked for: a user namespace is needed. */
	if (cfg->ns[NB_NS_USER].mode == NB_NS_SHARE && !cfg->share_user &&
	    (host->euid != 0 || cfg->uid_map.len || cfg->gid_map.len))
		cfg->ns[NB_NS_USER].mode = NB_NS_NEW;
	r = check_ns_conflicts(cfg, err);
	if (r < 0)
		return r;
	if (cfg->ns[NB_NS_USER].mode == NB_NS_NEW) {
		if (cfg->uid_map.len == 0)
			default_map(&cfg->uid_map, host->euid);
		if (cfg->gid_map.len == 0)
			default_map(&cfg->gid_map, host->egid);
		r = nb_idmap_validate(&cfg->uid_map, "--map-users", err);
		if (r < 0)
			return r;
		r = nb_idmap_validate(&cfg->gid_map, "--map-groups", err);
		if (r < 0)
			return r;
		if (cfg->set_uid && !nb_idmap_maps_inside(&cfg->uid_map, cfg->uid))
			return nb_error_usage(err, "--uid %u: not mapped in the user namespace (see --map-users)",
					      (unsigned)cfg->uid);
		if (cfg->set_gid && !nb_idmap_maps_inside(&cfg->gid_map, cfg->gid))
			return nb_error_usage(err, "--gid %u: not mapped in the user namespace (see --map-groups)",
					      (unsigned)cfg->gid);
		/* The identity without --uid/--gid is root of the namespace. */
		if (!cfg->set_uid && !nb_idmap_maps_inside(&cfg->uid_map, 0))
			return nb_error_usage(err, "uid 0 (the default; use --uid) is not mapped in the user "
					      "namespace (see --map-users)");
		if (!cfg->set_gid && !nb_idmap_maps_inside(&cfg->gid_map, 0))
			return nb_error_usage(err, "gid 0 (the default; use --gid) is not mapped in the user "
					      "namespace (see --map-groups)");
		for (size_t i = 0; i < cfg->n_groups; i++)
			if (!nb_idmap_maps_inside(&cfg->gid_map, cfg->groups[i]))
				return nb_error_usage(err, "--groups %u: not mapped in the user namespace (see --map-groups)",
						      (unsigned)cfg->groups[i]);
	}
	if (cfg->ns[NB_NS_MNT].mode == NB_NS_NEW && cfg->rootfs == NULL)
		cfg->root_readonly = true;
	return 0;
}

#define CAP_SYS_PTRACE_ 19

static bool allows(enum nb_seccomp_action a)
{
	return a == NB_SECCOMP_ALLOW || a == NB_SECCOMP_LOG;
}

/* Does the filter certainly let execveat(2) through, whatever its
 * arguments? Judged on the rules as written, conservatively. */
static bool seccomp_allows_execveat(const struct nb_security *sec)
{
	const struct nb_seccomp *sc = &sec->seccomp;
	bool named_allow = false;

	if (sec->seccomp_builtin || !sc->set)   /* the default profile allows it */
		return true;
	for (size_t i = 0; i < sc->n_rules; i++) {
		const struct nb_seccomp_rule *rule = &sc->rules[i];
		bool named = false;

		for (size_t k = 0; k < rule->names.len; k++)
			named = named || nb_streq(rule->names.items[k], "execveat");
		if (!named)
			continue;
		if (!allows(rule->action))
			return false;
		named_allow = named_allow || rule->n_args == 0;
	}
	return named_allow || allows(sc->default_action);
}

/* PATH is "/dev" once empty and "." components are dropped. */
static bool is_dev(const char *path)
{
	bool seen = false;

	for (const char *p = path; *p; ) {
		size_t n = strcspn(p, "/");

		if (n == 3 && memcmp(p, "dev", 3) == 0 && !seen)
			seen = true;
		else if (n != 0 && !(n == 1 && p[0] == '.'))
			return false;
		p += n;
		p += strspn(p, "/");
	}
	return seen && path[0] == '/';
}

bool nb_config_binds_dev(const struct nb_config *cfg)
{
	for (size_t i = 0; i < cfg->n_mounts; i++)
		if (cfg->mounts[i].kind == NB_MOUNT_BIND && cfg->mounts[i].dest && is_dev(cfg->mounts[i].dest))
			return true;
	return false;
}

bool nb_config_may_ptrace_runtime(const struct nb_config *cfg)
{
	const struct nb_caps *caps = &cfg->sec.caps;

	if (cfg->ns[NB_NS_USER].mode == NB_NS_NEW)
		return false;
	return !caps->set || (caps->bounding & (1ULL << CAP_SYS_PTRACE_));
}

bool nb_config_exposes_runtime(const struct nb_config *cfg)
{
	return nb_config_may_ptrace_runtime(cfg) || !seccomp_allows_execveat(&cfg->sec);
}
