/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for linux/cgroup_location.c: a relative cgroupsPath resolved
 * under the caller's own cgroup in each hierarchy, as runc resolves it,
 * and the checks of a location's paths. */
#include "linux/cgroup_location.h"
#include "tap.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* A hybrid host, as on the machine the tests run on: cgroup2 at unified,
 * cpu and cpuacct mounted together, name=systemd. */
static const struct nb_cg_hier hybrid[] = {
	{ .dir = "unified", .name = "", .root = "/", .under = NB_CG_UNDER_ROOT },
	{ .dir = "cpu,cpuacct", .name = "cpu", .root = "/" },
	{ .dir = "memory", .name = "memory", .root = "/" },
	{ .dir = "pids", .name = "pids", .root = "/" },
	{ .dir = "systemd", .name = "name=systemd", .root = "/" },
};

static void build_is(const char *rel, const char *self, const struct nb_cg_hier *h, size_t n,
		     const char *expected, const char *what)
{
	struct nb_error err = { 0 };
	char buf[NB_CG_LOCATION_MAX];
	int r = nb_cg_location_build(rel, self, h, n, buf, sizeof(buf), &err);

	tap_is_int(r, 0, "%s: resolved", what);
	tap_is_str(r == 0 ? buf : err.msg, expected, "%s: the location", what);
}

static void test_build(void)
{
	static const char same[] = "12:misc:/\n5:pids:/\n4:memory:/\n2:cpu,cpuacct:/\n1:name=systemd:/\n0::/\n";
	static const char apart[] = "5:pids:/p/\n4:memory:/process_api/391b\n2:cpu,cpuacct:/c\n"
				    "1:name=systemd:/user.slice\n0::/c\n";
	static const struct nb_cg_hier v2[] = { { .dir = "cgroup", .name = "", .root = "/", .under = NB_CG_UNDER_PARENT } };
	static const struct nb_cg_hier v1[] = {
		{ .dir = "memory", .name = "memory", .root = "/" },
		{ .dir = "cpu,cpuacct", .name = "cpuacct", .root = "/" },
	};
	static const struct nb_cg_hier nested[] = {
		{ .dir = "unified", .name = "", .root = "/" },
		{ .dir = "memory", .name = "memory", .root = "/docker/abc" },
	};
	struct nb_error err = { 0 };
	char buf[NB_CG_LOCATION_MAX];

	build_is("x/y", same, hybrid, 5, "/x/y", "every hierarchy at its root: one path");
	build_is("x/y", apart, hybrid, 5,
		 "/x/y\ncpu,cpuacct=/c/x/y\nmemory=/process_api/391b/x/y\npids=/p/x/y\nsystemd=/user.slice/x/y",
		 "hybrid: cgroup2's path (under its root) first, then each v1 hierarchy's under its own");
	build_is("k8s/pod", "0::/kubepods/burstable\n", v2, 1, "/kubepods/k8s/pod", "pure v2: under the parent");
	build_is("k8s/pod", "0::/kubepods/\n", v2, 1, "/k8s/pod", "pure v2: a trailing slash");
	build_is("k8s/pod", "0::/\n", v2, 1, "/k8s/pod", "pure v2: the root is its own parent");
	build_is("a", "4:memory:/m\n2:cpu,cpuacct:/m\n", v1, 2, "/m/a", "v1: cpu,cpuacct found by cpuacct");
	build_is("a", "4:memory:/docker/abc/sub\n0::/\n", nested, 2, "/a\nmemory=/sub/a",
		 "a mount that shows the tree from below the root: the path is taken from there");
	build_is("a", "4:memory:/docker/abc\n0::/\n", nested, 2, "/a", "the mount's root itself");
	build_is("a", "0::/\n", hybrid, 5, "/a", "a hierarchy not listed takes the first line's path");

	tap_is_int(nb_cg_location_build("a", "4:memory:/docker/abcd\n0::/\n", nested, 2, buf, sizeof(buf), &err),
		   -ENOENT, "a cgroup outside the mount's root is refused");
	tap_is_str(err.msg, "cgroup: nsbox's own cgroup '/docker/abcd' is outside the tree its hierarchy's "
		   "mount shows ('/docker/abc')", "its message");
	tap_is_int(nb_cg_location_build("a", "2:cpu,cpuacct:/m\n", v1, 2, buf, sizeof(buf), &err), -ENOENT,
		   "the first hierarchy not listed: refused");
	tap_is_str(err.msg, "cgroup: nsbox's own cgroup in 'memory' is not listed", "its message");
	build_is("a", "4:memory:/m\n", hybrid, 5, "/a\nmemory=/m/a", "hybrid: cgroup2's root needs no line");
	tap_is_int(nb_cg_location_build("a", apart, hybrid, 5, buf, 20, &err), -ENAMETOOLONG,
		   "a location too long for the buffer");
}

static void path_is(const char *location, const char *dir, const char *expected)
{
	char buf[64];

	tap_is_int(nb_cg_location_path(location, dir, buf, sizeof(buf)), 0, "path in '%s'", dir);
	tap_is_str(buf, expected, "path in '%s': %s", dir, expected);
}

static void test_path(void)
{
	static const char loc[] = "/c/x\nmemory=/m/x\ncpu,cpuacct=/cc/x";
	char small[4];

	path_is(loc, "memory", "/m/x");
	path_is(loc, "cpu,cpuacct", "/cc/x");
	path_is(loc, "unified", "/c/x");
	path_is(loc, "cpu", "/c/x");
	path_is("/plain", "memory", "/plain");
	tap_is_int(nb_cg_location_path(loc, "memory", small, sizeof(small)), -ENAMETOOLONG, "too long");
}

/* LOCATION on one line, for a test's name. */
static const char *shown(const char *location)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s", location);
	for (char *p = buf; (p = strchr(p, '\n'));)
		*p = '|';
	return buf;
}

static void check_is(const char *location, int expected, const char *msg)
{
	struct nb_error err = { 0 };

	tap_is_int(nb_cg_location_check(location, "cgroup path", &err), expected, "check '%s'", shown(location));
	if (msg)
		tap_is_str(err.msg, msg, "check '%s': message", shown(location));
}

static void test_check(void)
{
	check_is("/a/b", 0, NULL);
	check_is("/a/b/", 0, NULL);
	check_is("/a\nmemory=/m/a\nsystemd=/s/a", 0, NULL);
	check_is("a/b", -EINVAL, "cgroup path 'a/b': must be absolute");
	check_is("/", -EINVAL, "cgroup path '/': a hierarchy's root cannot be a sandbox's cgroup");
	check_is("//", -EINVAL, "cgroup path '//': must be plain (no '.', '..' or '//')");
	check_is("/a/../b", -EINVAL, "cgroup path '/a/../b': must be plain (no '.', '..' or '//')");
	check_is("/a/./b", -EINVAL, "cgroup path '/a/./b': must be plain (no '.', '..' or '//')");
	check_is("/a//b", -EINVAL, "cgroup path '/a//b': must be plain (no '.', '..' or '//')");
	check_is("/a/..", -EINVAL, "cgroup path '/a/..': must be plain (no '.', '..' or '//')");
	check_is("/a/...", 0, NULL);
	check_is("/a\nmemory=/m/../../etc", -EINVAL,
		 "cgroup path '/m/../../etc': must be plain (no '.', '..' or '//')");
	check_is("/a\nmemory=/", -EINVAL, "cgroup path '/': a hierarchy's root cannot be a sandbox's cgroup");
	check_is("/a\n/m=/x", -EINVAL, "cgroup path: a malformed line '/m=/x'");
	check_is("/a\n=/x", -EINVAL, "cgroup path: a malformed line '=/x'");
	check_is("/a\nmemory", -EINVAL, "cgroup path: a malformed line 'memory'");
	check_is("", -EINVAL, "cgroup path '': must be absolute");
}

int main(void)
{
	test_build();
	test_path();
	test_check();
	return tap_done();
}
