/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for spec/netaddr.c and spec/lease.c: IPv4 addresses, CIDR
 * subnets, overlap, and the choice of a sandbox's address. */
#include "spec/lease.h"
#include "spec/netaddr.h"
#include "tap.h"

#include <errno.h>
#include <string.h>

static uint32_t ip(const char *text)
{
	uint32_t a = 0;

	nb_ip4_parse(text, &a);
	return a;
}

static struct nb_cidr4 net(const char *text)
{
	struct nb_error err = { 0 };
	struct nb_cidr4 n = { 0 };

	if (nb_cidr4_parse(text, &n, "--subnet", &err) < 0)
		tap_diag("%s: %s", text, err.msg);
	return n;
}

static void test_ip4(void)
{
	static const char *const bad[] = { "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ",
					   " 1.2.3.4", "1..2.3", "a.b.c.d", "1.2.3.-4", "1.2.3.4/24", "1234.1.1.1" };
	char buf[NB_IP4_STRLEN];
	uint32_t a;

	tap_is_int(nb_ip4_parse("10.88.0.1", &a), 0, "10.88.0.1 parses");
	tap_is_u64(a, 0x0a580001u, "10.88.0.1 is 0x0a580001");
	tap_is_str(nb_ip4_format(a, buf), "10.88.0.1", "and formats back");
	tap_is_int(nb_ip4_parse("0.0.0.0", &a), 0, "0.0.0.0 parses");
	tap_is_int(nb_ip4_parse("255.255.255.255", &a), 0, "255.255.255.255 parses");
	tap_is_u64(a, 0xffffffffu, "to all ones");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		tap_is_int(nb_ip4_parse(bad[i], &a), -EINVAL, "'%s' is refused", bad[i]);
	tap_ok(nb_ip4_is_loopback(ip("127.0.0.1")) && nb_ip4_is_loopback(ip("127.255.0.3")) &&
	       !nb_ip4_is_loopback(ip("128.0.0.1")), "127.0.0.0/8 is loopback");
}

static void test_cidr(void)
{
	struct nb_error err = { 0 };
	struct nb_cidr4 n;
	char buf[NB_CIDR4_STRLEN];
	uint32_t first, last;

	tap_is_int(nb_cidr4_parse("10.88.0.0/24", &n, "--subnet", &err), 0, "10.88.0.0/24 parses");
	tap_is_str(nb_cidr4_format(&n, buf), "10.88.0.0/24", "and formats back");
	tap_is_int(nb_cidr4_parse("10.88.0.1/24", &n, "--subnet", &err), -EINVAL, "host bits are refused");
	tap_is_str(err.msg, "--subnet '10.88.0.1/24': host bits are set (the subnet is 10.88.0.0/24)",
		   "and the message names the subnet meant");
	tap_is_int(err.kind, NB_ERR_USAGE, "a usage error");
	tap_is_int(nb_cidr4_parse("10.88.0.0/33", &n, "--subnet", &err), -EINVAL, "/33 is refused");
	tap_is_str(err.msg, "--subnet '10.88.0.0/33': expected an IPv4 subnet such as 10.88.0.0/24",
		   "message of an invalid CIDR");
	tap_is_int(nb_cidr4_parse("10.88.0.0", &n, "--subnet", &err), -EINVAL, "no prefix is refused");
	tap_is_int(nb_cidr4_parse("10.88.0.0/", &n, "--subnet", &err), -EINVAL, "an empty prefix is refused");
	tap_is_int(nb_cidr4_parse("10.88.0.0/024", &n, "--subnet", &err), -EINVAL, "a leading zero is refused");
	tap_is_int(nb_cidr4_parse("10.88.0.0/24x", &n, "--subnet", &err), -EINVAL, "trailing text is refused");
	tap_is_int(nb_cidr4_parse("0.0.0.0/0", &n, "--subnet", &err), 0, "0.0.0.0/0 parses");
	tap_is_int(nb_cidr4_parse("10.1.2.3/32", &n, "--subnet", &err), 0, "a /32 parses");

	tap_is_u64(nb_cidr4_mask(0), 0, "mask /0");
	tap_is_u64(nb_cidr4_mask(24), 0xffffff00u, "mask /24");
	tap_is_u64(nb_cidr4_mask(32), 0xffffffffu, "mask /32");
	n = net("10.88.0.0/24");
	tap_ok(nb_cidr4_contains(&n, ip("10.88.0.255")) && !nb_cidr4_contains(&n, ip("10.88.1.0")),
	       "contains");
	tap_is_u64(nb_cidr4_last(&n), ip("10.88.0.255"), "broadcast of a /24");
	tap_ok(nb_cidr4_host_range(&n, &first, &last) && first == ip("10.88.0.1") && last == ip("10.88.0.254"),
	       "host range of a /24");
	n = net("10.0.0.0/31");
	tap_ok(!nb_cidr4_host_range(&n, &first, &last), "a /31 has no host range for a bridge");
}

static void test_overlap(void)
{
	struct nb_cidr4 a = net("10.88.0.0/16"), b = net("10.88.5.0/24"), c = net("10.89.0.0/24"),
			d = net("0.0.0.0/0"), e = net("10.88.255.252/30");

	tap_ok(nb_cidr4_overlap(&a, &b) && nb_cidr4_overlap(&b, &a), "a /24 inside a /16 overlaps, both ways");
	tap_ok(!nb_cidr4_overlap(&a, &c), "10.88.0.0/16 and 10.89.0.0/24 do not");
	tap_ok(nb_cidr4_overlap(&d, &c), "the default route overlaps everything");
	tap_ok(nb_cidr4_overlap(&a, &e) && !nb_cidr4_overlap(&b, &e), "a /30 at the end of a /16");
	tap_ok(nb_cidr4_overlap(&b, &b), "a subnet overlaps itself");
}

static void test_lease(void)
{
	struct nb_cidr4 n = net("10.88.0.0/29");   /* .1 gateway, .2-.6 for sandboxes */
	struct nb_error err = { 0 };
	uint32_t taken[8], got = 0;
	size_t k = 0;

	tap_is_u64(nb_lease_gateway(&n), ip("10.88.0.1"), "the gateway is the first host address");
	tap_is_int(nb_lease_pick(&n, "t", taken, 0, 0, &got, &err), 0, "a lease on an empty network");
	tap_is_u64(got, ip("10.88.0.2"), "is the first address after the gateway");
	taken[k++] = ip("10.88.0.4");
	taken[k++] = ip("10.88.0.2");
	tap_is_int(nb_lease_pick(&n, "t", taken, k, 0, &got, &err), 0, "with .2 and .4 taken");
	tap_is_u64(got, ip("10.88.0.3"), "the lowest free one is .3");
	taken[k++] = ip("10.88.0.3");
	tap_is_int(nb_lease_pick(&n, "t", taken, k, 0, &got, &err), 0, "with .2 .3 .4 taken");
	tap_is_u64(got, ip("10.88.0.5"), "the next is .5");
	taken[k++] = ip("10.88.0.5");
	taken[k++] = ip("10.88.0.6");
	tap_is_int(nb_lease_pick(&n, "t", taken, k, 0, &got, &err), -ENOSPC, "a full network");
	tap_is_str(err.msg, "network 't': no free address in 10.88.0.0/29", "its message");

	tap_is_int(nb_lease_pick(&n, "t", taken, 0, ip("10.88.0.6"), &got, &err), 0, "--ip of a free address");
	tap_is_u64(got, ip("10.88.0.6"), "is given");
	tap_is_int(nb_lease_pick(&n, "t", taken, k, ip("10.88.0.6"), &got, &err), -EADDRINUSE,
		   "--ip of a taken address");
	tap_is_str(err.msg, "--ip 10.88.0.6: address in use on network 't'", "its message");
	tap_is_int(nb_lease_pick(&n, "t", taken, 0, ip("10.88.0.1"), &got, &err), -EADDRNOTAVAIL,
		   "--ip of the gateway");
	tap_is_int(nb_lease_pick(&n, "t", taken, 0, ip("10.88.0.7"), &got, &err), -EADDRNOTAVAIL,
		   "--ip of the broadcast address");
	tap_is_int(nb_lease_pick(&n, "t", taken, 0, ip("10.88.1.2"), &got, &err), -EADDRNOTAVAIL,
		   "--ip outside the subnet");
	tap_is_str(err.msg, "--ip 10.88.1.2: not a host address of network 't' (10.88.0.0/29)", "its message");
	n = net("10.88.0.0/30");
	tap_is_int(nb_lease_pick(&n, "t", taken, 0, 0, &got, &err), 0, "a /30 has one address");
	tap_is_u64(got, ip("10.88.0.2"), "after its gateway");
}

int main(void)
{
	test_ip4();
	test_cidr();
	test_overlap();
	test_lease();
	return tap_done();
}
