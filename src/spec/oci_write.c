/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci_write.c: a plan's process and security, written as a config.json
 * that nb_oci_load() reads back (declared in oci.h). */
#include "spec/oci.h"
#include "spec/seccomp_default.h"
#include "base/cleanup.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * jansson holds no integer above INT64_MAX, and no string that is not
 * UTF-8. The plan keeps both exact or fails, never drops them:
 *  - an integer above INT64_MAX (an rlimit of RLIM_INFINITY), and the
 *    seccomp object (nb_oci_seccomp_json(), written by hand for the same
 *    reason), are raw JSON text. The document holds a marker object
 *    {"\u0001": K} in their place until it is dumped; then raw text K
 *    replaces the marker. No object of a plan has a key the user chose, and
 *    a string's own quotes are escaped in the dump, so the text {"\u0001":
 *    occurs nowhere but in the markers.
 *  - a string that is not UTF-8 (an argument or a variable of the caller's
 *    environment may hold any bytes) cannot be JSON: an error names it.
 */
struct plan_writer {
	char **raw;
	size_t n_raw;
	struct nb_error *err;
	int r;                     /* the first error */
};

static void writer_fail(struct plan_writer *w, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void writer_fail(struct plan_writer *w, int code, const char *fmt, ...)
{
	va_list ap;

	if (w->r < 0)
		return;
	w->err->code = code;
	w->err->kind = NB_ERR_SETUP;
	va_start(ap, fmt);
	vsnprintf(w->err->msg, sizeof(w->err->msg), fmt, ap);
	va_end(ap);
	w->r = -code;
}

/* A marker for TEXT (malloc'd, taken), or NULL. */
static json_t *raw_json(struct plan_writer *w, char *text)
{
	char **more = text ? realloc(w->raw, (w->n_raw + 1) * sizeof(*w->raw)) : NULL;
	json_t *marker;

	if (!more) {
		free(text);
		writer_fail(w, ENOMEM, "out of memory");
		return NULL;
	}
	w->raw = more;
	marker = json_pack("{s:I}", "\x01", (json_int_t)w->n_raw);
	if (!marker) {
		free(text);
		writer_fail(w, ENOMEM, "out of memory");
		return NULL;
	}
	w->raw[w->n_raw++] = text;
	return marker;
}

static json_t *u64_json(struct plan_writer *w, uint64_t v)
{
	char *text;

	if (v <= INT64_MAX)
		return json_integer((json_int_t)v);
	if (asprintf(&text, "%" PRIu64, v) < 0)
		text = NULL;
	return raw_json(w, text);
}

/* S as a JSON string, or NULL with an error naming PATH (PATH is printf's,
 * with its arguments) if it is not UTF-8. */
static json_t *str_json(struct plan_writer *w, const char *s, const char *path, ...)
	__attribute__((format(printf, 3, 4)));

static json_t *str_json(struct plan_writer *w, const char *s, const char *path, ...)
{
	json_t *j = json_string(s);
	char where[128];
	va_list ap;

	if (j)
		return j;
	/* Not UTF-8, unless the copy without the check fails too (memory). */
	j = json_string_nocheck(s);
	if (!j) {
		writer_fail(w, ENOMEM, "out of memory");
		return NULL;
	}
	json_decref(j);
	va_start(ap, path);
	vsnprintf(where, sizeof(where), path, ap);
	va_end(ap);
	writer_fail(w, EILSEQ, "%s is not UTF-8: a config.json cannot hold it", where);
	return NULL;
}

/* The name of an environment variable KV, if it is plain ASCII (for a
 * message), else "". */
static int env_name_len(const char *kv)
{
	size_t n = strcspn(kv, "=");

	for (size_t i = 0; i < n; i++)
		if ((unsigned char)kv[i] <= ' ' || (unsigned char)kv[i] >= 0x7f)
			return 0;
	return n > 64 ? 0 : (int)n;
}

static json_t *strv_json(struct plan_writer *w, const struct nb_strv *v, const char *path, bool env)
{
	json_t *a = json_array();

	if (!a)
		writer_fail(w, ENOMEM, "out of memory");
	for (size_t i = 0; a && i < v->len; i++) {
		int n = env ? env_name_len(v->items[i]) : 0;

		json_array_append_new(a, str_json(w, v->items[i], "%s[%zu]%s%.*s%s", path, i, n ? " (" : "",
						   n, v->items[i], n ? ")" : ""));
	}
	return a;
}

static json_t *caps_json(uint64_t set)
{
	json_t *a = json_array();

	for (int cap = 0; a && cap <= NB_CAP_LAST; cap++)
		if ((set & (UINT64_C(1) << cap)) && nb_cap_name(cap))
			json_array_append_new(a, json_string(nb_cap_name(cap)));
	return a;
}

static json_t *process_json(struct plan_writer *w, const struct nb_config *cfg)
{
	const struct nb_security *sec = &cfg->sec;
	json_t *p = json_object(), *user = json_object(), *groups = json_array(), *rl = json_array();

	for (size_t i = 0; i < cfg->n_groups; i++)
		json_array_append_new(groups, json_integer(cfg->groups[i]));
	json_object_set_new(user, "uid", json_integer(cfg->set_uid ? cfg->uid : 0));
	json_object_set_new(user, "gid", json_integer(cfg->set_gid ? cfg->gid : 0));
	json_object_set_new(user, "additionalGids", groups);
	json_object_set_new(p, "user", user);
	json_object_set_new(p, "args", strv_json(w, &cfg->args, "process.args", false));
	json_object_set_new(p, "env", strv_json(w, &cfg->env, "process.env", true));
	json_object_set_new(p, "cwd", str_json(w, cfg->cwd ? cfg->cwd : "/", "process.cwd"));
	json_object_set_new(p, "noNewPrivileges", json_boolean(sec->no_new_privs));
	if (sec->caps.set) {
		json_t *c = json_object();

		json_object_set_new(c, "bounding", caps_json(sec->caps.bounding));
		json_object_set_new(c, "effective", caps_json(sec->caps.effective));
		json_object_set_new(c, "permitted", caps_json(sec->caps.permitted));
		json_object_set_new(c, "inheritable", caps_json(sec->caps.inheritable));
		json_object_set_new(c, "ambient", caps_json(sec->caps.ambient));
		json_object_set_new(p, "capabilities", c);
	}
	for (size_t i = 0; i < sec->n_rlimits; i++) {
		const char *name = nb_rlimit_name(sec->rlimits[i].resource);

		if (name)
			json_array_append_new(rl, json_pack("{s:s, s:o, s:o}", "type", name,
							    "soft", u64_json(w, sec->rlimits[i].soft),
							    "hard", u64_json(w, sec->rlimits[i].hard)));
	}
	json_object_set_new(p, "rlimits", rl);
	return p;
}

static json_t *idmap_json(const struct nb_idmap *map)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < map->len; i++)
		json_array_append_new(a, json_pack("{s:I, s:I, s:I}", "containerID",
						   (json_int_t)map->range[i].inside, "hostID",
						   (json_int_t)map->range[i].outside, "size",
						   (json_int_t)map->range[i].count));
	return a;
}

/* The seccomp object: the plan's, or the built-in default spelled out;
 * NULL when there is none. */
static json_t *seccomp_json(struct plan_writer *w, const struct nb_security *sec)
{
	struct nb_seccomp def = { 0 };
	struct nb_error ignored;
	char *text;

	if (!sec->seccomp_builtin && !sec->seccomp.set)
		return NULL;
	if (sec->seccomp_builtin && nb_seccomp_default_profile(&def, &ignored) < 0) {
		writer_fail(w, ENOMEM, "out of memory");
		return NULL;
	}
	text = nb_oci_seccomp_json(sec->seccomp_builtin ? &def : &sec->seccomp);
	nb_seccomp_free(&def);
	return raw_json(w, text);
}

/* TEXT (jansson's compact dump) with each marker replaced by its raw text. */
static char *splice_raw(struct plan_writer *w, const char *text)
{
	static const char marker[] = "{\"\\u0001\":";
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f) {
		writer_fail(w, ENOMEM, "out of memory");
		return NULL;
	}
	for (const char *p = text; *p; ) {
		const char *m = strstr(p, marker);
		char *end;
		unsigned long k;

		if (!m) {
			fputs(p, f);
			break;
		}
		fwrite(p, 1, (size_t)(m - p), f);
		k = strtoul(m + sizeof(marker) - 1, &end, 10);
		if (*end != '}' || k >= w->n_raw) {
			writer_fail(w, EINVAL, "plan: a broken marker");
			break;
		}
		fputs(w->raw[k], f);
		p = end + 1;
	}
	if (fclose(f) != 0 || w->r < 0) {
		writer_fail(w, ENOMEM, "out of memory");
		free(out);
		return NULL;
	}
	return out;
}

int nb_oci_plan_json(const struct nb_config *cfg, char **ret, struct nb_error *err)
{
	static const char *const ns_names[NB_NS_COUNT] = {
		[NB_NS_USER] = "user", [NB_NS_PID] = "pid", [NB_NS_MNT] = "mount", [NB_NS_UTS] = "uts",
		[NB_NS_IPC] = "ipc", [NB_NS_NET] = "network", [NB_NS_CGROUP] = "cgroup",
		[NB_NS_TIME] = "time",
	};
	struct plan_writer w = { .err = err };
	json_t *doc = json_object(), *linux_ = json_object(), *ns = json_array(), *sc;
	char *text = NULL;

	*ret = NULL;
	if (!doc || !linux_ || !ns) {
		writer_fail(&w, ENOMEM, "out of memory");
		goto out;
	}
	for (int t = 0; t < NB_NS_COUNT; t++)
		if (cfg->ns[t].mode == NB_NS_NEW)
			json_array_append_new(ns, json_pack("{s:s}", "type", ns_names[t]));
	json_object_set_new(linux_, "namespaces", ns);
	ns = NULL;
	if (cfg->ns[NB_NS_USER].mode == NB_NS_NEW) {
		json_object_set_new(linux_, "uidMappings", idmap_json(&cfg->uid_map));
		json_object_set_new(linux_, "gidMappings", idmap_json(&cfg->gid_map));
	}
	sc = seccomp_json(&w, &cfg->sec);
	if (sc)
		json_object_set_new(linux_, "seccomp", sc);
	json_object_set_new(doc, "ociVersion", json_string("1.2.0"));
	json_object_set_new(doc, "root", json_pack("{s:o}", "path",
						   str_json(&w, cfg->rootfs ? cfg->rootfs : "/", "root.path")));
	json_object_set_new(doc, "process", process_json(&w, cfg));
	json_object_set_new(doc, "linux", linux_);
	linux_ = NULL;
	if (w.r < 0)
		goto out;
	text = json_dumps(doc, JSON_COMPACT);
	if (!text)
		writer_fail(&w, ENOMEM, "out of memory");
	else
		*ret = splice_raw(&w, text);
out:
	json_decref(doc);
	json_decref(linux_);
	json_decref(ns);
	free(text);
	for (size_t i = 0; i < w.n_raw; i++)
		free(w.raw[i]);
	free(w.raw);
	return w.r;
}
