#!/bin/sh
# Install the dependencies of nsbox from Debian packages. Run as root on
# Debian 12 (bookworm). Safe to run again: apt-get skips what is installed.
#   install-deps.sh          everything: build, tests, fuzzing, benchmarks
#   install-deps.sh build    only what building (and the demo) needs
set -eu

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps.sh: must run as root" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive

# clang and bpftool build the BPF programs (src/bpf) into libbpf skeletons;
# libbpf-dev, libelf-dev and zlib1g-dev hold the static archives nsbox links
# to load them (Debian 12's libelf.a needs no zstd).
# libnl-3-dev and libnl-route-3-dev: the static netlink libraries of the
# networking (bridges, veth pairs, addresses, routes); libnftables-dev: the
# NAT helper nsbox-nat, linked dynamically (libnftables has no archive).
# libpcap-dev: the unit tests run seccomp programs in its classic BPF
# interpreter for ABIs the kernel lacks (tests/unit/seccomp_sim.h).
build="gcc pkg-config meson ninja-build libpcap-dev
       libjansson-dev libseccomp-dev libcap-dev libnl-3-dev libnl-route-3-dev
       libmnl-dev libnftables-dev
       clang bpftool libbpf-dev libelf-dev zlib1g-dev"
# podman (with conmon and catatonit, its --init and rootless pause process)
# and containerd drive nsbox as their OCI runtime in tests/integration/
# podman.bats and containerd.bats. They pull in containernetworking-plugins
# and iptables, which the tests never use (podman runs with --network none).
# runc runs next to nsbox in oci-engines.bats and oci-conformance.bats, which
# also make an ext4 image (e2fsprogs).
# qemu-system-x86, cpio, kmod and xz-utils: the pure cgroup v2 VM
# (tests/vm/v2vm.sh) in which the cgroup tests run again.
# network.bats: nftables (its nft reads the ruleset; nsbox never runs it),
# passt (pasta) and slirp4netns for rootless networking.
test="bats busybox-static uidmap iproute2 procps util-linux passwd jq
      podman conmon catatonit containerd runc e2fsprogs
      qemu-system-x86 cpio kmod xz-utils
      nftables passt slirp4netns
     "
bench="hyperfine bubblewrap crun runc"
# The fuzz targets (tests/fuzz, scripts/fuzz.sh): clang (above) with its
# sanitizer and libFuzzer runtimes (libclang-rt-dev, only recommended by
# clang), and llvm for llvm-symbolizer (readable stack traces).
fuzz="libclang-rt-dev llvm"

# The package lists may be stale or absent on a fresh machine.
apt-get update -qq
if [ "${1-}" = build ]; then
	test="procps iproute2 passt"   # the demo's ps and ip; pasta for --net pasta
	bench=""
	fuzz=""
fi
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $build $test $bench $fuzz >/dev/null
echo "install-deps.sh: dependencies installed"
