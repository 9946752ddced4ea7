/*
 * test-table.c - text tables (alignment, -o selection, raw, noheadings,
 * bytes, escaping, colour) and unit formatting.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/table.h"
#include "render/units.h"

/* Render t with opts into a malloc'd string. */
static char *render(const struct table *t, struct table_opts o)
{
	char *mem = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&mem, &n);

	assert_non_null(f);
	assert_int_equal(table_print(t, f, &o), 0);
	fclose(f);
	return mem;
}

static struct table *sample(void)
{
	struct table *t = table_new("zones");
	int zone = table_add_column(t, "ZONE", TABLE_STR, 0, "zone name");
	int fr = table_add_column(t, "FREE", TABLE_BYTES, TABLE_RIGHT, "free memory");
	int pg = table_add_column(t, "PAGES", TABLE_U64, TABLE_RIGHT, "pages");
	int hid = table_add_column(t, "HIDDEN", TABLE_I64, TABLE_RIGHT | TABLE_HIDDEN, "only with -o");

	assert_true(hid == 3);
	table_new_row(t);
	table_set_str(t, zone, "DMA");
	table_set_u64(t, fr, 15u << 20);
	table_set_u64(t, pg, 3840);
	table_set_i64(t, hid, -5);
	table_new_row(t);
	table_set_str(t, zone, "Normal");
	table_set_u64(t, fr, 1610612736ull);
	/* PAGES left unset: prints "-" */
	return t;
}

static void aligned_output(void **state)
{
	struct table *t = sample();
	char *s = render(t, (struct table_opts){ 0 });

	(void)state;
	assert_string_equal(s,
		"ZONE     FREE PAGES\n"
		"DMA     15MiB  3840\n"
		"Normal 1.5GiB     -\n");
	free(s);
	table_free(t);
}

static void bytes_raw_noheadings(void **state)
{
	struct table *t = sample();
	char *s;

	(void)state;
	s = render(t, (struct table_opts){ .bytes = true });
	assert_non_null(strstr(s, "1610612736"));
	free(s);
	s = render(t, (struct table_opts){ .raw = true, .noheadings = true });
	assert_string_equal(s, "DMA 15MiB 3840\nNormal 1.5GiB -\n");
	free(s);
	table_free(t);
}

static void select_columns(void **state)
{
	struct table *t = sample();
	char *s;

	(void)state;
	assert_true(table_knows(t, "free", 4));
	assert_false(table_knows(t, "nosuch", 6));
	/* Spec order wins, case-insensitive, unknown names ignored, hidden shown when named. */
	assert_int_equal(table_select(t, "pages,hidden,nosuch,zone"), 3);
	s = render(t, (struct table_opts){ .raw = true });
	assert_string_equal(s, "PAGES HIDDEN ZONE\n3840 -5 DMA\n- - Normal\n");
	free(s);
	assert_int_equal(table_select(t, "nosuch"), 0);
	s = render(t, (struct table_opts){ 0 });
	assert_string_equal(s, "");
	free(s);
	table_free(t);
}

static void strings_are_escaped(void **state)
{
	struct table *t = table_new("x");
	int c = table_add_column(t, "NAME", TABLE_STR, 0, "");
	char *s;

	(void)state;
	table_new_row(t);
	table_set_str(t, c, "evil\033]0;pwned\007 name\n");
	s = render(t, (struct table_opts){ .noheadings = true });
	assert_null(strchr(s, '\033'));
	assert_null(strchr(s, '\007'));
	assert_non_null(strstr(s, "evil\\x1b]0;pwned\\x07 name\\n"));
	free(s);
	/* Raw output escapes blanks too, so each value stays one field. */
	s = render(t, (struct table_opts){ .noheadings = true, .raw = true });
	assert_non_null(strstr(s, "\\x07\\x20name"));
	free(s);
	table_free(t);
}

static void colour_only_when_asked(void **state)
{
	struct table *t = sample();
	char *s;

	(void)state;
	table_set_color(t, 2, TABLE_COLOR_BAD);
	s = render(t, (struct table_opts){ 0 });
	assert_null(strchr(s, '\033'));
	free(s);
	s = render(t, (struct table_opts){ .color = true });
	assert_non_null(strstr(s, "\033[1m"));     /* bold heading */
	assert_non_null(strstr(s, "\033[1;31m"));  /* the BAD cell */
	free(s);
	s = render(t, (struct table_opts){ .color = true, .raw = true });
	assert_null(strchr(s, '\033'));
	free(s);
	table_free(t);
}

static void units(void **state)
{
	char b[UNITS_BUFSZ], g[UNITS_BUFSZ + 8];

	(void)state;
	assert_string_equal(units_bytes(0, b), "0B");
	assert_string_equal(units_bytes(1023, b), "1023B");
	assert_string_equal(units_bytes(1024, b), "1KiB");
	assert_string_equal(units_bytes(1536, b), "1.5KiB");
	/* Truncated, never rounded up: 1.99 GiB prints 1.9GiB. */
	assert_string_equal(units_bytes(2147483647ull, b), "1.9GiB");
	assert_string_equal(units_bytes(24684084ull * 1024, b), "23.5GiB");
	assert_string_equal(units_bytes(UINT64_MAX, b), "15.9EiB");
	assert_string_equal(units_group(0, g), "0");
	assert_string_equal(units_group(1234567, g), "1,234,567");
	assert_string_equal(units_group(100, g), "100");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(aligned_output),
		cmocka_unit_test(bytes_raw_noheadings),
		cmocka_unit_test(select_columns),
		cmocka_unit_test(strings_are_escaped),
		cmocka_unit_test(colour_only_when_asked),
		cmocka_unit_test(units),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
