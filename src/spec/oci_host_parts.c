/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* config.json "linux" parts that reach beyond the container's own objects:
 * memoryPolicy (the NUMA memory policy of set_mempolicy(2)) and netDevices
 * (network devices moved from the runtime's network namespace). */
#include "spec/oci.h"
#include "spec/oci_internal.h"
#include "spec/mempolicy.h"
#include "spec/netdev.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- memoryPolicy ---- */

static int mempolicy_flags(struct oci_ctx *c, const json_t *v, struct nb_mempolicy *mp)
{
	const char *p = "linux.memoryPolicy.flags";
	struct nb_strv names = { 0 };
	char sub[OCI_PATH_MAX];
	int r = v ? oci_string_array(c, v, p, false, &names) : 0;

	for (size_t i = 0; r >= 0 && i < names.len; i++) {
		unsigned flag = nb_mempolicy_flag(names.items[i]);

		if (!flag)
			r = oci_fail(c, oci_index(sub, p, i), "unknown flag '%.64s' (MPOL_F_NUMA_BALANCING, "
				     "MPOL_F_RELATIVE_NODES or MPOL_F_STATIC_NODES)", names.items[i]);
		mp->flags |= flag;
	}
	nb_strv_free(&names);
	return r;
}

int oci_parse_memory_policy(struct oci_ctx *c, const json_t *v)
{
	struct nb_mempolicy *mp = &c->cfg->oci.mempolicy;
	const char *p = "linux.memoryPolicy";
	const char *mode = NULL, *nodes = NULL, *field = NULL, *why = NULL;
	char sub[OCI_PATH_MAX];
	int r = oci_check_object(c, v, p);

	if (r >= 0)
		r = oci_req_string(c, v, p, "mode", &mode);
	if (r >= 0)
		r = oci_opt_string(c, v, p, "nodes", &nodes);
	if (r < 0)
		return r;
	memset(mp, 0, sizeof(*mp));
	mp->mode = nb_mempolicy_mode(mode);
	if (mp->mode < 0)
		return oci_fail(c, "linux.memoryPolicy.mode", "unknown mode '%.64s' (MPOL_DEFAULT, MPOL_BIND, "
				"MPOL_INTERLEAVE, MPOL_WEIGHTED_INTERLEAVE, MPOL_PREFERRED, "
				"MPOL_PREFERRED_MANY or MPOL_LOCAL)", mode);
	if (nodes && nb_mempolicy_parse_nodes(nodes, mp, &why) < 0)
		return oci_fail(c, "linux.memoryPolicy.nodes", "'%.64s': %s", nodes, why);
	r = mempolicy_flags(c, oci_get(v, "flags"), mp);
	if (r < 0)
		return r;
	if (nb_mempolicy_check(mp, &field, &why) < 0)
		return oci_fail(c, oci_key(sub, p, field), "%s", why);
	mp->set = true;
	return 0;
}

/* ---- netDevices ---- */

static int netdev_entry(struct oci_ctx *c, const char *host, const json_t *v, struct nb_netdev *d)
{
	char path[OCI_PATH_MAX], sub[OCI_PATH_MAX];
	const char *name = NULL, *why = NULL;
	int r;

	oci_key(path, "linux.netDevices", host);
	if (nb_netdev_name_check(host, false, &why) < 0)
		return oci_fail(c, "linux.netDevices", "'%.64s': %s", host, why);
	r = oci_check_object(c, v, path);
	if (r >= 0)
		r = oci_opt_string(c, v, path, "name", &name);
	if (r < 0)
		return r;
	/* An empty name keeps the host's, as runc. */
	if (name && *name && nb_netdev_name_check(name, true, &why) < 0)
		return oci_fail(c, oci_key(sub, path, "name"), "'%.64s': %s", name, why);
	strcpy(d->host, host);
	strcpy(d->name, name && *name ? name : host);
	return 0;
}

int oci_parse_net_devices(struct oci_ctx *c, const json_t *v)
{
	struct nb_oci_extras *x = &c->cfg->oci;
	const char *host;
	json_t *item;
	long clash;
	int r = oci_check_object(c, v, "linux.netDevices");

	if (r < 0)
		return r;
	x->netdevs = calloc(json_object_size(v) + 1, sizeof(*x->netdevs));
	if (!x->netdevs)
		return oci_oom(c);
	json_object_foreach((json_t *)v, host, item) {
		r = netdev_entry(c, host, item, &x->netdevs[x->n_netdevs]);
		if (r < 0)
			return r;
		x->n_netdevs++;
	}
	clash = nb_netdev_find_clash(x->netdevs, x->n_netdevs);
	if (clash >= 0)
		return oci_fail(c, "linux.netDevices", "'%s' and another device would both be '%s' in the "
				"container", x->netdevs[clash].host, x->netdevs[clash].name);
	/* The devices go into the container's own network namespace, never
	 * from the runtime's into itself. */
	if (x->n_netdevs && c->cfg->ns[NB_NS_NET].mode == NB_NS_SHARE)
		return oci_fail(c, "linux.netDevices", "needs the container's own network namespace "
				"(a network entry in linux.namespaces)");
	return 0;
}
