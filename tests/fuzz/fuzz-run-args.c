/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-run-args: the `nsbox run` command line (nb_run_form(),
 * nb_run_parse_args(), with its limits, security options and mount specs)
 * as root and as a user; of a plan it accepts, the plan JSON that `exec`
 * into a `run --name` sandbox reloads, its cgroup writes, and the
 * --print-config document (JSON, and a --profile named in it).
 * Input: the arguments after "run", NUL-separated; the first byte picks
 * the caller (even: root, odd: uid 1000). */
#include "fuzz.h"
#include "spec/profile.h"
#include "spec/run_args.h"
#include "spec/run_print.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static char env_home[] = "HOME=/root";
static char env_path[] = "PATH=/usr/bin:/bin";
static char *const fake_environ[] = { env_home, env_path, NULL };

/* --print-config's document: JSON, naming the profile (if any). A plan
 * with a string that is not UTF-8 is an error, as for the plan itself. */
static void check_print(const struct nb_config *cfg, const struct nb_run_args *out)
{
	struct nb_error err = { 0 };
	char *text = NULL;
	json_t *doc, *profile;

	if (nb_run_print_json(cfg, out, &text, &err) < 0) {
		FUZZ_CHECK(err.code == EILSEQ, "--print-config: %s", err.msg);
		return;
	}
	doc = json_loads(text, JSON_DECODE_INT_AS_REAL, NULL);
	FUZZ_CHECK(doc != NULL, "--print-config: not JSON");
	profile = json_object_get(json_object_get(doc, "nsbox"), "profile");
	FUZZ_CHECK(out->profile ? json_is_string(profile) && strcmp(json_string_value(profile), out->profile) == 0 :
		   json_is_null(profile), "--print-config: the profile");
	json_decref(doc);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct nb_host root = { .euid = 0, .egid = 0, .hostname = "nb-fuzz" };
	static const struct nb_host user = { .euid = 1000, .egid = 1000, .hostname = "nb-fuzz" };
	struct nb_error err = { 0 };
	struct nb_run_args out;
	struct fuzz_argv a;
	struct nb_config cfg;
	int r, at = -1;
	enum nb_run_form form;

	if (size < 1)
		return 0;
	fuzz_argv_make(&a, "run", data + 1, size - 1);
	form = nb_run_form(a.argc, a.argv, &at);
	FUZZ_CHECK(form != NB_RUN_OCI_IF_BUNDLE || (at > 0 && at == a.argc - 1),
		   "nb_run_form: operand %d of %d", at, a.argc);
	nb_config_init(&cfg);
	r = nb_run_parse_args(a.argc, a.argv, fake_environ, data[0] & 1 ? &user : &root, &cfg, &out, &err);
	fuzz_check_error(r, &err, "nb_run_parse_args");
	if (r >= 0 && !out.help) {
		FUZZ_CHECK(!out.name || fuzz_argv_holds(&a, out.name), "--name points outside argv");
		FUZZ_CHECK(!out.seccomp_file || fuzz_argv_holds(&a, out.seccomp_file),
			   "--seccomp points outside argv");
		FUZZ_CHECK(!out.detach || out.name, "--detach without --name");
		for (size_t i = 0; i < cfg.n_mounts; i++)
			FUZZ_CHECK(cfg.mounts[i].dest && cfg.mounts[i].dest[0] == '/',
				   "mount %zu: destination not absolute", i);
		FUZZ_CHECK(!out.profile || nb_profile_exists(out.profile), "an unknown profile accepted");
		fuzz_check_plan_json(&cfg, "run");
		check_print(&cfg, &out);
		fuzz_check_cg_writes(&cfg.oci.resources, "run");
	}
	nb_config_free(&cfg);
	fuzz_argv_free(&a);
	return 0;
}
