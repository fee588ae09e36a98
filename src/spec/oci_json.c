/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Typed readers of config.json fields, with errors that name the field. */
#include "spec/oci_internal.h"
#include "base/cleanup.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Integers above INT64_MAX. jansson keeps integers as json_int_t (int64) and
 * rejects larger literals, but the spec's uint64 fields use the whole range:
 * an rlimit of RLIM_INFINITY arrives as 18446744073709551615. Before
 * parsing, each such literal (outside strings) is replaced by the marker
 * -(OCI_BIG_BASE + k), padded with spaces to the same length so that line
 * and column numbers of later errors stay right, and its value is kept in
 * c->big[k]. The literals are at least 19 digits and the markers at most 19
 * characters. Only oci_u64() turns a marker back into its value; every
 * signed reader rejects it as out of range, which it is. A literal that is
 * itself a marker value (-10^17 - k, as many digits) is swapped for a
 * marker too, its slot marked negative, so that no literal is ever taken
 * for another: oci_int() reads its own value, oci_u64() refuses it.
 */
#define OCI_BIG_BASE INT64_C(100000000000000000)

static size_t skip_string(const char *text, size_t len, size_t i)
{
	for (i++; i < len; i++) {
		if (text[i] == '\\')
			i++;
		else if (text[i] == '"')
			return i + 1;
	}
	return len;
}

static bool is_big(const char *digits, size_t n, uint64_t *ret)
{
	char buf[32];
	char *end;

	if (n < 19 || n > 20 || digits[0] == '0')
		return false;
	memcpy(buf, digits, n);
	buf[n] = '\0';
	if (n == 19 && strcmp(buf, "9223372036854775807") <= 0)
		return false;
	errno = 0;
	*ret = strtoull(buf, &end, 10);
	return errno == 0 && *end == '\0';
}

/* The N DIGITS of a negative literal: is it -(OCI_BIG_BASE + k), the value
 * of a marker? *RET gets its value (as uint64, two's complement). */
static bool is_marker_like(const char *digits, size_t n, uint64_t *ret)
{
	char buf[24];
	char *end;
	unsigned long long v;

	if (n != 18 || digits[0] == '0')
		return false;
	memcpy(buf, digits, n);
	buf[n] = '\0';
	v = strtoull(buf, &end, 10);
	if (*end || v < (unsigned long long)OCI_BIG_BASE || v >= (unsigned long long)OCI_BIG_BASE + OCI_BIG_MAX)
		return false;
	*ret = (uint64_t)-(int64_t)v;
	return true;
}

bool oci_mark_big_integers(struct oci_ctx *c, char *text, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t start = i, n;
		char marker[24];
		uint64_t v;
		bool neg;

		if (text[i] == '"') {
			i = skip_string(text, len, i);
			continue;
		}
		if (!isdigit((unsigned char)text[i]) && text[i] != '-') {
			i++;
			continue;
		}
		if (text[i] == '-')
			i++;
		while (i < len && isdigit((unsigned char)text[i]))
			i++;
		n = i - start;
		/* A fraction or exponent makes it a real: not ours. */
		if (i < len && (text[i] == '.' || text[i] == 'e' || text[i] == 'E')) {
			while (i < len && (isalnum((unsigned char)text[i]) || text[i] == '.' ||
					   text[i] == '+' || text[i] == '-'))
				i++;
			continue;
		}
		neg = text[start] == '-';
		if (neg ? !is_marker_like(text + start + 1, n - 1, &v) : !is_big(text + start, n, &v))
			continue;
		if (c->n_big >= OCI_BIG_MAX)
			return false;
		snprintf(marker, sizeof(marker), "%" PRId64, -(OCI_BIG_BASE + (int64_t)c->n_big));
		memset(text + start, ' ', n);
		memcpy(text + start, marker, strlen(marker));
		c->big_negative[c->n_big] = neg;
		c->big[c->n_big++] = v;
	}
	return true;
}

/* The value of a marker, or false if V is not one; *NEGATIVE: a negative
 * literal's own value (as int64 in *RET), not one above INT64_MAX. */
static bool unmark(const struct oci_ctx *c, json_int_t v, uint64_t *ret, bool *negative)
{
	if (v > -OCI_BIG_BASE || v <= -(OCI_BIG_BASE + (json_int_t)c->n_big))
		return false;
	*ret = c->big[-v - OCI_BIG_BASE];
	*negative = c->big_negative[-v - OCI_BIG_BASE];
	return true;
}

int oci_fail(struct oci_ctx *c, const char *path, const char *fmt, ...)
{
	char msg[NB_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!path || !*path)
		return nb_error_set(c->err, EINVAL, "%s: %s", c->file ? c->file : "config.json", msg);
	return nb_error_set(c->err, EINVAL, "%s: %s: %s", c->file ? c->file : "config.json", path, msg);
}

int oci_oom(struct oci_ctx *c)
{
	return nb_error_set(c->err, ENOMEM, "out of memory");
}

const char *oci_key(char *buf, const char *parent, const char *key)
{
	if (!parent || !*parent)
		snprintf(buf, OCI_PATH_MAX, "%s", key);
	else
		snprintf(buf, OCI_PATH_MAX, "%s.%s", parent, key);
	return buf;
}

const char *oci_index(char *buf, const char *parent, size_t i)
{
	snprintf(buf, OCI_PATH_MAX, "%s[%zu]", parent, i);
	return buf;
}

json_t *oci_get(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_null(v) ? NULL : v;
}

int oci_check_object(struct oci_ctx *c, const json_t *v, const char *path)
{
	return json_is_object(v) ? 0 : oci_fail(c, path, "must be an object");
}

int oci_check_array(struct oci_ctx *c, const json_t *v, const char *path)
{
	return json_is_array(v) ? 0 : oci_fail(c, path, "must be an array");
}

int oci_opt_string(struct oci_ctx *c, const json_t *obj, const char *parent, const char *key,
		   const char **ret)
{
	char path[OCI_PATH_MAX];
	json_t *v = oci_get(obj, key);

	if (!v)
		return 0;
	if (!json_is_string(v))
		return oci_fail(c, oci_key(path, parent, key), "must be a string");
	*ret = json_string_value(v);
	return 0;
}

int oci_req_string(struct oci_ctx *c, const json_t *obj, const char *parent, const char *key,
		   const char **ret)
{
	char path[OCI_PATH_MAX];

	if (!oci_get(obj, key))
		return oci_fail(c, oci_key(path, parent, key), "required");
	return oci_opt_string(c, obj, parent, key, ret);
}

int oci_opt_bool(struct oci_ctx *c, const json_t *obj, const char *parent, const char *key,
		 bool *ret)
{
	char path[OCI_PATH_MAX];
	json_t *v = oci_get(obj, key);

	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return oci_fail(c, oci_key(path, parent, key), "must be true or false");
	*ret = json_is_true(v);
	return 0;
}

int oci_int(struct oci_ctx *c, const json_t *v, const char *path, int64_t min, int64_t max,
	    int64_t *ret)
{
	json_int_t n = json_integer_value(v);
	uint64_t big = 0;
	bool neg = false, marked = json_is_integer(v) && unmark(c, n, &big, &neg);

	/* A marker of a literal above INT64_MAX is out of range; one of a
	 * negative literal stands for its own value. */
	if (marked && neg)
		n = (json_int_t)big;
	if (!json_is_integer(v) || (marked && !neg) || n < min || n > max)
		return oci_fail(c, path, "must be an integer from %" PRId64 " to %" PRId64, min, max);
	*ret = n;
	return 0;
}

int oci_u64(struct oci_ctx *c, const json_t *v, const char *path, uint64_t max, uint64_t *ret)
{
	json_int_t n = json_integer_value(v);
	uint64_t u = (uint64_t)n;
	bool neg = false;

	if (!json_is_integer(v) || (n < 0 && (!unmark(c, n, &u, &neg) || neg)) || u > max)
		return oci_fail(c, path, "must be an integer from 0 to %" PRIu64, max);
	*ret = u;
	return 0;
}

int oci_opt_int(struct oci_ctx *c, const json_t *obj, const char *parent, const char *key,
		int64_t min, int64_t max, int64_t *ret, bool *present)
{
	char path[OCI_PATH_MAX];
	json_t *v = oci_get(obj, key);

	if (present)
		*present = v != NULL;
	return v ? oci_int(c, v, oci_key(path, parent, key), min, max, ret) : 0;
}

int oci_req_int(struct oci_ctx *c, const json_t *obj, const char *parent, const char *key,
		int64_t min, int64_t max, int64_t *ret)
{
	char path[OCI_PATH_MAX];

	if (!oci_get(obj, key))
		return oci_fail(c, oci_key(path, parent, key), "required");
	return oci_opt_int(c, obj, parent, key, min, max, ret, NULL);
}

int oci_opt_u64(struct oci_ctx *c, const json_t *obj, const char *parent, const char *key,
		uint64_t max, uint64_t *ret, bool *present)
{
	char path[OCI_PATH_MAX];
	json_t *v = oci_get(obj, key);

	if (present)
		*present = v != NULL;
	return v ? oci_u64(c, v, oci_key(path, parent, key), max, ret) : 0;
}

int oci_req_u64(struct oci_ctx *c, const json_t *obj, const char *parent, const char *key,
		uint64_t max, uint64_t *ret)
{
	char path[OCI_PATH_MAX];

	if (!oci_get(obj, key))
		return oci_fail(c, oci_key(path, parent, key), "required");
	return oci_opt_u64(c, obj, parent, key, max, ret, NULL);
}

int oci_string_array(struct oci_ctx *c, const json_t *v, const char *path, bool nonempty,
		     struct nb_strv *out)
{
	const char *what = nonempty ? "must be a non-empty array of strings" :
				      "must be an array of strings";
	size_t i;
	json_t *item;

	if (!json_is_array(v) || (nonempty && json_array_size(v) == 0))
		return oci_fail(c, path, "%s", what);
	json_array_foreach(v, i, item)
		if (!json_is_string(item))
			return oci_fail(c, path, "%s", what);
	json_array_foreach(v, i, item)
		if (nb_strv_push(out, json_string_value(item)) < 0)
			return oci_oom(c);
	return 0;
}

int oci_opt_string_array(struct oci_ctx *c, const json_t *obj, const char *parent,
			 const char *key, struct nb_strv *out)
{
	char path[OCI_PATH_MAX];
	json_t *v = oci_get(obj, key);

	return v ? oci_string_array(c, v, oci_key(path, parent, key), false, out) : 0;
}

int oci_string_map(struct oci_ctx *c, const json_t *v, const char *path, struct nb_strv *out)
{
	char sub[OCI_PATH_MAX];
	const char *key;
	json_t *value;

	if (!json_is_object(v))
		return oci_fail(c, path, "must be an object of strings");
	json_object_foreach((json_t *)v, key, value) {
		_cleanup_free_ char *kv = NULL;

		if (!json_is_string(value))
			return oci_fail(c, oci_key(sub, path, key), "must be a string");
		if (asprintf(&kv, "%s=%s", key, json_string_value(value)) < 0) {
			kv = NULL;
			return oci_oom(c);
		}
		if (nb_strv_push(out, kv) < 0)
			return oci_oom(c);
	}
	return 0;
}

int oci_check_abs(struct oci_ctx *c, const char *s, const char *path)
{
	return s[0] == '/' ? 0 : oci_fail(c, path, "must be an absolute path");
}

int oci_set_string(struct oci_ctx *c, char **field, const char *value)
{
	char *copy = strdup(value);

	if (!copy)
		return oci_oom(c);
	free(*field);
	*field = copy;
	return 0;
}

/* Append the components of PATH to OUT (at *LEN), dropping "." and empty ones. */
static void append_components(char *out, size_t *len, const char *path)
{
	while (*path) {
		size_t n = strcspn(path, "/");

		if (n > 0 && !(n == 1 && path[0] == '.')) {
			if (*len > 0 && out[*len - 1] != '/')
				out[(*len)++] = '/';
			memcpy(out + *len, path, n);
			*len += n;
		}
		path += n;
		while (*path == '/')
			path++;
	}
	out[*len] = '\0';
}

char *oci_resolve_path(const char *base, const char *rel)
{
	size_t blen = base ? strlen(base) : 0;
	size_t len = 0;
	char *out;

	if (rel[0] == '/' || blen == 0)
		return strdup(rel);
	out = malloc(blen + strlen(rel) + 3);
	if (!out)
		return NULL;
	out[0] = '\0';
	if (base[0] == '/') {
		out[0] = '/';
		out[1] = '\0';
		len = 1;
	}
	append_components(out, &len, base);
	append_components(out, &len, rel);
	return out;
}
