/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/seccomp.h"
#include "base/cleanup.h"

#include <ctype.h>
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

#if SCMP_VER_MAJOR > 2 || (SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR >= 6)
#define HAVE_SCMP_WAITKILL 1
#endif

static void seccomp_releasep(scmp_filter_ctx *ctx)
{
	if (*ctx)
		seccomp_release(*ctx);
	*ctx = NULL;
}
#define _cleanup_seccomp_ __attribute__((cleanup(seccomp_releasep)))

static const char *action_name(enum nb_seccomp_action a)
{
	static const char *const names[] = {
		[NB_SECCOMP_KILL_THREAD] = "SCMP_ACT_KILL_THREAD",
		[NB_SECCOMP_KILL_PROCESS] = "SCMP_ACT_KILL_PROCESS",
		[NB_SECCOMP_TRAP] = "SCMP_ACT_TRAP", [NB_SECCOMP_ERRNO] = "SCMP_ACT_ERRNO",
		[NB_SECCOMP_TRACE] = "SCMP_ACT_TRACE", [NB_SECCOMP_ALLOW] = "SCMP_ACT_ALLOW",
		[NB_SECCOMP_LOG] = "SCMP_ACT_LOG", [NB_SECCOMP_NOTIFY] = "SCMP_ACT_NOTIFY",
	};

	return (size_t)a < NB_ARRAY_SIZE(names) ? names[a] : "SCMP_ACT_?";
}

/* The libseccomp action; ERRNO and TRACE carry errnoRet (default EPERM). */
static int scmp_action(enum nb_seccomp_action a, bool has_ret, uint32_t ret, uint32_t *out)
{
	uint32_t e = has_ret ? ret : EPERM;

	switch (a) {
	case NB_SECCOMP_KILL_THREAD: *out = SCMP_ACT_KILL_THREAD; return 0;
	case NB_SECCOMP_KILL_PROCESS: *out = SCMP_ACT_KILL_PROCESS; return 0;
	case NB_SECCOMP_TRAP: *out = SCMP_ACT_TRAP; return 0;
	case NB_SECCOMP_ERRNO: *out = SCMP_ACT_ERRNO(e); return 0;
	case NB_SECCOMP_TRACE: *out = SCMP_ACT_TRACE(e); return 0;
	case NB_SECCOMP_ALLOW: *out = SCMP_ACT_ALLOW; return 0;
	case NB_SECCOMP_LOG: *out = SCMP_ACT_LOG; return 0;
	case NB_SECCOMP_NOTIFY: *out = SCMP_ACT_NOTIFY; return 0;
	}
	return -EINVAL;
}

static enum scmp_compare scmp_op(enum nb_seccomp_op op)
{
	switch (op) {
	case NB_SECCOMP_OP_NE: return SCMP_CMP_NE;
	case NB_SECCOMP_OP_LT: return SCMP_CMP_LT;
	case NB_SECCOMP_OP_LE: return SCMP_CMP_LE;
	case NB_SECCOMP_OP_EQ: return SCMP_CMP_EQ;
	case NB_SECCOMP_OP_GE: return SCMP_CMP_GE;
	case NB_SECCOMP_OP_GT: return SCMP_CMP_GT;
	case NB_SECCOMP_OP_MASKED_EQ: return SCMP_CMP_MASKED_EQ;
	}
	return _SCMP_CMP_MIN;
}

static const char *libseccomp_version(char *buf, size_t size)
{
	const struct scmp_version *v = seccomp_version();

	if (v)
		snprintf(buf, size, "%u.%u.%u", v->major, v->minor, v->micro);
	else
		snprintf(buf, size, "%d.%d.%d", SCMP_VER_MAJOR, SCMP_VER_MINOR, SCMP_VER_MICRO);
	return buf;
}

static int add_arch(scmp_filter_ctx ctx, const char *name, struct nb_error *err)
{
	const char *bare = strncmp(name, "SCMP_ARCH_", 10) == 0 ? name + 10 : name;
	char lower[32], ver[32];
	uint32_t token = 0;
	size_t i;
	int r;

	for (i = 0; bare[i] && i + 1 < sizeof(lower); i++)
		lower[i] = (char)tolower((unsigned char)bare[i]);
	lower[i] = '\0';
	if (!bare[i])
		token = seccomp_arch_resolve_name(lower);
	if (token == 0)
		return nb_error_set(err, EINVAL, "seccomp architecture '%s': not known to libseccomp %s",
				    name, libseccomp_version(ver, sizeof(ver)));
	r = seccomp_arch_add(ctx, token);
	if (r < 0 && r != -EEXIST)
		return nb_error_sys(err, -r, "seccomp architecture '%s'", name);
	return 0;
}

static int set_flag(scmp_filter_ctx ctx, const char *flag, bool notify, struct nb_error *err)
{
	enum scmp_filter_attr attr;
	char ver[32];
	int r;

	if (strcmp(flag, "SECCOMP_FILTER_FLAG_TSYNC") == 0) {
		attr = SCMP_FLTATR_CTL_TSYNC;
	} else if (strcmp(flag, "SECCOMP_FILTER_FLAG_LOG") == 0) {
		attr = SCMP_FLTATR_CTL_LOG;
	} else if (strcmp(flag, "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0) {
		attr = SCMP_FLTATR_CTL_SSB;
	} else if (strcmp(flag, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") == 0) {
		/* It only changes how a listener waits, and the kernel
		 * refuses it without one: without a NOTIFY rule it is moot. */
		if (!notify)
			return 0;
#ifdef HAVE_SCMP_WAITKILL
		attr = SCMP_FLTATR_CTL_WAITKILL;
#else
		return nb_error_set(err, EOPNOTSUPP, "seccomp flag %s: not supported by libseccomp %s",
				    flag, libseccomp_version(ver, sizeof(ver)));
#endif
	} else {
		return nb_error_set(err, EINVAL, "seccomp flag '%s': unknown", flag);
	}
	r = seccomp_attr_set(ctx, attr, 1);
	if (r < 0)
		return nb_error_sys(err, -r, "seccomp flag %s (libseccomp %s)", flag,
				    libseccomp_version(ver, sizeof(ver)));
	return 0;
}

static int add_rule(scmp_filter_ctx ctx, const struct nb_seccomp_rule *rule, uint32_t action,
		    struct nb_error *err)
{
	struct scmp_arg_cmp cmp[6];
	bool seen[6] = { false }, same_arg = false;
	size_t n = rule->n_args;

	if (n > NB_ARRAY_SIZE(cmp))
		return nb_error_set(err, EINVAL, "seccomp rule: %zu argument conditions, the most is 6", n);
	for (size_t i = 0; i < n; i++) {
		const struct nb_seccomp_arg *a = &rule->args[i];

		if (a->index > 5)
			return nb_error_set(err, EINVAL, "seccomp rule: argument index %u out of range 0..5",
					    a->index);
		if (seen[a->index])
			same_arg = true;
		seen[a->index] = true;
		/* MASKED_EQ: value is the mask, valueTwo the datum, in the
		 * OCI spec as in libseccomp's datum_a and datum_b. */
		cmp[i] = (struct scmp_arg_cmp){
			.arg = a->index, .op = scmp_op(a->op), .datum_a = a->value, .datum_b = a->value_two,
		};
	}

	for (size_t k = 0; k < rule->names.len; k++) {
		const char *name = rule->names.items[k];
		int nr = seccomp_syscall_resolve_name(name);
		int r = 0;

		if (nr == __NR_SCMP_ERROR)
			continue;   /* unknown here: a syscall of another kernel */
		if (!same_arg) {
			r = seccomp_rule_add_array(ctx, action, nr, (unsigned)n, n ? cmp : NULL);
		} else {
			for (size_t i = 0; i < n && r >= 0; i++)
				r = seccomp_rule_add_array(ctx, action, nr, 1, &cmp[i]);
		}
		if (r < 0)
			return nb_error_sys(err, -r, "seccomp rule %s for '%s'", action_name(rule->action),
					    name);
	}
	return 0;
}

int nb_seccomp_load(const struct nb_seccomp *sc, int *ret_notify_fd, struct nb_error *err)
{
	_cleanup_seccomp_ scmp_filter_ctx ctx = NULL;
	scmp_filter_ctx loaded;
	uint32_t def, action;
	bool notify = false;
	int r;

	if (ret_notify_fd)
		*ret_notify_fd = -1;
	if (!sc->set)
		return 0;
	if (sc->default_action == NB_SECCOMP_NOTIFY)
		return nb_error_set(err, EINVAL, "seccomp default action SCMP_ACT_NOTIFY: "
				    "not allowed as the default");
	if (scmp_action(sc->default_action, sc->has_default_errno_ret, sc->default_errno_ret, &def) < 0)
		return nb_error_set(err, EINVAL, "seccomp default action %d: unknown",
				    (int)sc->default_action);
	for (size_t i = 0; i < sc->n_rules; i++)
		if (sc->rules[i].action == NB_SECCOMP_NOTIFY)
			notify = true;
	if (notify && !ret_notify_fd)
		return nb_error_set(err, EINVAL, "seccomp: a SCMP_ACT_NOTIFY rule needs a listener");

	ctx = seccomp_init(def);
	if (!ctx)
		return nb_error_set(err, EINVAL, "seccomp default action %s: refused by libseccomp",
				    action_name(sc->default_action));
	/* No no_new_privs behind the caller's back; real kernel errnos
	 * from seccomp_load() instead of libseccomp's ECANCELED. */
	r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (r >= 0)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1);
	if (r < 0)
		return nb_error_sys(err, -r, "seccomp filter attributes");

	for (size_t i = 0; i < sc->architectures.len; i++) {
		r = add_arch(ctx, sc->architectures.items[i], err);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < sc->flags.len; i++) {
		r = set_flag(ctx, sc->flags.items[i], notify, err);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < sc->n_rules; i++) {
		const struct nb_seccomp_rule *rule = &sc->rules[i];

		if (scmp_action(rule->action, rule->has_errno_ret, rule->errno_ret, &action) < 0)
			return nb_error_set(err, EINVAL, "seccomp rule action %d: unknown",
					    (int)rule->action);
		if (action == def)
			continue;   /* libseccomp refuses it, and it would change nothing */
		r = add_rule(ctx, rule, action, err);
		if (r < 0)
			return r;
	}

	r = seccomp_load(ctx);
	if (r == -EACCES)
		return nb_error_set(err, EACCES, "load the seccomp filter: %s (needs no_new_privs "
				    "or CAP_SYS_ADMIN)", strerror(EACCES));
	if (r < 0)
		return nb_error_sys(err, -r, "load the seccomp filter");
	/* From here on the filter judges every syscall, and freeing the
	 * context could munmap() or brk(): leave it allocated, as the
	 * process execs next. */
	loaded = TAKE_PTR(ctx);
	if (notify) {
		int fd = seccomp_notify_fd(loaded);

		if (fd < 0)
			return nb_error_sys(err, -fd, "seccomp listener fd");
		*ret_notify_fd = fd;
	}
	return 0;
}
