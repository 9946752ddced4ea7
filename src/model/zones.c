/*
 * zones.c - join buddyinfo, zoneinfo and pagetypeinfo per zone (see zones.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "zones.h"

int zones_collect(const struct buddyinfo *bi, const struct zoneinfo *zi,
		  const struct pagetypeinfo *pt, struct zone_view **ret, size_t *ret_n)
{
	size_t cap = (bi ? bi->n : 0) + (zi ? zi->n : 0) + (pt ? pt->n : 0) + 1, n = 0;
	struct zone_view *v = calloc(cap, sizeof(*v));

	if (!v)
		return -ENOMEM;
	if (zi) {
		for (size_t i = 0; i < zi->n; i++) {
			const struct zone_info *z = &zi->z[i];
			const struct buddy_zone *bz = bi ? buddyinfo_find(bi, z->node, z->name) : NULL;

			/* buddyinfo lists exactly the populated zones; trust it when present. */
			if (!zone_info_populated(z) && !bz)
				continue;
			v[n].node = z->node;
			v[n].name = z->name;
			v[n].index = (int)z->index;
			v[n].zi = z;
			v[n].bz = bz;
			v[n].pz = pt ? pagetypeinfo_find(pt, z->node, z->name) : NULL;
			n++;
		}
	}
	/* Zones buddyinfo has and zoneinfo lacks (or no zoneinfo at all). */
	for (size_t i = 0; bi && i < bi->n; i++) {
		const struct buddy_zone *b = &bi->z[i];
		bool seen = false;

		for (size_t k = 0; k < n; k++)
			if (v[k].bz == b)
				seen = true;
		if (seen)
			continue;
		v[n].node = b->node;
		v[n].name = b->zone;
		v[n].index = -1;
		v[n].bz = b;
		v[n].pz = pt ? pagetypeinfo_find(pt, b->node, b->zone) : NULL;
		n++;
	}
	/* Zones only pagetypeinfo has (neither other file was readable). */
	for (size_t i = 0; pt && i < pt->n; i++) {
		const struct pagetype_zone *p = &pt->z[i];
		bool seen = false;

		for (size_t k = 0; k < n; k++)
			if (v[k].pz == p)
				seen = true;
		if (seen)
			continue;
		v[n].node = p->node;
		v[n].name = p->zone;
		v[n].index = -1;
		v[n].pz = p;
		n++;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

void zones_cumulative(const uint64_t *free, unsigned nr_orders, uint64_t *out)
{
	uint64_t sum = 0;

	for (unsigned o = nr_orders; o-- > 0;) {
		sum += free[o] << o;
		out[o] = sum;
	}
}
