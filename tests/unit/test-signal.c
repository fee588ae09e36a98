/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for spec/signal.c: the signals of `nsbox kill`, by name or number. */
#include "spec/signal.h"
#include "tap.h"

#include <errno.h>
#include <signal.h>

static void sig_is(const char *text, int expected)
{
	int sig = -1;

	tap_is_int(nb_signal_from_name(text, &sig), 0, "'%s' is a signal", text);
	tap_is_int(sig, expected, "'%s' is %d", text, expected);
}

static void sig_fails(const char *text)
{
	int sig = -1;

	tap_is_int(nb_signal_from_name(text, &sig), -EINVAL, "'%s' is refused", text);
	tap_is_int(sig, -1, "'%s' leaves the result alone", text);
}

int main(void)
{
	sig_is("TERM", SIGTERM);
	sig_is("SIGTERM", SIGTERM);
	sig_is("sigterm", SIGTERM);
	sig_is("Term", SIGTERM);
	sig_is("KILL", SIGKILL);
	sig_is("IOT", SIGABRT);
	sig_is("POLL", SIGIO);
	sig_is("SIGSYS", SIGSYS);
	sig_is("15", 15);
	sig_is("1", 1);
	sig_is("+9", 9);
	sig_is("RTMIN+0", SIGRTMIN);
	sig_is("RTMIN+3", SIGRTMIN + 3);
	sig_is("sigrtmin+3", SIGRTMIN + 3);
	sig_is("RTMAX-0", SIGRTMAX);
	sig_is("SIGRTMAX-1", SIGRTMAX - 1);
	sig_is("RTMAX-30", SIGRTMAX - 30);
	sig_is("64", SIGRTMAX);
	sig_is("0", 0);   /* runc: no signal, the check that the process lives */
	sig_fails("65");
	sig_fails("-9");
	sig_fails("");
	sig_fails("SIG");
	sig_fails("SIG15");
	sig_fails("FOO");
	sig_fails("TERM ");
	sig_fails(" 15");
	sig_fails("RTMIN");
	sig_fails("RTMIN+");
	sig_fails("RTMIN+31");
	sig_fails("RTMAX-31");
	sig_fails("RTMIN-1");
	sig_fails("99999999999999999999");
	return tap_done();
}
