/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "base/proctitle.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

extern char **environ;

static char *block_start, *block_end;

void nb_proctitle_init(char **argv, char **envp)
{
	char *end;

	if (!argv || !argv[0])
		return;
	/* The kernel lays the strings out one after the other: follow them
	 * while they stay contiguous. */
	end = argv[0] + strlen(argv[0]) + 1;
	for (size_t i = 1; argv[i] && argv[i] == end; i++)
		end += strlen(argv[i]) + 1;
	for (size_t i = 0; envp && envp[i] && envp[i] == end; i++)
		end += strlen(envp[i]) + 1;
	block_start = argv[0];
	block_end = end;
}

void nb_proctitle_wipe(const char *title)
{
	static char *empty[] = { NULL };
	static bool wiped;
	size_t size = (size_t)(block_end - block_start);

	environ = empty;
	/* Once: a second wipe would show an empty command line for a moment. */
	if (!block_start || size == 0 || wiped)
		return;
	wiped = true;
	memset(block_start, 0, size);
	strncpy(block_start, title, size - 1);
}
