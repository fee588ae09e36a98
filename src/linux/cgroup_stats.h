/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup_stats.h: what a sandbox's cgroup counted, on v1 and v2 alike.
 *
 * One reading of CPU time, memory (now, peak, limit, failures, OOM kills),
 * swap and pids, in the units of runc's `events --stats` (nanoseconds,
 * bytes). A value a host does not count is 0 and its has_* flag false.
 * For `nsbox events`, and for the report of `nsbox run`.
 */
#ifndef NSBOX_LINUX_CGROUP_STATS_H
#define NSBOX_LINUX_CGROUP_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "linux/cgroup.h"

#define NB_CG_STATS_RAW_MAX 64
#define NB_CG_STATS_CPUS_MAX 1024

struct nb_cg_stat_kv {
	char key[48];
	uint64_t value;
};

struct nb_cg_stats {
	bool has_cpu, has_memory, has_swap, has_pids;
	uint64_t cpu_total, cpu_user, cpu_kernel;          /* ns */
	uint64_t cpu_periods, cpu_throttled_periods, cpu_throttled_time;
	uint64_t *percpu;                                  /* ns per CPU (v1), malloc'd */
	size_t n_percpu;
	uint64_t mem_usage, mem_max_usage, mem_limit, mem_failcnt, mem_cache;
	uint64_t swap_usage, swap_limit;                   /* swap alone (v2: memory.swap.*) */
	uint64_t oom_kills;                                /* processes the OOM killer killed */
	uint64_t pids_current, pids_limit;                 /* limit 0: none */
	bool has_pids_peak;
	uint64_t pids_peak;                                /* pids.peak, where the kernel has it */
	uint64_t pids_refused;                             /* pids.events: forks refused at the limit */
	struct nb_cg_stat_kv raw[NB_CG_STATS_RAW_MAX];     /* memory.stat */
	size_t n_raw;
};

/* Read the statistics of CG into S (nb_cg_stats_free() after). */
int nb_cgroup_stats(const struct nb_cgroup *cg, struct nb_cg_stats *s, struct nb_error *err);
void nb_cg_stats_free(struct nb_cg_stats *s);

/* An fd that wakes poll() when CG's memory controller records an event
 * (v2: memory.events, POLLPRI; v1: an eventfd on memory.oom_control,
 * POLLIN, to be read). *RET_EVENTS: the poll events to wait for. Whether
 * an OOM kill happened is for nb_cgroup_stats() to tell (oom_kills). */
int nb_cgroup_oom_watch(const struct nb_cgroup *cg, int *ret_fd, short *ret_events, struct nb_error *err);

/* After the watch fd woke poll(): take the event, so that it does not wake
 * it again at once (v2: read memory.events again; v1: the eventfd's count). */
void nb_cgroup_oom_ack(int fd, short events);

/* An fd that wakes poll() when CG's pids controller refuses a fork at
 * the limit (v2: pids.events, POLLPRI). Cgroup v1 keeps the count but
 * never wakes a poller: *RET_FD is -1 there. */
int nb_cgroup_pids_watch(const struct nb_cgroup *cg, int *ret_fd, short *ret_events, struct nb_error *err);

/* The few figures of a judged run, read with as few files as can be (v2:
 * cpu.stat, memory.peak, memory.events, pids.peak, pids.events; v1: the
 * cpuacct and memory counterparts). CPU time in nanoseconds; a value the
 * host lacks is 0 with its has_ flag false. */
struct nb_cg_run_stats {
	uint64_t cpu_total, cpu_user, cpu_sys;
	bool has_mem_peak, has_pids_peak;
	uint64_t mem_peak, oom_kills, pids_peak, pids_refused;
};
int nb_cgroup_run_stats(const struct nb_cgroup *cg, struct nb_cg_run_stats *s, struct nb_error *err);
/* Only the CPU times, at the start of a run. */
int nb_cgroup_cpu_times(const struct nb_cgroup *cg, struct nb_cg_run_stats *s, struct nb_error *err);

/* The sandbox's CPU time, read often and cheaply: an open fd on the
 * total (v2: cpu.stat's usage_usec; v1: cpuacct.usage). */
struct nb_cg_cpu_reader {
	int fd;
	bool v2;
};
int nb_cgroup_cpu_open(const struct nb_cgroup *cg, struct nb_cg_cpu_reader *rd, struct nb_error *err);
/* Total CPU time in nanoseconds (microsecond steps on v2). 0 or -errno. */
int nb_cgroup_cpu_read(const struct nb_cg_cpu_reader *rd, uint64_t *ret_ns);
void nb_cgroup_cpu_close(struct nb_cg_cpu_reader *rd);

/* Start CG's memory peak afresh from its current usage. v2 (Linux 6.12):
 * the peak since the reset is read through *RET_FD (nb_cgroup_peak_read);
 * v1: max_usage_in_bytes is reset for every reader, *RET_FD is -1.
 * -EOPNOTSUPP where the kernel cannot reset it. */
int nb_cgroup_peak_reset(const struct nb_cgroup *cg, int *ret_fd);
int nb_cgroup_peak_read(int fd, uint64_t *ret);

/* Pure: the value of KEY in a "key value\n" file's TEXT, or false. */
bool nb_cg_flat_get(const char *text, const char *key, uint64_t *ret);

/* Pure: a limit file's TEXT ("max", or a number) as a number, "max" as
 * UNLIMITED. */
uint64_t nb_cg_limit_parse(const char *text, uint64_t unlimited);

#endif
