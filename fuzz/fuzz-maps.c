/*
 * fuzz-maps.c - libFuzzer harness for maps_parse(), smaps_parse() and
 * smaps_rollup_parse(), and for the incremental maps parser behind them
 * (maps_parser_feed() and the streaming window).  The first input byte
 * picks the parser (byte % 3: 0 maps, 1 smaps, 2 smaps_rollup) and, in
 * byte / 3 (0..85), how the file is cut for the incremental runs; the
 * rest is the file.  Any input must parse and pass the checks below, or
 * fail cleanly under the error contract in fuzz-check.h with the output
 * untouched.  For maps and smaps the file is parsed four ways: whole; in
 * two pieces cut at a point the byte chooses; in chunks of 1 + byte / 3
 * bytes, each its own allocation (ASan sees a read past a chunk); and in
 * those chunks as a streaming reader does, taking the complete entries
 * after each chunk and dropping them.  All four must agree exactly: the
 * same error (code, line and message) or the same entries.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz-check.h"

/* Entry i of a and entry j of b are the same. */
static void same_entry(const struct maps *a, size_t i, const struct maps *b, size_t j)
{
	const struct vma *x = &a->v[i], *y = &b->v[j];
	const char *s, *t;
	size_t n1, n2;

	if (x->start != y->start || x->end != y->end || x->offset != y->offset ||
	    x->inode != y->inode || x->dev_major != y->dev_major || x->dev_minor != y->dev_minor ||
	    x->line != y->line || x->perms != y->perms || x->kind != y->kind ||
	    x->deleted != y->deleted || memcmp(x->perm_chars, y->perm_chars, 5))
		fuzz_fail("incremental: a mapping's columns differ");
	s = vma_name(a, x, &n1);
	t = vma_name(b, y, &n2);
	if (n1 != n2 || memcmp(s, t, n1))
		fuzz_fail("incremental: a name differs");
	if (!a->smaps)
		return;
	{
		const struct vma_smaps *p = &a->smaps[i], *q = &b->smaps[j];

		if (p->c.have != q->c.have || p->c.n != q->c.n || p->nvmflags != q->nvmflags ||
		    p->vmflags_known != q->vmflags_known)
			fuzz_fail("incremental: smaps entry differs");
		for (uint32_t k = 0; k < p->c.n; k++) {
			const struct smaps_field *f = &a->fields.f[p->c.first + k];
			const struct smaps_field *g = &b->fields.f[q->c.first + k];

			if (f->value != g->value || smaps_field_kb(f) != smaps_field_kb(g) ||
			    strcmp(a->fields.names[smaps_field_name(f)],
				   b->fields.names[smaps_field_name(g)]))
				fuzz_fail("incremental: a field differs");
		}
		s = vma_vmflags(a, i, &n1);
		t = vma_vmflags(b, j, &n2);
		if (n1 != n2 || memcmp(s, t, n1))
			fuzz_fail("incremental: VmFlags differ");
		s = vma_android_name(a, i, &n1);
		t = vma_android_name(b, j, &n2);
		if (!s != !t || (s && (n1 != n2 || memcmp(s, t, n1))))
			fuzz_fail("incremental: Name differs");
	}
}

static void same_error(int r1, const struct parse_error *e1, int r2, const struct parse_error *e2)
{
	if (r1 != r2)
		fuzz_fail("incremental: a different result");
	if (r1 < 0 && r1 != -ENOMEM && (e1->line != e2->line || strcmp(e1->what, e2->what)))
		fuzz_fail("incremental: a different error");
}

/* Parse data in the pieces cuts[] gives (each copied to its own buffer);
 * with stream, check each complete entry against whole and drop it. */
static int parse_pieces(bool smaps, const uint8_t *data, size_t size, size_t chunk, size_t cut,
			bool stream, const struct maps *whole, struct maps *ret,
			struct parse_error *perr)
{
	struct maps_parser *ps;
	size_t off = 0, seen = 0, shown = 0;
	/* Chunks of the full size go through one buffer of exactly that
	 * size, the others through their own: ASan sees any read past one. */
	char *full = chunk ? malloc(chunk) : NULL;
	int r = maps_parser_new(smaps, fuzz_file, &ps, perr);

	if (r < 0) {
		free(full);
		return r;
	}
	while (r == 0) {
		size_t n = chunk ? chunk : (off < cut ? cut - off : size - off);
		char *c;

		if (n > size - off)
			n = size - off;
		if (n == 0) {
			r = maps_parser_end(ps, perr);
		} else {
			c = full && n == chunk ? full : malloc(n);
			if (!c)
				abort();
			memcpy(c, data + off, n);
			r = maps_parser_feed(ps, c, n, perr);
			if (c != full)
				free(c);
			off += n;
		}
		if (r == 0 && stream) {
			size_t complete, first;
			const struct maps *w = maps_parser_window(ps, &complete, &first);

			for (size_t i = shown; i < complete; i++) {
				/* whole is NULL when the file fails further on. */
				if (first + i != seen || (whole && seen >= whole->n))
					fuzz_fail("incremental: streamed entries out of step");
				if (whole)
					same_entry(whole, seen, w, i);
				seen++;
			}
			shown = complete;
			if (shown > 1) {
				maps_parser_drop(ps, shown - 1);
				shown = 1;
			}
		}
		if (n == 0)
			break;
	}
	if (r == 0 && stream && (!whole || seen != whole->n))
		fuzz_fail("incremental: streamed fewer entries");
	if (r == 0)
		r = maps_parser_finish(ps, ret, perr);
	maps_parser_free(ps);
	free(full);
	return r;
}

static void check_incremental(bool smaps, const uint8_t *data, size_t size, unsigned ctl,
			      int rc, const struct parse_error *perr, const struct maps *whole)
{
	size_t cut = size * ctl / 85;

	for (int way = 0; way < 3; way++) {
		struct parse_error e;
		struct maps m;
		int r;

		memset(&e, 0, sizeof(e));
		r = parse_pieces(smaps, data, size, way == 0 ? 0 : 1 + ctl, cut, way == 2, whole, &m, &e);
		same_error(rc, perr, r, &e);
		if (r < 0)
			continue;
		if (way == 2) {
			maps_free(&m);
			continue;
		}
		if (m.n != whole->n || m.fields.n != whole->fields.n)
			fuzz_fail("incremental: a different number of entries or fields");
		for (size_t i = 0; i < m.n; i++)
			same_entry(whole, i, &m, i);
		maps_free(&m);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_fields(const struct smaps_fields *t, size_t first, size_t n)
{
	if (first > t->n || n > t->n - first)
		fuzz_fail("smaps: field range outside the field table");
	for (size_t k = first; k < first + n; k++)
		if (smaps_field_name(&t->f[k]) >= t->nnames || !t->names[smaps_field_name(&t->f[k])])
			fuzz_fail("smaps: field with a bad name index");
	for (size_t k = 0; k < t->nnames; k++)
		if (strlen(t->names[k]) == 0)
			fuzz_fail("smaps: empty field name");
}

static void check_counters(const struct smaps_fields *t, const struct smaps_counters *c)
{
	for (unsigned k = 0; k < SMAPS_NR_COUNTERS; k++)
	{
		uint64_t v;

		if (smaps_counter_is_kb((enum smaps_counter)k) &&
		    smaps_counter_get(t, c, (enum smaps_counter)k, &v) && v > UINT64_MAX / 1024)
			fuzz_fail("smaps: kB value overflows as bytes");
		if (!!(c->have & (UINT64_C(1) << k)) !=
		    smaps_counter_get(t, c, (enum smaps_counter)k, &v))
			fuzz_fail("smaps: have bit and counter disagree");
	}
}

static void check_maps(const struct maps *m, bool smaps)
{
	size_t fields = 0;

	if (m->n > m->cap)
		fuzz_fail("maps: n > cap");
	if (smaps != (m->smaps != NULL))
		fuzz_fail("maps: smaps array present for maps or absent for smaps");
	for (size_t i = 0; i < m->n; i++) {
		const struct vma *v = &m->v[i];
		const char *s;
		size_t n;

		if (v->start >= v->end)
			fuzz_fail("maps: empty or reversed VMA");
		if (v->kind >= VMA_KIND_NR)
			fuzz_fail("maps: bad kind");
		if (v->name_len && (v->name_off + v->name_len >= m->strings_len ||
				    m->strings[v->name_off + v->name_len] != '\0'))
			fuzz_fail("maps: name outside the arena");
		s = vma_path(m, v, &n);
		if (v->deleted && (n + 10 != v->name_len || memcmp(s + n, " (deleted)", 10)))
			fuzz_fail("maps: deleted flag without the suffix");
		if (v->perm_chars[4] != '\0' || memchr(v->perm_chars, '\0', 4))
			fuzz_fail("maps: perm_chars");
		if (smaps) {
			const struct vma_smaps *vs = &m->smaps[i];
			char code[3];

			if (vs->c.first != fields)
				fuzz_fail("smaps: field ranges not contiguous");
			fields += vs->c.n;
			if (vs->c.n > SMAPS_MAX_ENTRY_LINES)
				fuzz_fail("smaps: more fields than the entry limit");
			check_fields(&m->fields, vs->c.first, vs->c.n);
			check_counters(&m->fields, &vs->c);
			s = vma_vmflags(m, i, &n);
			/* Lengths are authoritative (input NULs are kept). */
			if (s[n] != '\0')
				fuzz_fail("smaps: VmFlags not terminated at its length");
			for (unsigned k = 0; k < vs->nvmflags; k++)
				if (!vma_vmflag(m, i, k, code))
					fuzz_fail("smaps: VmFlags code missing");
			if (vma_vmflag(m, i, vs->nvmflags, code))
				fuzz_fail("smaps: VmFlags code past the count");
			if (vma_android_name(m, i, &n) && (vs->aname_off + n >= m->strings_len))
				fuzz_fail("smaps: Name outside the arena");
		}
	}
	if (smaps && fields != m->fields.n)
		fuzz_fail("smaps: fields not owned by any VMA");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_error perr;
	unsigned which, ctl;
	int rc;

	if (size < 1)
		return 0;
	which = data[0] % 3;
	ctl = data[0] / 3;
	data++;
	size--;
	memset(&perr, 0, sizeof(perr));
	if (which < 2) {
		struct maps ret;

		memset(&ret, FUZZ_POISON, sizeof(ret));
		rc = (which == 0 ? maps_parse : smaps_parse)((const char *)data, size, fuzz_file,
							      &ret, &perr);
		fuzz_check_result(rc, &perr, data, size);
		if (rc < 0) {
			if (!fuzz_is_poisoned(&ret, sizeof(ret)))
				fuzz_fail("maps_parse changed *ret on failure");
			check_incremental(which == 1, data, size, ctl, rc, &perr, NULL);
			return 0;
		}
		check_maps(&ret, which == 1);
		check_incremental(which == 1, data, size, ctl, rc, &perr, &ret);
		maps_free(&ret);
	} else {
		struct smaps_rollup ret;

		memset(&ret, FUZZ_POISON, sizeof(ret));
		rc = smaps_rollup_parse((const char *)data, size, fuzz_file, &ret, &perr);
		fuzz_check_result(rc, &perr, data, size);
		if (rc < 0) {
			if (!fuzz_is_poisoned(&ret, sizeof(ret)))
				fuzz_fail("smaps_rollup_parse changed *ret on failure");
			return 0;
		}
		if (ret.start > ret.end)
			fuzz_fail("smaps_rollup: start above end");
		check_fields(&ret.fields, 0, ret.fields.n);
		if (ret.c.first != 0 || ret.c.n != ret.fields.n)
			fuzz_fail("smaps_rollup: counters do not cover the fields");
		check_counters(&ret.fields, &ret.c);
		smaps_rollup_free(&ret);
	}
	return 0;
}
