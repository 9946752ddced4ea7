/*
 * machine.c - the simulated machine: zones, zonelists, watermarks, and
 * seeding from a machine's state.
 *
 * ALLOCATION follows get_page_from_freelist() and the first attempt of
 * the slow path, as analysis/alloc.c's predict does (the same code
 * decides): the zonelist of the mask on the task's node; a first pass
 * with the fast path's flags and ALLOC_NOFRAGMENT (when the kernel sets
 * it) on the local node's zones; the same flags without NOFRAGMENT on
 * every zone; then the slow path's flags (min watermark, reserves).  In
 * each zone the watermark check runs first (alloc_zone_check() on the
 * engine's current counts), then the engine's __rmqueue().  Reclaim,
 * compaction and kswapd are not simulated.  A claim below pageblock
 * order boosts the zone's watermarks as the kernel does; since nothing
 * reclaims the boost away, it is dropped once the zone's free pages
 * exceed high + boost, which is when kswapd would stop.
 *
 * SEEDING from state synthesizes a physical layout, because /proc tells
 * how many free blocks there are but not where:
 *
 *  1. Each zone spans [start_pfn, start_pfn + spanned) from zoneinfo.
 *     Holes (spanned - present pages) are not placed: where they are is
 *     not in /proc, and to the simulator a hole is the same as a page
 *     allocated before the run and never freed.
 *  2. Pageblock types come from pagetypeinfo's "Number of blocks type"
 *     counts, laid out in runs in the order Unmovable, Reclaimable,
 *     Movable, HighAtomic, CMA, Isolate from the zone's start (the
 *     kernel's early unmovable allocations sit low).  The kernel counts
 *     only pageblocks whose first page has memory; the pageblocks left
 *     over are holes, put at the zone's end, and hold no free block.
 *     Without the counts every pageblock is Movable and every free
 *     block goes there.
 *  3. Free blocks per order and migratetype come from pagetypeinfo
 *     (">100000" counts completed from buddyinfo, as predict does), or
 *     per order from buddyinfo.  "Reserve" (kernels before 4.4) is kept
 *     on the HighAtomic lists, which never merge with other types either.
 *  4. Placement walks each largest-order region as a binary tree, left
 *     to right: a node becomes a free block when its pages lie in the
 *     zone, in pageblocks of one type that still needs a block of that
 *     order, and its sibling is not free; otherwise it splits while
 *     smaller blocks are still needed in it, or stays allocated.  Two
 *     siblings are never both free, and every split node keeps at least
 *     one allocated page, so no two free buddies could merge: the layout
 *     is one the kernel could hold.  Blocks that do not fit are counted
 *     (unplaced) rather than forced.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"

#define MAX_ZL (FS_MAX_ZONES * 64)

/* Pageblock runs, low addresses first. */
static const enum alloc_mt layout_order[] = {
	MT_UNMOVABLE, MT_RECLAIMABLE, MT_MOVABLE, MT_HIGHATOMIC, MT_CMA, MT_ISOLATE,
};

struct placer {
	struct sim_zone *z;
	uint64_t need[SIM_NMT + 1][FS_MAX_ORDERS];  /* [SIM_PB_HOLE] stays 0 */
	uint32_t needmask[SIM_NMT + 1];   /* bit o: need[mt][o] > 0 */
	uint32_t vs, ve;              /* indices of the span [start, end) */
	int err;
};

/* The type of every pageblock of [i, i + 2^k), or -1 if they differ. */
static int node_type(const struct sim_zone *z, uint32_t i, unsigned k)
{
	unsigned t = z->pbmt[i >> z->pb_order];

	if (k > z->pb_order)
		for (size_t pb = (i >> z->pb_order) + 1, e = (i >> z->pb_order) + ((size_t)1 << (k - z->pb_order));
		     pb < e; pb++)
			if (z->pbmt[pb] != t)
				return -1;
	return (int)t;
}

/* Is a block of order below k still needed by a type of [i, i + 2^k)? */
static bool node_needs(const struct placer *p, uint32_t i, unsigned k)
{
	const struct sim_zone *z = p->z;
	uint32_t below = (1u << k) - 1;

	if (k <= z->pb_order)
		return p->needmask[z->pbmt[i >> z->pb_order]] & below;
	for (size_t pb = i >> z->pb_order, e = pb + ((size_t)1 << (k - z->pb_order)); pb < e; pb++)
		if (p->needmask[z->pbmt[pb]] & below)
			return true;
	return false;
}

/* Place blocks in the node [i, i + 2^k); true if the node became one free block. */
static bool place(struct placer *p, unsigned k, uint32_t i, bool sibling_free)
{
	uint32_t n = 1u << k;
	bool left;

	if (p->err || i >= p->ve || i + n <= p->vs)
		return false;
	if (!sibling_free && i >= p->vs && i + n <= p->ve) {
		int t = node_type(p->z, i, k);

		if (t >= 0 && p->need[t][k]) {
			int r = sim_zone_add_free(p->z, p->z->base + i, k, true);

			if (r < 0) {
				p->err = r;
				return false;
			}
			if (--p->need[t][k] == 0)
				p->needmask[t] &= ~(1u << k);
			return true;
		}
	}
	if (k == 0 || !node_needs(p, i, k))
		return false;
	left = place(p, k - 1, i, false);
	place(p, k - 1, i + n / 2, left);
	return false;
}

static enum alloc_mt sim_mt(enum alloc_mt mt)
{
	return mt == MT_RESERVE ? MT_HIGHATOMIC : mt;
}

#define NR_LAYOUT (sizeof(layout_order) / sizeof(layout_order[0]))

/* Pageblocks of each type from pagetypeinfo's counts; false without them. */
static bool pageblock_counts(const struct pagetypeinfo *pt, const struct alloc_zone *az, uint64_t *count)
{
	const struct pagetype_zone *pz = pt ? pagetypeinfo_find(pt, az->node, az->name) : NULL;

	if (!pz || !pz->has_blocks)
		return false;
	for (unsigned m = 0; m < pt->nr_mt; m++) {
		enum alloc_mt mt = alloc_mt_from_name(pt->mt_names[m]);

		if (mt < MT__COUNT)
			count[sim_mt(mt)] += pz->blocks[m];
	}
	return true;
}

/*
 * Lay the counted pageblocks out in runs, in the type order perm[0..n).
 * The kernel counts only pageblocks with memory at their first page: the
 * rest are holes, put at the zone's end (as the PCI hole ends DMA32 on
 * x86).  Returns the pageblocks typed.
 */
static uint64_t type_pageblocks(struct sim_zone *z, const uint64_t *count, const enum alloc_mt *perm, size_t n)
{
	size_t pb = (size_t)((z->start - z->base) >> z->pb_order);
	size_t last = (size_t)((z->end - 1 - z->base) >> z->pb_order);
	uint64_t typed = 0;

	for (size_t k = 0; k < n; k++) {
		enum alloc_mt mt = perm[k];

		for (uint64_t c = 0; c < count[mt] && pb <= last; c++, pb++) {
			z->pbmt[pb] = (uint8_t)mt;
			typed++;
		}
	}
	for (; pb <= last; pb++)
		z->pbmt[pb] = SIM_PB_HOLE;
	return typed;
}

/* The next permutation of p[0..n) in lexicographic order; false after the last. */
static bool next_perm(enum alloc_mt *p, size_t n)
{
	size_t i = n - 1, j = n - 1;

	if (n < 2)
		return false;
	while (i > 0 && p[i - 1] >= p[i])
		i--;
	if (i == 0)
		return false;
	while (p[j] <= p[i - 1])
		j--;
	enum alloc_mt t = p[i - 1];
	p[i - 1] = p[j];
	p[j] = t;
	for (size_t a = i, b = n - 1; a < b; a++, b--) {
		t = p[a];
		p[a] = p[b];
		p[b] = t;
	}
	return true;
}

/* Place sz->target in z; the blocks that did not fit go to sz->unplaced. */
static int place_all(struct sim_zone *z, struct sim_seed_zone *sz)
{
	struct placer *p = calloc(1, sizeof(*p));
	int r;

	if (!p)
		return -ENOMEM;
	p->z = z;
	memcpy(p->need, sz->target, sizeof(sz->target));
	for (int mt = 0; mt < SIM_NMT; mt++)
		for (unsigned o = 0; o < z->nr_orders; o++)
			if (p->need[mt][o])
				p->needmask[mt] |= 1u << o;
	p->vs = (uint32_t)(z->start - z->base);
	p->ve = (uint32_t)(z->end - z->base);
	for (uint32_t i = 0, top = 1u << (z->nr_orders - 1); i < z->npg && !p->err; i += top)
		place(p, z->nr_orders - 1, i, false);
	r = p->err;
	memcpy(sz->unplaced, p->need, sizeof(sz->unplaced));
	free(p);
	return r;
}

static uint64_t unplaced_blocks(const struct sim_seed_zone *sz)
{
	uint64_t n = 0;

	for (int mt = 0; mt < SIM_NMT; mt++)
		for (unsigned o = 0; o < FS_MAX_ORDERS; o++)
			n += sz->unplaced[mt][o];
	return n;
}

static int seed_zone(struct sim_machine *m, size_t idx, const struct zoneinfo *zi,
		     const struct pagetypeinfo *pt, uint64_t *prev_end, bool synth)
{
	struct alloc_zone *az = m->az[idx];
	struct sim_zone *z = &m->zones[idx];
	struct sim_seed_zone *sz = &m->seed[idx];
	const struct zone_info *src = zoneinfo_find(zi, az->node, az->name);
	uint64_t start, spanned, present = az->present, pbn = (uint64_t)1 << m->pb_order;
	uint64_t count[SIM_NMT] = { 0 }, best = UINT64_MAX;
	int r;

	if (src && (src->have & ZI_START_PFN)) {
		start = src->start_pfn;
	} else {
		start = *prev_end;
		sz->start_guessed = true;
	}
	spanned = src && (src->have & ZI_SPANNED) && src->spanned >= present ? src->spanned : present;
	if (spanned == 0)
		return 0;
	r = sim_zone_init(z, start, spanned, m->nr_orders, m->pb_order, MT_MOVABLE);
	if (r < 0)
		return r;
	*prev_end = start + spanned;
	z->node = az->node;
	z->kidx = az->kidx;
	snprintf(z->name, sizeof(z->name), "%s", az->name);
	z->managed = az->managed;
	sz->base_min = az->min - (az->boost <= az->min ? az->boost : 0);
	sz->base_low = az->low - (az->boost <= az->low ? az->boost : 0);
	sz->base_high = az->high - (az->boost <= az->high ? az->boost : 0);
	z->boost = az->boost;
	/* boost_watermark(): none when watermark_boost_factor is 0, and only
	 * in zones of at least 4 pageblocks. */
	if (m->boost_factor && az->managed >= 4 * pbn) {
		uint64_t cap = sz->base_high * m->boost_factor / 10000;

		z->boost_cap = cap > pbn ? cap : pbn;
	}

	sz->pageblocks = ((z->end - 1 - z->base) >> z->pb_order) - ((z->start - z->base) >> z->pb_order) + 1;
	sz->pageblocks_from_file = pageblock_counts(pt, az, count);
	sz->per_mt = az->have_mt && sz->pageblocks_from_file;
	for (unsigned o = 0; o < m->nr_orders; o++) {
		if (sz->per_mt) {
			uint64_t sum = 0;

			for (int mt = 0; mt < MT__COUNT; mt++) {
				sz->target[sim_mt((enum alloc_mt)mt)][o] += az->mt_free[mt][o];
				sum += az->mt_free[mt][o];
			}
			sz->buddy_minus_types[o] = (int64_t)az->nr_free[o] - (int64_t)sum;
		} else {
			sz->target[MT_MOVABLE][o] = az->nr_free[o];
		}
	}
	memcpy(sz->pb_count, count, sizeof(sz->pb_count));
	memcpy(sz->file_blocks, az->nr_free, sizeof(sz->file_blocks));
	if (src && (src->have & ZI_PAGESETS))
		sz->pcp_pages = src->pcp.count;
	if (!synth)
		return 0;
	if (!sz->pageblocks_from_file)
		return place_all(z, sz);
	/*
	 * The order of the runs decides which types share the partial
	 * pageblocks at the zone's ends and the largest-order regions that
	 * straddle two runs.  Try the usual order first (Unmovable,
	 * Reclaimable, Movable, ...), then every other order of the types
	 * present, until every block fits; keep the best otherwise.
	 */
	{
		enum alloc_mt perm[NR_LAYOUT], best_perm[NR_LAYOUT];
		size_t n = 0;
		bool first = true;

		for (size_t k = 0; k < NR_LAYOUT; k++)
			if (count[layout_order[k]])
				perm[n++] = layout_order[k];
		memcpy(best_perm, perm, sizeof(perm));
		for (;;) {
			uint64_t left;

			sim_zone_clear(z);
			sz->pageblocks_typed = type_pageblocks(z, count, perm, n);
			r = place_all(z, sz);
			if (r < 0)
				return r;
			left = unplaced_blocks(sz);
			if (left < best) {
				best = left;
				memcpy(best_perm, perm, sizeof(perm));
			}
			if (left == 0)
				return 0;
			/* Permutations in lexicographic order of the enum, from
			 * the smallest, skipping the usual order tried first. */
			if (first) {
				enum alloc_mt tmp[NR_LAYOUT];

				first = false;
				for (size_t a = 0, k = 0; k < MT_RESERVE; k++)
					if (count[k])
						tmp[a++] = (enum alloc_mt)k;
				memcpy(perm, tmp, sizeof(tmp));
			} else if (!next_perm(perm, n)) {
				break;
			}
		}
		memcpy(perm, best_perm, sizeof(perm));
		sim_zone_clear(z);
		sz->pageblocks_typed = type_pageblocks(z, count, perm, n);
	}
	/*
	 * Still some left: before 6.10 free pages could drift onto another
	 * type's list than their pageblock's (the ARM 3.4 capture lists 1,039
	 * free Reserve pages for one 1,024-page Reserve pageblock).  The
	 * engine keeps 6.10's rule, so those blocks go to the lists of a
	 * type with room, and the seed says so (retyped).
	 */
	r = place_all(z, sz);
	for (size_t h = 0; r == 0 && unplaced_blocks(sz) && h < 3; h++) {
		static const enum alloc_mt hosts[] = { MT_MOVABLE, MT_UNMOVABLE, MT_RECLAIMABLE };
		enum alloc_mt host = hosts[h];
		uint64_t left[SIM_NMT][FS_MAX_ORDERS];

		memcpy(left, sz->unplaced, sizeof(left));
		for (int mt = 0; mt < SIM_NMT; mt++) {
			for (unsigned o = 0; o < m->nr_orders; o++) {
				if (!left[mt][o] || mt == (int)host)
					continue;
				sz->target[mt][o] -= left[mt][o];
				sz->target[host][o] += left[mt][o];
				sz->retyped[mt][o] -= (int64_t)left[mt][o];
				sz->retyped[host][o] += (int64_t)left[mt][o];
			}
		}
		sim_zone_clear(z);
		r = place_all(z, sz);
	}
	return r;
}

static int seed(const struct zoneinfo *zi, const struct buddyinfo *bi, const struct pagetypeinfo *pt,
		const struct sysvm *vm, const struct numa *numa, const char *kernel_release, bool synth,
		struct sim_machine *out)
{
	uint64_t prev_end = 0;
	size_t n = 0;
	int r;

	memset(out, 0, sizeof(*out));
	r = alloc_model_build(zi, bi, pt, vm, numa, kernel_release, &out->am);
	if (r < 0)
		return r;
	out->nr_orders = out->am.nr_orders;
	out->boost_factor = vm && (vm->have & SYSVM_WATERMARK_BOOST_FACTOR) && vm->watermark_boost_factor >= 0 ?
			    (uint64_t)vm->watermark_boost_factor : 15000;
	out->pb_order = out->am.have_pageblock_order ? out->am.pageblock_order : 9;
	if (out->pb_order >= out->nr_orders)
		out->pb_order = out->nr_orders - 1;
	for (size_t i = 0; i < out->am.nn; i++)
		n += out->am.nodes[i].nz;
	out->zones = calloc(n ? n : 1, sizeof(*out->zones));
	out->az = calloc(n ? n : 1, sizeof(*out->az));
	out->seed = calloc(n ? n : 1, sizeof(*out->seed));
	if (!out->zones || !out->az || !out->seed) {
		sim_machine_free(out);
		return -ENOMEM;
	}
	for (size_t i = 0; i < out->am.nn; i++) {
		struct alloc_node *nd = &out->am.nodes[i];

		for (size_t k = 0; k < nd->nz; k++) {
			if (!nd->zones[k].populated)
				continue;
			out->az[out->nz] = &nd->zones[k];
			r = seed_zone(out, out->nz, zi, pt, &prev_end, synth);
			out->nz++;
			if (r < 0) {
				sim_machine_free(out);
				return r;
			}
		}
	}
	for (size_t i = 0; i < out->nz; i++)
		sim_machine_sync(out, i);
	return 0;
}

int sim_machine_seed(const struct zoneinfo *zi, const struct buddyinfo *bi,
		     const struct pagetypeinfo *pt, const struct sysvm *vm, const struct numa *numa,
		     const char *kernel_release, struct sim_machine *out)
{
	return seed(zi, bi, pt, vm, numa, kernel_release, true, out);
}

int sim_machine_seed_spans(const struct zoneinfo *zi, const struct buddyinfo *bi,
			   const struct pagetypeinfo *pt, const struct sysvm *vm, const struct numa *numa,
			   const char *kernel_release, struct sim_machine *out)
{
	return seed(zi, bi, pt, vm, numa, kernel_release, false, out);
}

/* ---- seeding from the real layout (kpageflags) ------------------------------ */

struct pb_score {
	uint32_t pb;
	uint32_t free, movable, kernel;
};

static int by_kernel_desc(const void *a, const void *b)
{
	const struct pb_score *x = a, *y = b;

	if (x->kernel != y->kernel)
		return x->kernel < y->kernel ? 1 : -1;
	return x->pb < y->pb ? -1 : x->pb > y->pb;
}

static int by_free_desc(const void *a, const void *b)
{
	const struct pb_score *x = a, *y = b;

	if (x->free != y->free)
		return x->free < y->free ? 1 : -1;
	return x->pb < y->pb ? -1 : x->pb > y->pb;
}

/*
 * Pageblock types for a layout read from the pages.  With pagetypeinfo's
 * counts: HighAtomic, CMA and Isolate go to the pageblocks with the most
 * free pages (reserves are mostly free), Unmovable then Reclaimable to
 * those with the most kernel pages, Movable to the rest, and pageblocks
 * without memory are holes.  Without the counts: Unmovable where kernel
 * pages outnumber movable ones.  An estimate: the kernel does not export
 * pageblock types.
 */
static int type_from_pages(struct sim_zone *z, const struct sim_seed_zone *sz, struct pb_score *sc, size_t n)
{
	static const enum alloc_mt by_free[] = { MT_HIGHATOMIC, MT_CMA, MT_ISOLATE };
	static const enum alloc_mt by_kernel[] = { MT_UNMOVABLE, MT_RECLAIMABLE };
	uint64_t left[SIM_NMT];
	size_t live = 0;

	for (size_t k = 0; k < n; k++) {
		if (sc[k].free + sc[k].movable + sc[k].kernel == 0) {
			z->pbmt[sc[k].pb] = SIM_PB_HOLE;
			continue;
		}
		sc[live++] = sc[k];
	}
	if (!sz->pageblocks_from_file) {
		for (size_t k = 0; k < live; k++)
			z->pbmt[sc[k].pb] = sc[k].kernel > sc[k].movable ? MT_UNMOVABLE : MT_MOVABLE;
		return 0;
	}
	memcpy(left, sz->pb_count, sizeof(left));
	for (size_t k = 0; k < live; k++)
		z->pbmt[sc[k].pb] = SIM_PB_HOLE;   /* unassigned for now */
	qsort(sc, live, sizeof(*sc), by_free_desc);
	for (size_t t = 0, k = 0; t < sizeof(by_free) / sizeof(by_free[0]); t++)
		for (; left[by_free[t]] && k < live; k++) {
			z->pbmt[sc[k].pb] = (uint8_t)by_free[t];
			left[by_free[t]]--;
		}
	qsort(sc, live, sizeof(*sc), by_kernel_desc);
	for (size_t t = 0, k = 0; t < sizeof(by_kernel) / sizeof(by_kernel[0]); t++)
		for (; left[by_kernel[t]] && k < live; k++) {
			if (z->pbmt[sc[k].pb] != SIM_PB_HOLE)
				continue;
			z->pbmt[sc[k].pb] = (uint8_t)by_kernel[t];
			left[by_kernel[t]]--;
		}
	for (size_t k = 0; k < live; k++)
		if (z->pbmt[sc[k].pb] == SIM_PB_HOLE)
			z->pbmt[sc[k].pb] = MT_MOVABLE;
	return 0;
}

int sim_machine_place_pages(struct sim_machine *m, size_t idx, const uint8_t *cls)
{
	struct sim_zone *z = &m->zones[idx];
	struct sim_seed_zone *sz = &m->seed[idx];
	uint64_t span = z->end - z->start, pbn = (uint64_t)1 << z->pb_order;
	size_t first = (size_t)((z->start - z->base) >> z->pb_order);
	size_t last = (size_t)((z->end - 1 - z->base) >> z->pb_order);
	size_t npb = last - first + 1, nblk = 0, cap = 0;
	struct pb_score *sc = calloc(npb, sizeof(*sc));
	uint64_t *blk = NULL;   /* index << 5 | order */
	unsigned top = z->nr_orders - 1;
	int r = 0;

	if (!sc)
		return -ENOMEM;
	sim_zone_clear(z);
	for (size_t k = 0; k < npb; k++)
		sc[k].pb = (uint32_t)(first + k);
	/* Score the pageblocks, and cut each run of free pages into the
	 * blocks the buddy allocator must be holding: the largest aligned
	 * block at each position (two free buddies would have merged). */
	for (uint64_t p = 0; p < span;) {
		uint32_t i = (uint32_t)(z->start - z->base + p);
		struct pb_score *s = &sc[(i >> z->pb_order) - first];

		if (cls[p] != PAGE_FREE) {
			if (cls[p] == PAGE_MOVABLE)
				s->movable++;
			else if (cls[p] == PAGE_KERNEL || cls[p] == PAGE_RESERVED || cls[p] == PAGE_BLANK)
				s->kernel++;
			p++;
			continue;
		}
		{
			uint64_t e = p;
			while (e < span && cls[e] == PAGE_FREE)
				e++;
			while (p < e) {
				unsigned o = top;

				i = (uint32_t)(z->start - z->base + p);
				while (o > 0 && ((i & ((1u << o) - 1)) || p + ((uint64_t)1 << o) > e))
					o--;
				if (nblk == cap) {
					size_t nc = cap ? cap * 2 : 4096;
					uint64_t *nb = realloc(blk, nc * sizeof(*nb));

					if (!nb) {
						r = -ENOMEM;
						goto out;
					}
					blk = nb;
					cap = nc;
				}
				blk[nblk++] = (uint64_t)i << 5 | o;
				for (uint64_t q = 0; q < ((uint64_t)1 << o); q += (o > z->pb_order ? pbn : ((uint64_t)1 << o)))
					sc[((i + q) >> z->pb_order) - first].free +=
						(uint32_t)(o > z->pb_order ? pbn : ((uint64_t)1 << o));
				p += (uint64_t)1 << o;
			}
		}
	}
	/* Movable in-use pages per pageblock, for claims (before the
	 * scores are sorted). */
	for (size_t k = 0; k < npb; k++)
		z->pbmov[first + k] = (uint16_t)(sc[k].movable < pbn ? sc[k].movable : pbn);
	r = type_from_pages(z, sz, sc, npb);
	if (r < 0)
		goto out;
	/* A block larger than a pageblock lies in pageblocks of one type. */
	for (size_t k = 0; k < nblk; k++) {
		unsigned o = (unsigned)(blk[k] & 31);

		if (o > z->pb_order)
			sim_zone_set_pb_mt(z, z->base + (blk[k] >> 5), o, sim_zone_pb_mt(z, z->base + (blk[k] >> 5)));
	}
	memset(sz->target, 0, sizeof(sz->target));
	for (size_t k = 0; k < nblk; k++) {
		uint32_t i = (uint32_t)(blk[k] >> 5);
		unsigned o = (unsigned)(blk[k] & 31);

		r = sim_zone_add_free(z, z->base + i, o, true);
		if (r < 0)
			goto out;
		sz->target[z->pbmt[i >> z->pb_order]][o]++;
	}
	sz->from_pages = true;
	sz->per_mt = false;
	memset(sz->unplaced, 0, sizeof(sz->unplaced));
	memset(sz->retyped, 0, sizeof(sz->retyped));
	for (unsigned o = 0; o < m->nr_orders; o++)
		sz->pages_minus_file[o] = (int64_t)sim_zone_blocks(z, o) - (int64_t)sz->file_blocks[o];
	sim_machine_sync(m, idx);
out:
	free(sc);
	free(blk);
	return r;
}

void sim_machine_free(struct sim_machine *m)
{
	for (size_t i = 0; m->pcp && i < m->nz; i++)
		for (unsigned o = 0; o < SIM_PCP_ORDERS; o++)
			for (unsigned t = 0; t < 3; t++)
				free(m->pcp[i].list[o][t].pfn);
	free(m->pcp);
	for (size_t i = 0; i < m->nz; i++)
		sim_zone_free_all(&m->zones[i]);
	free(m->zones);
	free(m->az);
	free(m->seed);
	alloc_model_free(&m->am);
	memset(m, 0, sizeof(*m));
}

uint64_t sim_machine_blocks(const struct sim_machine *m, size_t i, unsigned o)
{
	return sim_zone_blocks(&m->zones[i], o);
}

void sim_machine_sync(struct sim_machine *m, size_t i)
{
	struct sim_zone *z = &m->zones[i];
	const struct sim_seed_zone *sz = &m->seed[i];
	struct alloc_zone *az = m->az[i];

	if (z->boost && z->free_pages > sz->base_high + z->boost)
		z->boost = 0;
	sim_zone_export(z, az);
	az->min = sz->base_min + z->boost;
	az->low = sz->base_low + z->boost;
	az->high = sz->base_high + z->boost;
}

static int zone_index(const struct sim_machine *m, const struct alloc_zone *az)
{
	for (size_t i = 0; i < m->nz; i++)
		if (m->az[i] == az)
			return (int)i;
	return -1;
}

enum alloc_mt sim_gfp_migratetype(uint32_t gfp)
{
	return alloc_gfp_migratetype(gfp);
}

/* ---- per-CPU lists ------------------------------------------------------------ */

static int pcp_push(struct sim_pcp_list *l, uint64_t pfn)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		uint64_t *p = realloc(l->pfn, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		l->pfn = p;
		l->cap = cap;
	}
	l->pfn[l->n++] = pfn;
	return 0;
}

/* free_pcppages_bulk(): return about batch pages, oldest first, from each
 * list in turn, to the free lists. */
static void pcp_drain(struct sim_machine *m, size_t zi, uint64_t pages)
{
	struct sim_pcp *pc = &m->pcp[zi];
	uint64_t freed = 0;
	bool any = true;

	pc->drains++;
	while (freed < pages && any) {
		any = false;
		for (unsigned o = 0; o < SIM_PCP_ORDERS && freed < pages; o++) {
			for (unsigned t = 0; t < 3 && freed < pages; t++) {
				struct sim_pcp_list *l = &pc->list[o][t];

				if (!l->n)
					continue;
				sim_zone_free(&m->zones[zi], l->pfn[0], o, MT_UNMOVABLE);
				memmove(l->pfn, l->pfn + 1, (l->n - 1) * sizeof(*l->pfn));
				l->n--;
				pc->count -= (uint64_t)1 << o;
				freed += (uint64_t)1 << o;
				any = true;
			}
		}
	}
}

static int64_t pcp_alloc(struct sim_machine *m, size_t zi, unsigned order, enum alloc_mt mt, unsigned flags)
{
	struct sim_pcp *pc = &m->pcp[zi];
	struct sim_pcp_list *l = &pc->list[order][mt];
	uint64_t pfn;

	if (!l->n) {
		/* rmqueue_bulk(): batch blocks (at least 2 above order 0). */
		uint64_t want = pc->batch >> order > 2 ? pc->batch >> order : 2;

		pc->refills++;
		for (uint64_t k = 0; k < want; k++) {
			int64_t p = sim_zone_rmqueue(&m->zones[zi], order, mt, flags);

			if (p < 0)
				break;
			/* Refilled pages are nobody's yet. */
			if (mt == MT_MOVABLE)
				sim_zone_account_movable(&m->zones[zi], (uint64_t)p, order, -1);
			if (pcp_push(l, (uint64_t)p) < 0) {
				sim_zone_free(&m->zones[zi], (uint64_t)p, order, MT_UNMOVABLE);
				break;
			}
			pc->count += (uint64_t)1 << order;
		}
		if (!l->n)
			return -1;
	}
	pfn = l->pfn[--l->n];
	pc->count -= (uint64_t)1 << order;
	if (mt == MT_MOVABLE)
		sim_zone_account_movable(&m->zones[zi], pfn, order, 1);
	return (int64_t)pfn;
}

static void pcp_free(struct sim_machine *m, size_t zi, uint64_t pfn, unsigned order, enum alloc_mt mt)
{
	struct sim_pcp *pc = &m->pcp[zi];
	enum alloc_mt pt = sim_zone_pb_mt(&m->zones[zi], pfn);

	if (mt == MT_MOVABLE)
		sim_zone_account_movable(&m->zones[zi], pfn, order, -1);
	/* HighAtomic and CMA pages go to the Movable list; Isolate bypasses. */
	if (pt == MT_ISOLATE || pt >= SIM_NMT) {
		sim_zone_free(&m->zones[zi], pfn, order, MT_UNMOVABLE);
		return;
	}
	if (pt >= MT_HIGHATOMIC)
		pt = MT_MOVABLE;
	if (pcp_push(&pc->list[order][pt], pfn) < 0) {
		sim_zone_free(&m->zones[zi], pfn, order, MT_UNMOVABLE);
		return;
	}
	pc->count += (uint64_t)1 << order;
	if (pc->count >= pc->high)
		pcp_drain(m, zi, pc->batch);
}

int sim_machine_enable_pcp(struct sim_machine *m, const struct zoneinfo *zi)
{
	m->pcp = calloc(m->nz ? m->nz : 1, sizeof(*m->pcp));
	if (!m->pcp)
		return -ENOMEM;
	for (size_t i = 0; i < m->nz; i++) {
		const struct zone_info *z = zi ? zoneinfo_find(zi, m->zones[i].node, m->zones[i].name) : NULL;
		struct sim_pcp *pc = &m->pcp[i];

		pc->batch = z && (z->have & ZI_PAGESETS) && z->pcp.batch_max ? z->pcp.batch_max : 63;
		pc->high = z && (z->have & ZI_PAGESETS) && z->pcp.high_min_max ? z->pcp.high_min_max :
			   z && (z->have & ZI_PAGESETS) && z->pcp.nr && z->pcp.high ? z->pcp.high / z->pcp.nr : 378;
		if (pc->high < 4 * pc->batch)
			pc->high = 4 * pc->batch;
	}
	return 0;
}

void sim_machine_alloc(struct sim_machine *m, uint32_t gfp, unsigned order, int node, struct sim_alloc *out)
{
	struct alloc_zone *zl[MAX_ZL];
	struct alloc_node *pref = alloc_model_node(&m->am, node);
	enum alloc_mt mt = alloc_gfp_migratetype(gfp);
	unsigned ff, fs;
	int n, hz;

	out->pfn = -1;
	out->zone = -1;
	out->slow = false;
	out->outcome = ALLOC_FAIL;
	n = pref ? alloc_zonelist(&m->am, node, gfp, zl, MAX_ZL) : -ENOENT;
	if (n <= 0 || order >= m->nr_orders)
		return;
	hz = alloc_highest_zone(pref, gfp);
	ff = alloc_flags_fast(&m->am, pref, gfp);
	fs = alloc_flags_slow(&m->am, gfp, order);
	for (int pass = 0; pass < 3; pass++) {
		unsigned flags = pass == 2 ? fs : ff;

		if (pass == 0 && !(flags & ALLOC_NOFRAGMENT))
			continue;
		if (pass == 1)
			flags &= ~(unsigned)ALLOC_NOFRAGMENT;
		for (int k = 0; k < n; k++) {
			int i = zone_index(m, zl[k]);
			struct alloc_check c;
			int64_t pfn;

			if (pass == 0 && zl[k]->node != node)
				break;
			if (i < 0)
				continue;
			sim_machine_sync(m, (size_t)i);
			alloc_zone_check(&m->am, zl[k], order, hz, flags, &c);
			if (!c.ok)
				continue;
			pfn = m->pcp && order < SIM_PCP_ORDERS && mt < MT_HIGHATOMIC ?
			      pcp_alloc(m, (size_t)i, order, mt, flags) :
			      sim_zone_rmqueue(&m->zones[i], order, mt, flags);
			if (pfn < 0)
				continue;
			out->pfn = pfn;
			out->zone = i;
			out->slow = pass == 2;
			out->outcome = pass == 2 ? ALLOC_OK_SLOW : ALLOC_OK_FAST;
			return;
		}
	}
	for (int k = 0; k < n; k++) {
		int i = zone_index(m, zl[k]);

		if (i >= 0)
			sim_machine_sync(m, (size_t)i);
	}
	out->outcome = alloc_failure_outcome(&m->am, node, gfp, order, zl, (size_t)n);
}

void sim_machine_free_block(struct sim_machine *m, int zone, int64_t pfn, unsigned order, uint32_t gfp)
{
	enum alloc_mt mt = alloc_gfp_migratetype(gfp);

	if (m->pcp && order < SIM_PCP_ORDERS) {
		pcp_free(m, (size_t)zone, (uint64_t)pfn, order, mt);
		return;
	}
	sim_zone_free(&m->zones[zone], (uint64_t)pfn, order, mt);
}

int sim_machine_check(const struct sim_machine *m, char *why, size_t size)
{
	for (size_t i = 0; i < m->nz; i++) {
		char one[256];
		int r = sim_zone_check(&m->zones[i], one, sizeof(one));

		if (r < 0) {
			snprintf(why, size, "node %d zone %s: %s", m->zones[i].node, m->zones[i].name, one);
			return r;
		}
		for (unsigned o = 0; m->pcp && o < SIM_PCP_ORDERS; o++)
			for (unsigned t = 0; t < 3; t++)
				for (size_t k = 0; k < m->pcp[i].list[o][t].n; k++)
					if (sim_zone_page_free(&m->zones[i], m->pcp[i].list[o][t].pfn[k])) {
						snprintf(why, size, "node %d zone %s: pfn %llu is on a per-CPU list and free",
							 m->zones[i].node, m->zones[i].name,
							 (unsigned long long)m->pcp[i].list[o][t].pfn[k]);
						return -EUCLEAN;
					}
	}
	return 0;
}
