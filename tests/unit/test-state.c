/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for runtime/state.c: container ids, state.json of any size,
 * and the records a killed create leaves (no root needed: a private
 * temporary state root, removed at the end). */
#include "runtime/state.h"
#include "runtime/container_files.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void id_ok(const char *id)
{
	struct nb_error err = { 0 };

	tap_is_int(nb_container_id_check(id, &err), 0, "id '%s' accepted", id);
}

static void id_fails(const char *id, const char *msg)
{
	struct nb_error err = { 0 };

	tap_is_int(nb_container_id_check(id, &err), -EINVAL, "id '%s' refused", id);
	tap_is_str(err.msg, msg, "id '%s': message", id);
	tap_is_int(err.kind, NB_ERR_USAGE, "id '%s': a usage error", id);
}

static void test_ids(void)
{
	id_ok("abc");
	id_ok("a-b_c+d.e");
	id_ok("x-");
	id_ok("0");
	id_fails("-abc", "container id '-abc': must not start with '-'");
	id_fails("-", "container id '-': must not start with '-'");
	id_fails("--force", "container id '--force': must not start with '-'");
	id_fails("a\nb", "container id 'a\nb': only letters, digits and _ + . - are allowed");
	id_fails("a/b", "container id 'a/b': only letters, digits and _ + . - are allowed");
	id_fails("..", "container id '..': not allowed");
	id_fails("", "container id '': must be 1 to 1024 characters");
}

static char root[PATH_MAX];
static int rootfd = -1;

static struct nb_state sample(const char *id, size_t annotation_size)
{
	struct nb_state st = { .id = strdup(id), .bundle = strdup("/b"), .created = strdup("now"),
			       .pid = 1, .start_time = 42, .owner = 7 };
	char *kv = malloc(annotation_size + 3);

	memcpy(kv, "k=", 2);
	memset(kv + 2, 'v', annotation_size);
	kv[annotation_size + 2] = '\0';
	nb_strv_push(&st.annotations, kv);
	free(kv);
	return st;
}

/* A state.json far above the old 64 KiB stack buffer reads back whole. */
static void test_large_state(void)
{
	struct nb_state_handle h = { -1, -1 };
	struct nb_state st = sample("big", 200 * 1000), back = { 0 };
	struct nb_error err = { 0 };

	tap_is_int(nb_state_create(rootfd, "big", &h, &err), 0, "create a record");
	tap_is_int(nb_state_write(&h, &st, &err), 0, "write a state.json with a 200 kB annotation");
	tap_is_int(nb_state_read(&h, &back, &err), 0, "read it back");
	tap_ok(back.annotations.len == 1 && strlen(back.annotations.items[0]) == 200 * 1000 + 2,
	       "the annotation is whole");
	tap_ok(back.start_time == 42 && back.owner == 7 && !back.creating, "the rest is there");
	nb_state_free(&back);
	tap_is_int(nb_container_save_config(&h, "{\"x\": 1}", 8, &err), 0, "keep a config.json");
	tap_ok(nb_container_save_config(&h, "{}", 2, &err) < 0, "config.json is never overwritten (O_EXCL)");
	{
		char *text = NULL;
		size_t len = 0;

		tap_is_int(nb_container_load_config(&h, &text, &len, &err), 0, "load the kept config.json");
		tap_ok(text && len == 8 && strcmp(text, "{\"x\": 1}") == 0, "the kept text is exact");
		free(text);
	}
	tap_is_int(nb_state_remove(rootfd, "big", &h, &err), 0, "remove the record");
	nb_state_handle_close(&h);
	tap_ok(faccessat(rootfd, "big", F_OK, AT_SYMLINK_NOFOLLOW) < 0, "nothing left");
	nb_state_free(&st);
}

/* The first write of a create is marked creating; the record, found by
 * someone else holding the lock, says so. */
static void test_creating(void)
{
	struct nb_state_handle h = { -1, -1 }, h2 = { -1, -1 };
	struct nb_state st = sample("half", 10), back = { 0 };
	struct nb_error err = { 0 };
	bool has_state = true;

	st.creating = true;
	st.creator_pid = 99;
	st.creator_start_time = 5;
	tap_is_int(nb_state_create(rootfd, "half", &h, &err), 0, "create a record");
	tap_is_int(nb_state_create(rootfd, "half", &h2, &err), -EEXIST, "the id is taken");
	tap_is_str(err.msg, "container 'half' already exists", "already exists");
	tap_is_int(nb_state_write(&h, &st, &err), 0, "the first write");
	nb_state_handle_close(&h);   /* the creator dies */
	tap_is_int(nb_state_open(rootfd, "half", false, &h, &err), 0, "open the half-made record");
	tap_is_int(nb_state_read(&h, &back, &err), 0, "read it");
	tap_ok(back.creating && back.creator_pid == 99 && back.creator_start_time == 5, "it is marked creating");
	tap_is_int(nb_state_status(&h, &back), NB_STATUS_CREATING, "its status is creating");
	nb_state_free(&back);
	nb_state_handle_close(&h);
	tap_is_int(nb_state_open_record(rootfd, "half", &h, &has_state, &err), 0, "open_record");
	tap_ok(has_state, "it has a state.json");
	tap_is_int(nb_state_remove(rootfd, "half", &h, &err), 0, "remove it");
	nb_state_handle_close(&h);
	nb_state_free(&st);
}

/* A creator killed between mkdir and its first write: no state.json (and
 * maybe no lock file). Not a container, but a record to remove. */
static void test_empty_record(void)
{
	struct nb_state_handle h = { -1, -1 };
	struct nb_error err = { 0 };
	bool has_state = true;

	tap_is_int(mkdirat(rootfd, "empty", 0700), 0, "a directory with nothing in it");
	tap_is_int(nb_state_open(rootfd, "empty", false, &h, &err), -ENOENT, "it is no container");
	tap_is_str(err.msg, "container 'empty' does not exist", "does not exist");
	tap_is_int(nb_state_open_record(rootfd, "empty", &h, &has_state, &err), 0, "open_record takes it");
	tap_ok(!has_state, "no state.json");
	tap_is_int(nb_state_remove(rootfd, "empty", &h, &err), 0, "remove it");
	nb_state_handle_close(&h);
	tap_ok(faccessat(rootfd, "empty", F_OK, AT_SYMLINK_NOFOLLOW) < 0, "gone");
	tap_is_int(nb_state_create(rootfd, "empty", &h, &err), 0, "the id can be created again");
	tap_is_int(nb_state_remove(rootfd, "empty", &h, &err), 0, "and removed");
	nb_state_handle_close(&h);
	tap_is_int(nb_state_open_record(rootfd, "none", &h, &has_state, &err), -ENOENT, "no directory: ENOENT");
}

/* Files in a record are not followed through symlinks. */
static void test_symlinks(void)
{
	struct nb_state_handle h = { -1, -1 };
	struct nb_state back = { 0 };
	struct nb_error err = { 0 };

	tap_is_int(nb_state_create(rootfd, "sym", &h, &err), 0, "create a record");
	tap_is_int(symlinkat("/etc/passwd", h.dirfd, "state.json"), 0, "plant state.json -> /etc/passwd");
	tap_ok(nb_state_read(&h, &back, &err) < 0, "state.json as a symlink is not read");
	tap_is_int(symlinkat("/etc/passwd", h.dirfd, "config.json"), 0, "plant config.json -> /etc/passwd");
	tap_ok(nb_container_save_config(&h, "{}", 2, &err) < 0, "config.json is not written through a symlink");
	tap_is_int(nb_state_remove(rootfd, "sym", &h, &err), 0, "remove the record");
	nb_state_handle_close(&h);
}

/* hooks.json without files: nb_saved_hooks_parse() and nb_saved_hooks_text(). */
static void test_hooks_text(void)
{
	static const char text[] = "{\"poststart\":[{\"path\":\"/bin/echo\",\"args\":[\"echo\",7,\"x\"],"
		"\"timeout\":5},{\"args\":[]}],\"poststop\":[{\"path\":\"/p\",\"env\":[]}]}";
	struct nb_saved_hooks sh, stop;
	struct nb_config cfg = { 0 };
	char *again;

	nb_saved_hooks_parse(text, strlen(text), NB_HOOK_POSTSTART, &sh);
	tap_is_int((long long)sh.n, 1, "hooks.json: a hook without a path is left out");
	tap_ok(sh.n == 1 && sh.hooks[0].args.len == 2 && sh.hooks[0].timeout == 5 && !sh.hooks[0].has_env,
	       "hooks.json: args without the number, the timeout");
	nb_saved_hooks_parse(text, strlen(text), NB_HOOK_POSTSTOP, &stop);
	tap_ok(stop.n == 1 && stop.hooks[0].has_env && stop.hooks[0].env.len == 0, "hooks.json: an empty env");
	cfg.oci.hooks[NB_HOOK_POSTSTART] = sh.hooks;
	cfg.oci.n_hooks[NB_HOOK_POSTSTART] = sh.n;
	cfg.oci.hooks[NB_HOOK_POSTSTOP] = stop.hooks;
	cfg.oci.n_hooks[NB_HOOK_POSTSTOP] = stop.n;
	again = nb_saved_hooks_text(&cfg);
	tap_is_str(again, "{\"poststart\":[{\"path\":\"/bin/echo\",\"args\":[\"echo\",\"x\"],\"timeout\":5}],"
		   "\"poststop\":[{\"path\":\"/p\",\"args\":[],\"env\":[],\"timeout\":0}]}", "hooks.json: written again");
	free(again);
	nb_saved_hooks_free(&sh);
	nb_saved_hooks_free(&stop);
	nb_saved_hooks_parse("{", 1, NB_HOOK_POSTSTART, &sh);
	tap_is_int((long long)sh.n, 0, "hooks.json: no JSON, no hooks");
}

static void bad_state(const char *text, const char *msg)
{
	struct nb_error err = { 0 };
	struct nb_state st;

	tap_is_int(nb_state_parse(text, strlen(text), &st, &err), -EBADMSG, "state '%s' refused", text);
	tap_is_str(err.msg, msg, "state '%s': message", text);
	tap_ok(!st.id && !st.bundle, "state '%s': nothing kept", text);
}

/* The text of a state.json, without files: nb_state_parse() and nb_state_text(). */
static void test_parse(void)
{
	static const char partial[] = "{\"id\":\"c\",\"nsboxNsStartTime\":5,\"nsboxCreatorPid\":9}";
	static const char text[] = "{\"ociVersion\":\"1.2.0\",\"id\":\"c1\",\"status\":\"created\","
		"\"pid\":42,\"bundle\":\"/b\",\"annotations\":{\"a\":\"1\",\"b\":\"x=y\"},"
		"\"nsboxStartTime\":7,\"nsboxOwnPidns\":true,\"nsboxOwner\":1000,\"nsboxNsPid\":43,"
		"\"nsboxNsStartTime\":8,\"created\":\"2024-01-01T00:00:00Z\",\"nsboxCgroup\":\"/c\"}";
	struct nb_state st, back;
	struct nb_error err = { 0 };
	char *again;

	tap_is_int(nb_state_parse(text, strlen(text), &st, &err), 0, "parse a state.json");
	tap_is_str(st.id, "c1", "parse: id");
	tap_is_str(st.bundle, "/b", "parse: bundle");
	tap_is_str(st.created, "2024-01-01T00:00:00Z", "parse: created");
	tap_is_str(st.cgroup, "/c", "parse: cgroup");
	tap_ok(st.pid == 42 && st.start_time == 7 && st.own_pidns && st.owner == 1000 &&
	       st.ns_pid == 43 && st.ns_start_time == 8 && !st.creating, "parse: the numbers");
	tap_ok(st.annotations.len == 2 && strcmp(st.annotations.items[1], "b=x=y") == 0,
	       "parse: annotations");
	again = nb_state_text(&st);
	tap_ok(again != NULL, "write it again");
	tap_is_int(nb_state_parse(again, strlen(again), &back, &err), 0, "and read that back");
	tap_ok(back.pid == 42 && back.ns_pid == 43 && back.owner == 1000 && nb_streq(back.cgroup, "/c") &&
	       back.annotations.len == 2, "the same state");
	free(again);
	nb_state_free(&back);
	nb_state_free(&st);

	/* A cgroup elsewhere in some hierarchies (a relative cgroupsPath). */
	st = (struct nb_state){ .id = "c", .cgroup = "/x/c\nmemory=/a/x/c\ncpu,cpuacct=/b/x/c" };
	again = nb_state_text(&st);
	tap_ok(again && strstr(again, "\"nsboxCgroup\":\"/x/c\"") &&
	       strstr(again, "\"nsboxCgroupPaths\":{\"memory\":\"/a/x/c\",\"cpu,cpuacct\":\"/b/x/c\"}"),
	       "a cgroup location: its first path, then the others by hierarchy");
	tap_is_int(nb_state_parse(again, strlen(again), &back, &err), 0, "read back");
	tap_is_str(back.cgroup, "/x/c\nmemory=/a/x/c\ncpu,cpuacct=/b/x/c", "the same location");
	free(again);
	nb_state_free(&back);
	bad_state("{\"id\":\"c\",\"nsboxCgroup\":\"/c\\nmemory=/d\"}", "state.json: nsboxCgroup: must be a path");
	bad_state("{\"id\":\"c\",\"nsboxCgroup\":\"/c\",\"nsboxCgroupPaths\":[]}",
		  "state.json: nsboxCgroupPaths: must be an object");
	bad_state("{\"id\":\"c\",\"nsboxCgroup\":\"/c\",\"nsboxCgroupPaths\":{\"a=b\":\"/d\"}}",
		  "state.json: nsboxCgroupPaths: 'a=b': must be a hierarchy's path");
	bad_state("{\"id\":\"c\",\"nsboxCgroup\":\"/c\",\"nsboxCgroupPaths\":{\"m\":\"/d\\n/e\"}}",
		  "state.json: nsboxCgroupPaths: 'm': must be a hierarchy's path");

	tap_is_int(nb_state_parse("{\"id\":", 7, &st, &err), -EBADMSG, "a cut state.json");
	tap_is_str(err.msg, "state.json:1:7: invalid token near end of file", "its message");
	tap_ok(!st.id && !st.annotations.len, "nothing kept");

	/* Found by fuzz-state: values were cut to fit (a pid of 4294967297 was
	 * pid 1), wrong types read as 0, and fields that nb_state_text() writes
	 * only with their condition came back different. */
	bad_state("{\"id\":\"c\",\"pid\":4294967297}", "state.json: pid: must be an integer from 0 to 2147483647");
	bad_state("{\"id\":\"c\",\"pid\":-1}", "state.json: pid: must be an integer from 0 to 2147483647");
	bad_state("{\"id\":\"c\",\"pid\":\"12\"}", "state.json: pid: must be an integer from 0 to 2147483647");
	bad_state("{\"id\":\"c\",\"nsboxOwner\":4294967296}",
		  "state.json: nsboxOwner: must be an integer from 0 to 4294967295");
	bad_state("{\"id\":7}", "state.json: id: must be a string");
	bad_state("{\"id\":\"c\",\"nsboxCreating\":1}", "state.json: nsboxCreating: must be true or false");
	bad_state("{\"id\":\"c\",\"annotations\":{\"a\":1}}", "state.json: annotations: must be an object of strings");
	bad_state("[1]", "state.json: must be a JSON object");
	bad_state("{\"id\":\"c\",\"annotations\":{\"a=b\":\"c\"}}",
		  "state.json: annotations: a key is empty or holds '='");
	tap_is_int(nb_state_parse(partial, strlen(partial), &st, &err), 0,
		   "ns start time without an ns pid, creator without creating");
	tap_ok(st.ns_start_time == 0 && st.creator_pid == 0 && !st.creating && st.pid == 0 &&
	       nb_streq(st.bundle, ""), "read as absent, as nb_state_text() would write them");
	nb_state_free(&st);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	struct nb_error err = { 0 };

	test_ids();
	test_parse();
	test_hooks_text();
	snprintf(root, sizeof(root), "%s/nsbox-test-state.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root) || nb_state_root_open(root, &rootfd, &err) < 0)
		return 1;
	test_large_state();
	test_creating();
	test_empty_record();
	test_symlinks();
	close(rootfd);
	tap_is_int(rmdir(root), 0, "the state root is empty at the end");
	return tap_done();
}
