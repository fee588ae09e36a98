/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/hooks.h"
#include "base/cleanup.h"
#include "base/fileutil.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>

/* The namespaces a createContainer hook enters (not the user namespace:
 * the hook keeps the runtime's privileges, as runc's hooks do). */
#define HOOK_NS (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWCGROUP)

__attribute__((noreturn)) static void hook_child(const struct nb_hook *h, int in, int ns_pidfd)
{
	char *const empty[] = { NULL };
	char *argv0[] = { h->path, NULL };
	char *const *args = h->args.len ? h->args.items : argv0;
	char *const *env = h->env.len ? h->env.items : empty;
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
	else
		execve(h->path, args, env);
	_exit(127);
}

static int wait_hook(pid_t pid, int timeout_s, const struct nb_hook *h, const char *kind,
		     struct nb_error *err)
{
	_cleanup_close_ int pidfd = pidfd_open(pid, 0);
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	int status, r;

	if (pidfd >= 0) {
		do
			r = poll(&p, 1, timeout_s > 0 ? timeout_s * 1000 : -1);
		while (r < 0 && errno == EINTR);
		if (r == 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return nb_error_set(err, ETIMEDOUT, "%s hook '%s': timed out after %d s", kind,
					    h->path, timeout_s);
		}
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

static int run_one(const struct nb_hook *h, const char *kind, const char *state_json, int ns_pidfd,
		   struct nb_error *err)
{
	int pipefd[2];
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return nb_error_errno(err, "%s hook '%s': pipe", kind, h->path);
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return nb_error_errno(err, "%s hook '%s': fork", kind, h->path);
	}
	if (pid == 0)
		hook_child(h, pipefd[0], ns_pidfd);
	close(pipefd[0]);
	/* A hook need not read its stdin: ignore EPIPE. */
	signal(SIGPIPE, SIG_IGN);
	(void)nb_write_all(pipefd[1], state_json, strlen(state_json));
	close(pipefd[1]);
	return wait_hook(pid, h->timeout, h, kind, err);
}

int nb_hooks_run(const struct nb_hook *hooks, size_t n, enum nb_hook_kind kind,
		 const char *state_json, int ns_pidfd, struct nb_error *err)
{
	/* The spec: after a failed poststart or poststop hook "the remaining
	 * hooks and lifecycle continue"; ERR keeps the first failure. */
	bool go_on = kind == NB_HOOK_POSTSTART || kind == NB_HOOK_POSTSTOP;
	int first = 0;

	for (size_t i = 0; i < n; i++) {
		struct nb_error later = { 0 };
		int r = run_one(&hooks[i], nb_hook_kind_name(kind), state_json, ns_pidfd,
				first < 0 ? &later : err);

		if (r < 0 && !go_on)
			return r;
		if (r < 0 && first == 0)
			first = r;
	}
	return first;
}
