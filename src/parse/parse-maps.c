/*
 * parse-maps.c - /proc/PID/maps, /proc/PID/smaps and
 * /proc/PID/smaps_rollup into struct maps / struct smaps_rollup
 * (model/maps.h; formats in reference/kernel.md 5.6).
 *
 * A maps line (show_vma_header_prefix() in fs/proc/task_mmu.c):
 *
 *	"%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu " [padding] [name]
 *
 * The five fixed columns are read by hand (hex without strtoull, no
 * tokenizer), blank-separated.  The name is everything after the blanks
 * that follow the inode, to the end of the line, byte for byte: paths may
 * contain blanks, tabs, UTF-8 and trailing blanks, and the kernel escapes
 * only '\n' (as "\012").  Only ' ' counts as padding, so a name keeps any
 * leading tab; names the kernel prints never start with a blank anyway.
 * Names go into one string arena (no malloc per VMA).
 *
 * smaps: every maps line is followed by "Name:<blanks>value" lines.  A
 * field line is recognised by its first token ending in ':' (the header's
 * first token is "start-end", which has no ':'); anything that is neither
 * a field nor a maps line is an error, and so is a field before the first
 * maps line.  Numbers are kept as printed (kB), and a kB value whose
 * byte count would overflow 64 bits fails with -ERANGE.  The known
 * counters must carry " kB"; THPeligible and ProtectionKey must not.
 * Unknown fields are kept (with or without " kB"); an unknown field whose
 * value is not a number is an error, as in meminfo.  "VmFlags:" holds
 * blank-separated codes and the Android-only "Name:" line a string; they
 * are stored in the arena, not in the field list.  An empty smaps (or
 * maps) file is valid: kernel threads have no mappings.
 *
 * smaps_rollup: one maps-shaped header naming "[rollup]", then counter
 * lines as in smaps.  An empty file is an error (the kernel fails the
 * read for a process without an mm instead of printing nothing).
 *
 * Blank lines are skipped everywhere (captures gain them; the kernel never
 * prints one, since a newline in a name is escaped).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "../util/util.h"

/* Field kinds beyond enum smaps_counter for the interned-name table. */
#define F_UNKNOWN       (-1)
#define F_THP_ELIGIBLE  (-2)
#define F_PROTECTION_KEY (-3)

struct pstate {
	const char *file;
	struct parse_error *perr;
	struct smaps_fields *fields;
	signed char *known;     /* per interned name: counter or F_* */
	size_t known_cap;
	size_t hint;            /* the name expected next (fields come in a fixed order) */
	/* The string arena (maps parsers only). */
	char **strings;
	size_t *strings_len, *strings_cap;
};

static inline int hexval(unsigned char c)
{
	if ((unsigned)(c - '0') < 10u)
		return c - '0';
	c |= 0x20;
	if ((unsigned)(c - 'a') < 6u)
		return c - 'a' + 10;
	return -1;
}

/*
 * Hex digits at *p (at least one) into *ret; *p moves past them.  0,
 * -EINVAL (no digit) or -ERANGE (more than 64 bits).
 */
static int lex_hex(const char **p, const char *end, uint64_t *ret)
{
	const char *s = *p;
	uint64_t v = 0;
	int d;

	if (s == end || (d = hexval((unsigned char)*s)) < 0)
		return -EINVAL;
	do {
		if (v >> 60)
			return -ERANGE;
		v = (v << 4) | (unsigned)d;
		s++;
	} while (s < end && (d = hexval((unsigned char)*s)) >= 0);
	*p = s;
	*ret = v;
	return 0;
}

static const char *skip_spaces(const char *p, const char *end)
{
	while (p < end && *p == ' ')
		p++;
	return p;
}

/* End of the token at p (first blank or end). */
static const char *tok_end(const char *p, const char *end)
{
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	return p;
}

static int bad_column(struct pstate *st, unsigned lineno, const char *what,
		      int r, const char *p, const char *end)
{
	char b[LEX_SHOW_BUFSZ];
	struct span t = { p, (size_t)(tok_end(p, end) - p) };

	if (t.n == 0)
		return parse_fail(st->perr, st->file, lineno, -EINVAL,
				  "truncated maps line: missing %s", what);
	return parse_fail(st->perr, st->file, lineno, r == -ERANGE ? -ERANGE : -EINVAL,
			  "bad %s '%s': %s", what, lex_show(t, b, sizeof(b)),
			  r == -ERANGE ? "number too large" : "not a hex number");
}

/* A column must be followed by at least one blank (and something after). */
static int need_blank(struct pstate *st, unsigned lineno, const char **p,
		      const char *end, const char *what)
{
	char b[LEX_SHOW_BUFSZ];

	if (*p == end)
		return parse_fail(st->perr, st->file, lineno, -EINVAL,
				  "truncated maps line after the %s", what);
	if (**p != ' ' && **p != '\t')
		return parse_fail(st->perr, st->file, lineno, -EINVAL,
				  "unexpected '%s' after the %s",
				  lex_show((struct span){ *p, (size_t)(tok_end(*p, end) - *p) },
					   b, sizeof(b)), what);
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
	return 0;
}

/*
 * Parse a maps line into *v (all but name_off/line) and the name span.
 * Returns 0 or a negative errno with perr filled.  A VMA is never empty;
 * the smaps_rollup header of an mm without VMAs is "0-0" (allow_empty).
 */
static int parse_header(struct pstate *st, const char *line, size_t len, unsigned lineno,
			bool allow_empty, struct vma *v, struct span *name)
{
	const char *p = line, *end = line + len;
	uint64_t x;
	int r;

	memset(v, 0, sizeof(*v));
	r = lex_hex(&p, end, &v->start);
	if (r < 0)
		return bad_column(st, lineno, "start address", r, p, end);
	if (p == end || *p != '-')
		return parse_fail(st->perr, st->file, lineno, -EINVAL,
				  "expected '-' after the start address");
	p++;
	r = lex_hex(&p, end, &v->end);
	if (r < 0)
		return bad_column(st, lineno, "end address", r, p, end);
	r = need_blank(st, lineno, &p, end, "address range");
	if (r < 0)
		return r;

	if (end - p < 4 || (p[0] != 'r' && p[0] != '-') || (p[1] != 'w' && p[1] != '-') ||
	    (p[2] != 'x' && p[2] != '-') || (p[3] != 's' && p[3] != 'p') ||
	    (end - p > 4 && p[4] != ' ' && p[4] != '\t'))
	{
		char b[LEX_SHOW_BUFSZ];

		return parse_fail(st->perr, st->file, lineno, -EINVAL,
				  "bad permissions '%s': expected [r-][w-][x-][sp]",
				  lex_show((struct span){ p, (size_t)(tok_end(p, end) - p) },
					   b, sizeof(b)));
	}
	v->perms = (uint8_t)((p[0] == 'r' ? VMA_READ : 0) | (p[1] == 'w' ? VMA_WRITE : 0) |
			     (p[2] == 'x' ? VMA_EXEC : 0) | (p[3] == 's' ? VMA_SHARED : 0));
	memcpy(v->perm_chars, p, 4);
	v->perm_chars[4] = '\0';
	p += 4;
	r = need_blank(st, lineno, &p, end, "permissions");
	if (r < 0)
		return r;

	r = lex_hex(&p, end, &v->offset);
	if (r < 0)
		return bad_column(st, lineno, "offset", r, p, end);
	r = need_blank(st, lineno, &p, end, "offset");
	if (r < 0)
		return r;

	r = lex_hex(&p, end, &x);
	if (r == 0 && x > UINT32_MAX)
		r = -ERANGE;
	if (r < 0)
		return bad_column(st, lineno, "device major", r, p, end);
	v->dev_major = (uint32_t)x;
	if (p == end || *p != ':')
		return parse_fail(st->perr, st->file, lineno, -EINVAL,
				  "expected 'major:minor' device numbers");
	p++;
	r = lex_hex(&p, end, &x);
	if (r == 0 && x > UINT32_MAX)
		r = -ERANGE;
	if (r < 0)
		return bad_column(st, lineno, "device minor", r, p, end);
	v->dev_minor = (uint32_t)x;
	r = need_blank(st, lineno, &p, end, "device");
	if (r < 0)
		return r;

	{
		const char *e = tok_end(p, end);
		struct span t = { p, (size_t)(e - p) };
		char b[LEX_SHOW_BUFSZ];

		r = lex_u64(t, &v->inode);
		if (r < 0)
			return t.n == 0 ? parse_fail(st->perr, st->file, lineno, -EINVAL,
						     "truncated maps line: missing inode")
					: parse_fail(st->perr, st->file, lineno, r,
						     "bad inode '%s': %s", lex_show(t, b, sizeof(b)),
						     lex_strerror(r));
		p = e;
	}
	p = skip_spaces(p, end);
	name->p = p;
	name->n = (size_t)(end - p);

	if (v->end < v->start || (v->end == v->start && !allow_empty))
		return parse_fail(st->perr, st->file, lineno, -EINVAL,
				  "end address is not above the start address");
	return 0;
}

/* Append n bytes plus a NUL to the arena; *ret_off is where they went. */
static int arena_add(struct pstate *st, const char *p, size_t n, size_t *ret_off)
{
	size_t need = *st->strings_len + n + 1;

	if (need < n)
		return -ENOMEM;
	if (need > *st->strings_cap) {
		size_t cap = *st->strings_cap ? *st->strings_cap : 4096;
		char *s;

		while (cap < need) {
			if (cap > SIZE_MAX / 2)
				return -ENOMEM;
			cap *= 2;
		}
		s = realloc(*st->strings, cap);
		if (!s)
			return -ENOMEM;
		*st->strings = s;
		*st->strings_cap = cap;
	}
	*ret_off = *st->strings_len;
	memcpy(*st->strings + *ret_off, p, n);
	(*st->strings)[*ret_off + n] = '\0';
	*st->strings_len = need;
	return 0;
}

/* Grow an array of elsz-byte items to hold one more.  0 or -ENOMEM. */
static int grow(void **arr, size_t n, size_t *cap, size_t elsz, size_t first)
{
	void *p;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : first;
	if (ncap > SIZE_MAX / elsz)
		return -ENOMEM;
	p = realloc(*arr, ncap * elsz);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

static signed char known_of(struct span name)
{
	for (int c = 0; c < SMAPS_NR_COUNTERS; c++) {
		const char *k = smaps_counter_name((enum smaps_counter)c);

		if (strlen(k) == name.n && memcmp(k, name.p, name.n) == 0)
			return (signed char)c;
	}
	if (span_eq(name, "THPeligible"))
		return F_THP_ELIGIBLE;
	if (span_eq(name, "ProtectionKey"))
		return F_PROTECTION_KEY;
	return F_UNKNOWN;
}

static bool name_is(const char *s, struct span name)
{
	return strncmp(s, name.p, name.n) == 0 && s[name.n] == '\0';
}

/* Index of name in the interned table, adding it if new.  0 or -ENOMEM. */
static int intern(struct pstate *st, struct span name, uint32_t *ret)
{
	struct smaps_fields *t = st->fields;
	size_t i;
	char *copy;

	if (st->hint < t->nnames && name_is(t->names[st->hint], name)) {
		i = st->hint;
		goto found;
	}
	for (i = 0; i < t->nnames; i++)
		if (name_is(t->names[i], name))
			goto found;
	if (t->nnames >= UINT32_MAX)
		return -ENOMEM;
	if (grow((void **)&t->names, t->nnames, &t->names_cap, sizeof(*t->names), 32) < 0 ||
	    grow((void **)&st->known, t->nnames, &st->known_cap, 1, 32) < 0)
		return -ENOMEM;
	copy = xstrndup(name.p, name.n);
	if (!copy)
		return -ENOMEM;
	t->names[t->nnames] = copy;
	st->known[t->nnames] = known_of(name);
	i = t->nnames++;
found:
	st->hint = i + 1;
	*ret = (uint32_t)i;
	return 0;
}

/*
 * If line is "Name:" followed by a blank or the end, set *name and *rest
 * (after the colon) and return true.  The name must then be printable
 * ASCII; the caller checks.
 */
static bool is_field_line(const char *line, size_t len, struct span *name, const char **rest)
{
	const char *p = line, *end = line + len;

	while (p < end && *p != ':' && *p != ' ' && *p != '\t')
		p++;
	if (p == end || *p != ':' || p == line)
		return false;
	if (p + 1 < end && p[1] != ' ' && p[1] != '\t')
		return false;
	name->p = line;
	name->n = (size_t)(p - line);
	*rest = p + 1;
	return true;
}

/* VmFlags: the codes, joined by one blank, into the arena. */
static int store_vmflags(struct pstate *st, unsigned lineno, const char *p, const char *end,
			 struct vma_smaps *vs)
{
	struct span t;
	size_t off, o;
	char *s;
	int r;

	/* Room for the normalised string (never longer than the raw one). */
	r = arena_add(st, p, (size_t)(end - p), &off);
	if (r < 0)
		return parse_fail(st->perr, st->file, lineno, r, "out of memory");
	s = *st->strings + off;
	o = 0;
	vs->nvmflags = 0;
	vs->vmflags_known = 0;
	while (tok_next(&p, end, &t)) {
		char code[3] = { 0 };
		int bit;

		if (o)
			s[o++] = ' ';
		memmove(s + o, t.p, t.n);
		o += t.n;
		vs->nvmflags++;
		if (t.n == 2) {
			code[0] = t.p[0];
			code[1] = t.p[1];
			bit = vmflag_bit(code);
			if (bit >= 0)
				vs->vmflags_known |= UINT64_C(1) << bit;
		}
	}
	s[o] = '\0';
	*st->strings_len = off + o + 1;
	vs->vmflags_off = off;
	vs->vmflags_len = o;
	vs->c.have |= SMAPS_HAVE_VMFLAGS;
	return 0;
}

/*
 * One "Name: value" line.  vs is the current smaps entry, or NULL for
 * smaps_rollup (no VmFlags, no Android Name there).
 */
static int parse_field(struct pstate *st, unsigned lineno, struct span name, const char *p,
		       const char *end, struct smaps_counters *c, struct vma_smaps *vs)
{
	char b1[LEX_SHOW_BUFSZ], b2[LEX_SHOW_BUFSZ];
	struct smaps_fields *t = st->fields;
	struct span val, unit, extra;
	uint64_t v;
	uint32_t idx;
	bool kb = false;
	int k, r;

	for (size_t i = 0; i < name.n; i++) {
		unsigned char ch = (unsigned char)name.p[i];

		if (ch <= 0x20 || ch >= 0x7f)
			return parse_fail(st->perr, st->file, lineno, -EINVAL,
					  "bad character in field name '%s'",
					  lex_show(name, b1, sizeof(b1)));
	}
	if (span_eq(name, "VmFlags") || span_eq(name, "Name")) {
		if (!vs)
			return parse_fail(st->perr, st->file, lineno, -EINVAL,
					  "unexpected '%s' line in smaps_rollup",
					  lex_show(name, b1, sizeof(b1)));
		if (name.n == 7)
			return store_vmflags(st, lineno, p, end, vs);
		p = skip_blanks(p, end);
		r = arena_add(st, p, (size_t)(end - p), &vs->aname_off);
		if (r < 0)
			return parse_fail(st->perr, st->file, lineno, r, "out of memory");
		vs->aname_len = (size_t)(end - p);
		vs->c.have |= SMAPS_HAVE_NAME;
		return 0;
	}

	if (!tok_next(&p, end, &val))
		return parse_fail(st->perr, st->file, lineno, -EINVAL, "missing value for '%s'",
				  lex_show(name, b1, sizeof(b1)));
	r = lex_u64(val, &v);
	if (r < 0)
		return parse_fail(st->perr, st->file, lineno, r, "value of '%s': %s: '%s'",
				  lex_show(name, b1, sizeof(b1)), lex_strerror(r),
				  lex_show(val, b2, sizeof(b2)));
	if (tok_next(&p, end, &unit)) {
		if (!span_eq(unit, "kB"))
			return parse_fail(st->perr, st->file, lineno, -EINVAL,
					  "unknown unit '%s' for '%s'", lex_show(unit, b2, sizeof(b2)),
					  lex_show(name, b1, sizeof(b1)));
		if (v > UINT64_MAX / 1024)
			return parse_fail(st->perr, st->file, lineno, -ERANGE,
					  "value of '%s': number too large: kB overflows 64 bits as bytes",
					  lex_show(name, b1, sizeof(b1)));
		kb = true;
	}
	if (tok_next(&p, end, &extra))
		return parse_fail(st->perr, st->file, lineno, -EINVAL,
				  "unexpected text after the value of '%s': '%s'",
				  lex_show(name, b1, sizeof(b1)), lex_show(extra, b2, sizeof(b2)));

	r = intern(st, name, &idx);
	if (r < 0)
		return parse_fail(st->perr, st->file, lineno, r, "out of memory");
	k = st->known[idx];
	if (k >= 0 && !kb)
		return parse_fail(st->perr, st->file, lineno, -EINVAL, "'%s' without the unit kB",
				  lex_show(name, b1, sizeof(b1)));
	if (k < F_UNKNOWN && kb)
		return parse_fail(st->perr, st->file, lineno, -EINVAL, "'%s' takes no unit",
				  lex_show(name, b1, sizeof(b1)));
	/* The first occurrence wins in the typed view; the list keeps all. */
	if (k >= 0 && !(c->have & (UINT64_C(1) << k))) {
		c->kb[k] = v;
		c->have |= UINT64_C(1) << k;
	} else if (k == F_THP_ELIGIBLE && !(c->have & SMAPS_HAVE_THP_ELIGIBLE)) {
		c->thp_eligible = v;
		c->have |= SMAPS_HAVE_THP_ELIGIBLE;
	} else if (k == F_PROTECTION_KEY && !(c->have & SMAPS_HAVE_PROTECTION_KEY)) {
		c->protection_key = v;
		c->have |= SMAPS_HAVE_PROTECTION_KEY;
	}

	if (grow((void **)&t->f, t->n, &t->cap, sizeof(*t->f), 256) < 0)
		return parse_fail(st->perr, st->file, lineno, -ENOMEM, "out of memory");
	t->f[t->n].name = idx;
	t->f[t->n].kb = kb;
	t->f[t->n].value = v;
	t->n++;
	if (vs)
		vs->nfields++;
	return 0;
}

static bool line_is_blank(const char *p, size_t n)
{
	return skip_blanks(p, p + n) == p + n;
}

/* Add the VMA of a parsed header to m. */
static int add_vma(struct pstate *st, struct maps *m, size_t *scap, struct vma *v,
		   struct span name, unsigned lineno, bool smaps)
{
	int r;

	if (m->n == m->cap) {
		size_t cap = m->cap;

		r = grow((void **)&m->v, m->n, &cap, sizeof(*m->v), 256);
		if (r == 0 && smaps)
			r = grow((void **)&m->smaps, m->n, scap, sizeof(*m->smaps), 256);
		if (r < 0)
			return parse_fail(st->perr, st->file, lineno, r, "out of memory");
		m->cap = cap;
	}
	v->line = lineno;
	v->name_len = name.n;
	if (name.n) {
		r = arena_add(st, name.p, name.n, &v->name_off);
		if (r < 0)
			return parse_fail(st->perr, st->file, lineno, r, "out of memory");
		if (name.n > 10 && memcmp(name.p + name.n - 10, " (deleted)", 10) == 0)
			v->deleted = true;
	}
	v->kind = (uint8_t)vma_kind_of(name.p, v->deleted ? name.n - 10 : name.n);
	m->v[m->n] = *v;
	if (smaps) {
		struct vma_smaps *s = &m->smaps[m->n];

		memset(s, 0, sizeof(*s));
		s->field_first = m->fields.n;
	}
	m->n++;
	return 0;
}

static int parse_maps_common(const char *buf, size_t len, const char *file, bool smaps,
			     struct maps *ret, struct parse_error *perr)
{
	struct maps m = { 0 };
	struct pstate st = { 0 };
	struct lineiter it;
	const char *line;
	size_t n, scap = 0;
	int r = 0;

	st.file = file;
	st.perr = perr;
	st.fields = &m.fields;
	st.strings = &m.strings;
	st.strings_len = &m.strings_len;
	st.strings_cap = &m.strings_cap;

	lineiter_init(&it, len ? buf : "", buf ? len : 0);
	while (lineiter_next(&it, &line, &n)) {
		struct span name;
		const char *rest;
		struct vma v;

		if (n == 0 || line_is_blank(line, n))
			continue;
		if (is_field_line(line, n, &name, &rest)) {
			if (!smaps) {
				char b[LEX_SHOW_BUFSZ];

				r = parse_fail(perr, file, it.lineno, -EINVAL,
					       "expected a maps line, found the field '%s:'",
					       lex_show(name, b, sizeof(b)));
				goto fail;
			}
			if (m.n == 0) {
				r = parse_fail(perr, file, it.lineno, -EINVAL,
					       "field line before the first mapping");
				goto fail;
			}
			r = parse_field(&st, it.lineno, name, rest, line + n,
					&m.smaps[m.n - 1].c, &m.smaps[m.n - 1]);
			if (r < 0)
				goto fail;
			continue;
		}
		r = parse_header(&st, line, n, it.lineno, false, &v, &name);
		if (r < 0)
			goto fail;
		st.hint = 0;
		r = add_vma(&st, &m, &scap, &v, name, it.lineno, smaps);
		if (r < 0)
			goto fail;
	}
	if (smaps && !m.smaps) {
		/* A valid empty smaps still says it is smaps. */
		m.smaps = malloc(sizeof(*m.smaps));
		if (!m.smaps) {
			r = parse_fail(perr, file, 0, -ENOMEM, "out of memory");
			goto fail;
		}
	}
	free(st.known);
	*ret = m;
	return 0;
fail:
	free(st.known);
	maps_free(&m);
	return r;
}

int maps_parse(const char *buf, size_t len, const char *file, struct maps *ret,
	       struct parse_error *perr)
{
	return parse_maps_common(buf, len, file, false, ret, perr);
}

int smaps_parse(const char *buf, size_t len, const char *file, struct maps *ret,
		struct parse_error *perr)
{
	return parse_maps_common(buf, len, file, true, ret, perr);
}

int smaps_rollup_parse(const char *buf, size_t len, const char *file,
		       struct smaps_rollup *ret, struct parse_error *perr)
{
	struct smaps_rollup ro = { 0 };
	struct pstate st = { 0 };
	struct lineiter it;
	const char *line;
	size_t n;
	bool header = false;
	int r = 0;

	st.file = file;
	st.perr = perr;
	st.fields = &ro.fields;

	lineiter_init(&it, len ? buf : "", buf ? len : 0);
	while (lineiter_next(&it, &line, &n)) {
		struct span name;
		const char *rest;
		struct vma v;

		if (n == 0 || line_is_blank(line, n))
			continue;
		if (is_field_line(line, n, &name, &rest)) {
			if (!header) {
				r = parse_fail(perr, file, it.lineno, -EINVAL,
					       "field line before the [rollup] header");
				goto fail;
			}
			r = parse_field(&st, it.lineno, name, rest, line + n, &ro.c, NULL);
			if (r < 0)
				goto fail;
			continue;
		}
		if (header) {
			r = parse_fail(perr, file, it.lineno, -EINVAL,
				       "a second header line in smaps_rollup");
			goto fail;
		}
		r = parse_header(&st, line, n, it.lineno, true, &v, &name);
		if (r < 0)
			goto fail;
		if (!span_eq(name, "[rollup]")) {
			char b[LEX_SHOW_BUFSZ];

			r = parse_fail(perr, file, it.lineno, -EINVAL,
				       "expected the '[rollup]' header, found '%s'",
				       lex_show(name, b, sizeof(b)));
			goto fail;
		}
		ro.start = v.start;
		ro.end = v.end;
		header = true;
	}
	if (!header) {
		r = parse_fail(perr, file, 0, -EINVAL, "empty file");
		goto fail;
	}
	free(st.known);
	*ret = ro;
	return 0;
fail:
	free(st.known);
	smaps_rollup_free(&ro);
	return r;
}
