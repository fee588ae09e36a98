#!/usr/bin/env bats
# Namespaces: which are new, which are shared or joined, and what that shows.

load helpers

# readlink of /proc/self/ns/TYPE, outside.
host_ns() { readlink "/proc/self/ns/$1"; }

@test "init is PID 1 and ps shows only the sandbox's processes" {
	run_nsbox run -- ps -e -o pid=,comm=
	assert_success
	# PID 1 is nsbox's init, PID 2 the command (ps); nothing of the host.
	local pids
	pids=$(awk '{ print $1 }' <<<"$output" | tr '\n' ' ')
	assert_equal "1 2 " "$pids" "pids listed by ps in the sandbox"
	assert_equal "ps" "$(awk '$1 == 2 { print $2 }' <<<"$output")" "command of pid 2"
}

@test "/proc in the default root lists only the sandbox's pids" {
	run_nsbox run -- sh -c 'ls /proc | grep -E "^[0-9]+$" | sort -n | tr "\n" " "'
	assert_success
	# init (1), sh (2) and the ls, grep, sort, tr of the pipeline (3..6)
	assert_output_matches '^1 2( [3-9])* $'
}

@test "--no-init: the command is PID 1" {
	run_nsbox run --no-init -- sh -c 'echo $$'
	assert_success
	assert_output "1"
}

@test "new pid, mnt, uts, ipc, net and cgroup namespaces by default; not user" {
	local t
	run_nsbox run -- sh -c 'for t in pid_for_children mnt uts ipc net cgroup user; do
		echo "${t%_for_children} $(readlink /proc/self/ns/$t)"; done'
	assert_success
	assert_equal 7 "$(grep -cE '^[a-z]+ [a-z]+:\[[0-9]+\]$' <<<"$output")" "namespace lines"
	for t in pid mnt uts ipc net cgroup; do
		assert_no_line_in_output "$t $(host_ns "$t")"
	done
	assert_line_in_output "user $(host_ns user)"
}

@test "--userns as root: a new user namespace where root is root" {
	run_nsbox run --userns -- sh -c 'readlink /proc/self/ns/user; id -u; cat /proc/self/uid_map'
	assert_success
	assert_no_line_in_output "$(host_ns user)"
	assert_output_matches $'\n0\n'
}

@test "--share uts,ipc keeps the caller's uts and ipc namespaces only" {
	run_nsbox run --share uts,ipc -- readlink /proc/self/ns/uts /proc/self/ns/ipc /proc/self/ns/net
	assert_success
	assert_line_in_output "$(host_ns uts)"
	assert_line_in_output "$(host_ns ipc)"
	assert_no_line_in_output "$(host_ns net)"
}

@test "a hostname set inside does not change the host's" {
	local before
	before=$(hostname)
	# Setting the hostname needs CAP_SYS_ADMIN, off by default.
	run_nsbox run --cap-add SYS_ADMIN -- sh -c 'hostname nsbox-inside-name && hostname'
	assert_success
	assert_output "nsbox-inside-name"
	assert_equal "$before" "$(hostname)" "host hostname after the run"
}

@test "--hostname sets the hostname inside" {
	run_nsbox run --hostname box-42 -- hostname
	assert_success
	assert_output "box-42"
	assert_not_equal "box-42" "$(hostname)" "host hostname"
}

@test "the default hostname is a short random id, different on each run" {
	run_nsbox run -- hostname
	assert_success
	local first=$output
	assert_output_matches '^[A-Za-z0-9][A-Za-z0-9-]{3,15}$'
	assert_not_equal "$(hostname)" "$first" "hostname inside vs host"
	run_nsbox run -- hostname
	assert_success
	assert_output_matches '^[A-Za-z0-9][A-Za-z0-9-]{3,15}$'
	assert_not_equal "$first" "$output" "hostnames of two runs"
}

@test "the new net namespace has only lo, and lo is UP" {
	run_nsbox run -- ip -o link show
	assert_success
	local n
	n=$(grep -c . <<<"$output")
	assert_equal 1 "$n" "number of links"
	assert_output_matches '^1: lo: <[A-Z_,]*[<,]?UP[,>]'
	run_nsbox run -- ip -o addr show dev lo
	assert_success
	assert_output_contains "inet 127.0.0.1/8"
}

@test "loopback works in the new net namespace" {
	# A TCP round trip over 127.0.0.1, inside the sandbox's own namespace.
	# The server's stdin stays open (a background job's is /dev/null): at
	# its EOF busybox nc shuts its sending side, and a client that sees
	# that before its own stdin has the line exits without sending it.
	run_nsbox run -- sh -c '
		sleep 60 | busybox nc -l -p 4321 >/tmp/got &
		i=0
		until echo ping-over-lo | busybox nc 127.0.0.1 4321 2>/dev/null; do
			i=$((i + 1)); [ $i -lt 100 ] || exit 3; sleep 0.05
		done
		# Not `wait`: ash would wait for the whole pipeline, sleep 60 too
		# (the end of the sandbox kills it).
		i=0
		until [ -s /tmp/got ]; do
			i=$((i + 1)); [ $i -lt 100 ] || exit 4; sleep 0.05
		done
		cat /tmp/got'
	assert_success
	assert_output "ping-over-lo"
}

@test "a mount made inside is invisible outside" {
	local before
	before=$(mount_count)
	# Mounting needs what the secure defaults take away.
	run_nsbox run --cap-add SYS_ADMIN --seccomp unconfined -- \
		sh -c 'mount -t tmpfs nsbox-test-inner /mnt && grep -c nsbox-test-inner /proc/self/mountinfo'
	assert_success
	assert_output "1"
	run grep -c nsbox-test-inner /proc/self/mountinfo
	assert_equal "0" "$output" "host mounts named nsbox-test-inner"
	assert_equal "$before" "$(mount_count)" "host mount count"
}

@test "a SysV IPC object made inside is invisible outside" {
	local host_before
	host_before=$(ipcs -q | grep -c '^0x' || true)
	run_nsbox run -- sh -c 'ipcmk -Q >/dev/null && ipcs -q | grep "^0x" | awk "{ print \$1 }"'
	assert_success
	local key=$output
	assert_output_matches '^0x[0-9a-f]+$'
	run ipcs -q
	[[ "$output" != *"$key"* ]] || fail "host sees the sandbox's message queue $key"
	assert_equal "$host_before" "$(ipcs -q | grep -c '^0x' || true)" "host message queues"
}

@test "a SysV IPC object of the host is invisible inside" {
	local id key
	id=$(ipcmk -Q | awk '{ print $NF }')
	on_teardown "ipcrm -q $id"
	key=$(ipcs -q | awk -v id="$id" '$2 == id { print $1 }')
	[ -n "$key" ] || fail "could not find the key of host queue $id"
	run_nsbox run -- ipcs -q
	assert_success
	assert_output_contains "Message Queues"
	assert_output_not_contains "$key"
}

@test "--share net sees the host's links" {
	local host_links
	host_links=$(ip -o link show | link_names)
	run_nsbox run --share net -- ip -o link show
	assert_success
	assert_equal "$host_links" "$(link_names <<<"$output")" "links inside with --share net"
	run_nsbox run --share net -- readlink /proc/self/ns/net
	assert_output "$(host_ns net)"
}

@test "--join net:/run/netns/NAME joins that namespace" {
	local ns=nsbox-test-$$-$BATS_TEST_NUMBER
	make_netns "$ns"
	add_test_link "$ns" d0
	run_nsbox run --join "net:/run/netns/$ns" -- ip -o link show
	assert_success
	assert_equal "$(ip -n "$ns" -o link show | link_names)" "$(link_names <<<"$output")" "links inside"
	assert_output_matches '(^|'$'\n'')[0-9]+: d0[:@]'
}

@test "--netns NAME joins /run/netns/NAME" {
	local ns=nsbox-test-$$-$BATS_TEST_NUMBER
	make_netns "$ns"
	add_test_link "$ns" d0
	run_nsbox run --netns "$ns" -- ip -o link show
	assert_success
	assert_output_matches '(^|'$'\n'')[0-9]+: d0[:@]'
	run_nsbox run --netns "$ns" -- readlink /proc/self/ns/net
	assert_success
	assert_output "$(ip netns exec "$ns" readlink /proc/self/ns/net)"
}

@test "--join with a namespace file of the wrong type fails with 125 naming the path" {
	local ns=nsbox-test-$$-$BATS_TEST_NUMBER before
	make_netns "$ns"
	before=$(mount_count)
	run_nsbox run --join "uts:/run/netns/$ns" -- true
	assert_status 125
	assert_nsbox_error "/run/netns/$ns"
	assert_equal "$before" "$(mount_count)" "host mount count"
}

@test "--join pid: with a net namespace file fails with 125 naming the path" {
	run_nsbox run --join pid:/proc/self/ns/net -- true
	assert_status 125
	assert_nsbox_error "/proc/self/ns/net"
}

@test "--join with a file that is not a namespace fails with 125 naming the path" {
	run_nsbox run --join net:/etc/hostname -- true
	assert_status 125
	assert_nsbox_error "/etc/hostname"
}

@test "--join with a missing file fails with 125 naming the path" {
	run_nsbox run --join net:/nonexistent/nsbox-ns -- true
	assert_status 125
	assert_nsbox_error "/nonexistent/nsbox-ns"
}

@test "--join uts:/proc/PID/ns/uts joins another process's uts namespace" {
	local marker pid
	marker=$(new_marker)
	# A process of ours in its own uts namespace, with its own hostname.
	unshare --uts sh -c "hostname nsbox-joined-uts && exec sleep $marker" &
	pid=$!
	track_pid "$pid"
	on_teardown "kill_marked $marker"
	wait_until 5 count_exact_pids 1 "sleep $marker" || fail "helper process did not start"
	run_nsbox run --join "uts:/proc/$pid/ns/uts" -- hostname
	assert_success
	assert_output "nsbox-joined-uts"
}

@test "--time-ns gives a time namespace different from the host's" {
	run_nsbox run --time-ns -- readlink /proc/self/ns/time
	assert_success
	assert_output_matches '^time:\[[0-9]+\]$'
	assert_not_equal "$(host_ns time)" "$output" "time namespace"
}

@test "without --time-ns the time namespace is the host's" {
	run_nsbox run -- readlink /proc/self/ns/time
	assert_success
	assert_output "$(host_ns time)"
}

@test "--share pid sees the host's pids" {
	run_nsbox run --share pid -- sh -c "echo \$\$; test -d /proc/$$ && echo caller-visible"
	assert_success
	local first=${output%%$'\n'*}
	[ "$first" -gt 2 ] || fail "with --share pid the command should not be pid 1 or 2"
	assert_line_in_output "caller-visible"
	run_nsbox run --share pid -- readlink /proc/self/ns/pid
	assert_output "$(host_ns pid)"
}
