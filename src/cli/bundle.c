/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bundle.c: read an OCI bundle's config.json into a plan. */
#include "cli/commands.h"
#include "base/cleanup.h"
#include "base/strutil.h"
#include "spec/config.h"
#include "spec/oci.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONFIG_MAX (16 << 20)

int nb_cli_listen_fds(void)
{
	const char *fds = getenv("LISTEN_FDS"), *pid = getenv("LISTEN_PID");
	int n = 0, p;

	if (!fds || nb_parse_int(fds, 1, 1 << 16, &n) < 0)
		return 0;
	if (pid && (nb_parse_int(pid, 1, INT32_MAX, &p) < 0 || p != getpid()))
		return 0;   /* meant for another process */
	return n;
}

/* The text of BUNDLE/config.json, malloc'd. */
static int read_config(const char *bundle, char **ret, size_t *ret_len, struct nb_error *err)
{
	_cleanup_close_ int dirfd = open(bundle, O_PATH | O_DIRECTORY | O_CLOEXEC);
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *text = NULL;
	struct stat st;
	size_t len = 0;

	if (dirfd < 0)
		return nb_error_errno(err, "bundle '%s'", bundle);
	fd = openat(dirfd, "config.json", O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) < 0)
		return nb_error_errno(err, "bundle '%s': config.json", bundle);
	if (st.st_size > CONFIG_MAX)
		return nb_error_set(err, EFBIG, "bundle '%s': config.json is larger than 16 MiB", bundle);
	text = malloc((size_t)st.st_size + 1);
	if (!text)
		return nb_error_set(err, ENOMEM, "out of memory");
	while (len < (size_t)st.st_size) {
		ssize_t n = read(fd, text + len, (size_t)st.st_size - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return nb_error_errno(err, "bundle '%s': read config.json", bundle);
		len += (size_t)n;
	}
	text[len] = '\0';
	*ret = TAKE_PTR(text);
	*ret_len = len;
	return 0;
}

int nb_cli_load_bundle(const char *bundle, struct nb_config *cfg, char **ret_text, size_t *ret_len,
		       struct nb_error *err)
{
	_cleanup_free_ char *text = NULL;
	struct stat st;
	size_t len = 0;
	int r = read_config(bundle, &text, &len, err);

	if (r >= 0)
		r = nb_oci_load(text, len, bundle, cfg, err);
	if (r < 0)
		return r;
	/* Checked again before use; here to be named in config.json terms
	 * (the engine's own message speaks of `nsbox run --rootfs`). */
	if (cfg->rootfs && stat(cfg->rootfs, &st) < 0)
		return nb_error_errno(err, "config.json: root.path '%s'", cfg->rootfs);
	if (cfg->rootfs && !S_ISDIR(st.st_mode))
		return nb_error_set(err, ENOTDIR, "config.json: root.path '%s': not a directory", cfg->rootfs);
	if (ret_text) {
		*ret_text = TAKE_PTR(text);
		*ret_len = len;
	}
	return 0;
}

int nb_cli_check_cgroup_driver(const struct nb_globals *g, const struct nb_config *cfg,
			       struct nb_error *err)
{
	/* "slice:prefix:name" is for the systemd driver, which nsbox lacks. */
	if (g->systemd_cgroup && cfg->oci.cgroups_path && strchr(cfg->oci.cgroups_path, ':'))
		return nb_error_set(err, ENOTSUP, "--systemd-cgroup: cgroupsPath '%s' needs the systemd "
				    "cgroup driver, which nsbox does not have yet (use cgroupfs)",
				    cfg->oci.cgroups_path);
	return 0;
}
