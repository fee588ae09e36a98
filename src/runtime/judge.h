/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * judge.h: running an untrusted program with exact limits and an account
 * of the run (`nsbox run --time-limit ... --report FILE`).
 *
 *   struct nb_judge j;
 *   nb_judge_init(&j);
 *   nb_judge_prepare(&j, plan, cfg, &sb.opts, &err);  files, pipes, report dir
 *   nb_sandbox_spawn(&sb, cfg, &err);
 *   nb_judge_started(&j, &sb, &err);                  the clock starts
 *   nb_judge_wait(&j, &sb, &rep, &code, &err);        until the end, figures read
 *   nb_sandbox_release(&sb);                           the cgroup goes
 *   nb_judge_write(&j, &rep, &err);                    --report, --meta
 *   nb_judge_release(&j);
 *
 * The standard streams (--stdin, --stdout, --stderr) are opened here, by
 * nsbox, with the caller's rights, O_NOFOLLOW and O_CLOEXEC, before the
 * sandbox exists, and become the command's fds 0-2. With --output-limit
 * the command's stdout and stderr are pipes instead, which nsbox empties
 * into those files (or its own stdout and stderr) with splice(2), counting:
 * the files get at most the limit, and one byte more is OL.
 *
 * The watch is one epoll loop, with no timeout and no periodic wake-up:
 *   - the pidfd of the sandbox's first process: the end;
 *   - a timerfd at the wall-clock deadline (limit + extra time, from the
 *     command's exec);
 *   - a timerfd for the CPU budget: armed for (budget - used) / CPUs, the
 *     CPUs the sandbox may run on (its cpuset or nsbox's affinity, and
 *     --cpus), so that no number of threads can overshoot; when it rings
 *     the cgroup's usage is read again and it is re-armed for what is left;
 *   - the memory controller's events (v2 memory.events, POLLPRI; v1 the
 *     eventfd of memory.oom_control): an OOM with a memory limit is ML;
 *   - v2's pids.events (POLLPRI): a fork refused at --pids (v1 counts it
 *     but wakes nobody: there it is read at the end);
 *   - the forwarded signals' signalfd, passed on to the sandbox;
 *   - the output pipes.
 * Any limit kills the whole cgroup at once (cgroup.kill, or v1's freeze,
 * kill, thaw), which no process escapes by forking, stopping itself or
 * blocking signals. The CPU time and memory peak are the cgroup's, from
 * the command's exec on (the set-up before it is not counted; the peak is
 * reset there where the kernel allows); context switches are those of
 * the sandbox's first process and every process it reaped (its rusage).
 */
#ifndef NSBOX_RUNTIME_JUDGE_H
#define NSBOX_RUNTIME_JUDGE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "base/error.h"
#include "base/fileutil.h"
#include "linux/cgroup_stats.h"
#include "runtime/report.h"
#include "runtime/sandbox.h"
#include "spec/judge_args.h"

/* One output pipe nsbox empties. */
struct nb_judge_relay {
	int rfd;                /* our read end, non-blocking, or -1 */
	int dest;               /* where it goes (not ours to close), or -1: dropped */
	bool splice_ok;         /* splice(2) works on dest */
};

struct nb_judge {
	const struct nb_judge_plan *plan;
	const struct nb_config *cfg;
	bool watched;                 /* the loop runs (nb_judge_watched) */
	int stdio[3];                 /* the command's fds 0-2, or -1 (ours, close-on-exec) */
	int files[3];                 /* --stdin/--stdout/--stderr files, or -1 */
	int pipe_w[2];                /* the command's ends of the output pipes, or -1 */
	int status_r, status_w;       /* the init's report of the command's wait status */
	struct nb_judge_relay relay[2];   /* stdout, stderr (with --output-limit) */
	int64_t output_left;          /* bytes the command may still write */
	bool output_exceeded;
	int report_dir, meta_dir;     /* directories of --report and --meta, or -1 */
	const char *report_base, *meta_base;
	/* Their temporary files, made while the command runs (off the
	 * critical path), written and renamed at the end. */
	struct nb_atomic_file report_file, meta_file;
	struct sigaction old_sigpipe;
	bool sigpipe_set;
	/* From the command's last step before its exec (nb_spawn_opts.exec_ready). */
	bool ready;
	struct timespec start;
	struct nb_cg_cpu_reader cpu;
	uint64_t cpu_base, user_base, sys_base;   /* the set-up's share, not counted */
	int peak_fd;                  /* memory.peak reset at the exec (v2), or -1 */
	bool peak_reset;
	int ncpus;
};

void nb_judge_init(struct nb_judge *j);

/* Before the spawn: open the report's and meta file's directories (a
 * missing one fails now, not after the run), the standard streams and
 * the output pipes, check the --inherit-fd fds; fill OPTS (stdio, fds to
 * pass, a cgroup with the memory and pids controllers when watched). */
int nb_judge_prepare(struct nb_judge *j, const struct nb_judge_plan *plan, const struct nb_config *cfg,
		     struct nb_spawn_opts *opts, struct nb_error *err);

/* Right after the spawn (the command has been executed): close the
 * command's ends of the pipes. (Right before the command's exec, the
 * spawn stopped for the judge to start the clock, take the cgroup's CPU
 * time so far and reset its memory peak: the set-up is not counted.) */
int nb_judge_started(struct nb_judge *j, struct nb_sandbox *sb, struct nb_error *err);

/* Watch the sandbox until its first process ends, enforcing the limits;
 * kill what is left, reap, drain the output, read the cgroup's figures
 * (before nb_sandbox_release() removes it) into REP (nb_report_init()ed),
 * and decide. *RET_CODE: nsbox's exit status (the command's, 128+N). */
int nb_judge_wait(struct nb_judge *j, struct nb_sandbox *sb, struct nb_report *rep, int *ret_code,
		  struct nb_error *err);

/* Write --report and --meta (either may be absent) from REP. */
int nb_judge_write(struct nb_judge *j, const struct nb_report *rep, struct nb_error *err);

void nb_judge_release(struct nb_judge *j);

#endif
