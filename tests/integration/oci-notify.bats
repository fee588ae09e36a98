#!/usr/bin/env bats
# NOTIFY_SOCKET (systemd's readiness protocol through a container, as runc):
# create binds the state's notify directory on /run/notify and gives the
# process NOTIFY_SOCKET=/run/notify/notify.sock; start relays what the
# container sends, with MAINPID, until READY=1; an attached run relays for
# the container's whole life. The host's end is nsbox-sdnotify listen.

load helpers
load oci-helpers

NSBOX_SDNOTIFY=${NSBOX_SDNOTIFY:-$(dirname "$NSBOX")/tests/helpers/nsbox-sdnotify}

setup() {
	oci_setup
	[ -x "$NSBOX_SDNOTIFY" ] || die_setup "no nsbox-sdnotify at $NSBOX_SDNOTIFY (meson compile -C build)" || return 1
	make_sleeping_bundle
	cp "$NSBOX_SDNOTIFY" "$B/rootfs/bin/nsbox-sdnotify"
	HOST_SOCK=$T/host.sock
	GOT=$T/got
}

# listen N: the caller's notify socket, collecting N messages into $GOT.
listen() {
	"$NSBOX_SDNOTIFY" listen "$HOST_SOCK" "$GOT" "$1" 20 &
	LISTENER=$!
	track_pid "$LISTENER"
	wait_until 5 test -S "$HOST_SOCK" || fail "the listener did not bind"
}

@test "notify: start relays until READY=1, with MAINPID, and returns" {
	local id="nt-$MARKER" pid
	set_args "$B" sh -c 'nsbox-sdnotify send STATUS=starting; sleep 0.3; nsbox-sdnotify send READY=1;
		nsbox-sdnotify send STATUS=after; exec sleep 100' "$MARKER"
	listen 3
	NOTIFY_SOCKET=$HOST_SOCK oci_ok create --bundle "$B" "$id"
	NOTIFY_SOCKET=$HOST_SOCK oci_ok start "$id"
	pid=$(state_field "$id" pid)
	wait "$LISTENER" || fail "the listener got less than 3 messages: $(cat "$GOT" 2>/dev/null)"
	assert_equal "STATUS=starting MAINPID=$pid READY=1" "$(tr '\n' ' ' <"$GOT" | sed 's/ $//')" "relayed"
}

@test "notify: the container sees its socket on a read-only /run/notify" {
	local id="nv-$MARKER"
	set_args "$B" sh -c 'echo "$NOTIFY_SOCKET"; grep " /run/notify " /proc/self/mountinfo | cut -d" " -f6 | cut -d, -f1;
		test -S /run/notify/notify.sock && echo socket; nsbox-sdnotify send READY=1' "$MARKER"
	listen 2
	NOTIFY_SOCKET=$HOST_SOCK oci_ok run --bundle "$B" "$id"
	wait "$LISTENER" || fail "no READY: $(cat "$GOT" 2>/dev/null)"
	assert_equal "/run/notify/notify.sock
ro
socket" "$(cat "$OCI_OUT")" "the container's view"
}

@test "notify: an attached run relays after READY=1 too" {
	local id="na-$MARKER"
	set_args "$B" sh -c 'nsbox-sdnotify send READY=1; sleep 0.2; nsbox-sdnotify send STATUS=done' "$MARKER"
	listen 3
	NOTIFY_SOCKET=$HOST_SOCK oci_ok run --bundle "$B" "$id"
	wait "$LISTENER" || fail "the listener got less than 3 messages: $(cat "$GOT" 2>/dev/null)"
	assert_equal "READY=1" "$(sed -n 2p "$GOT")" "READY=1 after MAINPID"
	assert_equal "STATUS=done" "$(sed -n 3p "$GOT")" "a status after READY=1"
	grep -q '^MAINPID=[0-9][0-9]*$' "$GOT" || fail "no MAINPID: $(cat "$GOT")"
}

@test "notify: without NOTIFY_SOCKET the container has no /run/notify" {
	local id="nn-$MARKER"
	set_args "$B" sh -c 'test -e /run/notify && echo mounted || echo none; echo "${NOTIFY_SOCKET-unset}"' "$MARKER"
	env -u NOTIFY_SOCKET "$NSBOX" --root "$STATE" run --bundle "$B" "$id" >"$T/out" 2>&1 </dev/null
	assert_equal "none
unset" "$(cat "$T/out")" "no notify socket"
}

@test "notify: start of a container whose process ends before READY=1 returns" {
	local id="ne-$MARKER"
	set_args "$B" sh -c 'exit 0' "$MARKER"
	listen 1
	NOTIFY_SOCKET=$HOST_SOCK oci_ok create --bundle "$B" "$id"
	SECONDS=0
	NOTIFY_SOCKET=$HOST_SOCK oci_ok start "$id"
	[ "$SECONDS" -lt 5 ] || fail "start waited ${SECONDS}s for a READY=1 that could not come"
	kill "$LISTENER" 2>/dev/null || true
}
