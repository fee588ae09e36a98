/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * devices_match.h: the decision of nsbox's cgroup v2 device program, in
 * one place for the two compilers that build it: clang -target bpf for the
 * program the kernel runs (bpf/devices.bpf.c), gcc for the unit test that
 * sweeps it against the rules' plain meaning (tests/unit/test-cgroup-bpf.c).
 * What the rules mean is linux/cgroup_bpf.h's; this header only decides.
 *
 * The rules are data: struct nb_dev_rule, 12 bytes each, made from the OCI
 * rules by nb_cg_devices_rules() (linux/cgroup_bpf.c) and handed to the
 * program in its .rodata before it is loaded (see bpf/devices.bpf.c for
 * why .rodata and not a map).
 *
 * Only <linux/types.h> and <linux/bpf.h>, no libc: the BPF side has none.
 */
#ifndef NSBOX_BPF_DEVICES_MATCH_H
#define NSBOX_BPF_DEVICES_MATCH_H

#include <linux/bpf.h>
#include <linux/types.h>

/* The most rules one program takes (those before a rule matching every
 * request do not count: nb_cg_devices_rules() drops them). runc's default
 * list is 11 rules, a privileged container's 1. 512 rules are 6 KiB of
 * .rodata, and the verifier's longest walk: it follows the loop once per
 * rule, about 100 instructions each, so some 55,000 of the million it
 * allows, 14 ms or more on a 2-CPU VM (bench/README.md). */
#define NB_DEV_MAX_RULES 512

#define NB_DEV_ACC_RWM (BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE)

/* nb_dev_rule.any: which of the device's type, major and minor the rule
 * takes as wildcards. */
#define NB_DEV_ANY_TYPE 1
#define NB_DEV_ANY_MAJOR 2
#define NB_DEV_ANY_MINOR 4

struct nb_dev_rule {
	__u32 major;   /* unless any & NB_DEV_ANY_MAJOR */
	__u32 minor;   /* unless any & NB_DEV_ANY_MINOR */
	__u8 type;     /* BPF_DEVCG_DEV_BLOCK or _CHAR, unless NB_DEV_ANY_TYPE ('a') */
	__u8 access;   /* BPF_DEVCG_ACC_* bits, never 0 ("" is rwm) */
	__u8 allow;    /* 1 allow, 0 deny */
	__u8 any;      /* NB_DEV_ANY_* */
};

/* Allow (1) or deny (0) the request REQ (the kernel's context: its
 * access_type is (BPF_DEVCG_ACC_* << 16) | BPF_DEVCG_DEV_*, then major and
 * minor) under the first N of RULES. The last rule is tested first, and the
 * first that decides wins:
 *  - it must match the device: its type unless 'a', its major and minor
 *    unless wildcards ('a' rules keep their numbers);
 *  - an allow decides when the access asked for is a subset of its access;
 *  - a deny decides when the access asked for overlaps its access, or when
 *    its access is rwm (then it decides every request, one for no access
 *    included);
 *  - a rule that does not decide is passed over.
 * No rule decides: deny. N above NB_DEV_MAX_RULES counts as that many, so
 * the BPF verifier sees every access to RULES in bounds.
 *
 * RULES is volatile because the program's are `const volatile` .rodata:
 * values the loader sets after compilation, which clang must not fold.
 * REQ is volatile so that each rule reads the request afresh: the verifier
 * learns a value from every test that passes ("type == 2", "major == 1"),
 * and values kept in registers across rules would make each path into the
 * next rule a state of its own, which it explores again: 64 rules cost it
 * some 275,000 instructions and 0.2 s. Read again, they are dead at the
 * loop's head, every path there is the same state, and the verifier's
 * work grows with the number of rules, not with the paths through them. */
static inline __attribute__((always_inline)) int
nb_dev_decide(const volatile struct nb_dev_rule *rules, __u32 n,
	      const volatile struct bpf_cgroup_dev_ctx *req)
{
	__u32 i;

	if (n > NB_DEV_MAX_RULES)
		n = NB_DEV_MAX_RULES;
	for (i = n; i > 0; i--) {
		const volatile struct nb_dev_rule *r = &rules[i - 1];
		__u32 asked = req->access_type, any = r->any, acc = r->access;
		__u32 access = asked >> 16;

		if (!(any & NB_DEV_ANY_TYPE) && r->type != (asked & 0xFFFF))
			continue;
		if (!(any & NB_DEV_ANY_MAJOR) && r->major != req->major)
			continue;
		if (!(any & NB_DEV_ANY_MINOR) && r->minor != req->minor)
			continue;
		if (r->allow) {
			if ((access & ~acc) == 0)
				return 1;
		} else if ((access & acc) != 0 || acc == NB_DEV_ACC_RWM) {
			return 0;
		}
	}
	return 0;
}

#endif
