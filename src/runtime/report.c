/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/report.h"

#include <jansson.h>
#include "base/fileutil.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nb_report_init(struct nb_report *rep, const struct nb_judge_plan *plan, int64_t memory, int64_t pids)
{
	memset(rep, 0, sizeof(*rep));
	rep->limits.cpu_us = plan->cpu_us;
	rep->limits.wall_us = plan->wall_us;
	rep->limits.extra_us = plan->extra_us;
	rep->limits.output = plan->output_limit;
	rep->limits.memory = memory;
	rep->limits.pids = pids;
	memcpy(rep->limits.rlim, plan->rlim, sizeof(rep->limits.rlim));
	rep->status = 125;
}

const char *nb_verdict_name(enum nb_verdict v)
{
	static const char *const names[] = { "OK", "RE", "SG", "TO", "ML", "OL", "XX" };

	return (unsigned)v < sizeof(names) / sizeof(names[0]) ? names[v] : "XX";
}

const char *nb_limit_name(enum nb_limit l)
{
	static const char *const names[] = { NULL, "cpu", "wall", "memory", "pids", "fsize", "output" };

	return (unsigned)l < sizeof(names) / sizeof(names[0]) ? names[l] : NULL;
}

static enum nb_verdict verdict_of_limit(enum nb_limit l)
{
	switch (l) {
	case NB_LIMIT_CPU: case NB_LIMIT_WALL: return NB_VERDICT_TO;
	case NB_LIMIT_MEMORY: return NB_VERDICT_ML;
	case NB_LIMIT_FSIZE: case NB_LIMIT_OUTPUT: return NB_VERDICT_OL;
	case NB_LIMIT_PIDS: return NB_VERDICT_RE;
	case NB_LIMIT_NONE: break;
	}
	return NB_VERDICT_OK;
}

static void set_message(struct nb_report *rep)
{
	char *m = rep->message;
	size_t n = sizeof(rep->message);

	switch (rep->limit) {
	case NB_LIMIT_CPU: snprintf(m, n, "Time limit exceeded"); return;
	case NB_LIMIT_WALL: snprintf(m, n, "Time limit exceeded (wall clock)"); return;
	case NB_LIMIT_MEMORY: snprintf(m, n, "Memory limit exceeded"); return;
	case NB_LIMIT_PIDS: snprintf(m, n, "Process limit exceeded"); return;
	case NB_LIMIT_FSIZE: snprintf(m, n, "File size limit exceeded"); return;
	case NB_LIMIT_OUTPUT: snprintf(m, n, "Output limit exceeded"); return;
	case NB_LIMIT_NONE: break;
	}
	if (rep->verdict == NB_VERDICT_SG)
		snprintf(m, n, "Caught fatal signal %d", rep->signal);
	else if (rep->verdict == NB_VERDICT_RE)
		snprintf(m, n, "Exited with error status %d", rep->exit_code);
	else
		m[0] = '\0';
}

/* The limit that decides a run nsbox did not cut short, or none. */
static enum nb_limit limit_after(const struct nb_report *rep)
{
	const struct nb_report_limits *l = &rep->limits;

	if (l->cpu_us >= 0 && rep->cpu_ns > (uint64_t)l->cpu_us * 1000)
		return NB_LIMIT_CPU;
	if (l->wall_us >= 0 && rep->wall_ns > (uint64_t)l->wall_us * 1000)
		return NB_LIMIT_WALL;
	if (l->memory >= 0 && rep->oom_kills > 0)
		return NB_LIMIT_MEMORY;
	if (rep->output_exceeded)
		return NB_LIMIT_OUTPUT;
	if (!rep->exited && rep->signal == SIGXFSZ)
		return NB_LIMIT_FSIZE;
	if (l->pids >= 0 && rep->pids_refused > 0 && (!rep->exited || rep->exit_code != 0))
		return NB_LIMIT_PIDS;
	return NB_LIMIT_NONE;
}

void nb_report_decide(struct nb_report *rep)
{
	rep->limit = NB_LIMIT_NONE;
	if (!rep->ran || rep->failed) {
		rep->verdict = NB_VERDICT_XX;
		if (!rep->failed || !rep->message[0])
			snprintf(rep->message, sizeof(rep->message), "internal error");
		rep->oom_killed = false;
		return;
	}
	rep->limit = rep->fired != NB_LIMIT_NONE ? rep->fired : limit_after(rep);
	rep->verdict = verdict_of_limit(rep->limit);
	if (rep->limit == NB_LIMIT_NONE)
		rep->verdict = !rep->exited ? NB_VERDICT_SG : rep->exit_code ? NB_VERDICT_RE : NB_VERDICT_OK;
	rep->oom_killed = rep->limits.memory >= 0 && (rep->oom_kills > 0 || rep->limit == NB_LIMIT_MEMORY);
	set_message(rep);
}

/* A growing text buffer; on allocation failure it stays failed. */
struct buf {
	char *p;
	size_t len, cap;
	bool oom;
};

__attribute__((format(printf, 2, 3))) static void add(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if (b->p && (size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap ? b->cap * 2 : 1024;
		while (cap < b->len + (size_t)n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
}

static char *done(struct buf *b)
{
	if (b->oom) {
		free(b->p);
		return NULL;
	}
	return b->p;
}


/* Milliseconds from nanoseconds, to the microsecond (503.217). */
static json_t *ms(uint64_t ns)
{
	return json_real((double)(ns / 1000) / 1000.0);
}

static json_t *us_limit(int64_t us)
{
	return us < 0 ? json_null() : ms((uint64_t)us * 1000);
}

static json_t *i64_or_null(int64_t v)
{
	return v < 0 ? json_null() : json_integer(v);
}

static json_t *u64_if(bool has, uint64_t v)
{
	return has ? json_integer(v > INT64_MAX ? INT64_MAX : (json_int_t)v) : json_null();
}

static json_t *rlimit(const struct nb_judge_rlimit *r, bool core)
{
	if (!r->set)
		return core ? json_integer(0) : json_null();   /* core: 0 by default */
	if (r->value == NB_JUDGE_UNLIMITED)
		return json_integer(-1);
	return u64_if(true, r->value);
}

static json_t *limits_json(const struct nb_report_limits *l)
{
	json_t *o = json_object();

	json_object_set_new(o, "cpu_ms", us_limit(l->cpu_us));
	json_object_set_new(o, "wall_ms", us_limit(l->wall_us));
	json_object_set_new(o, "extra_ms", us_limit(l->extra_us));
	json_object_set_new(o, "memory_bytes", i64_or_null(l->memory));
	json_object_set_new(o, "pids", i64_or_null(l->pids));
	json_object_set_new(o, "output_bytes", i64_or_null(l->output));
	json_object_set_new(o, "fsize_bytes", rlimit(&l->rlim[NB_JR_FSIZE], false));
	json_object_set_new(o, "nofile", rlimit(&l->rlim[NB_JR_NOFILE], false));
	json_object_set_new(o, "stack_bytes", rlimit(&l->rlim[NB_JR_STACK], false));
	json_object_set_new(o, "core_bytes", rlimit(&l->rlim[NB_JR_CORE], true));
	json_object_set_new(o, "as_bytes", rlimit(&l->rlim[NB_JR_AS], false));
	return o;
}

/* The message as a JSON string: bytes that are no UTF-8 (a program's
 * name, its output...) become '?'. */
static json_t *message_json(const char *msg)
{
	json_t *s = json_string(msg);
	char copy[NB_ERROR_MSG_MAX];

	if (s)
		return s;
	snprintf(copy, sizeof(copy), "%s", msg);
	for (char *c = copy; *c; c++)
		if ((unsigned char)*c >= 0x80)
			*c = '?';
	return json_string(copy);
}

char *nb_report_json(const struct nb_report *rep)
{
	const char *limit = nb_limit_name(rep->limit);
	bool ran = rep->ran;
	json_t *o = json_object();
	char *text, *line = NULL;

	/* In the order nsbox-run(1) documents. */
	json_object_set_new(o, "version", json_integer(NB_REPORT_VERSION));
	json_object_set_new(o, "status", json_string(nb_verdict_name(rep->verdict)));
	json_object_set_new(o, "limit", limit ? json_string(limit) : json_null());
	json_object_set_new(o, "message", rep->message[0] ? message_json(rep->message) : json_null());
	json_object_set_new(o, "exit_status", json_integer(rep->status));
	json_object_set_new(o, "exit_code", ran && rep->exited ? json_integer(rep->exit_code) : json_null());
	json_object_set_new(o, "signal", ran && !rep->exited && rep->signal ? json_integer(rep->signal) : json_null());
	json_object_set_new(o, "killed", json_boolean(ran && rep->fired != NB_LIMIT_NONE));
	json_object_set_new(o, "cpu_time_ms", ran ? ms(rep->cpu_ns) : json_null());
	json_object_set_new(o, "cpu_user_ms", ran ? ms(rep->user_ns) : json_null());
	json_object_set_new(o, "cpu_sys_ms", ran ? ms(rep->sys_ns) : json_null());
	json_object_set_new(o, "wall_time_ms", ran ? ms(rep->wall_ns) : json_null());
	json_object_set_new(o, "memory_peak_bytes", u64_if(ran && rep->has_memory_peak, rep->memory_peak));
	json_object_set_new(o, "oom_killed", json_boolean(rep->oom_killed));
	json_object_set_new(o, "pids_peak", u64_if(ran && rep->has_pids_peak, rep->pids_peak));
	json_object_set_new(o, "voluntary", u64_if(ran && rep->has_csw, rep->csw_voluntary));
	json_object_set_new(o, "involuntary", u64_if(ran && rep->has_csw, rep->csw_involuntary));
	json_object_set_new(o, "limits", limits_json(&rep->limits));
	/* 15 significant digits: milliseconds to the microsecond print exactly. */
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	json_decref(o);
	if (text && asprintf(&line, "%s\n", text) < 0)
		line = NULL;
	free(text);
	return line;
}

/* Seconds to the millisecond, as isolate writes them: "0.503". */
static void add_sec(struct buf *b, const char *key, uint64_t ns)
{
	add(b, "%s:%" PRIu64 ".%03" PRIu64 "\n", key, ns / 1000000000, ns / 1000000 % 1000);
}

/* isolate knows RE, SG, TO and XX: a memory or output limit is the
 * signal the program died of (SG), with cg-oom-killed for memory. */
static const char *meta_status(const struct nb_report *rep)
{
	switch (rep->verdict) {
	case NB_VERDICT_OK: return NULL;
	case NB_VERDICT_ML: case NB_VERDICT_OL: return rep->exited ? "RE" : "SG";
	default: return nb_verdict_name(rep->verdict);
	}
}

char *nb_report_meta(const struct nb_report *rep)
{
	struct buf b = { 0 };
	const char *status = meta_status(rep);

	if (rep->ran) {
		add_sec(&b, "time", rep->cpu_ns);
		add_sec(&b, "time-wall", rep->wall_ns);
		if (rep->has_memory_peak)
			add(&b, "max-rss:%" PRIu64 "\ncg-mem:%" PRIu64 "\n", rep->memory_peak / 1024,
			    rep->memory_peak / 1024);
		if (rep->oom_killed)
			add(&b, "cg-oom-killed:1\n");
		if (rep->has_csw)
			add(&b, "csw-voluntary:%" PRIu64 "\ncsw-forced:%" PRIu64 "\n", rep->csw_voluntary,
			    rep->csw_involuntary);
		if (rep->exited)
			add(&b, "exitcode:%d\n", rep->exit_code);
		else if (rep->signal)
			add(&b, "exitsig:%d\n", rep->signal);
		if (rep->fired != NB_LIMIT_NONE)
			add(&b, "killed:1\n");
	}
	if (status)
		add(&b, "status:%s\n", status);
	if (rep->message[0]) {
		add(&b, "message:");
		for (const char *c = rep->message; *c; c++)
			add(&b, "%c", *c == '\n' || *c == '\r' ? ' ' : *c);
		add(&b, "\n");
	}
	if (!b.p)
		add(&b, "%s", "");
	return done(&b);
}

int nb_report_write(struct nb_atomic_file *file, int dirfd, const char *base, const char *text,
		    const char *option, const char *path, struct nb_error *err)
{
	int r = 0;

	if (!text) {
		nb_atomic_abort(file);
		return nb_error_set(err, ENOMEM, "%s '%s': out of memory", option, path);
	}
	if (file->fd < 0)
		r = nb_atomic_begin(file, dirfd, base);
	if (r >= 0)
		r = nb_atomic_commit(file, text, strlen(text));
	if (r < 0)
		return nb_error_sys(err, -r, "%s '%s'", option, path);
	return 0;
}
