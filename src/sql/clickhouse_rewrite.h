/*
 * clickhouse_rewrite: the last pass of the clickhouse dialect over an
 * expanded statement, for what ClickHouse 18.16 reads differently from
 * the SQL finq writes (see clickhouse_rewrite.c for each rule).
 */
#ifndef FINQ_CLICKHOUSE_REWRITE_H
#define FINQ_CLICKHOUSE_REWRITE_H

#include "err.h"
#include "strbuf.h"

/* Append sql, rewritten for ClickHouse, to out. */
int clickhouse_rewrite(const char *sql, struct strbuf *out, struct err *e);

#endif
