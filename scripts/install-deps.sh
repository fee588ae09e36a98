#!/bin/sh
# Install the dependencies of nsbox from Debian packages. Run as root on
# Debian 12 (bookworm). Safe to run again: apt-get skips what is installed.
#   install-deps.sh          everything: build, tests, benchmarks
#   install-deps.sh build    only what building (and the demo) needs
set -eu

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps.sh: must run as root" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive

build="gcc pkg-config meson ninja-build
       libjansson-dev libseccomp-dev libcap-dev libmnl-dev libnftables-dev"
# podman (with conmon and catatonit, its --init and rootless pause process)
# and containerd drive nsbox as their OCI runtime in tests/integration/
# podman.bats and containerd.bats. They pull in containernetworking-plugins
# and iptables, which the tests never use (podman runs with --network none).
test="bats busybox-static uidmap iproute2 procps util-linux passwd jq
      podman conmon catatonit containerd
     "
bench="hyperfine bubblewrap crun runc"

# The package lists may be stale or absent on a fresh machine.
apt-get update -qq
if [ "${1-}" = build ]; then
	test="procps iproute2"   # the demo's ps and ip
	bench=""
fi
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $build $test $bench >/dev/null
echo "install-deps.sh: dependencies installed"
