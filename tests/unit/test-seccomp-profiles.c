/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The seccomp profiles that containerd and podman send (tests/unit/data/
 * seccomp/, see its README): every name resolves (libseccomp, nsbox's
 * table, or libseccomp's pseudo number of another architecture), both
 * loaders read them, the filters build with their three x86 architectures
 * and, loaded in a child, do what the profiles say. The data directory
 * comes from meson in $NSBOX_TEST_DATA.
 */
#include "base/cleanup.h"
#include "linux/seccomp.h"
#include "linux/syscall_table.h"
#include "spec/config.h"
#include "spec/oci.h"
#include "seccomp_sim.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct profile {
	const char *file;
	int default_errno;   /* what a call no rule names gets */
};

static const struct profile profiles[] = {
	{ "containerd-runtimedefault.json", EPERM },
	{ "podman-default.json", ENOSYS },
	{ "podman-restricted.json", ENOSYS },
};

/* The file's text, malloc'd, or NULL. */
static char *read_data(const char *file, size_t *len)
{
	const char *dir = getenv("NSBOX_TEST_DATA");

	/* Run by hand or by scripts/test.sh: the directory meson knew. */
	if (!dir)
		dir = NSBOX_TEST_DATA_DIR;
	_cleanup_free_ char *path = NULL, *text = NULL;
	_cleanup_close_ int fd = -1;
	struct stat st;

	if (!dir || asprintf(&path, "%s/seccomp/%s", dir, file) < 0)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || !(text = malloc((size_t)st.st_size + 1)))
		return NULL;
	if (read(fd, text, (size_t)st.st_size) != st.st_size)
		return NULL;
	text[st.st_size] = '\0';
	*len = (size_t)st.st_size;
	return TAKE_PTR(text);
}

static unsigned unresolved(const struct nb_seccomp *sc)
{
	unsigned n = 0;

	for (size_t r = 0; r < sc->n_rules; r++) {
		for (size_t i = 0; i < sc->rules[r].names.len; i++) {
			const char *name = sc->rules[r].names.items[i];

			if (seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR ||
			    nb_syscall_table_lookup(name, NB_ABI_X86_64) != -ENOENT)
				continue;
			tap_diag("'%s' resolves nowhere", name);
			n++;
		}
	}
	return n;
}

/* The same object inside a config.json, through nb_oci_load(). */
static void check_in_config(const char *file, const char *object, const struct nb_seccomp *sc)
{
	_cleanup_free_ char *doc = NULL, *a = NULL, *b = NULL;
	struct nb_config cfg;
	struct nb_error err;
	int r;

	if (asprintf(&doc, "{\"ociVersion\": \"1.0.2\", \"root\": {\"path\": \"rootfs\"}, \"process\": "
		     "{\"args\": [\"true\"], \"cwd\": \"/\", \"user\": {\"uid\": 0, \"gid\": 0}}, \"linux\": "
		     "{\"namespaces\": [{\"type\": \"mount\"}], \"seccomp\": %s}}", object) < 0)
		doc = NULL;
	nb_config_init(&cfg);
	r = doc ? nb_oci_load(doc, strlen(doc), "/bundle", &cfg, &err) : -ENOMEM;
	tap_is_int(r, 0, "%s: loads as linux.seccomp of a config.json%s%s", file, r < 0 ? ": " : "",
		   r < 0 ? err.msg : "");
	a = nb_oci_seccomp_json(sc);
	b = nb_oci_seccomp_json(&cfg.sec.seccomp);
	tap_ok(r == 0 && a && b && strcmp(a, b) == 0, "%s: both loaders read the same profile", file);
	nb_config_free(&cfg);
}

/* ---- in a child ---- */

static const struct nb_seccomp *loaded;
static int loaded_errno;
static bool i386_live;   /* the kernel has the i386 ABI: checked live too */

#if defined(__x86_64__)
static long i386_syscall(long nr)
{
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr) : "memory", "cc", "r8", "r9", "r10", "r11");
	return ret;
}
#endif

static int child(void)
{
	struct nb_error err;
	long r;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) < 0)
		return 90;
	if (nb_seccomp_load(loaded, NULL, &err) < 0) {
		fprintf(stderr, "child: %s\n", err.msg);
		return 91;
	}
	if (syscall(SYS_getpid) != getpid())
		return 1;
	r = syscall(1000L);
	if (r != -1 || errno != loaded_errno)
		return 2;
	/* userfaultfd is refused by every profile; unfiltered, bad flags
	 * would give EINVAL. */
	r = syscall(SYS_userfaultfd, (long)~0U);
	if (r != -1 || (errno != EPERM && errno != loaded_errno))
		return 3;
#if defined(__x86_64__)
	/* SCMP_ARCH_X86 is listed: i386 getpid (20) is allowed. */
	if (i386_live && i386_syscall(20) != getpid())
		return 4;
	/* So is x32: its getpid is not killed (the kernel may lack x32). */
	syscall(0x40000000L | SYS_getpid);
#endif
	return 0;
}

/* Run FN in a child with SC loaded; its exit status, or 1000 + signal. */
static int run_child(int (*fn)(void), const struct nb_seccomp *sc, int default_errno)
{
	int status;
	pid_t pid;

	loaded = sc;
	loaded_errno = default_errno;
	pid = fork();
	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };

		setrlimit(RLIMIT_CORE, &no_core);
		_exit(fn());
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFSIGNALED(status) ? 1000 + WTERMSIG(status) : WEXITSTATUS(status);
}

static int child_netlink_audit(void)
{
	struct nb_error err;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) < 0 || nb_seccomp_load(loaded, NULL, &err) < 0)
		return 90;
	/* podman-restricted: socket(AF_NETLINK, *, NETLINK_AUDIT) gets EINVAL. */
	if (socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT) != -1 || errno != EINVAL)
		return 1;
	return 0;
}

/* The i386 branch of F's programs, simulated (seccomp_sim.h): getpid (20)
 * allowed, userfaultfd (374) refused, an unknown number the default errno. */
static void test_simulated(const struct profile *p, const struct nb_seccomp_filter *f)
{
	struct sock_filter *main_prog = NULL, *guard = NULL;
	const struct sock_filter *progs[2];
	size_t n_main = 0, n_guard = 0, n;
	struct nb_error err;
	uint32_t uffd;
	int r = nb_seccomp_filter_export_both(f, &main_prog, &n_main, &guard, &n_guard, &err);

	if (!tap_is_int(r, 0, "%s: the programs export%s%s", p->file, r < 0 ? ": " : "", r < 0 ? err.msg : ""))
		return;
	progs[0] = main_prog;
	progs[1] = guard;
	n = guard ? 2 : 1;
	uffd = sim_action(progs, n, AUDIT_ARCH_I386, 374);
	tap_ok(sim_action(progs, n, AUDIT_ARCH_I386, 20) == SECCOMP_RET_ALLOW &&
	       (uffd & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO &&
	       sim_action(progs, n, AUDIT_ARCH_I386, 1000) == (SECCOMP_RET_ERRNO | (uint32_t)p->default_errno),
	       "%s: simulated i386: getpid allowed, userfaultfd refused, an unknown call errno %d",
	       p->file, p->default_errno);
	free(main_prog);
	free(guard);
}

static void test_profile(const struct profile *p)
{
	_cleanup_free_ char *text = NULL;
	struct nb_seccomp_filter *f = NULL;
	struct nb_seccomp sc;
	struct nb_error err;
	size_t len = 0;
	int r;

	text = read_data(p->file, &len);
	if (!tap_ok(text != NULL, "%s: read (NSBOX_TEST_DATA=%s)", p->file,
		    getenv("NSBOX_TEST_DATA") ? getenv("NSBOX_TEST_DATA") : "unset"))
		return;
	r = nb_oci_load_seccomp(text, len, p->file, &sc, &err);
	tap_is_int(r, 0, "%s: loads%s%s", p->file, r < 0 ? ": " : "", r < 0 ? err.msg : "");
	tap_is_int(unresolved(&sc), 0, "%s: every name resolves", p->file);
	tap_is_int((long long)sc.architectures.len, 3, "%s: x86-64, x86 and x32", p->file);
	check_in_config(p->file, text, &sc);
	r = nb_seccomp_build(&sc, &f, &err);
	tap_is_int(r, 0, "%s: the filter builds%s%s", p->file, r < 0 ? ": " : "", r < 0 ? err.msg : "");
	if (r >= 0)
		test_simulated(p, f);
	nb_seccomp_filter_free(f);
	tap_is_int(run_child(child, &sc, p->default_errno), 0, "%s: loaded in a child: getpid works (also "
		   "i386's%s), other calls get errno %d, userfaultfd is refused", p->file,
		   i386_live ? "" : " simulated: this kernel has no i386 ABI", p->default_errno);
	if (strcmp(p->file, "podman-restricted.json") == 0)
		tap_is_int(run_child(child_netlink_audit, &sc, p->default_errno), 0,
			   "%s: socket(AF_NETLINK, NETLINK_AUDIT) gets EINVAL (two conditions)",
			   p->file);
	nb_seccomp_free(&sc);
}

int main(void)
{
#if defined(__x86_64__)
	i386_live = sim_i386_abi_present();
#endif
	for (size_t i = 0; i < NB_ARRAY_SIZE(profiles); i++)
		test_profile(&profiles[i]);
	return tap_done();
}
