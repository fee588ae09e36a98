#!/usr/bin/env bats
# Capabilities, no_new_privs and identity: the documented defaults of
# `nsbox run` (src/spec/run_security.h) as root, rootless and with --uid;
# setuid and file-capability binaries and device nodes planted in the image
# or a --bind source (nosuid, nodev, no_new_privs); the init's own
# privileges; the identity that `nsbox exec` gives.

load ../integration/helpers
load security-helpers

# podman's default set: CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID
# SETPCAP NET_BIND_SERVICE SYS_CHROOT SETFCAP.
DEF=00000000800405fb
ZERO=0000000000000000

# The probe's `status` line for these sets.
caps_line() {   # caps_line INH PRM EFF BND AMB NNP SECCOMP
	echo "CapInh=$1 CapPrm=$2 CapEff=$3 CapBnd=$4 CapAmb=$5 NoNewPrivs=$6 Seccomp=$7"
}

@test "caps: as root the command has podman's set in bounding, permitted and effective, none inheritable or ambient, and no_new_privs" {
	sandbox -- nsbox-probe status
	assert_success
	assert_output "$(caps_line $ZERO $DEF $DEF $DEF $ZERO 1 2)"
	assert_no_leak
}

@test "caps: rootless, root in the user namespace has the same sets and no_new_privs" {
	sandbox_as_user -- nsbox-probe status
	assert_success
	assert_output "$(caps_line $ZERO $DEF $DEF $DEF $ZERO 1 2)"
	assert_no_leak
}

@test "caps: with --uid 1000 the set is only in the bounding set; permitted and effective are empty" {
	sandbox --uid 1000 --gid 1000 -- nsbox-probe status
	assert_success
	assert_output "$(caps_line $ZERO $ZERO $ZERO $DEF $ZERO 1 2)"
	assert_no_leak
}

@test "caps: rootless with --uid 1000 (subordinate ids): only the bounding set" {
	local u g
	u=$(test_user_uid) g=$(test_user_gid)
	sandbox_as_user --map-users "0:$u:1" --map-users "1:$(subid_start):1000" \
		--map-groups "0:$g:1" --map-groups "1:$(subid_start g):1000" \
		--uid 1000 --gid 1000 -- nsbox-probe status
	assert_success
	assert_output "$(caps_line $ZERO $ZERO $ZERO $DEF $ZERO 1 2)"
	assert_no_leak
}

@test "caps: --cap-drop ALL empties every set" {
	sandbox --cap-drop ALL -- nsbox-probe status
	assert_success
	assert_output "$(caps_line $ZERO $ZERO $ZERO $ZERO $ZERO 1 2)"
	assert_no_leak
}

@test "caps: --cap-drop ALL --cap-add NET_BIND_SERVICE keeps only that one; --cap-add SYS_ADMIN adds one bit" {
	sandbox --cap-drop ALL --cap-add NET_BIND_SERVICE -- nsbox-probe status
	assert_success
	assert_output "$(caps_line $ZERO 0000000000000400 0000000000000400 0000000000000400 $ZERO 1 2)"
	sandbox --cap-add SYS_ADMIN -- nsbox-probe status
	assert_success
	assert_output "$(caps_line $ZERO 00000000802405fb 00000000802405fb 00000000802405fb $ZERO 1 2)"
	assert_no_leak
}

@test "caps: without CAP_MKNOD a device node cannot be made; with it, /tmp is nodev" {
	sandbox -- nsbox-probe mknod /tmp/mem 1 1
	assert_success
	assert_output "mknod=EPERM"
	sandbox --cap-add MKNOD -- nsbox-probe mknod /tmp/mem 1 1
	assert_success
	assert_output "mknod=OK open=EACCES"
	assert_no_leak
}

@test "caps: the init keeps only CAP_KILL and no_new_privs, and holds nothing of nsbox's identity" {
	"$NSBOX" run --rootfs "$T/rootfs" --bind "$T/ctl:/ctl" -- \
		sh -c 'touch /ctl/ready; while [ ! -e /ctl/go ]; do sleep 0.05; done' >"$T/bg.out" 2>&1 &
	local nsbox_pid=$! init
	track_pid "$nsbox_pid"
	wait_file 10 "$T/ctl/ready" || fail "the sandbox did not start" || return 1
	init=$(nsbox_children "$nsbox_pid")
	[ -n "$init" ] || fail "no init under nsbox $nsbox_pid" || return 1
	local got
	got="$(status_field "$init" CapPrm) $(status_field "$init" CapEff) $(status_field "$init" CapBnd) $(status_field "$init" CapInh) $(status_field "$init" CapAmb) $(status_field "$init" NoNewPrivs)"
	assert_equal "0000000000000020 0000000000000020 0000000000000020 $ZERO $ZERO 1" "$got" "init's CapPrm CapEff CapBnd CapInh CapAmb NoNewPrivs"
	assert_equal "nsbox-init" "$(tr -d '\0' <"/proc/$init/cmdline")" "init's command line"
	assert_equal 0 "$(status_field "$init" Uid | cut -c1)" "init's uid"
	touch "$T/ctl/go"
	wait "$nsbox_pid"
	assert_no_leak
}

@test "caps: a setuid-root binary in the image does not give euid 0 to --uid 1000 (nosuid and no_new_privs)" {
	cp "$T/rootfs/bin/nsbox-probe" "$T/rootfs/bin/suid-probe"
	chown 0:0 "$T/rootfs/bin/suid-probe"
	chmod 4755 "$T/rootfs/bin/suid-probe"
	sandbox --uid 1000 --gid 1000 -- suid-probe ids
	assert_success
	assert_output "uid=1000 euid=1000 suid=1000 gid=1000 egid=1000 sgid=1000 nnp=1"
	# no_new_privs alone stops it too (setuid bits kept by --allow-suid)...
	sandbox --uid 1000 --gid 1000 --allow-suid -- suid-probe ids
	assert_success
	assert_output "uid=1000 euid=1000 suid=1000 gid=1000 egid=1000 sgid=1000 nnp=1"
	# ...and nosuid alone (no_new_privs lifted by --allow-new-privs).
	sandbox --uid 1000 --gid 1000 --allow-new-privs -- suid-probe ids
	assert_success
	assert_output "uid=1000 euid=1000 suid=1000 gid=1000 egid=1000 sgid=1000 nnp=0"
	# The control: with both lifted, the same binary does give euid 0, so
	# the two above measured the defences and not a broken binary.
	sandbox --uid 1000 --gid 1000 --allow-suid --allow-new-privs -- suid-probe ids
	assert_success
	assert_output "uid=1000 euid=0 suid=0 gid=1000 egid=1000 sgid=1000 nnp=0"
	assert_no_leak
}

@test "caps: a setuid-root binary in a --bind source does not give euid 0 either (the bind is nosuid)" {
	mkdir -p "$T/suid"
	cp "$NSBOX_PROBE" "$T/suid/suid-probe"
	chmod 4755 "$T/suid/suid-probe"
	sandbox --uid 1000 --gid 1000 --allow-new-privs --bind "$T/suid:/opt/suid:ro" -- /opt/suid/suid-probe ids
	assert_success
	assert_output "uid=1000 euid=1000 suid=1000 gid=1000 egid=1000 sgid=1000 nnp=0"
	assert_no_leak
}

@test "caps: a binary with file capabilities in the image gives --uid 1000 none of them" {
	cp "$T/rootfs/bin/nsbox-probe" "$T/rootfs/bin/fcap-probe"
	run "$NSBOX_PROBE" setfcap "$T/rootfs/bin/fcap-probe" 10   # cap_net_bind_service+ep
	assert_output OK
	sandbox --uid 1000 --gid 1000 -- fcap-probe status
	assert_success
	assert_output "$(caps_line $ZERO $ZERO $ZERO $DEF $ZERO 1 2)"
	# The control: with nosuid and no_new_privs lifted the file's
	# capability is granted, so the check above is meaningful.
	sandbox --uid 1000 --gid 1000 --allow-suid --allow-new-privs -- fcap-probe status
	assert_success
	assert_output "$(caps_line $ZERO 0000000000000400 0000000000000400 $DEF $ZERO 0 2)"
	assert_no_leak
}

@test "caps: device nodes in the image (/dev/mem, /dev/kmsg, /dev/null) cannot be opened, even with every capability (nodev)" {
	mknod -m 0666 "$T/rootfs/root/mem" c 1 1
	mknod -m 0666 "$T/rootfs/root/kmsg" c 1 11
	mknod -m 0666 "$T/rootfs/root/null" c 1 3
	sandbox -- sh -c 'for d in mem kmsg null; do printf "%s=%s " $d "$(nsbox-probe open /root/$d r)"; done'
	assert_success
	assert_output "mem=EACCES kmsg=EACCES null=EACCES "
	sandbox --cap-add ALL -- sh -c 'for d in mem kmsg null; do printf "%s=%s " $d "$(nsbox-probe open /root/$d r)"; done'
	assert_success
	assert_output "mem=EACCES kmsg=EACCES null=EACCES "
	# The control: --allow-devices keeps the nodes usable (the harmless one).
	sandbox --allow-devices -- nsbox-probe open /root/null r
	assert_success
	assert_output OK
	assert_no_leak
}

@test "caps: a device node in a --bind source cannot be opened (the bind is nodev)" {
	mkdir -p "$T/devs"
	mknod -m 0666 "$T/devs/mem" c 1 1
	mknod -m 0666 "$T/devs/null" c 1 3
	sandbox --cap-add ALL --bind "$T/devs:/mnt/devs" -- sh -c 'for d in mem null; do printf "%s=%s " $d "$(nsbox-probe open /mnt/devs/$d r)"; done'
	assert_success
	assert_output "mem=EACCES null=EACCES "
	assert_no_leak
}

@test "caps: rootless, a device node in the image cannot be opened" {
	mknod -m 0666 "$T/rootfs/root/null" c 1 3
	mknod -m 0666 "$T/rootfs/root/mem" c 1 1
	sandbox_as_user -- sh -c 'for d in mem null; do printf "%s=%s " $d "$(nsbox-probe open /root/$d r)"; done'
	assert_success
	assert_output "mem=EACCES null=EACCES "
	assert_no_leak
}

@test "caps: nsbox exec into a run --name sandbox gets the sandbox's capabilities, no_new_privs and seccomp filter" {
	run nsb run --rootfs "$T/rootfs" --name "c-$TAG" --detach -- sleep "$TAG"
	assert_success
	run --separate-stderr nsb exec "c-$TAG" -- nsbox-probe status
	assert_success
	local got=$output
	run nsb delete --force "c-$TAG"
	assert_success
	output=$got
	assert_output "$(caps_line $ZERO $DEF $DEF $DEF $ZERO 1 2)"
	assert_no_leak
}

@test "caps: nsbox exec --uid 1000 into a run --name sandbox: only the bounding set, no_new_privs" {
	run nsb run --rootfs "$T/rootfs" --name "c-$TAG" --detach -- sleep "$TAG"
	assert_success
	run --separate-stderr nsb exec --user 1000:1000 "c-$TAG" -- nsbox-probe status
	assert_success
	local got=$output
	run nsb delete --force "c-$TAG"
	assert_success
	output=$got
	assert_output "$(caps_line $ZERO $ZERO $ZERO $DEF $ZERO 1 2)"
	assert_no_leak
}

@test "identity: nsbox exec --user 4294967295 (uid -1, 'no change' to the kernel) is refused, not run as root" {
	make_oci_bundle "$T/b"
	oci_args "$T/b" sleep "$TAG"
	oci_start "c-$TAG" "$T/b" || return 1
	local u results=""
	for u in 4294967295 4294967295:0 0:4294967295 1000:4294967295; do
		oci exec --user "$u" "c-$TAG" nsbox-probe ids
		results+="$u: status $status, $output; "
	done
	oci_ok delete --force "c-$TAG"
	# Every one must be a usage error (125) naming the value; none may
	# run at all (uid or gid -1 would leave the process root).
	[[ "$results" != *"status 0"* ]] || fail "exec ran with an id of -1: $results" || return 1
	[[ "$results" == *"4294967295: status 125"*"4294967295:0: status 125"*"0:4294967295: status 125"*"1000:4294967295: status 125"* ]] ||
		fail "expected status 125 for each: $results" || return 1
	assert_no_leak
}

@test "identity: --uid 4294967295 and a config.json uid of 4294967295 are refused" {
	sandbox --uid 4294967295 -- true
	assert_status 125
	assert_nsbox_error "--uid '4294967295'"
	make_oci_bundle "$T/b" '.process.user.uid = 4294967295'
	oci create --bundle "$T/b" "c-$TAG"
	assert_status 125
	assert_nsbox_error "process.user.uid"
	assert_no_leak
}

@test "identity: OCI exec gets the container's capabilities and no_new_privs from config.json" {
	make_oci_bundle "$T/b"
	oci_args "$T/b" sleep "$TAG"
	oci_start "c-$TAG" "$T/b" || return 1
	oci exec "c-$TAG" nsbox-probe status
	local got=$output st=$status
	oci_ok delete --force "c-$TAG"
	status=$st output=$got
	assert_success
	# nsbox spec: CAP_AUDIT_WRITE, CAP_KILL, CAP_NET_BIND_SERVICE; noNewPrivileges.
	assert_output "$(caps_line $ZERO 0000000020000420 0000000020000420 0000000020000420 $ZERO 1 0)"
	assert_no_leak
}
