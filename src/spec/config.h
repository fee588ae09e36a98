/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * config.h: the plan of one sandbox, and its validation.
 *
 * Every front door (the `nsbox run` command line; an OCI bundle's
 * config.json) is turned into one struct nb_config: a plain description of
 * the namespaces, id maps, mounts (in order) and process to run. The
 * runtime/ layer then carries it out. Building and checking the plan makes
 * no system call, so all of it is unit-tested without root.
 */
#ifndef NSBOX_SPEC_CONFIG_H
#define NSBOX_SPEC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/error.h"
#include "base/strutil.h"
#include "spec/netspec.h"
#include "spec/security.h"

enum nb_ns_type {
	NB_NS_USER,   /* first: it owns the namespaces created with it */
	NB_NS_PID,
	NB_NS_MNT,
	NB_NS_UTS,
	NB_NS_IPC,
	NB_NS_NET,
	NB_NS_CGROUP,
	NB_NS_TIME,
	NB_NS_COUNT
};

enum nb_ns_mode {
	NB_NS_SHARE = 0,   /* keep the caller's namespace */
	NB_NS_NEW,         /* create a new one */
	NB_NS_JOIN,        /* setns() into the namespace file at .path */
};

struct nb_ns_spec {
	enum nb_ns_mode mode;
	char *path;        /* NB_NS_JOIN only */
};

/* Name as used on the command line and in /proc/PID/ns ("mnt", "net"...). */
const char *nb_ns_name(enum nb_ns_type type);
/* Accepts the /proc/PID/ns names plus "mount". Returns -EINVAL if unknown. */
int nb_ns_from_name(const char *name, enum nb_ns_type *ret);

#define NB_IDMAP_MAX_LINES 340   /* the kernel's limit since Linux 4.15 */

struct nb_idmap_range {
	uint32_t inside;
	uint32_t outside;
	uint32_t count;
};

struct nb_idmap {
	struct nb_idmap_range range[NB_IDMAP_MAX_LINES];
	size_t len;
};

/* Parse "INSIDE:OUTSIDE:COUNT" and append it to MAP. WHAT names the flag. */
int nb_idmap_add(struct nb_idmap *map, const char *text, const char *what,
		 struct nb_error *err);
/* Check the kernel's rules: count > 0, no overflow, no overlap inside or outside. */
int nb_idmap_validate(const struct nb_idmap *map, const char *what, struct nb_error *err);
/* Render as uid_map text ("0 1000 1\n..."). Returns length or -ENOSPC. */
int nb_idmap_format(const struct nb_idmap *map, char *buf, size_t size);
/* True if ID (inside) is mapped. */
bool nb_idmap_maps_inside(const struct nb_idmap *map, uint32_t id);

enum nb_mount_kind {
	NB_MOUNT_BIND,
	NB_MOUNT_TMPFS,
	NB_MOUNT_PROC,
	NB_MOUNT_SYSFS,     /* a fresh sysfs, or a bind of the host's if refused */
	NB_MOUNT_DEVPTS,
	NB_MOUNT_MQUEUE,
	NB_MOUNT_DEV,       /* a tmpfs /dev with the minimal device set */
	NB_MOUNT_CGROUP,    /* cgroup2 (or the v1 hierarchies, on hybrid hosts) */
	NB_MOUNT_OTHER,     /* any other filesystem type, by .fstype */
};

/* Mount flags, in the plan's own terms (linux/ maps them to MS_*). */
enum {
	NB_MNT_RDONLY    = 1 << 0,
	NB_MNT_NOSUID    = 1 << 1,
	NB_MNT_NODEV     = 1 << 2,
	NB_MNT_NOEXEC    = 1 << 3,
	NB_MNT_RECURSIVE = 1 << 4,   /* bind: rbind; rdonly: applied to submounts */
	NB_MNT_OPTIONAL  = 1 << 5,   /* a missing source is not an error */
	NB_MNT_RELATIME  = 1 << 6,
	NB_MNT_NOATIME   = 1 << 7,
	NB_MNT_STRICTATIME = 1 << 8,
	NB_MNT_NODIRATIME = 1 << 9,
	NB_MNT_NOSYMFOLLOW = 1 << 10,
	NB_MNT_RECURSIVE_ATTRS = 1 << 11,  /* rro, rnosuid...: attrs on all submounts */
	NB_MNT_IDMAP_RECURSIVE = 1 << 12,  /* "ridmap": uid_map/gid_map on all submounts */
	NB_MNT_TMPCOPYUP = 1 << 13,        /* tmpfs: copy what was at dest into it */
	NB_MNT_SYNC = 1 << 14,             /* a new filesystem's superblock flags (a bind */
	NB_MNT_DIRSYNC = 1 << 15,          /* shares its source's: ignored there, as in runc) */
};

/* Propagation of one mount (OCI "rprivate", "shared"...). */
enum nb_mount_propagation {
	NB_MPROP_NONE = 0,
	NB_MPROP_PRIVATE, NB_MPROP_SHARED, NB_MPROP_SLAVE, NB_MPROP_UNBINDABLE,
};

struct nb_mount {
	enum nb_mount_kind kind;
	char *source;        /* bind: host path; OTHER: as given ("overlay", a device) */
	char *dest;          /* absolute path inside the sandbox */
	unsigned flags;      /* NB_MNT_* */
	char *data;          /* filesystem options, e.g. "size=1048576,mode=1777" */
	char *fstype;        /* NB_MOUNT_OTHER: the filesystem type */
	enum nb_mount_propagation propagation;
	bool propagation_recursive;
	struct nb_idmap *uid_map;    /* idmapped bind mount, or NULL */
	struct nb_idmap *gid_map;
};

/* Parse "SRC:DST[:ro]" (--bind) and "DST[:size=N,nr_inodes=N,mode=OCTAL]" (--tmpfs). */
int nb_mount_parse_bind(const char *text, struct nb_mount *ret, struct nb_error *err);
int nb_mount_parse_tmpfs(const char *text, struct nb_mount *ret, struct nb_error *err);
void nb_mount_clear(struct nb_mount *m);

enum nb_propagation {
	NB_PROPAGATION_PRIVATE = 0,
	NB_PROPAGATION_SLAVE,
	NB_PROPAGATION_SHARED,       /* `nsbox run`: shared in a peer group of its own */
	NB_PROPAGATION_UNBINDABLE,   /* OCI rootfsPropagation "unbindable" */
	NB_PROPAGATION_RSHARED,      /* OCI "rshared": the sandbox's copies of the host's
	                              * shared mounts stay their peers, both ways, as in
	                              * runc (Kubernetes' Bidirectional mounts) */
};

struct nb_config {
	struct nb_ns_spec ns[NB_NS_COUNT];
	struct nb_idmap uid_map;      /* empty: the default map (see finalize) */
	struct nb_idmap gid_map;

	/* Filesystem. rootfs NULL means the host's / read-only. */
	char *rootfs;
	bool root_readonly;
	bool root_nosuid, root_nodev; /* the root tree (host / or rootfs), recursively */
	enum nb_propagation propagation;
	struct nb_mount *mounts;      /* applied in order after the root */
	size_t n_mounts;

	/* Process. */
	struct nb_strv args;
	struct nb_strv env;
	bool clearenv;                /* start from an empty environment */
	char *cwd;                    /* NULL: "/" */
	bool set_uid, set_gid, set_groups;
	uid_t uid;
	gid_t gid;
	gid_t *groups;
	size_t n_groups;
	char *hostname;               /* NULL: keep (shared uts) */
	bool tty;
	bool init;                    /* run an init as PID 1 (default) */
	bool pdeathsig;               /* die with the caller (default) */
	bool share_user;              /* --share user: never add a user namespace */
	bool oci_devices;             /* after the mounts, add the OCI default
	                               * devices and linux.devices to /dev */
	int listen_fds;               /* socket activation: fds 3..3+N-1 come first
	                               * among those passed, and the command gets
	                               * LISTEN_FDS=N and its own LISTEN_PID */
	bool oci_process;             /* OCI: create a missing cwd inside the root,
	                               * and HOME from the root's /etc/passwd when
	                               * the environment has none (as runc) */

	struct nb_net_spec net;       /* --net and its options (spec/netspec.h) */
	struct nb_security sec;       /* caps, rlimits, seccomp... (spec/security.h) */
	struct nb_oci_extras oci;     /* hooks, devices, sysctl... */
};

/* Facts about the caller that the plan depends on; filled by the caller. */
struct nb_host {
	uid_t euid;
	gid_t egid;
	char hostname[65];   /* default hostname for a new uts namespace, or "" */
};

void nb_config_init(struct nb_config *cfg);
void nb_config_free(struct nb_config *cfg);
int nb_config_add_mount(struct nb_config *cfg, const struct nb_mount *m, struct nb_error *err);

/* The standard sandbox filesystem: /proc, a minimal /dev with devpts, a
 * private /tmp and a read-only /sys. Prepended before the caller's mounts. */
int nb_config_add_default_mounts(struct nb_config *cfg, struct nb_error *err);

/* A uid or gid for FLAG: a number from 0 to 4294967294 (4294967295 is
 * (uid_t)-1, "no change" to setresuid: never an identity). */
int nb_parse_id(const char *flag, const char *text, uint32_t *ret, struct nb_error *err);
/* "UID[:GID]" (exec --user) into CFG's uid (and gid), both parts checked
 * as by nb_parse_id(). */
int nb_parse_user(const char *flag, const char *text, struct nb_config *cfg, struct nb_error *err);

/* Complete and check a plan: default id maps for a new user namespace,
 * conflicting options, mapped --uid/--gid. */
int nb_config_finalize(struct nb_config *cfg, const struct nb_host *host, struct nb_error *err);

/* Does a bind mount of CFG land on /dev ("/dev", "/dev/", "//dev/."...)?
 * The host's /dev bound there (podman --privileged -v /dev:/dev, CRI
 * privileged) is the host's: as runc, no device, link or directory is
 * made in it, neither the default ones nor linux.devices. */
bool nb_config_binds_dev(const struct nb_config *cfg);

/* May the sandbox's processes hold CAP_SYS_PTRACE in nsbox's user
 * namespace, the one whose capabilities open a non-dumpable nsbox process
 * (its memory, fds, /proc/PID/exe) to them? True without a user namespace
 * of their own when the bounding set has CAP_SYS_PTRACE or is not set. */
bool nb_config_may_ptrace_runtime(const struct nb_config *cfg);

/* Could the sandbox of CFG reach nsbox's own binary despite nsbox's
 * defences (non-dumpable processes, commands executed through the sealed
 * nsbox-exec; linux/trampoline.h)? True when its processes may hold
 * CAP_SYS_PTRACE in nsbox's user namespace (nb_config_may_ptrace_runtime()),
 * or when its seccomp filter may refuse the execveat(2) that runs nsbox-exec. Then
 * nsbox must run from a sealed copy of itself (linux/selfexe.h). */
bool nb_config_exposes_runtime(const struct nb_config *cfg);

#endif
