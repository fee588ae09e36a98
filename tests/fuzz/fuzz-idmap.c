/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-idmap: id maps (--map-users IN:OUT:N, one a line: nb_idmap_add(),
 * nb_idmap_validate(), nb_idmap_format()) and ids (--uid, exec --user
 * UID[:GID]: nb_parse_id(), nb_parse_user()). */
#include "fuzz.h"
#include "spec/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check_valid(const struct nb_idmap *map)
{
	/* A valid map: the kernel's rules, seen from outside. */
	for (size_t i = 0; i < map->len; i++) {
		const struct nb_idmap_range *a = &map->range[i];

		FUZZ_CHECK(a->count > 0, "range %zu: count 0", i);
		FUZZ_CHECK((uint64_t)a->inside + a->count - 1 <= 4294967294u &&
			   (uint64_t)a->outside + a->count - 1 <= 4294967294u, "range %zu: passes -1", i);
		FUZZ_CHECK(nb_idmap_maps_inside(map, a->inside) &&
			   nb_idmap_maps_inside(map, (uint32_t)(a->inside + a->count - 1)),
			   "range %zu: its ends are not mapped", i);
		for (size_t j = 0; j < i; j++) {
			const struct nb_idmap_range *b = &map->range[j];

			FUZZ_CHECK(a->inside + (uint64_t)a->count <= b->inside ||
				   b->inside + (uint64_t)b->count <= a->inside, "ranges %zu, %zu overlap inside", j, i);
			FUZZ_CHECK(a->outside + (uint64_t)a->count <= b->outside ||
				   b->outside + (uint64_t)b->count <= a->outside, "ranges %zu, %zu overlap outside", j, i);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct nb_idmap map;   /* 4 KiB: not on the stack */
	char *text = fuzz_string(data, size), *save = NULL, *line;
	struct nb_error err = { 0 };
	struct nb_config cfg;
	char buf[8192];
	uint32_t id;
	int r;

	map.len = 0;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t before = map.len;

		r = nb_idmap_add(&map, line, "--map-users", &err);
		fuzz_check_error(r, &err, "nb_idmap_add");
		FUZZ_CHECK(map.len == before + (r >= 0), "nb_idmap_add: length");
		FUZZ_CHECK(map.len <= NB_IDMAP_MAX_LINES, "more than the kernel's lines");
		r = nb_parse_id("--uid", line, &id, &err);
		fuzz_check_error(r, &err, "nb_parse_id");
		FUZZ_CHECK(r < 0 || id != UINT32_MAX, "nb_parse_id: -1");
		nb_config_init(&cfg);
		r = nb_parse_user("--user", line, &cfg, &err);
		fuzz_check_error(r, &err, "nb_parse_user");
		FUZZ_CHECK(r < 0 || (cfg.set_uid && cfg.uid != UINT32_MAX && cfg.gid != UINT32_MAX),
			   "nb_parse_user: -1");
		nb_config_free(&cfg);
	}
	r = nb_idmap_validate(&map, "--map-users", &err);
	fuzz_check_error(r, &err, "nb_idmap_validate");
	if (r >= 0)
		check_valid(&map);
	r = nb_idmap_format(&map, buf, sizeof(buf));
	FUZZ_CHECK(r == -ENOSPC || (r >= 0 && (size_t)r == strlen(buf)), "nb_idmap_format: %d", r);
	FUZZ_CHECK(r < 0 || map.len == 0 || buf[r - 1] == '\n', "nb_idmap_format: no final newline");
	r = nb_idmap_format(&map, buf, 1);
	FUZZ_CHECK((map.len == 0 && r == 0) || (map.len > 0 && r == -ENOSPC), "nb_idmap_format, 1 byte: %d", r);
	free(text);
	return 0;
}
