/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lease.h: which address of a bridge's subnet a new sandbox gets. Pure:
 * the caller (runtime/netstore.h) holds the lock and knows the addresses
 * taken; this only chooses.
 *
 * The gateway (the bridge's own address) is the first host address; a
 * sandbox gets the lowest free one after it, or the one it asked for
 * (--ip) if that is a host address of the subnet, not the gateway, and
 * free.
 */
#ifndef NSBOX_SPEC_LEASE_H
#define NSBOX_SPEC_LEASE_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "spec/netaddr.h"

/* The gateway of SUBNET: its first host address. */
uint32_t nb_lease_gateway(const struct nb_cidr4 *subnet);

/* Choose in *RET. TAKEN: the N addresses already leased (any order).
 * REQUESTED: --ip, or 0. NETWORK names the network in errors. -EADDRINUSE
 * if REQUESTED is taken, -EADDRNOTAVAIL if it is no host address of the
 * subnet or the gateway, -ENOSPC if nothing is free. */
int nb_lease_pick(const struct nb_cidr4 *subnet, const char *network, const uint32_t *taken, size_t n,
		  uint32_t requested, uint32_t *ret, struct nb_error *err);

#endif
