/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-report: the verdict and its renderings (`nsbox run --report`,
 * `--meta`; runtime/report.h). The input is the facts of a run: flags and
 * numbers from its first bytes, the message from the rest. The report must
 * be one JSON object with every documented field and the status the rules
 * gave; the meta file "key:value" lines, each key known and at most once,
 * whatever the message holds (a program's name or output could be in it). */
#include "fuzz.h"
#include "runtime/report.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *const report_fields[] = {
	"version", "status", "limit", "message", "exit_status", "exit_code", "signal", "killed",
	"cpu_time_ms", "cpu_user_ms", "cpu_sys_ms", "wall_time_ms", "memory_peak_bytes", "oom_killed",
	"pids_peak", "voluntary", "involuntary", "limits",
};

static const char *const meta_keys[] = {
	"time", "time-wall", "max-rss", "cg-mem", "cg-oom-killed", "csw-voluntary", "csw-forced",
	"exitcode", "exitsig", "killed", "status", "message",
};

static uint64_t take(const uint8_t **p, size_t *n, size_t bytes)
{
	uint64_t v = 0;

	for (size_t i = 0; i < bytes && *n; i++, (*p)++, (*n)--)
		v = v << 8 | **p;
	return v;
}

static void facts(struct nb_report *rep, const uint8_t *p, size_t n)
{
	uint64_t flags = take(&p, &n, 2);
	size_t len;

	rep->ran = flags & 1;
	rep->failed = flags & 2;
	rep->exited = flags & 4;
	rep->output_exceeded = flags & 8;
	rep->has_memory_peak = flags & 16;
	rep->has_pids_peak = flags & 32;
	rep->has_csw = flags & 64;
	rep->fired = (enum nb_limit)((flags >> 7) % (NB_LIMIT_OUTPUT + 1));
	rep->status = (int)take(&p, &n, 1);
	rep->exit_code = (int)take(&p, &n, 1);
	rep->signal = (int)(take(&p, &n, 1) % 65);
	rep->oom_kills = take(&p, &n, 1) % 3;
	rep->pids_refused = take(&p, &n, 1) % 3;
	rep->cpu_ns = take(&p, &n, 5);
	rep->wall_ns = take(&p, &n, 5);
	rep->user_ns = rep->cpu_ns / 2;
	rep->sys_ns = rep->cpu_ns - rep->user_ns;
	rep->memory_peak = take(&p, &n, 4);
	rep->pids_peak = take(&p, &n, 2);
	rep->csw_voluntary = take(&p, &n, 2);
	rep->csw_involuntary = take(&p, &n, 2);
	rep->limits.cpu_us = (int64_t)take(&p, &n, 3) - 1;
	rep->limits.wall_us = (int64_t)take(&p, &n, 3) - 1;
	rep->limits.memory = (int64_t)take(&p, &n, 3) - 1;
	len = n < sizeof(rep->message) - 1 ? n : sizeof(rep->message) - 1;
	memcpy(rep->message, p, len);
	rep->message[len] = '\0';
}

static void check_json(const struct nb_report *rep, const char *text)
{
	json_error_t jerr;
	json_t *doc = json_loads(text, 0, &jerr);

	FUZZ_CHECK(doc && json_is_object(doc), "the report is no JSON object: %s", jerr.text);
	FUZZ_CHECK(strchr(text, '\n') == text + strlen(text) - 1, "the report is not one line");
	for (size_t i = 0; i < sizeof(report_fields) / sizeof(report_fields[0]); i++)
		FUZZ_CHECK(json_object_get(doc, report_fields[i]), "the report lacks '%s'", report_fields[i]);
	FUZZ_CHECK(json_integer_value(json_object_get(doc, "version")) == NB_REPORT_VERSION, "version");
	FUZZ_CHECK(json_is_string(json_object_get(doc, "status")) &&
		   strcmp(json_string_value(json_object_get(doc, "status")), nb_verdict_name(rep->verdict)) == 0,
		   "status is not the verdict %s", nb_verdict_name(rep->verdict));
	json_decref(doc);
}

static void check_meta(const char *text)
{
	int seen[sizeof(meta_keys) / sizeof(meta_keys[0])] = { 0 };

	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n'), *colon = strchr(line, ':');
		size_t k;

		FUZZ_CHECK(end, "the meta file's last line has no newline");
		FUZZ_CHECK(colon && colon < end, "a meta line without 'key:'");
		for (k = 0; k < sizeof(meta_keys) / sizeof(meta_keys[0]); k++)
			if (strlen(meta_keys[k]) == (size_t)(colon - line) && strncmp(line, meta_keys[k], colon - line) == 0)
				break;
		FUZZ_CHECK(k < sizeof(meta_keys) / sizeof(meta_keys[0]), "an unknown meta key '%.*s'",
			   (int)(colon - line), line);
		FUZZ_CHECK(++seen[k] == 1, "meta key '%s' twice", meta_keys[k]);
		line = end + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nb_report rep;
	struct nb_judge_plan plan;
	char *json, *meta;

	memset(&plan, 0, sizeof(plan));
	nb_judge_plan_init(&plan);
	nb_report_init(&rep, &plan, -1, -1);
	facts(&rep, data, size);
	nb_report_decide(&rep);
	FUZZ_CHECK(nb_verdict_name(rep.verdict) != NULL, "no name for verdict %d", (int)rep.verdict);
	FUZZ_CHECK(!rep.failed || rep.verdict == NB_VERDICT_XX, "a failure of nsbox is not XX");
	json = nb_report_json(&rep);
	meta = nb_report_meta(&rep);
	FUZZ_CHECK(json && meta, "out of memory");
	check_json(&rep, json);
	check_meta(meta);
	free(json);
	free(meta);
	return 0;
}
