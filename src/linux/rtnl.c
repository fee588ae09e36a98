/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/rtnl.h"
#include "base/cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

int nb_rtnl_errno(int nlerr)
{
	static const struct { int nle, e; } map[] = {
		{ NLE_EXIST, EEXIST }, { NLE_NOMEM, ENOMEM }, { NLE_PERM, EPERM },
		{ NLE_NODEV, ENODEV }, { NLE_OBJ_NOTFOUND, ENOENT }, { NLE_INVAL, EINVAL },
		{ NLE_BUSY, EBUSY }, { NLE_NOADDR, EADDRNOTAVAIL }, { NLE_AGAIN, EAGAIN },
		{ NLE_RANGE, ERANGE }, { NLE_OPNOTSUPP, EOPNOTSUPP }, { NLE_NOACCESS, EACCES },
		{ NLE_AF_NOSUPPORT, EAFNOSUPPORT }, { NLE_MSGSIZE, EMSGSIZE },
		{ NLE_MSG_TOOSHORT, EPROTO }, { NLE_INTR, EINTR }, { NLE_NOATTR, ENOENT },
	};
	int code = nlerr < 0 ? -nlerr : nlerr;

	for (size_t i = 0; i < NB_ARRAY_SIZE(map); i++)
		if (map[i].nle == code)
			return -map[i].e;
	return -EIO;
}

int nb_rtnl_error(struct nb_error *err, int nlerr, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return nb_error_set(err, -nb_rtnl_errno(nlerr), "%s: %s", what, nl_geterror(nlerr));
}

static int connect_here(struct nb_rtnl *rt, struct nb_error *err)
{
	int r;

	rt->sk = nl_socket_alloc();
	if (!rt->sk)
		return nb_error_set(err, ENOMEM, "out of memory");
	r = nl_connect(rt->sk, NETLINK_ROUTE);
	if (r < 0) {
		nl_socket_free(rt->sk);
		rt->sk = NULL;
		return nb_rtnl_error(err, r, "netlink socket");
	}
	return 0;
}

int nb_rtnl_open(struct nb_rtnl *rt, int netns_fd, struct nb_error *err)
{
	_cleanup_close_ int self = -1;
	int r;

	rt->sk = NULL;
	if (netns_fd < 0)
		return connect_here(rt, err);
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return nb_error_errno(err, "open our network namespace");
	if (setns(netns_fd, CLONE_NEWNET) < 0)
		return nb_error_errno(err, "enter the sandbox's network namespace");
	r = connect_here(rt, err);
	if (setns(self, CLONE_NEWNET) < 0) {
		/* Staying in the sandbox's namespace would make every later
		 * step act there: there is no way on. */
		nb_rtnl_close(rt);
		return nb_error_errno(err, "return to our network namespace");
	}
	return r;
}

void nb_rtnl_close(struct nb_rtnl *rt)
{
	if (rt->sk)
		nl_socket_free(rt->sk);
	rt->sk = NULL;
}
