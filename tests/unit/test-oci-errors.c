/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for spec/oci*.c: refused config.json documents, each with its exact message. */
#include "oci_test_util.h"

#include <sys/personality.h>
#include <sys/resource.h>

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
	{
		struct load t;

		/* The runtime's mount namespace, or a joined one: chroot, no mounts. */
		if (load_ok(&t, J("{" HEAD ", " PROC "}, 'linux': {'namespaces': [{'type': 'pid'}]}}"),
			    "no mount namespace")) {
			tap_is_int(t.cfg.ns[NB_NS_MNT].mode, NB_NS_SHARE, "no mount namespace: shared");
			tap_is_int(t.cfg.oci_devices, false, "no mount namespace: no default devices");
		}
		nb_config_free(&t.cfg);
		if (load_ok(&t, J("{" HEAD ", " PROC "}, 'linux': {'namespaces': [{'type': 'mount', "
				  "'path': '/proc/1/ns/mnt'}]}}"), "joined mount namespace"))
			tap_is_int(t.cfg.ns[NB_NS_MNT].mode, NB_NS_JOIN, "joined mount namespace");
		nb_config_free(&t.cfg);
	}
	load_bad(J("{" HEAD ", " PROC "}, 'mounts': [{'destination': '/proc', 'type': 'proc'}]}"),
		 "config.json: mounts: needs the container's own mount namespace (nsbox never mounts "
		 "in the runtime's)");
	load_bad(J("{" HEAD ", " PROC "}, 'linux': {'maskedPaths': ['/proc/kcore']}}"),
		 "config.json: linux.maskedPaths: needs the container's own mount namespace (nsbox "
		 "never mounts in the runtime's)");
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
	bad_linux(", 'devices': [{'path': '/dev/../../etc/x', 'type': 'c', 'major': 1, 'minor': 3}]",
		  "config.json: linux.devices[0].path: '/dev/../../etc/x' must not have an empty, '.' or "
		  "'..' component");
	bad_linux(", 'devices': [{'path': '/dev/./x', 'type': 'c', 'major': 1, 'minor': 3}]",
		  "config.json: linux.devices[0].path: '/dev/./x' must not have an empty, '.' or '..' component");
	bad_linux(", 'devices': [{'path': '/dev//x', 'type': 'c', 'major': 1, 'minor': 3}]",
		  "config.json: linux.devices[0].path: '/dev//x' must not have an empty, '.' or '..' component");
	bad_linux(", 'devices': [{'path': '/dev/x/', 'type': 'c', 'major': 1, 'minor': 3}]",
		  "config.json: linux.devices[0].path: '/dev/x/' must not have an empty, '.' or '..' component");
	bad_linux(", 'devices': [{'path': '/dev/x/..', 'type': 'c', 'major': 1, 'minor': 3}]",
		  "config.json: linux.devices[0].path: '/dev/x/..' must not have an empty, '.' or '..' component");
	bad_linux(", 'devices': [{'path': '/etc/x', 'type': 'c', 'major': 1, 'minor': 3}]",
		  "config.json: linux.devices[0].path: '/etc/x' is not under /dev");
	bad_linux(", 'devices': [{'path': '/dev', 'type': 'c', 'major': 1, 'minor': 3}]",
		  "config.json: linux.devices[0].path: '/dev' is not under /dev");
	bad_linux(", 'devices': [{'path': '/devices/x', 'type': 'c', 'major': 1, 'minor': 3}]",
		  "config.json: linux.devices[0].path: '/devices/x' is not under /dev");
	bad_linux(", 'devices': [{'type': 'c', 'major': 1, 'minor': 3}]",
		  "config.json: linux.devices[0].path: required");
	bad_linux(", 'devices': [{'path': '/dev/x', 'type': 'b', 'minor': 3}]",
		  "config.json: linux.devices[0].major: required");
	bad_linux(", 'devices': [{'path': '/dev/x', 'type': 'u', 'major': 1}]",
		  "config.json: linux.devices[0].minor: required");
	/* The file type bits of another type than the device's. */
	bad_linux(", 'devices': [{'path': '/dev/x', 'type': 'c', 'major': 1, 'minor': 3, 'fileMode': 4096}]",
		  "config.json: linux.devices[0].fileMode: 010000 has the file type bits of S_IFIFO, "
		  "not those of type 'c' (S_IFCHR)");
	bad_linux(", 'devices': [{'path': '/dev/x', 'type': 'b', 'major': 7, 'minor': 0, 'fileMode': 8630}]",
		  "config.json: linux.devices[0].fileMode: 020666 has the file type bits of S_IFCHR, "
		  "not those of type 'b' (S_IFBLK)");
	bad_linux(", 'devices': [{'path': '/dev/x', 'type': 'c', 'major': 1, 'minor': 3, 'fileMode': 25014}]",
		  "config.json: linux.devices[0].fileMode: 060666 has the file type bits of S_IFBLK, "
		  "not those of type 'c' (S_IFCHR)");
	bad_linux(", 'devices': [{'path': '/dev/x', 'type': 'p', 'fileMode': 33188}]",
		  "config.json: linux.devices[0].fileMode: 0100644 has the file type bits of S_IFREG, "
		  "not those of type 'p' (S_IFIFO)");
	bad_linux(", 'devices': [{'path': '/dev/x', 'type': 'u', 'major': 1, 'minor': 3, 'fileMode': 16877}]",
		  "config.json: linux.devices[0].fileMode: 040755 has the file type bits of S_IFDIR, "
		  "not those of type 'u' (S_IFCHR)");
	bad_linux(", 'devices': [{'path': '/dev/x', 'type': 'c', 'major': 1, 'minor': 3, 'fileMode': 65536}]",
		  "config.json: linux.devices[0].fileMode: must be an integer from 0 to 65535");
	bad_linux(", 'devices': [{'path': '/dev/x', 'type': 'c', 'major': 1, 'minor': 3, 'fileMode': -1}]",
		  "config.json: linux.devices[0].fileMode: must be an integer from 0 to 65535");
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
		  "config.json: linux.sysctl: 'kernel.hostname' is not allowed as it conflicts with the "
		  "OCI 'hostname' field");
	bad_linux(", 'sysctl': {'kernel/domainname': 'x'}",
		  "config.json: linux.sysctl: 'kernel/domainname' is not allowed as it conflicts with the "
		  "OCI 'domainname' field");
	/* Classified after normalisation: no way out of net/ through "..". */
	bad_linux(", 'sysctl': {'net/../kernel/core_pattern': '|/tmp/x'}",
		  "config.json: linux.sysctl: 'net/../kernel/core_pattern': '..' is not allowed as a component");
	bad_linux(", 'sysctl': {'net/./ipv4/ip_forward': '1'}",
		  "config.json: linux.sysctl: 'net/./ipv4/ip_forward': '.' is not allowed as a component");
	bad_linux(", 'sysctl': {'net..ipv4': '1'}", "config.json: linux.sysctl: 'net..ipv4': empty component");
	bad_linux(", 'sysctl': {'/net/ipv4/ip_forward': '1'}",
		  "config.json: linux.sysctl: '/net/ipv4/ip_forward': empty component");
	bad_linux(", 'sysctl': {'net.ipv4.ip=forward': '1'}",
		  "config.json: linux.sysctl: 'net.ipv4.ip=forward': only letters, digits and _ . : @ + - are allowed");
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

/* fileMode with the file type bits of the device's own type (podman's
 * 8630 = S_IFCHR | 0666): accepted, only the permission bits kept. */
static void test_device_file_mode(void)
{
	static const struct { const char *dev; unsigned mode; } ok[] = {
		{ "'type': 'c', 'major': 1, 'minor': 3, 'fileMode': 8630", 0666 },      /* S_IFCHR|0666 */
		{ "'type': 'u', 'major': 1, 'minor': 3, 'fileMode': 8630", 0666 },      /* S_IFCHR|0666 */
		{ "'type': 'b', 'major': 7, 'minor': 0, 'fileMode': 25008", 0660 },     /* S_IFBLK|0660 */
		{ "'type': 'p', 'fileMode': 4516", 0644 },                              /* S_IFIFO|0644 */
		{ "'type': 'c', 'major': 1, 'minor': 3, 'fileMode': 438", 0666 },       /* 0666 */
		{ "'type': 'c', 'major': 1, 'minor': 3, 'fileMode': 4095", 07777 },     /* 07777 */
		{ "'type': 'c', 'major': 1, 'minor': 3, 'fileMode': 12287", 07777 },    /* S_IFCHR|07777 */
		{ "'type': 'c', 'major': 1, 'minor': 3, 'fileMode': 0", 0 },
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct load t;
		char *extra = J(", 'devices': [{'path': '/dev/x', %s}]", ok[i].dev);

		if (load_ok(&t, doc("", extra, ""), ok[i].dev)) {
			tap_ok(t.cfg.oci.n_devices == 1 && t.cfg.oci.devices[0].has_file_mode,
			       "%s: a fileMode", ok[i].dev);
			tap_is_int((int)t.cfg.oci.devices[0].file_mode, (int)ok[i].mode, "%s: mode %#o",
				   ok[i].dev, ok[i].mode);
		}
		nb_config_free(&t.cfg);
		free(extra);
	}
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
		  "config.json: linux.resources.cpu.shares: must be an integer from 0 to 262144");
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
	/* Found by fuzz-state: a key with '=' came back from the state split
	 * at it ({"a=b": "c"} as {"a": "b=c"}); an empty key is the spec's
	 * MUST NOT. */
	bad_top(", 'annotations': {'a=b': 'c'}", "config.json: annotations.a=b: a key must not hold '='");
	bad_top(", 'annotations': {'': 'c'}", "config.json: annotations: a key must not be empty");
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

int main(void)
{
	test_bad_document();
	test_bad_process();
	test_bad_process_security();
	test_bad_linux();
	test_bad_idmaps();
	test_bad_devices_sysctl();
	test_device_file_mode();
	test_bad_seccomp();
	test_bad_resources();
	test_bad_mounts();
	test_bad_top();
	test_error_record();
	return tap_done();
}
