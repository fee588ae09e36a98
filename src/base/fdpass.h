/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fdpass.h: one message with an optional fd over a unix socket (SCM_RIGHTS). */
#ifndef NSBOX_BASE_FDPASS_H
#define NSBOX_BASE_FDPASS_H

#include <stddef.h>
#include <sys/types.h>

/* Send LEN bytes of BUF, with FD attached unless it is -1. 0 or -errno. */
int nb_send_msg_fd(int sock, const void *buf, size_t len, int fd);

/* Receive one message into BUF; an attached fd goes to *RET_FD (O_CLOEXEC),
 * else -1. Returns the byte count (0 at EOF) or -errno. */
ssize_t nb_recv_msg_fd(int sock, void *buf, size_t len, int *ret_fd);

#endif
