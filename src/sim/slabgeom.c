/*
 * slabgeom.c - SLUB's slab geometry (slabgeom.h), after mm/slub.c's
 * calculate_alignment(), calculate_sizes(), calculate_order() and
 * calc_slab_order(), as reference/kernel.md 4.1 and 4.2 describe them.
 *
 * Layout (calculate_sizes()): the object size rounded up to a word; a red
 * zone adds a word when the object has no slack; the free pointer moves
 * out of the object (one more word) for RCU caches without a declared
 * offset, constructors, poisoning, and red-zoned tiny objects (or, since
 * 6.2, red-zoned kmalloc caches that store the request size); store_user
 * adds two struct track (and, since 6.1, an unsigned int for kmalloc
 * caches); a red zone adds a word after and an aligned word before; the
 * whole is rounded up to the alignment.  The 6.1 rule leaves out the 6.2
 * free pointer move; older kernels' layouts are not modelled.
 *
 * Order: see slab_geom_order() for both rules.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../model/slab.h"
#include "slabgeom.h"

#define WORD 8u
#define MAX_OBJS_PER_PAGE 32767u

const uint64_t slab_kmalloc_sizes[SLAB_KMALLOC_CLASSES] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};

void slab_geom_defaults(struct slab_geom_params *p, unsigned nr_cpus, enum slab_rule rule)
{
	memset(p, 0, sizeof(*p));
	p->page_size = 4096;
	p->nr_cpus = nr_cpus ? nr_cpus : 1;
	p->min_order = 0;
	p->max_order = 3;
	p->min_objects = 0;
	p->max_page_order = 10;
	p->track_size = 32;
	p->cache_line = 64;
	p->rule = rule;
}

enum slab_rule slab_rule_for_release(const char *release)
{
	char *end;
	unsigned long major, minor = 0;

	if (!release || !*release)
		return SLAB_RULE_6_7;
	major = strtoul(release, &end, 10);
	if (end == release)
		return SLAB_RULE_6_7;
	if (*end == '.')
		minor = strtoul(end + 1, NULL, 10);
	if (major < 6 || (major == 6 && minor < 7))
		return SLAB_RULE_6_1;
	return SLAB_RULE_6_7;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

static bool pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* fls(): the 1-based index of the highest set bit, 0 for 0. */
static unsigned fls_u(uint64_t v)
{
	unsigned n = 0;

	while (v) {
		n++;
		v >>= 1;
	}
	return n;
}

/* get_order(): the smallest order whose block holds size bytes. */
static unsigned get_order(uint64_t size, uint64_t page_size)
{
	unsigned o = 0;

	while ((page_size << o) < size && o < 63)
		o++;
	return o;
}

static uint64_t order_objects(unsigned order, uint64_t size, uint64_t page_size)
{
	return (page_size << order) / size;
}

uint64_t slab_geom_align(unsigned flags, uint64_t align, uint64_t object_size, unsigned cache_line)
{
	if (flags & SG_HWCACHE_ALIGN) {
		uint64_t ralign = cache_line;

		while (object_size <= ralign / 2)
			ralign /= 2;
		if (ralign > align)
			align = ralign;
	}
	if (align < WORD)
		align = WORD;   /* ARCH_SLAB_MINALIGN is 8 on x86-64 */
	return align_up(align, WORD);
}

int slab_geom_size(uint64_t object_size, uint64_t align, unsigned flags, const struct slab_geom_params *p,
		   uint64_t *slab_size)
{
	bool new_rule = p->rule == SLAB_RULE_6_7;
	/* slub_debug_orig_size(): red zone and store_user on a kmalloc cache (6.2+). */
	bool orig_size = new_rule && (flags & SG_STORE_USER) && (flags & SG_KMALLOC);
	uint64_t size;

	if (!object_size || object_size > ((uint64_t)1 << 40) || !pow2(align) || align > ((uint64_t)1 << 20))
		return -EINVAL;
	size = align_up(object_size, WORD);
	if ((flags & SG_RED_ZONE) && size == object_size)
		size += WORD;
	if (((flags & SG_TYPESAFE_BY_RCU) && !(flags & SG_FREEPTR_OFFSET)) || (flags & SG_POISON) ||
	    (flags & SG_CTOR) || ((flags & SG_RED_ZONE) && (object_size < WORD || orig_size)))
		size += WORD;   /* the free pointer after the object */
	if (flags & SG_STORE_USER) {
		size += 2 * (uint64_t)p->track_size;
		if (flags & SG_KMALLOC)
			size += 4;   /* the request size (6.1+) */
	}
	if (flags & SG_RED_ZONE)
		size += WORD + align_up(WORD, align);   /* right pad word, left red zone */
	*slab_size = align_up(size, align);
	return 0;
}

/* calc_slab_order() of 6.7+: the smallest order in [min_order, max_order]
 * whose leftover is at most 1/fract of the slab; max_order + 1 if none. */
static unsigned calc_order_new(uint64_t size, unsigned min_order, unsigned max_order, unsigned fract,
			       uint64_t page_size)
{
	unsigned order;

	for (order = min_order; order <= max_order; order++) {
		uint64_t bytes = page_size << order;

		if (bytes % size <= bytes / fract)
			break;
	}
	return order;
}

/* calc_slab_order() of 6.6 and before: starts at the order that holds
 * min_objects (at least slub_min_order). */
static unsigned calc_order_old(uint64_t size, unsigned min_objects, unsigned max_order, unsigned fract,
			       const struct slab_geom_params *p)
{
	unsigned order, start = get_order(min_objects * size, p->page_size);

	if (order_objects(p->min_order, size, p->page_size) > MAX_OBJS_PER_PAGE)
		return get_order(size * MAX_OBJS_PER_PAGE, p->page_size) - 1;
	if (start < p->min_order)
		start = p->min_order;
	for (order = start; order <= max_order; order++) {
		uint64_t bytes = p->page_size << order;

		if (bytes % size <= bytes / fract)
			break;
	}
	return order;
}

static unsigned auto_min_objects(const struct slab_geom_params *p)
{
	if (p->min_objects)
		return p->min_objects;
	return 4 * (fls_u(p->nr_cpus ? p->nr_cpus : 1) + 1);
}

int slab_geom_order(uint64_t size, const struct slab_geom_params *p, unsigned *ret)
{
	unsigned max_order = p->max_order, min_objects = auto_min_objects(p), order;
	uint64_t max_objects;

	if (!size || !p->page_size)
		return -EINVAL;
	if (p->min_order > max_order)
		max_order = p->min_order;   /* setup_slub_min_order() raises the maximum */
	if (max_order > p->max_page_order)
		max_order = p->max_page_order;
	max_objects = order_objects(max_order, size, p->page_size);
	if (p->rule == SLAB_RULE_6_7) {
		unsigned min_order;

		if (max_objects < 1)
			max_objects = 1;
		if (min_objects > max_objects)
			min_objects = (unsigned)max_objects;
		min_order = get_order((uint64_t)min_objects * size, p->page_size);
		if (min_order < p->min_order)
			min_order = p->min_order;
		if (order_objects(min_order, size, p->page_size) > MAX_OBJS_PER_PAGE) {
			*ret = get_order(size * MAX_OBJS_PER_PAGE, p->page_size) - 1;
			return 0;
		}
		for (unsigned fract = 16; fract > 1; fract /= 2) {
			order = calc_order_new(size, min_order, max_order, fract, p->page_size);
			if (order <= max_order) {
				*ret = order;
				return 0;
			}
		}
		order = get_order(size, p->page_size);
		if (order > p->max_page_order)
			return -E2BIG;
		*ret = order;
		return 0;
	}
	/* 6.6 and before. */
	if (min_objects > max_objects)
		min_objects = (unsigned)max_objects;
	while (min_objects > 1) {
		for (unsigned fract = 16; fract >= 4; fract /= 2) {
			order = calc_order_old(size, min_objects, max_order, fract, p);
			if (order <= max_order) {
				*ret = order;
				return 0;
			}
		}
		min_objects--;
	}
	order = calc_order_old(size, 1, max_order, 1, p);
	if (order <= max_order) {
		*ret = order;
		return 0;
	}
	order = calc_order_old(size, 1, p->max_page_order + 1, 1, p);
	if (order <= p->max_page_order) {
		*ret = order;
		return 0;
	}
	return -E2BIG;
}

static unsigned ilog2_u(uint64_t v)
{
	return v ? fls_u(v) - 1 : 0;
}

int slab_geom_from_stride(uint64_t slab_size, unsigned flags, const struct slab_geom_params *p,
			  struct slab_geom *g)
{
	uint64_t mp;
	int r;

	memset(g, 0, sizeof(*g));
	g->slab_size = slab_size;
	g->object_size = slab_size;
	g->align = WORD;
	r = slab_geom_order(slab_size, p, &g->order);
	if (r < 0)
		return r;
	g->min_objects = auto_min_objects(p);
	g->objs_per_slab = order_objects(g->order, slab_size, p->page_size);
	g->min_order = get_order(slab_size, p->page_size);
	g->min_objs = order_objects(g->min_order, slab_size, p->page_size);
	g->leftover = (p->page_size << g->order) - g->objs_per_slab * slab_size;
	mp = ilog2_u(slab_size) / 2;
	g->min_partial = mp < 5 ? 5 : mp > 10 ? 10 : mp;
	if (flags & (SG_DEBUG | SG_RED_ZONE | SG_POISON | SG_STORE_USER))
		g->cpu_partial = 0;
	else if (slab_size >= p->page_size)
		g->cpu_partial = 6;
	else if (slab_size >= 1024)
		g->cpu_partial = 24;
	else if (slab_size >= 256)
		g->cpu_partial = 52;
	else
		g->cpu_partial = 120;
	g->cpu_partial_slabs = g->objs_per_slab ? (g->cpu_partial * 2 + g->objs_per_slab - 1) / g->objs_per_slab : 0;
	return 0;
}

int slab_geom_compute(uint64_t object_size, uint64_t align, unsigned flags, const struct slab_geom_params *p,
		      struct slab_geom *g)
{
	uint64_t slab_size;
	int r = slab_geom_size(object_size, align, flags, p, &slab_size);

	if (r < 0)
		return r;
	r = slab_geom_from_stride(slab_size, flags, p, g);
	g->object_size = object_size;
	g->align = align;
	return r;
}

uint64_t slab_kmalloc_class(uint64_t size)
{
	if (!size || size > 8192)
		return 0;
	if (size <= 8)
		return 8;
	if (size <= 16)
		return 16;
	if (size <= 32)
		return 32;
	if (size <= 64)
		return 64;
	if (size <= 96)
		return 96;
	if (size <= 128)
		return 128;
	if (size <= 192)
		return 192;
	return (uint64_t)1 << fls_u(size - 1);
}

/* ---- checking against sysfs --------------------------------------------- */

unsigned slab_geom_cache_flags(const struct slab_cache *c)
{
	static const struct { unsigned sf, sg; } map[] = {
		{ SF_HWCACHE_ALIGN, SG_HWCACHE_ALIGN }, { SF_RED_ZONE, SG_RED_ZONE },
		{ SF_POISON, SG_POISON }, { SF_STORE_USER, SG_STORE_USER },
		{ SF_DESTROY_BY_RCU, SG_TYPESAFE_BY_RCU }, { SF_RECLAIM_ACCOUNT, SG_RECLAIM_ACCOUNT },
		{ SF_SANITY_CHECKS, SG_DEBUG }, { SF_TRACE, SG_DEBUG }, { SF_CACHE_DMA, SG_CACHE_DMA },
	};
	const char *n = c->name ? c->name : "";
	unsigned f = 0;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (c->flags & map[i].sf)
			f |= map[i].sg;
	if (c->ctor && c->ctor[0])
		f |= SG_CTOR;
	/* kmalloc-, kmalloc-cg-, kmalloc-rcl-, dma-kmalloc-, kmalloc-rnd-NN- */
	if (strncmp(n, "kmalloc-", 8) == 0 || strncmp(n, "dma-kmalloc-", 12) == 0)
		f |= SG_KMALLOC;
	return f;
}

void slab_geom_check(const struct slab_cache *c, const struct slab_geom_params *p, struct slab_geom_check *out)
{
	const unsigned need = SYS_OBJECT_SIZE | SYS_SLAB_SIZE | SYS_ALIGN | SYS_ORDER | SYS_OBJS_PER_SLAB | SYS_FLAGS;
	uint64_t size;

	memset(out, 0, sizeof(*out));
	if ((c->sys & need) != need)
		return;
	out->checkable = true;
	out->flags = slab_geom_cache_flags(c);
	out->min_align = slab_geom_align(out->flags, 0, c->object_size, p->cache_line);
	if (c->align < out->min_align || !pow2(c->align))
		out->mismatch |= SGC_ALIGN;
	if (slab_geom_size(c->object_size, pow2(c->align) ? c->align : WORD, out->flags, p, &size) < 0) {
		out->mismatch |= SGC_SLAB_SIZE;
		size = 0;
	}
	/* sysfs does not say whether an RCU cache declared its free pointer
	 * offset (kmem_cache_args.freeptr_offset, 6.12+); both layouts are
	 * the kernel's, so the one that matches is taken. */
	if (size != c->slab_size && (out->flags & SG_TYPESAFE_BY_RCU) && !(out->flags & SG_CTOR)) {
		uint64_t alt;

		if (slab_geom_size(c->object_size, c->align, out->flags | SG_FREEPTR_OFFSET, p, &alt) == 0 &&
		    alt == c->slab_size) {
			size = alt;
			out->freeptr_offset = true;
		}
	}
	out->want_slab_size = size;
	if (size != c->slab_size)
		out->mismatch |= SGC_SLAB_SIZE;
	/* Order and objects from the stride the kernel uses, so that a layout
	 * difference is not counted three times. */
	if (slab_geom_from_stride(c->slab_size, out->flags, p, &out->want) < 0) {
		out->mismatch |= SGC_ORDER | SGC_OBJS_PER_SLAB;
		return;
	}
	out->want.object_size = c->object_size;
	out->want.align = c->align;
	if (out->want.order != c->order)
		out->mismatch |= SGC_ORDER;
	if (out->want.objs_per_slab != c->objs_per_slab)
		out->mismatch |= SGC_OBJS_PER_SLAB;
	if ((c->sys & SYS_MIN_PARTIAL) && c->min_partial != out->want.min_partial)
		out->mismatch |= SGC_MIN_PARTIAL;
	if ((c->sys & SYS_CPU_PARTIAL) && c->cpu_partial != out->want.cpu_partial)
		out->mismatch |= SGC_CPU_PARTIAL;
}

/* ---- settings from the machine ----------------------------------------- */

static bool digits(const char **p, const char *end, unsigned long *v)
{
	const char *s = *p;
	unsigned long x = 0;

	if (s >= end || *s < '0' || *s > '9')
		return false;
	while (s < end && *s >= '0' && *s <= '9') {
		x = x * 10 + (unsigned long)(*s - '0');
		if (x > 1000000)
			return false;
		s++;
	}
	*p = s;
	*v = x;
	return true;
}

int slab_geom_cpulist(const char *s, size_t n, unsigned *count)
{
	const char *p = s, *end = s + n;
	unsigned long total = 0;

	while (end > p && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	if (p == end)
		return -EINVAL;
	while (p < end) {
		unsigned long a, b;

		if (!digits(&p, end, &a))
			return -EINVAL;
		b = a;
		if (p < end && *p == '-') {
			p++;
			if (!digits(&p, end, &b) || b < a)
				return -EINVAL;
		}
		total += b - a + 1;
		if (total > 1000000)
			return -EINVAL;
		if (p < end) {
			if (*p != ',')
				return -EINVAL;
			p++;
			if (p == end)
				return -EINVAL;
		}
	}
	*count = (unsigned)total;
	return 0;
}

unsigned slab_geom_cmdline(const char *s, size_t n, struct slab_geom_params *p)
{
	static const char *const keys[] = { "min_order=", "max_order=", "min_objects=" };
	const char *q = s, *end = s + n;
	unsigned found = 0;

	while (q < end) {
		const char *w = q, *we;

		while (w < end && (*w == ' ' || *w == '\n' || *w == '\t'))
			w++;
		we = w;
		while (we < end && *we != ' ' && *we != '\n' && *we != '\t')
			we++;
		q = we;
		if (we - w > 5 && (memcmp(w, "slab_", 5) == 0 || memcmp(w, "slub_", 5) == 0)) {
			for (unsigned k = 0; k < 3; k++) {
				size_t kl = strlen(keys[k]);
				const char *v = w + 5;
				unsigned long x;

				if ((size_t)(we - v) <= kl || memcmp(v, keys[k], kl) != 0)
					continue;
				v += kl;
				if (!digits(&v, we, &x) || v != we)
					break;
				found++;
				if (k == 0)
					p->min_order = x > p->max_page_order ? p->max_page_order : (unsigned)x;
				else if (k == 1)
					p->max_order = x > p->max_page_order ? p->max_page_order : (unsigned)x;
				else
					p->min_objects = (unsigned)x;
			}
		}
	}
	return found;
}
