#!/bin/bash
# Install, build, and run one sandbox that shows what it isolates.
# Usage (as root on Debian 12): scripts/demo.sh
set -eu
cd "$(dirname "$0")/.."

./scripts/install-deps.sh build
[ -f build/build.ninja ] || meson setup build >/dev/null
meson compile -C build >/dev/null

echo "== host: hostname $(hostname), $(ls /proc | grep -c '^[0-9]') processes, $(ip -o link | wc -l) links"
echo "== sandbox: build/nsbox run --hostname demo -- sh -c '...'"
exec build/nsbox run --hostname demo -- sh -c '
	echo "-- processes (own pid namespace; the init is PID 1):"; ps -eo pid,comm
	echo "-- hostname (own uts namespace): $(hostname)"
	echo "-- network links (own net namespace, only lo, up):"; ip -brief link
	echo "-- mounts (own mount namespace, host / read-only):"
	awk "{ opts[\$5] = \$6 } END { n = split(\"/ /proc /dev /dev/pts /tmp /sys\", m, \" \"); for (i = 1; i <= n; i++) print \"   \" m[i], opts[m[i]] }" /proc/self/mountinfo
	if touch /usr/nsbox-demo 2>/dev/null; then echo "-- /usr is writable?!"; else echo "-- /usr is read-only"; fi
	echo "-- /tmp is private: $(ls -A /tmp | wc -l) entries"
'
