/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * state.h: the state directory of OCI containers (and named sandboxes).
 *
 * ROOT/ID/ holds state.json (written atomically: a temporary file, then
 * rename), exec.fifo while the container waits for `start`, a lock file,
 * and the files of container_files.h (hooks.json, config.json). Every
 * command on an id holds flock() on that lock for its whole run, so two
 * commands on one id never race; a command that got the lock re-checks that
 * the lock file is still linked (the other may have deleted the record) and
 * what the record holds.
 *
 * Half-made records. The creating nsbox holds the exclusive lock from the
 * mkdir of ROOT/ID to its last write, and writes a first state.json marked
 * "creating" as soon as the container's process exists. So whoever gets the
 * lock and finds a state.json still marked creating, or none at all, knows
 * that its creator died (SIGKILL): the record is left over, and is deleted
 * (its process killed) by `delete` and by a `create` of the same id.
 *
 * A container's process is named by pid plus its start time (field 22 of
 * /proc/PID/stat): a recycled pid never passes for the container.
 *
 * Every file here is read with O_NOFOLLOW, bounded by NB_STATE_FILE_MAX.
 */
#ifndef NSBOX_RUNTIME_STATE_H
#define NSBOX_RUNTIME_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/error.h"
#include "base/strutil.h"

#define NB_CONTAINER_ID_MAX 1024
#define NB_EXEC_FIFO "exec.fifo"
#define NB_HOOKS_FILE "hooks.json"    /* poststart and poststop hooks */
#define NB_CONFIG_FILE "config.json"  /* the config.json the container was made of */
#define NB_CGROUP_FILE "cgroup"       /* its cgroup's path, written before the cgroup is made */
/* The largest file read from a state directory: state.json holds the
 * annotations of a config.json (at most 16 MiB), config.json is a copy. */
#define NB_STATE_FILE_MAX ((size_t)64 << 20)

enum nb_status {
	NB_STATUS_CREATING,
	NB_STATUS_CREATED,
	NB_STATUS_RUNNING,
	NB_STATUS_PAUSED,           /* running (or created), its cgroup frozen */
	NB_STATUS_STOPPED,
};
const char *nb_status_name(enum nb_status status);

struct nb_state {
	char *id;
	pid_t pid;
	uint64_t start_time;        /* clock ticks since boot, /proc/PID/stat field 22 */
	char *bundle;
	char *created;              /* RFC 3339 UTC */
	struct nb_strv annotations; /* "key=value" */
	bool own_pidns;             /* the container has its own pid namespace */
	/* The process to look at for the container's namespaces, when its own
	 * is out of reach (the non-dumpable init of `nsbox run`, whose /proc/PID/
	 * ns and setns(pidfd) refuse an unprivileged nsbox): its command. 0:
	 * the container's process itself. */
	pid_t ns_pid;
	uint64_t ns_start_time;
	uid_t owner;
	char *cgroup;               /* its cgroup's path (linux/cgroup.h), or NULL */
	/* A record written before the create ended ("nsboxCreating"): who
	 * was creating it. Found by another command, its creator is dead. */
	bool creating;
	pid_t creator_pid;
	uint64_t creator_start_time;
};

void nb_state_free(struct nb_state *st);

/* 1..1024 characters of [A-Za-z0-9_+.-], not "." or "..", not starting
 * with '-' (it could not be named on a command line). Pure. */
int nb_container_id_check(const char *id, struct nb_error *err);

/* Open (creating, mode 0700) the state root directory. */
int nb_state_root_open(const char *root, int *ret_fd, struct nb_error *err);

struct nb_state_handle {
	int dirfd;                  /* ROOT/ID */
	int lockfd;                 /* flock()ed */
};
void nb_state_handle_close(struct nb_state_handle *h);

/* Make ROOT/ID and lock it. -EEXIST ("container 'ID' already exists") if
 * it exists: the caller may look at what it holds (nb_state_open_record)
 * and try again. */
int nb_state_create(int rootfd, const char *id, struct nb_state_handle *h, struct nb_error *err);
/* Lock ROOT/ID and check it holds a state.json. EXCLUSIVE for changes.
 * -ENOENT ("container 'ID' does not exist") if not. */
int nb_state_open(int rootfd, const char *id, bool exclusive, struct nb_state_handle *h,
		  struct nb_error *err);
/* Lock ROOT/ID exclusively whatever it holds: *RET_HAS_STATE says whether
 * there is a state.json (none: its creator died before writing one).
 * -ENOENT if there is no ROOT/ID. */
int nb_state_open_record(int rootfd, const char *id, struct nb_state_handle *h, bool *ret_has_state,
			 struct nb_error *err);

/* Write state.json (with ST->creating, the first one of a create). */
int nb_state_write(const struct nb_state_handle *h, const struct nb_state *st, struct nb_error *err);
int nb_state_read(const struct nb_state_handle *h, struct nb_state *st, struct nb_error *err);
/* What those two read and write, pure. nb_state_parse(): the text of a
 * state.json (LEN bytes, no terminator needed) into *ST, which is
 * overwritten (and empty again after a failure); the caller frees it
 * with nb_state_free(). An absent field reads as 0, false or "" (older
 * states have fewer); a field of the wrong type or out of range (a pid
 * above INT32_MAX) is -EBADMSG, a corrupt state. nb_state_text(): the text nb_state_write() writes
 * for ST, the state JSON (nb_state_json()) plus what `state` cannot
 * derive: start time, owner, and for a first write during create, who
 * creates it. Malloc'd, or NULL if out of memory. */
int nb_state_parse(const char *text, size_t len, struct nb_state *st, struct nb_error *err);
char *nb_state_text(const struct nb_state *st);
/* Remove ROOT/ID and what it holds. */
int nb_state_remove(int rootfd, const char *id, struct nb_state_handle *h, struct nb_error *err);

/* Create NAME in the record, mode 0600, with TEXT (LEN bytes): written
 * to NAME.tmp (O_EXCL, O_NOFOLLOW, relative to the record's dirfd) and
 * renamed, so NAME is whole or absent even if nsbox is killed; an existing
 * NAME is not replaced (-EEXIST). */
int nb_state_save_file(const struct nb_state_handle *h, const char *name, const char *text, size_t len,
		       struct nb_error *err);
/* Read NAME of the record into malloc'd *RET (NUL-terminated, *RET_LEN
 * bytes); *RET is NULL if there is no such file. */
int nb_state_load_file(const struct nb_state_handle *h, const char *name, char **ret, size_t *ret_len,
		       struct nb_error *err);

/* Start time of PID, or -errno. */
int nb_proc_start_time(pid_t pid, uint64_t *ret, char *ret_state);

/* A pidfd for the container's process, if it is that process and alive
 * (not a zombie). -ESRCH if it is gone. */
int nb_state_pidfd(const struct nb_state *st, int *ret_pidfd);

/* A pidfd and the pid of the process whose namespaces are the container's
 * (ns_pid when recorded and alive, else the container's process). */
int nb_state_ns_pidfd(const struct nb_state *st, int *ret_pidfd, pid_t *ret_pid);

/* creating (a half-made record), stopped, created or running. */
enum nb_status nb_state_status(const struct nb_state_handle *h, const struct nb_state *st);

/* The state JSON of the runtime spec (ociVersion, id, status, pid, bundle,
 * annotations). Malloc'd. */
char *nb_state_json(const struct nb_state *st, enum nb_status status);

#endif
