#!/usr/bin/env bats
# OCI process security and linux extras, as a container sees them:
# capabilities, no_new_privs, seccomp (errno, kill, notify), rlimits,
# sysctl, masked and read-only paths, devices, idmapped mounts, user
# namespaces, propagation.

load helpers
load oci-helpers

# run_bundle DIR: `nsbox run --bundle DIR ID`, output in $output/$stderr.
run_bundle() {
	oci run --bundle "$1" "c-$MARKER"
}

@test "capabilities: the process gets exactly the sets of config.json" {
	# A non-root process keeps capabilities across exec only as ambient ones.
	make_bundle "$T/b" '.process.capabilities = {"bounding":["CAP_KILL","CAP_CHOWN"],"effective":["CAP_KILL"],"permitted":["CAP_KILL"],"inheritable":["CAP_KILL"],"ambient":["CAP_KILL"]} | .process.user.uid = 1000'
	set_args "$T/b" sh -c 'grep -E "^Cap(Eff|Prm|Bnd)" /proc/self/status'
	run_bundle "$T/b"
	assert_success
	# CAP_KILL is bit 5 (0x20), CAP_CHOWN bit 0.
	assert_output_contains "CapPrm:	0000000000000020"
	assert_output_contains "CapEff:	0000000000000020"
	assert_output_contains "CapBnd:	0000000000000021"
}

@test "capabilities: one nsbox itself lacks is refused clearly" {
	# Root here has no CAP_SYS_RESOURCE in its bounding set.
	make_bundle "$T/b" '.process.capabilities.bounding += ["CAP_SYS_RESOURCE"]'
	set_args "$T/b" true
	run_bundle "$T/b"
	assert_status 125
	assert_stderr_contains "CAP_SYS_RESOURCE"
	assert_nothing_left
}

@test "noNewPrivileges: NoNewPrivs is 1 inside, 0 without it" {
	make_bundle "$T/b" '.process.noNewPrivileges = true'
	set_args "$T/b" sh -c 'grep NoNewPrivs /proc/self/status'
	run_bundle "$T/b"
	assert_success
	assert_output_contains "NoNewPrivs:	1"
	edit_config "$T/b" '.process.noNewPrivileges = false'
	run_bundle "$T/b"
	assert_success
	assert_output_contains "NoNewPrivs:	0"
}

@test "seccomp: an ERRNO rule with errnoRet, and an argument condition" {
	make_bundle "$T/b" '.linux.seccomp = {"defaultAction":"SCMP_ACT_ALLOW","syscalls":[
		{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":13},
		{"names":["personality"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":8,"op":"SCMP_CMP_EQ"}]}]}'
	set_args "$T/b" sh -c 'mkdir /dev/shm/x 2>&1; echo mkdir=$?; touch /dev/shm/y && echo touch=ok'
	run_bundle "$T/b"
	assert_success
	assert_output_contains "Permission denied"
	assert_output_contains "mkdir=1"
	assert_output_contains "touch=ok"
}

@test "seccomp: KILL_PROCESS ends the container with SIGSYS (128+31)" {
	make_bundle "$T/b" '.linux.seccomp = {"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["getppid"],"action":"SCMP_ACT_KILL_PROCESS"}]}'
	# busybox sh runs getppid for $PPID at start.
	set_args "$T/b" sh -c 'echo $PPID'
	run_bundle "$T/b"
	assert_status 159
}

@test "seccomp notify: the listener gets the fd and the state with listenerMetadata" {
	make_bundle "$T/b" '.linux.seccomp = {"defaultAction":"SCMP_ACT_ALLOW","listenerPath":$p,"listenerMetadata":"meta-x","syscalls":[{"names":["mkdirat","mkdir"],"action":"SCMP_ACT_NOTIFY"}]}' \
		--arg p "$T/listener.sock"
	set_args "$T/b" echo ran
	"$NSBOX_RECVTTY" --meta "$T/listener.sock" >"$T/listener.out" 2>&1 &
	track_pid $!
	wait_until 5 test -S "$T/listener.sock" || fail "listener did not start"
	run_bundle "$T/b"
	assert_success
	assert_output "ran"
	wait_until 5 grep -q seccompFd "$T/listener.out" || fail "listener got: $(cat "$T/listener.out")"
	grep -q '"metadata":"meta-x"' "$T/listener.out" || fail "no metadata: $(cat "$T/listener.out")"
	grep -q "\"id\":\"c-$MARKER\"" "$T/listener.out" || fail "no state: $(cat "$T/listener.out")"
}

@test "rlimits: soft and hard limits are set" {
	make_bundle "$T/b" '.process.rlimits = [{"type":"RLIMIT_NOFILE","soft":100,"hard":200},{"type":"RLIMIT_CORE","soft":0,"hard":0}]'
	set_args "$T/b" sh -c 'ulimit -n; ulimit -Hn; ulimit -c'
	run_bundle "$T/b"
	assert_success
	assert_equal "100
200
0" "$output" "limits"
}

@test "rlimits: above this machine's hard limit is refused clearly" {
	make_bundle "$T/b" '.process.rlimits = [{"type":"RLIMIT_NOFILE","soft":30000,"hard":30000}]'
	set_args "$T/b" true
	run_bundle "$T/b"
	assert_status 125
	assert_stderr_contains "RLIMIT_NOFILE"
	assert_nothing_left
}

@test "sysctl: namespaced keys are set inside and not outside, even with /proc/sys read-only" {
	local before
	before=$(cat /proc/sys/kernel/shmmni)
	make_bundle "$T/b" '.linux.sysctl = {"kernel.shmmni":"1234","net.ipv4.ip_forward":"1"}'
	set_args "$T/b" sh -c 'cat /proc/sys/kernel/shmmni /proc/sys/net/ipv4/ip_forward'
	run_bundle "$T/b"
	assert_success
	assert_equal "1234
1" "$output" "sysctls inside"
	assert_equal "$before" "$(cat /proc/sys/kernel/shmmni)" "host kernel.shmmni"
}

@test "sysctl: a key that is not namespaced is refused naming it" {
	make_bundle "$T/b" '.linux.sysctl = {"vm.swappiness":"10"}'
	set_args "$T/b" true
	run_bundle "$T/b"
	assert_status 125
	assert_stderr_contains "vm.swappiness"
	assert_nothing_left
}

@test "sysctl: a key that leaves its namespaced prefix through '..' is refused; the host is unchanged" {
	local before
	before=$(cat /proc/sys/kernel/core_pattern)
	make_bundle "$T/b" '.linux.sysctl = {"net/../kernel/core_pattern":"|/bin/sh -c id"}'
	set_args "$T/b" true
	run_bundle "$T/b"
	assert_error 125 "config.json: linux.sysctl: 'net/../kernel/core_pattern': '..' is not allowed as a component"
	assert_equal "$before" "$(cat /proc/sys/kernel/core_pattern)" "host kernel.core_pattern"
	make_bundle "$T/b2" '.linux.sysctl = {"net.ipv4..ip_forward":"1"}'
	run_bundle "$T/b2"
	assert_error 125 "'net.ipv4..ip_forward': empty component"
	assert_nothing_left
}

@test "sysctl: kernel.hostname and kernel.domainname are refused, pointing at the OCI fields (runc's words)" {
	make_bundle "$T/b" '.linux.sysctl = {"kernel.hostname":"evil"}'
	set_args "$T/b" true
	run_bundle "$T/b"
	assert_error 125 "'kernel.hostname' is not allowed as it conflicts with the OCI 'hostname' field"
	make_bundle "$T/b2" '.linux.sysctl = {"kernel/domainname":"evil"}'
	run_bundle "$T/b2"
	assert_error 125 "'kernel/domainname' is not allowed as it conflicts with the OCI 'domainname' field"
	assert_nothing_left
}

@test "sysctl: a path key with dotted components is written where it names" {
	make_bundle "$T/b" '.linux.sysctl = {"net/ipv4/conf/lo/forwarding":"1","net.ipv4.conf.default.forwarding":"1"}'
	set_args "$T/b" cat /proc/sys/net/ipv4/conf/lo/forwarding /proc/sys/net/ipv4/conf/default/forwarding
	run_bundle "$T/b"
	assert_success
	assert_equal "1
1" "$output" "the sysctls inside"
}

@test "devices: a path outside /dev (through '..', or elsewhere) is refused and nothing is made" {
	make_bundle "$T/b" '.linux.devices = [{"path":"/dev/../../etc/x","type":"c","major":1,"minor":3}]'
	set_args "$T/b" true
	run_bundle "$T/b"
	assert_error 125 "config.json: linux.devices[0].path: '/dev/../../etc/x' must not have an empty, '.' or '..' component"
	[ ! -e "$T/b/rootfs/etc/x" ] || fail "a node was made at /etc/x of the rootfs"
	make_bundle "$T/b2" '.linux.devices = [{"path":"/etc/x","type":"c","major":1,"minor":3}]'
	run_bundle "$T/b2"
	assert_error 125 "config.json: linux.devices[0].path: '/etc/x' is not under /dev"
	[ ! -e "$T/b2/rootfs/etc/x" ] || fail "a node was made at /etc/x of the rootfs"
	assert_nothing_left
}

@test "maskedPaths and readonlyPaths: masked is empty, read-only cannot be written" {
	make_bundle "$T/b" '.linux.maskedPaths = ["/proc/loadavg","/proc/irq","/etc/missing-x"] | .linux.readonlyPaths = ["/proc/sys"]'
	set_args "$T/b" sh -c 'wc -c </proc/loadavg; ls /proc/irq | wc -l; echo 1 >/proc/sys/kernel/shmmni 2>/dev/null && echo wrote || echo ro'
	run_bundle "$T/b"
	assert_success
	assert_equal "0
0
ro" "$output" "masked and read-only"
}

@test "devices: linux.devices are created with their mode; the defaults exist" {
	make_bundle "$T/b" '.linux.devices = [{"path":"/dev/fuse-x","type":"c","major":1,"minor":3,"fileMode":432,"uid":0,"gid":0}]'
	set_args "$T/b" sh -c 'ls -l /dev/fuse-x | cut -c1-10; for d in null zero full random urandom tty; do [ -c /dev/$d ] || echo missing $d; done; echo hi > /dev/fuse-x && echo writable'
	run_bundle "$T/b"
	assert_success
	assert_equal "crw-rw----
writable" "$output" "device"
}

@test "user namespace: mappings from config.json, and an idmapped bind mount" {
	mkdir -p "$T/data" && echo x >"$T/data/f" && chown 0:0 "$T/data/f"
	make_bundle "$T/b" '.linux.namespaces += [{"type":"user"}]
		| .linux.uidMappings = [{"containerID":0,"hostID":100000,"size":65536}]
		| .linux.gidMappings = [{"containerID":0,"hostID":100000,"size":65536}]
		| .mounts += [{"destination":"/home","type":"bind","source":$d,"options":["bind","idmap"],
		   "uidMappings":[{"containerID":0,"hostID":100000,"size":65536}],
		   "gidMappings":[{"containerID":0,"hostID":100000,"size":65536}]}]' --arg d "$T/data"
	set_args "$T/b" sh -c 'cat /proc/self/uid_map; id -u; stat -c "%u %g" /home/f'
	run_bundle "$T/b"
	assert_success
	local lines
	mapfile -t lines <<<"$output"
	assert_equal "0 100000 65536" "$(squeeze "${lines[0]}")" "uid_map"
	assert_equal 0 "${lines[1]}" "id -u"
	# Owned by host root, shown through the mount's map as the container's root.
	assert_equal "0 0" "${lines[2]}" "owner of the idmapped file"
}

@test "propagation: a mount's own option (rshared) and rootfsPropagation" {
	make_bundle "$T/b" '.linux.rootfsPropagation = "rslave" | .mounts += [{"destination":"/home","type":"tmpfs","source":"tmpfs","options":["rshared"]}]'
	set_args "$T/b" sh -c 'grep " /home " /proc/self/mountinfo'
	run_bundle "$T/b"
	assert_success
	assert_output_contains "shared:"
}

@test "timeOffsets: a new time namespace with the monotonic offset" {
	make_bundle "$T/b" '.linux.namespaces += [{"type":"time"}] | .linux.timeOffsets = {"monotonic":{"secs":86400,"nanosecs":0}}'
	set_args "$T/b" cat /proc/self/timens_offsets
	run_bundle "$T/b"
	assert_success
	assert_output_contains "monotonic"
	assert_equal "monotonic 86400 0" "$(squeeze "$(grep monotonic <<<"$output")")" "offset"
}

@test "hostname and domainname of config.json" {
	make_bundle "$T/b" '.hostname = "h-oci" | .domainname = "d-oci"'
	set_args "$T/b" sh -c 'hostname; cat /proc/sys/kernel/domainname'
	run_bundle "$T/b"
	assert_success
	assert_equal "h-oci
d-oci" "$output" "names"
}

@test "exec: the process joins the container's cgroups" {
	local base=/sys/fs/cgroup/pids cg pid
	[ -d "$base" ] || base=/sys/fs/cgroup
	cg="$base/nsbox-test-$MARKER"
	mkdir "$cg" || fail "cannot make the test cgroup $cg"
	on_teardown "rmdir '$cg' 2>/dev/null || true"
	make_sleeping_bundle
	oci_ok run -d --bundle "$B" "c-$MARKER"
	pid=$(state_field "c-$MARKER" pid)
	echo "$pid" >"$cg/cgroup.procs" || fail "cannot move the container into $cg"
	oci exec "c-$MARKER" -- cat /proc/self/cgroup
	assert_success
	assert_output_contains "/nsbox-test-$MARKER"
	oci_ok delete --force "c-$MARKER"
}

@test "mountLabel: without SELinux on the host, a clear error and nothing left" {
	[ ! -e /sys/fs/selinux/enforce ] || fail "this test expects a host without SELinux"
	make_bundle "$T/b" '.linux.mountLabel = "system_u:object_r:container_file_t:s0:c1,c2"'
	set_args "$T/b" true
	run_bundle "$T/b"
	assert_status 125
	assert_stderr_contains "linux.mountLabel"
	assert_stderr_contains "SELinux is not enabled on this host"
	assert_nothing_left
}
