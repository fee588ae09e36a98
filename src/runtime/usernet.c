/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/usernet.h"
#include "base/cleanup.h"
#include "linux/process.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define READY_TIMEOUT_MS 10000
#define MAX_ARGS (16 + 2 * NB_NET_MAX_PUBLISH)

extern char **environ;

void nb_usernet_init(struct nb_usernet *u)
{
	memset(u, 0, sizeof(*u));
	u->pidfd = u->exit_fd = -1;
}

static bool find_in_path(const char *name, char *buf, size_t size)
{
	const char *path = getenv("PATH");

	for (const char *p = path ? path : "/usr/bin:/bin"; *p; ) {
		size_t len = strcspn(p, ":");

		if (len && (size_t)snprintf(buf, size, "%.*s/%s", (int)len, p, name) < size &&
		    access(buf, X_OK) == 0)
			return true;
		p += len + (p[len] == ':');
	}
	return false;
}

int nb_usernet_prepare(struct nb_usernet *u, const struct nb_net_spec *net, struct nb_error *err)
{
	/* pasta run by root drops to nobody, who then cannot enter a namespace
	 * of root's: root gets slirp4netns (or --net bridge). */
	if (net->mode == NB_NET_PASTA && geteuid() != 0 && find_in_path("pasta", u->program, sizeof(u->program)))
		return 0;
	if (find_in_path("slirp4netns", u->program, sizeof(u->program))) {
		u->slirp = true;
		return 0;
	}
	if (net->mode == NB_NET_PASTA)
		return nb_error_set(err, ENOENT, "--net pasta: neither pasta (Debian package 'passt') nor "
				    "slirp4netns (package 'slirp4netns') was found in PATH");
	return nb_error_set(err, ENOENT, "--net slirp4netns: slirp4netns (Debian package 'slirp4netns') "
			    "was not found in PATH");
}

/* Run ARGV with the fds KEEP (by number, inherited as they are), every
 * signal unblocked, stdin on /dev/null. */
static int spawn(char *const *argv, const int *keep, size_t n_keep, bool quiet, pid_t *ret,
		 struct nb_error *err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none;
	int r;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	/* slirp4netns talks on stdout and stderr: its failure is "not ready". */
	if (quiet) {
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
		posix_spawn_file_actions_adddup2(&fa, 1, 2);
	}
	/* dup2 onto itself clears close-on-exec for an fd we hand on. */
	for (size_t i = 0; i < n_keep; i++)
		posix_spawn_file_actions_adddup2(&fa, keep[i], keep[i]);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSID);
	r = posix_spawn(ret, argv[0], &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (r != 0)
		return nb_error_sys(err, r, "run '%s'", argv[0]);
	return 0;
}

static int wait_exit(pid_t pid, const char *what, struct nb_error *err)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return nb_error_errno(err, "wait for %s", what);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	return nb_error_set(err, EIO, "%s failed (%s %d)", what, WIFEXITED(status) ? "status" : "signal",
			    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}

/* ---- pasta ---- */

/* Fork and exec ARGV as our child that dies with nsbox (a SIGTERM when
 * nsbox dies), with the fds KEEP inherited, stdin on /dev/null. */
static int spawn_tied(char *const *argv, const int *keep, size_t n_keep, pid_t *ret, struct nb_error *err)
{
	pid_t parent = getpid(), pid = fork();

	if (pid < 0)
		return nb_error_errno(err, "run '%s'", argv[0]);
	if (pid == 0) {
		sigset_t none;
		int null = open("/dev/null", O_RDONLY);

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
			_exit(127);
		if (null >= 0 && null != 0) {
			dup2(null, 0);
			close(null);
		}
		for (size_t i = 0; i < n_keep; i++)
			fcntl(keep[i], F_SETFD, 0);
		setsid();
		execv(argv[0], argv);
		_exit(127);
	}
	*ret = pid;
	return 0;
}

/* pasta, on the namespaces of PID. It does not end by itself when the
 * namespace goes (Debian 12's), so unless the sandbox is detached it runs
 * in the foreground as our child, tied to nsbox by the parent-death signal,
 * and ended by nb_usernet_stop(). It writes its pid once ready (-P), here
 * to a pipe, which is how nsbox knows. A detached sandbox's pasta goes to
 * the background and outlives nsbox. */
static int start_pasta(struct nb_usernet *u, const struct nb_net_spec *net, int netfd, int userfd,
		       struct nb_error *err)
{
	char *argv[MAX_ARGS], userns[32], netns[32], pidfile[64], specs[NB_NET_MAX_PUBLISH][40], buf[32];
	int ready[2] = { -1, -1 }, keep[3];
	bool tcp = false, udp = false;
	struct pollfd p;
	size_t k = 0;
	pid_t child = 0;
	ssize_t n = 0;
	int r;

	/* Its namespaces by the fds the sandbox sent: pasta's own open of
	 * /proc/PID/ns is refused now and then, as nsbox's would be. */
	if (pipe2(ready, O_CLOEXEC) < 0)
		return nb_error_errno(err, "pasta: pipe");
	snprintf(userns, sizeof(userns), "/proc/self/fd/%d", userfd);
	snprintf(netns, sizeof(netns), "/proc/self/fd/%d", netfd);
	snprintf(pidfile, sizeof(pidfile), "/proc/self/fd/%d", ready[1]);
	argv[k++] = u->program;
	argv[k++] = "--config-net";
	argv[k++] = "--quiet";
	argv[k++] = "--no-map-gw";
	argv[k++] = "-P";
	argv[k++] = pidfile;
	argv[k++] = "-T";
	argv[k++] = "none";
	argv[k++] = "-U";
	argv[k++] = "none";
	if (!u->detached)
		argv[k++] = "--foreground";
	for (size_t i = 0; i < net->n_publish; i++) {
		const struct nb_publish *pub = &net->publish[i];
		char a[NB_IP4_STRLEN];

		if (pub->host_addr)
			snprintf(specs[i], sizeof(specs[i]), "%s/%u:%u", nb_ip4_format(pub->host_addr, a),
				 pub->host_port, pub->port);
		else
			snprintf(specs[i], sizeof(specs[i]), "%u:%u", pub->host_port, pub->port);
		argv[k++] = pub->proto == NB_PROTO_UDP ? "-u" : "-t";
		argv[k++] = specs[i];
		tcp |= pub->proto == NB_PROTO_TCP;
		udp |= pub->proto == NB_PROTO_UDP;
	}
	if (!tcp) {
		argv[k++] = "-t";
		argv[k++] = "none";
	}
	if (!udp) {
		argv[k++] = "-u";
		argv[k++] = "none";
	}
	if (userfd >= 0) {
		argv[k++] = "--userns";
		argv[k++] = userns;
	} else {
		argv[k++] = "--netns-only";
	}
	argv[k++] = "--netns";
	argv[k++] = netns;
	argv[k] = NULL;
	keep[0] = ready[1];
	keep[1] = netfd;
	keep[2] = userfd;
	if (u->detached)
		r = spawn(argv, keep, userfd >= 0 ? 3 : 2, false, &child, err);
	else
		r = spawn_tied(argv, keep, userfd >= 0 ? 3 : 2, &child, err);
	nb_closep(&ready[1]);
	if (r >= 0 && u->detached)
		r = wait_exit(child, "pasta", err);
	if (r >= 0) {
		/* Ready: its pid, written once its set-up is done. */
		p = (struct pollfd){ .fd = ready[0], .events = POLLIN };
		if (poll(&p, 1, READY_TIMEOUT_MS) > 0)
			n = read(ready[0], buf, sizeof(buf) - 1);
		if (n <= 0 && !u->detached) {
			kill(child, SIGKILL);
			r = wait_exit(child, "pasta", err);
			if (r >= 0)
				r = nb_error_set(err, EIO, "pasta did not get ready");
		} else if (n <= 0) {
			r = nb_error_set(err, EIO, "pasta did not get ready");
		}
	}
	nb_closep(&ready[0]);
	if (r < 0)
		return r;
	buf[n] = '\0';
	u->pid = u->detached ? (pid_t)atoi(buf) : child;
	u->child = !u->detached;
	if (u->pid > 0)
		u->pidfd = pidfd_open(u->pid, 0);
	return 0;
}

/* ---- slirp4netns ---- */

static int slirp_api(const char *sock_path, const struct nb_publish *p, struct nb_error *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	char req[256], reply[512], a[NB_IP4_STRLEN], text[48];
	ssize_t n;
	int len;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return nb_error_errno(err, "slirp4netns: API socket");
	len = snprintf(req, sizeof(req), "{\"execute\": \"add_hostfwd\", \"arguments\": {\"proto\": \"%s\", "
		       "\"host_addr\": \"%s\", \"host_port\": %u, \"guest_port\": %u}}",
		       p->proto == NB_PROTO_UDP ? "udp" : "tcp", nb_ip4_format(p->host_addr, a), p->host_port, p->port);
	if (write(fd, req, (size_t)len) != len)
		return nb_error_errno(err, "slirp4netns: API request");
	shutdown(fd, SHUT_WR);
	n = read(fd, reply, sizeof(reply) - 1);
	if (n <= 0)
		return nb_error_set(err, EIO, "slirp4netns: --publish '%s': no answer",
				    nb_publish_format(p, text, sizeof(text)));
	reply[n] = '\0';
	if (strstr(reply, "\"error\""))
		return nb_error_set(err, EIO, "slirp4netns: --publish '%s': %s", nb_publish_format(p, text, sizeof(text)),
				    reply);
	return 0;
}

static int start_slirp(struct nb_usernet *u, const struct nb_net_spec *net, int netfd, int userfd,
		       struct nb_error *err)
{
	char *argv[MAX_ARGS], ready_arg[32], exit_arg[32], api_arg[160], user_arg[64], netns[32];
	char dir[] = "/tmp/nsbox-slirp.XXXXXX", sock_path[64];
	int ready[2] = { -1, -1 }, ex[2] = { -1, -1 }, keep[4];
	struct pollfd p;
	size_t k = 0;
	char c;
	int r;

	/* As for pasta: the namespaces by the fds the sandbox sent. */
	if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(ex, O_CLOEXEC) < 0) {
		r = nb_error_errno(err, "slirp4netns: pipe");
		goto out;
	}
	if (net->n_publish && !mkdtemp(dir)) {
		r = nb_error_errno(err, "slirp4netns: API socket directory");
		goto out;
	}
	snprintf(sock_path, sizeof(sock_path), "%s/api.sock", dir);
	snprintf(ready_arg, sizeof(ready_arg), "--ready-fd=%d", ready[1]);
	snprintf(exit_arg, sizeof(exit_arg), "--exit-fd=%d", ex[0]);
	snprintf(api_arg, sizeof(api_arg), "--api-socket=%s", sock_path);
	snprintf(user_arg, sizeof(user_arg), "--userns-path=/proc/self/fd/%d", userfd);
	snprintf(netns, sizeof(netns), "/proc/self/fd/%d", netfd);
	argv[k++] = u->program;
	argv[k++] = "--configure";
	argv[k++] = "--mtu=65520";
	argv[k++] = "--disable-host-loopback";
	argv[k++] = ready_arg;
	if (!u->detached)
		argv[k++] = exit_arg;
	if (net->n_publish)
		argv[k++] = api_arg;
	if (userfd >= 0)
		argv[k++] = user_arg;
	argv[k++] = "--netns-type=path";
	argv[k++] = netns;
	argv[k++] = "tap0";
	argv[k] = NULL;
	keep[0] = ready[1];
	keep[1] = ex[0];
	keep[2] = netfd;
	keep[3] = userfd;
	r = spawn(argv, keep, userfd >= 0 ? 4 : 3, true, &u->pid, err);
	nb_closep(&ready[1]);
	nb_closep(&ex[0]);
	if (r < 0)
		goto out;
	u->pidfd = pidfd_open(u->pid, 0);
	u->exit_fd = ex[1];
	ex[1] = -1;
	p = (struct pollfd){ .fd = ready[0], .events = POLLIN };
	if (poll(&p, 1, READY_TIMEOUT_MS) <= 0 || read(ready[0], &c, 1) != 1) {
		r = nb_error_set(err, EIO, "slirp4netns did not get ready");
		goto out;
	}
	for (size_t i = 0; r >= 0 && i < net->n_publish; i++)
		r = slirp_api(sock_path, &net->publish[i], err);
out:
	if (net->n_publish && dir[sizeof(dir) - 2] != 'X') {
		unlink(sock_path);
		rmdir(dir);
	}
	nb_closep(&ready[0]);
	nb_closep(&ready[1]);
	nb_closep(&ex[0]);
	nb_closep(&ex[1]);
	return r;
}

int nb_usernet_start(struct nb_usernet *u, const struct nb_net_spec *net, int netns, int userns,
		     struct nb_error *err)
{
	int r = u->slirp ? start_slirp(u, net, netns, userns, err) : start_pasta(u, net, netns, userns, err);

	if (r < 0)
		return nb_error_prefix(err, "--net %s", nb_net_mode_name(net->mode));
	return 0;
}

void nb_usernet_stop(struct nb_usernet *u)
{
	if (u->pidfd >= 0) {
		nb_pidfd_signal(u->pidfd, SIGTERM);
		/* slirp4netns, and pasta for a sandbox not detached, are our
		 * children: reap them. */
		if (u->slirp || u->child)
			while (waitpid(u->pid, NULL, 0) < 0 && errno == EINTR)
				;
	}
	nb_usernet_detach(u);
}

void nb_usernet_detach(struct nb_usernet *u)
{
	nb_closep(&u->pidfd);
	nb_closep(&u->exit_fd);
	u->pid = 0;
}
