/*
 * files: path expansion for `finq load`. See files.h.
 */
#include "files.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void file_list_init(struct file_list *l)
{
	memset(l, 0, sizeof(*l));
}

void file_list_release(struct file_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i].path);
	free(l->items);
	file_list_init(l);
}

static void add_file(struct file_list *l, const char *path, bool named)
{
	ALLOC_GROW(l->items, l->n + 1, l->alloc);
	char resolved[PATH_MAX];
	l->items[l->n].path = xstrdup(realpath(path, resolved) ? resolved : path);
	l->items[l->n].named = named;
	l->n++;
}

static int walk(struct file_list *l, const char *dir, int depth, struct err *e)
{
	if (depth > 32)
		return err_set(e, "folder '%s' is nested too deeply", dir);
	DIR *d = opendir(dir);
	if (!d)
		return err_set(e, "cannot read folder '%s': %s", dir, strerror(errno));
	struct dirent *ent;
	int rc = 0;
	while (rc == 0 && (ent = readdir(d))) {
		if (ent->d_name[0] == '.' || ent->d_name[0] == '_')
			continue; /* hidden files, _SUCCESS and _metadata markers */
		char *path = xasprintf("%s/%s", dir, ent->d_name);
		struct stat st;
		if (stat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				rc = walk(l, path, depth + 1, e);
			else if (S_ISREG(st.st_mode))
				add_file(l, path, false);
		}
		free(path);
	}
	closedir(d);
	return rc;
}

static int add_path(struct file_list *l, const char *path, struct err *e)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return err_set(e, "cannot read '%s': %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return walk(l, path, 0, e);
	if (!S_ISREG(st.st_mode))
		return err_set(e, "'%s' is not a regular file or folder", path);
	add_file(l, path, true);
	return 0;
}

static int compare_entries(const void *a, const void *b)
{
	return strcmp(((const struct file_entry *)a)->path, ((const struct file_entry *)b)->path);
}

int file_list_expand(struct file_list *l, const char *const *paths, int npaths, struct err *e)
{
	for (int i = 0; i < npaths; i++) {
		const char *p = paths[i];
		struct stat st;
		if (stat(p, &st) != 0 && strpbrk(p, "*?[")) {
			glob_t g;
			int grc = glob(p, GLOB_NOSORT, NULL, &g);
			if (grc == GLOB_NOMATCH || (grc == 0 && g.gl_pathc == 0)) {
				globfree(&g);
				return err_set(e, "no file matches '%s'", p);
			}
			if (grc != 0) {
				globfree(&g);
				return err_set(e, "cannot expand '%s'", p);
			}
			for (size_t k = 0; k < g.gl_pathc; k++)
				if (add_path(l, g.gl_pathv[k], e)) {
					globfree(&g);
					return -1;
				}
			globfree(&g);
		} else if (add_path(l, p, e)) {
			return -1;
		}
	}
	sort_array(l->items, l->n, sizeof(*l->items), compare_entries);
	/* The same file reached twice (named and inside a folder): keep one,
	 * named if either was. */
	size_t out = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (out && strcmp(l->items[out - 1].path, l->items[i].path) == 0) {
			l->items[out - 1].named |= l->items[i].named;
			free(l->items[i].path);
			continue;
		}
		l->items[out++] = l->items[i];
	}
	l->n = out;
	return 0;
}
