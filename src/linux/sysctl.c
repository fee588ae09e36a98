/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/sysctl.h"
#include "linux/procfs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int nb_sysctl_apply(int procfd, const struct nb_strv *sysctl, struct nb_error *err)
{
	for (size_t i = 0; i < sysctl->len; i++) {
		const char *kv = sysctl->items[i], *eq = strchr(kv, '=');
		char path[512];
		int n, r;

		if (!eq)
			continue;
		n = snprintf(path, sizeof(path), "sys/%.*s", (int)(eq - kv), kv);
		if (n < 0 || (size_t)n >= sizeof(path))
			return nb_error_set(err, ENAMETOOLONG, "linux.sysctl '%.*s': name too long",
					    (int)(eq - kv), kv);
		if (!memchr(kv, '/', (size_t)(eq - kv)))
			for (char *p = path + 4; *p; p++)
				if (*p == '.')
					*p = '/';
		r = nb_procfs_write(procfd, path, eq + 1, strlen(eq + 1));
		if (r < 0)
			return nb_error_sys(err, -r, "linux.sysctl '%.*s'", (int)(eq - kv), kv);
	}
	return 0;
}
