/*
 * uploaddir: the folders `finq serve` keeps uploads in, and cleaning up
 * after a server that died without removing its own.
 *
 * server.c makes one private folder per server, named
 * UPLOADDIR_PREFIX<pid>-XXXXXX beside the database (else under $TMPDIR,
 * without the leading dot), and removes it when it stops. A server killed
 * by a signal or a crash leaves it behind, with whatever was being
 * uploaded; uploaddir_clean_stale() removes such folders at the next
 * start. It does not create folders, and never touches a folder whose
 * server is still running or that belongs to another user.
 */
#ifndef FINQ_UPLOADDIR_H
#define FINQ_UPLOADDIR_H

#define UPLOADDIR_PREFIX ".finq-uploads-"

/* Remove the stale upload folders beside db_path and under $TMPDIR (or
 * /tmp). Returns how many were removed; failures are silent (the folder
 * stays for the next start). */
int uploaddir_clean_stale(const char *db_path);

#endif
