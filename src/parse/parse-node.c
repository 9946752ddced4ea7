/*
 * parse-node.c - the small one-line files of /sys/devices/system/node:
 * node lists (online, has_memory: "0-3,8,10-11"), nodeN/distance
 * ("10 21 21 10") and single unsigned integers (hugepage counters).
 *
 * Each file is one line.  Blank lines are ignored; a second non-blank
 * line, a 0-byte file or anything but the expected tokens is an error.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* Largest node id accepted in a node list (MAX_NUMNODES is 1 << 10). */
#define NODE_ID_MAX 65535

/*
 * Find the one non-blank line of a one-line file and return it through
 * ret_line, ret_n and ret_lineno; ret_line is NULL if the file holds only
 * blanks.
 * A 0-byte file or a second non-blank line is an error.
 */
static int one_line(const char *buf, size_t len, const char *file,
		    const char **ret_line, size_t *ret_n, unsigned *ret_lineno,
		    struct parse_error *perr)
{
	struct lineiter it;
	const char *line, *found = NULL;
	size_t n, found_n = 0;
	unsigned found_no = 0;

	if (len == 0)
		return parse_fail(perr, file, 0, -EINVAL, "empty file");
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line, &n)) {
		if (skip_blanks(line, line + n) == line + n)
			continue;
		if (found)
			return parse_fail(perr, file, it.lineno, -EINVAL,
					  "unexpected second line");
		found = line;
		found_n = n;
		found_no = it.lineno;
	}
	*ret_line = found;
	*ret_n = found_n;
	*ret_lineno = found_no;
	return 0;
}

/* A node id in a list: decimal, at most NODE_ID_MAX. */
static int node_id(struct span s, const char *file, unsigned lineno,
		   unsigned *ret, struct parse_error *perr)
{
	char b1[LEX_SHOW_BUFSZ];
	uint64_t v;
	int r = lex_u64(s, &v);

	if (r == 0 && v > NODE_ID_MAX)
		r = -ERANGE;
	if (r < 0)
		return parse_fail(perr, file, lineno, r,
				  r == -ERANGE ? "node id too large: '%s'"
					       : "bad node id: '%s'",
				  lex_show(s, b1, sizeof(b1)));
	*ret = (unsigned)v;
	return 0;
}

int nodelist_parse(const char *buf, size_t len, const char *file,
		   int **ret, size_t *ret_n, struct parse_error *perr)
{
	char b1[LEX_SHOW_BUFSZ];
	uint64_t bits[(NODE_ID_MAX + 1) / 64] = { 0 };
	const char *line, *p, *end;
	size_t n, count = 0, k = 0;
	unsigned lineno, top = 0;
	struct span tok;
	int *ids;
	int r;

	r = one_line(buf, len, file, &line, &n, &lineno, perr);
	if (r < 0)
		return r;
	if (!line) {
		*ret = NULL;
		*ret_n = 0;
		return 0;
	}
	p = line;
	end = line + n;
	if (!tok_next(&p, end, &tok))
		return parse_fail(perr, file, lineno, -EINVAL, "empty node list");
	{
		struct span extra;

		if (tok_next(&p, end, &extra))
			return parse_fail(perr, file, lineno, -EINVAL,
					  "unexpected text after the node list: '%s'",
					  lex_show(extra, b1, sizeof(b1)));
	}

	/* tok is "item[,item...]", item is "a" or "a-b" with a <= b. */
	p = tok.p;
	end = tok.p + tok.n;
	for (;;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *iend = comma ? comma : end;
		const char *dash = memchr(p, '-', (size_t)(iend - p));
		struct span a, b;
		unsigned lo, hi;

		a.p = p;
		a.n = (size_t)((dash ? dash : iend) - p);
		r = node_id(a, file, lineno, &lo, perr);
		if (r < 0)
			return r;
		hi = lo;
		if (dash) {
			b.p = dash + 1;
			b.n = (size_t)(iend - b.p);
			r = node_id(b, file, lineno, &hi, perr);
			if (r < 0)
				return r;
			if (hi < lo)
				return parse_fail(perr, file, lineno, -EINVAL,
						  "reversed node range %u-%u", lo, hi);
		}
		for (unsigned i = lo; i <= hi; i++) {
			if (!(bits[i / 64] & (1ull << (i % 64))))
				count++;
			bits[i / 64] |= 1ull << (i % 64);
		}
		if (hi > top)
			top = hi;
		if (!comma)
			break;
		p = comma + 1;
	}

	ids = malloc(count * sizeof(*ids));
	if (!ids)
		return parse_fail(perr, file, lineno, -ENOMEM, "out of memory");
	/* Up to the highest id seen, not NODE_ID_MAX: "0" must not cost
	 * 65,536 steps. */
	for (unsigned i = 0; i <= top; i++)
		if (bits[i / 64] & (1ull << (i % 64)))
			ids[k++] = (int)i;
	*ret = ids;
	*ret_n = count;
	return 0;
}

int distance_parse(const char *buf, size_t len, const char *file,
		   int **ret, size_t *ret_n, struct parse_error *perr)
{
	char b1[LEX_SHOW_BUFSZ];
	const char *line, *p, *end;
	size_t n, count = 0, k = 0;
	unsigned lineno;
	struct span t;
	int *d;
	int r;

	r = one_line(buf, len, file, &line, &n, &lineno, perr);
	if (r < 0)
		return r;
	if (!line)
		return parse_fail(perr, file, 0, -EINVAL, "empty file");

	/* Validate and count first, then fill: no realloc loop. */
	p = line;
	end = line + n;
	while (tok_next(&p, end, &t)) {
		uint64_t v;

		r = lex_u64(t, &v);
		if (r == 0 && v > INT_MAX)
			r = -ERANGE;
		if (r < 0)
			return parse_fail(perr, file, lineno, r,
					  "distance: %s: '%s'", lex_strerror(r),
					  lex_show(t, b1, sizeof(b1)));
		count++;
	}

	d = malloc(count * sizeof(*d));
	if (!d)
		return parse_fail(perr, file, lineno, -ENOMEM, "out of memory");
	p = line;
	while (tok_next(&p, end, &t)) {
		uint64_t v = 0;

		(void)lex_u64(t, &v);
		d[k++] = (int)v;
	}
	*ret = d;
	*ret_n = count;
	return 0;
}

int sysfs_u64_parse(const char *buf, size_t len, const char *file,
		    uint64_t *ret, struct parse_error *perr)
{
	char b1[LEX_SHOW_BUFSZ];
	const char *line, *p, *end;
	size_t n;
	unsigned lineno;
	struct span t, extra;
	uint64_t v;
	int r;

	r = one_line(buf, len, file, &line, &n, &lineno, perr);
	if (r < 0)
		return r;
	if (!line)
		return parse_fail(perr, file, 0, -EINVAL, "empty file");
	p = line;
	end = line + n;
	(void)tok_next(&p, end, &t);
	if (tok_next(&p, end, &extra))
		return parse_fail(perr, file, lineno, -EINVAL,
				  "expected one number, found more: '%s'",
				  lex_show(extra, b1, sizeof(b1)));
	r = lex_u64(t, &v);
	if (r < 0)
		return parse_fail(perr, file, lineno, r, "%s: '%s'",
				  lex_strerror(r), lex_show(t, b1, sizeof(b1)));
	*ret = v;
	return 0;
}
