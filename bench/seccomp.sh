#!/bin/bash
# What the default seccomp profile costs `nsbox run`: built and loaded with
# libseccomp at run time, against the BPF generated at build time (see
# bench/README.md). No root needed.
#
# Environment:
#   BUILD        meson build directory (default: <repo>/build)
#   BENCH_RUNS   runs of each kind (default: 500)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$repo/build}
runs=${BENCH_RUNS:-500}
bench=$build/bench/nsbox-bench-seccomp

case $runs in '' | *[!0-9]* | 0) echo "bench: BENCH_RUNS must be a positive integer" >&2; exit 2 ;; esac
[ -x "$bench" ] || { echo "bench: $bench not built (meson compile -C $build)" >&2; exit 2; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$bench" "$runs"
