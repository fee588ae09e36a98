#!/usr/bin/env bats
# Bad input to the OCI commands, class by class: each fails with 125 and
# one message naming the place (config.json:LINE:COL, the field path, the
# path or value), and leaves nothing behind: no entry in the state root, no
# process (the container id carries the test's marker), no mount.

load helpers
load oci-helpers

# expect_create_error MESSAGE...: `create` of $B fails with 125 and
# MESSAGE..., leaving nothing behind.
expect_create_error() {
	oci create --bundle "$B" --pid-file "$T/pid" "bad-$MARKER"
	assert_error 125 "$@" || return 1
	[ ! -e "$T/pid" ] || fail "a pid file was written" || return 1
	assert_nothing_left
}

setup() {
	oci_setup
	make_sleeping_bundle
}

@test "bad JSON: the message has config.json:LINE:COL" {
	printf '{\n  "ociVersion": "1.2.0",\n  "process": {\n    "args": ["sh",]\n  }\n}\n' >"$B/config.json"
	expect_create_error "config.json:4:"
	[[ "$stderr" =~ config\.json:4:[0-9]+: ]] || fail "no LINE:COL in the message"
}

@test "bad JSON: an empty config.json" {
	: >"$B/config.json"
	expect_create_error "config.json"
}

@test "bad JSON: trailing garbage after the object" {
	echo '{"ociVersion": "1.2.0"} x' >>"$B/config.json.new"
	mv "$B/config.json.new" "$B/config.json"
	expect_create_error "config.json:1:"
}

@test "wrong type: process.args a string names process.args" {
	edit_config "$B" '.process.args = "sleep 1"'
	expect_create_error "config.json" "process.args"
}

@test "wrong type: process.args holding a number names process.args" {
	edit_config "$B" '.process.args = ["sleep", 1]'
	expect_create_error "config.json" "process.args"
}

@test "wrong type: hostname a number names hostname" {
	edit_config "$B" '.hostname = 5'
	expect_create_error "config.json" "hostname"
}

@test "wrong type: process.env an object names process.env" {
	edit_config "$B" '.process.env = {"A": "b"}'
	expect_create_error "config.json" "process.env"
}

@test "wrong type: root.readonly a string names root.readonly" {
	edit_config "$B" '.root.readonly = "yes"'
	expect_create_error "config.json" "root.readonly"
}

@test "wrong type: linux.namespaces an object names linux.namespaces" {
	edit_config "$B" '.linux.namespaces = {"type": "pid"}'
	expect_create_error "config.json" "linux.namespaces"
}

@test "missing root directory: the message names root.path and the path" {
	edit_config "$B" '.root.path = "no-such-rootfs"'
	expect_create_error "root.path" "$B/no-such-rootfs"
}

@test "root.path that is a file, not a directory" {
	edit_config "$B" '.root.path = "config.json"'
	expect_create_error "root.path" "not a directory"
}

@test "no root object" {
	edit_config "$B" 'del(.root)'
	expect_create_error "config.json" "root"
}

@test "empty process.args" {
	edit_config "$B" '.process.args = []'
	expect_create_error "config.json" "process.args"
}

@test "no process.args" {
	edit_config "$B" 'del(.process.args)'
	expect_create_error "config.json" "process.args"
}

@test "overlapping uidMappings (inside ranges)" {
	edit_config "$B" '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 10}, {"containerID": 5, "hostID": 200000, "size": 10}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 10}]'
	expect_create_error "config.json" "linux.uidMappings" "overlap"
}

@test "overlapping uidMappings (outside ranges)" {
	edit_config "$B" '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 10}, {"containerID": 20, "hostID": 100005, "size": 10}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 10}]'
	expect_create_error "config.json" "linux.uidMappings" "overlap"
}

@test "overlapping gidMappings" {
	edit_config "$B" '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 10}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 10}, {"containerID": 9, "hostID": 300000, "size": 1}]'
	expect_create_error "config.json" "linux.gidMappings" "overlap"
}

@test "unknown namespace type" {
	edit_config "$B" '.linux.namespaces += [{"type": "bogus"}]'
	expect_create_error "config.json" "linux.namespaces" "bogus"
}

@test "a namespace listed twice" {
	edit_config "$B" '.linux.namespaces += [{"type": "pid"}]'
	expect_create_error "config.json" "linux.namespaces" "pid"
}

@test "a namespace path that does not exist" {
	edit_config "$B" '.linux.namespaces = [.linux.namespaces[] | if .type == "network" then .path = "/proc/no/such/ns" else . end]'
	expect_create_error "/proc/no/such/ns"
}

@test "process.commandLine (Windows only) is refused" {
	edit_config "$B" 'del(.process.args) | .process.commandLine = "sleep 1"'
	expect_create_error "config.json" "process"
}

@test "bad signal name: kill fails with 125, the container is untouched" {
	local id="sig-$MARKER"
	create_running "$id"
	oci kill "$id" NOSUCHSIG
	assert_error 125 "NOSUCHSIG"
	assert_equal "running" "$(state_field "$id" status)" "status"
	pid_alive "$PID" || fail "the container died"
	oci_ok delete --force "$id"
	assert_nothing_left
}

@test "no config.json in the bundle" {
	rm "$B/config.json"
	expect_create_error "config.json"
}

@test "a --bundle that does not exist" {
	oci create --bundle "$T/no-such-bundle" "bad-$MARKER"
	assert_error 125 "$T/no-such-bundle"
	assert_nothing_left
}

@test "process.terminal true without --console-socket: create fails clearly" {
	edit_config "$B" '.process.terminal = true'
	expect_create_error "terminal" "--console-socket"
}

@test "process.terminal true without --console-socket: run -d fails clearly" {
	edit_config "$B" '.process.terminal = true'
	oci run -d --bundle "$B" "bad-$MARKER"
	assert_error 125 "terminal" "--console-socket"
	assert_nothing_left
}

@test "a --console-socket nobody listens on" {
	edit_config "$B" '.process.terminal = true'
	oci create --bundle "$B" --console-socket "$T/nobody.sock" "bad-$MARKER"
	assert_error 125 "$T/nobody.sock"
	assert_nothing_left
}

@test "a --pid-file in a directory that does not exist" {
	oci create --bundle "$B" --pid-file "$T/no/such/dir/pid" "bad-$MARKER"
	assert_error 125 "$T/no/such/dir/pid"
	assert_nothing_left
}

@test "a failing createRuntime hook: create fails, nothing left behind" {
	edit_config "$B" '.hooks.createRuntime = [{"path": "/bin/sh", "args": ["sh", "-c", "exit 3"]}]'
	expect_create_error "createRuntime" "3"
}

@test "exec --process with bad JSON names the file, LINE:COL" {
	local id="xp-$MARKER"
	create_running "$id"
	printf '{"args": ["true"],\n "cwd": }\n' >"$T/process.json"
	oci exec --process "$T/process.json" "$id"
	assert_error 125 "$T/process.json:2:"
	printf '{"args": "true"}\n' >"$T/process.json"
	oci exec --process "$T/process.json" "$id"
	assert_error 125 "args"
	oci_ok ps --format json "$id"
	assert_equal "[$PID]" "$output" "processes of the container"
}

@test "exec --user that is not a number" {
	local id="xu-$MARKER"
	create_running "$id"
	oci exec --user nobody "$id" true
	assert_error 125 "--user" "nobody"
	oci exec --env NOEQUALS "$id" true
	assert_error 125 "--env" "NOEQUALS"
}
