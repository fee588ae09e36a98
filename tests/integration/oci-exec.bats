#!/usr/bin/env bats
# `nsbox exec` into a running container, --console-socket (with a receiver,
# tests/helpers/recvtty.c) and --preserve-fds.

load helpers
load oci-helpers

# A running container "x-$MARKER" whose process is "sleep $MARKER", with
# hostname $HOST; $ID and $PID name it.
start_target() {
	HOST="box-$RANDOM"
	make_sleeping_bundle
	edit_config "$B" '.hostname = $h | .process.env += ["FROM_CONFIG=yes"]' --arg h "$HOST"
	ID="x-$MARKER"
	create_running "$ID"
}

# start_receiver NAME: nsbox-recvtty listening on $T/NAME.sock, writing what
# it reads from the pty to $T/NAME.out; $RECV is its pid.
start_receiver() {
	[ -x "$NSBOX_RECVTTY" ] || die_setup "no $NSBOX_RECVTTY (meson compile builds tests/helpers)" || return 1
	"$NSBOX_RECVTTY" "$T/$1.sock" 20 >"$T/$1.out" 2>"$T/$1.err" 3>&- &
	RECV=$!
	track_pid "$RECV"
	wait_until 5 test -S "$T/$1.sock" || fail "the receiver did not listen on $T/$1.sock"
}

# wait_receiver: the receiver ends (EOF on the pty) with status 0.
wait_receiver() {
	local r=0
	wait "$RECV" || r=$?
	assert_equal 0 "$r" "nsbox-recvtty's status ($(cat "$T"/*.err 2>/dev/null))"
}

# ---------------------------------------------------------------------------
# exec

@test "exec runs in the container's namespaces: hostname, /proc/1/cmdline, ns links" {
	start_target
	oci exec "$ID" hostname
	assert_success
	assert_equal "$HOST" "$output" "hostname"
	oci exec "$ID" cat /proc/1/cmdline
	assert_success
	assert_equal "sleep|$MARKER" "$(tr '\0' '|' <"$OCI_OUT" | sed 's/|$//')" "/proc/1/cmdline"
	oci exec "$ID" sh -c 'for ns in net uts ipc mnt pid; do readlink /proc/self/ns/$ns; done'
	assert_success
	local want="" ns
	for ns in net uts ipc mnt pid; do
		want+=$(readlink "/proc/$PID/ns/$ns")$'\n'
	done
	assert_equal "${want%$'\n'}" "$output" "namespaces of the exec'd process"
}

@test "exec: the exit status propagates" {
	start_target
	oci exec "$ID" sh -c 'exit 7'
	assert_status 7
	oci exec "$ID" true
	assert_success
	oci exec "$ID" false
	assert_status 1
}

@test "exec of a missing command: 127" {
	start_target
	oci exec "$ID" no-such-command
	assert_status 127
	assert_stderr_contains "no-such-command"
	oci exec "$ID" /etc/passwd
	assert_status 126
}

@test "exec: the environment of config.json, plus --env" {
	start_target
	oci exec "$ID" sh -c 'echo "$FROM_CONFIG $FOO"'
	assert_success
	assert_equal "yes " "$output" "without --env"
	oci exec --env FOO=bar --env FROM_CONFIG=overridden "$ID" sh -c 'echo "$FROM_CONFIG $FOO"'
	assert_success
	assert_equal "overridden bar" "$output" "with --env"
}

@test "exec --cwd" {
	start_target
	oci exec --cwd /etc "$ID" pwd
	assert_success
	assert_equal "/etc" "$output" "pwd"
	oci exec "$ID" pwd
	assert_equal "/" "$output" "pwd without --cwd (config.json's cwd)"
}

@test "exec --user 1000:1000" {
	start_target
	oci exec --user 1000:1000 "$ID" sh -c 'id -u; id -g'
	assert_success
	assert_equal "1000"$'\n'"1000" "$output" "uid and gid"
	oci exec --user 1234 "$ID" id -u
	assert_success
	assert_equal "1234" "$output" "uid with --user UID"
}

@test "exec --user 4294967295 ((uid_t)-1, \"no change\": root) is refused in both parts and in --process" {
	start_target
	local u
	for u in 4294967295 4294967295:0 0:4294967295 1000:4294967295; do
		oci exec --user "$u" "$ID" sh -c 'touch /tmp/ran; id -u'
		assert_error 125 "--user '$u'" "from 0 to 4294967294" || return 1
	done
	printf '{"args": ["touch", "/tmp/ran"], "cwd": "/", "user": {"uid": 4294967295, "gid": 0}}\n' >"$T/process.json"
	oci exec --process "$T/process.json" "$ID"
	assert_error 125 "$T/process.json" "process.user.uid" "4294967294"
	printf '{"args": ["touch", "/tmp/ran"], "cwd": "/", "user": {"uid": 0, "gid": 4294967295}}\n' >"$T/process.json"
	oci exec --process "$T/process.json" "$ID"
	assert_error 125 "$T/process.json" "process.user.gid" "4294967294"
	# Nothing ran: no file, no process besides the container's.
	oci exec "$ID" sh -c 'test -e /tmp/ran && echo ran || echo nothing'
	assert_success
	assert_equal "nothing" "$output" "what the refused execs did"
	oci_ok ps --format json "$ID"
	assert_equal "[$PID]" "$output" "processes of the container"
}

@test "exec --process FILE: args, env, cwd and user of a process JSON" {
	start_target
	cat >"$T/process.json" <<-'EOF'
		{
		  "args": ["sh", "-c", "echo \"$PFOO\"; pwd; id -u; id -g"],
		  "env": ["PATH=/bin:/usr/bin", "PFOO=from-process"],
		  "cwd": "/tmp",
		  "user": {"uid": 55, "gid": 66}
		}
	EOF
	oci exec --process "$T/process.json" "$ID"
	assert_success
	assert_equal "from-process"$'\n'"/tmp"$'\n'"55"$'\n'"66" "$output" "output of the process"
}

@test "exec -d --pid-file: returns at once; the process runs in the container" {
	start_target
	local t0=$SECONDS
	oci exec -d --pid-file "$T/exec.pid" "$ID" sleep "${MARKER}1"
	assert_success
	[ $((SECONDS - t0)) -lt 5 ] || fail "exec -d did not return at once"
	local p
	p=$(cat "$T/exec.pid")
	[[ "$p" =~ ^[1-9][0-9]*$ ]] || fail "pid file holds '$p'"
	wait_until 5 eval '[ "$(cmdline "$p")" = "sleep ${MARKER}1" ]' || fail "pid $p runs '$(cmdline "$p")'"
	assert_equal "$(readlink "/proc/$PID/ns/pid")" "$(readlink "/proc/$p/ns/pid")" "pid namespace of the exec'd process"
	oci_ok ps --format json "$ID"
	jq -e --argjson p "$p" 'index($p)' >/dev/null <<<"$output" || fail "ps does not list the exec'd pid $p"
	# delete --force takes it down with the container.
	oci_ok delete --force "$ID"
	wait_until 5 pid_dead "$p" || fail "the exec'd process survived delete --force"
}

@test "exec -t with --console-socket: the process gets a pty" {
	start_target
	start_receiver exec
	oci exec -t --console-socket "$T/exec.sock" "$ID" tty
	assert_success
	wait_receiver
	[[ "$(tr -d '\r' <"$T/exec.out")" =~ ^/dev/pts/[0-9]+$ ]] || fail "pty output: '$(cat -v "$T/exec.out")'"
}

# ---------------------------------------------------------------------------
# --console-socket

@test "--console-socket: the receiver gets the pty master; tty says /dev/pts/N" {
	local id="tty-$MARKER"
	make_bundle "$T/b"
	edit_config "$T/b" '.process.terminal = true'
	set_args "$T/b" tty
	start_receiver c
	oci create --bundle "$T/b" --console-socket "$T/c.sock" "$id"
	assert_success
	oci_ok start "$id"
	wait_receiver
	[[ "$(tr -d '\r' <"$T/c.out")" =~ ^/dev/pts/[0-9]+$ ]] || fail "pty output: '$(cat -v "$T/c.out")'"
	# Nothing of the container went to create's own stdout.
	assert_equal "" "$(cat "$OCI_OUT")" "create's stdout"
	wait_status "$id" stopped
}

@test "--console-socket: process.consoleSize is applied" {
	local id="tsz-$MARKER"
	make_bundle "$T/b"
	edit_config "$T/b" '.process.terminal = true | .process.consoleSize = {"height": 33, "width": 101}'
	set_args "$T/b" stty size
	start_receiver s
	oci_ok create --bundle "$T/b" --console-socket "$T/s.sock" "$id"
	oci_ok start "$id"
	wait_receiver
	assert_equal "33 101" "$(tr -d '\r' <"$T/s.out")" "stty size in the container"
}

@test "--console-socket with run -d" {
	local id="trd-$MARKER"
	make_bundle "$T/b"
	edit_config "$T/b" '.process.terminal = true'
	set_args "$T/b" sh -c 'tty; echo "$0"' "$MARKER"
	start_receiver r
	oci run -d --bundle "$T/b" --console-socket "$T/r.sock" "$id"
	assert_success
	wait_receiver
	[[ "$(sed -n 1p "$T/r.out" | tr -d '\r')" =~ ^/dev/pts/[0-9]+$ ]] || fail "pty output: '$(cat -v "$T/r.out")'"
	assert_equal "$MARKER" "$(sed -n 2p "$T/r.out" | tr -d '\r')" "second line"
}

@test "terminal true without --console-socket: create fails clearly, nothing left" {
	make_bundle "$T/b"
	edit_config "$T/b" '.process.terminal = true'
	set_args "$T/b" sleep "$MARKER"
	local t0=$SECONDS
	oci create --bundle "$T/b" "nots-$MARKER"
	assert_error 125 "terminal" "--console-socket"
	[ $((SECONDS - t0)) -lt 10 ] || fail "create took $((SECONDS - t0)) s"
	assert_nothing_left
}

# ---------------------------------------------------------------------------
# --preserve-fds

@test "--preserve-fds 1: the container writes to fd 3, a file of the test" {
	local id="pf-$MARKER"
	make_bundle "$T/b"
	set_args "$T/b" sh -c 'echo "hello $0" >&3' "$MARKER"
	: >"$T/fd3"
	OCI_FD3=$T/fd3 oci create --preserve-fds 1 --bundle "$T/b" "$id"
	assert_success
	oci_ok start "$id"
	wait_status "$id" stopped
	assert_equal "hello $MARKER" "$(cat "$T/fd3")" "the file on fd 3"
}

@test "--preserve-fds 1 with /proc/self/fd/3" {
	local id="pg-$MARKER"
	make_bundle "$T/b"
	set_args "$T/b" sh -c 'echo via-proc >/proc/self/fd/3'
	: >"$T/fd3"
	OCI_FD3=$T/fd3 oci create --preserve-fds 1 --bundle "$T/b" "$id"
	assert_success
	oci_ok start "$id"
	wait_status "$id" stopped
	assert_equal "via-proc" "$(cat "$T/fd3")" "the file on fd 3"
}

@test "without --preserve-fds, fd 3 is not open in the container" {
	local id="pn-$MARKER"
	make_bundle "$T/b"
	set_args "$T/b" sh -c 'if echo x >&3; then echo open; else echo closed; fi 2>/dev/null'
	: >"$T/fd3"
	OCI_FD3=$T/fd3 oci create --bundle "$T/b" "$id"
	assert_success
	local out=$OCI_OUT
	oci_ok start "$id"
	wait_status "$id" stopped
	assert_equal "closed" "$(cat "$out")" "fd 3 in the container"
	assert_equal "" "$(cat "$T/fd3")" "the file on fd 3"
}

@test "the container's process has fds 0 1 2 only, or 0 1 2 3 with --preserve-fds 1" {
	make_sleeping_bundle
	: >"$T/fd3"
	OCI_FD3=$T/fd3 oci_ok create --bundle "$B" "p0-$MARKER"
	oci_ok start "p0-$MARKER"
	local pid
	pid=$(state_field "p0-$MARKER" pid)
	assert_equal "0 1 2" "$(ls "/proc/$pid/fd" | sort -n | tr '\n' ' ' | sed 's/ $//')" "fds without --preserve-fds"
	oci_ok delete --force "p0-$MARKER"

	OCI_FD3=$T/fd3 oci_ok create --preserve-fds 1 --bundle "$B" "p1-$MARKER"
	oci_ok start "p1-$MARKER"
	pid=$(state_field "p1-$MARKER" pid)
	assert_equal "0 1 2 3" "$(ls "/proc/$pid/fd" | sort -n | tr '\n' ' ' | sed 's/ $//')" "fds with --preserve-fds 1"
	assert_equal "$T/fd3" "$(readlink "/proc/$pid/fd/3")" "fd 3"
}

@test "run --bundle --preserve-fds 2: fds 3 and 4 reach the container" {
	make_bundle "$T/b"
	set_args "$T/b" sh -c 'echo three >&3; echo four >&4'
	: >"$T/fd3"
	: >"$T/fd4"
	local r=0
	"$NSBOX" --root "$STATE" run --preserve-fds 2 --bundle "$T/b" "p2-$MARKER" \
		</dev/null >"$T/out" 2>"$T/err" 3>>"$T/fd3" 4>>"$T/fd4" || r=$?
	assert_equal 0 "$r" "status ($(cat "$T/err"))"
	assert_equal "three" "$(cat "$T/fd3")" "fd 3"
	assert_equal "four" "$(cat "$T/fd4")" "fd 4"
}
