/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ipconf.h: IPv4 addresses and routes of a namespace, through a
 * linux/rtnl.h socket (libnl-route-3): an address on a link, a default
 * route, the host's routes (to keep a new subnet off them).
 */
#ifndef NSBOX_LINUX_IPCONF_H
#define NSBOX_LINUX_IPCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "linux/rtnl.h"
#include "spec/netaddr.h"

/* ADDR/PREFIX on the link IFINDEX. With EXIST_OK, an address that is
 * there already is no error. */
int nb_ipconf_addr_add(struct nb_rtnl *rt, int ifindex, uint32_t addr, unsigned prefix, bool exist_ok,
		       struct nb_error *err);

/* The default route through GATEWAY on the link IFINDEX. */
int nb_ipconf_default_route(struct nb_rtnl *rt, int ifindex, uint32_t gateway, struct nb_error *err);

/* Set IFF_UP on the link IFINDEX. */
int nb_ipconf_link_up(struct nb_rtnl *rt, int ifindex, struct nb_error *err);

/* The index of the link NAME, or -ENODEV. */
int nb_ipconf_ifindex(struct nb_rtnl *rt, const char *name, int *ret, struct nb_error *err);

struct nb_route4 {
	struct nb_cidr4 dst;
	int ifindex;
};

/* The IPv4 unicast routes of every table but local, with their link
 * (default routes too: the caller decides). Malloc'd in *RET. */
int nb_ipconf_routes(struct nb_rtnl *rt, struct nb_route4 **ret, size_t *ret_n, struct nb_error *err);

#endif
