/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-seccomp: a seccomp profile of its own (`nsbox run --seccomp FILE`,
 * nb_oci_load_seccomp()); of a profile it accepts, the JSON written back,
 * and the BPF filter that libseccomp builds (never loaded). */
#include "fuzz.h"
#include "linux/seccomp.h"
#include "spec/oci.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nb_seccomp sc = { 0 };
	struct nb_error err = { 0 };
	int r = nb_oci_load_seccomp((const char *)data, size, "profile.json", &sc, &err);

	fuzz_check_error(r, &err, "nb_oci_load_seccomp");
	if (r >= 0) {
		struct nb_seccomp_filter *f = NULL;

		FUZZ_CHECK(sc.set, "a loaded profile is set");
		fuzz_check_seccomp_json(&sc, "profile.json");
		r = nb_seccomp_build(&sc, &f, &err);
		fuzz_check_error(r, &err, "nb_seccomp_build");
		if (r >= 0) {
			struct sock_filter *prog = NULL;
			size_t len = 0;

			r = nb_seccomp_filter_export(f, &prog, &len, &err);
			fuzz_check_error(r, &err, "nb_seccomp_filter_export");
			FUZZ_CHECK(r < 0 || len > 0, "an empty filter");
			free(prog);
			nb_seccomp_filter_free(f);
		}
	}
	nb_seccomp_free(&sc);
	return 0;
}
