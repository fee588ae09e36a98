/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* System call numbers newer than libseccomp's table (sources in the header). */
#include "linux/syscall_table.h"

#include <errno.h>
#include <string.h>

#define X32(n) (NB_X32_SYSCALL_BIT | (n))
/* A call with one number everywhere (x32 with its bit). */
#define COMMON(name, n) { name, { n, X32(n), n, n, n } }

const struct nb_syscall_entry nb_syscall_table[] = {
	/*                           x86_64 x32      i386 aarch64 arm */
	COMMON("landlock_create_ruleset", 444),                      /* 5.13 */
	COMMON("landlock_add_rule", 445),
	COMMON("landlock_restrict_self", 446),
	{ "memfd_secret",            { 447, X32(447), 447, 447, -1 } },   /* 5.14; not on arm */
	COMMON("process_mrelease", 448),                             /* 5.15 */
	COMMON("futex_waitv", 449),                                  /* 5.16 */
	COMMON("set_mempolicy_home_node", 450),                      /* 5.17 */
	COMMON("cachestat", 451),                                    /* 6.5 */
	COMMON("fchmodat2", 452),                                    /* 6.6 */
	{ "map_shadow_stack",        { 453, -1, 453, 453, 453 } },   /* 6.6; "64" on x86: not x32 */
	COMMON("futex_wake", 454),                                   /* 6.7 */
	COMMON("futex_wait", 455),
	COMMON("futex_requeue", 456),
	COMMON("statmount", 457),                                    /* 6.8 */
	COMMON("listmount", 458),
	COMMON("lsm_get_self_attr", 459),
	COMMON("lsm_set_self_attr", 460),
	COMMON("lsm_list_modules", 461),
	COMMON("mseal", 462),                                        /* 6.10 */
	COMMON("setxattrat", 463),                                   /* 6.13 */
	COMMON("getxattrat", 464),
	COMMON("listxattrat", 465),
	COMMON("removexattrat", 466),
	COMMON("open_tree_attr", 467),                               /* 6.15 */
	COMMON("file_getattr", 468),                                 /* 6.17 */
	COMMON("file_setattr", 469),
	/* x86 only, "common" in syscall_64.tbl (so x32 too), not in syscall_32.tbl. */
	{ "uretprobe",               { 335, X32(335), -1, -1, -1 } },   /* 6.11 */
	{ "uprobe",                  { 336, X32(336), -1, -1, -1 } },   /* 6.17 */
};

const size_t nb_syscall_table_len = sizeof(nb_syscall_table) / sizeof(nb_syscall_table[0]);

int nb_syscall_table_lookup(const char *name, enum nb_syscall_abi abi)
{
	if ((unsigned)abi >= NB_ABI_COUNT)
		return -ENOENT;
	for (size_t i = 0; i < nb_syscall_table_len; i++)
		if (strcmp(nb_syscall_table[i].name, name) == 0)
			return nb_syscall_table[i].nr[abi];
	return -ENOENT;
}
