/*
 * test-json.c - the streaming JSON writer: exact output for nesting,
 * separators and pretty printing, every escape and UTF-8 rule, number
 * formatting, misuse detection, and a cross-check that jq accepts (and
 * decodes back) documents full of hostile strings.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "render/json.h"
#include "util/util.h"

/* A writer on a memory stream; close() finishes and returns the text. */
struct cap {
	char *data;
	size_t len;
	FILE *f;
	struct json *j;
	int rc; /* json_finish() */
};

static struct json *cap_open(struct cap *c, bool pretty)
{
	memset(c, 0, sizeof(*c));
	c->f = open_memstream(&c->data, &c->len);
	assert_non_null(c->f);
	c->j = json_new(c->f, pretty);
	assert_non_null(c->j);
	return c->j;
}

static const char *cap_close(struct cap *c)
{
	c->rc = json_finish(c->j);
	json_free(c->j);
	assert_int_equal(fclose(c->f), 0);
	return c->data;
}

/* Finish, expect success and exactly want. */
static void cap_expect(struct cap *c, const char *want)
{
	cap_close(c);
	assert_int_equal(c->rc, 0);
	assert_string_equal(c->data, want);
	free(c->data);
}

/* Write s[0..n) as a single top-level string and compare. */
static void check_string(const char *s, size_t n, const char *want)
{
	struct cap c;

	json_string_len(cap_open(&c, false), s, n);
	cap_expect(&c, want);
}

#define EXPECT_STR(lit, want) check_string(lit, sizeof(lit) - 1, want)

static void build_sample(struct json *j)
{
	json_begin_object(j);
	json_kv_u64(j, "schema_version", 1);
	json_key(j, "free_pages");
	json_begin_array(j);
	json_u64(j, 3);
	json_u64(j, 5);
	json_begin_object(j);
	json_key(j, "n");
	json_null(j);
	json_end_object(j);
	json_begin_array(j);
	json_end_array(j);
	json_end_array(j);
	json_key(j, "empty");
	json_begin_object(j);
	json_end_object(j);
	json_kv_bool(j, "t", true);
	json_kv_bool(j, "f", false);
	json_kv_i64(j, "neg", -42);
	json_kv_string(j, "name", "Normal");
	json_kv_string(j, "none", NULL);
	json_key(j, "ratio");
	json_double(j, 0.125, 3);
	json_end_object(j);
}

static void test_header_example(void **state)
{
	struct cap c;
	struct json *j = cap_open(&c, false);

	(void)state;
	json_begin_object(j);
	json_key(j, "schema_version");
	json_u64(j, 1);
	json_key(j, "free_pages");
	json_begin_array(j);
	json_u64(j, 3);
	json_u64(j, 5);
	json_end_array(j);
	json_end_object(j);
	cap_expect(&c, "{\"schema_version\":1,\"free_pages\":[3,5]}\n");
}

static void test_compact_nesting(void **state)
{
	struct cap c;

	(void)state;
	build_sample(cap_open(&c, false));
	cap_expect(&c,
		   "{\"schema_version\":1,\"free_pages\":[3,5,{\"n\":null},[]],"
		   "\"empty\":{},\"t\":true,\"f\":false,\"neg\":-42,"
		   "\"name\":\"Normal\",\"none\":null,\"ratio\":0.125}\n");
}

static void test_pretty(void **state)
{
	struct cap c;

	(void)state;
	build_sample(cap_open(&c, true));
	cap_expect(&c,
		   "{\n"
		   "  \"schema_version\": 1,\n"
		   "  \"free_pages\": [\n"
		   "    3,\n"
		   "    5,\n"
		   "    {\n"
		   "      \"n\": null\n"
		   "    },\n"
		   "    []\n"
		   "  ],\n"
		   "  \"empty\": {},\n"
		   "  \"t\": true,\n"
		   "  \"f\": false,\n"
		   "  \"neg\": -42,\n"
		   "  \"name\": \"Normal\",\n"
		   "  \"none\": null,\n"
		   "  \"ratio\": 0.125\n"
		   "}\n");
}

static void test_pretty_empty_and_scalar(void **state)
{
	struct cap c;

	(void)state;
	json_begin_array(cap_open(&c, true));
	json_end_array(c.j);
	cap_expect(&c, "[]\n");
	json_begin_object(cap_open(&c, true));
	json_end_object(c.j);
	cap_expect(&c, "{}\n");
	json_string(cap_open(&c, true), "x");
	cap_expect(&c, "\"x\"\n");
}

static void test_top_level_scalars(void **state)
{
	struct cap c;

	(void)state;
	json_u64(cap_open(&c, false), 7);
	cap_expect(&c, "7\n");
	json_null(cap_open(&c, false));
	cap_expect(&c, "null\n");
	json_bool(cap_open(&c, false), true);
	cap_expect(&c, "true\n");
	json_string(cap_open(&c, false), "");
	cap_expect(&c, "\"\"\n");
	json_string(cap_open(&c, false), NULL);
	cap_expect(&c, "null\n");
}

static void test_ndjson(void **state)
{
	struct cap c;
	struct json *j = cap_open(&c, false);

	(void)state;
	json_begin_object(j);
	json_kv_u64(j, "a", 1);
	json_end_object(j);
	assert_int_equal(json_finish(j), 0);
	json_begin_object(j);
	json_kv_u64(j, "a", 2);
	json_end_object(j);
	cap_expect(&c, "{\"a\":1}\n{\"a\":2}\n");
}

static void test_short_escapes(void **state)
{
	(void)state;
	EXPECT_STR("\"", "\"\\\"\"\n");
	EXPECT_STR("\\", "\"\\\\\"\n");
	EXPECT_STR("\b", "\"\\b\"\n");
	EXPECT_STR("\f", "\"\\f\"\n");
	EXPECT_STR("\n", "\"\\n\"\n");
	EXPECT_STR("\r", "\"\\r\"\n");
	EXPECT_STR("\t", "\"\\t\"\n");
	EXPECT_STR("a/b", "\"a/b\"\n");
	EXPECT_STR("say \"hi\"\\\n", "\"say \\\"hi\\\"\\\\\\n\"\n");
}

static void test_all_control_chars(void **state)
{
	static const char *const want[32] = {
		"\\u0000", "\\u0001", "\\u0002", "\\u0003",
		"\\u0004", "\\u0005", "\\u0006", "\\u0007",
		"\\b", "\\t", "\\n", "\\u000b",
		"\\f", "\\r", "\\u000e", "\\u000f",
		"\\u0010", "\\u0011", "\\u0012", "\\u0013",
		"\\u0014", "\\u0015", "\\u0016", "\\u0017",
		"\\u0018", "\\u0019", "\\u001a", "\\u001b",
		"\\u001c", "\\u001d", "\\u001e", "\\u001f",
	};
	char in[32], expected[512];
	size_t i;

	(void)state;
	for (i = 0; i < 32; i++) {
		char one[3] = { 'x', (char)i, 'y' };
		char w[32];

		snprintf(w, sizeof(w), "\"x%sy\"\n", want[i]);
		check_string(one, sizeof(one), w);
		in[i] = (char)i;
	}
	/* All of them in one string. */
	strcpy(expected, "\"");
	for (i = 0; i < 32; i++)
		strcat(expected, want[i]);
	strcat(expected, "\"\n");
	check_string(in, sizeof(in), expected);
	EXPECT_STR("\x7f", "\"\\u007f\"\n");
	EXPECT_STR(" ~", "\" ~\"\n");
}

static void test_embedded_nul(void **state)
{
	(void)state;
	EXPECT_STR("a\0b", "\"a\\u0000b\"\n");
}

static void test_utf8_valid(void **state)
{
	(void)state;
	EXPECT_STR("\xc3\xa9", "\"\xc3\xa9\"\n");                 /* U+00E9 */
	EXPECT_STR("\xe2\x82\xac", "\"\xe2\x82\xac\"\n");         /* U+20AC */
	EXPECT_STR("\xf0\x9d\x84\x9e", "\"\xf0\x9d\x84\x9e\"\n"); /* U+1D11E */
	/* Boundaries of every length and around the surrogates. */
	EXPECT_STR("\xc2\x80", "\"\xc2\x80\"\n");                 /* U+0080 */
	EXPECT_STR("\xdf\xbf", "\"\xdf\xbf\"\n");                 /* U+07FF */
	EXPECT_STR("\xe0\xa0\x80", "\"\xe0\xa0\x80\"\n");         /* U+0800 */
	EXPECT_STR("\xed\x9f\xbf", "\"\xed\x9f\xbf\"\n");         /* U+D7FF */
	EXPECT_STR("\xee\x80\x80", "\"\xee\x80\x80\"\n");         /* U+E000 */
	EXPECT_STR("\xef\xbf\xbf", "\"\xef\xbf\xbf\"\n");         /* U+FFFF */
	EXPECT_STR("\xf0\x90\x80\x80", "\"\xf0\x90\x80\x80\"\n"); /* U+10000 */
	EXPECT_STR("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"\n"); /* U+10FFFF */
	EXPECT_STR("Zone \xc3\x9c" "ber \xe2\x82\xac\xf0\x9f\x98\x80!",
		   "\"Zone \xc3\x9c" "ber \xe2\x82\xac\xf0\x9f\x98\x80!\"\n");
}

#define R "\\ufffd"

static void test_utf8_invalid(void **state)
{
	(void)state;
	/* Stray continuation bytes: one replacement each. */
	EXPECT_STR("\x80", "\"" R "\"\n");
	EXPECT_STR("a\x80\xbf" "b", "\"a" R R "b\"\n");
	/* Bytes that never appear in UTF-8. */
	EXPECT_STR("\xc0", "\"" R "\"\n");
	EXPECT_STR("\xc1\xbf", "\"" R R "\"\n");
	EXPECT_STR("\xf5\x80\x80\x80", "\"" R R R R "\"\n");
	EXPECT_STR("\xfe\xff", "\"" R R "\"\n");
	/* Overlong forms: the lead byte cannot start them, so every
	 * byte is its own maximal subpart. */
	EXPECT_STR("\xc0\xaf", "\"" R R "\"\n");
	EXPECT_STR("\xe0\x80\xaf", "\"" R R R "\"\n");
	EXPECT_STR("\xe0\x9f\xbf", "\"" R R R "\"\n");
	EXPECT_STR("\xf0\x80\x80\xaf", "\"" R R R R "\"\n");
	EXPECT_STR("\xf0\x8f\xbf\xbf", "\"" R R R R "\"\n");
	/* Surrogates U+D800 and U+DFFF. */
	EXPECT_STR("\xed\xa0\x80", "\"" R R R "\"\n");
	EXPECT_STR("\xed\xbf\xbf", "\"" R R R "\"\n");
	/* Above U+10FFFF. */
	EXPECT_STR("\xf4\x90\x80\x80", "\"" R R R R "\"\n");
	/* Truncated sequences: the valid prefix is one subpart. */
	EXPECT_STR("\xc3", "\"" R "\"\n");
	EXPECT_STR("\xe2\x82", "\"" R "\"\n");
	EXPECT_STR("\xf0\x9f\x98", "\"" R "\"\n");
	EXPECT_STR("\xe2\x82x", "\"" R "x\"\n");
	EXPECT_STR("\xf0\x9f\x98\xe2\x82\xac", "\"" R "\xe2\x82\xac\"\n");
	EXPECT_STR("\xe2\x82\"", "\"" R "\\\"\"\n");
	EXPECT_STR("\xc3\n", "\"" R "\\n\"\n");
	/* The Unicode 15 table 3-8 example: 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64. */
	EXPECT_STR("\x61\xf1\x80\x80\xe1\x80\xc2\x62\x80\x63\x80\xbf\x64",
		   "\"a" R R R "b" R "c" R R "d\"\n");
}

static void test_keys_escaped(void **state)
{
	struct cap c;
	struct json *j = cap_open(&c, false);

	(void)state;
	json_begin_object(j);
	json_kv_u64(j, "a\"b\n\xff", 1);
	json_end_object(j);
	cap_expect(&c, "{\"a\\\"b\\n" R "\":1}\n");
}

/* Strings longer than one escape chunk, with sequences and invalid
 * subparts placed across every position of the cut. */
static void test_long_strings(void **state)
{
	static const char *const pieces[] = {
		"\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xc3\xa9", "\xf0\x9f\x98",
		"\xe2\x82", "\xed\xa0\x80", "\x80\x80\x80\x80\x80", "\"\\\n",
	};
	size_t p, shift;

	(void)state;
	for (p = 0; p < ARRAY_SIZE(pieces); p++) {
		for (shift = 0; shift < 8; shift++) {
			size_t plen = strlen(pieces[p]);
			size_t n = 4096 - 4 + shift + plen + 5000;
			char *s = malloc(n);
			struct buf want = BUF_INIT;
			struct cap c;
			size_t k;

			assert_non_null(s);
			memset(s, 'a', n);
			memcpy(s + 4096 - 4 + shift, pieces[p], plen);
			for (k = 4096 + 4000; k + plen < n; k += 997)
				memcpy(s + k, pieces[(p + k) % ARRAY_SIZE(pieces)], 2);
			assert_int_equal(buf_append(&want, "\"", 1), 0);
			assert_int_equal(json_escape(s, n, &want), 0);
			assert_int_equal(buf_append(&want, "\"\n", 2), 0);
			json_string_len(cap_open(&c, false), s, n);
			cap_expect(&c, want.data);
			buf_free(&want);
			free(s);
		}
	}
}

/* Escaped and plain strings, short and long, after separators. */
static void test_separators_with_strings(void **state)
{
	char lng[300];
	struct buf want = BUF_INIT;
	struct cap c;
	struct json *j;

	(void)state;
	j = cap_open(&c, false);
	json_begin_array(j);
	json_string(j, "a\n");
	json_string(j, "b");
	json_end_array(j);
	cap_expect(&c, "[\"a\\n\",\"b\"]\n");

	j = cap_open(&c, true);
	json_begin_object(j);
	json_kv_string(j, "k\t", "v\x01");
	json_key(j, "l");
	json_begin_array(j);
	json_string(j, "\xff");
	json_string(j, "x");
	json_end_array(j);
	json_end_object(j);
	cap_expect(&c, "{\n  \"k\\t\": \"v\\u0001\",\n  \"l\": [\n"
		       "    \"" R "\",\n    \"x\"\n  ]\n}\n");

	/* Around the length where the writer stops using its stack. */
	memset(lng, 'z', sizeof(lng));
	for (size_t n = 120; n < 140; n++) {
		j = cap_open(&c, false);
		json_begin_array(j);
		json_u64(j, 1);
		json_string_len(j, lng, n);
		json_end_array(j);
		buf_reset(&want);
		assert_int_equal(buf_append(&want, "[1,\"", 4), 0);
		assert_int_equal(buf_append(&want, lng, n), 0);
		assert_int_equal(buf_append(&want, "\"]\n", 3), 0);
		cap_expect(&c, want.data);
	}
	buf_free(&want);
}

static void test_escape_appends(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(buf_append(&b, "x=", 2), 0);
	assert_int_equal(json_escape("a\tb\x01\xff", 5, &b), 0);
	assert_string_equal(b.data, "x=a\\tb\\u0001\\ufffd");
	assert_int_equal(b.len, strlen(b.data));
	buf_reset(&b);
	assert_int_equal(json_escape("", 0, &b), 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	buf_free(&b);
}

static void test_integers(void **state)
{
	struct cap c;
	struct json *j = cap_open(&c, false);

	(void)state;
	json_begin_array(j);
	json_u64(j, 0);
	json_u64(j, 9);
	json_u64(j, 10);
	json_u64(j, 99);
	json_u64(j, 100);
	json_u64(j, 1000000007);
	json_u64(j, UINT64_MAX);
	json_i64(j, 0);
	json_i64(j, -1);
	json_i64(j, -10);
	json_i64(j, INT64_MAX);
	json_i64(j, INT64_MIN);
	json_i64(j, INT64_MIN + 1);
	json_end_array(j);
	cap_expect(&c, "[0,9,10,99,100,1000000007,18446744073709551615,"
		       "0,-1,-10,9223372036854775807,-9223372036854775808,"
		       "-9223372036854775807]\n");
}

static void test_integers_exhaustive_small(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < 100000; i += 7) {
		struct cap c;
		char want[32];

		json_u64(cap_open(&c, false), i);
		snprintf(want, sizeof(want), "%zu\n", i);
		cap_expect(&c, want);
		json_i64(cap_open(&c, false), -(int64_t)i);
		snprintf(want, sizeof(want), "%lld\n", -(long long)i);
		cap_expect(&c, want);
	}
}

static void test_doubles(void **state)
{
	struct cap c;
	struct json *j = cap_open(&c, false);

	(void)state;
	json_begin_array(j);
	json_double(j, 1.5, 2);
	json_double(j, 3.0, 0);
	json_double(j, -0.25, 2);
	json_double(j, 2.0 / 3.0, 4);
	json_double(j, 0.1, 17);
	json_double(j, 5.5, -3);  /* clamped to 0 decimals */
	json_double(j, NAN, 2);
	json_double(j, INFINITY, 2);
	json_double(j, -INFINITY, 2);
	json_double(j, 1e20, 1);
	json_end_array(j);
	cap_expect(&c, "[1.50,3,-0.25,0.6667,0.10000000000000001,6,null,null,null,"
		       "100000000000000000000.0]\n");
}

static void test_double_huge(void **state)
{
	struct cap c;

	(void)state;
	json_double(cap_open(&c, false), 1.7976931348623157e308, 17);
	cap_close(&c);
	assert_int_equal(c.rc, 0);
	/* 309 integer digits, '.', 17 decimals, newline */
	assert_int_equal(strlen(c.data), 309 + 1 + 17 + 1);
	assert_memory_equal(c.data, "179769313486231570", 18);
	free(c.data);
}

/* Run a misuse sequence; json_finish must fail and the output must be
 * exactly what was written before the mistake. */
static void expect_misuse(struct cap *c, const char *want)
{
	cap_close(c);
	assert_int_equal(c->rc, -EINVAL);
	assert_string_equal(c->data, want);
	free(c->data);
}

static void test_misuse(void **state)
{
	struct cap c;
	struct json *j;
	int i;

	(void)state;
	/* A key outside any object. */
	json_key(cap_open(&c, false), "k");
	expect_misuse(&c, "");
	/* A key inside an array, then more writes are ignored. */
	j = cap_open(&c, false);
	json_begin_array(j);
	json_key(j, "k");
	json_u64(j, 1);
	json_end_array(j);
	expect_misuse(&c, "[");
	/* A value where a key is due. */
	j = cap_open(&c, false);
	json_begin_object(j);
	json_u64(j, 1);
	json_end_object(j);
	expect_misuse(&c, "{");
	/* Two keys in a row. */
	j = cap_open(&c, false);
	json_begin_object(j);
	json_key(j, "a");
	json_key(j, "b");
	expect_misuse(&c, "{\"a\":");
	/* A NULL key. */
	j = cap_open(&c, false);
	json_begin_object(j);
	json_key(j, NULL);
	expect_misuse(&c, "{");
	/* Closing an object whose last key has no value. */
	j = cap_open(&c, false);
	json_begin_object(j);
	json_key(j, "a");
	json_end_object(j);
	expect_misuse(&c, "{\"a\":");
	/* Mismatched end. */
	j = cap_open(&c, false);
	json_begin_object(j);
	json_end_array(j);
	expect_misuse(&c, "{");
	/* An end with nothing open. */
	json_end_object(cap_open(&c, false));
	expect_misuse(&c, "");
	/* Unbalanced: finish with containers open. */
	j = cap_open(&c, false);
	json_begin_array(j);
	json_begin_array(j);
	json_end_array(j);
	expect_misuse(&c, "[[]");
	/* An empty document. */
	cap_open(&c, false);
	expect_misuse(&c, "");
	/* Two top-level values. */
	j = cap_open(&c, false);
	json_u64(j, 1);
	json_u64(j, 2);
	expect_misuse(&c, "1");
	/* Too deep. */
	j = cap_open(&c, false);
	for (i = 0; i < JSON_MAX_DEPTH + 1; i++)
		json_begin_array(j);
	for (i = 0; i < JSON_MAX_DEPTH + 1; i++)
		json_end_array(j);
	cap_close(&c);
	assert_int_equal(c.rc, -EINVAL);
	assert_int_equal(strlen(c.data), JSON_MAX_DEPTH);
	free(c.data);
	/* Once misused, a later finish still fails. */
	j = cap_open(&c, false);
	json_end_array(j);
	assert_int_equal(json_finish(j), -EINVAL);
	json_u64(j, 1);
	expect_misuse(&c, "");
}

static void test_max_depth_ok(void **state)
{
	struct cap c;
	struct json *j = cap_open(&c, false);
	int i;

	(void)state;
	for (i = 0; i < JSON_MAX_DEPTH; i++)
		json_begin_array(j);
	for (i = 0; i < JSON_MAX_DEPTH; i++)
		json_end_array(j);
	cap_close(&c);
	assert_int_equal(c.rc, 0);
	assert_int_equal(strlen(c.data), 2 * JSON_MAX_DEPTH + 1);
	free(c.data);
}

static void test_null_writer(void **state)
{
	(void)state;
	assert_null(json_new(NULL, false));
	json_free(NULL);
	json_u64(NULL, 1);
	json_string(NULL, "x");
	json_key(NULL, "x");
	json_end_object(NULL);
	assert_int_equal(json_finish(NULL), -EINVAL);
}

/* ---- jq cross-check ---- */

static bool have_jq(void)
{
	return system("command -v jq >/dev/null 2>&1") == 0;
}

static void write_nasty(struct json *j)
{
	static const char *const invalid[] = {
		"\x80", "\xc0\xaf", "\xe0\x80\xaf", "\xf0\x80\x80\xaf",
		"\xed\xa0\x80", "\xed\xbf\xbf", "\xf4\x90\x80\x80", "\xf5",
		"\xff", "\xe2\x82", "\xf0\x9f\x98", "\xc3",
	};
	char all[256], key[256], ascii[128];
	size_t i;

	for (i = 0; i < 256; i++)
		all[i] = (char)i;
	for (i = 0; i < 255; i++)
		key[i] = (char)(i + 1);
	key[255] = '\0';
	for (i = 0; i < 128; i++)
		ascii[i] = (char)i;
	json_begin_object(j);
	json_kv_u64(j, "schema_version", 1);
	json_key(j, "all_bytes");
	json_string_len(j, all, sizeof(all));
	json_key(j, "ascii");
	json_string_len(j, ascii, sizeof(ascii));
	json_key(j, key);        /* every byte 0x01..0xff as a key */
	json_u64(j, UINT64_MAX);
	json_kv_i64(j, "min", INT64_MIN);
	json_key(j, "invalid");
	json_begin_array(j);
	for (i = 0; i < ARRAY_SIZE(invalid); i++)
		json_string(j, invalid[i]);
	json_end_array(j);
	json_key(j, "doubles");
	json_begin_array(j);
	json_double(j, 1.7976931348623157e308, 3);
	json_double(j, -1e-300, 17);
	json_double(j, NAN, 1);
	json_double(j, -0.0, 2);
	json_end_array(j);
	json_key(j, "deep");
	for (i = 0; i < JSON_MAX_DEPTH - 2; i++)
		json_begin_array(j);
	json_string(j, "\033]0;pwned\007");
	for (i = 0; i < JSON_MAX_DEPTH - 2; i++)
		json_end_array(j);
	json_key(j, "empty_obj");
	json_begin_object(j);
	json_end_object(j);
	json_key(j, "empty_arr");
	json_begin_array(j);
	json_end_array(j);
	json_end_object(j);
}

static void run_jq_check(bool pretty)
{
	char path[] = "/tmp/fragscope-test-json-XXXXXX";
	char out[] = "/tmp/fragscope-test-json-out-XXXXXX";
	char cmd[256], got[256];
	struct json *j;
	FILE *f;
	size_t n, i;
	int fd, fdo;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	fdo = mkstemp(out);
	assert_true(fdo >= 0);
	close(fdo);
	f = fdopen(fd, "w");
	assert_non_null(f);
	j = json_new(f, pretty);
	assert_non_null(j);
	write_nasty(j);
	assert_int_equal(json_finish(j), 0);
	json_free(j);
	assert_int_equal(fclose(f), 0);

	snprintf(cmd, sizeof(cmd), "jq -e . '%s' >/dev/null", path);
	assert_int_equal(system(cmd), 0);
	/* jq decodes the ASCII string back to the same 128 bytes. */
	snprintf(cmd, sizeof(cmd), "jq -j .ascii '%s' > '%s'", path, out);
	assert_int_equal(system(cmd), 0);
	f = fopen(out, "rb");
	assert_non_null(f);
	n = fread(got, 1, sizeof(got), f);
	fclose(f);
	assert_int_equal(n, 128);
	for (i = 0; i < 128; i++)
		assert_int_equal((unsigned char)got[i], i);
	/* Every invalid input became exactly U+FFFD sequences, and the
	 * numbers survived. */
	snprintf(cmd, sizeof(cmd),
		 "jq -e '(.invalid | map(test(\"^\\ufffd+$\")) | all) and "
		 ".min == -9223372036854775808 and (.all_bytes | length) == 256 "
		 "and .schema_version == 1' '%s' >/dev/null", path);
	assert_int_equal(system(cmd), 0);
	unlink(out);
	unlink(path);
}

static void test_jq_compact(void **state)
{
	(void)state;
	if (!have_jq())
		skip();
	run_jq_check(false);
}

static void test_jq_pretty(void **state)
{
	(void)state;
	if (!have_jq())
		skip();
	run_jq_check(true);
}

/* ---- json_raw, json_mark / json_rollback ---- */

/* The same nested values, once through the calls and once as raw text. */
static void write_members(struct json *j, bool raw)
{
	static const char text[] =
		"{\"a\":1,\"s\":\"x,y:{[\\\"]}\",\"e\":[],\"o\":{},"
		"\"l\":[\"rd\",\"wr\",{\"k\":null}],\"n\":{\"t\":true,\"f\":false}}";

	if (raw) {
		json_raw(j, text, sizeof(text) - 1);
		return;
	}
	json_begin_object(j);
	json_kv_u64(j, "a", 1);
	json_kv_string(j, "s", "x,y:{[\"]}");
	json_key(j, "e");
	json_begin_array(j);
	json_end_array(j);
	json_key(j, "o");
	json_begin_object(j);
	json_end_object(j);
	json_key(j, "l");
	json_begin_array(j);
	json_string(j, "rd");
	json_string(j, "wr");
	json_begin_object(j);
	json_key(j, "k");
	json_null(j);
	json_end_object(j);
	json_end_array(j);
	json_key(j, "n");
	json_begin_object(j);
	json_kv_bool(j, "t", true);
	json_kv_bool(j, "f", false);
	json_end_object(j);
	json_end_object(j);
}

static char *doc_with(bool pretty, bool raw, size_t count)
{
	struct cap c;
	struct json *j = cap_open(&c, pretty);

	json_begin_object(j);
	json_key(j, "list");
	json_begin_array(j);
	for (size_t i = 0; i < count; i++)
		write_members(j, raw);
	json_end_array(j);
	json_key(j, "one");
	write_members(j, raw);
	json_key(j, "num");
	json_raw(j, "12", 2);
	json_end_object(j);
	cap_close(&c);
	assert_int_equal(c.rc, 0);
	return c.data;
}

static void test_raw_values(void **state)
{
	(void)state;
	/* Compact and pretty, and across the 64 KiB buffer (many values). */
	for (int pretty = 0; pretty < 2; pretty++)
		for (size_t count = 0; count < 1000; count += 999) {
			char *a = doc_with(pretty, false, count), *b = doc_with(pretty, true, count);

			assert_string_equal(a, b);
			free(a);
			free(b);
		}
}

static void test_mark_rollback(void **state)
{
	struct json_mark m;
	struct cap c;
	struct json *j;

	(void)state;
	j = cap_open(&c, false);
	json_begin_object(j);
	json_kv_u64(j, "pid", 1);
	json_mark(j, &m);
	json_kv_string(j, "file", "f");
	json_key(j, "mappings");
	json_begin_array(j);
	json_u64(j, 1);
	json_end_array(j);
	assert_true(json_rollback(j, &m));
	json_key(j, "error");
	json_null(j);
	json_end_object(j);
	cap_expect(&c, "{\"pid\":1,\"error\":null}\n");

	/* Once part of it has been written out, the rollback is refused and
	 * the document goes on where it was. */
	j = cap_open(&c, false);
	json_begin_object(j);
	json_mark(j, &m);
	json_key(j, "big");
	json_begin_array(j);
	for (int i = 0; i < 50000; i++)
		json_u64(j, 1);
	json_end_array(j);
	assert_false(json_rollback(j, &m));
	json_kv_u64(j, "n", 2);
	json_end_object(j);
	cap_close(&c);
	assert_int_equal(c.rc, 0);
	assert_int_equal(c.len, strlen("{\"big\":[],\"n\":2}\n") + 2 * 50000 - 1);
	free(c.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_example),
		cmocka_unit_test(test_compact_nesting),
		cmocka_unit_test(test_pretty),
		cmocka_unit_test(test_pretty_empty_and_scalar),
		cmocka_unit_test(test_top_level_scalars),
		cmocka_unit_test(test_ndjson),
		cmocka_unit_test(test_short_escapes),
		cmocka_unit_test(test_all_control_chars),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_invalid),
		cmocka_unit_test(test_keys_escaped),
		cmocka_unit_test(test_long_strings),
		cmocka_unit_test(test_separators_with_strings),
		cmocka_unit_test(test_escape_appends),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_integers_exhaustive_small),
		cmocka_unit_test(test_doubles),
		cmocka_unit_test(test_double_huge),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_max_depth_ok),
		cmocka_unit_test(test_null_writer),
		cmocka_unit_test(test_jq_compact),
		cmocka_unit_test(test_jq_pretty),
		cmocka_unit_test(test_raw_values),
		cmocka_unit_test(test_mark_rollback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
