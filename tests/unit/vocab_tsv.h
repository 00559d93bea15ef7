/*
 * vocab_tsv: the vocabulary of the dev data (tests/data/vocab.tsv, the
 * `vocabulary` table a load of ../shared/data/cur-dev keeps) or of other
 * data (vocab-*.tsv, the same columns) for tests of the language pipeline
 * that run without a database, plus one alias ("crunch": EC2, Lambda,
 * ECS). Include after unit.h.
 */
#ifndef FINQ_TEST_VOCAB_TSV_H
#define FINQ_TEST_VOCAB_TSV_H

#include "vocab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The vocabulary in a file of tests/data ("vocab.tsv", "vocab-2018.tsv"). */
static inline void unit_load_vocab_file(struct vocab *v, const char *name)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", TEST_DATA_DIR, name);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[1024];
	vocab_init(v);
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		char *fields[5] = { 0 };
		char *p = line;
		for (int i = 0; i < 5; i++) {
			fields[i] = p;
			p = strchr(p, '\t');
			if (!p)
				break;
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

static inline void unit_load_vocab(struct vocab *v)
{
	unit_load_vocab_file(v, "vocab.tsv");
}

#endif
