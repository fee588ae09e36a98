/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * commands.h: the subcommands of nsbox, one file each. A command returns
 * nsbox's exit status; printing is done here in cli/ and nowhere else.
 */
#ifndef NSBOX_CLI_COMMANDS_H
#define NSBOX_CLI_COMMANDS_H

#include <stdbool.h>

#include "base/error.h"

/* The global options, before the command (as runc and crun take them). */
struct nb_globals {
	const char *root;          /* --root: state directory */
	const char *log;           /* --log FILE */
	bool log_json;             /* --log-format json */
	bool debug;
	bool systemd_cgroup;
	int rootless;              /* --rootless: -1 auto, 0 false, 1 true */
};

struct nb_command {
	const char *name;
	const char *summary;
	int (*run)(const struct nb_globals *g, int argc, char *argv[]);
};

int nb_cmd_run(const struct nb_globals *g, int argc, char *argv[]);
int nb_cmd_create(const struct nb_globals *g, int argc, char *argv[]);
int nb_cmd_start(const struct nb_globals *g, int argc, char *argv[]);
int nb_cmd_state(const struct nb_globals *g, int argc, char *argv[]);
int nb_cmd_kill(const struct nb_globals *g, int argc, char *argv[]);
int nb_cmd_delete(const struct nb_globals *g, int argc, char *argv[]);
int nb_cmd_list(const struct nb_globals *g, int argc, char *argv[]);
int nb_cmd_ps(const struct nb_globals *g, int argc, char *argv[]);
int nb_cmd_spec(const struct nb_globals *g, int argc, char *argv[]);
int nb_cmd_exec(const struct nb_globals *g, int argc, char *argv[]);
int nb_cmd_features(const struct nb_globals *g, int argc, char *argv[]);

/* OCI `run ID --bundle DIR`: create, start, wait (run.c hands over to it). */
int nb_cmd_oci_run(const struct nb_globals *g, int argc, char *argv[]);

/* Print "nsbox: MESSAGE" (plus a usage hint for usage errors), log it to
 * --log, and return the exit status for the error's kind. COMMAND names the
 * command for the hint ("run "), or NULL. */
int nb_cli_fail(const struct nb_error *err, const char *command);

/* Print WARN, if set, as "nsbox: warning: ..." (and log it). */
void nb_cli_warn(const struct nb_error *warn);

/* A usage error of COMMAND, formatted. Returns 125. */
int nb_cli_usage(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Load BUNDLE/config.json into CFG (cli/bundle.c). */
struct nb_config;
int nb_cli_load_bundle(const char *bundle, struct nb_config *cfg, struct nb_error *err);
/* --systemd-cgroup with a systemd-style cgroupsPath: a clear error for now. */
int nb_cli_check_cgroup_driver(const struct nb_globals *g, const struct nb_config *cfg,
			       struct nb_error *err);

#endif
