/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sync.h: the protocol between nsbox (the parent) and the sandbox's first
 * process (the child), over a SOCK_SEQPACKET socketpair: one message per
 * packet, fixed size, no framing to get wrong.
 *
 *   parent                                child (in its new namespaces)
 *   clone3 ──────────────────────────────▶ waits for GO
 *   writes uid_map/gid_map
 *   [cgroups issue: places the child in its cgroup]
 *   [network issue: moves a veth into its net namespace]
 *   GO ──────────────────────────────────▶ joins, hostname, lo, mounts
 *                                  ◀────── HOOKS, if the OCI config has hooks
 *   prestart, createRuntime and
 *   createContainer hooks; GO + state ───▶ pivot_root
 *                                  ◀────── PTY (master fd), with --tty
 *                                  ◀────── ERROR (nb_error), on any failure; exits
 *                                          [OCI create: CREATED, then waits for START]
 *                                          identity, [seccomp last], exec
 *   EOF (every copy of the child's end is close-on-exec): the command runs.
 *
 * EOF from the parent's side tells the child that nsbox died: it exits.
 */
#ifndef NSBOX_RUNTIME_SYNC_H
#define NSBOX_RUNTIME_SYNC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/error.h"

enum nb_sync_type {
	NB_SYNC_GO = 1,      /* parent → child: ids mapped, go on */
	NB_SYNC_ERROR,       /* child → parent: .error says what failed */
	NB_SYNC_PTY,         /* child → parent: the pty master is attached */
	NB_SYNC_CREATED,     /* child → parent: set up, waiting to exec (OCI create) */
	NB_SYNC_START,       /* parent → child: exec now (OCI start) */
	NB_SYNC_HOOKS,       /* child → parent: mounts done, run the pre-pivot hooks;
	                      * answered by GO, then a packet with the state JSON */
	NB_SYNC_PID,         /* exec's intermediate → parent: .pid is the new process;
	                      * the init → parent: its command's pidfd is attached */
	NB_SYNC_SECCOMP,     /* child → parent: the seccomp notify fd is attached;
	                      * the parent hands it to linux.seccomp.listenerPath */
	NB_SYNC_EXEC_FAILED, /* nsbox-exec → parent: the command's execve failed
	                      * with .error.code (sent as a struct nb_exec_report
	                      * of src/trampoline/protocol.h; nb_sync_recv
	                      * turns it into this) */
	NB_SYNC_NSFD,        /* child → parent, before GO: one of its namespaces
	                      * (.flags: CLONE_NEWNET or CLONE_NEWUSER) is attached,
	                      * for the networking nsbox sets up from outside */
	NB_SYNC_EXEC_READY,  /* child → parent: set up, about to exec the command
	                      * (a judged run); answered by GO */
};

struct nb_sync_msg {
	uint32_t type;
	uint32_t flags;             /* GO: NB_SYNC_SETGROUPS_DENIED */
	int32_t pid;                /* CREATED: the command's pid */
	uint16_t rows, cols;        /* GO: the caller's window size, for --tty */
	struct nb_error error;      /* ERROR */
};

#define NB_SYNC_SETGROUPS_DENIED 1u

int nb_sync_send(int sock, const struct nb_sync_msg *msg, int fd);
/* Returns 1 with a message, 0 at EOF, or -errno. *RET_FD gets an attached fd or -1. */
int nb_sync_recv(int sock, struct nb_sync_msg *msg, int *ret_fd);

/* A text of any length up to NB_SYNC_BLOB_MAX (the state JSON, with the
 * annotations of a config.json): one packet could hold only what the
 * socket's buffer does (~208 KiB), so it goes in packets of at most 64 KiB,
 * each starting with a byte that says whether more follow ('+') or not
 * ('.'). */
#define NB_SYNC_BLOB_MAX ((size_t)64 << 20)
int nb_sync_send_blob(int sock, const char *text);
/* Receive one such text; *RET is malloc'd and NUL-terminated. -EPIPE at
 * EOF before its end, -EMSGSIZE if it grows past NB_SYNC_BLOB_MAX. */
int nb_sync_recv_blob(int sock, char **ret);

/* Child side: report ERR to the parent (best effort). */
void nb_sync_send_error(int sock, const struct nb_error *err);

#endif
