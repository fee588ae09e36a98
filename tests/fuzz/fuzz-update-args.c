/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-update-args: runc's `update` flags (nb_update_parse_args()) and the
 * cgroup writes of the limits they give. Input: the arguments after
 * "update", NUL-separated. */
#include "fuzz.h"
#include "spec/update_args.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nb_error err = { 0 };
	struct nb_resources res;
	const char *file = NULL;
	struct fuzz_argv a;
	int at;

	fuzz_argv_make(&a, "update", data, size);
	at = nb_update_parse_args(a.argc, a.argv, &res, &file, &err);
	fuzz_check_error(at, &err, "nb_update_parse_args");
	FUZZ_CHECK(at <= a.argc, "operand %d of %d", at, a.argc);
	if (at > 0) {
		FUZZ_CHECK(!file || fuzz_argv_holds(&a, file), "-r points outside argv");
		FUZZ_CHECK(!file || !res.set, "-r with flags");
		FUZZ_CHECK(nb_resources_check(&res, NULL, &err) == 0, "flags that fail the check: %s", err.msg);
		fuzz_check_cg_writes(&res, "update");
	}
	nb_resources_free(&res);
	fuzz_argv_free(&a);
	return 0;
}
