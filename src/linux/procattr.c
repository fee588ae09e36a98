/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/procattr.h"
#include "base/cleanup.h"
#include "base/fileutil.h"
#include "linux/procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/ioprio.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* struct sched_attr of <linux/sched/types.h> (SCHED_ATTR_SIZE_VER1), under
 * our own name: newer glibc defines one in <sched.h> too. */
struct nb_sched_attr {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
	uint32_t sched_util_min;
	uint32_t sched_util_max;
};

static const char *rlimit_name(int resource)
{
	static const char *const names[] = {
		[RLIMIT_CPU] = "RLIMIT_CPU", [RLIMIT_FSIZE] = "RLIMIT_FSIZE",
		[RLIMIT_DATA] = "RLIMIT_DATA", [RLIMIT_STACK] = "RLIMIT_STACK",
		[RLIMIT_CORE] = "RLIMIT_CORE", [RLIMIT_RSS] = "RLIMIT_RSS",
		[RLIMIT_NPROC] = "RLIMIT_NPROC", [RLIMIT_NOFILE] = "RLIMIT_NOFILE",
		[RLIMIT_MEMLOCK] = "RLIMIT_MEMLOCK", [RLIMIT_AS] = "RLIMIT_AS",
		[RLIMIT_LOCKS] = "RLIMIT_LOCKS", [RLIMIT_SIGPENDING] = "RLIMIT_SIGPENDING",
		[RLIMIT_MSGQUEUE] = "RLIMIT_MSGQUEUE", [RLIMIT_NICE] = "RLIMIT_NICE",
		[RLIMIT_RTPRIO] = "RLIMIT_RTPRIO", [RLIMIT_RTTIME] = "RLIMIT_RTTIME",
	};

	if (resource >= 0 && (size_t)resource < NB_ARRAY_SIZE(names) && names[resource])
		return names[resource];
	return "RLIMIT_?";
}

static const char *sched_policy_name(int policy)
{
	static const char *const names[] = {
		"SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH", "SCHED_ISO",
		"SCHED_IDLE", "SCHED_DEADLINE",
	};

	return policy >= 0 && (size_t)policy < NB_ARRAY_SIZE(names) ? names[policy] : "SCHED_?";
}

static const char *ioprio_class_name(int cls)
{
	static const char *const names[] = {
		"IOPRIO_CLASS_NONE", "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE",
	};

	return cls >= 0 && (size_t)cls < NB_ARRAY_SIZE(names) ? names[cls] : "IOPRIO_CLASS_?";
}

/* "unlimited" or the number, into BUF. */
static const char *limit_str(uint64_t v, char *buf, size_t size)
{
	if (v == (uint64_t)RLIM_INFINITY)
		return "unlimited";
	snprintf(buf, size, "%" PRIu64, v);
	return buf;
}

static int apply_rlimit(const struct nb_rlimit *rl, int procfd, struct nb_error *err)
{
	struct rlimit want = { .rlim_cur = (rlim_t)rl->soft, .rlim_max = (rlim_t)rl->hard };
	struct rlimit cur;
	char soft_buf[24], hard_buf[24], old[24];
	const char *soft, *hard;
	int e;

	if (setrlimit(rl->resource, &want) == 0)
		return 0;
	e = errno;
	soft = limit_str(rl->soft, soft_buf, sizeof(soft_buf));
	hard = limit_str(rl->hard, hard_buf, sizeof(hard_buf));
	if (e == EPERM && getrlimit(rl->resource, &cur) == 0) {
		char nr_open[32] = "";

		if (rl->hard > (uint64_t)cur.rlim_max)
			return nb_error_set(err, e, "rlimit %s %s/%s: %s (above the current hard limit %s; "
					    "raising it needs CAP_SYS_RESOURCE)", rlimit_name(rl->resource),
					    soft, hard, strerror(e),
					    limit_str((uint64_t)cur.rlim_max, old, sizeof(old)));
		if (rl->resource == RLIMIT_NOFILE &&
		    nb_procfs_read(procfd, "sys/fs/nr_open", nr_open, sizeof(nr_open)) > 0) {
			nr_open[strcspn(nr_open, "\n")] = '\0';
			return nb_error_set(err, e, "rlimit %s %s/%s: %s (the most is fs.nr_open, %s)",
					    rlimit_name(rl->resource), soft, hard, strerror(e), nr_open);
		}
	}
	return nb_error_sys(err, e, "rlimit %s %s/%s", rlimit_name(rl->resource), soft, hard);
}

int nb_procattr_set_oom_score_adj(int procfd, pid_t pid, int value, struct nb_error *err)
{
	char buf[16], path[48];
	int n = snprintf(buf, sizeof(buf), "%d", value);
	int r;

	if (pid > 0)
		snprintf(path, sizeof(path), "%d/oom_score_adj", (int)pid);
	else
		snprintf(path, sizeof(path), "self/oom_score_adj");
	r = nb_procfs_write(procfd, path, buf, (size_t)n);
	if (r == -EACCES)
		return nb_error_set(err, EACCES, "oom_score_adj %d: %s (lowering it needs "
				    "CAP_SYS_RESOURCE)", value, strerror(EACCES));
	if (r < 0)
		return nb_error_sys(err, -r, "oom_score_adj %d: write /proc/%s", value, path);
	return 0;
}

static int apply_ioprio(int cls, int level, struct nb_error *err)
{
	if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(cls, level)) < 0)
		return nb_error_errno(err, "ioprio %s level %d", ioprio_class_name(cls), level);
	return 0;
}

static int apply_scheduler(const struct nb_security *sec, struct nb_error *err)
{
	struct nb_sched_attr attr = {
		.size = sizeof(attr),
		.sched_policy = (uint32_t)sec->sched_policy,
		.sched_flags = sec->sched_flags,
		.sched_nice = sec->sched_nice,
		.sched_priority = (uint32_t)sec->sched_priority,
		.sched_runtime = sec->sched_runtime,
		.sched_deadline = sec->sched_deadline,
		.sched_period = sec->sched_period,
	};

	if (syscall(SYS_sched_setattr, 0, &attr, 0) < 0)
		return nb_error_errno(err, "scheduler %s", sched_policy_name(sec->sched_policy));
	return 0;
}

/* Cached answers of the LSM probes: -1 not probed yet, 0 off, 1 on,
 * 2 unknown (neither /proc nor /sys tells). Inherited by a forked child. */
static int apparmor_state = -1;
static int selinux_state = -1;

static bool path_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static int probe_apparmor(void)
{
	char buf[256];
	ssize_t n;

	/* Linux 5.1+: AppArmor's own attr directory answers a read only when
	 * AppArmor is active; otherwise the LSM layer says EINVAL. */
	n = nb_read_file_at(AT_FDCWD, "/proc/thread-self/attr/apparmor/current", buf, sizeof(buf));
	if (n >= 0)
		return 1;
	if (n == -EINVAL)
		return 0;
	n = nb_read_file_at(AT_FDCWD, "/sys/module/apparmor/parameters/enabled", buf, sizeof(buf));
	if (n > 0)
		return buf[0] == 'Y';
	if (path_exists("/sys/kernel/security/apparmor"))
		return 1;
	n = nb_read_file_at(AT_FDCWD, "/sys/kernel/security/lsm", buf, sizeof(buf));
	if (n >= 0)
		return strstr(buf, "apparmor") != NULL;
	/* No AppArmor module in a mounted sysfs: not built in. */
	if (path_exists("/sys/module"))
		return 0;
	return 2;
}

static int probe_selinux(void)
{
	char buf[4096];
	ssize_t n;

	/* selinuxfs is registered only when SELinux is enabled. */
	n = nb_read_file_at(AT_FDCWD, "/proc/filesystems", buf, sizeof(buf));
	if (n > 0)
		return strstr(buf, "\tselinuxfs\n") != NULL;
	if (path_exists("/sys/fs/selinux"))
		return 1;
	if (path_exists("/sys/fs"))
		return 0;
	return 2;
}

int nb_procattr_check_lsm(const struct nb_security *sec, struct nb_error *err)
{
	if (sec->apparmor_profile) {
		if (apparmor_state < 0)
			apparmor_state = probe_apparmor();
		if (apparmor_state == 0)
			return nb_error_set(err, EOPNOTSUPP,
					    "process.apparmorProfile: AppArmor is not enabled on this host");
	}
	if (sec->selinux_label) {
		if (selinux_state < 0)
			selinux_state = probe_selinux();
		if (selinux_state == 0)
			return nb_error_set(err, EOPNOTSUPP,
					    "process.selinuxLabel: SELinux is not enabled on this host");
	}
	return 0;
}

/* Open PATH and write BUF in one write(2), as an LSM attr file wants.
 * *RET_OPEN_FAILED tells an open error from a write error. */
static int write_attr(int procfd, const char *path, const char *buf, bool *ret_open_failed)
{
	_cleanup_close_ int fd = nb_procfs_openat(procfd, path, O_WRONLY);
	size_t len = strlen(buf);
	ssize_t n;

	*ret_open_failed = fd < 0;
	if (fd < 0)
		return fd;
	n = write(fd, buf, len);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

static int apply_apparmor(const char *profile, int procfd, struct nb_error *err)
{
	const char *path = "thread-self/attr/apparmor/exec";
	_cleanup_free_ char *buf = NULL;
	bool open_failed;
	int r;

	if (asprintf(&buf, "exec %s", profile) < 0) {
		buf = NULL;
		return nb_error_set(err, ENOMEM, "out of memory");
	}
	r = write_attr(procfd, path, buf, &open_failed);
	if (r == -ENOENT && open_failed) {
		path = "thread-self/attr/exec";   /* before Linux 5.1 */
		r = write_attr(procfd, path, buf, &open_failed);
	}
	if (r == 0)
		return 0;
	if (apparmor_state == 2 && (r == -EINVAL || (open_failed && r == -ENOENT)))
		return nb_error_set(err, EOPNOTSUPP,
				    "process.apparmorProfile: AppArmor is not enabled on this host");
	if (r == -ENOENT && !open_failed)
		return nb_error_set(err, ENOENT, "process.apparmorProfile '%s': no such profile is loaded",
				    profile);
	return nb_error_sys(err, -r, "process.apparmorProfile '%s': write /proc/%s", profile, path);
}

static int apply_selinux(const char *label, int procfd, struct nb_error *err)
{
	const char *path = "thread-self/attr/exec";
	bool open_failed;
	int r = write_attr(procfd, path, label, &open_failed);

	if (r == 0)
		return 0;
	if (selinux_state == 2 && (r == -EINVAL || (open_failed && r == -ENOENT)))
		return nb_error_set(err, EOPNOTSUPP,
				    "process.selinuxLabel: SELinux is not enabled on this host");
	return nb_error_sys(err, -r, "process.selinuxLabel '%s': write /proc/%s", label, path);
}

int nb_procattr_apply(const struct nb_security *sec, int procfd, struct nb_error *err)
{
	int r;

	if (sec->has_umask)
		umask(sec->umask & 0777);
	if (sec->has_personality && personality(sec->personality) < 0)
		return nb_error_errno(err, "personality 0x%lx", sec->personality);
	r = nb_procattr_check_lsm(sec, err);
	if (r < 0)
		return r;
	if (sec->apparmor_profile) {
		r = apply_apparmor(sec->apparmor_profile, procfd, err);
		if (r < 0)
			return r;
	}
	if (sec->selinux_label) {
		r = apply_selinux(sec->selinux_label, procfd, err);
		if (r < 0)
			return r;
	}
	if (sec->has_ioprio) {
		r = apply_ioprio(sec->ioprio_class, sec->ioprio_level, err);
		if (r < 0)
			return r;
	}
	/* rlimits before the scheduler: RLIMIT_RTPRIO and RLIMIT_NICE decide
	 * what an unprivileged process may ask of it. */
	for (size_t i = 0; i < sec->n_rlimits; i++) {
		r = apply_rlimit(&sec->rlimits[i], procfd, err);
		if (r < 0)
			return r;
	}
	if (sec->has_scheduler) {
		r = apply_scheduler(sec, err);
		if (r < 0)
			return r;
	}
	return 0;
}

int nb_no_new_privs(struct nb_error *err)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return nb_error_errno(err, "set no_new_privs");
	return 0;
}
