/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * devices.bpf.c: nsbox's cgroup v2 device program (BPF_PROG_TYPE_CGROUP_DEVICE),
 * what linux/cgroup_bpf.c attaches to a container's cgroup. Built with
 * clang -target bpf and turned into a libbpf skeleton (bpf/devices.skel.h)
 * by `bpftool gen skeleton` at build time (src/bpf/meson.build).
 *
 * The kernel calls it at each open and mknod of a char or block node by a
 * process of the cgroup, with the device's type, major and minor and the
 * access asked for; it returns 1 to allow, 0 to deny (EPERM). The decision
 * is nb_dev_decide() (bpf/devices_match.h), the very source the unit test
 * sweeps.
 *
 * The rules are data, in .rodata (`const volatile`), set by the loader
 * between the skeleton's open and its load, rather than in a BPF array map:
 *  - The program is one loop and nothing else: no map lookup, no NULL
 *    check, no bound the verifier cannot see. .rodata is frozen before the
 *    program is loaded, so the verifier reads the rules as constants: it
 *    follows only the tests a rule has (a wildcard's go away) and only as
 *    many rules as there are, not NB_DEV_MAX_RULES.
 *  - A loaded program's rules cannot change: nobody with access to BPF
 *    maps (another root process, a leaked fd) can rewrite a container's
 *    device policy behind nsbox's back, and what is attached is what was
 *    verified.
 *  - An update costs no less with a map: changing a live map's rules one
 *    entry at a time would let a request see half old and half new rules,
 *    so an update would need a second map and a swap anyway. nsbox loads a
 *    new program and swaps it in with BPF_F_REPLACE, one atomic step: about
 *    the same work as the first apply (bench/README.md).
 * The price: .rodata needs Linux 5.2 and the loop 5.3 (bounded loops),
 * where the hand-generated program ran on 4.15.
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

#include "bpf/devices_match.h"

/* Set by linux/cgroup_bpf.c before the load; the zeros here deny all. */
const volatile struct nb_dev_rule nb_dev_rules[NB_DEV_MAX_RULES] = {};
const volatile __u32 nb_dev_n_rules = 0;

/* The function's name is the program's (NB_CG_DEV_PROG_NAME): how nsbox
 * tells its own among a cgroup's programs. */
SEC("cgroup/dev")
int nsbox_dev(struct bpf_cgroup_dev_ctx *ctx)
{
	return nb_dev_decide(nb_dev_rules, nb_dev_n_rules, ctx);
}

/* The program calls no helper, so GPL-only helpers do not matter; "GPL"
 * because this file is LGPL-2.1-or-later, which §3 of that license lets
 * anyone take under the GPL, and "GPL" is the string the kernel knows (an
 * SPDX "LGPL-2.1-or-later" would be treated as proprietary). */
char LICENSE[] SEC("license") = "GPL";
