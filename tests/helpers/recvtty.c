/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nsbox-recvtty SOCKET [SECONDS]: the test side of --console-socket.
 * nsbox-recvtty --meta SOCKET [SECONDS]: the test side of a seccomp
 * listenerPath: print the message that came with the fd, and exit 0.
 * nsbox-recvtty --stall SOCKET [SECONDS]: a console socket whose connect()
 * blocks: listen with a backlog of 0, fill it with a connection of its
 * own, never accept; exit 0 after SECONDS. (A create stays right after
 * CREATED, its container blocked in open(exec.fifo): a place to kill it.)
 *
 * Listen on the unix socket SOCKET (made under a temporary name, then
 * renamed, so that SOCKET appearing means "ready"), accept one connection,
 * receive one fd by SCM_RIGHTS (the pty master), and copy what it reads
 * from that fd to stdout until EOF (EIO on a pty master whose slave is
 * closed) or until SECONDS (default 10) pass. Exit 0 at EOF, 2 on timeout,
 * 1 on any other error.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static long long deadline_ms;

static int left_ms(void)
{
	struct timespec ts;
	long long now;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
	return now >= deadline_ms ? 0 : (int)(deadline_ms - now);
}

/* Wait until FD is readable; 0 when it is, -1 on timeout or error. */
static int wait_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r;

	do
		r = poll(&p, 1, left_ms());
	while (r < 0 && errno == EINTR);
	return r > 0 ? 0 : -1;
}

static int die(const char *what)
{
	fprintf(stderr, "nsbox-recvtty: %s: %s\n", what, errno ? strerror(errno) : "timed out");
	return errno ? 1 : 2;
}

int main(int argc, char *argv[])
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	union { struct cmsghdr align; char buf[CMSG_SPACE(sizeof(int))]; } ctl;
	char byte[8192], buf[4096], tmp[sizeof(addr.sun_path)];
	struct iovec iov = { .iov_base = byte, .iov_len = sizeof(byte) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
	struct cmsghdr *c;
	struct timespec ts;
	int lsock, conn, fd = -1, meta = 0, stall = 0;
	ssize_t got;

	if (argc > 1 && strcmp(argv[1], "--meta") == 0) {
		meta = 1;
		argv++;
		argc--;
	} else if (argc > 1 && strcmp(argv[1], "--stall") == 0) {
		stall = 1;
		argv++;
		argc--;
	}
	if (argc < 2 || argc > 3 || snprintf(tmp, sizeof(tmp), "%s.tmp", argv[1]) >= (int)sizeof(tmp)) {
		fprintf(stderr, "usage: nsbox-recvtty SOCKET [SECONDS] (SOCKET shorter than %zu)\n",
			sizeof(addr.sun_path) - 4);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	deadline_ms = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000 + 1000LL * (argc > 2 ? atoi(argv[2]) : 10);
	strcpy(addr.sun_path, tmp);
	lsock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	unlink(tmp);
	if (lsock < 0 || bind(lsock, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(lsock, stall ? 0 : 1) < 0)
		return die("listen");
	if (stall) {
		int self = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		/* The queue holds one more than the backlog: now it is full. */
		if (self < 0 || connect(self, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
		    rename(tmp, argv[1]) < 0)
			return die("stall");
		while (left_ms() > 0)
			usleep(50000);
		return 0;
	}
	if (rename(tmp, argv[1]) < 0)
		return die("listen");
	errno = 0;
	if (wait_readable(lsock) < 0 || (conn = accept4(lsock, NULL, NULL, SOCK_CLOEXEC)) < 0)
		return die("accept");
	errno = 0;
	if (wait_readable(conn) < 0 || (got = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC)) < 0)
		return die("recvmsg");
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
	if (fd < 0) {
		fprintf(stderr, "nsbox-recvtty: no fd in the message\n");
		return 1;
	}
	if (meta) {
		printf("%.*s\n", (int)got, byte);
		return 0;
	}
	for (;;) {
		ssize_t n;

		errno = 0;
		if (wait_readable(fd) < 0)
			return die("read");
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || (n < 0 && errno == EIO))
			return 0;   /* EIO: the slave side is closed everywhere */
		if (n < 0)
			return die("read");
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n || fflush(stdout) != 0)
			return die("write");
	}
}
