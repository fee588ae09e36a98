/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/cgroup_stats.h"

#include "base/cleanup.h"
#include "base/fileutil.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool nb_cg_flat_get(const char *text, const char *key, uint64_t *ret)
{
	size_t len = strlen(key);

	for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		char *end;
		unsigned long long v;

		if (strncmp(line, key, len) != 0 || line[len] != ' ')
			continue;
		errno = 0;
		v = strtoull(line + len + 1, &end, 10);
		if (errno || end == line + len + 1)
			return false;
		*ret = v;
		return true;
	}
	return false;
}

uint64_t nb_cg_limit_parse(const char *text, uint64_t unlimited)
{
	if (strncmp(text, "max", 3) == 0)
		return unlimited;
	return strtoull(text, NULL, 10);
}

/* A one-number file of CTRL's leaf; false if it cannot be read. */
static bool read_u64(const struct nb_cgroup *cg, enum nb_cg_controller ctrl, const char *file,
		     uint64_t unlimited, uint64_t *ret)
{
	char buf[64];

	if (nb_cgroup_read(cg, ctrl, file, buf, sizeof(buf)) <= 0)
		return false;
	*ret = nb_cg_limit_parse(buf, unlimited);
	return true;
}

static void raw_stats(struct nb_cg_stats *s, const char *text)
{
	for (const char *line = text; line && *line && s->n_raw < NB_CG_STATS_RAW_MAX;
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		struct nb_cg_stat_kv *kv = &s->raw[s->n_raw];
		unsigned long long v;

		if (sscanf(line, "%47s %llu", kv->key, &v) == 2) {
			kv->value = v;
			s->n_raw++;
		}
	}
}

static void cpu_v2(const struct nb_cgroup *cg, struct nb_cg_stats *s)
{
	char buf[1024];
	uint64_t v;

	if (nb_cgroup_read(cg, NB_CG_CORE, "cpu.stat", buf, sizeof(buf)) <= 0)
		return;
	s->has_cpu = nb_cg_flat_get(buf, "usage_usec", &v);
	if (s->has_cpu)
		s->cpu_total = v * 1000;
	if (nb_cg_flat_get(buf, "user_usec", &v))
		s->cpu_user = v * 1000;
	if (nb_cg_flat_get(buf, "system_usec", &v))
		s->cpu_kernel = v * 1000;
	nb_cg_flat_get(buf, "nr_periods", &s->cpu_periods);
	nb_cg_flat_get(buf, "nr_throttled", &s->cpu_throttled_periods);
	if (nb_cg_flat_get(buf, "throttled_usec", &v))
		s->cpu_throttled_time = v * 1000;
}

static void percpu_v1(const struct nb_cgroup *cg, struct nb_cg_stats *s)
{
	char buf[16384], *p = buf;

	if (nb_cgroup_read(cg, NB_CG_CPUACCT, "cpuacct.usage_percpu", buf, sizeof(buf)) <= 0)
		return;
	s->percpu = calloc(NB_CG_STATS_CPUS_MAX, sizeof(*s->percpu));
	while (s->percpu && s->n_percpu < NB_CG_STATS_CPUS_MAX) {
		char *end;
		unsigned long long v = strtoull(p, &end, 10);

		if (end == p)
			break;
		s->percpu[s->n_percpu++] = v;
		p = end;
	}
}

static void cpu_v1(const struct nb_cgroup *cg, struct nb_cg_stats *s)
{
	char buf[512];

	s->has_cpu = read_u64(cg, NB_CG_CPUACCT, "cpuacct.usage", 0, &s->cpu_total);
	read_u64(cg, NB_CG_CPUACCT, "cpuacct.usage_user", 0, &s->cpu_user);
	read_u64(cg, NB_CG_CPUACCT, "cpuacct.usage_sys", 0, &s->cpu_kernel);
	percpu_v1(cg, s);
	if (nb_cgroup_read(cg, NB_CG_CPU, "cpu.stat", buf, sizeof(buf)) > 0) {
		nb_cg_flat_get(buf, "nr_periods", &s->cpu_periods);
		nb_cg_flat_get(buf, "nr_throttled", &s->cpu_throttled_periods);
		nb_cg_flat_get(buf, "throttled_time", &s->cpu_throttled_time);
	}
}

static void memory_v2(const struct nb_cgroup *cg, struct nb_cg_stats *s)
{
	char buf[8192];

	s->has_memory = read_u64(cg, NB_CG_MEMORY, "memory.current", 0, &s->mem_usage);
	if (!s->has_memory)
		return;
	read_u64(cg, NB_CG_MEMORY, "memory.max", UINT64_MAX, &s->mem_limit);
	read_u64(cg, NB_CG_MEMORY, "memory.peak", 0, &s->mem_max_usage);
	if (nb_cgroup_read(cg, NB_CG_MEMORY, "memory.events", buf, sizeof(buf)) > 0) {
		nb_cg_flat_get(buf, "max", &s->mem_failcnt);
		nb_cg_flat_get(buf, "oom_kill", &s->oom_kills);
	}
	s->has_swap = read_u64(cg, NB_CG_MEMORY, "memory.swap.current", 0, &s->swap_usage);
	read_u64(cg, NB_CG_MEMORY, "memory.swap.max", UINT64_MAX, &s->swap_limit);
	if (nb_cgroup_read(cg, NB_CG_MEMORY, "memory.stat", buf, sizeof(buf)) > 0) {
		nb_cg_flat_get(buf, "file", &s->mem_cache);
		raw_stats(s, buf);
	}
}

static void memory_v1(const struct nb_cgroup *cg, struct nb_cg_stats *s)
{
	char buf[8192];
	uint64_t memsw = 0, memsw_limit = 0;

	s->has_memory = read_u64(cg, NB_CG_MEMORY, "memory.usage_in_bytes", 0, &s->mem_usage);
	if (!s->has_memory)
		return;
	read_u64(cg, NB_CG_MEMORY, "memory.limit_in_bytes", UINT64_MAX, &s->mem_limit);
	read_u64(cg, NB_CG_MEMORY, "memory.max_usage_in_bytes", 0, &s->mem_max_usage);
	read_u64(cg, NB_CG_MEMORY, "memory.failcnt", 0, &s->mem_failcnt);
	if (nb_cgroup_read(cg, NB_CG_MEMORY, "memory.oom_control", buf, sizeof(buf)) > 0)
		nb_cg_flat_get(buf, "oom_kill", &s->oom_kills);
	/* memsw counts memory plus swap. */
	if (read_u64(cg, NB_CG_MEMORY, "memory.memsw.usage_in_bytes", 0, &memsw)) {
		s->has_swap = true;
		s->swap_usage = memsw > s->mem_usage ? memsw - s->mem_usage : 0;
		read_u64(cg, NB_CG_MEMORY, "memory.memsw.limit_in_bytes", UINT64_MAX, &memsw_limit);
		s->swap_limit = memsw_limit;
	}
	if (nb_cgroup_read(cg, NB_CG_MEMORY, "memory.stat", buf, sizeof(buf)) > 0) {
		nb_cg_flat_get(buf, "cache", &s->mem_cache);
		raw_stats(s, buf);
	}
}

int nb_cgroup_stats(const struct nb_cgroup *cg, struct nb_cg_stats *s, struct nb_error *err)
{
	char buf[256];

	memset(s, 0, sizeof(*s));
	if (cg->v2fd < 0 && cg->fd[NB_CG_MEMORY] < 0 && cg->fd[NB_CG_CPUACCT] < 0 && cg->fd[NB_CG_PIDS] < 0)
		return nb_error_set(err, ENOENT, "cgroup '%s': not open", cg->path ? cg->path : "");
	if (cg->on_v2[NB_CG_CPU] || cg->fd[NB_CG_CPUACCT] < 0)
		cpu_v2(cg, s);
	else
		cpu_v1(cg, s);
	if (cg->on_v2[NB_CG_MEMORY])
		memory_v2(cg, s);
	else
		memory_v1(cg, s);
	s->has_pids = read_u64(cg, NB_CG_PIDS, "pids.current", 0, &s->pids_current);
	read_u64(cg, NB_CG_PIDS, "pids.max", 0, &s->pids_limit);
	s->has_pids_peak = read_u64(cg, NB_CG_PIDS, "pids.peak", 0, &s->pids_peak);
	if (nb_cgroup_read(cg, NB_CG_PIDS, "pids.events", buf, sizeof(buf)) > 0)
		nb_cg_flat_get(buf, "max", &s->pids_refused);
	return 0;
}

void nb_cg_stats_free(struct nb_cg_stats *s)
{
	free(s->percpu);
	s->percpu = NULL;
	s->n_percpu = 0;
}

int nb_cgroup_oom_watch(const struct nb_cgroup *cg, int *ret_fd, short *ret_events, struct nb_error *err)
{
	int dir = cg->fd[NB_CG_MEMORY];
	_cleanup_close_ int ctl = -1, efd = -1;
	char line[64];
	int r;

	if (dir < 0)
		return nb_error_set(err, ENOENT, "cgroup '%s': no memory controller", cg->path);
	if (cg->on_v2[NB_CG_MEMORY]) {
		*ret_fd = openat(dir, "memory.events", O_RDONLY | O_CLOEXEC);
		*ret_events = POLLPRI;
		return *ret_fd < 0 ? nb_error_errno(err, "cgroup '%s': memory.events", cg->path) : 0;
	}
	ctl = openat(dir, "memory.oom_control", O_RDONLY | O_CLOEXEC);
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (ctl < 0 || efd < 0)
		return nb_error_errno(err, "cgroup '%s': memory.oom_control", cg->path);
	snprintf(line, sizeof(line), "%d %d", efd, ctl);
	r = nb_write_file_at(dir, "cgroup.event_control", line, strlen(line));
	if (r < 0)
		return nb_error_sys(err, -r, "cgroup '%s': cgroup.event_control", cg->path);
	*ret_fd = TAKE_FD(efd);
	*ret_events = POLLIN;
	return 0;
}

void nb_cgroup_oom_ack(int fd, short events)
{
	char buf[512];
	uint64_t count;

	if (events == POLLPRI)
		(void)!pread(fd, buf, sizeof(buf), 0);
	else
		(void)!read(fd, &count, sizeof(count));
}

int nb_cgroup_pids_watch(const struct nb_cgroup *cg, int *ret_fd, short *ret_events, struct nb_error *err)
{
	*ret_fd = -1;
	*ret_events = POLLPRI;
	if (cg->fd[NB_CG_PIDS] < 0)
		return nb_error_set(err, ENOENT, "cgroup '%s': no pids controller", cg->path);
	if (!cg->on_v2[NB_CG_PIDS])
		return 0;
	*ret_fd = openat(cg->fd[NB_CG_PIDS], "pids.events", O_RDONLY | O_CLOEXEC);
	return *ret_fd < 0 ? nb_error_errno(err, "cgroup '%s': pids.events", cg->path) : 0;
}

int nb_cgroup_cpu_open(const struct nb_cgroup *cg, struct nb_cg_cpu_reader *rd, struct nb_error *err)
{
	/* cgroup2 counts CPU time in cpu.stat without the cpu controller. */
	rd->v2 = cg->on_v2[NB_CG_CPU] || (cg->fd[NB_CG_CPUACCT] < 0 && cg->v2fd >= 0);
	rd->fd = rd->v2 ? openat(cg->v2fd, "cpu.stat", O_RDONLY | O_CLOEXEC) :
		 cg->fd[NB_CG_CPUACCT] >= 0 ? openat(cg->fd[NB_CG_CPUACCT], "cpuacct.usage", O_RDONLY | O_CLOEXEC) :
		 (errno = ENOENT, -1);
	if (rd->fd < 0)
		return nb_error_errno(err, "cgroup '%s': %s", cg->path, rd->v2 ? "cpu.stat" : "cpuacct.usage");
	return 0;
}

int nb_cgroup_cpu_read(const struct nb_cg_cpu_reader *rd, uint64_t *ret_ns)
{
	char buf[1024];
	ssize_t n = pread(rd->fd, buf, sizeof(buf) - 1, 0);
	uint64_t v;

	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	buf[n] = '\0';
	if (!rd->v2) {
		*ret_ns = strtoull(buf, NULL, 10);
		return 0;
	}
	if (!nb_cg_flat_get(buf, "usage_usec", &v))
		return -EIO;
	*ret_ns = v * 1000;
	return 0;
}

void nb_cgroup_cpu_close(struct nb_cg_cpu_reader *rd)
{
	nb_closep(&rd->fd);
}

int nb_cgroup_peak_reset(const struct nb_cgroup *cg, int *ret_fd)
{
	int dir = cg->fd[NB_CG_MEMORY];
	_cleanup_close_ int fd = -1;

	*ret_fd = -1;
	if (dir < 0)
		return -ENOENT;
	if (!cg->on_v2[NB_CG_MEMORY])
		return nb_write_file_at(dir, "memory.max_usage_in_bytes", "0", 1);
	fd = openat(dir, "memory.peak", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno == EACCES || errno == ENOENT ? -EOPNOTSUPP : -errno;
	/* Before Linux 6.12 the file is read-only. */
	if (write(fd, "reset\n", 6) != 6)
		return -EOPNOTSUPP;
	*ret_fd = TAKE_FD(fd);
	return 0;
}

int nb_cgroup_peak_read(int fd, uint64_t *ret)
{
	char buf[64];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	buf[n] = '\0';
	*ret = strtoull(buf, NULL, 10);
	return 0;
}

static bool cpu_on_v2(const struct nb_cgroup *cg)
{
	return cg->on_v2[NB_CG_CPU] || (cg->fd[NB_CG_CPUACCT] < 0 && cg->v2fd >= 0);
}

int nb_cgroup_cpu_times(const struct nb_cgroup *cg, struct nb_cg_run_stats *s, struct nb_error *err)
{
	char buf[1024];
	uint64_t v;

	memset(s, 0, sizeof(*s));
	if (!cpu_on_v2(cg)) {
		if (!read_u64(cg, NB_CG_CPUACCT, "cpuacct.usage", 0, &s->cpu_total))
			return nb_error_errno(err, "cgroup '%s': cpuacct.usage", cg->path);
		read_u64(cg, NB_CG_CPUACCT, "cpuacct.usage_user", 0, &s->cpu_user);
		read_u64(cg, NB_CG_CPUACCT, "cpuacct.usage_sys", 0, &s->cpu_sys);
		return 0;
	}
	if (nb_cgroup_read(cg, NB_CG_CORE, "cpu.stat", buf, sizeof(buf)) <= 0 ||
	    !nb_cg_flat_get(buf, "usage_usec", &v))
		return nb_error_errno(err, "cgroup '%s': cpu.stat", cg->path);
	s->cpu_total = v * 1000;
	if (nb_cg_flat_get(buf, "user_usec", &v))
		s->cpu_user = v * 1000;
	if (nb_cg_flat_get(buf, "system_usec", &v))
		s->cpu_sys = v * 1000;
	return 0;
}

int nb_cgroup_run_stats(const struct nb_cgroup *cg, struct nb_cg_run_stats *s, struct nb_error *err)
{
	char buf[1024];
	bool v2mem = cg->on_v2[NB_CG_MEMORY];
	int r = nb_cgroup_cpu_times(cg, s, err);

	if (r < 0)
		return r;
	s->has_mem_peak = read_u64(cg, NB_CG_MEMORY, v2mem ? "memory.peak" : "memory.max_usage_in_bytes", 0,
				   &s->mem_peak);
	if (nb_cgroup_read(cg, NB_CG_MEMORY, v2mem ? "memory.events" : "memory.oom_control", buf, sizeof(buf)) > 0)
		nb_cg_flat_get(buf, "oom_kill", &s->oom_kills);
	s->has_pids_peak = read_u64(cg, NB_CG_PIDS, "pids.peak", 0, &s->pids_peak);
	if (nb_cgroup_read(cg, NB_CG_PIDS, "pids.events", buf, sizeof(buf)) > 0)
		nb_cg_flat_get(buf, "max", &s->pids_refused);
	return 0;
}
