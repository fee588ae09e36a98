/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * creds.h: the identity of the sandboxed command: supplementary groups,
 * gid and uid, set in that order (after setuid there is no right left to
 * change the others).
 */
#ifndef NSBOX_LINUX_CREDS_H
#define NSBOX_LINUX_CREDS_H

#include <stdbool.h>

#include "base/error.h"
#include "spec/config.h"

/* Apply --groups, --gid and --uid of CFG. In a new user namespace the
 * default identity is its root. SETGROUPS_DENIED: setgroups(2) is off. */
int nb_creds_apply(const struct nb_config *cfg, bool setgroups_denied, struct nb_error *err);

#endif
