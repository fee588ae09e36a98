/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for spec/netdev.c and the linux.netDevices of a config.json. */
#include "spec/netdev.h"
#include "spec/oci.h"
#include "tap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_NET "[{'type': 'mount'}, {'type': 'network'}]"

/* A minimal config.json with the namespaces NS and ND as linux.netDevices
 * (single quotes become double quotes). */
static int load(const char *ns, const char *nd, struct nb_config *cfg, struct nb_error *err)
{
	char *s;
	int r;

	if (asprintf(&s, "{'ociVersion': '1.0.2', 'root': {'path': 'rootfs'}, 'process': {'args': ['sh'],"
		     " 'cwd': '/', 'user': {'uid': 0, 'gid': 0}}, 'linux': {'namespaces': %s,"
		     " 'netDevices': %s}}", ns, nd) < 0)
		abort();
	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	nb_config_init(cfg);
	nb_error_clear(err);
	r = nb_oci_load(s, strlen(s), "/b", cfg, err);
	free(s);
	return r;
}

static void bad(const char *ns, const char *nd, const char *msg)
{
	struct nb_config cfg;
	struct nb_error err;

	tap_is_int(load(ns, nd, &cfg, &err), -EINVAL, "%s: refused", nd);
	tap_is_str(err.msg, msg, "%s: message", nd);
	nb_config_free(&cfg);
}

static void test_names(void)
{
	static const char *const ok[] = { "eth0", "a", "123456789012345", "veth-1.2_x", "ctr@0" };
	static const struct { const char *name, *why; } ko[] = {
		{ "", "empty name" },
		{ "1234567890123456", "longer than 15 bytes (IFNAMSIZ)" },
		{ ".", "'.' and '..' are not device names" },
		{ "..", "'.' and '..' are not device names" },
		{ "a/b", "must not hold '/', ':' or white space" },
		{ "eth0:1", "must not hold '/', ':' or white space" },
		{ "eth 0", "must not hold '/', ':' or white space" },
		{ "eth\t0", "must not hold '/', ':' or white space" },
		{ "eth%d", "must not hold '%' (a template is only for the name inside)" },
	};
	const char *why = NULL;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		tap_is_int(nb_netdev_name_check(ok[i], false, &why), 0, "'%s' is a name", ok[i]);
	for (size_t i = 0; i < sizeof(ko) / sizeof(ko[0]); i++) {
		why = "";
		tap_is_int(nb_netdev_name_check(ko[i].name, false, &why), -EINVAL, "'%s' is not a name", ko[i].name);
		tap_is_str(why, ko[i].why, "'%s': why", ko[i].name);
	}
	tap_is_int(nb_netdev_name_check("eth%d", true, &why), 0, "'eth%%d' is a template");
	tap_is_int(nb_netdev_name_check("%d", true, &why), 0, "'%%d' is a template");
	tap_is_int(nb_netdev_name_check("eth%s", true, &why), -EINVAL, "'eth%%s' is not");
	tap_is_str(why, "a template holds one '%d' and no other '%'", "'eth%%s': why");
	tap_is_int(nb_netdev_name_check("e%d%d", true, &why), -EINVAL, "'e%%d%%d' is not");
	tap_is_int(nb_netdev_name_check("eth%", true, &why), -EINVAL, "'eth%%' is not");
	tap_ok(nb_netdev_is_template("c%d"), "'c%%d' is a template");
	tap_ok(!nb_netdev_is_template("c0"), "'c0' is not");
}

static void test_clash(void)
{
	struct nb_netdev a[] = { { "eth1", "ctr0" }, { "eth2", "ctr1" }, { "eth3", "ctr0" } };
	struct nb_netdev b[] = { { "eth1", "eth2" }, { "eth2", "eth2" } };
	struct nb_netdev c[] = { { "eth1", "c%d" }, { "eth2", "c%d" } };

	tap_is_int(nb_netdev_find_clash(a, 3), 2, "the third takes the first's name");
	tap_is_int(nb_netdev_find_clash(a, 2), -1, "two distinct names");
	tap_is_int(nb_netdev_find_clash(b, 2), 1, "a kept name that another device takes");
	tap_is_int(nb_netdev_find_clash(c, 2), -1, "templates never clash");
	tap_is_int(nb_netdev_find_clash(a, 0), -1, "none");
}

static void test_config(void)
{
	struct nb_config cfg;
	struct nb_error err;

	if (tap_is_int(load(NS_NET, "{'eth1': {}, 'eth2': {'name': 'ctr0'}, 'eth3': {'name': ''},"
			    " 'eth4': {'name': 'net%d'}}", &cfg, &err), 0, "four devices: loads")) {
		tap_is_int((long long)cfg.oci.n_netdevs, 4, "four devices");
		tap_is_str(cfg.oci.netdevs[0].host, "eth1", "first: host name");
		tap_is_str(cfg.oci.netdevs[0].name, "eth1", "first: kept");
		tap_is_str(cfg.oci.netdevs[1].name, "ctr0", "second: renamed");
		tap_is_str(cfg.oci.netdevs[2].name, "eth3", "third: an empty name keeps the host's");
		tap_is_str(cfg.oci.netdevs[3].name, "net%d", "fourth: a template");
	} else {
		tap_diag("message: %s", err.msg);
	}
	nb_config_free(&cfg);
	tap_is_int(load("[{'type': 'mount'}, {'type': 'network', 'path': '/run/netns/x'}]", "{'eth1': {}}",
			&cfg, &err), 0, "a network namespace joined by path: loads");
	nb_config_free(&cfg);
	tap_is_int(load(NS_NET, "{}", &cfg, &err), 0, "an empty object: loads");
	tap_is_int((long long)cfg.oci.n_netdevs, 0, "an empty object: no device");
	nb_config_free(&cfg);

	bad(NS_NET, "[]", "config.json: linux.netDevices: must be an object");
	bad(NS_NET, "{'eth1': 'ctr0'}", "config.json: linux.netDevices.eth1: must be an object");
	bad(NS_NET, "{'eth1': {'name': 1}}", "config.json: linux.netDevices.eth1.name: must be a string");
	bad(NS_NET, "{'': {}}", "config.json: linux.netDevices: '': empty name");
	bad(NS_NET, "{'averyveryverylongname': {}}",
	    "config.json: linux.netDevices: 'averyveryverylongname': longer than 15 bytes (IFNAMSIZ)");
	bad(NS_NET, "{'../eth0': {}}",
	    "config.json: linux.netDevices: '../eth0': must not hold '/', ':' or white space");
	bad(NS_NET, "{'eth%d': {}}",
	    "config.json: linux.netDevices: 'eth%d': must not hold '%' (a template is only for the name inside)");
	bad(NS_NET, "{'eth1': {'name': 'a/b'}}",
	    "config.json: linux.netDevices.eth1.name: 'a/b': must not hold '/', ':' or white space");
	bad(NS_NET, "{'eth1': {'name': '..'}}",
	    "config.json: linux.netDevices.eth1.name: '..': '.' and '..' are not device names");
	bad(NS_NET, "{'eth1': {'name': 'ctr%d%d'}}",
	    "config.json: linux.netDevices.eth1.name: 'ctr%d%d': a template holds one '%d' and no other '%'");
	bad(NS_NET, "{'eth1': {'name': 'x1234567890123456'}}",
	    "config.json: linux.netDevices.eth1.name: 'x1234567890123456': longer than 15 bytes (IFNAMSIZ)");
	bad(NS_NET, "{'eth1': {'name': 'ctr0'}, 'eth2': {'name': 'ctr0'}}",
	    "config.json: linux.netDevices: 'eth2' and another device would both be 'ctr0' in the container");
	bad(NS_NET, "{'eth1': {'name': 'eth2'}, 'eth2': {}}",
	    "config.json: linux.netDevices: 'eth2' and another device would both be 'eth2' in the container");
	bad("[{'type': 'mount'}]", "{'eth1': {}}",
	    "config.json: linux.netDevices: needs the container's own network namespace (a network entry "
	    "in linux.namespaces)");
	/* A device listed twice: JSON's duplicate key, refused by the loader. */
	tap_is_int(load(NS_NET, "{'eth1': {}, 'eth1': {'name': 'x'}}", &cfg, &err), -EINVAL, "a device twice: refused");
	tap_ok(strstr(err.msg, "duplicate object key") != NULL, "a device twice: '%s'", err.msg);
	nb_config_free(&cfg);
}

int main(void)
{
	test_names();
	test_clash();
	test_config();
	return tap_done();
}
