/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sysctl.h: write an OCI config's linux.sysctl.
 *
 * Each entry is "path=value", its path relative to /proc/sys and already
 * checked by spec/ (namespaced keys only, no "." or ".." component). The
 * values go through a verified procfs (linux/procfs.h), never through the
 * sandbox's own /proc: a namespaced sysctl is looked up in the namespaces
 * of the writer, whichever procfs it is opened from, so the runtime's own
 * procfs reaches exactly the sandbox's values and nothing the image made.
 */
#ifndef NSBOX_LINUX_SYSCTL_H
#define NSBOX_LINUX_SYSCTL_H

#include "base/error.h"
#include "base/strutil.h"

/* Write every "path=value" of SYSCTL through the procfs root PROCFD, in
 * the caller's namespaces. A key without '/' is taken in its dotted form
 * ("net.ipv4.ip_forward"). */
int nb_sysctl_apply(int procfd, const struct nb_strv *sysctl, struct nb_error *err);

#endif
