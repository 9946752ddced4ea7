/*
 * parse-slabsys.c - the attribute files of /sys/kernel/slab/CACHE/
 * (SLUB, mm/slub.c; reference/kernel.md section 4.3), one file at a time.
 *
 * Every attribute is one line.  The forms:
 *
 *   plain unsigned     "192\n"                 object_size, order, align, ...
 *   0/1 flag           "1\n"                   reclaim_account, poison, ...
 *   counter            "10437 N0=10437 N1=5\n" objects, slabs, partial, ...
 *                      (show_slab_objects: the total, then " N<node>=<v>"
 *                      for each node with a non-zero value, NUMA only)
 *   cpu partial        "94(9) C0=73(7) C1=21(2)\n"   slabs_cpu_partial:
 *                      "objects(slabs)" in total, then per CPU
 *   symbol             "init_once+0x0/0x30 [xfs]\n" or empty: ctor
 *   event counter      "1234 C0=1000 C1=234\n" CONFIG_SLUB_STATS files
 *
 * The strict forms fail on anything else, with the line; the event
 * counters and attributes this file does not know are read leniently
 * (the first number is kept in c->stats, anything else is ignored), so a
 * new kernel's new file never makes the whole directory unreadable.
 * Write-only and tuning controls (shrink, validate, ...) are not data and
 * are ignored.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "../model/limits.h"
#include "../util/util.h"

/* Node and CPU ids accepted: MAX_NUMNODES is at most 1 << 10 and NR_CPUS
 * at most 8192 in mainline; the bounds leave room. */
#define SLAB_NODE_MAX 1024
#define SLAB_CPU_MAX 65536
/* ctor is a %pS symbol: name, offset, size and module fit in well under this. */
#define SLAB_CTOR_MAX 1024
/* Values the kernel keeps in an unsigned int. */
#define U32_MAX_VALUE 0xffffffffull

/*
 * The one non-blank line of a one-line file, without surrounding blanks.
 * ret_line is NULL when the file holds only blanks (or nothing).  A second
 * non-blank line is an error.
 */
static int one_line(const char *buf, size_t len, const char *file,
		    struct span *ret_line, unsigned *ret_lineno, struct parse_error *perr)
{
	struct lineiter it;
	const char *line, *p, *e;
	size_t n;

	ret_line->p = NULL;
	ret_line->n = 0;
	*ret_lineno = 0;
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line, &n)) {
		p = skip_blanks(line, line + n);
		if (p == line + n)
			continue;
		if (ret_line->p)
			return parse_fail(perr, file, it.lineno, -EINVAL, "unexpected second line");
		e = line + n;
		while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
				 e[-1] == '\v' || e[-1] == '\f'))
			e--;
		ret_line->p = p;
		ret_line->n = (size_t)(e - p);
		*ret_lineno = it.lineno;
	}
	return 0;
}

static int bad_number(const char *file, unsigned lineno, int r, const char *what, struct span t,
		      struct parse_error *perr)
{
	char b1[LEX_SHOW_BUFSZ];

	return parse_fail(perr, file, lineno, r, "%s: %s: '%s'", what, lex_strerror(r),
			  lex_show(t, b1, sizeof(b1)));
}

/* "<prefix><id>=<rest>": the id (decimal, < max) and the span after '='. */
static int split_id(struct span t, char prefix, unsigned max, const char *file, unsigned lineno,
		    unsigned *ret_id, struct span *ret_rest, struct parse_error *perr)
{
	char b1[LEX_SHOW_BUFSZ];
	const char *eq = t.n ? memchr(t.p, '=', t.n) : NULL;
	struct span id;
	uint64_t v;
	int r;

	if (t.n < 3 || t.p[0] != prefix || !eq)
		return parse_fail(perr, file, lineno, -EINVAL, "expected '%c<id>=<value>', found '%s'",
				  prefix, lex_show(t, b1, sizeof(b1)));
	id.p = t.p + 1;
	id.n = (size_t)(eq - id.p);
	r = lex_u64(id, &v);
	if (r == 0 && v >= max)
		r = -ERANGE;
	if (r < 0)
		return parse_fail(perr, file, lineno, r, "%s id %s: '%s'",
				  prefix == 'N' ? "node" : "CPU",
				  r == -ERANGE ? "too large" : "not a number", lex_show(t, b1, sizeof(b1)));
	*ret_id = (unsigned)v;
	ret_rest->p = eq + 1;
	ret_rest->n = (size_t)(t.p + t.n - ret_rest->p);
	return 0;
}

int slabsys_counter_parse(const char *buf, size_t len, const char *file,
			  struct slab_counter *ret, struct parse_error *perr)
{
	char b1[LEX_SHOW_BUFSZ];
	uint64_t seen[SLAB_NODE_MAX / 64] = { 0 };
	struct span line, t, v;
	const char *p, *end;
	unsigned lineno, top = 0, id;
	bool any = false;
	uint64_t total, x, *node = NULL;
	int r;

	r = one_line(buf, len, file, &line, &lineno, perr);
	if (r < 0)
		return r;
	if (!line.p)
		return parse_fail(perr, file, 0, -EINVAL, "empty file");
	p = line.p;
	end = line.p + line.n;
	(void)tok_next(&p, end, &t);
	r = lex_u64(t, &total);
	if (r < 0)
		return bad_number(file, lineno, r, "total", t, perr);

	/* Validate and find the highest node first, then fill. */
	while (tok_next(&p, end, &t)) {
		r = split_id(t, 'N', SLAB_NODE_MAX, file, lineno, &id, &v, perr);
		if (r < 0)
			return r;
		if (seen[id / 64] & (1ull << (id % 64)))
			return parse_fail(perr, file, lineno, -EINVAL, "node %u listed twice: '%s'", id,
					  lex_show(t, b1, sizeof(b1)));
		seen[id / 64] |= 1ull << (id % 64);
		r = lex_u64(v, &x);
		if (r < 0)
			return bad_number(file, lineno, r, "node value", t, perr);
		if (id > top)
			top = id;
		any = true;
	}
	if (any) {
		node = calloc(top + 1, sizeof(*node));
		if (!node)
			return parse_fail(perr, file, lineno, -ENOMEM, "out of memory");
		p = line.p;
		(void)tok_next(&p, end, &t);
		while (tok_next(&p, end, &t)) {
			(void)split_id(t, 'N', SLAB_NODE_MAX, file, lineno, &id, &v, NULL);
			(void)lex_u64(v, &node[id]);
		}
	}
	ret->total = total;
	ret->node = node;
	ret->nr_node = any ? top + 1 : 0;
	return 0;
}

/* "objects(slabs)" as slabs_cpu_partial prints it (two %d). */
static int objs_slabs(struct span t, const char *what, const char *file, unsigned lineno,
		      uint64_t *ret_objs, uint64_t *ret_slabs, struct parse_error *perr)
{
	char b1[LEX_SHOW_BUFSZ];
	const char *open = t.n ? memchr(t.p, '(', t.n) : NULL;
	struct span a, b;
	int r;

	if (!open || t.n < 4 || t.p[t.n - 1] != ')')
		return parse_fail(perr, file, lineno, -EINVAL, "%s: expected 'objects(slabs)', found '%s'",
				  what, lex_show(t, b1, sizeof(b1)));
	a.p = t.p;
	a.n = (size_t)(open - t.p);
	b.p = open + 1;
	b.n = (size_t)(t.p + t.n - 1 - b.p);
	r = lex_u64(a, ret_objs);
	if (r == 0)
		r = lex_u64(b, ret_slabs);
	if (r < 0)
		return bad_number(file, lineno, r, what, t, perr);
	return 0;
}

int slabsys_cpu_partial_parse(const char *buf, size_t len, const char *file,
			      uint64_t *ret_objs, uint64_t *ret_slabs, struct parse_error *perr)
{
	char b1[LEX_SHOW_BUFSZ];
	uint64_t seen[SLAB_CPU_MAX / 64];
	struct span line, t, v;
	const char *p, *end;
	unsigned lineno, id;
	uint64_t objs, slabs, o, s;
	bool any = false;
	int r;

	r = one_line(buf, len, file, &line, &lineno, perr);
	if (r < 0)
		return r;
	if (!line.p)
		return parse_fail(perr, file, 0, -EINVAL, "empty file");
	p = line.p;
	end = line.p + line.n;
	(void)tok_next(&p, end, &t);
	r = objs_slabs(t, "total", file, lineno, &objs, &slabs, perr);
	if (r < 0)
		return r;
	/* The per-CPU parts are not kept, but must be well formed. */
	while (tok_next(&p, end, &t)) {
		if (!any)
			memset(seen, 0, sizeof(seen));
		any = true;
		r = split_id(t, 'C', SLAB_CPU_MAX, file, lineno, &id, &v, perr);
		if (r < 0)
			return r;
		if (seen[id / 64] & (1ull << (id % 64)))
			return parse_fail(perr, file, lineno, -EINVAL, "CPU %u listed twice: '%s'", id,
					  lex_show(t, b1, sizeof(b1)));
		seen[id / 64] |= 1ull << (id % 64);
		r = objs_slabs(v, "CPU value", file, lineno, &o, &s, perr);
		if (r < 0)
			return r;
	}
	*ret_objs = objs;
	*ret_slabs = slabs;
	return 0;
}

int slabsys_flag_parse(const char *buf, size_t len, const char *file, bool *ret,
		       struct parse_error *perr)
{
	struct span line;
	unsigned lineno;
	uint64_t v;
	int r = sysfs_u64_parse(buf, len, file, &v, perr);

	if (r < 0)
		return r;
	if (v > 1) {
		(void)one_line(buf, len, file, &line, &lineno, NULL);
		return parse_fail(perr, file, lineno, -EINVAL, "expected 0 or 1, found %llu",
				  (unsigned long long)v);
	}
	*ret = v == 1;
	return 0;
}

int slabsys_ctor_parse(const char *buf, size_t len, const char *file, char **ret,
		       struct parse_error *perr)
{
	struct span line;
	unsigned lineno;
	char *s;
	int r;

	r = one_line(buf, len, file, &line, &lineno, perr);
	if (r < 0)
		return r;
	if (!line.p) {
		*ret = NULL;
		return 0;
	}
	if (memchr(line.p, '\0', line.n))
		return parse_fail(perr, file, lineno, -EINVAL, "NUL byte in the constructor name");
	if (line.n > SLAB_CTOR_MAX)
		return parse_fail(perr, file, lineno, -EINVAL, "constructor name longer than %d bytes",
				  SLAB_CTOR_MAX);
	s = xstrndup(line.p, line.n);
	if (!s)
		return parse_fail(perr, file, lineno, -ENOMEM, "out of memory");
	*ret = s;
	return 0;
}

/* ---- attribute table -------------------------------------------------- */

enum attr_kind { A_U64, A_U32, A_ORDER, A_COUNTER, A_SLAB_COUNTER, A_CPU_PARTIAL, A_FLAG, A_CTOR,
		 A_CONTROL };

/* Sorted by name (attr_find() bisects). */
static const struct attr {
	const char *name;
	unsigned char kind;
	unsigned bit;       /* SYS_* (SF_* for flags) */
	size_t off;         /* of the field in struct slab_cache */
} attrs[] = {
#define F(field) offsetof(struct slab_cache, field)
	{ "aliases", A_U64, SYS_ALIASES, F(aliases) },
	{ "align", A_U32, SYS_ALIGN, F(align) },
	{ "alloc_calls", A_CONTROL, 0, 0 },
	{ "cache_dma", A_FLAG, SF_CACHE_DMA, 0 },
	{ "cpu_partial", A_U32, SYS_CPU_PARTIAL, F(cpu_partial) },
	{ "cpu_slabs", A_SLAB_COUNTER, SYS_CPU_SLABS, F(cpu_slabs) },
	{ "ctor", A_CTOR, SYS_CTOR, F(ctor) },
	{ "destroy_by_rcu", A_FLAG, SF_DESTROY_BY_RCU, 0 },
	{ "failslab", A_CONTROL, 0, 0 },
	{ "free_calls", A_CONTROL, 0, 0 },
	{ "hwcache_align", A_FLAG, SF_HWCACHE_ALIGN, 0 },
	{ "min_partial", A_U64, SYS_MIN_PARTIAL, F(min_partial) },
	{ "object_size", A_U32, SYS_OBJECT_SIZE, F(object_size) },
	{ "objects", A_COUNTER, SYS_OBJECTS, F(objects) },
	{ "objects_partial", A_COUNTER, SYS_OBJECTS_PARTIAL, F(objects_partial) },
	{ "objs_per_slab", A_U32, SYS_OBJS_PER_SLAB, F(objs_per_slab) },
	{ "order", A_ORDER, SYS_ORDER, F(order) },
	{ "partial", A_SLAB_COUNTER, SYS_PARTIAL, F(partial) },
	{ "poison", A_FLAG, SF_POISON, 0 },
	{ "reclaim_account", A_FLAG, SF_RECLAIM_ACCOUNT, 0 },
	{ "red_zone", A_FLAG, SF_RED_ZONE, 0 },
	{ "remote_node_defrag_ratio", A_CONTROL, 0, 0 },
	{ "sanity_checks", A_FLAG, SF_SANITY_CHECKS, 0 },
	{ "sheaf_capacity", A_U32, SYS_SHEAF_CAPACITY, F(sheaf_capacity) },
	{ "shrink", A_CONTROL, 0, 0 },
	{ "skip_kfence", A_CONTROL, 0, 0 },
	{ "slab_size", A_U32, SYS_SLAB_SIZE, F(slab_size) },
	{ "slabs", A_SLAB_COUNTER, SYS_SLABS, F(slabs) },
	{ "slabs_cpu_partial", A_CPU_PARTIAL, SYS_SLABS_CPU_PARTIAL, 0 },
	{ "store_user", A_FLAG, SF_STORE_USER, 0 },
	{ "total_objects", A_COUNTER, SYS_TOTAL_OBJECTS, F(total_objects) },
	{ "trace", A_FLAG, SF_TRACE, 0 },
	{ "usersize", A_U32, SYS_USERSIZE, F(usersize) },
	{ "validate", A_CONTROL, 0, 0 },
#undef F
};
/* Controls, not data (A_CONTROL above): write-only actions (shrink,
 * validate), tunables of other subsystems (failslab, skip_kfence,
 * remote_node_defrag_ratio) and the pre-5.16 call-site lists
 * (alloc_calls, free_calls, now in debugfs). */

static int attr_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct attr *)elem)->name);
}

static const struct attr *attr_find(const char *name)
{
	return bsearch(name, attrs, ARRAY_SIZE(attrs), sizeof(attrs[0]), attr_cmp);
}

enum slabsys_attr_class slabsys_attr_class(const char *name)
{
	const struct attr *a = attr_find(name);

	if (!a)
		return SLABSYS_UNKNOWN;
	return a->kind == A_CONTROL ? SLABSYS_CONTROL : SLABSYS_KNOWN;
}

static bool slab_count_ok(const struct slab_counter *sc)
{
	if (sc->total > FS_MAX_PAGES)
		return false;
	for (unsigned i = 0; i < sc->nr_node; i++)
		if (sc->node[i] > FS_MAX_PAGES)
			return false;
	return true;
}

/* Lenient: the first token if it is a number, else nothing. */
static int stat_parse(const char *name, const char *buf, size_t len, struct slab_cache *c,
		      const char *file, struct parse_error *perr)
{
	const char *p = buf, *end = buf + len, *nl;
	struct span t;
	uint64_t v;

	if (!len)
		return 0;
	nl = memchr(buf, '\n', len);
	if (nl)
		end = nl;
	if (!tok_next(&p, end, &t) || lex_u64(t, &v) < 0)
		return 0;
	if (kvlist_add(&c->stats, name, strlen(name), v) < 0)
		return parse_fail(perr, file, 0, -ENOMEM, "out of memory");
	c->sys |= SYS_STATS;
	return 0;
}

int slabsys_attr_parse(const char *name, const char *buf, size_t len, const char *file,
		       struct slab_cache *c, struct parse_error *perr)
{
	const struct attr *a = attr_find(name);
	unsigned char *field = a ? (unsigned char *)c + a->off : NULL;
	struct slab_counter sc, *dst;
	uint64_t v, v2;
	bool flag;
	char *s;
	int r;

	if (!a)
		return stat_parse(name, buf, len, c, file, perr);
	switch (a->kind) {
	case A_CONTROL:
		return 0;
	case A_U64:
	case A_U32:
	case A_ORDER:
		r = sysfs_u64_parse(buf, len, file, &v, perr);
		if (r < 0)
			return r;
		if ((a->kind == A_U32 && v > U32_MAX_VALUE) || (a->kind == A_ORDER && v >= FS_MAX_ORDERS)) {
			struct span line;
			unsigned lineno;

			(void)one_line(buf, len, file, &line, &lineno, NULL);
			return parse_fail(perr, file, lineno, -ERANGE, "%s out of range: %llu", name,
					  (unsigned long long)v);
		}
		memcpy(field, &v, sizeof(v));
		c->sys |= a->bit;
		return 0;
	case A_COUNTER:
	case A_SLAB_COUNTER:
		r = slabsys_counter_parse(buf, len, file, &sc, perr);
		if (r < 0)
			return r;
		/* A slab is at least one page: slab counts obey the page bound,
		 * so slabs << order and slabs * page size cannot overflow. */
		if (a->kind == A_SLAB_COUNTER && !slab_count_ok(&sc)) {
			struct span line;
			unsigned lineno;

			slab_counter_free(&sc);
			(void)one_line(buf, len, file, &line, &lineno, NULL);
			return parse_fail(perr, file, lineno, -ERANGE, "%s: more slabs than pages can exist",
					  name);
		}
		dst = (struct slab_counter *)(void *)field;
		slab_counter_free(dst);
		dst->total = sc.total;
		dst->node = sc.node;
		dst->nr_node = sc.nr_node;
		c->sys |= a->bit;
		return 0;
	case A_CPU_PARTIAL:
		r = slabsys_cpu_partial_parse(buf, len, file, &v, &v2, perr);
		if (r < 0)
			return r;
		c->cpu_partial_objs = v;
		c->cpu_partial_slabs = v2;
		c->sys |= a->bit;
		return 0;
	case A_FLAG:
		r = slabsys_flag_parse(buf, len, file, &flag, perr);
		if (r < 0)
			return r;
		if (flag)
			c->flags |= a->bit;
		else
			c->flags &= ~a->bit;
		c->flags_read |= a->bit;
		c->sys |= SYS_FLAGS;
		return 0;
	case A_CTOR:
		r = slabsys_ctor_parse(buf, len, file, &s, perr);
		if (r < 0)
			return r;
		free(c->ctor);
		c->ctor = s;
		c->sys |= a->bit;
		return 0;
	}
	return 0;
}
