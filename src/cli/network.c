/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* network.c: `nsbox network ls|inspect|create|rm|prune`: nsbox's bridges
 * and their subnets (runtime/network.h). */
#include "cli/commands.h"
#include "base/strutil.h"
#include "runtime/network.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char network_usage[] =
"Usage: nsbox network COMMAND\n"
"\n"
"Manage nsbox's networks: bridges in the host's network namespace, each with\n"
"a subnet, for sandboxes run with --net bridge[:NAME].\n"
"\n"
"Commands:\n"
"  ls [--quiet]                  list the networks\n"
"  inspect NAME                  the network and its running sandboxes, as JSON\n"
"  create NAME [--subnet CIDR]   make a network and its bridge\n"
"  rm NAME...                    remove networks no sandbox uses, and their bridges\n"
"  prune                         remove what killed sandboxes left: leases, veths,\n"
"                                NAT rules; restore ip_forward\n";

static int cmd_ls(int argc, char *argv[], const char *dir)
{
	struct nb_network_entry *list = NULL;
	struct nb_error err = { 0 };
	bool quiet = argc == 2 && (nb_streq(argv[1], "--quiet") || nb_streq(argv[1], "-q"));
	size_t n = 0;

	if (argc > 2 || (argc == 2 && !quiet))
		return nb_cli_usage("network ", "network ls: unexpected argument '%s'", argv[argc - 1]);
	if (nb_network_list(dir, &list, &n, &err) < 0)
		return nb_cli_fail(&err, NULL);
	if (!quiet)
		printf("%-16s %-18s %-15s %-9s %s\n", "NAME", "SUBNET", "GATEWAY", "SANDBOXES", "BRIDGE");
	for (size_t i = 0; i < n; i++) {
		char s[NB_CIDR4_STRLEN], gw[NB_IP4_STRLEN];

		if (quiet) {
			printf("%s\n", list[i].net.name);
			continue;
		}
		printf("%-16s %-18s %-15s %-9zu %s\n", list[i].net.name, nb_cidr4_format(&list[i].net.subnet, s),
		       nb_ip4_format(list[i].net.gateway, gw), list[i].sandboxes,
		       list[i].bridge_up ? "present" : "missing");
	}
	free(list);
	return 0;
}

static int cmd_inspect(int argc, char *argv[], const char *dir)
{
	struct nb_error err = { 0 };
	char *json = NULL;

	if (argc != 2)
		return nb_cli_usage("network ", "network inspect: expected one network name");
	if (nb_network_inspect(dir, argv[1], &json, &err) < 0)
		return nb_cli_fail(&err, NULL);
	printf("%s\n", json);
	free(json);
	return 0;
}

static int cmd_create(int argc, char *argv[], const char *dir)
{
	static const struct option opts[] = {
		{ "subnet", required_argument, NULL, 's' }, { NULL, 0, NULL, 0 },
	};
	struct nb_error err = { 0 };
	struct nb_cidr4 subnet;
	struct nb_network net;
	bool has_subnet = false;
	char s[NB_CIDR4_STRLEN];
	int opt;

	opterr = 0;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt != 's')
			return nb_cli_usage("network ", "network create: unknown option '%s'", argv[optind - 1]);
		if (nb_cidr4_parse(optarg, &subnet, "--subnet", &err) < 0)
			return nb_cli_fail(&err, "network ");
		has_subnet = true;
	}
	if (argc - optind != 1)
		return nb_cli_usage("network ", "network create: expected one network name");
	if (has_subnet) {
		struct nb_net_spec spec = { .mode = NB_NET_BRIDGE, .has_subnet = true, .subnet = subnet };

		if (nb_net_check(&spec, 0, &err) < 0)
			return nb_cli_fail(&err, "network ");
	}
	if (nb_net_name_check(argv[optind], "network create", &err) < 0)
		return nb_cli_fail(&err, "network ");
	if (nb_network_create(dir, argv[optind], has_subnet ? &subnet : NULL, &net, &err) < 0)
		return nb_cli_fail(&err, NULL);
	printf("%s %s\n", net.name, nb_cidr4_format(&net.subnet, s));
	return 0;
}

static int cmd_rm(int argc, char *argv[], const char *dir)
{
	int status = 0;

	if (argc < 2)
		return nb_cli_usage("network ", "network rm: expected network names");
	for (int i = 1; i < argc; i++) {
		struct nb_error err = { 0 };

		if (nb_network_remove(dir, argv[i], &err) < 0)
			status = nb_cli_fail(&err, NULL);
	}
	return status;
}

static int cmd_prune(int argc, char *argv[], const char *dir)
{
	struct nb_error err = { 0 };
	size_t removed = 0;

	if (argc != 1)
		return nb_cli_usage("network ", "network prune: unexpected argument '%s'", argv[1]);
	if (nb_network_prune(dir, &removed, &err) < 0)
		return nb_cli_fail(&err, NULL);
	if (removed)
		printf("removed %zu stale lease%s\n", removed, removed == 1 ? "" : "s");
	return 0;
}

int nb_cmd_network(const struct nb_globals *g, int argc, char *argv[])
{
	static const struct {
		const char *name;
		int (*run)(int argc, char *argv[], const char *dir);
	} cmds[] = {
		{ "ls", cmd_ls }, { "list", cmd_ls }, { "inspect", cmd_inspect }, { "create", cmd_create },
		{ "rm", cmd_rm }, { "remove", cmd_rm }, { "prune", cmd_prune },
	};

	(void)g;   /* networks belong to the host, not to a --root */
	if (argc < 2)
		return nb_cli_usage("network ", "network: expected a command (ls, inspect, create, rm, prune)");
	if (nb_streq(argv[1], "--help") || nb_streq(argv[1], "-h") || nb_streq(argv[1], "help")) {
		fputs(network_usage, stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (nb_streq(argv[1], cmds[i].name))
			return cmds[i].run(argc - 1, argv + 1, nb_net_dir());
	return nb_cli_usage("network ", "network: unknown command '%s' (ls, inspect, create, rm, prune)", argv[1]);
}
