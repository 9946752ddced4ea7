/*
 * buddyinfo.h - /proc/buddyinfo: free blocks per order for each populated
 * zone of each node.  The number of orders is the number of columns.
 */
#ifndef FRAGSCOPE_BUDDYINFO_H
#define FRAGSCOPE_BUDDYINFO_H

#include <stddef.h>
#include <stdint.h>

#include "limits.h"

struct buddy_zone {
	int node;
	char zone[FS_NAME_LEN];
	uint64_t free[FS_MAX_ORDERS]; /* free blocks of order o (all migratetypes) */
};

struct buddyinfo {
	struct buddy_zone *z; /* in file order */
	size_t n;
	unsigned nr_orders;   /* columns per line; the same on every line */
};

/* Free pages in a zone: sum of free[o] << o. */
uint64_t buddy_zone_free_pages(const struct buddy_zone *z, unsigned nr_orders);
const struct buddy_zone *buddyinfo_find(const struct buddyinfo *bi, int node, const char *zone);
void buddyinfo_free(struct buddyinfo *bi);

#endif
