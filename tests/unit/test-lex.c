/*
 * test-lex.c - the lexical layer shared by every parser: line iteration
 * (with and without a final newline, empty input), tokens, spans, strict
 * number parsing with overflow in both directions, lex_show() and
 * parse_fail().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "parse/lex.h"

static struct span sp(const char *s)
{
	struct span r = { s, strlen(s) };

	return r;
}

/* Iterate buf[0..len) and compare with the expected lines. */
static void check_lines(const char *buf, size_t len, const char *const *want,
			size_t nwant)
{
	struct lineiter it;
	const char *line = NULL;
	size_t n = 0, i = 0;

	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line, &n)) {
		assert_true(i < nwant);
		assert_int_equal(n, strlen(want[i]));
		assert_memory_equal(line, want[i], n);
		i++;
		assert_int_equal(it.lineno, i);
	}
	assert_int_equal(i, nwant);
	/* Exhausted iterators stay exhausted. */
	assert_false(lineiter_next(&it, &line, &n));
}

#define LINES(lit, ...) do { \
		static const char *const w_[] = { __VA_ARGS__ }; \
		check_lines(lit, sizeof(lit) - 1, w_, sizeof(w_) / sizeof(w_[0])); \
	} while (0)

static void test_lineiter(void **state)
{
	(void)state;
	LINES("a\nbb\n", "a", "bb");
	LINES("a\nbb", "a", "bb");           /* no final newline */
	LINES("\n", "");
	LINES("a\n\nb\n", "a", "", "b");
	LINES("\n\n", "", "");
	LINES("x\r\n", "x\r");               /* CR is the tokenizer's business */
}

/* NUL bytes do not end a line: len is authoritative. */
static void test_lineiter_nul(void **state)
{
	static const char buf[] = "a\0b\nc";
	struct lineiter it;
	const char *line;
	size_t n;

	(void)state;
	lineiter_init(&it, buf, sizeof(buf) - 1);
	assert_true(lineiter_next(&it, &line, &n));
	assert_int_equal(n, 3);
	assert_memory_equal(line, "a\0b", 3);
	assert_true(lineiter_next(&it, &line, &n));
	assert_int_equal(n, 1);
	assert_int_equal(it.lineno, 2);
	assert_false(lineiter_next(&it, &line, &n));
}

static void test_lineiter_empty(void **state)
{
	struct lineiter it;
	const char *line = NULL;
	size_t n = 99;

	(void)state;
	lineiter_init(&it, "", 0);
	assert_false(lineiter_next(&it, &line, &n));
	assert_int_equal(it.lineno, 0);
}

static void test_tok_next(void **state)
{
	const char *s = "  foo\tbar \v\f baz\r";
	const char *p = s, *end = s + strlen(s);
	struct span t;

	(void)state;
	assert_true(tok_next(&p, end, &t));
	assert_true(span_eq(t, "foo"));
	assert_ptr_equal(t.p, s + 2);
	assert_true(tok_next(&p, end, &t));
	assert_true(span_eq(t, "bar"));
	assert_true(tok_next(&p, end, &t));
	assert_true(span_eq(t, "baz"));
	assert_false(tok_next(&p, end, &t));
	assert_ptr_equal(p, end);
	assert_false(tok_next(&p, end, &t));

	/* Empty and blank-only input. */
	p = s;
	assert_false(tok_next(&p, s, &t));
	s = " \t \r";
	p = s;
	end = s + strlen(s);
	assert_false(tok_next(&p, end, &t));
	assert_ptr_equal(p, end);

	/* A token that runs to the end of the span; '\n' is not blank. */
	s = "Node 0, zone   DMA32\n";
	p = s;
	end = s + strlen(s);
	assert_true(tok_next(&p, end, &t));
	assert_true(span_eq(t, "Node"));
	assert_true(tok_next(&p, end, &t));
	assert_true(span_eq(t, "0,"));
	assert_true(tok_next(&p, end, &t));
	assert_true(tok_next(&p, end, &t));
	assert_true(span_eq(t, "DMA32\n"));
	assert_false(tok_next(&p, end, &t));
}

static void test_skip_blanks_and_spans(void **state)
{
	const char *s = " \t\r\v\fx ";
	struct span t = { "MemTotal:", 9 };

	(void)state;
	assert_ptr_equal(skip_blanks(s, s + strlen(s)), s + 5);
	assert_ptr_equal(skip_blanks(s, s + 3), s + 3);
	assert_ptr_equal(skip_blanks(s, s), s);
	assert_true(span_eq(t, "MemTotal:"));
	assert_false(span_eq(t, "MemTotal"));
	assert_false(span_eq(t, "MemTotal:x"));
	assert_true(span_startswith(t, "Mem"));
	assert_true(span_startswith(t, ""));
	assert_true(span_startswith(t, "MemTotal:"));
	assert_false(span_startswith(t, "MemTotal:x"));
	assert_false(span_startswith(t, "Swap"));
	t.n = 0;
	assert_true(span_eq(t, ""));
}

static void check_u64(const char *s, int want_rc, uint64_t want)
{
	uint64_t v = 12345;

	assert_int_equal(lex_u64(sp(s), &v), want_rc);
	if (want_rc == 0)
		assert_true(v == want);
	else
		assert_true(v == 12345); /* untouched on failure */
}

static void test_lex_u64(void **state)
{
	struct span part = { "123456", 3 };
	uint64_t v;

	(void)state;
	check_u64("0", 0, 0);
	check_u64("7", 0, 7);
	check_u64("007", 0, 7);
	check_u64("4294967296", 0, 4294967296ull);
	check_u64("18446744073709551615", 0, UINT64_MAX);
	check_u64("18446744073709551616", -ERANGE, 0);
	check_u64("18446744073709551620", -ERANGE, 0);
	check_u64("99999999999999999999", -ERANGE, 0);
	check_u64("184467440737095516150", -ERANGE, 0);
	check_u64("000000000000000000000018446744073709551615", 0, UINT64_MAX);
	check_u64("", -EINVAL, 0);
	check_u64("12a", -EINVAL, 0);
	check_u64("a12", -EINVAL, 0);
	check_u64("-1", -EINVAL, 0);
	check_u64("+1", -EINVAL, 0);
	check_u64(" 1", -EINVAL, 0);
	check_u64("1 ", -EINVAL, 0);
	check_u64("0x10", -EINVAL, 0);
	check_u64("1.5", -EINVAL, 0);
	check_u64("/", -EINVAL, 0);  /* '0' - 1 */
	check_u64(":", -EINVAL, 0);  /* '9' + 1 */
	check_u64("\xb0", -EINVAL, 0);
	/* Only the span counts, not what follows it. */
	assert_int_equal(lex_u64(part, &v), 0);
	assert_true(v == 123);
}

static void check_i64(const char *s, int want_rc, int64_t want)
{
	int64_t v = 12345;

	assert_int_equal(lex_i64(sp(s), &v), want_rc);
	if (want_rc == 0)
		assert_true(v == want);
	else
		assert_true(v == 12345);
}

static void test_lex_i64(void **state)
{
	(void)state;
	check_i64("0", 0, 0);
	check_i64("-0", 0, 0);
	check_i64("42", 0, 42);
	check_i64("-42", 0, -42);
	check_i64("9223372036854775807", 0, INT64_MAX);
	check_i64("-9223372036854775807", 0, -INT64_MAX);
	check_i64("-9223372036854775808", 0, INT64_MIN);
	check_i64("9223372036854775808", -ERANGE, 0);
	check_i64("-9223372036854775809", -ERANGE, 0);
	check_i64("18446744073709551615", -ERANGE, 0);
	check_i64("-18446744073709551616", -ERANGE, 0);
	check_i64("99999999999999999999", -ERANGE, 0);
	check_i64("", -EINVAL, 0);
	check_i64("-", -EINVAL, 0);
	check_i64("--1", -EINVAL, 0);
	check_i64("+1", -EINVAL, 0);
	check_i64("1-", -EINVAL, 0);
	check_i64("- 1", -EINVAL, 0);
	check_i64("12a", -EINVAL, 0);
}

static void test_lex_show(void **state)
{
	char out[LEX_SHOW_BUFSZ], small[5], big[100];
	struct span t;

	(void)state;
	assert_string_equal(lex_show(sp("abc"), out, sizeof(out)), "abc");
	assert_ptr_equal(lex_show(sp("abc"), out, sizeof(out)), out);
	assert_string_equal(lex_show(sp(""), out, sizeof(out)), "");
	/* Control, DEL and non-ASCII bytes never come out raw. */
	assert_string_equal(lex_show(sp("a\033]0;\007b\x7f\xc3\xa9"), out,
				     sizeof(out)), "a?]0;?b???");
	/* Exactly fits: no cut.  One more byte: cut with "...". */
	memset(big, 'x', sizeof(big));
	t.p = big;
	t.n = sizeof(out) - 1;
	assert_int_equal(strlen(lex_show(t, out, sizeof(out))), sizeof(out) - 1);
	assert_null(strstr(out, "..."));
	t.n = sizeof(out);
	lex_show(t, out, sizeof(out));
	assert_int_equal(strlen(out), sizeof(out) - 1);
	assert_string_equal(out + sizeof(out) - 4, "...");
	t.n = 10;
	assert_string_equal(lex_show(t, small, sizeof(small)), "x...");
	assert_string_equal(lex_show(t, small, 4), "xxx");
	assert_string_equal(lex_show(t, small, 1), "");
	assert_string_equal(lex_show(t, small, 0), "");
}

static void test_lex_strerror(void **state)
{
	(void)state;
	assert_string_equal(lex_strerror(-ERANGE), "number too large");
	assert_string_equal(lex_strerror(-EINVAL), "not a number");
	assert_non_null(lex_strerror(-ENOMEM));
}

static void test_parse_fail(void **state)
{
	struct parse_error perr;
	char big[400];

	(void)state;
	memset(&perr, 0, sizeof(perr));
	assert_int_equal(parse_fail(&perr, "/proc/meminfo", 7, -EINVAL,
				    "bad value '%s'", "x"), -EINVAL);
	assert_string_equal(perr.file, "/proc/meminfo");
	assert_int_equal(perr.line, 7);
	assert_string_equal(perr.what, "bad value 'x'");
	assert_int_equal(parse_fail(NULL, "f", 1, -ERANGE, "%s", "y"), -ERANGE);
	/* Long messages are truncated, still terminated. */
	memset(big, 'w', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(parse_fail(&perr, "f", 0, -EINVAL, "%s", big), -EINVAL);
	assert_int_equal(strlen(perr.what), sizeof(perr.what) - 1);
	assert_int_equal(perr.line, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lineiter),
		cmocka_unit_test(test_lineiter_nul),
		cmocka_unit_test(test_lineiter_empty),
		cmocka_unit_test(test_tok_next),
		cmocka_unit_test(test_skip_blanks_and_spans),
		cmocka_unit_test(test_lex_u64),
		cmocka_unit_test(test_lex_i64),
		cmocka_unit_test(test_lex_show),
		cmocka_unit_test(test_lex_strerror),
		cmocka_unit_test(test_parse_fail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
