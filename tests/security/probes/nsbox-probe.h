/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the files of nsbox-probe share: the helpers that print results, and one function per subcommand. */
#ifndef NSBOX_TESTS_PROBE_H
#define NSBOX_TESTS_PROBE_H

#include <stdbool.h>
#include <time.h>

#define N_(x) (sizeof(x) / sizeof((x)[0]))

/* nsbox-probe.c: the name of the errno value E ("EPERM"), or "E?". */
const char *errname(int e);
/* Print the outcome of a raw call: OK, or the errno's name. */
int outcome(long r);
/* Is it less than MS milliseconds since T0 (CLOCK_MONOTONIC)? */
bool within_ms(const struct timespec *t0, long ms);
/* The usage line on stderr; the exit status of a usage error, 2. */
int usage(void);

/* probes_sys.c: system calls, namespace flags and non-native ABIs. */
int cmd_sys(int argc, char **argv);
int cmd_ns(int argc, char **argv, bool use_clone);
int cmd_int80(void);
int cmd_x32(void);

/* probes_files.c: identity, files and file descriptors. */
int cmd_ids(void);
int cmd_status(void);
int cmd_open(int argc, char **argv);
int cmd_write(int argc, char **argv);
int cmd_read(int argc, char **argv);
int cmd_fds(int argc, char **argv);
int cmd_fds_wait(int argc, char **argv);
int cmd_fdscan(void);
int cmd_init_fds(int argc, char **argv);

/* probes_proc.c: attacks on other processes. */
int cmd_exe_attack(int argc, char **argv);
int cmd_exe_of(int argc, char **argv);
int cmd_seals(int argc, char **argv);
int cmd_ptrace(int argc, char **argv);
int cmd_tiocsti(int argc, char **argv);
int cmd_init_cmdline(int argc, char **argv);

/* probes_ipc.c: channels between sandboxes. */
int cmd_uds_listen(int argc, char **argv);
int cmd_uds_connect(int argc, char **argv);
int cmd_ipc(int argc, char **argv);
int cmd_mq(int argc, char **argv);

/* probes_root.c: escapes from the root. */
int cmd_chroot_escape(void);
int cmd_shocker(void);
int cmd_cwd(void);
int cmd_mknod(int argc, char **argv);
int cmd_setfcap(int argc, char **argv);

#endif
