/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for spec/oci*.c: config.json into a struct nb_config, `nsbox spec`, `nsbox features`. */
#include "spec/oci.h"
#include "tap.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>

/*
 * The documents below are written with single quotes, which J() turns into
 * double quotes, so that they stay readable as C strings.
 */
static char *J(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *J(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	return s;
}

#define HEAD "'ociVersion': '1.0.2', 'root': {'path': 'rootfs'}"
#define PROC "'process': {'args': ['sh'], 'cwd': '/', 'user': {'uid': 0, 'gid': 0}"
#define NS_MNT "'namespaces': [{'type': 'mount'}]"
#define NS_USER "'namespaces': [{'type': 'mount'}, {'type': 'user'}], " \
	"'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 10}], " \
	"'gidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 10}]"

/* A minimal valid document with EXTRA_PROCESS inside "process", EXTRA_LINUX
 * inside "linux" (after the namespaces) and EXTRA at the top; each starts
 * with a comma when not empty. */
static char *doc(const char *extra_process, const char *extra_linux, const char *extra)
{
	return J("{" HEAD ", " PROC "%s}, 'linux': {" NS_MNT "%s}%s}", extra_process, extra_linux,
		 extra);
}

struct load {
	struct nb_config cfg;
	struct nb_error err;
	int r;
};

static void load_text(struct load *t, const char *text, const char *bundle)
{
	nb_config_init(&t->cfg);
	nb_error_clear(&t->err);
	t->r = nb_oci_load(text, strlen(text), bundle, &t->cfg, &t->err);
}

/* Load TEXT (consumed) and expect success; false (with the message) if not. */
static bool load_ok(struct load *t, char *text, const char *name)
{
	load_text(t, text, "/bundle");
	free(text);
	if (!tap_is_int(t->r, 0, "%s: loads", name)) {
		tap_diag("message: %s", t->err.msg);
		return false;
	}
	return true;
}

/* Load TEXT (consumed) and expect exactly the error MSG. */
static void load_bad(char *text, const char *msg)
{
	struct load t;

	load_text(&t, text, "/bundle");
	free(text);
	tap_is_int(t.r, -EINVAL, "'%s': fails with -EINVAL", msg);
	tap_is_str(t.err.msg, msg, "'%s': message", msg);
	nb_config_free(&t.cfg);
}

/* Errors in process, linux or at the top of an otherwise minimal document. */
static void bad_process(const char *extra, const char *msg) { load_bad(doc(extra, "", ""), msg); }
static void bad_linux(const char *extra, const char *msg) { load_bad(doc("", extra, ""), msg); }
static void bad_top(const char *extra, const char *msg) { load_bad(doc("", "", extra), msg); }

static void test_minimal(void)
{
	struct load t;

	if (!load_ok(&t, doc("", "", ""), "minimal"))
		return;
	tap_is_str(t.cfg.rootfs, "/bundle/rootfs", "minimal: root resolved in the bundle");
	tap_ok(!t.cfg.root_readonly, "minimal: root writable");
	tap_is_int(t.cfg.args.len, 1, "minimal: one arg");
	tap_is_str(t.cfg.args.items[0], "sh", "minimal: args[0]");
	tap_is_str(t.cfg.cwd, "/", "minimal: cwd");
	tap_ok(t.cfg.set_uid && t.cfg.set_gid && t.cfg.uid == 0 && t.cfg.gid == 0,
	       "minimal: uid and gid 0, set");
	tap_ok(!t.cfg.set_groups && t.cfg.n_groups == 0, "minimal: no groups");
	tap_ok(!t.cfg.init && !t.cfg.pdeathsig, "minimal: no init, no pdeathsig");
	tap_ok(t.cfg.clearenv && t.cfg.env.len == 0, "minimal: empty environment");
	tap_ok(t.cfg.oci_devices, "minimal: OCI devices");
	tap_ok(!t.cfg.tty, "minimal: no terminal");
	tap_is_int(t.cfg.ns[NB_NS_MNT].mode, NB_NS_NEW, "minimal: new mount namespace");
	for (int i = 0; i < NB_NS_COUNT; i++)
		if (i != NB_NS_MNT)
			tap_is_int(t.cfg.ns[i].mode, NB_NS_SHARE, "minimal: %s shared", nb_ns_name(i));
	tap_is_int(t.cfg.n_mounts, 0, "minimal: no mounts");
	tap_ok(t.cfg.hostname == NULL, "minimal: no hostname");
	tap_ok(!t.cfg.sec.caps.set && !t.cfg.sec.seccomp.set && t.cfg.sec.n_rlimits == 0,
	       "minimal: no caps, seccomp or rlimits");
	tap_ok(!t.cfg.oci.resources.set && t.cfg.oci.resources.memory_limit == -1 &&
	       t.cfg.oci.resources.pids_limit == -1, "minimal: no resources, limits unset");
	tap_is_int(t.cfg.propagation, NB_PROPAGATION_PRIVATE, "minimal: private propagation");
	nb_config_free(&t.cfg);
}

/* A config.json as podman and containerd write them (abridged). */
static const char full_config[] =
"{'ociVersion': '1.1.0',"
" 'process': {'terminal': true, 'consoleSize': {'height': 24, 'width': 80},"
"  'user': {'uid': 1, 'gid': 2, 'umask': 18, 'additionalGids': [2, 5, 10]},"
"  'args': ['/bin/sh', '-c', 'echo hi'],"
"  'env': ['PATH=/usr/bin:/bin', 'TERM=xterm', 'EMPTY='],"
"  'cwd': '/home/u',"
"  'capabilities': {'bounding': ['CAP_CHOWN', 'CAP_KILL', 'CAP_NET_BIND_SERVICE'],"
"   'effective': ['CAP_KILL'], 'permitted': ['CAP_KILL', 'CAP_CHOWN'],"
"   'inheritable': [], 'ambient': ['CAP_KILL']},"
"  'rlimits': [{'type': 'RLIMIT_NOFILE', 'hard': 1024, 'soft': 512},"
"   {'type': 'RLIMIT_CORE', 'hard': 18446744073709551615, 'soft': 18446744073709551615}],"
"  'noNewPrivileges': true, 'oomScoreAdj': -500,"
"  'apparmorProfile': 'nsbox-default', 'selinuxLabel': '',"
"  'ioPriority': {'class': 'IOPRIO_CLASS_BE', 'priority': 4},"
"  'scheduler': {'policy': 'SCHED_BATCH', 'nice': 5, 'flags': ['SCHED_FLAG_RESET_ON_FORK']}},"
" 'root': {'path': '/var/lib/c/rootfs', 'readonly': true},"
" 'hostname': 'box', 'domainname': 'example.org',"
" 'mounts': ["
"  {'destination': '/proc', 'type': 'proc', 'source': 'proc', 'options': ['nosuid', 'noexec', 'nodev']},"
"  {'destination': '/dev', 'type': 'tmpfs', 'source': 'tmpfs',"
"   'options': ['nosuid', 'strictatime', 'mode=755', 'size=65536k']},"
"  {'destination': '/dev/pts', 'type': 'devpts', 'source': 'devpts',"
"   'options': ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5']},"
"  {'destination': '/dev/mqueue', 'type': 'mqueue', 'source': 'mqueue', 'options': ['nosuid']},"
"  {'destination': '/sys', 'type': 'sysfs', 'source': 'sysfs', 'options': ['nosuid', 'ro']},"
"  {'destination': '/sys/fs/cgroup', 'type': 'cgroup', 'source': 'cgroup',"
"   'options': ['ro', 'relatime']},"
"  {'destination': '/etc/hosts', 'type': 'bind', 'source': '/var/lib/c/hosts',"
"   'options': ['rbind', 'rprivate', 'ro']},"
"  {'destination': '/data', 'source': 'data', 'options': ['bind', 'rro', 'nosymfollow']},"
"  {'destination': '/mnt/ovl', 'type': 'overlay', 'source': 'overlay',"
"   'options': ['lowerdir=/a', 'upperdir=/b', 'workdir=/c', 'noatime', 'shared']}],"
" 'hooks': {'createRuntime': [{'path': '/usr/bin/hook', 'args': ['hook', 'create'],"
"   'env': ['A=1'], 'timeout': 5}],"
"  'poststop': [{'path': '/usr/bin/cleanup'}]},"
" 'annotations': {'io.podman.name': 'web', 'org.example': 'x=y'},"
" 'linux': {"
"  'namespaces': [{'type': 'pid'}, {'type': 'network', 'path': '/run/netns/pod'},"
"   {'type': 'ipc'}, {'type': 'uts'}, {'type': 'mount'}, {'type': 'cgroup'},"
"   {'type': 'user'}, {'type': 'time'}],"
"  'uidMappings': [{'containerID': 0, 'hostID': 100000, 'size': 65536}],"
"  'gidMappings': [{'containerID': 0, 'hostID': 100000, 'size': 65536}],"
"  'devices': [{'path': '/dev/fuse', 'type': 'c', 'major': 10, 'minor': 229,"
"    'fileMode': 438, 'uid': 0, 'gid': 0}, {'path': '/dev/fifo', 'type': 'p'}],"
"  'sysctl': {'net.ipv4.ip_forward': '1', 'kernel.shmmax': '65536',"
"   'kernel/domainname': 'x', 'fs.mqueue.msg_max': '10'},"
"  'maskedPaths': ['/proc/kcore', '/sys/firmware'],"
"  'readonlyPaths': ['/proc/sys'],"
"  'mountLabel': 'system_u:object_r:container_file_t:s0',"
"  'rootfsPropagation': 'rslave',"
"  'cgroupsPath': 'machine.slice:libpod:abc',"
"  'timeOffsets': {'monotonic': {'secs': -86400, 'nanosecs': 5}, 'boottime': {'secs': 7}},"
"  'personality': {'domain': 'LINUX32'},"
"  'resources': {'memory': {'limit': 536870912, 'reservation': -1, 'swappiness': 10},"
"   'cpu': {'shares': 1024, 'quota': 50000, 'period': 100000, 'cpus': '0-1', 'mems': '0'},"
"   'pids': {'limit': 0},"
"   'devices': [{'allow': false, 'access': 'rwm'}, {'allow': true, 'type': 'c',"
"     'major': 10, 'minor': 229, 'access': 'rw'}],"
"   'blockIO': {'weight': 500, 'throttleReadBpsDevice': [{'major': 8, 'minor': 0, 'rate': 600}]},"
"   'hugepageLimits': [{'pageSize': '2MB', 'limit': 209715200}],"
"   'network': {'classID': 1048577, 'priorities': [{'name': 'eth0', 'priority': 500}]},"
"   'rdma': {'mlx5_1': {'hcaHandles': 3}},"
"   'unified': {'memory.high': '1G', 'io.max': '8:0 rbps=1024'}},"
"  'seccomp': {'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 38,"
"   'architectures': ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'],"
"   'flags': ['SECCOMP_FILTER_FLAG_LOG'],"
"   'syscalls': [{'names': ['read', 'write'], 'action': 'SCMP_ACT_ALLOW'}]}},"
" 'windows': {'ignored': true}, 'somethingNew': 42}";

static void check_full_process(const struct nb_config *cfg)
{
	const struct nb_security *sec = &cfg->sec;

	tap_ok(cfg->tty, "full: terminal");
	tap_ok(cfg->oci.has_console_size && cfg->oci.console_height == 24 &&
	       cfg->oci.console_width == 80, "full: console size 24x80");
	tap_ok(cfg->uid == 1 && cfg->gid == 2 && cfg->set_uid && cfg->set_gid, "full: uid 1 gid 2");
	tap_ok(cfg->set_groups && cfg->n_groups == 3 && cfg->groups[0] == 2 && cfg->groups[2] == 10,
	       "full: additional groups 2 5 10");
	tap_ok(sec->has_umask && sec->umask == 022, "full: umask 022");
	tap_is_int(cfg->args.len, 3, "full: three args");
	tap_is_str(cfg->args.items[2], "echo hi", "full: args[2]");
	tap_is_int(cfg->env.len, 3, "full: three env entries");
	tap_is_str(cfg->env.items[2], "EMPTY=", "full: env exactly as given");
	tap_is_str(cfg->cwd, "/home/u", "full: cwd");
	tap_ok(sec->caps.set, "full: caps set");
	tap_is_u64(sec->caps.bounding, (1u << 0) | (1u << 5) | (1u << 10), "full: bounding set");
	tap_is_u64(sec->caps.effective, 1u << 5, "full: effective set");
	tap_is_u64(sec->caps.permitted, (1u << 5) | (1u << 0), "full: permitted set");
	tap_is_u64(sec->caps.inheritable, 0, "full: inheritable empty");
	tap_is_u64(sec->caps.ambient, 1u << 5, "full: ambient set");
	tap_is_int(sec->n_rlimits, 2, "full: two rlimits");
	tap_ok(sec->rlimits[0].resource == RLIMIT_NOFILE && sec->rlimits[0].soft == 512 &&
	       sec->rlimits[0].hard == 1024, "full: RLIMIT_NOFILE 512/1024");
	tap_ok(sec->rlimits[1].resource == RLIMIT_CORE && sec->rlimits[1].soft == UINT64_MAX &&
	       sec->rlimits[1].hard == UINT64_MAX, "full: RLIMIT_CORE unlimited (uint64 max)");
	tap_ok(sec->no_new_privs, "full: no_new_privs");
	tap_ok(sec->has_oom_score_adj && sec->oom_score_adj == -500, "full: oomScoreAdj -500");
	tap_is_str(sec->apparmor_profile, "nsbox-default", "full: apparmor profile");
	tap_ok(sec->selinux_label == NULL, "full: empty selinux label is none");
	tap_ok(sec->has_ioprio && sec->ioprio_class == 2 && sec->ioprio_level == 4,
	       "full: io priority best-effort 4");
	tap_ok(sec->has_scheduler && sec->sched_policy == 3 && sec->sched_nice == 5 &&
	       sec->sched_flags == 1, "full: SCHED_BATCH nice 5 reset-on-fork");
}

static void check_full_mounts(const struct nb_config *cfg)
{
	const struct nb_mount *m = cfg->mounts;

	if (!tap_is_int(cfg->n_mounts, 9, "full: nine mounts"))
		return;
	tap_ok(m[0].kind == NB_MOUNT_PROC && nb_streq(m[0].dest, "/proc") &&
	       m[0].flags == (NB_MNT_NOSUID | NB_MNT_NOEXEC | NB_MNT_NODEV) && !m[0].data,
	       "full: /proc");
	tap_ok(m[1].kind == NB_MOUNT_TMPFS && m[1].flags == (NB_MNT_NOSUID | NB_MNT_STRICTATIME),
	       "full: /dev tmpfs flags");
	tap_is_str(m[1].data, "mode=755,size=65536k", "full: /dev tmpfs data");
	tap_is_int(m[2].kind, NB_MOUNT_DEVPTS, "full: devpts kind");
	tap_is_str(m[2].data, "newinstance,ptmxmode=0666,mode=0620,gid=5", "full: devpts data");
	tap_is_int(m[3].kind, NB_MOUNT_MQUEUE, "full: mqueue kind");
	tap_ok(m[4].kind == NB_MOUNT_SYSFS && m[4].flags == (NB_MNT_NOSUID | NB_MNT_RDONLY),
	       "full: sysfs ro");
	tap_ok(m[5].kind == NB_MOUNT_CGROUP && m[5].flags == (NB_MNT_RDONLY | NB_MNT_RELATIME),
	       "full: cgroup ro relatime");
	tap_ok(m[6].kind == NB_MOUNT_BIND && nb_streq(m[6].source, "/var/lib/c/hosts") &&
	       m[6].flags == (NB_MNT_RECURSIVE | NB_MNT_RDONLY) &&
	       m[6].propagation == NB_MPROP_PRIVATE && m[6].propagation_recursive,
	       "full: rbind rprivate ro");
	tap_ok(m[7].kind == NB_MOUNT_BIND && nb_streq(m[7].source, "/bundle/data") &&
	       m[7].flags == (NB_MNT_RDONLY | NB_MNT_RECURSIVE_ATTRS | NB_MNT_NOSYMFOLLOW),
	       "full: typeless bind, relative source, rro");
	tap_ok(m[8].kind == NB_MOUNT_OTHER && nb_streq(m[8].fstype, "overlay") &&
	       nb_streq(m[8].source, "overlay") && m[8].flags == NB_MNT_NOATIME &&
	       m[8].propagation == NB_MPROP_SHARED && !m[8].propagation_recursive,
	       "full: overlay, noatime, shared");
	tap_is_str(m[8].data, "lowerdir=/a,upperdir=/b,workdir=/c", "full: overlay data");
}

static void check_full_linux(const struct nb_config *cfg)
{
	const struct nb_oci_extras *x = &cfg->oci;

	for (int i = 0; i < NB_NS_COUNT; i++)
		tap_is_int(cfg->ns[i].mode, i == NB_NS_NET ? NB_NS_JOIN : NB_NS_NEW,
			   "full: %s namespace mode", nb_ns_name(i));
	tap_is_str(cfg->ns[NB_NS_NET].path, "/run/netns/pod", "full: net namespace path");
	tap_ok(cfg->uid_map.len == 1 && cfg->uid_map.range[0].inside == 0 &&
	       cfg->uid_map.range[0].outside == 100000 && cfg->uid_map.range[0].count == 65536,
	       "full: uid map");
	tap_is_int(cfg->gid_map.len, 1, "full: gid map");
	tap_ok(x->n_devices == 2 && x->devices[0].type == 'c' && x->devices[0].major == 10 &&
	       x->devices[0].minor == 229 && x->devices[0].has_file_mode &&
	       x->devices[0].file_mode == 0666 && x->devices[0].has_uid,
	       "full: /dev/fuse");
	tap_ok(x->devices[1].type == 'p' && nb_streq(x->devices[1].path, "/dev/fifo") &&
	       !x->devices[1].has_file_mode, "full: a fifo without numbers");
	tap_is_int(x->sysctl.len, 4, "full: four sysctls");
	tap_is_str(x->sysctl.items[0], "net.ipv4.ip_forward=1", "full: sysctl as key=value");
	tap_ok(x->masked_paths.len == 2 && x->readonly_paths.len == 1, "full: masked, read-only");
	tap_is_str(x->mount_label, "system_u:object_r:container_file_t:s0", "full: mount label");
	tap_is_int(cfg->propagation, NB_PROPAGATION_SLAVE, "full: rslave root");
	tap_is_str(x->cgroups_path, "machine.slice:libpod:abc", "full: cgroups path");
	tap_ok(x->monotonic.set && x->monotonic.secs == -86400 && x->monotonic.nanosecs == 5,
	       "full: monotonic offset");
	tap_ok(x->boottime.set && x->boottime.secs == 7, "full: boottime offset");
	tap_ok(cfg->sec.has_personality && cfg->sec.personality == PER_LINUX32, "full: LINUX32");
	tap_is_str(cfg->hostname, "box", "full: hostname");
	tap_is_str(x->domainname, "example.org", "full: domainname");
	tap_ok(x->annotations.len == 2 && nb_streq(x->annotations.items[1], "org.example=x=y"),
	       "full: annotations");
}

static void check_full_resources(const struct nb_resources *res)
{
	tap_ok(res->set, "full: resources set");
	tap_ok(res->memory_limit == 536870912 && res->memory_reservation == -1 &&
	       res->memory_swap == -1, "full: memory");
	tap_ok(res->cpu_shares == 1024 && res->cpu_quota == 50000 && res->cpu_period == 100000,
	       "full: cpu");
	tap_ok(nb_streq(res->cpuset_cpus, "0-1") && nb_streq(res->cpuset_mems, "0"), "full: cpuset");
	tap_is_int(res->pids_limit, -1, "full: pids limit 0 is no limit");
	tap_ok(res->unified.len == 2 && nb_streq(res->unified.items[1], "io.max=8:0 rbps=1024"),
	       "full: unified");
}

static void check_full_hooks_seccomp(const struct nb_config *cfg)
{
	const struct nb_oci_extras *x = &cfg->oci;
	const struct nb_seccomp *sc = &cfg->sec.seccomp;

	tap_ok(x->n_hooks[NB_HOOK_CREATE_RUNTIME] == 1 && x->n_hooks[NB_HOOK_POSTSTOP] == 1 &&
	       x->n_hooks[NB_HOOK_PRESTART] == 0, "full: hook counts");
	tap_ok(nb_streq(x->hooks[NB_HOOK_CREATE_RUNTIME][0].path, "/usr/bin/hook") &&
	       x->hooks[NB_HOOK_CREATE_RUNTIME][0].args.len == 2 &&
	       x->hooks[NB_HOOK_CREATE_RUNTIME][0].env.len == 1 &&
	       x->hooks[NB_HOOK_CREATE_RUNTIME][0].timeout == 5, "full: createRuntime hook");
	tap_ok(x->hooks[NB_HOOK_POSTSTOP][0].timeout == 0 &&
	       x->hooks[NB_HOOK_POSTSTOP][0].args.len == 0, "full: poststop hook defaults");
	tap_ok(sc->set && sc->default_action == NB_SECCOMP_ERRNO && sc->has_default_errno_ret &&
	       sc->default_errno_ret == 38, "full: seccomp default ERRNO(38)");
	tap_ok(sc->architectures.len == 2 && sc->flags.len == 1, "full: seccomp arches and flags");
	tap_ok(sc->n_rules == 1 && sc->rules[0].names.len == 2 &&
	       sc->rules[0].action == NB_SECCOMP_ALLOW, "full: seccomp rule");
}

static void test_full(void)
{
	struct load t;

	if (!load_ok(&t, J("%s", full_config), "full"))
		return;
	tap_is_str(t.cfg.rootfs, "/var/lib/c/rootfs", "full: absolute root kept");
	tap_ok(t.cfg.root_readonly, "full: read-only root");
	check_full_process(&t.cfg);
	check_full_mounts(&t.cfg);
	check_full_linux(&t.cfg);
	check_full_resources(&t.cfg.oci.resources);
	check_full_hooks_seccomp(&t.cfg);
	nb_config_free(&t.cfg);
}

static void test_bad_document(void)
{
	struct load t;

	load_bad(J("{'ociVersion': }"), "config.json:1:16: unexpected token near '}'");
	load_bad(J("{\n 'ociVersion': '1.0.0',\n 'ociVersion': '1.0.0'}"),
		 "config.json:3:13: duplicate object key near '\"ociVersion\"'");
	load_bad(J("%s", ""), "config.json:1:0: '[' or '{' expected near end of file");
	load_bad(J("[]"), "config.json: must be a JSON object");
	load_bad(J("{'root': {'path': 'r'}}"), "config.json: ociVersion: required");
	load_bad(J("{'ociVersion': 1}"), "config.json: ociVersion: must be a string");
	load_bad(J("{'ociVersion': '2.0.0'}"),
		 "config.json: ociVersion '2.0.0': unsupported, nsbox supports 1.x");
	load_bad(J("{'ociVersion': '1'}"), "config.json: ociVersion '1': unsupported, nsbox supports 1.x");
	load_bad(J("{'ociVersion': '1.0.0'}"), "config.json: root: required");
	load_bad(J("{'ociVersion': '1.0.0', 'root': []}"), "config.json: root: must be an object");
	load_bad(J("{'ociVersion': '1.0.0', 'root': {}}"), "config.json: root.path: required");
	load_bad(J("{'ociVersion': '1.0.0', 'root': {'path': ''}}"),
		 "config.json: root.path: must not be empty");
	load_bad(J("{'ociVersion': '1.0.0', 'root': {'path': 'r', 'readonly': 'yes'}}"),
		 "config.json: root.readonly: must be true or false");
	load_bad(J("{" HEAD ", 'linux': {" NS_MNT "}}"), "config.json: process: required");
	load_bad(J("{" HEAD ", 'process': {'args': ['sh'], 'cwd': '/'}, 'linux': {" NS_MNT "}}"),
		 "config.json: process.user: required");
	/* Any 1.x is accepted, and a JSON null counts as absent. */
	load_text(&t, "{\"ociVersion\": \"1.2.1-dev\", \"root\": {\"path\": \"r\"}, \"hostname\": null,"
		  " \"process\": {\"args\": [\"sh\"], \"cwd\": \"/\", \"user\": {\"uid\": 0, \"gid\": 0}},"
		  " \"linux\": {\"namespaces\": [{\"type\": \"mount\", \"path\": null}]}}", "/b");
	tap_is_int(t.r, 0, "1.2.1-dev and nulls load");
	tap_ok(t.cfg.hostname == NULL && t.cfg.ns[NB_NS_MNT].mode == NB_NS_NEW, "nulls are absent");
	nb_config_free(&t.cfg);
}

static void test_bad_process(void)
{
	const char *args_msg = "config.json: process.args: must be a non-empty array of strings";

	load_bad(J("{" HEAD ", 'process': {'cwd': '/', 'user': {'uid': 0, 'gid': 0}}}"), args_msg);
	load_bad(J("{" HEAD ", 'process': {'args': [], 'cwd': '/'}}"), args_msg);
	load_bad(J("{" HEAD ", 'process': {'args': ['sh', 1], 'cwd': '/'}}"), args_msg);
	load_bad(J("{" HEAD ", 'process': {'args': 'sh', 'cwd': '/'}}"), args_msg);
	load_bad(J("{" HEAD ", 'process': {'args': [''], 'cwd': '/'}}"),
		 "config.json: process.args[0]: must not be empty");
	load_bad(J("{" HEAD ", 'process': {'commandLine': 'sh', 'cwd': '/'}}"),
		 "config.json: process.commandLine: only for Windows");
	load_bad(J("{" HEAD ", 'process': {'args': ['sh']}}"), "config.json: process.cwd: required");
	load_bad(J("{" HEAD ", 'process': {'args': ['sh'], 'cwd': 'home'}}"),
		 "config.json: process.cwd: must be an absolute path");
	load_bad(J("{" HEAD ", 'process': {'args': ['sh'], 'cwd': '/', 'user': {'gid': 0}}}"),
		 "config.json: process.user.uid: required");
	load_bad(J("{" HEAD ", 'process': {'args': ['sh'], 'cwd': '/', 'user': {'uid': -1, 'gid': 0}}}"),
		 "config.json: process.user.uid: must be an integer from 0 to 4294967294");
	load_bad(J("{" HEAD ", 'process': {'args': ['sh'], 'cwd': '/', 'user': {'uid': '0', 'gid': 0}}}"),
		 "config.json: process.user.uid: must be an integer from 0 to 4294967294");
	load_bad(J("{" HEAD ", 'process': {'args': ['sh'], 'cwd': '/', 'user': {'uid': 0, 'gid': 1.5}}}"),
		 "config.json: process.user.gid: must be an integer from 0 to 4294967294");
	load_bad(J("{" HEAD ", 'process': {'args': ['sh'], 'cwd': '/', 'user': {'uid': 0, 'gid': 0,"
		   " 'additionalGids': [1, 'x']}}}"),
		 "config.json: process.user.additionalGids[1]: must be an integer from 0 to 4294967294");
	load_bad(J("{" HEAD ", 'process': {'args': ['sh'], 'cwd': '/', 'user': {'uid': 0, 'gid': 0,"
		   " 'umask': 512}}}"), "config.json: process.user.umask: must be an integer from 0 to 511");
	bad_process(", 'env': ['A=1', 'FOO']", "config.json: process.env[1]: 'FOO' is not KEY=VALUE");
	bad_process(", 'env': ['=x']", "config.json: process.env[0]: '=x' is not KEY=VALUE");
	bad_process(", 'env': 'A=1'", "config.json: process.env: must be an array of strings");
	bad_process(", 'terminal': 1", "config.json: process.terminal: must be true or false");
	bad_process(", 'execCPUAffinity': {'initial': '0'}",
		    "config.json: process.execCPUAffinity: unsupported by nsbox");
}

static void test_bad_process_security(void)
{
	bad_process(", 'capabilities': {'bounding': ['CAP_CHOWN', 'CAP_FOO']}",
		    "config.json: process.capabilities.bounding: unknown capability 'CAP_FOO'");
	bad_process(", 'capabilities': {'ambient': 'CAP_KILL'}",
		    "config.json: process.capabilities.ambient: must be an array of strings");
	bad_process(", 'capabilities': []", "config.json: process.capabilities: must be an object");
	bad_process(", 'rlimits': [{'type': 'RLIMIT_FOO', 'soft': 1, 'hard': 1}]",
		    "config.json: process.rlimits[0].type: unknown rlimit 'RLIMIT_FOO'");
	bad_process(", 'rlimits': [{'type': 'RLIMIT_NOFILE', 'soft': 1, 'hard': 1},"
		    " {'type': 'RLIMIT_NOFILE', 'soft': 2, 'hard': 2}]",
		    "config.json: process.rlimits[1].type: 'RLIMIT_NOFILE' is set twice");
	bad_process(", 'rlimits': [{'type': 'RLIMIT_NOFILE', 'soft': 2048, 'hard': 1024}]",
		    "config.json: process.rlimits[0]: soft limit 2048 is above the hard limit 1024");
	bad_process(", 'rlimits': [{'type': 'RLIMIT_NOFILE', 'soft': 1}]",
		    "config.json: process.rlimits[0].hard: required");
	bad_process(", 'rlimits': {}", "config.json: process.rlimits: must be an array");
	bad_process(", 'oomScoreAdj': 1001",
		    "config.json: process.oomScoreAdj: must be an integer from -1000 to 1000");
	bad_process(", 'noNewPrivileges': 'yes'",
		    "config.json: process.noNewPrivileges: must be true or false");
	bad_process(", 'apparmorProfile': 5", "config.json: process.apparmorProfile: must be a string");
	bad_process(", 'ioPriority': {'class': 'IOPRIO_CLASS_X'}",
		    "config.json: process.ioPriority.class: unknown class 'IOPRIO_CLASS_X' "
		    "(IOPRIO_CLASS_RT, IOPRIO_CLASS_BE or IOPRIO_CLASS_IDLE)");
	bad_process(", 'ioPriority': {'class': 'IOPRIO_CLASS_RT', 'priority': 8}",
		    "config.json: process.ioPriority.priority: must be an integer from 0 to 7");
	bad_process(", 'ioPriority': {}", "config.json: process.ioPriority.class: required");
	bad_process(", 'scheduler': {'policy': 'SCHED_X'}",
		    "config.json: process.scheduler.policy: unknown policy 'SCHED_X'");
	bad_process(", 'scheduler': {'policy': 'SCHED_OTHER', 'nice': 20}",
		    "config.json: process.scheduler.nice: must be an integer from -20 to 19");
	bad_process(", 'scheduler': {'policy': 'SCHED_FIFO'}",
		    "config.json: process.scheduler.priority: must be 1 to 99 for SCHED_FIFO and SCHED_RR");
	bad_process(", 'scheduler': {'policy': 'SCHED_OTHER', 'priority': 3}",
		    "config.json: process.scheduler.priority: only for SCHED_FIFO and SCHED_RR");
	bad_process(", 'scheduler': {'policy': 'SCHED_OTHER', 'runtime': 3}",
		    "config.json: process.scheduler: runtime, deadline and period are only for SCHED_DEADLINE");
	bad_process(", 'scheduler': {'policy': 'SCHED_DEADLINE', 'runtime': 10, 'deadline': 5}",
		    "config.json: process.scheduler: SCHED_DEADLINE needs 0 < runtime <= deadline <= period");
	bad_process(", 'scheduler': {'policy': 'SCHED_OTHER', 'flags': ['SCHED_FLAG_X']}",
		    "config.json: process.scheduler.flags: unknown flag 'SCHED_FLAG_X'");
	bad_process(", 'consoleSize': {'height': 24}",
		    "config.json: process.consoleSize.width: required");
	bad_process(", 'consoleSize': {'height': 24, 'width': 70000}",
		    "config.json: process.consoleSize.width: must be an integer from 0 to 65535");
}

static void test_bad_linux(void)
{
	load_bad(J("{" HEAD ", " PROC "}, 'linux': {'namespaces': [{'type': 'mount'}, {'type': 'pid'},"
		   " {'type': 'foo'}]}}"),
		 "config.json: linux.namespaces[2].type: unknown namespace type 'foo'");
	load_bad(J("{" HEAD ", " PROC "}, 'linux': {'namespaces': [{'type': 'mount'}, {'type': 'mnt'}]}}"),
		 "config.json: linux.namespaces[1].type: unknown namespace type 'mnt'");
	load_bad(J("{" HEAD ", " PROC "}, 'linux': {'namespaces': [{'type': 'mount'}, {'type': 'pid'},"
		   " {'type': 'pid', 'path': '/proc/1/ns/pid'}]}}"),
		 "config.json: linux.namespaces[2].type: 'pid' is listed twice");
	load_bad(J("{" HEAD ", " PROC "}, 'linux': {'namespaces': [{'type': 'mount'},"
		   " {'type': 'net', 'path': 'x'}]}}"),
		 "config.json: linux.namespaces[1].type: unknown namespace type 'net'");
	load_bad(J("{" HEAD ", " PROC "}, 'linux': {'namespaces': [{'type': 'mount'},"
		   " {'type': 'network', 'path': 'netns/x'}]}}"),
		 "config.json: linux.namespaces[1].path: must be an absolute path");
	load_bad(J("{" HEAD ", " PROC "}, 'linux': {'namespaces': [{'path': '/x'}]}}"),
		 "config.json: linux.namespaces[0].type: required");
	load_bad(J("{" HEAD ", " PROC "}, 'linux': {'namespaces': {}}}"),
		 "config.json: linux.namespaces: must be an array");
	load_bad(J("{" HEAD ", " PROC "}, 'linux': []}"), "config.json: linux: must be an object");
	load_bad(J("{" HEAD ", " PROC "}, 'linux': {'namespaces': [{'type': 'pid'}]}}"),
		 "config.json: linux.namespaces: nsbox needs a new mount namespace "
		 "(type 'mount' without a path)");
	load_bad(J("{" HEAD ", " PROC "}}"), "config.json: linux.namespaces: nsbox needs a new mount "
		 "namespace (type 'mount' without a path)");
	load_bad(J("{" HEAD ", " PROC "}, 'linux': {'namespaces': [{'type': 'mount', 'path': '/proc/1/ns/mnt'}]}}"),
		 "config.json: linux.namespaces: nsbox needs a new mount namespace "
		 "(type 'mount' without a path)");
	bad_linux(", 'intelRdt': {'closID': 'x'}", "config.json: linux.intelRdt: unsupported by nsbox");
	bad_linux(", 'rootfsPropagation': 'bogus'", "config.json: linux.rootfsPropagation: "
		  "unknown propagation 'bogus' (private, slave, shared or unbindable)");
	bad_linux(", 'maskedPaths': ['/proc/kcore', 'proc/keys']",
		  "config.json: linux.maskedPaths[1]: must be an absolute path");
	bad_linux(", 'readonlyPaths': [1]", "config.json: linux.readonlyPaths: must be an array of strings");
	bad_linux(", 'mountLabel': []", "config.json: linux.mountLabel: must be a string");
	bad_linux(", 'cgroupsPath': 5", "config.json: linux.cgroupsPath: must be a string");
	bad_linux(", 'personality': {'domain': 'BSD'}",
		  "config.json: linux.personality.domain: unknown domain 'BSD' (LINUX or LINUX32)");
	bad_linux(", 'personality': {'domain': 'LINUX', 'flags': ['ADDR_NO_RANDOMIZE']}",
		  "config.json: linux.personality.flags: unknown flag 'ADDR_NO_RANDOMIZE'");
	bad_linux(", 'personality': {}", "config.json: linux.personality.domain: required");
}

static void test_bad_idmaps(void)
{
	const char *ns_user = "'namespaces': [{'type': 'mount'}, {'type': 'user'}]";

	load_bad(J("{" HEAD ", " PROC "}, 'linux': {%s}}", ns_user),
		 "config.json: linux.uidMappings: required with a new user namespace");
	load_bad(J("{" HEAD ", " PROC "}, 'linux': {%s, 'uidMappings': [{'containerID': 0, 'hostID': 1,"
		   " 'size': 1}], 'gidMappings': []}}", ns_user),
		 "config.json: linux.gidMappings: required with a new user namespace");
	bad_linux(", 'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 1}]",
		  "config.json: linux.uidMappings: only with a new user namespace");
	load_bad(J("{" HEAD ", " PROC "}, 'linux': {'namespaces': [{'type': 'mount'}, {'type': 'user',"
		   " 'path': '/proc/1/ns/user'}], 'gidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 1}]}}"),
		 "config.json: linux.gidMappings: only with a new user namespace");
	load_bad(J("{" HEAD ", " PROC "}, 'linux': {%s, 'uidMappings': [{'containerID': 0, 'hostID': 1000,"
		   " 'size': 10}, {'containerID': 5, 'hostID': 5000, 'size': 10}]}}", ns_user),
		 "config.json: linux.uidMappings 5:5000:10: inside range overlaps 0:1000:10");
	load_bad(J("{" HEAD ", " PROC "}, 'linux': {%s, 'uidMappings': [{'containerID': 0, 'hostID': 1000,"
		   " 'size': 0}]}}", ns_user),
		 "config.json: linux.uidMappings 0:1000:0: count must be at least 1");
	load_bad(J("{" HEAD ", " PROC "}, 'linux': {%s, 'uidMappings': [{'containerID': 0, 'size': 1}]}}",
		   ns_user), "config.json: linux.uidMappings[0].hostID: required");
	load_bad(J("{" HEAD ", " PROC "}, 'linux': {%s, 'uidMappings': [{'containerID': 0, 'hostID': 4294967296,"
		   " 'size': 1}]}}", ns_user),
		 "config.json: linux.uidMappings[0].hostID: must be an integer from 0 to 4294967295");
	load_bad(J("{" HEAD ", 'process': {'args': ['sh'], 'cwd': '/', 'user': {'uid': 10, 'gid': 0}},"
		   " 'linux': {" NS_USER "}}"),
		 "config.json: process.user.uid: 10 is not mapped in linux.uidMappings");
	load_bad(J("{" HEAD ", 'process': {'args': ['sh'], 'cwd': '/', 'user': {'uid': 0, 'gid': 11}},"
		   " 'linux': {" NS_USER "}}"),
		 "config.json: process.user.gid: 11 is not mapped in linux.gidMappings");
	load_bad(J("{" HEAD ", 'process': {'args': ['sh'], 'cwd': '/', 'user': {'uid': 0, 'gid': 0,"
		   " 'additionalGids': [1, 9, 10]}}, 'linux': {" NS_USER "}}"),
		 "config.json: process.user.additionalGids[2]: 10 is not mapped in linux.gidMappings");
}

static void test_bad_devices_sysctl(void)
{
	bad_linux(", 'devices': [{'path': '/dev/x', 'type': 'x'}]",
		  "config.json: linux.devices[0].type: must be c, b, u or p");
	bad_linux(", 'devices': [{'path': '/dev/x', 'type': 'cc'}]",
		  "config.json: linux.devices[0].type: must be c, b, u or p");
	bad_linux(", 'devices': [{'path': 'dev/x', 'type': 'c', 'major': 1, 'minor': 3}]",
		  "config.json: linux.devices[0].path: must be an absolute path");
	bad_linux(", 'devices': [{'type': 'c', 'major': 1, 'minor': 3}]",
		  "config.json: linux.devices[0].path: required");
	bad_linux(", 'devices': [{'path': '/dev/x', 'type': 'b', 'minor': 3}]",
		  "config.json: linux.devices[0].major: required");
	bad_linux(", 'devices': [{'path': '/dev/x', 'type': 'u', 'major': 1}]",
		  "config.json: linux.devices[0].minor: required");
	bad_linux(", 'devices': [{'path': '/dev/x', 'type': 'c', 'major': 1, 'minor': 3, 'fileMode': 4096}]",
		  "config.json: linux.devices[0].fileMode: must be an integer from 0 to 4095");
	bad_linux(", 'devices': [{'path': '/dev/x', 'type': 'p'}, {'path': '/dev/x', 'type': 'p'}]",
		  "config.json: linux.devices[1].path: '/dev/x' is listed twice");
	bad_linux(", 'sysctl': {'vm.swappiness': '10'}",
		  "config.json: linux.sysctl: 'vm.swappiness' is not namespaced");
	bad_linux(", 'sysctl': {'kernel.pid_max': '10'}",
		  "config.json: linux.sysctl: 'kernel.pid_max' is not namespaced");
	bad_linux(", 'sysctl': {'net.ipv4.ip_forward': '1'}",
		  "config.json: linux.sysctl: 'net.ipv4.ip_forward' needs the container's own network namespace");
	bad_linux(", 'sysctl': {'net/ipv4/ip_forward': '1'}",
		  "config.json: linux.sysctl: 'net/ipv4/ip_forward' needs the container's own network namespace");
	bad_linux(", 'sysctl': {'kernel.hostname': 'x'}",
		  "config.json: linux.sysctl: 'kernel.hostname' needs the container's own uts namespace");
	bad_linux(", 'sysctl': {'kernel.shmmax': '1'}",
		  "config.json: linux.sysctl: 'kernel.shmmax' needs the container's own ipc namespace");
	bad_linux(", 'sysctl': {'fs.mqueue.msg_max': 10}",
		  "config.json: linux.sysctl.fs.mqueue.msg_max: must be a string");
	bad_linux(", 'sysctl': ['a=b']", "config.json: linux.sysctl: must be an object of strings");
	bad_linux(", 'timeOffsets': {'monotonic': {'secs': 1}}",
		  "config.json: linux.timeOffsets: needs a new time namespace");
	load_bad(J("{" HEAD ", " PROC "}, 'linux': {'namespaces': [{'type': 'mount'}, {'type': 'time'}],"
		   " 'timeOffsets': {'boottime': {'nanosecs': 1000000000}}}}"),
		 "config.json: linux.timeOffsets.boottime.nanosecs: must be an integer from 0 to 999999999");
	load_bad(J("{" HEAD ", " PROC "}, 'linux': {'namespaces': [{'type': 'mount'}, {'type': 'time'}],"
		   " 'timeOffsets': {'realtime': {'secs': 1}}}}"),
		 "config.json: linux.timeOffsets: unknown clock 'realtime' (monotonic or boottime)");
}

static void test_bad_seccomp(void)
{
	bad_linux(", 'seccomp': {}", "config.json: linux.seccomp.defaultAction: required");
	bad_linux(", 'seccomp': {'defaultAction': 'SCMP_ACT_FOO'}",
		  "config.json: linux.seccomp.defaultAction: unknown action 'SCMP_ACT_FOO'");
	bad_linux(", 'seccomp': {'defaultAction': 'SCMP_ACT_NOTIFY', 'listenerPath': '/x'}",
		  "config.json: linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action");
	bad_linux(", 'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'defaultErrnoRet': 1}",
		  "config.json: linux.seccomp.defaultErrnoRet: only for SCMP_ACT_ERRNO and SCMP_ACT_TRACE");
	bad_linux(", 'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'architectures': ['SCMP_ARCH_Z80']}",
		  "config.json: linux.seccomp.architectures[0]: unknown architecture 'SCMP_ARCH_Z80'");
	bad_linux(", 'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'flags': ['SECCOMP_FILTER_FLAG_X']}",
		  "config.json: linux.seccomp.flags[0]: unknown flag 'SECCOMP_FILTER_FLAG_X'");
	bad_linux(", 'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': [],"
		  " 'action': 'SCMP_ACT_ERRNO'}]}",
		  "config.json: linux.seccomp.syscalls[0].names: must be a non-empty array of strings");
	bad_linux(", 'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read']}]}",
		  "config.json: linux.seccomp.syscalls[0].action: required");
	bad_linux(", 'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'],"
		  " 'action': 'SCMP_ACT_KILL', 'errnoRet': 1}]}",
		  "config.json: linux.seccomp.syscalls[0].errnoRet: only for SCMP_ACT_ERRNO and SCMP_ACT_TRACE");
	bad_linux(", 'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'],"
		  " 'action': 'SCMP_ACT_ERRNO', 'args': [{'index': 6, 'value': 1, 'op': 'SCMP_CMP_EQ'}]}]}",
		  "config.json: linux.seccomp.syscalls[0].args[0].index: must be an integer from 0 to 5");
	bad_linux(", 'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'],"
		  " 'action': 'SCMP_ACT_ERRNO', 'args': [{'index': 0, 'value': 1, 'op': 'SCMP_CMP_XX'}]}]}",
		  "config.json: linux.seccomp.syscalls[0].args[0].op: unknown operator 'SCMP_CMP_XX'");
	bad_linux(", 'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'],"
		  " 'action': 'SCMP_ACT_ERRNO', 'args': [{'index': 0, 'op': 'SCMP_CMP_EQ'}]}]}",
		  "config.json: linux.seccomp.syscalls[0].args[0].value: required");
	bad_linux(", 'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['a'],"
		  " 'action': 'SCMP_ACT_ALLOW'}, {'names': ['ioctl'], 'action': 'SCMP_ACT_NOTIFY'}]}",
		  "config.json: linux.seccomp.listenerPath: required with SCMP_ACT_NOTIFY");
	bad_linux(", 'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'listenerMetadata': 'm'}",
		  "config.json: linux.seccomp.listenerMetadata: only with listenerPath");
}

static void test_bad_resources(void)
{
	bad_linux(", 'resources': []", "config.json: linux.resources: must be an object");
	bad_linux(", 'resources': {'memory': {'limit': 'x'}}",
		  "config.json: linux.resources.memory.limit: must be an integer from -1 to 9223372036854775807");
	bad_linux(", 'resources': {'memory': {'swappiness': 101}}",
		  "config.json: linux.resources.memory.swappiness: must be an integer from 0 to 100");
	bad_linux(", 'resources': {'memory': {'disableOOMKiller': 1}}",
		  "config.json: linux.resources.memory.disableOOMKiller: must be true or false");
	bad_linux(", 'resources': {'cpu': {'cpus': 3}}",
		  "config.json: linux.resources.cpu.cpus: must be a string");
	bad_linux(", 'resources': {'cpu': {'shares': -2}}",
		  "config.json: linux.resources.cpu.shares: must be an integer from 0 to 18446744073709551615");
	bad_linux(", 'resources': {'pids': {}}", "config.json: linux.resources.pids.limit: required");
	bad_linux(", 'resources': {'unified': {'../escape': '1'}}",
		  "config.json: linux.resources.unified: '../escape' is not a cgroup file name");
	bad_linux(", 'resources': {'unified': {'..': '1'}}",
		  "config.json: linux.resources.unified: '..' is not a cgroup file name");
	bad_linux(", 'resources': {'devices': [{'access': 'rwm'}]}",
		  "config.json: linux.resources.devices[0].allow: required");
	bad_linux(", 'resources': {'devices': [{'allow': true, 'type': 'x'}]}",
		  "config.json: linux.resources.devices[0].type: must be a, b or c");
	bad_linux(", 'resources': {'devices': [{'allow': true, 'access': 'rwx'}]}",
		  "config.json: linux.resources.devices[0].access: must be made of r, w and m");
	bad_linux(", 'resources': {'blockIO': {'weight': 70000}}",
		  "config.json: linux.resources.blockIO.weight: must be an integer from 0 to 65535");
	bad_linux(", 'resources': {'blockIO': {'throttleWriteIOPSDevice': [{'major': 8, 'minor': 0}]}}",
		  "config.json: linux.resources.blockIO.throttleWriteIOPSDevice[0].rate: required");
	bad_linux(", 'resources': {'hugepageLimits': [{'limit': 1}]}",
		  "config.json: linux.resources.hugepageLimits[0].pageSize: required");
	bad_linux(", 'resources': {'network': {'priorities': [{'name': 'eth0', 'priority': -1}]}}",
		  "config.json: linux.resources.network.priorities[0].priority: must be an integer from 0 to 4294967295");
	bad_linux(", 'resources': {'rdma': {'mlx': {'hcaObjects': 'x'}}}",
		  "config.json: linux.resources.rdma.mlx.hcaObjects: must be an integer from 0 to 4294967295");
}

static void test_bad_mounts(void)
{
	bad_top(", 'mounts': {}", "config.json: mounts: must be an array");
	bad_top(", 'mounts': [{'destination': '/a', 'type': 'tmpfs'}, {'destination': '/b', 'type': 'tmpfs'},"
		" {'destination': '/c', 'type': 'tmpfs'}, {'destination': 'd', 'type': 'tmpfs'}]",
		"config.json: mounts[3].destination: must be an absolute path");
	bad_top(", 'mounts': [{'type': 'tmpfs'}]", "config.json: mounts[0].destination: required");
	bad_top(", 'mounts': [{'destination': '/a/../etc', 'type': 'tmpfs'}]",
		"config.json: mounts[0].destination: must not contain '..'");
	bad_top(", 'mounts': [{'destination': '/a', 'source': '/x'}]",
		"config.json: mounts[0].type: required unless the mount is a bind mount");
	bad_top(", 'mounts': [{'destination': '/a', 'type': 'bind'}]",
		"config.json: mounts[0].source: required for a bind mount");
	bad_top(", 'mounts': [{'destination': '/a', 'type': 'tmpfs', 'options': 'ro'}]",
		"config.json: mounts[0].options: must be an array of strings");
	bad_top(", 'mounts': [{'destination': '/a', 'type': 'proc', 'options': ['tmpcopyup']}]",
		"config.json: mounts[0].options: 'tmpcopyup' is only for tmpfs");
	bad_top(", 'mounts': [{'destination': '/a', 'type': 'bind', 'source': '/x',"
		" 'options': ['idmap=uids=0-1-10']}]",
		"config.json: mounts[0].options: 'idmap=uids=0-1-10': give the mapping as uidMappings "
		"and gidMappings");
	bad_top(", 'mounts': [{'destination': '/a', 'type': 'tmpfs', 'options': ['idmap']}]",
		"config.json: mounts[0]: only bind mounts can be idmapped");
	bad_top(", 'mounts': [{'destination': '/a', 'type': 'bind', 'source': '/x', 'options': ['idmap']}]",
		"config.json: mounts[0].uidMappings: required for 'idmap' without a new user namespace");
	bad_top(", 'mounts': [{'destination': '/a', 'type': 'bind', 'source': '/x',"
		" 'uidMappings': [{'containerID': 0, 'hostID': 1, 'size': 1}]}]",
		"config.json: mounts[0].gidMappings: required with uidMappings");
	bad_top(", 'mounts': [{'destination': '/a', 'type': 'bind', 'source': '/x',"
		" 'uidMappings': [{'containerID': 0, 'hostID': 1, 'size': 1}],"
		" 'gidMappings': [{'containerID': 0, 'hostID': 1}]}]",
		"config.json: mounts[0].gidMappings[0].size: required");
}

static void test_bad_top(void)
{
	bad_top(", 'hostname': 'box'", "config.json: hostname: needs a uts namespace in linux.namespaces");
	bad_top(", 'domainname': 'example.org'",
		"config.json: domainname: needs a uts namespace in linux.namespaces");
	bad_top(", 'hostname': 5", "config.json: hostname: must be a string");
	bad_top(", 'hostname': 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'",
		"config.json: hostname: longer than 64 characters");
	bad_top(", 'annotations': {'a': 'b', 'foo': 1}", "config.json: annotations.foo: must be a string");
	bad_top(", 'annotations': []", "config.json: annotations: must be an object of strings");
	bad_top(", 'hooks': []", "config.json: hooks: must be an object");
	bad_top(", 'hooks': {'prestart': {}}", "config.json: hooks.prestart: must be an array");
	bad_top(", 'hooks': {'poststart': [{'args': []}]}", "config.json: hooks.poststart[0].path: required");
	bad_top(", 'hooks': {'createContainer': [{'path': 'hook'}]}",
		"config.json: hooks.createContainer[0].path: must be an absolute path");
	bad_top(", 'hooks': {'startContainer': [{'path': '/hook', 'timeout': 0}]}",
		"config.json: hooks.startContainer[0].timeout: must be an integer from 1 to 2147483647");
	bad_top(", 'hooks': {'poststop': [{'path': '/hook', 'env': 'A=1'}]}",
		"config.json: hooks.poststop[0].env: must be an array of strings");
}

static void test_error_record(void)
{
	struct load t;
	char *text = J("{'ociVersion': '3'}");

	load_text(&t, text, "/b");
	free(text);
	tap_ok(t.err.code == EINVAL && t.err.kind == NB_ERR_SETUP, "errors are EINVAL setup errors");
	nb_config_free(&t.cfg);
	text = doc("", "", "");
	load_text(&t, text, "bundle");
	tap_is_str(t.err.msg, "bundle 'bundle': must be an absolute path", "a relative bundle is refused");
	nb_config_free(&t.cfg);
	load_text(&t, text, NULL);
	tap_is_str(t.err.msg, "bundle '': must be an absolute path", "no bundle is refused");
	free(text);
	nb_config_free(&t.cfg);
	text = doc("", ", 'uidMappings': [{'containerID': 0, 'hostID': 0, 'size': 0}]", "");
	load_text(&t, text, "/b");
	free(text);
	tap_ok(t.err.code == EINVAL && t.err.kind == NB_ERR_SETUP, "id map errors are setup errors too");
	nb_config_free(&t.cfg);
}

static void test_namespaces(void)
{
	struct load t;

	if (!load_ok(&t, J("{" HEAD ", " PROC "}, 'linux': {'namespaces': [{'type': 'mount'},"
			   " {'type': 'pid', 'path': '/proc/7/ns/pid'}, {'type': 'network', 'path': ''},"
			   " {'type': 'ipc'}, {'type': 'cgroup', 'path': '/proc/7/ns/cgroup'}]}}"),
		     "namespaces"))
		return;
	tap_is_int(t.cfg.ns[NB_NS_MNT].mode, NB_NS_NEW, "namespaces: mount new");
	tap_is_int(t.cfg.ns[NB_NS_PID].mode, NB_NS_JOIN, "namespaces: pid joined");
	tap_is_str(t.cfg.ns[NB_NS_PID].path, "/proc/7/ns/pid", "namespaces: pid path");
	tap_is_int(t.cfg.ns[NB_NS_NET].mode, NB_NS_NEW, "namespaces: empty path means new");
	tap_ok(t.cfg.ns[NB_NS_NET].path == NULL, "namespaces: no path kept for new");
	tap_is_int(t.cfg.ns[NB_NS_IPC].mode, NB_NS_NEW, "namespaces: ipc new");
	tap_is_int(t.cfg.ns[NB_NS_CGROUP].mode, NB_NS_JOIN, "namespaces: cgroup joined");
	tap_is_int(t.cfg.ns[NB_NS_UTS].mode, NB_NS_SHARE, "namespaces: uts not listed, shared");
	tap_is_int(t.cfg.ns[NB_NS_USER].mode, NB_NS_SHARE, "namespaces: user not listed, shared");
	tap_is_int(t.cfg.ns[NB_NS_TIME].mode, NB_NS_SHARE, "namespaces: time not listed, shared");
	nb_config_free(&t.cfg);

	/* A joined uts or network namespace is the container's own (a pod's). */
	if (load_ok(&t, J("{" HEAD ", " PROC "}, 'hostname': 'pod', 'linux': {'namespaces': [{'type': 'mount'},"
			  " {'type': 'uts', 'path': '/run/uts'}, {'type': 'network', 'path': '/run/netns/p'}],"
			  " 'sysctl': {'net.core.somaxconn': '256', 'kernel.domainname': 'd'}}}"),
		    "joined uts and net"))
		tap_is_str(t.cfg.hostname, "pod", "joined uts: hostname kept");
	nb_config_free(&t.cfg);
}

static void test_user_namespace(void)
{
	struct load t;

	if (!load_ok(&t, J("{" HEAD ", 'process': {'args': ['sh'], 'cwd': '/', 'user': {'uid': 9,"
			   " 'gid': 9, 'additionalGids': [0, 9]}}, 'linux': {" NS_USER "}}"), "user namespace"))
		return;
	tap_is_int(t.cfg.ns[NB_NS_USER].mode, NB_NS_NEW, "user namespace: new");
	tap_ok(t.cfg.uid_map.len == 1 && t.cfg.uid_map.range[0].outside == 1000 &&
	       t.cfg.uid_map.range[0].count == 10, "user namespace: uid map");
	tap_ok(t.cfg.uid == 9 && t.cfg.gid == 9 && t.cfg.n_groups == 2, "user namespace: mapped ids");
	nb_config_free(&t.cfg);
}

/* Load one mount; *M is a copy of it (the config is freed by the caller). */
static bool load_mount(struct load *t, const char *mount, const char *extra_linux)
{
	char *text = J("{" HEAD ", " PROC "}, 'linux': {'namespaces': [{'type': 'mount'}%s]}, "
		       "'mounts': [%s]}", extra_linux, mount);

	load_text(t, text, "/srv/bundle/");
	free(text);
	if (!tap_is_int(t->r, 0, "mount %s: loads", mount) || !tap_is_int(t->cfg.n_mounts, 1,
									   "mount %s: one", mount)) {
		tap_diag("message: %s", t->err.msg);
		nb_config_free(&t->cfg);
		return false;
	}
	return true;
}

static void check_mount(const char *mount, enum nb_mount_kind kind, unsigned flags,
			const char *data, enum nb_mount_propagation prop, bool prop_rec)
{
	struct load t;
	const struct nb_mount *m;

	if (!load_mount(&t, mount, ""))
		return;
	m = &t.cfg.mounts[0];
	tap_is_int(m->kind, kind, "mount %s: kind", mount);
	tap_is_int(m->flags, flags, "mount %s: flags", mount);
	tap_is_str(m->data, data, "mount %s: data", mount);
	tap_ok(m->propagation == prop && m->propagation_recursive == prop_rec,
	       "mount %s: propagation", mount);
	nb_config_free(&t.cfg);
}

static void test_mount_options(void)
{
	const unsigned RA = NB_MNT_RECURSIVE_ATTRS;

	check_mount("{'destination': '/t', 'type': 'tmpfs', 'options': ['ro', 'rw', 'nosuid', 'suid',"
		    " 'nodev', 'noexec', 'size=1m']}", NB_MOUNT_TMPFS, NB_MNT_NODEV | NB_MNT_NOEXEC,
		    "size=1m", NB_MPROP_NONE, false);
	check_mount("{'destination': '/t', 'type': 'tmpfs', 'options': ['dev', 'exec', 'defaults',"
		    " 'async', 'sync', 'remount', 'mand', 'dirsync']}", NB_MOUNT_TMPFS, 0, NULL,
		    NB_MPROP_NONE, false);
	check_mount("{'destination': '/t', 'type': 'tmpfs', 'options': ['noatime', 'relatime']}",
		    NB_MOUNT_TMPFS, NB_MNT_RELATIME, NULL, NB_MPROP_NONE, false);
	check_mount("{'destination': '/t', 'type': 'tmpfs', 'options': ['relatime', 'strictatime',"
		    " 'nodiratime', 'nosymfollow']}", NB_MOUNT_TMPFS,
		    NB_MNT_STRICTATIME | NB_MNT_NODIRATIME | NB_MNT_NOSYMFOLLOW, NULL, NB_MPROP_NONE, false);
	check_mount("{'destination': '/t', 'type': 'tmpfs', 'options': ['relatime', 'norelatime']}",
		    NB_MOUNT_TMPFS, 0, NULL, NB_MPROP_NONE, false);
	check_mount("{'destination': '/b', 'type': 'bind', 'source': '/x', 'options': ['rro', 'rnosuid',"
		    " 'rnodev', 'rnoexec']}", NB_MOUNT_BIND,
		    NB_MNT_RDONLY | NB_MNT_NOSUID | NB_MNT_NODEV | NB_MNT_NOEXEC | RA, NULL,
		    NB_MPROP_NONE, false);
	check_mount("{'destination': '/b', 'type': 'bind', 'source': '/x', 'options': ['rrelatime',"
		    " 'rnoatime', 'rstrictatime', 'rnodiratime', 'rnosymfollow']}", NB_MOUNT_BIND,
		    NB_MNT_STRICTATIME | NB_MNT_NODIRATIME | NB_MNT_NOSYMFOLLOW | RA, NULL,
		    NB_MPROP_NONE, false);
	check_mount("{'destination': '/b', 'type': 'none', 'source': '/x', 'options': ['rbind', 'rrw']}",
		    NB_MOUNT_BIND, NB_MNT_RECURSIVE | RA, NULL, NB_MPROP_NONE, false);
	check_mount("{'destination': '/b', 'type': 'tmpfs', 'source': '/x', 'options': ['bind']}",
		    NB_MOUNT_BIND, 0, NULL, NB_MPROP_NONE, false);
	check_mount("{'destination': '/b', 'type': 'bind', 'source': '/x', 'options': ['rshared']}",
		    NB_MOUNT_BIND, 0, NULL, NB_MPROP_SHARED, true);
	check_mount("{'destination': '/b', 'type': 'bind', 'source': '/x', 'options': ['shared', 'slave']}",
		    NB_MOUNT_BIND, 0, NULL, NB_MPROP_SLAVE, false);
	check_mount("{'destination': '/b', 'type': 'bind', 'source': '/x', 'options': ['runbindable']}",
		    NB_MOUNT_BIND, 0, NULL, NB_MPROP_UNBINDABLE, true);
	check_mount("{'destination': '/b', 'type': 'bind', 'source': '/x', 'options': ['private']}",
		    NB_MOUNT_BIND, 0, NULL, NB_MPROP_PRIVATE, false);
	check_mount("{'destination': '/t', 'type': 'tmpfs', 'options': ['tmpcopyup', 'mode=1777']}",
		    NB_MOUNT_TMPFS, NB_MNT_TMPCOPYUP, "mode=1777", NB_MPROP_NONE, false);
	check_mount("{'destination': '/m', 'type': 'mqueue'}", NB_MOUNT_MQUEUE, 0, NULL,
		    NB_MPROP_NONE, false);
	check_mount("{'destination': '/c', 'type': 'cgroup2', 'options': ['nsdelegate']}",
		    NB_MOUNT_CGROUP, 0, "nsdelegate", NB_MPROP_NONE, false);
}

static void test_idmapped_mounts(void)
{
	struct load t;
	const struct nb_mount *m;

	if (load_mount(&t, "{'destination': '/b', 'type': 'bind', 'source': '/x', 'options': ['rbind',"
		       " 'ridmap'], 'uidMappings': [{'containerID': 0, 'hostID': 5000, 'size': 100}],"
		       " 'gidMappings': [{'containerID': 0, 'hostID': 6000, 'size': 100}]}", "")) {
		m = &t.cfg.mounts[0];
		tap_ok(m->uid_map && m->uid_map->len == 1 && m->uid_map->range[0].outside == 5000,
		       "idmapped mount: uid map");
		tap_ok(m->gid_map && m->gid_map->len == 1 && m->gid_map->range[0].outside == 6000,
		       "idmapped mount: gid map");
		tap_is_int(m->flags, NB_MNT_RECURSIVE | NB_MNT_IDMAP_RECURSIVE, "idmapped mount: ridmap");
		nb_config_free(&t.cfg);
	}
	/* "idmap" alone: the container's own maps (runtime-spec 1.2). */
	if (load_mount(&t, "{'destination': '/b', 'type': 'bind', 'source': '/x', 'options': ['idmap']}",
		       ", {'type': 'user'}], 'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 1}],"
		       " 'gidMappings': [{'containerID': 0, 'hostID': 1001, 'size': 1}")) {
		m = &t.cfg.mounts[0];
		tap_ok(m->uid_map && m->uid_map->range[0].outside == 1000 &&
		       m->gid_map && m->gid_map->range[0].outside == 1001,
		       "idmap without mappings: the container's");
		tap_is_int(m->flags, 0, "idmap: not recursive");
		nb_config_free(&t.cfg);
	}
}

static void test_paths(void)
{
	struct load t;
	char *text;

	if (load_mount(&t, "{'destination': '/b', 'type': 'bind', 'source': './data//sub/'}", "")) {
		tap_is_str(t.cfg.rootfs, "/srv/bundle/rootfs", "paths: root in a bundle with a slash");
		tap_is_str(t.cfg.mounts[0].source, "/srv/bundle/data/sub", "paths: relative bind source");
		nb_config_free(&t.cfg);
	}
	if (load_mount(&t, "{'destination': '/b', 'type': 'bind', 'source': '/abs/src'}", "")) {
		tap_is_str(t.cfg.mounts[0].source, "/abs/src", "paths: absolute bind source kept");
		nb_config_free(&t.cfg);
	}
	text = J("{'ociVersion': '1.0.0', 'root': {'path': './r/./fs'}, " PROC "},"
		 " 'linux': {" NS_MNT "}}");
	load_text(&t, text, "/b");
	free(text);
	tap_is_str(t.cfg.rootfs, "/b/r/fs", "paths: ./ parts dropped");
	nb_config_free(&t.cfg);
	text = J("{'ociVersion': '1.0.0', 'root': {'path': '/var/rootfs'}, " PROC "},"
		 " 'linux': {" NS_MNT "}}");
	load_text(&t, text, "/b");
	free(text);
	tap_is_str(t.cfg.rootfs, "/var/rootfs", "paths: absolute root kept");
	nb_config_free(&t.cfg);
}

static void test_seccomp_rules(void)
{
	struct load t;
	const struct nb_seccomp *sc;

	if (!load_ok(&t, doc("", ", 'seccomp': {'defaultAction': 'SCMP_ACT_KILL_PROCESS',"
			     " 'listenerPath': '/run/agent.sock', 'listenerMetadata': 'meta',"
			     " 'syscalls': [{'names': ['personality'], 'action': 'SCMP_ACT_ALLOW',"
			     "  'args': [{'index': 0, 'value': 0, 'op': 'SCMP_CMP_EQ'},"
			     "   {'index': 1, 'value': 18446744073709551615, 'valueTwo': 8,"
			     "    'op': 'SCMP_CMP_MASKED_EQ'}]},"
			     " {'names': ['mkdir'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 1},"
			     " {'names': ['ioctl'], 'action': 'SCMP_ACT_NOTIFY'},"
			     " {'names': ['ptrace'], 'action': 'SCMP_ACT_TRACE', 'errnoRet': 3},"
			     " {'names': ['kill'], 'action': 'SCMP_ACT_KILL'}]}", ""), "seccomp"))
		return;
	sc = &t.cfg.sec.seccomp;
	tap_ok(sc->set && sc->default_action == NB_SECCOMP_KILL_PROCESS && !sc->has_default_errno_ret,
	       "seccomp: default kill process");
	tap_is_str(sc->listener_path, "/run/agent.sock", "seccomp: listener path");
	tap_is_str(sc->listener_metadata, "meta", "seccomp: listener metadata");
	if (!tap_is_int(sc->n_rules, 5, "seccomp: five rules"))
		goto out;
	tap_ok(sc->rules[0].n_args == 2 && sc->rules[0].args[0].op == NB_SECCOMP_OP_EQ &&
	       sc->rules[0].args[0].value == 0, "seccomp: first condition");
	tap_ok(sc->rules[0].args[1].index == 1 && sc->rules[0].args[1].value == UINT64_MAX &&
	       sc->rules[0].args[1].value_two == 8 &&
	       sc->rules[0].args[1].op == NB_SECCOMP_OP_MASKED_EQ,
	       "seccomp: masked condition with a uint64 value");
	tap_ok(sc->rules[1].action == NB_SECCOMP_ERRNO && sc->rules[1].has_errno_ret &&
	       sc->rules[1].errno_ret == 1, "seccomp: errno rule");
	tap_ok(!sc->rules[2].has_errno_ret && sc->rules[2].action == NB_SECCOMP_NOTIFY,
	       "seccomp: notify rule");
	tap_ok(sc->rules[3].action == NB_SECCOMP_TRACE && sc->rules[3].errno_ret == 3,
	       "seccomp: trace with a value");
	tap_is_int(sc->rules[4].action, NB_SECCOMP_KILL_THREAD, "seccomp: SCMP_ACT_KILL is kill thread");
out:
	nb_config_free(&t.cfg);
}

static void test_hooks(void)
{
	struct load t;
	const struct nb_oci_extras *x;

	if (!load_ok(&t, doc("", "", ", 'hooks': {'prestart': [{'path': '/a'}, {'path': '/b',"
			     " 'args': ['b', '1'], 'env': ['K=V'], 'timeout': 30}],"
			     " 'createContainer': [], 'startContainer': [{'path': '/s'}],"
			     " 'poststart': [{'path': '/p'}], 'unknownHook': 5}"), "hooks"))
		return;
	x = &t.cfg.oci;
	tap_is_int(x->n_hooks[NB_HOOK_PRESTART], 2, "hooks: two prestart");
	tap_is_str(x->hooks[NB_HOOK_PRESTART][1].path, "/b", "hooks: second path");
	tap_is_str(x->hooks[NB_HOOK_PRESTART][1].args.items[1], "1", "hooks: args");
	tap_is_str(x->hooks[NB_HOOK_PRESTART][1].env.items[0], "K=V", "hooks: env");
	tap_is_int(x->hooks[NB_HOOK_PRESTART][1].timeout, 30, "hooks: timeout");
	tap_is_int(x->hooks[NB_HOOK_PRESTART][0].timeout, 0, "hooks: no timeout");
	tap_is_int(x->n_hooks[NB_HOOK_CREATE_CONTAINER], 0, "hooks: empty list");
	tap_is_int(x->n_hooks[NB_HOOK_START_CONTAINER], 1, "hooks: startContainer");
	tap_is_int(x->n_hooks[NB_HOOK_POSTSTART], 1, "hooks: poststart");
	tap_is_int(x->n_hooks[NB_HOOK_CREATE_RUNTIME] + x->n_hooks[NB_HOOK_POSTSTOP], 0,
		   "hooks: others none");
	nb_config_free(&t.cfg);
}

static void test_big_integers(void)
{
	struct load t;

	if (load_ok(&t, doc(", 'rlimits': [{'type': 'RLIMIT_MEMLOCK', 'soft': 9223372036854775808,"
			    " 'hard': 18446744073709551615}]", "", ""), "big integers")) {
		tap_is_u64(t.cfg.sec.rlimits[0].soft, UINT64_C(9223372036854775808), "big: 2^63");
		tap_is_u64(t.cfg.sec.rlimits[0].hard, UINT64_MAX, "big: 2^64-1");
		nb_config_free(&t.cfg);
	}
	if (load_ok(&t, doc(", 'rlimits': [{'type': 'RLIMIT_CORE', 'soft': 9223372036854775807,"
			    " 'hard': 9223372036854775807}], 'env': ['N=18446744073709551615']", "", ""),
		    "int64 max and a big number in a string")) {
		tap_is_u64(t.cfg.sec.rlimits[0].soft, INT64_MAX, "big: int64 max stays");
		tap_is_str(t.cfg.env.items[0], "N=18446744073709551615", "big: strings untouched");
		nb_config_free(&t.cfg);
	}
	bad_process(", 'oomScoreAdj': 18446744073709551615",
		    "config.json: process.oomScoreAdj: must be an integer from -1000 to 1000");
	bad_linux(", 'timeOffsets': {'monotonic': {'secs': 10000000000000000000}}",
		  "config.json: linux.timeOffsets.monotonic.secs: must be an integer from "
		  "-9223372036854775808 to 9223372036854775807");
	load_bad(J("{" HEAD ", 'process': {'args': ['sh'], 'cwd': '/', 'user': {'uid': 18446744073709551615,"
		   " 'gid': 0}}}"), "config.json: process.user.uid: must be an integer from 0 to 4294967294");
	load_bad(J("{'ociVersion': '1.0.0', 'a': 18446744073709551616}"),
		 "config.json:1:49: too big integer near '18446744073709551616'");
	/* Markers keep later columns right. */
	load_bad(J("{'a': 18446744073709551615, 'b': }"), "config.json:1:34: unexpected token near '}'");
	load_bad(J("{'a': -100000000000000000}"), "config.json: ociVersion: required");
	bad_process(", 'oomScoreAdj': -100000000000000000",
		    "config.json: process.oomScoreAdj: must be an integer from -1000 to 1000");
}

static void test_default_spec(void)
{
	struct load t;
	char *text = nb_oci_default_spec(false, 0, 0);

	if (!tap_ok(text != NULL, "default spec: made"))
		return;
	if (!load_ok(&t, text, "default spec"))
		return;
	tap_ok(t.cfg.tty && t.cfg.args.len == 1 && nb_streq(t.cfg.args.items[0], "sh"),
	       "default spec: sh on a terminal");
	tap_ok(t.cfg.root_readonly && nb_streq(t.cfg.rootfs, "/bundle/rootfs"), "default spec: root");
	tap_is_str(t.cfg.hostname, "nsbox", "default spec: hostname");
	tap_ok(t.cfg.ns[NB_NS_NET].mode == NB_NS_NEW && t.cfg.ns[NB_NS_USER].mode == NB_NS_SHARE &&
	       t.cfg.ns[NB_NS_CGROUP].mode == NB_NS_NEW, "default spec: namespaces");
	if (tap_is_int(t.cfg.n_mounts, 7, "default spec: seven mounts")) {
		tap_is_str(t.cfg.mounts[2].data, "newinstance,ptmxmode=0666,mode=0620,gid=5",
			   "default spec: devpts gid=5");
		tap_ok(t.cfg.mounts[5].kind == NB_MOUNT_SYSFS, "default spec: sysfs");
		tap_ok(t.cfg.mounts[6].kind == NB_MOUNT_CGROUP &&
		       nb_streq(t.cfg.mounts[6].dest, "/sys/fs/cgroup"), "default spec: cgroup mount");
	}
	tap_ok(t.cfg.sec.caps.set && t.cfg.sec.caps.bounding == ((1u << 29) | (1u << 5) | (1u << 10)),
	       "default spec: three capabilities");
	tap_ok(t.cfg.sec.no_new_privs && t.cfg.sec.n_rlimits == 1, "default spec: nnp, rlimit");
	tap_ok(t.cfg.oci.resources.set && t.cfg.oci.masked_paths.len == 10 &&
	       t.cfg.oci.readonly_paths.len == 5, "default spec: resources, masked, read-only");
	nb_config_free(&t.cfg);
}

static void test_default_rootless(void)
{
	struct load t;
	char *text = nb_oci_default_spec(true, 1000, 1001);

	if (!tap_ok(text != NULL, "rootless spec: made"))
		return;
	if (!load_ok(&t, text, "rootless spec"))
		return;
	tap_is_int(t.cfg.ns[NB_NS_USER].mode, NB_NS_NEW, "rootless spec: user namespace");
	tap_is_int(t.cfg.ns[NB_NS_NET].mode, NB_NS_NEW, "rootless spec: network namespace kept");
	tap_ok(t.cfg.uid_map.len == 1 && t.cfg.uid_map.range[0].inside == 0 &&
	       t.cfg.uid_map.range[0].outside == 1000 && t.cfg.uid_map.range[0].count == 1,
	       "rootless spec: uid 0 is 1000");
	tap_ok(t.cfg.gid_map.len == 1 && t.cfg.gid_map.range[0].outside == 1001,
	       "rootless spec: gid 0 is 1001");
	if (tap_is_int(t.cfg.n_mounts, 6, "rootless spec: six mounts, no cgroup")) {
		tap_is_str(t.cfg.mounts[2].data, "newinstance,ptmxmode=0666,mode=0620",
			   "rootless spec: devpts without gid=5");
		tap_ok(t.cfg.mounts[5].kind == NB_MOUNT_BIND &&
		       nb_streq(t.cfg.mounts[5].source, "/sys") &&
		       (t.cfg.mounts[5].flags & (NB_MNT_RECURSIVE | NB_MNT_RDONLY)) ==
		       (NB_MNT_RECURSIVE | NB_MNT_RDONLY), "rootless spec: /sys bound read-only");
		for (size_t i = 0; i < t.cfg.n_mounts; i++)
			if (t.cfg.mounts[i].kind == NB_MOUNT_CGROUP)
				tap_ok(false, "rootless spec: cgroup mount %zu", i);
	}
	tap_ok(!t.cfg.oci.resources.set, "rootless spec: no resources");
	nb_config_free(&t.cfg);
}

static bool array_has(const json_t *a, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
		if (nb_streq(json_string_value(v), s))
			return true;
	return false;
}

static void test_features(void)
{
	char *text = nb_oci_features();
	json_t *doc, *lx, *caps;

	if (!tap_ok(text != NULL, "features: made"))
		return;
	doc = json_loads(text, 0, NULL);
	free(text);
	if (!tap_ok(json_is_object(doc), "features: a JSON object"))
		return;
	tap_is_str(json_string_value(json_object_get(doc, "ociVersionMin")), "1.0.0", "features: min");
	tap_is_str(json_string_value(json_object_get(doc, "ociVersionMax")), "1.2.0", "features: max");
	tap_is_int(json_array_size(json_object_get(doc, "hooks")), 6, "features: six hooks");
	tap_ok(array_has(json_object_get(doc, "mountOptions"), "rro") &&
	       array_has(json_object_get(doc, "mountOptions"), "rbind") &&
	       array_has(json_object_get(doc, "mountOptions"), "idmap") &&
	       !array_has(json_object_get(doc, "mountOptions"), "mode=755"), "features: mount options");
	lx = json_object_get(doc, "linux");
	tap_ok(array_has(json_object_get(lx, "namespaces"), "time") &&
	       array_has(json_object_get(lx, "namespaces"), "network") &&
	       json_array_size(json_object_get(lx, "namespaces")) == 8, "features: namespaces");
	caps = json_object_get(lx, "capabilities");
	tap_is_int(json_array_size(caps), NB_CAP_LAST + 1, "features: all capabilities");
	tap_is_str(json_string_value(json_array_get(caps, 0)), "CAP_CHOWN", "features: first cap");
	tap_is_str(json_string_value(json_array_get(caps, NB_CAP_LAST)), "CAP_CHECKPOINT_RESTORE",
		   "features: last cap");
	tap_ok(json_is_true(json_object_get(json_object_get(lx, "cgroup"), "v1")) &&
	       json_is_true(json_object_get(json_object_get(lx, "cgroup"), "v2")) &&
	       json_is_false(json_object_get(json_object_get(lx, "cgroup"), "systemd")) &&
	       json_is_false(json_object_get(json_object_get(lx, "cgroup"), "systemdUser")),
	       "features: cgroup");
	tap_ok(json_is_true(json_object_get(json_object_get(lx, "seccomp"), "enabled")) &&
	       array_has(json_object_get(json_object_get(lx, "seccomp"), "actions"), "SCMP_ACT_NOTIFY") &&
	       array_has(json_object_get(json_object_get(lx, "seccomp"), "operators"), "SCMP_CMP_MASKED_EQ") &&
	       array_has(json_object_get(json_object_get(lx, "seccomp"), "archs"), "SCMP_ARCH_X86_64"),
	       "features: seccomp");
	tap_ok(json_is_false(json_object_get(json_object_get(lx, "apparmor"), "enabled")) &&
	       json_is_false(json_object_get(json_object_get(lx, "selinux"), "enabled")) &&
	       json_is_false(json_object_get(json_object_get(lx, "intelRdt"), "enabled")),
	       "features: no apparmor, selinux, intelRdt");
	tap_ok(json_is_true(json_object_get(json_object_get(json_object_get(lx, "mountExtensions"),
							    "idmap"), "enabled")), "features: idmap");
	json_decref(doc);
}

int main(void)
{
	test_minimal();
	test_full();
	test_bad_document();
	test_bad_process();
	test_bad_process_security();
	test_bad_linux();
	test_bad_idmaps();
	test_bad_devices_sysctl();
	test_bad_seccomp();
	test_bad_resources();
	test_bad_mounts();
	test_bad_top();
	test_error_record();
	test_namespaces();
	test_user_namespace();
	test_mount_options();
	test_idmapped_mounts();
	test_paths();
	test_seccomp_rules();
	test_hooks();
	test_big_integers();
	test_default_spec();
	test_default_rootless();
	test_features();
	return tap_done();
}
