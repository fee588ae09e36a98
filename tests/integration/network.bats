#!/usr/bin/env bats
# Networking: --net none, host, ns:PATH, netns:NAME, container:ID, bridge
# (veth, leases, /etc/hosts, NAT, published ports), pasta and slirp4netns,
# `nsbox network`, leftovers after SIGKILL, and the host left as it was.
#
# Every test talks only to loopback and to addresses it made itself: each
# has a network (bridge) and a subnet of its own, NET and SUBNET, removed at
# teardown. What a test changes on the host (ip_forward, route_localnet, the
# nftables table `inet nsbox`, /dev/net/tun's mode) is compared with, or put
# back to, what it was before.

load helpers

HELPERS_DIR=$(dirname "$NSBOX")/tests/helpers

setup() {
	nsbox_setup || return 1
	command -v nft >/dev/null || die_setup "nft missing (apt-get install nftables): the tests read the ruleset with it" || return 1
	[ -x "$HELPERS_DIR/nsbox-udpecho" ] || die_setup "$HELPERS_DIR/nsbox-udpecho missing (meson compile -C build)" || return 1
	[ -x "$(dirname "$NSBOX")/nsbox-nat" ] || die_setup "nsbox-nat missing beside $NSBOX (meson compile -C build)" || return 1
	BB=$ROOTFS/bin/busybox
	# A network of the test's own: name <= 15 characters, a /24 of 10.2xx.
	NET=nbt$(printf '%04x%02x' "$RANDOM" $((RANDOM % 256)))
	NET2=${NET}b
	SUB3=10.$((204 + RANDOM % 40)).$((RANDOM % 250))
	SUBNET=$SUB3.0/24
	MARKER=$(new_marker)
	FORWARD_BEFORE=$(cat /proc/sys/net/ipv4/ip_forward)
	on_teardown 'net_cleanup'
}

teardown() { nsbox_teardown; }

net_cleanup() {
	kill_marked "$MARKER"
	local id
	for id in $("$NSBOX" list --quiet 2>/dev/null); do
		[[ "$id" == nbc-"$NET"* ]] && "$NSBOX" delete --force "$id" >/dev/null 2>&1
	done
	"$NSBOX" network rm "$NET" >/dev/null 2>&1 || true
	"$NSBOX" network rm "$NET2" >/dev/null 2>&1 || true
	# A run this test killed leaves a stale lease: prune removes it.
	"$NSBOX" network prune >/dev/null 2>&1 || true
	if [ -n "${TUN_MODE-}" ]; then
		chmod "$TUN_MODE" /dev/net/tun
	fi
}

# stop_command: end the sandbox's command `sleep $MARKER`, so that its nsbox
# ends as usual (kill_marked would kill nsbox too: a SIGKILL's leftovers).
stop_command() {
	local p
	for p in $(exact_pids "sleep $MARKER"); do
		kill "$p" 2>/dev/null || true
	done
}

# port_in_use PORT: some socket of the host has it (IPv4 or IPv6).
port_in_use() {
	grep -qi ":$(printf '%04X' "$1") " /proc/net/tcp /proc/net/udp /proc/net/tcp6 /proc/net/udp6 2>/dev/null
}

# A free TCP or UDP port on the host, above 20000.
free_port() {
	local p
	for _ in 1 2 3 4 5 6 7 8; do
		p=$((20000 + RANDOM % 20000))
		if ! port_in_use "$p"; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# What the host's networking looks like, for before/after comparisons.
host_links() { ip -o link | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort; }
host_addrs() { ip -o addr | awk '{ print $2, $3, $4 }' | sort; }
host_routes() { ip route show table all | grep -v '^local\|^broadcast\|^multicast\|^ff00\|^fe80' | sort; }
host_state() {
	echo "== links"; host_links
	echo "== addresses"; host_addrs
	echo "== routes"; host_routes
	echo "== nft"; nft list ruleset
	echo "== ip_forward $(cat /proc/sys/net/ipv4/ip_forward)"
}
nsbox_links() { host_links | grep -E "^($NET|$NET2|nsbv[0-9a-f]{8})\$" || true; }
no_nsbox_veth() { ! host_links | grep -q '^nsbv'; }
leases_of() { ls /run/nsbox-net/leases/"$1" 2>/dev/null || true; }
nsbox_table() { nft list table inet nsbox 2>/dev/null; }

# has_lease NET: the network has a lease that its sandbox holds (set up).
has_lease() { grep -qs '"sandbox":true' /run/nsbox-net/leases/"$1"/*/lease.json; }

@test "--net none (and the default): only lo, up; other addresses are unreachable" {
	local mode
	for mode in "--net none" ""; do
		# shellcheck disable=SC2086
		run_nsbox run --rootfs "$ROOTFS" $mode -- sh -c 'ip -o link; nc 203.0.113.1 80 </dev/null'
		assert_status 1
		assert_equal 1 "$(grep -c '^[0-9]*: ' <<<"$output")" "links in a new namespace ($mode)"
		assert_output_matches '^1: lo: <LOOPBACK,UP,LOWER_UP>'
		assert_stderr_contains "Network is unreachable"
	done
}

@test "--net host and --share net: the host's namespace and links" {
	local host_ns
	host_ns=$(readlink /proc/self/ns/net)
	run_nsbox run --net host -- readlink /proc/self/ns/net
	assert_success
	assert_output "$host_ns"
	run_nsbox run --share net -- readlink /proc/self/ns/net
	assert_output "$host_ns"
	run_nsbox run --net host -- ip -o link
	assert_success
	assert_equal "$(host_links)" "$(link_names <<<"$output")" "links seen with --net host"
	run_nsbox run --net host --share net -- true
	assert_status 125
	assert_nsbox_error "--net 'host': the network namespace is also shared"
}

@test "--net ns:PATH and netns:NAME join that namespace and see its links" {
	local ns=nbtns$$ want
	make_netns "$ns"
	add_test_link "$ns" nbtlink0
	want=net:[$(stat -L -c %i "/run/netns/$ns")]
	run_nsbox run --net "netns:$ns" -- sh -c 'readlink /proc/self/ns/net; ip -o link'
	assert_success
	assert_line_in_output "$want"
	assert_output_contains ": nbtlink0"
	run_nsbox run --net "ns:/run/netns/$ns" -- sh -c 'readlink /proc/self/ns/net; ip -o link'
	assert_success
	assert_line_in_output "$want"
	assert_output_contains ": nbtlink0"
	run_nsbox run --net ns:/nonexistent/netns -- true
	assert_status 125
	assert_nsbox_error "/nonexistent/netns"
}

@test "--net container:ID shares the running sandbox's namespace, eth0 and address" {
	local id=nbc-$NET
	run_nsbox run --rootfs "$ROOTFS" --name "$id" --detach --net "bridge:$NET" --subnet "$SUBNET" -- sleep "$MARKER"
	assert_success
	run_nsbox run --rootfs "$ROOTFS" --net "container:$id" -- ip -o addr show eth0
	assert_success
	assert_output_contains "inet $SUB3.2/24"
	run_nsbox run --net container:nbc-none-such -- true
	assert_status 125
	assert_nsbox_error "--net container:nbc-none-such" "does not exist"
	run_nsbox delete --force "$id"
	assert_success
	assert_equal "" "$(leases_of "$NET")" "leases after delete"
}

@test "bridge: two sandboxes ping each other and the bridge; TCP by name and by address" {
	local id=nbc-$NET-web
	run_nsbox run --rootfs "$ROOTFS" --name "$id" --hostname web --detach --net "bridge:$NET" --subnet "$SUBNET" \
		-- sh -c "nc -ll -p 8080 -e echo hello-web; : $MARKER"
	assert_success
	run_nsbox run --rootfs "$ROOTFS" --cap-add NET_RAW --net "bridge:$NET" -- sh -c "
		cat /etc/hosts; cat /etc/hostname; ip -o addr show eth0; ip route
		ping -c1 -W2 web >/dev/null && echo ping-web-ok
		ping -c1 -W2 $id >/dev/null && echo ping-id-ok
		ping -c1 -W2 $SUB3.1 >/dev/null && echo ping-bridge-ok
		ping -c1 -W2 host.nsbox.internal >/dev/null && echo ping-gateway-name-ok
		for to in web $SUB3.2; do
			# The server's loop listens again a moment after each answer.
			for i in 1 2 3 4 5 6 7 8 9 10; do nc \$to 8080 </dev/null 2>/dev/null && break; sleep 0.1; done
		done"
	assert_success
	assert_line_in_output "$SUB3.2	web	$id"
	assert_output_contains "inet $SUB3.3/24"
	assert_output_matches "default via $SUB3.1 dev eth0"
	assert_line_in_output "ping-web-ok"
	assert_line_in_output "ping-id-ok"
	assert_line_in_output "ping-bridge-ok"
	assert_line_in_output "ping-gateway-name-ok"
	assert_equal 2 "$(grep -c '^hello-web$' <<<"$output")" "answers by name and by address"
	# The other sandbox learnt the newcomer's name while it ran, and forgot it after.
	run_nsbox exec "$id" cat /etc/hosts
	assert_success
	assert_output_not_contains "$SUB3.3"
	# The host reaches the sandbox through the bridge, without NAT.
	run "$BB" nc "$SUB3.2" 8080 </dev/null
	assert_output "hello-web"
}

@test "bridge: published TCP and UDP ports answer on the host's 127.0.0.1; all gone after" {
	local tcp udp localnet_before
	tcp=$(free_port) && udp=$(free_port) || fail "no free port"
	run_nsbox run --net "bridge:$NET" --subnet "$SUBNET" -- true   # the bridge, made before
	localnet_before=$(cat "/proc/sys/net/ipv4/conf/$NET/route_localnet")
	(exec "$NSBOX" run --rootfs "$ROOTFS" --bind "$HELPERS_DIR:/home:ro" --net "bridge:$NET" \
		-p "127.0.0.1:$tcp:8080" -p "$udp:9090/udp" -- \
		sh -c "/home/nsbox-udpecho 9090 hello-udp & nc -ll -p 8080 -e echo hello-tcp & exec sleep $MARKER" \
		>/dev/null 2>&1) &
	track_pid $!
	local got=""
	for _ in $(seq 50); do
		got=$("$BB" nc 127.0.0.1 "$tcp" </dev/null 2>/dev/null) && [ -n "$got" ] && break
		sleep 0.1
	done
	assert_equal "hello-tcp" "$got" "TCP answer on 127.0.0.1:$tcp"
	assert_equal 1 "$(cat "/proc/sys/net/ipv4/conf/$NET/route_localnet")" "route_localnet on the bridge"
	nsbox_table | grep -q "127.0.0.1 . $tcp : $SUB3.2 . 8080" || fail "no DNAT element for $tcp"
	got=$("$HELPERS_DIR/nsbox-udpecho" --send 127.0.0.1 "$udp" ping-udp) || got="(no answer)"
	assert_equal "hello-udp ping-udp" "$got" "UDP answer on 127.0.0.1:$udp"
	# A port on every address needs forwarding (other hosts may connect).
	assert_equal 1 "$(cat /proc/sys/net/ipv4/ip_forward)" "ip_forward while the sandbox runs"
	stop_command
	wait_until 10 eval '[ -z "$(leases_of "$NET")" ]' || fail "the lease stayed"
	assert_equal "" "$(nsbox_table)" "nsbox's table after its last user"
	assert_equal "$FORWARD_BEFORE" "$(cat /proc/sys/net/ipv4/ip_forward)" "ip_forward restored"
	assert_equal "$localnet_before" "$(cat "/proc/sys/net/ipv4/conf/$NET/route_localnet")" "route_localnet restored"
}

@test "bridge: --nat masquerades the sandbox, turns ip_forward on while needed, and a 127.0.0.1 port does not" {
	run_nsbox run --net "bridge:$NET" --subnet "$SUBNET" -p "127.0.0.1:$(free_port):80" -- \
		sh -c 'cat /proc/sys/net/ipv4/ip_forward 2>/dev/null || echo host-fwd'
	assert_success
	assert_equal "$FORWARD_BEFORE" "$(cat /proc/sys/net/ipv4/ip_forward)" "ip_forward after a 127.0.0.1 port"
	assert_equal "" "$(nsbox_table)" "no table after the run"
	(exec "$NSBOX" run --net "bridge:$NET" --nat -- sleep "$MARKER" >/dev/null 2>&1) &
	track_pid $!
	wait_until 10 eval 'nsbox_table | grep -q "elements = { $SUB3.2 }"' || fail "no masquerade element"
	assert_equal 1 "$(cat /proc/sys/net/ipv4/ip_forward)" "ip_forward during --nat"
	stop_command
	wait_until 10 eval '[ -z "$(leases_of "$NET")" ]' || fail "the lease stayed"
	assert_equal "" "$(nsbox_table)" "the table after its last user"
	assert_equal "$FORWARD_BEFORE" "$(cat /proc/sys/net/ipv4/ip_forward)" "ip_forward restored"
}

@test "200 bridge runs in a row: links, addresses, routes, nft ruleset and ip_forward as before" {
	local before after i port
	before=$(host_state)
	port=$(free_port)
	for i in $(seq 200); do
		if [ $((i % 25)) -eq 0 ]; then
			"$NSBOX" run --net "bridge:$NET" --subnet "$SUBNET" --nat -p "127.0.0.1:$port:80" -- true ||
				fail "run $i (with --nat and --publish) failed"
		else
			"$NSBOX" run --net "bridge:$NET" --subnet "$SUBNET" -- true || fail "run $i failed"
		fi
	done
	assert_equal "" "$(leases_of "$NET")" "leases after 200 runs"
	run_nsbox network rm "$NET"
	assert_success
	# A namespace's veth goes with it, which the kernel does a moment later.
	wait_until 10 no_nsbox_veth || true
	after=$(host_state)
	[ "$before" = "$after" ] || { diff <(echo "$before") <(echo "$after") >&2; fail "the host changed"; }
}

@test "two sandboxes asking for the same --ip at once: exactly one wins, no half-made link" {
	local a b sa=0 sb=0
	run_nsbox network create "$NET" --subnet "$SUBNET"
	assert_success
	for _ in 1 2 3; do
		new_tempdir d
		"$NSBOX" run --net "bridge:$NET" --ip "$SUB3.50" -- sleep 1 >"$d/a.out" 2>"$d/a.err" &
		a=$!
		"$NSBOX" run --net "bridge:$NET" --ip "$SUB3.50" -- sleep 1 >"$d/b.out" 2>"$d/b.err" &
		b=$!
		sa=0 sb=0
		wait "$a" || sa=$?
		wait "$b" || sb=$?
		if [ "$sa" -eq 0 ]; then
			assert_equal 125 "$sb" "the loser's status"
			grep -q "address in use on network '$NET'" "$d/b.err" || fail "loser's message: $(cat "$d/b.err")"
		else
			assert_equal 0 "$sb" "the winner's status"
			assert_equal 125 "$sa" "the loser's status"
			grep -q "address in use on network '$NET'" "$d/a.err" || fail "loser's message: $(cat "$d/a.err")"
		fi
	done
	assert_equal "" "$(leases_of "$NET")" "leases after"
	wait_until 10 no_nsbox_veth || fail "a veth stayed: $(nsbox_links)"
}

@test "bad input: one clear error, exit 125, nothing created" {
	local before port listener
	run_nsbox network create "$NET2" --subnet "$SUBNET"
	assert_success
	before="$(host_state; ls -R /run/nsbox-net)"
	run_nsbox run --net "bridge:$NET" --subnet "$SUB3.128/25" -- true
	assert_status 125
	assert_nsbox_error "network '$NET': subnet $SUB3.128/25 overlaps" "$SUBNET"
	run_nsbox run --net "bridge:$NET" --subnet 10.1.2.0/33 -- true
	assert_status 125
	assert_nsbox_error "--subnet '10.1.2.0/33': expected an IPv4 subnet such as 10.88.0.0/24"
	run_nsbox run --net "bridge:$NET" --subnet 10.1.2.0/240 -- true
	assert_status 125
	run_nsbox run --net "bridge:$NET" -p 0:80 -- true
	assert_status 125
	assert_nsbox_error "--publish '0:80': port '0' is out of range (1 to 65535)"
	run_nsbox run --net "bridge:$NET" -p 8080:65536 -- true
	assert_status 125
	assert_nsbox_error "--publish '8080:65536': port '65536' is out of range (1 to 65535)"
	run_nsbox run --net wifi -- true
	assert_status 125
	assert_nsbox_error "--net 'wifi': unknown mode"
	run_nsbox run --net bridge:nsbox-0123456789 -- true
	assert_status 125
	assert_nsbox_error "'nsbox-0123456789': a network (bridge) name has at most 15 characters (IFNAMSIZ)"
	run_nsbox run --net "bridge:$NET2" --ip "$SUB3.255" -- true
	assert_status 125
	assert_nsbox_error "--ip $SUB3.255: not a host address of network '$NET2'"
	run_nsbox run --net none -p 8080:80 -- true
	assert_status 125
	assert_nsbox_error "--publish needs --net bridge, pasta or slirp4netns"
	# A host port some process holds.
	port=$(free_port)
	"$BB" nc -l -p "$port" </dev/null >/dev/null 2>&1 &
	listener=$!
	track_pid "$listener"
	wait_until 5 port_in_use "$port" || fail "no listener"
	run_nsbox run --net "bridge:$NET2" -p "127.0.0.1:$port:80" -- true
	assert_status 125
	assert_nsbox_error "--publish '127.0.0.1:$port:80/tcp': the host port is in use"
	kill "$listener"
	# A host route: the first scope-link route the host has, if any.
	local route
	route=$(ip -4 route show scope link | awk '$1 ~ /\// { print $1; exit }')
	if [ -n "$route" ]; then
		run_nsbox run --net "bridge:$NET" --subnet "$route" -- true
		assert_status 125
		assert_nsbox_error "overlaps the host's route to $route"
	fi
	assert_equal "$before" "$(host_state; ls -R /run/nsbox-net)" "the host and nsbox's records"
}

@test "a port another sandbox publishes is refused" {
	local port
	port=$(free_port)
	(exec "$NSBOX" run --net "bridge:$NET" --subnet "$SUBNET" -p "127.0.0.1:$port:80" -- sleep "$MARKER" >/dev/null 2>&1) &
	track_pid $!
	wait_until 10 has_lease "$NET" || fail "the first sandbox did not start"
	run_nsbox run --net "bridge:$NET" -p "$port:81" -- true
	assert_status 125
	assert_nsbox_error "--publish '$port:81/tcp': the host port is already published by the sandbox $SUB3.2 on network '$NET'"
	assert_equal "$SUB3.2" "$(leases_of "$NET")" "leases"
}

@test "SIGKILL of nsbox: prune (or the next run) removes the lease, the NAT rules, ip_forward" {
	local pid port
	port=$(free_port)
	for how in prune next-run; do
		"$NSBOX" run --net "bridge:$NET" --subnet "$SUBNET" --nat -p "127.0.0.1:$port:80" -- sleep "$MARKER" >/dev/null 2>&1 &
		pid=$!
		track_pid "$pid"
		wait_until 10 has_lease "$NET" || fail "the sandbox did not start"
		wait_until 10 eval 'nsbox_table | grep -q "elements = { $SUB3.2 }"' || fail "no NAT elements"
		kill -KILL "$pid"
		wait "$pid" 2>/dev/null || true
		# The sandbox dies with nsbox; what it held stays until a prune.
		assert_no_marked_process "$MARKER" 5
		[ -n "$(leases_of "$NET")" ] || fail "expected a stale lease"
		[ -n "$(nsbox_table)" ] || fail "expected the table"
		if [ "$how" = prune ]; then
			run_nsbox network prune
			assert_success
			assert_output "removed 1 stale lease"
		else
			run_nsbox run --net "bridge:$NET" -- true
			assert_success
		fi
		assert_equal "" "$(leases_of "$NET")" "leases after $how"
		assert_equal "" "$(nsbox_table)" "table after $how"
		assert_equal "$FORWARD_BEFORE" "$(cat /proc/sys/net/ipv4/ip_forward)" "ip_forward after $how"
		assert_equal 0 "$(cat "/proc/sys/net/ipv4/conf/$NET/route_localnet")" "route_localnet after $how"
	done
}

@test "nsbox network create, ls, inspect, rm" {
	local id=nbc-$NET-i
	run_nsbox network create "$NET" --subnet "$SUBNET"
	assert_success
	assert_output "$NET $SUBNET"
	run_nsbox network create "$NET" --subnet "$SUBNET"
	assert_status 125
	run_nsbox network ls
	assert_success
	assert_output_matches "$NET +$SUBNET +$SUB3.1 +0 +present"
	run_nsbox run --rootfs "$ROOTFS" --name "$id" --detach --net "bridge:$NET" -- sleep "$MARKER"
	assert_success
	run_nsbox network inspect "$NET"
	assert_success
	assert_equal "$SUB3.2" "$(jq -r '.sandboxes[0].address' <<<"$output")" "inspect: the sandbox's address"
	assert_equal "$id" "$(jq -r '.sandboxes[0].name' <<<"$output")" "inspect: its name"
	run_nsbox network rm "$NET"
	assert_status 125
	assert_nsbox_error "network '$NET' is in use by 1 sandbox"
	run_nsbox delete --force "$id"
	assert_success
	run_nsbox network rm "$NET"
	assert_success
	assert_equal "" "$(nsbox_links)" "the bridge is gone"
	run_nsbox network inspect "$NET"
	assert_status 125
	assert_nsbox_error "network '$NET' does not exist"
}

@test "OCI: a bridge by the io.github.nsbox.network annotations; delete releases it" {
	new_tempdir T
	mkdir "$T/b" && cp -a "$ROOTFS" "$T/b/rootfs" && "$NSBOX" spec --bundle "$T/b"
	jq --arg net "bridge:$NET" --arg sub "$SUBNET" '.process.terminal = false |
		.process.args = ["sh", "-c", "ip -o addr show eth0; grep ctr1 /etc/hosts"] |
		.annotations = {"io.github.nsbox.network": $net, "io.github.nsbox.network.subnet": $sub}' \
		"$T/b/config.json" >"$T/c" && mv "$T/c" "$T/b/config.json"
	run_nsbox --root "$T/state" run --bundle "$T/b" ctr1
	assert_success
	assert_output_contains "inet $SUB3.2/24"
	assert_output_contains "$SUB3.2	nsbox	ctr1"
	assert_equal "" "$(leases_of "$NET")" "leases after the container"
}

# /dev/net/tun: user-mode networking opens it as the user. Some hosts make
# it root-only; open it up for this test, and put it back.
open_tun() {
	TUN_MODE=$(stat -c %a /dev/net/tun)
	chmod 0666 /dev/net/tun
}

@test "rootless --net pasta: a published port answers on the host; slirp4netns too" {
	local port got mode
	command -v pasta >/dev/null || fail "pasta missing (apt-get install passt)"
	command -v slirp4netns >/dev/null || fail "slirp4netns missing (apt-get install slirp4netns)"
	open_tun
	for mode in pasta slirp4netns; do
		port=$(free_port)
		(cd / && exec "${AS_USER[@]}" "$USER_NSBOX" run --rootfs "$ROOTFS" --net "$mode" -p "127.0.0.1:$port:8080" -- \
			sh -c "nc -ll -p 8080 -e echo hello-$mode & exec sleep $MARKER" >/dev/null 2>"$BATS_TEST_TMPDIR/$mode.err") &
		track_pid $!
		got=""
		for _ in $(seq 50); do
			got=$("$BB" nc 127.0.0.1 "$port" </dev/null 2>/dev/null) && [ -n "$got" ] && break
			sleep 0.1
		done
		[ "$got" = "hello-$mode" ] || cat "$BATS_TEST_TMPDIR/$mode.err" >&2
		assert_equal "hello-$mode" "$got" "$mode: the answer on 127.0.0.1:$port"
		stop_command
		assert_no_marked_process "$MARKER" 5
	done
	run_nsbox_as_user run --net pasta -- sh -c 'ip -o addr | grep -c "inet "'
	assert_success
}

@test "rootless: bridge needs root; no pasta nor slirp4netns is an error naming both packages" {
	run_nsbox_as_user run --net bridge -- true
	assert_status 125
	assert_nsbox_error "--net bridge needs root"
	run --separate-stderr as_user env PATH=/nonexistent "$USER_NSBOX" run --net pasta -- true
	assert_status 125
	assert_nsbox_error "--net pasta: neither pasta (Debian package 'passt') nor slirp4netns (package 'slirp4netns') was found in PATH"
	run --separate-stderr as_user env PATH=/nonexistent "$USER_NSBOX" run --net slirp4netns -- true
	assert_status 125
	assert_nsbox_error "slirp4netns (Debian package 'slirp4netns') was not found in PATH"
}
