/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/container.h"
#include "base/cleanup.h"
#include "base/fileutil.h"
#include "linux/process.h"
#include "runtime/cgroups.h"
#include "runtime/container_files.h"
#include "runtime/container_procs.h"
#include "runtime/hooks.h"
#include "runtime/netattach.h"
#include "runtime/notify.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define START_TIMEOUT_MS 30000
#define CLAIM_TRIES 8

static void now_rfc3339(char *buf, size_t size)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec);
}

static int write_pid_file(const char *path, pid_t pid, struct nb_error *err)
{
	int r = nb_write_pid_file(path, pid);

	if (r < 0)
		return nb_error_sys(err, -r, "--pid-file '%s'", path);
	return 0;
}

/* One create (or register): what its steps share. */
struct create_ctx {
	const struct nb_container_opts *o;
	const struct nb_config *cfg;
	const struct nb_state_handle *h;
	const char *cgroup;         /* the sandbox's cgroup, once it has one */
	char created[64];           /* RFC 3339, once for the first and last write */
};

static int fill_state(const struct create_ctx *cc, pid_t pid, struct nb_state *st, struct nb_error *err)
{
	const struct nb_config *cfg = cc->cfg;
	char state;

	st->id = strdup(cc->o->id);
	st->bundle = strdup(cc->o->bundle);
	st->created = strdup(cc->created);
	st->pid = pid;
	st->owner = geteuid();
	st->own_pidns = cfg->ns[NB_NS_PID].mode == NB_NS_NEW;
	st->cgroup = cc->cgroup ? strdup(cc->cgroup) : NULL;
	if (!st->id || !st->bundle || !st->created || (cc->cgroup && !st->cgroup))
		return nb_error_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < cfg->oci.annotations.len; i++)
		if (nb_strv_push(&st->annotations, cfg->oci.annotations.items[i]) < 0)
			return nb_error_set(err, ENOMEM, "out of memory");
	if (nb_proc_start_time(pid, &st->start_time, &state) < 0)
		return nb_error_set(err, ESRCH, "container process %d died during create", (int)pid);
	return 0;
}

/* Right after clone3, before the child may do anything: the first
 * state.json, marked creating, so that a record whose creator is killed
 * from here on names the process to kill (see runtime/state.h). */
static int write_first_state(struct nb_sandbox *sb, void *data, struct nb_error *err)
{
	struct create_ctx *cc = data;
	struct nb_state st = { .creating = true, .creator_pid = getpid() };
	char state;
	int r;

	cc->cgroup = sb->cg_made ? sb->cg.location : NULL;
	r = fill_state(cc, sb->pid, &st, err);
	if (r >= 0 && nb_proc_start_time(st.creator_pid, &st.creator_start_time, &state) < 0)
		st.creator_start_time = 0;   /* only for diagnosis */
	if (r >= 0)
		r = nb_state_write(cc->h, &st, err);
	nb_state_free(&st);
	return r;
}

/* The last write: the record of a created container. NS_PID: the process
 * to look at for its namespaces (runtime/state.h), or 0. */
static int write_final_state(const struct create_ctx *cc, pid_t pid, pid_t ns_pid, struct nb_error *err)
{
	struct nb_state st = { 0 };
	char state;
	int r = fill_state(cc, pid, &st, err);

	if (r >= 0 && ns_pid > 0 && nb_proc_start_time(ns_pid, &st.ns_start_time, &state) == 0)
		st.ns_pid = ns_pid;

	if (r >= 0)
		r = nb_state_write(cc->h, &st, err);
	nb_state_free(&st);
	return r;
}

static bool has_early_hooks(const struct nb_config *cfg)
{
	return cfg->oci.n_hooks[NB_HOOK_PRESTART] || cfg->oci.n_hooks[NB_HOOK_CREATE_RUNTIME] ||
	       cfg->oci.n_hooks[NB_HOOK_CREATE_CONTAINER] || cfg->oci.n_hooks[NB_HOOK_START_CONTAINER];
}

/* The child's mounts are done, pivot_root not yet: prestart and
 * createRuntime run here in our namespaces, createContainer in the child's. */
static int container_hook_point(struct nb_sandbox *sb, void *data, char **ret_state_json,
				struct nb_error *err)
{
	const struct create_ctx *cc = data;
	const struct nb_oci_extras *x = &cc->cfg->oci;
	struct nb_state st = { 0 };
	int r = fill_state(cc, sb->pid, &st, err);

	*ret_state_json = r < 0 ? NULL : nb_state_json(&st, NB_STATUS_CREATING);
	nb_state_free(&st);
	if (r < 0)
		return r;
	if (!*ret_state_json)
		return nb_error_set(err, ENOMEM, "out of memory");
	r = nb_hooks_run_abortable(x->hooks[NB_HOOK_PRESTART], x->n_hooks[NB_HOOK_PRESTART], NB_HOOK_PRESTART,
				   *ret_state_json, -1, -1, sb->sigfd, err);
	if (r >= 0)
		r = nb_hooks_run_abortable(x->hooks[NB_HOOK_CREATE_RUNTIME], x->n_hooks[NB_HOOK_CREATE_RUNTIME],
					   NB_HOOK_CREATE_RUNTIME, *ret_state_json, -1, -1, sb->sigfd, err);
	if (r >= 0)
		r = nb_hooks_run_abortable(x->hooks[NB_HOOK_CREATE_CONTAINER],
					   x->n_hooks[NB_HOOK_CREATE_CONTAINER], NB_HOOK_CREATE_CONTAINER,
					   *ret_state_json, sb->pidfd, -1, sb->sigfd, err);
	return r;
}

/* The host id of the container's root (id 0 inside), or SELF without a
 * user namespace of its own. */
static uint32_t container_root(const struct nb_idmap *map, const struct nb_config *cfg, uint32_t self)
{
	if (cfg->ns[NB_NS_USER].mode != NB_NS_NEW)
		return self;
	for (size_t i = 0; i < map->len; i++)
		if (map->range[i].inside == 0)
			return map->range[i].outside;
	return self;
}

/* ---- half-made records (runtime/state.h) ---- */

/* The cgroup a half-made record names (NB_CGROUP_FILE), killed and removed. */
static int end_named_cgroup(const struct nb_state_handle *h, const char *id, struct nb_error *err)
{
	struct nb_state st = { .id = (char *)id };
	_cleanup_free_ char *path = NULL;
	size_t len = 0;
	int r = nb_state_load_file(h, NB_CGROUP_FILE, &path, &len, err);

	if (r < 0 || !path || len == 0)   /* none named: none made */
		return r;
	st.cgroup = path;
	return nb_procs_end_cgroup(&st, err);
}

/* Kill the process of a locked record that is not a container (its state
 * is ST, or there is no state.json: HAS_STATE false) and remove it. */
static int remove_half_made(int rootfd, const char *id, struct nb_state_handle *h, bool has_state,
			    const struct nb_state *st, struct nb_error *err)
{
	int r = has_state ? nb_procs_kill_wait(st, err) : 0;

	if (r >= 0)
		r = has_state ? nb_procs_end_cgroup(st, err) : end_named_cgroup(h, id, err);
	if (r < 0)
		return r;
	return nb_state_remove(rootfd, id, h, err);
}

/* Is ROOT/ID, which create found taken, a record its creator left? Then
 * remove it (1: try again). 0 if it is a container. */
static int clear_leftover(int rootfd, const char *id, struct nb_error *err)
{
	struct nb_state_handle h = { -1, -1 };
	struct nb_state st = { 0 };
	bool has_state = false;
	int r = nb_state_open_record(rootfd, id, &h, &has_state, err);

	if (r == -ENOENT)
		return 1;   /* gone meanwhile */
	if (r < 0)
		return r;
	if (has_state)
		r = nb_state_read(&h, &st, err);
	if (r >= 0 && has_state && !st.creating)
		r = 0;      /* a container */
	else if (r >= 0 && (r = remove_half_made(rootfd, id, &h, has_state, &st, err)) >= 0)
		r = 1;
	if (r < 0)
		nb_error_prefix(err, "container '%s' left by a killed create", id);
	nb_state_free(&st);
	nb_state_handle_close(&h);
	return r;
}

/* Make and lock ROOT/ID for a new container, clearing a creator's leftover. */
static int claim_id(int rootfd, const char *id, struct nb_state_handle *h, struct nb_error *err)
{
	for (int tries = 0; tries < CLAIM_TRIES; tries++) {
		int r = nb_state_create(rootfd, id, h, err);

		if (r != -EEXIST)
			return r;
		r = clear_leftover(rootfd, id, err);
		if (r <= 0)
			return r < 0 ? r : nb_error_set(err, EEXIST, "container '%s' already exists", id);
	}
	return nb_error_set(err, EEXIST, "container '%s' already exists", id);
}

/* ---- create ---- */

static int make_fifo(const struct nb_config *cfg, const struct nb_state_handle *h, char *fifo, size_t size,
		     struct nb_error *err)
{
	/* The fifo path is resolved by the child before pivot_root: make it absolute. */
	int r = snprintf(fifo, size, "/proc/self/fd/%d/" NB_EXEC_FIFO, h->dirfd);

	/* The container's root opens it for writing, as whoever it is on the
	 * host: owned by it where we may chown, else writable by all (like
	 * runc's 0622); the state dir (0700) keeps everyone else out. */
	if (r < 0 || (size_t)r >= size || mkfifoat(h->dirfd, NB_EXEC_FIFO, 0622) < 0 ||
	    fchmodat(h->dirfd, NB_EXEC_FIFO, 0622, 0) < 0)
		return nb_error_errno(err, "create exec.fifo");
	(void)fchownat(h->dirfd, NB_EXEC_FIFO, container_root(&cfg->uid_map, cfg, geteuid()),
		       container_root(&cfg->gid_map, cfg, getegid()), AT_SYMLINK_NOFOLLOW);
	return 0;
}

/* `run`, attached: its process may go straight on to its exec, sharing
 * our memory until then (nb_sandbox_may_share()), with no exec.fifo and no
 * start (so no poststart hook either). */
static bool start_at_once(const struct nb_container_opts *o, const struct nb_config *cfg,
			  const struct nb_sandbox *sb)
{
	struct nb_spawn_opts as = sb->opts;

	as.console_socket = o->console_socket;
	as.exec_fifo = NULL;
	return o->start_fifo && !cfg->oci.notify_dir && !cfg->oci.n_hooks[NB_HOOK_POSTSTART] &&
	       nb_sandbox_may_share(cfg, &as);
}

static int create_locked(struct create_ctx *cc, struct nb_sandbox *sb, struct nb_error *err)
{
	const struct nb_container_opts *o = cc->o;
	const struct nb_config *cfg = cc->cfg;
	char fifo[4096], cgroup[NB_CG_LOCATION_MAX];
	bool at_once = start_at_once(o, cfg, sb);
	int r = at_once ? 0 : make_fifo(cfg, cc->h, fifo, sizeof(fifo), err);

	/* The cgroup's path before the cgroup: a create killed between the two
	 * leaves a record that names it, for `delete` (and the next create). */
	if (r >= 0)
		r = nb_cgroups_path(cfg, o->id, cgroup, sizeof(cgroup), err);
	if (r >= 0)
		r = nb_state_save_file(cc->h, NB_CGROUP_FILE, cgroup, strlen(cgroup), err);

	/* NOTIFY_SOCKET: the directory the container mounts on /run/notify. */
	if (r >= 0 && cfg->oci.notify_dir && mkdirat(cc->h->dirfd, NB_NOTIFY_DIR, 0755) < 0)
		r = nb_error_errno(err, "NOTIFY_SOCKET: create '%s'", NB_NOTIFY_DIR);
	/* exec reads this copy, never the bundle, which may change. */
	if (r >= 0 && o->config)
		r = nb_container_save_config(cc->h, o->config, o->config_len, err);
	if (r < 0)
		return r;
	sb->opts.exec_fifo = at_once ? NULL : fifo;
	sb->opts.share_memory = at_once;
	sb->opts.preserve_fds = o->preserve_fds;
	sb->opts.console_socket = o->console_socket;
	sb->opts.child_close_fd = cc->h->lockfd;
	sb->opts.id = o->id;
	sb->opts.bundle = o->bundle;
	sb->opts.cgroup = NB_SPAWN_CGROUP_ALWAYS;
	sb->opts.cgroup_path = cgroup;
	sb->opts.spawned = write_first_state;
	sb->opts.spawned_data = cc;
	if (has_early_hooks(cfg)) {
		sb->opts.hook_point = container_hook_point;
		sb->opts.hook_data = cc;
	}
	r = nb_sandbox_spawn(sb, cfg, err);
	sb->opts.hook_point = NULL;
	sb->opts.hook_data = NULL;
	sb->opts.spawned = NULL;
	sb->opts.spawned_data = NULL;
	sb->opts.exec_fifo = NULL;
	sb->opts.cgroup_path = NULL;
	if (r < 0)
		return r;
	if (!sb->created)
		return nb_error_set(err, EPROTO, "container process ended before it was created");
	if (o->start_fifo && !at_once) {
		*o->start_fifo = openat(cc->h->dirfd, NB_EXEC_FIFO, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (*o->start_fifo < 0)
			return nb_error_errno(err, "open exec.fifo");
	}
	r = nb_container_save_hooks(cc->h, cfg, err);
	if (r >= 0)
		r = write_final_state(cc, sb->pid, 0, err);
	if (r >= 0 && o->pid_file)
		r = write_pid_file(o->pid_file, sb->pid, err);
	return r;
}

/* Check the id, open the state root and claim ROOT/ID. */
static int open_new(const struct nb_container_opts *o, int *rootfd, struct nb_state_handle *h,
		    struct nb_error *err)
{
	int r = nb_container_id_check(o->id, err);

	if (r >= 0)
		r = nb_state_root_open(o->root, rootfd, err);
	if (r >= 0)
		r = claim_id(*rootfd, o->id, h, err);
	return r;
}

int nb_container_create(const struct nb_container_opts *o, const struct nb_config *cfg,
			struct nb_sandbox *sb, struct nb_error *err)
{
	struct nb_state_handle h = { -1, -1 };
	struct create_ctx cc = { .o = o, .cfg = cfg, .h = &h };
	_cleanup_close_ int rootfd = -1;
	int r;

	now_rfc3339(cc.created, sizeof(cc.created));
	if (o->start_fifo)
		*o->start_fifo = -1;
	r = open_new(o, &rootfd, &h, err);
	if (r < 0)
		return r;
	r = create_locked(&cc, sb, err);
	if (r < 0) {
		struct nb_error ignored;

		if (o->start_fifo)
			nb_closep(o->start_fifo);
		/* Nothing left behind: the process dies with release, the state here. */
		nb_sandbox_release(sb);
		nb_state_remove(rootfd, o->id, &h, &ignored);
	}
	nb_state_handle_close(&h);
	return r;
}

int nb_container_register(const struct nb_container_opts *o, const struct nb_config *cfg,
			  struct nb_sandbox *sb, struct nb_error *err)
{
	struct nb_state_handle h = { -1, -1 };
	struct create_ctx cc = { .o = o, .cfg = cfg, .h = &h };
	_cleanup_close_ int rootfd = -1;
	int r;

	now_rfc3339(cc.created, sizeof(cc.created));
	r = open_new(o, &rootfd, &h, err);
	if (r < 0)
		return r;
	sb->opts.child_close_fd = h.lockfd;
	sb->opts.spawned = write_first_state;
	sb->opts.spawned_data = &cc;
	r = o->config ? nb_container_save_config(&h, o->config, o->config_len, err) : 0;
	if (r >= 0)
		r = nb_sandbox_spawn(sb, cfg, err);
	sb->opts.spawned = NULL;
	sb->opts.spawned_data = NULL;
	if (r >= 0)
		r = write_final_state(&cc, sb->pid, sb->cmd_pid, err);
	if (r >= 0 && o->pid_file)
		r = write_pid_file(o->pid_file, sb->pid, err);
	if (r < 0) {
		struct nb_error ignored;

		nb_sandbox_release(sb);
		nb_state_remove(rootfd, o->id, &h, &ignored);
	}
	nb_state_handle_close(&h);
	return r;
}

void nb_container_unregister(const char *root, const char *id)
{
	struct nb_state_handle h = { -1, -1 };
	struct nb_error ignored;
	_cleanup_close_ int rootfd = -1;

	if (nb_container_id_check(id, &ignored) < 0)
		return;
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd >= 0 && nb_state_open(rootfd, id, true, &h, &ignored) == 0)
		nb_state_remove(rootfd, id, &h, &ignored);
	nb_state_handle_close(&h);
}

/* ---- the commands on an existing container ---- */

static int open_root(const char *root, const char *id, int *ret_rootfd, struct nb_error *err)
{
	int r = nb_container_id_check(id, err);

	if (r < 0)
		return r;
	*ret_rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (*ret_rootfd < 0) {
		if (errno == ENOENT)
			return nb_error_set(err, ENOENT, "container '%s' does not exist", id);
		return nb_error_errno(err, "state directory '%s'", root);
	}
	return 0;
}

int nb_container_open(const char *root, const char *id, bool exclusive, int *ret_rootfd,
			  struct nb_state_handle *h, struct nb_state *st, struct nb_error *err)
{
	int r = open_root(root, id, ret_rootfd, err);

	if (r < 0)
		return r;
	r = nb_state_open(*ret_rootfd, id, exclusive, h, err);
	if (r < 0)
		return r;
	r = nb_state_read(h, st, err);
	if (r < 0)
		nb_state_handle_close(h);
	return r;
}

/* Open exec.fifo for reading (unless OPENED, taken over, is it already):
 * the child blocked in open(O_WRONLY) goes on, writes one byte and execs.
 * Waits for that byte, or the child's death. */
static int release_fifo(const struct nb_state_handle *h, const struct nb_state *st, int opened,
			int child_pidfd, struct nb_error *err)
{
	_cleanup_close_ int fifo = opened, own_pidfd = -1;
	struct pollfd p[2];
	char c;
	int r;

	/* The pidfd first, while the child is still blocked in open(): once
	 * the fifo is open it may exec, fail (a missing command) and be reaped
	 * by its parent at once, and that is a start, not "not running". An
	 * OPENED fifo is `run`'s, whose child may have run to its end already:
	 * run's CHILD_PIDFD of it then (a state's pidfd is only of a live process). */
	r = opened >= 0 ? 0 : nb_state_pidfd(st, &own_pidfd);
	if (r < 0)
		return nb_error_set(err, ESRCH, "container '%s' is not running", st->id);
	if (fifo < 0)
		fifo = openat(h->dirfd, NB_EXEC_FIFO, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fifo < 0)
		return nb_error_errno(err, "open exec.fifo");
	p[0] = (struct pollfd){ .fd = fifo, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = opened >= 0 ? child_pidfd : own_pidfd, .events = POLLIN };
	do
		r = poll(p, 2, START_TIMEOUT_MS);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return nb_error_errno(err, "wait for container '%s'", st->id);
	if (p[0].revents & POLLIN && read(fifo, &c, 1) == 1) {
		/* The child holds its end until exec (O_CLOEXEC): at EOF the
		 * startContainer hooks have run and the process exec'd, so the
		 * poststart hooks come after, as the spec says. A child that
		 * fails first (a startContainer hook, the exec) writes its error. */
		char msg[NB_ERROR_MSG_MAX];
		size_t len = 0;

		for (;;) {
			ssize_t n;

			do
				r = poll(p, 1, START_TIMEOUT_MS);
			while (r < 0 && errno == EINTR);
			if (r == 0)
				return nb_error_set(err, ETIMEDOUT, "container '%s' did not exec", st->id);
			n = read(fifo, msg + len, sizeof(msg) - 1 - len);
			if (n > 0)
				len += (size_t)n;
			if (n == 0 || len == sizeof(msg) - 1)
				break;
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				return nb_error_errno(err, "wait for container '%s' to exec", st->id);
		}
		msg[len] = '\0';
		if (len)
			return nb_error_set(err, ECANCELED, "container '%s' did not start: %s", st->id, msg);
		return 0;
	}
	if (r == 0)
		return nb_error_set(err, ETIMEDOUT, "container '%s' did not start", st->id);
	return nb_error_set(err, ESRCH, "container '%s' exited before it started", st->id);
}

/* Start ID; FIFO (taken over) is its exec.fifo that `run` opened at
 * create, or -1; then PIDFD is run's own of its child. */
static int start(const char *root, const char *id, int fifo, int pidfd, struct nb_error *warn,
		 struct nb_error *err)
{
	struct nb_state_handle h = { -1, -1 };
	struct nb_state st = { 0 };
	_cleanup_close_ int rootfd = -1;
	enum nb_status status;
	int r;

	r = nb_container_open(root, id, true, &rootfd, &h, &st, err);
	if (r < 0) {
		if (fifo >= 0)
			close(fifo);
		return r;
	}
	/* `run`'s own container, created a moment ago, is created (and may
	 * be running already): no need to ask its cgroup whether it is frozen. */
	status = fifo >= 0 ? NB_STATUS_CREATED : nb_state_status(&h, &st);
	if (status != NB_STATUS_CREATED)
		r = nb_error_set(err, EINVAL, "cannot start container '%s': it is %s, not created",
				 id, nb_status_name(status));
	else
		r = release_fifo(&h, &st, fifo, pidfd, err);
	if (r >= 0 && unlinkat(h.dirfd, NB_EXEC_FIFO, 0) < 0)
		r = nb_error_errno(err, "remove exec.fifo");
	if (r >= 0) {
		_cleanup_free_ char *json = nb_state_json(&st, NB_STATUS_RUNNING);
		struct nb_saved_hooks sh;

		nb_saved_hooks_load(&h, NB_HOOK_POSTSTART, &sh);
		nb_saved_hooks_run(&sh, NB_HOOK_POSTSTART, json ? json : "{}", warn);
		nb_saved_hooks_free(&sh);
	}
	nb_state_free(&st);
	nb_state_handle_close(&h);
	return r;
}

int nb_container_start(const char *root, const char *id, struct nb_error *warn, struct nb_error *err)
{
	return start(root, id, -1, -1, warn, err);
}

int nb_container_start_opened(const char *root, const char *id, int fifo, int pidfd, struct nb_error *warn,
			      struct nb_error *err)
{
	return start(root, id, fifo, pidfd, warn, err);
}

int nb_container_kill(const char *root, const char *id, int sig, bool all, struct nb_error *err)
{
	struct nb_state_handle h = { -1, -1 };
	struct nb_state st = { 0 };
	_cleanup_close_ int rootfd = -1, pidfd = -1;
	int r;

	r = nb_container_open(root, id, false, &rootfd, &h, &st, err);
	if (r < 0)
		return r;
	r = nb_state_pidfd(&st, &pidfd);
	if (r < 0 && all)
		/* Its process has exited: what it left in its cgroup, if any,
		 * and success, as runc 1.1 (containerd's shim calls `kill --all
		 * ID 9` after every exit). */
		r = nb_procs_kill_left(&st, sig, err);
	else if (r < 0)
		/* runc's words, which containerd's shim and conmon look for. */
		r = nb_error_set(err, ESRCH, "cannot kill container '%s': container not running", id);
	else if (all)
		r = nb_procs_kill_all(&st, sig, err);
	/* Signal 0 only checks that the process is alive, as kill(2). */
	if (r >= 0 && pidfd >= 0 && nb_pidfd_signal(pidfd, sig) < 0 && errno != ESRCH)
		r = nb_error_errno(err, "kill container '%s'", id);
	nb_state_free(&st);
	nb_state_handle_close(&h);
	return r;
}

/* Remove the record of a stopped (or now killed) container, then run its
 * poststop hooks. A half-made one never had any. */
static int remove_container(int rootfd, const char *id, struct nb_state_handle *h, const struct nb_state *st,
			    struct nb_error *warn, struct nb_error *err)
{
	_cleanup_free_ char *json = nb_state_json(st, NB_STATUS_STOPPED);
	struct nb_saved_hooks sh = { 0 };
	int r;

	if (!st->creating)
		nb_saved_hooks_load(h, NB_HOOK_POSTSTOP, &sh);
	r = nb_state_remove(rootfd, id, h, err);
	if (r >= 0)
		nb_saved_hooks_run(&sh, NB_HOOK_POSTSTOP, json ? json : "{}", warn);
	nb_saved_hooks_free(&sh);
	return r;
}

int nb_container_delete(const char *root, const char *id, bool force, struct nb_error *warn,
			struct nb_error *err)
{
	struct nb_state_handle h = { -1, -1 };
	struct nb_state st = { 0 };
	_cleanup_close_ int rootfd = -1;
	bool has_state = false;
	enum nb_status status;
	int r;

	r = open_root(root, id, &rootfd, err);
	if (r >= 0)
		r = nb_state_open_record(rootfd, id, &h, &has_state, err);
	if (r < 0)
		return r;
	/* No state.json: its creator died before the first write; no process,
	 * but maybe the cgroup it was making. */
	if (!has_state) {
		r = end_named_cgroup(&h, id, err);
		if (r >= 0)
			r = nb_state_remove(rootfd, id, &h, err);
		nb_state_handle_close(&h);
		return r;
	}
	r = nb_state_read(&h, &st, err);
	status = r < 0 ? NB_STATUS_STOPPED : nb_state_status(&h, &st);
	if (r >= 0 && (status == NB_STATUS_RUNNING || status == NB_STATUS_PAUSED) && !force)
		r = nb_error_set(err, EBUSY, "cannot delete container '%s': it is %s "
				 "(stop it first, or use --force)", id, nb_status_name(status));
	else if (r >= 0 && status != NB_STATUS_STOPPED)
		r = nb_procs_kill_wait(&st, err);   /* created, or half-made: creating */
	/* What it left behind (without a pid namespace of its own), as runc. */
	if (r >= 0)
		r = nb_procs_end_cgroup(&st, err);
	/* Its network lease (a bridge's), now that its process is gone. */
	if (r >= 0)
		nb_netattach_release_holder(st.pid, st.start_time);
	if (r >= 0)
		r = remove_container(rootfd, id, &h, &st, warn, err);
	nb_state_free(&st);
	nb_state_handle_close(&h);
	return r;
}

int nb_container_state(const char *root, const char *id, char **ret_json, struct nb_error *err)
{
	struct nb_state_handle h = { -1, -1 };
	struct nb_state st = { 0 };
	_cleanup_close_ int rootfd = -1;
	bool has_state = false;
	int r;

	r = open_root(root, id, &rootfd, err);
	if (r >= 0)
		r = nb_state_open_record(rootfd, id, &h, &has_state, err);
	if (r >= 0 && has_state)
		r = nb_state_read(&h, &st, err);
	if (r < 0) {
		nb_state_handle_close(&h);
		return r;
	}
	/* No state.json: a create killed before its first write. Shown as
	 * creating (for ever: only delete removes it), never hidden. */
	if (!has_state) {
		st.id = strdup(id);
		st.creating = true;
	}
	*ret_json = st.id ? nb_state_json(&st, has_state ? nb_state_status(&h, &st) : NB_STATUS_CREATING) : NULL;
	if (!*ret_json)
		r = nb_error_set(err, ENOMEM, "out of memory");
	nb_state_free(&st);
	nb_state_handle_close(&h);
	return r;
}

int nb_container_pids(const char *root, const char *id, pid_t **ret, size_t *ret_n,
		      struct nb_error *err)
{
	struct nb_state_handle h = { -1, -1 };
	struct nb_state st = { 0 };
	_cleanup_close_ int rootfd = -1;
	int r;

	*ret = NULL;
	*ret_n = 0;
	r = nb_container_open(root, id, false, &rootfd, &h, &st, err);
	if (r < 0)
		return r;
	r = nb_procs_list(&st, ret, ret_n, err);
	nb_state_free(&st);
	nb_state_handle_close(&h);
	return r;
}

void nb_container_list_free(struct nb_container_entry *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		nb_state_free(&list[i].state);
	free(list);
}

int nb_container_list(const char *root, struct nb_container_entry **ret, size_t *ret_n,
		      struct nb_error *err)
{
	struct nb_container_entry *list = NULL;
	_cleanup_close_ int rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	*ret = NULL;
	*ret_n = 0;
	if (rootfd < 0)
		return errno == ENOENT ? 0 : nb_error_errno(err, "state directory '%s'", root);
	d = fdopendir(dup(rootfd));
	if (!d)
		return nb_error_errno(err, "state directory '%s'", root);
	while ((de = readdir(d))) {
		struct nb_state_handle h = { -1, -1 };
		struct nb_error ignored;
		struct nb_container_entry *grown;

		/* A directory without state.json (a creator's leftover) is skipped. */
		if (de->d_name[0] == '.' || nb_state_open(rootfd, de->d_name, false, &h, &ignored) < 0)
			continue;
		grown = realloc(list, (n + 1) * sizeof(*list));
		if (!grown) {
			nb_state_handle_close(&h);
			break;
		}
		list = grown;
		if (nb_state_read(&h, &list[n].state, &ignored) == 0) {
			list[n].status = nb_state_status(&h, &list[n].state);
			n++;
		}
		nb_state_handle_close(&h);
	}
	closedir(d);
	*ret = list;
	*ret_n = n;
	return 0;
}

void nb_exec_target_release(struct nb_exec_target *t)
{
	nb_closep(&t->pidfd);
	free(t->bundle);
	free(t->config);
	t->bundle = t->config = NULL;
}

int nb_container_exec_target(const char *root, const char *id, struct nb_exec_target *t,
			     struct nb_error *err)
{
	struct nb_state_handle h = { -1, -1 };
	struct nb_state st = { 0 };
	_cleanup_close_ int rootfd = -1;
	enum nb_status status;
	char path[64], buf[16];
	int r;

	memset(t, 0, sizeof(*t));
	t->pidfd = -1;
	r = nb_container_open(root, id, false, &rootfd, &h, &st, err);
	if (r < 0)
		return r;
	status = nb_state_status(&h, &st);
	if (status == NB_STATUS_STOPPED || (status == NB_STATUS_RUNNING && nb_state_ns_pidfd(&st, &t->pidfd, &t->pid) < 0))
		r = nb_error_set(err, ESRCH, "exec in container '%s': cannot exec in a stopped container", id);
	else if (status == NB_STATUS_PAUSED)
		r = nb_error_set(err, EINVAL, "exec in container '%s': cannot exec in a paused container", id);
	else if (status != NB_STATUS_RUNNING)
		r = nb_error_set(err, EINVAL, "cannot exec in container '%s': it is %s, not running", id,
				 nb_status_name(status));
	/* The config create validated: the bundle may have changed since. */
	if (r >= 0)
		r = nb_container_load_config(&h, &t->config, &t->config_len, err);
	if (r >= 0) {
		/* The pidfd pins the process: the namespaces read below are its. */
		t->ns_flags = nb_procs_differing_namespaces(t->pid);
		snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)t->pid);
		t->setgroups_denied = nb_read_file_at(AT_FDCWD, path, buf, sizeof(buf)) > 0 &&
				      strncmp(buf, "deny", 4) == 0;
		t->bundle = TAKE_PTR(st.bundle);
	}
	nb_state_free(&st);
	nb_state_handle_close(&h);
	return r;
}

int nb_container_notify_socket(const char *root, const char *id, int *ret_fd, struct nb_error *err)
{
	struct nb_state_handle h = { -1, -1 };
	struct nb_state st = { 0 };
	_cleanup_close_ int rootfd = -1;
	int r = nb_container_open(root, id, false, &rootfd, &h, &st, err);

	*ret_fd = -1;
	if (r >= 0)
		r = nb_notify_listen(h.dirfd, ret_fd, err);
	nb_state_free(&st);
	nb_state_handle_close(&h);
	return r;
}

int nb_container_process(const char *root, const char *id, pid_t *ret_pid, int *ret_pidfd,
			 struct nb_error *err)
{
	struct nb_state_handle h = { -1, -1 };
	struct nb_state st = { 0 };
	_cleanup_close_ int rootfd = -1;
	int r = nb_container_open(root, id, false, &rootfd, &h, &st, err);

	if (r >= 0 && nb_state_pidfd(&st, ret_pidfd) < 0)
		r = nb_error_set(err, ESRCH, "container '%s': container not running", id);
	if (r >= 0)
		*ret_pid = st.pid;
	nb_state_free(&st);
	nb_state_handle_close(&h);
	return r;
}
