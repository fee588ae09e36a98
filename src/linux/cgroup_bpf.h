/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup_bpf.h: device access control on cgroup v2, what cgroup v1's
 * devices.allow and devices.deny do.
 *
 * Why a program: cgroup v2 has no devices controller and no devices.*
 * files. Its device control is an eBPF program of type
 * BPF_PROG_TYPE_CGROUP_DEVICE attached to the cgroup (attach type
 * BPF_CGROUP_DEVICE, Linux 4.15, commit ebc614f68736 "bpf, cgroup:
 * implement eBPF-based device controller for cgroup v2"). The kernel runs
 * it at every open (read, write), and mknod of a char or block node by a
 * process of the cgroup or of its descendants, with the device's type,
 * major, minor and the access asked for; 0 means EPERM. Without one, a
 * container opens any device node it finds, one shipped in its image
 * included (/root/kvm, 10:232), whatever its linux.resources.devices say.
 *
 * The rules: struct nb_device_rule (spec/resources.h), in OCI order. Later
 * rules win, and what no rule allows is denied, as with runc's
 * devicefilter package (as it was before runc put its devices emulator in
 * front of it; it came from crun's ebpf.c): the program tests the rules
 * from the last to the first, and the first whose type, major and minor
 * match decides ('a' is any type and -1 any number; an 'a' rule's numbers
 * still count, as in runc's program, where v1's kernel ignores them):
 *   - an allow rule allows when the access asked for is a subset of its
 *     access ("r" allows O_RDONLY, not O_RDWR);
 *   - a deny rule denies when the access asked for overlaps its access
 *     ("w" denies O_WRONLY and O_RDWR; a deny of "rwm" denies any
 *     request). runc tests a subset here too, so there a deny "w" after
 *     an allow "rwm" still lets O_RDWR through; nsbox closes that hole
 *     and is otherwise the same;
 *   - a rule that does not decide is passed over; after the first rule
 *     (in OCI order), the answer is "deny".
 * A rule "a *:* rwm" (an empty access means "rwm") matches everything, so
 * the rules before it can never decide: they are dropped before the load
 * (and count against no limit). That rule alone is then "allow all", as
 * runc's.
 *
 * The program: bpf/devices.bpf.c, C compiled by clang at build time into a
 * libbpf skeleton (bpf/devices.skel.h, embedded in nsbox), whose decision
 * is bpf/devices_match.h's nb_dev_decide(), the function the unit test
 * sweeps. The rules are its data: nb_cg_devices_rules() turns them into
 * struct nb_dev_rule, written into the program's .rodata between the
 * skeleton's open and its load (bpf/devices.bpf.c says why not a map). At
 * most NB_CG_DEV_MAX_RULES rules, after the drop above.
 *
 * Attaching: with BPF_F_ALLOW_MULTI, next to the programs others attach
 * (systemd's, an engine's): the kernel runs them all and every one must
 * allow. Ours is the one named NB_CG_DEV_PROG_NAME. A second apply (`nsbox
 * update`) swaps ours atomically with BPF_F_REPLACE (Linux 5.6); on older
 * kernels, or if more than one of ours is there, it attaches the new one
 * first and then detaches the old ones, so the cgroup is never without
 * control (for an instant both run: the stricter of the two holds).
 * Programs of other names are left alone. The attachment holds the program:
 * it stays after nsbox closes its fd, until detached or until the cgroup
 * is removed.
 *
 * Loading, attaching and querying go through libbpf (linked statically),
 * with linux/bpf_load.h's errors: libbpf prints nothing, a verifier's
 * refusal is quoted, EPERM says which capabilities are missing.
 *
 * Needs: Linux 5.3 (a .rodata map, 5.2, and a bounded loop, 5.3; the
 * kernel's BTF is not needed), CAP_SYS_ADMIN (or CAP_BPF with CAP_NET_ADMIN,
 * Linux 5.8) in the initial user namespace, and a cgroup2 directory (on a
 * hybrid host, under /sys/fs/cgroup/unified: programs attach to any
 * cgroup2 directory, controllers or not). A rootless nsbox gets EPERM.
 * Before Linux 5.11 the program's memory counts against RLIMIT_MEMLOCK:
 * the limit is raised for the load only, then put back.
 */
#ifndef NSBOX_LINUX_CGROUP_BPF_H
#define NSBOX_LINUX_CGROUP_BPF_H

#include <stddef.h>

#include "base/error.h"
#include "bpf/devices_match.h"
#include "spec/resources.h"

/* The name nsbox's program has (its function's name in bpf/devices.bpf.c;
 * BPF_OBJ_NAME_LEN is 16), how it finds its own among the cgroup's
 * programs. */
#define NB_CG_DEV_PROG_NAME "nsbox_dev"

/* The most rules a program takes, after those before a match-all rule are
 * dropped (bpf/devices_match.h says what it costs). */
#define NB_CG_DEV_MAX_RULES NB_DEV_MAX_RULES

/* Pure: RULES (N of them, in OCI order) as the program's data, into OUT.
 * Returns how many entries it wrote (the rules from the last match-all one
 * on), or a negative errno naming the rule by its index: a rule the kernel
 * could not mean (type not a/b/c, major or minor outside -1..4294967295,
 * access not made of r, w and m; EINVAL), or more than NB_CG_DEV_MAX_RULES
 * (E2BIG). */
int nb_cg_devices_rules(const struct nb_device_rule *rules, size_t n,
			struct nb_dev_rule out[NB_CG_DEV_MAX_RULES], struct nb_error *err);

/* Load the program of RULES, not attached; returns its fd (close-on-exec)
 * or a negative errno. nb_cg_devices_apply() does this itself. */
int nb_cg_devices_load(const struct nb_device_rule *rules, size_t n, struct nb_error *err);

/* Make RULES the device control of the cgroup2 directory CGROUP_DIRFD:
 * load the program with them and attach it, replacing nsbox's previous one
 * (see above). On failure nsbox's previous program, if any, stays; if
 * only detaching it failed, the new one is attached too (both run: the
 * stricter holds). */
int nb_cg_devices_apply(int cgroup_dirfd, const struct nb_device_rule *rules, size_t n,
			struct nb_error *err);

/* Detach every nsbox program from CGROUP_DIRFD; returns how many. */
int nb_cg_devices_detach_all_ours(int cgroup_dirfd, struct nb_error *err);

/* How many device programs are attached to CGROUP_DIRFD itself (not
 * inherited), nsbox's and others'. A program we may not open (an LSM
 * refusing it) counts as another's. */
int nb_cg_devices_attached(int cgroup_dirfd, size_t *ours, size_t *others, struct nb_error *err);

#endif
