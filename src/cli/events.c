/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * events.c: `nsbox events [--stats] [--interval D] ID`: a container's
 * statistics, once (--stats) or every D (default 5s), and its OOM kills as
 * they happen, one JSON object a line in runc's shape:
 *   {"type":"stats","id":ID,"data":{"cpu":...,"memory":...,"pids":...}}
 *   {"type":"oom","id":ID}
 * until the container stops.
 */
#include "cli/commands.h"
#include "base/cleanup.h"
#include "base/strutil.h"
#include "linux/cgroup_stats.h"
#include "runtime/container_cgroup.h"
#include "spec/cli_args.h"

#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static json_t *u64(uint64_t v)
{
	return json_integer(v > INT64_MAX ? INT64_MAX : (json_int_t)v);
}

static json_t *cpu_json(const struct nb_cg_stats *s)
{
	json_t *percpu = json_array();

	for (size_t i = 0; i < s->n_percpu; i++)
		json_array_append_new(percpu, u64(s->percpu[i]));
	return json_pack("{s:{s:o,s:o,s:o,s:o},s:{s:o,s:o,s:o}}",
			 "usage", "total", u64(s->cpu_total), "percpu", percpu, "kernel", u64(s->cpu_kernel),
			 "user", u64(s->cpu_user),
			 "throttling", "periods", u64(s->cpu_periods), "throttledPeriods",
			 u64(s->cpu_throttled_periods), "throttledTime", u64(s->cpu_throttled_time));
}

static json_t *memory_json(const struct nb_cg_stats *s)
{
	json_t *raw = json_object();

	for (size_t i = 0; i < s->n_raw; i++)
		json_object_set_new(raw, s->raw[i].key, u64(s->raw[i].value));
	return json_pack("{s:o,s:{s:o,s:o,s:o,s:o},s:{s:o,s:o},s:o,s:{s:o}}",
			 "cache", u64(s->mem_cache),
			 "usage", "limit", u64(s->mem_limit), "usage", u64(s->mem_usage), "max",
			 u64(s->mem_max_usage), "failcnt", u64(s->mem_failcnt),
			 "swap", "limit", u64(s->swap_limit), "usage", u64(s->swap_usage),
			 "raw", raw, "event_count", "oom_kill", u64(s->oom_kills));
}

static int print_event(const char *type, const char *id, json_t *data)
{
	json_t *ev = json_pack("{s:s,s:s}", "type", type, "id", id);
	char *text;

	if (ev && data)
		json_object_set_new(ev, "data", data);
	else
		json_decref(data);
	text = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
	json_decref(ev);
	if (!text)
		return -ENOMEM;
	printf("%s\n", text);
	fflush(stdout);
	free(text);
	return 0;
}

static int print_stats(const struct nb_cgroup *cg, const char *id, uint64_t *oom_kills, struct nb_error *err)
{
	struct nb_cg_stats s;
	json_t *data;
	int r = nb_cgroup_stats(cg, &s, err);

	if (r < 0)
		return r;
	*oom_kills = s.oom_kills;
	data = json_pack("{s:o,s:o,s:{s:o,s:o},s:{},s:{}}", "cpu", cpu_json(&s), "memory", memory_json(&s),
			 "pids", "current", u64(s.pids_current), "limit", u64(s.pids_limit), "blkio", "hugetlb");
	nb_cg_stats_free(&s);
	if (!data || print_event("stats", id, data) < 0)
		return nb_error_set(err, ENOMEM, "out of memory");
	return 0;
}

/* OOM kills since LAST, one event each; LAST updated. */
static void report_ooms(const struct nb_cgroup *cg, const char *id, uint64_t *last)
{
	struct nb_cg_stats s;
	struct nb_error ignored;

	if (nb_cgroup_stats(cg, &s, &ignored) < 0)
		return;
	for (; *last < s.oom_kills; (*last)++)
		print_event("oom", id, NULL);
	nb_cg_stats_free(&s);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Until the container's process ends (PIDFD readable): stats every
 * INTERVAL_MS, OOM kills as they come. */
static int watch(const struct nb_cgroup *cg, const char *id, int pidfd, uint64_t interval_ms, struct nb_error *err)
{
	struct nb_error ignored;
	_cleanup_close_ int oom = -1;
	short oom_events = 0;
	uint64_t ooms = 0, next;
	int r = print_stats(cg, id, &ooms, err);

	if (r < 0)
		return r;
	if (nb_cgroup_oom_watch(cg, &oom, &oom_events, &ignored) < 0)
		oom = -1;   /* no memory controller: stats only */
	next = now_ms() + interval_ms;
	for (;;) {
		struct pollfd p[2] = { { .fd = pidfd, .events = POLLIN }, { .fd = oom, .events = oom_events } };
		uint64_t now = now_ms(), wait = next > now ? next - now : 0;
		int n = poll(p, oom >= 0 ? 2 : 1, wait > INT32_MAX ? INT32_MAX : (int)wait);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return nb_error_errno(err, "events: poll");
		if (p[0].revents) {
			/* An OOM kill often ends it: counted before the exit,
			 * it may still wait behind the pidfd's wake-up. */
			report_ooms(cg, id, &ooms);
			return 0;
		}
		if (n > 0 && oom >= 0 && p[1].revents) {
			nb_cgroup_oom_ack(oom, oom_events);
			report_ooms(cg, id, &ooms);
		}
		if (now_ms() >= next) {
			uint64_t unused;

			report_ooms(cg, id, &ooms);   /* none missed */
			if (print_stats(cg, id, &unused, err) < 0)
				return 0;   /* it ended meanwhile */
			next += interval_ms;
		}
	}
}

int nb_cmd_events(const struct nb_globals *g, int argc, char *argv[])
{
	struct nb_error err = { 0 };
	struct nb_events_args a;
	struct nb_cgroup cg;
	uint64_t ooms;
	_cleanup_close_ int pidfd = -1;
	int r;

	if (nb_events_parse_args(argc, argv, &a, &err) < 0)
		return nb_cli_fail(&err, "events ");
	if (a.help) {
		printf("Usage: nsbox events [--stats] [--interval DURATION] ID\n\n"
		       "Print a container's statistics every DURATION (5s), and its OOM kills,\n"
		       "until it stops; with --stats, once.\n");
		return 0;
	}
	if (nb_container_cgroup(g->root, a.id, &cg, &pidfd, &err) < 0)
		return nb_cli_fail(&err, NULL);
	r = a.stats ? print_stats(&cg, a.id, &ooms, &err) :
		      watch(&cg, a.id, pidfd, a.interval_ns / 1000000, &err);
	nb_cgroup_close(&cg);
	if (r < 0)
		return nb_cli_fail(&err, NULL);
	return 0;
}
