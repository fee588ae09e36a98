/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/bpf_load.h"
#include "base/cleanup.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* The verifier's log of a refused program. Only the end matters; kernels
 * from 6.4 keep the end of a log that overflows, older ones the start. */
#define LOG_SIZE (1 << 20)

/* libbpf's first warning since the last reset, "libbpf: " taken off. */
static char libbpf_said[512];

__attribute__((format(printf, 2, 0)))
static int on_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[sizeof(libbpf_said)];
	const char *p = line;
	size_t len;

	if (level != LIBBPF_WARN || libbpf_said[0] != '\0')
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	if (strncmp(p, "libbpf: ", 8) == 0)
		p += 8;
	len = strcspn(p, "\n");
	memcpy(libbpf_said, p, len);
	libbpf_said[len] = '\0';
	return 0;
}

void nb_bpf_quiet(void)
{
	libbpf_set_print(on_print);
}

/* The verifier's reason: the last line of its log that is neither a
 * statistic ("processed 12 insns...", "verification time...") nor a line
 * of source that BTF adds ("; return x; @ devices.bpf.c:50"). */
static const char *verifier_reason(char *log)
{
	char *line, *save = NULL, *last = NULL;

	for (line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "processed ", 10) == 0 ||
		    strncmp(line, "verification time", 17) == 0 ||
		    strncmp(line, "stack depth", 11) == 0 || line[0] == ';' ||
		    line[strspn(line, " \t")] == '\0')
			continue;
		last = line;
	}
	return last;
}

/* RLIMIT_MEMLOCK, now OLD, as high as it goes. */
static void raise_memlock(const struct rlimit *old)
{
	struct rlimit up = { RLIM_INFINITY, RLIM_INFINITY };

	if (old->rlim_cur == RLIM_INFINITY || setrlimit(RLIMIT_MEMLOCK, &up) == 0)
		return;
	/* No CAP_SYS_RESOURCE: up to the hard limit. */
	up.rlim_cur = up.rlim_max = old->rlim_max;
	(void)setrlimit(RLIMIT_MEMLOCK, &up);
}

int nb_bpf_object_load(struct bpf_object *obj, struct bpf_program *prog, const char *what,
		       struct nb_error *err)
{
	_cleanup_free_ char *log = malloc(LOG_SIZE);
	struct rlimit old;
	const char *why = NULL;
	bool have_old;
	int r, e;

	nb_bpf_quiet();
	if (!log)
		return nb_error_set(err, ENOMEM, "%s: out of memory", what);
	log[0] = '\0';
	if ((r = bpf_program__set_log_buf(prog, log, LOG_SIZE)) < 0)
		return nb_error_sys(err, -r, "%s: set the verifier's log", what);
	libbpf_said[0] = '\0';
	/* libbpf's own raise, if it makes one, happens in here too: putting
	 * the limit back undoes it as well. */
	have_old = getrlimit(RLIMIT_MEMLOCK, &old) == 0;
	if (have_old)
		raise_memlock(&old);
	r = bpf_object__load(obj);
	e = -r;
	if (have_old)
		(void)setrlimit(RLIMIT_MEMLOCK, &old);
	if (r == 0)
		return 0;
	if (e <= 0 || e >= 4000)   /* libbpf's own codes (LIBBPF_ERRNO__*) */
		e = EINVAL;
	log[LOG_SIZE - 1] = '\0';
	if (log[0] != '\0')
		why = verifier_reason(log);
	if (why)
		return nb_error_sys(err, e, "%s: verifier%s: %s", what,
				    e == ENOSPC ? " (its log cut)" : "", why);
	if (e == EPERM)
		return nb_error_sys(err, e, "%s (BPF needs CAP_SYS_ADMIN, or CAP_BPF with "
				    "CAP_NET_ADMIN, in the initial user namespace: none for a "
				    "rootless nsbox)", what);
	if (libbpf_said[0] != '\0')
		return nb_error_sys(err, e, "%s (libbpf: %s)", what, libbpf_said);
	return nb_error_sys(err, e, "%s", what);
}
