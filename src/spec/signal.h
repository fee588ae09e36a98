/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * signal.h: a signal as `nsbox kill` takes it, by name or number. Pure:
 * no system call (SIGRTMIN and SIGRTMAX are glibc's, from memory).
 */
#ifndef NSBOX_SPEC_SIGNAL_H
#define NSBOX_SPEC_SIGNAL_H

/* TEXT as a signal: a number from 0 to SIGRTMAX ("15"; 0, as
 * kill(2) takes it, only checks that the process exists, as runc's `kill ID 0`), a name with or
 * without "SIG" in any case ("TERM", "SIGTERM", "sigterm", "IOT",
 * "POLL"), or a real-time signal counted from either end ("RTMIN+3",
 * "SIGRTMAX-1", the offset from 0 to SIGRTMAX-SIGRTMIN). 0 with *RET set,
 * or -EINVAL. */
int nb_signal_from_name(const char *text, int *ret);

#endif
