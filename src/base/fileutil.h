/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fileutil.h: whole-buffer reads and writes on fds and small files.
 * Every fd this module opens is O_CLOEXEC.
 */
#ifndef NSBOX_BASE_FILEUTIL_H
#define NSBOX_BASE_FILEUTIL_H

#include <stddef.h>
#include <sys/types.h>

/* Write all of BUF, retrying on EINTR and short writes. 0 or -errno. */
int nb_write_all(int fd, const void *buf, size_t len);

/* Open DIRFD/PATH for writing (no O_CREAT) and write BUF in one write(2):
 * files like uid_map take exactly one write. 0 or -errno. */
int nb_write_file_at(int dirfd, const char *path, const char *buf, size_t len);

/* Read up to SIZE-1 bytes of DIRFD/PATH into BUF, NUL-terminated. */
ssize_t nb_read_file_at(int dirfd, const char *path, char *buf, size_t size);

/* Write PID to PATH atomically (a temporary file, then rename). 0 or -errno. */
int nb_write_pid_file(const char *path, pid_t pid);

/* Make FD close-on-exec or not. 0 or -errno. */
int nb_fd_set_cloexec(int fd, int on);

#endif
