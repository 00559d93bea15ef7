/*
 * web_assets: the web UI's files, embedded in the binary at build time.
 *
 * The Makefile generates build/web_assets.c: with scripts/embed_assets.py
 * from the web/ folder when that script exists, else a one-page stub that
 * says the web UI is not built, so that the server builds either way.
 * api.c serves "/" as "/index.html" and "/assets/<name>" from this table;
 * nothing else reads it. Paths start with '/' ("/index.html",
 * "/assets/app.js"); data lives for the whole process.
 */
#ifndef FINQ_WEB_ASSETS_H
#define FINQ_WEB_ASSETS_H

#include <stddef.h>

struct web_asset {
	const char *path;
	const char *content_type;
	const unsigned char *data;
	size_t size;
};

extern const struct web_asset web_assets[];
extern const size_t web_assets_count;

#endif
