#!/usr/bin/env bats
# Paths: Docker's masked and read-only /proc and /sys paths (writes fail,
# reads are empty, the host's sysctls are unchanged, even with every
# capability); a hostile image whose /proc, /sys, /dev, /tmp, a --bind
# destination or a default device is a symlink (or a FIFO, or a file)
# aimed at the host; a /proc that is not procfs (CVE-2019-16884 class); and
# the bounded /tmp.

load ../integration/helpers
load security-helpers

MASKED="/proc/asound /proc/acpi /proc/kcore /proc/keys /proc/latency_stats /proc/timer_list /proc/timer_stats /proc/sched_debug /proc/scsi /sys/firmware /sys/devices/virtual/powercap"

# A host directory that a hostile image aims at; canary_state describes it
# (names, contents, and any mount on or under it) for a before/after check.
make_canary() {
	CANARY=$T/canary
	mkdir -p "$CANARY/sub" && echo "canary-$TAG" >"$CANARY/file"
	CANARY_BEFORE=$(canary_state)
}
canary_state() {
	(cd "$CANARY" && find . -printf '%p %y %s %m\n' | sort && cat file)
	awk -v c="$CANARY" 'index($5, c) == 1' /proc/self/mountinfo
}
assert_canary_untouched() {
	assert_equal "$CANARY_BEFORE" "$(canary_state)" "the host's canary directory $CANARY (files and mounts)"
}

@test "masked: each masked path that the host has reads empty inside; the others are absent" {
	local p want got
	for p in $MASKED; do
		if [ -d "$p" ]; then
			want="$p: dir []"
		elif [ -e "$p" ]; then
			want="$p: file BYTES=0"
		else
			want="$p: absent"
		fi
		sandbox -- sh -c 'p=$1; if [ -d "$p" ]; then echo "$p: dir [$(ls -A "$p")]"; elif [ -e "$p" ]; then echo "$p: file $(nsbox-probe read "$p")"; else echo "$p: absent"; fi' sh "$p"
		assert_success || return 1
		assert_output "$want" || return 1
	done
	# The control: --unmask ALL shows the host's /proc/timer_list again.
	if [ -e /proc/timer_list ]; then
		sandbox --unmask ALL -- nsbox-probe read /proc/timer_list
		assert_output_matches '^BYTES=[1-9][0-9]*$'
	fi
	assert_no_leak
}

@test "masked: nothing can be created in a masked directory, nor the masks removed, even with every capability" {
	sandbox --cap-add ALL -- sh -c 'touch /proc/acpi/x 2>/dev/null; echo "acpi=$?"; touch /sys/firmware/x 2>/dev/null; echo "firmware=$?"
		echo "umount=$(nsbox-probe sys umount2)"; umount /proc/keys 2>/dev/null; echo "umount-keys=$?"; echo "keys: $(nsbox-probe read /proc/keys)"'
	assert_success
	assert_output "acpi=1
firmware=1
umount=EPERM
umount-keys=1
keys: BYTES=0"
	assert_no_leak
}

@test "read-only: kernel.core_pattern cannot be written, even with every capability; the host's is unchanged" {
	local before
	before=$(cat /proc/sys/kernel/core_pattern)
	# If a write ever went through, put the host's value back.
	on_teardown "[ \"\$(cat /proc/sys/kernel/core_pattern)\" = '$before' ] || echo '$before' > /proc/sys/kernel/core_pattern"
	sandbox -- nsbox-probe write /proc/sys/kernel/core_pattern "|/tmp/evil-$TAG %p"
	assert_success
	assert_output EROFS
	sandbox --cap-add ALL -- nsbox-probe write /proc/sys/kernel/core_pattern "|/tmp/evil-$TAG %p"
	assert_success
	assert_output EROFS
	# Nor by remounting /proc/sys read-write first.
	sandbox --cap-add ALL -- sh -c 'mount -o remount,rw /proc/sys 2>/dev/null; echo "remount=$?"; nsbox-probe write /proc/sys/kernel/core_pattern "|/tmp/evil-'"$TAG"' %p"'
	assert_success
	assert_output "remount=1
EROFS"
	assert_equal "$before" "$(cat /proc/sys/kernel/core_pattern)" "the host's kernel.core_pattern" || return 1
	assert_no_leak
}

@test "read-only: /proc/sys, /proc/sysrq-trigger, /proc/irq, /proc/bus and /proc/fs refuse writes" {
	local sysrq=EROFS
	[ -e /proc/sysrq-trigger ] || sysrq=ENOENT   # (a kernel without magic SysRq has none)
	sandbox -- sh -c 'for f in /proc/sysrq-trigger /proc/sys/vm/drop_caches /proc/sys/kernel/hostname /proc/irq/default_smp_affinity; do printf "%s=%s " $f "$(nsbox-probe write $f 1)"; done
		touch /proc/fs/x 2>/dev/null; echo "fs=$?"; touch /proc/bus/x 2>/dev/null; echo "bus=$?"'
	assert_success
	# sysrq gets "1" (a loglevel change), harmless had it gone through.
	assert_output "/proc/sysrq-trigger=$sysrq /proc/sys/vm/drop_caches=EROFS /proc/sys/kernel/hostname=EROFS /proc/irq/default_smp_affinity=EROFS fs=1
bus=1"
	assert_no_leak
}

@test "read-only: /sys cannot be written (a kernel knob, cgroups), even with every capability" {
	local knob=/sys/kernel/mm/transparent_hugepage/enabled
	[ -e "$knob" ] || knob=/sys/kernel/uevent_helper
	[ -e "$knob" ] || fail "neither /sys/kernel/mm/transparent_hugepage/enabled nor /sys/kernel/uevent_helper here" || return 1
	local before
	before=$(cat "$knob")
	# The value written is the current one: harmless if it went through.
	local value
	value=$(sed -n 's/.*\[\([a-z]*\)\].*/\1/p' <<<"$before")
	[ -n "$value" ] || value=$before
	sandbox --cap-add ALL -- sh -c 'nsbox-probe write "$1" "$2"; mkdir /sys/fs/cgroup/evil 2>/dev/null; echo "mkdir=$?"' sh "$knob" "$value"
	assert_success
	assert_output "EROFS
mkdir=1"
	assert_equal "$before" "$(cat "$knob")" "$knob on the host" || return 1
	assert_no_leak
}

# hostile_root DIR TARGET: the image's DIR (proc, sys, dev, tmp) is a
# symlink to TARGET.
hostile_root() {
	rm -rf "${T:?}/rootfs/$1"
	ln -s "$2" "$T/rootfs/$1"
}

# assert_refused_or_inside DIR: a run of the hostile image either failed on
# DIR's mount with a clear error, or succeeded (what landed, landed inside).
assert_refused_or_inside() {
	if [ "$status" -ne 0 ]; then
		assert_status 125 || return 1
		assert_nsbox_error "mount '/$1'" || return 1
	fi
}

@test "hostile root: /proc, /sys, /dev, /tmp as absolute symlinks to a host directory: refused, nothing done to it" {
	local d
	make_canary
	for d in proc sys dev tmp; do
		rm -rf "$T/rootfs" && make_rootfs "$T/rootfs"
		hostile_root "$d" "$CANARY"
		sandbox -- sh -c 'ls /ctl >/dev/null; cat /proc/1/cmdline'
		assert_status 125 || return 1
		assert_nsbox_error "mount '/$d'" || return 1
		assert_canary_untouched || return 1
	done
	assert_no_leak
}

@test "hostile root: /proc, /sys, /dev, /tmp as ../../ symlinks climbing to a host directory: refused, nothing done to it" {
	local d
	make_canary
	for d in proc sys dev tmp; do
		rm -rf "$T/rootfs" && make_rootfs "$T/rootfs"
		hostile_root "$d" "../../../../../../../..$CANARY"
		sandbox -- true
		assert_refused_or_inside "$d" || return 1
		assert_canary_untouched || return 1
	done
	assert_no_leak
}

@test "hostile root: symlinks to a host path that also exists in the image land in the image; the host's stays untouched" {
	local d
	# A canary outside /tmp, which the sandbox covers with its own tmpfs.
	new_tempdir T2 /var/tmp
	CANARY=$T2/canary
	mkdir -p "$CANARY/sub" && echo "canary-$TAG" >"$CANARY/file"
	CANARY_BEFORE=$(canary_state)
	for d in proc sys dev tmp; do
		rm -rf "$T/rootfs" && make_rootfs "$T/rootfs"
		mkdir -p "$T/rootfs$CANARY"
		hostile_root "$d" "/../../..$CANARY"
		sandbox -- sh -c 'tr -d "\0" </proc/1/cmdline; echo; grep -c " $1 " /proc/self/mountinfo' sh "$CANARY"
		assert_success || return 1
		# Its own /proc (its init), and the mount on the image's copy.
		assert_output "nsbox-init
1" || return 1
		assert_canary_untouched || return 1
	done
	assert_no_leak
}

@test "hostile root: /proc, /sys, /dev, /tmp -> /etc and /../../etc: mounted on the image's /etc, never the host's" {
	local d target
	for d in proc sys dev tmp; do
		for target in /etc /../../etc; do
			rm -rf "$T/rootfs" && make_rootfs "$T/rootfs"
			hostile_root "$d" "$target"
			sandbox -- sh -c 'tr -d "\0" </proc/1/cmdline; echo; grep -c " /etc " /proc/self/mountinfo'
			assert_success || return 1
			assert_output "nsbox-init
1" || return 1
			# The host's /etc: no mount, and none of what nsbox makes in /dev.
			assert_equal "" "$(awk '$5 == "/etc"' /proc/self/mountinfo)" "mounts on the host's /etc" || return 1
			[ ! -e /etc/ptmx ] && [ ! -e /etc/pts ] && [ ! -e /etc/urandom ] || fail "nsbox made its /dev in the host's /etc" || return 1
		done
	done
	assert_no_leak
}

@test "hostile root: with /proc -> /etc the masked and read-only paths still apply" {
	hostile_root proc /etc
	sandbox -- sh -c 'echo "keys: $(nsbox-probe read /proc/keys)"; echo "sys: $(nsbox-probe write /proc/sys/kernel/core_pattern core)"'
	assert_success
	assert_output "keys: BYTES=0
sys: EROFS"
	assert_no_leak
}

@test "hostile root: a --bind destination through a symlink to a host directory that the image lacks is refused" {
	make_canary
	mkdir -p "$T/src" && echo "bound-$TAG" >"$T/src/f"
	mkdir -p "$T/rootfs/mnt"
	ln -s "$CANARY" "$T/rootfs/mnt/abs"
	ln -s "../../../../../../..$CANARY/sub" "$T/rootfs/mnt/rel"
	sandbox --bind "$T/src:/mnt/abs/x" -- cat /mnt/abs/x/f
	assert_status 125
	assert_nsbox_error "mount '/mnt/abs/x'"
	sandbox --bind "$T/src:/mnt/rel/y" -- cat /mnt/rel/y/f
	assert_status 125
	assert_nsbox_error "mount '/mnt/rel/y'"
	assert_canary_untouched || return 1
	assert_no_leak
}

@test "hostile root: a --bind destination through a symlink to a host directory that the image has is made in the image" {
	new_tempdir T2 /var/tmp
	CANARY=$T2/canary
	mkdir -p "$CANARY/sub" && echo "canary-$TAG" >"$CANARY/file"
	CANARY_BEFORE=$(canary_state)
	mkdir -p "$T/src" && echo "bound-$TAG" >"$T/src/f"
	mkdir -p "$T/rootfs/mnt" "$T/rootfs$CANARY/sub"
	ln -s "$CANARY" "$T/rootfs/mnt/abs"
	ln -s "../../../../../../..$CANARY/sub" "$T/rootfs/mnt/rel"
	sandbox --bind "$T/src:/mnt/abs/x" --bind "$T/src:/mnt/rel/y" -- sh -c 'cat /mnt/abs/x/f /mnt/rel/y/f'
	assert_success
	assert_output "bound-$TAG
bound-$TAG"
	assert_canary_untouched || return 1
	# What nsbox created, it created in the image.
	[ -d "$T/rootfs$CANARY/x" ] && [ -d "$T/rootfs$CANARY/sub/y" ] || fail "the mount points are not in the image" || return 1
	assert_no_leak
}

@test "hostile root: a --bind destination symlink to /etc never mounts on the host's /etc" {
	mkdir -p "$T/src" && echo "bound-$TAG" >"$T/src/f"
	ln -s /../../etc "$T/rootfs/mnt-etc"
	sandbox --bind "$T/src:/mnt-etc/evil" -- cat /etc/evil/f
	assert_success
	assert_output "bound-$TAG"
	[ ! -e /etc/evil ] || fail "/etc/evil appeared on the host" || return 1
	assert_no_leak
}

@test "hostile root: OCI default devices replace a planted symlink, FIFO or file at /dev/null, /dev/zero, /dev/full, /dev/tty" {
	make_canary
	make_oci_bundle "$T/b" '.mounts = [.mounts[] | select(.destination | startswith("/dev") | not)]'
	rm -rf "$T/b/rootfs/dev" && mkdir "$T/b/rootfs/dev"
	ln -s "$CANARY/file" "$T/b/rootfs/dev/null"
	mkfifo "$T/b/rootfs/dev/zero"
	echo "planted-$TAG" >"$T/b/rootfs/dev/full"
	ln -s "../../../../../../..$CANARY/tty" "$T/b/rootfs/dev/tty"
	oci_args "$T/b" sh -c 'for d in null zero full tty; do stat -c "%n %F %t:%T" /dev/$d; done; echo pwned > /dev/null; head -c 4 /dev/zero | wc -c'
	run timeout 20 "$NSBOX" --root "$STATE" run --bundle "$T/b" "c-$TAG"
	assert_success
	assert_output "/dev/null character special file 1:3
/dev/zero character special file 1:5
/dev/full character special file 1:7
/dev/tty character special file 5:0
4"
	assert_canary_untouched || return 1
	assert_no_leak
}

# A fake /proc: a FIFO at filesystems (a reader would block forever), fake
# self/attr and self/oom_score_adj, a fake sys/kernel/shmmax. fake_sum
# describes it, FIFOs included, for a before/after check.
make_fake_proc() {
	local f=$1
	mkdir -p "$f/self/attr" "$f/thread-self/attr" "$f/sys/kernel" "$f/1"
	mkfifo "$f/filesystems" "$f/self/attr/exec"
	echo 0 >"$f/self/oom_score_adj"
	echo unconfined >"$f/self/attr/current"
	echo fake >"$f/sys/kernel/shmmax"
	echo fake >"$f/thread-self/attr/current"
}
fake_sum() {
	(cd "$1" && find . -printf '%p %y %s %m\n' | sort && find . -type f -exec sha256sum {} + | sort)
}

# assert_proc_verified BUNDLE FAKE: creating BUNDLE (oomScoreAdj 500, a
# sysctl) ends in bounded time, writes none of FAKE, and really sets the
# oom score and the sysctl; exec into it leaves FAKE alone too.
assert_proc_verified() {
	local b=$1 fake=$2 before pid
	before=$(fake_sum "$fake")
	oci_edit "$b" '.process.oomScoreAdj = 500 | .linux.sysctl = {"kernel.shmmax": "123456789"}'
	oci_args "$b" sleep "$TAG"
	OCI_N=$((OCI_N + 1))
	status=0
	timeout 20 "$NSBOX" --root "$STATE" create --bundle "$b" "c-$TAG" </dev/null >"$T/create.out" 2>&1 || status=$?
	[ "$status" -ne 124 ] || fail "create hung (killed after 20 s)" || return 1
	[ "$status" -eq 0 ] || fail "create failed: $(cat "$T/create.out")" || return 1
	pid=$("$NSBOX" --root "$STATE" state "c-$TAG" | jq -r .pid)
	assert_equal 500 "$(cat "/proc/$pid/oom_score_adj")" "oom_score_adj of the container's process, from the host" || return 1
	assert_equal 123456789 "$(nsenter -t "$pid" -i cat /proc/sys/kernel/shmmax)" "kernel.shmmax in the container's ipc namespace" || return 1
	oci_ok start "c-$TAG" || return 1
	run timeout 20 "$NSBOX" --root "$STATE" exec "c-$TAG" true
	[ "$status" -ne 124 ] || fail "exec hung (killed after 20 s)" || return 1
	oci_ok delete --force "c-$TAG" || return 1
	assert_equal "$before" "$(fake_sum "$fake")" "the fake /proc files (before/after)"
}

@test "procfs: a config whose /proc is a bind of a fake directory: create is bounded, writes no fake file, and the settings apply" {
	make_oci_bundle "$T/b" '.mounts = [{"destination": "/proc", "type": "bind", "source": $f, "options": ["rbind", "rw"]}] + [.mounts[] | select(.destination != "/proc")]' \
		--arg f "$T/fakeproc"
	make_fake_proc "$T/fakeproc"
	assert_proc_verified "$T/b" "$T/fakeproc" || return 1
	assert_no_leak
}

@test "procfs: a config whose /proc is a tmpfs: create is bounded and the settings apply" {
	make_oci_bundle "$T/b" '.mounts = [{"destination": "/proc", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid"]}] + [.mounts[] | select(.destination != "/proc")]'
	make_fake_proc "$T/b/rootfs/proc"
	assert_proc_verified "$T/b" "$T/b/rootfs/proc" || return 1
	assert_no_leak
}

@test "procfs: a config with no /proc mount over an image whose /proc holds fakes: bounded, untouched, settings apply" {
	make_oci_bundle "$T/b" '.mounts = [.mounts[] | select(.destination != "/proc")]'
	make_fake_proc "$T/b/rootfs/proc"
	assert_proc_verified "$T/b" "$T/b/rootfs/proc" || return 1
	assert_no_leak
}

@test "tmp: /tmp is bounded: 70 MiB do not fit, nor 70000 files" {
	sandbox -- sh -c 'dd if=/dev/zero of=/tmp/big bs=1M count=70 2>/dev/null; echo "dd=$?"; rm -f /tmp/big
		i=0; while [ $i -lt 70000 ] && echo -n 2>/dev/null >/tmp/f$i; do i=$((i+1)); done; echo "files=$i"'
	assert_success
	assert_line_in_output "dd=1"
	# 65536 inodes, the directory itself among them.
	assert_output_matches $'\nfiles=655[0-9][0-9]$'
	assert_no_leak
}
