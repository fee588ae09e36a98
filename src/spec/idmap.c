/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Parsing and checking of uid/gid maps, by the rules of user_namespaces(7). */
#include "spec/config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int nb_idmap_add(struct nb_idmap *map, const char *text, const char *what, struct nb_error *err)
{
	char buf[96];
	char *fields[3];
	char *save = NULL, *p = buf;
	struct nb_idmap_range r;

	if (strlen(text) >= sizeof(buf))
		return nb_error_usage(err, "%s '%s': too long", what, text);
	strcpy(buf, text);
	for (int i = 0; i < 3; i++) {
		fields[i] = strtok_r(p, ":", &save);
		p = NULL;
		if (!fields[i])
			return nb_error_usage(err, "%s '%s': expected INSIDE:OUTSIDE:COUNT", what, text);
	}
	/* strtok_r() skips empty fields: reject them ("::", a leading or trailing ':'). */
	if (strtok_r(NULL, ":", &save) || strstr(text, "::") || text[0] == ':' ||
	    text[strlen(text) - 1] == ':')
		return nb_error_usage(err, "%s '%s': expected INSIDE:OUTSIDE:COUNT", what, text);
	if (nb_parse_u32(fields[0], &r.inside) < 0 || nb_parse_u32(fields[1], &r.outside) < 0 ||
	    nb_parse_u32(fields[2], &r.count) < 0)
		return nb_error_usage(err, "%s '%s': ids and count must be numbers from 0 to 4294967295",
				      what, text);
	if (map->len >= NB_IDMAP_MAX_LINES)
		return nb_error_usage(err, "%s: more than %d ranges (the kernel's limit)", what,
				      NB_IDMAP_MAX_LINES);
	map->range[map->len++] = r;
	return 0;
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

int nb_idmap_validate(const struct nb_idmap *map, const char *what, struct nb_error *err)
{
	if (map->len > NB_IDMAP_MAX_LINES)
		return nb_error_usage(err, "%s: more than %d ranges (the kernel's limit)", what,
				      NB_IDMAP_MAX_LINES);
	for (size_t i = 0; i < map->len; i++) {
		const struct nb_idmap_range *a = &map->range[i];

		if (a->count == 0)
			return nb_error_usage(err, "%s %u:%u:%u: count must be at least 1", what,
					      a->inside, a->outside, a->count);
		/* The last id of a range must be at most 4294967294 (-1 is invalid). */
		if ((uint64_t)a->inside + a->count > UINT32_MAX ||
		    (uint64_t)a->outside + a->count > UINT32_MAX)
			return nb_error_usage(err, "%s %u:%u:%u: range passes the largest id 4294967294",
					      what, a->inside, a->outside, a->count);
		for (size_t j = 0; j < i; j++) {
			const struct nb_idmap_range *b = &map->range[j];

			if (overlaps(a->inside, a->count, b->inside, b->count))
				return nb_error_usage(err, "%s %u:%u:%u: inside range overlaps %u:%u:%u",
						      what, a->inside, a->outside, a->count,
						      b->inside, b->outside, b->count);
			if (overlaps(a->outside, a->count, b->outside, b->count))
				return nb_error_usage(err, "%s %u:%u:%u: outside range overlaps %u:%u:%u",
						      what, a->inside, a->outside, a->count,
						      b->inside, b->outside, b->count);
		}
	}
	return 0;
}

int nb_idmap_format(const struct nb_idmap *map, char *buf, size_t size)
{
	size_t len = 0;

	if (size)
		buf[0] = '\0';
	for (size_t i = 0; i < map->len; i++) {
		int n = snprintf(buf + len, size - len, "%u %u %u\n", map->range[i].inside,
				 map->range[i].outside, map->range[i].count);

		if (n < 0 || (size_t)n >= size - len)
			return -ENOSPC;
		len += (size_t)n;
	}
	return (int)len;
}

bool nb_idmap_maps_inside(const struct nb_idmap *map, uint32_t id)
{
	for (size_t i = 0; i < map->len; i++)
		if (id >= map->range[i].inside && (uint64_t)id < (uint64_t)map->range[i].inside + map->range[i].count)
			return true;
	return false;
}
