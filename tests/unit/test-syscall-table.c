/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for linux/syscall_table.c: lookups, and agreement with
 * libseccomp wherever libseccomp knows a name too (its tables come from the
 * kernel's, so a typo in nsbox's table shows up here).
 */
#include "linux/syscall_table.h"
#include "tap.h"

#include <errno.h>
#include <seccomp.h>
#include <string.h>

static const uint32_t abi_arch[NB_ABI_COUNT] = {
	[NB_ABI_X86_64] = SCMP_ARCH_X86_64, [NB_ABI_X32] = SCMP_ARCH_X32,
	[NB_ABI_I386] = SCMP_ARCH_X86, [NB_ABI_AARCH64] = SCMP_ARCH_AARCH64,
	[NB_ABI_ARM] = SCMP_ARCH_ARM,
};
static const char *const abi_names[NB_ABI_COUNT] = {
	"x86_64", "x32", "i386", "aarch64", "arm",
};

static void test_lookup(void)
{
	tap_is_int(nb_syscall_table_lookup("listmount", NB_ABI_X86_64), 458, "listmount on x86_64");
	tap_is_int(nb_syscall_table_lookup("listmount", NB_ABI_X32), 0x40000000 | 458,
		   "listmount on x32 has the x32 bit");
	tap_is_int(nb_syscall_table_lookup("listmount", NB_ABI_I386), 458, "listmount on i386");
	tap_is_int(nb_syscall_table_lookup("mseal", NB_ABI_AARCH64), 462, "mseal on aarch64");
	tap_is_int(nb_syscall_table_lookup("file_setattr", NB_ABI_ARM), 469, "file_setattr on arm");
	tap_is_int(nb_syscall_table_lookup("uretprobe", NB_ABI_X86_64), 335, "uretprobe on x86_64");
	tap_is_int(nb_syscall_table_lookup("uretprobe", NB_ABI_I386), -1, "no uretprobe on i386");
	tap_is_int(nb_syscall_table_lookup("uprobe", NB_ABI_AARCH64), -1, "no uprobe on aarch64");
	tap_is_int(nb_syscall_table_lookup("frobnicate", NB_ABI_X86_64), -ENOENT,
		   "a name not in the table");
	tap_is_int(nb_syscall_table_lookup("listmount", NB_ABI_COUNT), -ENOENT, "an ABI out of range");
}

static void test_entries(void)
{
	for (size_t i = 0; i < nb_syscall_table_len; i++) {
		const struct nb_syscall_entry *e = &nb_syscall_table[i];
		int x86_64 = e->nr[NB_ABI_X86_64], x32 = e->nr[NB_ABI_X32];

		tap_ok(x32 == -1 || x32 == (0x40000000 | x86_64), "%s: x32 is x86_64 with the x32 bit",
		       e->name);
		for (size_t j = 0; j < i; j++)
			if (strcmp(nb_syscall_table[j].name, e->name) == 0)
				tap_ok(false, "%s is listed twice", e->name);
	}
}

/* Where libseccomp knows a name, it must agree. Names it does not know are
 * the reason for the table; count them. */
static void test_agrees_with_libseccomp(void)
{
	unsigned unknown = 0, checked = 0;

	for (size_t i = 0; i < nb_syscall_table_len; i++) {
		const struct nb_syscall_entry *e = &nb_syscall_table[i];

		for (int abi = 0; abi < NB_ABI_COUNT; abi++) {
			int nr = seccomp_syscall_resolve_name_arch(abi_arch[abi], e->name);

			if (nr == __NR_SCMP_ERROR) {
				unknown++;
				continue;
			}
			checked++;
			/* A negative pseudo number: libseccomp knows the ABI lacks it. */
			if (!tap_is_int(e->nr[abi], nr < 0 ? -1 : nr, "%s on %s agrees with libseccomp",
					e->name, abi_names[abi]))
				tap_diag("libseccomp says %d", nr);
		}
	}
	tap_diag("%u (name, ABI) pairs checked against libseccomp, %u unknown to it", checked,
		 unknown);
	/* libseccomp 2.5.4 with Debian's 6.7 update stops at futex_requeue. */
	tap_ok(seccomp_syscall_resolve_name("listmount") != __NR_SCMP_ERROR ||
	       nb_syscall_table_lookup("listmount", NB_ABI_X86_64) == 458,
	       "listmount is known to libseccomp or to the table");
}

int main(void)
{
	test_lookup();
	test_entries();
	test_agrees_with_libseccomp();
	return tap_done();
}
