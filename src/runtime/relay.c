/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/relay.h"
#include "runtime/notify.h"
#include "base/fileutil.h"
#include "linux/process.h"
#include "linux/terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

enum { P_PIDFD, P_SIG, P_STDIN, P_MASTER, P_NOTIFY, P_COUNT };

void nb_relay_restore_tty(struct nb_sandbox *sb)
{
	nb_tty_restore(STDIN_FILENO, &sb->saved_tty);
	sb->tty_raw = false;
}

static void start_tty(struct nb_sandbox *sb)
{
	if (!isatty(STDIN_FILENO))
		return;
	nb_tty_copy_winsize(STDIN_FILENO, sb->pty_master);
	if (nb_tty_raw(STDIN_FILENO, &sb->saved_tty) == 0)
		sb->tty_raw = true;
}

/* Copy what is readable on FROM to TO. Returns bytes copied, 0 at EOF. */
static ssize_t copy_once(int from, int to)
{
	char buf[16384];
	ssize_t n = read(from, buf, sizeof(buf));

	if (n < 0)
		return (errno == EINTR || errno == EAGAIN) ? 1 : -errno;
	if (n > 0 && nb_write_all(to, buf, (size_t)n) < 0)
		return -EIO;
	return n;
}

static void handle_signals(struct nb_sandbox *sb)
{
	struct signalfd_siginfo si;

	while (read(sb->sigfd, &si, sizeof(si)) == sizeof(si)) {
		/* Our own SIGPIPE (the kernel's, for our write of the pty's
		 * output to a closed pipe), not one sent to us: nobody reads
		 * the command's output any more. End the sandbox, and exit as
		 * of SIGPIPE, as in a pipeline (a command that ignores SIGPIPE
		 * would otherwise block on its full pty for ever). */
		if (si.ssi_signo == SIGPIPE && si.ssi_code == SI_USER && (pid_t)si.ssi_pid == getpid()) {
			sb->broken_pipe = true;
			nb_pidfd_signal(sb->pidfd, SIGKILL);
			continue;
		}
		/* With a pty, a size change reaches the command from the pty
		 * itself (the kernel sends SIGWINCH): forwarding would double it. */
		if (si.ssi_signo == SIGWINCH && sb->pty_master >= 0) {
			if (isatty(STDIN_FILENO))
				nb_tty_copy_winsize(STDIN_FILENO, sb->pty_master);
			continue;
		}
		nb_pidfd_signal(sb->pidfd, (int)si.ssi_signo);
	}
}

/* After the sandbox ended, copy what the pty still holds. */
static void drain_master(struct nb_sandbox *sb)
{
	int flags = fcntl(sb->pty_master, F_GETFL);

	fcntl(sb->pty_master, F_SETFL, flags | O_NONBLOCK);
	while (copy_once(sb->pty_master, STDOUT_FILENO) > 1)
		;
}

int nb_relay_run(struct nb_sandbox *sb, struct nb_error *err)
{
	struct pollfd p[P_COUNT] = {
		[P_PIDFD] = { .fd = sb->pidfd, .events = POLLIN },
		[P_SIG] = { .fd = sb->sigfd, .events = POLLIN },
		[P_STDIN] = { .fd = -1, .events = POLLIN },
		[P_MASTER] = { .fd = sb->pty_master, .events = POLLIN },
		[P_NOTIFY] = { .fd = sb->notify_fd, .events = POLLIN },
	};

	if (sb->pty_master >= 0) {
		p[P_STDIN].fd = STDIN_FILENO;
		start_tty(sb);
	}
	for (;;) {
		if (poll(p, P_COUNT, -1) < 0) {
			if (errno == EINTR)
				continue;
			return nb_error_errno(err, "poll");
		}
		if (p[P_SIG].revents)
			handle_signals(sb);
		if (p[P_STDIN].revents && copy_once(STDIN_FILENO, sb->pty_master) <= 0)
			p[P_STDIN].fd = -1;   /* our input ended; the command keeps its pty */
		if (p[P_MASTER].revents && copy_once(sb->pty_master, STDOUT_FILENO) <= 0)
			p[P_MASTER].fd = -1;  /* EIO: every slave fd is closed */
		/* A lost notification is not worth stopping the relay for. */
		if (p[P_NOTIFY].revents && nb_notify_forward(sb->notify_fd, sb->notify_host, sb->pid) < 0)
			p[P_NOTIFY].fd = -1;
		if (p[P_PIDFD].revents)
			break;
	}
	if (sb->pty_master >= 0)
		drain_master(sb);
	if (sb->tty_raw)
		nb_relay_restore_tty(sb);
	return 0;
}
