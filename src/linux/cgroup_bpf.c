/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/cgroup_bpf.h"
#include "base/cleanup.h"
#include "linux/bpf_load.h"
/* After bpf/devices_match.h (from linux/cgroup_bpf.h): its struct. */
#include "bpf/devices.skel.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

static int check_rule(const struct nb_device_rule *r, size_t i, struct nb_dev_rule *m,
		      struct nb_error *err)
{
	const char *a;

	memset(m, 0, sizeof(*m));
	m->allow = r->allow;
	switch (r->type) {
	case 'a': m->any |= NB_DEV_ANY_TYPE; break;
	case 'b': m->type = BPF_DEVCG_DEV_BLOCK; break;
	case 'c': m->type = BPF_DEVCG_DEV_CHAR; break;
	default:
		if (isgraph((unsigned char)r->type))
			return nb_error_set(err, EINVAL, "device rule %zu: type '%c' is not a, b or c",
					    i, r->type);
		return nb_error_set(err, EINVAL, "device rule %zu: type 0x%02x is not a, b or c", i,
				    (unsigned char)r->type);
	}
	if (r->major < -1 || r->major > UINT32_MAX)
		return nb_error_set(err, EINVAL, "device rule %zu: major %lld out of range", i,
				    (long long)r->major);
	if (r->minor < -1 || r->minor > UINT32_MAX)
		return nb_error_set(err, EINVAL, "device rule %zu: minor %lld out of range", i,
				    (long long)r->minor);
	if (r->major < 0)
		m->any |= NB_DEV_ANY_MAJOR;
	else
		m->major = (uint32_t)r->major;
	if (r->minor < 0)
		m->any |= NB_DEV_ANY_MINOR;
	else
		m->minor = (uint32_t)r->minor;
	for (a = r->access; a < r->access + sizeof(r->access) && *a; a++) {
		switch (*a) {
		case 'r': m->access |= BPF_DEVCG_ACC_READ; break;
		case 'w': m->access |= BPF_DEVCG_ACC_WRITE; break;
		case 'm': m->access |= BPF_DEVCG_ACC_MKNOD; break;
		default:
			return nb_error_set(err, EINVAL,
					    "device rule %zu: access '%.*s' is not made of r, w and m",
					    i, (int)sizeof(r->access), r->access);
		}
	}
	if (m->access == 0)
		m->access = NB_DEV_ACC_RWM;
	return 0;
}

static bool matches_all(const struct nb_dev_rule *m)
{
	return m->any == (NB_DEV_ANY_TYPE | NB_DEV_ANY_MAJOR | NB_DEV_ANY_MINOR) &&
	       m->access == NB_DEV_ACC_RWM;
}

int nb_cg_devices_rules(const struct nb_device_rule *rules, size_t n,
			struct nb_dev_rule out[NB_CG_DEV_MAX_RULES], struct nb_error *err)
{
	struct nb_dev_rule m;
	size_t i, first = 0;
	int r;

	/* Every rule is checked, those a match-all one makes moot too. */
	for (i = 0; i < n; i++) {
		if ((r = check_rule(&rules[i], i, &m, err)) < 0)
			return r;
		if (matches_all(&m))
			first = i;
	}
	if (n - first > NB_CG_DEV_MAX_RULES)
		return nb_error_set(err, E2BIG, "%zu device rules: a device program takes at most %d",
				    n - first, NB_CG_DEV_MAX_RULES);
	for (i = first; i < n; i++)
		(void)check_rule(&rules[i], i, &out[i - first], err);
	return (int)(n - first);
}

/* The skeleton of RULES, loaded: its program is ready to attach. */
static struct devices_bpf *load(const struct nb_device_rule *rules, size_t n,
				struct nb_error *err)
{
	struct devices_bpf *skel;
	int count, r;

	nb_bpf_quiet();
	if (!(skel = devices_bpf__open())) {
		nb_error_errno(err, "open device program");
		return NULL;
	}
	if ((count = nb_cg_devices_rules(rules, n, skel->rodata->nb_dev_rules, err)) < 0)
		goto fail;
	skel->rodata->nb_dev_n_rules = (uint32_t)count;
	r = nb_bpf_object_load(skel->obj, skel->progs.nsbox_dev, "load device program", err);
	if (r == 0)
		return skel;
fail:
	devices_bpf__destroy(skel);
	return NULL;
}

int nb_cg_devices_load(const struct nb_device_rule *rules, size_t n, struct nb_error *err)
{
	struct devices_bpf *skel = load(rules, n, err);
	int fd;

	if (!skel)
		return -err->code;
	fd = fcntl(bpf_program__fd(skel->progs.nsbox_dev), F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		nb_error_errno(err, "device program fd");
	devices_bpf__destroy(skel);
	return fd < 0 ? -err->code : fd;
}

static bool is_cgroup2(int dirfd)
{
	struct statfs s;

	return fstatfs(dirfd, &s) == 0 && s.f_type == CGROUP2_SUPER_MAGIC;
}

/* The ids of the device programs attached to the cgroup itself. */
static int query(int dirfd, uint32_t **ids, struct nb_error *err)
{
	uint32_t cap = 64;
	int tries;

	*ids = NULL;
	for (tries = 0; tries < 8; tries++) {
		LIBBPF_OPTS(bpf_prog_query_opts, q);
		uint32_t *p = realloc(*ids, cap * sizeof(**ids));
		int r;

		if (!p) {
			free(*ids);
			*ids = NULL;
			return nb_error_set(err, ENOMEM, "query device programs: out of memory");
		}
		*ids = p;
		q.prog_ids = *ids;
		q.prog_cnt = cap;
		if ((r = bpf_prog_query_opts(dirfd, BPF_CGROUP_DEVICE, &q)) == 0)
			return (int)q.prog_cnt;
		if (r != -ENOSPC) {
			free(*ids);
			*ids = NULL;
			return nb_error_sys(err, -r, "query device programs");
		}
		cap = q.prog_cnt + 8;   /* more were attached meanwhile */
	}
	free(*ids);
	*ids = NULL;
	return nb_error_set(err, EAGAIN, "query device programs: the list keeps growing");
}

/* An fd on program ID if it is one of ours, else -1 (also when it is gone,
 * or an LSM keeps us from it). */
static int open_if_ours(uint32_t id)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);
	_cleanup_close_ int fd = -1;

	if ((fd = bpf_prog_get_fd_by_id(id)) < 0)
		return -1;
	memset(&info, 0, sizeof(info));
	/* bpf_prog_get_info_by_fd() is libbpf 1.2; Debian 12 has 1.1. */
	if (bpf_obj_get_info_by_fd(fd, &info, &len) < 0 ||
	    info.type != BPF_PROG_TYPE_CGROUP_DEVICE ||
	    strncmp(info.name, NB_CG_DEV_PROG_NAME, sizeof(info.name)) != 0)
		return -1;
	return TAKE_FD(fd);
}

struct progs {
	int *fds;        /* ours */
	size_t n;
	size_t others;
};

static void progs_close(struct progs *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		close(p->fds[i]);
	free(p->fds);
	p->fds = NULL;
	p->n = 0;
}

static int find_ours(int dirfd, struct progs *p, struct nb_error *err)
{
	_cleanup_free_ uint32_t *ids = NULL;
	int i, count = query(dirfd, &ids, err);

	memset(p, 0, sizeof(*p));
	if (count < 0)
		return count;
	if (count > 0 && !(p->fds = calloc((size_t)count, sizeof(*p->fds))))
		return nb_error_set(err, ENOMEM, "query device programs: out of memory");
	for (i = 0; i < count; i++) {
		int fd = open_if_ours(ids[i]);

		if (fd >= 0)
			p->fds[p->n++] = fd;
		else
			p->others++;
	}
	return 0;
}

/* 0 or a negative errno. */
static int attach(int dirfd, int prog_fd, int replace_fd)
{
	LIBBPF_OPTS(bpf_prog_attach_opts, o, .flags = BPF_F_ALLOW_MULTI);

	if (replace_fd >= 0) {
		o.flags |= BPF_F_REPLACE;
		o.replace_prog_fd = replace_fd;
	}
	return bpf_prog_attach_opts(prog_fd, dirfd, BPF_CGROUP_DEVICE, &o);
}

static int detach(int dirfd, int prog_fd)
{
	return bpf_prog_detach2(prog_fd, dirfd, BPF_CGROUP_DEVICE);
}

static int check_dir(int dirfd, struct nb_error *err)
{
	if (!is_cgroup2(dirfd))
		return nb_error_set(err, ENOTDIR, "device programs: not a cgroup2 directory");
	return 0;
}

int nb_cg_devices_apply(int cgroup_dirfd, const struct nb_device_rule *rules, size_t n,
			struct nb_error *err)
{
	struct devices_bpf *skel;
	struct progs old;
	size_t i = 0;
	int fd, r;

	if ((r = check_dir(cgroup_dirfd, err)) < 0)
		return r;
	if (!(skel = load(rules, n, err)))
		return -err->code;
	fd = bpf_program__fd(skel->progs.nsbox_dev);
	if ((r = find_ours(cgroup_dirfd, &old, err)) < 0) {
		devices_bpf__destroy(skel);
		return r;
	}
	/* One of ours: swap it in place. ENOENT: it went meanwhile; EINVAL:
	 * no BPF_F_REPLACE (before 5.6). Then attach and detach. */
	r = -1;
	if (old.n == 1) {
		r = attach(cgroup_dirfd, fd, old.fds[0]);
		if (r == 0)
			i = 1;
		else if (r != -EINVAL && r != -ENOENT)
			goto fail;
	}
	if (r < 0 && (r = attach(cgroup_dirfd, fd, -1)) < 0)
		goto fail;
	/* Attached: the cgroup holds the program, the skeleton can go. */
	devices_bpf__destroy(skel);
	for (; i < old.n; i++) {
		if ((r = detach(cgroup_dirfd, old.fds[i])) < 0 && r != -ENOENT) {
			r = nb_error_sys(err, -r, "detach the previous device program");
			progs_close(&old);
			return r;
		}
	}
	progs_close(&old);
	return 0;
fail:
	devices_bpf__destroy(skel);
	progs_close(&old);
	if (r == -EPERM)   /* loading worked, so privilege is not what is missing */
		return nb_error_sys(err, -r, "attach device program (a program attached here or "
				    "above without BPF_F_ALLOW_MULTI allows no other)");
	return nb_error_sys(err, -r, "attach device program");
}

int nb_cg_devices_detach_all_ours(int cgroup_dirfd, struct nb_error *err)
{
	struct progs ours;
	size_t i, done = 0;
	int r;

	if ((r = check_dir(cgroup_dirfd, err)) < 0 || (r = find_ours(cgroup_dirfd, &ours, err)) < 0)
		return r;
	for (i = 0; i < ours.n; i++) {
		if ((r = detach(cgroup_dirfd, ours.fds[i])) == 0)
			done++;
		else if (r != -ENOENT) {
			r = nb_error_sys(err, -r, "detach device program");
			progs_close(&ours);
			return r;
		}
	}
	progs_close(&ours);
	return (int)done;
}

int nb_cg_devices_attached(int cgroup_dirfd, size_t *ours, size_t *others, struct nb_error *err)
{
	struct progs p;
	int r;

	if ((r = check_dir(cgroup_dirfd, err)) < 0 || (r = find_ours(cgroup_dirfd, &p, err)) < 0)
		return r;
	*ours = p.n;
	*others = p.others;
	progs_close(&p);
	return 0;
}
