/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * netattach.h: one sandbox's network, from its plan's --net (spec/
 * netspec.h) to the end: what nsbox does around the sandbox's spawn.
 *
 *   prepare   (before the spawn; the plan may still change) bridge: under
 *             the store's lock, prune leftovers, find or plan the network,
 *             choose the address (--ip), check --publish against other
 *             sandboxes and the host's sockets, and only then make the
 *             network (record and bridge) if new, claim the lease, write
 *             hosts, hostname and resolv.conf and add their bind mounts
 *             to the plan; the other sandboxes' /etc/hosts learn its name.
 *             Any failure leaves nothing: bad input is refused before
 *             anything is made. pasta, slirp4netns: find the program.
 *   attach    (the sandbox's first process exists and waits for GO; from
 *             runtime/sandbox.c) bridge: the lease names the sandbox's
 *             process, the veth pair is made (eth0 inside), eth0 gets its
 *             address and default route; with --nat or --publish the NAT
 *             helper runs (runtime/nat.h). pasta, slirp4netns: started on
 *             the sandbox's namespace (runtime/usernet.h).
 *   release   (after the end, not for a detached sandbox) the NAT part,
 *             the lease and its files, the peers' /etc/hosts; the veth
 *             goes with the sandbox's namespace. A detached sandbox's
 *             lease goes when `nsbox delete` calls
 *             nb_netattach_release_holder(), or at the next prune.
 */
#ifndef NSBOX_RUNTIME_NETATTACH_H
#define NSBOX_RUNTIME_NETATTACH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/error.h"
#include "runtime/netstore.h"
#include "runtime/usernet.h"
#include "spec/config.h"

struct nb_netattach {
	const struct nb_net_spec *spec;   /* the plan's (cfg->net) */
	char dir[256];                    /* the store (runtime/netstore.h) */
	struct nb_network net;
	int bridge_ifindex;               /* of net's bridge, found by prepare */
	struct nb_lease lease;
	bool leased;                      /* the lease is ours to release */
	bool nat_added;                   /* our part of the NAT table is in */
	bool detached;                    /* set by the caller: the sandbox outlives nsbox */
	struct nb_usernet usernet;        /* pasta or slirp4netns */
};

void nb_netattach_init(struct nb_netattach *na);
/* Does CFG's network need nsbox to do anything around the spawn? */
bool nb_netattach_wanted(const struct nb_config *cfg);

int nb_netattach_prepare(struct nb_netattach *na, struct nb_config *cfg, struct nb_error *err);
/* PID: the sandbox's first process (not yet released); NETNS, USERNS: its
 * namespaces, as the child sent them (USERNS -1 without its own). */
int nb_netattach_attach(struct nb_netattach *na, pid_t pid, int netns, int userns, struct nb_error *err);
/* Idempotent; never fails (what it cannot remove, prune will). */
void nb_netattach_release(struct nb_netattach *na);

/* --net container:ID: the path of the net namespace of the running
 * container or named sandbox ID under the state root ROOT, into BUF. */
int nb_netattach_container_netns(const char *root, const char *id, char *buf, size_t size,
				 struct nb_error *err);

/* A detached sandbox or container that was PID (started at START) has
 * ended: release what its lease held. */
void nb_netattach_release_holder(pid_t pid, uint64_t start);

#endif
