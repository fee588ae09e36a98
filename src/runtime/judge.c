/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/judge.h"
#include "base/cleanup.h"
#include "base/fileutil.h"
#include "linux/process.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <linux/openat2.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#define CPU_REARM_MIN_NS 1000000   /* the shortest CPU timer: 1 ms */
#define RELAY_CHUNK 65536

void nb_judge_init(struct nb_judge *j)
{
	memset(j, 0, sizeof(*j));
	for (int i = 0; i < 3; i++)
		j->stdio[i] = j->files[i] = -1;
	for (int i = 0; i < 2; i++)
		j->relay[i].rfd = j->relay[i].dest = j->pipe_w[i] = -1;
	j->status_r = j->status_w = -1;
	j->report_dir = j->meta_dir = j->peak_fd = -1;
	j->report_file = (struct nb_atomic_file)NB_ATOMIC_FILE_INIT;
	j->meta_file = (struct nb_atomic_file)NB_ATOMIC_FILE_INIT;
	j->cpu.fd = -1;
	j->output_left = -1;
}

/* An fd of ours at 3 or above: fds 0-2 are the command's to be. */
static int high_fd(int fd)
{
	int high;

	if (fd < 0 || fd > 2)
		return fd;
	high = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return high;
}

static int open_dir_of(const char *path, const char *option, int *ret_dir, const char **ret_base,
		       struct nb_error *err)
{
	int r;

	if (!path)
		return 0;
	r = nb_open_parent_dir(path, ret_dir, ret_base);
	if (r < 0)
		return nb_error_sys(err, -r, "%s '%s'", option, path);
	return 0;
}

/* A stream's file beneath ROOT (a directory fd), through no symlink, no
 * magic link and no other mount. */
static int open_beneath(int root, const char *path, int flags)
{
	struct open_how how = { .flags = (uint64_t)flags, .mode = flags & O_CREAT ? 0666 : 0,
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
					   RESOLVE_NO_XDEV };

	return (int)syscall(SYS_openat2, root, path, &how, sizeof(how));
}

/* --stdin, --stdout, --stderr: with our own rights, never through a
 * symlink at the path (one the program may have planted), nor, beneath
 * a stdio_root, through any symlink. */
static int open_streams(struct nb_judge *j, struct nb_error *err)
{
	static const char *const option[3] = { "--stdin", "--stdout", "--stderr" };
	const char *path[3] = { j->plan->stdin_path, j->plan->stdout_path, j->plan->stderr_path };
	_cleanup_close_ int root = -1;

	if (j->plan->stdio_root && (path[0] || path[1] || path[2])) {
		root = open(j->plan->stdio_root, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (root < 0)
			return nb_error_errno(err, "'%s'", j->plan->stdio_root);
	}
	for (int i = 0; i < 3; i++) {
		int flags = i == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC;

		if (!path[i])
			continue;
		flags |= O_NOFOLLOW | O_CLOEXEC | O_NOCTTY;
		j->files[i] = high_fd(root >= 0 ? open_beneath(root, path[i], flags) : open(path[i], flags, 0666));
		if (j->files[i] < 0 && errno == ELOOP)
			return nb_error_set(err, ELOOP, "%s '%s': a symbolic link (not followed)", option[i],
					    path[i]);
		if (j->files[i] < 0)
			return nb_error_errno(err, "%s '%s'", option[i], path[i]);
	}
	return 0;
}

static int check_inherited(const struct nb_judge_plan *plan, struct nb_error *err)
{
	for (size_t i = 0; i < plan->n_inherit; i++)
		if (fcntl(plan->inherit_fds[i], F_GETFD) < 0)
			return nb_error_errno(err, "--inherit-fd %d", plan->inherit_fds[i]);
	return 0;
}

/* The pipe of one output stream: our end non-blocking, theirs at *RET_W. */
static int make_relay(struct nb_judge_relay *rl, int dest, int *ret_w, struct nb_error *err)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return nb_error_errno(err, "--output-limit: pipe");
	rl->rfd = high_fd(p[0]);
	*ret_w = high_fd(p[1]);
	if (rl->rfd < 0 || *ret_w < 0 || fcntl(rl->rfd, F_SETFL, O_NONBLOCK) < 0)
		return nb_error_errno(err, "--output-limit: pipe");
	rl->dest = dest;
	rl->splice_ok = true;
	return 0;
}

/* Where the command's fds 0-2 come from. With --output-limit, stdout and
 * stderr are pipes we empty into the files (or our own stdout, stderr). */
static int plan_stdio(struct nb_judge *j, struct nb_error *err)
{
	const struct nb_judge_plan *p = j->plan;
	int r;

	j->stdio[0] = j->files[0];
	if (p->output_limit == NB_JUDGE_UNSET) {
		j->stdio[1] = j->files[1];
		j->stdio[2] = p->stderr_to_stdout ? (j->files[1] >= 0 ? j->files[1] : STDOUT_FILENO) : j->files[2];
		return 0;
	}
	j->output_left = p->output_limit;
	r = make_relay(&j->relay[0], j->files[1] >= 0 ? j->files[1] : STDOUT_FILENO, &j->pipe_w[0], err);
	if (r >= 0 && !p->stderr_to_stdout)
		r = make_relay(&j->relay[1], j->files[2] >= 0 ? j->files[2] : STDERR_FILENO, &j->pipe_w[1], err);
	j->stdio[1] = j->pipe_w[0];
	j->stdio[2] = p->stderr_to_stdout ? j->pipe_w[0] : j->pipe_w[1];
	/* Not killed by a reader that went away: the loop sees EPIPE. */
	if (r >= 0 && sigaction(SIGPIPE, &(struct sigaction){ .sa_handler = SIG_IGN }, &j->old_sigpipe) == 0)
		j->sigpipe_set = true;
	return r;
}

static int exec_ready(struct nb_sandbox *sb, void *data, struct nb_error *err);

int nb_judge_prepare(struct nb_judge *j, const struct nb_judge_plan *plan, const struct nb_config *cfg,
		     struct nb_spawn_opts *opts, struct nb_error *err)
{
	int r;

	j->plan = plan;
	j->cfg = cfg;
	j->watched = nb_judge_watched(plan);
	r = open_dir_of(plan->report_path, "--report", &j->report_dir, &j->report_base, err);
	if (r >= 0)
		r = open_dir_of(plan->meta_path, "--meta", &j->meta_dir, &j->meta_base, err);
	if (r >= 0)
		r = check_inherited(plan, err);
	if (r >= 0)
		r = open_streams(j, err);
	if (r >= 0)
		r = plan_stdio(j, err);
	if (r < 0)
		return r;
	if (j->stdio[0] >= 0 || j->stdio[1] >= 0 || j->stdio[2] >= 0)
		opts->stdio = j->stdio;
	opts->keep_fds = plan->inherit_fds;
	opts->n_keep_fds = plan->n_inherit;
	if (!j->watched)
		return 0;
	opts->cgroup = NB_SPAWN_CGROUP_REQUIRED;
	opts->cgroup_controllers |= (1u << NB_CG_MEMORY) | (1u << NB_CG_PIDS);
	opts->exec_ready = exec_ready;
	opts->exec_ready_data = j;
	if (cfg->init) {
		int p[2];

		if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
			return nb_error_errno(err, "pipe");
		j->status_r = p[0];
		j->status_w = p[1];
		opts->status_fd = p[1];
	}
	return 0;
}

/* The number of CPUs in a checked cpuset list ("0-3,8": 5). */
static int cpuset_count(const char *list)
{
	int n = 0;

	for (const char *p = list; *p;) {
		char *end;
		long a = strtol(p, &end, 10), b = a;

		if (end == p)
			break;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		n += (int)(b - a + 1);
		p = *end == ',' ? end + 1 : end;
	}
	return n;
}

/* The CPUs the sandbox's threads may run on at once. */
static int sandbox_cpus(const struct nb_config *cfg)
{
	const struct nb_resources *res = &cfg->oci.resources;
	cpu_set_t set;
	int n = sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 1;

	if (res->cpuset_cpus && cpuset_count(res->cpuset_cpus) > 0 && cpuset_count(res->cpuset_cpus) < n)
		n = cpuset_count(res->cpuset_cpus);
	if (res->cpu_quota > 0 && res->cpu_period > 0) {
		int64_t q = (res->cpu_quota + res->cpu_period - 1) / res->cpu_period;

		if (q < n)
			n = (int)q;
	}
	return n > 0 ? n : 1;
}

static uint64_t elapsed_ns(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)(now.tv_sec - since->tv_sec) * 1000000000ULL + (uint64_t)now.tv_nsec -
	       (uint64_t)since->tv_nsec;
}

/* The command is set up and waits for GO to exec: from here on, what
 * the cgroup counts is the command's. */
static int exec_ready(struct nb_sandbox *sb, void *data, struct nb_error *err)
{
	struct nb_judge *j = data;
	struct nb_cg_run_stats st;
	int r;

	if (!sb->cg_made)
		return nb_error_set(err, ENOENT, "the sandbox has no cgroup to watch");
	j->ncpus = sandbox_cpus(j->cfg);
	r = nb_cgroup_cpu_open(&sb->cg, &j->cpu, err);
	if (r >= 0)
		r = nb_cgroup_cpu_times(&sb->cg, &st, err);
	if (r < 0)
		return r;
	j->cpu_base = st.cpu_total;
	j->user_base = st.cpu_user;
	j->sys_base = st.cpu_sys;
	j->peak_reset = nb_cgroup_peak_reset(&sb->cg, &j->peak_fd) >= 0;
	j->ready = true;
	/* Last: the wall clock starts as the command is let go. */
	clock_gettime(CLOCK_MONOTONIC, &j->start);
	return 0;
}

int nb_judge_started(struct nb_judge *j, struct nb_sandbox *sb, struct nb_error *err)
{
	(void)sb;
	/* The command holds its ends now; ours would keep them open. */
	for (int i = 0; i < 2; i++)
		nb_closep(&j->pipe_w[i]);
	nb_closep(&j->status_w);
	if (j->watched && !j->ready)
		return nb_error_set(err, EPROTO, "the command was executed without the judge's start");
	/* The report's temporary files, unnamed (a SIGKILL leaves none),
	 * while the command runs; where that cannot be, a named one is made
	 * at the end (and its error told). */
	if (j->report_dir >= 0 && nb_atomic_begin_unnamed(&j->report_file, j->report_dir, j->report_base) < 0)
		j->report_file.fd = -1;
	if (j->meta_dir >= 0 && nb_atomic_begin_unnamed(&j->meta_file, j->meta_dir, j->meta_base) < 0)
		j->meta_file.fd = -1;
	return 0;
}

/* What the loop watches, by epoll data. */
enum { EV_PIDFD, EV_SIG, EV_WALL, EV_CPU, EV_MEM, EV_PIDS, EV_OUT };

struct watch {
	int ep, wall, cpu, mem, pids;
	bool mem_v2;
	uint64_t cpu_kill_ns;      /* the CPU time at which to kill (limit + extra) */
	enum nb_limit fired;
	uint64_t end_ns;           /* wall time when the first process ended */
};

static void watch_close(struct watch *w)
{
	nb_closep(&w->ep);
	nb_closep(&w->wall);
	nb_closep(&w->cpu);
	nb_closep(&w->mem);
	nb_closep(&w->pids);
}

static int watch_fd(struct watch *w, int fd, uint32_t events, uint32_t id, struct nb_error *err)
{
	struct epoll_event ev = { .events = events, .data.u32 = id };

	if (epoll_ctl(w->ep, EPOLL_CTL_ADD, fd, &ev) < 0)
		return nb_error_errno(err, "epoll");
	return 0;
}

static int64_t extra_us(const struct nb_judge_plan *p)
{
	return p->extra_us > 0 ? p->extra_us : 0;
}

static int arm_wall(struct nb_judge *j, struct watch *w, struct nb_error *err)
{
	uint64_t us = (uint64_t)j->plan->wall_us + (uint64_t)extra_us(j->plan);
	struct itimerspec it = { .it_value = j->start };

	it.it_value.tv_sec += (time_t)(us / 1000000);
	it.it_value.tv_nsec += (long)(us % 1000000 * 1000);
	if (it.it_value.tv_nsec >= 1000000000L) {
		it.it_value.tv_sec++;
		it.it_value.tv_nsec -= 1000000000L;
	}
	w->wall = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (w->wall < 0 || timerfd_settime(w->wall, TFD_TIMER_ABSTIME, &it, NULL) < 0)
		return nb_error_errno(err, "wall-clock timer");
	return watch_fd(w, w->wall, EPOLLIN, EV_WALL, err);
}

/* Read the CPU time used; past the budget: 1. Else re-arm the timer for
 * what is left, spread over every CPU the sandbox may use: even with a
 * thread on each, it cannot get past the budget before the timer rings. */
static int check_cpu(struct nb_judge *j, struct watch *w, struct nb_error *err)
{
	struct itimerspec it = { { 0, 0 }, { 0, 0 } };
	uint64_t total, used, wait;
	int r = nb_cgroup_cpu_read(&j->cpu, &total);

	if (r < 0)
		return nb_error_sys(err, -r, "read the sandbox's CPU time");
	used = total > j->cpu_base ? total - j->cpu_base : 0;
	if (used >= w->cpu_kill_ns)
		return 1;
	wait = (w->cpu_kill_ns - used) / (uint64_t)j->ncpus;
	if (wait < CPU_REARM_MIN_NS)
		wait = CPU_REARM_MIN_NS;
	it.it_value.tv_sec = (time_t)(wait / 1000000000ULL);
	it.it_value.tv_nsec = (long)(wait % 1000000000ULL);
	if (timerfd_settime(w->cpu, 0, &it, NULL) < 0)
		return nb_error_errno(err, "CPU timer");
	return 0;
}

static int watch_cgroup(struct nb_judge *j, struct nb_sandbox *sb, struct watch *w, struct nb_error *err)
{
	short events;
	int r;

	if (j->cfg->oci.resources.memory_limit > 0) {
		r = nb_cgroup_oom_watch(&sb->cg, &w->mem, &events, err);
		w->mem_v2 = sb->cg.on_v2[NB_CG_MEMORY];
		if (r < 0 || (r = watch_fd(w, w->mem, events == POLLPRI ? EPOLLPRI : EPOLLIN, EV_MEM, err)) < 0)
			return r;
	}
	if (j->cfg->oci.resources.pids_limit > 0) {
		r = nb_cgroup_pids_watch(&sb->cg, &w->pids, &events, err);
		if (r < 0 || (w->pids >= 0 && (r = watch_fd(w, w->pids, EPOLLPRI, EV_PIDS, err)) < 0))
			return r;
	}
	return 0;
}

static int watch_open(struct nb_judge *j, struct nb_sandbox *sb, struct watch *w, struct nb_error *err)
{
	int r;

	w->ep = epoll_create1(EPOLL_CLOEXEC);
	if (w->ep < 0)
		return nb_error_errno(err, "epoll");
	r = watch_fd(w, sb->pidfd, EPOLLIN, EV_PIDFD, err);
	if (r >= 0 && sb->sigfd >= 0)
		r = watch_fd(w, sb->sigfd, EPOLLIN, EV_SIG, err);
	if (r >= 0 && j->plan->wall_us != NB_JUDGE_UNSET)
		r = arm_wall(j, w, err);
	if (r >= 0 && j->plan->cpu_us != NB_JUDGE_UNSET) {
		w->cpu_kill_ns = ((uint64_t)j->plan->cpu_us + (uint64_t)extra_us(j->plan)) * 1000;
		w->cpu = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
		r = w->cpu < 0 ? nb_error_errno(err, "CPU timer") : watch_fd(w, w->cpu, EPOLLIN, EV_CPU, err);
		if (r >= 0 && (r = check_cpu(j, w, err)) > 0)
			w->fired = NB_LIMIT_CPU;
	}
	if (r >= 0)
		r = watch_cgroup(j, sb, w, err);
	for (int i = 0; r >= 0 && i < 2; i++)
		if (j->relay[i].rfd >= 0)
			r = watch_fd(w, j->relay[i].rfd, EPOLLIN, EV_OUT + (uint32_t)i, err);
	return r < 0 ? r : 0;
}

enum { PUMP_AGAIN, PUMP_EOF, PUMP_OVER };

/* Move what RL's pipe holds to its destination, within the output budget:
 * PUMP_AGAIN when it is empty for now, PUMP_EOF at its end, PUMP_OVER when
 * one byte more than the limit was written (that byte goes nowhere). A
 * destination that fails (a reader gone, a full disk) is dropped: the
 * output is still read and counted. */
static int pump(struct nb_judge *j, struct nb_judge_relay *rl)
{
	static char buf[RELAY_CHUNK];

	for (;;) {
		size_t want = j->output_left > RELAY_CHUNK ? RELAY_CHUNK : (size_t)j->output_left;
		ssize_t n;

		if (want == 0) {
			n = read(rl->rfd, buf, 1);
			if (n > 0)
				return PUMP_OVER;
			return n < 0 && (errno == EAGAIN || errno == EINTR) ? PUMP_AGAIN : PUMP_EOF;
		}
		if (rl->dest >= 0 && rl->splice_ok) {
			n = splice(rl->rfd, NULL, rl->dest, NULL, want, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
			if (n < 0 && errno == EINVAL) {
				rl->splice_ok = false;   /* an O_APPEND file, say */
				continue;
			}
			if (n < 0 && errno != EAGAIN && errno != EINTR) {
				rl->dest = -1;
				continue;
			}
		} else {
			n = read(rl->rfd, buf, want);
			if (n > 0 && rl->dest >= 0 && nb_write_all(rl->dest, buf, (size_t)n) < 0)
				rl->dest = -1;
		}
		if (n == 0)
			return PUMP_EOF;
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? PUMP_AGAIN : PUMP_EOF;
		j->output_left -= n;
	}
}

/* splice(2) only into regular files: into a pipe or terminal it could not
 * wait for room without also giving up on an empty source. */
static void choose_splice(struct nb_judge_relay *rl)
{
	struct stat st;

	rl->splice_ok = rl->dest >= 0 && fstat(rl->dest, &st) == 0 && S_ISREG(st.st_mode);
}

static void forward_signals(struct nb_sandbox *sb)
{
	struct signalfd_siginfo si;

	while (read(sb->sigfd, &si, sizeof(si)) == sizeof(si))
		nb_pidfd_signal(sb->pidfd, (int)si.ssi_signo);
}

/* v2: memory.events has counted an OOM; v1: the OOM eventfd rang. */
static bool memory_event(struct watch *w)
{
	char buf[512];
	uint64_t v = 0;
	ssize_t n;

	if (!w->mem_v2)
		return read(w->mem, &v, sizeof(v)) == sizeof(v);
	n = pread(w->mem, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return (nb_cg_flat_get(buf, "oom", &v) && v > 0) || (nb_cg_flat_get(buf, "oom_kill", &v) && v > 0);
}

static bool pids_event(struct watch *w)
{
	char buf[128];
	uint64_t v = 0;
	ssize_t n = pread(w->pids, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return false;
	buf[n] = '\0';
	return nb_cg_flat_get(buf, "max", &v) && v > 0;
}

/* One event; the limit it shows exceeded, if any. */
static int handle(struct nb_judge *j, struct nb_sandbox *sb, struct watch *w, uint32_t id,
		  enum nb_limit *limit, struct nb_error *err)
{
	uint64_t ticks;
	int r;

	switch (id) {
	case EV_SIG:
		forward_signals(sb);
		return 0;
	case EV_WALL:
		(void)!read(w->wall, &ticks, sizeof(ticks));
		*limit = NB_LIMIT_WALL;
		return 0;
	case EV_CPU:
		(void)!read(w->cpu, &ticks, sizeof(ticks));
		if (w->fired != NB_LIMIT_NONE)
			return 0;
		r = check_cpu(j, w, err);
		if (r > 0)
			*limit = NB_LIMIT_CPU;
		return r < 0 ? r : 0;
	case EV_MEM:
		if (memory_event(w))
			*limit = NB_LIMIT_MEMORY;
		return 0;
	case EV_PIDS:
		if (pids_event(w))
			*limit = NB_LIMIT_PIDS;
		return 0;
	default: {
		struct nb_judge_relay *rl = &j->relay[id - EV_OUT];

		r = pump(j, rl);
		if (r != PUMP_AGAIN)
			epoll_ctl(w->ep, EPOLL_CTL_DEL, rl->rfd, NULL);
		if (r == PUMP_EOF)
			nb_closep(&rl->rfd);
		/* Over: the pipe stays open until the kill, so that the
		 * program's end is that kill, not a SIGPIPE of our making. */
		if (r == PUMP_OVER) {
			j->output_exceeded = true;
			*limit = NB_LIMIT_OUTPUT;
		}
		return 0;
	}
	}
}

/* Until the sandbox's first process ends. The first limit exceeded kills
 * the whole cgroup at once; its end then follows at once. */
static int watch_loop(struct nb_judge *j, struct nb_sandbox *sb, struct watch *w, struct nb_error *err)
{
	bool end = false;

	if (w->fired != NB_LIMIT_NONE && nb_cgroup_kill(&sb->cg, err) < 0)
		return nb_error_prefix(err, "kill the sandbox at its limit");
	while (!end) {
		struct epoll_event ev[8];
		int n = epoll_wait(w->ep, ev, 8, -1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return nb_error_errno(err, "epoll_wait");
		for (int i = 0; i < n; i++) {
			enum nb_limit limit = NB_LIMIT_NONE;
			int r;

			if (ev[i].data.u32 == EV_PIDFD) {
				end = true;
				continue;
			}
			r = handle(j, sb, w, ev[i].data.u32, &limit, err);
			if (r < 0)
				return r;
			if (limit == NB_LIMIT_NONE || w->fired != NB_LIMIT_NONE)
				continue;
			w->fired = limit;
			if (nb_cgroup_kill(&sb->cg, err) < 0)
				return nb_error_prefix(err, "kill the sandbox at its limit");
		}
	}
	w->end_ns = elapsed_ns(&j->start);
	return 0;
}

/* After the end: the rest of the output, now that no writer is left. */
static void drain(struct nb_judge *j)
{
	for (int i = 0; i < 2; i++) {
		struct nb_judge_relay *rl = &j->relay[i];

		if (rl->rfd < 0)
			continue;
		if (pump(j, rl) == PUMP_OVER)
			j->output_exceeded = true;
		nb_closep(&rl->rfd);
	}
}

/* How the command ended: the init's report of its wait status, or the
 * first process's own end (no init, or the init was killed). */
static void command_end(struct nb_judge *j, const siginfo_t *info, struct nb_report *rep)
{
	int status;

	if (j->status_r >= 0 && read(j->status_r, &status, sizeof(status)) == sizeof(status)) {
		rep->exited = WIFEXITED(status);
		rep->exit_code = rep->exited ? WEXITSTATUS(status) : 0;
		rep->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
		return;
	}
	rep->exited = info->si_code == CLD_EXITED;
	rep->exit_code = rep->exited ? info->si_status : 0;
	rep->signal = rep->exited ? 0 : info->si_status;
}

/* The user and system shares of the CPU time: the kernel samples them
 * at its ticks (v1's cpuacct.usage_user and _sys, whose sum strays from
 * the exact total by several ticks), so the exact total is split in the
 * ratio sampled, as v2's cpu.stat does already (cputime_adjust; with no
 * sample at all, the kernel counts it all as user time). */
static void split_cpu(struct nb_report *rep, uint64_t user, uint64_t sys)
{
	if (user + sys == 0)
		user = 1;
	rep->user_ns = (uint64_t)((unsigned __int128)rep->cpu_ns * user / (user + sys));
	rep->sys_ns = rep->cpu_ns - rep->user_ns;
}

/* The cgroup's figures, from the command's exec on. */
static int figures(struct nb_judge *j, struct nb_sandbox *sb, struct nb_report *rep, struct nb_error *err)
{
	struct nb_cg_run_stats st;
	int r = nb_cgroup_run_stats(&sb->cg, &st, err);

	if (r < 0)
		return r;
	rep->cpu_ns = st.cpu_total > j->cpu_base ? st.cpu_total - j->cpu_base : 0;
	split_cpu(rep, st.cpu_user > j->user_base ? st.cpu_user - j->user_base : 0,
		  st.cpu_sys > j->sys_base ? st.cpu_sys - j->sys_base : 0);
	rep->oom_kills = st.oom_kills;
	rep->pids_refused = st.pids_refused;
	rep->has_pids_peak = st.has_pids_peak;
	rep->pids_peak = st.pids_peak;
	if (j->peak_fd >= 0)
		rep->has_memory_peak = nb_cgroup_peak_read(j->peak_fd, &rep->memory_peak) >= 0;
	else if (st.has_mem_peak && st.mem_peak > 0) {
		rep->has_memory_peak = true;
		rep->memory_peak = st.mem_peak;
	}
	return 0;
}

int nb_judge_wait(struct nb_judge *j, struct nb_sandbox *sb, struct nb_report *rep, int *ret_code,
		  struct nb_error *err)
{
	struct watch w = { .ep = -1, .wall = -1, .cpu = -1, .mem = -1, .pids = -1 };
	struct rusage ru;
	siginfo_t info;
	int r;

	for (int i = 0; i < 2; i++)
		choose_splice(&j->relay[i]);
	r = watch_open(j, sb, &w, err);
	if (r >= 0)
		r = watch_loop(j, sb, &w, err);
	watch_close(&w);
	rep->ran = true;
	rep->fired = w.fired;
	rep->wall_ns = w.end_ns;
	if (r < 0)
		return r;
	/* What outlived the first process (no pid namespace of its own, or
	 * a process that kept the pipes): killed, so the pipes end. */
	r = nb_cgroup_kill(&sb->cg, err);
	if (r >= 0)
		r = nb_sandbox_reap(sb, ret_code, &info, &ru, err);
	if (r < 0)
		return r;
	sb->cg_empty = true;
	rep->status = *ret_code;
	drain(j);
	rep->output_exceeded = j->output_exceeded;
	command_end(j, &info, rep);
	rep->has_csw = true;
	rep->csw_voluntary = (uint64_t)ru.ru_nvcsw;
	rep->csw_involuntary = (uint64_t)ru.ru_nivcsw;
	r = figures(j, sb, rep, err);
	if (r < 0)
		return r;
	nb_report_decide(rep);
	return 0;
}

int nb_judge_write(struct nb_judge *j, const struct nb_report *rep, struct nb_error *err)
{
	int r = 0;

	if (j->report_dir >= 0) {
		char *text = nb_report_json(rep);

		r = nb_report_write(&j->report_file, j->report_dir, j->report_base, text, "--report",
				    j->plan->report_path, err);
		free(text);
	}
	if (r >= 0 && j->meta_dir >= 0) {
		char *text = nb_report_meta(rep);

		r = nb_report_write(&j->meta_file, j->meta_dir, j->meta_base, text, "--meta",
				    j->plan->meta_path, err);
		free(text);
	}
	return r;
}

void nb_judge_release(struct nb_judge *j)
{
	for (int i = 0; i < 3; i++)
		nb_closep(&j->files[i]);
	for (int i = 0; i < 2; i++) {
		nb_closep(&j->relay[i].rfd);
		nb_closep(&j->pipe_w[i]);
	}
	nb_closep(&j->status_r);
	nb_closep(&j->status_w);
	nb_atomic_abort(&j->report_file);
	nb_atomic_abort(&j->meta_file);
	nb_closep(&j->report_dir);
	nb_closep(&j->meta_dir);
	nb_closep(&j->peak_fd);
	nb_cgroup_cpu_close(&j->cpu);
	if (j->sigpipe_set)
		sigaction(SIGPIPE, &j->old_sigpipe, NULL);
	j->sigpipe_set = false;
}
