#!/bin/bash
# v2vm: run a command on pure cgroup v2, in a small VM, from any Debian 12
# host (hybrid or v1 cgroups included), as root. See tests/vm/README.md.
#
#   v2vm.sh prepare [DIR]      install qemu & co., unpack Debian's kernel and
#                              build the initramfs into the cache DIR
#   v2vm.sh run [OPTIONS] -- COMMAND [ARG...]
#                              boot, run COMMAND in the host's root, exit with
#                              its status
#   v2vm.sh selftest           tests/vm/selftest.sh
#
# The guest's root is the host's, read-only over virtio-9p, and it runs
# COMMAND there, in the caller's working directory; see the README for which
# paths are writable there. Its two stages are init.sh (the initramfs's
# /init) and stage2.sh (copied into each run).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prog=${0##*/}
cache=${V2VM_CACHE:-/var/cache/nsbox-v2vm}

# Bumped when what prepare builds changes in a way the stamp cannot see.
layout=3

msg() { echo "$prog: $*" >&2; }
die() {
	msg "$*"
	exit 125
}

usage() {
	cat <<EOF
usage: $prog prepare [DIR]
       $prog run [--mem MB] [--timeout SEC] [--rw DIR]... [--env NAME[=VALUE]]...
                 [--console FILE] [--cache DIR] [--verbose] -- COMMAND [ARG...]
       $prog selftest

prepare  install qemu-system-x86, cpio, busybox-static, kmod and xz-utils if
         missing, download and unpack Debian's kernel and build the initramfs
         into DIR (default \$V2VM_CACHE or /var/cache/nsbox-v2vm); a no-op
         when that is done.
run      boot the VM (preparing the cache first if needed) and run COMMAND as
         root in the host's root filesystem, in the current directory, on pure
         cgroup v2; its stdout and stderr are streamed to ours, and its exit
         status is ours; 124: timed out, 125: the VM failed.
  --mem MB          guest memory (default 1024)
  --timeout SEC     kill the VM after SEC seconds (default 1800)
  --rw DIR          share the host directory DIR read-write, at the same path
                    (repeatable); otherwise only the per-run scratch directory
                    \$V2VM_SCRATCH is shared so (deleted afterwards)
  --env NAME=VALUE  set NAME in COMMAND's environment (NAME alone: our value)
  --console FILE    save the guest's console (kernel and set-up messages)
  --cache DIR       the cache prepare made (default \$V2VM_CACHE or
                    /var/cache/nsbox-v2vm)
  --verbose         report the boot and run times on stderr
EOF
}

# -- prepare -------------------------------------------------------------------

# run_quiet CMD...: apt and dpkg are chatty; show what they said only when
# they fail.
run_quiet() {
	local log rc=0
	log=$(mktemp)
	"$@" >"$log" 2>&1 || rc=$?
	[ "$rc" -eq 0 ] || cat "$log" >&2
	rm -f "$log"
	return "$rc"
}

apt_updated=''
apt_update() {
	[ -z "$apt_updated" ] || return 0
	msg "apt-get update"
	run_quiet apt-get update || die "apt-get update failed"
	apt_updated=1
}

# Debian packages the host needs, installed only when absent (apt-get update
# only then). busybox must be the static one: it runs in the initramfs,
# where there is no libc.
install_packages() {
	local missing=()
	command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
	command -v cpio >/dev/null || missing+=(cpio)
	command -v xz >/dev/null || missing+=(xz-utils)
	[ -x /sbin/depmod ] || [ -x /usr/sbin/depmod ] || missing+=(kmod)
	dpkg-query -W -f='${Status}\n' busybox-static 2>/dev/null | grep -q ' installed$' ||
		missing+=(busybox-static)
	[ ${#missing[@]} -gt 0 ] || return 0
	msg "installing ${missing[*]}"
	apt_update
	run_quiet env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends "${missing[@]}" ||
		die "cannot install ${missing[*]}"
}

# Set kver to the ABI name (6.1.0-NN-amd64) of the kernel Debian 12 ships now.
kver=''
find_kernel_version() {
	kver=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\([0-9].*-amd64\)$/\1/p' | head -n1) || true
	if [ -z "$kver" ] && [ -z "$apt_updated" ]; then
		apt_update   # no package lists yet (a fresh machine)
		find_kernel_version
	fi
	[ -n "$kver" ] || die "cannot tell the kernel from 'apt-cache depends linux-image-amd64'"
}

# What the initramfs is made of, besides the kernel's modules: when this
# changes (init.sh edited, busybox upgraded), the initramfs is rebuilt and
# the kernel kept.
initrd_stamp() {
	{
		echo "layout $layout"
		sha256sum "$here/init.sh" /bin/busybox | cut -d' ' -f1
	} | sha256sum | cut -d' ' -f1
}

# module_closure MODDIR NAME...: the modules (paths relative to MODDIR) that
# loading NAME... takes, each after its dependencies, from modules.dep.
module_closure() {
	local moddir=$1
	shift
	awk -v want="$*" '
		function base(p) { sub(/.*\//, "", p); sub(/\.ko$/, "", p); return p }
		function add(m,    i, n, d) {
			if (m in done) return
			if (!(m in path)) { print "no module " m > "/dev/stderr"; exit 1 }
			done[m] = 1
			n = split(deps[m], d, " ")
			for (i = 1; i <= n; i++) add(base(d[i]))
			print path[m]
		}
		{ f = $1; sub(/:$/, "", f); m = base(f); path[m] = f; $1 = ""; deps[m] = $0 }
		END { n = split(want, w, " "); for (i = 1; i <= n; i++) add(w[i]) }
	' "$moddir/modules.dep"
}

# Keep only the modules a test VM might load (file systems, networking,
# block and character devices, virtio): the rest (GPU, sound, wireless...)
# would triple the cache's size.
trim_modules() {
	local k=$1/kernel d
	rm -rf "$k/sound"
	for d in "$k"/drivers/*; do
		case ${d##*/} in
		block | char | md | net | virtio | vhost) ;;
		*) rm -rf "$d" ;;
		esac
	done
	rm -rf "$k"/drivers/net/{wireless,ethernet,usb,can,wwan,ieee802154,fddi,hamradio,arcnet,plip,ppp,slip,wan}
}

# extract_vmlinux BZIMAGE OUT: the ELF image inside an xz bzImage, found as
# the kernel's scripts/extract-vmlinux finds it.
extract_vmlinux() {
	local off
	# (|| true: with pipefail, the early exits of head and xz read as
	# failures; the ELF magic at the end is the real check.)
	off=$(LC_ALL=C grep -abo -m1 $'\xfd7zXZ\x00' "$1" | head -n1 | cut -d: -f1) || true
	[ -n "$off" ] || return 1
	tail -c +$((off + 1)) "$1" | xz -dc --single-stream >"$2" 2>/dev/null || true
	[ "$(head -c 4 "$2")" = $'\x7fELF' ]
}

# is_prepared KDIR: the kernel is unpacked and the initramfs is up to date.
is_prepared() {
	[ -f "$1/kernel.ready" ] && [ -f "$1/initrd.gz" ] &&
		[ "$(cat "$1/initrd.stamp" 2>/dev/null)" = "$(initrd_stamp)" ]
}

# fetch_kernel TMP KDIR: download linux-image-$kver and unpack what we use
# into KDIR. The package is never installed.
fetch_kernel() {
	local tmp=$1 kdir=$2
	msg "downloading linux-image-$kver"
	# -o APT::Sandbox::User=root: the sandbox user _apt cannot write to our
	# private temp dir; apt would only warn and download as root anyway.
	if ! (cd "$tmp" && run_quiet apt-get -o APT::Sandbox::User=root download "linux-image-$kver"); then
		[ -z "$apt_updated" ] || die "cannot download linux-image-$kver"
		# Stale package lists name a kernel the mirror no longer has.
		apt_update
		find_kernel_version
		kdir=${kdir%/*}/$kver
		if is_prepared "$kdir"; then return 0; fi
		msg "downloading linux-image-$kver"
		(cd "$tmp" && run_quiet apt-get -o APT::Sandbox::User=root download "linux-image-$kver") ||
			die "cannot download linux-image-$kver"
	fi
	msg "unpacking it"
	dpkg-deb -x "$tmp"/linux-image-*.deb "$tmp/pkg"
	mkdir -p "$tmp/k/modules"
	mv "$tmp/pkg/boot/vmlinuz-$kver" "$tmp/k/vmlinuz"
	mv "$tmp/pkg/lib/modules/$kver" "$tmp/k/modules/$kver"
	rm -rf "$tmp/pkg" "$tmp"/*.deb
	trim_modules "$tmp/k/modules/$kver"
	# What the package's postinst would do: modules.dep for modprobe.
	mkdir -p "$tmp/depmod/lib/modules"
	ln -s "$tmp/k/modules/$kver" "$tmp/depmod/lib/modules/$kver"
	PATH=$PATH:/usr/sbin:/sbin depmod -b "$tmp/depmod" "$kver"
	rm -rf "$tmp/depmod"
	# The uncompressed ELF kernel, which qemu boots straight at its PVH entry:
	# under TCG that skips 2.5 s of the bzImage decompressing itself.
	extract_vmlinux "$tmp/k/vmlinuz" "$tmp/k/vmlinux" ||
		{ rm -f "$tmp/k/vmlinux"; msg "warning: no vmlinux in the bzImage; booting it (slower)"; }
	echo "$kver" >"$tmp/k/kernel.ready"
	rm -rf "$kdir"
	mv "$tmp/k" "$kdir"
}

# build_initrd TMP KDIR: busybox, /init (init.sh) and the modules that the
# shares, the serial ports and the overlays need.
build_initrd() {
	local tmp=$1 kdir=$2 root=$1/initrd mods m
	msg "building the initramfs"
	mkdir -p "$root"/{bin,dev,proc,sys,mnt,modules}
	cp /bin/busybox "$root/bin/busybox"
	cp "$here/init.sh" "$root/init"
	chmod 0755 "$root/init" "$root/bin/busybox"
	mknod -m 0600 "$root/dev/console" c 5 1 2>/dev/null || true
	mods=$(module_closure "$kdir/modules/$kver" virtio_pci 9pnet_virtio 9p virtio_console overlay)
	for m in $mods; do
		cp "$kdir/modules/$kver/$m" "$root/modules/"
		echo "${m##*/}" >>"$root/modules/order"
	done
	(cd "$root" && find . | cpio -o -H newc -R 0:0 --quiet | gzip -6) >"$tmp/initrd.gz"
	mv "$tmp/initrd.gz" "$kdir/initrd.gz"   # atomic: a run may be reading the old one
	initrd_stamp >"$kdir/initrd.stamp"
}

# prepare DIR: DIR/KVER/{vmlinux,vmlinuz,initrd.gz,modules/} and the link
# DIR/current -> KVER. Under a lock, so that concurrent callers build once.
prepare() {
	local dir=$1 lock tmp other
	[ "$(id -u)" -eq 0 ] || die "prepare: run as root"
	install_packages
	find_kernel_version
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd -P)
	if ! is_prepared "$dir/$kver"; then
		exec {lock}>"$dir/.build.lock"
		flock "$lock"
		# Holding the lock, we are the only builder: any other build dir is
		# what a killed prepare left.
		rm -rf "$dir"/.build.*/
		tmp=$(mktemp -d "$dir/.build.XXXXXX")
		# shellcheck disable=SC2064 # expand now: tmp is local
		trap "rm -rf '$tmp'" EXIT
		[ -f "$dir/$kver/kernel.ready" ] || fetch_kernel "$tmp" "$dir/$kver"
		is_prepared "$dir/$kver" || build_initrd "$tmp" "$dir/$kver"
		rm -rf "$tmp"
		trap - EXIT
		exec {lock}>&-
	fi
	ln -sfn "$kver" "$dir/current"
	# Other kernels' trees are dead weight (some 110 MB each), unless a run
	# still uses one (runs hold .use.lock shared).
	if flock -n -x "$dir/.use.lock" true; then
		for other in "$dir"/*-amd64; do
			[ "$other" = "$dir/$kver" ] || rm -rf "$other"
		done
	fi
	msg "prepared: $dir/$kver"
}

# -- run -----------------------------------------------------------------------

# Single-quote for the guest's busybox sh (which has no $'...').
sq() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# State of a run, for the traps: the processes we started (stopped by pid,
# never by name) and the temp dir.
qemu_pid='' timer_pid='' tail_pids=() tmp=''

# stop_pid PID: TERM, then KILL if it lingers; reap it.
stop_pid() {
	local pid=$1 i
	kill -TERM "$pid" 2>/dev/null || true
	for i in $(seq 20); do
		[ -e "/proc/$pid" ] || break
		[ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" != Z ] || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	local pid
	if [ -n "$qemu_pid" ]; then stop_pid "$qemu_pid"; fi
	if [ -n "$timer_pid" ]; then stop_pid "$timer_pid"; fi
	for pid in "${tail_pids[@]}"; do stop_pid "$pid"; done
	qemu_pid='' timer_pid='' tail_pids=()
	if [ -n "$tmp" ]; then rm -rf --one-file-system "$tmp"; fi
	tmp=''
}

on_signal() {
	msg "interrupted (SIG$1): stopping the VM"
	trap - EXIT
	cleanup
	case $1 in
	INT) exit 130 ;;
	HUP) exit 129 ;;
	*) exit 143 ;;
	esac
}

report_failure() {
	msg "$1"
	if [ -s "$tmp/qemu.log" ]; then
		msg "qemu said:"
		sed 's/^/  /' "$tmp/qemu.log" >&2
	fi
	if grep -q 'Kernel panic' "$tmp/console"; then
		msg "the VM's console, from the panic:"
		# (One awk, no head: an early reader's exit would be a SIGPIPE,
		# which pipefail and set -e turn into our exit status.)
		tr -d '\r' <"$tmp/console" | awk '/Kernel panic/ { p = 1 } p && n++ < 40 { print "  " $0 }' >&2
	elif [ -s "$tmp/console" ]; then
		msg "the last lines of the VM's console:"
		tail -n 25 "$tmp/console" | tr -d '\r' | sed 's/^/  /' >&2
	fi
}

# write_cmd ENV... -- COMMAND...: the script that the guest's bash runs under
# env -i: a sane environment, the caller's directory, then COMMAND.
write_cmd() {
	local arg name
	echo 'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
	echo 'export HOME=/root TERM=dumb USER=root LOGNAME=root SHELL=/bin/bash LANG=C.UTF-8'
	printf 'export V2VM=1 V2VM_SCRATCH=%q\n' "$tmp/scratch"
	# Where stage2.sh put the guest kernel's modules.
	echo 'export MODPROBE_OPTIONS="-d /run/v2vm/modroot"'
	while [ "$1" != -- ]; do
		arg=$1 name=${1%%=*}
		shift
		[[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "run: --env $arg: not a variable name"
		if [[ $arg == *=* ]]; then
			printf 'export %s=%q\n' "$name" "${arg#*=}"
		elif [ -n "${!name+set}" ]; then
			printf 'export %s=%q\n' "$name" "${!name}"
		fi
	done
	shift
	printf 'cd -- %q || { echo "v2vm: the working directory is not in the VM (under /tmp? see --rw)" >&2; exit 125; }\n' "$PWD"
	printf 'exec'
	printf ' %q' "$@"
	echo
}

run() {
	local mem=1024 timeout=1800 verbose='' console='' rw=() envs=() arg
	while [ $# -gt 0 ]; do
		arg=$1
		case $arg in
		--mem) mem=${2:?--mem needs MB}; shift 2 ;;
		--timeout) timeout=${2:?--timeout needs SEC}; shift 2 ;;
		--rw) rw+=("${2:?--rw needs DIR}"); shift 2 ;;
		--env) envs+=("${2:?--env needs NAME[=VALUE]}"); shift 2 ;;
		--console) console=${2:?--console needs FILE}; shift 2 ;;
		--cache) cache=${2:?--cache needs DIR}; shift 2 ;;
		--verbose | -v) verbose=1; shift ;;
		--) shift; break ;;
		*) usage >&2; die "run: unknown option '$arg' (COMMAND goes after --)" ;;
		esac
	done
	if [ $# -eq 0 ]; then usage >&2; die "run: no COMMAND"; fi
	if ! [[ $mem =~ ^[0-9]+$ ]] || [ "$mem" -lt 256 ]; then die "run: --mem: at least 256 (MB)"; fi
	if ! [[ $timeout =~ ^[0-9]+$ ]] || [ "$timeout" -lt 1 ]; then die "run: --timeout: whole seconds"; fi
	[ "$(id -u)" -eq 0 ] || die "run: run as root"

	# A prepared cache is used as it is: no apt, no network.
	install_packages   # only checks, when all is there
	if ! is_prepared "$cache/current"; then prepare "$cache"; fi
	local kdir kver kernel
	kdir=$(cd "$cache/current" && pwd -P)
	kver=$(cat "$kdir/kernel.ready")
	kernel=$kdir/vmlinux
	[ -f "$kernel" ] || kernel=$kdir/vmlinuz
	# Held shared while the VM may read the kernel's modules: a prepare of a
	# newer kernel then leaves this one in place.
	local uselock
	exec {uselock}>"$cache/.use.lock"
	flock -s "$uselock"

	trap cleanup EXIT
	trap 'on_signal INT' INT
	trap 'on_signal TERM' TERM
	trap 'on_signal HUP' HUP

	tmp=$(mktemp -d "${TMPDIR:-/tmp}/nsbox-v2vm.XXXXXX")
	# The guest's users (nsbox-test too) must reach the scratch dir.
	chmod 0755 "$tmp"
	mkdir -m 0700 "$tmp/ctl"
	mkdir -m 1777 "$tmp/scratch"
	: >"$tmp/stdout"
	: >"$tmp/stderr"
	: >"$tmp/console"
	cp "$here/stage2.sh" "$tmp/ctl/stage2.sh"
	write_cmd "${envs[@]}" -- "$@" >"$tmp/ctl/cmd"

	# The read-write shares, each mounted at its host path in the guest.
	local shares=("$tmp/scratch") d i=0 virtfs=()
	for d in "${rw[@]}"; do
		[ -d "$d" ] || die "run: --rw $d: not a directory"
		shares+=("$(cd "$d" && pwd -P)")
	done
	: >"$tmp/ctl/shares"
	for d in "${shares[@]}"; do
		[[ $d != *[$'\n\t,']* && $d != *' ' ]] ||
			die "run: --rw '$d': no commas, tabs, newlines or trailing spaces, please"
		printf 'rw%d %s\n' "$i" "$d" >>"$tmp/ctl/shares"
		virtfs+=(-virtfs "local,path=$d,mount_tag=rw$i,security_model=none,multidevs=remap")
		i=$((i + 1))
	done
	{
		echo "V2VM_KVER=$(sq "$kver")"
		echo "V2VM_MODDIR=$(sq "$kdir/modules/$kver")"
		echo "V2VM_HOSTNAME=v2vm"
	} >"$tmp/ctl/config"

	# TCG: there is no KVM here (V2VM_ACCEL=kvm where there is). The
	# console is a file, read only when something fails. panic=-1: a panic
	# (PID 1 dying, too) reboots at once, which -no-reboot turns into
	# qemu's exit. mitigations=off: a throw-away VM, where they only slow
	# TCG down. The command's stdout and stderr have virtio serial ports of
	# their own, so no kernel message can get mixed into them.
	# shellcheck disable=SC2054 # the commas are qemu's
	local qemu=(
		qemu-system-x86_64 -name v2vm,debug-threads=on -nodefaults -nographic -no-reboot
		-accel "${V2VM_ACCEL:-tcg}" -cpu max -smp 2 -m "$mem"
		-kernel "$kernel" -initrd "$kdir/initrd.gz"
		-append "console=ttyS0 quiet panic=-1 mitigations=off"
		-serial "file:$tmp/console"
		-virtfs "local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap"
		-virtfs "local,path=$tmp/ctl,mount_tag=ctl,security_model=none,multidevs=remap"
		"${virtfs[@]}"
		-device virtio-serial-pci,id=vser
		-chardev "file,id=out,path=$tmp/stdout"
		-device virtserialport,bus=vser.0,chardev=out,name=v2vm.stdout
		-chardev "file,id=err,path=$tmp/stderr"
		-device virtserialport,bus=vser.0,chardev=err,name=v2vm.stderr
	)
	# Should this script be killed outright (no trap runs), the kernel still
	# ends the VM and the timer.
	local orphan=()
	if command -v setpriv >/dev/null; then orphan=(setpriv --pdeathsig KILL --); fi

	local t0=$EPOCHREALTIME
	"${orphan[@]}" "${qemu[@]}" </dev/null >"$tmp/qemu.log" 2>&1 &
	qemu_pid=$!
	"${orphan[@]}" sleep "$timeout" </dev/null >/dev/null 2>&1 &
	timer_pid=$!
	# Stream the output as it comes; each tail ends once qemu is gone.
	tail -n +1 -s 0.1 -f --pid="$qemu_pid" "$tmp/stdout" &
	tail_pids+=($!)
	tail -n +1 -s 0.1 -f --pid="$qemu_pid" "$tmp/stderr" >&2 &
	tail_pids+=($!)

	local done_pid='' qemu_rc=0 timed_out='' pid
	wait -n -p done_pid "$qemu_pid" "$timer_pid" || qemu_rc=$?
	if [ "$done_pid" = "$timer_pid" ]; then
		timed_out=1
		timer_pid=''
		stop_pid "$qemu_pid"
	else
		stop_pid "$timer_pid"
	fi
	qemu_pid='' timer_pid=''
	local t1=$EPOCHREALTIME
	for pid in "${tail_pids[@]}"; do wait "$pid" || true; done
	tail_pids=()

	if [ -n "$console" ]; then tr -d '\r' <"$tmp/console" >"$console"; fi
	if [ -n "$verbose" ] && [ -f "$tmp/ctl/started" ]; then
		# The guest wrote "started" through 9p: its mtime is the host's clock.
		msg "$(awk -v s="$(stat -c %.3Y "$tmp/ctl/started")" -v t0="$t0" -v t1="$t1" \
			-v up="$(cat "$tmp/ctl/started")" 'BEGIN {
			printf "boot to command %.1f s (guest kernel uptime then %s s), total %.1f s",
				s - t0, up, t1 - t0 }')"
	fi

	local status
	status=$(cat "$tmp/ctl/status" 2>/dev/null) || true
	if [ -n "$timed_out" ]; then
		if [ -f "$tmp/ctl/started" ]; then
			msg "timed out after $timeout s: the VM was killed"
		else
			report_failure "timed out after $timeout s, before the command started: the VM was killed"
		fi
		exit 124
	fi
	if [[ $status =~ ^[0-9]+$ ]]; then exit "$status"; fi
	if [ -s "$tmp/ctl/failed" ]; then
		report_failure "the VM's set-up failed: $(cat "$tmp/ctl/failed")"
	elif [ -f "$tmp/ctl/started" ]; then
		report_failure "the VM stopped before the command ended (a kernel panic?); qemu exited $qemu_rc"
	else
		report_failure "the VM stopped before the command started; qemu exited $qemu_rc"
	fi
	exit 125
}

# -- main ----------------------------------------------------------------------

case ${1-} in
prepare)
	if [ $# -gt 2 ]; then usage >&2; exit 2; fi
	prepare "${2:-$cache}"
	;;
run)
	shift
	run "$@"
	;;
selftest)
	shift
	exec "$here/selftest.sh" "$@"
	;;
-h | --help | help)
	usage
	;;
*)
	usage >&2
	exit 2
	;;
esac
