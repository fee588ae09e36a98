#!/bin/bash
# Self-test of v2vm.sh, as root: boots the VM a few times and prints TAP.
#
#   1. one boot runs the checks of the guest (this script with --inside):
#      pure cgroup v2 with its controllers, a child cgroup with memory.max,
#      unshare, bats, the writable and read-only paths, the environment...;
#      it exits 7, which must come back as v2vm.sh's status;
#   2. 'true' must give 0;
#   3. --timeout 5 on 'sleep 100' must give 124, quickly;
#   4. a kernel panic in the guest must give 125 and say so;
#   5. SIGTERM to v2vm.sh must stop it and its VM;
# and after each, nothing may be left: no temp dir, no process.
#
# Usage: tests/vm/selftest.sh    (or tests/vm/v2vm.sh selftest)
# Ends with "N passed, N failed"; exits non-zero if any failed.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
v2vm=$here/v2vm.sh
repo=$(cd "$here/../.." && pwd)

# -- inside the guest ----------------------------------------------------------

# Checks print "ok - WHAT" or "not ok - WHAT"; the host numbers them.
check() {   # check WHAT COMMAND...
	local what=$1
	shift
	if "$@" >/dev/null 2>&1; then echo "ok - $what"; else echo "not ok - $what"; fi
}
skip() { echo "ok - $1 # SKIP $2"; }

writable() { local f="$1/.v2vm-selftest.$$"; touch "$f" && rm -f "$f"; }
mounted() { mountpoint -q "$1"; }

inside() {   # inside HOST_CWD RW_DIR
	local cwd=$1 rw=$2 cg
	check "cgroup2fs on /sys/fs/cgroup" \
		test "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs
	check "cgroup.controllers lists memory and pids" \
		grep -qwE 'memory.*pids|pids.*memory' /sys/fs/cgroup/cgroup.controllers
	check "every controller enabled in the root's cgroup.subtree_control" \
		test "$(cat /sys/fs/cgroup/cgroup.subtree_control)" = "cpuset cpu io memory hugetlb pids rdma misc"
	check "no cgroup v1: /proc/self/cgroup is 0::/" \
		test "$(cat /proc/self/cgroup)" = "0::/"
	cg=/sys/fs/cgroup/v2vm-selftest.$$
	check "a child cgroup with memory.max written and read back" \
		sh -c "mkdir $cg && echo 67108864 >$cg/memory.max && test \"\$(cat $cg/memory.max)\" = 67108864"
	check "a process moved into the child cgroup" \
		sh -c "sh -c 'echo \$\$ >$cg/cgroup.procs && cat /proc/self/cgroup' | grep -qx '0::/v2vm-selftest.$$'"
	check "the child cgroup removed" rmdir "$cg"
	check "unshare -fpmuinC --mount-proc true" unshare -fpmuinC --mount-proc true
	# The kernel refuses CLONE_NEWUSER in a chroot: the guest must not be one.
	check "a user namespace (unshare -Ur)" test "$(unshare -Ur id -u)" = 0
	check "bats --version" bats --version
	check "the guest's kernel is Debian's (not the host's)" \
		sh -c 'uname -r | grep -q -- "-amd64$"'
	check "the working directory is the caller's" test "$PWD" = "$cwd"
	check "HOME=/root, TERM=dumb, a PATH with sbin" \
		test "$HOME:$TERM:$PATH" = "/root:dumb:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	check "hostname v2vm" test "$(hostname)" = v2vm
	# shellcheck disable=SC2016 # expanded by that sh
	check "loopback up" sh -c 'test $(( $(cat /sys/class/net/lo/flags) & 1 )) = 1'
	check "/dev/pts, /dev/shm and /dev/mqueue mounted" \
		sh -c 'mountpoint -q /dev/pts && mountpoint -q /dev/shm && mountpoint -q /dev/mqueue'
	check "/dev/ptmx gives a pty (script(1) works)" script -qec true /dev/null
	local d
	for d in /tmp /run /var/tmp /var/lib /root /home /etc "$V2VM_SCRATCH" "$rw"; do
		check "$d writable" writable "$d"
	done
	check "the repository read-only" sh -c "! touch '$here/.v2vm-selftest' 2>/dev/null"
	check "/usr read-only" sh -c "! touch /usr/.v2vm-selftest 2>/dev/null"
	if getent passwd nsbox-test >/dev/null; then
		check "nsbox-test and its subordinate ids from the host's /etc" \
			sh -c 'runuser -u nsbox-test -- id -u >/dev/null && grep -q "^nsbox-test:" /etc/subuid /etc/subgid'
	else
		skip "nsbox-test from the host's /etc" "the host has no user nsbox-test"
	fi
	check "a module loads on demand (veth)" \
		sh -c 'ip link add v2vm0 type veth peer name v2vm1 && ip link del v2vm0'
	if [ -x "$repo/build/nsbox" ]; then
		check "the host's build/nsbox runs" "$repo/build/nsbox" --version
	else
		skip "the host's build/nsbox runs" "not built"
	fi
	echo "written by the guest" >"$rw/from-guest"
	echo "v2vm-selftest: this line goes to stderr" >&2
	exit 7
}

if [ "${1-}" = --inside ]; then
	inside "$2" "$3"
fi

# -- on the host ---------------------------------------------------------------

if [ "$(id -u)" -ne 0 ]; then
	echo "selftest.sh: run as root" >&2
	exit 1
fi

n=0 passed=0 failed=0
tap() {   # tap STATUS WHAT [DIAGNOSTIC]
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
		passed=$((passed + 1))
	else
		echo "not ok $n - $2"
		[ -z "${3-}" ] || printf '%s\n' "$3" | sed 's/^/# /'
		failed=$((failed + 1))
	fi
}
expect() {   # expect WHAT DIAGNOSTIC COMMAND...: ok if COMMAND succeeds
	local what=$1 diag=$2
	shift 2
	if "$@"; then tap 0 "$what"; else tap 1 "$what" "$diag"; fi
}

# The runs' temp dirs go under this TMPDIR, so that leftovers show.
work=$(mktemp -d /tmp/v2vm-selftest.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tmp" "$work/rw"
# Every process of a run (v2vm.sh, qemu, the timer, the tails) inherits
# this mark; the checks below do not.
v2vm_run() { TMPDIR=$work/tmp V2VM_SELFTEST_MARK=$work "$v2vm" run "$@"; }

# No temp dir of a run left, and no process of one.
no_leftovers() {
	local p
	if [ -n "$(ls -A "$work/tmp")" ]; then
		echo "left in TMPDIR: $(ls -A "$work/tmp")"
		return 1
	fi
	for p in /proc/[0-9]*; do
		if tr '\0' '\n' 2>/dev/null <"$p/environ" | grep -qxF "V2VM_SELFTEST_MARK=$work"; then
			echo "left running: $(tr '\0' ' ' <"$p/cmdline")"
			return 1
		fi
	done
}
expect_no_leftovers() {   # expect_no_leftovers WHEN
	local diag
	if diag=$(no_leftovers); then tap 0 "nothing left behind $1"; else tap 1 "nothing left behind $1" "$diag"; fi
}

elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# The cache first, so that its cost is not counted as a boot's.
"$v2vm" prepare >/dev/null 2>&1 || "$v2vm" prepare || exit 1

# 1. The guest's checks, from the repository's directory.
cd "$repo" || exit 1
t=$EPOCHREALTIME
v2vm_run --verbose --rw "$work/rw" -- "$here/selftest.sh" --inside "$repo" "$work/rw" \
	>"$work/out" 2>"$work/err"
rc=$?
secs=$(elapsed "$t")
while IFS= read -r line; do
	case $line in
	"ok - "*) tap 0 "${line#ok - }" ;;
	"not ok - "*) tap 1 "${line#not ok - }" ;;
	*) echo "# stdout: $line" ;;
	esac
done <"$work/out"
err=$(cat "$work/err")
expect "the guest's checks ran" "$err" grep -q '^ok - ' "$work/out"
expect "exit status 7 propagated (got $rc, after $secs s)" "$err" test "$rc" -eq 7
expect "the command's stderr on our stderr" "$err" grep -q 'this line goes to stderr' "$work/err"
expect "... and not on our stdout" "" sh -c "! grep -q 'goes to stderr' '$work/out'"
expect "boot time reported: $(grep -o 'boot to command.*' "$work/err")" "$err" \
	grep -q 'boot to command' "$work/err"
expect "a file the guest wrote in --rw DIR is on the host" "" \
	grep -qx "written by the guest" "$work/rw/from-guest"
expect_no_leftovers "after a run"

# 2. Status 0.
t=$EPOCHREALTIME
v2vm_run -- true >"$work/out" 2>&1
rc=$?
expect "exit status 0 propagated (got $rc; 'true' took $(elapsed "$t") s in all)" \
	"$(cat "$work/out")" test "$rc" -eq 0

# 3. A timeout stops the VM, quickly and with 124.
t=$EPOCHREALTIME
v2vm_run --timeout 5 -- sleep 100 >"$work/out" 2>&1
rc=$?
secs=$(elapsed "$t")
expect "--timeout 5 on 'sleep 100': 124 (got $rc)" "$(cat "$work/out")" test "$rc" -eq 124
expect "... with a message" "$(cat "$work/out")" grep -q 'timed out after 5 s' "$work/out"
expect "... within 10 s (took $secs s)" "" awk -v s="$secs" 'BEGIN { exit !(s < 10) }'
expect_no_leftovers "after the timeout"

# 4. A guest that panics: 125, and the console's last lines shown.
v2vm_run --timeout 120 -- sh -c 'echo c >/proc/sysrq-trigger; sleep 100' >"$work/out" 2>&1
rc=$?
expect "a kernel panic in the guest: 125 (got $rc)" "$(cat "$work/out")" test "$rc" -eq 125
expect "... with the console shown" "$(cat "$work/out")" grep -q 'Kernel panic' "$work/out"

# 5. SIGTERM to v2vm.sh once the command runs: 143, and the VM stopped.
# (Not through v2vm_run: $! must be v2vm.sh itself, not a subshell.)
TMPDIR=$work/tmp V2VM_SELFTEST_MARK=$work "$v2vm" run --timeout 120 -- sh -c 'echo started; exec sleep 100' >"$work/out" 2>&1 &
pid=$!
for _ in $(seq 600); do
	grep -q started "$work/out" && break
	sleep 0.1
done
kill -TERM "$pid"
wait "$pid"
rc=$?
expect "SIGTERM to v2vm.sh: 143 (got $rc)" "$(cat "$work/out")" test "$rc" -eq 143
expect_no_leftovers "after SIGTERM"

echo "1..$n"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
