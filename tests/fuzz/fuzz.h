/*
 * fuzz.h: what the libFuzzer harnesses in this folder share.
 *
 * Each harness defines LLVMFuzzerTestOneInput (and, when it needs set-up,
 * LLVMFuzzerInitialize). The same source links two ways: with clang's
 * -fsanitize=fuzzer to search for crashes (`make fuzz`), and with
 * replay.c's main() and the ordinary ASan objects to replay the committed
 * corpus and regressions as a plain test (`make fuzz-replay`).
 */
#ifndef FINQ_FUZZ_H
#define FINQ_FUZZ_H

#include "vocab.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The input as a NUL-terminated string (embedded NULs end it early, as
 * they would for any C string the program receives). Free it. */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* The vocabulary of tests/data/vocab.tsv (the dev data's), with one alias,
 * as test_parse.c builds it: the parser sees real names without a database. */
static inline void fuzz_load_vocab(struct vocab *v)
{
	FILE *f = fopen(FUZZ_DATA_DIR "/vocab.tsv", "r");
	char line[1024];
	vocab_init(v);
	if (!f) {
		perror(FUZZ_DATA_DIR "/vocab.tsv");
		abort();
	}
	while (fgets(line, sizeof(line), f)) {
		char *fields[5] = { 0 };
		char *p = line;
		if (line[0] == '#')
			continue;
		line[strcspn(line, "\n")] = '\0';
		for (int i = 0; i < 5 && p; i++) {
			fields[i] = p;
			if ((p = strchr(p, '\t')))
				*p++ = '\0';
		}
		if (!fields[4])
			continue;
		vocab_add_data(v, fields[0], *fields[1] ? fields[1] : NULL, *fields[2] ? fields[2] : NULL,
			       *fields[3] ? fields[3] : NULL, atof(fields[4]));
	}
	fclose(f);
	const char *compute[] = { "AmazonEC2", "AWSLambda", "AmazonECS" };
	vocab_add_alias(v, "crunch", compute, 3);
	vocab_finish(v);
}

#endif
