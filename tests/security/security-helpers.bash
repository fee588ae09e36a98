# Set-up, helpers and the leak check of the security tests (tests/security).
# Loaded by every .bats file there, after ../integration/helpers:
#
#   load ../integration/helpers
#   load security-helpers
#
# Each test gets a temporary directory $T (removed at teardown) holding:
#   $T/rootfs   a copy of the busybox root with the probe at /bin/nsbox-probe
#               and an empty /ctl (make more with make_rootfs DIR)
#   $T/ctl      a directory shared with sandboxes (bind it on /ctl), mode 1777
#   $T/state    the state root of every OCI command (passed as --root)
#   $TAG        a unique word (a valid sleep duration and container id) in the
#               command lines of the test's processes and in its names
# and a baseline, taken at set-up, of what a sandbox could leak on the host;
# assert_no_leak compares against it (see there).
#
#   NSBOX_PROBE  the probe (tests/security/probes/nsbox-probe.c), default:
#                next to $NSBOX in the build dir; setup.sh copies it to
#                $NSBOX_TEST_ENV/bin/nsbox-probe for the test user.

NSBOX_PROBE=${NSBOX_PROBE:-$(dirname "$NSBOX")/tests/security/nsbox-probe}
USER_PROBE=${NSBOX_TEST_ENV:+$NSBOX_TEST_ENV/bin/nsbox-probe}

sec_setup() {
	nsbox_setup || return 1
	[ -x "$NSBOX_PROBE" ] || die_setup "probe '$NSBOX_PROBE' missing (meson compile -C build, or set NSBOX_PROBE)" || return 1
	command -v jq >/dev/null || die_setup "jq missing (scripts/install-deps.sh installs it)" || return 1
	# The test user runs the probe too: keep its copy current (as nsbox's).
	if ! cmp -s "$NSBOX_PROBE" "$USER_PROBE"; then
		cp "$NSBOX_PROBE" "$USER_PROBE.new.$$" && chmod 0755 "$USER_PROBE.new.$$" &&
			mv -f "$USER_PROBE.new.$$" "$USER_PROBE" ||
			die_setup "cannot refresh '$USER_PROBE' from '$NSBOX_PROBE'" || return 1
	fi
	new_tempdir T || return 1
	TAG=$(new_marker)
	STATE=$T/state
	mkdir -p "$T/ctl" && chmod 1777 "$T/ctl"
	make_rootfs "$T/rootfs" || return 1
	on_teardown 'sec_cleanup'
	on_teardown 'kill_marked "$TAG"'
	sec_baseline
}

setup() { sec_setup; }

# make_rootfs DIR: a copy of the busybox root with the probe and /ctl.
make_rootfs() {
	cp -a "$ROOTFS" "$1" && cp "$NSBOX_PROBE" "$1/bin/nsbox-probe" &&
		chmod 0755 "$1/bin/nsbox-probe" && mkdir -p "$1/ctl" ||
		die_setup "cannot make the root fs '$1'"
}

# nsb ARGS...: nsbox with the test's state root.
nsb() { "$NSBOX" --root "$STATE" "$@"; }

# Delete every container the test left in $STATE (killing it first).
sec_cleanup() {
	local id
	[ -n "${STATE-}" ] && [ -d "$STATE" ] || return 0
	for id in $("$NSBOX" --root "$STATE" list --quiet 2>/dev/null </dev/null); do
		"$NSBOX" --root "$STATE" delete --force "$id" >/dev/null 2>&1 </dev/null || true
	done
}

# sandbox ARGS...: `nsbox run --rootfs $T/rootfs ARGS` with bats' run.
sandbox() {
	run --separate-stderr "$NSBOX" run --rootfs "$T/rootfs" "$@"
}

# sandbox_as_user ARGS...: the same as the test user (rootless).
sandbox_as_user() {
	run --separate-stderr as_user "$USER_NSBOX" run --rootfs "$T/rootfs" "$@"
}

# ---------------------------------------------------------------------------
# OCI bundles (see tests/integration/oci-helpers.bash for the conventions).

# make_oci_bundle DIR [JQ-FILTER [JQ-ARGS...]]: a bundle with its own copy
# of the root fs (probe included), the config of `nsbox spec` without a
# terminal, $T/ctl bound on /ctl, edited by JQ-FILTER.
make_oci_bundle() {
	local dir=$1
	shift
	mkdir -p "$dir" && make_rootfs "$dir/rootfs" || return 1
	"$NSBOX" spec --bundle "$dir" || die_setup "nsbox spec --bundle '$dir' failed" || return 1
	oci_edit "$dir" '.process.terminal = false | .mounts += [{"destination": "/ctl", "type": "bind", "source": $ctl, "options": ["rbind", "rw"]}]' \
		--arg ctl "$T/ctl" || return 1
	if [ $# -gt 0 ]; then
		oci_edit "$dir" "$@" || return 1
	fi
}

# oci_edit DIR JQ-FILTER [JQ-ARGS...]: edit DIR/config.json in place.
oci_edit() {
	local dir=$1 filter=$2
	shift 2
	jq "$@" "$filter" "$dir/config.json" >"$dir/config.json.new" &&
		mv "$dir/config.json.new" "$dir/config.json" ||
		die_setup "jq '$filter' on $dir/config.json failed"
}

# oci_args DIR ARG...: process.args of DIR/config.json.
oci_args() {
	local dir=$1 args
	shift
	args=$(for a in "$@"; do jq -n --arg a "$a" '$a'; done | jq -cs .) || return 1
	oci_edit "$dir" '.process.args = $a' --argjson a "$args"
}

# oci ARGS...: `nsbox --root $STATE ARGS` with stdin /dev/null and stdout and
# stderr in files ($OCI_OUT, $OCI_ERR; a created container inherits them),
# every other fd closed; sets $status, $output and $stderr.
OCI_N=0
oci() {
	OCI_N=$((OCI_N + 1))
	OCI_OUT=$T/out.$OCI_N
	OCI_ERR=$T/err.$OCI_N
	status=0
	only_stdio "$NSBOX" --root "$STATE" "$@" </dev/null >"$OCI_OUT" 2>"$OCI_ERR" || status=$?
	output=$(tr -d '\0' <"$OCI_OUT")
	stderr=$(cat "$OCI_ERR")
}

oci_ok() {
	oci "$@"
	[ "$status" -eq 0 ] || fail "nsbox $* failed"
}

# only_stdio CMD...: run CMD with no fd open but 0, 1 and 2 (bats and the
# harness leave others open, which --preserve-fds would pass on).
only_stdio() {
	(
		local fd
		for fd in $(ls /proc/$BASHPID/fd); do
			[ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null
		done
		exec "$@"
	)
}

# oci_start ID BUNDLE: create and start ID; $PID is its process (host pid).
oci_start() {
	oci_ok create --bundle "$2" "$1" || return 1
	oci_ok start "$1" || return 1
	PID=$("$NSBOX" --root "$STATE" state "$1" </dev/null | jq -r .pid)
	[ -n "$PID" ] && [ "$PID" != null ] || fail "no pid in the state of $1"
}

# ---------------------------------------------------------------------------
# The leak check. A baseline of everything of the test's that a sandbox
# could leave on the host, narrowed to the test's own paths and tag so that
# other suites running meanwhile do not disturb it:
#   - mounts: lines of /proc/self/mountinfo on or from a path under $T, or
#     on /, /tmp, /etc, /proc, /sys or /dev (where a hostile root would aim);
#   - processes: those whose command line holds $TAG, or whose root or
#     working directory lies under $T (any sandbox of the test);
#   - fds: any process's fd on a path under $T (a leaked nsbox holding a
#     state directory, a root or a pipe of the test's);
#   - the state root $STATE and the default one (entries naming $TAG);
#   - cgroups named after $TAG;
#   - the host's network links;
#   - the fds of the test's own shell.

sec_mounts() {
	awk -v t="$T" 'index($4, t) == 1 || index($5, t) == 1 ||
		$5 == "/" || $5 == "/tmp" || $5 == "/etc" || $5 == "/proc" || $5 == "/sys" || $5 == "/dev"' \
		/proc/self/mountinfo | cut -d' ' -f4- | sort
}

# Processes of the test: by tag, by a command line naming a path under $T
# (nsbox --root $T/state, --rootfs $T/rootfs...), or by an executable that
# is one of the test's files (the busybox and probe copies under $T: every
# process of a sandbox that runs a program of the image). A sandbox's root
# or cwd would not do: seen from the host, a pivoted root reads as "/".
sec_procs() {
	local f same=()
	pids_with_marker "$TAG"
	grep -laF -- "$T" /proc/[0-9]*/cmdline 2>/dev/null | sed -n 's#^/proc/\([0-9]*\)/cmdline$#\1#p'
	while IFS= read -r f; do
		same+=(-o -samefile "$f")
	done < <(find "$T" -xdev -type f \( -name busybox -o -name 'nsbox-probe*' -o -name 'victim-nsbox' \) 2>/dev/null)
	if [ ${#same[@]} -gt 0 ]; then
		find -L /proc/[0-9]*/exe -maxdepth 0 \( "${same[@]:1}" \) 2>/dev/null |
			sed -n 's#^/proc/\([0-9]*\)/exe$#\1#p'
	fi
}

sec_procs_described() {
	local p
	for p in $(sec_procs | sort -u); do
		[ "$p" = "$BASHPID" ] && continue
		[ -d "/proc/$p" ] || continue
		# (grep and find, reading their own command line just now)
		case "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" in grep\ *|find\ *|"") continue ;; esac
		echo "$p ($(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-120), state $(awk '{print $3}' "/proc/$p/stat" 2>/dev/null))"
	done
}

# Fds of any process (but this shell) on a path under $T.
sec_fds() {
	find /proc/[0-9]*/fd -mindepth 1 -maxdepth 1 -lname "$T/*" -printf '%p -> %l\n' 2>/dev/null |
		grep -v "^/proc/$BASHPID/" || true
}

sec_state() {
	ls -A "$STATE" 2>/dev/null || true
	ls -A /run/nsbox 2>/dev/null | grep -F -- "$TAG" || true
}

sec_cgroups() {
	find /sys/fs/cgroup -maxdepth 5 -name "*$TAG*" 2>/dev/null || true
}

sec_links() {
	ip -o link show 2>/dev/null | link_names
}

sec_shell_fds() {
	ls /proc/$BASHPID/fd | sort -n | tr '\n' ' '
}

sec_baseline() {
	BASE_MOUNTS=$(sec_mounts)
	BASE_STATE=$(sec_state)
	BASE_CGROUPS=$(sec_cgroups)
	BASE_LINKS=$(sec_links)
	BASE_SHELL_FDS=$(sec_shell_fds)
}

_no_test_procs() { [ -z "$(sec_procs_described)" ]; }
_no_test_fds() { [ -z "$(sec_fds)" ]; }

# assert_no_leak: nothing of the test's is left on the host: no process
# (within 5 s), no fd on its files, no mount, state entry, cgroup or link
# beyond the baseline, and this shell's fds unchanged. Call it once the
# test has deleted what it created on purpose.
assert_no_leak() {
	if ! wait_until 5 _no_test_procs; then
		fail "processes of the test are left: $(sec_procs_described)"
		return 1
	fi
	if ! wait_until 2 _no_test_fds; then
		fail "fds on the test's files are left open: $(sec_fds)"
		return 1
	fi
	assert_equal "$BASE_MOUNTS" "$(sec_mounts)" "host mounts under $T or on /, /tmp, /etc, /proc, /sys, /dev (before/after)" || return 1
	assert_equal "$BASE_STATE" "$(sec_state)" "state roots (before/after)" || return 1
	assert_equal "$BASE_CGROUPS" "$(sec_cgroups)" "cgroups named after $TAG (before/after)" || return 1
	assert_equal "$BASE_LINKS" "$(sec_links)" "the host's network links (before/after)" || return 1
	assert_equal "$BASE_SHELL_FDS" "$(sec_shell_fds)" "the test shell's fds (before/after)"
}

# ---------------------------------------------------------------------------
# Small helpers.

# nsbox_children PID: the direct children of process PID, one a line.
nsbox_children() {
	tr ' ' '\n' <"/proc/$1/task/$1/children" 2>/dev/null | grep . || true
}

# status_field PID FIELD: a field of /proc/PID/status, e.g. CapEff.
status_field() {
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

# sha FILE: its sha256.
sha() { sha256sum "$1" | cut -d' ' -f1; }

# A copy of nsbox under $T that the CVE-2019-5736 tests attack, so that a
# successful attack could never damage the binary the other tests run.
make_victim() {
	VICTIM=$T/victim-nsbox
	cp "$NSBOX" "$VICTIM" && chmod 0755 "$VICTIM" || die_setup "cannot copy nsbox to $VICTIM" || return 1
	VICTIM_SHA=$(sha "$VICTIM")
}

# pid_alive PID: the process exists and is not a zombie.
pid_alive() {
	local st
	[ -r "/proc/$1/stat" ] || return 1
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# wait_file SECONDS FILE: until FILE exists.
wait_file() {
	wait_until "$1" test -e "$2"
}
