/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* create.c: `nsbox create ID --bundle DIR ...` and the shared option
 * parsing of the OCI `create` and `run` commands. */
#include "cli/commands.h"
#include "cli/oci_opts.h"
#include "base/cleanup.h"
#include "base/strutil.h"
#include "runtime/container.h"
#include "runtime/netattach.h"
#include "runtime/notify.h"
#include "spec/cli_args.h"
#include "spec/config.h"

#include <errno.h>
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
"  -d, --detach              run: do not wait for the container\n"
"      --keep                run: do not delete the container after it exits\n";

int nb_oci_parse_opts(const char *cmd, int argc, char *argv[], struct nb_oci_opts *o)
{
	struct nb_error err = { 0 };
	struct nb_create_args a;

	memset(o, 0, sizeof(*o));
	if (nb_create_parse_args(argc, argv, &a, &err) < 0)
		return nb_cli_fail(&err, cmd);
	if (a.help) {
		fputs(create_usage, stdout);
		o->help = true;
		return 0;
	}
	o->id = a.id;
	o->bundle_arg = a.bundle;
	o->pid_file = a.pid_file;
	o->console_socket = a.console_socket;
	o->preserve_fds = a.preserve_fds;
	o->detach = a.detach;
	o->keep = a.keep;
	if (!realpath(o->bundle_arg ? o->bundle_arg : ".", o->bundle))
		return nb_cli_usage(cmd, "--bundle '%s': no such directory",
				    o->bundle_arg ? o->bundle_arg : ".");
	return 0;
}

int nb_oci_create(const struct nb_globals *g, const struct nb_oci_opts *o, const char *what,
		  bool tty_needs_socket, struct nb_config *cfg, struct nb_sandbox *sb,
		  struct nb_netattach *net, int *start_fifo, struct nb_error *err)
{
	struct nb_container_opts co = { .root = g->root, .id = o->id, .bundle = o->bundle,
		.pid_file = o->pid_file, .console_socket = o->console_socket,
		.preserve_fds = o->preserve_fds, .start_fifo = start_fifo };
	_cleanup_free_ char *text = NULL;
	int r = nb_container_id_check(o->id, err);

	/* The text checked here is the one create keeps for exec. */
	if (r >= 0)
		r = nb_cli_load_bundle(o->bundle, cfg, &text, &co.config_len, err);
	co.config = text;
	if (r >= 0)
		cfg->listen_fds = nb_cli_listen_fds();
	if (r >= 0 && nb_notify_host())
		r = nb_notify_plan(cfg, g->root, o->id, err);
	if (r >= 0)
		r = nb_cli_check_cgroup_driver(g, cfg, err);
	if (r >= 0)
		r = nb_cli_seal_runtime(g, cfg, err);
	/* Like selinuxLabel: applied where SELinux runs, else a clear error. */
	if (r >= 0 && cfg->oci.mount_label && access("/sys/fs/selinux/enforce", F_OK) < 0)
		r = nb_error_set(err, ENOTSUP, "config.json: linux.mountLabel '%s': SELinux is not "
				 "enabled on this host", cfg->oci.mount_label);
	/* Nobody would hold the pty master: the process would write to a hung-up
	 * terminal. runc and crun refuse this too. */
	if (r >= 0 && tty_needs_socket && cfg->tty && !o->console_socket)
		r = nb_error_set(err, EINVAL, "config.json: process.terminal is true: %s needs "
				 "--console-socket SOCK to send the terminal to", what);
	/* A bridge by annotation: its lease and files before anything exists. */
	if (r >= 0)
		r = nb_net_from_annotations(&cfg->oci.annotations, cfg->ns[NB_NS_NET].mode == NB_NS_NEW,
					    geteuid(), &cfg->net, err);
	if (r >= 0 && cfg->net.mode == NB_NET_BRIDGE && !(cfg->net.name = strdup(o->id)))
		r = nb_error_set(err, ENOMEM, "out of memory");
	net->detached = true;   /* a container outlives create: `delete` releases it */
	if (r >= 0 && nb_netattach_wanted(cfg)) {
		r = nb_netattach_prepare(net, cfg, err);
		if (r >= 0)
			sb->opts.net = net;
	}
	/* Our own output must be out before the container writes to the same fds. */
	fflush(NULL);
	if (r >= 0)
		r = nb_container_create(&co, cfg, sb, err);
	if (r < 0)
		nb_netattach_release(net);   /* whatever failed, no lease stays */
	if (r >= 0)
		nb_cli_warnings(&sb->warnings);
	return r;
}

int nb_cmd_create(const struct nb_globals *g, int argc, char *argv[])
{
	struct nb_error err = { 0 };
	struct nb_oci_opts o;
	struct nb_sandbox sb;
	struct nb_config cfg;
	struct nb_netattach net;
	int r;

	r = nb_oci_parse_opts("create ", argc, argv, &o);
	if (r || o.help)
		return r;
	nb_config_init(&cfg);
	nb_sandbox_init(&sb);
	nb_netattach_init(&net);
	r = nb_oci_create(g, &o, "create", true, &cfg, &sb, &net, NULL, &err);
	if (r >= 0)
		nb_sandbox_detach(&sb);
	nb_config_free(&cfg);
	if (r < 0)
		return nb_cli_fail(&err, NULL);
	return 0;
}
