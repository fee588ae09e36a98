# Shared set-up, helpers and assertions of the nsbox integration tests.
# Loaded by every .bats file with `load helpers`. The tests run as root; the
# rootless ones switch to the user made by setup.sh.
#
#   NSBOX           nsbox binary run by root (default: <repo>/build/nsbox)
#   NSBOX_TEST_ENV  directory prepared by tests/integration/setup.sh, holding
#                   rootfs/ (busybox root filesystem) and bin/nsbox (a copy of
#                   $NSBOX the unprivileged user can run)

# run --separate-stderr needs bats 1.5 or later.
bats_require_minimum_version 1.5.0

NSBOX_REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
NSBOX=${NSBOX:-$NSBOX_REPO/build/nsbox}
NSBOX_TEST_ENV=${NSBOX_TEST_ENV:-}
NSBOX_TEST_USER=nsbox-test
ROOTFS=${NSBOX_TEST_ENV:+$NSBOX_TEST_ENV/rootfs}
USER_NSBOX=${NSBOX_TEST_ENV:+$NSBOX_TEST_ENV/bin/nsbox}

# Resources a test made, undone by nsbox_teardown even when the test fails.
_cleanup_pids=()
_cleanup_mounts=()
_cleanup_dirs=()
_cleanup_netns=()
_cleanup_files=()
_cleanup_cmds=()
_netns_dir_was_mount=
_netns_dir_existed=

die_setup() {
	echo "SET-UP ERROR: $*" >&2
	return 1
}

# Every test starts here: a missing or stale environment is a failure, never
# a skip, so that a broken set-up cannot pass for a green run.
nsbox_setup() {
	local how="run: tests/integration/setup.sh /tmp/nsbox-test-env && NSBOX_TEST_ENV=/tmp/nsbox-test-env bats tests/integration"

	[ "$(id -u)" -eq 0 ] || die_setup "the integration tests must run as root" || return 1
	[ -x "$NSBOX" ] || die_setup "nsbox binary '$NSBOX' missing or not executable (meson compile -C build, or set NSBOX)" || return 1
	[ -n "$NSBOX_TEST_ENV" ] || die_setup "NSBOX_TEST_ENV is not set; $how" || return 1
	[ -d "$NSBOX_TEST_ENV" ] || die_setup "NSBOX_TEST_ENV='$NSBOX_TEST_ENV' is not a directory; $how" || return 1
	[ -x "$ROOTFS/bin/busybox" ] || die_setup "no busybox root fs in '$ROOTFS'; $how" || return 1
	[ -x "$USER_NSBOX" ] || die_setup "no nsbox copy at '$USER_NSBOX'; $how" || return 1
	# nsbox may have been rebuilt since setup.sh ran: the user's copy must be
	# the binary under test, so refresh it (atomically) when it differs.
	if ! cmp -s "$NSBOX" "$USER_NSBOX"; then
		cp "$NSBOX" "$USER_NSBOX.new.$$" && chmod 0755 "$USER_NSBOX.new.$$" &&
			mv -f "$USER_NSBOX.new.$$" "$USER_NSBOX" ||
			die_setup "cannot refresh '$USER_NSBOX' from '$NSBOX'" || return 1
	fi
	id -u "$NSBOX_TEST_USER" >/dev/null 2>&1 || die_setup "user $NSBOX_TEST_USER missing; $how" || return 1
	grep -q "^$NSBOX_TEST_USER:" /etc/subuid || die_setup "no /etc/subuid range for $NSBOX_TEST_USER; $how" || return 1
	grep -q "^$NSBOX_TEST_USER:" /etc/subgid || die_setup "no /etc/subgid range for $NSBOX_TEST_USER; $how" || return 1
	_netns_dir_was_mount='' _netns_dir_existed=''
	if mountpoint -q /run/netns 2>/dev/null; then
		_netns_dir_was_mount=1
	fi
	if [ -d /run/netns ]; then
		_netns_dir_existed=1
	fi
}

nsbox_teardown() {
	local i pid

	for i in "${_cleanup_cmds[@]}"; do
		eval "$i" || true
	done
	for pid in "${_cleanup_pids[@]}"; do
		# Only a process we started, still running our nsbox (not a reused pid).
		if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q nsbox; then
			kill -KILL "$pid" 2>/dev/null || true
		fi
	done
	for pid in "${_cleanup_pids[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	for ((i = ${#_cleanup_mounts[@]} - 1; i >= 0; i--)); do
		if mountpoint -q "${_cleanup_mounts[i]}"; then
			umount -R "${_cleanup_mounts[i]}" 2>/dev/null || umount -l "${_cleanup_mounts[i]}" || true
		fi
	done
	for i in "${_cleanup_netns[@]}"; do
		ip netns delete "$i" 2>/dev/null || true
	done
	# `ip netns add` bind-mounts /run/netns on itself: undo it if we caused it.
	if [ ${#_cleanup_netns[@]} -gt 0 ] && [ -z "$_netns_dir_was_mount" ] &&
		mountpoint -q /run/netns && [ -z "$(ls -A /run/netns)" ]; then
		umount /run/netns || true
	fi
	if [ ${#_cleanup_netns[@]} -gt 0 ] && [ -z "$_netns_dir_existed" ] && [ -d /run/netns ]; then
		rmdir /run/netns 2>/dev/null || true
	fi
	for i in "${_cleanup_files[@]}"; do
		rm -f -- "$i"
	done
	for i in "${_cleanup_dirs[@]}"; do
		# Never follow a mount into somebody else's file system.
		rm -rf --one-file-system -- "$i"
	done
	_cleanup_pids=() _cleanup_mounts=() _cleanup_dirs=() _cleanup_netns=() _cleanup_files=()
	_cleanup_cmds=()
}

# Default hooks; a .bats file that needs more defines its own and calls these.
setup() { nsbox_setup; }
teardown() { nsbox_teardown; }

track_pid() { _cleanup_pids+=("$@"); }
track_mount() { _cleanup_mounts+=("$@"); }
track_dir() { _cleanup_dirs+=("$@"); }
track_file() { _cleanup_files+=("$@"); }
track_netns() { _cleanup_netns+=("$@"); }
# on_teardown 'SHELL COMMAND': run it (with eval) at teardown.
on_teardown() { _cleanup_cmds+=("$1"); }

# new_tempdir VAR [PARENT]: make a fresh directory (default under /tmp),
# removed at teardown, and store its path in VAR.
new_tempdir() {
	local __var=$1 __d
	__d=$(mktemp -d "${2:-/tmp}/nsbox-test.XXXXXX") || return 1
	track_dir "$__d"
	chmod 0755 "$__d"
	printf -v "$__var" '%s' "$__d"
}

# run_nsbox ARGS...: run `nsbox ARGS` (e.g. run_nsbox run -- true) as root
# with bats' `run`, which sets $status, $output (stdout) and $stderr.
# A first argument -N (e.g. -127) tells bats that status N is expected.
run_nsbox() {
	local expect=()
	if [[ "${1-}" =~ ^-[0-9]+$ ]]; then
		expect=("$1")
		shift
	fi
	run "${expect[@]}" --separate-stderr "$NSBOX" "$@"
}

# as_user CMD...: run CMD as the unprivileged test user, from /, with a clean
# environment. Use $USER_NSBOX, not $NSBOX, for nsbox.
# In the background, `(cd / && exec "${AS_USER[@]}" CMD...) &` makes $! the
# pid of CMD itself.
AS_USER=(setpriv --reuid="$NSBOX_TEST_USER" --regid="$NSBOX_TEST_USER" --init-groups --reset-env)
as_user() {
	(cd / && exec "${AS_USER[@]}" "$@")
}

# run_nsbox_as_user ARGS...: like run_nsbox (nsbox ARGS), as the test user.
run_nsbox_as_user() {
	local expect=()
	if [[ "${1-}" =~ ^-[0-9]+$ ]]; then
		expect=("$1")
		shift
	fi
	run "${expect[@]}" --separate-stderr as_user "$USER_NSBOX" "$@"
}

test_user_uid() { id -u "$NSBOX_TEST_USER"; }
test_user_gid() { id -g "$NSBOX_TEST_USER"; }
# First id of the user's range in /etc/subuid (or /etc/subgid with "g").
subid_start() {
	local file=/etc/subuid
	[ "${1:-u}" = g ] && file=/etc/subgid
	awk -F: -v u="$NSBOX_TEST_USER" '$1 == u { print $2; exit }' "$file"
}
subid_count() {
	local file=/etc/subuid
	[ "${1:-u}" = g ] && file=/etc/subgid
	awk -F: -v u="$NSBOX_TEST_USER" '$1 == u { print $3; exit }' "$file"
}

# A unique argument to find a test's processes by, e.g. `sleep $(new_marker)`:
# a valid sleep duration (about a day) that no other process uses.
new_marker() {
	printf '%d.%d%05d\n' $((86400 + RANDOM)) "$$" "$RANDOM"
}

# pids_with_marker MARKER: pids of every process whose command line holds
# MARKER (the sandboxed command, nsbox and its init), one a line.
pids_with_marker() {
	local rest=${1:1} re
	# grep reads its own command line too: search with a pattern, "[8]6401\.2",
	# that matches MARKER (digits and dots, from new_marker) but not itself.
	re="[${1:0:1}]${rest//./\\.}"
	grep -la -- "$re" /proc/[0-9]*/cmdline 2>/dev/null |
		sed -n 's#^/proc/\([0-9]*\)/cmdline$#\1#p' | grep -vx "$BASHPID" || true
}

# exact_pids CMDLINE: pids whose whole command line, arguments joined by
# spaces, is CMDLINE (e.g. "sleep $marker"), one a line.
exact_pids() {
	local want=$1 f got
	for f in $(grep -laF -- "${want##* }" /proc/[0-9]*/cmdline 2>/dev/null); do
		got=$(tr '\0' ' ' <"$f" 2>/dev/null) || continue
		if [ "${got% }" = "$want" ]; then
			f=${f#/proc/}
			echo "${f%/cmdline}"
		fi
	done
	return 0
}

# count_exact_pids N CMDLINE: true when exactly N processes run CMDLINE.
count_exact_pids() {
	[ "$(exact_pids "$2" | wc -l)" -eq "$1" ]
}

# no_marked_process MARKER: true when no process carries MARKER.
no_marked_process() {
	[ -z "$(pids_with_marker "$1")" ]
}

# wait_until SECONDS CMD...: poll CMD every 50 ms until it succeeds; fail
# (status 1) when SECONDS pass first. CMD is run again each time, so pass a
# function, not a "$(...)" that would be expanded only once.
wait_until() {
	local limit=$1 deadline
	shift
	deadline=$(($(date +%s%N) + limit * 1000000000))
	until "$@"; do
		if [ "$(date +%s%N)" -ge "$deadline" ]; then
			return 1
		fi
		sleep 0.05
	done
}

# kill_marked MARKER: SIGKILL the processes a test started (found by their
# unique marker). Used in teardown paths only.
kill_marked() {
	local p
	for p in $(pids_with_marker "$1"); do
		kill -KILL "$p" 2>/dev/null || true
	done
}

# ip netns helpers: a namespace made by the test, deleted at teardown.
make_netns() {
	local name=$1
	track_netns "$name"
	ip netns add "$name" || return 1
}

# add_test_link NETNS NAME: a link NAME in NETNS. A dummy link when the kernel
# has the dummy driver, else one end of a veth pair, else a bridge.
add_test_link() {
	local ns=$1 name=$2
	ip -n "$ns" link add "$name" type dummy 2>/dev/null ||
		ip -n "$ns" link add "$name" type veth peer name "${name}p" 2>/dev/null ||
		ip -n "$ns" link add "$name" type bridge
}

# link_names: the interface names `ip -o link` prints on stdin, sorted.
link_names() {
	awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort
}

# squeeze STRING: STRING with runs of blanks made one space, trimmed (for
# columns such as /proc/self/uid_map's).
squeeze() {
	local words
	read -ra words <<<"$1"
	echo "${words[*]}"
}

# Leftover snapshots for the error tests.
mount_count() { wc -l </proc/self/mountinfo; }
# (Not the test harness's own directories, which a test running at the same
# time may make: nsbox makes none of that name.)
temp_dirs() {
	find /tmp /var/tmp /dev/shm /run -mindepth 1 -maxdepth 1 -type d \
		! -name 'nsbox-test.*' ! -name 'bats-run-*' 2>/dev/null | sort
}

# ---------------------------------------------------------------------------
# Assertions. Each prints what it expected and what it got, then fails.

_show_run() {
	{
		echo "  status: ${status-<unset>}"
		echo "  stdout: ${output-<unset>}"
		echo "  stderr: ${stderr-<unset>}"
	} >&2
}

fail() {
	echo "FAIL: $*" >&2
	_show_run
	return 1
}

assert_status() {
	local want=$1
	[ "${status-}" = "$want" ] || fail "expected exit status $want, got ${status-<unset>}"
}

assert_success() { assert_status 0; }

# assert_equal EXPECTED ACTUAL [WHAT]
assert_equal() {
	[ "$1" = "$2" ] && return 0
	{
		echo "FAIL: ${3:-values differ}"
		echo "  expected: $1"
		echo "  actual:   $2"
	} >&2
	_show_run
	return 1
}

assert_not_equal() {
	[ "$1" != "$2" ] && return 0
	echo "FAIL: ${3:-values are equal}: both are '$1'" >&2
	_show_run
	return 1
}

assert_output() {
	[ "$output" = "$1" ] || fail "expected stdout '$1'"
}

assert_output_contains() {
	[[ "$output" == *"$1"* ]] || fail "expected stdout to contain '$1'"
}

assert_output_not_contains() {
	[[ "$output" != *"$1"* ]] || fail "expected stdout not to contain '$1'"
}

assert_output_matches() {
	[[ "$output" =~ $1 ]] || fail "expected stdout to match /$1/"
}

assert_stderr_contains() {
	[[ "$stderr" == *"$1"* ]] || fail "expected stderr to contain '$1'"
}

assert_stderr_empty() {
	[ -z "$stderr" ] || fail "expected empty stderr"
}

assert_line_in_output() {
	local l
	while IFS= read -r l; do
		[ "$l" = "$1" ] && return 0
	done <<<"$output"
	fail "expected a stdout line '$1'"
}

assert_no_line_in_output() {
	local l
	while IFS= read -r l; do
		if [ "$l" = "$1" ]; then
			fail "expected no stdout line '$1'"
			return 1
		fi
	done <<<"$output"
	return 0
}

# assert_no_marked_process MARKER [SECONDS]: within SECONDS (default 0), no
# process carries MARKER.
assert_no_marked_process() {
	local m=$1 t=${2:-0} left
	if ! wait_until "$t" no_marked_process "$m"; then
		left=$(pids_with_marker "$m")
		for p in $left; do
			echo "  leftover pid $p: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) state $(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" >&2
		done
		fail "processes with marker '$m' still alive after ${t}s"
		return 1
	fi
}

# assert_nsbox_error MESSAGE...: nsbox failed with one error line on stderr,
# "nsbox: ...", containing every MESSAGE; optionally followed by the usage
# hint line; nothing on stdout.
assert_nsbox_error() {
	local first rest
	first=${stderr%%$'\n'*}
	[[ "$first" == "nsbox: "* ]] || fail "expected stderr to start with 'nsbox: '" || return 1
	for m in "$@"; do
		[[ "$first" == *"$m"* ]] || fail "expected the error line to contain '$m'" || return 1
	done
	if [[ "$stderr" == *$'\n'* ]]; then
		rest=${stderr#*$'\n'}
		[[ "$rest" == "Try 'nsbox "*"--help' for more information." ]] ||
			fail "expected one error line (and at most a usage hint)" || return 1
	fi
	[ -z "$output" ] || fail "expected nothing on stdout"
}
