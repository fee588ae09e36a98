/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/state.h"
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

const char *nb_status_name(enum nb_status status)
{
	switch (status) {
	case NB_STATUS_CREATING: return "creating";
	case NB_STATUS_CREATED: return "created";
	case NB_STATUS_RUNNING: return "running";
	case NB_STATUS_STOPPED: return "stopped";
	}
	return "unknown";
}

void nb_state_free(struct nb_state *st)
{
	free(st->id);
	free(st->bundle);
	free(st->created);
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
	char buf[65536];
	ssize_t n = nb_read_file_at(dirfd, STATE_FILE, buf, sizeof(buf));
	json_t *root = n > 0 ? json_loads(buf, 0, NULL) : NULL;
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

static int lock_dir(int dirfd, bool exclusive, int flags, int *ret_fd)
{
	int fd = openat(dirfd, LOCK_FILE, O_RDWR | O_CLOEXEC | O_NOFOLLOW | flags, 0600);

	if (fd < 0)
		return -errno;
	while (flock(fd, exclusive ? LOCK_EX : LOCK_SH) < 0) {
		if (errno != EINTR) {
			int r = -errno;

			close(fd);
			return r;
		}
	}
	*ret_fd = fd;
	return 0;
}

int nb_state_create(int rootfd, const char *id, struct nb_state_handle *h, struct nb_error *err)
{
	char buf[DIR_NAME_SIZE];
	const char *name = dir_name(id, buf);
	int r;

	h->dirfd = h->lockfd = -1;
	if (mkdirat(rootfd, name, 0700) < 0) {
		if (errno == EEXIST)
			return nb_error_set(err, EEXIST, "container '%s' already exists", id);
		return nb_error_errno(err, "create state of '%s'", id);
	}
	h->dirfd = openat(rootfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (h->dirfd < 0)
		return nb_error_errno(err, "open state of '%s'", id);
	r = lock_dir(h->dirfd, true, O_CREAT | O_EXCL, &h->lockfd);
	if (r < 0)
		return nb_error_sys(err, -r, "lock state of '%s'", id);
	return 0;
}

int nb_state_open(int rootfd, const char *id, bool exclusive, struct nb_state_handle *h,
		  struct nb_error *err)
{
	char buf[DIR_NAME_SIZE];
	const char *name = dir_name(id, buf);
	struct stat st;
	int r;

	h->dirfd = h->lockfd = -1;
	h->dirfd = openat(rootfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (h->dirfd < 0) {
		if (errno == ENOENT)
			return nb_error_set(err, ENOENT, "container '%s' does not exist", id);
		return nb_error_errno(err, "open state of '%s'", id);
	}
	r = lock_dir(h->dirfd, exclusive, 0, &h->lockfd);
	/* No lock file, or no state after we got the lock: it is (being) deleted. */
	if (r == -ENOENT || (r == 0 && fstatat(h->dirfd, STATE_FILE, &st, AT_SYMLINK_NOFOLLOW) < 0) ||
	    (r == 0 && name != id && !holds_id(h->dirfd, id))) {
		nb_state_handle_close(h);
		return nb_error_set(err, ENOENT, "container '%s' does not exist", id);
	}
	if (r < 0) {
		nb_state_handle_close(h);
		return nb_error_sys(err, -r, "lock state of '%s'", id);
	}
	return 0;
}

int nb_state_write(const struct nb_state_handle *h, const struct nb_state *st, struct nb_error *err)
{
	_cleanup_free_ char *text = nb_state_json(st, NB_STATUS_CREATED);
	json_t *root;
	char *full;
	_cleanup_close_ int fd = -1;
	int r;

	if (!text)
		return nb_error_set(err, ENOMEM, "out of memory");
	/* The file keeps what `state` cannot derive: start time, owner. */
	root = json_loads(text, 0, NULL);
	if (!root)
		return nb_error_set(err, ENOMEM, "out of memory");
	json_object_set_new(root, "nsboxStartTime", json_integer((json_int_t)st->start_time));
	json_object_set_new(root, "nsboxOwnPidns", json_boolean(st->own_pidns));
	json_object_set_new(root, "nsboxOwner", json_integer((json_int_t)st->owner));
	json_object_set_new(root, "created", json_string(st->created ? st->created : ""));
	full = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (!full)
		return nb_error_set(err, ENOMEM, "out of memory");
	fd = openat(h->dirfd, STATE_FILE ".tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	r = fd < 0 ? -errno : nb_write_all(fd, full, strlen(full));
	free(full);
	/* No fsync: rename makes the write atomic, and state lives in /run,
	 * which does not outlive a reboot anyway (fsync was 1-2 ms a create). */
	if (r == 0 && renameat(h->dirfd, STATE_FILE ".tmp", h->dirfd, STATE_FILE) < 0)
		r = -errno;
	if (r < 0)
		return nb_error_sys(err, -r, "write state of '%s'", st->id);
	return 0;
}

static int dup_string(json_t *root, const char *key, char **ret)
{
	const char *s = json_string_value(json_object_get(root, key));

	*ret = strdup(s ? s : "");
	return *ret ? 0 : -ENOMEM;
}

int nb_state_read(const struct nb_state_handle *h, struct nb_state *st, struct nb_error *err)
{
	char buf[65536];
	ssize_t n = nb_read_file_at(h->dirfd, STATE_FILE, buf, sizeof(buf));
	json_error_t jerr;
	json_t *root, *ann;
	const char *key;
	json_t *value;
	int r = 0;

	memset(st, 0, sizeof(*st));
	if (n < 0)
		return nb_error_sys(err, (int)-n, "read state");
	root = json_loads(buf, 0, &jerr);
	if (!root)
		return nb_error_set(err, EBADMSG, "state.json:%d:%d: %s", jerr.line, jerr.column, jerr.text);
	st->pid = (pid_t)json_integer_value(json_object_get(root, "pid"));
	st->start_time = (uint64_t)json_integer_value(json_object_get(root, "nsboxStartTime"));
	st->own_pidns = json_is_true(json_object_get(root, "nsboxOwnPidns"));
	st->owner = (uid_t)json_integer_value(json_object_get(root, "nsboxOwner"));
	if (dup_string(root, "id", &st->id) < 0 || dup_string(root, "bundle", &st->bundle) < 0 ||
	    dup_string(root, "created", &st->created) < 0)
		r = -ENOMEM;
	ann = json_object_get(root, "annotations");
	json_object_foreach(ann, key, value) {
		_cleanup_free_ char *kv = NULL;

		if (r < 0 || asprintf(&kv, "%s=%s", key, json_string_value(value) ?: "") < 0 ||
		    nb_strv_push(&st->annotations, kv) < 0)
			r = -ENOMEM;
	}
	json_decref(root);
	if (r < 0) {
		nb_state_free(st);
		return nb_error_set(err, ENOMEM, "out of memory");
	}
	return 0;
}

int nb_state_remove(int rootfd, const char *id, struct nb_state_handle *h, struct nb_error *err)
{
	static const char *const files[] = { STATE_FILE, STATE_FILE ".tmp", NB_EXEC_FIFO, "hooks.json",
					     LOCK_FILE };
	char buf[DIR_NAME_SIZE];

	for (size_t i = 0; i < NB_ARRAY_SIZE(files); i++)
		if (unlinkat(h->dirfd, files[i], 0) < 0 && errno != ENOENT)
			return nb_error_errno(err, "remove state of '%s': '%s'", id, files[i]);
	if (unlinkat(rootfd, dir_name(id, buf), AT_REMOVEDIR) < 0 && errno != ENOENT)
		return nb_error_errno(err, "remove state of '%s'", id);
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

int nb_state_pidfd(const struct nb_state *st, int *ret_pidfd)
{
	uint64_t start;
	char state;
	int fd, r;

	if (st->pid <= 0)
		return -ESRCH;
	fd = pidfd_open(st->pid, 0);
	if (fd < 0)
		return -errno;
	/* Checked after the pidfd pins the process: a pid recycled before
	 * pidfd_open shows another start time. */
	r = nb_proc_start_time(st->pid, &start, &state);
	if (r < 0 || start != st->start_time || state == 'Z' || state == 'X') {
		close(fd);
		return -ESRCH;
	}
	*ret_pidfd = fd;
	return 0;
}

enum nb_status nb_state_status(const struct nb_state_handle *h, const struct nb_state *st)
{
	struct stat sb;
	int fd;

	if (nb_state_pidfd(st, &fd) < 0)
		return NB_STATUS_STOPPED;
	close(fd);
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
