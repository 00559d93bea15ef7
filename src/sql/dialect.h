/*
 * dialect: how one SQL engine spells what finq's SQL needs (date
 * literals, date buckets, tag lookups, text matching, conditional
 * aggregates), as a const struct. sqlgen.c writes everything else the same
 * for every engine.
 *
 * Two ways in. sqlgen calls the functions below while it compiles a plan.
 * The analyses (insight/, service/summary.c) write whole statements by
 * hand; they spell every engine-specific piece as a macro, `$name(args)`,
 * and sql_expand() rewrites the statement with the dialect's table of
 * macros (dialect.c documents the syntax; dialect_duckdb.c lists them). A
 * statement with a macro the dialect does not know fails to expand, so a
 * new engine cannot silently run DuckDB text.
 *
 * Adding an engine adds one dialect_<engine>.c defining one of these, and a
 * backend that runs its SQL; the service layer picks both once
 * (ask_context_init) and every compiler of SQL gets the dialect passed in.
 * Nothing else names an instance.
 */
#ifndef FINQ_DIALECT_H
#define FINQ_DIALECT_H

#include "err.h"
#include "plan.h"
#include "strbuf.h"

#include <stdarg.h>

/* One macro: `$name(arg1, ..., argN)` becomes body with each $1..$9
 * replaced by that argument's (expanded) text. */
struct sql_macro {
	const char *name;
	int nargs;
	const char *body;
};

struct sql_dialect {
	const char *name;
	void (*date_literal)(struct strbuf *sql, int day);
	/* the first day of the bucket (grain) holding the DATE expression col */
	void (*date_bucket)(struct strbuf *sql, enum grain grain, const char *col);
	/* the value of tag `key` in the tags map, NULL when absent */
	void (*tag_value)(struct strbuf *sql, const char *key);
	/* true when a row carries no user tag (aws_* tags do not count) */
	void (*untagged)(struct strbuf *sql);
	/* col contains / starts with the text */
	void (*contains)(struct strbuf *sql, const char *col, const char *text);
	void (*starts_with)(struct strbuf *sql, const char *col, const char *text);
	/* the macros of hand-written statements, sorted by name */
	const struct sql_macro *macros;
	size_t nmacros;
	/* the instance family of an instance type column: c5.xlarge -> c5,
	 * db.r6g.large -> db.r6g (all but the last dotted part) */
	void (*instance_family)(struct strbuf *sql, const char *col);
	/* NULL, or a last pass over every expanded statement for an engine
	 * whose SQL differs beyond macros (ClickHouse 18.16's alias scoping,
	 * positional GROUP BY, window totals): sql in, out appended */
	int (*rewrite)(const char *sql, struct strbuf *out, struct err *e);
};

/* Append sql to out with every `$name(...)` macro expanded for d (macros may
 * nest; text inside quotes is left alone). Fails naming the macro when d has
 * none of that name or the number of arguments differs. */
int sql_expand(const struct sql_dialect *d, const char *sql, struct strbuf *out, struct err *e);
/* printf, then sql_expand(): what every runner of hand-written statements
 * (insight_query, ask_queryf) does first. The caller escapes what it
 * formats in. */
int sql_expandf(const struct sql_dialect *d, struct strbuf *out, struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int sql_expandv(const struct sql_dialect *d, struct strbuf *out, struct err *e, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

/* The macro called name in d, NULL when d has none. */
const struct sql_macro *sql_dialect_macro(const struct sql_dialect *d, const char *name, size_t len);

/* DuckDB: dialect_duckdb.c */
extern const struct sql_dialect sql_dialect_duckdb;
/* Athena (Trino), named "athena" after its engine: dialect_trino.c */
extern const struct sql_dialect sql_dialect_trino;
/* ClickHouse 18.16 and later: dialect_clickhouse.c */
extern const struct sql_dialect sql_dialect_clickhouse;

#endif
