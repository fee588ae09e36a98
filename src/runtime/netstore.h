/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * netstore.h: what nsbox's networking records on the host, and its lock.
 *
 * Bridges, nftables rules and ip_forward belong to the host, not to one
 * state root (--root), so the records live in one directory of their own,
 * NB_NET_DIR (/run/nsbox-net; $NSBOX_NET_DIR for tests):
 *
 *   lock                        flock()ed by every change below
 *   networks/NAME.json          a network: its bridge and subnet
 *   leases/NAME/ADDR/           one sandbox on network NAME with address ADDR:
 *       lease.json              who holds it (see below), its veth, its
 *                               names, --nat and --publish
 *       hosts, hostname, resolv.conf   bind-mounted into the sandbox
 *   ip_forward                  the value nsbox found before it turned
 *                               ip_forward on (absent: nsbox did not)
 *
 * A lease is claimed by mkdir() of its directory with the lock held, and
 * lease.json is written before the lock is let go: a directory without
 * lease.json is what a killed nsbox left, and whoever holds the lock
 * removes it. A lease names its holder by pid and start time: first the
 * nsbox that made it, then (once it exists) the sandbox's first process.
 * A lease whose holder is gone is stale: nb_netstore_lease_alive() says so,
 * and runtime/network.h's prune (run by every bridged sandbox's start)
 * removes it and what it held.
 *
 * Files are written whole: a temporary, then rename().
 */
#ifndef NSBOX_RUNTIME_NETSTORE_H
#define NSBOX_RUNTIME_NETSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/error.h"
#include "spec/netaddr.h"
#include "spec/netspec.h"

#define NB_NET_DIR "/run/nsbox-net"
#define NB_NET_VETH_PREFIX "nsbv"    /* host ends: "nsbv" and 8 hex digits */

/* NB_NET_DIR, or $NSBOX_NET_DIR. */
const char *nb_net_dir(void);

struct nb_netstore {
	char dir[256];
	int dirfd;
	int lockfd;      /* held while open */
};

/* Open (creating, 0700) DIR and take its lock. */
int nb_netstore_lock(struct nb_netstore *ns, const char *dir, struct nb_error *err);
/* Open DIR if it exists (*RET_EXISTS) and take its lock. */
int nb_netstore_lock_existing(struct nb_netstore *ns, const char *dir, bool *ret_exists,
			      struct nb_error *err);
void nb_netstore_unlock(struct nb_netstore *ns);

struct nb_network {
	char name[NB_NET_NAME_MAX + 1];
	struct nb_cidr4 subnet;
	uint32_t gateway;
};

/* -ENOENT if there is no such network. */
int nb_netstore_network_load(struct nb_netstore *ns, const char *name, struct nb_network *ret,
			     struct nb_error *err);
int nb_netstore_network_save(struct nb_netstore *ns, const struct nb_network *net, struct nb_error *err);
int nb_netstore_network_remove(struct nb_netstore *ns, const char *name, struct nb_error *err);
/* Every network, malloc'd. */
int nb_netstore_networks(struct nb_netstore *ns, struct nb_network **ret, size_t *ret_n,
			 struct nb_error *err);

struct nb_lease {
	char network[NB_NET_NAME_MAX + 1];
	uint32_t addr;
	char veth[16];              /* "" until the sandbox has one */
	pid_t pid;                  /* the holder: nsbox, then the sandbox */
	uint64_t start_time;
	bool sandbox;               /* pid is the sandbox's first process */
	char hostname[65];
	char name[256];             /* --name or container id, or "" */
	bool nat;
	struct nb_publish publish[NB_NET_MAX_PUBLISH];
	size_t n_publish;
	bool half_made;             /* a directory without lease.json */
};

/* The holder of the lease still runs. */
bool nb_netstore_lease_alive(const struct nb_lease *l);
/* The lease directory, relative to the store ("leases/NAME/ADDR"). */
void nb_netstore_lease_path(const char *network, uint32_t addr, char *buf, size_t size);

/* Claim ADDR on NETWORK: mkdir its directory. -EEXIST if taken. */
int nb_netstore_lease_claim(struct nb_netstore *ns, const char *network, uint32_t addr,
			    struct nb_error *err);
/* Write lease.json (no lock needed for one's own lease: readers see the
 * old file or the new one). NS may be unlocked: only its dirfd is used. */
int nb_netstore_lease_save(struct nb_netstore *ns, const struct nb_lease *l, struct nb_error *err);
/* Remove the lease's directory and what it holds. */
int nb_netstore_lease_remove(struct nb_netstore *ns, const char *network, uint32_t addr,
			     struct nb_error *err);
/* Every lease of NETWORK (NULL: of every network), malloc'd. Half-made
 * ones are listed with half_made set. */
int nb_netstore_leases(struct nb_netstore *ns, const char *network, struct nb_lease **ret,
		       size_t *ret_n, struct nb_error *err);

/* Write NAME in the lease's directory (mode 0644), in place when it
 * exists (the sandbox's bind mount keeps its inode). */
int nb_netstore_lease_file(struct nb_netstore *ns, const char *network, uint32_t addr,
			   const char *name, const char *text, struct nb_error *err);

/* The saved ip_forward value: *RET is -1 if there is none. */
int nb_netstore_forward_saved(struct nb_netstore *ns, int *ret, struct nb_error *err);
int nb_netstore_forward_save(struct nb_netstore *ns, int value, struct nb_error *err);
int nb_netstore_forward_forget(struct nb_netstore *ns, struct nb_error *err);

/* JSON of a lease (for inspect), malloc'd. */
char *nb_netstore_lease_json(const struct nb_lease *l);

#endif
