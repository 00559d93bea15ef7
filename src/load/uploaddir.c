/*
 * uploaddir: removing the upload folders of servers that are gone. See
 * uploaddir.h.
 *
 * A folder is stale when the process its name carries no longer exists,
 * or, for folders named before the name carried a pid, when it has not
 * changed for a day (a running server of that version still holds it).
 * The folders are flat (uploads are files directly inside them).
 */
#include "uploaddir.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LEGACY_STALE_SECONDS (24 * 3600)

static bool process_gone(long pid)
{
	return pid > 0 && kill((pid_t)pid, 0) == -1 && errno == ESRCH;
}

/* name without its prefix: "<pid>-XXXXXX" or, from older servers, "XXXXXX" */
static bool is_stale(const char *rest, const struct stat *st)
{
	char *end = NULL;
	long pid = strtol(rest, &end, 10);
	if (end != rest && *end == '-' && strlen(end + 1) == 6)
		return process_gone(pid);
	return strlen(rest) == 6 && time(NULL) - st->st_mtime > LEGACY_STALE_SECONDS;
}

static bool remove_flat(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *ent;
	while (d && (ent = readdir(d))) {
		if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
			continue;
		char *path = xasprintf("%s/%s", dir, ent->d_name);
		unlink(path);
		free(path);
	}
	if (d)
		closedir(d);
	return rmdir(dir) == 0;
}

static int clean_in(const char *parent, const char *prefix)
{
	DIR *d = opendir(parent);
	struct dirent *ent;
	size_t n = strlen(prefix);
	int removed = 0;
	while (d && (ent = readdir(d))) {
		if (strncmp(ent->d_name, prefix, n) != 0)
			continue;
		char *path = xasprintf("%s/%s", parent, ent->d_name);
		struct stat st;
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == getuid() &&
		    is_stale(ent->d_name + n, &st) && remove_flat(path))
			removed++;
		free(path);
	}
	if (d)
		closedir(d);
	return removed;
}

int uploaddir_clean_stale(const char *db_path)
{
	char *copy = xstrdup(db_path);
	const char *tmp = getenv("TMPDIR");
	int removed = clean_in(dirname(copy), UPLOADDIR_PREFIX);
	removed += clean_in(tmp && *tmp ? tmp : "/tmp", &UPLOADDIR_PREFIX[1]);
	free(copy);
	return removed;
}
