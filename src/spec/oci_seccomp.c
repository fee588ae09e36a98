/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A struct nb_seccomp written back as the JSON of a linux.seccomp object
 * (for the state of a sandbox, which `exec` loads again). Written by hand
 * rather than with jansson, whose integers stop at INT64_MAX: argument
 * values use all 64 bits (a mask of 0xffffffff00000000).
 */
#include "spec/oci.h"
#include "base/cleanup.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

/* S as a JSON string: quotes, backslashes and control characters escaped;
 * other bytes as they are (the loader took them from valid UTF-8). */
static void put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void put_key(FILE *f, const char *key, bool *first)
{
	if (!*first)
		fputc(',', f);
	*first = false;
	put_string(f, key);
	fputc(':', f);
}

static void put_string_member(FILE *f, const char *key, const char *value, bool *first)
{
	put_key(f, key, first);
	put_string(f, value ? value : "");
}

static void put_strv_member(FILE *f, const char *key, const struct nb_strv *v, bool *first)
{
	put_key(f, key, first);
	fputc('[', f);
	for (size_t i = 0; i < v->len; i++) {
		if (i)
			fputc(',', f);
		put_string(f, v->items[i]);
	}
	fputc(']', f);
}

static void put_arg(FILE *f, const struct nb_seccomp_arg *a)
{
	bool first = true;

	fputc('{', f);
	put_key(f, "index", &first);
	fprintf(f, "%u", a->index);
	put_key(f, "value", &first);
	fprintf(f, "%" PRIu64, a->value);
	if (a->value_two) {
		put_key(f, "valueTwo", &first);
		fprintf(f, "%" PRIu64, a->value_two);
	}
	put_string_member(f, "op", nb_seccomp_op_name(a->op), &first);
	fputc('}', f);
}

static void put_rule(FILE *f, const struct nb_seccomp_rule *rule)
{
	bool first = true;

	fputc('{', f);
	put_strv_member(f, "names", &rule->names, &first);
	put_string_member(f, "action", nb_seccomp_action_name(rule->action), &first);
	if (rule->has_errno_ret) {
		put_key(f, "errnoRet", &first);
		fprintf(f, "%" PRIu32, rule->errno_ret);
	}
	if (rule->n_args) {
		put_key(f, "args", &first);
		fputc('[', f);
		for (size_t i = 0; i < rule->n_args; i++) {
			if (i)
				fputc(',', f);
			put_arg(f, &rule->args[i]);
		}
		fputc(']', f);
	}
	fputc('}', f);
}

static void put_seccomp(FILE *f, const struct nb_seccomp *sc)
{
	bool first = true;

	fputc('{', f);
	put_string_member(f, "defaultAction", nb_seccomp_action_name(sc->default_action), &first);
	if (sc->has_default_errno_ret) {
		put_key(f, "defaultErrnoRet", &first);
		fprintf(f, "%" PRIu32, sc->default_errno_ret);
	}
	if (sc->architectures.len)
		put_strv_member(f, "architectures", &sc->architectures, &first);
	if (sc->flags.len)
		put_strv_member(f, "flags", &sc->flags, &first);
	if (sc->listener_path)
		put_string_member(f, "listenerPath", sc->listener_path, &first);
	if (sc->listener_metadata)
		put_string_member(f, "listenerMetadata", sc->listener_metadata, &first);
	put_key(f, "syscalls", &first);
	fputc('[', f);
	for (size_t i = 0; i < sc->n_rules; i++) {
		if (i)
			fputc(',', f);
		put_rule(f, &sc->rules[i]);
	}
	fputs("]}", f);
}

char *nb_oci_seccomp_json(const struct nb_seccomp *sc)
{
	char *text = NULL;
	size_t len = 0;
	/* A memory stream: no file, no system call. */
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	put_seccomp(f, sc);
	if (ferror(f)) {
		fclose(f);
		free(text);
		return NULL;
	}
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}
