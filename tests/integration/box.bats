#!/usr/bin/env bats
# nsbox box: isolate's workflow (init, run, cleanup of numbered boxes),
# isolate's option spellings and exit statuses, nsbox called as `isolate`,
# one box per judge at a time, and nothing left after cleanup.

load helpers

NSBOX_JUDGEPROG=${NSBOX_JUDGEPROG:-$(dirname "$NSBOX")/tests/helpers/nsbox-judgeprog}

setup() {
	nsbox_setup || return 1
	[ -x "$NSBOX_JUDGEPROG" ] || die_setup "no $NSBOX_JUDGEPROG (meson compile -C build)" || return 1
	MARKER=$(new_marker)
	new_tempdir T
	BR=$T/boxes
	on_teardown 'kill_marked "$MARKER"'
	on_teardown '"$NSBOX" box --box-root "$BR" -b 7 --cleanup >/dev/null 2>&1 || true'
	on_teardown '"$NSBOX" box --box-root "$BR" -b 8 --cleanup >/dev/null 2>&1 || true'
	MOUNTS_BEFORE=$(awk '{ print $5 }' /proc/self/mountinfo | grep -F "$T" || true)
}

box() {
	run --separate-stderr "$NSBOX" box --box-root "$BR" "$@"
}

# A box 7 with the test program in it.
init_box() {
	box -b 7 --init
	assert_success || return 1
	assert_equal "$BR/7" "$output" "init prints the box" || return 1
	cp "$NSBOX_JUDGEPROG" "$BR/7/box/prog"
}

@test "init makes the box: /box of the box's uid, the host's system dirs, a lock" {
	init_box || return 1
	assert_equal "60007 60007 755 directory" "$(stat -c '%u %g %a %F' "$BR/7/box")" "box/" || return 1
	assert_equal "0 0" "$(stat -c '%u %g' "$BR/7")" "the box's root" || return 1
	[ -e "$BR/7.lock" ] || fail "no lock file" || return 1
	# Again: reset, what was in it is gone.
	touch "$BR/7/box/old"
	box -b 7 --init
	assert_success || return 1
	[ ! -e "$BR/7/box/old" ] || fail "init did not reset the box"
}

@test "run: /box, the box's uid and no supplementary group, isolate's environment, files of the box's uid" {
	init_box || return 1
	echo 'in put' >"$BR/7/box/in.txt"
	box -b 7 -p -i in.txt -o out.txt -E HOME=/box --run -- /bin/sh -c 'id; pwd; cat; env | sort; echo x >made'
	assert_success || return 1
	assert_equal "OK" "${stderr%% (*}" "isolate's status line" || return 1
	assert_equal $'uid=60007 gid=60007 groups=60007\n/box\nin put\nHOME=/box\nLIBC_FATAL_STDERR_=1\nPWD=/box' \
		"$(cat "$BR/7/box/out.txt")" "what the program saw" || return 1
	assert_equal "60007" "$(stat -c %u "$BR/7/box/made")" "its file's owner"
}

@test "run: isolate's limits in its units, the meta file, exit status 1" {
	init_box || return 1
	box -b 7 --cg --time=0.3 --wall-time=5 --meta="$T/meta" --run -- /box/prog "@$MARKER" spin
	assert_status 1 || return 1
	assert_equal "Time limit exceeded" "$stderr" "the status line" || return 1
	grep -qx 'status:TO' "$T/meta" && grep -qx 'killed:1' "$T/meta" || fail "meta: $(cat "$T/meta")" || return 1
	box -b 7 --cg --cg-mem=32768 --run -- /box/prog "@$MARKER" membomb
	assert_status 1 || return 1
	assert_equal "Memory limit exceeded" "$stderr" "--cg-mem is the cgroup's, in KiB" || return 1
	box -b 7 --fsize=64 --run -- /box/prog "@$MARKER" write /box/big 100000
	assert_status 1 || return 1
	assert_equal "File size limit exceeded" "$stderr" "--fsize in KiB" || return 1
	box -b 7 --run -- /box/prog "@$MARKER" exit 3
	assert_status 1 || return 1
	assert_equal "Exited with error status 3" "$stderr" || return 1
	box -b 7 -s --run -- /box/prog "@$MARKER" exit 3
	assert_status 1 || return 1
	assert_equal "" "$stderr" "--silent" || return 1
	assert_no_marked_process "$MARKER" 2
}

@test "run: one process by default, --processes=N more" {
	init_box || return 1
	box -b 7 --run -- /bin/sh -c '/bin/true'
	assert_status 1 || return 1
	box -b 7 --processes=3 --run -- /bin/sh -c '/bin/true; /bin/true'
	assert_success
}

@test "run: the streams are the box's own; a symlink the program left is not followed" {
	init_box || return 1
	ln -s /etc/passwd "$BR/7/box/evil"
	box -b 7 -i evil --run -- /bin/cat
	assert_status 2 || return 1
	assert_nsbox_error "--stdin 'evil': a symbolic link (not followed)" || return 1
	mkdir "$T/outside"
	ln -s "$T/outside" "$BR/7/box/dir"
	box -b 7 -o dir/out --run -- /bin/true
	assert_status 2 || return 1
	[ ! -e "$T/outside/out" ] || fail "written through the program's symlink" || return 1
	box -b 7 -o /etc/out --run -- /bin/true
	assert_status 2 || return 1
	assert_nsbox_error "nsbox opens a box's streams in the box only"
}

@test "one judge per box: a box in use is refused, --wait waits" {
	init_box || return 1
	"$NSBOX" box --box-root "$BR" -b 7 --wall-time=3 --run -- /box/prog "@$MARKER" sleep 1500 2>/dev/null &
	track_pid $!
	local first=$!
	started() { [ -n "$(pids_with_marker "$MARKER")" ]; }
	wait_until 5 started || fail "the first run did not start" || return 1
	box -b 7 --run -- /bin/true
	assert_status 2 || return 1
	assert_nsbox_error "box 7 is in use by another nsbox" || return 1
	box -b 7 --wait --run -- /bin/true
	assert_success || return 1
	wait "$first" || true
	box -b 8 --init
	assert_success
}

@test "called as isolate: isolate's own command line" {
	ln -s "$NSBOX" "$T/isolate"
	run --separate-stderr "$T/isolate" --box-root="$BR" --box-id=7 --init
	assert_success || return 1
	assert_equal "$BR/7" "$output" || return 1
	run --separate-stderr "$T/isolate" --box-root="$BR" --box-id=7 --time=1 --processes=4 --run -- /bin/sh -c 'echo hi'
	assert_success || return 1
	assert_equal "hi" "$output" || return 1
	run --separate-stderr "$T/isolate" --box-root="$BR" --box-id=7 --cleanup
	assert_success
}

@test "errors: isolate's options nsbox cannot honour, a box not made, not root" {
	box -b 7 --quota=100,100 --init
	assert_status 2 || return 1
	assert_nsbox_error "--quota: isolate's option is not supported by nsbox" || return 1
	box -b 7 --run -- /bin/true
	assert_status 2 || return 1
	assert_nsbox_error "box 7 is not initialized" || return 1
	chmod 0777 "$T"
	run --separate-stderr as_user "$USER_NSBOX" box --box-root "$BR" -b 7 --init
	assert_status 2 || return 1
	assert_nsbox_error "boxes need root"
}

@test "cleanup removes everything, follows no symlink the program left, leaves no mount" {
	init_box || return 1
	mkdir "$T/keep"
	touch "$T/keep/precious"
	box -b 7 -p --run -- /bin/sh -c 'ln -s '"$T"'/keep /box/link; mkdir -p /box/a/b; echo x >/box/a/b/c'
	assert_success || return 1
	box -b 7 --cleanup
	assert_success || return 1
	[ ! -e "$BR/7" ] || fail "the box is still there" || return 1
	[ -e "$T/keep/precious" ] || fail "cleanup followed the program's symlink" || return 1
	box -b 7 --cleanup
	assert_success || return 1
	assert_equal "$MOUNTS_BEFORE" "$(awk '{ print $5 }' /proc/self/mountinfo | grep -F "$T" || true)" "mounts under the test dir"
}
