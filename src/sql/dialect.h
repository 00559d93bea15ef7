/*
 * dialect: how one SQL engine spells what finq's SQL needs (date
 * literals, date buckets, tag lookups, text matching), as a const struct
 * of functions. sqlgen.c writes everything else the same for every engine.
 *
 * Adding an engine adds one dialect_<engine>.c defining one of these, and a
 * backend that runs its SQL; the service layer picks both once
 * (ask_context_init) and every compiler of SQL gets the dialect passed in.
 * Nothing else names an instance.
 */
#ifndef FINQ_DIALECT_H
#define FINQ_DIALECT_H

#include "plan.h"
#include "strbuf.h"

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
	/* the instance family of an instance type column: c5.xlarge -> c5,
	 * db.r6g.large -> db.r6g (all but the last dotted part) */
	void (*instance_family)(struct strbuf *sql, const char *col);
};

/* DuckDB: dialect_duckdb.c */
extern const struct sql_dialect sql_dialect_duckdb;

#endif
