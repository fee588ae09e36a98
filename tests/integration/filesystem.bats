#!/usr/bin/env bats
# The sandbox's file system: --rootfs, the default read-only host root, /proc,
# /dev, /tmp, /sys, --bind, --tmpfs, --ro, --workdir and --propagation.

load helpers

# major:minor of the file system mounted at / on the host.
host_root_dev() { awk '$5 == "/" { print $3; exit }' /proc/self/mountinfo; }

# ---------------------------------------------------------------------------
# --rootfs

@test "--rootfs: the root is the busybox tree and host paths are absent" {
	run_nsbox run --rootfs "$ROOTFS" -- sh -c '
		ls -A / | tr "\n" " "; echo
		for p in /work /etc/os-release /usr/lib/os-release /boot /root/.bashrc; do
			[ -e "$p" ] && echo "present: $p"
		done
		readlink /bin/sh; true'
	assert_success
	assert_equal "$(ls -A "$ROOTFS" | tr '\n' ' ')" "${output%%$'\n'*}" "top-level entries of /"
	assert_output_not_contains "present:"
	assert_line_in_output "busybox"
}

@test "--rootfs: /proc lists only the sandbox's pids" {
	run_nsbox run --rootfs "$ROOTFS" --no-init -- ls /proc
	assert_success
	assert_equal "1" "$(grep -E '^[0-9]+$' <<<"$output" | tr '\n' ' ' | sed 's/ $//')" "pids in /proc"
	run_nsbox run --rootfs "$ROOTFS" -- ls /proc
	assert_success
	assert_equal "1 2" "$(grep -E '^[0-9]+$' <<<"$output" | sort -n | tr '\n' ' ' | sed 's/ $//')" "pids in /proc with init"
}

@test "--rootfs: the old root is unmounted and unreachable" {
	local dev
	dev=$(host_root_dev)
	run_nsbox run --rootfs "$ROOTFS" -- sh -c '
		ls -a / | grep -i -E "old|pivot" || true
		echo ---; cat /proc/self/mountinfo'
	assert_success
	# no leftover directory such as /.oldroot
	assert_equal "---" "${output%%$'\n'*}" "old-root-like entries in /"
	local mounts=${output#*---$'\n'} mm root mp
	# Every mount point is one nsbox made: /, /proc..., /dev..., /tmp, /sys...
	while read -r _ _ _ _ mp _; do
		if ! [[ "$mp" == / || "$mp" =~ ^/(proc|dev|tmp|sys)(/.*)?$ ]]; then
			fail "unexpected mount point '$mp' inside the --rootfs sandbox"
			return 1
		fi
	done <<<"$mounts"
	# The host's root file system is only mounted as the rootfs subtree,
	# never with its own root ("/") visible.
	while read -r _ _ mm root mp _; do
		if [ "$mm" = "$dev" ] && [ "$root" = / ]; then
			fail "the host root file system ($dev) is still mounted at '$mp'"
			return 1
		fi
	done <<<"$mounts"
}

@test "--rootfs: /tmp is a writable tmpfs, /sys is read-only, /dev is minimal" {
	run_nsbox run --rootfs "$ROOTFS" -- sh -c '
		echo data >/tmp/f && cat /tmp/f
		grep " /tmp " /proc/self/mountinfo | sed "s/.* - //" | cut -d" " -f1
		touch /sys/nsbox-x 2>/dev/null && echo sys-writable
		grep " /sys " /proc/self/mountinfo | cut -d" " -f6 | cut -d, -f1
		ls /dev | tr "\n" " "'
	assert_success
	assert_line_in_output "data"
	assert_line_in_output "tmpfs"
	assert_no_line_in_output "sys-writable"
	assert_line_in_output "ro"
	for d in null zero full random urandom tty ptmx pts shm; do
		assert_output_matches "(^| )$d( |$)"
	done
	[ ! -e "$ROOTFS/tmp/f" ] || fail "/tmp/f written into the rootfs directory"
}

@test "--rootfs --ro: the root is read-only" {
	local name=nsbox-test-ro-$$
	track_file "$ROOTFS/usr/$name" "$ROOTFS/$name"
	run_nsbox run --rootfs "$ROOTFS" --ro -- sh -c "touch /usr/$name; echo rc=\$?; touch /tmp/ok && echo tmp-ok"
	assert_success
	assert_line_in_output "rc=1"
	assert_line_in_output "tmp-ok"
	assert_stderr_contains "Read-only file system"
	[ ! -e "$ROOTFS/usr/$name" ] || fail "--ro did not stop a write to the rootfs"
}

@test "--rootfs --workdir sets the working directory" {
	run_nsbox run --rootfs "$ROOTFS" --workdir /etc -- pwd
	assert_success
	assert_output "/etc"
}

@test "--rootfs --bind SRC:DST shows a host directory inside" {
	local d
	new_tempdir d
	echo from-host >"$d/f"
	run_nsbox run --rootfs "$ROOTFS" --bind "$d:/home" -- sh -c 'cat /home/f; echo from-box >/home/g'
	assert_success
	assert_output "from-host"
	assert_equal "from-box" "$(cat "$d/g")" "file written through the bind"
}

# ---------------------------------------------------------------------------
# The default root: the host's / read-only

@test "default root: the host's / is read-only" {
	local name=nsbox-test-ro-$$
	track_file "/usr/$name" "/var/tmp/$name"
	run_nsbox run -- sh -c "test -e /etc/os-release && echo host-root; touch /usr/$name /var/tmp/$name; echo rc=\$?"
	assert_success
	assert_line_in_output "host-root"
	assert_line_in_output "rc=1"
	assert_stderr_contains "Read-only file system"
	[ ! -e "/usr/$name" ] && [ ! -e "/var/tmp/$name" ] || fail "a write went through to the host"
}

@test "default root: /tmp is a private writable tmpfs" {
	local hostfile
	new_tempdir hostfile
	run_nsbox run -- sh -c "
		test -e '$hostfile' && echo host-tmp-visible
		echo inside >/tmp/nsbox-inside-$$ && cat /tmp/nsbox-inside-$$
		grep ' /tmp ' /proc/self/mountinfo | sed 's/.* - //' | cut -d' ' -f1"
	assert_success
	assert_no_line_in_output "host-tmp-visible"
	assert_line_in_output "inside"
	assert_line_in_output "tmpfs"
	[ ! -e "/tmp/nsbox-inside-$$" ] || fail "a file written to /tmp inside appeared on the host"
}

@test "default root: /dev holds null zero full random urandom tty ptmx pts shm and no disk" {
	run_nsbox run -- sh -c '
		ls -A /dev | tr "\n" " "; echo
		find /dev -type b | tr "\n" " "; echo "blocks:"
		for f in $(find /dev -maxdepth 1 -type c); do echo "char ${f#/dev/}"; done
		grep " /dev " /proc/self/mountinfo | sed "s/.* - //" | cut -d" " -f1'
	assert_success
	local first=${output%%$'\n'*} d
	for d in null zero full random urandom tty ptmx pts shm; do
		[[ " $first" == *" $d "* ]] || fail "/dev/$d missing from '$first'" || return 1
	done
	[[ " $first" != *" vda "* && " $first" != *" sda"* && " $first" != *" nvme"* ]] ||
		fail "a disk is visible in /dev: '$first'"
	assert_line_in_output "blocks:"
	local c
	while read -r _ c; do
		case $c in
		null | zero | full | random | urandom | tty | ptmx | console) ;;
		*) fail "unexpected character device /dev/$c"; return 1 ;;
		esac
	done < <(grep '^char ' <<<"$output")
	assert_line_in_output "tmpfs"
}

@test "default root: the /dev devices work" {
	run_nsbox run -- sh -c '
		echo x >/dev/null && echo null-ok
		head -c 4 /dev/zero | od -An -tx1 | tr -d " "
		echo x >/dev/full 2>/dev/null || echo full-enospc
		head -c 16 /dev/urandom | wc -c
		test -d /dev/shm && test -w /dev/shm && echo shm-ok'
	assert_success
	assert_line_in_output "null-ok"
	assert_line_in_output "00000000"
	assert_line_in_output "full-enospc"
	assert_line_in_output "16"
	assert_line_in_output "shm-ok"
}

@test "default root: /sys is read-only" {
	run_nsbox run -- sh -c 'touch /sys/nsbox-x; echo rc=$?; grep " /sys " /proc/self/mountinfo | tail -n1 | cut -d" " -f6'
	assert_success
	assert_line_in_output "rc=1"
	assert_output_matches $'\n''ro(,|$)'
}

@test "a run leaves the host's mounts untouched" {
	local before
	before=$(cat /proc/self/mountinfo)
	run_nsbox run --tmpfs /mnt -- sh -c 'mount -t tmpfs x /opt; true'
	assert_success
	assert_equal "$before" "$(cat /proc/self/mountinfo)" "host mountinfo"
}

# ---------------------------------------------------------------------------
# --bind, --tmpfs, --ro, --workdir

@test "--bind SRC:DST is read-write both ways" {
	local d
	new_tempdir d
	echo from-host >"$d/in"
	run_nsbox run --bind "$d:/mnt" -- sh -c 'cat /mnt/in; echo from-box >/mnt/out'
	assert_success
	assert_output "from-host"
	assert_equal "from-box" "$(cat "$d/out")" "file written through the bind"
}

@test "--bind SRC:DST:ro is read-only" {
	local d
	new_tempdir d
	echo original >"$d/f"
	run_nsbox run --bind "$d:/mnt:ro" -- sh -c '
		cat /mnt/f
		(echo changed >/mnt/f) || echo write-failed
		touch /mnt/new || echo create-failed'
	assert_success
	assert_equal $'original\nwrite-failed\ncreate-failed' "$output" "reads and writes through a :ro bind"
	assert_stderr_contains "Read-only file system"
	assert_equal "original" "$(cat "$d/f")" "file behind the :ro bind"
	[ ! -e "$d/new" ] || fail "a file was created through a :ro bind"
}

@test "--bind of a file" {
	local d
	new_tempdir d
	echo file-content >"$d/f"
	run_nsbox run --bind "$d/f:/etc/hostname" -- cat /etc/hostname
	assert_success
	assert_output "file-content"
}

@test "--bind to the same destination: the last one wins" {
	local d
	new_tempdir d
	mkdir "$d/a" "$d/b"
	echo A >"$d/a/f"
	echo B >"$d/b/f"
	run_nsbox run --bind "$d/a:/mnt" --bind "$d/b:/mnt" -- cat /mnt/f
	assert_success
	assert_output "B"
	run_nsbox run --bind "$d/b:/mnt" --bind "$d/a:/mnt" -- cat /mnt/f
	assert_success
	assert_output "A"
}

@test "--bind mounts are applied in order: a later bind can go inside an earlier one" {
	local d
	new_tempdir d
	mkdir -p "$d/outer/sub" "$d/inner"
	echo outer >"$d/outer/sub/f"
	echo inner >"$d/inner/f"
	# Destinations under /tmp, a tmpfs where nsbox may create mount points.
	run_nsbox run --bind "$d/outer:/tmp/o" --bind "$d/inner:/tmp/o/sub" -- cat /tmp/o/sub/f
	assert_success
	assert_output "inner"
	# The other order: the outer bind hides the inner one.
	run_nsbox run --bind "$d/inner:/tmp/o/sub" --bind "$d/outer:/tmp/o" -- cat /tmp/o/sub/f
	assert_success
	assert_output "outer"
}

@test "--tmpfs DST:size=1m mounts a 1 MiB tmpfs" {
	run_nsbox run --tmpfs /mnt:size=1m -- sh -c '
		grep " /mnt " /proc/self/mountinfo
		df -k /mnt | tail -n1 | awk "{ print \"total\", \$2 }"
		dd if=/dev/zero of=/mnt/big bs=1024 count=2048 2>/dev/null; echo dd=$?'
	assert_success
	assert_output_matches ' /mnt [^'$'\n'']* - tmpfs [^'$'\n'']*size=1024k'
	assert_line_in_output "total 1024"
	assert_line_in_output "dd=1"
}

@test "--tmpfs DST:nr_inodes=N,mode=M: ENOSPC at the Nth inode, the mode as asked" {
	run_nsbox run --tmpfs /mnt:nr_inodes=16,size=1m,mode=0710 -- sh -c '
		stat -c "mode %a" /mnt
		i=0; while touch /mnt/f$i 2>/dev/null; do i=$((i + 1)); done; echo "files $i"
		touch /mnt/more; echo touch=$?
		grep " /mnt " /proc/self/mountinfo'
	assert_success
	assert_line_in_output "mode 710"
	# The root directory takes one inode of the 16.
	assert_line_in_output "files 15"
	assert_line_in_output "touch=1"
	assert_output_matches ' /mnt [^'$'\n'']* - tmpfs [^'$'\n'']*size=1024k,nr_inodes=16,mode=710'
}

@test "--tmpfs DST without a size gives an empty writable tmpfs" {
	run_nsbox run --tmpfs /opt -- sh -c 'ls -A /opt | wc -l; echo x >/opt/f && echo write-ok; grep -c " /opt .* - tmpfs " /proc/self/mountinfo'
	assert_success
	assert_equal $'0\nwrite-ok\n1' "$output" "listing, write and mount of /opt"
}

@test "--ro with the default root keeps it read-only" {
	run_nsbox run --ro -- sh -c 'touch /usr/nsbox-x; echo rc=$?; touch /tmp/x && echo tmp-ok'
	assert_success
	assert_line_in_output "rc=1"
	assert_line_in_output "tmp-ok"
}

@test "--workdir sets the working directory" {
	run_nsbox run --workdir /usr/share -- pwd
	assert_success
	assert_output "/usr/share"
}

@test "the working directory defaults to /" {
	cd /usr
	run_nsbox run -- pwd
	assert_success
	assert_output "/"
}

# ---------------------------------------------------------------------------
# --propagation
#
# A scratch directory D under /var/tmp (visible in the default root, unlike
# /tmp) is made a shared mount on the host. The sandbox starts; the host
# then mounts a tmpfs on D/sub; the sandbox reports whether it sees it and
# mounts its own tmpfs on D/sub. Control files live in W, bound writable.

# propagation_probe MODE: sets SAW_HOST_MOUNT (0 or 1) and LEAKED (host
# mountinfo lines of the sandbox's mount).
propagation_probe() {
	local mode=$1 d w pid tag=nsbox-prop-$$-$RANDOM
	new_tempdir d /var/tmp
	new_tempdir w /var/tmp
	mkdir "$d/sub"
	mount --bind "$d" "$d"
	track_mount "$d"
	mount --make-shared "$d"

	# Mounting inside needs what the secure defaults take away.
	"$NSBOX" run --cap-add SYS_ADMIN --seccomp unconfined --propagation "$mode" --bind "$w:$w" -- sh -c "
		touch $w/ready
		i=0; until [ -e $w/go ]; do i=\$((i + 1)); [ \$i -lt 200 ] || exit 3; sleep 0.05; done
		grep -c ' $d/sub .* - tmpfs $tag-host ' /proc/self/mountinfo >$w/saw
		mount -t tmpfs $tag-box $d/sub; echo \$? >$w/mounted
		touch $w/done
		i=0; until [ -e $w/end ]; do i=\$((i + 1)); [ \$i -lt 200 ] || exit 4; sleep 0.05; done" &
	pid=$!
	track_pid "$pid"
	wait_until 10 test -e "$w/ready" || fail "sandbox did not start" || return 1
	mount -t tmpfs "$tag-host" "$d/sub"
	track_mount "$d/sub"
	touch "$w/go"
	wait_until 10 test -e "$w/done" || fail "sandbox did not report" || return 1
	LEAKED=$(grep "$tag-box" /proc/self/mountinfo || true)
	touch "$w/end"
	wait "$pid" || fail "nsbox run --propagation $mode failed with status $?" || return 1
	SAW_HOST_MOUNT=$(cat "$w/saw")
	assert_equal 0 "$(cat "$w/mounted")" "mount inside the sandbox"
}

@test "--propagation private (default): a host mount made after the start is not visible inside" {
	propagation_probe private
	assert_equal 0 "$SAW_HOST_MOUNT" "host mount seen inside"
	assert_equal "" "$LEAKED" "sandbox mount seen on the host"
}

@test "--propagation slave: a host mount made after the start is visible inside" {
	propagation_probe slave
	assert_equal 1 "$SAW_HOST_MOUNT" "host mount seen inside"
	assert_equal "" "$LEAKED" "sandbox mount seen on the host"
}

@test "--propagation shared: a mount made inside never appears on the host" {
	propagation_probe shared
	assert_equal "" "$LEAKED" "sandbox mount seen on the host"
}
