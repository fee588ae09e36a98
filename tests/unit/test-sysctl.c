/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for spec/sysctl.c: linux.sysctl keys, checked, normalised, classified. */
#include "spec/sysctl.h"
#include "tap.h"

#include <errno.h>
#include <string.h>

static void path_is(const char *key, const char *want)
{
	struct nb_error err = { 0 };
	char buf[NB_SYSCTL_PATH_MAX] = "";
	int r = nb_sysctl_path(key, buf, sizeof(buf), &err);

	if (!tap_is_int(r, 0, "'%s' is accepted", key))
		tap_diag("message: %s", err.msg);
	tap_is_str(buf, want, "'%s' normalises to '%s'", key, want);
}

static void path_fails(const char *key, const char *msg)
{
	struct nb_error err = { 0 };
	char buf[NB_SYSCTL_PATH_MAX];

	tap_is_int(nb_sysctl_path(key, buf, sizeof(buf), &err), -EINVAL, "'%s' is refused", key);
	tap_is_str(err.msg, msg, "'%s': message", key);
}

static void test_normalise(void)
{
	path_is("net.ipv4.ip_forward", "net/ipv4/ip_forward");
	path_is("net/ipv4/ip_forward", "net/ipv4/ip_forward");
	path_is("kernel.shmmax", "kernel/shmmax");
	path_is("fs.mqueue.msg_max", "fs/mqueue/msg_max");
	/* With '/', dots belong to the component (a VLAN interface). */
	path_is("net/ipv4/conf/eth0.100/forwarding", "net/ipv4/conf/eth0.100/forwarding");
	path_is("net/ipv6/conf/br-1:x@y+z/accept_ra", "net/ipv6/conf/br-1:x@y+z/accept_ra");
	path_is("vm.swappiness", "vm/swappiness");   /* valid syntax; classified below */
	path_is("a", "a");
	/* A component of three dots is a name, not "." or "..". */
	path_is("net/.../x", "net/.../x");
}

static void test_refused(void)
{
	path_fails("net/../kernel/core_pattern", "'net/../kernel/core_pattern': '..' is not allowed as a component");
	path_fails("net/ipv4/..", "'net/ipv4/..': '..' is not allowed as a component");
	path_fails("../kernel/core_pattern", "'../kernel/core_pattern': '..' is not allowed as a component");
	path_fails("net/./ipv4/ip_forward", "'net/./ipv4/ip_forward': '.' is not allowed as a component");
	path_fails("./net", "'./net': '.' is not allowed as a component");
	path_fails("", "'': empty component");
	path_fails(".", "'.': empty component");
	path_fails("net..ipv4", "'net..ipv4': empty component");
	path_fails(".net.ipv4", "'.net.ipv4': empty component");
	path_fails("net.ipv4.", "'net.ipv4.': empty component");
	path_fails("/net/ipv4/ip_forward", "'/net/ipv4/ip_forward': empty component");
	path_fails("net//ipv4", "'net//ipv4': empty component");
	path_fails("net/ipv4/", "'net/ipv4/': empty component");
	path_fails("net.ipv4.ip forward", "'net.ipv4.ip forward': only letters, digits and _ . : @ + - are allowed");
	path_fails("net.ipv4.ip=1", "'net.ipv4.ip=1': only letters, digits and _ . : @ + - are allowed");
	path_fails("net.ipv4\nkernel", "'net.ipv4\nkernel': only letters, digits and _ . : @ + - are allowed");
	path_fails("net/ipv4/*", "'net/ipv4/*': only letters, digits and _ . : @ + - are allowed");
	path_fails("net\\ipv4", "'net\\ipv4': only letters, digits and _ . : @ + - are allowed");
}

static void test_too_long(void)
{
	struct nb_error err = { 0 };
	char key[NB_SYSCTL_PATH_MAX + 8], small[8];

	memset(key, 'a', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	key[3] = '.';
	tap_is_int(nb_sysctl_path(key, small, sizeof(small), &err), -ENAMETOOLONG, "a key too long for BUF");
	tap_is_int(nb_sysctl_path("net.ipv4.ip_forward", small, sizeof(small), &err), -ENAMETOOLONG,
		   "a short buffer");
	tap_is_int(nb_sysctl_path("net", small, 4, &err), 0, "exactly fits (with its NUL)");
}

static void test_namespace(void)
{
	static const struct { const char *path; enum nb_ns_type ns; } cases[] = {
		{ "kernel/msgmax", NB_NS_IPC }, { "kernel/msgmnb", NB_NS_IPC }, { "kernel/msgmni", NB_NS_IPC },
		{ "kernel/sem", NB_NS_IPC }, { "kernel/shmall", NB_NS_IPC }, { "kernel/shmmax", NB_NS_IPC },
		{ "kernel/shmmni", NB_NS_IPC }, { "kernel/shm_rmid_forced", NB_NS_IPC },
		{ "fs/mqueue/msg_max", NB_NS_IPC }, { "fs/mqueue/queues_max", NB_NS_IPC },
		{ "net/ipv4/ip_forward", NB_NS_NET }, { "net/ipv4/conf/eth0.100/forwarding", NB_NS_NET },
		{ "kernel/hostname", NB_NS_UTS }, { "kernel/domainname", NB_NS_UTS },
		{ "kernel/core_pattern", NB_NS_COUNT }, { "kernel/msgmax/x", NB_NS_COUNT },
		{ "vm/swappiness", NB_NS_COUNT }, { "net", NB_NS_COUNT }, { "fs/mqueue", NB_NS_COUNT },
		{ "netfilter/x", NB_NS_COUNT }, { "kernel/shmmaxx", NB_NS_COUNT },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		tap_is_int(nb_sysctl_namespace(cases[i].path), cases[i].ns, "'%s' namespace", cases[i].path);
}

int main(void)
{
	test_normalise();
	test_refused();
	test_too_long();
	test_namespace();
	return tap_done();
}
