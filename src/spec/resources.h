/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * resources.h: the resource limits of a sandbox, and the cgroup files they
 * become. Pure: no system call.
 *
 * One model for every front door: an OCI config's linux.resources
 * (spec/oci_resources.c), the limit options of `nsbox run` (--memory,
 * --cpus, --pids...: spec/run_limits.h), and the input of `nsbox update`
 * (runc's flags, spec/update_args.h, or a linux.resources JSON from a file
 * or stdin, nb_oci_load_resources()). A scalar is NB_RES_UNSET until
 * something sets it; -1 keeps its OCI meaning (unlimited) where the spec
 * gives it one. As in runc, whose Go structs cannot tell 0 from absent,
 * a 0 memory limit, reservation, swap or kernel limit, cpu shares, quota,
 * period or real-time value, blkio (leaf) weight or net_cls class id means
 * "leave it as it is": it is kept in the model but makes no write.
 *
 * What the limits become: nb_cg_writes_v1() and nb_cg_writes_v2() turn a
 * model into the ordered list of (controller, file, value) writes of a
 * cgroup v1 hierarchy or of cgroup v2, with the conversions runc makes
 * (cpu shares to cpu.weight, blkio weight to io.weight, swap to
 * memory.swap.max...). A limit that cannot be expressed on a layout is an
 * error naming it, never dropped; the one exception is kernel memory
 * (memory.kernel, memory.kernelTCP), deprecated by the kernel and ignored
 * by runc 1.1: it becomes a warning. Device rules become devices.allow and
 * devices.deny writes on v1; on v2 they are an eBPF program
 * (linux/cgroup_bpf.h), and nb_cg_writes_v2() leaves them alone.
 *
 * A file is written once, or once per device, interface or rule where the
 * kernel takes one at a time (io.max, blkio throttles, net_prio.ifpriomap,
 * rdma.max, v1's devices.allow/deny), or twice where it accepts a value
 * only after another file changed (a cpu period or burst against the old
 * quota: NB_CGW_TRY). The writer (linux/) follows the flags of each write.
 */
#ifndef NSBOX_SPEC_RESOURCES_H
#define NSBOX_SPEC_RESOURCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "base/strutil.h"

#define NB_RES_UNSET INT64_MIN

/* One linux.resources.devices entry. */
struct nb_device_rule {
	bool allow;
	char type;            /* 'a' (all), 'c', 'b' */
	int64_t major, minor; /* -1: any (a wildcard '*') */
	char access[4];       /* a non-empty subset of "rwm", in that order */
};

/* blockIO.weightDevice and the throttle*Device lists. */
struct nb_blkio_device {
	int64_t major, minor;
	int64_t weight, leaf_weight;   /* weightDevice; NB_RES_UNSET when absent */
	int64_t rate;                  /* throttle: bytes or io per second (0: no limit) */
};

struct nb_hugepage_limit {
	char *pagesize;        /* "2MB", "1GB", "64KB": as the kernel names its files */
	int64_t limit;         /* bytes */
};

struct nb_rdma_limit {
	char *device;
	int64_t hca_handles, hca_objects;   /* NB_RES_UNSET when absent */
};

struct nb_net_priority {
	char *name;            /* interface */
	int64_t priority;
};

enum nb_throttle {
	NB_THROTTLE_READ_BPS, NB_THROTTLE_WRITE_BPS, NB_THROTTLE_READ_IOPS, NB_THROTTLE_WRITE_IOPS,
	NB_THROTTLE_COUNT
};

struct nb_resources {
	bool set;                          /* anything at all was given */
	/* memory: bytes; memory_swap is limit + swap, as in OCI (-1: unlimited) */
	int64_t memory_limit, memory_reservation, memory_swap, memory_kernel, memory_kernel_tcp;
	int64_t memory_swappiness;         /* 0..100 */
	int64_t memory_disable_oom_killer; /* 0 or 1 */
	int64_t memory_use_hierarchy;      /* 0 or 1 (v1) */
	int64_t memory_check_before_update;/* 0 or 1: refuse a limit below the usage */
	/* cpu */
	int64_t cpu_shares, cpu_quota, cpu_period, cpu_burst;
	int64_t cpu_weight;                /* 1..10000, v2's own scale (nsbox run
	                                    * --cpu-weight); never set with cpu_shares */
	int64_t cpu_realtime_runtime, cpu_realtime_period;
	int64_t cpu_idle;                  /* 0 or 1 (cpu.idle) */
	char *cpuset_cpus, *cpuset_mems;   /* validated lists, or NULL */
	/* pids: -1 unlimited (OCI's 0 and other negatives are read as -1, as runc) */
	int64_t pids_limit;
	/* blockIO / io */
	int64_t blkio_weight, blkio_leaf_weight;   /* 10..1000 */
	int64_t io_weight;                 /* 1..10000, v2's own scale (nsbox run
	                                    * --io-weight); never set with blkio_weight */
	struct nb_blkio_device *blkio_weight_devices;
	size_t n_blkio_weight_devices;
	struct nb_blkio_device *blkio_throttle[NB_THROTTLE_COUNT];
	size_t n_blkio_throttle[NB_THROTTLE_COUNT];
	/* hugetlb, rdma, network (v1 net_cls and net_prio) */
	struct nb_hugepage_limit *hugepages;
	size_t n_hugepages;
	struct nb_rdma_limit *rdma;
	size_t n_rdma;
	int64_t net_class_id;
	struct nb_net_priority *net_priorities;
	size_t n_net_priorities;
	/* devices, in order */
	struct nb_device_rule *devices;
	size_t n_devices;
	/* unified: "key=value", v2 files by name */
	struct nb_strv unified;
};

/* Everything NB_RES_UNSET, nothing allocated. */
void nb_resources_init(struct nb_resources *r);
/* Free what R owns and nb_resources_init() it again. */
void nb_resources_free(struct nb_resources *r);

/* Copy over DST every field SRC sets (`update` on top of the current
 * limits, `nsbox run` options on top of a profile); a 0 that means "leave
 * it" (see above) leaves DST's value. A list SRC gives replaces DST's;
 * unified keys replace the same keys, others are added. Setting cpu_shares
 * clears cpu_weight and the other way round, as blkio_weight and
 * io_weight. 0, or -ENOMEM with ERR set (DST may then be half merged). */
int nb_resources_merge(struct nb_resources *dst, const struct nb_resources *src, struct nb_error *err);

/* `update` applies everything of a linux.resources document but its device
 * rules, as runc, whose update ignores them: CRI sends its deny-all rule
 * with every update, and re-applying it alone would cut the container off
 * /dev/null. Frees them. */
void nb_resources_drop_devices(struct nb_resources *r);

/* Check values the kernel would reject or silently round (cpu shares
 * below 2, a cpuset list such as "0-", a swap below the memory limit...),
 * naming the field as WHAT.field ("linux.resources.memory.swap"; only the
 * field when WHAT is NULL or ""). Layout-independent: what one cgroup
 * version cannot do is refused by nb_cg_writes_v1()/_v2(). */
int nb_resources_check(const struct nb_resources *r, const char *what, struct nb_error *err);

/* A cpuset list ("0-3,8,10-11"): decimal numbers and ascending ranges
 * joined by commas, nothing else (no "0-", "1,,2", "3-1", spaces or the
 * kernel's "0-7:2/4" strides). 0, or -EINVAL with *WHY saying what is wrong. */
int nb_cpuset_list_check(const char *list, const char **why);

/* A size as runc's update reads it (go-units RAMInBytes): a decimal number,
 * possibly with a fraction, an optional space, and an optional unit k, m,
 * g, t or p (powers of 1024, any case) optionally followed by "i" and/or
 * "b": "64m", "1.5G", "512MiB", "4096", "100b". 0, or -EINVAL (syntax) or
 * -ERANGE (above INT64_MAX). */
int nb_res_parse_size(const char *s, int64_t *ret);

/* The controllers a plan needs, as a bitmask of 1 << NB_CG_*. */
enum nb_cg_controller {
	NB_CG_CPU, NB_CG_CPUACCT, NB_CG_CPUSET, NB_CG_MEMORY, NB_CG_PIDS, NB_CG_IO, NB_CG_HUGETLB,
	NB_CG_RDMA, NB_CG_NET_CLS, NB_CG_NET_PRIO, NB_CG_DEVICES, NB_CG_FREEZER, NB_CG_MISC,
	NB_CG_CORE,          /* v2 files of no controller (cgroup.*) */
	NB_CG_COUNT
};
/* The controller's name: v2's ("io", NULL for DEVICES, CPUACCT, NET_CLS,
 * NET_PRIO, FREEZER and CORE, which are no v2 controllers), or with V1 the
 * hierarchy's ("blkio" for IO, NULL for CORE). */
const char *nb_cg_controller_name(enum nb_cg_controller c, bool v1);
/* The v2 controller of a unified key or file name ("memory.high":
 * MEMORY, "cgroup.freeze": CORE), or NB_CG_COUNT if its prefix is none of
 * cgroup, cpu, cpuset, memory, pids, io, hugetlb, rdma and misc. */
enum nb_cg_controller nb_cg_unified_controller(const char *key);
/* The controllers whose files R sets (DEVICES when it has device rules:
 * the v1 controller, or v2's eBPF program). */
unsigned nb_cg_needed(const struct nb_resources *r);

/* How the writer makes a write (linux/ follows these). */
enum {
	/* This write and the next are alternatives: if FILE does not exist
	 * (ENOENT), make the next write instead (it may be an alternative in
	 * turn); if this one succeeds, skip it. io.bfq.weight or io.weight. */
	NB_CGW_OR_NEXT = 1 << 0,
	/* A missing FILE is not an error: the value is the kernel's default
	 * or means nothing without the feature (cpu.max.burst 0 before Linux
	 * 5.14, memory.swap.max "0" or "max" without swap accounting, the
	 * unlimited memsw of a -1 memory limit). */
	NB_CGW_IF_EXISTS = 1 << 1,
	/* EINVAL is not an error yet: the kernel may accept the value only
	 * after a later write (a period against the old quota). The same
	 * FILE comes again later with NB_CGW_RETRY. */
	NB_CGW_TRY = 1 << 2,
	/* Made only if the NB_CGW_TRY write of FILE before it failed (making
	 * it anyway is harmless: the same value again). */
	NB_CGW_RETRY = 1 << 3,
};

/* One write to a cgroup file. */
struct nb_cg_write {
	enum nb_cg_controller ctrl;
	char *file;          /* "memory.max" */
	char *value;         /* "67108864" */
	unsigned flags;      /* NB_CGW_* */
};

struct nb_cg_writes {
	struct nb_cg_write *w;
	size_t n;
	struct nb_strv warnings;   /* what was set but means nothing on this layout, said once */
};

void nb_cg_writes_free(struct nb_cg_writes *out);

/* The writes that apply R, in an order the kernel accepts on a fresh
 * cgroup, controller by controller in runc's order (v1: cpuset, devices,
 * memory, cpu, pids, blkio, hugetlb, net_cls, net_prio, rdma; v2: pids,
 * memory, io, cpu, cpuset, hugetlb, rdma, then unified, whose keys replace
 * the derived writes of the same file). CURRENT_MEMORY_LIMIT (bytes, or
 * NB_RES_UNSET for a fresh cgroup: unlimited) is the v1 limit in place,
 * for `update`: memsw goes first when the new total is above it, as in
 * runc's setMemoryAndSwap; v2 ignores it. WHAT names the fields in errors
 * and warnings, as for nb_resources_check(). OUT is overwritten; the
 * caller frees it with nb_cg_writes_free(), also after a failure. R should
 * have passed nb_resources_check(). */
int nb_cg_writes_v1(const struct nb_resources *r, int64_t current_memory_limit, const char *what,
		    struct nb_cg_writes *out, struct nb_error *err);
int nb_cg_writes_v2(const struct nb_resources *r, int64_t current_memory_limit, const char *what,
		    struct nb_cg_writes *out, struct nb_error *err);

/* runc's conversions (libcontainer/cgroups/utils.go), exposed for the tests
 * and for `events`. 0 stays 0 (unset). */
int64_t nb_cg_shares_to_weight(int64_t shares);      /* 2..262144 -> 1..10000 */
int64_t nb_cg_blkio_to_io_weight(int64_t weight);    /* 10..1000 -> 1..10000 */
/* Their inverses, for a weight given on v2's scale and written on v1 (or
 * to io.bfq.weight): the least value that converts to WEIGHT or more.
 * Shares come back exactly (every weight is reached); blkio's 991 values
 * reach only some of the 10000 io weights. */
int64_t nb_cg_weight_to_shares(int64_t weight);      /* 1..10000 -> 2..262144 */
int64_t nb_cg_io_weight_to_blkio(int64_t weight);    /* 1..10000 -> 10..1000 */
/* memory.swap.max from OCI's swap (limit + swap) and limit, as runc's
 * ConvertMemorySwapToCgroupV2Value: -1 is "max", 0 is unset. 0, or -EINVAL
 * with *WHY (swap without a memory limit, or below it). */
int nb_cg_swap_to_v2(int64_t swap, int64_t limit, int64_t *ret, const char **why);

/* runc's default device rules (specconv.AllowedDevices), which the runtime
 * appends after a config's own: mknod of any char and block device, and
 * rwm on /dev/null, zero, full, random, urandom, tty, ptmx, the pts
 * (136:*) and tun (10:200). *N gets their count. */
const struct nb_device_rule *nb_cg_default_device_rules(size_t *n);

#endif
