/*
 * clickhouse_rewrite: finq's SQL as ClickHouse 18.16 reads it.
 *
 * The statement is cut into tokens and each SELECT is rewritten level by
 * level (subqueries recursively), by four rules:
 *
 * 1. Alias scoping. ClickHouse puts an alias in place of every identifier
 *    of that name anywhere in its SELECT, so `sum(amortized_cost) AS
 *    amortized_cost, round(100 * sum(amortized_cost) ...)` reads as
 *    sum(sum(...)); DuckDB reads a source column there. When an alias is
 *    also a column of the level's source and that name is used outside
 *    ORDER BY, the source is wrapped as (SELECT *, x AS x__src FROM
 *    source) and those uses read x__src. Output names stay as written.
 * 2. Positional GROUP BY n / ORDER BY n (ClickHouse reads the constant):
 *    the n-th output's alias, or its expression.
 * 3. `sum(sum(x)) OVER ()` (18.16 has no window functions): a scalar
 *    subquery summing x over the level's FROM and WHERE; the groups'
 *    HAVING x <> 0 cannot change that total.
 * 4. TRUE and FALSE: 1 and 0.
 * 5. A leading WITH name AS (SELECT ...) (18.16 reads only WITH
 *    expressions, not tables): each FROM or JOIN name becomes the
 *    subquery itself, (SELECT ...) AS name, before the rules above.
 * Anything else goes through as written; what ClickHouse cannot read then
 * fails there with its own message.
 */
#include "clickhouse_rewrite.h"

#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum tok_kind { T_WS, T_IDENT, T_QIDENT, T_STRING, T_NUMBER, T_LPAREN, T_RPAREN, T_COMMA, T_PUNCT };

struct tok {
	enum tok_kind kind;
	const char *p;
	size_t n;
	size_t match; /* a parenthesis: the index of its partner */
};

struct toks {
	struct tok *v;
	size_t n;
};

/* The columns finq's ClickHouse tables offer (load_clickhouse.c). */
static const char *const costs_columns[] = {
	"usage_date", "charge_start", "billing_period", "provider", "payer_account_id", "account_id",
	"account_name", "service_code", "service_name", "service_category", "region", "availability_zone",
	"usage_type", "operation", "resource_id", "instance_type", "charge_type", "pricing_term",
	"usage_amount", "usage_unit", "unblended_cost", "net_cost", "amortized_cost", "list_cost", "currency",
	"tag_keys", "tag_values", "source", "description", "product_family", "commitment_id",
	"commitment_kind", "commitment_cost", "commitment_used", "load_id", NULL,
};
static const char *const vocabulary_columns[] = { "dim", "tag_key", "value", "name", "cost", NULL };
static const struct {
	const char *table;
	const char *const *columns;
} table_columns[] = {
	{ "costs", costs_columns },
	{ "vocabulary", vocabulary_columns },
};

static int tokenize(const char *s, struct toks *t, struct err *e)
{
	size_t alloc = 64, stack_n = 0, stack_alloc = 16;
	size_t *stack = xmalloc(stack_alloc * sizeof(*stack));
	t->v = xmalloc(alloc * sizeof(*t->v));
	t->n = 0;
	for (const char *p = s; *p;) {
		struct tok k = { T_PUNCT, p, 1, 0 };
		if (isspace((unsigned char)*p)) {
			k.kind = T_WS;
			while (isspace((unsigned char)p[k.n]))
				k.n++;
		} else if (isalpha((unsigned char)*p) || *p == '_') {
			k.kind = T_IDENT;
			while (isalnum((unsigned char)p[k.n]) || p[k.n] == '_')
				k.n++;
		} else if (isdigit((unsigned char)*p)) {
			k.kind = T_NUMBER;
			while (isalnum((unsigned char)p[k.n]) || p[k.n] == '.')
				k.n++;
		} else if (*p == '\'' || *p == '"') {
			k.kind = *p == '"' ? T_QIDENT : T_STRING;
			for (;;) {
				if (!p[k.n]) {
					free(stack);
					return err_set(e, "an unterminated quote in the statement");
				}
				if (p[k.n] == '\\' && p[k.n + 1] && *p == '\'') {
					k.n += 2;
					continue;
				}
				if (p[k.n] == *p && k.n > 0) {
					if (p[k.n + 1] == *p) {
						k.n += 2;
						continue;
					}
					k.n++;
					break;
				}
				k.n++;
			}
		} else if (*p == '(') {
			k.kind = T_LPAREN;
		} else if (*p == ')') {
			k.kind = T_RPAREN;
		} else if (*p == ',') {
			k.kind = T_COMMA;
		}
		if (t->n == alloc)
			t->v = xrealloc(t->v, (alloc *= 2) * sizeof(*t->v));
		if (k.kind == T_LPAREN) {
			if (stack_n == stack_alloc)
				stack = xrealloc(stack, (stack_alloc *= 2) * sizeof(*stack));
			stack[stack_n++] = t->n;
		} else if (k.kind == T_RPAREN) {
			if (!stack_n) {
				free(stack);
				return err_set(e, "unbalanced parentheses in the statement");
			}
			k.match = stack[--stack_n];
			t->v[k.match].match = t->n;
		}
		t->v[t->n++] = k;
		p += k.n;
	}
	free(stack);
	if (stack_n)
		return err_set(e, "unbalanced parentheses in the statement");
	return 0;
}

static bool is_kw(const struct toks *t, size_t i, const char *word)
{
	return i < t->n && t->v[i].kind == T_IDENT && t->v[i].n == strlen(word) &&
	       strncasecmp(t->v[i].p, word, t->v[i].n) == 0;
}

static size_t skip_ws(const struct toks *t, size_t i, size_t end)
{
	while (i < end && t->v[i].kind == T_WS)
		i++;
	return i;
}

static size_t prev_nonws(const struct toks *t, size_t i, size_t start)
{
	while (i > start) {
		i--;
		if (t->v[i].kind != T_WS)
			return i;
	}
	return (size_t)-1;
}

/* A parenthesised group [i]'s contents start with SELECT. */
static bool is_subquery(const struct toks *t, size_t i)
{
	return t->v[i].kind == T_LPAREN && is_kw(t, skip_ws(t, i + 1, t->v[i].match), "SELECT");
}

enum clause { C_SELECT, C_FROM, C_WHERE, C_GROUP, C_HAVING, C_ORDER, C_LIMIT, C_COUNT };
static const char *const clause_words[C_COUNT] = { "SELECT", "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT" };

struct item {
	size_t from, to; /* the expression, without " AS alias" */
	size_t alias;    /* token index, or (size_t)-1 */
};

struct names {
	char **v;
	size_t n;
};

struct level {
	const struct toks *t;
	size_t start, end;
	size_t clause[C_COUNT]; /* token index of the keyword, or end */
	bool joins;             /* JOIN, a comma in FROM, ARRAY JOIN: the source is not one thing */
	struct item *items;
	size_t nitems;
	bool star;
	/* the source */
	size_t src_from, src_to;  /* its tokens, alias included */
	size_t src_group;         /* its subquery's '(' or (size_t)-1 */
	char *src_alias;          /* the name to give the wrapped source */
	struct names src_columns; /* known output names of the source; n == 0: unknown */
	struct names conflicts;   /* aliases to read as name__src outside ORDER BY */
};

static void names_add(struct names *ns, const char *p, size_t n)
{
	ns->v = xrealloc(ns->v, (ns->n + 1) * sizeof(*ns->v));
	ns->v[ns->n++] = xstrndup(p, n);
}

static bool names_has(const struct names *ns, const char *p, size_t n)
{
	for (size_t i = 0; i < ns->n; i++)
		if (strlen(ns->v[i]) == n && strncmp(ns->v[i], p, n) == 0)
			return true;
	return false;
}

static void names_release(struct names *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
	ns->v = NULL;
	ns->n = 0;
}

/* An alias token's name, without its quotes. */
static void alias_name(const struct tok *k, const char **p, size_t *n)
{
	*p = k->kind == T_QIDENT ? k->p + 1 : k->p;
	*n = k->kind == T_QIDENT ? k->n - 2 : k->n;
}

static void level_analyse(struct level *L, const struct toks *t, size_t start, size_t end);

/* The output names of the first SELECT in [start, end). */
static void outputs_of(const struct toks *t, size_t start, size_t end, struct names *out)
{
	struct level L;
	level_analyse(&L, t, skip_ws(t, start, end), end);
	for (size_t i = 0; i < L.nitems; i++) {
		const struct item *it = &L.items[i];
		size_t last = prev_nonws(t, it->to, it->from);
		if (it->alias != (size_t)-1) {
			const char *p;
			size_t n;
			alias_name(&t->v[it->alias], &p, &n);
			names_add(out, p, n);
		} else if (last != (size_t)-1 && t->v[last].kind == T_PUNCT && t->v[last].p[0] == '*') {
			for (size_t k = 0; k < L.src_columns.n; k++)
				names_add(out, L.src_columns.v[k], strlen(L.src_columns.v[k]));
		} else if (last != (size_t)-1 && t->v[last].kind == T_IDENT) {
			names_add(out, t->v[last].p, t->v[last].n);
		}
	}
	free(L.items);
	free(L.src_alias);
	names_release(&L.src_columns);
}

static void find_source(struct level *L)
{
	const struct toks *t = L->t;
	size_t from = L->clause[C_FROM];
	L->src_group = (size_t)-1;
	if (from >= L->end)
		return;
	size_t stop = L->end;
	for (int c = C_WHERE; c < C_COUNT; c++)
		if (L->clause[c] < stop)
			stop = L->clause[c];
	size_t i = skip_ws(t, from + 1, stop);
	L->src_from = i;
	if (i >= stop)
		return;
	if (is_subquery(t, i)) {
		L->src_group = i;
		outputs_of(t, i + 1, t->v[i].match, &L->src_columns);
		i = t->v[i].match + 1;
	} else if (t->v[i].kind == T_IDENT) {
		for (size_t k = 0; k < sizeof(table_columns) / sizeof(table_columns[0]); k++)
			if (is_kw(t, i, table_columns[k].table))
				for (const char *const *c = table_columns[k].columns; *c; c++)
					names_add(&L->src_columns, *c, strlen(*c));
		L->src_alias = xstrndup(t->v[i].p, t->v[i].n);
		i++;
	} else {
		L->joins = true;
		return;
	}
	i = skip_ws(t, i, stop);
	if (is_kw(t, i, "AS"))
		i = skip_ws(t, i + 1, stop);
	if (i < stop && (t->v[i].kind == T_IDENT || t->v[i].kind == T_QIDENT)) {
		free(L->src_alias);
		L->src_alias = xstrndup(t->v[i].p, t->v[i].n);
		i = skip_ws(t, i + 1, stop);
	}
	if (i < stop)
		L->joins = true; /* a JOIN or a list of tables: leave the level's names alone */
	L->src_to = i;
	if (!L->src_alias)
		L->src_alias = xstrdup("finq_source");
}

static void split_items(struct level *L)
{
	const struct toks *t = L->t;
	size_t i = skip_ws(t, L->clause[C_SELECT] + 1, L->end);
	if (is_kw(t, i, "DISTINCT"))
		i++;
	size_t stop = L->clause[C_FROM] < L->end ? L->clause[C_FROM] : L->end;
	for (int c = C_WHERE; c < C_COUNT; c++)
		if (L->clause[c] < stop)
			stop = L->clause[c];
	size_t start = i;
	for (; i <= stop; i++) {
		if (i < stop && t->v[i].kind == T_LPAREN) {
			i = t->v[i].match;
			continue;
		}
		if (i < stop && t->v[i].kind != T_COMMA)
			continue;
		struct item it = { start, i, (size_t)-1 };
		size_t last = prev_nonws(t, i, start), before = last != (size_t)-1 ? prev_nonws(t, last, start) : (size_t)-1;
		if (before != (size_t)-1 && is_kw(t, before, "AS") &&
		    (t->v[last].kind == T_IDENT || t->v[last].kind == T_QIDENT)) {
			it.alias = last;
			it.to = before;
		}
		if (last != (size_t)-1 && t->v[last].kind == T_PUNCT && t->v[last].p[0] == '*')
			L->star = true;
		L->items = xrealloc(L->items, (L->nitems + 1) * sizeof(*L->items));
		L->items[L->nitems++] = it;
		start = i + 1;
	}
}

static void level_analyse(struct level *L, const struct toks *t, size_t start, size_t end)
{
	memset(L, 0, sizeof(*L));
	L->t = t;
	L->start = start;
	L->end = end;
	for (int c = 0; c < C_COUNT; c++)
		L->clause[c] = end;
	L->clause[C_SELECT] = start;
	for (size_t i = start + 1; i < end; i++) {
		if (t->v[i].kind == T_LPAREN) {
			i = t->v[i].match;
			continue;
		}
		for (int c = C_FROM; c < C_COUNT; c++)
			if (L->clause[c] == end && is_kw(t, i, clause_words[c]))
				L->clause[c] = i;
		if (is_kw(t, i, "JOIN"))
			L->joins = true;
	}
	split_items(L);
	find_source(L);
}

/* Whether token i is a plain reference to a column: not an alias, not a
 * function's name, not qualified or a qualifier. */
static bool is_reference(const struct level *L, size_t i)
{
	const struct toks *t = L->t;
	if (t->v[i].kind != T_IDENT)
		return false;
	size_t prev = prev_nonws(t, i, 0), next = skip_ws(t, i + 1, t->n);
	if (prev != (size_t)-1 && (is_kw(t, prev, "AS") || (t->v[prev].kind == T_PUNCT && t->v[prev].p[0] == '.')))
		return false;
	if (next < t->n && (t->v[next].kind == T_LPAREN || (t->v[next].kind == T_PUNCT && t->v[next].p[0] == '.')))
		return false;
	return true;
}

/* The clause token i belongs to. */
static enum clause clause_of(const struct level *L, size_t i)
{
	enum clause best = C_SELECT;
	for (int c = 0; c < C_COUNT; c++)
		if (L->clause[c] < L->end && L->clause[c] <= i && L->clause[c] >= L->clause[best])
			best = (enum clause)c;
	return best;
}

/* Rule 1: the aliases that name a source column used outside ORDER BY. */
static void find_conflicts(struct level *L)
{
	const struct toks *t = L->t;
	if (L->joins || !L->src_columns.n)
		return;
	for (size_t k = 0; k < L->nitems; k++) {
		if (L->items[k].alias == (size_t)-1)
			continue;
		const char *p;
		size_t n;
		alias_name(&t->v[L->items[k].alias], &p, &n);
		if (!names_has(&L->src_columns, p, n) || names_has(&L->conflicts, p, n))
			continue;
		for (size_t i = L->start; i < L->end; i++) {
			if (is_subquery(t, i)) {
				i = t->v[i].match;
				continue;
			}
			if (clause_of(L, i) != C_ORDER && is_reference(L, i) && t->v[i].n == n &&
			    strncmp(t->v[i].p, p, n) == 0) {
				names_add(&L->conflicts, p, n);
				break;
			}
		}
	}
}

static int rewrite_query(const struct toks *t, size_t start, size_t end, struct strbuf *out, struct err *e);
static int emit_range(const struct level *L, size_t from, size_t to, struct strbuf *out, struct err *e);

static void emit_tok(const struct toks *t, size_t i, struct strbuf *out)
{
	strbuf_add(out, t->v[i].p, t->v[i].n);
}

/* The source, wrapped when rule 1 needs its columns under other names. */
static int emit_source(const struct level *L, struct strbuf *out, struct err *e)
{
	if (!L->conflicts.n)
		return emit_range(L, L->src_from, L->src_to, out, e);
	strbuf_addstr(out, "(SELECT *");
	for (size_t k = 0; k < L->conflicts.n; k++)
		strbuf_addf(out, ", %s AS %s__src", L->conflicts.v[k], L->conflicts.v[k]);
	strbuf_addstr(out, " FROM ");
	/* the source itself, as written (its subquery rewritten on its own) */
	struct level plain = *L;
	plain.conflicts.n = 0;
	if (emit_range(&plain, L->src_from, L->src_to, out, e))
		return -1;
	strbuf_addf(out, ") AS %s ", L->src_alias);
	return 0;
}

/* Rule 2: a lone number as a GROUP BY or ORDER BY item. */
static bool emit_positional(const struct level *L, size_t i, struct strbuf *out, struct err *e, int *rc)
{
	const struct toks *t = L->t;
	enum clause c = clause_of(L, i);
	if (t->v[i].kind != T_NUMBER || (c != C_GROUP && c != C_ORDER))
		return false;
	size_t prev = prev_nonws(t, i, L->start), next = skip_ws(t, i + 1, L->end);
	bool starts = prev != (size_t)-1 && (is_kw(t, prev, "BY") || t->v[prev].kind == T_COMMA);
	bool ends = next >= L->end || t->v[next].kind == T_COMMA || is_kw(t, next, "ASC") || is_kw(t, next, "DESC") ||
		    is_kw(t, next, "NULLS") || is_kw(t, next, "LIMIT") || is_kw(t, next, "HAVING") ||
		    is_kw(t, next, "ORDER");
	long n = strtol(t->v[i].p, NULL, 10);
	if (!starts || !ends || n < 1)
		return false;
	if (L->star) {
		if ((size_t)n > L->src_columns.n)
			return false;
		strbuf_addf(out, "%s", L->src_columns.v[n - 1]);
		return true;
	}
	if ((size_t)n > L->nitems)
		return false;
	const struct item *it = &L->items[n - 1];
	if (it->alias != (size_t)-1)
		emit_tok(t, it->alias, out);
	else
		*rc = emit_range(L, it->from, it->to, out, e);
	return true;
}

/* Rule 3: sum(sum(x)) OVER () at token i ("sum"). */
static bool emit_window_total(const struct level *L, size_t i, size_t *resume, struct strbuf *out, struct err *e,
			      int *rc)
{
	const struct toks *t = L->t;
	if (!is_kw(t, i, "sum"))
		return false;
	size_t open = skip_ws(t, i + 1, L->end);
	if (open >= L->end || t->v[open].kind != T_LPAREN)
		return false;
	size_t close = t->v[open].match, over = skip_ws(t, close + 1, L->end);
	size_t wopen = skip_ws(t, over + 1, L->end);
	if (!is_kw(t, over, "OVER") || wopen >= L->end || t->v[wopen].kind != T_LPAREN ||
	    skip_ws(t, wopen + 1, L->end) != t->v[wopen].match)
		return false;
	size_t inner = skip_ws(t, open + 1, close);
	size_t iopen = skip_ws(t, inner + 1, close);
	if (!is_kw(t, inner, "sum") || iopen >= close || t->v[iopen].kind != T_LPAREN ||
	    skip_ws(t, t->v[iopen].match + 1, close) != close || L->joins)
		return false;
	strbuf_addstr(out, "(SELECT sum(");
	*rc = emit_range(L, iopen + 1, t->v[iopen].match, out, e);
	strbuf_addstr(out, ") FROM ");
	if (*rc == 0)
		*rc = emit_source(L, out, e);
	if (*rc == 0 && L->clause[C_WHERE] < L->end) {
		size_t stop = L->end;
		for (int c = C_GROUP; c < C_COUNT; c++)
			if (L->clause[c] < stop)
				stop = L->clause[c];
		strbuf_addch(out, ' ');
		*rc = emit_range(L, L->clause[C_WHERE], stop, out, e);
	}
	strbuf_addch(out, ')');
	*resume = t->v[wopen].match + 1;
	return true;
}

static int emit_range(const struct level *L, size_t from, size_t to, struct strbuf *out, struct err *e)
{
	const struct toks *t = L->t;
	for (size_t i = from; i < to; i++) {
		int rc = 0;
		size_t resume;
		if (i == L->src_from && L->conflicts.n && from <= L->src_from && to >= L->src_to) {
			if (emit_source(L, out, e))
				return -1;
			i = L->src_to - 1;
			continue;
		}
		if (is_subquery(t, i)) {
			strbuf_addch(out, '(');
			if (rewrite_query(t, i + 1, t->v[i].match, out, e))
				return -1;
			strbuf_addch(out, ')');
			i = t->v[i].match;
			continue;
		}
		if (emit_window_total(L, i, &resume, out, e, &rc)) {
			if (rc)
				return -1;
			i = resume - 1;
			continue;
		}
		if (emit_positional(L, i, out, e, &rc)) {
			if (rc)
				return -1;
			continue;
		}
		if ((is_kw(t, i, "TRUE") || is_kw(t, i, "FALSE")) && is_reference(L, i)) {
			strbuf_addstr(out, is_kw(t, i, "TRUE") ? "1" : "0");
			continue;
		}
		if (L->conflicts.n && is_reference(L, i) && clause_of(L, i) != C_ORDER &&
		    names_has(&L->conflicts, t->v[i].p, t->v[i].n) && i != L->src_from) {
			bool is_alias = false;
			for (size_t k = 0; k < L->nitems; k++)
				is_alias |= L->items[k].alias == i;
			if (!is_alias) {
				emit_tok(t, i, out);
				strbuf_addstr(out, "__src");
				continue;
			}
		}
		emit_tok(t, i, out);
	}
	return 0;
}

/* One or more SELECTs joined by UNION in [start, end); anything that is
 * not a SELECT goes through with its subqueries rewritten. */
static int rewrite_query(const struct toks *t, size_t start, size_t end, struct strbuf *out, struct err *e)
{
	size_t part = start;
	for (size_t i = start; i <= end; i++) {
		if (i < end && t->v[i].kind == T_LPAREN) {
			i = t->v[i].match;
			continue;
		}
		if (i < end && !is_kw(t, i, "UNION"))
			continue;
		size_t first = skip_ws(t, part, i);
		struct level L;
		level_analyse(&L, t, first, i);
		if (is_kw(t, first, "SELECT"))
			find_conflicts(&L);
		else
			L.clause[C_SELECT] = L.end; /* not a SELECT: no rules but 4 and the subqueries */
		for (size_t k = part; k < first; k++)
			emit_tok(t, k, out);
		int rc = emit_range(&L, first, i, out, e);
		free(L.items);
		free(L.src_alias);
		names_release(&L.src_columns);
		names_release(&L.conflicts);
		if (rc)
			return -1;
		if (i < end)
			emit_tok(t, i, out); /* UNION */
		part = i + 1;
	}
	return 0;
}

struct cte {
	const struct tok *name;
	struct strbuf text; /* its subquery, with earlier CTEs inlined */
};

/* Append tokens [from, to) to out with every FROM/JOIN reference to one of
 * the n CTEs replaced by its subquery. */
static void inline_ctes(const struct toks *t, size_t from, size_t to, const struct cte *ctes, size_t n,
			struct strbuf *out)
{
	for (size_t i = from; i < to; i++) {
		size_t prev = prev_nonws(t, i, from);
		bool in_from = prev != (size_t)-1 && (is_kw(t, prev, "FROM") || is_kw(t, prev, "JOIN"));
		size_t k = n;
		if (in_from && t->v[i].kind == T_IDENT)
			for (k = 0; k < n; k++)
				if (ctes[k].name->n == t->v[i].n && strncmp(ctes[k].name->p, t->v[i].p, t->v[i].n) == 0)
					break;
		if (k == n) {
			emit_tok(t, i, out);
			continue;
		}
		/* FROM name, or FROM name AS x / FROM name x: keep its own alias */
		static const char *const not_alias[] = { "ON", "USING", "WHERE", "GROUP", "ORDER", "HAVING", "LIMIT",
							 "JOIN", "LEFT", "RIGHT", "INNER", "FULL", "CROSS", "UNION",
							 "ANY", "ALL", "ARRAY", "GLOBAL", "FINAL", "PREWHERE", "SAMPLE" };
		size_t next = skip_ws(t, i + 1, to);
		bool aliased = next < to && t->v[next].kind == T_IDENT;
		for (size_t w = 0; aliased && w < sizeof(not_alias) / sizeof(not_alias[0]); w++)
			aliased = !is_kw(t, next, not_alias[w]);
		if (aliased)
			strbuf_addf(out, "(%s)", ctes[k].text.buf);
		else
			strbuf_addf(out, "(%s) AS %.*s", ctes[k].text.buf, (int)t->v[i].n, t->v[i].p);
	}
}

/* Rule 5: the statement with its leading WITH's subqueries inlined into
 * *out; false when it has none (out untouched). */
static bool without_ctes(const struct toks *t, struct strbuf *out)
{
	size_t i = skip_ws(t, 0, t->n);
	if (!is_kw(t, i, "WITH"))
		return false;
	struct cte *ctes = NULL;
	size_t n = 0;
	i = skip_ws(t, i + 1, t->n);
	for (;;) {
		size_t as = skip_ws(t, i + 1, t->n), open = skip_ws(t, as + 1, t->n);
		if (t->v[i].kind != T_IDENT || !is_kw(t, as, "AS") || !is_subquery(t, open))
			break;
		ctes = xrealloc(ctes, (n + 1) * sizeof(*ctes));
		ctes[n].name = &t->v[i];
		strbuf_init(&ctes[n].text, 0);
		inline_ctes(t, open + 1, t->v[open].match, ctes, n, &ctes[n].text);
		n++;
		i = skip_ws(t, t->v[open].match + 1, t->n);
		if (i < t->n && t->v[i].kind == T_COMMA) {
			i = skip_ws(t, i + 1, t->n);
			continue;
		}
		break;
	}
	bool done = n > 0 && is_kw(t, i, "SELECT");
	if (done)
		inline_ctes(t, i, t->n, ctes, n, out);
	for (size_t k = 0; k < n; k++)
		strbuf_release(&ctes[k].text);
	free(ctes);
	return done;
}

int clickhouse_rewrite(const char *sql, struct strbuf *out, struct err *e)
{
	struct toks t = { 0 };
	struct strbuf inlined = STRBUF_INIT;
	int rc = tokenize(sql, &t, e);
	if (rc == 0 && without_ctes(&t, &inlined)) {
		free(t.v);
		t = (struct toks){ 0 };
		rc = tokenize(inlined.buf, &t, e);
	}
	if (rc == 0)
		rc = rewrite_query(&t, 0, t.n, out, e);
	free(t.v);
	strbuf_release(&inlined);
	return rc;
}
