/*
 * parse-buddyinfo.c - /proc/buddyinfo into struct buddyinfo.
 *
 * The kernel prints one line per populated zone of each node with memory
 * (frag_show_print() in mm/vmstat.c):
 *
 *	"Node %d, zone %8s " then "%6lu " per order, then "\n"
 *
 * The number of orders is the number of count columns (11 on x86-64, 14
 * on arm64 with 64 KiB pages) and must be the same on every line.  The
 * zone name is one token of any width.  Trailing blanks are optional:
 * captures passed through mail or markdown lost them.  Blank lines are
 * skipped.  Every other line must have exactly this shape; a bad number,
 * an overflow or a column count that changes fails the whole file.  A file
 * with no zone at all is an error too: every kernel prints at least one.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/*
 * Parse one non-blank line into *z and the number of count columns into
 * *ret_orders.  Returns 0 or a negative errno with perr filled.
 */
static int parse_line(const char *line, size_t len, const char *file, unsigned lineno,
		      struct buddy_zone *z, unsigned *ret_orders, struct parse_error *perr)
{
	const char *p = line, *end = line + len;
	struct span t;
	uint64_t v;
	unsigned n = 0;
	int r;

	memset(z, 0, sizeof(*z));

	if (!tok_next(&p, end, &t) || !span_eq(t, "Node"))
		return parse_fail(perr, file, lineno, -EINVAL,
				  "expected a line starting with 'Node'");

	/* "N," - the comma sticks to the node number */
	if (!tok_next(&p, end, &t) || t.p[t.n - 1] != ',')
		return parse_fail(perr, file, lineno, -EINVAL,
				  "expected 'Node N, zone NAME'");
	t.n--;
	r = lex_u64(t, &v);
	if (r == 0 && v > INT_MAX)
		r = -ERANGE;
	if (r < 0)
		return parse_fail(perr, file, lineno, r, "bad node number: %s",
				  lex_strerror(r));
	z->node = (int)v;

	if (!tok_next(&p, end, &t) || !span_eq(t, "zone"))
		return parse_fail(perr, file, lineno, -EINVAL,
				  "expected ', zone' after the node number");
	if (!tok_next(&p, end, &t))
		return parse_fail(perr, file, lineno, -EINVAL, "missing zone name");
	if (t.n > FS_NAME_LEN - 1)
		return parse_fail(perr, file, lineno, -EINVAL,
				  "zone name longer than %d characters", FS_NAME_LEN - 1);
	memcpy(z->zone, t.p, t.n);
	z->zone[t.n] = '\0';

	while (tok_next(&p, end, &t)) {
		if (n == FS_MAX_ORDERS)
			return parse_fail(perr, file, lineno, -EINVAL,
					  "more than %d orders", FS_MAX_ORDERS);
		r = lex_u64(t, &z->free[n]);
		if (r < 0)
			return parse_fail(perr, file, lineno, r,
					  "free count of order %u: %s", n, lex_strerror(r));
		n++;
	}
	if (n == 0)
		return parse_fail(perr, file, lineno, -EINVAL,
				  "no free counts after the zone name");
	/* Real zones are far below FS_MAX_PAGES; anything above is corrupt and
	 * would overflow pages << order or bytes later. */
	{
		uint64_t pages = 0;

		for (unsigned o = 0; o < n; o++) {
			if (z->free[o] > (FS_MAX_PAGES >> o) || (pages += z->free[o] << o) > FS_MAX_PAGES)
				return parse_fail(perr, file, lineno, -ERANGE,
						  "free pages of order %u exceed any possible zone", o);
		}
	}
	*ret_orders = n;
	return 0;
}

/* Append z to bi->z, growing the array geometrically.  0 or -ENOMEM. */
static int zones_append(struct buddyinfo *bi, size_t *cap, const struct buddy_zone *z)
{
	if (bi->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4;
		struct buddy_zone *nz;

		if (ncap > SIZE_MAX / sizeof(*nz))
			return -ENOMEM;
		nz = realloc(bi->z, ncap * sizeof(*nz));
		if (!nz)
			return -ENOMEM;
		bi->z = nz;
		*cap = ncap;
	}
	bi->z[bi->n++] = *z;
	return 0;
}

int buddyinfo_parse(const char *buf, size_t len, const char *file,
		    struct buddyinfo *ret, struct parse_error *perr)
{
	struct buddyinfo bi = { 0 };
	struct buddy_zone z;
	struct lineiter it;
	const char *line;
	size_t n, cap = 0;
	unsigned orders = 0;
	char shown[FS_NAME_LEN];
	int r;

	if (!buf)
		len = 0;
	lineiter_init(&it, len ? buf : "", len);
	while (lineiter_next(&it, &line, &n)) {
		if (skip_blanks(line, line + n) == line + n)
			continue;
		r = parse_line(line, n, file, it.lineno, &z, &orders, perr);
		if (r < 0)
			goto fail;
		if (bi.n == 0) {
			bi.nr_orders = orders;
		} else if (orders != bi.nr_orders) {
			r = parse_fail(perr, file, it.lineno, -EINVAL,
				       "line has %u orders, earlier lines have %u",
				       orders, bi.nr_orders);
			goto fail;
		}
		if (buddyinfo_find(&bi, z.node, z.zone)) {
			struct span s = { z.zone, strlen(z.zone) };

			r = parse_fail(perr, file, it.lineno, -EINVAL,
				       "zone '%s' of node %d listed twice",
				       lex_show(s, shown, sizeof(shown)), z.node);
			goto fail;
		}
		r = zones_append(&bi, &cap, &z);
		if (r < 0) {
			parse_fail(perr, file, it.lineno, r, "out of memory");
			goto fail;
		}
	}
	if (bi.n == 0) {
		r = parse_fail(perr, file, 0, -EINVAL, "no zones");
		goto fail;
	}
	*ret = bi;
	return 0;

fail:
	buddyinfo_free(&bi);
	return r;
}
