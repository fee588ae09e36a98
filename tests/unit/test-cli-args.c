/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for spec/cli_args.c: the global options and the command lines
 * of the OCI commands, with the messages the commands print. */
#include "spec/cli_args.h"
#include "tap.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* A private, writable argv of LIST (getopt may permute it). */
struct argv {
	int argc;
	char *argv[32];
};

/* ARGC and ARGV of a fresh argv (make() runs first: argument evaluation
 * order is unspecified). */
#define MAKE(a, list) (make((a), (list)), (a)->argc), (a)->argv

static char **make(struct argv *a, const char *const *list)
{
	a->argc = 0;
	for (; *list && a->argc < 31; list++)
		a->argv[a->argc++] = strdup(*list);
	a->argv[a->argc] = NULL;
	return a->argv;
}

static void drop(struct argv *a)
{
	for (int i = 0; i < a->argc; i++)
		free(a->argv[i]);
}

/* Expect a usage error with MSG. */
static void usage_error(int r, const struct nb_error *err, const char *msg, const char *name)
{
	tap_is_int(r, -EINVAL, "%s: refused", name);
	tap_is_str(err->msg, msg, "%s: message", name);
	tap_is_int(err->kind, NB_ERR_USAGE, "%s: a usage error", name);
}

static void test_globals(void)
{
	struct nb_global_args g;
	struct nb_error err = { 0 };
	struct argv a;
	int r;

	r = nb_global_parse_args(MAKE(&a, ARGS("nsbox", "--root", "/r", "--log", "/l",
		"--log-format", "json", "--debug", "--systemd-cgroup", "--rootless", "true",
		"--criu", "x", "state", "--root", "id")), &g, &err);
	tap_is_int(r, 13, "globals: the command's index");
	tap_is_str(g.root, "/r", "globals: --root");
	tap_is_str(g.log, "/l", "globals: --log");
	tap_ok(g.log_json && g.debug && g.systemd_cgroup && g.rootless == 1 && !g.help && !g.version,
	       "globals: the flags");
	drop(&a);

	r = nb_global_parse_args(MAKE(&a, ARGS("nsbox", "--rootless=false", "--log-format=text")),
				 &g, &err);
	tap_is_int(r, 3, "globals: no command: argc");
	tap_ok(g.rootless == 0 && !g.log_json && !g.root, "globals: --rootless=false, text");
	drop(&a);

	r = nb_global_parse_args(MAKE(&a, ARGS("nsbox", "list")), &g, &err);
	tap_ok(r == 1 && g.rootless == -1, "globals: none: auto");
	drop(&a);

	r = nb_global_parse_args(MAKE(&a, ARGS("nsbox", "-v", "--bogus")), &g, &err);
	tap_ok(r == 0 && g.version && !g.help, "globals: -v first wins");
	drop(&a);
	r = nb_global_parse_args(MAKE(&a, ARGS("nsbox", "--help", "-v")), &g, &err);
	tap_ok(r == 0 && g.help && !g.version, "globals: --help");
	drop(&a);

	r = nb_global_parse_args(MAKE(&a, ARGS("nsbox", "--log-format", "xml", "list")), &g, &err);
	usage_error(r, &err, "--log-format 'xml': expected text or json", "--log-format xml");
	drop(&a);
	r = nb_global_parse_args(MAKE(&a, ARGS("nsbox", "--rootless", "maybe")), &g, &err);
	usage_error(r, &err, "--rootless 'maybe': expected auto, true or false", "--rootless maybe");
	drop(&a);
	r = nb_global_parse_args(MAKE(&a, ARGS("nsbox", "--frob", "list")), &g, &err);
	usage_error(r, &err, "unknown global option '--frob'", "unknown global option");
	drop(&a);
	r = nb_global_parse_args(MAKE(&a, ARGS("nsbox", "--root")), &g, &err);
	usage_error(r, &err, "unknown global option '--root'", "--root without a value");
	drop(&a);
}

static void test_ids(void)
{
	struct nb_id_args id;
	struct nb_error err = { 0 };
	struct argv a;
	int r;

	r = nb_id_parse_args(MAKE(&a, ARGS("start", "c1")), &id, &err);
	tap_ok(r == 0 && !id.help && strcmp(id.id, "c1") == 0, "start ID");
	drop(&a);
	r = nb_id_parse_args(MAKE(&a, ARGS("pause", "-h")), &id, &err);
	tap_ok(r == 0 && id.help, "pause -h");
	drop(&a);
	r = nb_id_parse_args(MAKE(&a, ARGS("state", "--help", "x")), &id, &err);
	usage_error(r, &err, "state: expected one container id", "state --help x");
	drop(&a);
	r = nb_id_parse_args(MAKE(&a, ARGS("resume")), &id, &err);
	usage_error(r, &err, "resume: expected one container id", "resume");
	drop(&a);
}

static void test_create(void)
{
	struct nb_create_args c;
	struct nb_error err = { 0 };
	struct argv a;
	int r;

	r = nb_create_parse_args(MAKE(&a, ARGS("create", "--bundle", "/b", "--pid-file", "/p",
		"--console-socket", "/s", "--preserve-fds", "2", "--no-pivot", "--no-new-keyring", "c1")),
		&c, &err);
	tap_ok(r == 0 && !c.help && !c.detach && c.preserve_fds == 2, "create: options");
	tap_is_str(c.id, "c1", "create: id");
	tap_is_str(c.bundle, "/b", "create: bundle");
	tap_is_str(c.pid_file, "/p", "create: pid file");
	tap_is_str(c.console_socket, "/s", "create: console socket");
	drop(&a);

	/* runc's order: the id first, then options (getopt permutes). */
	r = nb_create_parse_args(MAKE(&a, ARGS("run", "c2", "-b", "/b", "-d")), &c, &err);
	tap_ok(r == 0 && c.detach && !c.pid_file, "run: id before the options");
	tap_is_str(c.id, "c2", "run: id");
	tap_is_str(c.bundle, "/b", "run: -b");
	drop(&a);

	r = nb_create_parse_args(MAKE(&a, ARGS("create", "c1")), &c, &err);
	tap_ok(r == 0 && !c.bundle, "create: no --bundle");
	drop(&a);
	r = nb_create_parse_args(MAKE(&a, ARGS("create", "-h", "--bogus")), &c, &err);
	tap_ok(r == 0 && c.help, "create: -h");
	drop(&a);
	r = nb_create_parse_args(MAKE(&a, ARGS("create", "--preserve-fds", "x", "c1")), &c, &err);
	usage_error(r, &err, "--preserve-fds 'x': expected a number", "create: --preserve-fds x");
	drop(&a);
	r = nb_create_parse_args(MAKE(&a, ARGS("create", "--preserve-fds", "1048577", "c1")), &c,
				 &err);
	usage_error(r, &err, "--preserve-fds '1048577': expected a number", "create: too many fds");
	drop(&a);
	r = nb_create_parse_args(MAKE(&a, ARGS("create", "--bogus", "c1")), &c, &err);
	usage_error(r, &err, "unknown option '--bogus'", "create: unknown option");
	drop(&a);
	r = nb_create_parse_args(MAKE(&a, ARGS("create", "c1", "c2")), &c, &err);
	usage_error(r, &err, "expected one container id", "create: two ids");
	drop(&a);
	r = nb_create_parse_args(MAKE(&a, ARGS("create")), &c, &err);
	usage_error(r, &err, "expected one container id", "create: no id");
	drop(&a);
}

static void test_exec(void)
{
	struct nb_exec_args e;
	struct nb_error err = { 0 };
	struct argv a;
	int r;

	r = nb_exec_parse_args(MAKE(&a, ARGS("exec", "-t", "-d", "--pid-file", "/p",
		"--console-socket", "/s", "-e", "A=1", "--env", "B=2", "--cwd", "/w", "-u", "1:2",
		"-c", "CAP_KILL", "--cap", "CAP_CHOWN", "--no-new-privs", "--preserve-fds", "3",
		"--process-label", "x", "--apparmor", "y", "c1", "--", "ls", "-l")), &e, &err);
	tap_ok(r == 0 && e.tty && e.tty_set && e.detach && e.no_new_privs && e.preserve_fds == 3 &&
	       !e.help && !e.process_file, "exec: flags");
	tap_is_str(e.id, "c1", "exec: id");
	tap_is_int(e.first_arg, 28, "exec: the command after --");
	tap_ok(e.env.len == 2 && strcmp(e.env.items[1], "B=2") == 0, "exec: --env in order");
	tap_ok(e.caps.len == 2 && strcmp(e.caps.items[0], "CAP_KILL") == 0, "exec: --cap in order");
	tap_is_str(e.cwd, "/w", "exec: --cwd");
	tap_is_str(e.user, "1:2", "exec: --user");
	nb_exec_args_free(&e);
	drop(&a);

	/* "+": the command's own options stay its own. */
	r = nb_exec_parse_args(MAKE(&a, ARGS("exec", "c1", "ls", "-t")), &e, &err);
	tap_ok(r == 0 && !e.tty_set && e.first_arg == 2, "exec: the command's -t is its own");
	nb_exec_args_free(&e);
	drop(&a);

	r = nb_exec_parse_args(MAKE(&a, ARGS("exec", "-p", "/proc.json", "c1")), &e, &err);
	tap_ok(r == 0 && e.first_arg == 4, "exec: --process without a command");
	tap_is_str(e.process_file, "/proc.json", "exec: --process");
	nb_exec_args_free(&e);
	drop(&a);

	r = nb_exec_parse_args(MAKE(&a, ARGS("exec", "--help")), &e, &err);
	tap_ok(r == 0 && e.help, "exec: --help");
	nb_exec_args_free(&e);
	drop(&a);

	r = nb_exec_parse_args(MAKE(&a, ARGS("exec", "-e", "NOVALUE", "c1", "ls")), &e, &err);
	usage_error(r, &err, "--env 'NOVALUE': expected KEY=VALUE", "exec: --env without =");
	nb_exec_args_free(&e);
	drop(&a);
	r = nb_exec_parse_args(MAKE(&a, ARGS("exec", "--preserve-fds", "-1", "c1", "ls")), &e, &err);
	usage_error(r, &err, "--preserve-fds '-1': expected a number", "exec: --preserve-fds -1");
	nb_exec_args_free(&e);
	drop(&a);
	r = nb_exec_parse_args(MAKE(&a, ARGS("exec", "--frob", "c1", "ls")), &e, &err);
	usage_error(r, &err, "unknown option '--frob'", "exec: unknown option");
	nb_exec_args_free(&e);
	drop(&a);
	r = nb_exec_parse_args(MAKE(&a, ARGS("exec", "-t")), &e, &err);
	usage_error(r, &err, "exec: expected a container id", "exec: no id");
	nb_exec_args_free(&e);
	drop(&a);
	r = nb_exec_parse_args(MAKE(&a, ARGS("exec", "c1", "--")), &e, &err);
	usage_error(r, &err, "exec: expected a command or --process FILE", "exec: no command");
	nb_exec_args_free(&e);
	drop(&a);
}

static void test_kill(void)
{
	struct nb_kill_args k;
	struct nb_error err = { 0 };
	struct argv a;
	int r;

	r = nb_kill_parse_args(MAKE(&a, ARGS("kill", "c1")), &k, &err);
	tap_ok(r == 0 && k.signal == SIGTERM && !k.all && strcmp(k.id, "c1") == 0, "kill: TERM by default");
	drop(&a);
	r = nb_kill_parse_args(MAKE(&a, ARGS("kill", "c1", "KILL", "--all")), &k, &err);
	tap_ok(r == 0 && k.signal == SIGKILL && k.all, "kill: KILL, --all after");
	drop(&a);
	r = nb_kill_parse_args(MAKE(&a, ARGS("kill", "-a", "c1", "sigrtmin+1")), &k, &err);
	tap_ok(r == 0 && k.signal == SIGRTMIN + 1 && k.all, "kill: -a, a real-time signal");
	drop(&a);
	r = nb_kill_parse_args(MAKE(&a, ARGS("kill", "c1", "FOO")), &k, &err);
	usage_error(r, &err, "kill: unknown signal 'FOO'", "kill: unknown signal");
	drop(&a);
	r = nb_kill_parse_args(MAKE(&a, ARGS("kill", "c1", "9", "x")), &k, &err);
	usage_error(r, &err, "kill: expected ID [SIGNAL]", "kill: three operands");
	drop(&a);
	r = nb_kill_parse_args(MAKE(&a, ARGS("kill", "--bogus", "c1")), &k, &err);
	usage_error(r, &err, "kill: unknown option '--bogus'", "kill: unknown option");
	drop(&a);
	r = nb_kill_parse_args(MAKE(&a, ARGS("kill", "-h")), &k, &err);
	tap_ok(r == 0 && k.help, "kill: -h");
	drop(&a);
}

static void test_small(void)
{
	struct nb_delete_args d;
	struct nb_ps_args p;
	struct nb_list_args l;
	struct nb_events_args ev;
	struct nb_spec_args s;
	struct nb_error err = { 0 };
	struct argv a;
	int r;

	r = nb_delete_parse_args(MAKE(&a, ARGS("delete", "c1", "--force")), &d, &err);
	tap_ok(r == 0 && d.force && strcmp(d.id, "c1") == 0, "delete: --force after the id");
	drop(&a);
	r = nb_delete_parse_args(MAKE(&a, ARGS("delete", "-x", "c1")), &d, &err);
	usage_error(r, &err, "delete: unknown option '-x'", "delete: unknown option");
	drop(&a);
	r = nb_delete_parse_args(MAKE(&a, ARGS("delete")), &d, &err);
	usage_error(r, &err, "delete: expected one container id", "delete: no id");
	drop(&a);

	r = nb_ps_parse_args(MAKE(&a, ARGS("ps", "--format", "json", "c1", "-ef")), &p, &err);
	tap_ok(r == 0 && p.json && strcmp(p.id, "c1") == 0, "ps: json, ps(1)'s options ignored");
	drop(&a);
	r = nb_ps_parse_args(MAKE(&a, ARGS("ps", "-f", "yaml", "c1")), &p, &err);
	/* getopt has moved past the value: it names that (as it always did). */
	usage_error(r, &err, "ps: bad option 'yaml'", "ps: --format yaml");
	drop(&a);
	r = nb_ps_parse_args(MAKE(&a, ARGS("ps")), &p, &err);
	usage_error(r, &err, "ps: expected a container id", "ps: no id");
	drop(&a);

	r = nb_list_parse_args(MAKE(&a, ARGS("list", "-q", "--format=table")), &l, &err);
	tap_ok(r == 0 && l.quiet && !l.json, "list: -q, table");
	drop(&a);
	r = nb_list_parse_args(MAKE(&a, ARGS("list", "--format", "xml")), &l, &err);
	usage_error(r, &err, "list: bad option 'xml'", "list: --format xml");
	drop(&a);

	r = nb_events_parse_args(MAKE(&a, ARGS("events", "c1")), &ev, &err);
	tap_ok(r == 0 && !ev.stats && ev.interval_ns == 5000000000ull, "events: every 5 s");
	drop(&a);
	r = nb_events_parse_args(MAKE(&a, ARGS("events", "--stats", "--interval", "1.5s", "c1")),
				 &ev, &err);
	tap_ok(r == 0 && ev.stats && ev.interval_ns == 1500000000ull, "events: --stats, --interval 1.5s");
	drop(&a);
	r = nb_events_parse_args(MAKE(&a, ARGS("events", "--interval", "10us", "c1")), &ev, &err);
	usage_error(r, &err, "events: --interval '10us': expected a duration of 1ms or more (5s, 500ms)",
		    "events: 10us");
	drop(&a);
	r = nb_events_parse_args(MAKE(&a, ARGS("events", "c1", "c2")), &ev, &err);
	usage_error(r, &err, "events: expected one container id", "events: two ids");
	drop(&a);
	r = nb_events_parse_args(MAKE(&a, ARGS("events", "-s", "c1")), &ev, &err);
	usage_error(r, &err, "events: bad option '-s'", "events: -s");
	drop(&a);

	r = nb_spec_parse_args(MAKE(&a, ARGS("spec")), &s, &err);
	tap_ok(r == 0 && !s.rootless && strcmp(s.bundle, ".") == 0, "spec: defaults");
	drop(&a);
	r = nb_spec_parse_args(MAKE(&a, ARGS("spec", "--rootless", "-b", "/b")), &s, &err);
	tap_ok(r == 0 && s.rootless && strcmp(s.bundle, "/b") == 0, "spec: --rootless -b");
	drop(&a);
	r = nb_spec_parse_args(MAKE(&a, ARGS("spec", "--root")), &s, &err);
	tap_ok(r == 0 && s.rootless, "spec: --root is short for --rootless");
	drop(&a);
	r = nb_spec_parse_args(MAKE(&a, ARGS("spec", "--frob")), &s, &err);
	usage_error(r, &err, "spec: unknown option '--frob'", "spec: unknown option");
	drop(&a);
}

int main(void)
{
	test_globals();
	test_ids();
	test_create();
	test_exec();
	test_kill();
	test_small();
	return tap_done();
}
