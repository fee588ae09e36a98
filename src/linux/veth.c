/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/veth.h"

#include <errno.h>
#include <net/if.h>

#include <netlink/errno.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>

int nb_veth_create(struct nb_rtnl *rt, const struct nb_veth *v, struct nb_error *err)
{
	struct rtnl_link *link = rtnl_link_veth_alloc(), *peer;
	int r;

	if (!link)
		return nb_error_set(err, ENOMEM, "out of memory");
	rtnl_link_set_name(link, v->host_name);
	rtnl_link_set_group(link, v->group);
	rtnl_link_set_master(link, v->master);
	rtnl_link_set_flags(link, IFF_UP);
	peer = rtnl_link_veth_get_peer(link);
	rtnl_link_set_name(peer, v->peer_name);
	rtnl_link_set_ns_fd(peer, v->peer_netns_fd);
	/* Not IFF_UP: the kernel configures the peer before the host end
	 * exists, and a veth without its other end cannot go up (ENOTCONN). */
	rtnl_link_put(peer);
	r = rtnl_link_add(rt->sk, link, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_veth_release(link);
	if (r == -NLE_EXIST)
		return nb_error_set(err, EEXIST, "create veth '%s': a link of that name exists", v->host_name);
	if (r < 0)
		return nb_rtnl_error(err, r, "create veth pair '%s' and '%s'", v->host_name, v->peer_name);
	return 0;
}
