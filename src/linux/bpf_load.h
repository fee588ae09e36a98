/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bpf_load.h: loading a libbpf object (a bpftool skeleton's) the way nsbox
 * needs it: silent, with nsbox's errors, and with its rlimit put back.
 *
 *  - libbpf's own messages never reach stderr (only cli/ prints): they go
 *    to a buffer, and the first warning of a failed load ends up in its
 *    error when nothing better explains it.
 *  - A program the verifier refuses is an error quoting the verifier's
 *    last words ("load device program: verifier: R0 !read_ok: Permission
 *    denied"): the program's log is read into a buffer of nsbox's (libbpf
 *    loads once without a log, and again with one only on failure).
 *  - EPERM says what is missing: CAP_SYS_ADMIN (or CAP_BPF with
 *    CAP_NET_ADMIN) in the initial user namespace, so a rootless nsbox
 *    cannot load programs.
 *  - RLIMIT_MEMLOCK: before Linux 5.11, BPF programs and maps count against
 *    it. nsbox raises it for the load only and puts it back after (a
 *    no-op from 5.11 on, where memory cgroups count instead). libbpf 1.x
 *    (Debian 12 has 1.1) raises it too on such kernels, to infinity and for
 *    good, which the container would inherit: that happens at its first
 *    map, BTF or program load, so within nb_bpf_object_load(), which puts
 *    the limit back after it as well. (libbpf_set_memlock_rlim(0) would
 *    turn libbpf's raise off, but 1.1's shared library does not export
 *    it.) So every libbpf call that loads must go through here.
 */
#ifndef NSBOX_LINUX_BPF_LOAD_H
#define NSBOX_LINUX_BPF_LOAD_H

#include "base/error.h"

struct bpf_object;
struct bpf_program;

/* Load OBJ, opened and not yet loaded, whose program PROG is the one whose
 * verifier log explains a failure. WHAT starts the error's message ("load
 * device program"). Returns 0 or a negative errno. Not thread-safe (libbpf's
 * printing is process-wide). */
int nb_bpf_object_load(struct bpf_object *obj, struct bpf_program *prog, const char *what,
		       struct nb_error *err);

/* Send libbpf's messages to nsbox's buffer instead of stderr.
 * nb_bpf_object_load() does it; call it before any other libbpf call that
 * could print (a skeleton's open). Idempotent. */
void nb_bpf_quiet(void);

#endif
