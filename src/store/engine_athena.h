/*
 * engine_athena: Amazon Athena as finq's query engine (engine.h), for a
 * CUR that already lives in an Athena table.
 *
 * A client holds the target (athena://WORKGROUP/DATABASE/TABLE?region=R
 * &output=s3://BUCKET/PREFIX), the credentials (the AWS_* environment
 * variables, else the shared credentials file) and the relations it puts
 * in front of every statement as WITH entries: the statements finq writes
 * read `costs` (and `vocabulary`), and load/athena_table.c defines those
 * over the user's own table. run() is StartQueryExecution, then
 * GetQueryExecution until the query ends (StopQueryExecution past the
 * time limit or on cancel), then GetQueryResults page by page into a
 * `struct table`. Every call is an AWS JSON 1.1 POST signed with sigv4.c.
 *
 * The HTTP transport is a function pointer: libcurl by default, recorded
 * responses in tests (tests/unit/test_athena.c), so the request bodies,
 * headers, signatures, polling and paging are all tested offline. Nothing
 * here has been run against the real service (docs/engines.md).
 */
#ifndef FINQ_ENGINE_ATHENA_H
#define FINQ_ENGINE_ATHENA_H

#include "db.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

/* What an athena:// address names. */
struct athena_target {
	char *workgroup, *database, *table;
	char *catalog;  /* catalog=, default AwsDataCatalog */
	char *region;   /* region=, else $AWS_REGION or $AWS_DEFAULT_REGION */
	char *output;   /* output=s3://..., NULL: the workgroup's own setting */
	char *endpoint; /* endpoint=, default https://athena.REGION.amazonaws.com */
};

/* Parse url into t (released with athena_target_release, also on failure). */
int athena_target_parse(const char *url, struct athena_target *t, struct err *e);
void athena_target_release(struct athena_target *t);

/* One HTTP request and its response, as the transport sees them. */
struct athena_http_request {
	const char *url;
	const char *const *headers; /* "Name: value" lines, signed */
	size_t nheaders;
	const char *body;
	size_t body_len;
	double timeout_seconds; /* for this one call */
};
struct athena_http_response {
	long status;
	struct strbuf body; /* initialised by the caller */
};
/* Send req; fill resp. -1 (with e) only when no HTTP answer came back. */
typedef int (*athena_transport_fn)(void *arg, const struct athena_http_request *req,
				   struct athena_http_response *resp, struct err *e);
/* The default transport: libcurl. */
int athena_curl_transport(void *arg, const struct athena_http_request *req, struct athena_http_response *resp,
			  struct err *e);

struct athena_client;

/* A client for url with credentials from the environment or the shared
 * credentials file (AWS_PROFILE, AWS_SHARED_CREDENTIALS_FILE,
 * ~/.aws/credentials). NULL with e when either is wrong or missing. */
struct athena_client *athena_client_new(const char *url, struct err *e);
void athena_client_free(struct athena_client *c);
const struct athena_target *athena_client_target(const struct athena_client *c);

/* Tests: replace the transport, and the clock (Unix seconds: to sign,
 * and to measure time limits) with the wait between polls. */
void athena_client_set_transport(struct athena_client *c, athena_transport_fn fn, void *arg);
void athena_client_set_clock(struct athena_client *c, double (*now)(void *arg), void (*sleep_ms)(void *arg, int ms),
			     void *arg);

/* Put `name (columns) AS (sql)` in front of every statement that
 * mentions name; one added later may read the ones before it. */
void athena_client_add_relation(struct athena_client *c, const char *name, const char *sql);

/*
 * Partition pruning. A relation whose sql holds ATHENA_PARTITIONS_MARK
 * (a comment, harmless when left) after its table may be narrowed for a
 * statement whose only read of it is bounded by a date range
 * (athena_statement_range): prune(layout, start, end) returns the
 * condition on the partition keys ("billing_period IN (...)"), or NULL
 * to read everything, and the mark becomes `WHERE <condition>`. layout
 * is copied and handed back as it was given.
 */
#define ATHENA_PARTITIONS_MARK "/*finq:partitions*/"
typedef char *(*athena_prune_fn)(const char *layout, int start_day, int end_day);
void athena_client_add_pruned_relation(struct athena_client *c, const char *name, const char *sql,
				       athena_prune_fn prune, const char *layout);
/* The days [*start, *end) a statement reads of `name` when it reads it
 * exactly once, as sqlgen writes it: FROM name, then WHERE usage_date >=
 * date 'A' AND usage_date < date 'B' (or two such ranges ORed, for a
 * comparison), then nothing but more ANDed conditions. false otherwise. */
bool athena_statement_range(const char *sql, const char *name, int *start, int *end);
/* The statement as sent: the relations it mentions, then sql. */
void athena_client_statement(const struct athena_client *c, const char *sql, struct strbuf *out);

/* One API call: POST the JSON body to action ("GetQueryExecution");
 * *response is the parsed answer (json_decref it). A non-200 answer
 * fails with Athena's own error type and message. */
struct json_t;
int athena_call(struct athena_client *c, const char *action, struct json_t *body, struct json_t **response,
		struct err *e);

/* A table's columns and partition keys (GetTableMetadata). */
struct athena_column {
	char *name;
	char *type; /* Athena's: "string", "double", "timestamp", "map<string,string>" */
	bool partition; /* one of the table's PartitionKeys */
};
int athena_table_columns(struct athena_client *c, struct athena_column **cols, size_t *ncols, struct err *e);
void athena_columns_free(struct athena_column *cols, size_t n);

/* 0 when sql starts as a query (SELECT, WITH, VALUES, TABLE); else
 * refused (ERR_REFUSED) naming its first word. run() checks it first. */
int athena_check_read_only(const char *sql, struct err *e);
/* Run one statement as db_run() does (engine.h's run()). */
int athena_client_run(struct athena_client *c, const char *sql, const struct db_run_options *opt,
		      struct table *out, struct err *e);

/* The engine, named "athena" like its dialect (sql/dialect_trino.c). */
extern const struct db_engine engine_athena;
/* Send db's reads to c; db_close() frees c. */
void engine_athena_attach_client(struct db *db, struct athena_client *c);

#endif
