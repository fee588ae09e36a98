/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for spec/netspec.c, spec/netfiles.c and spec/natscript.c:
 * --net modes, --publish, the checks between the network options, the
 * OCI annotations, /etc/hosts and resolv.conf, nsbox-nat's operations. */
#include "spec/natscript.h"
#include "spec/netfiles.h"
#include "spec/netspec.h"
#include "tap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void mode_is(const char *arg, enum nb_net_mode want, const char *path)
{
	struct nb_net_spec net = { 0 };
	struct nb_error err = { 0 };
	char buf[4096];

	if (!tap_is_int(nb_net_parse_mode(arg, &net, &err), 0, "--net %s parses", arg))
		tap_diag("%s", err.msg);
	tap_is_str(nb_net_mode_name(net.mode), nb_net_mode_name(want), "--net %s: mode", arg);
	nb_net_ns_path(arg, &net, buf, sizeof(buf), &err);
	tap_is_str(buf, path, "--net %s: namespace path", arg);
	nb_net_spec_free(&net);
}

static void mode_fails(const char *arg, const char *msg)
{
	struct nb_net_spec net = { 0 };
	struct nb_error err = { 0 };

	tap_is_int(nb_net_parse_mode(arg, &net, &err), -EINVAL, "--net '%s' is refused", arg);
	tap_is_str(err.msg, msg, "--net '%s': message", arg);
	tap_is_int(err.kind, NB_ERR_USAGE, "--net '%s': a usage error", arg);
	nb_net_spec_free(&net);
}

static void test_modes(void)
{
	struct nb_net_spec net = { 0 };
	struct nb_error err = { 0 };

	mode_is("none", NB_NET_NONE, "");
	mode_is("host", NB_NET_HOST, "");
	mode_is("ns:/proc/1/ns/net", NB_NET_NS, "/proc/1/ns/net");
	mode_is("netns:blue", NB_NET_NETNS, "/run/netns/blue");
	mode_is("container:web", NB_NET_CONTAINER, "");
	mode_is("bridge", NB_NET_BRIDGE, "");
	mode_is("bridge:br-test", NB_NET_BRIDGE, "");
	mode_is("pasta", NB_NET_PASTA, "");
	mode_is("slirp4netns", NB_NET_SLIRP, "");
	nb_net_parse_mode("bridge", &net, &err);
	tap_is_str(net.network, "nsbox0", "bridge: the default network is nsbox0");
	nb_net_parse_mode("bridge:br1", &net, &err);
	tap_is_str(net.network, "br1", "bridge:br1 names br1");
	nb_net_parse_mode("container:c1", &net, &err);
	tap_is_str(net.container, "c1", "container:c1 names c1");
	nb_net_spec_free(&net);
	tap_ok(nb_net_mode_new_ns(NB_NET_BRIDGE) && nb_net_mode_new_ns(NB_NET_NONE) &&
	       !nb_net_mode_new_ns(NB_NET_HOST) && !nb_net_mode_new_ns(NB_NET_CONTAINER),
	       "which modes make a new namespace");

	mode_fails("wifi", "--net 'wifi': unknown mode (none, host, ns:PATH, netns:NAME, container:ID, "
		   "bridge[:NAME], pasta, slirp4netns)");
	mode_fails("none:x", "--net 'none:x': unknown mode (none, host, ns:PATH, netns:NAME, container:ID, "
		   "bridge[:NAME], pasta, slirp4netns)");
	mode_fails("ns:relative", "--net 'ns:relative': ns:PATH needs an absolute path");
	mode_fails("netns:a/b", "--net 'netns:a/b': not a valid namespace name");
	mode_fails("netns:..", "--net 'netns:..': not a valid namespace name");
	mode_fails("container:", "--net 'container:': container:ID needs an id");
	mode_fails("bridge:nsbox-0123456789", "--net bridge 'nsbox-0123456789': a network (bridge) name has "
		   "at most 15 characters (IFNAMSIZ)");
	mode_fails("bridge:", "--net bridge: empty network name");
	mode_fails("bridge:a b", "--net bridge 'a b': a network name is made of letters, digits, '_', '.' "
		   "and '-', and does not start with '-'");
	mode_fails("bridge:-x", "--net bridge '-x': a network name is made of letters, digits, '_', '.' "
		   "and '-', and does not start with '-'");
	tap_is_int(nb_net_name_check("abcdefghijklmno", "x", &err), 0, "15 characters are fine");
}

static void publish_is(const char *text, const char *want)
{
	struct nb_error err = { 0 };
	struct nb_publish p;
	char buf[64];

	if (!tap_is_int(nb_publish_parse(text, &p, &err), 0, "--publish %s parses", text))
		tap_diag("%s", err.msg);
	tap_is_str(nb_publish_format(&p, buf, sizeof(buf)), want, "--publish %s is %s", text, want);
}

static void publish_fails(const char *text, const char *msg)
{
	struct nb_error err = { 0 };
	struct nb_publish p;

	tap_is_int(nb_publish_parse(text, &p, &err), -EINVAL, "--publish '%s' is refused", text);
	tap_is_str(err.msg, msg, "--publish '%s': message", text);
}

static void test_publish(void)
{
	struct nb_net_spec net = { 0 };
	struct nb_error err = { 0 };
	struct nb_publish a, b;

	publish_is("8080:80", "8080:80/tcp");
	publish_is("8080:80/tcp", "8080:80/tcp");
	publish_is("5353:53/udp", "5353:53/udp");
	publish_is("127.0.0.1:8080:80", "127.0.0.1:8080:80/tcp");
	publish_is("0.0.0.0:1:65535/udp", "1:65535/udp");
	publish_fails("0:80", "--publish '0:80': port '0' is out of range (1 to 65535)");
	publish_fails("8080:65536", "--publish '8080:65536': port '65536' is out of range (1 to 65535)");
	publish_fails("8080:99999999", "--publish '8080:99999999': port '99999999' is out of range (1 to 65535)");
	publish_fails("80", "--publish '80': expected [HOST_ADDR:]HOST_PORT:PORT[/tcp|/udp]");
	publish_fails("1.2.3.4:80:80:80", "--publish '1.2.3.4:80:80:80': expected "
		      "[HOST_ADDR:]HOST_PORT:PORT[/tcp|/udp]");
	publish_fails("8080:80/sctp", "--publish '8080:80/sctp': unknown protocol 'sctp' (tcp or udp)");
	publish_fails("localhost:8080:80", "--publish 'localhost:8080:80': 'localhost' is not an IPv4 address");
	publish_fails("x:80", "--publish 'x:80': 'x' is not a port number");
	publish_fails("8080:", "--publish '8080:': '' is not a port number");
	publish_fails(":80", "--publish ':80': '' is not a port number");

	nb_publish_parse("8080:80", &a, &err);
	nb_publish_parse("127.0.0.1:8080:81", &b, &err);
	tap_ok(nb_publish_clash(&a, &b), "every address and 127.0.0.1 on one port clash");
	nb_publish_parse("127.0.0.2:8080:81", &a, &err);
	tap_ok(!nb_publish_clash(&a, &b), "two addresses on one port do not");
	nb_publish_parse("127.0.0.1:8080:81/udp", &a, &err);
	tap_ok(!nb_publish_clash(&a, &b), "tcp and udp on one port do not");

	tap_is_int(nb_net_add_publish(&net, "8080:80", &err), 0, "a first --publish");
	tap_is_int(nb_net_add_publish(&net, "8080:80/udp", &err), 0, "the same port for udp");
	tap_is_int(nb_net_add_publish(&net, "127.0.0.1:8080:81", &err), -EINVAL, "the same tcp port again");
	tap_is_str(err.msg, "--publish '127.0.0.1:8080:81': the host port is already published by "
		   "'8080:80/tcp'", "its message");
	tap_is_int((long long)net.n_publish, 2, "two ports published");
}

static void check_fails(struct nb_net_spec *net, uid_t euid, const char *msg)
{
	struct nb_error err = { 0 };

	tap_is_int(nb_net_check(net, euid, &err), -EINVAL, "refused: %s", msg);
	tap_is_str(err.msg, msg, "message");
}

static void test_check(void)
{
	struct nb_net_spec net = { 0 };
	struct nb_error err = { 0 };

	net.mode = NB_NET_NONE;
	net.has_subnet = true;
	nb_cidr4_parse("10.88.0.0/24", &net.subnet, "--subnet", &err);
	check_fails(&net, 0, "--subnet needs --net bridge (the network is 'none')");
	net.has_subnet = false;
	net.ip = 0x0a580005;
	check_fails(&net, 0, "--ip needs --net bridge (the network is 'none')");
	net.ip = 0;
	net.nat = true;
	check_fails(&net, 0, "--nat needs --net bridge (the network is 'none')");
	net.nat = false;
	nb_net_add_publish(&net, "8080:80", &err);
	check_fails(&net, 0, "--publish needs --net bridge, pasta or slirp4netns (the network is 'none')");
	net.mode = NB_NET_PASTA;
	tap_is_int(nb_net_check(&net, 1000, &err), 0, "--publish with pasta, rootless");
	net.mode = NB_NET_BRIDGE;
	check_fails(&net, 1000, "--net bridge needs root (a bridge and veth pairs in the host's namespace); "
		    "without root use --net pasta or slirp4netns");
	tap_is_int(nb_net_check(&net, 0, &err), 0, "bridge with --publish as root");
	net.has_subnet = true;
	net.ip = 0x0a580105;
	check_fails(&net, 0, "--ip '10.88.1.5': not a host address of --subnet '10.88.0.0/24'");
	net.ip = 0x0a5800ff;
	check_fails(&net, 0, "--ip '10.88.0.255': not a host address of --subnet '10.88.0.0/24'");
	net.ip = 0x0a580005;
	tap_is_int(nb_net_check(&net, 0, &err), 0, "--ip inside --subnet");
	nb_cidr4_parse("10.88.0.0/31", &net.subnet, "--subnet", &err);
	net.ip = 0;
	check_fails(&net, 0, "--subnet '10.88.0.0/31': a bridge's subnet is from /8 to /30");
	nb_cidr4_parse("127.1.0.0/16", &net.subnet, "--subnet", &err);
	check_fails(&net, 0, "--subnet '127.1.0.0/16': not a unicast subnet for hosts");
	nb_cidr4_parse("224.0.0.0/8", &net.subnet, "--subnet", &err);
	check_fails(&net, 0, "--subnet '224.0.0.0/8': not a unicast subnet for hosts");

	/* Who needs the helper and ip_forward. */
	memset(&net, 0, sizeof(net));
	net.mode = NB_NET_BRIDGE;
	tap_ok(!nb_net_needs_nat_helper(&net) && !nb_net_needs_forwarding(&net), "a plain bridge needs neither");
	nb_net_add_publish(&net, "127.0.0.1:8080:80", &err);
	tap_ok(nb_net_needs_nat_helper(&net) && !nb_net_needs_forwarding(&net),
	       "a port on 127.0.0.1: the helper, no forwarding");
	nb_net_add_publish(&net, "8081:80", &err);
	tap_ok(nb_net_needs_forwarding(&net), "a port on every address: forwarding");
	memset(&net, 0, sizeof(net));
	net.mode = NB_NET_BRIDGE;
	net.nat = true;
	tap_ok(nb_net_needs_nat_helper(&net) && nb_net_needs_forwarding(&net), "--nat: both");
}

static void test_annotations(void)
{
	struct nb_strv a = { 0 };
	struct nb_net_spec net = { 0 };
	struct nb_error err = { 0 };

	tap_is_int(nb_net_from_annotations(&a, true, 0, &net, &err), 0, "no annotation");
	tap_is_int(net.mode, NB_NET_UNSET, "leaves the network unset");
	nb_strv_push(&a, NB_NET_ANNOTATION "=bridge:oci0");
	nb_strv_push(&a, NB_NET_ANNOTATION ".ip=10.77.0.9");
	nb_strv_push(&a, NB_NET_ANNOTATION ".subnet=10.77.0.0/24");
	nb_strv_push(&a, NB_NET_ANNOTATION ".publish=8080:80,9090:90/udp");
	nb_strv_push(&a, NB_NET_ANNOTATION ".nat=true");
	if (!tap_is_int(nb_net_from_annotations(&a, true, 0, &net, &err), 0, "a bridge by annotations"))
		tap_diag("%s", err.msg);
	tap_ok(net.mode == NB_NET_BRIDGE && net.network && strcmp(net.network, "oci0") == 0 &&
	       net.ip == 0x0a4d0009 && net.has_subnet && net.n_publish == 2 && net.nat, "every field");
	nb_net_spec_free(&net);
	memset(&net, 0, sizeof(net));
	tap_is_int(nb_net_from_annotations(&a, false, 0, &net, &err), -EINVAL, "without a new net namespace");
	tap_is_str(err.msg, "config.json: annotation io.github.nsbox.network 'bridge:oci0' needs a new network "
		   "namespace (a linux.namespaces entry of type network without a path)", "its message");
	nb_net_spec_free(&net);
	nb_strv_free(&a);
	memset(&net, 0, sizeof(net));
	nb_strv_push(&a, NB_NET_ANNOTATION ".ip=10.77.0.9");
	tap_is_int(nb_net_from_annotations(&a, true, 0, &net, &err), -EINVAL, "an option without the mode");
	tap_is_str(err.msg, "config.json: annotation io.github.nsbox.network.ip needs io.github.nsbox.network",
		   "its message");
	nb_strv_free(&a);
	nb_strv_push(&a, NB_NET_ANNOTATION "=pasta");
	tap_is_int(nb_net_from_annotations(&a, true, 0, &net, &err), -EINVAL, "pasta by annotation");
	tap_is_str(err.msg, "config.json: annotation io.github.nsbox.network 'pasta': expected none, bridge or "
		   "bridge:NAME", "its message");
	nb_strv_free(&a);
	nb_net_spec_free(&net);
}

static void test_hosts(void)
{
	struct nb_hosts_entry self = { 0x0a580002, { "box1", "web" } };
	struct nb_hosts_entry peers[] = { { 0x0a580003, { "box2", NULL } },
					  { 0x0a580004, { "bad name", "db" } },
					  { 0x0a580005, { "same", "same" } },
					  { 0x0a580006, { "x\ny", NULL } } };
	char *text = nb_hosts_render(&self, 0x0a580001, peers, 4);

	tap_is_str(text, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
		   "10.88.0.2\tbox1\tweb\n10.88.0.1\thost.nsbox.internal\n10.88.0.3\tbox2\n"
		   "10.88.0.4\tdb\n10.88.0.5\tsame\n", "/etc/hosts: self, gateway, peers; bad names left out");
	free(text);
}

static void test_resolv(void)
{
	static const char host[] = "# generated\nsearch example.org\nnameserver 127.0.0.53\n"
				   "nameserver 192.0.2.53\n  nameserver\t::1\nnameserver 2001:db8::1 # v6\n"
				   "options edns0";
	size_t left = 0;
	char *text = nb_resolv_filter(host, strlen(host), &left);

	tap_is_str(text, "# generated\nsearch example.org\nnameserver 192.0.2.53\n"
		   "nameserver 2001:db8::1 # v6\noptions edns0\n", "resolv.conf without loopback nameservers");
	tap_is_int((long long)left, 2, "two nameservers left");
	free(text);
	text = nb_resolv_filter("nameserver 127.0.0.1\n", 21, &left);
	tap_is_str(text, "", "only a loopback nameserver: nothing left");
	tap_is_int((long long)left, 0, "no nameserver left");
	free(text);
}

static void op_round_trip(const char *word)
{
	struct nb_error err = { 0 };
	struct nb_nat_op op;
	char buf[NB_NAT_OP_MAX];

	if (!tap_is_int(nb_nat_op_parse(word, &op, &err), 0, "nat op '%s' parses", word))
		tap_diag("%s", err.msg);
	tap_is_str(nb_nat_op_format(&op, buf), word, "and formats back");
}

static void test_natscript(void)
{
	static const char *const bad[] = { "", "masq:1.2.3.4", "+masq:1.2.3", "+tcp:0.0.0.0:0:10.0.0.2:80",
					   "+tcp:0.0.0.0:80:10.0.0.2:65536", "+sctp:0.0.0.0:80:10.0.0.2:80",
					   "+tcp:0.0.0.0:80:10.0.0.2:80x", "tables" };
	struct nb_error err = { 0 };
	struct nb_nat_op ops[4];
	char *script;

	op_round_trip("table");
	op_round_trip("drop");
	op_round_trip("+masq:10.88.0.2");
	op_round_trip("-masq:10.88.0.2");
	op_round_trip("+tcp:0.0.0.0:8080:10.88.0.2:80");
	op_round_trip("-udp:127.0.0.1:5353:10.88.0.2:53");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		tap_is_int(nb_nat_op_parse(bad[i], &ops[0], &err), -EINVAL, "nat op '%s' is refused", bad[i]);

	nb_nat_op_parse("+masq:10.88.0.2", &ops[0], &err);
	nb_nat_op_parse("+tcp:0.0.0.0:8080:10.88.0.2:80", &ops[1], &err);
	nb_nat_op_parse("-udp:127.0.0.1:5353:10.88.0.2:53", &ops[2], &err);
	nb_nat_op_parse("drop", &ops[3], &err);
	script = nb_nat_script(ops, 4);
	tap_is_str(script, "add element inet nsbox masq4 { 10.88.0.2 }\n"
		   "add element inet nsbox pub4_tcp { 8080 : 10.88.0.2 . 80 }\n"
		   "delete element inet nsbox pub4a_udp { 127.0.0.1 . 5353 : 10.88.0.2 . 53 }\n"
		   "add table inet nsbox\ndelete table inet nsbox\n", "elements and drop as nft commands");
	free(script);
	nb_nat_op_parse("table", &ops[0], &err);
	script = nb_nat_script(ops, 1);
	tap_ok(script && strncmp(script, "add table inet nsbox\ndelete table inet nsbox\ntable inet nsbox {\n", 62) == 0,
	       "table: replaces any table of that name");
	tap_ok(script && strstr(script, "iifgroup 7238498 ip daddr 127.0.0.0/8 drop"),
	       "table: sandboxes cannot reach the host's 127.0.0.0/8");
	tap_ok(script && strstr(script, "ip saddr @masq4 oifgroup != 7238498 masquerade"),
	       "table: --nat sources are masqueraded off nsbox's interfaces");
	free(script);
}

int main(void)
{
	test_modes();
	test_publish();
	test_check();
	test_annotations();
	test_hosts();
	test_resolv();
	test_natscript();
	return tap_done();
}
