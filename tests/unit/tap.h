/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tap.h: a minimal Test Anything Protocol writer for the unit tests.
 *
 *   tap_is_int(nb_parse_u32("7", &v), 0, "parse 7");
 *   tap_is_str(err.msg, "no command given", "message");
 *   return tap_done();
 *
 * Every check prints "ok N - name" or "not ok N - name" followed by
 * "#   got: ..." / "#   expected: ..." lines. tap_done() prints the plan
 * "1..N" (unless tap_plan() printed it first) and returns the exit status:
 * 0 if every check passed and the plan was met, 1 otherwise.
 */
#ifndef NSBOX_TESTS_TAP_H
#define NSBOX_TESTS_TAP_H

#include <stdbool.h>
#include <stdint.h>

/* Announce the number of checks up front (optional). */
void tap_plan(int n);

bool tap_ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool tap_is_int(long long got, long long expected, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool tap_is_u64(uint64_t got, uint64_t expected, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* NULL equals only NULL. */
bool tap_is_str(const char *got, const char *expected, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A "# ..." comment line. */
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print the trailing plan if needed; the process exit status. */
int tap_done(void);

#endif
