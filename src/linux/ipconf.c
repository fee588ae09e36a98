/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/ipconf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>

#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/errno.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>

static struct nl_addr *v4(uint32_t addr, unsigned prefix)
{
	uint32_t be = htonl(addr);
	struct nl_addr *a = nl_addr_build(AF_INET, &be, sizeof(be));

	if (a)
		nl_addr_set_prefixlen(a, (int)prefix);
	return a;
}

int nb_ipconf_addr_add(struct nb_rtnl *rt, int ifindex, uint32_t addr, unsigned prefix, bool exist_ok,
		       struct nb_error *err)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local = v4(addr, prefix);
	char text[NB_IP4_STRLEN];
	int r = -NLE_NOMEM;

	if (ra && local) {
		rtnl_addr_set_ifindex(ra, ifindex);
		rtnl_addr_set_family(ra, AF_INET);
		r = rtnl_addr_set_local(ra, local);
		if (r >= 0)
			r = rtnl_addr_add(rt->sk, ra, NLM_F_CREATE | (exist_ok ? 0 : NLM_F_EXCL));
	}
	nl_addr_put(local);
	rtnl_addr_put(ra);
	if (r == -NLE_EXIST && exist_ok)
		r = 0;
	if (r < 0)
		return nb_rtnl_error(err, r, "add address %s/%u", nb_ip4_format(addr, text), prefix);
	return 0;
}

int nb_ipconf_default_route(struct nb_rtnl *rt, int ifindex, uint32_t gateway, struct nb_error *err)
{
	struct rtnl_route *route = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *dst = v4(0, 0), *gw = v4(gateway, 32);
	char text[NB_IP4_STRLEN];
	int r = -NLE_NOMEM;

	if (route && nh && dst && gw) {
		rtnl_route_set_family(route, AF_INET);
		rtnl_route_set_table(route, RT_TABLE_MAIN);
		rtnl_route_set_protocol(route, RTPROT_STATIC);
		rtnl_route_set_scope(route, RT_SCOPE_UNIVERSE);
		rtnl_route_set_type(route, RTN_UNICAST);
		r = rtnl_route_set_dst(route, dst);
		rtnl_route_nh_set_ifindex(nh, ifindex);
		rtnl_route_nh_set_gateway(nh, gw);
		rtnl_route_add_nexthop(route, nh);
		nh = NULL;   /* the route owns it */
		if (r >= 0)
			r = rtnl_route_add(rt->sk, route, NLM_F_CREATE | NLM_F_EXCL);
	}
	if (nh)
		rtnl_route_nh_free(nh);
	nl_addr_put(dst);
	nl_addr_put(gw);
	rtnl_route_put(route);
	if (r < 0)
		return nb_rtnl_error(err, r, "default route via %s", nb_ip4_format(gateway, text));
	return 0;
}

int nb_ipconf_link_up(struct nb_rtnl *rt, int ifindex, struct nb_error *err)
{
	struct rtnl_link *orig = rtnl_link_alloc(), *change = rtnl_link_alloc();
	int r = -NLE_NOMEM;

	if (orig && change) {
		rtnl_link_set_ifindex(orig, ifindex);
		rtnl_link_set_flags(change, IFF_UP);
		r = rtnl_link_change(rt->sk, orig, change, 0);
	}
	rtnl_link_put(orig);
	rtnl_link_put(change);
	if (r < 0)
		return nb_rtnl_error(err, r, "bring link %d up", ifindex);
	return 0;
}

int nb_ipconf_ifindex(struct nb_rtnl *rt, const char *name, int *ret, struct nb_error *err)
{
	struct rtnl_link *link = NULL;
	int r = rtnl_link_get_kernel(rt->sk, 0, name, &link);

	if (r == -NLE_NODEV || r == -NLE_OBJ_NOTFOUND)
		return nb_error_set(err, ENODEV, "link '%s': no such link", name);
	if (r < 0)
		return nb_rtnl_error(err, r, "look up link '%s'", name);
	*ret = rtnl_link_get_ifindex(link);
	rtnl_link_put(link);
	return 0;
}

int nb_ipconf_routes(struct nb_rtnl *rt, struct nb_route4 **ret, size_t *ret_n, struct nb_error *err)
{
	struct nl_cache *cache = NULL;
	struct nb_route4 *list = NULL;
	size_t n = 0;
	int r = rtnl_route_alloc_cache(rt->sk, AF_INET, 0, &cache);

	*ret = NULL;
	*ret_n = 0;
	if (r < 0)
		return nb_rtnl_error(err, r, "list routes");
	for (struct nl_object *o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_route *route = (struct rtnl_route *)o;
		struct nl_addr *dst = rtnl_route_get_dst(route);
		struct rtnl_nexthop *nh;
		struct nb_route4 *grown;
		uint32_t be = 0;

		if (rtnl_route_get_table(route) == RT_TABLE_LOCAL || rtnl_route_get_type(route) != RTN_UNICAST ||
		    !dst || nl_addr_get_family(dst) != AF_INET)
			continue;
		grown = realloc(list, (n + 1) * sizeof(*list));
		if (!grown) {
			free(list);
			nl_cache_free(cache);
			return nb_error_set(err, ENOMEM, "out of memory");
		}
		list = grown;
		if (nl_addr_get_len(dst) == sizeof(be))
			be = *(const uint32_t *)nl_addr_get_binary_addr(dst);
		list[n].dst.prefix = (unsigned)nl_addr_get_prefixlen(dst);
		list[n].dst.addr = ntohl(be) & nb_cidr4_mask(list[n].dst.prefix);
		nh = rtnl_route_nexthop_n(route, 0);
		list[n].ifindex = nh ? rtnl_route_nh_get_ifindex(nh) : 0;
		n++;
	}
	nl_cache_free(cache);
	*ret = list;
	*ret_n = n;
	return 0;
}
