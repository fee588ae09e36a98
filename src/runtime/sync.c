/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/sync.h"
#include "base/fdpass.h"

#include <errno.h>
#include <string.h>
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

void nb_sync_send_error(int sock, const struct nb_error *err)
{
	struct nb_sync_msg msg;

	memset(&msg, 0, sizeof(msg));
	msg.type = NB_SYNC_ERROR;
	msg.error = *err;
	(void)nb_sync_send(sock, &msg, -1);
}
