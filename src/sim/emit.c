/*
 * emit.c - a simulated machine's state as the kernel prints it:
 * /proc/buddyinfo, /proc/pagetypeinfo and /proc/zoneinfo, so that
 * "fragscope --root DIR frag|predict|buddy" analyse the simulated machine
 * as they would a real one.  The layouts follow mm/vmstat.c (frag_show,
 * pagetypeinfo_show, zoneinfo_show_print) and reference/kernel.md section
 * 5; counters the simulator does not model are repeated from the seed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "emit.h"

int sim_emit_buddyinfo(const struct sim_machine *m, struct buf *out)
{
	int r = 0;

	for (size_t i = 0; i < m->nz && !r; i++) {
		r = buf_printf(out, "Node %d, zone %8s ", m->zones[i].node, m->zones[i].name);
		for (unsigned o = 0; o < m->nr_orders && !r; o++)
			r = buf_printf(out, "%6llu ", (unsigned long long)sim_zone_blocks(&m->zones[i], o));
		if (!r)
			r = buf_printf(out, "\n");
	}
	return r;
}

/* The migratetype names to print: the seed's, else 6.x's without CMA. */
static size_t type_names(const struct pagetypeinfo *pt, const char **names)
{
	static const char *const dflt[] = { "Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate" };
	size_t n = 0;

	if (pt && pt->nr_mt) {
		for (unsigned k = 0; k < pt->nr_mt && k < FS_MAX_MT; k++)
			names[n++] = pt->mt_names[k];
		return n;
	}
	for (size_t k = 0; k < sizeof(dflt) / sizeof(dflt[0]); k++)
		names[n++] = dflt[k];
	return n;
}

static int sim_type(const char *name)
{
	enum alloc_mt mt = alloc_mt_from_name(name);

	if (mt == MT_RESERVE)
		mt = MT_HIGHATOMIC;
	return mt < SIM_NMT ? (int)mt : -1;
}

int sim_emit_pagetypeinfo(const struct sim_machine *m, const struct pagetypeinfo *pt, struct buf *out)
{
	const char *names[FS_MAX_MT];
	size_t nt = type_names(pt, names);
	int r;

	r = buf_printf(out, "Page block order: %u\nPages per block:  %llu\n\n", m->pb_order,
		    (unsigned long long)1 << m->pb_order);
	if (!r)
		r = buf_printf(out, "%-43s ", "Free pages count per migrate type at order");
	for (unsigned o = 0; o < m->nr_orders && !r; o++)
		r = buf_printf(out, "%6u ", o);
	if (!r)
		r = buf_printf(out, "\n");
	for (size_t i = 0; i < m->nz && !r; i++) {
		const struct sim_zone *z = &m->zones[i];

		for (size_t k = 0; k < nt && !r; k++) {
			int mt = sim_type(names[k]);

			r = buf_printf(out, "Node %4d, zone %8s, type %12s ", z->node, z->name, names[k]);
			for (unsigned o = 0; o < m->nr_orders && !r; o++) {
				uint64_t n = mt >= 0 ? z->nr_free[o][mt] : 0;

				/* The kernel stops counting at 100000 and prints ">100000". */
				r = n >= 100000 ? buf_printf(out, ">%6llu ", 100000ull) : buf_printf(out, "%6llu ", (unsigned long long)n);
			}
			if (!r)
				r = buf_printf(out, "\n");
		}
	}
	if (!r)
		r = buf_printf(out, "\n%-23s", "Number of blocks type ");
	for (size_t k = 0; k < nt && !r; k++)
		r = buf_printf(out, "%12s ", names[k]);
	if (!r)
		r = buf_printf(out, "\n");
	for (size_t i = 0; i < m->nz && !r; i++) {
		const struct sim_zone *z = &m->zones[i];
		uint64_t count[SIM_NMT + 1] = { 0 };
		size_t first = (size_t)((z->start - z->base) >> z->pb_order);
		size_t last = (size_t)((z->end - 1 - z->base) >> z->pb_order);

		for (size_t pb = first; pb <= last; pb++)
			count[z->pbmt[pb] <= SIM_NMT ? z->pbmt[pb] : SIM_NMT]++;
		r = buf_printf(out, "Node %d, zone %8s ", z->node, z->name);
		for (size_t k = 0; k < nt && !r; k++) {
			int mt = sim_type(names[k]);

			r = buf_printf(out, "%12llu ", (unsigned long long)(mt >= 0 ? count[mt] : 0));
		}
		if (!r)
			r = buf_printf(out, "\n");
	}
	return r;
}

static const struct sim_zone *sim_zone_of(const struct sim_machine *m, const struct zone_info *zi, size_t *idx)
{
	for (size_t i = 0; i < m->nz; i++)
		if (m->zones[i].node == zi->node && strcmp(m->zones[i].name, zi->name) == 0) {
			*idx = i;
			return &m->zones[i];
		}
	return NULL;
}

static int emit_kv(struct buf *out, const struct kvlist *l, const struct sim_zone *z, unsigned pb_order)
{
	int r = 0;

	for (size_t k = 0; k < l->n && !r; k++) {
		const char *name = l->items[k].name;
		uint64_t v = l->items[k].value;

		if (z && strcmp(name, "nr_free_pages") == 0) {
			v = z->free_pages;
		} else if (z && strcmp(name, "nr_free_pages_blocks") == 0) {
			v = 0;
			for (unsigned o = pb_order; o < z->nr_orders; o++)
				v += sim_zone_blocks(z, o) << o;
		} else if (z && strcmp(name, "nr_free_cma") == 0) {
			v = z->free_cma;
		}
		r = buf_printf(out, "      %-12s %llu\n", name, (unsigned long long)v);
	}
	return r;
}

int sim_emit_zoneinfo(const struct sim_machine *m, const struct zoneinfo *zi, struct buf *out)
{
	int r = 0, last_node = -1;

	for (size_t i = 0; i < zi->n && !r; i++) {
		const struct zone_info *src = &zi->z[i];
		size_t idx = 0;
		const struct sim_zone *z = sim_zone_of(m, src, &idx);
		uint64_t boost = z ? z->boost : src->boost;

		r = buf_printf(out, "Node %d, zone %8s\n", src->node, src->name);
		if (!r && src->node != last_node) {
			last_node = src->node;
			for (size_t k = 0; k < zi->nn && !r; k++)
				if (zi->nodes[k].node == src->node) {
					r = buf_printf(out, "  per-node stats\n");
					if (!r)
						r = emit_kv(out, &zi->nodes[k].stats, NULL, m->pb_order);
				}
		}
		if (!r)
			r = buf_printf(out, "  pages free     %llu\n", (unsigned long long)(z ? z->free_pages : src->pages_free));
		if (!r && (src->have & ZI_BOOST))
			r = buf_printf(out, "        boost    %llu\n", (unsigned long long)boost);
		if (!r)
			r = buf_printf(out, "        min      %llu\n        low      %llu\n        high     %llu\n",
				    (unsigned long long)(z ? m->seed[idx].base_min + boost : src->min),
				    (unsigned long long)(z ? m->seed[idx].base_low + boost : src->low),
				    (unsigned long long)(z ? m->seed[idx].base_high + boost : src->high));
		if (!r && (src->have & ZI_PROMO))
			r = buf_printf(out, "        promo    %llu\n",
				    (unsigned long long)(z ? src->promo - src->boost + boost : src->promo));
		if (!r)
			r = buf_printf(out, "        spanned  %llu\n        present  %llu\n        managed  %llu\n",
				    (unsigned long long)src->spanned, (unsigned long long)src->present,
				    (unsigned long long)src->managed);
		if (!r && (src->have & ZI_CMA))
			r = buf_printf(out, "        cma      %llu\n", (unsigned long long)src->cma);
		if (!r && (src->have & ZI_PROTECTION)) {
			r = buf_printf(out, "        protection: (");
			for (unsigned k = 0; k < src->nr_protection && !r; k++)
				r = buf_printf(out, "%s%llu", k ? ", " : "", (unsigned long long)src->protection[k]);
			if (!r)
				r = buf_printf(out, ")\n");
		}
		if (!r)
			r = emit_kv(out, &src->stats, z, m->pb_order);
		if (!r && (src->have & ZI_UNRECLAIMABLE))
			r = buf_printf(out, "  node_unreclaimable:  %u\n", src->unreclaimable ? 1u : 0u);
		if (!r && (src->have & ZI_START_PFN))
			r = buf_printf(out, "  start_pfn:           %llu\n", (unsigned long long)src->start_pfn);
	}
	return r;
}
