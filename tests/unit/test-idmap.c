/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for spec/idmap.c: --map-users/--map-groups parsing and the kernel's rules. */
#include "spec/config.h"
#include "tap.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* One map built from up to 4 "IN:OUT:COUNT" strings, each expected to parse. */
static bool build(struct nb_idmap *map, const char *const *lines)
{
	struct nb_error err;

	memset(map, 0, sizeof(*map));
	for (; *lines; lines++)
		if (nb_idmap_add(map, *lines, "--map-users", &err) < 0)
			return false;
	return true;
}

static void test_add(void)
{
	struct nb_idmap map = { 0 };
	struct nb_error err;

	nb_error_clear(&err);
	tap_is_int(nb_idmap_add(&map, "0:100000:65536", "--map-users", &err), 0, "add 0:100000:65536");
	tap_is_int((long long)map.len, 1, "one range");
	tap_is_int(map.range[0].inside, 0, "inside 0");
	tap_is_int(map.range[0].outside, 100000, "outside 100000");
	tap_is_int(map.range[0].count, 65536, "count 65536");
	tap_is_str(err.msg, "", "no message on success");

	tap_is_int(nb_idmap_add(&map, "4294967295:4294967295:4294967295", "--map-users", &err), 0,
		   "add accepts the largest u32 values (validate judges them)");
	tap_is_u64(map.range[1].inside, 4294967295U, "largest inside stored");
	tap_is_int((long long)map.len, 2, "two ranges");
}

static void test_add_errors(void)
{
	static const struct {
		const char *text;
		const char *msg;
	} bad[] = {
		{ "", "--map-users '': expected INSIDE:OUTSIDE:COUNT" },
		{ "1", "--map-users '1': expected INSIDE:OUTSIDE:COUNT" },
		{ "1:2", "--map-users '1:2': expected INSIDE:OUTSIDE:COUNT" },
		{ "1:2:3:4", "--map-users '1:2:3:4': expected INSIDE:OUTSIDE:COUNT" },
		{ "1::2:3", "--map-users '1::2:3': expected INSIDE:OUTSIDE:COUNT" },
		{ "1:2::3", "--map-users '1:2::3': expected INSIDE:OUTSIDE:COUNT" },
		{ "1:2:3:", "--map-users '1:2:3:': expected INSIDE:OUTSIDE:COUNT" },
		{ ":1:2:3", "--map-users ':1:2:3': expected INSIDE:OUTSIDE:COUNT" },
		{ ":1:2", "--map-users ':1:2': expected INSIDE:OUTSIDE:COUNT" },
		{ "::", "--map-users '::': expected INSIDE:OUTSIDE:COUNT" },
		{ "a:2:3", "--map-users 'a:2:3': ids and count must be numbers from 0 to 4294967295" },
		{ "1:-2:3", "--map-users '1:-2:3': ids and count must be numbers from 0 to 4294967295" },
		{ "1:2:3x", "--map-users '1:2:3x': ids and count must be numbers from 0 to 4294967295" },
		{ "1:2: 3", "--map-users '1:2: 3': ids and count must be numbers from 0 to 4294967295" },
		{ "4294967296:0:1",
		  "--map-users '4294967296:0:1': ids and count must be numbers from 0 to 4294967295" },
	};
	struct nb_idmap map = { 0 };
	struct nb_error err;
	char longtext[200];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		nb_error_clear(&err);
		tap_is_int(nb_idmap_add(&map, bad[i].text, "--map-users", &err), -EINVAL,
			   "add '%s' fails with -EINVAL", bad[i].text);
		tap_is_str(err.msg, bad[i].msg, "add '%s' message", bad[i].text);
		tap_is_int(err.kind, NB_ERR_USAGE, "add '%s' is a usage error", bad[i].text);
	}
	tap_is_int((long long)map.len, 0, "failed adds leave the map empty");

	memset(longtext, '1', sizeof(longtext) - 1);
	longtext[sizeof(longtext) - 1] = '\0';
	nb_error_clear(&err);
	tap_is_int(nb_idmap_add(&map, longtext, "--map-groups", &err), -EINVAL, "overlong text fails");
	tap_ok(strstr(err.msg, "--map-groups '111") == err.msg && strstr(err.msg, "': too long"),
	       "overlong text message names the flag and says 'too long'");
}

static void test_add_limit(void)
{
	static struct nb_idmap map;
	struct nb_error err;
	char text[64];
	bool all_ok = true;

	memset(&map, 0, sizeof(map));
	for (unsigned i = 0; i < NB_IDMAP_MAX_LINES; i++) {
		snprintf(text, sizeof(text), "%u:%u:1", i, 100000 + i);
		if (nb_idmap_add(&map, text, "--map-users", &err) < 0)
			all_ok = false;
	}
	tap_ok(all_ok, "340 ranges can be added");
	tap_is_int((long long)map.len, 340, "map holds 340 ranges");
	tap_is_int(nb_idmap_validate(&map, "--map-users", &err), 0, "340 disjoint ranges validate");
	nb_error_clear(&err);
	tap_is_int(nb_idmap_add(&map, "1000:200000:1", "--map-users", &err), -EINVAL,
		   "the 341st range is refused");
	tap_is_str(err.msg, "--map-users: more than 340 ranges (the kernel's limit)",
		   "341st range message");
	tap_is_int((long long)map.len, 340, "map still holds 340 ranges");
}

static void check_invalid(const char *const *lines, const char *msg, const char *name)
{
	struct nb_idmap map;
	struct nb_error err;

	if (!tap_ok(build(&map, lines), "%s: ranges parse", name))
		return;
	nb_error_clear(&err);
	tap_is_int(nb_idmap_validate(&map, "--map-users", &err), -EINVAL, "%s: validate fails", name);
	tap_is_str(err.msg, msg, "%s: message", name);
	tap_is_int(err.kind, NB_ERR_USAGE, "%s: usage error", name);
}

static void check_valid(const char *const *lines, const char *name)
{
	struct nb_idmap map;
	struct nb_error err;

	if (!tap_ok(build(&map, lines), "%s: ranges parse", name))
		return;
	nb_error_clear(&err);
	tap_is_int(nb_idmap_validate(&map, "--map-users", &err), 0, "%s: validates", name);
	tap_is_str(err.msg, "", "%s: no message", name);
}

static void test_validate(void)
{
	struct nb_idmap empty = { 0 };
	struct nb_error err;

	tap_is_int(nb_idmap_validate(&empty, "--map-users", &err), 0, "an empty map validates");

	check_valid((const char *[]){ "0:1000:1", NULL }, "single id");
	check_valid((const char *[]){ "0:1000:1", "1:100000:65536", NULL }, "adjacent inside ranges");
	check_valid((const char *[]){ "0:100000:10", "10:100010:10", NULL }, "adjacent outside ranges");
	check_valid((const char *[]){ "0:0:4294967295", NULL }, "whole id space ends at 4294967294");
	check_valid((const char *[]){ "4294967294:0:1", NULL }, "inside 4294967294 alone");
	check_valid((const char *[]){ "0:4294967294:1", NULL }, "outside 4294967294 alone");

	check_invalid((const char *[]){ "0:1000:0", NULL },
		      "--map-users 0:1000:0: count must be at least 1", "count 0");
	check_invalid((const char *[]){ "0:1000:1", "5:2000:0", NULL },
		      "--map-users 5:2000:0: count must be at least 1", "count 0 in second range");
	check_invalid((const char *[]){ "1:0:4294967295", NULL },
		      "--map-users 1:0:4294967295: range passes the largest id 4294967294",
		      "inside overflow by one");
	check_invalid((const char *[]){ "0:1:4294967295", NULL },
		      "--map-users 0:1:4294967295: range passes the largest id 4294967294",
		      "outside overflow by one");
	check_invalid((const char *[]){ "4294967295:0:1", NULL },
		      "--map-users 4294967295:0:1: range passes the largest id 4294967294",
		      "inside id -1");
	check_invalid((const char *[]){ "0:4294967295:1", NULL },
		      "--map-users 0:4294967295:1: range passes the largest id 4294967294",
		      "outside id -1");
	check_invalid((const char *[]){ "4294967295:4294967295:4294967295", NULL },
		      "--map-users 4294967295:4294967295:4294967295: range passes the largest id 4294967294",
		      "all fields at the maximum");
	check_invalid((const char *[]){ "0:100000:10", "5:200000:10", NULL },
		      "--map-users 5:200000:10: inside range overlaps 0:100000:10", "inside overlap");
	check_invalid((const char *[]){ "0:100000:10", "9:200000:1", NULL },
		      "--map-users 9:200000:1: inside range overlaps 0:100000:10",
		      "inside overlap on the last id");
	check_invalid((const char *[]){ "10:100000:10", "0:200000:100", NULL },
		      "--map-users 0:200000:100: inside range overlaps 10:100000:10",
		      "inside range containing another");
	check_invalid((const char *[]){ "0:100000:10", "100:100005:10", NULL },
		      "--map-users 100:100005:10: outside range overlaps 0:100000:10", "outside overlap");
	check_invalid((const char *[]){ "0:1000:1", "1:2000:1", "2:1000:1", NULL },
		      "--map-users 2:1000:1: outside range overlaps 0:1000:1",
		      "outside overlap with the first of three");
	check_invalid((const char *[]){ "0:1000:1", "0:1000:1", NULL },
		      "--map-users 0:1000:1: inside range overlaps 0:1000:1", "duplicate range");
}

static void test_format(void)
{
	struct nb_idmap map;
	char buf[256];

	memset(buf, 'x', sizeof(buf));
	memset(&map, 0, sizeof(map));
	tap_is_int(nb_idmap_format(&map, buf, sizeof(buf)), 0, "empty map formats to length 0");
	tap_is_str(buf, "", "empty map formats to ''");

	build(&map, (const char *[]){ "0:1000:1", NULL });
	tap_is_int(nb_idmap_format(&map, buf, sizeof(buf)), 9, "'0 1000 1\\n' is 9 bytes");
	tap_is_str(buf, "0 1000 1\n", "one range text");

	build(&map, (const char *[]){ "0:1000:1", "1:100000:65536", "70000:4294967293:2", NULL });
	tap_is_int(nb_idmap_format(&map, buf, sizeof(buf)), 43, "three ranges length");
	tap_is_str(buf, "0 1000 1\n1 100000 65536\n70000 4294967293 2\n", "three ranges text");

	build(&map, (const char *[]){ "0:1000:1", NULL });
	tap_is_int(nb_idmap_format(&map, buf, 10), 9, "buffer of exactly len+1 is enough");
	tap_is_str(buf, "0 1000 1\n", "text in an exact buffer");
	tap_is_int(nb_idmap_format(&map, buf, 9), -ENOSPC, "buffer without room for NUL is -ENOSPC");
	tap_is_int(nb_idmap_format(&map, buf, 0), -ENOSPC, "zero-size buffer is -ENOSPC");
}

static void test_maps_inside(void)
{
	struct nb_idmap map;

	build(&map, (const char *[]){ "0:1000:1", "100:200000:10", "4294967290:300000:5", NULL });
	tap_ok(nb_idmap_maps_inside(&map, 0), "0 is mapped");
	tap_ok(!nb_idmap_maps_inside(&map, 1), "1 is not mapped");
	tap_ok(!nb_idmap_maps_inside(&map, 99), "99 is not mapped");
	tap_ok(nb_idmap_maps_inside(&map, 100), "100 (first of a range) is mapped");
	tap_ok(nb_idmap_maps_inside(&map, 109), "109 (last of a range) is mapped");
	tap_ok(!nb_idmap_maps_inside(&map, 110), "110 (one past a range) is not mapped");
	tap_ok(!nb_idmap_maps_inside(&map, 1000), "1000 (an outside id) is not mapped inside");
	tap_ok(nb_idmap_maps_inside(&map, 4294967294U), "4294967294 is mapped");
	tap_ok(!nb_idmap_maps_inside(&map, 4294967295U), "4294967295 is never mapped");
	memset(&map, 0, sizeof(map));
	tap_ok(!nb_idmap_maps_inside(&map, 0), "an empty map maps nothing");
}

int main(void)
{
	test_add();
	test_add_errors();
	test_add_limit();
	test_validate();
	test_format();
	test_maps_inside();
	return tap_done();
}
