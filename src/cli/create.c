/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* create.c: `nsbox create ID --bundle DIR ...` and the shared option
 * parsing of the OCI `create` and `run` commands. */
#include "cli/commands.h"
#include "cli/oci_opts.h"
#include "base/strutil.h"
#include "runtime/container.h"
#include "spec/config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char create_usage[] =
"Usage: nsbox create [OPTIONS] ID\n"
"       nsbox run --bundle DIR [OPTIONS] ID\n"
"\n"
"Create the container ID from an OCI bundle, stopped right before its\n"
"process execs (run: then start it and wait for it).\n"
"\n"
"  -b, --bundle DIR          the bundle (default: the current directory)\n"
"      --pid-file FILE       write the container's pid to FILE\n"
"      --console-socket SOCK send the pty master to the unix socket SOCK\n"
"      --preserve-fds N      pass fds 3..3+N-1 to the container\n"
"      --no-pivot            accepted (nsbox always uses pivot_root)\n"
"      --no-new-keyring      accepted (no session keyring is made)\n"
"  -d, --detach              run: do not wait for the container\n";

int nb_oci_parse_opts(const char *cmd, int argc, char *argv[], struct nb_oci_opts *o)
{
	static const struct option opts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "pid-file", required_argument, NULL, 'p' },
		{ "console-socket", required_argument, NULL, 'c' },
		{ "preserve-fds", required_argument, NULL, 'P' },
		{ "no-pivot", no_argument, NULL, 'N' },
		{ "no-new-keyring", no_argument, NULL, 'K' },
		{ "detach", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "b:dh", opts, NULL)) != -1) {
		switch (opt) {
		case 'b': o->bundle_arg = optarg; break;
		case 'p': o->pid_file = optarg; break;
		case 'c': o->console_socket = optarg; break;
		case 'P':
			if (nb_parse_int(optarg, 0, 1 << 20, &o->preserve_fds) < 0)
				return nb_cli_usage(cmd, "--preserve-fds '%s': expected a number", optarg);
			break;
		case 'N': case 'K': break;
		case 'd': o->detach = true; break;
		case 'h': fputs(create_usage, stdout); o->help = true; return 0;
		default: return nb_cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return nb_cli_usage(cmd, "expected one container id");
	o->id = argv[optind];
	if (!realpath(o->bundle_arg ? o->bundle_arg : ".", o->bundle))
		return nb_cli_usage(cmd, "--bundle '%s': no such directory",
				    o->bundle_arg ? o->bundle_arg : ".");
	return 0;
}

int nb_oci_create(const struct nb_globals *g, const struct nb_oci_opts *o, const char *what,
		  bool tty_needs_socket, struct nb_config *cfg, struct nb_sandbox *sb,
		  struct nb_error *err)
{
	struct nb_container_opts co = { .root = g->root, .id = o->id, .bundle = o->bundle,
		.pid_file = o->pid_file, .console_socket = o->console_socket,
		.preserve_fds = o->preserve_fds };
	int r = nb_container_id_check(o->id, err);

	if (r >= 0)
		r = nb_cli_load_bundle(o->bundle, cfg, err);
	if (r >= 0)
		r = nb_cli_check_cgroup_driver(g, cfg, err);
	/* Like selinuxLabel: applied where SELinux runs, else a clear error. */
	if (r >= 0 && cfg->oci.mount_label && access("/sys/fs/selinux/enforce", F_OK) < 0)
		r = nb_error_set(err, ENOTSUP, "config.json: linux.mountLabel '%s': SELinux is not "
				 "enabled on this host", cfg->oci.mount_label);
	/* Nobody would hold the pty master: the process would write to a hung-up
	 * terminal. runc and crun refuse this too. */
	if (r >= 0 && tty_needs_socket && cfg->tty && !o->console_socket)
		r = nb_error_set(err, EINVAL, "config.json: process.terminal is true: %s needs "
				 "--console-socket SOCK to send the terminal to", what);
	/* Our own output must be out before the container writes to the same fds. */
	fflush(NULL);
	if (r >= 0)
		r = nb_container_create(&co, cfg, sb, err);
	return r;
}

int nb_cmd_create(const struct nb_globals *g, int argc, char *argv[])
{
	struct nb_error err = { 0 };
	struct nb_oci_opts o;
	struct nb_sandbox sb;
	struct nb_config cfg;
	int r;

	r = nb_oci_parse_opts("create ", argc, argv, &o);
	if (r || o.help)
		return r;
	nb_config_init(&cfg);
	nb_sandbox_init(&sb);
	r = nb_oci_create(g, &o, "create", true, &cfg, &sb, &err);
	if (r >= 0)
		nb_sandbox_detach(&sb);
	nb_config_free(&cfg);
	if (r < 0)
		return nb_cli_fail(&err, NULL);
	return 0;
}
