/*
 * test-escape.c - terminal-safe escaping of kernel-provided strings:
 * control bytes, escape sequences, backslashes, C1 controls written as
 * UTF-8, invalid UTF-8, valid UTF-8 passthrough, and text_width().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "render/escape.h"

static void check_escape(const char *s, size_t n, const char *want)
{
	struct buf b = BUF_INIT;

	assert_int_equal(escape_text(s, n, &b), 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, want);
	assert_int_equal(b.len, strlen(want));
	buf_free(&b);
}

#define CHECK(lit, want) check_escape(lit, sizeof(lit) - 1, want)

static void test_plain(void **state)
{
	(void)state;
	CHECK("", "");
	CHECK("kmalloc-256", "kmalloc-256");
	CHECK(" !\"#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}~",
	      " !\"#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}~");
}

static void test_terminal_sequences(void **state)
{
	(void)state;
	CHECK("\033]0;x\007", "\\x1b]0;x\\x07");
	CHECK("\033[2J\033[H", "\\x1b[2J\\x1b[H");
	CHECK("a\nb\tc\rd", "a\\nb\\tc\\rd");
	CHECK("\\", "\\\\");
	CHECK("C:\\x1b", "C:\\\\x1b");
	CHECK("\x7f", "\\x7f");
	CHECK("a\0b", "a\\x00b");
}

static void test_all_controls(void **state)
{
	char one[1], want[8];
	int c;

	(void)state;
	for (c = 0; c < 0x20; c++) {
		one[0] = (char)c;
		if (c == '\n')
			strcpy(want, "\\n");
		else if (c == '\t')
			strcpy(want, "\\t");
		else if (c == '\r')
			strcpy(want, "\\r");
		else
			snprintf(want, sizeof(want), "\\x%02x", c);
		check_escape(one, 1, want);
	}
}

static void test_c1_controls(void **state)
{
	(void)state;
	CHECK("\xc2\x85", "\\xc2\\x85");         /* NEL */
	CHECK("\xc2\x9b" "31m", "\\xc2\\x9b" "31m"); /* CSI */
	CHECK("\xc2\x80", "\\xc2\\x80");         /* first C1 */
	CHECK("\xc2\x9f", "\\xc2\\x9f");         /* last C1 */
	CHECK("\xc2\x9d" "0;t\xc2\x9c", "\\xc2\\x9d" "0;t\\xc2\\x9c"); /* OSC .. ST */
	CHECK("\xc2\xa0", "\xc2\xa0");           /* NBSP is not a control */
	CHECK("\xc2\xbf", "\xc2\xbf");
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	CHECK("\x80", "\\x80");
	CHECK("\xff", "\\xff");
	CHECK("a\xfe" "b", "a\\xfe" "b");
	CHECK("\xc0\xaf", "\\xc0\\xaf");               /* overlong '/' */
	CHECK("\xe0\x80\xaf", "\\xe0\\x80\\xaf");       /* overlong */
	CHECK("\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf");
	CHECK("\xed\xa0\x80", "\\xed\\xa0\\x80");       /* surrogate */
	CHECK("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"); /* > U+10FFFF */
	CHECK("\xe2\x82", "\\xe2\\x82");               /* truncated at end */
	CHECK("\xe2\x82" "x", "\\xe2\\x82" "x");        /* truncated mid-string */
	CHECK("\xc3", "\\xc3");
	CHECK("\xf0\x9f\x98\xe2\x82\xac", "\\xf0\\x9f\\x98\xe2\x82\xac");
	CHECK("\xc2\n", "\\xc2\\n");
}

static void test_valid_utf8(void **state)
{
	(void)state;
	CHECK("\xc3\xa9t\xc3\xa9", "\xc3\xa9t\xc3\xa9");
	CHECK("\xe2\x82\xac", "\xe2\x82\xac");
	CHECK("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");
	CHECK("\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf",
	      "\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf");
	CHECK("\xf0\x90\x80\x80\xf4\x8f\xbf\xbf", "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf");
	CHECK("\xdf\xbf", "\xdf\xbf");
}

static void test_appends(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(buf_append(&b, "name=", 5), 0);
	assert_int_equal(escape_text("a\033b", 3, &b), 0);
	assert_string_equal(b.data, "name=a\\x1bb");
	assert_int_equal(escape_text("", 0, &b), 0);
	assert_string_equal(b.data, "name=a\\x1bb");
	buf_free(&b);
}

/* Whatever the input, the output is printable ASCII or valid UTF-8
 * without C0/C1 controls. */
static void test_all_bytes_safe(void **state)
{
	struct buf b = BUF_INIT;
	char all[256];
	size_t i;

	(void)state;
	for (i = 0; i < 256; i++)
		all[i] = (char)i;
	assert_int_equal(escape_text(all, sizeof(all), &b), 0);
	for (i = 0; i < b.len; i++) {
		unsigned char c = (unsigned char)b.data[i];

		assert_true(c >= 0x20 && c < 0x7f);
	}
	/* 0x20..0x7e except '\\' pass, '\\' doubles, \t \n \r take 2,
	 * the other 126 bytes take 4 each. */
	assert_int_equal(b.len, 94 + 2 + 3 * 2 + (256 - 95 - 3) * 4);
	buf_free(&b);
}

static void check_label(const char *s, size_t n, const char *want)
{
	struct buf b = BUF_INIT;

	assert_int_equal(escape_label(s, n, &b), 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, want);
	assert_int_equal(b.len, strlen(want));
	buf_free(&b);
}

#define LABEL(lit, want) check_label(lit, sizeof(lit) - 1, want)

/* OpenMetrics label values: the format's escapes for \, " and newline;
 * \xHH text (its backslash escaped) for other controls and bad UTF-8. */
static void test_label(void **state)
{
	(void)state;
	LABEL("", "");
	LABEL("kmalloc-256", "kmalloc-256");
	LABEL("we\"ird\\cache", "we\\\"ird\\\\cache");
	LABEL("a\nb", "a\\nb");
	LABEL("tab\there", "tab\\\\x09here");
	LABEL("\033[31m", "\\\\x1b[31m");
	LABEL("del\x7f", "del\\\\x7f");
	LABEL("caf\xc3\xa9", "caf\xc3\xa9");
	LABEL("bad\xff", "bad\\\\xff");
	LABEL("c1\xc2\x9b", "c1\\\\xc2\\\\x9b");
	LABEL("nul\0x", "nul\\\\x00x");
}

/* Every byte value alone: no raw control byte, quote or lone backslash
 * survives (a backslash is always followed by \\, " or n). */
static void test_label_all_bytes(void **state)
{
	(void)state;
	for (int c = 0; c < 256; c++) {
		char in = (char)c;
		struct buf b = BUF_INIT;

		assert_int_equal(escape_label(&in, 1, &b), 0);
		for (size_t i = 0; i < b.len; i++) {
			unsigned char u = (unsigned char)b.data[i];

			assert_true(u >= 0x20 && u != 0x7f && u < 0x80);
			if (u == '"')
				assert_true(i > 0 && b.data[i - 1] == '\\');
			if (u == '\\') {
				assert_true(i + 1 < b.len);
				assert_true(b.data[i + 1] == '\\' || b.data[i + 1] == '"' || b.data[i + 1] == 'n');
				i++;
			}
		}
		buf_free(&b);
	}
}

static void test_text_width(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(text_width(""), 0);
	assert_int_equal(text_width(NULL), 0);
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width("\xc3\xa9t\xc3\xa9"), 3);
	assert_int_equal(text_width("\xe2\x82\xac\xf0\x9f\x98\x80"), 2);
	assert_int_equal(escape_text("\033]0;x\007", 6, &b), 0);
	assert_int_equal(text_width(b.data), strlen("\\x1b]0;x\\x07"));
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_terminal_sequences),
		cmocka_unit_test(test_all_controls),
		cmocka_unit_test(test_c1_controls),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_valid_utf8),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_all_bytes_safe),
		cmocka_unit_test(test_text_width),
		cmocka_unit_test(test_label),
		cmocka_unit_test(test_label_all_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
