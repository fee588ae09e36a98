/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nsbox-nat: nsbox's NAT helper. It changes the nftables table
 * `inet nsbox` by the operation words on its command line
 * (spec/natscript.h) in one nftables transaction, through libnftables.
 *
 * It is a program of its own because nftables has no static library that
 * nsbox could link: libnftables is shared only, and libnftnl needs libmnl,
 * which Debian ships without a static archive. nsbox (static) starts it
 * only for sandboxes with --nat or --publish (runtime/nat.h), so no other
 * sandbox pays for loading it.
 *
 * Usage: nsbox-nat OP...     (table, drop, +masq:ADDR, -tcp:HADDR:HPORT:ADDR:PORT...)
 * Exit status 0, or 1 with one line on stderr: "nsbox-nat: why". On
 * success it prints "ok" and closes its stdout and stderr at once: closing
 * its nftables socket afterwards blocks for about 10 ms in the kernel, and
 * nsbox need not wait for that (runtime/nat.c reads to EOF).
 * NSBOX_NAT_DRY_RUN=1: print the script instead of running it.
 */
#include "spec/natscript.h"

#include <fcntl.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what, const char *why)
{
	char line[1024];
	size_t len;

	snprintf(line, sizeof(line), "%s%s%s", what, why && *why ? ": " : "", why ? why : "");
	/* libnftables' messages run over several lines: one line here. */
	len = strlen(line);
	while (len && (line[len - 1] == '\n' || line[len - 1] == ' '))
		line[--len] = '\0';
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	fprintf(stderr, "nsbox-nat: %s\n", line);
	return 1;
}

int main(int argc, char *argv[])
{
	struct nb_nat_op *ops = calloc(argc > 1 ? (size_t)argc : 1, sizeof(*ops));
	struct nft_ctx *nft;
	char *script;
	const char *dry = getenv("NSBOX_NAT_DRY_RUN");
	int r;

	if (argc < 2)
		return fail("usage: nsbox-nat OP...", NULL);
	if (!ops)
		return fail("out of memory", NULL);
	for (int i = 1; i < argc; i++) {
		struct nb_error err = { 0 };

		if (nb_nat_op_parse(argv[i], &ops[i - 1], &err) < 0)
			return fail(err.msg, NULL);
	}
	script = nb_nat_script(ops, (size_t)argc - 1);
	if (!script)
		return fail("out of memory", NULL);
	if (dry && strcmp(dry, "1") == 0) {
		fputs(script, stdout);
		return 0;
	}
	nft = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!nft)
		return fail("libnftables: cannot make a context", NULL);
	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	r = nft_run_cmd_from_buffer(nft, script);
	if (r != 0) {
		const char *msg = nft_ctx_get_error_buffer(nft);

		r = fail("nftables refused the change", msg);
	} else {
		/* The transaction is committed (the kernel ran it in our
		 * sendmsg): say so, and let nsbox go on while we close. */
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

		fputs("ok\n", stdout);
		fflush(stdout);
		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
			close(null);
		}
	}
	nft_ctx_free(nft);
	free(script);
	free(ops);
	return r;
}
