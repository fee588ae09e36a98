/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * relay.h: the parent's event loop while the sandbox runs: forward signals
 * to the sandbox, relay the --tty pseudo-terminal and its window size, and
 * return when the sandbox's first process has exited (not yet reaped).
 */
#ifndef NSBOX_RUNTIME_RELAY_H
#define NSBOX_RUNTIME_RELAY_H

#include "runtime/sandbox.h"

int nb_relay_run(struct nb_sandbox *sb, struct nb_error *err);
void nb_relay_restore_tty(struct nb_sandbox *sb);

#endif
