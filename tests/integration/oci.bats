#!/usr/bin/env bats
# The OCI runtime commands (issue 3): spec and features, the lifecycle
# state machine (created, running, stopped) with every wrong-state command
# refused, --pid-file, list, ps, kill, delete --force, concurrent deletes,
# container ids, `run --bundle`, and --log. Every test has its own --root
# and bundle under a temporary directory (oci-helpers.bash).

load helpers
load oci-helpers

# ---------------------------------------------------------------------------
# spec and features

@test "spec writes a config.json that create accepts as it is" {
	mkdir "$T/b"
	cp -a "$ROOTFS" "$T/b/rootfs"
	oci_ok spec --bundle "$T/b"
	assert_equal "" "$output" "spec stdout"
	json_ok "$(cat "$T/b/config.json")" || fail "config.json is not JSON"
	assert_equal "1.2.0" "$(jq -r .ociVersion "$T/b/config.json")" "ociVersion"
	assert_equal "true" "$(jq -r .process.terminal "$T/b/config.json")" "process.terminal"
	# The default process has a terminal: create needs a console socket.
	"$NSBOX_RECVTTY" "$T/tty.sock" 20 >"$T/tty.out" 2>"$T/tty.err" &
	track_pid $!
	wait_until 5 test -S "$T/tty.sock" || fail "the receiver did not listen"
	oci create --bundle "$T/b" --console-socket "$T/tty.sock" "spec-$MARKER"
	assert_success
	assert_equal "created" "$(state_field "spec-$MARKER" status)" "status"
}

@test "spec --rootless (as a user) maps the user to root in a user namespace, and runs" {
	local uid gid
	uid=$(test_user_uid)
	gid=$(test_user_gid)
	mkdir "$T/rl"
	cp -a "$ROOTFS" "$T/rl/rootfs"
	chown "$uid:$gid" "$T/rl"
	run_nsbox_as_user spec --rootless --bundle "$T/rl"
	assert_success
	local c=$T/rl/config.json
	assert_equal "[{\"containerID\":0,\"hostID\":$uid,\"size\":1}]" "$(jq -c .linux.uidMappings "$c")" "uidMappings"
	assert_equal "[{\"containerID\":0,\"hostID\":$gid,\"size\":1}]" "$(jq -c .linux.gidMappings "$c")" "gidMappings"
	assert_equal "user" "$(jq -r '.linux.namespaces[] | select(.type == "user") | .type' "$c")" "a user namespace"
	# The rootless spec runs as the user, without a terminal.
	edit_config "$T/rl" '.process.terminal = false | .process.args = ["sh", "-c", "id -u; cat /proc/self/uid_map"]'
	chown "$uid:$gid" "$c"
	run_nsbox_as_user --root "$T/rl/state" run --bundle "$T/rl" "rl-$MARKER"
	assert_success
	assert_equal "0" "$(sed -n 1p <<<"$output")" "uid in the container"
	assert_equal "0 $uid 1" "$(squeeze "$(sed -n 2p <<<"$output")")" "uid_map"
}

@test "spec refuses to overwrite an existing config.json" {
	mkdir "$T/b"
	echo '{"mine": true}' >"$T/b/config.json"
	oci spec --bundle "$T/b"
	assert_error 125 "config.json" "exists"
	assert_equal '{"mine": true}' "$(cat "$T/b/config.json")" "config.json after"
}

@test "features prints JSON with ociVersionMax 1.2.0 and the hooks" {
	oci_ok features
	json_ok "$output" || fail "features output is not JSON"
	assert_equal "1.2.0" "$(jq -r .ociVersionMax <<<"$output")" "ociVersionMax"
	assert_equal "1.0.0" "$(jq -r .ociVersionMin <<<"$output")" "ociVersionMin"
	for h in prestart createRuntime createContainer startContainer poststart poststop; do
		jq -e --arg h "$h" '.hooks | index($h)' >/dev/null <<<"$output" || fail "hook $h not in features"
	done
}

# ---------------------------------------------------------------------------
# The lifecycle

@test "lifecycle: create (blocked before exec), start, running, exit, stopped, delete, gone" {
	local id="life-$MARKER" pid
	make_waiting_bundle
	oci create --bundle "$B" "$id"
	assert_success
	assert_equal "" "$output" "create stdout"

	# created: the process lives, blocked before the exec of its command.
	oci_ok state "$id"
	json_ok "$output" || fail "state is not JSON"
	assert_equal "created" "$(jq -r .status <<<"$output")" "status after create"
	assert_equal "$id" "$(jq -r .id <<<"$output")" "id"
	pid=$(jq -r .pid <<<"$output")
	[[ "$pid" =~ ^[1-9][0-9]*$ ]] || fail "pid '$pid' is not a pid"
	pid_alive "$pid" || fail "the created container's pid $pid is not alive"
	[[ "$(cmdline "$pid")" != *"while [ ! -e /ctl/go ]"* ]] ||
		fail "pid $pid already runs the container's command before start: $(cmdline "$pid")"

	oci start "$id"
	assert_success
	assert_equal "running" "$(state_field "$id" status)" "status after start"
	assert_equal "$pid" "$(state_field "$id" pid)" "pid after start"
	wait_until 5 eval '[[ "$(cmdline "$pid")" == *"$MARKER"* ]]' ||
		fail "pid $pid does not run the container's command: $(cmdline "$pid")"

	# The process exits: stopped, with no pid.
	touch "$T/ctl/go"
	wait_status "$id" stopped
	oci_ok state "$id"
	assert_equal "stopped" "$(jq -r .status <<<"$output")" "status"
	assert_equal "null" "$(jq -r .pid <<<"$output")" "pid of a stopped container"
	pid_dead "$pid" || fail "pid $pid still alive"

	oci delete "$id"
	assert_success
	oci state "$id"
	assert_error 125 "$id" "does not exist"
	assert_equal "" "$(state_entries)" "state root after delete"
}

@test "state: ociVersion, bundle (absolute) and annotations of config.json" {
	local id="st-$MARKER"
	make_sleeping_bundle
	edit_config "$B" '.annotations = {"org.example.key": "value 1", "other": "2"}'
	oci_ok create --bundle "$B" "$id"
	oci_ok state "$id"
	assert_equal "1.2.0" "$(jq -r .ociVersion <<<"$output")" "ociVersion"
	assert_equal "$B" "$(jq -r .bundle <<<"$output")" "bundle"
	assert_equal '{"org.example.key":"value 1","other":"2"}' "$(jq -cS .annotations <<<"$output")" "annotations"
}

@test "create with a relative --bundle records the absolute path" {
	local id="rel-$MARKER"
	make_sleeping_bundle
	(cd "$T" && "$NSBOX" --root "$STATE" create --bundle bundle "$id" </dev/null >/dev/null 2>&1 3>&-) ||
		fail "create --bundle bundle failed"
	assert_equal "$B" "$(state_field "$id" bundle)" "bundle"
}

@test "--pid-file holds the pid that state reports" {
	local id="pf-$MARKER"
	make_sleeping_bundle
	oci_ok create --bundle "$B" --pid-file "$T/pid" "$id"
	[ -f "$T/pid" ] || fail "no pid file"
	local pid
	pid=$(cat "$T/pid")
	assert_equal "$(state_field "$id" pid)" "$pid" "pid file vs state"
	pid_alive "$pid" || fail "pid $pid not alive"
	oci_ok start "$id"
	wait_until 5 eval '[ "$(cmdline "$pid")" = "sleep $MARKER" ]' ||
		fail "pid $pid does not run 'sleep $MARKER': $(cmdline "$pid")"
}

@test "list and list --format json show each container with its status" {
	make_waiting_bundle
	oci_ok list
	assert_equal "ID PID STATUS BUNDLE CREATED" "$(squeeze "$output")" "list of an empty root"
	oci_ok list --format json
	assert_equal "[]" "$output" "json list of an empty root"

	oci_ok create --bundle "$B" "a-$MARKER"
	oci_ok create --bundle "$B" "b-$MARKER"
	oci_ok start "b-$MARKER"
	local pa pb
	pa=$(state_field "a-$MARKER" pid)
	pb=$(state_field "b-$MARKER" pid)

	oci_ok list
	[[ "$(squeeze "$(grep "^a-$MARKER " <<<"$output")")" == "a-$MARKER $pa created $B "* ]] ||
		fail "no row 'a-$MARKER $pa created $B' in the list"
	[[ "$(squeeze "$(grep "^b-$MARKER " <<<"$output")")" == "b-$MARKER $pb running $B "* ]] ||
		fail "no row 'b-$MARKER $pb running $B' in the list"

	oci_ok list --format json
	json_ok "$output" || fail "list --format json is not JSON"
	assert_equal 2 "$(jq length <<<"$output")" "containers listed"
	assert_equal "created $pa $B" "$(jq -r --arg id "a-$MARKER" '.[] | select(.id == $id) | "\(.status) \(.pid) \(.bundle)"' <<<"$output")" "a in json"
	assert_equal "running $pb $B" "$(jq -r --arg id "b-$MARKER" '.[] | select(.id == $id) | "\(.status) \(.pid) \(.bundle)"' <<<"$output")" "b in json"

	oci_ok list --quiet
	assert_equal "$(printf '%s\n' "a-$MARKER" "b-$MARKER" | sort)" "$(sort <<<"$output")" "list --quiet"

	touch "$T/ctl/go"
	wait_status "b-$MARKER" stopped
	oci_ok list --format json
	assert_equal "stopped" "$(jq -r --arg id "b-$MARKER" '.[] | select(.id == $id) | .status' <<<"$output")" "b stopped in json"
}

@test "ps --format json lists every pid of the container" {
	local id="ps-$MARKER"
	B=$T/bundle
	make_bundle "$B"
	set_args "$B" sh -c 'sleep $0 & sleep $0 & wait' "$MARKER"
	create_running "$id"
	wait_until 5 count_exact_pids 2 "sleep $MARKER" || fail "the container's sleeps did not start"
	oci_ok ps --format json "$id"
	json_ok "$output" || fail "ps output is not JSON"
	local want
	want=$( (echo "$PID"; exact_pids "sleep $MARKER") | sort -n | tr '\n' ' ')
	assert_equal "$want" "$(jq -r '.[]' <<<"$output" | sort -n | tr '\n' ' ')" "pids"
	# The table shows the command lines.
	oci_ok ps "$id"
	assert_line_in_output "$(printf '%-8d %s' "$PID" "sh -c sleep \$0 & sleep \$0 & wait $MARKER")"
}

@test "ps of a stopped container lists no pid" {
	local id="ps0-$MARKER"
	make_waiting_bundle
	create_running "$id"
	touch "$T/ctl/go"
	wait_status "$id" stopped
	oci_ok ps --format json "$id"
	assert_equal "[]" "$output" "ps of a stopped container"
}

# ---------------------------------------------------------------------------
# Wrong-state commands: refused, exit 125, a clear message, no effect

@test "start of a running container is refused (start twice)" {
	local id="s2-$MARKER"
	make_sleeping_bundle
	create_running "$id"
	oci start "$id"
	assert_error 125 "$id" "running"
	assert_equal "running" "$(state_field "$id" status)" "status after the refused start"
	assert_equal "$PID" "$(state_field "$id" pid)" "pid after the refused start"
}

@test "start of a stopped container is refused" {
	local id="ss-$MARKER"
	make_waiting_bundle
	create_running "$id"
	touch "$T/ctl/go"
	wait_status "$id" stopped
	oci start "$id"
	assert_error 125 "$id" "stopped"
	assert_equal "stopped" "$(state_field "$id" status)" "status"
}

@test "delete of a running container without --force is refused; it keeps running" {
	local id="dr-$MARKER"
	make_sleeping_bundle
	create_running "$id"
	oci delete "$id"
	assert_error 125 "$id" "running" "--force"
	assert_equal "running" "$(state_field "$id" status)" "status after the refused delete"
	pid_alive "$PID" || fail "the container's process died"
}

@test "exec into a created container is refused" {
	local id="ec-$MARKER"
	make_sleeping_bundle
	oci_ok create --bundle "$B" "$id"
	oci exec "$id" true
	assert_error 125 "$id" "created"
	assert_equal "created" "$(state_field "$id" status)" "status"
}

@test "exec into a stopped container is refused" {
	local id="es-$MARKER"
	make_waiting_bundle
	create_running "$id"
	touch "$T/ctl/go"
	wait_status "$id" stopped
	oci exec "$id" true
	assert_error 125 "$id" "stopped"
}

@test "kill of a stopped container is refused; kill --all of it succeeds (as runc)" {
	local id="ks-$MARKER"
	make_waiting_bundle
	create_running "$id"
	touch "$T/ctl/go"
	wait_status "$id" stopped
	oci kill "$id" KILL
	# runc's words: containerd's shim looks for them.
	assert_error 125 "$id" "container not running"
	oci kill "$id" 0
	assert_error 125 "$id" "container not running"
	# containerd's shim calls kill --all ID 9 after every exit.
	oci kill --all "$id" 9
	assert_success
	assert_equal "" "$stderr" "stderr of kill --all"
	assert_equal "stopped" "$(state_field "$id" status)" "status"
	oci_ok delete "$id"
}

@test "kill ID 0 checks that the process is alive and sends nothing (as runc)" {
	local id="k0-$MARKER"
	make_trap_bundle
	rm -f "$T/ctl/sig" "$T/ctl/ready"
	create_running "$id"
	wait_until 5 test -e "$T/ctl/ready" || fail "the container did not set its traps"
	oci kill "$id" 0
	assert_success
	oci kill --all "$id" 0
	assert_success
	sleep 0.2
	[ ! -e "$T/ctl/sig" ] || fail "signal 0 delivered '$(cat "$T/ctl/sig")'"
	assert_equal "running" "$(state_field "$id" status)" "status"
}

@test "create of an id that exists is refused; the first container is untouched" {
	local id="dup-$MARKER"
	make_sleeping_bundle
	oci_ok create --bundle "$B" "$id"
	local pid
	pid=$(state_field "$id" pid)
	oci create --bundle "$B" --pid-file "$T/pid2" "$id"
	assert_error 125 "$id" "already exists"
	[ ! -e "$T/pid2" ] || fail "the refused create wrote its pid file"
	assert_equal "created $pid" "$(state_field "$id" status) $(state_field "$id" pid)" "the first container"
	pid_alive "$pid" || fail "the first container's process died"
	assert_equal 1 "$(pids_with_marker "$MARKER" | wc -l)" "processes of the test (the created container only)"
}

@test "every command on an id that does not exist fails with 125" {
	for cmd in start state kill delete ps; do
		oci "$cmd" "none-$MARKER"
		assert_error 125 "none-$MARKER" "does not exist"
	done
	oci exec "none-$MARKER" true
	assert_error 125 "none-$MARKER" "does not exist"
	# As runc and crun (containerd calls delete, then delete --force):
	# --force of a container that does not exist is not an error.
	oci delete --force "none-$MARKER"
	assert_success
	assert_equal "" "$stderr" "stderr of delete --force"
	assert_equal "" "$(state_entries)" "state root"
}

# ---------------------------------------------------------------------------
# kill

# A bundle whose process reports the signal it gets in /ctl/sig and exits.
make_trap_bundle() {
	B=$T/bundle
	make_bundle "$B"
	ctl_mount "$B"
	set_args "$B" sh -c 'for s in TERM USR1 HUP; do trap "echo $s >/ctl/sig; exit 0" $s; done; touch /ctl/ready; while :; do sleep 0.05; done' "$MARKER"
}

# kill_reports SIGNAL-ARG NAME: `kill ID SIGNAL-ARG` delivers NAME.
kill_reports() {
	local id="k$RANDOM-$MARKER"
	rm -f "$T/ctl/sig" "$T/ctl/ready"
	create_running "$id"
	wait_until 5 test -e "$T/ctl/ready" || fail "the container did not set its traps"
	if [ -n "$1" ]; then
		oci kill "$id" "$1"
	else
		oci kill "$id"
	fi
	assert_success
	wait_until 5 test -s "$T/ctl/sig" || fail "the container got no signal for '$1'"
	assert_equal "$2" "$(cat "$T/ctl/sig")" "signal received for '$1'"
	wait_status "$id" stopped
	oci_ok delete "$id"
}

@test "kill takes signal names and numbers: TERM, SIGTERM, sigterm, 15, USR1, SIGHUP" {
	make_trap_bundle
	kill_reports TERM TERM
	kill_reports SIGTERM TERM
	kill_reports sigterm TERM
	kill_reports 15 TERM
	kill_reports USR1 USR1
	kill_reports SIGHUP HUP
}

@test "kill without a signal sends TERM" {
	make_trap_bundle
	kill_reports "" TERM
}

@test "kill KILL and kill 9 stop the container" {
	make_sleeping_bundle
	for sig in KILL 9; do
		local id="kk$sig-$MARKER"
		create_running "$id"
		oci kill "$id" "$sig"
		assert_success
		wait_status "$id" stopped
		pid_dead "$PID" || fail "pid $PID alive after kill $sig"
		oci_ok delete "$id"
	done
}

@test "kill of a created container: it dies and is stopped" {
	local id="kc-$MARKER"
	make_sleeping_bundle
	oci_ok create --bundle "$B" "$id"
	local pid
	pid=$(state_field "$id" pid)
	oci kill "$id" KILL
	assert_success
	wait_status "$id" stopped
	pid_dead "$pid" || fail "pid $pid alive"
}

@test "kill with a bad signal name or number fails with 125; the container is untouched" {
	local id="kb-$MARKER"
	make_sleeping_bundle
	create_running "$id"
	for sig in BOGUS SIGBOGUS 65 99 1.5 TERM2 ""; do
		oci kill "$id" "$sig"
		assert_error 125 "signal" || return 1
		[ -z "$sig" ] || assert_stderr_contains "'$sig'"
	done
	assert_equal "running" "$(state_field "$id" status)" "status"
	pid_alive "$PID" || fail "the container died"
}

@test "kill --all signals every process of the container" {
	local id="ka-$MARKER"
	B=$T/bundle
	make_bundle "$B"
	# PID 1 of the pid namespace ignores TERM (no handler); the sleeps do not.
	set_args "$B" sh -c 'sleep $0 & sleep $0 & wait; sleep $0' "$MARKER"
	create_running "$id"
	wait_until 5 count_exact_pids 2 "sleep $MARKER" || fail "the sleeps did not start"
	oci_ok ps --format json "$id"
	local before
	before=$(jq -r '.[]' <<<"$output")
	assert_equal 3 "$(wc -l <<<"$before")" "processes before kill --all"

	oci kill --all "$id" TERM
	assert_success
	for p in $before; do
		[ "$p" = "$PID" ] && continue
		wait_until 5 pid_dead "$p" || fail "pid $p ($(cmdline "$p")) survived kill --all"
	done
	# Only TERM was sent: PID 1 lives on, and started its last sleep.
	wait_until 5 count_exact_pids 1 "sleep $MARKER" || fail "PID 1 did not go on after the sleeps died"
	oci_ok ps --format json "$id"
	local after
	after=$(jq -r '.[]' <<<"$output")
	for p in $before; do
		[ "$p" = "$PID" ] && continue
		if grep -qx "$p" <<<"$after"; then
			fail "pid $p still listed by ps after kill --all"
		fi
	done

	oci kill --all "$id" KILL
	assert_success
	wait_status "$id" stopped
	for p in $before $after; do
		wait_until 5 pid_dead "$p" || fail "pid $p alive after kill --all KILL"
	done
}

@test "kill without --all signals the container's process only" {
	local id="kn-$MARKER"
	B=$T/bundle
	make_bundle "$B"
	set_args "$B" sh -c 'trap "" TERM; sleep $0 & sleep $0 & wait' "$MARKER"
	create_running "$id"
	wait_until 5 count_exact_pids 2 "sleep $MARKER" || fail "the sleeps did not start"
	oci kill "$id" TERM
	assert_success
	sleep 0.3
	count_exact_pids 2 "sleep $MARKER" || fail "kill without --all reached the sleeps"
	assert_equal "running" "$(state_field "$id" status)" "status"
}

# ---------------------------------------------------------------------------
# delete

@test "delete --force of a running container kills every process and removes the state" {
	local id="df-$MARKER"
	B=$T/bundle
	make_bundle "$B"
	set_args "$B" sh -c 'sleep $0 & sleep $0 & wait' "$MARKER"
	create_running "$id"
	wait_until 5 count_exact_pids 2 "sleep $MARKER" || fail "the sleeps did not start"
	local pids
	pids=$("$NSBOX" --root "$STATE" ps --format json "$id" </dev/null | jq -r '.[]')
	oci delete --force "$id"
	assert_success
	for p in $pids; do
		pid_dead "$p" || fail "pid $p ($(cmdline "$p")) alive after delete --force"
	done
	oci state "$id"
	assert_error 125 "does not exist"
	assert_equal "" "$(state_entries)" "state root"
	assert_nothing_left
}

@test "delete --force of a created container kills it and removes the state" {
	local id="dc-$MARKER"
	make_sleeping_bundle
	oci_ok create --bundle "$B" "$id"
	local pid
	pid=$(state_field "$id" pid)
	oci delete --force "$id"
	assert_success
	pid_dead "$pid" || fail "pid $pid alive after delete --force"
	assert_nothing_left
}

# delete_race ID ARGS...: two `delete ARGS ID` at once; exactly one succeeds,
# the other says the container does not exist.
delete_race() {
	local id=$1 r1=0 r2=0 p1 p2
	shift
	"$NSBOX" --root "$STATE" delete "$@" "$id" </dev/null >"$T/d1" 2>&1 3>&- &
	p1=$!
	"$NSBOX" --root "$STATE" delete "$@" "$id" </dev/null >"$T/d2" 2>&1 3>&- &
	p2=$!
	wait "$p1" || r1=$?
	wait "$p2" || r2=$?
	if [ "$r1" -eq 0 ] && [ "$r2" -eq 125 ]; then
		grep -q "container '$id' does not exist" "$T/d2" || fail "loser's message: $(cat "$T/d2")"
	elif [ "$r1" -eq 125 ] && [ "$r2" -eq 0 ]; then
		grep -q "container '$id' does not exist" "$T/d1" || fail "loser's message: $(cat "$T/d1")"
	else
		fail "two deletes of $id: statuses $r1 and $r2 (want one 0, one 125): $(cat "$T/d1" "$T/d2")"
	fi
}

@test "two deletes of a stopped container at once: exactly one succeeds (5 rounds)" {
	make_waiting_bundle
	touch "$T/ctl/go"
	for i in 1 2 3 4 5; do
		local id="dd$i-$MARKER"
		oci_ok create --bundle "$B" "$id"
		oci_ok start "$id"
		wait_status "$id" stopped
		delete_race "$id"
	done
	assert_nothing_left
}

@test "two delete --force of a running container at once: both succeed, it is gone (5 rounds)" {
	make_sleeping_bundle
	for i in 1 2 3 4 5; do
		local id="ddf$i-$MARKER" r1=0 r2=0 p1 p2
		create_running "$id"
		# --force of a container that is gone succeeds (as runc): both exit 0.
		"$NSBOX" --root "$STATE" delete --force "$id" </dev/null >"$T/d1" 2>&1 3>&- &
		p1=$!
		"$NSBOX" --root "$STATE" delete --force "$id" </dev/null >"$T/d2" 2>&1 3>&- &
		p2=$!
		wait "$p1" || r1=$?
		wait "$p2" || r2=$?
		assert_equal "0 0" "$r1 $r2" "statuses of the two delete --force"
		assert_equal "" "$(cat "$T/d1" "$T/d2")" "their output"
		pid_dead "$PID" || fail "pid $PID alive after the deletes"
		oci state "$id"
		assert_error 125 "does not exist"
	done
	assert_nothing_left
}

# ---------------------------------------------------------------------------
# Container ids: checked before any file is touched

# bad_id ID: create, state and delete of ID fail with 125 naming the id
# rule, and the state root is neither made nor changed.
bad_id() {
	local id=$1
	if [ ! -d "$T/bundle" ]; then
		make_sleeping_bundle
	fi
	oci create --bundle "$B" "$id"
	assert_error 125 "container id" || return 1
	[ ! -e "$STATE" ] || fail "create made the state root for id '$id': $(ls -A "$STATE")" || return 1
	mkdir "$STATE"
	for cmd in create start state kill delete; do
		if [ "$cmd" = create ]; then
			oci create --bundle "$B" "$id"
		else
			oci "$cmd" "$id"
		fi
		assert_error 125 "container id" || return 1
	done
	assert_equal "" "$(state_entries)" "state root after id '$id'"
	assert_nothing_left
}

@test "id: empty is refused" {
	bad_id ""
}

@test "id: 1025 characters is refused" {
	bad_id "$(printf 'a%.0s' {1..1025})"
	assert_stderr_contains "1024"
}

@test "id: with a slash is refused" {
	bad_id "a/b"
}

@test "id: '..' and '../x' are refused" {
	bad_id ".."
	rm -rf "$STATE"
	bad_id "../x$MARKER"
	[ ! -e "$T/x$MARKER" ] || fail "create made $T/x$MARKER"
}

@test "id: with a space is refused" {
	bad_id "a b"
}

@test "id: 1024 characters of [A-Za-z0-9_+.-] are accepted" {
	local id
	id=$(printf 'Az09_+.-%.0s' {1..128})
	[ ${#id} -eq 1024 ] || fail "test bug: id of ${#id} chars"
	make_sleeping_bundle
	oci create --bundle "$B" "$id"
	assert_success
	assert_equal "created" "$(state_field "$id" status)" "status"
	oci_ok list --quiet
	assert_equal "$id" "$output" "list --quiet"
	oci delete --force "$id"
	assert_success
	assert_nothing_left
}

# ---------------------------------------------------------------------------
# run --bundle

@test "run --bundle: the container's output and exit status; no state afterwards" {
	make_bundle "$T/b"
	set_args "$T/b" sh -c 'echo out-$0; echo err-$0 >&2; exit 3' "$MARKER"
	oci run --bundle "$T/b" "run-$MARKER"
	assert_status 3
	assert_equal "out-$MARKER" "$output" "stdout"
	assert_equal "err-$MARKER" "$stderr" "stderr"
	oci state "run-$MARKER"
	assert_error 125 "does not exist"
	assert_nothing_left
}

@test "run --bundle: exit status 0; killed by a signal N: 128+N" {
	make_bundle "$T/b"
	set_args "$T/b" true
	oci run --bundle "$T/b" "r0-$MARKER"
	assert_success
	set_args "$T/b" sleep "$MARKER"
	local id="r9-$MARKER" p r=0
	"$NSBOX" --root "$STATE" run --bundle "$T/b" "$id" </dev/null >"$T/run.out" 2>&1 3>&- &
	p=$!
	track_pid "$p"
	wait_status "$id" running
	oci_ok kill "$id" KILL
	wait "$p" || r=$?
	assert_equal 137 "$r" "exit status of run when its container is killed by SIGKILL ($(cat "$T/run.out"))"
	assert_nothing_left
}

@test "run --bundle of a process that ends at once: 3 x 100 runs at once, each status 0 and nothing left (its exec races run's start)" {
	# run opens exec.fifo as soon as the process is created, so the
	# process may exec, exit and be a zombie before run's start looks at
	# it: that is a start, not "not running" (2 in 300 failed so, once).
	# Three loops at once on two CPUs: run is often preempted there.
	make_bundle "$T/b"
	set_args "$T/b" true
	local j
	for j in 1 2 3; do
		(
			for i in $(seq 100); do
				r=0
				"$NSBOX" --root "$STATE" run --bundle "$T/b" "race$j-$MARKER" </dev/null \
					>"$T/race$j.out" 2>&1 || r=$?
				[ "$r" -eq 0 ] || { echo "loop $j, run $i: status $r: $(cat "$T/race$j.out")"; exit 1; }
			done
		) >"$T/loop$j.out" 2>&1 &
	done
	for j in 1 2 3; do
		wait -n || fail "$(cat "$T"/loop*.out)"
	done
	assert_nothing_left
}

# clone3's flags for the container's process of `nsbox ARGS...` (strace).
clone_flags_of() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -qq -o "$T/clone.trace" -e trace=clone3 \
		"$NSBOX" --root "$STATE" "$@" </dev/null >"$T/clone.out" 2>&1 || fail "nsbox $*: $(cat "$T/clone.out")" || return 1
	grep -o 'clone3({flags=[A-Z_|]*CLONE_NEWNS[A-Z_|]*' "$T/clone.trace" | head -n 1
}

@test "run --bundle: a plain container's process shares nsbox's memory until its exec (CLONE_VM|CLONE_VFORK); create and a hook take a copy" {
	command -v strace >/dev/null || fail "strace missing (scripts/install-deps.sh installs it)" || return 1
	make_bundle "$T/b" || return 1
	set_args "$T/b" true
	local flags
	flags=$(clone_flags_of run --bundle "$T/b" "sv-$MARKER") || return 1
	[[ "$flags" == *CLONE_VM*CLONE_VFORK* ]] || fail "run: clone3 without CLONE_VM|CLONE_VFORK: '$flags'" || return 1
	flags=$(clone_flags_of create --bundle "$T/b" "sc-$MARKER") || return 1
	[ -n "$flags" ] && [[ "$flags" != *CLONE_VM* ]] || fail "create: '$flags'" || return 1
	oci_ok delete --force "sc-$MARKER" || return 1
	# Hooks before the exec need nsbox between the clone and the exec.
	edit_config "$T/b" '.hooks.createRuntime = [{"path": "/bin/true"}]' || return 1
	flags=$(clone_flags_of run --bundle "$T/b" "sh-$MARKER") || return 1
	[ -n "$flags" ] && [[ "$flags" != *CLONE_VM* ]] || fail "run with a createRuntime hook: '$flags'" || return 1
	assert_nothing_left
}

@test "run --bundle, shared: a failure before the exec is run's error, as create's; a failed exec is the command's 127" {
	make_bundle "$T/b" '.process.cwd = "/bin/sh"' || return 1
	set_args "$T/b" true
	oci create --bundle "$T/b" "fc-$MARKER"
	assert_status 125 || return 1
	local theirs=${stderr//fc-$MARKER/ID}
	oci run --bundle "$T/b" "fr-$MARKER"
	assert_status 125 || return 1
	assert_equal "$theirs" "${stderr//fr-$MARKER/ID}" "create's error, then run's" || return 1
	edit_config "$T/b" '.process.cwd = "/"' || return 1
	set_args "$T/b" "/nonexistent-$MARKER"
	oci run --bundle "$T/b" "fx-$MARKER"
	assert_error 127 "exec '/nonexistent-$MARKER': command not found" || return 1
	assert_nothing_left
}

@test "run --keep: the container's status; the stopped container stays (state, kill --all, delete), as runc; create has no --keep" {
	local id="rk-$MARKER"
	make_bundle "$T/b"
	set_args "$T/b" sh -c 'echo kept; exit 3'
	oci run --keep --bundle "$T/b" "$id"
	assert_equal 3 "$status" "exit status of run --keep" || return 1
	assert_equal "kept" "$output" "output" || return 1
	assert_equal "stopped" "$(state_field "$id" status)" "status after run --keep" || return 1
	oci_ok kill --all "$id" KILL || return 1
	oci run --keep --bundle "$T/b" "$id"
	assert_error 125 "$id" "already exists" || return 1
	oci_ok delete "$id" || return 1
	oci create --keep --bundle "$T/b" "$id"
	assert_error 125 "unknown option '--keep'" || return 1
	assert_nothing_left
}

@test "run -d: the container keeps running, state says running" {
	local id="rd-$MARKER"
	make_sleeping_bundle
	local t0=$SECONDS
	oci run -d --bundle "$B" --pid-file "$T/pid" "$id"
	assert_success
	[ $((SECONDS - t0)) -lt 5 ] || fail "run -d did not return at once"
	assert_equal "running" "$(state_field "$id" status)" "status"
	assert_equal "$(cat "$T/pid")" "$(state_field "$id" pid)" "pid file"
	wait_until 5 count_exact_pids 1 "sleep $MARKER" || fail "the container's process is not running"
	oci_ok delete --force "$id"
	assert_nothing_left
}

# ---------------------------------------------------------------------------
# --log and --log-format

@test "--log FILE --log-format json: a failing command appends one JSON line" {
	echo '{"level":"info","msg":"before","time":"2000-01-01T00:00:00Z"}' >"$T/log"
	oci --log "$T/log" --log-format json start "nolog-$MARKER"
	assert_error 125 "does not exist"
	assert_equal 2 "$(wc -l <"$T/log")" "lines in the log"
	local line
	line=$(tail -n 1 "$T/log")
	json_ok "$line" || fail "log line is not JSON: $line"
	assert_equal "error" "$(jq -r .level <<<"$line")" "level"
	[[ "$(jq -r .msg <<<"$line")" == *"nolog-$MARKER"*"does not exist"* ]] || fail "msg: $line"
	[[ "$(jq -r .time <<<"$line")" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2} ]] || fail "time: $line"
}

@test "--log FILE (text): a failing command appends a line with the message" {
	oci --log "$T/log" delete "nolog-$MARKER"
	assert_error 125 "does not exist"
	assert_equal 1 "$(wc -l <"$T/log")" "lines in the log"
	grep -q "error: .*nolog-$MARKER.*does not exist" "$T/log" || fail "log: $(cat "$T/log")"
}

@test "--log: a successful lifecycle logs no error" {
	local id="lg-$MARKER"
	make_sleeping_bundle
	for args in "create --bundle $B $id" "start $id" "state $id" "kill $id KILL" "delete --force $id"; do
		# shellcheck disable=SC2086
		oci --log "$T/log" --log-format json $args
		assert_success
	done
	assert_equal "" "$(grep '"level":"error"' "$T/log" 2>/dev/null)" "errors logged"
}
