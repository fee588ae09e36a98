#!/bin/bash
# Build the libFuzzer targets of tests/fuzz (clang, ASan + UBSan) and run
# each for a while. See tests/fuzz/README.md.
#
#   scripts/fuzz.sh [--time SECONDS] [--jobs N] [--build DIR] [TARGET...]
#
#   --time S   how long each target runs (default 60, or $NSBOX_FUZZ_TIME)
#   --jobs N   how many targets run at once (default 1)
#   --build D  the fuzz build directory (default build-fuzz; configured with
#              CC=clang -Dfuzz=true -Db_sanitize=address,undefined if new)
#   TARGET     a name of tests/fuzz/fuzz-NAME.c (oci-config, state...) or
#              fuzz-NAME; default: every target
#
# Each target starts from its seed corpus (tests/fuzz/corpus/NAME, read
# only) and a working corpus that grows across runs (BUILD/fuzz/corpus/NAME,
# outside the repository). A crash, a leak, undefined behaviour, a timeout
# (10 s on one input) or running out of memory (2 GiB) ends the target with
# its reproducer in BUILD/fuzz/artifacts/NAME/. One TAP-like line per target
# ("ok N - fuzz-NAME: ..." or "not ok N - ...", with the reproducer and the
# sanitizer's report as "#" lines), then "N passed, N failed"; the exit
# status is non-zero if any target failed.
#   scripts/fuzz.sh --time 600 oci-config         a long run of one target
#   BUILD/tests/fuzz/fuzz-NAME REPRODUCER         run one input again
set -u
cd "$(dirname "$0")/.."
top=$(pwd)

time_s=${NSBOX_FUZZ_TIME:-60}
jobs=1
build=build-fuzz
targets=()
while [ $# -gt 0 ]; do
	case $1 in
	--time) time_s=$2; shift 2 ;;
	--time=*) time_s=${1#--time=}; shift ;;
	--jobs) jobs=$2; shift 2 ;;
	--jobs=*) jobs=${1#--jobs=}; shift ;;
	--build) build=$2; shift 2 ;;
	--build=*) build=${1#--build=}; shift ;;
	-h|--help) sed -n '2,27s/^# \{0,1\}//p' "$0"; exit 0 ;;
	-*) echo "fuzz.sh: unknown option '$1'" >&2; exit 2 ;;
	*) targets+=("${1#fuzz-}"); shift ;;
	esac
done
case $build in /*) ;; *) build=$top/$build ;; esac
case $time_s in ''|*[!0-9]*) echo "fuzz.sh: --time '$time_s': expected seconds" >&2; exit 2 ;; esac
case $jobs in ''|*[!0-9]*|0) echo "fuzz.sh: --jobs '$jobs': expected a number from 1" >&2; exit 2 ;; esac
if [ ${#targets[@]} -eq 0 ]; then
	for f in tests/fuzz/fuzz-*.c; do
		n=${f#tests/fuzz/fuzz-}
		targets+=("${n%.c}")
	done
fi
for t in "${targets[@]}"; do
	if [ ! -f "tests/fuzz/fuzz-$t.c" ]; then
		echo "fuzz.sh: no target '$t' (tests/fuzz/fuzz-$t.c)" >&2
		exit 2
	fi
done

# The longest input each target tries: its documents' real sizes, with room.
max_len() {
	case $1 in
	oci-config|seccomp) echo 32768 ;;
	oci-process|resources|state) echo 8192 ;;
	idmap|passwd) echo 4096 ;;
	run-args|update-args|cli-args) echo 2048 ;;
	cgroup-values) echo 1024 ;;
	mountspec|sysctl) echo 512 ;;
	sizes|signal) echo 128 ;;
	*) echo 4096 ;;
	esac
}

# Its dictionary (tests/fuzz/*.dict, written by make-corpus.py), if any.
dict_of() {
	case $1 in
	oci-config|oci-process|seccomp|resources|state) echo tests/fuzz/oci.dict ;;
	run-args|update-args|cli-args) echo tests/fuzz/args.dict ;;
	esac
}

if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
		-Dc_args=-fno-sanitize-recover=all -Dstatic=false >/dev/null || exit 1
fi
meson compile -C "$build" >/dev/null || { meson compile -C "$build"; exit 1; }

# UBSan aborts on its first report (-fno-sanitize-recover=all), which
# libFuzzer catches as a crash; LeakSanitizer runs after each input.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# A leak inside libseccomp itself (see the file) is not ours to fix.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$top/tests/fuzz/lsan.supp:print_suppressions=0}
if ! command -v llvm-symbolizer >/dev/null && [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]; then
	export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
fi

work=$build/fuzz
results=$(mktemp -d /tmp/nsbox-fuzz.XXXXXX)
trap 'rm -rf "$results"' EXIT

# Run target $2 (the $1th); its TAP line goes to $results/$1.tap.
run_one() {
	local i=$1 t=$2 bin="$build/tests/fuzz/fuzz-$2"
	local corpus="$work/corpus/$t" artifacts="$work/artifacts/$t" log="$work/logs/$t.log"
	local dict=() rc runs found

	mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
	[ -n "$(dict_of "$t")" ] && dict=(-dict="$(dict_of "$t")")
	"$bin" -max_total_time="$time_s" -max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$artifacts/" -print_final_stats=1 "${dict[@]}" \
		"$corpus" "tests/fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	if [ "$rc" -eq 0 ]; then
		echo "ok $i - fuzz-$t: ${runs:-?} inputs in ${time_s} s" >"$results/$i.tap"
		return
	fi
	found=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
	{
		echo "not ok $i - fuzz-$t: exited $rc after ${runs:-?} inputs"
		echo "# reproducer: ${found:-none written} (run: $build/tests/fuzz/fuzz-$t ${found:-FILE})"
		echo "# log: $log"
		grep -E -A40 '^(==[0-9]+==ERROR|fuzz: |.*runtime error:|==[0-9]+== ERROR)' "$log" | head -60 | sed 's/^/# /'
	} >"$results/$i.tap"
}

echo "== fuzz: ${#targets[@]} targets, ${time_s} s each, $jobs at a time ($build)"
i=0
for t in "${targets[@]}"; do
	i=$((i + 1))
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n
	done
	run_one "$i" "$t" &
done
wait

passed=0
failed=0
for n in $(seq 1 "$i"); do
	if [ -f "$results/$n.tap" ]; then
		cat "$results/$n.tap"
		if head -1 "$results/$n.tap" | grep -q '^ok '; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
		fi
	else
		echo "not ok $n - fuzz-${targets[$((n - 1))]}: no result"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
