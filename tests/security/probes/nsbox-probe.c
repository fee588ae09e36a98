/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nsbox-probe: the attacker's side of the security tests (tests/security).
 *
 * One static program with subcommands, copied into a sandbox's root (or
 * reached on the host's read-only root) by the tests. Each subcommand makes
 * one attack or one measurement and prints a concrete result on stdout,
 * for the test to assert: "OK", or the errno's name ("EPERM", "ENOSYS"),
 * or a few KEY=VALUE words. Usage errors exit 2; anything else exits 0 once
 * the result is printed, so the result, not the status, tells.
 *
 * Not part of nsbox: it is built by tests/security/meson.build, linked
 * -static so that it runs in the busybox root filesystem, and never
 * installed. It must stay small and obvious: every argument of every system
 * call below is chosen so that the kernel itself would not answer EPERM
 * (with all capabilities), so an EPERM can only come from the seccomp
 * filter; the tests check that by running each call again with
 * `--seccomp unconfined --cap-add ALL`, which is why every call must also
 * be harmless when it does go through.
 *
 * Subcommands (the tests' only interface; see each function):
 *   sys NAME              one system call by name (or an argument rule:
 *                         personality-*, socket-*, ioctl-*, clone3, nr1000)
 *   unshare | clone       every CLONE_NEW* flag, one at a time, and none
 *   int80 | x32           getpid through a non-native ABI
 *   ids | status          identity; capability sets, NoNewPrivs, Seccomp
 *   open PATH MODE | write PATH TEXT | read PATH | mknod PATH MAJ MIN
 *   fds [PID] | fds-wait OUT GO | fdscan | init-fds MS | init-cmdline MS
 *   exe-attack SECONDS [STOP] | exe-of PID | seals PATH
 *                         CVE-2019-5736: exe-attack writes into any binary
 *                         it can reopen that is not the image's own, so the
 *                         tests point it at a copy of nsbox, never at the
 *                         binary under test
 *   ptrace PID | tiocsti TEXT | chroot-escape | shocker | cwd
 *   uds-listen NAME READY STOP | uds-connect NAME | ipc msg|shm|sem KEY OP
 *   mq NAME OP | setfcap FILE CAP | sleep SECONDS MARKER
 *
 * This file holds the shared helpers and the dispatch; the subcommands are
 * in probes_*.c by topic, declared in nsbox-probe.h.
 */
#include "nsbox-probe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *errname(int e)
{
	const char *n = strerrorname_np(e);

	return n ? n : "E?";
}

/* Is it less than MS milliseconds since T0 (CLOCK_MONOTONIC)? */
bool within_ms(const struct timespec *t0, long ms)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000 < ms;
}

/* Print the outcome of a raw call: OK, or the errno's name. */
int outcome(long r)
{
	puts(r < 0 ? errname(errno) : "OK");
	return 0;
}

int usage(void)
{
	fputs("usage: nsbox-probe SUBCOMMAND [ARG...] (see tests/security/probes/nsbox-probe.c)\n", stderr);
	return 2;
}

/* sleep-marked SECONDS MARKER: sleep, with a marker in the command line. */
static int cmd_sleep(int argc, char **argv)
{
	if (argc < 3)
		return usage();
	sleep((unsigned)atoi(argv[2]));
	return 0;
}

int main(int argc, char **argv)
{
	const char *c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		return usage();
	c = argv[1];
	if (!strcmp(c, "sys"))
		return cmd_sys(argc, argv);
	if (!strcmp(c, "unshare"))
		return cmd_ns(argc, argv, false);
	if (!strcmp(c, "clone"))
		return cmd_ns(argc, argv, true);
	if (!strcmp(c, "int80"))
		return cmd_int80();
	if (!strcmp(c, "x32"))
		return cmd_x32();
	if (!strcmp(c, "ids"))
		return cmd_ids();
	if (!strcmp(c, "status"))
		return cmd_status();
	if (!strcmp(c, "open"))
		return cmd_open(argc, argv);
	if (!strcmp(c, "write"))
		return cmd_write(argc, argv);
	if (!strcmp(c, "read"))
		return cmd_read(argc, argv);
	if (!strcmp(c, "fds"))
		return cmd_fds(argc, argv);
	if (!strcmp(c, "fds-wait"))
		return cmd_fds_wait(argc, argv);
	if (!strcmp(c, "fdscan"))
		return cmd_fdscan();
	if (!strcmp(c, "init-fds"))
		return cmd_init_fds(argc, argv);
	if (!strcmp(c, "init-cmdline"))
		return cmd_init_cmdline(argc, argv);
	if (!strcmp(c, "exe-attack"))
		return cmd_exe_attack(argc, argv);
	if (!strcmp(c, "exe-of"))
		return cmd_exe_of(argc, argv);
	if (!strcmp(c, "seals"))
		return cmd_seals(argc, argv);
	if (!strcmp(c, "ptrace"))
		return cmd_ptrace(argc, argv);
	if (!strcmp(c, "tiocsti"))
		return cmd_tiocsti(argc, argv);
	if (!strcmp(c, "uds-listen"))
		return cmd_uds_listen(argc, argv);
	if (!strcmp(c, "uds-connect"))
		return cmd_uds_connect(argc, argv);
	if (!strcmp(c, "ipc"))
		return cmd_ipc(argc, argv);
	if (!strcmp(c, "mq"))
		return cmd_mq(argc, argv);
	if (!strcmp(c, "chroot-escape"))
		return cmd_chroot_escape();
	if (!strcmp(c, "shocker"))
		return cmd_shocker();
	if (!strcmp(c, "cwd"))
		return cmd_cwd();
	if (!strcmp(c, "mknod"))
		return cmd_mknod(argc, argv);
	if (!strcmp(c, "setfcap"))
		return cmd_setfcap(argc, argv);
	if (!strcmp(c, "sleep"))
		return cmd_sleep(argc, argv);
	if (!strcmp(c, "exit7"))
		return 7;
	return usage();
}
