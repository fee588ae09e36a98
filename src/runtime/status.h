/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* status.h: how a process's end becomes nsbox's exit status. Pure. */
#ifndef NSBOX_RUNTIME_STATUS_H
#define NSBOX_RUNTIME_STATUS_H

#include "base/error.h"

#define NB_EXIT_SETUP 125
#define NB_EXIT_CANNOT_EXEC 126
#define NB_EXIT_NOT_FOUND 127

/* From a waitpid() status: the exit code 0..255, or 128+N for signal N. */
int nb_exit_code_from_wait(int status);
/* From waitid()'s si_code and si_status. */
int nb_exit_code_from_siginfo(int code, int status);
/* The exit status for an nsbox error of this kind. */
int nb_exit_code_from_error(enum nb_error_kind kind);

#endif
