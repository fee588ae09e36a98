/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/caps.h"
#include "base/cleanup.h"
#include "base/fileutil.h"
#include "base/strutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#define BIT(cap) (UINT64_C(1) << (cap))

static void cap_freep(cap_t *c)
{
	if (*c)
		cap_free(*c);
	*c = NULL;
}
#define _cleanup_cap_ __attribute__((cleanup(cap_freep)))

/* "CAP_SYS_ADMIN", or the number for one nsbox has no name for. */
static const char *cap_str(int cap, char *buf, size_t size)
{
	const char *name = nb_cap_name(cap);

	if (name)
		return name;
	snprintf(buf, size, "%d", cap);
	return buf;
}

int nb_caps_last_cap(void)
{
	int last = (int)cap_max_bits() - 1;

	if (last > 0)
		return last;
	/* Ask the kernel, not a /proc that a sandbox's image may fake:
	 * PR_CAPBSET_READ fails with EINVAL past its last capability. */
	for (last = 63; last > 0; last--)
		if (prctl(PR_CAPBSET_READ, (unsigned long)last, 0L, 0L, 0L) >= 0 || errno != EINVAL)
			return last;
	return NB_CAP_LAST;
}

static uint64_t all_asked(const struct nb_caps *caps)
{
	return caps->bounding | caps->effective | caps->inheritable | caps->permitted | caps->ambient;
}

/* Every capability asked for must be one the kernel knows. */
static int check_known(const struct nb_caps *caps, int last, struct nb_error *err)
{
	uint64_t asked = all_asked(caps);
	char b1[16], b2[16];

	for (int cap = last + 1; cap < 64; cap++)
		if (asked & BIT(cap))
			return nb_error_set(err, EINVAL, "capability %s: not known to this kernel "
					    "(its last is %s)", cap_str(cap, b1, sizeof(b1)),
					    cap_str(last, b2, sizeof(b2)));
	return 0;
}

/* The calling process's bounding set: one prctl per capability, so read
 * it once per step rather than per question. */
static uint64_t bounding_set(int last)
{
	uint64_t have = 0;

	for (int cap = 0; cap <= last; cap++)
		if (cap_get_bound(cap) == 1)
			have |= BIT(cap);
	return have;
}

/* CAPS, less what nsbox lacks (HAVE) when the plan says to clamp. */
static struct nb_caps clamped(const struct nb_caps *caps, uint64_t have)
{
	struct nb_caps c = *caps;

	if (!caps->clamp)
		return c;
	c.bounding &= have;
	c.effective &= have;
	c.permitted &= have;
	c.inheritable &= have;
	c.ambient &= have;
	return c;
}

int nb_caps_drop_bounding(const struct nb_caps *asked_caps, struct nb_error *err)
{
	int last = nb_caps_last_cap();
	uint64_t have = asked_caps->set ? bounding_set(last) : 0;
	struct nb_caps c = clamped(asked_caps, have);
	const struct nb_caps *caps = &c;
	uint64_t asked = all_asked(caps);
	char buf[16];
	int r;

	if (!caps->set)
		return 0;
	r = check_known(caps, last, err);
	if (r < 0)
		return r;
	/* No set can gain a capability the bounding set lacks, so asking for
	 * one nsbox was started without cannot be honoured. */
	for (int cap = 0; cap <= last; cap++)
		if ((asked & BIT(cap)) && !(have & BIT(cap)))
			return nb_error_set(err, EPERM, "capability %s: not in the bounding set of nsbox",
					    cap_str(cap, buf, sizeof(buf)));
	for (int cap = 0; cap <= last; cap++) {
		if ((caps->bounding & BIT(cap)) || !(have & BIT(cap)))
			continue;
		if (cap_drop_bound(cap) < 0) {
			if (errno == EPERM)
				return nb_error_set(err, EPERM, "drop capability %s from the bounding set: %s "
						    "(needs CAP_SETPCAP)", cap_str(cap, buf, sizeof(buf)),
						    strerror(EPERM));
			return nb_error_errno(err, "drop capability %s from the bounding set",
					      cap_str(cap, buf, sizeof(buf)));
		}
	}
	return 0;
}

int nb_caps_keep(bool on, struct nb_error *err)
{
	if (prctl(PR_SET_KEEPCAPS, on ? 1L : 0L, 0L, 0L, 0L) < 0)
		return nb_error_errno(err, "%s keepcaps", on ? "set" : "clear");
	return 0;
}

static bool has_flag(cap_t c, int cap, cap_flag_t set)
{
	cap_flag_value_t v = CAP_CLEAR;

	return cap_get_flag(c, cap, set, &v) == 0 && v == CAP_SET;
}

/* Before capset: find the capability the kernel would refuse, to name it. */
static int check_settable(const struct nb_caps *caps, cap_t cur, int last, struct nb_error *err)
{
	char buf[16];

	for (int cap = 0; cap <= last; cap++) {
		const char *name = cap_str(cap, buf, sizeof(buf));

		/* cap_get_bound() (a prctl) only on the way to an error. */
		if ((caps->effective & BIT(cap)) && !(caps->permitted & BIT(cap)))
			return nb_error_set(err, EINVAL, "capability %s: effective but not permitted", name);
		if ((caps->permitted & BIT(cap)) && !has_flag(cur, cap, CAP_PERMITTED))
			return nb_error_set(err, EPERM, "capability %s: not in the %s set of nsbox", name,
					    cap_get_bound(cap) == 1 ? "permitted" : "bounding");
		if ((caps->inheritable & BIT(cap)) && !has_flag(cur, cap, CAP_INHERITABLE)) {
			if (cap_get_bound(cap) != 1)
				return nb_error_set(err, EPERM, "capability %s: inheritable but not in the "
						    "bounding set", name);
			if (!has_flag(cur, cap, CAP_PERMITTED) && !has_flag(cur, CAP_SETPCAP, CAP_EFFECTIVE))
				return nb_error_set(err, EPERM, "capability %s: not in the permitted set of "
						    "nsbox", name);
		}
	}
	return 0;
}

static int set_flags(cap_t c, cap_flag_t set, uint64_t mask, int last)
{
	for (int cap = 0; cap <= last; cap++) {
		cap_value_t v = cap;

		if ((mask & BIT(cap)) && cap_set_flag(c, set, 1, &v, CAP_SET) < 0)
			return -errno;
	}
	return 0;
}

int nb_caps_apply(const struct nb_caps *asked_caps, struct nb_error *err)
{
	_cleanup_cap_ cap_t cur = NULL, want = NULL;
	int last = nb_caps_last_cap();
	struct nb_caps c = clamped(asked_caps, asked_caps->clamp ? bounding_set(last) : 0);
	const struct nb_caps *caps = &c;
	uint64_t ambient;
	char buf[16];
	int r;

	if (!caps->set)
		return 0;
	r = check_known(caps, last, err);
	if (r < 0)
		return r;
	cur = cap_get_proc();
	if (!cur)
		return nb_error_errno(err, "read the capabilities of nsbox");
	r = check_settable(caps, cur, last, err);
	if (r < 0)
		return r;

	want = cap_init();
	if (!want)
		return nb_error_errno(err, "allocate a capability set");
	if ((r = set_flags(want, CAP_EFFECTIVE, caps->effective, last)) < 0 ||
	    (r = set_flags(want, CAP_PERMITTED, caps->permitted, last)) < 0 ||
	    (r = set_flags(want, CAP_INHERITABLE, caps->inheritable, last)) < 0)
		return nb_error_sys(err, -r, "build the capability sets");
	if (cap_set_proc(want) < 0)
		return nb_error_errno(err, "set the capability sets");

	/* Ambient: clear what is there (the kernel already dropped any that
	 * left the permitted or inheritable set), then raise what is asked. */
	ambient = caps->ambient & caps->permitted & caps->inheritable;
	/* One prctl: libcap's cap_reset_ambient() asks about each capability
	 * first (41 system calls). EINVAL: a kernel without ambient sets. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0L, 0L, 0L) < 0 && (ambient || errno != EINVAL))
		return nb_error_errno(err, "clear the ambient capabilities");
	for (int cap = 0; cap <= last; cap++)
		if ((ambient & BIT(cap)) && cap_set_ambient(cap, CAP_SET) < 0)
			return nb_error_errno(err, "capability %s: raise in the ambient set",
					      cap_str(cap, buf, sizeof(buf)));
	return 0;
}
