/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* seccomp_sim.h: what a seccomp filter answers for a call of any ABI,
 * computed in user space, for the unit tests.
 *
 * Some kernels cannot run a compat ABI at all: under the PVM hypervisor an
 * x86-64 guest has no i386 entry, and `int $0x80` dies of SIGSEGV before
 * seccomp sees it. There the filter's compat branch cannot be exercised
 * live, so the tests run the program itself on a made-up seccomp_data,
 * with libpcap's classic BPF interpreter (bpf_filter(3PCAP)): the same
 * instruction set the kernel runs for seccomp. libpcap loads words in
 * network byte order, so each 32-bit word of the data is stored big-endian
 * at the offset where the kernel would have it in host order.
 *
 * Header-only, included by one test program each. */
#ifndef NSBOX_TESTS_SECCOMP_SIM_H
#define NSBOX_TESTS_SECCOMP_SIM_H

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pcap/bpf.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

_Static_assert(sizeof(struct bpf_insn) == sizeof(struct sock_filter), "bpf_insn is sock_filter");
_Static_assert(offsetof(struct bpf_insn, k) == offsetof(struct sock_filter, k), "bpf_insn is sock_filter");

static inline void sim_put32(unsigned char *d, size_t off, uint32_t v)
{
	d[off] = (unsigned char)(v >> 24);
	d[off + 1] = (unsigned char)(v >> 16);
	d[off + 2] = (unsigned char)(v >> 8);
	d[off + 3] = (unsigned char)v;
}

/* A 64-bit field as the kernel lays it out in host order: two words. */
static inline void sim_put64(unsigned char *d, size_t off, uint64_t v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	sim_put32(d, off, (uint32_t)v);
	sim_put32(d, off + 4, (uint32_t)(v >> 32));
#else
	sim_put32(d, off, (uint32_t)(v >> 32));
	sim_put32(d, off + 4, (uint32_t)v);
#endif
}

/* PROG's return value for system call NR of ARCH (an AUDIT_ARCH_*) with
 * all arguments zero. */
static inline uint32_t sim_run(const struct sock_filter *prog, uint32_t arch, int nr)
{
	unsigned char d[sizeof(struct seccomp_data)] = { 0 };

	sim_put32(d, offsetof(struct seccomp_data, nr), (uint32_t)nr);
	sim_put32(d, offsetof(struct seccomp_data, arch), arch);
	sim_put64(d, offsetof(struct seccomp_data, instruction_pointer), 0x1000);
	return bpf_filter((const struct bpf_insn *)prog, d, sizeof(d), sizeof(d));
}

/* What the kernel returns with the filters PROGS[0..N) all loaded: the
 * action of highest precedence (the lowest as a signed number), the newest
 * filter's (PROGS[0]) on a tie, as seccomp_run_filters() does. */
static inline uint32_t sim_action(const struct sock_filter *const *progs, size_t n, uint32_t arch, int nr)
{
	uint32_t ret = SECCOMP_RET_ALLOW;

	for (size_t i = 0; i < n; i++) {
		uint32_t r = sim_run(progs[i], arch, nr);

		if (i == 0 || (int32_t)(r & SECCOMP_RET_ACTION_FULL) < (int32_t)(ret & SECCOMP_RET_ACTION_FULL))
			ret = r;
	}
	return ret;
}

static inline bool sim_kills(uint32_t ret)
{
	ret &= SECCOMP_RET_ACTION_FULL;
	return ret == SECCOMP_RET_KILL_PROCESS || ret == SECCOMP_RET_KILL_THREAD;
}

#if defined(__x86_64__)
/* Whether this kernel answers an i386 call (int $0x80) at all: getpid in
 * an unfiltered child. */
static inline bool sim_i386_abi_present(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		long ret;

		signal(SIGSEGV, SIG_DFL);
		__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory", "cc", "r8", "r9", "r10", "r11");
		_exit(ret == (long)getpid() ? 0 : 1);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}
#endif

#endif
