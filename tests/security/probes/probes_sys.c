/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nsbox-probe's system call subcommands: sys NAME, unshare, clone, int80, x32. */
#include "nsbox-probe.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fanotify.h>
#include <linux/io_uring.h>
#include <linux/kcmp.h>
#include <linux/keyctl.h>
#include <linux/userfaultfd.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef AF_ALG
#define AF_ALG 38
#endif
#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif
#ifndef TIOCLINUX
#define TIOCLINUX 0x541C
#endif

/* x86-64 numbers newer than this system's headers, or of calls that glibc
 * does not name; other architectures use what their headers have. */
#if defined(__x86_64__)
#ifndef __NR_open_tree_attr
#define __NR_open_tree_attr 467
#endif
#ifndef __NR_mount_setattr
#define __NR_mount_setattr 442
#endif
#ifndef __NR_quotactl_fd
#define __NR_quotactl_fd 443
#endif
#ifndef __NR_set_mempolicy_home_node
#define __NR_set_mempolicy_home_node 450
#endif
#ifndef __NR_clone3
#define __NR_clone3 435
#endif
#endif

/* ---------------------------------------------------------------------
 * sys NAME: one system call, by name.
 */

/* fork-like clone: the child leaves at once; the parent reaps it. */
static long clone_flags(unsigned long flags)
{
	long pid = syscall(SYS_clone, flags | SIGCHLD, 0L, 0L, 0L, 0L);

	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid((pid_t)pid, NULL, 0);
	return pid < 0 ? -1 : 0;
}

static long do_clone3(void)
{
	uint64_t args[11];   /* struct clone_args, Linux 5.5 size plus set_tid */
	long pid;

	memset(args, 0, sizeof(args));
	args[4] = SIGCHLD;   /* exit_signal */
	pid = syscall(__NR_clone3, args, 64UL);
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid((pid_t)pid, NULL, 0);
	return pid < 0 ? -1 : 0;
}

static long do_io_uring_setup(void)
{
	struct io_uring_params p;
	long fd;

	memset(&p, 0, sizeof(p));
	fd = syscall(SYS_io_uring_setup, 1U, &p);
	if (fd >= 0)
		close((int)fd);
	return fd;
}

static long do_userfaultfd(void)
{
	long fd = syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY);

	if (fd >= 0)
		close((int)fd);
	return fd;
}

static long do_name_to_handle_at(void)
{
	struct file_handle *h = calloc(1, sizeof(*h) + 128);
	int mnt;
	long r;

	if (!h)
		return -1;
	h->handle_bytes = 0;   /* the kernel answers EOVERFLOW with the size */
	r = syscall(SYS_name_to_handle_at, AT_FDCWD, "/", h, &mnt, 0);
	free(h);
	return r;
}

static long do_socket(int family, int type)
{
	int fd = socket(family, type | SOCK_CLOEXEC, 0);

	if (fd >= 0)
		close(fd);
	return fd;
}

/* ioctl with a full 64-bit command register. */
static long do_ioctl(int fd, unsigned long cmd)
{
	char c = '\n';

	return syscall(SYS_ioctl, fd, cmd, &c);
}

static long do_fanotify_init(void)
{
	long fd = syscall(SYS_fanotify_init, FAN_CLASS_NOTIF | FAN_REPORT_FID | FAN_CLOEXEC, O_RDONLY);

	if (fd >= 0)
		close((int)fd);
	return fd;
}

static long do_execve(void)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		char *argv[] = { "nsbox-probe", "exit7", NULL };

		execve("/proc/self/exe", argv, (char *[]){ NULL });
		_exit(99);
	}
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 7) {
		errno = ENOEXEC;
		return -1;
	}
	return 0;
}

static long do_fork(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return pid < 0 ? -1 : 0;
}

static long sys_call(const char *n)
{
	static char buf[4096];
	struct timex tx;
	struct timespec ts = { 0, 0 };

	memset(&tx, 0, sizeof(tx));
	/* Keyrings: none of these ever reaches a shared keyring. */
	if (!strcmp(n, "keyctl"))
		return syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 0L);
	if (!strcmp(n, "add_key"))
		return syscall(SYS_add_key, "user", "nsbox-probe", "x", 1UL, KEY_SPEC_PROCESS_KEYRING);
	if (!strcmp(n, "request_key"))
		return syscall(SYS_request_key, "user", "nsbox-probe-absent", NULL, 0L);
	/* Kernel code. */
	if (!strcmp(n, "bpf"))
		return syscall(SYS_bpf, 9999, NULL, 0U);
	if (!strcmp(n, "perf_event_open"))
		return syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0UL);
	if (!strcmp(n, "init_module"))
		return syscall(SYS_init_module, NULL, 0UL, "");
	if (!strcmp(n, "finit_module"))
		return syscall(SYS_finit_module, -1, "", 0);
	if (!strcmp(n, "delete_module"))
		return syscall(SYS_delete_module, "nsbox_probe_absent", O_NONBLOCK);
	if (!strcmp(n, "kexec_load"))
		return syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0xdead0000UL);
	if (!strcmp(n, "kexec_file_load"))
		return syscall(SYS_kexec_file_load, -1, -1, 0UL, NULL, 0xdead0000UL);
#ifdef SYS_create_module
	if (!strcmp(n, "create_module"))
		return syscall(SYS_create_module, NULL, 0UL);
#endif
#ifdef SYS_query_module
	if (!strcmp(n, "query_module"))
		return syscall(SYS_query_module, NULL, 0, NULL, 0UL, NULL);
#endif
#ifdef SYS_get_kernel_syms
	if (!strcmp(n, "get_kernel_syms"))
		return syscall(SYS_get_kernel_syms, NULL);
#endif
	/* Mounts: paths that do not exist, fds that are not open. */
	if (!strcmp(n, "mount"))
		return syscall(SYS_mount, "none", "/nsbox-probe-absent", "tmpfs", 0UL, NULL);
	if (!strcmp(n, "umount2"))
		return syscall(SYS_umount2, "/nsbox-probe-absent", 0);
	if (!strcmp(n, "pivot_root"))
		return syscall(SYS_pivot_root, "/nsbox-probe-absent", "/nsbox-probe-absent");
	if (!strcmp(n, "move_mount"))
		return syscall(SYS_move_mount, -1, "", -1, "", 0U);
	if (!strcmp(n, "open_tree"))
		return syscall(SYS_open_tree, AT_FDCWD, "/nsbox-probe-absent", 0U);
#ifdef __NR_open_tree_attr
	if (!strcmp(n, "open_tree_attr"))
		return syscall(__NR_open_tree_attr, AT_FDCWD, "/nsbox-probe-absent", 0U, NULL, 0UL);
#endif
	if (!strcmp(n, "fsopen"))
		return syscall(SYS_fsopen, NULL, 0U);
	if (!strcmp(n, "fsconfig"))
		return syscall(SYS_fsconfig, -1, 0U, NULL, NULL, 0);
	if (!strcmp(n, "fsmount"))
		return syscall(SYS_fsmount, -1, 0U, 0U);
	if (!strcmp(n, "fspick"))
		return syscall(SYS_fspick, -1, "", 0U);
	if (!strcmp(n, "mount_setattr"))
		return syscall(__NR_mount_setattr, -1, "", 0U, NULL, 0UL);
	/* Namespaces. */
	if (!strcmp(n, "setns"))
		return syscall(SYS_setns, -1, 0);
	/* File handles. */
	if (!strcmp(n, "open_by_handle_at"))
		return syscall(SYS_open_by_handle_at, -1, NULL, 0);
	if (!strcmp(n, "name_to_handle_at"))
		return do_name_to_handle_at();
	/* Attack surface. */
	if (!strcmp(n, "userfaultfd"))
		return do_userfaultfd();
	if (!strcmp(n, "io_uring_setup"))
		return do_io_uring_setup();
	if (!strcmp(n, "io_uring_enter"))
		return syscall(SYS_io_uring_enter, -1, 0U, 0U, 0U, NULL, 0UL);
	if (!strcmp(n, "io_uring_register"))
		return syscall(SYS_io_uring_register, -1, 0U, NULL, 0U);
	/* The host. */
	if (!strcmp(n, "reboot"))   /* no magic: EINVAL once CAP_SYS_BOOT is there */
		return syscall(SYS_reboot, 0, 0, 0U, NULL);
	if (!strcmp(n, "swapon"))
		return syscall(SYS_swapon, NULL, 0);
	if (!strcmp(n, "swapoff"))
		return syscall(SYS_swapoff, NULL);
	if (!strcmp(n, "acct"))
		return syscall(SYS_acct, (const char *)1);
	if (!strcmp(n, "syslog"))   /* SYSLOG_ACTION_SIZE_BUFFER: reads a number */
		return syscall(SYS_syslog, 10, NULL, 0);
	if (!strcmp(n, "quotactl"))
		return syscall(SYS_quotactl, 0, NULL, 0, NULL);
	if (!strcmp(n, "quotactl_fd"))
		return syscall(__NR_quotactl_fd, -1, 0U, 0, NULL);
	if (!strcmp(n, "vhangup"))  /* no controlling terminal: nothing to hang up */
		return syscall(SYS_vhangup);
	/* Clocks: no change to any clock. */
	if (!strcmp(n, "settimeofday"))
		return syscall(SYS_settimeofday, NULL, NULL);
	if (!strcmp(n, "clock_settime"))   /* CLOCK_MONOTONIC cannot be set */
		return syscall(SYS_clock_settime, CLOCK_MONOTONIC, &ts);
	if (!strcmp(n, "adjtimex"))        /* modes 0: read only */
		return syscall(SYS_adjtimex, &tx);
	if (!strcmp(n, "clock_adjtime"))
		return syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx);
	/* Hardware. */
#ifdef SYS_iopl
	if (!strcmp(n, "iopl"))
		return syscall(SYS_iopl, 4);
#endif
#ifdef SYS_ioperm
	if (!strcmp(n, "ioperm"))
		return syscall(SYS_ioperm, 0x10000UL, 1UL, 0);
#endif
#ifdef SYS_modify_ldt
	if (!strcmp(n, "modify_ldt"))      /* func 0: read the (empty) LDT */
		return syscall(SYS_modify_ldt, 0, buf, sizeof(buf));
#endif
	/* Obsolete. */
#ifdef SYS_lookup_dcookie
	if (!strcmp(n, "lookup_dcookie"))
		return syscall(SYS_lookup_dcookie, 0ULL, NULL, 0UL);
#endif
#ifdef SYS_nfsservctl
	if (!strcmp(n, "nfsservctl"))
		return syscall(SYS_nfsservctl, 0, NULL, NULL);
#endif
#ifdef SYS_uselib
	if (!strcmp(n, "uselib"))
		return syscall(SYS_uselib, NULL);
#endif
#ifdef SYS_ustat
	if (!strcmp(n, "ustat"))
		return syscall(SYS_ustat, 0U, NULL);
#endif
#ifdef SYS_sysfs
	if (!strcmp(n, "sysfs"))           /* option 3: the number of filesystem types */
		return syscall(SYS_sysfs, 3);
#endif
#ifdef SYS__sysctl
	if (!strcmp(n, "_sysctl"))
		return syscall(SYS__sysctl, NULL);
#endif
	/* Kernel pointers, whole filesystems. */
	if (!strcmp(n, "kcmp"))
		return syscall(SYS_kcmp, getpid(), getpid(), KCMP_VM, 0UL, 0UL);
	if (!strcmp(n, "fanotify_init"))
		return do_fanotify_init();
	/* NUMA: this process only, no node. */
	if (!strcmp(n, "mbind"))
		return syscall(SYS_mbind, NULL, 0UL, 0 /* MPOL_DEFAULT */, NULL, 0UL, 0U);
	if (!strcmp(n, "set_mempolicy"))
		return syscall(SYS_set_mempolicy, 0 /* MPOL_DEFAULT */, NULL, 0UL);
	if (!strcmp(n, "set_mempolicy_home_node"))
		return syscall(__NR_set_mempolicy_home_node, 0UL, 0UL, 0UL, 0UL);
	if (!strcmp(n, "move_pages"))
		return syscall(SYS_move_pages, 0, 0UL, NULL, NULL, NULL, 0);
	if (!strcmp(n, "migrate_pages"))
		return syscall(SYS_migrate_pages, 0, 0UL, NULL, NULL);
	/* Argument rules. */
	if (!strcmp(n, "personality"))     /* ADDR_NO_RANDOMIZE */
		return syscall(SYS_personality, (unsigned long)ADDR_NO_RANDOMIZE);
	if (!strcmp(n, "personality-read-implies-exec"))
		return syscall(SYS_personality, (unsigned long)READ_IMPLIES_EXEC);
	if (!strcmp(n, "personality-query"))
		return syscall(SYS_personality, 0xffffffffUL);
	if (!strcmp(n, "personality-linux32"))
		return syscall(SYS_personality, (unsigned long)PER_LINUX32);
	if (!strcmp(n, "socket-alg"))
		return do_socket(AF_ALG, SOCK_SEQPACKET);
	if (!strcmp(n, "socket-vsock"))
		return do_socket(AF_VSOCK, SOCK_STREAM);
	if (!strcmp(n, "socket-inet"))
		return do_socket(AF_INET, SOCK_STREAM);
	if (!strcmp(n, "socket-unix"))
		return do_socket(AF_UNIX, SOCK_STREAM);
	if (!strcmp(n, "ioctl-tiocsti"))
		return do_ioctl(0, TIOCSTI);
	if (!strcmp(n, "ioctl-tiocsti-pad"))   /* garbage above the 32-bit command */
		return do_ioctl(0, 0xdeadbeef00000000UL | TIOCSTI);
	if (!strcmp(n, "ioctl-tioclinux"))
		return do_ioctl(0, TIOCLINUX);
	if (!strcmp(n, "ioctl-tioclinux-pad"))
		return do_ioctl(0, 0x1234567800000000UL | TIOCLINUX);
	if (!strcmp(n, "ioctl-fionread"))
		return do_ioctl(0, FIONREAD);
	if (!strcmp(n, "clone3"))
		return do_clone3();
	if (!strcmp(n, "nr1000"))
		return syscall(1000);
	if (!strcmp(n, "fork"))
		return do_fork();
	if (!strcmp(n, "getppid"))
		return syscall(SYS_getppid);
	if (!strcmp(n, "uname"))
		return syscall(SYS_uname, buf);
	if (!strcmp(n, "execve"))
		return do_execve();
	errno = EINVAL;
	fprintf(stderr, "nsbox-probe: sys: unknown call '%s'\n", n);
	exit(2);
}

int cmd_sys(int argc, char **argv)
{
	if (argc != 3)
		return usage();
	return outcome(sys_call(argv[2]));
}

/* ---------------------------------------------------------------------
 * unshare / clone: every namespace flag, one at a time, and none.
 */
static const struct { const char *name; unsigned long flag; } ns_flags[] = {
	{ "NEWNS", CLONE_NEWNS }, { "NEWCGROUP", CLONE_NEWCGROUP }, { "NEWUTS", CLONE_NEWUTS },
	{ "NEWIPC", CLONE_NEWIPC }, { "NEWUSER", CLONE_NEWUSER }, { "NEWPID", CLONE_NEWPID },
	{ "NEWNET", CLONE_NEWNET }, { "NEWTIME", CLONE_NEWTIME },
};

/* unshare in a child, so that one flag's success does not change the next. */
static long unshare_in_child(unsigned long flag)
{
	int p[2], e = 0;
	pid_t pid;

	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		int r = unshare((int)flag) < 0 ? errno : 0;

		(void)!write(p[1], &r, sizeof(r));
		_exit(0);
	}
	close(p[1]);
	if (pid < 0 || read(p[0], &e, sizeof(e)) != sizeof(e))
		e = EIO;
	close(p[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	errno = e;
	return e ? -1 : 0;
}

int cmd_ns(int argc, char **argv, bool use_clone)
{
	const char *sep = "";

	if (argc != 2)
		return usage();
	for (size_t i = 0; i < N_(ns_flags); i++) {
		long r;

		/* clone's low byte is the exit signal: CLONE_NEWTIME cannot be said. */
		if (use_clone && ns_flags[i].flag == CLONE_NEWTIME)
			continue;
		r = use_clone ? clone_flags(ns_flags[i].flag) : unshare_in_child(ns_flags[i].flag);
		printf("%s%s=%s", sep, ns_flags[i].name, r < 0 ? errname(errno) : "OK");
		sep = " ";
	}
	/* Without a namespace flag the call stays allowed. */
	printf(" none=%s\n", (use_clone ? clone_flags(0) : unshare_in_child(CLONE_FILES)) < 0 ? errname(errno) : "OK");
	return 0;
}

/* ---------------------------------------------------------------------
 * Non-native ABIs: getpid through int $0x80 (i386) and through the x32 bit.
 */
int cmd_int80(void)
{
#if defined(__x86_64__)
	long r;

	fflush(stdout);
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L /* i386 getpid */) : "memory");
	printf("%s %ld\n", r < 0 ? "ERR" : "OK", r);
	return 0;
#else
	puts("NOT-X86_64");
	return 0;
#endif
}

int cmd_x32(void)
{
#if defined(__x86_64__)
	long r = syscall(0x40000000L | SYS_getpid);

	printf("%s\n", r < 0 ? errname(errno) : "OK");
	return 0;
#else
	puts("NOT-X86_64");
	return 0;
#endif
}
