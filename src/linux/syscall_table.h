/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * syscall_table.h: the numbers of the system calls that libseccomp may not
 * know, for the ABIs a kernel on nsbox's machines runs.
 *
 * libseccomp resolves syscall names from a table compiled into it. Debian
 * 12's 2.5.4-1+deb12u1 knows the calls up to Linux 6.7 (futex_requeue, 456);
 * Linux 6.8 to 6.18 added statmount, listmount, mseal, the *xattrat calls
 * and more, and x86-64 has uretprobe and uprobe. Without a number for such
 * a name a rule would be lost, and a rule that denies a call must never be
 * lost (see linux/seccomp.h). So linux/seccomp.c asks this table when
 * libseccomp does not know a name, and adds the rule by number.
 *
 * Contract:
 *  - Pure data, no system call. The entries are the calls added from Linux
 *    5.13 (landlock) to 6.18 (file_setattr, 469; 6.18 added none) plus the
 *    x86-only uretprobe (6.11) and uprobe (6.17). Where libseccomp knows a
 *    name too, the unit test checks that both agree, ABI by ABI.
 *  - Sources (Linux 6.18): scripts/syscall.tbl (the generic table of arm64
 *    and riscv), arch/x86/entry/syscalls/syscall_64.tbl and syscall_32.tbl,
 *    arch/arm/tools/syscall.tbl. Since Linux 5.1 a new call gets one number
 *    on every architecture (the x86 ones at 335 and 336 are the exception).
 *  - x32 numbers include __X32_SYSCALL_BIT (0x40000000): the kernel sees an
 *    x32 call as AUDIT_ARCH_X86_64 with that bit set in the number.
 *  - ARM is the EABI (32-bit ARM programs on an arm64 kernel).
 *  - To add a kernel's new calls: append them here with their numbers per
 *    ABI, and the kernel version in this comment.
 */
#ifndef NSBOX_LINUX_SYSCALL_TABLE_H
#define NSBOX_LINUX_SYSCALL_TABLE_H

#include <stddef.h>

enum nb_syscall_abi {
	NB_ABI_X86_64,
	NB_ABI_X32,
	NB_ABI_I386,
	NB_ABI_AARCH64,
	NB_ABI_ARM,
	NB_ABI_COUNT,
};

#define NB_X32_SYSCALL_BIT 0x40000000

struct nb_syscall_entry {
	const char *name;
	int nr[NB_ABI_COUNT];     /* -1: the ABI has no such call */
};

extern const struct nb_syscall_entry nb_syscall_table[];
extern const size_t nb_syscall_table_len;

/* The number of NAME in ABI (>= 0), -1 if the table has NAME but ABI has no
 * such call, or -ENOENT if NAME is not in the table. */
int nb_syscall_table_lookup(const char *name, enum nb_syscall_abi abi);

#endif
