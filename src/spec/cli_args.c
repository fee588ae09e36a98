/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "spec/cli_args.h"
#include "spec/signal.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <string.h>

enum { G_ROOT = 256, G_LOG, G_LOG_FORMAT, G_DEBUG, G_SYSTEMD, G_ROOTLESS, G_CRIU };

int nb_global_parse_args(int argc, char *const argv[], struct nb_global_args *ret, struct nb_error *err)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, G_ROOT },
		{ "log", required_argument, NULL, G_LOG },
		{ "log-format", required_argument, NULL, G_LOG_FORMAT },
		{ "debug", no_argument, NULL, G_DEBUG },
		{ "systemd-cgroup", no_argument, NULL, G_SYSTEMD },
		{ "rootless", required_argument, NULL, G_ROOTLESS },
		{ "criu", required_argument, NULL, G_CRIU },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	*ret = (struct nb_global_args){ .rootless = -1 };
	opterr = 0;
	optind = 0;
	/* "+": stop at the command, whose options are its own. */
	while ((opt = getopt_long(argc, argv, "+hv", opts, NULL)) != -1) {
		switch (opt) {
		case G_ROOT: ret->root = optarg; break;
		case G_LOG: ret->log = optarg; break;
		case G_LOG_FORMAT:
			if (!nb_streq(optarg, "json") && !nb_streq(optarg, "text"))
				return nb_error_usage(err, "--log-format '%s': expected text or json", optarg);
			ret->log_json = nb_streq(optarg, "json");
			break;
		case G_DEBUG: ret->debug = true; break;
		case G_SYSTEMD: ret->systemd_cgroup = true; break;
		case G_CRIU: break;   /* accepted for runc compatibility; unused */
		case G_ROOTLESS:
			if (nb_streq(optarg, "auto"))
				ret->rootless = -1;
			else if (nb_streq(optarg, "true") || nb_streq(optarg, "false"))
				ret->rootless = nb_streq(optarg, "true");
			else
				return nb_error_usage(err, "--rootless '%s': expected auto, true or false", optarg);
			break;
		case 'h': ret->help = true; return 0;
		case 'v': ret->version = true; return 0;
		default:
			return nb_error_usage(err, "unknown global option '%s'", argv[optind - 1]);
		}
	}
	return optind;
}

int nb_id_parse_args(int argc, char *const argv[], struct nb_id_args *ret, struct nb_error *err)
{
	*ret = (struct nb_id_args){ 0 };
	if (argc == 2 && (nb_streq(argv[1], "--help") || nb_streq(argv[1], "-h"))) {
		ret->help = true;
		return 0;
	}
	if (argc != 2)
		return nb_error_usage(err, "%s: expected one container id", argv[0]);
	ret->id = argv[1];
	return 0;
}

int nb_create_parse_args(int argc, char *const argv[], struct nb_create_args *ret, struct nb_error *err)
{
	static const struct option opts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "pid-file", required_argument, NULL, 'p' },
		{ "console-socket", required_argument, NULL, 'c' },
		{ "preserve-fds", required_argument, NULL, 'P' },
		{ "no-pivot", no_argument, NULL, 'N' },
		{ "no-new-keyring", no_argument, NULL, 'K' },
		{ "detach", no_argument, NULL, 'd' },
		{ "keep", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	*ret = (struct nb_create_args){ 0 };
	opterr = 0;
	optind = 0;
	/* No "+": runc takes options after the id too (`create ID --bundle DIR`). */
	while ((opt = getopt_long(argc, argv, "b:dh", opts, NULL)) != -1) {
		switch (opt) {
		case 'b': ret->bundle = optarg; break;
		case 'p': ret->pid_file = optarg; break;
		case 'c': ret->console_socket = optarg; break;
		case 'P':
			if (nb_parse_int(optarg, 0, 1 << 20, &ret->preserve_fds) < 0)
				return nb_error_usage(err, "--preserve-fds '%s': expected a number", optarg);
			break;
		case 'N': case 'K': break;
		case 'd': ret->detach = true; break;
		case 'k':
			/* runc's run has it, its create does not. */
			if (strcmp(argv[0], "run") != 0)
				return nb_error_usage(err, "unknown option '%s'", argv[optind - 1]);
			ret->keep = true;
			break;
		case 'h': ret->help = true; return 0;
		default: return nb_error_usage(err, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return nb_error_usage(err, "expected one container id");
	ret->id = argv[optind];
	return 0;
}

enum { X_PID_FILE = 256, X_CONSOLE, X_CWD, X_NNP, X_PRESERVE, X_IGNORED };

int nb_exec_parse_args(int argc, char *const argv[], struct nb_exec_args *ret, struct nb_error *err)
{
	static const struct option opts[] = {
		{ "process", required_argument, NULL, 'p' }, { "tty", no_argument, NULL, 't' },
		{ "detach", no_argument, NULL, 'd' }, { "pid-file", required_argument, NULL, X_PID_FILE },
		{ "console-socket", required_argument, NULL, X_CONSOLE },
		{ "env", required_argument, NULL, 'e' }, { "cwd", required_argument, NULL, X_CWD },
		{ "user", required_argument, NULL, 'u' }, { "cap", required_argument, NULL, 'c' },
		{ "no-new-privs", no_argument, NULL, X_NNP },
		{ "preserve-fds", required_argument, NULL, X_PRESERVE },
		{ "process-label", required_argument, NULL, X_IGNORED },
		{ "apparmor", required_argument, NULL, X_IGNORED },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	int opt;

	*ret = (struct nb_exec_args){ 0 };
	opterr = 0;
	optind = 0;
	/* "+": the command's own options are its own. */
	while ((opt = getopt_long(argc, argv, "+p:tde:u:c:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'p': ret->process_file = optarg; break;
		case 't': ret->tty = ret->tty_set = true; break;
		case 'd': ret->detach = true; break;
		case X_PID_FILE: ret->pid_file = optarg; break;
		case X_CONSOLE: ret->console_socket = optarg; break;
		case 'e':
			if (!strchr(optarg, '='))
				return nb_error_usage(err, "--env '%s': expected KEY=VALUE", optarg);
			if (nb_strv_push(&ret->env, optarg) < 0)
				return nb_error_set(err, ENOMEM, "out of memory");
			break;
		case X_CWD: ret->cwd = optarg; break;
		case 'u': ret->user = optarg; break;
		case 'c':
			if (nb_strv_push(&ret->caps, optarg) < 0)
				return nb_error_set(err, ENOMEM, "out of memory");
			break;
		case X_NNP: ret->no_new_privs = true; break;
		case X_PRESERVE:
			if (nb_parse_int(optarg, 0, 1 << 20, &ret->preserve_fds) < 0)
				return nb_error_usage(err, "--preserve-fds '%s': expected a number", optarg);
			break;
		case X_IGNORED: break;
		case 'h': ret->help = true; return 0;
		default: return nb_error_usage(err, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return nb_error_usage(err, "exec: expected a container id");
	ret->id = argv[optind];
	ret->first_arg = optind + 1;
	if (ret->first_arg < argc && nb_streq(argv[ret->first_arg], "--"))
		ret->first_arg++;
	if (!ret->process_file && ret->first_arg >= argc)
		return nb_error_usage(err, "exec: expected a command or --process FILE");
	return 0;
}

void nb_exec_args_free(struct nb_exec_args *a)
{
	nb_strv_free(&a->env);
	nb_strv_free(&a->caps);
}

int nb_kill_parse_args(int argc, char *const argv[], struct nb_kill_args *ret, struct nb_error *err)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	*ret = (struct nb_kill_args){ .signal = SIGTERM };
	opterr = 0;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "ah", opts, NULL)) != -1) {
		if (opt == 'a')
			ret->all = true;
		else if (opt == 'h') {
			ret->help = true;
			return 0;
		} else
			return nb_error_usage(err, "kill: unknown option '%s'", argv[optind - 1]);
	}
	if (optind >= argc || argc - optind > 2)
		return nb_error_usage(err, "kill: expected ID [SIGNAL]");
	if (argc - optind == 2 && nb_signal_from_name(argv[optind + 1], &ret->signal) < 0)
		return nb_error_usage(err, "kill: unknown signal '%s'", argv[optind + 1]);
	ret->id = argv[optind];
	return 0;
}

int nb_delete_parse_args(int argc, char *const argv[], struct nb_delete_args *ret, struct nb_error *err)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	*ret = (struct nb_delete_args){ 0 };
	opterr = 0;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "fh", opts, NULL)) != -1) {
		if (opt == 'f')
			ret->force = true;
		else if (opt == 'h') {
			ret->help = true;
			return 0;
		} else
			return nb_error_usage(err, "delete: unknown option '%s'", argv[optind - 1]);
	}
	if (argc - optind != 1)
		return nb_error_usage(err, "delete: expected one container id");
	ret->id = argv[optind];
	return 0;
}

/* --format's value into *JSON: false (table) or true; -EINVAL if neither. */
static int parse_format(const char *arg, bool *json)
{
	if (!nb_streq(arg, "json") && !nb_streq(arg, "table"))
		return -EINVAL;
	*json = nb_streq(arg, "json");
	return 0;
}

int nb_ps_parse_args(int argc, char *const argv[], struct nb_ps_args *ret, struct nb_error *err)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	*ret = (struct nb_ps_args){ 0 };
	opterr = 0;
	optind = 0;
	/* "+": what follows the id is ps(1)'s, as runc's (ignored). */
	while ((opt = getopt_long(argc, argv, "+f:h", opts, NULL)) != -1) {
		if (opt == 'f' && parse_format(optarg, &ret->json) == 0)
			continue;
		if (opt == 'h') {
			ret->help = true;
			return 0;
		}
		return nb_error_usage(err, "ps: bad option '%s'", argv[optind - 1]);
	}
	if (argc - optind < 1)
		return nb_error_usage(err, "ps: expected a container id");
	ret->id = argv[optind];
	return 0;
}

int nb_list_parse_args(int argc, char *const argv[], struct nb_list_args *ret, struct nb_error *err)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' }, { "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	int opt;

	*ret = (struct nb_list_args){ 0 };
	opterr = 0;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "f:qh", opts, NULL)) != -1) {
		if (opt == 'f' && parse_format(optarg, &ret->json) == 0)
			continue;
		if (opt == 'q') {
			ret->quiet = true;
			continue;
		}
		if (opt == 'h') {
			ret->help = true;
			return 0;
		}
		return nb_error_usage(err, "list: bad option '%s'", argv[optind - 1]);
	}
	return 0;
}

int nb_events_parse_args(int argc, char *const argv[], struct nb_events_args *ret, struct nb_error *err)
{
	static const struct option opts[] = {
		{ "stats", no_argument, NULL, 's' }, { "interval", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	int opt;

	*ret = (struct nb_events_args){ .interval_ns = 5000000000ull };
	opterr = 0;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (opt == 's')
			ret->stats = true;
		else if (opt == 'i' && (nb_parse_duration(optarg, &ret->interval_ns) < 0 ||
					ret->interval_ns < 1000000))
			return nb_error_usage(err, "events: --interval '%s': expected a duration of 1ms or "
					      "more (5s, 500ms)", optarg);
		else if (opt == 'h') {
			ret->help = true;
			return 0;
		} else if (opt != 'i')
			return nb_error_usage(err, "events: bad option '%s'", argv[optind - 1]);
	}
	if (argc - optind != 1)
		return nb_error_usage(err, "events: expected one container id");
	ret->id = argv[optind];
	return 0;
}

int nb_spec_parse_args(int argc, char *const argv[], struct nb_spec_args *ret, struct nb_error *err)
{
	static const struct option opts[] = {
		{ "rootless", no_argument, NULL, 'r' }, { "bundle", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	int opt;

	*ret = (struct nb_spec_args){ .bundle = "." };
	opterr = 0;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "b:h", opts, NULL)) != -1) {
		if (opt == 'r')
			ret->rootless = true;
		else if (opt == 'b')
			ret->bundle = optarg;
		else if (opt == 'h') {
			ret->help = true;
			return 0;
		} else
			return nb_error_usage(err, "spec: unknown option '%s'", argv[optind - 1]);
	}
	return 0;
}
