/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/namespaces.h"
#include "base/cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/nsfs.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static const int clone_flags[NB_NS_COUNT] = {
	[NB_NS_USER] = CLONE_NEWUSER, [NB_NS_PID] = CLONE_NEWPID, [NB_NS_MNT] = CLONE_NEWNS,
	[NB_NS_UTS] = CLONE_NEWUTS, [NB_NS_IPC] = CLONE_NEWIPC, [NB_NS_NET] = CLONE_NEWNET,
	[NB_NS_CGROUP] = CLONE_NEWCGROUP, [NB_NS_TIME] = CLONE_NEWTIME,
};

int nb_ns_clone_flag(enum nb_ns_type type)
{
	return type < NB_NS_COUNT ? clone_flags[type] : 0;
}

static const char *type_of_flag(int flag)
{
	for (int i = 0; i < NB_NS_COUNT; i++)
		if (clone_flags[i] == flag)
			return nb_ns_name((enum nb_ns_type)i);
	return "unknown";
}

int nb_ns_open(const char *path, enum nb_ns_type expected, const char *what,
	       int *ret_fd, struct nb_error *err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	int type;

	if (fd < 0)
		return nb_error_errno(err, "%s %s: open '%s'", what, nb_ns_name(expected), path);
	/* NS_GET_NSTYPE (Linux 4.11) answers only for nsfs files. */
	type = ioctl(fd, NS_GET_NSTYPE);
	if (type < 0) {
		if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
			return nb_error_set(err, ENOTDIR, "%s %s: '%s' is a directory, not a namespace file",
					    what, nb_ns_name(expected), path);
		return nb_error_set(err, EINVAL, "%s %s: '%s' is not a namespace file",
				    what, nb_ns_name(expected), path);
	}
	if (type != clone_flags[expected])
		return nb_error_set(err, EINVAL, "%s %s: '%s' is a %s namespace, not a %s namespace",
				    what, nb_ns_name(expected), path, type_of_flag(type),
				    nb_ns_name(expected));
	*ret_fd = TAKE_FD(fd);
	return 0;
}

int nb_ns_join(int fd, enum nb_ns_type type, struct nb_error *err)
{
	if (setns(fd, clone_flags[type]) < 0)
		return nb_error_errno(err, "join %s namespace", nb_ns_name(type));
	return 0;
}
