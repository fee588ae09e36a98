/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/bridge.h"
#include "linux/ipconf.h"

#include <errno.h>
#include <net/if.h>
#include <string.h>

#include <netlink/cache.h>
#include <netlink/errno.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>

/* By the link's kind (IFLA_INFO_KIND); rtnl_link_is_bridge() means
 * something else (an AF_BRIDGE port object). */
static bool is_bridge(struct rtnl_link *link)
{
	const char *type = rtnl_link_get_type(link);

	return type && strcmp(type, "bridge") == 0;
}

int nb_link_lookup(struct nb_rtnl *rt, const char *name, int *ret_ifindex, bool *ret_is_bridge,
		   uint32_t *ret_group, struct nb_error *err)
{
	struct rtnl_link *link = NULL;
	int r = rtnl_link_get_kernel(rt->sk, 0, name, &link);

	*ret_ifindex = 0;
	*ret_is_bridge = false;
	if (r == -NLE_NODEV || r == -NLE_OBJ_NOTFOUND)
		return 0;
	if (r < 0)
		return nb_rtnl_error(err, r, "look up link '%s'", name);
	*ret_ifindex = rtnl_link_get_ifindex(link);
	*ret_is_bridge = is_bridge(link);
	if (ret_group)
		*ret_group = rtnl_link_get_group(link);
	rtnl_link_put(link);
	return 0;
}

static int make_bridge(struct nb_rtnl *rt, const char *name, uint32_t group, struct nb_error *err)
{
	struct rtnl_link *link = rtnl_link_bridge_alloc();
	int r;

	if (!link)
		return nb_error_set(err, ENOMEM, "out of memory");
	rtnl_link_set_name(link, name);
	rtnl_link_set_group(link, group);
	rtnl_link_set_flags(link, IFF_UP);
	r = rtnl_link_add(rt->sk, link, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_put(link);
	if (r < 0)
		return nb_rtnl_error(err, r, "create bridge '%s'", name);
	return 0;
}

int nb_bridge_ensure(struct nb_rtnl *rt, const char *name, uint32_t group, uint32_t gateway,
		     unsigned prefix, struct nb_bridge_info *ret, struct nb_error *err)
{
	bool bridge;
	int r = nb_link_lookup(rt, name, &ret->ifindex, &bridge, NULL, err);

	ret->created = false;
	if (r < 0)
		return r;
	if (ret->ifindex && !bridge)
		return nb_error_set(err, EEXIST, "network '%s': a link of that name exists and is not a bridge",
				    name);
	if (!ret->ifindex) {
		r = make_bridge(rt, name, group, err);
		if (r == -EEXIST)   /* made meanwhile (a network create's lock covers ours) */
			r = 0;
		else if (r >= 0)
			ret->created = true;
		if (r >= 0)
			r = nb_link_lookup(rt, name, &ret->ifindex, &bridge, NULL, err);
		if (r >= 0 && !ret->ifindex)
			r = nb_error_set(err, ENODEV, "bridge '%s' vanished", name);
		if (r < 0)
			return r;
	}
	r = nb_ipconf_addr_add(rt, ret->ifindex, gateway, prefix, true, err);
	if (r < 0) {
		if (ret->created)
			nb_link_delete(rt, name, &(struct nb_error){ 0 });
		return nb_error_prefix(err, "bridge '%s'", name);
	}
	return 0;
}

int nb_link_delete(struct nb_rtnl *rt, const char *name, struct nb_error *err)
{
	struct rtnl_link *link = rtnl_link_alloc();
	int r;

	if (!link)
		return nb_error_set(err, ENOMEM, "out of memory");
	rtnl_link_set_name(link, name);
	r = rtnl_link_delete(rt->sk, link);
	rtnl_link_put(link);
	if (r == -NLE_NODEV || r == -NLE_OBJ_NOTFOUND)
		return nb_error_set(err, ENODEV, "delete link '%s': no such link", name);
	if (r < 0)
		return nb_rtnl_error(err, r, "delete link '%s'", name);
	return 0;
}

int nb_link_foreach_in_group(struct nb_rtnl *rt, uint32_t group,
			     int (*fn)(const char *name, bool bridge, void *data), void *data,
			     struct nb_error *err)
{
	struct nl_cache *cache = NULL;
	int r = rtnl_link_alloc_cache(rt->sk, AF_UNSPEC, &cache);

	if (r < 0)
		return nb_rtnl_error(err, r, "list links");
	for (struct nl_object *o = nl_cache_get_first(cache); o && r >= 0; o = nl_cache_get_next(o)) {
		struct rtnl_link *link = (struct rtnl_link *)o;

		if (rtnl_link_get_group(link) == group && rtnl_link_get_name(link))
			r = fn(rtnl_link_get_name(link), is_bridge(link), data);
	}
	nl_cache_free(cache);
	return r;
}
