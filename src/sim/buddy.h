/*
 * buddy.h - the buddy allocator simulator's engine: one zone's free
 * lists per order and migratetype, allocation with splitting and the
 * kernel's migratetype fallback (claim and steal), freeing with buddy
 * merging, the pageblock migratetype table, and an invariant checker.
 * buddy.c explains the algorithm and the invariants.
 *
 * Pure and deterministic: no I/O, no printing, no clock, no randomness
 * (workloads bring their own seeded generator).
 */
#ifndef FRAGSCOPE_SIM_BUDDY_H
#define FRAGSCOPE_SIM_BUDDY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../analysis/alloc.h"
#include "../model/limits.h"

#define SIM_NIL UINT32_MAX
/* Migratetypes the engine keeps lists for: enum alloc_mt without MT_RESERVE. */
#define SIM_NMT MT_RESERVE

/* pbmt value of a pageblock that is a hole (not counted by pagetypeinfo,
 * no memory behind it): it never holds a free block. */
#define SIM_PB_HOLE SIM_NMT

/*
 * A free block on its list: the neighbouring blocks' nodes (SIM_NIL at
 * the ends) and the block's first page (index).  Nodes live in a pool;
 * nd[i] names the node of the block headed at index i.
 */
struct sim_node {
	uint32_t next, prev, pg;
};

/* Flags for sim_zone_rmqueue(): the ALLOC_* bits of alloc.h that change
 * what __rmqueue() may take (NOFRAGMENT, CMA, HIGHATOMIC, OOM, NON_BLOCK,
 * KSWAPD).  Watermarks are the caller's business (alloc_zone_check()). */

struct sim_zone_stats {
	uint64_t claims;          /* pageblocks claimed for another migratetype */
	uint64_t claims_whole;    /* ... of them, whole free blocks of pageblock order or more */
	uint64_t steals;          /* allocations from a foreign pageblock without claiming it */
	uint64_t highatomic_reserved;
};

struct sim_zone {
	int node;
	int kidx;
	char name[FS_NAME_LEN];

	/* Page frames [start, end) are spanned; index i is pfn base + i.
	 * base is start rounded down to the largest block, so a block's
	 * buddy always has an index; indices outside the span, and holes
	 * inside it, are never free. */
	uint64_t start, end, base;
	uint32_t npg;
	unsigned nr_orders;      /* orders 0 .. nr_orders - 1 */
	unsigned pb_order;       /* pageblock order */
	uint64_t managed;        /* for the HighAtomic reserve's 1 % */

	uint8_t *st;             /* per index: 0, or 1 + order at the head of a free block */
	uint32_t *nd;            /* per index: the node of the free block headed here (st != 0) */
	struct sim_node *pool;   /* npg + 1 nodes mapped, npool used so far */
	uint32_t npool, pool_free; /* high-water mark; first unused node below it (a stack) */
	uint8_t *pbmt;           /* per pageblock (index >> pb_order): enum alloc_mt, or SIM_PB_HOLE */
	uint16_t *pbmov;         /* per pageblock: allocated pages of movable allocations */
	size_t npb;

	uint32_t head[FS_MAX_ORDERS][SIM_NMT], tail[FS_MAX_ORDERS][SIM_NMT]; /* nodes */
	uint32_t mask[SIM_NMT];  /* bit o set: list (o, mt) is not empty */
	uint64_t nr_free[FS_MAX_ORDERS][SIM_NMT];
	uint64_t free_pages;     /* NR_FREE_PAGES: every list but Isolate */
	uint64_t free_cma, free_highatomic;
	uint64_t reserved_highatomic; /* nr_reserved_highatomic */
	uint64_t boost;          /* watermark_boost added by claims below pageblock order */
	uint64_t boost_cap;      /* max(pageblock, high * watermark_boost_factor / 10000); 0 = no boosting */
	bool mobility_grouping;  /* false = page_group_by_mobility_disabled */
	struct sim_zone_stats stats;
};

/* Large arrays read at random: an anonymous mapping (zeroed), with
 * transparent huge pages where the kernel allows them.  NULL on failure. */
void *sim_big_alloc(size_t n);
void sim_big_free(void *p, size_t n);

/*
 * A zone spanning [start, start + spanned) with every page allocated
 * (nothing free) and every pageblock of type mt.  0, -EINVAL (no orders,
 * too many, pageblock order out of range, more than 2^32 - 1 indices),
 * or -ENOMEM.
 */
int sim_zone_init(struct sim_zone *z, uint64_t start, uint64_t spanned, unsigned nr_orders,
		  unsigned pb_order, enum alloc_mt mt);
void sim_zone_free_all(struct sim_zone *z);
/* Nothing free again (every page allocated); pageblock types are kept. */
void sim_zone_clear(struct sim_zone *z);

/* Bytes the engine holds for this zone. */
size_t sim_zone_bytes(const struct sim_zone *z);

/* The migratetype of pfn's pageblock; set it for every pageblock of [pfn, pfn + 2^order). */
enum alloc_mt sim_zone_pb_mt(const struct sim_zone *z, uint64_t pfn);
void sim_zone_set_pb_mt(struct sim_zone *z, uint64_t pfn, unsigned order, enum alloc_mt mt);

/*
 * __rmqueue() with rmqueue_buddy()'s HighAtomic handling, for an order-o
 * request of migratetype mt under alloc flags: the pfn of the allocated
 * block's first page, or -1 when no list can serve it.  Movable requests
 * are counted in their pageblocks (claims ask how many in-use pages are
 * movable), so free the block with the same mt.  With ALLOC_HIGHATOMIC
 * and order > 0, a successful allocation may reserve its pageblock as
 * HighAtomic (reserve_highatomic_pageblock()).
 */
int64_t sim_zone_rmqueue(struct sim_zone *z, unsigned order, enum alloc_mt mt, unsigned flags);

/*
 * Free an allocated block: free_one_page() (split above the pageblock
 * order) and __free_one_page() (merge with free buddies, then head or
 * tail of the list by buddy_merge_likely()).  mt is the migratetype the
 * block was allocated with.  The caller guarantees the block is
 * allocated, aligned and inside the span (sim_zone_check() finds
 * violations after the fact).
 */
void sim_zone_free(struct sim_zone *z, uint64_t pfn, unsigned order, enum alloc_mt mt);

/*
 * Put a block on its pageblock's free list as it is, without merging
 * (seeding a layout that is already merged).  tail: append instead of
 * prepend.  -EINVAL if the block is misaligned, outside the span, or
 * overlaps a free block's head.
 */
int sim_zone_add_free(struct sim_zone *z, uint64_t pfn, unsigned order, bool tail);

/* A list's blocks in order, as indices (pfn - base): the first, then the
 * one after i; SIM_NIL at the end. */
static inline uint32_t sim_zone_list_first(const struct sim_zone *z, unsigned o, unsigned mt)
{
	uint32_t n = z->head[o][mt];

	return n == SIM_NIL ? SIM_NIL : z->pool[n].pg;
}

static inline uint32_t sim_zone_list_next(const struct sim_zone *z, uint32_t i)
{
	uint32_t n = z->pool[z->nd[i]].next;

	return n == SIM_NIL ? SIM_NIL : z->pool[n].pg;
}

/* Free blocks of order o on all lists that NR_FREE_PAGES counts. */
uint64_t sim_zone_blocks(const struct sim_zone *z, unsigned o);

/*
 * The invariants (buddy.c's header): 0 if they hold, else -EUCLEAN with
 * a one-line description in why.  O(pages).
 */
int sim_zone_check(const struct sim_zone *z, char *why, size_t size);

/*
 * Allocate exactly [pfn, pfn + 2^order) (trace replay): the free block
 * holding it is split and the rest goes back to the lists, as expand()
 * would leave it had the allocator chosen that block.  0, or -EINVAL if
 * the range is misaligned, outside the span, or not all free.
 */
int sim_zone_take(struct sim_zone *z, uint64_t pfn, unsigned order, enum alloc_mt mt);

/* Count a block as held by a movable allocation (+1) or not any more
 * (-1), for blocks that move between the caller and a per-CPU list
 * without passing through the free lists. */
void sim_zone_account_movable(struct sim_zone *z, uint64_t pfn, unsigned order, int sign);

/* Whether pfn lies inside a free block (O(orders)). */
bool sim_zone_page_free(const struct sim_zone *z, uint64_t pfn);

/* Copy the zone's free counts into az (free, nr_free, mt_free,
 * free_cma, free_highatomic, boost), for alloc_zone_check(). */
void sim_zone_export(const struct sim_zone *z, struct alloc_zone *az);

#endif
