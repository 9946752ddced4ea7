/*
 * zoneinfo.c - queries and cleanup for the /proc/zoneinfo model (see
 * zoneinfo.h).  The parser lives in parse/parse-zoneinfo.c; this file
 * only answers questions about an already parsed struct zoneinfo.
 */
#include <stdlib.h>
#include <string.h>

#include "zoneinfo.h"

/*
 * The kernel's populated_zone() tests present_pages.  Every kernel in the
 * corpus prints "present", but fall back to managed, then spanned, so a
 * capture that lost the line still gives a sensible answer.
 */
bool zone_info_populated(const struct zone_info *z)
{
	if (z->have & ZI_PRESENT)
		return z->present > 0;
	if (z->have & ZI_MANAGED)
		return z->managed > 0;
	if (z->have & ZI_SPANNED)
		return z->spanned > 0;
	return false;
}

/* First zone named zone on node node, or NULL. */
const struct zone_info *zoneinfo_find(const struct zoneinfo *zi, int node, const char *zone)
{
	for (size_t i = 0; i < zi->n; i++)
		if (zi->z[i].node == node && strcmp(zi->z[i].name, zone) == 0)
			return &zi->z[i];
	return NULL;
}

/* Free everything zi owns and leave it empty; zi itself is not freed. */
void zoneinfo_free(struct zoneinfo *zi)
{
	if (!zi)
		return;
	for (size_t i = 0; i < zi->n || i < zi->zkept; i++) {
		kvlist_free(&zi->z[i].stats);
		kvlist_free(&zi->z[i].other);
	}
	for (size_t i = 0; i < zi->nn || i < zi->nkept; i++)
		kvlist_free(&zi->nodes[i].stats);
	free(zi->z);
	free(zi->nodes);
	memset(zi, 0, sizeof(*zi));
}
