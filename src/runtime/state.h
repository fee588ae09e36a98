/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * state.h: the state directory of OCI containers (and named sandboxes).
 *
 * ROOT/ID/ holds state.json (written atomically: a temporary file, then
 * rename), exec.fifo while the container waits for `start`, and a lock
 * file. Every command on an id holds flock() on that lock for its whole
 * run, so two commands on one id never race; a command that got the lock
 * re-checks that the container still exists (the other may have deleted it).
 *
 * A container's process is named by pid plus its start time (field 22 of
 * /proc/PID/stat): a recycled pid never passes for the container.
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

enum nb_status {
	NB_STATUS_CREATING,
	NB_STATUS_CREATED,
	NB_STATUS_RUNNING,
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
	uid_t owner;
};

void nb_state_free(struct nb_state *st);

/* 1..1024 characters of [A-Za-z0-9_+.-], not "." or "..". Pure. */
int nb_container_id_check(const char *id, struct nb_error *err);

/* Open (creating, mode 0700) the state root directory. */
int nb_state_root_open(const char *root, int *ret_fd, struct nb_error *err);

struct nb_state_handle {
	int dirfd;                  /* ROOT/ID */
	int lockfd;                 /* flock()ed */
};
void nb_state_handle_close(struct nb_state_handle *h);

/* Make ROOT/ID (an error if it exists) and lock it. */
int nb_state_create(int rootfd, const char *id, struct nb_state_handle *h, struct nb_error *err);
/* Lock ROOT/ID and check it holds a container. EXCLUSIVE for changes. */
int nb_state_open(int rootfd, const char *id, bool exclusive, struct nb_state_handle *h,
		  struct nb_error *err);

int nb_state_write(const struct nb_state_handle *h, const struct nb_state *st, struct nb_error *err);
int nb_state_read(const struct nb_state_handle *h, struct nb_state *st, struct nb_error *err);
/* Remove ROOT/ID and what it holds. */
int nb_state_remove(int rootfd, const char *id, struct nb_state_handle *h, struct nb_error *err);

/* Start time of PID, or -errno. */
int nb_proc_start_time(pid_t pid, uint64_t *ret, char *ret_state);

/* A pidfd for the container's process, if it is that process and alive
 * (not a zombie). -ESRCH if it is gone. */
int nb_state_pidfd(const struct nb_state *st, int *ret_pidfd);

enum nb_status nb_state_status(const struct nb_state_handle *h, const struct nb_state *st);

/* The state JSON of the runtime spec (ociVersion, id, status, pid, bundle,
 * annotations). Malloc'd. */
char *nb_state_json(const struct nb_state *st, enum nb_status status);

#endif
