/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for spec/run_args.c: the `nsbox run` command line into a struct nb_config. */
#include "spec/run_args.h"
#include "tap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char env_home[] = "HOME=/home/u";
static char env_path[] = "PATH=/usr/bin:/bin";
static char env_term[] = "TERM=xterm";
static char *const fake_environ[] = { env_home, env_path, env_term, NULL };

static const struct nb_host host_root = { .euid = 0, .egid = 0, .hostname = "nb-1a2b3c" };
static const struct nb_host host_user = { .euid = 1000, .egid = 1001, .hostname = "nb-1a2b3c" };

/* One parse: its config, result and error. */
struct run {
	struct nb_config cfg;
	struct nb_run_args args;
	struct nb_error err;
	int r;
};

/* Parse "run" followed by LIST (NULL-terminated). The argv strings are
 * private copies freed before returning, so the config must own its data. */
static void parse(struct run *t, const struct nb_host *host, const char *const *list)
{
	char *argv[64];
	int argc = 0;

	argv[argc++] = strdup("run");
	for (; *list && argc < 63; list++)
		argv[argc++] = strdup(*list);
	argv[argc] = NULL;
	nb_config_init(&t->cfg);
	nb_error_clear(&t->err);
	memset(&t->args, 0xff, sizeof(t->args));
	t->r = nb_run_parse_args(argc, argv, fake_environ, host, &t->cfg, &t->args, &t->err);
	for (int i = 0; i < argc; i++)
		free(argv[i]);
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Expect success; report the message if not. */
static bool parse_ok(struct run *t, const struct nb_host *host, const char *const *list,
		     const char *name)
{
	parse(t, host, list);
	if (!tap_is_int(t->r, 0, "%s: parses", name)) {
		tap_diag("message: %s", t->err.msg);
		return false;
	}
	return true;
}

/* Expect a usage error with exactly MSG. */
static void parse_fails(const struct nb_host *host, const char *const *list, const char *msg,
			const char *name)
{
	struct run t;

	parse(&t, host, list);
	tap_is_int(t.r, -EINVAL, "%s: fails with -EINVAL", name);
	tap_is_str(t.err.msg, msg, "%s: message", name);
	tap_is_int(t.err.kind, NB_ERR_USAGE, "%s: usage error", name);
	nb_config_free(&t.cfg);
}

static void test_defaults_root(void)
{
	struct run t;
	char buf[64];

	if (!parse_ok(&t, &host_root, ARGS("/bin/true"), "root defaults"))
		return;
	tap_is_int(t.args.help, false, "root: help not set");
	tap_is_int(t.cfg.ns[NB_NS_USER].mode, NB_NS_SHARE, "root: no user namespace");
	tap_is_int(t.cfg.ns[NB_NS_PID].mode, NB_NS_NEW, "root: new pid namespace");
	tap_is_int(t.cfg.ns[NB_NS_MNT].mode, NB_NS_NEW, "root: new mnt namespace");
	tap_is_int(t.cfg.ns[NB_NS_UTS].mode, NB_NS_NEW, "root: new uts namespace");
	tap_is_int(t.cfg.ns[NB_NS_IPC].mode, NB_NS_NEW, "root: new ipc namespace");
	tap_is_int(t.cfg.ns[NB_NS_NET].mode, NB_NS_NEW, "root: new net namespace");
	tap_is_int(t.cfg.ns[NB_NS_CGROUP].mode, NB_NS_NEW, "root: new cgroup namespace");
	tap_is_int(t.cfg.ns[NB_NS_TIME].mode, NB_NS_SHARE, "root: no time namespace");
	tap_is_int((long long)t.cfg.uid_map.len, 0, "root: no uid map");
	tap_is_int((long long)t.cfg.gid_map.len, 0, "root: no gid map");
	tap_is_int(nb_idmap_format(&t.cfg.uid_map, buf, sizeof(buf)), 0, "root: uid map text empty");
	tap_ok(t.cfg.rootfs == NULL, "root: no rootfs (host /)");
	tap_is_int(t.cfg.root_readonly, true, "root: host / is read-only");
	tap_is_int(t.cfg.propagation, NB_PROPAGATION_PRIVATE, "root: propagation private");
	tap_is_int((long long)t.cfg.args.len, 1, "root: one argument");
	tap_is_str(t.cfg.args.items[0], "/bin/true", "root: the command");
	tap_ok(t.cfg.args.items[1] == NULL, "root: argv is NULL-terminated");
	tap_is_int((long long)t.cfg.env.len, 3, "root: environment inherited");
	tap_is_str(t.cfg.env.items[0], "HOME=/home/u", "root: env[0] kept in order");
	tap_is_str(nb_strv_getenv(&t.cfg.env, "TERM"), "xterm", "root: TERM inherited");
	tap_is_int(t.cfg.clearenv, false, "root: clearenv off");
	tap_ok(t.cfg.cwd == NULL, "root: no workdir");
	tap_is_str(t.cfg.hostname, "nb-1a2b3c", "root: default hostname from the host facts");
	tap_is_int(t.cfg.tty, false, "root: no tty");
	tap_is_int(t.cfg.init, true, "root: init on");
	tap_is_int(t.cfg.pdeathsig, true, "root: pdeathsig on");
	tap_is_int(t.cfg.set_uid || t.cfg.set_gid || t.cfg.set_groups, false, "root: no identity change");
	nb_config_free(&t.cfg);
}

static void test_defaults_user(void)
{
	struct run t;
	char buf[64];

	if (!parse_ok(&t, &host_user, ARGS("/bin/true"), "rootless defaults"))
		return;
	tap_is_int(t.cfg.ns[NB_NS_USER].mode, NB_NS_NEW, "rootless: new user namespace");
	tap_is_int(t.cfg.ns[NB_NS_PID].mode, NB_NS_NEW, "rootless: new pid namespace");
	tap_is_int(t.cfg.ns[NB_NS_NET].mode, NB_NS_NEW, "rootless: new net namespace");
	tap_is_int(nb_idmap_format(&t.cfg.uid_map, buf, sizeof(buf)), 9, "rootless: uid map length");
	tap_is_str(buf, "0 1000 1\n", "rootless: uid map is '0 <euid> 1'");
	tap_is_int(nb_idmap_format(&t.cfg.gid_map, buf, sizeof(buf)), 9, "rootless: gid map length");
	tap_is_str(buf, "0 1001 1\n", "rootless: gid map is '0 <egid> 1'");
	nb_config_free(&t.cfg);

	if (parse_ok(&t, &host_root, ARGS("--userns", "--time-ns", "true"), "root --userns --time-ns")) {
		tap_is_int(t.cfg.ns[NB_NS_USER].mode, NB_NS_NEW, "--userns: new user namespace as root");
		tap_is_int(t.cfg.ns[NB_NS_TIME].mode, NB_NS_NEW, "--time-ns: new time namespace");
		nb_idmap_format(&t.cfg.uid_map, buf, sizeof(buf));
		tap_is_str(buf, "0 0 1\n", "--userns as root: uid map '0 0 1'");
		nb_config_free(&t.cfg);
	}
}

static void test_namespaces(void)
{
	struct run t;

	if (parse_ok(&t, &host_root, ARGS("--share", "net,ipc", "true"), "--share net,ipc")) {
		tap_is_int(t.cfg.ns[NB_NS_NET].mode, NB_NS_SHARE, "--share net,ipc: net shared");
		tap_is_int(t.cfg.ns[NB_NS_IPC].mode, NB_NS_SHARE, "--share net,ipc: ipc shared");
		tap_is_int(t.cfg.ns[NB_NS_PID].mode, NB_NS_NEW, "--share net,ipc: pid still new");
		tap_is_int(t.cfg.ns[NB_NS_UTS].mode, NB_NS_NEW, "--share net,ipc: uts still new");
		nb_config_free(&t.cfg);
	}
	if (parse_ok(&t, &host_root, ARGS("--share", "mount", "--share", "pid", "true"),
		     "--share mount --share pid")) {
		tap_is_int(t.cfg.ns[NB_NS_MNT].mode, NB_NS_SHARE, "'mount' is an alias of mnt");
		tap_is_int(t.cfg.ns[NB_NS_PID].mode, NB_NS_SHARE, "repeated --share adds up");
		tap_is_int((long long)t.cfg.n_mounts, 0, "shared mnt: no default mounts");
		tap_is_int(t.cfg.root_readonly, false, "shared mnt: root not remounted");
		nb_config_free(&t.cfg);
	}
	parse_fails(&host_root, ARGS("--share", "bogus", "true"),
		    "--share 'bogus': unknown namespace type 'bogus' (user pid mnt uts ipc net cgroup time)",
		    "--share bogus");
	parse_fails(&host_root, ARGS("--share", "net,bogus", "true"),
		    "--share 'net,bogus': unknown namespace type 'bogus' (user pid mnt uts ipc net cgroup time)",
		    "--share net,bogus");
	parse_fails(&host_root, ARGS("--share", ",", "true"), "--share: expected TYPE[,TYPE...]",
		    "--share ','");

	if (parse_ok(&t, &host_root, ARGS("--join", "net:/x", "true"), "--join net:/x")) {
		tap_is_int(t.cfg.ns[NB_NS_NET].mode, NB_NS_JOIN, "--join net:/x: net mode JOIN");
		tap_is_str(t.cfg.ns[NB_NS_NET].path, "/x", "--join net:/x: path '/x'");
		tap_is_int(t.cfg.ns[NB_NS_IPC].mode, NB_NS_NEW, "--join net:/x: ipc still new");
		nb_config_free(&t.cfg);
	}
	if (parse_ok(&t, &host_root, ARGS("--join", "uts:/proc/1/ns/uts", "--join", "mount:/m:n", "true"),
		     "--join uts and mount")) {
		tap_is_int(t.cfg.ns[NB_NS_UTS].mode, NB_NS_JOIN, "--join uts: JOIN");
		tap_is_str(t.cfg.ns[NB_NS_UTS].path, "/proc/1/ns/uts", "--join uts: path");
		tap_ok(t.cfg.hostname == NULL, "joined uts: no default hostname");
		tap_is_int(t.cfg.ns[NB_NS_MNT].mode, NB_NS_JOIN, "--join mount: JOIN");
		tap_is_str(t.cfg.ns[NB_NS_MNT].path, "/m:n", "--join path keeps later colons");
		nb_config_free(&t.cfg);
	}
	parse_fails(&host_root, ARGS("--join", "net", "true"), "--join 'net': expected TYPE:PATH",
		    "--join without colon");
	parse_fails(&host_root, ARGS("--join", "net:", "true"), "--join: empty namespace path",
		    "--join with empty path");
	parse_fails(&host_root, ARGS("--join", "foo:/x", "true"),
		    "--join 'foo:/x': unknown namespace type 'foo' (user pid mnt uts ipc net cgroup time)",
		    "--join unknown type");
	parse_fails(&host_root, ARGS("--join", "net:/a", "--join", "net:/b", "true"),
		    "--join: the net namespace is joined twice", "--join net twice");
	parse_fails(&host_root, ARGS("--join", "net:/a", "--share", "net", "true"),
		    "--share net: the net namespace is also joined", "--join then --share of one type");

	if (parse_ok(&t, &host_root, ARGS("--netns", "foo", "true"), "--netns foo")) {
		tap_is_int(t.cfg.ns[NB_NS_NET].mode, NB_NS_JOIN, "--netns foo: net mode JOIN");
		tap_is_str(t.cfg.ns[NB_NS_NET].path, "/run/netns/foo", "--netns foo: /run/netns/foo");
		nb_config_free(&t.cfg);
	}
	parse_fails(&host_root, ARGS("--netns", "a/b", "true"),
		    "--netns 'a/b': not a valid namespace name", "--netns with a slash");
	parse_fails(&host_root, ARGS("--netns", "..", "true"),
		    "--netns '..': not a valid namespace name", "--netns '..'");
	parse_fails(&host_root, ARGS("--netns", "", "true"),
		    "--netns '': not a valid namespace name", "--netns ''");
	parse_fails(&host_root, ARGS("--netns", "foo", "--join", "net:/x", "true"),
		    "--join: the net namespace is joined twice", "--netns then --join net");
}

static void test_identity(void)
{
	struct run t;
	char buf[128];

	if (parse_ok(&t, &host_root, ARGS("--map-users", "0:100000:65536", "true"),
		     "root --map-users")) {
		tap_is_int(t.cfg.ns[NB_NS_USER].mode, NB_NS_NEW, "--map-users implies a user namespace");
		nb_idmap_format(&t.cfg.uid_map, buf, sizeof(buf));
		tap_is_str(buf, "0 100000 65536\n", "--map-users: uid map text");
		nb_idmap_format(&t.cfg.gid_map, buf, sizeof(buf));
		tap_is_str(buf, "0 0 1\n", "--map-users alone: default gid map");
		nb_config_free(&t.cfg);
	}
	if (parse_ok(&t, &host_user,
		     ARGS("--map-users", "0:1000:1", "--map-users", "1:100000:65536",
			  "--map-groups", "0:1001:1", "--uid", "1000", "--gid", "0", "true"),
		     "rootless with ranges and --uid")) {
		nb_idmap_format(&t.cfg.uid_map, buf, sizeof(buf));
		tap_is_str(buf, "0 1000 1\n1 100000 65536\n", "repeated --map-users in order");
		nb_idmap_format(&t.cfg.gid_map, buf, sizeof(buf));
		tap_is_str(buf, "0 1001 1\n", "--map-groups text");
		tap_is_int(t.cfg.set_uid, true, "--uid sets set_uid");
		tap_is_int(t.cfg.uid, 1000, "--uid 1000");
		tap_is_int(t.cfg.set_gid, true, "--gid sets set_gid");
		tap_is_int(t.cfg.gid, 0, "--gid 0");
		nb_config_free(&t.cfg);
	}
	parse_fails(&host_root, ARGS("--map-users", "0:100000:10", "--map-users", "5:200000:10", "true"),
		    "--map-users 5:200000:10: inside range overlaps 0:100000:10", "overlapping --map-users");
	parse_fails(&host_root, ARGS("--map-groups", "0:100:10", "--map-groups", "20:105:1", "true"),
		    "--map-groups 20:105:1: outside range overlaps 0:100:10", "overlapping --map-groups");
	parse_fails(&host_root, ARGS("--map-users", "0:1", "true"),
		    "--map-users '0:1': expected INSIDE:OUTSIDE:COUNT", "malformed --map-users");
	parse_fails(&host_user, ARGS("--uid", "5", "true"),
		    "--uid 5: not mapped in the user namespace (see --map-users)", "--uid not mapped");
	parse_fails(&host_user, ARGS("--gid", "5", "true"),
		    "--gid 5: not mapped in the user namespace (see --map-groups)", "--gid not mapped");
	parse_fails(&host_user, ARGS("--groups", "0,7", "true"),
		    "--groups 7: not mapped in the user namespace (see --map-groups)", "--groups not mapped");
	parse_fails(&host_root, ARGS("--uid", "abc", "true"),
		    "--uid 'abc': expected a number from 0 to 4294967294", "--uid abc");
	parse_fails(&host_root, ARGS("--uid", "4294967295", "true"),
		    "--uid '4294967295': expected a number from 0 to 4294967294", "--uid -1");
	parse_fails(&host_root, ARGS("--gid", "", "true"),
		    "--gid '': expected a number from 0 to 4294967294", "--gid ''");
	parse_fails(&host_root, ARGS("--join", "user:/proc/1/ns/user", "--map-users", "0:1000:1", "true"),
		    "--map-users and --map-groups need a new user namespace (user is joined)",
		    "--map-users with a joined user namespace");

	if (parse_ok(&t, &host_root, ARGS("--uid", "5", "--gid", "6", "true"), "root --uid --gid")) {
		tap_is_int(t.cfg.ns[NB_NS_USER].mode, NB_NS_SHARE, "root --uid: no user namespace");
		tap_is_int(t.cfg.uid, 5, "root --uid 5");
		tap_is_int(t.cfg.gid, 6, "root --gid 6");
		nb_config_free(&t.cfg);
	}
	if (parse_ok(&t, &host_root, ARGS("--groups", "10,20,30", "true"), "--groups 10,20,30")) {
		tap_is_int(t.cfg.set_groups, true, "--groups sets set_groups");
		tap_is_int((long long)t.cfg.n_groups, 3, "--groups: three groups");
		if (t.cfg.n_groups == 3) {
			tap_is_int(t.cfg.groups[0], 10, "--groups[0] 10");
			tap_is_int(t.cfg.groups[1], 20, "--groups[1] 20");
			tap_is_int(t.cfg.groups[2], 30, "--groups[2] 30");
		}
		nb_config_free(&t.cfg);
	}
	if (parse_ok(&t, &host_root, ARGS("--groups", "1,2", "--groups", "9", "true"),
		     "--groups given twice")) {
		tap_is_int((long long)t.cfg.n_groups, 1, "the last --groups wins");
		tap_is_int(t.cfg.groups[0], 9, "the last --groups value");
		nb_config_free(&t.cfg);
	}
	parse_fails(&host_root, ARGS("--groups", "1,x", "true"),
		    "--groups 'x': expected a number from 0 to 4294967294", "--groups 1,x");
}

static void test_filesystem(void)
{
	static const char *const dests[] = { "/proc", "/dev", "/dev/pts", "/tmp", "/sys",
					     "/mnt/a", "/scratch", "/mnt/b" };
	static const enum nb_mount_kind kinds[] = { NB_MOUNT_PROC, NB_MOUNT_DEV, NB_MOUNT_DEVPTS,
						    NB_MOUNT_TMPFS, NB_MOUNT_SYSFS, NB_MOUNT_BIND,
						    NB_MOUNT_TMPFS, NB_MOUNT_BIND };
	struct run t;

	if (parse_ok(&t, &host_root,
		     ARGS("--bind", "/a:/mnt/a", "--tmpfs", "/scratch:size=64m", "--bind", "/b:/mnt/b:ro",
			  "true"),
		     "mounts")) {
		tap_is_int((long long)t.cfg.n_mounts, 8, "five default mounts then three of ours");
		for (size_t i = 0; i < t.cfg.n_mounts && i < 8; i++) {
			tap_is_str(t.cfg.mounts[i].dest, dests[i], "mount %zu dest", i);
			tap_is_int(t.cfg.mounts[i].kind, kinds[i], "mount %zu kind", i);
		}
		if (t.cfg.n_mounts == 8) {
			tap_is_str(t.cfg.mounts[5].source, "/a", "first --bind source");
			tap_is_int(t.cfg.mounts[5].flags, NB_MNT_RECURSIVE, "first --bind read-write");
			tap_is_str(t.cfg.mounts[6].data, "mode=1777,size=67108864", "--tmpfs data");
			tap_is_int(t.cfg.mounts[7].flags, NB_MNT_RECURSIVE | NB_MNT_RDONLY,
				   "second --bind read-only");
			tap_is_int(t.cfg.mounts[4].flags & NB_MNT_RDONLY, NB_MNT_RDONLY, "/sys read-only");
			tap_is_str(t.cfg.mounts[2].data, "newinstance,ptmxmode=0666,mode=620",
				   "/dev/pts is a new devpts instance");
		}
		nb_config_free(&t.cfg);
	}
	parse_fails(&host_root, ARGS("--bind", "/a", "true"), "--bind '/a': expected SRC:DST[:ro]",
		    "bad --bind");
	parse_fails(&host_root, ARGS("--tmpfs", "/t:size=0", "true"),
		    "--tmpfs '/t:size=0': size must be a positive number of bytes, optionally with k, m or g",
		    "bad --tmpfs");
	parse_fails(&host_root, ARGS("--share", "mnt", "--bind", "/a:/b", "true"),
		    "mount '/b' needs a new mount namespace (mnt is shared)", "--bind with --share mnt");

	if (parse_ok(&t, &host_root, ARGS("--rootfs", "/srv/root", "--ro", "true"), "--rootfs --ro")) {
		tap_is_str(t.cfg.rootfs, "/srv/root", "--rootfs path");
		tap_is_int(t.cfg.root_readonly, true, "--ro sets root_readonly");
		tap_is_int((long long)t.cfg.n_mounts, 5, "--rootfs keeps the default mounts");
		nb_config_free(&t.cfg);
	}
	if (parse_ok(&t, &host_root, ARGS("--rootfs", "/srv/root", "true"), "--rootfs without --ro")) {
		tap_is_int(t.cfg.root_readonly, false, "--rootfs is writable without --ro");
		nb_config_free(&t.cfg);
	}
	parse_fails(&host_root, ARGS("--share", "mnt", "--rootfs", "/srv/root", "true"),
		    "--rootfs and --ro need a new mount namespace (mnt is shared)", "--rootfs with --share mnt");
	parse_fails(&host_root, ARGS("--join", "mnt:/proc/1/ns/mnt", "--ro", "true"),
		    "--rootfs and --ro need a new mount namespace (mnt is joined)", "--ro with joined mnt");
	parse_fails(&host_root, ARGS("--rootfs", "", "true"), "--rootfs: empty path", "--rootfs ''");

	if (parse_ok(&t, &host_root, ARGS("--workdir", "/srv", "true"), "--workdir /srv")) {
		tap_is_str(t.cfg.cwd, "/srv", "--workdir path");
		nb_config_free(&t.cfg);
	}
	parse_fails(&host_root, ARGS("--workdir", "srv", "true"),
		    "--workdir 'srv': must be an absolute path", "--workdir relative");

	if (parse_ok(&t, &host_root, ARGS("--propagation", "slave", "true"), "--propagation slave")) {
		tap_is_int(t.cfg.propagation, NB_PROPAGATION_SLAVE, "--propagation slave");
		nb_config_free(&t.cfg);
	}
	if (parse_ok(&t, &host_root, ARGS("--propagation", "shared", "true"), "--propagation shared")) {
		tap_is_int(t.cfg.propagation, NB_PROPAGATION_SHARED, "--propagation shared");
		nb_config_free(&t.cfg);
	}
	if (parse_ok(&t, &host_root, ARGS("--propagation", "shared", "--propagation", "private", "true"),
		     "--propagation private")) {
		tap_is_int(t.cfg.propagation, NB_PROPAGATION_PRIVATE, "--propagation private (last wins)");
		nb_config_free(&t.cfg);
	}
	parse_fails(&host_root, ARGS("--propagation", "rshared", "true"),
		    "--propagation 'rshared': expected private, slave or shared", "--propagation rshared");
}

static void test_process(void)
{
	char name64[65], name65[66], msg[160];
	struct run t;

	if (parse_ok(&t, &host_root, ARGS("--hostname", "box", "true"), "--hostname box")) {
		tap_is_str(t.cfg.hostname, "box", "--hostname overrides the default");
		nb_config_free(&t.cfg);
	}
	memset(name64, 'h', 64);
	name64[64] = '\0';
	if (parse_ok(&t, &host_root, ARGS("--hostname", name64, "true"), "--hostname of 64 chars")) {
		tap_is_str(t.cfg.hostname, name64, "64-char hostname kept");
		nb_config_free(&t.cfg);
	}
	memset(name65, 'h', 65);
	name65[65] = '\0';
	snprintf(msg, sizeof(msg), "--hostname '%s': must be 1 to 64 characters", name65);
	parse_fails(&host_root, ARGS("--hostname", name65, "true"), msg, "--hostname too long");
	parse_fails(&host_root, ARGS("--hostname", "", "true"),
		    "--hostname '': must be 1 to 64 characters", "--hostname empty");
	parse_fails(&host_root, ARGS("--share", "uts", "--hostname", "box", "true"),
		    "--hostname needs a new uts namespace (uts is shared)", "--hostname with --share uts");
	if (parse_ok(&t, &host_root, ARGS("--share", "uts", "true"), "--share uts")) {
		tap_ok(t.cfg.hostname == NULL, "shared uts: no default hostname");
		nb_config_free(&t.cfg);
	}

	if (parse_ok(&t, &host_root, ARGS("--env", "TERM=dumb", "--env", "NEW=1", "--env", "NEW=2",
					  "--env", "E=", "true"),
		     "--env")) {
		tap_is_int((long long)t.cfg.env.len, 5, "--env: 3 inherited + 2 new");
		tap_is_str(nb_strv_getenv(&t.cfg.env, "TERM"), "dumb", "--env TERM overrides environ");
		tap_is_str(t.cfg.env.items[2], "TERM=dumb", "overridden entry keeps its place");
		tap_is_str(nb_strv_getenv(&t.cfg.env, "NEW"), "2", "the last --env of a key wins");
		tap_is_str(nb_strv_getenv(&t.cfg.env, "E"), "", "--env E= sets an empty value");
		tap_is_str(nb_strv_getenv(&t.cfg.env, "HOME"), "/home/u", "other entries inherited");
		nb_config_free(&t.cfg);
	}
	if (parse_ok(&t, &host_root, ARGS("--clearenv", "--env", "A=b", "true"), "--clearenv")) {
		tap_is_int(t.cfg.clearenv, true, "--clearenv sets clearenv");
		tap_is_int((long long)t.cfg.env.len, 1, "--clearenv: only the --env entry");
		tap_is_str(t.cfg.env.items[0], "A=b", "--clearenv: env[0] A=b");
		tap_ok(nb_strv_getenv(&t.cfg.env, "HOME") == NULL, "--clearenv drops HOME");
		nb_config_free(&t.cfg);
	}
	parse_fails(&host_root, ARGS("--env", "NOVALUE", "true"), "--env 'NOVALUE': expected KEY=VALUE",
		    "--env without '='");
	parse_fails(&host_root, ARGS("--env", "=x", "true"), "--env '=x': expected KEY=VALUE",
		    "--env without key");

	if (parse_ok(&t, &host_root, ARGS("--tty", "--no-init", "true"), "--tty --no-init")) {
		tap_is_int(t.cfg.tty, true, "--tty sets tty");
		tap_is_int(t.cfg.init, false, "--no-init clears init");
		nb_config_free(&t.cfg);
	}
	if (parse_ok(&t, &host_root, ARGS("-t", "true"), "-t")) {
		tap_is_int(t.cfg.tty, true, "-t sets tty");
		tap_is_int(t.cfg.init, true, "-t keeps init");
		nb_config_free(&t.cfg);
	}
}

static void test_usage(void)
{
	struct run t;

	parse_fails(&host_root, ARGS("--bogus", "true"), "unknown option '--bogus'", "--bogus");
	parse_fails(&host_root, ARGS("--bogus=1", "true"), "unknown option '--bogus=1'", "--bogus=1");
	parse_fails(&host_root, ARGS("-x", "true"), "unknown option '-x'", "-x");
	parse_fails(&host_root, ARGS("--tty=yes", "true"), "option '--tty' takes no value",
		    "--tty=yes");
	parse_fails(&host_root, ARGS("--ro=1", "true"), "option '--ro' takes no value", "--ro=1");
	parse_fails(&host_root, ARGS("--help=x", "true"), "option '--help' takes no value", "--help=x");
	parse_fails(&host_root, ARGS("--bi"), "option '--bind' needs a value",
		    "abbreviated --bind without value");
	parse_fails(&host_root, ARGS("--bind"), "option '--bind' needs a value", "--bind without value");
	parse_fails(&host_root, ARGS("--uid"), "option '--uid' needs a value", "--uid without value");
	parse_fails(&host_root, ARGS(NULL), "no command given", "no arguments");
	parse_fails(&host_root, ARGS("--tty"), "no command given", "options but no command");
	parse_fails(&host_root, ARGS("--"), "no command given", "only '--'");

	parse(&t, &host_root, ARGS("--help"));
	tap_is_int(t.r, 0, "--help returns 0");
	tap_is_int(t.args.help, true, "--help sets help");
	nb_config_free(&t.cfg);
	parse(&t, &host_root, ARGS("--tty", "-h", "--bogus"));
	tap_is_int(t.r, 0, "-h returns 0 before later errors");
	tap_is_int(t.args.help, true, "-h sets help");
	nb_config_free(&t.cfg);
	tap_ok(nb_run_usage[0] != '\0' && strstr(nb_run_usage, "Usage: nsbox run") == nb_run_usage,
	       "the usage text starts with 'Usage: nsbox run'");
}

static void test_command(void)
{
	struct run t;

	if (parse_ok(&t, &host_root, ARGS("--tty", "--", "ls", "-l", "--color", "--", "x"), "after --")) {
		tap_is_int((long long)t.cfg.args.len, 5, "after --: five arguments");
		if (t.cfg.args.len == 5) {
			tap_is_str(t.cfg.args.items[0], "ls", "args[0] ls");
			tap_is_str(t.cfg.args.items[1], "-l", "args[1] -l kept verbatim");
			tap_is_str(t.cfg.args.items[2], "--color", "args[2] --color kept verbatim");
			tap_is_str(t.cfg.args.items[3], "--", "args[3] a second -- kept verbatim");
			tap_is_str(t.cfg.args.items[4], "x", "args[4] x");
		}
		tap_ok(t.cfg.args.items[t.cfg.args.len] == NULL, "args NULL-terminated");
		tap_is_int(t.cfg.tty, true, "options before -- still parsed");
		nb_config_free(&t.cfg);
	}
	if (parse_ok(&t, &host_root, ARGS("sh", "-c", "--tty"), "options after the command")) {
		tap_is_int((long long)t.cfg.args.len, 3, "the command's options stay its own");
		tap_is_str(t.cfg.args.items[2], "--tty", "args[2] --tty kept verbatim");
		tap_is_int(t.cfg.tty, false, "--tty after the command is not nsbox's");
		nb_config_free(&t.cfg);
	}
	if (parse_ok(&t, &host_root, ARGS("--", "--help"), "-- --help")) {
		tap_is_int(t.args.help, false, "--help after -- is the command's");
		tap_is_str(t.cfg.args.items[0], "--help", "command '--help' kept");
		nb_config_free(&t.cfg);
	}
}

/* getopt keeps state between calls: a parse that stops inside a cluster of
 * short options ("-ht", "-xt") must not leak into the next parse. */
static void test_reparse(void)
{
	struct run t;

	parse(&t, &host_root, ARGS("-ht", "true"));
	tap_is_int(t.args.help, true, "-ht sets help");
	nb_config_free(&t.cfg);
	if (parse_ok(&t, &host_root, ARGS("true"), "parse after -ht")) {
		tap_is_int(t.cfg.tty, false, "no tty leaks from the previous -ht");
		tap_is_int(t.args.help, false, "no help leaks from the previous -ht");
		nb_config_free(&t.cfg);
	}
	parse_fails(&host_root, ARGS("-xt", "true"), "unknown option '-x'", "-xt");
	if (parse_ok(&t, &host_root, ARGS("true"), "parse after -xt")) {
		tap_is_int(t.cfg.tty, false, "no tty leaks from the previous -xt");
		nb_config_free(&t.cfg);
	}
}

int main(void)
{
	test_defaults_root();
	test_defaults_user();
	test_namespaces();
	test_identity();
	test_filesystem();
	test_process();
	test_usage();
	test_command();
	test_reparse();
	return tap_done();
}
