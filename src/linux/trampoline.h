/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * trampoline.h: execute a sandboxed program through nsbox-exec.
 *
 * nsbox's processes inside a sandbox run nsbox's own binary. Executing the
 * command from one of them would let a `#!/proc/self/exe` script run that
 * binary as its interpreter and reach it (CVE-2019-5736). Instead they
 * execute nsbox-exec (src/trampoline/), a tiny program embedded in nsbox,
 * from a sealed memfd, and it executes the command: a script's
 * /proc/self/exe is then the sealed copy of nsbox-exec. Together with
 * nsbox's processes being non-dumpable (no /proc/PID/exe for anyone in the
 * sandbox) this keeps the host's binary out of reach; a sandbox that could
 * still reach it (CAP_SYS_PTRACE over nsbox's user namespace) makes nsbox
 * run from a sealed copy of itself instead (linux/selfexe.h).
 */
#ifndef NSBOX_LINUX_TRAMPOLINE_H
#define NSBOX_LINUX_TRAMPOLINE_H

#include <stdbool.h>

#include "base/error.h"

/* Whether this build has nsbox-exec (it needs system call glue per
 * architecture: x86_64 and aarch64). */
bool nb_trampoline_available(void);

/* A sealed memfd holding nsbox-exec, close-on-exec, in *RET_FD. */
int nb_trampoline_open(int *ret_fd, struct nb_error *err);

/* Execute PATH with ARGV and ENVP through the trampoline TRAMP. REPORT
 * (or -1) gets a struct nb_exec_report if that execve fails; HOLD (or -1)
 * stays open until it; SAY writes the failure to stderr. REPORT and HOLD
 * lose FD_CLOEXEC here and get it back in nsbox-exec. Returns -errno only
 * when nsbox-exec itself could not be executed. */
int nb_trampoline_exec(int tramp, int report, int hold, bool say, const char *path,
		       char *const argv[], char *const envp[]);

#endif
