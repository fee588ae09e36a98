/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nsbox-bench-seccomp [RUNS]: what the default seccomp profile costs a
 * sandbox, both ways nsbox can load it:
 *  - libseccomp at run time: the profile (spec/seccomp_default.c), built
 *    with nb_seccomp_build() and loaded with nb_seccomp_filter_load()
 *    (seccomp_load(): libseccomp generates the BPF, then seccomp(2));
 *  - the BPF generated at build time: nb_seccomp_load_default(), one
 *    seccomp(2).
 * Each run is a fresh fork (a filter cannot be unloaded), which times its
 * own steps with CLOCK_MONOTONIC and reports them through a pipe; the
 * parent prints the median and the 90th percentile of each, in
 * microseconds. The two kinds of runs alternate, so that other work on the
 * machine hits both alike. No privilege needed (no_new_privs).
 */
#include "linux/seccomp.h"
#include "linux/seccomp_default.h"
#include "spec/seccomp_default.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { PROFILE, BUILD, LOAD, TOTAL, EMBEDDED, N_TIMES };

static const char *const labels[N_TIMES] = {
	"  profile (spec/, plain data)",
	"  nb_seccomp_build()",
	"  nb_seccomp_filter_load()",
	"libseccomp at run time, total",
	"build-time BPF: nb_seccomp_load_default()",
};

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

/* In the child: load one way, write the step times to FD. */
static int child(int fd, bool embedded)
{
	double t[N_TIMES] = { 0 }, t0, t1, t2, t3;
	struct nb_seccomp_filter *f = NULL;
	struct nb_seccomp sc;
	struct nb_error err;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) < 0)
		return 1;
	if (embedded) {
		t0 = now_us();
		if (nb_seccomp_load_default(&err) < 0)
			goto fail;
		t[EMBEDDED] = now_us() - t0;
	} else {
		t0 = now_us();
		if (nb_seccomp_default_profile(&sc, &err) < 0)
			goto fail;
		t1 = now_us();
		if (nb_seccomp_build(&sc, &f, &err) < 0)
			goto fail;
		t2 = now_us();
		if (nb_seccomp_filter_load(f, NULL, &err) < 0)
			goto fail;
		t3 = now_us();
		t[PROFILE] = t1 - t0;
		t[BUILD] = t2 - t1;
		t[LOAD] = t3 - t2;
		t[TOTAL] = t3 - t0;
	}
	/* write() is allowed by the default profile. */
	return write(fd, t, sizeof(t)) == (ssize_t)sizeof(t) ? 0 : 1;
fail:
	fprintf(stderr, "nsbox-bench-seccomp: %s\n", err.msg);
	return 1;
}

static int run_one(bool embedded, double *t)
{
	int fds[2], status;
	pid_t pid;

	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		_exit(child(fds[1], embedded));
	}
	close(fds[1]);
	if (pid < 0 || read(fds[0], t, N_TIMES * sizeof(*t)) != (ssize_t)(N_TIMES * sizeof(*t)))
		status = -1;
	else if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		status = -1;
	close(fds[0]);
	if (pid > 0 && status == -1)
		waitpid(pid, NULL, 0);
	return status;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char *argv[])
{
	int runs = argc > 1 ? atoi(argv[1]) : 200;
	double *samples[N_TIMES];

	if (runs < 1) {
		fprintf(stderr, "usage: %s [RUNS]\n", argv[0]);
		return 2;
	}
	for (int k = 0; k < N_TIMES; k++)
		samples[k] = calloc((size_t)runs, sizeof(double));
	for (int i = 0; i < runs; i++) {
		double a[N_TIMES], b[N_TIMES];

		if (run_one(false, a) < 0 || run_one(true, b) < 0) {
			fprintf(stderr, "nsbox-bench-seccomp: run %d failed\n", i);
			return 1;
		}
		for (int k = 0; k < N_TIMES; k++)
			samples[k][i] = k == EMBEDDED ? b[k] : a[k];
	}
	printf("default seccomp profile (%zu BPF instructions, libseccomp %s), %d runs each:\n",
	       nb_seccomp_default_bpf_len, nb_seccomp_default_libseccomp, runs);
	printf("%-44s %10s %10s\n", "", "median us", "p90 us");
	for (int k = 0; k < N_TIMES; k++) {
		qsort(samples[k], (size_t)runs, sizeof(double), cmp_double);
		printf("%-44s %10.1f %10.1f\n", labels[k], samples[k][runs / 2],
		       samples[k][(runs * 9) / 10 < runs ? (runs * 9) / 10 : runs - 1]);
		free(samples[k]);
	}
	return 0;
}
