/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * refused.bpf.c: a cgroup device program the verifier refuses, so that
 * nsbox-devtest (tests/helpers/devtest.c) can check that nsbox's error
 * quotes the verifier (linux/bpf_load.h). It reads past the end of its
 * context, struct bpf_cgroup_dev_ctx's 12 bytes.
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

SEC("cgroup/dev")
int nsbox_bad(struct bpf_cgroup_dev_ctx *ctx)
{
	return *(volatile __u32 *)((char *)ctx + 64);
}

char LICENSE[] SEC("license") = "GPL";
