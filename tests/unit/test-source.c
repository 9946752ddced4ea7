/*
 * test-source.c - the root-relative source layer: reads under a root,
 * missing files, directories, large files, sorted listings, and that a
 * snapshot's symlinks cannot lead outside its root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse/source.h"

static char tmpdir[256];

static void put(const char *rel, const char *data, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static int setup(void **state)
{
	char path[512];

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/fragscope-test-source-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(path, sizeof(path), "%s/proc", tmpdir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/secret", tmpdir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void reads_under_root(void **state)
{
	struct source *src;
	struct buf b = BUF_INIT;

	(void)state;
	put("proc/meminfo", "MemTotal: 1 kB\n", 15);
	assert_int_equal(source_open(tmpdir, &src), 0);
	assert_false(source_is_live(src));
	assert_int_equal(source_read(src, "proc/meminfo", &b), 0);
	assert_int_equal(b.len, 15);
	assert_string_equal(b.data, "MemTotal: 1 kB\n");
	/* A leading slash means the same thing. */
	assert_int_equal(source_read(src, "/proc/meminfo", &b), 0);
	assert_int_equal(b.len, 15);
	assert_int_equal(source_read(src, "proc/nope", &b), -ENOENT);
	assert_int_equal(source_read(src, "proc", &b), -EISDIR);
	buf_free(&b);
	source_free(src);
}

static void display_paths(void **state)
{
	struct source *src;
	char root[300];

	(void)state;
	snprintf(root, sizeof(root), "%s///", tmpdir);
	assert_int_equal(source_open(root, &src), 0);
	/* Trailing slashes are dropped from the root. */
	assert_string_equal(source_root(src), tmpdir);
	assert_true(strstr(source_display(src, "proc/meminfo"), "/proc/meminfo") != NULL);
	assert_int_equal(strncmp(source_display(src, "proc/meminfo"), tmpdir, strlen(tmpdir)), 0);
	source_free(src);
	assert_int_equal(source_open("/", &src), 0);
	assert_true(source_is_live(src));
	assert_string_equal(source_display(src, "proc/meminfo"), "/proc/meminfo");
	source_free(src);
}

static void large_file_grows(void **state)
{
	size_t n = 3 * 1024 * 1024 + 17;
	char *data = malloc(n);
	struct source *src;
	struct buf b = BUF_INIT;

	(void)state;
	assert_non_null(data);
	for (size_t i = 0; i < n; i++)
		data[i] = (char)('a' + i % 26);
	put("proc/big", data, n);
	assert_int_equal(source_open(tmpdir, &src), 0);
	assert_int_equal(source_read(src, "proc/big", &b), 0);
	assert_int_equal(b.len, n);
	assert_memory_equal(b.data, data, n);
	assert_int_equal(b.data[n], '\0');
	buf_free(&b);
	source_free(src);
	free(data);
}

static void symlinks_stay_inside_root(void **state)
{
	struct source *src;
	struct buf b = BUF_INIT;
	char path[512];

	(void)state;
	/* An absolute symlink resolves inside the root, so /etc/hostname
	 * means ROOT/etc/hostname, which does not exist. */
	snprintf(path, sizeof(path), "%s/proc/abs", tmpdir);
	assert_int_equal(symlink("/etc/hostname", path), 0);
	snprintf(path, sizeof(path), "%s/proc/rel", tmpdir);
	assert_int_equal(symlink("../../../../../../../../etc/hostname", path), 0);
	assert_int_equal(source_open(tmpdir, &src), 0);
	assert_int_equal(source_read(src, "proc/abs", &b), -ENOENT);
	assert_int_equal(source_read(src, "proc/rel", &b), -ENOENT);
	/* A symlink within the root works. */
	put("proc/target", "x\n", 2);
	snprintf(path, sizeof(path), "%s/proc/inside", tmpdir);
	assert_int_equal(symlink("target", path), 0);
	assert_int_equal(source_read(src, "proc/inside", &b), 0);
	assert_string_equal(b.data, "x\n");
	buf_free(&b);
	source_free(src);
}

static void listing_is_sorted(void **state)
{
	struct source *src;
	char **names;
	size_t n;

	(void)state;
	put("proc/zz", "", 0);
	put("proc/aa", "", 0);
	assert_int_equal(source_open(tmpdir, &src), 0);
	assert_int_equal(source_list(src, "proc", &names, &n), 0);
	assert_true(n >= 2);
	for (size_t i = 1; i < n; i++)
		assert_true(strcmp(names[i - 1], names[i]) < 0);
	assert_null(names[n]);
	source_names_free(names);
	assert_int_equal(source_list(src, "nodir", &names, &n), -ENOENT);
	source_free(src);
}

static void missing_root(void **state)
{
	struct source *src = NULL;

	(void)state;
	assert_int_equal(source_open("/nonexistent-fragscope-root", &src), -ENOENT);
	assert_null(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_under_root),
		cmocka_unit_test(display_paths),
		cmocka_unit_test(large_file_grows),
		cmocka_unit_test(symlinks_stay_inside_root),
		cmocka_unit_test(listing_is_sorted),
		cmocka_unit_test(missing_root),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
