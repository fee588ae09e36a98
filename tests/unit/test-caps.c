/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for linux/caps.c. Every step that could change this process's
 * capabilities runs in a forked child, which sends back the return value,
 * the error message and its capability sets as they were afterwards.
 *
 * With CAP_SETPCAP, CAP_SETUID and CAP_SETGID (root, as in CI) the sets
 * are really changed and read back; without them (a normal user) the same
 * calls must fail, each with its own clear message. Either way every check
 * asserts one concrete outcome.
 */
#include "linux/caps.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define BIT(cap) (UINT64_C(1) << (cap))

struct outcome {
	int ret;
	char msg[NB_ERROR_MSG_MAX];
	uint64_t eff, prm, inh, amb, bnd;
	long uid, keepcaps;
};

static uint64_t flag_mask(cap_t c, cap_flag_t set, int last)
{
	uint64_t m = 0;

	for (int cap = 0; cap <= last; cap++) {
		cap_flag_value_t v = CAP_CLEAR;

		if (cap_get_flag(c, cap, set, &v) == 0 && v == CAP_SET)
			m |= BIT(cap);
	}
	return m;
}

static void read_state(struct outcome *out)
{
	int last = nb_caps_last_cap();
	cap_t c = cap_get_proc();

	if (c) {
		out->eff = flag_mask(c, CAP_EFFECTIVE, last);
		out->prm = flag_mask(c, CAP_PERMITTED, last);
		out->inh = flag_mask(c, CAP_INHERITABLE, last);
		cap_free(c);
	}
	for (int cap = 0; cap <= last; cap++) {
		if (cap_get_bound(cap) == 1)
			out->bnd |= BIT(cap);
		if (cap_get_ambient(cap) == 1)
			out->amb |= BIT(cap);
	}
	out->uid = (long)geteuid();
	out->keepcaps = prctl(PR_GET_KEEPCAPS, 0L, 0L, 0L, 0L);
}

/* Run FN in a forked child and bring back what it returned and left. */
static struct outcome in_child(int (*fn)(struct nb_error *err))
{
	struct outcome out;
	int pfd[2], status = 0;
	ssize_t n = -1;
	pid_t pid;

	memset(&out, 0, sizeof(out));
	out.ret = -9999;
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return out;
	pid = fork();
	if (pid == 0) {
		struct nb_error err;

		nb_error_clear(&err);
		out.ret = fn(&err);
		memcpy(out.msg, err.msg, sizeof(out.msg));
		read_state(&out);
		_exit(write(pfd[1], &out, sizeof(out)) == (ssize_t)sizeof(out) ? 0 : 1);
	}
	close(pfd[1]);
	if (pid > 0) {
		n = read(pfd[0], &out, sizeof(out));
		waitpid(pid, &status, 0);
	}
	close(pfd[0]);
	if (n != (ssize_t)sizeof(out)) {
		memset(&out, 0, sizeof(out));
		out.ret = WIFSIGNALED(status) ? -1000 - WTERMSIG(status) : -9998;
	}
	return out;
}

/* The plan the child functions apply, set by each test before in_child(). */
static struct nb_caps plan;

static int do_drop(struct nb_error *err)
{
	return nb_caps_drop_bounding(&plan, err);
}

static int do_apply(struct nb_error *err)
{
	return nb_caps_apply(&plan, err);
}

static int do_drop_apply(struct nb_error *err)
{
	int r = nb_caps_drop_bounding(&plan, err);

	return r < 0 ? r : nb_caps_apply(&plan, err);
}

/* Drop CAP_SYS_RESOURCE from the bounding set, then ask for it. */
static int do_drop_then_ask(struct nb_error *err)
{
	struct nb_caps first = plan;
	int r;

	first.bounding &= ~BIT(CAP_SYS_RESOURCE);
	r = nb_caps_drop_bounding(&first, err);
	if (r < 0)
		return 100;
	return nb_caps_drop_bounding(&plan, err);
}

/* Whether ID is mapped in this user namespace (PATH: uid_map or gid_map). */
static bool id_mapped(const char *path, unsigned long id)
{
	unsigned long inside, outside, count;
	bool found = false;
	FILE *f = fopen(path, "re");

	if (!f)
		return false;
	while (!found && fscanf(f, "%lu %lu %lu", &inside, &outside, &count) == 3)
		found = id >= inside && id - inside < count;
	fclose(f);
	return found;
}

/* keepcaps, then become nobody (65534), then apply. */
static int do_setuid(struct nb_error *err, bool keep)
{
	int r = nb_caps_keep(keep, err);

	if (r < 0)
		return r;
	if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
	    setresuid(65534, 65534, 65534) < 0)
		return 101;
	return nb_caps_apply(&plan, err);
}

static int do_setuid_keep(struct nb_error *err)
{
	return do_setuid(err, true);
}

static int do_setuid_nokeep(struct nb_error *err)
{
	return do_setuid(err, false);
}

static int do_keep_on(struct nb_error *err)
{
	return nb_caps_keep(true, err);
}

static int do_keep_off(struct nb_error *err)
{
	int r = nb_caps_keep(true, err);

	return r < 0 ? r : nb_caps_keep(false, err);
}

static uint64_t all_caps(int last)
{
	return last >= 63 ? ~UINT64_C(0) : BIT(last + 1) - 1;
}

static bool have_effective(uint64_t eff, int cap)
{
	return eff & BIT(cap);
}

static void test_pure(struct outcome self, int last)
{
	struct outcome o;
	char want[128];
	int proc_last = -1;
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");

	if (f) {
		if (fscanf(f, "%d", &proc_last) != 1)
			proc_last = -1;
		fclose(f);
	}
	tap_is_int(last, proc_last, "nb_caps_last_cap() is /proc/sys/kernel/cap_last_cap");

	memset(&plan, 0, sizeof(plan));
	plan.bounding = BIT(CAP_CHOWN);
	o = in_child(do_drop_apply);
	tap_is_int(o.ret, 0, "set=false: nothing to do");
	tap_is_u64(o.bnd, self.bnd, "set=false: the bounding set is untouched");
	tap_is_u64(o.eff, self.eff, "set=false: the effective set is untouched");

	memset(&plan, 0, sizeof(plan));
	plan.set = true;
	plan.bounding = self.bnd | BIT(63);
	o = in_child(do_drop);
	snprintf(want, sizeof(want), "capability 63: not known to this kernel (its last is %s)",
		 nb_cap_name(last) ? nb_cap_name(last) : "?");
	tap_is_int(o.ret, -EINVAL, "an unknown capability is an error");
	tap_is_str(o.msg, want, "the error names it");
	plan.bounding = self.bnd;
	plan.ambient = BIT(last + 1 < 64 ? last + 1 : 63);
	o = in_child(do_apply);
	tap_is_int(o.ret, -EINVAL, "an unknown ambient capability is an error for apply too");

	memset(&plan, 0, sizeof(plan));
	plan.set = true;
	plan.bounding = self.bnd;
	o = in_child(do_drop);
	tap_is_int(o.ret, 0, "keeping the whole bounding set needs no privilege");
	tap_is_u64(o.bnd, self.bnd, "bounding set unchanged");

	memset(&plan, 0, sizeof(plan));
	plan.set = true;
	plan.bounding = self.bnd;
	plan.effective = BIT(CAP_CHOWN);
	o = in_child(do_apply);
	tap_is_int(o.ret, -EINVAL, "effective without permitted is an error");
	tap_is_str(o.msg, "capability CAP_CHOWN: effective but not permitted", "the error names it");

	o = in_child(do_keep_on);
	tap_is_int(o.ret, 0, "nb_caps_keep(true)");
	tap_is_int(o.keepcaps, 1, "PR_GET_KEEPCAPS is 1");
	o = in_child(do_keep_off);
	tap_is_int(o.ret, 0, "nb_caps_keep(false)");
	tap_is_int(o.keepcaps, 0, "PR_GET_KEEPCAPS is 0");
}

/* Asking for a capability nsbox's bounding set lacks. */
static void test_missing_bound(struct outcome self, bool priv, int last)
{
	struct outcome o;
	int missing = -1;

	for (int cap = 0; cap <= last; cap++)
		if (!(self.bnd & BIT(cap)))
			missing = cap;
	memset(&plan, 0, sizeof(plan));
	plan.set = true;
	plan.bounding = self.bnd | BIT(CAP_SYS_RESOURCE);
	if (missing >= 0) {
		char want[128];

		tap_diag("this process's bounding set lacks %s", nb_cap_name(missing));
		plan.bounding = self.bnd | BIT(missing);
		o = in_child(do_drop);
		snprintf(want, sizeof(want), "capability %s: not in the bounding set of nsbox",
			 nb_cap_name(missing));
		tap_is_int(o.ret, -EPERM, "a capability not in our bounding set is an error");
		tap_is_str(o.msg, want, "the error says so");
		plan.bounding = self.bnd;
		plan.permitted = plan.effective = BIT(missing);
		o = in_child(do_drop);
		tap_is_int(o.ret, -EPERM, "also when asked in the permitted set");
	} else if (priv) {
		o = in_child(do_drop_then_ask);
		tap_is_int(o.ret, -EPERM, "after dropping CAP_SYS_RESOURCE, asking for it is an error");
		tap_is_str(o.msg, "capability CAP_SYS_RESOURCE: not in the bounding set of nsbox",
			   "the error says so");
		tap_ok(!(o.bnd & BIT(CAP_SYS_RESOURCE)), "CAP_SYS_RESOURCE was dropped");
	} else {
		tap_diag("full bounding set and no CAP_SETPCAP: checking the drop error instead");
		plan.bounding = self.bnd & ~BIT(CAP_SYS_RESOURCE);
		o = in_child(do_drop);
		tap_is_int(o.ret, -EPERM, "dropping without CAP_SETPCAP fails");
		tap_is_str(o.msg, "drop capability CAP_SYS_RESOURCE from the bounding set: "
			   "Operation not permitted (needs CAP_SETPCAP)", "the error says so");
		tap_is_u64(o.bnd, self.bnd, "the bounding set is unchanged");
	}
}

static void test_privileged(struct outcome self)
{
	uint64_t keep = BIT(CAP_CHOWN) | BIT(CAP_KILL) | BIT(CAP_SETUID) | BIT(CAP_SETGID) |
			BIT(CAP_SETPCAP) | BIT(CAP_NET_BIND_SERVICE);
	struct outcome o;

	memset(&plan, 0, sizeof(plan));
	plan.set = true;
	plan.bounding = keep & self.bnd;
	o = in_child(do_drop);
	tap_is_int(o.ret, 0, "drop the bounding set to six capabilities");
	tap_is_str(o.msg, "", "no message");
	tap_is_u64(o.bnd, keep & self.bnd, "exactly those are left in the bounding set");
	tap_is_u64(o.eff, self.eff, "the effective set is untouched by the drop");

	plan.permitted = BIT(CAP_CHOWN) | BIT(CAP_KILL) | BIT(CAP_SETPCAP);
	plan.effective = BIT(CAP_CHOWN) | BIT(CAP_SETPCAP);
	plan.inheritable = BIT(CAP_CHOWN);
	plan.ambient = BIT(CAP_CHOWN) | BIT(CAP_KILL);   /* KILL is not inheritable */
	o = in_child(do_drop_apply);
	tap_is_int(o.ret, 0, "apply the sets after the drop");
	tap_is_str(o.msg, "", "no message");
	tap_is_u64(o.prm, plan.permitted, "permitted set read back");
	tap_is_u64(o.eff, plan.effective, "effective set read back");
	tap_is_u64(o.inh, plan.inheritable, "inheritable set read back");
	tap_is_u64(o.amb, BIT(CAP_CHOWN), "ambient: CAP_CHOWN raised, CAP_KILL (not inheritable) left out");
	tap_is_u64(o.bnd, plan.bounding, "bounding set as planned");

	memset(&plan, 0, sizeof(plan));
	plan.set = true;
	plan.bounding = self.bnd;
	plan.permitted = plan.effective = BIT(CAP_CHOWN) | BIT(CAP_DAC_OVERRIDE);
	if (id_mapped("/proc/self/uid_map", 65534) && id_mapped("/proc/self/gid_map", 65534)) {
		o = in_child(do_setuid_keep);
		tap_is_int(o.ret, 0, "keepcaps, setuid(65534), apply");
		tap_is_int(o.uid, 65534, "the child is uid 65534");
		tap_is_u64(o.prm, plan.permitted, "permitted set kept across setuid");
		tap_is_u64(o.eff, plan.effective, "effective set restored after setuid");

		o = in_child(do_setuid_nokeep);
		tap_is_int(o.ret, -EPERM, "without keepcaps setuid loses the permitted set");
		tap_is_str(o.msg, "capability CAP_CHOWN: not in the permitted set of nsbox",
			   "the error names the first capability");
	} else {
		tap_diag("uid 65534 is not mapped here: applying without a uid change");
		o = in_child(do_apply);
		tap_is_int(o.ret, 0, "apply a subset");
		tap_is_u64(o.prm, plan.permitted, "permitted set read back");
		tap_is_u64(o.eff, plan.effective, "effective set read back");
	}

	memset(&plan, 0, sizeof(plan));
	plan.set = true;
	plan.bounding = self.bnd;
	o = in_child(do_apply);
	tap_is_int(o.ret, 0, "apply empty sets");
	tap_is_u64(o.eff | o.prm | o.inh | o.amb, 0, "all four sets are empty");
}

static void test_unprivileged(struct outcome self)
{
	struct outcome o;

	memset(&plan, 0, sizeof(plan));
	plan.set = true;
	plan.bounding = self.bnd & ~BIT(CAP_CHOWN);
	o = in_child(do_drop);
	tap_is_int(o.ret, -EPERM, "unprivileged: dropping a bounding capability fails");
	tap_is_str(o.msg, "drop capability CAP_CHOWN from the bounding set: Operation not permitted "
		   "(needs CAP_SETPCAP)", "the error names it and the missing privilege");

	plan.bounding = self.bnd;
	plan.permitted = plan.effective = BIT(CAP_CHOWN);
	o = in_child(do_apply);
	tap_is_int(o.ret, -EPERM, "unprivileged: asking for a capability we lack fails");
	tap_is_str(o.msg, self.bnd & BIT(CAP_CHOWN) ?
		   "capability CAP_CHOWN: not in the permitted set of nsbox" :
		   "capability CAP_CHOWN: not in the bounding set of nsbox", "the error names it");

	memset(&plan, 0, sizeof(plan));
	plan.set = true;
	plan.bounding = self.bnd;
	o = in_child(do_apply);
	tap_is_int(o.ret, 0, "unprivileged: applying empty sets works");
	tap_is_u64(o.eff | o.prm | o.inh | o.amb, 0, "all four sets are empty");
}

static int do_nothing(struct nb_error *err)
{
	return 0;
}

int main(void)
{
	struct outcome self = in_child(do_nothing);
	int last = nb_caps_last_cap();
	bool priv = have_effective(self.eff, CAP_SETPCAP) && have_effective(self.eff, CAP_SETUID) &&
		    have_effective(self.eff, CAP_SETGID);

	tap_is_int(self.ret, 0, "read this process's capabilities");
	tap_diag("mode: %s", priv ? "privileged (CAP_SETPCAP, CAP_SETUID, CAP_SETGID): sets are "
		 "changed and read back" : "unprivileged: the error paths are checked");
	tap_ok((self.bnd & ~all_caps(last)) == 0, "bounding set within the kernel's capabilities");
	test_pure(self, last);
	test_missing_bound(self, priv, last);
	if (priv)
		test_privileged(self);
	else
		test_unprivileged(self);
	return tap_done();
}
