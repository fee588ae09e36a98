/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * proctitle.h: wipe the memory that /proc/PID/cmdline and /proc/PID/environ
 * show.
 *
 * nsbox's init lives inside the sandbox as a fork of nsbox, so without this
 * its /proc/1/cmdline would show nsbox's whole command line (with every
 * --env KEY=SECRET) to anyone in the sandbox, and its memory would hold the
 * caller's environment. main() records where the kernel put argv and the
 * environment (one contiguous block on the initial stack); the init then
 * overwrites all of it with a short title.
 */
#ifndef NSBOX_BASE_PROCTITLE_H
#define NSBOX_BASE_PROCTITLE_H

/* Remember the block of ARGV and ENVP (as main() received them). */
void nb_proctitle_init(char **argv, char **envp);

/* Zero the whole block and write TITLE at its start (as argv[0]), once:
 * later calls keep the first title (no moment of an empty command line); the
 * environment variable `environ` is emptied too. */
void nb_proctitle_wipe(const char *title);

#endif
