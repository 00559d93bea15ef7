/*
 * kb: finq's FinOps knowledge base, searched with SQLite FTS5 and BM25.
 *
 * Entries are short markdown documents: a first line "# Title", an optional
 * "tags: a, b" line, then the body. The built-in entries (the .md files in kb/, embedded
 * by scripts/embed_kb.py, see kb_assets.h) answer "what is ..." and "how do
 * I ..." questions; `finq kb add FILE` adds a user's own documents beside
 * them. Answers cite the entry: its title and source, "finq knowledge base:
 * savings-plans.md" for a built-in, the file name for a user's document.
 *
 * Storage: the application state file (state.c), on the connection that
 * state_sqlite() lends, so that one file holds conversations, aliases and
 * the knowledge base, and a user's documents live as long as that state.
 * kb.c owns its tables and nothing else touches them:
 *   kb_fts   FTS5 (title, body, tags, source UNINDEXED), porter + unicode61
 *   kb_docs  one row per entry, id = kb_fts rowid: built-in or user, where
 *            it came from (the built-in's file name, the user's absolute
 *            path), size, when added
 *   kb_meta  key/value; "builtin" holds the format and hash of the built-in
 *            entries stored
 * Every function below first makes the tables exist and, when the binary's
 * built-in entries differ from the stored ones (kb_assets_hash), replaces
 * the built-in rows in one transaction; user rows are never touched by that.
 *
 * Search: the question is reduced to words (ASCII letters and digits, and
 * any non-ASCII bytes), common question words are dropped ("what", "is",
 * "how", "do", "i", ...), and each remaining word becomes a quoted FTS5
 * string joined with OR: user text is never FTS5 syntax, so `"`, `*`,
 * `NEAR(`, `OR` and `-` are just words or separators. Ranking is bm25()
 * with the title weighted KB_WEIGHT_TITLE and the tags KB_WEIGHT_TAGS times
 * the body.
 *
 * Errors: 0 or -1 with e set; e->code is ERR_USAGE for a question with
 * no words to search for or an empty title to remove, ERR_BAD_INPUT for a
 * file that cannot be read, is too large or empty, or is not text,
 * ERR_FAILED for an entry that does not exist or cannot be removed, and
 * ERR_DATABASE for the state file. Like struct state, one thread at a time.
 */
#ifndef FINQ_KB_H
#define FINQ_KB_H

#include "err.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

struct state;

#define KB_FILE_MAX (1024 * 1024) /* bytes in a document added by a user */
#define KB_TITLE_MAX 200          /* bytes in a title; longer ones are cut */
#define KB_QUERY_TERMS_MAX 32     /* words of a question that are searched */
#define KB_TERM_MAX 64            /* bytes in one searched word; longer ones are skipped */
#define KB_SEARCH_DEFAULT 5       /* entries a search returns unless told */
#define KB_WEIGHT_TITLE 10.0
#define KB_WEIGHT_BODY 1.0
#define KB_WEIGHT_TAGS 4.0
#define KB_BUILTIN_SOURCE "finq knowledge base" /* cited as "finq knowledge base: nat-gateway.md" */

/* One entry as listed, found or added. Owns its strings. */
struct kb_entry {
	long long id;    /* stable for a user entry, even when it is replaced */
	bool builtin;
	bool replaced;   /* add: an entry from the same file was replaced */
	char *title;
	char *source;    /* the citation: "finq knowledge base: x.md" or "notes.md" */
	char *tags;      /* "" when none */
	char *origin;    /* a built-in's file name, or the absolute path a user's came from */
	long long bytes; /* of the text as added */
	/* search results only (NULL and 0 otherwise): */
	char *snippet;   /* the best passage of the body, matched words in **bold** */
	char *lead;      /* the body's first paragraph, at most about 700 bytes */
	double score;    /* -bm25(): higher is a better match */
};

struct kb_entries {
	struct kb_entry *items;
	size_t n, alloc;
};

#define KB_ENTRIES_INIT { NULL, 0, 0 }

void kb_entries_init(struct kb_entries *list);
/* Free every entry and the array; the list is empty and reusable after. */
void kb_entries_release(struct kb_entries *list);

/* The FTS5 query for a question, appended to out: each usable word quoted,
 * joined with " OR ", in order, repeats dropped, at most KB_QUERY_TERMS_MAX.
 * Returns the number of words; 0 (and nothing appended) when the question
 * has none ("what is it?"). Pure: no I/O. */
int kb_query_build(const char *question, struct strbuf *out);

/* The entries that best match question, best first, at most limit (0:
 * KB_SEARCH_DEFAULT) into *out, which the caller has initialised; existing
 * items are dropped first. No match is not an error (out->n == 0); a
 * question with no usable words is (ERR_USAGE). */
int kb_search(struct state *s, const char *question, int limit, struct kb_entries *out, struct err *e);

/* Add the documents at paths[0..n-1] (markdown or plain text, UTF-8, at
 * most KB_FILE_MAX bytes each), appending one entry per file to *out. The
 * title is the first "# " heading if the text starts with one, else the
 * file name without its extension. A file already added (same absolute
 * path) is replaced, keeping its id. All or nothing: every file is read and
 * checked before anything is stored, and a file that cannot be read, is too
 * large, is empty, or is not text (a NUL byte, invalid UTF-8) stores none. */
int kb_add_files(struct state *s, const char *const *paths, size_t n, struct kb_entries *out, struct err *e);

/* Every entry, built-in ones first, each group by title, into *out (as kb_search). */
int kb_list(struct state *s, struct kb_entries *out, struct err *e);

/* Remove the user entry with this id (all digits) or title (case-insensitive,
 * trimmed); *removed (may be NULL) gets a copy of what was removed, which
 * the caller frees with kb_entry_release(). A built-in entry cannot be
 * removed; a title shared by several entries must be given by id. */
int kb_remove(struct state *s, const char *title_or_id, struct kb_entry *removed, struct err *e);
void kb_entry_release(struct kb_entry *entry);

#endif
