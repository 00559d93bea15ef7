/*
 * safetext: neutralising data for terminals, spreadsheets and Markdown.
 * See safetext.h.
 */
#include "safetext.h"
#include "xalloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Invisible marks that reorder text (Trojan Source): U+202A..U+202E and
 * U+2066..U+2069, as UTF-8. */
static size_t bidi_mark(const unsigned char *p)
{
	if (p[0] != 0xE2)
		return 0;
	if (p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE)
		return 3;
	if (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)
		return 3;
	return 0;
}

size_t safetext_terminal(char *s, bool keep_newlines)
{
	unsigned char *in = (unsigned char *)s, *out = in;
	while (*in) {
		size_t mark;
		if (*in == '\t') {
			*out++ = ' ';
			in++;
		} else if (*in == '\n' && keep_newlines) {
			*out++ = *in++;
		} else if (*in < 0x20 || *in == 0x7F) {
			*out++ = '?';
			in++;
		} else if (in[0] == 0xC2 && in[1] >= 0x80 && in[1] <= 0x9F) { /* C1: U+0080..U+009F */
			*out++ = '?';
			in += 2;
		} else if ((mark = bidi_mark(in)) != 0) {
			*out++ = '?';
			in += mark;
		} else {
			*out++ = *in++;
		}
	}
	*out = '\0';
	return (size_t)((char *)out - s);
}

void safetext_terminal_json(json_t *v, bool keep_newlines)
{
	if (json_is_string(v)) {
		char *copy = xstrdup(json_string_value(v));
		safetext_terminal(copy, keep_newlines);
		if (strcmp(copy, json_string_value(v)) != 0)
			json_string_set(v, copy);
		free(copy);
	} else if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v); i++)
			safetext_terminal_json(json_array_get(v, i), keep_newlines);
	} else if (json_is_object(v)) {
		const char *key;
		json_t *value;
		json_object_foreach(v, key, value)
			safetext_terminal_json(value, keep_newlines);
	}
}

bool safetext_csv_guard(const char *s)
{
	return s && *s && strchr("=+-@\t\r", *s);
}

const char *safetext_html_entity(char c)
{
	static const struct {
		char c;
		const char *entity;
	} entities[] = { { '&', "&amp;" }, { '<', "&lt;" }, { '>', "&gt;" } };
	for (size_t i = 0; i < sizeof(entities) / sizeof(entities[0]); i++)
		if (entities[i].c == c)
			return entities[i].entity;
	return NULL;
}

size_t safetext_url_password(const char *url, size_t *start)
{
	const char *scheme = strstr(url, "://");
	const char *at = scheme ? strrchr(scheme + 3, '@') : NULL;
	if (!at)
		return 0;
	const char *colon = memchr(scheme + 3, ':', (size_t)(at - scheme - 3));
	if (!colon)
		return 0;
	*start = (size_t)(colon + 1 - url);
	return (size_t)(at - colon - 1);
}

char *safetext_url_shown(const char *url)
{
	size_t start = 0, n = safetext_url_password(url, &start);
	if (n == 0)
		return xstrdup(url);
	return xasprintf("%.*s***%s", (int)start, url, url + start + n);
}
