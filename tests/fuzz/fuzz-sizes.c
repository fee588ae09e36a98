/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-sizes: numbers, sizes and durations (base/strutil.h: nb_parse_u64,
 * _u32, _int, _size, _duration; nb_res_parse_size(), go-units' sizes of
 * update and run), against each other, and each limit option of
 * `nsbox run` (spec/run_limits.h) with the input as its value, applied to
 * a plan and written as cgroup files. */
#include "fuzz.h"
#include "spec/config.h"
#include "spec/run_limits.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void limits(const char *text)
{
	static const char *const names[] = {
		"memory", "memory-swap", "cpus", "cpu-weight", "cpuset-cpus", "cpuset-mems", "pids",
		"io-weight", "cgroup-parent",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct nb_error err = { 0 };
		struct nb_run_limits rl;
		struct nb_config cfg;
		int r;

		FUZZ_CHECK(nb_run_limits_is_option(names[i]), "'%s' is no limit option", names[i]);
		nb_run_limits_init(&rl);
		nb_config_init(&cfg);
		r = nb_run_limits_parse(&rl, names[i], text, &err);
		fuzz_check_error(r, &err, names[i]);
		/* --memory-swap alone needs --memory. */
		if (r >= 0 && strcmp(names[i], "memory-swap") == 0)
			r = nb_run_limits_parse(&rl, "memory", "1g", &err);
		if (r >= 0) {
			r = nb_run_limits_apply(&rl, &cfg, &err);
			fuzz_check_error(r, &err, "nb_run_limits_apply");
		}
		if (r >= 0 && nb_resources_check(&cfg.oci.resources, NULL, &err) == 0)
			fuzz_check_cg_writes(&cfg.oci.resources, names[i]);
		nb_config_free(&cfg);
		nb_run_limits_free(&rl);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	uint64_t u64 = 0, size64 = 0, ns = 0;
	uint32_t u32 = 0;
	int64_t res = 0;
	int i = 0;
	int r_u64 = nb_parse_u64(text, UINT64_MAX, &u64);
	int r_u32 = nb_parse_u32(text, &u32);
	int r_int = nb_parse_int(text, INT32_MIN, INT32_MAX, &i);
	int r_size = nb_parse_size(text, &size64);
	int r_res = nb_res_parse_size(text, &res);
	int r_dur = nb_parse_duration(text, &ns);

	FUZZ_CHECK(r_u64 == 0 || r_u64 == -EINVAL || r_u64 == -ERANGE, "nb_parse_u64: %d", r_u64);
	FUZZ_CHECK(r_size == 0 || r_size == -EINVAL || r_size == -ERANGE, "nb_parse_size: %d", r_size);
	FUZZ_CHECK(r_res == 0 || r_res == -EINVAL || r_res == -ERANGE, "nb_res_parse_size: %d", r_res);
	FUZZ_CHECK(r_dur == 0 || r_dur == -EINVAL || r_dur == -ERANGE, "nb_parse_duration: %d", r_dur);
	/* Plain digits: every parser reads the same number. */
	if (r_u64 == 0) {
		FUZZ_CHECK(r_size == 0 && size64 == u64, "'%s': nb_parse_size %d, %llu", text, r_size,
			   (unsigned long long)size64);
		FUZZ_CHECK(u64 > INT64_MAX ? r_res == -ERANGE : (r_res == 0 && (uint64_t)res == u64),
			   "'%s': nb_res_parse_size %d, %lld", text, r_res, (long long)res);
		FUZZ_CHECK(u64 > UINT32_MAX ? r_u32 == -ERANGE : (r_u32 == 0 && u32 == u64),
			   "'%s': nb_parse_u32 %d", text, r_u32);
		if (u64 <= UINT64_MAX / 1000000000u)
			FUZZ_CHECK(r_dur == 0 && ns == u64 * 1000000000u, "'%s': nb_parse_duration %d, %llu",
				   text, r_dur, (unsigned long long)ns);
		if (u64 <= INT32_MAX)
			FUZZ_CHECK(r_int == 0 && (uint64_t)i == u64, "'%s': nb_parse_int %d", text, r_int);
	}
	if (r_u32 == 0)
		FUZZ_CHECK(r_u64 == 0, "'%s': u32 but not u64", text);
	/* k, m, g: powers of 1024 in both size parsers. */
	if (r_size == 0 && size64 <= INT64_MAX)
		FUZZ_CHECK(r_res == 0 && (uint64_t)res == size64, "'%s': %llu, but nb_res_parse_size %d, %lld",
			   text, (unsigned long long)size64, r_res, (long long)res);
	if (r_res == 0)
		FUZZ_CHECK(res >= 0, "'%s': a negative size", text);
	limits(text);
	free(text);
	return 0;
}
