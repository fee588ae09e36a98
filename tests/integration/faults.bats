#!/usr/bin/env bats
# Faults (issue 11 §2): every set-up step of nsbox failing, nsbox killed at
# random points, and a state root or /tmp that is full or read-only. Each
# must end in a clean error (exit 125 and one line "nsbox: ..."; or, for a
# best-effort step or a failure of the contained command itself, in the
# command's own success), never in a hang, a crash or a sanitizer report,
# and leave nothing behind: no process, no mount, no cgroup, no state.
#
# The injection walk: a clean run is traced (strace -f) first; for each
# syscall of FAULT_SET, N is the most calls of it in one process (strace
# counts each traced process on its own); then `when=1..N` each get EIO
# (strace -f -e inject=SYSCALL:error=EIO:when=K), in every process of the
# command at once (nsbox, its child, the container's init). The cap: at most
# NSBOX_FAULT_CAP (default 100) points a syscall; past that, one call in every
# ceil(N / cap), over the whole range. At the time of writing no syscall
# passes 100 (openat: 84 in run, 75 in create), so all are walked: about 225
# points for run, 280 for create, 21 for start, 36 for exec, 60 for delete.
# The whole file runs in 1.5 to 2.5 minutes (plain build), 3 with ASan.
#
#   NSBOX_TEST_KILLS  SIGKILL trials in all (default 100), over run, create,
#                     start, exec and delete
#   NSBOX_FAULT_CAP   most injection points per syscall and command

load helpers
load oci-helpers

# Every syscall that makes something: processes, namespaces, mounts, device
# nodes, directories (cgroups, the state), files (cgroup files, id maps,
# the state's files, written through openat and write), renames, links.
FAULT_SET=clone3,unshare,setns,mount,move_mount,open_tree,fsopen,fsmount,fsconfig,mount_setattr,pivot_root,mknod,mknodat,mkdir,mkdirat,symlinkat,linkat,openat,openat2,write,rename,renameat,renameat2
FAULT_CAP=${NSBOX_FAULT_CAP:-100}
FAULT_TIMEOUT=30
# LeakSanitizer cannot run under ptrace (a sanitizer build): off for the
# commands strace runs. (ASan and UBSan stay on.)
TRACED_ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0

setup() {
	oci_setup || return 1
	command -v strace >/dev/null || die_setup "strace missing (apt-get install strace)" || return 1
	ID=flt-$MARKER
	# nsbox run's cgroups go under this parent, ours alone.
	CGP=/nsbox-flt-$MARKER
	on_teardown 'flt_cgroup_cleanup'
	MOUNTS_BEFORE=$(flt_mounts)
	FAULT_OK=0 FAULT_ERR=0
}

# The test's cgroups: run's parent, and the OCI containers' /nsbox/ID.
flt_cgroup_cleanup() {
	local d
	for d in /sys/fs/cgroup/*"$CGP" /sys/fs/cgroup/*/nsbox/"$ID"*; do
		[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	return 0
}

# The mounts that could be this test's: on or from a path under $T or the
# root fs run uses, or on / or /tmp (others' mounts elsewhere come and go).
flt_mounts() {
	awk -v t="$T" -v r="$ROOTFS" 'index($4, t) == 1 || index($5, t) == 1 || index($5, r) == 1 ||
		$5 == "/" || $5 == "/tmp"' /proc/self/mountinfo
}

# cgroups_left: every cgroup of the test: below $CGP (which stays), or
# /nsbox/$ID.
cgroups_left() {
	local d
	for d in /sys/fs/cgroup/*"$CGP"; do
		[ -d "$d" ] && find "$d" -mindepth 1 -type d
	done
	for d in /sys/fs/cgroup/nsbox/"$ID" /sys/fs/cgroup/*/nsbox/"$ID"; do
		[ -d "$d" ] && echo "$d"
	done
	return 0
}

# nothing_left WHAT: no process with $MARKER, no new mount, no cgroup, no
# state entry.
nothing_left() {
	assert_no_marked_process "$MARKER" 5 || { fail "$1: processes left"; return 1; }
	assert_equal "$MOUNTS_BEFORE" "$(flt_mounts)" "$1: mounts before/after" || return 1
	assert_equal "" "$(cgroups_left)" "$1: cgroups left" || return 1
	assert_equal "" "$(state_entries)" "$1: entries in the state root"
}

# fault_points TRACE: "SYSCALL K" for each point to walk, from the output
# of a clean `strace -f -o TRACE` (lines "PID syscall(...").
fault_points() {
	awk -v set=",$FAULT_SET," -v cap="$FAULT_CAP" '
		$2 ~ /^<\.\.\./ { next }
		{ s = $2; sub(/\(.*/, "", s); if (index(set, "," s ",") == 0) next; n[$1 " " s]++ }
		END {
			for (k in n) { split(k, a, " "); if (n[k] > m[a[2]]) m[a[2]] = n[k] }
			for (s in m) {
				step = int((m[s] + cap - 1) / cap)
				for (i = 1; i <= m[s]; i += step) print s, i
			}
		}' "$1" | sort -k1,1 -k2n
}

# fault_outcome WHAT OK-STATUS: the command under injection either did what
# it should (OK-STATUS, nothing on stderr but nsbox warnings) or failed
# cleanly: 125 (or 126, 127: the command could not be run) and one line
# "nsbox: ...". A timeout is a hang; another status a crash or an abort.
fault_outcome() {
	local what=$1 ok=$2
	if [ "$status" = "$ok" ]; then
		if grep -qv '^nsbox: warning: ' <<<"$stderr" && [ -n "$stderr" ]; then
			fail "$what: succeeded, with more than warnings on stderr"
			return 1
		fi
		FAULT_OK=$((FAULT_OK + 1))
		return 0
	fi
	case $status in
	127)
		# A sanitizer build is linked dynamically: the failure may be
		# the loader's, before nsbox ran (and made anything).
		if [[ "$stderr" == *"error while loading shared libraries"* ]]; then
			FAULT_ERR=$((FAULT_ERR + 1))
			return 0
		fi
		fault_clean_error "$what"
		;;
	125 | 126)
		fault_clean_error "$what"
		;;
	124 | 137) fail "$what: hung (timeout)" ;;
	*) fail "$what: exit status $status (a crash, or not nsbox's own error)" ;;
	esac
}

# fault_clean_error WHAT: one line "nsbox: ..." on stderr.
fault_clean_error() {
	# (Unless the injected write was nsbox's own, of that line.)
	if ! assert_nsbox_error 2>/dev/null && ! hit_stderr; then
		assert_nsbox_error
		fail "$1: not one clean error line"
		return 1
	fi
	FAULT_ERR=$((FAULT_ERR + 1))
}

# hit_stderr: the injected failure was that of a write to stderr (the
# error line itself: nothing to report it with), in $FAULT_TRACE.
hit_stderr() {
	grep -qE '^[0-9]+ +write\(2, .*\(INJECTED\)' "$FAULT_TRACE"
}

# inject SYSCALL K CMD...: run CMD under strace, EIO at the Kth SYSCALL of
# each process; sets $status, $output, $stderr.
inject() {
	local sc=$1 k=$2
	shift 2
	status=0
	FAULT_TRACE=$T/itrace
	ASAN_OPTIONS=$TRACED_ASAN_OPTIONS timeout -k 5 "$FAULT_TIMEOUT" strace -f -qq -o "$FAULT_TRACE" -e trace="$sc" \
		-e inject="$sc:error=EIO:when=$k" "$@" </dev/null >"$T/out" 2>"$T/err" 3>&- || status=$?
	output=$(cat "$T/out")
	stderr=$(cat "$T/err")
}

# trace_clean FILE OK-STATUS CMD...: a clean run of CMD, traced into FILE.
trace_clean() {
	local file=$1 ok=$2
	shift 2
	status=0
	ASAN_OPTIONS=$TRACED_ASAN_OPTIONS strace -f -qq -o "$file" -e trace="$FAULT_SET" "$@" </dev/null >"$T/out" 2>"$T/err" 3>&- || status=$?
	stderr=$(cat "$T/err")
	[ "$status" = "$ok" ] || fail "clean traced run: status $status, not $ok: $stderr"
}

report_walk() {
	echo "# $1: $2 points, $FAULT_OK did their work, $FAULT_ERR failed cleanly" >&3
}

# ---------------------------------------------------------------------------
# Injected failures

@test "run: EIO at each set-up syscall: exit 7 as asked, or a clean nsbox error; nothing left" {
	local args=("$NSBOX" run --rootfs "$ROOTFS" --userns --memory 64m --pids 40 --cgroup-parent "$CGP"
		-- sh -c 'exit 7' "$MARKER")
	local points sc k n=0
	trace_clean "$T/trace" 7 "${args[@]}" || return 1
	points=$(fault_points "$T/trace")
	[ -n "$points" ] || fail "no injection point found in the trace" || return 1
	while read -r sc k; do
		inject "$sc" "$k" "${args[@]}"
		fault_outcome "run, EIO at $sc #$k" 7 || return 1
		nothing_left "run, EIO at $sc #$k" || return 1
		n=$((n + 1))
	done <<<"$points"
	report_walk run "$n"
}

# A bundle $B whose process sleeps, with limits (cgroup files to write).
make_fault_bundle() {
	make_sleeping_bundle || return 1
	edit_config "$B" '.linux.resources = {"memory": {"limit": 67108864}, "pids": {"limit": 40}}'
}

# The exit status of the first process of strace output TRACE (the command
# strace ran), once it ended: "exited with N", or 128 + a signal's number.
traced_status() {
	local main line sig
	main=$(awk 'NR == 1 { print $1; exit }' "$1" 2>/dev/null)
	[ -n "$main" ] || return 1
	line=$(grep -m1 -E "^$main +\+\+\+ (exited with|killed by)" "$1") || return 1
	if [[ "$line" =~ exited\ with\ ([0-9]+) ]]; then
		echo "${BASH_REMATCH[1]}"
	else
		sig=$(sed -E 's/.*killed by (SIG[A-Z0-9]+).*/\1/' <<<"$line")
		echo $((128 + $(kill -l "${sig#SIG}" 2>/dev/null || echo 0)))
	fi
}

# bg_create TRACE STRACE-OPTIONS...: `create` under strace -f -o TRACE, in
# the background: strace follows the container process, which outlives a
# create that works; create's own status comes from the trace. Sets
# $status, $output, $stderr, and $SPID (strace).
bg_create() {
	local tr=$1
	shift
	rm -f "$tr"
	FAULT_TRACE=$tr
	ASAN_OPTIONS=$TRACED_ASAN_OPTIONS strace -f -q -o "$tr" "$@" "$NSBOX" --root "$STATE" create --bundle "$B" "$ID" \
		</dev/null >"$T/out" 2>"$T/err" 3>&- &
	SPID=$!
	track_pid "$SPID"
	if wait_until "$FAULT_TIMEOUT" traced_status "$tr" >/dev/null; then
		status=$(traced_status "$tr")
	else
		status=124
	fi
	output=$(cat "$T/out")
	stderr=$(cat "$T/err")
}

# inject_create SYSCALL K: bg_create, EIO at the Kth SYSCALL of each process.
inject_create() {
	bg_create "$T/ctrace" -e trace="execve,$1" -e inject="$1:error=EIO:when=$2"
}

# strace_ended: the strace of inject_create is gone (every process it
# followed ended).
strace_ended() { pid_dead "$SPID"; }

@test "create: EIO at each set-up syscall: created, or a clean error; delete --force and a new create of the id work; nothing left" {
	make_fault_bundle || return 1
	local points sc k n=0 what late
	bg_create "$T/trace" -e trace="execve,$FAULT_SET"
	[ "$status" = 0 ] || fail "clean traced create: $(head -c 300 "$T/trace"; echo; tail -n 3 "$T/trace")" || return 1
	oci_ok delete --force "$ID" || return 1
	wait_until 10 strace_ended || fail "processes left after delete --force" || return 1
	points=$(fault_points "$T/trace")
	[ -n "$points" ] || fail "no injection point found in the trace" || return 1
	while read -r sc k; do
		what="create, EIO at $sc #$k"
		inject_create "$sc" "$k"
		late=
		if [ "$status" = 0 ] && [[ "$stderr" == "nsbox: wait for start: "* && "$stderr" != *$'\n'* ]]; then
			# The container process failed after create returned, opening
			# exec.fifo to wait for start: it says so on the stderr it
			# inherited (create's), and is stopped.
			late=1 stderr=
		fi
		fault_outcome "$what" 0 || return 1
		if [ -n "$late" ]; then
			wait_status "$ID" stopped 5 || return 1
			oci_ok delete --force "$ID" || return 1
			wait_until 10 strace_ended || fail "$what: processes left after delete --force" || return 1
		elif [ "$status" = 0 ]; then
			assert_equal created "$(state_field "$ID" status)" "$what: status" || return 1
			oci_ok delete --force "$ID" || return 1
			wait_until 10 strace_ended || fail "$what: processes left after delete --force" || return 1
		else
			wait_until 10 strace_ended || fail "$what: processes outlived the failed create" || return 1
			oci_ok delete --force "$ID" || return 1
			nothing_left "$what" || return 1
			oci_ok create --bundle "$B" "$ID" || return 1
			assert_equal created "$(state_field "$ID" status)" "$what: status of the next create" || return 1
			oci_ok delete --force "$ID" || return 1
		fi
		wait "$SPID" 2>/dev/null || true
		nothing_left "$what" || return 1
		n=$((n + 1))
	done <<<"$points"
	report_walk create "$n"
}

@test "start: EIO at each syscall: running, or a clean error; delete --force leaves nothing" {
	make_fault_bundle || return 1
	local points sc k n=0 what
	oci_ok create --bundle "$B" "$ID" || return 1
	trace_clean "$T/trace" 0 "$NSBOX" --root "$STATE" start "$ID" || return 1
	oci_ok delete --force "$ID" || return 1
	points=$(fault_points "$T/trace")
	[ -n "$points" ] || fail "no injection point found in the trace" || return 1
	while read -r sc k; do
		what="start, EIO at $sc #$k"
		oci_ok create --bundle "$B" "$ID" || return 1
		inject "$sc" "$k" "$NSBOX" --root "$STATE" start "$ID"
		fault_outcome "$what" 0 || return 1
		if [ "$status" = 0 ]; then
			wait_status "$ID" running 5 || return 1
		fi
		oci_ok delete --force "$ID" || return 1
		nothing_left "$what" || return 1
		n=$((n + 1))
	done <<<"$points"
	report_walk start "$n"
}

# exec_gone: no process of the exec walk is left (nsbox exec, or its command).
exec_gone() { no_marked_process "exec-$MARKER"; }

@test "exec: EIO at each set-up syscall: the command's status, or a clean error; the container runs on, nothing of the exec is left" {
	make_fault_bundle || return 1
	local points sc k n=0 what
	local args=("$NSBOX" --root "$STATE" exec "$ID" sh -c 'exit 7' "exec-$MARKER")
	create_running "$ID" || return 1
	trace_clean "$T/trace" 7 "${args[@]}" || return 1
	points=$(fault_points "$T/trace")
	[ -n "$points" ] || fail "no injection point found in the trace" || return 1
	while read -r sc k; do
		what="exec, EIO at $sc #$k"
		inject "$sc" "$k" "${args[@]}"
		fault_outcome "$what" 7 || return 1
		wait_until 5 exec_gone || fail "$what: processes of the exec left: $(pids_with_marker "exec-$MARKER")" || return 1
		assert_equal running "$(state_field "$ID" status)" "$what: the container's status" || return 1
		assert_equal "$MOUNTS_BEFORE" "$(flt_mounts)" "$what: mounts before/after" || return 1
		n=$((n + 1))
	done <<<"$points"
	oci_ok delete --force "$ID" || return 1
	nothing_left "after the exec walk" || return 1
	report_walk exec "$n"
}

@test "delete: EIO at each syscall: deleted, or a clean error and a second delete --force removes all" {
	make_fault_bundle || return 1
	local points sc k n=0 what
	create_running "$ID" || return 1
	trace_clean "$T/trace" 0 "$NSBOX" --root "$STATE" delete --force "$ID" || return 1
	nothing_left "clean delete" || return 1
	points=$(fault_points "$T/trace")
	[ -n "$points" ] || fail "no injection point found in the trace" || return 1
	while read -r sc k; do
		what="delete, EIO at $sc #$k"
		create_running "$ID" || return 1
		inject "$sc" "$k" "$NSBOX" --root "$STATE" delete --force "$ID"
		fault_outcome "$what" 0 || return 1
		if [ "$status" != 0 ]; then
			oci_ok delete --force "$ID" || return 1
		fi
		nothing_left "$what" || return 1
		n=$((n + 1))
	done <<<"$points"
	report_walk delete "$n"
}

# ---------------------------------------------------------------------------
# SIGKILL at random points. NSBOX_TEST_KILLS trials in all, a fifth each
# for run, create, start, exec and delete.

kills_each() {
	local n=$((${NSBOX_TEST_KILLS:-100} / 5))
	echo $((n > 0 ? n : 1))
}

# kill_at_random CMD...: start CMD (stdin /dev/null, output to $T/kout),
# SIGKILL it 0 to 79 ms later, reap it.
kill_at_random() {
	local pid
	"$@" </dev/null >"$T/kout" 2>&1 3>&- &
	pid=$!
	sleep "$(printf '0.%03d' $((RANDOM % 80)))"
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

@test "run SIGKILLed at random points: its processes die, no mount is left; the next run removes the cgroup left" {
	local i args=(run --rootfs "$ROOTFS" --memory 64m --pids 40 --cgroup-parent "$CGP")
	for i in $(seq "$(kills_each)"); do
		kill_at_random "$NSBOX" "${args[@]}" -- sleep "$MARKER"
		assert_no_marked_process "$MARKER" 5 || { fail "run killed ($i): processes left"; return 1; }
		assert_equal "$MOUNTS_BEFORE" "$(flt_mounts)" "run killed ($i): mounts" || return 1
	done
	run_nsbox "${args[@]}" -- sh -c 'echo ok'
	assert_success || return 1
	assert_output ok || return 1
	nothing_left "the run after $(kills_each) killed runs"
}

@test "create SIGKILLed at random points: delete --force (or the next create) removes all; the next create works" {
	make_fault_bundle || return 1
	local i
	for i in $(seq "$(kills_each)"); do
		kill_at_random "$NSBOX" --root "$STATE" create --bundle "$B" "$ID"
		if ((i % 2)); then
			# A create of the id over what the killed one left (unless it
			# had finished: then the container exists).
			oci create --bundle "$B" "$ID"
			[ "$status" = 0 ] || { [[ "$stderr" == *"already exists"* ]] && status_is "$ID" created; } ||
				fail "create after a killed create ($i)" || return 1
		fi
		oci_ok delete --force "$ID" || return 1
		nothing_left "create killed ($i)" || return 1
	done
	oci_ok create --bundle "$B" "$ID" || return 1
	assert_equal created "$(state_field "$ID" status)" "status of the last create" || return 1
	oci_ok delete --force "$ID" || return 1
	nothing_left "after the killed creates"
}

@test "start SIGKILLed at random points: delete --force removes all; the next create works" {
	make_fault_bundle || return 1
	local i st
	for i in $(seq "$(kills_each)"); do
		oci_ok create --bundle "$B" "$ID" || return 1
		kill_at_random "$NSBOX" --root "$STATE" start "$ID"
		st=$(state_field "$ID" status)
		[[ "$st" == created || "$st" == running || "$st" == stopped ]] ||
			fail "start killed ($i): status '$st'" || return 1
		oci_ok delete --force "$ID" || return 1
		nothing_left "start killed ($i)" || return 1
	done
}

@test "exec SIGKILLed at random points: nothing of the exec is left; the container runs on; delete --force removes all" {
	make_fault_bundle || return 1
	local i
	create_running "$ID" || return 1
	for i in $(seq "$(kills_each)"); do
		kill_at_random "$NSBOX" --root "$STATE" exec "$ID" sh -c 'exit 7' "exec-$MARKER"
		wait_until 5 exec_gone || fail "exec killed ($i): processes left: $(pids_with_marker "exec-$MARKER")" || return 1
		assert_equal running "$(state_field "$ID" status)" "exec killed ($i): the container's status" || return 1
		assert_equal "$MOUNTS_BEFORE" "$(flt_mounts)" "exec killed ($i): mounts" || return 1
	done
	oci exec "$ID" sh -c 'exit 7' "exec-$MARKER"
	assert_status 7 || return 1
	oci_ok delete --force "$ID" || return 1
	nothing_left "after the killed execs"
}

@test "delete SIGKILLed at random points: a second delete --force removes all; the next create works" {
	make_fault_bundle || return 1
	local i
	for i in $(seq "$(kills_each)"); do
		create_running "$ID" || return 1
		kill_at_random "$NSBOX" --root "$STATE" delete --force "$ID"
		oci_ok delete --force "$ID" || return 1
		nothing_left "delete killed ($i)" || return 1
	done
}

# ---------------------------------------------------------------------------
# A full or read-only state root, a full /tmp

# small_fs VAR OPTIONS: a tmpfs with OPTIONS on a new directory under $T
# (unmounted at teardown), into VAR. The mounts before/after are counted
# with it.
small_fs() {
	local __d
	__d=$(mktemp -d "$T/fs.XXXXXX") || return 1
	track_mount "$__d"
	mount -t tmpfs -o "$2" tmpfs "$__d" || die_setup "mount tmpfs -o $2 on $__d" || return 1
	MOUNTS_BEFORE=$(flt_mounts)
	printf -v "$1" '%s' "$__d"
}

# fill DIR: no block and no inode left on DIR's file system.
fill() {
	local i=0
	dd if=/dev/zero of="$1/fill" bs=4k >/dev/null 2>&1 || true
	while touch "$1/f$i" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -lt 100000 ] || die_setup "cannot fill $1" || return 1
	done
}

@test "a full state root: create fails with one clear line and 125; nothing left; with room, create works" {
	make_fault_bundle || return 1
	local fsdir
	small_fs fsdir size=64k,nr_inodes=64,mode=0755 || return 1
	STATE=$fsdir/state
	mkdir -m 0700 "$STATE"
	fill "$fsdir" || return 1
	oci create --bundle "$B" "$ID"
	assert_error 125 "No space left on device" || return 1
	nothing_left "a full state root" || return 1
	rm -f "$fsdir"/f* "$fsdir/fill"
	oci_ok create --bundle "$B" "$ID" || return 1
	oci_ok delete --force "$ID" || return 1
	nothing_left "a state root with room"
}

@test "a state root of 4 to 32 KB: create works or fails with ENOSPC in one line; nothing left either way" {
	make_fault_bundle || return 1
	local fsdir size failed=0
	for size in 4 8 12 16 20 24 32; do
		small_fs fsdir "size=${size}k,mode=0755" || return 1
		STATE=$fsdir/state
		oci create --bundle "$B" "$ID"
		if [ "$status" = 0 ]; then
			oci_ok delete --force "$ID" || return 1
		else
			assert_error 125 "No space left on device" || return 1
			failed=$((failed + 1))
		fi
		nothing_left "a state root of ${size}k" || return 1
		umount "$fsdir" || return 1
	done
	[ "$failed" -gt 0 ] || fail "no create failed: the state root was never full"
}

@test "a read-only state root: create fails with one clear line and 125; nothing left" {
	make_fault_bundle || return 1
	local fsdir
	small_fs fsdir size=64k,mode=0755 || return 1
	mkdir -m 0700 "$fsdir/state"
	mount -o remount,ro "$fsdir" || die_setup "remount $fsdir read-only" || return 1
	MOUNTS_BEFORE=$(flt_mounts)
	STATE=$fsdir/state
	oci create --bundle "$B" "$ID"
	assert_error 125 "Read-only file system" || return 1
	nothing_left "a read-only state root" || return 1
	# A state root still to be made there.
	STATE=$fsdir/missing
	oci create --bundle "$B" "$ID"
	assert_error 125 "$fsdir/missing" || return 1
	nothing_left "a state root to make on a read-only fs"
}

@test "a full /tmp (a private mount namespace): run, create, start and delete work, or fail in one line; nothing left" {
	local v
	new_tempdir v /var/tmp
	B=$v/bundle
	make_bundle "$B" || return 1
	set_args "$B" sh -c 'echo ok; exit 7' "$MARKER"
	cp -a "$ROOTFS" "$v/rootfs" || die_setup "copy the root fs" || return 1
	STATE=$v/state
	# nsbox itself from outside /tmp too: a checkout under /tmp (a clean
	# clone made with mktemp -d) would be hidden by the full /tmp.
	cp "$NSBOX" "$v/nsbox" || die_setup "copy nsbox" || return 1
	# The namespace's /tmp: a tmpfs with no block and no inode left.
	run --separate-stderr unshare -m --propagation private sh -c '
		mount -t tmpfs -o size=4k,nr_inodes=8 tmpfs /tmp || exit 99
		dd if=/dev/zero of=/tmp/fill bs=4k >/dev/null 2>&1; i=0
		while touch /tmp/f$i 2>/dev/null; do i=$((i + 1)); done
		"$0" run --rootfs "$1/rootfs" -- sh -c "echo run-ok; exit 7"; echo "run $?"
		"$0" --root "$1/state" create --bundle "$1/bundle" "$2" </dev/null; echo "create $?"
		"$0" --root "$1/state" start "$2"; echo "start $?"
		"$0" --root "$1/state" delete --force "$2"; echo "delete $?"' "$v/nsbox" "$v" "$ID"
	assert_success || return 1
	assert_line_in_output "run-ok" || return 1
	assert_line_in_output "run 7" || return 1
	assert_line_in_output "create 0" || return 1
	assert_line_in_output "start 0" || return 1
	assert_line_in_output "ok" || return 1
	assert_line_in_output "delete 0" || return 1
	assert_equal "" "$stderr" "stderr" || return 1
	nothing_left "a full /tmp"
}
