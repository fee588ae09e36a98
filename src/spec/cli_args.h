/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cli_args.h: the command lines of nsbox's global options and of every
 * command but `run`'s sandbox form and `update` (spec/run_args.h,
 * spec/update_args.h), as plain structs. Pure: nothing here prints,
 * exits or makes a system call; cli/ prints the usage text when a struct
 * says help, resolves paths (the bundle), and prints a usage error as
 * nb_cli_fail() does ("Try 'nsbox kill --help'").
 *
 * Each parser takes ARGV as main() passes it to the command (argv[0] is
 * the command's name, or "nsbox" for the global options), uses getopt
 * (from its start: optind = 0) and may permute ARGV as getopt does. The
 * strings of a struct point into ARGV. It returns 0 (help set: print the
 * usage, do nothing else), or -EINVAL with a usage error in ERR, in the
 * words the commands have always used: "kill: unknown signal 'FOO'".
 */
#ifndef NSBOX_SPEC_CLI_ARGS_H
#define NSBOX_SPEC_CLI_ARGS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "base/strutil.h"

/* `nsbox [GLOBAL OPTIONS] COMMAND ...` (ARGV[0] is "nsbox"). Returns the
 * index in ARGV of COMMAND (ARGC if none), 0 for help or version (-h,
 * -v: whichever comes first), or -EINVAL. */
struct nb_global_args {
	const char *root;          /* --root, or NULL for the default */
	const char *log;           /* --log FILE */
	bool log_json;             /* --log-format json */
	bool debug;
	bool systemd_cgroup;
	int rootless;              /* --rootless: -1 auto, 0 false, 1 true */
	bool help, version;
};
int nb_global_parse_args(int argc, char *const argv[], struct nb_global_args *ret, struct nb_error *err);

/* `start ID`, `state ID`, `pause ID`, `resume ID`: one id, or -h/--help
 * alone. */
struct nb_id_args {
	bool help;
	const char *id;
};
int nb_id_parse_args(int argc, char *const argv[], struct nb_id_args *ret, struct nb_error *err);

/* OCI `create [OPTIONS] ID` and `run --bundle DIR [OPTIONS] ID`. */
struct nb_create_args {
	const char *id;
	const char *bundle;        /* --bundle as given, or NULL (the current directory) */
	const char *pid_file;
	const char *console_socket;
	int preserve_fds;
	bool detach;
	bool keep;                 /* run --keep (runc's run has it, its create not) */
	bool help;
};
int nb_create_parse_args(int argc, char *const argv[], struct nb_create_args *ret, struct nb_error *err);

/* `exec [OPTIONS] ID [--] COMMAND...` or `exec [OPTIONS] --process FILE ID`.
 * *RET's vectors are owned: nb_exec_args_free(), also after a failure. */
struct nb_exec_args {
	const char *process_file;
	const char *pid_file;
	const char *console_socket;
	const char *cwd;
	const char *user;
	struct nb_strv env;        /* --env K=V, in order */
	struct nb_strv caps;       /* --cap CAP, in order, unchecked names */
	bool tty, tty_set, detach, no_new_privs;
	int preserve_fds;
	const char *id;
	int first_arg;             /* index in ARGV of COMMAND (ARGC if none) */
	bool help;
};
int nb_exec_parse_args(int argc, char *const argv[], struct nb_exec_args *ret, struct nb_error *err);
void nb_exec_args_free(struct nb_exec_args *a);

/* `kill [--all] ID [SIGNAL]` (SIGNAL as spec/signal.h reads it; TERM). */
struct nb_kill_args {
	bool all, help;
	const char *id;
	int signal;
};
int nb_kill_parse_args(int argc, char *const argv[], struct nb_kill_args *ret, struct nb_error *err);

/* `delete [--force] ID`. */
struct nb_delete_args {
	bool force, help;
	const char *id;
};
int nb_delete_parse_args(int argc, char *const argv[], struct nb_delete_args *ret, struct nb_error *err);

/* `ps [--format table|json] ID [...]` (what follows ID is ignored). */
struct nb_ps_args {
	bool json, help;
	const char *id;
};
int nb_ps_parse_args(int argc, char *const argv[], struct nb_ps_args *ret, struct nb_error *err);

/* `list [--format table|json] [--quiet]` (operands are ignored). */
struct nb_list_args {
	bool json, quiet, help;
};
int nb_list_parse_args(int argc, char *const argv[], struct nb_list_args *ret, struct nb_error *err);

/* `events [--stats] [--interval DURATION] ID` (5 s; at least 1 ms). */
struct nb_events_args {
	bool stats, help;
	uint64_t interval_ns;
	const char *id;
};
int nb_events_parse_args(int argc, char *const argv[], struct nb_events_args *ret, struct nb_error *err);

/* `spec [--rootless] [--bundle DIR]` (operands are ignored). */
struct nb_spec_args {
	bool rootless, help;
	const char *bundle;        /* "." unless --bundle */
};
int nb_spec_parse_args(int argc, char *const argv[], struct nb_spec_args *ret, struct nb_error *err);

#endif
