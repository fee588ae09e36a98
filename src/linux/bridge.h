/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bridge.h: the bridge of an nsbox network, in the host's namespace
 * (through linux/rtnl.h's libnl socket).
 *
 * A bridge that nsbox makes is in the interface group NB_NET_IFGROUP
 * (spec/netspec.h), has the network's gateway address, and is up. An
 * existing link of that name is used if it is a bridge; its address is
 * added if missing.
 */
#ifndef NSBOX_LINUX_BRIDGE_H
#define NSBOX_LINUX_BRIDGE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "linux/rtnl.h"

struct nb_bridge_info {
	int ifindex;
	bool created;        /* made by this call */
};

/* Make the bridge NAME (group GROUP, address GATEWAY/PREFIX, up) unless
 * it exists; *RET says which, and its index. */
int nb_bridge_ensure(struct nb_rtnl *rt, const char *name, uint32_t group, uint32_t gateway,
		     unsigned prefix, struct nb_bridge_info *ret, struct nb_error *err);

/* The index of the link NAME (0 if there is none), whether it is a
 * bridge, and its interface group (RET_GROUP may be NULL). */
int nb_link_lookup(struct nb_rtnl *rt, const char *name, int *ret_ifindex, bool *ret_is_bridge,
		   uint32_t *ret_group, struct nb_error *err);

/* Delete the link NAME; -ENODEV if there is none. */
int nb_link_delete(struct nb_rtnl *rt, const char *name, struct nb_error *err);

/* Call FN for every link of the namespace in group GROUP. */
int nb_link_foreach_in_group(struct nb_rtnl *rt, uint32_t group,
			     int (*fn)(const char *name, bool bridge, void *data), void *data,
			     struct nb_error *err);

#endif
