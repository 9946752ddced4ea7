/*
 * pagetypeinfo.h - /proc/pagetypeinfo: free blocks per migratetype and
 * order, and pageblock counts per migratetype, for each populated zone.
 *
 * Migratetype names and their order come from the file (they changed
 * between kernels: "Reserve" before 4.4, "HighAtomic" after; CMA and
 * Isolate are config-dependent).  The kernel prints the header once per
 * node; the parser accepts the repeats and checks they agree.
 */
#ifndef FRAGSCOPE_PAGETYPEINFO_H
#define FRAGSCOPE_PAGETYPEINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "limits.h"

struct pagetype_zone {
	int node;
	char zone[FS_NAME_LEN];
	/* free[mt][o]: free blocks on the (order o, migratetype mt) list.
	 * When capped[mt][o] is true the kernel stopped counting and printed
	 * ">100000": the true count is at least free[mt][o] (= 100000). */
	uint64_t free[FS_MAX_MT][FS_MAX_ORDERS];
	bool capped[FS_MAX_MT][FS_MAX_ORDERS];
	bool has_free;              /* free-list rows seen for this zone */
	uint64_t blocks[FS_MAX_MT]; /* pageblocks of each type ("Number of blocks type") */
	bool has_blocks;
	uint64_t mixed[FS_MAX_MT];  /* "Number of mixed blocks" (page_owner only) */
	bool has_mixed;
};

struct pagetypeinfo {
	unsigned pageblock_order;
	uint64_t pages_per_block;
	unsigned nr_orders;
	unsigned nr_mt;                        /* migratetypes in the free-list rows */
	char mt_names[FS_MAX_MT][FS_NAME_LEN]; /* in enum order, as printed */
	struct pagetype_zone *z;               /* in file order */
	size_t n;
};

/* Index of a migratetype name, or -1. */
int pagetypeinfo_mt_index(const struct pagetypeinfo *pt, const char *name);
const struct pagetype_zone *pagetypeinfo_find(const struct pagetypeinfo *pt, int node, const char *zone);
void pagetypeinfo_free(struct pagetypeinfo *pt);

#endif
