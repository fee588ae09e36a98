/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/container_files.h"
#include "base/cleanup.h"
#include "runtime/hooks.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static json_t *hooks_json(const struct nb_hook *hooks, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++) {
		const struct nb_hook *hk = &hooks[i];
		json_t *o = json_object(), *args = json_array(), *env = json_array();

		for (size_t j = 0; j < hk->args.len; j++)
			json_array_append_new(args, json_string(hk->args.items[j]));
		for (size_t j = 0; j < hk->env.len; j++)
			json_array_append_new(env, json_string(hk->env.items[j]));
		json_object_set_new(o, "path", json_string(hk->path));
		json_object_set_new(o, "args", args);
		if (hk->has_env)
			json_object_set_new(o, "env", env);
		else
			json_decref(env);
		json_object_set_new(o, "timeout", json_integer(hk->timeout));
		json_array_append_new(arr, o);
	}
	return arr;
}

char *nb_saved_hooks_text(const struct nb_config *cfg)
{
	static const enum nb_hook_kind kinds[] = { NB_HOOK_POSTSTART, NB_HOOK_POSTSTOP };
	json_t *root = json_object();
	char *text;

	for (size_t k = 0; root && k < NB_ARRAY_SIZE(kinds); k++)
		json_object_set_new(root, nb_hook_kind_name(kinds[k]),
				    hooks_json(cfg->oci.hooks[kinds[k]], cfg->oci.n_hooks[kinds[k]]));
	text = root ? json_dumps(root, JSON_COMPACT) : NULL;
	json_decref(root);
	return text;
}

int nb_container_save_hooks(const struct nb_state_handle *h, const struct nb_config *cfg,
			    struct nb_error *err)
{
	_cleanup_free_ char *text = NULL;

	if (!cfg->oci.n_hooks[NB_HOOK_POSTSTART] && !cfg->oci.n_hooks[NB_HOOK_POSTSTOP])
		return 0;   /* a missing file reads as no hooks */
	text = nb_saved_hooks_text(cfg);
	if (!text)
		return nb_error_set(err, ENOMEM, "out of memory");
	return nb_state_save_file(h, NB_HOOKS_FILE, text, strlen(text), err);
}

static void strv_from_json(struct nb_strv *v, json_t *arr)
{
	size_t i;
	json_t *item;

	json_array_foreach(arr, i, item)
		if (json_is_string(item))
			nb_strv_push(v, json_string_value(item));
}

void nb_saved_hooks_load(const struct nb_state_handle *h, enum nb_hook_kind kind,
			 struct nb_saved_hooks *ret)
{
	_cleanup_free_ char *text = NULL;
	struct nb_error ignored;
	size_t len = 0;

	memset(ret, 0, sizeof(*ret));
	if (nb_state_load_file(h, NB_HOOKS_FILE, &text, &len, &ignored) < 0 || !text)
		return;
	nb_saved_hooks_parse(text, len, kind, ret);
}

void nb_saved_hooks_parse(const char *text, size_t len, enum nb_hook_kind kind, struct nb_saved_hooks *ret)
{
	json_t *root, *arr, *item;
	size_t i;

	memset(ret, 0, sizeof(*ret));
	root = json_loadb(text, len, 0, NULL);
	arr = json_object_get(root, nb_hook_kind_name(kind));
	if (json_array_size(arr))
		ret->hooks = calloc(json_array_size(arr), sizeof(*ret->hooks));
	json_array_foreach(arr, i, item) {
		const char *path = json_string_value(json_object_get(item, "path"));
		struct nb_hook *hk = ret->hooks ? &ret->hooks[ret->n] : NULL;

		if (!hk || !path || !(hk->path = strdup(path)))
			continue;
		strv_from_json(&hk->args, json_object_get(item, "args"));
		strv_from_json(&hk->env, json_object_get(item, "env"));
		hk->has_env = json_object_get(item, "env") != NULL;
		hk->timeout = (int)json_integer_value(json_object_get(item, "timeout"));
		ret->n++;
	}
	json_decref(root);
}

void nb_saved_hooks_run(const struct nb_saved_hooks *sh, enum nb_hook_kind kind, const char *state_json,
			struct nb_error *warn)
{
	if (sh->n && nb_hooks_run(sh->hooks, sh->n, kind, state_json, -1, -1, warn) < 0)
		nb_error_prefix(warn, "warning");
}

void nb_saved_hooks_free(struct nb_saved_hooks *sh)
{
	for (size_t i = 0; i < sh->n; i++) {
		free(sh->hooks[i].path);
		nb_strv_free(&sh->hooks[i].args);
		nb_strv_free(&sh->hooks[i].env);
	}
	free(sh->hooks);
	memset(sh, 0, sizeof(*sh));
}

int nb_container_save_config(const struct nb_state_handle *h, const char *text, size_t len,
			     struct nb_error *err)
{
	return nb_state_save_file(h, NB_CONFIG_FILE, text, len, err);
}

int nb_container_load_config(const struct nb_state_handle *h, char **ret, size_t *ret_len,
			     struct nb_error *err)
{
	*ret = NULL;
	*ret_len = 0;
	return nb_state_load_file(h, NB_CONFIG_FILE, ret, ret_len, err);
}
