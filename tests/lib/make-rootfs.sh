#!/bin/sh
# Build a minimal root filesystem from Debian's busybox-static in DIR:
# /bin/busybox plus one symlink per applet, and the usual empty top-level
# directories. Usage: make-rootfs.sh DIR
set -eu

dir=${1:?usage: make-rootfs.sh DIR}
busybox=/bin/busybox
if ! "$busybox" --list >/dev/null 2>&1; then
	echo "make-rootfs.sh: $busybox missing or not busybox-static (apt-get install busybox-static)" >&2
	exit 1
fi
mkdir -p "$dir"
for d in bin sbin etc proc sys dev tmp root home usr/bin usr/sbin var/tmp; do
	mkdir -p "$dir/$d"
done
chmod 1777 "$dir/tmp" "$dir/var/tmp"
cp "$busybox" "$dir/bin/busybox"
for applet in $("$busybox" --list); do
	[ -e "$dir/bin/$applet" ] || ln -s busybox "$dir/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$dir/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$dir/etc/group"
chmod -R a+rX "$dir"
