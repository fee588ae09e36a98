#!/usr/bin/env bats
# The state directory and the OCI commands under attack ("No escapes"): a
# large state, records a SIGKILLed create leaves, exec trusting nothing of
# the bundle after create, pid files through planted symlinks, container
# ids that are options or forge log lines. Each test performs the attack and
# asserts that it fails.

load helpers
load oci-helpers

# ---------------------------------------------------------------------------
# A large state

@test "large state: a 200 KB annotation; state, list, kill and delete work" {
	local id="big-$MARKER" pid
	make_sleeping_bundle
	head -c 200000 /dev/zero | tr '\0' x >"$T/big"
	edit_config "$B" '.annotations = {"big": $v, "small": "s"}' --rawfile v "$T/big"
	oci_ok create --bundle "$B" "$id"
	[ "$(stat -c %s "$STATE/$id/state.json")" -gt 200000 ] || fail "state.json holds less than the annotation"
	oci_ok state "$id"
	assert_equal "created" "$(jq -r .status <<<"$output")" "status"
	assert_equal 200000 "$(jq -r '.annotations.big | length' <<<"$output")" "the annotation, whole"
	pid=$(jq -r .pid <<<"$output")
	oci_ok list --format json
	assert_equal "$id created" "$(jq -r '.[] | "\(.id) \(.status)"' <<<"$output")" "list"
	oci_ok start "$id"
	assert_equal "running" "$(state_field "$id" status)" "status after start"
	oci_ok kill "$id" KILL
	wait_status "$id" stopped
	pid_dead "$pid" || fail "pid $pid still alive after kill"
	oci_ok delete "$id"
	assert_nothing_left
}

@test "large state: delete --force of a running container with a 1 MB annotation" {
	local id="big2-$MARKER"
	make_sleeping_bundle
	head -c 1000000 /dev/zero | tr '\0' y >"$T/big"
	edit_config "$B" '.annotations = {"big": $v}' --rawfile v "$T/big"
	create_running "$id"
	oci_ok delete --force "$id"
	pid_dead "$PID" || fail "pid $PID still alive after delete --force"
	assert_nothing_left
}

@test "large state: hooks get the whole state JSON of a 300 KB annotation (createRuntime on the host, startContainer inside)" {
	local id="bigh-$MARKER" n
	make_sleeping_bundle
	ctl_mount "$B"
	head -c 300000 /dev/zero | tr '\0' z >"$T/big"
	edit_config "$B" '.annotations = {"big": $v}
		| .hooks.createRuntime = [{"path": "/bin/sh", "args": ["sh", "-c", $cr]}]
		| .hooks.startContainer = [{"path": "/bin/sh", "args": ["sh", "-c", "wc -c >/ctl/sc"]}]' \
		--rawfile v "$T/big" --arg cr "wc -c >$T/ctl/cr"
	create_running "$id"
	n=$(cat "$T/ctl/cr")
	[ "$n" -gt 300000 ] || fail "the createRuntime hook read $n bytes"
	assert_equal "$n" "$(cat "$T/ctl/sc")" "bytes the startContainer hook read"
	oci_ok delete --force "$id"
	assert_nothing_left
}

@test "large state: a hook that never reads its stdin still times out" {
	local start
	make_sleeping_bundle
	head -c 300000 /dev/zero | tr '\0' z >"$T/big"
	edit_config "$B" '.annotations = {"big": $v}
		| .hooks.createRuntime = [{"path": "/bin/sleep", "args": ["sleep", "20", $m], "timeout": 1}]' \
		--rawfile v "$T/big" --arg m "$MARKER"
	start=$(date +%s)
	oci create --bundle "$B" "bigt-$MARKER"
	assert_error 125 "createRuntime hook '/bin/sleep': timed out after 1 s"
	[ $(($(date +%s) - start)) -lt 10 ] || fail "create took $(($(date +%s) - start)) s"
	assert_nothing_left
}

# ---------------------------------------------------------------------------
# Records a killed create leaves

# The recorded pid and start time of ID, read from its state.json as it is
# on disk (empty when there is none).
record_field() {
	jq -r --arg f "$2" '.[$f] // empty' "$STATE/$1/state.json" 2>/dev/null || true
}

# proc_start PID: field 22 of /proc/PID/stat (empty if there is no PID).
proc_start() {
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20
}

# in_fifo_open ID: the recorded process of ID waits in open(exec.fifo).
in_fifo_open() {
	local w
	w=$(cat "/proc/$(record_field "$1" pid)/wchan" 2>/dev/null) || return 1
	[ "$w" = wait_for_partner ] || [ "$w" = fifo_open ]
}

# same_process_alive PID START: PID is alive and is the process that started at START.
same_process_alive() {
	pid_alive "$1" && [ "$(proc_start "$1")" = "$2" ]
}

# killed_after DELAY ARGS...: nsbox ARGS (on $STATE) in the background,
# SIGKILLed after DELAY seconds (it may have ended by then), and reaped.
killed_after() {
	local delay=$1 pid
	shift
	"$NSBOX" --root "$STATE" "$@" </dev/null >/dev/null 2>&1 3>&- &
	pid=$!
	sleep "$delay"
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

# The hooks of these tests carry $MARKER (so teardown finds them) and
# write $T/ctl/hook.* when they run.
make_hooked_bundle() {
	make_sleeping_bundle
	mkdir -p "$T/ctl"
	edit_config "$B" '.hooks.createRuntime = [{"path": "/bin/sh", "args": ["sh", "-c", $s, $m]}]
		| .hooks.startContainer = [{"path": "/bin/true", "args": ["true", $m]}]' \
		--arg s "touch $T/ctl/hook.\$PPID; sleep ${1:-0.1}" --arg m "$MARKER"
}

# The state of ID after its create was killed: `list` shows it as creating
# or created, or shows nothing; `state` agrees.
assert_listed_or_nothing() {
	local id=$1 entries
	oci_ok list --format json
	entries=$(jq -r '.[] | "\(.id) \(.status)"' <<<"$output")
	case "$entries" in
	"" | "$id creating" | "$id created") ;;
	*) fail "list after a killed create: '$entries'" || return 1 ;;
	esac
	oci state "$id"
	if [ -z "$entries" ] && [ "$status" -eq 0 ]; then
		# A record killed before its first state.json: list skips it,
		# state shows it creating (as the test of such a record below).
		assert_equal "creating" "$(jq -r .status <<<"$output")" "state of a record list skips"
	elif [ -z "$entries" ]; then
		assert_error 125 "$id" "does not exist"
	else
		assert_success && assert_equal "${entries#* }" "$(jq -r .status <<<"$output")" "state agrees with list"
	fi
}

@test "a create killed at random points: list shows it or nothing, delete --force removes it and its process, create works again" {
	local i id delay saw=""
	make_hooked_bundle 0.1
	for i in $(seq 1 20); do
		id="k$i-$MARKER"
		# From before the mkdir to after the end (a create with the hook takes ~0.15 s).
		delay=$(printf '0.%03d' $(((i * 11 + RANDOM % 20) % 200)))
		killed_after "$delay" create --bundle "$B" "$id"
		local cpid cstart
		cpid=$(record_field "$id" pid)
		cstart=$(record_field "$id" nsboxStartTime)
		[ -n "$cpid" ] && saw+=" $(record_field "$id" status)"
		assert_listed_or_nothing "$id" || return 1
		oci delete --force "$id"
		assert_success || return 1
		[ ! -e "$STATE/$id" ] || fail "state dir of $id left after delete --force (killed after $delay s): $(ls -A "$STATE/$id")" || return 1
		if [ -n "$cpid" ]; then
			! same_process_alive "$cpid" "$cstart" || fail "process $cpid of $id alive after delete --force" || return 1
		fi
		oci create --bundle "$B" "$id"
		assert_success || return 1
		assert_equal "created" "$(state_field "$id" status)" "status of $id made again" || return 1
		oci_ok delete --force "$id" || return 1
	done
	echo "# records seen:$saw" >&3
	# The hooks that were running when their nsbox died end by themselves.
	assert_nothing_left
}

@test "a run --bundle killed at random points (its process may exec before the state is final): delete --force removes it and its process" {
	# run releases exec.fifo as soon as the process is created, so a run
	# killed then leaves a running process in a record still marked
	# creating: delete --force must find and kill it all the same.
	local i id delay cpid cstart st saw=""
	make_bundle "$T/b"
	set_args "$T/b" sleep "$MARKER"
	for i in $(seq 1 20); do
		id="rk$i-$MARKER"
		# From before the mkdir to after the start (a run starts in 10-50 ms).
		delay=$(printf '0.%03d' $(((i * 3 + RANDOM % 4) % 40)))
		killed_after "$delay" run --bundle "$T/b" "$id"
		cpid=$(record_field "$id" pid)
		cstart=$(record_field "$id" nsboxStartTime)
		oci_ok list --format json
		st=$(jq -r --arg id "$id" '.[] | select(.id == $id) | .status' <<<"$output")
		saw+=" ${st:-none}"
		case "$st" in
		"" | creating | created | running) ;;
		*) fail "list after a killed run: '$st'" || return 1 ;;
		esac
		oci delete --force "$id"
		[ -z "$st" ] || assert_success || return 1
		[ ! -e "$STATE/$id" ] || fail "state dir of $id left after delete --force (killed after $delay s): $(ls -A "$STATE/$id")" || return 1
		if [ -n "$cpid" ]; then
			! same_process_alive "$cpid" "$cstart" || fail "process $cpid of $id alive after delete --force" || return 1
		fi
		local left
		left=$(ls -d /sys/fs/cgroup/nsbox/"$id" /sys/fs/cgroup/*/nsbox/"$id" 2>/dev/null | head -3)
		[ -z "$left" ] || fail "cgroups of $id left after delete --force: $left" || return 1
	done
	echo "# records seen:$saw" >&3
	assert_nothing_left
}

@test "a create killed in its createRuntime hook: status creating, start and exec refuse it, delete removes it" {
	local id="hk-$MARKER" pid cpid
	make_hooked_bundle 30
	"$NSBOX" --root "$STATE" create --bundle "$B" "$id" </dev/null >/dev/null 2>&1 3>&- &
	pid=$!
	wait_until 10 eval 'compgen -G "$T/ctl/hook.*" >/dev/null' || fail "the createRuntime hook did not run"
	kill -KILL "$pid"
	wait "$pid" || true
	cpid=$(record_field "$id" pid)
	[ -n "$cpid" ] || fail "no first state.json with the container's pid"
	assert_equal "true" "$(record_field "$id" nsboxCreating)" "marked as being created"
	assert_equal "$pid" "$(record_field "$id" nsboxCreatorPid)" "the creator's pid"
	oci_ok state "$id"
	assert_equal "creating" "$(jq -r .status <<<"$output")" "status"
	assert_equal "$cpid" "$(jq -r .pid <<<"$output")" "pid"
	oci_ok list
	assert_output_contains "creating"
	oci start "$id"
	assert_error 125 "cannot start container '$id': it is creating, not created"
	oci exec "$id" true
	assert_error 125 "cannot exec in container '$id': it is creating, not running"
	# The hook (sleep 30) outlives its nsbox: end it, it is not the container.
	kill_marked_hooks
	oci delete "$id"
	assert_success
	[ ! -e "$STATE/$id" ] || fail "state dir left"
	pid_dead "$cpid" || fail "process $cpid left"
	assert_nothing_left
}

# kill_marked_hooks: end the test's createRuntime hooks (sh -c '...; sleep N' MARKER).
kill_marked_hooks() {
	local p
	for p in $(pids_with_marker "$MARKER"); do
		[[ "$(cmdline "$p")" == "sh -c touch "* ]] && kill -KILL "$p" 2>/dev/null
	done
	return 0
}

@test "a create killed after CREATED (its process blocked in open(exec.fifo)): delete kills that process; create of the id cleans it first" {
	local id="cr-$MARKER" pid cpid cstart
	make_sleeping_bundle
	edit_config "$B" '.process.terminal = true'
	[ -x "$NSBOX_RECVTTY" ] || die_setup "no $NSBOX_RECVTTY (meson compile builds tests/helpers)"
	# A console socket whose connect() blocks: nsbox stops right after CREATED.
	"$NSBOX_RECVTTY" --stall "$T/stall.sock" 60 3>&- &
	track_pid $!
	wait_until 5 test -S "$T/stall.sock" || fail "the stalling socket did not listen"
	"$NSBOX" --root "$STATE" create --bundle "$B" --console-socket "$T/stall.sock" "$id" </dev/null >/dev/null 2>&1 3>&- &
	pid=$!
	track_pid "$pid"
	wait_until 10 in_fifo_open "$id" || fail "the container process did not block in open(exec.fifo)"
	cpid=$(record_field "$id" pid)
	cstart=$(record_field "$id" nsboxStartTime)
	kill -KILL "$pid"
	wait "$pid" || true
	same_process_alive "$cpid" "$cstart" || fail "the orphan should be alive before the clean-up"
	assert_equal "creating" "$(state_field "$id" status)" "status"
	# A create of the same id kills the orphan and removes the record first.
	edit_config "$B" '.process.terminal = false'
	oci create --bundle "$B" "$id"
	assert_success
	! same_process_alive "$cpid" "$cstart" || fail "the orphan $cpid is still alive"
	assert_equal "created" "$(state_field "$id" status)" "status of the new container"
	assert_not_equal "$cpid" "$(state_field "$id" pid)" "a new process"
	oci_ok delete --force "$id"
	assert_nothing_left
}

@test "a create killed after CREATED: delete --force kills the orphan and removes the record" {
	local id="cf-$MARKER" pid cpid cstart
	make_sleeping_bundle
	edit_config "$B" '.process.terminal = true'
	"$NSBOX_RECVTTY" --stall "$T/stall.sock" 60 3>&- &
	track_pid $!
	wait_until 5 test -S "$T/stall.sock" || fail "the stalling socket did not listen"
	"$NSBOX" --root "$STATE" create --bundle "$B" --console-socket "$T/stall.sock" "$id" </dev/null >/dev/null 2>&1 3>&- &
	pid=$!
	track_pid "$pid"
	wait_until 10 in_fifo_open "$id" || fail "the container process did not block in open(exec.fifo)"
	cpid=$(record_field "$id" pid)
	cstart=$(record_field "$id" nsboxStartTime)
	kill -KILL "$pid"
	wait "$pid" || true
	oci_ok list --format json
	assert_equal "$id creating $cpid" "$(jq -r '.[] | "\(.id) \(.status) \(.pid)"' <<<"$output")" "list"
	oci_ok delete --force "$id"
	! same_process_alive "$cpid" "$cstart" || fail "the orphan $cpid is still alive"
	[ ! -e "$STATE/$id" ] || fail "state dir left"
	assert_nothing_left
}

@test "a record without state.json (its creator died before the first write): list skips it, state shows it creating, delete --force removes it, create works" {
	local id="e-$MARKER"
	make_sleeping_bundle
	# What 7 of 30 killed creates left before: only a lock and exec.fifo.
	mkdir -p "$STATE/$id" && chmod 0700 "$STATE" "$STATE/$id"
	touch "$STATE/$id/lock" && mkfifo "$STATE/$id/exec.fifo"
	oci_ok list --quiet
	assert_equal "" "$output" "list"
	# Known to state (creating, for ever: only delete removes it), so that
	# its taken name is never a mystery.
	oci_ok state "$id"
	assert_equal "creating 0" "$(jq -r '"\(.status) \(.pid)"' <<<"$output")" "state of the leftover"
	oci delete --force "$id"
	assert_success
	[ ! -e "$STATE/$id" ] || fail "state dir left: $(ls -A "$STATE/$id")"
	# An empty directory (died between mkdir and the lock), then create.
	mkdir "$STATE/$id"
	oci create --bundle "$B" "$id"
	assert_success
	assert_equal "created" "$(state_field "$id" status)" "status"
	oci_ok delete --force "$id"
	assert_nothing_left
}

@test "a complete record is never taken for a leftover: create of a live id fails, the container lives on" {
	local id="live-$MARKER"
	make_sleeping_bundle
	create_running "$id"
	oci create --bundle "$B" "$id"
	assert_error 125 "container '$id' already exists"
	assert_equal "running" "$(state_field "$id" status)" "status"
	pid_alive "$PID" || fail "the container died"
	oci_ok delete --force "$id"
	assert_nothing_left
}

# ---------------------------------------------------------------------------
# exec trusts nothing of the bundle after create

@test "exec uses the config.json create checked: an edited bundle gives no capability and keeps no_new_privs" {
	local id="cfg-$MARKER" before
	make_sleeping_bundle
	create_running "$id"
	[ "$(stat -c %a "$STATE/$id/config.json")" = 600 ] || fail "the kept config.json is not 0600"
	cmp -s "$B/config.json" "$STATE/$id/config.json" || fail "the kept config.json differs from the bundle's"
	oci_ok exec "$id" grep -E '^(CapBnd|CapEff|CapPrm|NoNewPrivs)' /proc/self/status
	before=$output
	assert_output_contains "NoNewPrivs:	1"
	# The attack: the bundle is edited after create.
	edit_config "$B" '.process.capabilities |= with_entries(.value += ["CAP_SYS_ADMIN"])
		| .process.noNewPrivileges = false | .process.env += ["FROM_EDIT=1"]'
	oci_ok exec "$id" grep -E '^(CapBnd|CapEff|CapPrm|NoNewPrivs)' /proc/self/status
	assert_equal "$before" "$output" "capabilities and no_new_privs of an exec after the edit"
	oci_ok exec "$id" env
	assert_output_not_contains "FROM_EDIT"
	# Even with no bundle at all.
	mv "$B/config.json" "$B/config.json.gone"
	oci_ok exec "$id" grep NoNewPrivs /proc/self/status
	assert_equal "NoNewPrivs:	1" "$output" "exec without a bundle config"
	oci_ok delete --force "$id"
	assert_nothing_left
}

@test "exec into a run --name sandbox gets its process and security (its plan, kept as config.json)" {
	local name="n-$MARKER"
	run_nsbox --root "$STATE" run --name "$name" --detach --rootfs "$ROOTFS" --clearenv \
		--env PATH=/bin:/sbin --env KEPT=yes -- sleep "$MARKER"
	assert_success
	[ -e "$STATE/$name/config.json" ] || fail "no config.json kept for a run --name sandbox"
	oci_ok exec "$name" sh -c 'echo $PATH $KEPT; grep -E "^(CapEff|NoNewPrivs|Seccomp):" /proc/self/status'
	assert_equal "/bin:/sbin yes
CapEff:	00000000800405fb
NoNewPrivs:	1
Seccomp:	2" "$output" "the sandbox's environment and security"
	oci_ok delete --force "$name"
	assert_nothing_left
}

# ---------------------------------------------------------------------------
# --pid-file and planted symlinks

# plant_pid_symlinks DIR: DIR (writable by the test user) holds symlinks
# pid and pid.nsbox-tmp to $T/victim, as another user could plant them.
plant_pid_symlinks() {
	mkdir -p "$1" && chmod 1777 "$1"
	echo precious >"$T/victim"
	ln -s "$T/victim" "$1/pid.nsbox-tmp"
	ln -s "$T/victim" "$1/pid"
	chown -h "$(test_user_uid)" "$1/pid" "$1/pid.nsbox-tmp"
}

# assert_pid_file DIR PID: the victim is unchanged, DIR/pid is a regular
# file holding PID, and no temporary file is left in DIR.
assert_pid_file() {
	assert_equal "precious" "$(cat "$T/victim")" "the victim file" || return 1
	[ -f "$1/pid" ] && [ ! -L "$1/pid" ] || fail "$1/pid is not a regular file" || return 1
	assert_equal "$2" "$(cat "$1/pid")" "the pid file" || return 1
	assert_equal "pid
pid.nsbox-tmp" "$(ls -A "$1")" "what the directory holds"
}

@test "--pid-file: symlinks planted at the pid file and its old temporary name are replaced, never written through (create)" {
	local id="pf-$MARKER"
	make_sleeping_bundle
	plant_pid_symlinks "$T/shared"
	oci_ok create --bundle "$B" --pid-file "$T/shared/pid" "$id"
	assert_pid_file "$T/shared" "$(state_field "$id" pid)"
	oci_ok delete --force "$id"
	assert_nothing_left
}

@test "--pid-file: planted symlinks (run --bundle -d and exec --pid-file)" {
	local id="pr-$MARKER" xpid
	make_sleeping_bundle
	plant_pid_symlinks "$T/shared"
	oci_ok run -d --bundle "$B" --pid-file "$T/shared/pid" "$id"
	assert_pid_file "$T/shared" "$(state_field "$id" pid)"
	plant_pid_symlinks "$T/shared2"
	oci_ok exec -d --pid-file "$T/shared2/pid" "$id" sleep "$MARKER"
	xpid=$(cat "$T/shared2/pid")
	assert_pid_file "$T/shared2" "$xpid"
	[[ "$(cmdline "$xpid")" == "sleep $MARKER" ]] || fail "the pid file names $xpid: $(cmdline "$xpid")"
	oci_ok delete --force "$id"
	assert_nothing_left
}

# ---------------------------------------------------------------------------
# Container ids

@test "ids starting with '-' are refused before anything is made" {
	make_sleeping_bundle
	oci create --bundle "$B" -- "-x$MARKER"
	assert_error 125 "container id '-x$MARKER': must not start with '-'"
	oci run --bundle "$B" -- "-r$MARKER"
	assert_error 125 "must not start with '-'"
	run_nsbox --root "$STATE" run --name "-n$MARKER" -- true
	assert_status 125
	assert_nsbox_error "must not start with '-'"
	assert_nothing_left
}

@test "an id with a newline: one error is one line on stderr and in the --log file" {
	make_sleeping_bundle
	oci --log "$T/log" create --bundle "$B" $'evil\n2030-01-01T00:00:00Z error: forged'
	assert_status 125
	assert_equal 2 "$(wc -l <"$OCI_ERR")" "stderr lines (the error and the usage hint)"
	assert_nsbox_error "container id 'evil\\n2030-01-01T00:00:00Z error: forged'"
	assert_equal 1 "$(wc -l <"$T/log")" "lines in the --log file"
	grep -q "error: container id 'evil\\\\n2030" "$T/log" || fail "the log line: $(cat "$T/log")"
	oci --log "$T/log" kill $'a\tb\x01' KILL
	assert_status 125
	assert_equal 2 "$(wc -l <"$T/log")" "lines in the --log file after a second error"
	grep -q "container id 'a\\\\tb\\\\x01'" "$T/log" || fail "the escaped control characters: $(cat "$T/log")"
	assert_nothing_left
}
