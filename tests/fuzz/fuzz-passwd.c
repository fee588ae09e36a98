/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-passwd: a container's /etc/passwd (nb_passwd_home(), HOME for an OCI
 * process without one). Input: 4 bytes of uid, then the file. */
#include "fuzz.h"
#include "spec/passwd.h"

#include <errno.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t sizes[] = { 1, 2, 16, 4096 };
	uint32_t uid;

	if (size < 4)
		return 0;
	memcpy(&uid, data, 4);
	/* Small uids are the common case: fold half the inputs to 0..255. */
	if (uid & 0x80000000u)
		uid &= 0xff;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char buf[4096];
		int r;

		memset(buf, 'x', sizeof(buf));
		r = nb_passwd_home((const char *)data + 4, size - 4, uid, buf, sizes[i]);
		FUZZ_CHECK(r == 0 || r == -ENOENT || r == -ENAMETOOLONG, "returned %d", r);
		if (r == 0) {
			FUZZ_CHECK(memchr(buf, '\0', sizes[i]), "not terminated in %zu bytes", sizes[i]);
			FUZZ_CHECK(buf[0] && !strchr(buf, ':') && !strchr(buf, '\n'), "home '%s'", buf);
		}
		FUZZ_CHECK(buf[sizes[i] < sizeof(buf) ? sizes[i] : sizeof(buf) - 1] == 'x' || sizes[i] == sizeof(buf),
			   "written past %zu bytes", sizes[i]);
	}
	return 0;
}
