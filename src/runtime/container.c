/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/container.h"
#include "base/cleanup.h"
#include "base/fileutil.h"
#include "linux/namespaces.h"
#include "linux/process.h"
#include "runtime/hooks.h"

#include <jansson.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define START_TIMEOUT_MS 30000

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

static int fill_state(const struct nb_container_opts *o, const struct nb_config *cfg, pid_t pid,
		      struct nb_state *st, struct nb_error *err)
{
	char created[64], state;

	now_rfc3339(created, sizeof(created));
	st->id = strdup(o->id);
	st->bundle = strdup(o->bundle);
	st->created = strdup(created);
	st->pid = pid;
	st->owner = geteuid();
	st->own_pidns = cfg->ns[NB_NS_PID].mode == NB_NS_NEW;
	if (!st->id || !st->bundle || !st->created)
		return nb_error_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < cfg->oci.annotations.len; i++)
		if (nb_strv_push(&st->annotations, cfg->oci.annotations.items[i]) < 0)
			return nb_error_set(err, ENOMEM, "out of memory");
	if (nb_proc_start_time(pid, &st->start_time, &state) < 0)
		return nb_error_set(err, ESRCH, "container process %d died during create", (int)pid);
	return 0;
}

#define HOOKS_FILE "hooks.json"

/* poststart and poststop run in later commands: keep them in the state dir. */
static int save_hooks(const struct nb_state_handle *h, const struct nb_config *cfg, struct nb_error *err)
{
	static const enum nb_hook_kind kinds[] = { NB_HOOK_POSTSTART, NB_HOOK_POSTSTOP };
	json_t *root;
	char *text;
	int fd, r;

	if (!cfg->oci.n_hooks[NB_HOOK_POSTSTART] && !cfg->oci.n_hooks[NB_HOOK_POSTSTOP])
		return 0;   /* load_hooks() reads a missing file as no hooks */
	root = json_object();
	for (size_t k = 0; k < NB_ARRAY_SIZE(kinds); k++) {
		json_t *arr = json_array();

		for (size_t i = 0; i < cfg->oci.n_hooks[kinds[k]]; i++) {
			const struct nb_hook *hk = &cfg->oci.hooks[kinds[k]][i];
			json_t *o = json_object(), *args = json_array(), *env = json_array();

			for (size_t j = 0; j < hk->args.len; j++)
				json_array_append_new(args, json_string(hk->args.items[j]));
			for (size_t j = 0; j < hk->env.len; j++)
				json_array_append_new(env, json_string(hk->env.items[j]));
			json_object_set_new(o, "path", json_string(hk->path));
			json_object_set_new(o, "args", args);
			json_object_set_new(o, "env", env);
			json_object_set_new(o, "timeout", json_integer(hk->timeout));
			json_array_append_new(arr, o);
		}
		json_object_set_new(root, nb_hook_kind_name(kinds[k]), arr);
	}
	text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (!text)
		return nb_error_set(err, ENOMEM, "out of memory");
	fd = openat(h->dirfd, HOOKS_FILE, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	r = fd < 0 ? -errno : nb_write_all(fd, text, strlen(text));
	free(text);
	if (fd >= 0)
		close(fd);
	if (r < 0)
		return nb_error_sys(err, -r, "write hooks");
	return 0;
}

static void free_hooks(struct nb_hook *hooks, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(hooks[i].path);
		nb_strv_free(&hooks[i].args);
		nb_strv_free(&hooks[i].env);
	}
	free(hooks);
}

static void strv_from_json(struct nb_strv *v, json_t *arr)
{
	size_t i;
	json_t *item;

	json_array_foreach(arr, i, item)
		if (json_is_string(item))
			nb_strv_push(v, json_string_value(item));
}

/* The saved hooks of KIND (none if there is no file). */
static size_t load_hooks(const struct nb_state_handle *h, enum nb_hook_kind kind, struct nb_hook **ret)
{
	char buf[1 << 16];
	json_t *root, *arr, *item;
	size_t i, n = 0;

	*ret = NULL;
	if (nb_read_file_at(h->dirfd, HOOKS_FILE, buf, sizeof(buf)) <= 0)
		return 0;
	root = json_loads(buf, 0, NULL);
	arr = json_object_get(root, nb_hook_kind_name(kind));
	if (json_array_size(arr))
		*ret = calloc(json_array_size(arr), sizeof(**ret));
	json_array_foreach(arr, i, item) {
		const char *path = json_string_value(json_object_get(item, "path"));

		if (!*ret || !path)
			continue;
		(*ret)[n].path = strdup(path);
		strv_from_json(&(*ret)[n].args, json_object_get(item, "args"));
		strv_from_json(&(*ret)[n].env, json_object_get(item, "env"));
		(*ret)[n].timeout = (int)json_integer_value(json_object_get(item, "timeout"));
		n++;
	}
	json_decref(root);
	return n;
}

/* Run saved hooks whose failure is only a warning (poststart, poststop). */
static void run_saved_hooks(const struct nb_state_handle *h, enum nb_hook_kind kind,
			    const char *state_json, struct nb_error *warn)
{
	struct nb_hook *hooks;
	size_t n = load_hooks(h, kind, &hooks);

	if (n && nb_hooks_run(hooks, n, kind, state_json, -1, warn) < 0)
		nb_error_prefix(warn, "warning");
	free_hooks(hooks, n);
}

struct hook_ctx {
	const struct nb_container_opts *o;
	const struct nb_config *cfg;
};

static bool has_early_hooks(const struct nb_config *cfg)
{
	return cfg->oci.n_hooks[NB_HOOK_PRESTART] || cfg->oci.n_hooks[NB_HOOK_CREATE_RUNTIME] ||
	       cfg->oci.n_hooks[NB_HOOK_CREATE_CONTAINER] || cfg->oci.n_hooks[NB_HOOK_START_CONTAINER];
}

static int fill_state(const struct nb_container_opts *o, const struct nb_config *cfg, pid_t pid,
		      struct nb_state *st, struct nb_error *err);

/* The child's mounts are done, pivot_root not yet: prestart and
 * createRuntime run here in our namespaces, createContainer in the child's. */
static int container_hook_point(struct nb_sandbox *sb, void *data, char **ret_state_json,
				struct nb_error *err)
{
	const struct hook_ctx *hc = data;
	const struct nb_oci_extras *x = &hc->cfg->oci;
	struct nb_state st = { 0 };
	int r = fill_state(hc->o, hc->cfg, sb->pid, &st, err);

	*ret_state_json = r < 0 ? NULL : nb_state_json(&st, NB_STATUS_CREATING);
	nb_state_free(&st);
	if (r < 0)
		return r;
	if (!*ret_state_json)
		return nb_error_set(err, ENOMEM, "out of memory");
	r = nb_hooks_run(x->hooks[NB_HOOK_PRESTART], x->n_hooks[NB_HOOK_PRESTART], NB_HOOK_PRESTART,
			 *ret_state_json, -1, err);
	if (r >= 0)
		r = nb_hooks_run(x->hooks[NB_HOOK_CREATE_RUNTIME], x->n_hooks[NB_HOOK_CREATE_RUNTIME],
				 NB_HOOK_CREATE_RUNTIME, *ret_state_json, -1, err);
	if (r >= 0)
		r = nb_hooks_run(x->hooks[NB_HOOK_CREATE_CONTAINER], x->n_hooks[NB_HOOK_CREATE_CONTAINER],
				 NB_HOOK_CREATE_CONTAINER, *ret_state_json, sb->pidfd, err);
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

static int create_locked(int rootfd, const struct nb_container_opts *o, const struct nb_config *cfg,
			 struct nb_state_handle *h, struct nb_sandbox *sb, struct nb_error *err)
{
	struct hook_ctx hc = { .o = o, .cfg = cfg };
	char fifo[4096];
	struct nb_state st = { 0 };
	int r;

	/* The fifo path is resolved by the child before pivot_root: make it absolute. */
	r = snprintf(fifo, sizeof(fifo), "/proc/self/fd/%d/" NB_EXEC_FIFO, h->dirfd);
	/* The container's root opens it for writing, as whoever it is on the
	 * host: owned by it where we may chown, else writable by all (like
	 * runc's 0622); the state dir (0700) keeps everyone else out. */
	if (r < 0 || (size_t)r >= sizeof(fifo) || mkfifoat(h->dirfd, NB_EXEC_FIFO, 0622) < 0 ||
	    fchmodat(h->dirfd, NB_EXEC_FIFO, 0622, 0) < 0)
		return nb_error_errno(err, "create exec.fifo");
	(void)fchownat(h->dirfd, NB_EXEC_FIFO, container_root(&cfg->uid_map, cfg, geteuid()),
		       container_root(&cfg->gid_map, cfg, getegid()), AT_SYMLINK_NOFOLLOW);
	sb->opts.exec_fifo = fifo;
	sb->opts.preserve_fds = o->preserve_fds;
	sb->opts.console_socket = o->console_socket;
	sb->opts.child_close_fd = h->lockfd;
	sb->opts.id = o->id;
	sb->opts.bundle = o->bundle;
	if (has_early_hooks(cfg)) {
		sb->opts.hook_point = container_hook_point;
		sb->opts.hook_data = &hc;
	}
	r = nb_sandbox_spawn(sb, cfg, err);
	sb->opts.hook_point = NULL;
	sb->opts.hook_data = NULL;
	sb->opts.exec_fifo = NULL;
	if (r < 0)
		return r;
	if (!sb->created)
		return nb_error_set(err, EPROTO, "container process ended before it was created");
	r = fill_state(o, cfg, sb->pid, &st, err);
	if (r >= 0)
		r = save_hooks(h, cfg, err);
	if (r >= 0)
		r = nb_state_write(h, &st, err);
	if (r >= 0 && o->pid_file)
		r = write_pid_file(o->pid_file, sb->pid, err);
	nb_state_free(&st);
	return r;
}

int nb_container_create(const struct nb_container_opts *o, const struct nb_config *cfg,
			struct nb_sandbox *sb, struct nb_error *err)
{
	struct nb_state_handle h = { -1, -1 };
	_cleanup_close_ int rootfd = -1;
	int r;

	r = nb_container_id_check(o->id, err);
	if (r < 0)
		return r;
	r = nb_state_root_open(o->root, &rootfd, err);
	if (r < 0)
		return r;
	r = nb_state_create(rootfd, o->id, &h, err);
	if (r == -EEXIST)
		return r;
	if (r >= 0)
		r = create_locked(rootfd, o, cfg, &h, sb, err);
	if (r < 0) {
		struct nb_error ignored;

		/* Nothing left behind: the process dies with release, the state here. */
		nb_sandbox_release(sb);
		if (h.dirfd >= 0)
			nb_state_remove(rootfd, o->id, &h, &ignored);
	}
	nb_state_handle_close(&h);
	return r;
}

int nb_container_register(const struct nb_container_opts *o, const struct nb_config *cfg,
			  struct nb_sandbox *sb, struct nb_error *err)
{
	struct nb_state_handle h = { -1, -1 };
	struct nb_state st = { 0 };
	_cleanup_close_ int rootfd = -1;
	int r;

	r = nb_container_id_check(o->id, err);
	if (r >= 0)
		r = nb_state_root_open(o->root, &rootfd, err);
	if (r >= 0)
		r = nb_state_create(rootfd, o->id, &h, err);
	if (r < 0)
		return r;
	sb->opts.child_close_fd = h.lockfd;
	r = nb_sandbox_spawn(sb, cfg, err);
	if (r >= 0)
		r = fill_state(o, cfg, sb->pid, &st, err);
	if (r >= 0)
		r = nb_state_write(&h, &st, err);
	if (r >= 0 && o->pid_file)
		r = write_pid_file(o->pid_file, sb->pid, err);
	nb_state_free(&st);
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
	_cleanup_close_ int rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (rootfd >= 0 && nb_state_open(rootfd, id, true, &h, &ignored) == 0)
		nb_state_remove(rootfd, id, &h, &ignored);
	nb_state_handle_close(&h);
}

static int open_container(const char *root, const char *id, bool exclusive, int *ret_rootfd,
			  struct nb_state_handle *h, struct nb_state *st, struct nb_error *err)
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
	r = nb_state_open(*ret_rootfd, id, exclusive, h, err);
	if (r < 0)
		return r;
	r = nb_state_read(h, st, err);
	if (r < 0)
		nb_state_handle_close(h);
	return r;
}

/* Open exec.fifo for reading: the child blocked in open(O_WRONLY) goes on,
 * writes one byte and execs. Waits for that byte, or the child's death. */
static int release_fifo(const struct nb_state_handle *h, const struct nb_state *st, struct nb_error *err)
{
	_cleanup_close_ int fifo = -1, pidfd = -1;
	struct pollfd p[2];
	char c;
	int r;

	/* The pidfd first, while the child is still blocked in open(): once
	 * the fifo is open it may exec, fail (a missing command) and be reaped
	 * by its parent at once, and that is a start, not "not running". */
	r = nb_state_pidfd(st, &pidfd);
	if (r < 0)
		return nb_error_set(err, ESRCH, "container '%s' is not running", st->id);
	fifo = openat(h->dirfd, NB_EXEC_FIFO, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fifo < 0)
		return nb_error_errno(err, "open exec.fifo");
	p[0] = (struct pollfd){ .fd = fifo, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
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

int nb_container_start(const char *root, const char *id, struct nb_error *warn, struct nb_error *err)
{
	struct nb_state_handle h = { -1, -1 };
	struct nb_state st = { 0 };
	_cleanup_close_ int rootfd = -1;
	enum nb_status status;
	int r;

	r = open_container(root, id, true, &rootfd, &h, &st, err);
	if (r < 0)
		return r;
	status = nb_state_status(&h, &st);
	if (status != NB_STATUS_CREATED)
		r = nb_error_set(err, EINVAL, "cannot start container '%s': it is %s, not created",
				 id, nb_status_name(status));
	else
		r = release_fifo(&h, &st, err);
	if (r >= 0 && unlinkat(h.dirfd, NB_EXEC_FIFO, 0) < 0)
		r = nb_error_errno(err, "remove exec.fifo");
	if (r >= 0) {
		_cleanup_free_ char *json = nb_state_json(&st, NB_STATUS_RUNNING);

		run_saved_hooks(&h, NB_HOOK_POSTSTART, json ? json : "{}", warn);
	}
	nb_state_free(&st);
	nb_state_handle_close(&h);
	return r;
}

static bool same_pidns(pid_t pid, const struct stat *ns)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
	return stat(path, &st) == 0 && st.st_ino == ns->st_ino && st.st_dev == ns->st_dev;
}

/* Every process whose pid namespace is that of the container's process. */
static int pidns_members(const struct nb_state *st, pid_t **ret, size_t *ret_n, struct nb_error *err)
{
	char path[64];
	struct stat ns;
	struct dirent *de;
	pid_t *pids = NULL;
	size_t n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)st->pid);
	if (stat(path, &ns) < 0)
		return nb_error_errno(err, "container '%s': pid namespace", st->id);
	d = opendir("/proc");
	if (!d)
		return nb_error_errno(err, "read /proc");
	while ((de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		pid_t *grown;

		if (*end || pid <= 0 || !same_pidns((pid_t)pid, &ns))
			continue;
		grown = realloc(pids, (n + 1) * sizeof(*pids));
		if (!grown) {
			closedir(d);
			free(pids);
			return nb_error_set(err, ENOMEM, "out of memory");
		}
		pids = grown;
		pids[n++] = (pid_t)pid;
	}
	closedir(d);
	*ret = pids;
	*ret_n = n;
	return 0;
}

static int kill_all(const struct nb_state *st, int sig, struct nb_error *err)
{
	_cleanup_free_ pid_t *pids = NULL;
	size_t n = 0;
	int r;

	if (!st->own_pidns)
		return 0;   /* without its own pid namespace only its process is known */
	r = pidns_members(st, &pids, &n, err);
	for (size_t i = 0; r >= 0 && i < n; i++)
		kill(pids[i], sig);
	return r;
}

int nb_container_kill(const char *root, const char *id, int sig, bool all, struct nb_error *err)
{
	struct nb_state_handle h = { -1, -1 };
	struct nb_state st = { 0 };
	_cleanup_close_ int rootfd = -1, pidfd = -1;
	int r;

	r = open_container(root, id, false, &rootfd, &h, &st, err);
	if (r < 0)
		return r;
	r = nb_state_pidfd(&st, &pidfd);
	if (r < 0)
		r = nb_error_set(err, ESRCH, "cannot kill container '%s': it is stopped", id);
	else if (all)
		r = kill_all(&st, sig, err);
	if (r >= 0 && nb_pidfd_signal(pidfd, sig) < 0 && errno != ESRCH)
		r = nb_error_errno(err, "kill container '%s'", id);
	nb_state_free(&st);
	nb_state_handle_close(&h);
	return r;
}

/* SIGKILL the container and wait (bounded) until its process is gone. */
static int kill_and_wait(const struct nb_state *st, struct nb_error *err)
{
	_cleanup_close_ int pidfd = -1;
	struct pollfd p;
	int r;

	if (nb_state_pidfd(st, &pidfd) < 0)
		return 0;
	r = kill_all(st, SIGKILL, err);
	if (r < 0)
		return r;
	nb_pidfd_signal(pidfd, SIGKILL);
	p = (struct pollfd){ .fd = pidfd, .events = POLLIN };
	/* The pidfd turns readable at exit, even if no one has reaped it yet. */
	if (poll(&p, 1, 10000) <= 0)
		return nb_error_set(err, ETIMEDOUT, "container '%s' did not die after SIGKILL", st->id);
	return 0;
}

int nb_container_delete(const char *root, const char *id, bool force, struct nb_error *warn,
			struct nb_error *err)
{
	struct nb_state_handle h = { -1, -1 };
	struct nb_state st = { 0 };
	_cleanup_close_ int rootfd = -1;
	enum nb_status status;
	int r;

	r = open_container(root, id, true, &rootfd, &h, &st, err);
	if (r < 0)
		return r;
	status = nb_state_status(&h, &st);
	if (status == NB_STATUS_RUNNING && !force)
		r = nb_error_set(err, EBUSY, "cannot delete container '%s': it is running "
				 "(stop it first, or use --force)", id);
	else if (status != NB_STATUS_STOPPED)
		r = kill_and_wait(&st, err);
	if (r >= 0) {
		_cleanup_free_ char *json = nb_state_json(&st, NB_STATUS_STOPPED);
		struct nb_hook *hooks;
		size_t n = load_hooks(&h, NB_HOOK_POSTSTOP, &hooks);

		r = nb_state_remove(rootfd, id, &h, err);
		if (r >= 0 && n && nb_hooks_run(hooks, n, NB_HOOK_POSTSTOP, json ? json : "{}", -1, warn) < 0)
			nb_error_prefix(warn, "warning");
		free_hooks(hooks, n);
	}
	nb_state_free(&st);
	nb_state_handle_close(&h);
	return r;
}

int nb_container_state(const char *root, const char *id, char **ret_json, struct nb_error *err)
{
	struct nb_state_handle h = { -1, -1 };
	struct nb_state st = { 0 };
	_cleanup_close_ int rootfd = -1;
	int r;

	r = open_container(root, id, false, &rootfd, &h, &st, err);
	if (r < 0)
		return r;
	*ret_json = nb_state_json(&st, nb_state_status(&h, &st));
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
	_cleanup_close_ int rootfd = -1, pidfd = -1;
	int r;

	r = open_container(root, id, false, &rootfd, &h, &st, err);
	if (r < 0)
		return r;
	*ret = NULL;
	*ret_n = 0;
	if (nb_state_pidfd(&st, &pidfd) < 0) {
		r = 0;   /* stopped: no process */
	} else if (st.own_pidns) {
		r = pidns_members(&st, ret, ret_n, err);
	} else {
		*ret = malloc(sizeof(pid_t));
		if (*ret) {
			**ret = st.pid;
			*ret_n = 1;
		}
	}
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
	t->bundle = NULL;
}

/* The namespaces of PID that are not ours (joining one's own user
 * namespace is an error, so only those that differ are joined). */
static int differing_namespaces(pid_t pid)
{
	static const struct { const char *name; enum nb_ns_type type; } ns[] = {
		{ "user", NB_NS_USER }, { "mnt", NB_NS_MNT }, { "pid", NB_NS_PID },
		{ "uts", NB_NS_UTS }, { "ipc", NB_NS_IPC }, { "net", NB_NS_NET },
		{ "cgroup", NB_NS_CGROUP }, { "time", NB_NS_TIME },
	};
	int flags = 0;

	for (size_t i = 0; i < NB_ARRAY_SIZE(ns); i++) {
		char mine[64], theirs[64];
		struct stat a, b;

		snprintf(mine, sizeof(mine), "/proc/self/ns/%s", ns[i].name);
		snprintf(theirs, sizeof(theirs), "/proc/%d/ns/%s", (int)pid, ns[i].name);
		if (stat(mine, &a) == 0 && stat(theirs, &b) == 0 && a.st_ino != b.st_ino)
			flags |= nb_ns_clone_flag(ns[i].type);
	}
	return flags;
}

int nb_container_exec_target(const char *root, const char *id, struct nb_exec_target *t,
			     struct nb_error *err)
{
	struct nb_state_handle h = { -1, -1 };
	struct nb_state st = { 0 };
	_cleanup_close_ int rootfd = -1;
	char path[64], buf[16];
	int r;

	memset(t, 0, sizeof(*t));
	t->pidfd = -1;
	r = open_container(root, id, false, &rootfd, &h, &st, err);
	if (r < 0)
		return r;
	if (nb_state_status(&h, &st) != NB_STATUS_RUNNING)
		r = nb_error_set(err, EINVAL, "cannot exec in container '%s': it is %s, not running", id,
				 nb_status_name(nb_state_status(&h, &st)));
	else if (nb_state_pidfd(&st, &t->pidfd) < 0)
		r = nb_error_set(err, ESRCH, "cannot exec in container '%s': it is stopped", id);
	if (r >= 0) {
		/* The pidfd pins the process: the namespaces read below are its. */
		t->pid = st.pid;
		t->ns_flags = differing_namespaces(st.pid);
		snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)st.pid);
		t->setgroups_denied = nb_read_file_at(AT_FDCWD, path, buf, sizeof(buf)) > 0 &&
				      strncmp(buf, "deny", 4) == 0;
		t->bundle = st.bundle;
		st.bundle = NULL;
	}
	nb_state_free(&st);
	nb_state_handle_close(&h);
	return r;
}
