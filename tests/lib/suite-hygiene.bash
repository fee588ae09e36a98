# What a whole test run leaves on the host, and the clean-up of it.
# shellcheck shell=bash
#
# - nsbox's default cgroup parent, /nsbox in every hierarchy, holds each
#   container's /nsbox/ID. nsbox keeps the (empty) parent, as runc and
#   systemd keep theirs; a suite (or a bench/ script) that made it removes
#   it at its end: cg_parents_remember first, cg_parents_restore last.
# - A run killed as a whole (its runner SIGKILLed: no teardown ran) may
#   leave a bind mount of a test's temporary directory (nsbox-test.XXXXXX).
#   The next run unmounts those of directories older than an hour, which no
#   live test uses (a test directory lives for seconds or minutes).

CG_PARENTS_BEFORE=()

# The parents there are (with globbing on, whatever the caller's set -f).
cg_parents_list() {
	local d noglob=
	[[ $- != *f* ]] || noglob=1
	set +f
	for d in /sys/fs/cgroup/nsbox /sys/fs/cgroup/*/nsbox; do
		[ -d "$d" ] && printf '%s\n' "$d"
	done
	[ -z "$noglob" ] || set -f
	return 0
}

cg_parents_remember() {
	mapfile -t CG_PARENTS_BEFORE < <(cg_parents_list)
}

# Remove the parents that were not there at cg_parents_remember (only if
# empty: rmdir fails on one that holds a cgroup).
cg_parents_restore() {
	local d had p
	while read -r d; do
		had=
		for p in "${CG_PARENTS_BEFORE[@]}"; do
			[ "$p" = "$d" ] && had=1
		done
		[ -n "$had" ] || rmdir "$d" 2>/dev/null || true
	done < <(cg_parents_list)
	return 0
}

suite_hygiene_start() {
	local m top
	cg_parents_remember
	# Deepest first, so that nested mounts go before their parents.
	awk '{ print $5 }' /proc/self/mountinfo | grep -E "^${TMPDIR:-/tmp}/nsbox-test\.[A-Za-z0-9]{6}/" | sort -r |
		while read -r m; do
			top=${m#"${TMPDIR:-/tmp}"/}
			top=${TMPDIR:-/tmp}/${top%%/*}
			[ -n "$(find "$top" -maxdepth 0 -mmin +60 2>/dev/null)" ] || continue
			umount -l "$m" 2>/dev/null || true
		done
	return 0
}

suite_hygiene_end() {
	cg_parents_restore
}
