/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "spec/mempolicy.h"
#include "spec/resources.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *name; int mode; } modes[] = {
	{ "MPOL_DEFAULT", NB_MPOL_DEFAULT },
	{ "MPOL_BIND", NB_MPOL_BIND },
	{ "MPOL_INTERLEAVE", NB_MPOL_INTERLEAVE },
	{ "MPOL_WEIGHTED_INTERLEAVE", NB_MPOL_WEIGHTED_INTERLEAVE },
	{ "MPOL_PREFERRED", NB_MPOL_PREFERRED },
	{ "MPOL_PREFERRED_MANY", NB_MPOL_PREFERRED_MANY },
	{ "MPOL_LOCAL", NB_MPOL_LOCAL },
};

static const struct { const char *name; unsigned flag; } flags[] = {
	{ "MPOL_F_NUMA_BALANCING", NB_MPOL_F_NUMA_BALANCING },
	{ "MPOL_F_RELATIVE_NODES", NB_MPOL_F_RELATIVE_NODES },
	{ "MPOL_F_STATIC_NODES", NB_MPOL_F_STATIC_NODES },
};

const char *const nb_mempolicy_mode_names[] = {
	"MPOL_DEFAULT", "MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_WEIGHTED_INTERLEAVE",
	"MPOL_PREFERRED", "MPOL_PREFERRED_MANY", "MPOL_LOCAL", NULL,
};

const char *const nb_mempolicy_flag_names[] = {
	"MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES", "MPOL_F_STATIC_NODES", NULL,
};

int nb_mempolicy_mode(const char *name)
{
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(modes[i].name, name) == 0)
			return modes[i].mode;
	return -1;
}

const char *nb_mempolicy_mode_name(int mode)
{
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (modes[i].mode == mode)
			return modes[i].name;
	return "?";
}

unsigned nb_mempolicy_flag(const char *name)
{
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (strcmp(flags[i].name, name) == 0)
			return flags[i].flag;
	return 0;
}

#define WORD_BITS (8 * sizeof(unsigned long))

static void set_node(struct nb_mempolicy *mp, unsigned long node)
{
	unsigned long bit = 1UL << (node % WORD_BITS);

	if (!(mp->nodes[node / WORD_BITS] & bit))
		mp->n_nodes++;
	mp->nodes[node / WORD_BITS] |= bit;
}

int nb_mempolicy_parse_nodes(const char *list, struct nb_mempolicy *mp, const char **why)
{
	memset(mp->nodes, 0, sizeof(mp->nodes));
	mp->n_nodes = 0;
	if (!*list)
		return 0;
	/* The syntax of a cpuset list, strictly ("0-", "1,,2", "3-1" and
	 * spaces are refused); then every number is known to be below 2^20. */
	if (nb_cpuset_list_check(list, why) < 0)
		return -EINVAL;
	for (const char *p = list; *p; ) {
		char *end;
		unsigned long lo = strtoul(p, &end, 10), hi = lo;

		if (*end == '-')
			hi = strtoul(end + 1, &end, 10);
		if (hi >= NB_MPOL_MAX_NODES) {
			*why = "a node above 1023 (nsbox names nodes 0 to 1023)";
			return -EINVAL;
		}
		for (unsigned long n = lo; n <= hi; n++)
			set_node(mp, n);
		p = *end == ',' ? end + 1 : end;
	}
	return 0;
}

int nb_mempolicy_check(const struct nb_mempolicy *mp, const char **field, const char **why)
{
	unsigned pin = NB_MPOL_F_STATIC_NODES | NB_MPOL_F_RELATIVE_NODES;

	*field = "nodes";
	switch (mp->mode) {
	case NB_MPOL_DEFAULT:
	case NB_MPOL_LOCAL:
		if (mp->n_nodes) {
			*why = mp->mode == NB_MPOL_DEFAULT ? "MPOL_DEFAULT takes no nodes" :
							     "MPOL_LOCAL takes no nodes";
			return -EINVAL;
		}
		break;
	case NB_MPOL_BIND:
	case NB_MPOL_INTERLEAVE:
	case NB_MPOL_WEIGHTED_INTERLEAVE:
	case NB_MPOL_PREFERRED_MANY:
		if (!mp->n_nodes) {
			*why = "required with this mode (at least one node)";
			return -EINVAL;
		}
		break;
	case NB_MPOL_PREFERRED:
		break;
	default:
		*field = "mode";
		*why = "unknown mode";
		return -EINVAL;
	}
	*field = "flags";
	if ((mp->flags & pin) == pin) {
		*why = "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other";
		return -EINVAL;
	}
	if ((mp->flags & pin) && (mp->mode == NB_MPOL_LOCAL || (mp->mode == NB_MPOL_PREFERRED && !mp->n_nodes))) {
		*why = mp->mode == NB_MPOL_LOCAL ? "MPOL_LOCAL takes neither MPOL_F_STATIC_NODES nor MPOL_F_RELATIVE_NODES" :
						   "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES need nodes";
		return -EINVAL;
	}
	if ((mp->flags & NB_MPOL_F_NUMA_BALANCING) && mp->mode != NB_MPOL_BIND &&
	    mp->mode != NB_MPOL_PREFERRED_MANY) {
		*why = "MPOL_F_NUMA_BALANCING is only for MPOL_BIND and MPOL_PREFERRED_MANY";
		return -EINVAL;
	}
	return 0;
}
