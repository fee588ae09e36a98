/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-mountspec: the mount specs of `nsbox run`: --bind SRC:DST[:ro|rw]
 * (first byte even) and --tmpfs DST[:OPT,...] (odd), added to a plan. */
#include "fuzz.h"
#include "spec/config.h"

#include <stdlib.h>
#include <string.h>

/* Does PATH, absolute, hold a ".." component? */
static bool has_dotdot(const char *path)
{
	for (const char *p = path; (p = strstr(p, "..")); p += 2)
		if (p[-1] == '/' && (p[2] == '/' || p[2] == '\0'))
			return true;
	return false;
}

/* --tmpfs TEXT gave DATA: "mode=NNNN" (1777 unless TEXT asks), then each
 * size= and nr_inodes= TEXT has, as a number, and nothing else. */
static void check_tmpfs_data(const char *text, const char *data)
{
	const char *opts = strchr(text, ':');
	size_t n = strspn(data + 5, "01234567");

	FUZZ_CHECK(strncmp(data, "mode=", 5) == 0 && n == 4 && (data[9] == '\0' || data[9] == ','),
		   "tmpfs data '%s'", data);
	FUZZ_CHECK((opts && strstr(opts, "mode=")) || strncmp(data, "mode=1777", 9) == 0,
		   "tmpfs data '%s': a mode not asked for", data);
	FUZZ_CHECK(!(opts && strstr(opts, "size=")) || strstr(data, ",size="), "tmpfs: the size is lost");
	FUZZ_CHECK(!(opts && strstr(opts, "nr_inodes=")) || strstr(data, ",nr_inodes="),
		   "tmpfs: nr_inodes is lost");
	for (const char *p = strchr(data, ','); p; p = strchr(p + 1, ','))
		FUZZ_CHECK(strncmp(p + 1, "size=", 5) == 0 || strncmp(p + 1, "nr_inodes=", 10) == 0,
			   "tmpfs data '%s': an option not asked for", data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nb_error err = { 0 };
	struct nb_mount m;
	bool bind;
	char *text;
	int r;

	if (size < 1)
		return 0;
	bind = !(data[0] & 1);
	text = fuzz_string(data + 1, size - 1);
	r = bind ? nb_mount_parse_bind(text, &m, &err) : nb_mount_parse_tmpfs(text, &m, &err);
	fuzz_check_error(r, &err, bind ? "nb_mount_parse_bind" : "nb_mount_parse_tmpfs");
	if (r >= 0) {
		struct nb_config cfg;

		FUZZ_CHECK(m.dest && m.dest[0] == '/', "destination '%s' is not absolute", m.dest);
		FUZZ_CHECK(!has_dotdot(m.dest), "destination '%s' holds '..'", m.dest);
		if (bind) {
			FUZZ_CHECK(m.kind == NB_MOUNT_BIND && m.source && m.source[0], "a bind without a source");
			FUZZ_CHECK(strlen(m.source) + strlen(m.dest) < strlen(text), "bind: lengths");
		} else {
			FUZZ_CHECK(m.kind == NB_MOUNT_TMPFS && m.data, "a tmpfs without data");
			check_tmpfs_data(text, m.data);
		}
		nb_config_init(&cfg);
		r = nb_config_add_mount(&cfg, &m, &err);
		fuzz_check_error(r, &err, "nb_config_add_mount");
		nb_config_free(&cfg);
		nb_mount_clear(&m);
	}
	free(text);
	return 0;
}
