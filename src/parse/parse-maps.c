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
 *
 * Incremental parsing (struct maps_parser): the parser takes the file in
 * chunks of any size, as a reader thread (stream.h) delivers them, so
 * that parsing overlaps the kernel's generation of the text.  Complete
 * lines of a chunk are parsed in place; an incomplete last line is
 * carried over (copied) to the next chunk, so a line split anywhere,
 * even byte by byte, parses exactly as in one piece.  Everything kept is
 * copied out of the chunk (names into the arena), so the caller may
 * reuse a chunk's memory as soon as maps_parser_feed() returns.  A
 * streaming caller takes the complete entries as they come
 * (maps_parser_window()) and drops them once used (maps_parser_drop()),
 * so memory stays small and hot whatever the number of VMAs.
 *
 * Limits: a line of more than MAPS_MAX_LINE bytes, or an smaps entry of
 * more than SMAPS_MAX_ENTRY_LINES lines, is an error (a kernel prints
 * lines of a few KiB at most and about 25 lines per entry).
 *
 * Speed: an smaps field line of a known name in the kernel's order
 * ("Rss:   4 kB") takes a fast path that checks the name against the one
 * expected next and reads the number in one pass; anything unusual
 * falls back to the general code, which also words the errors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "../util/util.h"

/* Field kinds beyond enum smaps_counter for the interned-name table. */
#define F_UNKNOWN       (-1)
#define F_VMFLAGS       (-2)  /* never interned; for known_of() only */

/* Interned field names by hash: slot holds index + 1, 0 when empty. */
struct name_index {
	uint32_t *slot;
	size_t cap;             /* a power of two, or 0 */
};

struct maps_parser {
	const char *file;
	bool smaps;
	int err;                /* sticky: the first failure */
	bool finished;
	struct parse_error perr;
	unsigned lineno;        /* lines seen so far */
	size_t dropped;         /* entries dropped (maps_parser_drop) */
	size_t total;           /* entries seen, dropped or not */
	uint32_t entry_lines;   /* lines of the current smaps entry */
	struct maps m;
	size_t scap;            /* capacity of m.smaps */
	struct buf carry;       /* the incomplete last line of the last chunk */
	/* Interned field names. */
	signed char *known;     /* per interned name: counter or F_UNKNOWN */
	size_t known_cap;
	struct name_index index;
	size_t hint;            /* the name expected next (fields come in a fixed order) */
	/* Per interned name of at most 14 bytes, the first 16 bytes of its
	 * line in the kernel's layout: the name, ':' and blanks (field_fast). */
	uint64_t (*tmpl)[2];
	size_t ntmpl;
};

/* The parts of a parser the line parsers below use (also for smaps_rollup). */
struct pstate {
	const char *file;
	struct parse_error *perr;
	struct smaps_fields *fields;
	signed char **known;
	size_t *known_cap;
	struct name_index *index;
	size_t *hint;
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
static inline int lex_hex(const char **p, const char *end, uint64_t *ret)
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

/* lex.c's blank: ' ', '\t', '\v', '\f', '\r'. */
static inline bool is_blank(char c)
{
	unsigned char u = (unsigned char)c;

	return u <= ' ' && (u == ' ' || (u >= '\t' && u <= '\r' && u != '\n'));
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

		/* The inode: digits, at most 19 of them need no overflow check. */
		if (t.n && t.n <= 19) {
			uint64_t ino = 0;
			size_t i;

			for (i = 0; i < t.n; i++) {
				unsigned d = (unsigned char)t.p[i] - '0';

				if (d > 9)
					break;
				ino = ino * 10 + d;
			}
			r = i == t.n ? 0 : -EINVAL;
			v->inode = ino;
		} else {
			r = lex_u64(t, &v->inode);
		}
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
	return F_UNKNOWN;
}

static inline bool name_is(const struct smaps_fields *t, size_t i, const char *p, size_t n)
{
	return t->names_len[i] == n && memcmp(t->names[i], p, n) == 0;
}

static void fields_init(struct smaps_fields *t)
{
	for (int c = 0; c < SMAPS_NR_COUNTERS; c++)
		t->counter_name[c] = -1;
}

static uint64_t name_hash(const char *p, size_t n)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);  /* FNV-1a */

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * UINT64_C(0x100000001b3);
	return h;
}

/* Put interned name i into the index (which has room). */
static void index_put(struct name_index *x, const struct smaps_fields *t, uint32_t i)
{
	size_t s = (size_t)name_hash(t->names[i], t->names_len[i]) & (x->cap - 1);

	while (x->slot[s])
		s = (s + 1) & (x->cap - 1);
	x->slot[s] = i + 1;
}

/* Room for one more name at a load of at most one half.  0 or -ENOMEM. */
static int index_grow(struct name_index *x, const struct smaps_fields *t)
{
	size_t cap = x->cap ? x->cap * 2 : 64;
	uint32_t *slot;

	if ((t->nnames + 1) * 2 <= x->cap)
		return 0;
	slot = calloc(cap, sizeof(*slot));
	if (!slot)
		return -ENOMEM;
	free(x->slot);
	x->slot = slot;
	x->cap = cap;
	for (size_t i = 0; i < t->nnames; i++)
		index_put(x, t, (uint32_t)i);
	return 0;
}

/*
 * Index of name in the interned table, adding it if new.  0 or -ENOMEM.
 * By hash, so that a file with many distinct names (a broken capture, a
 * fuzzer) costs no more than one with a few.
 */
static int intern(struct pstate *st, struct span name, uint32_t *ret)
{
	struct smaps_fields *t = st->fields;
	struct name_index *x = st->index;
	size_t i;
	char *copy;

	if (x->cap) {
		size_t s = (size_t)name_hash(name.p, name.n) & (x->cap - 1);

		for (; x->slot[s]; s = (s + 1) & (x->cap - 1))
			if (name_is(t, x->slot[s] - 1, name.p, name.n)) {
				i = x->slot[s] - 1;
				goto found;
			}
	}
	if (t->nnames >= (UINT32_C(1) << 31) - 1)
		return -ENOMEM;
	if (index_grow(x, t) < 0)
		return -ENOMEM;
	if (t->nnames == t->names_cap) {
		size_t cap = t->names_cap;

		if (grow((void **)&t->names, t->nnames, &cap, sizeof(*t->names), 32) < 0)
			return -ENOMEM;
		cap = t->names_cap;
		if (grow((void **)&t->names_len, t->nnames, &cap, sizeof(*t->names_len), 32) < 0)
			return -ENOMEM;
		t->names_cap = cap;
	}
	if (grow((void **)st->known, t->nnames, st->known_cap, 1, 32) < 0)
		return -ENOMEM;
	copy = xstrndup(name.p, name.n);
	if (!copy)
		return -ENOMEM;
	t->names[t->nnames] = copy;
	t->names_len[t->nnames] = (uint32_t)name.n;
	(*st->known)[t->nnames] = known_of(name);
	i = t->nnames++;
	index_put(x, t, (uint32_t)i);
found:
	*st->hint = i + 1;
	*ret = (uint32_t)i;
	return 0;
}

/*
 * If line is "Name:" followed by a blank or the end, set *name and *rest
 * (after the colon) and return true.  The name must then be printable
 * ASCII; the caller checks.
 */
static inline bool is_field_line(const char *line, size_t len, struct span *name,
				 const char **rest)
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
	/* Tokens of the copy, moved left over the blanks in place. */
	for (size_t i = 0, n = (size_t)(end - p); i < n;) {
		size_t t0;

		while (i < n && is_blank(s[i]))
			i++;
		if (i == n)
			break;
		t0 = i;
		while (i < n && !is_blank(s[i]))
			i++;
		if (o)
			s[o++] = ' ';
		memmove(s + o, s + t0, i - t0);
		if (i - t0 == 2) {
			char code[3] = { s[o], s[o + 1], '\0' };
			int bit = vmflag_bit(code);

			if (bit >= 0)
				vs->vmflags_known |= UINT64_C(1) << bit;
		}
		o += i - t0;
		vs->nvmflags++;
	}
	s[o] = '\0';
	*st->strings_len = off + o + 1;
	vs->vmflags_off = off;
	vs->vmflags_len = (uint32_t)o;
	vs->c.have |= SMAPS_HAVE_VMFLAGS;
	return 0;
}

/* Append field (idx, kb, v) to entry c; counters also go to the typed
 * view.  0, or -ENOMEM (perr filled for file:lineno). */
static inline int add_field_to(struct smaps_fields *t, const signed char *known,
			       struct parse_error *perr, const char *file, unsigned lineno,
			       struct smaps_counters *c, uint32_t idx, bool kb, uint64_t v)
{
	int k = known[idx];
	struct smaps_field *f;

	if (k >= 0) {
		uint64_t bit = UINT64_C(1) << k;

		if (c->have & bit) {
			c->have |= SMAPS_HAVE_REPEAT;  /* the first one counts */
		} else {
			c->have |= bit;
			if (t->counter_name[k] < 0) {
				t->counter_name[k] = (int32_t)idx;
				t->counter_pos[k] = (uint16_t)c->n;
			}
		}
	}
	if (t->n == t->cap && grow((void **)&t->f, t->n, &t->cap, sizeof(*t->f), 256) < 0)
		return parse_fail(perr, file, lineno, -ENOMEM, "out of memory");
	f = &t->f[t->n++];
	f->value = v;
	f->name_kb = idx << 1 | kb;
	c->n++;
	return 0;
}

static int add_field(struct pstate *st, unsigned lineno, struct smaps_counters *c,
		     uint32_t idx, bool kb, uint64_t v)
{
	return add_field_to(st->fields, *st->known, st->perr, st->file, lineno, c, idx, kb, v);
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

	/*
	 * Fast path: the name expected next (so already checked when it was
	 * interned), blanks, at most 19 digits (no overflow), and either the
	 * end or blanks, "kB" and the end.  Anything else, including every
	 * error, takes the general path below.
	 */
	if (*st->hint < t->nnames && name_is(t, *st->hint, name.p, name.n)) {
		const char *q = skip_blanks(p, end), *d = q;

		idx = (uint32_t)*st->hint;
		v = 0;
		while (q < end && (unsigned)(*q - '0') < 10u && q - d < 19)
			v = v * 10 + (unsigned)(*q++ - '0');
		if (q > d && (q == end || is_blank(*q))) {
			q = skip_blanks(q, end);
			if (q == end) {
				kb = false;
			} else if (end - q >= 2 && q[0] == 'k' && q[1] == 'B' &&
				   skip_blanks(q + 2, end) == end) {
				kb = true;
			} else {
				goto general;
			}
			k = (*st->known)[idx];
			if ((kb && v > UINT64_MAX / 1024) ||
			    (k >= 0 && kb != smaps_counter_is_kb((enum smaps_counter)k)))
				goto general;
			*st->hint = idx + 1;
			return add_field(st, lineno, c, idx, kb, v);
		}
	}
general:
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
		vs->aname_len = (uint32_t)(end - p);
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
	k = (*st->known)[idx];
	if (k >= 0 && smaps_counter_is_kb((enum smaps_counter)k) && !kb)
		return parse_fail(st->perr, st->file, lineno, -EINVAL, "'%s' without the unit kB",
				  lex_show(name, b1, sizeof(b1)));
	if (k >= 0 && !smaps_counter_is_kb((enum smaps_counter)k) && kb)
		return parse_fail(st->perr, st->file, lineno, -EINVAL, "'%s' takes no unit",
				  lex_show(name, b1, sizeof(b1)));
	return add_field(st, lineno, c, idx, kb, v);
}

static bool line_is_blank(const char *p, size_t n)
{
	return skip_blanks(p, p + n) == p + n;
}

/* ---- maps and smaps, incrementally ------------------------------------- */

static void parser_state(struct maps_parser *ps, struct pstate *st)
{
	st->file = ps->file;
	st->perr = &ps->perr;
	st->fields = &ps->m.fields;
	st->known = &ps->known;
	st->known_cap = &ps->known_cap;
	st->index = &ps->index;
	st->hint = &ps->hint;
	st->strings = &ps->m.strings;
	st->strings_len = &ps->m.strings_len;
	st->strings_cap = &ps->m.strings_cap;
}

/* Room for one more entry.  0 or -ENOMEM. */
static int vma_room(struct maps_parser *ps)
{
	struct maps *m = &ps->m;
	size_t cap = m->cap;
	int r;

	if (m->n < m->cap)
		return 0;
	r = grow((void **)&m->v, m->n, &cap, sizeof(*m->v), 256);
	if (r == 0 && ps->smaps)
		r = grow((void **)&m->smaps, m->n, &ps->scap, sizeof(*m->smaps), 256);
	if (r < 0)
		return r;
	m->cap = cap;
	return 0;
}

/* Add the VMA of a parsed header to the model; v may be the next free
 * entry itself (parsed in place). */
static int add_vma(struct maps_parser *ps, struct pstate *st, struct vma *v, struct span name,
		   unsigned lineno)
{
	struct maps *m = &ps->m;
	int r;

	/* (m->v is NULL before the first entry: no pointer arithmetic on it.) */
	if (!m->v || v != m->v + m->n) {
		if (vma_room(ps) < 0)
			return parse_fail(st->perr, st->file, lineno, -ENOMEM, "out of memory");
		m->v[m->n] = *v;
		v = &m->v[m->n];
	}
	v->line = lineno;
	v->name_len = (uint32_t)name.n;
	if (name.n) {
		r = arena_add(st, name.p, name.n, &v->name_off);
		if (r < 0)
			return parse_fail(st->perr, st->file, lineno, r, "out of memory");
		if (name.n > 10 && memcmp(name.p + name.n - 10, " (deleted)", 10) == 0)
			v->deleted = true;
	}
	v->kind = name.n ? (uint8_t)vma_kind_of(name.p, v->deleted ? name.n - 10 : name.n)
			 : VMA_KIND_ANON;
	if (ps->smaps) {
		struct vma_smaps *s = &m->smaps[m->n];

		memset(s, 0, sizeof(*s));
		s->c.first = m->fields.n;
	}
	m->n++;
	ps->total++;
	ps->entry_lines = 0;
	return 0;
}

/* Hex digit value + 1, 0 for anything else. */
#define HX(c, v) [c] = (v) + 1
static const unsigned char hexv1[256] = {
	HX('0', 0), HX('1', 1), HX('2', 2), HX('3', 3), HX('4', 4),
	HX('5', 5), HX('6', 6), HX('7', 7), HX('8', 8), HX('9', 9),
	HX('a', 10), HX('b', 11), HX('c', 12), HX('d', 13), HX('e', 14), HX('f', 15),
	HX('A', 10), HX('B', 11), HX('C', 12), HX('D', 13), HX('E', 14), HX('F', 15),
};
#undef HX

/* At most maxd hex digits at *p into *ret; false if none or more. */
static inline bool hex_fast(const unsigned char **p, const unsigned char *end, unsigned maxd,
			    uint64_t *ret)
{
	const unsigned char *s = *p;
	uint64_t v = 0;
	unsigned d;

	while (s < end && (d = hexv1[*s]) != 0) {
		if ((unsigned)(s - *p) >= maxd)
			return false;
		v = v << 4 | (d - 1);
		s++;
	}
	if (s == *p)
		return false;
	*p = s;
	*ret = v;
	return true;
}

/* One or more ' ' or '\t' at *p; false if none. */
static inline bool blanks_fast(const unsigned char **p, const unsigned char *end)
{
	const unsigned char *s = *p;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s == *p)
		return false;
	*p = s;
	return true;
}

/*
 * A well-formed maps line as the kernel prints it, read in one pass:
 * the result parse_header() would give, or NULL for anything it would
 * question (including every error, and numbers with extra leading
 * zeros), which then goes the general way.  A line accepted here is
 * never a field line: its first token is "hex-hex" and ends in a blank.
 * The line starts at line and ends at the first '\n' before end (there
 * is one): returns that newline, found along the way (no separate
 * search over the fixed columns).
 */
static const char *header_fast(const char *line, const char *lend, struct vma *v,
			       struct span *name)
{
	const unsigned char *p = (const unsigned char *)line, *end = (const unsigned char *)lend;
	const char *nl;
	uint64_t x, y;

	memset(v, 0, sizeof(*v));
	if (!hex_fast(&p, end, 16, &v->start) || p == end || *p++ != '-' ||
	    !hex_fast(&p, end, 16, &v->end) || !blanks_fast(&p, end))
		return NULL;
	if (end - p < 5 || (p[0] != 'r' && p[0] != '-') || (p[1] != 'w' && p[1] != '-') ||
	    (p[2] != 'x' && p[2] != '-') || (p[3] != 's' && p[3] != 'p'))
		return NULL;
	v->perms = (uint8_t)((p[0] == 'r' ? VMA_READ : 0) | (p[1] == 'w' ? VMA_WRITE : 0) |
			     (p[2] == 'x' ? VMA_EXEC : 0) | (p[3] == 's' ? VMA_SHARED : 0));
	memcpy(v->perm_chars, p, 4);
	p += 4;
	if (!blanks_fast(&p, end) || !hex_fast(&p, end, 16, &v->offset) || !blanks_fast(&p, end) ||
	    !hex_fast(&p, end, 8, &x) || p == end || *p++ != ':' || !hex_fast(&p, end, 8, &y) ||
	    !blanks_fast(&p, end))
		return NULL;
	v->dev_major = (uint32_t)x;
	v->dev_minor = (uint32_t)y;
	x = 0;
	for (const unsigned char *d = p; p < end && (unsigned)(*p - '0') < 10u; p++) {
		if (p - d >= 19)
			return NULL;
		x = x * 10 + (unsigned)(*p - '0');
	}
	/* At least one digit (the blanks before stopped at a non-blank). */
	if (p == end || (*p != ' ' && *p != '\t' && *p != '\n') || !(p[-1] >= '0' && p[-1] <= '9'))
		return NULL;
	v->inode = x;
	while (*p == ' ')
		p++;
	nl = *p == '\n' ? (const char *)p : memchr(p, '\n', (size_t)(end - p));
	if (!nl || nl - line > (ptrdiff_t)MAPS_MAX_LINE || v->end <= v->start)
		return NULL;
	name->p = (const char *)p;
	name->n = (size_t)(nl - (const char *)p);
	return nl;
}

/* Templates for names interned since the last call.  0 or -ENOMEM. */
static int tmpl_sync(struct maps_parser *ps)
{
	const struct smaps_fields *t = &ps->m.fields;
	uint64_t (*tm)[2];

	if (ps->ntmpl == t->nnames)
		return 0;
	tm = realloc(ps->tmpl, t->nnames * sizeof(*tm));
	if (!tm)
		return -ENOMEM;
	ps->tmpl = tm;
	for (size_t i = ps->ntmpl; i < t->nnames; i++) {
		char b[16];

		memset(b, ' ', sizeof(b));
		/* A blank must follow the ':' (is_field_line()). */
		if (t->names_len[i] <= 14) {
			memcpy(b, t->names[i], t->names_len[i]);
			b[t->names_len[i]] = ':';
		} else {
			b[0] = '\n';  /* matches no line */
		}
		memcpy(tm[i], b, 16);
	}
	ps->ntmpl = t->nnames;
	return 0;
}

/*
 * The kernel's smaps layout (seq_put_decimal_ull_width() in
 * fs/proc/task_mmu.c): the name and ':' padded with blanks to 16
 * columns, the value right-aligned in 8, then " kB\n" or "\n":
 *
 *	"Rss:                 123 kB\n"
 *
 * Checked with two 8-byte compares against the name's template and a
 * fixed walk over the value.  Returns the end of the line, or NULL.
 */
static inline const char *field_layout(const struct maps_parser *ps, size_t h, const char *p,
				       const char *end, uint64_t *ret, bool *ret_kb)
{
	uint64_t a, b, v = 0;
	unsigned i = 16;

	if (end - p < 25)
		return NULL;
	memcpy(&a, p, 8);
	memcpy(&b, p + 8, 8);
	if (a != ps->tmpl[h][0] || b != ps->tmpl[h][1])
		return NULL;
	while (i < 23 && p[i] == ' ')
		i++;
	for (; i < 24; i++) {
		unsigned d = (unsigned)(unsigned char)p[i] - '0';

		if (d > 9)
			return NULL;
		v = v * 10 + d;
	}
	if (p[24] == '\n') {
		*ret = v;
		*ret_kb = false;
		return p + 25;
	}
	if (end - p >= 28 && p[24] == ' ' && p[25] == 'k' && p[26] == 'B' && p[27] == '\n') {
		*ret = v;
		*ret_kb = true;
		return p + 28;
	}
	return NULL;
}

/*
 * An smaps field line of the name expected next, in the kernel's form
 * ("Rss:            4 kB\n"), at p (the line ends in '\n' before end):
 * 1 and *next past it when taken, 0 to leave it to the general path (which
 * then also words any error), or -ENOMEM.
 */
static int field_fast(struct maps_parser *ps, const char *p, const char *end, const char **next)
{
	struct smaps_fields *t = &ps->m.fields;
	size_t h = ps->hint, len;
	const char *q, *d;
	uint64_t v = 0;
	bool kb;
	int k;

	if (h >= t->nnames || ps->m.n == 0 || ps->entry_lines >= SMAPS_MAX_ENTRY_LINES)
		return 0;
	if (ps->ntmpl != t->nnames && tmpl_sync(ps) < 0)
		return parse_fail(&ps->perr, ps->file, ps->lineno + 1, -ENOMEM, "out of memory");
	q = field_layout(ps, h, p, end, &v, &kb);
	if (q) {
		q--;  /* at the '\n' */
		goto found;
	}
	v = 0;
	len = t->names_len[h];
	if ((size_t)(end - p) <= len + 1 || p[len] != ':')
		return 0;
	for (size_t i = 0; i < len; i++)
		if (p[i] != t->names[h][i])
			return 0;
	q = p + len + 1;
	if (*q != ' ' && *q != '\t')
		return 0;
	/* The kernel pads values to a column: skip blanks eight at a time. */
	while (end - q >= 8) {
		uint64_t w;

		memcpy(&w, q, 8);
		if (w != UINT64_C(0x2020202020202020))
			break;
		q += 8;
	}
	while (is_blank(*q))
		q++;
	for (d = q; (unsigned)(*q - '0') < 10u; q++) {
		if (q - d >= 19)
			return 0;
		v = v * 10 + (unsigned)(*q - '0');
	}
	if (q == d)
		return 0;
	kb = false;
	if (*q != '\n') {
		if (!is_blank(*q))
			return 0;
		while (is_blank(*q))
			q++;
		if (q[0] == 'k' && q[1] == 'B') {
			q += 2;
			while (is_blank(*q))
				q++;
			if (*q != '\n')
				return 0;
			kb = true;
		} else if (*q != '\n') {
			return 0;
		}
	}
	if (q - p > (ptrdiff_t)MAPS_MAX_LINE)
		return 0;
found:
	k = ps->known[h];
	if ((kb && v > UINT64_MAX / 1024) ||
	    (k >= 0 && kb != smaps_counter_is_kb((enum smaps_counter)k)))
		return 0;
	ps->lineno++;
	ps->entry_lines++;
	ps->hint = h + 1;
	if (add_field_to(t, ps->known, &ps->perr, ps->file, ps->lineno,
			 &ps->m.smaps[ps->m.n - 1].c, (uint32_t)h, kb, v) < 0)
		return -ENOMEM;
	*next = q + 1;
	return 1;
}

/* One line (without its newline); ps->lineno is its number. */
static int parse_line(struct maps_parser *ps, const char *line, size_t n)
{
	unsigned lineno = ps->lineno;
	struct pstate st;
	struct span name;
	const char *rest;
	struct vma v;
	int r;

	parser_state(ps, &st);
	if (n > MAPS_MAX_LINE)
		return parse_fail(st.perr, ps->file, lineno, -EINVAL,
				  "line longer than %u bytes", MAPS_MAX_LINE);
	if (n == 0 || line_is_blank(line, n))
		return 0;
	if (is_field_line(line, n, &name, &rest)) {
		struct vma_smaps *vs;

		if (!ps->smaps) {
			char b[LEX_SHOW_BUFSZ];

			return parse_fail(st.perr, ps->file, lineno, -EINVAL,
					  "expected a maps line, found the field '%s:'",
					  lex_show(name, b, sizeof(b)));
		}
		if (ps->m.n == 0)
			return parse_fail(st.perr, ps->file, lineno, -EINVAL,
					  "field line before the first mapping");
		if (ps->entry_lines >= SMAPS_MAX_ENTRY_LINES)
			return parse_fail(st.perr, ps->file, lineno, -EINVAL,
					  "more than %u lines in one smaps entry",
					  SMAPS_MAX_ENTRY_LINES);
		ps->entry_lines++;
		vs = &ps->m.smaps[ps->m.n - 1];
		return parse_field(&st, lineno, name, rest, line + n, &vs->c, vs);
	}
	r = parse_header(&st, line, n, lineno, false, &v, &name);
	if (r < 0)
		return r;
	ps->hint = 0;
	return add_vma(ps, &st, &v, name, lineno);
}

/*
 * "VmFlags: rd wr mr mw me ac \n" as the kernel prints it (each code two
 * lowercase letters after one blank, one blank before the newline), at p
 * (the line ends in '\n' before end): stored as store_vmflags() would,
 * with one copy.  1 and *next past the line when taken, 0 to leave it to
 * the general path, or -ENOMEM.
 */
static int vmflags_fast(struct maps_parser *ps, const char *p, const char *end, const char **next)
{
	struct vma_smaps *vs;
	const char *q = p + 8, *codes;
	uint64_t known = 0;
	unsigned n = 0;
	size_t len, off;
	struct pstate st;

	if (end - p < 10 || memcmp(p, "VmFlags:", 8) != 0 || ps->m.n == 0 ||
	    ps->entry_lines >= SMAPS_MAX_ENTRY_LINES)
		return 0;
	/* " xy" per code, then " \n" (or "\n" when there is none). */
	while (end - q >= 4 && q[0] == ' ' && (unsigned)(q[1] - 'a') < 26u &&
	       (unsigned)(q[2] - 'a') < 26u && q[3] == ' ') {
		unsigned bit = vmflag_index[(q[1] - 'a') * 26 + (q[2] - 'a')];

		if (bit)
			known |= UINT64_C(1) << (bit - 1);
		n++;
		q += 3;
	}
	if (n == 0 || q[0] != ' ' || end - q < 2 || q[1] != '\n' || q + 1 - p > (ptrdiff_t)MAPS_MAX_LINE)
		return 0;
	codes = p + 9;
	len = (size_t)(q - codes);
	parser_state(ps, &st);
	ps->lineno++;
	ps->entry_lines++;
	if (arena_add(&st, codes, len, &off) < 0)
		return parse_fail(&ps->perr, ps->file, ps->lineno, -ENOMEM, "out of memory");
	vs = &ps->m.smaps[ps->m.n - 1];
	vs->vmflags_off = off;
	vs->vmflags_len = (uint32_t)len;
	vs->nvmflags = n;
	vs->vmflags_known = known;
	vs->c.have |= SMAPS_HAVE_VMFLAGS;
	*next = q + 2;
	return 1;
}

/* Lines of [p, end), each ending in '\n'. */
static int parse_lines(struct maps_parser *ps, const char *p, const char *end)
{
	while (p < end) {
		const char *nl = NULL;
		int r;

		if (ps->smaps) {
			r = field_fast(ps, p, end, &nl);
			if (r == 0 && *p == 'V')
				r = vmflags_fast(ps, p, end, &nl);
			if (r < 0)
				return r;
			if (r) {
				p = nl;
				continue;
			}
		}
		if (hexv1[(unsigned char)*p]) {
			struct span name;
			struct pstate st;

			/* Parsed straight into the next entry. */
			if (vma_room(ps) < 0)
				return parse_fail(&ps->perr, ps->file, ps->lineno + 1, -ENOMEM,
						  "out of memory");
			nl = header_fast(p, end, &ps->m.v[ps->m.n], &name);
			if (nl) {
				parser_state(ps, &st);
				ps->lineno++;
				ps->hint = 0;
				r = add_vma(ps, &st, &ps->m.v[ps->m.n], name, ps->lineno);
				if (r < 0)
					return r;
				p = nl + 1;
				continue;
			}
		}
		nl = memchr(p, '\n', (size_t)(end - p));
		ps->lineno++;
		r = parse_line(ps, p, (size_t)(nl - p));
		if (r < 0)
			return r;
		p = nl + 1;
	}
	return 0;
}

/* Record a failure (perr filled in ps->perr) and hand it to the caller. */
static int parser_fail(struct maps_parser *ps, int r, struct parse_error *perr)
{
	ps->err = r;
	if (perr)
		*perr = ps->perr;
	return r;
}

int maps_parser_new(bool smaps, const char *file, struct maps_parser **ret,
		    struct parse_error *perr)
{
	struct maps_parser *ps = calloc(1, sizeof(*ps));

	if (!ps)
		return parse_fail(perr, file, 0, -ENOMEM, "out of memory");
	ps->file = file;
	ps->smaps = smaps;
	ps->perr.file = file;
	fields_init(&ps->m.fields);
	*ret = ps;
	return 0;
}

/* The carried line grows by n bytes; it may not exceed the line limit. */
static int carry_add(struct maps_parser *ps, const char *p, size_t n)
{
	if (ps->carry.len + n > MAPS_MAX_LINE)
		return parse_fail(&ps->perr, ps->file, ps->lineno + 1, -EINVAL,
				  "line longer than %u bytes", MAPS_MAX_LINE);
	if (buf_append(&ps->carry, p, n) < 0)
		return parse_fail(&ps->perr, ps->file, ps->lineno + 1, -ENOMEM, "out of memory");
	return 0;
}

int maps_parser_feed(struct maps_parser *ps, const char *buf, size_t len,
		     struct parse_error *perr)
{
	const char *p = buf, *end = buf + len, *last;
	int r;

	if (ps->err)
		return parser_fail(ps, ps->err, perr);
	if (ps->finished)
		return parser_fail(ps, parse_fail(&ps->perr, ps->file, 0, -EINVAL,
						  "input after the end"), perr);
	if (len == 0 || !buf)
		return 0;
	if (ps->carry.len) {
		const char *nl = memchr(p, '\n', len);

		r = carry_add(ps, p, nl ? (size_t)(nl - p) : len);
		if (r < 0)
			return parser_fail(ps, r, perr);
		if (!nl)
			return 0;
		ps->lineno++;
		r = parse_line(ps, ps->carry.data, ps->carry.len);
		buf_reset(&ps->carry);
		if (r < 0)
			return parser_fail(ps, r, perr);
		p = nl + 1;
	}
	last = p < end ? memrchr(p, '\n', (size_t)(end - p)) : NULL;
	if (last) {
		r = parse_lines(ps, p, last + 1);
		if (r < 0)
			return parser_fail(ps, r, perr);
		p = last + 1;
	}
	if (p < end) {
		r = carry_add(ps, p, (size_t)(end - p));
		if (r < 0)
			return parser_fail(ps, r, perr);
	}
	return 0;
}

/* The last line, which had no newline, and the end of the input. */
static int parser_end(struct maps_parser *ps, struct parse_error *perr)
{
	int r;

	if (ps->err)
		return parser_fail(ps, ps->err, perr);
	if (!ps->finished && ps->carry.len) {
		ps->lineno++;
		r = parse_line(ps, ps->carry.data, ps->carry.len);
		buf_reset(&ps->carry);
		if (r < 0)
			return parser_fail(ps, r, perr);
	}
	ps->finished = true;
	return 0;
}

const struct maps *maps_parser_window(struct maps_parser *ps, size_t *ret_complete,
				      size_t *ret_first)
{
	size_t n = ps->m.n;

	/* An smaps entry is complete when the next header (or the end) comes. */
	if (ps->smaps && !ps->finished && n)
		n--;
	*ret_complete = n;
	if (ret_first)
		*ret_first = ps->dropped;
	return &ps->m;
}

int maps_parser_end(struct maps_parser *ps, struct parse_error *perr)
{
	return parser_end(ps, perr);
}

void maps_parser_drop(struct maps_parser *ps, size_t k)
{
	struct maps *m = &ps->m;
	size_t cut = m->strings_len, keep;

	if (k > m->n)
		k = m->n;
	if (k == 0)
		return;
	keep = m->n - k;
	/* The strings of the kept entries are the arena's tail. */
	for (size_t i = k; i < m->n; i++) {
		if (m->v[i].name_len && m->v[i].name_off < cut)
			cut = m->v[i].name_off;
		if (m->smaps) {
			const struct vma_smaps *s = &m->smaps[i];

			if ((s->c.have & SMAPS_HAVE_VMFLAGS) && s->vmflags_off < cut)
				cut = s->vmflags_off;
			if ((s->c.have & SMAPS_HAVE_NAME) && s->aname_off < cut)
				cut = s->aname_off;
		}
	}
	memmove(m->v, m->v + k, keep * sizeof(*m->v));
	if (cut && m->strings) {
		memmove(m->strings, m->strings + cut, m->strings_len - cut);
		m->strings_len -= cut;
	}
	for (size_t i = 0; i < keep; i++)
		if (m->v[i].name_len)
			m->v[i].name_off -= cut;
	if (m->smaps) {
		size_t f0 = keep ? m->smaps[k].c.first : m->fields.n;

		memmove(m->smaps, m->smaps + k, keep * sizeof(*m->smaps));
		if (m->fields.n > f0)
			memmove(m->fields.f, m->fields.f + f0,
				(m->fields.n - f0) * sizeof(*m->fields.f));
		m->fields.n -= f0;
		for (size_t i = 0; i < keep; i++) {
			struct vma_smaps *s = &m->smaps[i];

			s->c.first -= f0;
			if (s->c.have & SMAPS_HAVE_VMFLAGS)
				s->vmflags_off -= cut;
			if (s->c.have & SMAPS_HAVE_NAME)
				s->aname_off -= cut;
		}
	}
	m->n = keep;
	ps->dropped += k;
}

int maps_parser_finish(struct maps_parser *ps, struct maps *ret, struct parse_error *perr)
{
	struct maps *m = &ps->m;
	int r = parser_end(ps, perr);

	if (r < 0)
		return r;
	if (ps->smaps && !m->smaps) {
		/* A valid empty smaps still says it is smaps. */
		m->smaps = malloc(sizeof(*m->smaps));
		if (!m->smaps)
			return parser_fail(ps, parse_fail(&ps->perr, ps->file, 0, -ENOMEM,
							  "out of memory"), perr);
	}
	*ret = *m;
	memset(m, 0, sizeof(*m));
	fields_init(&m->fields);
	ps->err = -EINVAL; /* nothing more to parse into */
	snprintf(ps->perr.what, sizeof(ps->perr.what), "input after the end");
	return 0;
}

void maps_parser_free(struct maps_parser *ps)
{
	if (!ps)
		return;
	maps_free(&ps->m);
	buf_free(&ps->carry);
	free(ps->known);
	free(ps->index.slot);
	free(ps->tmpl);
	free(ps);
}

static int parse_maps_common(const char *buf, size_t len, const char *file, bool smaps,
			     struct maps *ret, struct parse_error *perr)
{
	struct maps_parser *ps;
	int r = maps_parser_new(smaps, file, &ps, perr);

	if (r < 0)
		return r;
	r = maps_parser_feed(ps, len ? buf : "", buf ? len : 0, perr);
	if (r == 0)
		r = maps_parser_finish(ps, ret, perr);
	maps_parser_free(ps);
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

/* ---- smaps_rollup ------------------------------------------------------ */

int smaps_rollup_parse(const char *buf, size_t len, const char *file,
		       struct smaps_rollup *ret, struct parse_error *perr)
{
	struct smaps_rollup ro = { 0 };
	struct pstate st = { 0 };
	struct parse_error e = { 0 };
	signed char *known = NULL;
	size_t known_cap = 0, hint = 0;
	struct name_index index = { 0 };
	struct lineiter it;
	const char *line;
	size_t n;
	bool header = false;
	int r = 0;

	fields_init(&ro.fields);
	st.file = file;
	st.perr = &e;
	st.fields = &ro.fields;
	st.known = &known;
	st.known_cap = &known_cap;
	st.index = &index;
	st.hint = &hint;

	lineiter_init(&it, len ? buf : "", buf ? len : 0);
	while (lineiter_next(&it, &line, &n)) {
		struct span name;
		const char *rest;
		struct vma v;

		if (n > MAPS_MAX_LINE) {
			r = parse_fail(&e, file, it.lineno, -EINVAL, "line longer than %u bytes",
				       MAPS_MAX_LINE);
			goto fail;
		}
		if (n == 0 || line_is_blank(line, n))
			continue;
		if (is_field_line(line, n, &name, &rest)) {
			if (!header) {
				r = parse_fail(&e, file, it.lineno, -EINVAL,
					       "field line before the [rollup] header");
				goto fail;
			}
			if (ro.c.n >= SMAPS_MAX_ENTRY_LINES) {
				r = parse_fail(&e, file, it.lineno, -EINVAL,
					       "more than %u lines in one smaps entry",
					       SMAPS_MAX_ENTRY_LINES);
				goto fail;
			}
			r = parse_field(&st, it.lineno, name, rest, line + n, &ro.c, NULL);
			if (r < 0)
				goto fail;
			continue;
		}
		if (header) {
			r = parse_fail(&e, file, it.lineno, -EINVAL,
				       "a second header line in smaps_rollup");
			goto fail;
		}
		r = parse_header(&st, line, n, it.lineno, true, &v, &name);
		if (r < 0)
			goto fail;
		if (!span_eq(name, "[rollup]")) {
			char b[LEX_SHOW_BUFSZ];

			r = parse_fail(&e, file, it.lineno, -EINVAL,
				       "expected the '[rollup]' header, found '%s'",
				       lex_show(name, b, sizeof(b)));
			goto fail;
		}
		ro.start = v.start;
		ro.end = v.end;
		header = true;
	}
	if (!header) {
		r = parse_fail(&e, file, 0, -EINVAL, "empty file");
		goto fail;
	}
	free(known);
	free(index.slot);
	*ret = ro;
	return 0;
fail:
	if (perr)
		*perr = e;
	free(known);
	free(index.slot);
	smaps_rollup_free(&ro);
	return r;
}
