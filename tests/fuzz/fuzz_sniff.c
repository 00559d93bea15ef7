/*
 * fuzz_sniff: format detection of an uploaded file. The input is written
 * to a file (sniff_file reads paths), then sniffed, and a gzip stream
 * checked whole as the load does; a text file's header line is split and its export format
 * identified from the names, as load.c does. Also the pure pieces on the
 * input's first line directly.
 */
#include "fuzz.h"

#include "schema.h"
#include "sniff.h"

#include <unistd.h>

static char path[256];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *tmp = getenv("TMPDIR");
	snprintf(path, sizeof(path), "%s/finq-fuzz-sniff-%ld", tmp && *tmp ? tmp : "/tmp", (long)getpid());
	return 0;
}

static void identify(const char *line)
{
	size_t n = 0;
	char **fields = sniff_split_line(line, sniff_guess_delimiter(line), &n);
	schema_identify((const char *const *)fields, n);
	for (size_t i = 0; i < n; i++)
		free(fields[i]);
	free(fields);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	struct sniff s = { 0 };
	struct err e = { 0 };
	if (sniff_file(path, &s, &e) == 0) {
		if (s.kind == KIND_TEXT)
			schema_identify((const char *const *)s.fields, s.nfields);
		if (s.gzip && sniff_gzip_check(path, &s, &e) != 0 && !e.msg[0])
			abort();
		sniff_release(&s);
	} else if (!e.msg[0]) {
		abort(); /* a failure must say why */
	}
	unlink(path);

	char *text = fuzz_string(data, size);
	text[strcspn(text, "\r\n")] = '\0';
	identify(text);
	free(text);
	return 0;
}
