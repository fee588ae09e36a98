/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* config.json "mounts": kinds, flags, propagation, id maps, filesystem options. */
#include "spec/oci_internal.h"
#include "base/cleanup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum opt_kind {
	O_FLAGS,      /* set and clear NB_MNT_* flags */
	O_PROP,       /* propagation */
	O_BIND,       /* bind, rbind */
	O_IDMAP,      /* idmap, ridmap */
	O_COPYUP,     /* tmpcopyup */
	O_IGNORE,     /* accepted, nothing to do (async, defaults...) */
};

struct mount_opt {
	const char *name;
	enum opt_kind kind;
	unsigned set, clear;     /* O_FLAGS */
	bool recursive;          /* rro, rbind, rshared, ridmap... */
	enum nb_mount_propagation prop;
};

#define ATIMES (NB_MNT_RELATIME | NB_MNT_NOATIME | NB_MNT_STRICTATIME)

/* A flag option and its "r" form, which applies to every submount too. */
#define FLAG(name, set, clear) \
	{ name, O_FLAGS, set, clear, false, 0 }, { "r" name, O_FLAGS, set, clear, true, 0 }
#define PROP(name, p) { name, O_PROP, 0, 0, false, p }, { "r" name, O_PROP, 0, 0, true, p }
#define IGNORE(name) { name, O_IGNORE, 0, 0, false, 0 }

static const struct mount_opt mount_opts[] = {
	FLAG("ro", NB_MNT_RDONLY, 0), FLAG("rw", 0, NB_MNT_RDONLY),
	FLAG("nosuid", NB_MNT_NOSUID, 0), FLAG("suid", 0, NB_MNT_NOSUID),
	FLAG("nodev", NB_MNT_NODEV, 0), FLAG("dev", 0, NB_MNT_NODEV),
	FLAG("noexec", NB_MNT_NOEXEC, 0), FLAG("exec", 0, NB_MNT_NOEXEC),
	/* The atime modes exclude each other: setting one clears the rest. */
	FLAG("relatime", NB_MNT_RELATIME, ATIMES), FLAG("norelatime", 0, NB_MNT_RELATIME),
	FLAG("noatime", NB_MNT_NOATIME, ATIMES), FLAG("atime", 0, NB_MNT_NOATIME),
	FLAG("strictatime", NB_MNT_STRICTATIME, ATIMES),
	FLAG("nostrictatime", 0, NB_MNT_STRICTATIME),
	FLAG("nodiratime", NB_MNT_NODIRATIME, 0), FLAG("diratime", 0, NB_MNT_NODIRATIME),
	FLAG("nosymfollow", NB_MNT_NOSYMFOLLOW, 0), FLAG("symfollow", 0, NB_MNT_NOSYMFOLLOW),
	PROP("private", NB_MPROP_PRIVATE), PROP("shared", NB_MPROP_SHARED),
	PROP("slave", NB_MPROP_SLAVE), PROP("unbindable", NB_MPROP_UNBINDABLE),
	{ "bind", O_BIND, 0, 0, false, 0 }, { "rbind", O_BIND, 0, 0, true, 0 },
	{ "idmap", O_IDMAP, 0, 0, false, 0 }, { "ridmap", O_IDMAP, 0, 0, true, 0 },
	{ "tmpcopyup", O_COPYUP, 0, 0, false, 0 },
	{ "sync", O_FLAGS, NB_MNT_SYNC, 0, false, 0 }, { "async", O_FLAGS, 0, NB_MNT_SYNC, false, 0 },
	{ "dirsync", O_FLAGS, NB_MNT_DIRSYNC, 0, false, 0 },
	IGNORE("defaults"),
	IGNORE("remount"), IGNORE("mand"), IGNORE("nomand"), IGNORE("silent"), IGNORE("loud"),
	IGNORE("lazytime"), IGNORE("nolazytime"), IGNORE("iversion"), IGNORE("noiversion"),
};

const char *oci_mount_option(size_t i)
{
	return i < NB_ARRAY_SIZE(mount_opts) ? mount_opts[i].name : NULL;
}

static const struct mount_opt *find_opt(const char *name)
{
	for (size_t i = 0; i < NB_ARRAY_SIZE(mount_opts); i++)
		if (nb_streq(mount_opts[i].name, name))
			return &mount_opts[i];
	return NULL;
}

/* What the options say, before the mount's kind is known. */
struct mount_req {
	bool bind, idmap;
};

static int append_data(struct oci_ctx *c, struct nb_mount *m, const char *opt)
{
	size_t old = m->data ? strlen(m->data) : 0;
	char *data = realloc(m->data, old + strlen(opt) + 2);

	if (!data)
		return oci_oom(c);
	if (old)
		data[old++] = ',';
	strcpy(data + old, opt);
	m->data = data;
	return 0;
}

static int apply_option(struct oci_ctx *c, const char *opt, const char *path,
			struct nb_mount *m, struct mount_req *req)
{
	const struct mount_opt *o = find_opt(opt);

	if (!o) {
		if (nb_startswith(opt, "idmap=") || nb_startswith(opt, "ridmap="))
			return oci_fail(c, path, "'%s': give the mapping as uidMappings and gidMappings",
					opt);
		/* Anything else is the filesystem's own ("mode=755", "size=64k"). */
		return append_data(c, m, opt);
	}
	switch (o->kind) {
	case O_FLAGS:
		m->flags = (m->flags & ~o->clear) | o->set;
		if (o->recursive)
			m->flags |= NB_MNT_RECURSIVE_ATTRS;
		break;
	case O_PROP:
		m->propagation = o->prop;
		m->propagation_recursive = o->recursive;
		break;
	case O_BIND:
		req->bind = true;
		if (o->recursive)
			m->flags |= NB_MNT_RECURSIVE;
		break;
	case O_IDMAP:
		req->idmap = true;
		if (o->recursive)
			m->flags |= NB_MNT_IDMAP_RECURSIVE;
		break;
	case O_COPYUP:
		m->flags |= NB_MNT_TMPCOPYUP;
		break;
	case O_IGNORE:
		break;
	}
	return 0;
}

static int apply_options(struct oci_ctx *c, const json_t *v, const char *path,
			 struct nb_mount *m, struct mount_req *req)
{
	struct nb_strv opts = { 0 };
	char sub[OCI_PATH_MAX];
	int r = oci_opt_string_array(c, v, path, "options", &opts);

	oci_key(sub, path, "options");
	for (size_t i = 0; r >= 0 && i < opts.len; i++)
		r = apply_option(c, opts.items[i], sub, m, req);
	nb_strv_free(&opts);
	return r;
}

static int check_dest(struct oci_ctx *c, const char *dest, const char *path)
{
	int r = oci_check_abs(c, dest, path);

	for (const char *p = dest; r >= 0 && *p; ) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return oci_fail(c, path, "must not contain '..'");
		p += n;
		p += strspn(p, "/");
	}
	return r;
}

static enum nb_mount_kind kind_of(const char *type)
{
	static const struct { const char *type; enum nb_mount_kind kind; } kinds[] = {
		{ "bind", NB_MOUNT_BIND }, { "tmpfs", NB_MOUNT_TMPFS }, { "proc", NB_MOUNT_PROC },
		{ "sysfs", NB_MOUNT_SYSFS }, { "devpts", NB_MOUNT_DEVPTS },
		{ "mqueue", NB_MOUNT_MQUEUE }, { "cgroup", NB_MOUNT_CGROUP },
		{ "cgroup2", NB_MOUNT_CGROUP },
	};

	for (size_t i = 0; i < NB_ARRAY_SIZE(kinds); i++)
		if (nb_streq(type, kinds[i].type))
			return kinds[i].kind;
	return NB_MOUNT_OTHER;
}

/* Kind, fstype and source, once the options are known. */
static int set_kind(struct oci_ctx *c, const json_t *v, const char *path, struct nb_mount *m,
		    const struct mount_req *req)
{
	char sub[OCI_PATH_MAX];
	const char *type = NULL, *source = NULL;
	int r = oci_opt_string(c, v, path, "type", &type);

	if (r >= 0)
		r = oci_opt_string(c, v, path, "source", &source);
	if (r < 0)
		return r;
	if (type && !*type)
		type = NULL;
	if (!type && !req->bind)
		return oci_fail(c, oci_key(sub, path, "type"), "required unless the mount is a bind mount");
	m->kind = req->bind ? NB_MOUNT_BIND : kind_of(type);
	if ((m->flags & NB_MNT_TMPCOPYUP) && m->kind != NB_MOUNT_TMPFS)
		return oci_fail(c, oci_key(sub, path, "options"), "'tmpcopyup' is only for tmpfs");
	if (m->kind == NB_MOUNT_BIND) {
		if (!source || !*source)
			return oci_fail(c, oci_key(sub, path, "source"), "required for a bind mount");
		/* Relative to the bundle, as root.path is. */
		m->source = oci_resolve_path(c->bundle, source);
		return m->source ? 0 : oci_oom(c);
	}
	if (m->kind == NB_MOUNT_OTHER)
		r = oci_set_string(c, &m->fstype, type);
	/* Kept for every kind: mountinfo shows it, as with runc and crun. */
	if (r >= 0 && source && *source)
		r = oci_set_string(c, &m->source, source);
	return r;
}

static int mount_idmap(struct oci_ctx *c, const json_t *v, const char *path, const char *key,
		       const struct nb_idmap *container, struct nb_idmap **ret)
{
	char sub[OCI_PATH_MAX];
	json_t *maps = oci_get(v, key);
	int r = 0;

	*ret = calloc(1, sizeof(**ret));
	if (!*ret)
		return oci_oom(c);
	if (maps)
		r = oci_parse_idmap(c, maps, oci_key(sub, path, key), *ret);
	/* Without mappings, "idmap" means the container's own (spec 1.2). */
	if (r >= 0 && (*ret)->len == 0)
		**ret = *container;
	return r;
}

static int set_idmaps(struct oci_ctx *c, const json_t *v, const char *path, struct nb_mount *m,
		      const struct mount_req *req)
{
	const struct nb_config *cfg = c->cfg;
	char sub[OCI_PATH_MAX];
	bool uids = oci_get(v, "uidMappings"), gids = oci_get(v, "gidMappings");
	int r;

	if (!req->idmap && !uids && !gids)
		return 0;
	if (m->kind != NB_MOUNT_BIND)
		return oci_fail(c, path, "only bind mounts can be idmapped");
	if (uids != gids)
		return oci_fail(c, oci_key(sub, path, uids ? "gidMappings" : "uidMappings"),
				"required with %s", uids ? "uidMappings" : "gidMappings");
	if (!uids && cfg->ns[NB_NS_USER].mode != NB_NS_NEW)
		return oci_fail(c, oci_key(sub, path, "uidMappings"),
				"required for 'idmap' without a new user namespace");
	r = mount_idmap(c, v, path, "uidMappings", &cfg->uid_map, &m->uid_map);
	if (r >= 0)
		r = mount_idmap(c, v, path, "gidMappings", &cfg->gid_map, &m->gid_map);
	return r;
}

static int parse_mount(struct oci_ctx *c, const json_t *v, const char *path, struct nb_mount *m)
{
	char sub[OCI_PATH_MAX];
	struct mount_req req = { 0 };
	const char *dest = NULL;
	int r = oci_check_object(c, v, path);

	if (r >= 0)
		r = oci_req_string(c, v, path, "destination", &dest);
	if (r >= 0)
		r = check_dest(c, dest, oci_key(sub, path, "destination"));
	if (r >= 0)
		r = oci_set_string(c, &m->dest, dest);
	if (r >= 0)
		r = apply_options(c, v, path, m, &req);
	if (r >= 0)
		r = set_kind(c, v, path, m, &req);
	if (r >= 0)
		r = set_idmaps(c, v, path, m, &req);
	return r;
}

int oci_parse_mounts(struct oci_ctx *c, const json_t *mounts)
{
	struct nb_config *cfg = c->cfg;
	char path[OCI_PATH_MAX];
	struct nb_mount *all;
	size_t i;
	json_t *item;
	int r = oci_check_array(c, mounts, "mounts");

	if (r < 0)
		return r;
	all = realloc(cfg->mounts, (cfg->n_mounts + json_array_size(mounts) + 1) * sizeof(*all));
	if (!all)
		return oci_oom(c);
	cfg->mounts = all;
	json_array_foreach(mounts, i, item) {
		struct nb_mount *m = &cfg->mounts[cfg->n_mounts++];

		*m = (struct nb_mount){ 0 };
		r = parse_mount(c, item, oci_index(path, "mounts", i), m);
		if (r < 0)
			return r;
	}
	return 0;
}
