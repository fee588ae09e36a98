/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * commands.h: the subcommands of nsbox, one file each. A command returns
 * nsbox's exit status; printing is done here in cli/ and nowhere else.
 */
#ifndef NSBOX_CLI_COMMANDS_H
#define NSBOX_CLI_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

/* The global options, before the command (as runc and crun take them). */
struct nb_globals {
	const char *root;          /* --root: state directory */
	const char *log;           /* --log FILE */
	bool log_json;             /* --log-format json */
	bool debug;
	bool systemd_cgroup;
	int rootless;              /* --rootless: -1 auto, 0 false, 1 true */
	char **argv;               /* nsbox's whole command line, to re-execute it */
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
int nb_cmd_pause(const struct nb_globals *g, int argc, char *argv[]);
int nb_cmd_resume(const struct nb_globals *g, int argc, char *argv[]);
int nb_cmd_update(const struct nb_globals *g, int argc, char *argv[]);
int nb_cmd_events(const struct nb_globals *g, int argc, char *argv[]);
int nb_cmd_features(const struct nb_globals *g, int argc, char *argv[]);
int nb_cmd_network(const struct nb_globals *g, int argc, char *argv[]);
int nb_cmd_box(const struct nb_globals *g, int argc, char *argv[]);

/* OCI `run ID --bundle DIR`: create, start, wait (run.c hands over to it). */
int nb_cmd_oci_run(const struct nb_globals *g, int argc, char *argv[]);

/* `start` ID, relaying READY=1 to NOTIFY_SOCKET when set (cli/start.c). */
int nb_cli_start(const struct nb_globals *g, const char *id, struct nb_error *warn, struct nb_error *err);

/* Print "nsbox: MESSAGE" (plus a usage hint for usage errors), log it to
 * --log, and return the exit status for the error's kind. COMMAND names the
 * command for the hint ("run "), or NULL. */
int nb_cli_fail(const struct nb_error *err, const char *command);

/* Print WARN, if set, as "nsbox: warning: ..." (and log it). */
void nb_cli_warn(const struct nb_error *warn);

struct nb_strv;
/* Print each of WARNINGS as "nsbox: warning: ..." (and log it). */
void nb_cli_warnings(const struct nb_strv *warnings);

/* A usage error of COMMAND, formatted. Returns 125. */
int nb_cli_usage(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct nb_config;
struct nb_run_args;
struct nb_report;

/* Run the sandbox of CFG as `nsbox run` does (cli/run.c): spawn (or
 * register, with --name), wait or watch, release, write --report and
 * --meta. REP: the judged run's report (nb_report_init()ed here);
 * *RET_CODE: the command's exit status. 0, or -errno with ERR (for
 * nb_cli_fail). */
int nb_cli_run_sandbox(const struct nb_globals *g, struct nb_config *cfg, const struct nb_run_args *args,
		       struct nb_report *rep, int *ret_code, struct nb_error *err);

/* Before anything is created for the plan CFG: if its sandbox could reach
 * nsbox's binary (nb_config_exposes_runtime()), or this build has no
 * nsbox-exec, re-execute nsbox from a sealed copy (linux/selfexe.h). Does
 * not return then, unless that fails. */
int nb_cli_seal_runtime(const struct nb_globals *g, const struct nb_config *cfg, struct nb_error *err);

/* Socket activation: the number of fds that systemd passed nsbox
 * ($LISTEN_FDS, when $LISTEN_PID is unset or nsbox's own pid), or 0. */
int nb_cli_listen_fds(void);

/* Load BUNDLE/config.json into CFG (cli/bundle.c). With RET_TEXT, the text
 * that was checked, malloc'd, in *RET_TEXT and *RET_LEN (create keeps it). */
int nb_cli_load_bundle(const char *bundle, struct nb_config *cfg, char **ret_text, size_t *ret_len,
		       struct nb_error *err);
/* --systemd-cgroup with a systemd-style cgroupsPath: a clear error for now. */
int nb_cli_check_cgroup_driver(const struct nb_globals *g, const struct nb_config *cfg,
			       struct nb_error *err);

#endif
