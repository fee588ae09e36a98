#!/bin/sh
# Install every build, test and benchmark dependency of nsbox from Debian packages.
# Run as root on Debian 12 (bookworm). Safe to run again: apt-get skips what is installed.
set -eu

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps.sh: must run as root" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive

build="gcc pkg-config meson ninja-build
       libjansson-dev libseccomp-dev libcap-dev libmnl-dev libnftables-dev"
test="bats busybox-static uidmap iproute2 procps util-linux passwd
     "
bench="hyperfine bubblewrap crun runc"

# The package lists may be stale or absent on a fresh machine.
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $build $test $bench >/dev/null
echo "install-deps.sh: dependencies installed"
