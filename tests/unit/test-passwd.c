/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for spec/passwd.c: HOME of a uid from /etc/passwd text. */
#include "spec/passwd.h"
#include "tap.h"

#include <errno.h>
#include <string.h>

static const char passwd[] =
	"root:x:0:0:root:/root:/bin/sh\n"
	"daemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n"
	"broken line without colons\n"
	"nohome:x:7:7:gecos::/bin/sh\n"
	"app:x:1000:1000:App,,,:/home/app:/bin/bash\n"
	"dup:x:1000:1000::/home/second:/bin/sh\n"
	"short:x:2000\n"
	"last:x:3000:3000::/var/last:/bin/sh";   /* no final newline */

static void check(uid_t uid, int want, const char *home, const char *name)
{
	char buf[64] = "";
	int r = nb_passwd_home(passwd, strlen(passwd), uid, buf, sizeof(buf));

	tap_is_int(r, want, "%s: result", name);
	if (want == 0)
		tap_is_str(buf, home, "%s: home", name);
}

int main(void)
{
	char tiny[4], buf[64];

	check(0, 0, "/root", "root");
	check(1, 0, "/usr/sbin", "empty gecos");
	check(1000, 0, "/home/app", "first match wins");
	check(3000, 0, "/var/last", "last line without newline");
	check(7, -ENOENT, NULL, "empty home");
	check(2000, -ENOENT, NULL, "short line");
	check(4242, -ENOENT, NULL, "no such uid");
	tap_is_int(nb_passwd_home(passwd, strlen(passwd), 1000, tiny, sizeof(tiny)), -ENAMETOOLONG,
		   "too long for the buffer");
	tap_is_int(nb_passwd_home("", 0, 0, tiny, sizeof(tiny)), -ENOENT, "empty file");
	tap_is_int(nb_passwd_home("x:y:0:0::/h:/s", 9, 0, tiny, sizeof(tiny)), -ENOENT,
		   "length bounds the text");
	/* Found by fuzz-passwd: a NUL in the home gave an empty HOME, and one
	 * after the uid matched that uid; such a line is no entry. */
	tap_is_int(nb_passwd_home("r:x:0:0::\0/h:/s\nr:x:0:0::/root:/s", 33, 0, buf, sizeof(buf)), 0,
		   "a NUL in the home: the line is skipped");
	tap_is_str(buf, "/root", "the next line's home");
	tap_is_int(nb_passwd_home("u:x:7\0x:0::/h:/s", 16, 7, buf, sizeof(buf)), -ENOENT,
		   "a NUL after the uid: no match");
	return tap_done();
}
