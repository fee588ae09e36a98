/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-oci-config: a config.json (nb_oci_load()); of a plan it accepts,
 * what the loader promises the runtime (paths, sysctl keys, namespaces),
 * the plan JSON that `exec` reloads, its seccomp profile written back,
 * and its cgroup writes. */
#include "fuzz.h"
#include "spec/oci.h"
#include "spec/sysctl.h"

#include <string.h>

/* PATH absolute, and each component neither empty, "." nor "..". */
static bool clean_path(const char *path)
{
	if (path[0] != '/')
		return false;
	for (const char *p = path + 1;; ) {
		size_t n = strcspn(p, "/");

		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (!p[n])
			return true;
		p += n + 1;
	}
}

static void check_plan(const struct nb_config *cfg)
{
	for (size_t i = 0; i < cfg->n_mounts; i++) {
		const char *d = cfg->mounts[i].dest;

		FUZZ_CHECK(d && d[0] == '/', "mount %zu: destination not absolute", i);
		for (const char *p = d; (p = strstr(p, "..")); p += 2)
			FUZZ_CHECK(!(p[-1] == '/' && (p[2] == '/' || p[2] == '\0')), "mount %zu: '%s' holds '..'", i, d);
	}
	for (size_t i = 0; i < cfg->oci.n_devices; i++) {
		const char *d = cfg->oci.devices[i].path;

		FUZZ_CHECK(d && strncmp(d, "/dev/", 5) == 0 && clean_path(d),
			   "device %zu: path '%s'", i, d ? d : "(null)");
	}
	for (size_t i = 0; i < cfg->oci.sysctl.len; i++) {
		const char *kv = cfg->oci.sysctl.items[i], *eq = strchr(kv, '=');
		char key[NB_SYSCTL_PATH_MAX + 1], path[NB_SYSCTL_PATH_MAX];
		struct nb_error err = { 0 };

		FUZZ_CHECK(eq && (size_t)(eq - kv) < sizeof(key), "sysctl '%s'", kv);
		memcpy(key, kv, (size_t)(eq - kv));
		key[eq - kv] = '\0';
		FUZZ_CHECK(nb_sysctl_path(key, path, sizeof(path), &err) == 0 && strcmp(path, key) == 0,
			   "sysctl '%s' is not a normalised path", kv);
	}
	for (int t = 0; t < NB_NS_COUNT; t++)
		FUZZ_CHECK(cfg->ns[t].mode != NB_NS_JOIN || (cfg->ns[t].path && cfg->ns[t].path[0] == '/'),
			   "namespace %d joined without an absolute path", t);
	FUZZ_CHECK(cfg->args.len > 0 && cfg->args.items[0][0], "no command");
	FUZZ_CHECK(!cfg->rootfs || cfg->rootfs[0] == '/', "rootfs '%s' not absolute", cfg->rootfs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nb_error err = { 0 };
	struct nb_config cfg;
	int r;

	nb_config_init(&cfg);
	r = nb_oci_load((const char *)data, size, "/bundle", &cfg, &err);
	fuzz_check_error(r, &err, "nb_oci_load");
	if (r >= 0) {
		check_plan(&cfg);
		fuzz_check_plan_json(&cfg, "config.json");
		if (cfg.sec.seccomp.set)
			fuzz_check_seccomp_json(&cfg.sec.seccomp, "config.json");
		fuzz_check_cg_writes(&cfg.oci.resources, "linux.resources");
		(void)nb_config_exposes_runtime(&cfg);
	}
	nb_config_free(&cfg);
	return 0;
}
