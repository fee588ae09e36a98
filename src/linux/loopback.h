/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * loopback.h: bring up "lo" in a new network namespace.
 *
 * SIOCSIFFLAGS on a socket: one flag on one link needs no netlink, and
 * every sandbox with a network namespace of its own pays for this one. The
 * netlink work of bridged sandboxes (veth, bridges, addresses, routes) is
 * libnl-route-3's (linux/rtnl.h), done only for them.
 */
#ifndef NSBOX_LINUX_LOOPBACK_H
#define NSBOX_LINUX_LOOPBACK_H

#include "base/error.h"

/* Set IFF_UP on "lo" in the caller's network namespace. */
int nb_loopback_up(struct nb_error *err);

#endif
