/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-cgroup-values: cgroup values as the resource model checks them:
 * the first line a cpuset list (nb_cpuset_list_check(), against a
 * reference reader), the others unified "key=value" entries; the model
 * (cpuset.cpus, cpuset.mems and the unified map) is checked and, if it
 * passes, written as cgroup v2 (and v1) files. */
#include "fuzz.h"
#include "spec/resources.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The grammar of resources.h, read another way: NUM or NUM-NUM (going
 * up), NUM below 1048576, joined by single commas. */
static bool reference_cpuset(const char *s)
{
	if (!*s)
		return false;
	for (;;) {
		unsigned long lo = 0, hi;
		size_t n = 0;

		while (isdigit((unsigned char)s[n])) {
			lo = lo * 10 + (unsigned long)(s[n] - '0');
			if (lo >= 1048576)
				return false;
			n++;
		}
		if (n == 0)
			return false;
		s += n;
		if (*s == '-') {
			s++;
			hi = 0;
			n = 0;
			while (isdigit((unsigned char)s[n])) {
				hi = hi * 10 + (unsigned long)(s[n] - '0');
				if (hi >= 1048576)
					return false;
				n++;
			}
			if (n == 0 || hi < lo)
				return false;
			s += n;
		}
		if (*s == '\0')
			return true;
		if (*s != ',')
			return false;
		s++;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size), *save = NULL, *line;
	struct nb_error err = { 0 };
	struct nb_resources r;
	const char *why = NULL;
	int ok, r_check;

	nb_resources_init(&r);
	line = strtok_r(text, "\n", &save);
	if (line) {
		ok = nb_cpuset_list_check(line, &why);
		FUZZ_CHECK((ok == 0) == reference_cpuset(line), "cpuset '%s': %d (%s)", line, ok, why ? why : "");
		FUZZ_CHECK(ok == 0 || why, "cpuset '%s': no reason", line);
		if (ok == 0) {
			r.cpuset_cpus = strdup(line);
			r.cpuset_mems = strdup(line);
			r.set = true;
		}
	}
	while ((line = strtok_r(NULL, "\n", &save))) {
		enum nb_cg_controller c = nb_cg_unified_controller(line);

		FUZZ_CHECK(c <= NB_CG_COUNT, "controller %d", c);
		if (nb_strv_push(&r.unified, line) < 0)
			abort();
		r.set = true;
	}
	r_check = nb_resources_check(&r, "linux.resources", &err);
	fuzz_check_error(r_check, &err, "nb_resources_check");
	if (r_check == 0) {
		struct nb_cg_writes w = { 0 };

		fuzz_check_cg_writes(&r, "linux.resources");
		/* Every unified key is written to its file, last. */
		if (nb_cg_writes_v2(&r, NB_RES_UNSET, "linux.resources", &w, &err) == 0) {
			for (size_t i = 0; i < r.unified.len; i++) {
				size_t klen = strcspn(r.unified.items[i], "=");
				bool found = false;

				for (size_t k = 0; k < w.n; k++)
					if (strlen(w.w[k].file) == klen &&
					    strncmp(w.w[k].file, r.unified.items[i], klen) == 0)
						found = true;
				FUZZ_CHECK(found, "unified '%s' is not written", r.unified.items[i]);
			}
		}
		nb_cg_writes_free(&w);
	}
	nb_resources_free(&r);
	free(text);
	return 0;
}
