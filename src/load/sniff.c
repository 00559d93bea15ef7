/*
 * sniff: content-based file recognition. See sniff.h.
 */
#include "sniff.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#define HEAD_MAX (4u << 20) /* a CUR header can hold thousands of tag columns */

char sniff_guess_delimiter(const char *line)
{
	static const char candidates[] = { '\x01', '\t', ',', ';', '|' };
	char best = ',';
	size_t best_count = 0;
	/* \x01 only occurs in Athena TEXTFILE exports: it wins outright. */
	if (strchr(line, '\x01'))
		return '\x01';
	for (size_t i = 1; i < sizeof(candidates); i++) {
		size_t count = 0;
		bool quoted = false;
		for (const char *p = line; *p; p++) {
			if (*p == '"')
				quoted = !quoted;
			else if (!quoted && *p == candidates[i])
				count++;
		}
		if (count > best_count) {
			best = candidates[i];
			best_count = count;
		}
	}
	return best;
}

char **sniff_split_line(const char *line, char delim, size_t *count)
{
	char **fields = NULL;
	size_t n = 0, alloc = 0;
	struct strbuf field;
	strbuf_init(&field, 0);
	const char *p = line;
	for (;;) {
		bool quoted = delim != '\x01' && *p == '"';
		if (quoted)
			p++;
		while (*p) {
			if (quoted && *p == '"') {
				if (p[1] == '"') {
					strbuf_addch(&field, '"');
					p += 2;
					continue;
				}
				quoted = false;
				p++;
				continue;
			}
			if (!quoted && *p == delim)
				break;
			strbuf_addch(&field, *p++);
		}
		ALLOC_GROW(fields, n + 1, alloc);
		fields[n++] = strbuf_detach(&field);
		if (*p != delim)
			break;
		p++;
	}
	strbuf_release(&field);
	*count = n;
	return fields;
}

int sniff_gzip_check(const char *path, struct sniff *s, struct err *e)
{
	uint64_t *text_bytes = &s->text_bytes;
	free(s->tail);
	s->tail = NULL;
	s->tail_len = 0;
	gzFile gz = gzopen(path, "rb");
	if (!gz)
		return err_set(e, "cannot open '%s': %s", path, strerror(errno));
	gzbuffer(gz, 256 * 1024);
	static __thread char buf[256 * 1024];
	uint64_t total = 0;
	int n;
	s->tail = xmalloc(SNIFF_TAIL);
	while ((n = gzread(gz, buf, sizeof(buf))) > 0) {
		total += (uint64_t)n;
		size_t take = (size_t)n < SNIFF_TAIL ? (size_t)n : SNIFF_TAIL;
		size_t keep = s->tail_len + take > SNIFF_TAIL ? SNIFF_TAIL - take : s->tail_len;
		memmove(s->tail, s->tail + s->tail_len - keep, keep);
		memcpy(s->tail + keep, buf + n - take, take);
		s->tail_len = keep + take;
	}
	int zerr = Z_OK;
	const char *msg = gzerror(gz, &zerr);
	int rc = 0;
	if (n < 0 || (zerr != Z_OK && zerr != Z_STREAM_END))
		rc = err_set(e, "'%s' is a corrupt or truncated gzip file (%s)", path, msg);
	gzclose(gz);
	*text_bytes = total;
	if (rc) { /* callers release a sniff only when it succeeded */
		free(s->tail);
		s->tail = NULL;
		s->tail_len = 0;
	}
	return rc;
}

/* Read the first line (up to HEAD_MAX bytes) and the bytes after it, to
 * estimate the average line length. Of a gzip stream only that much is
 * inflated: its size is estimated from how many compressed bytes it took.
 * Fails when even the head cannot be inflated. */
static int read_head(const char *path, struct sniff *s, struct strbuf *head, struct err *e)
{
	gzFile gz = gzopen(path, "rb"); /* also reads plain files */
	if (!gz)
		return err_set(e, "cannot open '%s': %s", path, strerror(errno));
	char buf[65536];
	int n = 0;
	while (head->len < HEAD_MAX && (n = gzread(gz, buf, sizeof(buf))) > 0) {
		strbuf_add(head, buf, (size_t)n);
		if (memchr(buf, '\n', (size_t)n) && head->len > 65536)
			break;
	}
	int rc = 0;
	int zerr = Z_OK;
	const char *msg = gzerror(gz, &zerr);
	if (s->gzip && (n < 0 || (zerr != Z_OK && zerr != Z_STREAM_END)))
		rc = err_set(e, "'%s' is a corrupt or truncated gzip file (%s)", path, msg);
	long consumed = s->gzip ? gzoffset(gz) : 0;
	if (s->gzip && n > 0 && consumed > 0) /* stopped before the end */
		s->text_bytes = (uint64_t)((double)s->bytes * ((double)head->len / (double)consumed));
	else if (s->gzip)
		s->text_bytes = head->len;
	gzclose(gz);
	return rc;
}

static bool looks_binary(const char *p, size_t n)
{
	for (size_t i = 0; i < n && i < 4096; i++)
		if (p[i] == '\0')
			return true;
	return false;
}

int sniff_file(const char *path, struct sniff *s, struct err *e)
{
	struct stat st;
	unsigned char magic[4] = { 0 };
	memset(s, 0, sizeof(*s));

	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(e, "cannot open '%s': %s", path, strerror(errno));
	size_t got = fread(magic, 1, sizeof(magic), f);
	if (fstat(fileno(f), &st) == 0)
		s->bytes = (uint64_t)st.st_size;
	fclose(f);

	if (got == 0) {
		s->kind = KIND_EMPTY;
		return 0;
	}
	if (got == 4 && memcmp(magic, "PAR1", 4) == 0) {
		s->kind = KIND_PARQUET;
		return 0;
	}
	s->gzip = got >= 2 && magic[0] == 0x1f && magic[1] == 0x8b;
	if (!s->gzip)
		s->text_bytes = s->bytes;

	struct strbuf head;
	strbuf_init(&head, 0);
	if (read_head(path, s, &head, e)) {
		strbuf_release(&head);
		return -1;
	}
	const char *text = head.buf;
	size_t len = head.len;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	size_t skip = strspn(text, " \t\r\n");
	if (len == 0 || skip == len) {
		s->kind = KIND_EMPTY;
	} else if (looks_binary(text, len)) {
		s->kind = KIND_UNKNOWN;
	} else if (text[skip] == '{' || text[skip] == '[') {
		s->kind = KIND_JSON;
	} else {
		s->kind = KIND_TEXT;
		size_t line_len = strcspn(text, "\r\n");
		char *line = xstrndup(text, line_len);
		s->delimiter = sniff_guess_delimiter(line);
		s->fields = sniff_split_line(line, s->delimiter, &s->nfields);
		free(line);
		/* Average line length over the sample, for a row estimate. */
		size_t lines = 0;
		for (size_t i = 0; i < len; i++)
			lines += text[i] == '\n';
		if (lines && s->text_bytes)
			s->estimated_rows = (uint64_t)((double)s->text_bytes / ((double)len / (double)lines));
	}
	strbuf_release(&head);
	return 0;
}

void sniff_release(struct sniff *s)
{
	free(s->tail);
	for (size_t i = 0; i < s->nfields; i++)
		free(s->fields[i]);
	free(s->fields);
	memset(s, 0, sizeof(*s));
}
