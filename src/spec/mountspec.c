/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Parsing of the --bind and --tmpfs mount specs of `nsbox run`. */
#include "spec/config.h"
#include "base/cleanup.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_dest(const char *flag, const char *text, const char *dest, struct nb_error *err)
{
	if (dest[0] != '/')
		return nb_error_usage(err, "%s '%s': destination '%s' must be an absolute path",
				      flag, text, dest);
	for (const char *p = dest; *p; ) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		if (n == 2 && strncmp(p, "..", 2) == 0)
			return nb_error_usage(err, "%s '%s': destination must not contain '..'", flag, text);
		p += n;
		while (*p == '/')
			p++;
	}
	return 0;
}

int nb_mount_parse_bind(const char *text, struct nb_mount *ret, struct nb_error *err)
{
	_cleanup_free_ char *buf = strdup(text);
	char *dest, *opt;
	unsigned flags = NB_MNT_RECURSIVE;
	int r;

	if (!buf)
		return nb_error_set(err, ENOMEM, "out of memory");
	dest = strchr(buf, ':');
	if (!dest || dest == buf || dest[1] == '\0')
		return nb_error_usage(err, "--bind '%s': expected SRC:DST[:ro]", text);
	*dest++ = '\0';
	opt = strchr(dest, ':');
	if (opt) {
		*opt++ = '\0';
		if (nb_streq(opt, "ro"))
			flags |= NB_MNT_RDONLY;
		else if (!nb_streq(opt, "rw"))
			return nb_error_usage(err, "--bind '%s': unknown option '%s' (ro or rw)", text, opt);
	}
	r = check_dest("--bind", text, dest, err);
	if (r < 0)
		return r;
	*ret = (struct nb_mount){ .kind = NB_MOUNT_BIND, .flags = flags };
	ret->source = strdup(buf);
	ret->dest = strdup(dest);
	if (!ret->source || !ret->dest) {
		nb_mount_clear(ret);
		return nb_error_set(err, ENOMEM, "out of memory");
	}
	return 0;
}

int nb_mount_parse_tmpfs(const char *text, struct nb_mount *ret, struct nb_error *err)
{
	_cleanup_free_ char *buf = strdup(text);
	char data[64] = "mode=1777";
	char *opt;
	int r;

	if (!buf)
		return nb_error_set(err, ENOMEM, "out of memory");
	opt = strchr(buf, ':');
	if (opt) {
		uint64_t size;

		*opt++ = '\0';
		if (!nb_startswith(opt, "size="))
			return nb_error_usage(err, "--tmpfs '%s': unknown option '%s' (size=N)", text, opt);
		if (nb_parse_size(opt + 5, &size) < 0 || size == 0)
			return nb_error_usage(err, "--tmpfs '%s': size must be a positive number of bytes, "
					      "optionally with k, m or g", text);
		snprintf(data, sizeof(data), "mode=1777,size=%" PRIu64, size);
	}
	if (buf[0] == '\0')
		return nb_error_usage(err, "--tmpfs '%s': expected DST[:size=N]", text);
	r = check_dest("--tmpfs", text, buf, err);
	if (r < 0)
		return r;
	*ret = (struct nb_mount){ .kind = NB_MOUNT_TMPFS, .flags = NB_MNT_NOSUID | NB_MNT_NODEV };
	ret->dest = strdup(buf);
	ret->data = strdup(data);
	if (!ret->dest || !ret->data) {
		nb_mount_clear(ret);
		return nb_error_set(err, ENOMEM, "out of memory");
	}
	return 0;
}
