/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fdclose.h: close every file descriptor a process must not carry.
 *
 * A process that enters a sandbox must hold no fd that nsbox opened on the
 * host, nor any the caller passed unless asked: anything left open is
 * reachable from inside through /proc/PID/fd. Marking fds close-on-exec is
 * not enough for processes that never exec (the init) or that do set-up
 * inside the sandbox first, so they close them for real, at once.
 */
#ifndef NSBOX_BASE_FDCLOSE_H
#define NSBOX_BASE_FDCLOSE_H

#include <stddef.h>

/* Close every fd from 3 up, except the KEEP fds (-1 entries ignored) and,
 * of 3..3+PRESERVE-1, those the caller passed: nsbox's own fds are all
 * close-on-exec, while an fd inherited through execve never is. 0 or -errno. */
int nb_close_all_except(const int *keep, size_t n_keep, int preserve);

#endif
