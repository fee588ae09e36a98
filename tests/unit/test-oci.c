/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for spec/oci*.c: valid config.json documents into a struct nb_config. */
#include "oci_test_util.h"

#include <sys/personality.h>
#include <sys/resource.h>

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
	tap_ok(!t.cfg.oci.resources.set && t.cfg.oci.resources.memory_limit == NB_RES_UNSET &&
	       t.cfg.oci.resources.pids_limit == NB_RES_UNSET && t.cfg.oci.resources.n_devices == 0,
	       "minimal: no resources, limits unset");
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
"   'net/ipv4/conf/eth0.100/forwarding': '0', 'fs.mqueue.msg_max': '10'},"
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
	tap_is_str(x->sysctl.items[0], "net/ipv4/ip_forward=1", "full: sysctl as normalised path=value");
	tap_is_str(x->sysctl.items[1], "kernel/shmmax=65536", "full: an ipc sysctl, normalised");
	tap_is_str(x->sysctl.items[2], "net/ipv4/conf/eth0.100/forwarding=0",
		   "full: a path key keeps the dots of its components");
	tap_is_str(x->sysctl.items[3], "fs/mqueue/msg_max=10", "full: an mqueue sysctl, normalised");
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
	       res->memory_swap == NB_RES_UNSET && res->memory_swappiness == 10, "full: memory");
	tap_ok(res->cpu_shares == 1024 && res->cpu_quota == 50000 && res->cpu_period == 100000,
	       "full: cpu");
	tap_ok(nb_streq(res->cpuset_cpus, "0-1") && nb_streq(res->cpuset_mems, "0"), "full: cpuset");
	tap_is_int(res->pids_limit, -1, "full: pids limit 0 is no limit");
	tap_ok(res->unified.len == 2 && nb_streq(res->unified.items[1], "io.max=8:0 rbps=1024"),
	       "full: unified");
	tap_ok(res->n_devices == 2 && !res->devices[0].allow && res->devices[0].type == 'a' &&
	       res->devices[0].major == -1 && nb_streq(res->devices[1].access, "rw") &&
	       res->devices[1].major == 10 && res->devices[1].minor == 229, "full: devices");
	tap_ok(res->blkio_weight == 500 && res->n_blkio_throttle[NB_THROTTLE_READ_BPS] == 1 &&
	       res->blkio_throttle[NB_THROTTLE_READ_BPS][0].rate == 600, "full: blockIO");
	tap_ok(res->n_hugepages == 1 && nb_streq(res->hugepages[0].pagesize, "2MB") &&
	       res->hugepages[0].limit == 209715200, "full: hugepages");
	tap_ok(res->net_class_id == 1048577 && res->n_net_priorities == 1 &&
	       nb_streq(res->net_priorities[0].name, "eth0") &&
	       res->net_priorities[0].priority == 500, "full: network");
	tap_ok(res->n_rdma == 1 && nb_streq(res->rdma[0].device, "mlx5_1") &&
	       res->rdma[0].hca_handles == 3 && res->rdma[0].hca_objects == NB_RES_UNSET,
	       "full: rdma");
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
			  " 'sysctl': {'net.core.somaxconn': '256'}}}"),
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
		    " 'async', 'sync', 'remount', 'mand', 'dirsync']}", NB_MOUNT_TMPFS,
		    NB_MNT_SYNC | NB_MNT_DIRSYNC, NULL, NB_MPROP_NONE, false);
	check_mount("{'destination': '/t', 'type': 'tmpfs', 'options': ['sync', 'async']}",
		    NB_MOUNT_TMPFS, 0, NULL, NB_MPROP_NONE, false);
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

/* nb_config_binds_dev(): a bind mount on /dev, however written, leaves the
 * host's /dev alone (no devices made there); anything else does not. */
static void test_binds_dev(void)
{
	static const struct { const char *mount; bool bound; } cases[] = {
		{ "{'destination': '/dev', 'type': 'bind', 'source': '/dev', 'options': ['rbind', 'rw']}", true },
		{ "{'destination': '/dev/', 'type': 'bind', 'source': '/dev'}", true },
		{ "{'destination': '//dev/.', 'type': 'bind', 'source': '/dev'}", true },
		{ "{'destination': '/./dev', 'type': 'bind', 'source': '/dev'}", true },
		{ "{'destination': '/dev', 'type': 'none', 'source': '/dev', 'options': ['rbind']}", true },
		{ "{'destination': '/dev', 'source': '/dev', 'options': ['bind']}", true },
		{ "{'destination': '/dev', 'type': 'tmpfs', 'source': 'tmpfs'}", false },
		{ "{'destination': '/dev/shm', 'type': 'bind', 'source': '/dev/shm'}", false },
		{ "{'destination': '/dev/dev', 'type': 'bind', 'source': '/dev'}", false },
		{ "{'destination': '/devices', 'type': 'bind', 'source': '/dev'}", false },
		{ "{'destination': '/de', 'type': 'bind', 'source': '/dev'}", false },
		{ "{'destination': '/', 'type': 'bind', 'source': '/dev'}", false },
	};
	struct load t;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (!load_mount(&t, cases[i].mount, ""))
			continue;
		tap_is_int(nb_config_binds_dev(&t.cfg), cases[i].bound, "binds /dev: %s", cases[i].mount);
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
	/* A negative literal with the value of a marker, next to a big
	 * literal: it was read as the big value in a uint64 field (accepting
	 * an invalid document) and refused in a signed one (refusing a valid
	 * one). */
	bad_process(", 'rlimits': [{'type': 'RLIMIT_CORE', 'soft': 18446744073709551615,"
		    " 'hard': -100000000000000000}]",
		    "config.json: process.rlimits[0].hard: must be an integer from 0 to 18446744073709551615");
	if (load_ok(&t, J("{" HEAD ", " PROC ", 'rlimits': [{'type': 'RLIMIT_CORE', 'soft':"
			  " 18446744073709551615, 'hard': 18446744073709551615}]}, 'linux': {'namespaces':"
			  " [{'type': 'mount'}, {'type': 'time'}], 'timeOffsets': {'monotonic': {'secs':"
			  " -100000000000000000}, 'boottime': {'secs': -100000000000000001}}}}"),
		    "a marker's value as a signed literal")) {
		tap_is_int(t.cfg.oci.monotonic.secs, -100000000000000000ll, "big: its own value");
		tap_is_int(t.cfg.oci.boottime.secs, -100000000000000001ll, "big: the next one's own value");
		tap_is_u64(t.cfg.sec.rlimits[0].soft, UINT64_MAX, "big: the big ones unchanged");
		nb_config_free(&t.cfg);
	}
}

int main(void)
{
	test_minimal();
	test_full();
	test_namespaces();
	test_user_namespace();
	test_mount_options();
	test_idmapped_mounts();
	test_paths();
	test_binds_dev();
	test_seccomp_rules();
	test_hooks();
	test_big_integers();
	return tap_done();
}
