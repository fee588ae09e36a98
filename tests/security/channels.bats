#!/usr/bin/env bats
# Channels between sandboxes, and between a sandbox and the host: abstract
# unix sockets (per network namespace), SysV IPC and POSIX message queues
# (per IPC namespace), /dev/shm (per sandbox), kernel keyrings (not
# namespaced: keyctl and its kin are denied). Sandbox A opens each channel
# and stays up; sandbox B, started next to it, must not reach it.

load ../integration/helpers
load security-helpers

# start_a SCRIPT [RUN-OPTIONS...]: sandbox A runs SCRIPT, then waits until
# the test calls stop_a. Its output is in $T/a.out.
start_a() {
	local script=$1
	shift
	"$NSBOX" run --rootfs "$T/rootfs" --bind "$T/ctl:/ctl" "$@" -- \
		sh -c "$script"'
			touch /ctl/a-ready; while [ ! -e /ctl/a-stop ]; do sleep 0.05; done' >"$T/a.out" 2>&1 &
	A_PID=$!
	track_pid "$A_PID"
	wait_file 10 "$T/ctl/a-ready" || fail "sandbox A did not start: $(cat "$T/a.out")"
}

stop_a() {
	touch "$T/ctl/a-stop"
	wait "$A_PID" || fail "sandbox A failed: $(cat "$T/a.out")"
}

# A SysV key of the test's own.
ipc_key() { printf '0x5ec%05x\n' $((RANDOM * 4 + $$ % 4)); }

@test "channels: an abstract unix socket of one sandbox cannot be reached from another, nor from the host" {
	local name="nsbox-x-$TAG"
	start_a "nsbox-probe uds-listen $name /ctl/uds-ready /ctl/a-stop > /ctl/uds.log &
		while [ ! -e /ctl/uds-ready ]; do sleep 0.05; done
		nsbox-probe uds-connect $name > /ctl/a-self" || return 1
	# The control: A itself connects (the listener works).
	assert_equal "OK hello" "$(cat "$T/ctl/a-self")" "A connecting to its own socket" || return 1
	sandbox -- nsbox-probe uds-connect "$name"
	assert_success
	assert_output ECONNREFUSED
	run "$NSBOX_PROBE" uds-connect "$name"
	assert_output ECONNREFUSED
	stop_a || return 1
	assert_no_leak
}

@test "channels: an abstract unix socket of the host cannot be reached from a sandbox" {
	local name="nsbox-h-$TAG"
	"$NSBOX_PROBE" uds-listen "$name" "$T/h-ready" "$T/h-stop" >"$T/h.log" 2>&1 &
	local h=$!
	track_pid "$h"
	wait_file 10 "$T/h-ready" || fail "the host listener did not start" || return 1
	run "$NSBOX_PROBE" uds-connect "$name"
	assert_output "OK hello" || return 1
	sandbox -- nsbox-probe uds-connect "$name"
	local got=$output
	sandbox_as_user -- nsbox-probe uds-connect "$name"
	local got_user=$output
	touch "$T/h-stop"
	wait "$h" || true
	assert_equal ECONNREFUSED "$got" "a root sandbox connecting to the host's @$name" || return 1
	assert_equal ECONNREFUSED "$got_user" "a rootless sandbox connecting to the host's @$name" || return 1
	assert_no_leak
}

@test "channels: SysV message queues, shared memory and semaphores of one sandbox are invisible to another and to the host" {
	local k
	k=$(ipc_key)
	start_a "for t in msg shm sem; do echo \"\$t=\$(nsbox-probe ipc \$t $k create)\"; done > /ctl/a-ipc" || return 1
	assert_equal "msg=OK
shm=OK
sem=OK" "$(cat "$T/ctl/a-ipc")" "A creating its IPC objects with key $k" || return 1
	sandbox -- sh -c "for t in msg shm sem; do printf '%s=%s ' \$t \$(nsbox-probe ipc \$t $k open); done"
	assert_success
	assert_output "msg=ENOENT shm=ENOENT sem=ENOENT "
	local t host=""
	for t in msg shm sem; do
		host+="$t=$("$NSBOX_PROBE" ipc "$t" "$k" open) "
	done
	assert_equal "msg=ENOENT shm=ENOENT sem=ENOENT " "$host" "the host opening key $k" || return 1
	stop_a || return 1
	assert_no_leak
}

@test "channels: a POSIX message queue of one sandbox is invisible to another and to the host" {
	local q="/nsbox-$TAG"
	start_a "nsbox-probe mq $q create > /ctl/a-mq" || return 1
	assert_equal OK "$(cat "$T/ctl/a-mq")" "A creating $q" || return 1
	sandbox -- nsbox-probe mq "$q" open
	assert_success
	assert_output ENOENT
	run "$NSBOX_PROBE" mq "$q" open
	assert_output ENOENT
	stop_a || return 1
	assert_no_leak
}

@test "channels: a file in one sandbox's /dev/shm is invisible to another and to the host" {
	start_a "echo secret > /dev/shm/x-$TAG && ls /dev/shm > /ctl/a-shm" || return 1
	assert_equal "x-$TAG" "$(cat "$T/ctl/a-shm")" "A's /dev/shm" || return 1
	sandbox -- sh -c "ls -A /dev/shm; test -e /dev/shm/x-$TAG && echo visible; echo end"
	assert_success
	assert_output "end"
	[ ! -e "/dev/shm/x-$TAG" ] || fail "the host's /dev/shm has A's file" || return 1
	stop_a || return 1
	assert_no_leak
}

@test "channels: keyrings are out of reach: add_key, keyctl and request_key are denied in both sandboxes, and no key reaches the host" {
	local before
	before=$(grep -c 'nsbox-probe' /proc/keys || true)
	start_a "for c in add_key keyctl request_key; do echo \"\$c=\$(nsbox-probe sys \$c)\"; done > /ctl/a-keys" || return 1
	assert_equal "add_key=EPERM
keyctl=EPERM
request_key=EPERM" "$(cat "$T/ctl/a-keys")" "A's keyring calls" || return 1
	sandbox -- sh -c 'for c in add_key keyctl request_key; do printf "%s=%s " $c $(nsbox-probe sys $c); done'
	assert_success
	assert_output "add_key=EPERM keyctl=EPERM request_key=EPERM "
	sandbox_as_user -- sh -c 'for c in add_key keyctl request_key; do printf "%s=%s " $c $(nsbox-probe sys $c); done'
	assert_success
	assert_output "add_key=EPERM keyctl=EPERM request_key=EPERM "
	stop_a || return 1
	assert_equal "$before" "$(grep -c 'nsbox-probe' /proc/keys || true)" "keys named nsbox-probe on the host (before/after)" || return 1
	assert_no_leak
}

@test "channels: rootless sandboxes are isolated from each other too (abstract socket, SysV IPC, /dev/shm)" {
	local name="nsbox-u-$TAG" k
	k=$(ipc_key)
	as_user "$USER_NSBOX" run --rootfs "$T/rootfs" --bind "$T/ctl:/ctl" -- sh -c "
		nsbox-probe uds-listen $name /ctl/uds-ready /ctl/a-stop > /ctl/uds.log &
		nsbox-probe ipc msg $k create > /ctl/a-ipc; echo s > /dev/shm/x-$TAG
		while [ ! -e /ctl/uds-ready ]; do sleep 0.05; done; touch /ctl/a-ready
		while [ ! -e /ctl/a-stop ]; do sleep 0.05; done" >"$T/a.out" 2>&1 &
	A_PID=$!
	track_pid "$A_PID"
	wait_file 10 "$T/ctl/a-ready" || fail "sandbox A did not start: $(cat "$T/a.out")" || return 1
	assert_equal OK "$(cat "$T/ctl/a-ipc")" "A creating a message queue" || return 1
	sandbox_as_user -- sh -c "nsbox-probe uds-connect $name; nsbox-probe ipc msg $k open; test -e /dev/shm/x-$TAG && echo shm-visible; echo end"
	assert_success
	assert_output "ECONNREFUSED
ENOENT
end"
	stop_a || return 1
	assert_no_leak
}

@test "channels: a sandbox cannot signal or see the processes of another" {
	start_a "sleep $TAG & echo \$! > /ctl/a-sleep" || return 1
	local host_sleep
	host_sleep=$(exact_pids "sleep $TAG")
	[ -n "$host_sleep" ] || fail "no 'sleep $TAG' on the host" || return 1
	sandbox -- sh -c "ps -o args | grep -c '[s]leep $TAG'; kill -KILL $host_sleep 2>/dev/null; echo kill=\$?"
	assert_success
	assert_output "0
kill=1"
	pid_alive "$host_sleep" || fail "B killed A's process" || return 1
	stop_a || return 1
	assert_no_leak
}
