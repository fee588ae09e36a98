/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for runtime/report.c: the verdict rules, the JSON report and
 * the isolate meta file, and the atomic write.
 */
#include "runtime/report.h"
#include "base/cleanup.h"
#include "tap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A run that ended with exit code CODE (or signal SIG), under PLAN's
 * limits with MEMORY and PIDS. */
static void ended(struct nb_report *rep, const struct nb_judge_plan *plan, int64_t memory, int64_t pids,
		  int code, int sig)
{
	nb_report_init(rep, plan, memory, pids);
	rep->ran = true;
	rep->exited = sig == 0;
	rep->exit_code = code;
	rep->signal = sig;
	rep->status = sig ? 128 + sig : code;
	rep->cpu_ns = 10000000;
	rep->wall_ns = 20000000;
}

static void is_verdict(const struct nb_report *rep, const char *status, const char *limit, const char *msg,
		       const char *name)
{
	const char *l = nb_limit_name(rep->limit);

	tap_is_str(nb_verdict_name(rep->verdict), status, "%s: status", name);
	tap_is_str(l ? l : "null", limit, "%s: limit", name);
	tap_is_str(rep->message, msg, "%s: message", name);
}

static void test_rules(void)
{
	struct nb_judge_plan plan;
	struct nb_report rep;

	nb_judge_plan_init(&plan);
	plan.cpu_us = 500000;
	plan.wall_us = 1000000;

	ended(&rep, &plan, -1, -1, 0, 0);
	nb_report_decide(&rep);
	is_verdict(&rep, "OK", "null", "", "exit 0");
	ended(&rep, &plan, -1, -1, 3, 0);
	nb_report_decide(&rep);
	is_verdict(&rep, "RE", "null", "Exited with error status 3", "exit 3");
	ended(&rep, &plan, -1, -1, 0, SIGSEGV);
	nb_report_decide(&rep);
	is_verdict(&rep, "SG", "null", "Caught fatal signal 11", "SIGSEGV");

	ended(&rep, &plan, -1, -1, 0, SIGKILL);
	rep.fired = NB_LIMIT_CPU;
	nb_report_decide(&rep);
	is_verdict(&rep, "TO", "cpu", "Time limit exceeded", "killed at the CPU limit");
	ended(&rep, &plan, -1, -1, 0, SIGKILL);
	rep.fired = NB_LIMIT_WALL;
	nb_report_decide(&rep);
	is_verdict(&rep, "TO", "wall", "Time limit exceeded (wall clock)", "killed at the wall limit");

	/* Within --extra-time: ended on its own, still TO. */
	ended(&rep, &plan, -1, -1, 0, 0);
	rep.cpu_ns = 500000001;
	nb_report_decide(&rep);
	is_verdict(&rep, "TO", "cpu", "Time limit exceeded", "1 ns over the CPU limit");
	ended(&rep, &plan, -1, -1, 0, 0);
	rep.cpu_ns = 500000000;
	nb_report_decide(&rep);
	is_verdict(&rep, "OK", "null", "", "exactly at the CPU limit");
	ended(&rep, &plan, -1, -1, 1, 0);
	rep.wall_ns = 1000000001;
	nb_report_decide(&rep);
	is_verdict(&rep, "TO", "wall", "Time limit exceeded (wall clock)", "over the wall limit, exit 1");

	ended(&rep, &plan, 33554432, -1, 0, SIGKILL);
	rep.fired = NB_LIMIT_MEMORY;
	nb_report_decide(&rep);
	is_verdict(&rep, "ML", "memory", "Memory limit exceeded", "killed at an OOM");
	tap_ok(rep.oom_killed, "ML: oom_killed");
	ended(&rep, &plan, 33554432, -1, 0, 0);
	rep.oom_kills = 1;
	nb_report_decide(&rep);
	is_verdict(&rep, "ML", "memory", "Memory limit exceeded", "a child OOM-killed, exit 0");
	ended(&rep, &plan, -1, -1, 0, SIGKILL);
	rep.oom_kills = 1;
	nb_report_decide(&rep);
	is_verdict(&rep, "SG", "null", "Caught fatal signal 9", "OOM-killed without a memory limit");
	tap_ok(!rep.oom_killed, "no memory limit: not oom_killed");

	ended(&rep, &plan, -1, 16, 0, SIGKILL);
	rep.fired = NB_LIMIT_PIDS;
	nb_report_decide(&rep);
	is_verdict(&rep, "RE", "pids", "Process limit exceeded", "killed at a refused fork");
	ended(&rep, &plan, -1, 16, 2, 0);
	rep.pids_refused = 3;
	nb_report_decide(&rep);
	is_verdict(&rep, "RE", "pids", "Process limit exceeded", "a refused fork, exit 2 (v1)");
	ended(&rep, &plan, -1, 16, 0, 0);
	rep.pids_refused = 3;
	nb_report_decide(&rep);
	is_verdict(&rep, "OK", "null", "", "a refused fork, exit 0");

	ended(&rep, &plan, -1, -1, 0, SIGKILL);
	rep.fired = NB_LIMIT_OUTPUT;
	nb_report_decide(&rep);
	is_verdict(&rep, "OL", "output", "Output limit exceeded", "killed at the output limit");
	ended(&rep, &plan, -1, -1, 0, 0);
	rep.output_exceeded = true;
	nb_report_decide(&rep);
	is_verdict(&rep, "OL", "output", "Output limit exceeded", "too much output found at the end");
	ended(&rep, &plan, -1, -1, 0, SIGXFSZ);
	nb_report_decide(&rep);
	is_verdict(&rep, "OL", "fsize", "File size limit exceeded", "SIGXFSZ");

	/* The first limit nsbox acted on wins over what the figures say. */
	ended(&rep, &plan, 33554432, -1, 0, SIGKILL);
	rep.fired = NB_LIMIT_WALL;
	rep.cpu_ns = 900000000;
	rep.oom_kills = 1;
	nb_report_decide(&rep);
	is_verdict(&rep, "TO", "wall", "Time limit exceeded (wall clock)", "the limit acted on first");

	nb_report_init(&rep, &plan, -1, -1);
	rep.failed = true;
	rep.status = 125;
	snprintf(rep.message, sizeof(rep.message), "set up filesystem: boom");
	nb_report_decide(&rep);
	is_verdict(&rep, "XX", "null", "set up filesystem: boom", "nsbox failed before the run");
	ended(&rep, &plan, -1, -1, 0, SIGKILL);
	rep.failed = true;
	snprintf(rep.message, sizeof(rep.message), "epoll_wait: Bad file descriptor");
	nb_report_decide(&rep);
	is_verdict(&rep, "XX", "null", "epoll_wait: Bad file descriptor", "nsbox failed during the run");
}

static void test_json(void)
{
	struct nb_judge_plan plan;
	struct nb_report rep;
	char *text;

	nb_judge_plan_init(&plan);
	plan.cpu_us = 500000;
	plan.extra_us = 0;
	plan.output_limit = 1024;
	plan.rlim[NB_JR_STACK] = (struct nb_judge_rlimit){ true, NB_JUDGE_UNLIMITED };
	plan.rlim[NB_JR_NOFILE] = (struct nb_judge_rlimit){ true, 64 };
	ended(&rep, &plan, 33554432, 16, 0, SIGKILL);
	rep.fired = NB_LIMIT_CPU;
	rep.cpu_ns = 503217999;
	rep.user_ns = 500000000;
	rep.sys_ns = 3217999;
	rep.wall_ns = 612000001;
	rep.has_memory_peak = rep.has_pids_peak = rep.has_csw = true;
	rep.memory_peak = 1048576;
	rep.pids_peak = 2;
	rep.csw_voluntary = 4;
	rep.csw_involuntary = 17;
	nb_report_decide(&rep);
	text = nb_report_json(&rep);
	tap_is_str(text,
		   "{\"version\":1,\"status\":\"TO\",\"limit\":\"cpu\",\"message\":\"Time limit exceeded\","
		   "\"exit_status\":137,\"exit_code\":null,\"signal\":9,\"killed\":true,"
		   "\"cpu_time_ms\":503.217,\"cpu_user_ms\":500.0,\"cpu_sys_ms\":3.217,"
		   "\"wall_time_ms\":612.0,\"memory_peak_bytes\":1048576,\"oom_killed\":false,"
		   "\"pids_peak\":2,\"voluntary\":4,\"involuntary\":17,\"limits\":{\"cpu_ms\":500.0,"
		   "\"wall_ms\":null,\"extra_ms\":0.0,\"memory_bytes\":33554432,\"pids\":16,"
		   "\"output_bytes\":1024,\"fsize_bytes\":null,\"nofile\":64,\"stack_bytes\":-1,"
		   "\"core_bytes\":0,\"as_bytes\":null}}\n", "a TO report");
	free(text);
	text = nb_report_meta(&rep);
	tap_is_str(text, "time:0.503\ntime-wall:0.612\nmax-rss:1024\ncg-mem:1024\ncsw-voluntary:4\n"
		   "csw-forced:17\nexitsig:9\nkilled:1\nstatus:TO\nmessage:Time limit exceeded\n",
		   "its meta file");
	free(text);

	nb_report_init(&rep, &plan, -1, -1);
	rep.failed = true;
	rep.status = 125;
	snprintf(rep.message, sizeof(rep.message), "a \"quoted\"\\ line\nand\ttab");
	nb_report_decide(&rep);
	text = nb_report_json(&rep);
	tap_ok(text && strstr(text, "\"message\":\"a \\\"quoted\\\"\\\\ line\\nand\\ttab\""),
	       "XX: the message escaped");
	tap_ok(text && strstr(text, "\"exit_code\":null,\"signal\":null,\"killed\":false,\"cpu_time_ms\":null,"
			      "\"cpu_user_ms\":null,\"cpu_sys_ms\":null,\"wall_time_ms\":null,"
			      "\"memory_peak_bytes\":null,\"oom_killed\":false,\"pids_peak\":null,"
			      "\"voluntary\":null,\"involuntary\":null"), "XX: no figures");
	free(text);
	text = nb_report_meta(&rep);
	tap_is_str(text, "status:XX\nmessage:a \"quoted\"\\ line and\ttab\n", "XX meta: one line");
	free(text);

	ended(&rep, &plan, 33554432, -1, 0, SIGKILL);
	rep.fired = NB_LIMIT_MEMORY;
	nb_report_decide(&rep);
	text = nb_report_meta(&rep);
	tap_is_str(text, "time:0.010\ntime-wall:0.020\ncg-oom-killed:1\nexitsig:9\nkilled:1\nstatus:SG\n"
		   "message:Memory limit exceeded\n", "ML in isolate's words: SG with cg-oom-killed");
	free(text);
	ended(&rep, &plan, -1, -1, 0, 0);
	nb_report_decide(&rep);
	text = nb_report_meta(&rep);
	tap_is_str(text, "time:0.010\ntime-wall:0.020\nexitcode:0\n", "OK meta: no status");
	free(text);
}

/* The number of entries in DIR, "." and ".." aside. */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static void test_write(void)
{
	char dir[] = "/tmp/nsbox-test-report.XXXXXX", path[256], buf[64] = "";
	struct nb_error err;
	_cleanup_close_ int dfd = -1;
	int fd;
	struct nb_atomic_file file = NB_ATOMIC_FILE_INIT;
	ssize_t n;

	if (!mkdtemp(dir)) {
		tap_ok(false, "mkdtemp");
		return;
	}
	dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	snprintf(path, sizeof(path), "%s/r.json", dir);
	tap_is_int(symlink("/nonexistent-target", path), 0, "a symlink planted at the report's path");
	tap_is_int(nb_report_write(&file, dfd, "r.json", "{}\n", "--report", path, &err), 0, "written");
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	tap_ok(fd >= 0, "the symlink was replaced, not followed");
	n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	tap_is_str(n >= 0 ? buf : "", "{}\n", "the report's text");
	if (fd >= 0)
		close(fd);
	tap_ok(access("/nonexistent-target", F_OK) < 0, "nothing written through the symlink");
	/* Its temporary file made early (while the command runs). */
	tap_is_int(nb_atomic_begin(&file, dfd, "r.json"), 0, "a temporary file made early");
	tap_is_int(count_entries(dir), 2, "beside the report");
	tap_is_int(nb_report_write(&file, dfd, "r.json", "{\"a\":1}\n", "--report", path, &err), 0,
		   "written through it");
	tap_is_int(count_entries(dir), 1, "renamed over the report: nothing else left");
	tap_is_int(nb_atomic_begin(&file, dfd, "r.json"), 0, "made early again");
	tap_is_int(nb_report_write(&file, dfd, "r.json", NULL, "--report", path, &err), -ENOMEM,
		   "no text: ENOMEM");
	tap_is_int(count_entries(dir), 1, "the early temporary file removed");
	tap_is_int(nb_atomic_begin(&file, dfd, "r.json"), 0, "made early once more");
	nb_atomic_abort(&file);
	tap_ok(count_entries(dir) == 1 && file.fd == -1, "aborted: removed, and closed");
	/* Unnamed (O_TMPFILE): nothing in the directory until the commit. */
	tap_is_int(nb_atomic_begin_unnamed(&file, dfd, "r.json"), 0, "an unnamed temporary file");
	tap_is_int(count_entries(dir), 1, "not in the directory");
	tap_is_int(nb_report_write(&file, dfd, "r.json", "{\"b\":2}\n", "--report", path, &err), 0,
		   "written through it");
	tap_is_int(count_entries(dir), 1, "linked and renamed over the report: nothing else left");
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	memset(buf, 0, sizeof(buf));
	n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	tap_is_str(n >= 0 ? buf : "", "{\"b\":2}\n", "its text");
	if (fd >= 0)
		close(fd);
	tap_is_int(nb_atomic_begin_unnamed(&file, dfd, "r.json"), 0, "unnamed again");
	nb_atomic_abort(&file);
	tap_ok(count_entries(dir) == 1 && file.fd == -1, "aborted: nothing was there to remove");
	unlink(path);
	rmdir(dir);
	tap_is_int(nb_report_write(&file, dfd, "r.json", "x", "--report", "gone/r.json", &err), -ENOENT,
		   "a directory gone meanwhile");
	tap_is_str(err.msg, "--report 'gone/r.json': No such file or directory", "its message");
}

int main(void)
{
	test_rules();
	test_json();
	test_write();
	return tap_done();
}
