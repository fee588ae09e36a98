/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/cgroup.h"
#include "linux/cgroup_tree.h"
#include "linux/cgroup_location.h"
#include "base/cleanup.h"
#include "base/fileutil.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#define CG_ROOT "/sys/fs/cgroup"
#define CG_UNIFIED CG_ROOT "/unified"
#define RMDIR_WAIT_MS 2000
/* A mount point (at most 127 bytes) and a path in it. */
#define FULL_MAX (4096 + 128)

/* Where this host attaches each controller. */
struct host {
	enum nb_cg_layout layout;
	const char *v2root;                 /* the cgroup2 mount, or NULL */
	char v1mount[NB_CG_COUNT][128];     /* the v1 hierarchy of a controller, or "" */
	bool on_v2[NB_CG_COUNT];
	char named[128];                    /* the v1 hierarchy name=systemd, or "" */
	int error;                          /* a file of the host unread: -errno, or 0 */
	char error_file[256];               /* which */
};

/* A file discover() could not read: the host is not known, and a cgroup
 * made or opened from that would miss hierarchies. */
static void host_error(struct host *h, const char *file, int r)
{
	if (h->error)
		return;
	h->error = r;
	snprintf(h->error_file, sizeof(h->error_file), "%s", file);
}

void nb_cgroup_init(struct nb_cgroup *cg)
{
	memset(cg, 0, sizeof(*cg));
	cg->v2fd = cg->named_fd = -1;
	for (int c = 0; c < NB_CG_COUNT; c++)
		cg->fd[c] = -1;
}

void nb_cgroup_close(struct nb_cgroup *cg)
{
	for (int c = 0; c < NB_CG_COUNT; c++) {
		if (cg->fd[c] >= 0 && cg->fd[c] != cg->v2fd) {
			int fd = cg->fd[c];

			/* Controllers sharing a hierarchy share its fd. */
			for (int d = c; d < NB_CG_COUNT; d++)
				if (cg->fd[d] == fd)
					cg->fd[d] = -1;
			close(fd);
		}
		cg->fd[c] = -1;
	}
	nb_closep(&cg->v2fd);
	nb_closep(&cg->named_fd);
	free(cg->path);
	cg->path = NULL;
	free(cg->location);
	cg->location = NULL;
}

/* The leaf's path in the hierarchy mounted at MOUNT, into BUF (a location
 * checked when it was taken: a path of it fits). */
static const char *path_in(const struct nb_cgroup *cg, const char *mount, char *buf, size_t size)
{
	const char *slash = strrchr(mount, '/');

	if (!cg->location || nb_cg_location_path(cg->location, slash ? slash + 1 : mount, buf, size) < 0)
		return cg->path;
	return buf;
}

const char *nb_cgroup_layout_name(enum nb_cg_layout layout)
{
	switch (layout) {
	case NB_CG_LAYOUT_V1: return "v1";
	case NB_CG_LAYOUT_HYBRID: return "hybrid";
	case NB_CG_LAYOUT_V2: return "v2";
	case NB_CG_LAYOUT_NONE: break;
	}
	return "none";
}

static bool is_fs(const char *path, long magic)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 && sfs.f_type == magic;
}

/* The controllers cgroup2 offers at its root, into on_v2[]. */
static void v2_controllers(const char *root, struct host *h)
{
	char path[256], buf[512], *save = NULL;

	ssize_t n;

	snprintf(path, sizeof(path), "%s/cgroup.controllers", root);
	n = nb_read_file_at(AT_FDCWD, path, buf, sizeof(buf));
	if (n < 0) {
		host_error(h, path, (int)n);
		return;
	}
	for (char *w = strtok_r(buf, " \n", &save); w; w = strtok_r(NULL, " \n", &save))
		for (int c = 0; c < NB_CG_COUNT; c++)
			if (nb_cg_controller_name(c, false) && strcmp(w, nb_cg_controller_name(c, false)) == 0)
				h->on_v2[c] = true;
	/* What cgroup2 does without a controller of that name. */
	h->on_v2[NB_CG_CORE] = h->on_v2[NB_CG_FREEZER] = h->on_v2[NB_CG_DEVICES] = true;
	h->on_v2[NB_CG_CPUACCT] = h->on_v2[NB_CG_CPU];
}

/* The v1 hierarchies, from our mountinfo: "... - cgroup cgroup rw,cpu,cpuacct". */
static void v1_mounts(struct host *h)
{
	/* Most hosts' fit the first size (a heap block, no mapping). */
	size_t size = 64 << 10;
	_cleanup_free_ char *info = malloc(size);
	char *save = NULL;
	ssize_t n = info ? nb_read_file_at(AT_FDCWD, "/proc/self/mountinfo", info, size) : -ENOMEM;

	if (n >= (ssize_t)size - 1) {
		char *big = realloc(info, size = 1 << 20);

		n = big ? nb_read_file_at(AT_FDCWD, "/proc/self/mountinfo", info = big, size) : -ENOMEM;
	}

	if (n < 0) {
		host_error(h, "/proc/self/mountinfo", (int)n);
		return;
	}
	for (char *line = strtok_r(info, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char point[128], fstype[32], opts[512], *osave = NULL;
		const char *sep = strstr(line, " - ");

		if (!sep || sscanf(line, "%*s %*s %*s %*s %127s", point) != 1 ||
		    sscanf(sep + 3, "%31s %*s %511s", fstype, opts) != 2 || strcmp(fstype, "cgroup") != 0 ||
		    strncmp(point, CG_ROOT "/", sizeof(CG_ROOT)) != 0)
			continue;
		for (char *o = strtok_r(opts, ",", &osave); o; o = strtok_r(NULL, ",", &osave)) {
			/* systemd's own hierarchy, without controllers: runc
			 * places containers there too. */
			if (strcmp(o, "name=systemd") == 0 && !h->named[0])
				snprintf(h->named, sizeof(h->named), "%s", point);
			for (int c = 0; c < NB_CG_CORE; c++)
				if (nb_cg_controller_name(c, true) && strcmp(o, nb_cg_controller_name(c, true)) == 0 &&
				    !h->v1mount[c][0])
					snprintf(h->v1mount[c], sizeof(h->v1mount[c]), "%s", point);
		}
	}
}

static void discover(struct host *h)
{
	memset(h, 0, sizeof(*h));
	if (is_fs(CG_ROOT, CGROUP2_SUPER_MAGIC)) {
		h->layout = NB_CG_LAYOUT_V2;
		h->v2root = CG_ROOT;
		v2_controllers(CG_ROOT, h);
		return;
	}
	v1_mounts(h);
	if (is_fs(CG_UNIFIED, CGROUP2_SUPER_MAGIC)) {
		h->layout = NB_CG_LAYOUT_HYBRID;
		h->v2root = CG_UNIFIED;
		v2_controllers(CG_UNIFIED, h);
		/* A controller that is on v1 here is used there. */
		for (int c = 0; c < NB_CG_CORE; c++)
			if (h->v1mount[c][0])
				h->on_v2[c] = false;
		if (h->v1mount[NB_CG_FREEZER][0])
			h->on_v2[NB_CG_FREEZER] = false;
		if (h->v1mount[NB_CG_DEVICES][0])
			h->on_v2[NB_CG_DEVICES] = false;
		return;
	}
	for (int c = 0; c < NB_CG_CORE; c++)
		if (h->v1mount[c][0])
			h->layout = NB_CG_LAYOUT_V1;
}

enum nb_cg_layout nb_cgroup_layout(void)
{
	struct host h;

	discover(&h);
	return h.layout;
}

const char *nb_cgroup_controllers(char *buf, size_t size)
{
	struct host h;
	size_t len = 0;

	discover(&h);
	buf[0] = '\0';
	for (int c = 0; c < NB_CG_CORE; c++) {
		bool v1 = !h.on_v2[c];
		const char *name = nb_cg_controller_name(c, v1);

		int n;

		if (!name || (v1 && !h.v1mount[c][0]) || (!v1 && h.layout == NB_CG_LAYOUT_V1))
			continue;
		n = snprintf(buf + len, size - len, "%s%s", len ? " " : "", name);
		if (n < 0 || (size_t)n >= size - len)
			break;   /* what fits */
		len += (size_t)n;
	}
	return buf;
}

/* The root (mountinfo's fourth field) of each of the N mount POINTS into
 * ROOTS; "/" where it is not found. */
static void mount_roots(size_t n, const char *const *points, char roots[][256])
{
	size_t size = 1 << 20;
	_cleanup_free_ char *info = malloc(size);
	ssize_t len = info ? nb_read_file_at(AT_FDCWD, "/proc/self/mountinfo", info, size) : -ENOMEM;
	char *save = NULL;

	for (size_t i = 0; i < n; i++)
		snprintf(roots[i], sizeof(roots[i]), "/");
	if (len < 0)
		return;
	for (char *line = strtok_r(info, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char root[256], point[256];

		if (sscanf(line, "%*s %*s %*s %255s %255s", root, point) != 2)
			continue;
		/* The last mount on a point is the one seen there. */
		for (size_t i = 0; i < n; i++)
			if (strcmp(points[i], point) == 0)
				snprintf(roots[i], sizeof(roots[i]), "%s", root);
	}
}

int nb_cgroup_resolve(const char *rel, char *buf, size_t size, struct nb_error *err)
{
	struct nb_cg_hier hier[NB_CG_COUNT + 2];
	const char *points[NB_CG_COUNT + 2];
	char roots[NB_CG_COUNT + 2][256], self[16384];
	struct host h;
	size_t n = 0;

	discover(&h);
	if (h.layout == NB_CG_LAYOUT_NONE)
		return nb_error_set(err, ENOENT, "cgroup: no cgroup hierarchy mounted at " CG_ROOT);
	if (h.error)
		return nb_error_sys(err, -h.error, "cgroup: read '%s'", h.error_file);
	if (nb_read_file_at(AT_FDCWD, "/proc/self/cgroup", self, sizeof(self)) < 0)
		return nb_error_errno(err, "cgroup: read /proc/self/cgroup");
	/* cgroup2 first: its path is the location's first line. Placed as
	 * runc places it: on a pure v2 host under the parent of nsbox's own
	 * cgroup, on a hybrid host under the root (cgroup_location.h). */
	if (h.v2root) {
		hier[n] = (struct nb_cg_hier){ .name = "", .under = h.layout == NB_CG_LAYOUT_V2 ?
					       NB_CG_UNDER_PARENT : NB_CG_UNDER_ROOT };
		points[n++] = h.v2root;
	}
	for (int c = 0; c < NB_CG_CORE; c++) {
		size_t k = 0;

		while (k < n && strcmp(points[k], h.v1mount[c]) != 0)
			k++;
		if (!h.on_v2[c] && h.v1mount[c][0] && k == n) {
			hier[n] = (struct nb_cg_hier){ .name = nb_cg_controller_name(c, true) };
			points[n++] = h.v1mount[c];
		}
	}
	if (h.named[0]) {
		hier[n] = (struct nb_cg_hier){ .name = "name=systemd" };
		points[n++] = h.named;
	}
	mount_roots(n, points, roots);
	for (size_t i = 0; i < n; i++) {
		hier[i].dir = strrchr(points[i], '/') + 1;
		hier[i].root = roots[i];
	}
	return nb_cg_location_build(rel, self, hier, n, buf, size, err);
}

/* rmdir of NAME and what the container made below it, waiting (bounded)
 * for a cgroup the kernel still tears down. */
static int remove_dir(int parent, const char *name)
{
	return nb_cg_tree_remove(parent, name, RMDIR_WAIT_MS);
}

/* Any process in DIRFD's cgroup or below? (Unreadable: assume so.) */
static bool populated(int dirfd)
{
	_cleanup_free_ pid_t *pids = NULL;
	size_t n = 0;

	return nb_cg_tree_pids(dirfd, &pids, &n) < 0 || n > 0;
}

/* v1 cpuset: a new cgroup has no cpus or mems until given its parent's. */
static int cpuset_inherit(int parent, int dir)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };

	for (size_t i = 0; i < NB_ARRAY_SIZE(files); i++) {
		char cur[4096], up[4096];
		ssize_t n = nb_read_file_at(dir, files[i], cur, sizeof(cur));
		int r;

		if (n < 0)
			return (int)n;
		if (cur[strspn(cur, " \n")] != '\0')
			continue;
		n = nb_read_file_at(parent, files[i], up, sizeof(up));
		if (n < 0)
			return (int)n;
		r = nb_write_file_at(dir, files[i], up, strlen(up));
		if (r < 0)
			return r;
	}
	return 0;
}

/* Enable the controllers NEEDED (v2 names, "+memory +pids") for the
 * children of DIR: all at once, else one by one. A refusal is not an error
 * here (a rootless caller may not write the root's, which a delegated tree
 * enabled already; a controller may be missing): a limit that then cannot
 * be written fails there, naming its file (nb_cgroup_apply()). */
static void enable_controllers(int dir, unsigned needed, const struct host *h)
{
	char buf[256] = "";
	size_t len = 0;

	for (int c = 0; c < NB_CG_CORE; c++) {
		if (!(needed & (1u << c)) || !h->on_v2[c] || !nb_cg_controller_name(c, false))
			continue;
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s+%s", len ? " " : "",
					nb_cg_controller_name(c, false));
	}
	if (!len || nb_write_file_at(dir, "cgroup.subtree_control", buf, len) == 0)
		return;
	for (char *save = NULL, *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
		(void)nb_write_file_at(dir, "cgroup.subtree_control", w, strlen(w));
}

/* The common case of a v1 leaf, in two calls: its parent is there and it
 * is not (0, *RET_FD the leaf). Anything else (-1) takes make_leaf()'s
 * steps. */
static int make_leaf_fast(const char *mount, const char *path, int *ret_fd)
{
	char full[4096];
	int n = snprintf(full, sizeof(full), "%s%s", mount, path), fd;

	if (n < 0 || (size_t)n >= sizeof(full) || mkdir(full, 0755) < 0)
		return -1;
	fd = open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 && strstr(mount, "/cpuset")) {
		_cleanup_close_ int parent = -1;

		*strrchr(full, '/') = '\0';
		parent = open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (parent < 0 || cpuset_inherit(parent, fd) < 0)
			nb_closep(&fd);
		full[strlen(full)] = '/';
	}
	if (fd < 0) {
		(void)rmdir(full);
		return -1;
	}
	*ret_fd = fd;
	return 0;
}

/* Make PATH under the hierarchy mounted at MOUNT, one component at a
 * time, ancestors kept, the leaf fresh. *RET_FD: the leaf. */
static int make_leaf(const char *mount, const char *path, bool v2, unsigned needed, const struct host *h,
		     int *ret_fd, struct nb_error *err)
{
	_cleanup_free_ char *buf = strdup(path);
	_cleanup_close_ int dir = open(mount, O_PATH | O_DIRECTORY | O_CLOEXEC);
	char *save = NULL, *next;
	int r;

	if (!buf || dir < 0)
		return nb_error_errno(err, "cgroup: open '%s'", mount);
	for (char *name = strtok_r(buf, "/", &save); name; name = next) {
		_cleanup_close_ int child = -1;
		bool leaf;

		next = strtok_r(NULL, "/", &save);
		leaf = next == NULL;
		if (v2)
			enable_controllers(dir, needed, h);
		if (leaf && (child = openat(dir, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
			/* A leftover: refused if in use, else made afresh. */
			if (populated(child))
				return nb_error_set(err, EBUSY, "cgroup '%s' under '%s' already holds processes",
						    path, mount);
			nb_closep(&child);
			if ((r = remove_dir(dir, name)) < 0)
				return nb_error_sys(err, -r, "cgroup: remove the leftover '%s' under '%s'",
						    path, mount);
		}
		if (mkdirat(dir, name, 0755) < 0 && (leaf || errno != EEXIST))
			return nb_error_errno(err, "cgroup: create '%s' under '%s'", path, mount);
		child = openat(dir, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		r = child < 0 ? nb_error_errno(err, "cgroup: open '%s' under '%s'", path, mount) : 0;
		if (r >= 0 && strstr(mount, "/cpuset") && (r = cpuset_inherit(dir, child)) < 0)
			nb_error_sys(err, -r, "cgroup: cpuset of '%s'", path);
		if (r < 0) {
			/* The leaf is ours, and has no fd for remove_made(). */
			if (leaf)
				(void)unlinkat(dir, name, AT_REMOVEDIR);
			return r;
		}
		nb_closep(&dir);
		dir = TAKE_FD(child);
	}
	*ret_fd = TAKE_FD(dir);
	return 0;
}

/* Remove PATH's leaf under MOUNT (not its ancestors: others use them), by
 * its full path: nothing to open first for the common, empty leaf. */
static int remove_leaf(const char *mount, const char *path)
{
	char full[4096];
	int n = snprintf(full, sizeof(full), "%s%s", mount, path);

	if (n < 0 || (size_t)n >= sizeof(full))
		return -ENAMETOOLONG;
	return remove_dir(AT_FDCWD, full);
}

/* The leaf in the name=systemd hierarchy, where the host has one. */
static int fill_named(struct nb_cgroup *cg, const struct host *h, bool make, struct nb_error *err)
{
	char full[FULL_MAX], buf[4096];
	const char *path;

	if (!h->named[0])
		return 0;
	path = path_in(cg, h->named, buf, sizeof(buf));
	snprintf(cg->named_dir, sizeof(cg->named_dir), "%s", strrchr(h->named, '/') + 1);
	if (make)
		return make_leaf_fast(h->named, path, &cg->named_fd) == 0 ? 0 :
		       make_leaf(h->named, path, false, 0, h, &cg->named_fd, err);
	snprintf(full, sizeof(full), "%s%s", h->named, path);
	cg->named_fd = open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return cg->named_fd < 0 && errno != ENOENT ? nb_error_errno(err, "cgroup '%s'", full) : 0;
}

/* Does any controller of NEEDED live on cgroup2 here (to enable there)? */
static bool v2_needs(const struct host *h, unsigned needed)
{
	for (int c = 0; c < NB_CG_CORE; c++)
		if ((needed & (1u << c)) && h->on_v2[c] && nb_cg_controller_name(c, false))
			return true;
	return false;
}

/* Is controller C's v1 hierarchy one of those WANT names (0: all)? A
 * hierarchy of several controllers is wanted for any of them. */
static bool hierarchy_wanted(const struct host *h, int c, unsigned want)
{
	if (want == 0)
		return true;
	for (int d = 0; d < NB_CG_COUNT; d++)
		if ((want & (1u << d)) && !h->on_v2[d] && h->v1mount[d][0] &&
		    strcmp(h->v1mount[d], h->v1mount[c]) == 0)
			return true;
	return false;
}

/* The cgroup2 leaf (v2, hybrid), unless a hybrid host's run wants none
 * there (nb_cgroup_create()); made or, when not MAKE, opened. */
static int fill_v2(struct nb_cgroup *cg, const struct host *h, bool make, unsigned needed, unsigned want,
		   struct nb_error *err)
{
	char full[FULL_MAX], buf[4096];
	const char *path;

	if (!h->v2root || (make && want && !(want & (1u << NB_CG_CORE)) &&
			   h->layout == NB_CG_LAYOUT_HYBRID && !v2_needs(h, needed)))
		return 0;
	path = path_in(cg, h->v2root, buf, sizeof(buf));
	/* Without a controller to enable there, as a v1 leaf. */
	if (make && !v2_needs(h, needed) && make_leaf_fast(h->v2root, path, &cg->v2fd) == 0)
		return 0;
	if (make)
		return make_leaf(h->v2root, path, true, needed, h, &cg->v2fd, err);
	snprintf(full, sizeof(full), "%s%s", h->v2root, path);
	cg->v2fd = open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return cg->v2fd < 0 ? nb_error_errno(err, "cgroup '%s'", full) : 0;
}

/* v1's freezer is how a sandbox is killed, and v1's cpuacct what counts
 * its CPU time, unless a hybrid host's cgroup2 leaf does: cgroup.kill
 * (Linux 5.14) and cpu.stat (of no controller). WANT without them then. */
static unsigned trim_want(const struct nb_cgroup *cg, unsigned needed, unsigned want)
{
	static const struct { int ctrl; const char *file; } by_v2[] = {
		{ NB_CG_FREEZER, "cgroup.kill" }, { NB_CG_CPUACCT, "cpu.stat" },
	};

	for (size_t i = 0; want && cg->v2fd >= 0 && i < NB_ARRAY_SIZE(by_v2); i++)
		if (!(needed & (1u << by_v2[i].ctrl)) && faccessat(cg->v2fd, by_v2[i].file, F_OK, 0) == 0)
			want &= ~(1u << by_v2[i].ctrl);
	return want;
}

/* Controller C's v1 leaf into cg->fd[C] (made, or opened when not MAKE). */
static int fill_v1(struct nb_cgroup *cg, const struct host *h, int c, bool make, unsigned needed,
		   struct nb_error *err)
{
	char full[FULL_MAX], buf[4096];
	const char *path = path_in(cg, h->v1mount[c], buf, sizeof(buf));
	int d;

	/* Controllers mounted together share one leaf. */
	for (d = 0; d < c; d++)
		if (!h->on_v2[d] && strcmp(h->v1mount[d], h->v1mount[c]) == 0)
			break;
	snprintf(cg->v1name[c], sizeof(cg->v1name[c]), "%s", strrchr(h->v1mount[c], '/') + 1);
	if (d < c) {
		cg->fd[c] = cg->fd[d];
		return 0;
	}
	if (make)
		return make_leaf_fast(h->v1mount[c], path, &cg->fd[c]) == 0 ? 0 :
		       make_leaf(h->v1mount[c], path, false, needed, h, &cg->fd[c], err);
	snprintf(full, sizeof(full), "%s%s", h->v1mount[c], path);
	cg->fd[c] = open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return cg->fd[c] < 0 && errno != ENOENT ? nb_error_errno(err, "cgroup '%s'", full) : 0;
}

static int fill(struct nb_cgroup *cg, const struct host *h, const char *location, bool make, unsigned needed,
		unsigned want, struct nb_error *err)
{
	int r;

	cg->layout = h->layout;
	cg->path = strndup(location, strcspn(location, "\n"));
	cg->location = strdup(location);
	if (!cg->path || !cg->location)
		return nb_error_set(err, ENOMEM, "out of memory");
	r = fill_v2(cg, h, make, needed, want, err);
	if (r < 0)
		return r;
	if (make)
		want = trim_want(cg, needed, want);
	for (int c = 0; c < NB_CG_COUNT; c++) {
		cg->on_v2[c] = h->on_v2[c];
		if (h->on_v2[c] || !h->v1mount[c][0] || (make && !hierarchy_wanted(h, c, want))) {
			cg->fd[c] = h->on_v2[c] ? cg->v2fd : -1;
			continue;
		}
		r = fill_v1(cg, h, c, make, needed, err);
		if (r < 0)
			return r;
	}
	return make && want != 0 ? 0 : fill_named(cg, h, make, err);
}

/* Remove CG's leaves, in the hierarchies it has one open in (known from
 * CG itself: a destroy needs no new look at the host's mounts, which could
 * fail and leave them). */
static int remove_all(const struct nb_cgroup *cg)
{
	char mount[256], buf[4096];
	int first = 0, r;

	for (int c = 0; c < NB_CG_COUNT; c++) {
		int d;

		if (cg->fd[c] < 0 || cg->on_v2[c] || !cg->v1name[c][0])
			continue;
		/* Controllers mounted together share one leaf. */
		for (d = 0; d < c && (cg->fd[d] < 0 || strcmp(cg->v1name[d], cg->v1name[c]) != 0); d++)
			;
		if (d < c)
			continue;
		snprintf(mount, sizeof(mount), CG_ROOT "/%s", cg->v1name[c]);
		r = remove_leaf(mount, path_in(cg, mount, buf, sizeof(buf)));
		if (r < 0 && first == 0)
			first = r;
	}
	if (cg->v2fd >= 0) {
		const char *v2root = cg->layout == NB_CG_LAYOUT_HYBRID ? CG_UNIFIED : CG_ROOT;

		r = remove_leaf(v2root, path_in(cg, v2root, buf, sizeof(buf)));
		if (r < 0 && first == 0)
			first = r;
	}
	if (cg->named_fd >= 0 && cg->named_dir[0]) {
		snprintf(mount, sizeof(mount), CG_ROOT "/%s", cg->named_dir);
		r = remove_leaf(mount, path_in(cg, mount, buf, sizeof(buf)));
		if (r < 0 && first == 0)
			first = r;
	}
	return first;
}

/* After a failed create: remove the leaves made so far (those with an
 * fd), never one that was there before (a leaf in use is refused, not
 * opened). */
static void remove_made(const struct nb_cgroup *cg, const struct host *h)
{
	char buf[4096];

	if (cg->v2fd >= 0)
		remove_leaf(h->v2root, path_in(cg, h->v2root, buf, sizeof(buf)));
	if (cg->named_fd >= 0)
		remove_leaf(h->named, path_in(cg, h->named, buf, sizeof(buf)));
	for (int c = 0; c < NB_CG_COUNT; c++) {
		int d;

		if (cg->fd[c] < 0 || cg->fd[c] == cg->v2fd || !h->v1mount[c][0])
			continue;
		for (d = 0; d < c && cg->fd[d] != cg->fd[c]; d++)
			;
		if (d == c)
			remove_leaf(h->v1mount[c], path_in(cg, h->v1mount[c], buf, sizeof(buf)));
	}
}

static int check_needed(const struct host *h, unsigned needed, struct nb_error *err)
{
	for (int c = 0; c < NB_CG_CORE; c++)
		if ((needed & (1u << c)) && !h->on_v2[c] && !h->v1mount[c][0])
			return nb_error_set(err, EOPNOTSUPP, "cgroup: the '%s' controller is not available "
					    "on this host (%s layout)", nb_cg_controller_name(c, h->layout != NB_CG_LAYOUT_V2),
					    nb_cgroup_layout_name(h->layout));
	return 0;
}

int nb_cgroup_create(struct nb_cgroup *cg, const char *location, unsigned needed, unsigned want,
		     struct nb_error *err)
{
	struct host h;
	int r;

	discover(&h);
	if (h.layout == NB_CG_LAYOUT_NONE)
		return nb_error_set(err, ENOENT, "cgroup: no cgroup hierarchy mounted at " CG_ROOT);
	r = nb_cg_location_check(location, "cgroup path", err);
	if (r >= 0 && h.error)
		r = nb_error_sys(err, -h.error, "cgroup: read '%s'", h.error_file);
	if (r >= 0)
		r = check_needed(&h, needed, err);
	if (r >= 0)
		r = fill(cg, &h, location, true, needed, want, err);
	if (r < 0) {
		remove_made(cg, &h);
		nb_cgroup_close(cg);
		return r;
	}
	cg->made = true;
	return 0;
}

int nb_cgroup_open(struct nb_cgroup *cg, const char *location, struct nb_error *err)
{
	struct host h;
	int r;

	r = nb_cg_location_check(location, "cgroup path", err);
	if (r < 0)
		return r;
	discover(&h);
	if (h.error)
		return nb_error_sys(err, -h.error, "cgroup: read '%s'", h.error_file);
	r = fill(cg, &h, location, false, 0, 0, err);
	if (r >= 0 && cg->v2fd < 0) {
		bool any = false;

		for (int c = 0; c < NB_CG_COUNT; c++)
			any |= cg->fd[c] >= 0;
		if (!any)
			r = nb_error_set(err, ENOENT, "cgroup '%s' does not exist", cg->path);
	}
	if (r < 0)
		nb_cgroup_close(cg);
	return r;
}

int nb_cgroup_v2_fd(const struct nb_cgroup *cg)
{
	return cg->v2fd;
}

int nb_cgroup_enter(const struct nb_cgroup *cg, pid_t pid, bool v1_only, struct nb_error *err)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d", (int)pid);

	for (int c = 0; c < NB_CG_COUNT; c++) {
		int fd = cg->fd[c], d, r;

		if (fd < 0 || fd == cg->v2fd)
			continue;
		for (d = 0; d < c && cg->fd[d] != fd; d++)
			;
		if (d < c)
			continue;   /* that hierarchy is done */
		r = nb_write_file_at(fd, "cgroup.procs", buf, (size_t)n);
		if (r < 0)
			return nb_error_sys(err, -r, "cgroup: move %d into '%s' (%s)", (int)pid, cg->path,
					    nb_cg_controller_name(c, true));
	}
	if (!v1_only && cg->v2fd >= 0) {
		int r = nb_write_file_at(cg->v2fd, "cgroup.procs", buf, (size_t)n);

		if (r < 0)
			return nb_error_sys(err, -r, "cgroup: move %d into '%s'", (int)pid, cg->path);
	}
	return 0;
}

/* One write; -ENOENT when its file does not exist. */
static int write_one(const struct nb_cgroup *cg, const struct nb_cg_write *x)
{
	int fd = x->ctrl == NB_CG_CORE ? cg->v2fd : cg->fd[x->ctrl];

	if (fd < 0)
		return -EOPNOTSUPP;
	return nb_write_file_at(fd, x->file, x->value, strlen(x->value));
}

static int write_failed(const struct nb_cgroup *cg, const struct nb_cg_write *x, int r, struct nb_error *err)
{
	if (r == -EOPNOTSUPP)
		return nb_error_set(err, EOPNOTSUPP, "cgroup: no '%s' controller on this host for '%s'",
				    nb_cg_controller_name(x->ctrl, !cg->on_v2[x->ctrl]), x->file);
	if (r == -ENOENT && x->ctrl != NB_CG_CORE && cg->on_v2[x->ctrl])
		return nb_error_sys(err, -r, "cgroup '%s': write '%s' to %s (the '%s' controller is not "
				    "enabled there: is it delegated?)", cg->path, x->value, x->file,
				    nb_cg_controller_name(x->ctrl, false));
	return nb_error_sys(err, -r, "cgroup '%s': write '%s' to %s", cg->path, x->value, x->file);
}

/* Did the TRY write of FILE before index I fail? */
static bool try_failed(const struct nb_cg_writes *w, size_t i, const bool *failed)
{
	for (size_t k = 0; k < i; k++)
		if (failed[k] && strcmp(w->w[k].file, w->w[i].file) == 0)
			return true;
	return false;
}

/* The writes follow their flags (spec/resources.h): alternatives
 * (OR_NEXT), optional files (IF_EXISTS), and a refused write tried again
 * after the writes between (TRY, then RETRY). */
int nb_cgroup_apply(const struct nb_cgroup *cg, const struct nb_cg_writes *w, struct nb_error *err)
{
	_cleanup_free_ bool *failed = calloc(w->n + 1, sizeof(*failed));

	if (!failed)
		return nb_error_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < w->n; i++) {
		const struct nb_cg_write *x = &w->w[i];
		int r;

		if ((x->flags & NB_CGW_RETRY) && !try_failed(w, i, failed))
			continue;
		r = write_one(cg, x);
		if (r == -ENOENT && (x->flags & NB_CGW_OR_NEXT))
			continue;   /* the next write is the alternative */
		if (r == -ENOENT && (x->flags & NB_CGW_IF_EXISTS))
			r = 0;
		if (r == -EINVAL && (x->flags & NB_CGW_TRY)) {
			failed[i] = true;
			r = 0;
		}
		if (r < 0)
			return write_failed(cg, x, r, err);
		/* Made: the alternatives after it are not. */
		while ((w->w[i].flags & NB_CGW_OR_NEXT) && i + 1 < w->n)
			i++;
	}
	return 0;
}

ssize_t nb_cgroup_read(const struct nb_cgroup *cg, enum nb_cg_controller ctrl, const char *file,
		       char *buf, size_t size)
{
	int fd = ctrl == NB_CG_CORE ? cg->v2fd : cg->fd[ctrl];

	if (fd < 0)
		return -ENOENT;
	return nb_read_file_at(fd, file, buf, size);
}

/* The resources split by where each controller is: on a hybrid host the
 * kernel may have attached some (hugetlb, rdma) to cgroup2. */
int nb_cgroup_writes(const struct nb_cgroup *cg, const struct nb_resources *r, int64_t current_memory_limit,
		     const char *what, struct nb_cg_writes *out, struct nb_error *err)
{
	struct nb_resources v1 = *r, v2;
	struct nb_cg_writes more = { 0 };
	int rc;

	if (cg->layout == NB_CG_LAYOUT_V2)
		return nb_cg_writes_v2(r, current_memory_limit, what, out, err);
	if (cg->layout != NB_CG_LAYOUT_HYBRID)
		return nb_cg_writes_v1(r, current_memory_limit, what, out, err);
	nb_resources_init(&v2);
	if (cg->on_v2[NB_CG_HUGETLB]) {
		v2.hugepages = r->hugepages, v2.n_hugepages = r->n_hugepages;
		v1.hugepages = NULL, v1.n_hugepages = 0;
	}
	if (cg->on_v2[NB_CG_RDMA]) {
		v2.rdma = r->rdma, v2.n_rdma = r->n_rdma;
		v1.rdma = NULL, v1.n_rdma = 0;
	}
	v2.unified = r->unified;
	v1.unified = (struct nb_strv){ 0 };
	rc = nb_cg_writes_v1(&v1, current_memory_limit, what, out, err);
	if (rc >= 0 && (v2.n_hugepages || v2.n_rdma || v2.unified.len))
		rc = nb_cg_writes_v2(&v2, NB_RES_UNSET, what, &more, err);
	for (size_t i = 0; rc >= 0 && i < more.n; i++) {
		struct nb_cg_write *grown = realloc(out->w, (out->n + 1) * sizeof(*grown));

		if (!grown) {
			rc = nb_error_set(err, ENOMEM, "out of memory");
			break;
		}
		out->w = grown;
		out->w[out->n++] = more.w[i];
		more.w[i] = (struct nb_cg_write){ 0 };
	}
	nb_cg_writes_free(&more);
	return rc;
}


/* NAME is PREFIX<pid> of a pid that is gone. */
static bool dead_name(const char *name, const char *prefix)
{
	size_t len = strlen(prefix);
	char *end;
	long pid;

	if (strncmp(name, prefix, len) != 0 || name[len] < '1' || name[len] > '9')
		return false;
	errno = 0;
	pid = strtol(name + len, &end, 10);
	if (errno || *end || pid <= 0 || pid > INT32_MAX || pid == getpid())
		return false;
	return kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

/* Remove the dead "PREFIX<pid>" directories of the directory DIRFD (taken over). */
static void sweep_dir(int fd, const char *prefix)
{
	struct dirent *de;
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	/* rmdir removes only an empty cgroup: one in use stays. */
	while ((de = readdir(d)))
		if (de->d_type == DT_DIR && dead_name(de->d_name, prefix))
			(void)unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR);
	closedir(d);
}

void nb_cgroup_sweep_siblings(const struct nb_cgroup *cg, const char *prefix)
{
	int fds[NB_CG_COUNT + 2], n = 0;

	fds[n++] = cg->v2fd;
	fds[n++] = cg->named_fd;
	for (int c = 0; c < NB_CG_COUNT; c++)
		fds[n++] = cg->on_v2[c] ? -1 : cg->fd[c];
	for (int i = 0; i < n; i++) {
		bool seen = fds[i] < 0;

		/* Controllers that share a hierarchy share its leaf's fd. */
		for (int k = 0; k < i && !seen; k++)
			seen = fds[k] == fds[i];
		if (!seen)
			sweep_dir(openat(fds[i], "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC), prefix);
	}
}

int nb_cgroup_remove(struct nb_cgroup *cg)
{
	return cg->path ? remove_all(cg) : 0;
}

int nb_cgroup_destroy(struct nb_cgroup *cg, struct nb_error *err)
{
	_cleanup_free_ char *path = cg->path ? strdup(cg->path) : NULL;
	int r;

	if (!cg->path) {
		nb_cgroup_close(cg);
		return 0;
	}
	/* The fds are closed after: they name the hierarchies to remove from. */
	r = remove_all(cg);
	nb_cgroup_close(cg);
	if (r < 0)
		return nb_error_sys(err, -r, "cgroup '%s': remove", path ? path : "?");
	return 0;
}
