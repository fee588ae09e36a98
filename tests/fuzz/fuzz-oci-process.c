/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-oci-process: the process file of `exec --process FILE`
 * (nb_oci_load_process()) over a container's plan, and the plan JSON of
 * what it accepts. */
#include "fuzz.h"
#include "spec/oci.h"

#include <stdlib.h>
#include <string.h>

/* The container's config.json: a user namespace with a map, so that a
 * process user is checked against it, and a seccomp profile. */
static const char base[] =
	"{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"rootfs\"},"
	"\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0},\"env\":[\"PATH=/bin\"],"
	"\"capabilities\":{\"bounding\":[\"CAP_KILL\"]},"
	"\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":1024,\"hard\":1024}]},"
	"\"linux\":{\"namespaces\":[{\"type\":\"user\"},{\"type\":\"mount\"},{\"type\":\"pid\"}],"
	"\"uidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}],"
	"\"gidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}],"
	"\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"ptrace\"],"
	"\"action\":\"SCMP_ACT_ERRNO\"}]}}}";

static bool mapped(const struct nb_config *cfg)
{
	if (!nb_idmap_maps_inside(&cfg->uid_map, cfg->uid) || !nb_idmap_maps_inside(&cfg->gid_map, cfg->gid))
		return false;
	for (size_t i = 0; i < cfg->n_groups; i++)
		if (!nb_idmap_maps_inside(&cfg->gid_map, cfg->groups[i]))
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nb_error err = { 0 };
	struct nb_config cfg;
	int r;

	nb_config_init(&cfg);
	r = nb_oci_load(base, strlen(base), "/bundle", &cfg, &err);
	FUZZ_CHECK(r == 0, "the base config does not load: %s", err.msg);
	r = nb_oci_load_process((const char *)data, size, "process.json", &cfg, &err);
	fuzz_check_error(r, &err, "nb_oci_load_process");
	/* A user outside the container's maps passes here: the runtime
	 * refuses it when it joins the user namespace ("uid N is not mapped
	 * in the user namespace"), while a config.json's is refused on load. */
	if (r >= 0 && mapped(&cfg))
		fuzz_check_plan_json(&cfg, "process.json");
	nb_config_free(&cfg);
	return 0;
}
