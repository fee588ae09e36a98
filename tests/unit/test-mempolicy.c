/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for spec/mempolicy.c and the linux.memoryPolicy of a config.json. */
#include "spec/mempolicy.h"
#include "spec/oci.h"
#include "tap.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A minimal config.json with MP as linux.memoryPolicy (single quotes
 * become double quotes). */
static char *doc(const char *mp)
{
	char *s;

	if (asprintf(&s, "{'ociVersion': '1.0.2', 'root': {'path': 'rootfs'}, 'process': {'args': ['sh'],"
		     " 'cwd': '/', 'user': {'uid': 0, 'gid': 0}}, 'linux': {'namespaces': [{'type': 'mount'}],"
		     " 'memoryPolicy': %s}}", mp) < 0)
		abort();
	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	return s;
}

static int load(const char *mp, struct nb_config *cfg, struct nb_error *err)
{
	char *text = doc(mp);
	int r;

	nb_config_init(cfg);
	nb_error_clear(err);
	r = nb_oci_load(text, strlen(text), "/b", cfg, err);
	free(text);
	return r;
}

/* MP loads, with MODE, FLAGS and the first mask word WORD0. */
static void good(const char *mp, int mode, unsigned flags, unsigned long word0, size_t n_nodes)
{
	struct nb_config cfg;
	struct nb_error err;

	if (tap_is_int(load(mp, &cfg, &err), 0, "%s: loads", mp)) {
		const struct nb_mempolicy *m = &cfg.oci.mempolicy;

		tap_ok(m->set, "%s: set", mp);
		tap_is_int(m->mode, mode, "%s: mode", mp);
		tap_is_int(m->flags, flags, "%s: flags", mp);
		tap_is_u64(m->nodes[0], word0, "%s: nodes", mp);
		tap_is_int((long long)m->n_nodes, (long long)n_nodes, "%s: node count", mp);
	} else {
		tap_diag("message: %s", err.msg);
	}
	nb_config_free(&cfg);
}

static void bad(const char *mp, const char *msg)
{
	struct nb_config cfg;
	struct nb_error err;

	tap_is_int(load(mp, &cfg, &err), -EINVAL, "%s: refused", mp);
	tap_is_str(err.msg, msg, "%s: message", mp);
	nb_config_free(&cfg);
}

static void test_names(void)
{
	tap_is_int(nb_mempolicy_mode("MPOL_DEFAULT"), 0, "MPOL_DEFAULT is 0");
	tap_is_int(nb_mempolicy_mode("MPOL_PREFERRED"), 1, "MPOL_PREFERRED is 1");
	tap_is_int(nb_mempolicy_mode("MPOL_BIND"), 2, "MPOL_BIND is 2");
	tap_is_int(nb_mempolicy_mode("MPOL_INTERLEAVE"), 3, "MPOL_INTERLEAVE is 3");
	tap_is_int(nb_mempolicy_mode("MPOL_LOCAL"), 4, "MPOL_LOCAL is 4");
	tap_is_int(nb_mempolicy_mode("MPOL_PREFERRED_MANY"), 5, "MPOL_PREFERRED_MANY is 5");
	tap_is_int(nb_mempolicy_mode("MPOL_WEIGHTED_INTERLEAVE"), 6, "MPOL_WEIGHTED_INTERLEAVE is 6");
	tap_is_int(nb_mempolicy_mode("mpol_bind"), -1, "names are case-sensitive");
	tap_is_int(nb_mempolicy_mode("BIND"), -1, "the MPOL_ prefix is required");
	tap_is_int(nb_mempolicy_flag("MPOL_F_STATIC_NODES"), 1 << 15, "MPOL_F_STATIC_NODES");
	tap_is_int(nb_mempolicy_flag("MPOL_F_RELATIVE_NODES"), 1 << 14, "MPOL_F_RELATIVE_NODES");
	tap_is_int(nb_mempolicy_flag("MPOL_F_NUMA_BALANCING"), 1 << 13, "MPOL_F_NUMA_BALANCING");
	tap_is_int(nb_mempolicy_flag("MPOL_F_NODE"), 0, "a get_mempolicy flag is not a mode flag");
	tap_is_str(nb_mempolicy_mode_name(2), "MPOL_BIND", "the name of mode 2");
	for (size_t i = 0; nb_mempolicy_mode_names[i]; i++)
		tap_ok(nb_mempolicy_mode(nb_mempolicy_mode_names[i]) >= 0, "listed mode %s is known",
		       nb_mempolicy_mode_names[i]);
	for (size_t i = 0; nb_mempolicy_flag_names[i]; i++)
		tap_ok(nb_mempolicy_flag(nb_mempolicy_flag_names[i]) != 0, "listed flag %s is known",
		       nb_mempolicy_flag_names[i]);
}

static void test_nodes(void)
{
	static const struct { const char *list; unsigned long w0, w1; size_t n; } ok[] = {
		{ "0", 0x1, 0, 1 }, { "0-3,7", 0x8f, 0, 5 }, { "1,1,1", 0x2, 0, 1 },
		{ "0-3,2-5", 0x3f, 0, 6 }, { "63-64", 1UL << 63, 0x1, 2 }, { "", 0, 0, 0 },
	};
	static const struct { const char *list, *why; } ko[] = {
		{ "0-", "a range needs its last number" }, { "3-1", "a range must go up" },
		{ "1,,2", "expected a number below 1048576" }, { "a", "expected a number below 1048576" },
		{ " 1", "expected a number below 1048576" }, { "1 ", "expected numbers and ranges (0-3) joined by commas" },
		{ "1024", "a node above 1023 (nsbox names nodes 0 to 1023)" },
		{ "0-1024", "a node above 1023 (nsbox names nodes 0 to 1023)" },
		{ "-1", "expected a number below 1048576" },
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct nb_mempolicy mp = { 0 };
		const char *why = NULL;

		if (!tap_is_int(nb_mempolicy_parse_nodes(ok[i].list, &mp, &why), 0, "nodes '%s'", ok[i].list))
			tap_diag("why: %s", why);
		tap_is_u64(mp.nodes[0], ok[i].w0, "nodes '%s': word 0", ok[i].list);
		tap_is_u64(mp.nodes[1], ok[i].w1, "nodes '%s': word 1", ok[i].list);
		tap_is_int((long long)mp.n_nodes, (long long)ok[i].n, "nodes '%s': count", ok[i].list);
	}
	for (size_t i = 0; i < sizeof(ko) / sizeof(ko[0]); i++) {
		struct nb_mempolicy mp = { 0 };
		const char *why = "";

		tap_is_int(nb_mempolicy_parse_nodes(ko[i].list, &mp, &why), -EINVAL, "nodes '%s' refused", ko[i].list);
		tap_is_str(why, ko[i].why, "nodes '%s': why", ko[i].list);
	}
	{
		struct nb_mempolicy mp = { 0 };
		const char *why = NULL;

		tap_is_int(nb_mempolicy_parse_nodes("1023", &mp, &why), 0, "node 1023 is the last");
		tap_is_u64(mp.nodes[NB_MPOL_MASK_WORDS - 1], 1UL << (8 * sizeof(unsigned long) - 1),
			   "node 1023: the last bit of the mask");
	}
}

static void test_config(void)
{
	good("{'mode': 'MPOL_BIND', 'nodes': '0'}", NB_MPOL_BIND, 0, 0x1, 1);
	good("{'mode': 'MPOL_INTERLEAVE', 'nodes': '2-3', 'flags': ['MPOL_F_STATIC_NODES']}",
	     NB_MPOL_INTERLEAVE, NB_MPOL_F_STATIC_NODES, 0xc, 2);
	good("{'mode': 'MPOL_WEIGHTED_INTERLEAVE', 'nodes': '0,1', 'flags': ['MPOL_F_RELATIVE_NODES']}",
	     NB_MPOL_WEIGHTED_INTERLEAVE, NB_MPOL_F_RELATIVE_NODES, 0x3, 2);
	good("{'mode': 'MPOL_BIND', 'nodes': '0', 'flags': ['MPOL_F_NUMA_BALANCING', 'MPOL_F_STATIC_NODES']}",
	     NB_MPOL_BIND, NB_MPOL_F_NUMA_BALANCING | NB_MPOL_F_STATIC_NODES, 0x1, 1);
	good("{'mode': 'MPOL_PREFERRED_MANY', 'nodes': '0-1', 'flags': ['MPOL_F_NUMA_BALANCING']}",
	     NB_MPOL_PREFERRED_MANY, NB_MPOL_F_NUMA_BALANCING, 0x3, 2);
	good("{'mode': 'MPOL_PREFERRED', 'nodes': '1'}", NB_MPOL_PREFERRED, 0, 0x2, 1);
	good("{'mode': 'MPOL_PREFERRED'}", NB_MPOL_PREFERRED, 0, 0, 0);
	good("{'mode': 'MPOL_PREFERRED', 'nodes': '0-2'}", NB_MPOL_PREFERRED, 0, 0x7, 3);
	good("{'mode': 'MPOL_DEFAULT'}", NB_MPOL_DEFAULT, 0, 0, 0);
	good("{'mode': 'MPOL_DEFAULT', 'nodes': ''}", NB_MPOL_DEFAULT, 0, 0, 0);
	good("{'mode': 'MPOL_LOCAL', 'flags': []}", NB_MPOL_LOCAL, 0, 0, 0);
	/* The kernel ignores them with MPOL_DEFAULT. */
	good("{'mode': 'MPOL_DEFAULT', 'flags': ['MPOL_F_STATIC_NODES']}", NB_MPOL_DEFAULT,
	     NB_MPOL_F_STATIC_NODES, 0, 0);

	bad("[]", "config.json: linux.memoryPolicy: must be an object");
	bad("{}", "config.json: linux.memoryPolicy.mode: required");
	bad("{'mode': 2}", "config.json: linux.memoryPolicy.mode: must be a string");
	bad("{'mode': 'MPOL_FOO'}", "config.json: linux.memoryPolicy.mode: unknown mode 'MPOL_FOO' "
	    "(MPOL_DEFAULT, MPOL_BIND, MPOL_INTERLEAVE, MPOL_WEIGHTED_INTERLEAVE, MPOL_PREFERRED, "
	    "MPOL_PREFERRED_MANY or MPOL_LOCAL)");
	bad("{'mode': 'MPOL_BIND', 'nodes': 0}", "config.json: linux.memoryPolicy.nodes: must be a string");
	bad("{'mode': 'MPOL_BIND', 'nodes': '0-'}",
	    "config.json: linux.memoryPolicy.nodes: '0-': a range needs its last number");
	bad("{'mode': 'MPOL_BIND', 'nodes': '4096'}",
	    "config.json: linux.memoryPolicy.nodes: '4096': a node above 1023 (nsbox names nodes 0 to 1023)");
	bad("{'mode': 'MPOL_BIND'}",
	    "config.json: linux.memoryPolicy.nodes: required with this mode (at least one node)");
	bad("{'mode': 'MPOL_INTERLEAVE', 'nodes': ''}",
	    "config.json: linux.memoryPolicy.nodes: required with this mode (at least one node)");
	bad("{'mode': 'MPOL_WEIGHTED_INTERLEAVE'}",
	    "config.json: linux.memoryPolicy.nodes: required with this mode (at least one node)");
	bad("{'mode': 'MPOL_PREFERRED_MANY'}",
	    "config.json: linux.memoryPolicy.nodes: required with this mode (at least one node)");
	bad("{'mode': 'MPOL_DEFAULT', 'nodes': '0'}", "config.json: linux.memoryPolicy.nodes: MPOL_DEFAULT takes no nodes");
	bad("{'mode': 'MPOL_LOCAL', 'nodes': '0'}", "config.json: linux.memoryPolicy.nodes: MPOL_LOCAL takes no nodes");
	bad("{'mode': 'MPOL_BIND', 'nodes': '0', 'flags': 'MPOL_F_STATIC_NODES'}",
	    "config.json: linux.memoryPolicy.flags: must be an array of strings");
	bad("{'mode': 'MPOL_BIND', 'nodes': '0', 'flags': ['MPOL_F_STATIC_NODES', 'MPOL_F_X']}",
	    "config.json: linux.memoryPolicy.flags[1]: unknown flag 'MPOL_F_X' (MPOL_F_NUMA_BALANCING, "
	    "MPOL_F_RELATIVE_NODES or MPOL_F_STATIC_NODES)");
	bad("{'mode': 'MPOL_BIND', 'nodes': '0', 'flags': ['MPOL_F_STATIC_NODES', 'MPOL_F_RELATIVE_NODES']}",
	    "config.json: linux.memoryPolicy.flags: MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other");
	bad("{'mode': 'MPOL_LOCAL', 'flags': ['MPOL_F_STATIC_NODES']}",
	    "config.json: linux.memoryPolicy.flags: MPOL_LOCAL takes neither MPOL_F_STATIC_NODES nor "
	    "MPOL_F_RELATIVE_NODES");
	bad("{'mode': 'MPOL_PREFERRED', 'flags': ['MPOL_F_RELATIVE_NODES']}",
	    "config.json: linux.memoryPolicy.flags: MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES need nodes");
	bad("{'mode': 'MPOL_INTERLEAVE', 'nodes': '0', 'flags': ['MPOL_F_NUMA_BALANCING']}",
	    "config.json: linux.memoryPolicy.flags: MPOL_F_NUMA_BALANCING is only for MPOL_BIND and "
	    "MPOL_PREFERRED_MANY");
	bad("{'mode': 'MPOL_DEFAULT', 'flags': ['MPOL_F_NUMA_BALANCING']}",
	    "config.json: linux.memoryPolicy.flags: MPOL_F_NUMA_BALANCING is only for MPOL_BIND and "
	    "MPOL_PREFERRED_MANY");

	{
		struct nb_config cfg;
		struct nb_error err;
		char *text = strdup("{\"ociVersion\": \"1.0.2\", \"root\": {\"path\": \"rootfs\"}, \"process\": "
				    "{\"args\": [\"sh\"], \"cwd\": \"/\", \"user\": {\"uid\": 0, \"gid\": 0}}}");

		nb_config_init(&cfg);
		tap_is_int(nb_oci_load(text, strlen(text), "/b", &cfg, &err), 0, "no memoryPolicy: loads");
		tap_ok(!cfg.oci.mempolicy.set, "no memoryPolicy: not set");
		nb_config_free(&cfg);
		free(text);
	}
}

int main(void)
{
	test_names();
	test_nodes();
	test_config();
	return tap_done();
}
