/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci_run.c: `nsbox run --bundle DIR [-d] [--keep] ID`: create, start, and
 * unless detached wait for the container and (unless --keep, as runc) delete
 * it, returning its status. */
#include "cli/commands.h"
#include "cli/oci_opts.h"
#include "runtime/container.h"
#include "runtime/netattach.h"
#include "runtime/notify.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

/* FIFO: exec.fifo, opened by create (taken over), or -1. */
static int run_attached(const struct nb_globals *g, struct nb_oci_opts *o, struct nb_sandbox *sb, int fifo,
			struct nb_error *err)
{
	struct nb_error warn = { 0 };
	int code = 0, r = 0;

	/* NOTIFY_SOCKET: relayed for the container's whole life, bound
	 * before it starts (create opened no fifo then). */
	sb->notify_host = nb_notify_host();
	if (sb->notify_host)
		r = nb_container_notify_socket(g->root, o->id, &sb->notify_fd, err);
	if (r >= 0 && sb->started)
		;   /* it went on to its exec at create: nothing to start */
	else if (r >= 0 && fifo >= 0)
		r = nb_container_start_opened(g->root, o->id, fifo, sb->pidfd, &warn, err);
	else if (r >= 0)
		r = nb_container_start(g->root, o->id, &warn, err);
	else if (fifo >= 0)
		close(fifo);
	if (r >= 0)
		r = nb_sandbox_wait(sb, &code, err);
	/* --keep: the stopped container stays, cgroup included, for `state`,
	 * `kill --all` and `delete`; a process still alive after a failure
	 * is killed all the same. */
	sb->detached = o->keep;
	nb_sandbox_release(sb);
	nb_cli_warn(&warn);
	if (!o->keep && nb_container_delete(g->root, o->id, true, &warn, err) < 0 && r >= 0)
		r = -1;
	nb_cli_warn(&warn);
	return r < 0 ? r : code;
}

int nb_cmd_oci_run(const struct nb_globals *g, int argc, char *argv[])
{
	struct nb_error err = { 0 };
	struct nb_oci_opts o;
	struct nb_sandbox sb;
	struct nb_config cfg;
	struct nb_netattach net;
	int r, fifo = -1;

	r = nb_oci_parse_opts("run ", argc, argv, &o);
	if (r || o.help)
		return r;
	nb_config_init(&cfg);
	nb_sandbox_init(&sb);
	nb_netattach_init(&net);
	/* Attached, the start follows at once: its exec.fifo is opened as
	 * soon as the process is created, and the state is written while it
	 * execs. Not with NOTIFY_SOCKET, whose socket is bound before. */
	r = nb_oci_create(g, &o, "run --detach", o.detach, &cfg, &sb, &net,
			  o.detach || nb_notify_host() ? NULL : &fifo, &err);
	if (r >= 0 && o.detach) {
		struct nb_error warn = { 0 };

		r = nb_cli_start(g, o.id, &warn, &err);
		nb_cli_warn(&warn);
		nb_sandbox_detach(&sb);
	} else if (r >= 0) {
		r = run_attached(g, &o, &sb, fifo, &err);
	}
	nb_config_free(&cfg);
	if (r < 0)
		return nb_cli_fail(&err, NULL);
	return r;
}
