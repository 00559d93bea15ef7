/*
 * spill: the sandbox's private spill folders and the sweep of stale ones.
 * See spill.h.
 */
#include "spill.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define SPILL_PREFIX "sandbox-"
/* DuckDB writes flat files into its temp folder; anything deeper than
 * this is not its doing and is left. */
#define SPILL_MAX_DEPTH 4

/*
 * The parent of the sandbox's spill folders: made private if missing;
 * refused when it is a symlink (a planted one would point DuckDB's
 * temp files, which the sandbox may read, anywhere), not a folder or not
 * ours. Returns 0, 1 when it cannot be made here (a read-only folder:
 * use $TMPDIR), -1 when refused.
 */
static int parent_check(const char *dir, struct err *e)
{
	struct stat st;
	if (lstat(dir, &st) != 0) {
		if (errno != ENOENT)
			return 1;
		if (mkdir(dir, 0700) != 0)
			return errno == EEXIST ? parent_check(dir, e) : 1;
		return 0;
	}
	if (S_ISLNK(st.st_mode))
		return err_set(e, "refusing the temp folder '%s': it is a symbolic link", dir);
	if (!S_ISDIR(st.st_mode))
		return err_set(e, "refusing the temp folder '%s': it is not a folder", dir);
	if (st.st_uid != geteuid())
		return err_set(e, "refusing the temp folder '%s': it belongs to another user", dir);
	if ((st.st_mode & 077) && chmod(dir, 0700) != 0)
		return err_set(e, "cannot make the temp folder '%s' private: %s", dir, strerror(errno));
	return 0;
}

/* Remove everything inside the folder open as fd, by name, never following
 * a link (a link is removed, not what it names). Closes fd. */
static void empty_dir_at(int fd, int depth)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	struct dirent *ent;
	while ((ent = readdir(d))) {
		const char *name = ent->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		struct stat st;
		if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (!S_ISDIR(st.st_mode)) {
			unlinkat(dirfd(d), name, 0);
			continue;
		}
		if (depth >= SPILL_MAX_DEPTH)
			continue;
		int sub = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0) {
			empty_dir_at(sub, depth + 1);
			unlinkat(dirfd(d), name, AT_REMOVEDIR);
		}
	}
	closedir(d);
}

/* Take the lock on a fresh owner file and write the pid into it: under a
 * temporary name first, renamed once locked, so that a sweep never sees
 * an owner file that is not yet locked. Returns its descriptor, or -1. */
static int owner_lock(const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	int fd = openat(dfd, SPILL_OWNER_FILE ".new", O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0) {
		char pid[32];
		int n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
		if (write(fd, pid, (size_t)n) == n &&
		    renameat(dfd, SPILL_OWNER_FILE ".new", dfd, SPILL_OWNER_FILE) == 0) {
			close(dfd);
			return fd;
		}
	}
	if (fd >= 0)
		close(fd);
	unlinkat(dfd, SPILL_OWNER_FILE ".new", 0);
	close(dfd);
	return -1;
}

int spill_dir_make(struct spill_dir *out, const char *db_path, struct err *e)
{
	out->path = NULL;
	out->lock_fd = -1;
	char *dir = NULL;
	if (db_path) {
		char *parent = xasprintf("%s.tmp", db_path);
		int verdict = parent_check(parent, e);
		if (verdict == 0) {
			spill_sweep(parent);
			dir = xasprintf("%s/" SPILL_PREFIX "XXXXXX", parent);
		}
		free(parent);
		if (verdict < 0)
			return -1;
		if (dir && !mkdtemp(dir)) {
			free(dir);
			dir = NULL;
		}
	}
	if (!dir) {
		const char *tmp = getenv("TMPDIR");
		dir = xasprintf("%s/finq-" SPILL_PREFIX "XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(dir)) {
			err_set(e, "cannot make a temp folder '%s': %s", dir, strerror(errno));
			free(dir);
			return -1;
		}
	}
	/* Without its owner file (a full disk: the folder fits, the file's
	 * block does not) the folder works all the same; it is only not swept
	 * if this process is killed. Reading must not fail for that. */
	out->lock_fd = owner_lock(dir);
	out->path = dir;
	return 0;
}

void spill_dir_remove(struct spill_dir *d)
{
	if (d->path) {
		int fd = open(d->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0)
			empty_dir_at(fd, 0);
		rmdir(d->path);
		free(d->path);
	}
	if (d->lock_fd >= 0)
		close(d->lock_fd);
	d->path = NULL;
	d->lock_fd = -1;
}

/* The pid an owner file names, or 0 when it names none. */
static long owner_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *end;
	long pid = strtol(buf, &end, 10);
	return pid > 0 && (*end == '\n' || *end == '\0') ? pid : 0;
}

/* Whether the folder name (open as dfd, inside parent_fd) was left by a
 * process that has gone: its owner file is a plain file we can lock, and
 * the pid in it (if any) is no live process. On true, *lock_fd holds the
 * lock, so that no other sweep removes it at the same time. */
static bool owner_gone(int dfd, int *lock_fd)
{
	int fd = openat(dfd, SPILL_OWNER_FILE, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return false; /* no owner file (an older finq's folder), or a link: leave it */
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd); /* locked: its owner is alive */
		return false;
	}
	long pid = owner_pid(fd);
	/* the lock is the proof; a pid still alive is a reason to doubt it
	 * (a process in another pid namespace sees other numbers) */
	if (pid && (kill((pid_t)pid, 0) == 0 || errno != ESRCH)) {
		close(fd);
		return false;
	}
	*lock_fd = fd;
	return true;
}

int spill_sweep(const char *parent)
{
	int pfd = open(parent, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (pfd < 0)
		return -1;
	DIR *d = fdopendir(pfd);
	if (!d) {
		close(pfd);
		return -1;
	}
	int removed = 0;
	struct dirent *ent;
	while ((ent = readdir(d))) {
		const char *name = ent->d_name;
		if (strncmp(name, SPILL_PREFIX, strlen(SPILL_PREFIX)) != 0)
			continue;
		/* a link or anything not a folder fails to open here */
		int dfd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (dfd < 0)
			continue;
		struct stat st;
		int lock_fd = -1;
		if (fstat(dfd, &st) != 0 || st.st_uid != geteuid() || !owner_gone(dfd, &lock_fd)) {
			close(dfd);
			continue;
		}
		empty_dir_at(dfd, 0); /* closes dfd */
		if (unlinkat(pfd, name, AT_REMOVEDIR) == 0)
			removed++;
		close(lock_fd);
	}
	closedir(d);
	return removed;
}
