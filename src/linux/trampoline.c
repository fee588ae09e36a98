/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/trampoline.h"
#include "base/cleanup.h"
#include "base/fileutil.h"
#include "trampoline/protocol.h"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U   /* Linux 6.3: executable even under vm.memfd_noexec=1 */
#endif

#if NB_HAVE_TRAMPOLINE
extern const unsigned char nb_trampoline_blob[];
extern const unsigned long nb_trampoline_blob_len;
#endif

bool nb_trampoline_available(void)
{
	return NB_HAVE_TRAMPOLINE;
}

int nb_trampoline_open(int *ret_fd, struct nb_error *err)
{
#if NB_HAVE_TRAMPOLINE
	_cleanup_close_ int fd = memfd_create("nsbox-exec", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
	int r;

	if (fd < 0 && errno == EINVAL)   /* before Linux 6.3 */
		fd = memfd_create("nsbox-exec", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return nb_error_errno(err, "nsbox-exec: memfd_create");
	r = nb_write_all(fd, nb_trampoline_blob, nb_trampoline_blob_len);
	if (r < 0)
		return nb_error_sys(err, -r, "nsbox-exec: write");
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
		return nb_error_errno(err, "nsbox-exec: seal");
	*ret_fd = TAKE_FD(fd);
	return 0;
#else
	return nb_error_set(err, EOPNOTSUPP, "nsbox-exec: not built for this architecture");
#endif
}

int nb_trampoline_exec(int tramp, int report, int hold, bool say, const char *path,
		       char *const argv[], char *const envp[])
{
	char report_s[16], hold_s[16];
	size_t n = 0;
	char **args;

	while (argv[n])
		n++;
	args = calloc(n + NB_EXEC_ARGV_FIRST + 1, sizeof(*args));
	if (!args)
		return -ENOMEM;
	snprintf(report_s, sizeof(report_s), "%d", report);
	snprintf(hold_s, sizeof(hold_s), "%d", hold);
	args[0] = (char *)"nsbox-exec";
	args[1] = report_s;
	args[2] = hold_s;
	args[3] = (char *)(say ? "1" : "0");
	args[4] = (char *)path;
	memcpy(args + NB_EXEC_ARGV_FIRST, argv, n * sizeof(*args));
	if ((report >= 0 && nb_fd_set_cloexec(report, 0) < 0) ||
	    (hold >= 0 && nb_fd_set_cloexec(hold, 0) < 0)) {
		free(args);
		return -errno;
	}
	syscall(SYS_execveat, tramp, "", args, envp, AT_EMPTY_PATH);
	free(args);
	return -errno;
}
