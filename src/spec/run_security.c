/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "spec/run_security.h"
#include "base/cleanup.h"

#include <errno.h>
#include <string.h>

#define CAP(n) (UINT64_C(1) << (n))

/* podman's default: CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID
 * SETPCAP NET_BIND_SERVICE SYS_CHROOT SETFCAP. Docker also gives MKNOD,
 * NET_RAW and AUDIT_WRITE, which a sandbox has no use for. */
const uint64_t nb_run_default_caps = CAP(0) | CAP(1) | CAP(3) | CAP(4) | CAP(5) | CAP(6) | CAP(7) |
				     CAP(8) | CAP(10) | CAP(18) | CAP(31);

/* Docker's lists: files that tell about or change the host. */
static const char *const masked[] = {
	"/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
	"/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
	"/sys/firmware", "/sys/devices/virtual/powercap", NULL,
};
static const char *const readonly[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};

#define ALL_CAPS (CAP(NB_CAP_LAST + 1) - 1)

int nb_run_security_cap(struct nb_run_security *rs, bool add, const char *name, struct nb_error *err)
{
	const char *flag = add ? "--cap-add" : "--cap-drop";
	int cap;

	if (strcasecmp(name, "ALL") == 0) {
		if (add)
			rs->cap_add_all = true;
		else
			rs->cap_drop_all = true;
		return 0;
	}
	if (nb_cap_from_name(name, &cap) < 0)
		return nb_error_usage(err, "%s '%s': unknown capability", flag, name);
	if (add)
		rs->cap_add |= CAP(cap);
	else
		rs->cap_drop |= CAP(cap);
	return 0;
}

int nb_run_security_unmask(struct nb_run_security *rs, const char *path, struct nb_error *err)
{
	if (strcmp(path, "ALL") == 0) {
		rs->unmask_all = true;
		return 0;
	}
	if (path[0] != '/')
		return nb_error_usage(err, "--unmask '%s': expected an absolute path or ALL", path);
	return nb_strv_push(&rs->unmask, path) < 0 ? nb_error_set(err, ENOMEM, "out of memory") : 0;
}

static uint64_t capability_set(const struct nb_run_security *rs)
{
	uint64_t set = rs->cap_drop_all ? 0 : nb_run_default_caps;

	set = (set & ~rs->cap_drop) | rs->cap_add;
	if (rs->cap_add_all)
		set = ALL_CAPS & ~rs->cap_drop;
	return set;
}

static bool unmasked(const struct nb_run_security *rs, const char *path)
{
	if (rs->unmask_all)
		return true;
	for (size_t i = 0; i < rs->unmask.len; i++)
		if (nb_streq(rs->unmask.items[i], path))
			return true;
	return false;
}

static int add_paths(const struct nb_run_security *rs, const char *const *list, struct nb_strv *out,
		     struct nb_error *err)
{
	for (; *list; list++)
		if (!unmasked(rs, *list) && nb_strv_push(out, *list) < 0)
			return nb_error_set(err, ENOMEM, "out of memory");
	return 0;
}

int nb_run_security_apply(const struct nb_run_security *rs, struct nb_config *cfg,
			  struct nb_error *err)
{
	struct nb_caps *caps = &cfg->sec.caps;
	bool root = !cfg->set_uid || cfg->uid == 0;
	int r;

	caps->set = true;
	caps->clamp = rs->cap_add_all;
	caps->bounding = capability_set(rs);
	caps->permitted = caps->effective = root ? caps->bounding : 0;
	caps->inheritable = caps->ambient = 0;
	cfg->sec.no_new_privs = !rs->allow_new_privs;
	/* The built-in program, unless --seccomp: the caller loads a FILE. */
	cfg->sec.seccomp_builtin = !rs->seccomp;
	cfg->root_nosuid = !rs->allow_suid;
	cfg->root_nodev = !rs->allow_devices;
	for (size_t i = 0; i < cfg->n_mounts; i++) {
		struct nb_mount *m = &cfg->mounts[i];

		if (m->kind != NB_MOUNT_BIND)
			continue;
		m->flags |= rs->allow_suid ? 0 : NB_MNT_NOSUID;
		m->flags |= rs->allow_devices ? 0 : NB_MNT_NODEV;
	}
	if (cfg->ns[NB_NS_MNT].mode != NB_NS_NEW)
		return 0;
	r = add_paths(rs, masked, &cfg->oci.masked_paths, err);
	if (r >= 0)
		r = add_paths(rs, readonly, &cfg->oci.readonly_paths, err);
	return r;
}

void nb_run_security_free(struct nb_run_security *rs)
{
	nb_strv_free(&rs->unmask);
	memset(rs, 0, sizeof(*rs));
}
