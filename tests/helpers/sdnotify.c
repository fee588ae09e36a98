/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sdnotify.c: both ends of systemd's notify protocol, for the tests of
 * NOTIFY_SOCKET (tests/integration/oci-notify.bats). Static, so that it
 * runs inside the busybox root filesystem too.
 *
 *   nsbox-sdnotify send MESSAGE          send MESSAGE to $NOTIFY_SOCKET
 *   nsbox-sdnotify listen PATH OUT N T   bind a datagram socket at PATH and
 *                                        append each message received to OUT
 *                                        (one per line, newlines as '|');
 *                                        exit after N messages, or 1 after
 *                                        T seconds
 */
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static socklen_t addr(const char *path, struct sockaddr_un *a)
{
	size_t len = strlen(path);

	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	if (len >= sizeof(a->sun_path))
		exit(2);
	memcpy(a->sun_path, path, len);
	if (path[0] == '@')
		a->sun_path[0] = '\0';
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (path[0] != '@'));
}

static int do_send(const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un a;
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);

	if (!path || s < 0) {
		fprintf(stderr, "sdnotify: no NOTIFY_SOCKET\n");
		return 1;
	}
	if (sendto(s, msg, strlen(msg), 0, (struct sockaddr *)&a, addr(path, &a)) < 0) {
		perror("sdnotify: sendto");
		return 1;
	}
	return 0;
}

static int do_listen(const char *path, const char *out, int count, int secs)
{
	struct sockaddr_un a;
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	FILE *f = fopen(out, "a");

	if (s < 0 || !f || bind(s, (struct sockaddr *)&a, addr(path, &a)) < 0) {
		perror("sdnotify: listen");
		return 2;
	}
	for (int got = 0; got < count; got++) {
		struct pollfd p = { .fd = s, .events = POLLIN };
		char buf[4096];
		ssize_t n;

		if (poll(&p, 1, secs * 1000) <= 0)
			return 1;
		n = recv(s, buf, sizeof(buf) - 1, 0);
		if (n < 0)
			return 2;
		buf[n] = '\0';
		for (char *c = buf; *c; c++)
			if (*c == '\n')
				*c = '|';
		fprintf(f, "%s\n", buf);
		fflush(f);
	}
	return 0;
}

int main(int argc, char *argv[])
{
	if (argc == 3 && strcmp(argv[1], "send") == 0)
		return do_send(argv[2]);
	if (argc == 6 && strcmp(argv[1], "listen") == 0)
		return do_listen(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]));
	fprintf(stderr, "usage: nsbox-sdnotify send MESSAGE | listen PATH OUT N SECONDS\n");
	return 2;
}
