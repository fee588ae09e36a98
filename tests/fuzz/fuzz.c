/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "fuzz.h"
#include "spec/config.h"
#include "spec/oci.h"
#include "spec/resources.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fuzz_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void fuzz_check_error(int r, const struct nb_error *err, const char *what)
{
	static int verbose = -1;

	if (verbose < 0)
		verbose = getenv("FUZZ_VERBOSE") != NULL;
	if (verbose)
		fprintf(stderr, "fuzz: %s: %d%s%s\n", what, r, r < 0 ? ": " : "", r < 0 ? err->msg : "");
	if (r >= 0)
		return;
	FUZZ_CHECK(err->code > 0, "%s returned %d with error code %d", what, r, err->code);
	FUZZ_CHECK(err->msg[0] != '\0', "%s returned %d without a message", what, r);
	FUZZ_CHECK(memchr(err->msg, '\0', sizeof(err->msg)) != NULL, "%s: unterminated message", what);
}

char *fuzz_string(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t len = nul ? (size_t)(nul - data) : size;
	char *s = malloc(len + 1);

	if (!s)
		abort();
	memcpy(s, data, len);
	s[len] = '\0';
	return s;
}

#define ARGV_MAX 256

void fuzz_argv_make(struct fuzz_argv *a, const char *argv0, const uint8_t *data, size_t size)
{
	size_t n0 = strlen(argv0);
	char *p;

	a->buf = malloc(n0 + 1 + size + 1);
	a->argv = calloc(ARGV_MAX + 2, sizeof(*a->argv));
	if (!a->buf || !a->argv)
		abort();
	memcpy(a->buf, argv0, n0 + 1);
	memcpy(a->buf + n0 + 1, data, size);
	a->buf[n0 + 1 + size] = '\0';
	a->argc = 0;
	a->argv[a->argc++] = a->buf;
	p = a->buf + n0 + 1;
	for (size_t left = size; left > 0 && a->argc <= ARGV_MAX; ) {
		size_t len = strnlen(p, left);

		a->argv[a->argc++] = p;
		if (len >= left)
			break;
		p += len + 1;
		left -= len + 1;
	}
	a->argv[a->argc] = NULL;
}

void fuzz_argv_free(struct fuzz_argv *a)
{
	free(a->buf);
	free(a->argv);
	a->buf = NULL;
	a->argv = NULL;
	a->argc = 0;
}

bool fuzz_argv_holds(const struct fuzz_argv *a, const char *p)
{
	for (int i = 0; i < a->argc; i++)
		if (a->argv[i] <= p && p <= a->argv[i] + strlen(a->argv[i]))
			return true;
	return false;
}

static bool str_same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool strv_same(const struct nb_strv *a, const struct nb_strv *b)
{
	if (a->len != b->len)
		return false;
	for (size_t i = 0; i < a->len; i++)
		if (strcmp(a->items[i], b->items[i]) != 0)
			return false;
	return true;
}

static bool idmap_same(const struct nb_idmap *a, const struct nb_idmap *b)
{
	return a->len == b->len && memcmp(a->range, b->range, a->len * sizeof(a->range[0])) == 0;
}

void fuzz_check_seccomp_equal(const struct nb_seccomp *a, const struct nb_seccomp *b, const char *what)
{
	FUZZ_CHECK(a->set == b->set, "%s: seccomp set differs", what);
	FUZZ_CHECK(a->default_action == b->default_action, "%s: seccomp defaultAction differs", what);
	FUZZ_CHECK(a->has_default_errno_ret == b->has_default_errno_ret &&
		   (!a->has_default_errno_ret || a->default_errno_ret == b->default_errno_ret),
		   "%s: seccomp defaultErrnoRet differs", what);
	FUZZ_CHECK(strv_same(&a->architectures, &b->architectures), "%s: seccomp architectures differ", what);
	FUZZ_CHECK(strv_same(&a->flags, &b->flags), "%s: seccomp flags differ", what);
	FUZZ_CHECK(str_same(a->listener_path, b->listener_path), "%s: seccomp listenerPath differs", what);
	FUZZ_CHECK(str_same(a->listener_metadata, b->listener_metadata),
		   "%s: seccomp listenerMetadata differs", what);
	FUZZ_CHECK(a->n_rules == b->n_rules, "%s: seccomp: %zu rules, then %zu", what, a->n_rules, b->n_rules);
	for (size_t i = 0; i < a->n_rules; i++) {
		const struct nb_seccomp_rule *x = &a->rules[i], *y = &b->rules[i];

		FUZZ_CHECK(strv_same(&x->names, &y->names), "%s: seccomp rule %zu: names differ", what, i);
		FUZZ_CHECK(x->action == y->action, "%s: seccomp rule %zu: action differs", what, i);
		FUZZ_CHECK(x->has_errno_ret == y->has_errno_ret &&
			   (!x->has_errno_ret || x->errno_ret == y->errno_ret),
			   "%s: seccomp rule %zu: errnoRet differs", what, i);
		FUZZ_CHECK(x->n_args == y->n_args, "%s: seccomp rule %zu: args differ", what, i);
		for (size_t k = 0; k < x->n_args; k++)
			FUZZ_CHECK(x->args[k].index == y->args[k].index && x->args[k].op == y->args[k].op &&
				   x->args[k].value == y->args[k].value &&
				   x->args[k].value_two == y->args[k].value_two,
				   "%s: seccomp rule %zu: arg %zu differs", what, i, k);
	}
}

void fuzz_check_seccomp_json(const struct nb_seccomp *sc, const char *what)
{
	struct nb_seccomp back = { 0 };
	struct nb_error err = { 0 };
	char *text = nb_oci_seccomp_json(sc);
	int r;

	FUZZ_CHECK(text, "%s: nb_oci_seccomp_json() failed", what);
	r = nb_oci_load_seccomp(text, strlen(text), "again", &back, &err);
	FUZZ_CHECK(r == 0, "%s: its seccomp JSON does not load: %s\n%s", what, err.msg, text);
	FUZZ_CHECK(back.set, "%s: seccomp reloaded unset", what);
	back.set = sc->set;
	fuzz_check_seccomp_equal(sc, &back, what);
	nb_seccomp_free(&back);
	free(text);
}

void fuzz_check_plan_json(const struct nb_config *cfg, const char *what)
{
	struct nb_error err = { 0 };
	struct nb_config back;
	char *text = NULL;
	int r = nb_oci_plan_json(cfg, &text, &err);

	fuzz_check_error(r, &err, "nb_oci_plan_json");
	/* A string that is not UTF-8 cannot be JSON: a clear error. */
	if (r == -EILSEQ)
		return;
	FUZZ_CHECK(r == 0 && text, "%s: nb_oci_plan_json() failed: %s", what, err.msg);
	nb_config_init(&back);
	r = nb_oci_load(text, strlen(text), "/", &back, &err);
	FUZZ_CHECK(r == 0, "%s: its plan does not load back: %s\n%s", what, err.msg, text);
	FUZZ_CHECK(strv_same(&cfg->args, &back.args), "%s: plan: args differ\n%s", what, text);
	FUZZ_CHECK(strv_same(&cfg->env, &back.env), "%s: plan: env differs\n%s", what, text);
	FUZZ_CHECK(str_same(cfg->cwd ? cfg->cwd : "/", back.cwd ? back.cwd : "/"),
		   "%s: plan: cwd differs\n%s", what, text);
	FUZZ_CHECK((cfg->set_uid ? cfg->uid : 0) == back.uid && (cfg->set_gid ? cfg->gid : 0) == back.gid,
		   "%s: plan: user differs\n%s", what, text);
	FUZZ_CHECK(cfg->n_groups == back.n_groups &&
		   (!cfg->n_groups || memcmp(cfg->groups, back.groups, cfg->n_groups * sizeof(*cfg->groups)) == 0),
		   "%s: plan: additional groups differ\n%s", what, text);
	FUZZ_CHECK(cfg->sec.no_new_privs == back.sec.no_new_privs, "%s: plan: no_new_privs differs", what);
	FUZZ_CHECK(cfg->sec.caps.set == back.sec.caps.set &&
		   (!cfg->sec.caps.set ||
		    (cfg->sec.caps.bounding == back.sec.caps.bounding &&
		     cfg->sec.caps.effective == back.sec.caps.effective &&
		     cfg->sec.caps.permitted == back.sec.caps.permitted &&
		     cfg->sec.caps.inheritable == back.sec.caps.inheritable &&
		     cfg->sec.caps.ambient == back.sec.caps.ambient)),
		   "%s: plan: capabilities differ\n%s", what, text);
	/* Field by field: struct nb_rlimit has padding that memcmp would read. */
	FUZZ_CHECK(cfg->sec.n_rlimits == back.sec.n_rlimits, "%s: plan: rlimits differ\n%s", what, text);
	for (size_t i = 0; i < cfg->sec.n_rlimits; i++)
		FUZZ_CHECK(cfg->sec.rlimits[i].resource == back.sec.rlimits[i].resource &&
			   cfg->sec.rlimits[i].soft == back.sec.rlimits[i].soft &&
			   cfg->sec.rlimits[i].hard == back.sec.rlimits[i].hard,
			   "%s: plan: rlimit %zu differs\n%s", what, i, text);
	for (int t = 0; t < NB_NS_COUNT; t++)
		FUZZ_CHECK((cfg->ns[t].mode == NB_NS_NEW) == (back.ns[t].mode == NB_NS_NEW),
			   "%s: plan: namespace %s differs\n%s", what, nb_ns_name(t), text);
	if (cfg->ns[NB_NS_USER].mode == NB_NS_NEW)
		FUZZ_CHECK(idmap_same(&cfg->uid_map, &back.uid_map) && idmap_same(&cfg->gid_map, &back.gid_map),
			   "%s: plan: id maps differ\n%s", what, text);
	if (!cfg->sec.seccomp_builtin)
		fuzz_check_seccomp_equal(&cfg->sec.seccomp, &back.sec.seccomp, what);
	nb_config_free(&back);
	free(text);
}

/* Files the kernel takes one line at a time: one write per device, rule,
 * interface (resources.h). */
static bool per_line_file(const char *file)
{
	static const char *const files[] = {
		"io.max", "io.bfq.weight", "io.weight", "rdma.max", "net_prio.ifpriomap", "devices.allow",
		"devices.deny", "blkio.weight_device", "blkio.leaf_weight_device", "blkio.bfq.weight_device",
		"blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device",
		"blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device",
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (strcmp(file, files[i]) == 0)
			return true;
	return false;
}

static void check_writes(const struct nb_cg_writes *w, bool v1, const char *what)
{
	for (size_t i = 0; i < w->n; i++) {
		const struct nb_cg_write *x = &w->w[i];

		FUZZ_CHECK((unsigned)x->ctrl < NB_CG_COUNT, "%s: write %zu: controller %d", what, i, x->ctrl);
		FUZZ_CHECK(x->file && x->value, "%s: write %zu: no file or value", what, i);
		FUZZ_CHECK(x->file[0] && !strchr(x->file, '/') && strcmp(x->file, ".") && strcmp(x->file, ".."),
			   "%s: write %zu: file '%s' is not a plain name", what, i, x->file);
		FUZZ_CHECK(v1 || nb_cg_controller_name(x->ctrl, false) || x->ctrl == NB_CG_CORE,
			   "%s: write %zu: '%s' of no v2 controller", what, i, x->file);
		if (i + 1 == w->n)
			FUZZ_CHECK(!(x->flags & NB_CGW_OR_NEXT), "%s: the last write has no next", what);
		/* Once per file, but for the per-line files and a TRY with its RETRY. */
		for (size_t j = i + 1; j < w->n; j++)
			FUZZ_CHECK(strcmp(x->file, w->w[j].file) != 0 || per_line_file(x->file) ||
				   ((x->flags & NB_CGW_TRY) && (w->w[j].flags & NB_CGW_RETRY)),
				   "%s: '%s' written twice (writes %zu and %zu)", what, x->file, i, j);
	}
}

void fuzz_check_cg_writes(const struct nb_resources *r, const char *what)
{
	static const int64_t current[] = { NB_RES_UNSET, 4096, INT64_MAX };

	for (size_t i = 0; i < sizeof(current) / sizeof(current[0]); i++) {
		struct nb_cg_writes w1 = { 0 }, w2 = { 0 };
		struct nb_error err = { 0 };
		int r1 = nb_cg_writes_v1(r, current[i], what, &w1, &err);

		fuzz_check_error(r1, &err, "nb_cg_writes_v1");
		if (r1 >= 0)
			check_writes(&w1, true, what);
		nb_cg_writes_free(&w1);
		r1 = nb_cg_writes_v2(r, current[i], what, &w2, &err);
		fuzz_check_error(r1, &err, "nb_cg_writes_v2");
		if (r1 >= 0)
			check_writes(&w2, false, what);
		nb_cg_writes_free(&w2);
	}
}
