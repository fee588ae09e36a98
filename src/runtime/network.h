/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * network.h: nsbox's networks (bridges with a subnet) as a whole: made on
 * first use or by `nsbox network create`, listed, inspected, removed, and
 * the prune of what killed sandboxes left.
 *
 * A network NAME is the bridge NAME in the host's namespace, in the
 * interface group NB_NET_IFGROUP, with the subnet's first host address
 * (the gateway), and its record in the store (runtime/netstore.h). A new
 * network's subnet is --subnet, or the first /24 of 10.88.0.0/16 free of
 * the host's routes and of the other networks; a --subnet that overlaps a
 * host route or another network is refused. The bridge stays when its
 * last sandbox ends, for the next one, until `nsbox network rm`.
 *
 * Prune: leases whose holder is gone are removed with what they held
 * (their veth if its namespace is still pinned, their part of the
 * nftables table); ip_forward is restored when no live lease needs it.
 * Every bridged sandbox's start runs it, so a SIGKILL leaves nothing for
 * longer than until the next start (or `nsbox network prune`).
 */
#ifndef NSBOX_RUNTIME_NETWORK_H
#define NSBOX_RUNTIME_NETWORK_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "linux/rtnl.h"
#include "runtime/netstore.h"

/* The network NAME, locked store NS, host socket RT. If there is no record
 * the network is planned (subnet SUBNET, or a free one), checked, but not
 * made: *RET_NEW is set, and nb_network_make() makes it. With a record,
 * SUBNET (if given) must be its subnet. */
int nb_network_find(struct nb_netstore *ns, struct nb_rtnl *rt, const char *name,
		    const struct nb_cidr4 *subnet, struct nb_network *ret, bool *ret_new,
		    struct nb_error *err);
/* Make NET's record (if NEW) and its bridge (if missing); *RET_IFINDEX
 * (may be NULL): the bridge's index. On failure nothing is left that this
 * call made. */
int nb_network_make(struct nb_netstore *ns, struct nb_rtnl *rt, const struct nb_network *net, bool is_new,
		    int *ret_ifindex, struct nb_error *err);

/* Remove stale leases and what they held (see above); the store is
 * locked. With FULL (`nsbox network prune`): also veths of nsbox's group
 * that no lease names, and a rebuild of the NAT table and ip_forward even
 * when nothing was stale. *RET_REMOVED: leases removed. */
int nb_network_prune_locked(struct nb_netstore *ns, bool full, size_t *ret_removed, struct nb_error *err);

/* The commands (cli/network.c); DIR is the store's directory. */
int nb_network_create(const char *dir, const char *name, const struct nb_cidr4 *subnet,
		      struct nb_network *ret, struct nb_error *err);
int nb_network_remove(const char *dir, const char *name, struct nb_error *err);
int nb_network_prune(const char *dir, size_t *ret_removed, struct nb_error *err);

struct nb_network_entry {
	struct nb_network net;
	size_t sandboxes;          /* live leases */
	bool bridge_up;            /* the bridge exists */
};
int nb_network_list(const char *dir, struct nb_network_entry **ret, size_t *ret_n, struct nb_error *err);
/* A JSON document of NAME: its record, bridge, and live leases. */
int nb_network_inspect(const char *dir, const char *name, char **ret_json, struct nb_error *err);

#endif
