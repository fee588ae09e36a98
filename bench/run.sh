#!/bin/bash
# Start-up cost of nsbox next to bubblewrap and the bare kernel, in one
# hyperfine run: six commands that each create a sandbox and run /bin/true
# in it. Prints the medians, the ratios and the goal checks (nsbox median
# <= 0.8 x bwrap median; with a 64 MiB memory limit, and so a cgroup of its
# own, <= 1.5 x the kernel floor's). See bench/README.md.
#
# Environment:
#   NSBOX          nsbox binary (default: <repo>/build/nsbox)
#   BENCH_RUNS     timed runs per command (default: 200)
#   BENCH_ROUNDS   split each command's runs into this many rounds, the five
#                  commands taking turns (default: 10; 1: one block each)
#   BENCH_WARMUP   untimed warm-up runs per command (default: 20)
#   BENCH_JSON     also keep hyperfine's JSON (every run's time) at this path
#   BENCH_GOAL     the goal ratio against bwrap (default: 0.8)
#   BENCH_GOAL_FLOOR  the goal ratio of --memory 64M against the floor (default: 1.5)
#   BENCH_STRICT   if 1, exit 1 when the goal is missed
set -euf -o pipefail # -f: no globbing; the commands below are split into words unquoted

repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$repo/bench/lib.sh"
nsbox=${NSBOX:-$repo/build/nsbox}
runs=${BENCH_RUNS:-200}
rounds=${BENCH_ROUNDS:-10}
warmup=${BENCH_WARMUP:-20}
goal=${BENCH_GOAL:-0.8}
goal_floor=${BENCH_GOAL_FLOOR:-1.5}

[ "$(id -u)" -eq 0 ] || die "must run as root (nsbox and bwrap need it for the same namespaces)"
bench_int BENCH_RUNS "$runs"
bench_int BENCH_ROUNDS "$rounds"
bench_count BENCH_WARMUP "$warmup"
bench_number BENCH_GOAL "$goal"
bench_number BENCH_GOAL_FLOOR "$goal_floor"
[ "$rounds" -le "$runs" ] || die "BENCH_ROUNDS ($rounds) must not exceed BENCH_RUNS ($runs)"
[ -x "$nsbox" ] || die "$nsbox: not found or not executable (build it: meson compile -C build, or set NSBOX)"
for tool in hyperfine bwrap unshare awk sort; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found (apt-get install hyperfine bubblewrap util-linux)"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nsbox-bench.XXXXXX")
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	rm -rf "$tmp"
	cg_parents_restore
}
hyperfine_pid=
# shellcheck disable=SC2317 # called by the traps
stop() {
	[ -z "$hyperfine_pid" ] || kill "$hyperfine_pid" 2>/dev/null || true
	[ -z "$hyperfine_pid" ] || wait "$hyperfine_pid" 2>/dev/null || true
	exit "$1"
}
trap cleanup EXIT
trap 'stop 130' INT
trap 'stop 143' TERM

rootfs=$tmp/rootfs
sh "$repo/tests/lib/make-rootfs.sh" "$rootfs" || die "could not build the busybox rootfs"

# Every sandbox: new pid, mount, uts, ipc, net and cgroup namespaces (no user
# namespace: we are root), lo up, a hostname, a new session, death with the
# parent, a fresh /proc, a minimal /dev with its own devpts, a tmpfs /tmp and
# a reaper as PID 1 -- what `nsbox run` does by default.
#
# bwrap gets the namespaces one by one: run by root, --unshare-all also
# creates a user namespace (--unshare-user-try succeeds), which nsbox does not.
# (bwrap always makes a mount namespace; it has no flag for it.)
bwrap_common="--unshare-pid --unshare-uts --unshare-ipc --unshare-net --unshare-cgroup"
bwrap_common+=" --die-with-parent --new-session --hostname nsbox-bench"
bwrap_fs="--proc /proc --dev /dev --tmpfs /tmp"

# Names: no comma, quote or '#' (the round number follows a '#').
names=(
	"nsbox host /"
	"nsbox --rootfs"
	"bwrap host /"
	"bwrap rootfs"
	"unshare (floor)"
	"nsbox --memory 64M"
)
# nsbox --rootfs binds DIR read-write (read-only only with --ro) and mounts a
# read-only sysfs on /sys; bwrap has no sysfs mount, so it binds the host's.
# With the host root, /sys comes with the recursive read-only bind of /.
cmds=(
	"$nsbox run -- /bin/true"
	"$nsbox run --rootfs $rootfs -- /bin/true"
	"bwrap $bwrap_common --ro-bind / / $bwrap_fs /bin/true"
	"bwrap $bwrap_common --bind $rootfs / $bwrap_fs --ro-bind /sys /sys /bin/true"
	"unshare -fpmuinC --mount-proc true"
	"$nsbox run --memory 64M -- /bin/true"
)

# No shell between hyperfine and the command, when hyperfine can do that
# (-N since 1.13; Debian 12 has 1.15). Otherwise hyperfine subtracts the
# shell's start-up time it measured.
help=$(hyperfine --help 2>&1)
noshell=()
if grep -qE '^[[:space:]]+-N([,[:space:]]|$)' <<<"$help"; then
	noshell=(-N)
elif grep -q -- '--shell' <<<"$help"; then
	noshell=(--shell=none)
fi
[ ${#noshell[@]} -gt 0 ] || [[ "$rootfs" != *[[:space:]]* ]] || die "temporary path has spaces: set TMPDIR"

# One untimed run each, with its output: a broken command fails here with
# its own error, not as a bare non-zero exit in hyperfine.
for i in "${!cmds[@]}"; do
	# shellcheck disable=SC2086 # the commands are word lists without quoting
	${cmds[$i]} || die "'${names[$i]}' failed (exit $?): ${cmds[$i]}"
done

# One hyperfine run, the commands interleaved in rounds (bench/lib.sh).
bench_rounds

json=${BENCH_JSON:-$tmp/results.json}
echo "nsbox bench: $(uname -sr), $(nproc) cpu(s), $(hyperfine --version), $(bwrap --version)," \
	"$("$nsbox" --version 2>/dev/null | head -n 1)"
echo "$((per_round * rounds)) runs per command in $rounds round(s) of $per_round, $warm_round warm-up" \
	"per round; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$style" = basic ] || echo "running hyperfine ($((per_round * rounds * ${#cmds[@]})) timed runs)..."
echo
# Hyperfine warns about outliers once per benchmark, which with rounds is a
# screenful: count the warnings, show everything only when it fails.
# In the background, so that a TERM or INT to this script stops it at once.
hyperfine "${noshell[@]}" --warmup "$warm_round" --runs "$per_round" --style "$style" \
	--export-json "$json" "${args[@]}" 2>"$tmp/hyperfine.err" &
hyperfine_pid=$!
if ! wait "$hyperfine_pid"; then
	cat "$tmp/hyperfine.err" >&2
	die "hyperfine failed"
fi
hyperfine_pid=
[ "$style" = none ] || echo
warnings=$(grep -c 'Warning' "$tmp/hyperfine.err" || true)
if [ "$warnings" -gt 0 ]; then
	echo "note: hyperfine warned $warnings time(s) about outliers or a slow first run in" \
		"$((rounds * ${#cmds[@]})) benchmark blocks: other load on the machine?"
	echo
fi

# Every run's time, as "INDEX TIME" lines sorted per command (bench/lib.sh).
bench_times "$json" "$tmp/times" "${names[@]}"

status=0
awk -v goal="$goal" -v goal_floor="$goal_floor" -v names="$(printf '%s\n' "${names[@]}")" '
	BEGIN { split(names, name, "\n") }
	{ v[$1, ++cnt[$1]] = $2; sum[$1] += $2; sq[$1] += $2 * $2 }
	function median(i, k) { k = cnt[i]; return k % 2 ? v[i, (k + 1) / 2] : (v[i, k / 2] + v[i, k / 2 + 1]) / 2 }
	function ratio(a, b) { return b > 0 ? sprintf("%.2f", a / b) : "-" }
	END {
		for (i = 1; i <= 6; i++) {
			if (!cnt[i]) { print "bench: no times for " name[i] > "/dev/stderr"; exit 2 }
			med[i] = median(i); mean = sum[i] / cnt[i]
			var = cnt[i] > 1 ? (sq[i] - cnt[i] * mean * mean) / (cnt[i] - 1) : 0
			line[i] = sprintf("%8.2f +- %5.2f", mean, var > 0 ? sqrt(var) : 0)
		}
		# The reference for each row: the bwrap with the same root.
		ref[1] = 3; ref[2] = 4; ref[3] = 3; ref[4] = 4; ref[5] = 0; ref[6] = 3
		printf "%-18s %10s %16s %8s %8s\n", "command", "median ms", "mean +- sd ms", "x bwrap", "x floor"
		for (i = 1; i <= 6; i++)
			printf "%-18s %10.2f %16s %8s %8s\n", name[i], med[i], line[i],
			       ref[i] ? ratio(med[i], med[ref[i]]) : "-", ratio(med[i], med[5])
		print ""
		miss = 0
		for (i = 1; i <= 2; i++) {
			r = med[i] / med[ref[i]]
			ok = r <= goal + 0
			if (!ok) miss = 1
			printf "goal %-16s nsbox/bwrap = %.2f  (<= %s)  %s\n", name[i] ":", r, goal, ok ? "PASS" : "MISS"
		}
		# With a cgroup and its limit: at most goal_floor x the kernel floor.
		r = med[6] / med[5]
		ok = r <= goal_floor + 0
		if (!ok) miss = 1
		printf "goal %-16s nsbox/floor = %.2f  (<= %s)  %s\n", name[6] ":", r, goal_floor, ok ? "PASS" : "MISS"
		exit miss
	}' "$tmp/times" || status=$?
[ "$status" -le 1 ] || exit "$status"

echo
echo "commands:"
for i in "${!cmds[@]}"; do
	printf '  %-18s %s\n' "${names[$i]}:" "${cmds[$i]//$rootfs/ROOTFS}"
done
echo "  (ROOTFS: a busybox-static root built by tests/lib/make-rootfs.sh, removed at exit)"

if [ "$status" -ne 0 ] && [ "${BENCH_STRICT:-0}" = 1 ]; then
	exit 1
fi
exit 0
