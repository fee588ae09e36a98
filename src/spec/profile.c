/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "spec/profile.h"
#include "base/cleanup.h"
#include "base/strutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* One option of run_limits.h or judge_args.h, as if typed (no "--"). */
struct setting {
	const char *option;
	const char *value;
};

struct profile {
	const char *name;
	const struct setting *settings;   /* ends with { NULL } */
	bool net_none, net_allowed;       /* none; pasta or bridge --nat */
	bool command_pids, hidepid, strict_mounts;
	bool no_time_limits;              /* clear the judge's time limits */
	bool init;                        /* nsbox's init as PID 1 */
	const char *tmp, *shm;            /* --tmpfs values, or NULL */
};

/* The values, and the table in profile.h, are the documentation's:
 * keep them, nsbox-run(1) and --help together. */
static const struct setting judge_settings[] = {
	{ "memory", "256m" }, { "time-limit", "10" }, { "wall-time-limit", "20" },
	{ "fsize", "64m" }, { "nofile", "64" }, { "core", "0" }, { NULL, NULL },
};
static const struct setting ci_settings[] = {
	{ "pids", "4096" }, { "memory", "4g" }, { "core", "0" }, { NULL, NULL },
};
static const struct setting service_settings[] = {
	{ "pids", "16384" }, { "core", "0" }, { NULL, NULL },
};

static const struct profile profiles[] = {
	{ .name = "judge", .settings = judge_settings, .net_none = true, .command_pids = true,
	  .hidepid = true, .strict_mounts = true, .tmp = "/tmp:size=64m,nr_inodes=65536",
	  .shm = "/dev/shm:size=16m,nr_inodes=16384" },
	{ .name = "ci", .settings = ci_settings, .net_allowed = true,
	  .tmp = "/tmp:size=1g", .shm = "/dev/shm:size=64m" },
	{ .name = "service", .settings = service_settings, .net_allowed = true,
	  .no_time_limits = true, .init = true },
};

static const struct profile *find(const char *name)
{
	for (size_t i = 0; i < NB_ARRAY_SIZE(profiles); i++)
		if (nb_streq(name, profiles[i].name))
			return &profiles[i];
	return NULL;
}

bool nb_profile_exists(const char *name)
{
	return find(name) != NULL;
}

/* Do paths A and B name the same place, "/tmp" and "//tmp/" alike? (No
 * "." or ".." is resolved: a mount's destination has none that matters
 * here, and a miss only stacks two mounts, the later one on top.) */
static bool same_dest(const char *a, const char *b)
{
	for (;;) {
		a += strspn(a, "/");
		b += strspn(b, "/");
		size_t la = strcspn(a, "/"), lb = strcspn(b, "/");

		if (la != lb || strncmp(a, b, la) != 0)
			return false;
		if (la == 0)
			return true;
		a += la;
		b += lb;
	}
}

static void remove_mount(struct nb_config *cfg, size_t i)
{
	nb_mount_clear(&cfg->mounts[i]);
	memmove(&cfg->mounts[i], &cfg->mounts[i + 1], (cfg->n_mounts - i - 1) * sizeof(*cfg->mounts));
	cfg->n_mounts--;
}

/* Forget the profile's mount number K (it was removed, or replaced). */
static void forget(struct nb_profile_state *ps, size_t k)
{
	ps->mount_index[k] = ps->mount_index[ps->n_mounts - 1];
	ps->n_mounts--;
}

/* Remove mount I of CFG, keeping the indices of the profile's own right. */
static void remove_at(struct nb_profile_state *ps, struct nb_config *cfg, size_t i)
{
	remove_mount(cfg, i);
	for (size_t k = 0; k < ps->n_mounts; k++) {
		if (ps->mount_index[k] == i) {
			forget(ps, k--);
			continue;
		}
		if (ps->mount_index[k] > i)
			ps->mount_index[k]--;
	}
}

/* A tmpfs of the profile's ("/tmp:size=64m"): it replaces the mounts at
 * the same destination that came before it. */
static int add_tmpfs(struct nb_profile_state *ps, struct nb_config *cfg, const char *text,
		     struct nb_error *err)
{
	struct nb_mount m;
	int r = nb_mount_parse_tmpfs(text, &m, err);

	if (r < 0)
		return r;
	for (size_t i = cfg->n_mounts; i-- > 0; )
		if (cfg->mounts[i].dest && same_dest(cfg->mounts[i].dest, m.dest))
			remove_at(ps, cfg, i);
	r = nb_config_add_mount(cfg, &m, err);
	nb_mount_clear(&m);
	if (r < 0)
		return r;
	ps->mount_index[ps->n_mounts++] = cfg->n_mounts - 1;
	return 0;
}

/* The network: none, or "allowed" (profile.h), replacing any earlier
 * choice of the network, --share net and --join net included. */
static int set_net(struct nb_profile_state *ps, const struct profile *p, struct nb_profile_target *t,
		   struct nb_error *err)
{
	struct nb_ns_spec *ns = &t->cfg->ns[NB_NS_NET];
	struct nb_net_spec *net = &t->cfg->net;
	const char *mode = p->net_none ? "none" : t->euid == 0 ? "bridge" : "pasta";
	int r;

	free(net->network);
	free(net->container);
	net->network = net->container = NULL;
	net->mode = NB_NET_UNSET;
	net->nat = false;
	if (ns->mode != NB_NS_NEW) {
		free(ns->path);
		ns->path = NULL;
		ns->mode = NB_NS_NEW;
	}
	r = nb_net_parse_mode(mode, net, err);
	if (r < 0)
		return r;
	net->nat = net->mode == NB_NET_BRIDGE;
	*t->net_arg = ps->net_arg = mode;
	return 0;
}

static int apply_settings(const struct setting *s, struct nb_profile_target *t, struct nb_error *err)
{
	for (; s->option; s++) {
		int r;

		if (nb_run_limits_is_option(s->option))
			r = nb_run_limits_parse(t->rl, s->option, s->value, err);
		else
			r = nb_judge_parse(t->judge, s->option, s->value, err);
		if (r < 0)
			return nb_error_prefix(err, "--profile");
	}
	return 0;
}

int nb_profile_apply(struct nb_profile_state *ps, const char *name, struct nb_profile_target *t,
		     struct nb_error *err)
{
	const struct profile *p = find(name);
	int r = 0;

	if (!p)
		return nb_error_usage(err, "--profile '%s': expected judge, ci or service", name);
	if (ps->name)
		return nb_error_usage(err, "--profile given twice ('%s' and '%s')", ps->name, name);
	ps->name = p->name;
	r = apply_settings(p->settings, t, err);
	if (r >= 0 && (p->net_none || p->net_allowed))
		r = set_net(ps, p, t, err);
	if (r >= 0 && p->tmp)
		r = add_tmpfs(ps, t->cfg, p->tmp, err);
	if (r >= 0 && p->shm)
		r = add_tmpfs(ps, t->cfg, p->shm, err);
	if (r < 0)
		return r;
	if (p->command_pids)
		ps->command_pids = true;
	if (p->strict_mounts) {
		ps->strict_mounts = true;
		t->rs->allow_suid = t->rs->allow_devices = false;
	}
	ps->hidepid = ps->hidepid || p->hidepid;
	if (p->no_time_limits)
		t->judge->cpu_us = t->judge->wall_us = t->judge->extra_us = NB_JUDGE_UNSET;
	if (p->init)
		t->cfg->init = true;
	return 0;
}

void nb_profile_note_net(struct nb_profile_state *ps, struct nb_net_spec *net, const char **net_arg)
{
	if (!ps->net_arg || *net_arg != ps->net_arg)
		return;
	free(net->network);
	net->network = NULL;
	net->mode = NB_NET_UNSET;
	net->nat = false;
	*net_arg = ps->net_arg = NULL;
}

void nb_profile_note_pids(struct nb_profile_state *ps)
{
	ps->command_pids = false;
}

void nb_profile_note_mount(struct nb_profile_state *ps, struct nb_config *cfg, const char *dest)
{
	for (size_t k = 0; k < ps->n_mounts; k++) {
		size_t i = ps->mount_index[k];

		if (same_dest(cfg->mounts[i].dest, dest)) {
			remove_at(ps, cfg, i);
			return;
		}
	}
}

#define HIDEPID "hidepid=invisible"

/* /proc with hidepid=invisible: only the processes the command may
 * ptrace are there. */
static int set_hidepid(struct nb_config *cfg, struct nb_error *err)
{
	for (size_t i = 0; i < cfg->n_mounts; i++) {
		struct nb_mount *m = &cfg->mounts[i];
		size_t len = m->data ? strlen(m->data) + 1 : 0;
		char *data;

		if (m->kind != NB_MOUNT_PROC)
			continue;
		data = malloc(len + sizeof(HIDEPID));
		if (!data)
			return nb_error_set(err, ENOMEM, "out of memory");
		if (m->data) {
			memcpy(data, m->data, len - 1);
			data[len - 1] = ',';
		}
		memcpy(data + len, HIDEPID, sizeof(HIDEPID));
		free(m->data);
		m->data = data;
	}
	return 0;
}

int nb_profile_finish(const struct nb_profile_state *ps, const struct nb_run_security *rs,
		      struct nb_run_limits *rl, struct nb_config *cfg, struct nb_error *err)
{
	if (ps->command_pids)
		rl->res.pids_limit = cfg->init ? 2 : 1;
	if (ps->strict_mounts) {
		unsigned nosuid = rs->allow_suid ? 0 : NB_MNT_NOSUID;
		unsigned nodev = rs->allow_devices ? 0 : NB_MNT_NODEV;

		for (size_t i = 0; i < cfg->n_mounts; i++) {
			enum nb_mount_kind kind = cfg->mounts[i].kind;
			bool devices = kind == NB_MOUNT_DEV || kind == NB_MOUNT_DEVPTS;

			cfg->mounts[i].flags |= nosuid | (devices ? 0 : nodev);
		}
	}
	return ps->hidepid ? set_hidepid(cfg, err) : 0;
}
