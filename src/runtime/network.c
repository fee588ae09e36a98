/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/network.h"
#include "runtime/nat.h"
#include "base/cleanup.h"
#include "linux/bridge.h"
#include "linux/ipconf.h"
#include "spec/lease.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AUTO_BASE 0x0a580000u     /* 10.88.0.0/16, split in /24s */

/* Does SUBNET overlap a host route (not a default route, not one through
 * OWN_IFINDEX, the network's own bridge) or another network? */
static int check_free(struct nb_netstore *ns, struct nb_rtnl *rt, const char *name,
		      const struct nb_cidr4 *subnet, int own_ifindex, bool quiet, struct nb_error *err)
{
	struct nb_route4 *routes = NULL;
	struct nb_network *nets = NULL;
	size_t n_routes = 0, n_nets = 0;
	char s[NB_CIDR4_STRLEN], o[NB_CIDR4_STRLEN];
	int r = nb_ipconf_routes(rt, &routes, &n_routes, err);

	if (r >= 0)
		r = nb_netstore_networks(ns, &nets, &n_nets, err);
	for (size_t i = 0; r >= 0 && i < n_routes; i++) {
		if (routes[i].dst.prefix == 0 || (own_ifindex && routes[i].ifindex == own_ifindex) ||
		    !nb_cidr4_overlap(&routes[i].dst, subnet))
			continue;
		r = quiet ? -EADDRINUSE :
		    nb_error_set(err, EADDRINUSE, "network '%s': subnet %s overlaps the host's route to %s",
				 name, nb_cidr4_format(subnet, s), nb_cidr4_format(&routes[i].dst, o));
	}
	for (size_t i = 0; r >= 0 && i < n_nets; i++) {
		if (strcmp(nets[i].name, name) == 0 || !nb_cidr4_overlap(&nets[i].subnet, subnet))
			continue;
		r = quiet ? -EADDRINUSE :
		    nb_error_set(err, EADDRINUSE, "network '%s': subnet %s overlaps network '%s' (%s)",
				 name, nb_cidr4_format(subnet, s), nets[i].name, nb_cidr4_format(&nets[i].subnet, o));
	}
	free(routes);
	free(nets);
	return r;
}

int nb_network_find(struct nb_netstore *ns, struct nb_rtnl *rt, const char *name,
		    const struct nb_cidr4 *subnet, struct nb_network *ret, bool *ret_new,
		    struct nb_error *err)
{
	char a[NB_CIDR4_STRLEN], b[NB_CIDR4_STRLEN];
	int r = nb_netstore_network_load(ns, name, ret, err);

	*ret_new = false;
	if (r == 0) {
		if (subnet && (subnet->addr != ret->subnet.addr || subnet->prefix != ret->subnet.prefix))
			return nb_error_set(err, EEXIST, "--subnet %s: network '%s' exists with subnet %s",
					    nb_cidr4_format(subnet, a), name, nb_cidr4_format(&ret->subnet, b));
		return 0;
	}
	if (r != -ENOENT)
		return r;
	memset(ret, 0, sizeof(*ret));
	snprintf(ret->name, sizeof(ret->name), "%s", name);
	*ret_new = true;
	if (subnet) {
		int ifindex = 0;
		bool bridge;

		/* A bridge of that name that already carries the subnet is fine. */
		r = nb_link_lookup(rt, name, &ifindex, &bridge, NULL, err);
		if (r >= 0)
			r = check_free(ns, rt, name, subnet, ifindex, false, err);
		if (r < 0)
			return r;
		ret->subnet = *subnet;
	} else {
		for (unsigned i = 0; i < 256; i++) {
			struct nb_cidr4 c = { AUTO_BASE | (i << 8), 24 };
			struct nb_error ignored;

			r = check_free(ns, rt, name, &c, 0, true, &ignored);
			if (r == -EADDRINUSE)
				continue;
			if (r < 0) {
				*err = ignored;
				return r;
			}
			ret->subnet = c;
			break;
		}
		if (r < 0)
			return nb_error_set(err, ENOSPC, "network '%s': no free /24 in 10.88.0.0/16 for it "
					    "(give one with --subnet)", name);
	}
	ret->gateway = nb_lease_gateway(&ret->subnet);
	return 0;
}

int nb_network_make(struct nb_netstore *ns, struct nb_rtnl *rt, const struct nb_network *net, bool is_new,
		    int *ret_ifindex, struct nb_error *err)
{
	struct nb_bridge_info info;
	int r = is_new ? nb_netstore_network_save(ns, net, err) : 0;

	if (r >= 0)
		r = nb_bridge_ensure(rt, net->name, NB_NET_IFGROUP, net->gateway, net->subnet.prefix, &info, err);
	if (r < 0 && is_new) {
		struct nb_error ignored;

		nb_netstore_network_remove(ns, net->name, &ignored);
	}
	if (r >= 0 && ret_ifindex)
		*ret_ifindex = info.ifindex;
	return r;
}

/* ---- prune ---- */

struct orphans {
	const struct nb_lease *live;
	size_t n;
	struct nb_strv names;
};

static int collect_orphan(const char *name, bool bridge, void *data)
{
	struct orphans *o = data;

	if (bridge || strncmp(name, NB_NET_VETH_PREFIX, strlen(NB_NET_VETH_PREFIX)) != 0)
		return 0;
	for (size_t i = 0; i < o->n; i++)
		if (strcmp(o->live[i].veth, name) == 0)
			return 0;
	return nb_strv_push(&o->names, name) < 0 ? -ENOMEM : 0;
}

static void remove_orphan_veths(struct nb_rtnl *rt, const struct nb_lease *live, size_t n)
{
	struct orphans o = { live, n, { 0 } };
	struct nb_error ignored;

	if (nb_link_foreach_in_group(rt, NB_NET_IFGROUP, collect_orphan, &o, &ignored) >= 0)
		for (size_t i = 0; i < o.names.len; i++)
			nb_link_delete(rt, o.names.items[i], &ignored);
	nb_strv_free(&o.names);
}

int nb_network_prune_locked(struct nb_netstore *ns, bool full, size_t *ret_removed, struct nb_error *err)
{
	struct nb_lease *all = NULL, *live;
	struct nb_rtnl rt = { 0 };
	size_t n = 0, n_live = 0, removed = 0;
	bool nat_touched = false;
	int r = nb_netstore_leases(ns, NULL, &all, &n, err);

	if (ret_removed)
		*ret_removed = 0;
	if (r < 0)
		return r;
	live = all;   /* compacted in place: the live ones first */
	for (size_t i = 0; i < n; i++) {
		struct nb_lease l = all[i];

		if (nb_netstore_lease_alive(&l)) {
			live[n_live++] = l;
			continue;
		}
		if (l.veth[0]) {
			struct nb_error ignored;

			if (!rt.sk && nb_rtnl_open(&rt, -1, &ignored) < 0)
				rt.sk = NULL;
			if (rt.sk)
				nb_link_delete(&rt, l.veth, &ignored);
		}
		nat_touched |= nb_lease_uses_nat(&l);
		r = nb_netstore_lease_remove(ns, l.network, l.addr, err);
		if (r < 0)
			break;
		removed++;
	}
	if (r >= 0 && full) {
		struct nb_error ignored;

		if (rt.sk || nb_rtnl_open(&rt, -1, &ignored) >= 0)
			remove_orphan_veths(&rt, live, n_live);
	}
	/* Our table and ip_forward as the live leases want them. Without the
	 * helper (not installed) nothing of it was ever made. */
	if (r >= 0 && (nat_touched || full)) {
		char path[4096];
		struct nb_error ignored;

		if (nat_touched || nb_nat_helper_path(path, sizeof(path), &ignored) >= 0)
			r = nb_nat_reconcile(ns, live, n_live, err);
	}
	nb_rtnl_close(&rt);
	free(all);
	if (ret_removed)
		*ret_removed = removed;
	return r;
}

int nb_network_prune(const char *dir, size_t *ret_removed, struct nb_error *err)
{
	struct nb_netstore ns;
	bool exists = false;
	int r = nb_netstore_lock_existing(&ns, dir, &exists, err);

	*ret_removed = 0;
	if (r < 0 || !exists)
		return r;
	r = nb_network_prune_locked(&ns, true, ret_removed, err);
	nb_netstore_unlock(&ns);
	return r;
}

/* ---- commands ---- */

int nb_network_create(const char *dir, const char *name, const struct nb_cidr4 *subnet,
		      struct nb_network *ret, struct nb_error *err)
{
	struct nb_netstore ns;
	struct nb_rtnl rt = { 0 };
	bool is_new = false;
	int r = nb_net_name_check(name, "network create", err);

	if (r < 0)
		return r;
	r = nb_netstore_lock(&ns, dir, err);
	if (r < 0)
		return r;
	r = nb_rtnl_open(&rt, -1, err);
	if (r >= 0)
		r = nb_network_find(&ns, &rt, name, subnet, ret, &is_new, err);
	if (r >= 0 && !is_new)
		r = nb_error_set(err, EEXIST, "network '%s' already exists", name);
	if (r >= 0)
		r = nb_network_make(&ns, &rt, ret, true, NULL, err);
	nb_rtnl_close(&rt);
	nb_netstore_unlock(&ns);
	return r;
}

static size_t count_live(const struct nb_lease *leases, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += nb_netstore_lease_alive(&leases[i]);
	return k;
}

int nb_network_remove(const char *dir, const char *name, struct nb_error *err)
{
	struct nb_lease *leases = NULL;
	struct nb_network net;
	struct nb_netstore ns;
	struct nb_rtnl rt = { 0 };
	size_t n = 0, live;
	bool exists = false;
	int r = nb_net_name_check(name, "network rm", err);

	if (r >= 0)
		r = nb_netstore_lock_existing(&ns, dir, &exists, err);
	if (r < 0)
		return r;
	if (!exists)
		return nb_error_set(err, ENOENT, "network '%s' does not exist", name);
	r = nb_network_prune_locked(&ns, false, NULL, err);
	if (r >= 0)
		r = nb_netstore_network_load(&ns, name, &net, err);
	if (r == -ENOENT)
		r = nb_error_set(err, ENOENT, "network '%s' does not exist", name);
	if (r >= 0)
		r = nb_netstore_leases(&ns, name, &leases, &n, err);
	if (r >= 0 && (live = count_live(leases, n)) > 0)
		r = nb_error_set(err, EBUSY, "network '%s' is in use by %zu sandbox%s", name, live,
				 live == 1 ? "" : "es");
	if (r >= 0)
		r = nb_rtnl_open(&rt, -1, err);
	if (r >= 0) {
		int ifindex = 0;
		uint32_t group = 0;
		bool bridge = false;

		/* Only a bridge of nsbox's own: one the host had is left alone. */
		r = nb_link_lookup(&rt, name, &ifindex, &bridge, &group, err);
		if (r >= 0 && ifindex && bridge && group == NB_NET_IFGROUP)
			r = nb_link_delete(&rt, name, err);
	}
	if (r >= 0)
		r = nb_netstore_network_remove(&ns, name, err);
	nb_rtnl_close(&rt);
	free(leases);
	nb_netstore_unlock(&ns);
	return r;
}

int nb_network_list(const char *dir, struct nb_network_entry **ret, size_t *ret_n, struct nb_error *err)
{
	struct nb_network *nets = NULL;
	struct nb_network_entry *list = NULL;
	struct nb_netstore ns;
	struct nb_rtnl rt = { 0 };
	size_t n = 0;
	bool exists = false;
	int r = nb_netstore_lock_existing(&ns, dir, &exists, err);

	*ret = NULL;
	*ret_n = 0;
	if (r < 0 || !exists)
		return r;
	r = nb_netstore_networks(&ns, &nets, &n, err);
	if (r >= 0 && !(list = calloc(n ? n : 1, sizeof(*list))))
		r = nb_error_set(err, ENOMEM, "out of memory");
	if (r >= 0 && nb_rtnl_open(&rt, -1, err) < 0)
		rt.sk = NULL;
	for (size_t i = 0; r >= 0 && i < n; i++) {
		struct nb_lease *leases = NULL;
		size_t k = 0;
		int ifindex = 0;
		bool bridge = false;
		struct nb_error ignored;

		list[i].net = nets[i];
		if (nb_netstore_leases(&ns, nets[i].name, &leases, &k, &ignored) >= 0)
			list[i].sandboxes = count_live(leases, k);
		free(leases);
		if (rt.sk && nb_link_lookup(&rt, nets[i].name, &ifindex, &bridge, NULL, &ignored) >= 0)
			list[i].bridge_up = ifindex && bridge;
	}
	nb_rtnl_close(&rt);
	nb_netstore_unlock(&ns);
	free(nets);
	if (r < 0) {
		free(list);
		return r;
	}
	*ret = list;
	*ret_n = n;
	return 0;
}

int nb_network_inspect(const char *dir, const char *name, char **ret_json, struct nb_error *err)
{
	struct nb_network_entry *list = NULL;
	struct nb_lease *leases = NULL;
	struct nb_netstore ns;
	size_t n = 0, k = 0;
	json_t *doc = NULL, *arr;
	bool exists = false;
	int r = nb_network_list(dir, &list, &n, err);
	char s[NB_CIDR4_STRLEN], g[NB_IP4_STRLEN];
	size_t i;

	*ret_json = NULL;
	for (i = 0; r >= 0 && i < n; i++)
		if (strcmp(list[i].net.name, name) == 0)
			break;
	if (r >= 0 && i == n)
		r = nb_error_set(err, ENOENT, "network '%s' does not exist", name);
	if (r >= 0)
		r = nb_netstore_lock_existing(&ns, dir, &exists, err);
	if (r >= 0 && exists) {
		r = nb_netstore_leases(&ns, name, &leases, &k, err);
		nb_netstore_unlock(&ns);
	}
	if (r >= 0) {
		arr = json_array();
		for (size_t j = 0; j < k; j++) {
			_cleanup_free_ char *text = nb_netstore_lease_json(&leases[j]);

			if (text && nb_netstore_lease_alive(&leases[j]))
				json_array_append_new(arr, json_loads(text, 0, NULL));
		}
		doc = json_pack("{s:s, s:s, s:s, s:s, s:b, s:o}", "name", name, "bridge", name,
				"subnet", nb_cidr4_format(&list[i].net.subnet, s),
				"gateway", nb_ip4_format(list[i].net.gateway, g), "bridgePresent", list[i].bridge_up,
				"sandboxes", arr);
		*ret_json = doc ? json_dumps(doc, JSON_INDENT(2)) : NULL;
		json_decref(doc);
		if (!*ret_json)
			r = nb_error_set(err, ENOMEM, "out of memory");
	}
	free(leases);
	free(list);
	return r;
}
