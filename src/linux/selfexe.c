/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/selfexe.h"
#include "base/cleanup.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U   /* Linux 6.3: executable even under vm.memfd_noexec=1 */
#endif

#define REQUIRED_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

/* Set in the environment of the re-executed copy, and removed by it at
 * once: a second re-exec would mean the copy is not seen as protected, and
 * looping forever is worse than failing. */
#define REEXEC_MARK "_NSBOX_SELFEXE"

extern char **environ;

static bool fd_is_protected(int fd)
{
	struct statvfs vfs;
	int seals = fcntl(fd, F_GET_SEALS);

	if (seals >= 0 && (seals & REQUIRED_SEALS) == REQUIRED_SEALS)
		return true;
	return fstatvfs(fd, &vfs) == 0 && (vfs.f_flag & ST_RDONLY);
}

bool nb_selfexe_is_protected(void)
{
	_cleanup_close_ int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

	return fd >= 0 && fd_is_protected(fd);
}

static int make_memfd(void)
{
	int fd = memfd_create("nsbox", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);

	if (fd < 0 && errno == EINVAL)   /* before Linux 6.3 */
		fd = memfd_create("nsbox", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	return fd < 0 ? -errno : fd;
}

static int copy_all(int to, int from, off_t size)
{
	off_t off = 0;

	while (off < size) {
		ssize_t n = sendfile(to, from, &off, (size_t)(size - off));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;   /* the file shrank under us */
	}
	return 0;
}

/* How much of a static ELF file the kernel loads: up to the end of its
 * last segment. The rest (debug information, the section table) is a
 * third of a debug build and only costs copy time; a dynamic binary (a
 * sanitizer build, whose reports read its sections) is copied whole.
 * *RET_EHDR is the header to write over the copy's, without sections. */
static off_t loaded_size(int exe, off_t file_size, Elf64_Ehdr *ret_ehdr)
{
	Elf64_Ehdr *eh = ret_ehdr;
	Elf64_Phdr ph;
	off_t end = 0;

	if (pread(exe, eh, sizeof(*eh), 0) != (ssize_t)sizeof(*eh) ||
	    memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_phentsize != sizeof(ph) || eh->e_phnum == 0)
		return file_size;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		off_t at = (off_t)(eh->e_phoff + (uint64_t)i * sizeof(ph));

		if (pread(exe, &ph, sizeof(ph), at) != (ssize_t)sizeof(ph) || ph.p_type == PT_INTERP)
			return file_size;
		if ((off_t)(ph.p_offset + ph.p_filesz) > end)
			end = (off_t)(ph.p_offset + ph.p_filesz);
	}
	if ((off_t)(eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(ph)) > end || end > file_size)
		return file_size;
	eh->e_shoff = 0;
	eh->e_shnum = 0;
	eh->e_shstrndx = SHN_UNDEF;
	return end;
}

static int sealed_copy(int exe, int *ret_fd, struct nb_error *err)
{
	_cleanup_close_ int memfd = -1;
	Elf64_Ehdr eh;
	struct stat st;
	off_t size;
	int r;

	if (fstat(exe, &st) < 0)
		return nb_error_errno(err, "stat /proc/self/exe");
	memfd = make_memfd();
	if (memfd < 0)
		return nb_error_sys(err, -memfd, "memfd_create");
	size = loaded_size(exe, st.st_size, &eh);
	r = copy_all(memfd, exe, size);
	if (r >= 0 && size < st.st_size && pwrite(memfd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh))
		r = -errno;
	if (r < 0)
		return nb_error_sys(err, -r, "copy /proc/self/exe");
	if (fcntl(memfd, F_ADD_SEALS, REQUIRED_SEALS) < 0)
		return nb_error_errno(err, "seal the copy");
	*ret_fd = TAKE_FD(memfd);
	return 0;
}

int nb_selfexe_protect(char *argv[], struct nb_error *err)
{
	_cleanup_close_ int exe = -1, copy = -1;
	bool again = getenv(REEXEC_MARK) != NULL;
	int r;

	unsetenv(REEXEC_MARK);
	exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (exe < 0)
		return nb_error_errno(err, "protect the nsbox binary: open /proc/self/exe");
	if (fd_is_protected(exe))
		return 0;
	if (again)
		return nb_error_set(err, EPERM, "protect the nsbox binary: the sealed copy "
				    "is not seen as sealed");
	r = sealed_copy(exe, &copy, err);
	if (r < 0)
		return nb_error_prefix(err, "protect the nsbox binary");
	if (setenv(REEXEC_MARK, "1", 1) < 0)
		return nb_error_errno(err, "protect the nsbox binary: setenv");
	syscall(SYS_execveat, copy, "", argv, environ, AT_EMPTY_PATH);
	r = nb_error_errno(err, "protect the nsbox binary: execute the sealed copy");
	unsetenv(REEXEC_MARK);
	return r;
}
