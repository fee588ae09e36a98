/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/state.h"
#include "linux/cgroup.h"
#include "base/cleanup.h"
#include "base/fileutil.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <unistd.h>

#define STATE_FILE "state.json"
#define LOCK_FILE "lock"
#define OPEN_TRIES 16               /* a record removed under us: look again */

const char *nb_status_name(enum nb_status status)
{
	switch (status) {
	case NB_STATUS_CREATING: return "creating";
	case NB_STATUS_CREATED: return "created";
	case NB_STATUS_RUNNING: return "running";
	case NB_STATUS_PAUSED: return "paused";
	case NB_STATUS_STOPPED: return "stopped";
	}
	return "unknown";
}

void nb_state_free(struct nb_state *st)
{
	free(st->id);
	free(st->bundle);
	free(st->created);
	free(st->cgroup);
	nb_strv_free(&st->annotations);
	memset(st, 0, sizeof(*st));
}

int nb_container_id_check(const char *id, struct nb_error *err)
{
	size_t len = strlen(id);

	if (len == 0 || len > NB_CONTAINER_ID_MAX)
		return nb_error_usage(err, "container id '%.64s%s': must be 1 to %d characters", id,
				      len > 64 ? "..." : "", NB_CONTAINER_ID_MAX);
	if (strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
		return nb_error_usage(err, "container id '%s': not allowed", id);
	for (const char *p = id; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+.-", *p))
			return nb_error_usage(err, "container id '%.64s': only letters, digits and _ + . - "
					      "are allowed", id);
	/* Every later command would take it for an option. */
	if (id[0] == '-')
		return nb_error_usage(err, "container id '%.64s': must not start with '-'", id);
	return 0;
}

/* A file name has at most NAME_MAX (255) bytes, an id up to 1024: a longer
 * id's directory is "~" (in no id) and a 128-bit hash of the id, and its
 * state.json, which holds the id, is checked on open. */
#define DIR_NAME_SIZE 40
static const char *dir_name(const char *id, char buf[DIR_NAME_SIZE])
{
	uint64_t a = 0xcbf29ce484222325ULL, b = 0x84222325cbf29ce4ULL;

	if (strlen(id) <= NAME_MAX)
		return id;
	for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
		a = (a ^ *p) * 0x100000001b3ULL;   /* FNV-1a, and a variant */
		b = (b ^ *p) * 0x100000001b3ULL;
		b ^= b >> 29;
	}
	snprintf(buf, DIR_NAME_SIZE, "~%016" PRIx64 "%016" PRIx64, a, b);
	return buf;
}

/* For a hashed directory name: does its state.json hold ID? */
static bool holds_id(int dirfd, const char *id)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	json_t *root = nb_read_file_alloc_at(dirfd, STATE_FILE, NB_STATE_FILE_MAX, &text, &len) == 0 ?
		       json_loadb(text, len, 0, NULL) : NULL;
	const char *s = json_string_value(json_object_get(root, "id"));
	bool same = s && strcmp(s, id) == 0;

	json_decref(root);
	return same;
}

static int mkdir_p(const char *path, mode_t mode)
{
	_cleanup_free_ char *buf = strdup(path);

	if (!buf)
		return -ENOMEM;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int nb_state_root_open(const char *root, int *ret_fd, struct nb_error *err)
{
	int r = mkdir_p(root, 0700), fd;

	if (r < 0)
		return nb_error_sys(err, -r, "state directory '%s'", root);
	fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return nb_error_errno(err, "state directory '%s'", root);
	*ret_fd = fd;
	return 0;
}

void nb_state_handle_close(struct nb_state_handle *h)
{
	nb_closep(&h->dirfd);
	nb_closep(&h->lockfd);
}

/* Does NAME in DIRFD still name the file of FD? (A record removed while we
 * waited for its lock has its lock file unlinked first.) */
static bool still_linked(int dirfd, const char *name, int fd)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && fstatat(dirfd, name, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Open (creating if missing: a creator may have died before making it) and
 * flock the lock file of DIRFD. -ESTALE if the record was removed while we
 * waited. */
static int lock_dir(int dirfd, bool exclusive, int *ret_fd)
{
	_cleanup_close_ int fd = openat(dirfd, LOCK_FILE, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW |
					O_NOCTTY, 0600);

	if (fd < 0)
		return errno == ENOENT ? -ESTALE : -errno;   /* the directory is gone */
	while (flock(fd, exclusive ? LOCK_EX : LOCK_SH) < 0)
		if (errno != EINTR)
			return -errno;
	if (!still_linked(dirfd, LOCK_FILE, fd))
		return -ESTALE;
	*ret_fd = TAKE_FD(fd);
	return 0;
}

static bool has_state_file(int dirfd)
{
	struct stat st;

	return fstatat(dirfd, STATE_FILE, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

int nb_state_create(int rootfd, const char *id, struct nb_state_handle *h, struct nb_error *err)
{
	char buf[DIR_NAME_SIZE];
	const char *name = dir_name(id, buf);
	int r;

	h->dirfd = h->lockfd = -1;
	for (int tries = 0; tries < OPEN_TRIES; tries++) {
		if (mkdirat(rootfd, name, 0700) < 0) {
			if (errno == EEXIST)
				return nb_error_set(err, EEXIST, "container '%s' already exists", id);
			return nb_error_errno(err, "create state of '%s'", id);
		}
		h->dirfd = openat(rootfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (h->dirfd < 0)
			r = -errno;
		else
			r = lock_dir(h->dirfd, true, &h->lockfd);
		/* Another command took it for a creator's leftover and removed it
		 * between our mkdir and our lock: make it again. */
		if (r == -ESTALE || r == -ENOENT) {
			nb_state_handle_close(h);
			continue;
		}
		if (r < 0) {
			nb_state_handle_close(h);
			return nb_error_sys(err, -r, "lock state of '%s'", id);
		}
		/* Ours only if empty: one who got the lock first may have gone on
		 * to create it (seeing our empty directory as a leftover). */
		if (!has_state_file(h->dirfd))
			return 0;
		nb_state_handle_close(h);
		return nb_error_set(err, EEXIST, "container '%s' already exists", id);
	}
	return nb_error_set(err, EAGAIN, "create state of '%s': it keeps changing", id);
}

/* Lock ROOT/ID; -ENOENT if there is no such directory. */
static int open_locked(int rootfd, const char *id, bool exclusive, struct nb_state_handle *h,
		       struct nb_error *err)
{
	char buf[DIR_NAME_SIZE];
	const char *name = dir_name(id, buf);

	h->dirfd = h->lockfd = -1;
	for (int tries = 0; tries < OPEN_TRIES; tries++) {
		int r;

		h->dirfd = openat(rootfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (h->dirfd < 0) {
			if (errno == ENOENT)
				return nb_error_set(err, ENOENT, "container '%s' does not exist", id);
			return nb_error_errno(err, "open state of '%s'", id);
		}
		r = lock_dir(h->dirfd, exclusive, &h->lockfd);
		if (r == -ESTALE) {
			nb_state_handle_close(h);
			continue;   /* removed, and maybe made again, while we waited */
		}
		if (r < 0) {
			nb_state_handle_close(h);
			return nb_error_sys(err, -r, "lock state of '%s'", id);
		}
		/* A long id's hashed directory must be that id's. */
		if (name != id && has_state_file(h->dirfd) && !holds_id(h->dirfd, id)) {
			nb_state_handle_close(h);
			return nb_error_set(err, ENOENT, "container '%s' does not exist", id);
		}
		return 0;
	}
	return nb_error_set(err, EAGAIN, "open state of '%s': it keeps changing", id);
}

int nb_state_open(int rootfd, const char *id, bool exclusive, struct nb_state_handle *h,
		  struct nb_error *err)
{
	int r = open_locked(rootfd, id, exclusive, h, err);

	if (r < 0)
		return r;
	/* No state.json: a creator's leftover, not a container (see the top). */
	if (!has_state_file(h->dirfd)) {
		nb_state_handle_close(h);
		return nb_error_set(err, ENOENT, "container '%s' does not exist", id);
	}
	return 0;
}

int nb_state_open_record(int rootfd, const char *id, struct nb_state_handle *h, bool *ret_has_state,
			 struct nb_error *err)
{
	int r = open_locked(rootfd, id, true, h, err);

	if (r < 0)
		return r;
	*ret_has_state = has_state_file(h->dirfd);
	return 0;
}

/* The cgroup's location (linux/cgroup_location.h) into ROOT: its first
 * line as "nsboxCgroup", the hierarchies where it is elsewhere as
 * "nsboxCgroupPaths" ({"memory": "/a/x"}). */
static void set_cgroup(json_t *root, const char *location)
{
	json_t *paths = NULL;

	json_object_set_new(root, "nsboxCgroup", json_stringn(location, strcspn(location, "\n")));
	for (const char *l = strchr(location, '\n'); l; l = strchr(l, '\n')) {
		const char *eq = strchr(++l, '=');

		if (!eq)
			continue;
		if (!paths)
			paths = json_object();
		json_object_setn_new(paths, l, (size_t)(eq - l), json_stringn(eq + 1, strcspn(eq + 1, "\n")));
	}
	if (paths)
		json_object_set_new(root, "nsboxCgroupPaths", paths);
}

char *nb_state_text(const struct nb_state *st)
{
	_cleanup_free_ char *text = nb_state_json(st, st->creating ? NB_STATUS_CREATING : NB_STATUS_CREATED);
	json_t *root = text ? json_loads(text, 0, NULL) : NULL;
	char *full;

	if (!root)
		return NULL;
	json_object_set_new(root, "nsboxStartTime", json_integer((json_int_t)st->start_time));
	json_object_set_new(root, "nsboxOwnPidns", json_boolean(st->own_pidns));
	json_object_set_new(root, "nsboxOwner", json_integer((json_int_t)st->owner));
	if (st->ns_pid > 0) {
		json_object_set_new(root, "nsboxNsPid", json_integer(st->ns_pid));
		json_object_set_new(root, "nsboxNsStartTime", json_integer((json_int_t)st->ns_start_time));
	}
	json_object_set_new(root, "created", json_string(st->created ? st->created : ""));
	if (st->cgroup)
		set_cgroup(root, st->cgroup);
	if (st->creating) {
		json_object_set_new(root, "nsboxCreating", json_true());
		json_object_set_new(root, "nsboxCreatorPid", json_integer(st->creator_pid));
		json_object_set_new(root, "nsboxCreatorStartTime",
				    json_integer((json_int_t)st->creator_start_time));
	}
	full = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	return full;
}

int nb_state_write(const struct nb_state_handle *h, const struct nb_state *st, struct nb_error *err)
{
	_cleanup_free_ char *full = nb_state_text(st);
	_cleanup_close_ int fd = -1;
	int r;

	if (!full)
		return nb_error_set(err, ENOMEM, "out of memory");
	fd = openat(h->dirfd, STATE_FILE ".tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	r = fd < 0 ? -errno : nb_write_all(fd, full, strlen(full));
	/* No fsync: the exchange makes the write atomic, and state lives in
	 * /run, which does not outlive a reboot anyway (fsync was 1-2 ms a
	 * create). */
	if (r == 0)
		r = nb_replace_at(h->dirfd, STATE_FILE ".tmp", STATE_FILE);
	if (r < 0)
		return nb_error_sys(err, -r, "write state of '%s'", st->id);
	return 0;
}

/* The readers of state.json's fields. A field that is absent reads as 0,
 * false or "" (a state written by an older nsbox has fewer); one of the
 * wrong type or out of range is a corrupt state, never cut to fit (a pid
 * of 4294967297 is not pid 1). */
static int get_string(json_t *root, const char *key, char **ret, struct nb_error *err)
{
	json_t *v = json_object_get(root, key);

	if (v && !json_is_string(v))
		return nb_error_set(err, EBADMSG, "state.json: %s: must be a string", key);
	*ret = strdup(v ? json_string_value(v) : "");
	return *ret ? 0 : nb_error_set(err, ENOMEM, "out of memory");
}

/* The cgroup's location, from "nsboxCgroup" and "nsboxCgroupPaths"
 * (set_cgroup()). Its paths are checked where they are used. */
static int get_cgroup(json_t *root, char **ret, struct nb_error *err)
{
	json_t *paths = json_object_get(root, "nsboxCgroupPaths"), *v;
	const char *dir;
	size_t len, used;
	int r = get_string(root, "nsboxCgroup", ret, err);

	if (r >= 0 && strchr(*ret, '\n'))
		r = nb_error_set(err, EBADMSG, "state.json: nsboxCgroup: must be a path");
	if (r < 0 || !paths)
		return r;
	if (!json_is_object(paths))
		return nb_error_set(err, EBADMSG, "state.json: nsboxCgroupPaths: must be an object");
	json_object_foreach(paths, dir, v) {
		char *grown;

		if (!json_is_string(v) || strpbrk(dir, "=\n/") || strchr(json_string_value(v), '\n'))
			return nb_error_set(err, EBADMSG, "state.json: nsboxCgroupPaths: '%s': must be a "
					    "hierarchy's path", dir);
		used = strlen(*ret);
		len = used + strlen(dir) + json_string_length(v) + 3;
		grown = realloc(*ret, len);
		if (!grown)
			return nb_error_set(err, ENOMEM, "out of memory");
		snprintf(grown + used, len - used, "\n%s=%s", dir, json_string_value(v));
		*ret = grown;
	}
	return 0;
}

static int get_int(json_t *root, const char *key, json_int_t max, json_int_t *ret, struct nb_error *err)
{
	json_t *v = json_object_get(root, key);

	*ret = 0;
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > max)
		return nb_error_set(err, EBADMSG, "state.json: %s: must be an integer from 0 to %lld", key,
				    (long long)max);
	*ret = json_integer_value(v);
	return 0;
}

static int get_bool(json_t *root, const char *key, bool *ret, struct nb_error *err)
{
	json_t *v = json_object_get(root, key);

	if (v && !json_is_boolean(v))
		return nb_error_set(err, EBADMSG, "state.json: %s: must be true or false", key);
	*ret = json_is_true(v);
	return 0;
}

static int parse_fields(json_t *root, struct nb_state *st, struct nb_error *err)
{
	json_int_t pid, start, owner, ns_pid, ns_start, creator, creator_start;
	json_t *ann = json_object_get(root, "annotations"), *value;
	const char *key;
	int r;

	if (!json_is_object(root))
		return nb_error_set(err, EBADMSG, "state.json: must be a JSON object");
	if ((r = get_int(root, "pid", INT32_MAX, &pid, err)) < 0 ||
	    (r = get_int(root, "nsboxStartTime", INT64_MAX, &start, err)) < 0 ||
	    (r = get_bool(root, "nsboxOwnPidns", &st->own_pidns, err)) < 0 ||
	    (r = get_int(root, "nsboxOwner", UINT32_MAX, &owner, err)) < 0 ||
	    (r = get_int(root, "nsboxNsPid", INT32_MAX, &ns_pid, err)) < 0 ||
	    (r = get_int(root, "nsboxNsStartTime", INT64_MAX, &ns_start, err)) < 0 ||
	    (r = get_bool(root, "nsboxCreating", &st->creating, err)) < 0 ||
	    (r = get_int(root, "nsboxCreatorPid", INT32_MAX, &creator, err)) < 0 ||
	    (r = get_int(root, "nsboxCreatorStartTime", INT64_MAX, &creator_start, err)) < 0 ||
	    (r = get_string(root, "id", &st->id, err)) < 0 ||
	    (r = get_string(root, "bundle", &st->bundle, err)) < 0 ||
	    (r = get_string(root, "created", &st->created, err)) < 0)
		return r;
	if (json_object_get(root, "nsboxCgroup") && (r = get_cgroup(root, &st->cgroup, err)) < 0)
		return r;
	st->pid = (pid_t)pid;
	st->start_time = (uint64_t)start;
	st->owner = (uid_t)owner;
	/* What nb_state_text() writes only with its condition. */
	st->ns_pid = (pid_t)ns_pid;
	st->ns_start_time = ns_pid ? (uint64_t)ns_start : 0;
	st->creator_pid = st->creating ? (pid_t)creator : 0;
	st->creator_start_time = st->creating ? (uint64_t)creator_start : 0;
	if (ann && !json_is_object(ann))
		return nb_error_set(err, EBADMSG, "state.json: annotations: must be an object of strings");
	json_object_foreach(ann, key, value) {
		_cleanup_free_ char *kv = NULL;

		if (!json_is_string(value))
			return nb_error_set(err, EBADMSG, "state.json: annotations: must be an object of strings");
		/* As a config.json's (spec/oci.c): "key=value" must split back. */
		if (!*key || strchr(key, '='))
			return nb_error_set(err, EBADMSG, "state.json: annotations: a key is empty or holds '='");
		if (asprintf(&kv, "%s=%s", key, json_string_value(value)) < 0) {
			kv = NULL;
			return nb_error_set(err, ENOMEM, "out of memory");
		}
		if (nb_strv_push(&st->annotations, kv) < 0)
			return nb_error_set(err, ENOMEM, "out of memory");
	}
	return 0;
}

int nb_state_parse(const char *text, size_t len, struct nb_state *st, struct nb_error *err)
{
	json_error_t jerr;
	json_t *root;
	int r;

	memset(st, 0, sizeof(*st));
	root = json_loadb(text, len, 0, &jerr);
	if (!root)
		return nb_error_set(err, EBADMSG, "state.json:%d:%d: %s", jerr.line, jerr.column, jerr.text);
	r = parse_fields(root, st, err);
	json_decref(root);
	if (r < 0)
		nb_state_free(st);
	return r;
}

int nb_state_read(const struct nb_state_handle *h, struct nb_state *st, struct nb_error *err)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r;

	memset(st, 0, sizeof(*st));
	r = nb_read_file_alloc_at(h->dirfd, STATE_FILE, NB_STATE_FILE_MAX, &text, &len);
	if (r == -EFBIG)
		return nb_error_set(err, EFBIG, "read state: state.json is larger than %zu MiB",
				    NB_STATE_FILE_MAX >> 20);
	if (r < 0)
		return nb_error_sys(err, -r, "read state");
	return nb_state_parse(text, len, st, err);
}

int nb_state_remove(int rootfd, const char *id, struct nb_state_handle *h, struct nb_error *err)
{
	static const char *const files[] = { STATE_FILE, STATE_FILE ".tmp", NB_EXEC_FIFO, NB_HOOKS_FILE,
					     NB_HOOKS_FILE ".tmp", NB_CONFIG_FILE, NB_CONFIG_FILE ".tmp",
					     NB_CGROUP_FILE, NB_CGROUP_FILE ".tmp", "notify/notify.sock",
					     LOCK_FILE };
	char buf[DIR_NAME_SIZE];

	for (size_t i = 0; i < NB_ARRAY_SIZE(files); i++)
		if (unlinkat(h->dirfd, files[i], 0) < 0 && errno != ENOENT)
			return nb_error_errno(err, "remove state of '%s': '%s'", id, files[i]);
	/* NOTIFY_SOCKET's directory (runtime/notify.h). */
	if (unlinkat(h->dirfd, "notify", AT_REMOVEDIR) < 0 && errno != ENOENT)
		return nb_error_errno(err, "remove state of '%s': 'notify'", id);
	if (unlinkat(rootfd, dir_name(id, buf), AT_REMOVEDIR) < 0 && errno != ENOENT)
		return nb_error_errno(err, "remove state of '%s'", id);
	return 0;
}

int nb_state_save_file(const struct nb_state_handle *h, const char *name, const char *text, size_t len,
		       struct nb_error *err)
{
	char tmp[64];
	_cleanup_close_ int fd = -1;
	int r;

	/* Whole or not at all: a create killed half-way leaves at most NAME.tmp,
	 * which nb_state_remove() removes, never a cut NAME. */
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", name) >= (int)sizeof(tmp))
		return nb_error_set(err, ENAMETOOLONG, "write state file '%s'", name);
	(void)unlinkat(h->dirfd, tmp, 0);
	fd = openat(h->dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
	r = fd < 0 ? -errno : nb_write_all(fd, text, len);
	if (r == 0 && renameat2(h->dirfd, tmp, h->dirfd, name, RENAME_NOREPLACE) < 0)
		r = -errno;
	if (r < 0) {
		(void)unlinkat(h->dirfd, tmp, 0);
		return nb_error_sys(err, -r, "write state file '%s'", name);
	}
	return 0;
}

int nb_state_load_file(const struct nb_state_handle *h, const char *name, char **ret, size_t *ret_len,
		       struct nb_error *err)
{
	int r = nb_read_file_alloc_at(h->dirfd, name, NB_STATE_FILE_MAX, ret, ret_len);

	if (r == -ENOENT)
		return 0;
	if (r == -EFBIG)
		return nb_error_set(err, EFBIG, "read state file '%s': larger than %zu MiB", name,
				    NB_STATE_FILE_MAX >> 20);
	if (r < 0)
		return nb_error_sys(err, -r, "read state file '%s'", name);
	return 0;
}

int nb_proc_start_time(pid_t pid, uint64_t *ret, char *ret_state)
{
	char path[64], buf[1024];
	const char *p;
	unsigned long long start;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	n = nb_read_file_at(AT_FDCWD, path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	/* The command name may hold spaces and parens: fields start after the last ')'. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
			 ret_state, &start) != 2)
		return -EINVAL;
	*ret = start;
	return 0;
}

/* A pidfd of PID if it still is the process that started at START. */
static int pidfd_of(pid_t pid, uint64_t start_time, int *ret_pidfd)
{
	uint64_t start;
	char state;
	int fd, r;

	if (pid <= 0)
		return -ESRCH;
	fd = pidfd_open(pid, 0);
	if (fd < 0)
		return -errno;
	/* Checked after the pidfd pins the process: a pid recycled before
	 * pidfd_open shows another start time. */
	r = nb_proc_start_time(pid, &start, &state);
	if (r < 0 || start != start_time || state == 'Z' || state == 'X') {
		close(fd);
		return -ESRCH;
	}
	*ret_pidfd = fd;
	return 0;
}

int nb_state_pidfd(const struct nb_state *st, int *ret_pidfd)
{
	return pidfd_of(st->pid, st->start_time, ret_pidfd);
}

int nb_state_ns_pidfd(const struct nb_state *st, int *ret_pidfd, pid_t *ret_pid)
{
	if (st->ns_pid > 0 && pidfd_of(st->ns_pid, st->ns_start_time, ret_pidfd) == 0) {
		*ret_pid = st->ns_pid;
		return 0;
	}
	*ret_pid = st->pid;
	return nb_state_pidfd(st, ret_pidfd);
}

/* Is the container's cgroup frozen (`pause`)? */
static bool frozen(const struct nb_state *st)
{
	struct nb_cgroup cg;
	struct nb_error ignored;
	bool yes;

	if (!st->cgroup)
		return false;
	nb_cgroup_init(&cg);
	if (nb_cgroup_open(&cg, st->cgroup, &ignored) < 0)
		return false;
	yes = nb_cgroup_frozen(&cg);
	nb_cgroup_close(&cg);
	return yes;
}

enum nb_status nb_state_status(const struct nb_state_handle *h, const struct nb_state *st)
{
	struct stat sb;
	int fd;

	if (st->creating)
		return NB_STATUS_CREATING;   /* its creator died: it can never start */
	if (nb_state_pidfd(st, &fd) < 0)
		return NB_STATUS_STOPPED;
	close(fd);
	if (frozen(st))
		return NB_STATUS_PAUSED;     /* first, as runc: a created one too */
	if (fstatat(h->dirfd, NB_EXEC_FIFO, &sb, AT_SYMLINK_NOFOLLOW) == 0)
		return NB_STATUS_CREATED;
	return NB_STATUS_RUNNING;
}

char *nb_state_json(const struct nb_state *st, enum nb_status status)
{
	json_t *root = json_object(), *ann = json_object();
	char *text;

	if (!root || !ann) {
		json_decref(root);
		json_decref(ann);
		return NULL;
	}
	json_object_set_new(root, "ociVersion", json_string("1.2.0"));
	json_object_set_new(root, "id", json_string(st->id));
	json_object_set_new(root, "status", json_string(nb_status_name(status)));
	if (status != NB_STATUS_STOPPED)
		json_object_set_new(root, "pid", json_integer(st->pid));
	json_object_set_new(root, "bundle", json_string(st->bundle ? st->bundle : ""));
	for (size_t i = 0; i < st->annotations.len; i++) {
		const char *kv = st->annotations.items[i];
		const char *eq = strchr(kv, '=');
		_cleanup_free_ char *key = eq ? strndup(kv, (size_t)(eq - kv)) : NULL;

		if (key)
			json_object_set_new(ann, key, json_string(eq + 1));
	}
	json_object_set_new(root, "annotations", ann);
	text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	return text;
}
