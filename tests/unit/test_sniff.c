/*
 * test_sniff: header splitting and delimiter guessing (pure), then
 * sniff_file on small files written to a private temp folder: plain and
 * gzip text, a UTF-8 BOM, CRLF, Athena's \x01, JSON, empty, Parquet magic,
 * and a truncated gzip stream, which must fail naming the file.
 */
#include "unit.h"

#include "err.h"
#include "sniff.h"

#include <unistd.h>
#include <zlib.h>

static void free_fields(char **f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(f[i]);
	free(f);
}

/* Split line and compare with the expected fields (NULL-terminated). */
static void check_split(const char *line, char delim, const char *const *want)
{
	size_t n = 0, nwant = 0;
	while (want[nwant])
		nwant++;
	char **f = sniff_split_line(line, delim, &n);
	assert_non_null(f);
	if (n != nwant)
		print_error("split of '%s': %zu fields, want %zu\n", line, n, nwant);
	assert_int_equal(n, nwant);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(f[i], want[i]);
	free_fields(f, n);
}

static void test_split_plain(void **state)
{
	(void)state;
	check_split("a,b,c", ',', (const char *const[]){ "a", "b", "c", NULL });
	check_split("lineItem/UsageStartDate;lineItem/UnblendedCost", ';',
		    (const char *const[]){ "lineItem/UsageStartDate", "lineItem/UnblendedCost", NULL });
	check_split("one", ',', (const char *const[]){ "one", NULL });
}

static void test_split_quotes(void **state)
{
	(void)state;
	/* Quoted delimiters stay inside the field; the quotes go. */
	check_split("\"a,b\",c,\"d\"", ',', (const char *const[]){ "a,b", "c", "d", NULL });
	/* Doubled quotes inside a quoted field are one quote. */
	check_split("\"say \"\"hi\"\"\",x", ',', (const char *const[]){ "say \"hi\"", "x", NULL });
	check_split("\"\"\"\",\"\"", ',', (const char *const[]){ "\"", "", NULL });
	/* A quote in the middle of an unquoted field is just a character. */
	check_split("ab\"c,d", ',', (const char *const[]){ "ab\"c", "d", NULL });
	/* The real FOCUS sample header is fully quoted. */
	check_split("\"AvailabilityZone\",\"BilledCost\",\"Tags\"", ',',
		    (const char *const[]){ "AvailabilityZone", "BilledCost", "Tags", NULL });
}

static void test_split_empty_fields(void **state)
{
	(void)state;
	check_split("a,,b", ',', (const char *const[]){ "a", "", "b", NULL });
	check_split(",", ',', (const char *const[]){ "", "", NULL });
	check_split("a,", ',', (const char *const[]){ "a", "", NULL });
	check_split(",a", ',', (const char *const[]){ "", "a", NULL });
	check_split("", ',', (const char *const[]){ "", NULL });
	check_split("\"\",\"\"", ',', (const char *const[]){ "", "", NULL });
}

static void test_split_x01(void **state)
{
	(void)state;
	/* Athena TEXTFILE: \x01 separated, no quoting at all. */
	check_split("identity_line_item_id\x01line_item_unblended_cost\x01resource_tags_user_team", '\x01',
		    (const char *const[]){ "identity_line_item_id", "line_item_unblended_cost",
					   "resource_tags_user_team", NULL });
	check_split("\"a\x01" "b\"\x01\\N\x01\x01", '\x01', (const char *const[]){ "\"a", "b\"", "\\N", "", "", NULL });
	/* Commas are ordinary characters there. */
	check_split("x,y\x01z", '\x01', (const char *const[]){ "x,y", "z", NULL });
}

static void test_guess_delimiter(void **state)
{
	(void)state;
	assert_int_equal(sniff_guess_delimiter("a,b,c"), ',');
	assert_int_equal(sniff_guess_delimiter("a\tb\tc"), '\t');
	assert_int_equal(sniff_guess_delimiter("a;b;c"), ';');
	assert_int_equal(sniff_guess_delimiter("a|b|c"), '|');
	/* \x01 wins outright, even against more commas. */
	assert_int_equal(sniff_guess_delimiter("a,b,c,d\x01" "e"), '\x01');
	/* Delimiters inside quotes do not count. */
	assert_int_equal(sniff_guess_delimiter("\"a,b,c,d\";\"e\";\"f\""), ';');
	assert_int_equal(sniff_guess_delimiter("\"x;y;z\",\"w\""), ',');
	/* The real Azure header with a comma-rich quoted field. */
	assert_int_equal(sniff_guess_delimiter("BillingAccountId,\"Name; with; semis\",Cost"), ',');
	/* Nothing to go on: a comma. */
	assert_int_equal(sniff_guess_delimiter("justonecolumn"), ',');
	assert_int_equal(sniff_guess_delimiter(""), ',');
	/* The majority wins. */
	assert_int_equal(sniff_guess_delimiter("a;b;c;d,e"), ';');
	assert_int_equal(sniff_guess_delimiter("a\tb\tc,d"), '\t');
}

/* ---- sniff_file on real bytes ---- */

struct dir {
	char path[256];
};

static int dir_setup(void **state)
{
	struct dir *d = calloc(1, sizeof(*d));
	const char *tmp = getenv("TMPDIR");
	snprintf(d->path, sizeof(d->path), "%s/finq-sniff-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(d->path)) {
		free(d);
		return -1;
	}
	*state = d;
	return 0;
}

static int dir_teardown(void **state)
{
	struct dir *d = *state;
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->path);
	int rc = system(cmd);
	free(d);
	return rc == 0 ? 0 : -1;
}

static char *write_file(const struct dir *d, const char *name, const void *data, size_t n)
{
	char *path = NULL;
	if (asprintf(&path, "%s/%s", d->path, name) < 0)
		return NULL;
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	if (n)
		assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
	return path;
}

static char *write_gzip(const struct dir *d, const char *name, const char *text)
{
	char *path = NULL;
	if (asprintf(&path, "%s/%s", d->path, name) < 0)
		return NULL;
	gzFile gz = gzopen(path, "wb");
	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, text, (unsigned)strlen(text)), (int)strlen(text));
	assert_int_equal(gzclose(gz), Z_OK);
	return path;
}

static void test_sniff_csv_with_bom_and_crlf(void **state)
{
	const struct dir *d = *state;
	const char text[] = "\xEF\xBB\xBF" "BillingAccountId,Date,Cost\r\n1,09/21/2023,3.25\r\n2,09/04/2023,0.1\r\n";
	char *path = write_file(d, "azure.csv", text, sizeof(text) - 1);
	struct sniff s;
	struct err e = { 0 };
	assert_int_equal(sniff_file(path, &s, &e), 0);
	assert_int_equal(s.kind, KIND_TEXT);
	assert_false(s.gzip);
	assert_int_equal(s.delimiter, ',');
	assert_int_equal(s.nfields, 3);
	/* The BOM is not part of the first name, and no \r clings to the last. */
	assert_string_equal(s.fields[0], "BillingAccountId");
	assert_string_equal(s.fields[2], "Cost");
	assert_int_equal(s.bytes, sizeof(text) - 1);
	sniff_release(&s);
	free(path);
}

static void test_sniff_gzip_x01(void **state)
{
	const struct dir *d = *state;
	char *path = write_gzip(d, "athena.gz",
				"identity_line_item_id\x01line_item_unblended_cost\x01line_item_usage_start_date\n"
				"abc\x01" "0.5\x01" "2019-11-26 00:00:00\n"
				"def\x01\\N\x01" "2019-11-26 01:00:00\n");
	struct sniff s;
	struct err e = { 0 };
	assert_int_equal(sniff_file(path, &s, &e), 0);
	assert_int_equal(s.kind, KIND_TEXT);
	assert_true(s.gzip);
	assert_int_equal(s.delimiter, '\x01');
	assert_int_equal(s.nfields, 3);
	assert_string_equal(s.fields[1], "line_item_unblended_cost");
	assert_true(s.text_bytes > s.bytes / 2);
	sniff_release(&s);
	free(path);
}

static void test_sniff_truncated_gzip_fails(void **state)
{
	const struct dir *d = *state;
	/* A gzip stream of incompressible-ish text, then cut in half. */
	struct strbuf_like {
		char *p;
		size_t n;
	} text = { NULL, 0 };
	FILE *m = open_memstream(&text.p, &text.n);
	fputs("lineItem/UsageStartDate,lineItem/UnblendedCost\n", m);
	for (int i = 0; i < 20000; i++)
		fprintf(m, "2025-11-%02dT00:00:00Z,%d.%04d\n", i % 28 + 1, i * 7919 % 1000, i * 104729 % 10000);
	fclose(m);
	char *full = write_gzip(d, "full.csv.gz", text.p);
	FILE *f = fopen(full, "rb");
	assert_non_null(f);
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_true(n > 1000);
	char *cut = write_file(d, "cut.csv.gz", buf, n / 2);

	struct sniff s;
	struct err e = { 0 };
	assert_int_equal(sniff_file(full, &s, &e), 0);
	assert_true(s.gzip);
	/* from the head, an estimate; after the whole check, exact */
	assert_true(s.text_bytes > text.n / 2 && s.text_bytes < text.n * 2);
	assert_null(s.tail);
	assert_int_equal(sniff_gzip_check(full, &s, &e), 0);
	assert_int_equal(s.text_bytes, text.n);
	assert_non_null(s.tail);
	assert_int_equal(s.tail_len, SNIFF_TAIL);
	assert_memory_equal(s.tail, text.p + text.n - SNIFF_TAIL, SNIFF_TAIL);
	sniff_release(&s);

	/* the head of the cut file is whole: sniffing it works, the check
	 * the load makes before reading it fails */
	assert_int_equal(sniff_file(cut, &s, &e), 0);
	assert_int_equal(s.kind, KIND_TEXT);
	assert_int_equal(sniff_gzip_check(cut, &s, &e), -1);
	assert_contains(e.msg, "cut.csv.gz");
	assert_contains(e.msg, "truncated");
	sniff_release(&s);
	free(full);
	free(cut);
	free(text.p);
}

/*
 * An upload of junk is refused from its head: the sniff inflates at most
 * a few MB, however large the stream (8 MB of gzip inflating to gigabytes
 * took 22 s of CPU before its 422). Here the junk is followed by a
 * corrupt end, which only a sniff that inflated everything would see.
 */
static void test_sniff_gzip_reads_only_the_head(void **state)
{
	const struct dir *d = *state;
	char *path = NULL;
	assert_true(asprintf(&path, "%s/junk.gz", d->path) > 0);
	gzFile gz = gzopen(path, "wb9");
	assert_non_null(gz);
	static char zeros[1 << 20];
	for (int i = 0; i < 64; i++) /* 64 MB of NUL bytes, about 64 kB of gzip */
		assert_int_equal(gzwrite(gz, zeros, sizeof(zeros)), (int)sizeof(zeros));
	assert_int_equal(gzclose(gz), Z_OK);
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, -8, SEEK_END), 0); /* the CRC and length */
	assert_int_equal(fwrite("garbage!", 1, 8, f), 8);
	fclose(f);

	struct sniff s;
	struct err e = { 0 };
	assert_int_equal(sniff_file(path, &s, &e), 0);
	assert_true(s.gzip);
	assert_int_equal(s.kind, KIND_UNKNOWN);
	sniff_release(&s);
	/* the whole check still finds it */
	assert_int_equal(sniff_file(path, &s, &e), 0);
	assert_int_equal(sniff_gzip_check(path, &s, &e), -1);
	assert_contains(e.msg, "corrupt");
	sniff_release(&s);
	free(path);
}

/* A gzip whose very first block is broken fails the sniff itself. */
static void test_sniff_gzip_broken_head_fails(void **state)
{
	const struct dir *d = *state;
	static const unsigned char broken[] = { 0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03,
						0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	char *path = write_file(d, "broken.csv.gz", broken, sizeof(broken));
	struct sniff s;
	struct err e = { 0 };
	assert_int_equal(sniff_file(path, &s, &e), -1);
	assert_contains(e.msg, "broken.csv.gz");
	assert_contains(e.msg, "gzip");
	free(path);
}

static void test_sniff_kinds(void **state)
{
	const struct dir *d = *state;
	struct sniff s;
	struct err e = { 0 };

	char *empty = write_file(d, "empty.csv", "", 0);
	assert_int_equal(sniff_file(empty, &s, &e), 0);
	assert_int_equal(s.kind, KIND_EMPTY);
	sniff_release(&s);

	char *blank = write_file(d, "blank.csv", "\xEF\xBB\xBF \r\n\n", 7);
	assert_int_equal(sniff_file(blank, &s, &e), 0);
	assert_int_equal(s.kind, KIND_EMPTY);
	sniff_release(&s);

	const char json[] = "  {\"reportId\": \"x\", \"reportKeys\": []}\n";
	char *manifest = write_file(d, "manifest.csv", json, sizeof(json) - 1);
	assert_int_equal(sniff_file(manifest, &s, &e), 0);
	assert_int_equal(s.kind, KIND_JSON);
	sniff_release(&s);

	char *gzjson = write_gzip(d, "manifest.json.gz", "[1, 2]");
	assert_int_equal(sniff_file(gzjson, &s, &e), 0);
	assert_int_equal(s.kind, KIND_JSON);
	assert_true(s.gzip);
	sniff_release(&s);

	const char par[] = "PAR1\x15\x04\x15";
	char *parquet = write_file(d, "data.csv", par, sizeof(par) - 1); /* the name lies */
	assert_int_equal(sniff_file(parquet, &s, &e), 0);
	assert_int_equal(s.kind, KIND_PARQUET);
	sniff_release(&s);

	const char bin[] = "ab\0cd\0ef";
	char *binary = write_file(d, "bin.csv", bin, sizeof(bin) - 1);
	assert_int_equal(sniff_file(binary, &s, &e), 0);
	assert_int_equal(s.kind, KIND_UNKNOWN);
	sniff_release(&s);

	char missing[300];
	snprintf(missing, sizeof(missing), "%s/no-such-file.csv", d->path);
	assert_int_equal(sniff_file(missing, &s, &e), -1);
	assert_contains(e.msg, "no-such-file.csv");
	sniff_release(&s);

	free(empty);
	free(blank);
	free(manifest);
	free(gzjson);
	free(parquet);
	free(binary);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_split_plain),
		cmocka_unit_test(test_split_quotes),
		cmocka_unit_test(test_split_empty_fields),
		cmocka_unit_test(test_split_x01),
		cmocka_unit_test(test_guess_delimiter),
	};
	const struct CMUnitTest files[] = {
		cmocka_unit_test(test_sniff_csv_with_bom_and_crlf),
		cmocka_unit_test(test_sniff_gzip_x01),
		cmocka_unit_test(test_sniff_truncated_gzip_fails),
		cmocka_unit_test(test_sniff_gzip_reads_only_the_head),
		cmocka_unit_test(test_sniff_gzip_broken_head_fails),
		cmocka_unit_test(test_sniff_kinds),
	};
	int failed = cmocka_run_group_tests_name("sniff", pure, NULL, NULL);
	failed += cmocka_run_group_tests_name("sniff_file", files, dir_setup, dir_teardown);
	return failed;
}
