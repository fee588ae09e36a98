/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Loading the default profile's build-time BPF (see the header). */
#include "linux/seccomp_default.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int nb_seccomp_load_default(struct nb_error *err)
{
	struct sock_fprog prog = {
		.len = (unsigned short)nb_seccomp_default_bpf_len,
		/* The kernel copies it and never writes to it. */
		.filter = (struct sock_filter *)nb_seccomp_default_bpf,
	};

	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0)
		return 0;
	if (errno == EACCES)
		return nb_error_set(err, EACCES, "load the default seccomp filter: %s (needs "
				    "no_new_privs or CAP_SYS_ADMIN)", strerror(EACCES));
	return nb_error_errno(err, "load the default seccomp filter");
}
