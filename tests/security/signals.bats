#!/usr/bin/env bats
# Signals to nsbox itself at bad moments: a terminating signal while
# `create` blocks in a createRuntime hook must abort it promptly and leave
# nothing (no hook, no container process, no mount, no state); SIGKILL of
# `nsbox run --name` at random points must leave no process of the sandbox
# alive, found by the pids the sandbox itself recorded.

load ../integration/helpers
load security-helpers

# A bundle whose createRuntime hook records its pid in $T/hookpid and
# sleeps (its command line holds $TAG); the hook's own timeout is 15 s.
make_hook_bundle() {
	make_oci_bundle "$T/b" '.hooks = {"createRuntime": [{"path": "/bin/sh", "args": ["sh", "-c", $script], "timeout": 15}]}' \
		--arg script "echo \$\$ > $T/hookpid; exec sleep $TAG" || return 1
	oci_args "$T/b" sleep "$TAG"
}

# signal_during_hook SIGNAL NSBOX-ARGS...: start nsbox NSBOX-ARGS, wait for
# the hook, send SIGNAL to nsbox; then nsbox must be gone within 5 s with an
# error, and the hook and the sandbox's process within 5 s more.
signal_during_hook() {
	local sig=$1 nsbox_pid hook others p
	shift
	"$NSBOX" --root "$STATE" "$@" </dev/null >"$T/nsbox.out" 2>"$T/nsbox.err" &
	nsbox_pid=$!
	track_pid "$nsbox_pid"
	wait_file 10 "$T/hookpid" || fail "the hook did not start: $(cat "$T/nsbox.err")" || return 1
	hook=$(cat "$T/hookpid")
	# nsbox's other children: the sandbox's first process.
	others=$(nsbox_children "$nsbox_pid" | grep -vx "$hook" || true)
	[ -n "$others" ] || fail "no sandbox process under nsbox $nsbox_pid" || return 1
	kill "-$sig" "$nsbox_pid"
	if ! wait_until 5 eval '! pid_alive '"$nsbox_pid"; then
		fail "nsbox ($*) still runs 5 s after SIG$sig (it waits for the hook's timeout)"
		return 1
	fi
	status=0
	wait "$nsbox_pid" || status=$?
	stderr=$(cat "$T/nsbox.err") output=$(cat "$T/nsbox.out")
	# An error of nsbox's own (125), not death by the signal.
	assert_status 125 || return 1
	assert_nsbox_error "SIG$sig" || return 1
	for p in $hook $others; do
		wait_until 5 eval '! pid_alive '"$p" || fail "process $p ($(tr '\0' ' ' <"/proc/$p/cmdline")) outlived nsbox" || return 1
	done
}

@test "signals: SIGTERM to nsbox create blocked in a createRuntime hook: prompt error, no hook, no process, no state" {
	make_hook_bundle || return 1
	signal_during_hook TERM create --bundle "$T/b" "c-$TAG" || return 1
	assert_equal "" "$(ls -A "$STATE")" "the state root after the interrupted create" || return 1
	assert_no_leak
}

@test "signals: SIGINT and SIGHUP to nsbox create blocked in a createRuntime hook abort it the same way" {
	local sig
	make_hook_bundle || return 1
	for sig in INT HUP; do
		rm -f "$T/hookpid"
		signal_during_hook "$sig" create --bundle "$T/b" "c-$TAG" || return 1
		assert_equal "" "$(ls -A "$STATE")" "the state root after SIG$sig" || return 1
	done
	assert_no_leak
}

@test "signals: SIGTERM to nsbox run --bundle blocked in a createRuntime hook: prompt error, nothing left" {
	make_hook_bundle || return 1
	signal_during_hook TERM run --bundle "$T/b" "c-$TAG" || return 1
	assert_equal "" "$(ls -A "$STATE")" "the state root after the interrupted run" || return 1
	assert_no_leak
}

# ns_procs_alive FILE: the processes listed in FILE (lines "NSPID
# STARTTIME", as a sandbox wrote them: its own pid and start time) that are
# still alive on the host. A host process is one of them when its start
# time is the same and the last pid of its NSpid line is NSPID.
ns_procs_alive() {
	local nspid start p
	[ -s "$1" ] || return 0
	while read -r nspid start; do
		for p in $(awk -v s="$start" '{ sub(/.*\) /, ""); if ($20 == s) print FILENAME }' /proc/[0-9]*/stat 2>/dev/null |
			sed -n 's#^/proc/\([0-9]*\)/stat$#\1#p'); do
			if [ "$(awk '$1 == "NSpid:" { print $NF }' "/proc/$p/status" 2>/dev/null)" = "$nspid" ] && pid_alive "$p"; then
				echo "$p (nspid $nspid: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null))"
			fi
		done
	done <"$1"
}

@test "signals: SIGKILL of nsbox run --name at 20 random points leaves no process alive, and only records that delete removes" {
	local i name nsbox_pid delay left bad="" recorded=0
	for i in $(seq 1 20); do
		name="k$i-$TAG"
		# Every process of the sandbox records "NSPID STARTTIME" of itself.
		"$NSBOX" --root "$STATE" run --rootfs "$T/rootfs" --bind "$T/ctl:/ctl" --name "$name" -- sh -c '
			rec() { echo "$1 $(cut -d" " -f22 /proc/$1/stat)" >> /ctl/pids.'"$i"'; }
			rec $$; sleep '"$TAG"' & rec $!; nsbox-probe sleep 1000 '"$TAG"' & rec $!; wait' \
			</dev/null >/dev/null 2>&1 &
		nsbox_pid=$!
		# Half the trials early (in the set-up, a few ms), half later (running).
		if [ $((i % 2)) -eq 0 ]; then
			delay=$((RANDOM % 15))
		else
			delay=$((15 + RANDOM % 285))
		fi
		sleep "$(printf '0.%03d' "$delay")"
		kill -KILL "$nsbox_pid"
		{ wait "$nsbox_pid"; } 2>/dev/null || true
		if ! wait_until 5 eval '[ -z "$(ns_procs_alive "$T/ctl/pids.$i")" ]'; then
			bad+="trial $i (SIGKILL after ${delay} ms): $(ns_procs_alive "$T/ctl/pids.$i"); "
		fi
		if ! wait_until 5 no_marked_process "$TAG"; then
			bad+="trial $i (SIGKILL after ${delay} ms): marked processes left: $(pids_with_marker "$TAG" | tr '\n' ' '); "
			kill_marked "$TAG"
		fi
		[ -s "$T/ctl/pids.$i" ] && recorded=$((recorded + 1))
	done
	assert_equal "" "$bad" "sandbox processes alive after nsbox was killed" || return 1
	# Most trials must have reached the command, or the test measured nothing.
	[ "$recorded" -ge 5 ] || fail "only $recorded of 20 sandboxes got to record their pids" || return 1
	assert_no_leak_but_records
}

# After SIGKILL nsbox cannot remove its record: each record left must be
# one that nsbox knows (state) and that delete --force removes, not a
# half-made directory that list, state and delete ignore while its name
# stays taken.
assert_no_leak_but_records() {
	local n unknown=""
	for n in $(ls -A "$STATE" 2>/dev/null); do
		"$NSBOX" --root "$STATE" state "$n" </dev/null >/dev/null 2>&1 ||
			unknown+="$n [$(ls -A "$STATE/$n" | tr '\n' ' ')] "
		"$NSBOX" --root "$STATE" delete --force "$n" </dev/null >/dev/null 2>&1 || true
	done
	assert_equal "" "$unknown" "entries of the state root that nsbox state does not know" || return 1
	assert_equal "" "$(ls -A "$STATE")" "the state root after delete --force of every entry" || return 1
	assert_no_leak
}

@test "signals: SIGKILL of nsbox create during a hook: delete --force removes the half-made record and the id can be used again" {
	make_hook_bundle || return 1
	"$NSBOX" --root "$STATE" create --bundle "$T/b" "c-$TAG" </dev/null >"$T/nsbox.out" 2>"$T/nsbox.err" &
	local nsbox_pid=$!
	track_pid "$nsbox_pid"
	wait_file 10 "$T/hookpid" || fail "the hook did not start: $(cat "$T/nsbox.err")" || return 1
	kill -KILL "$nsbox_pid"
	{ wait "$nsbox_pid"; } 2>/dev/null || true
	kill -KILL "$(cat "$T/hookpid")"   # (the hook is the runtime's child: nobody else ends it)
	oci delete --force "c-$TAG"
	assert_success
	assert_equal "" "$(ls -A "$STATE")" "the state root after delete --force" || return 1
	oci_edit "$T/b" 'del(.hooks)'
	oci create --bundle "$T/b" "c-$TAG"
	assert_success
	oci_ok delete --force "c-$TAG"
	assert_no_leak
}
