/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * passwd.h: the home directory of a uid, from the text of an /etc/passwd.
 *
 * An OCI container whose process.env has no HOME gets the one its own
 * /etc/passwd gives its uid, or "/" (as runc and crun do). Pure: the text
 * comes from the caller, who read it from inside the container's root.
 */
#ifndef NSBOX_SPEC_PASSWD_H
#define NSBOX_SPEC_PASSWD_H

#include <stddef.h>
#include <sys/types.h>

/* The home directory of UID in TEXT (LEN bytes, lines "name:pw:uid:gid:
 * gecos:home:shell"), into BUF: 0, -ENOENT if no line has that uid or its
 * home is empty, -ENAMETOOLONG if it does not fit. The first match wins;
 * a line that holds a NUL byte is no entry. */
int nb_passwd_home(const char *text, size_t len, uid_t uid, char *buf, size_t size);

#endif
