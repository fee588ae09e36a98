#!/bin/bash
# The judge's accuracy and cost (issue 9), in one run:
#
#   1. overshoot: how far past its limit a run is stopped, from the reports
#      of BENCH_OVERSHOOT_RUNS runs each of a CPU spin in 1 thread and in 8
#      threads under --time-limit 0.5 (cpu_time_ms - 500) and of a sleep
#      under --wall-time-limit 0.5 (wall_time_ms - 500): median and max;
#   2. cost: one hyperfine run, in rounds, of `nsbox run` with limits and a
#      report, `nsbox run` without, and bwrap without limits, each running
#      /bin/true: medians and ratios to bwrap.
#
# Goals: overshoot at most 10 ms at the median and 20 ms at the max; the
# judged run's median at most 1.0 x bwrap's. See bench/README.md.
#
# Environment:
#   NSBOX                 nsbox binary (default: <repo>/build/nsbox)
#   NSBOX_JUDGEPROG       the spinning program (default: next to NSBOX,
#                         tests/helpers/nsbox-judgeprog)
#   BENCH_OVERSHOOT_RUNS  runs per overshoot case (default: 20)
#   BENCH_RUNS            timed runs per command (default: 200)
#   BENCH_ROUNDS          rounds the runs are split into (default: 10)
#   BENCH_WARMUP          untimed warm-up runs per command (default: 20)
#   BENCH_JSON            also keep hyperfine's JSON at this path
#   BENCH_STRICT          if 1, exit 1 when a goal is missed
set -euf -o pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$repo/bench/lib.sh"
nsbox=${NSBOX:-$repo/build/nsbox}
prog=${NSBOX_JUDGEPROG:-$(dirname "$nsbox")/tests/helpers/nsbox-judgeprog}
oruns=${BENCH_OVERSHOOT_RUNS:-20}
runs=${BENCH_RUNS:-200}
rounds=${BENCH_ROUNDS:-10}
warmup=${BENCH_WARMUP:-20}

[ "$(id -u)" -eq 0 ] || die "must run as root (the judged runs need a cgroup)"
bench_int BENCH_OVERSHOOT_RUNS "$oruns"
bench_int BENCH_RUNS "$runs"
bench_int BENCH_ROUNDS "$rounds"
bench_count BENCH_WARMUP "$warmup"
[ "$rounds" -le "$runs" ] || die "BENCH_ROUNDS ($rounds) must not exceed BENCH_RUNS ($runs)"
[ -x "$nsbox" ] || die "$nsbox: not found or not executable (meson compile -C build, or set NSBOX)"
[ -x "$prog" ] || die "$prog: not found (meson compile -C build, or set NSBOX_JUDGEPROG)"
# The sandbox sees the host's root, but a /tmp of its own.
case $(realpath "$prog") in /tmp/*) die "$prog: the sandbox's /tmp is its own: put it elsewhere" ;; esac
for tool in hyperfine bwrap jq awk sort; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found (apt-get install hyperfine bubblewrap jq)"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nsbox-bench-judge.XXXXXX")
hyperfine_pid=
# shellcheck disable=SC2317 # called by the traps
cleanup() {
	rm -rf "$tmp"
	cg_parents_restore
}
# shellcheck disable=SC2317
stop() {
	[ -z "$hyperfine_pid" ] || kill "$hyperfine_pid" 2>/dev/null || true
	[ -z "$hyperfine_pid" ] || wait "$hyperfine_pid" 2>/dev/null || true
	exit "$1"
}
trap cleanup EXIT
trap 'stop 130' INT
trap 'stop 143' TERM

echo "nsbox judge bench: $(uname -sr), $(nproc) cpu(s), $(hyperfine --version), $(bwrap --version)," \
	"$("$nsbox" --version 2>/dev/null | head -n 1); cgroups: $(stat -f -c %T /sys/fs/cgroup)," \
	"reports on $(stat -f -c %T "$tmp"); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# -- 1. overshoot -------------------------------------------------------------

# overshoot NAME FIELD LIMIT_MS NSBOX-ARGS...: BENCH_OVERSHOOT_RUNS runs; each
# report's FIELD less LIMIT_MS, one a line, into $tmp/NAME.
overshoot() {
	local name=$1 field=$2 limit=$3 i
	shift 3
	: >"$tmp/$name"
	for ((i = 0; i < oruns; i++)); do
		"$nsbox" run --report "$tmp/r.json" "$@" >/dev/null 2>&1 || true
		jq -e '.status == "TO"' "$tmp/r.json" >/dev/null || die "$name: not TO: $(cat "$tmp/r.json")"
		jq -r ".$field - $limit" "$tmp/r.json" >>"$tmp/$name"
	done
}

overshoot cpu1 cpu_time_ms 500 --time-limit 0.5 -- "$prog" spin 1
overshoot cpu8 cpu_time_ms 500 --time-limit 0.5 -- "$prog" spin 8
overshoot wall wall_time_ms 500 --wall-time-limit 0.5 -- "$prog" sleep 100000

printf '%-28s %10s %10s %10s\n' "overshoot (ms), $oruns runs" median max min
omiss=0
for case in "cpu1:CPU, 1 thread" "cpu8:CPU, 8 threads" "wall:wall clock"; do
	name=${case%%:*}
	line=$(sort -g "$tmp/$name" | awk '{ v[NR] = $1 } END {
		med = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.3f %.3f %.3f", med, v[NR], v[1] }')
	read -r med max min <<<"$line"
	printf '%-28s %10s %10s %10s\n' "${case#*:}" "$med" "$max" "$min"
	awk -v m="$med" -v x="$max" 'BEGIN { exit !(m <= 10 && x <= 20) }' || omiss=1
done
echo

# -- 2. cost --------------------------------------------------------------------

bwrap_args="--unshare-pid --unshare-uts --unshare-ipc --unshare-net --unshare-cgroup"
bwrap_args+=" --die-with-parent --new-session --hostname nsbox-bench --ro-bind / / --proc /proc"
bwrap_args+=" --dev /dev --tmpfs /tmp /bin/true"
limits="--time-limit 10 --wall-time-limit 10 --memory 256m --pids 64"
names=(
	"nsbox judged"
	"nsbox judged io"
	"nsbox plain"
	"bwrap"
)
cmds=(
	"$nsbox run $limits --report $tmp/cost.json -- /bin/true"
	"$nsbox run $limits --stdout $tmp/out --output-limit 1m --report $tmp/cost2.json -- /bin/true"
	"$nsbox run -- /bin/true"
	"bwrap $bwrap_args"
)
for i in "${!cmds[@]}"; do
	# shellcheck disable=SC2086 # word lists without quoting
	${cmds[$i]} || die "'${names[$i]}' failed (exit $?): ${cmds[$i]}"
done
bench_rounds
json=${BENCH_JSON:-$tmp/results.json}
echo "$((per_round * rounds)) runs per command in $rounds round(s) of $per_round, $warm_round warm-up per round"
hyperfine -N --warmup "$warm_round" --runs "$per_round" --style "$style" --export-json "$json" \
	"${args[@]}" >/dev/null 2>"$tmp/hyperfine.err" &
hyperfine_pid=$!
if ! wait "$hyperfine_pid"; then
	cat "$tmp/hyperfine.err" >&2
	die "hyperfine failed"
fi
hyperfine_pid=
bench_times "$json" "$tmp/times" "${names[@]}"
bench_medians "$tmp/times" "${names[@]}" >"$tmp/medians"
bwrap_med=$(awk -F'\t' '$1 == "bwrap" { print $2 }' "$tmp/medians")
printf '%-18s %10s %16s %8s\n' command "median ms" "mean +- sd ms" "x bwrap"
awk -F'\t' -v b="$bwrap_med" '{ printf "%-18s %10.2f %8.2f +- %5.2f %8.2f\n", $1, $2, $3, $4, $2 / b }' "$tmp/medians"
judged=$(awk -F'\t' '$1 == "nsbox judged" { print $2 }' "$tmp/medians")
cmiss=0
awk -v j="$judged" -v b="$bwrap_med" 'BEGIN { exit !(j <= b) }' || cmiss=1
echo
echo "goal overshoot: median <= 10 ms, max <= 20 ms   $([ $omiss = 0 ] && echo PASS || echo MISS)"
echo "goal cost: nsbox judged / bwrap = $(awk -v j="$judged" -v b="$bwrap_med" 'BEGIN { printf "%.2f", j / b }')" \
	"(<= 1.0)   $([ $cmiss = 0 ] && echo PASS || echo MISS)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "commands:"
for i in "${!cmds[@]}"; do
	printf '  %-18s %s\n' "${names[$i]}:" "${cmds[$i]//$tmp/TMP}"
done
if [ "${BENCH_STRICT:-0}" = 1 ] && [ $((omiss + cmiss)) -gt 0 ]; then
	exit 1
fi
exit 0
