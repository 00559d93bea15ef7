/*
 * xalloc: allocation that never returns NULL.
 *
 * Out-of-memory is not a recoverable error in finq: these wrappers print one
 * line and abort, so no caller checks malloc. Everything they return is owned
 * by the caller and released with free(). sort_array() sorts what they
 * grew, empty included.
 */
#ifndef FINQ_XALLOC_H
#define FINQ_XALLOC_H

#include <stddef.h>
#include <stdlib.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a fresh string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#include <stdarg.h>
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* qsort for arrays grown with ALLOC_GROW: an empty one was never
 * allocated, and qsort's base must not be NULL even for no elements. */
static inline void sort_array(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

/* Grow *items so that it holds at least need elements of elem_size. */
#define ALLOC_GROW(items, need, alloc)                                         \
	do {                                                                   \
		if ((need) > (alloc)) {                                        \
			size_t grow_to_ = (alloc) ? (alloc) * 2 : 16;          \
			if (grow_to_ < (need))                                 \
				grow_to_ = (need);                             \
			(items) = xrealloc((items), grow_to_ * sizeof(*(items))); \
			(alloc) = grow_to_;                                    \
		}                                                              \
	} while (0)

#endif
