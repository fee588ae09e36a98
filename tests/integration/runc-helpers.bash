# Side-by-side runs of runc for the OCI conformance tests
# (oci-engines.bats, oci-conformance.bats). Loaded after helpers.bash and
# oci-helpers.bash; call runc_setup from setup().
#
# runc gets a private state root ($RUNC_STATE, under $T) and, as it always
# makes cgroups, a cgroupsPath under /nsbox-runc-$MARKER (runc_cgroups):
# teardown deletes every runc container of the test and removes those
# cgroups in every hierarchy, even when the test failed.
#
# CAUTION: runc with a config WITHOUT a mount namespace makes its mounts in
# the host's mount namespace and leaves them behind. Only hand runc configs
# with "mount" in linux.namespaces (runc_do refuses the others).
#
#   RUNC   the runc binary (default: runc in PATH)

RUNC=${RUNC:-$(command -v runc || true)}

runc_setup() {
	[ -n "$RUNC" ] && [ -x "$RUNC" ] || die_setup "runc missing (scripts/install-deps.sh installs it)" || return 1
	RUNC_STATE=$T/runc-state
	RUNC_N=0
	RUNC_CGROUP=nsbox-runc-$MARKER
	on_teardown 'runc_cleanup'
}

# Delete every runc container of the test, then its cgroups (runc removes a
# container's own cgroup but not the parents it made).
runc_cleanup() {
	local id d
	if [ -n "${RUNC_STATE-}" ] && [ -d "$RUNC_STATE" ]; then
		for id in $("$RUNC" --root "$RUNC_STATE" list -q 2>/dev/null </dev/null); do
			"$RUNC" --root "$RUNC_STATE" delete --force "$id" >/dev/null 2>&1 </dev/null || true
		done
	fi
	[ -n "${RUNC_CGROUP-}" ] || return 0
	# nsbox's runs of engine fixtures: under /nsbox-cri-MARKER (oci-engines.bats).
	for d in /sys/fs/cgroup/*/"$RUNC_CGROUP" /sys/fs/cgroup/"$RUNC_CGROUP" \
		/sys/fs/cgroup/*/nsbox-cri-"$MARKER" /sys/fs/cgroup/nsbox-cri-"$MARKER"; do
		[ -d "$d" ] || continue
		find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
	done
}

# runc_cgroups DIR NAME: give DIR/config.json a cgroupsPath of the test's
# own (/nsbox-runc-$MARKER/NAME), which runc_cleanup removes.
runc_cgroups() {
	edit_config "$1" '.linux.cgroupsPath = $p' --arg p "/$RUNC_CGROUP/$2"
}

# runc_do ARGS...: run `runc --root $RUNC_STATE ARGS` as `oci` runs nsbox:
# $status, $output, $stderr; stdout and stderr in the files $OCI_OUT and
# $OCI_ERR (a container made by this command writes there). A create or run
# of a bundle whose config has no mount namespace is refused (see above).
runc_do() {
	local a bundle='' i
	for ((i = 1; i <= $#; i++)); do
		a=${!i}
		case $a in
		--bundle | -b) i=$((i + 1)); bundle=${!i} ;;
		--bundle=*) bundle=${a#--bundle=} ;;
		esac
	done
	if [ -n "$bundle" ] && ! jq -e '.linux.namespaces | any(.type == "mount")' "$bundle/config.json" >/dev/null; then
		die_setup "runc_do: refusing to run runc on $bundle: no mount namespace (runc would mount on the host)"
		return 1
	fi
	RUNC_N=$((RUNC_N + 1))
	OCI_OUT=$T/runc-out.$RUNC_N
	OCI_ERR=$T/runc-err.$RUNC_N
	status=0
	"$RUNC" --root "$RUNC_STATE" "$@" <"${OCI_STDIN:-/dev/null}" >"$OCI_OUT" 2>"$OCI_ERR" 3>&- || status=$?
	output=$(tr -d '\0' <"$OCI_OUT")
	stderr=$(cat "$OCI_ERR")
}

# rt RUNTIME ARGS...: `oci ARGS` (nsbox) or `runc_do ARGS` by RUNTIME.
rt() {
	local which=$1
	shift
	case $which in
	nsbox) oci "$@" ;;
	runc) runc_do "$@" ;;
	*) die_setup "rt: unknown runtime '$which'" ;;
	esac
}

# rt_state RUNTIME ID FIELD: a field of `RUNTIME state ID`.
rt_state() {
	local root=$STATE bin=$NSBOX
	if [ "$1" = runc ]; then
		root=$RUNC_STATE bin=$RUNC
	fi
	"$bin" --root "$root" state "$2" 2>/dev/null </dev/null | jq -r --arg f "$3" '.[$f] // empty'
}

rt_status_is() { [ "$(rt_state "$1" "$2" status)" = "$3" ]; }

# rt_wait_status RUNTIME ID STATUS [SECONDS]
rt_wait_status() {
	wait_until "${4:-10}" rt_status_is "$1" "$2" "$3" ||
		fail "$1: container $2 did not become $3 (status: $(rt_state "$1" "$2" status))"
}

# ---------------------------------------------------------------------------
# Transcripts: what each step gave, one line each, to compare nsbox with runc

# note LINE: add LINE to the current runtime's transcript.
note() { TRANSCRIPT+="$1"$'\n'; }

# assert_clean: nothing of nsbox's (assert_nothing_left) nor of runc's left.
assert_clean() {
	assert_nothing_left || return 1
	assert_equal "" "$("$RUNC" --root "$RUNC_STATE" list -q 2>/dev/null)" "runc containers left"
}

# compare_transcripts EXPECTED: nsbox's and runc's transcripts both equal
# EXPECTED (the one written in the test is runc's).
compare_transcripts() {
	local want=$1 ok=0
	if [ "$want" != "$TR_runc" ]; then
		echo "runc's transcript differs from the test's (runc changed?):" >&2
		diff <(echo "$want") <(echo "$TR_runc") | sed 's/^/  /' >&2
		ok=1
	fi
	if [ "$want" != "$TR_nsbox" ]; then
		echo "nsbox's transcript differs from runc's:" >&2
		diff <(echo "$want") <(echo "$TR_nsbox") | sed 's/^/  /' >&2
		ok=1
	fi
	return "$ok"
}

# For each runtime: TRANSCRIPT, run FUNCTION RUNTIME ARGS..., keep it in
# TR_nsbox or TR_runc.
both() {
	local fn=$1 r
	shift
	TR_nsbox='' TR_runc=''
	for r in nsbox runc; do
		TRANSCRIPT=
		"$fn" "$r" "$@"
		printf -v "TR_$r" '%s' "$TRANSCRIPT"
	done
}
