/*
 * parse-pagetypeinfo.c - /proc/pagetypeinfo into struct pagetypeinfo.
 *
 * pagetypeinfo_show() in mm/vmstat.c prints, for each node with memory:
 *
 *	Page block order: 9
 *	Pages per block:  512
 *
 *	Free pages count per migrate type at order       0      1 ...     10
 *	Node    0, zone      DMA, type    Unmovable      0      0 ...      0
 *	...one row per (populated zone, migratetype)...
 *
 *	Number of blocks type     Unmovable      Movable ...
 *	Node 0, zone      DMA            1            7 ...
 *	...one row per populated zone...
 *
 * and, with page_owner enabled, a "Number of mixed blocks" table shaped
 * like the block table.  A multi-node file repeats all of this per node,
 * headers included; the repeats must agree with the first node's.
 *
 * Nothing is hard-coded: the orders come from the free-pages header
 * (which must read 0..N-1), the migratetype names and their order from
 * the free-list rows of the first zone (every later zone must list the
 * same names in the same order), and the block tables are mapped onto
 * those names column by column.  A free count the kernel stopped counting
 * is printed ">100000"; it is stored as 100000 with capped[][] set.
 *
 * The structure is checked strictly: a line that does not belong where it
 * stands, a short or long row, a bad number or an overflow fails the whole
 * file with its line number.  Blank lines and trailing blanks are optional
 * everywhere (several captures lost them).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "../util/util.h"

/* Where we are in one node's block of text. */
enum section {
	SEC_START,     /* nothing yet */
	SEC_ORDER,     /* after "Page block order:" */
	SEC_PERBLOCK,  /* after "Pages per block:" */
	SEC_FREE,      /* after the free-pages header: free-list rows */
	SEC_BLOCKS,    /* after "Number of blocks type": block-count rows */
	SEC_MIXED,     /* after "Number of mixed blocks": mixed-count rows */
};

/* What a line in each section may be, for the error message. */
static const char *const sec_expect[] = {
	[SEC_START] = "expected 'Page block order:'",
	[SEC_ORDER] = "expected 'Pages per block:'",
	[SEC_PERBLOCK] = "expected 'Free pages count per migrate type at order'",
	[SEC_FREE] = "expected a free-list row or 'Number of blocks type'",
	[SEC_BLOCKS] = "expected a block-count row, 'Number of mixed blocks' or 'Page block order:'",
	[SEC_MIXED] = "expected a mixed-block row or 'Page block order:'",
};

struct state {
	struct pagetypeinfo pt;  /* the result being built */
	size_t cap;              /* allocated entries of pt.z */
	enum section sec;
	bool have_pageblock;     /* pt.pageblock_order set (first node) */
	bool have_orders;        /* pt.nr_orders set (first node) */
	bool mt_locked;          /* pt.mt_names fixed (first zone done) */
	size_t cur;              /* zone whose free rows are being read ... */
	bool have_cur;           /* ... if this is set */
	unsigned cur_mt;         /* free rows seen so far for that zone */
	unsigned ncols;          /* columns of the current block/mixed table */
	unsigned colmap[FS_MAX_MT]; /* table column -> migratetype index */
	const char *file;
	unsigned lineno;
	struct parse_error *perr;
};

static struct span span_of(const char *s)
{
	struct span sp = { s, strlen(s) };

	return sp;
}

/* Expect the n exact words next on the line. */
static bool expect_words(const char **p, const char *end, const char *const *words, size_t n)
{
	struct span t;
	size_t i;

	for (i = 0; i < n; i++)
		if (!tok_next(p, end, &t) || !span_eq(t, words[i]))
			return false;
	return true;
}

/* A token that is a name (zone or migratetype) copied into out[FS_NAME_LEN]. */
static int take_name(struct state *st, struct span t, char *out, const char *what)
{
	if (t.n == 0)
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL, "empty %s name", what);
	if (t.n > FS_NAME_LEN - 1)
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "%s name longer than %d characters", what, FS_NAME_LEN - 1);
	memcpy(out, t.p, t.n);
	out[t.n] = '\0';
	return 0;
}

/*
 * After "Node": " N, zone NAME".  *comma tells whether NAME was followed
 * by a comma (the free-list row shape) - the comma is not part of the name.
 */
static int parse_node_zone(struct state *st, const char **p, const char *end,
			   int *node, char *zone, bool *comma)
{
	struct span t;
	uint64_t v;
	int r;

	if (!tok_next(p, end, &t) || t.p[t.n - 1] != ',')
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "expected 'Node N, zone NAME'");
	t.n--;
	r = lex_u64(t, &v);
	if (r == 0 && v > INT_MAX)
		r = -ERANGE;
	if (r < 0)
		return parse_fail(st->perr, st->file, st->lineno, r, "bad node number: %s",
				  lex_strerror(r));
	*node = (int)v;
	if (!tok_next(p, end, &t) || !span_eq(t, "zone"))
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "expected ', zone' after the node number");
	if (!tok_next(p, end, &t))
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL, "missing zone name");
	*comma = t.p[t.n - 1] == ',';
	if (*comma)
		t.n--;
	return take_name(st, t, zone, "zone");
}

/*
 * Exactly want counts to the end of the line.  With capped non-NULL a
 * count may carry the kernel's ">" prefix (the list walk stopped there).
 */
static int parse_counts(struct state *st, const char **p, const char *end, unsigned want,
			uint64_t *vals, bool *capped)
{
	struct span t;
	unsigned n = 0;
	int r;

	while (tok_next(p, end, &t)) {
		bool cap = false;

		if (n == want)
			return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
					  "row has more than the %u counts expected", want);
		if (capped && t.n > 0 && t.p[0] == '>') {
			cap = true;
			t.p++;
			t.n--;
		}
		r = lex_u64(t, &vals[n]);
		if (r < 0)
			return parse_fail(st->perr, st->file, st->lineno, r,
					  "count %u: %s", n, lex_strerror(r));
		/* Free rows (with capped[]) count blocks of order n; block rows count
		 * pageblocks.  Either way no real zone exceeds FS_MAX_PAGES. */
		if (vals[n] > (capped ? FS_MAX_PAGES >> n : FS_MAX_PAGES))
			return parse_fail(st->perr, st->file, st->lineno, -ERANGE,
					  "count %u exceeds any possible zone", n);
		if (capped)
			capped[n] = cap;
		n++;
	}
	if (n < want)
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "truncated row: %u of %u counts", n, want);
	return 0;
}

/* Index of the zone (node, zone), appending a zeroed one if new.  0 or -errno. */
static int zone_get(struct state *st, int node, const char *zone, size_t *ret)
{
	const struct pagetype_zone *found = pagetypeinfo_find(&st->pt, node, zone);
	struct pagetype_zone *z;

	if (found) {
		*ret = (size_t)(found - st->pt.z);
		return 0;
	}
	if (st->pt.n == st->cap) {
		size_t ncap = st->cap ? st->cap * 2 : 4;

		if (ncap > SIZE_MAX / sizeof(*z))
			return parse_fail(st->perr, st->file, st->lineno, -ENOMEM, "out of memory");
		z = realloc(st->pt.z, ncap * sizeof(*z));
		if (!z)
			return parse_fail(st->perr, st->file, st->lineno, -ENOMEM, "out of memory");
		st->pt.z = z;
		st->cap = ncap;
	}
	z = &st->pt.z[st->pt.n];
	memset(z, 0, sizeof(*z));
	z->node = node;
	strcpy(z->zone, zone);
	*ret = st->pt.n++;
	return 0;
}

/*
 * The zone whose free rows were being read is complete.  The first such
 * zone fixes the migratetype list; every later one must have all of it.
 */
static int finish_free_zone(struct state *st)
{
	const struct pagetype_zone *z;
	char shown[FS_NAME_LEN];

	if (!st->have_cur)
		return 0;
	z = &st->pt.z[st->cur];
	st->have_cur = false;
	if (!st->mt_locked) {
		st->mt_locked = true;
		return 0;
	}
	if (st->cur_mt != st->pt.nr_mt)
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "zone '%s' of node %d has %u migratetype rows, earlier zones have %u",
				  lex_show(span_of(z->zone), shown, sizeof(shown)), z->node,
				  st->cur_mt, st->pt.nr_mt);
	return 0;
}

/* "Page block order: N" (the word "Page" already read). */
static int parse_pageblock_order(struct state *st, const char *p, const char *end)
{
	static const char *const words[] = { "block", "order:" };
	struct span t;
	uint64_t v;
	int r;

	if (!expect_words(&p, end, words, 2) || !tok_next(&p, end, &t))
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "expected 'Page block order: N'");
	r = lex_u64(t, &v);
	if (r == 0 && v >= 64)
		r = -ERANGE;
	if (r < 0)
		return parse_fail(st->perr, st->file, st->lineno, r, "page block order: %s",
				  lex_strerror(r));
	if (tok_next(&p, end, &t))
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "unexpected text after the page block order");
	if (st->have_pageblock && v != st->pt.pageblock_order)
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "page block order %u differs from %u given earlier",
				  (unsigned)v, st->pt.pageblock_order);
	st->pt.pageblock_order = (unsigned)v;
	st->have_pageblock = true;
	return 0;
}

/* "Pages per block:  N" (the word "Pages" already read). */
static int parse_pages_per_block(struct state *st, const char *p, const char *end)
{
	static const char *const words[] = { "per", "block:" };
	struct span t;
	uint64_t v;
	int r;

	if (!expect_words(&p, end, words, 2) || !tok_next(&p, end, &t))
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "expected 'Pages per block: N'");
	r = lex_u64(t, &v);
	if (r < 0)
		return parse_fail(st->perr, st->file, st->lineno, r, "pages per block: %s",
				  lex_strerror(r));
	if (tok_next(&p, end, &t))
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "unexpected text after the pages per block");
	/* pageblock_nr_pages is 1UL << pageblock_order in every kernel */
	if (v != UINT64_C(1) << st->pt.pageblock_order)
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "%llu pages per block disagrees with page block order %u",
				  (unsigned long long)v, st->pt.pageblock_order);
	st->pt.pages_per_block = v;
	return 0;
}

/* "Free pages count per migrate type at order  0 1 ... N-1" ("Free" read). */
static int parse_free_header(struct state *st, const char *p, const char *end)
{
	static const char *const words[] = { "pages", "count", "per", "migrate", "type", "at", "order" };
	struct span t;
	unsigned n = 0;
	uint64_t v;
	int r;

	if (!expect_words(&p, end, words, ARRAY_SIZE(words)))
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "expected 'Free pages count per migrate type at order'");
	while (tok_next(&p, end, &t)) {
		if (n == FS_MAX_ORDERS)
			return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
					  "more than %d orders", FS_MAX_ORDERS);
		r = lex_u64(t, &v);
		if (r < 0)
			return parse_fail(st->perr, st->file, st->lineno, r, "order column %u: %s",
					  n, lex_strerror(r));
		if (v != n)
			return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
					  "order column %u is labelled %llu", n, (unsigned long long)v);
		n++;
	}
	if (n == 0)
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL, "header names no orders");
	if (st->have_orders && n != st->pt.nr_orders)
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "header has %u orders, an earlier header has %u", n, st->pt.nr_orders);
	st->pt.nr_orders = n;
	st->have_orders = true;
	return 0;
}

/* "Node N, zone NAME, type MT  c0 c1 ..." ("Node" read). */
static int parse_free_row(struct state *st, const char *p, const char *end)
{
	uint64_t vals[FS_MAX_ORDERS];
	bool capped[FS_MAX_ORDERS];
	char zone[FS_NAME_LEN], mt[FS_NAME_LEN], shown[FS_NAME_LEN];
	struct pagetype_zone *z;
	struct span t;
	bool comma;
	size_t zi;
	int node, r;
	unsigned m;

	r = parse_node_zone(st, &p, end, &node, zone, &comma);
	if (r < 0)
		return r;
	if (!comma || !tok_next(&p, end, &t) || !span_eq(t, "type"))
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "expected 'Node N, zone NAME, type TYPE' and counts");
	if (!tok_next(&p, end, &t))
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "missing migratetype name");
	r = take_name(st, t, mt, "migratetype");
	if (r < 0)
		return r;
	r = parse_counts(st, &p, end, st->pt.nr_orders, vals, capped);
	if (r < 0)
		return r;

	r = zone_get(st, node, zone, &zi);
	if (r < 0)
		return r;
	if (!st->have_cur || zi != st->cur) {
		r = finish_free_zone(st);
		if (r < 0)
			return r;
		if (st->pt.z[zi].has_free)
			return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
					  "free-list rows of zone '%s' of node %d appear twice",
					  lex_show(span_of(zone), shown, sizeof(shown)), node);
		st->cur = zi;
		st->have_cur = true;
		st->cur_mt = 0;
	}

	m = st->cur_mt;
	if (!st->mt_locked) {
		/* first zone: learn the names in the order printed */
		if (m == FS_MAX_MT)
			return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
					  "more than %d migratetypes", FS_MAX_MT);
		if (pagetypeinfo_mt_index(&st->pt, mt) >= 0)
			return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
					  "migratetype '%s' listed twice",
					  lex_show(span_of(mt), shown, sizeof(shown)));
		strcpy(st->pt.mt_names[m], mt);
		st->pt.nr_mt = m + 1;
	} else if (m >= st->pt.nr_mt) {
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "zone has more than the %u migratetype rows of earlier zones",
				  st->pt.nr_mt);
	} else if (strcmp(st->pt.mt_names[m], mt) != 0) {
		char shown2[FS_NAME_LEN];

		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "migratetype '%s' where earlier zones have '%s'",
				  lex_show(span_of(mt), shown, sizeof(shown)),
				  lex_show(span_of(st->pt.mt_names[m]), shown2, sizeof(shown2)));
	}

	z = &st->pt.z[zi];
	memcpy(z->free[m], vals, st->pt.nr_orders * sizeof(vals[0]));
	memcpy(z->capped[m], capped, st->pt.nr_orders * sizeof(capped[0]));
	z->has_free = true;
	st->cur_mt++;
	return 0;
}

/* "Number of blocks type  MT..." or "Number of mixed blocks  MT..." ("Number" read). */
static int parse_table_header(struct state *st, const char *p, const char *end, bool mixed)
{
	static const char *const blocks_words[] = { "of", "blocks", "type" };
	static const char *const mixed_words[] = { "of", "mixed", "blocks" };
	char name[FS_NAME_LEN], shown[FS_NAME_LEN];
	bool seen[FS_MAX_MT] = { false };
	struct span t;
	unsigned n = 0;
	int idx, r;

	if (!expect_words(&p, end, mixed ? mixed_words : blocks_words, 3))
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL, "%s",
				  sec_expect[st->sec]);
	while (tok_next(&p, end, &t)) {
		r = take_name(st, t, name, "migratetype");
		if (r < 0)
			return r;
		idx = pagetypeinfo_mt_index(&st->pt, name);
		if (idx < 0)
			return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
					  "migratetype '%s' is not among the free-list types",
					  lex_show(t, shown, sizeof(shown)));
		if (seen[idx])
			return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
					  "migratetype '%s' listed twice",
					  lex_show(t, shown, sizeof(shown)));
		seen[idx] = true;
		st->colmap[n++] = (unsigned)idx;
	}
	if (n == 0)
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "header names no migratetypes");
	st->ncols = n;
	return 0;
}

/* "Node N, zone NAME  n n n" in a block or mixed table ("Node" read). */
static int parse_count_row(struct state *st, const char *p, const char *end, bool mixed)
{
	uint64_t vals[FS_MAX_MT];
	char zone[FS_NAME_LEN], shown[FS_NAME_LEN];
	struct pagetype_zone *z;
	bool comma;
	size_t zi;
	unsigned i;
	int node, r;

	r = parse_node_zone(st, &p, end, &node, zone, &comma);
	if (r < 0)
		return r;
	if (comma)
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL, "%s",
				  sec_expect[st->sec]);
	r = parse_counts(st, &p, end, st->ncols, vals, NULL);
	if (r < 0)
		return r;
	r = zone_get(st, node, zone, &zi);
	if (r < 0)
		return r;
	z = &st->pt.z[zi];
	if (mixed ? z->has_mixed : z->has_blocks)
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "%s counts of zone '%s' of node %d appear twice",
				  mixed ? "mixed-block" : "block",
				  lex_show(span_of(zone), shown, sizeof(shown)), node);
	for (i = 0; i < st->ncols; i++) {
		if (mixed)
			z->mixed[st->colmap[i]] = vals[i];
		else
			z->blocks[st->colmap[i]] = vals[i];
	}
	if (mixed)
		z->has_mixed = true;
	else
		z->has_blocks = true;
	return 0;
}

/* One non-blank line: dispatch on its first word and the section. */
static int parse_line(struct state *st, const char *p, const char *end)
{
	struct span t;
	int r;

	tok_next(&p, end, &t);  /* the caller made sure there is one */

	if (span_eq(t, "Page") &&
	    (st->sec == SEC_START || st->sec == SEC_BLOCKS || st->sec == SEC_MIXED)) {
		r = parse_pageblock_order(st, p, end);
		if (r == 0)
			st->sec = SEC_ORDER;
		return r;
	}
	if (span_eq(t, "Pages") && st->sec == SEC_ORDER) {
		r = parse_pages_per_block(st, p, end);
		if (r == 0)
			st->sec = SEC_PERBLOCK;
		return r;
	}
	if (span_eq(t, "Free") && st->sec == SEC_PERBLOCK) {
		r = parse_free_header(st, p, end);
		if (r == 0)
			st->sec = SEC_FREE;
		return r;
	}
	if (span_eq(t, "Node") && st->sec == SEC_FREE)
		return parse_free_row(st, p, end);
	if (span_eq(t, "Node") && (st->sec == SEC_BLOCKS || st->sec == SEC_MIXED))
		return parse_count_row(st, p, end, st->sec == SEC_MIXED);
	if (span_eq(t, "Number") && st->sec == SEC_FREE) {
		r = finish_free_zone(st);
		if (r == 0)
			r = parse_table_header(st, p, end, false);
		if (r == 0)
			st->sec = SEC_BLOCKS;
		return r;
	}
	if (span_eq(t, "Number") && st->sec == SEC_BLOCKS) {
		r = parse_table_header(st, p, end, true);
		if (r == 0)
			st->sec = SEC_MIXED;
		return r;
	}
	return parse_fail(st->perr, st->file, st->lineno, -EINVAL, "%s", sec_expect[st->sec]);
}

/* End of input: the last node must be complete. */
static int parse_end(struct state *st)
{
	char shown[FS_NAME_LEN];
	size_t i;

	if (st->sec == SEC_START)
		return parse_fail(st->perr, st->file, 0, -EINVAL, "no zones");
	if (st->sec != SEC_BLOCKS && st->sec != SEC_MIXED)
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "file ends before the 'Number of blocks type' table");
	for (i = 0; i < st->pt.n; i++) {
		const struct pagetype_zone *z = &st->pt.z[i];

		if (z->has_free && !z->has_blocks)
			return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
					  "file ends before the block counts of zone '%s' of node %d",
					  lex_show(span_of(z->zone), shown, sizeof(shown)), z->node);
	}
	return 0;
}

int pagetypeinfo_parse(const char *buf, size_t len, const char *file,
		       struct pagetypeinfo *ret, struct parse_error *perr)
{
	struct state st = { .file = file, .perr = perr, .sec = SEC_START };
	struct lineiter it;
	const char *line;
	size_t n;
	int r;

	if (!buf)
		len = 0;
	lineiter_init(&it, len ? buf : "", len);
	while (lineiter_next(&it, &line, &n)) {
		st.lineno = it.lineno;
		if (skip_blanks(line, line + n) == line + n)
			continue;
		r = parse_line(&st, line, line + n);
		if (r < 0)
			goto fail;
	}
	r = parse_end(&st);
	if (r < 0)
		goto fail;
	*ret = st.pt;
	return 0;

fail:
	pagetypeinfo_free(&st.pt);
	return r;
}
