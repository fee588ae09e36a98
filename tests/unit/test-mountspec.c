/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for spec/mountspec.c: the --bind and --tmpfs specs. */
#include "spec/config.h"
#include "tap.h"

#include <errno.h>
#include <string.h>

static void check_bind(const char *text, const char *src, const char *dst, unsigned flags)
{
	struct nb_mount m;
	struct nb_error err;

	memset(&m, 0xa5, sizeof(m));
	nb_error_clear(&err);
	if (!tap_is_int(nb_mount_parse_bind(text, &m, &err), 0, "bind '%s' parses", text)) {
		tap_diag("message: %s", err.msg);
		return;
	}
	tap_is_int(m.kind, NB_MOUNT_BIND, "bind '%s' kind is BIND", text);
	tap_is_str(m.source, src, "bind '%s' source", text);
	tap_is_str(m.dest, dst, "bind '%s' dest", text);
	tap_is_int(m.flags, flags, "bind '%s' flags", text);
	tap_ok(m.data == NULL, "bind '%s' has no data", text);
	nb_mount_clear(&m);
	tap_ok(m.source == NULL && m.dest == NULL && m.data == NULL, "bind '%s' clear empties it", text);
}

static void check_bad(bool bind, const char *text, const char *msg)
{
	struct nb_mount m;
	struct nb_error err;
	const char *what = bind ? "bind" : "tmpfs";
	int r;

	memset(&m, 0, sizeof(m));
	nb_error_clear(&err);
	r = bind ? nb_mount_parse_bind(text, &m, &err) : nb_mount_parse_tmpfs(text, &m, &err);
	tap_is_int(r, -EINVAL, "%s '%s' fails with -EINVAL", what, text);
	tap_is_str(err.msg, msg, "%s '%s' message", what, text);
	tap_is_int(err.kind, NB_ERR_USAGE, "%s '%s' is a usage error", what, text);
	tap_ok(m.source == NULL && m.dest == NULL && m.data == NULL,
	       "%s '%s' leaves the mount empty", what, text);
	if (r == 0)
		nb_mount_clear(&m);
}

static void check_tmpfs(const char *text, const char *dst, const char *data)
{
	struct nb_mount m;
	struct nb_error err;

	memset(&m, 0xa5, sizeof(m));
	nb_error_clear(&err);
	if (!tap_is_int(nb_mount_parse_tmpfs(text, &m, &err), 0, "tmpfs '%s' parses", text)) {
		tap_diag("message: %s", err.msg);
		return;
	}
	tap_is_int(m.kind, NB_MOUNT_TMPFS, "tmpfs '%s' kind is TMPFS", text);
	tap_ok(m.source == NULL, "tmpfs '%s' has no source", text);
	tap_is_str(m.dest, dst, "tmpfs '%s' dest", text);
	tap_is_str(m.data, data, "tmpfs '%s' data", text);
	tap_is_int(m.flags, NB_MNT_NOSUID | NB_MNT_NODEV, "tmpfs '%s' is nosuid,nodev", text);
	nb_mount_clear(&m);
}

static void test_bind(void)
{
	check_bind("/src:/dst", "/src", "/dst", NB_MNT_RECURSIVE);
	check_bind("/src:/dst:ro", "/src", "/dst", NB_MNT_RECURSIVE | NB_MNT_RDONLY);
	check_bind("/src:/dst:rw", "/src", "/dst", NB_MNT_RECURSIVE);
	check_bind("/home/u/data:/mnt/data:ro", "/home/u/data", "/mnt/data",
		   NB_MNT_RECURSIVE | NB_MNT_RDONLY);
	check_bind("relative/src:/dst", "relative/src", "/dst", NB_MNT_RECURSIVE);
	check_bind("/a:/", "/a", "/", NB_MNT_RECURSIVE);
	check_bind("/a:/x/..y/y..", "/a", "/x/..y/y..", NB_MNT_RECURSIVE);
	check_bind("/a:/x/.../y", "/a", "/x/.../y", NB_MNT_RECURSIVE);

	check_bad(true, "/src", "--bind '/src': expected SRC:DST[:ro]");
	check_bad(true, "", "--bind '': expected SRC:DST[:ro]");
	check_bad(true, ":/dst", "--bind ':/dst': expected SRC:DST[:ro]");
	check_bad(true, "/src:", "--bind '/src:': expected SRC:DST[:ro]");
	check_bad(true, ":", "--bind ':': expected SRC:DST[:ro]");
	check_bad(true, "/src:/dst:rx", "--bind '/src:/dst:rx': unknown option 'rx' (ro or rw)");
	check_bad(true, "/src:/dst:", "--bind '/src:/dst:': unknown option '' (ro or rw)");
	check_bad(true, "/src:/dst:ro:x", "--bind '/src:/dst:ro:x': unknown option 'ro:x' (ro or rw)");
	check_bad(true, "/src:/dst:RO", "--bind '/src:/dst:RO': unknown option 'RO' (ro or rw)");
	check_bad(true, "/src:dst", "--bind '/src:dst': destination 'dst' must be an absolute path");
	check_bad(true, "/src:./dst", "--bind '/src:./dst': destination './dst' must be an absolute path");
	check_bad(true, "/src::ro", "--bind '/src::ro': destination '' must be an absolute path");
	check_bad(true, "/src:/a/../etc", "--bind '/src:/a/../etc': destination must not contain '..'");
	check_bad(true, "/src:/..", "--bind '/src:/..': destination must not contain '..'");
	check_bad(true, "/src:/a/..", "--bind '/src:/a/..': destination must not contain '..'");
	check_bad(true, "/src:/a//../b:ro", "--bind '/src:/a//../b:ro': destination must not contain '..'");
}

static void test_tmpfs(void)
{
	check_tmpfs("/scratch", "/scratch", "mode=1777");
	check_tmpfs("/scratch:size=64m", "/scratch", "mode=1777,size=67108864");
	check_tmpfs("/run/x:size=4096", "/run/x", "mode=1777,size=4096");
	check_tmpfs("/t:size=1k", "/t", "mode=1777,size=1024");
	check_tmpfs("/t:size=2G", "/t", "mode=1777,size=2147483648");
	check_tmpfs("/t:nr_inodes=64", "/t", "mode=1777,nr_inodes=64");
	check_tmpfs("/t:size=1m,nr_inodes=1k", "/t", "mode=1777,size=1048576,nr_inodes=1024");
	check_tmpfs("/t:nr_inodes=10,size=4096,mode=0700", "/t", "mode=0700,nr_inodes=10,size=4096");
	check_tmpfs("/t:mode=755", "/t", "mode=0755");
	check_tmpfs("/t:mode=0", "/t", "mode=0000");

	check_bad(false, "", "--tmpfs '': expected DST[:OPT,...] (size=N, nr_inodes=N, mode=OCTAL)");
	check_bad(false, ":size=1m", "--tmpfs ':size=1m': expected DST[:OPT,...] (size=N, nr_inodes=N, mode=OCTAL)");
	check_bad(false, "scratch", "--tmpfs 'scratch': destination 'scratch' must be an absolute path");
	check_bad(false, "/a/../b", "--tmpfs '/a/../b': destination must not contain '..'");
	check_bad(false, "/t:size=0",
		  "--tmpfs '/t:size=0': size must be a positive number of bytes, optionally with k, m or g");
	check_bad(false, "/t:size=",
		  "--tmpfs '/t:size=': size must be a positive number of bytes, optionally with k, m or g");
	check_bad(false, "/t:size=12q",
		  "--tmpfs '/t:size=12q': size must be a positive number of bytes, optionally with k, m or g");
	check_bad(false, "/t:size=-1m",
		  "--tmpfs '/t:size=-1m': size must be a positive number of bytes, optionally with k, m or g");
	check_bad(false, "/t:size=99999999999g",
		  "--tmpfs '/t:size=99999999999g': size must be a positive number of bytes, "
		  "optionally with k, m or g");
	check_bad(false, "/t:", "--tmpfs '/t:': unknown option '' (size=N, nr_inodes=N, mode=OCTAL)");
	check_bad(false, "/t:size=1m,", "--tmpfs '/t:size=1m,': unknown option '' (size=N, nr_inodes=N, mode=OCTAL)");
	check_bad(false, "/t:size=1m,,mode=1", "--tmpfs '/t:size=1m,,mode=1': unknown option '' (size=N, nr_inodes=N, mode=OCTAL)");
	check_bad(false, "/t:SIZE=1m", "--tmpfs '/t:SIZE=1m': unknown option 'SIZE=1m' (size=N, nr_inodes=N, mode=OCTAL)");
	check_bad(false, "/t:uid=0", "--tmpfs '/t:uid=0': unknown option 'uid=0' (size=N, nr_inodes=N, mode=OCTAL)");
	check_bad(false, "/t:size=1m,size=2m", "--tmpfs '/t:size=1m,size=2m': option 'size' given twice");
	check_bad(false, "/t:nr_inodes=0",
		  "--tmpfs '/t:nr_inodes=0': nr_inodes must be a positive number, optionally with k, m or g");
	check_bad(false, "/t:nr_inodes=x",
		  "--tmpfs '/t:nr_inodes=x': nr_inodes must be a positive number, optionally with k, m or g");
	check_bad(false, "/t:mode=0800", "--tmpfs '/t:mode=0800': mode must be octal, 0 to 7777");
	check_bad(false, "/t:mode=17777", "--tmpfs '/t:mode=17777': mode must be octal, 0 to 7777");
	check_bad(false, "/t:mode=", "--tmpfs '/t:mode=': mode must be octal, 0 to 7777");
	check_bad(false, "/t:mode=-1", "--tmpfs '/t:mode=-1': mode must be octal, 0 to 7777");
}

static void test_nb_config_add_mount(void)
{
	struct nb_config cfg;
	struct nb_mount m;
	struct nb_error err;

	nb_config_init(&cfg);
	nb_mount_parse_bind("/a:/b:ro", &m, &err);
	tap_is_int(nb_config_add_mount(&cfg, &m, &err), 0, "add a parsed bind to a config");
	nb_mount_clear(&m);
	nb_mount_parse_tmpfs("/t:size=1m", &m, &err);
	tap_is_int(nb_config_add_mount(&cfg, &m, &err), 0, "add a parsed tmpfs to a config");
	nb_mount_clear(&m);
	tap_is_int((long long)cfg.n_mounts, 2, "config holds two mounts");
	tap_is_str(cfg.mounts[0].source, "/a", "config keeps its own copy of the bind source");
	tap_is_str(cfg.mounts[0].dest, "/b", "config keeps its own copy of the bind dest");
	tap_is_str(cfg.mounts[1].data, "mode=1777,size=1048576", "config keeps the tmpfs data");
	nb_config_free(&cfg);
}

int main(void)
{
	test_bind();
	test_tmpfs();
	test_nb_config_add_mount();
	return tap_done();
}
