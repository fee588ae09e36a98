/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hooks.h: running OCI hooks. Each hook is exec'd with its args and env,
 * the container's state JSON on stdin, and killed after its timeout.
 * Which failures are fatal is the caller's business (the spec: fatal for
 * prestart, createRuntime, createContainer, startContainer; a warning for
 * poststart and poststop).
 */
#ifndef NSBOX_RUNTIME_HOOKS_H
#define NSBOX_RUNTIME_HOOKS_H

#include <stddef.h>

#include "base/error.h"
#include "spec/security.h"

/* Run HOOKS[0..N) in order; stop at the first failure (poststart and
 * poststop: go on, and report the first). NS_PIDFD: if >= 0, each hook
 * first joins the namespaces of that process (createContainer). TRAMP: if
 * >= 0, the hook is a program of the container (startContainer) and is
 * executed through that sealed nsbox-exec (linux/trampoline.h). */
int nb_hooks_run(const struct nb_hook *hooks, size_t n, enum nb_hook_kind kind,
		 const char *state_json, int ns_pidfd, int tramp, struct nb_error *err);
/* The same, during a create: a terminating signal (TERM, INT, HUP, QUIT)
 * read from SIGFD, nsbox's signalfd, kills the running hook and fails. */
int nb_hooks_run_abortable(const struct nb_hook *hooks, size_t n, enum nb_hook_kind kind,
			   const char *state_json, int ns_pidfd, int tramp, int sigfd, struct nb_error *err);

#endif
