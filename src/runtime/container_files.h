/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * container_files.h: what a container's record keeps beside state.json for
 * the commands after create.
 *
 *   hooks.json   the poststart and poststop hooks (`start` and `delete` run
 *                them); absent when the config has none.
 *   config.json  the exact config.json text that create validated (the
 *                bundle may change afterwards: `exec` must not trust it);
 *                absent for a `run --name` sandbox, which has none yet.
 *
 * Both are created 0600 with O_EXCL|O_NOFOLLOW relative to the record's
 * dirfd, and read with O_NOFOLLOW and a size bound (runtime/state.h).
 */
#ifndef NSBOX_RUNTIME_CONTAINER_FILES_H
#define NSBOX_RUNTIME_CONTAINER_FILES_H

#include <stddef.h>

#include "base/error.h"
#include "runtime/state.h"
#include "spec/config.h"

/* Save the poststart and poststop hooks of CFG (nothing if it has none). */
int nb_container_save_hooks(const struct nb_state_handle *h, const struct nb_config *cfg,
			    struct nb_error *err);

/* Hooks of one kind, as saved. */
struct nb_saved_hooks {
	struct nb_hook *hooks;
	size_t n;
};
/* Load the saved hooks of KIND: none if there is no hooks.json (or it is
 * unreadable: hooks are best effort after create). */
void nb_saved_hooks_load(const struct nb_state_handle *h, enum nb_hook_kind kind,
			 struct nb_saved_hooks *ret);
/* The same, pure: hooks.json's TEXT (LEN bytes) as written by
 * nb_saved_hooks_text(), the poststart and poststop hooks of CFG
 * (malloc'd, or NULL if out of memory). A hook without a path, an element
 * that is not a string, a file that is no JSON: left out. */
void nb_saved_hooks_parse(const char *text, size_t len, enum nb_hook_kind kind, struct nb_saved_hooks *ret);
char *nb_saved_hooks_text(const struct nb_config *cfg);
/* Run them with STATE_JSON; a failure is a warning in WARN, per the spec. */
void nb_saved_hooks_run(const struct nb_saved_hooks *sh, enum nb_hook_kind kind, const char *state_json,
			struct nb_error *warn);
void nb_saved_hooks_free(struct nb_saved_hooks *sh);

/* Keep TEXT (LEN bytes), the config.json the container is made of. */
int nb_container_save_config(const struct nb_state_handle *h, const char *text, size_t len,
			     struct nb_error *err);
/* The kept config.json, malloc'd in *RET; *RET NULL when there is none. */
int nb_container_load_config(const struct nb_state_handle *h, char **ret, size_t *ret_len,
			     struct nb_error *err);

#endif
