/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-signal: a signal by name or number (`nsbox kill ID SIGNAL`,
 * nb_signal_from_name()). */
#include "fuzz.h"
#include "spec/signal.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	int sig = -1, r = nb_signal_from_name(text, &sig);

	FUZZ_CHECK(r == 0 || r == -EINVAL, "returned %d", r);
	FUZZ_CHECK(r < 0 || (sig >= 0 && sig <= SIGRTMAX), "'%s' is signal %d", text, sig);
	FUZZ_CHECK(r == 0 || sig == -1, "a refusal wrote %d", sig);
	/* "SIG" in front names the same signal. */
	if (r == 0 && size < 64 && strncasecmp(text, "SIG", 3) != 0 && (text[0] < '0' || text[0] > '9') &&
	    text[0] != '+' && text[0] != '-') {
		char with[80];
		int again = -1;

		snprintf(with, sizeof(with), "SIG%s", text);
		FUZZ_CHECK(nb_signal_from_name(with, &again) == 0 && again == sig, "'%s' is not '%s'", with, text);
	}
	free(text);
	return 0;
}
