/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for linux/procattr.c. Each plan is applied in a forked child,
 * which sends back the return value, the error message and the attributes
 * as it then reads them. What needs a privilege (raising a hard rlimit,
 * lowering oom_score_adj: CAP_SYS_RESOURCE) is expected to work with it
 * and to fail with a clear message without it; both are checked outcomes.
 */
#include "base/cleanup.h"
#include "base/fileutil.h"
#include "linux/procattr.h"
#include "linux/procfs.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/ioprio.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct outcome {
	int ret;
	char msg[NB_ERROR_MSG_MAX];
	long umask, personality, ioprio, policy, nice, nnp, oom;
	struct rlimit nofile, core;
};

static void read_state(struct outcome *out)
{
	char buf[32];
	mode_t m = umask(0);

	umask(m);
	out->umask = (long)m;
	out->personality = personality(0xffffffff);
	out->ioprio = syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, 0);
	out->policy = sched_getscheduler(0);
	errno = 0;
	out->nice = getpriority(PRIO_PROCESS, 0);
	out->nnp = prctl(PR_GET_NO_NEW_PRIVS, 0L, 0L, 0L, 0L);
	out->oom = nb_read_file_at(AT_FDCWD, "/proc/self/oom_score_adj", buf, sizeof(buf)) > 0 ?
		   strtol(buf, NULL, 10) : -9999;
	getrlimit(RLIMIT_NOFILE, &out->nofile);
	getrlimit(RLIMIT_CORE, &out->core);
}

/* The plan the child applies; PREPARE runs first in the child, if set. */
static struct nb_security plan;
static struct nb_rlimit limits[4];
static void (*prepare)(void);

static void plan_reset(void)
{
	memset(&plan, 0, sizeof(plan));
	memset(limits, 0, sizeof(limits));
	plan.rlimits = limits;
	prepare = NULL;
}

static struct outcome in_child(int (*fn)(struct nb_error *err))
{
	struct outcome out;
	int pfd[2], status = 0;
	ssize_t n = -1;
	pid_t pid;

	memset(&out, 0, sizeof(out));
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return out;
	pid = fork();
	if (pid == 0) {
		struct nb_error err;

		nb_error_clear(&err);
		if (prepare)
			prepare();
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
		out.ret = -9999;
	}
	return out;
}

static int do_apply(struct nb_error *err)
{
	int procfd = -1;
	int r = nb_procfs_open("/proc", &procfd, err);

	if (r >= 0 && plan.has_oom_score_adj)
		r = nb_procattr_set_oom_score_adj(procfd, 0, plan.oom_score_adj, err);
	if (r >= 0)
		r = nb_procattr_apply(&plan, procfd, err);
	if (procfd >= 0)
		close(procfd);
	return r;
}

static int do_nnp(struct nb_error *err)
{
	return nb_no_new_privs(err);
}

static bool have_cap(cap_value_t cap)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t c = cap_get_proc();

	if (c) {
		cap_get_flag(c, cap, CAP_EFFECTIVE, &v);
		cap_free(c);
	}
	return v == CAP_SET;
}

static void test_nothing(void)
{
	struct outcome self, o;

	plan_reset();
	self = in_child(do_apply);
	tap_is_int(self.ret, 0, "an empty plan applies");
	o = in_child(do_apply);
	tap_is_int(o.umask, self.umask, "umask untouched");
	tap_is_int(o.nnp, 0, "no_new_privs not set");
}

static void test_basic(void)
{
	struct outcome o;

	plan_reset();
	plan.has_umask = true;
	plan.umask = 027;
	plan.has_personality = true;
	plan.personality = PER_LINUX | ADDR_NO_RANDOMIZE;
	plan.has_oom_score_adj = true;
	plan.oom_score_adj = 500;
	plan.has_ioprio = true;
	plan.ioprio_class = IOPRIO_CLASS_BE;
	plan.ioprio_level = 7;
	plan.has_scheduler = true;
	plan.sched_policy = SCHED_BATCH;
	plan.sched_nice = 5;
	limits[0] = (struct nb_rlimit){ RLIMIT_NOFILE, 100, 200 };
	limits[1] = (struct nb_rlimit){ RLIMIT_CORE, 0, 0 };
	plan.n_rlimits = 2;
	o = in_child(do_apply);
	tap_is_int(o.ret, 0, "apply umask, personality, oom, ioprio, rlimits, scheduler");
	tap_is_str(o.msg, "", "no message");
	tap_is_int(o.umask, 027, "umask 027");
	tap_is_int(o.personality, PER_LINUX | ADDR_NO_RANDOMIZE, "personality ADDR_NO_RANDOMIZE");
	tap_is_int(o.oom, 500, "oom_score_adj 500");
	tap_is_int(o.ioprio, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 7), "ioprio best-effort level 7");
	tap_is_int((long long)o.nofile.rlim_cur, 100, "RLIMIT_NOFILE soft 100");
	tap_is_int((long long)o.nofile.rlim_max, 200, "RLIMIT_NOFILE hard 200");
	tap_is_int((long long)o.core.rlim_max, 0, "RLIMIT_CORE hard 0");
	tap_is_int(o.policy, SCHED_BATCH, "scheduler SCHED_BATCH");
	tap_is_int(o.nice, 5, "nice 5");

	plan_reset();
	plan.has_scheduler = true;
	plan.sched_policy = SCHED_IDLE;
	o = in_child(do_apply);
	tap_is_int(o.ret, 0, "scheduler SCHED_IDLE");
	tap_is_int(o.policy, SCHED_IDLE, "read back SCHED_IDLE");
}

static void test_errors(void)
{
	struct outcome o;

	plan_reset();
	limits[0] = (struct nb_rlimit){ RLIMIT_NOFILE, 300, 200 };
	plan.n_rlimits = 1;
	o = in_child(do_apply);
	tap_is_int(o.ret, -EINVAL, "soft above hard is refused");
	tap_is_str(o.msg, "rlimit RLIMIT_NOFILE 300/200: Invalid argument", "the error names the limit");

	plan_reset();
	limits[0] = (struct nb_rlimit){ RLIMIT_CORE, (uint64_t)RLIM_INFINITY, 0 };
	plan.n_rlimits = 1;
	o = in_child(do_apply);
	tap_is_str(o.msg, "rlimit RLIMIT_CORE unlimited/0: Invalid argument", "unlimited is named so");

	plan_reset();
	plan.has_scheduler = true;
	plan.sched_policy = SCHED_DEADLINE;
	plan.sched_runtime = 2000000;
	plan.sched_deadline = 1000000;
	plan.sched_period = 3000000;
	o = in_child(do_apply);
	tap_is_int(o.ret, -EINVAL, "SCHED_DEADLINE with runtime above deadline is refused");
	tap_is_str(o.msg, "scheduler SCHED_DEADLINE: Invalid argument", "the error names the policy");

	plan_reset();
	plan.has_ioprio = true;
	plan.ioprio_class = 7;
	plan.ioprio_level = 0;
	o = in_child(do_apply);
	tap_is_int(o.ret, -EINVAL, "an unknown ioprio class is refused");
	tap_is_str(o.msg, "ioprio IOPRIO_CLASS_? level 0: Invalid argument", "the error says ioprio");
}

static bool file_starts_with(const char *path, const char *prefix)
{
	char buf[64];

	return nb_read_file_at(AT_FDCWD, path, buf, sizeof(buf)) >= 0 && nb_startswith(buf, prefix);
}

static void lower_nofile(void)
{
	struct rlimit rl = { 512, 512 };

	setrlimit(RLIMIT_NOFILE, &rl);
}

/* Rlimits and oom_score_adj ask for CAP_SYS_RESOURCE in the initial user
 * namespace, whose uid_map is the identity over all ids. */
static bool in_initial_userns(void)
{
	return file_starts_with("/proc/self/uid_map", "         0          0 4294967295");
}

static void test_privileged(void)
{
	bool resource = have_cap(CAP_SYS_RESOURCE) && in_initial_userns();
	struct outcome o;

	tap_diag("CAP_SYS_RESOURCE in the initial user namespace: %s", resource ? "yes, raising works" : "no, raising fails");

	plan_reset();
	prepare = lower_nofile;
	limits[0] = (struct nb_rlimit){ RLIMIT_NOFILE, 1024, 1024 };
	plan.n_rlimits = 1;
	o = in_child(do_apply);
	if (resource) {
		tap_is_int(o.ret, 0, "raise the hard RLIMIT_NOFILE with CAP_SYS_RESOURCE");
		tap_is_int((long long)o.nofile.rlim_max, 1024, "hard limit 1024");
	} else {
		tap_is_int(o.ret, -EPERM, "raising the hard RLIMIT_NOFILE fails without CAP_SYS_RESOURCE");
		tap_is_str(o.msg, "rlimit RLIMIT_NOFILE 1024/1024: Operation not permitted (above the "
			   "current hard limit 512; raising it needs CAP_SYS_RESOURCE)", "the error says why");
	}

	plan_reset();
	plan.has_oom_score_adj = true;
	plan.oom_score_adj = -1000;
	o = in_child(do_apply);
	if (resource) {
		tap_is_int(o.ret, 0, "lower oom_score_adj with CAP_SYS_RESOURCE");
		tap_is_int(o.oom, -1000, "oom_score_adj -1000");
	} else {
		tap_is_int(o.ret, -EACCES, "lowering oom_score_adj fails without CAP_SYS_RESOURCE");
		tap_is_str(o.msg, "oom_score_adj -1000: Permission denied (lowering it needs "
			   "CAP_SYS_RESOURCE)", "the error says why");
	}
}

static void test_lsm(void)
{
	bool apparmor = file_starts_with("/sys/module/apparmor/parameters/enabled", "Y");
	bool selinux = access("/sys/fs/selinux", F_OK) == 0;
	struct nb_error err;
	struct outcome o;

	plan_reset();
	tap_is_int(nb_procattr_check_lsm(&plan, &err), 0, "no LSM label: nothing to check");

	plan.apparmor_profile = (char *)"nsbox-test-no-such-profile";
	o = in_child(do_apply);
	if (!apparmor) {
		tap_is_int(o.ret, -EOPNOTSUPP, "an AppArmor profile without AppArmor is an error");
		tap_is_str(o.msg, "process.apparmorProfile: AppArmor is not enabled on this host",
			   "the error says so");
	} else {
		tap_diag("AppArmor is enabled here");
		tap_ok(o.ret == 0 || !strstr(o.msg, "not enabled"), "AppArmor is not reported missing: %s",
		       o.msg);
	}

	plan_reset();
	plan.selinux_label = (char *)"system_u:system_r:nsbox_test_t:s0";
	o = in_child(do_apply);
	if (!selinux) {
		tap_is_int(o.ret, -EOPNOTSUPP, "an SELinux label without SELinux is an error");
		tap_is_str(o.msg, "process.selinuxLabel: SELinux is not enabled on this host",
			   "the error says so");
	} else {
		tap_diag("SELinux is enabled here");
		tap_ok(o.ret == 0 || !strstr(o.msg, "not enabled"), "SELinux is not reported missing: %s",
		       o.msg);
	}
}

static void test_nnp(void)
{
	struct outcome o = in_child(do_nnp);

	tap_is_int(o.ret, 0, "nb_no_new_privs");
	tap_is_int(o.nnp, 1, "PR_GET_NO_NEW_PRIVS is 1");
}

int main(void)
{
	test_nothing();
	test_basic();
	test_errors();
	test_privileged();
	test_lsm();
	test_nnp();
	return tap_done();
}
