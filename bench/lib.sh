# bench/lib.sh: what bench/run.sh and bench/oci.sh share. Sourced, not run.

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
