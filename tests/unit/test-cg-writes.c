/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for spec/cg_writes.c: a resource model as the cgroup v1 and
 * v2 writes runc 1.1 makes (files, values, order, flags), every refusal
 * with its message, kernel memory's warning, unified keys over derived
 * writes, and containerd's CRI fixtures (a container's config.json, and
 * the update it pipes into `update --resources -`).
 */
#include "base/cleanup.h"
#include "spec/config.h"
#include "spec/oci.h"
#include "spec/resources.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define V1 false
#define V2 true

static char *json(const char *text)
{
	char *s = strdup(text);

	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	return s;
}

/* The writes as lines "FILE VALUE [flags]", joined by newlines. */
static const char *format(const struct nb_cg_writes *o)
{
	static char buf[8192];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < o->n; i++) {
		const struct nb_cg_write *w = &o->w[i];

		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s %s%s%s%s%s", i ? "\n" : "",
					w->file, w->value,
					w->flags & NB_CGW_OR_NEXT ? " [or-next]" : "",
					w->flags & NB_CGW_IF_EXISTS ? " [if-exists]" : "",
					w->flags & NB_CGW_TRY ? " [try]" : "",
					w->flags & NB_CGW_RETRY ? " [retry]" : "");
	}
	return buf;
}

/* The writes of R on V2 or v1 (the v1 memory limit in place: CURRENT). */
static const char *writes_of(const struct nb_resources *r, bool v2, int64_t current,
			     struct nb_cg_writes *out)
{
	static char msg[NB_ERROR_MSG_MAX + 8];
	struct nb_error err;
	int e;

	nb_error_clear(&err);
	e = v2 ? nb_cg_writes_v2(r, current, "linux.resources", out, &err) :
		 nb_cg_writes_v1(r, current, "linux.resources", out, &err);
	if (e < 0) {
		snprintf(msg, sizeof(msg), "ERROR %s", err.msg);
		return msg;
	}
	return format(out);
}

/* Load TEXT (a linux.resources object) and compare its writes to EXPECTED. */
static void expect(const char *name, const char *text, bool v2, int64_t current,
		   const char *expected)
{
	struct nb_resources r;
	struct nb_cg_writes out;
	struct nb_error err;
	char *s = json(text);
	int e = nb_oci_load_resources(s, strlen(s), "r.json", &r, &err);

	free(s);
	if (!tap_is_int(e, 0, "%s: loads", name)) {
		tap_diag("%s", err.msg);
		nb_resources_free(&r);
		return;
	}
	tap_is_str(writes_of(&r, v2, current, &out), expected, "%s: %s writes", name, v2 ? "v2" : "v1");
	nb_cg_writes_free(&out);
	nb_resources_free(&r);
}

static const char full[] =
	"{'memory': {'limit': 67108864, 'reservation': 33554432, 'swap': 134217728,"
	" 'kernel': 1048576, 'kernelTCP': 1048576},"
	" 'cpu': {'shares': 1024, 'quota': 50000, 'period': 100000, 'burst': 10000,"
	"  'cpus': '0-1', 'mems': '0'},"
	" 'pids': {'limit': 100},"
	" 'blockIO': {'weight': 500, 'weightDevice': [{'major': 8, 'minor': 0, 'weight': 200}],"
	"  'throttleReadBpsDevice': [{'major': 8, 'minor': 0, 'rate': 1048576},"
	"   {'major': 8, 'minor': 16, 'rate': 0}],"
	"  'throttleWriteIOPSDevice': [{'major': 8, 'minor': 0, 'rate': 100}]},"
	" 'hugepageLimits': [{'pageSize': '2MB', 'limit': 20971520}],"
	" 'rdma': {'mlx5_1': {'hcaHandles': 3, 'hcaObjects': 100}},"
	" 'devices': [{'allow': false, 'access': 'rwm'}]";

static void test_full_v2(void)
{
	struct nb_resources r;
	struct nb_cg_writes out;
	struct nb_error err;
	char *s = NULL;

	if (asprintf(&s, "%s, 'unified': {'memory.high': '50M', 'cpu.weight': '77'}}", full) < 0)
		return;
	expect("full", s, V2, NB_RES_UNSET,
	       "pids.max 100\n"
	       "memory.swap.max 67108864\n"
	       "memory.max 67108864\n"
	       "memory.low 33554432\n"
	       "io.bfq.weight 500 [or-next]\n"
	       "io.weight 4950\n"
	       "io.bfq.weight 8:0 200 [or-next]\n"
	       "io.weight 8:0 1920\n"
	       "io.max 8:0 rbps=1048576 wiops=100\n"
	       "io.max 8:16 rbps=max\n"
	       "cpu.weight 77\n"
	       "cpu.max.burst 10000 [try]\n"
	       "cpu.max 50000 100000\n"
	       "cpu.max.burst 10000 [retry]\n"
	       "cpuset.cpus 0-1\n"
	       "cpuset.mems 0\n"
	       "hugetlb.2MB.max 20971520\n"
	       "rdma.max mlx5_1 hca_handle=3 hca_object=100\n"
	       "memory.high 50M");
	/* The controllers and the warnings of the same model. */
	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	nb_oci_load_resources(s, strlen(s), "r.json", &r, &err);
	nb_cg_writes_v2(&r, NB_RES_UNSET, "linux.resources", &out, &err);
	tap_ok(out.n == 19 && out.w[0].ctrl == NB_CG_PIDS && out.w[1].ctrl == NB_CG_MEMORY &&
	       out.w[4].ctrl == NB_CG_IO && out.w[10].ctrl == NB_CG_CPU &&
	       out.w[14].ctrl == NB_CG_CPUSET && out.w[16].ctrl == NB_CG_HUGETLB &&
	       out.w[17].ctrl == NB_CG_RDMA && out.w[18].ctrl == NB_CG_MEMORY,
	       "full v2: each write's controller");
	tap_is_int((long long)out.warnings.len, 2, "full v2: two warnings");
	tap_is_str(out.warnings.items[0], "linux.resources.memory.kernel: ignored: kernel memory "
		   "limits are deprecated by the kernel and ignored by runc", "full v2: kernel warning");
	tap_is_str(out.warnings.items[1], "linux.resources.memory.kernelTCP: ignored: kernel memory "
		   "limits are deprecated by the kernel and ignored by runc", "full v2: kernelTCP warning");
	nb_cg_writes_free(&out);
	tap_ok(out.n == 0 && !out.w && out.warnings.len == 0, "writes free: empty again");
	nb_resources_free(&r);
	free(s);
}

static void test_full_v1(void)
{
	char *s;

	s = strdup("{'network': {'classID': 1048577, 'priorities': [{'name': 'eth0', 'priority': 5},"
		   " {'name': 'lo', 'priority': 0}]},"
		   " 'memory': {'limit': 67108864, 'reservation': 33554432, 'swap': 134217728,"
		   "  'swappiness': 10, 'disableOOMKiller': true, 'useHierarchy': true, 'kernel': 1},"
		   " 'cpu': {'shares': 1024, 'quota': 50000, 'period': 100000, 'burst': 10000, 'idle': 0,"
		   "  'realtimePeriod': 1000000, 'realtimeRuntime': 950000, 'cpus': '0-1', 'mems': '0'},"
		   " 'pids': {'limit': 100},"
		   " 'blockIO': {'weight': 500, 'leafWeight': 300,"
		   "  'weightDevice': [{'major': 8, 'minor': 0, 'weight': 200, 'leafWeight': 100}],"
		   "  'throttleReadBpsDevice': [{'major': 8, 'minor': 0, 'rate': 1048576},"
		   "   {'major': 8, 'minor': 16, 'rate': 0}],"
		   "  'throttleWriteIOPSDevice': [{'major': 8, 'minor': 0, 'rate': 100}]},"
		   " 'hugepageLimits': [{'pageSize': '2MB', 'limit': 20971520}],"
		   " 'rdma': {'mlx5_1': {'hcaHandles': 3}},"
		   " 'devices': [{'allow': false, 'access': 'rwm'},"
		   "  {'allow': true, 'type': 'c', 'major': 1, 'minor': 3, 'access': 'rwm'},"
		   "  {'allow': true, 'type': 'c', 'major': 136, 'access': 'rwm'},"
		   "  {'allow': false, 'type': 'b', 'major': 8, 'access': 'w'}]}");
	expect("full", s, V1, NB_RES_UNSET,
	       "cpuset.cpus 0-1\n"
	       "cpuset.mems 0\n"
	       "devices.deny a\n"
	       "devices.deny a *:* rwm\n"
	       "devices.allow c 1:3 rwm\n"
	       "devices.allow c 136:* rwm\n"
	       "devices.deny b 8:* w\n"
	       "memory.use_hierarchy 1\n"
	       "memory.limit_in_bytes 67108864\n"
	       "memory.memsw.limit_in_bytes 134217728\n"
	       "memory.soft_limit_in_bytes 33554432\n"
	       "memory.oom_control 1\n"
	       "memory.swappiness 10\n"
	       "cpu.shares 1024\n"
	       "cpu.cfs_period_us 100000 [try]\n"
	       "cpu.cfs_burst_us 10000 [try]\n"
	       "cpu.cfs_quota_us 50000\n"
	       "cpu.cfs_period_us 100000 [retry]\n"
	       "cpu.cfs_burst_us 10000 [retry]\n"
	       "cpu.idle 0 [if-exists]\n"
	       "cpu.rt_period_us 1000000\n"
	       "cpu.rt_runtime_us 950000\n"
	       "pids.max 100\n"
	       "blkio.weight 500 [or-next]\n"
	       "blkio.bfq.weight 500\n"
	       "blkio.leaf_weight 300\n"
	       "blkio.weight_device 8:0 200 [or-next]\n"
	       "blkio.bfq.weight_device 8:0 200\n"
	       "blkio.leaf_weight_device 8:0 100\n"
	       "blkio.throttle.read_bps_device 8:0 1048576\n"
	       "blkio.throttle.read_bps_device 8:16 0\n"
	       "blkio.throttle.write_iops_device 8:0 100\n"
	       "hugetlb.2MB.limit_in_bytes 20971520\n"
	       "net_cls.classid 1048577\n"
	       "net_prio.ifpriomap eth0 5\n"
	       "net_prio.ifpriomap lo 0\n"
	       "rdma.max mlx5_1 hca_handle=3");
	free(s);
}

static void test_memory(void)
{
	expect("unlimited memory", "{'memory': {'limit': -1}}", V2, NB_RES_UNSET,
	       "memory.swap.max max [if-exists]\nmemory.max max");
	expect("unlimited memory", "{'memory': {'limit': -1}}", V1, NB_RES_UNSET,
	       "memory.memsw.limit_in_bytes -1 [if-exists]\nmemory.limit_in_bytes -1");
	expect("unlimited swap", "{'memory': {'limit': 1048576, 'swap': -1}}", V2, NB_RES_UNSET,
	       "memory.swap.max max [if-exists]\nmemory.max 1048576");
	expect("unlimited swap", "{'memory': {'limit': 1048576, 'swap': -1}}", V1, NB_RES_UNSET,
	       "memory.memsw.limit_in_bytes -1\nmemory.limit_in_bytes 1048576");
	expect("swap off", "{'memory': {'limit': 1048576, 'swap': 1048576}}", V2, NB_RES_UNSET,
	       "memory.swap.max 0 [if-exists]\nmemory.max 1048576");
	expect("limit alone", "{'memory': {'limit': 1048576}}", V2, NB_RES_UNSET, "memory.max 1048576");
	expect("limit alone", "{'memory': {'limit': 1048576}}", V1, NB_RES_UNSET,
	       "memory.limit_in_bytes 1048576");
	expect("zero is unset", "{'memory': {'limit': 0, 'swap': 0, 'reservation': 0}}", V2,
	       NB_RES_UNSET, "");
	expect("reservation -1", "{'memory': {'reservation': -1}}", V2, NB_RES_UNSET, "memory.low max");
	/* runc's setMemoryAndSwap: memsw first when the new total is above the limit in place. */
	expect("raising", "{'memory': {'limit': 134217728, 'swap': 268435456}}", V1, 67108864,
	       "memory.memsw.limit_in_bytes 268435456\nmemory.limit_in_bytes 134217728");
	expect("lowering", "{'memory': {'limit': 67108864, 'swap': 134217728}}", V1, 536870912,
	       "memory.limit_in_bytes 67108864\nmemory.memsw.limit_in_bytes 134217728");
	expect("swap alone (update)", "{'memory': {'swap': 134217728}}", V1, 67108864,
	       "memory.memsw.limit_in_bytes 134217728");
	expect("disableOOMKiller false", "{'memory': {'disableOOMKiller': false, 'useHierarchy': true}}",
	       V2, NB_RES_UNSET, "");
}

static void test_cpu(void)
{
	expect("period alone", "{'cpu': {'period': 250000}}", V2, NB_RES_UNSET, "cpu.max max 250000");
	expect("period alone", "{'cpu': {'period': 250000}}", V1, NB_RES_UNSET,
	       "cpu.cfs_period_us 250000");
	expect("quota alone", "{'cpu': {'quota': 50000}}", V2, NB_RES_UNSET, "cpu.max 50000 100000");
	expect("quota -1", "{'cpu': {'quota': -1, 'period': 20000}}", V2, NB_RES_UNSET,
	       "cpu.max max 20000");
	expect("quota -1", "{'cpu': {'quota': -1}}", V1, NB_RES_UNSET, "cpu.cfs_quota_us -1");
	expect("shares 2", "{'cpu': {'shares': 2}}", V2, NB_RES_UNSET, "cpu.weight 1");
	expect("shares 262144", "{'cpu': {'shares': 262144}}", V2, NB_RES_UNSET, "cpu.weight 10000");
	expect("shares 0", "{'cpu': {'shares': 0}}", V2, NB_RES_UNSET, "");
	expect("idle", "{'cpu': {'idle': 1}}", V2, NB_RES_UNSET, "cpu.idle 1");
	expect("idle 0", "{'cpu': {'idle': 0}}", V2, NB_RES_UNSET, "cpu.idle 0 [if-exists]");
	expect("burst 0 alone", "{'cpu': {'burst': 0}}", V2, NB_RES_UNSET, "cpu.max.burst 0 [if-exists]");
	expect("burst alone", "{'cpu': {'burst': 500}}", V1, NB_RES_UNSET, "cpu.cfs_burst_us 500");
	expect("real-time", "{'cpu': {'realtimeRuntime': -1}}", V1, NB_RES_UNSET, "cpu.rt_runtime_us -1");
	expect("cpuset", "{'cpu': {'cpus': '0-3,8', 'mems': '0-1'}}", V2, NB_RES_UNSET,
	       "cpuset.cpus 0-3,8\ncpuset.mems 0-1");
}

/* The v2 scales nsbox run gives: written as they are on v2, converted on v1. */
static void test_v2_scales(void)
{
	struct nb_resources r;
	struct nb_cg_writes out;

	nb_resources_init(&r);
	r.cpu_weight = 100;
	r.io_weight = 100;
	tap_is_str(writes_of(&r, V2, NB_RES_UNSET, &out),
		   "io.bfq.weight 20 [or-next]\nio.weight 100\ncpu.weight 100", "weights on v2");
	nb_cg_writes_free(&out);
	tap_is_str(writes_of(&r, V1, NB_RES_UNSET, &out),
		   "cpu.shares 2598\nblkio.weight 20 [or-next]\nblkio.bfq.weight 20", "weights on v1");
	nb_cg_writes_free(&out);
	r.pids_limit = -1;
	r.cpu_weight = r.io_weight = NB_RES_UNSET;
	tap_is_str(writes_of(&r, V2, NB_RES_UNSET, &out), "pids.max max", "pids -1 is max");
	nb_cg_writes_free(&out);
	nb_resources_free(&r);
}

static void test_refusals(void)
{
	static const struct { const char *text, *msg; } v2[] = {
		{ "{'memory': {'swappiness': 0}}",
		  "linux.resources.memory.swappiness: cgroup v2 has no per-cgroup swappiness" },
		{ "{'memory': {'disableOOMKiller': true}}",
		  "linux.resources.memory.disableOOMKiller: cgroup v2 cannot disable the OOM killer" },
		{ "{'memory': {'useHierarchy': false}}",
		  "linux.resources.memory.useHierarchy: cgroup v2 is always hierarchical" },
		{ "{'cpu': {'realtimeRuntime': 950000}}",
		  "linux.resources.cpu.realtimeRuntime: cgroup v2 has no real-time cpu bandwidth" },
		{ "{'cpu': {'realtimePeriod': 1000000}}",
		  "linux.resources.cpu.realtimePeriod: cgroup v2 has no real-time cpu bandwidth" },
		{ "{'network': {'classID': 1}}",
		  "linux.resources.network.classID: net_cls is a cgroup v1 controller" },
		{ "{'network': {'priorities': [{'name': 'lo', 'priority': 1}]}}",
		  "linux.resources.network.priorities: net_prio is a cgroup v1 controller" },
		{ "{'blockIO': {'leafWeight': 100}}",
		  "linux.resources.blockIO.leafWeight: cgroup v2 has no leaf weight" },
		{ "{'blockIO': {'weightDevice': [{'major': 8, 'minor': 0, 'weight': 20},"
		  " {'major': 8, 'minor': 1, 'leafWeight': 20}]}}",
		  "linux.resources.blockIO.weightDevice[1].leafWeight: cgroup v2 has no leaf weight" },
		{ "{'memory': {'swap': 1048576}}",
		  "linux.resources.memory.swap: unable to set swap limit without memory limit" },
		{ "{'memory': {'limit': -1, 'swap': 1048576}}",
		  "linux.resources.memory.swap: unable to set swap limit without memory limit" },
	};

	for (size_t i = 0; i < NB_ARRAY_SIZE(v2); i++) {
		char expected[NB_ERROR_MSG_MAX + 8];

		snprintf(expected, sizeof(expected), "ERROR %s", v2[i].msg);
		expect("v2 refusal", v2[i].text, V2, NB_RES_UNSET, expected);
	}
	expect("v1 refusal", "{'unified': {'memory.high': '1G'}}", V1, NB_RES_UNSET,
	       "ERROR linux.resources.unified: needs cgroup v2");
	expect("zero classID on v2", "{'network': {'classID': 0}}", V2, NB_RES_UNSET, "");
	expect("devices on v2 (eBPF)", "{'devices': [{'allow': false, 'access': 'rwm'}]}", V2,
	       NB_RES_UNSET, "");
	expect("no devices on v1", "{'devices': []}", V1, NB_RES_UNSET, "");
	expect("v1: a deny inside an allowed wildcard",
	       "{'devices': [{'allow': false, 'access': 'rwm'}, {'allow': true, 'type': 'c', 'major': 10, 'access': 'rwm'},"
	       " {'allow': false, 'type': 'c', 'major': 10, 'minor': 183, 'access': 'w'}]}", V1, NB_RES_UNSET,
	       "ERROR linux.resources.devices[2]: cgroup v1 cannot make an exception inside a wildcard "
	       "rule before it (cannot punch hole in an existing wildcard rule)");
	expect("v1: allow all, then deny a wildcard",
	       "{'devices': [{'allow': false, 'access': 'rwm'}, {'allow': true, 'type': 'a', 'access': 'rwm'},"
	       " {'allow': false, 'type': 'b', 'access': 'rwm'}]}", V1, NB_RES_UNSET,
	       "devices.deny a\ndevices.deny a *:* rwm\ndevices.allow a *:* rwm\ndevices.deny b *:* rwm");
	expect("v1: allow all, deny a wildcard, allow inside it",
	       "{'devices': [{'allow': true, 'type': 'a', 'access': 'rwm'}, {'allow': false, 'type': 'b', 'access': 'rwm'},"
	       " {'allow': true, 'type': 'b', 'major': 7, 'minor': 0, 'access': 'r'}]}", V1, NB_RES_UNSET,
	       "ERROR linux.resources.devices[2]: cgroup v1 cannot make an exception inside a wildcard "
	       "rule before it (cannot punch hole in an existing wildcard rule)");
	expect("v1: a deny of what was allowed with the same numbers",
	       "{'devices': [{'allow': false, 'access': 'rwm'}, {'allow': true, 'type': 'c', 'major': 10, 'minor': 183, 'access': 'rwm'},"
	       " {'allow': false, 'type': 'c', 'major': 10, 'minor': 183, 'access': 'w'}]}", V1, NB_RES_UNSET,
	       "devices.deny a\ndevices.deny a *:* rwm\ndevices.allow c 10:183 rwm\ndevices.deny c 10:183 w");
	expect("v1: a deny before the wildcard it is inside",
	       "{'devices': [{'allow': false, 'access': 'rwm'}, {'allow': false, 'type': 'c', 'major': 10, 'minor': 183, 'access': 'w'},"
	       " {'allow': true, 'type': 'c', 'major': 10, 'access': 'rwm'}]}", V1, NB_RES_UNSET,
	       "devices.deny a\ndevices.deny a *:* rwm\ndevices.deny c 10:183 w\ndevices.allow c 10:* rwm");
}

static void test_unified(void)
{
	expect("unified over a chain", "{'blockIO': {'weight': 500}, 'pids': {'limit': 5},"
	       " 'unified': {'io.weight': 'default 300', 'cgroup.freeze': '0'}}", V2, NB_RES_UNSET,
	       "pids.max 5\nio.weight default 300\ncgroup.freeze 0");
	expect("unified over both burst writes", "{'cpu': {'quota': 50000, 'burst': 100},"
	       " 'unified': {'cpu.max.burst': '200'}}", V2, NB_RES_UNSET,
	       "cpu.max.burst 200\ncpu.max 50000 100000");
	expect("unified swap", "{'memory': {'limit': 100, 'swap': 200}, 'unified': {'memory.swap.max':"
	       " '0'}}", V2, NB_RES_UNSET, "memory.swap.max 0\nmemory.max 100");
}

static char *read_data(const char *file, size_t *len)
{
	const char *dir = getenv("NSBOX_TEST_DATA");
	_cleanup_free_ char *path = NULL;
	_cleanup_close_ int fd = -1;
	struct stat st;
	char *text;

	if (!dir)
		dir = NSBOX_TEST_DATA_DIR;
	if (asprintf(&path, "%s/cri/%s", dir, file) < 0)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || !(text = malloc((size_t)st.st_size + 1)))
		return NULL;
	if (read(fd, text, (size_t)st.st_size) != st.st_size) {
		free(text);
		return NULL;
	}
	text[st.st_size] = '\0';
	*len = (size_t)st.st_size;
	return text;
}

/* containerd's CRI: the container's limits, then `crictl update --memory 128Mi`. */
static void test_cri_fixtures(void)
{
	struct nb_config cfg;
	struct nb_resources upd;
	struct nb_cg_writes out;
	struct nb_error err;
	size_t len = 0, ulen = 0;
	_cleanup_free_ char *config = read_data("container-resources.json", &len);
	_cleanup_free_ char *update = read_data("update-resources.json", &ulen);
	struct nb_resources *res = &cfg.oci.resources;

	if (!tap_ok(config && update, "CRI fixtures: read"))
		return;
	nb_config_init(&cfg);
	if (!tap_is_int(nb_oci_load(config, len, "/run/bundle", &cfg, &err), 0, "CRI container: loads"))
		tap_diag("%s", err.msg);
	tap_ok(res->set && res->memory_limit == 67108864 && res->memory_swap == 67108864 &&
	       res->cpu_shares == 256 && res->cpu_quota == 50000 && res->cpu_period == 100000 &&
	       res->n_devices == 1 && !res->devices[0].allow && res->devices[0].type == 'a',
	       "CRI container: the model");
	tap_is_str(writes_of(res, V2, NB_RES_UNSET, &out),
		   "memory.swap.max 0 [if-exists]\nmemory.max 67108864\ncpu.weight 10\n"
		   "cpu.max 50000 100000", "CRI container: v2 writes");
	nb_cg_writes_free(&out);
	tap_is_str(writes_of(res, V1, NB_RES_UNSET, &out),
		   "devices.deny a\ndevices.deny a *:* rwm\nmemory.limit_in_bytes 67108864\n"
		   "memory.memsw.limit_in_bytes 67108864\ncpu.shares 256\n"
		   "cpu.cfs_period_us 100000 [try]\ncpu.cfs_quota_us 50000\n"
		   "cpu.cfs_period_us 100000 [retry]", "CRI container: v1 writes");
	nb_cg_writes_free(&out);

	if (!tap_is_int(nb_oci_load_resources(update, ulen, "-", &upd, &err), 0, "CRI update: loads"))
		tap_diag("%s", err.msg);
	tap_ok(upd.memory_limit == 134217728 && upd.memory_swap == 134217728 &&
	       upd.cpu_shares == NB_RES_UNSET && upd.n_devices == 1, "CRI update: the model");
	nb_resources_drop_devices(&upd);
	tap_is_int(nb_resources_merge(res, &upd, &err), 0, "CRI update: merged over the container's");
	tap_ok(res->n_devices == 1 && res->cpu_shares == 256, "CRI update: devices and cpu stay");
	tap_is_str(writes_of(res, V2, NB_RES_UNSET, &out),
		   "memory.swap.max 0 [if-exists]\nmemory.max 134217728\ncpu.weight 10\n"
		   "cpu.max 50000 100000", "CRI update: v2 writes");
	nb_cg_writes_free(&out);
	/* Raising from 64 MiB in place: memsw first, as runc. */
	nb_resources_drop_devices(res);
	tap_is_str(writes_of(res, V1, 67108864, &out),
		   "memory.memsw.limit_in_bytes 134217728\nmemory.limit_in_bytes 134217728\n"
		   "cpu.shares 256\ncpu.cfs_period_us 100000 [try]\ncpu.cfs_quota_us 50000\n"
		   "cpu.cfs_period_us 100000 [retry]", "CRI update: v1 writes");
	nb_cg_writes_free(&out);
	nb_resources_free(&upd);
	nb_config_free(&cfg);
}

int main(void)
{
	test_full_v2();
	test_full_v1();
	test_memory();
	test_cpu();
	test_v2_scales();
	test_refusals();
	test_unified();
	test_cri_fixtures();
	return tap_done();
}
