/*
 * test-vmstat.c - vmstat_parse() over real /proc/vmstat captures from
 * 2.6.16 to 6.18, plus malformed and truncated inputs.  Every expected
 * value below was read by hand from the fixture file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fixture.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/kv.h"
#include "parse/parse.h"


static void parse_fixture(const char *rel, struct kvlist *l)
{
	struct parse_error perr = { 0 };
	size_t len;
	char *buf = fixture_read(rel, &len);
	int r = vmstat_parse(buf, len, rel, l, &perr);

	if (r < 0)
		fail_msg("%s:%u: %s (%d)", rel, perr.line, perr.what, r);
	free(buf);
}

/* Entry at position i (0-based, file order). */
static void check_at(const struct kvlist *l, size_t i, const char *name,
		     uint64_t value)
{
	assert_true(i < l->n);
	assert_string_equal(l->items[i].name, name);
	assert_int_equal(l->items[i].value, value);
}

static void check_get(const struct kvlist *l, const char *name, uint64_t value)
{
	uint64_t v;

	if (!kvlist_get(l, name, &v))
		fail_msg("counter '%s' missing", name);
	assert_int_equal(v, value);
}

static void test_this_machine(void **state)
{
	struct kvlist l;

	(void)state;
	parse_fixture("kernel/this-machine/vmstat", &l);
	assert_int_equal(l.n, 192);
	check_at(&l, 0, "nr_free_pages", 872864);
	check_at(&l, 1, "nr_free_pages_blocks", 849920);
	check_at(&l, 2, "nr_zone_inactive_anon", 19958);
	check_at(&l, 99, "pgreuse", 136575);
	check_at(&l, 190, "direct_map_level3_collapses", 0);
	check_at(&l, 191, "nr_unstable", 0);
	check_get(&l, "pgalloc_normal", 746931);
	check_get(&l, "pgfault", 793097);
	check_get(&l, "pgmajfault", 322);
	check_get(&l, "compact_stall", 0);
	check_get(&l, "thp_fault_alloc", 0);
	assert_null(kvlist_find(&l, "nr_slab"));
	kvlist_free(&l);
}

/* ARMv4T 2.6.16: 43 counters, nr_dirty first, no nr_free_pages. */
static void test_d2000_2_6_16(void **state)
{
	struct kvlist l;

	(void)state;
	parse_fixture("kernel/RandolphWang1-D2000/vmstat", &l);
	assert_int_equal(l.n, 43);
	check_at(&l, 0, "nr_dirty", 0);
	check_at(&l, 3, "nr_page_table_pages", 10);
	check_at(&l, 5, "nr_slab", 607);
	check_at(&l, 13, "pgalloc_dma", 5712);
	check_at(&l, 14, "pgfree", 11124);
	check_at(&l, 17, "pgfault", 5536);
	check_at(&l, 18, "pgmajfault", 36);
	check_at(&l, 42, "nr_bounce", 0);
	assert_null(kvlist_find(&l, "nr_free_pages"));
	kvlist_free(&l);
}

/* RHEL9 5.14: 152 counters ending with nr_unstable. */
static void test_issabel_rhel9(void **state)
{
	struct kvlist l;

	(void)state;
	parse_fixture("kernel/Marioromeo7-issabel/vmstat", &l);
	assert_int_equal(l.n, 152);
	check_at(&l, 0, "nr_free_pages", 744407);
	check_at(&l, 1, "nr_zone_inactive_anon", 98637);
	check_at(&l, 65, "pgalloc_normal", 5696080);
	check_at(&l, 79, "pgfault", 4870749);
	check_at(&l, 150, "swap_ra_hit", 0);
	check_at(&l, 151, "nr_unstable", 0);
	check_get(&l, "pgmajfault", 3133);
	check_get(&l, "thp_fault_alloc", 1346);
	kvlist_free(&l);
}

/* 32-bit ARM 3.4 with HighMem counters. */
static void test_goclever_arm32(void **state)
{
	struct kvlist l;

	(void)state;
	parse_fixture("kernel/GoCleverInsignia5-i5_info/vmstat", &l);
	assert_int_equal(l.n, 73);
	check_at(&l, 0, "nr_free_pages", 51698);
	check_at(&l, 27, "nr_dirty_threshold", 19290);
	check_at(&l, 33, "pgalloc_normal", 193656);
	check_at(&l, 34, "pgalloc_high", 347327);
	check_at(&l, 39, "pgfault", 5342442);
	check_at(&l, 72, "unevictable_pgs_mlockfreed", 0);
	check_get(&l, "unevictable_pgs_mlocked", 53775);
	kvlist_free(&l);
}

static void test_details(void **state)
{
	static const char in[] =
		"\n"
		"a 1\n"
		"   \t\n"
		"b\t18446744073709551615\r\n"
		"a 2\n"
		"  c   3  \n"
		"d 0";
	struct parse_error perr = { 0 };
	struct kvlist l;

	(void)state;
	assert_int_equal(vmstat_parse(in, sizeof(in) - 1, "v", &l, &perr), 0);
	assert_int_equal(l.n, 5);
	check_at(&l, 0, "a", 1);
	check_at(&l, 1, "b", UINT64_MAX);
	check_at(&l, 2, "a", 2);
	check_at(&l, 3, "c", 3);
	check_at(&l, 4, "d", 0);
	check_get(&l, "a", 1);
	kvlist_free(&l);
}

struct bad_case {
	const char *in;
	size_t len;
	int rc;
	unsigned line;
};

#define BAD(s, rc, line) { s, sizeof(s) - 1, rc, line }

static const struct bad_case bad_cases[] = {
	BAD("", -EINVAL, 0),
	BAD("\n \n\t\n", -EINVAL, 0),
	BAD("nr_free_pages\n", -EINVAL, 1),
	BAD("nr_free_pages 5\nnr_ina", -EINVAL, 2),
	BAD("nr_free_pages 12 34\n", -EINVAL, 1),
	BAD("nr_free_pages 12 kB\n", -EINVAL, 1),
	BAD("nr_free_pages -1\n", -EINVAL, 1),
	BAD("nr_free_pages +1\n", -EINVAL, 1),
	BAD("nr_free_pages 0x10\n", -EINVAL, 1),
	BAD("nr_free_pages 1.5\n", -EINVAL, 1),
	/* a meminfo-style line is not a vmstat counter */
	BAD("nr_free_pages: 5\n", -EINVAL, 1),
	BAD("a 1\nb 2\nc 18446744073709551616\n", -ERANGE, 3),
	BAD("a 1\nb 99999999999999999999999\n", -ERANGE, 2),
	BAD("nr_free_pages 1\0\n", -EINVAL, 1),
	BAD("\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0", -EINVAL, 1),
	BAD("a 1\n\xff\xfe 2\n", -EINVAL, 2),
};

static void test_bad_input(void **state)
{
	static const char file[] = "/proc/vmstat";
	int sentinel;

	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct parse_error perr = { 0 };
		struct kvlist l = { .items = (void *)&sentinel, .n = 3, .cap = 4 };
		int r = vmstat_parse(c->in, c->len, file, &l, &perr);

		if (r != c->rc || perr.line != c->line)
			fail_msg("case %zu: rc %d line %u (%s), expected rc %d line %u",
				 i, r, perr.line, perr.what, c->rc, c->line);
		assert_ptr_equal(perr.file, file);
		assert_true(perr.what[0] != '\0');
		for (const char *p = perr.what; *p; p++)
			assert_true(*p >= 0x20 && *p < 0x7f);
		assert_ptr_equal(l.items, &sentinel);
		assert_int_equal(l.n, 3);
		assert_int_equal(l.cap, 4);
	}
	{
		struct kvlist l = { 0 };

		assert_int_equal(vmstat_parse("x y\n", 4, "v", &l, NULL), -EINVAL);
		assert_null(l.items);
	}
}

/*
 * A re-parse over the last model (what a live view does every refresh)
 * gives what a fresh parse gives, whatever the last file was: the same
 * file again, fewer counters, more, other names; and a bad file leaves
 * the list empty.  ASan checks that names kept or dropped are not lost.
 */
static void test_reparse(void **state)
{
	static const char *const seq[] = {
		"kernel/this-machine/vmstat", "kernel/this-machine/vmstat",
		"kernel/RandolphWang1-D2000/vmstat", "kernel/Marioromeo7-issabel/vmstat",
		"kernel/this-machine/vmstat", "kernel/GoCleverInsignia5-i5_info/vmstat",
	};
	struct parse_error perr = { 0 };
	struct kvlist re = { 0 }, fresh;

	(void)state;
	for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		size_t len;
		char *buf = fixture_read(seq[i], &len);

		parse_fixture(seq[i], &fresh);
		assert_int_equal(vmstat_reparse(buf, len, seq[i], &re, &perr), 0);
		assert_int_equal(re.n, fresh.n);
		for (size_t k = 0; k < fresh.n; k++) {
			assert_string_equal(re.items[k].name, fresh.items[k].name);
			assert_int_equal(re.items[k].value, fresh.items[k].value);
		}
		kvlist_free(&fresh);
		free(buf);
	}
	assert_true(vmstat_reparse("nr_free_pages 1\nbad", 19, "x", &re, &perr) < 0);
	assert_int_equal(re.n, 0);
	assert_null(re.items);
	assert_int_equal(vmstat_reparse("a 1\nb 2\n", 8, "x", &re, &perr), 0);
	assert_int_equal(re.n, 2);
	check_at(&re, 1, "b", 2);
	kvlist_free(&re);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_this_machine),
		cmocka_unit_test(test_reparse),
		cmocka_unit_test(test_d2000_2_6_16),
		cmocka_unit_test(test_issabel_rhel9),
		cmocka_unit_test(test_goclever_arm32),
		cmocka_unit_test(test_details),
		cmocka_unit_test(test_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
