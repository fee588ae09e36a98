/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * seccomp_default.h: the default seccomp profile of `nsbox run`
 * (spec/seccomp_default.h), loaded as a BPF program that libseccomp
 * generated at build time.
 *
 * Building and loading that profile with libseccomp at run time costs
 * about 2 ms (bench/seccomp.sh), a fifth of a whole `nsbox run`; loading
 * the same program generated at build time costs 0.1 ms (the kernel's own
 * work: checking, JIT, its action cache). So the build runs
 * nsbox-seccomp-gen (seccomp_gen.c), which builds the profile with the same
 * nb_seccomp_build() and writes libseccomp's program (seccomp_export_bpf())
 * into seccomp_default_bpf.c; loading it is then one seccomp(2) call.
 *
 * Contract:
 *  - The embedded program is exactly what nb_seccomp_default_profile() and
 *    nb_seccomp_build() give at run time (test-seccomp-default compares
 *    them). That pair is also the fallback, and what a stored profile
 *    (`exec`) goes through.
 *  - The program is for the architecture nsbox is built on (nsbox is not
 *    cross-compiled; a cross build would need an exe wrapper anyway).
 *  - Loading needs no_new_privs or CAP_SYS_ADMIN, as any filter.
 */
#ifndef NSBOX_LINUX_SECCOMP_DEFAULT_H
#define NSBOX_LINUX_SECCOMP_DEFAULT_H

#include <linux/filter.h>
#include <stddef.h>

#include "base/error.h"

/* Generated (seccomp_default_bpf.c in the build directory). */
extern const struct sock_filter nb_seccomp_default_bpf[];
extern const size_t nb_seccomp_default_bpf_len;
extern const char nb_seccomp_default_libseccomp[];   /* "2.5.4": who generated it */

/* Load the default profile's program in the calling thread, with the flags
 * libseccomp would use for it (none). */
int nb_seccomp_load_default(struct nb_error *err);

#endif
