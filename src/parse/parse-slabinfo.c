/*
 * parse-slabinfo.c - /proc/slabinfo into struct slabinfo.
 *
 * The kernel prints (print_slabinfo_header() and cache_show() in
 * mm/slab_common.c, s_show() in mm/slab.c before 3.8; reference/kernel.md
 * section 5.4):
 *
 *	slabinfo - version: 2.1[ (statistics)]
 *	# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>[ : globalstat <...>... : cpustat <...>...]
 *	"%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : slabdata %6lu %6lu %6lu" [ " : globalstat ..." " : cpustat ..." ]
 *
 * Version 2.0 (2.6 kernels before 2.6.10 or so) has the same layout, but
 * its header names the tunables "<batchcount> <limit>" while the values
 * are printed limit first (54 27 8: limit 54, batchcount 27), so the
 * three fixed groups are read by position, never by their header names.
 *
 * The column header drives the rest: it must hold the five base columns,
 * then ": tunables" with three and ": slabdata" with three; any further
 * ": NAME <a> <b> ..." group (CONFIG_DEBUG_SLAB's globalstat and cpustat,
 * whose field lists changed between kernels, or anything newer) is kept
 * per cache in globalstat: the globalstat and cpustat fields under their
 * header names ("listallocs", "allochit"), other groups as "NAME.field".
 * Every cache line must repeat the header's groups with the same number
 * of values, in order.
 *
 * A cache name is the first token of its line: any run of non-blank
 * bytes, kept raw (escaping is the renderer's job), of any length (names
 * longer than 17 characters push the columns right; splitting on blanks
 * and on the " : " separators does not care).  A name with a NUL byte is
 * rejected: no kernel string holds one.  Names are not unique; every line
 * is kept in file order and caches sharing a name get SC_DUPLICATE.
 *
 * Strict about what it reads: a missing or unknown version line, a
 * missing column header, a truncated line, a non-number, an overflow or
 * a group that differs from the header fails the whole file with its
 * line number.  Blank lines are skipped, trailing blanks and CRs are
 * optional, a final line without newline is fine.  A header without any
 * cache is an error: every kernel has caches (kmem_cache itself).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "../util/util.h"

/* Bounds of the column header: far above the 4 groups / 24 fields the
 * kernel ever printed; a header beyond them is not slabinfo. */
#define MAX_GROUPS 16
#define MAX_FIELDS 64

/* The fixed groups: base columns, tunables, slabdata. */
#define NR_FIXED_GROUPS 3
#define NR_FIXED_FIELDS 11
static const char *const fixed_group[NR_FIXED_GROUPS] = { "", "tunables", "slabdata" };
static const unsigned fixed_count[NR_FIXED_GROUPS] = { 5, 3, 3 };

/* The column header, as read from line 2.  Spans point into the input. */
struct schema {
	struct {
		struct span name;   /* empty for the base group */
		unsigned first, n;  /* its fields: field[first .. first+n) */
	} g[MAX_GROUPS];
	unsigned ng;
	struct span field[MAX_FIELDS];  /* without the <> */
	char *key[MAX_FIELDS];          /* globalstat key of an extra field; owned */
	unsigned nf;
};

struct state {
	struct slabinfo si;   /* the result being built */
	size_t cap;           /* allocated entries of si.c */
	struct schema sc;
	const char *file;
	unsigned lineno;
	struct parse_error *perr;
};

static void schema_free(struct schema *sc)
{
	for (unsigned i = 0; i < sc->nf; i++)
		free(sc->key[i]);
	sc->nf = 0;
}

static bool line_is_blank(const char *line, size_t n)
{
	return skip_blanks(line, line + n) == line + n;
}

/*
 * "slabinfo - version: MAJOR.MINOR[ (statistics)]".  Only 2.0 and 2.1 are
 * read: 1.x (2.4 kernels) has other columns, and a later version would
 * change them again.
 */
static int parse_version(struct state *st, const char *line, size_t len)
{
	static const char *const words[] = { "slabinfo", "-", "version:" };
	const char *p = line, *end = line + len, *dot;
	char shown[LEX_SHOW_BUFSZ];
	struct span t, maj, min;
	uint64_t vmaj, vmin;

	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (!tok_next(&p, end, &t) || !span_eq(t, words[i]))
			return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
					  "expected 'slabinfo - version: 2.x' as the first line");
	if (!tok_next(&p, end, &t))
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "no version number after 'version:'");
	dot = memchr(t.p, '.', t.n);
	maj.p = t.p;
	maj.n = dot ? (size_t)(dot - t.p) : t.n;
	min.p = dot ? dot + 1 : t.p + t.n;
	min.n = dot ? t.n - maj.n - 1 : 0;
	if (!dot || lex_u64(maj, &vmaj) < 0 || lex_u64(min, &vmin) < 0)
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "bad slabinfo version '%s'", lex_show(t, shown, sizeof(shown)));
	if (vmaj != 2 || vmin > 1)
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "unsupported slabinfo version %s (fragscope reads 2.0 and 2.1)",
				  lex_show(t, shown, sizeof(shown)));
	st->si.version_major = (unsigned)vmaj;
	st->si.version_minor = (unsigned)vmin;
	if (tok_next(&p, end, &t)) {
		if (!span_eq(t, "(statistics)"))
			return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
					  "unexpected '%s' after the version",
					  lex_show(t, shown, sizeof(shown)));
		st->si.statistics = true;
	}
	if (tok_next(&p, end, &t))
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "unexpected '%s' after the version", lex_show(t, shown, sizeof(shown)));
	return 0;
}

/* The globalstat key of field f of extra group g: the field name for the
 * kernel's globalstat and cpustat groups, "group.field" for others. */
static int make_key(struct state *st, unsigned g, unsigned f)
{
	struct span gn = st->sc.g[g].name, fn = st->sc.field[f];
	bool bare = span_eq(gn, "globalstat") || span_eq(gn, "cpustat");
	size_t n = bare ? fn.n : gn.n + 1 + fn.n;
	char *k = malloc(n + 1);

	if (!k)
		return parse_fail(st->perr, st->file, st->lineno, -ENOMEM, "out of memory");
	if (bare) {
		memcpy(k, fn.p, fn.n);
	} else {
		memcpy(k, gn.p, gn.n);
		k[gn.n] = '.';
		memcpy(k + gn.n + 1, fn.p, fn.n);
	}
	k[n] = '\0';
	st->sc.key[f] = k;
	return 0;
}

/*
 * "# name <a> <b> ... : group <c> ... : group ...".  Field tokens are
 * "<name>"; a lone '<' or '>' missing on one side is tolerated (2.6.0-test
 * printed "<freehit <freemiss>").
 */
static int parse_header(struct state *st, const char *line, size_t len)
{
	struct schema *sc = &st->sc;
	const char *p = line, *end = line + len;
	char shown[LEX_SHOW_BUFSZ];
	struct span t;
	unsigned g;
	int r;

	if (!tok_next(&p, end, &t) || !span_eq(t, "#") ||
	    !tok_next(&p, end, &t) || !span_eq(t, "name"))
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "expected the column header '# name <active_objs> ...'");
	sc->ng = 1;
	sc->g[0].name.p = "";
	sc->g[0].name.n = 0;
	sc->g[0].first = 0;
	sc->g[0].n = 0;
	while (tok_next(&p, end, &t)) {
		if (span_eq(t, ":")) {
			if (sc->ng == MAX_GROUPS)
				return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
						  "more than %d ': group' sections in the header",
						  MAX_GROUPS);
			if (!tok_next(&p, end, &t) || t.p[0] == '<' || span_eq(t, ":"))
				return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
						  "no section name after ':' in the header");
			for (g = 0; g < sc->ng; g++)
				if (sc->g[g].name.n == t.n && memcmp(sc->g[g].name.p, t.p, t.n) == 0)
					return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
							  "section '%s' twice in the header",
							  lex_show(t, shown, sizeof(shown)));
			sc->g[sc->ng].name = t;
			sc->g[sc->ng].first = sc->nf;
			sc->g[sc->ng].n = 0;
			sc->ng++;
			continue;
		}
		if (sc->nf == MAX_FIELDS)
			return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
					  "more than %d columns in the header", MAX_FIELDS);
		if (t.p[0] == '<') {
			t.p++;
			t.n--;
		}
		if (t.n > 0 && t.p[t.n - 1] == '>')
			t.n--;
		if (t.n == 0)
			return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
					  "empty column name in the header");
		sc->key[sc->nf] = NULL;
		sc->field[sc->nf++] = t;
		sc->g[sc->ng - 1].n++;
	}

	for (g = 0; g < NR_FIXED_GROUPS; g++) {
		if (g >= sc->ng || !span_eq(sc->g[g].name, fixed_group[g]))
			return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
					  "expected ': %s' as section %u of the header",
					  fixed_group[g], g + 1);
		if (sc->g[g].n != fixed_count[g]) {
			if (g == 0)
				return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
						  "header has %u columns before the first ':', expected %u",
						  sc->g[g].n, fixed_count[g]);
			return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
					  "header section '%s' has %u columns, expected %u",
					  fixed_group[g], sc->g[g].n, fixed_count[g]);
		}
	}
	for (; g < sc->ng; g++)
		for (unsigned f = sc->g[g].first; f < sc->g[g].first + sc->g[g].n; f++) {
			r = make_key(st, g, f);
			if (r < 0)
				return r;
		}
	return 0;
}

/* Append a zeroed cache to st->si.  0 or -ENOMEM (perr filled). */
static int caches_append(struct state *st, struct slab_cache **ret)
{
	struct slabinfo *si = &st->si;

	if (si->n == st->cap) {
		size_t ncap = st->cap ? st->cap * 2 : 64;
		struct slab_cache *nc;

		if (ncap > SIZE_MAX / sizeof(*nc))
			return parse_fail(st->perr, st->file, st->lineno, -ENOMEM, "out of memory");
		nc = realloc(si->c, ncap * sizeof(*nc));
		if (!nc)
			return parse_fail(st->perr, st->file, st->lineno, -ENOMEM, "out of memory");
		si->c = nc;
		st->cap = ncap;
	}
	*ret = &si->c[si->n];
	memset(*ret, 0, sizeof(**ret));
	return 0;
}

/*
 * The common case of one numeric column: blanks, then at most 19 digits
 * ending at a blank or the end of the line.  Returns false, with *pp
 * untouched, for anything else (overflow, a non-digit, the end of the
 * line), which the general tokenizer then reports.  /proc/slabinfo is
 * mostly padding and numbers, and this keeps its parse cheap.
 */
static bool fast_u64(const char **pp, const char *end, uint64_t *ret)
{
	const char *p = *pp, *s;
	uint64_t v = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	s = p;
	while (p < end && (unsigned char)(*p - '0') <= 9 && p - s < 19)
		v = v * 10 + (unsigned)(*p++ - '0');
	if (p == s || (p < end && *p != ' ' && *p != '\t'))
		return false;
	*pp = p;
	*ret = v;
	return true;
}

/* One cache line into a new entry of st->si. */
static int parse_cache(struct state *st, const char *line, size_t len)
{
	const struct schema *sc = &st->sc;
	const char *p = line, *end = line + len;
	char shown[LEX_SHOW_BUFSZ], shown2[LEX_SHOW_BUFSZ];
	uint64_t fixed[NR_FIXED_FIELDS] = { 0 }, v;
	struct slab_cache c = { 0 };
	struct slab_cache *slot = NULL;
	struct span name, t;
	unsigned g, f;
	int r;

	tok_next(&p, end, &name);   /* the line is not blank */
	if (memchr(name.p, '\0', name.n))
		return parse_fail(st->perr, st->file, st->lineno, -EINVAL,
				  "cache name contains a NUL byte");

	for (g = 0; g < sc->ng; g++) {
		if (g > 0) {
			const char *want = g < NR_FIXED_GROUPS ? fixed_group[g] : NULL;
			struct span gn = sc->g[g].name;

			if (!tok_next(&p, end, &t)) {
				r = parse_fail(st->perr, st->file, st->lineno, -EINVAL,
					       "line ends before ': %s' (truncated?)",
					       lex_show(gn, shown, sizeof(shown)));
				goto fail;
			}
			if (!span_eq(t, ":")) {
				r = parse_fail(st->perr, st->file, st->lineno, -EINVAL,
					       "expected ': %s', got '%s' (more columns than the header?)",
					       lex_show(gn, shown, sizeof(shown)),
					       lex_show(t, shown2, sizeof(shown2)));
				goto fail;
			}
			if (!tok_next(&p, end, &t) ||
			    (want ? !span_eq(t, want) : !(t.n == gn.n && memcmp(t.p, gn.p, t.n) == 0))) {
				r = parse_fail(st->perr, st->file, st->lineno, -EINVAL,
					       "expected ': %s' as in the header",
					       lex_show(gn, shown, sizeof(shown)));
				goto fail;
			}
		}
		for (f = sc->g[g].first; f < sc->g[g].first + sc->g[g].n; f++) {
			if (fast_u64(&p, end, &v))
				goto have;
			if (!tok_next(&p, end, &t)) {
				r = parse_fail(st->perr, st->file, st->lineno, -EINVAL,
					       "line ends before <%s> (truncated?)",
					       lex_show(sc->field[f], shown, sizeof(shown)));
				goto fail;
			}
			r = lex_u64(t, &v);
			if (r < 0) {
				r = parse_fail(st->perr, st->file, st->lineno, r, "<%s>: %s: '%s'",
					       lex_show(sc->field[f], shown, sizeof(shown)),
					       lex_strerror(r), lex_show(t, shown2, sizeof(shown2)));
				goto fail;
			}
have:
			if (f < NR_FIXED_FIELDS) {
				fixed[f] = v;
			} else if (kvlist_add(&c.globalstat, sc->key[f], strlen(sc->key[f]), v) < 0) {
				r = parse_fail(st->perr, st->file, st->lineno, -ENOMEM, "out of memory");
				goto fail;
			}
		}
	}
	if (tok_next(&p, end, &t)) {
		r = parse_fail(st->perr, st->file, st->lineno, -EINVAL,
			       "unexpected '%s' after the last column",
			       lex_show(t, shown, sizeof(shown)));
		goto fail;
	}

	c.active_objs = fixed[0];
	c.num_objs = fixed[1];
	c.objsize = fixed[2];
	c.objperslab = fixed[3];
	c.pagesperslab = fixed[4];
	c.limit = fixed[5];          /* limit first in 2.0 too, whatever its header says */
	c.batchcount = fixed[6];
	c.sharedfactor = fixed[7];
	c.active_slabs = fixed[8];
	c.num_slabs = fixed[9];
	c.sharedavail = fixed[10];
	c.have = SC_SLABINFO;
	c.line = st->lineno;
	c.name = xstrndup(name.p, name.n);
	if (!c.name) {
		r = parse_fail(st->perr, st->file, st->lineno, -ENOMEM, "out of memory");
		goto fail;
	}
	r = caches_append(st, &slot);
	if (r < 0)
		goto fail;
	*slot = c;
	st->si.n++;
	/* SLUB prints 0 0 0; SLAB's limit and batchcount are never 0. */
	if (c.limit || c.batchcount || c.sharedfactor)
		st->si.slab_allocator = true;
	return 0;

fail:
	slab_cache_free(&c);
	return r;
}

/* FNV-1a: spreads cache names well enough for a table of a few hundred. */
static uint64_t name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3u;
	return h;
}

/* Set SC_DUPLICATE on every cache whose name another cache shares: one
 * pass over an open-addressing table of the names, O(n). */
static int mark_duplicates(struct slabinfo *si)
{
	size_t cap = 16, *slot;

	if (si->n < 2)
		return 0;
	while (cap < 2 * si->n)
		cap *= 2;
	slot = malloc(cap * sizeof(*slot));
	if (!slot)
		return -ENOMEM;
	for (size_t i = 0; i < cap; i++)
		slot[i] = SIZE_MAX;
	for (size_t i = 0; i < si->n; i++) {
		size_t k = (size_t)name_hash(si->c[i].name) & (cap - 1);

		for (;; k = (k + 1) & (cap - 1)) {
			if (slot[k] == SIZE_MAX) {
				slot[k] = i;
				break;
			}
			if (strcmp(si->c[slot[k]].name, si->c[i].name) == 0) {
				si->c[slot[k]].have |= SC_DUPLICATE;
				si->c[i].have |= SC_DUPLICATE;
				break;
			}
		}
	}
	free(slot);
	return 0;
}

/* The line up to its newline (or the end); *pp past the newline. */
static size_t next_line(const char **pp, const char *end, const char **line)
{
	const char *p = *pp, *nl = memchr(p, '\n', (size_t)(end - p));
	size_t n = (size_t)((nl ? nl : end) - p);

	*line = p;
	*pp = nl ? nl + 1 : end;
	return n;
}

/* " : WORD" at *pp; true (and past it) or false. */
static bool fast_sep(const char **pp, const char *end, const char *word)
{
	const char *p = *pp;
	size_t n = strlen(word);

	while (p < end && *p == ' ')
		p++;
	if ((size_t)(end - p) < 2 + n || p[0] != ':' || p[1] != ' ' || memcmp(p + 2, word, n) != 0)
		return false;
	*pp = p + 2 + n;
	return true;
}

int slabinfo_update(struct slabinfo *si, const char *buf, size_t len)
{
	static const char version[] = "slabinfo - version: 2.1";
	const char *p = buf, *end = buf + len, *line;
	size_t n, i = 0;

	if (si->version_major != 2 || si->version_minor != 1 || si->statistics)
		return 1;
	n = next_line(&p, end, &line);
	if (n != sizeof(version) - 1 || memcmp(line, version, n) != 0)
		return 1;
	n = next_line(&p, end, &line);
	if (n < 7 || memcmp(line, "# name ", 7) != 0 || memmem(line, n, "globalstat", 10))
		return 1;
	while (p < end) {
		const char *q, *e;
		struct slab_cache *c;
		uint64_t v[NR_FIXED_FIELDS];
		unsigned f = 0;
		size_t nl;

		n = next_line(&p, end, &line);
		if (n == 0)
			continue;
		if (i >= si->n || !(si->c[i].have & SC_SLABINFO))
			return 1;
		c = &si->c[i];
		e = line + n;
		nl = strlen(c->name);
		if (nl >= n || memcmp(line, c->name, nl) != 0 || line[nl] != ' ')
			return 1;
		q = line + nl;
		for (unsigned g = 0; g < NR_FIXED_GROUPS; g++) {
			if (g > 0 && !fast_sep(&q, e, fixed_group[g]))
				return 1;
			for (unsigned k = 0; k < fixed_count[g]; k++)
				if (!fast_u64(&q, e, &v[f++]))
					return 1;
		}
		while (q < e && (*q == ' ' || *q == '\t' || *q == '\r'))
			q++;
		if (q != e)
			return 1;
		c->active_objs = v[0];
		c->num_objs = v[1];
		c->objsize = v[2];
		c->objperslab = v[3];
		c->pagesperslab = v[4];
		c->limit = v[5];
		c->batchcount = v[6];
		c->sharedfactor = v[7];
		c->active_slabs = v[8];
		c->num_slabs = v[9];
		c->sharedavail = v[10];
		i++;
	}
	/* Every /proc cache seen again (the rest are sysfs-only)? */
	return i < si->n && (si->c[i].have & SC_SLABINFO) ? 1 : 0;
}

int slabinfo_parse(const char *buf, size_t len, const char *file,
		   struct slabinfo *ret, struct parse_error *perr)
{
	struct state st;
	struct lineiter it;
	const char *line;
	size_t n;
	enum { WANT_VERSION, WANT_HEADER, CACHES } where = WANT_VERSION;
	int r;

	memset(&st, 0, sizeof(st));
	st.file = file;
	st.perr = perr;
	if (!buf)
		len = 0;
	lineiter_init(&it, len ? buf : "", len);
	while (lineiter_next(&it, &line, &n)) {
		st.lineno = it.lineno;
		if (line_is_blank(line, n))
			continue;
		switch (where) {
		case WANT_VERSION:
			r = parse_version(&st, line, n);
			where = WANT_HEADER;
			break;
		case WANT_HEADER:
			r = parse_header(&st, line, n);
			where = CACHES;
			break;
		default:
			r = parse_cache(&st, line, n);
			break;
		}
		if (r < 0)
			goto fail;
	}
	if (where == WANT_VERSION) {
		r = parse_fail(perr, file, 0, -EINVAL, "empty file: no 'slabinfo - version:' line");
		goto fail;
	}
	if (where == WANT_HEADER) {
		r = parse_fail(perr, file, it.lineno + 1, -EINVAL,
			       "file ends before the column header '# name ...'");
		goto fail;
	}
	if (st.si.n == 0) {
		r = parse_fail(perr, file, 0, -EINVAL, "no caches after the header");
		goto fail;
	}
	r = mark_duplicates(&st.si);
	if (r < 0) {
		parse_fail(perr, file, 0, r, "out of memory");
		goto fail;
	}
	schema_free(&st.sc);
	*ret = st.si;
	return 0;

fail:
	schema_free(&st.sc);
	slabinfo_free(&st.si);
	return r;
}
