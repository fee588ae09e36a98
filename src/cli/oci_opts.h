/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci_opts.h: the options shared by the OCI `create` and `run` commands. */
#ifndef NSBOX_CLI_OCI_OPTS_H
#define NSBOX_CLI_OCI_OPTS_H

#include <limits.h>
#include <stdbool.h>

struct nb_oci_opts {
	const char *id;
	const char *bundle_arg;
	char bundle[PATH_MAX];       /* absolute */
	const char *pid_file;
	const char *console_socket;
	int preserve_fds;
	bool detach;
	bool keep;                   /* run: keep the stopped container (no delete) */
	bool help;
};

/* Returns 0, or the exit status of a usage error (already printed). */
int nb_oci_parse_opts(const char *cmd, int argc, char *argv[], struct nb_oci_opts *o);

struct nb_globals;
struct nb_config;
struct nb_sandbox;
struct nb_error;
struct nb_netattach;

/* Load O's bundle and create the container (create, and run --bundle).
 * WHAT names the command in messages; TTY_NEEDS_SOCKET: a terminal without
 * --console-socket is an error (nobody would hold the pty). NET holds the
 * container's network (the io.github.nsbox.network annotations) for as
 * long as SB. START_FIFO (attached `run`, else NULL): see
 * nb_container_opts.start_fifo. */
int nb_oci_create(const struct nb_globals *g, const struct nb_oci_opts *o, const char *what,
		  bool tty_needs_socket, struct nb_config *cfg, struct nb_sandbox *sb,
		  struct nb_netattach *net, int *start_fifo, struct nb_error *err);

#endif
