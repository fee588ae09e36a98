/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/netattach.h"
#include "runtime/container.h"
#include "runtime/nat.h"
#include "runtime/network.h"
#include "runtime/state.h"
#include "base/cleanup.h"
#include "base/fileutil.h"
#include "linux/bridge.h"
#include "linux/ipconf.h"
#include "linux/veth.h"
#include "spec/lease.h"
#include "spec/netfiles.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#define RESOLV_MAX (1 << 20)

void nb_netattach_init(struct nb_netattach *na)
{
	memset(na, 0, sizeof(*na));
	nb_usernet_init(&na->usernet);
}

bool nb_netattach_wanted(const struct nb_config *cfg)
{
	enum nb_net_mode m = cfg->net.mode;

	return m == NB_NET_BRIDGE || m == NB_NET_PASTA || m == NB_NET_SLIRP;
}

/* ---- /etc files ---- */

/* Every live lease of the network gets a /etc/hosts naming the others. */
static void rewrite_hosts(struct nb_netstore *ns, const struct nb_network *net, const struct nb_lease *live,
			  size_t n)
{
	struct nb_hosts_entry *peers = calloc(n ? n : 1, sizeof(*peers));

	if (!peers)
		return;
	for (size_t i = 0; i < n; i++) {
		struct nb_hosts_entry self = { live[i].addr, { live[i].hostname, live[i].name } };
		size_t k = 0;
		char *text;
		struct nb_error ignored;

		for (size_t j = 0; j < n; j++)
			if (j != i)
				peers[k++] = (struct nb_hosts_entry){ live[j].addr, { live[j].hostname, live[j].name } };
		text = nb_hosts_render(&self, net->gateway, peers, k);
		if (text)
			nb_netstore_lease_file(ns, live[i].network, live[i].addr, "hosts", text, &ignored);
		free(text);
	}
	free(peers);
}

/* The live leases of NETWORK (SKIP left out), malloc'd. */
static int live_leases(struct nb_netstore *ns, const char *network, const struct nb_lease *skip,
		       struct nb_lease **ret, size_t *ret_n, struct nb_error *err)
{
	struct nb_lease *all = NULL;
	size_t n = 0, k = 0;
	int r = nb_netstore_leases(ns, network, &all, &n, err);

	*ret = all;
	*ret_n = 0;
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		if (skip && strcmp(all[i].network, skip->network) == 0 && all[i].addr == skip->addr)
			continue;
		if (nb_netstore_lease_alive(&all[i]))
			all[k++] = all[i];
	}
	*ret_n = k;
	return 0;
}

static int write_files(struct nb_netstore *ns, const struct nb_netattach *na, struct nb_error *err)
{
	_cleanup_free_ char *host = NULL, *resolv = NULL;
	char hostname[80];
	size_t len = 0, left = 0;
	int r;

	snprintf(hostname, sizeof(hostname), "%s\n", na->lease.hostname);
	r = nb_netstore_lease_file(ns, na->net.name, na->lease.addr, "hostname", hostname, err);
	if (r < 0)
		return r;
	/* The host's resolvers, but those only the host can reach. */
	if (nb_read_file_alloc_at(AT_FDCWD, "/etc/resolv.conf", RESOLV_MAX, &host, &len) < 0)
		host = NULL, len = 0;
	resolv = nb_resolv_filter(host ? host : "", len, &left);
	if (resolv && left == 0) {
		/* systemd-resolved's stub: the upstream servers are here. */
		_cleanup_free_ char *up = NULL;
		size_t up_len = 0, up_left = 0;

		if (nb_read_file_alloc_at(AT_FDCWD, "/run/systemd/resolve/resolv.conf", RESOLV_MAX, &up,
					  &up_len) >= 0) {
			char *alt = nb_resolv_filter(up, up_len, &up_left);

			if (alt && up_left) {
				free(resolv);
				resolv = alt;
			} else {
				free(alt);
			}
		}
	}
	if (!resolv)
		return nb_error_set(err, ENOMEM, "out of memory");
	return nb_netstore_lease_file(ns, na->net.name, na->lease.addr, "resolv.conf", resolv, err);
}

/* Bind the lease's files on the sandbox's /etc, unless a --bind of the
 * user's already goes there. */
static int add_mounts(const struct nb_netattach *na, struct nb_config *cfg, struct nb_error *err)
{
	static const char *const files[] = { "hosts", "hostname", "resolv.conf" };

	if (cfg->ns[NB_NS_MNT].mode != NB_NS_NEW)
		return 0;
	for (size_t i = 0; i < NB_ARRAY_SIZE(files); i++) {
		char src[512], dst[64], rel[160];
		struct nb_mount m = { .kind = NB_MOUNT_BIND, .flags = NB_MNT_NOSUID | NB_MNT_NODEV | NB_MNT_NOEXEC };
		bool taken = false;
		int r;

		snprintf(dst, sizeof(dst), "/etc/%s", files[i]);
		for (size_t k = 0; k < cfg->n_mounts; k++)
			taken |= strcmp(cfg->mounts[k].dest, dst) == 0;
		if (taken)
			continue;
		nb_netstore_lease_path(na->net.name, na->lease.addr, rel, sizeof(rel));
		snprintf(src, sizeof(src), "%s/%s/%s", na->dir, rel, files[i]);
		m.source = src;
		m.dest = dst;
		r = nb_config_add_mount(cfg, &m, err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- checks of --publish ---- */

static int host_port_free(const struct nb_publish *p, struct nb_error *err)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(p->host_port),
				  .sin_addr.s_addr = htonl(p->host_addr) };
	_cleanup_close_ int fd = socket(AF_INET, (p->proto == NB_PROTO_UDP ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
	char text[48];

	if (fd < 0)
		return nb_error_errno(err, "--publish: socket");
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return 0;
	if (errno == EADDRINUSE)
		return nb_error_set(err, EADDRINUSE, "--publish '%s': the host port is in use",
				    nb_publish_format(p, text, sizeof(text)));
	if (errno == EADDRNOTAVAIL)
		return nb_error_set(err, EADDRNOTAVAIL, "--publish '%s': not an address of this host",
				    nb_publish_format(p, text, sizeof(text)));
	return nb_error_errno(err, "--publish '%s'", nb_publish_format(p, text, sizeof(text)));
}

static int check_publish(struct nb_netstore *ns, const struct nb_net_spec *spec, struct nb_error *err)
{
	struct nb_lease *all = NULL;
	size_t n = 0;
	char a[48], b[NB_IP4_STRLEN];
	int r = spec->n_publish ? live_leases(ns, NULL, NULL, &all, &n, err) : 0;

	for (size_t i = 0; r >= 0 && i < spec->n_publish; i++) {
		for (size_t k = 0; r >= 0 && k < n; k++)
			for (size_t j = 0; r >= 0 && j < all[k].n_publish; j++)
				if (nb_publish_clash(&spec->publish[i], &all[k].publish[j]))
					r = nb_error_set(err, EADDRINUSE, "--publish '%s': the host port is "
							 "already published by the sandbox %s on network '%s'",
							 nb_publish_format(&spec->publish[i], a, sizeof(a)),
							 nb_ip4_format(all[k].addr, b), all[k].network);
		if (r >= 0)
			r = host_port_free(&spec->publish[i], err);
	}
	free(all);
	return r;
}

/* ---- prepare ---- */

static int prepare_bridge(struct nb_netattach *na, struct nb_config *cfg, struct nb_netstore *ns,
			  struct nb_error *err)
{
	const struct nb_net_spec *spec = na->spec;
	struct nb_rtnl rt = { 0 };
	struct nb_lease *live = NULL;
	uint32_t *taken = NULL;
	size_t n = 0;
	bool is_new = false, made = false;
	char state;
	int r = nb_network_prune_locked(ns, false, NULL, err);

	if (r >= 0)
		r = nb_rtnl_open(&rt, -1, err);
	if (r >= 0)
		r = nb_network_find(ns, &rt, spec->network, spec->has_subnet ? &spec->subnet : NULL, &na->net,
				    &is_new, err);
	if (r >= 0)
		r = live_leases(ns, na->net.name, NULL, &live, &n, err);
	if (r >= 0 && !(taken = malloc((n ? n : 1) * sizeof(*taken))))
		r = nb_error_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; r >= 0 && i < n; i++)
		taken[i] = live[i].addr;
	if (r >= 0)
		r = nb_lease_pick(&na->net.subnet, na->net.name, taken, n, spec->ip, &na->lease.addr, err);
	if (r >= 0)
		r = check_publish(ns, spec, err);
	/* Everything checked: now make things. */
	if (r >= 0)
		r = nb_network_make(ns, &rt, &na->net, is_new, &na->bridge_ifindex, err);
	made = r >= 0 && is_new;
	if (r >= 0)
		r = nb_netstore_lease_claim(ns, na->net.name, na->lease.addr, err);
	if (r >= 0) {
		struct nb_lease *l = &na->lease;

		na->leased = true;
		snprintf(l->network, sizeof(l->network), "%s", na->net.name);
		l->pid = getpid();
		if (nb_proc_start_time(l->pid, &l->start_time, &state) < 0)
			r = nb_error_set(err, ESRCH, "start time of nsbox");
		snprintf(l->hostname, sizeof(l->hostname), "%s", cfg->hostname ? cfg->hostname : "");
		snprintf(l->name, sizeof(l->name), "%s", spec->name ? spec->name : "");
		l->nat = spec->nat;
		memcpy(l->publish, spec->publish, sizeof(l->publish));
		l->n_publish = spec->n_publish;
	}
	if (r >= 0)
		r = nb_netstore_lease_save(ns, &na->lease, err);
	if (r >= 0)
		r = write_files(ns, na, err);
	if (r >= 0) {
		struct nb_lease *grown = realloc(live, (n + 1) * sizeof(*live));

		if (!grown) {
			r = nb_error_set(err, ENOMEM, "out of memory");
		} else {
			live = grown;
			live[n] = na->lease;
			rewrite_hosts(ns, &na->net, live, n + 1);
		}
	}
	if (r >= 0)
		r = add_mounts(na, cfg, err);
	if (r < 0) {
		struct nb_error ignored;

		if (na->leased)
			nb_netstore_lease_remove(ns, na->net.name, na->lease.addr, &ignored);
		na->leased = false;
		if (made && rt.sk) {
			nb_link_delete(&rt, na->net.name, &ignored);
			nb_netstore_network_remove(ns, na->net.name, &ignored);
		}
	}
	nb_rtnl_close(&rt);
	free(taken);
	free(live);
	return r;
}

int nb_netattach_prepare(struct nb_netattach *na, struct nb_config *cfg, struct nb_error *err)
{
	struct nb_netstore ns;
	int r;

	na->spec = &cfg->net;
	na->usernet.detached = na->detached;
	if (cfg->net.mode == NB_NET_PASTA || cfg->net.mode == NB_NET_SLIRP)
		return nb_usernet_prepare(&na->usernet, &cfg->net, err);
	if (cfg->net.mode != NB_NET_BRIDGE)
		return 0;
	snprintf(na->dir, sizeof(na->dir), "%s", nb_net_dir());
	r = nb_netstore_lock(&ns, na->dir, err);
	if (r < 0)
		return nb_error_prefix(err, "--net bridge");
	r = prepare_bridge(na, cfg, &ns, err);
	nb_netstore_unlock(&ns);
	if (r < 0)
		nb_error_prefix(err, "--net bridge:%s", cfg->net.network);
	return r;
}

/* ---- attach ---- */

static int make_veth(struct nb_netattach *na, struct nb_netstore *ns, int netns, struct nb_error *err)
{
	struct nb_rtnl host = { 0 }, inside = { 0 };
	int bridge = na->bridge_ifindex, eth0 = 0, r;

	r = nb_rtnl_open(&host, -1, err);
	for (int tries = 0; r >= 0 && tries < 4; tries++) {
		uint32_t rnd = 0;
		struct nb_veth v = { .host_name = na->lease.veth, .master = bridge, .group = NB_NET_IFGROUP,
				     .peer_name = "eth0", .peer_netns_fd = netns };

		(void)!getrandom(&rnd, sizeof(rnd), 0);
		snprintf(na->lease.veth, sizeof(na->lease.veth), NB_NET_VETH_PREFIX "%08x", rnd);
		/* Named in the lease before it exists: a prune finds it. */
		r = nb_netstore_lease_save(ns, &na->lease, err);
		if (r >= 0)
			r = nb_veth_create(&host, &v, err);
		if (r != -EEXIST)
			break;
	}
	if (r >= 0)
		r = nb_rtnl_open(&inside, netns, err);
	if (r >= 0)
		r = nb_ipconf_ifindex(&inside, "eth0", &eth0, err);
	if (r >= 0)
		r = nb_ipconf_link_up(&inside, eth0, err);
	if (r >= 0)
		r = nb_ipconf_addr_add(&inside, eth0, na->lease.addr, na->net.subnet.prefix, false, err);
	if (r >= 0)
		r = nb_ipconf_default_route(&inside, eth0, na->net.gateway, err);
	nb_rtnl_close(&inside);
	nb_rtnl_close(&host);
	return r;
}

static int attach_bridge(struct nb_netattach *na, pid_t pid, int netns, struct nb_error *err)
{
	struct nb_lease *others = NULL;
	struct nb_netstore ns;
	size_t n = 0;
	char state;
	int r;

	r = nb_netstore_lock(&ns, na->dir, err);
	if (r < 0)
		return r;
	/* From now on the lease is the sandbox's. */
	na->lease.pid = pid;
	na->lease.sandbox = true;
	if (nb_proc_start_time(pid, &na->lease.start_time, &state) < 0)
		r = nb_error_set(err, ESRCH, "the sandbox's process is gone");
	if (r >= 0)
		r = make_veth(na, &ns, netns, err);
	if (r >= 0 && nb_lease_uses_nat(&na->lease)) {
		r = live_leases(&ns, NULL, &na->lease, &others, &n, err);
		if (r >= 0)
			r = nb_nat_update(&ns, &na->lease, true, others, n, err);
		na->nat_added = r >= 0;
		if (r < 0 && n == 0) {
			/* Leave no table or ip_forward half done behind. */
			struct nb_error ignored;

			nb_nat_update(&ns, &na->lease, false, others, n, &ignored);
		}
	}
	free(others);
	nb_netstore_unlock(&ns);
	return r;
}

int nb_netattach_attach(struct nb_netattach *na, pid_t pid, int netns, int userns, struct nb_error *err)
{
	int r;

	if (!na->spec)
		return 0;
	if (na->spec->mode == NB_NET_PASTA || na->spec->mode == NB_NET_SLIRP)
		return nb_usernet_start(&na->usernet, na->spec, netns, userns, err);
	if (na->spec->mode != NB_NET_BRIDGE || !na->leased)
		return 0;
	r = attach_bridge(na, pid, netns, err);
	if (r < 0)
		nb_error_prefix(err, "--net bridge:%s", na->net.name);
	return r;
}

/* ---- release ---- */

static void release_locked(struct nb_netattach *na, struct nb_netstore *ns)
{
	struct nb_lease *others = NULL;
	struct nb_error ignored;
	size_t n = 0;

	if (na->nat_added && live_leases(ns, NULL, &na->lease, &others, &n, &ignored) >= 0)
		nb_nat_update(ns, &na->lease, false, others, n, &ignored);
	na->nat_added = false;
	free(others);
	nb_netstore_lease_remove(ns, na->net.name, na->lease.addr, &ignored);
	na->leased = false;
	if (live_leases(ns, na->net.name, NULL, &others, &n, &ignored) >= 0)
		rewrite_hosts(ns, &na->net, others, n);
	free(others);
}

void nb_netattach_release(struct nb_netattach *na)
{
	struct nb_netstore ns;
	struct nb_error ignored;

	nb_usernet_stop(&na->usernet);
	if (!na->leased)
		return;
	if (nb_netstore_lock(&ns, na->dir, &ignored) < 0)
		return;
	release_locked(na, &ns);
	nb_netstore_unlock(&ns);
}

void nb_netattach_release_holder(pid_t pid, uint64_t start)
{
	struct nb_netstore ns;
	struct nb_error ignored;
	bool exists = false;

	(void)pid;
	(void)start;
	/* It is gone: a prune releases its lease with the other stale ones. */
	if (nb_netstore_lock_existing(&ns, nb_net_dir(), &exists, &ignored) < 0 || !exists)
		return;
	nb_network_prune_locked(&ns, false, NULL, &ignored);
	nb_netstore_unlock(&ns);
}

int nb_netattach_container_netns(const char *root, const char *id, char *buf, size_t size,
				 struct nb_error *err)
{
	struct nb_state_handle h = { -1, -1 };
	struct nb_state st = { 0 };
	_cleanup_close_ int rootfd = -1, pidfd = -1;
	pid_t pid = 0;
	int r = nb_container_open(root, id, false, &rootfd, &h, &st, err);

	if (r >= 0 && nb_state_ns_pidfd(&st, &pidfd, &pid) < 0)
		r = nb_error_set(err, ESRCH, "container '%s' is not running", id);
	if (r >= 0)
		snprintf(buf, size, "/proc/%d/ns/net", (int)pid);
	nb_state_free(&st);
	nb_state_handle_close(&h);
	if (r < 0)
		nb_error_prefix(err, "--net container:%s", id);
	return r;
}
