/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nsbox-bench-cgview: what a container's /sys/fs/cgroup view costs, two
 * ways, on the cgroup2 hierarchy at ROOT (argv[1]):
 *   mount   a fresh cgroup2 (fsopen, fsconfig CMD_CREATE, fsmount) in a new
 *           cgroup namespace, as a container mounting its own would;
 *   clone   open_tree(OPEN_TREE_CLONE) of the container's leaf, as nsbox does.
 * Each of RUNS rounds makes a leaf ROOT/nsbox-bench-PID/N, moves a child in,
 * and times one of each in that child (a new mount namespace, so nothing
 * reaches the host), alternating which goes first. With LOAD (argv[3]) > 0,
 * that many processes make and remove cgroups all the while (containers
 * coming and going). Prints medians and maxima in microseconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double fresh_mount(void)
{
	double t = now_us();
	int fs = fsopen("cgroup2", FSOPEN_CLOEXEC), mnt;

	if (fs < 0 || fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return -1;
	mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY);
	t = now_us() - t;
	close(fs);
	if (mnt < 0)
		return -1;
	close(mnt);
	return t;
}

static double clone_tree(const char *leaf)
{
	double t = now_us();
	int tree = open_tree(AT_FDCWD, leaf, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);

	t = now_us() - t;
	if (tree < 0)
		return -1;
	close(tree);
	return t;
}

/* In a child in LEAF: both, into a pipe. */
static int measure(const char leaf[4200], int first_mount, double out[2])
{
	int p[2];
	pid_t pid;

	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		char procs[4300];
		FILE *f;
		double r[2];

		snprintf(procs, sizeof(procs), "%s/cgroup.procs", leaf);
		f = fopen(procs, "w");
		if (!f || fprintf(f, "0\n") < 0 || fclose(f) != 0)
			_exit(1);
		if (unshare(CLONE_NEWNS | CLONE_NEWCGROUP) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			_exit(1);
		if (first_mount) {
			r[0] = fresh_mount();
			r[1] = clone_tree(leaf);
		} else {
			r[1] = clone_tree(leaf);
			r[0] = fresh_mount();
		}
		_exit(write(p[1], r, sizeof(r)) == sizeof(r) ? 0 : 1);
	}
	close(p[1]);
	if (pid < 0 || read(p[0], out, 2 * sizeof(double)) != 2 * sizeof(double)) {
		close(p[0]);
		return -1;
	}
	close(p[0]);
	waitpid(pid, NULL, 0);
	return out[0] < 0 || out[1] < 0 ? -1 : 0;
}

static void load(const char *base, int id)
{
	char path[4200];

	for (unsigned n = 0;; n++) {
		snprintf(path, sizeof(path), "%s/load-%d-%u", base, id, n % 8);
		mkdir(path, 0755);
		rmdir(path);
	}
}

int main(int argc, char **argv)
{
	const char *root = argc > 1 ? argv[1] : "/sys/fs/cgroup";
	int runs = argc > 2 ? atoi(argv[2]) : 200, nload = argc > 3 ? atoi(argv[3]) : 0, bad = 0;
	double *m = calloc((size_t)runs, sizeof(double)), *c = calloc((size_t)runs, sizeof(double));
	pid_t loaders[64];
	char base[4096], leaf[4200];

	if (!m || !c || runs <= 0 || nload < 0 || nload > 64)
		return 2;
	snprintf(base, sizeof(base), "%s/nsbox-bench-%d", root, (int)getpid());
	if (mkdir(base, 0755) < 0) {
		perror(base);
		return 2;
	}
	for (int i = 0; i < nload; i++)
		if ((loaders[i] = fork()) == 0)
			load(base, i);
	for (int i = 0; i < runs; i++) {
		double r[2];

		snprintf(leaf, sizeof(leaf), "%s/%d", base, i);
		if (mkdir(leaf, 0755) < 0 || measure(leaf, i % 2, r) < 0) {
			bad++;
			rmdir(leaf);
			i--;
			if (bad > 10)
				break;
			continue;
		}
		m[i] = r[0];
		c[i] = r[1];
		rmdir(leaf);
	}
	for (int i = 0; i < nload; i++) {
		kill(loaders[i], SIGKILL);
		waitpid(loaders[i], NULL, 0);
	}
	for (int i = 0; i < 8 * 64; i++) {
		snprintf(leaf, sizeof(leaf), "%s/load-%d-%d", base, i / 8, i % 8);
		rmdir(leaf);
	}
	rmdir(base);
	if (bad > 10) {
		fprintf(stderr, "nsbox-bench-cgview: measurements failed (need root)\n");
		return 1;
	}
	qsort(m, (size_t)runs, sizeof(double), cmp);
	qsort(c, (size_t)runs, sizeof(double), cmp);
	printf("%-28s %10s %10s\n", "", "median us", "max us");
	printf("%-28s %10.1f %10.1f\n", "fresh cgroup2 mount", m[runs / 2], m[runs - 1]);
	printf("%-28s %10.1f %10.1f\n", "open_tree clone of the leaf", c[runs / 2], c[runs - 1]);
	printf("ratio mount/clone (median): %.1f\n", m[runs / 2] / (c[runs / 2] > 0 ? c[runs / 2] : 1));
	return 0;
}
