/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * netlink.h: rtnetlink requests through libmnl. For now: bring up the
 * loopback link of a new network namespace. The network issue adds links,
 * addresses and routes on the same socket helpers.
 */
#ifndef NSBOX_LINUX_NETLINK_H
#define NSBOX_LINUX_NETLINK_H

#include "base/error.h"

/* Set IFF_UP on "lo" in the caller's network namespace. */
int nb_netlink_loopback_up(struct nb_error *err);

#endif
