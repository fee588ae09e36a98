/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * notify.h: systemd's readiness protocol (sd_notify) through a container,
 * for nsbox started with NOTIFY_SOCKET (podman --sdnotify=container,
 * systemd units of Type=notify that run a container, quadlet).
 *
 * As runc does it: `create` makes the directory ROOT/ID/notify and binds it
 * read-only on /run/notify in the container, whose process gets
 * NOTIFY_SOCKET=/run/notify/notify.sock. `start` (and `run`) bind a
 * datagram socket there before the process may exec, and relay what the
 * container sends to the caller's NOTIFY_SOCKET, with MAINPID=<the
 * container's process>: `start` until READY=1 (or the process's end), an
 * attached `run` for the container's whole life.
 */
#ifndef NSBOX_RUNTIME_NOTIFY_H
#define NSBOX_RUNTIME_NOTIFY_H

#include <stdbool.h>
#include <sys/types.h>

#include "base/error.h"
#include "spec/config.h"

#define NB_NOTIFY_DIR "notify"
#define NB_NOTIFY_MOUNT "/run/notify"
#define NB_NOTIFY_SOCKET NB_NOTIFY_MOUNT "/notify.sock"

/* The caller's NOTIFY_SOCKET (an absolute path, or "@name" for the
 * abstract namespace), or NULL if unset or unusable. */
const char *nb_notify_host(void);

/* create: add the bind of ROOT/ID/notify on /run/notify and the
 * NOTIFY_SOCKET variable to CFG; cfg->oci.notify_dir names the directory,
 * which the runtime makes in the state directory before the container
 * mounts it. */
int nb_notify_plan(struct nb_config *cfg, const char *root, const char *id, struct nb_error *err);

/* start and run: bind the socket in STATE_DIRFD/notify (made by create),
 * readable by the container's user. *RET_FD gets it, or -1 when the
 * container was created without one. */
int nb_notify_listen(int state_dirfd, int *ret_fd, struct nb_error *err);

/* Forward one datagram waiting on SOCK to HOST, MAINPID=PID first when it
 * says READY=1. Returns 1 if it did, 0 for another message, -errno. */
int nb_notify_forward(int sock, const char *host, pid_t pid);

/* `start`: forward until READY=1 has gone through, or until PIDFD's
 * process ends (then without READY=1: nothing to wait for). */
int nb_notify_until_ready(int sock, const char *host, int pidfd, pid_t pid, struct nb_error *err);

#endif
