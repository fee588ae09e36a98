/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * oci.h: an OCI bundle's config.json (runtime-spec 1.x, Linux) as a plan.
 *
 * nb_oci_load() turns the text of a config.json into the same struct
 * nb_config that `nsbox run` builds, so both front doors share one engine.
 * Like the rest of spec/, it makes no system call: the caller reads the file
 * and passes the text, and every check here is a pure function of it.
 *
 * Errors name the place: "config.json:3:14: ..." for JSON syntax (jansson's
 * own words), "config.json: process.args: must be a non-empty array of
 * strings" for the schema. Fields the spec defines for other platforms, or
 * that this runtime does not know, are ignored as the spec asks; known fields
 * nsbox cannot honour (linux.intelRdt, process.execCPUAffinity) are errors.
 */
#ifndef NSBOX_SPEC_OCI_H
#define NSBOX_SPEC_OCI_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "base/error.h"
#include "spec/config.h"

/* The highest runtime-spec version nsbox implements (features, default spec). */
#define NB_OCI_VERSION "1.2.0"

/*
 * Fill CFG, which the caller nb_config_init()ed, from TEXT (LEN bytes, no
 * terminator needed). BUNDLE_DIR (absolute) resolves a relative root.path and
 * relative bind-mount sources. On failure CFG may hold part of the plan: the
 * caller frees it with nb_config_free() as always.
 *
 * The plan follows OCI, not `nsbox run`: namespaces not listed are shared,
 * the process is PID 1 (no init) and outlives nsbox (no pdeathsig), its
 * environment is exactly process.env, and the runtime adds the OCI default
 * devices after the mounts (cfg->oci_devices). nb_config_finalize() is not
 * needed (and its messages speak of `nsbox run` flags): everything it checks
 * is checked here in config.json terms.
 */
int nb_oci_load(const char *text, size_t len, const char *bundle_dir, struct nb_config *cfg,
		struct nb_error *err);

/* Replace the process of CFG (loaded from the container's config.json) by
 * the "process" object in TEXT (`exec --process FILE`; FILE names it in
 * messages). */
int nb_oci_load_process(const char *text, size_t len, const char *file, struct nb_config *cfg,
			struct nb_error *err);

/*
 * A seccomp profile of its own (`nsbox run --seccomp FILE`): TEXT (LEN
 * bytes) is one JSON object in the format of config.json's linux.seccomp
 * (defaultAction, defaultErrnoRet, architectures, flags, listenerPath,
 * listenerMetadata, syscalls), checked as nb_oci_load() checks that one.
 * WHAT names the document in messages: "WHAT: syscalls[2].action: unknown
 * action 'X'". Docker's profile format, whose rules may hold conditions
 * ("includes", "excludes") that OCI does not have, is refused rather than
 * misread. *RET is overwritten (set is true on success); the caller frees
 * it with nb_seccomp_free(), also after a failure.
 */
int nb_oci_load_seccomp(const char *text, size_t len, const char *what, struct nb_seccomp *ret,
			struct nb_error *err);

/*
 * A linux.resources object of its own: the input of `nsbox update -r FILE`
 * (runc's `update --resources`, which containerd and podman use). TEXT (LEN
 * bytes) is parsed and checked as nb_oci_load() reads linux.resources, with
 * the paths relative to the object: "WHAT: memory.swap: ...". *RET is
 * overwritten (set is true on success); the caller frees it with
 * nb_resources_free(), also after a failure. Every field is kept: the
 * caller merges it over the container's limits (nb_resources_merge())
 * after nb_resources_drop_devices(), as runc's update ignores devices.
 */
int nb_oci_load_resources(const char *text, size_t len, const char *what, struct nb_resources *ret,
			  struct nb_error *err);

/* SC as the JSON text of a linux.seccomp object, on one line without a
 * final newline, malloc'd, or NULL if out of memory. Every field is kept
 * (integers up to UINT64_MAX exactly), so nb_oci_load_seccomp() reads it
 * back into an equal struct; SC->set is not part of it. */
char *nb_oci_seccomp_json(const struct nb_seccomp *sc);

/* The process and security of CFG (args, env, cwd, user, capabilities,
 * rlimits, no_new_privs, its new namespaces and id maps, seccomp: the
 * built-in default spelled out) as a config.json that nb_oci_load() reads
 * back into the same process plan, integers above INT64_MAX exact. What
 * `exec` into a sandbox of `nsbox run --name` starts from. Malloc'd in
 * *RET; -EILSEQ if a string of the plan is not UTF-8 (the error names it:
 * "process.env[3] is not UTF-8: ..."), or -ENOMEM. */
int nb_oci_plan_json(const struct nb_config *cfg, char **ret, struct nb_error *err);

/* The config.json that `nsbox spec [--rootless]` writes, as malloc'd JSON
 * text ending in a newline, or NULL if out of memory. ROOTLESS: a user
 * namespace mapping container root to UID/GID, /sys bound from the host, no
 * cgroup mount and no devices cgroup. */
char *nb_oci_default_spec(bool rootless, uid_t uid, gid_t gid);

/* The runtime-spec features document (`nsbox features`), malloc'd JSON text
 * ending in a newline, or NULL if out of memory. CGROUP_LAYOUT: this
 * host's ("v1", "hybrid", "v2", "none"), in the annotations with
 * CGROUP_CONTROLLERS (space-separated; both may be NULL). */
char *nb_oci_features(const char *cgroup_layout, const char *cgroup_controllers);

#endif
