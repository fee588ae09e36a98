/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * strutil.h: strict number parsing and growable string vectors.
 * Pure functions: no system calls, usable from spec/ and unit tests.
 */
#ifndef NSBOX_BASE_STRUTIL_H
#define NSBOX_BASE_STRUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parse all of S as a decimal number in [min, max]. 0 or -EINVAL/-ERANGE. */
int nb_parse_u64(const char *s, uint64_t max, uint64_t *ret);
int nb_parse_u32(const char *s, uint32_t *ret);
int nb_parse_int(const char *s, int min, int max, int *ret);

/* Parse a size such as "64m", "1G", "4096" (k, m, g: powers of 1024). */
int nb_parse_size(const char *s, uint64_t *ret);

/* Parse a duration in Go's form, as runc takes it: "5s", "1.5s", "250ms",
 * "2m", "1h30m", "100us", "10ns"; a plain number is seconds. Into
 * nanoseconds. 0, -EINVAL, -ERANGE (beyond 2^64 ns), or -ENOMEM. */
int nb_parse_duration(const char *s, uint64_t *ret_ns);

bool nb_streq(const char *a, const char *b);
bool nb_startswith(const char *s, const char *prefix);

/* A NULL-terminated, growable vector of owned strings (argv/envp shape). */
struct nb_strv {
	char **items;   /* NULL-terminated once anything was added */
	size_t len;
	size_t cap;
};

int nb_strv_push(struct nb_strv *v, const char *s);   /* copies s; 0 or -ENOMEM */
/* Set KEY=VALUE in an environment vector, replacing an earlier KEY. */
int nb_strv_setenv(struct nb_strv *v, const char *kv);
const char *nb_strv_getenv(const struct nb_strv *v, const char *key);
void nb_strv_free(struct nb_strv *v);

#endif
