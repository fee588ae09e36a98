/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nsbox-bench-natcost [N]: where the NAT helper's time goes, in process
 * (bench/nat.sh): libnftables' context, then N transactions of one
 * element each (added and deleted in turn) in a table of its own,
 * `inet nsbox_bench`, made first and removed at the end. Prints
 * milliseconds per step. Root; touches no other table.
 */
#include <nftables/libnftables.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int run(struct nft_ctx *nft, const char *cmd)
{
	if (nft_run_cmd_from_buffer(nft, cmd) != 0) {
		fprintf(stderr, "natcost: %s: %s", cmd, nft_ctx_get_error_buffer(nft));
		return -1;
	}
	return 0;
}

int main(int argc, char *argv[])
{
	int n = argc > 1 ? atoi(argv[1]) : 50;
	double t0 = now_ms(), t1, t2, t3;
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
	int r = 0;

	if (!nft || n < 1)
		return 2;
	nft_ctx_buffer_error(nft);
	t1 = now_ms();
	if (run(nft, "add table inet nsbox_bench\nadd set inet nsbox_bench s { type ipv4_addr; }\n") < 0)
		return 1;
	t2 = now_ms();
	for (int i = 0; i < n && r == 0; i++)
		r = run(nft, i % 2 ? "delete element inet nsbox_bench s { 10.0.0.1 }\n" :
				     "add element inet nsbox_bench s { 10.0.0.1 }\n");
	t3 = now_ms();
	run(nft, "delete table inet nsbox_bench\n");
	printf("context %.3f ms\ntable %.3f ms\nelement transaction %.3f ms (mean of %d)\ndrop table %.3f ms\n",
	       t1 - t0, t2 - t1, (t3 - t2) / n, n, now_ms() - t3);
	nft_ctx_free(nft);
	return r ? 1 : 0;
}
