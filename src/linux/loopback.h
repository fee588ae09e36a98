/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * loopback.h: bring up "lo" in a new network namespace.
 *
 * SIOCSIFFLAGS on a socket: one flag on one link needs no netlink. nsbox
 * is linked statically for start-up speed (bench/), and Debian ships no
 * libmnl.a: the netlink work of the networking issue (veth, bridges,
 * addresses, routes) goes through libmnl in a helper linked dynamically,
 * started only for sandboxes that ask for networking.
 */
#ifndef NSBOX_LINUX_LOOPBACK_H
#define NSBOX_LINUX_LOOPBACK_H

#include "base/error.h"

/* Set IFF_UP on "lo" in the caller's network namespace. */
int nb_loopback_up(struct nb_error *err);

#endif
