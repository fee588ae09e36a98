/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for base/fileutil.c: bounded whole-file reads, and pid files
 * that never follow a planted symlink. Works in a private temporary
 * directory, removed at the end. */
#include "base/fileutil.h"
#include "tap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[PATH_MAX];

static void put(const char *name, const char *text, size_t len)
{
	char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "we");
	if (!f || fwrite(text, 1, len, f) != len)
		abort();
	fclose(f);
}

static char *slurp(const char *name)
{
	static char buf[4096];
	char path[PATH_MAX + 64];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	n = nb_read_file_at(AT_FDCWD, path, buf, sizeof(buf));
	return n < 0 ? NULL : buf;
}

static int count_entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d)))
		n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	if (d)
		closedir(d);
	return n;
}

static void test_read_alloc(void)
{
	int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	size_t big = 300 * 1000, len = 0;
	char *text = malloc(big), *got = NULL;

	memset(text, 'x', big);
	put("big", text, big);
	tap_is_int(nb_read_file_alloc_at(dfd, "big", 1 << 20, &got, &len), 0, "read 300 kB");
	tap_ok(got && len == big && memcmp(got, text, big) == 0 && got[len] == '\0',
	       "read 300 kB: all of it, NUL-terminated");
	free(got);
	tap_is_int(nb_read_file_alloc_at(dfd, "big", big, &got, &len), 0, "a file of exactly MAX bytes");
	free(got);
	tap_is_int(nb_read_file_alloc_at(dfd, "big", big - 1, &got, &len), -EFBIG, "one byte over MAX: EFBIG");
	tap_ok(got == NULL && len == 0, "EFBIG: nothing returned");
	put("empty", "", 0);
	tap_is_int(nb_read_file_alloc_at(dfd, "empty", 16, &got, &len), 0, "an empty file");
	tap_ok(got && len == 0 && got[0] == '\0', "an empty file: an empty string");
	free(got);
	tap_is_int(symlinkat("big", dfd, "link"), 0, "plant a symlink");
	tap_is_int(nb_read_file_alloc_at(dfd, "link", 1 << 20, &got, &len), -ELOOP, "a symlink is not followed");
	tap_is_int(mkfifoat(dfd, "fifo", 0600), 0, "plant a fifo");
	tap_is_int(nb_read_file_alloc_at(dfd, "fifo", 16, &got, &len), -EINVAL, "a fifo is refused, not waited on");
	tap_is_int(nb_read_file_alloc_at(dfd, "missing", 16, &got, &len), -ENOENT, "a missing file");
	/* procfs files say size 0: the size is only a hint. */
	tap_is_int(nb_read_file_alloc_at(AT_FDCWD, "/proc/self/status", 1 << 20, &got, &len), 0, "a procfs file");
	tap_ok(got && strstr(got, "Name:") == got, "a procfs file: its text");
	free(got);
	unlinkat(dfd, "big", 0);
	unlinkat(dfd, "empty", 0);
	unlinkat(dfd, "link", 0);
	unlinkat(dfd, "fifo", 0);
	close(dfd);
	free(text);
}

static void test_pid_file(void)
{
	char pidfile[PATH_MAX + 64], victim[PATH_MAX + 64], planted[PATH_MAX + 128];
	struct stat st;
	char *s;

	snprintf(pidfile, sizeof(pidfile), "%s/pid", dir);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	tap_is_int(nb_write_pid_file(pidfile, 1234), 0, "write a pid file");
	tap_is_str(slurp("pid"), "1234", "the pid file holds the pid");
	tap_is_int(nb_write_pid_file(pidfile, 99), 0, "replace it");
	tap_is_str(slurp("pid"), "99", "the pid file holds the new pid");
	tap_is_int(count_entries(), 1, "the old file is gone, no temporary file is left");

	/* The old file is swapped out, not written: a reader that has it open
	 * and another link to it keep the old text. */
	{
		char other[PATH_MAX + 64], buf[16] = "";
		int fd = open(pidfile, O_RDONLY | O_CLOEXEC);

		snprintf(other, sizeof(other), "%s/other", dir);
		tap_is_int(link(pidfile, other), 0, "a second link to the old file");
		tap_is_int(nb_write_pid_file(pidfile, 7), 0, "replace it again");
		tap_is_str(slurp("pid"), "7", "the pid file holds the newest pid");
		tap_is_str(slurp("other"), "99", "the second link keeps the old text");
		tap_ok(fd >= 0 && pread(fd, buf, sizeof(buf) - 1, 0) == 2 && strcmp(buf, "99") == 0,
		       "an open reader keeps the old text");
		if (fd >= 0)
			close(fd);
		unlink(other);
		tap_is_int(count_entries(), 1, "only the pid file is left");
	}

	/* A symlink planted at the old fixed temporary name and at the final
	 * name, both to a victim file: neither is written through. */
	put("victim", "precious", 8);
	unlink(pidfile);
	snprintf(planted, sizeof(planted), "%s.nsbox-tmp", pidfile);
	tap_is_int(symlink(victim, planted), 0, "plant PIDFILE.nsbox-tmp -> victim");
	tap_is_int(symlink(victim, pidfile), 0, "plant PIDFILE -> victim");
	tap_is_int(nb_write_pid_file(pidfile, 4321), 0, "write the pid file past the symlinks");
	tap_is_str(slurp("victim"), "precious", "the victim is unchanged");
	tap_ok(lstat(pidfile, &st) == 0 && S_ISREG(st.st_mode), "the pid file is a regular file now");
	tap_is_str(slurp("pid"), "4321", "the pid file holds the pid");
	unlink(planted);
	unlink(pidfile);
	unlink(victim);
	tap_is_int(count_entries(), 0, "no temporary file is left");

	/* Failures leave nothing: a directory at the final name. */
	tap_is_int(mkdir(pidfile, 0700), 0, "a directory at the pid file's name");
	tap_is_int(nb_write_pid_file(pidfile, 1), -EISDIR, "cannot replace a directory: EISDIR");
	tap_ok(lstat(pidfile, &st) == 0 && S_ISDIR(st.st_mode), "the directory is still in its place");
	rmdir(pidfile);
	tap_is_int(count_entries(), 0, "a failed write leaves no temporary file");
	snprintf(planted, sizeof(planted), "%s/no/such/dir/pid", dir);
	tap_is_int(nb_write_pid_file(planted, 1), -ENOENT, "a missing directory: ENOENT");
	s = strrchr(pidfile, '/');
	snprintf(planted, sizeof(planted), "%.*s/", (int)(s - pidfile), pidfile);
	tap_is_int(nb_write_pid_file(planted, 1), -EISDIR, "a path ending in '/': EISDIR");
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/nsbox-test-fileutil.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return 1;
	test_read_alloc();
	test_pid_file();
	rmdir(dir);
	return tap_done();
}
