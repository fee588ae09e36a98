/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * namespaces.h: namespace types as the kernel knows them, and joining
 * existing namespaces by file (setns(2)) with the type checked first.
 */
#ifndef NSBOX_LINUX_NAMESPACES_H
#define NSBOX_LINUX_NAMESPACES_H

#include <stdint.h>

#include "base/error.h"
#include "spec/config.h"

/* CLONE_NEW* flag of a namespace type. */
int nb_ns_clone_flag(enum nb_ns_type type);

/* Open PATH (O_RDONLY|O_CLOEXEC) and check that it is a namespace file of
 * type EXPECTED. Errors name the flag (WHAT), the path and what it is. */
int nb_ns_open(const char *path, enum nb_ns_type expected, const char *what,
	       int *ret_fd, struct nb_error *err);

/* setns(FD, flag of TYPE). */
int nb_ns_join(int fd, enum nb_ns_type type, struct nb_error *err);

#endif
