/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * protocol.h: how nsbox runs nsbox-exec (src/trampoline/trampoline.c), the
 * tiny program that performs a sandboxed command's execve().
 *
 * argv of nsbox-exec:
 *   [0] "nsbox-exec"
 *   [1] REPORT: an fd (a SOCK_SEQPACKET sync socket) that gets one
 *       struct nb_exec_report if the execve fails, or -1
 *   [2] HOLD: an fd to keep open until the execve and no longer (it gets
 *       FD_CLOEXEC), or -1
 *   [3] SAY: "1" to also write "nsbox: exec 'PATH': REASON" to fd 2
 *   [4] PATH: the program, resolved by nsbox
 *   [5...] the program's argv
 * The environment is the program's. On failure nsbox-exec exits with 127
 * (ENOENT, ENOTDIR) or 126 (anything else).
 */
#ifndef NSBOX_TRAMPOLINE_PROTOCOL_H
#define NSBOX_TRAMPOLINE_PROTOCOL_H

#include <stdint.h>

#define NB_EXEC_REPORT_MAGIC 0x4e425846u   /* "NBXF" */

struct nb_exec_report {
	uint32_t magic;
	int32_t code;        /* the errno of execve */
};

#define NB_EXEC_ARGV_FIRST 5   /* index of the program's argv[0] */

#endif
