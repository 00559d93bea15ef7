/*
 * test_files: path expansion for `finq load` on a small tree in a private
 * temp folder: a folder walked recursively in the export layout, hidden and
 * _SUCCESS-style entries skipped, globs, duplicates folded (named wins),
 * sorted output, and failures that name the path.
 */
#include "unit.h"

#include "files.h"

#include <sys/stat.h>
#include <unistd.h>

struct tree {
	char root[256];
};

static void touch(const struct tree *t, const char *rel)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", t->root, rel);
	/* mkdir -p the parents */
	for (char *p = path + strlen(t->root) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0700);
			*p = '/';
		}
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("x\n", f);
	fclose(f);
}

static int tree_setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));
	const char *tmp = getenv("TMPDIR");
	snprintf(t->root, sizeof(t->root), "%s/finq-files-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(t->root)) {
		free(t);
		return -1;
	}
	touch(t, "export/BILLING_PERIOD=2025-11/part-b.csv.gz");
	touch(t, "export/BILLING_PERIOD=2025-11/part-a.csv.gz");
	touch(t, "export/BILLING_PERIOD=2025-10/part-a.csv.gz");
	touch(t, "export/year=2025/month=9/data.parquet");
	touch(t, "export/.hidden.csv");
	touch(t, "export/.git/config");
	touch(t, "export/BILLING_PERIOD=2025-11/_SUCCESS");
	touch(t, "export/manifest.json");
	touch(t, "other/z.csv");
	*state = t;
	return 0;
}

static int tree_teardown(void **state)
{
	struct tree *t = *state;
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->root);
	int rc = system(cmd);
	free(t);
	return rc == 0 ? 0 : -1;
}

/* The path relative to the tree's root (realpath'd: /tmp may be a link). */
static const char *rel(const struct tree *t, const char *path)
{
	char real[4096];
	const char *root = realpath(t->root, real) ? real : t->root;
	size_t n = strlen(root);
	if (strncmp(path, root, n) == 0 && path[n] == '/')
		return path + n + 1;
	return path;
}

static void test_folder_walk(void **state)
{
	const struct tree *t = *state;
	char dir[600];
	snprintf(dir, sizeof(dir), "%s/export", t->root);
	const char *paths[] = { dir };
	struct file_list l;
	struct err e = { 0 };
	file_list_init(&l);
	assert_int_equal(file_list_expand(&l, paths, 1, &e), 0);
	static const char *const want[] = {
		"export/BILLING_PERIOD=2025-10/part-a.csv.gz",
		"export/BILLING_PERIOD=2025-11/part-a.csv.gz",
		"export/BILLING_PERIOD=2025-11/part-b.csv.gz",
		"export/manifest.json",
		"export/year=2025/month=9/data.parquet",
	};
	for (size_t i = 0; i < l.n; i++)
		if (i >= 5 || strcmp(rel(t, l.items[i].path), want[i]) != 0)
			print_error("item %zu: %s\n", i, l.items[i].path);
	assert_int_equal(l.n, 5);
	for (size_t i = 0; i < l.n; i++) {
		assert_string_equal(rel(t, l.items[i].path), want[i]);
		assert_false(l.items[i].named); /* found in a folder */
		assert_int_equal(l.items[i].path[0], '/');
	}
	file_list_release(&l);
	assert_int_equal(l.n, 0);
}

static void test_named_and_duplicates(void **state)
{
	const struct tree *t = *state;
	char dir[600], file[600], again[600];
	snprintf(dir, sizeof(dir), "%s/export/BILLING_PERIOD=2025-11", t->root);
	snprintf(file, sizeof(file), "%s/export/BILLING_PERIOD=2025-11/part-b.csv.gz", t->root);
	/* The same file by another spelling. */
	snprintf(again, sizeof(again), "%s/export/../export/BILLING_PERIOD=2025-11/part-b.csv.gz", t->root);
	const char *paths[] = { dir, file, again };
	struct file_list l;
	struct err e = { 0 };
	file_list_init(&l);
	assert_int_equal(file_list_expand(&l, paths, 3, &e), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(rel(t, l.items[0].path), "export/BILLING_PERIOD=2025-11/part-a.csv.gz");
	assert_false(l.items[0].named);
	assert_string_equal(rel(t, l.items[1].path), "export/BILLING_PERIOD=2025-11/part-b.csv.gz");
	assert_true(l.items[1].named); /* named directly wins over found in the folder */
	file_list_release(&l);
}

static void test_glob(void **state)
{
	const struct tree *t = *state;
	char pattern[600];
	snprintf(pattern, sizeof(pattern), "%s/export/BILLING_PERIOD=*/part-a.csv.gz", t->root);
	const char *paths[] = { pattern };
	struct file_list l;
	struct err e = { 0 };
	file_list_init(&l);
	assert_int_equal(file_list_expand(&l, paths, 1, &e), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(rel(t, l.items[0].path), "export/BILLING_PERIOD=2025-10/part-a.csv.gz");
	assert_string_equal(rel(t, l.items[1].path), "export/BILLING_PERIOD=2025-11/part-a.csv.gz");
	assert_true(l.items[0].named);
	file_list_release(&l);
}

static void test_failures_name_the_path(void **state)
{
	const struct tree *t = *state;
	char pattern[600], missing[600];
	snprintf(pattern, sizeof(pattern), "%s/export/*.nothing", t->root);
	snprintf(missing, sizeof(missing), "%s/no/such/file.csv", t->root);
	struct file_list l;
	struct err e = { 0 };

	const char *glob_paths[] = { pattern };
	file_list_init(&l);
	assert_int_equal(file_list_expand(&l, glob_paths, 1, &e), -1);
	assert_contains(e.msg, "*.nothing");
	file_list_release(&l);

	const char *missing_paths[] = { missing };
	file_list_init(&l);
	assert_int_equal(file_list_expand(&l, missing_paths, 1, &e), -1);
	assert_contains(e.msg, "no/such/file.csv");
	file_list_release(&l);

	/* The good path before a bad one does not make the call succeed. */
	char good[600];
	snprintf(good, sizeof(good), "%s/other/z.csv", t->root);
	const char *mixed[] = { good, missing };
	file_list_init(&l);
	assert_int_equal(file_list_expand(&l, mixed, 2, &e), -1);
	assert_contains(e.msg, "file.csv");
	file_list_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_folder_walk),
		cmocka_unit_test(test_named_and_duplicates),
		cmocka_unit_test(test_glob),
		cmocka_unit_test(test_failures_name_the_path),
	};
	return cmocka_run_group_tests_name("files", tests, tree_setup, tree_teardown);
}
