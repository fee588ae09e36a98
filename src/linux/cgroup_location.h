/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup_location.h: where a sandbox's leaf is, hierarchy by hierarchy.
 *
 * An absolute cgroupsPath names the same path in every hierarchy. A
 * relative one is placed as runc places it, and on a v1 or hybrid host
 * that may differ from one hierarchy to the next:
 *   - in a v1 hierarchy (name=systemd's too): under the caller's own cgroup
 *     there (/proc/self/cgroup; a shell in /a for memory and in / elsewhere
 *     puts "x/y" at /a/x/y in memory and at /x/y in the others);
 *   - in a hybrid host's cgroup2: under its root;
 *   - on a pure v2 host: under the parent of the caller's own cgroup (which
 *     holds the caller, and so may not enable controllers for a child).
 *
 * A LOCATION is the text that says where: its first line is the path used
 * in every hierarchy not listed after it; each further line is
 * "DIR=PATH", a hierarchy where the leaf is elsewhere (DIR: the
 * hierarchy's directory under /sys/fs/cgroup, "memory", "cpu,cpuacct",
 * "unified", "systemd"). A plain absolute path is a location of one line.
 * It is what the state of a container keeps, so that a later command,
 * run from any cgroup, finds the leaves again. Pure functions.
 */
#ifndef NSBOX_LINUX_CGROUP_LOCATION_H
#define NSBOX_LINUX_CGROUP_LOCATION_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

#define NB_CG_LOCATION_MAX 8192

/* The path of LOCATION in the hierarchy whose directory is DIR, into BUF
 * (0, or -ENAMETOOLONG). */
int nb_cg_location_path(const char *location, const char *dir, char *buf, size_t size);

/* Every path of LOCATION absolute, plain (no "..", "." or "//") and not a
 * hierarchy's root; each "DIR=" line well formed. WHAT names it in the
 * error. */
int nb_cg_location_check(const char *location, const char *what, struct nb_error *err);

/* Where a relative path goes in a hierarchy (see above). */
enum nb_cg_under { NB_CG_UNDER_OWN, NB_CG_UNDER_PARENT, NB_CG_UNDER_ROOT };

/* A hierarchy, for nb_cg_location_build(). */
struct nb_cg_hier {
	const char *dir;     /* its directory under /sys/fs/cgroup */
	const char *name;    /* a name /proc/self/cgroup lists for it: a
	                      * controller ("memory"), "name=systemd", or ""
	                      * for cgroup2 (the "0::" line) */
	const char *root;    /* the root of the cgroup tree its mount shows
	                      * (mountinfo's fourth field; "/" most often) */
	enum nb_cg_under under;
};

/* The location of the relative path REL in each of the N hierarchies HIER,
 * placed as each one's UNDER says, the caller's own cgroups read from
 * SELF_CGROUP (the text of /proc/self/cgroup), into BUF. The first
 * hierarchy's path is the first line. A hierarchy SELF_CGROUP does not
 * list is taken from the first line. A cgroup outside its mount's root is
 * an error (-ENOENT). */
int nb_cg_location_build(const char *rel, const char *self_cgroup, const struct nb_cg_hier *hier, size_t n,
			 char *buf, size_t size, struct nb_error *err);

#endif
