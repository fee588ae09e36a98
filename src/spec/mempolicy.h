/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mempolicy.h: an OCI linux.memoryPolicy as the NUMA memory policy of
 * set_mempolicy(2) (pure: names, node lists and the rules, no system call;
 * linux/mempolicy.h applies it).
 *
 * The modes and flags are the kernel's numbers (include/uapi/linux/
 * mempolicy.h), defined here because the C library's headers may predate
 * the newer ones (MPOL_PREFERRED_MANY, Linux 5.15; MPOL_WEIGHTED_INTERLEAVE,
 * 6.9; MPOL_F_NUMA_BALANCING, 5.12). The node list is a cpuset list
 * ("0-3,7") of nodes below NB_MPOL_MAX_NODES.
 *
 * The rules nb_mempolicy_check() enforces are those of the runtime spec
 * and the kernel's EINVAL cases, so that a config the kernel would refuse
 * fails at create, naming its field:
 *   - MPOL_DEFAULT and MPOL_LOCAL take no nodes;
 *   - MPOL_BIND, MPOL_INTERLEAVE, MPOL_WEIGHTED_INTERLEAVE and
 *     MPOL_PREFERRED_MANY need at least one;
 *   - MPOL_PREFERRED takes any (the kernel prefers the first; none
 *     means local allocation);
 *   - MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other,
 *     and are refused with MPOL_LOCAL and with MPOL_PREFERRED without a
 *     node (with MPOL_DEFAULT the kernel ignores them);
 *   - MPOL_F_NUMA_BALANCING only with MPOL_BIND or MPOL_PREFERRED_MANY.
 */
#ifndef NSBOX_SPEC_MEMPOLICY_H
#define NSBOX_SPEC_MEMPOLICY_H

#include <stdbool.h>
#include <stddef.h>

enum {
	NB_MPOL_DEFAULT = 0,
	NB_MPOL_PREFERRED = 1,
	NB_MPOL_BIND = 2,
	NB_MPOL_INTERLEAVE = 3,
	NB_MPOL_LOCAL = 4,
	NB_MPOL_PREFERRED_MANY = 5,
	NB_MPOL_WEIGHTED_INTERLEAVE = 6,
};

#define NB_MPOL_F_NUMA_BALANCING (1u << 13)
#define NB_MPOL_F_RELATIVE_NODES (1u << 14)
#define NB_MPOL_F_STATIC_NODES   (1u << 15)

/* Nodes nsbox can name: Debian's kernels have CONFIG_NODES_SHIFT=10. */
#define NB_MPOL_MAX_NODES 1024
#define NB_MPOL_MASK_WORDS (NB_MPOL_MAX_NODES / (8 * sizeof(unsigned long)))

struct nb_mempolicy {
	bool set;                 /* linux.memoryPolicy is given */
	int mode;                 /* NB_MPOL_* */
	unsigned flags;           /* NB_MPOL_F_* */
	size_t n_nodes;           /* nodes in the mask; 0: none (NULL to the kernel) */
	unsigned long nodes[NB_MPOL_MASK_WORDS];
};

/* The spec's names, in its order, NULL-terminated (nsbox features). */
extern const char *const nb_mempolicy_mode_names[];
extern const char *const nb_mempolicy_flag_names[];

/* "MPOL_BIND" -> NB_MPOL_BIND; -1 if unknown. */
int nb_mempolicy_mode(const char *name);
/* "MPOL_F_STATIC_NODES" -> NB_MPOL_F_STATIC_NODES; 0 if unknown. */
unsigned nb_mempolicy_flag(const char *name);
/* The spec's name of MODE ("MPOL_BIND"), or "?". */
const char *nb_mempolicy_mode_name(int mode);

/* Parse the node list LIST ("0-3,7"; "" is no node) into MP's mask.
 * 0, or -EINVAL with *WHY saying what is wrong. */
int nb_mempolicy_parse_nodes(const char *list, struct nb_mempolicy *mp, const char **why);

/* Check MP's mode, nodes and flags together (the rules above). 0, or
 * -EINVAL with *FIELD ("nodes", "flags") and *WHY. */
int nb_mempolicy_check(const struct nb_mempolicy *mp, const char **field, const char **why);

#endif
