/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * container_procs.h: the processes of a recorded container (struct
 * nb_state): its cgroup's processes (or the members of its pid namespace,
 * for a container without a cgroup of its own), signals to all of them,
 * SIGKILL and a bounded wait, the end of its cgroup, and the namespaces
 * `exec` must join.
 *
 * The container's own process is only ever reached through a pidfd checked
 * against its recorded start time (nb_state_pidfd()): a recycled pid is
 * never signalled. Its cgroup holds every process it made, however they
 * forked; without a cgroup or a pid namespace of its own, only that process
 * is known.
 */
#ifndef NSBOX_RUNTIME_CONTAINER_PROCS_H
#define NSBOX_RUNTIME_CONTAINER_PROCS_H

#include <stddef.h>
#include <sys/types.h>

#include "base/error.h"
#include "runtime/state.h"

/* Every process whose pid namespace is that of ST's process (malloc'd). */
int nb_procs_pidns_members(const struct nb_state *st, pid_t **ret, size_t *ret_n, struct nb_error *err);

/* The container's processes (malloc'd): its cgroup's, else the members of
 * its own pid namespace, else its process alone; none when stopped. */
int nb_procs_list(const struct nb_state *st, pid_t **ret, size_t *ret_n, struct nb_error *err);

/* Send SIG to every process of the container but its own (which the
 * caller signals by pidfd): its cgroup's, frozen meanwhile so that none
 * escapes by forking (cgroup.kill for SIGKILL on v2); else the members of
 * its own pid namespace (nothing if it shares ours). */
int nb_procs_kill_all(const struct nb_state *st, int sig, struct nb_error *err);

/* Send SIG to whatever a stopped container left in its cgroup (its
 * process is gone: its pid and pid namespace are never looked at, as the
 * pid may be another process's by now). 0 when it has no cgroup. */
int nb_procs_kill_left(const struct nb_state *st, int sig, struct nb_error *err);

/* SIGKILL the container (all of it) and wait, at most 10 s, until its
 * process is gone. 0 at once if it is already gone. */
int nb_procs_kill_wait(const struct nb_state *st, struct nb_error *err);

/* Kill whatever is left in the container's cgroup and remove it (delete).
 * 0 when it has none, or it is gone already. */
int nb_procs_end_cgroup(const struct nb_state *st, struct nb_error *err);

/* The CLONE_NEW* flags of PID's namespaces that are not ours (joining
 * one's own user namespace is an error, so only those that differ). */
int nb_procs_differing_namespaces(pid_t pid);

#endif
