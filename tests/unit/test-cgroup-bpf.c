/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for nsbox's cgroup v2 device program (no root, no system call).
 *
 * What the kernel runs is bpf/devices.bpf.c, whose whole decision is
 * nb_dev_decide() from bpf/devices_match.h, on the rules that
 * nb_cg_devices_rules() (linux/cgroup_bpf.c) writes into its .rodata. This
 * test compiles that same header with gcc and runs that same conversion,
 * so it checks the very source the kernel runs:
 *  - nb_cg_devices_rules()'s output for small rule sets, runc's own test
 *    cases among them (devicefilter_test.go: Privileged,
 *    PrivilegedExceptSingleDevice, Weird), and its errors;
 *  - nb_dev_decide() on those rules against their meaning written as plain
 *    C (model()) for every (type, major, minor, access) that matters
 *    (2 x 8 x 8 x 8 = 1,024 requests a rule set), on hand-picked and on 400
 *    pseudo-random rule sets;
 *  - that meaning against two others: never more permissive than "later
 *    rule wins, bit by bit" (per_bit()), nor than runc's program
 *    (runc_model()), from which it differs only where a deny rule names
 *    part of the access asked for.
 * The kernel's side (the verifier takes the program, opens are refused) is
 * tests/integration/cgroup-devices.bats's.
 */
#include "base/cleanup.h"
#include "bpf/devices_match.h"
#include "linux/cgroup_bpf.h"
#include "tap.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define M BPF_DEVCG_ACC_MKNOD
#define R BPF_DEVCG_ACC_READ
#define W BPF_DEVCG_ACC_WRITE
#define RWM (M | R | W)
#define BLK BPF_DEVCG_DEV_BLOCK
#define CHR BPF_DEVCG_DEV_CHAR
#define ANY (NB_DEV_ANY_TYPE | NB_DEV_ANY_MAJOR | NB_DEV_ANY_MINOR)

#define RULE(ALLOW, TYPE, MAJ, MIN, ACC) \
	{ .allow = (ALLOW), .type = (TYPE), .major = (MAJ), .minor = (MIN), .access = ACC }
#define ALLOW(T, MAJ, MIN, ACC) RULE(true, T, MAJ, MIN, ACC)
#define DENY(T, MAJ, MIN, ACC) RULE(false, T, MAJ, MIN, ACC)

/* ---- what the rules mean ---------------------------------------------- */

static unsigned bits(const char *access)
{
	unsigned a = 0;

	for (; *access; access++)
		a |= *access == 'r' ? R : *access == 'w' ? W : *access == 'm' ? M : 0;
	return a ? a : RWM;
}

static bool dev_matches(const struct nb_device_rule *r, unsigned type, int64_t major,
			int64_t minor)
{
	unsigned t = r->type == 'b' ? BLK : r->type == 'c' ? CHR : 0;

	return (r->type == 'a' || t == type) && (r->major == -1 || r->major == major) &&
	       (r->minor == -1 || r->minor == minor);
}

/* nsbox's meaning (linux/cgroup_bpf.h): last rule first, the first that
 * decides wins; an allow decides when the access asked for is a subset of
 * its own, a deny when they overlap (a deny of rwm: always); default deny. */
static bool model(const struct nb_device_rule *r, size_t n, unsigned type, int64_t major,
		  int64_t minor, unsigned acc)
{
	size_t i;

	for (i = n; i-- > 0;) {
		unsigned a = bits(r[i].access);

		if (!dev_matches(&r[i], type, major, minor))
			continue;
		if (r[i].allow && (acc & ~a) == 0)
			return true;
		if (!r[i].allow && ((acc & a) != 0 || a == RWM))
			return false;
	}
	return false;
}

/* "Later rule wins" for each access bit on its own. */
static bool per_bit(const struct nb_device_rule *r, size_t n, unsigned type, int64_t major,
		    int64_t minor, unsigned acc)
{
	unsigned b;
	size_t i;

	for (b = 1; b <= 4; b <<= 1) {
		bool allowed = false;

		if (!(acc & b))
			continue;
		for (i = n; i-- > 0;)
			if (dev_matches(&r[i], type, major, minor) && (bits(r[i].access) & b)) {
				allowed = r[i].allow;
				break;
			}
		if (!allowed)
			return false;
	}
	return true;
}

/* runc's devicefilter: the same, with a subset test for deny rules too. */
static bool runc_model(const struct nb_device_rule *r, size_t n, unsigned type, int64_t major,
		       int64_t minor, unsigned acc)
{
	size_t i;

	for (i = n; i-- > 0;)
		if (dev_matches(&r[i], type, major, minor) && (acc & ~bits(r[i].access)) == 0)
			return r[i].allow;
	return false;
}

/* ---- helpers ---------------------------------------------------------- */

static const int64_t majors[] = { 0, 1, 5, 7, 8, 10, 136, 4095 };
static const int64_t minors[] = { 0, 1, 2, 3, 5, 9, 200, 0xFFFFF };

/* The program's answer on data D (COUNT entries), asked as the kernel
 * asks: in a struct bpf_cgroup_dev_ctx. */
static int ask(const struct nb_dev_rule *d, int count, unsigned type, unsigned acc,
	       int64_t major, int64_t minor)
{
	const struct bpf_cgroup_dev_ctx req = {
		.access_type = (acc << 16) | type,
		.major = (__u32)major,
		.minor = (__u32)minor,
	};

	return nb_dev_decide(d, (__u32)count, &req);
}

/* The program's data for R; -1 (with a diagnostic) if refused. */
static int rules_of(const struct nb_device_rule *r, size_t n, struct nb_dev_rule *out)
{
	struct nb_error err = { 0 };
	int count = nb_cg_devices_rules(r, n, out, &err);

	if (count < 0)
		tap_diag("nb_cg_devices_rules: %s", err.msg);
	return count;
}

/* Every request, the program's answer against the model; returns the
 * number of disagreements. */
static int agree(const struct nb_device_rule *r, size_t n, const char *name)
{
	static struct nb_dev_rule d[NB_CG_DEV_MAX_RULES];
	int count = rules_of(r, n, d), bad = 0;
	unsigned t, acc;
	size_t a, b;

	if (count < 0)
		return tap_ok(false, "%s: converted", name), 1;
	for (t = BLK; t <= CHR; t++)
		for (a = 0; a < NB_ARRAY_SIZE(majors); a++)
			for (b = 0; b < NB_ARRAY_SIZE(minors); b++)
				for (acc = 0; acc <= RWM; acc++) {
					int got = ask(d, count, t, acc, majors[a], minors[b]);
					bool want = model(r, n, t, majors[a], minors[b], acc);

					if (got != (int)want && bad++ < 3)
						tap_diag("%s: %c %lld:%lld access %u: program %d, model %d",
							 name, t == BLK ? 'b' : 'c', (long long)majors[a],
							 (long long)minors[b], acc, got, want);
				}
	return bad;
}

/* The program's answer to one request, or -1 if the rules are refused. */
static int decide(const struct nb_device_rule *r, size_t n, unsigned type, uint32_t major,
		  uint32_t minor, unsigned acc)
{
	static struct nb_dev_rule d[NB_CG_DEV_MAX_RULES];
	int count = rules_of(r, n, d);

	return count < 0 ? -1 : ask(d, count, type, acc, major, minor);
}

static bool decides(const struct nb_device_rule *r, size_t n, unsigned type, uint32_t major,
		    uint32_t minor, unsigned acc, int want, const char *name)
{
	return tap_is_int(decide(r, n, type, major, minor, acc), want, "%s", name);
}

static bool same_rule(const struct nb_dev_rule *got, const struct nb_dev_rule *want,
		      const char *name, size_t i)
{
	if (memcmp(got, want, sizeof(*got)) == 0)
		return tap_ok(true, "%s: entry %zu", name, i);
	tap_diag("got type %u access %u allow %u any %u %u:%u, want type %u access %u allow %u "
		 "any %u %u:%u", got->type, got->access, got->allow, got->any, got->major,
		 got->minor, want->type, want->access, want->allow, want->any, want->major,
		 want->minor);
	return tap_ok(false, "%s: entry %zu", name, i);
}

/* nb_cg_devices_rules(R) is exactly WANT. */
static void converts(const struct nb_device_rule *r, size_t n, const struct nb_dev_rule *want,
		     size_t wn, const char *name)
{
	static struct nb_dev_rule d[NB_CG_DEV_MAX_RULES];
	int count = rules_of(r, n, d);
	size_t i;

	if (!tap_is_int(count, (long long)wn, "%s: %zu entries", name, wn))
		return;
	for (i = 0; i < wn; i++)
		same_rule(&d[i], &want[i], name, i);
}

#define ENTRY(ALLOW, TYPE, MAJ, MIN, ACC, ANYS) \
	{ .major = (MAJ), .minor = (MIN), .type = (TYPE), .access = (ACC), .allow = (ALLOW), \
	  .any = (ANYS) }

/* ---- the program's data ----------------------------------------------- */

static void test_data(void)
{
	struct nb_dev_rule d[NB_CG_DEV_MAX_RULES];

	tap_is_int(rules_of(NULL, 0, d), 0, "no rules: no entry (deny all)");
	{
		/* runc's TestDeviceFilter_Privileged; "" is "rwm". */
		static const struct nb_device_rule r1[] = { ALLOW('a', -1, -1, "rwm") };
		static const struct nb_device_rule r2[] = { ALLOW('a', -1, -1, "") };
		static const struct nb_dev_rule want[] = { ENTRY(1, 0, 0, 0, RWM, ANY) };

		converts(r1, 1, want, 1, "a *:* rwm: allow all");
		converts(r2, 1, want, 1, "a *:* with empty access: allow all");
	}
	{
		/* A match-all rule ends the list: the rules before it are gone. */
		static const struct nb_device_rule r[] = {
			ALLOW('c', 1, 3, "rwm"), ALLOW('b', -1, -1, "r"), DENY('a', -1, -1, "rwm"),
		};
		static const struct nb_dev_rule want[] = { ENTRY(0, 0, 0, 0, RWM, ANY) };

		converts(r, NB_ARRAY_SIZE(r), want, 1, "deny a *:* last: deny all");
	}
	{
		/* runc's TestDeviceFilter_PrivilegedExceptSingleDevice. */
		static const struct nb_device_rule r[] = {
			ALLOW('a', -1, -1, "rwm"), DENY('b', 8, 0, "rwm"),
		};
		static const struct nb_dev_rule want[] = {
			ENTRY(1, 0, 0, 0, RWM, ANY), ENTRY(0, BLK, 8, 0, RWM, 0),
		};

		converts(r, NB_ARRAY_SIZE(r), want, 2, "runc: privileged except b 8:0");
		decides(r, 2, BLK, 8, 0, R, 0, "runc privileged except b 8:0: b 8:0 denied");
		decides(r, 2, BLK, 8, 1, R, 1, "runc privileged except b 8:0: b 8:1 allowed");
	}
	{
		/* runc's TestDeviceFilter_Weird: 8:1 allowed, 8:2 not. */
		static const struct nb_device_rule r[] = {
			DENY('b', 8, 1, "rwm"), ALLOW('a', -1, -1, "rwm"), DENY('b', 8, 2, "rwm"),
		};
		static const struct nb_dev_rule want[] = {
			ENTRY(1, 0, 0, 0, RWM, ANY), ENTRY(0, BLK, 8, 2, RWM, 0),
		};

		converts(r, NB_ARRAY_SIZE(r), want, 2, "runc: weird");
		decides(r, 3, BLK, 8, 1, R, 1, "runc weird: b 8:1 allowed");
		decides(r, 3, BLK, 8, 2, R, 0, "runc weird: b 8:2 denied");
	}
	{
		/* Wildcards are flags, not numbers; types and access are the
		 * kernel's constants; the order stays OCI's. */
		static const struct nb_device_rule r[] = {
			ALLOW('c', 1, -1, "rwm"), ALLOW('a', -1, 5, "r"), DENY('c', 1, 5, "w"),
			ALLOW('b', -1, -1, "mr"),
		};
		static const struct nb_dev_rule want[] = {
			ENTRY(1, CHR, 1, 0, RWM, NB_DEV_ANY_MINOR),
			ENTRY(1, 0, 0, 5, R, NB_DEV_ANY_TYPE | NB_DEV_ANY_MAJOR),
			ENTRY(0, CHR, 1, 5, W, 0),
			ENTRY(1, BLK, 0, 0, R | M, NB_DEV_ANY_MAJOR | NB_DEV_ANY_MINOR),
		};

		converts(r, NB_ARRAY_SIZE(r), want, NB_ARRAY_SIZE(want), "access and wildcards");
	}
	{
		/* The largest numbers are numbers, not wildcards. */
		static const struct nb_device_rule r[] = {
			ALLOW('c', 4294967295LL, 0, "r"), ALLOW('b', 0, 4294967295LL, "w"),
		};
		static const struct nb_dev_rule want[] = {
			ENTRY(1, CHR, 0xFFFFFFFFu, 0, R, 0), ENTRY(1, BLK, 0, 0xFFFFFFFFu, W, 0),
		};

		converts(r, NB_ARRAY_SIZE(r), want, 2, "numbers up to 4294967295");
	}
	{
		/* runc's default allow list (specconv.AllowedDevices). */
		static const struct nb_device_rule r[] = {
			ALLOW('c', -1, -1, "m"), ALLOW('b', -1, -1, "m"), ALLOW('c', 1, 3, "rwm"),
			ALLOW('c', 1, 8, "rwm"), ALLOW('c', 1, 7, "rwm"), ALLOW('c', 5, 0, "rwm"),
			ALLOW('c', 1, 5, "rwm"), ALLOW('c', 1, 9, "rwm"), ALLOW('c', 136, -1, "rwm"),
			ALLOW('c', 5, 2, "rwm"), ALLOW('c', 10, 200, "rwm"),
		};

		tap_is_int(rules_of(r, NB_ARRAY_SIZE(r), d), 11, "runc's default allow list: 11 entries");
		tap_is_int(agree(r, NB_ARRAY_SIZE(r), "runc's default list"), 0,
			   "runc's default list: program = model on every request");
	}
	tap_is_int((long long)sizeof(struct nb_dev_rule), 12, "an entry is 12 bytes");
}

/* ---- decisions -------------------------------------------------------- */

struct want {
	unsigned type;
	uint32_t major, minor;
	unsigned acc;
	int allowed;
};

static void check_case(const char *name, const struct nb_device_rule *r, size_t n,
		       const struct want *w, size_t nw)
{
	char label[256];
	size_t i;

	for (i = 0; i < nw; i++) {
		snprintf(label, sizeof(label), "%s: %c %u:%u %s%s%s%s -> %s", name,
			 w[i].type == BLK ? 'b' : 'c', w[i].major, w[i].minor,
			 w[i].acc & R ? "r" : "", w[i].acc & W ? "w" : "", w[i].acc & M ? "m" : "",
			 w[i].acc ? "" : "(none)", w[i].allowed ? "allowed" : "denied");
		decides(r, n, w[i].type, w[i].major, w[i].minor, w[i].acc, w[i].allowed, label);
	}
	tap_is_int(agree(r, n, name), 0, "%s: program = model on every request", name);
}

#define CASE(NAME, RULES, WANTS)                                                            \
	do {                                                                                \
		static const struct nb_device_rule r_[] = RULES;                            \
		static const struct want w_[] = WANTS;                                      \
		check_case(NAME, r_, NB_ARRAY_SIZE(r_), w_, NB_ARRAY_SIZE(w_));             \
	} while (0)
#define L(...) { __VA_ARGS__ }

static void test_decisions(void)
{
	decides(NULL, 0, CHR, 1, 3, R, 0, "no rules: c 1:3 r denied");
	decides(NULL, 0, BLK, 7, 0, R, 0, "no rules: b 7:0 r denied");
	decides(NULL, 0, CHR, 10, 232, R | W, 0, "no rules: kvm rw denied");
	tap_is_int(agree(NULL, 0, "no rules"), 0, "no rules: program = model on every request");

	CASE("read only", L(ALLOW('c', 1, 5, "r")),
	     L({ CHR, 1, 5, R, 1 }, { CHR, 1, 5, W, 0 }, { CHR, 1, 5, R | W, 0 },
	       { CHR, 1, 5, M, 0 }, { CHR, 1, 3, R, 0 }, { BLK, 1, 5, R, 0 }));
	CASE("mknod only", L(ALLOW('c', 1, 3, "m")),
	     L({ CHR, 1, 3, M, 1 }, { CHR, 1, 3, R, 0 }, { CHR, 1, 5, M, 0 }));
	CASE("rw", L(ALLOW('c', 1, 3, "rw")),
	     L({ CHR, 1, 3, R, 1 }, { CHR, 1, 3, W, 1 }, { CHR, 1, 3, R | W, 1 },
	       { CHR, 1, 3, M, 0 }));
	CASE("deny after allow", L(ALLOW('c', -1, -1, "rwm"), DENY('c', 1, 5, "rwm")),
	     L({ CHR, 1, 5, R, 0 }, { CHR, 1, 5, M, 0 }, { CHR, 1, 3, R | W, 1 },
	       { CHR, 10, 232, R | W, 1 }, { BLK, 7, 0, R, 0 }));
	CASE("allow after deny", L(DENY('c', 1, 5, "rwm"), ALLOW('c', 1, 5, "r")),
	     L({ CHR, 1, 5, R, 1 }, { CHR, 1, 5, W, 0 }, { CHR, 1, 5, R | W, 0 }));
	/* The hole runc leaves: deny "w" after allow "rwm" must stop O_RDWR. */
	CASE("partial deny", L(ALLOW('c', 1, 5, "rwm"), DENY('c', 1, 5, "w")),
	     L({ CHR, 1, 5, R, 1 }, { CHR, 1, 5, W, 0 }, { CHR, 1, 5, R | W, 0 },
	       { CHR, 1, 5, M, 1 }));
	CASE("wildcard minor", L(ALLOW('c', 1, -1, "rw")),
	     L({ CHR, 1, 0, R, 1 }, { CHR, 1, 9, R | W, 1 }, { CHR, 5, 0, R, 0 },
	       { BLK, 1, 0, R, 0 }));
	CASE("wildcard major", L(ALLOW('b', -1, 0, "r")),
	     L({ BLK, 7, 0, R, 1 }, { BLK, 8, 0, R, 1 }, { BLK, 7, 1, R, 0 },
	       { BLK, 7, 0, W, 0 }, { CHR, 7, 0, R, 0 }));
	CASE("c *:* rwm", L(ALLOW('c', -1, -1, "rwm")),
	     L({ CHR, 10, 232, R | W, 1 }, { CHR, 1, 3, M, 1 }, { BLK, 7, 0, R, 0 }));
	CASE("b *:* r", L(ALLOW('b', -1, -1, "r")),
	     L({ BLK, 7, 0, R, 1 }, { BLK, 7, 0, W, 0 }, { CHR, 1, 3, R, 0 }));
	/* runc's devicefilter takes 'a' as "any type" and keeps the numbers. */
	CASE("type a with numbers", L(ALLOW('a', 1, 3, "rwm")),
	     L({ CHR, 1, 3, R, 1 }, { BLK, 1, 3, R, 1 }, { CHR, 1, 5, R, 0 }));
	CASE("allow all but kvm", L(ALLOW('a', -1, -1, ""), DENY('c', 10, 232, "rwm")),
	     L({ CHR, 10, 232, R, 0 }, { CHR, 10, 232, M, 0 }, { CHR, 10, 183, R | W, 1 },
	       { BLK, 7, 0, R | W | M, 1 }));
	CASE("deny all after allows",
	     L(ALLOW('c', 1, 3, "rwm"), DENY('a', -1, -1, "rwm"), ALLOW('c', 1, 5, "r")),
	     L({ CHR, 1, 3, R, 0 }, { CHR, 1, 5, R, 1 }, { CHR, 1, 5, W, 0 }));
	CASE("two allows of one device", L(ALLOW('c', 1, 5, "r"), ALLOW('c', 1, 5, "w")),
	     L({ CHR, 1, 5, R, 1 }, { CHR, 1, 5, W, 1 }, { CHR, 1, 5, R | W, 0 }));
	/* A number no device has (dev_t: 12 bits of major, 20 of minor). */
	CASE("huge numbers", L(ALLOW('c', 4294967295LL, -1, "rwm"), ALLOW('c', 1, 2147483648LL, "r")),
	     L({ CHR, 4095, 0, R, 0 }, { CHR, 1, 0xFFFFF, R, 0 }));
}

/* ---- pseudo-random rule sets ------------------------------------------ */

static uint32_t rnd_state = 20240229;

static uint32_t rnd(uint32_t below)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 8) % below;
}

static void test_random(void)
{
	static const char types[] = "abc";
	static const int64_t rmaj[] = { -1, 1, 7, 10 };
	static const int64_t rmin[] = { -1, 0, 3, 5 };
	static const char *const acc[] = { "", "r", "w", "m", "rw", "rm", "wm", "rwm" };
	int sets = 0, disagree = 0, looser_bit = 0, looser_runc = 0, stricter_runc = 0;

	for (sets = 0; sets < 400; sets++) {
		struct nb_device_rule r[8];
		size_t n = rnd(NB_ARRAY_SIZE(r) + 1), i, a, b;
		char name[32];
		unsigned t, q;

		for (i = 0; i < n; i++) {
			r[i].allow = rnd(3) != 0;
			r[i].type = types[rnd(3)];
			r[i].major = rmaj[rnd(4)];
			r[i].minor = rmin[rnd(4)];
			snprintf(r[i].access, sizeof(r[i].access), "%s", acc[rnd(8)]);
		}
		snprintf(name, sizeof(name), "random set %d", sets);
		disagree += agree(r, n, name) != 0;
		for (t = BLK; t <= CHR; t++)
			for (a = 0; a < NB_ARRAY_SIZE(majors); a++)
				for (b = 0; b < NB_ARRAY_SIZE(minors); b++)
					for (q = 0; q <= RWM; q++) {
						bool ours = model(r, n, t, majors[a], minors[b], q);

						looser_bit += ours && !per_bit(r, n, t, majors[a],
									       minors[b], q);
						if (q == 0)   /* no access asked: see below */
							continue;
						looser_runc += ours && !runc_model(r, n, t, majors[a],
										   minors[b], q);
						stricter_runc += !ours && runc_model(r, n, t, majors[a],
										     minors[b], q);
					}
	}
	tap_is_int(disagree, 0, "%d random rule sets: program = model on every request", sets);
	tap_is_int(looser_bit, 0, "never allows what 'later rule wins' bit by bit denies");
	/* A request for no access (access(2) with X_OK) is the one a partial
	 * deny does not match here and does in runc: it opens nothing. */
	tap_is_int(looser_runc, 0, "never allows an access runc's program denies");
	tap_ok(stricter_runc > 0, "denies some requests runc's program allows (%d: a deny "
	       "naming part of the access asked)", stricter_runc);
}

/* ---- errors ----------------------------------------------------------- */

static void test_errors(void)
{
	struct nb_error err = { 0 };
	static struct nb_device_rule big[600];
	static struct nb_dev_rule d[NB_CG_DEV_MAX_RULES];
	size_t i;

	{
		static const struct nb_device_rule r[] = { ALLOW('c', 1, 3, "r"), ALLOW('x', 1, 3, "r") };

		tap_is_int(nb_cg_devices_rules(r, 2, d, &err), -EINVAL, "type x refused");
		tap_is_str(err.msg, "device rule 1: type 'x' is not a, b or c", "type message");
	}
	{
		/* A refused rule before a match-all one is refused all the same. */
		static const struct nb_device_rule r[] = { ALLOW('c', -2, 3, "r"), ALLOW('a', -1, -1, "") };

		tap_is_int(nb_cg_devices_rules(r, 2, d, &err), -EINVAL, "major -2 refused");
		tap_is_str(err.msg, "device rule 0: major -2 out of range", "major message");
	}
	{
		static const struct nb_device_rule r[] = { ALLOW('b', 7, 4294967296LL, "r") };

		tap_is_int(nb_cg_devices_rules(r, 1, d, &err), -EINVAL, "minor 2^32 refused");
		tap_is_str(err.msg, "device rule 0: minor 4294967296 out of range", "minor message");
	}
	{
		static const struct nb_device_rule r[] = { ALLOW('c', 1, 3, "rx") };

		tap_is_int(nb_cg_devices_rules(r, 1, d, &err), -EINVAL, "access x refused");
		tap_is_str(err.msg, "device rule 0: access 'rx' is not made of r, w and m",
			   "access message");
	}
	for (i = 0; i < NB_ARRAY_SIZE(big); i++) {
		struct nb_device_rule one = ALLOW('c', (int64_t)i, 1, "r");

		big[i] = one;
	}
	tap_is_int(nb_cg_devices_rules(big, NB_ARRAY_SIZE(big), d, &err), -E2BIG,
		   "600 rules: too many");
	tap_is_str(err.msg, "600 device rules: a device program takes at most 512",
		   "too many message");
	tap_is_int(nb_cg_devices_rules(big, NB_CG_DEV_MAX_RULES + 1, d, &err), -E2BIG,
		   "513 rules: too many");
	tap_is_int(nb_cg_devices_rules(big, NB_CG_DEV_MAX_RULES, d, &err), NB_CG_DEV_MAX_RULES,
		   "512 rules: taken");
	tap_is_int(agree(big, NB_CG_DEV_MAX_RULES, "512 rules"), 0,
		   "512 rules: program = model on every request");
	/* The program reads no further than NB_DEV_MAX_RULES, whatever it is told. */
	tap_is_int(ask(d, 100000, CHR, R, 511, 1), 1, "a count over the limit is cut");
	/* The same rules before a match-all one cost nothing. */
	{
		struct nb_device_rule all = ALLOW('a', -1, -1, "rwm");

		big[NB_ARRAY_SIZE(big) - 1] = all;
		tap_is_int(nb_cg_devices_rules(big, NB_ARRAY_SIZE(big), d, &err), 1,
			   "600 rules ending with a *:* rwm: one entry");
		big[NB_ARRAY_SIZE(big) - 2] = all;
		big[NB_ARRAY_SIZE(big) - 1] = big[0];
		tap_is_int(nb_cg_devices_rules(big, NB_ARRAY_SIZE(big), d, &err), 2,
			   "600 rules, a *:* rwm last but one: two entries");
	}
}

int main(void)
{
	test_data();
	test_decisions();
	test_random();
	test_errors();
	return tap_done();
}
