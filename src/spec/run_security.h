/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * run_security.h: `nsbox run` is secure by default, and these options
 * relax it.
 *
 * Unless told otherwise, the command of `nsbox run`:
 *  - has a small capability set (nb_run_default_caps: podman's default),
 *    in the bounding, permitted and effective sets when it runs as uid 0,
 *    in the bounding set only otherwise; inheritable and ambient empty;
 *  - runs with no_new_privs;
 *  - runs under nsbox's default seccomp profile (spec/seccomp_default.h);
 *  - sees /proc with Docker's masked and read-only paths;
 *  - sees the host's filesystems (its root, --rootfs, --bind sources)
 *    nosuid and nodev;
 *  - gets a /tmp of a bounded size.
 * Pure: the --seccomp FILE is read by the caller (cli/).
 */
#ifndef NSBOX_SPEC_RUN_SECURITY_H
#define NSBOX_SPEC_RUN_SECURITY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "base/strutil.h"
#include "spec/config.h"

/* The options, as parsed. */
struct nb_run_security {
	uint64_t cap_add, cap_drop;   /* masks of CAP_* numbers */
	bool cap_add_all, cap_drop_all;
	const char *seccomp;          /* --seccomp FILE, "unconfined", or NULL */
	bool allow_new_privs;         /* --allow-new-privs */
	bool allow_suid;              /* --allow-suid */
	bool allow_devices;           /* --allow-devices */
	bool unmask_all;              /* --unmask ALL */
	struct nb_strv unmask;        /* --unmask PATH */
};

/* The default capability set of a sandbox's command. */
extern const uint64_t nb_run_default_caps;

/* /tmp: a tmpfs of this size, unless --tmpfs /tmp says otherwise. */
#define NB_RUN_TMP_OPTIONS "mode=1777,size=64m,nr_inodes=65536"

/* --cap-add, --cap-drop (a name, or ALL) and --unmask: record one. */
int nb_run_security_cap(struct nb_run_security *rs, bool add, const char *name, struct nb_error *err);
int nb_run_security_unmask(struct nb_run_security *rs, const char *path, struct nb_error *err);

/* Put the secure defaults, as relaxed by RS, into CFG: capabilities (for
 * CFG's uid), no_new_privs, the default seccomp profile unless --seccomp
 * (whose file the caller loads into cfg->sec.seccomp), masked and read-only
 * paths, nosuid and nodev on the host's filesystems. Call it after the
 * options, before nb_config_finalize(). */
int nb_run_security_apply(const struct nb_run_security *rs, struct nb_config *cfg,
			  struct nb_error *err);

void nb_run_security_free(struct nb_run_security *rs);

#endif
