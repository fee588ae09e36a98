#!/usr/bin/env bats
# nsbox run --profile judge|ci|service and --print-config: each profile's
# effect seen from inside a real sandbox, the override rule (a later option
# wins; an earlier one loses only what the profile sets), the plan printed
# as JSON with nothing created, and the usage errors.
#
# ci and service run as root on the default bridge, nsbox0, masqueraded:
# a test that made nsbox0 removes it, and ip_forward is as it was after each
# run (nsbox turns it on only while a masqueraded sandbox runs).

load helpers

setup() {
	nsbox_setup || return 1
	command -v jq >/dev/null || die_setup "jq missing (apt-get install jq)" || return 1
	MARKER=$(new_marker)
	FORWARD_BEFORE=$(cat /proc/sys/net/ipv4/ip_forward)
	if ip link show nsbox0 >/dev/null 2>&1; then BRIDGE_WAS=1; else BRIDGE_WAS=; fi
	on_teardown 'profile_cleanup'
}

teardown() { nsbox_teardown; }

profile_cleanup() {
	kill_marked "$MARKER"
	if [ -z "$BRIDGE_WAS" ] && ip link show nsbox0 >/dev/null 2>&1; then
		"$NSBOX" network rm nsbox0 >/dev/null 2>&1 || true
	fi
	"$NSBOX" network prune >/dev/null 2>&1 || true
}

# cg_cleanup PARENT: remove the (empty) cgroup PARENT of a test's runs.
cg_cleanup() {
	local d
	for d in /sys/fs/cgroup"$1" /sys/fs/cgroup/*"$1"; do
		[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	return 0
}

# in_box ARGS... -- SCRIPT: run SCRIPT with the busybox sh of the test root.
in_box() {
	local args=()
	while [ "$1" != -- ]; do
		args+=("$1")
		shift
	done
	run_nsbox run "${args[@]}" --rootfs "$ROOTFS" -- /bin/sh -c "$2"
}

# Under judge the command is the only process it may have: the scripts use
# the shell's builtins only (no pipe, no $(...), no external command).
MOUNTINFO='while read -r l; do echo "$l"; done </proc/self/mountinfo'

# config ARGS...: the plan of `nsbox run ARGS -- true`, checked to be JSON.
config() {
	run_nsbox run "$@" --print-config -- true
	assert_success || return 1
	assert_stderr_empty || return 1
	jq -e . <<<"$output" >/dev/null || fail "--print-config: not JSON: $output"
}

# jq_is FILTER EXPECTED: FILTER on the last config's output gives EXPECTED.
jq_is() {
	assert_equal "$2" "$(jq -c "$1" <<<"$output")" "jq '$1'"
}

@test "judge: lo only, no fork, core 0, nofile 64, fsize 64m" {
	in_box --profile judge -- 'echo /sys/class/net/*; ulimit -c; ulimit -n; ulimit -f; /bin/true; echo "not reached"'
	# The shell's fork fails: busybox sh ends with status 2 there.
	assert_status 2 || return 1
	assert_equal "/sys/class/net/lo
0
64
131072" "$output" "interfaces, core, nofile, fsize in 512-byte blocks" || return 1
	assert_stderr_contains "can't fork"
}

@test "judge: nosuid on every mount, nodev on all but /dev, /dev/pts and the device nodes" {
	in_box --profile judge -- "$MOUNTINFO"
	assert_success || return 1
	local lines bad
	lines=$(wc -l <<<"$output")
	[ "$lines" -ge 8 ] || fail "too few mounts: $output" || return 1
	# Field 5: the mount point, 6: its per-mount options. The device nodes
	# (and the /dev/null that masks a file) are binds of a devtmpfs or
	# /dev's tmpfs: the text after " - " names their filesystem.
	bad=$(awk '$6 !~ /(^|,)nosuid(,|$)/' <<<"$output")
	assert_equal "" "$bad" "mounts without nosuid" || return 1
	bad=$(awk -F' - ' '{ split($1, f, " ") }
		f[6] !~ /(^|,)nodev(,|$)/ && f[5] != "/dev" && f[5] != "/dev/pts" && $2 !~ /^devtmpfs / { print }' <<<"$output")
	assert_equal "" "$bad" "mounts without nodev that hold no device" || return 1
	grep -qE '^[0-9]+ [0-9]+ [0-9:]+ [^ ]+ / [^ ]*nosuid,nodev' <<<"$output" ||
		fail "the root is not nosuid,nodev: $output"
}

@test "judge: private /tmp of 64m and /dev/shm of 16m, /proc with hidepid=invisible" {
	in_box --profile judge -- "$MOUNTINFO"
	assert_success || return 1
	assert_output_matches $'(^|\n)[^\n]* /tmp rw,nosuid,nodev[^\n]* - tmpfs [^\n]*size=65536k,nr_inodes=65536' || return 1
	assert_output_matches $'(^|\n)[^\n]* /dev/shm rw,nosuid,nodev[^\n]* - tmpfs [^\n]*size=16384k,nr_inodes=16384' || return 1
	assert_output_matches $'(^|\n)[^\n]* /proc rw,nosuid,nodev,noexec[^\n]* - proc [^\n]*hidepid=invisible'
}

@test "judge: /proc shows only what the command may see (hidepid): uid 65534 sees itself, not the init" {
	in_box --profile judge --uid 65534 --gid 65534 -- 'echo /proc/[0-9]*'
	assert_success || return 1
	assert_equal "/proc/2" "$output" "processes in /proc under judge" || return 1
	# Without the profile the same user sees the init (PID 1) too.
	in_box --uid 65534 --gid 65534 -- 'echo /proc/[0-9]*'
	assert_success || return 1
	assert_equal "/proc/1 /proc/2" "$output" "processes in /proc without a profile"
}

@test "judge: a later --pids 8 allows forks; an earlier one does not" {
	in_box --profile judge --pids 8 -- '/bin/true && echo FORKED; echo /proc/[0-9]*'
	assert_success || return 1
	assert_line_in_output "FORKED" || return 1
	in_box --pids 8 --profile judge -- '/bin/true && echo FORKED'
	assert_status 2 || return 1
	assert_output_not_contains "FORKED" || return 1
	assert_stderr_contains "can't fork"
}

@test "judge: its own CPU and wall time limits end a spinning command (a later --memory overrides its memory)" {
	config --profile judge
	jq_is '.linux.resources.memory.limit' 268435456 || return 1
	jq_is '.linux.resources.pids.limit' 2 || return 1
	jq_is '[.nsbox.timeLimit, .nsbox.wallTimeLimit]' '[10,20]' || return 1
	# 10 s of CPU, or 20 s of wall time on a busy machine: SIGKILL (137),
	# not before 10 s.
	SECONDS=0
	in_box --profile judge -- 'while :; do :; done'
	assert_status 137 || return 1
	[ "$SECONDS" -ge 10 ] && [ "$SECONDS" -le 30 ] || fail "killed after ${SECONDS}s" || return 1
	config --profile judge --memory 1g
	jq_is '.linux.resources.memory.limit' 1073741824
}

@test "ci as root: eth0 on nsbox0 with a default route, forks, /tmp 1g, /dev/shm 64m, core 0" {
	in_box --profile ci -- 'echo /sys/class/net/*; ip route | grep -c "^default via"; ulimit -c; ls /bin/sh >/dev/null && echo FORKED; grep -E " /tmp | /dev/shm " /proc/self/mountinfo'
	assert_success || return 1
	assert_line_in_output "/sys/class/net/eth0 /sys/class/net/lo" || return 1
	assert_line_in_output "1" || return 1
	assert_line_in_output "0" || return 1
	assert_line_in_output "FORKED" || return 1
	assert_output_matches ' /tmp rw,nosuid,nodev[^'$'\n'']* - tmpfs [^'$'\n'']*size=1048576k' || return 1
	assert_output_matches ' /dev/shm rw,nosuid,nodev[^'$'\n'']* - tmpfs [^'$'\n'']*size=65536k' || return 1
	ip link show nsbox0 >/dev/null || fail "no bridge nsbox0 on the host" || return 1
	assert_equal "$FORWARD_BEFORE" "$(cat /proc/sys/net/ipv4/ip_forward)" "ip_forward after the run"
}

@test "ci: a later --net none takes the network away; the plan says so" {
	in_box --profile ci --net none -- 'echo /sys/class/net/*'
	assert_success || return 1
	assert_equal "/sys/class/net/lo" "$output" "interfaces" || return 1
	config --profile ci --net none
	jq_is '[.nsbox.network, .nsbox.nat, .linux.resources.pids.limit]' '["none",false,4096]'
}

@test "service as root: a network, nsbox's init as PID 1 despite an earlier --no-init, no time limit" {
	in_box --no-init --time-limit 0.2 --profile service -- 'cat /proc/1/comm; echo $$; echo /sys/class/net/*; i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; echo spun'
	assert_success || return 1
	assert_equal "nsbox
2
/sys/class/net/eth0 /sys/class/net/lo
spun" "$output" "PID 1, the command's pid, interfaces, a CPU second spent" || return 1
	config --profile service
	jq_is '[.nsbox.network, .nsbox.nat, .nsbox.init, .nsbox.timeLimit, .nsbox.wallTimeLimit, .linux.resources.pids.limit]' \
		'["bridge",true,true,null,null,16384]' || return 1
	assert_equal "$FORWARD_BEFORE" "$(cat /proc/sys/net/ipv4/ip_forward)" "ip_forward after the run"
}

@test "--print-config: each profile's values" {
	config --profile judge
	jq_is '.nsbox.profile' '"judge"' || return 1
	jq_is '[.nsbox.network, .nsbox.nat, .nsbox.root.nosuid, .nsbox.root.nodev]' '["none",false,true,true]' || return 1
	jq_is '[.process.rlimits[] | [.type, .soft, .hard]]' \
		'[["RLIMIT_FSIZE",67108864,67108864],["RLIMIT_NOFILE",64,64],["RLIMIT_CORE",0,0]]' || return 1
	jq_is '[.mounts[] | select(.destination == "/tmp" or .destination == "/dev/shm") | .options[-2:]]' \
		'[["size=67108864","nr_inodes=65536"],["size=16777216","nr_inodes=16384"]]' || return 1
	jq_is '.mounts[] | select(.destination == "/proc") | .options | index("hidepid=invisible") > 0' true || return 1
	jq_is '.linux.namespaces | map(.type) | index("network") != null' true || return 1
	config --profile ci
	jq_is '[.nsbox.profile, .nsbox.network, .nsbox.nat, .linux.resources.pids.limit, .linux.resources.memory.limit]' \
		'["ci","bridge",true,4096,4294967296]' || return 1
	jq_is '[.process.rlimits[] | select(.type == "RLIMIT_CORE") | .hard]' '[0]' || return 1
	config --profile service
	jq_is '[.nsbox.profile, .linux.resources.pids.limit, .linux.resources.memory]' '["service",16384,null]' || return 1
	# Without a profile: none named, and the defaults.
	config
	jq_is '[.nsbox.profile, .nsbox.network, .linux.resources]' '[null,"none",{}]'
}

@test "--print-config: the override rule, both ways" {
	config --memory 1g --profile ci
	jq_is '.linux.resources.memory.limit' 4294967296 || return 1
	config --profile ci --memory 1g
	jq_is '.linux.resources.memory.limit' 1073741824 || return 1
	config --cpus 2 --profile ci
	jq_is '.linux.resources.cpu.quota' 200000 || return 1
	config --tmpfs /tmp:size=1g --profile judge
	jq_is '[.mounts[] | select(.destination == "/tmp") | .options[-2]]' '["size=67108864"]' || return 1
	config --profile judge --tmpfs /tmp:size=1g
	jq_is '[.mounts[] | select(.destination == "/tmp") | .options[-1]]' '["size=1073741824"]' || return 1
	config --net host --profile judge
	jq_is '.nsbox.network' '"none"' || return 1
	config --profile judge --net host
	jq_is '.nsbox.network' '"host"'
}

@test "--print-config creates nothing: no process, no registration, no cgroup" {
	local parent=/nsbox-profiles-$MARKER T
	new_tempdir T || return 1
	on_teardown "cg_cleanup $parent"
	run_nsbox run --profile judge --name "pc-$BASHPID" --cgroup-parent "$parent" --bind "$T:/tmp/out" \
		--print-config -- /bin/touch /tmp/out/ran
	assert_success || return 1
	jq_is '.process.args' '["/bin/touch","/tmp/out/ran"]' || return 1
	jq_is '[.mounts[] | select(.destination == "/tmp/out") | .source]' "[\"$T\"]" || return 1
	[ ! -e "$T/ran" ] || fail "the command ran" || return 1
	run "$NSBOX" list --quiet
	assert_success || return 1
	assert_no_line_in_output "pc-$BASHPID" || return 1
	assert_equal "" "$(find /sys/fs/cgroup -maxdepth 2 -name "${parent#/}" 2>/dev/null)" "cgroups of the run" || return 1
	# The same run without --print-config does all three.
	run_nsbox run --profile judge --cgroup-parent "$parent" --bind "$T:/tmp/out" -- /bin/touch /tmp/out/ran
	assert_success || return 1
	[ -e "$T/ran" ] || fail "the command did not run" || return 1
	[ -n "$(find /sys/fs/cgroup -maxdepth 2 -name "${parent#/}" 2>/dev/null)" ] || fail "no cgroup under $parent"
}

@test "rootless: ci's network is pasta, without --nat" {
	run_nsbox_as_user run --profile ci --print-config -- true
	assert_success || return 1
	jq_is '[.nsbox.network, .nsbox.nat]' '["pasta",false]'
}

@test "an unknown profile is a usage error: 125, one line, nothing run" {
	run_nsbox run --profile x -- sleep "$MARKER"
	assert_status 125 || return 1
	assert_nsbox_error "--profile 'x': expected judge, ci or service" || return 1
	run_nsbox run --profile judge --profile ci -- true
	assert_status 125 || return 1
	assert_nsbox_error "--profile given twice ('judge' and 'ci')" || return 1
	run_nsbox run --profile
	assert_status 125 || return 1
	assert_nsbox_error "option '--profile' needs a value"
}

@test "run --help documents --profile and --print-config" {
	run_nsbox run --help
	assert_success || return 1
	assert_output_matches '(^|'$'\n'')      --profile NAME +judge' || return 1
	assert_output_matches '(^|'$'\n'')      --print-config +print the plan as JSON'
}
