/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "tap.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count;
static int tap_failed;
static int tap_planned = -1;

void tap_plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

/* One result line; stdout is flushed so that a fork()ed child never
 * inherits and re-prints buffered output. */
__attribute__((format(printf, 2, 0)))
static bool report(bool pass, const char *fmt, va_list ap)
{
	tap_count++;
	if (!pass)
		tap_failed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_count);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
	return pass;
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

bool tap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;
	bool pass;

	va_start(ap, fmt);
	pass = report(cond, fmt, ap);
	va_end(ap);
	if (!pass)
		tap_diag("  condition was false");
	return pass;
}

bool tap_is_int(long long got, long long expected, const char *fmt, ...)
{
	va_list ap;
	bool pass;

	va_start(ap, fmt);
	pass = report(got == expected, fmt, ap);
	va_end(ap);
	if (!pass) {
		tap_diag("       got: %lld", got);
		tap_diag("  expected: %lld", expected);
	}
	return pass;
}

bool tap_is_u64(uint64_t got, uint64_t expected, const char *fmt, ...)
{
	va_list ap;
	bool pass;

	va_start(ap, fmt);
	pass = report(got == expected, fmt, ap);
	va_end(ap);
	if (!pass) {
		tap_diag("       got: %" PRIu64, got);
		tap_diag("  expected: %" PRIu64, expected);
	}
	return pass;
}

bool tap_is_str(const char *got, const char *expected, const char *fmt, ...)
{
	va_list ap;
	bool pass = got && expected ? strcmp(got, expected) == 0 : got == expected;

	va_start(ap, fmt);
	report(pass, fmt, ap);
	va_end(ap);
	if (!pass) {
		tap_diag("       got: %s%s%s", got ? "'" : "", got ? got : "NULL", got ? "'" : "");
		tap_diag("  expected: %s%s%s", expected ? "'" : "", expected ? expected : "NULL",
			 expected ? "'" : "");
	}
	return pass;
}

int tap_done(void)
{
	bool bad_plan = tap_planned >= 0 && tap_planned != tap_count;

	if (tap_planned < 0)
		printf("1..%d\n", tap_count);
	if (bad_plan)
		tap_diag("planned %d checks but ran %d", tap_planned, tap_count);
	if (tap_failed)
		tap_diag("%d of %d checks failed", tap_failed, tap_count);
	fflush(stdout);
	return tap_failed || bad_plan ? 1 : 0;
}
