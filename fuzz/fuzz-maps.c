/*
 * fuzz-maps.c - libFuzzer harness for maps_parse(), smaps_parse() and
 * smaps_rollup_parse().  The first input byte picks the parser (byte % 3:
 * 0 maps, 1 smaps, 2 smaps_rollup); the rest is the file.  Any input must
 * parse and pass the checks below, or fail cleanly under the error
 * contract in fuzz-check.h with the output untouched.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz-check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_fields(const struct smaps_fields *t, size_t first, size_t n)
{
	if (first > t->n || n > t->n - first)
		fuzz_fail("smaps: field range outside the field table");
	for (size_t k = first; k < first + n; k++)
		if (t->f[k].name >= t->nnames || !t->names[t->f[k].name])
			fuzz_fail("smaps: field with a bad name index");
	for (size_t k = 0; k < t->nnames; k++)
		if (strlen(t->names[k]) == 0)
			fuzz_fail("smaps: empty field name");
}

static void check_counters(const struct smaps_counters *c)
{
	for (unsigned k = 0; k < SMAPS_NR_COUNTERS; k++)
		if ((c->have & (UINT64_C(1) << k)) && c->kb[k] > UINT64_MAX / 1024)
			fuzz_fail("smaps: kB value overflows as bytes");
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

			if (vs->field_first != fields)
				fuzz_fail("smaps: field ranges not contiguous");
			fields += vs->nfields;
			check_fields(&m->fields, vs->field_first, vs->nfields);
			check_counters(&vs->c);
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
	unsigned which;
	int rc;

	if (size < 1)
		return 0;
	which = data[0] % 3;
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
			return 0;
		}
		check_maps(&ret, which == 1);
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
		check_counters(&ret.c);
		smaps_rollup_free(&ret);
	}
	return 0;
}
