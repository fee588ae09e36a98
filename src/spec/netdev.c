/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "spec/netdev.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

int nb_netdev_name_check(const char *name, bool template_ok, const char **why)
{
	const char *pct = strchr(name, '%');
	size_t len = strlen(name);

	if (len == 0) {
		*why = "empty name";
		return -EINVAL;
	}
	if (len >= NB_IFNAMSIZ) {
		*why = "longer than 15 bytes (IFNAMSIZ)";
		return -EINVAL;
	}
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		*why = "'.' and '..' are not device names";
		return -EINVAL;
	}
	for (const char *p = name; *p; p++) {
		if (*p == '/' || *p == ':' || isspace((unsigned char)*p)) {
			*why = "must not hold '/', ':' or white space";
			return -EINVAL;
		}
	}
	if (pct && !template_ok) {
		*why = "must not hold '%' (a template is only for the name inside)";
		return -EINVAL;
	}
	if (pct && (pct[1] != 'd' || strchr(pct + 2, '%'))) {
		*why = "a template holds one '%d' and no other '%'";
		return -EINVAL;
	}
	return 0;
}

bool nb_netdev_is_template(const char *name)
{
	return strchr(name, '%') != NULL;
}

long nb_netdev_find_clash(const struct nb_netdev *devs, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		if (nb_netdev_is_template(devs[i].name))
			continue;
		for (size_t j = 0; j < i; j++)
			if (strcmp(devs[i].name, devs[j].name) == 0)
				return (long)i;
	}
	return -1;
}
