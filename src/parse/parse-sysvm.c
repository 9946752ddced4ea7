/*
 * parse-sysvm.c - the /proc/sys/vm tunables that watermarks, lowmem
 * reserves and compaction depend on (see sysvm.h).
 *
 * Each file is one line printed by proc_dointvec: a signed decimal int,
 * or for lowmem_reserve_ratio one int per zone separated by tabs.  The
 * values are sysctl ints, so anything outside the int range is -ERANGE.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "parse.h"

const char *const sysvm_files[6] = {
	"min_free_kbytes",
	"watermark_scale_factor",
	"lowmem_reserve_ratio",
	"extfrag_threshold",
	"compaction_proactiveness",
	"watermark_boost_factor",
};


/* Bit position of a single SYSVM_* bit, or -1 if which is not one. */
static int sysvm_index(unsigned which)
{
	for (int i = 0; i < (int)(sizeof(sysvm_files) / sizeof(sysvm_files[0])); i++)
		if (which == 1u << i)
			return i;
	return -1;
}

int sysvm_parse(unsigned which, const char *buf, size_t len, const char *file,
		struct sysvm *vm, struct parse_error *perr)
{
	char b1[LEX_SHOW_BUFSZ];
	int64_t vals[FS_MAX_ZONES];
	unsigned nvals = 0, max, vline = 0;
	struct lineiter it;
	const char *line;
	size_t n;
	int idx = sysvm_index(which), r;

	if (idx < 0)
		return parse_fail(perr, file, 0, -EINVAL,
				  "unknown /proc/sys/vm setting %#x", which);
	max = which == SYSVM_LOWMEM_RESERVE_RATIO ? FS_MAX_ZONES : 1;

	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line, &n)) {
		const char *p = line, *end = line + n;
		struct span t;

		if (skip_blanks(p, end) == end)
			continue;
		if (vline)
			return parse_fail(perr, file, it.lineno, -EINVAL,
					  "unexpected second line in %s",
					  sysvm_files[idx]);
		vline = it.lineno;
		while (tok_next(&p, end, &t)) {
			int64_t v;

			if (nvals == max) {
				if (max == 1)
					return parse_fail(perr, file, it.lineno, -EINVAL,
							  "expected one value, found more: '%s'",
							  lex_show(t, b1, sizeof(b1)));
				return parse_fail(perr, file, it.lineno, -EINVAL,
						  "more than %u values (one per zone)",
						  max);
			}
			r = lex_i64(t, &v);
			if (r == 0 && (v < INT_MIN || v > INT_MAX))
				r = -ERANGE;
			if (r < 0)
				return parse_fail(perr, file, it.lineno, r,
						  "%s: %s: '%s'", sysvm_files[idx],
						  lex_strerror(r),
						  lex_show(t, b1, sizeof(b1)));
			vals[nvals++] = v;
		}
	}
	if (nvals == 0)
		return parse_fail(perr, file, 0, -EINVAL, "empty file");

	switch (which) {
	case SYSVM_MIN_FREE_KBYTES:
		vm->min_free_kbytes = vals[0];
		break;
	case SYSVM_WATERMARK_SCALE_FACTOR:
		vm->watermark_scale_factor = vals[0];
		break;
	case SYSVM_LOWMEM_RESERVE_RATIO:
		memcpy(vm->lowmem_reserve_ratio, vals, nvals * sizeof(vals[0]));
		vm->nr_lowmem_reserve_ratio = nvals;
		break;
	case SYSVM_EXTFRAG_THRESHOLD:
		vm->extfrag_threshold = vals[0];
		break;
	case SYSVM_COMPACTION_PROACTIVENESS:
		vm->compaction_proactiveness = vals[0];
		break;
	case SYSVM_WATERMARK_BOOST_FACTOR:
		vm->watermark_boost_factor = vals[0];
		break;
	}
	vm->have |= which;
	return 0;
}
