/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * replay.c: the main() of a fuzz target outside libFuzzer. Runs each file
 * given, or each file of each directory given, through
 * LLVMFuzzerTestOneInput() once, with a TAP line per file. A broken check
 * aborts; with sanitizers, so does a memory error. The normal build's
 * `meson test --suite fuzz` replays the corpus this way (any compiler).
 */
#include "fuzz.h"
#include "base/fileutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int count;

static int run_file(const char *path)
{
	char *text = NULL;
	size_t len = 0;
	int r = nb_read_file_alloc_at(AT_FDCWD, path, (size_t)16 << 20, &text, &len);

	count++;
	if (r < 0) {
		printf("not ok %d - %s: cannot read\n", count, path);
		return 1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)text, len);
	free(text);
	printf("ok %d - %s\n", count, path);
	fflush(stdout);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t n = 0;
	int failed = 0;
	struct dirent *e;

	if (!d) {
		printf("not ok %d - %s: cannot open\n", ++count, dir);
		return 1;
	}
	while ((e = readdir(d))) {
		char **more;

		if (e->d_name[0] == '.')
			continue;
		more = realloc(names, (n + 1) * sizeof(*names));
		if (!more)
			abort();
		names = more;
		if (asprintf(&names[n++], "%s/%s", dir, e->d_name) < 0)
			abort();
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp);
	for (size_t i = 0; i < n; i++) {
		failed |= run_file(names[i]);
		free(names[i]);
	}
	free(names);
	return failed;
}

int main(int argc, char *argv[])
{
	int failed = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			failed |= run_dir(argv[i]);
		else
			failed |= run_file(argv[i]);
	}
	printf("1..%d\n", count);
	return failed;
}
