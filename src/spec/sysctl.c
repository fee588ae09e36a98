/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "spec/sysctl.h"
#include "base/strutil.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

static bool allowed_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       strchr("_.:@+-", ch);
}

/* Check one component of KEY: COMP, LEN bytes. */
static int check_component(const char *key, const char *comp, size_t len, struct nb_error *err)
{
	if (len == 0)
		return nb_error_set(err, EINVAL, "'%.128s': empty component", key);
	if ((len == 1 && comp[0] == '.') || (len == 2 && comp[0] == '.' && comp[1] == '.'))
		return nb_error_set(err, EINVAL, "'%.128s': '%.*s' is not allowed as a component", key,
				    (int)len, comp);
	for (size_t i = 0; i < len; i++)
		if (!allowed_char(comp[i]))
			return nb_error_set(err, EINVAL, "'%.128s': only letters, digits and _ . : @ + - "
					    "are allowed", key);
	return 0;
}

int nb_sysctl_path(const char *key, char *buf, size_t size, struct nb_error *err)
{
	char sep = strchr(key, '/') ? '/' : '.';
	size_t out = 0;
	const char *p = key;

	for (;;) {
		const char *end = strchr(p, sep);
		size_t len = end ? (size_t)(end - p) : strlen(p);
		int r = check_component(key, p, len, err);

		if (r < 0)
			return r;
		if (out + len + (out ? 1 : 0) + 1 > size)
			return nb_error_set(err, ENAMETOOLONG, "'%.128s': name too long", key);
		if (out)
			buf[out++] = '/';
		memcpy(buf + out, p, len);
		out += len;
		buf[out] = '\0';
		if (!end)
			return 0;
		p = end + 1;
	}
}

enum nb_ns_type nb_sysctl_namespace(const char *path)
{
	static const char *const ipc_keys[] = {
		"kernel/msgmax", "kernel/msgmnb", "kernel/msgmni", "kernel/sem", "kernel/shmall",
		"kernel/shmmax", "kernel/shmmni", "kernel/shm_rmid_forced",
	};

	for (size_t i = 0; i < sizeof(ipc_keys) / sizeof(ipc_keys[0]); i++)
		if (nb_streq(path, ipc_keys[i]))
			return NB_NS_IPC;
	if (nb_startswith(path, "fs/mqueue/"))
		return NB_NS_IPC;
	if (nb_streq(path, "kernel/hostname") || nb_streq(path, "kernel/domainname"))
		return NB_NS_UTS;
	if (nb_startswith(path, "net/"))
		return NB_NS_NET;
	return NB_NS_COUNT;
}
