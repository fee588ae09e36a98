/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * run_limits.h: the resource limits of `nsbox run`, as options, into the
 * plan's cfg->oci.resources (the model of spec/resources.h, which the
 * cgroup code applies as it applies an OCI config's linux.resources).
 *
 *   --memory SIZE          memory limit; swap is off unless --memory-swap
 *                          says otherwise (memory+swap = the limit)
 *   --memory-swap SIZE     memory plus swap, as Docker's; -1: unlimited swap
 *   --cpus N               CPUs' worth of time: quota N*100000 per 100000 us
 *   --cpu-weight N         1..10000, cgroup v2's scale (cpu_weight; v1 gets
 *                          the cpu.shares that runc's formula maps to it)
 *   --cpuset-cpus LIST     --cpuset-mems LIST
 *   --pids N               most processes at once
 *   --io-weight N          1..10000, io.weight's scale (io_weight)
 *   --cgroup-parent PATH   the cgroup under which the sandbox's is made
 *                          (cfg->oci.cgroup_parent)
 *
 * SIZE: bytes with an optional k, m, g, t or p (powers of 1024, any case,
 * as nb_res_parse_size() reads them). Pure: no system call.
 */
#ifndef NSBOX_SPEC_RUN_LIMITS_H
#define NSBOX_SPEC_RUN_LIMITS_H

#include <stdbool.h>

#include "base/error.h"
#include "spec/config.h"
#include "spec/resources.h"

/* The options, as parsed. */
struct nb_run_limits {
	struct nb_resources res;     /* what the options set */
	const char *memory_arg;      /* --memory's and --memory-swap's text, for */
	const char *swap_arg;        /* messages (point into argv) */
	const char *cgroup_parent;   /* --cgroup-parent (points into argv) */
};

void nb_run_limits_init(struct nb_run_limits *rl);
void nb_run_limits_free(struct nb_run_limits *rl);

/* Is NAME ("memory", "cpus"...: the long option without "--") one of
 * these options? */
bool nb_run_limits_is_option(const char *name);

/* Record option NAME with its value ARG (usage errors name the option:
 * "--memory '12x': ..."). ARG must outlive RL. */
int nb_run_limits_parse(struct nb_run_limits *rl, const char *name, const char *arg,
			struct nb_error *err);

/* Put the limits of RL into CFG, on top of what it holds: the swap of a
 * --memory without --memory-swap, the checks across options (a
 * --memory-swap below --memory, or without it). Call it after the
 * options, before nb_config_finalize(). */
int nb_run_limits_apply(const struct nb_run_limits *rl, struct nb_config *cfg, struct nb_error *err);

#endif
