/*
 * parse-workload.c - the workload spec: "phase" lines open a phase,
 * "alloc" lines (pages) and "objalloc", "objfree", "churn" lines (slab
 * objects) add to its mix, "cache" lines declare slab caches, '#' starts
 * a comment.  Every key is checked: a typo in a spec is an error with its
 * line, never a silent default.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse-workload.h"
#include "../sim/slabgeom.h"

#define MAX_STEPS 1000000000000ull   /* 10^12 */
#define MAX_COUNT 1000000u
#define MAX_WEIGHT 1000000u

/* "key=value": split tok at '='; false if there is none. */
static bool key_value(struct span tok, struct span *key, struct span *val)
{
	const char *eq = memchr(tok.p, '=', tok.n);

	if (!eq)
		return false;
	key->p = tok.p;
	key->n = (size_t)(eq - tok.p);
	val->p = eq + 1;
	val->n = tok.n - key->n - 1;
	return true;
}

static int number(struct span v, uint64_t lo, uint64_t hi, uint64_t *ret, const char *key,
		  const char *file, unsigned line, struct parse_error *perr)
{
	char show[LEX_SHOW_BUFSZ];
	int r = lex_u64(v, ret);

	if (r < 0)
		return parse_fail(perr, file, line, r, "%s=%s: %s", key, lex_show(v, show, sizeof(show)),
				  lex_strerror(r));
	if (*ret < lo || *ret > hi)
		return parse_fail(perr, file, line, -ERANGE, "%s=%llu is out of range (%llu to %llu)", key,
				  (unsigned long long)*ret, (unsigned long long)lo, (unsigned long long)hi);
	return 0;
}

static int parse_phase(const char *p, const char *end, const char *file, unsigned line,
		       struct sim_phase *ph, size_t index, struct parse_error *perr)
{
	struct span tok, key, val;
	char show[LEX_SHOW_BUFSZ];
	bool have_steps = false;
	uint64_t v;
	int r;

	memset(ph, 0, sizeof(*ph));
	ph->node = -1;
	snprintf(ph->name, sizeof(ph->name), "phase%zu", index + 1);
	while (tok_next(&p, end, &tok)) {
		if (!key_value(tok, &key, &val)) {
			if (have_steps || ph->target_pct || strncmp(ph->name, "phase", 5) != 0 ||
			    tok.n >= sizeof(ph->name))
				return parse_fail(perr, file, line, -EINVAL, "phase: unexpected '%s' (a name comes first, then key=value)",
						  lex_show(tok, show, sizeof(show)));
			for (size_t i = 0; i < tok.n; i++)
				if (tok.p[i] < 0x21 || tok.p[i] > 0x7e)
					return parse_fail(perr, file, line, -EINVAL, "phase name '%s': printable ASCII only",
							  lex_show(tok, show, sizeof(show)));
			memcpy(ph->name, tok.p, tok.n);
			ph->name[tok.n] = '\0';
		} else if (span_eq(key, "steps")) {
			r = number(val, 1, MAX_STEPS, &ph->steps, "steps", file, line, perr);
			if (r < 0)
				return r;
			have_steps = true;
		} else if (span_eq(key, "target")) {
			if (val.n && val.p[val.n - 1] == '%')
				val.n--;
			r = number(val, 1, 100, &v, "target", file, line, perr);
			if (r < 0)
				return r;
			ph->target_pct = (unsigned)v;
		} else if (span_eq(key, "until")) {
			if (!span_eq(val, "target"))
				return parse_fail(perr, file, line, -EINVAL, "until=%s: only until=target is known",
						  lex_show(val, show, sizeof(show)));
			ph->until_target = true;
		} else if (span_eq(key, "node")) {
			r = number(val, 0, 65535, &v, "node", file, line, perr);
			if (r < 0)
				return r;
			ph->node = (int)v;
		} else {
			return parse_fail(perr, file, line, -EINVAL,
					  "phase: unknown key '%s' (steps, target, until, node)",
					  lex_show(key, show, sizeof(show)));
		}
	}
	if (!have_steps)
		return parse_fail(perr, file, line, -EINVAL, "phase %s: steps=N is required", ph->name);
	if (ph->until_target && !ph->target_pct)
		return parse_fail(perr, file, line, -EINVAL, "phase %s: until=target needs target=P%%", ph->name);
	return 0;
}

static int parse_life(struct span val, struct sim_op *op, const char *file, unsigned line,
		      struct parse_error *perr)
{
	char show[LEX_SHOW_BUFSZ];
	struct span n;

	if (span_eq(val, "forever")) {
		op->life = SIM_LIFE_FOREVER;
		return 0;
	}
	if (span_startswith(val, "fixed:"))
		op->life = SIM_LIFE_FIXED;
	else if (span_startswith(val, "exp:"))
		op->life = SIM_LIFE_EXP;
	else
		return parse_fail(perr, file, line, -EINVAL, "life=%s: forever, fixed:STEPS or exp:MEAN",
				  lex_show(val, show, sizeof(show)));
	n.p = memchr(val.p, ':', val.n) + 1;
	n.n = val.n - (size_t)(n.p - val.p);
	return number(n, 1, MAX_STEPS, &op->life_steps, "life", file, line, perr);
}

static int parse_alloc(const char *p, const char *end, const char *file, unsigned line,
		       struct sim_op *op, struct parse_error *perr)
{
	struct span tok, key, val;
	char show[LEX_SHOW_BUFSZ], name[64];
	bool have_order = false;
	uint64_t v;
	int r;

	memset(op, 0, sizeof(*op));
	op->weight = 1;
	op->count = 1;
	op->line = line;
	while (tok_next(&p, end, &tok)) {
		if (!key_value(tok, &key, &val))
			return parse_fail(perr, file, line, -EINVAL, "alloc: '%s' is not key=value",
					  lex_show(tok, show, sizeof(show)));
		if (span_eq(key, "order")) {
			r = number(val, 0, FS_MAX_ORDERS - 1, &v, "order", file, line, perr);
			if (r < 0)
				return r;
			op->order = (unsigned)v;
			have_order = true;
		} else if (span_eq(key, "gfp")) {
			if (val.n == 0 || val.n >= sizeof(name))
				return parse_fail(perr, file, line, -EINVAL, "gfp=: a class name is required");
			memcpy(name, val.p, val.n);
			name[val.n] = '\0';
			op->cls = alloc_class_find(name);
			if (!op->cls)
				return parse_fail(perr, file, line, -EINVAL,
						  "gfp=%s: unknown class ('fragscope predict --gfp help' lists them)",
						  lex_show(val, show, sizeof(show)));
		} else if (span_eq(key, "weight")) {
			r = number(val, 0, MAX_WEIGHT, &v, "weight", file, line, perr);
			if (r < 0)
				return r;
			op->weight = (uint32_t)v;
		} else if (span_eq(key, "count")) {
			r = number(val, 1, MAX_COUNT, &v, "count", file, line, perr);
			if (r < 0)
				return r;
			op->count = (uint32_t)v;
		} else if (span_eq(key, "life")) {
			r = parse_life(val, op, file, line, perr);
			if (r < 0)
				return r;
		} else {
			return parse_fail(perr, file, line, -EINVAL,
					  "alloc: unknown key '%s' (order, gfp, weight, count, life)",
					  lex_show(key, show, sizeof(show)));
		}
	}
	if (!have_order || !op->cls)
		return parse_fail(perr, file, line, -EINVAL, "alloc: order=N and gfp=CLASS are required");
	/* THP and hugetlb are always the PMD order, as predict treats them. */
	return 0;
}

/* A cache name: printable ASCII without '=', shorter than SIM_CACHE_NAME. */
static int cache_name(struct span v, char *out, const char *what, const char *file, unsigned line,
		      struct parse_error *perr)
{
	char show[LEX_SHOW_BUFSZ];

	if (v.n == 0 || v.n >= SIM_CACHE_NAME)
		return parse_fail(perr, file, line, -EINVAL, "%s: a cache name of 1 to %d characters is required", what,
				  SIM_CACHE_NAME - 1);
	for (size_t i = 0; i < v.n; i++)
		if (v.p[i] < 0x21 || v.p[i] > 0x7e || v.p[i] == '=')
			return parse_fail(perr, file, line, -EINVAL, "%s: cache name '%s': printable ASCII only", what,
					  lex_show(v, show, sizeof(show)));
	memcpy(out, v.p, v.n);
	out[v.n] = '\0';
	return 0;
}

static int parse_cache(const char *p, const char *end, const char *file, unsigned line,
		       struct sim_cache_decl *c, struct parse_error *perr)
{
	static const struct { const char *name; unsigned bit; } flag_names[] = {
		{ "hwcache", SG_HWCACHE_ALIGN }, { "reclaim", SG_RECLAIM_ACCOUNT }, { "rcu", SG_TYPESAFE_BY_RCU },
		{ "ctor", SG_CTOR }, { "redzone", SG_RED_ZONE }, { "poison", SG_POISON },
		{ "store_user", SG_STORE_USER },
	};
	struct span tok, key, val;
	char show[LEX_SHOW_BUFSZ];
	bool have_size = false;
	int r;

	memset(c, 0, sizeof(*c));
	c->line = line;
	if (!tok_next(&p, end, &tok) || memchr(tok.p, '=', tok.n))
		return parse_fail(perr, file, line, -EINVAL, "cache: a name comes first (cache NAME size=N ...)");
	r = cache_name(tok, c->name, "cache", file, line, perr);
	if (r < 0)
		return r;
	while (tok_next(&p, end, &tok)) {
		if (!key_value(tok, &key, &val))
			return parse_fail(perr, file, line, -EINVAL, "cache: '%s' is not key=value",
					  lex_show(tok, show, sizeof(show)));
		if (span_eq(key, "size")) {
			r = number(val, 1, (uint64_t)4 << 20, &c->size, "size", file, line, perr);
			if (r < 0)
				return r;
			have_size = true;
		} else if (span_eq(key, "align")) {
			r = number(val, 1, 1u << 20, &c->align, "align", file, line, perr);
			if (r < 0)
				return r;
			if (c->align & (c->align - 1))
				return parse_fail(perr, file, line, -EINVAL, "align=%llu: a power of two",
						  (unsigned long long)c->align);
		} else if (span_eq(key, "flags")) {
			const char *q = val.p, *qe = val.p + val.n;

			while (q < qe) {
				const char *comma = memchr(q, ',', (size_t)(qe - q));
				struct span f = { q, (size_t)((comma ? comma : qe) - q) };
				size_t k;

				for (k = 0; k < sizeof(flag_names) / sizeof(flag_names[0]); k++)
					if (span_eq(f, flag_names[k].name))
						break;
				if (k == sizeof(flag_names) / sizeof(flag_names[0]))
					return parse_fail(perr, file, line, -EINVAL,
							  "cache: unknown flag '%s' (hwcache, reclaim, rcu, ctor, redzone, poison, store_user)",
							  lex_show(f, show, sizeof(show)));
				c->flags |= flag_names[k].bit;
				q = comma ? comma + 1 : qe;
			}
		} else {
			return parse_fail(perr, file, line, -EINVAL, "cache: unknown key '%s' (size, align, flags)",
					  lex_show(key, show, sizeof(show)));
		}
	}
	if (!have_size)
		return parse_fail(perr, file, line, -EINVAL, "cache %s: size=N is required", c->name);
	return 0;
}

/* objalloc, objfree, churn. */
static int parse_objop(enum sim_op_kind kind, const char *p, const char *end, const char *file, unsigned line,
		       struct sim_op *op, struct parse_error *perr)
{
	const char *what = kind == SIM_OP_OBJALLOC ? "objalloc" : kind == SIM_OP_OBJFREE ? "objfree" : "churn";
	struct span tok, key, val;
	char show[LEX_SHOW_BUFSZ];
	bool have_count = false;
	uint64_t v;
	int r;

	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->weight = 1;
	op->count = 1;
	op->line = line;
	while (tok_next(&p, end, &tok)) {
		if (!key_value(tok, &key, &val))
			return parse_fail(perr, file, line, -EINVAL, "%s: '%s' is not key=value", what,
					  lex_show(tok, show, sizeof(show)));
		if (span_eq(key, "cache")) {
			r = cache_name(val, op->cache, what, file, line, perr);
			if (r < 0)
				return r;
		} else if (span_eq(key, "count")) {
			r = number(val, 1, MAX_COUNT, &v, "count", file, line, perr);
			if (r < 0)
				return r;
			op->count = (uint32_t)v;
			have_count = true;
		} else if (span_eq(key, "weight")) {
			r = number(val, 0, MAX_WEIGHT, &v, "weight", file, line, perr);
			if (r < 0)
				return r;
			op->weight = (uint32_t)v;
		} else if (kind != SIM_OP_OBJALLOC && span_eq(key, "fraction")) {
			if (val.n && val.p[val.n - 1] == '%')
				val.n--;
			r = number(val, 1, 100, &v, "fraction", file, line, perr);
			if (r < 0)
				return r;
			op->fraction_pct = (unsigned)v;
		} else if (kind != SIM_OP_OBJALLOC && span_eq(key, "pick")) {
			if (span_eq(val, "random"))
				op->pick = SIM_PICK_RANDOM;
			else if (span_eq(val, "oldest"))
				op->pick = SIM_PICK_OLDEST;
			else
				return parse_fail(perr, file, line, -EINVAL, "pick=%s: random or oldest",
						  lex_show(val, show, sizeof(show)));
		} else {
			return parse_fail(perr, file, line, -EINVAL, "%s: unknown key '%s' (%s)", what,
					  lex_show(key, show, sizeof(show)),
					  kind == SIM_OP_OBJALLOC ? "cache, count, weight" :
					  "cache, count, fraction, pick, weight");
		}
	}
	if (!op->cache[0])
		return parse_fail(perr, file, line, -EINVAL, "%s: cache=NAME is required", what);
	if (kind != SIM_OP_OBJALLOC && have_count == !!op->fraction_pct)
		return parse_fail(perr, file, line, -EINVAL, "%s: give count=N or fraction=P%%, not both", what);
	return 0;
}

int workload_parse(const char *buf, size_t len, const char *file, struct sim_workload *ret,
		   struct parse_error *perr)
{
	struct sim_workload w = { 0 };
	struct lineiter it;
	const char *line;
	size_t n;
	int r = 0;

	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line, &n)) {
		const char *end = line + n, *hash = memchr(line, '#', n);
		const char *p = line;
		struct span kw;
		char show[LEX_SHOW_BUFSZ];

		if (hash)
			end = hash;
		if (!tok_next(&p, end, &kw))
			continue;
		if (span_eq(kw, "phase")) {
			struct sim_phase *ph = realloc(w.ph, (w.n + 1) * sizeof(*ph));

			if (!ph) {
				r = -ENOMEM;
				break;
			}
			w.ph = ph;
			r = parse_phase(p, end, file, it.lineno, &w.ph[w.n], w.n, perr);
			if (r < 0)
				break;
			w.n++;
		} else if (span_eq(kw, "alloc")) {
			struct sim_phase *ph;
			struct sim_op *ops;

			if (!w.n) {
				r = parse_fail(perr, file, it.lineno, -EINVAL, "alloc before any phase line");
				break;
			}
			ph = &w.ph[w.n - 1];
			ops = realloc(ph->ops, (ph->nops + 1) * sizeof(*ops));
			if (!ops) {
				r = -ENOMEM;
				break;
			}
			ph->ops = ops;
			r = parse_alloc(p, end, file, it.lineno, &ph->ops[ph->nops], perr);
			if (r < 0)
				break;
			ph->total_weight += ph->ops[ph->nops].weight;
			ph->nops++;
		} else if (span_eq(kw, "objalloc") || span_eq(kw, "objfree") || span_eq(kw, "churn")) {
			enum sim_op_kind kind = span_eq(kw, "objalloc") ? SIM_OP_OBJALLOC :
						span_eq(kw, "objfree") ? SIM_OP_OBJFREE : SIM_OP_CHURN;
			struct sim_phase *ph;
			struct sim_op *ops;

			if (!w.n) {
				r = parse_fail(perr, file, it.lineno, -EINVAL, "%s before any phase line",
					       lex_show(kw, show, sizeof(show)));
				break;
			}
			ph = &w.ph[w.n - 1];
			ops = realloc(ph->ops, (ph->nops + 1) * sizeof(*ops));
			if (!ops) {
				r = -ENOMEM;
				break;
			}
			ph->ops = ops;
			r = parse_objop(kind, p, end, file, it.lineno, &ph->ops[ph->nops], perr);
			if (r < 0)
				break;
			ph->total_weight += ph->ops[ph->nops].weight;
			ph->nops++;
		} else if (span_eq(kw, "cache")) {
			struct sim_cache_decl *c = realloc(w.caches, (w.ncaches + 1) * sizeof(*c));

			if (!c) {
				r = -ENOMEM;
				break;
			}
			w.caches = c;
			r = parse_cache(p, end, file, it.lineno, &w.caches[w.ncaches], perr);
			if (r < 0)
				break;
			for (size_t i = 0; i < w.ncaches; i++)
				if (strcmp(w.caches[i].name, w.caches[w.ncaches].name) == 0) {
					r = parse_fail(perr, file, it.lineno, -EINVAL, "cache %s: declared again (line %u)",
						       w.caches[i].name, w.caches[i].line);
					break;
				}
			if (r < 0)
				break;
			w.ncaches++;
		} else {
			r = parse_fail(perr, file, it.lineno, -EINVAL,
				       "unknown line '%s' (phase, alloc, objalloc, objfree, churn, cache or # comment)",
				       lex_show(kw, show, sizeof(show)));
			break;
		}
	}
	if (r == 0 && w.n == 0)
		r = parse_fail(perr, file, it.lineno ? it.lineno : 1, -EINVAL, "no phase line");
	if (r < 0) {
		sim_workload_free(&w);
		return r;
	}
	*ret = w;
	return 0;
}
