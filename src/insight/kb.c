/*
 * kb: the knowledge base in the state file: its tables, the sync of the
 * built-in entries, adding and removing a user's documents, BM25 search,
 * and insight_knowledge, the analysis that answers "what is ..." with the
 * entries it found. See kb.h for the contract.
 *
 * All SQL is constant text in this file; questions, titles and documents
 * reach SQLite only as bound parameters, and a question reaches FTS5 only
 * through kb_query_build(), which quotes every word.
 */
#include "kb.h"

#include "insight.h"
#include "kb_assets.h"
#include "state.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Bump when the parsing of entries or the stored columns change: every
 * state file then re-syncs its built-in entries. */
#define KB_FORMAT 1
#define KB_LEAD_MAX 700        /* bytes of a lead paragraph before it is cut */
#define KB_QUOTE_LEAD_MAX 4096 /* entries up to this size are quoted by their lead */
#define KB_SNIPPET_TOKENS "32"

#define STR_(x) #x
#define STR(x) STR_(x)
#define NOW_SQL "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

static const char kb_schema[] =
	"CREATE TABLE IF NOT EXISTS kb_docs (\n"
	"  id INTEGER PRIMARY KEY,\n" /* = kb_fts.rowid */
	"  builtin INTEGER NOT NULL CHECK (builtin IN (0, 1)),\n"
	"  origin TEXT NOT NULL,\n"   /* a built-in's file name; a user's absolute path */
	"  bytes INTEGER NOT NULL,\n"
	"  added_at TEXT NOT NULL,\n"
	"  UNIQUE (builtin, origin)\n"
	");\n"
	"CREATE VIRTUAL TABLE IF NOT EXISTS kb_fts USING fts5(title, body, tags, source UNINDEXED,"
	" tokenize = 'porter unicode61 remove_diacritics 2');\n"
	"CREATE TABLE IF NOT EXISTS kb_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);\n";

/* bm25() weights in kb_fts column order; source is not indexed. */
#define KB_BM25 "bm25(kb_fts, " STR(KB_WEIGHT_TITLE) ", " STR(KB_WEIGHT_BODY) ", " STR(KB_WEIGHT_TAGS) ", 0.0)"
#define KB_ENTRY_COLUMNS "d.id, d.builtin, d.origin, d.bytes, f.title, f.source, f.tags"

static const char sql_search[] =
	"SELECT " KB_ENTRY_COLUMNS ", snippet(kb_fts, 1, '**', '**', '…', " KB_SNIPPET_TOKENS "), "
	KB_BM25 ", f.body FROM kb_fts f JOIN kb_docs d ON d.id = f.rowid"
	" WHERE kb_fts MATCH ?1 ORDER BY " KB_BM25 ", d.id LIMIT ?2";
static const char sql_list[] =
	"SELECT " KB_ENTRY_COLUMNS " FROM kb_docs d JOIN kb_fts f ON f.rowid = d.id"
	" ORDER BY d.builtin DESC, f.title COLLATE NOCASE, d.id";
static const char sql_by_id[] =
	"SELECT " KB_ENTRY_COLUMNS " FROM kb_docs d JOIN kb_fts f ON f.rowid = d.id WHERE d.id = ?1";
static const char sql_by_title[] =
	"SELECT " KB_ENTRY_COLUMNS " FROM kb_docs d JOIN kb_fts f ON f.rowid = d.id"
	" WHERE trim(f.title) = ?1 COLLATE NOCASE ORDER BY d.builtin, d.id";

/* ---- lists ----------------------------------------------------------------- */

void kb_entry_release(struct kb_entry *entry)
{
	free(entry->title);
	free(entry->source);
	free(entry->tags);
	free(entry->origin);
	free(entry->snippet);
	free(entry->lead);
	memset(entry, 0, sizeof(*entry));
}

void kb_entries_init(struct kb_entries *list)
{
	memset(list, 0, sizeof(*list));
}

void kb_entries_release(struct kb_entries *list)
{
	for (size_t i = 0; i < list->n; i++)
		kb_entry_release(&list->items[i]);
	free(list->items);
	kb_entries_init(list);
}

static void entries_clear(struct kb_entries *list)
{
	for (size_t i = 0; i < list->n; i++)
		kb_entry_release(&list->items[i]);
	list->n = 0;
}

static struct kb_entry *entries_add(struct kb_entries *list)
{
	ALLOC_GROW(list->items, list->n + 1, list->alloc);
	struct kb_entry *entry = &list->items[list->n++];
	memset(entry, 0, sizeof(*entry));
	return entry;
}

/* ---- questions to FTS5 queries ------------------------------------------------ */

/* Words that say how a question is asked, not what it is about. Sorted
 * (strcmp order): bsearch. */
static const char *const stop_words[] = {
	"a", "about", "all", "am", "an", "and", "any", "are", "as", "at", "be", "been", "between",
	"but", "by", "can", "could", "describe", "did", "do", "does", "doing", "explain", "for",
	"from", "get", "give", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its",
	"me", "mean", "means", "meant", "my", "of", "on", "or", "our", "please", "should", "so",
	"some", "tell", "than", "that", "the", "their", "them", "then", "there", "these", "they",
	"this", "those", "to", "us", "versus", "vs", "want", "was", "we", "were", "what", "whats",
	"when", "where", "which", "who", "why", "will", "with", "work", "works", "would", "you",
	"your",
};

static int word_cmp(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

static bool is_stop_word(const char *word)
{
	return bsearch(word, stop_words, sizeof(stop_words) / sizeof(stop_words[0]), sizeof(stop_words[0]),
		       word_cmp) != NULL;
}

/* A byte of a word: an ASCII letter or digit, or any byte of a non-ASCII
 * character (unicode61 splits those further inside FTS5). */
static bool is_word_byte(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

int kb_query_build(const char *question, struct strbuf *out)
{
	char words[KB_QUERY_TERMS_MAX][KB_TERM_MAX + 1];
	int n = 0;
	const unsigned char *p = (const unsigned char *)(question ? question : "");
	while (*p && n < KB_QUERY_TERMS_MAX) {
		while (*p && !is_word_byte(*p))
			p++;
		const unsigned char *start = p;
		while (*p && is_word_byte(*p))
			p++;
		size_t len = (size_t)(p - start);
		if (len < 2 || len > KB_TERM_MAX)
			continue; /* single letters ("what's" -> "s") and pasted blobs */
		char *w = words[n];
		for (size_t i = 0; i < len; i++)
			w[i] = (char)tolower(start[i]);
		w[len] = '\0';
		bool repeat = false;
		for (int k = 0; k < n && !repeat; k++)
			repeat = strcmp(words[k], w) == 0;
		if (!repeat && !is_stop_word(w))
			n++;
	}
	for (int i = 0; i < n; i++) {
		if (i)
			strbuf_addstr(out, " OR ");
		/* An FTS5 string: only '"' is special inside one, and a word holds
		 * none, but double it anyway so that the quoting never depends on
		 * what is_word_byte() lets through. */
		strbuf_addch(out, '"');
		for (const char *c = words[i]; *c; c++) {
			if (*c == '"')
				strbuf_addch(out, '"');
			strbuf_addch(out, *c);
		}
		strbuf_addch(out, '"');
	}
	return n;
}

/* ---- SQLite helpers ------------------------------------------------------------ */

static int db_fail(sqlite3 *db, const char *what, struct err *e)
{
	const char *path = sqlite3_db_filename(db, "main");
	return err_set_code(e, ERR_DATABASE, "cannot %s in state file '%s': %s", what, path ? path : "",
			    sqlite3_errmsg(db));
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql, const char *what, struct err *e)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_fail(db, what, e);
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

/* Step a statement that returns no rows, then finalize it. */
static int run(sqlite3 *db, sqlite3_stmt *st, const char *what, struct err *e)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		db_fail(db, what, e);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

static int exec(sqlite3 *db, const char *sql, const char *what, struct err *e)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : db_fail(db, what, e);
}

static void rollback(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return xstrdup(t ? (const char *)t : "");
}

/* The KB_ENTRY_COLUMNS of the current row into entry. */
static void entry_read(sqlite3_stmt *st, struct kb_entry *entry)
{
	entry->id = sqlite3_column_int64(st, 0);
	entry->builtin = sqlite3_column_int(st, 1) != 0;
	entry->origin = col_dup(st, 2);
	entry->bytes = sqlite3_column_int64(st, 3);
	entry->title = col_dup(st, 4);
	entry->source = col_dup(st, 5);
	entry->tags = col_dup(st, 6);
}

/* ---- entries: parsing ------------------------------------------------------------ */

/* An entry's parts, borrowed from its text or owned by the strbufs. */
struct parsed {
	struct strbuf title, tags;
	const char *body;
	size_t body_len;
};

static void parsed_release(struct parsed *p)
{
	strbuf_release(&p->title);
	strbuf_release(&p->tags);
}

/* The line at *p (without its "\n" or "\r\n") as [start, end); *p moves past it. */
static void line_next(const char **p, const char *end, const char **line, const char **line_end)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	*line = *p;
	*line_end = nl ? nl : end;
	*p = nl ? nl + 1 : end;
	if (*line_end > *line && (*line_end)[-1] == '\r')
		(*line_end)--;
}

static bool blank(const char *s, const char *end)
{
	for (; s < end; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

/* Append [s, end) trimmed, cut to at most max bytes at a character boundary. */
static void add_trimmed(struct strbuf *sb, const char *s, const char *end, size_t max)
{
	while (s < end && isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	size_t n = (size_t)(end - s);
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--; /* do not split a character */
	}
	strbuf_add(sb, s, n);
}

/* The name of a file without its folder and its last extension. */
static void title_from_name(struct strbuf *sb, const char *name)
{
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	const char *dot = strrchr(base, '.');
	if (!dot || dot == base)
		dot = base + strlen(base);
	add_trimmed(sb, base, dot, KB_TITLE_MAX);
}

/*
 * entry := [BOM] blank* ["# " title "\n" blank* ["tags:" list "\n"]] body
 * Without a heading the whole text is the body and name gives the title.
 */
static void entry_parse(const char *text, size_t len, const char *name, struct parsed *out)
{
	const char *p = text, *end = text + len, *line, *line_end;
	strbuf_init(&out->title, 0);
	strbuf_init(&out->tags, 0);
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) { /* leading blank lines */
		const char *at = p;
		line_next(&p, end, &line, &line_end);
		if (!blank(line, line_end)) {
			p = at;
			break;
		}
	}
	const char *after_title = p;
	line_next(&after_title, end, &line, &line_end);
	if (line_end - line >= 2 && line[0] == '#' && (line[1] == ' ' || line[1] == '\t')) {
		add_trimmed(&out->title, line + 2, line_end, KB_TITLE_MAX);
		p = after_title;
		const char *after_tags = p;
		while (after_tags < end) {
			line_next(&after_tags, end, &line, &line_end);
			if (!blank(line, line_end))
				break;
		}
		if (line_end - line >= 5 && strncasecmp(line, "tags:", 5) == 0) {
			add_trimmed(&out->tags, line + 5, line_end, SIZE_MAX);
			p = after_tags;
		}
	}
	if (!out->title.len)
		title_from_name(&out->title, name);
	out->body = p;
	out->body_len = (size_t)(end - p);
}

/* The first paragraph of a body that is prose: headings skipped, lines
 * joined with one space, cut near KB_LEAD_MAX bytes at a sentence or word. */
static char *lead_paragraph(const char *body)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = body, *end = body + strlen(body), *line, *line_end;
	while (p < end) {
		line_next(&p, end, &line, &line_end);
		bool empty = blank(line, line_end);
		if (empty || *line == '#') {
			if (sb.len)
				break;
			continue;
		}
		if (sb.len)
			strbuf_addch(&sb, ' ');
		add_trimmed(&sb, line, line_end, SIZE_MAX);
		if (sb.len > KB_LEAD_MAX)
			break;
	}
	if (sb.len > KB_LEAD_MAX) {
		size_t cut = KB_LEAD_MAX;
		while (cut > KB_LEAD_MAX / 2 && !(sb.buf[cut - 1] == '.' && sb.buf[cut] == ' '))
			cut--;
		bool sentence = cut > KB_LEAD_MAX / 2;
		if (!sentence)
			for (cut = KB_LEAD_MAX; cut > 0 && sb.buf[cut] != ' '; cut--)
				;
		sb.len = cut;
		sb.buf[cut] = '\0';
		if (!sentence)
			strbuf_addstr(&sb, " …");
	}
	return strbuf_detach(&sb);
}

/* ---- entries: storing ---------------------------------------------------------- */

/* Store one entry: a new row, or (keep_id > 0) new content for that row. */
static int doc_store(sqlite3 *db, long long keep_id, bool builtin, const char *origin, const struct parsed *doc,
		     const char *source, size_t bytes, long long *id, struct err *e)
{
	sqlite3_stmt *st;
	if (keep_id > 0) {
		st = prepare(db, "UPDATE kb_docs SET bytes = ?2, added_at = " NOW_SQL " WHERE id = ?1", "replace an entry", e);
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, keep_id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)bytes);
		if (run(db, st, "replace an entry", e))
			return -1;
		if (!(st = prepare(db, "DELETE FROM kb_fts WHERE rowid = ?1", "replace an entry", e)))
			return -1;
		sqlite3_bind_int64(st, 1, keep_id);
		if (run(db, st, "replace an entry", e))
			return -1;
		*id = keep_id;
	} else {
		st = prepare(db, "INSERT INTO kb_docs (builtin, origin, bytes, added_at) VALUES (?1, ?2, ?3, " NOW_SQL ")",
			     "add an entry", e);
		if (!st)
			return -1;
		sqlite3_bind_int(st, 1, builtin);
		sqlite3_bind_text(st, 2, origin, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)bytes);
		if (run(db, st, "add an entry", e))
			return -1;
		*id = sqlite3_last_insert_rowid(db);
	}
	st = prepare(db, "INSERT INTO kb_fts (rowid, title, body, tags, source) VALUES (?1, ?2, ?3, ?4, ?5)",
		     "index an entry", e);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, *id);
	sqlite3_bind_text(st, 2, doc->title.buf, (int)doc->title.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, doc->body, (int)doc->body_len, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, doc->tags.buf, (int)doc->tags.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, source, -1, SQLITE_STATIC);
	return run(db, st, "index an entry", e);
}

/* "1:<sha256 of the built-in entries>": what kb_meta holds once in sync. */
static char *builtin_stamp(void)
{
	return xasprintf("%d:%s", KB_FORMAT, kb_assets_hash);
}

/* *same: does the file hold the built-in entries of this binary? A file
 * without the tables is not in sync. */
static int stamp_matches(sqlite3 *db, const char *want, bool *same, struct err *e)
{
	sqlite3_stmt *st = NULL;
	*same = false;
	if (sqlite3_prepare_v2(db, "SELECT value FROM kb_meta WHERE key = 'builtin'", -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return 0; /* no kb_meta yet: kb_ready() creates it, or reports why it cannot */
	}
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*same = strcmp((const char *)sqlite3_column_text(st, 0), want) == 0;
	else if (rc != SQLITE_DONE)
		db_fail(db, "read the knowledge base", e);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int builtins_replace(sqlite3 *db, const char *stamp, struct err *e)
{
	if (exec(db, "DELETE FROM kb_fts WHERE rowid IN (SELECT id FROM kb_docs WHERE builtin = 1);"
		     "DELETE FROM kb_docs WHERE builtin = 1;", "update the built-in entries", e))
		return -1;
	for (size_t i = 0; i < kb_assets_count; i++) {
		const struct kb_asset *a = &kb_assets[i];
		struct parsed doc;
		long long id;
		entry_parse(a->text, a->size, a->name, &doc);
		char *source = xasprintf(KB_BUILTIN_SOURCE ": %s", a->name);
		int rc = doc_store(db, 0, true, a->name, &doc, source, a->size, &id, e);
		free(source);
		parsed_release(&doc);
		if (rc)
			return -1;
	}
	sqlite3_stmt *st = prepare(db, "INSERT INTO kb_meta (key, value) VALUES ('builtin', ?1)"
				       " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
				   "update the built-in entries", e);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, stamp, -1, SQLITE_STATIC);
	return run(db, st, "update the built-in entries", e);
}

/* The tables exist and hold this binary's built-in entries. */
static int kb_ready(struct state *s, struct err *e)
{
	sqlite3 *db = state_sqlite(s);
	char *stamp = builtin_stamp();
	bool same;
	int rc = -1;
	if (stamp_matches(db, stamp, &same, e))
		goto out;
	if (same) {
		rc = 0;
		goto out;
	}
	/* Take the write lock, then look again: another process may have
	 * synced meanwhile. */
	if (exec(db, "BEGIN IMMEDIATE", "start a transaction", e) ||
	    exec(db, kb_schema, "create the knowledge base tables", e) || stamp_matches(db, stamp, &same, e))
		goto out;
	if (!same && builtins_replace(db, stamp, e))
		goto out;
	rc = exec(db, "COMMIT", "commit", e);
out:
	if (rc)
		rollback(db);
	free(stamp);
	return rc;
}

/* ---- search ----------------------------------------------------------------------- */

/* A column's text with every run of whitespace as one space, trimmed: a
 * snippet spans lines and list items. */
static char *col_folded(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	struct strbuf sb = STRBUF_INIT;
	bool gap = false;
	for (; t && *t; t++) {
		if (isspace(*t)) {
			gap = sb.len > 0;
			continue;
		}
		if (gap)
			strbuf_addch(&sb, ' ');
		gap = false;
		strbuf_addch(&sb, (char)*t);
	}
	return strbuf_detach(&sb);
}

int kb_search(struct state *s, const char *question, int limit, struct kb_entries *out, struct err *e)
{
	struct strbuf query = STRBUF_INIT;
	sqlite3 *db = state_sqlite(s);
	sqlite3_stmt *st = NULL;
	int rc = -1, row;
	entries_clear(out);
	if (kb_query_build(question, &query) == 0) {
		err_set_code(e, ERR_USAGE, "no words to search for in '%s'", question ? question : "");
		goto out;
	}
	if (kb_ready(s, e) || !(st = prepare(db, sql_search, "search the knowledge base", e)))
		goto out;
	sqlite3_bind_text(st, 1, query.buf, (int)query.len, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, limit > 0 ? limit : KB_SEARCH_DEFAULT);
	while ((row = sqlite3_step(st)) == SQLITE_ROW) {
		struct kb_entry *entry = entries_add(out);
		entry_read(st, entry);
		entry->snippet = col_folded(st, 7);
		entry->score = -sqlite3_column_double(st, 8);
		entry->lead = lead_paragraph((const char *)sqlite3_column_text(st, 9));
	}
	if (row != SQLITE_DONE) {
		db_fail(db, "search the knowledge base", e);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	strbuf_release(&query);
	return rc;
}

int kb_list(struct state *s, struct kb_entries *out, struct err *e)
{
	sqlite3 *db = state_sqlite(s);
	sqlite3_stmt *st;
	int row;
	entries_clear(out);
	if (kb_ready(s, e) || !(st = prepare(db, sql_list, "list the knowledge base", e)))
		return -1;
	while ((row = sqlite3_step(st)) == SQLITE_ROW)
		entry_read(st, entries_add(out));
	sqlite3_finalize(st);
	return row == SQLITE_DONE ? 0 : db_fail(db, "list the knowledge base", e);
}

/* ---- adding documents ---------------------------------------------------------------- */

/* Is text what a person would call a text file? On failure e says why, at
 * which byte offset. */
static int text_check(const char *path, const unsigned char *t, size_t n, struct err *e)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = t[i];
		if (c == 0)
			return err_set_code(e, ERR_BAD_INPUT, "file '%s' is not text: it has a NUL byte at offset %zu",
					    path, i);
		if ((c < 0x20 && !strchr("\t\n\v\f\r\x1b", c)) || c == 0x7f)
			return err_set_code(e, ERR_BAD_INPUT,
					    "file '%s' is not text: it has the control byte 0x%02x at offset %zu", path, c, i);
		if (c < 0x80) {
			i++;
			continue;
		}
		/* UTF-8: the lead byte's length, then no overlong forms, no
		 * surrogates, nothing above U+10FFFF. */
		size_t more = (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : 0;
		bool ok = more > 0 && i + more < n && !(more == 1 && c < 0xc2) && !(more == 3 && c > 0xf4);
		for (size_t k = 1; ok && k <= more; k++)
			ok = (t[i + k] & 0xc0) == 0x80;
		if (ok && more == 2)
			ok = !(c == 0xe0 && t[i + 1] < 0xa0) && !(c == 0xed && t[i + 1] >= 0xa0);
		if (ok && more == 3)
			ok = !(c == 0xf0 && t[i + 1] < 0x90) && !(c == 0xf4 && t[i + 1] >= 0x90);
		if (!ok)
			return err_set_code(e, ERR_BAD_INPUT,
					    "file '%s' is not UTF-8 text: invalid byte 0x%02x at offset %zu", path, c, i);
		i += more + 1;
	}
	return 0;
}

/* A document read and checked, ready to store. */
struct pending {
	const char *path; /* as given */
	char *origin;     /* absolute */
	char *text;
	size_t len;
	struct parsed doc;
};

static int file_read(const char *path, struct pending *p, struct err *e)
{
	struct stat sb;
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set_code(e, ERR_BAD_INPUT, "cannot read file '%s': %s", path, strerror(errno));
	int rc = -1;
	if (fstat(fileno(f), &sb) != 0) {
		err_set_code(e, ERR_BAD_INPUT, "cannot read file '%s': %s", path, strerror(errno));
		goto out;
	}
	if (S_ISDIR(sb.st_mode)) {
		err_set_code(e, ERR_BAD_INPUT, "'%s' is a folder, not a file", path);
		goto out;
	}
	/* Read one byte past the limit, so that a file that grew after fstat
	 * (or a pipe with no size) is still refused. */
	p->text = xmalloc(KB_FILE_MAX + 2);
	p->len = fread(p->text, 1, KB_FILE_MAX + 1, f);
	if (ferror(f)) {
		err_set_code(e, ERR_BAD_INPUT, "cannot read file '%s': %s", path, strerror(errno));
		goto out;
	}
	p->text[p->len] = '\0';
	if (p->len > KB_FILE_MAX) {
		err_set_code(e, ERR_BAD_INPUT, "file '%s' is larger than %d bytes (1 MB), the limit for a document",
			     path, KB_FILE_MAX);
		goto out;
	}
	rc = 0;
out:
	fclose(f);
	return rc;
}

static int pending_load(const char *path, struct pending *p, struct err *e)
{
	char resolved[PATH_MAX];
	p->path = path;
	if (file_read(path, p, e) || text_check(path, (const unsigned char *)p->text, p->len, e))
		return -1;
	if (!realpath(path, resolved))
		return err_set_code(e, ERR_BAD_INPUT, "cannot read file '%s': %s", path, strerror(errno));
	p->origin = xstrdup(resolved);
	entry_parse(p->text, p->len, path, &p->doc);
	if (blank(p->text, p->text + p->len))
		return err_set_code(e, ERR_BAD_INPUT, "file '%s' is empty", path);
	if (blank(p->doc.body, p->doc.body + p->doc.body_len))
		return err_set_code(e, ERR_BAD_INPUT, "file '%s' has a title but no text", path);
	return 0;
}

static void pending_release(struct pending *p)
{
	free(p->origin);
	free(p->text);
	parsed_release(&p->doc);
}

/* The id of the user entry added from origin, or 0. */
static int user_entry_find(sqlite3 *db, const char *origin, long long *id, struct err *e)
{
	sqlite3_stmt *st = prepare(db, "SELECT id FROM kb_docs WHERE builtin = 0 AND origin = ?1", "find an entry", e);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC);
	int row = sqlite3_step(st);
	*id = row == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return row == SQLITE_ROW || row == SQLITE_DONE ? 0 : db_fail(db, "find an entry", e);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash && slash[1] ? slash + 1 : path;
}

int kb_add_files(struct state *s, const char *const *paths, size_t n, struct kb_entries *out, struct err *e)
{
	sqlite3 *db = state_sqlite(s);
	struct pending *docs = xcalloc(n ? n : 1, sizeof(*docs));
	size_t first = out->n;
	int rc = -1;
	for (size_t i = 0; i < n; i++)
		if (pending_load(paths[i], &docs[i], e))
			goto out;
	if (kb_ready(s, e) || exec(db, "BEGIN IMMEDIATE", "start a transaction", e))
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct pending *p = &docs[i];
		long long old, id;
		const char *source = base_name(p->path);
		if (user_entry_find(db, p->origin, &old, e) ||
		    doc_store(db, old, false, p->origin, &p->doc, source, p->len, &id, e))
			goto out;
		struct kb_entry *entry = entries_add(out);
		entry->id = id;
		entry->replaced = old > 0;
		entry->title = xstrdup(p->doc.title.buf);
		entry->source = xstrdup(source);
		entry->tags = xstrdup(p->doc.tags.buf);
		entry->origin = xstrdup(p->origin);
		entry->bytes = (long long)p->len;
	}
	rc = exec(db, "COMMIT", "commit", e);
out:
	if (rc) {
		rollback(db);
		while (out->n > first)
			kb_entry_release(&out->items[--out->n]);
	}
	for (size_t i = 0; i < n; i++)
		pending_release(&docs[i]);
	free(docs);
	return rc;
}

/* ---- removing ------------------------------------------------------------------------ */

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

int kb_remove(struct state *s, const char *title_or_id, struct kb_entry *removed, struct err *e)
{
	sqlite3 *db = state_sqlite(s);
	struct kb_entries found = KB_ENTRIES_INIT;
	struct strbuf key = STRBUF_INIT;
	sqlite3_stmt *st;
	int rc = -1, row;
	add_trimmed(&key, title_or_id, title_or_id + strlen(title_or_id), SIZE_MAX);
	if (!key.len) {
		err_set_code(e, ERR_USAGE, "give the title or the id of the entry to remove");
		goto out;
	}
	bool by_id = all_digits(key.buf);
	if (kb_ready(s, e) || !(st = prepare(db, by_id ? sql_by_id : sql_by_title, "find an entry", e)))
		goto out;
	if (by_id)
		sqlite3_bind_int64(st, 1, strtoll(key.buf, NULL, 10));
	else
		sqlite3_bind_text(st, 1, key.buf, (int)key.len, SQLITE_STATIC);
	while ((row = sqlite3_step(st)) == SQLITE_ROW)
		entry_read(st, entries_add(&found));
	sqlite3_finalize(st);
	if (row != SQLITE_DONE) {
		db_fail(db, "find an entry", e);
		goto out;
	}
	/* User entries sort first; a built-in one matters only if no user entry matched. */
	if (found.n == 0) {
		err_set_code(e, ERR_FAILED, "no knowledge base entry %s '%s' (see 'finq kb list')",
			     by_id ? "has the id" : "is titled", key.buf);
		goto out;
	}
	if (found.items[0].builtin) {
		err_set_code(e, ERR_FAILED, "'%s' is a built-in entry of the finq knowledge base; only documents "
			     "you added can be removed", found.items[0].title);
		goto out;
	}
	if (found.n > 1 && !found.items[1].builtin) {
		err_set_code(e, ERR_FAILED, "several entries are titled '%s': remove one by its id (see 'finq kb list')",
			     key.buf);
		goto out;
	}
	if (exec(db, "BEGIN IMMEDIATE", "start a transaction", e))
		goto out;
	if (!(st = prepare(db, "DELETE FROM kb_fts WHERE rowid = ?1", "remove an entry", e)))
		goto out;
	sqlite3_bind_int64(st, 1, found.items[0].id);
	if (run(db, st, "remove an entry", e) || !(st = prepare(db, "DELETE FROM kb_docs WHERE id = ?1", "remove an entry", e)))
		goto out;
	sqlite3_bind_int64(st, 1, found.items[0].id);
	if (run(db, st, "remove an entry", e) || exec(db, "COMMIT", "commit", e))
		goto out;
	if (removed) {
		*removed = found.items[0];
		memset(&found.items[0], 0, sizeof(found.items[0]));
	}
	rc = 0;
out:
	if (rc)
		rollback(db);
	kb_entries_release(&found);
	strbuf_release(&key);
	return rc;
}

/* ---- the knowledge analysis -------------------------------------------------------------- */

static json_t *hit_to_json(const struct kb_entry *hit)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:f, s:b}", "id", (json_int_t)hit->id, "title", hit->title,
			 "source", hit->source, "snippet", hit->snippet, "lead", hit->lead, "score", hit->score,
			 "builtin", hit->builtin);
}

/* "From the finq knowledge base, *Title*: lead" and the other entries cited. */
static void knowledge_message(const struct kb_entries *hits, struct strbuf *md)
{
	const struct kb_entry *top = &hits->items[0];
	/* Short entries open with a paragraph that answers "what is"; in a
	 * long document the passage that matched says more. */
	const char *quote = top->bytes <= KB_QUOTE_LEAD_MAX && *top->lead ? top->lead : top->snippet;
	if (top->builtin)
		strbuf_addf(md, "From the finq knowledge base, *%s*: %s\n\n(Source: %s.)", top->title, quote, top->source);
	else
		strbuf_addf(md, "From your document *%s* (%s): %s", top->title, top->source, quote);
	if (hits->n > 1) {
		strbuf_addstr(md, "\n\nSee also: ");
		for (size_t i = 1; i < hits->n; i++)
			strbuf_addf(md, "%s*%s* (%s)", i > 1 ? "; " : "", hits->items[i].title, hits->items[i].source);
		strbuf_addch(md, '.');
	}
}

static int knowledge_run(const struct insight_request *req, json_t **out, struct err *e)
{
	struct kb_entries hits = KB_ENTRIES_INIT;
	struct strbuf query = STRBUF_INIT, md = STRBUF_INIT;
	const char *question = req->text ? req->text : "";
	*out = NULL;
	if (!req->state)
		return err_set_code(e, ERR_DATABASE, "the knowledge base lives in the state file, which is not open");
	json_t *result = NULL;
	if (kb_query_build(question, &query) == 0) {
		result = insight_result("knowledge", "Nothing to look up");
		insight_set_message(result, "Ask about a FinOps topic, for example \"what is a Savings Plan?\" or "
					    "\"how do I reduce NAT gateway costs?\"; `finq kb list` lists the entries.");
		goto done;
	}
	if (kb_search(req->state, question, req->limit, &hits, e))
		goto fail;
	if (hits.n == 0) {
		/* The question is not in the title: it may not be UTF-8, which JSON must be. */
		result = insight_result("knowledge", "No knowledge base entry matches the question");
		insight_set_message(result, "The knowledge base has no entry about that. `finq kb list` lists the entries; "
					    "`finq kb add FILE` adds your own documents.");
		goto done;
	}
	char *title = xasprintf("%s (%s)", hits.items[0].title, hits.items[0].source);
	result = insight_result("knowledge", title);
	free(title);
	knowledge_message(&hits, &md);
	insight_set_message(result, md.buf);
	json_t *items = json_object_get(result, "items"), *rows = json_object_get(result, "rows");
	json_object_set_new(result, "columns", json_pack("[s, s, s]", "title", "source", "score"));
	for (size_t i = 0; i < hits.n; i++) {
		const struct kb_entry *hit = &hits.items[i];
		json_array_append_new(items, hit_to_json(hit));
		json_array_append_new(rows, json_pack("[s, s, f]", hit->title, hit->source, hit->score));
		if (i > 0)
			insight_add_suggestion(result, hit->title);
	}
done:;
	char *method = xasprintf("full-text search (SQLite FTS5, porter stemming) over the knowledge base, ranked by "
				 "BM25 with titles weighted %gx and tags %gx the body; query: %s",
				 KB_WEIGHT_TITLE / KB_WEIGHT_BODY, KB_WEIGHT_TAGS / KB_WEIGHT_BODY,
				 query.len ? query.buf : "(no words)");
	insight_set_method(result, method);
	free(method);
	*out = result;
	kb_entries_release(&hits);
	strbuf_release(&query);
	strbuf_release(&md);
	return 0;
fail:
	kb_entries_release(&hits);
	strbuf_release(&query);
	strbuf_release(&md);
	return -1;
}

const struct insight insight_knowledge = {
	"knowledge",
	"answers from the FinOps knowledge base, citing the entries",
	knowledge_run,
};
