/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * netdev.h: move network devices from the runtime's network namespace into
 * the container's (OCI linux.netDevices, spec/netdev.h), through rtnetlink
 * with libnl-route-3 (statically linked, like the other libraries).
 *
 * For each device, as the runtime spec (1.3) says and as runc does: note
 * its permanent addresses of global scope (IFA_F_PERMANENT,
 * RT_SCOPE_UNIVERSE; the kernel drops every address of a device that
 * changes namespace), set it down in the runtime's namespace (after the
 * note: runc notes them after, when a down device has lost its IPv6
 * addresses already), move and rename it in one
 * RTM_NEWLINK (IFLA_NET_NS_FD, IFLA_IFNAME), add those addresses again in
 * the container's namespace, and set it up there. Each error names the
 * device.
 *
 * The devices are never moved back: when the container's network
 * namespace goes away, the kernel returns the physical devices to the
 * host's initial network namespace (with the names they had inside) and
 * destroys the virtual ones (veth, macvlan...). A failed create kills the
 * container's process, so the devices it had already moved go the same
 * way.
 *
 * The runtime's own network namespace is left as it was found: a netlink
 * socket in the container's namespace is made by entering it for the
 * socket() call alone (the caller must be single-threaded).
 */
#ifndef NSBOX_LINUX_NETDEV_H
#define NSBOX_LINUX_NETDEV_H

#include <stddef.h>

#include "base/error.h"
#include "spec/netdev.h"

/* Move the N devices of DEVS into the network namespace NETNS_FD, in
 * order. A namespace that is the caller's own is an error. */
int nb_netdev_move(const struct nb_netdev *devs, size_t n, int netns_fd, struct nb_error *err);

#endif
