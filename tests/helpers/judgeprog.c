/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nsbox-judgeprog: the misbehaving programs of tests/integration/judge.bats
 * and bench/judge.sh, one per mode. Static, so it runs in any root.
 *
 *   spin [THREADS]      spin on the CPU in THREADS threads (default 1)
 *   spin-blocked        block every signal, then spin
 *   stop                stop itself with SIGSTOP
 *   forkaway            a grandchild in a session of its own spins; the
 *                       program itself sleeps 10 s
 *   membomb             allocate and touch memory without end
 *   shmbomb             fill a file in /dev/shm without end
 *   forkbomb            fork children that wait; at the first refused fork,
 *                       wait too (never exit)
 *   threadbomb          start threads that wait; a refused thread is tried
 *                       again, without end (never exit)
 *   fdbomb              open /dev/null until refused; print how many it
 *                       opened, and exit 0 if the refusal was EMFILE
 *   exit N              exit with status N
 *   segv                die of SIGSEGV
 *   print N             write N bytes to stdout, then exit 0
 *   flood               write to stdout without end
 *   write FILE N        write N bytes to FILE (created), then exit 0
 *   closeout            close stdout, wait 100 ms, exit 0
 *   sleep MS            sleep MS milliseconds, exit 0
 *   burn MS             spin until it has used MS milliseconds of CPU since
 *                       main() (its CPU clock also counts what ran before
 *                       the exec, in the same process), exit 0
 *
 * Leading arguments that start with '@' are ignored: a test's marker, to
 * find its processes by their command line.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;

static void *spin_thread(void *arg)
{
	(void)arg;
	for (;;)
		sink++;
	return NULL;
}

static int spin(int threads)
{
	for (int i = 1; i < threads; i++) {
		pthread_t t;

		if (pthread_create(&t, NULL, spin_thread, NULL) != 0)
			return 2;
	}
	spin_thread(NULL);
	return 0;
}

static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			exit(3);
		buf += n;
		len -= (size_t)n;
	}
}

static int print(long long n)
{
	static char buf[65536];

	memset(buf, 'x', sizeof(buf));
	while (n > 0) {
		size_t len = n > (long long)sizeof(buf) ? sizeof(buf) : (size_t)n;

		write_all(STDOUT_FILENO, buf, len);
		n -= (long long)len;
	}
	return 0;
}

static int write_file(const char *path, long long n)
{
	static char buf[65536];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return 4;
	memset(buf, 'y', sizeof(buf));
	while (n > 0) {
		size_t len = n > (long long)sizeof(buf) ? sizeof(buf) : (size_t)n;

		write_all(fd, buf, len);
		n -= (long long)len;
	}
	return close(fd) < 0 ? 5 : 0;
}

static int membomb(void)
{
	for (;;) {
		char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return 6;
		for (size_t i = 0; i < 1 << 20; i += 4096)
			p[i] = 1;
	}
}

__attribute__((noreturn)) static void shmbomb(void)
{
	static char buf[1 << 20];
	int fd = open("/dev/shm/nsbox-judgeprog", O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0)
		exit(7);
	memset(buf, 'z', sizeof(buf));
	for (;;)
		write_all(fd, buf, sizeof(buf));
}

__attribute__((noreturn)) static void forkbomb(void)
{
	for (;;) {
		pid_t pid = fork();

		if (pid == 0)
			for (;;)
				pause();
		if (pid < 0)
			for (;;)
				pause();
	}
}

static void *wait_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

__attribute__((noreturn)) static void threadbomb(void)
{
	pthread_attr_t attr;

	/* Small stacks: the limit met is the number of tasks, not memory. */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (;;) {
		pthread_t t;

		if (pthread_create(&t, &attr, wait_thread, NULL) != 0)
			sched_yield();
	}
}

static int fdbomb(void)
{
	long n = 0;

	while (open("/dev/null", O_RDONLY) >= 0)
		n++;
	printf("opened %ld\n", n);
	return errno == EMFILE ? 0 : 9;
}

static int sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	return 0;
}

static int forkaway(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		setsid();
		if (fork() == 0)
			spin(1);
		_exit(0);
	}
	return sleep_ms(10000);
}

static long long cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int burn(long ms)
{
	long long start = cpu_us();

	while (cpu_us() - start < ms * 1000LL)
		;
	return 0;
}

int main(int argc, char *argv[])
{
	const char *mode;
	sigset_t all;

	while (argc > 1 && argv[1][0] == '@') {
		argv++;
		argc--;
	}
	mode = argc > 1 ? argv[1] : "";

	if (!strcmp(mode, "spin"))
		return spin(argc > 2 ? atoi(argv[2]) : 1);
	if (!strcmp(mode, "spin-blocked")) {
		sigfillset(&all);
		sigprocmask(SIG_BLOCK, &all, NULL);
		for (int s = 1; s < NSIG; s++)
			signal(s, SIG_IGN);
		return spin(1);
	}
	if (!strcmp(mode, "stop"))
		return kill(getpid(), SIGSTOP) < 0 ? 8 : sleep_ms(100000);
	if (!strcmp(mode, "forkaway"))
		return forkaway();
	if (!strcmp(mode, "membomb"))
		return membomb();
	if (!strcmp(mode, "shmbomb"))
		shmbomb();
	if (!strcmp(mode, "forkbomb"))
		forkbomb();
	if (!strcmp(mode, "threadbomb"))
		threadbomb();
	if (!strcmp(mode, "fdbomb"))
		return fdbomb();
	if (!strcmp(mode, "exit") && argc > 2)
		return atoi(argv[2]);
	if (!strcmp(mode, "segv"))
		return *(volatile int *)(uintptr_t)sink = 1;   /* sink is 0: a NULL write */
	if (!strcmp(mode, "print") && argc > 2)
		return print(atoll(argv[2]));
	if (!strcmp(mode, "flood"))
		for (;;)
			print(1 << 20);
	if (!strcmp(mode, "write") && argc > 3)
		return write_file(argv[2], atoll(argv[3]));
	if (!strcmp(mode, "closeout")) {
		close(STDOUT_FILENO);
		return sleep_ms(100);
	}
	if (!strcmp(mode, "sleep") && argc > 2)
		return sleep_ms(atol(argv[2]));
	if (!strcmp(mode, "burn") && argc > 2)
		return burn(atol(argv[2]));
	fprintf(stderr, "nsbox-judgeprog: unknown mode '%s'\n", mode);
	return 64;
}
