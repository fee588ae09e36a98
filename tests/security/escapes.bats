#!/usr/bin/env bats
# Escapes from a sandbox to the host: CVE-2019-5736 (a `#!/proc/self/exe`
# image overwriting the runtime's binary), ptrace of the init, the init's
# /proc files, the double-chroot escape, open_by_handle_at ("shocker"),
# TIOCSTI injection into the caller's terminal, and what `nsbox exec` gives
# the processes it starts in a sandbox.
#
# The CVE-2019-5736 tests attack a copy of nsbox ($VICTIM, under $T) and
# never the binary the other tests run; its sha256 must not change.

load ../integration/helpers
load security-helpers

# A pipe whose buffer is full, on $T/fullpipe: a process writing to it
# blocks until release_full_pipe. Lets a test hold a process at the point
# where it writes (nsbox-exec, reporting a failed exec to stderr). The
# test's fd 9 is the pipe's only reader: start every other process with
# 9<&-, or the pipe would never break.
make_full_pipe() {
	mkfifo "$T/fullpipe"
	exec 9<>"$T/fullpipe"
	dd if=/dev/zero of="$T/fullpipe" bs=4096 count=1024 oflag=nonblock status=none 2>/dev/null || true
	on_teardown 'exec 9<&- 2>/dev/null || true'
}
release_full_pipe() { exec 9<&-; }

# attack_log: the CVE-2019-5736 attacker's report so far.
attack_log() { cat "$T/ctl/attack.log" 2>/dev/null; }

# assert_attack_failed: the attacker (nsbox-probe exe-attack) finished, saw
# no binary of the host through /proc/PID/exe (only sealed memfds, or a
# refusal), wrote nothing, and the victim binary is unchanged.
assert_attack_failed() {
	local l
	touch "$T/ctl/stop"
	wait_until 10 grep -q '^SUMMARY ' "$T/ctl/attack.log" || fail "the attacker did not finish: $(attack_log)" || return 1
	output=$(attack_log)
	assert_output_not_contains "WROTE" || return 1
	while IFS= read -r l; do
		case "$l" in
		"SEEN "*" open=OK")
			[[ "$l" == "SEEN "[0-9]*" /memfd:"* ]] || fail "the attacker holds a file of the host: $l" || return 1
			;;
		esac
	done <<<"$output"
	assert_equal "$VICTIM_SHA" "$(sha "$VICTIM")" "sha256 of the attacked nsbox binary"
}

@test "CVE-2019-5736: nsbox exec of a #!/proc/self/exe script while the container watches every /proc/PID/exe" {
	make_victim
	make_oci_bundle "$T/b"
	printf '#!/proc/self/exe\n' >"$T/b/rootfs/bin/evil"
	chmod 0755 "$T/b/rootfs/bin/evil"
	oci_args "$T/b" sh -c 'exec nsbox-probe exe-attack 60 /ctl/stop > /ctl/attack.log 2>&1'
	"$VICTIM" --root "$STATE" create --bundle "$T/b" "c-$TAG" </dev/null >"$T/create.out" 2>&1 || fail "create: $(cat "$T/create.out")" || return 1
	"$VICTIM" --root "$STATE" start "c-$TAG" </dev/null || fail "start failed" || return 1
	wait_until 10 grep -q READY "$T/ctl/attack.log" || fail "the attacker did not start" || return 1
	local i st statuses=""
	for i in $(seq 1 20); do
		st=0
		"$VICTIM" --root "$STATE" exec "c-$TAG" /bin/evil </dev/null >/dev/null 2>"$T/evil.err" || st=$?
		statuses+="$st "
	done
	assert_attack_failed || return 1
	"$VICTIM" --root "$STATE" delete --force "c-$TAG" </dev/null
	# The interpreter, /proc/self/exe, is nsbox-exec, which refuses to run
	# without its arguments: 126 every time.
	assert_equal "$(printf '126 %.0s' $(seq 1 20))" "$statuses" "exit statuses of the 20 execs of /bin/evil" || return 1
	assert_no_leak
}

@test "CVE-2019-5736: the interpreter a #!/proc/self/exe script gets from nsbox exec is a sealed memfd that cannot be written" {
	make_victim
	make_oci_bundle "$T/b"
	# With one argument the interpreter (nsbox-exec) gets past its argument
	# check, fails to exec /nonexistent and reports it on stderr, where a
	# full pipe holds it, running, for the attacker to find.
	printf '#!/proc/self/exe -1\n' >"$T/b/rootfs/bin/evil"
	chmod 0755 "$T/b/rootfs/bin/evil"
	oci_args "$T/b" sh -c 'exec nsbox-probe exe-attack 60 /ctl/stop > /ctl/attack.log 2>&1'
	"$VICTIM" --root "$STATE" create --bundle "$T/b" "c-$TAG" </dev/null >"$T/create.out" 2>&1 || fail "create: $(cat "$T/create.out")" || return 1
	"$VICTIM" --root "$STATE" start "c-$TAG" </dev/null || fail "start failed" || return 1
	wait_until 10 grep -q READY "$T/ctl/attack.log" || fail "the attacker did not start" || return 1
	make_full_pipe
	"$VICTIM" --root "$STATE" exec "c-$TAG" /bin/evil 1 /nonexistent x </dev/null >/dev/null 2>"$T/fullpipe" 9<&- &
	local exec_pid=$! evil
	track_pid "$exec_pid"
	wait_until 10 grep -q '^SEEN [0-9]* /memfd:nsbox-exec' "$T/ctl/attack.log" ||
		fail "the attacker never saw the interpreter: $(attack_log)" || return 1
	evil=$(nsbox_children "$exec_pid" | head -n1)
	# Seen from the host: the interpreter is nsbox-exec in a memfd sealed
	# against writing, growing and shrinking.
	run "$NSBOX_PROBE" seals "/proc/$evil/exe"
	assert_output "SEALS=seal,shrink,grow,write" || return 1
	# Let it end: the attacker then reopens its exe for writing, and fails.
	release_full_pipe
	wait "$exec_pid" || true
	wait_until 10 grep -Eq '^(WRITE|REOPEN) ' "$T/ctl/attack.log" || fail "the attacker did not try to write: $(attack_log)" || return 1
	assert_attack_failed || return 1
	assert_output_matches $'\n(WRITE [0-9]+ /memfd:nsbox-exec \\(deleted\\) EPERM|REOPEN [0-9]+ /memfd:nsbox-exec \\(deleted\\) E[A-Z]+)\n' || return 1
	"$VICTIM" --root "$STATE" delete --force "c-$TAG" </dev/null
	assert_no_leak
}

@test "CVE-2019-5736: nsbox run --rootfs of a #!/proc/self/exe command: the interpreter is nsbox-exec, the host binary is untouched" {
	make_victim
	printf '#!/proc/self/exe\n' >"$T/rootfs/bin/evil"
	chmod 0755 "$T/rootfs/bin/evil"
	run --separate-stderr "$VICTIM" run --rootfs "$T/rootfs" -- /bin/evil
	assert_status 126
	assert_equal "$VICTIM_SHA" "$(sha "$VICTIM")" "sha256 of the attacked nsbox binary" || return 1
	assert_no_leak
}

@test "CVE-2019-5736: a run --name sandbox holding a #!/proc/self/exe command, attacked from inside through every /proc/PID/exe" {
	make_victim
	printf '#!/proc/self/exe -1\n' >"$T/rootfs/bin/evil"
	chmod 0755 "$T/rootfs/bin/evil"
	make_full_pipe
	"$VICTIM" --root "$STATE" run --rootfs "$T/rootfs" --bind "$T/ctl:/ctl" --name "r-$TAG" -- /bin/evil 1 /nonexistent x \
		</dev/null >/dev/null 2>"$T/fullpipe" 9<&- &
	local run_pid=$!
	track_pid "$run_pid"
	# The second process: the attacker, in the sandbox (PID 1 is the init,
	# PID 2 the interpreter held on its stderr).
	wait_until 10 eval '[ "$("$VICTIM" --root "$STATE" state "r-$TAG" </dev/null 2>/dev/null | jq -r .status)" = running ]' || fail "the sandbox did not start" || return 1
	"$VICTIM" --root "$STATE" exec "r-$TAG" -- sh -c 'nsbox-probe exe-attack 60 /ctl/stop > /ctl/attack.log 2>&1' </dev/null >/dev/null 2>&1 9<&- &
	local attacker=$!
	wait_until 10 grep -q '^SUMMARY\|^SEEN 2 ' "$T/ctl/attack.log" || fail "the attacker did not see the command: $(attack_log)" || return 1
	touch "$T/ctl/stop"
	wait "$attacker" || true
	release_full_pipe
	wait "$run_pid" || true
	assert_attack_failed || return 1
	assert_line_in_output "SEEN 1 (readlink EACCES) open=EACCES" || return 1
	assert_output_matches $'\nSEEN 2 /memfd:nsbox-exec \\(deleted\\) open=OK\n' || return 1
	assert_no_leak
}

@test "CVE-2019-5736: with --cap-add SYS_PTRACE nsbox runs from a sealed copy: /proc/1/exe is a memfd that cannot be written" {
	make_victim
	run --separate-stderr "$VICTIM" run --rootfs "$T/rootfs" --cap-add SYS_PTRACE -- sh -c '
		nsbox-probe exe-of 1; nsbox-probe seals /proc/1/exe
		nsbox-probe exe-attack 1 > /tmp/log; grep -E "^(SEEN 1 |WROTE)" /tmp/log'
	assert_success
	assert_output "TARGET=/memfd:nsbox (deleted)
OPEN-W=ETXTBSY
SEALS=seal,shrink,grow,write
SEEN 1 /memfd:nsbox (deleted) open=OK"
	assert_equal "$VICTIM_SHA" "$(sha "$VICTIM")" "sha256 of the attacked nsbox binary" || return 1
	assert_no_leak
}

@test "ptrace: PTRACE_ATTACH and PTRACE_SEIZE of PID 1 are refused (root inside), and nsbox ends normally" {
	sandbox -- sh -c 'nsbox-probe ptrace 1; exit 3'
	assert_status 3
	assert_output "attach=EPERM seize=EPERM interrupt=ESRCH"
	assert_no_leak
}

@test "ptrace: PID 1 is out of reach rootless, and with CAP_SYS_PTRACE in a user namespace" {
	sandbox_as_user -- nsbox-probe ptrace 1
	assert_success
	assert_output "attach=EPERM seize=EPERM interrupt=ESRCH"
	sandbox --userns --cap-add SYS_PTRACE -- nsbox-probe ptrace 1
	assert_success
	assert_output "attach=EPERM seize=EPERM interrupt=ESRCH"
	assert_no_leak
}

@test "init: its exe, root, cwd, mem, environ and fds cannot be opened from inside" {
	sandbox -- sh -c 'for f in exe root cwd mem environ fd/0; do printf "%s=%s " $f "$(nsbox-probe open /proc/1/$f r)"; done'
	assert_success
	assert_output "exe=EACCES root=EACCES cwd=EACCES mem=EACCES environ=EACCES fd/0=EACCES "
	assert_no_leak
}

@test "chroot: the double-chroot escape (CAP_SYS_CHROOT is in the default set) ends in the sandbox's own root" {
	sandbox -- nsbox-probe chroot-escape
	assert_success
	local want
	want=$(ls -A "$T/rootfs" | sort | tr '\n' ' ')
	assert_equal "ROOT: $want" "$(tr ' ' '\n' <<<"${output#ROOT: }" | grep . | sort | tr '\n' ' ' | sed 's/^/ROOT: /')" "the root after the escape"
	assert_output_not_contains "lost+found"
	assert_no_leak
}

@test "shocker: open_by_handle_at of the filesystem's root is refused, even with CAP_DAC_READ_SEARCH" {
	sandbox -- nsbox-probe shocker
	assert_success
	assert_output "open_by_handle_at=EPERM"
	sandbox --cap-add DAC_READ_SEARCH -- nsbox-probe shocker
	assert_success
	assert_output "open_by_handle_at=EPERM"
	# The control: without the filter the kernel lets it through and the
	# probe lists the host's root, so the EPERMs above are the defence.
	sandbox --cap-add DAC_READ_SEARCH --seccomp unconfined -- nsbox-probe shocker
	assert_success
	assert_output_matches '^open_by_handle_at=OK ROOT-OF-FS:'
	assert_no_leak
}

@test "exec: a program planted in a run --name sandbox and run by nsbox exec cannot escape (shocker, /proc/1/exe)" {
	run nsb run --rootfs "$T/rootfs" --name "p-$TAG" --detach -- sleep "$TAG"
	assert_success
	# The sandbox replaces a tool that an administrator will exec.
	cp "$T/rootfs/bin/nsbox-probe" "$T/rootfs/bin/ps.planted" && mv -f "$T/rootfs/bin/ps.planted" "$T/rootfs/bin/ps"
	run --separate-stderr nsb exec "p-$TAG" -- ps shocker
	local shocker=$output
	run --separate-stderr nsb exec "p-$TAG" -- ps exe-of 1
	local exe=$output
	run nsb delete --force "p-$TAG"
	assert_success
	output=$shocker
	assert_output "open_by_handle_at=EPERM" || return 1
	output=$exe
	assert_output "TARGET=(readlink EACCES)
OPEN-W=EACCES" || return 1
	assert_no_leak
}

@test "exec: rootless nsbox exec into a rootless run --name sandbox runs inside it, never on the host" {
	local ustate=$T/ustate
	mkdir -p "$ustate" && chown "$(test_user_uid):$(test_user_gid)" "$ustate"
	on_teardown '"$NSBOX" --root "$T/ustate" delete --force "u-$TAG" >/dev/null 2>&1 </dev/null || true'
	run as_user "$USER_NSBOX" --root "$ustate" run --rootfs "$T/rootfs" --hostname "box-$TAG" --name "u-$TAG" --detach -- sleep "$TAG"
	assert_success
	run --separate-stderr as_user "$USER_NSBOX" --root "$ustate" exec "u-$TAG" -- sh -c 'hostname; test -d /ctl && echo image-root; id -u'
	local got=$output st=$status
	"$NSBOX" --root "$ustate" delete --force "u-$TAG" </dev/null
	status=$st output=$got
	# Either it runs in the sandbox (its hostname, its root, root of its
	# user namespace), or it fails: never on the host.
	assert_success
	assert_output "box-$TAG
image-root
0"
	assert_no_leak
}

@test "exec: rootless nsbox delete --force removes a running rootless run --name sandbox" {
	local ustate=$T/ustate
	mkdir -p "$ustate" && chown "$(test_user_uid):$(test_user_gid)" "$ustate"
	on_teardown '"$NSBOX" --root "$T/ustate" delete --force "u-$TAG" >/dev/null 2>&1 </dev/null || true'
	run as_user "$USER_NSBOX" --root "$ustate" run --rootfs "$T/rootfs" --name "u-$TAG" --detach -- sleep "$TAG"
	assert_success
	run --separate-stderr as_user "$USER_NSBOX" --root "$ustate" delete --force "u-$TAG"
	assert_success
	assert_equal "" "$(ls -A "$ustate")" "the user's state root after delete --force"
	assert_no_leak
}

# Run CMD under `script` (a new pty, as an interactive terminal), then read
# three lines from that terminal (a second each): what TIOCSTI pushed in
# shows up as GOT[...]. (Three: script, its stdin at EOF, may put an EOF
# on the terminal first.) script runs the command with $SHELL: bash is named,
# since dash (CI's /bin/sh) has no read -t.
tty_run() {
	SHELL=/bin/bash run timeout 30 script -qec "$1; for i in 1 2 3; do read -t 1 x; echo \"GOT[\$x]\"; done" /dev/null </dev/null
}

@test "TIOCSTI: a command on nsbox's pty (-t) cannot push input, plain or with garbage above 32 bits" {
	tty_run "'$NSBOX' run --rootfs '$T/rootfs' -t -- nsbox-probe tiocsti 'echo INJECTED-$TAG'"
	assert_success
	assert_output_contains "plain=EPERM pad=EPERM"
	assert_output_not_contains "INJECTED-$TAG"
	assert_no_leak
}

@test "TIOCSTI: a command sharing the caller's terminal cannot push input into it, even with CAP_SYS_ADMIN" {
	tty_run "'$NSBOX' run --rootfs '$T/rootfs' --cap-add SYS_ADMIN -- nsbox-probe tiocsti 'INJECTED-$TAG
'"
	assert_success
	assert_output_contains "plain=EPERM pad=EPERM"
	assert_output_not_contains "INJECTED-$TAG"
	# The control: with the filter gone, the same command does inject
	# (this kernel allows TIOCSTI with CAP_SYS_ADMIN): the test would see it.
	tty_run "'$NSBOX' run --rootfs '$T/rootfs' --cap-add SYS_ADMIN --seccomp unconfined -- nsbox-probe tiocsti 'INJECTED-$TAG
'"
	assert_success
	assert_output_contains "GOT[INJECTED-$TAG]"
	assert_no_leak
}
