/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * natscript.h: nsbox's nftables table, as the changes the NAT helper
 * (nsbox-nat, src/nat) makes in one transaction. Pure: the operations as
 * words on the helper's command line, and the nftables script they are.
 *
 * The table `inet nsbox` is a fixed set of chains whose rules look up
 * sets and maps; what belongs to one sandbox are elements of those, so a
 * sandbox's part is added and removed alone, without touching anyone
 * else's, and a table rebuilt from the leases (prune) is the same table:
 *
 *   set masq4        addresses whose traffic leaving through a non-nsbox
 *                    interface is masqueraded (--nat)
 *   map pub4_tcp, pub4_udp     HOST_PORT : ADDR . PORT, every host address
 *   map pub4a_tcp, pub4a_udp   HOST_ADDR . HOST_PORT : ADDR . PORT
 *   chain prerouting, output   DNAT of published ports (to a local address)
 *   chain postrouting          masquerade: --nat sources, and connections
 *                              from the host's 127.0.0.0/8 that DNAT sent
 *                              to a bridge (route_localnet on it)
 *   chain guard      a packet from a sandbox to 127.0.0.0/8 is dropped
 *                    (route_localnet must not open the host's loopback
 *                    services to sandboxes)
 *
 * nsbox's interfaces are told by their interface group, NB_NET_IFGROUP.
 *
 * Operations (one command-line word each):
 *   table                  (re)create the table, empty
 *   drop                   delete the table, if it exists
 *   +masq:ADDR  -masq:ADDR
 *   +tcp:HADDR:HPORT:ADDR:PORT  -tcp:...  +udp:...  -udp:...
 *                          (HADDR 0.0.0.0: every host address)
 */
#ifndef NSBOX_SPEC_NATSCRIPT_H
#define NSBOX_SPEC_NATSCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "spec/netspec.h"

#define NB_NAT_TABLE "nsbox"      /* family inet */
#define NB_NAT_OP_MAX 64          /* the longest word, with its NUL */

enum nb_nat_kind { NB_NAT_CREATE, NB_NAT_DROP, NB_NAT_MASQ, NB_NAT_PUBLISH };

struct nb_nat_op {
	enum nb_nat_kind kind;
	bool add;                 /* MASQ, PUBLISH: add (+) or delete (-) */
	uint32_t addr;            /* the sandbox's address */
	struct nb_publish pub;    /* PUBLISH */
};

int nb_nat_op_parse(const char *word, struct nb_nat_op *ret, struct nb_error *err);
/* Into BUF, NB_NAT_OP_MAX bytes. */
char *nb_nat_op_format(const struct nb_nat_op *op, char *buf);

/* The nftables script of OPS, in order, malloc'd; NULL if out of memory. */
char *nb_nat_script(const struct nb_nat_op *ops, size_t n);

#endif
