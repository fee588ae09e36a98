/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/seccomp.h"
#include "base/cleanup.h"
#include "linux/syscall_table.h"

#include <ctype.h>
#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#if SCMP_VER_MAJOR > 2 || (SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR >= 6)
#define HAVE_SCMP_WAITKILL 1
#endif

/* The host's ABIs in the table's terms: the native one, x32 on x86-64, and
 * the compat ABI whose numbers libseccomp cannot take raw (see the header). */
#if defined(__x86_64__) && !defined(__ILP32__)
#define NATIVE_ABI NB_ABI_X86_64
#define HAVE_X32 1
#define COMPAT_ARCH SCMP_ARCH_X86
#define COMPAT_ABI NB_ABI_I386
#elif defined(__aarch64__)
#define NATIVE_ABI NB_ABI_AARCH64
#define COMPAT_ARCH SCMP_ARCH_ARM
#define COMPAT_ABI NB_ABI_ARM
#else
#define NATIVE_ABI NB_ABI_COUNT   /* not in the table: it answers -ENOENT */
#endif

struct nb_seccomp_filter {
	scmp_filter_ctx main;      /* the profile */
	scmp_filter_ctx guard;     /* NULL, or the compat ABI's guard, loaded first */
	bool notify;
};

/* The state of one nb_seccomp_build(). */
struct build {
	const struct nb_seccomp *sc;
	uint32_t def;
	bool notify;
	scmp_filter_ctx main;      /* the native architecture, the others merged in last */
	scmp_filter_ctx others;    /* the listed non-native architectures, or NULL */
	bool x32;                  /* SCMP_ARCH_X32 is listed (x86-64) */
	bool compat;               /* COMPAT_ARCH is listed */
	bool guard;                /* a rule needs the compat guard... */
	uint32_t guard_action;     /* ...with this action */
};

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

/* Whether action A takes precedence over B when both apply. libseccomp's
 * actions are the kernel's SECCOMP_RET_* values, and the kernel keeps the
 * lowest action as a signed number (KILL_PROCESS is 0x80000000). */
static bool stronger(uint32_t a, uint32_t b)
{
	return (int32_t)(a & SECCOMP_RET_ACTION_FULL) < (int32_t)(b & SECCOMP_RET_ACTION_FULL);
}

/* Whether losing a rule with ACTION under the default action DEF would let
 * a call through that the profile refuses (see 3. in the header). */
static bool must_enforce(uint32_t action, uint32_t def)
{
	return action != SCMP_ACT_ALLOW && action != SCMP_ACT_LOG && stronger(action, def);
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

/* ---- filter contexts ---- */

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

/* A context with default action DEF and the profile's attributes and flags
 * (the same for every context of one build: seccomp_merge() needs that). */
static int new_ctx(const struct build *b, uint32_t def, bool notify, scmp_filter_ctx *ret,
		   struct nb_error *err)
{
	scmp_filter_ctx ctx = seccomp_init(def);
	int r;

	if (!ctx)
		return nb_error_set(err, EINVAL, "seccomp default action %s: refused by libseccomp",
				    action_name(b->sc->default_action));
	*ret = ctx;
	/* No no_new_privs behind the caller's back; real kernel errnos
	 * from seccomp_load() instead of libseccomp's ECANCELED. */
	r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (r >= 0)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1);
	/* A binary tree of syscall numbers instead of a list: when the
	 * filter is loaded, the kernel runs it once per syscall number to
	 * find the ones it may allow without running it again (its action
	 * cache, Linux 5.11), which costs 330 us for the default profile as
	 * a list and 100 us as a tree; calls that still run the filter take
	 * O(log n) steps instead of O(n). */
	if (r >= 0)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (r < 0)
		return nb_error_sys(err, -r, "seccomp filter attributes");
	for (size_t i = 0; i < b->sc->flags.len; i++) {
		r = set_flag(ctx, b->sc->flags.items[i], notify, err);
		if (r < 0)
			return r;
	}
	return 0;
}

static int arch_token(const char *name, uint32_t *ret, struct nb_error *err)
{
	const char *bare = strncmp(name, "SCMP_ARCH_", 10) == 0 ? name + 10 : name;
	char lower[32], ver[32];
	size_t i;

	for (i = 0; bare[i] && i + 1 < sizeof(lower); i++)
		lower[i] = (char)tolower((unsigned char)bare[i]);
	lower[i] = '\0';
	*ret = bare[i] ? 0 : seccomp_arch_resolve_name(lower);
	if (*ret == 0)
		return nb_error_set(err, EINVAL, "seccomp architecture '%s': not known to libseccomp %s",
				    name, libseccomp_version(ver, sizeof(ver)));
	return 0;
}

/* The native architecture is always in the filter (in b->main); the others
 * go to b->others, so that b->main can take numbers libseccomp does not
 * know (it refuses them in a context with a non-native architecture). */
static int add_arches(struct build *b, struct nb_error *err)
{
	uint32_t native = seccomp_arch_native();
	int r;

	for (size_t i = 0; i < b->sc->architectures.len; i++) {
		const char *name = b->sc->architectures.items[i];
		uint32_t token;

		r = arch_token(name, &token, err);
		if (r < 0)
			return r;
		if (token == native)
			continue;
		if (!b->others) {
			r = new_ctx(b, b->def, b->notify, &b->others, err);
			if (r < 0)
				return r;
		}
		r = seccomp_arch_add(b->others, token);
		if (r < 0 && r != -EEXIST)
			return nb_error_sys(err, -r, "seccomp architecture '%s'", name);
#ifdef HAVE_X32
		b->x32 = b->x32 || token == SCMP_ARCH_X32;
#endif
#ifdef COMPAT_ARCH
		b->compat = b->compat || token == COMPAT_ARCH;
#endif
	}
	r = b->others ? seccomp_arch_remove(b->others, SCMP_ARCH_NATIVE) : 0;
	if (r < 0)
		return nb_error_sys(err, -r, "seccomp architectures");
	return 0;
}

/* ---- rules ---- */

/* The argument conditions of one rule in libseccomp's terms. */
struct conds {
	struct scmp_arg_cmp cmp[6];
	unsigned n;
	bool same_arg;             /* two conditions test one argument */
};

static int rule_conds(const struct nb_seccomp_rule *rule, struct conds *c, struct nb_error *err)
{
	bool seen[6] = { false };

	if (rule->n_args > NB_ARRAY_SIZE(c->cmp))
		return nb_error_set(err, EINVAL, "seccomp rule: %zu argument conditions, the most is 6",
				    rule->n_args);
	c->n = (unsigned)rule->n_args;
	c->same_arg = false;
	for (size_t i = 0; i < rule->n_args; i++) {
		const struct nb_seccomp_arg *a = &rule->args[i];

		if (a->index > 5)
			return nb_error_set(err, EINVAL, "seccomp rule: argument index %u out of range 0..5",
					    a->index);
		if (seen[a->index])
			c->same_arg = true;
		seen[a->index] = true;
		/* MASKED_EQ: value is the mask, valueTwo the datum, in the
		 * OCI spec as in libseccomp's datum_a and datum_b. */
		c->cmp[i] = (struct scmp_arg_cmp){
			.arg = a->index, .op = scmp_op(a->op), .datum_a = a->value, .datum_b = a->value_two,
		};
	}
	return 0;
}

static int add_to(scmp_filter_ctx ctx, uint32_t action, int nr, const struct conds *c)
{
	int r = 0;

	if (!ctx)
		return 0;
	if (!c->same_arg)
		return seccomp_rule_add_array(ctx, action, nr, c->n, c->n ? c->cmp : NULL);
	for (unsigned i = 0; i < c->n && r >= 0; i++)
		r = seccomp_rule_add_array(ctx, action, nr, 1, &c->cmp[i]);
	return r;
}

static void need_guard(struct build *b, uint32_t action)
{
	/* NOTIFY cannot be a default action, and a second listener cannot be
	 * had: the guard refuses instead (ERRNO takes precedence anyway). */
	if (action == SCMP_ACT_NOTIFY)
		action = SCMP_ACT_ERRNO(EPERM);
	if (!b->guard || stronger(action, b->guard_action))
		b->guard_action = action;
	b->guard = true;
}

/* NAME, unknown to libseccomp, by nsbox's table (see 2. and 3. in the header). */
static int add_by_table(struct build *b, const struct nb_seccomp_rule *rule, const char *name,
			uint32_t action, const struct conds *c, struct nb_error *err)
{
	int nr = nb_syscall_table_lookup(name, NATIVE_ABI);
	int r = 0;
	char ver[32];

	if (nr == -ENOENT) {
		/* Skipping an ALLOW or LOG rule, or one the default action
		 * overrides, lets nothing through that the profile refuses. */
		if (!must_enforce(action, b->def))
			return 0;
		return nb_error_set(err, ENOSYS, "seccomp rule %s for '%s': unknown system call (not "
				    "known to libseccomp %s nor to nsbox's table)",
				    action_name(rule->action), name, libseccomp_version(ver, sizeof(ver)));
	}
	if (nr >= 0)
		r = add_to(b->main, action, nr, c);
#ifdef HAVE_X32
	/* b->main has the native architecture only, and x32 shares its
	 * AUDIT_ARCH_X86_64: once b->others is merged in, the x32 number
	 * lands in the same branch of the program. */
	if (r >= 0 && b->x32 && (nr = nb_syscall_table_lookup(name, NB_ABI_X32)) >= 0)
		r = add_to(b->main, action, nr, c);
#endif
	if (r < 0)
		return nb_error_sys(err, -r, "seccomp rule %s for '%s' (by number)",
				    action_name(rule->action), name);
#ifdef COMPAT_ARCH
	if (b->compat && nb_syscall_table_lookup(name, COMPAT_ABI) >= 0 && must_enforce(action, b->def))
		need_guard(b, action);
#endif
	return 0;
}

static int add_rule(struct build *b, const struct nb_seccomp_rule *rule, uint32_t action,
		    struct nb_error *err)
{
	struct conds c;
	int r = rule_conds(rule, &c, err);

	for (size_t k = 0; r >= 0 && k < rule->names.len; k++) {
		const char *name = rule->names.items[k];
		int nr = seccomp_syscall_resolve_name(name);

		if (nr == __NR_SCMP_ERROR) {
			r = add_by_table(b, rule, name, action, &c, err);
			continue;
		}
		r = add_to(b->main, action, nr, &c);
		if (r >= 0)
			r = add_to(b->others, action, nr, &c);
		if (r < 0)
			return nb_error_sys(err, -r, "seccomp rule %s for '%s'", action_name(rule->action),
					    name);
	}
	return r;
}

/* ---- the compat guard ---- */

#ifdef COMPAT_ARCH
/* The guard (see the header): on the compat ABI it allows every call that
 * libseccomp knows (the profile's filter judges those) and gives
 * b->guard_action to every other one; other ABIs pass it (bad-architecture
 * action ALLOW), the profile's filter judges them. */
static int build_guard(struct build *b, scmp_filter_ctx *ret, struct nb_error *err)
{
	/* The compat ABI's numbers: the syscall table's range, and ARM's
	 * private calls (__ARM_NR_BASE 0x0f0000: cacheflush, set_tls...). */
	static const int ranges[][2] = { { 0, 1024 }, { 0x0f0000, 0x0f0100 } };
	int r = new_ctx(b, b->guard_action, false, ret, err);

	if (r < 0)
		return r;
	r = seccomp_attr_set(*ret, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW);
	if (r >= 0)
		r = seccomp_arch_add(*ret, COMPAT_ARCH);
	if (r >= 0)
		r = seccomp_arch_remove(*ret, SCMP_ARCH_NATIVE);
	for (size_t k = 0; r >= 0 && k < NB_ARRAY_SIZE(ranges); k++) {
		for (int nr = ranges[k][0]; r >= 0 && nr < ranges[k][1]; nr++) {
			_cleanup_free_ char *name = seccomp_syscall_resolve_num_arch(COMPAT_ARCH, nr);
			/* Rules take native numbers, translated by name. */
			int native = name ? seccomp_syscall_resolve_name(name) : __NR_SCMP_ERROR;

			if (native != __NR_SCMP_ERROR)
				r = seccomp_rule_add(*ret, SCMP_ACT_ALLOW, native, 0);
		}
	}
	if (r < 0)
		return nb_error_sys(err, -r, "seccomp guard of the compat architecture");
	return 0;
}
#endif

/* ---- building, loading, exporting ---- */

static int build_plan(struct build *b, struct nb_error *err)
{
	const struct nb_seccomp *sc = b->sc;

	if (sc->default_action == NB_SECCOMP_NOTIFY)
		return nb_error_set(err, EINVAL, "seccomp default action SCMP_ACT_NOTIFY: "
				    "not allowed as the default");
	if (scmp_action(sc->default_action, sc->has_default_errno_ret, sc->default_errno_ret,
			&b->def) < 0)
		return nb_error_set(err, EINVAL, "seccomp default action %d: unknown",
				    (int)sc->default_action);
	for (size_t i = 0; i < sc->n_rules; i++)
		if (sc->rules[i].action == NB_SECCOMP_NOTIFY)
			b->notify = true;
	return 0;
}

static int build_rules(struct build *b, struct nb_error *err)
{
	for (size_t i = 0; i < b->sc->n_rules; i++) {
		const struct nb_seccomp_rule *rule = &b->sc->rules[i];
		uint32_t action;
		int r;

		if (scmp_action(rule->action, rule->has_errno_ret, rule->errno_ret, &action) < 0)
			return nb_error_set(err, EINVAL, "seccomp rule action %d: unknown",
					    (int)rule->action);
		if (action == b->def)
			continue;   /* libseccomp refuses it, and it would change nothing */
		r = add_rule(b, rule, action, err);
		if (r < 0)
			return r;
	}
	return 0;
}

static int build(struct build *b, struct nb_seccomp_filter *f, struct nb_error *err)
{
	int r = build_plan(b, err);

	if (r >= 0)
		r = new_ctx(b, b->def, b->notify, &b->main, err);
	if (r >= 0)
		r = add_arches(b, err);
	if (r >= 0)
		r = build_rules(b, err);
	if (r < 0)
		return r;
	if (b->others) {
		r = seccomp_merge(b->main, b->others);
		if (r < 0)
			return nb_error_sys(err, -r, "seccomp: merge the architectures");
		b->others = NULL;   /* merged into b->main, which owns it now */
	}
#ifdef COMPAT_ARCH
	if (b->guard) {
		r = build_guard(b, &f->guard, err);
		if (r < 0)
			return r;
	}
#endif
	f->main = TAKE_PTR(b->main);
	f->notify = b->notify;
	return 0;
}

int nb_seccomp_build(const struct nb_seccomp *sc, struct nb_seccomp_filter **ret,
		     struct nb_error *err)
{
	struct build b = { .sc = sc };
	struct nb_seccomp_filter *f = calloc(1, sizeof(*f));
	int r;

	*ret = NULL;
	if (!f)
		return nb_error_set(err, ENOMEM, "seccomp filter: out of memory");
	r = build(&b, f, err);
	if (b.main)
		seccomp_release(b.main);
	if (b.others)
		seccomp_release(b.others);
	if (r < 0) {
		nb_seccomp_filter_free(f);
		return r;
	}
	*ret = f;
	return 0;
}

static int load_ctx(scmp_filter_ctx ctx, const char *what, struct nb_error *err)
{
	int r = seccomp_load(ctx);

	if (r == -EACCES)
		return nb_error_set(err, EACCES, "load the seccomp %s: %s (needs no_new_privs "
				    "or CAP_SYS_ADMIN)", what, strerror(EACCES));
	if (r < 0)
		return nb_error_sys(err, -r, "load the seccomp %s", what);
	return 0;
}

int nb_seccomp_filter_load(struct nb_seccomp_filter *f, int *ret_notify_fd,
			   struct nb_error *err)
{
	int r, fd;

	if (ret_notify_fd)
		*ret_notify_fd = -1;
	if (f->notify && !ret_notify_fd)
		return nb_error_set(err, EINVAL, "seccomp: a SCMP_ACT_NOTIFY rule needs a listener");
	/* The guard first: it lets the native ABI through, so the second
	 * seccomp() passes it; the filter with the listener comes last. */
	if (f->guard) {
		r = load_ctx(f->guard, "guard of the compat architecture", err);
		if (r < 0)
			return r;
	}
	r = load_ctx(f->main, "filter", err);
	if (r < 0 || !f->notify)
		return r;
	fd = seccomp_notify_fd(f->main);
	if (fd < 0)
		return nb_error_sys(err, -fd, "seccomp listener fd");
	*ret_notify_fd = fd;
	return 0;
}

static int export_ctx(scmp_filter_ctx ctx, struct sock_filter **ret, size_t *ret_len, struct nb_error *err)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ struct sock_filter *prog = NULL;
	struct stat st;
	ssize_t n;
	int r;

	fd = memfd_create("nsbox-seccomp-bpf", MFD_CLOEXEC);
	if (fd < 0)
		return nb_error_errno(err, "export the seccomp filter: memfd_create");
	r = seccomp_export_bpf(ctx, fd);
	if (r < 0)
		return nb_error_sys(err, -r, "export the seccomp filter");
	if (fstat(fd, &st) < 0)
		return nb_error_errno(err, "export the seccomp filter: fstat");
	if (st.st_size <= 0 || (size_t)st.st_size % sizeof(*prog) != 0)
		return nb_error_set(err, EIO, "export the seccomp filter: %lld bytes",
				    (long long)st.st_size);
	prog = malloc((size_t)st.st_size);
	if (!prog)
		return nb_error_set(err, ENOMEM, "export the seccomp filter: out of memory");
	n = pread(fd, prog, (size_t)st.st_size, 0);
	if (n != st.st_size)
		return nb_error_set(err, EIO, "export the seccomp filter: short read");
	*ret_len = (size_t)st.st_size / sizeof(*prog);
	*ret = TAKE_PTR(prog);
	return 0;
}

int nb_seccomp_filter_export(const struct nb_seccomp_filter *f, struct sock_filter **ret,
			     size_t *ret_len, struct nb_error *err)
{
	if (f->guard)
		return nb_error_set(err, EOPNOTSUPP, "export the seccomp filter: it comes with a "
				    "guard of the compat architecture (two programs)");
	return export_ctx(f->main, ret, ret_len, err);
}

int nb_seccomp_filter_export_both(const struct nb_seccomp_filter *f, struct sock_filter **ret_main,
				  size_t *ret_main_len, struct sock_filter **ret_guard,
				  size_t *ret_guard_len, struct nb_error *err)
{
	int r;

	*ret_guard = NULL;
	*ret_guard_len = 0;
	r = export_ctx(f->main, ret_main, ret_main_len, err);
	if (r >= 0 && f->guard) {
		r = export_ctx(f->guard, ret_guard, ret_guard_len, err);
		if (r < 0) {
			free(*ret_main);
			*ret_main = NULL;
		}
	}
	return r;
}

void nb_seccomp_filter_free(struct nb_seccomp_filter *f)
{
	if (!f)
		return;
	if (f->main)
		seccomp_release(f->main);
	if (f->guard)
		seccomp_release(f->guard);
	free(f);
}

int nb_seccomp_load(const struct nb_seccomp *sc, int *ret_notify_fd, struct nb_error *err)
{
	struct nb_seccomp_filter *f = NULL;
	bool notify = false;
	int r;

	if (ret_notify_fd)
		*ret_notify_fd = -1;
	if (!sc->set)
		return 0;
	for (size_t i = 0; i < sc->n_rules; i++)
		notify = notify || sc->rules[i].action == NB_SECCOMP_NOTIFY;
	if (notify && !ret_notify_fd && sc->default_action != NB_SECCOMP_NOTIFY)
		return nb_error_set(err, EINVAL, "seccomp: a SCMP_ACT_NOTIFY rule needs a listener");
	r = nb_seccomp_build(sc, &f, err);
	if (r >= 0)
		r = nb_seccomp_filter_load(f, ret_notify_fd, err);
	/* Once loaded, the filter judges every syscall, and freeing the
	 * contexts could munmap() or brk(): leave them, as the process
	 * execs next. */
	if (r < 0)
		nb_seccomp_filter_free(f);
	return r;
}
