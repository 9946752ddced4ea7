/*
 * parse-meminfo.c - /proc/meminfo and the per-node
 * /sys/devices/system/node/nodeN/meminfo.
 *
 * Each line is "Name:<blanks>value[ kB]" (per node: "Node N Name: ...").
 * The kernel pads names to a column but values grow past it (10-11 digits
 * on big machines) and a few fields have their own printf (KernelStack
 * with no blank before the number), so lines are split on the first ':'
 * and then on whitespace, never by column.  Every field is kept in file
 * order, unknown ones included; duplicates are kept too (lookups take the
 * first).  What is read is validated strictly: one unsigned decimal,
 * optionally followed by the unit "kB", and nothing else.
 *
 * 2.4 kernels printed a byte-count table before the fields:
 *
 *	        total:    used:    free:  shared: buffers:  cached:
 *	Mem:  260579328 136073216 124506112        0  4915200 94064640
 *	Swap:        0        0        0
 *
 * Some later vendor kernels kept it.  It is recognised at the top of the
 * file, skipped, and flagged in meminfo.legacy_header.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "../util/util.h"


static bool line_is_blank(const char *p, const char *end)
{
	return skip_blanks(p, end) == end;
}

static int meminfo_append(struct meminfo *mi, struct span name, uint64_t value,
			  bool kb, unsigned line)
{
	struct meminfo_field *f;

	if (mi->n == mi->cap) {
		size_t cap = mi->cap ? mi->cap * 2 : 64;

		f = realloc(mi->f, cap * sizeof(*f));
		if (!f)
			return -ENOMEM;
		mi->f = f;
		mi->cap = cap;
	}
	f = &mi->f[mi->n];
	if (mi->n < mi->named) {
		/* A re-parse: the same field here as last time keeps its name. */
		if (strnlen(f->name, name.n + 1) != name.n || memcmp(f->name, name.p, name.n) != 0) {
			for (size_t i = mi->n; i < mi->named; i++)
				free(mi->f[i].name);
			mi->named = mi->n;
		}
	}
	if (mi->n >= mi->named) {
		f->name = xstrndup(name.p, name.n);
		if (!f->name)
			return -ENOMEM;
		mi->named = mi->n + 1;
	}
	f->value = value;
	f->kb = kb;
	f->line = line;
	mi->n++;
	return 0;
}

/* The 2.4 header line: "  total:  used:  free: ...". */
static bool is_legacy_header(const char *p, const char *end)
{
	struct span t;

	return tok_next(&p, end, &t) && span_eq(t, "total:") &&
	       tok_next(&p, end, &t) && span_eq(t, "used:") &&
	       tok_next(&p, end, &t) && span_eq(t, "free:");
}

/* A row of the 2.4 table: "Mem:" or "Swap:" and one or more byte counts. */
static bool is_legacy_row(const char *p, const char *end)
{
	struct span t;
	uint64_t v;
	unsigned n = 0;

	if (!tok_next(&p, end, &t) || !(span_eq(t, "Mem:") || span_eq(t, "Swap:")))
		return false;
	while (tok_next(&p, end, &t)) {
		if (lex_u64(t, &v) < 0)
			return false;
		n++;
	}
	/* A modern single-value "Mem: 5 kB" would not get here (kB is not a
	 * number); a bare "Mem: 5" is ambiguous, so require the table shape. */
	return n >= 2;
}

/*
 * Parse "Name: value [kB]" in [p, end) and append it to mi.  The name is
 * everything before the first ':' and must be non-empty printable ASCII
 * without blanks ("Active(anon)" is fine).
 */
static int parse_field(const char *p, const char *end, const char *file,
		       unsigned lineno, struct meminfo *mi,
		       struct parse_error *perr)
{
	char b1[LEX_SHOW_BUFSZ], b2[LEX_SHOW_BUFSZ];
	const char *colon;
	struct span name, val, unit, extra;
	uint64_t v;
	bool kb = false;
	int r;

	colon = memchr(p, ':', (size_t)(end - p));
	if (!colon)
		return parse_fail(perr, file, lineno, -EINVAL,
				  "expected 'Name: value', found '%s'",
				  lex_show((struct span){ p, (size_t)(end - p) },
				       b1, sizeof(b1)));
	name.p = p;
	name.n = (size_t)(colon - p);
	if (name.n == 0)
		return parse_fail(perr, file, lineno, -EINVAL,
				  "field name missing before ':'");
	for (size_t i = 0; i < name.n; i++) {
		unsigned char c = (unsigned char)name.p[i];

		if (c <= 0x20 || c >= 0x7f)
			return parse_fail(perr, file, lineno, -EINVAL,
					  "bad character in field name '%s'",
					  lex_show(name, b1, sizeof(b1)));
	}

	p = colon + 1;
	if (!tok_next(&p, end, &val))
		return parse_fail(perr, file, lineno, -EINVAL,
				  "missing value for '%s'",
				  lex_show(name, b1, sizeof(b1)));
	r = lex_u64(val, &v);
	if (r < 0)
		return parse_fail(perr, file, lineno, r,
				  "value of '%s': %s: '%s'",
				  lex_show(name, b1, sizeof(b1)), lex_strerror(r),
				  lex_show(val, b2, sizeof(b2)));
	if (tok_next(&p, end, &unit)) {
		if (!span_eq(unit, "kB"))
			return parse_fail(perr, file, lineno, -EINVAL,
					  "unknown unit '%s' for '%s'",
					  lex_show(unit, b2, sizeof(b2)),
					  lex_show(name, b1, sizeof(b1)));
		kb = true;
		if (v > UINT64_MAX / 1024)
			return parse_fail(perr, file, lineno, -ERANGE,
					  "value of '%s': number too large: %" PRIu64
					  " kB overflows 64 bits as bytes",
					  lex_show(name, b1, sizeof(b1)), v);
	}
	if (tok_next(&p, end, &extra))
		return parse_fail(perr, file, lineno, -EINVAL,
				  "unexpected text after the value of '%s': '%s'",
				  lex_show(name, b1, sizeof(b1)),
				  lex_show(extra, b2, sizeof(b2)));

	r = meminfo_append(mi, name, v, kb, lineno);
	if (r < 0)
		return parse_fail(perr, file, lineno, r, "out of memory");
	return 0;
}

/*
 * Check and skip the "Node N " prefix of a per-node line.  On success *p
 * points at the field name.
 */
static int skip_node_prefix(const char **p, const char *end, const char *file,
			    unsigned lineno, int node, struct parse_error *perr)
{
	char b1[LEX_SHOW_BUFSZ];
	struct span t;
	uint64_t id;
	int r;

	if (!tok_next(p, end, &t) || !span_eq(t, "Node"))
		return parse_fail(perr, file, lineno, -EINVAL,
				  "expected 'Node %d Name: value'", node);
	if (!tok_next(p, end, &t))
		return parse_fail(perr, file, lineno, -EINVAL,
				  "missing node number after 'Node'");
	r = lex_u64(t, &id);
	if (r < 0)
		return parse_fail(perr, file, lineno, -EINVAL,
				  "node number: %s: '%s'", lex_strerror(r),
				  lex_show(t, b1, sizeof(b1)));
	if (node < 0 || id != (uint64_t)node)
		return parse_fail(perr, file, lineno, -EINVAL,
				  "line is for node %s, expected %d",
				  lex_show(t, b1, sizeof(b1)), node);
	*p = skip_blanks(*p, end);
	return 0;
}

/*
 * The shared body of both parsers.  node < 0 means /proc/meminfo (no
 * prefix, the legacy header allowed); otherwise every line must carry the
 * "Node <node> " prefix.  *ret is the last parse (or empty): its memory is
 * reused, and on failure it is freed and left empty.
 */
static int parse_common(const char *buf, size_t len, const char *file,
			int node, struct meminfo *ret, struct parse_error *perr)
{
	struct meminfo mi = *ret;
	struct lineiter it;
	const char *line, *end;
	size_t n;
	bool in_legacy = false;
	int r;

	if (mi.named < mi.n)
		mi.named = mi.n;
	mi.n = 0;
	mi.legacy_header = false;
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line, &n)) {
		const char *p = line;

		end = line + n;
		if (line_is_blank(p, end))
			continue;
		if (node < 0 && mi.n == 0) {
			if (!mi.legacy_header && is_legacy_header(p, end)) {
				mi.legacy_header = true;
				in_legacy = true;
				continue;
			}
			if (in_legacy && is_legacy_row(p, end))
				continue;
		}
		in_legacy = false;
		if (node >= 0) {
			r = skip_node_prefix(&p, end, file, it.lineno, node, perr);
			if (r < 0)
				goto fail;
		}
		r = parse_field(p, end, file, it.lineno, &mi, perr);
		if (r < 0)
			goto fail;
	}
	if (mi.n == 0) {
		r = parse_fail(perr, file, 0, -EINVAL,
			       mi.legacy_header ? "no fields after the legacy header"
						: "empty file");
		goto fail;
	}
	for (size_t i = mi.n; i < mi.named; i++)
		free(mi.f[i].name);
	mi.named = mi.n;
	*ret = mi;
	return 0;
fail:
	meminfo_free(&mi);
	*ret = mi;
	return r;
}

int meminfo_reparse(const char *buf, size_t len, const char *file,
		    struct meminfo *mi, struct parse_error *perr)
{
	return parse_common(buf, len, file, -1, mi, perr);
}

int meminfo_parse(const char *buf, size_t len, const char *file,
		  struct meminfo *ret, struct parse_error *perr)
{
	struct meminfo mi = { 0 };
	int r = parse_common(buf, len, file, -1, &mi, perr);

	if (r == 0)
		*ret = mi;
	return r;
}

int node_meminfo_parse(const char *buf, size_t len, const char *file, int node,
		       struct meminfo *ret, struct parse_error *perr)
{
	struct meminfo mi = { 0 };
	int r;

	if (node < 0)
		return parse_fail(perr, file, 0, -EINVAL,
				  "invalid node number %d", node);
	r = parse_common(buf, len, file, node, &mi, perr);
	if (r == 0)
		*ret = mi;
	return r;
}
