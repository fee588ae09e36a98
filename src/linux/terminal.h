/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * terminal.h: pseudo-terminals for --tty: made inside the sandbox (its own
 * devpts), the master handed to the parent, which relays it.
 */
#ifndef NSBOX_LINUX_TERMINAL_H
#define NSBOX_LINUX_TERMINAL_H

#include <stdbool.h>
#include <termios.h>

#include "base/error.h"

/* Open a new pty pair through /dev/ptmx. Both fds are O_CLOEXEC. */
int nb_pty_open(int *ret_master, int *ret_slave, struct nb_error *err);

/* Make SLAVE the controlling terminal and stdin/stdout/stderr of the
 * caller, which must be a session leader. */
int nb_pty_make_controlling(int slave, struct nb_error *err);

/* Copy the window size of FROM onto TO. */
int nb_tty_copy_winsize(int from, int to);

/* Put FD in raw mode, saving its settings in *SAVED. */
int nb_tty_raw(int fd, struct termios *saved);
void nb_tty_restore(int fd, const struct termios *saved);

#endif
