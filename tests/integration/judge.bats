#!/usr/bin/env bats
# Judged runs (nsbox run --time-limit ... --report FILE): the verdict matrix,
# each run's report checked field by field, and nothing left behind (no
# process, mount or cgroup); the standard streams, the output limit, the
# meta file; rootless. On this host's hybrid layout and on pure cgroup v2
# (tests/vm/v2vm.sh runs this file there too).
#
#   NSBOX_JUDGEPROG  the misbehaving programs (tests/helpers/judgeprog.c)
#   JUDGE_SLACK_MS   how far past a time limit the kill may come (default 60)

load helpers

NSBOX_JUDGEPROG=${NSBOX_JUDGEPROG:-$(dirname "$NSBOX")/tests/helpers/nsbox-judgeprog}
SLACK=${JUDGE_SLACK_MS:-60}

setup() {
	nsbox_setup || return 1
	[ -x "$NSBOX_JUDGEPROG" ] || die_setup "no $NSBOX_JUDGEPROG (meson compile -C build)" || return 1
	if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then V2=1; else V2=; fi
	MARKER=$(new_marker)
	# A sandbox sees the host's / but a /tmp of its own: the program goes
	# where it can see it (the build, in a clone under /tmp, may be hidden).
	PROGDIR=$(mktemp -d /var/tmp/nsbox-judge.XXXXXX) || die_setup "mktemp in /var/tmp" || return 1
	track_dir "$PROGDIR"
	cp "$NSBOX_JUDGEPROG" "$PROGDIR/nsbox-judgeprog" && chmod 0755 "$PROGDIR" ||
		die_setup "cannot copy $NSBOX_JUDGEPROG" || return 1
	P=("$PROGDIR/nsbox-judgeprog" "@$MARKER")
	# Every sandbox's cgroup under a parent of the test's own, so that
	# a leftover is ours to see (other tests may run meanwhile).
	PARENT=/nsbox-judge-$MARKER
	new_tempdir T
	R=$T/report.json
	on_teardown 'kill_marked "$MARKER"'
	on_teardown 'cg_cleanup'
	MOUNTS_BEFORE=$(mount_lines)
}

# The host's mounts ("MOUNTPOINT FSTYPE"), less those other tests on this
# shared machine make meanwhile (their temporary directories, /run/netns).
mount_lines() {
	awk '{ print $5, $9 }' /proc/self/mountinfo | sort |
		grep -vE '^(/run/netns|/tmp/nsbox-test\.|/tmp/bats-run)' || true
	awk '{ print $5, $9 }' /proc/self/mountinfo | grep -F "$T" | sort || true
}

cg_cleanup() {
	local d
	for d in /sys/fs/cgroup"$PARENT" /sys/fs/cgroup/*"$PARENT"; do
		[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	return 0
}

# judge ARGS... -- COMMAND...: nsbox run with a report and our cgroup parent.
judge() {
	run_nsbox run --cgroup-parent "$PARENT" --report "$R" "$@"
}

# assert_nothing_left: no process of the run, no new mount, no cgroup
# under our parent.
assert_nothing_left() {
	assert_no_marked_process "$MARKER" 2 || return 1
	assert_equal "$MOUNTS_BEFORE" "$(mount_lines)" "the host's mounts before/after" || return 1
	local left
	left=$(find /sys/fs/cgroup"$PARENT" /sys/fs/cgroup/*"$PARENT" -mindepth 1 -type d 2>/dev/null || true)
	assert_equal "" "$left" "cgroups left under $PARENT"
}

# jq_is FILTER EXPECTED [WHAT]: the report's FILTER (jq -c) is EXPECTED.
jq_is() {
	assert_equal "$2" "$(jq -c "$1" "$R")" "${3:-report $1}"
}

# jq_true CONDITION...: each jq CONDITION holds on the report.
jq_true() {
	local c
	for c in "$@"; do
		jq -e "$c" "$R" >/dev/null || fail "report: '$c' is false in: $(cat "$R")" || return 1
	done
}

REPORT_KEYS='["cpu_sys_ms","cpu_time_ms","cpu_user_ms","exit_code","exit_status","involuntary","killed","limit","limits","memory_peak_bytes","message","oom_killed","pids_peak","signal","status","version","voluntary","wall_time_ms"]'

# assert_report "STATUS LIMIT MESSAGE" EXIT_STATUS EXIT_CODE SIGNAL KILLED OOM
#   LIMITS-JSON: the report's verdict fields exactly, its keys, and figures
#   that are numbers in range for a run that ran (null for XX).
assert_report() {
	local verdict=$1 status=$2 code=$3 sig=$4 killed=$5 oom=$6 limits=$7
	[ -s "$R" ] || fail "no report at $R" || return 1
	jq_is 'keys' "$REPORT_KEYS" "the report's fields" || return 1
	jq_is '.version' 1 || return 1
	assert_equal "$verdict" "$(jq -r '"\(.status) \(.limit) \(.message)"' "$R")" "status limit message" || return 1
	jq_is '[.exit_status, .exit_code, .signal, .killed, .oom_killed]' "[$status,$code,$sig,$killed,$oom]" \
		"exit_status exit_code signal killed oom_killed" || return 1
	jq_is '.limits' "$limits" "the limits set" || return 1
	if [ "${verdict%% *}" = XX ]; then
		jq_is '[.cpu_time_ms,.cpu_user_ms,.cpu_sys_ms,.wall_time_ms,.memory_peak_bytes,.pids_peak,.voluntary,.involuntary]' \
			'[null,null,null,null,null,null,null,null]' "no figures for XX"
		return
	fi
	jq_true '.cpu_time_ms >= 0' '.cpu_user_ms >= 0' '.cpu_sys_ms >= 0' '.wall_time_ms > 0' \
		'(.cpu_user_ms + .cpu_sys_ms - .cpu_time_ms) | fabs < 0.01' \
		'.memory_peak_bytes > 0' '.pids_peak >= 1' '.voluntary >= 0' '.involuntary >= 0'
}

# limits JSON with the given fields set (the rest null; core 0).
limits() {
	jq -cn --argjson set "${1:-{\}}" '{cpu_ms:null,wall_ms:null,extra_ms:null,memory_bytes:null,pids:null,
		output_bytes:null,fsize_bytes:null,nofile:null,stack_bytes:null,core_bytes:0,as_bytes:null} + $set'
}

# ---------------------------------------------------------------------------
# Time

@test "CPU spin, 1 thread, --time-limit 0.5: TO cpu, killed within the slack" {
	judge --time-limit 0.5 -- "${P[@]}" spin 1
	assert_status 137 || return 1
	assert_report "TO cpu Time limit exceeded" 137 null 9 true false "$(limits '{"cpu_ms":500}')" || return 1
	jq_true '.cpu_time_ms >= 500' ".cpu_time_ms <= 500 + $SLACK" || return 1
	assert_nothing_left
}

@test "CPU spin, 8 threads, --time-limit 0.5: TO cpu, no overshoot from the threads" {
	judge --time-limit 0.5 -- "${P[@]}" spin 8
	assert_status 137 || return 1
	assert_report "TO cpu Time limit exceeded" 137 null 9 true false "$(limits '{"cpu_ms":500}')" || return 1
	jq_true '.cpu_time_ms >= 500' ".cpu_time_ms <= 500 + $SLACK" || return 1
	assert_nothing_left
}

@test "sleep 100 with --wall-time-limit 1: TO wall, at 1 s" {
	judge --wall-time-limit 1 -- "${P[@]}" sleep 100000
	assert_status 137 || return 1
	assert_report "TO wall Time limit exceeded (wall clock)" 137 null 9 true false "$(limits '{"wall_ms":1000}')" || return 1
	jq_true '.wall_time_ms >= 1000' ".wall_time_ms <= 1000 + $SLACK" '.cpu_time_ms < 100' || return 1
	assert_nothing_left
}

@test "a program that SIGSTOPs itself: TO wall all the same" {
	judge --wall-time-limit 0.5 --time-limit 5 -- "${P[@]}" stop
	assert_status 137 || return 1
	assert_report "TO wall Time limit exceeded (wall clock)" 137 null 9 true false \
		"$(limits '{"cpu_ms":5000,"wall_ms":500}')" || return 1
	jq_true '.wall_time_ms >= 500' ".wall_time_ms <= 500 + $SLACK" || return 1
	assert_nothing_left
}

@test "a program that blocks and ignores every signal: TO cpu" {
	judge --time-limit 0.3 -- "${P[@]}" spin-blocked
	assert_status 137 || return 1
	assert_report "TO cpu Time limit exceeded" 137 null 9 true false "$(limits '{"cpu_ms":300}')" || return 1
	jq_true ".cpu_time_ms <= 300 + $SLACK" || return 1
	assert_nothing_left
}

@test "a program whose grandchild spins in a session of its own: the CPU counts, TO cpu" {
	judge --time-limit 0.3 -- "${P[@]}" forkaway
	assert_status 137 || return 1
	assert_report "TO cpu Time limit exceeded" 137 null 9 true false "$(limits '{"cpu_ms":300}')" || return 1
	jq_true '.pids_peak >= 3' ".cpu_time_ms <= 300 + $SLACK" || return 1
	assert_nothing_left
}

@test "forked away without a pid namespace (--share pid): killed with the cgroup" {
	judge --share pid --time-limit 0.3 -- "${P[@]}" forkaway
	assert_status 137 || return 1
	assert_report "TO cpu Time limit exceeded" 137 null 9 true false "$(limits '{"cpu_ms":300}')" || return 1
	assert_nothing_left
}

@test "--extra-time: over the limit but ended within the grace: TO, not killed, its real time" {
	judge --time-limit 0.2 --extra-time 2 -- "${P[@]}" burn 400
	assert_status 0 || return 1
	assert_report "TO cpu Time limit exceeded" 0 0 null false false \
		"$(limits '{"cpu_ms":200,"extra_ms":2000}')" || return 1
	jq_true '.cpu_time_ms >= 400' '.cpu_time_ms < 2200' || return 1
	assert_nothing_left
}

@test "--extra-time: killed at the limit plus the grace" {
	judge --time-limit 0.2 --extra-time 0.2 -- "${P[@]}" spin
	assert_status 137 || return 1
	assert_report "TO cpu Time limit exceeded" 137 null 9 true false \
		"$(limits '{"cpu_ms":200,"extra_ms":200}')" || return 1
	jq_true '.cpu_time_ms >= 400' ".cpu_time_ms <= 400 + $SLACK" || return 1
	assert_nothing_left
}

@test "within the limits: OK, with the figures" {
	judge --time-limit 2 --wall-time-limit 5 --memory 64m --pids 32 -- "${P[@]}" burn 100
	assert_success || return 1
	assert_report "OK null null" 0 0 null false false \
		"$(limits '{"cpu_ms":2000,"wall_ms":5000,"memory_bytes":67108864,"pids":32}')" || return 1
	jq_true '.cpu_time_ms >= 100' '.cpu_time_ms < 1000' \
		'.memory_peak_bytes < 67108864' '.pids_peak <= 3' || return 1
	assert_nothing_left
}

# ---------------------------------------------------------------------------
# Memory and processes

@test "memory bomb with --memory 32M: ML, oom_killed, the peak at the limit" {
	judge --memory 32M --time-limit 10 -- "${P[@]}" membomb
	assert_status 137 || return 1
	assert_report "ML memory Memory limit exceeded" 137 null 9 true true \
		"$(limits '{"cpu_ms":10000,"memory_bytes":33554432}')" || return 1
	jq_true '.memory_peak_bytes > 30000000' '.memory_peak_bytes <= 33554432' || return 1
	assert_nothing_left
}

@test "/dev/shm bomb with --memory 32M: ML (tmpfs pages count against the limit)" {
	judge --memory 32M --time-limit 10 -- "${P[@]}" shmbomb
	assert_status 137 || return 1
	assert_report "ML memory Memory limit exceeded" 137 null 9 true true \
		"$(limits '{"cpu_ms":10000,"memory_bytes":33554432}')" || return 1
	jq_true '.memory_peak_bytes > 30000000' '.memory_peak_bytes <= 33554432' || return 1
	assert_nothing_left
}

@test "fork bomb with --pids 16: never more than 16; RE pids at once (v2), or at the wall limit (v1)" {
	judge --pids 16 --wall-time-limit 2 -- "${P[@]}" forkbomb
	assert_status 137 || return 1
	if [ -n "$V2" ]; then
		assert_report "RE pids Process limit exceeded" 137 null 9 true false \
			"$(limits '{"wall_ms":2000,"pids":16}')" || return 1
		jq_true '.wall_time_ms < 1000' || return 1
	else
		# cgroup v1 counts refused forks but wakes no poller.
		assert_report "TO wall Time limit exceeded (wall clock)" 137 null 9 true false \
			"$(limits '{"wall_ms":2000,"pids":16}')" || return 1
	fi
	jq_is '.pids_peak' 16 || return 1
	assert_nothing_left
}

# ---------------------------------------------------------------------------
# Exit, signals, files and output

@test "exit 3: RE" {
	judge -- "${P[@]}" exit 3
	assert_status 3 || return 1
	assert_report "RE null Exited with error status 3" 3 3 null false false "$(limits)" || return 1
	assert_nothing_left
}

@test "SIGSEGV: SG 11; an exit 139 of its own stays RE" {
	judge -- "${P[@]}" segv
	assert_status 139 || return 1
	assert_report "SG null Caught fatal signal 11" 139 null 11 false false "$(limits)" || return 1
	judge -- "${P[@]}" exit 139
	assert_status 139 || return 1
	assert_report "RE null Exited with error status 139" 139 139 null false false "$(limits)" || return 1
	assert_nothing_left
}

@test "SIGSEGV with --no-init: SG 11" {
	judge --no-init -- "${P[@]}" segv
	assert_status 139 || return 1
	assert_report "SG null Caught fatal signal 11" 139 null 11 false false "$(limits)" || return 1
	assert_nothing_left
}

@test "writing past --fsize: OL fsize (SIGXFSZ)" {
	judge --fsize 1m -- "${P[@]}" write /tmp/big 2000000
	assert_status 153 || return 1
	assert_report "OL fsize File size limit exceeded" 153 null 25 false false "$(limits '{"fsize_bytes":1048576}')" || return 1
	assert_nothing_left
}

@test "output flood past --output-limit: OL output, the file holds exactly the limit" {
	judge --output-limit 1m --stdout "$T/out" -- "${P[@]}" flood
	assert_status 137 || return 1
	assert_report "OL output Output limit exceeded" 137 null 9 true false "$(limits '{"output_bytes":1048576}')" || return 1
	assert_equal 1048576 "$(stat -c %s "$T/out")" "bytes in --stdout" || return 1
	assert_nothing_left
}

@test "--output-limit is exact: the limit is OK, one byte more is OL, stdout and stderr together" {
	judge --output-limit 1000 --stdout "$T/out" -- "${P[@]}" print 1000
	assert_success || return 1
	assert_report "OK null null" 0 0 null false false "$(limits '{"output_bytes":1000}')" || return 1
	assert_equal 1000 "$(stat -c %s "$T/out")" "bytes in --stdout" || return 1
	judge --output-limit 1000 --stdout "$T/out" -- "${P[@]}" print 1001
	assert_report "OL output Output limit exceeded" "$status" "$(jq .exit_code "$R")" "$(jq .signal "$R")" \
		"$(jq .killed "$R")" false "$(limits '{"output_bytes":1000}')" || return 1
	assert_equal 1000 "$(stat -c %s "$T/out")" "bytes in --stdout" || return 1
	run_nsbox run --cgroup-parent "$PARENT" --report "$R" --output-limit 1000 --stdout "$T/out" \
		--stderr "$T/err" -- sh -c "'${P[0]}' print 600; '${P[0]}' print 401 >&2"
	assert_report "OL output Output limit exceeded" "$status" "$(jq .exit_code "$R")" "$(jq .signal "$R")" \
		"$(jq .killed "$R")" false "$(limits '{"output_bytes":1000}')" || return 1
	assert_equal "600 400" "$(stat -c %s "$T/out") $(stat -c %s "$T/err")" "bytes in --stdout, --stderr" || return 1
	assert_nothing_left
}

@test "a program that closes its stdout: OK, the relay is not confused" {
	judge --output-limit 1k --stdout "$T/out" --time-limit 2 -- "${P[@]}" closeout
	assert_success || return 1
	assert_report "OK null null" 0 0 null false false "$(limits '{"cpu_ms":2000,"output_bytes":1024}')" || return 1
	judge --stdout "$T/out" -- "${P[@]}" closeout
	assert_success || return 1
	assert_nothing_left
}

# ---------------------------------------------------------------------------
# nsbox's own failures: XX, never the program's fault

@test "nsbox fails (a missing --rootfs): XX, 125, the message in the report" {
	judge --time-limit 1 --rootfs "$T/none" -- true
	assert_status 125 || return 1
	assert_nsbox_error "--rootfs '$T/none'" || return 1
	assert_report "XX null --rootfs '$T/none': No such file or directory" 125 null null false false \
		"$(limits '{"cpu_ms":1000}')" || return 1
	assert_nothing_left
}

@test "nsbox fails in the sandbox (an rlimit the kernel refuses): XX, 125" {
	# Above fs.nr_open: refused even with CAP_SYS_RESOURCE.
	judge --nofile 1073741824 -- true
	assert_status 125 || return 1
	assert_nsbox_error "RLIMIT_NOFILE" || return 1
	jq_true '.status == "XX"' '.exit_status == 125' '(.message | test("RLIMIT_NOFILE"))' '.cpu_time_ms == null' || return 1
	assert_nothing_left
}

@test "a command that is not there: XX with 127, not blamed on a program that never ran" {
	run_nsbox -127 run --cgroup-parent "$PARENT" --report "$R" -- /nonexistent/prog
	assert_status 127 || return 1
	assert_report "XX null exec '/nonexistent/prog': command not found" 127 null null false false "$(limits)" || return 1
	assert_nothing_left
}

@test "a report that cannot be written: the run does not start" {
	run_nsbox run --report "$T/no/such/dir/r.json" -- "${P[@]}" exit 0
	assert_status 125 || return 1
	assert_nsbox_error "--report '$T/no/such/dir/r.json'" "No such file or directory" || return 1
	assert_nothing_left
}

@test "the report is replaced atomically: a symlink planted at its path is not followed" {
	ln -s "$T/target" "$R"
	judge -- "${P[@]}" exit 0
	assert_success || return 1
	[ ! -L "$R" ] && [ ! -e "$T/target" ] || fail "the report went through the symlink" || return 1
	assert_report "OK null null" 0 0 null false false "$(limits)" || return 1
	[ -z "$(find "$T" -name '*.nsbox-tmp')" ] || fail "a temporary file left"
}

# ---------------------------------------------------------------------------
# The standard streams and passed fds

@test "--stdin, --stdout, --stderr: opened by nsbox; a symlink at the path is refused" {
	printf 'in put\n' >"$T/in"
	run_nsbox run --stdin "$T/in" --stdout "$T/out" --stderr "$T/err" -- sh -c 'cat; echo E >&2'
	assert_success || return 1
	assert_equal "in put|E" "$(cat "$T/out")|$(cat "$T/err")" "stdout|stderr" || return 1
	ln -s "$T/in" "$T/link"
	run_nsbox run --stdout "$T/link" -- true
	assert_status 125 || return 1
	assert_nsbox_error "--stdout '$T/link': a symbolic link (not followed)" || return 1
	assert_equal "in put" "$(cat "$T/in")" "the symlink's target untouched" || return 1
	run_nsbox run --stdin "$T/missing" -- true
	assert_status 125 || return 1
	assert_nsbox_error "--stdin '$T/missing': No such file or directory"
}

@test "--stderr-to-stdout, with and without --stdout" {
	run_nsbox run --stdout "$T/out" --stderr-to-stdout -- sh -c 'echo O; echo E >&2'
	assert_success || return 1
	assert_equal $'O\nE' "$(cat "$T/out")" "both in --stdout" || return 1
	run_nsbox run --stderr-to-stdout -- sh -c 'echo E >&2'
	assert_success || return 1
	assert_equal "E" "$output" "stderr on nsbox's stdout" || return 1
	assert_stderr_empty
}

@test "--inherit-fd: an interactor and a solution connected by pipes" {
	mkfifo "$T/a" "$T/b"
	# The solution echoes what it reads on fd 3 to fd 4; the interactor
	# on the other side sends a line and reads the answer.
	(exec 3<"$T/a" 4>"$T/b"; exec "$NSBOX" run --inherit-fd 3 --inherit-fd 4 -- sh -c 'read l <&3; echo "got $l" >&4') &
	track_pid $!
	exec 5>"$T/a" 6<"$T/b"
	echo hello >&5
	exec 5>&-
	read -r answer <&6
	exec 6<&-
	assert_equal "got hello" "$answer" "the solution's answer" || return 1
	run_nsbox run --inherit-fd 9 -- true
	assert_status 125 || return 1
	assert_nsbox_error "--inherit-fd 9: Bad file descriptor"
}

@test "an fd not passed does not reach the command" {
	exec 7<"$T"
	run_nsbox run -- sh -c 'ls /proc/self/fd'
	exec 7<&-
	assert_success || return 1
	assert_no_line_in_output 7
}

# ---------------------------------------------------------------------------
# The meta file, signals, rootless

@test "--meta: isolate's keys" {
	run_nsbox run --cgroup-parent "$PARENT" --meta "$T/meta" --time-limit 0.3 -- "${P[@]}" spin
	assert_status 137 || return 1
	assert_equal "time time-wall max-rss cg-mem csw-voluntary csw-forced exitsig killed status message" \
		"$(cut -d: -f1 "$T/meta" | tr '\n' ' ' | sed 's/ $//')" "the meta file's keys" || return 1
	grep -qx 'status:TO' "$T/meta" && grep -qx 'exitsig:9' "$T/meta" && grep -qx 'killed:1' "$T/meta" &&
		grep -qx 'message:Time limit exceeded' "$T/meta" && grep -qE '^time:0\.[3-9][0-9]{2}$' "$T/meta" ||
		fail "meta: $(cat "$T/meta")" || return 1
	run_nsbox run --cgroup-parent "$PARENT" --meta "$T/meta" --memory 32m -- "${P[@]}" membomb
	grep -qx 'cg-oom-killed:1' "$T/meta" && grep -qx 'status:SG' "$T/meta" || fail "meta: $(cat "$T/meta")" || return 1
	run_nsbox run --cgroup-parent "$PARENT" --meta "$T/meta" -- "${P[@]}" exit 0
	assert_equal "" "$(grep -E '^(status|killed|message):' "$T/meta")" "nothing of a verdict for OK" || return 1
	grep -qx 'exitcode:0' "$T/meta" || fail "meta: $(cat "$T/meta")" || return 1
	assert_nothing_left
}

@test "SIGTERM to nsbox is passed on: SG 15, and the report is written" {
	"$NSBOX" run --cgroup-parent "$PARENT" --report "$R" --wall-time-limit 20 -- "${P[@]}" sleep 100000 &
	local pid=$!
	track_pid "$pid"
	started() { [ "$(pids_with_marker "$MARKER" | wc -l)" -ge 2 ]; }
	wait_until 5 started || fail "the program did not start" || return 1
	sleep 0.2
	kill -TERM "$pid"
	local st=0
	wait "$pid" || st=$?
	assert_equal 143 "$st" "nsbox's status" || return 1
	assert_report "SG null Caught fatal signal 15" 143 null 15 false false "$(limits '{"wall_ms":20000}')" || return 1
	assert_nothing_left
}

@test "rootless: a judged run without a delegated cgroup is a clear error, and an XX report" {
	[ -z "$(id -u nsbox-test 2>/dev/null)" ] && skip "no test user"
	chmod 0777 "$T"
	run_nsbox_as_user run --time-limit 1 --report "$T/ru.json" -- true
	assert_status 125 || return 1
	assert_nsbox_error "needs a cgroup of its own, which a rootless sandbox may make only in a delegated cgroup v2 subtree" || return 1
	R=$T/ru.json
	jq_true '.status == "XX"' '.exit_status == 125' '(.message | test("delegated cgroup v2 subtree"))' || return 1
	run_nsbox_as_user run --memory 32m -- true
	assert_status 125 || return 1
	assert_nsbox_error "the limits of a rootless sandbox need a cgroup it may make" || return 1
	# Streams and rlimits need no cgroup.
	run_nsbox_as_user run --stdout "$T/uo" --fsize 1k --nofile 32 -- sh -c 'ulimit -n; ulimit -f'
	assert_success || return 1
	assert_equal $'32\n2' "$(cat "$T/uo")" "the rlimits inside (ulimit -f counts 512-byte blocks)"
}
