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

/* Read all of DIRFD/PATH (opened with O_NOFOLLOW, so a symlink there is
 * ELOOP) into a malloc'd, NUL-terminated *RET of *RET_LEN bytes, the buffer
 * growing as it is read (a size from fstat is only a hint). A file of more
 * than MAX bytes is -EFBIG, and nothing is returned. 0 or -errno. */
int nb_read_file_alloc_at(int dirfd, const char *path, size_t max, char **ret, size_t *ret_len);

/* Read FD to its end (a pipe, a terminal) the same way. */
int nb_read_fd_alloc(int fd, size_t max, char **ret, size_t *ret_len);

/* Write PID to PATH, atomically and without following a symlink planted
 * beside it or at it: a temporary file of a random name is created with
 * O_CREAT|O_EXCL|O_NOFOLLOW in PATH's directory (through a dirfd), written,
 * and renamed over PATH (a rename replaces a symlink, never follows it).
 * On failure the temporary file is removed. 0 or -errno. */
int nb_write_pid_file(const char *path, pid_t pid);

/* The directory of PATH, opened O_PATH (*RET_DIRFD, close-on-exec), and
 * PATH's last component (*RET_BASE, pointing into PATH). A PATH ending in
 * "/", "." or ".." is -EISDIR. 0 or -errno. */
int nb_open_parent_dir(const char *path, int *ret_dirfd, const char **ret_base);

/* Replace DIRFD/BASE with LEN bytes of BUF, atomically, as
 * nb_write_pid_file() does: readers see the old file or the whole new one,
 * never a part, and a symlink at BASE is replaced, not followed (0644
 * before the umask). 0 or -errno. */
int nb_write_file_atomic_at(int dirfd, const char *base, const void *buf, size_t len);

/* Put the file DIRFD/TMP in DIRFD/BASE's place, atomically: an exchange of
 * the two names and an unlink of the old file (on ext4, a rename over a
 * file would first write the new one out), or a rename where BASE is
 * missing, is a directory (its error: EISDIR) or the filesystem has no
 * exchange. 0 or -errno; on failure TMP may remain. */
int nb_replace_at(int dirfd, const char *tmp, const char *base);

/* nb_write_file_atomic_at() in two steps, for a writer that knows early
 * where it will write and late what: nb_atomic_begin() creates the
 * temporary file beside BASE (the costly part), nb_atomic_commit() writes
 * it and puts it in BASE's place (an exchange of the two names and an
 * unlink of the old file, or a rename where BASE is missing or is a
 * directory: EISDIR), nb_atomic_abort() removes it. BASE must
 * outlive A. Each is 0 or -errno; commit and abort leave A closed. */
struct nb_atomic_file {
	int dirfd;              /* not owned */
	int fd;                 /* the temporary file, or -1 */
	const char *base;
	char tmp[256];          /* its name; "" while unnamed */
};

#define NB_ATOMIC_FILE_INIT { .dirfd = -1, .fd = -1 }

int nb_atomic_begin(struct nb_atomic_file *a, int dirfd, const char *base);
/* nb_atomic_begin() with an unnamed file (O_TMPFILE), which nothing can
 * leave behind (a SIGKILL, say): it gets its temporary name only at the
 * commit. Fails (EOPNOTSUPP...) where the filesystem has no O_TMPFILE. */
int nb_atomic_begin_unnamed(struct nb_atomic_file *a, int dirfd, const char *base);
int nb_atomic_commit(struct nb_atomic_file *a, const void *buf, size_t len);
void nb_atomic_abort(struct nb_atomic_file *a);

/* Make FD close-on-exec or not. 0 or -errno. */
int nb_fd_set_cloexec(int fd, int on);

#endif
