/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * netspec.h: the network part of a sandbox's plan (`nsbox run --net MODE`,
 * --publish, --subnet, --ip, --nat; an OCI container's annotations).
 *
 * Pure: parsing and checks, no system call. The mode also sets the plan's
 * net namespace (config.h): none, bridge, pasta and slirp4netns make a new
 * one; host keeps the caller's; ns:PATH, netns:NAME and container:ID join
 * one (container:ID by a path that the caller finds at run time).
 *
 * Modes and their words (nsbox-run(1)):
 *   none              a new namespace with lo up only (the default)
 *   host              the caller's namespace (--share net)
 *   ns:PATH           the namespace file PATH (--join net:PATH)
 *   netns:NAME        /run/netns/NAME, as `ip netns` names them (--netns)
 *   container:ID      the namespace of a running container or named sandbox
 *   bridge[:NAME]     a veth pair to the bridge NAME (default nsbox0), an
 *                     address from its subnet, a default route through it
 *   pasta, slirp4netns   user-mode networking for rootless sandboxes
 */
#ifndef NSBOX_SPEC_NETSPEC_H
#define NSBOX_SPEC_NETSPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/error.h"
#include "base/strutil.h"
#include "spec/netaddr.h"

#define NB_NET_DEFAULT_BRIDGE "nsbox0"
#define NB_NET_NAME_MAX 15        /* IFNAMSIZ - 1: the bridge is named so */
/* The interface group of nsbox's bridges and host-side veth ends: the
 * nftables rules tell nsbox's interfaces by it ("oifgroup"). */
#define NB_NET_IFGROUP 0x6e7362u  /* "nsb" */
#define NB_NET_MAX_PUBLISH 64

enum nb_net_mode {
	NB_NET_UNSET = 0,   /* no --net: the namespace options decide (new: none) */
	NB_NET_NONE,
	NB_NET_HOST,
	NB_NET_NS,
	NB_NET_NETNS,
	NB_NET_CONTAINER,
	NB_NET_BRIDGE,
	NB_NET_PASTA,
	NB_NET_SLIRP,
};

const char *nb_net_mode_name(enum nb_net_mode mode);

enum nb_proto { NB_PROTO_TCP = 6, NB_PROTO_UDP = 17 };

/* One -p/--publish [HOST_ADDR:]HOST_PORT:PORT[/tcp|/udp]. */
struct nb_publish {
	enum nb_proto proto;
	uint32_t host_addr;     /* 0: every host address */
	uint16_t host_port;
	uint16_t port;          /* in the sandbox */
};

struct nb_net_spec {
	enum nb_net_mode mode;
	char *network;          /* bridge: the network's name (NULL: nsbox0) */
	char *container;        /* container:ID */
	bool has_subnet;        /* --subnet */
	struct nb_cidr4 subnet;
	uint32_t ip;            /* --ip, or 0 */
	bool nat;               /* --nat: masquerade the sandbox's traffic */
	struct nb_publish publish[NB_NET_MAX_PUBLISH];
	size_t n_publish;
	char *name;             /* a name for /etc/hosts besides the hostname
	                         * (the sandbox's --name or container id), or NULL */
};

void nb_net_spec_free(struct nb_net_spec *net);

/* --net MODE into NET (mode, network, container). The namespace part is
 * the caller's: nb_net_ns_path(). */
int nb_net_parse_mode(const char *arg, struct nb_net_spec *net, struct nb_error *err);
/* The namespace file a joining mode names ("/run/netns/NAME", PATH), into
 * BUF; "" for container:ID (found at run time) and the other modes. */
int nb_net_ns_path(const char *arg, const struct nb_net_spec *net, char *buf, size_t size,
		   struct nb_error *err);
/* Does MODE make a new net namespace? */
bool nb_net_mode_new_ns(enum nb_net_mode mode);

/* [HOST_ADDR:]HOST_PORT:PORT[/tcp|/udp]. */
int nb_publish_parse(const char *text, struct nb_publish *ret, struct nb_error *err);
/* "127.0.0.1:8080:80/tcp" (no address for every address); SIZE >= 40. */
char *nb_publish_format(const struct nb_publish *p, char *buf, size_t size);
/* Do A and B ask for the same host port (same protocol, an address in common)? */
bool nb_publish_clash(const struct nb_publish *a, const struct nb_publish *b);
int nb_net_add_publish(struct nb_net_spec *net, const char *text, struct nb_error *err);

/* A network (bridge) name: 1 to 15 characters of [A-Za-z0-9_.-], not
 * starting with '-', not "." or "..". WHAT names the option. */
int nb_net_name_check(const char *name, const char *what, struct nb_error *err);

/* The options that only some modes take, and the rules between them:
 * --subnet, --ip and --nat need bridge; --publish needs bridge, pasta or
 * slirp4netns; --ip inside --subnet; bridge needs root (EUID 0). */
int nb_net_check(const struct nb_net_spec *net, uid_t euid, struct nb_error *err);

/* Is the sandbox a user of nsbox's nftables table (NAT or a published port)? */
bool nb_net_needs_nat_helper(const struct nb_net_spec *net);
/* Does it need ip_forward (NAT, or a port published on an address other
 * than a loopback one: reached from other hosts)? */
bool nb_net_needs_forwarding(const struct nb_net_spec *net);

/* OCI: the annotations that ask for a bridge (docs/oci-support.md):
 *   io.github.nsbox.network          none | bridge | bridge:NAME
 *   io.github.nsbox.network.subnet   CIDR (a network made on first use)
 *   io.github.nsbox.network.ip       ADDR
 *   io.github.nsbox.network.publish  SPEC[,SPEC...]
 *   io.github.nsbox.network.nat      true | false
 * ANNOTATIONS holds "key=value" items. NEW_NETNS: the config gives the
 * container a new net namespace (a bridge needs one). No annotation: NET
 * stays unset. */
#define NB_NET_ANNOTATION "io.github.nsbox.network"
int nb_net_from_annotations(const struct nb_strv *annotations, bool new_netns, uid_t euid,
			    struct nb_net_spec *net, struct nb_error *err);

#endif
