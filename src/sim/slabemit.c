/*
 * slabemit.c - the slab simulator's end state as /proc/slabinfo (slab.h),
 * in the layout of mm/slab_common.c's cache_show() for SLUB (reference/
 * kernel.md 5.4): tunables are 0 0 0, active_slabs = num_slabs, and
 * sharedavail 0.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../model/slab.h"
#include "../util/util.h"
#include "slab.h"

static int line_of(const char *name, uint64_t active, uint64_t num, uint64_t size, uint64_t per,
		   uint64_t pages, uint64_t slabs, struct buf *out)
{
	return buf_printf(out, "%-17s %6llu %6llu %6llu %4llu %4llu : tunables %4u %4u %4u : slabdata %6llu %6llu %6u\n",
		       name, (unsigned long long)active, (unsigned long long)num, (unsigned long long)size,
		       (unsigned long long)per, (unsigned long long)pages, 0u, 0u, 0u, (unsigned long long)slabs,
		       (unsigned long long)slabs, 0u);
}

static int sim_line(const struct sim_slabs *s, size_t i, struct buf *out)
{
	const struct sim_kcache *c = &s->c[i];
	uint64_t node_free = 0, slabs = 0;

	for (int l = SL_PARTIAL; l <= SL_EMPTY; l++)
		for (uint32_t k = c->head[l]; k != SIM_NIL; k = c->slab[k].next)
			node_free += (uint64_t)(c->slab[k].objects - c->slab[k].inuse);
	for (int l = 0; l < SL_NLISTS; l++)
		slabs += c->nslabs[l];
	return line_of(c->name, c->total_objs - node_free, c->total_objs, c->g.slab_size, c->g.objs_per_slab,
		       (uint64_t)1 << c->g.order, slabs, out);
}

int sim_emit_slabinfo(const struct sim_slabs *s, const struct slabinfo *seed, struct buf *out)
{
	int r = buf_printf(out, "slabinfo - version: 2.1\n"
			"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
			" : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs>"
			" <sharedavail>\n");

	for (size_t k = 0; seed && k < seed->n && !r; k++) {
		const struct slab_cache *c = &seed->c[k];
		int i = sim_slabs_find(s, c->name);

		if (!(c->have & SC_SLABINFO))
			continue;
		if (i >= 0)
			r = sim_line(s, (size_t)i, out);
		else
			r = line_of(c->name, c->active_objs, c->num_objs, c->objsize, c->objperslab, c->pagesperslab,
				    c->num_slabs, out);
	}
	for (size_t i = 0; i < s->n && !r; i++) {
		bool in_seed = false;

		for (size_t k = 0; seed && k < seed->n; k++)
			if ((seed->c[k].have & SC_SLABINFO) && strcmp(seed->c[k].name, s->c[i].name) == 0)
				in_seed = true;
		if (!in_seed)
			r = sim_line(s, i, out);
	}
	return r < 0 ? -ENOMEM : 0;
}
