/*
 * fuzz-check.h - contract checks shared by the parser fuzz harnesses.
 *
 * Beyond "no crash, no sanitizer report", every harness checks what
 * parse.h promises: the return value is 0 or one of the documented
 * negative codes, a failure fills struct parse_error sensibly (the file
 * name we passed, a terminated non-empty message of printable ASCII, a
 * line inside the input or just after it), and on failure the output arguments are untouched.  A broken
 * promise calls abort(), which libFuzzer reports as a crash.
 */
#ifndef FRAGSCOPE_FUZZ_CHECK_H
#define FRAGSCOPE_FUZZ_CHECK_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/parse.h"

/* The display name passed to every parser; errors must point at it. */
static const char fuzz_file[] = "fuzz-input";

/* Byte pattern written over output arguments before a call. */
#define FUZZ_POISON 0xa5

static inline void fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz contract violation: %s\n", what);
	abort();
}

/* Lines in buf: a parse error may name any of them, or 0 for the whole file. */
static inline unsigned fuzz_nr_lines(const uint8_t *buf, size_t len)
{
	unsigned n = 0;
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] == '\n')
			n++;
	if (len && buf[len - 1] != '\n')
		n++;
	return n;
}

static inline bool fuzz_is_poisoned(const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (c[i] != FUZZ_POISON)
			return false;
	return true;
}

/*
 * Check the result of a parser over buf[0..len).  perr was memset to 0
 * before the call.
 */
static inline void fuzz_check_result(int rc, const struct parse_error *perr,
				     const uint8_t *buf, size_t len)
{
	if (rc == 0)
		return;
	if (rc != -EINVAL && rc != -ERANGE && rc != -ENOMEM)
		fuzz_fail("parser returned an undocumented error code");
	if (perr->file != fuzz_file)
		fuzz_fail("parse_error.file is not the file name passed in");
	if (memchr(perr->what, '\0', sizeof(perr->what)) == NULL)
		fuzz_fail("parse_error.what is not NUL-terminated");
	if (perr->what[0] == '\0')
		fuzz_fail("parse_error.what is empty");
	/* lex.h: input bytes never reach the terminal raw through what. */
	for (const char *c = perr->what; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
			fuzz_fail("parse_error.what holds a non-printable byte");
	/* +1: "unexpected end of file" may name the line after the last. */
	if (perr->line > fuzz_nr_lines(buf, len) + 1)
		fuzz_fail("parse_error.line is past the end of the input");
}

#endif
