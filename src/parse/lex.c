/*
 * lex.c - line and token scanning plus strict number parsing for the
 * /proc parsers.  Numbers are validated strictly (digits only, overflow
 * checked) while line structure is handled tolerantly by the callers.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lex.h"

int parse_fail(struct parse_error *perr, const char *file, unsigned line,
	       int code, const char *fmt, ...)
{
	va_list ap;

	if (perr) {
		perr->file = file;
		perr->line = line;
		va_start(ap, fmt);
		vsnprintf(perr->what, sizeof(perr->what), fmt, ap);
		va_end(ap);
	}
	return code;
}

void lineiter_init(struct lineiter *it, const char *buf, size_t len)
{
	/* NULL + 0 is undefined in C: an empty input has no pointer arithmetic. */
	it->p = buf;
	it->end = buf ? buf + len : buf;
	it->lineno = 0;
}

bool lineiter_next(struct lineiter *it, const char **line, size_t *len)
{
	const char *nl;

	if (it->p >= it->end)
		return false;
	nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
	*line = it->p;
	if (nl) {
		*len = (size_t)(nl - it->p);
		it->p = nl + 1;
	} else {
		*len = (size_t)(it->end - it->p);
		it->p = it->end;
	}
	it->lineno++;
	return true;
}

/* Blank: space, \t, \v, \f, \r (not \n).  Every other byte, and every
 * byte of a number or a name, fails the first test, which keeps the
 * tokenizer's inner loops to one comparison per byte. */
static inline bool is_blank(char c)
{
	unsigned char u = (unsigned char)c;

	return u <= ' ' && (u == ' ' || (u >= '\t' && u <= '\r' && u != '\n'));
}

const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && is_blank(*p))
		p++;
	return p;
}

bool tok_next(const char **p, const char *end, struct span *tok)
{
	const char *s = skip_blanks(*p, end), *e;

	if (s >= end) {
		*p = end;
		return false;
	}
	e = s;
	while (e < end && !is_blank(*e))
		e++;
	tok->p = s;
	tok->n = (size_t)(e - s);
	*p = e;
	return true;
}

bool span_eq(struct span s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n == n && memcmp(s.p, lit, n) == 0;
}

bool span_startswith(struct span s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n >= n && memcmp(s.p, lit, n) == 0;
}

int lex_u64(struct span s, uint64_t *ret)
{
	uint64_t v = 0;
	size_t i;

	if (s.n == 0)
		return -EINVAL;
	for (i = 0; i < s.n; i++) {
		unsigned d = (unsigned char)s.p[i] - '0';

		if (d > 9)
			return -EINVAL;
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, d, &v))
			return -ERANGE;
	}
	*ret = v;
	return 0;
}

int lex_i64(struct span s, int64_t *ret)
{
	uint64_t v;
	bool neg = s.n > 0 && s.p[0] == '-';
	int r;

	if (neg) {
		s.p++;
		s.n--;
	}
	r = lex_u64(s, &v);
	if (r < 0)
		return r;
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return -ERANGE;
		*ret = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	} else {
		if (v > (uint64_t)INT64_MAX)
			return -ERANGE;
		*ret = (int64_t)v;
	}
	return 0;
}

const char *lex_strerror(int code)
{
	switch (code) {
	case -ERANGE:
		return "number too large";
	case -EINVAL:
		return "not a number";
	default:
		return strerror(-code);
	}
}

const char *lex_show(struct span s, char *out, size_t outsz)
{
	size_t i, n;
	bool cut;

	if (outsz == 0)
		return "";
	n = s.n < outsz - 1 ? s.n : outsz - 1;
	cut = n < s.n && outsz > 4;
	if (cut)
		n = outsz - 4;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s.p[i];

		out[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	if (cut) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
	return out;
}
