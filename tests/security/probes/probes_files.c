/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nsbox-probe's identity, file and fd subcommands: ids, status, open, write, read, fds*, init-fds. */
#include "nsbox-probe.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---------------------------------------------------------------------
 * Identity and files.
 */
int cmd_ids(void)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;

	getresuid(&r, &e, &s);
	getresgid(&gr, &ge, &gs);
	printf("uid=%u euid=%u suid=%u gid=%u egid=%u sgid=%u nnp=%d\n", r, e, s, gr, ge, gs,
	       prctl(PR_GET_NO_NEW_PRIVS, 0L, 0L, 0L, 0L));
	return 0;
}

/* status: the capability sets, NoNewPrivs and Seccomp of /proc/self/status
 * on one line ("CapInh=... CapPrm=... ... Seccomp=2"). */
int cmd_status(void)
{
	static const char *const keys[] = { "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb",
					     "NoNewPrivs", "Seccomp" };
	char line[256];
	FILE *f = fopen("/proc/self/status", "re");
	const char *sep = "";

	if (!f)
		return outcome(-1);
	while (fgets(line, sizeof(line), f)) {
		for (size_t i = 0; i < N_(keys); i++) {
			size_t n = strlen(keys[i]);
			char *v;

			if (strncmp(line, keys[i], n) || line[n] != ':')
				continue;
			v = line + n + 1;
			v += strspn(v, " \t");
			v[strcspn(v, "\n")] = '\0';
			printf("%s%s=%s", sep, keys[i], v);
			sep = " ";
		}
	}
	fclose(f);
	putchar('\n');
	return 0;
}

/* open PATH r|w|rw|path: OK or the errno. */
int cmd_open(int argc, char **argv)
{
	int flags, fd;

	if (argc != 4)
		return usage();
	if (!strcmp(argv[3], "r"))
		flags = O_RDONLY;
	else if (!strcmp(argv[3], "w"))
		flags = O_WRONLY;
	else if (!strcmp(argv[3], "rw"))
		flags = O_RDWR;
	else if (!strcmp(argv[3], "path"))
		flags = O_PATH;
	else
		return usage();
	fd = open(argv[2], flags | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd >= 0)
		close(fd);
	return outcome(fd);
}

/* write PATH TEXT: one write() of TEXT into an existing file. */
int cmd_write(int argc, char **argv)
{
	int fd;
	ssize_t n;

	if (argc != 4)
		return usage();
	fd = open(argv[2], O_WRONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return outcome(-1);
	n = write(fd, argv[3], strlen(argv[3]));
	close(fd);
	return outcome(n < 0 ? -1 : 0);
}

/* read PATH: the number of bytes readable, or the errno. */
int cmd_read(int argc, char **argv)
{
	char buf[4096];
	long total = 0;
	ssize_t n;
	int fd;

	if (argc != 3)
		return usage();
	fd = open(argv[2], O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return outcome(-1);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	if (n < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return outcome(-1);
	}
	close(fd);
	printf("BYTES=%ld\n", total);
	return 0;
}

/* The fds of /proc/PID/fd (default self), without the one listing them. */
static int list_fds(const char *pid, FILE *out)
{
	char path[64];
	struct dirent *d;
	DIR *dir;
	const char *sep = "";
	int own;

	snprintf(path, sizeof(path), "/proc/%s/fd", pid);
	dir = opendir(path);
	if (!dir) {
		fprintf(out, "%s\n", errname(errno));
		return 0;
	}
	own = dirfd(dir);
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		if (!strcmp(pid, "self") && atoi(d->d_name) == own)
			continue;
		fprintf(out, "%s%s", sep, d->d_name);
		sep = " ";
	}
	fprintf(out, "%s\n", *sep ? "" : "NONE");
	closedir(dir);
	return 0;
}

/* fds [PID]: numbers in readdir order are sorted for fds. */
int cmd_fds(int argc, char **argv)
{
	return list_fds(argc > 2 ? argv[2] : "self", stdout);
}

static int wait_for_file(const char *path, int seconds)
{
	struct stat st;

	for (int i = 0; i < seconds * 100; i++) {
		if (stat(path, &st) == 0)
			return 0;
		usleep(10000);
	}
	return -1;
}

/* fds-wait OUT GO: write our fds into OUT, then wait (up to 60 s) for GO.
 * The list is made before OUT is opened, so OUT's fd is not in it. */
int cmd_fds_wait(int argc, char **argv)
{
	char tmp[PATH_MAX], *list = NULL;
	size_t len = 0;
	FILE *mem, *f;

	if (argc != 4)
		return usage();
	mem = open_memstream(&list, &len);
	if (!mem)
		return outcome(-1);
	list_fds("self", mem);
	fclose(mem);
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[2]);
	f = fopen(tmp, "we");
	if (!f)
		return outcome(-1);
	fputs(list, f);
	fclose(f);
	free(list);
	if (rename(tmp, argv[2]) < 0)
		return outcome(-1);
	return wait_for_file(argv[3], 60) < 0 ? 3 : 0;
}

/* fdscan: every /proc/PID/fd/N (N < 1024) of every other process that this
 * process can open, with where it leads; directories are listed. */
int cmd_fdscan(void)
{
	struct dirent *p;
	DIR *procdir = opendir("/proc");
	int reached = 0, tried = 0;
	pid_t self = getpid();

	if (!procdir)
		return outcome(-1);
	while ((p = readdir(procdir))) {
		int pid = atoi(p->d_name);

		if (pid <= 0 || pid == self)
			continue;   /* our own fds are no finding */
		for (int n = 0; n < 1024; n++) {
			char path[96], target[PATH_MAX];
			struct stat st;
			ssize_t len;
			int fd;

			snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, n);
			tried++;
			fd = open(path, O_PATH | O_CLOEXEC);
			if (fd < 0)
				continue;
			len = readlink(path, target, sizeof(target) - 1);
			target[len > 0 ? len : 0] = '\0';
			reached++;
			if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
				int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
				DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
				struct dirent *e;

				printf("REACHED-DIR %d/%d %s:", pid, n, target);
				while (d && (e = readdir(d)))
					if (e->d_name[0] != '.')
						printf(" %s", e->d_name);
				putchar('\n');
				if (d)
					closedir(d);
			} else {
				printf("REACHED %d/%d %s\n", pid, n, target);
			}
			close(fd);
		}
	}
	closedir(procdir);
	printf("SCANNED=%d REACHED=%d\n", tried, reached);
	return 0;
}

/* init-fds MS: for MS milliseconds from our start, keep opening every fd of
 * PID 1 (/proc/1/fd/N) and report each one that is not the init's signalfd
 * (once per fd and target). Through one that is a directory (a host procfs
 * the init still holds), try the host's root (1/root/etc/hostname, read)
 * and the host's kernel.core_pattern (opened for writing, never written):
 * either is an ESCAPE. */
int cmd_init_fds(int argc, char **argv)
{
	static char seen[64][600];
	struct timespec t0;
	int n_seen = 0, escapes = 0;

	if (argc != 3)
		return usage();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		DIR *d = opendir("/proc/1/fd");
		struct dirent *e;

		while (d && (e = readdir(d))) {
			char path[300], target[256] = "", line[600];
			struct stat st;
			ssize_t len;
			int fd, known = 0;

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/proc/1/fd/%s", e->d_name);
			fd = open(path, O_PATH | O_CLOEXEC);
			if (fd < 0)
				continue;
			len = readlink(path, target, sizeof(target) - 1);
			target[len > 0 ? len : 0] = '\0';
			if (!strcmp(target, "anon_inode:[signalfd]")) {
				close(fd);
				continue;
			}
			snprintf(line, sizeof(line), "HELD %s %s", e->d_name, target);
			for (int i = 0; i < n_seen; i++)
				known |= !strcmp(seen[i], line);
			if (!known && n_seen < 64) {
				snprintf(seen[n_seen++], sizeof(seen[0]), "%s", line);
				puts(line);
			}
			if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
				int h = openat(fd, "1/root/etc/hostname", O_RDONLY | O_CLOEXEC);
				char buf[80] = "";

				if (h >= 0) {
					ssize_t n = read(h, buf, sizeof(buf) - 1);

					buf[n > 0 ? n : 0] = '\0';
					buf[strcspn(buf, "\n")] = '\0';
					if (!escapes++)
						printf("ESCAPE through /proc/1/fd/%s: the host's hostname is '%s'\n", e->d_name, buf);
					close(h);
				}
				/* A host procfs also holds the host's sysctls, writable
				 * by root: opened for writing, never written. */
				h = openat(fd, "sys/kernel/core_pattern", O_WRONLY | O_CLOEXEC);
				if (h >= 0) {
					if (!escapes++)
						printf("ESCAPE through /proc/1/fd/%s: the host's kernel.core_pattern opens for writing\n",
						       e->d_name);
					close(h);
				}
			}
			close(fd);
		}
		if (d)
			closedir(d);
	} while (within_ms(&t0, atol(argv[2])));
	printf("DONE held=%d escapes=%d\n", n_seen, escapes);
	return 0;
}
