#!/usr/bin/env bats
# containerd (Debian's package) driving nsbox through its runc shim
# (io.containerd.runc.v2, `ctr run --runc-binary nsbox`), issue 3 "Real clients".
#
# Each test starts its own containerd, with a config whose root, state, temp
# dir and gRPC/ttrpc sockets are in a temporary directory, and with the
# plugins it does not need (cri, the other snapshotters, tracing) disabled;
# it is stopped by its pid at teardown. The shim calls nsbox with the global
# flags --root (here under the temp dir, from --runc-root) --log FILE
# --log-format json. The image is an OCI layout archive of the test busybox
# root fs, built here offline and loaded with `ctr image import`.

load helpers

IMG=localhost/busybox-test:latest

# The test's directory, containerd's socket and pid (set by containerd_setup).
CD=
CD_SOCK=
CD_PID=
_run_containerd_existed=

# make_oci_archive ROOTFS OUT NAME: an OCI image layout archive (one
# uncompressed layer) of ROOTFS, named NAME for containerd.
make_oci_archive() {
	local rootfs=$1 out=$2 name=$3 work ldig lsize cdig csize mdig msize
	work=$(mktemp -d "$CD/oci.XXXXXX") || return 1
	mkdir -p "$work/blobs/sha256"
	tar -C "$rootfs" --numeric-owner --sort=name -cf "$work/layer.tar" . || return 1
	ldig=$(sha256sum <"$work/layer.tar" | cut -d' ' -f1)
	lsize=$(stat -c %s "$work/layer.tar")
	mv "$work/layer.tar" "$work/blobs/sha256/$ldig"
	printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
		"$ldig" >"$work/config"
	cdig=$(sha256sum <"$work/config" | cut -d' ' -f1)
	csize=$(stat -c %s "$work/config")
	mv "$work/config" "$work/blobs/sha256/$cdig"
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%d}]}' \
		"$cdig" "$csize" "$ldig" "$lsize" >"$work/manifest"
	mdig=$(sha256sum <"$work/manifest" | cut -d' ' -f1)
	msize=$(stat -c %s "$work/manifest")
	mv "$work/manifest" "$work/blobs/sha256/$mdig"
	printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%d,"annotations":{"io.containerd.image.name":"%s"},"platform":{"architecture":"amd64","os":"linux"}}]}' \
		"$mdig" "$msize" "$name" >"$work/index.json"
	printf '{"imageLayoutVersion":"1.0.0"}' >"$work/oci-layout"
	tar -C "$work" -cf "$out" oci-layout index.json blobs || return 1
	rm -rf "$work"
}

_write_containerd_conf() {
	cat >"$CD/config.toml" <<-EOF
		version = 2
		root = "$CD/root"
		state = "$CD/state"
		temp = "$CD/tmp"
		disabled_plugins = [
		  "io.containerd.grpc.v1.cri",
		  "io.containerd.snapshotter.v1.btrfs",
		  "io.containerd.snapshotter.v1.zfs",
		  "io.containerd.snapshotter.v1.devmapper",
		  "io.containerd.snapshotter.v1.aufs",
		  "io.containerd.internal.v1.opt",
		  "io.containerd.internal.v1.tracing",
		  "io.containerd.tracing.processor.v1.otlp",
		  "io.containerd.monitor.v1.cgroups",
		]

		[grpc]
		  address = "$CD_SOCK"

		[ttrpc]
		  address = "$CD_SOCK.ttrpc"

		[debug]
		  address = ""
		  level = "debug"

		[metrics]
		  address = ""
	EOF
}

containerd_ready() { ctr --address "$CD_SOCK" version >/dev/null 2>&1; }

setup() {
	nsbox_setup || return 1
	local tool
	for tool in containerd ctr containerd-shim-runc-v2 script; do
		command -v "$tool" >/dev/null ||
			die_setup "$tool missing; run scripts/install-deps.sh" || return 1
	done
	new_tempdir CD || return 1
	CD_SOCK=$CD/containerd.sock
	mkdir -p "$CD/root" "$CD/state" "$CD/tmp" "$CD/fifo" "$CD/runc"
	_write_containerd_conf
	# The shims' sockets (/run/containerd/s) and ctr's default fifo dir are
	# fixed in containerd 1.6: remove what it made there.
	_run_containerd_existed=
	[ -e /run/containerd ] && _run_containerd_existed=1
	on_teardown '_containerd_teardown'
	containerd --config "$CD/config.toml" >"$CD/containerd.log" 2>&1 &
	CD_PID=$!
	wait_until 20 containerd_ready || die_setup "containerd did not start: $(tail -5 "$CD/containerd.log")" || return 1
	make_oci_archive "$ROOTFS" "$CD/image.tar" "$IMG" || die_setup "cannot build the OCI archive" || return 1
	c image import "$CD/image.tar" >/dev/null || die_setup "ctr image import failed" || return 1
}

_containerd_teardown() {
	local id pid
	# Tasks and containers first, while containerd runs.
	if [ -n "$CD_PID" ] && containerd_ready; then
		for id in $(c task ls -q 2>/dev/null); do
			c task kill -s KILL "$id" >/dev/null 2>&1 || true
			c task delete -f "$id" >/dev/null 2>&1 || true
		done
		for id in $(c container ls -q 2>/dev/null); do
			c container rm "$id" >/dev/null 2>&1 || true
		done
	fi
	if [ -n "$CD_PID" ]; then
		kill -TERM "$CD_PID" 2>/dev/null || true
		wait_until 10 _containerd_gone || kill -KILL "$CD_PID" 2>/dev/null || true
		wait "$CD_PID" 2>/dev/null || true
	fi
	# A shim left behind (a test that failed half-way) names our socket.
	# The pattern ("[/]tmp/nsbox-test\.X...") does not match grep itself.
	local re="[${CD_SOCK:0:1}]${CD_SOCK:1}"
	re=${re//./\\.}
	for pid in $(grep -la -- "$re" /proc/[0-9]*/cmdline 2>/dev/null |
		sed -n 's#^/proc/\([0-9]*\)/cmdline$#\1#p'); do
		[ "$pid" = "$BASHPID" ] || kill -KILL "$pid" 2>/dev/null || true
	done
	# Whatever nsbox still has in its state dir.
	for id in "$CD"/runc/default/*; do
		[ -e "$id" ] || continue
		"$NSBOX" --root "$CD/runc/default" delete --force "${id##*/}" 2>/dev/null || true
	done
	awk -v d="$CD/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null || true; done
	if [ -z "$_run_containerd_existed" ] && [ -d /run/containerd ]; then
		rmdir /run/containerd/s /run/containerd/fifo /run/containerd 2>/dev/null || true
	fi
}

_containerd_gone() { ! kill -0 "$CD_PID" 2>/dev/null; }

# c ARGS...: ctr talking to this test's containerd.
c() { ctr --address "$CD_SOCK" "$@"; }

# RUNC: the `ctr run` flags that make the runc shim use nsbox, with its state
# (--root) and the fifos under the test's directory.
runc_flags() {
	RUNC=(--runc-binary "$NSBOX" --runc-root "$CD/runc" --fifo-dir "$CD/fifo")
}

@test "containerd: ctr run --rm echo hi" {
	runc_flags
	run --separate-stderr c run "${RUNC[@]}" --rm "$IMG" nsbox-t1 echo hi
	assert_success
	assert_output hi
	# Nothing left: no container, no task, no nsbox state.
	run --separate-stderr c container ls -q
	assert_output ""
	[ -z "$(ls -A "$CD/runc/default" 2>/dev/null)" ] || fail "nsbox state left: $(ls "$CD/runc/default")"
	# The shim's second `delete --force` (after `delete`) finds nothing and
	# must not fail: containerd logs a warning when it does.
	! grep -F "nsbox: container 'nsbox-t1' does not exist" "$CD/containerd.log" ||
		fail "delete --force of a deleted container failed"
}

@test "containerd: the exit status propagates" {
	runc_flags
	run --separate-stderr c run "${RUNC[@]}" --rm "$IMG" nsbox-t2 sh -c 'exit 3'
	assert_status 3
	run -127 --separate-stderr c run "${RUNC[@]}" --rm "$IMG" nsbox-t3 /no/such/command
	assert_status 127
}

@test "containerd: run -d, task ls, ps, exec, kill, delete" {
	runc_flags
	run --separate-stderr c run "${RUNC[@]}" -d "$IMG" nsbox-t4 \
		sh -c 'trap "exit 42" TERM; while :; do sleep 0.1; done'
	assert_success
	run --separate-stderr c task ls
	assert_success
	assert_output_matches 'nsbox-t4 +[0-9]+ +RUNNING'

	# Through `nsbox ps --format json`: the init process and its sleep.
	local pid
	pid=$(c task ls | awk '$1 == "nsbox-t4" { print $2 }')
	run --separate-stderr c task ps nsbox-t4
	assert_success
	[ -n "$(awk -v p="$pid" '$1 == p' <<<"$output")" ] || fail "expected the task's pid $pid in ctr task ps"
	[ "$(wc -l <<<"$output")" -ge 3 ] || fail "expected the header, the init and its sleep"

	run --separate-stderr c task exec --fifo-dir "$CD/fifo" --exec-id e1 nsbox-t4 \
		sh -c 'echo from exec $(cat /proc/1/cmdline | tr "\0" " "); exit 5'
	assert_status 5
	assert_output_contains "from exec sh -c trap"

	# SIGTERM (ctr's default) reaches the process: its trap exits 42.
	run --separate-stderr c task kill nsbox-t4
	assert_success
	wait_until 10 eval '[[ "$(c task ls)" == *STOPPED* ]]' || fail "the task did not stop"
	run c task delete nsbox-t4
	assert_success
	assert_output_contains "exit code 42"
	run --separate-stderr c container rm nsbox-t4
	assert_success
	[ -z "$(ls -A "$CD/runc/default" 2>/dev/null)" ] || fail "nsbox state left: $(ls "$CD/runc/default")"
}

@test "containerd: ctr run -t gets a terminal" {
	runc_flags
	local cmd
	printf -v cmd '%q ' ctr --address "$CD_SOCK" run "${RUNC[@]}" -t --rm "$IMG" nsbox-t5 \
		sh -c 'tty; test -t 0 && test -t 1 && echo stdio-is-a-tty; exit 6'
	# No size check: ctr resizes the pty only after `start` (ctr 1.6,
	# run and task exec alike), which races the command, with runc too.
	run env SHELL=/bin/bash script -qec "stty rows 24 cols 80 && exec $cmd" /dev/null </dev/null
	assert_status 6
	assert_output_contains /dev/pts/0
	assert_output_contains stdio-is-a-tty
}

@test "containerd: ctr task exec -t gets a terminal" {
	runc_flags
	run --separate-stderr c run "${RUNC[@]}" -d "$IMG" nsbox-t8 \
		sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
	assert_success
	local cmd
	printf -v cmd '%q ' ctr --address "$CD_SOCK" task exec --fifo-dir "$CD/fifo" -t --exec-id e2 \
		nsbox-t8 sh -c 'tty; test -t 0 && test -t 1 && echo stdio-is-a-tty; exit 7'
	# No size check, as for ctr run -t.
	run env SHELL=/bin/bash script -qec "stty rows 33 cols 90 && exec $cmd" /dev/null </dev/null
	assert_status 7
	assert_output_contains /dev/pts/
	assert_output_contains stdio-is-a-tty
	run --separate-stderr c task kill -s KILL nsbox-t8
	assert_success
}

# No test of `ctr run --uidmap`: ctr 1.6 then sends task options holding only
# the io uid/gid, which replace the --runc-binary and --runc-root options, so
# the shim runs the real runc (in /run/containerd/runc), not nsbox.

@test "containerd: a failing create shows nsbox's error from its --log file" {
	runc_flags
	run --separate-stderr c run "${RUNC[@]}" --rm \
		--mount type=bind,src=/no/such/source/dir,dst=/x,options=rbind:ro "$IMG" nsbox-t7 true
	[ "$status" -ne 0 ] || fail "expected ctr run to fail"
	# The shim reads the json log nsbox wrote and puts its msg in the error.
	[[ "$stderr" == *"OCI runtime create failed"*"/no/such/source/dir"* ]] ||
		fail "expected nsbox's error in ctr's"
	c container rm nsbox-t7 >/dev/null 2>&1 || true
	[ -z "$(ls -A "$CD/runc/default" 2>/dev/null)" ] || fail "nsbox state left: $(ls "$CD/runc/default")"
}

@test "containerd: ctr run --memory-limit of a memory bomb is OOM-killed (137)" {
	runc_flags
	# tail keeps the whole of an endless line without newlines.
	run --separate-stderr c run "${RUNC[@]}" --rm --memory-limit 33554432 "$IMG" nsbox-m1 tail /dev/zero
	assert_status 137
}

@test "containerd: task pause and resume, and metrics from the container's cgroup" {
	runc_flags
	run --separate-stderr c run "${RUNC[@]}" -d --memory-limit 67108864 "$IMG" nsbox-p1 sleep 1000
	assert_success
	run --separate-stderr c task pause nsbox-p1
	assert_success
	run --separate-stderr c task ls
	assert_output_matches 'nsbox-p1 +[0-9]+ +PAUSED'
	run --separate-stderr c task resume nsbox-p1
	assert_success
	run --separate-stderr c task ls
	assert_output_matches 'nsbox-p1 +[0-9]+ +RUNNING'
	run --separate-stderr c task metrics nsbox-p1
	assert_success
	assert_output_contains 67108864
	c task kill -s KILL nsbox-p1 >/dev/null
	wait_until 10 eval '[[ "$(c task ls)" == *STOPPED* ]]' || fail "the task did not stop"
	run c task delete nsbox-p1
	assert_success
}
