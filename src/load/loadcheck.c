/*
 * loadcheck: a text export's line lengths and its last line. See
 * loadcheck.h.
 */
#include "loadcheck.h"
#include "sniff.h"
#include "xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int loadcheck_long_line(const char *path, uint64_t limit, uint64_t *line, uint64_t *length, struct err *e)
{
	gzFile gz = gzopen(path, "rb"); /* also reads plain files */
	if (!gz)
		return err_set(e, "cannot open '%s': %s", path, strerror(errno));
	gzbuffer(gz, 256 * 1024);
	char *buf = xmalloc(256 * 1024);
	uint64_t n_line = 1, len = 0;
	int n, found = 0;
	char last = 0; /* the byte before the current position, across reads */
	while (!found && (n = gzread(gz, buf, 256 * 1024)) > 0) {
		const char *p = buf, *end = buf + n;
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			const char *stop = nl ? nl : end;
			len += (uint64_t)(stop - p);
			if (stop > p)
				last = stop[-1];
			if (!nl)
				break;
			/* a CRLF's CR is part of the line break, not the line */
			if (last == '\r' && len > 0)
				len--;
			if (len > limit) {
				found = 1;
				break;
			}
			n_line++;
			len = 0;
			last = '\n';
			p = nl + 1;
		}
	}
	if (!found && len > limit)
		found = 1; /* the last line, without a final line break */
	gzclose(gz);
	free(buf);
	*line = n_line;
	*length = len;
	return found;
}

int loadcheck_tail(const char *path, bool gzip, const char *tail, size_t tail_len, size_t nfields, char delim,
		   struct err *e)
{
	char *own = NULL;
	if (!gzip) {
		FILE *f = fopen(path, "rb");
		if (!f)
			return err_set(e, "cannot open '%s': %s", path, strerror(errno));
		own = xmalloc(SNIFF_TAIL);
		if (fseek(f, 0, SEEK_END) == 0) {
			long size = ftell(f);
			long from = size > SNIFF_TAIL ? size - SNIFF_TAIL : 0;
			if (size >= 0 && fseek(f, from, SEEK_SET) == 0)
				tail_len = fread(own, 1, (size_t)(size - from), f);
		}
		fclose(f);
		tail = own;
	}
	int rc = 0;
	if (tail && tail_len && tail[tail_len - 1] != '\n') {
		const char *start = tail + tail_len;
		while (start > tail && start[-1] != '\n')
			start--;
		/* a last line longer than the tail cannot be judged; let it be */
		if (start > tail) {
			char *last = xstrndup(start, (size_t)(tail + tail_len - start));
			size_t got = 0;
			char **fields = sniff_split_line(last, delim, &got);
			for (size_t i = 0; i < got; i++)
				free(fields[i]);
			free(fields);
			free(last);
			if (got < nfields)
				rc = err_set(e, "'%s' ends in the middle of a line: its last line has %zu of the header's "
					     "%zu fields and no line break, so the file was cut short (an interrupted copy "
					     "or download?); nothing was loaded",
					     path, got, nfields);
		}
	}
	free(own);
	return rc;
}
