# Set-up and helpers of the OCI runtime tests (oci*.bats): the commands
# create, start, state, kill, delete, list, ps, exec, spec, features and
# `run --bundle`. Loaded after helpers.bash.
#
# Each test gets its own temporary directory $T holding its state root
# ($STATE, passed as --root to every command; never /run/nsbox) and its
# bundles. Teardown deletes (--force) every container left in $STATE.
#
#   NSBOX_RECVTTY  the console-socket receiver (tests/helpers/recvtty.c),
#                  default: next to $NSBOX in the build dir

NSBOX_RECVTTY=${NSBOX_RECVTTY:-$(dirname "$NSBOX")/tests/helpers/nsbox-recvtty}

oci_setup() {
	nsbox_setup || return 1
	command -v jq >/dev/null || die_setup "jq missing (scripts/install-deps.sh installs it)" || return 1
	new_tempdir T
	STATE=$T/state
	OCI_N=0
	# A unique word for the processes of this test (container ids, sleeps).
	MARKER=$(new_marker)
	on_teardown 'oci_cleanup'
	on_teardown 'kill_marked "$MARKER"'
	MOUNTS_BEFORE=$(test_mounts)
}

setup() { oci_setup; }

# The lines of /proc/self/mountinfo that could be this test's: a mount on or
# from a path under $T, or on / or /tmp (where a root is staged). Not the
# whole file: other suites may mount meanwhile (podman's overlay, ip netns).
test_mounts() {
	awk -v t="$T" 'index($4, t) == 1 || index($5, t) == 1 || $5 == "/" || $5 == "/tmp"' /proc/self/mountinfo
}

# Delete every container the test left in $STATE (killing it first).
oci_cleanup() {
	local id
	[ -n "${STATE-}" ] && [ -d "$STATE" ] || return 0
	for id in $("$NSBOX" --root "$STATE" list --quiet 2>/dev/null </dev/null); do
		"$NSBOX" --root "$STATE" delete --force "$id" >/dev/null 2>&1 </dev/null || true
	done
}

# oci ARGS...: run `nsbox --root $STATE ARGS`, setting $status, $output,
# $stderr (like run_nsbox) without bats' `run`: stdout and stderr go to
# files, not to a pipe, as a created container inherits them and would hold
# a pipe open. $OCI_OUT and $OCI_ERR name the files, where a container made
# by this command writes. Stdin is /dev/null (or $OCI_STDIN); fd 3 is
# closed unless $OCI_FD3 names a file to open it on (for --preserve-fds).
oci() {
	OCI_N=$((OCI_N + 1))
	OCI_OUT=$T/out.$OCI_N
	OCI_ERR=$T/err.$OCI_N
	status=0
	if [ -n "${OCI_FD3-}" ]; then
		"$NSBOX" --root "$STATE" "$@" <"${OCI_STDIN:-/dev/null}" >"$OCI_OUT" 2>"$OCI_ERR" 3>>"$OCI_FD3" || status=$?
	else
		"$NSBOX" --root "$STATE" "$@" <"${OCI_STDIN:-/dev/null}" >"$OCI_OUT" 2>"$OCI_ERR" 3>&- || status=$?
	fi
	output=$(tr -d '\0' <"$OCI_OUT")   # (bash drops NULs anyway, with a warning)
	stderr=$(cat "$OCI_ERR")
}

# oci_ok ARGS...: oci ARGS, which must succeed.
oci_ok() {
	oci "$@"
	[ "$status" -eq 0 ] || fail "nsbox $* failed"
}

# make_bundle DIR [JQ-FILTER [JQ-ARGS...]]: an OCI bundle in DIR: a copy of
# the busybox root fs (with an empty /ctl, where a bundle made with
# ctl_mount binds $T/ctl), and the config.json of `nsbox spec` with no
# terminal, edited by JQ-FILTER.
make_bundle() {
	local dir=$1
	shift
	mkdir -p "$dir" && cp -a "$ROOTFS" "$dir/rootfs" && mkdir -p "$dir/rootfs/ctl" ||
		die_setup "cannot make bundle '$dir'" || return 1
	"$NSBOX" spec --bundle "$dir" || die_setup "nsbox spec --bundle '$dir' failed" || return 1
	edit_config "$dir" '.process.terminal = false' || return 1
	if [ $# -gt 0 ]; then
		edit_config "$dir" "$@" || return 1
	fi
}

# edit_config DIR JQ-FILTER [JQ-ARGS...]: edit DIR/config.json in place.
edit_config() {
	local dir=$1 filter=$2
	shift 2
	jq "$@" "$filter" "$dir/config.json" >"$dir/config.json.new" &&
		mv "$dir/config.json.new" "$dir/config.json" ||
		die_setup "jq '$filter' on $dir/config.json failed"
}

# set_args DIR ARG...: process.args of DIR/config.json.
set_args() {
	local dir=$1
	shift
	local args
	# One jq per argument: jq would take an argument such as -c for its own.
	args=$(for a in "$@"; do jq -n --arg a "$a" '$a'; done | jq -cs .) || die_setup "jq: args" || return 1
	edit_config "$dir" '.process.args = $a' --argjson a "$args"
}

# ctl_mount DIR: bind $T/ctl (made here, shared with the test) on /ctl.
ctl_mount() {
	mkdir -p "$T/ctl"
	edit_config "$1" '.mounts += [{"destination": "/ctl", "type": "bind", "source": $src, "options": ["rbind", "rw"]}]' \
		--arg src "$T/ctl"
}

# A bundle $B whose process waits until the test creates $T/ctl/go, then
# exits with status 0 (the container's command line holds $MARKER).
make_waiting_bundle() {
	B=$T/bundle
	make_bundle "$B" || return 1
	ctl_mount "$B" || return 1
	set_args "$B" sh -c 'while [ ! -e /ctl/go ]; do sleep 0.05; done; exit 0' "$MARKER"
}

# A bundle $B whose process sleeps (about a day; its command line is
# "sleep $MARKER").
make_sleeping_bundle() {
	B=$T/bundle
	make_bundle "$B" || return 1
	set_args "$B" sleep "$MARKER"
}

# state_field ID FIELD: a field of `nsbox state ID` (empty if absent).
state_field() {
	"$NSBOX" --root "$STATE" state "$1" 2>/dev/null </dev/null | jq -r --arg f "$2" '.[$f] // empty'
}

status_is() { [ "$(state_field "$1" status)" = "$2" ]; }

# wait_status ID STATUS [SECONDS]: until `nsbox state ID` says STATUS.
wait_status() {
	wait_until "${3:-10}" status_is "$1" "$2" ||
		fail "container $1 did not become $2 (state: $("$NSBOX" --root "$STATE" state "$1" 2>&1 </dev/null))"
}

# create_running ID: create and start ID from $B; $PID is its process.
create_running() {
	oci_ok create --bundle "$B" "$1" || return 1
	oci_ok start "$1" || return 1
	PID=$(state_field "$1" pid)
	[ -n "$PID" ] || fail "no pid in the state of $1"
}

pid_alive() {
	local st
	[ -r "/proc/$1/stat" ] || return 1
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}
pid_dead() { ! pid_alive "$1"; }

# cmdline PID: its command line, arguments joined by spaces.
cmdline() {
	local c
	c=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
	echo "${c% }"
}

# The entries of the state root ("" when it is empty or absent).
state_entries() {
	ls -A "$STATE" 2>/dev/null || true
}

# assert_nothing_left: no state entry, no new mount, no process of the test.
assert_nothing_left() {
	assert_equal "" "$(state_entries)" "entries in the state root $STATE" || return 1
	assert_equal "$MOUNTS_BEFORE" "$(test_mounts)" "lines of /proc/self/mountinfo on /, /tmp or $T, before/after" || return 1
	assert_no_marked_process "$MARKER" 5
}

# assert_error STATUS MESSAGE...: the last oci command failed with STATUS
# and one "nsbox: ..." error line holding every MESSAGE.
assert_error() {
	local want=$1
	shift
	assert_status "$want" || return 1
	assert_nsbox_error "$@"
}

# json_ok TEXT: TEXT is valid JSON.
json_ok() { jq -e . >/dev/null 2>&1 <<<"$1"; }
