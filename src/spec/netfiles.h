/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * netfiles.h: the text of a bridged sandbox's /etc/hosts and
 * /etc/resolv.conf (bind-mounted files that nsbox writes; runtime/
 * netattach.h). Pure.
 *
 * /etc/hosts: localhost, the sandbox's own address with its names, the
 * gateway as "host.nsbox.internal", and every other sandbox of the same
 * network with its names, so that sandboxes reach each other by name.
 * A name with a character outside [A-Za-z0-9._-] is left out (it could
 * not be looked up, and must not break a line).
 *
 * /etc/resolv.conf: the host's, without the nameservers a sandbox cannot
 * reach (loopback ones: 127.0.0.0/8 and ::1, as systemd-resolved's stub).
 */
#ifndef NSBOX_SPEC_NETFILES_H
#define NSBOX_SPEC_NETFILES_H

#include <stddef.h>
#include <stdint.h>

#define NB_HOSTS_GATEWAY_NAME "host.nsbox.internal"

struct nb_hosts_entry {
	uint32_t addr;
	const char *names[2];   /* hostname, and the --name or container id; NULL if none */
};

/* Malloc'd text; NULL if out of memory. */
char *nb_hosts_render(const struct nb_hosts_entry *self, uint32_t gateway,
		      const struct nb_hosts_entry *peers, size_t n_peers);

/* TEXT (LEN bytes) without loopback nameserver lines; *RET_LEFT: the
 * nameservers kept. Malloc'd; NULL if out of memory. */
char *nb_resolv_filter(const char *text, size_t len, size_t *ret_left);

#endif
