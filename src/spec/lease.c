/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "spec/lease.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

uint32_t nb_lease_gateway(const struct nb_cidr4 *subnet)
{
	return subnet->addr + 1;
}

static bool is_taken(const uint32_t *taken, size_t n, uint32_t a)
{
	for (size_t i = 0; i < n; i++)
		if (taken[i] == a)
			return true;
	return false;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int nb_lease_pick(const struct nb_cidr4 *subnet, const char *network, const uint32_t *taken, size_t n,
		  uint32_t requested, uint32_t *ret, struct nb_error *err)
{
	uint32_t first, last, gw = nb_lease_gateway(subnet), *sorted, cand;
	char a[NB_IP4_STRLEN], s[NB_CIDR4_STRLEN];

	if (!nb_cidr4_host_range(subnet, &first, &last) || first >= last)
		return nb_error_set(err, ENOSPC, "network '%s': subnet %s has no room for sandboxes",
				    network, nb_cidr4_format(subnet, s));
	if (requested) {
		if (requested < first || requested > last)
			return nb_error_set(err, EADDRNOTAVAIL, "--ip %s: not a host address of network "
					    "'%s' (%s)", nb_ip4_format(requested, a), network,
					    nb_cidr4_format(subnet, s));
		if (requested == gw)
			return nb_error_set(err, EADDRNOTAVAIL, "--ip %s: the gateway of network '%s'",
					    nb_ip4_format(requested, a), network);
		if (is_taken(taken, n, requested))
			return nb_error_set(err, EADDRINUSE, "--ip %s: address in use on network '%s'",
					    nb_ip4_format(requested, a), network);
		*ret = requested;
		return 0;
	}
	/* The lowest free address: walk the sorted list once. */
	sorted = malloc((n ? n : 1) * sizeof(*sorted));
	if (!sorted)
		return nb_error_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		sorted[i] = taken[i];
	qsort(sorted, n, sizeof(*sorted), cmp_u32);
	cand = gw + 1;
	for (size_t i = 0; i < n && cand <= last; i++) {
		if (sorted[i] < cand)
			continue;
		if (sorted[i] > cand)
			break;
		cand++;
	}
	free(sorted);
	if (cand > last || cand < gw)
		return nb_error_set(err, ENOSPC, "network '%s': no free address in %s", network,
				    nb_cidr4_format(subnet, s));
	*ret = cand;
	return 0;
}
