/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * usernet.h: user-mode networking for rootless sandboxes: pasta (Debian's
 * passt package), or slirp4netns. Either attaches to the sandbox's own
 * network namespace (and its user namespace) through the sandbox's first
 * process, before it is let go, configures an interface, an address and a
 * default route inside, and forwards the --publish ports from the host.
 *
 * pasta configures the namespace (--config-net) and writes its pid once
 * ready. Debian 12's does not end when the namespace goes away, so for a
 * sandbox that is not detached it runs in the foreground as nsbox's child,
 * tied to it by the parent-death signal and ended with the sandbox; a
 * detached sandbox's pasta goes to the background and stays until killed. Connections from the
 * sandbox to the host's own loopback services are not forwarded (-T none,
 * -U none, --no-map-gw). slirp4netns runs in the foreground; nsbox waits
 * for its ready fd, adds the published ports through its API socket, and
 * ends it with the sandbox (its exit fd), unless the sandbox is detached.
 *
 * --net pasta falls back to slirp4netns when pasta is not installed, and
 * for root (pasta run by root drops to nobody, who cannot enter root's
 * namespaces); neither is a clear error naming both packages.
 */
#ifndef NSBOX_RUNTIME_USERNET_H
#define NSBOX_RUNTIME_USERNET_H

#include <stdbool.h>
#include <sys/types.h>

#include "base/error.h"
#include "spec/netspec.h"

struct nb_usernet {
	char program[4096];     /* the pasta or slirp4netns found */
	bool slirp;             /* it is slirp4netns */
	pid_t pid;              /* its process, once started, or 0 */
	int pidfd;
	int exit_fd;            /* slirp4netns: closing it ends it, or -1 */
	bool detached;          /* the sandbox outlives nsbox: so must it */
	bool child;             /* pid is our child (pasta in the foreground) */
};

void nb_usernet_init(struct nb_usernet *u);
/* Find the program for NET's mode in $PATH. */
int nb_usernet_prepare(struct nb_usernet *u, const struct nb_net_spec *net, struct nb_error *err);
/* Start it on the sandbox's namespaces NETNS and USERNS (-1: it shares
 * nsbox's), sent by the sandbox while it waits for GO. */
int nb_usernet_start(struct nb_usernet *u, const struct nb_net_spec *net, int netns, int userns,
		     struct nb_error *err);
/* End it (if nsbox still owns it) and close our fds. */
void nb_usernet_stop(struct nb_usernet *u);
/* Leave it running with a detached sandbox: only close our fds. */
void nb_usernet_detach(struct nb_usernet *u);

#endif
