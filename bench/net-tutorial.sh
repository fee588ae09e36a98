#!/bin/bash
# bench/net-tutorial.sh BRIDGE ADDR/PREFIX GATEWAY: one sandbox networked the
# way the namespace tutorials do it, for bench/net.sh to time next to nsbox:
# unshare the namespaces, then from outside `ip link add ... type veth`,
# move the peer in, `ip addr`, `ip link set up`, `ip route` (through
# nsenter), and only then let the command (/bin/true) run. The veth goes
# with the namespace when it ends.
set -euo pipefail
br=$1 addr=$2 gw=$3
veth=nbtv$$
dir=$(mktemp -d /tmp/nsbox-bench-tut.XXXXXX)
pid=
# A failed step must not leave the sandbox waiting for its go forever.
trap '[ -z "$pid" ] || kill -KILL "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
mkfifo "$dir/go"
# The sandbox: new pid, mount, uts, ipc, net and cgroup namespaces; it waits
# until its network is there, brings lo up and runs the command.
unshare -fpmuinC --mount-proc --kill-child sh -c 'read go <"$1"; ip link set lo up; exec /bin/true' sh "$dir/go" &
pid=$!
# unshare(2) may not have happened yet: wait for the new namespace.
self=$(readlink /proc/self/ns/net)
while [ "$(readlink "/proc/$pid/ns/net")" = "$self" ]; do :; done
ip link add name "$veth" type veth peer name eth0 netns "$pid"
ip link set "$veth" master "$br" up
nsenter -t "$pid" -n ip addr add "$addr" dev eth0
nsenter -t "$pid" -n ip link set eth0 up
nsenter -t "$pid" -n ip route add default via "$gw"
echo go >"$dir/go"
wait "$pid"
pid=
