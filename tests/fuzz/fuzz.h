/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz.h: what the fuzz targets share (tests/fuzz/README.md).
 *
 * Each tests/fuzz/fuzz-NAME.c defines LLVMFuzzerTestOneInput(), the
 * libFuzzer entry point: it feeds one input to a parser and checks what
 * the sanitizers cannot see, the contracts of the code under test. A
 * broken contract aborts (FUZZ_CHECK), which libFuzzer reports as a crash
 * with its input. The same file links either with libFuzzer (-Dfuzz=true,
 * clang) or with replay.c, a main() that runs files through it (the normal
 * build's `meson test --suite fuzz`, any compiler).
 */
#ifndef NSBOX_TESTS_FUZZ_H
#define NSBOX_TESTS_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort with "fuzz: FILE:LINE: MESSAGE" unless COND holds. */
#define FUZZ_CHECK(cond, ...) \
	do { \
		if (!(cond)) \
			fuzz_fail(__FILE__, __LINE__, __VA_ARGS__); \
	} while (0)
_Noreturn void fuzz_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The error contract of base/error.h: a negative R (a -errno) comes with
 * a positive code and a message in ERR. WHAT names the call. With
 * FUZZ_VERBOSE set in the environment, print each result (is a seed
 * accepted, or why not?). */
void fuzz_check_error(int r, const struct nb_error *err, const char *what);

/* DATA as a C string: a malloc'd copy, cut at its first NUL. */
char *fuzz_string(const uint8_t *data, size_t size);

/* DATA as a command line: ARGV0, then DATA's NUL-separated strings (a
 * final NUL ends the last one, and adds no empty one), at most 256. */
struct fuzz_argv {
	int argc;
	char **argv;       /* argc + 1 pointers, NULL last; getopt may permute them */
	char *buf;
};
void fuzz_argv_make(struct fuzz_argv *a, const char *argv0, const uint8_t *data, size_t size);
void fuzz_argv_free(struct fuzz_argv *a);

/* Does P point into one of the strings of A? */
bool fuzz_argv_holds(const struct fuzz_argv *a, const char *p);

struct nb_config;
struct nb_seccomp;
struct nb_resources;

/* nb_oci_plan_json(CFG) must load back (nb_oci_load()) into the same
 * process plan: arguments, environment, cwd, user, capabilities, rlimits,
 * no_new_privs, new namespaces and id maps, seccomp (oci.h). */
void fuzz_check_plan_json(const struct nb_config *cfg, const char *what);

/* nb_oci_seccomp_json(SC) must load back into an equal profile. */
void fuzz_check_seccomp_json(const struct nb_seccomp *sc, const char *what);
void fuzz_check_seccomp_equal(const struct nb_seccomp *a, const struct nb_seccomp *b, const char *what);

/* The cgroup writes of R (checked by nb_resources_check()) on v1 and v2,
 * fresh and over a current memory limit: the error contract, and
 * well-formed writes (a controller, a file name without '/', a value). */
void fuzz_check_cg_writes(const struct nb_resources *r, const char *what);

#endif
