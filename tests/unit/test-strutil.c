/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for base/strutil: strict number parsing and string vectors. */
#include "base/strutil.h"
#include "tap.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>

static void test_parse_u64(void)
{
	uint64_t v = 7;

	tap_is_int(nb_parse_u64("0", UINT64_MAX, &v), 0, "u64 '0' parses");
	tap_is_u64(v, 0, "u64 '0' is 0");
	tap_is_int(nb_parse_u64("12345", UINT64_MAX, &v), 0, "u64 '12345' parses");
	tap_is_u64(v, 12345, "u64 '12345' value");
	tap_is_int(nb_parse_u64("18446744073709551615", UINT64_MAX, &v), 0, "u64 max parses");
	tap_is_u64(v, UINT64_MAX, "u64 max value");
	tap_is_int(nb_parse_u64("18446744073709551616", UINT64_MAX, &v), -ERANGE,
		   "u64 max+1 is -ERANGE");
	tap_is_int(nb_parse_u64("99999999999999999999999", UINT64_MAX, &v), -ERANGE,
		   "u64 huge is -ERANGE");
	tap_is_int(nb_parse_u64("101", 100, &v), -ERANGE, "u64 above max is -ERANGE");
	tap_is_int(nb_parse_u64("100", 100, &v), 0, "u64 equal to max parses");
	tap_is_u64(v, 100, "u64 equal to max value");

	v = 77;
	tap_is_int(nb_parse_u64("", UINT64_MAX, &v), -EINVAL, "u64 empty is -EINVAL");
	tap_is_int(nb_parse_u64(NULL, UINT64_MAX, &v), -EINVAL, "u64 NULL is -EINVAL");
	tap_is_int(nb_parse_u64("12x", UINT64_MAX, &v), -EINVAL, "u64 trailing junk is -EINVAL");
	tap_is_int(nb_parse_u64("x12", UINT64_MAX, &v), -EINVAL, "u64 leading junk is -EINVAL");
	tap_is_int(nb_parse_u64("-1", UINT64_MAX, &v), -EINVAL, "u64 negative is -EINVAL");
	tap_is_int(nb_parse_u64("+1", UINT64_MAX, &v), -EINVAL, "u64 plus sign is -EINVAL");
	tap_is_int(nb_parse_u64(" 1", UINT64_MAX, &v), -EINVAL, "u64 leading space is -EINVAL");
	tap_is_int(nb_parse_u64("1 ", UINT64_MAX, &v), -EINVAL, "u64 trailing space is -EINVAL");
	tap_is_int(nb_parse_u64("0x10", UINT64_MAX, &v), -EINVAL, "u64 hex is -EINVAL");
	tap_is_u64(v, 77, "u64 failures leave the result untouched");
}

static void test_parse_u32(void)
{
	uint32_t v = 3;

	tap_is_int(nb_parse_u32("4294967295", &v), 0, "u32 max parses");
	tap_is_u64(v, UINT32_MAX, "u32 max value");
	tap_is_int(nb_parse_u32("4294967296", &v), -ERANGE, "u32 max+1 is -ERANGE");
	tap_is_int(nb_parse_u32("1000", &v), 0, "u32 '1000' parses");
	tap_is_u64(v, 1000, "u32 '1000' value");
	tap_is_int(nb_parse_u32("", &v), -EINVAL, "u32 empty is -EINVAL");
	tap_is_int(nb_parse_u32("1k", &v), -EINVAL, "u32 suffix is -EINVAL");
	tap_is_int(nb_parse_u32("-5", &v), -EINVAL, "u32 negative is -EINVAL");
	tap_is_u64(v, 1000, "u32 failures leave the result untouched");
}

static void test_parse_int(void)
{
	int v = 99;

	tap_is_int(nb_parse_int("-5", -10, 10, &v), 0, "int '-5' in [-10,10] parses");
	tap_is_int(v, -5, "int '-5' value");
	tap_is_int(nb_parse_int("10", -10, 10, &v), 0, "int upper bound parses");
	tap_is_int(v, 10, "int upper bound value");
	tap_is_int(nb_parse_int("-10", -10, 10, &v), 0, "int lower bound parses");
	tap_is_int(v, -10, "int lower bound value");
	tap_is_int(nb_parse_int("11", -10, 10, &v), -ERANGE, "int above max is -ERANGE");
	tap_is_int(nb_parse_int("-11", -10, 10, &v), -ERANGE, "int below min is -ERANGE");
	tap_is_int(nb_parse_int("2147483647", INT_MIN, INT_MAX, &v), 0, "int INT_MAX parses");
	tap_is_int(v, INT_MAX, "int INT_MAX value");
	tap_is_int(nb_parse_int("-2147483648", INT_MIN, INT_MAX, &v), 0, "int INT_MIN parses");
	tap_is_int(v, INT_MIN, "int INT_MIN value");
	tap_is_int(nb_parse_int("2147483648", INT_MIN, INT_MAX, &v), -ERANGE,
		   "int INT_MAX+1 is -ERANGE");
	tap_is_int(nb_parse_int("-2147483649", INT_MIN, INT_MAX, &v), -ERANGE,
		   "int INT_MIN-1 is -ERANGE");
	tap_is_int(nb_parse_int("99999999999999999999999", INT_MIN, INT_MAX, &v), -ERANGE,
		   "int huge is -ERANGE");
	v = 42;
	tap_is_int(nb_parse_int("", INT_MIN, INT_MAX, &v), -EINVAL, "int empty is -EINVAL");
	tap_is_int(nb_parse_int(NULL, INT_MIN, INT_MAX, &v), -EINVAL, "int NULL is -EINVAL");
	tap_is_int(nb_parse_int("-", INT_MIN, INT_MAX, &v), -EINVAL, "int lone minus is -EINVAL");
	tap_is_int(nb_parse_int(" 5", INT_MIN, INT_MAX, &v), -EINVAL, "int leading space is -EINVAL");
	tap_is_int(nb_parse_int("5 ", INT_MIN, INT_MAX, &v), -EINVAL, "int trailing space is -EINVAL");
	tap_is_int(nb_parse_int("5x", INT_MIN, INT_MAX, &v), -EINVAL, "int trailing junk is -EINVAL");
	tap_is_int(nb_parse_int("abc", INT_MIN, INT_MAX, &v), -EINVAL, "int letters are -EINVAL");
	tap_is_int(v, 42, "int failures leave the result untouched");
}

static void test_parse_size(void)
{
	static const struct {
		const char *text;
		uint64_t value;
	} good[] = {
		{ "0", 0 },
		{ "4096", 4096 },
		{ "1k", 1024 },
		{ "4K", 4096 },
		{ "64m", 67108864 },
		{ "2M", 2097152 },
		{ "1g", 1073741824 },
		{ "1G", 1073741824 },
		{ "18446744073709551615", UINT64_MAX },
		{ "17179869183g", 17179869183ULL << 30 },
	};
	static const struct {
		const char *text;
		int r;
	} bad[] = {
		{ "", -EINVAL },
		{ "m", -EINVAL },
		{ "k1", -EINVAL },
		{ "1t", -EINVAL },
		{ "1mb", -EINVAL },
		{ "1 m", -EINVAL },
		{ "-1", -EINVAL },
		{ " 1", -EINVAL },
		{ "1.5m", -EINVAL },
		{ "18446744073709551616", -ERANGE },
		{ "17179869184g", -ERANGE },
		{ "17592186044416m", -ERANGE },
		{ "18014398509481984k", -ERANGE },
	};
	uint64_t v;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		v = 12345;
		tap_is_int(nb_parse_size(good[i].text, &v), 0, "size '%s' parses", good[i].text);
		tap_is_u64(v, good[i].value, "size '%s' value", good[i].text);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 12345;
		tap_is_int(nb_parse_size(bad[i].text, &v), bad[i].r, "size '%s' is rejected with %s",
			   bad[i].text, bad[i].r == -EINVAL ? "-EINVAL" : "-ERANGE");
		tap_is_u64(v, 12345, "size '%s' leaves the result untouched", bad[i].text);
	}
	tap_is_int(nb_parse_size(NULL, &v), -EINVAL, "size NULL is -EINVAL");
}

static void test_streq_startswith(void)
{
	tap_ok(nb_streq("abc", "abc"), "streq equal strings");
	tap_ok(!nb_streq("abc", "abd"), "streq different strings");
	tap_ok(!nb_streq("abc", "ab"), "streq prefix is not equal");
	tap_ok(!nb_streq(NULL, "a"), "streq NULL left is false");
	tap_ok(!nb_streq("a", NULL), "streq NULL right is false");
	tap_ok(!nb_streq(NULL, NULL), "streq NULL both is false");
	tap_ok(nb_startswith("size=64m", "size="), "startswith true");
	tap_ok(nb_startswith("abc", ""), "startswith empty prefix");
	tap_ok(!nb_startswith("siz", "size="), "startswith shorter string");
	tap_ok(!nb_startswith("mode=1", "size="), "startswith false");
}

static void test_strv(void)
{
	struct nb_strv v = { 0 };
	char name[32];
	bool all_ok = true;

	tap_ok(v.items == NULL, "empty strv has no items");
	tap_ok(nb_strv_getenv(&v, "HOME") == NULL, "getenv on an empty strv is NULL");

	tap_is_int(nb_strv_push(&v, "ls"), 0, "push 'ls'");
	tap_is_int((long long)v.len, 1, "len after one push");
	tap_is_str(v.items[0], "ls", "items[0] is 'ls'");
	tap_ok(v.items[1] == NULL, "vector is NULL-terminated after one push");

	/* The vector owns copies, not the caller's buffers. */
	snprintf(name, sizeof(name), "-l");
	tap_is_int(nb_strv_push(&v, name), 0, "push '-l'");
	name[0] = 'X';
	tap_is_str(v.items[1], "-l", "push copies its argument");

	/* Grow past the initial capacity. */
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "arg%d", i);
		if (nb_strv_push(&v, name) < 0)
			all_ok = false;
	}
	tap_ok(all_ok, "100 more pushes succeed");
	tap_is_int((long long)v.len, 102, "len after 102 pushes");
	tap_is_str(v.items[0], "ls", "first item survives growth");
	tap_is_str(v.items[101], "arg99", "last item is 'arg99'");
	tap_ok(v.items[102] == NULL, "vector is NULL-terminated after growth");
	tap_ok(v.cap >= v.len + 1, "capacity covers the terminator");
	nb_strv_free(&v);
	tap_ok(v.items == NULL && v.len == 0 && v.cap == 0, "free empties the vector");

	/* Environment vectors. */
	tap_is_int(nb_strv_setenv(&v, "PATH=/bin"), 0, "setenv PATH");
	tap_is_int(nb_strv_setenv(&v, "HOME=/root"), 0, "setenv HOME");
	tap_is_int(nb_strv_setenv(&v, "PATHX=1"), 0, "setenv PATHX");
	tap_is_int((long long)v.len, 3, "three variables");
	tap_is_str(nb_strv_getenv(&v, "PATH"), "/bin", "getenv PATH");
	tap_is_str(nb_strv_getenv(&v, "HOME"), "/root", "getenv HOME");
	tap_is_str(nb_strv_getenv(&v, "PATHX"), "1", "getenv PATHX is not confused with PATH");
	tap_ok(nb_strv_getenv(&v, "PAT") == NULL, "getenv of a key prefix is NULL");
	tap_ok(nb_strv_getenv(&v, "USER") == NULL, "getenv of a missing key is NULL");

	tap_is_int(nb_strv_setenv(&v, "PATH=/usr/bin:/bin"), 0, "setenv replaces PATH");
	tap_is_int((long long)v.len, 3, "replacing does not add an entry");
	tap_is_str(v.items[0], "PATH=/usr/bin:/bin", "replaced entry keeps its position");
	tap_is_str(nb_strv_getenv(&v, "PATH"), "/usr/bin:/bin", "getenv sees the new PATH");
	tap_is_str(nb_strv_getenv(&v, "PATHX"), "1", "PATHX untouched by replacing PATH");

	tap_is_int(nb_strv_setenv(&v, "EMPTY="), 0, "setenv EMPTY=");
	tap_is_str(nb_strv_getenv(&v, "EMPTY"), "", "getenv of an empty value is ''");
	tap_is_int(nb_strv_setenv(&v, "EQ=a=b"), 0, "setenv a value holding '='");
	tap_is_str(nb_strv_getenv(&v, "EQ"), "a=b", "getenv splits at the first '='");
	tap_is_int((long long)v.len, 5, "five variables");
	tap_ok(v.items[5] == NULL, "environment vector is NULL-terminated");
	nb_strv_free(&v);
	nb_strv_free(&v);
	tap_ok(v.items == NULL, "freeing twice is harmless");
}

static void test_parse_duration(void)
{
	static const struct { const char *text; uint64_t ns; } good[] = {
		{ "5s", 5000000000ull }, { "1.5s", 1500000000ull }, { "250ms", 250000000ull },
		{ "2m", 120000000000ull }, { "1h30m", 5400000000000ull }, { "100us", 100000ull },
		{ "10ns", 10 }, { "3", 3000000000ull }, { "0.5", 500000000ull }, { "1m0.5s", 60500000000ull },
	};
	static const char *const bad[] = { "", "s", "5x", "-1s", "1h30", "0x10s", "1..2s", ".s", " 5s", "5 s", "inf" };
	uint64_t v = 0;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		tap_is_int(nb_parse_duration(good[i].text, &v), 0, "duration '%s' parses", good[i].text);
		tap_is_int((long long)v, (long long)good[i].ns, "duration '%s' is %llu ns", good[i].text,
			   (unsigned long long)good[i].ns);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		tap_is_int(nb_parse_duration(bad[i], &v), -EINVAL, "duration '%s' is rejected", bad[i]);
	tap_is_int(nb_parse_duration("99999999999h", &v), -ERANGE, "a duration beyond 2^64 ns is -ERANGE");
	/* Found by fuzz-sizes: 64 characters or more of a number were refused. */
	tap_is_int(nb_parse_duration("0000000000000000000000000000000000000000000000000000000000000001500ms", &v),
		   0, "a number of 67 digits, zeros in front");
	tap_is_int((long long)v, 1500000000ll, "is 1.5 s");
	tap_is_int(nb_parse_duration("000000000000000000000000000000000000000000000000000000000000000000002", &v),
		   0, "a plain number of 69 digits");
	tap_is_int((long long)v, 2000000000ll, "is 2 s");
}

int main(void)
{
	test_parse_duration();
	test_parse_u64();
	test_parse_u32();
	test_parse_int();
	test_parse_size();
	test_streq_startswith();
	test_strv();
	return tap_done();
}
