/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "spec/judge_args.h"
#include "spec/resources.h"
#include "base/cleanup.h"
#include "base/strutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define NOFILE_MAX (1 << 30)   /* fs.nr_open's own ceiling */

static const struct {
	const char *name;
	bool value;
} options[] = {
	{ "time-limit", true }, { "wall-time-limit", true }, { "extra-time", true },
	{ "fsize", true }, { "nofile", true }, { "stack", true }, { "core", true }, { "as", true },
	{ "stdin", true }, { "stdout", true }, { "stderr", true }, { "stderr-to-stdout", false },
	{ "output-limit", true }, { "inherit-fd", true }, { "report", true }, { "meta", true },
};

static const struct {
	const char *name;
	int resource;
} rlims[NB_JR_COUNT] = {
	[NB_JR_FSIZE] = { "fsize", RLIMIT_FSIZE }, [NB_JR_NOFILE] = { "nofile", RLIMIT_NOFILE },
	[NB_JR_STACK] = { "stack", RLIMIT_STACK }, [NB_JR_CORE] = { "core", RLIMIT_CORE },
	[NB_JR_AS] = { "as", RLIMIT_AS },
};

void nb_judge_plan_init(struct nb_judge_plan *p)
{
	memset(p, 0, sizeof(*p));
	p->cpu_us = p->wall_us = p->extra_us = NB_JUDGE_UNSET;
	p->output_limit = NB_JUDGE_UNSET;
}

bool nb_judge_is_option(const char *name, bool *takes_value)
{
	for (size_t i = 0; i < NB_ARRAY_SIZE(options); i++)
		if (nb_streq(name, options[i].name)) {
			if (takes_value)
				*takes_value = options[i].value;
			return true;
		}
	return false;
}

const char *nb_judge_rlim_name(enum nb_judge_rlim r)
{
	return r < NB_JR_COUNT ? rlims[r].name : "?";
}

int nb_judge_rlim_resource(enum nb_judge_rlim r)
{
	return r < NB_JR_COUNT ? rlims[r].resource : -1;
}

/* Seconds, fractional ("0.5"), or a Go duration ("250ms"), into
 * microseconds, rounded to the nearest. ZERO_OK: 0 is allowed. */
static int parse_seconds(const char *name, const char *arg, bool zero_ok, int64_t *ret,
			 struct nb_error *err)
{
	uint64_t ns;

	if (arg[0] == '-' || arg[0] == '+' || nb_parse_duration(arg, &ns) < 0)
		return nb_error_usage(err, "--%s '%s': expected seconds, such as 2, 0.5 or 250ms", name, arg);
	if (ns > (uint64_t)NB_JUDGE_MAX_SECONDS * 1000000000ULL)
		return nb_error_usage(err, "--%s '%s': at most %d seconds", name, arg, NB_JUDGE_MAX_SECONDS);
	*ret = (int64_t)((ns + 500) / 1000);
	if (*ret == 0 && !zero_ok)
		return nb_error_usage(err, "--%s '%s': must be at least 1 microsecond", name, arg);
	return 0;
}

static int parse_size(const char *name, const char *arg, bool unlimited_ok, uint64_t *ret,
		      struct nb_error *err)
{
	int64_t v;
	int r;

	if (unlimited_ok && nb_streq(arg, "unlimited")) {
		*ret = NB_JUDGE_UNLIMITED;
		return 0;
	}
	r = arg[0] == '-' ? -EINVAL : nb_res_parse_size(arg, &v);
	if (r == -ERANGE)
		return nb_error_usage(err, "--%s '%s': too large", name, arg);
	if (r < 0)
		return nb_error_usage(err, "--%s '%s': expected a size such as 512k, 64m or 2g (powers "
				      "of 1024)%s", name, arg, unlimited_ok ? ", or 'unlimited'" : "");
	*ret = (uint64_t)v;
	return 0;
}

static int parse_rlimit(struct nb_judge_plan *p, enum nb_judge_rlim which, const char *arg,
			struct nb_error *err)
{
	struct nb_judge_rlimit *rl = &p->rlim[which];
	int r;

	if (which == NB_JR_NOFILE) {
		uint64_t n;

		if (nb_parse_u64(arg, NOFILE_MAX, &n) < 0)
			return nb_error_usage(err, "--nofile '%s': expected a number from 0 to %d", arg,
					      NOFILE_MAX);
		rl->value = n;
	} else {
		r = parse_size(rlims[which].name, arg, which != NB_JR_FSIZE, &rl->value, err);
		if (r < 0)
			return r;
	}
	rl->set = true;
	return 0;
}

static int parse_path(const char *name, const char *arg, const char **field, struct nb_error *err)
{
	if (arg[0] == '\0')
		return nb_error_usage(err, "--%s: empty path", name);
	*field = arg;
	return 0;
}

static int parse_inherit(struct nb_judge_plan *p, const char *arg, struct nb_error *err)
{
	int fd;

	if (nb_parse_int(arg, 3, 1 << 30, &fd) < 0)
		return nb_error_usage(err, "--inherit-fd '%s': expected an fd number of 3 or more (0, 1 "
				      "and 2: --stdin, --stdout, --stderr)", arg);
	for (size_t i = 0; i < p->n_inherit; i++)
		if (p->inherit_fds[i] == fd)
			return nb_error_usage(err, "--inherit-fd %d: given twice", fd);
	if (p->n_inherit >= NB_JUDGE_MAX_FDS)
		return nb_error_usage(err, "--inherit-fd: at most %d fds", NB_JUDGE_MAX_FDS);
	p->inherit_fds[p->n_inherit++] = fd;
	return 0;
}

int nb_judge_parse(struct nb_judge_plan *p, const char *name, const char *arg, struct nb_error *err)
{
	uint64_t bytes;
	int r;

	for (int i = 0; i < NB_JR_COUNT; i++)
		if (nb_streq(name, rlims[i].name))
			return parse_rlimit(p, (enum nb_judge_rlim)i, arg, err);
	if (nb_streq(name, "time-limit"))
		return parse_seconds(name, arg, false, &p->cpu_us, err);
	if (nb_streq(name, "wall-time-limit"))
		return parse_seconds(name, arg, false, &p->wall_us, err);
	if (nb_streq(name, "extra-time"))
		return parse_seconds(name, arg, true, &p->extra_us, err);
	if (nb_streq(name, "stdin"))
		return parse_path(name, arg, &p->stdin_path, err);
	if (nb_streq(name, "stdout"))
		return parse_path(name, arg, &p->stdout_path, err);
	if (nb_streq(name, "stderr"))
		return parse_path(name, arg, &p->stderr_path, err);
	if (nb_streq(name, "report"))
		return parse_path(name, arg, &p->report_path, err);
	if (nb_streq(name, "meta"))
		return parse_path(name, arg, &p->meta_path, err);
	if (nb_streq(name, "stderr-to-stdout")) {
		p->stderr_to_stdout = true;
		return 0;
	}
	if (nb_streq(name, "inherit-fd"))
		return parse_inherit(p, arg, err);
	if (nb_streq(name, "output-limit")) {
		r = parse_size(name, arg, false, &bytes, err);
		if (r >= 0)
			p->output_limit = (int64_t)bytes;
		return r;
	}
	return nb_error_usage(err, "internal: --%s is no judge option", name);
}

bool nb_judge_watched(const struct nb_judge_plan *p)
{
	return p->watch || p->cpu_us != NB_JUDGE_UNSET || p->wall_us != NB_JUDGE_UNSET ||
	       p->output_limit != NB_JUDGE_UNSET || p->report_path || p->meta_path;
}

bool nb_judge_has_io(const struct nb_judge_plan *p)
{
	return p->stdin_path || p->stdout_path || p->stderr_path || p->stderr_to_stdout ||
	       p->n_inherit || p->output_limit != NB_JUDGE_UNSET;
}

static int check(const struct nb_judge_plan *p, bool detach, const struct nb_config *cfg,
		 struct nb_error *err)
{
	if (p->extra_us != NB_JUDGE_UNSET && p->cpu_us == NB_JUDGE_UNSET && p->wall_us == NB_JUDGE_UNSET)
		return nb_error_usage(err, "--extra-time needs --time-limit or --wall-time-limit");
	if (p->stderr_path && p->stderr_to_stdout)
		return nb_error_usage(err, "--stderr and --stderr-to-stdout: choose one");
	if (cfg->tty && (nb_judge_has_io(p) || nb_judge_watched(p)))
		return nb_error_usage(err, "--tty: not with --stdin, --stdout, --stderr, --inherit-fd, "
				      "time limits, --output-limit, --report or --meta");
	if (detach && (nb_judge_has_io(p) || nb_judge_watched(p)))
		return nb_error_usage(err, "--detach: not with --stdin, --stdout, --stderr, --inherit-fd, "
				      "time limits, --output-limit, --report or --meta (nobody would "
				      "watch the run)");
	if (p->report_path && p->meta_path && nb_streq(p->report_path, p->meta_path))
		return nb_error_usage(err, "--report and --meta: the same file '%s'", p->report_path);
	return 0;
}

/* Set RESOURCE to VALUE (soft and hard) in SEC, replacing an earlier one. */
static int set_rlimit(struct nb_security *sec, int resource, uint64_t value, struct nb_error *err)
{
	struct nb_rlimit *list;

	for (size_t i = 0; i < sec->n_rlimits; i++)
		if (sec->rlimits[i].resource == resource) {
			sec->rlimits[i].soft = sec->rlimits[i].hard = value;
			return 0;
		}
	list = realloc(sec->rlimits, (sec->n_rlimits + 1) * sizeof(*list));
	if (!list)
		return nb_error_set(err, ENOMEM, "out of memory");
	sec->rlimits = list;
	sec->rlimits[sec->n_rlimits++] = (struct nb_rlimit){ .resource = resource, .soft = value,
							     .hard = value };
	return 0;
}

int nb_judge_apply(const struct nb_judge_plan *p, bool detach, struct nb_config *cfg,
		   struct nb_error *err)
{
	int r = check(p, detach, cfg, err);

	for (int i = 0; r >= 0 && i < NB_JR_COUNT; i++) {
		uint64_t v = p->rlim[i].value;

		if (!p->rlim[i].set && i != NB_JR_CORE)
			continue;
		if (!p->rlim[i].set)
			v = 0;   /* no core dumps unless asked for */
		r = set_rlimit(&cfg->sec, rlims[i].resource, v == NB_JUDGE_UNLIMITED ? RLIM_INFINITY : v,
			       err);
	}
	return r;
}
