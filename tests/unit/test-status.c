/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for runtime/status.c: how a process's end becomes nsbox's exit status. */
#include "runtime/status.h"
#include "tap.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* Fork a child that exits with CODE (SIG 0) or dies of signal SIG. */
static pid_t spawn(int code, int sig)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (sig) {
			/* No core files from the test; SIG_DFL so the signal kills. */
			struct rlimit no_core = { 0, 0 };

			setrlimit(RLIMIT_CORE, &no_core);
			signal(sig, SIG_DFL);
			raise(sig);
		}
		_exit(code);
	}
	return pid;
}

static void test_wait_macros(void)
{
	static const int codes[] = { 0, 1, 2, 42, 125, 126, 127, 128, 255 };
	static const int sigs[] = { SIGHUP, SIGINT, SIGKILL, SIGSEGV, SIGTERM, SIGUSR1, 64 };

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		tap_is_int(nb_exit_code_from_wait(W_EXITCODE(codes[i], 0)), codes[i],
			   "wait: exit %d -> %d", codes[i], codes[i]);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		tap_is_int(nb_exit_code_from_wait(W_EXITCODE(0, sigs[i])), 128 + sigs[i],
			   "wait: signal %d -> %d", sigs[i], 128 + sigs[i]);
		tap_is_int(nb_exit_code_from_wait(W_EXITCODE(0, sigs[i]) | WCOREFLAG), 128 + sigs[i],
			   "wait: signal %d with core dump -> %d", sigs[i], 128 + sigs[i]);
	}
	/* Not an end at all: nsbox's own failure status. */
	tap_is_int(nb_exit_code_from_wait(W_STOPCODE(SIGSTOP)), 125, "wait: stopped -> 125");
	tap_is_int(nb_exit_code_from_wait(W_STOPCODE(SIGTSTP)), 125, "wait: stopped by TSTP -> 125");
	tap_is_int(nb_exit_code_from_wait(0xffff), 125, "wait: continued -> 125");
}

static void test_real_children(void)
{
	static const int codes[] = { 0, 1, 42, 255 };
	static const int sigs[] = { SIGKILL, SIGTERM, SIGINT, SIGABRT };
	int status;
	siginfo_t si;

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		pid_t pid = spawn(codes[i], 0);

		if (!tap_ok(pid > 0, "fork a child exiting %d", codes[i]))
			continue;
		tap_is_int(waitpid(pid, &status, 0), pid, "waitpid child exiting %d", codes[i]);
		tap_is_int(nb_exit_code_from_wait(status), codes[i], "child exit %d -> %d",
			   codes[i], codes[i]);

		pid = spawn(codes[i], 0);
		si.si_pid = 0;
		tap_is_int(waitid(P_PID, (id_t)pid, &si, WEXITED), 0, "waitid child exiting %d", codes[i]);
		tap_is_int(si.si_code, CLD_EXITED, "waitid child exiting %d: CLD_EXITED", codes[i]);
		tap_is_int(nb_exit_code_from_siginfo(si.si_code, si.si_status), codes[i],
			   "siginfo of child exit %d -> %d", codes[i], codes[i]);
	}
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		pid_t pid = spawn(0, sigs[i]);

		if (!tap_ok(pid > 0, "fork a child killed by %d", sigs[i]))
			continue;
		tap_is_int(waitpid(pid, &status, 0), pid, "waitpid child killed by %d", sigs[i]);
		tap_is_int(nb_exit_code_from_wait(status), 128 + sigs[i], "child killed by %d -> %d",
			   sigs[i], 128 + sigs[i]);

		pid = spawn(0, sigs[i]);
		tap_is_int(waitid(P_PID, (id_t)pid, &si, WEXITED), 0, "waitid child killed by %d", sigs[i]);
		tap_ok(si.si_code == CLD_KILLED || si.si_code == CLD_DUMPED,
		       "waitid child killed by %d: CLD_KILLED or CLD_DUMPED", sigs[i]);
		tap_is_int(nb_exit_code_from_siginfo(si.si_code, si.si_status), 128 + sigs[i],
			   "siginfo of child killed by %d -> %d", sigs[i], 128 + sigs[i]);
	}

	/* A child stopped, then killed: the stop is not its end. */
	pid_t pid = fork();

	if (pid == 0) {
		raise(SIGSTOP);
		_exit(3);
	}
	if (tap_ok(pid > 0, "fork a child that stops itself")) {
		tap_is_int(waitpid(pid, &status, WUNTRACED), pid, "waitpid sees the stop");
		tap_ok(WIFSTOPPED(status), "the child is stopped");
		tap_is_int(nb_exit_code_from_wait(status), 125, "a stopped child -> 125");
		kill(pid, SIGCONT);
		tap_is_int(waitpid(pid, &status, 0), pid, "waitpid after SIGCONT");
		tap_is_int(nb_exit_code_from_wait(status), 3, "the continued child exits 3 -> 3");
	}
}

static void test_siginfo(void)
{
	tap_is_int(nb_exit_code_from_siginfo(CLD_EXITED, 0), 0, "siginfo CLD_EXITED 0 -> 0");
	tap_is_int(nb_exit_code_from_siginfo(CLD_EXITED, 1), 1, "siginfo CLD_EXITED 1 -> 1");
	tap_is_int(nb_exit_code_from_siginfo(CLD_EXITED, 42), 42, "siginfo CLD_EXITED 42 -> 42");
	tap_is_int(nb_exit_code_from_siginfo(CLD_EXITED, 255), 255, "siginfo CLD_EXITED 255 -> 255");
	tap_is_int(nb_exit_code_from_siginfo(CLD_EXITED, 256), 0, "siginfo CLD_EXITED 256 -> 0 (8 bits)");
	tap_is_int(nb_exit_code_from_siginfo(CLD_KILLED, SIGKILL), 137, "siginfo CLD_KILLED 9 -> 137");
	tap_is_int(nb_exit_code_from_siginfo(CLD_KILLED, SIGTERM), 143, "siginfo CLD_KILLED 15 -> 143");
	tap_is_int(nb_exit_code_from_siginfo(CLD_KILLED, SIGHUP), 129, "siginfo CLD_KILLED 1 -> 129");
	tap_is_int(nb_exit_code_from_siginfo(CLD_DUMPED, SIGSEGV), 139, "siginfo CLD_DUMPED 11 -> 139");
	tap_is_int(nb_exit_code_from_siginfo(CLD_DUMPED, SIGABRT), 134, "siginfo CLD_DUMPED 6 -> 134");
	tap_is_int(nb_exit_code_from_siginfo(CLD_STOPPED, SIGSTOP), 125, "siginfo CLD_STOPPED -> 125");
	tap_is_int(nb_exit_code_from_siginfo(CLD_TRAPPED, SIGTRAP), 125, "siginfo CLD_TRAPPED -> 125");
	tap_is_int(nb_exit_code_from_siginfo(CLD_CONTINUED, SIGCONT), 125, "siginfo CLD_CONTINUED -> 125");
}

static void test_error_kinds(void)
{
	tap_is_int(NB_EXIT_SETUP, 125, "NB_EXIT_SETUP is 125");
	tap_is_int(NB_EXIT_CANNOT_EXEC, 126, "NB_EXIT_CANNOT_EXEC is 126");
	tap_is_int(NB_EXIT_NOT_FOUND, 127, "NB_EXIT_NOT_FOUND is 127");
	tap_is_int(nb_exit_code_from_error(NB_ERR_SETUP), 125, "NB_ERR_SETUP -> 125");
	tap_is_int(nb_exit_code_from_error(NB_ERR_USAGE), 125, "NB_ERR_USAGE -> 125");
	tap_is_int(nb_exit_code_from_error(NB_ERR_CANNOT_EXEC), 126, "NB_ERR_CANNOT_EXEC -> 126");
	tap_is_int(nb_exit_code_from_error(NB_ERR_NOT_FOUND), 127, "NB_ERR_NOT_FOUND -> 127");
	tap_is_int(nb_exit_code_from_error((enum nb_error_kind)99), 125, "an unknown kind -> 125");
}

int main(void)
{
	test_wait_macros();
	test_real_children();
	test_siginfo();
	test_error_kinds();
	return tap_done();
}
