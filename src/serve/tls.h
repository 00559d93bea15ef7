/*
 * tls: the certificate and private key of `finq serve --tls-cert FILE
 * --tls-key FILE`, read and checked before anything is served, so that a
 * wrong file is an error that names it rather than a server that cannot
 * start or, worse, one that starts without TLS.
 *
 * Checked with GnuTLS, the library libmicrohttpd itself does TLS with: the
 * certificate file holds one or more PEM certificates (the server's first,
 * then its chain), the key file one unencrypted PEM private key, and the
 * key belongs to the first certificate. server.c calls tls_files_load and
 * hands the PEM text to http.c (struct http_config); nothing here opens a
 * socket.
 */
#ifndef FINQ_TLS_H
#define FINQ_TLS_H

#include "err.h"

#include <stdbool.h>

#define TLS_FILE_MAX (1024 * 1024) /* a certificate chain or key is a few KB */

struct tls_files {
	char *cert; /* PEM text, NUL-terminated; owned */
	char *key;
	bool key_shared; /* the key file may be read by other users (group or other read bits) */
};

/* Read and check both files. 0 with t filled (release it), or -1 with t
 * empty and a message naming the file at fault: it cannot be read, is not
 * PEM of the right kind, or the key is not the certificate's (ERR_USAGE). */
int tls_files_load(struct tls_files *t, const char *cert_path, const char *key_path, struct err *e);
/* Free the PEM text (the key is wiped first). */
void tls_files_release(struct tls_files *t);

#endif
