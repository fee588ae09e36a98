/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for spec/run_args.c: the `nsbox run` command line into a struct nb_config. */
#include "spec/run_args.h"
#include "spec/run_security.h"
#include "spec/oci.h"
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
	/* Without --uid/--gid the identity is the namespace's root: it must be mapped. */
	parse_fails(&host_root, ARGS("--map-users", "1:200000:100", "--map-groups", "0:200000:100", "id"),
		    "uid 0 (the default; use --uid) is not mapped in the user namespace (see --map-users)",
		    "default uid 0 not mapped");
	parse_fails(&host_root, ARGS("--map-users", "0:200000:100", "--map-groups", "1:200000:100", "id"),
		    "gid 0 (the default; use --gid) is not mapped in the user namespace (see --map-groups)",
		    "default gid 0 not mapped");
	if (parse_ok(&t, &host_root, ARGS("--map-users", "1:200000:100", "--map-groups", "1:200000:100",
					  "--uid", "1", "--gid", "1", "id"), "unmapped 0 with --uid and --gid"))
		nb_config_free(&t.cfg);
}

/* exec --user UID[:GID] (spec/config.c). */
static void user_fails(const char *text)
{
	struct nb_config cfg;
	struct nb_error err = { 0 };
	char want[256];

	nb_config_init(&cfg);
	snprintf(want, sizeof(want), "--user '%s': expected UID[:GID], each a number from 0 to 4294967294",
		 text);
	tap_is_int(nb_parse_user("--user", text, &cfg, &err), -EINVAL, "--user '%s' refused", text);
	tap_is_str(err.msg, want, "--user '%s': message", text);
	tap_ok(!cfg.set_uid && !cfg.set_gid, "--user '%s': nothing set", text);
	nb_config_free(&cfg);
}

static void test_exec_user(void)
{
	struct nb_config cfg;
	struct nb_error err = { 0 };
	uint32_t id = 7;

	nb_config_init(&cfg);
	tap_is_int(nb_parse_user("--user", "1000", &cfg, &err), 0, "--user 1000");
	tap_ok(cfg.set_uid && cfg.uid == 1000 && !cfg.set_gid, "--user 1000: uid only");
	tap_is_int(nb_parse_user("--user", "0:4294967294", &cfg, &err), 0, "--user 0:4294967294");
	tap_ok(cfg.set_uid && cfg.uid == 0 && cfg.set_gid && cfg.gid == 4294967294u,
	       "--user 0:4294967294: both, the highest gid");
	nb_config_free(&cfg);
	/* (uid_t)-1 is "no change" to setresuid: it would run as the caller, root. */
	user_fails("4294967295");
	user_fails("0:4294967295");
	user_fails("4294967295:0");
	user_fails("4294967296");
	user_fails("-1");
	user_fails("nobody");
	user_fails("1:");
	user_fails(":1");
	user_fails("");
	user_fails("1:2:3");
	tap_is_int(nb_parse_id("--uid", "4294967295", &id, &err), -EINVAL, "nb_parse_id 4294967295");
	tap_is_int(nb_parse_id("--uid", "4294967294", &id, &err), 0, "nb_parse_id 4294967294");
	tap_is_u64(id, 4294967294u, "nb_parse_id: value");
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
			tap_is_int(t.cfg.mounts[5].flags, NB_MNT_RECURSIVE | NB_MNT_NOSUID | NB_MNT_NODEV,
				   "first --bind read-write, nosuid, nodev");
			tap_is_str(t.cfg.mounts[6].data, "mode=1777,size=67108864", "--tmpfs data");
			tap_is_int(t.cfg.mounts[7].flags, NB_MNT_RECURSIVE | NB_MNT_RDONLY | NB_MNT_NOSUID |
				   NB_MNT_NODEV, "second --bind read-only");
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
	/* Found by fuzz-run-args: `run -- ""` made a sandbox that could not
	 * exec, with a plan OCI refuses. */
	parse_fails(&host_root, ARGS("--", "", "x"), "the command must not be empty", "an empty command");

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

static bool has_path(const struct nb_strv *v, const char *path)
{
	for (size_t i = 0; i < v->len; i++)
		if (strcmp(v->items[i], path) == 0)
			return true;
	return false;
}

static const struct nb_mount *find_mount(const struct nb_config *cfg, const char *dest)
{
	for (size_t i = 0; i < cfg->n_mounts; i++)
		if (strcmp(cfg->mounts[i].dest, dest) == 0)
			return &cfg->mounts[i];
	return NULL;
}

/* The secure defaults of spec/run_security.h, and what relaxes them. */
static void test_security_defaults(void)
{
	const struct nb_mount *tmp;
	struct run t;

	if (!parse_ok(&t, &host_root, ARGS("/bin/true"), "secure defaults"))
		return;
	tap_is_int(t.cfg.sec.caps.set, true, "defaults: capability sets are set");
	tap_is_int((long long)t.cfg.sec.caps.bounding, (long long)nb_run_default_caps, "defaults: bounding");
	tap_is_int((long long)t.cfg.sec.caps.effective, (long long)nb_run_default_caps, "defaults: effective (uid 0)");
	tap_is_int((long long)t.cfg.sec.caps.permitted, (long long)nb_run_default_caps, "defaults: permitted");
	tap_is_int((long long)(t.cfg.sec.caps.inheritable | t.cfg.sec.caps.ambient), 0,
		   "defaults: inheritable and ambient empty");
	tap_ok(!(t.cfg.sec.caps.bounding & (1ULL << 21)), "defaults: no CAP_SYS_ADMIN");
	tap_ok(!(t.cfg.sec.caps.bounding & (1ULL << 19)), "defaults: no CAP_SYS_PTRACE");
	tap_is_int(t.cfg.sec.no_new_privs, true, "defaults: no_new_privs");
	tap_is_int(t.cfg.sec.seccomp_builtin, true, "defaults: the built-in seccomp profile");
	tap_is_int(t.cfg.root_nosuid && t.cfg.root_nodev, true, "defaults: host root nosuid, nodev");
	tap_ok(has_path(&t.cfg.oci.masked_paths, "/proc/kcore"), "defaults: /proc/kcore masked");
	tap_ok(has_path(&t.cfg.oci.masked_paths, "/sys/firmware"), "defaults: /sys/firmware masked");
	tap_ok(has_path(&t.cfg.oci.readonly_paths, "/proc/sys"), "defaults: /proc/sys read-only");
	tap_ok(has_path(&t.cfg.oci.readonly_paths, "/proc/sysrq-trigger"), "defaults: sysrq-trigger read-only");
	tmp = find_mount(&t.cfg, "/tmp");
	tap_ok(tmp && tmp->data && strcmp(tmp->data, NB_RUN_TMP_OPTIONS) == 0, "defaults: /tmp has a size");
	tap_is_int(nb_config_exposes_runtime(&t.cfg), false, "defaults: nsbox's binary out of reach");
	tap_is_int(nb_config_may_ptrace_runtime(&t.cfg), false, "defaults: no CAP_SYS_PTRACE over nsbox");
	nb_config_free(&t.cfg);

	if (parse_ok(&t, &host_root, ARGS("--uid", "1000", "/bin/true"), "non-root user")) {
		tap_is_int((long long)t.cfg.sec.caps.bounding, (long long)nb_run_default_caps,
			   "uid 1000: bounding set kept");
		tap_is_int((long long)(t.cfg.sec.caps.effective | t.cfg.sec.caps.permitted), 0,
			   "uid 1000: no effective or permitted capability");
		nb_config_free(&t.cfg);
	}
	if (parse_ok(&t, &host_root, ARGS("--cap-drop", "ALL", "--cap-add", "net_raw", "--cap-drop",
					 "CAP_CHOWN", "/bin/true"), "cap-drop ALL, cap-add")) {
		tap_is_int((long long)t.cfg.sec.caps.bounding, 1LL << 13, "only CAP_NET_RAW");
		nb_config_free(&t.cfg);
	}
	if (parse_ok(&t, &host_root, ARGS("--cap-add", "SYS_PTRACE", "/bin/true"), "cap-add SYS_PTRACE")) {
		tap_is_int(nb_config_exposes_runtime(&t.cfg), true,
			   "CAP_SYS_PTRACE without a user namespace: nsbox runs sealed");
		tap_is_int(nb_config_may_ptrace_runtime(&t.cfg), true,
			   "CAP_SYS_PTRACE without a user namespace: may ptrace nsbox");
		nb_config_free(&t.cfg);
	}
	if (parse_ok(&t, &host_root, ARGS("--userns", "--cap-add", "ALL", "/bin/true"), "cap-add ALL")) {
		tap_is_int(t.cfg.sec.caps.clamp, true, "ALL: clamped to what nsbox holds");
		tap_is_int(nb_config_exposes_runtime(&t.cfg), false, "ALL in a user namespace: not exposed");
		tap_is_int(nb_config_may_ptrace_runtime(&t.cfg), false, "ALL in a user namespace: no ptrace of nsbox");
		nb_config_free(&t.cfg);
	}
	if (parse_ok(&t, &host_root, ARGS("--allow-new-privs", "--allow-suid", "--allow-devices",
					 "--unmask", "/proc/kcore", "--seccomp", "unconfined", "/bin/true"),
		     "relaxed")) {
		tap_is_int(t.cfg.sec.no_new_privs, false, "relaxed: no no_new_privs");
		tap_is_int(t.cfg.root_nosuid || t.cfg.root_nodev, false, "relaxed: suid and devices");
		tap_ok(!has_path(&t.cfg.oci.masked_paths, "/proc/kcore"), "relaxed: /proc/kcore unmasked");
		tap_ok(has_path(&t.cfg.oci.masked_paths, "/proc/keys"), "relaxed: /proc/keys still masked");
		tap_is_int(t.cfg.sec.seccomp_builtin || t.cfg.sec.seccomp.set, false, "relaxed: no seccomp");
		tap_ok(t.args.seccomp_file == NULL, "unconfined: no file to load");
		nb_config_free(&t.cfg);
	}
	if (parse_ok(&t, &host_root, ARGS("--unmask", "ALL", "--seccomp", "/p.json", "/bin/true"), "unmask ALL")) {
		tap_is_int((long long)t.cfg.oci.masked_paths.len, 0, "ALL: nothing masked");
		/* (It points into the argv that parse() has freed: not read.) */
		tap_ok(t.args.seccomp_file != NULL, "--seccomp FILE is for the caller to load");
		nb_config_free(&t.cfg);
	}
	if (parse_ok(&t, &host_root, ARGS("--tmpfs", "/tmp/:size=1m", "/bin/true"), "own /tmp")) {
		size_t n = 0;

		for (size_t i = 0; i < t.cfg.n_mounts; i++)
			n += strncmp(t.cfg.mounts[i].dest, "/tmp", 4) == 0;
		tap_is_int((long long)n, 1, "own /tmp replaces the default one");
		nb_config_free(&t.cfg);
	}
	parse_fails(&host_root, ARGS("--cap-add", "CAP_FROB", "/bin/true"),
		    "--cap-add 'CAP_FROB': unknown capability", "unknown capability");
	parse_fails(&host_root, ARGS("--unmask", "proc/kcore", "/bin/true"),
		    "--unmask 'proc/kcore': expected an absolute path or ALL", "relative --unmask");
}

/* The plan kept for `exec` (nb_oci_plan_json) reads back as the same
 * process and security. */
static void test_plan_json(void)
{
	struct nb_config back;
	struct nb_error err = { 0 };
	struct run t;
	char *json;
	int r;

	if (!parse_ok(&t, &host_user, ARGS("--map-users", "0:100000:100", "--map-groups", "0:100000:100",
					 "--uid", "7", "--gid", "8", "--groups", "9,10", "--cap-add",
					 "NET_RAW", "--workdir", "/srv", "--clearenv", "--env", "A=b", "/bin/id"),
		      "plan for json"))
		return;
	r = nb_oci_plan_json(&t.cfg, &json, &err);
	if (!tap_ok(r == 0 && json != NULL, "plan json: written")) {
		nb_config_free(&t.cfg);
		return;
	}
	nb_config_init(&back);
	r = nb_oci_load(json, strlen(json), "/", &back, &err);
	if (!tap_is_int(r, 0, "plan json: loads back"))
		tap_diag("%s\n%s", err.msg, json);
	tap_is_int((long long)back.sec.caps.bounding, (long long)t.cfg.sec.caps.bounding, "plan json: bounding");
	tap_is_int((long long)back.sec.caps.effective, 0, "plan json: uid 7 has no effective capability");
	tap_is_int(back.sec.no_new_privs, true, "plan json: no_new_privs");
	tap_is_int(back.sec.seccomp.set, true, "plan json: the default seccomp profile spelled out");
	tap_ok(back.sec.seccomp.n_rules > 10, "plan json: with its rules");
	tap_is_int((long long)back.uid, 7, "plan json: uid");
	tap_is_int((long long)back.gid, 8, "plan json: gid");
	tap_is_int((long long)back.n_groups, 2, "plan json: groups");
	tap_is_str(back.cwd, "/srv", "plan json: cwd");
	tap_is_str(nb_strv_getenv(&back.env, "A"), "b", "plan json: env");
	tap_is_int(back.ns[NB_NS_USER].mode, NB_NS_NEW, "plan json: the user namespace");
	tap_is_int((long long)back.uid_map.range[0].outside, 100000, "plan json: uid map");
	free(json);
	nb_config_free(&back);
	nb_config_free(&t.cfg);
}

/* What jansson cannot hold, in the plan (found by fuzz-oci-config and
 * fuzz-run-args): a seccomp value and an rlimit above INT64_MAX stay
 * exact (`run --name --seccomp FILE` failed with "out of memory"), a
 * string like a marker stays a string, and a string that is not UTF-8 is
 * an error that names it (it was dropped, or the plan did not load). */
static void test_plan_json_limits(void)
{
	static const char profile[] = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
		"[\"ioctl\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":1,\"value\":"
		"18446744073709551615,\"valueTwo\":21522,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}";
	struct nb_rlimit core = { .resource = 4 /* RLIMIT_CORE */, .soft = UINT64_MAX, .hard = UINT64_MAX };
	struct nb_config back;
	struct nb_error err = { 0 };
	struct run t;
	char *json = NULL;
	int r;

	if (!parse_ok(&t, &host_root, ARGS("--seccomp", "/p.json", "--", "{\"\\u0001\":0}", "x"),
		      "plan limits"))
		return;
	/* As cli/run.c loads --seccomp FILE. */
	nb_seccomp_free(&t.cfg.sec.seccomp);
	tap_is_int(nb_oci_load_seccomp(profile, strlen(profile), "p.json", &t.cfg.sec.seccomp, &err), 0,
		   "plan limits: a profile with a value above INT64_MAX");
	t.cfg.sec.seccomp_builtin = false;
	free(t.cfg.sec.rlimits);   /* the plan's own (RLIMIT_CORE 0 by default) */
	t.cfg.sec.rlimits = malloc(sizeof(core));
	t.cfg.sec.rlimits[0] = core;
	t.cfg.sec.n_rlimits = 1;
	r = nb_oci_plan_json(&t.cfg, &json, &err);
	if (!tap_is_int(r, 0, "plan limits: written"))
		tap_diag("%s", err.msg);
	nb_config_init(&back);
	r = json ? nb_oci_load(json, strlen(json), "/", &back, &err) : -1;
	if (!tap_is_int(r, 0, "plan limits: loads back"))
		tap_diag("%s\n%s", err.msg, json ? json : "");
	tap_ok(back.sec.seccomp.n_rules == 1 && back.sec.seccomp.rules[0].args[0].value == UINT64_MAX,
	       "plan limits: the seccomp value is exact");
	tap_ok(back.sec.n_rlimits == 1 && back.sec.rlimits[0].soft == UINT64_MAX &&
	       back.sec.rlimits[0].hard == UINT64_MAX, "plan limits: RLIM_INFINITY is exact");
	tap_is_str(back.args.len == 2 ? back.args.items[0] : NULL, "{\"\\u0001\":0}",
		   "plan limits: an argument like a marker stays a string");
	free(json);
	json = NULL;
	nb_config_free(&back);

	/* A variable of the caller's environment that is not UTF-8. */
	nb_strv_push(&t.cfg.env, "LATIN=caf\xe9");
	r = nb_oci_plan_json(&t.cfg, &json, &err);
	tap_is_int(r, -EILSEQ, "plan limits: an environment that is not UTF-8");
	tap_is_str(err.msg, "process.env[3] (LATIN) is not UTF-8: a config.json cannot hold it", "plan limits: its message");
	tap_ok(json == NULL, "plan limits: no text");
	free(t.cfg.cwd);
	t.cfg.cwd = strdup("/caf\xe9");
	nb_strv_free(&t.cfg.env);
	r = nb_oci_plan_json(&t.cfg, &json, &err);
	tap_is_str(err.msg, "process.cwd is not UTF-8: a config.json cannot hold it", "plan limits: cwd");
	nb_config_free(&t.cfg);
}

static void form_is(const char *const *list, enum nb_run_form expected, int operand, const char *name)
{
	char *argv[32];
	int argc = 0, at = -1;

	argv[argc++] = strdup("run");
	for (; *list && argc < 31; list++)
		argv[argc++] = strdup(*list);
	argv[argc] = NULL;
	tap_is_int(nb_run_form(argc, argv, &at), expected, "form: %s", name);
	if (expected == NB_RUN_OCI_IF_BUNDLE)
		tap_is_int(at, operand, "form: %s: the operand", name);
	for (int i = 0; i < argc; i++)
		free(argv[i]);
}

/* Which `run`: the sandbox's or runc's (nsbox-run(1)). */
static void test_form(void)
{
	form_is(ARGS("--bundle", "/b", "c1"), NB_RUN_OCI, 0, "--bundle");
	form_is(ARGS("-b/b", "c1"), NB_RUN_OCI, 0, "-bDIR");
	form_is(ARGS("--memory", "1g", "--bundle=/b", "c1"), NB_RUN_OCI, 0, "--bundle= after a sandbox option");
	form_is(ARGS("--", "--bundle", "x"), NB_RUN_SANDBOX, 0, "--bundle after --");
	form_is(ARGS("-d", "--", "c1"), NB_RUN_OCI, 0, "-d then --");
	form_is(ARGS("-d", "--ro", "--", "c1"), NB_RUN_SANDBOX, 0, "-d and a sandbox option, then --");
	form_is(ARGS("--pid-file", "/p", "c1"), NB_RUN_OCI, 0, "--pid-file");
	form_is(ARGS("--keep", "c1"), NB_RUN_OCI, 0, "--keep");
	form_is(ARGS("--memory", "64m", "sh"), NB_RUN_SANDBOX, 0, "a sandbox option with a value");
	form_is(ARGS("--tty", "sh"), NB_RUN_SANDBOX, 0, "a sandbox flag");
	form_is(ARGS("--pid-file"), NB_RUN_OCI, 0, "an OCI option without its value");
	form_is(ARGS("--memory"), NB_RUN_SANDBOX, 0, "a sandbox option without its value");
	form_is(ARGS("c1"), NB_RUN_OCI_IF_BUNDLE, 1, "one operand");
	form_is(ARGS("--detach", "-h", "c1"), NB_RUN_OCI_IF_BUNDLE, 3, "one operand after neutral options");
	form_is(ARGS("ls", "-b", "x"), NB_RUN_SANDBOX, 0, "a command's own -b");
	form_is(ARGS("-", "x"), NB_RUN_SANDBOX, 0, "'-' is an operand");
	form_is(ARGS("x"), NB_RUN_OCI_IF_BUNDLE, 1, "one operand");
}

int main(void)
{
	test_form();
	test_security_defaults();
	test_plan_json();
	test_plan_json_limits();
	test_defaults_root();
	test_defaults_user();
	test_namespaces();
	test_identity();
	test_exec_user();
	test_filesystem();
	test_process();
	test_usage();
	test_command();
	test_reparse();
	return tap_done();
}
