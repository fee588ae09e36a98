/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup.h: the cgroups of a sandbox, on cgroup v1, hybrid and v2 hosts.
 *
 * The layout is found at run time: pure v2 (a cgroup2 at /sys/fs/cgroup),
 * v1 (one hierarchy per controller or group of controllers, mounted under
 * /sys/fs/cgroup), or hybrid (v1 hierarchies plus a cgroup2 at
 * /sys/fs/cgroup/unified). Each controller is used where it is attached: on
 * a hybrid host that is its v1 hierarchy, or the unified one for those the
 * kernel attached there (hugetlb, misc...). The unified hierarchy of a
 * hybrid host also holds the sandbox, for what cgroup2 gives without
 * controllers: cgroup.kill, cgroup.freeze, cgroup.events.
 *
 * A sandbox gets one leaf, made before its first process exists, at its
 * LOCATION (linux/cgroup_location.h): a path ("/nsbox/ID"), the same in
 * every hierarchy but where the location says otherwise (a relative
 * cgroupsPath, resolved under nsbox's own cgroup in each hierarchy): on v2 the process is born in it
 * (clone3 CLONE_INTO_CGROUP with nb_cgroup_v2_fd()); on v1 the parent
 * writes its pid into each hierarchy's cgroup.procs before the process is
 * released. The limits are the writes of spec/resources.h.
 *
 * Paths are taken from each hierarchy's root; the runtime turns a relative
 * cgroupsPath into a location first (nb_cgroup_resolve()).
 */
#ifndef NSBOX_LINUX_CGROUP_H
#define NSBOX_LINUX_CGROUP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/error.h"
#include "linux/cgroup_location.h"
#include "spec/resources.h"

enum nb_cg_layout { NB_CG_LAYOUT_NONE, NB_CG_LAYOUT_V1, NB_CG_LAYOUT_HYBRID, NB_CG_LAYOUT_V2 };

struct nb_cgroup {
	enum nb_cg_layout layout;
	char *path;                   /* "/nsbox/ID", from each hierarchy's root:
	                               * the location's first line */
	char *location;               /* where the leaf is in each hierarchy */
	int v2fd;                     /* the leaf in the cgroup2 hierarchy, or -1 */
	int fd[NB_CG_COUNT];          /* per controller: its leaf's dir fd (a v1
	                               * hierarchy's, or v2fd's number), or -1 */
	bool on_v2[NB_CG_COUNT];      /* the controller is attached to cgroup2 */
	bool made;                    /* we made the leaves: removed on destroy */
	char v1name[NB_CG_COUNT][32]; /* per v1 controller: its hierarchy's directory
	                               * under /sys/fs/cgroup ("cpu,cpuacct"), or "" */
	int named_fd;                 /* the leaf in the v1 name=systemd hierarchy
	                               * (no controller; runc joins it too), or -1 */
	char named_dir[32];           /* that hierarchy's directory ("systemd") */
};

void nb_cgroup_init(struct nb_cgroup *cg);
/* Close the fds (the cgroup stays). */
void nb_cgroup_close(struct nb_cgroup *cg);

/* The layout of this host's cgroups. */
enum nb_cg_layout nb_cgroup_layout(void);
const char *nb_cgroup_layout_name(enum nb_cg_layout layout);
/* The controllers this host has, v1 and v2, space-separated, into BUF. */
const char *nb_cgroup_controllers(char *buf, size_t size);

/* The location of REL, a relative path, under nsbox's own cgroup in each
 * hierarchy of this host (as runc resolves a relative cgroupsPath), into
 * BUF (NB_CG_LOCATION_MAX bytes suffice). */
int nb_cgroup_resolve(const char *rel, char *buf, size_t size, struct nb_error *err);

/* Make the leaf at LOCATION in the hierarchies of the controllers WANT (a mask of
 * 1 << NB_CG_*; 0: every hierarchy, name=systemd's too, as runc), with the
 * controllers NEEDED (within WANT) enabled down to it on v2. The cgroup2
 * leaf is made on v2, and on hybrid hosts when WANT has NB_CG_CORE (its
 * cgroup.kill, cpu.stat and events) or a controller NEEDED is there; where
 * it has cgroup.kill and cpu.stat, v1's freezer and cpuacct are not wanted
 * (unless NEEDED). A leftover of an earlier
 * sandbox of the same path with no process in it is removed first (waiting,
 * bounded, for a dying one to go); a leaf that holds processes is refused.
 * A controller NEEDED that this host does not have is an error naming it.
 * On failure nothing is left. */
int nb_cgroup_create(struct nb_cgroup *cg, const char *location, unsigned needed, unsigned want,
		     struct nb_error *err);

/* Open the existing leaf at LOCATION (a later command: update, pause,
 * kill...). */
int nb_cgroup_open(struct nb_cgroup *cg, const char *location, struct nb_error *err);

/* The v2 leaf's fd for clone3(CLONE_INTO_CGROUP), or -1. */
int nb_cgroup_v2_fd(const struct nb_cgroup *cg);

/* Put PID into the leaf of every hierarchy where it is not already (the
 * v1 ones after a CLONE_INTO_CGROUP). */
int nb_cgroup_enter(const struct nb_cgroup *cg, pid_t pid, bool v1_only, struct nb_error *err);

/* Apply the writes W, in order (a write with an alternative file tries it
 * when the first does not exist). */
int nb_cgroup_apply(const struct nb_cgroup *cg, const struct nb_cg_writes *w, struct nb_error *err);

/* The writes of R for this host's layout: v2 writes where the controller
 * is on cgroup2, v1 writes elsewhere. CURRENT_MEMORY_LIMIT, WHAT and the
 * warnings in OUT as in spec/resources.h. */
int nb_cgroup_writes(const struct nb_cgroup *cg, const struct nb_resources *r, int64_t current_memory_limit,
		     const char *what, struct nb_cg_writes *out, struct nb_error *err);

/* Freeze or thaw every process of the leaf, and wait until it is done. */
int nb_cgroup_freeze(const struct nb_cgroup *cg, bool frozen, struct nb_error *err);
/* Is the leaf frozen? */
bool nb_cgroup_frozen(const struct nb_cgroup *cg);

/* SIGKILL every process of the leaf and wait until it is empty (bounded):
 * cgroup.kill on v2 (and on a hybrid host's unified leaf); freeze, kill,
 * thaw on v1. No process escapes it by forking. */
int nb_cgroup_kill(const struct nb_cgroup *cg, struct nb_error *err);

/* The pids in the leaf (cgroup.procs), malloc'd. */
int nb_cgroup_pids(const struct nb_cgroup *cg, pid_t **ret, size_t *ret_n, struct nb_error *err);

/* Remove, beside CG's leaf in each of its hierarchies, the empty cgroups
 * named "PREFIX<pid>" of a pid that no longer runs: the leaves of sandboxes
 * whose nsbox was killed before it could remove them. Through CG's own fds
 * (no look at the mount table); a hierarchy CG has no leaf in is left to
 * the sandboxes that use it. Best effort. */
void nb_cgroup_sweep_siblings(const struct nb_cgroup *cg, const char *prefix);

/* Remove the leaf from every hierarchy (it must be empty; a dying cgroup
 * is waited for, bounded). Closes the fds. */
int nb_cgroup_destroy(struct nb_cgroup *cg, struct nb_error *err);
/* The same, but the fds stay open whatever happens (a leaf that still
 * holds processes can then be killed and removed): 0 or -errno. */
int nb_cgroup_remove(struct nb_cgroup *cg);

/* Read FILE of controller CTRL's leaf into BUF (NUL-terminated). */
ssize_t nb_cgroup_read(const struct nb_cgroup *cg, enum nb_cg_controller ctrl, const char *file,
		       char *buf, size_t size);

/* Move SELF into every cgroup TARGET is in, as /proc/TARGET/cgroup lists
 * them, under the hierarchies mounted at /sys/fs/cgroup. A hierarchy that
 * is not mounted there, a cgroup SELF is in already, and one it may not
 * write (rootless) are skipped. (`exec` of a container made elsewhere.) */
int nb_cgroup_join_like(pid_t target, pid_t self, struct nb_error *err);

/* The v1 hierarchies' way in for a single-threaded process that joins by
 * itself: a "tasks" file per hierarchy, opened by nsbox before it forks the
 * process (which inherits them), written "0" by that process. Moving one's
 * own thread skips the kernel's global threadgroup lock, whose write side
 * waits for an RCU grace period: a cgroup.procs write by nsbox costs
 * milliseconds, this costs microseconds. v2 needs none of it
 * (clone3(CLONE_INTO_CGROUP)). */
struct nb_cgroup_selfjoin {
	int n;
	int fd[NB_CG_COUNT + 1];
	int ctrl[NB_CG_COUNT + 1];                 /* one of each hierarchy's, for errors
	                                            * (NB_CG_COUNT: name=systemd) */
	const char *path;                          /* the cgroup's path, for errors */
};

void nb_cgroup_selfjoin_init(struct nb_cgroup_selfjoin *j);
/* Open the "tasks" file of each v1 hierarchy of CG (none on a v2 host). */
int nb_cgroup_selfjoin_open(const struct nb_cgroup *cg, struct nb_cgroup_selfjoin *j,
			    struct nb_error *err);
/* In the joining process: move its calling thread (its only one) into each,
 * then close them. */
int nb_cgroup_selfjoin(struct nb_cgroup_selfjoin *j, struct nb_error *err);
void nb_cgroup_selfjoin_close(struct nb_cgroup_selfjoin *j);

#endif
