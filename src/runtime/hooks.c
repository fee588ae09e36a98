/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/hooks.h"
#include "base/cleanup.h"
#include "base/fileutil.h"
#include "linux/trampoline.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <stdbool.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>

/* The namespaces a createContainer hook enters (not the user namespace:
 * the hook keeps the runtime's privileges, as runc's hooks do). */
#define HOOK_NS (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWCGROUP)

extern char **environ;

__attribute__((noreturn)) static void hook_child(const struct nb_hook *h, int in, int ns_pidfd,
						 int tramp)
{
	char *const empty[] = { NULL };
	char *argv0[] = { h->path, NULL };
	char *const *args = h->args.len ? h->args.items : argv0;
	/* Without "env", nsbox's own environment, as runc and crun give; but
	 * never inside the container (startContainer, TRAMP set): it would
	 * carry the host's variables in. */
	char *const *env = h->has_env || tramp >= 0 ? (h->env.len ? h->env.items : empty) : environ;
	int exe = -1;

	if (dup2(in, STDIN_FILENO) < 0)
		_exit(127);
	/* The spec: a createContainer hook's path resolves in the runtime's
	 * mount namespace, though the hook runs in the container's, where the
	 * new root (staged on /tmp) may hide it. Open it here and exec the fd
	 * there; not O_CLOEXEC, as a script's interpreter opens /dev/fd/N. */
	if (ns_pidfd >= 0 && (exe = open(h->path, O_PATH)) < 0)
		_exit(127);
	/* Join what differs from ours; setns fails as a whole on EINVAL
	 * (a namespace equal to ours is fine). */
	if (ns_pidfd >= 0 && setns(ns_pidfd, HOOK_NS) < 0)
		_exit(126);
	if (exe >= 0)
		execveat(exe, "", args, env, AT_EMPTY_PATH);
	else if (tramp >= 0)
		nb_trampoline_exec(tramp, -1, -1, false, h->path, args, env);
	else
		execve(h->path, args, env);
	_exit(127);
}

/* A terminating signal read from SIGFD (nsbox's forwarded signals, during
 * a create), or 0. */
static int terminating(int sigfd)
{
	struct signalfd_siginfo si;

	while (read(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT || si.ssi_signo == SIGHUP ||
		    si.ssi_signo == SIGQUIT)
			return (int)si.ssi_signo;
	return 0;
}

/* Wait for the hook, at most its timeout; a terminating signal on SIGFD
 * (if >= 0) kills it and aborts, as it aborts the rest of a create. */
static int wait_hook(pid_t pid, int timeout_s, const struct nb_hook *h, const char *kind, int sigfd,
		     struct nb_error *err)
{
	_cleanup_close_ int pidfd = pidfd_open(pid, 0);
	struct pollfd p[2] = { { .fd = pidfd, .events = POLLIN }, { .fd = sigfd, .events = POLLIN } };
	int status, r, sig = 0;

	while (pidfd >= 0) {
		r = poll(p, sigfd >= 0 ? 2 : 1, timeout_s > 0 ? timeout_s * 1000 : -1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r > 0 && !p[0].revents && (sig = terminating(sigfd)) == 0)
			continue;   /* a signal nsbox only forwards later */
		break;
	}
	if (pidfd >= 0 && (r == 0 || sig)) {
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (sig)
			return nb_error_set(err, EINTR, "%s hook '%s': interrupted by SIG%s", kind, h->path,
					    sigabbrev_np(sig));
		return nb_error_set(err, ETIMEDOUT, "%s hook '%s': timed out after %d s", kind,
				    h->path, timeout_s);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return nb_error_errno(err, "%s hook '%s': wait", kind, h->path);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		return nb_error_set(err, EIO, "%s hook '%s': killed by signal %d", kind, h->path,
				    WTERMSIG(status));
	return nb_error_set(err, EIO, "%s hook '%s': exited with status %d", kind, h->path,
			    WEXITSTATUS(status));
}

/* The hook's stdin: the state JSON in a memfd, written whole before the
 * hook starts, so that no hook (one that does not read it, with a state
 * larger than a pipe holds) can block us past its timeout. */
static int state_stdin(const char *state_json)
{
	int fd = memfd_create("nsbox-hook-state", MFD_CLOEXEC);
	int r = fd < 0 ? -errno : nb_write_all(fd, state_json, strlen(state_json));

	if (r == 0 && lseek(fd, 0, SEEK_SET) < 0)
		r = -errno;
	if (r < 0 && fd >= 0)
		close(fd);
	return r < 0 ? r : fd;
}

static int run_one(const struct nb_hook *h, const char *kind, const char *state_json, int ns_pidfd,
		   int tramp, int sigfd, struct nb_error *err)
{
	_cleanup_close_ int in = state_stdin(state_json);
	pid_t pid;

	if (in < 0)
		return nb_error_sys(err, -in, "%s hook '%s': state on stdin", kind, h->path);
	pid = fork();
	if (pid < 0)
		return nb_error_errno(err, "%s hook '%s': fork", kind, h->path);
	if (pid == 0)
		hook_child(h, in, ns_pidfd, tramp);
	nb_closep(&in);
	return wait_hook(pid, h->timeout, h, kind, sigfd, err);
}

int nb_hooks_run(const struct nb_hook *hooks, size_t n, enum nb_hook_kind kind,
		 const char *state_json, int ns_pidfd, int tramp, struct nb_error *err)
{
	return nb_hooks_run_abortable(hooks, n, kind, state_json, ns_pidfd, tramp, -1, err);
}

int nb_hooks_run_abortable(const struct nb_hook *hooks, size_t n, enum nb_hook_kind kind,
			   const char *state_json, int ns_pidfd, int tramp, int sigfd, struct nb_error *err)
{
	/* The spec: after a failed poststart or poststop hook "the remaining
	 * hooks and lifecycle continue"; ERR keeps the first failure. */
	bool go_on = kind == NB_HOOK_POSTSTART || kind == NB_HOOK_POSTSTOP;
	int first = 0;

	for (size_t i = 0; i < n; i++) {
		struct nb_error later = { 0 };
		int r = run_one(&hooks[i], nb_hook_kind_name(kind), state_json, ns_pidfd, tramp, sigfd,
				first < 0 ? &later : err);

		if (r < 0 && !go_on)
			return r;
		if (r < 0 && first == 0)
			first = r;
	}
	return first;
}
