/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nsbox-probe's cross-sandbox channel subcommands: uds-listen, uds-connect, ipc, mq. */
#include "nsbox-probe.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* ---------------------------------------------------------------------
 * Cross-sandbox channels.
 */
static socklen_t abstract_addr(struct sockaddr_un *a, const char *name)
{
	size_t n = strlen(name);

	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	if (n > sizeof(a->sun_path) - 1)
		n = sizeof(a->sun_path) - 1;
	memcpy(a->sun_path + 1, name, n);   /* sun_path[0] = 0: abstract */
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

/* uds-listen NAME READY STOP: listen on @NAME, create READY, accept and
 * answer "hello" until STOP exists (at most 60 s). */
int cmd_uds_listen(int argc, char **argv)
{
	struct sockaddr_un a;
	socklen_t len;
	int s, fd;

	if (argc != 5)
		return usage();
	len = abstract_addr(&a, argv[2]);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&a, len) < 0 || listen(s, 8) < 0)
		return outcome(-1);
	fd = open(argv[3], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
	puts("LISTENING");
	fflush(stdout);
	for (int i = 0; i < 6000; i++) {
		struct stat st;
		int c = accept4(s, NULL, NULL, SOCK_CLOEXEC);

		if (c >= 0) {
			(void)!write(c, "hello", 5);
			close(c);
			puts("ACCEPTED");
			fflush(stdout);
		}
		if (stat(argv[4], &st) == 0)
			break;
		usleep(10000);
	}
	return 0;
}

/* uds-connect NAME: OK (and what the listener said) or the errno. */
int cmd_uds_connect(int argc, char **argv)
{
	struct sockaddr_un a;
	char buf[16] = "";
	socklen_t len;
	int s;

	if (argc != 3)
		return usage();
	len = abstract_addr(&a, argv[2]);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&a, len) < 0)
		return outcome(-1);
	(void)!read(s, buf, sizeof(buf) - 1);
	printf("OK %s\n", buf);
	return 0;
}

/* ipc msg|shm|sem KEY create|open|remove: SysV IPC by key. */
int cmd_ipc(int argc, char **argv)
{
	key_t key;
	int id = -1, create;

	if (argc != 5)
		return usage();
	key = (key_t)strtol(argv[3], NULL, 0);
	create = !strcmp(argv[4], "create");
	if (!strcmp(argv[2], "msg")) {
		id = msgget(key, create ? IPC_CREAT | IPC_EXCL | 0666 : 0);
		if (id >= 0 && !strcmp(argv[4], "remove"))
			return outcome(msgctl(id, IPC_RMID, NULL));
	} else if (!strcmp(argv[2], "shm")) {
		id = shmget(key, 4096, create ? IPC_CREAT | IPC_EXCL | 0666 : 0);
		if (id >= 0 && !strcmp(argv[4], "remove"))
			return outcome(shmctl(id, IPC_RMID, NULL));
	} else if (!strcmp(argv[2], "sem")) {
		id = semget(key, 1, create ? IPC_CREAT | IPC_EXCL | 0666 : 0);
		if (id >= 0 && !strcmp(argv[4], "remove"))
			return outcome(semctl(id, 0, IPC_RMID));
	} else {
		return usage();
	}
	return outcome(id);
}

/* mq NAME create|open|unlink: a POSIX message queue. */
int cmd_mq(int argc, char **argv)
{
	mqd_t q;

	if (argc != 4)
		return usage();
	if (!strcmp(argv[3], "unlink"))
		return outcome(mq_unlink(argv[2]));
	q = mq_open(argv[2], !strcmp(argv[3], "create") ? O_RDWR | O_CREAT | O_EXCL : O_RDWR, 0666, NULL);
	if (q != (mqd_t)-1)
		mq_close(q);
	return outcome(q == (mqd_t)-1 ? -1 : 0);
}
