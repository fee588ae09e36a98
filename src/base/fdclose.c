/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "base/fdclose.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int close_range_(unsigned lo, unsigned hi)
{
	if (lo > hi)
		return 0;
	return syscall(SYS_close_range, lo, hi, 0) < 0 ? -errno : 0;
}

/* Is FD one of the caller's fds in the preserved range? */
static bool passed(int fd, int preserve)
{
	int flags;

	if (fd < 3 || fd >= 3 + preserve)
		return false;
	flags = fcntl(fd, F_GETFD);
	return flags >= 0 && !(flags & FD_CLOEXEC);
}

int nb_close_all_except(const int *keep, size_t n_keep, int preserve)
{
	size_t n = 0;
	unsigned next = 3;
	int *fds, r = 0;

	fds = malloc((n_keep + (size_t)preserve + 1) * sizeof(*fds));
	if (!fds)
		return -ENOMEM;
	for (size_t i = 0; i < n_keep; i++)
		if (keep[i] >= 3)
			fds[n++] = keep[i];
	for (int fd = 3; fd < 3 + preserve; fd++)
		if (passed(fd, preserve))
			fds[n++] = fd;
	qsort(fds, n, sizeof(*fds), cmp_int);
	for (size_t i = 0; i < n && r == 0; i++) {
		r = close_range_(next, (unsigned)fds[i] - 1);
		next = (unsigned)fds[i] + 1;
	}
	if (r == 0)
		r = close_range_(next, ~0U);
	free(fds);
	return r;
}
