/*
 * buddyinfo.c - derived values and lookups over a parsed /proc/buddyinfo
 * (struct buddyinfo, see buddyinfo.h).  No I/O.
 */
#include <stdlib.h>
#include <string.h>

#include "buddyinfo.h"

/*
 * Free pages of a zone, Σ free[o] << o, as fill_contig_page_info() counts
 * them.  Saturates at UINT64_MAX instead of wrapping: real counts never get
 * near it, but the parser accepts any 64-bit count.
 */
uint64_t buddy_zone_free_pages(const struct buddy_zone *z, unsigned nr_orders)
{
	uint64_t sum = 0, pages;
	unsigned o;

	if (nr_orders > FS_MAX_ORDERS)
		nr_orders = FS_MAX_ORDERS;
	for (o = 0; o < nr_orders; o++) {
		if (z->free[o] == 0)
			continue;
		if (z->free[o] > (UINT64_MAX >> o))
			return UINT64_MAX;
		pages = z->free[o] << o;
		if (__builtin_add_overflow(sum, pages, &sum))
			return UINT64_MAX;
	}
	return sum;
}

/* The zone called zone on node node, or NULL. */
const struct buddy_zone *buddyinfo_find(const struct buddyinfo *bi, int node, const char *zone)
{
	size_t i;

	for (i = 0; i < bi->n; i++)
		if (bi->z[i].node == node && strcmp(bi->z[i].zone, zone) == 0)
			return &bi->z[i];
	return NULL;
}

/* Release the zone array and leave *bi empty; NULL is allowed. */
void buddyinfo_free(struct buddyinfo *bi)
{
	if (!bi)
		return;
	free(bi->z);
	bi->z = NULL;
	bi->n = 0;
	bi->nr_orders = 0;
}
