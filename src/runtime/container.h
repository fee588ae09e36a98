/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * container.h: the OCI lifecycle (create, start, kill, delete, state) on
 * top of the sandbox engine and the state directory. The same engine runs
 * `nsbox run`; this adds the state that lets later commands find it.
 *
 *   create: lock ROOT/ID (clearing a record a killed create left), make
 *           exec.fifo, keep the config.json text, spawn; right after the
 *           clone write a first state.json marked creating; at CREATED
 *           (the child waits on the fifo) write the final state.json and
 *           the pid file, leave. The lock is held from mkdir to the end.
 *   start:  open the fifo: the child goes on to exec; remove the fifo.
 *   kill:   signal the process through a pidfd checked against its start
 *           time (never a recycled pid); --all: every process of its pid
 *           namespace.
 *   delete: refuse a running container unless forced (then SIGKILL and
 *           wait); kill a created or half-made (creating) one; remove the
 *           state. A record without state.json is removed too.
 *
 * The modules below: container_files.h (hooks.json, config.json),
 * container_procs.h (the container's processes), state.h (the record).
 */
#ifndef NSBOX_RUNTIME_CONTAINER_H
#define NSBOX_RUNTIME_CONTAINER_H

#include <stdbool.h>

#include "base/error.h"
#include "runtime/sandbox.h"
#include "runtime/state.h"
#include "spec/config.h"

/* Open the record of ID, locked (shared, or EXCLUSIVE), and read its state
 * into ST: the first step of every command on an existing container. */
int nb_container_open(const char *root, const char *id, bool exclusive, int *ret_rootfd,
		      struct nb_state_handle *h, struct nb_state *st, struct nb_error *err);

struct nb_container_opts {
	const char *root;             /* state root directory */
	const char *id;
	const char *bundle;           /* absolute */
	const char *pid_file;         /* or NULL */
	const char *console_socket;   /* or NULL */
	int preserve_fds;
	const char *config;           /* the config.json text CFG was loaded from, */
	size_t config_len;            /* kept for exec; or NULL */
	int *start_fifo;              /* `run`: gets exec.fifo, opened for reading as
				       * soon as the process is created (its device
				       * rules in place), so that its exec overlaps
				       * the writing of the state; -1 on failure, or
				       * when the process went on to its exec at once
				       * (then sb->started: no start). NULL for `create`. */
};

/* Create the container of CFG. SB stays usable by the caller: `run` waits
 * on it; `create` detaches from it. On failure nothing is left behind. */
int nb_container_create(const struct nb_container_opts *o, const struct nb_config *cfg,
			struct nb_sandbox *sb, struct nb_error *err);
/* WARN receives a failed poststart (or poststop) hook: not an error, per spec. */
/* `nsbox run --name`: spawn the sandbox of CFG (to its exec) and record it
 * under ROOT/ID, so the other commands find it. No bundle, no stop. */
int nb_container_register(const struct nb_container_opts *o, const struct nb_config *cfg,
			  struct nb_sandbox *sb, struct nb_error *err);
/* Forget ID, after its sandbox ended. */
void nb_container_unregister(const char *root, const char *id);

int nb_container_start(const char *root, const char *id, struct nb_error *warn, struct nb_error *err);
/* `run`'s start of the container it just created: as nb_container_start(),
 * with the exec.fifo that create opened (nb_container_opts.start_fifo),
 * which it takes over, and run's own PIDFD of the container's process
 * (borrowed), which may have run to its end already. */
int nb_container_start_opened(const char *root, const char *id, int fifo, int pidfd, struct nb_error *warn,
			      struct nb_error *err);
int nb_container_kill(const char *root, const char *id, int sig, bool all, struct nb_error *err);
int nb_container_delete(const char *root, const char *id, bool force, struct nb_error *warn,
			struct nb_error *err);
/* The state JSON of ID, malloc'd in *RET_JSON. */
int nb_container_state(const char *root, const char *id, char **ret_json, struct nb_error *err);

/* Pids of every process in the container's pid namespace (or its process
 * alone if it shares the host's). Malloc'd array in *RET. */
int nb_container_pids(const char *root, const char *id, pid_t **ret, size_t *ret_n,
		      struct nb_error *err);

/* NOTIFY_SOCKET (runtime/notify.h): bind the socket of ID, made at create;
 * *RET_FD is -1 if it was created without one. Before `start`. */
int nb_container_notify_socket(const char *root, const char *id, int *ret_fd, struct nb_error *err);

/* The running process of ID: its pid, and a pidfd of it. */
int nb_container_process(const char *root, const char *id, pid_t *ret_pid, int *ret_pidfd,
			 struct nb_error *err);

/* What `exec` needs of a running container. */
struct nb_exec_target {
	int pidfd;                /* pins the container's process */
	pid_t pid;
	int ns_flags;             /* CLONE_NEW* of the namespaces to join */
	bool setgroups_denied;
	char *bundle;             /* informational: never read again */
	char *config;             /* the config.json kept by create (the process
	                           * defaults), or NULL if none was kept */
	size_t config_len;
};
int nb_container_exec_target(const char *root, const char *id, struct nb_exec_target *t,
			     struct nb_error *err);
void nb_exec_target_release(struct nb_exec_target *t);

struct nb_container_entry {
	struct nb_state state;
	enum nb_status status;
};
/* Every container under ROOT (none if ROOT does not exist). */
int nb_container_list(const char *root, struct nb_container_entry **ret, size_t *ret_n,
		      struct nb_error *err);
void nb_container_list_free(struct nb_container_entry *list, size_t n);

#endif
