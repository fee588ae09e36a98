/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-state: the files of a container's record. The input as a state.json
 * (nb_state_parse()), written again (nb_state_text()) and read back the
 * same, and its state JSON for every status; the same input as a
 * hooks.json (nb_saved_hooks_parse()), written again
 * (nb_saved_hooks_text()) and read back the same. */
#include "fuzz.h"
#include "runtime/container_files.h"
#include "runtime/state.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool strv_same(const struct nb_strv *a, const struct nb_strv *b)
{
	if (a->len != b->len)
		return false;
	for (size_t i = 0; i < a->len; i++)
		if (strcmp(a->items[i], b->items[i]) != 0)
			return false;
	return true;
}

static void hooks(const uint8_t *data, size_t size)
{
	static const enum nb_hook_kind kinds[] = { NB_HOOK_POSTSTART, NB_HOOK_POSTSTOP };
	struct nb_saved_hooks sh[2], back;
	struct nb_config cfg = { 0 };
	char *text;

	for (size_t k = 0; k < 2; k++) {
		nb_saved_hooks_parse((const char *)data, size, kinds[k], &sh[k]);
		cfg.oci.hooks[kinds[k]] = sh[k].hooks;
		cfg.oci.n_hooks[kinds[k]] = sh[k].n;
	}
	text = nb_saved_hooks_text(&cfg);
	FUZZ_CHECK(text, "nb_saved_hooks_text() failed");
	for (size_t k = 0; k < 2; k++) {
		nb_saved_hooks_parse(text, strlen(text), kinds[k], &back);
		FUZZ_CHECK(back.n == sh[k].n, "hooks.json: %zu hooks, then %zu\n%s", sh[k].n, back.n, text);
		for (size_t i = 0; i < back.n; i++) {
			const struct nb_hook *a = &sh[k].hooks[i], *b = &back.hooks[i];

			FUZZ_CHECK(strcmp(a->path, b->path) == 0 && strv_same(&a->args, &b->args) &&
				   strv_same(&a->env, &b->env) && a->has_env == b->has_env &&
				   a->timeout == b->timeout, "hooks.json: hook %zu differs\n%s", i, text);
		}
		nb_saved_hooks_free(&back);
		nb_saved_hooks_free(&sh[k]);
	}
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nb_error err = { 0 };
	struct nb_state st, back;
	int r = nb_state_parse((const char *)data, size, &st, &err);

	fuzz_check_error(r, &err, "nb_state_parse");
	if (r >= 0) {
		char *text = nb_state_text(&st);

		FUZZ_CHECK(st.id && st.bundle && st.created, "missing strings");
		FUZZ_CHECK(text, "nb_state_text() failed");
		r = nb_state_parse(text, strlen(text), &back, &err);
		FUZZ_CHECK(r == 0, "its text does not parse: %s\n%s", err.msg, text);
		FUZZ_CHECK(same(st.id, back.id) && same(st.bundle, back.bundle) &&
			   same(st.created, back.created) && same(st.cgroup, back.cgroup),
			   "strings differ\n%s", text);
		FUZZ_CHECK(st.pid == back.pid && st.start_time == back.start_time &&
			   st.own_pidns == back.own_pidns && st.owner == back.owner &&
			   st.ns_pid == back.ns_pid && st.ns_start_time == back.ns_start_time &&
			   st.creating == back.creating && st.creator_pid == back.creator_pid &&
			   st.creator_start_time == back.creator_start_time, "numbers differ\n%s", text);
		FUZZ_CHECK(st.annotations.len == back.annotations.len, "annotations differ\n%s", text);
		for (size_t i = 0; i < st.annotations.len; i++)
			FUZZ_CHECK(strcmp(st.annotations.items[i], back.annotations.items[i]) == 0,
				   "annotation %zu differs\n%s", i, text);
		for (int s = NB_STATUS_CREATING; s <= NB_STATUS_STOPPED; s++) {
			char *json = nb_state_json(&st, (enum nb_status)s);
			json_t *doc = json ? json_loads(json, 0, NULL) : NULL;

			FUZZ_CHECK(doc, "nb_state_json(%d) is no JSON", s);
			FUZZ_CHECK(json_is_string(json_object_get(doc, "id")), "state JSON without its id: %s", json);
			json_decref(doc);
			free(json);
		}
		nb_state_free(&back);
		free(text);
	}
	nb_state_free(&st);
	hooks(data, size);
	return 0;
}
