/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/netdev.h"
#include "base/cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netlink/cache.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>

/* A dump the kernel interrupted (NLM_F_DUMP_INTR: the list changed
 * meanwhile) is asked for again, a few times. */
#define DUMP_TRIES 5

/* libnl's NLE_* code as an errno, for the message and the record. */
static int nl_errno(int nle)
{
	switch (nle < 0 ? -nle : nle) {
	case NLE_NOMEM: return ENOMEM;
	case NLE_EXIST: return EEXIST;
	case NLE_INVAL: return EINVAL;
	case NLE_RANGE: return ERANGE;
	case NLE_OPNOTSUPP: return EOPNOTSUPP;
	case NLE_AF_NOSUPPORT: return EAFNOSUPPORT;
	case NLE_OBJ_NOTFOUND: case NLE_NODEV: return ENODEV;
	case NLE_NOADDR: return EADDRNOTAVAIL;
	case NLE_BUSY: return EBUSY;
	case NLE_NOACCESS: return EACCES;
	case NLE_PERM: return EPERM;
	case NLE_AGAIN: case NLE_DUMP_INTR: return EAGAIN;
	case NLE_INTR: return EINTR;
	default: return EIO;
	}
}

static int nl_fail(struct nb_error *err, int nle, const char *dev, const char *what)
{
	return nb_error_sys(err, nl_errno(nle), "linux.netDevices: device '%s': %s", dev, what);
}

static void free_sock(struct nl_sock **sk)
{
	if (*sk)
		nl_socket_free(*sk);
	*sk = NULL;
}

/* A route netlink socket in the network namespace NETNS_FD: enter it for
 * the socket() alone, then come back to SELF_NS. */
static int ns_socket(int netns_fd, int self_ns, struct nl_sock **ret, struct nb_error *err)
{
	struct nl_sock *sk = nl_socket_alloc();
	int r;

	if (!sk)
		return nb_error_set(err, ENOMEM, "out of memory");
	if (setns(netns_fd, CLONE_NEWNET) < 0) {
		nl_socket_free(sk);
		return nb_error_errno(err, "linux.netDevices: enter the container's network namespace");
	}
	r = nl_connect(sk, NETLINK_ROUTE);
	if (setns(self_ns, CLONE_NEWNET) < 0) {
		nl_socket_free(sk);
		return nb_error_errno(err, "linux.netDevices: return to the runtime's network namespace");
	}
	if (r < 0) {
		nl_socket_free(sk);
		return nb_error_sys(err, nl_errno(r), "linux.netDevices: netlink socket in the "
					   "container's network namespace");
	}
	*ret = sk;
	return 0;
}

static int dump_links(struct nl_sock *sk, struct nl_cache **ret)
{
	int r = -NLE_DUMP_INTR;

	for (int i = 0; i < DUMP_TRIES && r == -NLE_DUMP_INTR; i++)
		r = rtnl_link_alloc_cache(sk, AF_UNSPEC, ret);
	return r;
}

static int dump_addrs(struct nl_sock *sk, struct nl_cache **ret)
{
	int r = -NLE_DUMP_INTR;

	for (int i = 0; i < DUMP_TRIES && r == -NLE_DUMP_INTR; i++)
		r = rtnl_addr_alloc_cache(sk, ret);
	return r;
}

/* The addresses to carry over: the device's permanent ones of global
 * scope (the runtime spec, RFC 3549 2.3.3.2), as new objects in *RET
 * (*RET_N of them; free with free_addrs()). */
struct addrs {
	struct rtnl_addr **a;
	size_t n;
};

static void free_addrs(struct addrs *as)
{
	for (size_t i = 0; i < as->n; i++)
		rtnl_addr_put(as->a[i]);
	free(as->a);
	as->a = NULL;
	as->n = 0;
}

static int copy_addr(struct rtnl_addr *from, struct addrs *as)
{
	struct rtnl_addr *to = rtnl_addr_alloc();
	struct nl_addr *local = rtnl_addr_get_local(from), *brd = rtnl_addr_get_broadcast(from);
	struct rtnl_addr **grown;

	if (!to)
		return -ENOMEM;
	/* The address and its prefix (and an IPv4 broadcast), as runc: no
	 * label (it holds the device's old name) and no lifetimes. */
	if (!local || rtnl_addr_set_local(to, local) < 0 || (brd && rtnl_addr_set_broadcast(to, brd) < 0)) {
		rtnl_addr_put(to);
		return -ENOMEM;
	}
	rtnl_addr_set_prefixlen(to, rtnl_addr_get_prefixlen(from));
	grown = realloc(as->a, (as->n + 1) * sizeof(*as->a));
	if (!grown) {
		rtnl_addr_put(to);
		return -ENOMEM;
	}
	as->a = grown;
	as->a[as->n++] = to;
	return 0;
}

static int save_addrs(struct nl_sock *host, int ifindex, const char *dev, struct addrs *as,
		      struct nb_error *err)
{
	struct nl_cache *cache = NULL;
	int r = dump_addrs(host, &cache);

	if (r < 0)
		return nl_fail(err, r, dev, "list its addresses");
	for (struct nl_object *o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_addr *a = (struct rtnl_addr *)o;

		if (rtnl_addr_get_ifindex(a) != ifindex || !(rtnl_addr_get_flags(a) & IFA_F_PERMANENT) ||
		    rtnl_addr_get_scope(a) != RT_SCOPE_UNIVERSE)
			continue;
		if (copy_addr(a, as) < 0) {
			nl_cache_free(cache);
			return nb_error_set(err, ENOMEM, "out of memory");
		}
	}
	nl_cache_free(cache);
	return 0;
}

static int set_up(struct nl_sock *sk, struct rtnl_link *link, bool up)
{
	struct rtnl_link *change = rtnl_link_alloc();
	int r;

	if (!change)
		return -NLE_NOMEM;
	if (up)
		rtnl_link_set_flags(change, IFF_UP);
	else
		rtnl_link_unset_flags(change, IFF_UP);
	r = rtnl_link_change(sk, link, change, 0);
	rtnl_link_put(change);
	return r;
}

/* Is IFINDEX in the link dump BEFORE? */
static bool had_index(struct nl_cache *before, int ifindex)
{
	for (struct nl_object *o = nl_cache_get_first(before); o; o = nl_cache_get_next(o))
		if (rtnl_link_get_ifindex((struct rtnl_link *)o) == ifindex)
			return true;
	return false;
}

/* The moved device in the container's namespace: by its name, or for a
 * "%d" template (the kernel chose the number) the one link that was not
 * there before the move. */
static int find_moved(struct nl_sock *ns, const struct nb_netdev *d, struct nl_cache *before,
		      struct rtnl_link **ret, struct nb_error *err)
{
	struct nl_cache *after = NULL;
	int r;

	if (!before) {
		r = rtnl_link_get_kernel(ns, 0, d->name, ret);
		return r < 0 ? nl_fail(err, r, d->host, "find it in the container's network namespace") : 0;
	}
	r = dump_links(ns, &after);
	if (r < 0)
		return nl_fail(err, r, d->host, "list the container's devices");
	*ret = NULL;
	for (struct nl_object *o = nl_cache_get_first(after); o && !*ret; o = nl_cache_get_next(o)) {
		if (!had_index(before, rtnl_link_get_ifindex((struct rtnl_link *)o))) {
			nl_object_get(o);
			*ret = (struct rtnl_link *)o;
		}
	}
	nl_cache_free(after);
	if (!*ret)
		return nb_error_set(err, ENODEV, "linux.netDevices: device '%s': not found in the container's "
				    "network namespace after the move", d->host);
	return 0;
}

static int move_one(struct nl_sock *host, struct nl_sock *ns, int netns_fd, const struct nb_netdev *d,
		    struct nb_error *err)
{
	struct rtnl_link *link = NULL, *change = NULL, *moved = NULL;
	struct nl_cache *before = NULL;
	struct addrs as = { 0 };
	bool was_up, gone = false;
	int r;

	r = rtnl_link_get_kernel(host, 0, d->host, &link);
	if (r < 0)
		return nl_fail(err, r, d->host, "not found in the runtime's network namespace");
	was_up = rtnl_link_get_flags(link) & IFF_UP;
	/* The spec's error for a name taken inside, before anything changes
	 * (the kernel would move the device first and refuse the rename after). */
	if (!nb_netdev_is_template(d->name) && rtnl_link_get_kernel(ns, 0, d->name, &moved) >= 0) {
		r = nb_error_set(err, EEXIST, "linux.netDevices: device '%s': the container's network namespace "
				 "has a device '%s' already", d->host, d->name);
		goto out;
	}
	/* Its addresses before it goes down: a device that goes down loses
	 * its IPv6 addresses (unless the keep_addr_on_down sysctl says not). */
	r = save_addrs(host, rtnl_link_get_ifindex(link), d->host, &as, err);
	if (r >= 0 && nb_netdev_is_template(d->name) && (r = dump_links(ns, &before)) < 0)
		nl_fail(err, r, d->host, "list the container's devices");
	if (r < 0)
		goto out;
	/* Down, as runc: nothing on the host keeps using it meanwhile. */
	r = set_up(host, link, false);
	if (r < 0) {
		nl_fail(err, r, d->host, "set it down");
		goto out;
	}
	/* Move and rename in one request: no moment with a name that may
	 * clash on either side. */
	change = rtnl_link_alloc();
	if (!change) {
		r = nb_error_set(err, ENOMEM, "out of memory");
		goto out;
	}
	rtnl_link_set_ns_fd(change, netns_fd);
	if (strcmp(d->name, d->host) != 0)
		rtnl_link_set_name(change, d->name);
	r = rtnl_link_change(host, link, change, 0);
	if (r < 0) {
		nl_fail(err, r, d->host, strcmp(d->name, d->host) ? "move it into the container's network "
			"namespace and rename it" : "move it into the container's network namespace");
		goto out;
	}
	gone = true;
	r = find_moved(ns, d, before, &moved, err);
	for (size_t i = 0; r >= 0 && i < as.n; i++) {
		rtnl_addr_set_ifindex(as.a[i], rtnl_link_get_ifindex(moved));
		r = rtnl_addr_add(ns, as.a[i], 0);
		if (r < 0)
			nl_fail(err, r, d->host, "add its address again in the container's network namespace");
	}
	if (r >= 0 && (r = set_up(ns, moved, true)) < 0)
		nl_fail(err, r, d->host, "set it up in the container's network namespace");
out:
	/* Still ours: as it was. */
	if (r < 0 && !gone && was_up)
		set_up(host, link, true);
	free_addrs(&as);
	if (before)
		nl_cache_free(before);
	if (change)
		rtnl_link_put(change);
	if (moved)
		rtnl_link_put(moved);
	rtnl_link_put(link);
	return r < 0 ? -err->code : 0;
}

int nb_netdev_move(const struct nb_netdev *devs, size_t n, int netns_fd, struct nb_error *err)
{
	_cleanup_close_ int self_ns = -1;
	struct nl_sock *host = NULL, *ns = NULL;
	struct stat a, b;
	int r;

	if (n == 0)
		return 0;
	self_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self_ns < 0 || fstat(self_ns, &a) < 0 || fstat(netns_fd, &b) < 0)
		return nb_error_errno(err, "linux.netDevices: network namespaces");
	if (a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return nb_error_set(err, EINVAL, "linux.netDevices: the container's network namespace is "
				    "the runtime's own");
	host = nl_socket_alloc();
	if (!host)
		return nb_error_set(err, ENOMEM, "out of memory");
	r = nl_connect(host, NETLINK_ROUTE);
	if (r < 0)
		r = nb_error_sys(err, nl_errno(r), "linux.netDevices: netlink socket");
	else
		r = ns_socket(netns_fd, self_ns, &ns, err);
	for (size_t i = 0; r >= 0 && i < n; i++)
		r = move_one(host, ns, netns_fd, &devs[i], err);
	free_sock(&ns);
	free_sock(&host);
	return r;
}
