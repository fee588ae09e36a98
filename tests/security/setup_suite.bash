# bats runs setup_suite before the first test file of this directory and
# teardown_suite after the last, even when tests fail.
# shellcheck shell=bash

# shellcheck source=tests/lib/suite-hygiene.bash
source "$(dirname "${BASH_SOURCE[0]}")/../lib/suite-hygiene.bash"

setup_suite() {
	suite_hygiene_start
}

teardown_suite() {
	suite_hygiene_end
}
