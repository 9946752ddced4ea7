/*
 * replay.c - a recorded kmem trace replayed on the simulated machine
 * (see replay.h for the rules).  Blocks the simulator had to place
 * elsewhere, and those it placed exactly, are found again through an
 * open-addressing hash keyed by the traced pfn, so that their frees carry
 * the allocation's migratetype.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"

struct moved {
	uint64_t key;            /* traced pfn + 1; 0 = empty slot */
	int64_t pfn;             /* where the simulator put it */
	uint32_t gfp;
	int16_t zone;
	uint8_t order;
	bool gone;               /* deleted (a tombstone) */
};

struct map {
	struct moved *slot;
	size_t cap, used;        /* used counts tombstones too */
};

static size_t hash(uint64_t k, size_t cap)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return (size_t)k & (cap - 1);
}

static struct moved *map_find(struct map *m, uint64_t pfn)
{
	if (!m->cap)
		return NULL;
	for (size_t i = hash(pfn + 1, m->cap);; i = (i + 1) & (m->cap - 1)) {
		struct moved *s = &m->slot[i];

		if (!s->key)
			return NULL;
		if (s->key == pfn + 1 && !s->gone)
			return s;
	}
}

static int map_put(struct map *m, uint64_t pfn, const struct moved *v)
{
	if ((m->used + 1) * 2 > m->cap) {
		struct map n = { .cap = m->cap ? m->cap * 2 : 1024 };

		n.slot = calloc(n.cap, sizeof(*n.slot));
		if (!n.slot)
			return -ENOMEM;
		for (size_t i = 0; i < m->cap; i++)
			if (m->slot[i].key && !m->slot[i].gone)
				map_put(&n, m->slot[i].key - 1, &m->slot[i]);
		free(m->slot);
		*m = n;
	}
	for (size_t i = hash(pfn + 1, m->cap);; i = (i + 1) & (m->cap - 1)) {
		struct moved *s = &m->slot[i];

		if (!s->key) {
			*s = *v;
			s->key = pfn + 1;
			s->gone = false;
			m->used++;
			return 0;
		}
	}
}

/* The simulated zone holding pfn, or -1. */
static int zone_of(const struct sim_machine *m, uint64_t pfn)
{
	for (size_t i = 0; i < m->nz; i++)
		if (pfn >= m->zones[i].start && pfn < m->zones[i].end)
			return (int)i;
	return -1;
}

/* Is [pfn, pfn + 2^order) wholly allocated in zone z? */
static bool all_allocated(const struct sim_zone *z, uint64_t pfn, unsigned order)
{
	if (pfn + ((uint64_t)1 << order) > z->end)
		return false;
	for (uint64_t k = 0; k < ((uint64_t)1 << order); k++)
		if (sim_zone_page_free(z, pfn + k))
			return false;
	return true;
}

/* A traced migratetype (kernel numbering: 0 unmovable, 1 movable, 2
 * reclaimable, 3 highatomic) as the engine's; -1 or others: unmovable. */
static enum alloc_mt traced_mt(int mt)
{
	return mt >= 0 && mt <= MT_HIGHATOMIC ? (enum alloc_mt)mt : MT_UNMOVABLE;
}

/* pcp_allowed_order(): orders up to PAGE_ALLOC_COSTLY_ORDER, and THP's. */
static bool pcp_order(const struct sim_machine *m, unsigned order)
{
	return order <= SIM_PCP_MAX_ORDER || order == m->pb_order;
}

/*
 * The buddy-exact replay (see replay.h): the buddy lists change only
 * where the kernel's did.
 */
static int replay_buddy(struct sim_machine *m, const struct trace *t, bool check, struct replay_result *r,
			char *why, size_t why_size)
{
	int err = 0;

	r->buddy_exact = true;
	for (size_t k = 0; k < t->n && !err; k++) {
		const struct trace_event *e = &t->ev[k];
		int zi = zone_of(m, e->pfn);
		struct sim_zone *z = zi >= 0 ? &m->zones[zi] : NULL;
		bool aligned = !(e->pfn & (((uint64_t)1 << e->order) - 1)) && e->order < m->nr_orders;

		switch (e->kind) {
		case TRACE_ALLOC_FAILED:
			r->kernel_failures++;
			break;
		case TRACE_ALLOC:
			r->allocs_client++;
			break;
		case TRACE_BUDDY_TAKE:
			if (z && aligned && sim_zone_take(z, e->pfn, e->order, traced_mt(e->mt)) == 0)
				r->takes_exact++;
			else
				r->takes_missed++;
			break;
		case TRACE_BUDDY_GIVE:
		case TRACE_FREE:
			if (e->kind == TRACE_FREE && pcp_order(m, e->order)) {
				r->frees_pcp++;   /* onto a per-CPU list; a drain gives it back */
				break;
			}
			if (z && aligned && all_allocated(z, e->pfn, e->order)) {
				sim_zone_free(z, e->pfn, e->order, traced_mt(e->mt));
				if (e->kind == TRACE_FREE)
					r->frees_direct++;
				else
					r->gives_exact++;
			} else if (e->kind == TRACE_FREE) {
				r->frees_skipped++;
			} else {
				r->gives_skipped++;
			}
			break;
		}
		if (check && sim_machine_check(m, why, why_size) != 0)
			err = -EUCLEAN;
	}
	for (size_t i = 0; i < m->nz; i++)
		sim_machine_sync(m, i);
	return err;
}

int sim_replay(struct sim_machine *m, const struct trace *t, bool check, struct replay_result *r,
	       char *why, size_t why_size)
{
	struct map map = { 0 };
	int node = m->am.nn ? m->am.nodes[0].id : 0, err = 0;

	memset(r, 0, sizeof(*r));
	if (t->buddy_events && m->pcp == NULL) {
		bool exact = m->nz > 0;

		for (size_t i = 0; i < m->nz; i++)
			exact = exact && m->seed[i].from_pages;
		if (exact)
			return replay_buddy(m, t, check, r, why, why_size);
	}
	for (size_t k = 0; k < t->n && !err; k++) {
		const struct trace_event *e = &t->ev[k];
		int zi = zone_of(m, e->pfn);

		if (e->kind == TRACE_BUDDY_TAKE || e->kind == TRACE_BUDDY_GIVE) {
			r->buddy_ignored++;
		} else if (e->kind == TRACE_ALLOC_FAILED) {
			r->kernel_failures++;
		} else if (e->kind == TRACE_ALLOC) {
			enum alloc_mt mt = sim_gfp_migratetype(e->gfp);
			struct sim_alloc a;

			if (zi < 0)
				r->outside++;
			/* The traced pfns mean something only where the layout
			 * is the real one (seeded from the page flags). */
			if (zi >= 0 && !m->seed[zi].from_pages)
				zi = -1;
			if (zi >= 0 && e->order < m->nr_orders &&
			    sim_zone_take(&m->zones[zi], e->pfn, e->order, mt) == 0) {
				struct moved v = { .pfn = (int64_t)e->pfn, .gfp = e->gfp, .zone = (int16_t)zi,
						   .order = e->order };

				r->allocs_exact++;
				err = map_put(&map, e->pfn, &v);
				goto next;
			}
			/* Not free here, but in use in the zone: a block of a
			 * per-CPU order came off a per-CPU list, which the
			 * buddy lists (and so the simulation) never saw. */
			if (zi >= 0 && e->order <= SIM_PCP_MAX_ORDER &&
			    all_allocated(&m->zones[zi], e->pfn, e->order)) {
				struct moved v = { .pfn = -1, .gfp = e->gfp, .zone = (int16_t)zi, .order = e->order };

				r->allocs_pcp++;
				err = map_put(&map, e->pfn, &v);
				goto next;
			}
			if (zi >= 0)
				node = m->zones[zi].node;
			sim_machine_alloc(m, e->gfp, e->order, node, &a);
			if (a.pfn < 0) {
				r->allocs_failed++;
			} else {
				struct moved v = { .pfn = a.pfn, .gfp = e->gfp, .zone = (int16_t)a.zone,
						   .order = e->order };

				r->allocs_moved++;
				err = map_put(&map, e->pfn, &v);
			}
		} else {
			struct moved *v = map_find(&map, e->pfn);

			if (v && v->order == e->order && v->pfn < 0) {
				/* Back to the per-CPU list it came from. */
				v->gone = true;
				r->frees_pcp++;
			} else if (v && v->order == e->order) {
				sim_machine_free_block(m, v->zone, v->pfn, v->order, v->gfp);
				v->gone = true;
				r->frees_mapped++;
			} else if (zi >= 0 && m->seed[zi].from_pages && e->order < m->nr_orders &&
				   !(e->pfn & (((uint64_t)1 << e->order) - 1)) &&
				   all_allocated(&m->zones[zi], e->pfn, e->order)) {
				/* Allocated before the trace began.  Its migratetype
				 * is not in the event: the pageblock's stands in. */
				sim_zone_free(&m->zones[zi], e->pfn, e->order, MT_UNMOVABLE);
				r->frees_direct++;
			} else {
				r->frees_skipped++;
			}
		}
next:
		if (check && !err && sim_machine_check(m, why, why_size) != 0)
			err = -EUCLEAN;
	}
	for (size_t i = 0; i < m->nz; i++)
		sim_machine_sync(m, i);
	free(map.slot);
	return err;
}
