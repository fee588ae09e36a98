/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "spec/run_args.h"
#include "base/cleanup.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char nb_run_usage[] =
"Usage: nsbox run [OPTIONS] [--] COMMAND [ARG...]\n"
"\n"
"Run COMMAND in new pid, mount, uts, ipc, net and cgroup namespaces (and a user\n"
"namespace when not root), on a read-only view of the host or on --rootfs.\n"
"\n"
"Namespaces:\n"
"      --userns                 new user namespace (default when not root)\n"
"      --time-ns                new time namespace\n"
"      --share TYPE[,TYPE...]   keep the caller's namespaces of these types\n"
"                               (user pid mnt uts ipc net cgroup time)\n"
"      --join TYPE:PATH         setns() into the namespace file PATH\n"
"      --netns NAME             join the network namespace /run/netns/NAME\n"
"Identity:\n"
"      --map-users IN:OUT:N     map uids IN..IN+N-1 to OUT..OUT+N-1 (repeatable)\n"
"      --map-groups IN:OUT:N    map gids likewise (repeatable)\n"
"      --uid N, --gid N         user and group inside the sandbox\n"
"      --groups G[,G...]        supplementary groups inside the sandbox\n"
"Filesystem:\n"
"      --rootfs DIR             use DIR as the root (default: host / read-only)\n"
"      --bind SRC:DST[:ro]      bind-mount SRC at DST (repeatable, in order)\n"
"      --tmpfs DST[:size=N]     mount a tmpfs at DST (repeatable)\n"
"      --ro                     make the root read-only\n"
"      --workdir DIR            working directory inside (default /)\n"
"      --propagation MODE       private (default), slave or shared\n"
"Process:\n"
"      --hostname NAME          hostname inside (default: a short random id)\n"
"      --env K=V                set an environment variable (repeatable)\n"
"      --clearenv               start from an empty environment\n"
"  -t, --tty                    run the command on a new pseudo-terminal\n"
"      --no-init                run COMMAND as PID 1, without nsbox's init\n"
"      --name NAME              register the sandbox as NAME, so that exec, kill,\n"
"                               ps, list, state and delete find it\n"
"      --detach                 with --name: start it and return at once\n"
"  -h, --help                   show this help\n"
"\n"
"Exit status: COMMAND's, 128+N if it died of signal N, 125 if nsbox failed,\n"
"126 if COMMAND cannot run, 127 if it was not found.\n";

enum {
	OPT_USERNS = 256, OPT_TIMENS, OPT_SHARE, OPT_JOIN, OPT_NETNS, OPT_MAP_USERS,
	OPT_MAP_GROUPS, OPT_UID, OPT_GID, OPT_GROUPS, OPT_ROOTFS, OPT_BIND, OPT_TMPFS,
	OPT_RO, OPT_WORKDIR, OPT_PROPAGATION, OPT_HOSTNAME, OPT_ENV, OPT_CLEARENV,
	OPT_NO_INIT, OPT_NAME, OPT_DETACH,
};

static const struct option run_options[] = {
	{ "userns", no_argument, NULL, OPT_USERNS },
	{ "time-ns", no_argument, NULL, OPT_TIMENS },
	{ "share", required_argument, NULL, OPT_SHARE },
	{ "join", required_argument, NULL, OPT_JOIN },
	{ "netns", required_argument, NULL, OPT_NETNS },
	{ "map-users", required_argument, NULL, OPT_MAP_USERS },
	{ "map-groups", required_argument, NULL, OPT_MAP_GROUPS },
	{ "uid", required_argument, NULL, OPT_UID },
	{ "gid", required_argument, NULL, OPT_GID },
	{ "groups", required_argument, NULL, OPT_GROUPS },
	{ "rootfs", required_argument, NULL, OPT_ROOTFS },
	{ "bind", required_argument, NULL, OPT_BIND },
	{ "tmpfs", required_argument, NULL, OPT_TMPFS },
	{ "ro", no_argument, NULL, OPT_RO },
	{ "workdir", required_argument, NULL, OPT_WORKDIR },
	{ "propagation", required_argument, NULL, OPT_PROPAGATION },
	{ "hostname", required_argument, NULL, OPT_HOSTNAME },
	{ "env", required_argument, NULL, OPT_ENV },
	{ "clearenv", no_argument, NULL, OPT_CLEARENV },
	{ "tty", no_argument, NULL, 't' },
	{ "no-init", no_argument, NULL, OPT_NO_INIT },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "detach", no_argument, NULL, OPT_DETACH },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int set_string(char **field, const char *value, struct nb_error *err)
{
	char *copy = strdup(value);

	if (!copy)
		return nb_error_set(err, ENOMEM, "out of memory");
	free(*field);
	*field = copy;
	return 0;
}

static int parse_share(struct nb_config *cfg, const char *list, struct nb_error *err)
{
	_cleanup_free_ char *buf = strdup(list);
	char *save = NULL;
	bool any = false;

	if (!buf)
		return nb_error_set(err, ENOMEM, "out of memory");
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		enum nb_ns_type type;

		if (nb_ns_from_name(t, &type) < 0)
			return nb_error_usage(err, "--share '%s': unknown namespace type '%s' "
					      "(user pid mnt uts ipc net cgroup time)", list, t);
		if (cfg->ns[type].mode == NB_NS_JOIN)
			return nb_error_usage(err, "--share %s: the %s namespace is also joined", t, t);
		cfg->ns[type].mode = NB_NS_SHARE;
		cfg->ns[type].path = NULL;
		if (type == NB_NS_USER)
			cfg->share_user = true;
		any = true;
	}
	if (!any)
		return nb_error_usage(err, "--share: expected TYPE[,TYPE...]");
	return 0;
}

static int set_join(struct nb_config *cfg, enum nb_ns_type type, const char *path,
		    const char *flag, struct nb_error *err)
{
	if (path[0] == '\0')
		return nb_error_usage(err, "%s: empty namespace path", flag);
	if (cfg->ns[type].mode == NB_NS_JOIN)
		return nb_error_usage(err, "%s: the %s namespace is joined twice", flag, nb_ns_name(type));
	cfg->ns[type].mode = NB_NS_JOIN;
	return set_string(&cfg->ns[type].path, path, err);
}

static int parse_join(struct nb_config *cfg, const char *arg, struct nb_error *err)
{
	_cleanup_free_ char *buf = strdup(arg);
	enum nb_ns_type type;
	char *colon;

	if (!buf)
		return nb_error_set(err, ENOMEM, "out of memory");
	colon = strchr(buf, ':');
	if (!colon)
		return nb_error_usage(err, "--join '%s': expected TYPE:PATH", arg);
	*colon = '\0';
	if (nb_ns_from_name(buf, &type) < 0)
		return nb_error_usage(err, "--join '%s': unknown namespace type '%s' "
				      "(user pid mnt uts ipc net cgroup time)", arg, buf);
	return set_join(cfg, type, colon + 1, "--join", err);
}

static int parse_netns(struct nb_config *cfg, const char *name, struct nb_error *err)
{
	char path[300];

	if (name[0] == '\0' || strchr(name, '/') || nb_streq(name, ".") || nb_streq(name, "..") ||
	    strlen(name) > 255)
		return nb_error_usage(err, "--netns '%s': not a valid namespace name", name);
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	return set_join(cfg, NB_NS_NET, path, "--netns", err);
}

static int parse_id(const char *flag, const char *text, uint32_t *ret, struct nb_error *err)
{
	if (nb_parse_u32(text, ret) < 0 || *ret == UINT32_MAX)
		return nb_error_usage(err, "%s '%s': expected a number from 0 to 4294967294", flag, text);
	return 0;
}

static int parse_groups(struct nb_config *cfg, const char *list, struct nb_error *err)
{
	_cleanup_free_ char *buf = strdup(list);
	char *save = NULL;

	if (!buf)
		return nb_error_set(err, ENOMEM, "out of memory");
	free(cfg->groups);
	cfg->groups = NULL;
	cfg->n_groups = 0;
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		gid_t *groups;
		uint32_t g;
		int r = parse_id("--groups", t, &g, err);

		if (r < 0)
			return r;
		if (cfg->n_groups >= 65536)
			return nb_error_usage(err, "--groups: more than 65536 groups");
		groups = realloc(cfg->groups, (cfg->n_groups + 1) * sizeof(*groups));
		if (!groups)
			return nb_error_set(err, ENOMEM, "out of memory");
		cfg->groups = groups;
		cfg->groups[cfg->n_groups++] = g;
	}
	cfg->set_groups = true;
	return 0;
}

static int parse_propagation(struct nb_config *cfg, const char *mode, struct nb_error *err)
{
	if (nb_streq(mode, "private"))
		cfg->propagation = NB_PROPAGATION_PRIVATE;
	else if (nb_streq(mode, "slave"))
		cfg->propagation = NB_PROPAGATION_SLAVE;
	else if (nb_streq(mode, "shared"))
		cfg->propagation = NB_PROPAGATION_SHARED;
	else
		return nb_error_usage(err, "--propagation '%s': expected private, slave or shared", mode);
	return 0;
}

static int parse_hostname(struct nb_config *cfg, const char *name, struct nb_error *err)
{
	size_t len = strlen(name);

	/* HOST_NAME_MAX is 64 on Linux. */
	if (len == 0 || len > 64)
		return nb_error_usage(err, "--hostname '%s': must be 1 to 64 characters", name);
	return set_string(&cfg->hostname, name, err);
}

static int add_mount(struct nb_config *cfg, int opt, const char *arg, struct nb_error *err)
{
	struct nb_mount m;
	int r = opt == OPT_BIND ? nb_mount_parse_bind(arg, &m, err) : nb_mount_parse_tmpfs(arg, &m, err);

	if (r < 0)
		return r;
	r = nb_config_add_mount(cfg, &m, err);
	nb_mount_clear(&m);
	return r;
}

static int parse_one(struct nb_config *cfg, int opt, const char *arg, struct nb_strv *env_sets,
		     struct nb_error *err)
{
	uint32_t id;
	int r;

	switch (opt) {
	case OPT_USERNS: cfg->ns[NB_NS_USER].mode = NB_NS_NEW; return 0;
	case OPT_TIMENS: cfg->ns[NB_NS_TIME].mode = NB_NS_NEW; return 0;
	case OPT_SHARE: return parse_share(cfg, arg, err);
	case OPT_JOIN: return parse_join(cfg, arg, err);
	case OPT_NETNS: return parse_netns(cfg, arg, err);
	case OPT_MAP_USERS: return nb_idmap_add(&cfg->uid_map, arg, "--map-users", err);
	case OPT_MAP_GROUPS: return nb_idmap_add(&cfg->gid_map, arg, "--map-groups", err);
	case OPT_UID:
		r = parse_id("--uid", arg, &id, err);
		cfg->uid = id;
		cfg->set_uid = true;
		return r;
	case OPT_GID:
		r = parse_id("--gid", arg, &id, err);
		cfg->gid = id;
		cfg->set_gid = true;
		return r;
	case OPT_GROUPS: return parse_groups(cfg, arg, err);
	case OPT_ROOTFS:
		if (arg[0] == '\0')
			return nb_error_usage(err, "--rootfs: empty path");
		return set_string(&cfg->rootfs, arg, err);
	case OPT_BIND: case OPT_TMPFS: return add_mount(cfg, opt, arg, err);
	case OPT_RO: cfg->root_readonly = true; return 0;
	case OPT_WORKDIR:
		if (arg[0] != '/')
			return nb_error_usage(err, "--workdir '%s': must be an absolute path", arg);
		return set_string(&cfg->cwd, arg, err);
	case OPT_PROPAGATION: return parse_propagation(cfg, arg, err);
	case OPT_HOSTNAME: return parse_hostname(cfg, arg, err);
	case OPT_ENV:
		if (!strchr(arg, '=') || arg[0] == '=')
			return nb_error_usage(err, "--env '%s': expected KEY=VALUE", arg);
		return nb_strv_push(env_sets, arg) < 0 ? nb_error_set(err, ENOMEM, "out of memory") : 0;
	case OPT_CLEARENV: cfg->clearenv = true; return 0;
	case 't': cfg->tty = true; return 0;
	case OPT_NO_INIT: cfg->init = false; return 0;
	default: return nb_error_usage(err, "internal: unhandled option %d", opt);
	}
}

static int build_env(struct nb_config *cfg, char *const environ_[], const struct nb_strv *sets,
		     struct nb_error *err)
{
	if (!cfg->clearenv)
		for (size_t i = 0; environ_ && environ_[i]; i++)
			if (nb_strv_push(&cfg->env, environ_[i]) < 0)
				return nb_error_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < sets->len; i++)
		if (nb_strv_setenv(&cfg->env, sets->items[i]) < 0)
			return nb_error_set(err, ENOMEM, "out of memory");
	return 0;
}

static const struct option *find_option(int val)
{
	for (const struct option *o = run_options; o->name; o++)
		if (val != 0 && o->val == val)
			return o;
	return NULL;
}

static int parse_options(int argc, char *const argv[], struct nb_config *cfg,
			 struct nb_run_args *out, struct nb_strv *env_sets, struct nb_error *err)
{
	int opt;

	opterr = 0;
	/* 0, not 1: glibc then resets its private state too (the position inside
	 * a cluster like "-ht"), which would otherwise point into an earlier argv. */
	optind = 0;
	/* "+": stop at the first non-option, so COMMAND's own options stay its own. */
	while ((opt = getopt_long(argc, argv, "+th", run_options, NULL)) != -1) {
		int r;

		if (opt == 'h') {
			out->help = true;
			return 0;
		}
		if (opt == '?') {
			/* getopt sets optopt to a long option's value when its value is
			 * missing or it was given one it does not take ("--tty=1"), and to
			 * 0 (long) or the letter (short) when the option is unknown. No
			 * short option takes a value, so their letters are never ambiguous. */
			const struct option *o = find_option(optopt);

			if (o)
				return nb_error_usage(err, o->has_arg == required_argument ?
						      "option '--%s' needs a value" :
						      "option '--%s' takes no value", o->name);
			if (optopt)
				return nb_error_usage(err, "unknown option '-%c'", optopt);
			return nb_error_usage(err, "unknown option '%s'", argv[optind - 1]);
		}
		if (opt == OPT_NAME) {
			out->name = optarg;
			continue;
		}
		if (opt == OPT_DETACH) {
			out->detach = true;
			continue;
		}
		r = parse_one(cfg, opt, optarg, env_sets, err);
		if (r < 0)
			return r;
	}
	if (out->detach && !out->name)
		return nb_error_usage(err, "--detach needs --name, to find the sandbox again");
	if (out->detach && cfg->tty)
		return nb_error_usage(err, "--detach and --tty: no one would relay the terminal");
	/* A detached sandbox outlives this nsbox: `nsbox kill/delete NAME` ends it. */
	if (out->detach)
		cfg->pdeathsig = false;
	return 0;
}

int nb_run_parse_args(int argc, char *const argv[], char *const environ_[],
		      const struct nb_host *host, struct nb_config *cfg,
		      struct nb_run_args *out, struct nb_error *err)
{
	struct nb_strv env_sets = { 0 };
	int r;

	*out = (struct nb_run_args){ 0 };
	r = parse_options(argc, argv, cfg, out, &env_sets, err);
	if (r < 0 || out->help)
		goto done;
	for (int i = optind; i < argc; i++) {
		if (nb_strv_push(&cfg->args, argv[i]) < 0) {
			r = nb_error_set(err, ENOMEM, "out of memory");
			goto done;
		}
	}
	r = build_env(cfg, environ_, &env_sets, err);
	if (r < 0)
		goto done;
	if (cfg->ns[NB_NS_MNT].mode == NB_NS_NEW) {
		r = nb_config_add_default_mounts(cfg, err);
		if (r < 0)
			goto done;
	}
	if (!cfg->hostname && cfg->ns[NB_NS_UTS].mode == NB_NS_NEW && host->hostname[0]) {
		r = set_string(&cfg->hostname, host->hostname, err);
		if (r < 0)
			goto done;
	}
	r = nb_config_finalize(cfg, host, err);
done:
	nb_strv_free(&env_sets);
	return r;
}
