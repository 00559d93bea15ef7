/*
 * tls: reading and checking the certificate and key. See tls.h.
 */
#include "tls.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The whole file as text; NULL with e set when it cannot be read. */
static char *pem_read(const char *what, const char *path, struct err *e)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		err_set_code(e, ERR_USAGE, "cannot read the TLS %s '%s': %s", what, path, strerror(errno));
		return NULL;
	}
	char *text = xmalloc(TLS_FILE_MAX + 1);
	size_t n = fread(text, 1, TLS_FILE_MAX + 1, f);
	bool failed = ferror(f);
	fclose(f);
	if (failed || n == 0 || n > TLS_FILE_MAX) {
		err_set_code(e, ERR_USAGE, "cannot read the TLS %s '%s': %s", what, path,
			     failed ? "read error" : n == 0 ? "the file is empty" : "the file is larger than 1 MB");
		free(text);
		return NULL;
	}
	text[n] = '\0';
	return text;
}

/* GnuTLS's reason as a message part: "no certificate was found". */
static const char *reason(int rc, char *buf, size_t size)
{
	snprintf(buf, size, "%s", gnutls_strerror(rc));
	size_t n = strlen(buf);
	if (n && buf[n - 1] == '.')
		buf[n - 1] = '\0';
	buf[0] = (char)tolower((unsigned char)buf[0]);
	return buf;
}

static gnutls_datum_t datum_of(const char *text)
{
	return (gnutls_datum_t){ (unsigned char *)(uintptr_t)text, (unsigned)strlen(text) };
}

static int cert_check(const char *pem, const char *path, struct err *e)
{
	gnutls_x509_crt_t *certs = NULL;
	unsigned n = 0;
	gnutls_datum_t d = datum_of(pem);
	char why[128];
	int rc = gnutls_x509_crt_list_import2(&certs, &n, &d, GNUTLS_X509_FMT_PEM, 0);
	if (rc < 0 || n == 0)
		return err_set_code(e, ERR_USAGE,
				    "the TLS certificate '%s' holds no PEM certificate (-----BEGIN CERTIFICATE-----): %s",
				    path, rc < 0 ? reason(rc, why, sizeof(why)) : "none found");
	for (unsigned i = 0; i < n; i++)
		gnutls_x509_crt_deinit(certs[i]);
	gnutls_free(certs);
	return 0;
}

static int key_check(const char *pem, const char *path, struct err *e)
{
	gnutls_x509_privkey_t key;
	gnutls_datum_t d = datum_of(pem);
	char why[128];
	if (gnutls_x509_privkey_init(&key) < 0)
		return err_set_code(e, ERR_FAILED, "cannot check the TLS key '%s'", path);
	int rc = gnutls_x509_privkey_import2(key, &d, GNUTLS_X509_FMT_PEM, NULL, 0);
	gnutls_x509_privkey_deinit(key);
	if (rc < 0)
		return err_set_code(e, ERR_USAGE,
				    "the TLS key '%s' is not an unencrypted PEM private key (-----BEGIN PRIVATE "
				    "KEY-----): %s", path, reason(rc, why, sizeof(why)));
	return 0;
}

/* The way libmicrohttpd will use them: this is where a key that is not
 * the certificate's shows. */
static int pair_check(const struct tls_files *t, const char *cert_path, const char *key_path, struct err *e)
{
	gnutls_certificate_credentials_t cred;
	gnutls_datum_t cert = datum_of(t->cert), key = datum_of(t->key);
	char why[128];
	if (gnutls_certificate_allocate_credentials(&cred) < 0)
		return err_set_code(e, ERR_FAILED, "cannot check the TLS certificate '%s'", cert_path);
	int rc = gnutls_certificate_set_x509_key_mem2(cred, &cert, &key, GNUTLS_X509_FMT_PEM, NULL, 0);
	gnutls_certificate_free_credentials(cred);
	if (rc == GNUTLS_E_CERTIFICATE_KEY_MISMATCH)
		return err_set_code(e, ERR_USAGE, "the TLS key '%s' does not belong to the certificate '%s'", key_path,
				    cert_path);
	if (rc < 0)
		return err_set_code(e, ERR_USAGE, "the TLS certificate '%s' and key '%s' cannot be used together: %s",
				    cert_path, key_path, reason(rc, why, sizeof(why)));
	return 0;
}

int tls_files_load(struct tls_files *t, const char *cert_path, const char *key_path, struct err *e)
{
	memset(t, 0, sizeof(*t));
	if (!(t->cert = pem_read("certificate", cert_path, e)) || cert_check(t->cert, cert_path, e) ||
	    !(t->key = pem_read("key", key_path, e)) || key_check(t->key, key_path, e) ||
	    pair_check(t, cert_path, key_path, e)) {
		tls_files_release(t);
		return -1;
	}
	struct stat st;
	t->key_shared = stat(key_path, &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH));
	return 0;
}

void tls_files_release(struct tls_files *t)
{
	if (t->key)
		explicit_bzero(t->key, strlen(t->key));
	free(t->cert);
	free(t->key);
	t->cert = t->key = NULL;
}
