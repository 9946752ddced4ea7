/*
 * cmd-diff.c - "fragscope diff ROOT_A ROOT_B": what changed between two
 * roots (snapshot directories, snapshot tar archives, or "/" for this
 * machine), largest change first:
 *
 *   - meminfo fields (bytes for kB fields, counts for the others);
 *   - free blocks per node, zone and order (sorted by the memory they
 *     stand for: blocks x 2^order pages);
 *   - the unusable-free-space and extfrag indices (src/analysis/frag.c);
 *   - slab caches that grew, shrank, appeared or vanished, by slab bytes
 *     (a name several caches share is matched by its rank among them in
 *     file order: the second "foo" of A against the second "foo" of B);
 *   - predict verdicts that flipped (src/analysis/alloc.c's zone outlook)
 *     for GFP_KERNEL and GFP_ATOMIC at orders 0, 3 and 9 and THP at the
 *     PMD order, per zone.
 *
 * A section is compared only when its input loaded in both roots; the
 * others are listed as not compared, with why.  Exit 0 unless --fail-on
 * conditions are given and one holds (then EXIT_NEGATIVE, as predict's "no":
 * a check-style verdict).  An input that failed is reported per root as by
 * every command and sets its status as usual.
 *
 * --fail-on grammar (also in the man page):
 *
 *   COND[,COND...]      any one that holds fails the run
 *   COND   := METRIC OP NUMBER [SUFFIX]
 *   OP     := ">" | ">=" | "<" | "<="
 *   SUFFIX := "%" (of ROOT_A's value) | "K" | "M" | "G" | "T" (x 1024^n)
 *   METRIC := QUANTITY "-grew" | QUANTITY "-dropped"     (B - A, or A - B)
 *           | "verdicts-worse" | "verdicts-better"      (how many flipped)
 *   QUANTITY := "order" N "-blocks"  blocks of order N or larger, counted
 *                                    in order-N blocks, all zones
 *             | "free"               free memory of all zones, bytes
 *             | "slab"               slab bytes of all caches
 *             | "slab:" NAME         slab bytes of the caches called NAME
 *             | "meminfo:" FIELD     a meminfo field (bytes if in kB)
 *
 * e.g. "order9-blocks-dropped>50%,meminfo:MemAvailable-dropped>=2G".
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "views.h"
#include "../analysis/alloc.h"
#include "../analysis/frag.h"
#include "../render/escape.h"
#include "../render/units.h"

static const unsigned pred_orders[] = { 0, 3, 9 };
static const char *const pred_classes[] = { "GFP_KERNEL", "GFP_ATOMIC" };

/* One root, loaded. */
struct side {
	const char *arg;          /* as given on the command line */
	struct options o;         /* the command's options with this root */
	struct source *src;
	struct machine m;
	struct alloc_model am;
	bool have_am;
	bool have_slab;
};

/* ---- rows ------------------------------------------------------------ */

struct mem_row {
	const char *name;
	bool kb;
	bool in_a, in_b;
	uint64_t a, b;            /* bytes (kB fields) or counts */
	size_t pos;               /* file order, for ties */
};

struct blk_row {
	int node;
	const char *zone;
	unsigned order;
	bool in_a, in_b;
	uint64_t a, b;            /* blocks */
	uint64_t page_size;
};

struct idx_row {
	int node;
	const char *zone;
	unsigned order;
	bool extfrag;
	int a, b;                 /* thousandths */
};

struct slab_diff_row {
	const char *name;
	unsigned instance;        /* 1 for the first cache of that name */
	bool in_a, in_b;
	uint64_t a, b;            /* slab bytes */
	uint64_t a_objs, b_objs;  /* active objects */
};

struct pred_row {
	int node;
	const char *zone;
	const char *cls;
	unsigned order;
	enum alloc_outcome a, b;
};

struct rows {
	struct mem_row *mem;
	size_t nmem;
	struct blk_row *blk;
	size_t nblk;
	struct idx_row *idx;
	size_t nidx;
	struct slab_diff_row *slab;
	size_t nslab;
	struct pred_row *pred;
	size_t npred;
	const char *skipped[5];   /* why a section was not compared, or NULL */
};

enum { SEC_MEM, SEC_BLK, SEC_IDX, SEC_SLAB, SEC_PRED };
static const char *const sec_names[] = { "meminfo", "free_blocks", "fragmentation", "slab", "predict" };

#define GROW(arr, n, cap)                                                       \
	((n) < (cap) ? 0 : grow((void **)&(arr), &(cap), sizeof(*(arr))))

static int grow(void **p, size_t *cap, size_t size)
{
	size_t nc = *cap ? *cap * 2 : 64;
	void *q = realloc(*p, nc * size);

	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = nc;
	return 0;
}

static uint64_t absdiff(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

/* ---- meminfo ---------------------------------------------------------- */

static uint64_t mem_value(const struct meminfo_field *f)
{
	uint64_t v;

	if (!f->kb)
		return f->value;
	return mul_overflow_u64(f->value, 1024, &v) ? UINT64_MAX : v;
}

static int cmp_mem(const void *x, const void *y)
{
	const struct mem_row *a = x, *b = y;
	uint64_t da = absdiff(a->a, a->b), db = absdiff(b->a, b->b);

	if (a->kb != b->kb)
		return a->kb ? -1 : 1;    /* bytes before counts */
	if (da != db)
		return da > db ? -1 : 1;
	return (a->pos > b->pos) - (a->pos < b->pos);
}

static int diff_meminfo(const struct meminfo *A, const struct meminfo *B, struct rows *r)
{
	size_t cap = 0;

	for (int pass = 0; pass < 2; pass++) {
		const struct meminfo *x = pass ? B : A, *y = pass ? A : B;

		for (size_t i = 0; i < x->n; i++) {
			const struct meminfo_field *f = &x->f[i], *g = meminfo_find(y, f->name);
			struct mem_row *row;

			if (pass && g)
				continue;         /* already paired in the first pass */
			if (g && mem_value(f) == mem_value(g) && f->kb == g->kb)
				continue;
			if (GROW(r->mem, r->nmem, cap) < 0)
				return -ENOMEM;
			row = &r->mem[r->nmem++];
			memset(row, 0, sizeof(*row));
			row->name = f->name;
			row->kb = f->kb;
			row->pos = pass * 100000 + i;
			if (!pass) {
				row->in_a = true;
				row->a = mem_value(f);
				row->in_b = g != NULL;
				row->b = g ? mem_value(g) : 0;
			} else {
				row->in_b = true;
				row->b = mem_value(f);
			}
		}
	}
	if (r->nmem)
		qsort(r->mem, r->nmem, sizeof(*r->mem), cmp_mem);
	return 0;
}

/* ---- free blocks and indices ------------------------------------------ */

static uint64_t blk_bytes(const struct blk_row *b)
{
	uint64_t d = absdiff(b->a, b->b), v;

	if (b->order >= 64 || d > (UINT64_MAX >> b->order) ||
	    mul_overflow_u64(d << b->order, b->page_size, &v))
		return UINT64_MAX;
	return v;
}

static int zone_cmp(int na, const char *za, int nb, const char *zb)
{
	if (na != nb)
		return na < nb ? -1 : 1;
	return strcmp(za, zb);
}

static int cmp_blk(const void *x, const void *y)
{
	const struct blk_row *a = x, *b = y;
	uint64_t da = blk_bytes(a), db = blk_bytes(b);
	int c;

	if (da != db)
		return da > db ? -1 : 1;
	c = zone_cmp(a->node, a->zone, b->node, b->zone);
	return c ? c : (a->order > b->order) - (a->order < b->order);
}

static int cmp_idx(const void *x, const void *y)
{
	const struct idx_row *a = x, *b = y;
	int da = abs(a->b - a->a), db = abs(b->b - b->a), c;

	if (da != db)
		return da > db ? -1 : 1;
	c = zone_cmp(a->node, a->zone, b->node, b->zone);
	if (c)
		return c;
	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	return (int)a->extfrag - (int)b->extfrag;
}

static int diff_buddy(const struct side *A, const struct side *B, struct rows *r)
{
	const struct buddyinfo *ba = &A->m.buddy, *bb = &B->m.buddy;
	unsigned nr = ba->nr_orders > bb->nr_orders ? ba->nr_orders : bb->nr_orders;
	size_t cap = 0, icap = 0;

	for (int pass = 0; pass < 2; pass++) {
		const struct buddyinfo *x = pass ? bb : ba, *y = pass ? ba : bb;

		for (size_t i = 0; i < x->n; i++) {
			const struct buddy_zone *zx = &x->z[i], *zy = buddyinfo_find(y, zx->node, zx->zone);
			const struct buddy_zone *za = pass ? zy : zx, *zb = pass ? zx : zy;

			if (pass && zy)
				continue;
			for (unsigned o = 0; o < nr; o++) {
				uint64_t a = za && o < ba->nr_orders ? za->free[o] : 0;
				uint64_t b = zb && o < bb->nr_orders ? zb->free[o] : 0;
				struct blk_row *row;

				if (za && zb && a == b)
					continue;
				if (GROW(r->blk, r->nblk, cap) < 0)
					return -ENOMEM;
				row = &r->blk[r->nblk++];
				*row = (struct blk_row){ zx->node, zx->zone, o, za != NULL, zb != NULL, a, b,
							 A->m.page_size };
			}
			/* The indices, for zones in both roots. */
			if (!za || !zb)
				continue;
			for (unsigned o = 0; o < nr; o++) {
				for (int e = 0; e < 2; e++) {
					int ia = e ? frag_extfrag_index(za->free, ba->nr_orders, o) :
						     frag_unusable_index(za->free, ba->nr_orders, o);
					int ib = e ? frag_extfrag_index(zb->free, bb->nr_orders, o) :
						     frag_unusable_index(zb->free, bb->nr_orders, o);

					if (ia == ib)
						continue;
					if (GROW(r->idx, r->nidx, icap) < 0)
						return -ENOMEM;
					r->idx[r->nidx++] = (struct idx_row){ zx->node, zx->zone, o, e, ia, ib };
				}
			}
		}
	}
	if (r->nblk)
		qsort(r->blk, r->nblk, sizeof(*r->blk), cmp_blk);
	if (r->nidx)
		qsort(r->idx, r->nidx, sizeof(*r->idx), cmp_idx);
	return 0;
}

/* ---- slab ------------------------------------------------------------- */

/* The instance-th cache called name (1-based), or NULL. */
static const struct slab_cache *slab_nth(const struct slabinfo *si, const char *name, unsigned instance)
{
	for (size_t i = 0; i < si->n; i++)
		if (si->c[i].name && !strcmp(si->c[i].name, name) && --instance == 0)
			return &si->c[i];
	return NULL;
}

static unsigned slab_rank(const struct slabinfo *si, size_t k)
{
	unsigned n = 1;

	for (size_t i = 0; i < k; i++)
		if (si->c[i].name && !strcmp(si->c[i].name, si->c[k].name))
			n++;
	return n;
}

static int cmp_slab(const void *x, const void *y)
{
	const struct slab_diff_row *a = x, *b = y;
	uint64_t da = absdiff(a->a, a->b), db = absdiff(b->a, b->b);
	uint64_t oa = absdiff(a->a_objs, a->b_objs), ob = absdiff(b->a_objs, b->b_objs);
	int c;

	if (da != db)
		return da > db ? -1 : 1;
	if (oa != ob)
		return oa > ob ? -1 : 1;
	c = strcmp(a->name, b->name);
	return c ? c : (a->instance > b->instance) - (a->instance < b->instance);
}

static const char *slab_status(const struct slab_diff_row *s)
{
	if (!s->in_a)
		return "appeared";
	if (!s->in_b)
		return "vanished";
	if (s->b != s->a)
		return s->b > s->a ? "grew" : "shrank";
	return s->b_objs > s->a_objs ? "grew" : "shrank";
}

static int diff_slab(const struct side *A, const struct side *B, struct rows *r)
{
	size_t cap = 0;

	for (int pass = 0; pass < 2; pass++) {
		const struct side *x = pass ? B : A, *y = pass ? A : B;

		for (size_t i = 0; i < x->m.slab.n; i++) {
			const struct slab_cache *cx = &x->m.slab.c[i], *cy;
			unsigned inst;
			struct slab_diff_row row;

			if (!cx->name)
				continue;
			inst = slab_rank(&x->m.slab, i);
			cy = slab_nth(&y->m.slab, cx->name, inst);
			if (pass && cy)
				continue;
			memset(&row, 0, sizeof(row));
			row.name = cx->name;
			row.instance = inst;
			row.in_a = pass ? cy != NULL : true;
			row.in_b = pass ? true : cy != NULL;
			if (row.in_a) {
				const struct slab_cache *c = pass ? cy : cx;

				row.a = slab_cache_bytes(c, A->m.page_size);
				row.a_objs = slab_active_objs(c);
			}
			if (row.in_b) {
				const struct slab_cache *c = pass ? cx : cy;

				row.b = slab_cache_bytes(c, B->m.page_size);
				row.b_objs = slab_active_objs(c);
			}
			if (row.in_a && row.in_b && row.a == row.b && row.a_objs == row.b_objs)
				continue;
			if (GROW(r->slab, r->nslab, cap) < 0)
				return -ENOMEM;
			r->slab[r->nslab++] = row;
		}
	}
	if (r->nslab)
		qsort(r->slab, r->nslab, sizeof(*r->slab), cmp_slab);
	return 0;
}

/* ---- predict ---------------------------------------------------------- */

static int cmp_pred(const void *x, const void *y)
{
	const struct pred_row *a = x, *b = y;
	int da = abs((int)a->b - (int)a->a), db = abs((int)b->b - (int)b->a), c;

	if (da != db)
		return da > db ? -1 : 1;
	c = zone_cmp(a->node, a->zone, b->node, b->zone);
	if (c)
		return c;
	c = strcmp(a->cls, b->cls);
	return c ? c : (a->order > b->order) - (a->order < b->order);
}

static const struct alloc_zone *am_zone(struct alloc_model *am, int node, const char *name,
					struct alloc_node **ret_nd)
{
	struct alloc_node *nd = alloc_model_node(am, node);

	*ret_nd = nd;
	if (!nd)
		return NULL;
	for (size_t i = 0; i < nd->nz; i++)
		if (nd->zones[i].populated && !strcmp(nd->zones[i].name, name))
			return &nd->zones[i];
	return NULL;
}

static int diff_predict(struct side *A, struct side *B, struct rows *r)
{
	bool from_meminfo;
	unsigned thp = alloc_pmd_order(A->m.in[IN_MEMINFO].loaded ? &A->m.meminfo : NULL,
				       A->m.page_size, A->am.nr_orders, &from_meminfo);
	size_t cap = 0;

	for (size_t k = 0; k < A->am.nn; k++) {
		struct alloc_node *na = &A->am.nodes[k], *nb;

		for (size_t i = 0; i < na->nz; i++) {
			const struct alloc_zone *za = &na->zones[i], *zb;

			if (!za->populated)
				continue;
			zb = am_zone(&B->am, na->id, za->name, &nb);
			if (!zb)
				continue;
			for (size_t c = 0; c <= ARRAY_SIZE(pred_classes); c++) {
				const char *cls = c < ARRAY_SIZE(pred_classes) ? pred_classes[c] : "THP";
				uint32_t gfp = alloc_class_find(cls)->gfp;

				for (size_t oi = 0; oi < ARRAY_SIZE(pred_orders); oi++) {
					unsigned order = c < ARRAY_SIZE(pred_classes) ? pred_orders[oi] : thp;
					enum alloc_outcome oa, ob;
					bool ua, ub;

					if (c == ARRAY_SIZE(pred_classes) && oi)
						break;    /* THP: the PMD order only */
					if (order >= A->am.nr_orders || order >= B->am.nr_orders)
						continue;
					oa = alloc_zone_outlook(&A->am, na, za, gfp, order, &ua);
					ob = alloc_zone_outlook(&B->am, nb, zb, gfp, order, &ub);
					if (!ua || !ub || oa == ob)
						continue;
					if (GROW(r->pred, r->npred, cap) < 0)
						return -ENOMEM;
					r->pred[r->npred++] = (struct pred_row){ na->id, za->name, cls, order, oa, ob };
				}
			}
		}
	}
	if (r->npred)
		qsort(r->pred, r->npred, sizeof(*r->pred), cmp_pred);
	return 0;
}

/* ---- --fail-on -------------------------------------------------------- */

enum metric { M_ORDER_BLOCKS, M_FREE, M_SLAB, M_SLAB_CACHE, M_MEMINFO, M_VERDICTS };
enum op { OP_GT, OP_GE, OP_LT, OP_LE };

struct cond {
	char *text;               /* owned: the condition as given */
	enum metric metric;
	bool grew;                /* -grew / verdicts-worse; else -dropped / verdicts-better */
	unsigned order;
	char *name;               /* owned: slab cache or meminfo field */
	enum op op;
	double limit;
	bool pct;
	/* evaluated */
	bool evaluated, holds;
	double value;             /* in the metric's unit, or percent when pct */
	const char *why;          /* could not be evaluated */
};

static void conds_free(struct cond *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].text);
		free(c[i].name);
	}
	free(c);
}

/* One condition; a usage message in why on failure. */
static int cond_parse(const char *s, size_t len, struct cond *c, char *why, size_t whylen)
{
	char *t = xstrndup(s, len), *p, *end, *metric_end;
	double v;
	size_t ml;

	memset(c, 0, sizeof(*c));
	if (!t)
		return -ENOMEM;
	c->text = t;
	p = strpbrk(t, "<>");
	if (!p) {
		snprintf(why, whylen, "no comparison (>, >=, < or <=)");
		return -EINVAL;
	}
	metric_end = p;
	c->op = *p == '>' ? (p[1] == '=' ? OP_GE : OP_GT) : (p[1] == '=' ? OP_LE : OP_LT);
	p += p[1] == '=' ? 2 : 1;
	errno = 0;
	v = strtod(p, &end);
	if (end == p || errno || !isfinite(v) || *p == ' ' || *p == '+' || *p == '-' ||
	    (p[0] | 0x20) == 'i' || (p[0] | 0x20) == 'n') {
		snprintf(why, whylen, "no number after the comparison");
		return -EINVAL;
	}
	if (*end == '%') {
		c->pct = true;
		end++;
	} else if (*end && strchr("KMGT", *end)) {
		v *= pow(1024, (double)(strchr("KMGT", *end) - "KMGT" + 1));
		end++;
	}
	if (*end) {
		snprintf(why, whylen, "unexpected '%s' after the number (suffixes: %%, K, M, G, T)", end);
		return -EINVAL;
	}
	c->limit = v;
	ml = (size_t)(metric_end - t);
	if ((ml == 14 && !strncmp(t, "verdicts-worse", 14)) || (ml == 15 && !strncmp(t, "verdicts-better", 15))) {
		c->metric = M_VERDICTS;
		c->grew = ml == 14;
		if (c->pct) {
			snprintf(why, whylen, "'%%' does not apply to a count of verdicts");
			return -EINVAL;
		}
		return 0;
	}
	if (ml > 5 && !strncmp(metric_end - 5, "-grew", 5)) {
		c->grew = true;
		ml -= 5;
	} else if (ml > 8 && !strncmp(metric_end - 8, "-dropped", 8)) {
		ml -= 8;
	} else {
		snprintf(why, whylen, "the metric must end in -grew or -dropped, or be verdicts-worse or verdicts-better");
		return -EINVAL;
	}
	if (ml == 4 && !strncmp(t, "free", 4)) {
		c->metric = M_FREE;
	} else if (ml == 4 && !strncmp(t, "slab", 4)) {
		c->metric = M_SLAB;
	} else if (ml > 5 && !strncmp(t, "slab:", 5)) {
		c->metric = M_SLAB_CACHE;
		c->name = xstrndup(t + 5, ml - 5);
	} else if (ml > 8 && !strncmp(t, "meminfo:", 8)) {
		c->metric = M_MEMINFO;
		c->name = xstrndup(t + 8, ml - 8);
	} else if (ml >= 12 && !strncmp(t, "order", 5) && !strncmp(t + ml - 7, "-blocks", 7)) {
		unsigned long n = 0;
		size_t k;

		for (k = 5; k < ml - 7; k++) {
			if (t[k] < '0' || t[k] > '9' || n > FS_MAX_ORDERS) {
				snprintf(why, whylen, "orderN-blocks needs an order number N");
				return -EINVAL;
			}
			n = n * 10 + (unsigned long)(t[k] - '0');
		}
		if (k == 5 || n >= FS_MAX_ORDERS) {
			snprintf(why, whylen, "orderN-blocks needs an order number N below %d", FS_MAX_ORDERS);
			return -EINVAL;
		}
		c->metric = M_ORDER_BLOCKS;
		c->order = (unsigned)n;
	} else {
		snprintf(why, whylen, "unknown metric '%.*s' (orderN-blocks, free, slab, slab:NAME, meminfo:FIELD)",
			 (int)ml, t);
		return -EINVAL;
	}
	if ((c->metric == M_SLAB_CACHE || c->metric == M_MEMINFO) && !c->name)
		return -ENOMEM;
	return 0;
}

/* Parse the whole --fail-on list.  EXIT_OK, or EXIT_USAGE after saying why. */
static int conds_parse(const char *spec, struct cond **ret, size_t *ret_n)
{
	struct cond *c = NULL;
	size_t n = 0;
	const char *p = spec;

	for (;;) {
		size_t len = strcspn(p, ",");
		char why[256];
		struct cond *q;
		int r;

		q = realloc(c, (n + 1) * sizeof(*c));
		if (!q) {
			conds_free(c, n);
			cli_error("out of memory");
			return EXIT_USAGE;
		}
		c = q;
		r = len ? cond_parse(p, len, &c[n], why, sizeof(why)) : -EINVAL;
		if (!len) {
			memset(&c[n], 0, sizeof(c[n]));
			snprintf(why, sizeof(why), "an empty condition");
		}
		n++;
		if (r < 0) {
			struct buf e = BUF_INIT;

			escape_text(p, len, &e);
			if (r == -ENOMEM)
				cli_error("out of memory");
			else
				fprintf(stderr, "fragscope: invalid --fail-on condition '%s': %s\n"
					"Try 'fragscope --help' for more information.\n",
					e.data ? e.data : "", why);
			buf_free(&e);
			conds_free(c, n);
			return EXIT_USAGE;
		}
		if (!p[len])
			break;
		p += len + 1;
	}
	*ret = c;
	*ret_n = n;
	return EXIT_OK;
}

/* Blocks of order >= N counted in order-N blocks, all zones. */
static double order_capacity(const struct buddyinfo *bi, unsigned order)
{
	double v = 0;

	for (size_t i = 0; i < bi->n; i++)
		for (unsigned o = order; o < bi->nr_orders; o++)
			v += ldexp((double)bi->z[i].free[o], (int)(o - order));
	return v;
}

static double free_bytes(const struct machine *m)
{
	double v = 0;

	for (size_t i = 0; i < m->buddy.n; i++)
		v += (double)buddy_zone_free_pages(&m->buddy.z[i], m->buddy.nr_orders) * (double)m->page_size;
	return v;
}

/* Slab bytes of every cache (name NULL) or of those called name; *found
 * says whether any was. */
static double slab_bytes(const struct machine *m, const char *name, bool *found)
{
	double v = 0;

	for (size_t i = 0; i < m->slab.n; i++) {
		if (name && (!m->slab.c[i].name || strcmp(m->slab.c[i].name, name)))
			continue;
		*found = true;
		v += (double)slab_cache_bytes(&m->slab.c[i], m->page_size);
	}
	return v;
}

static void cond_eval(struct cond *c, const struct side *A, const struct side *B, const struct rows *r)
{
	double a = 0, b = 0, v;
	bool fa = false, fb = false;

	switch (c->metric) {
	case M_VERDICTS:
		if (r->skipped[SEC_PRED]) {
			c->why = r->skipped[SEC_PRED];
			return;
		}
		v = 0;
		for (size_t i = 0; i < r->npred; i++)
			v += c->grew ? r->pred[i].b > r->pred[i].a : r->pred[i].b < r->pred[i].a;
		c->value = v;
		goto compare;
	case M_ORDER_BLOCKS:
	case M_FREE:
		if (r->skipped[SEC_BLK]) {
			c->why = r->skipped[SEC_BLK];
			return;
		}
		if (c->metric == M_ORDER_BLOCKS) {
			if (c->order >= A->m.buddy.nr_orders && c->order >= B->m.buddy.nr_orders) {
				c->why = "the order is above the largest order of both roots";
				return;
			}
			a = order_capacity(&A->m.buddy, c->order);
			b = order_capacity(&B->m.buddy, c->order);
		} else {
			a = free_bytes(&A->m);
			b = free_bytes(&B->m);
		}
		break;
	case M_SLAB:
	case M_SLAB_CACHE:
		if (r->skipped[SEC_SLAB]) {
			c->why = r->skipped[SEC_SLAB];
			return;
		}
		a = slab_bytes(&A->m, c->name, &fa);
		b = slab_bytes(&B->m, c->name, &fb);
		if (c->metric == M_SLAB_CACHE && !fa && !fb) {
			c->why = "no cache of that name in either root";
			return;
		}
		break;
	case M_MEMINFO: {
		const struct meminfo_field *f, *g;

		if (r->skipped[SEC_MEM]) {
			c->why = r->skipped[SEC_MEM];
			return;
		}
		f = meminfo_find(&A->m.meminfo, c->name);
		g = meminfo_find(&B->m.meminfo, c->name);
		if (!f && !g) {
			c->why = "no meminfo field of that name in either root";
			return;
		}
		a = f ? (double)mem_value(f) : 0;
		b = g ? (double)mem_value(g) : 0;
		break;
	}
	}
	v = c->grew ? b - a : a - b;
	if (c->pct)
		v = a > 0 ? v * 100 / a : v > 0 ? INFINITY : v < 0 ? -INFINITY : 0;
	c->value = v;
compare:
	c->evaluated = true;
	switch (c->op) {
	case OP_GT: c->holds = c->value > c->limit; break;
	case OP_GE: c->holds = c->value >= c->limit; break;
	case OP_LT: c->holds = c->value < c->limit; break;
	case OP_LE: c->holds = c->value <= c->limit; break;
	}
}

static const char *cond_unit(const struct cond *c)
{
	if (c->pct)
		return "percent";
	switch (c->metric) {
	case M_ORDER_BLOCKS: return "blocks";
	case M_VERDICTS: return "verdicts";
	case M_MEMINFO: return "bytes_or_count";
	default: return "bytes";
	}
}

/* ---- rendering -------------------------------------------------------- */

/* "+1.5GiB" / "-4KiB" / "0" (exact bytes with -b); counts as integers. */
static void fmt_change(uint64_t a, uint64_t b, bool bytes_unit, bool exact, char *out, size_t n)
{
	char u[UNITS_BUFSZ];
	uint64_t d = absdiff(a, b);

	if (!d) {
		snprintf(out, n, "0");
		return;
	}
	if (bytes_unit && !exact)
		snprintf(out, n, "%c%s", b > a ? '+' : '-', units_bytes(d, u));
	else
		snprintf(out, n, "%c%llu", b > a ? '+' : '-', (unsigned long long)d);
}

static void fmt_value(uint64_t v, bool bytes_unit, bool exact, char *out, size_t n)
{
	char u[UNITS_BUFSZ];

	if (bytes_unit && !exact)
		snprintf(out, n, "%s", units_bytes(v, u));
	else
		snprintf(out, n, "%llu", (unsigned long long)v);
}

/* "+12.5%", "new" (from 0), "-100%" */
static void fmt_pct(uint64_t a, uint64_t b, char *out, size_t n)
{
	double p;

	if (a == 0) {
		snprintf(out, n, b ? "new" : "0%%");
		return;
	}
	p = ((double)b - (double)a) * 100 / (double)a;
	snprintf(out, n, "%+.1f%%", p);
}

static const char *outcome_word(enum alloc_outcome o)
{
	return alloc_outcome_name(o);
}

static struct table *mem_table(const struct rows *r, const struct options *o)
{
	struct table *t = table_new("meminfo");
	int c_f, c_a, c_b, c_d, c_p;

	if (!t)
		return NULL;
	c_f = table_add_column(t, "FIELD", TABLE_STR, 0, "/proc/meminfo field");
	c_a = table_add_column(t, "A", TABLE_STR, TABLE_RIGHT, "value in ROOT_A (bytes for kB fields)");
	c_b = table_add_column(t, "B", TABLE_STR, TABLE_RIGHT, "value in ROOT_B");
	c_d = table_add_column(t, "CHANGE", TABLE_STR, TABLE_RIGHT, "B - A");
	c_p = table_add_column(t, "PCT", TABLE_STR, TABLE_RIGHT, "change as a percentage of A");
	if (c_p < 0)
		goto fail;
	for (size_t i = 0; i < r->nmem; i++) {
		const struct mem_row *m = &r->mem[i];
		char s[48];

		if (table_new_row(t) < 0)
			goto fail;
		table_set_str(t, c_f, m->name);
		if (m->in_a) {
			fmt_value(m->a, m->kb, o->bytes, s, sizeof(s));
			table_set_str(t, c_a, s);
		}
		if (m->in_b) {
			fmt_value(m->b, m->kb, o->bytes, s, sizeof(s));
			table_set_str(t, c_b, s);
		}
		fmt_change(m->a, m->b, m->kb, o->bytes, s, sizeof(s));
		table_set_str(t, c_d, s);
		fmt_pct(m->a, m->b, s, sizeof(s));
		table_set_str(t, c_p, s);
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

static struct table *blk_table(const struct rows *r, const struct options *o)
{
	struct table *t = table_new("free_blocks");
	int c_n, c_z, c_o, c_a, c_b, c_d, c_m, c_p;

	if (!t)
		return NULL;
	c_n = table_add_column(t, "NODE", TABLE_U64, TABLE_RIGHT, "NUMA node");
	c_z = table_add_column(t, "ZONE", TABLE_STR, 0, "zone");
	c_o = table_add_column(t, "ORDER", TABLE_U64, TABLE_RIGHT, "block order (2^order pages)");
	c_a = table_add_column(t, "A", TABLE_STR, TABLE_RIGHT, "free blocks in ROOT_A");
	c_b = table_add_column(t, "B", TABLE_STR, TABLE_RIGHT, "free blocks in ROOT_B");
	c_d = table_add_column(t, "CHANGE", TABLE_STR, TABLE_RIGHT, "B - A, blocks");
	c_m = table_add_column(t, "MEMORY", TABLE_STR, TABLE_RIGHT, "the change as memory (blocks x block size)");
	c_p = table_add_column(t, "PCT", TABLE_STR, TABLE_RIGHT, "change as a percentage of A");
	if (c_p < 0)
		goto fail;
	for (size_t i = 0; i < r->nblk; i++) {
		const struct blk_row *b = &r->blk[i];
		char s[48];
		uint64_t mem = blk_bytes(b);

		if (table_new_row(t) < 0)
			goto fail;
		table_set_u64(t, c_n, (uint64_t)b->node);
		table_set_str(t, c_z, b->zone);
		table_set_u64(t, c_o, b->order);
		if (b->in_a) {
			fmt_value(b->a, false, true, s, sizeof(s));
			table_set_str(t, c_a, s);
		}
		if (b->in_b) {
			fmt_value(b->b, false, true, s, sizeof(s));
			table_set_str(t, c_b, s);
		}
		fmt_change(b->a, b->b, false, true, s, sizeof(s));
		table_set_str(t, c_d, s);
		fmt_change(b->a > b->b ? mem : 0, b->a > b->b ? 0 : mem, true, o->bytes, s, sizeof(s));
		table_set_str(t, c_m, s);
		fmt_pct(b->a, b->b, s, sizeof(s));
		table_set_str(t, c_p, s);
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

static struct table *idx_table(const struct rows *r)
{
	struct table *t = table_new("fragmentation");
	int c_n, c_z, c_o, c_i, c_a, c_b, c_d;

	if (!t)
		return NULL;
	c_n = table_add_column(t, "NODE", TABLE_U64, TABLE_RIGHT, "NUMA node");
	c_z = table_add_column(t, "ZONE", TABLE_STR, 0, "zone");
	c_o = table_add_column(t, "ORDER", TABLE_U64, TABLE_RIGHT, "order");
	c_i = table_add_column(t, "INDEX", TABLE_STR, 0, "unusable or extfrag (see fragscope frag)");
	c_a = table_add_column(t, "A", TABLE_STR, TABLE_RIGHT, "index in ROOT_A");
	c_b = table_add_column(t, "B", TABLE_STR, TABLE_RIGHT, "index in ROOT_B");
	c_d = table_add_column(t, "CHANGE", TABLE_STR, TABLE_RIGHT, "B - A");
	if (c_d < 0)
		goto fail;
	for (size_t i = 0; i < r->nidx; i++) {
		const struct idx_row *x = &r->idx[i];
		char s[24];
		int d = x->b - x->a;

		if (table_new_row(t) < 0)
			goto fail;
		table_set_u64(t, c_n, (uint64_t)x->node);
		table_set_str(t, c_z, x->zone);
		table_set_u64(t, c_o, x->order);
		table_set_str(t, c_i, x->extfrag ? "extfrag" : "unusable");
		frag_format_decimal(x->a, s, sizeof(s));
		table_set_str(t, c_a, s);
		frag_format_decimal(x->b, s, sizeof(s));
		table_set_str(t, c_b, s);
		s[0] = d < 0 ? '-' : '+';
		frag_format_decimal(abs(d), s + 1, sizeof(s) - 1);
		table_set_str(t, c_d, s);
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

static struct table *slab_table(const struct rows *r, const struct options *o)
{
	struct table *t = table_new("slab");
	int c_c, c_s, c_a, c_b, c_d, c_oa, c_ob;

	if (!t)
		return NULL;
	c_c = table_add_column(t, "CACHE", TABLE_STR, 0, "cache name (#N: the Nth cache of that name)");
	c_s = table_add_column(t, "STATUS", TABLE_STR, 0, "grew, shrank, appeared or vanished");
	c_a = table_add_column(t, "A", TABLE_STR, TABLE_RIGHT, "slab memory in ROOT_A");
	c_b = table_add_column(t, "B", TABLE_STR, TABLE_RIGHT, "slab memory in ROOT_B");
	c_d = table_add_column(t, "CHANGE", TABLE_STR, TABLE_RIGHT, "B - A");
	c_oa = table_add_column(t, "OBJS_A", TABLE_STR, TABLE_RIGHT, "active objects in ROOT_A");
	c_ob = table_add_column(t, "OBJS_B", TABLE_STR, TABLE_RIGHT, "active objects in ROOT_B");
	if (c_ob < 0)
		goto fail;
	for (size_t i = 0; i < r->nslab; i++) {
		const struct slab_diff_row *x = &r->slab[i];
		char s[48];

		if (table_new_row(t) < 0)
			goto fail;
		if (x->instance > 1) {
			char *nm = malloc(strlen(x->name) + 16);

			if (!nm)
				goto fail;
			sprintf(nm, "%s#%u", x->name, x->instance);
			table_set_str(t, c_c, nm);
			free(nm);
		} else {
			table_set_str(t, c_c, x->name);
		}
		table_set_str(t, c_s, slab_status(x));
		if (x->in_a) {
			fmt_value(x->a, true, o->bytes, s, sizeof(s));
			table_set_str(t, c_a, s);
			fmt_value(x->a_objs, false, true, s, sizeof(s));
			table_set_str(t, c_oa, s);
		}
		if (x->in_b) {
			fmt_value(x->b, true, o->bytes, s, sizeof(s));
			table_set_str(t, c_b, s);
			fmt_value(x->b_objs, false, true, s, sizeof(s));
			table_set_str(t, c_ob, s);
		}
		fmt_change(x->a, x->b, true, o->bytes, s, sizeof(s));
		table_set_str(t, c_d, s);
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

static struct table *pred_table(const struct rows *r, const struct options *o)
{
	struct table *t = table_new("predict");
	int c_n, c_z, c_c, c_o, c_a, c_b, c_w;

	if (!t)
		return NULL;
	c_n = table_add_column(t, "NODE", TABLE_U64, TABLE_RIGHT, "NUMA node");
	c_z = table_add_column(t, "ZONE", TABLE_STR, 0, "zone");
	c_c = table_add_column(t, "CLASS", TABLE_STR, 0, "allocation class");
	c_o = table_add_column(t, "ORDER", TABLE_U64, TABLE_RIGHT, "order");
	c_a = table_add_column(t, "A", TABLE_STR, 0, "verdict in ROOT_A (see fragscope predict)");
	c_b = table_add_column(t, "B", TABLE_STR, 0, "verdict in ROOT_B");
	c_w = table_add_column(t, "CHANGE", TABLE_STR, 0, "worse or better");
	if (c_w < 0)
		goto fail;
	(void)o;
	for (size_t i = 0; i < r->npred; i++) {
		const struct pred_row *x = &r->pred[i];
		bool worse = x->b > x->a;

		if (table_new_row(t) < 0)
			goto fail;
		table_set_u64(t, c_n, (uint64_t)x->node);
		table_set_str(t, c_z, x->zone);
		table_set_str(t, c_c, x->cls);
		table_set_u64(t, c_o, x->order);
		table_set_str(t, c_a, outcome_word(x->a));
		table_set_str(t, c_b, outcome_word(x->b));
		table_set_str(t, c_w, worse ? "worse" : "better");
		table_set_color(t, c_w, worse ? TABLE_COLOR_BAD : TABLE_COLOR_GOOD);
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

static void fmt_cond_value(const struct cond *c, bool exact, char *s, size_t n)
{
	char u[UNITS_BUFSZ];

	if (!c->evaluated)
		snprintf(s, n, "-");
	else if (c->pct)
		snprintf(s, n, isinf(c->value) ? (c->value > 0 ? "+inf%%" : "-inf%%") : "%.1f%%", c->value);
	else if (c->metric == M_ORDER_BLOCKS || c->metric == M_VERDICTS || exact ||
		 (c->metric == M_MEMINFO && fabs(c->value) < 1024))
		snprintf(s, n, "%.0f", c->value);
	else
		snprintf(s, n, "%s%s", c->value < 0 ? "-" : "", units_bytes((uint64_t)fabs(c->value), u));
}

static struct table *cond_table(const struct cond *c, size_t n, const struct options *o)
{
	struct table *t = table_new("conditions");
	int c_c, c_v, c_h;

	if (!t)
		return NULL;
	c_c = table_add_column(t, "CONDITION", TABLE_STR, 0, "a --fail-on condition");
	c_v = table_add_column(t, "VALUE", TABLE_STR, TABLE_RIGHT, "its metric between the two roots");
	c_h = table_add_column(t, "HOLDS", TABLE_STR, 0, "yes (exit status 1), no, or why it could not be evaluated");
	if (c_h < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		char s[48];

		if (table_new_row(t) < 0)
			goto fail;
		table_set_str(t, c_c, c[i].text);
		fmt_cond_value(&c[i], o->bytes, s, sizeof(s));
		table_set_str(t, c_v, s);
		table_set_str(t, c_h, !c[i].evaluated ? c[i].why : c[i].holds ? "yes" : "no");
		if (c[i].evaluated)
			table_set_color(t, c_h, c[i].holds ? TABLE_COLOR_BAD : TABLE_COLOR_GOOD);
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

static void side_json(struct json *j, const char *key, const struct side *s, unsigned mask)
{
	json_key(j, key);
	json_begin_object(j);
	json_kv_string(j, "root", s->arg);
	json_kv_bool(j, "live", s->m.live);
	json_kv_string(j, "kernel_release", s->m.kernel_release[0] ? s->m.kernel_release : NULL);
	json_kv_u64(j, "page_size_bytes", s->m.page_size);
	json_kv_string(j, "page_size_source", page_size_source_name(s->m.page_size_src));
	cli_json_unavailable(j, &s->m, mask);
	json_end_object(j);
}

static void opt_u64(struct json *j, const char *key, bool have, uint64_t v)
{
	json_key(j, key);
	if (have)
		json_u64(j, v);
	else
		json_null(j);
}

static void change_json(struct json *j, const char *key, uint64_t a, uint64_t b)
{
	json_key(j, key);
	if (b >= a && b - a <= (uint64_t)INT64_MAX)
		json_i64(j, (int64_t)(b - a));
	else if (a > b && a - b <= (uint64_t)INT64_MAX)
		json_i64(j, -(int64_t)(a - b));
	else
		json_null(j);
}

static void diff_json(struct json *j, const struct side *A, const struct side *B, const struct rows *r,
		      const struct cond *c, size_t nc, unsigned mask)
{
	json_kv_u64(j, "schema_version", 1);
	json_kv_string(j, "command", "diff");
	side_json(j, "a", A, mask);
	side_json(j, "b", B, mask);

	json_key(j, "meminfo");
	json_begin_array(j);
	for (size_t i = 0; i < r->nmem; i++) {
		const struct mem_row *m = &r->mem[i];

		json_begin_object(j);
		json_kv_string(j, "field", m->name);
		json_kv_string(j, "unit", m->kb ? "bytes" : "count");
		opt_u64(j, "a", m->in_a, m->a);
		opt_u64(j, "b", m->in_b, m->b);
		change_json(j, "change", m->a, m->b);
		json_end_object(j);
	}
	json_end_array(j);

	json_key(j, "free_blocks");
	json_begin_array(j);
	for (size_t i = 0; i < r->nblk; i++) {
		const struct blk_row *b = &r->blk[i];
		uint64_t mem = blk_bytes(b);

		json_begin_object(j);
		json_kv_i64(j, "node", b->node);
		json_kv_string(j, "zone", b->zone);
		json_kv_u64(j, "order", b->order);
		opt_u64(j, "a_blocks", b->in_a, b->a);
		opt_u64(j, "b_blocks", b->in_b, b->b);
		change_json(j, "change_blocks", b->a, b->b);
		change_json(j, "change_bytes", b->a > b->b ? mem : 0, b->a > b->b ? 0 : mem);
		json_end_object(j);
	}
	json_end_array(j);

	json_key(j, "fragmentation");
	json_begin_array(j);
	for (size_t i = 0; i < r->nidx; i++) {
		const struct idx_row *x = &r->idx[i];

		json_begin_object(j);
		json_kv_i64(j, "node", x->node);
		json_kv_string(j, "zone", x->zone);
		json_kv_u64(j, "order", x->order);
		json_kv_string(j, "index", x->extfrag ? "extfrag" : "unusable");
		json_kv_i64(j, "a_milli", x->a);
		json_kv_i64(j, "b_milli", x->b);
		json_kv_i64(j, "change_milli", x->b - x->a);
		json_end_object(j);
	}
	json_end_array(j);

	json_key(j, "slab");
	json_begin_array(j);
	for (size_t i = 0; i < r->nslab; i++) {
		const struct slab_diff_row *x = &r->slab[i];

		json_begin_object(j);
		json_kv_string(j, "name", x->name);
		json_kv_u64(j, "instance", x->instance);
		json_kv_string(j, "status", slab_status(x));
		opt_u64(j, "a_bytes", x->in_a, x->a);
		opt_u64(j, "b_bytes", x->in_b, x->b);
		change_json(j, "change_bytes", x->a, x->b);
		opt_u64(j, "a_active_objects", x->in_a, x->a_objs);
		opt_u64(j, "b_active_objects", x->in_b, x->b_objs);
		json_end_object(j);
	}
	json_end_array(j);

	json_key(j, "predict");
	json_begin_array(j);
	for (size_t i = 0; i < r->npred; i++) {
		const struct pred_row *x = &r->pred[i];

		json_begin_object(j);
		json_kv_i64(j, "node", x->node);
		json_kv_string(j, "zone", x->zone);
		json_kv_string(j, "class", x->cls);
		json_kv_u64(j, "order", x->order);
		json_kv_string(j, "a", alloc_outcome_name(x->a));
		json_kv_string(j, "b", alloc_outcome_name(x->b));
		json_kv_string(j, "change", x->b > x->a ? "worse" : "better");
		json_end_object(j);
	}
	json_end_array(j);

	json_key(j, "not_compared");
	json_begin_array(j);
	for (size_t s = 0; s < ARRAY_SIZE(r->skipped); s++) {
		if (!r->skipped[s])
			continue;
		json_begin_object(j);
		json_kv_string(j, "section", sec_names[s]);
		json_kv_string(j, "why", r->skipped[s]);
		json_end_object(j);
	}
	json_end_array(j);

	json_key(j, "fail_on");
	json_begin_array(j);
	for (size_t i = 0; i < nc; i++) {
		json_begin_object(j);
		json_kv_string(j, "condition", c[i].text);
		json_key(j, "value");
		if (c[i].evaluated && isfinite(c[i].value))
			json_double(j, c[i].value, c[i].pct ? 3 : 0);
		else
			json_null(j);
		json_kv_string(j, "unit", cond_unit(&c[i]));
		json_key(j, "holds");
		if (c[i].evaluated)
			json_bool(j, c[i].holds);
		else
			json_null(j);
		if (!c[i].evaluated)
			json_kv_string(j, "why", c[i].why);
		json_end_object(j);
	}
	json_end_array(j);
}

/* ---- the command ------------------------------------------------------ */

static int load_side(struct side *s, const struct options *o, const char *arg, unsigned mask)
{
	int rc, r;

	s->arg = arg;
	s->o = *o;
	s->o.root = strcmp(arg, "/") == 0 ? NULL : arg;
	rc = cli_load(&s->o, mask, 0, &s->src, &s->m);
	if (!s->src)
		return rc;
	s->have_slab = s->m.in[IN_SLABINFO].loaded || s->m.in[IN_SLABSYS].loaded;
	if (s->m.in[IN_ZONEINFO].loaded && s->m.in[IN_BUDDYINFO].loaded) {
		r = alloc_model_build(&s->m.zi, &s->m.buddy,
				      s->m.in[IN_PAGETYPEINFO].loaded ? &s->m.pt : NULL,
				      s->m.in[IN_SYSVM].loaded ? &s->m.vm : NULL,
				      s->m.in[IN_NODES].loaded ? &s->m.numa : NULL, s->m.kernel_release, &s->am);
		if (r == -ENOMEM) {
			cli_error("out of memory");
			cli_status(&rc, EXIT_INPUT);
		}
		s->have_am = r == 0;
	}
	return rc;
}

static void side_free(struct side *s)
{
	if (s->have_am)
		alloc_model_free(&s->am);
	machine_free(&s->m);
	source_free(s->src);
}

static void rows_free(struct rows *r)
{
	free(r->mem);
	free(r->blk);
	free(r->idx);
	free(r->slab);
	free(r->pred);
}

/* Why a section is not compared: which root lacks what. */
static const char *missing(bool a, bool b, const char *both, const char *only_a, const char *only_b)
{
	if (a && b)
		return NULL;
	return !a && !b ? both : !a ? only_a : only_b;
}

int cmd_diff(struct options *o)
{
	const unsigned mask = IN_BIT(IN_MEMINFO) | IN_BIT(IN_BUDDYINFO) | IN_BIT(IN_ZONEINFO) |
			      IN_BIT(IN_PAGETYPEINFO) | IN_BIT(IN_SYSVM) | IN_BIT(IN_NODES) |
			      IN_BIT(IN_SLABINFO);
	struct side A = { 0 }, B = { 0 };
	struct rows r = { 0 };
	struct cond *conds = NULL;
	size_t nconds = 0;
	int rc = EXIT_OK, r1;

	if (o->root) {
		fputs("fragscope: diff: the two roots are its arguments; --root does not apply\n"
		      "Try 'fragscope --help' for more information.\n", stderr);
		return EXIT_USAGE;
	}
	if (o->fail_on) {
		rc = conds_parse(o->fail_on, &conds, &nconds);
		if (rc)
			return rc;
	}
	/* -o help: the columns, before anything is read. */
	if (o->output && !strcmp(o->output, "help")) {
		struct table *t[6] = { mem_table(&r, o), blk_table(&r, o), idx_table(&r),
				       slab_table(&r, o), pred_table(&r, o), cond_table(NULL, 0, o) };

		cli_select_columns(o, t, 6);
		for (int i = 0; i < 6; i++)
			table_free(t[i]);
		conds_free(conds, nconds);
		return EXIT_OK;
	}
	rc = load_side(&A, o, o->argv[0], mask);
	if (!A.src)
		goto out;
	r1 = load_side(&B, o, o->argv[1], mask);
	cli_status(&rc, r1);
	if (!B.src)
		goto out;

	r.skipped[SEC_MEM] = missing(A.m.in[IN_MEMINFO].loaded, B.m.in[IN_MEMINFO].loaded,
				     "meminfo is in neither root", "no meminfo in ROOT_A", "no meminfo in ROOT_B");
	r.skipped[SEC_BLK] = missing(A.m.in[IN_BUDDYINFO].loaded, B.m.in[IN_BUDDYINFO].loaded,
				     "buddyinfo is in neither root", "no buddyinfo in ROOT_A",
				     "no buddyinfo in ROOT_B");
	r.skipped[SEC_IDX] = r.skipped[SEC_BLK];
	r.skipped[SEC_SLAB] = missing(A.have_slab, B.have_slab, "no slab caches in either root",
				      "no slab caches in ROOT_A", "no slab caches in ROOT_B");
	r.skipped[SEC_PRED] = missing(A.have_am, B.have_am, "no zoneinfo and buddyinfo in either root",
				      "no zoneinfo and buddyinfo in ROOT_A", "no zoneinfo and buddyinfo in ROOT_B");
	if (r.skipped[SEC_MEM] && r.skipped[SEC_BLK] && r.skipped[SEC_SLAB]) {
		cli_error("nothing to compare: no meminfo, buddyinfo or slab caches in both '%s' and '%s'",
			  A.arg, B.arg);
		cli_status(&rc, EXIT_INPUT);
		goto out;
	}
	if ((!r.skipped[SEC_MEM] && diff_meminfo(&A.m.meminfo, &B.m.meminfo, &r) < 0) ||
	    (!r.skipped[SEC_BLK] && diff_buddy(&A, &B, &r) < 0) ||
	    (!r.skipped[SEC_SLAB] && diff_slab(&A, &B, &r) < 0) ||
	    (!r.skipped[SEC_PRED] && diff_predict(&A, &B, &r) < 0)) {
		cli_error("out of memory");
		cli_status(&rc, EXIT_INPUT);
		goto out;
	}
	for (size_t i = 0; i < nconds; i++)
		cond_eval(&conds[i], &A, &B, &r);

	if (o->json) {
		struct json *j = json_new(stdout, o->pretty);

		if (!j) {
			cli_error("out of memory");
			cli_status(&rc, EXIT_INPUT);
			goto out;
		}
		json_begin_object(j);
		diff_json(j, &A, &B, &r, conds, nconds, mask);
		json_end_object(j);
		json_finish(j);
		json_free(j);
	} else {
		struct table *t[6] = {
			r.skipped[SEC_MEM] ? NULL : mem_table(&r, o),
			r.skipped[SEC_BLK] ? NULL : blk_table(&r, o),
			r.skipped[SEC_IDX] ? NULL : idx_table(&r),
			r.skipped[SEC_SLAB] ? NULL : slab_table(&r, o),
			r.skipped[SEC_PRED] ? NULL : pred_table(&r, o),
			nconds ? cond_table(conds, nconds, o) : NULL,
		};
		const char *titles[6] = {
			"Memory: /proc/meminfo fields that changed, largest change first:",
			"Free blocks that changed, per zone and order, largest in memory first:",
			"Fragmentation indices that changed, largest change first:",
			"Slab caches that grew, shrank, appeared or vanished, largest change first:",
			"Allocation verdicts that flipped (GFP_KERNEL and GFP_ATOMIC at orders 0, 3, 9; THP):",
			"Conditions (--fail-on):",
		};
		int sr = cli_select_columns(o, t, 6);

		if (sr) {
			for (int i = 0; i < 6; i++)
				table_free(t[i]);
			if (sr > 0)
				cli_status(&rc, sr);
			goto out;
		}
		if (!o->raw && !o->noheadings) {
			struct buf ea = BUF_INIT, eb = BUF_INIT, ka = BUF_INIT, kb = BUF_INIT;

			escape_text(A.arg, strlen(A.arg), &ea);
			escape_text(B.arg, strlen(B.arg), &eb);
			escape_text(A.m.kernel_release, strlen(A.m.kernel_release), &ka);
			escape_text(B.m.kernel_release, strlen(B.m.kernel_release), &kb);
			printf("fragscope diff: A = %s (%s%s), B = %s (%s%s)\n\n",
			       ea.data ? ea.data : "", A.m.kernel_release[0] ? "Linux " : "kernel unknown",
			       ka.data ? ka.data : "", eb.data ? eb.data : "",
			       B.m.kernel_release[0] ? "Linux " : "kernel unknown", kb.data ? kb.data : "");
			buf_free(&ea);
			buf_free(&eb);
			buf_free(&ka);
			buf_free(&kb);
		}
		view_print_tables(o, t, titles, 6);
		if (!o->raw && !o->noheadings) {
			if (!r.nmem && !r.nblk && !r.nidx && !r.nslab && !r.npred)
				printf("No differences in what was compared.\n");
			for (size_t s = 0; s < ARRAY_SIZE(r.skipped); s++) {
				if (!r.skipped[s] || (s == SEC_IDX && r.skipped[SEC_BLK]))
					continue;
				printf("%s not compared: %s.\n",
				       s == SEC_MEM ? "Memory" : s == SEC_BLK ? "Free blocks and indices" :
				       s == SEC_SLAB ? "Slab caches" : "Allocation verdicts", r.skipped[s]);
			}
		}
	}
	for (size_t i = 0; i < nconds; i++) {
		if (!conds[i].evaluated) {
			struct buf e = BUF_INIT;

			escape_text(conds[i].text, strlen(conds[i].text), &e);
			cli_error("--fail-on '%s' cannot be evaluated: %s", e.data ? e.data : "", conds[i].why);
			buf_free(&e);
			cli_status(&rc, EXIT_INPUT);
		} else if (conds[i].holds) {
			cli_status(&rc, EXIT_NEGATIVE);
		}
	}
out:
	rows_free(&r);
	conds_free(conds, nconds);
	side_free(&A);
	side_free(&B);
	return rc;
}
