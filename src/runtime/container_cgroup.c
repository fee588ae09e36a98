/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/container_cgroup.h"
#include "base/cleanup.h"
#include "linux/cgroup_stats.h"
#include "runtime/cgroups.h"
#include "runtime/container.h"

#include <errno.h>
#include <unistd.h>

/* The cgroup of the container ST, which must be in one of the states ok. */
static int open_cg(const struct nb_state *st, struct nb_cgroup *cg, struct nb_error *err)
{
	nb_cgroup_init(cg);
	if (!st->cgroup)
		return nb_error_set(err, ENOTSUP, "container '%s' has no cgroup of its own (a sandbox of "
				    "'nsbox run' without a limit, or rootless without a delegated cgroup)", st->id);
	return nb_cgroup_open(cg, st->cgroup, err);
}

/* Open ID exclusively; its status must be one of WANT (a mask of 1 << status). */
static int open_in(const char *root, const char *id, unsigned want, const char *words,
		   struct nb_state_handle *h, struct nb_state *st, struct nb_cgroup *cg, struct nb_error *err)
{
	_cleanup_close_ int rootfd = -1;
	enum nb_status status;
	int r = nb_container_open(root, id, true, &rootfd, h, st, err);

	if (r < 0)
		return r;
	status = nb_state_status(h, st);
	/* runc's words, which engines look for. */
	if (!(want & (1u << status)))
		r = nb_error_set(err, EINVAL, "container '%s': %s", id, words);
	if (r >= 0)
		r = open_cg(st, cg, err);
	if (r < 0) {
		nb_state_free(st);
		nb_state_handle_close(h);
	}
	return r;
}

static int freeze(const char *root, const char *id, bool on, struct nb_error *err)
{
	unsigned want = on ? (1u << NB_STATUS_CREATED) | (1u << NB_STATUS_RUNNING) : 1u << NB_STATUS_PAUSED;
	struct nb_state_handle h = { -1, -1 };
	struct nb_state st = { 0 };
	struct nb_cgroup cg;
	int r = open_in(root, id, want, on ? "container not running" : "container not paused", &h, &st, &cg, err);

	if (r < 0)
		return r;
	r = nb_cgroup_freeze(&cg, on, err);
	/* A freeze that did not settle leaves nothing half-frozen. */
	if (r < 0 && on) {
		struct nb_error ignored;

		nb_cgroup_freeze(&cg, false, &ignored);
	}
	nb_cgroup_close(&cg);
	nb_state_free(&st);
	nb_state_handle_close(&h);
	return r;
}

int nb_container_pause(const char *root, const char *id, struct nb_error *err)
{
	return freeze(root, id, true, err);
}

int nb_container_resume(const char *root, const char *id, struct nb_error *err)
{
	return freeze(root, id, false, err);
}

/* memory.checkBeforeUpdate: no limit below what the container uses now
 * (the kernel would reclaim, or OOM-kill, to get under it). */
static int check_usage(const struct nb_cgroup *cg, int64_t limit, struct nb_error *err)
{
	struct nb_cg_stats s;
	int r = nb_cgroup_stats(cg, &s, err);

	if (r < 0)
		return r;
	nb_cg_stats_free(&s);
	if (s.has_memory && (uint64_t)limit < s.mem_usage)
		return nb_error_set(err, EBUSY, "update: rejecting memory limit %lld below usage %llu",
				    (long long)limit, (unsigned long long)s.mem_usage);
	return 0;
}

int nb_container_update(const char *root, const char *id, const struct nb_resources *given,
			struct nb_strv *warnings, struct nb_error *err)
{
	struct nb_resources res = *given;
	unsigned want = (1u << NB_STATUS_CREATED) | (1u << NB_STATUS_RUNNING) | (1u << NB_STATUS_PAUSED);
	struct nb_state_handle h = { -1, -1 };
	struct nb_state st = { 0 };
	struct nb_cgroup cg;
	int r = open_in(root, id, want, "container not running", &h, &st, &cg, err);

	if (r < 0)
		return r;
	nb_cgroups_complete(&cg, &res);
	r = nb_resources_check(&res, "update", err);
	if (r >= 0 && res.memory_check_before_update == 1 && res.memory_limit > 0)
		r = check_usage(&cg, res.memory_limit, err);
	if (r >= 0)
		r = nb_cgroups_update(&cg, &res, warnings, err);
	nb_cgroup_close(&cg);
	nb_state_free(&st);
	nb_state_handle_close(&h);
	return r;
}

int nb_container_cgroup(const char *root, const char *id, struct nb_cgroup *cg, int *ret_pidfd,
			struct nb_error *err)
{
	struct nb_state_handle h = { -1, -1 };
	struct nb_state st = { 0 };
	_cleanup_close_ int rootfd = -1;
	int r = nb_container_open(root, id, false, &rootfd, &h, &st, err);

	*ret_pidfd = -1;
	nb_cgroup_init(cg);
	if (r >= 0 && nb_state_pidfd(&st, ret_pidfd) < 0)
		r = nb_error_set(err, ESRCH, "container '%s': container not running", id);
	if (r >= 0)
		r = open_cg(&st, cg, err);
	if (r < 0)
		nb_closep(ret_pidfd);
	nb_state_free(&st);
	nb_state_handle_close(&h);
	return r;
}
