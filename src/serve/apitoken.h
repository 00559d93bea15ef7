/*
 * apitoken: API tokens as text: making one, checking its shape, hashing it for
 * storage, comparing hashes in constant time, and reading one out of an
 * Authorization header.
 *
 * A token is "finq_" followed by 43 base64url characters (32 random bytes
 * from OpenSSL's RAND_bytes, no padding): 48 characters. It is shown once,
 * when made; only its SHA-256, as 64 lowercase hex digits, is kept (the
 * state file's api_tokens table, see state.h). A presented token is hashed
 * the same way and its hash compared with CRYPTO_memcmp, so the time taken
 * does not depend on where two hashes first differ.
 *
 * Everything here is pure (no I/O, no globals) except token_generate(),
 * which reads the system's random source. Used by cmd_token.c (create,
 * list, revoke) and server.c (checking requests); tested by test_token.c.
 */
#ifndef FINQ_TOKEN_H
#define FINQ_TOKEN_H

#include "err.h"
#include "state.h"

#include <stdbool.h>
#include <stddef.h>

#define TOKEN_PREFIX "finq_"
#define TOKEN_RANDOM_BYTES 32
#define TOKEN_LEN (sizeof(TOKEN_PREFIX) - 1 + 43) /* characters, without the NUL */
#define TOKEN_SIZE (TOKEN_LEN + 1)
#define TOKEN_HASH_SIZE 65 /* 64 hex digits and a NUL */
#define TOKEN_NAME_MAX STATE_TOKEN_NAME_MAX /* bytes in a token's name (state.h checks names) */

/* A new random token into out; -1 with e set when the random source fails. */
int token_generate(char out[TOKEN_SIZE], struct err *e);

/* Whether text (n bytes) has a token's shape: the prefix and 43 base64url
 * characters. Says nothing of whether such a token exists. */
bool token_well_formed(const char *text, size_t n);

/* The SHA-256 of the n bytes at token, as lowercase hex, into out. */
void token_hash(const char *token, size_t n, char out[TOKEN_HASH_SIZE]);

/* Whether two hashes (as token_hash writes them) are equal, in time that
 * depends only on their length. Hashes of different lengths are unequal. */
bool token_hash_equal(const char *a, const char *b);

/* The token of an Authorization header value "Bearer <token>" (the scheme
 * in any case, spaces around the token allowed): *token and *n point into
 * header. Returns false when the header is not a Bearer credential or the
 * credential has no token's shape. */
bool token_from_authorization(const char *header, const char **token, size_t *n);

#endif
