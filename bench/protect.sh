#!/bin/bash
# What keeping nsbox's binary out of a sandbox's reach costs (docs/
# ARCHITECTURE.md, "Security invariants"), in one hyperfine run:
#   - the hop through nsbox-exec, the sealed trampoline that executes every
#     sandboxed program: `nsbox-exec ... /bin/true` against `/bin/true`;
#   - nsbox run as it is by default (trampoline, non-dumpable processes)
#     against nsbox run when it must re-execute from a sealed copy of itself
#     (--cap-add SYS_PTRACE without a user namespace).
# Environment: NSBOX (default build/nsbox), BENCH_RUNS (200), BENCH_ROUNDS
# (10), BENCH_WARMUP (20). Root. See bench/README.md.
set -euf -o pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$repo/bench/lib.sh"
nsbox=${NSBOX:-$repo/build/nsbox}
tramp=$(dirname "$nsbox")/src/trampoline/nsbox-exec
runs=${BENCH_RUNS:-200}
rounds=${BENCH_ROUNDS:-10}
warmup=${BENCH_WARMUP:-20}

[ "$(id -u)" -eq 0 ] || die "must run as root"
[ -x "$nsbox" ] || die "$nsbox: not found (meson compile -C build, or set NSBOX)"
[ -x "$tramp" ] || die "$tramp: not found (built next to nsbox by src/trampoline/meson.build)"
command -v hyperfine >/dev/null || die "hyperfine not found (apt-get install hyperfine)"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nsbox-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

names=(
	"/bin/true"
	"nsbox-exec /bin/true"
	"nsbox run (default)"
	"nsbox run sealed copy"
)
cmds=(
	"/bin/true"
	"$tramp -1 -1 0 /bin/true true"
	"$nsbox run -- /bin/true"
	"$nsbox run --cap-add SYS_PTRACE -- /bin/true"
)
for i in "${!cmds[@]}"; do
	# shellcheck disable=SC2086 # word lists without quoting
	${cmds[$i]} || die "'${names[$i]}' failed (exit $?)"
done
bench_rounds
echo "nsbox protect bench: $(uname -sr), $(nproc) cpu(s), $((per_round * rounds)) runs per command" \
	"in $rounds round(s); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N --warmup "$warm_round" --runs "$per_round" --style "$style" \
	--export-json "$tmp/results.json" "${args[@]}" 2>"$tmp/hyperfine.err" >/dev/null ||
	{ cat "$tmp/hyperfine.err" >&2; die "hyperfine failed"; }
bench_times "$tmp/results.json" "$tmp/times" "${names[@]}"
bench_medians "$tmp/times" "${names[@]}" | awk -F'\t' '
	{ name[NR] = $1; med[NR] = $2; mean[NR] = $3; sd[NR] = $4 }
	END {
		printf "%-24s %10s %16s %10s\n", "command", "median ms", "mean +- sd ms", "added ms"
		for (i = 1; i <= NR; i++) {
			base = i == 2 ? med[1] : i == 4 ? med[3] : 0
			printf "%-24s %10.3f %9.3f +- %4.3f %10s\n", name[i], med[i], mean[i], sd[i],
			       base ? sprintf("%+.3f", med[i] - base) : "-"
		}
	}'
