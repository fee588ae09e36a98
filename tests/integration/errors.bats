#!/usr/bin/env bats
# Every error: its exit status, its one-line message naming the flag, path
# or value, and nothing left behind (mount, process or temporary directory).
# The messages are checked for the value or path at fault (and the flag
# where there is no value), not for their exact wording.

load helpers

setup() {
	nsbox_setup
	# A unique word in each command line, to find leftover processes by.
	MARKER=$(new_marker)
	on_teardown 'kill_marked "$MARKER"'
	MOUNTS_BEFORE=$(mount_count)
	TEMPS_BEFORE=$(temp_dirs)
}

# assert_nothing_left: no new mount, no process of the run, no new temp dir.
assert_nothing_left() {
	assert_equal "$MOUNTS_BEFORE" "$(mount_count)" "lines in /proc/self/mountinfo before/after" || return 1
	assert_no_marked_process "$MARKER" || return 1
	local new
	new=$(comm -13 <(echo "$TEMPS_BEFORE") <(temp_dirs))
	assert_equal "" "$new" "new directories in /tmp, /var/tmp, /dev/shm or /run"
}

# expect_error STATUS "MESSAGE" [...] -- NSBOX-ARGS...: run nsbox, expect
# STATUS, one "nsbox: ..." line holding every MESSAGE, and nothing left.
expect_error() {
	local want=$1 msgs=()
	shift
	while [ "$1" != -- ]; do
		msgs+=("$1")
		shift
	done
	shift
	if [ "$want" = 127 ]; then
		# tell bats that 127 is expected here (it warns otherwise)
		run_nsbox -127 "$@"
	else
		run_nsbox "$@"
	fi
	assert_status "$want" || return 1
	assert_nsbox_error "${msgs[@]}" || return 1
	assert_nothing_left
}

# Usage errors also print the hint.
assert_usage_hint() {
	assert_stderr_contains "Try 'nsbox run --help' for more information."
}

# ---------------------------------------------------------------------------
# Usage errors: 125 and a hint

@test "unknown option: 125 and a usage hint" {
	expect_error 125 "--bogus" -- run --bogus -- sleep "$MARKER"
	assert_usage_hint
}

@test "unknown short option: 125 and a usage hint" {
	expect_error 125 "-Z" -- run -Z -- sleep "$MARKER"
	assert_usage_hint
}

@test "option without its value: 125 naming the option" {
	expect_error 125 "--bind" -- run --bind
	assert_usage_hint
}

@test "no command: 125 and a usage hint" {
	expect_error 125 "command" -- run --hostname "h$RANDOM"
	assert_usage_hint
}

@test "bad --bind spec without a destination: 125 naming the spec" {
	expect_error 125 "nocolon" -- run --bind nocolon -- sleep "$MARKER"
	assert_usage_hint
}

@test "bad --bind spec with an empty destination: 125 naming the spec" {
	expect_error 125 "/tmp:" -- run --bind /tmp: -- sleep "$MARKER"
	assert_usage_hint
}

@test "bad --bind option (not ro): 125 naming it" {
	expect_error 125 "rx" -- run --bind /tmp:/mnt:rx -- sleep "$MARKER"
	assert_usage_hint
}

@test "--bind with a relative destination: 125 naming it" {
	expect_error 125 "relative/dst" -- run --bind /tmp:relative/dst -- sleep "$MARKER"
	assert_usage_hint
}

@test "--bind with a missing source: 125 naming the path" {
	expect_error 125 "/nonexistent/nsbox-src" -- run --bind /nonexistent/nsbox-src:/mnt -- sleep "$MARKER"
}

@test "--bind with a missing source after a good bind: 125 and nothing left" {
	local d
	new_tempdir d
	# the new directory must not count as left behind
	TEMPS_BEFORE=$(temp_dirs)
	expect_error 125 "/nonexistent/nsbox-src" -- \
		run --bind "$d:/mnt" --tmpfs /opt --bind /nonexistent/nsbox-src:/srv -- sleep "$MARKER"
}

@test "bad --tmpfs size: 125 naming the value" {
	expect_error 125 "size=abc" -- run --tmpfs /mnt:size=abc -- sleep "$MARKER"
	assert_usage_hint
}

@test "--tmpfs with a relative destination: 125" {
	expect_error 125 "relative" -- run --tmpfs relative -- sleep "$MARKER"
}

@test "bad --map-users (two fields): 125 naming the value" {
	expect_error 125 "0:0" -- run --map-users 0:0 -- sleep "$MARKER"
	assert_usage_hint
}

@test "bad --map-users (not numbers): 125 naming the value" {
	expect_error 125 "a:b:c" -- run --map-users a:b:c -- sleep "$MARKER"
}

@test "bad --map-users (count 0): 125 naming the value" {
	expect_error 125 "0:0:0" -- run --map-users 0:0:0 -- sleep "$MARKER"
}

@test "bad --map-groups: 125 naming the value" {
	expect_error 125 "1:2" -- run --map-groups 1:2 -- sleep "$MARKER"
}

@test "overlapping --map-users inside ranges: 125" {
	expect_error 125 "5:200000:10" "overlap" -- \
		run --map-users 0:100000:10 --map-users 5:200000:10 -- sleep "$MARKER"
}

@test "overlapping --map-users outside ranges: 125" {
	expect_error 125 "20:100005:10" "overlap" -- \
		run --map-users 0:100000:10 --map-users 20:100005:10 -- sleep "$MARKER"
}

@test "overlapping --map-groups: 125" {
	expect_error 125 "0:200000:1" "overlap" -- \
		run --map-groups 0:100000:10 --map-groups 0:200000:1 -- sleep "$MARKER"
}

@test "uid 0 unmapped without --uid: 125 saying what is wrong, before anything runs" {
	expect_error 125 "uid 0 (the default; use --uid) is not mapped in the user namespace" -- \
		run --map-users 1:200000:100 --map-groups 0:200000:100 -- sleep "$MARKER"
	assert_usage_hint
	expect_error 125 "gid 0 (the default; use --gid) is not mapped in the user namespace" -- \
		run --map-users 0:200000:100 --map-groups 1:200000:100 -- sleep "$MARKER"
}

@test "more than 340 --map-users ranges: 125" {
	local args=() i
	for i in $(seq 0 340); do
		args+=(--map-users "$((i * 2)):$((100000 + i * 2)):1")
	done
	expect_error 125 "--map-users" "340" -- run "${args[@]}" -- sleep "$MARKER"
}

@test "bad --share type: 125 naming it" {
	expect_error 125 "nosuchns" -- run --share net,nosuchns -- sleep "$MARKER"
}

@test "bad --join spec: 125 naming it" {
	expect_error 125 "--join" -- run --join net -- sleep "$MARKER"
}

@test "--join of an unknown namespace type: 125" {
	expect_error 125 "foo" -- run --join foo:/proc/self/ns/net -- sleep "$MARKER"
}

@test "--join of the wrong type of namespace: 125 naming the path" {
	expect_error 125 "/proc/self/ns/ipc" -- run --join net:/proc/self/ns/ipc -- sleep "$MARKER"
}

@test "--join of a file that is not a namespace: 125 naming the path" {
	expect_error 125 "/etc/passwd" -- run --join mnt:/etc/passwd -- sleep "$MARKER"
}

@test "--netns of a missing name: 125 naming it" {
	expect_error 125 "nsbox-missing-$$" -- run --netns "nsbox-missing-$$" -- sleep "$MARKER"
}

@test "--netns with a name that is not a plain name: 125" {
	expect_error 125 "../x" -- run --netns ../x -- sleep "$MARKER"
}

@test "bad --uid: 125 naming the value" {
	expect_error 125 "abc" -- run --uid abc -- sleep "$MARKER"
}

@test "bad --gid: 125 naming the value" {
	expect_error 125 "12abc" -- run --gid 12abc -- sleep "$MARKER"
}

@test "bad --groups: 125 naming the value" {
	expect_error 125 "xyz" -- run --groups 1,xyz -- sleep "$MARKER"
}

@test "bad --propagation: 125 naming the value" {
	expect_error 125 "sideways" -- run --propagation sideways -- sleep "$MARKER"
}

@test "bad --env: 125 naming the value" {
	expect_error 125 "NOEQUALS" -- run --env NOEQUALS -- sleep "$MARKER"
}

@test "--hostname too long: 125" {
	expect_error 125 "--hostname" -- run --hostname "$(printf 'h%.0s' $(seq 100))" -- sleep "$MARKER"
}

# ---------------------------------------------------------------------------
# Run-time errors

@test "missing --rootfs: 125 naming the path" {
	expect_error 125 "/nonexistent/nsbox-rootfs" -- run --rootfs /nonexistent/nsbox-rootfs -- sleep "$MARKER"
}

@test "--rootfs that is a file: 125 naming the path" {
	local d
	new_tempdir d
	TEMPS_BEFORE=$(temp_dirs)
	: >"$d/file"
	expect_error 125 "$d/file" -- run --rootfs "$d/file" -- sleep "$MARKER"
}

@test "missing --workdir: 125 naming the path" {
	expect_error 125 "/nonexistent/nsbox-wd" -- run --workdir /nonexistent/nsbox-wd -- sleep "$MARKER"
}

@test "command not found: 127" {
	expect_error 127 "nsbox-no-such-command-$MARKER" "command not found" -- run -- "nsbox-no-such-command-$MARKER"
}

@test "command not found by path: 127" {
	expect_error 127 "/nonexistent/cmd-$MARKER" "command not found" -- run -- "/nonexistent/cmd-$MARKER"
}

@test "command not found with --no-init: 127" {
	expect_error 127 "nsbox-no-such-command-$MARKER" "command not found" -- run --no-init -- "nsbox-no-such-command-$MARKER"
}

@test "command not found in --rootfs: 127" {
	# bash exists on the host, not in the busybox root
	expect_error 127 "bash" "command not found" -- run --rootfs "$ROOTFS" -- bash -c "echo $MARKER"
}

@test "command not executable: 126 naming it" {
	expect_error 126 "/etc/passwd" -- run -- /etc/passwd "$MARKER"
}

@test "command is a directory: 126 naming it" {
	expect_error 126 "/usr" -- run -- /usr "$MARKER"
}

@test "command not executable with --rootfs: 126" {
	expect_error 126 "/etc/passwd" -- run --rootfs "$ROOTFS" -- /etc/passwd "$MARKER"
}

@test "--uid with an unmapped id in a user namespace: 125" {
	expect_error 125 "uid" -- run --userns --uid 12345 -- sleep "$MARKER"
}
