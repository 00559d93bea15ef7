/*
 * terminal: an answer printed for people in a terminal
 * (answer_print_terminal() in answer.h): the narrative, how it was read,
 * and the table with bars, colour when the output is a terminal.
 */
#include "answer_parts.h"
#include "date.h"
#include "sqlgen.h"
#include "xalloc.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- terminal ---- */

#define TERM_MAX_ROWS 50
#define TERM_MAX_WIDTH 48 /* a cell wider than this is cut with "…" */
#define TERM_BAR_WIDTH 30

#define ANSI_BOLD "\033[1m"
#define ANSI_DIM "\033[2m"
#define ANSI_RED "\033[31m"
#define ANSI_CYAN "\033[36m"
#define ANSI_RESET "\033[0m"

/* How a column's numbers print, by its name; first match wins. */
enum col_format { COLF_DEFAULT, COLF_SIGNED, COLF_PCT, COLF_SIGNED_PCT, COLF_PLAIN };
static const struct {
	const char *name;
	enum match how;
	enum col_format format;
} column_formats[] = {
	{ "change_pct", MATCH_WHOLE, COLF_SIGNED_PCT },
	{ "change_without_fees", MATCH_WHOLE, COLF_SIGNED },
	{ "change", MATCH_WHOLE, COLF_SIGNED },
	{ "_pct", MATCH_SUFFIX, COLF_PCT },
	{ "days", MATCH_WHOLE, COLF_PLAIN },
};

static enum col_format column_format(const char *name)
{
	for (size_t i = 0; i < COUNT(column_formats); i++)
		if (label_matches(name, column_formats[i].name, column_formats[i].how))
			return column_formats[i].format;
	return COLF_DEFAULT;
}

/* A cell for the terminal: reals as 1,234.56, shares as 22.8%, changes signed. */
static void term_cell(const struct table *t, size_t row, size_t col, char *buf, size_t size)
{
	const struct cell *c = table_at(t, row, col);
	enum col_format f = column_format(t->names[col]);
	if (c->kind == CELL_NULL) {
		snprintf(buf, size, "%s", f == COLF_SIGNED_PCT ? "new" : "");
		return;
	}
	if (!kind_is_number(c->kind) || f == COLF_PLAIN) {
		cell_format(c, buf, size);
		return;
	}
	double v = cell_number(c);
	switch (f) {
	case COLF_PCT:
	case COLF_SIGNED_PCT: format_pct(v, f == COLF_SIGNED_PCT, buf, size); break;
	case COLF_SIGNED: format_number(v, 2, true, buf, size); break;
	case COLF_DEFAULT:
		if (c->kind == CELL_INT)
			cell_format(c, buf, size);
		else
			format_number(v, 2, false, buf, size);
		break;
	case COLF_PLAIN: break;
	}
}

/* Display width: one column per UTF-8 character. */
static size_t utf8_width(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* Cut s to at most max characters, ending with "…" when cut. */
static char *utf8_cut(const char *s, size_t max)
{
	if (utf8_width(s) <= max)
		return xstrdup(s);
	struct strbuf sb;
	strbuf_init(&sb, 0);
	size_t chars = 0;
	for (const char *q = s; *q; q++) {
		if (((unsigned char)*q & 0xC0) != 0x80 && ++chars > max - 1)
			break;
		strbuf_addch(&sb, *q);
	}
	strbuf_addstr(&sb, "…");
	return strbuf_detach(&sb);
}

/* A bar of |v| / max * TERM_BAR_WIDTH cells in eighths: "█████▍"; negative
 * values as light shade "░░", so credits stand apart. */
static void bar_text(double v, double max, char *buf, size_t size)
{
	static const char *const eighths[] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
	struct strbuf sb;
	buf[0] = '\0';
	if (!(max > 0) || !isfinite(v) || v == 0)
		return;
	long units = lround(fabs(v) / max * TERM_BAR_WIDTH * 8);
	strbuf_init(&sb, 0);
	if (v > 0) {
		if (units == 0)
			units = 1; /* tiny but not nothing */
		for (long i = 0; i < units / 8; i++)
			strbuf_addstr(&sb, "█");
		strbuf_addstr(&sb, eighths[units % 8]);
	} else {
		long cells = (units + 7) / 8;
		for (long i = 0; i < (cells ? cells : 1); i++)
			strbuf_addstr(&sb, "░");
	}
	snprintf(buf, size, "%s", sb.buf);
	strbuf_release(&sb);
}

/* Markdown to the terminal: **bold** as ANSI bold or nothing, `code` and
 * backslash escapes unwrapped. */
static void print_markdown(const char *md, FILE *out, bool color)
{
	bool bold = false;
	for (const char *s = md; *s; s++) {
		if (s[0] == '\\' && s[1]) {
			fputc(*++s, out);
		} else if (s[0] == '*' && s[1] == '*') {
			bold = !bold;
			if (color)
				fputs(bold ? ANSI_BOLD : ANSI_RESET, out);
			s++;
		} else if (*s != '`') {
			fputc(*s, out);
		}
	}
	if (bold && color)
		fputs(ANSI_RESET, out);
	if (*md && md[strlen(md) - 1] != '\n')
		fputc('\n', out);
}

static void pad(FILE *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fputc(' ', out);
}

static void print_table(const struct plan *p, const struct table *t, FILE *out, bool color)
{
	size_t shown = t->nrows < TERM_MAX_ROWS ? t->nrows : TERM_MAX_ROWS;
	size_t ncols = t->ncols;
	char **cells = xcalloc(shown * ncols + 1, sizeof(*cells));
	size_t *width = xcalloc(ncols, sizeof(*width));
	bool *right = xcalloc(ncols, sizeof(*right));
	char buf[600];
	struct cols c;
	enum shape s = shape_of(p);

	find_cols(p, t, &c);
	bool bars = (s == SHAPE_PARTS || s == SHAPE_SERIES || s == SHAPE_SPLIT_SERIES) && c.value >= 0;
	double max = 0;
	for (size_t r = 0; bars && r < t->nrows; r++)
		if (fabs(num(t, r, c.value)) > max)
			max = fabs(num(t, r, c.value));

	for (size_t k = 0; k < ncols; k++) {
		width[k] = utf8_width(t->names[k]);
		right[k] = kind_is_number(t->kinds[k]);
	}
	for (size_t r = 0; r < shown; r++)
		for (size_t k = 0; k < ncols; k++) {
			term_cell(t, r, k, buf, sizeof(buf));
			cells[r * ncols + k] = utf8_cut(buf, TERM_MAX_WIDTH);
			size_t w = utf8_width(cells[r * ncols + k]);
			if (w > width[k])
				width[k] = w;
			if (kind_is_number(table_at(t, r, k)->kind))
				right[k] = true;
		}

	/* header and rule */
	if (color)
		fputs(ANSI_BOLD, out);
	for (size_t k = 0; k < ncols; k++) {
		size_t w = utf8_width(t->names[k]);
		fputs(k ? "  " : "", out);
		if (right[k])
			pad(out, width[k] - w);
		fputs(t->names[k], out);
		if (!right[k] && k + 1 < ncols)
			pad(out, width[k] - w);
	}
	if (color)
		fputs(ANSI_RESET, out);
	fputc('\n', out);
	for (size_t k = 0; k < ncols; k++) {
		fputs(k ? "  " : "", out);
		for (size_t i = 0; i < width[k]; i++)
			fputs("─", out);
	}
	fputc('\n', out);

	/* rows */
	for (size_t r = 0; r < shown; r++) {
		for (size_t k = 0; k < ncols; k++) {
			const char *cell = cells[r * ncols + k];
			size_t w = utf8_width(cell);
			fputs(k ? "  " : "", out);
			if (right[k])
				pad(out, width[k] - w);
			fputs(cell, out);
			if (!right[k] && (k + 1 < ncols || bars))
				pad(out, width[k] - w);
		}
		if (bars) {
			double v = num(t, r, c.value);
			bar_text(v, max, buf, sizeof(buf));
			if (buf[0]) {
				fputs("  ", out);
				if (color)
					fputs(v < 0 ? ANSI_RED : ANSI_CYAN, out);
				fputs(buf, out);
				if (color)
					fputs(ANSI_RESET, out);
			}
		}
		fputc('\n', out);
	}
	if (t->nrows > shown)
		fprintf(out, "… %zu more row%s not shown\n", t->nrows - shown, t->nrows - shown == 1 ? "" : "s");
	fprintf(out, "(%zu row%s%s)\n", t->nrows, t->nrows == 1 ? "" : "s",
		t->truncated ? ", truncated by the row limit" : "");

	for (size_t i = 0; i < shown * ncols; i++)
		free(cells[i]);
	free(cells);
	free(width);
	free(right);
}

void answer_print_terminal(const struct plan *p, const struct table *t, const char *narrative_md,
			   const char *interpretation, FILE *out, bool color)
{
	if (narrative_md && *narrative_md)
		print_markdown(narrative_md, out, color);
	/* a clarification's reading is its message, already printed */
	bool same = p && (p->intent == INTENT_CLARIFY || p->intent == INTENT_REFUSE) && interpretation &&
		    strcmp(interpretation, p->message) == 0;
	if (interpretation && *interpretation && !same)
		fprintf(out, "%sHow I read it:%s %s\n", color ? ANSI_DIM : "", color ? ANSI_RESET : "",
			interpretation);
	if (!t || !t->ncols)
		return;
	fputc('\n', out);
	print_table(p, t, out, color);
}
