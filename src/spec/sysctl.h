/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sysctl.h: the keys of an OCI linux.sysctl, checked and normalised (pure).
 *
 * A key is either dotted, "net.ipv4.ip_forward", whose components are
 * separated by '.', or, when it holds a '/', a path relative to /proc/sys
 * whose components may hold dots: "net/ipv4/conf/eth0.100/forwarding".
 * Both name the file /proc/sys/COMPONENT/.../COMPONENT. nb_sysctl_path()
 * refuses empty, "." and ".." components and any character outside
 * [A-Za-z0-9_.:@+-], so the normalised path ("net/ipv4/ip_forward") can
 * never leave the subtree its first components name; the namespace a key
 * belongs to is decided on that normalised path, and the writer
 * (linux/rootfs.c) opens exactly that path, never re-deriving it from the
 * key. The plan (cfg->oci.sysctl) holds "PATH=VALUE".
 */
#ifndef NSBOX_SPEC_SYSCTL_H
#define NSBOX_SPEC_SYSCTL_H

#include <stddef.h>

#include "base/error.h"
#include "spec/config.h"

/* Longest normalised path (the kernel's sysctl names are far shorter). */
#define NB_SYSCTL_PATH_MAX 256

/* Check KEY and write its normalised relative path to BUF (SIZE bytes).
 * Errors: "'KEY': ..." (EINVAL), or ENAMETOOLONG if it does not fit. */
int nb_sysctl_path(const char *key, char *buf, size_t size, struct nb_error *err);

/* The namespace of the normalised PATH: NB_NS_IPC (the System V IPC
 * keys, fs/mqueue/...), NB_NS_NET (net/...), NB_NS_UTS (kernel/hostname,
 * kernel/domainname), or NB_NS_COUNT when it is not namespaced. */
enum nb_ns_type nb_sysctl_namespace(const char *path);

#endif
