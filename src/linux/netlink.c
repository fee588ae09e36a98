/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/netlink.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/if.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

/* Large enough for any reply to our requests (MNL_SOCKET_BUFFER_SIZE is
 * computed at run time, which would make a variable-length array). */
#define NL_BUF_SIZE 8192

static void close_nl(struct mnl_socket **nl)
{
	if (*nl)
		mnl_socket_close(*nl);
}

/* Send one request and wait for its acknowledgement (or error). */
static int request(struct mnl_socket *nl, struct nlmsghdr *nlh, struct nb_error *err)
{
	char buf[NL_BUF_SIZE];
	unsigned portid = mnl_socket_get_portid(nl);
	unsigned seq = nlh->nlmsg_seq;
	ssize_t n;
	int r;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return nb_error_errno(err, "netlink send");
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0)
		return nb_error_errno(err, "netlink receive");
	r = mnl_cb_run(buf, (size_t)n, seq, portid, NULL, NULL);
	if (r < 0)
		return nb_error_errno(err, "netlink request");
	return 0;
}

int nb_netlink_loopback_up(struct nb_error *err)
{
	__attribute__((cleanup(close_nl))) struct mnl_socket *nl = NULL;
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	int r;

	nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl)
		return nb_error_errno(err, "bring up 'lo': netlink socket");
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return nb_error_errno(err, "bring up 'lo': netlink bind");
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = (unsigned)time(NULL);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_change = IFF_UP;
	ifm->ifi_flags = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "lo");
	r = request(nl, nlh, err);
	if (r < 0)
		return nb_error_prefix(err, "bring up 'lo'");
	return 0;
}
