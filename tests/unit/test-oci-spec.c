/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for spec/oci*.c: the documents nsbox writes, `nsbox spec` and `nsbox features`. */
#include "oci_test_util.h"

#include <jansson.h>

static void test_default_spec(void)
{
	struct load t;
	char *text = nb_oci_default_spec(false, 0, 0);

	if (!tap_ok(text != NULL, "default spec: made"))
		return;
	if (!load_ok(&t, text, "default spec"))
		return;
	tap_ok(t.cfg.tty && t.cfg.args.len == 1 && nb_streq(t.cfg.args.items[0], "sh"),
	       "default spec: sh on a terminal");
	tap_ok(t.cfg.root_readonly && nb_streq(t.cfg.rootfs, "/bundle/rootfs"), "default spec: root");
	tap_is_str(t.cfg.hostname, "nsbox", "default spec: hostname");
	tap_ok(t.cfg.ns[NB_NS_NET].mode == NB_NS_NEW && t.cfg.ns[NB_NS_USER].mode == NB_NS_SHARE &&
	       t.cfg.ns[NB_NS_CGROUP].mode == NB_NS_NEW, "default spec: namespaces");
	if (tap_is_int(t.cfg.n_mounts, 7, "default spec: seven mounts")) {
		tap_is_str(t.cfg.mounts[2].data, "newinstance,ptmxmode=0666,mode=0620,gid=5",
			   "default spec: devpts gid=5");
		tap_ok(t.cfg.mounts[5].kind == NB_MOUNT_SYSFS, "default spec: sysfs");
		tap_ok(t.cfg.mounts[6].kind == NB_MOUNT_CGROUP &&
		       nb_streq(t.cfg.mounts[6].dest, "/sys/fs/cgroup"), "default spec: cgroup mount");
	}
	tap_ok(t.cfg.sec.caps.set && t.cfg.sec.caps.bounding == ((1u << 29) | (1u << 5) | (1u << 10)),
	       "default spec: three capabilities");
	tap_ok(t.cfg.sec.no_new_privs && t.cfg.sec.n_rlimits == 1, "default spec: nnp, rlimit");
	tap_ok(t.cfg.oci.resources.set && t.cfg.oci.masked_paths.len == 10 &&
	       t.cfg.oci.readonly_paths.len == 5, "default spec: resources, masked, read-only");
	nb_config_free(&t.cfg);
}

static void test_default_rootless(void)
{
	struct load t;
	char *text = nb_oci_default_spec(true, 1000, 1001);

	if (!tap_ok(text != NULL, "rootless spec: made"))
		return;
	if (!load_ok(&t, text, "rootless spec"))
		return;
	tap_is_int(t.cfg.ns[NB_NS_USER].mode, NB_NS_NEW, "rootless spec: user namespace");
	tap_is_int(t.cfg.ns[NB_NS_NET].mode, NB_NS_NEW, "rootless spec: network namespace kept");
	tap_ok(t.cfg.uid_map.len == 1 && t.cfg.uid_map.range[0].inside == 0 &&
	       t.cfg.uid_map.range[0].outside == 1000 && t.cfg.uid_map.range[0].count == 1,
	       "rootless spec: uid 0 is 1000");
	tap_ok(t.cfg.gid_map.len == 1 && t.cfg.gid_map.range[0].outside == 1001,
	       "rootless spec: gid 0 is 1001");
	if (tap_is_int(t.cfg.n_mounts, 6, "rootless spec: six mounts, no cgroup")) {
		tap_is_str(t.cfg.mounts[2].data, "newinstance,ptmxmode=0666,mode=0620",
			   "rootless spec: devpts without gid=5");
		tap_ok(t.cfg.mounts[5].kind == NB_MOUNT_BIND &&
		       nb_streq(t.cfg.mounts[5].source, "/sys") &&
		       (t.cfg.mounts[5].flags & (NB_MNT_RECURSIVE | NB_MNT_RDONLY)) ==
		       (NB_MNT_RECURSIVE | NB_MNT_RDONLY), "rootless spec: /sys bound read-only");
		for (size_t i = 0; i < t.cfg.n_mounts; i++)
			if (t.cfg.mounts[i].kind == NB_MOUNT_CGROUP)
				tap_ok(false, "rootless spec: cgroup mount %zu", i);
	}
	tap_ok(!t.cfg.oci.resources.set, "rootless spec: no resources");
	nb_config_free(&t.cfg);
}

static bool array_has(const json_t *a, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
		if (nb_streq(json_string_value(v), s))
			return true;
	return false;
}

static void test_features(void)
{
	char *text = nb_oci_features("hybrid", "cpu memory");
	json_t *doc, *lx, *caps;

	if (!tap_ok(text != NULL, "features: made"))
		return;
	doc = json_loads(text, 0, NULL);
	free(text);
	if (!tap_ok(json_is_object(doc), "features: a JSON object"))
		return;
	tap_is_str(json_string_value(json_object_get(doc, "ociVersionMin")), "1.0.0", "features: min");
	tap_is_str(json_string_value(json_object_get(json_object_get(doc, "annotations"), "io.github.nsbox.cgroup.layout")),
		   "hybrid", "features: the host's cgroup layout");
	tap_is_str(json_string_value(json_object_get(json_object_get(doc, "annotations"),
						     "io.github.nsbox.cgroup.controllers")),
		   "cpu memory", "features: the host's cgroup controllers");
	tap_is_str(json_string_value(json_object_get(doc, "ociVersionMax")), "1.2.0", "features: max");
	tap_is_int(json_array_size(json_object_get(doc, "hooks")), 6, "features: six hooks");
	tap_ok(array_has(json_object_get(doc, "mountOptions"), "rro") &&
	       array_has(json_object_get(doc, "mountOptions"), "rbind") &&
	       array_has(json_object_get(doc, "mountOptions"), "idmap") &&
	       !array_has(json_object_get(doc, "mountOptions"), "mode=755"), "features: mount options");
	lx = json_object_get(doc, "linux");
	tap_ok(array_has(json_object_get(lx, "namespaces"), "time") &&
	       array_has(json_object_get(lx, "namespaces"), "network") &&
	       json_array_size(json_object_get(lx, "namespaces")) == 8, "features: namespaces");
	caps = json_object_get(lx, "capabilities");
	tap_is_int(json_array_size(caps), NB_CAP_LAST + 1, "features: all capabilities");
	tap_is_str(json_string_value(json_array_get(caps, 0)), "CAP_CHOWN", "features: first cap");
	tap_is_str(json_string_value(json_array_get(caps, NB_CAP_LAST)), "CAP_CHECKPOINT_RESTORE",
		   "features: last cap");
	tap_ok(json_is_true(json_object_get(json_object_get(lx, "cgroup"), "v1")) &&
	       json_is_true(json_object_get(json_object_get(lx, "cgroup"), "v2")) &&
	       json_is_false(json_object_get(json_object_get(lx, "cgroup"), "systemd")) &&
	       json_is_false(json_object_get(json_object_get(lx, "cgroup"), "systemdUser")),
	       "features: cgroup");
	tap_ok(json_is_true(json_object_get(json_object_get(lx, "seccomp"), "enabled")) &&
	       array_has(json_object_get(json_object_get(lx, "seccomp"), "actions"), "SCMP_ACT_NOTIFY") &&
	       array_has(json_object_get(json_object_get(lx, "seccomp"), "operators"), "SCMP_CMP_MASKED_EQ") &&
	       array_has(json_object_get(json_object_get(lx, "seccomp"), "archs"), "SCMP_ARCH_X86_64"),
	       "features: seccomp");
	tap_ok(json_is_false(json_object_get(json_object_get(lx, "apparmor"), "enabled")) &&
	       json_is_false(json_object_get(json_object_get(lx, "selinux"), "enabled")) &&
	       json_is_false(json_object_get(json_object_get(lx, "intelRdt"), "enabled")),
	       "features: no apparmor, selinux, intelRdt");
	tap_is_int(json_array_size(json_object_get(json_object_get(lx, "memoryPolicy"), "modes")), 7,
		   "features: seven memory policy modes");
	tap_ok(array_has(json_object_get(json_object_get(lx, "memoryPolicy"), "modes"), "MPOL_WEIGHTED_INTERLEAVE") &&
	       array_has(json_object_get(json_object_get(lx, "memoryPolicy"), "flags"), "MPOL_F_NUMA_BALANCING") &&
	       json_array_size(json_object_get(json_object_get(lx, "memoryPolicy"), "flags")) == 3,
	       "features: memory policy modes and flags");
	tap_ok(json_is_true(json_object_get(json_object_get(lx, "netDevices"), "enabled")), "features: netDevices");
	tap_ok(json_is_true(json_object_get(json_object_get(json_object_get(lx, "mountExtensions"),
							    "idmap"), "enabled")), "features: idmap");
	json_decref(doc);
}

int main(void)
{
	test_default_spec();
	test_default_rootless();
	test_features();
	return tap_done();
}
