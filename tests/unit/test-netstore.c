/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for runtime/netstore.c in a temporary directory (no root):
 * networks and leases written, read back, listed, claimed once, removed;
 * a lease's holder alive or gone; the saved ip_forward. */
#include "runtime/netstore.h"
#include "tap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/state.h"

static char dir[] = "/tmp/nsbox-test-netstore.XXXXXX";

static void test_networks(struct nb_netstore *ns)
{
	struct nb_error err = { 0 };
	struct nb_network net = { .name = "nbt0", .subnet = { 0x0a580000, 24 }, .gateway = 0x0a580001 }, got;
	struct nb_network *list = NULL;
	size_t n = 0;

	tap_is_int(nb_netstore_network_load(ns, "nbt0", &got, &err), -ENOENT, "no network yet");
	tap_is_int(nb_netstore_network_save(ns, &net, &err), 0, "save a network");
	tap_is_int(nb_netstore_network_load(ns, "nbt0", &got, &err), 0, "load it back");
	tap_ok(got.subnet.addr == net.subnet.addr && got.subnet.prefix == 24 && got.gateway == net.gateway,
	       "with its subnet and gateway");
	tap_is_int(nb_netstore_networks(ns, &list, &n, &err), 0, "list networks");
	tap_is_int((long long)n, 1, "one network");
	free(list);
	tap_is_int(nb_netstore_network_load(ns, "../x", &got, &err), -EINVAL, "a bad name is refused");
}

static void test_leases(struct nb_netstore *ns)
{
	struct nb_error err = { 0 };
	struct nb_lease l = { .network = "nbt0", .addr = 0x0a580002, .veth = "nsbv00000001", .hostname = "box",
			      .name = "web", .nat = true, .n_publish = 1 };
	struct nb_lease *list = NULL;
	size_t n = 0;
	char state, path[256], text[64];
	pid_t child;

	l.publish[0] = (struct nb_publish){ NB_PROTO_UDP, 0x7f000001, 5353, 53 };
	l.pid = getpid();
	nb_proc_start_time(l.pid, &l.start_time, &state);
	tap_is_int(nb_netstore_lease_claim(ns, "nbt0", l.addr, &err), 0, "claim 10.88.0.2");
	tap_is_int(nb_netstore_lease_claim(ns, "nbt0", l.addr, &err), -EADDRINUSE, "a second claim fails");
	tap_is_str(err.msg, "address 10.88.0.2 in use on network 'nbt0'", "its message");
	tap_is_int(nb_netstore_leases(ns, "nbt0", &list, &n, &err), 0, "list a claimed lease");
	tap_ok(n == 1 && list[0].half_made && !nb_netstore_lease_alive(&list[0]),
	       "without lease.json it is half made, not alive");
	free(list);
	tap_is_int(nb_netstore_lease_save(ns, &l, &err), 0, "save the lease");
	tap_is_int(nb_netstore_lease_file(ns, "nbt0", l.addr, "hosts", "127.0.0.1 localhost\n", &err), 0,
		   "write its hosts file");
	tap_is_int(nb_netstore_leases(ns, NULL, &list, &n, &err), 0, "list every lease");
	tap_ok(n == 1 && !list[0].half_made && list[0].addr == l.addr && strcmp(list[0].veth, l.veth) == 0 &&
	       strcmp(list[0].hostname, "box") == 0 && strcmp(list[0].name, "web") == 0 && list[0].nat &&
	       list[0].n_publish == 1 && list[0].publish[0].proto == NB_PROTO_UDP &&
	       list[0].publish[0].host_port == 5353, "read back whole");
	tap_ok(n == 1 && nb_netstore_lease_alive(&list[0]), "held by us: alive");
	free(list);

	/* A holder that is gone: a child that exited. */
	child = fork();
	if (child == 0)
		_exit(0);
	l.pid = child;
	nb_proc_start_time(child, &l.start_time, &state);
	waitpid(child, NULL, 0);
	tap_ok(!nb_netstore_lease_alive(&l), "a holder that exited: stale");
	l.pid = getpid();
	l.start_time += 1;
	tap_ok(!nb_netstore_lease_alive(&l), "our pid with another start time: stale (a reused pid)");

	tap_is_int(nb_netstore_lease_remove(ns, "nbt0", l.addr, &err), 0, "remove the lease");
	snprintf(path, sizeof(path), "%s/leases/nbt0/10.88.0.2", dir);
	tap_ok(access(path, F_OK) < 0 && errno == ENOENT, "its directory is gone");
	tap_is_int(nb_netstore_network_remove(ns, "nbt0", &err), 0, "remove the network");
	snprintf(text, sizeof(text), "%s/networks/nbt0.json", dir);
	tap_ok(access(text, F_OK) < 0, "its record is gone");
}

static void test_forward(struct nb_netstore *ns)
{
	struct nb_error err = { 0 };
	int v = 7;

	tap_is_int(nb_netstore_forward_saved(ns, &v, &err), 0, "read the saved ip_forward");
	tap_is_int(v, -1, "none saved");
	tap_is_int(nb_netstore_forward_save(ns, 0, &err), 0, "save 0");
	nb_netstore_forward_saved(ns, &v, &err);
	tap_is_int(v, 0, "0 saved");
	tap_is_int(nb_netstore_forward_forget(ns, &err), 0, "forget it");
	nb_netstore_forward_saved(ns, &v, &err);
	tap_is_int(v, -1, "none saved again");
}

int main(void)
{
	struct nb_netstore ns;
	struct nb_error err = { 0 };
	bool exists = true;
	char sub[64];

	if (!mkdtemp(dir))
		return 1;
	snprintf(sub, sizeof(sub), "%s/none", dir);
	tap_is_int(nb_netstore_lock_existing(&ns, sub, &exists, &err), 0, "a store that does not exist");
	tap_ok(!exists, "is said so");
	if (!tap_is_int(nb_netstore_lock(&ns, dir, &err), 0, "open and lock the store"))
		tap_diag("%s", err.msg);
	test_networks(&ns);
	test_leases(&ns);
	test_forward(&ns);
	nb_netstore_unlock(&ns);
	/* Leave nothing: the store's own files. */
	snprintf(sub, sizeof(sub), "rm -rf --one-file-system '%s'", dir);
	if (system(sub) != 0)
		tap_diag("could not remove %s", dir);
	return tap_done();
}
