#!/usr/bin/env bats
# `nsbox run --name NAME [--detach]`: sandboxes registered in the state
# directory, so that exec, kill, ps, list, state and delete find them.

load helpers

setup() {
	nsbox_setup
	new_tempdir STATE_ROOT
	on_teardown 'for n in $("$NSBOX" --root "$STATE_ROOT" list -q 2>/dev/null); do "$NSBOX" --root "$STATE_ROOT" delete --force "$n" >/dev/null 2>&1; done'
}

nsb() { "$NSBOX" --root "$STATE_ROOT" "$@"; }

@test "run --name --detach: list, state, exec, ps, kill and delete find the sandbox" {
	run nsb run --name box1 --detach --hostname named-box -- sleep 300
	assert_success
	run nsb list --format json
	assert_success
	assert_output_contains '"id":"box1"'
	assert_output_contains '"status":"running"'
	run nsb state box1
	assert_success
	assert_output_contains '"status":"running"'
	local pid
	pid=$(sed -n 's/.*"pid":\([0-9]*\).*/\1/p' <<<"$output")
	[ -d "/proc/$pid" ] || fail "state pid $pid is not alive"
	run nsb exec box1 -- hostname
	assert_success
	assert_output "named-box"
	run nsb ps --format json box1
	assert_success
	assert_output_contains "$pid"
	run nsb kill box1 KILL
	assert_success
	wait_until 5 bash -c "! [ -d /proc/$pid ] || grep -q '^State:.*Z' /proc/$pid/status" || fail "sandbox still alive after kill"
	run nsb state box1
	assert_output_contains '"status":"stopped"'
	run nsb delete box1
	assert_success
	run --separate-stderr nsb state box1
	assert_status 125
	assert_stderr_contains "container 'box1' does not exist"
}

@test "run --name in the foreground: exit status passes, the name is gone afterwards" {
	run nsb run --name box2 -- sh -c 'exit 7'
	assert_status 7
	run nsb list -q
	assert_success
	assert_output ""
}

@test "run --name twice: the second is refused, the first is untouched" {
	run nsb run --name box3 --detach -- sleep 300
	assert_success
	run --separate-stderr nsb run --name box3 -- true
	assert_status 125
	assert_stderr_contains "container 'box3' already exists"
	run nsb state box3
	assert_output_contains '"status":"running"'
}

@test "run --detach needs --name, and --detach --tty is refused" {
	run --separate-stderr nsb run --detach -- true
	assert_status 125
	assert_stderr_contains "--detach needs --name"
	run --separate-stderr nsb run --name x --detach --tty -- true
	assert_status 125
	assert_stderr_contains "--detach and --tty"
}

@test "run --name with a bad name is refused before anything is made" {
	run --separate-stderr nsb run --name 'a/b' -- true
	assert_status 125
	assert_stderr_contains "container id 'a/b'"
	[ -z "$(ls -A "$STATE_ROOT")" ] || fail "state dir not empty: $(ls -A "$STATE_ROOT")"
}
