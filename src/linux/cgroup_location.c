/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/cgroup_location.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Copy LEN bytes of S into BUF, terminated: 0 or -ENAMETOOLONG. */
static int copy(char *buf, size_t size, const char *s, size_t len)
{
	if (len >= size)
		return -ENAMETOOLONG;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return 0;
}

int nb_cg_location_path(const char *location, const char *dir, char *buf, size_t size)
{
	size_t dlen = strlen(dir);

	for (const char *l = strchr(location, '\n'); l; l = strchr(l, '\n')) {
		l++;
		if (strncmp(l, dir, dlen) == 0 && l[dlen] == '=')
			return copy(buf, size, l + dlen + 1, strcspn(l + dlen + 1, "\n"));
	}
	return copy(buf, size, location, strcspn(location, "\n"));
}

/* One path: absolute, plain, not a root. */
static int check_path(const char *p, size_t len, const char *what, struct nb_error *err)
{
	bool root = true;

	if (len == 0 || p[0] != '/')
		return nb_error_set(err, EINVAL, "%s '%.*s': must be absolute", what, (int)len, p);
	for (size_t i = 0; i < len;) {
		size_t n;

		i++;   /* the slash */
		n = strcspn(p + i, "/\n");
		n = n < len - i ? n : len - i;
		if ((n == 0 && i < len) || (n == 1 && p[i] == '.') || (n == 2 && p[i] == '.' && p[i + 1] == '.'))
			return nb_error_set(err, EINVAL, "%s '%.*s': must be plain (no '.', '..' or '//')", what,
					    (int)len, p);
		root &= n == 0;
		i += n;
	}
	if (root)
		return nb_error_set(err, EINVAL, "%s '%.*s': a hierarchy's root cannot be a sandbox's cgroup",
				    what, (int)len, p);
	return 0;
}

int nb_cg_location_check(const char *location, const char *what, struct nb_error *err)
{
	bool first = true;

	for (const char *l = location; l; first = false) {
		const char *nl = strchr(l, '\n'), *p = l;
		size_t len = nl ? (size_t)(nl - l) : strlen(l);
		int r;

		if (!first) {
			const char *eq = memchr(l, '=', len);

			if (!eq || eq == l || memchr(l, '/', (size_t)(eq - l)))
				return nb_error_set(err, EINVAL, "%s: a malformed line '%.*s'", what, (int)len, l);
			p = eq + 1;
			len -= (size_t)(p - l);
		}
		r = check_path(p, len, what, err);
		if (r < 0)
			return r;
		l = nl ? nl + 1 : NULL;
	}
	return 0;
}

/* Does the controller list LIST (of a /proc/self/cgroup line, LEN bytes)
 * hold NAME? cgroup2's list is empty, and so is its NAME. */
static bool lists(const char *list, size_t len, const char *name)
{
	size_t nlen = strlen(name);

	if (nlen == 0)
		return len == 0;
	for (size_t i = 0; i < len;) {
		size_t n = strcspn(list + i, ",:");

		if (n == nlen && strncmp(list + i, name, n) == 0)
			return true;
		i += n + 1;
	}
	return false;
}

/* The caller's own cgroup in the hierarchy named NAME, as SELF_CGROUP
 * lists it (its length into *LEN), or NULL. */
static const char *own(const char *self_cgroup, const char *name, size_t *len)
{
	for (const char *l = self_cgroup; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *c1 = strchr(l, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		const char *nl = strchr(l, '\n');

		if (!c2 || (nl && c2 > nl))
			continue;
		if (lists(c1 + 1, (size_t)(c2 - c1 - 1), name)) {
			*len = strcspn(c2 + 1, "\n");
			return c2 + 1;
		}
	}
	return NULL;
}

/* REL in hierarchy H, whose mount shows the tree from H->root; MINE (LEN
 * bytes) the caller's own cgroup there, or NULL. Into BUF. */
static int place(const char *rel, const struct nb_cg_hier *h, const char *mine, size_t len, char *buf,
		 size_t size, struct nb_error *err)
{
	size_t rlen = strcmp(h->root, "/") == 0 ? 0 : strlen(h->root);
	int n;

	if (h->under == NB_CG_UNDER_ROOT)
		len = 0;
	else if (!mine)
		return nb_error_set(err, ENOENT, "cgroup: nsbox's own cgroup in '%s' is not listed", h->dir);
	if (len && rlen && (len < rlen || strncmp(mine, h->root, rlen) != 0 || (len > rlen && mine[rlen] != '/')))
		return nb_error_set(err, ENOENT, "cgroup: nsbox's own cgroup '%.*s' is outside the tree "
				    "its hierarchy's mount shows ('%s')", (int)len, mine, h->root);
	if (len) {
		mine += rlen;
		len -= rlen;
	}
	while (len && mine[len - 1] == '/')
		len--;
	/* The parent of one's own (of the root: the root). */
	while (h->under == NB_CG_UNDER_PARENT && len && mine[len - 1] != '/')
		len--;
	while (len && mine[len - 1] == '/')
		len--;
	n = snprintf(buf, size, "%.*s/%s", (int)len, mine, rel);
	if (n < 0 || (size_t)n >= size)
		return nb_error_set(err, ENAMETOOLONG, "cgroup path too long");
	return 0;
}

int nb_cg_location_build(const char *rel, const char *self_cgroup, const struct nb_cg_hier *hier, size_t n,
			 char *buf, size_t size, struct nb_error *err)
{
	char first[4096], path[4096];
	size_t used;
	int r;

	if (n == 0)
		return nb_error_set(err, ENOENT, "cgroup: no hierarchy");
	for (size_t i = 0; i < n; i++) {
		size_t len = 0;
		const char *mine = own(self_cgroup, hier[i].name, &len);
		int k;

		if (!mine && i > 0 && hier[i].under != NB_CG_UNDER_ROOT)
			continue;
		r = place(rel, &hier[i], mine, len, i == 0 ? first : path, sizeof(path), err);
		if (r < 0)
			return r;
		if (i == 0) {
			if (copy(buf, size, first, strlen(first)) < 0)
				return nb_error_set(err, ENAMETOOLONG, "cgroup path too long");
			continue;
		}
		if (strcmp(path, first) == 0)
			continue;
		used = strlen(buf);
		k = snprintf(buf + used, size - used, "\n%s=%s", hier[i].dir, path);
		if (k < 0 || (size_t)k >= size - used)
			return nb_error_set(err, ENAMETOOLONG, "cgroup location too long");
	}
	return 0;
}
