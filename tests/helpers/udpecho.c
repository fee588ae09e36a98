/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nsbox-udpecho PORT [REPLY]: answer every UDP datagram to PORT (every
 * address) with REPLY (default "udp-echo"), a space and the datagram.
 * nsbox-udpecho --send ADDR PORT TEXT: send TEXT, print the answer (one
 * datagram, 3 seconds at most; status 1 without one).
 * For tests/integration/network.bats: busybox's nc has no UDP. Static, to
 * run in the tests' busybox root filesystem. Runs until killed.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static int send_one(const char *addr, const char *port, const char *text)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(port)) };
	struct timeval tv = { .tv_sec = 3 };
	char buf[1024];
	ssize_t n;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || inet_pton(AF_INET, addr, &sa.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    send(fd, text, strlen(text), 0) < 0) {
		perror("nsbox-udpecho --send");
		return 1;
	}
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	if (n < 0) {
		perror("nsbox-udpecho --send: no answer");
		return 1;
	}
	buf[n] = '\0';
	printf("%s\n", buf);
	return 0;
}

int main(int argc, char *argv[])
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	const char *reply = argc > 2 ? argv[2] : "udp-echo";
	int fd;

	if (argc == 5 && strcmp(argv[1], "--send") == 0)
		return send_one(argv[2], argv[3], argv[4]);
	if (argc < 2) {
		fprintf(stderr, "usage: nsbox-udpecho PORT [REPLY] | --send ADDR PORT TEXT\n");
		return 2;
	}
	sa.sin_port = htons((unsigned short)atoi(argv[1]));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("nsbox-udpecho");
		return 1;
	}
	for (;;) {
		char in[512], out[1024];
		struct sockaddr_in peer;
		socklen_t len = sizeof(peer);
		ssize_t n = recvfrom(fd, in, sizeof(in) - 1, 0, (struct sockaddr *)&peer, &len);
		int k;

		if (n < 0)
			continue;
		in[n] = '\0';
		k = snprintf(out, sizeof(out), "%s %s", reply, in);
		if (k > 0)
			sendto(fd, out, (size_t)k < sizeof(out) ? (size_t)k : sizeof(out) - 1, 0,
			       (struct sockaddr *)&peer, len);
	}
}
