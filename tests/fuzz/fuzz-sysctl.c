/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-sysctl: a linux.sysctl key (nb_sysctl_path(), nb_sysctl_namespace()):
 * the path it normalises to never leaves /proc/sys, in a buffer of any
 * size. */
#include "fuzz.h"
#include "spec/sysctl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *key = fuzz_string(data, size);
	struct nb_error err = { 0 };
	char buf[NB_SYSCTL_PATH_MAX], small[8];
	int r = nb_sysctl_path(key, buf, sizeof(buf), &err);

	fuzz_check_error(r, &err, "nb_sysctl_path");
	if (r >= 0) {
		enum nb_ns_type ns = nb_sysctl_namespace(buf);

		FUZZ_CHECK(buf[0] && buf[0] != '/' && buf[strlen(buf) - 1] != '/', "'%s': path '%s'", key, buf);
		FUZZ_CHECK(!strstr(buf, "//"), "'%s': an empty component in '%s'", key, buf);
		for (const char *p = buf; *p; p += strcspn(p, "/"), p += *p == '/') {
			size_t n = strcspn(p, "/");

			FUZZ_CHECK(!(n == 1 && p[0] == '.') && !(n == 2 && p[0] == '.' && p[1] == '.'),
				   "'%s': a dot component in '%s'", key, buf);
		}
		for (const char *p = buf; *p; p++)
			FUZZ_CHECK(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:@+-/", *p),
				   "'%s': character 0x%02x in '%s'", key, (unsigned char)*p, buf);
		FUZZ_CHECK(ns == NB_NS_IPC || ns == NB_NS_NET || ns == NB_NS_UTS || ns == NB_NS_COUNT,
			   "'%s': namespace %d", key, ns);
		FUZZ_CHECK(ns != NB_NS_NET || strncmp(buf, "net/", 4) == 0, "'%s': net without net/", key);
		/* Normalised twice: the same path. */
		{
			char again[NB_SYSCTL_PATH_MAX];

			FUZZ_CHECK(nb_sysctl_path(buf, again, sizeof(again), &err) == 0 && strcmp(buf, again) == 0,
				   "'%s': '%s' normalises to something else", key, buf);
		}
	}
	r = nb_sysctl_path(key, small, sizeof(small), &err);
	fuzz_check_error(r, &err, "nb_sysctl_path (small)");
	FUZZ_CHECK(r < 0 || strlen(small) < sizeof(small), "overflow");
	free(key);
	return 0;
}
