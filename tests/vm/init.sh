#!/bin/busybox sh
# shellcheck shell=sh
# Stage 1 of the v2vm guest: /init of the initramfs that v2vm.sh prepare
# builds (busybox-static, the kernel modules listed in /modules/order).
#
# It does as little as possible, because changing it means rebuilding the
# initramfs: load the modules that the shares need, mount the host's root
# (9p, read-only) on /mnt and the per-run control share under it, then hand
# over to stage 2, which comes with each run from the control share (so that
# the guest's set-up can change without a rebuild) and runs as PID 1 with
# the host's root as its root.
#
# On any failure it powers off: v2vm.sh then finds no exit status and reports
# the VM's console, which this script writes to.

/bin/busybox --install -s /bin
export PATH=/bin

# 9p: the host's 9p server (qemu) serves up to this much per message; larger
# messages than the 8 KiB default make reads of big files far cheaper.
msize=262144

die() {
	echo "v2vm-init: $*"
	# Without /proc the sysrq trigger is out of reach; poweroff -f is the
	# reboot(2) call itself.
	poweroff -f
	sleep 60
}

mount -t proc proc /proc || die "cannot mount /proc"
mount -t sysfs sysfs /sys || die "cannot mount /sys"
mount -t devtmpfs devtmpfs /dev || die "cannot mount /dev"

# The order resolves every dependency (v2vm.sh computed it from modules.dep),
# so insmod is enough and the initramfs needs no modules.dep of its own.
while read -r m; do
	insmod "/modules/$m" || die "cannot load module $m"
done </modules/order

# cache=loose: nothing on the host changes under a test run, and caching
# pages and dentries makes the guest's many exec()s of host binaries cheap.
mount -t 9p -o "trans=virtio,version=9p2000.L,ro,cache=loose,msize=$msize" host /mnt ||
	die "cannot mount the host's root (9p tag 'host')"

# /run becomes a fresh tmpfs as on a booted system; stage 2 and its busybox
# live in it, because the host's root is read-only.
mount -t tmpfs -o nosuid,nodev,mode=0755 tmpfs /mnt/run || die "cannot mount /run"
mkdir -p /mnt/run/v2vm/ctl /mnt/run/v2vm/bin
# cache=none: every write reaches the host before write(2) returns, so the
# exit status that stage 2 writes here is on the host before the power-off.
mount -t 9p -o "trans=virtio,version=9p2000.L,rw,cache=none,msize=$msize" ctl /mnt/run/v2vm/ctl ||
	die "cannot mount the control share (9p tag 'ctl')"
cp /bin/busybox /mnt/run/v2vm/bin/busybox || die "cannot copy busybox"
# Until these are moved over the share's /proc, /sys and /dev, those are the
# host's, served by qemu: busybox re-executes itself through /proc/self/exe,
# which would then be qemu's own binary.
for d in /proc /sys /dev; do
	mount --move "$d" "/mnt$d" || die "cannot move $d into the host's root"
done
[ -f /mnt/run/v2vm/ctl/stage2.sh ] || die "no stage2.sh in the control share"

# switch_root, not chroot: it moves the share onto / (and empties the
# initramfs), so that the host's root is the mount namespace's real root. In
# a mere chroot the kernel refuses CLONE_NEWUSER (EPERM), and with it every
# user namespace and idmapped mount that nsbox makes.
# shellcheck disable=SC2093 # die runs only if exec fails
exec switch_root /mnt /run/v2vm/bin/busybox sh /run/v2vm/ctl/stage2.sh
die "cannot switch to the host's root"
