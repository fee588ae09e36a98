/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/terminal.h"
#include "base/cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

int nb_pty_open(int *ret_master, int *ret_slave, struct nb_error *err)
{
	_cleanup_close_ int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	int slave, unlock = 0;

	if (master < 0)
		return nb_error_errno(err, "--tty: open '/dev/ptmx'");
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		return nb_error_errno(err, "--tty: unlock pty");
	/* TIOCGPTPEER (Linux 4.13) opens the peer without a path lookup. */
	slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		return nb_error_errno(err, "--tty: open pty peer");
	*ret_master = TAKE_FD(master);
	*ret_slave = slave;
	return 0;
}

int nb_pty_make_controlling(int slave, struct nb_error *err)
{
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		return nb_error_errno(err, "--tty: set controlling terminal");
	for (int fd = 0; fd < 3; fd++)
		if (dup2(slave, fd) < 0)
			return nb_error_errno(err, "--tty: dup2");
	return 0;
}

int nb_tty_copy_winsize(int from, int to)
{
	struct winsize ws;

	if (ioctl(from, TIOCGWINSZ, &ws) < 0 || ioctl(to, TIOCSWINSZ, &ws) < 0)
		return -errno;
	return 0;
}

int nb_tty_raw(int fd, struct termios *saved)
{
	struct termios raw;

	if (tcgetattr(fd, saved) < 0)
		return -errno;
	raw = *saved;
	cfmakeraw(&raw);
	if (tcsetattr(fd, TCSADRAIN, &raw) < 0)
		return -errno;
	return 0;
}

void nb_tty_restore(int fd, const struct termios *saved)
{
	tcsetattr(fd, TCSADRAIN, saved);
}
