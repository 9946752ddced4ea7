/*
 * lex.h - the shared lexical layer of every /proc and /sys parser.
 *
 * Parsers are pure functions over (buf, len).  They walk lines with
 * struct lineiter, split tokens with tok_next(), read numbers with
 * lex_u64(), and report the first fatal problem through struct
 * parse_error (file + line + what).  They never print and never exit.
 */
#ifndef FRAGSCOPE_LEX_H
#define FRAGSCOPE_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Where and why a parse failed.  file is borrowed from the caller (the
 * display path passed to the parser) and must outlive the error.
 * line is 1-based; 0 means "the file as a whole" (e.g. empty file).
 */
struct parse_error {
	const char *file;
	unsigned line;
	char what[192];
};

/*
 * Record a failure and return -EINVAL (or the code given).  perr may be
 * NULL.  Only the first failure is kept by convention: parsers return at once.
 */
int parse_fail(struct parse_error *perr, const char *file, unsigned line,
	       int code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Line iterator: yields each line without its '\n'.  A final line with no
 * newline is still yielded (some captures lost it).  lineno is 1-based. */
struct lineiter {
	const char *p;
	const char *end;
	unsigned lineno;
};

void lineiter_init(struct lineiter *it, const char *buf, size_t len);
bool lineiter_next(struct lineiter *it, const char **line, size_t *len);

/* A span of bytes (not NUL-terminated). */
struct span {
	const char *p;
	size_t n;
};

/* Next whitespace-separated token of [*p, end); false at end of input.
 * Whitespace is ' ', '\t', '\r', '\v', '\f'. */
bool tok_next(const char **p, const char *end, struct span *tok);
/* Skip blanks. */
const char *skip_blanks(const char *p, const char *end);
bool span_eq(struct span s, const char *lit);
bool span_startswith(struct span s, const char *lit);

/*
 * Parse an unsigned decimal number from the whole span.
 *   0        ok
 *   -EINVAL  empty, or a non-digit character
 *   -ERANGE  does not fit in 64 bits
 */
int lex_u64(struct span s, uint64_t *ret);
/* Same, but an optional leading '-' is allowed. */
int lex_i64(struct span s, int64_t *ret);

/*
 * Quote a token for an error message: printable ASCII only (other bytes
 * become '?'), at most outsz-1 bytes, ending in "..." when cut, so input
 * bytes never reach the terminal raw through parse_error.what.  Callers
 * usually pass a char[LEX_SHOW_BUFSZ].  Returns out.
 */
#define LEX_SHOW_BUFSZ 44
const char *lex_show(struct span s, char *out, size_t outsz);

/* Human text for lex_u64's error codes ("not a number", "number too large"). */
const char *lex_strerror(int code);

#endif
