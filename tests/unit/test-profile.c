/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for spec/profile.c (`nsbox run --profile`), through the run
 * parser that applies it, and spec/run_print.c (--print-config). */
#include "spec/profile.h"
#include "spec/run_args.h"
#include "spec/run_print.h"
#include "tap.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static char env_path[] = "PATH=/usr/bin:/bin";
static char *const fake_environ[] = { env_path, NULL };

static const struct nb_host host_root = { .euid = 0, .egid = 0, .hostname = "nb-1a2b3c" };
static const struct nb_host host_user = { .euid = 1000, .egid = 1000, .hostname = "nb-1a2b3c" };

struct run {
	struct nb_config cfg;
	struct nb_run_args args;
	struct nb_error err;
	char *argv[64];
	int argc;
	int r;
};

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Parse "run" LIST... "--" "true". The argv copies live until done(): the
 * run's plan may point into them. */
static void parse(struct run *t, const struct nb_host *host, const char *const *list)
{
	t->argc = 0;
	t->argv[t->argc++] = strdup("run");
	for (; *list && t->argc < 60; list++)
		t->argv[t->argc++] = strdup(*list);
	t->argv[t->argc++] = strdup("--");
	t->argv[t->argc++] = strdup("true");
	t->argv[t->argc] = NULL;
	nb_config_init(&t->cfg);
	nb_error_clear(&t->err);
	t->r = nb_run_parse_args(t->argc, t->argv, fake_environ, host, &t->cfg, &t->args, &t->err);
}

static void done(struct run *t)
{
	nb_config_free(&t->cfg);
	for (int i = 0; i < t->argc; i++)
		free(t->argv[i]);
}

static bool parse_ok(struct run *t, const struct nb_host *host, const char *const *list, const char *name)
{
	parse(t, host, list);
	if (!tap_is_int(t->r, 0, "%s: parses", name)) {
		tap_diag("message: %s", t->err.msg);
		return false;
	}
	return true;
}

static void parse_fails(const struct nb_host *host, const char *const *list, const char *msg,
			const char *name)
{
	struct run t;

	parse(&t, host, list);
	tap_is_int(t.r, -EINVAL, "%s: fails with -EINVAL", name);
	tap_is_str(t.err.msg, msg, "%s: message", name);
	tap_is_int(t.err.kind, NB_ERR_USAGE, "%s: usage error", name);
	done(&t);
}

static const struct nb_mount *mount_at(const struct nb_config *cfg, const char *dest)
{
	const struct nb_mount *found = NULL;

	for (size_t i = 0; i < cfg->n_mounts; i++)
		if (strcmp(cfg->mounts[i].dest, dest) == 0)
			found = &cfg->mounts[i];
	return found;
}

static size_t mounts_at(const struct nb_config *cfg, const char *dest)
{
	size_t n = 0;

	for (size_t i = 0; i < cfg->n_mounts; i++)
		n += strcmp(cfg->mounts[i].dest, dest) == 0;
	return n;
}

static const struct nb_rlimit *rlimit_of(const struct nb_config *cfg, int resource)
{
	for (size_t i = 0; i < cfg->sec.n_rlimits; i++)
		if (cfg->sec.rlimits[i].resource == resource)
			return &cfg->sec.rlimits[i];
	return NULL;
}

static void expect_rlimit(const struct nb_config *cfg, int resource, uint64_t value, const char *name)
{
	const struct nb_rlimit *rl = rlimit_of(cfg, resource);

	tap_ok(rl != NULL, "%s: set", name);
	tap_is_u64(rl ? rl->soft : 1, value, "%s: soft", name);
	tap_is_u64(rl ? rl->hard : 1, value, "%s: hard", name);
}

static void expect_tmpfs(const struct nb_config *cfg, const char *dest, const char *data, const char *name)
{
	const struct nb_mount *m = mount_at(cfg, dest);

	tap_is_int(mounts_at(cfg, dest), 1, "%s: one mount at %s", name, dest);
	tap_ok(m && m->kind == NB_MOUNT_TMPFS, "%s: a tmpfs", name);
	tap_is_str(m ? m->data : NULL, data, "%s: its options", name);
}

static void test_judge(void)
{
	struct run t;

	if (!parse_ok(&t, &host_root, ARGS("--profile", "judge"), "judge")) {
		done(&t);
		return;
	}
	tap_is_str(t.args.profile, "judge", "judge: named in the args");
	tap_is_int(t.cfg.net.mode, NB_NET_NONE, "judge: no network");
	tap_is_int(t.cfg.ns[NB_NS_NET].mode, NB_NS_NEW, "judge: a net namespace of its own");
	tap_is_int(t.cfg.oci.resources.pids_limit, 2, "judge: pids 2 (init and the command)");
	tap_is_int(t.cfg.oci.resources.memory_limit, 256 << 20, "judge: memory 256m");
	tap_is_int(t.cfg.oci.resources.memory_swap, 256 << 20, "judge: no swap");
	tap_is_int(t.args.judge.cpu_us, 10000000, "judge: 10 s of CPU");
	tap_is_int(t.args.judge.wall_us, 20000000, "judge: 20 s of wall time");
	expect_rlimit(&t.cfg, RLIMIT_FSIZE, 64 << 20, "judge: fsize");
	expect_rlimit(&t.cfg, RLIMIT_NOFILE, 64, "judge: nofile");
	expect_rlimit(&t.cfg, RLIMIT_CORE, 0, "judge: core");
	expect_tmpfs(&t.cfg, "/tmp", "mode=1777,size=67108864,nr_inodes=65536", "judge");
	expect_tmpfs(&t.cfg, "/dev/shm", "mode=1777,size=16777216,nr_inodes=16384", "judge");
	tap_is_str(mount_at(&t.cfg, "/proc")->data, "hidepid=invisible", "judge: hidepid on /proc");
	tap_ok(t.cfg.root_nosuid && t.cfg.root_nodev, "judge: the root nosuid,nodev");
	for (size_t i = 0; i < t.cfg.n_mounts; i++) {
		const struct nb_mount *m = &t.cfg.mounts[i];
		bool devices = m->kind == NB_MOUNT_DEV || m->kind == NB_MOUNT_DEVPTS;

		tap_ok(m->flags & NB_MNT_NOSUID, "judge: %s nosuid", m->dest);
		tap_is_int(!!(m->flags & NB_MNT_NODEV), !devices, "judge: %s nodev unless it holds devices",
			   m->dest);
	}
	done(&t);
}

static void test_judge_pids(void)
{
	struct run t;

	if (parse_ok(&t, &host_root, ARGS("--profile", "judge", "--no-init"), "judge --no-init"))
		tap_is_int(t.cfg.oci.resources.pids_limit, 1, "judge --no-init: pids 1, the command alone");
	done(&t);
	if (parse_ok(&t, &host_root, ARGS("--profile", "judge", "--pids", "8"), "judge --pids 8"))
		tap_is_int(t.cfg.oci.resources.pids_limit, 8, "judge --pids 8: a later --pids wins");
	done(&t);
	if (parse_ok(&t, &host_root, ARGS("--pids", "8", "--profile", "judge"), "--pids 8 judge"))
		tap_is_int(t.cfg.oci.resources.pids_limit, 2, "--pids 8 judge: the profile wins");
	done(&t);
}

static void test_ci(void)
{
	struct run t;

	if (parse_ok(&t, &host_root, ARGS("--profile", "ci"), "ci as root")) {
		tap_is_int(t.cfg.net.mode, NB_NET_BRIDGE, "ci as root: a bridge");
		tap_ok(t.cfg.net.nat, "ci as root: masqueraded");
		tap_is_int(t.cfg.oci.resources.pids_limit, 4096, "ci: pids 4096");
		tap_is_int(t.cfg.oci.resources.memory_limit, 4LL << 30, "ci: memory 4g");
		expect_rlimit(&t.cfg, RLIMIT_CORE, 0, "ci: core");
		expect_tmpfs(&t.cfg, "/tmp", "mode=1777,size=1073741824", "ci");
		expect_tmpfs(&t.cfg, "/dev/shm", "mode=1777,size=67108864", "ci");
		tap_is_int(t.args.judge.cpu_us, NB_JUDGE_UNSET, "ci: no time limit");
		tap_is_str(mount_at(&t.cfg, "/proc")->data, NULL, "ci: /proc as usual");
	}
	done(&t);
	if (parse_ok(&t, &host_user, ARGS("--profile", "ci"), "ci rootless")) {
		tap_is_int(t.cfg.net.mode, NB_NET_PASTA, "ci rootless: pasta");
		tap_ok(!t.cfg.net.nat, "ci rootless: no --nat");
	}
	done(&t);
}

static void test_service(void)
{
	struct run t;

	if (parse_ok(&t, &host_root, ARGS("--time-limit", "3", "--wall-time-limit", "5", "--extra-time", "1",
					  "--no-init", "--profile", "service"), "service")) {
		tap_is_int(t.cfg.net.mode, NB_NET_BRIDGE, "service: a network");
		tap_is_int(t.cfg.oci.resources.pids_limit, 16384, "service: pids 16384");
		tap_is_int(t.args.judge.cpu_us, NB_JUDGE_UNSET, "service: an earlier --time-limit cleared");
		tap_is_int(t.args.judge.wall_us, NB_JUDGE_UNSET, "service: an earlier --wall-time-limit cleared");
		tap_is_int(t.args.judge.extra_us, NB_JUDGE_UNSET, "service: an earlier --extra-time cleared");
		tap_ok(t.cfg.init, "service: an earlier --no-init overridden: init as PID 1");
		tap_ok(!nb_judge_watched(&t.args.judge), "service: not watched");
	}
	done(&t);
	if (parse_ok(&t, &host_root, ARGS("--profile", "service", "--wall-time-limit", "5", "--no-init"),
		     "service then flags")) {
		tap_is_int(t.args.judge.wall_us, 5000000, "service then --wall-time-limit: kept");
		tap_ok(!t.cfg.init, "service then --no-init: no init");
	}
	done(&t);
}

static void test_network_overrides(void)
{
	struct run t;

	if (parse_ok(&t, &host_root, ARGS("--net", "pasta", "--profile", "judge"), "--net then judge"))
		tap_is_int(t.cfg.net.mode, NB_NET_NONE, "--net pasta then judge: none");
	done(&t);
	if (parse_ok(&t, &host_root, ARGS("--profile", "judge", "--net", "pasta"), "judge then --net"))
		tap_is_int(t.cfg.net.mode, NB_NET_PASTA, "judge then --net pasta: pasta");
	done(&t);
	if (parse_ok(&t, &host_root, ARGS("--profile", "ci", "--net", "none"), "ci then --net none")) {
		tap_is_int(t.cfg.net.mode, NB_NET_NONE, "ci then --net none: none");
		tap_ok(!t.cfg.net.nat, "ci then --net none: the profile's --nat gone");
	}
	done(&t);
	if (parse_ok(&t, &host_root, ARGS("--share", "net", "--profile", "ci"), "--share net then ci")) {
		tap_is_int(t.cfg.ns[NB_NS_NET].mode, NB_NS_NEW, "--share net then ci: a namespace of its own");
		tap_is_int(t.cfg.net.mode, NB_NET_BRIDGE, "--share net then ci: a bridge");
	}
	done(&t);
	if (parse_ok(&t, &host_root, ARGS("--profile", "ci", "--share", "net"), "ci then --share net")) {
		tap_is_int(t.cfg.ns[NB_NS_NET].mode, NB_NS_SHARE, "ci then --share net: the host's");
		tap_ok(!t.cfg.net.nat, "ci then --share net: no --nat");
	}
	done(&t);
	parse_fails(&host_root, ARGS("--net", "none", "--net", "host", "--profile", "judge"),
		    "--net given twice ('none' and 'host')", "--net twice still refused");
}

static void test_mount_and_limit_overrides(void)
{
	struct run t;

	if (parse_ok(&t, &host_root, ARGS("--tmpfs", "/tmp:size=1g", "--profile", "judge"), "--tmpfs then judge"))
		expect_tmpfs(&t.cfg, "/tmp", "mode=1777,size=67108864,nr_inodes=65536", "--tmpfs /tmp then judge");
	done(&t);
	if (parse_ok(&t, &host_root, ARGS("--profile", "judge", "--tmpfs", "/tmp/:size=1g"), "judge then --tmpfs")) {
		tap_is_int(mounts_at(&t.cfg, "/tmp"), 0, "judge then --tmpfs /tmp/: the profile's /tmp gone");
		expect_tmpfs(&t.cfg, "/tmp/", "mode=1777,size=1073741824", "judge then --tmpfs /tmp/");
		expect_tmpfs(&t.cfg, "/dev/shm", "mode=1777,size=16777216,nr_inodes=16384", "judge then --tmpfs /tmp/");
	}
	done(&t);
	if (parse_ok(&t, &host_root, ARGS("--profile", "judge", "--memory", "1g", "--core", "unlimited",
					  "--cpus", "2"), "judge then limits")) {
		tap_is_int(t.cfg.oci.resources.memory_limit, 1LL << 30, "judge then --memory 1g: 1g");
		expect_rlimit(&t.cfg, RLIMIT_CORE, UINT64_MAX, "judge then --core unlimited");
		expect_rlimit(&t.cfg, RLIMIT_NOFILE, 64, "judge then others: nofile kept");
	}
	done(&t);
	if (parse_ok(&t, &host_root, ARGS("--cpus", "2", "--memory", "1g", "--profile", "ci"), "limits then ci")) {
		tap_is_int(t.cfg.oci.resources.cpu_quota, 200000, "--cpus then ci: kept (ci sets no CPU)");
		tap_is_int(t.cfg.oci.resources.memory_limit, 4LL << 30, "--memory then ci: ci's 4g");
	}
	done(&t);
	if (parse_ok(&t, &host_root, ARGS("--allow-suid", "--allow-devices", "--profile", "judge"), "allow then judge"))
		tap_ok(t.cfg.root_nosuid && t.cfg.root_nodev, "--allow-* then judge: nosuid,nodev");
	done(&t);
	if (parse_ok(&t, &host_root, ARGS("--profile", "judge", "--allow-suid", "--bind", "/srv:/srv"),
		     "judge then --allow-suid")) {
		tap_ok(!t.cfg.root_nosuid && t.cfg.root_nodev, "judge then --allow-suid: suid, still nodev");
		tap_is_int(mount_at(&t.cfg, "/srv")->flags & (NB_MNT_NOSUID | NB_MNT_NODEV), NB_MNT_NODEV,
			   "judge then --allow-suid: the bind nodev only");
	}
	done(&t);
}

static void test_errors(void)
{
	tap_ok(nb_profile_exists("judge") && nb_profile_exists("ci") && nb_profile_exists("service"),
	       "the three profiles exist");
	tap_ok(!nb_profile_exists("Judge") && !nb_profile_exists(""), "names are exact");
	parse_fails(&host_root, ARGS("--profile", "x"), "--profile 'x': expected judge, ci or service",
		    "unknown profile");
	parse_fails(&host_root, ARGS("--profile", "judge", "--profile", "ci"),
		    "--profile given twice ('judge' and 'ci')", "two profiles");
	parse_fails(&host_user, ARGS("--profile", "ci", "--net", "bridge"),
		    "--net bridge needs root (a bridge and veth pairs in the host's namespace); "
		    "without root use --net pasta or slirp4netns", "checks after a profile still hold");
}

static void test_print(void)
{
	struct run t;
	char *text = NULL;
	json_t *doc = NULL;

	if (!parse_ok(&t, &host_root, ARGS("--profile", "judge", "--print-config"), "print")) {
		done(&t);
		return;
	}
	tap_ok(t.args.print_config, "--print-config: recorded");
	tap_is_int(nb_run_print_json(&t.cfg, &t.args, &text, &t.err), 0, "print: written");
	tap_ok(text && text[strlen(text) - 1] == '\n', "print: ends in a newline");
	doc = text ? json_loads(text, 0, NULL) : NULL;
	tap_ok(doc != NULL, "print: JSON");
	tap_is_str(json_string_value(json_object_get(json_object_get(doc, "nsbox"), "profile")), "judge",
		   "print: nsbox.profile");
	tap_is_str(json_string_value(json_object_get(json_object_get(doc, "nsbox"), "network")), "none",
		   "print: nsbox.network");
	tap_is_int(json_integer_value(json_object_get(json_object_get(json_object_get(
		json_object_get(doc, "linux"), "resources"), "pids"), "limit")), 2, "print: pids.limit");
	tap_is_int((long long)json_number_value(json_object_get(json_object_get(doc, "nsbox"), "timeLimit")), 10,
		   "print: nsbox.timeLimit");
	tap_is_int((long long)json_array_size(json_object_get(doc, "mounts")), (long long)t.cfg.n_mounts,
		   "print: every mount");
	tap_is_str(json_string_value(json_array_get(json_object_get(json_object_get(doc, "process"), "args"), 0)),
		   "true", "print: process.args");
	json_decref(doc);
	free(text);
	done(&t);
}

/* A string that JSON cannot hold is an error naming it, as for the plan. */
static void test_print_not_utf8(void)
{
	struct run t;
	char *text = NULL;

	if (parse_ok(&t, &host_root, ARGS("--profile", "ci", "--bind", "/a:/tmp\377"), "bind not UTF-8")) {
		tap_is_int(nb_run_print_json(&t.cfg, &t.args, &text, &t.err), -EILSEQ, "not UTF-8: -EILSEQ");
		tap_ok(strstr(t.err.msg, "].destination is not UTF-8") != NULL, "not UTF-8: names the field (%s)",
		       t.err.msg);
		tap_ok(text == NULL, "not UTF-8: no text");
	}
	done(&t);
	if (parse_ok(&t, &host_root, ARGS("--hostname", "h\377"), "hostname not UTF-8")) {
		tap_is_int(nb_run_print_json(&t.cfg, &t.args, &text, &t.err), -EILSEQ, "hostname: -EILSEQ");
		tap_is_str(t.err.msg, "hostname is not UTF-8: JSON cannot hold it", "hostname: the message");
	}
	done(&t);
}

int main(void)
{
	test_judge();
	test_judge_pids();
	test_ci();
	test_service();
	test_network_overrides();
	test_mount_and_limit_overrides();
	test_errors();
	test_print();
	test_print_not_utf8();
	return tap_done();
}
