#!/usr/bin/env bats
# OCI conformance, one test per item of the conformance issue: each runs
# the same bundle under nsbox and under runc 1.1.5 (runc-helpers.bash) and
# requires nsbox to give what runc gives where the two agree with the
# runtime spec; where runc differs from the spec (or from a deliberate
# choice of nsbox, docs/oci-support.md), the test follows the spec and
# says what runc does. Every test leaves nothing behind: no container, no
# mount (a test that mounts on the host unmounts at teardown, even when it
# fails), no loop device, no file outside its directory.

load helpers
load oci-helpers
load runc-helpers

setup() {
	oci_setup || return 1
	runc_setup || return 1
	on_teardown 'umount_under_T'
}

# Unmount anything left mounted under $T (deepest first): a propagation
# that went wrong must not leave the host with a mount.
umount_under_T() {
	local m
	[ -n "${T-}" ] || return 0
	for m in $(awk -v t="$T/" 'index($5, t) == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
		umount -l "$m" 2>/dev/null || true
	done
}

# bundle RUNTIME NAME [JQ-FILTER [JQ-ARGS...]]: make_bundle in $T/RUNTIME/NAME
# ($B), with the test's own cgroupsPath for runc.
bundle() {
	local r=$1 name=$2
	shift 2
	B=$T/$r/$name
	make_bundle "$B" "$@" || return 1
	if [ "$r" = runc ]; then
		runc_cgroups "$B" "$name"
	fi
}

# args RUNTIME NAME ARG...: process.args of that bundle.
args() {
	local r=$1 name=$2
	shift 2
	set_args "$T/$r/$name" "$@"
}

# run_note RUNTIME NAME [WHAT]: `run --bundle` of that bundle; notes the
# status and the output (lines joined by |), or the error.
run_note() {
	local r=$1 name=$2 what=${3:-run}
	rt "$r" run --bundle "$T/$r/$name" "$name-$r-$MARKER"
	if [ "$status" -eq 0 ]; then
		note "$what: $(tr '\n' '|' <"$OCI_OUT")"
	else
		note "$what: status $status, $(tr '\n' '|' <"$OCI_OUT") $(head -n 3 "$OCI_ERR" | tr '\n' '|')"
	fi
}

# ---------------------------------------------------------------------------
# /dev/shm of a CRI pod

@test "CRI pod: /dev/shm a read-only bind of the sandbox's shm: create works, nsbox neither chmods nor recreates it (as runc)" {
	local shm=$T/pod-shm r
	mkdir "$shm" && mount -t tmpfs -o mode=0700,size=1m "shm-$MARKER" "$shm" && track_mount "$shm" ||
		die_setup "cannot mount the pod's shm"
	echo kept >"$shm/kept"
	shm_pod() {
		local r=$1
		# The sandbox (cri/sandbox-*.json): /dev/shm a tmpfs, then the
		# pod's shm bound read-only over it, on a read-only root.
		bundle "$r" sandbox '.mounts += [{destination: "/dev/shm", type: "bind", source: $s, options: ["rbind", "ro"]}]' --arg s "$shm"
		args "$r" sandbox sh -c 'stat -c "%a %F" /dev/shm; cat /dev/shm/kept; touch /dev/shm/x 2>&1; echo $(grep " /dev/shm " /proc/self/mountinfo | cut -d" " -f6 | cut -d, -f1)'
		run_note "$r" sandbox "sandbox"
		note "host shm: $(stat -c %a "$shm") $(ls "$shm" | tr '\n' ' ')"
		# A container of the pod: the same shm bound rbind, rprivate, rw.
		bundle "$r" ctr '.mounts += [{destination: "/dev/shm", type: "bind", source: $s, options: ["rbind", "rprivate", "rw"]}]' --arg s "$shm"
		args "$r" ctr sh -c 'stat -c "%a %F" /dev/shm; cat /dev/shm/kept; echo from-ctr > /dev/shm/from-ctr && echo wrote'
		run_note "$r" ctr "container"
		note "host shm: $(stat -c %a "$shm") $(cat "$shm/kept") $(cat "$shm/from-ctr")"
		rm -f "$shm/from-ctr"
	}
	both shm_pod
	# /dev/shm: the sandbox's tmpfs (rw), under the pod's shm (ro).
	compare_transcripts "sandbox: 700 directory|kept|touch: /dev/shm/x: Read-only file system|rw ro|
host shm: 700 kept 
container: 700 directory|kept|wrote|
host shm: 700 kept from-ctr
"
	umount "$shm"
	assert_clean
}

# ---------------------------------------------------------------------------
# Devices

@test "privileged with the host's /dev bound on /dev: linux.devices that exist there are no EEXIST; nothing in the host's /dev is made or replaced (as runc)" {
	local canary=/dev/nsbox-canary-$MARKER dir=/dev/nsbox-canary-dir-$MARKER link=/dev/nsbox-canary-link-$MARKER devices
	on_teardown "rm -rf --one-file-system '$canary' '$dir' '$link'"
	# A symlink of the host's own, where a linux.devices entry names a node.
	ln -s null "$link"
	# podman run --privileged -v /dev:/dev, with cri/container-privileged's
	# devices (all present on this host), two the host lacks (one in a
	# directory it lacks), and one where the host has the symlink.
	devices=$(jq -c '.linux.devices + [{path: $c, type: "c", major: 1, minor: 3, fileMode: 438, uid: 0, gid: 0},
		{path: ($d + "/sub/node"), type: "c", major: 1, minor: 3}, {path: $l, type: "c", major: 1, minor: 5}]' \
		--arg c "$canary" --arg d "$dir" --arg l "$link" "$NSBOX_REPO/tests/fixtures/engines/cri/container-privileged.json")
	host_dev() {
		echo "$(test -e "$canary" && echo "$canary made" || echo "$canary not made")," \
			"$(test -e "$dir" && echo "$dir made" || echo "$dir not made")," \
			"$(test -L "$link" && echo "$link still a symlink" || echo "$link replaced: $(stat -c %F "$link")")"
	}
	dev_bind() {
		local r=$1
		bundle "$r" priv '.mounts += [{destination: "/dev", type: "bind", source: "/dev", options: ["rbind", "rw"]}]
			| .linux.devices = $d' --argjson d "$devices"
		# The host's own nodes, seen through the bind as they are (the
		# ones this host has: no /dev/kvm on some).
		args "$r" priv sh -c 'ok=devices; for n in $1; do case $n in
			b:*) test -b "${n#b:}" || ok=;; *) test -c "${n#c:}" || ok=;; esac; done
			echo $ok; test -e "$0" && echo "$0 made" || echo "$0 not made"' "$canary" "$host_nodes"
		run_note "$r" priv
		note "on the host: $(host_dev)"
		rm -rf --one-file-system "$canary" "$dir"
		rm -f "$link" && ln -s null "$link"
	}
	local host_nodes="c:/dev/null"
	[ -c /dev/kvm ] && host_nodes+=" c:/dev/kvm"
	[ -b /dev/loop0 ] && host_nodes+=" b:/dev/loop0"
	both dev_bind
	# runc makes no device when /dev is a bind mount: the host's /dev is
	# the host's.
	compare_transcripts "run: devices|$canary not made|
on the host: $canary not made, $dir not made, $link still a symlink
"
	assert_clean
}

@test "a /dev/null symlink planted in the image is replaced by the real device, never followed (runc follows it)" {
	local canary=nsbox-canary-null-$MARKER
	on_teardown "rmdir '/$canary' 2>/dev/null; rm -f '/$canary'"
	# No /dev mount: the default devices go into the image's own /dev,
	# where /dev/null is a symlink to /$canary. runc 1.1.5 resolves it
	# inside the root and makes the node at /$canary (the symlink stays);
	# nsbox replaces the symlink: /dev/null is the device itself.
	bundle nsbox plant '.mounts = [.mounts[] | select(.destination == "/proc")] | .root.readonly = false'
	mkdir -p "$B/rootfs/dev" && ln -sfn "/$canary" "$B/rootfs/dev/null"
	args nsbox plant sh -c 'stat -c "%F %t:%T" /dev/null; test -e "/$0" && echo "/$0 made" || echo "/$0 not made"; echo x > /dev/null && echo writable' "$canary"
	oci_ok run --bundle "$B" "plant-$MARKER"
	assert_equal "character special file 1:3
/$canary not made
writable" "$output" "/dev/null in the container"
	# (The node is the host's, bound on a file that replaced the symlink.)
	[ ! -L "$B/rootfs/dev/null" ] || fail "the image's /dev/null is still a symlink"
	[ ! -e "$B/rootfs/$canary" ] || fail "a node was made at the symlink's target in the image"
	[ ! -e "/$canary" ] || fail "a node was made at the symlink's target on the host"
	assert_clean
}

# ---------------------------------------------------------------------------
# Propagation

# prop_run RUNTIME MODE: a container with rootfsPropagation MODE and the
# host's shared $T/prop bound on /prop with MODE. It mounts a tmpfs on
# /prop/from-ctr; the host then mounts one on $T/prop/from-host; notes which
# way each went, and whether any mount of the container's root showed up
# on the host.
prop_run() {
	local r=$1 mode=$2 name=prop-$2 ctl=$T/$1-$2-ctl id leaked
	mkdir -p "$ctl"
	bundle "$r" "$name" '.linux.rootfsPropagation = $m
		| .process.capabilities.bounding += ["CAP_SYS_ADMIN"] | .process.capabilities.effective += ["CAP_SYS_ADMIN"]
		| .process.capabilities.permitted += ["CAP_SYS_ADMIN"]
		| .mounts += [{destination: "/prop", type: "bind", source: $p, options: ["rbind", $m]},
			{destination: "/ctl", type: "bind", source: $c, options: ["rbind", "rw"]}]' \
		--arg m "$mode" --arg p "$T/prop" --arg c "$ctl"
	args "$r" "$name" sh -c 'mount -t tmpfs "ctr-$0" /prop/from-ctr && touch /ctl/mounted
		while [ ! -e /ctl/go ]; do sleep 0.05; done
		grep -q " /prop/from-host " /proc/self/mountinfo && echo yes > /ctl/seen || echo no > /ctl/seen' "$MARKER"
	id=$name-$r-$MARKER
	rt "$r" run -d --bundle "$B" "$id"
	[ "$status" -eq 0 ] || { note "run -d: status $status $stderr"; return 0; }
	wait_until 5 test -e "$ctl/mounted" || note "the container did not mount"
	if mountpoint -q "$T/prop/from-ctr"; then
		note "container -> host: yes"
		umount "$T/prop/from-ctr"
	else
		note "container -> host: no"
	fi
	leaked=$(awk -v b="$B/" 'index($5, b) == 1 { print $5 }' /proc/self/mountinfo | tr '\n' ' ')
	note "mounts of the container's root on the host: ${leaked:-none}"
	mount -t tmpfs "host-$MARKER" "$T/prop/from-host"
	touch "$ctl/go"
	wait_until 5 test -s "$ctl/seen" || note "the container did not look"
	note "host -> container: $(cat "$ctl/seen" 2>/dev/null)"
	umount "$T/prop/from-host"
	wait_stopped_rt "$r" "$id"
	rt "$r" delete --force "$id"
}

wait_stopped_rt() {
	wait_until 10 rt_status_is "$1" "$2" stopped || note "$2 did not stop"
}

prop_setup() {
	mkdir -p "$T/prop/from-ctr" "$T/prop/from-host"
	track_mount "$T/prop"
	mount --bind "$T/prop" "$T/prop" && mount --make-shared "$T/prop" || die_setup "cannot make $T/prop a shared mount"
}

@test "rootfsPropagation rshared with an rshared bind of a shared host dir: a mount made inside appears on the host and back; the root's own mounts never do (as runc)" {
	prop_setup
	both prop_run rshared
	compare_transcripts "container -> host: yes
mounts of the container's root on the host: none
host -> container: yes
"
	umount "$T/prop"
	assert_clean
}

@test "rootfsPropagation rprivate with an rprivate bind: nothing propagates either way (as runc)" {
	prop_setup
	both prop_run rprivate
	compare_transcripts "container -> host: no
mounts of the container's root on the host: none
host -> container: no
"
	umount "$T/prop"
	assert_clean
}

@test "rootfsPropagation rslave with an rslave bind: host -> container only (as runc)" {
	prop_setup
	both prop_run rslave
	compare_transcripts "container -> host: no
mounts of the container's root on the host: none
host -> container: yes
"
	umount "$T/prop"
	assert_clean
}

# ---------------------------------------------------------------------------
# Mounts

@test "mountinfo shows each mount's source from config.json after ' - TYPE ' (proc, tmpfs, devpts, mqueue, sysfs) (as runc)" {
	srcs() {
		local r=$1
		bundle "$r" src '.mounts |= map(
			if .destination == "/proc" then .source = "src-proc"
			elif .destination == "/dev" then .source = "src-dev"
			elif .destination == "/dev/pts" then .source = "src-pts"
			elif .destination == "/dev/shm" then .source = "src-shm"
			elif .destination == "/dev/mqueue" then .source = "src-mqueue"
			elif .destination == "/sys" then .source = "src-sys"
			else . end)'
		args "$r" src awk -v P='^/(proc|dev|dev/pts|dev/shm|dev/mqueue|sys)$' \
			'{ for (i = 7; $i != "-"; i++); if ($5 ~ P) print $5, $(i + 1), $(i + 2) }' /proc/self/mountinfo
		run_note "$r" src
	}
	both srcs
	compare_transcripts "run: /proc proc src-proc|/dev tmpfs src-dev|/dev/pts devpts src-pts|/dev/shm tmpfs src-shm|/dev/mqueue mqueue src-mqueue|/sys sysfs src-sys|
"
	assert_clean
}

@test "a block device: an ext4 image on a loop device mounted with type ext4 (as runc)" {
	local loop
	command -v mkfs.ext4 >/dev/null || die_setup "mkfs.ext4 missing (e2fsprogs)"
	mkdir "$T/content" && echo "hello from ext4" >"$T/content/hello"
	truncate -s 8M "$T/ext4.img" && mkfs.ext4 -q -d "$T/content" "$T/ext4.img" || die_setup "mkfs.ext4 failed"
	loop=$(losetup -f --show "$T/ext4.img") || die_setup "losetup failed"
	on_teardown "losetup -d '$loop' 2>/dev/null || true"
	blk() {
		local r=$1
		bundle "$r" blk '.mounts += [{destination: "/data", type: "ext4", source: $l, options: ["rw", "noatime"]}]' --arg l "$loop"
		args "$r" blk sh -c 'cat /data/hello; awk "\$5 == \"/data\" { for (i = 7; \$i != \"-\"; i++); print \$(i + 1), \$(i + 2) }" /proc/self/mountinfo'
		run_note "$r" blk
	}
	both blk
	compare_transcripts "run: hello from ext4|ext4 $loop|
"
	losetup -d "$loop"
	[ -z "$(losetup -j "$T/ext4.img")" ] || fail "the loop device is still attached"
	assert_clean
}

# order_run RUNTIME NAME: the mount points of the config's mounts, in the
# order the container's mountinfo lists them, against the config's order.
order_run() {
	local r=$1 name=$2 got want
	args "$r" "$name" cat /proc/self/mountinfo
	rt "$r" run --bundle "$T/$r/$name" "$name-$r-$MARKER"
	if [ "$status" -ne 0 ]; then
		note "run: status $status $(head -n 2 "$OCI_ERR" | tr '\n' '|')"
		return 0
	fi
	want=$(jq -r '.mounts[].destination' "$T/$r/$name/config.json" | tr '\n' ' ')
	got=$(awk 'NR == FNR { want[$0] = 1; next } ($5 in want) && !seen[$5]++ { print $5 }' \
		<(jq -r '.mounts[].destination' "$T/$r/$name/config.json") "$OCI_OUT" | tr '\n' ' ')
	if [ "$got" = "$want" ]; then
		note "mountinfo order: the config's"
	else
		note "mountinfo order: $got (config: $want)"
	fi
}

# The default mounts and more, in an order that sorts neither by path nor
# by depth: a mount below a later one, a bind among tmpfs.
ORDER_MOUNTS='.mounts += [{destination: "/zz", type: "tmpfs", source: "tmpfs"},
	{destination: "/aa", type: "tmpfs", source: "tmpfs"},
	{destination: "/mm", type: "bind", source: $s, options: ["rbind", "ro"]},
	{destination: "/aa/sub", type: "tmpfs", source: "tmpfs"},
	{destination: "/bb", type: "tmpfs", source: "tmpfs"},
	{destination: "/etc/motd-dir", type: "tmpfs", source: "tmpfs"}]'

@test "mounts appear in mountinfo in the config's order (as runc)" {
	mkdir -p "$T/src"
	order() {
		bundle "$1" order "$ORDER_MOUNTS" --arg s "$T/src"
		order_run "$1" order
	}
	both order
	compare_transcripts "mountinfo order: the config's
"
	assert_clean
}

@test "mounts appear in the config's order with a user namespace too (uidMappings 0 -> 200000) (as runc)" {
	mkdir -p "$T/src"
	order_userns() {
		bundle "$1" userns "$ORDER_MOUNTS"'
			| .linux.namespaces += [{type: "user"}]
			| .linux.uidMappings = [{containerID: 0, hostID: 200000, size: 65536}]
			| .linux.gidMappings = [{containerID: 0, hostID: 200000, size: 65536}]
			| .mounts |= map(select(.type != "cgroup"))' --arg s "$T/src"
		chown -R 200000:200000 "$B/rootfs"
		order_run "$1" userns
	}
	both order_userns
	compare_transcripts "mountinfo order: the config's
"
	assert_clean
}

@test "strictatime, noatime, nodiratime, relatime, nosymfollow read back from mountinfo; sync and dirsync on a tmpfs in the superblock options (as runc)" {
	flags() {
		local r=$1
		bundle "$r" flags '.mounts += [
			{destination: "/m-strictatime", type: "tmpfs", source: "tmpfs", options: ["strictatime"]},
			{destination: "/m-noatime", type: "tmpfs", source: "tmpfs", options: ["noatime"]},
			{destination: "/m-nodiratime", type: "tmpfs", source: "tmpfs", options: ["nodiratime"]},
			{destination: "/m-relatime", type: "tmpfs", source: "tmpfs", options: ["relatime"]},
			{destination: "/m-nosymfollow", type: "tmpfs", source: "tmpfs", options: ["nosymfollow"]},
			{destination: "/m-sync", type: "tmpfs", source: "tmpfs", options: ["sync"]},
			{destination: "/m-dirsync", type: "tmpfs", source: "tmpfs", options: ["dirsync"]}]'
		# Mount options (field 6), then the superblock's first options.
		args "$r" flags awk '$5 ~ /^\/m-/ { for (i = 7; $i != "-"; i++); split($(i + 3), s, ","); print $5, $6, s[1] "," s[2] }' /proc/self/mountinfo
		run_note "$r" flags
	}
	both flags
	# strictatime: neither relatime nor noatime (the kernel's default is relatime).
	compare_transcripts "run: /m-strictatime rw rw,|/m-noatime rw,noatime rw,|/m-nodiratime rw,nodiratime,relatime rw,|/m-relatime rw,relatime rw,|/m-nosymfollow rw,relatime,nosymfollow rw,|/m-sync rw,relatime rw,sync|/m-dirsync rw,relatime rw,dirsync|
"
	assert_clean
}

@test "a mount destination that is a dangling symlink in the rootfs (absolute, relative): created inside the root, nothing outside (as runc)" {
	local abs=nsbox-canary-abs-$MARKER rel=nsbox-canary-rel-$MARKER
	on_teardown "rmdir '/$abs' '/$rel' 2>/dev/null || true"
	dangling() {
		local r=$1
		bundle "$r" dangling '.root.readonly = false
			| .mounts += [{destination: "/abs", type: "tmpfs", source: "tmpfs"},
				{destination: "/rel", type: "tmpfs", source: "tmpfs"}]'
		ln -s "/$abs" "$B/rootfs/abs"
		ln -s "../../../../../../../../$rel" "$B/rootfs/rel"
		args "$r" dangling sh -c 'grep -c " /$0 .* - tmpfs " /proc/self/mountinfo; grep -c " /$1 .* - tmpfs " /proc/self/mountinfo' "$abs" "$rel"
		run_note "$r" dangling
		note "in the root: $(cd "$B/rootfs" && ls -d "$abs" "$rel" 2>&1 | tr '\n' ' ')"
		note "on the host: $(ls -d "/$abs" "/$rel" "$T/$abs" "$T/$rel" 2>/dev/null | tr '\n' ' ')"
	}
	both dangling
	compare_transcripts "run: 1|1|
in the root: $abs $rel 
on the host: 
"
	assert_clean
}

@test "a bind source only the host's root can reach (under a 0700 root dir) in a container with its own user namespace: works (as runc)" {
	mkdir -p "$T/secret/data" && echo "for root only" >"$T/secret/data/file" && chmod 0700 "$T/secret"
	secret() {
		local r=$1
		bundle "$r" secret '.linux.namespaces += [{type: "user"}]
			| .linux.uidMappings = [{containerID: 0, hostID: 200000, size: 65536}]
			| .linux.gidMappings = [{containerID: 0, hostID: 200000, size: 65536}]
			| .mounts |= map(select(.type != "cgroup"))
			| .mounts += [{destination: "/data", type: "bind", source: $s, options: ["rbind", "ro"]}]' --arg s "$T/secret/data"
		chown -R 200000:200000 "$B/rootfs"
		# uid 0 inside is 200000 outside: it cannot search $T/secret.
		args "$r" secret sh -c 'cat /data/file; ls /data >/dev/null && echo listed'
		run_note "$r" secret
	}
	both secret
	compare_transcripts "run: for root only|listed|
"
	assert_clean
}

# ---------------------------------------------------------------------------
# Namespaces

@test "no mount namespace: the container runs chrooted into root.path in the runtime's mount namespace, nothing mounted" {
	# Never handed to runc: without a mount namespace it mounts on the host.
	local id="chroot-$MARKER" pid
	bundle nsbox chroot '.linux.namespaces = [{type: "pid"}, {type: "ipc"}, {type: "uts"}, {type: "network"}]
		| .mounts = [] | .linux.maskedPaths = [] | .linux.readonlyPaths = [] | .root.readonly = false'
	echo "inside the root" >"$B/rootfs/marker"
	set_args "$B" sh -c 'cat /marker; ls /proc | wc -l; exec sleep "$0"' "$MARKER"
	oci_ok run -d --bundle "$B" "$id"
	pid=$(state_field "$id" pid)
	wait_until 5 eval '[ "$(cmdline "$pid")" = "sleep $MARKER" ]' || fail "the container is not running"
	assert_equal "$B/rootfs" "$(readlink "/proc/$pid/root")" "the container's root"
	assert_equal "$(readlink /proc/self/ns/mnt)" "$(readlink "/proc/$pid/ns/mnt")" "its mount namespace (the runtime's)"
	assert_equal "inside the root
0" "$(cat "$OCI_OUT")" "what it saw (an image's empty /proc)"
	oci_ok delete --force "$id"
	assert_clean
}

@test "no mount namespace: a config that lists mounts (or masked paths, devices, a read-only root) is refused" {
	bundle nsbox nomnt '.linux.namespaces = [{type: "pid"}, {type: "network"}]'
	oci run --bundle "$B" "nomnt-$MARKER"
	assert_error 125 "config.json: mounts: needs the container's own mount namespace"
	edit_config "$B" '.mounts = []'
	oci run --bundle "$B" "nomnt-$MARKER"
	assert_error 125 "config.json: root.readonly: needs the container's own mount namespace"
	edit_config "$B" '.root.readonly = false'
	oci run --bundle "$B" "nomnt-$MARKER"
	assert_error 125 "config.json: linux.maskedPaths: needs the container's own mount namespace"
	edit_config "$B" '.linux.maskedPaths = [] | .linux.readonlyPaths = [] | .linux.devices = [{path: "/dev/x", type: "c", major: 1, minor: 3}]'
	oci run --bundle "$B" "nomnt-$MARKER"
	assert_error 125 "config.json: linux.devices: needs the container's own mount namespace"
	assert_clean
}

@test "namespace paths: net, ipc, uts, pid and cgroup of a running container joined by path (as runc)" {
	local id="target-$MARKER" pid
	bundle nsbox target '.hostname = "target-host"'
	set_args "$B" sleep "$MARKER"
	oci_ok run -d --bundle "$B" "$id"
	pid=$(state_field "$id" pid)
	joiner() {
		local r=$1
		bundle "$r" joiner 'del(.hostname) | .linux.namespaces = [{type: "mount"},
			{type: "network", path: "/proc/\($p)/ns/net"}, {type: "ipc", path: "/proc/\($p)/ns/ipc"},
			{type: "uts", path: "/proc/\($p)/ns/uts"}, {type: "pid", path: "/proc/\($p)/ns/pid"},
			{type: "cgroup", path: "/proc/\($p)/ns/cgroup"}]
			| .mounts |= map(select(.type != "cgroup"))' --arg p "$pid"
		args "$r" joiner sh -c 'hostname; for t in net ipc uts pid cgroup; do readlink /proc/self/ns/$t; done; echo $(tr "\0" " " < /proc/1/cmdline)'
		run_note "$r" joiner
	}
	both joiner
	compare_transcripts "run: target-host|$(for t in net ipc uts pid cgroup; do printf '%s|' "$(readlink "/proc/$pid/ns/$t")"; done)sleep $MARKER|
"
	oci_ok delete --force "$id"
	assert_clean
}

# in_private_net SCRIPT [ARGS...]: run the shell SCRIPT in a network
# namespace of its own (unshare --net), with $NSBOX, $STATE, $B and $MARKER
# in its environment: the runtime's network namespace of these tests, so
# that their veth pairs never touch the host's. runc 1.1.5 predates
# linux.netDevices (runc 1.3 moves the devices).
in_private_net() {
	local script=$1
	shift
	NSBOX=$NSBOX STATE=$STATE B=$B MARKER=$MARKER unshare --net sh -euc "$script" sh "$@"
}

@test "linux.netDevices: the device is moved into the container's network namespace" {
	bundle nsbox netdev '.linux.netDevices = {"nsbx0": {}}'
	set_args "$B" sh -c 'ls /sys/class/net | tr "\n" " "'
	status=0
	in_private_net 'ip link add nsbx0 type veth peer name nsbx1
		exec "$NSBOX" --root "$STATE" run --bundle "$B" "netdev-$MARKER"' \
		</dev/null >"$T/netdev.out" 2>"$T/netdev.err" || status=$?
	output=$(cat "$T/netdev.out") stderr=$(cat "$T/netdev.err")
	assert_success
	[[ " $output " == *" nsbx0 "* ]] || fail "linux.netDevices was ignored: the container's links are '$output'"
	assert_clean
}

@test "linux.netDevices: renamed, set up, with its permanent global addresses (not a link-scope one); a %d template; gone with the namespace (veth)" {
	bundle nsbox netdev '.linux.netDevices = {"nsbx0": {"name": "ctr0"}, "nsbx2": {"name": "net%d"}}'
	set_args "$B" sh -c 'ls /sys/class/net | tr "\n" " "; echo
		ip -o link show ctr0 | grep -o "<[^>]*>"
		ip -o addr show dev ctr0 | grep -v fe80 | awk "{ print \$3, \$4, \$5, \$6 }"'
	status=0
	in_private_net 'ip link add nsbx0 type veth peer name nsbx1
		ip link add nsbx2 type veth peer name nsbx3
		ip addr add 10.200.0.2/24 brd + dev nsbx0
		ip addr add 169.254.7.7/16 scope link dev nsbx0
		ip addr add 2001:db8::2/64 dev nsbx0 nodad
		ip link set nsbx0 up
		"$NSBOX" --root "$STATE" run --bundle "$B" "netdev-$MARKER" || echo "status $?"
		# The namespace is gone: the veth pairs with it, peers included.
		i=0
		while ip link show nsbx1 >/dev/null 2>&1 && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		echo "left: $(ip -o link show | cut -d: -f2 | tr -d " " | tr "\n" " ")"' \
		</dev/null >"$T/netdev.out" 2>"$T/netdev.err" || status=$?
	output=$(cat "$T/netdev.out") stderr=$(cat "$T/netdev.err")
	assert_success
	assert_equal "ctr0 lo net0 
<NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN>
inet 10.200.0.2/24 brd 10.200.0.255
inet6 2001:db8::2/64 scope global
left: lo " "$output" "the container's devices, ctr0's flags and addresses, and what is left in the runtime's namespace"
	assert_clean
}

@test "linux.netDevices: into a network namespace joined by path; the runtime's own namespace, a missing device and a name taken inside are errors naming the device; the device is left as it was" {
	bundle nsbox netdev '.linux.netDevices = {"nsbx0": {"name": "ctr0"}}
		| .linux.namespaces |= map(if .type == "network" then .path = "/proc/\($p)/ns/net" else . end)' --arg p PID
	set_args "$B" true
	status=0
	in_private_net 'ip link add nsbx0 type veth peer name nsbx1
		ip link set nsbx0 up
		# A network namespace of another process (as a CNI one), joined by path.
		unshare --net sleep 600 & other=$!
		trap "kill $other 2>/dev/null || true" EXIT
		i=0
		while [ "$(readlink /proc/$other/ns/net)" = "$(readlink /proc/$$/ns/net)" ] && [ $i -lt 50 ]; do
			sleep 0.1; i=$((i + 1))
		done
		sed -i "s|/proc/PID/ns/net|/proc/$other/ns/net|" "$B/config.json"
		"$NSBOX" --root "$STATE" run --bundle "$B" "joined-$MARKER" && echo "joined: ok"
		nsenter --net=/proc/$other/ns/net ip -o link show ctr0 | grep -q "[<,]UP[,>]" && echo "inside: ctr0 up"
		echo "runtime: $(ip -o link show | cut -d: -f2 | cut -d@ -f1 | tr -d " " | tr "\n" " ")"
		kill $other
		ip link add nsbx4 type veth peer name nsbx5
		ip link set nsbx4 up
		sed -i "s|\"nsbx0\"|\"nsbx4\"|" "$B/config.json"
		# The runtime'"'"'s own network namespace, by path.
		sed -i "s|/proc/$other/ns/net|/proc/$$/ns/net|" "$B/config.json"
		"$NSBOX" --root "$STATE" run --bundle "$B" "own-$MARKER" 2>&1 || echo "status $?"
		# A name that the container'"'"'s namespace has already (lo).
		sed -i "s|/proc/$$/ns/net|/proc/PID|; s|\"ctr0\"|\"lo\"|" "$B/config.json"
		jq ".linux.namespaces |= map(if .type == \"network\" then del(.path) else . end)" "$B/config.json" >"$B/c.json"
		mv "$B/c.json" "$B/config.json"
		"$NSBOX" --root "$STATE" run --bundle "$B" "taken-$MARKER" 2>&1 || echo "status $?"
		ip -o link show nsbx4 | grep -q "[<,]UP[,>]" && echo "after: nsbx4 still here, up"
		# A device the runtime'"'"'s namespace lacks.
		jq ".linux.netDevices = {\"nope0\": {}}" "$B/config.json" >"$B/c.json"
		mv "$B/c.json" "$B/config.json"
		"$NSBOX" --root "$STATE" run --bundle "$B" "missing-$MARKER" 2>&1 || echo "status $?"' \
		</dev/null >"$T/netdev.out" 2>"$T/netdev.err" || status=$?
	output=$(cat "$T/netdev.out") stderr=$(cat "$T/netdev.err")
	assert_success
	assert_equal "joined: ok
inside: ctr0 up
runtime: lo nsbx1 
nsbox: linux.netDevices: the container's network namespace is the runtime's own
status 125
nsbox: linux.netDevices: device 'nsbx4': the container's network namespace has a device 'lo' already
status 125
after: nsbx4 still here, up
nsbox: linux.netDevices: device 'nope0': not found in the runtime's network namespace: No such device
status 125" "$output" "joined by path, then the errors"
	assert_clean
}

@test "linux.netDevices: a wrong config is refused before anything is made, naming the field" {
	bundle nsbox netdev '.linux.netDevices = {"nsbx0": {"name": "a/b"}}'
	oci create --bundle "$B" "bad-$MARKER"
	assert_error 125 "config.json: linux.netDevices.nsbx0.name: 'a/b': must not hold '/', ':' or white space" || return 1
	bundle nsbox hostnet '.linux.netDevices = {"nsbx0": {}} | .linux.namespaces |= map(select(.type != "network"))'
	oci create --bundle "$B" "hostnet-$MARKER"
	assert_error 125 "config.json: linux.netDevices: needs the container's own network namespace" || return 1
	assert_clean
}

# mempolicy_bundle NAME JSON: a bundle whose process prints its NUMA memory
# policy (tests/helpers/mempolicy.c: "MODE MASK"), with JSON as
# linux.memoryPolicy. runc 1.1.5 predates the field.
mempolicy_bundle() {
	local helper
	helper=$(dirname "$NSBOX")/tests/helpers/nsbox-mempolicy
	[ -x "$helper" ] || die_setup "no $helper (meson compile -C build)" || return 1
	[ -d /sys/devices/system/node/node0 ] || die_setup "no NUMA node 0 in this kernel" || return 1
	bundle nsbox "$1" '.linux.memoryPolicy = $mp' --argjson mp "$2" || return 1
	cp "$helper" "$B/rootfs/bin/nsbox-mempolicy"
	set_args "$B" nsbox-mempolicy
}

@test "linux.memoryPolicy: applied (MPOL_BIND on node 0, as get_mempolicy reports it)" {
	mempolicy_bundle mempol '{"mode": "MPOL_BIND", "nodes": "0"}' || return 1
	oci_ok run --bundle "$B" "mempol-$MARKER" || return 1
	# MPOL_BIND is 2; node 0 is bit 0 of the mask.
	assert_equal "2 1" "$output" "the container's memory policy (0 0: the default, the field ignored)"
	assert_clean
}

@test "linux.memoryPolicy: MPOL_INTERLEAVE with MPOL_F_STATIC_NODES; MPOL_LOCAL; exec gets the policy too" {
	mempolicy_bundle interleave '{"mode": "MPOL_INTERLEAVE", "nodes": "0", "flags": ["MPOL_F_STATIC_NODES"]}' || return 1
	oci_ok run --bundle "$B" "interleave-$MARKER" || return 1
	# get_mempolicy reports the mode with its flags: 3 | 0x8000.
	assert_equal "32771 1" "$output" "MPOL_INTERLEAVE | MPOL_F_STATIC_NODES on node 0" || return 1
	mempolicy_bundle local '{"mode": "MPOL_LOCAL"}' || return 1
	oci_ok run --bundle "$B" "local-$MARKER" || return 1
	assert_equal "4 0" "$output" "MPOL_LOCAL" || return 1
	# A process exec'd into the container gets the container's policy.
	mempolicy_bundle execd '{"mode": "MPOL_BIND", "nodes": "0"}' || return 1
	set_args "$B" sleep "$MARKER"
	oci_ok run -d --bundle "$B" "execd-$MARKER" || return 1
	oci_ok exec "execd-$MARKER" nsbox-mempolicy || return 1
	assert_equal "2 1" "$output" "the policy of an exec'd process" || return 1
	oci_ok delete --force "execd-$MARKER"
	assert_clean
}

@test "linux.memoryPolicy: a node the host lacks is the kernel's EINVAL at create, naming the field; a wrong policy is refused before anything is made" {
	local missing
	missing=$(( $(ls -d /sys/devices/system/node/node* | sed 's/.*node//' | sort -n | tail -n 1) + 1 ))
	mempolicy_bundle nonode "{\"mode\": \"MPOL_BIND\", \"nodes\": \"$missing\"}" || return 1
	oci create --bundle "$B" "nonode-$MARKER"
	assert_error 125 "linux.memoryPolicy: set_mempolicy(MPOL_BIND): Invalid argument" || return 1
	assert_equal "" "$(state_entries)" "state after the failed create" || return 1
	mempolicy_bundle nonodes '{"mode": "MPOL_BIND"}' || return 1
	oci create --bundle "$B" "nonodes-$MARKER"
	assert_error 125 "config.json: linux.memoryPolicy.nodes: required with this mode (at least one node)" || return 1
	mempolicy_bundle badflag '{"mode": "MPOL_BIND", "nodes": "0", "flags": ["MPOL_F_STATIC_NODES", "MPOL_F_RELATIVE_NODES"]}' || return 1
	oci create --bundle "$B" "badflag-$MARKER"
	assert_error 125 "config.json: linux.memoryPolicy.flags: MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other"
	assert_clean
}

# ---------------------------------------------------------------------------
# The process

@test "HOME: unset, from the container's /etc/passwd (root, a user's line, no line: /); set in process.env: kept (as runc)" {
	home() {
		local r=$1 n
		for n in "0 none" "1234 none" "4321 none" "0 /custom" "1234 /custom"; do
			set -- $n
			bundle "$r" "home-$1-${2//\//}" '.process.user.uid = ($u | tonumber) | .process.user.gid = ($u | tonumber)
				| if $h != "none" then .process.env += ["HOME=" + $h] else . end' --arg u "$1" --arg h "$2"
			echo "x:x:1234:1234:x:/home/x:/bin/sh" >>"$B/rootfs/etc/passwd"
			args "$r" "home-$1-${2//\//}" sh -c 'echo "${HOME-unset}"'
			run_note "$r" "home-$1-${2//\//}" "uid $1, HOME $2"
		done
	}
	both home
	compare_transcripts "uid 0, HOME none: /root|
uid 1234, HOME none: /home/x|
uid 4321, HOME none: /|
uid 0, HOME /custom: /custom|
uid 1234, HOME /custom: /custom|
"
	assert_clean
}

@test "a cwd that does not exist is created inside the root (as runc); through a planted symlink too (runc 1.1.5 refuses)" {
	local canary=nsbox-canary-cwd-$MARKER
	on_teardown "rm -rf --one-file-system '/$canary' 2>/dev/null || true"
	cwd() {
		local r=$1
		bundle "$r" cwd '.process.cwd = "/new/deep/dir" | .root.readonly = false'
		args "$r" cwd pwd
		run_note "$r" cwd "cwd /new/deep/dir"
		note "in the root: $(cd "$B/rootfs" && ls -d new/deep/dir 2>&1)"
	}
	both cwd
	compare_transcripts "cwd /new/deep/dir: /new/deep/dir|
in the root: new/deep/dir
"
	# /link -> ../../../$canary, which leaves the root: resolved inside
	# it, as every path of the container. runc 1.1.5 fails ("mkdir /link:
	# file exists").
	bundle nsbox cwdlink '.process.cwd = "/link/sub" | .root.readonly = false'
	ln -s "../../../../../../$canary" "$B/rootfs/link"
	set_args "$B" pwd
	oci_ok run --bundle "$B" "cwdlink-$MARKER"
	assert_equal "/$canary/sub" "$output" "pwd (the symlink resolved in the root)"
	[ -d "$B/rootfs/$canary/sub" ] || fail "not created inside the root"
	[ ! -e "/$canary" ] && [ ! -e "$T/$canary" ] || fail "created outside the root"
	assert_clean
}

@test "exec --cap CAP_SYS_ADMIN: in CapEff, CapPrm and CapBnd, not in CapInh (CVE-2022-29162) (as runc)" {
	capx() {
		local r=$1 id=cap-$1-$MARKER
		bundle "$r" cap '.process.capabilities.inheritable = ["CAP_KILL"]'
		args "$r" cap sleep "$MARKER"
		rt "$r" run -d --bundle "$B" "$id"
		rt "$r" exec --cap CAP_SYS_ADMIN "$id" sh -c 'grep -E "^Cap(Inh|Prm|Eff|Bnd|Amb)" /proc/self/status'
		note "exec --cap: status $status"
		# CAP_SYS_ADMIN is bit 21; decode each set's bit 21.
		local line set hex
		while read -r set hex; do
			note "$set $(( (0x$hex >> 21) & 1 ))"
		done <<<"$output"
		rt "$r" delete --force "$id"
	}
	both capx
	compare_transcripts "exec --cap: status 0
CapInh: 0
CapPrm: 1
CapEff: 1
CapBnd: 1
CapAmb: 0
"
	assert_clean
}

@test "linux.sysctl kernel.hostname is refused in runc's words; kernel.domainname too (nsbox's choice: runc sets it)" {
	local runc_msg nsbox_msg
	bundle runc sys '.linux.sysctl = {"kernel.hostname": "evil"}'
	args runc sys true
	runc_do run --bundle "$B" "sys-$MARKER"
	assert_status 1
	runc_msg=$(grep -o 'sysctl .* field' <<<"$stderr" | sed 's/\\"/"/g')
	assert_equal 'sysctl "kernel.hostname" is not allowed as it conflicts with the OCI "hostname" field' "$runc_msg" "runc's words"
	bundle nsbox sys '.linux.sysctl = {"kernel.hostname": "evil"}'
	args nsbox sys true
	oci run --bundle "$B" "sys-$MARKER"
	assert_status 125
	# nsbox quotes with ' as all its messages do; the words are runc's.
	nsbox_msg=$(tr "'" '"' <<<"$stderr")
	[[ "$nsbox_msg" == *"${runc_msg#sysctl }"* ]] || fail "nsbox's message lacks runc's words '${runc_msg#sysctl }'"
	# kernel.domainname: runc 1.1.5 writes it in the container's uts
	# namespace; nsbox refuses it too and points at the OCI field.
	edit_config "$B" '.linux.sysctl = {"kernel.domainname": "evil"}'
	oci run --bundle "$B" "sys-$MARKER"
	assert_error 125 "'kernel.domainname' is not allowed as it conflicts with the OCI 'domainname' field"
	assert_clean
}

@test "hooks without env: the runtime's environment on the host (createRuntime, poststop), none in the container (startContainer) (as runc)" {
	hooks() {
		local r=$1 id=hook-$1-$MARKER log=$T/$1-hooklog
		mkdir -p "$log"
		printf '#!/bin/sh\nenv > "%s/$1.env"\ncat > /dev/null\n' "$log" >"$T/$r-hook.sh"
		chmod +x "$T/$r-hook.sh"
		bundle "$r" hooks '.hooks = {
			createRuntime: [{path: $h, args: ["hook.sh", "createRuntime"]}],
			startContainer: [{path: "/bin/sh", args: ["sh", "-c", "env > /hooklog/startContainer.env"]}],
			poststop: [{path: $h, args: ["hook.sh", "poststop"]}]}
			| .mounts += [{destination: "/hooklog", type: "bind", source: $l, options: ["rbind", "rw"]}]' \
			--arg h "$T/$r-hook.sh" --arg l "$log"
		args "$r" hooks true
		NSBOX_TEST_HOOKVAR=from-runtime rt "$r" run --bundle "$B" "$id"
		note "run: status $status"
		for h in createRuntime startContainer poststop; do
			if [ ! -f "$log/$h.env" ]; then
				note "$h: did not run"
			elif grep -qx 'NSBOX_TEST_HOOKVAR=from-runtime' "$log/$h.env"; then
				note "$h: the runtime's environment"
			else
				note "$h: not the runtime's environment"
			fi
		done
	}
	both hooks
	compare_transcripts "run: status 0
createRuntime: the runtime's environment
startContainer: not the runtime's environment
poststop: the runtime's environment
"
	assert_clean
}

@test "NOTIFY_SOCKET as podman --sdnotify=container passes it to create and start: start returns at READY=1, relayed with MAINPID (as runc)" {
	local sdnotify=$(dirname "$NSBOX")/tests/helpers/nsbox-sdnotify
	[ -x "$sdnotify" ] || die_setup "no $sdnotify (meson compile -C build)"
	notify() {
		local r=$1 id=nt-$1-$MARKER sock=$T/$1-notify.sock got=$T/$1-got listener pid
		bundle "$r" notify
		cp "$sdnotify" "$B/rootfs/bin/nsbox-sdnotify"
		args "$r" notify sh -c 'echo "$NOTIFY_SOCKET"; sleep 0.5; nsbox-sdnotify send READY=1; exec sleep "$0"' "$MARKER"
		"$sdnotify" listen "$sock" "$got" 2 20 &
		listener=$!
		track_pid "$listener"
		wait_until 5 test -S "$sock" || note "the listener did not bind"
		NOTIFY_SOCKET=$sock rt "$r" create --bundle "$B" "$id"
		note "create: status $status"
		local created=$OCI_OUT
		SECONDS=0
		NOTIFY_SOCKET=$sock rt "$r" start "$id"
		note "start: status $status, returned after READY: $([ "$SECONDS" -lt 10 ] && [ -s "$got" ] && echo yes || echo no)"
		wait "$listener" || note "the listener got less than 2 messages"
		note "NOTIFY_SOCKET in the container: $(cat "$created" 2>/dev/null)"
		pid=$(rt_state "$r" "$id" pid)
		# (runc ends each message with a newline, "|" here; nsbox does not.)
		note "relayed: $(sed -e 's/|$//' -e "s/^MAINPID=$pid\$/MAINPID=(the container's pid)/" "$got" | sort | tr '\n' ' ')"
		rt "$r" delete --force "$id"
	}
	both notify
	compare_transcripts "create: status 0
start: status 0, returned after READY: yes
NOTIFY_SOCKET in the container: /run/notify/notify.sock
relayed: MAINPID=(the container's pid) READY=1 
"
	assert_clean
}

@test "LISTEN_FDS=2 with fds 3 and 4 open: the container has fds 3 and 4, LISTEN_FDS=2 and LISTEN_PID its own pid (as runc)" {
	listen() {
		local r=$1 id=lf-$1-$MARKER bin=$NSBOX root=$STATE
		[ "$r" = runc ] && bin=$RUNC root=$RUNC_STATE
		bundle "$r" listen
		args "$r" listen sh -c 'echo "LISTEN_FDS=$LISTEN_FDS LISTEN_PID=$LISTEN_PID pid=$$"; for f in 3 4 5; do [ -e /proc/self/fd/$f ] && echo "fd $f"; done; echo three >&3; echo four >&4'
		: >"$T/$r-fd3" && : >"$T/$r-fd4"
		status=0
		# LISTEN_PID: the runtime's own pid (sd_listen_fds checks it).
		LISTEN_FDS=2 sh -c 'LISTEN_PID=$$ exec "$@"' sh "$bin" --root "$root" run --bundle "$B" "$id" \
			3>"$T/$r-fd3" 4>"$T/$r-fd4" >"$T/$r-out" 2>&1 </dev/null || status=$?
		note "run: status $status: $(tr '\n' '|' <"$T/$r-out")"
		note "fds: $(cat "$T/$r-fd3") $(cat "$T/$r-fd4")"
	}
	both listen
	compare_transcripts "run: status 0: LISTEN_FDS=2 LISTEN_PID=1 pid=1|fd 3|fd 4|
fds: three four
"
	assert_clean
}

# ---------------------------------------------------------------------------
# The command line

@test "CLI: 'run ID' in a bundle directory runs the container (as 'runc run ID'); 'run sh' there is ambiguous; 'run -- sh -c' is a sandbox" {
	local id="cli-$MARKER"
	bundle nsbox cli
	set_args "$B" sh -c 'echo "container $(hostname)"'
	bundle runc cli
	set_args "$B" sh -c 'echo "container $(hostname)"'
	(cd "$T/runc/cli" && "$RUNC" --root "$RUNC_STATE" run "$id" </dev/null >"$T/runc.out" 2>&1) || fail "runc run failed: $(cat "$T/runc.out")"
	assert_equal "container nsbox" "$(cat "$T/runc.out")" "runc run ID"
	cd "$T/nsbox/cli"
	run_nsbox --root "$STATE" run "$id"
	assert_success
	assert_output "container nsbox"
	# "sh" is also a command: nsbox says how to pick either.
	run_nsbox -125 --root "$STATE" run sh
	assert_nsbox_error "run 'sh'" "may be a container id" "also a command" "nsbox run --bundle . sh" "nsbox run -- sh"
	run_nsbox --root "$STATE" run -- sh -c 'echo "sandbox $(cat /proc/1/comm)"'
	assert_success
	assert_output "sandbox nsbox"
	cd /
	assert_clean
}

@test "CLI: --version prints the spec version and +SECCOMP, +CAP (as crun's)" {
	run_nsbox --version
	assert_success
	assert_line_in_output "spec: 1.2.0"
	[[ "$output" =~ (^|[[:space:]])\+SECCOMP([[:space:]]|$) ]] || fail "no +SECCOMP word"
	[[ "$output" =~ (^|[[:space:]])\+CAP([[:space:]]|$) ]] || fail "no +CAP word"
	[[ "$(head -n 1 <<<"$output")" =~ ^nsbox\ version\ [0-9] ]] || fail "first line is not 'nsbox version N...'"
}
