/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "spec/run_args.h"
#include "spec/run_security.h"
#include "spec/run_limits.h"
#include "spec/judge_args.h"
#include "spec/profile.h"
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
"Network:\n"
"      --net MODE               none (default: lo only), host, ns:PATH, netns:NAME,\n"
"                               container:ID, bridge[:NAME] (a veth on the bridge\n"
"                               NAME, default nsbox0), pasta or slirp4netns\n"
"                               (rootless)\n"
"  -p, --publish [HOST_ADDR:]HOST_PORT:PORT[/tcp|/udp]\n"
"                               forward a host port to PORT inside (repeatable)\n"
"      --subnet CIDR            bridge: the network's subnet, when it is made\n"
"      --ip ADDR                bridge: ask for this address\n"
"      --nat                    bridge: masquerade the sandbox's traffic to the\n"
"                               outside (turns on ip_forward while needed)\n"
"Identity:\n"
"      --map-users IN:OUT:N     map uids IN..IN+N-1 to OUT..OUT+N-1 (repeatable)\n"
"      --map-groups IN:OUT:N    map gids likewise (repeatable)\n"
"      --uid N, --gid N         user and group inside the sandbox\n"
"      --groups G[,G...]        supplementary groups inside the sandbox\n"
"Filesystem:\n"
"      --rootfs DIR             use DIR as the root (default: host / read-only)\n"
"      --bind SRC:DST[:ro]      bind-mount SRC at DST (repeatable, in order)\n"
"      --tmpfs DST[:OPT,...]    mount a tmpfs at DST; OPT: size=N, nr_inodes=N,\n"
"                               mode=OCTAL (repeatable)\n"
"      --ro                     make the root read-only\n"
"      --workdir DIR            working directory inside (default /)\n"
"      --propagation MODE       private (default), slave or shared\n"
"Process:\n"
"      --hostname NAME          hostname inside (default: a short random id)\n"
"      --env K=V                set an environment variable (repeatable)\n"
"      --clearenv               start from an empty environment\n"
"  -t, --tty                    run the command on a new pseudo-terminal\n"
"      --no-init                run COMMAND as PID 1, without nsbox's init\n"
"Security (on by default; these relax it):\n"
"      --cap-add CAP            add a capability, or ALL (repeatable)\n"
"      --cap-drop CAP           drop a capability, or ALL (repeatable)\n"
"      --seccomp FILE           an OCI seccomp profile instead of the default one,\n"
"                               or 'unconfined' for none\n"
"      --allow-new-privs        no no_new_privs: setuid programs may gain privileges\n"
"      --allow-suid             host mounts keep their setuid bits (no nosuid)\n"
"      --allow-devices          host mounts keep their device nodes (no nodev)\n"
"      --unmask PATH            do not mask PATH in /proc or /sys, or ALL (repeatable)\n"
"Limits (cgroups; SIZE: 512k, 64m, 2g...):\n"
"      --memory SIZE            memory limit (swap off unless --memory-swap)\n"
"      --memory-swap SIZE       memory plus swap limit, or -1 for unlimited swap\n"
"      --cpus N                 CPU time, in CPUs (1.5: 150 ms per 100 ms)\n"
"      --cpu-weight N           CPU weight against other cgroups, 1 to 10000\n"
"      --cpuset-cpus LIST       CPUs the sandbox may run on (0-3,8)\n"
"      --cpuset-mems LIST       memory nodes the sandbox may use\n"
"      --pids N                 most processes and threads at once\n"
"      --io-weight N            block I/O weight, 1 to 10000\n"
"      --cgroup-parent PATH     make the sandbox's cgroup under PATH\n"
"Judging (exact limits and a report for untrusted programs):\n"
"      --time-limit SEC         CPU time of the whole sandbox (0.5, 250ms...)\n"
"      --wall-time-limit SEC    wall-clock time from the command's start\n"
"      --extra-time SEC         grace after a time limit before the kill\n"
"      --fsize SIZE             largest file the command may write\n"
"      --nofile N               most open files per process\n"
"      --stack SIZE             stack size, or unlimited\n"
"      --core SIZE              core dump size (default 0), or unlimited\n"
"      --as SIZE                address space per process, or unlimited\n"
"      --stdin FILE             the command's stdin, opened by nsbox\n"
"      --stdout FILE            its stdout (created or truncated)\n"
"      --stderr FILE            its stderr (created or truncated)\n"
"      --stderr-to-stdout       stderr where stdout goes\n"
"      --output-limit SIZE      most bytes written to stdout and stderr together\n"
"      --inherit-fd N           pass fd N to the command (repeatable)\n"
"      --report FILE            write the verdict and figures as JSON\n"
"      --meta FILE              the same in isolate's meta-file format\n"
"Profiles (nsbox-run(1) lists their settings):\n"
"      --profile NAME           judge (no network, one process, hidepid /proc,\n"
"                               nosuid,nodev mounts, small /tmp, /dev/shm and\n"
"                               limits), ci (network, 4096 pids, 4g) or service\n"
"                               (network, 16384 pids, no time limit, an init);\n"
"                               set where it stands: a later option overrides\n"
"                               it, an earlier one is overridden only where the\n"
"                               profile sets the same thing\n"
"      --print-config           print the plan as JSON and exit, creating nothing\n"
"Registration:\n"
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
	OPT_NO_INIT, OPT_NAME, OPT_DETACH, OPT_CAP_ADD, OPT_CAP_DROP, OPT_SECCOMP,
	OPT_ALLOW_NEW_PRIVS, OPT_ALLOW_SUID, OPT_ALLOW_DEVICES, OPT_UNMASK,
	OPT_MEMORY, OPT_MEMORY_SWAP, OPT_CPUS, OPT_CPU_WEIGHT, OPT_CPUSET_CPUS, OPT_CPUSET_MEMS,
	OPT_PIDS, OPT_IO_WEIGHT, OPT_CGROUP_PARENT,
	OPT_NET, OPT_SUBNET, OPT_IP, OPT_NAT,
	OPT_TIME_LIMIT, OPT_WALL_TIME_LIMIT, OPT_EXTRA_TIME, OPT_FSIZE, OPT_NOFILE, OPT_STACK,
	OPT_CORE, OPT_AS, OPT_STDIN, OPT_STDOUT, OPT_STDERR, OPT_STDERR_TO_STDOUT, OPT_OUTPUT_LIMIT,
	OPT_INHERIT_FD, OPT_REPORT, OPT_META, OPT_PROFILE, OPT_PRINT_CONFIG,
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
	{ "cap-add", required_argument, NULL, OPT_CAP_ADD },
	{ "cap-drop", required_argument, NULL, OPT_CAP_DROP },
	{ "seccomp", required_argument, NULL, OPT_SECCOMP },
	{ "allow-new-privs", no_argument, NULL, OPT_ALLOW_NEW_PRIVS },
	{ "allow-suid", no_argument, NULL, OPT_ALLOW_SUID },
	{ "allow-devices", no_argument, NULL, OPT_ALLOW_DEVICES },
	{ "unmask", required_argument, NULL, OPT_UNMASK },
	{ "memory", required_argument, NULL, OPT_MEMORY },
	{ "memory-swap", required_argument, NULL, OPT_MEMORY_SWAP },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "cpu-weight", required_argument, NULL, OPT_CPU_WEIGHT },
	{ "cpuset-cpus", required_argument, NULL, OPT_CPUSET_CPUS },
	{ "cpuset-mems", required_argument, NULL, OPT_CPUSET_MEMS },
	{ "pids", required_argument, NULL, OPT_PIDS },
	{ "io-weight", required_argument, NULL, OPT_IO_WEIGHT },
	{ "cgroup-parent", required_argument, NULL, OPT_CGROUP_PARENT },
	{ "net", required_argument, NULL, OPT_NET },
	{ "publish", required_argument, NULL, 'p' },
	{ "subnet", required_argument, NULL, OPT_SUBNET },
	{ "ip", required_argument, NULL, OPT_IP },
	{ "nat", no_argument, NULL, OPT_NAT },
	{ "time-limit", required_argument, NULL, OPT_TIME_LIMIT },
	{ "wall-time-limit", required_argument, NULL, OPT_WALL_TIME_LIMIT },
	{ "extra-time", required_argument, NULL, OPT_EXTRA_TIME },
	{ "fsize", required_argument, NULL, OPT_FSIZE },
	{ "nofile", required_argument, NULL, OPT_NOFILE },
	{ "stack", required_argument, NULL, OPT_STACK },
	{ "core", required_argument, NULL, OPT_CORE },
	{ "as", required_argument, NULL, OPT_AS },
	{ "stdin", required_argument, NULL, OPT_STDIN },
	{ "stdout", required_argument, NULL, OPT_STDOUT },
	{ "stderr", required_argument, NULL, OPT_STDERR },
	{ "stderr-to-stdout", no_argument, NULL, OPT_STDERR_TO_STDOUT },
	{ "output-limit", required_argument, NULL, OPT_OUTPUT_LIMIT },
	{ "inherit-fd", required_argument, NULL, OPT_INHERIT_FD },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "meta", required_argument, NULL, OPT_META },
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "print-config", no_argument, NULL, OPT_PRINT_CONFIG },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The parser's state besides the plan and *OUT. */
struct run_parse {
	struct nb_strv env_sets;     /* --env, applied after the options */
	struct nb_run_security rs;
	struct nb_run_limits rl;
	const char *net_arg;         /* --net, or the profile's mode */
	struct nb_profile_state ps;  /* --profile */
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
		int r = nb_parse_id("--groups", t, &g, err);

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

/* --bind or --tmpfs; one at the destination of a profile's mount
 * replaces it. */
static int add_mount(struct nb_config *cfg, struct nb_profile_state *ps, int opt, const char *arg,
		     struct nb_error *err)
{
	struct nb_mount m;
	int r = opt == OPT_BIND ? nb_mount_parse_bind(arg, &m, err) : nb_mount_parse_tmpfs(arg, &m, err);

	if (r < 0)
		return r;
	nb_profile_note_mount(ps, cfg, m.dest);
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
		r = nb_parse_id("--uid", arg, &id, err);
		cfg->uid = id;
		cfg->set_uid = true;
		return r;
	case OPT_GID:
		r = nb_parse_id("--gid", arg, &id, err);
		cfg->gid = id;
		cfg->set_gid = true;
		return r;
	case OPT_GROUPS: return parse_groups(cfg, arg, err);
	case OPT_ROOTFS:
		if (arg[0] == '\0')
			return nb_error_usage(err, "--rootfs: empty path");
		return set_string(&cfg->rootfs, arg, err);
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

bool nb_run_option_takes_value(const char *arg)
{
	if (nb_streq(arg, "-p"))
		return true;
	if (strncmp(arg, "--", 2) != 0 || strchr(arg, '='))
		return false;
	for (const struct option *o = run_options; o->name; o++)
		if (nb_streq(arg + 2, o->name))
			return o->has_arg == required_argument;
	return false;
}

static bool is_oci_option(const char *arg)
{
	static const char *const opts[] = {
		"--bundle", "--pid-file", "--console-socket", "--preserve-fds", "--no-pivot",
		"--no-new-keyring", "--keep", NULL,
	};

	if (nb_streq(arg, "-b") || nb_streq(arg, "-d") || nb_startswith(arg, "-b"))
		return true;
	for (const char *const *o = opts; *o; o++) {
		size_t n = strlen(*o);

		if (strncmp(arg, *o, n) == 0 && (arg[n] == '\0' || arg[n] == '='))
			return true;
	}
	return false;
}

static bool oci_takes_value(const char *arg)
{
	return !strchr(arg, '=') && (nb_streq(arg, "--bundle") || nb_streq(arg, "-b") ||
		nb_streq(arg, "--pid-file") || nb_streq(arg, "--console-socket") ||
		nb_streq(arg, "--preserve-fds"));
}

enum nb_run_form nb_run_form(int argc, char *const argv[], int *ret_operand)
{
	bool oci = false, sandbox = false;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (nb_streq(argv[i], "--"))
			return oci && !sandbox ? NB_RUN_OCI : NB_RUN_SANDBOX;
		if (nb_streq(argv[i], "--bundle") || nb_streq(argv[i], "-b") ||
		    nb_startswith(argv[i], "--bundle=") || (nb_startswith(argv[i], "-b") && argv[i][1] == 'b'))
			return NB_RUN_OCI;
		if (is_oci_option(argv[i])) {
			oci = true;
			i += oci_takes_value(argv[i]);
		} else if (!nb_streq(argv[i], "--detach") && !nb_streq(argv[i], "-h") &&
			   !nb_streq(argv[i], "--help")) {
			sandbox = true;
			i += nb_run_option_takes_value(argv[i]);
		}
	}
	if (sandbox)
		return NB_RUN_SANDBOX;
	if (oci)
		return NB_RUN_OCI;
	if (i != argc - 1)
		return NB_RUN_SANDBOX;
	*ret_operand = i;
	return NB_RUN_OCI_IF_BUNDLE;
}

static const struct option *find_option(int val)
{
	for (const struct option *o = run_options; o->name; o++)
		if (val != 0 && o->val == val)
			return o;
	return NULL;
}

/* The options of run_security.h; 1 if OPT is not one of them. */
static int parse_security(struct nb_run_security *rs, int opt, const char *arg, struct nb_error *err)
{
	switch (opt) {
	case OPT_CAP_ADD: return nb_run_security_cap(rs, true, arg, err);
	case OPT_CAP_DROP: return nb_run_security_cap(rs, false, arg, err);
	case OPT_SECCOMP:
		if (arg[0] == '\0')
			return nb_error_usage(err, "--seccomp: expected a file or 'unconfined'");
		rs->seccomp = arg;
		return 0;
	case OPT_ALLOW_NEW_PRIVS: rs->allow_new_privs = true; return 0;
	case OPT_ALLOW_SUID: rs->allow_suid = true; return 0;
	case OPT_ALLOW_DEVICES: rs->allow_devices = true; return 0;
	case OPT_UNMASK: return nb_run_security_unmask(rs, arg, err);
	default: return 1;
	}
}

/* The options of run_limits.h; 1 if OPT is not one of them. */
static int parse_limits(struct run_parse *st, int opt, const char *arg, struct nb_error *err)
{
	const struct option *o = find_option(opt);

	if (!o || !nb_run_limits_is_option(o->name))
		return 1;
	if (opt == OPT_PIDS)
		nb_profile_note_pids(&st->ps);
	return nb_run_limits_parse(&st->rl, o->name, arg, err);
}

/* The options of spec/netspec.h; 1 if OPT is not one of them. --net
 * itself is kept in *NET_ARG for apply_net(), after every option. */
static int parse_net(struct nb_net_spec *net, int opt, const char *arg, struct run_parse *st,
		     struct nb_error *err)
{
	const char **net_arg = &st->net_arg;

	switch (opt) {
	case OPT_NET:
		nb_profile_note_net(&st->ps, net, net_arg);   /* a profile's mode: replaced */
		if (*net_arg)
			return nb_error_usage(err, "--net given twice ('%s' and '%s')", *net_arg, arg);
		*net_arg = arg;
		return nb_net_parse_mode(arg, net, err);
	case 'p': return nb_net_add_publish(net, arg, err);
	case OPT_SUBNET:
		net->has_subnet = true;
		return nb_cidr4_parse(arg, &net->subnet, "--subnet", err);
	case OPT_IP:
		if (nb_ip4_parse(arg, &net->ip) < 0 || net->ip == 0)
			return nb_error_usage(err, "--ip '%s': not an IPv4 address", arg);
		return 0;
	case OPT_NAT: net->nat = true; return 0;
	default: return 1;
	}
}

/* --net MODE: the net namespace it means. The other namespace options
 * (--share net, --join net:PATH, --netns) choose it too: not both. */
static int apply_net(struct nb_config *cfg, const char *net_arg, const char *name, const struct nb_host *host,
		     struct nb_error *err)
{
	struct nb_ns_spec *ns = &cfg->ns[NB_NS_NET];
	char path[4096];
	int r;

	if (net_arg && ns->mode != NB_NS_NEW)
		return nb_error_usage(err, "--net '%s': the network namespace is also %s (--share net, "
				      "--join net or --netns)", net_arg, ns->mode == NB_NS_JOIN ? "joined" : "shared");
	if (net_arg) {
		r = nb_net_ns_path(net_arg, &cfg->net, path, sizeof(path), err);
		if (r < 0)
			return r;
		if (cfg->net.mode == NB_NET_HOST)
			ns->mode = NB_NS_SHARE;
		else if (path[0])
			r = set_join(cfg, NB_NS_NET, path, "--net", err);
		else if (cfg->net.mode == NB_NET_CONTAINER)
			ns->mode = NB_NS_JOIN;   /* the path: the caller's, at run time */
		if (r < 0)
			return r;
	}
	if (name && cfg->net.mode == NB_NET_BRIDGE && set_string(&cfg->net.name, name, err) < 0)
		return -ENOMEM;
	return nb_net_check(&cfg->net, host->euid, err);
}

/* The options of judge_args.h; 1 if OPT is not one of them. */
static int parse_judge(struct nb_judge_plan *jp, int opt, const char *arg, struct nb_error *err)
{
	const struct option *o = find_option(opt);

	if (!o || !nb_judge_is_option(o->name, NULL))
		return 1;
	return nb_judge_parse(jp, o->name, arg, err);
}

/* The options that are none of the modules': the registration, the
 * profile, --print-config and the mounts; 1 if OPT is not one of them. */
static int parse_run(struct nb_config *cfg, struct nb_run_args *out, struct run_parse *st, int opt,
		     const char *arg, uid_t euid, struct nb_error *err)
{
	struct nb_profile_target t = { .cfg = cfg, .rs = &st->rs, .rl = &st->rl, .judge = &out->judge,
				       .net_arg = &st->net_arg, .euid = euid };

	switch (opt) {
	case OPT_NAME: out->name = arg; return 0;
	case OPT_DETACH: out->detach = true; return 0;
	case OPT_PRINT_CONFIG: out->print_config = true; return 0;
	case OPT_PROFILE: {
		int r = nb_profile_apply(&st->ps, arg, &t, err);

		out->profile = st->ps.name;   /* the table's: outlives argv */
		return r;
	}
	case OPT_BIND: case OPT_TMPFS: return add_mount(cfg, &st->ps, opt, arg, err);
	default: return 1;
	}
}

/* getopt's '?': which option was wrong, and how. */
static int bad_option(char *const argv[], struct nb_error *err)
{
	/* getopt sets optopt to a long option's value when its value is
	 * missing or it was given one it does not take ("--tty=1"), and to
	 * 0 (long) or the letter (short) when the option is unknown. The
	 * one short option with a value, -p, has the value 'p' too. */
	const struct option *o = find_option(optopt);

	if (o)
		return nb_error_usage(err, o->has_arg == required_argument ?
				      "option '--%s' needs a value" :
				      "option '--%s' takes no value", o->name);
	if (optopt)
		return nb_error_usage(err, "unknown option '-%c'", optopt);
	return nb_error_usage(err, "unknown option '%s'", argv[optind - 1]);
}

/* One option, by the first module that knows it. */
static int parse_any(struct nb_config *cfg, struct nb_run_args *out, struct run_parse *st, int opt,
		     uid_t euid, struct nb_error *err)
{
	int r = parse_run(cfg, out, st, opt, optarg, euid, err);

	if (r > 0)
		r = parse_net(&cfg->net, opt, optarg, st, err);
	if (r > 0)
		r = parse_judge(&out->judge, opt, optarg, err);
	if (r > 0)
		r = parse_limits(st, opt, optarg, err);
	if (r > 0)
		r = parse_security(&st->rs, opt, optarg, err);
	if (r > 0)
		r = parse_one(cfg, opt, optarg, &st->env_sets, err);
	return r;
}

static int parse_options(int argc, char *const argv[], struct nb_config *cfg,
			 struct nb_run_args *out, struct run_parse *st, uid_t euid, struct nb_error *err)
{
	int opt;

	opterr = 0;
	/* 0, not 1: glibc then resets its private state too (the position inside
	 * a cluster like "-ht"), which would otherwise point into an earlier argv. */
	optind = 0;
	/* "+": stop at the first non-option, so COMMAND's own options stay its own. */
	while ((opt = getopt_long(argc, argv, "+thp:", run_options, NULL)) != -1) {
		int r;

		if (opt == 'h') {
			out->help = true;
			return 0;
		}
		if (opt == '?')
			return bad_option(argv, err);
		r = parse_any(cfg, out, st, opt, euid, err);
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
	/* A later --share net, --join net or --netns chose the network: the
	 * profile's mode is forgotten. */
	if (cfg->ns[NB_NS_NET].mode != NB_NS_NEW)
		nb_profile_note_net(&st->ps, &cfg->net, &st->net_arg);
	return 0;
}

/* After the options: the command, its environment, the standard mounts,
 * the hostname, the modules' settings and the profile's last ones. */
static int complete(int argc, char *const argv[], char *const environ_[], const struct nb_host *host,
		    struct nb_config *cfg, struct nb_run_args *out, struct run_parse *st,
		    struct nb_error *err)
{
	int r;

	for (int i = optind; i < argc; i++)
		if (nb_strv_push(&cfg->args, argv[i]) < 0)
			return nb_error_set(err, ENOMEM, "out of memory");
	r = build_env(cfg, environ_, &st->env_sets, err);
	if (r >= 0 && cfg->ns[NB_NS_MNT].mode == NB_NS_NEW)
		r = nb_config_add_default_mounts(cfg, err);
	if (r >= 0 && !cfg->hostname && cfg->ns[NB_NS_UTS].mode == NB_NS_NEW && host->hostname[0])
		r = set_string(&cfg->hostname, host->hostname, err);
	if (r >= 0)
		r = nb_run_security_apply(&st->rs, cfg, err);
	if (r >= 0)
		r = nb_profile_finish(&st->ps, &st->rs, &st->rl, cfg, err);
	if (r >= 0)
		r = nb_run_limits_apply(&st->rl, cfg, err);
	if (r >= 0)
		r = nb_judge_apply(&out->judge, out->detach, cfg, err);
	if (r < 0)
		return r;
	if (st->rs.seccomp && !nb_streq(st->rs.seccomp, "unconfined"))
		out->seccomp_file = st->rs.seccomp;
	return nb_config_finalize(cfg, host, err);
}

int nb_run_parse_args(int argc, char *const argv[], char *const environ_[],
		      const struct nb_host *host, struct nb_config *cfg,
		      struct nb_run_args *out, struct nb_error *err)
{
	struct run_parse st = { 0 };
	int r;

	*out = (struct nb_run_args){ 0 };
	nb_judge_plan_init(&out->judge);
	nb_run_limits_init(&st.rl);
	r = parse_options(argc, argv, cfg, out, &st, host->euid, err);
	if (r >= 0 && !out->help)
		r = apply_net(cfg, st.net_arg, out->name, host, err);
	if (r >= 0 && !out->help)
		r = complete(argc, argv, environ_, host, cfg, out, &st, err);
	nb_run_security_free(&st.rs);
	nb_run_limits_free(&st.rl);
	nb_strv_free(&st.env_sets);
	return r;
}
