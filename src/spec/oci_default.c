/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The config.json of `nsbox spec [--rootless]` and the document of `nsbox features`. */
#include "spec/oci.h"
#include "spec/oci_internal.h"
#include "spec/mempolicy.h"
#include "base/cleanup.h"

#include <stdlib.h>
#include <string.h>

/* A JSON array of the strings of LIST (NULL-terminated), or NULL if out of memory. */
static json_t *string_array(const char *const *list)
{
	json_t *a = json_array();

	for (; a && *list; list++) {
		if (json_array_append_new(a, json_string(*list)) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* Pretty-printed DOC with a final newline; consumes DOC. */
static char *dump(json_t *doc)
{
	char *text, *out;
	size_t len;

	if (!doc)
		return NULL;
	text = json_dumps(doc, JSON_INDENT(2));
	json_decref(doc);
	if (!text)
		return NULL;
	len = strlen(text);
	out = realloc(text, len + 2);
	if (!out) {
		free(text);
		return NULL;
	}
	memcpy(out + len, "\n", 2);
	return out;
}

/* ---- nsbox spec ---- */

static json_t *default_process(void)
{
	static const char *const env[] = {
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm", NULL,
	};
	static const char *const caps[] = {
		"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", NULL,
	};

	return json_pack("{s:b, s:{s:i, s:i}, s:[s], s:o, s:s, s:{s:o, s:o, s:o}, "
			 "s:[{s:s, s:i, s:i}], s:b}",
			 "terminal", 1,
			 "user", "uid", 0, "gid", 0,
			 "args", "sh",
			 "env", string_array(env),
			 "cwd", "/",
			 "capabilities", "bounding", string_array(caps),
			 "effective", string_array(caps), "permitted", string_array(caps),
			 "rlimits", "type", "RLIMIT_NOFILE", "hard", 1024, "soft", 1024,
			 "noNewPrivileges", 1);
}

static json_t *mount(const char *dest, const char *type, const char *source,
		     const char *const *options)
{
	if (!options[0])
		return json_pack("{s:s, s:s, s:s}", "destination", dest, "type", type,
				 "source", source);
	return json_pack("{s:s, s:s, s:s, s:o}", "destination", dest, "type", type,
			 "source", source, "options", string_array(options));
}

static json_t *default_mounts(bool rootless)
{
	static const char *const proc[] = { NULL };
	static const char *const dev[] = { "nosuid", "strictatime", "mode=755", "size=65536k", NULL };
	static const char *const pts[] = {
		"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5", NULL,
	};
	static const char *const shm[] = {
		"nosuid", "noexec", "nodev", "mode=1777", "size=65536k", NULL,
	};
	static const char *const mqueue[] = { "nosuid", "noexec", "nodev", NULL };
	static const char *const sys[] = { "nosuid", "noexec", "nodev", "ro", NULL };
	static const char *const sys_bind[] = { "rbind", "nosuid", "noexec", "nodev", "ro", NULL };
	static const char *const cgroup[] = { "nosuid", "noexec", "nodev", "relatime", "ro", NULL };
	/* Rootless, as `runc spec --rootless`: group 5 is not mapped, and
	 * /sys is the host's, bound (a fresh sysfs needs a network namespace
	 * owned by the user namespace, which a config may well not have). */
	static const char *const pts_rootless[] = {
		"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", NULL,
	};
	json_t *mounts;

	mounts = json_pack("[o, o, o, o, o, o]",
			   mount("/proc", "proc", "proc", proc),
			   mount("/dev", "tmpfs", "tmpfs", dev),
			   mount("/dev/pts", "devpts", "devpts", rootless ? pts_rootless : pts),
			   mount("/dev/shm", "tmpfs", "shm", shm),
			   mount("/dev/mqueue", "mqueue", "mqueue", mqueue),
			   rootless ? mount("/sys", "none", "/sys", sys_bind) :
				      mount("/sys", "sysfs", "sysfs", sys));
	/* Rootless: the cgroup tree is not the user's to mount. */
	if (mounts && !rootless &&
	    json_array_append_new(mounts, mount("/sys/fs/cgroup", "cgroup", "cgroup", cgroup)) < 0) {
		json_decref(mounts);
		return NULL;
	}
	return mounts;
}

static json_t *default_namespaces(bool rootless)
{
	static const char *const types[] = { "pid", "network", "ipc", "uts", "mount", "cgroup" };
	json_t *list = json_array();

	for (size_t i = 0; list && i < NB_ARRAY_SIZE(types); i++) {
		if (json_array_append_new(list, json_pack("{s:s}", "type", types[i])) < 0) {
			json_decref(list);
			return NULL;
		}
	}
	if (list && rootless && json_array_append_new(list, json_pack("{s:s}", "type", "user")) < 0) {
		json_decref(list);
		return NULL;
	}
	return list;
}

static json_t *default_linux(bool rootless, uid_t uid, gid_t gid)
{
	static const char *const masked[] = {
		"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
		"/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
		"/proc/scsi", NULL,
	};
	static const char *const readonly[] = {
		"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
	};
	json_t *linux_ = json_pack("{s:o, s:o, s:o}", "namespaces", default_namespaces(rootless),
				   "maskedPaths", string_array(masked),
				   "readonlyPaths", string_array(readonly));

	if (!linux_)
		return NULL;
	if (rootless) {
		if (json_object_set_new(linux_, "uidMappings",
					json_pack("[{s:i, s:I, s:i}]", "containerID", 0,
						  "hostID", (json_int_t)uid, "size", 1)) < 0 ||
		    json_object_set_new(linux_, "gidMappings",
					json_pack("[{s:i, s:I, s:i}]", "containerID", 0,
						  "hostID", (json_int_t)gid, "size", 1)) < 0)
			goto fail;
	} else if (json_object_set_new(linux_, "resources",
				       json_pack("{s:[{s:b, s:s}]}", "devices", "allow", 0,
						 "access", "rwm")) < 0) {
		goto fail;
	}
	return linux_;
fail:
	json_decref(linux_);
	return NULL;
}

char *nb_oci_default_spec(bool rootless, uid_t uid, gid_t gid)
{
	return dump(json_pack("{s:s, s:o, s:{s:s, s:b}, s:s, s:o, s:o}",
			      "ociVersion", NB_OCI_VERSION,
			      "process", default_process(),
			      "root", "path", "rootfs", "readonly", 1,
			      "hostname", "nsbox",
			      "mounts", default_mounts(rootless),
			      "linux", default_linux(rootless, uid, gid)));
}

/* ---- nsbox features ---- */

static json_t *mount_options(void)
{
	json_t *list = json_array();
	const char *name;

	for (size_t i = 0; list && (name = oci_mount_option(i)); i++) {
		if (json_array_append_new(list, json_string(name)) < 0) {
			json_decref(list);
			return NULL;
		}
	}
	return list;
}

static json_t *hook_names(void)
{
	const char *names[NB_HOOK_COUNT + 1];

	for (int k = 0; k < NB_HOOK_COUNT; k++)
		names[k] = nb_hook_kind_name((enum nb_hook_kind)k);
	names[NB_HOOK_COUNT] = NULL;
	return string_array(names);
}

static json_t *capability_names(void)
{
	const char *names[NB_CAP_LAST + 2];

	for (int cap = 0; cap <= NB_CAP_LAST; cap++)
		names[cap] = nb_cap_name(cap);
	names[NB_CAP_LAST + 1] = NULL;
	return string_array(names);
}

static json_t *seccomp_features(void)
{
	static const char *const actions[] = {
		"SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
		"SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY", "SCMP_ACT_TRACE",
		"SCMP_ACT_TRAP", NULL,
	};
	static const char *const operators[] = {
		"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
		"SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE", NULL,
	};

	return json_pack("{s:b, s:o, s:o, s:o, s:o}", "enabled", 1,
			 "actions", string_array(actions), "operators", string_array(operators),
			 "archs", string_array(oci_seccomp_arch_names),
			 "knownFlags", string_array(oci_seccomp_flag_names));
}

static json_t *linux_features(void)
{
	return json_pack("{s:o, s:o, s:{s:b, s:b, s:b, s:b, s:b}, s:o, s:{s:b}, s:{s:b}, "
			 "s:{s:b}, s:{s:{s:b}}, s:{s:o, s:o}, s:{s:b}}",
			 "namespaces", string_array(oci_namespace_names),
			 "capabilities", capability_names(),
			 "cgroup", "v1", 1, "v2", 1, "systemd", 0, "systemdUser", 0, "rdma", 1,
			 "seccomp", seccomp_features(),
			 "apparmor", "enabled", 0,
			 "selinux", "enabled", 0,
			 "intelRdt", "enabled", 0,
			 "mountExtensions", "idmap", "enabled", 1,
			 "memoryPolicy", "modes", string_array(nb_mempolicy_mode_names),
			 "flags", string_array(nb_mempolicy_flag_names),
			 "netDevices", "enabled", 1);
}

char *nb_oci_features(const char *cgroup_layout, const char *cgroup_controllers)
{
	json_t *annotations = json_object();

	if (cgroup_layout)
		json_object_set_new(annotations, "io.github.nsbox.cgroup.layout", json_string(cgroup_layout));
	if (cgroup_controllers)
		json_object_set_new(annotations, "io.github.nsbox.cgroup.controllers",
				    json_string(cgroup_controllers));
	json_object_set_new(annotations, "io.github.nsbox.cgroup.devices.v2", json_string("ebpf"));
	return dump(json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}",
			      "ociVersionMin", "1.0.0",
			      "ociVersionMax", NB_OCI_VERSION,
			      "hooks", hook_names(),
			      "mountOptions", mount_options(),
			      "linux", linux_features(),
			      "annotations", annotations));
}
