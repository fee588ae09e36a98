#!/bin/bash
# What a container's /sys/fs/cgroup view costs: a fresh cgroup2 mount in its
# cgroup namespace against an open_tree clone of its own cgroup (what nsbox
# does), on a quiet machine and while LOAD processes make and remove
# cgroups (containers coming and going). As root, on the cgroup2 hierarchy
# (/sys/fs/cgroup on v2, /sys/fs/cgroup/unified on a hybrid host).
#
# Environment:
#   BUILD        meson build directory (default: <repo>/build)
#   BENCH_RUNS   measurements of each kind (default: 300)
#   BENCH_LOAD   processes of the loaded run (default: 4)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$repo/build}
runs=${BENCH_RUNS:-300}
nload=${BENCH_LOAD:-4}
bench=$build/bench/nsbox-bench-cgview

case $runs in '' | *[!0-9]* | 0) echo "bench: BENCH_RUNS must be a positive integer" >&2; exit 2 ;; esac
case $nload in '' | *[!0-9]*) echo "bench: BENCH_LOAD must be a number" >&2; exit 2 ;; esac
[ "$(id -u)" -eq 0 ] || { echo "bench: must run as root" >&2; exit 2; }
[ -x "$bench" ] || { echo "bench: $bench not built (meson compile -C $build)" >&2; exit 2; }
root=/sys/fs/cgroup
[ "$(stat -f -c %T "$root")" = cgroup2fs ] || root=/sys/fs/cgroup/unified
[ "$(stat -f -c %T "$root")" = cgroup2fs ] || { echo "bench: no cgroup2 hierarchy" >&2; exit 2; }
echo "cgroup2 at $root; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== quiet"
"$bench" "$root" "$runs" 0
echo "== with $nload processes making and removing cgroups"
"$bench" "$root" "$runs" "$nload"
