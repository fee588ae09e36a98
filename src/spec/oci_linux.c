/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* config.json "linux": namespaces, id maps, devices, sysctl, seccomp and the rest. */
#include "spec/oci.h"
#include "spec/oci_internal.h"
#include "spec/sysctl.h"
#include "base/cleanup.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/stat.h>

#define MAX_ID UINT64_C(4294967294)

/* OCI's namespace type names, by nb_ns_type. */
static const char *const oci_ns_names[NB_NS_COUNT] = {
	[NB_NS_USER] = "user", [NB_NS_PID] = "pid", [NB_NS_MNT] = "mount",
	[NB_NS_UTS] = "uts", [NB_NS_IPC] = "ipc", [NB_NS_NET] = "network",
	[NB_NS_CGROUP] = "cgroup", [NB_NS_TIME] = "time",
};

const char *const oci_namespace_names[] = {
	"cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts", NULL,
};

const char *const oci_seccomp_arch_names[] = {
	"SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM",
	"SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32",
	"SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
	"SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X",
	"SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", NULL,
};

const char *const oci_seccomp_flag_names[] = {
	"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
	"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", NULL,
};

static bool in_list(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (nb_streq(*list, name))
			return true;
	return false;
}

/* ---- namespaces and id maps ---- */

static int ns_entry(struct oci_ctx *c, const json_t *v, const char *path, unsigned *seen)
{
	struct nb_ns_spec *ns;
	char sub[OCI_PATH_MAX];
	const char *type = NULL, *nspath = NULL;
	int t = 0;
	int r = oci_check_object(c, v, path);

	if (r >= 0)
		r = oci_req_string(c, v, path, "type", &type);
	if (r >= 0)
		r = oci_opt_string(c, v, path, "path", &nspath);
	if (r < 0)
		return r;
	while (t < NB_NS_COUNT && !nb_streq(type, oci_ns_names[t]))
		t++;
	if (t == NB_NS_COUNT)
		return oci_fail(c, oci_key(sub, path, "type"), "unknown namespace type '%s'", type);
	if (*seen & (1u << t))
		return oci_fail(c, oci_key(sub, path, "type"), "'%s' is listed twice", type);
	*seen |= 1u << t;
	ns = &c->cfg->ns[t];
	if (!nspath || !*nspath) {
		ns->mode = NB_NS_NEW;
		return 0;
	}
	r = oci_check_abs(c, nspath, oci_key(sub, path, "path"));
	if (r < 0)
		return r;
	ns->mode = NB_NS_JOIN;
	return oci_set_string(c, &ns->path, nspath);
}

static int parse_namespaces(struct oci_ctx *c, const json_t *v)
{
	char path[OCI_PATH_MAX];
	unsigned seen = 0;
	size_t i;
	json_t *item;
	int r;

	/* Not listed: the runtime's own namespace. */
	for (int t = 0; t < NB_NS_COUNT; t++) {
		free(c->cfg->ns[t].path);
		c->cfg->ns[t] = (struct nb_ns_spec){ .mode = NB_NS_SHARE };
	}
	if (!v)
		return 0;
	r = oci_check_array(c, v, "linux.namespaces");
	json_array_foreach(v, i, item) {
		if (r < 0)
			break;
		r = ns_entry(c, item, oci_index(path, "linux.namespaces", i), &seen);
	}
	return r;
}

int oci_parse_idmap(struct oci_ctx *c, const json_t *v, const char *path, struct nb_idmap *map)
{
	char sub[OCI_PATH_MAX], what[OCI_PATH_MAX + 16];
	size_t i;
	json_t *item;
	int r = oci_check_array(c, v, path);

	if (r < 0)
		return r;
	if (json_array_size(v) > NB_IDMAP_MAX_LINES)
		return oci_fail(c, path, "more than %d ranges (the kernel's limit)", NB_IDMAP_MAX_LINES);
	map->len = 0;
	json_array_foreach(v, i, item) {
		struct nb_idmap_range *range = &map->range[map->len];
		uint64_t inside, outside, count;

		oci_index(sub, path, i);
		r = oci_check_object(c, item, sub);
		if (r >= 0)
			r = oci_req_u64(c, item, sub, "containerID", UINT32_MAX, &inside);
		if (r >= 0)
			r = oci_req_u64(c, item, sub, "hostID", UINT32_MAX, &outside);
		if (r >= 0)
			r = oci_req_u64(c, item, sub, "size", UINT32_MAX, &count);
		if (r < 0)
			return r;
		*range = (struct nb_idmap_range){ (uint32_t)inside, (uint32_t)outside, (uint32_t)count };
		map->len++;
	}
	snprintf(what, sizeof(what), "config.json: %s", path);
	r = nb_idmap_validate(map, what, c->err);
	if (r < 0)
		c->err->kind = NB_ERR_SETUP;   /* a bad file, not a bad command line */
	return r;
}

static int parse_idmaps(struct oci_ctx *c, const json_t *linux_)
{
	struct nb_config *cfg = c->cfg;
	json_t *uids = oci_get(linux_, "uidMappings"), *gids = oci_get(linux_, "gidMappings");
	bool own_user = cfg->ns[NB_NS_USER].mode == NB_NS_NEW;
	int r = 0;

	cfg->uid_map.len = cfg->gid_map.len = 0;
	if (uids)
		r = oci_parse_idmap(c, uids, "linux.uidMappings", &cfg->uid_map);
	if (r >= 0 && gids)
		r = oci_parse_idmap(c, gids, "linux.gidMappings", &cfg->gid_map);
	if (r < 0)
		return r;
	if (own_user && cfg->uid_map.len == 0)
		return oci_fail(c, "linux.uidMappings", "required with a new user namespace");
	if (own_user && cfg->gid_map.len == 0)
		return oci_fail(c, "linux.gidMappings", "required with a new user namespace");
	if (!own_user && cfg->uid_map.len)
		return oci_fail(c, "linux.uidMappings", "only with a new user namespace");
	if (!own_user && cfg->gid_map.len)
		return oci_fail(c, "linux.gidMappings", "only with a new user namespace");
	return 0;
}

/* ---- devices ---- */

static int device_numbers(struct oci_ctx *c, const json_t *v, const char *path,
			  struct nb_device *d)
{
	int r;

	/* Named pipes have none; every other type needs both. */
	if (d->type == 'p')
		return 0;
	r = oci_req_int(c, v, path, "major", 0, UINT32_MAX, &d->major);
	if (r >= 0)
		r = oci_req_int(c, v, path, "minor", 0, UINT32_MAX, &d->minor);
	return r;
}

/* The S_IFMT bits of a device of TYPE (c, u, b, p). */
static uint32_t device_ifmt(char type)
{
	return type == 'b' ? S_IFBLK : type == 'p' ? S_IFIFO : S_IFCHR;
}

static const char *ifmt_name(uint32_t fmt)
{
	switch (fmt) {
	case S_IFCHR: return "S_IFCHR";
	case S_IFBLK: return "S_IFBLK";
	case S_IFIFO: return "S_IFIFO";
	case S_IFREG: return "S_IFREG";
	case S_IFDIR: return "S_IFDIR";
	case S_IFLNK: return "S_IFLNK";
	case S_IFSOCK: return "S_IFSOCK";
	default: return "unknown";
	}
}

/* fileMode: the permission bits (07777), optionally with the file type bits
 * of the device's own type, which podman writes (8630 = S_IFCHR | 0666) and
 * runc strips; the type bits of another type are refused. */
static int device_mode(struct oci_ctx *c, const json_t *v, const char *path, struct nb_device *d)
{
	char sub[OCI_PATH_MAX];
	uint64_t mode = 0;
	uint32_t fmt;
	int r = oci_opt_u64(c, v, path, "fileMode", S_IFMT | 07777, &mode, &d->has_file_mode);

	if (r < 0)
		return r;
	fmt = (uint32_t)mode & S_IFMT;
	if (fmt && fmt != device_ifmt(d->type))
		return oci_fail(c, oci_key(sub, path, "fileMode"),
				"%#o has the file type bits of %s, not those of type '%c' (%s)",
				(unsigned)mode, ifmt_name(fmt), d->type, ifmt_name(device_ifmt(d->type)));
	d->file_mode = (uint32_t)mode & 07777;
	return 0;
}

static int device_owner(struct oci_ctx *c, const json_t *v, const char *path,
			struct nb_device *d)
{
	uint64_t uid = 0, gid = 0;
	int r = device_mode(c, v, path, d);

	if (r >= 0)
		r = oci_opt_u64(c, v, path, "uid", MAX_ID, &uid, &d->has_uid);
	if (r >= 0)
		r = oci_opt_u64(c, v, path, "gid", MAX_ID, &gid, &d->has_gid);
	d->uid = (uid_t)uid;
	d->gid = (gid_t)gid;
	return r;
}

/* A node under /dev by a plain path: each component neither empty, "." nor
 * "..", so nothing resolves it elsewhere (/dev/../etc/x). runc also
 * requires /dev. */
static int check_device_path(struct oci_ctx *c, const char *dpath, const char *path)
{
	for (const char *p = dpath + 1;;) {
		size_t len = strcspn(p, "/");

		if (len == 0 || (len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
			return oci_fail(c, path, "'%.256s' must not have an empty, '.' or '..' component", dpath);
		if (!p[len])
			break;
		p += len + 1;
	}
	if (!nb_startswith(dpath, "/dev/"))
		return oci_fail(c, path, "'%.256s' is not under /dev", dpath);
	return 0;
}

static int parse_device(struct oci_ctx *c, const json_t *v, const char *path,
			struct nb_device *d)
{
	char sub[OCI_PATH_MAX];
	const char *type = NULL, *dpath = NULL;
	int r = oci_check_object(c, v, path);

	if (r >= 0)
		r = oci_req_string(c, v, path, "type", &type);
	if (r < 0)
		return r;
	if (strlen(type) != 1 || !strchr("cbup", type[0]))
		return oci_fail(c, oci_key(sub, path, "type"), "must be c, b, u or p");
	d->type = type[0];
	r = oci_req_string(c, v, path, "path", &dpath);
	if (r >= 0)
		r = oci_check_abs(c, dpath, oci_key(sub, path, "path"));
	if (r >= 0)
		r = check_device_path(c, dpath, sub);
	if (r >= 0)
		r = oci_set_string(c, &d->path, dpath);
	if (r >= 0)
		r = device_numbers(c, v, path, d);
	if (r >= 0)
		r = device_owner(c, v, path, d);
	return r;
}

static int parse_devices(struct oci_ctx *c, const json_t *v)
{
	struct nb_oci_extras *x = &c->cfg->oci;
	char path[OCI_PATH_MAX], sub[OCI_PATH_MAX];
	size_t i;
	json_t *item;
	int r = oci_check_array(c, v, "linux.devices");

	if (r < 0)
		return r;
	x->devices = calloc(json_array_size(v) + 1, sizeof(*x->devices));
	if (!x->devices)
		return oci_oom(c);
	json_array_foreach(v, i, item) {
		oci_index(path, "linux.devices", i);
		x->n_devices++;
		r = parse_device(c, item, path, &x->devices[i]);
		if (r < 0)
			return r;
		for (size_t j = 0; j < i; j++)
			if (nb_streq(x->devices[j].path, x->devices[i].path))
				return oci_fail(c, oci_key(sub, path, "path"), "'%s' is listed twice",
						x->devices[i].path);
	}
	return 0;
}

/* ---- sysctl ---- */

/* One KEY: VALUE, kept as "PATH=VALUE" with the normalised path (spec/sysctl.h). */
static int add_sysctl(struct oci_ctx *c, const char *key, const json_t *value)
{
	static const char *const ns_words[NB_NS_COUNT] = {
		[NB_NS_IPC] = "ipc", [NB_NS_NET] = "network",
	};
	char sub[OCI_PATH_MAX], path[NB_SYSCTL_PATH_MAX];
	_cleanup_free_ char *kv = NULL;
	enum nb_ns_type t;

	if (!json_is_string(value))
		return oci_fail(c, oci_key(sub, "linux.sysctl", key), "must be a string");
	if (nb_sysctl_path(key, path, sizeof(path), c->err) < 0)
		return nb_error_prefix(c->err, "%s: linux.sysctl", c->file ? c->file : "config.json");
	t = nb_sysctl_namespace(path);
	/* runc's words; the fields set them, in the container's uts namespace. */
	if (t == NB_NS_UTS)
		return oci_fail(c, "linux.sysctl", "'%.128s' is not allowed as it conflicts with the OCI "
				"'%s' field", key, nb_streq(path, "kernel/hostname") ? "hostname" : "domainname");
	if (t == NB_NS_COUNT)
		return oci_fail(c, "linux.sysctl", "'%.128s' is not namespaced", key);
	/* A joined namespace is the container's too (a pod's, say); only the
	 * runtime's own must never be changed. */
	if (c->cfg->ns[t].mode == NB_NS_SHARE)
		return oci_fail(c, "linux.sysctl", "'%.128s' needs the container's own %s namespace", key,
				ns_words[t]);
	if (asprintf(&kv, "%s=%s", path, json_string_value(value)) < 0) {
		kv = NULL;
		return oci_oom(c);
	}
	return nb_strv_push(&c->cfg->oci.sysctl, kv) < 0 ? oci_oom(c) : 0;
}

static int parse_sysctl(struct oci_ctx *c, const json_t *v)
{
	const char *key;
	json_t *value;

	if (!json_is_object(v))
		return oci_fail(c, "linux.sysctl", "must be an object of strings");
	json_object_foreach((json_t *)v, key, value) {
		int r = add_sysctl(c, key, value);

		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- paths, labels, propagation ---- */

static int parse_path_list(struct oci_ctx *c, const json_t *linux_, const char *key,
			   struct nb_strv *out)
{
	char path[OCI_PATH_MAX], sub[OCI_PATH_MAX];
	int r = oci_opt_string_array(c, linux_, "linux", key, out);

	oci_key(path, "linux", key);
	for (size_t i = 0; r >= 0 && i < out->len; i++)
		r = oci_check_abs(c, out->items[i], oci_index(sub, path, i));
	return r;
}

static int parse_propagation(struct oci_ctx *c, const json_t *linux_)
{
	static const struct { const char *name; enum nb_propagation mode; } modes[] = {
		{ "private", NB_PROPAGATION_PRIVATE }, { "rprivate", NB_PROPAGATION_PRIVATE },
		{ "slave", NB_PROPAGATION_SLAVE }, { "rslave", NB_PROPAGATION_SLAVE },
		{ "shared", NB_PROPAGATION_RSHARED }, { "rshared", NB_PROPAGATION_RSHARED },
		{ "unbindable", NB_PROPAGATION_UNBINDABLE },
		{ "runbindable", NB_PROPAGATION_UNBINDABLE },
	};
	const char *name = NULL;
	int r = oci_opt_string(c, linux_, "linux", "rootfsPropagation", &name);

	if (r < 0 || !name || !*name)
		return r;
	for (size_t i = 0; i < NB_ARRAY_SIZE(modes); i++) {
		if (nb_streq(name, modes[i].name)) {
			c->cfg->propagation = modes[i].mode;
			return 0;
		}
	}
	return oci_fail(c, "linux.rootfsPropagation", "unknown propagation '%s' "
			"(private, slave, shared or unbindable)", name);
}

static int parse_strings(struct oci_ctx *c, const json_t *linux_)
{
	struct nb_oci_extras *x = &c->cfg->oci;
	const char *label = NULL, *cgpath = NULL;
	int r = oci_opt_string(c, linux_, "linux", "mountLabel", &label);

	if (r >= 0)
		r = oci_opt_string(c, linux_, "linux", "cgroupsPath", &cgpath);
	if (r >= 0 && label && *label)
		r = oci_set_string(c, &x->mount_label, label);
	if (r >= 0 && cgpath && *cgpath)
		r = oci_set_string(c, &x->cgroups_path, cgpath);
	if (r >= 0)
		r = parse_path_list(c, linux_, "maskedPaths", &x->masked_paths);
	if (r >= 0)
		r = parse_path_list(c, linux_, "readonlyPaths", &x->readonly_paths);
	return r;
}

/* ---- seccomp ---- */

static int seccomp_action(struct oci_ctx *c, const json_t *v, const char *parent,
			  const char *key, enum nb_seccomp_action *ret)
{
	char path[OCI_PATH_MAX];
	const char *name = NULL;
	int r = oci_req_string(c, v, parent, key, &name);

	if (r < 0)
		return r;
	if (nb_seccomp_action_from_name(name, ret) < 0)
		return oci_fail(c, oci_key(path, parent, key), "unknown action '%s'", name);
	return 0;
}

/* errnoRet and defaultErrnoRet: only where the action returns a value. */
static int seccomp_errno(struct oci_ctx *c, const json_t *v, const char *parent, const char *key,
			 enum nb_seccomp_action action, uint32_t *ret, bool *has)
{
	char path[OCI_PATH_MAX];
	uint64_t n = 0;
	int r = oci_opt_u64(c, v, parent, key, UINT16_MAX, &n, has);

	if (r < 0)
		return r;
	if (*has && action != NB_SECCOMP_ERRNO && action != NB_SECCOMP_TRACE)
		return oci_fail(c, oci_key(path, parent, key),
				"only for SCMP_ACT_ERRNO and SCMP_ACT_TRACE");
	*ret = (uint32_t)n;
	return 0;
}

static int seccomp_arg(struct oci_ctx *c, const json_t *v, const char *path,
		       struct nb_seccomp_arg *a)
{
	char sub[OCI_PATH_MAX];
	const char *op = NULL;
	int64_t index = 0;
	int r = oci_check_object(c, v, path);

	if (r >= 0)
		r = oci_req_int(c, v, path, "index", 0, 5, &index);
	if (r >= 0)
		r = oci_req_u64(c, v, path, "value", UINT64_MAX, &a->value);
	if (r >= 0)
		r = oci_opt_u64(c, v, path, "valueTwo", UINT64_MAX, &a->value_two, NULL);
	if (r >= 0)
		r = oci_req_string(c, v, path, "op", &op);
	if (r < 0)
		return r;
	a->index = (unsigned)index;
	if (nb_seccomp_op_from_name(op, &a->op) < 0)
		return oci_fail(c, oci_key(sub, path, "op"), "unknown operator '%s'", op);
	return 0;
}

static int seccomp_args(struct oci_ctx *c, const json_t *v, const char *path,
			struct nb_seccomp_rule *rule)
{
	char sub[OCI_PATH_MAX];
	size_t i;
	json_t *item;
	int r = oci_check_array(c, v, path);

	if (r < 0)
		return r;
	if (json_array_size(v) > NB_ARRAY_SIZE(rule->args))
		return oci_fail(c, path, "at most %zu conditions", NB_ARRAY_SIZE(rule->args));
	json_array_foreach(v, i, item) {
		r = seccomp_arg(c, item, oci_index(sub, path, i), &rule->args[i]);
		if (r < 0)
			return r;
		rule->n_args++;
	}
	return 0;
}

static int seccomp_rule(struct oci_ctx *c, const json_t *v, const char *path,
			struct nb_seccomp_rule *rule)
{
	char sub[OCI_PATH_MAX];
	int r = oci_check_object(c, v, path);

	if (r >= 0)
		r = oci_string_array(c, oci_get(v, "names"), oci_key(sub, path, "names"), true,
				     &rule->names);
	if (r >= 0)
		r = seccomp_action(c, v, path, "action", &rule->action);
	if (r >= 0)
		r = seccomp_errno(c, v, path, "errnoRet", rule->action, &rule->errno_ret,
				  &rule->has_errno_ret);
	if (r >= 0 && oci_get(v, "args"))
		r = seccomp_args(c, oci_get(v, "args"), oci_key(sub, path, "args"), rule);
	return r;
}

static int seccomp_rules(struct oci_ctx *c, const json_t *v, const char *path,
			 struct nb_seccomp *sc)
{
	char sub[OCI_PATH_MAX];
	size_t i;
	json_t *item;
	int r = oci_check_array(c, v, path);

	if (r < 0)
		return r;
	sc->rules = calloc(json_array_size(v) + 1, sizeof(*sc->rules));
	if (!sc->rules)
		return oci_oom(c);
	json_array_foreach(v, i, item) {
		sc->n_rules++;
		r = seccomp_rule(c, item, oci_index(sub, path, i), &sc->rules[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

static int seccomp_names(struct oci_ctx *c, const json_t *v, const char *parent,
			 const char *key, const char *const *known, const char *what,
			 struct nb_strv *out)
{
	char path[OCI_PATH_MAX], sub[OCI_PATH_MAX];
	int r = oci_opt_string_array(c, v, parent, key, out);

	oci_key(path, parent, key);
	for (size_t i = 0; r >= 0 && i < out->len; i++)
		if (!in_list(known, out->items[i]))
			r = oci_fail(c, oci_index(sub, path, i), "unknown %s '%s'", what, out->items[i]);
	return r;
}

static int seccomp_listener(struct oci_ctx *c, const json_t *v, const char *p,
			    struct nb_seccomp *sc)
{
	char path[OCI_PATH_MAX];
	const char *listener = NULL, *meta = NULL;
	bool notify = sc->default_action == NB_SECCOMP_NOTIFY;
	int r = oci_opt_string(c, v, p, "listenerPath", &listener);

	if (r >= 0)
		r = oci_opt_string(c, v, p, "listenerMetadata", &meta);
	if (r < 0)
		return r;
	if (listener && !*listener)
		listener = NULL;
	for (size_t i = 0; i < sc->n_rules; i++)
		notify = notify || sc->rules[i].action == NB_SECCOMP_NOTIFY;
	if (notify && !listener)
		return oci_fail(c, oci_key(path, p, "listenerPath"), "required with SCMP_ACT_NOTIFY");
	if (meta && *meta && !listener)
		return oci_fail(c, oci_key(path, p, "listenerMetadata"), "only with listenerPath");
	if (listener)
		r = oci_set_string(c, &sc->listener_path, listener);
	if (r >= 0 && meta && *meta)
		r = oci_set_string(c, &sc->listener_metadata, meta);
	return r;
}

/* The linux.seccomp object V at P (NULL: a document of its own) into SC. */
static int seccomp_object(struct oci_ctx *c, const json_t *v, const char *p,
			  struct nb_seccomp *sc)
{
	char path[OCI_PATH_MAX];
	int r = oci_check_object(c, v, p);

	if (r >= 0)
		r = seccomp_action(c, v, p, "defaultAction", &sc->default_action);
	if (r >= 0 && sc->default_action == NB_SECCOMP_NOTIFY)
		r = oci_fail(c, oci_key(path, p, "defaultAction"),
			     "SCMP_ACT_NOTIFY cannot be the default action");
	if (r >= 0)
		r = seccomp_errno(c, v, p, "defaultErrnoRet", sc->default_action,
				  &sc->default_errno_ret, &sc->has_default_errno_ret);
	if (r >= 0)
		r = seccomp_names(c, v, p, "architectures", oci_seccomp_arch_names, "architecture",
				  &sc->architectures);
	if (r >= 0)
		r = seccomp_names(c, v, p, "flags", oci_seccomp_flag_names, "flag", &sc->flags);
	if (r >= 0 && oci_get(v, "syscalls"))
		r = seccomp_rules(c, oci_get(v, "syscalls"), oci_key(path, p, "syscalls"), sc);
	if (r >= 0)
		r = seccomp_listener(c, v, p, sc);
	if (r >= 0)
		sc->set = true;
	return r;
}

static int parse_seccomp(struct oci_ctx *c, const json_t *v)
{
	return seccomp_object(c, v, "linux.seccomp", &c->cfg->sec.seccomp);
}

/* Docker's profiles look alike but hold rules for some capabilities or
 * architectures only ("includes", "excludes"): read as OCI, such a rule
 * would apply to every process. Refused rather than misread. */
static int seccomp_not_docker(struct oci_ctx *c, const json_t *doc)
{
	static const char *const keys[] = { "includes", "excludes" };
	char path[OCI_PATH_MAX], sub[OCI_PATH_MAX];
	json_t *rules = oci_get(doc, "syscalls"), *item;
	size_t i;

	json_array_foreach(rules, i, item) {
		for (size_t k = 0; k < NB_ARRAY_SIZE(keys); k++) {
			json_t *cond = oci_get(item, keys[k]);

			if (cond && !(json_is_object(cond) && json_object_size(cond) == 0))
				return oci_fail(c, oci_key(sub, oci_index(path, "syscalls", i), keys[k]),
						"a condition of Docker's profile format, not OCI's: "
						"unsupported");
		}
	}
	return 0;
}

int nb_oci_load_seccomp(const char *text, size_t len, const char *what, struct nb_seccomp *ret,
			struct nb_error *err)
{
	struct oci_ctx c = { .cfg = NULL, .bundle = "/", .err = err, .file = what };
	_cleanup_free_ char *copy = malloc(len + 1);
	json_error_t jerr;
	json_t *doc;
	int r;

	memset(ret, 0, sizeof(*ret));
	if (!copy)
		return oci_oom(&c);
	memcpy(copy, text, len);
	copy[len] = '\0';
	oci_mark_big_integers(&c, copy, len);
	doc = json_loadb(copy, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc)
		return nb_error_set(err, EINVAL, "%s:%d:%d: %s", what, jerr.line, jerr.column, jerr.text);
	r = seccomp_object(&c, doc, NULL, ret);
	if (r >= 0)
		r = seccomp_not_docker(&c, doc);
	json_decref(doc);
	return r;
}

/* ---- time namespace offsets, personality ---- */

static int time_offset(struct oci_ctx *c, const json_t *v, const char *path,
		       struct nb_time_offset *off)
{
	uint64_t nsecs = 0;
	int r = oci_check_object(c, v, path);

	if (r >= 0)
		r = oci_opt_int(c, v, path, "secs", INT64_MIN, INT64_MAX, &off->secs, NULL);
	if (r >= 0)
		r = oci_opt_u64(c, v, path, "nanosecs", 999999999, &nsecs, NULL);
	off->nanosecs = (uint32_t)nsecs;
	off->set = r >= 0;
	return r;
}

static int parse_time_offsets(struct oci_ctx *c, const json_t *v)
{
	struct nb_oci_extras *x = &c->cfg->oci;
	char path[OCI_PATH_MAX];
	const char *clock;
	json_t *value;
	int r = oci_check_object(c, v, "linux.timeOffsets");

	if (r < 0)
		return r;
	json_object_foreach((json_t *)v, clock, value) {
		oci_key(path, "linux.timeOffsets", clock);
		if (nb_streq(clock, "monotonic"))
			r = time_offset(c, value, path, &x->monotonic);
		else if (nb_streq(clock, "boottime"))
			r = time_offset(c, value, path, &x->boottime);
		else
			r = oci_fail(c, "linux.timeOffsets", "unknown clock '%s' "
				     "(monotonic or boottime)", clock);
		if (r < 0)
			return r;
	}
	if (json_object_size(v) && c->cfg->ns[NB_NS_TIME].mode != NB_NS_NEW)
		return oci_fail(c, "linux.timeOffsets", "needs a new time namespace");
	return 0;
}

static int parse_personality(struct oci_ctx *c, const json_t *v)
{
	struct nb_security *sec = &c->cfg->sec;
	struct nb_strv flags = { 0 };
	const char *p = "linux.personality";
	const char *domain = NULL;
	int r = oci_check_object(c, v, p);

	if (r >= 0)
		r = oci_req_string(c, v, p, "domain", &domain);
	if (r >= 0)
		r = oci_opt_string_array(c, v, p, "flags", &flags);
	/* The spec defines no flags yet. */
	if (r >= 0 && flags.len)
		r = oci_fail(c, "linux.personality.flags", "unknown flag '%s'", flags.items[0]);
	nb_strv_free(&flags);
	if (r < 0)
		return r;
	if (nb_streq(domain, "LINUX"))
		sec->personality = PER_LINUX;
	else if (nb_streq(domain, "LINUX32"))
		sec->personality = PER_LINUX32;
	else
		return oci_fail(c, "linux.personality.domain", "unknown domain '%s' (LINUX or LINUX32)",
				domain);
	sec->has_personality = true;
	return 0;
}

/* ---- linux ---- */

/* The optional members of "linux" with a parser of their own. */
static int parse_parts(struct oci_ctx *c, const json_t *linux_)
{
	static const struct {
		const char *key;
		int (*parse)(struct oci_ctx *c, const json_t *v);
	} parts[] = {
		{ "devices", parse_devices }, { "sysctl", parse_sysctl },
		{ "seccomp", parse_seccomp }, { "timeOffsets", parse_time_offsets },
		{ "personality", parse_personality }, { "resources", oci_parse_resources },
		{ "memoryPolicy", oci_parse_memory_policy }, { "netDevices", oci_parse_net_devices },
	};

	for (size_t i = 0; i < NB_ARRAY_SIZE(parts); i++) {
		json_t *v = oci_get(linux_, parts[i].key);
		int r = v ? parts[i].parse(c, v) : 0;

		if (r < 0)
			return r;
	}
	return 0;
}

int oci_parse_linux(struct oci_ctx *c, const json_t *linux_)
{
	int r;

	if (linux_) {
		r = oci_check_object(c, linux_, "linux");
		if (r < 0)
			return r;
		if (oci_get(linux_, "intelRdt"))
			return oci_fail(c, "linux.intelRdt", "unsupported by nsbox");
	}
	/* Namespaces first: the id maps and sysctls depend on them. */
	r = parse_namespaces(c, oci_get(linux_, "namespaces"));
	if (r >= 0)
		r = parse_idmaps(c, linux_);
	if (r >= 0)
		r = parse_propagation(c, linux_);
	if (r >= 0)
		r = parse_strings(c, linux_);
	if (r >= 0)
		r = parse_parts(c, linux_);
	return r;
}
