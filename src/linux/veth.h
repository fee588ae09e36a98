/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * veth.h: the veth pair of a bridged sandbox, made in one netlink request
 * (libnl-route-3): the host end on the bridge, in nsbox's interface
 * group, up; the peer made directly in the sandbox's network namespace
 * under its final name (eth0), down (linux/ipconf.h brings it up from
 * inside: the kernel cannot at creation). No end ever exists under a temporary
 * name, and a failed request leaves no link.
 */
#ifndef NSBOX_LINUX_VETH_H
#define NSBOX_LINUX_VETH_H

#include <stdint.h>

#include "base/error.h"
#include "linux/rtnl.h"

struct nb_veth {
	const char *host_name;    /* in the host's namespace, at most 15 characters */
	int master;               /* ifindex of the bridge */
	uint32_t group;           /* interface group of the host end */
	const char *peer_name;    /* "eth0" */
	int peer_netns_fd;        /* the sandbox's network namespace */
};

/* -EEXIST if HOST_NAME is taken. */
int nb_veth_create(struct nb_rtnl *rt, const struct nb_veth *v, struct nb_error *err);

#endif
