/*
 * test_spill: the sandbox's spill folders (spill.h). A fresh one holds a
 * locked owner file with our pid and goes at removal; the sweep removes a
 * folder whose owner has gone (unlocked, its pid no live process), with
 * what DuckDB spilled into it, and removes a link inside it without
 * touching what the link names; it leaves a folder still locked (a live
 * owner), one whose pid is alive, one without an owner file, one whose
 * owner file is a link, and a "sandbox-" entry that is a link to a
 * folder.
 */
#include "unit.h"

#include "spill.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct fixture {
	char root[64];
	char db_path[128];
	char parent[160];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	snprintf(f->root, sizeof(f->root), "/tmp/finq-test-spill-XXXXXX");
	if (!mkdtemp(f->root))
		return -1;
	snprintf(f->db_path, sizeof(f->db_path), "%s/x.duckdb", f->root);
	snprintf(f->parent, sizeof(f->parent), "%s.tmp", f->db_path);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[200];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->root);
	int ignored = system(cmd);
	(void)ignored;
	free(f);
	return 0;
}

static bool exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* A pid that is no live process: a child's, reaped. */
static long dead_pid(void)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return (long)pid;
}

/* A folder "sandbox-NAME" in the parent as a killed process leaves it:
 * an owner file with pid (unlocked), and what DuckDB spilled. */
static void leave_folder(const struct fixture *f, const char *name, long pid, char *path, size_t size)
{
	char file[400], text[32];
	snprintf(path, size, "%s/sandbox-%s", f->parent, name);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(file, sizeof(file), "%s/%s", path, SPILL_OWNER_FILE);
	snprintf(text, sizeof(text), "%ld\n", pid);
	write_file(file, text);
	snprintf(file, sizeof(file), "%s/duckdb_temp_block-4611686018427388000.block", path);
	write_file(file, "spilled");
}

static void test_fresh_folder(void **state)
{
	struct fixture *f = *state;
	struct err e = { 0 };
	struct spill_dir d;
	assert_int_equal(spill_dir_make(&d, f->db_path, &e), 0);
	assert_non_null(d.path);
	assert_true(strncmp(d.path, f->parent, strlen(f->parent)) == 0);
	struct stat st;
	assert_int_equal(lstat(d.path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);

	/* the owner file names us and is locked: another open of it cannot lock it */
	char owner[400], text[32] = "";
	snprintf(owner, sizeof(owner), "%s/%s", d.path, SPILL_OWNER_FILE);
	FILE *fp = fopen(owner, "r");
	assert_non_null(fp);
	assert_non_null(fgets(text, sizeof(text), fp));
	fclose(fp);
	assert_int_equal(atol(text), (long)getpid());
	int fd = open(owner, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), -1);
	close(fd);

	/* a sweep leaves it: its owner lives */
	assert_int_equal(spill_sweep(f->parent), 0);
	assert_true(exists(d.path));
	char *path = strdup(d.path);
	spill_dir_remove(&d);
	assert_false(exists(path));
	assert_null(d.path);
	free(path);
}

static void test_sweep(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(mkdir(f->parent, 0700), 0);
	char gone[300], alive_pid[300], no_owner[300], linked_owner[300], file[400], victim[300];

	/* gone: its pid is dead and nobody holds its lock; a link inside it
	 * to a file of ours must be removed, not followed */
	leave_folder(f, "gone01", dead_pid(), gone, sizeof(gone));
	snprintf(victim, sizeof(victim), "%s/victim", f->root);
	write_file(victim, "keep me");
	snprintf(file, sizeof(file), "%s/link", gone);
	assert_int_equal(symlink(victim, file), 0);
	snprintf(file, sizeof(file), "%s/sub", gone);
	assert_int_equal(mkdir(file, 0700), 0);

	/* unlocked, but its pid (ours) is alive: left */
	leave_folder(f, "alive1", (long)getpid(), alive_pid, sizeof(alive_pid));
	/* no owner file (an older finq): left */
	snprintf(no_owner, sizeof(no_owner), "%s/sandbox-old001", f->parent);
	assert_int_equal(mkdir(no_owner, 0700), 0);
	/* an owner file that is a link: left */
	snprintf(linked_owner, sizeof(linked_owner), "%s/sandbox-link01", f->parent);
	assert_int_equal(mkdir(linked_owner, 0700), 0);
	snprintf(file, sizeof(file), "%s/%s", linked_owner, SPILL_OWNER_FILE);
	assert_int_equal(symlink(victim, file), 0);
	/* a "sandbox-" link to a dead owner's folder elsewhere: not followed */
	char elsewhere[300], elsewhere_owner[400], link[300], text[32];
	snprintf(elsewhere, sizeof(elsewhere), "%s/elsewhere", f->root);
	assert_int_equal(mkdir(elsewhere, 0700), 0);
	snprintf(elsewhere_owner, sizeof(elsewhere_owner), "%s/%s", elsewhere, SPILL_OWNER_FILE);
	snprintf(text, sizeof(text), "%ld\n", dead_pid());
	write_file(elsewhere_owner, text);
	snprintf(link, sizeof(link), "%s/sandbox-sym001", f->parent);
	assert_int_equal(symlink(elsewhere, link), 0);

	/* a live owner: a fresh folder of ours, locked */
	struct err e = { 0 };
	struct spill_dir live;
	assert_int_equal(spill_dir_make(&live, f->db_path, &e), 0); /* sweeps first */

	assert_false(exists(gone));
	assert_true(exists(victim)); /* the link went, not what it named */
	assert_true(exists(alive_pid));
	assert_true(exists(no_owner));
	assert_true(exists(linked_owner));
	assert_true(exists(link));
	assert_true(exists(elsewhere_owner));
	assert_true(exists(live.path));

	/* once its lock is dropped and its pid gone, the same folder is swept */
	snprintf(file, sizeof(file), "%s/%s", alive_pid, SPILL_OWNER_FILE);
	snprintf(text, sizeof(text), "%ld\n", dead_pid());
	write_file(file, text);
	assert_int_equal(spill_sweep(f->parent), 1);
	assert_false(exists(alive_pid));
	assert_true(exists(live.path));
	spill_dir_remove(&live);
	assert_int_equal(spill_sweep(f->root), 0); /* no "sandbox-" folders there */
	assert_int_equal(spill_sweep("/nonexistent-finq-folder"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fresh_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
