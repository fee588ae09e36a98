#!/usr/bin/env bats
# What real engines hand to their OCI runtime, replayed: the config.json
# files, exec process files and command lines (calls.txt) that containerd's
# CRI plugin, podman with conmon, and ctr gave runc 1.1.5, captured in
# tests/fixtures/engines (see its README.md). Each fixture gets a rootfs,
# namespace paths and bind sources of the test's own (a CRI container joins
# the namespaces of its pod sandbox, which the test runs first from the
# matching sandbox fixture), then the engine's calls run, with the
# engine's own --log FILE --log-format json, under nsbox and, next to it,
# under runc on the same inputs. The test writes down, call by call, what
# runc gives (exit status, the process really running in the right
# namespaces, its output, the error words engines parse) and requires
# nsbox to give the same: each test compares the two transcripts, and the
# expected transcript in the test is runc's.
#
# Resource limits are compared where the container can read them in its
# own cgroup (the CRI container's limits, ctr's memory limit, `update`);
# `pause` and `resume`, which the engines also called, have tests of their
# own.

load helpers
load oci-helpers
load runc-helpers

FX=${NSBOX_ENGINE_FIXTURES:-$NSBOX_REPO/tests/fixtures/engines}

setup() {
	oci_setup || return 1
	runc_setup || return 1
	[ -f "$FX/cri/calls.txt" ] || die_setup "no engine fixtures in $FX" || return 1
	[ -x "$NSBOX_RECVTTY" ] || die_setup "no $NSBOX_RECVTTY (meson compile builds tests/helpers)" || return 1
	ENG=$T/eng          # the engines' own directories (@ROOT@, @STATE@...)
	mkdir -p "$ENG"
}

# ---------------------------------------------------------------------------
# Fixtures into bundles

# The files a config binds that the engine would have written.
make_bind_sources() {
	local cfg=$1 src dest
	while IFS=$'\t' read -r src dest; do
		[ -e "$src" ] && continue
		mkdir -p "$(dirname "$src")"
		case $dest in
		/etc/hostname) echo "fx-host" >"$src" ;;
		/etc/hosts) printf '127.0.0.1\tlocalhost\n::1\tlocalhost\n' >"$src" ;;
		/etc/resolv.conf) echo "nameserver 127.0.0.1" >"$src" ;;
		/run/.containerenv) echo 'engine="podman-4.3.1"' >"$src" ;;
		/etc/passwd) { cat "$ROOTFS/etc/passwd"; echo "fx-user:x:1000:0:fx user:/home/fx-user:/bin/sh"; } >"$src" ;;
		/etc/group) cp "$ROOTFS/etc/group" "$src" ;;
		*) mkdir -p "$src" ;;
		esac
	done < <(jq -r '.mounts[]? | select(.type == "bind" or ((.options // []) | index("bind") or index("rbind")))
		| [.source, .destination] | @tsv' "$cfg")
}

# fixture_bundle RUNTIME FIXTURE NAME [JQ-FILTER [JQ-ARGS...]]: the bundle
# $T/RUNTIME/NAME (also $B) from FIXTURE (e.g. cri/container-plain.json):
# a copy of the busybox rootfs, the placeholders replaced by paths under $T,
# a /proc/PID/ns/* path by the test's pod ($POD_PID), the pause image's
# command by "sleep $MARKER", and $MARKER added as $0 of an "sh -c" command
# (to find the test's processes). For runc, a cgroupsPath of the test's
# own. Then JQ-FILTER.
fixture_bundle() {
	local r=$1 fx=$2 name=$3
	shift 3
	B=$T/$r/$name
	mkdir -p "$B" && cp -a "$ROOTFS" "$B/rootfs" || die_setup "cannot make $B" || return 1
	sed -e "s#@ROOTFS@#$B/rootfs#g" -e "s#@BUNDLE@#$B#g" -e "s#@ROOT@#$ENG/root#g" \
		-e "s#@STATE@#$ENG/state#g" -e "s#@HOSTPATH@#$ENG/hostpath#g" \
		-e "s#@PODLOGS@#$ENG/podlogs#g" -e "s#@XDG_RUNTIME_DIR@#$ENG/xdg#g" \
		-e "s#@TMPDIR@#$ENG/tmp#g" -e "s#/proc/[0-9]*/ns/#/proc/${POD_PID:-0}/ns/#g" \
		"$FX/$fx" >"$B/config.json" || die_setup "cannot read $FX/$fx" || return 1
	edit_config "$B" '
		if .process.args == ["/pause"] then .process.args = ["sleep", $m]
		elif .process.args[0:2] == ["sh", "-c"] then .process.args += [$m]
		else . end' --arg m "$MARKER" || return 1
	if [ "$r" = runc ]; then
		runc_cgroups "$B" "$name" || return 1
	else
		# The engine's own path, under a root of the test's (concurrent
		# runs, and the cleanup): /nsbox-cri-MARKER/kubepods/pod.../ID.
		edit_config "$B" 'if (.linux.cgroupsPath // "") | startswith("/") then .linux.cgroupsPath = $p + .linux.cgroupsPath else . end' \
			--arg p "/nsbox-cri-$MARKER" || return 1
	fi
	if [ $# -gt 0 ]; then
		edit_config "$B" "$@" || return 1
	fi
	make_bind_sources "$B/config.json"
}

# netns_file PATH: a network namespace bound on PATH (as CNI makes them),
# unmounted at teardown.
netns_file() {
	[ -e "$1" ] && return 0
	mkdir -p "$(dirname "$1")" && touch "$1" && track_mount "$1" &&
		unshare --net="$1" true || die_setup "cannot make a network namespace at $1"
}

# exec_process FIXTURE [JQ-FILTER [JQ-ARGS...]]: an exec process file
# under $T from FIXTURE (a captured one, or a config.json whose "process"
# the CRI plugin would copy), edited by JQ-FILTER; its path in $P.
exec_process() {
	local src=$1
	shift
	P=$T/process.$RANDOM.json
	if jq -e '.process' "$src" >/dev/null 2>&1; then
		jq '.process' "$src" >"$P"
	else
		cp "$src" "$P"
	fi
	if [ $# -gt 0 ]; then
		jq "$@" "$P" >"$P.new" && mv "$P.new" "$P" || die_setup "jq on $P"
	fi
}

# ---------------------------------------------------------------------------
# Transcripts: what each call gave, one line each, to compare nsbox with runc

# last_log FILE: the msg of the last JSON line of a --log file.
last_log() {
	tail -n 1 "$1" 2>/dev/null | jq -r '.msg // empty' 2>/dev/null
}

# call RUNTIME WHAT ARGS...: run ARGS with RUNTIME and note "WHAT: ok" or
# "WHAT: failed". With $WORDS set, a failure also notes whether the error
# (--log file $LOGF, else stderr) holds them, as the engines look for them.
call() {
	local r=$1 what=$2 msg before=0
	shift 2
	[ -n "${LOGF-}" ] && [ -f "$LOGF" ] && before=$(wc -l <"$LOGF")
	rt "$r" "$@"
	if [ "$status" -eq 0 ]; then
		note "$what: ok"
		return 0
	fi
	msg=$stderr
	# This call's own log line, not an earlier one's.
	[ -n "${LOGF-}" ] && [ -f "$LOGF" ] && [ "$(wc -l <"$LOGF")" -gt "$before" ] && msg=$(last_log "$LOGF")
	msg=${msg%%$'\n'*}
	if [ -n "${WORDS-}" ] && [[ "$msg" == *"$WORDS"* ]]; then
		note "$what: failed, '$WORDS'"
	else
		note "$what: failed ($msg)"
	fi
}

# running RUNTIME ID PIDFILE: note that the pid file names the process of
# the state and that it lives.
note_running() {
	local r=$1 id=$2 pidfile=$3 pid
	pid=$(cat "$pidfile" 2>/dev/null)
	if [ -n "$pid" ] && [ "$pid" = "$(rt_state "$r" "$id" pid)" ] && pid_alive "$pid"; then
		note "running: pid file = state pid, alive"
	else
		note "running: NO (pid file '$pid', state pid '$(rt_state "$r" "$id" pid)')"
	fi
	CPID=$pid
}

# note_ns PID WHAT TYPE...: whether PID's namespaces of each TYPE are
# POD_PID's ("pod"), the host's ("host"), the one bound at $NETNS_FILE
# ("cni") or its own ("own").
note_ns() {
	local pid=$1 what=$2 t mine words=''
	shift 2
	for t in "$@"; do
		mine=$(readlink "/proc/$pid/ns/$t" 2>/dev/null)
		if [ -z "$mine" ]; then
			words+=" $t=?"
		elif [ -n "${POD_PID-}" ] && [ "$mine" = "$(readlink "/proc/$POD_PID/ns/$t")" ]; then
			words+=" $t=pod"
		elif [ "$mine" = "$(readlink "/proc/self/ns/$t")" ]; then
			words+=" $t=host"
		elif [ -n "${NETNS_FILE-}" ] && [ "$mine" = "$t:[$(stat -L -c %i "$NETNS_FILE")]" ]; then
			words+=" $t=cni"
		else
			words+=" $t=own"
		fi
	done
	note "$what:$words"
}

# wait_stopped RUNTIME ID: until the state says stopped; noted if it never does.
wait_stopped() {
	wait_until 10 rt_status_is "$1" "$2" stopped || note "$2 not stopped (status '$(rt_state "$1" "$2" status)')"
}

# wait_exit PIDFILE: until the process named in PIDFILE has gone.
wait_exit() {
	local p
	p=$(cat "$1" 2>/dev/null) || return 1
	wait_until 10 pid_dead "$p"
}

# ns_members: the live processes of the container's pid namespace
# ($CPID's), zombies aside (a detached exec's process waits for the host's
# init to reap it), one per line.
ns_members() {
	local p ns
	ns=$(readlink "/proc/$CPID/ns/pid")
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		[ "$(readlink "/proc/$p/ns/pid" 2>/dev/null)" = "$ns" ] && pid_alive "$p" && echo "$p"
	done | sort -n
}

# note_ps JSON BEFORE: whether `ps --format json` listed every process of
# the container that lived both before the call (BEFORE, from ns_members)
# and after it, and no live process that is not the container's. The
# fixture's loop forks a `sleep 1` every second, and a scan of /proc takes
# about that long: a process that came or went meanwhile proves nothing.
note_ps() {
	local listed after missing='' extra='' stable='' p
	listed=$(jq -r '.[]' <<<"$1" 2>/dev/null)
	after=$(ns_members)
	for p in $2; do
		grep -qx "$p" <<<"$after" || continue
		stable+="$p "
		grep -qx "$p" <<<"$listed" || missing+="$p "
	done
	for p in $listed; do
		pid_alive "$p" && ! grep -qx "$p" <<<"$after" && extra+="$p "
	done
	if [ -n "$stable" ] && [ -z "$missing$extra" ]; then
		note "ps: every live process of the container"
	else
		note "ps: listed '$(echo $listed)'; missing '$missing' of '$stable'; not the container's '$extra'"
	fi
}

# receiver NAME: nsbox-recvtty on $T/NAME.sock, copying the pty to
# $T/NAME.out; $RECV is its pid.
receiver() {
	"$NSBOX_RECVTTY" "$T/$1.sock" 20 >"$T/$1.out" 2>"$T/$1.err" 3>&- &
	RECV=$!
	track_pid "$RECV"
	wait_until 5 test -S "$T/$1.sock" || fail "the receiver did not listen on $T/$1.sock"
}

# note_tty NAME: the receiver's status and what it read (no CRs).
note_tty() {
	local r=0
	wait "$RECV" || r=$?
	note "pty: receiver status $r, read '$(tr -d '\r' <"$T/$1.out" | tr '\n' '|')'"
}

# ---------------------------------------------------------------------------
# CRI (containerd 1.6's CRI plugin, as kubelet drives it)

# cri_call RUNTIME WHAT ARGS...: as the shim calls: --log $B/log.json --log-format json.
cri_call() {
	local r=$1 what=$2
	shift 2
	LOGF=$B/log.json call "$r" "$what" --log "$B/log.json" --log-format json "$@"
}

# start_pod RUNTIME FIXTURE: the pod sandbox (pause replaced by a sleep)
# created and started as the shim does; POD_PID, POD_ID, POD_B.
start_pod() {
	local r=$1 fx=$2
	POD_PID=
	POD_ID=pod-$r-$MARKER
	if [ "$fx" = cri/sandbox-podnet.json ]; then
		NETNS_FILE=$ENG/state/io.containerd.grpc.v1.cri/netns/cni-9c9ec666-0bfa-efa7-62f5-376a48a2e279
		netns_file "$NETNS_FILE" || return 1
	fi
	fixture_bundle "$r" "$fx" "pod" || return 1
	POD_B=$B
	cri_call "$r" "pod create" create --bundle "$B" --pid-file "$B/init.pid" "$POD_ID"
	cri_call "$r" "pod start" start "$POD_ID"
	note_running "$r" "$POD_ID" "$B/init.pid"
	note_ns "$CPID" "pod namespaces" pid ipc uts net mnt
	POD_PID=$CPID
}

# stop_pod RUNTIME: the pod's teardown (crictl stopp, rmp).
stop_pod() {
	local r=$1
	B=$POD_B
	cri_call "$r" "pod kill 9" kill "$POD_ID" 9
	wait_stopped "$r" "$POD_ID"
	cri_call "$r" "pod kill --all 9" kill --all "$POD_ID" 9
	cri_call "$r" "pod delete" delete "$POD_ID"
	cri_call "$r" "pod delete --force" delete --force "$POD_ID"
}

# cri_container RUNTIME FIXTURE NAME EXEC-ARGS-JSON: in the pod that
# start_pod made: create, start, check it runs in the pod's namespaces
# (its own pid and mount namespaces), one `exec --detach` of a process
# the CRI plugin derives from the container's (its args EXEC-ARGS-JSON),
# and the pod teardown's calls for a running container: kill 9, kill
# --all 9, delete, delete --force.
cri_container() {
	local r=$1 fx=$2 name=$3 args=$4 id=$3-$1-$MARKER
	fixture_bundle "$r" "$fx" "$name" || return 1
	cri_call "$r" "create" create --bundle "$B" --pid-file "$B/init.pid" "$id"
	cri_call "$r" "start" start "$id"
	note_running "$r" "$id" "$B/init.pid"
	note_ns "$CPID" "namespaces" pid mnt ipc uts net
	exec_process "$B/config.json" '.args = $a' --argjson a "$args"
	cri_call "$r" "exec --detach" exec --process "$P" --detach --pid-file "$B/exec1.pid" "$id"
	wait_exit "$B/exec1.pid"
	note "exec output: $(tr '\n' '|' <"$OCI_OUT")"
	cri_call "$r" "kill 9" kill "$id" 9
	wait_stopped "$r" "$id"
	cri_call "$r" "kill --all 9 (stopped)" kill --all "$id" 9
	cri_call "$r" "delete" delete "$id"
	cri_call "$r" "delete --force (gone)" delete --force "$id"
}

# One container in one pod, for RUNTIME.
pod_with() {
	local r=$1 pod=$2
	shift 2
	start_pod "$r" "$pod" || return 1
	cri_container "$r" "$@"
	stop_pod "$r"
}

# The transcript of pod_with, the container's exec output being OUT.
cri_expected() {
	cat <<-EOF
		pod create: ok
		pod start: ok
		running: pid file = state pid, alive
		pod namespaces: pid=own ipc=own uts=$1 net=$2 mnt=own
		create: ok
		start: ok
		running: pid file = state pid, alive
		namespaces: pid=own mnt=own ipc=pod uts=pod net=pod
		exec --detach: ok
		exec output: $3
		kill 9: ok
		kill --all 9 (stopped): ok
		delete: ok
		delete --force (gone): ok
		pod kill 9: ok
		pod kill --all 9: ok
		pod delete: ok
		pod delete --force: ok
	EOF
}

# container-plain: the whole life of calls.txt, section 1: create, start,
# exec -s, exec, exec -it, (update: its own test), stop (kill 15; the
# container traps TERM and exits 0), kill --all 9, delete, delete --force;
# then a kill and an exec of the exited container (runc: "container not
# running", "cannot exec in a stopped container").
plain_life() {
	local r=$1 id=plain-$1-$MARKER
	start_pod "$r" cri/sandbox-hostnet.json || return 1
	fixture_bundle "$r" cri/container-plain.json plain || return 1
	cri_call "$r" "create" create --bundle "$B" --pid-file "$B/init.pid" "$id"
	cri_call "$r" "start" start "$id"
	note_running "$r" "$id" "$B/init.pid"
	note_ns "$CPID" "namespaces" pid mnt ipc uts net
	exec_process "$FX/cri/exec-sync-process.json"
	cri_call "$r" "exec -s" exec --process "$P" --detach --pid-file "$B/e1.pid" "$id"
	wait_exit "$B/e1.pid"
	note "exec -s output: $(tr '\n' '|' <"$OCI_OUT")"
	exec_process "$FX/cri/exec-process.json"
	cri_call "$r" "exec" exec --process "$P" --detach --pid-file "$B/e2.pid" "$id"
	wait_exit "$B/e2.pid"
	note "exec output: $(tr '\n' '|' <"$OCI_OUT")"
	receiver "$r-x"
	exec_process "$FX/cri/exec-process-tty.json"
	cri_call "$r" "exec -it" exec --process "$P" --console-socket "$T/$r-x.sock" --detach --pid-file "$B/e3.pid" "$id"
	note_tty "$r-x"
	cri_call "$r" "kill 15" kill "$id" 15
	wait_stopped "$r" "$id"
	cri_call "$r" "kill --all 9" kill --all "$id" 9
	WORDS="container not running" cri_call "$r" "kill 9 (exited)" kill "$id" 9
	exec_process "$FX/cri/exec-process.json"
	WORDS="cannot exec in a stopped container" cri_call "$r" "exec (exited)" exec --process "$P" --detach --pid-file "$B/e4.pid" "$id"
	cri_call "$r" "delete" delete "$id"
	cri_call "$r" "delete --force (gone)" delete --force "$id"
	stop_pod "$r"
}

@test "cri container-plain in sandbox-hostnet: create, start, exec -s, exec, exec -it, stop, kill --all, delete (as runc)" {
	both plain_life
	compare_transcripts "pod create: ok
pod start: ok
running: pid file = state pid, alive
pod namespaces: pid=own ipc=own uts=host net=host mnt=own
create: ok
start: ok
running: pid file = state pid, alive
namespaces: pid=own mnt=own ipc=pod uts=pod net=pod
exec -s: ok
exec -s output: exec-sync|uid=0(root) gid=0(root) groups=0(root)|
exec: ok
exec output: exec-stream|uid=0(root) gid=0(root) groups=0(root)|
exec -it: ok
pty: receiver status 0, read '/dev/pts/0|'
kill 15: ok
kill --all 9: ok
kill 9 (exited): failed, 'container not running'
exec (exited): failed, 'cannot exec in a stopped container'
delete: ok
delete --force (gone): ok
pod kill 9: ok
pod kill --all 9: ok
pod delete: ok
pod delete --force: ok
"
	assert_clean
}

# The shim's calls once a container's process has exited (checkProcesses:
# kill --all ID 9 for a container with its own pid namespace, then
# delete, delete --force).
exited_life() {
	local r=$1 id=ex-$1-$MARKER
	fixture_bundle "$r" ctr/run-rm.json ex || return 1
	cri_call "$r" "create" create --bundle "$B" --pid-file "$B/init.pid" "$id"
	cri_call "$r" "start" start "$id"
	wait_stopped "$r" "$id"
	cri_call "$r" "kill --all 9 (exited)" kill --all "$id" 9
	WORDS="container not running" cri_call "$r" "kill 9 (exited)" kill "$id" 9
	cri_call "$r" "delete" delete "$id"
	cri_call "$r" "delete --force" delete --force "$id"
}

@test "kill --all ID 9 of a container whose process exited succeeds, as runc (containerd's shim calls it after every exit); kill ID 9 fails with 'container not running'" {
	both exited_life
	compare_transcripts "create: ok
start: ok
kill --all 9 (exited): ok
kill 9 (exited): failed, 'container not running'
delete: ok
delete --force: ok
"
	assert_clean
}

@test "cri sandbox-podnet (a CNI network namespace by path) and container-podnet (as runc)" {
	both pod_with cri/sandbox-podnet.json cri/container-podnet.json podnet '["sh", "-c", "echo exec; hostname"]'
	compare_transcripts "$(cri_expected own cni 'exec|fx-podnet|')
"
	umount "$NETNS_FILE"
	assert_clean
}

@test "cri container-resources (64Mi, 500m CPU, oomScoreAdj 985): the limits in its own cgroup, as runc's" {
	# Read inside, where /sys/fs/cgroup shows the container's own cgroup.
	both pod_with cri/sandbox-hostnet.json cri/container-resources.json res \
		'["sh", "-c", "cat /proc/1/oom_score_adj; cd /sys/fs/cgroup; cat memory/memory.limit_in_bytes memory/memory.memsw.limit_in_bytes cpu/cpu.shares cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us"]'
	compare_transcripts "$(cri_expected host host '985|67108864|67108864|256|50000|100000|')
"
	assert_clean
}

@test "cri sandbox-privileged and container-privileged (all devices, all capabilities, rw /sys) run (as runc)" {
	both pod_with cri/sandbox-privileged.json cri/container-privileged.json priv \
		'["sh", "-c", "grep CapBnd /proc/self/status; test -c /dev/kvm && test -b /dev/loop0 && echo devices; awk \"\\$5 == \\\"/sys\\\" { print substr(\\$6, 1, 2) }\" /proc/self/mountinfo"]'
	compare_transcripts "$(cri_expected host host 'CapBnd:	000001fffeffffff|devices|rw|')
"
	assert_clean
}

@test "cri container-hostpath: the hostPath volume on /data, read and written both ways (as runc)" {
	mkdir -p "$ENG/hostpath"
	echo from-host >"$ENG/hostpath/in"
	both pod_with cri/sandbox-hostnet.json cri/container-hostpath.json hostpath \
		'["sh", "-c", "cat /data/in; echo from-container > /data/out-$$"]'
	compare_transcripts "$(cri_expected host host 'from-host|')
"
	assert_equal 2 "$(ls "$ENG"/hostpath/out-* | wc -l)" "files the two containers wrote on the host"
	assert_equal "from-container" "$(cat "$(ls "$ENG"/hostpath/out-* | head -1)")" "content"
	assert_clean
}

@test "cri container-restricted: read-only root, uid 1000, only NET_BIND_SERVICE, seccomp RuntimeDefault (as runc)" {
	both pod_with cri/sandbox-hostnet.json cri/container-restricted.json restricted \
		'["sh", "-c", "id; grep -E \"CapEff|Seccomp:\" /proc/self/status; touch /x 2>&1; (echo > /etc/hosts) 2>&1; true"]'
	compare_transcripts "$(cri_expected host host 'uid=1000 gid=0(root) groups=0(root)|CapEff:	0000000000000000|Seccomp:	2|touch: /x: Read-only file system|sh: can'"'"'t create /etc/hosts: Read-only file system|')
"
	assert_clean
}

# container-tty: create with --console-socket, start; sh prompts on its pty.
tty_life() {
	local r=$1 id=tty-$1-$MARKER
	start_pod "$r" cri/sandbox-hostnet.json || return 1
	fixture_bundle "$r" cri/container-tty.json tty || return 1
	receiver "$r-c"
	cri_call "$r" "create --console-socket" create --bundle "$B" --pid-file "$B/init.pid" --console-socket "$T/$r-c.sock" "$id"
	cri_call "$r" "start" start "$id"
	note_running "$r" "$id" "$B/init.pid"
	wait_until 5 grep -q '# ' "$T/$r-c.out" && note "prompt on the pty" || note "no prompt: $(cat -v "$T/$r-c.out")"
	note "controlling tty of sh: $(awk '{print ($7 != 0) ? "yes" : "no"}' "/proc/$CPID/stat" 2>/dev/null)"
	cri_call "$r" "kill 9" kill "$id" 9
	wait_stopped "$r" "$id"
	local rs=0
	wait "$RECV" || rs=$?
	note "receiver status $rs"
	cri_call "$r" "kill --all 9" kill --all "$id" 9
	cri_call "$r" "delete" delete "$id"
	cri_call "$r" "delete --force" delete --force "$id"
	stop_pod "$r"
}

@test "cri container-tty: create --console-socket, the shell prompts on its pty (as runc)" {
	both tty_life
	compare_transcripts "pod create: ok
pod start: ok
running: pid file = state pid, alive
pod namespaces: pid=own ipc=own uts=host net=host mnt=own
create --console-socket: ok
start: ok
running: pid file = state pid, alive
prompt on the pty
controlling tty of sh: yes
kill 9: ok
receiver status 0
kill --all 9: ok
delete: ok
delete --force: ok
pod kill 9: ok
pod kill --all 9: ok
pod delete: ok
pod delete --force: ok
"
	assert_clean
}

# `crictl update --memory 134217728`: the shim pipes update-resources.json
# into `update --resources - ID`.
update_life() {
	local r=$1 id=upd-$1-$MARKER
	start_pod "$r" cri/sandbox-hostnet.json || return 1
	fixture_bundle "$r" cri/container-plain.json upd || return 1
	cri_call "$r" "create" create --bundle "$B" --pid-file "$B/init.pid" "$id"
	cri_call "$r" "start" start "$id"
	OCI_STDIN=$FX/cri/update-resources.json cri_call "$r" "update --resources -" update --resources - "$id"
	exec_process "$B/config.json" '.args = ["cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes"]'
	cri_call "$r" "exec --detach" exec --process "$P" --detach --pid-file "$B/exec1.pid" "$id"
	wait_exit "$B/exec1.pid"
	note "memory limit after update: $(tr '\n' '|' <"$OCI_OUT")"
	note_running "$r" "$id" "$B/init.pid"
	cri_call "$r" "kill 9" kill "$id" 9
	wait_stopped "$r" "$id"
	cri_call "$r" "delete" delete "$id"
	stop_pod "$r"
}

@test "cri update --resources - (update-resources.json on stdin) sets the new limit, as runc" {
	both update_life
	compare_transcripts "pod create: ok
pod start: ok
running: pid file = state pid, alive
pod namespaces: pid=own ipc=own uts=host net=host mnt=own
create: ok
start: ok
update --resources -: ok
exec --detach: ok
memory limit after update: 134217728|
running: pid file = state pid, alive
kill 9: ok
delete: ok
pod kill 9: ok
pod kill --all 9: ok
pod delete: ok
pod delete --force: ok
"
	assert_clean
}

# ---------------------------------------------------------------------------
# podman 4.3 with conmon (root, cgroupfs, --network none)

# conmon's calls: --log-format=json --log FILE before create and exec;
# podman's own (start, kill, delete...) have no --log.
conmon_call() {
	local r=$1 what=$2 log=$3
	shift 3
	mkdir -p "$(dirname "$log")"
	LOGF=$log call "$r" "$what" --log-format=json --log "$log" "$@"
}

# podman run [--rm] with a command that ends: create, start, its output,
# delete --force. FIXTURE NAME [console].
podman_run() {
	local r=$1 fx=$2 name=$3 tty=${4-} id=$3-$1-$MARKER out
	fixture_bundle "$r" "$fx" "$name" || return 1
	if [ -n "$tty" ]; then
		receiver "$r-$name"
		conmon_call "$r" "create --console-socket" "$B/oci-log" create --bundle "$B" --pid-file "$B/pidfile" \
			--console-socket "$T/$r-$name.sock" "$id"
	else
		conmon_call "$r" "create" "$B/oci-log" create --bundle "$B" --pid-file "$B/pidfile" "$id"
	fi
	out=$OCI_OUT
	call "$r" "start" start "$id"
	wait_stopped "$r" "$id"
	if [ -n "$tty" ]; then
		note_tty "$r-$name"
	else
		note "output: $(tr '\n' '|' <"$out")"
	fi
	call "$r" "delete --force" delete --force "$id"
}

@test "podman run-rm: create, start, output, delete --force (as runc)" {
	both podman_run podman/run-rm.json rm
	compare_transcripts "create: ok
start: ok
output: hello|uid=0(root) gid=0(root)|
delete --force: ok
"
	assert_clean
}

@test "podman run-it: create --console-socket, tty on the pty (as runc)" {
	both podman_run podman/run-it.json it console
	compare_transcripts "create --console-socket: ok
start: ok
pty: receiver status 0, read '/dev/pts/0|'
delete --force: ok
"
	assert_clean
}

@test "podman run-privileged: all devices (fileMode with the type bits, as podman writes it), all capabilities (as runc)" {
	both podman_run podman/run-privileged.json priv
	compare_transcripts "create: ok
start: ok
output: CapEff:	000001fffeffffff|
delete --force: ok
"
	assert_clean
}

@test "podman run-restricted: read-only root, uid 1000, no capability, tmpcopyup tmpfs (as runc)" {
	both podman_run podman/run-restricted.json restricted
	compare_transcripts "create: ok
start: ok
output: uid=1000(fx-user) gid=0(root) groups=0(root)|CapEff:	0000000000000000|touch: /x: Read-only file system|
delete --force: ok
"
	assert_clean
}

# podman run -d; exec; exec -it; (pause, resume: their own test); stop
# (kill 15); rm (delete --force). FIXTURE NAME.
podman_life() {
	local r=$1 fx=$2 name=$3 id=$3-$1-$MARKER e1 e2
	fixture_bundle "$r" "$fx" "$name" || return 1
	conmon_call "$r" "create" "$B/oci-log" create --bundle "$B" --pid-file "$B/pidfile" "$id"
	call "$r" "start" start "$id"
	note_running "$r" "$id" "$B/pidfile"
	note_ns "$CPID" "namespaces" pid mnt ipc uts net
	e1=$B/exec1
	mkdir -p "$e1"
	exec_process "$FX/podman/exec-process.json"
	cp "$P" "$e1/exec-process-1"
	conmon_call "$r" "exec --detach" "$e1/oci-log" exec --pid-file "$e1/exec_pid" --process "$e1/exec-process-1" --detach "$id"
	wait_exit "$e1/exec_pid"
	note "exec output: $(tr '\n' '|' <"$OCI_OUT")"
	e2=$B/exec2
	mkdir -p "$e2"
	exec_process "$FX/podman/exec-process-tty.json"
	cp "$P" "$e2/exec-process-2"
	receiver "$r-$name"
	conmon_call "$r" "exec --detach --tty --console-socket" "$e2/oci-log" exec --pid-file "$e2/exec_pid" \
		--process "$e2/exec-process-2" --detach --tty --console-socket "$T/$r-$name.sock" "$id"
	note_tty "$r-$name"
	call "$r" "kill 15" kill "$id" 15
	wait_stopped "$r" "$id"
	call "$r" "delete --force" delete --force "$id"
}

@test "podman run-detach (fx-life): create, start, exec, exec -it, stop, rm (as runc)" {
	both podman_life podman/run-detach.json life
	compare_transcripts "create: ok
start: ok
running: pid file = state pid, alive
namespaces: pid=own mnt=own ipc=own uts=own net=own
exec --detach: ok
exec output: exec|uid=0(root) gid=0(root)|
exec --detach --tty --console-socket: ok
pty: receiver status 0, read '/dev/pts/0|'
kill 15: ok
delete --force: ok
"
	assert_clean
}

@test "podman run-detach-resources (32M memory, 50% CPU, 50 pids): runs, exec, stop (as runc)" {
	# The limits themselves: podman.bats (a memory bomb, update, stats) and
	# the CRI container-resources test here, read inside the container.
	both podman_life podman/run-detach-resources.json res
	compare_transcripts "create: ok
start: ok
running: pid file = state pid, alive
namespaces: pid=own mnt=own ipc=own uts=own net=own
exec --detach: ok
exec output: exec|uid=0(root) gid=0(root)|
exec --detach --tty --console-socket: ok
pty: receiver status 0, read '/dev/pts/0|'
kill 15: ok
delete --force: ok
"
	assert_clean
}

# podman pause/resume of fx-life.
pause_life() {
	local r=$1 id=pause-$1-$MARKER
	fixture_bundle "$r" podman/run-detach.json pause || return 1
	conmon_call "$r" "create" "$B/oci-log" create --bundle "$B" --pid-file "$B/pidfile" "$id"
	call "$r" "start" start "$id"
	call "$r" "pause" pause "$id"
	note "status: $(rt_state "$r" "$id" status)"
	call "$r" "resume" resume "$id"
	note "status: $(rt_state "$r" "$id" status)"
	call "$r" "kill 15" kill "$id" 15
	wait_stopped "$r" "$id"
	call "$r" "delete --force" delete --force "$id"
}

@test "podman pause and resume (fx-life): paused, then running again (as runc)" {
	both pause_life
	compare_transcripts "create: ok
start: ok
pause: ok
status: paused
resume: ok
status: running
kill 15: ok
delete --force: ok
"
	assert_clean
}

# podman rootless: podman runs the runtime as root of its own user
# namespace (its pause process's: 0 -> the user, 1... -> the subids), with
# XDG_RUNTIME_DIR set; the config has no user namespace of its own. The
# test holds such a namespace, made by the user nsbox-test with unshare,
# and every call enters it with nsenter, as podman's do.

# rl_userns: the user namespace ($RL_PID holds it).
rl_userns() {
	(cd / && exec "${AS_USER[@]}" unshare --user --map-root-user --map-auto sleep "$MARKER") &
	RL_PID=$!
	wait_until 5 eval '[ "$(wc -l </proc/$RL_PID/uid_map)" -ge 2 ]' ||
		die_setup "no user namespace with the subids (unshare --map-auto)"
}

# rl_call RUNTIME WHAT ARGS...: `RUNTIME --root DIR ARGS` as root of that
# user namespace, noted as `call` does.
rl_call() {
	local r=$1 what=$2 bin=$USER_NSBOX
	shift 2
	[ "$r" = runc ] && bin=$RUNC
	RL_N=$((${RL_N:-0} + 1))
	OCI_OUT=$T/rl-out.$RL_N
	status=0
	(cd / && exec "${AS_USER[@]}" nsenter --user --target "$RL_PID" env XDG_RUNTIME_DIR="$ENG/xdg" \
		"$bin" --root "$T/rl-$r" "$@") </dev/null >"$OCI_OUT" 2>"$T/rl-err.$RL_N" 3>&- || status=$?
	stderr=$(head -n 1 "$T/rl-err.$RL_N")
	if [ "$status" -eq 0 ]; then
		note "$what: ok"
	else
		note "$what: failed ($(last_log "$B/oci-log" || true) $stderr)"
	fi
}

rl_state() {
	(cd / && exec "${AS_USER[@]}" nsenter --user --target "$RL_PID" "$([ "$1" = runc ] && echo "$RUNC" || echo "$USER_NSBOX")" \
		--root "$T/rl-$1" state "$2") 2>/dev/null </dev/null | jq -r '.status // empty'
}

rl_stopped() { [ "$(rl_state "$1" "$2")" = stopped ]; }

rootless_run() {
	local r=$1 id=rl-$1-$MARKER out
	# Not the test's cgroups: a rootless runc cannot make any, and
	# ignores that (there are no limits).
	fixture_bundle "$r" podman/rootless-run-rm.json rootless 'del(.linux.cgroupsPath)' || return 1
	chown -R "$(test_user_uid):$(test_user_gid)" "$B"
	mkdir -p "$T/rl-$r" "$ENG/xdg" && chown "$(test_user_uid):$(test_user_gid)" "$T/rl-$r" "$ENG/xdg"
	rl_call "$r" "create" --log-format=json --log "$B/oci-log" create --bundle "$B" --pid-file "$B/pidfile" "$id"
	out=$OCI_OUT
	rl_call "$r" "start" start "$id"
	wait_until 10 rl_stopped "$r" "$id" || note "not stopped: $(rl_state "$r" "$id")"
	note "output: $(tr '\n' '|' <"$out" | tr -s ' ')"
	rl_call "$r" "delete --force" delete --force "$id"
}

@test "podman rootless-run-rm: as root of the user's namespace (uid 0 -> nsbox-test, subids), no user namespace in the config (as runc)" {
	rl_userns
	both rootless_run
	compare_transcripts "create: ok
start: ok
output: hello|uid=0(root) gid=0(root)| 0 $(test_user_uid) 1| 1 $(subid_start) $(($(subid_count) - 1))|
delete --force: ok
"
	assert_equal "" "$(ls -A "$T/rl-nsbox")" "nsbox's state root"
	kill "$RL_PID" && { wait "$RL_PID" 2>/dev/null || true; }
	assert_clean
}

# ---------------------------------------------------------------------------
# ctr run (containerd 1.6's shim, --runc-binary)

# ctr run FIXTURE NAME [console]: create, start, exit, delete, delete --force.
ctr_run() {
	local r=$1 fx=$2 name=$3 tty=${4-} id=$3-$1-$MARKER out
	shift $(($# < 4 ? $# : 4))
	fixture_bundle "$r" "$fx" "$name" "$@" || return 1
	if [ -n "$tty" ]; then
		receiver "$r-$name"
		cri_call "$r" "create --console-socket" create --bundle "$B" --pid-file "$B/init.pid" \
			--console-socket "$T/$r-$name.sock" "$id"
	else
		cri_call "$r" "create" create --bundle "$B" --pid-file "$B/init.pid" "$id"
	fi
	out=$OCI_OUT
	cri_call "$r" "start" start "$id"
	wait_stopped "$r" "$id"
	if [ -n "$tty" ]; then
		note_tty "$r-$name"
	else
		note "output line 1: $(head -n 1 "$out")"
	fi
	cri_call "$r" "delete" delete "$id"
	cri_call "$r" "delete --force" delete --force "$id"
}

@test "ctr run-rm (fx-rm): create, start, output, delete, delete --force (as runc)" {
	both ctr_run ctr/run-rm.json rm
	compare_transcripts "create: ok
start: ok
output line 1: hello
delete: ok
delete --force: ok
"
	assert_clean
}

@test "ctr run-memory-limit (fx-mem, 64Mi): the container's own memory cgroup has the limit (as runc)" {
	# The fixture's command greps /proc/self/cgroup, whose paths differ
	# between the two runs: it reads the limit in its own cgroup instead,
	# through a cgroup mount (ctr's spec has none; v1 and hybrid, or v2).
	both ctr_run ctr/run-memory-limit.json mem "" '.process.args = ["sh", "-c",
		"cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max", $m]
		| .mounts += [{"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
			"options": ["ro", "nosuid", "noexec", "nodev"]}]' --arg m "$MARKER"
	compare_transcripts "create: ok
start: ok
output line 1: 67108864
delete: ok
delete --force: ok
"
	assert_clean
}

@test "ctr run-tty (fx-tty): create --console-socket, tty on the pty (as runc)" {
	both ctr_run ctr/run-tty.json tty console
	compare_transcripts "create --console-socket: ok
start: ok
pty: receiver status 0, read '/dev/pts/0|'
delete: ok
delete --force: ok
"
	assert_clean
}

# ctr run -d; task exec; task exec -t; task ps; (pause, resume); task kill
# (15); task rm (delete, delete --force).
ctr_life() {
	local r=$1 id=life-$1-$MARKER before
	fixture_bundle "$r" ctr/run-detach.json life || return 1
	cri_call "$r" "create" create --bundle "$B" --pid-file "$B/init.pid" "$id"
	cri_call "$r" "start" start "$id"
	note_running "$r" "$id" "$B/init.pid"
	note_ns "$CPID" "namespaces" pid mnt ipc uts net
	exec_process "$FX/ctr/exec-process.json"
	cri_call "$r" "exec --detach" exec --process "$P" --detach --pid-file "$B/fx-exec1.pid" "$id"
	wait_exit "$B/fx-exec1.pid"
	note "exec output: $(tr '\n' '|' <"$OCI_OUT")"
	receiver "$r-x"
	exec_process "$FX/ctr/exec-process-tty.json"
	cri_call "$r" "exec --console-socket --detach" exec --process "$P" --console-socket "$T/$r-x.sock" --detach --pid-file "$B/fx-exec2.pid" "$id"
	note_tty "$r-x"
	before=$(ns_members)
	cri_call "$r" "ps --format json" ps --format json "$id"
	note_ps "$output" "$before"
	cri_call "$r" "kill 15" kill "$id" 15
	wait_stopped "$r" "$id"
	cri_call "$r" "delete" delete "$id"
	cri_call "$r" "delete --force" delete --force "$id"
}

@test "ctr run-detach (fx-life): create, start, exec, exec -t, ps, kill, delete (as runc)" {
	both ctr_life
	compare_transcripts "create: ok
start: ok
running: pid file = state pid, alive
namespaces: pid=own mnt=own ipc=own uts=own net=own
exec --detach: ok
exec output: exec|uid=0(root) gid=0(root) groups=0(root)|
exec --console-socket --detach: ok
pty: receiver status 0, read '/dev/pts/0|'
ps --format json: ok
ps: every live process of the container
kill 15: ok
delete: ok
delete --force: ok
"
	assert_clean
}
