/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nsbox-devtest: cgroup v2 device control (linux/cgroup_bpf.h) tried for
 * real, for tests/integration/cgroup-devices.bats. Root only.
 *
 *   nsbox-devtest CGROUP STEP...
 *
 * Creates the cgroup2 directory CGROUP (it must not exist), forks a child,
 * moves it there, and runs the steps in order. The child opens and makes
 * device nodes that the parent, outside the cgroup, made in a temporary
 * directory (nodes outside /dev, as an image could ship them). At the end,
 * on failure and on SIGTERM/SIGINT too, the child is killed and the cgroup
 * and the directory are removed.
 *
 * Steps:
 *   allow|deny TYPE MAJ:MIN ACCESS   a rule for the next apply; '*' for any
 *                                    number, '-' for the empty access
 *   apply                            nb_cg_devices_apply() with the rules
 *                                    given since the previous apply
 *   open TYPE MAJ:MIN r|w|rw ok|EPERM   the child opens the node so
 *   mknod TYPE MAJ:MIN ok|EPERM      the child makes a node of that device
 *   foreign TYPE MAJ:MIN             attach a program that is not nsbox's
 *                                    ("other_dev"), denying that device
 *                                    (nsbox's program, loaded anew under
 *                                    another name)
 *   plant TYPE MAJ:MIN               the same under nsbox's name, as one an
 *                                    interrupted update could leave
 *   attached OURS OTHERS             the programs on the cgroup
 *   detach N                         nb_cg_devices_detach_all_ours() says N
 *   error-at DIR TEXT                applying to DIR fails with TEXT in the
 *                                    message
 *   refused TEXT                     loading a program the verifier refuses
 *                                    (refused.bpf.c) fails with TEXT in
 *                                    the message
 *   bench N                          time N conversions, loads and applies
 *                                    of the last rules
 *
 * Prints one line per step, "ok ..." or "FAIL ...". Exit status: 0 if every
 * step went as expected, 1 if one did not, 2 if the set-up failed.
 */
#include "base/cleanup.h"
#include "linux/bpf_load.h"
#include "linux/cgroup_bpf.h"
/* After bpf/devices_match.h (from linux/cgroup_bpf.h): its struct. */
#include "bpf/devices.skel.h"
#include "refused.skel.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct request {
	char op;            /* 'o' open, 'n' mknod */
	int flags;          /* open */
	mode_t mode;        /* mknod */
	dev_t dev;
	char name[64];      /* in the temporary directory */
};

/* What the cleanup needs, also from a signal handler. */
static volatile pid_t child = -1;
static char cgroup_path[4096];
static char tmp_path[] = "/tmp/nsbox-devtest.XXXXXX";
static volatile sig_atomic_t have_cgroup, have_tmp;

/* The nodes the parent made, by name (the child removes those it makes). */
static char made[256][64];
static volatile sig_atomic_t n_made;

static void remove_tmp(void)
{
	int i;

	if (!have_tmp)
		return;
	for (i = 0; i < n_made; i++) {
		char path[sizeof(tmp_path) + 80];

		memcpy(path, tmp_path, sizeof(tmp_path) - 1);
		path[sizeof(tmp_path) - 1] = '/';
		memcpy(path + sizeof(tmp_path), made[i], sizeof(made[i]));
		unlink(path);
	}
	rmdir(tmp_path);
	have_tmp = 0;
}

static void cleanup(void)
{
	int i;

	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		child = -1;
	}
	if (have_cgroup) {
		/* An exited process leaves its cgroup a moment after it is reaped. */
		for (i = 0; i < 200 && rmdir(cgroup_path) < 0 && errno == EBUSY; i++) {
			struct timespec ts = { 0, 5 * 1000 * 1000 };

			nanosleep(&ts, NULL);
		}
		have_cgroup = 0;
	}
	remove_tmp();
}

static void on_signal(int sig)
{
	cleanup();
	signal(sig, SIG_DFL);
	kill(getpid(), sig);
}

static int setup_fail(const char *what)
{
	fprintf(stderr, "nsbox-devtest: %s: %s\n", what, strerror(errno));
	cleanup();
	return 2;
}

/* The child: serve requests until the socket closes. */
static void child_main(int sock, int tmpfd)
{
	struct request q;

	while (recv(sock, &q, sizeof(q), 0) == (ssize_t)sizeof(q)) {
		int e = 0;

		if (q.op == 'o') {
			int fd = openat(tmpfd, q.name, q.flags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

			if (fd < 0)
				e = errno;
			else
				close(fd);
		} else if (mknodat(tmpfd, q.name, q.mode, q.dev) < 0) {
			e = errno;
		} else {
			unlinkat(tmpfd, q.name, 0);
		}
		if (send(sock, &e, sizeof(e), 0) != (ssize_t)sizeof(e))
			break;
	}
	_exit(0);
}

static int ask(int sock, const struct request *q)
{
	int e;

	if (send(sock, q, sizeof(*q), 0) != (ssize_t)sizeof(*q) ||
	    recv(sock, &e, sizeof(e), 0) != (ssize_t)sizeof(e))
		return -1;
	return e;
}

static bool parse_num(const char *s, int64_t *v)
{
	char *end;

	if (strcmp(s, "*") == 0) {
		*v = -1;
		return true;
	}
	errno = 0;
	*v = strtoll(s, &end, 10);
	return errno == 0 && end != s && *end == '\0';
}

/* "c" "1:5" into a type and numbers. */
static bool parse_dev(const char *type, const char *mm, char *t, int64_t *maj, int64_t *min)
{
	char buf[64];
	char *colon;

	if (strlen(type) != 1 || !strchr("abc", type[0]) || snprintf(buf, sizeof(buf), "%s", mm) >=
								    (int)sizeof(buf))
		return false;
	if (!(colon = strchr(buf, ':')))
		return false;
	*colon = '\0';
	*t = type[0];
	return parse_num(buf, maj) && parse_num(colon + 1, min);
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Attach nsbox's program of "allow a *:* rwm; deny TYPE MAJ:MIN rwm" under
 * NAME: its skeleton loaded, its instructions (map fds in place) loaded
 * again with libbpf's bpf_prog_load() under the other name. */
static int attach_foreign(int cgfd, const char *name, char type, int64_t maj, int64_t min,
			  struct nb_error *err)
{
	struct nb_device_rule r[2] = {
		{ .allow = true, .type = 'a', .major = -1, .minor = -1, .access = "" },
		{ .allow = false, .type = type, .major = maj, .minor = min, .access = "" },
	};
	LIBBPF_OPTS(bpf_prog_attach_opts, o, .flags = BPF_F_ALLOW_MULTI);
	struct devices_bpf *skel;
	_cleanup_close_ int fd = -1;
	int n;

	nb_bpf_quiet();
	if (!(skel = devices_bpf__open()))
		return nb_error_errno(err, "open the program");
	if ((n = nb_cg_devices_rules(r, 2, skel->rodata->nb_dev_rules, err)) >= 0) {
		skel->rodata->nb_dev_n_rules = (uint32_t)n;
		n = nb_bpf_object_load(skel->obj, skel->progs.nsbox_dev, "load the program", err);
	}
	if (n < 0) {
		devices_bpf__destroy(skel);
		return -1;
	}
	fd = bpf_prog_load(BPF_PROG_TYPE_CGROUP_DEVICE, name, "GPL",
			   bpf_program__insns(skel->progs.nsbox_dev),
			   bpf_program__insn_cnt(skel->progs.nsbox_dev), NULL);
	devices_bpf__destroy(skel);
	if (fd < 0)
		return nb_error_sys(err, -fd, "load program '%s'", name);
	if ((n = bpf_prog_attach_opts(fd, cgfd, BPF_CGROUP_DEVICE, &o)) < 0)
		return nb_error_sys(err, -n, "attach program '%s'", name);
	return 0;
}

int main(int argc, char *argv[])
{
	static struct nb_device_rule rules[NB_CG_DEV_MAX_RULES + 8], last[NB_CG_DEV_MAX_RULES + 8];
	size_t n_rules = 0, n_last = 0;
	_cleanup_close_ int cgfd = -1, tmpfd = -1;
	int sv[2], failed = 0, i, seq = 0;
	char buf[64], line[4200], want_line[4200];
	FILE *f;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: nsbox-devtest CGROUP STEP...\n");
		return 2;
	}
	if (snprintf(cgroup_path, sizeof(cgroup_path), "%s", argv[1]) >= (int)sizeof(cgroup_path))
		return 2;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGHUP, on_signal);
	if (mkdir(cgroup_path, 0755) < 0)
		return setup_fail("create the cgroup");
	have_cgroup = 1;
	if ((cgfd = open(cgroup_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return setup_fail("open the cgroup");
	if (!mkdtemp(tmp_path))
		return setup_fail("create the node directory");
	have_tmp = 1;
	if ((tmpfd = open(tmp_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return setup_fail("open the node directory");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return setup_fail("socketpair");
	if ((pid = fork()) < 0)
		return setup_fail("fork");
	if (pid == 0) {
		close(sv[0]);
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() == 1)
			_exit(1);
		child_main(sv[1], tmpfd);
	}
	child = pid;
	close(sv[1]);

	/* Move the child in, and check that it is there. */
	snprintf(line, sizeof(line), "%s/cgroup.procs", cgroup_path);
	snprintf(buf, sizeof(buf), "%d", (int)pid);
	if (!(f = fopen(line, "we")) || fputs(buf, f) == EOF || fclose(f) == EOF)
		return setup_fail("move the child into the cgroup");
	snprintf(line, sizeof(line), "/proc/%d/cgroup", (int)pid);
	snprintf(want_line, sizeof(want_line), "/%s\n", strrchr(cgroup_path, '/') ?
			 strrchr(cgroup_path, '/') + 1 : cgroup_path);
	{
		bool inside = false;

		if (!(f = fopen(line, "re")))
			return setup_fail("read the child's cgroup");
		while (fgets(line, sizeof(line), f))
			if (strncmp(line, "0::", 3) == 0 && strlen(line) >= strlen(want_line) &&
			    strcmp(line + strlen(line) - strlen(want_line), want_line) == 0)
				inside = true;
		fclose(f);
		if (!inside) {
			errno = ESRCH;
			return setup_fail("the child is not in the cgroup");
		}
	}
	printf("cgroup %s, child %d, nodes in %s\n", cgroup_path, (int)pid, tmp_path);

	for (i = 2; i < argc;) {
		const char *step = argv[i];
		struct nb_error err = { 0 };
		int left = argc - i;

#define NEED(K) do { if (left < (K)) goto usage; } while (0)
		if (strcmp(step, "allow") == 0 || strcmp(step, "deny") == 0) {
			struct nb_device_rule *r = &rules[n_rules];

			NEED(4);
			if (n_rules == NB_ARRAY_SIZE(rules) ||
			    !parse_dev(argv[i + 1], argv[i + 2], &r->type, &r->major, &r->minor))
				goto usage;
			r->allow = step[0] == 'a';
			snprintf(r->access, sizeof(r->access), "%s",
				 strcmp(argv[i + 3], "-") == 0 ? "" : argv[i + 3]);
			n_rules++;
			i += 4;
		} else if (strcmp(step, "apply") == 0) {
			double t = now_us();
			int r = nb_cg_devices_apply(cgfd, rules, n_rules, &err);

			t = now_us() - t;
			if (r < 0) {
				printf("FAIL apply (%zu rules): %s\n", n_rules, err.msg);
				failed = 1;
			} else {
				printf("ok apply (%zu rules, %.0f us)\n", n_rules, t);
			}
			memcpy(last, rules, n_rules * sizeof(*rules));
			n_last = n_rules;
			n_rules = 0;
			i += 1;
		} else if (strcmp(step, "open") == 0 || strcmp(step, "mknod") == 0) {
			bool is_open = step[0] == 'o';
			struct request q = { 0 };
			const char *want, *how = "";
			int64_t maj, min;
			char t;
			int e;

			NEED(is_open ? 5 : 4);
			if (!parse_dev(argv[i + 1], argv[i + 2], &t, &maj, &min) || t == 'a' ||
			    maj < 0 || min < 0)
				goto usage;
			q.dev = makedev((unsigned)maj, (unsigned)min);
			q.mode = (t == 'b' ? S_IFBLK : S_IFCHR) | 0600;
			if (is_open) {
				how = argv[i + 3];
				want = argv[i + 4];
				q.op = 'o';
				q.flags = strcmp(how, "r") == 0 ? O_RDONLY :
					  strcmp(how, "w") == 0 ? O_WRONLY :
					  strcmp(how, "rw") == 0 ? O_RDWR : -1;
				if (q.flags < 0)
					goto usage;
				/* The node, made from outside the cgroup. */
				snprintf(q.name, sizeof(q.name), "%c-%lld-%lld", t, (long long)maj,
					 (long long)min);
				if (mknodat(tmpfd, q.name, q.mode, q.dev) == 0) {
					if (n_made == NB_ARRAY_SIZE(made)) {
						unlinkat(tmpfd, q.name, 0);
						goto usage;
					}
					memcpy(made[n_made], q.name, sizeof(q.name));
					n_made = n_made + 1;
				} else if (errno != EEXIST) {
					return setup_fail("make a device node");
				}
			} else {
				want = argv[i + 3];
				q.op = 'n';
				snprintf(q.name, sizeof(q.name), "made-%d", seq++);
			}
			if (strcmp(want, "ok") != 0 && strcmp(want, "EPERM") != 0)
				goto usage;
			e = ask(sv[0], &q);
			if (e < 0)
				return setup_fail("talk to the child");
			if ((e == 0 && want[0] == 'o') || (e == EPERM && want[0] == 'E')) {
				printf("ok %s %c %s %s%s-> %s\n", step, t, argv[i + 2], how,
				       *how ? " " : "", e ? "EPERM" : "ok");
			} else {
				printf("FAIL %s %c %s %s%s-> %s, expected %s\n", step, t, argv[i + 2],
				       how, *how ? " " : "", e ? strerror(e) : "ok", want);
				failed = 1;
			}
			i += is_open ? 5 : 4;
		} else if (strcmp(step, "foreign") == 0 || strcmp(step, "plant") == 0) {
			const char *name = step[0] == 'f' ? "other_dev" : NB_CG_DEV_PROG_NAME;
			int64_t maj, min;
			char t;

			NEED(3);
			if (!parse_dev(argv[i + 1], argv[i + 2], &t, &maj, &min))
				goto usage;
			if (attach_foreign(cgfd, name, t, maj, min, &err) < 0) {
				printf("FAIL %s: %s\n", step, err.msg);
				failed = 1;
			} else {
				printf("ok %s: program '%s' denying %c %s\n", step, name, t, argv[i + 2]);
			}
			i += 3;
		} else if (strcmp(step, "attached") == 0) {
			size_t ours = 0, others = 0;
			char got[64];

			NEED(3);
			if (nb_cg_devices_attached(cgfd, &ours, &others, &err) < 0) {
				printf("FAIL attached: %s\n", err.msg);
				failed = 1;
			} else {
				snprintf(got, sizeof(got), "%zu %zu", ours, others);
				snprintf(buf, sizeof(buf), "%s %s", argv[i + 1], argv[i + 2]);
				printf("%s attached: %zu of ours, %zu of others%s%s\n",
				       strcmp(got, buf) ? "FAIL" : "ok", ours, others,
				       strcmp(got, buf) ? ", expected " : "", strcmp(got, buf) ? buf : "");
				failed |= strcmp(got, buf) != 0;
			}
			i += 3;
		} else if (strcmp(step, "detach") == 0) {
			int r;

			NEED(2);
			r = nb_cg_devices_detach_all_ours(cgfd, &err);
			if (r < 0 || r != atoi(argv[i + 1])) {
				printf("FAIL detach: %d (%s), expected %s\n", r, r < 0 ? err.msg : "-",
				       argv[i + 1]);
				failed = 1;
			} else {
				printf("ok detached %d\n", r);
			}
			i += 2;
		} else if (strcmp(step, "error-at") == 0) {
			_cleanup_close_ int dfd = -1;
			int r;

			NEED(3);
			if ((dfd = open(argv[i + 1], O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
				return setup_fail("open the error-at directory");
			r = nb_cg_devices_apply(dfd, NULL, 0, &err);
			if (r < 0 && strstr(err.msg, argv[i + 2])) {
				printf("ok error at %s: %s\n", argv[i + 1], err.msg);
			} else {
				printf("FAIL error at %s: %d '%s', expected '%s'\n", argv[i + 1], r,
				       r < 0 ? err.msg : "", argv[i + 2]);
				failed = 1;
			}
			i += 3;
		} else if (strcmp(step, "refused") == 0) {
			struct refused_bpf *bad;
			int r = -1;

			NEED(2);
			nb_bpf_quiet();
			if (!(bad = refused_bpf__open()))
				return setup_fail("open refused.bpf.c's program");
			r = nb_bpf_object_load(bad->obj, bad->progs.nsbox_bad, "load device program",
					       &err);
			refused_bpf__destroy(bad);
			if (r < 0 && strstr(err.msg, argv[i + 1])) {
				printf("ok refused: %s\n", err.msg);
			} else {
				printf("FAIL refused: %d '%s', expected '%s'\n", r, r < 0 ? err.msg : "",
				       argv[i + 1]);
				failed = 1;
			}
			i += 2;
		} else if (strcmp(step, "bench") == 0) {
			static struct nb_dev_rule data[NB_CG_DEV_MAX_RULES];
			struct bpf_prog_info info;
			uint32_t info_len = sizeof(info);
			int k, count, n = 0, fd;
			double t_conv, t_load, t_apply;

			NEED(2);
			count = atoi(argv[i + 1]);
			if (count <= 0)
				goto usage;
			t_conv = now_us();
			for (k = 0; k < count && n >= 0; k++)
				n = nb_cg_devices_rules(last, n_last, data, &err);
			t_conv = (now_us() - t_conv) / count;
			t_load = now_us();
			for (k = 0; k < count && n >= 0; k++) {
				if ((fd = nb_cg_devices_load(last, n_last, &err)) < 0)
					n = fd;
				else
					close(fd);
			}
			t_load = (now_us() - t_load) / count;
			t_apply = now_us();
			for (k = 0; k < count && n >= 0; k++)
				if (nb_cg_devices_apply(cgfd, last, n_last, &err) < 0)
					n = -1;
			t_apply = (now_us() - t_apply) / count;
			/* What the verifier went through (Linux 5.16: verified_insns). */
			memset(&info, 0, sizeof(info));
			if (n >= 0 && (fd = nb_cg_devices_load(last, n_last, &err)) >= 0) {
				if (bpf_obj_get_info_by_fd(fd, &info, &info_len) < 0)
					memset(&info, 0, sizeof(info));
				close(fd);
			}
			if (n < 0) {
				printf("FAIL bench: %s\n", err.msg);
				failed = 1;
			} else {
				printf("ok bench: %zu rules, %d entries, verifier processed %u "
				       "instructions; per call over %d: convert %.1f us, load %.1f us, "
				       "apply (load, query, replace) %.1f us\n", n_last, n,
				       info.verified_insns, count, t_conv, t_load, t_apply);
			}
			i += 2;
		} else {
			goto usage;
		}
#undef NEED
	}
	cleanup();
	return failed;
usage:
	fprintf(stderr, "nsbox-devtest: bad step at '%s' (see the usage in tests/helpers/devtest.c)\n",
		argv[i]);
	cleanup();
	return 2;
}
