/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/sync.h"
#include "base/fdpass.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int nb_sync_send(int sock, const struct nb_sync_msg *msg, int fd)
{
	return nb_send_msg_fd(sock, msg, sizeof(*msg), fd);
}

int nb_sync_recv(int sock, struct nb_sync_msg *msg, int *ret_fd)
{
	ssize_t n = nb_recv_msg_fd(sock, msg, sizeof(*msg), ret_fd);

	if (n < 0)
		return (int)n;
	if (n == 0)
		return 0;
	if ((size_t)n != sizeof(*msg)) {
		if (*ret_fd >= 0)
			close(*ret_fd);
		*ret_fd = -1;
		return -EBADMSG;
	}
	msg->error.msg[sizeof(msg->error.msg) - 1] = '\0';
	return 1;
}

int nb_sync_send_blob(int sock, const char *text)
{
	ssize_t n = send(sock, text, strlen(text), MSG_NOSIGNAL);

	if (n < 0)
		return -errno;
	return (size_t)n == strlen(text) ? 0 : -EMSGSIZE;
}

int nb_sync_recv_blob(int sock, char **ret)
{
	ssize_t len = recv(sock, NULL, 0, MSG_PEEK | MSG_TRUNC), n;
	char *buf;

	if (len < 0)
		return -errno;
	buf = malloc((size_t)len + 1);
	if (!buf)
		return -ENOMEM;
	n = recv(sock, buf, (size_t)len, 0);
	if (n < 0) {
		free(buf);
		return -errno;
	}
	buf[n] = '\0';
	*ret = buf;
	return 0;
}

void nb_sync_send_error(int sock, const struct nb_error *err)
{
	struct nb_sync_msg msg;

	memset(&msg, 0, sizeof(msg));
	msg.type = NB_SYNC_ERROR;
	msg.error = *err;
	(void)nb_sync_send(sock, &msg, -1);
}
