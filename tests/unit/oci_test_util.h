/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers of the unit tests of spec/oci*.c: documents in single quotes, and loading them. */
#ifndef NSBOX_TESTS_OCI_TEST_UTIL_H
#define NSBOX_TESTS_OCI_TEST_UTIL_H

#include "spec/oci.h"
#include "tap.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The documents below are written with single quotes, which J() turns into
 * double quotes, so that they stay readable as C strings.
 */
static inline char *J(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline char *J(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	return s;
}

#define HEAD "'ociVersion': '1.0.2', 'root': {'path': 'rootfs'}"
#define PROC "'process': {'args': ['sh'], 'cwd': '/', 'user': {'uid': 0, 'gid': 0}"
#define NS_MNT "'namespaces': [{'type': 'mount'}]"
#define NS_USER "'namespaces': [{'type': 'mount'}, {'type': 'user'}], " \
	"'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 10}], " \
	"'gidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 10}]"

/* A minimal valid document with EXTRA_PROCESS inside "process", EXTRA_LINUX
 * inside "linux" (after the namespaces) and EXTRA at the top; each starts
 * with a comma when not empty. */
static inline char *doc(const char *extra_process, const char *extra_linux, const char *extra)
{
	return J("{" HEAD ", " PROC "%s}, 'linux': {" NS_MNT "%s}%s}", extra_process, extra_linux,
		 extra);
}

struct load {
	struct nb_config cfg;
	struct nb_error err;
	int r;
};

static inline void load_text(struct load *t, const char *text, const char *bundle)
{
	nb_config_init(&t->cfg);
	nb_error_clear(&t->err);
	t->r = nb_oci_load(text, strlen(text), bundle, &t->cfg, &t->err);
}

/* Load TEXT (consumed) and expect success; false (with the message) if not. */
static inline bool load_ok(struct load *t, char *text, const char *name)
{
	load_text(t, text, "/bundle");
	free(text);
	if (!tap_is_int(t->r, 0, "%s: loads", name)) {
		tap_diag("message: %s", t->err.msg);
		return false;
	}
	return true;
}

/* Load TEXT (consumed) and expect exactly the error MSG. */
static inline void load_bad(char *text, const char *msg)
{
	struct load t;

	load_text(&t, text, "/bundle");
	free(text);
	tap_is_int(t.r, -EINVAL, "'%s': fails with -EINVAL", msg);
	tap_is_str(t.err.msg, msg, "'%s': message", msg);
	nb_config_free(&t.cfg);
}

/* Errors in process, linux or at the top of an otherwise minimal document. */
static inline void bad_process(const char *extra, const char *msg) { load_bad(doc(extra, "", ""), msg); }
static inline void bad_linux(const char *extra, const char *msg) { load_bad(doc("", extra, ""), msg); }
static inline void bad_top(const char *extra, const char *msg) { load_bad(doc("", "", extra), msg); }

#endif
