/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cleanup.h: scope-bound ownership.
 *
 *   _cleanup_close_ int fd = open(...);   closed when fd leaves scope
 *   _cleanup_free_ char *s = strdup(...); freed when s leaves scope
 *   return TAKE_FD(fd);                   hand the fd to the caller
 *
 * Destructors accept the "empty" value (-1, NULL), so a variable whose
 * ownership was taken is safe to leave to its cleanup.
 */
#ifndef NSBOX_BASE_CLEANUP_H
#define NSBOX_BASE_CLEANUP_H

#include <stdlib.h>
#include <unistd.h>

static inline void nb_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static inline void nb_freep(void *p)
{
	free(*(void **)p);
	*(void **)p = NULL;
}

#define _cleanup_close_ __attribute__((cleanup(nb_closep)))
#define _cleanup_free_ __attribute__((cleanup(nb_freep)))

/* Return the value and leave the variable empty, so its cleanup is a no-op. */
#define TAKE_FD(fd) ({ int _t = (fd); (fd) = -1; _t; })
#define TAKE_PTR(p) ({ __typeof__(p) _t = (p); (p) = NULL; _t; })

#define NB_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
