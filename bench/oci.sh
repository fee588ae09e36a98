#!/bin/bash
# nsbox as an OCI runtime next to crun and runc, in one hyperfine run: the
# same busybox bundle and the same config.json (the process is /bin/true)
# for all three, two ways each:
#   lifecycle  create, start, wait until stopped, delete (four commands)
#   run        `run --bundle B ID` in the foreground
# and the kernel floor `unshare -fpmuinC --mount-proc true`. Prints the
# medians, the ratios and the goal checks of issue 3 (for `run`: nsbox at
# most 0.5 x crun's median and at most 1.3 x the floor's). See
# bench/README.md.
#
# Everything runs in one private mount namespace in which the cgroup2 mount
# /sys/fs/cgroup/unified of this hybrid host is unmounted (crun 1.8 refuses
# the hybrid layout), so every runtime sees the same cgroups.
#
# Environment:
#   NSBOX             nsbox binary (default: <repo>/build/nsbox)
#   CRUN, RUNC        the other runtimes (default: crun, runc from PATH)
#   BENCH_RUNS        timed runs per command (default: 200)
#   BENCH_ROUNDS      split each command's runs into this many rounds, the
#                     seven commands taking turns (default: 10; 1: one block each)
#   BENCH_WARMUP      untimed warm-up runs per command (default: 20)
#   BENCH_BREAKDOWN   lifecycles per runtime timed step by step before the
#                     benchmark (default: 20; 0: skip)
#   BENCH_NOCGROUP    if 1, one more row, no goal: `crun
#                     --cgroup-manager=disabled run`, crun without its cgroup
#                     work (default: 0)
#   BENCH_JSON        also keep hyperfine's JSON (every run's time) at this path
#   BENCH_GOAL_CRUN   the goal ratio nsbox/crun (default: 0.5)
#   BENCH_GOAL_FLOOR  the goal ratio nsbox/floor (default: 1.3)
#   BENCH_STRICT      if 1, exit 1 when a goal is missed
set -euf -o pipefail # -f: no globbing; the commands below are split into words unquoted

repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$repo/bench/lib.sh"
nsbox=${NSBOX:-$repo/build/nsbox}
crun=${CRUN:-crun}
runc=${RUNC:-runc}
runs=${BENCH_RUNS:-200}
rounds=${BENCH_ROUNDS:-10}
warmup=${BENCH_WARMUP:-20}
breakdown=${BENCH_BREAKDOWN:-20}
nocgroup=${BENCH_NOCGROUP:-0}
goal_crun=${BENCH_GOAL_CRUN:-0.5}
goal_floor=${BENCH_GOAL_FLOOR:-1.3}

[ "$(id -u)" -eq 0 ] || die "must run as root (crun and runc create containers only as root here)"
bench_int BENCH_RUNS "$runs"
bench_int BENCH_ROUNDS "$rounds"
bench_count BENCH_WARMUP "$warmup"
bench_count BENCH_BREAKDOWN "$breakdown"
case $nocgroup in 0 | 1) ;; *) die "BENCH_NOCGROUP must be 0 or 1, not '$nocgroup'" ;; esac
bench_number BENCH_GOAL_CRUN "$goal_crun"
bench_number BENCH_GOAL_FLOOR "$goal_floor"
[ "$rounds" -le "$runs" ] || die "BENCH_ROUNDS ($rounds) must not exceed BENCH_RUNS ($runs)"
[ -x "$nsbox" ] || die "$nsbox: not found or not executable (build it: meson compile -C build, or set NSBOX)"
for tool in hyperfine unshare jq awk sort mountpoint "$crun" "$runc"; do
	command -v "$tool" >/dev/null 2>&1 ||
		die "$tool not found (apt-get install hyperfine util-linux jq crun runc)"
done
# Absolute paths: hyperfine -N execs them, and the names go into the table.
nsbox=$(cd "$(dirname "$nsbox")" && pwd)/$(basename "$nsbox")
crun=$(command -v "$crun")
runc=$(command -v "$runc")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nsbox-oci-bench.XXXXXX")
[[ "$tmp" != *[[:space:]\'\"\\]* ]] || { rmdir "$tmp"; die "temporary path has spaces or quotes: set TMPDIR"; }
bundle=$tmp/bundle
state=$tmp/state
# Container ids begin with this, so that the clean-up finds what we made.
prefix=nsbox-oci-bench-$$-

rt_names=(nsbox crun runc)
rt_bins=("$nsbox" "$crun" "$runc")

# Run "$@" in a new private mount namespace without the cgroup2 mount of a
# hybrid host (none on a pure v1 or v2 host: then nothing is unmounted).
# unshare and sh exec: "$@" ends up with unshare's pid.
# shellcheck disable=SC2016 # $@ is for the inner sh
ns_sh='if mountpoint -q /sys/fs/cgroup/unified; then umount /sys/fs/cgroup/unified || exit 2; fi; exec "$@"'
in_ns() { unshare -m --propagation private sh -c "$ns_sh" sh "$@"; }

hyperfine_pid=
# shellcheck disable=SC2317 # called by the traps
cleanup() {
	local i
	# hyperfine leads its own process group: stop it and what it runs (a
	# lifecycle's sh, a runtime), and wait (at most 5 s) until all are gone.
	if [ -n "$hyperfine_pid" ]; then
		kill -TERM -- "-$hyperfine_pid" 2>/dev/null || true
		wait "$hyperfine_pid" 2>/dev/null || true
		for i in $(seq 50); do
			kill -0 -- "-$hyperfine_pid" 2>/dev/null || break
			sleep 0.1
		done
	fi
	# Containers an interrupted run left: force-delete them with their own
	# runtime, in the same cgroup view they were made in.
	for i in "${!rt_names[@]}"; do
		[ -d "$state/${rt_names[$i]}" ] || continue
		# shellcheck disable=SC2016
		in_ns sh -c 'cd "$2" && for id in *; do [ -d "$id" ] && "$1" --root "$2" delete --force "$id"; done' \
			sh "${rt_bins[$i]}" "$state/${rt_names[$i]}" >/dev/null 2>&1 || true
	done
	# crun 1.8 also makes /sys/fs/cgroup/unified/ID (with a cgroup.procs
	# file) in the tmpfs under the unmounted cgroup2 mount, hidden on the
	# host by that mount, and never removes it: remove ours.
	# shellcheck disable=SC2016
	in_ns sh -c '
		d=/sys/fs/cgroup/unified
		[ "$(stat -f -c %T "$d" 2>/dev/null)" = tmpfs ] || exit 0
		for e in "$d/$1"*; do [ -d "$e" ] && rm -rf -- "$e"; done; exit 0' sh "$prefix" 2>/dev/null || true
	rm -rf "$tmp"
	cg_parents_restore
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The bundle: a busybox root and `nsbox spec`'s default config.json with
# five changes, the same file for all three runtimes (a 64 MiB memory
# limit: every runtime makes the container's cgroup and writes it). ociVersion 1.0.2:
# crun 1.8 refuses any version without "1.0" in it ("unknown version
# specified"); nsbox and runc accept any 1.x.
sh "$repo/tests/lib/make-rootfs.sh" "$bundle/rootfs" || die "could not build the busybox rootfs"
"$nsbox" spec --bundle "$bundle" || die "nsbox spec failed"
jq '.ociVersion = "1.0.2" | .process.args = ["/bin/true"] | .process.terminal = false
    | .root.readonly = true | .linux.resources.memory = {"limit": 67108864}' "$bundle/config.json" >"$tmp/config.json" || die "jq failed on config.json"
mv "$tmp/config.json" "$bundle/config.json"
for name in "${rt_names[@]}"; do mkdir -p "$state/$name"; done

# One lifecycle: create, start, wait until the state would say stopped,
# delete. A unique id per run ($$). The wait reads the pid file that create
# wrote and spins with shell builtins on the State line of /proc/PID/status
# until the process is gone or a zombie -- what `state` itself checks -- so
# it starts no process and sees the exit within about 0.1 ms (dash reads a
# byte per read(2): status's third line, not stat's 300-byte one). Polling
# `R state ID` instead would cost one more runtime start (5-20 ms) per poll.
# Run by sh, the same for every runtime, so its cost cancels out of the
# differences.
cat >"$tmp/lifecycle.sh" <<'EOF'
# usage: lifecycle.sh RUNTIME STATEDIR BUNDLE PIDFILE IDPREFIX
rt=$1 root=$2 bundle=$3 pidfile=$4 id=$5$$
"$rt" --root "$root" create --bundle "$bundle" --pid-file "$pidfile" "$id" || exit
# (Pid files need not end in a newline: then read fails but sets pid.)
{ read -r pid || [ -n "$pid" ]; } <"$pidfile" && "$rt" --root "$root" start "$id" || {
	"$rt" --root "$root" delete --force "$id"
	exit 1
}
while { while read -r key st _; do [ "$key" != State: ] || break; done <"/proc/$pid/status"; } 2>/dev/null &&
	[ "$st" != Z ]; do :; done
exec "$rt" --root "$root" delete "$id"
EOF

# Names: no comma, quote or '#' (the round number follows a '#').
names=()
cmds=()
for i in "${!rt_names[@]}"; do
	names+=("${rt_names[$i]} lifecycle")
	cmds+=("sh $tmp/lifecycle.sh ${rt_bins[$i]} $state/${rt_names[$i]} $bundle $tmp/${rt_names[$i]}.pid $prefix")
done
for i in "${!rt_names[@]}"; do
	names+=("${rt_names[$i]} run")
	cmds+=("${rt_bins[$i]} --root $state/${rt_names[$i]} run --bundle $bundle ${prefix}run")
done
names+=("unshare (floor)")
cmds+=("unshare -fpmuinC --mount-proc true")
if [ "$nocgroup" = 1 ]; then
	names+=("crun run no cgroup")
	cmds+=("$crun --cgroup-manager=disabled --root $state/crun run --bundle $bundle ${prefix}run")
fi
ncmds=${#cmds[@]}

# One untimed run each, with its output, and no state may be left after it:
# a broken command fails here with its own error, not as a bare non-zero
# exit in hyperfine.
for i in "${!cmds[@]}"; do
	# shellcheck disable=SC2086 # the commands are word lists without quoting
	in_ns ${cmds[$i]} || die "'${names[$i]}' failed (exit $?): ${cmds[$i]}"
done
for name in "${rt_names[@]}"; do
	left=$(ls -A "$state/$name")
	[ -z "$left" ] || die "$name left state behind in $state/$name: $left"
done

help=$(hyperfine --help 2>&1)
grep -qE '^[[:space:]]+-N([,[:space:]]|$)' <<<"$help" ||
	die "hyperfine has no -N (--shell=none): 1.13 or newer is needed"

echo "nsbox OCI bench: $(uname -sr), $(nproc) cpu(s), $(hyperfine --version)," \
	"$("$nsbox" --version 2>/dev/null | head -n 1), $("$crun" --version | head -n 1)," \
	"$("$runc" --version | head -n 1)"

# Where a lifecycle's time goes, step by step (bash timestamps, not
# hyperfine): shows that the wait is the container's own exit, not the
# polling, and what one `state` call (the alternative way to wait) costs.
if [ "$breakdown" -gt 0 ]; then
	cat >"$tmp/breakdown.sh" <<'EOF'
# usage: breakdown.sh COUNT RUNTIME STATEDIR BUNDLE PIDFILE IDPREFIX
n=$1 rt=$2 root=$3 bundle=$4 pidfile=$5 prefix=$6
# Microseconds, without a subshell: ${EPOCHREALTIME/./} (LC_NUMERIC=C).
export LC_ALL=C
for ((k = 0; k < n; k++)); do
	id=$prefix$$-$k spins=0
	t0=${EPOCHREALTIME/./}; "$rt" --root "$root" create --bundle "$bundle" --pid-file "$pidfile" "$id" || exit
	t1=${EPOCHREALTIME/./}; read -r pid <"$pidfile"; "$rt" --root "$root" start "$id" || exit
	t2=${EPOCHREALTIME/./}
	while { while read -r key st _; do [ "$key" != State: ] || break; done <"/proc/$pid/status"; } 2>/dev/null &&
		[ "$st" != Z ]; do spins=$((spins + 1)); done
	t3=${EPOCHREALTIME/./}; "$rt" --root "$root" state "$id" >/dev/null || exit
	t4=${EPOCHREALTIME/./}; "$rt" --root "$root" delete "$id" || exit
	t5=${EPOCHREALTIME/./}
	echo "$((t1 - t0)) $((t2 - t1)) $((t3 - t2)) $spins $((t4 - t3)) $((t5 - t4)) $((t5 - t0 - (t4 - t3)))"
done
EOF
	echo
	echo "lifecycle step by step, medians of $breakdown (ms; spins: polls of /proc/PID/status; state: one" \
		"\`state\` call after the exit, not part of the lifecycle):"
	printf '%-8s %8s %8s %8s %8s %8s %8s %8s\n' runtime create start wait spins state delete total
	for i in "${!rt_names[@]}"; do
		# EPOCHREALTIME: bash, not sh.
		in_ns bash "$tmp/breakdown.sh" "$breakdown" "${rt_bins[$i]}" "$state/${rt_names[$i]}" "$bundle" \
			"$tmp/${rt_names[$i]}.pid" "${prefix}b" >"$tmp/breakdown.${rt_names[$i]}" ||
			die "step-by-step lifecycle of ${rt_names[$i]} failed"
		awk -v name="${rt_names[$i]}" '
			{ for (c = 1; c <= 7; c++) v[c, NR] = $c }
			function median(c, a, k, j, t) {
				for (k = 1; k <= NR; k++) a[k] = v[c, k]
				for (k = 2; k <= NR; k++) for (j = k; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
				return NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
			}
			END {
				printf "%-8s", name
				for (c = 1; c <= 7; c++)
					if (c == 4) printf " %8d", median(c)
					else printf " %8.2f", median(c) / 1000
				printf "\n"
			}' "$tmp/breakdown.${rt_names[$i]}"
	done
fi

# One hyperfine run, the commands interleaved in rounds (bench/lib.sh).
bench_rounds

json=${BENCH_JSON:-$tmp/results.json}
echo
echo "$((per_round * rounds)) runs per command in $rounds round(s) of $per_round, $warm_round warm-up" \
	"per round; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$style" = basic ] || echo "running hyperfine ($((per_round * rounds * ncmds)) timed runs)..."
echo
# Hyperfine warns about outliers once per benchmark, which with rounds is a
# screenful: count the warnings, show everything only when it fails.
# In the background, so that a TERM or INT to this script stops it at once;
# in its own session and process group (setsid, unshare and sh all exec),
# so that the clean-up can stop it together with the command it is timing.
setsid unshare -m --propagation private sh -c "$ns_sh" sh hyperfine -N --warmup "$warm_round" --runs "$per_round" --style "$style" \
	--export-json "$json" "${args[@]}" 2>"$tmp/hyperfine.err" &
hyperfine_pid=$!
if ! wait "$hyperfine_pid"; then
	hyperfine_pid=
	cat "$tmp/hyperfine.err" >&2
	die "hyperfine failed"
fi
hyperfine_pid=
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
warnings=$(grep -c 'Warning' "$tmp/hyperfine.err" || true)
if [ "$warnings" -gt 0 ]; then
	echo "note: hyperfine warned $warnings time(s) about outliers or a slow first run in" \
		"$((rounds * ncmds)) benchmark blocks: other load on the machine?"
fi
echo
for name in "${rt_names[@]}"; do
	left=$(ls -A "$state/$name")
	[ -z "$left" ] || die "$name left state behind in $state/$name: $left"
done

# Every run's time, as "INDEX TIME" lines sorted per command (bench/lib.sh).
bench_times "$json" "$tmp/times" "${names[@]}"

# Rows 1-3: the lifecycles (nsbox, crun, runc), 4-6: run, 7: the floor,
# 8 (if there): crun run without cgroups.
status=0
awk -v goal_crun="$goal_crun" -v goal_floor="$goal_floor" -v n="$ncmds" \
    -v names="$(printf '%s\n' "${names[@]}")" '
	BEGIN { split(names, name, "\n") }
	{ v[$1, ++cnt[$1]] = $2; sum[$1] += $2; sq[$1] += $2 * $2 }
	function median(i, k) { k = cnt[i]; return k % 2 ? v[i, (k + 1) / 2] : (v[i, k / 2] + v[i, k / 2 + 1]) / 2 }
	function ratio(a, b) { return b > 0 ? sprintf("%.2f", a / b) : "-" }
	function check(what, r, goal, ok) {
		ok = r <= goal + 0
		if (!ok) miss = 1
		printf "goal %-22s %-14s = %.2f  (<= %s)  %s\n", "run:", what, r, goal, ok ? "PASS" : "MISS"
	}
	END {
		for (i = 1; i <= n; i++) {
			if (!cnt[i]) { print "bench: no times for " name[i] > "/dev/stderr"; exit 2 }
			med[i] = median(i); mean = sum[i] / cnt[i]
			var = cnt[i] > 1 ? (sq[i] - cnt[i] * mean * mean) / (cnt[i] - 1) : 0
			line[i] = sprintf("%8.2f +- %5.2f", mean, var > 0 ? sqrt(var) : 0)
		}
		printf "%-18s %10s %16s %7s %7s %7s\n", "command", "median ms", "mean +- sd ms", "x crun", "x runc", "x floor"
		for (i = 1; i <= n; i++) {
			# The same way of running: crun is row base + 2, runc base + 3.
			base = i <= 3 ? 0 : i <= 6 || i == 8 ? 3 : -1
			xc = base < 0 ? "-" : ratio(med[i], med[base + 2])
			xr = base < 0 ? "-" : ratio(med[i], med[base + 3])
			printf "%-18s %10.2f %16s %7s %7s %7s\n", name[i], med[i], line[i], xc, xr, ratio(med[i], med[7])
		}
		print ""
		printf "lifecycle - run (ms): nsbox %.2f, crun %.2f, runc %.2f\n",
		       med[1] - med[4], med[2] - med[5], med[3] - med[6]
		print ""
		miss = 0
		check("nsbox/crun", med[4] / med[5], goal_crun)
		check("nsbox/floor", med[4] / med[7], goal_floor)
		printf "(no goal) %-17s %-14s = %.2f\n", "lifecycle:", "nsbox/crun", med[1] / med[2]
		if (n >= 8)
			printf "(no goal) %-17s %-14s = %.2f  (crun without its cgroup work)\n", "run:",
			       "nsbox/crun", med[4] / med[8]
		exit miss
	}' "$tmp/times" || status=$?
[ "$status" -le 1 ] || exit "$status"

echo
echo "commands:"
for i in "${!cmds[@]}"; do
	c=${cmds[$i]//$bundle/BUNDLE}
	c=${c//$state/STATE}
	c=${c//$tmp/TMP}
	printf '  %-20s %s\n' "${names[$i]}:" "$c"
done
echo "  (BUNDLE: a busybox-static root built by tests/lib/make-rootfs.sh and \`nsbox spec\`'s"
echo "  config.json running /bin/true; STATE, TMP: temporary directories, removed at exit)"

if [ "$status" -ne 0 ] && [ "${BENCH_STRICT:-0}" = 1 ]; then
	exit 1
fi
exit 0
