/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-cli-args: the command lines of spec/cli_args.h (global options,
 * create/run --bundle, exec, kill, delete, ps, list, events, spec, the
 * one-id commands) and the container id check. Input: one byte that
 * picks the parser, then the arguments, NUL-separated. */
#include "fuzz.h"
#include "runtime/state.h"
#include "spec/cli_args.h"

#include <signal.h>
#include <string.h>

/* An id a parser accepted: a pointer into argv, checked as commands do. */
static void check_id(const struct fuzz_argv *a, const char *id)
{
	struct nb_error err = { 0 };

	FUZZ_CHECK(id && fuzz_argv_holds(a, id), "the id points outside argv");
	fuzz_check_error(nb_container_id_check(id, &err), &err, "nb_container_id_check");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {
		"nsbox", "start", "create", "exec", "kill", "delete", "ps", "list", "events", "spec",
	};
	struct nb_error err = { 0 };
	struct fuzz_argv a;
	unsigned which;
	int r;

	if (size < 1)
		return 0;
	which = data[0] % (sizeof(names) / sizeof(names[0]));
	fuzz_argv_make(&a, names[which], data + 1, size - 1);
	switch (which) {
	case 0: {
		struct nb_global_args g;

		r = nb_global_parse_args(a.argc, a.argv, &g, &err);
		FUZZ_CHECK(r <= a.argc, "globals: index %d of %d", r, a.argc);
		FUZZ_CHECK(r != 0 || g.help || g.version, "globals: 0 without help or version");
		FUZZ_CHECK(r < 0 || (g.rootless >= -1 && g.rootless <= 1), "globals: rootless %d", g.rootless);
		break;
	}
	case 1: {
		struct nb_id_args id;

		r = nb_id_parse_args(a.argc, a.argv, &id, &err);
		if (r == 0 && !id.help)
			check_id(&a, id.id);
		break;
	}
	case 2: {
		struct nb_create_args c;

		r = nb_create_parse_args(a.argc, a.argv, &c, &err);
		if (r == 0 && !c.help) {
			check_id(&a, c.id);
			FUZZ_CHECK(c.preserve_fds >= 0 && c.preserve_fds <= 1 << 20, "preserve_fds %d",
				   c.preserve_fds);
		}
		break;
	}
	case 3: {
		struct nb_exec_args e;

		r = nb_exec_parse_args(a.argc, a.argv, &e, &err);
		if (r == 0 && !e.help) {
			check_id(&a, e.id);
			FUZZ_CHECK(e.first_arg > 0 && e.first_arg <= a.argc, "first_arg %d of %d",
				   e.first_arg, a.argc);
			FUZZ_CHECK(e.process_file || e.first_arg < a.argc, "no command");
			for (size_t i = 0; i < e.env.len; i++)
				FUZZ_CHECK(strchr(e.env.items[i], '='), "an --env without '='");
		}
		nb_exec_args_free(&e);
		break;
	}
	case 4: {
		struct nb_kill_args k;

		r = nb_kill_parse_args(a.argc, a.argv, &k, &err);
		if (r == 0 && !k.help) {
			check_id(&a, k.id);
			FUZZ_CHECK(k.signal >= 0 && k.signal <= SIGRTMAX, "signal %d", k.signal);
		}
		break;
	}
	case 5: {
		struct nb_delete_args d;

		r = nb_delete_parse_args(a.argc, a.argv, &d, &err);
		if (r == 0 && !d.help)
			check_id(&a, d.id);
		break;
	}
	case 6: {
		struct nb_ps_args p;

		r = nb_ps_parse_args(a.argc, a.argv, &p, &err);
		if (r == 0 && !p.help)
			check_id(&a, p.id);
		break;
	}
	case 7: {
		struct nb_list_args l;

		r = nb_list_parse_args(a.argc, a.argv, &l, &err);
		break;
	}
	case 8: {
		struct nb_events_args ev;

		r = nb_events_parse_args(a.argc, a.argv, &ev, &err);
		if (r == 0 && !ev.help) {
			check_id(&a, ev.id);
			FUZZ_CHECK(ev.interval_ns >= 1000000, "interval %llu ns",
				   (unsigned long long)ev.interval_ns);
		}
		break;
	}
	default: {
		struct nb_spec_args s;

		r = nb_spec_parse_args(a.argc, a.argv, &s, &err);
		FUZZ_CHECK(r < 0 || s.help || s.bundle, "spec: no bundle");
		break;
	}
	}
	fuzz_check_error(r, &err, names[which]);
	FUZZ_CHECK(r < 0 || err.msg[0] == '\0', "%s: success with a message: %s", names[which], err.msg);
	fuzz_argv_free(&a);
	return 0;
}
