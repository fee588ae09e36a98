#!/bin/sh
# shellcheck shell=sh
# Stage 2 of the v2vm guest: runs as PID 1 in the host's root (read-only
# 9p, made the root by stage 1's switch_root), with busybox from
# /run/v2vm/bin. v2vm.sh copies it into each run's control share
# (/run/v2vm/ctl here), so it can change without rebuilding the initramfs.
#
# It makes the host's root look like a booted pure-cgroup-v2 system, runs the
# command (/run/v2vm/ctl/cmd, written by v2vm.sh) with its stdout and stderr on
# their own virtio serial ports, writes its exit status to the control share
# and powers off. Messages of its own go to the serial console, which the
# host keeps apart from the command's output.
#
# Only busybox is used here (never the host's tools), so that the guest's
# set-up does not depend on what the host has installed.

ctl=/run/v2vm/ctl
bin=/run/v2vm/bin
export PATH=$bin
busybox --install -s $bin

log() { echo "v2vm-stage2: $*"; }

# A failure of the set-up: tell the host why (it prints this), then power
# off; the command never runs.
fail() {
	log "$*"
	echo "$*" >"$ctl/failed"
	poweroff -f
	sleep 60
}

# shellcheck source=/dev/null
. "$ctl/config" || fail "cannot read $ctl/config"

# -- kernel file systems -------------------------------------------------------

# /proc, /sys and /dev: stage 1 moved its own here.
# The options systemd uses, so that the guest behaves as most users' hosts.
mount -t cgroup2 -o nosuid,nodev,noexec,nsdelegate,memory_recursiveprot cgroup2 /sys/fs/cgroup ||
	fail "cannot mount cgroup2 on /sys/fs/cgroup"
# Every controller the kernel has, enabled for the root's children, as
# systemd does; one at a time so that one the kernel lacks is only reported.
for c in cpuset cpu io memory hugetlb pids rdma misc; do
	echo "+$c" >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null ||
		log "warning: cannot enable the $c controller"
done

# devtmpfs has the device nodes; udev would add these links and mounts.
ln -sfn /proc/self/fd /dev/fd
ln -sfn /proc/self/fd/0 /dev/stdin
ln -sfn /proc/self/fd/1 /dev/stdout
ln -sfn /proc/self/fd/2 /dev/stderr
mkdir -p /dev/pts /dev/shm /dev/mqueue
mount -t devpts -o nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5 devpts /dev/pts ||
	fail "cannot mount /dev/pts"
mount -t tmpfs -o nosuid,nodev,mode=1777 tmpfs /dev/shm || fail "cannot mount /dev/shm"
mount -t mqueue -o nosuid,nodev,noexec mqueue /dev/mqueue || fail "cannot mount /dev/mqueue"

# -- writable paths ------------------------------------------------------------
# Fresh and empty, as after a boot: /tmp, /var/tmp, /run (stage 1 made it).
# Host content kept but writable (an overlay with a tmpfs upper layer, the
# writes lost at power-off): /etc, /var, /root, /home. Where the kernel cannot
# stack an overlay on 9p, an empty tmpfs replaces them (/etc stays read-only).

mkdir -p /run/lock /run/user || fail "cannot populate /run"
chmod 1777 /run/lock

mkdir -p /run/v2vm/overlay
for d in /etc /var /root /home; do
	up=/run/v2vm/overlay$d
	mkdir -p "$up/upper" "$up/work"
	if mount -t overlay -o "lowerdir=$d,upperdir=$up/upper,workdir=$up/work" overlay "$d"; then
		continue
	fi
	log "warning: no overlay on $d"
	[ "$d" = /etc ] || mount -t tmpfs -o nosuid,nodev,mode=0755 tmpfs "$d" ||
		fail "cannot make $d writable"
done

# Not nodev: the tests make device nodes under /tmp (an image's nodes, the
# device cgroup's), as on the host, whose /tmp is part of its root.
for d in /tmp /var/tmp; do
	mount -t tmpfs -o nosuid,mode=1777 tmpfs "$d" || fail "cannot mount $d"
done

# The VM kernel's modules, unpacked in v2vm.sh's cache on the host. The host
# may have no /lib/modules to mount them on (its root is read-only here), so
# they go to a root of their own that modprobe is pointed at: -d in the
# kernel's module helper (autoloading), MODPROBE_OPTIONS for the command's.
modroot=/run/v2vm/modroot
if mkdir -p "$modroot/lib/modules/$V2VM_KVER" &&
	mount -o bind,ro "$V2VM_MODDIR" "$modroot/lib/modules/$V2VM_KVER"; then
	printf '#!/bin/sh\nexec /sbin/modprobe -d %s "$@"\n' "$modroot" >"$bin/modprobe-v2vm"
	chmod 0755 "$bin/modprobe-v2vm"
	echo "$bin/modprobe-v2vm" >/proc/sys/kernel/modprobe
else
	log "warning: the kernel's modules are not available"
fi

# The open-files limits systemd gives services and sessions (the kernel's
# own, 1024:4096, are seen on no usual host).
# shellcheck disable=SC3045 # busybox ash has -H and -S
if ! ulimit -Hn 524288 || ! ulimit -Sn 1024; then
	log "warning: cannot set the open-files limit"
fi

# -- identity and network ------------------------------------------------------

hostname "$V2VM_HOSTNAME" || log "warning: cannot set the hostname"
echo "$V2VM_HOSTNAME" >/etc/hostname 2>/dev/null
ip link set lo up || fail "cannot bring up lo"

# -- the host's read-write shares, at their host paths -------------------------
# Mounted last so that no tmpfs or overlay above hides them. cache=mmap: the
# host sees every write at once, and shared writable mmap works (builds).

while read -r tag path; do
	[ -n "$tag" ] || continue
	mkdir -p "$path" || fail "cannot make the mount point $path"
	mount -t 9p -o "trans=virtio,version=9p2000.L,rw,cache=mmap,msize=262144" "$tag" "$path" ||
		fail "cannot mount the read-write share $path"
done <"$ctl/shares"

# -- the command ---------------------------------------------------------------

out='' err=''
for p in /sys/class/virtio-ports/*; do
	case $(cat "$p/name" 2>/dev/null) in
	v2vm.stdout) out=/dev/${p##*/} ;;
	v2vm.stderr) err=/dev/${p##*/} ;;
	esac
done
if ! [ -c "$out" ] || ! [ -c "$err" ]; then
	fail "no virtio serial ports for stdout and stderr"
fi

cut -d' ' -f1 /proc/uptime >"$ctl/started"
# The command's environment is what cmd exports: nothing leaks from here.
env -i /bin/bash "$ctl/cmd" </dev/null >"$out" 2>"$err"
echo "$?" >"$ctl/status"
poweroff -f
sleep 60
