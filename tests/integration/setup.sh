#!/bin/sh
# Prepare the environment the integration tests run in. Run as root; safe to
# run again. Usage: tests/integration/setup.sh ENVDIR
#
#   - creates the unprivileged user nsbox-test (kept afterwards) with a
#     subordinate uid/gid range 200000-265535 in /etc/subuid and /etc/subgid;
#   - builds a busybox root filesystem in ENVDIR/rootfs;
#   - copies the nsbox binary ($NSBOX, default <repo>/build/nsbox) to
#     ENVDIR/bin/nsbox, so that the test user can run it even when the repo
#     lives somewhere it cannot reach (such as /root);
#   - copies the security tests' probe ($NSBOX_PROBE, default
#     tests/security/nsbox-probe next to nsbox in its build dir), when it
#     is built, to ENVDIR/bin/nsbox-probe for the same reason.
set -eu

envdir=${1:?usage: setup.sh ENVDIR}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
nsbox=${NSBOX:-$repo/build/nsbox}
probe=${NSBOX_PROBE:-$(dirname "$nsbox")/tests/security/nsbox-probe}
user='nsbox-test'
subid_start=200000
subid_end=265535

if [ "$(id -u)" -ne 0 ]; then
	echo "setup.sh: must run as root" >&2
	exit 1
fi
if [ ! -x "$nsbox" ]; then
	echo "setup.sh: nsbox binary '$nsbox' missing (build it: meson compile -C build, or set NSBOX)" >&2
	exit 1
fi

# The tools the tests use, from Debian packages (scripts/install-deps.sh).
missing=
for tool in bats busybox newuidmap newgidmap setpriv script ip ipcmk ipcs ps mountpoint nsenter mkfifo mknod sha256sum timeout; do
	command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
	echo "setup.sh: missing tools:$missing (run scripts/install-deps.sh)" >&2
	exit 1
fi

if ! id -u "$user" >/dev/null 2>&1; then
	useradd -m -s /bin/sh -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$user"
fi

# A range for the user in /etc/subuid and /etc/subgid, unless it has one.
touch /etc/subuid /etc/subgid
if ! grep -q "^$user:" /etc/subuid; then
	usermod --add-subuids "$subid_start-$subid_end" "$user"
fi
if ! grep -q "^$user:" /etc/subgid; then
	usermod --add-subgids "$subid_start-$subid_end" "$user"
fi

mkdir -p "$envdir"
envdir=$(cd "$envdir" && pwd)
chmod 0755 "$envdir"

# Rebuild the root filesystem from scratch so a stale one never lingers.
rm -rf --one-file-system "$envdir/rootfs.new"
sh "$repo/tests/lib/make-rootfs.sh" "$envdir/rootfs.new"
rm -rf --one-file-system "$envdir/rootfs"
mv "$envdir/rootfs.new" "$envdir/rootfs"
chmod 0755 "$envdir/rootfs"

mkdir -p "$envdir/bin"
cp "$nsbox" "$envdir/bin/nsbox.new"
chmod 0755 "$envdir/bin" "$envdir/bin/nsbox.new"
mv -f "$envdir/bin/nsbox.new" "$envdir/bin/nsbox"
if [ -x "$probe" ]; then
	cp "$probe" "$envdir/bin/nsbox-probe.new"
	chmod 0755 "$envdir/bin/nsbox-probe.new"
	mv -f "$envdir/bin/nsbox-probe.new" "$envdir/bin/nsbox-probe"
else
	echo "setup.sh: no probe at '$probe': tests/security will fail (build it: meson compile -C build)" >&2
fi

# The test user must reach ENVDIR: every parent directory needs search (x)
# permission for others. Report it rather than change permissions outside.
d=$envdir
while [ "$d" != / ]; do
	if ! runuser -u "$user" -- test -x "$d"; then
		echo "setup.sh: user $user cannot enter '$d'; choose an ENVDIR it can reach (such as /tmp/nsbox-test-env)" >&2
		exit 1
	fi
	d=$(dirname "$d")
done

echo "setup.sh: environment ready in $envdir (user $user, subids $(grep "^$user:" /etc/subuid | head -n1))"
