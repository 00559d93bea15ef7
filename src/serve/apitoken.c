/*
 * apitoken: API tokens as text. See apitoken.h.
 *
 * OpenSSL's libcrypto does the cryptography (RAND_bytes, SHA256,
 * CRYPTO_memcmp); this file only encodes and decodes.
 */
#include "apitoken.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <string.h>
#include <strings.h>

static const char base64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* n bytes as base64url without padding into out (4 characters per 3 bytes,
 * rounded up); returns the characters written (a NUL follows). */
static size_t base64url_encode(const unsigned char *in, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16;
		size_t left = n - i;
		if (left > 1)
			v |= (unsigned)in[i + 1] << 8;
		if (left > 2)
			v |= in[i + 2];
		size_t chars = left >= 3 ? 4 : left + 1;
		for (size_t k = 0; k < chars; k++)
			out[o++] = base64url[(v >> (18 - 6 * k)) & 63];
	}
	out[o] = '\0';
	return o;
}

int token_generate(char out[TOKEN_SIZE], struct err *e)
{
	unsigned char raw[TOKEN_RANDOM_BYTES];
	size_t p = sizeof(TOKEN_PREFIX) - 1;
	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return err_set_code(e, ERR_FAILED, "cannot make a token: the random number generator failed");
	memcpy(out, TOKEN_PREFIX, p);
	base64url_encode(raw, sizeof(raw), out + p);
	OPENSSL_cleanse(raw, sizeof(raw));
	return 0;
}

bool token_well_formed(const char *text, size_t n)
{
	size_t p = sizeof(TOKEN_PREFIX) - 1;
	if (!text || n != TOKEN_LEN || memcmp(text, TOKEN_PREFIX, p) != 0)
		return false;
	for (size_t i = p; i < n; i++)
		if (!text[i] || !strchr(base64url, text[i]))
			return false;
	return true;
}

void token_hash(const char *token, size_t n, char out[TOKEN_HASH_SIZE])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char digest[SHA256_DIGEST_LENGTH];
	SHA256((const unsigned char *)token, n, digest);
	for (size_t i = 0; i < sizeof(digest); i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[2 * sizeof(digest)] = '\0';
}

bool token_hash_equal(const char *a, const char *b)
{
	size_t n = strlen(a);
	if (n != strlen(b))
		return false;
	return CRYPTO_memcmp(a, b, n) == 0;
}

bool token_from_authorization(const char *header, const char **token, size_t *n)
{
	static const char scheme[] = "Bearer";
	size_t k = sizeof(scheme) - 1;
	if (!header)
		return false;
	while (*header == ' ' || *header == '\t')
		header++;
	if (strncasecmp(header, scheme, k) != 0 || (header[k] != ' ' && header[k] != '\t'))
		return false;
	const char *start = header + k;
	while (*start == ' ' || *start == '\t')
		start++;
	size_t len = strcspn(start, " \t");
	const char *end = start + len;
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end || !token_well_formed(start, len))
		return false;
	*token = start;
	*n = len;
	return true;
}
