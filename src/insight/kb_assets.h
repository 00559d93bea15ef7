/*
 * kb_assets: the built-in knowledge base entries (the .md files in kb/), embedded in the
 * binary at build time.
 *
 * The Makefile generates build/kb_assets.c with scripts/embed_kb.py. Only
 * kb.c reads this table: it parses each text (title, tags, body) and keeps
 * the copies stored in the state file in step with kb_assets_hash. Texts are
 * UTF-8 and NUL-terminated (the NUL is not counted in size); they live for
 * the whole process.
 */
#ifndef FINQ_KB_ASSETS_H
#define FINQ_KB_ASSETS_H

#include <stddef.h>

struct kb_asset {
	const char *name; /* the file name in kb/: "savings-plans.md" */
	const char *text;
	size_t size;
};

extern const struct kb_asset kb_assets[]; /* sorted by name */
extern const size_t kb_assets_count;
/* SHA-256 (hex) of every name and text: changes whenever an entry does. */
extern const char kb_assets_hash[];

#endif
