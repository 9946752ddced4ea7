/*
 * parse-workload.c - the workload spec: "phase" lines open a phase,
 * "alloc" lines add to its mix, '#' starts a comment.  Every key is
 * checked: a typo in a spec is an error with its line, never a silent
 * default.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse-workload.h"

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
		} else {
			r = parse_fail(perr, file, it.lineno, -EINVAL, "unknown line '%s' (phase, alloc or # comment)",
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
