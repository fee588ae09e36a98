/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * netdev.h: the network devices of an OCI linux.netDevices, which the
 * runtime moves from its own network namespace into the container's,
 * optionally renamed (pure: names and their rules; linux/netdev.h moves
 * them).
 *
 * A name follows the kernel's dev_valid_name(): 1 to 15 bytes (IFNAMSIZ
 * with its NUL), not "." or "..", no '/', ':' or white space. The name
 * inside may be a template with one "%d" ("eth%d"): the kernel then picks
 * the first free number in the container's namespace, as the spec allows;
 * a device's host name never holds a '%'.
 */
#ifndef NSBOX_SPEC_NETDEV_H
#define NSBOX_SPEC_NETDEV_H

#include <stdbool.h>
#include <stddef.h>

#define NB_IFNAMSIZ 16

struct nb_netdev {
	char host[NB_IFNAMSIZ];   /* its name in the runtime's network namespace */
	char name[NB_IFNAMSIZ];   /* its name in the container's (the host name if
	                           * not renamed; may be a "%d" template) */
};

/* Check NAME as a device name (TEMPLATE_OK: one "%d" allowed). 0, or
 * -EINVAL with *WHY saying what is wrong. */
int nb_netdev_name_check(const char *name, bool template_ok, const char **why);

/* Is NAME a template ("eth%d")? */
bool nb_netdev_is_template(const char *name);

/* Two devices of DEVS (N of them) that would get the same name inside:
 * the index of the second, or -1. Templates never clash. */
long nb_netdev_find_clash(const struct nb_netdev *devs, size_t n);

#endif
