#!/usr/bin/env bats
# Rootless: nsbox run by the unprivileged user nsbox-test (made by setup.sh),
# with a user namespace, its id maps and newuidmap/newgidmap.

load helpers

setup() {
	nsbox_setup
	USER_UID=$(test_user_uid)
	USER_GID=$(test_user_gid)
	SUBUID=$(subid_start u)
	SUBGID=$(subid_start g)
}

# A temp dir owned by the test user.
user_tempdir() {
	new_tempdir "$1"
	chown "$NSBOX_TEST_USER:" "${!1}"
}

@test "rootless: the test user is not root and runs nsbox from the prepared copy" {
	run as_user id -u
	assert_success
	assert_output "$USER_UID"
	[ "$USER_UID" -ne 0 ] || fail "the test user must not be root"
	run as_user test -x "$USER_NSBOX"
	assert_success
}

@test "rootless: id -u is 0 inside, in a new user namespace" {
	run_nsbox_as_user run -- sh -c 'id -u; id -g; readlink /proc/self/ns/user; cat /proc/self/uid_map'
	assert_success
	local lines
	mapfile -t lines <<<"$output"
	assert_equal 0 "${lines[0]}" "id -u inside"
	assert_equal 0 "${lines[1]}" "id -g inside"
	assert_not_equal "$(readlink /proc/self/ns/user)" "${lines[2]}" "user namespace"
	# container root is the invoking user, one id
	assert_equal "0 $USER_UID 1" "$(squeeze "${lines[3]}")" "uid_map"
}

@test "rootless: a file written to a bind mount is owned by the user outside" {
	local d
	user_tempdir d
	run_nsbox_as_user run --bind "$d:$d" -- sh -c "echo data >$d/file && mkdir $d/sub"
	assert_success
	assert_equal "$USER_UID:$USER_GID" "$(stat -c %u:%g "$d/file")" "owner of the file outside"
	assert_equal "$USER_UID:$USER_GID" "$(stat -c %u:%g "$d/sub")" "owner of the directory outside"
	assert_equal "data" "$(cat "$d/file")" "content"
}

@test "rootless: the user's own files appear as root's inside" {
	local d
	user_tempdir d
	run_nsbox_as_user run --bind "$d:/mnt" -- stat -c %u:%g /mnt
	assert_success
	assert_output "0:0"
}

@test "rootless: --map-users/--map-groups with a subuid range" {
	local d
	user_tempdir d
	# writable by the mapped uid 1 (= SUBUID outside)
	chmod 0777 "$d"
	run_nsbox_as_user run \
		--map-users "0:$USER_UID:1" --map-users "1:$SUBUID:1000" \
		--map-groups "0:$USER_GID:1" --map-groups "1:$SUBGID:1000" \
		--uid 1 --gid 1 --bind "$d:$d" -- sh -c "id -u; id -g; touch $d/by-uid-1; cat /proc/self/uid_map"
	assert_success
	local lines
	mapfile -t lines <<<"$output"
	assert_equal 1 "${lines[0]}" "id -u inside"
	assert_equal 1 "${lines[1]}" "id -g inside"
	assert_equal "0 $USER_UID 1" "$(squeeze "${lines[2]}")" "uid_map line 1"
	assert_equal "1 $SUBUID 1000" "$(squeeze "${lines[3]}")" "uid_map line 2"
	assert_equal "$SUBUID:$SUBGID" "$(stat -c %u:%g "$d/by-uid-1")" "owner outside of a file made by uid 1"
}

@test "rootless: a map outside /etc/subuid is refused with 125 and the reason" {
	local before
	before=$(mount_count)
	# 1000 ids past the end of the user's range
	local outside=$((SUBUID + $(subid_count u) + 1000))
	run_nsbox_as_user run --map-users "0:$USER_UID:1" --map-users "1:$outside:10" -- true
	assert_status 125
	assert_nsbox_error "--map-users"
	assert_stderr_contains "$outside"
	assert_equal "$before" "$(mount_count)" "host mount count"
}

@test "rootless: a group map outside /etc/subgid is refused with 125" {
	local outside=$((SUBGID + $(subid_count g) + 1000))
	run_nsbox_as_user run --map-groups "0:$USER_GID:1" --map-groups "1:$outside:10" -- true
	assert_status 125
	assert_nsbox_error "--map-groups"
}

@test "rootless: mapping another user's id is refused with 125" {
	run_nsbox_as_user run --map-users 0:0:1 -- true
	assert_status 125
	assert_nsbox_error "--map-users"
}

@test "rootless: --rootfs works" {
	run_nsbox_as_user run --rootfs "$ROOTFS" -- sh -c 'id -u; ls -A / | tr "\n" " "; echo; test -e /work && echo host-visible; echo $$'
	assert_success
	local lines
	mapfile -t lines <<<"$output"
	assert_equal 0 "${lines[0]}" "id -u inside"
	assert_equal "$(ls -A "$ROOTFS" | tr '\n' ' ')" "${lines[1]}" "top-level entries of /"
	assert_no_line_in_output "host-visible"
	assert_equal 2 "${lines[2]}" "pid of the command"
}

@test "rootless: --rootfs with a bind mount of the user's directory" {
	local d
	user_tempdir d
	run_nsbox_as_user run --rootfs "$ROOTFS" --bind "$d:/home" -- sh -c 'echo hi >/home/f; cat /home/f'
	assert_success
	assert_output "hi"
	assert_equal "$USER_UID" "$(stat -c %u "$d/f")" "owner outside"
}

@test "rootless: the sandbox has its own pid, net and uts namespaces" {
	run_nsbox_as_user run -- ps -e -o pid=
	assert_success
	assert_equal "1 2" "$(squeeze "$(tr '\n' ' ' <<<"$output")")" "pids seen by ps"
	run_nsbox_as_user run -- ip -o link show
	assert_success
	assert_equal 1 "$(grep -c . <<<"$output")" "number of links"
	run_nsbox_as_user run --hostname rootless-box -- hostname
	assert_success
	assert_output "rootless-box"
}

@test "rootless: lo is up" {
	run_nsbox_as_user run -- ip -o link show lo
	assert_success
	assert_output_matches '^1: lo: <[A-Z_,]*[<,]?UP[,>]'
}

@test "rootless: the root of the default sandbox is read-only and /tmp writable" {
	run_nsbox_as_user run -- sh -c 'touch /usr/x 2>/dev/null || echo ro; echo x >/tmp/y && echo tmp-ok'
	assert_success
	assert_equal $'ro\ntmp-ok' "$output" "writes to /usr and /tmp"
}

@test "rootless: exit status and signals pass through" {
	run_nsbox_as_user run -- sh -c 'exit 42'
	assert_status 42
	run_nsbox_as_user run -- sh -c 'kill -TERM $$'
	assert_status 143
}

@test "rootless: SIGKILL of nsbox leaves no sandbox process within a second" {
	local marker pid
	marker=$(new_marker)
	on_teardown "kill_marked $marker"
	(cd / && exec "${AS_USER[@]}" "$USER_NSBOX" run -- sh -c "sleep $marker & sleep $marker; wait") &
	pid=$!
	track_pid "$pid"
	wait_until 10 count_exact_pids 2 "sleep $marker" ||
		fail "the sandbox's two sleeps did not start" || return 1
	# The subshell exec'd setpriv, which exec'd nsbox: $pid is nsbox.
	assert_equal "nsbox" "$(cat "/proc/$pid/comm")" "process started by as_user"
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null || true
	assert_no_marked_process "$marker" 1
}

@test "rootless: --uid inside without a map for it fails with 125" {
	run_nsbox_as_user run --uid 5 -- true
	assert_status 125
	assert_nsbox_error "uid"
}

@test "rootless: --share user is kept, and creating namespaces without one is refused clearly" {
	run_nsbox_as_user run --share user -- true
	assert_status 125
	assert_stderr_contains "nsbox: create namespaces without a user namespace (that needs root)"
}

# Regression: the child asked geteuid() itself whether to stay dumpable
# until GO; once nsbox had written its uid_map that said 0, the child went
# non-dumpable at once, and its setgroups or gid_map, now root's, refused
# nsbox (EACCES) about once in 150 runs with three at a time.
@test "rootless: 300 runs, three at a time, all map their ids (no race with the child's dumpable flag)" {
	local k d
	new_tempdir d
	for k in 1 2 3; do
		as_user sh -c 'i=0; while [ $i -lt 100 ]; do "$1" run -- /bin/true || { echo "run $i failed"; exit 1; }; i=$((i+1)); done' \
			sh "$USER_NSBOX" >"$d/out.$k" 2>&1 &
	done
	local failed=0
	for k in 1 2 3; do
		wait -n || failed=1
	done
	[ "$failed" -eq 0 ] || fail "a rootless run failed: $(cat "$d"/out.*)" || return 1
	assert_equal "" "$(cat "$d"/out.*)" "output of 300 runs"
}
