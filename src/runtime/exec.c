/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/exec.h"
#include "linux/trampoline.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int nb_exec_error(const char *cmd, int code, struct nb_error *err)
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

/* Would execve(PATH) find something to run? 0 or what execve would say. */
static int check_program(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EACCES;
	if (faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) < 0)
		return -errno;
	return 0;
}

/* The program CMD names: itself if it holds a '/', else the first match
 * in PATH, as execvp() searches (remembering "found but cannot run" and
 * going on). 0, or the errno that execve would give. */
static int find_program(const char *cmd, const char *path, char *buf, size_t size)
{
	int saved = -ENOENT;

	if (strchr(cmd, '/')) {
		if ((size_t)snprintf(buf, size, "%s", cmd) >= size)
			return -ENAMETOOLONG;
		return check_program(buf);
	}
	for (const char *p = path; ; ) {
		size_t len = strcspn(p, ":");
		int r;

		if ((size_t)snprintf(buf, size, "%.*s/%s", (int)len, len ? p : ".", cmd) < size) {
			r = check_program(buf);
			if (r == 0)
				return 0;
			if (r != -ENOENT && r != -ENOTDIR)
				saved = r;
		}
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	return saved;
}

int nb_exec_argv(char *const argv[], const struct nb_strv *env, const struct nb_exec_via *via,
		 struct nb_error *err)
{
	char *const empty[] = { NULL };
	char *const *envp = env->len ? env->items : empty;
	const char *path = nb_strv_getenv(env, "PATH");
	char full[PATH_MAX];
	int r;

	if (!path || !*path)
		path = NB_DEFAULT_PATH;
	r = find_program(argv[0], path, full, sizeof(full));
	if (r < 0)
		return nb_exec_error(argv[0], -r, err);
	if (via->tramp < 0) {
		execve(full, argv, envp);
		return nb_exec_error(argv[0], errno, err);
	}
	r = nb_trampoline_exec(via->tramp, via->report, via->hold, via->say, full, argv, envp);
	nb_exec_error(argv[0], -r, err);
	return nb_error_prefix(err, "start nsbox-exec");
}

int nb_exec_command(const struct nb_config *cfg, const struct nb_exec_via *via, struct nb_error *err)
{
	return nb_exec_argv(cfg->args.items, &cfg->env, via, err);
}
