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
