/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "spec/passwd.h"
#include "base/strutil.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

/* Field N (0-based) of LINE (of LEN bytes, without its newline). */
static const char *field(const char *line, size_t len, int n, size_t *ret_len)
{
	const char *p = line, *end = line + len;

	for (; n > 0; n--) {
		const char *colon = memchr(p, ':', (size_t)(end - p));

		if (!colon)
			return NULL;
		p = colon + 1;
	}
	*ret_len = (size_t)((const char *)(memchr(p, ':', (size_t)(end - p)) ?: end) - p);
	return p;
}

int nb_passwd_home(const char *text, size_t len, uid_t uid, char *buf, size_t size)
{
	const char *end = text + len;

	for (const char *line = text; line < end; ) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t n = (size_t)((nl ? nl : end) - line), ulen = 0, hlen = 0;
		/* A NUL would cut the home short, or end the uid early: no entry. */
		bool nul = memchr(line, '\0', n) != NULL;
		const char *u = nul ? NULL : field(line, n, 2, &ulen);
		const char *home = nul ? NULL : field(line, n, 5, &hlen);
		char num[16];
		uint32_t v;

		line = nl ? nl + 1 : end;
		if (!u || !home || ulen == 0 || ulen >= sizeof(num))
			continue;
		memcpy(num, u, ulen);
		num[ulen] = '\0';
		if (nb_parse_u32(num, &v) < 0 || v != (uint32_t)uid)
			continue;
		if (hlen == 0)
			return -ENOENT;
		if (hlen >= size)
			return -ENAMETOOLONG;
		memcpy(buf, home, hlen);
		buf[hlen] = '\0';
		return 0;
	}
	return -ENOENT;
}
