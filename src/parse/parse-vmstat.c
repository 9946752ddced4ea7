/*
 * parse-vmstat.c - /proc/vmstat: one "name value" counter per line.
 *
 * The counter set changes with every kernel version and config (192 on
 * 6.18 x86_64, ~40 on 2.6.16), so nothing is assumed about names or
 * order: every counter is kept, in file order, in a kvlist.  Each line
 * must be exactly a name and an unsigned decimal (the kernel prints
 * every counter with %lu); blank lines are skipped.
 */
#include <errno.h>
#include <string.h>

#include "parse.h"


/*
 * Counter names are C identifiers in every kernel so far; accept any
 * printable ASCII except ':' so that a future name does not break us but
 * a meminfo-style "Name: value" line (or binary junk) is refused.
 */
static bool name_ok(struct span s)
{
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];

		if (c <= 0x20 || c >= 0x7f || c == ':')
			return false;
	}
	return s.n > 0;
}

int vmstat_reparse(const char *buf, size_t len, const char *file,
		   struct kvlist *ret, struct parse_error *perr)
{
	char b1[LEX_SHOW_BUFSZ], b2[LEX_SHOW_BUFSZ];
	struct kvlist l = *ret;
	struct lineiter it;
	const char *line;
	size_t n;
	int r;

	kvlist_recycle(&l);
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line, &n)) {
		const char *p = line, *end = line + n;
		struct span name, val, extra;
		uint64_t v;

		if (!tok_next(&p, end, &name))
			continue;
		if (!name_ok(name)) {
			r = parse_fail(perr, file, it.lineno, -EINVAL,
				       "bad character in counter name '%s'",
				       lex_show(name, b1, sizeof(b1)));
			goto fail;
		}
		if (!tok_next(&p, end, &val)) {
			r = parse_fail(perr, file, it.lineno, -EINVAL,
				       "missing value for '%s'",
				       lex_show(name, b1, sizeof(b1)));
			goto fail;
		}
		if (tok_next(&p, end, &extra)) {
			r = parse_fail(perr, file, it.lineno, -EINVAL,
				       "expected 'name value', found more after '%s %s'",
				       lex_show(name, b1, sizeof(b1)),
				       lex_show(val, b2, sizeof(b2)));
			goto fail;
		}
		r = lex_u64(val, &v);
		if (r < 0) {
			r = parse_fail(perr, file, it.lineno, r,
				       "value of '%s': %s: '%s'",
				       lex_show(name, b1, sizeof(b1)),
				       lex_strerror(r), lex_show(val, b2, sizeof(b2)));
			goto fail;
		}
		r = kvlist_add(&l, name.p, name.n, v);
		if (r < 0) {
			r = parse_fail(perr, file, it.lineno, r, "out of memory");
			goto fail;
		}
	}
	if (l.n == 0) {
		r = parse_fail(perr, file, 0, -EINVAL, "empty file");
		goto fail;
	}
	kvlist_trim(&l);
	*ret = l;
	return 0;
fail:
	kvlist_free(&l);
	*ret = l;
	return r;
}

int vmstat_parse(const char *buf, size_t len, const char *file,
		 struct kvlist *ret, struct parse_error *perr)
{
	struct kvlist l = { 0 };
	int r = vmstat_reparse(buf, len, file, &l, perr);

	if (r == 0)
		*ret = l;
	return r;
}
