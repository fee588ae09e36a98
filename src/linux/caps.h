/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * caps.h: the capability sets of the sandboxed command (libcap).
 *
 * Three steps around the identity change, in this order:
 *   nb_caps_drop_bounding()   while privileged: shrink the bounding set
 *   nb_caps_keep(true)        so that setuid() keeps the permitted set
 *   ... setgroups, setgid, setuid ...
 *   nb_caps_apply()           effective, permitted, inheritable, ambient
 *
 * A capability the plan asks for that the kernel does not know, or that
 * nsbox itself does not have in its bounding set, is an error naming it:
 * no set can ever gain it. With caps->set false every step is a no-op.
 */
#ifndef NSBOX_LINUX_CAPS_H
#define NSBOX_LINUX_CAPS_H

#include <stdbool.h>

#include "base/error.h"
#include "spec/security.h"

/* The highest capability number the running kernel knows (CAP_LAST_CAP). */
int nb_caps_last_cap(void);

/* Check CAPS against the kernel and the calling process's bounding set,
 * then drop every bounding capability not in caps->bounding. Dropping needs
 * CAP_SETPCAP; keeping the whole set needs nothing. */
int nb_caps_drop_bounding(const struct nb_caps *caps, struct nb_error *err);

/* PR_SET_KEEPCAPS: ON keeps the permitted set across a setuid() away from
 * uid 0 (the effective set is still cleared; nb_caps_apply() restores it).
 * The kernel clears the flag again at execve(2). */
int nb_caps_keep(bool on, struct nb_error *err);

/* Set the effective, permitted and inheritable sets to those of CAPS
 * (capset), then the ambient set: cleared, and each asked-for capability
 * raised. Call it after setuid(). The kernel allows an ambient capability
 * only when it is both permitted and inheritable; one that is not is left
 * out, as runc and crun do (engines send such plans). */
int nb_caps_apply(const struct nb_caps *caps, struct nb_error *err);

#endif
