/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/exec.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int exec_failed(const char *cmd, int code, struct nb_error *err)
{
	int r;

	if (code == ENOENT || code == ENOTDIR) {
		r = nb_error_set(err, code, "exec '%s': command not found", cmd);
		err->kind = NB_ERR_NOT_FOUND;
		return r;
	}
	r = nb_error_sys(err, code, "exec '%s'", cmd);
	err->kind = NB_ERR_CANNOT_EXEC;
	return r;
}

int nb_exec_command(const struct nb_config *cfg, struct nb_error *err)
{
	char *const empty[] = { NULL };
	char *const *envp = cfg->env.len ? cfg->env.items : empty;
	const char *cmd = cfg->args.items[0];
	const char *path, *p;
	int saved = ENOENT;

	if (strchr(cmd, '/')) {
		execve(cmd, cfg->args.items, envp);
		return exec_failed(cmd, errno, err);
	}
	path = nb_strv_getenv(&cfg->env, "PATH");
	if (!path || !*path)
		path = NB_DEFAULT_PATH;
	for (p = path; ; ) {
		size_t len = strcspn(p, ":");
		char full[PATH_MAX];

		if (snprintf(full, sizeof(full), "%.*s%s%s", (int)len, len ? p : ".",
			     "/", cmd) < (int)sizeof(full)) {
			execve(full, cfg->args.items, envp);
			/* Like execvp(): remember "found but cannot run", keep looking. */
			if (errno != ENOENT && errno != ENOTDIR)
				saved = errno;
		}
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	return exec_failed(cmd, saved, err);
}
