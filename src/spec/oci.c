/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* config.json into a struct nb_config: the document, root, hostname, hooks, annotations. */
#include "spec/oci.h"
#include "spec/oci_internal.h"
#include "base/cleanup.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_version(struct oci_ctx *c, const json_t *doc)
{
	const char *version = NULL;
	int r = oci_req_string(c, doc, NULL, "ociVersion", &version);

	if (r < 0)
		return r;
	/* Any 1.x: the spec keeps compatibility within a major version. */
	if (!nb_startswith(version, "1.") || !isdigit((unsigned char)version[2]))
		return oci_fail(c, NULL, "ociVersion '%s': unsupported, nsbox supports 1.x", version);
	return 0;
}

static int parse_root(struct oci_ctx *c, const json_t *doc)
{
	struct nb_config *cfg = c->cfg;
	json_t *root = oci_get(doc, "root");
	const char *path = NULL;
	int r;

	if (!root)
		return oci_fail(c, "root", "required");
	r = oci_check_object(c, root, "root");
	if (r >= 0)
		r = oci_req_string(c, root, "root", "path", &path);
	if (r >= 0)
		r = oci_opt_bool(c, root, "root", "readonly", &cfg->root_readonly);
	if (r < 0)
		return r;
	if (!*path)
		return oci_fail(c, "root.path", "must not be empty");
	free(cfg->rootfs);
	cfg->rootfs = oci_resolve_path(c->bundle, path);
	return cfg->rootfs ? 0 : oci_oom(c);
}

/* hostname and domainname: HOST_NAME_MAX and the uts field are 64 bytes. */
static int parse_names(struct oci_ctx *c, const json_t *doc)
{
	struct nb_config *cfg = c->cfg;
	const char *host = NULL, *domain = NULL;
	int r = oci_opt_string(c, doc, NULL, "hostname", &host);

	if (r >= 0)
		r = oci_opt_string(c, doc, NULL, "domainname", &domain);
	if (r < 0)
		return r;
	if (host && strlen(host) > 64)
		return oci_fail(c, "hostname", "longer than 64 characters");
	if (domain && strlen(domain) > 64)
		return oci_fail(c, "domainname", "longer than 64 characters");
	if (host && *host)
		r = oci_set_string(c, &cfg->hostname, host);
	if (r >= 0 && domain && *domain)
		r = oci_set_string(c, &cfg->oci.domainname, domain);
	return r;
}

static int parse_hook(struct oci_ctx *c, const json_t *v, const char *path, struct nb_hook *h)
{
	char sub[OCI_PATH_MAX];
	const char *hpath = NULL;
	int64_t timeout = 0;
	int r = oci_check_object(c, v, path);

	if (r >= 0)
		r = oci_req_string(c, v, path, "path", &hpath);
	if (r >= 0)
		r = oci_check_abs(c, hpath, oci_key(sub, path, "path"));
	if (r >= 0)
		r = oci_set_string(c, &h->path, hpath);
	if (r >= 0)
		r = oci_opt_string_array(c, v, path, "args", &h->args);
	if (r >= 0)
		r = oci_opt_string_array(c, v, path, "env", &h->env);
	h->has_env = oci_get(v, "env") != NULL;
	if (r >= 0)
		r = oci_opt_int(c, v, path, "timeout", 1, INT32_MAX, &timeout, NULL);
	h->timeout = (int)timeout;
	return r;
}

static int parse_hook_list(struct oci_ctx *c, const json_t *v, enum nb_hook_kind kind)
{
	struct nb_oci_extras *x = &c->cfg->oci;
	char path[OCI_PATH_MAX], sub[OCI_PATH_MAX];
	size_t i;
	json_t *item;
	int r;

	oci_key(path, "hooks", nb_hook_kind_name(kind));
	r = oci_check_array(c, v, path);
	if (r < 0)
		return r;
	x->hooks[kind] = calloc(json_array_size(v) + 1, sizeof(struct nb_hook));
	if (!x->hooks[kind])
		return oci_oom(c);
	json_array_foreach(v, i, item) {
		x->n_hooks[kind]++;
		r = parse_hook(c, item, oci_index(sub, path, i), &x->hooks[kind][i]);
		if (r < 0)
			return r;
	}
	return 0;
}

static int parse_hooks(struct oci_ctx *c, const json_t *hooks)
{
	int r;

	if (!hooks)
		return 0;
	r = oci_check_object(c, hooks, "hooks");
	for (int k = 0; r >= 0 && k < NB_HOOK_COUNT; k++) {
		json_t *list = oci_get(hooks, nb_hook_kind_name((enum nb_hook_kind)k));

		if (list)
			r = parse_hook_list(c, list, (enum nb_hook_kind)k);
	}
	return r;
}

/* What one part of the document needs of another. */
static int check_plan(struct oci_ctx *c)
{
	const struct nb_config *cfg = c->cfg;
	char path[OCI_PATH_MAX];

	/* Without a mount namespace of its own the container lives in the
	 * runtime's (or a joined) one: nsbox changes the root (chroot) and
	 * nothing else there. runc would make the mounts in the host's mount
	 * namespace and leave them behind; nsbox refuses them. */
	if (cfg->ns[NB_NS_MNT].mode != NB_NS_NEW) {
		static const char why[] = "needs the container's own mount namespace (nsbox never "
					  "mounts in the runtime's)";

		if (cfg->n_mounts)
			return oci_fail(c, "mounts", "%s", why);
		if (cfg->root_readonly)
			return oci_fail(c, "root.readonly", "%s", why);
		if (cfg->oci.masked_paths.len)
			return oci_fail(c, "linux.maskedPaths", "%s", why);
		if (cfg->oci.readonly_paths.len)
			return oci_fail(c, "linux.readonlyPaths", "%s", why);
		if (cfg->oci.n_devices)
			return oci_fail(c, "linux.devices", "%s", why);
		c->cfg->oci_devices = false;
	}
	/* A joined uts namespace is the container's too (a pod's). */
	if (cfg->ns[NB_NS_UTS].mode == NB_NS_SHARE && cfg->hostname)
		return oci_fail(c, "hostname", "needs a uts namespace in linux.namespaces");
	if (cfg->ns[NB_NS_UTS].mode == NB_NS_SHARE && cfg->oci.domainname)
		return oci_fail(c, "domainname", "needs a uts namespace in linux.namespaces");
	if (cfg->ns[NB_NS_USER].mode != NB_NS_NEW)
		return 0;
	if (!nb_idmap_maps_inside(&cfg->uid_map, cfg->uid))
		return oci_fail(c, "process.user.uid", "%u is not mapped in linux.uidMappings",
				(unsigned)cfg->uid);
	if (!nb_idmap_maps_inside(&cfg->gid_map, cfg->gid))
		return oci_fail(c, "process.user.gid", "%u is not mapped in linux.gidMappings",
				(unsigned)cfg->gid);
	for (size_t i = 0; i < cfg->n_groups; i++)
		if (!nb_idmap_maps_inside(&cfg->gid_map, cfg->groups[i]))
			return oci_fail(c, oci_index(path, "process.user.additionalGids", i),
					"%u is not mapped in linux.gidMappings",
					(unsigned)cfg->groups[i]);
	return 0;
}

/* What OCI asks of a plan that `nsbox run` does differently. */
static void oci_defaults(struct nb_config *cfg)
{
	cfg->init = false;          /* process.args is PID 1 */
	cfg->pdeathsig = false;     /* the container outlives `nsbox create` */
	cfg->clearenv = true;       /* the environment is exactly process.env */
	cfg->oci_devices = true;    /* /dev/null & co. after the mounts */
	cfg->oci_process = true;    /* cwd created, HOME from /etc/passwd */
	/* Every limit unset (nb_resources_init(), after freeing whatever the
	 * caller's plan held) until linux.resources sets it. */
	nb_resources_free(&cfg->oci.resources);
}

/* annotations: keys are not empty (the spec says so), and hold no '=':
 * the plan and the state keep "key=value", which could not tell where
 * such a key ends (no engine makes one: Kubernetes, podman and Docker
 * take annotations as key=value themselves). */
static int parse_annotations(struct oci_ctx *c, const json_t *annotations)
{
	char path[OCI_PATH_MAX];
	const char *key;
	json_t *value;

	json_object_foreach((json_t *)annotations, key, value) {
		if (!*key)
			return oci_fail(c, "annotations", "a key must not be empty");
		if (strchr(key, '='))
			return oci_fail(c, oci_key(path, "annotations", key), "a key must not hold '='");
	}
	return oci_string_map(c, annotations, "annotations", &c->cfg->oci.annotations);
}

static int parse_document(struct oci_ctx *c, const json_t *doc)
{
	json_t *mounts = oci_get(doc, "mounts");
	json_t *annotations = oci_get(doc, "annotations");
	int r;

	if (!json_is_object(doc))
		return oci_fail(c, NULL, "must be a JSON object");
	r = check_version(c, doc);
	if (r >= 0)
		r = parse_root(c, doc);
	/* linux before process and mounts: the id maps and namespaces decide
	 * what the user and idmapped mounts may be. */
	if (r >= 0)
		r = oci_parse_linux(c, oci_get(doc, "linux"));
	if (r >= 0)
		r = oci_parse_process(c, oci_get(doc, "process"));
	if (r >= 0)
		r = parse_names(c, doc);
	if (r >= 0 && mounts)
		r = oci_parse_mounts(c, mounts);
	if (r >= 0)
		r = parse_hooks(c, oci_get(doc, "hooks"));
	if (r >= 0 && annotations)
		r = parse_annotations(c, annotations);
	if (r >= 0)
		r = check_plan(c);
	return r;
}

int nb_oci_load(const char *text, size_t len, const char *bundle_dir, struct nb_config *cfg,
		struct nb_error *err)
{
	struct oci_ctx c = { .cfg = cfg, .bundle = bundle_dir, .err = err };
	_cleanup_free_ char *copy = malloc(len + 1);
	json_error_t jerr;
	json_t *doc;
	int r;

	if (!copy)
		return oci_oom(&c);
	if (!bundle_dir || bundle_dir[0] != '/')
		return nb_error_set(err, EINVAL, "bundle '%s': must be an absolute path",
				    bundle_dir ? bundle_dir : "");
	memcpy(copy, text, len);
	copy[len] = '\0';
	/* If there are too many big literals, jansson reports the first one left. */
	oci_mark_big_integers(&c, copy, len);
	doc = json_loadb(copy, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		if (jerr.line > 0)
			return nb_error_set(err, EINVAL, "config.json:%d:%d: %s", jerr.line,
					    jerr.column, jerr.text);
		return nb_error_set(err, EINVAL, "config.json: %s", jerr.text);
	}
	oci_defaults(cfg);
	r = parse_document(&c, doc);
	json_decref(doc);
	return r;
}

int nb_oci_load_process(const char *text, size_t len, const char *file, struct nb_config *cfg,
			struct nb_error *err)
{
	struct oci_ctx c = { .cfg = cfg, .bundle = "/", .err = err, .file = file };
	_cleanup_free_ char *copy = malloc(len + 1);
	json_error_t jerr;
	json_t *doc;
	int r;

	if (!copy)
		return oci_oom(&c);
	memcpy(copy, text, len);
	copy[len] = '\0';
	oci_mark_big_integers(&c, copy, len);
	doc = json_loadb(copy, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc)
		return nb_error_set(err, EINVAL, "%s:%d:%d: %s", file, jerr.line, jerr.column, jerr.text);
	/* The process replaces the container's: start from no arguments, no
	 * environment, and the capabilities and rlimits it lists. */
	nb_strv_free(&cfg->args);
	nb_strv_free(&cfg->env);
	memset(&cfg->sec.caps, 0, sizeof(cfg->sec.caps));
	free(cfg->sec.rlimits);
	cfg->sec.rlimits = NULL;
	cfg->sec.n_rlimits = 0;
	cfg->set_groups = false;
	r = json_is_object(doc) ? oci_parse_process(&c, doc)
				: nb_error_set(err, EINVAL, "%s: must be a JSON object", file);
	json_decref(doc);
	return r;
}
