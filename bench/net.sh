#!/bin/bash
# The cost of networking at start-up: `nsbox run --net bridge -- /bin/true`
# next to `--net none`, with a published port (the NAT helper's cost), and
# the tutorials' way (unshare plus `ip link add ... veth`, `ip addr`, `ip
# route`; bench/net-tutorial.sh) and the bare unshare, in one hyperfine run.
# Prints medians, ratios and the goal check: bridge adds at most 3 ms to
# none. See bench/README.md.
#
# Environment: NSBOX, BENCH_RUNS (200), BENCH_ROUNDS (10), BENCH_WARMUP (20),
# BENCH_JSON, BENCH_GOAL_MS (3), BENCH_STRICT (1: exit 1 on a missed goal).
set -euf -o pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$repo/bench/lib.sh"
nsbox=${NSBOX:-$repo/build/nsbox}
runs=${BENCH_RUNS:-200}
rounds=${BENCH_ROUNDS:-10}
warmup=${BENCH_WARMUP:-20}
goal_ms=${BENCH_GOAL_MS:-3}

[ "$(id -u)" -eq 0 ] || die "must run as root (bridges and veth pairs)"
bench_int BENCH_RUNS "$runs"
bench_int BENCH_ROUNDS "$rounds"
bench_count BENCH_WARMUP "$warmup"
[ "$rounds" -le "$runs" ] || die "BENCH_ROUNDS ($rounds) must not exceed BENCH_RUNS ($runs)"
[ -x "$nsbox" ] || die "$nsbox: not found or not executable (meson compile -C build, or set NSBOX)"
[ -x "$(dirname "$nsbox")/nsbox-nat" ] || die "nsbox-nat missing beside $nsbox"
for tool in hyperfine unshare nsenter ip awk sort; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found (apt-get install hyperfine util-linux iproute2)"
done

# A network of the bench's own, and a bridge for the tutorials' way.
net=nbbench$$
net=${net:0:15}
tut=nbbtut$$
tut=${tut:0:15}
sub3=10.$((200 + RANDOM % 50)).$((RANDOM % 250))
tsub3=10.$((200 + RANDOM % 50)).$((RANDOM % 250))
[ "$sub3" != "$tsub3" ] || tsub3=10.199.$((RANDOM % 250))
port=$((20000 + RANDOM % 20000))
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nsbox-bench.XXXXXX")
hyperfine_pid=
# shellcheck disable=SC2317 # called by the traps
cleanup() {
	[ -z "$hyperfine_pid" ] || kill "$hyperfine_pid" 2>/dev/null || true
	"$nsbox" network rm "$net" >/dev/null 2>&1 || true
	ip link del "$tut" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$nsbox" network create "$net" --subnet "$sub3.0/24" >/dev/null || die "cannot make network $net"
ip link add name "$tut" type bridge || die "cannot make bridge $tut"
ip addr add "$tsub3.1/24" dev "$tut"
ip link set "$tut" up

names=(
	"nsbox --net none"
	"nsbox --net bridge"
	"nsbox bridge -p"
	"tutorial veth"
	"unshare (floor)"
)
cmds=(
	"$nsbox run --net none -- /bin/true"
	"$nsbox run --net bridge:$net -- /bin/true"
	"$nsbox run --net bridge:$net -p 127.0.0.1:$port:80 -- /bin/true"
	"$repo/bench/net-tutorial.sh $tut $tsub3.2/24 $tsub3.1"
	"unshare -fpmuinC --mount-proc true"
)

noshell=()
help=$(hyperfine --help 2>&1)
if grep -qE '^[[:space:]]+-N([,[:space:]]|$)' <<<"$help"; then noshell=(-N); fi

for i in "${!cmds[@]}"; do
	# shellcheck disable=SC2086
	${cmds[$i]} || die "'${names[$i]}' failed (exit $?): ${cmds[$i]}"
done

bench_rounds
json=${BENCH_JSON:-$tmp/results.json}
echo "nsbox net bench: $(uname -sr), $(nproc) cpu(s), $(hyperfine --version)," \
	"$("$nsbox" --version 2>/dev/null | head -n 1)"
echo "$((per_round * rounds)) runs per command in $rounds round(s) of $per_round; load average before:" \
	"$(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine "${noshell[@]}" --warmup "$warm_round" --runs "$per_round" --style "$style" \
	--export-json "$json" "${args[@]}" 2>"$tmp/hyperfine.err" >/dev/null &
hyperfine_pid=$!
wait "$hyperfine_pid" || { cat "$tmp/hyperfine.err" >&2; die "hyperfine failed"; }
hyperfine_pid=
bench_times "$json" "$tmp/times" "${names[@]}"
bench_medians "$tmp/times" "${names[@]}" >"$tmp/medians"

status=0
echo
awk -F'\t' -v goal="$goal_ms" '
	{ name[NR] = $1; med[NR] = $2; mean[NR] = $3; sd[NR] = $4 }
	END {
		printf "%-20s %10s %16s %8s %8s\n", "command", "median ms", "mean +- sd ms", "x none", "+ms none"
		for (i = 1; i <= NR; i++)
			printf "%-20s %10.2f %9.2f +- %4.2f %8.2f %+8.2f\n", name[i], med[i], mean[i], sd[i],
			       med[i] / med[1], med[i] - med[1]
		print ""
		printf "helper (nsbox-nat, twice: table in, table out): +%.2f ms over bridge\n", med[3] - med[2]
		printf "tutorial way / nsbox bridge: %.2f\n", med[4] / med[2]
		d = med[2] - med[1]
		ok = d <= goal + 0
		printf "goal bridge - none = %.2f ms (<= %s ms)  %s\n", d, goal, ok ? "PASS" : "MISS"
		exit !ok
	}' "$tmp/medians" || status=$?
echo
echo "commands:"
for i in "${!cmds[@]}"; do
	printf '  %-20s %s\n' "${names[$i]}" "${cmds[$i]}"
done
[ "${BENCH_STRICT:-0}" = 1 ] || status=0
exit "$status"
