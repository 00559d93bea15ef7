/*
 * replay: a main() for the fuzz harnesses without libFuzzer, so that the
 * committed corpus and the regressions (inputs that once crashed) run as
 * a plain test under the ordinary ASan build, with gcc as well as clang.
 *
 *     build/asan/fuzz/fuzz_timex FILE-OR-DIR...
 *
 * Runs every file given or found (one level deep) and says how many; a
 * crash is the sanitizer's report and a non-zero exit.
 */
#include "fuzz.h"

#include <dirent.h>
#include <sys/stat.h>

/* Harnesses without set-up do not define it. */
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	size_t n = 0, cap = 4096;
	uint8_t *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	if (!buf)
		abort();
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	size_t files = 0;
	int failed = 0;
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0)
			continue; /* a harness without regressions has no folder */
		if (!S_ISDIR(st.st_mode)) {
			failed |= run_file(argv[i]) != 0;
			files++;
			continue;
		}
		DIR *dir = opendir(argv[i]);
		struct dirent *ent;
		char **names = NULL;
		size_t n = 0;
		while (dir && (ent = readdir(dir))) {
			if (ent->d_name[0] == '.')
				continue;
			names = realloc(names, (n + 1) * sizeof(*names));
			names[n] = malloc(strlen(argv[i]) + strlen(ent->d_name) + 2);
			sprintf(names[n++], "%s/%s", argv[i], ent->d_name);
		}
		if (dir)
			closedir(dir);
		qsort(names, n, sizeof(*names), compare_names);
		for (size_t k = 0; k < n; k++) {
			failed |= run_file(names[k]) != 0;
			free(names[k]);
		}
		free(names);
		files += n;
	}
	printf("%s: %zu inputs replayed\n", argv[0], files);
	return failed;
}
