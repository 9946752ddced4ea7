/*
 * hugepages.h - each node's hugetlb pools and how many more pages of each
 * size the pool could get right now from the free lists alone, with no
 * reclaim or compaction (hugepages and export show it).
 *
 * Growing a pool allocates one page at a time on one node with
 * htlb_alloc_mask | __GFP_COMP | __GFP_RETRY_MAYFAIL | __GFP_NOWARN |
 * __GFP_THISNODE (the "hugetlb" class of predict), so the count is a
 * predict --count run on that node until the first failure.  Pages above
 * the buddy allocator's largest order (1 GiB on x86-64) come from
 * alloc_contig_pages(), which migrates a whole aligned range: the free
 * lists alone cannot tell whether that would work, so only an upper bound
 * is given.
 *
 * Pure: no I/O, no printing.
 */
#ifndef FRAGSCOPE_HUGEPAGES_H
#define FRAGSCOPE_HUGEPAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc.h"

struct hp_capacity {
	int node;
	uint64_t size;          /* bytes */
	unsigned order;         /* log2(size / page size) */
	bool have_pool;         /* the kernel has this pool size on the node */
	uint64_t nr, free, surplus;
	bool buddy;             /* order < nr_orders: served by the buddy allocator */
	uint64_t more;          /* from free lists (fast or slow path) */
	uint64_t more_fast;     /* of which above the low watermark */
	enum alloc_outcome then;/* what the next one would need */
	uint64_t bound;         /* gigantic: free max-order blocks / blocks per page */
};

/*
 * One row per (node, pool size), sorted by node and size.  numa (may be
 * NULL): the per-node pools.  Without per-node directories the default
 * size comes from meminfo (mi, may be NULL: Hugepagesize, HugePages_*),
 * for the whole machine, counted on the first node.  A 1 GiB row is
 * added when no pool is larger than the buddy allocator's largest block.
 * only_node >= 0 keeps that node alone.  *ret is malloc'd.  0 or -ENOMEM.
 */
int hp_capacity_collect(const struct alloc_model *am, const struct numa *numa, const struct meminfo *mi,
			uint64_t page_size, int only_node, struct hp_capacity **ret, size_t *ret_n);

#endif
