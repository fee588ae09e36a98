# bench/lib.sh: what the bench scripts share. Sourced, not run.

die() { echo "bench: $*" >&2; exit 2; }

# nsbox's default cgroup parent (/nsbox in each hierarchy) that a bench
# made is removed at its end, as the test suites do: cg_parents_remember
# here, cg_parents_restore in each script's cleanup.
# shellcheck source=tests/lib/suite-hygiene.bash
. "$(dirname "${BASH_SOURCE[0]}")/../tests/lib/suite-hygiene.bash"
cg_parents_remember

# bench_int NAME VALUE: VALUE must be a positive integer (the variable NAME's).
bench_int() { case $2 in '' | *[!0-9]* | 0) die "$1 must be a positive integer, not '$2'" ;; esac; }
# bench_count NAME VALUE: a non-negative integer.
bench_count() { case $2 in '' | *[!0-9]*) die "$1 must be a non-negative integer, not '$2'" ;; esac; }
# bench_number NAME VALUE: a non-negative decimal number (a goal ratio).
bench_number() { case $2 in '' | *[!0-9.]* | *.*.*) die "$1 must be a number, not '$2'" ;; esac; }

# bench_times JSON OUT NAME...: every run's time from hyperfine's JSON
# (one "command" line per benchmark, one number per line in its "times"
# array) as "INDEX TIME" lines in OUT, INDEX the position of the command's
# name among NAME... (a " #N" round suffix ignored), sorted by command then
# time, so that medians can be read off.
bench_times() {
	local json=$1 out=$2
	shift 2
	awk -v names="$(printf '%s\n' "$@")" '
		BEGIN { n = split(names, name, "\n"); for (i = 1; i <= n; i++) index_of[name[i]] = i }
		/"command":/ {
			c = $0
			sub(/^[^:]*: *"/, "", c); sub(/",? *$/, "", c); sub(/ #[0-9]+$/, "", c)
			cur = index_of[c]
			if (!cur) { print "bench: unknown command in JSON: " c > "/dev/stderr"; exit 2 }
			next
		}
		/"times": *\[/ { intimes = 1; next }
		intimes && /\]/ { intimes = 0; next }
		intimes { t = $0; gsub(/[ ,]/, "", t); print cur, t * 1000 }
	' "$json" | sort -k1,1n -k2,2g >"$out"
}

# bench_rounds: hyperfine's arguments for one run with $rounds rounds, from
# the arrays names and cmds and the variables runs, warmup and rounds. Each
# command is given R times, each with RUNS/R runs, round by round: A1 B1 C1
# A2 B2 ... Load that comes and goes on the machine then hits every command
# alike, instead of whichever command's single block it happens to fall in.
# Sets args, per_round, warm_round and style (hyperfine's --style).
bench_rounds() {
	local r i name
	per_round=$(((runs + rounds - 1) / rounds))
	warm_round=$(((warmup + rounds - 1) / rounds))
	args=()
	for ((r = 1; r <= rounds; r++)); do
		for i in "${!cmds[@]}"; do
			name=${names[$i]}
			[ "$rounds" -eq 1 ] || name+=" #$r"
			args+=(-n "$name" "${cmds[$i]}")
		done
	done
	style=basic
	[ "$rounds" -eq 1 ] || style=none
}

# bench_medians TIMES NAME...: from bench_times' output, one line per
# command: "NAME MEDIAN MEAN SD" (milliseconds), in the order given.
bench_medians() {
	local times=$1
	shift
	awk -v names="$(printf '%s\n' "$@")" '
		BEGIN { n = split(names, name, "\n") }
		{ v[$1, ++cnt[$1]] = $2; sum[$1] += $2; sq[$1] += $2 * $2 }
		END {
			for (i = 1; i <= n; i++) {
				k = cnt[i]
				if (!k) { print "bench: no times for " name[i] > "/dev/stderr"; exit 2 }
				med = k % 2 ? v[i, (k + 1) / 2] : (v[i, k / 2] + v[i, k / 2 + 1]) / 2
				mean = sum[i] / k
				var = k > 1 ? (sq[i] - k * mean * mean) / (k - 1) : 0
				sd = var > 0 ? sqrt(var) : 0
				printf "%s\t%.3f\t%.3f\t%.3f\n", name[i], med, mean, sd
			}
		}' "$times"
}
