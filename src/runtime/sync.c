/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/sync.h"
#include "base/fdpass.h"
#include "trampoline/protocol.h"

#include <errno.h>
#include <stdbool.h>
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
	if ((size_t)n == sizeof(struct nb_exec_report)) {
		struct nb_exec_report rep;

		memcpy(&rep, msg, sizeof(rep));
		if (rep.magic == NB_EXEC_REPORT_MAGIC && *ret_fd < 0) {
			memset(msg, 0, sizeof(*msg));
			msg->type = NB_SYNC_EXEC_FAILED;
			msg->error.code = rep.code;
			return 1;
		}
	}
	if ((size_t)n != sizeof(*msg)) {
		if (*ret_fd >= 0)
			close(*ret_fd);
		*ret_fd = -1;
		return -EBADMSG;
	}
	msg->error.msg[sizeof(msg->error.msg) - 1] = '\0';
	return 1;
}

#define BLOB_PIECE ((size_t)64 << 10)

int nb_sync_send_blob(int sock, const char *text)
{
	size_t len = strlen(text), off = 0;
	char *buf;
	int r = 0;

	if (len > NB_SYNC_BLOB_MAX)
		return -EMSGSIZE;
	buf = malloc(BLOB_PIECE + 1);
	if (!buf)
		return -ENOMEM;
	do {
		size_t n = len - off < BLOB_PIECE ? len - off : BLOB_PIECE;
		ssize_t sent;

		buf[0] = off + n < len ? '+' : '.';
		memcpy(buf + 1, text + off, n);
		sent = send(sock, buf, n + 1, MSG_NOSIGNAL);
		if (sent < 0 && errno == EINTR)
			continue;
		if (sent < 0 || (size_t)sent != n + 1) {
			r = sent < 0 ? -errno : -EMSGSIZE;
			break;
		}
		off += n;
	} while (off < len);
	free(buf);
	return r;
}

/* Append the next piece to *BUF (*LEN bytes so far); 1 if more follow. */
static int recv_piece(int sock, char **buf, size_t *len)
{
	ssize_t size = recv(sock, NULL, 0, MSG_PEEK | MSG_TRUNC), n;
	char *grown;
	bool more;

	if (size < 0)
		return -errno;
	if (size == 0)
		return -EPIPE;   /* EOF: the sender is gone */
	if (*len + (size_t)size > NB_SYNC_BLOB_MAX + 1)
		return -EMSGSIZE;
	grown = realloc(*buf, *len + (size_t)size + 1);
	if (!grown)
		return -ENOMEM;
	*buf = grown;
	n = recv(sock, *buf + *len, (size_t)size, 0);
	if (n <= 0)
		return n < 0 ? -errno : -EPIPE;
	more = (*buf)[*len] == '+';
	memmove(*buf + *len, *buf + *len + 1, (size_t)n - 1);   /* drop the marker */
	*len += (size_t)n - 1;
	(*buf)[*len] = '\0';
	return more;
}

int nb_sync_recv_blob(int sock, char **ret)
{
	char *buf = NULL;
	size_t len = 0;
	int r;

	do
		r = recv_piece(sock, &buf, &len);
	while (r > 0 || r == -EINTR);
	if (r < 0) {
		free(buf);
		return r;
	}
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
