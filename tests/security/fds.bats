#!/usr/bin/env bats
# What nsbox hands down into a sandbox, and nothing more: file descriptors
# (the caller's, nsbox's own, --preserve-fds), the working directory
# (CVE-2024-21626: a cwd through /proc/self/fd/N), and the environment and
# command line of the init. The fd inventory of PID 1 and of the command is
# checked over 100 runs, and that of exec'd processes over 100 execs.

load ../integration/helpers
load security-helpers

# assert_only_stdio_reached: in fdscan's output, every fd reached is a
# standard one (0, 1, 2) of another process of the sandbox, never a
# directory or any other fd.
assert_only_stdio_reached() {
	local l
	assert_output_matches $'SCANNED=[0-9]+ REACHED=[0-9]+' || return 1
	local re='^REACHED [0-9]+/[012] '
	while IFS= read -r l; do
		[[ "$l" == REACHED* ]] || continue
		[[ "$l" =~ $re ]] || { fail "fdscan reached more than stdio: $l"; return 1; }
	done <<<"$output"
}

# A host directory the tests hold open and look for inside.
make_hostdir() {
	mkdir -p "$T/hostdir" && echo "secret-$TAG" >"$T/hostdir/secret-$TAG"
}

@test "fds: a secret file and a host directory open in the caller never reach the sandbox" {
	make_hostdir
	exec 7</etc/shadow 8<"$T/hostdir"
	sandbox -- sh -c 'echo "pid1: $(ls /proc/1/fd | tr "\n" " ")"; echo "self: $(nsbox-probe fds)"
		echo "open7: $(nsbox-probe open /proc/1/fd/7 r) $(nsbox-probe open /proc/self/fd/7 r)"
		echo "open8: $(nsbox-probe open /proc/1/fd/8 r) $(nsbox-probe open /proc/self/fd/8 r)"
		nsbox-probe fdscan'
	exec 7<&- 8<&-
	assert_success
	# The init holds one fd (its signalfd), which nobody inside may open;
	# the command holds 0, 1 and 2.
	assert_line_in_output "pid1: 0 "
	assert_line_in_output "self: 0 1 2"
	assert_line_in_output "open7: ENOENT ENOENT"
	assert_line_in_output "open8: ENOENT ENOENT"
	assert_output_not_contains "shadow"
	assert_output_not_contains "hostdir"
	assert_output_not_contains "secret-$TAG"
	assert_only_stdio_reached
	assert_no_leak
}

@test "fds: with CAP_SYS_PTRACE (sealed nsbox), /proc/1/fd shows the signalfd and nothing of the caller" {
	make_hostdir
	exec 7</etc/shadow 8<"$T/hostdir"
	# (After a moment: the init's first instants are the next test's.)
	sandbox --cap-add SYS_PTRACE -- sh -c 'sleep 0.2; for f in /proc/1/fd/*; do echo "$f -> $(readlink $f)"; done; nsbox-probe fds'
	exec 7<&- 8<&-
	assert_success
	assert_output "/proc/1/fd/0 -> anon_inode:[signalfd]
0 1 2"
	assert_no_leak
}

@test "fds: with CAP_SYS_PTRACE, a command racing the init from its first instant never finds its fds (300 runs)" {
	local i results
	# The command opens every /proc/1/fd/N it can for its first 10 ms, and
	# tries the host through any directory among them (init-fds).
	results=$(for i in $(seq 1 300); do
		"$NSBOX" run --rootfs "$T/rootfs" --cap-add SYS_PTRACE -- nsbox-probe init-fds 10 2>&1
	done | sed 's/\[[0-9]*\]/[N]/' | sort | uniq -c | sort -rn)
	output=$results
	assert_output_not_contains "ESCAPE" || return 1
	assert_output_not_contains "HELD" || return 1
	assert_output_matches '^ *300 DONE held=0 escapes=0$' || return 1
	assert_no_leak
}

@test "fds and cmdline: without CAP_SYS_PTRACE (the command shares the init's memory until its exec), a command racing the init from its first instant finds neither (2 x 150 runs)" {
	local i results
	# This init starts its command with vfork(): it sheds its fds only
	# once the command has exec'd nsbox-exec. Out of reach all the same,
	# as the init is not dumpable; its command line (readable by all) is
	# wiped before the vfork.
	results=$(for i in $(seq 1 150); do
		"$NSBOX" run --rootfs "$T/rootfs" --env "SECRET=abc$TAG" -- nsbox-probe init-fds 5 2>&1
		"$NSBOX" run --rootfs "$T/rootfs" --env "SECRET=abc$TAG" -- nsbox-probe init-cmdline 5 2>&1
	done | sed 's/\[[0-9]*\]/[N]/' | sort | uniq -c | sed 's/^ *//')
	output=$results
	assert_output_not_contains "ESCAPE" || return 1
	assert_output_not_contains "HELD" || return 1
	assert_output_not_contains "CMDLINE" || return 1
	assert_line_in_output "150 DONE held=0 escapes=0" || return 1
	assert_line_in_output "150 DONE other=0" || return 1
	assert_no_leak
}

@test "fds: rootless, the caller's fds do not reach the sandbox either" {
	make_hostdir
	chmod 0755 "$T/hostdir"
	exec 7<"$T/hostdir/secret-$TAG" 8<"$T/hostdir"
	sandbox_as_user -- sh -c 'echo "pid1: $(ls /proc/1/fd | tr "\n" " ")"; echo "self: $(nsbox-probe fds)"; nsbox-probe fdscan'
	exec 7<&- 8<&-
	assert_success
	# The init's fd directory is not even listed (it is not dumpable, and
	# belongs to the host's root), or lists the signalfd alone.
	[[ "$output" == *$'pid1: \n'* || "$output" == *$'pid1: 0 \n'* ]] || fail "expected the init to show no fd but 0" || return 1
	assert_line_in_output "self: 0 1 2"
	assert_only_stdio_reached
	assert_output_not_contains "hostdir"
	assert_output_not_contains "secret-$TAG"
	assert_no_leak
}

# create_with_fds PRESERVE OPEN-FDS-SCRIPT: nsbox create of $T/b (whose
# process prints its fds) with only stdio and the fds that OPEN-FDS-SCRIPT
# opens, and --preserve-fds PRESERVE; then start, wait for the end, and
# set $output to what the process printed.
create_with_fds() {
	local n=$1 opens=$2
	(
		for fd in $(ls /proc/$BASHPID/fd); do
			[ "$fd" -gt 2 ] && eval "exec $fd>&-"
		done 2>/dev/null
		eval "$opens"
		exec "$NSBOX" --root "$STATE" create --bundle "$T/b" --preserve-fds "$n" "c-$TAG" \
			</dev/null >"$T/create.out" 2>"$T/create.err"
	)
	status=$?
	[ "$status" -eq 0 ] || fail "create failed: $(cat "$T/create.err")" || return 1
	oci_ok start "c-$TAG" || return 1
	wait_until 10 eval '[ "$("$NSBOX" --root "$STATE" state "c-$TAG" </dev/null | jq -r .status)" = stopped ]' ||
		fail "the container did not stop" || return 1
	oci_ok delete "c-$TAG" || return 1
	output=$(cat "$T/create.out")
}

@test "fds: create --preserve-fds 2 passes fds 3 and 4, not the caller's fd 5" {
	make_hostdir
	make_oci_bundle "$T/b"
	oci_args "$T/b" nsbox-probe fds
	create_with_fds 2 'exec 3</etc/hostname 4<"$T/hostdir" 5</etc/shadow' || return 1
	assert_output "0 1 2 3 4"
	assert_no_leak
}

@test "fds: create --preserve-fds 8 with only fd 3 open: none of nsbox's own fds fills the gap" {
	make_oci_bundle "$T/b"
	oci_args "$T/b" nsbox-probe fds
	create_with_fds 8 'exec 3</etc/hostname' || return 1
	assert_output "0 1 2 3"
	assert_no_leak
}

@test "fds: a user-namespaced run --name sandbox cannot reach the state root through /proc/PID/fd/N" {
	# Another container in the same state root: its directory is what a
	# leaked fd of nsbox (the state root, the lock of the new name) would show.
	make_oci_bundle "$T/b"
	oci_args "$T/b" sleep "$TAG"
	oci_start "o-$TAG" "$T/b" || return 1
	run --separate-stderr nsb run --userns --rootfs "$T/rootfs" --name "u-$TAG" -- nsbox-probe fdscan
	local got=$output st=$status
	oci_ok delete --force "o-$TAG"
	status=$st output=$got
	assert_success
	assert_output_not_contains "$STATE"
	assert_output_not_contains "o-$TAG"
	assert_output_not_contains "u-$TAG"
	assert_output_not_contains "state.json"
	assert_output_not_contains "REACHED-DIR"
	# The probe is PID 2, alone with the init (PID 1, out of reach).
	assert_line_in_output "SCANNED=1024 REACHED=0"
	assert_no_leak
}

@test "fds: rootless, a run --name sandbox cannot reach the user's state root through /proc/PID/fd/N" {
	local ustate=$T/ustate
	mkdir -p "$ustate" && chown "$(test_user_uid):$(test_user_gid)" "$ustate"
	on_teardown '"$NSBOX" --root "$T/ustate" delete --force "d-$TAG" >/dev/null 2>&1 </dev/null || true'
	# A detached sandbox of the same user in the same state root.
	run as_user "$USER_NSBOX" --root "$ustate" run --rootfs "$T/rootfs" --name "d-$TAG" --detach -- sleep "$TAG"
	assert_success
	run --separate-stderr as_user "$USER_NSBOX" --root "$ustate" run --rootfs "$T/rootfs" --name "u-$TAG" -- nsbox-probe fdscan
	local got=$output st=$status
	# (kill first: a rootless delete --force of a running sandbox fails
	# today, "pid namespace: Permission denied"; escapes.bats tests that.)
	as_user "$USER_NSBOX" --root "$ustate" kill "d-$TAG" KILL
	wait_until 5 eval '! as_user "$USER_NSBOX" --root "$ustate" state "d-$TAG" | grep -q running'
	as_user "$USER_NSBOX" --root "$ustate" delete --force "d-$TAG"
	status=$st output=$got
	assert_success
	assert_output_not_contains "$ustate"
	assert_output_not_contains "d-$TAG"
	assert_output_not_contains "state.json"
	assert_line_in_output "SCANNED=1024 REACHED=0"
	assert_equal "" "$(ls -A "$ustate")" "the user's state root afterwards" || return 1
	assert_no_leak
}

@test "cwd: process.cwd /proc/self/fd/N (N = 3..10) fails to create, and nothing is left" {
	local n
	make_oci_bundle "$T/b"
	oci_args "$T/b" nsbox-probe cwd
	for n in 3 4 5 6 7 8 9 10; do
		oci_edit "$T/b" '.process.cwd = $c' --arg c "/proc/self/fd/$n"
		oci create --bundle "$T/b" "c-$TAG"
		assert_status 125 || return 1
		assert_nsbox_error "working directory '/proc/self/fd/$n'" || return 1
		assert_equal "" "$(ls -A "$STATE")" "state root after the failed create with cwd /proc/self/fd/$n" || return 1
	done
	assert_no_leak
}

@test "cwd: process.cwd through other magic links (/proc/self/cwd, /proc/1/root/.., /proc/thread-self/fd/3) fails to create" {
	local c
	make_oci_bundle "$T/b"
	oci_args "$T/b" nsbox-probe cwd
	for c in /proc/self/cwd /proc/1/root/.. /proc/thread-self/fd/3 /proc/self/root/../..; do
		oci_edit "$T/b" '.process.cwd = $c' --arg c "$c"
		oci create --bundle "$T/b" "c-$TAG"
		assert_status 125 || return 1
		assert_nsbox_error "working directory '$c'" || return 1
	done
	assert_no_leak
}

@test "cwd: nsbox exec --cwd /proc/self/fd/N (N = 3..10) fails and runs nothing" {
	local n
	make_oci_bundle "$T/b"
	oci_args "$T/b" sleep "$TAG"
	oci_start "c-$TAG" "$T/b" || return 1
	for n in 3 4 5 6 7 8 9 10; do
		oci exec --cwd "/proc/self/fd/$n" "c-$TAG" nsbox-probe cwd
		assert_status 125 || break
		assert_nsbox_error "working directory '/proc/self/fd/$n'" || break
	done
	local ok=$?
	oci_ok delete --force "c-$TAG"
	[ "$ok" -eq 0 ] || return 1
	assert_no_leak
}

@test "cwd: nsbox run --workdir /proc/self/fd/3 or /proc/self/cwd fails; a symlink out of the root stays inside" {
	sandbox --workdir /proc/self/fd/3 -- nsbox-probe cwd
	assert_status 125
	assert_nsbox_error "working directory '/proc/self/fd/3'"
	sandbox --workdir /proc/self/cwd -- nsbox-probe cwd
	assert_status 125
	assert_nsbox_error "working directory '/proc/self/cwd'"
	# A symlink in the image climbing out: resolved inside the root.
	ln -s /../../../../../tmp "$T/rootfs/escape"
	sandbox --workdir /escape -- nsbox-probe cwd
	assert_success
	assert_line_in_output "CWD=/tmp"
	# .. of /tmp is the image's root (it has /ctl), not the host's.
	[[ "$output" == *$'\nPARENT: '*" ctl"* ]] || fail "expected the image's root (with /ctl) as the parent" || return 1
	assert_output_not_contains "nsbox-test."
	assert_no_leak
}

@test "cwd: an OCI process.cwd symlink out of the root stays inside, and .. never shows the state root" {
	make_oci_bundle "$T/b"
	ln -s "/../../../../../../$STATE" "$T/b/rootfs/escape"
	mkdir -p "$T/b/rootfs/$STATE"
	oci_args "$T/b" nsbox-probe cwd
	oci_edit "$T/b" '.process.cwd = "/escape"'
	oci create --bundle "$T/b" "c-$TAG"
	assert_success
	oci_ok start "c-$TAG"
	wait_until 10 eval '[ "$("$NSBOX" --root "$STATE" state "c-$TAG" </dev/null | jq -r .status)" = stopped ]'
	oci_ok delete "c-$TAG"
	# The cwd is the image's copy of the path, whose parent holds only it
	# (on the host, $T holds the bundle, the root fs, ctl...).
	assert_equal "CWD=$STATE
PARENT: state" "$(cat "$T/out.1")" "the process's cwd and its parent"
	assert_no_leak
}

@test "fds: over 100 runs, PID 1 holds exactly one fd (its signalfd), the command 0 1 2, nsbox a constant number" {
	local i nsbox_pid init counts="" bad=""
	for i in $(seq 1 100); do
		"$NSBOX" run --rootfs "$T/rootfs" --bind "$T/ctl:/ctl" -- \
			nsbox-probe fds-wait "/ctl/fds.$i" "/ctl/go.$i" >"$T/bg.out" 2>&1 &
		nsbox_pid=$!
		if ! wait_file 10 "$T/ctl/fds.$i"; then
			bad+="run $i: did not start ($(cat "$T/bg.out")); "
			kill -KILL "$nsbox_pid"
			wait "$nsbox_pid"
			break
		fi
		init=$(nsbox_children "$nsbox_pid")
		local init_fds
		init_fds=$(find "/proc/$init/fd" -mindepth 1 -maxdepth 1 -printf '%f -> %l\n' 2>&1)
		[ "$init_fds" = "0 -> anon_inode:[signalfd]" ] || bad+="run $i: init fds: $init_fds; "
		[ "$(cat "$T/ctl/fds.$i")" = "0 1 2" ] || bad+="run $i: command fds: $(cat "$T/ctl/fds.$i"); "
		counts+="$(find "/proc/$nsbox_pid/fd" -mindepth 1 -maxdepth 1 | wc -l) "
		touch "$T/ctl/go.$i"
		wait "$nsbox_pid" || bad+="run $i: status $?; "
	done
	assert_equal "" "$bad" "fd inventory over 100 runs" || return 1
	[ "$(tr ' ' '\n' <<<"$counts" | grep . | sort -u | wc -l)" -eq 1 ] ||
		fail "nsbox's own fd count varies over the runs: $counts" || return 1
	assert_no_leak
}

@test "fds: over 100 nsbox exec into a running container, the exec'd process holds only 0 1 2" {
	local i bad=""
	make_oci_bundle "$T/b"
	oci_args "$T/b" sleep "$TAG"
	oci_start "c-$TAG" "$T/b" || return 1
	# The container's own process too.
	local own
	own=$(find "/proc/$PID/fd" -mindepth 1 -maxdepth 1 -printf '%f ' | tr ' ' '\n' | sort -n | tr '\n' ' ')
	for i in $(seq 1 100); do
		oci exec "c-$TAG" nsbox-probe fds
		[ "$status" -eq 0 ] && [ "$output" = "0 1 2" ] || bad+="exec $i: status $status, fds '$output' $stderr; "
		rm -f "$OCI_OUT" "$OCI_ERR"
	done
	oci_ok delete --force "c-$TAG"
	assert_equal "" "$bad" "fds of exec'd processes over 100 execs" || return 1
	assert_equal "0 1 2 " "$own" "fds of the container's process"
	assert_no_leak
}

@test "env: the init's environ and command line hold nothing of nsbox's environment or arguments" {
	run --separate-stderr env "SECRET_TOKEN=xyz$TAG" "$NSBOX" run --rootfs "$T/rootfs" --clearenv --env "SECRET=abc$TAG" -- \
		sh -c 'echo "environ: $(nsbox-probe read /proc/1/environ)"
			echo "cmdline: $(tr "\0" " " </proc/1/cmdline | tr -s " ")"
			echo "self: $(cat /proc/self/environ | tr "\0" " ")"'
	assert_success
	assert_line_in_output "environ: EACCES"
	assert_line_in_output "cmdline: nsbox-init "
	# --clearenv: the command has its --env (and what sh adds), nothing of the caller's.
	assert_output_contains " SECRET=abc$TAG "
	assert_output_not_contains "xyz$TAG"
	assert_no_leak
}

@test "env: seen from the host, and with CAP_SYS_PTRACE from inside, the init's environ and cmdline are wiped" {
	SECRET_TOKEN="xyz$TAG" "$NSBOX" run --rootfs "$T/rootfs" --env "SECRET=abc$TAG" --bind "$T/ctl:/ctl" --cap-add SYS_PTRACE -- \
		sh -c 'cat /proc/1/environ > /ctl/environ; cat /proc/1/cmdline > /ctl/cmdline; touch /ctl/ready; while [ ! -e /ctl/go ]; do sleep 0.05; done' \
		>"$T/bg.out" 2>&1 &
	local nsbox_pid=$! init
	track_pid "$nsbox_pid"
	wait_file 10 "$T/ctl/ready" || fail "the sandbox did not start: $(cat "$T/bg.out")" || return 1
	init=$(nsbox_children "$nsbox_pid")
	local host_env host_cmd
	host_env=$(tr -d '\0' <"/proc/$init/environ")
	host_cmd=$(tr -d '\0' <"/proc/$init/cmdline")
	touch "$T/ctl/go"
	wait "$nsbox_pid"
	assert_equal "" "$host_env" "the init's environ, from the host" || return 1
	assert_equal "nsbox-init" "$host_cmd" "the init's command line, from the host" || return 1
	assert_equal "" "$(tr -d '\0' <"$T/ctl/environ")" "the init's environ, from inside" || return 1
	assert_equal "nsbox-init" "$(tr -d '\0' <"$T/ctl/cmdline")" "the init's command line, from inside" || return 1
	assert_no_leak
}
