/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nat.h: nsbox's side of NAT and published ports: when to run the NAT
 * helper and with what, ip_forward, and route_localnet on a bridge.
 *
 * nftables has no static library nsbox could link (libnftables is shared
 * only; libnftnl needs libmnl, which has no static archive), so the rules
 * are made by a small helper, nsbox-nat (src/nat), linked dynamically with
 * libnftables and installed beside nsbox. Only a sandbox with --nat or
 * --publish starts it: every other sandbox pays nothing for nftables.
 *
 * The table (spec/natscript.h) exists while at least one live lease uses
 * it: the first such sandbox makes it, the last one's end drops it; in
 * between each adds and removes its own elements. A failed change is
 * retried as a rebuild of the whole table from the live leases, which is
 * also what prune does. All of it under the network store's lock.
 *
 * ip_forward is turned on by the first live lease that needs forwarding
 * (spec/netspec.h: --nat, or a port published on a non-loopback address),
 * its old value kept in the store, and restored when none is left.
 * route_localnet is set on a bridge while a sandbox on it publishes a port
 * (connections from the host to 127.0.0.1 are sent there), and cleared
 * after; the table's guard chain keeps sandboxes off the host's loopback.
 */
#ifndef NSBOX_RUNTIME_NAT_H
#define NSBOX_RUNTIME_NAT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "runtime/netstore.h"

#define NB_NAT_HELPER "nsbox-nat"

/* Where nsbox-nat is: $NSBOX_NAT_HELPER, else beside nsbox's binary, else
 * in the directory nsbox was installed to. */
int nb_nat_helper_path(char *buf, size_t size, struct nb_error *err);

/* Run nsbox-nat with the operation words OPS (spec/natscript.h). */
int nb_nat_run(char *const *ops, size_t n, struct nb_error *err);

/* Does the lease use the table / need ip_forward? */
bool nb_lease_uses_nat(const struct nb_lease *l);
bool nb_lease_needs_forwarding(const struct nb_lease *l);

/* SELF (with --nat or --publish) joins (ADD) or leaves: the table, its
 * elements, ip_forward and route_localnet, given OTHERS, the other live
 * leases. The store is locked. */
int nb_nat_update(struct nb_netstore *ns, const struct nb_lease *self, bool add,
		  const struct nb_lease *others, size_t n, struct nb_error *err);

/* Make the table, ip_forward and route_localnet match LIVE, the live
 * leases: a rebuild (or a drop when none uses the table). Locked. */
int nb_nat_reconcile(struct nb_netstore *ns, const struct nb_lease *live, size_t n, struct nb_error *err);

#endif
