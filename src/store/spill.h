/*
 * spill: the sandbox's private spill folders, and the ones a killed
 * process left behind.
 *
 * Each sandboxed open spills into a folder of its own, made by mkdtemp
 * inside "<db>.tmp" ("sandbox-XXXXXX", 0700), or in $TMPDIR where that
 * cannot be made; db_close removes it. A process killed with SIGKILL
 * cannot: its folder, with whatever DuckDB spilled, stayed for ever.
 *
 * So each folder holds a file, SPILL_OWNER_FILE, with its owner's pid,
 * which the owner keeps locked (flock) as long as the folder is in use. A
 * lock dies with its process, whatever killed it, and is not fooled by a
 * reused pid. Before making its own folder, spill_dir_make() removes from
 * "<db>.tmp" every "sandbox-*" folder whose owner file it can lock and
 * whose pid is not a live process (both, so that a folder of a live
 * process is never touched). Nothing is followed: the parent, each
 * folder and the owner file are opened with O_NOFOLLOW relative to the
 * folder above, symlinks and anything not a folder of ours are skipped,
 * and what is removed is removed by name inside the folder opened.
 * Folders without an owner file (made by an older finq, or on a disk too
 * full for the file) name no process; such a folder is removed only when
 * it was last changed before every live process of this user that could
 * hold one (DuckDB is mapped in it, or it is a finq) started, so that
 * its maker must have gone, and holds DuckDB's spill files and nothing
 * else. The same sweep runs over $TMPDIR ("finq-sandbox-XXXXXX", the
 * fallback's folders) at every open. Only names of the form prefix and
 * six letters or digits (mkdtemp's) are looked at.
 *
 * Used by db.c only; the CLI's hard deadline (cmd_sql.c) removes the
 * owner file by name before exiting.
 */
#ifndef FINQ_SPILL_H
#define FINQ_SPILL_H

#include "err.h"

#define SPILL_OWNER_FILE "owner"

struct spill_dir {
	char *path;  /* the folder (owned) */
	int lock_fd; /* its owner file, open and locked while the folder is in use;
		      * -1 when it could not be written (a full disk) */
};

/* Make a fresh private spill folder for a sandboxed open of db_path
 * (NULL: in memory; then in $TMPDIR), first removing the stale ones in
 * $TMPDIR and "<db>.tmp". "<db>.tmp" itself is made 0700 if missing, and refused when
 * it is a symlink, not a folder or another user's. */
int spill_dir_make(struct spill_dir *out, const char *db_path, struct err *e);
/* Empty and remove the folder (links removed, never followed), then drop
 * the lock. Safe on a zeroed struct. */
void spill_dir_remove(struct spill_dir *d);
/* Remove the folders in parent left by processes that have gone; returns
 * how many were removed (-1 when parent cannot be opened as a folder). */
int spill_sweep(const char *parent);
/* The same over $TMPDIR's "finq-sandbox-XXXXXX" folders (spill_dir_make's
 * fallback). */
int spill_sweep_tmp(const char *tmpdir);

#endif
