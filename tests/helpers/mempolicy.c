/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nsbox-mempolicy: print the calling process's NUMA memory policy, as
 * get_mempolicy(2) reports it: "MODE NODEMASK" in hex (MODE 0 is
 * MPOL_DEFAULT, 1 MPOL_PREFERRED, 2 MPOL_BIND, 3 MPOL_INTERLEAVE), for the
 * tests of linux.memoryPolicy (tests/integration/oci-conformance.bats).
 * Static, so that it runs inside the busybox root filesystem too.
 */
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	unsigned long mask[16] = { 0 };
	int mode = -1;

	if (syscall(SYS_get_mempolicy, &mode, mask, sizeof(mask) * 8, NULL, 0UL) < 0) {
		perror("nsbox-mempolicy: get_mempolicy");
		return 1;
	}
	printf("%d %lx\n", mode, mask[0]);
	return 0;
}
