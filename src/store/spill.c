/*
 * spill: the sandbox's private spill folders and the sweep of stale ones.
 * See spill.h.
 */
#include "spill.h"
#include "xalloc.h"

#include <ctype.h>
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
#include <time.h>
#include <unistd.h>

#define SPILL_PREFIX "sandbox-"
/* The same in $TMPDIR, where the name also says whose it is. */
#define SPILL_TMP_PREFIX "finq-" SPILL_PREFIX
/* What mkdtemp puts after the prefix: a folder named otherwise is not ours. */
#define SPILL_SUFFIX_LEN 6
/* The start of every file name DuckDB gives its spill ("duckdb_temp_storage_
 * S32K-0.tmp", "duckdb_temp_block-5.block"): an ownerless folder holding
 * anything else is not a spill folder, whatever its name. */
#define SPILL_DUCKDB_FILE "duckdb_temp"
/* Seconds of doubt between a folder's time and a process's start (the
 * start is read in clock ticks from the boot time, which is whole seconds). */
#define SPILL_CLOCK_SLACK 2
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
	const char *tmp = getenv("TMPDIR");
	spill_sweep_tmp(tmp && *tmp ? tmp : "/tmp");
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
		dir = xasprintf("%s/" SPILL_TMP_PREFIX "XXXXXX", tmp && *tmp ? tmp : "/tmp");
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

/* ---- folders without an owner file ------------------------------------------------ */

/* Whether name is prefix and mkdtemp's six letters or digits, nothing more. */
static bool spill_name(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(name, prefix, n) != 0 || strlen(name + n) != SPILL_SUFFIX_LEN)
		return false;
	for (const char *c = name + n; *c; c++)
		if (!isalnum((unsigned char)*c))
			return false;
	return true;
}

/* Whether the folder open as dfd holds DuckDB's spill files and nothing
 * else: plain files of ours named as DuckDB names them (no link, no
 * folder). Leaves dfd open. */
static bool only_duckdb_files(int dfd)
{
	/* a descriptor of its own: a dup would share dfd's place in the listing */
	int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	bool only = true;
	struct dirent *ent;
	while (only && (ent = readdir(d))) {
		const char *name = ent->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		struct stat st;
		only = strncmp(name, SPILL_DUCKDB_FILE, strlen(SPILL_DUCKDB_FILE)) == 0 &&
		       fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
		       st.st_uid == geteuid();
	}
	closedir(d);
	return only;
}

/* The boot time, in seconds since the epoch, from /proc/stat; -1 if unread. */
static long boot_time(void)
{
	FILE *f = fopen("/proc/stat", "re");
	if (!f)
		return -1;
	char line[256];
	long btime = -1;
	while (btime < 0 && fgets(line, sizeof(line), f))
		if (strncmp(line, "btime ", 6) == 0)
			btime = strtol(line + 6, NULL, 10);
	fclose(f);
	return btime;
}

/* When process pid started, in seconds since the epoch (field 22 of
 * /proc/PID/stat, in clock ticks since boot; the fields are counted after
 * the command's closing parenthesis, which may itself hold spaces). */
static bool process_start(const char *pid, long btime, double *out)
{
	char path[300], buf[1024];
	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	if (!p)
		return false;
	/* after ") ": field 3 (the state); the start time is field 22 */
	for (int field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	if (!p)
		return false;
	*out = (double)btime + strtod(p + 1, NULL) / (double)sysconf(_SC_CLK_TCK);
	return true;
}

/* Whether process pid could hold a spill folder: DuckDB is in it (a
 * mapping whose file names duckdb: finq's libduckdb.so, any other
 * program's), or its program is a finq (one linked with DuckDB inside).
 * A process whose maps cannot be read counts: the doubt keeps folders. */
static bool process_may_spill(const char *pid)
{
	char path[300], line[512];
	snprintf(path, sizeof(path), "/proc/%s/exe", pid);
	ssize_t n = readlink(path, line, sizeof(line) - 1);
	if (n > 0) {
		line[n] = '\0';
		const char *base = strrchr(line, '/');
		if (strncmp(base ? base + 1 : line, "finq", 4) == 0)
			return true;
	}
	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return errno != ENOENT; /* gone meanwhile: it holds nothing */
	bool duckdb = false;
	while (!duckdb && fgets(line, sizeof(line), f))
		duckdb = strstr(line, "duckdb") != NULL;
	fclose(f);
	return duckdb;
}

/*
 * The earliest start of a live process of this user that could hold a
 * spill folder, in seconds since the epoch; -1 when /proc cannot be read
 * (then nothing without an owner file is removed).
 *
 * Why a start time: a folder without an owner file (an older finq's, or
 * one made on a full disk) names no process. Whoever made it was running
 * when it was made, and a folder's modification time is never before its
 * making; so a folder last changed before every such process started was
 * made by none of them: its maker has gone. A process that started before
 * keeps every folder made since, whichever it is.
 */
static double earliest_spiller_start(void)
{
	long btime = boot_time();
	DIR *d = btime < 0 ? NULL : opendir("/proc");
	if (!d)
		return -1;
	double earliest = (double)time(NULL) + 1e9; /* none: every folder's maker has gone */
	struct dirent *ent;
	while ((ent = readdir(d))) {
		const char *pid = ent->d_name;
		if (!isdigit((unsigned char)pid[0]))
			continue;
		struct stat st;
		double start;
		/* another user's process cannot write in our 0700 folders */
		if (fstatat(dirfd(d), pid, &st, 0) != 0 || st.st_uid != geteuid() ||
		    !process_start(pid, btime, &start) || start >= earliest || !process_may_spill(pid))
			continue;
		earliest = start;
	}
	closedir(d);
	return earliest;
}

/* Whether the ownerless folder open as dfd was left by a process that has
 * gone: changed before any process that could hold it started, and
 * holding only DuckDB's files. *earliest is worked out on first need. */
static bool ownerless_gone(int dfd, const struct stat *st, double *earliest)
{
	if (*earliest == 0)
		*earliest = earliest_spiller_start();
	return *earliest > 0 && (double)st->st_mtime + SPILL_CLOCK_SLACK < *earliest && only_duckdb_files(dfd);
}

/* ---- the sweep --------------------------------------------------------------------- */

/* Remove the folders in parent named prefix + six characters that are
 * stale: an owner file whose process has gone, or no owner file and
 * ownerless_gone. */
static int sweep_at(const char *parent, const char *prefix)
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
	double earliest = 0;
	struct dirent *ent;
	while ((ent = readdir(d))) {
		const char *name = ent->d_name;
		if (!spill_name(name, prefix))
			continue;
		/* a link or anything not a folder fails to open here */
		int dfd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (dfd < 0)
			continue;
		struct stat st, owner;
		int lock_fd = -1;
		bool has_owner = fstatat(dfd, SPILL_OWNER_FILE, &owner, AT_SYMLINK_NOFOLLOW) == 0;
		if (fstat(dfd, &st) != 0 || st.st_uid != geteuid() ||
		    !(has_owner ? owner_gone(dfd, &lock_fd) : ownerless_gone(dfd, &st, &earliest))) {
			close(dfd);
			continue;
		}
		empty_dir_at(dfd, 0); /* closes dfd */
		if (unlinkat(pfd, name, AT_REMOVEDIR) == 0)
			removed++;
		if (lock_fd >= 0)
			close(lock_fd);
	}
	closedir(d);
	return removed;
}

int spill_sweep(const char *parent)
{
	return sweep_at(parent, SPILL_PREFIX);
}

int spill_sweep_tmp(const char *tmpdir)
{
	return sweep_at(tmpdir, SPILL_TMP_PREFIX);
}
