/*
 * parse-zoneinfo.c - /proc/zoneinfo into struct zoneinfo.
 *
 * The file has changed shape many times between 2.6.16 and 6.18 (see
 * reference/kernel.md 5.3): counters nested under each zone before 4.8
 * and a "per-node stats" block after; "protection:" before or after the
 * counters; boost (5.0), cma, promo (6.12) and nr_free_pages_blocks
 * lines coming and going; hot/cold pagesets ("cpu: 0 pcp: 1") in 2.6;
 * high_min/high_max (6.7); unpopulated zones that stop right after
 * "protection:"; and captures that lost the final newline.  Fixed
 * columns or a fixed line order would break on one of them, so the
 * parser is line oriented and classifies each line by its key: the text
 * before the first token that starts with a digit ("pages free", "min",
 * "high" versus the pageset's "high:", "vm stats threshold:").
 *
 *   "Node N, zone NAME"     starts a zone; its index is the number of
 *                           zones seen before it on the same node.
 *   "per-node stats"        opens the node's block; every "name value"
 *                           line until "pages free" is a node counter.
 *   known keys              typed fields and ZI_* bits in have.
 *   "protection: (a, ...)"  lowmem_reserve, at most FS_MAX_ZONES entries.
 *   "cpu:" ... "count:" ... the pageset summary (hot and cold both count).
 *   "nr_*", "numa_*", ...   zone counters (stats).
 *   anything else "k v"     other (scanned, inactive_ratio, ...).
 *   a bare number           kept under the empty name "": RHEL 8's 4.18
 *                           printed a node counter whose name was "".
 *
 * Kernels before 4.12 print only populated zones, so there the position
 * within a node (zone_info.index) is not the kernel's zone index; the
 * length of the protection tuple is still MAX_NR_ZONES.
 *
 * Numbers are strict (digits only, overflow checked).  A line with no
 * number that is not a section marker, a malformed header or tuple,
 * content before the first header and a zone with no "pages free" line
 * (a truncated capture) are errors; unknown keyed lines never are.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "../util/util.h"

/* Longest piece of an offending line quoted in an error message. */

enum zi_section {
	SEC_NONE,       /* before the first "Node" header */
	SEC_ZONE,       /* in a zone, outside the per-node block */
	SEC_NODE_STATS, /* between "per-node stats" and "pages free" */
};

struct zi_parser {
	const char *file;
	struct parse_error *perr;
	unsigned lineno;
	enum zi_section sec;
	size_t node_block;      /* zi.nodes index of the open per-node block */
	struct zoneinfo zi;     /* built in place (over the last parse's memory
				 * when re-parsing), moved to *ret on success */
};

/* A content line cut at its value. */
struct zi_line {
	struct span first;      /* first token */
	struct span key;        /* text before the value, blank-trimmed; may be empty */
	bool has_value;
	struct span value;      /* first token that starts with a digit */
	const char *rest;       /* just after the value */
	const char *end;
};

/* Typed per-zone fields: the watermark/size block and the zone trailer. */
struct zi_field {
	const char *key;
	unsigned bit;
	size_t off;
};

static const struct zi_field zone_fields[] = {
	{ "pages free", ZI_PAGES_FREE, offsetof(struct zone_info, pages_free) },
	{ "boost", ZI_BOOST, offsetof(struct zone_info, boost) },
	{ "min", ZI_MIN, offsetof(struct zone_info, min) },
	{ "low", ZI_LOW, offsetof(struct zone_info, low) },
	{ "high", ZI_HIGH, offsetof(struct zone_info, high) },
	{ "promo", ZI_PROMO, offsetof(struct zone_info, promo) },
	{ "spanned", ZI_SPANNED, offsetof(struct zone_info, spanned) },
	{ "present", ZI_PRESENT, offsetof(struct zone_info, present) },
	{ "managed", ZI_MANAGED, offsetof(struct zone_info, managed) },
	{ "cma", ZI_CMA, offsetof(struct zone_info, cma) },
	{ "start_pfn:", ZI_START_PFN, offsetof(struct zone_info, start_pfn) },
};

enum pcp_kind {
	PCP_COUNT,
	PCP_HIGH,
	PCP_BATCH,
	PCP_HIGH_MIN,
	PCP_HIGH_MAX,
	PCP_THRESHOLD,
};

static const struct {
	const char *key;
	enum pcp_kind kind;
} pcp_fields[] = {
	{ "count:", PCP_COUNT },
	{ "high:", PCP_HIGH },
	{ "batch:", PCP_BATCH },
	{ "high_min:", PCP_HIGH_MIN },
	{ "high_max:", PCP_HIGH_MAX },
	{ "vm stats threshold:", PCP_THRESHOLD },
};

/*
 * Names that are counters (enum zone_stat_item, numa_stat_item and, in
 * old kernels, the LRU counters) rather than one-off zone properties.
 */
static const char *const counter_prefixes[] = {
	"nr_", "numa_", "pg", "workingset_", "thp_", "compact_", "htlb_",
	"unevictable_", "swap_", "balloon_", "ksm_", "zone_reclaim_",
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static struct span span_between(const char *a, const char *b)
{
	return (struct span){ a, (size_t)(b - a) };
}

/* The name a key is stored under: without the trailing ':' of "inactive_ratio:". */
static struct span key_name(struct span key)
{
	if (key.n > 0 && key.p[key.n - 1] == ':')
		key.n--;
	return key;
}

static bool key_is_counter(struct span key)
{
	if (memchr(key.p, ' ', key.n) || memchr(key.p, '\t', key.n))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(counter_prefixes); i++)
		if (span_startswith(key, counter_prefixes[i]))
			return true;
	return false;
}

static void split_line(const char *line, size_t len, struct zi_line *zl)
{
	const char *p = line, *end = line + len, *key_end = NULL;
	struct span tok;

	memset(zl, 0, sizeof(*zl));
	zl->end = end;
	zl->rest = end;
	zl->key.p = skip_blanks(line, end);
	while (tok_next(&p, end, &tok)) {
		if (!zl->first.p)
			zl->first = tok;
		if (is_digit(tok.p[0])) {
			zl->has_value = true;
			zl->value = tok;
			zl->rest = p;
			break;
		}
		key_end = tok.p + tok.n;
	}
	zl->key.n = key_end ? (size_t)(key_end - zl->key.p) : 0;
}

static struct zone_info *cur_zone(struct zi_parser *ps)
{
	return &ps->zi.z[ps->zi.n - 1];
}

static int value_u64(struct zi_parser *ps, const struct zi_line *zl, uint64_t *ret)
{
	char sb1[LEX_SHOW_BUFSZ];
	char sb2[LEX_SHOW_BUFSZ];
	int r = lex_u64(zl->value, ret);

	if (r < 0)
		return parse_fail(ps->perr, ps->file, ps->lineno, r,
				  "'%s': value '%s': %s",
				  lex_show(zl->key, sb1, sizeof(sb1)),
				  lex_show(zl->value, sb2, sizeof(sb2)),
				  lex_strerror(r));
	return 0;
}

static int no_trailing_text(struct zi_parser *ps, const struct zi_line *zl)
{
	char sb1[LEX_SHOW_BUFSZ];
	char sb2[LEX_SHOW_BUFSZ];
	const char *p = skip_blanks(zl->rest, zl->end);

	if (p == zl->end)
		return 0;
	return parse_fail(ps->perr, ps->file, ps->lineno, -EINVAL,
			  "'%s': unexpected text after the value: '%s'",
			  lex_show(zl->key, sb1, sizeof(sb1)),
			  lex_show((struct span){ p, (size_t)(zl->end - p) }, sb2, sizeof(sb2)));
}

static int add_kv(struct zi_parser *ps, struct kvlist *l, struct span name, uint64_t v)
{
	int r = kvlist_add(l, name.p, name.n, v);

	if (r < 0)
		return parse_fail(ps->perr, ps->file, ps->lineno, r, "out of memory");
	return 0;
}

/*
 * A zone ends at the next header or at the end of the file.  Every zone,
 * populated or not, prints "pages free"; a zone without it was cut off.
 */
static int zone_close(struct zi_parser *ps)
{
	char sb1[LEX_SHOW_BUFSZ];
	const struct zone_info *z;

	if (ps->sec == SEC_NONE)
		return 0;
	z = cur_zone(ps);
	if (!(z->have & ZI_PAGES_FREE))
		return parse_fail(ps->perr, ps->file, z->line, -EINVAL,
				  "node %d zone '%s' has no 'pages free' line (truncated file?)",
				  z->node, lex_show((struct span){ z->name, strlen(z->name) }, sb1, sizeof(sb1)));
	return 0;
}

/* "Node 0, zone      DMA": exactly four tokens. */
static int parse_header(struct zi_parser *ps, const char *line, size_t len)
{
	char sb1[LEX_SHOW_BUFSZ];
	const char *p = line, *end = line + len;
	struct span tok[5];
	struct zone_info *z;
	unsigned n = 0, index = 0;
	uint64_t node;
	int r;

	while (n < 5 && tok_next(&p, end, &tok[n]))
		n++;
	if (n != 4 || !span_eq(tok[0], "Node") || tok[1].n < 2 ||
	    tok[1].p[tok[1].n - 1] != ',' || !span_eq(tok[2], "zone"))
		return parse_fail(ps->perr, ps->file, ps->lineno, -EINVAL,
				  "malformed zone header '%s' (expected 'Node N, zone NAME')",
				  lex_show((struct span){ line, len }, sb1, sizeof(sb1)));
	tok[1].n--;
	r = lex_u64(tok[1], &node);
	if (r < 0)
		return parse_fail(ps->perr, ps->file, ps->lineno, r,
				  "zone header: node '%s': %s",
				  lex_show(tok[1], sb1, sizeof(sb1)),
				  lex_strerror(r));
	if (node > INT_MAX)
		return parse_fail(ps->perr, ps->file, ps->lineno, -ERANGE,
				  "zone header: node %llu out of range", (unsigned long long)node);
	if (tok[3].n >= FS_NAME_LEN)
		return parse_fail(ps->perr, ps->file, ps->lineno, -EINVAL,
				  "zone name '%s' longer than %d characters",
				  lex_show(tok[3], sb1, sizeof(sb1)),
				  FS_NAME_LEN - 1);

	for (size_t i = 0; i < ps->zi.n; i++)
		if (ps->zi.z[i].node == (int)node)
			index++;
	if (index >= FS_MAX_ZONES)
		return parse_fail(ps->perr, ps->file, ps->lineno, -ERANGE,
				  "node %d has more than %d zones", (int)node, FS_MAX_ZONES);

	if (ps->zi.n == ps->zi.zcap) {
		size_t cap = ps->zi.zcap ? ps->zi.zcap * 2 : 8;
		struct zone_info *nz = realloc(ps->zi.z, cap * sizeof(*nz));

		if (!nz)
			return parse_fail(ps->perr, ps->file, ps->lineno, -ENOMEM, "out of memory");
		ps->zi.z = nz;
		ps->zi.zcap = cap;
	}
	z = &ps->zi.z[ps->zi.n++];
	if (ps->zi.n <= ps->zi.zkept) {
		/* A zone of the last parse: keep its lists' memory. */
		struct kvlist stats = z->stats, other = z->other;

		memset(z, 0, sizeof(*z));
		z->stats = stats;
		z->other = other;
		kvlist_recycle(&z->stats);
		kvlist_recycle(&z->other);
	} else {
		memset(z, 0, sizeof(*z));
		ps->zi.zkept = ps->zi.n;
	}
	z->node = (int)node;
	memcpy(z->name, tok[3].p, tok[3].n);
	z->name[tok[3].n] = '\0';
	z->index = index;
	z->line = ps->lineno;
	ps->sec = SEC_ZONE;
	return 0;
}

static int open_node_block(struct zi_parser *ps)
{
	const struct zone_info *z = cur_zone(ps);
	struct zoneinfo_node *nn;

	if (ps->sec == SEC_NODE_STATS || (z->have & ZI_PAGES_FREE))
		return parse_fail(ps->perr, ps->file, ps->lineno, -EINVAL,
				  "'per-node stats' after the zone's 'pages free' line");
	for (size_t i = 0; i < ps->zi.nn; i++)
		if (ps->zi.nodes[i].node == z->node)
			return parse_fail(ps->perr, ps->file, ps->lineno, -EINVAL,
					  "second 'per-node stats' block for node %d", z->node);
	if (ps->zi.nn == ps->zi.ncap) {
		size_t cap = ps->zi.ncap ? ps->zi.ncap * 2 : 4;

		nn = realloc(ps->zi.nodes, cap * sizeof(*nn));
		if (!nn)
			return parse_fail(ps->perr, ps->file, ps->lineno, -ENOMEM, "out of memory");
		ps->zi.nodes = nn;
		ps->zi.ncap = cap;
	}
	nn = ps->zi.nodes;
	if (ps->zi.nn < ps->zi.nkept) {
		kvlist_recycle(&nn[ps->zi.nn].stats);
	} else {
		memset(&nn[ps->zi.nn], 0, sizeof(*nn));
		ps->zi.nkept = ps->zi.nn + 1;
	}
	nn[ps->zi.nn].node = z->node;
	ps->node_block = ps->zi.nn++;
	ps->sec = SEC_NODE_STATS;
	return 0;
}

/* "protection: (0, 3019, 3659, 3659, 3659)"; p points after "protection:". */
static int parse_protection(struct zi_parser *ps, const char *line, size_t len, const char *p)
{
	char sb1[LEX_SHOW_BUFSZ];
	const char *end = line + len;
	uint64_t v[FS_MAX_ZONES];
	struct zone_info *z;
	unsigned n = 0;
	int r;

	p = skip_blanks(p, end);
	if (p == end || *p != '(')
		goto bad;
	p++;
	for (;;) {
		struct span num;
		const char *s;

		s = p = skip_blanks(p, end);
		while (p < end && is_digit(*p))
			p++;
		num = span_between(s, p);
		if (num.n == 0)
			goto bad;
		if (n == FS_MAX_ZONES)
			return parse_fail(ps->perr, ps->file, ps->lineno, -ERANGE,
					  "protection: more than %d entries", FS_MAX_ZONES);
		r = lex_u64(num, &v[n]);
		if (r < 0)
			return parse_fail(ps->perr, ps->file, ps->lineno, r,
					  "protection: entry %u: %s", n, lex_strerror(r));
		n++;
		p = skip_blanks(p, end);
		if (p == end)
			goto bad;
		if (*p == ')')
			break;
		if (*p != ',')
			goto bad;
		p++;
	}
	if (skip_blanks(p + 1, end) != end)
		goto bad;

	z = cur_zone(ps);
	memset(z->protection, 0, sizeof(z->protection));
	memcpy(z->protection, v, n * sizeof(v[0]));
	z->nr_protection = n;
	z->have |= ZI_PROTECTION;
	return 0;
bad:
	return parse_fail(ps->perr, ps->file, ps->lineno, -EINVAL,
			  "malformed protection tuple '%s'",
			  lex_show((struct span){ line, len }, sb1, sizeof(sb1)));
}

static int pcp_add(struct zi_parser *ps, const struct zi_line *zl, enum pcp_kind kind, uint64_t v)
{
	char sb1[LEX_SHOW_BUFSZ];
	struct pageset_summary *pcp = &cur_zone(ps)->pcp;
	uint64_t *max = NULL;

	switch (kind) {
	case PCP_COUNT:
		/* Pages: bounded like every page count (limits.h). */
		if (add_overflow_u64(pcp->count, v, &pcp->count) || pcp->count > FS_MAX_PAGES)
			goto overflow;
		return 0;
	case PCP_HIGH:
		if (add_overflow_u64(pcp->high, v, &pcp->high))
			goto overflow;
		return 0;
	case PCP_BATCH:
		max = &pcp->batch_max;
		break;
	case PCP_HIGH_MIN:
		max = &pcp->high_min_max;
		break;
	case PCP_HIGH_MAX:
		max = &pcp->high_max_max;
		break;
	case PCP_THRESHOLD:
		max = &pcp->threshold_max;
		break;
	}
	if (v > *max)
		*max = v;
	return 0;
overflow:
	return parse_fail(ps->perr, ps->file, ps->lineno, -ERANGE,
			  "'%s': sum over the pagesets is too large", lex_show(zl->key, sb1, sizeof(sb1)));
}

/* A "key value" line inside a zone (or the per-node block). */
static int parse_value_line(struct zi_parser *ps, const struct zi_line *zl)
{
	char sb1[LEX_SHOW_BUFSZ];
	struct zone_info *z = cur_zone(ps);
	uint64_t v;
	int r;

	r = value_u64(ps, zl, &v);
	if (r < 0)
		return r;

	if (ps->sec == SEC_NODE_STATS) {
		if (!span_eq(zl->key, "pages free")) {
			r = no_trailing_text(ps, zl);
			if (r < 0)
				return r;
			return add_kv(ps, &ps->zi.nodes[ps->node_block].stats, key_name(zl->key), v);
		}
		ps->sec = SEC_ZONE;
	}

	for (size_t i = 0; i < ARRAY_SIZE(zone_fields); i++) {
		if (!span_eq(zl->key, zone_fields[i].key))
			continue;
		r = no_trailing_text(ps, zl);
		if (r < 0)
			return r;
		/* Every typed field is a page count or a pfn (limits.h). */
		if (v > FS_MAX_PAGES)
			return parse_fail(ps->perr, ps->file, ps->lineno, -ERANGE,
					  "'%s': %llu pages exceed any possible zone",
					  lex_show(zl->key, sb1, sizeof(sb1)), (unsigned long long)v);
		*(uint64_t *)((char *)z + zone_fields[i].off) = v;
		z->have |= zone_fields[i].bit;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(pcp_fields); i++) {
		if (!span_eq(zl->key, pcp_fields[i].key))
			continue;
		r = no_trailing_text(ps, zl);
		if (r < 0)
			return r;
		return pcp_add(ps, zl, pcp_fields[i].kind, v);
	}
	if (span_eq(zl->key, "cpu:")) {
		/* One pageset per line; 2.6 adds " pcp: 0|1" (hot/cold). */
		z->pcp.nr++;
		z->have |= ZI_PAGESETS;
		return 0;
	}
	if (span_eq(zl->key, "node_unreclaimable:") || span_eq(zl->key, "all_unreclaimable:")) {
		r = no_trailing_text(ps, zl);
		if (r < 0)
			return r;
		z->unreclaimable = v != 0;
		z->have |= ZI_UNRECLAIMABLE;
		return 0;
	}
	if (key_is_counter(zl->key)) {
		r = no_trailing_text(ps, zl);
		if (r < 0)
			return r;
		return add_kv(ps, &z->stats, zl->key, v);
	}
	/* Unknown: keep the first number ("scanned  0 (a: 0 i: 0)" drops its tail). */
	return add_kv(ps, &z->other, key_name(zl->key), v);
}

static int parse_line(struct zi_parser *ps, const char *line, size_t len)
{
	char sb1[LEX_SHOW_BUFSZ];
	struct zi_line zl;
	int r;

	if (skip_blanks(line, line + len) == line + len)
		return 0;
	if (len >= 4 && memcmp(line, "Node", 4) == 0 && (len == 4 || line[4] == ' ' || line[4] == '\t')) {
		r = zone_close(ps);
		if (r < 0)
			return r;
		return parse_header(ps, line, len);
	}

	split_line(line, len, &zl);
	if (ps->sec == SEC_NONE)
		return parse_fail(ps->perr, ps->file, ps->lineno, -EINVAL,
				  "'%s' before the first 'Node N, zone NAME' header",
				  lex_show(zl.first, sb1, sizeof(sb1)));

	if (span_eq(zl.first, "protection:"))
		return parse_protection(ps, line, len, zl.first.p + zl.first.n);

	if (zl.has_value)
		return parse_value_line(ps, &zl);

	if (span_eq(zl.key, "per-node stats"))
		return open_node_block(ps);
	if (span_eq(zl.key, "pagesets")) {
		cur_zone(ps)->have |= ZI_PAGESETS;
		ps->sec = SEC_ZONE;
		return 0;
	}
	return parse_fail(ps->perr, ps->file, ps->lineno, -EINVAL,
			  "unrecognised line without a value: '%s'",
			  lex_show(zl.key, sb1, sizeof(sb1)));
}

/* Free what a re-parse kept and did not use: lists past the new ends. */
static void zoneinfo_trim(struct zoneinfo *zi)
{
	for (size_t i = 0; i < zi->zkept; i++) {
		if (i < zi->n) {
			kvlist_trim(&zi->z[i].stats);
			kvlist_trim(&zi->z[i].other);
		} else {
			kvlist_free(&zi->z[i].stats);
			kvlist_free(&zi->z[i].other);
		}
	}
	zi->zkept = zi->n;
	for (size_t i = 0; i < zi->nkept; i++) {
		if (i < zi->nn)
			kvlist_trim(&zi->nodes[i].stats);
		else
			kvlist_free(&zi->nodes[i].stats);
	}
	zi->nkept = zi->nn;
}

int zoneinfo_reparse(const char *buf, size_t len, const char *file,
		     struct zoneinfo *zi, struct parse_error *perr)
{
	struct zi_parser ps = { .file = file, .perr = perr, .sec = SEC_NONE, .zi = *zi };
	struct lineiter it;
	const char *line;
	size_t n;
	int r;

	/* Start empty over the last parse's memory. */
	if (ps.zi.zkept < ps.zi.n)
		ps.zi.zkept = ps.zi.n;
	if (ps.zi.nkept < ps.zi.nn)
		ps.zi.nkept = ps.zi.nn;
	ps.zi.n = ps.zi.nn = 0;
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line, &n)) {
		ps.lineno = it.lineno;
		r = parse_line(&ps, line, n);
		if (r < 0)
			goto fail;
	}
	r = zone_close(&ps);
	if (r < 0)
		goto fail;
	if (ps.zi.n == 0) {
		r = parse_fail(perr, file, 0, -EINVAL, "no zones");
		goto fail;
	}
	zoneinfo_trim(&ps.zi);
	*zi = ps.zi;
	return 0;
fail:
	zoneinfo_free(&ps.zi);
	memset(zi, 0, sizeof(*zi));
	return r;
}

int zoneinfo_parse(const char *buf, size_t len, const char *file,
		   struct zoneinfo *ret, struct parse_error *perr)
{
	struct zoneinfo zi = { 0 };
	int r = zoneinfo_reparse(buf, len, file, &zi, perr);

	if (r == 0)
		*ret = zi;
	return r;
}
