/*
 * files: turn the paths a user typed into a sorted list of regular files.
 *
 * A path is a file, a folder (walked recursively, hidden entries skipped,
 * so export layouts like BILLING_PERIOD=2025-11/ or year=2025/month=11/ just
 * work) or a glob. Each file remembers whether the user named it directly:
 * a file found by walking a folder may be skipped when it is not an export;
 * a named one may not.
 */
#ifndef FINQ_FILES_H
#define FINQ_FILES_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>

struct file_entry {
	char *path;
	bool named; /* given on the command line (or by a glob), not found in a folder */
};

struct file_list {
	struct file_entry *items;
	size_t n, alloc;
};

void file_list_init(struct file_list *l);
void file_list_release(struct file_list *l);
/* Expand paths; fails naming the first path that matches nothing. The list
 * is sorted and free of duplicates. */
int file_list_expand(struct file_list *l, const char *const *paths, int npaths, struct err *e);

#endif
