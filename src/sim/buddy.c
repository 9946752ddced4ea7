/*
 * buddy.c - the buddy allocator simulator's engine.
 *
 * This models one zone of the kernel's page allocator as mm/page_alloc.c
 * keeps it in 6.15 to 6.18 (reference/kernel.md section 3).  A later
 * layer strings zones into nodes and zonelists and asks alloc.c's
 * watermark check before each allocation; this file only keeps the free
 * lists.
 *
 * STATE
 *
 * Page frame numbers are absolute, as in the kernel: a free block of order
 * o starts at a pfn that is a multiple of 2^o.  The zone's arrays are
 * indexed by i = pfn - base, where base is the zone's first pfn rounded
 * down to the largest block size, so a block's buddy (i XOR 2^o) always
 * has an index and the alignment of i is the alignment of pfn.
 *
 *   st[i]     1 + o when i heads a free block of order o, else 0.  Pages
 *             inside a free block, allocated pages and pages outside the
 *             span (or in holes) are all 0: only heads matter, as only
 *             PageBuddy heads matter to the kernel.
 *   nd[i]     at a head, the block's node: its list links (next and prev
 *             nodes) and its index.  Nodes come from a pool that holds as
 *             many as there are free blocks (a stack of unused ones, so
 *             the same operations give the same nodes).  The links live
 *             in the pool, not per page: a free list's neighbours are
 *             found without touching their pages' state, and the
 *             per-page arrays (st and nd, 5 bytes a page) stay small
 *             enough that W1's random frees miss the cache less (with
 *             the links per page, 8 more bytes a page, W1 ran a third
 *             slower).
 *   pbmt[pb]  the pageblock's migratetype (pb = i >> pb_order), or
 *             SIM_PB_HOLE for a pageblock with no memory.
 *   pbmov[pb] pages of the pageblock held by movable allocations: what
 *             the kernel counts as "movable" (LRU) pages when it decides
 *             whether a fallback may claim the pageblock.
 *
 * Free lists are doubly linked per (order, migratetype) with head and
 * tail, and mask[mt] has bit o set while list (o, mt) is not empty, so
 * finding the smallest sufficient order is one count-trailing-zeros.
 * Memory: 5 bytes per page, 12 per free block and 3 per pageblock; a
 * 1 TiB zone of 4 KiB pages needs about 1.3 GiB plus its free blocks
 * (the pool is mapped for one node a page, and only the nodes used are
 * ever touched).
 *
 * ALLOCATION (sim_zone_rmqueue: rmqueue_buddy, __rmqueue)
 *
 *  1. With ALLOC_HIGHATOMIC, first the smallest HighAtomic block.
 *  2. CMA balancing: with ALLOC_CMA and more than half the free pages in
 *     CMA, the CMA lists first.
 *  3. NORMAL: the smallest order >= the request with a block on the
 *     request's list; take the list head and split it (expand): the
 *     upper halves go back, largest last, to the heads of the lists of
 *     their orders, and the caller gets the lowest 2^order pages.
 *  4. CMA lists, with ALLOC_CMA.
 *  5. CLAIM: from the largest order down to the request's (the pageblock
 *     order under ALLOC_NOFRAGMENT), the head of the first non-empty list
 *     of the fallback table (Unmovable: Reclaimable, Movable; Movable:
 *     Reclaimable, Unmovable; Reclaimable: Unmovable, Movable).  Orders
 *     too small to be worth claiming stop the search
 *     (should_try_claim_block).  A block of pageblock order or more is
 *     relabelled whole.  A smaller one boosts the watermark, and its
 *     pageblock changes type only if its free pages plus the in-use
 *     pages "alike" the request reach half the pageblock; then all the
 *     pageblock's free blocks move to the request's lists and step 3
 *     runs again.
 *  6. STEAL, unless ALLOC_NOFRAGMENT: from the request's order up, the
 *     first fallback list with a block; split it on the fallback's own
 *     lists (the pageblock keeps its type: a mixed pageblock).
 *  7. With ALLOC_OOM or ALLOC_NON_BLOCK, the HighAtomic lists last.
 *  After success with ALLOC_HIGHATOMIC, the pageblock may become a
 *  HighAtomic reserve (at most about 1 % of the zone).
 *
 * FREEING (sim_zone_free: free_one_page, __free_one_page)
 *
 * A block larger than a pageblock is freed a pageblock at a time, each
 * piece with its own pageblock's type.  While the buddy (i XOR 2^o) heads
 * a free block of exactly order o, remove the buddy from its list and
 * continue with the merged block one order up.  From the pageblock order
 * on, blocks of different types merge only when both are Unmovable,
 * Movable or Reclaimable, and the buddy's pageblocks are relabelled.
 * The result goes to the list's tail when its order+1 buddy is free (a
 * merge is likely soon: keep it cold), else to the head.
 *
 * INVARIANTS (sim_zone_check)
 *
 *  I1 every listed block has st[head] = 1 + o and nd[head] = its node, is
 *     aligned to 2^o, and lies inside the span;
 *  I2 free blocks do not overlap, and st is 0 except at listed heads;
 *  I3 no free block could merge with its buddy (merging is never left
 *     undone);
 *  I4 every pageblock a free block touches has the list's migratetype
 *     (6.10+ keeps free pages on their pageblock's list);
 *  I5 nr_free, mask, free_pages, free_cma and free_highatomic agree with
 *     the lists, and pbmov never exceeds the pageblock.
 *
 * Everything is deterministic: no randomness, no clock, no I/O.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "buddy.h"

/*
 * The per-page arrays are large and read at random, so they are mapped
 * with transparent huge pages where the kernel allows it (madvise mode):
 * with 4 KiB pages most steps paid a TLB miss, and W1 ran at 18 rather
 * than 28 million steps a second.  Anonymous mappings start zeroed.
 */
void *sim_big_alloc(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
#ifdef MADV_HUGEPAGE
	if (n >= (2u << 20))
		(void)madvise(p, n, MADV_HUGEPAGE);
#endif
	return p;
}

void sim_big_free(void *p, size_t n)
{
	if (p)
		munmap(p, n);
}

static inline bool mergeable(unsigned mt)
{
	return mt < MT_HIGHATOMIC;
}

static inline void account(struct sim_zone *z, unsigned mt, int64_t n)
{
	if (mt != MT_ISOLATE)
		z->free_pages += (uint64_t)n;
	if (mt == MT_CMA)
		z->free_cma += (uint64_t)n;
	else if (mt == MT_HIGHATOMIC)
		z->free_highatomic += (uint64_t)n;
}

static inline uint32_t node_get(struct sim_zone *z)
{
	uint32_t n = z->pool_free;

	if (n != SIM_NIL) {
		z->pool_free = z->pool[n].next;
		return n;
	}
	return z->npool++;   /* the pool has a node for every page */
}

static inline void node_put(struct sim_zone *z, uint32_t n)
{
	z->pool[n].next = z->pool_free;
	z->pool_free = n;
}

static inline void list_add(struct sim_zone *z, uint32_t i, unsigned o, unsigned mt, bool tail)
{
	uint32_t n = node_get(z), h = z->head[o][mt];
	struct sim_node *l = &z->pool[n];

	z->st[i] = (uint8_t)(o + 1);
	z->nd[i] = n;
	l->pg = i;
	if (h == SIM_NIL) {
		l->next = l->prev = SIM_NIL;
		z->head[o][mt] = z->tail[o][mt] = n;
		z->mask[mt] |= 1u << o;
	} else if (tail) {
		uint32_t t = z->tail[o][mt];

		l->prev = t;
		l->next = SIM_NIL;
		z->pool[t].next = n;
		z->tail[o][mt] = n;
	} else {
		l->next = h;
		l->prev = SIM_NIL;
		z->pool[h].prev = n;
		z->head[o][mt] = n;
	}
	z->nr_free[o][mt]++;
	account(z, mt, (int64_t)1 << o);
}

/* Unlink node n, the block at index i (a caller that took n from a list
 * head need not look it up in nd: one cache miss less). */
static inline void list_del_node(struct sim_zone *z, uint32_t n, uint32_t i, unsigned o, unsigned mt)
{
	struct sim_node *l = &z->pool[n];

	if (l->prev == SIM_NIL)
		z->head[o][mt] = l->next;
	else
		z->pool[l->prev].next = l->next;
	if (l->next == SIM_NIL)
		z->tail[o][mt] = l->prev;
	else
		z->pool[l->next].prev = l->prev;
	if (z->head[o][mt] == SIM_NIL)
		z->mask[mt] &= ~(1u << o);
	node_put(z, n);
	z->st[i] = 0;
	z->nr_free[o][mt]--;
	account(z, mt, -((int64_t)1 << o));
}

static inline void list_del(struct sim_zone *z, uint32_t i, unsigned o, unsigned mt)
{
	list_del_node(z, z->nd[i], i, o, mt);
}

/* move_to_free_list(): to the tail of another type's list. */
static void list_move(struct sim_zone *z, uint32_t i, unsigned o, unsigned from, unsigned to)
{
	list_del(z, i, o, from);
	list_add(z, i, o, to, true);
}

/* Set the type of every pageblock [i, i + 2^o) touches. */
static void set_pb_range(struct sim_zone *z, uint32_t i, unsigned o, unsigned mt)
{
	if (o <= z->pb_order) {
		z->pbmt[i >> z->pb_order] = (uint8_t)mt;
		return;
	}
	for (size_t pb = i >> z->pb_order, e = pb + ((size_t)1 << (o - z->pb_order)); pb < e; pb++)
		z->pbmt[pb] = (uint8_t)mt;
}

static void pbmov_add(struct sim_zone *z, uint32_t i, unsigned o, int sign)
{
	if (o <= z->pb_order) {
		z->pbmov[i >> z->pb_order] = (uint16_t)(z->pbmov[i >> z->pb_order] + sign * (1 << o));
		return;
	}
	for (size_t pb = i >> z->pb_order, e = pb + ((size_t)1 << (o - z->pb_order)); pb < e; pb++)
		z->pbmov[pb] = (uint16_t)(z->pbmov[pb] + sign * (1 << z->pb_order));
}

/* expand(): split a block of order high taken at i down to order low. */
static inline void expand(struct sim_zone *z, uint32_t i, unsigned low, unsigned high, unsigned mt)
{
	while (high > low) {
		high--;
		list_add(z, i + (1u << high), high, mt, false);
	}
}

/* __rmqueue_smallest(). */
static inline uint32_t rmqueue_smallest(struct sim_zone *z, unsigned o, unsigned mt)
{
	uint32_t m = z->mask[mt] >> o, i, n;
	unsigned cur;

	if (!m)
		return SIM_NIL;
	cur = o + (unsigned)__builtin_ctz(m);
	n = z->head[cur][mt];
	i = z->pool[n].pg;
	list_del_node(z, n, i, cur, mt);
	expand(z, i, o, cur, mt);
	return i;
}

static const uint8_t fallbacks[3][2] = {
	[MT_UNMOVABLE] = { MT_RECLAIMABLE, MT_MOVABLE },
	[MT_MOVABLE] = { MT_RECLAIMABLE, MT_UNMOVABLE },
	[MT_RECLAIMABLE] = { MT_UNMOVABLE, MT_MOVABLE },
};

static bool should_try_claim(const struct sim_zone *z, unsigned o, unsigned mt)
{
	return o >= z->pb_order || o >= z->pb_order / 2 || mt == MT_RECLAIMABLE ||
	       mt == MT_UNMOVABLE || !z->mobility_grouping;
}

/* find_suitable_fallback(): the fallback type with a block at order o,
 * -1 if none, -2 if a claim should not be tried at this order. */
static int suitable_fallback(const struct sim_zone *z, unsigned o, unsigned mt, bool claim)
{
	if (claim && !should_try_claim(z, o, mt))
		return -2;
	for (int k = 0; k < 2; k++) {
		unsigned f = fallbacks[mt][k];

		if (z->mask[f] & (1u << o))
			return (int)f;
	}
	return -1;
}

static void boost_watermark(struct sim_zone *z)
{
	uint64_t pbn = (uint64_t)1 << z->pb_order;

	if (!z->boost_cap)
		return;
	z->boost = z->boost + pbn < z->boost_cap ? z->boost + pbn : z->boost_cap;
}

/* __move_freepages_block(): every free block of the pageblock at s to
 * the other type's lists, and the pageblock relabelled. */
static void move_freepages_block(struct sim_zone *z, uint32_t s, unsigned from, unsigned to)
{
	for (uint32_t k = s, e = s + (1u << z->pb_order); k < e;) {
		if (z->st[k]) {
			unsigned ko = z->st[k] - 1u;

			list_move(z, k, ko, from, to);
			k += 1u << ko;
		} else {
			k++;
		}
	}
	z->pbmt[s >> z->pb_order] = (uint8_t)to;
}

/* try_to_claim_block(). */
static uint32_t try_claim(struct sim_zone *z, uint32_t i, unsigned cur, unsigned o, unsigned mt,
			  unsigned block_mt)
{
	uint32_t pbn = 1u << z->pb_order, s, e, free = 0, alike;
	uint64_t pfn;

	if (cur >= z->pb_order) {
		list_del(z, i, cur, block_mt);
		set_pb_range(z, i, cur, mt);
		expand(z, i, o, cur, mt);
		z->stats.claims++;
		z->stats.claims_whole++;
		return i;
	}
	boost_watermark(z);
	/* prep_move_freepages_block(): the pageblock must lie in the zone. */
	s = i & ~(pbn - 1);
	e = s + pbn;
	pfn = z->base + s;
	if (pfn < z->start || pfn + pbn > z->end)
		return SIM_NIL;
	for (uint32_t k = s; k < e;) {
		if (z->st[k]) {
			free += 1u << (z->st[k] - 1);
			k += 1u << (z->st[k] - 1);
		} else {
			k++;
		}
	}
	if (mt == MT_MOVABLE)
		alike = z->pbmov[s >> z->pb_order];
	else if (block_mt == MT_MOVABLE && free + z->pbmov[s >> z->pb_order] <= pbn)
		alike = pbn - free - z->pbmov[s >> z->pb_order];
	else
		alike = 0;
	if (free + alike < pbn / 2 && z->mobility_grouping)
		return SIM_NIL;
	move_freepages_block(z, s, block_mt, mt);
	z->stats.claims++;
	return rmqueue_smallest(z, o, mt);
}

/* __rmqueue_claim(). */
static uint32_t rmqueue_claim(struct sim_zone *z, unsigned o, unsigned mt, unsigned flags)
{
	unsigned min_order = o;

	if (o < z->pb_order && (flags & ALLOC_NOFRAGMENT))
		min_order = z->pb_order;
	for (int cur = (int)z->nr_orders - 1; cur >= (int)min_order; cur--) {
		int f = suitable_fallback(z, (unsigned)cur, mt, true);
		uint32_t i;

		if (f == -1)
			continue;
		if (f == -2)
			break;
		i = try_claim(z, z->pool[z->head[cur][f]].pg, (unsigned)cur, o, mt, (unsigned)f);
		if (i != SIM_NIL)
			return i;
	}
	return SIM_NIL;
}

/* __rmqueue_steal(). */
static uint32_t rmqueue_steal(struct sim_zone *z, unsigned o, unsigned mt)
{
	for (unsigned cur = o; cur < z->nr_orders; cur++) {
		int f = suitable_fallback(z, cur, mt, false);
		uint32_t i, n;

		if (f < 0)
			continue;
		n = z->head[cur][f];
		i = z->pool[n].pg;
		list_del_node(z, n, i, cur, (unsigned)f);
		expand(z, i, o, cur, (unsigned)f);
		z->stats.steals++;
		return i;
	}
	return SIM_NIL;
}


/* reserve_highatomic_pageblock(). */
static void reserve_highatomic(struct sim_zone *z, uint32_t i, unsigned o)
{
	uint64_t pbn = (uint64_t)1 << z->pb_order, max;
	unsigned mt = z->pbmt[i >> z->pb_order];

	if (z->managed / 100 < pbn)
		return;
	max = (z->managed / 100 + pbn - 1) / pbn * pbn;
	if (z->reserved_highatomic >= max || !mergeable(mt))
		return;
	if (o < z->pb_order) {
		uint32_t s = i & ~((uint32_t)pbn - 1);
		uint64_t pfn = z->base + s;

		if (pfn < z->start || pfn + pbn > z->end)
			return;
		move_freepages_block(z, s, mt, MT_HIGHATOMIC);
		z->reserved_highatomic += pbn;
	} else {
		set_pb_range(z, i, o, MT_HIGHATOMIC);
		z->reserved_highatomic += (uint64_t)1 << o;
	}
	z->stats.highatomic_reserved++;
}

int64_t sim_zone_rmqueue(struct sim_zone *z, unsigned order, enum alloc_mt mt, unsigned flags)
{
	uint32_t i = SIM_NIL;

	if (order >= z->nr_orders || mt >= SIM_NMT)
		return -1;
	if (flags & ALLOC_HIGHATOMIC)
		i = rmqueue_smallest(z, order, MT_HIGHATOMIC);
	if (i == SIM_NIL && (flags & ALLOC_CMA) && z->free_cma > z->free_pages / 2)
		i = rmqueue_smallest(z, order, MT_CMA);
	if (i == SIM_NIL)
		i = rmqueue_smallest(z, order, mt);
	if (i == SIM_NIL && mt < MT_HIGHATOMIC) {
		if (flags & ALLOC_CMA)
			i = rmqueue_smallest(z, order, MT_CMA);
		if (i == SIM_NIL)
			i = rmqueue_claim(z, order, mt, flags);
		if (i == SIM_NIL && !(flags & ALLOC_NOFRAGMENT))
			i = rmqueue_steal(z, order, mt);
	}
	if (i == SIM_NIL && (flags & (ALLOC_OOM | ALLOC_NON_BLOCK)))
		i = rmqueue_smallest(z, order, MT_HIGHATOMIC);
	if (i == SIM_NIL)
		return -1;
	if (mt == MT_MOVABLE)
		pbmov_add(z, i, order, 1);
	if (flags & ALLOC_HIGHATOMIC)
		reserve_highatomic(z, i, order);
	return (int64_t)(z->base + i);
}

/* __free_one_page(). */
static void free_one(struct sim_zone *z, uint32_t i, unsigned o, unsigned mt)
{
	unsigned top = z->nr_orders - 1;
	bool tail = false;

	/* A hole has no memory to free (a caller's mistake; ignore it). */
	if (mt >= SIM_NMT)
		return;
	while (o < top) {
		uint32_t b = i ^ (1u << o);
		unsigned bmt;

		if (z->st[b] != o + 1)
			break;
		if (o < z->pb_order) {
			bmt = mt;   /* same pageblock */
		} else {
			bmt = z->pbmt[b >> z->pb_order];
			if (bmt != mt && (!mergeable(mt) || !mergeable(bmt)))
				break;
		}
		list_del(z, b, o, bmt);
		if (bmt != mt)
			set_pb_range(z, b, o, mt);
		i &= b;
		o++;
	}
	/* buddy_merge_likely(): is the order+1 buddy of the merged block free? */
	if (o + 1 < top) {
		uint32_t hb = (i & ~(1u << o)) ^ (1u << (o + 1));

		tail = z->st[hb] == o + 2;
	}
	list_add(z, i, o, mt, tail);
}

void sim_zone_free(struct sim_zone *z, uint64_t pfn, unsigned order, enum alloc_mt mt)
{
	uint32_t i = (uint32_t)(pfn - z->base);

	if (mt == MT_MOVABLE)
		pbmov_add(z, i, order, -1);
	if (order <= z->pb_order) {
		free_one(z, i, order, z->pbmt[i >> z->pb_order]);
		return;
	}
	/* split_large_buddy(): a pageblock at a time, each with its own type. */
	for (uint32_t k = 0, n = 1u << (order - z->pb_order); k < n; k++) {
		uint32_t s = i + (k << z->pb_order);

		free_one(z, s, z->pb_order, z->pbmt[s >> z->pb_order]);
	}
}

int sim_zone_take(struct sim_zone *z, uint64_t pfn, unsigned order, enum alloc_mt mt)
{
	uint32_t i, h = 0;
	unsigned o, bo = 0;
	bool found = false;

	if (order >= z->nr_orders || pfn < z->start || pfn + ((uint64_t)1 << order) > z->end ||
	    pfn & (((uint64_t)1 << order) - 1))
		return -EINVAL;
	i = (uint32_t)(pfn - z->base);
	for (o = order; o < z->nr_orders; o++) {
		h = i & ~((1u << o) - 1);
		if (z->st[h] == o + 1) {
			bo = o;
			found = true;
			break;
		}
	}
	if (!found)
		return -EINVAL;
	{
		unsigned t = z->pbmt[h >> z->pb_order];

		list_del(z, h, bo, t);
		/* Give back every half that does not hold [i, i + 2^order). */
		while (bo > order) {
			uint32_t half = 1u << --bo;

			if (i >= h + half) {
				list_add(z, h, bo, z->pbmt[h >> z->pb_order], false);
				h += half;
			} else {
				list_add(z, h + half, bo, z->pbmt[(h + half) >> z->pb_order], false);
			}
		}
	}
	if (mt == MT_MOVABLE)
		pbmov_add(z, i, order, 1);
	return 0;
}

void sim_zone_account_movable(struct sim_zone *z, uint64_t pfn, unsigned order, int sign)
{
	pbmov_add(z, (uint32_t)(pfn - z->base), order, sign);
}

bool sim_zone_page_free(const struct sim_zone *z, uint64_t pfn)
{
	uint32_t i;

	if (pfn < z->start || pfn >= z->end)
		return false;
	i = (uint32_t)(pfn - z->base);
	for (unsigned o = 0; o < z->nr_orders; o++) {
		uint32_t h = i & ~((1u << o) - 1);

		if (z->st[h] == o + 1)
			return true;
	}
	return false;
}

int sim_zone_add_free(struct sim_zone *z, uint64_t pfn, unsigned order, bool tail)
{
	uint32_t i, n;
	unsigned mt;

	if (order >= z->nr_orders || pfn % ((uint64_t)1 << order) || pfn < z->start ||
	    pfn + ((uint64_t)1 << order) > z->end)
		return -EINVAL;
	i = (uint32_t)(pfn - z->base);
	n = 1u << order;
	for (uint32_t k = 0; k < n; k++)
		if (z->st[i + k])
			return -EINVAL;
	if (sim_zone_page_free(z, pfn))
		return -EINVAL;
	mt = z->pbmt[i >> z->pb_order];
	if (mt >= SIM_NMT)
		return -EINVAL;
	if (order > z->pb_order)
		for (uint32_t k = 0; k < n; k += 1u << z->pb_order)
			if (z->pbmt[(i + k) >> z->pb_order] != mt)
				return -EINVAL;
	list_add(z, i, order, mt, tail);
	return 0;
}

enum alloc_mt sim_zone_pb_mt(const struct sim_zone *z, uint64_t pfn)
{
	return (enum alloc_mt)z->pbmt[(pfn - z->base) >> z->pb_order];
}

void sim_zone_set_pb_mt(struct sim_zone *z, uint64_t pfn, unsigned order, enum alloc_mt mt)
{
	set_pb_range(z, (uint32_t)(pfn - z->base), order, mt);
}

uint64_t sim_zone_blocks(const struct sim_zone *z, unsigned o)
{
	uint64_t n = 0;

	for (unsigned mt = 0; mt < SIM_NMT; mt++)
		n += z->nr_free[o][mt];
	return n;
}

int sim_zone_init(struct sim_zone *z, uint64_t start, uint64_t spanned, unsigned nr_orders,
		  unsigned pb_order, enum alloc_mt mt)
{
	uint64_t top, base, n;

	memset(z, 0, sizeof(*z));
	if (nr_orders == 0 || nr_orders > 31 || pb_order >= nr_orders || pb_order > 15 ||
	    spanned == 0 || mt >= SIM_NMT || start + spanned < start)
		return -EINVAL;
	top = (uint64_t)1 << (nr_orders - 1);
	base = start & ~(top - 1);
	n = (start + spanned - base + top - 1) & ~(top - 1);
	if (n >= SIM_NIL)
		return -EINVAL;
	z->start = start;
	z->end = start + spanned;
	z->base = base;
	z->npg = (uint32_t)n;
	z->nr_orders = nr_orders;
	z->pb_order = pb_order;
	z->managed = spanned;
	z->mobility_grouping = true;
	z->npb = (size_t)(n >> pb_order);
	z->st = sim_big_alloc((size_t)n);
	z->nd = sim_big_alloc((size_t)n * sizeof(*z->nd));
	/* Free blocks are disjoint, so there are at most as many as pages. */
	z->pool = sim_big_alloc(((size_t)n + 1) * sizeof(*z->pool));
	z->pool_free = SIM_NIL;
	z->pbmt = malloc(z->npb);
	z->pbmov = calloc(z->npb, sizeof(*z->pbmov));
	if (!z->st || !z->nd || !z->pool || !z->pbmt || !z->pbmov) {
		sim_zone_free_all(z);
		return -ENOMEM;
	}
	memset(z->pbmt, (int)mt, z->npb);
	for (unsigned o = 0; o < FS_MAX_ORDERS; o++)
		for (unsigned t = 0; t < SIM_NMT; t++)
			z->head[o][t] = z->tail[o][t] = SIM_NIL;
	return 0;
}

void sim_zone_clear(struct sim_zone *z)
{
	memset(z->st, 0, z->npg);
	memset(z->pbmov, 0, z->npb * sizeof(*z->pbmov));
	memset(z->mask, 0, sizeof(z->mask));
	memset(z->nr_free, 0, sizeof(z->nr_free));
	for (unsigned o = 0; o < FS_MAX_ORDERS; o++)
		for (unsigned t = 0; t < SIM_NMT; t++)
			z->head[o][t] = z->tail[o][t] = SIM_NIL;
	z->npool = 0;
	z->pool_free = SIM_NIL;
	z->free_pages = z->free_cma = z->free_highatomic = 0;
}

void sim_zone_free_all(struct sim_zone *z)
{
	sim_big_free(z->st, z->npg);
	sim_big_free(z->nd, (size_t)z->npg * sizeof(*z->nd));
	sim_big_free(z->pool, ((size_t)z->npg + 1) * sizeof(*z->pool));
	free(z->pbmt);
	free(z->pbmov);
	z->st = NULL;
	z->nd = NULL;
	z->pool = NULL;
	z->pbmt = NULL;
	z->pbmov = NULL;
}

size_t sim_zone_bytes(const struct sim_zone *z)
{
	/* The pool's pages are touched only as far as nodes were used. */
	return sizeof(*z) + (size_t)z->npg * (1 + sizeof(*z->nd)) + (size_t)z->npool * sizeof(*z->pool) +
	       z->npb * 3;
}

void sim_zone_export(const struct sim_zone *z, struct alloc_zone *az)
{
	az->free = z->free_pages;
	az->free_cma = z->free_cma;
	az->free_highatomic = z->free_highatomic;
	az->reserved_highatomic = z->reserved_highatomic;
	az->boost = z->boost;
	az->have_mt = true;
	memset(az->nr_free, 0, sizeof(az->nr_free));
	memset(az->mt_free, 0, sizeof(az->mt_free));
	for (unsigned o = 0; o < z->nr_orders; o++) {
		for (unsigned mt = 0; mt < SIM_NMT; mt++) {
			az->mt_free[mt][o] = z->nr_free[o][mt];
			az->nr_free[o] += z->nr_free[o][mt];
		}
	}
}

static const char *const mt_names[SIM_NMT + 1] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "CMA", "Isolate", "hole",
};

#define FAIL(...) do { snprintf(why, size, __VA_ARGS__); free(cover); return -EUCLEAN; } while (0)

int sim_zone_check(const struct sim_zone *z, char *why, size_t size)
{
	uint64_t *cover = calloc(((size_t)z->npg + 63) / 64, sizeof(uint64_t));
	uint64_t free_pages = 0, free_cma = 0, free_ha = 0, heads = 0;
	unsigned top = z->nr_orders - 1;

	if (!cover) {
		snprintf(why, size, "out of memory");
		return -ENOMEM;
	}
	for (unsigned o = 0; o < z->nr_orders; o++) {
		for (unsigned mt = 0; mt < SIM_NMT; mt++) {
			uint64_t len = 0;
			uint32_t prev = SIM_NIL;

			for (uint32_t nn = z->head[o][mt]; nn != SIM_NIL; prev = nn, nn = z->pool[nn].next) {
				uint32_t i;
				uint64_t pfn, n = (uint64_t)1 << o;

				if (nn >= z->npool || len > z->npg || z->pool[nn].pg >= z->npg)
					FAIL("list (%u, %s) is corrupt at node %u", o, mt_names[mt], nn);
				i = z->pool[nn].pg;
				pfn = z->base + i;
				if (z->pool[nn].prev != prev)
					FAIL("list (%u, %s): pfn %llu's prev link is wrong", o, mt_names[mt],
					     (unsigned long long)pfn);
				if (z->st[i] == o + 1 && z->nd[i] != nn)
					FAIL("I1: pfn %llu heads a free block whose node is not on its list",
					     (unsigned long long)pfn);
				if (z->st[i] != o + 1)
					FAIL("I1: pfn %llu on the order-%u %s list is not marked as an order-%u head",
					     (unsigned long long)pfn, o, mt_names[mt], o);
				if (pfn & (n - 1))
					FAIL("I1: pfn %llu on the order-%u list is not aligned to %llu",
					     (unsigned long long)pfn, o, (unsigned long long)n);
				if (pfn < z->start || pfn + n > z->end)
					FAIL("I1: order-%u block at pfn %llu is outside the zone [%llu, %llu)", o,
					     (unsigned long long)pfn, (unsigned long long)z->start,
					     (unsigned long long)z->end);
				for (uint64_t k = i; k < i + n; k++) {
					if (cover[k / 64] & (1ull << (k % 64)))
						FAIL("I2: free blocks overlap at pfn %llu", (unsigned long long)(z->base + k));
					cover[k / 64] |= 1ull << (k % 64);
				}
				for (uint64_t k = i; k < i + n; k += (uint64_t)1 << z->pb_order) {
					if (z->pbmt[k >> z->pb_order] != mt)
						FAIL("I4: order-%u block at pfn %llu is on the %s list in a %s pageblock", o,
						     (unsigned long long)pfn, mt_names[mt],
						     mt_names[z->pbmt[k >> z->pb_order] <= SIM_NMT ? z->pbmt[k >> z->pb_order] : SIM_NMT]);
					if (o < z->pb_order)
						break;
				}
				if (o < top) {
					uint32_t b = i ^ (1u << o);
					unsigned bmt = z->pbmt[b >> z->pb_order];

					if (z->st[b] == o + 1 &&
					    (o < z->pb_order || bmt == mt || (mergeable(mt) && mergeable(bmt))))
						FAIL("I3: order-%u blocks at pfn %llu and %llu are free buddies, not merged", o,
						     (unsigned long long)pfn, (unsigned long long)(z->base + b));
				}
				len++;
				heads++;
				if (mt != MT_ISOLATE)
					free_pages += n;
				if (mt == MT_CMA)
					free_cma += n;
				if (mt == MT_HIGHATOMIC)
					free_ha += n;
			}
			if (prev != z->tail[o][mt])
				FAIL("list (%u, %s): the tail is wrong", o, mt_names[mt]);
			if (len != z->nr_free[o][mt])
				FAIL("I5: list (%u, %s) holds %llu blocks, nr_free says %llu", o, mt_names[mt],
				     (unsigned long long)len, (unsigned long long)z->nr_free[o][mt]);
			if (!!(z->mask[mt] & (1u << o)) != (len > 0))
				FAIL("I5: the non-empty mask is wrong for list (%u, %s)", o, mt_names[mt]);
		}
	}
	for (uint32_t i = 0; i < z->npg; i++) {
		if (z->st[i] && !(cover[i / 64] & (1ull << (i % 64))))
			FAIL("I2: pfn %llu is marked free but on no list", (unsigned long long)(z->base + i));
		if (z->st[i])
			heads--;
	}
	if (heads)
		FAIL("I2: a marked head lies inside another free block");
	if (free_pages != z->free_pages || free_cma != z->free_cma || free_ha != z->free_highatomic)
		FAIL("I5: free pages %llu (CMA %llu, HighAtomic %llu) counted, %llu (%llu, %llu) recorded",
		     (unsigned long long)free_pages, (unsigned long long)free_cma, (unsigned long long)free_ha,
		     (unsigned long long)z->free_pages, (unsigned long long)z->free_cma,
		     (unsigned long long)z->free_highatomic);
	for (size_t pb = 0; pb < z->npb; pb++)
		if (z->pbmov[pb] > (1u << z->pb_order))
			FAIL("I5: pageblock %zu counts %u movable pages", pb, z->pbmov[pb]);
	free(cover);
	return 0;
}
