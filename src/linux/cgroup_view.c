/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/cgroup_view.h"
#include "base/cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

void nb_cgroup_view_init(struct nb_cgroup_view *v)
{
	memset(v, 0, sizeof(*v));
}

void nb_cgroup_view_close(struct nb_cgroup_view *v)
{
	for (int i = 0; i < v->n; i++)
		nb_closep(&v->tree[i]);
	v->n = 0;
}

static int view_add(struct nb_cgroup_view *v, int leaf, const char *name, struct nb_error *err)
{
	int tree = open_tree(leaf, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);

	if (tree < 0)
		return nb_error_errno(err, "cgroup view: clone '%s'", name[0] ? name : "/");
	v->tree[v->n] = tree;
	snprintf(v->name[v->n], sizeof(v->name[v->n]), "%s", name);
	v->n++;
	return 0;
}

int nb_cgroup_view_open(const struct nb_cgroup *cg, struct nb_cgroup_view *v, struct nb_error *err)
{
	int r = 0;

	nb_cgroup_view_init(v);
	v->v2 = cg->layout == NB_CG_LAYOUT_V2;
	if (v->v2)
		return view_add(v, cg->v2fd, "", err);
	for (int c = 0; r >= 0 && c < NB_CG_COUNT; c++) {
		int d;

		if (cg->fd[c] < 0 || cg->fd[c] == cg->v2fd || !cg->v1name[c][0])
			continue;
		for (d = 0; d < c && cg->fd[d] != cg->fd[c]; d++)
			;
		if (d == c)
			r = view_add(v, cg->fd[c], cg->v1name[c], err);
	}
	if (r >= 0 && cg->v2fd >= 0)
		r = view_add(v, cg->v2fd, "unified", err);
	if (r >= 0 && cg->named_fd >= 0)
		r = view_add(v, cg->named_fd, cg->named_dir, err);
	if (r < 0)
		nb_cgroup_view_close(v);
	return r;
}

static int attach(int tree, int dirfd, const char *name, unsigned attrs, struct nb_error *err)
{
	struct mount_attr attr = { .attr_set = attrs };

	if (mount_setattr(tree, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
		return nb_error_errno(err, "cgroup view '%s': attributes", name);
	if (move_mount(tree, "", dirfd, name, MOVE_MOUNT_F_EMPTY_PATH | (name[0] ? 0 : MOVE_MOUNT_T_EMPTY_PATH)) < 0)
		return nb_error_errno(err, "cgroup view '%s': attach", name);
	return 0;
}

/* "cpu,cpuacct" gets "cpu" and "cpuacct" beside it. */
static void comount_links(int dirfd, const char *name)
{
	char copy[32], *save = NULL;

	if (!strchr(name, ','))
		return;
	snprintf(copy, sizeof(copy), "%s", name);
	for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save))
		symlinkat(name, dirfd, w);
}

/* The tmpfs that holds the v1 trees, attached on TARGET; its fd in *RET. */
static int v1_base(int target, unsigned attrs, int *ret, struct nb_error *err)
{
	_cleanup_close_ int fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
	int mnt;

	if (fs < 0 || fsconfig(fs, FSCONFIG_SET_STRING, "mode", "755", 0) < 0 ||
	    fsconfig(fs, FSCONFIG_SET_STRING, "source", "tmpfs", 0) < 0 ||
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return nb_error_errno(err, "cgroup view: tmpfs");
	mnt = fsmount(fs, FSMOUNT_CLOEXEC, attrs & ~MOUNT_ATTR_RDONLY);
	if (mnt < 0)
		return nb_error_errno(err, "cgroup view: tmpfs");
	if (move_mount(mnt, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0) {
		close(mnt);
		return nb_error_errno(err, "cgroup view: attach tmpfs");
	}
	*ret = mnt;
	return 0;
}

int nb_cgroup_view_attach(const struct nb_cgroup_view *v, int target, unsigned attrs,
			  struct nb_error *err)
{
	struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY };
	_cleanup_close_ int base = -1;
	int r;

	if (v->v2)
		return attach(v->tree[0], target, "", attrs, err);
	r = v1_base(target, attrs, &base, err);
	for (int i = 0; r >= 0 && i < v->n; i++) {
		if (mkdirat(base, v->name[i], 0555) < 0)
			return nb_error_errno(err, "cgroup view: mkdir '%s'", v->name[i]);
		r = attach(v->tree[i], base, v->name[i], attrs, err);
		comount_links(base, v->name[i]);
	}
	if (r >= 0 && (attrs & MOUNT_ATTR_RDONLY) &&
	    mount_setattr(base, "", AT_EMPTY_PATH, &ro, sizeof(ro)) < 0)
		r = nb_error_errno(err, "cgroup view: read-only");
	return r;
}
