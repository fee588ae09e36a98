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

#define TMPFS_OPTS "size=N, nr_inodes=N, mode=OCTAL"

/* One option of --tmpfs DST:OPT,...: into MODE (octal digits), or appended
 * to DATA as the kernel takes it. */
static int tmpfs_option(const char *text, const char *opt, char *mode, char *data, size_t size,
			struct nb_error *err)
{
	size_t len = strlen(data);
	uint64_t n;
	char *end;

	if (nb_startswith(opt, "size=") || nb_startswith(opt, "nr_inodes=")) {
		const char *v = strchr(opt, '=') + 1;
		int is_size = opt[0] == 's';

		if (nb_parse_size(v, &n) < 0 || n == 0)
			return nb_error_usage(err, "--tmpfs '%s': %s must be a positive number%s, "
					      "optionally with k, m or g", text, is_size ? "size" : "nr_inodes",
					      is_size ? " of bytes" : "");
		snprintf(data + len, size - len, ",%.*s%" PRIu64, (int)(v - opt), opt, n);
		return 0;
	}
	if (nb_startswith(opt, "mode=")) {
		errno = 0;
		n = strtoull(opt + 5, &end, 8);
		if (opt[5] < '0' || opt[5] > '7' || *end || errno || n > 07777)
			return nb_error_usage(err, "--tmpfs '%s': mode must be octal, 0 to 7777", text);
		snprintf(mode, 8, "%04" PRIo64, n);
		return 0;
	}
	return nb_error_usage(err, "--tmpfs '%s': unknown option '%s' (" TMPFS_OPTS ")", text, opt);
}

int nb_mount_parse_tmpfs(const char *text, struct nb_mount *ret, struct nb_error *err)
{
	_cleanup_free_ char *buf = strdup(text);
	char mode[8] = "1777", rest[96] = "", data[128];
	unsigned seen = 0;
	char *opts, *save = NULL;
	int r;

	if (!buf)
		return nb_error_set(err, ENOMEM, "out of memory");
	opts = strchr(buf, ':');
	if (opts) {
		*opts++ = '\0';
		if (*opts == '\0' || opts[strlen(opts) - 1] == ',' || strstr(opts, ",,"))
			return nb_error_usage(err, "--tmpfs '%s': unknown option '' (" TMPFS_OPTS ")", text);
		for (char *o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
			unsigned bit = o[0] == 's' ? 1 : o[0] == 'n' ? 2 : 4;

			r = tmpfs_option(text, o, mode, rest, sizeof(rest), err);
			if (r < 0)
				return r;
			if (seen & bit)
				return nb_error_usage(err, "--tmpfs '%s': option '%.*s' given twice", text,
						      (int)strcspn(o, "="), o);
			seen |= bit;
		}
	}
	if (buf[0] == '\0')
		return nb_error_usage(err, "--tmpfs '%s': expected DST[:OPT,...] (" TMPFS_OPTS ")", text);
	r = check_dest("--tmpfs", text, buf, err);
	if (r < 0)
		return r;
	snprintf(data, sizeof(data), "mode=%s%s", mode, rest);
	*ret = (struct nb_mount){ .kind = NB_MOUNT_TMPFS, .flags = NB_MNT_NOSUID | NB_MNT_NODEV };
	ret->dest = strdup(buf);
	ret->data = strdup(data);
	if (!ret->dest || !ret->data) {
		nb_mount_clear(ret);
		return nb_error_set(err, ENOMEM, "out of memory");
	}
	return 0;
}
