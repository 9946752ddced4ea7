/*
 * pagetypeinfo.c - lookups over a parsed /proc/pagetypeinfo (struct
 * pagetypeinfo, see pagetypeinfo.h).  No I/O.
 */
#include <stdlib.h>
#include <string.h>

#include "pagetypeinfo.h"

/* Index of migratetype name in pt->mt_names (exact, case-sensitive), or -1. */
int pagetypeinfo_mt_index(const struct pagetypeinfo *pt, const char *name)
{
	unsigned i;

	for (i = 0; i < pt->nr_mt && i < FS_MAX_MT; i++)
		if (strcmp(pt->mt_names[i], name) == 0)
			return (int)i;
	return -1;
}

/* The zone called zone on node node, or NULL. */
const struct pagetype_zone *pagetypeinfo_find(const struct pagetypeinfo *pt, int node, const char *zone)
{
	size_t i;

	for (i = 0; i < pt->n; i++)
		if (pt->z[i].node == node && strcmp(pt->z[i].zone, zone) == 0)
			return &pt->z[i];
	return NULL;
}

/* Release the zone array and leave *pt empty; NULL is allowed. */
void pagetypeinfo_free(struct pagetypeinfo *pt)
{
	if (!pt)
		return;
	free(pt->z);
	memset(pt, 0, sizeof(*pt));
}
