/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * error.h: the one error record of nsbox.
 *
 * Contract (see docs/ARCHITECTURE.md, "Errors"):
 *  - A fallible function returns 0 on success or a negative errno on failure,
 *    and on failure fills the caller-owned struct nb_error it was given.
 *  - The record is fixed-size and holds no pointers: nothing to free, and a
 *    child process can send it to the parent in one write().
 *  - Callers add context on the way up with nb_error_prefix(), so the final
 *    message reads "create mount '/proc': Operation not permitted".
 *  - Messages are lowercase, name what failed first, quote the subject.
 *  - Only cli/ prints an error, as "nsbox: MESSAGE".
 */
#ifndef NSBOX_BASE_ERROR_H
#define NSBOX_BASE_ERROR_H

#include <stdarg.h>

#define NB_ERROR_MSG_MAX 1024

/* What kind of failure, which decides nsbox's exit status (see cli/). */
enum nb_error_kind {
	NB_ERR_SETUP = 0,     /* nsbox itself failed: exit 125 */
	NB_ERR_USAGE,         /* bad command line: exit 125 plus a usage hint */
	NB_ERR_CANNOT_EXEC,   /* the command exists but cannot run: exit 126 */
	NB_ERR_NOT_FOUND,     /* the command was not found: exit 127 */
};

struct nb_error {
	int code;                  /* positive errno, 0 if none */
	enum nb_error_kind kind;
	char msg[NB_ERROR_MSG_MAX];
};

/* Set the record to a formatted message; returns -code (a negative errno). */
int nb_error_set(struct nb_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like nb_error_set(), appending ": strerror(code)" to the message. */
int nb_error_sys(struct nb_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Same with the current errno; returns -errno. */
#define nb_error_errno(err, ...) nb_error_sys((err), errno, __VA_ARGS__)

/* Put "CONTEXT: " in front of the message; returns -err->code. */
int nb_error_prefix(struct nb_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Mark a set error as a usage error (exit 125 with a hint); returns -code. */
int nb_error_usage(struct nb_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void nb_error_clear(struct nb_error *err);

#endif
