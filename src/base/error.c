/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "base/error.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

__attribute__((format(printf, 2, 0)))
static void vformat(struct nb_error *err, const char *fmt, va_list ap)
{
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

int nb_error_set(struct nb_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	err->code = code > 0 ? code : EINVAL;
	err->kind = NB_ERR_SETUP;
	va_start(ap, fmt);
	vformat(err, fmt, ap);
	va_end(ap);
	return -err->code;
}

int nb_error_sys(struct nb_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	size_t len;

	if (code <= 0)
		code = EIO;
	err->code = code;
	err->kind = NB_ERR_SETUP;
	va_start(ap, fmt);
	vformat(err, fmt, ap);
	va_end(ap);
	len = strlen(err->msg);
	snprintf(err->msg + len, sizeof(err->msg) - len, ": %s", strerror(code));
	return -code;
}

int nb_error_prefix(struct nb_error *err, const char *fmt, ...)
{
	char buf[NB_ERROR_MSG_MAX];
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	len = strlen(buf);
	if (len + 2 < sizeof(buf)) {
		memcpy(buf + len, ": ", 3);
		len += 2;
	}
	/* Truncate the old message, not the new context, if it must be. */
	memcpy(buf + len, err->msg, sizeof(buf) - len - 1);
	buf[sizeof(buf) - 1] = '\0';
	memcpy(err->msg, buf, sizeof(err->msg));
	if (err->code <= 0)
		err->code = EINVAL;
	return -err->code;
}

int nb_error_usage(struct nb_error *err, const char *fmt, ...)
{
	va_list ap;

	err->code = EINVAL;
	err->kind = NB_ERR_USAGE;
	va_start(ap, fmt);
	vformat(err, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

void nb_error_clear(struct nb_error *err)
{
	err->code = 0;
	err->kind = NB_ERR_SETUP;
	err->msg[0] = '\0';
}
