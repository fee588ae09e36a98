/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtnl.h: a route netlink socket through libnl-3, in nsbox's own network
 * namespace or in a sandbox's.
 *
 * Every netlink message of nsbox's networking (links, addresses, routes;
 * linux/bridge.h, linux/veth.h, linux/ipconf.h) is made by libnl-route-3:
 * nsbox never builds one by hand. libnl-3 and libnl-route-3 are linked
 * statically (Debian ships their archives), so the one binary stays one.
 *
 * A socket belongs to the network namespace it was created in. For a
 * sandbox's namespace, nb_rtnl_open() enters it with setns(), connects,
 * and goes back: the socket then speaks to the sandbox's namespace while
 * nsbox stays in its own. nsbox is single-threaded, so nothing else runs
 * in between.
 */
#ifndef NSBOX_LINUX_RTNL_H
#define NSBOX_LINUX_RTNL_H

#include "base/error.h"

struct nl_sock;

struct nb_rtnl {
	struct nl_sock *sk;
};

/* Connect in the caller's namespace (NETNS_FD -1), or in the namespace of
 * the nsfs file NETNS_FD. */
int nb_rtnl_open(struct nb_rtnl *rt, int netns_fd, struct nb_error *err);
void nb_rtnl_close(struct nb_rtnl *rt);

/* A libnl error (a negative NLE_* code) as a negative errno. */
int nb_rtnl_errno(int nlerr);
/* Set ERR from a libnl error: "WHAT: libnl's words", with the errno. */
int nb_rtnl_error(struct nb_error *err, int nlerr, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
