/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroups.h: a sandbox's cgroup, from its plan to its end.
 *
 *   where: an OCI linux.cgroupsPath (absolute: from each hierarchy's root;
 *          relative: placed as runc places it, hierarchy by hierarchy,
 *          linux/cgroup_location.h), else /nsbox/ID; a sandbox of
 *          `nsbox run`: --cgroup-parent (default /nsbox) plus "run-PID";
 *   when:  made with its limits before the sandbox's first process exists,
 *          which is born in it on cgroup v2 (clone3 CLONE_INTO_CGROUP) and
 *          moved into the v1 hierarchies by nsbox before it is released;
 *   end:   every process killed (cgroup.kill) and the cgroup removed, when
 *          `nsbox run` ends, when a create fails, at `delete`.
 *
 * Rootless, a sandbox without any limit goes without a cgroup of its own
 * where nsbox may not make one; one that asks for a limit then fails with
 * an error saying why. A limit is never dropped silently.
 */
#ifndef NSBOX_RUNTIME_CGROUPS_H
#define NSBOX_RUNTIME_CGROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "base/error.h"
#include "linux/cgroup.h"
#include "base/strutil.h"
#include "spec/config.h"

#define NB_CGROUP_DEFAULT_PARENT "/nsbox"

/* Does a sandbox of `nsbox run` need a cgroup: a limit, a device rule or
 * --cgroup-parent? (An OCI container always gets one.) */
bool nb_cgroups_wanted(const struct nb_config *cfg);

/* The leaf's location (linux/cgroup_location.h) of the sandbox ID of CFG
 * (OCI), or of a `nsbox run` sandbox (ID NULL), into BUF
 * (NB_CG_LOCATION_MAX bytes suffice). */
int nb_cgroups_path(const struct nb_config *cfg, const char *id, char *buf, size_t size,
		    struct nb_error *err);

/* Make CG at PATH with CFG's limits (not yet its device rules:
 * nb_cgroups_devices()), and the controllers EXTRA (a mask of 1 << NB_CG_*)
 * besides those the limits need (a judged run reads memory and pids
 * figures). EVERY: in every hierarchy (a container, as runc and crun);
 * else only in those of these controllers, and where it is needed to count
 * a judged run's (REQUIRED) CPU time and events, and to kill a sandbox
 * that has no pid namespace of its own (linux/cgroup.h: the mask WANT). *RET_MADE is false when a rootless sandbox
 * that asks for no limit goes without, unless REQUIRED: then that is an
 * error too. What a limit means nothing for on this host is added to
 * WARNINGS. */
int nb_cgroups_make(struct nb_cgroup *cg, const struct nb_config *cfg, const char *path, unsigned extra,
		    bool every, bool required, bool *ret_made, struct nb_strv *warnings,
		    struct nb_error *err);

/* Remove the cgroups that killed runs left beside CG's leaf (".../run-PID",
 * empty: each sandbox died with its nsbox), in CG's hierarchies. Any time:
 * a sandbox's own set-up does not wait for it. */
void nb_cgroups_sweep_runs(const struct nb_cgroup *cg);

/* CFG's device rules on CG (runc's: the config's, then runc's defaults;
 * v1's devices files, an eBPF program on v2): once the sandbox's mounts are
 * made, before its command runs, as runc sets them (a block device of a
 * mount is opened before they hold). None rootless. */
int nb_cgroups_devices(struct nb_cgroup *cg, const struct nb_config *cfg, struct nb_error *err);

/* Apply R to the existing CG (`update`; device rules as they are, none
 * added). Warnings as for nb_cgroups_make (WARNINGS may be NULL). */
int nb_cgroups_update(struct nb_cgroup *cg, const struct nb_resources *r, struct nb_strv *warnings,
		      struct nb_error *err);

/* `update` gives some fields only; fill in from CG's files those that
 * share a file with one given, so that what was not given stays: on v2,
 * cpu.max's quota or period, memory.swap.max when only the memory limit
 * changes; OCI's swap (memory plus swap) needs the memory limit in place. */
void nb_cgroups_complete(const struct nb_cgroup *cg, struct nb_resources *r);

/* Kill every process in CG and remove it; errors are for the caller to
 * report or ignore (best effort at the end of a sandbox). */
int nb_cgroups_end(struct nb_cgroup *cg, struct nb_error *err);

#endif
