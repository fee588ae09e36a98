#!/usr/bin/env bats
# cgroup v2 device control (linux/cgroup_bpf.c): the eBPF program
# (src/bpf/devices.bpf.c) loaded with linux.resources.devices rules as its
# data, attached to a cgroup, decides what a process
# in it may open and mknod, device nodes outside /dev included (the attack:
# an image shipping nodes of /dev/kvm, a loop device, the hardware RNG).
#
# Each test runs tests/helpers/devtest.c (nsbox-devtest) on a cgroup of its
# own under the cgroup2 mount (/sys/fs/cgroup/unified on a hybrid host,
# else /sys/fs/cgroup: device programs attach to any cgroup2 directory,
# controllers or not). The helper moves a child there, applies the rules
# and has the child open the nodes it makes in a temporary directory; it
# removes the cgroup and the nodes itself, and teardown removes a cgroup a
# killed helper left. Needs root; a host where this cannot run fails.

load helpers

NSBOX_DEVTEST=${NSBOX_DEVTEST:-$(dirname "$NSBOX")/tests/helpers/nsbox-devtest}

cgroup2_root() {
	local d
	for d in /sys/fs/cgroup/unified /sys/fs/cgroup; do
		if [ "$(stat -f -c %T "$d" 2>/dev/null)" = cgroup2fs ]; then
			echo "$d"
			return 0
		fi
	done
	return 1
}

setup() {
	[ "$(id -u)" -eq 0 ] || die_setup "the cgroup device tests must run as root" || return 1
	[ -x "$NSBOX_DEVTEST" ] || die_setup "no nsbox-devtest at $NSBOX_DEVTEST (meson compile -C build)" || return 1
	CG_ROOT=$(cgroup2_root) || die_setup "no cgroup2 file system at /sys/fs/cgroup/unified or /sys/fs/cgroup" || return 1
	# The cgroup v2 VM (tests/vm) starts without the loop module.
	[ -e /sys/dev/block/7:0 ] || modprobe loop 2>/dev/null || true
	[ -e /sys/dev/block/7:0 ] || die_setup "no loop device 7:0 to open (modprobe loop)" || return 1
	CG=$CG_ROOT/nsbox-devtest-$$-$BATS_TEST_NUMBER-$RANDOM
}

# Only our own cgroup: its processes are the helper's child.
teardown() {
	local pid i
	[ -n "${CG-}" ] && [ -d "$CG" ] || return 0
	for pid in $(cat "$CG/cgroup.procs" 2>/dev/null); do
		kill -KILL "$pid" 2>/dev/null || true
	done
	for i in $(seq 50); do
		rmdir "$CG" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "teardown: cannot remove $CG" >&2
	return 1
}

# devtest STEP...: run the helper on $CG; every step must go as expected.
devtest() {
	run "$NSBOX_DEVTEST" "$CG" "$@"
	echo "$output"
	[ "$status" -eq 0 ] || fail "nsbox-devtest exited $status"
	[ ! -d "$CG" ] || fail "nsbox-devtest left $CG"
}

@test "devices: without a program the nodes open (the attack), with no rules none does" {
	devtest open c 1:5 r ok open b 7:0 r ok \
		apply \
		open c 1:3 r EPERM open c 1:3 w EPERM open c 1:5 r EPERM \
		open c 10:232 rw EPERM open c 10:232 r EPERM open c 10:183 r EPERM \
		open b 7:0 r EPERM mknod c 1:3 EPERM mknod b 7:0 EPERM
}

@test "devices: allow c 1:3 rwm opens /dev/null's node, not /dev/zero's" {
	devtest allow c 1:3 rwm apply \
		open c 1:3 r ok open c 1:3 w ok open c 1:3 rw ok mknod c 1:3 ok \
		open c 1:5 r EPERM open c 1:5 w EPERM mknod c 1:5 EPERM
}

@test "devices: access r only: O_RDONLY opens, O_WRONLY and O_RDWR do not, no mknod" {
	devtest allow c 1:5 r apply \
		open c 1:5 r ok open c 1:5 w EPERM open c 1:5 rw EPERM mknod c 1:5 EPERM
}

@test "devices: access w only, and rw" {
	devtest allow c 1:5 w allow c 1:3 rw apply \
		open c 1:5 w ok open c 1:5 r EPERM open c 1:5 rw EPERM \
		open c 1:3 r ok open c 1:3 w ok open c 1:3 rw ok mknod c 1:3 EPERM
}

@test "devices: access m only: mknod works, open does not" {
	devtest allow c 1:3 m apply \
		mknod c 1:3 ok open c 1:3 r EPERM open c 1:3 w EPERM mknod c 1:5 EPERM
}

@test "devices: empty access means rwm" {
	devtest allow c 1:5 - apply \
		open c 1:5 r ok open c 1:5 rw ok mknod c 1:5 ok open c 1:3 r EPERM
}

@test "devices: wildcard c *:* rwm allows every char device, no block device" {
	devtest allow c '*:*' rwm apply \
		open c 1:3 rw ok open c 1:5 r ok open c 1:7 r ok mknod c 10:232 ok \
		open b 7:0 r EPERM mknod b 7:0 EPERM
}

@test "devices: wildcard minor c 1:* r" {
	devtest allow c '1:*' r apply \
		open c 1:3 r ok open c 1:5 r ok open c 1:7 r ok open c 1:9 r ok \
		open c 1:5 w EPERM open c 10:232 r EPERM open b 7:0 r EPERM
}

@test "devices: wildcard major c *:5 rw" {
	devtest allow c '*:5' rw apply \
		open c 1:5 rw ok open c 1:3 r EPERM open c 1:9 r EPERM mknod c 1:5 EPERM
}

@test "devices: type a *:* rwm allows everything" {
	devtest allow a '*:*' rwm apply \
		open c 1:3 rw ok open c 1:9 r ok open b 7:0 r ok mknod b 7:0 ok mknod c 1:5 ok
}

@test "devices: type a *:* r: reads of char and block devices only" {
	devtest allow a '*:*' r apply \
		open c 1:3 r ok open b 7:0 r ok open c 1:3 w EPERM open c 1:3 rw EPERM \
		mknod c 1:3 EPERM mknod b 7:0 EPERM
}

@test "devices: type a with numbers matches char and block" {
	devtest allow a 7:0 r allow a 1:3 r apply \
		open b 7:0 r ok open c 1:3 r ok open b 7:1 r EPERM open c 1:5 r EPERM
}

@test "devices: block device b 7:0 r: the loop device opens read-only" {
	devtest allow b 7:0 r apply \
		open b 7:0 r ok open b 7:1 r EPERM mknod b 7:0 EPERM open c 1:3 r EPERM
}

@test "devices: block wildcard b *:* m: mknod of block nodes only" {
	devtest allow b '*:*' m apply \
		mknod b 7:0 ok mknod b 8:0 ok open b 7:0 r EPERM mknod c 1:3 EPERM
}

@test "devices: deny after allow: the later rule wins" {
	devtest allow c '*:*' rwm deny c 1:5 rwm apply \
		open c 1:5 r EPERM open c 1:5 w EPERM mknod c 1:5 EPERM \
		open c 1:3 rw ok open c 1:9 r ok
}

@test "devices: allow after deny: the later rule wins" {
	devtest allow a '*:*' rwm deny c '1:*' rwm allow c 1:5 r apply \
		open c 1:5 r ok open c 1:5 w EPERM open c 1:3 r EPERM open b 7:0 r ok
}

@test "devices: deny of w after allow rwm stops O_RDWR too" {
	devtest allow c 1:5 rwm deny c 1:5 w apply \
		open c 1:5 r ok open c 1:5 w EPERM open c 1:5 rw EPERM mknod c 1:5 ok
}

@test "devices: allow all but kvm and the hardware RNG" {
	devtest allow a '*:*' rwm deny c 10:232 rwm deny c 10:183 r apply \
		open c 10:232 r EPERM open c 10:183 r EPERM mknod c 10:232 EPERM \
		open c 1:3 rw ok open b 7:0 r ok
}

@test "devices: deny a *:* ends the list: the rules before it are gone" {
	devtest allow c 1:3 rwm allow b 7:0 r deny a '*:*' rwm allow c 1:5 r apply \
		open c 1:3 r EPERM open b 7:0 r EPERM open c 1:5 r ok
}

@test "devices: update replaces nsbox's program, the running process gets the new rules" {
	devtest allow c 1:3 rwm apply attached 1 0 \
		open c 1:3 r ok open c 1:5 r EPERM \
		allow c 1:5 r apply attached 1 0 \
		open c 1:5 r ok open c 1:3 r EPERM \
		apply attached 1 0 open c 1:5 r EPERM
}

@test "devices: programs of others stay, and keep denying" {
	devtest foreign c 1:9 attached 0 1 open c 1:3 r ok open c 1:9 r EPERM \
		allow a '*:*' rwm apply attached 1 1 open c 1:3 r ok open c 1:9 r EPERM \
		allow c 1:9 r apply attached 1 1 open c 1:9 r EPERM open c 1:3 r EPERM \
		detach 1 attached 0 1 open c 1:3 r ok open c 1:9 r EPERM
}

@test "devices: leftovers of an interrupted update are all replaced" {
	devtest allow a '*:*' - apply plant c 1:9 plant c 1:7 attached 3 0 \
		open c 1:9 r EPERM open c 1:7 r EPERM \
		allow c '1:*' r apply attached 1 0 \
		open c 1:9 r ok open c 1:7 r ok open c 1:3 w EPERM
}

@test "devices: detach all of nsbox's programs" {
	devtest allow c 1:3 r apply open c 1:5 r EPERM detach 1 attached 0 0 \
		open c 1:5 r ok detach 0
}

@test "devices: a directory that is not a cgroup2 one is a clear error" {
	devtest error-at /tmp "device programs: not a cgroup2 directory" open c 1:3 r ok
}

@test "devices: a program the verifier refuses is an error quoting the verifier" {
	# tests/helpers/refused.bpf.c reads past its 12-byte context.
	devtest refused "load device program: verifier: invalid bpf_context access off=64 size=4: Permission denied"
}

@test "devices: the cost of converting, loading and applying (runc's default list)" {
	# runc's default allow list, 11 rules.
	devtest allow c '*:*' m allow b '*:*' m allow c 1:3 rwm allow c 1:8 rwm \
		allow c 1:7 rwm allow c 5:0 rwm allow c 1:5 rwm allow c 1:9 rwm \
		allow c '136:*' rwm allow c 5:2 rwm allow c 10:200 rwm apply \
		open c 1:3 rw ok open c 10:232 r EPERM bench 500
	echo "# $(grep '^ok bench' <<<"$output")" >&3
}
