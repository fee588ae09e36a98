#!/usr/bin/env bats
# OCI hooks: createRuntime, createContainer, startContainer, poststart and
# poststop run once each, in that order, with the state JSON on stdin and
# exactly their own args and env; where each runs; what a failing hook does;
# the hook timeout. The hooks record into $LOG (startContainer, in the
# container, through a bind mount of it on /hooklog).

load helpers
load oci-helpers

setup() {
	oci_setup
	new_tempdir LOG
	# hook.sh NAME ARGS...: append NAME to $LOGDIR/order; keep its stdin,
	# environment and arguments in $LOGDIR/NAME.{stdin,env,args}.
	cat >"$T/hook.sh" <<-'EOF'
		#!/bin/sh
		name=$1
		echo "$name" >>"$LOGDIR/order"
		cat >"$LOGDIR/$name.stdin"
		env | grep -v '^\(PWD\|SHLVL\|OLDPWD\|_\)=' | sort >"$LOGDIR/$name.env"
		printf '%s\n' "$@" >"$LOGDIR/$name.args"
	EOF
	chmod 0755 "$T/hook.sh"
	make_sleeping_bundle
	# startContainer runs in the container: its copy of hook.sh, and $LOG on /hooklog.
	cp "$T/hook.sh" "$B/rootfs/hook.sh"
	mkdir "$B/rootfs/hooklog"
	edit_config "$B" '.mounts += [{"destination": "/hooklog", "type": "bind", "source": $log, "options": ["rbind", "rw"]}]' \
		--arg log "$LOG"
}

# hook NAME PATH LOGDIR: the hook object of hook.sh recording as NAME.
hook_json() {
	jq -cn --arg n "$1" --arg p "$2" --arg l "$3" \
		'{path: $p, args: ["hook.sh", $n, "second arg", "a b"], env: ["LOGDIR=\($l)", "HOOK_VAR=\($n)-value", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"]}'
}

# All five hooks, each recording.
all_hooks() {
	edit_config "$B" '.hooks = {
		createRuntime: [$cr], createContainer: [$cc], startContainer: [$sc],
		poststart: [$ps], poststop: [$pp]}' \
		--argjson cr "$(hook_json createRuntime "$T/hook.sh" "$LOG")" \
		--argjson cc "$(hook_json createContainer "$T/hook.sh" "$LOG")" \
		--argjson sc "$(hook_json startContainer /hook.sh /hooklog)" \
		--argjson ps "$(hook_json poststart "$T/hook.sh" "$LOG")" \
		--argjson pp "$(hook_json poststop "$T/hook.sh" "$LOG")"
}

order() { tr '\n' ' ' <"$LOG/order" 2>/dev/null | sed 's/ $//'; }

# A full lifecycle with all hooks: create, start, kill, delete.
full_lifecycle() {
	local id=$1
	oci_ok create --bundle "$B" "$id" || return 1
	PID=$(state_field "$id" pid)
	oci_ok start "$id" || return 1
	oci_ok kill "$id" KILL || return 1
	wait_status "$id" stopped || return 1
	oci_ok delete "$id"
}

@test "hooks: each of the five runs once, in the order of the spec" {
	local id="ho-$MARKER"
	all_hooks
	# Nsbox's own environment must not reach the hooks.
	export NSBOX_TEST_LEAK=leaked
	oci_ok create --bundle "$B" "$id"
	assert_equal "createRuntime createContainer" "$(order)" "hooks run by create"
	oci_ok start "$id"
	assert_equal "createRuntime createContainer startContainer poststart" "$(order)" "hooks run by start"
	oci_ok kill "$id" KILL
	wait_status "$id" stopped
	assert_equal "createRuntime createContainer startContainer poststart" "$(order)" "hooks after the process ended"
	oci_ok delete "$id"
	assert_equal "createRuntime createContainer startContainer poststart poststop" "$(order)" "hooks run by delete"
	unset NSBOX_TEST_LEAK
}

@test "hooks: poststart runs after the container's process has exec'd" {
	local id="hx-$MARKER"
	# poststart records the command line of the state's pid.
	edit_config "$B" '.hooks.poststart = [{path: "/bin/sh", args: ["sh", "-c",
		"pid=$(sed -n \"s/.*\\\"pid\\\":\\([0-9]*\\).*/\\1/p\"); tr \"\\\\0\" \" \" </proc/$pid/cmdline >$0", $out]}]' \
		--arg out "$LOG/poststart.cmdline"
	# A slow startContainer hook widens any race between the two.
	edit_config "$B" '.hooks.startContainer = [{path: "/bin/sh", args: ["sh", "-c", "sleep 0.5"]}]'
	for i in 1 2 3; do
		rm -f "$LOG/poststart.cmdline"
		oci_ok create --bundle "$B" "$id"
		oci_ok start "$id"
		assert_equal "sleep $MARKER " "$(cat "$LOG/poststart.cmdline")" "command line of the process when poststart ran"
		oci_ok delete --force "$id"
	done
}

@test "hooks: each gets the state JSON on stdin (id, pid, status, bundle)" {
	local id="hs-$MARKER"
	all_hooks
	full_lifecycle "$id"
	local h s
	for h in createRuntime createContainer poststart; do
		s=$(cat "$LOG/$h.stdin")
		json_ok "$s" || fail "$h stdin is not JSON: $s"
		assert_equal "$id" "$(jq -r .id <<<"$s")" "$h: id"
		assert_equal "$PID" "$(jq -r .pid <<<"$s")" "$h: pid"
		assert_equal "$B" "$(jq -r .bundle <<<"$s")" "$h: bundle"
		assert_equal "1.2.0" "$(jq -r .ociVersion <<<"$s")" "$h: ociVersion"
	done
	assert_equal "creating" "$(jq -r .status "$LOG/createRuntime.stdin")" "createRuntime: status"
	assert_equal "creating" "$(jq -r .status "$LOG/createContainer.stdin")" "createContainer: status"
	assert_equal "running" "$(jq -r .status "$LOG/poststart.stdin")" "poststart: status"
	s=$(cat "$LOG/startContainer.stdin")
	json_ok "$s" || fail "startContainer stdin is not JSON: $s"
	assert_equal "$id" "$(jq -r .id <<<"$s")" "startContainer: id"
	s=$(cat "$LOG/poststop.stdin")
	json_ok "$s" || fail "poststop stdin is not JSON: $s"
	assert_equal "$id" "$(jq -r .id <<<"$s")" "poststop: id"
	assert_equal "stopped" "$(jq -r .status <<<"$s")" "poststop: status"
}

@test "hooks: each gets exactly its args and env" {
	local id="he-$MARKER"
	all_hooks
	export NSBOX_TEST_LEAK=leaked
	full_lifecycle "$id"
	unset NSBOX_TEST_LEAK
	local h want_log
	for h in createRuntime createContainer startContainer poststart poststop; do
		# A script sees args[1..]; args[0] becomes its path.
		assert_equal "$h|second arg|a b" "$(paste -sd'|' "$LOG/$h.args")" "$h: args"
		want_log=$LOG
		[ "$h" = startContainer ] && want_log=/hooklog
		assert_equal "HOOK_VAR=$h-value|LOGDIR=$want_log|PATH=/usr/sbin:/usr/bin:/sbin:/bin" \
			"$(paste -sd'|' "$LOG/$h.env")" "$h: environment"
	done
}

@test "hooks: createContainer runs in the container's namespaces, its path found in the runtime's" {
	local id="hn-$MARKER"
	edit_config "$B" '.hostname = $h' --arg h "host-$RANDOM"
	# hook.sh lives under $T, in /tmp: resolved in the runtime's namespace.
	cat >"$T/nshook.sh" <<-'EOF'
		#!/bin/sh
		hostname
		for ns in net uts ipc mnt; do readlink /proc/self/ns/$ns; done
	EOF
	chmod 0755 "$T/nshook.sh"
	edit_config "$B" '.hooks.createContainer = [{path: $p}]' --arg p "$T/nshook.sh"
	oci create --bundle "$B" "$id"
	assert_success
	local pid want
	pid=$(state_field "$id" pid)
	want=$(jq -r .hostname "$B/config.json")
	for ns in net uts ipc mnt; do
		want+=$'\n'$(readlink "/proc/$pid/ns/$ns")
	done
	assert_equal "$want" "$output" "hostname and namespaces seen by the createContainer hook"
	assert_not_equal "$(readlink /proc/self/ns/net)" "$(sed -n 2p <<<"$output")" "the hook's network namespace vs the host's"
}

@test "hooks: createRuntime runs in the runtime's namespaces" {
	local id="hr-$MARKER"
	edit_config "$B" '.hooks.createRuntime = [{path: "/bin/sh", args: ["sh", "-c", "hostname; readlink /proc/self/ns/net /proc/self/ns/mnt"]}]'
	oci_ok create --bundle "$B" "$id"
	assert_equal "$(hostname)"$'\n'"$(readlink /proc/self/ns/net)"$'\n'"$(readlink /proc/self/ns/mnt)" "$output" \
		"hostname and namespaces seen by createRuntime"
}

@test "hooks: startContainer runs in the container, after pivot_root" {
	local id="hc-$MARKER"
	echo "$MARKER" >"$B/rootfs/inside-only"
	edit_config "$B" '.hostname = "inside" | .hooks.startContainer = [{path: "/bin/sh", args: ["sh", "-c", "hostname; cat /inside-only"]}]'
	oci create --bundle "$B" "$id"
	assert_success
	local out=$OCI_OUT
	oci_ok start "$id"
	# Its stdout is the container's, that is create's.
	assert_equal "inside"$'\n'"$MARKER" "$(cat "$out")" "what startContainer saw"
}

@test "hooks: a createContainer hook sees the host's files under /tmp (the bundle's config.json)" {
	local id="hb-$MARKER"
	# Hooks such as GPU or network set-up read the bundle's config.json
	# through state.bundle: the bundle is under /tmp here.
	edit_config "$B" '.hooks.createContainer = [{path: "/bin/sh", args: ["sh", "-c",
		"b=$(sed -n \"s/.*\\\"bundle\\\":\\\"\\([^\\\"]*\\)\\\".*/\\1/p\"); cat \"$b/config.json\" | head -c 1; echo; cat \"$0\"", $f]}]' \
		--arg f "$T/hook.sh"
	oci create --bundle "$B" "$id"
	assert_success
	assert_equal "{"$'\n'"$(cat "$T/hook.sh")" "$output" "what createContainer read from the host's /tmp"
}

@test "hooks: a failing createRuntime hook fails create (125), nothing left behind" {
	edit_config "$B" '.hooks = {createRuntime: [{path: "/bin/sh", args: ["sh", "-c", "exit 3"]}], createContainer: [$cc]}' \
		--argjson cc "$(hook_json createContainer "$T/hook.sh" "$LOG")"
	oci create --bundle "$B" --pid-file "$T/pid" "hf-$MARKER"
	assert_error 125 "createRuntime" "/bin/sh" "3"
	[ ! -e "$LOG/order" ] || fail "hooks ran after the failing one: $(order)"
	[ ! -e "$T/pid" ] || fail "a pid file was written"
	assert_nothing_left
}

@test "hooks: a createRuntime hook that is not there fails create (125), nothing left behind" {
	edit_config "$B" '.hooks.createRuntime = [{path: $p}]' --arg p "$T/no-such-hook"
	oci create --bundle "$B" "hm-$MARKER"
	assert_error 125 "createRuntime" "$T/no-such-hook"
	assert_nothing_left
}

@test "hooks: a failing createContainer hook fails create (125), nothing left behind" {
	edit_config "$B" '.hooks.createContainer = [{path: "/bin/sh", args: ["sh", "-c", "exit 4"]}]'
	oci create --bundle "$B" "hg-$MARKER"
	assert_error 125 "createContainer" "4"
	assert_nothing_left
}

@test "hooks: a failing startContainer hook fails start (125); the container is stopped" {
	local id="hsc-$MARKER"
	edit_config "$B" '.hooks.startContainer = [{path: "/bin/sh", args: ["sh", "-c", "exit 5"]}]'
	oci_ok create --bundle "$B" "$id"
	oci start "$id"
	assert_error 125 "startContainer" "5"
	wait_status "$id" stopped
	assert_no_marked_process "$MARKER" 5
}

@test "hooks: a failing poststart hook is a warning; start succeeds, the container runs" {
	local id="hp-$MARKER"
	edit_config "$B" '.hooks.poststart = [{path: "/bin/sh", args: ["sh", "-c", "exit 6"]}, $ok]' \
		--argjson ok "$(hook_json poststart "$T/hook.sh" "$LOG")"
	oci_ok create --bundle "$B" "$id"
	oci start "$id"
	assert_success
	assert_stderr_contains "warning"
	assert_stderr_contains "poststart"
	assert_equal "running" "$(state_field "$id" status)" "status"
	wait_until 5 count_exact_pids 1 "sleep $MARKER" || fail "the container's process does not run"
	# The spec: the remaining hooks still run.
	assert_equal "poststart" "$(order)" "the hooks after the failing one"
}

@test "hooks: a failing poststop hook is a warning; delete succeeds" {
	local id="hq-$MARKER"
	edit_config "$B" '.hooks.poststop = [{path: "/bin/sh", args: ["sh", "-c", "exit 7"]}, $ok]' \
		--argjson ok "$(hook_json poststop "$T/hook.sh" "$LOG")"
	oci_ok create --bundle "$B" "$id"
	oci delete --force "$id"
	assert_success
	assert_stderr_contains "warning"
	assert_stderr_contains "poststop"
	assert_equal "poststop" "$(order)" "the hooks after the failing one"
	assert_nothing_left
}

@test "hooks: timeout kills a hook that sleeps too long (timeout 1)" {
	edit_config "$B" '.hooks.createRuntime = [{path: "/bin/sleep", args: ["sleep", $m], timeout: 1}]' --arg m "$MARKER"
	local t0=$SECONDS
	oci create --bundle "$B" "ht-$MARKER"
	assert_error 125 "createRuntime" "timed out"
	[ $((SECONDS - t0)) -lt 10 ] || fail "create took $((SECONDS - t0)) s with a 1 s hook timeout"
	assert_nothing_left
}

@test "hooks: a hook that ends within its timeout is fine" {
	local id="hk-$MARKER"
	edit_config "$B" '.hooks.createRuntime = [{path: "/bin/sh", args: ["sh", "-c", "sleep 0.2"], timeout: 5}]'
	oci create --bundle "$B" "$id"
	assert_success
	assert_equal "created" "$(state_field "$id" status)" "status"
}

@test "hooks without env: nsbox's own environment on the host (as runc and crun), none in the container" {
	local id="hn-$MARKER"
	# LOGDIR comes from nsbox's environment for the host's hooks; the
	# startContainer hook, which has no way to get it, logs to /hooklog.
	edit_config "$B" '.hooks = {
		createRuntime: [{path: $p, args: ["hook.sh", "createRuntime"]}],
		startContainer: [{path: "/bin/sh", args: ["sh", "-c", "env > /hooklog/startContainer.env"]}],
		poststop: [{path: $p, args: ["hook.sh", "poststop"]}]}' --arg p "$T/hook.sh"
	LOGDIR=$LOG NSBOX_TEST_HOOKVAR=from-nsbox oci_ok create --bundle "$B" "$id"
	grep -qx 'NSBOX_TEST_HOOKVAR=from-nsbox' "$LOG/createRuntime.env" ||
		fail "createRuntime without env did not get nsbox's environment: $(cat "$LOG/createRuntime.env")"
	oci_ok start "$id"
	wait_until 10 test -s "$LOG/startContainer.env" || fail "startContainer did not run"
	# sh itself sets PWD (and SHLVL): nothing of nsbox's.
	run grep -cE 'NSBOX_TEST_HOOKVAR|LOGDIR' "$LOG/startContainer.env"
	assert_output 0
	oci_ok kill "$id" KILL
	wait_status "$id" stopped
	LOGDIR=$LOG NSBOX_TEST_HOOKVAR=from-delete oci_ok delete "$id"
	grep -qx 'NSBOX_TEST_HOOKVAR=from-delete' "$LOG/poststop.env" ||
		fail "poststop without env did not get delete's environment: $(cat "$LOG/poststop.env")"
}
