/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for the seccomp profile as JSON (spec/): nb_oci_load_seccomp()
 * (`nsbox run --seccomp FILE`), nb_oci_seccomp_json() and the round trip
 * between them, and the shape of the default profile.
 */
#include "base/cleanup.h"
#include "spec/oci.h"
#include "spec/seccomp_default.h"
#include "tap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int load(const char *text, struct nb_seccomp *sc, struct nb_error *err)
{
	nb_error_clear(err);
	return nb_oci_load_seccomp(text, strlen(text), "seccomp.json", sc, err);
}

/* The message of loading TEXT, which must fail. */
static const char *load_error(const char *text, struct nb_error *err)
{
	struct nb_seccomp sc;
	int r = load(text, &sc, err);

	nb_seccomp_free(&sc);
	return r < 0 ? err->msg : "(loaded)";
}

static bool strv_equal(const struct nb_strv *a, const struct nb_strv *b)
{
	if (a->len != b->len)
		return false;
	for (size_t i = 0; i < a->len; i++)
		if (strcmp(a->items[i], b->items[i]) != 0)
			return false;
	return true;
}

static bool str_equal(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool rule_equal(const struct nb_seccomp_rule *a, const struct nb_seccomp_rule *b)
{
	if (!strv_equal(&a->names, &b->names) || a->action != b->action ||
	    a->has_errno_ret != b->has_errno_ret || a->errno_ret != b->errno_ret ||
	    a->n_args != b->n_args)
		return false;
	for (size_t i = 0; i < a->n_args; i++)
		if (a->args[i].index != b->args[i].index || a->args[i].op != b->args[i].op ||
		    a->args[i].value != b->args[i].value ||
		    a->args[i].value_two != b->args[i].value_two)
			return false;
	return true;
}

static bool seccomp_equal(const struct nb_seccomp *a, const struct nb_seccomp *b)
{
	if (a->set != b->set || a->default_action != b->default_action ||
	    a->has_default_errno_ret != b->has_default_errno_ret ||
	    a->default_errno_ret != b->default_errno_ret ||
	    !strv_equal(&a->architectures, &b->architectures) || !strv_equal(&a->flags, &b->flags) ||
	    !str_equal(a->listener_path, b->listener_path) ||
	    !str_equal(a->listener_metadata, b->listener_metadata) || a->n_rules != b->n_rules)
		return false;
	for (size_t i = 0; i < a->n_rules; i++)
		if (!rule_equal(&a->rules[i], &b->rules[i]))
			return false;
	return true;
}

static const char full[] =
	"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38,\n"
	" \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"],\n"
	" \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\"],\n"
	" \"listenerPath\": \"/run/a \\\"b\\\"\\\\c\\td\", \"listenerMetadata\": \"m\\u00e9ta\",\n"
	" \"syscalls\": [\n"
	"  {\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"},\n"
	"  {\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1, \"args\": [\n"
	"    {\"index\": 1, \"value\": 18446744069414584320, \"valueTwo\": 21522,\n"
	"     \"op\": \"SCMP_CMP_MASKED_EQ\"}]},\n"
	"  {\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_TRACE\", \"errnoRet\": 5},\n"
	"  {\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_NOTIFY\"},\n"
	"  {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_KILL\",\n"
	"   \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_GE\"},\n"
	"            {\"index\": 5, \"value\": 18446744073709551615, \"op\": \"SCMP_CMP_NE\"}]}\n"
	" ]}\n";

static void test_load(void)
{
	struct nb_seccomp sc;
	struct nb_error err;
	int r = load(full, &sc, &err);

	tap_is_int(r, 0, "a profile with every field loads%s%s", r < 0 ? ": " : "", err.msg);
	tap_ok(sc.set && sc.default_action == NB_SECCOMP_ERRNO && sc.has_default_errno_ret &&
	       sc.default_errno_ret == 38, "default action ERRNO(38)");
	tap_is_int((long long)sc.architectures.len, 2, "two architectures");
	tap_is_str(sc.listener_path, "/run/a \"b\"\\c\td", "listenerPath, escapes decoded");
	tap_is_str(sc.listener_metadata, "m\xc3\xa9ta", "listenerMetadata, UTF-8");
	tap_is_int((long long)sc.n_rules, 5, "five rules");
	tap_is_u64(sc.rules[1].args[0].value, 0xffffffff00000000ULL, "a value above INT64_MAX, exact");
	tap_is_u64(sc.rules[1].args[0].value_two, 0x5412, "valueTwo");
	tap_is_int(sc.rules[4].action, NB_SECCOMP_KILL_THREAD, "SCMP_ACT_KILL is KILL_THREAD");
	tap_is_u64(sc.rules[4].args[1].value, UINT64_MAX, "UINT64_MAX, exact");
	nb_seccomp_free(&sc);
}

static void test_load_errors(void)
{
	struct nb_error err;

	tap_is_str(load_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": "
			      "[\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}, {\"names\": [\"write\"], "
			      "\"action\": \"SCMP_ACT_BOGUS\"}]}", &err),
		   "seccomp.json: syscalls[1].action: unknown action 'SCMP_ACT_BOGUS'",
		   "an unknown action names its place");
	tap_is_int(err.code, EINVAL, "EINVAL");
	tap_is_str(load_error("{\"syscalls\": []}", &err), "seccomp.json: defaultAction: required",
		   "defaultAction is required");
	tap_is_str(load_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": "
			      "[\"SCMP_ARCH_VAX\"]}", &err),
		   "seccomp.json: architectures[0]: unknown architecture 'SCMP_ARCH_VAX'",
		   "an unknown architecture");
	tap_is_str(load_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": "
			      "[\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 6, "
			      "\"value\": 0, \"op\": \"SCMP_CMP_EQ\"}]}]}", &err),
		   "seccomp.json: syscalls[0].args[0].index: must be an integer from 0 to 5",
		   "an argument index out of range");
	tap_is_str(load_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": "
			      "[\"read\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}", &err),
		   "seccomp.json: listenerPath: required with SCMP_ACT_NOTIFY",
		   "NOTIFY needs listenerPath");
	tap_is_str(load_error("{\"defaultAction\": \"SCMP_ACT_NOTIFY\"}", &err),
		   "seccomp.json: defaultAction: SCMP_ACT_NOTIFY cannot be the default action",
		   "NOTIFY cannot be the default");
	tap_is_str(load_error("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": "
			      "[\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {}}, "
			      "{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": "
			      "{\"caps\": [\"CAP_SYS_ADMIN\"]}}]}", &err),
		   "seccomp.json: syscalls[1].includes: a condition of Docker's profile format, "
		   "not OCI's: unsupported", "Docker's conditional rules are refused");
	tap_is_str(load_error("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": "
			      "[\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": "
			      "{\"arches\": [\"s390x\"]}}]}", &err),
		   "seccomp.json: syscalls[0].excludes: a condition of Docker's profile format, "
		   "not OCI's: unsupported", "...and so are its excludes");
	tap_is_str(load_error("{\"defaultAction\": ", &err),
		   "seccomp.json:1:18: unexpected token near end of file", "a syntax error");
	tap_is_str(load_error("[]", &err), "seccomp.json: must be an object", "not an object");
}

/* TEXT → struct → JSON → struct → JSON: both structs and texts equal. */
static void round_trip(const struct nb_seccomp *first, const char *what)
{
	_cleanup_free_ char *text = nb_oci_seccomp_json(first), *again = NULL;
	struct nb_seccomp second;
	struct nb_error err;
	int r;

	tap_ok(text != NULL, "%s: serialized", what);
	if (!text)
		return;
	r = load(text, &second, &err);
	tap_is_int(r, 0, "%s: the JSON loads back%s%s", what, r < 0 ? ": " : "", err.msg);
	tap_ok(seccomp_equal(first, &second), "%s: into an equal struct", what);
	again = nb_oci_seccomp_json(&second);
	tap_is_str(again, text, "%s: which serializes to the same text", what);
	nb_seccomp_free(&second);
}

static void test_round_trip(void)
{
	struct nb_seccomp sc;
	struct nb_error err;

	load(full, &sc, &err);
	round_trip(&sc, "every field");
	nb_seccomp_free(&sc);

	tap_is_int(nb_seccomp_default_profile(&sc, &err), 0, "the default profile");
	round_trip(&sc, "the default profile");
	nb_seccomp_free(&sc);

	tap_is_int(load("{\"defaultAction\": \"SCMP_ACT_LOG\"}", &sc, &err), 0, "a minimal profile");
	{
		_cleanup_free_ char *text = nb_oci_seccomp_json(&sc);

		tap_is_str(text, "{\"defaultAction\":\"SCMP_ACT_LOG\",\"syscalls\":[]}",
			   "is written minimal");
	}
	nb_seccomp_free(&sc);
}

static const struct nb_seccomp_rule *find_rule(const struct nb_seccomp *sc, const char *name,
					       enum nb_seccomp_action action, size_t nth)
{
	for (size_t i = 0; i < sc->n_rules; i++) {
		const struct nb_seccomp_rule *r = &sc->rules[i];

		for (size_t k = 0; k < r->names.len; k++)
			if (r->action == action && strcmp(r->names.items[k], name) == 0 && nth-- == 0)
				return r;
	}
	return NULL;
}

static void test_default_shape(void)
{
	const struct nb_seccomp_rule *r;
	struct nb_seccomp sc;
	struct nb_error err;

	nb_seccomp_default_profile(&sc, &err);
	tap_ok(sc.default_action == NB_SECCOMP_ERRNO && sc.default_errno_ret == ENOSYS,
	       "default ERRNO(ENOSYS)");
	tap_ok(find_rule(&sc, "keyctl", NB_SECCOMP_ERRNO, 0) != NULL, "keyctl: EPERM");
	r = find_rule(&sc, "keyctl", NB_SECCOMP_ERRNO, 0);
	tap_ok(r && r->has_errno_ret && r->errno_ret == EPERM && r->n_args == 0,
	       "...unconditionally, errnoRet 1");
	r = find_rule(&sc, "ioctl", NB_SECCOMP_ERRNO, 0);
	tap_ok(r && r->n_args == 1 && r->args[0].index == 1 &&
	       r->args[0].op == NB_SECCOMP_OP_MASKED_EQ && r->args[0].value == 0xffffffff &&
	       r->args[0].value_two == 0x5412, "ioctl TIOCSTI: MASKED_EQ 0xffffffff on argument 1");
	r = find_rule(&sc, "clone", NB_SECCOMP_ERRNO, 7);
	tap_ok(r && r->args[0].index == 0 && r->args[0].value == 0x80 && r->args[0].value_two == 0x80,
	       "clone: the eighth flag rule is CLONE_NEWTIME");
	r = find_rule(&sc, "clone", NB_SECCOMP_ALLOW, 0);
	tap_ok(r && r->args[0].op == NB_SECCOMP_OP_MASKED_EQ && r->args[0].value == 0x7e020080 &&
	       r->args[0].value_two == 0, "clone allowed when no namespace flag is set");
	tap_ok(find_rule(&sc, "personality", NB_SECCOMP_ALLOW, 4) &&
	       !find_rule(&sc, "personality", NB_SECCOMP_ALLOW, 5),
	       "personality: five allowed values");
	r = find_rule(&sc, "clone3", NB_SECCOMP_ERRNO, 0);
	tap_ok(r && r->errno_ret == ENOSYS, "clone3: ENOSYS");
	tap_ok(!find_rule(&sc, "clone3", NB_SECCOMP_ALLOW, 0) &&
	       !find_rule(&sc, "io_uring_setup", NB_SECCOMP_ALLOW, 0) &&
	       find_rule(&sc, "io_uring_setup", NB_SECCOMP_ERRNO, 0),
	       "io_uring_setup: EPERM, not allowed");
	nb_seccomp_free(&sc);
}

int main(void)
{
	test_load();
	test_load_errors();
	test_round_trip();
	test_default_shape();
	return tap_done();
}
