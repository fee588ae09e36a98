/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * netaddr.h: IPv4 addresses and CIDR subnets, as plain numbers.
 *
 * Pure: parsing, formatting and arithmetic, no system call. An address is
 * a uint32_t in host byte order (10.88.0.1 is 0x0a580001); a subnet is an
 * address with a prefix length and no host bits set. Parsing is strict:
 * four decimal parts, no leading zeros (inet_aton would read "010" as
 * octal), no spaces, a prefix of 0 to 32.
 */
#ifndef NSBOX_SPEC_NETADDR_H
#define NSBOX_SPEC_NETADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

#define NB_IP4_STRLEN 16      /* "255.255.255.255" and its NUL */
#define NB_CIDR4_STRLEN 19    /* and "/32" */

struct nb_cidr4 {
	uint32_t addr;            /* the network address: no host bits */
	unsigned prefix;          /* 0..32 */
};

/* "a.b.c.d" into *RET. -EINVAL if it is not exactly that. */
int nb_ip4_parse(const char *text, uint32_t *ret);
/* Into BUF (at least NB_IP4_STRLEN bytes); returns BUF. */
char *nb_ip4_format(uint32_t addr, char *buf);

/* "a.b.c.d/N". WHAT names the option for the error ("--subnet").
 * Host bits set ("10.0.0.1/24") are an error that names the network
 * meant. */
int nb_cidr4_parse(const char *text, struct nb_cidr4 *ret, const char *what, struct nb_error *err);
char *nb_cidr4_format(const struct nb_cidr4 *net, char *buf);   /* NB_CIDR4_STRLEN */

uint32_t nb_cidr4_mask(unsigned prefix);
bool nb_cidr4_contains(const struct nb_cidr4 *net, uint32_t addr);
bool nb_cidr4_overlap(const struct nb_cidr4 *a, const struct nb_cidr4 *b);
/* The broadcast address (the last of the subnet). */
uint32_t nb_cidr4_last(const struct nb_cidr4 *net);
/* The first and last addresses a host may take: not the network address,
 * not the broadcast address (a /31 or /32 has none to give). */
bool nb_cidr4_host_range(const struct nb_cidr4 *net, uint32_t *first, uint32_t *last);
/* Is ADDR 127.0.0.0/8? */
bool nb_ip4_is_loopback(uint32_t addr);

#endif
