/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "spec/netaddr.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* One decimal part of at most MAX, no leading zero, ending at a char
 * of STOPS (or the end). */
static const char *parse_part(const char *p, unsigned max, unsigned *ret)
{
	unsigned v = 0;
	const char *start = p;

	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (unsigned)(*p - '0');
		if (v > max || p - start >= 3)
			return NULL;
		p++;
	}
	if (p == start || (p - start > 1 && *start == '0'))
		return NULL;
	*ret = v;
	return p;
}

static const char *parse_ip4(const char *p, uint32_t *ret)
{
	uint32_t a = 0;

	for (int i = 0; i < 4; i++) {
		unsigned part;

		p = parse_part(p, 255, &part);
		if (!p || (i < 3 && *p++ != '.'))
			return NULL;
		a = (a << 8) | part;
	}
	*ret = a;
	return p;
}

int nb_ip4_parse(const char *text, uint32_t *ret)
{
	const char *end = parse_ip4(text, ret);

	return end && *end == '\0' ? 0 : -EINVAL;
}

char *nb_ip4_format(uint32_t a, char *buf)
{
	snprintf(buf, NB_IP4_STRLEN, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
	return buf;
}

uint32_t nb_cidr4_mask(unsigned prefix)
{
	return prefix == 0 ? 0 : prefix >= 32 ? 0xffffffffu : ~((1u << (32 - prefix)) - 1);
}

int nb_cidr4_parse(const char *text, struct nb_cidr4 *ret, const char *what, struct nb_error *err)
{
	const char *p = parse_ip4(text, &ret->addr);
	unsigned prefix;
	char net[NB_CIDR4_STRLEN];

	if (!p || *p != '/' || !(p = parse_part(p + 1, 32, &prefix)) || *p != '\0')
		return nb_error_usage(err, "%s '%s': expected an IPv4 subnet such as 10.88.0.0/24", what, text);
	ret->prefix = prefix;
	if (ret->addr & ~nb_cidr4_mask(prefix)) {
		ret->addr &= nb_cidr4_mask(prefix);
		return nb_error_usage(err, "%s '%s': host bits are set (the subnet is %s)", what, text,
				      nb_cidr4_format(ret, net));
	}
	return 0;
}

char *nb_cidr4_format(const struct nb_cidr4 *net, char *buf)
{
	char a[NB_IP4_STRLEN];

	snprintf(buf, NB_CIDR4_STRLEN, "%s/%u", nb_ip4_format(net->addr, a), net->prefix);
	return buf;
}

bool nb_cidr4_contains(const struct nb_cidr4 *net, uint32_t addr)
{
	return (addr & nb_cidr4_mask(net->prefix)) == net->addr;
}

bool nb_cidr4_overlap(const struct nb_cidr4 *a, const struct nb_cidr4 *b)
{
	/* Two prefixes overlap when the shorter one contains the other. */
	unsigned p = a->prefix < b->prefix ? a->prefix : b->prefix;

	return (a->addr & nb_cidr4_mask(p)) == (b->addr & nb_cidr4_mask(p));
}

uint32_t nb_cidr4_last(const struct nb_cidr4 *net)
{
	return net->addr | ~nb_cidr4_mask(net->prefix);
}

bool nb_cidr4_host_range(const struct nb_cidr4 *net, uint32_t *first, uint32_t *last)
{
	if (net->prefix > 30)
		return false;
	*first = net->addr + 1;
	*last = nb_cidr4_last(net) - 1;
	return true;
}

bool nb_ip4_is_loopback(uint32_t addr)
{
	return (addr >> 24) == 127;
}
