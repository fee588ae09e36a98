#!/bin/bash
# Install the dependencies, build nsbox twice (plain, and with ASan + UBSan),
# and run every test against both builds: the unit tests (no root), the
# bats integration tests and the bats security tests (as root, with
# rootless cases as an unprivileged user that tests/integration/setup.sh
# creates). Then a short run of every fuzz target (scripts/fuzz.sh;
# NSBOX_FUZZ_TIME seconds each, default 60).
#
# Ends with one line "N passed, N failed" counting every test of every run;
# exits non-zero if any failed. Usage (as root): scripts/test.sh
set -u
cd "$(dirname "$0")/.."
top=$(pwd)

if [ "$(id -u)" -ne 0 ]; then
	echo "test.sh: run as root (the integration tests need it)" >&2
	exit 1
fi

./scripts/install-deps.sh || exit 1

build() {   # build DIR [meson options...]
	local dir=$1
	shift
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$@" >/dev/null || return 1
	fi
	meson compile -C "$dir" >/dev/null || { meson compile -C "$dir"; return 1; }
}

echo "== build"
build build || exit 1
# -fno-sanitize-recover: any undefined behaviour aborts, so a test fails
# even where the sanitizer's environment variables do not reach (rootless runs).
build build-asan -Db_sanitize=address,undefined -Db_lundef=false \
	-Dc_args=-fno-sanitize-recover=all -Dbuildtype=debug || exit 1

envdir=$(mktemp -d /tmp/nsbox-test.XXXXXX)
log=$(mktemp /tmp/nsbox-test-log.XXXXXX)
cleanup() {
	rm -rf "$envdir"
	rm -f "$log"
}
trap cleanup EXIT

passed=0
failed=0

# Count TAP lines of one run, and show them.
tally() {
	local p f
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	passed=$((passed + p))
	failed=$((failed + f))
	# A runner that died before its plan was done counts as a failure.
	if [ "$1" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $2 exited $1 without a failing test"
		failed=$((failed + 1))
	fi
}

for variant in build build-asan; do
	export NSBOX="$top/$variant/nsbox"
	echo "== unit tests ($variant)"
	for t in "$top/$variant"/tests/unit/test-*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		"$t" >"$log" 2>&1
		rc=$?
		cat "$log"
		tally "$rc" "$(basename "$t")"
	done
	echo "== integration tests ($variant)"
	rm -rf "$envdir"/*
	if ! tests/integration/setup.sh "$envdir" >"$log" 2>&1; then
		cat "$log"
		echo "not ok - integration set-up failed"
		failed=$((failed + 1))
		continue
	fi
	NSBOX_TEST_ENV="$envdir" bats --tap tests/integration >"$log" 2>&1
	rc=$?
	cat "$log"
	tally "$rc" "bats ($variant)"
	# The attacks of tests/security, with the probe built next to nsbox.
	echo "== security tests ($variant)"
	NSBOX_TEST_ENV="$envdir" bats --tap tests/security >"$log" 2>&1
	rc=$?
	cat "$log"
	tally "$rc" "bats security ($variant)"
done

# Fuzzing (tests/fuzz/README.md): every libFuzzer target of tests/fuzz,
# built with clang, ASan and UBSan in build-fuzz/, for $NSBOX_FUZZ_TIME
# seconds each (default 60), two at a time; each target counts as one test
# (a crash, leak or UBSan report fails it, with its reproducer named).
echo "== fuzz (${NSBOX_FUZZ_TIME:-60} s a target)"
scripts/fuzz.sh --time "${NSBOX_FUZZ_TIME:-60}" --jobs 2 >"$log" 2>&1
rc=$?
cat "$log"
tally "$rc" "fuzz.sh"

# Pure cgroup v2, for real: this host is hybrid, so the cgroup tests run
# again in a small VM (tests/vm/v2vm.sh: Debian's kernel, qemu, the host's
# root shared read-only) on the plain build. Emulated and slow: only the
# suites about cgroups and the judge, with fewer stress rounds and the
# judge's timing slack for an emulated CPU.
echo "== cgroup v2 VM (build)"
rm -rf "$envdir"/*
vm_suites=(tests/integration/cgroups.bats tests/integration/cgroup-devices.bats tests/integration/judge.bats)
if ! tests/vm/v2vm.sh prepare >"$log" 2>&1; then
	cat "$log"
	echo "not ok - cgroup v2 VM: prepare failed"
	failed=$((failed + 1))
elif ! tests/integration/setup.sh "$envdir" >"$log" 2>&1; then
	cat "$log"
	echo "not ok - cgroup v2 VM: integration set-up failed"
	failed=$((failed + 1))
else
	# The guest has fresh, empty /tmp, /var/tmp and /run: a checkout there
	# (a clean clone made with mktemp -d) is shared with it too.
	rw_top=()
	case $top in /tmp/* | /var/tmp/* | /run/*) rw_top=(--rw "$top") ;; esac
	tests/vm/v2vm.sh run --mem 2048 --timeout 3600 --rw "$envdir" "${rw_top[@]}" -- \
		env NSBOX="$top/build/nsbox" NSBOX_TEST_ENV="$envdir" NSBOX_TEST_CYCLES=20 NSBOX_TEST_KILLS=10 \
		JUDGE_SLACK_MS=300 \
		bats --tap "${vm_suites[@]}" >"$log" 2>&1
	rc=$?
	cat "$log"
	tally "$rc" "bats (cgroup v2 VM)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
