/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-resources: a linux.resources document of its own (`update -r FILE`,
 * nb_oci_load_resources()), merged as update merges it, and its cgroup
 * writes on v1 and v2. */
#include "fuzz.h"
#include "spec/oci.h"
#include "spec/resources.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nb_resources res, cur;
	struct nb_error err = { 0 };
	int r = nb_oci_load_resources((const char *)data, size, "resources.json", &res, &err);

	fuzz_check_error(r, &err, "nb_oci_load_resources");
	if (r >= 0) {
		FUZZ_CHECK(nb_resources_check(&res, "resources.json", &err) == 0,
			   "a loaded document fails its check: %s", err.msg);
		(void)nb_cg_needed(&res);
		fuzz_check_cg_writes(&res, "resources.json");
		/* `update`: over a container's limits, its devices dropped. */
		nb_resources_init(&cur);
		cur.memory_limit = 1 << 26;
		cur.memory_swap = 1 << 27;
		cur.pids_limit = 100;
		cur.set = true;
		nb_resources_drop_devices(&res);
		r = nb_resources_merge(&cur, &res, &err);
		fuzz_check_error(r, &err, "nb_resources_merge");
		if (r >= 0 && nb_resources_check(&cur, "merged", &err) == 0)
			fuzz_check_cg_writes(&cur, "merged");
		nb_resources_free(&cur);
	}
	nb_resources_free(&res);
	return 0;
}
