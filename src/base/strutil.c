/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "base/strutil.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int nb_parse_u64(const char *s, uint64_t max, uint64_t *ret)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE || v > max)
		return -ERANGE;
	if (*end != '\0')
		return -EINVAL;
	*ret = v;
	return 0;
}

int nb_parse_u32(const char *s, uint32_t *ret)
{
	uint64_t v;
	int r = nb_parse_u64(s, UINT32_MAX, &v);

	if (r == 0)
		*ret = (uint32_t)v;
	return r;
}

int nb_parse_int(const char *s, int min, int max, int *ret)
{
	long v;
	char *end;

	if (!s || !*s || isspace((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0')
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*ret = (int)v;
	return 0;
}

int nb_parse_size(const char *s, uint64_t *ret)
{
	unsigned long long v;
	unsigned shift = 0;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	default: return -EINVAL;
	}
	if (*end != '\0')
		return -EINVAL;
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*ret = (uint64_t)v << shift;
	return 0;
}

/* One "1.5s" term: nanoseconds per unit, or 0 for a bad unit. */
static uint64_t duration_unit(const char **p)
{
	static const struct { const char *name; uint64_t ns; } units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "\xc2\xb5s", 1000 }, { "ms", 1000000 },
		{ "s", 1000000000ull }, { "m", 60000000000ull }, { "h", 3600000000000ull },
	};
	size_t best = 0, best_len = 0;

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t len = strlen(units[i].name);

		if (strncmp(*p, units[i].name, len) == 0 && len > best_len) {
			best = i;
			best_len = len;
		}
	}
	if (!best_len)
		return 0;
	*p += best_len;
	return units[best].ns;
}

int nb_parse_duration(const char *s, uint64_t *ret_ns)
{
	long double total = 0;
	const char *p = s;

	if (!s || !*s)
		return -EINVAL;
	while (*p) {
		size_t len = strspn(p, "0123456789.");
		char *num, *end;
		long double v;
		uint64_t unit;
		bool bad;

		if (len == 0)
			return -EINVAL;
		/* Any number of digits (zeros in front), as Go reads them. */
		num = strndup(p, len);
		if (!num)
			return -ENOMEM;
		v = strtold(num, &end);
		bad = *end || !strpbrk(num, "0123456789");
		free(num);
		if (bad)
			return -EINVAL;
		p += len;
		if (!*p && p - len == s) {
			total = v * 1e9L;   /* a plain number: seconds */
			break;
		}
		unit = duration_unit(&p);
		if (!unit)
			return -EINVAL;
		total += v * (long double)unit;
	}
	if (total > (long double)UINT64_MAX)
		return -ERANGE;
	*ret_ns = (uint64_t)total;
	return 0;
}

bool nb_streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

bool nb_startswith(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int strv_reserve(struct nb_strv *v, size_t n)
{
	char **items;
	size_t cap;

	if (v->len + n + 1 <= v->cap)
		return 0;
	cap = v->cap ? v->cap * 2 : 8;
	while (cap < v->len + n + 1)
		cap *= 2;
	items = realloc(v->items, cap * sizeof(*items));
	if (!items)
		return -ENOMEM;
	v->items = items;
	v->cap = cap;
	return 0;
}

int nb_strv_push(struct nb_strv *v, const char *s)
{
	char *copy;

	if (strv_reserve(v, 1) < 0)
		return -ENOMEM;
	copy = strdup(s);
	if (!copy)
		return -ENOMEM;
	v->items[v->len++] = copy;
	v->items[v->len] = NULL;
	return 0;
}

static size_t key_len(const char *kv)
{
	const char *eq = strchr(kv, '=');

	return eq ? (size_t)(eq - kv) : strlen(kv);
}

int nb_strv_setenv(struct nb_strv *v, const char *kv)
{
	size_t klen = key_len(kv);

	for (size_t i = 0; i < v->len; i++) {
		if (key_len(v->items[i]) == klen && strncmp(v->items[i], kv, klen) == 0) {
			char *copy = strdup(kv);

			if (!copy)
				return -ENOMEM;
			free(v->items[i]);
			v->items[i] = copy;
			return 0;
		}
	}
	return nb_strv_push(v, kv);
}

const char *nb_strv_getenv(const struct nb_strv *v, const char *key)
{
	size_t klen = strlen(key);

	for (size_t i = 0; i < v->len; i++)
		if (strncmp(v->items[i], key, klen) == 0 && v->items[i][klen] == '=')
			return v->items[i] + klen + 1;
	return NULL;
}

void nb_strv_free(struct nb_strv *v)
{
	for (size_t i = 0; i < v->len; i++)
		free(v->items[i]);
	free(v->items);
	v->items = NULL;
	v->len = v->cap = 0;
}
