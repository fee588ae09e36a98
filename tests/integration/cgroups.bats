#!/usr/bin/env bats
# cgroups: a container's own cgroup, its limits, what it sees of it, and the
# commands on it (pause, resume, events, kill --all, ps, delete), on the
# host's layout: hybrid here (v1 controllers, an empty cgroup2 at
# /sys/fs/cgroup/unified), pure v2 in the VM (tests/vm/v2vm.sh runs this file
# there too).

load helpers
load oci-helpers

setup() {
	oci_setup || return 1
	if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
		V2=1
	else
		V2=
		[ -d /sys/fs/cgroup/memory ] || die_setup "neither cgroup v2 nor a v1 memory hierarchy at /sys/fs/cgroup" || return 1
	fi
	ID=cg-$MARKER
}

# After every other clean-up (a test's own, runc's delete included): only
# then are its cgroups empty.
teardown() {
	nsbox_teardown
	cg_cleanup
}

# Remove what a failed test may have left under our own test parent.
cg_cleanup() {
	local d
	for d in /sys/fs/cgroup/nsbox-test-"$MARKER" /sys/fs/cgroup/*/nsbox-test-"$MARKER"; do
		[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	return 0
}

# cg_dir CONTROLLER PATH: the directory of PATH in CONTROLLER's hierarchy.
cg_dir() {
	if [ -n "$V2" ]; then
		echo "/sys/fs/cgroup$2"
	else
		echo "/sys/fs/cgroup/$1$2"
	fi
}

# cg_exists PATH: PATH is a cgroup in some hierarchy.
cg_exists() {
	local d
	for d in /sys/fs/cgroup"$1" /sys/fs/cgroup/*"$1"; do
		[ -d "$d" ] && return 0
	done
	return 1
}

# count_past N: the counter in $T/ctl/count is past N (read anew each call).
count_past() { [ "$(cat "$T/ctl/count" 2>/dev/null)" -gt "$1" ] 2>/dev/null; }

mem_limit_file() { if [ -n "$V2" ]; then echo memory.max; else echo memory.limit_in_bytes; fi; }
pids_file() { echo pids.max; }

@test "a container gets /nsbox/ID in every hierarchy, with its limits, removed at delete" {
	make_sleeping_bundle || return 1
	edit_config "$B" '.linux.resources = {"memory": {"limit": 67108864}, "pids": {"limit": 40}}'
	create_running "$ID" || return 1
	assert_equal "/nsbox/$ID" "$(jq -r .nsboxCgroup "$STATE/$ID/state.json")" "the cgroup in the state" || return 1
	assert_equal 67108864 "$(cat "$(cg_dir memory "/nsbox/$ID")/$(mem_limit_file)")" "memory limit on the host" || return 1
	assert_equal 40 "$(cat "$(cg_dir pids "/nsbox/$ID")/pids.max")" "pids limit on the host" || return 1
	grep -qx "$PID" "$(cg_dir memory "/nsbox/$ID")/cgroup.procs" || fail "the process is not in the memory cgroup" || return 1
	grep -qx "$PID" "$(cg_dir pids "/nsbox/$ID")/cgroup.procs" || fail "the process is not in the pids cgroup" || return 1
	oci_ok delete --force "$ID"
	! cg_exists "/nsbox/$ID" || fail "cgroup /nsbox/$ID left after delete"
}

@test "inside, /proc/self/cgroup shows the root of every hierarchy, and /sys/fs/cgroup only its own cgroup, read-only" {
	make_bundle "$T/b" '.linux.resources = {"memory": {"limit": 50331648}, "pids": {"limit": 33}}' || return 1
	if [ -n "$V2" ]; then
		set_args "$T/b" sh -c 'cat /proc/self/cgroup; cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max; mkdir /sys/fs/cgroup/x 2>&1 && echo MKDIR-OK; true'
	else
		set_args "$T/b" sh -c 'cat /proc/self/cgroup; cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max; mkdir /sys/fs/cgroup/memory/x 2>&1 && echo MKDIR-OK; touch /sys/fs/cgroup/f 2>&1 && echo TOUCH-OK; [ -d /sys/fs/cgroup/systemd ] && echo SYSTEMD-VIEW; true'
	fi
	oci run --bundle "$T/b" "$ID"
	assert_success || return 1
	# Every line ends in ":/": the container's cgroup namespace is rooted at its cgroup.
	local lines
	lines=$(grep -c ':/$' <<<"$output")
	assert_equal "$(grep -c '^[0-9]*:[^:]*:/' <<<"$output")" "$lines" "cgroup lines rooted at /" || return 1
	[ "$lines" -ge 1 ] || fail "no cgroup line" || return 1
	assert_output_contains 50331648 || return 1
	assert_output_contains 33 || return 1
	assert_output_not_contains MKDIR-OK || return 1
	assert_output_not_contains TOUCH-OK || return 1
	# v1 with systemd's hierarchy: the container has its cgroup there too, and sees it.
	if [ -z "$V2" ] && grep -q name=systemd /proc/self/cgroup; then
		assert_output_contains "name=systemd:/" || return 1
		assert_output_contains SYSTEMD-VIEW || return 1
	fi
	! cg_exists "/nsbox/$ID" || fail "cgroup left after run"
}

@test "run (its process shares nsbox's memory until its exec): its oomScoreAdj, its cgroup in every hierarchy, pid file, state, kill" {
	make_bundle "$T/b" '.process.oomScoreAdj = 123 | .linux.cgroupsPath = $p' --arg p "/nsbox-test-$MARKER/c" || return 1
	set_args "$T/b" sh -c 'cat /proc/self/oom_score_adj; exec sleep "$0"' "$MARKER"
	local id="so-$MARKER" p pid line r=0
	"$NSBOX" --root "$STATE" run --bundle "$T/b" --pid-file "$T/pid" "$id" </dev/null >"$T/run.out" 2>&1 3>&- &
	p=$!
	track_pid "$p"
	wait_status "$id" running || return 1
	pid=$(state_field "$id" pid)
	assert_equal "$pid" "$(cat "$T/pid")" "pid file" || return 1
	wait_until 5 grep -qx 123 "$T/run.out" || fail "oom_score_adj inside: $(cat "$T/run.out")" || return 1
	assert_equal 123 "$(cat "/proc/$pid/oom_score_adj")" "oom_score_adj seen from the host" || return 1
	# In the container's cgroup in every hierarchy (cgroup v2, v1's, name=systemd).
	while IFS= read -r line; do
		[[ "$line" == *":/nsbox-test-$MARKER/c" ]] || fail "not in its cgroup: $line ($(cat "/proc/$pid/cgroup"))" || return 1
	done <"/proc/$pid/cgroup"
	[ ! -e "$STATE/$id/exec.fifo" ] || fail "run left an exec.fifo" || return 1
	oci_ok kill "$id" KILL || return 1
	wait "$p" || r=$?
	assert_equal 137 "$r" "exit status of run" || return 1
	assert_nothing_left
}

@test "the pids limit holds: a fork bomb stops at it" {
	B=$T/b
	make_bundle "$B" '.linux.resources = {"pids": {"limit": 12}}' || return 1
	set_args "$B" sh -c 'i=0; while [ $i -lt 40 ]; do sleep 1000 & i=$((i+1)); done; wait' "$MARKER"
	oci_ok create --bundle "$B" "$ID" || return 1
	oci_ok start "$ID" || return 1
	local dir max
	dir=$(cg_dir pids "/nsbox/$ID")
	# The shell gives up at the first fork refused; until then, never more than 12.
	wait_until 10 grep -q '^max [1-9]' "$dir/pids.events" || fail "the limit was never hit: $(cat "$dir/pids.events")" || return 1
	[ "$(cat "$dir/pids.current")" -le 12 ] || fail "more than 12 processes: $(cat "$dir/pids.current")" || return 1
	oci_ok delete --force "$ID"
}

@test "the memory limit holds: over it the process is OOM-killed (137), and events counted it" {
	make_bundle "$T/b" '.linux.resources = {"memory": {"limit": 33554432, "swap": 33554432}}' || return 1
	# tail buffers its whole input when asked for the last line of one endless line.
	set_args "$T/b" sh -c 'head -c 200000000 /dev/zero | tail -n 1 >/dev/null'
	oci create --bundle "$T/b" "$ID"
	assert_success || return 1
	"$NSBOX" --root "$STATE" events --interval 100ms "$ID" >"$T/events" 2>&1 </dev/null &
	track_pid $!
	oci_ok start "$ID" || return 1
	wait_status "$ID" stopped 20 || return 1
	wait_until 5 grep -q '"type":"oom"' "$T/events" || fail "no oom event: $(cat "$T/events")" || return 1
	grep -q '"type":"stats"' "$T/events" || fail "no stats event: $(cat "$T/events")" || return 1
	oci_ok events --stats "$ID" || true
	oci_ok delete "$ID"
}

@test "pause freezes every process, resume thaws; runc's words when it cannot" {
	B=$T/b
	make_bundle "$B" || return 1
	ctl_mount "$B" || return 1
	set_args "$B" sh -c 'n=0; while :; do n=$((n+1)); echo $n >/ctl/count; sleep 0.05; done' "$MARKER"
	create_running "$ID" || return 1
	wait_until 5 test -s "$T/ctl/count" || fail "the counter did not start" || return 1
	oci_ok pause "$ID" || return 1
	assert_equal paused "$(state_field "$ID" status)" "status after pause" || return 1
	local a b
	a=$(cat "$T/ctl/count")
	sleep 0.4
	b=$(cat "$T/ctl/count")
	assert_equal "$a" "$b" "the counter while paused" || return 1
	oci exec "$ID" true
	assert_error 125 "cannot exec in a paused container" || return 1
	oci delete "$ID"
	assert_error 125 "paused" || return 1
	oci pause "$ID"
	assert_error 125 "container not running" || return 1
	oci_ok resume "$ID" || return 1
	assert_equal running "$(state_field "$ID" status)" "status after resume" || return 1
	wait_until 5 count_past "$b" || fail "the counter did not go on after resume" || return 1
	oci resume "$ID"
	assert_error 125 "container not paused"
}

@test "delete --force of a paused container kills it and removes its cgroup" {
	make_sleeping_bundle || return 1
	create_running "$ID" || return 1
	oci_ok pause "$ID" || return 1
	oci_ok delete --force "$ID" || return 1
	wait_until 5 pid_dead "$PID" || fail "the process lives on" || return 1
	! cg_exists "/nsbox/$ID" || fail "cgroup left"
}

@test "without a pid namespace: ps, kill --all and delete reach every process through the cgroup" {
	B=$T/b
	make_bundle "$B" '.linux.namespaces |= map(select(.type != "pid"))' || return 1
	set_args "$B" sh -c "(sleep 86400 &) ; exec sleep $MARKER"
	create_running "$ID" || return 1
	wait_until 5 count_exact_pids 1 "sleep 86400" || fail "the daemon did not start" || return 1
	local daemon
	daemon=$(exact_pids "sleep 86400")
	oci_ok ps --format json "$ID" || return 1
	[[ "$output" == *"$daemon"* ]] || fail "ps does not list the daemon $daemon: $output" || return 1
	[[ "$output" == *"$PID"* ]] || fail "ps does not list the process $PID: $output" || return 1
	oci_ok kill --all "$ID" KILL || return 1
	wait_until 5 pid_dead "$daemon" || fail "kill --all left the daemon" || return 1
	oci_ok delete --force "$ID"
	! cg_exists "/nsbox/$ID" || fail "cgroup left"
}

@test "delete of a stopped container kills what it left in its cgroup" {
	B=$T/b
	make_bundle "$B" '.linux.namespaces |= map(select(.type != "pid"))' || return 1
	set_args "$B" sh -c "(exec sleep 86400 &) ; exit 0" "$MARKER"
	oci_ok create --bundle "$B" "$ID" || return 1
	oci_ok start "$ID" || return 1
	wait_status "$ID" stopped || return 1
	wait_until 5 count_exact_pids 1 "sleep 86400" || fail "the daemon did not start" || return 1
	local daemon
	daemon=$(exact_pids "sleep 86400")
	oci_ok delete "$ID" || return 1
	wait_until 5 pid_dead "$daemon" || fail "delete left the daemon $daemon"
	! cg_exists "/nsbox/$ID" || fail "cgroup left"
}

@test "kill --all of a stopped container signals what it left in its cgroup, and succeeds (as runc)" {
	B=$T/b
	make_bundle "$B" '.linux.namespaces |= map(select(.type != "pid"))' || return 1
	set_args "$B" sh -c "(exec sleep 86400 &) ; exit 0" "$MARKER"
	oci_ok create --bundle "$B" "$ID" || return 1
	oci_ok start "$ID" || return 1
	wait_status "$ID" stopped || return 1
	wait_until 5 count_exact_pids 1 "sleep 86400" || fail "the daemon did not start" || return 1
	local daemon
	daemon=$(exact_pids "sleep 86400")
	oci kill "$ID" KILL
	assert_error 125 "container not running" || return 1
	pid_alive "$daemon" || fail "kill without --all reached the daemon" || return 1
	oci_ok kill --all "$ID" KILL || return 1
	wait_until 5 pid_dead "$daemon" || fail "kill --all left the daemon $daemon" || return 1
	oci_ok kill --all "$ID" KILL || return 1
	oci_ok delete "$ID" || return 1
	! cg_exists "/nsbox/$ID" || fail "cgroup left"
}

@test "cgroupsPath: absolute, from each hierarchy's root" {
	make_sleeping_bundle || return 1
	edit_config "$B" '.linux.cgroupsPath = $p' --arg p "/nsbox-test-$MARKER/abs"
	create_running "$ID" || return 1
	grep -qx "$PID" "$(cg_dir memory "/nsbox-test-$MARKER/abs")/cgroup.procs" || fail "not in the absolute path" || return 1
	assert_equal "" "$(jq -r '.nsboxCgroupPaths // empty' "$STATE/$ID/state.json")" "no hierarchy elsewhere" || return 1
	oci_ok delete --force "$ID" || return 1
	! cg_exists "/nsbox-test-$MARKER/abs" || fail "cgroup left"
}

# make_homes: a cgroup of its own in each hierarchy, a different path in
# each: /nsbox-test-$MARKER/home-H, H the hierarchy's directory ("v2" on a
# pure v2 host). HOMES lists their directories; in_homes runs a command
# moved into them.
make_homes() {
	local d h f
	HOMES=
	if [ -n "$V2" ]; then
		mkdir -p "/sys/fs/cgroup/nsbox-test-$MARKER/home-v2" || return 1
		HOMES="/sys/fs/cgroup/nsbox-test-$MARKER/home-v2"
		return 0
	fi
	for d in /sys/fs/cgroup/*; do
		[ -L "$d" ] || [ ! -f "$d/cgroup.procs" ] && continue
		h=${d##*/}
		mkdir -p "$d/nsbox-test-$MARKER/home-$h" || return 1
		# v1 cpuset: a new cgroup has no cpus or mems until given them.
		for f in cpuset.cpus cpuset.mems; do
			[ -f "$d/$f" ] || continue
			cat "$d/$f" >"$d/nsbox-test-$MARKER/$f" && cat "$d/$f" >"$d/nsbox-test-$MARKER/home-$h/$f" || return 1
		done
		HOMES="$HOMES $d/nsbox-test-$MARKER/home-$h"
	done
}
# in_homes CMD...: CMD in a shell that moves itself into the homes and execs
# it; with HOMES_EXEC=1 (in a subshell), that shell replaces the caller: a
# background ( ... ) &'s $! is then CMD's pid.
in_homes() {
	local enter='for h in $HOMES; do echo $$ >"$h/cgroup.procs" || exit 125; done; exec "$@"'
	if [ -n "${HOMES_EXEC-}" ]; then
		HOMES=$HOMES exec sh -c "$enter" sh "$@"
	fi
	HOMES=$HOMES sh -c "$enter" sh "$@"
}

# placed REL: where runc places a relative cgroupsPath REL for a process
# whose /proc/self/cgroup is on stdin, as /proc/PID/cgroup then reads: in
# each v1 hierarchy under the process's own cgroup; in a hybrid host's
# cgroup2 under its root; on a pure v2 host under the parent of its own.
placed() {
	awk -F: -v rel="$1" -v v2="$V2" 'BEGIN { OFS = ":" }
		$1 == 0 && $2 == "" && v2 != "" { sub(/\/[^\/]*\/?$/, "", $3); print $1, $2, $3 "/" rel; next }
		$1 == 0 && $2 == "" { print $1, $2, "/" rel; next }
		{ sub(/\/$/, "", $3); print $1, $2, $3 "/" rel }'
}

@test "a relative cgroupsPath: placed in each hierarchy where runc places it; later commands from another cgroup find it" {
	make_sleeping_bundle || return 1
	make_homes || return 1
	local home rpid ours theirs left pids
	home=$(in_homes cat /proc/self/cgroup) || fail "cannot enter the test's cgroups" || return 1
	command -v runc >/dev/null || fail "runc missing (scripts/install-deps.sh installs it)" || return 1
	edit_config "$B" '.linux.cgroupsPath = $p' --arg p "nsbox-test-$MARKER/runc"
	in_homes runc --root "$T/runc-state" create --bundle "$B" "runc-$MARKER" </dev/null >/dev/null 2>"$T/runc.err" ||
		fail "runc create: $(cat "$T/runc.err")" || return 1
	on_teardown "runc --root '$T/runc-state' delete --force 'runc-$MARKER' >/dev/null 2>&1"
	edit_config "$B" '.linux.cgroupsPath = $p' --arg p "nsbox-test-$MARKER/nsbox"
	in_homes "$NSBOX" --root "$STATE" create --bundle "$B" "$ID" </dev/null 2>"$T/nsbox.err" ||
		fail "nsbox create: $(cat "$T/nsbox.err")" || return 1
	# Every later command from the test's own cgroups.
	oci_ok start "$ID" || return 1
	rpid=$(runc --root "$T/runc-state" state "runc-$MARKER" | jq -r .pid)
	theirs=$(sed 's|/runc$|/nsbox|' "/proc/$rpid/cgroup")
	ours=$(cat "/proc/$(state_field "$ID" pid)/cgroup")
	assert_equal "$theirs" "$ours" "the cgroups of runc's process (renamed), then ours" || return 1
	assert_equal "$(placed "nsbox-test-$MARKER/nsbox" <<<"$home")" "$ours" "where runc places it, then ours" || return 1
	if [ -z "$V2" ]; then
		assert_equal "$(grep -vc '^0::' <<<"$home")" "$(jq '.nsboxCgroupPaths | length' "$STATE/$ID/state.json")" \
			"the state keeps each v1 hierarchy's path" || return 1
	fi
	oci_ok pause "$ID" || return 1
	assert_equal paused "$(state_field "$ID" status)" "paused" || return 1
	oci_ok resume "$ID" || return 1
	oci_ok ps "$ID" || return 1
	grep -q "sleep $MARKER" "$OCI_OUT" || fail "ps: $(cat "$OCI_OUT")" || return 1
	# update writes the pids hierarchy's own leaf (v1: elsewhere than cgroup2's).
	oci_ok update --pids-limit 33 "$ID" || return 1
	pids=$(grep -E "^[0-9]+:$([ -z "$V2" ] && echo pids):" <<<"$ours" | cut -d: -f3)
	assert_equal 33 "$(cat "$(cg_dir pids "$pids")/pids.max")" "pids.max of $pids" || return 1
	oci_ok delete --force "$ID" || return 1
	left=$(find /sys/fs/cgroup/nsbox-test-"$MARKER" /sys/fs/cgroup/*/nsbox-test-"$MARKER" -name nsbox 2>/dev/null || true)
	assert_equal "" "$left" "no cgroup left after delete"
}

@test "nsbox run --cgroup-parent, relative: placed in each hierarchy where runc would place it, removed at the end" {
	make_homes || return 1
	local home pid leaf left
	home=$(in_homes cat /proc/self/cgroup) || fail "cannot enter the test's cgroups" || return 1
	(HOMES_EXEC=1 in_homes "$NSBOX" run --cgroup-parent "nsbox-test-$MARKER" -- sleep 60 </dev/null >/dev/null 2>"$T/run.err") &
	pid=$!
	track_pid "$pid"
	# The memory hierarchy's (v1), or the only one's (v2).
	leaf=$(placed "nsbox-test-$MARKER/run-$pid" <<<"$home" | grep -E '^[0-9]+:(memory|):' | grep -v "^0::$([ -z "$V2" ] && echo /)" | cut -d: -f3)
	leaf=$(cg_dir memory "$leaf")
	wait_until 10 test -d "$leaf" || fail "no cgroup $leaf: $(cat "$T/run.err")" || return 1
	kill -TERM "$pid"
	wait "$pid" || true
	left=$(find /sys/fs/cgroup/nsbox-test-"$MARKER" /sys/fs/cgroup/*/nsbox-test-"$MARKER" -name 'run-*' 2>/dev/null || true)
	assert_equal "" "$left" "no cgroup left after the run"
}

@test "a cgroupsPath with '..' is refused, and nothing is left" {
	make_sleeping_bundle || return 1
	edit_config "$B" '.linux.cgroupsPath = "/nsbox/../../etc"'
	oci create --bundle "$B" "$ID"
	assert_error 125 "cgroup" "'..'" || return 1
	assert_nothing_left
}

@test "a failed create leaves no cgroup" {
	make_bundle "$T/b" '.linux.resources = {"memory": {"limit": 67108864}}' || return 1
	set_args "$T/b" /no/such/command
	oci run --bundle "$T/b" "$ID"
	assert_status 127 || return 1
	! cg_exists "/nsbox/$ID" || fail "cgroup left after a failed run"
	assert_nothing_left
}

@test "a leftover cgroup of a killed nsbox (empty) is reused by the next create of the id" {
	make_sleeping_bundle || return 1
	mkdir -p "$(cg_dir memory "/nsbox/$ID")" "$(cg_dir pids "/nsbox/$ID")"
	create_running "$ID" || return 1
	grep -qx "$PID" "$(cg_dir pids "/nsbox/$ID")/cgroup.procs" || fail "not in /nsbox/$ID" || return 1
	oci_ok delete --force "$ID"
}

@test "a cgroup that still holds processes is not taken over" {
	make_sleeping_bundle || return 1
	local dir
	dir=$(cg_dir pids "/nsbox/$ID")
	mkdir -p "$dir"
	sleep 86400 &
	local other=$!
	track_pid "$other"
	echo "$other" >"$dir/cgroup.procs"
	on_teardown "kill $other; sleep 0.1; rmdir '$dir' 2>/dev/null"
	oci create --bundle "$B" "$ID"
	assert_error 125 "cgroup" || return 1
	pid_alive "$other" || fail "the other process was killed"
}

@test "events --stats: runc's shape, with the memory limit and the pids count" {
	make_sleeping_bundle || return 1
	edit_config "$B" '.linux.resources = {"memory": {"limit": 67108864}, "pids": {"limit": 77}}'
	create_running "$ID" || return 1
	oci_ok events --stats "$ID" || return 1
	json_ok "$output" || fail "not JSON: $output" || return 1
	assert_equal stats "$(jq -r .type <<<"$output")" "type" || return 1
	assert_equal "$ID" "$(jq -r .id <<<"$output")" "id" || return 1
	assert_equal 67108864 "$(jq -r .data.memory.usage.limit <<<"$output")" "memory limit" || return 1
	assert_equal 77 "$(jq -r .data.pids.limit <<<"$output")" "pids limit" || return 1
	[ "$(jq -r .data.pids.current <<<"$output")" -ge 1 ] || fail "pids.current" || return 1
	[ "$(jq -r .data.memory.usage.usage <<<"$output")" -gt 0 ] || fail "memory usage"
	oci events --interval 0 "$ID"
	assert_error 125 "--interval"
}

@test "rootless: no limit, no cgroup of its own, and it runs; a limit without a delegated cgroup is refused clearly" {
	local uid gid
	uid=$(test_user_uid)
	gid=$(test_user_gid)
	mkdir "$T/rl"
	cp -a "$ROOTFS" "$T/rl/rootfs"
	chown "$uid:$gid" "$T/rl"
	run_nsbox_as_user spec --rootless --bundle "$T/rl"
	assert_success || return 1
	edit_config "$T/rl" '.process.terminal = false | .process.args = ["true"]'
	chown "$uid:$gid" "$T/rl/config.json"
	run_nsbox_as_user --root "$T/rl/state" run --bundle "$T/rl" "rl-$MARKER"
	assert_success || return 1
	edit_config "$T/rl" '.linux.resources = {"memory": {"limit": 67108864}}'
	run_nsbox_as_user --root "$T/rl/state" run --bundle "$T/rl" "rl-$MARKER"
	assert_status 125 || return 1
	assert_nsbox_error "rootless" "cgroup" || return 1
	[ -z "$(ls -A "$T/rl/state" 2>/dev/null)" ] || fail "state left: $(ls -A "$T/rl/state")"
}

# create_beside_runc: the bundle $B created by runc (runc-$MARKER, cgroup
# /nsbox-test-$MARKER/runc) and by nsbox ($ID, /nsbox-test-$MARKER/nsbox).
create_beside_runc() {
	command -v runc >/dev/null || fail "runc missing (scripts/install-deps.sh installs it)" || return 1
	cp "$B/config.json" "$T/runc.json"
	jq --arg p "/nsbox-test-$MARKER/runc" '.linux.cgroupsPath = $p' "$T/runc.json" >"$B/config.json"
	runc --root "$T/runc-state" create --bundle "$B" "runc-$MARKER" </dev/null >/dev/null 2>"$T/runc.err" ||
		fail "runc create: $(cat "$T/runc.err")" || return 1
	on_teardown "runc --root '$T/runc-state' delete --force 'runc-$MARKER' >/dev/null 2>&1"
	jq --arg p "/nsbox-test-$MARKER/nsbox" '.linux.cgroupsPath = $p' "$T/runc.json" >"$B/config.json"
	oci_ok create --bundle "$B" "$ID" || return 1
}

@test "runc side by side: the same limits land in the same files" {
	make_sleeping_bundle || return 1
	edit_config "$B" '.linux.resources = {"memory": {"limit": 67108864, "reservation": 33554432}, "pids": {"limit": 55}, "cpu": {"shares": 512, "quota": 50000, "period": 100000}}'
	create_beside_runc || return 1
	local f ours theirs files
	if [ -n "$V2" ]; then
		files="memory:memory.max memory:memory.low pids:pids.max cpu:cpu.max cpu:cpu.weight"
	else
		files="memory:memory.limit_in_bytes memory:memory.soft_limit_in_bytes pids:pids.max cpu:cpu.shares cpu:cpu.cfs_quota_us cpu:cpu.cfs_period_us"
	fi
	for f in $files; do
		theirs=$(cat "$(cg_dir "${f%%:*}" "/nsbox-test-$MARKER/runc")/${f#*:}")
		ours=$(cat "$(cg_dir "${f%%:*}" "/nsbox-test-$MARKER/nsbox")/${f#*:}")
		assert_equal "$theirs" "$ours" "${f#*:}: runc's value, then ours" || return 1
	done
	runc --root "$T/runc-state" delete --force "runc-$MARKER" >/dev/null 2>&1
	oci_ok delete --force "$ID"
}

@test "runc side by side: the process is in the same hierarchies (v1: name=systemd too), all removed at delete" {
	make_sleeping_bundle || return 1
	create_beside_runc || return 1
	local rpid ours theirs
	rpid=$(runc --root "$T/runc-state" state "runc-$MARKER" | jq -r .pid)
	# Each hierarchy where the process is in its container's cgroup.
	theirs=$(grep "/nsbox-test-$MARKER/runc\$" "/proc/$rpid/cgroup" | cut -d: -f1,2 | sort)
	ours=$(grep "/nsbox-test-$MARKER/nsbox\$" "/proc/$(state_field "$ID" pid)/cgroup" | cut -d: -f1,2 | sort)
	[ -n "$theirs" ] || fail "runc's process is in no cgroup of its own: $(cat "/proc/$rpid/cgroup")" || return 1
	assert_equal "$theirs" "$ours" "the hierarchies, runc's then ours" || return 1
	runc --root "$T/runc-state" delete --force "runc-$MARKER" >/dev/null 2>&1
	oci_ok delete --force "$ID" || return 1
	! cg_exists "/nsbox-test-$MARKER/nsbox" || fail "a cgroup left after delete: $(ls -d /sys/fs/cgroup/*/nsbox-test-"$MARKER"/nsbox)"
}

@test "update: runc's flags and -r - read back from the cgroup; devices in the document are ignored" {
	make_sleeping_bundle || return 1
	edit_config "$B" '.linux.resources = {"memory": {"limit": 67108864}, "pids": {"limit": 50}, "cpu": {"quota": 50000, "period": 100000}, "devices": [{"allow": false, "access": "rwm"}]}'
	create_running "$ID" || return 1
	oci_ok update --memory 128m --pids-limit 99 --cpu-quota 20000 "$ID" || return 1
	assert_equal 134217728 "$(cat "$(cg_dir memory "/nsbox/$ID")/$(mem_limit_file)")" "memory after --memory" || return 1
	assert_equal 99 "$(cat "$(cg_dir pids "/nsbox/$ID")/pids.max")" "pids after --pids-limit" || return 1
	if [ -n "$V2" ]; then
		# The period in place stays: only the quota was given.
		assert_equal "20000 100000" "$(cat "$(cg_dir cpu "/nsbox/$ID")/cpu.max")" "cpu.max" || return 1
	else
		assert_equal 20000 "$(cat "$(cg_dir cpu "/nsbox/$ID")/cpu.cfs_quota_us")" "cfs_quota_us" || return 1
	fi
	OCI_STDIN=$T/r.json
	echo '{"memory": {"limit": 100663296}, "devices": [{"allow": false, "access": "rwm"}]}' >"$OCI_STDIN"
	oci_ok update -r - "$ID" || return 1
	unset OCI_STDIN
	assert_equal 100663296 "$(cat "$(cg_dir memory "/nsbox/$ID")/$(mem_limit_file)")" "memory after -r -" || return 1
	# The deny-all of the document was not applied alone: /dev/null still opens.
	oci_ok exec "$ID" sh -c 'echo x >/dev/null && echo ok' || return 1
	assert_output ok
}

@test "update: checkBeforeUpdate refuses a limit below the usage; bad values and stopped containers are refused" {
	make_sleeping_bundle || return 1
	create_running "$ID" || return 1
	OCI_STDIN=$T/r.json
	echo '{"memory": {"limit": 4096, "checkBeforeUpdate": true}}' >"$OCI_STDIN"
	oci update -r - "$ID"
	unset OCI_STDIN
	assert_error 125 "rejecting memory limit 4096 below usage" || return 1
	oci update --cpu-share 1 "$ID"
	assert_error 125 "cpu-share" || return 1
	oci update --cpuset-cpus 0- "$ID"
	assert_error 125 "cpuset" || return 1
	oci_ok kill "$ID" KILL || return 1
	wait_status "$ID" stopped || return 1
	oci update --memory 64m "$ID"
	assert_error 125 "container not running"
}

# NSBOX_TEST_CYCLES, NSBOX_TEST_KILLS: fewer rounds in the (slow, emulated)
# cgroup v2 VM.
@test "200 create/start/delete cycles leave no cgroup" {
	make_sleeping_bundle || return 1
	edit_config "$B" '.linux.resources = {"memory": {"limit": 67108864}, "pids": {"limit": 64}}'
	local i
	for i in $(seq "${NSBOX_TEST_CYCLES:-200}"); do
		"$NSBOX" --root "$STATE" create --bundle "$B" "$ID-$i" </dev/null >/dev/null 2>"$T/err" ||
			fail "create $i: $(cat "$T/err")" || return 1
		"$NSBOX" --root "$STATE" start "$ID-$i" </dev/null >/dev/null 2>"$T/err" ||
			fail "start $i: $(cat "$T/err")" || return 1
		"$NSBOX" --root "$STATE" delete --force "$ID-$i" </dev/null >/dev/null 2>"$T/err" ||
			fail "delete $i: $(cat "$T/err")" || return 1
	done
	local left
	left=$(ls -d /sys/fs/cgroup/nsbox/"$ID"-* /sys/fs/cgroup/*/nsbox/"$ID"-* 2>/dev/null | head -3)
	assert_equal "" "$left" "cgroups left" || return 1
	assert_nothing_left
}

# kill_at_random_point VERB: `nsbox VERB --bundle $B $ID`, SIGKILLed 0 to
# 39 ms after its start.
kill_at_random_point() {
	local pid
	"$NSBOX" --root "$STATE" "$1" --bundle "$B" "$ID" </dev/null >/dev/null 2>&1 &
	pid=$!
	sleep "0.0$(printf '%02d' $((RANDOM % 40)))"
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

@test "nsbox SIGKILLed at random points of create: delete --force, or the next create, leaves no cgroup" {
	make_sleeping_bundle || return 1
	edit_config "$B" '.linux.resources = {"memory": {"limit": 67108864}}'
	local i
	for i in $(seq "${NSBOX_TEST_KILLS:-40}"); do
		kill_at_random_point create
		if ((i % 2)); then
			# The next create of the id cleans up first (unless the killed
			# one had finished: then the container exists), then this delete.
			"$NSBOX" --root "$STATE" create --bundle "$B" "$ID" </dev/null >/dev/null 2>"$T/err" ||
				{ grep -q "already exists" "$T/err" && status_is "$ID" created; } ||
				fail "create after a killed create ($i): $(cat "$T/err")" || return 1
		fi
		"$NSBOX" --root "$STATE" delete --force "$ID" </dev/null >/dev/null 2>"$T/err" ||
			[ ! -e "$STATE/$ID" ] || fail "delete --force after a killed create ($i): $(cat "$T/err")" || return 1
		! cg_exists "/nsbox/$ID" || fail "cgroup /nsbox/$ID left after round $i" || return 1
	done
	assert_nothing_left
}

@test "nsbox run --bundle SIGKILLed at random points (its process shares nsbox's memory until its exec): delete --force leaves no process, record or cgroup" {
	make_sleeping_bundle || return 1
	edit_config "$B" '.linux.resources = {"memory": {"limit": 67108864}}'
	local i
	for i in $(seq "${NSBOX_TEST_KILLS:-40}"); do
		kill_at_random_point run
		# Killed during the set-up, its process died with it; after the
		# exec, the container runs on, and its record names it.
		"$NSBOX" --root "$STATE" delete --force "$ID" </dev/null >/dev/null 2>"$T/err" ||
			[ ! -e "$STATE/$ID" ] || fail "delete --force after a killed run ($i): $(cat "$T/err")" || return 1
		! cg_exists "/nsbox/$ID" || fail "cgroup /nsbox/$ID left after round $i" || return 1
		assert_no_marked_process "$MARKER" 5 || fail "a process left after round $i" || return 1
	done
	assert_nothing_left
}

# ---------------------------------------------------------------------------
# Device rules: nodes shipped in the image (outside /dev), opened inside.

# dev_bundle RULES-JSON: $B with device nodes in /root (kvm c 10:232, hwrng
# c 10:183, loop0 b 7:0, and c 1:3 as null), CAP_MKNOD, and the rules
# RULES-JSON as linux.resources.devices; the process reports, for each node,
# how an open for reading and one for writing end.
dev_bundle() {
	B=$(mktemp -d "$T/b.XXXXXX") || return 1
	make_bundle "$B" '.linux.resources.devices = $r | .process.capabilities.bounding += ["CAP_MKNOD"] | .process.capabilities.effective += ["CAP_MKNOD"] | .process.capabilities.permitted += ["CAP_MKNOD"]' --argjson r "$1" || return 1
	mknod "$B/rootfs/root/kvm" c 10 232 && mknod "$B/rootfs/root/hwrng" c 10 183 &&
		mknod "$B/rootfs/root/loop0" b 7 0 && mknod "$B/rootfs/root/null" c 1 3 || die_setup "mknod" || return 1
	set_args "$B" sh -c 'for n in kvm hwrng loop0 null; do
		r=$(dd if=/root/$n of=/dev/null bs=1 count=0 2>&1 | grep -c "not permitted")
		w=$(dd if=/dev/null of=/root/$n bs=1 count=0 conv=notrunc 2>&1 | grep -c "not permitted")
		echo "$n r$r w$w"
	done
	mknod /tmp/m c 10 232 2>&1 | grep -c "not permitted" | sed "s/^/mknod /"'
}

# dev_result NAME: the line of NAME in $output ("kvm r1 w1": 1 = EPERM).
dev_result() { grep "^$1 " <<<"$output"; }

@test "devices: deny-all (nsbox spec's) denies image nodes, read and write, and mknod; runc's defaults (null) stay" {
	dev_bundle '[{"allow": false, "access": "rwm"}]' || return 1
	oci run --bundle "$B" "$ID"
	assert_success || return 1
	assert_equal "kvm r1 w1" "$(dev_result kvm)" "kvm" || return 1
	assert_equal "hwrng r1 w1" "$(dev_result hwrng)" "hwrng" || return 1
	assert_equal "loop0 r1 w1" "$(dev_result loop0)" "loop0" || return 1
	assert_equal "null r0 w0" "$(dev_result null)" "null (runc's default rules)" || return 1
	# runc's defaults allow mknod of any character device.
	assert_equal "mknod 0" "$(dev_result mknod)" "mknod"
}

@test "devices: an allow rule with its access, a wildcard minor, a block rule and type a" {
	dev_bundle '[{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 10, "minor": 232, "access": "r"}, {"allow": true, "type": "b", "major": 7, "access": "rw"}]' || return 1
	oci run --bundle "$B" "$ID"
	assert_success || return 1
	assert_equal "kvm r0 w1" "$(dev_result kvm)" "kvm: r allowed, w not" || return 1
	assert_equal "hwrng r1 w1" "$(dev_result hwrng)" "hwrng" || return 1
	assert_equal "loop0 r0 w0" "$(dev_result loop0)" "loop0: b 7:* rw" || return 1
	oci_ok delete "$ID" 2>/dev/null || true
	dev_bundle '[{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 10, "access": "rwm"}, {"allow": false, "type": "c", "major": 10, "minor": 183, "access": "w"}]' || return 1
	oci run --bundle "$B" "$ID-2"
	if [ -n "$V2" ]; then
		assert_success || return 1
		assert_equal "kvm r0 w0" "$(dev_result kvm)" "kvm: c 10:* rwm" || return 1
		assert_equal "hwrng r0 w1" "$(dev_result hwrng)" "hwrng: the later deny of w wins" || return 1
		assert_equal "loop0 r1 w1" "$(dev_result loop0)" "loop0" || return 1
	else
		# v1 cannot deny inside a wildcard it allowed: refused, as runc.
		assert_error 125 "cannot punch hole" || return 1
	fi
	dev_bundle '[{"allow": false, "access": "rwm"}, {"allow": true, "type": "a", "access": "rwm"}, {"allow": false, "type": "b", "access": "rwm"}]' || return 1
	oci run --bundle "$B" "$ID-3"
	assert_success || return 1
	assert_equal "kvm r0 w0" "$(dev_result kvm)" "kvm: allowed by type a" || return 1
	assert_equal "loop0 r1 w1" "$(dev_result loop0)" "loop0: denied by the later b rule"
}

@test "devices: runc side by side gives the same answers for the same bundle" {
	command -v runc >/dev/null || fail "runc missing" || return 1
	dev_bundle '[{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 10, "minor": 232, "access": "r"}]' || return 1
	edit_config "$B" '.linux.cgroupsPath = $p' --arg p "/nsbox-test-$MARKER/runc"
	local theirs
	theirs=$(runc --root "$T/runc-state" run --bundle "$B" "runc-$MARKER" </dev/null 2>&1) ||
		fail "runc run: $theirs" || return 1
	edit_config "$B" '.linux.cgroupsPath = $p' --arg p "/nsbox-test-$MARKER/nsbox"
	oci run --bundle "$B" "$ID"
	assert_success || return 1
	assert_equal "$theirs" "$output" "runc's answers, then ours"
}

@test "a cgroupsPath of a hierarchy's root is refused, and nothing is left" {
	make_sleeping_bundle || return 1
	edit_config "$B" '.linux.cgroupsPath = "/"'
	oci create --bundle "$B" "$ID"
	assert_error 125 "cgroup path '/'" || return 1
	assert_nothing_left
}

@test "cgroups the container makes below its own: ps and kill --all reach them, delete removes them" {
	make_bundle "$T/b" '.mounts |= map(if .type == "cgroup" then .options = ["nosuid", "noexec", "nodev", "rw"] else . end)' || return 1
	B=$T/b
	if [ -n "$V2" ]; then
		set_args "$B" sh -c 'mkdir /sys/fs/cgroup/sub && (sh -c "echo \$\$ > /sys/fs/cgroup/sub/cgroup.procs; exec sleep 86400" &) ; exec sleep '"$MARKER"
	else
		set_args "$B" sh -c 'mkdir /sys/fs/cgroup/pids/sub && (sh -c "echo \$\$ > /sys/fs/cgroup/pids/sub/cgroup.procs; exec sleep 86400" &) ; exec sleep '"$MARKER"
	fi
	create_running "$ID" || return 1
	wait_until 5 count_exact_pids 1 "sleep 86400" || fail "the child did not start" || return 1
	local child
	child=$(exact_pids "sleep 86400")
	[ -d "$(cg_dir pids "/nsbox/$ID/sub")" ] || fail "no sub-cgroup" || return 1
	oci_ok ps --format json "$ID" || return 1
	[[ "$output" == *"$child"* ]] || fail "ps misses the process in the sub-cgroup: $output" || return 1
	oci_ok kill --all "$ID" KILL || return 1
	wait_until 5 pid_dead "$child" || fail "kill --all left the process in the sub-cgroup" || return 1
	oci_ok delete --force "$ID" || return 1
	! cg_exists "/nsbox/$ID" || fail "cgroup left"
}

# A subtree delegated to the test user, as systemd delegates one: in every
# hierarchy, /nsbox-deleg-MARKER owned by the user (on v2 with the
# controllers enabled down to it), the user's shell in its leaf "shell".
delegate_to_user() {
	local uid d
	uid=$(test_user_uid)
	DELEG=/nsbox-deleg-$MARKER
	on_teardown 'undelegate'
	if [ -n "$V2" ]; then
		echo "+memory +pids" >/sys/fs/cgroup/cgroup.subtree_control || die_setup "enable memory and pids at the root" || return 1
		mkdir "/sys/fs/cgroup$DELEG" && echo "+memory +pids" >"/sys/fs/cgroup$DELEG/cgroup.subtree_control" &&
			mkdir "/sys/fs/cgroup$DELEG/shell" && chown -R "$uid" "/sys/fs/cgroup$DELEG" ||
			die_setup "cannot delegate $DELEG" || return 1
	else
		for d in /sys/fs/cgroup/*/; do
			case $(stat -f -c %T "$d") in cgroupfs | cgroup2fs) ;; *) continue ;; esac
			mkdir "$d$DELEG" "$d$DELEG/shell" && chown -R "$uid" "$d$DELEG" ||
				die_setup "cannot delegate $d$DELEG" || return 1
			if [ -e "$d$DELEG/cpuset.cpus" ]; then
				cat "$d/cpuset.cpus" >"$d$DELEG/cpuset.cpus"; cat "$d/cpuset.mems" >"$d$DELEG/cpuset.mems"
				cat "$d/cpuset.cpus" >"$d$DELEG/shell/cpuset.cpus"; cat "$d/cpuset.mems" >"$d$DELEG/shell/cpuset.mems"
			fi
		done
	fi
}

undelegate() {
	local d
	for d in /sys/fs/cgroup"$DELEG" /sys/fs/cgroup/*"$DELEG"; do
		[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	return 0
}

# as_user_in_deleg CMD...: CMD as the test user, started in $DELEG/shell.
as_user_in_deleg() {
	local d procs
	procs=()
	for d in /sys/fs/cgroup"$DELEG"/shell /sys/fs/cgroup/*"$DELEG"/shell; do
		[ -d "$d" ] && procs+=("$d/cgroup.procs")
	done
	# The shell moves itself (as root) into every leaf, then becomes the user.
	run --separate-stderr sh -c 'for f in "$@"; do [ "$f" = -- ] && break; echo $$ >"$f" || exit 99; shift; done; shift; exec "$@"' \
		sh "${procs[@]}" -- "${AS_USER[@]}" "$@"
}

@test "rootless in a delegated cgroup: the limit holds, and nothing is left" {
	delegate_to_user || return 1
	# tail and head are made the OOM killer's first choices. Under load the
	# kernel may kill a second process some milliseconds after tail, while
	# tail's memory is not yet freed (seen in dmesg on v1); that one must be
	# head, not nsbox's init (10 MB in a sanitizer build), whose death ends
	# the sandbox with 137.
	as_user_in_deleg sh -c "cd / && $USER_NSBOX run --cgroup-parent $DELEG --memory 32m --rootfs $ROOTFS -- sh -c 'cat /proc/self/cgroup | grep -c run-; { echo 1000 >/proc/self/oom_score_adj; exec head -c 200000000 /dev/zero; } | { echo 1000 >/proc/self/oom_score_adj; exec tail -n 1; } >/dev/null; echo survived \$?'"
	assert_success || return 1
	assert_output_contains "survived 137" || return 1
	local left
	left=$(find /sys/fs/cgroup"$DELEG" /sys/fs/cgroup/*"$DELEG" -mindepth 1 -maxdepth 1 -type d -name 'run-*' 2>/dev/null || true)
	assert_equal "" "$left" "the sandbox's cgroup after the run"
}

@test "a pure v1 host (here: the hybrid host's unified mount hidden in a private mount namespace): run, and delete, leave no cgroup" {
	make_bundle "$T/b" '.linux.resources = {"memory": {"limit": 67108864}, "pids": {"limit": 20}}' || return 1
	set_args "$T/b" sh -c 'grep -c . /proc/self/cgroup; cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max'
	local hide='mountpoint -q /sys/fs/cgroup/unified && umount /sys/fs/cgroup/unified; exec "$@"'
	[ -n "$V2" ] && hide='exec "$@"'   # pure v2: the lifecycle as it is
	run --separate-stderr unshare -m --propagation private sh -c "$hide" sh \
		"$NSBOX" --root "$STATE" run --bundle "$T/b" "$ID"
	assert_success || return 1
	assert_output_contains 20 || return 1
	run --separate-stderr unshare -m --propagation private sh -c "$hide" sh \
		"$NSBOX" --root "$STATE" run --keep --bundle "$T/b" "$ID-k"
	assert_success || return 1
	run --separate-stderr unshare -m --propagation private sh -c "$hide" sh \
		"$NSBOX" --root "$STATE" delete "$ID-k"
	assert_success || return 1
	! cg_exists "/nsbox/$ID" || fail "cgroup left after run" || return 1
	! cg_exists "/nsbox/$ID-k" || fail "cgroup left after delete"
}
