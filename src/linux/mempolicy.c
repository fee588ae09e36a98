/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/mempolicy.h"

#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

int nb_mempolicy_apply(const struct nb_mempolicy *mp, struct nb_error *err)
{
	/* The kernel reads MAXNODE - 1 bits of the mask (get_nodes()). */
	unsigned long maxnode = NB_MPOL_MAX_NODES + 1;

	if (!mp->set)
		return 0;
	if (syscall(SYS_set_mempolicy, mp->mode | (int)mp->flags, mp->n_nodes ? mp->nodes : NULL,
		    mp->n_nodes ? maxnode : 0UL) < 0)
		return nb_error_errno(err, "linux.memoryPolicy: set_mempolicy(%s)", nb_mempolicy_mode_name(mp->mode));
	return 0;
}
