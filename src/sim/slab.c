/*
 * slab.c - the slab allocator simulator (slab.h).
 *
 * The model.  A cache keeps its slabs on lists: full, partial (the
 * node's partial list), empty and, with per-CPU slabs on, the CPU slab
 * and the per-CPU partial list (one CPU: the simulator has no CPUs).
 *
 *   Allocation: with per-CPU slabs, from the CPU slab; when it is full it
 *   goes to the full list and the CPU takes the first per-CPU partial
 *   slab, else the first node partial slab, else an empty slab, else a
 *   new slab.  Without, from the first partial slab, else an empty one,
 *   else a new slab; a slab that fills goes to the full list.
 *
 *   A new slab is a compound allocation of the cache's order from the
 *   buddy machine with the cache's GFP (GFP_KERNEL, plus
 *   __GFP_RECLAIMABLE for reclaim_account caches: Reclaimable instead of
 *   Unmovable; plus __GFP_DMA for SLAB_CACHE_DMA caches); when that fails and the object fits a smaller order
 *   (get_order(slab_size)), a slab of that order (allocate_slab()'s
 *   fallback).  When both fail the allocation fails.
 *
 *   Free: the object goes back to its own slab.  A full slab becomes
 *   partial: with per-CPU slabs it goes to the per-CPU partial list
 *   (put_cpu_partial()), and when that list holds more than
 *   cpu_partial_slabs slabs they all go to the node (__put_partials():
 *   empty ones are released while the node has min_partial partial and
 *   empty slabs); without, to the node's partial list.  A node partial
 *   slab that becomes empty is released to the buddy machine when the
 *   node already keeps min_partial partial and empty slabs, else it
 *   moves to the empty list.  Slabs on the CPU lists stay there.
 *
 * The invariants (sim_slabs_check()): every record is on the list its
 * list field names, exactly once, and the list counts match; a slab's
 * free-index stack holds objects - inuse distinct indices below objects;
 * full slabs have inuse == objects, partial ones 0 < inuse < objects,
 * empty ones inuse == 0; at most one CPU slab; every record is on a list
 * or on the free chain; the cache totals (active, pages, capacity) are the
 * sums over its slabs; a slab's pages lie in its zone and are not free in
 * the buddy machine; every held object is in use in a live slab and there
 * are as many held as in use; the per pageblock slab page counts are the
 * sums over the slabs; and the buddy machine's own invariants hold.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slab.h"
#include "w1.h"

#define DEAD UINT64_MAX

/* ---- records and lists ---------------------------------------------------- */

static void list_add(struct sim_kcache *c, uint32_t i, enum sim_slab_list l)
{
	struct sim_slab *sl = &c->slab[i];

	sl->list = (uint8_t)l;
	sl->prev = SIM_NIL;
	sl->next = c->head[l];
	if (c->head[l] != SIM_NIL)
		c->slab[c->head[l]].prev = i;
	c->head[l] = i;
	c->nslabs[l]++;
}

static void list_del(struct sim_kcache *c, uint32_t i)
{
	struct sim_slab *sl = &c->slab[i];

	if (sl->prev != SIM_NIL)
		c->slab[sl->prev].next = sl->next;
	else
		c->head[sl->list] = sl->next;
	if (sl->next != SIM_NIL)
		c->slab[sl->next].prev = sl->prev;
	c->nslabs[sl->list]--;
	sl->next = sl->prev = SIM_NIL;
}

static void list_move(struct sim_kcache *c, uint32_t i, enum sim_slab_list l)
{
	list_del(c, i);
	list_add(c, i, l);
}

static uint16_t *stack_of(struct sim_kcache *c, uint32_t i)
{
	return &c->freeidx[(size_t)i * c->g.objs_per_slab];
}

/* A free record, growing the arrays; SIM_NIL on ENOMEM. */
static uint32_t rec_get(struct sim_kcache *c)
{
	uint32_t i;

	if (c->free_rec != SIM_NIL) {
		i = c->free_rec;
		c->free_rec = c->slab[i].next;
		return i;
	}
	if (c->nrec == c->caprec) {
		size_t cap = c->caprec ? c->caprec * 2 : 64;
		struct sim_slab *sl;
		uint16_t *fi;

		if (cap >= SIM_NIL)
			return SIM_NIL;
		sl = realloc(c->slab, cap * sizeof(*sl));
		if (!sl)
			return SIM_NIL;
		c->slab = sl;
		fi = realloc(c->freeidx, cap * c->g.objs_per_slab * sizeof(*fi));
		if (!fi)
			return SIM_NIL;
		c->freeidx = fi;
		c->caprec = cap;
	}
	return (uint32_t)c->nrec++;
}

static void rec_put(struct sim_kcache *c, uint32_t i)
{
	c->slab[i].list = SL_UNUSED;
	c->slab[i].next = c->free_rec;
	c->free_rec = i;
}

/* ---- pages ------------------------------------------------------------------ */

static void pb_account(struct sim_slabs *s, int zone, int64_t pfn, unsigned order, int sign)
{
	const struct sim_zone *z;
	uint64_t first, n = (uint64_t)1 << order;

	if (zone < 0 || pfn < 0)
		return;
	z = &s->m->zones[zone];
	first = (uint64_t)pfn - z->base;
	for (uint64_t p = first; p < first + n;) {
		uint64_t pb = p >> z->pb_order, end = (pb + 1) << z->pb_order, k = end < first + n ? end - p :
										  first + n - p;

		s->pbslab[zone][pb] = (uint32_t)((int64_t)s->pbslab[zone][pb] + sign * (int64_t)k);
		p += k;
	}
}

/* Mark the pages of a slab as held by a simulated slab (or not), so that
 * seeding never places a slab on another's pages. */
static void mark_claimed(struct sim_slabs *s, int zone, int64_t pfn, unsigned order, uint8_t v)
{
	if (!s->claimed || zone < 0 || pfn < 0 || !s->claimed[zone])
		return;
	memset(&s->claimed[zone][(uint64_t)pfn - s->m->zones[zone].base], v, (size_t)1 << order);
}

/* Set up record i as a slab of order o at pfn with no object in use. */
static void slab_setup(struct sim_slabs *s, struct sim_kcache *c, uint32_t i, int64_t pfn, int zone, unsigned o)
{
	struct sim_slab *sl = &c->slab[i];
	uint64_t objs = (s->m->page_size << o) / c->g.slab_size;
	uint16_t *st = stack_of(c, i);

	if (objs > c->g.objs_per_slab)
		objs = c->g.objs_per_slab;
	sl->pfn = pfn;
	sl->zone = zone;
	sl->order = (uint8_t)o;
	sl->objects = (uint16_t)objs;
	sl->inuse = 0;
	/* Popped from the top: index 0 first. */
	for (uint64_t k = 0; k < objs; k++)
		st[k] = (uint16_t)(objs - 1 - k);
	c->pages += (uint64_t)1 << o;
	c->total_objs += objs;
	c->leftover += (s->m->page_size << o) - objs * c->g.slab_size;
	pb_account(s, zone, pfn, o, 1);
	mark_claimed(s, zone, pfn, o, 1);
}

/* A new slab from the buddy machine, on no list yet; SIM_NIL when the
 * machine cannot give one (or ENOMEM: *err). */
static uint32_t slab_new(struct sim_slabs *s, struct sim_kcache *c, int node, int *err)
{
	struct sim_alloc a;
	unsigned o = c->g.order;
	uint32_t i;

	sim_machine_alloc(s->m, c->gfp | FS_GFP_COMP | FS_GFP_NOWARN | FS_GFP_NORETRY, o, node, &a);
	if (a.pfn < 0 && c->g.min_order < o) {
		o = c->g.min_order;
		sim_machine_alloc(s->m, c->gfp | FS_GFP_COMP, o, node, &a);
		if (a.pfn >= 0)
			c->st.fallbacks++;
	}
	if (a.pfn < 0)
		return SIM_NIL;
	i = rec_get(c);
	if (i == SIM_NIL) {
		sim_machine_free_block(s->m, a.zone, a.pfn, o, c->gfp | FS_GFP_COMP);
		*err = -ENOMEM;
		return SIM_NIL;
	}
	slab_setup(s, c, i, a.pfn, a.zone, o);
	c->st.slab_allocs++;
	return i;
}

/* Give an empty slab back to the buddy machine (it is on no list). */
static void slab_release(struct sim_slabs *s, struct sim_kcache *c, uint32_t i)
{
	struct sim_slab *sl = &c->slab[i];

	pb_account(s, sl->zone, sl->pfn, sl->order, -1);
	mark_claimed(s, sl->zone, sl->pfn, sl->order, 0);
	if (sl->pfn >= 0)
		sim_machine_free_block(s->m, sl->zone, sl->pfn, sl->order, c->gfp | FS_GFP_COMP);
	c->pages -= (uint64_t)1 << sl->order;
	c->total_objs -= sl->objects;
	c->leftover -= (s->m->page_size << sl->order) - (uint64_t)sl->objects * c->g.slab_size;
	c->st.slab_frees++;
	rec_put(c, i);
}

/* An empty slab leaving the node's partial list or a CPU list: kept as
 * empty while the node holds fewer than min_partial partial and empty
 * slabs, else released (discard_slab()). */
static void slab_emptied(struct sim_slabs *s, struct sim_kcache *c, uint32_t i)
{
	bool on_node = c->slab[i].list == SL_PARTIAL || c->slab[i].list == SL_EMPTY;
	uint64_t node = c->nslabs[SL_PARTIAL] + c->nslabs[SL_EMPTY] - (on_node ? 1 : 0);

	if (node < c->g.min_partial) {
		list_move(c, i, SL_EMPTY);
		return;
	}
	list_del(c, i);
	slab_release(s, c, i);
}

/* ---- caches ------------------------------------------------------------------- */

int sim_slabs_init(struct sim_slabs *s, struct sim_machine *m, bool cpu_slabs, uint64_t seed)
{
	memset(s, 0, sizeof(*s));
	s->m = m;
	s->cpu_slabs = cpu_slabs;
	s->rng = seed ? seed : 1;
	/* A different stream from the workload's. */
	s->rng ^= UINT64_C(0x9e3779b97f4a7c15);
	if (!s->rng)
		s->rng = 1;
	s->pbslab = calloc(m->nz ? m->nz : 1, sizeof(*s->pbslab));
	if (!s->pbslab)
		return -ENOMEM;
	for (size_t z = 0; z < m->nz; z++) {
		s->pbslab[z] = calloc(m->zones[z].npb ? m->zones[z].npb : 1, sizeof(**s->pbslab));
		if (!s->pbslab[z])
			return -ENOMEM;
	}
	return 0;
}

void sim_slabs_free(struct sim_slabs *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->c[i].slab);
		free(s->c[i].freeidx);
		free(s->c[i].live);
	}
	free(s->c);
	for (size_t z = 0; s->m && z < s->m->nz; z++) {
		if (s->pbslab)
			free(s->pbslab[z]);
		if (s->claimed)
			free(s->claimed[z]);
		if (s->pbcap)
			free(s->pbcap[z]);
	}
	free(s->pbslab);
	free(s->claimed);
	free(s->pbcap);
	free(s->cursor);
	memset(s, 0, sizeof(*s));
}

int sim_slabs_find(const struct sim_slabs *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->c[i].name, name) == 0)
			return (int)i;
	return -1;
}

int sim_slabs_add(struct sim_slabs *s, const char *name, const struct slab_geom *g, unsigned flags)
{
	struct sim_kcache *c;
	const struct gfp_class *k = alloc_class_find("GFP_KERNEL");

	if (sim_slabs_find(s, name) >= 0)
		return -EEXIST;
	if (!g->objs_per_slab || g->objs_per_slab > 32767 || !g->slab_size)
		return -EINVAL;
	c = realloc(s->c, (s->n + 1) * sizeof(*c));
	if (!c)
		return -ENOMEM;
	s->c = c;
	c = &s->c[s->n];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->g = *g;
	c->flags = flags;
	c->mt = (flags & SG_RECLAIM_ACCOUNT) ? MT_RECLAIMABLE : MT_UNMOVABLE;
	c->gfp = (k ? k->gfp : (FS_GFP_IO | FS_GFP_FS | FS_GFP_DIRECT_RECLAIM | FS_GFP_KSWAPD_RECLAIM)) |
		 ((flags & SG_RECLAIM_ACCOUNT) ? FS_GFP_RECLAIMABLE : 0) | ((flags & SG_CACHE_DMA) ? FS_GFP_DMA : 0);
	c->free_rec = SIM_NIL;
	for (int l = 0; l < SL_NLISTS; l++)
		c->head[l] = SIM_NIL;
	return (int)s->n++;
}

/* ---- live objects ------------------------------------------------------------- */

static int live_push(struct sim_kcache *c, uint64_t h)
{
	if (c->live_n == c->live_cap) {
		/* Compact first when half the array is dead or consumed. */
		if (c->live_head + c->live_dead > c->live_n / 2 && c->live_n > 0) {
			size_t k = 0;

			for (size_t j = c->live_head; j < c->live_n; j++)
				if (c->live[j] != DEAD)
					c->live[k++] = c->live[j];
			c->live_n = k;
			c->live_head = 0;
			c->live_dead = 0;
		}
		if (c->live_n == c->live_cap) {
			size_t cap = c->live_cap ? c->live_cap * 2 : 1024;
			uint64_t *l = realloc(c->live, cap * sizeof(*l));

			if (!l)
				return -ENOMEM;
			c->live = l;
			c->live_cap = cap;
		}
	}
	c->live[c->live_n++] = h;
	return 0;
}

uint64_t sim_slabs_held(const struct sim_slabs *s, size_t i)
{
	const struct sim_kcache *c = &s->c[i];

	return c->live_n - c->live_head - c->live_dead;
}

/* ---- allocation and free ------------------------------------------------------- */

/* Take one object from slab i (which has a free one). */
static uint64_t take(struct sim_kcache *c, uint32_t i)
{
	struct sim_slab *sl = &c->slab[i];
	uint16_t idx = stack_of(c, i)[sl->objects - sl->inuse - 1];

	sl->inuse++;
	c->active++;
	return ((uint64_t)i << 16) | idx;
}

/* The slab the next object comes from, on its final list; SIM_NIL when no
 * slab can be had. */
static uint32_t pick_slab(struct sim_slabs *s, struct sim_kcache *c, int node, int *err)
{
	uint32_t i;

	if (s->cpu_slabs) {
		i = c->head[SL_CPU];
		if (i != SIM_NIL && c->slab[i].inuse < c->slab[i].objects)
			return i;
		if (i != SIM_NIL)
			list_move(c, i, SL_FULL);   /* a full CPU slab is forgotten (deactivated full) */
		i = c->head[SL_CPU_PARTIAL];
		if (i == SIM_NIL)
			i = c->head[SL_PARTIAL];
		if (i == SIM_NIL)
			i = c->head[SL_EMPTY];
		if (i != SIM_NIL) {
			list_move(c, i, SL_CPU);
			return i;
		}
		i = slab_new(s, c, node, err);
		if (i != SIM_NIL)
			list_add(c, i, SL_CPU);
		return i;
	}
	i = c->head[SL_PARTIAL];
	if (i != SIM_NIL)
		return i;
	i = c->head[SL_EMPTY];
	if (i != SIM_NIL) {
		list_move(c, i, SL_PARTIAL);
		return i;
	}
	i = slab_new(s, c, node, err);
	if (i != SIM_NIL)
		list_add(c, i, SL_PARTIAL);
	return i;
}

int64_t sim_slabs_alloc(struct sim_slabs *s, size_t ci, uint64_t count, int node)
{
	struct sim_kcache *c = &s->c[ci];
	uint64_t done = 0;
	int err = 0;

	for (; done < count; done++) {
		uint32_t i = pick_slab(s, c, node, &err);
		uint64_t h;

		if (err)
			return err;
		if (i == SIM_NIL) {
			c->st.alloc_fails++;
			break;
		}
		h = take(c, i);
		if (!s->cpu_slabs && c->slab[i].inuse == c->slab[i].objects)
			list_move(c, i, SL_FULL);
		if (live_push(c, h) < 0)
			return -ENOMEM;
		c->st.allocs++;
	}
	return (int64_t)done;
}

/* Move every per-CPU partial slab to the node (__put_partials()). */
static void unfreeze_partials(struct sim_slabs *s, struct sim_kcache *c)
{
	uint32_t i;

	while ((i = c->head[SL_CPU_PARTIAL]) != SIM_NIL) {
		if (c->slab[i].inuse == 0)
			slab_emptied(s, c, i);
		else
			list_move(c, i, c->slab[i].inuse == c->slab[i].objects ? SL_FULL : SL_PARTIAL);
	}
}

static void free_one(struct sim_slabs *s, struct sim_kcache *c, uint64_t h)
{
	uint32_t i = (uint32_t)(h >> 16);
	struct sim_slab *sl = &c->slab[i];
	bool was_full = sl->inuse == sl->objects;

	stack_of(c, i)[sl->objects - sl->inuse] = (uint16_t)(h & 0xffff);
	sl->inuse--;
	c->active--;
	c->st.frees++;
	switch ((enum sim_slab_list)sl->list) {
	case SL_CPU:
	case SL_CPU_PARTIAL:
		return;   /* frozen: stays with the CPU */
	case SL_FULL:
		if (s->cpu_slabs && was_full) {
			list_move(c, i, SL_CPU_PARTIAL);
			if (c->nslabs[SL_CPU_PARTIAL] > c->g.cpu_partial_slabs)
				unfreeze_partials(s, c);
			return;
		}
		if (sl->inuse == 0)
			slab_emptied(s, c, i);
		else
			list_move(c, i, SL_PARTIAL);
		return;
	case SL_PARTIAL:
		if (sl->inuse == 0)
			slab_emptied(s, c, i);
		return;
	default:
		return;
	}
}

static uint64_t rnd(struct sim_slabs *s)
{
	return sim_xorshift64s(&s->rng);
}

uint64_t sim_slabs_free_objs(struct sim_slabs *s, size_t ci, uint64_t count, enum sim_pick pick)
{
	struct sim_kcache *c = &s->c[ci];
	uint64_t held = sim_slabs_held(s, ci), done;

	if (count > held)
		count = held;
	for (done = 0; done < count; done++) {
		uint64_t h;

		if (pick == SIM_PICK_OLDEST) {
			while (c->live[c->live_head] == DEAD) {
				c->live_head++;
				c->live_dead--;
			}
			h = c->live[c->live_head++];
		} else {
			size_t span = c->live_n - c->live_head, j;

			do
				j = c->live_head + (size_t)(rnd(s) % span);
			while (c->live[j] == DEAD);
			h = c->live[j];
			if (j == c->live_head) {
				c->live_head++;
			} else {
				c->live[j] = DEAD;
				c->live_dead++;
			}
		}
		free_one(s, c, h);
		/* Keep random picks cheap: at most half the window dead. */
		if (c->live_dead > 64 && c->live_dead * 2 > c->live_n - c->live_head) {
			size_t k = 0;

			for (size_t j = c->live_head; j < c->live_n; j++)
				if (c->live[j] != DEAD)
					c->live[k++] = c->live[j];
			c->live_n = k;
			c->live_head = 0;
			c->live_dead = 0;
		}
	}
	return done;
}

int sim_slabs_op_hook(struct sim_machine *m, const struct sim_op *op, int node, uint64_t step, size_t phase,
		      void *ctx)
{
	struct sim_slabs *s = ctx;
	int ci = sim_slabs_find(s, op->cache);
	uint64_t n;
	int64_t r;

	(void)m;
	(void)step;
	(void)phase;
	if (ci < 0)
		return -ENOENT;
	switch (op->kind) {
	case SIM_OP_OBJALLOC:
		r = sim_slabs_alloc(s, (size_t)ci, op->count, node);
		return r < 0 ? (int)r : 0;
	case SIM_OP_OBJFREE:
	case SIM_OP_CHURN:
		n = op->fraction_pct ? sim_slabs_held(s, (size_t)ci) * op->fraction_pct / 100 : op->count;
		n = sim_slabs_free_objs(s, (size_t)ci, n, op->pick);
		if (op->kind == SIM_OP_CHURN) {
			r = sim_slabs_alloc(s, (size_t)ci, n, node);
			return r < 0 ? (int)r : 0;
		}
		return 0;
	case SIM_OP_PAGES:
		break;
	}
	return -EINVAL;
}

/* ---- seeding -------------------------------------------------------------------- */

/* Whether [idx, idx + 2^o) of z is allocated in the engine: no free block
 * starts inside it and none covers its first page. */
static bool all_allocated(const struct sim_zone *z, uint64_t idx, unsigned o)
{
	if (sim_zone_page_free(z, z->base + idx))
		return false;
	for (uint64_t k = 1; k < ((uint64_t)1 << o); k++)
		if (z->st[idx + k])
			return false;
	return true;
}

/* Whether every pageblock [idx, idx + n) touches has that many in-use,
 * non-movable, unclaimed pages; take them with take. */
static bool pbcap_ok(struct sim_slabs *s, size_t zi, uint64_t idx, uint64_t n, bool take)
{
	const struct sim_zone *z = &s->m->zones[zi];
	uint64_t pbn = (uint64_t)1 << z->pb_order;

	for (uint64_t p = idx; p < idx + n; p += pbn < n ? pbn : n) {
		uint64_t share = pbn < n ? pbn : n;
		uint32_t *cap = &s->pbcap[zi][p >> z->pb_order];

		if (take)
			*cap = *cap > share ? *cap - (uint32_t)share : 0;
		else if (*cap < share)
			return false;
	}
	return true;
}

/* The first page of an allocated, unclaimed block of order o in a
 * pageblock of type mt (any kernel or movable type with any_type). */
static int64_t claim(struct sim_slabs *s, uint8_t **claimed, uint64_t (*cursor)[2][FS_MAX_ORDERS], unsigned o,
		     enum alloc_mt mt, int *zone)
{
	for (int pass = 0; pass < 2; pass++) {
		for (size_t zi = 0; zi < s->m->nz; zi++) {
			const struct sim_zone *z = &s->m->zones[zi];
			uint64_t n = (uint64_t)1 << o, lo = z->start - z->base, hi = z->end - z->base;
			uint64_t *cur = &cursor[zi][pass][o];

			if (*cur < lo)
				*cur = (lo + n - 1) & ~(n - 1);
			for (; *cur + n <= hi; *cur += n) {
				uint64_t idx = *cur, k;
				uint8_t t = z->pbmt[idx >> z->pb_order];

				if (t == SIM_PB_HOLE)
					continue;
				if (pass == 0 ? t != mt : (t != MT_MOVABLE && t != MT_UNMOVABLE && t != MT_RECLAIMABLE))
					continue;
				for (k = 0; k < n && !claimed[zi][idx + k]; k++)
					;
				if (k < n || !pbcap_ok(s, zi, idx, n, false) || !all_allocated(z, idx, o))
					continue;
				pbcap_ok(s, zi, idx, n, true);
				memset(&claimed[zi][idx], 1, n);
				*cur += n;
				*zone = (int)zi;
				return (int64_t)(z->base + idx);
			}
		}
	}
	return -1;
}

static int seed_maps(struct sim_slabs *s)
{
	if (s->claimed)
		return 0;
	s->claimed = calloc(s->m->nz ? s->m->nz : 1, sizeof(*s->claimed));
	s->pbcap = calloc(s->m->nz ? s->m->nz : 1, sizeof(*s->pbcap));
	s->cursor = calloc(s->m->nz ? s->m->nz : 1, sizeof(*s->cursor));
	if (!s->claimed || !s->pbcap || !s->cursor)
		return -ENOMEM;
	for (size_t zi = 0; zi < s->m->nz; zi++) {
		const struct sim_zone *z = &s->m->zones[zi];
		uint64_t pbn = (uint64_t)1 << z->pb_order;

		s->claimed[zi] = calloc(z->npg ? z->npg : 1, 1);
		s->pbcap[zi] = calloc(z->npb ? z->npb : 1, sizeof(**s->pbcap));
		if (!s->claimed[zi] || !s->pbcap[zi])
			return -ENOMEM;
		/* In-use pages per pageblock inside the span, less the free and
		 * the movable ones. */
		for (size_t pb = 0; pb < z->npb; pb++) {
			uint64_t lo = pb * pbn, hi = lo + pbn, slo = z->start - z->base, shi = z->end - z->base;

			lo = lo < slo ? slo : lo;
			hi = hi > shi ? shi : hi;
			s->pbcap[zi][pb] = hi > lo ? (uint32_t)(hi - lo) : 0;
			s->pbcap[zi][pb] = s->pbcap[zi][pb] > z->pbmov[pb] ? s->pbcap[zi][pb] - z->pbmov[pb] : 0;
		}
		for (uint64_t i = 0; i < z->npg;) {
			if (z->st[i]) {
				uint64_t n = (uint64_t)1 << (z->st[i] - 1);

				for (uint64_t p = i; p < i + n; p += pbn < n ? pbn : n) {
					uint32_t *cap = &s->pbcap[zi][p >> z->pb_order];
					uint32_t share = (uint32_t)(pbn < n ? pbn : n);

					*cap = *cap > share ? *cap - share : 0;
				}
				i += n;
			} else {
				i++;
			}
		}
	}
	/* Slabs that exist already hold their pages. */
	for (size_t ci = 0; ci < s->n; ci++)
		for (size_t i = 0; i < s->c[ci].nrec; i++) {
			const struct sim_slab *sl = &s->c[ci].slab[i];

			if (sl->list == SL_UNUSED || sl->pfn < 0)
				continue;
			mark_claimed(s, sl->zone, sl->pfn, sl->order, 1);
			pbcap_ok(s, (size_t)sl->zone, (uint64_t)sl->pfn - s->m->zones[sl->zone].base,
				 (uint64_t)1 << sl->order, true);
		}
	return 0;
}

/* One seeded slab holding `objs` objects on list l. */
static int seed_slab(struct sim_slabs *s, struct sim_kcache *c, uint64_t objs, enum sim_slab_list l)
{
	uint32_t i = rec_get(c);
	int zone = -1;
	int64_t pfn;

	if (i == SIM_NIL)
		return -ENOMEM;
	pfn = claim(s, s->claimed, s->cursor, c->g.order, c->mt, &zone);
	if (pfn < 0)
		c->st.unplaced_slabs++;
	slab_setup(s, c, i, pfn, zone, c->g.order);
	list_add(c, i, l);
	c->st.seeded_slabs++;
	for (uint64_t k = 0; k < objs && k < c->slab[i].objects; k++)
		if (live_push(c, take(c, i)) < 0)
			return -ENOMEM;
	return 0;
}

int sim_slabs_seed(struct sim_slabs *s, size_t ci, uint64_t full, uint64_t partial, uint64_t partial_objs,
		   uint64_t empty)
{
	struct sim_kcache *c = &s->c[ci];
	uint64_t per = c->g.objs_per_slab;
	int r = seed_maps(s);

	c->from_seed = true;
	for (uint64_t k = 0; !r && k < full; k++)
		r = seed_slab(s, c, per, SL_FULL);
	/* partial_objs spread evenly, each slab between 1 and per - 1. */
	for (uint64_t k = 0; !r && k < partial; k++) {
		uint64_t objs = partial_objs / partial + (k < partial_objs % partial ? 1 : 0);

		if (objs < 1)
			objs = 1;
		if (per > 1 && objs > per - 1)
			objs = per - 1;
		r = seed_slab(s, c, objs, per > 1 ? SL_PARTIAL : SL_FULL);
	}
	for (uint64_t k = 0; !r && k < empty; k++)
		r = seed_slab(s, c, 0, SL_EMPTY);
	return r;
}

/* ---- statistics ------------------------------------------------------------------ */

void sim_slabs_cache_now(const struct sim_slabs *s, size_t ci, struct sim_kcache_now *out)
{
	const struct sim_kcache *c = &s->c[ci];

	memset(out, 0, sizeof(*out));
	out->active = c->active;
	out->total_objs = c->total_objs;
	out->pages = c->pages;
	for (int l = 0; l < SL_NLISTS; l++) {
		out->lists[l] = c->nslabs[l];
		out->slabs += c->nslabs[l];
	}
	out->internal_waste = (c->g.slab_size - c->g.object_size) * c->active + c->leftover;
	out->free_slots = c->total_objs - c->active;
	for (int l = SL_PARTIAL; l <= SL_CPU_PARTIAL; l += SL_CPU_PARTIAL - SL_PARTIAL)
		for (uint32_t i = c->head[l]; i != SIM_NIL; i = c->slab[i].next)
			out->external_waste += (uint64_t)(c->slab[i].objects - c->slab[i].inuse) * c->g.slab_size;
}

int sim_slabs_pageblocks(const struct sim_slabs *s, struct sim_pb_stats *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t zi = 0; zi < s->m->nz; zi++) {
		const struct sim_zone *z = &s->m->zones[zi];
		uint32_t *freepg = calloc(z->npb ? z->npb : 1, sizeof(*freepg));
		uint64_t pbsize = (uint64_t)1 << z->pb_order;

		if (!freepg)
			return -ENOMEM;
		for (uint64_t i = 0; i < z->npg;) {
			if (z->st[i]) {
				uint64_t n = (uint64_t)1 << (z->st[i] - 1);

				for (uint64_t p = i; p < i + n; p += pbsize < n ? pbsize : n)
					freepg[p >> z->pb_order] += (uint32_t)(pbsize < n ? pbsize : n);
				i += n;
			} else {
				i++;
			}
		}
		for (size_t pb = 0; pb < z->npb; pb++) {
			uint8_t t = z->pbmt[pb];
			uint64_t lo = pb << z->pb_order, hi = lo + pbsize, span_lo = z->start - z->base,
				 span_hi = z->end - z->base, present, kernel;

			if (t == SIM_PB_HOLE)
				continue;
			if (lo < span_lo)
				lo = span_lo;
			if (hi > span_hi)
				hi = span_hi;
			if (hi <= lo)
				continue;
			present = hi - lo;
			out->pageblocks++;
			out->by_type[t]++;
			kernel = present - freepg[pb] - z->pbmov[pb];
			if (freepg[pb] + z->pbmov[pb] < present && kernel) {
				out->polluted++;
				if (t == MT_MOVABLE)
					out->polluted_movable++;
			}
			if (s->pbslab[zi][pb]) {
				out->with_slab++;
				if (t == MT_MOVABLE)
					out->slab_in_movable++;
			}
		}
		free(freepg);
	}
	return 0;
}

/* ---- invariants -------------------------------------------------------------------- */

int sim_slabs_check(const struct sim_slabs *s, char *why, size_t size)
{
	uint32_t **pb = calloc(s->m->nz ? s->m->nz : 1, sizeof(*pb));
	int rc = 0;

#define FAIL(...) do { snprintf(why, size, __VA_ARGS__); rc = -EUCLEAN; goto out; } while (0)
	if (!pb)
		return -ENOMEM;
	for (size_t z = 0; z < s->m->nz; z++) {
		pb[z] = calloc(s->m->zones[z].npb ? s->m->zones[z].npb : 1, sizeof(**pb));
		if (!pb[z]) {
			rc = -ENOMEM;
			goto out;
		}
	}
	for (size_t ci = 0; ci < s->n; ci++) {
		const struct sim_kcache *c = &s->c[ci];
		uint64_t active = 0, pages = 0, objs = 0, seen = 0, onlist = 0;
		uint8_t *mark = calloc(c->nrec ? c->nrec : 1, 1);

		if (!mark) {
			rc = -ENOMEM;
			goto out;
		}
		for (int l = 0; l < SL_NLISTS; l++) {
			uint64_t n = 0;
			uint32_t prev = SIM_NIL;

			for (uint32_t i = c->head[l]; i != SIM_NIL; prev = i, i = c->slab[i].next) {
				const struct sim_slab *sl = &c->slab[i];
				const uint16_t *st = &c->freeidx[(size_t)i * c->g.objs_per_slab];
				uint8_t used[32768 / 8];

				if (i >= c->nrec || mark[i]) {
					free(mark);
					FAIL("cache %s: slab %u is on a list twice or out of range", c->name, i);
				}
				mark[i] = 1;
				n++;
				memset(used, 0, (size_t)sl->objects / 8 + 1);
				if (sl->list != l || sl->prev != prev) {
					free(mark);
					FAIL("cache %s: slab %u: list %u, found on list %d (or a bad back link)", c->name, i,
					     sl->list, l);
				}
				if (sl->inuse > sl->objects || !sl->objects ||
				    (l == SL_FULL && sl->inuse != sl->objects) ||
				    (l == SL_PARTIAL && (sl->inuse == 0 || sl->inuse == sl->objects)) ||
				    (l == SL_EMPTY && sl->inuse != 0)) {
					free(mark);
					FAIL("cache %s: slab %u on list %d has %u of %u objects in use", c->name, i, l,
					     sl->inuse, sl->objects);
				}
				for (unsigned k = 0; k < (unsigned)(sl->objects - sl->inuse); k++) {
					uint16_t x = st[k];

					if (x >= sl->objects || (used[x / 8] & (1u << (x % 8)))) {
						free(mark);
						FAIL("cache %s: slab %u: free index %u repeated or out of range", c->name, i, x);
					}
					used[x / 8] |= (uint8_t)(1u << (x % 8));
				}
				active += sl->inuse;
				pages += (uint64_t)1 << sl->order;
				objs += sl->objects;
				if (sl->zone >= 0 && sl->pfn >= 0) {
					const struct sim_zone *z = &s->m->zones[sl->zone];
					uint64_t first = (uint64_t)sl->pfn - z->base, np = (uint64_t)1 << sl->order;

					if ((uint64_t)sl->pfn < z->start || (uint64_t)sl->pfn + np > z->end ||
					    sim_zone_page_free(z, (uint64_t)sl->pfn)) {
						free(mark);
						FAIL("cache %s: slab %u at pfn %lld is outside its zone or free in the buddy machine",
						     c->name, i, (long long)sl->pfn);
					}
					for (uint64_t p = first; p < first + np; p++)
						pb[sl->zone][p >> z->pb_order]++;
				}
			}
			if (n != c->nslabs[l]) {
				free(mark);
				FAIL("cache %s: list %d holds %llu slabs, counted %llu", c->name, l,
				     (unsigned long long)n, (unsigned long long)c->nslabs[l]);
			}
			onlist += n;
		}
		if (c->nslabs[SL_CPU] > 1) {
			free(mark);
			FAIL("cache %s: %llu CPU slabs", c->name, (unsigned long long)c->nslabs[SL_CPU]);
		}
		if (active != c->active || pages != c->pages || objs != c->total_objs) {
			free(mark);
			FAIL("cache %s: totals (active %llu, pages %llu, objects %llu) are not the sums over its slabs",
			     c->name, (unsigned long long)c->active, (unsigned long long)c->pages,
			     (unsigned long long)c->total_objs);
		}
		for (uint32_t i = c->free_rec; i != SIM_NIL; i = c->slab[i].next) {
			if (i >= c->nrec || mark[i] || c->slab[i].list != SL_UNUSED) {
				free(mark);
				FAIL("cache %s: free record %u is in use", c->name, i);
			}
			mark[i] = 1;
			seen++;
		}
		if (onlist + seen != c->nrec) {
			free(mark);
			FAIL("cache %s: %llu records, %llu on lists and %llu free", c->name,
			     (unsigned long long)c->nrec, (unsigned long long)onlist, (unsigned long long)seen);
		}
		free(mark);
		/* Live handles: distinct in-use objects; as many as in use. */
		{
			uint64_t nlive = 0, dead = 0;

			for (size_t j = c->live_head; j < c->live_n; j++) {
				uint64_t h = c->live[j];
				uint32_t i;
				const struct sim_slab *sl;
				const uint16_t *st;

				if (h == DEAD) {
					dead++;
					continue;
				}
				nlive++;
				i = (uint32_t)(h >> 16);
				if (i >= c->nrec || c->slab[i].list == SL_UNUSED)
					FAIL("cache %s: a held object is in a released slab", c->name);
				sl = &c->slab[i];
				st = &c->freeidx[(size_t)i * c->g.objs_per_slab];
				for (unsigned k = 0; k < (unsigned)(sl->objects - sl->inuse); k++)
					if (st[k] == (h & 0xffff))
						FAIL("cache %s: a held object is free in its slab", c->name);
			}
			if (dead != c->live_dead || nlive != c->active)
				FAIL("cache %s: %llu objects held, %llu in use", c->name, (unsigned long long)nlive,
				     (unsigned long long)c->active);
		}
	}
	for (size_t z = 0; z < s->m->nz; z++)
		for (size_t k = 0; k < s->m->zones[z].npb; k++)
			if (pb[z][k] != s->pbslab[z][k])
				FAIL("zone %zu pageblock %zu: %u slab pages counted, %u found", z, k, s->pbslab[z][k], pb[z][k]);
	rc = sim_machine_check(s->m, why, size);
#undef FAIL
out:
	for (size_t z = 0; z < s->m->nz; z++)
		free(pb[z]);
	free(pb);
	return rc;
}
