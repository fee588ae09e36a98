#!/usr/bin/env bats
# The command line: help and version.

load helpers

@test "nsbox --help prints the usage and the commands, exit 0" {
	run_nsbox --help
	assert_success
	assert_output_contains "Usage: nsbox"
	assert_output_matches $'\n  run +run a command'
	assert_stderr_empty
}

@test "nsbox --version prints the version, exit 0" {
	run_nsbox --version
	assert_success
	assert_output_matches '^nsbox version [0-9]+\.[0-9]+\.[0-9]+'
	assert_stderr_empty
}

@test "nsbox run --help lists every option, exit 0" {
	run_nsbox run --help
	assert_success
	assert_output_contains "Usage: nsbox run [OPTIONS] [--] COMMAND [ARG...]"
	for opt in --userns --time-ns --share --join --netns --map-users --map-groups \
		--uid --gid --groups --rootfs --bind --tmpfs --ro --workdir --propagation \
		--hostname --env --clearenv -t --tty --no-init --profile --print-config --help; do
		assert_output_matches "(^|[ ,])$opt([ ,=]|$)"
	done
	assert_stderr_empty
}

@test "nsbox run -h is the same as --help" {
	run_nsbox run --help
	local long=$output
	run_nsbox run -h
	assert_success
	assert_equal "$long" "$output" "run -h output"
}

@test "nsbox without a command prints the usage on stderr and fails with 125" {
	run_nsbox
	assert_status 125
	assert_stderr_contains "Usage: nsbox"
	assert_equal "" "$output" "stdout"
}

@test "nsbox with an unknown command fails with 125 and a hint" {
	run_nsbox frobnicate
	assert_status 125
	assert_nsbox_error "frobnicate"
	assert_stderr_contains "Try 'nsbox --help'"
}
