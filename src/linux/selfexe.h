/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * selfexe.h: run nsbox from a copy that no container can write.
 *
 * Every process that enters a sandbox before its command execs (the first
 * process of `run` and `create`, the init of `run`, the processes of
 * `exec`) is a copy of nsbox, so its /proc/PID/exe names the nsbox binary.
 * A hostile image can reach that file (CVE-2019-5736: a `#!/proc/self/exe`
 * script that `exec` runs makes the container run nsbox's own binary, and
 * a second process reopens /proc/PID/exe for writing once it exits) and
 * replace the host's nsbox. So before such a command does anything, nsbox
 * re-executes itself from a sealed memfd: a private copy whose contents can
 * never change (F_SEAL_WRITE, SHRINK, GROW, SEAL), so /proc/PID/exe leads
 * nowhere writable. A binary on a read-only mount needs no copy.
 */
#ifndef NSBOX_LINUX_SELFEXE_H
#define NSBOX_LINUX_SELFEXE_H

#include <stdbool.h>

#include "base/error.h"

/* True if /proc/self/exe is a sealed memfd or on a read-only mount. */
bool nb_selfexe_is_protected(void);

/* Unless protected already, copy /proc/self/exe into a sealed memfd and
 * execveat() it with ARGV and the current environment: on success this
 * does not return. Fails closed (a negative errno and ERR) when no
 * protected copy can be made. */
int nb_selfexe_protect(char *argv[], struct nb_error *err);

#endif
