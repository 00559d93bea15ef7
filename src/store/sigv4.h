/*
 * sigv4: AWS Signature Version 4 (AWS4-HMAC-SHA256) for one HTTP request,
 * in the Authorization header or in the query string (a presigned URL).
 *
 * Pure: builds the canonical request, the string to sign and the
 * signature from what it is given (the time included), so that the
 * published test vectors (tests/unit/test_sigv4.c over
 * ../shared/data/sigv4) check every step. engine_athena.c signs its calls
 * with it; it sends nothing itself. SHA-256 and HMAC come from libcrypto.
 */
#ifndef FINQ_SIGV4_H
#define FINQ_SIGV4_H

#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

struct sigv4_header {
	const char *name;
	const char *value; /* as sent; folded lines ("a\n  b") are joined with one space */
};

struct sigv4_request {
	const char *method; /* "POST" */
	const char *path;   /* as in the request line, without the query: "/", "/example space/" */
	const char *query;  /* after the '?', NULL or "" when none */
	const struct sigv4_header *headers; /* Host included; duplicates allowed */
	size_t nheaders;
	const void *body;
	size_t body_len;
};

struct sigv4_credentials {
	const char *access_key_id;
	const char *secret_access_key;
	const char *session_token; /* NULL unless temporary credentials */
};

struct sigv4_params {
	const char *region;  /* "us-east-1" */
	const char *service; /* "athena" */
	const char *amz_date; /* the signing time, "20150830T123600Z" */
	bool normalize_path;  /* remove "." and ".." segments and repeated slashes (all but S3) */
	bool sign_body;       /* also send and sign x-amz-content-sha256 */
	bool omit_session_token; /* the token is added after signing, not signed */
	int expires_seconds;  /* presigned URLs only */
};

/* What a signing produced; every step is kept for the test vectors. */
struct sigv4_signed {
	struct strbuf canonical_request;
	struct strbuf string_to_sign;
	char signature[65];
	/* header signing: the headers to add to the request, in this order:
	 * X-Amz-Date (unless the request had one), X-Amz-Content-Sha256 (with
	 * sign_body), X-Amz-Security-Token (with a token), Authorization */
	struct sigv4_header added[4];
	size_t nadded;
	char *added_values[4];
	/* query signing: the query string to send, the signature included */
	struct strbuf query;
};

void sigv4_signed_init(struct sigv4_signed *s);
void sigv4_signed_release(struct sigv4_signed *s);

/* Sign req for the Authorization header. s is initialised by the caller
 * and filled here. Returns 0, or -1 when a required field is missing. */
int sigv4_sign_headers(const struct sigv4_request *req, const struct sigv4_credentials *cred,
		       const struct sigv4_params *p, struct sigv4_signed *s);
/* Sign req as a presigned URL (X-Amz-* query parameters). */
int sigv4_sign_query(const struct sigv4_request *req, const struct sigv4_credentials *cred,
		     const struct sigv4_params *p, struct sigv4_signed *s);

/* The lowercase hex SHA-256 of data (65 bytes with the NUL). */
void sigv4_sha256_hex(const void *data, size_t n, char out[65]);

/* "20150830T123600Z" for a Unix time (UTC). */
void sigv4_amz_date(long long unix_seconds, char out[17]);

/* s[0..n) with its %XX sequences decoded and anything else copied as it
 * is; NUL-terminated, freed by the caller; its length in *out_len when
 * that is not NULL. */
char *sigv4_percent_decode(const char *s, size_t n, size_t *out_len);

#endif
