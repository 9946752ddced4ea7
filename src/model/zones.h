/*
 * zones.h - one view of each zone joined across the three files that
 * describe it: buddyinfo (free blocks per order), zoneinfo (watermarks,
 * sizes, protection) and pagetypeinfo (free blocks per migratetype,
 * pageblocks).  Any of the three may be missing.
 */
#ifndef FRAGSCOPE_ZONES_H
#define FRAGSCOPE_ZONES_H

#include <stddef.h>
#include <stdint.h>

#include "buddyinfo.h"
#include "pagetypeinfo.h"
#include "zoneinfo.h"

struct zone_view {
	int node;
	const char *name;
	int index;                        /* kernel zone index, -1 if unknown (no zoneinfo) */
	const struct buddy_zone *bz;      /* NULL if not in buddyinfo */
	const struct zone_info *zi;       /* NULL if not in zoneinfo */
	const struct pagetype_zone *pz;   /* NULL if not in pagetypeinfo */
};

/*
 * The populated zones, in zoneinfo order (node, then zone index) when
 * zoneinfo is given, then any zone only buddyinfo has, then any zone only
 * pagetypeinfo has.  Pass NULL for a
 * missing file.  *ret is malloc'd.  0 or -ENOMEM.
 */
int zones_collect(const struct buddyinfo *bi, const struct zoneinfo *zi,
		  const struct pagetypeinfo *pt, struct zone_view **ret, size_t *ret_n);

/* Cumulative free pages at or above each order: out[o] = sum_{k>=o} free[k] << k. */
void zones_cumulative(const uint64_t *free, unsigned nr_orders, uint64_t *out);

#endif
