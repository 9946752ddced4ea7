/*
 * slab.h - the slab allocator simulator on the buddy simulator: kmem
 * caches with their full, partial and empty slab lists and, optionally,
 * SLUB's per-CPU slab and per-CPU partial list; slab pages come from and
 * go back to a simulated machine (machine.h) with the cache's
 * migratetype.  slab.c explains the model and the invariants.
 *
 * Pure and deterministic: no I/O, no printing, no clock; randomness from
 * a seeded xorshift64* stream.
 */
#ifndef FRAGSCOPE_SIM_SLAB_H
#define FRAGSCOPE_SIM_SLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine.h"
#include "slabgeom.h"
#include "workload.h"

/* Which list a slab is on. */
enum sim_slab_list {
	SL_FULL,
	SL_PARTIAL,      /* the node's partial list */
	SL_EMPTY,        /* empty slabs kept (up to min_partial with the partial ones) */
	SL_CPU,          /* the per-CPU slab (at most one) */
	SL_CPU_PARTIAL,  /* the per-CPU partial list */
	SL_NLISTS,
	SL_UNUSED = SL_NLISTS,  /* a free record */
};

struct sim_slab {
	int64_t pfn;             /* first page; -1: a seeded slab the seed could not place */
	int32_t zone;            /* index into the machine's zones; -1 with pfn -1 */
	uint32_t next, prev;     /* list links (SIM_NIL at the ends); next chains free records */
	uint16_t objects, inuse;
	uint8_t order;
	uint8_t list;            /* enum sim_slab_list */
};

/* Counters of one cache. */
struct sim_kcache_stats {
	uint64_t allocs, frees, alloc_fails;
	uint64_t slab_allocs, slab_frees, fallbacks;   /* fallbacks: slabs at the smaller min order */
	uint64_t seeded_slabs, unplaced_slabs;         /* from the seed; those not placed in the buddy machine */
};

struct sim_kcache {
	char name[SIM_CACHE_NAME];
	struct slab_geom g;      /* object_size, slab_size, order, objs_per_slab, min order, tunables */
	unsigned flags;          /* SG_* */
	enum alloc_mt mt;        /* MT_UNMOVABLE, or MT_RECLAIMABLE for SG_RECLAIM_ACCOUNT */
	uint32_t gfp;            /* GFP_KERNEL, | __GFP_RECLAIMABLE */
	bool from_seed;          /* its state came from the seed's slabinfo */

	struct sim_slab *slab;   /* records; free ones chained from free_rec */
	uint16_t *freeidx;       /* per record: a stack of its free object indices (objs_per_slab each) */
	size_t nrec, caprec;
	uint32_t free_rec;
	uint32_t head[SL_NLISTS];
	uint64_t nslabs[SL_NLISTS];

	/* The objects the workload holds, in allocation order: (record << 16)
	 * | index, or UINT64_MAX for one freed out of order. */
	uint64_t *live;
	size_t live_head, live_n, live_cap, live_dead;

	uint64_t active;         /* objects in use */
	uint64_t pages;          /* pages of all slabs */
	uint64_t total_objs;     /* capacity of all slabs */
	uint64_t leftover;       /* bytes at the ends of all slabs */
	struct sim_kcache_stats st;
};

struct sim_slabs {
	struct sim_machine *m;
	struct sim_kcache *c;
	size_t n;
	bool cpu_slabs;          /* per-CPU slab and per-CPU partial list */
	uint64_t rng;
	uint32_t **pbslab;       /* per zone, per pageblock: slab pages in it */
	uint8_t **claimed;       /* seeding: per zone, per page index: held by a simulated slab */
	uint32_t **pbcap;        /* seeding: per zone, per pageblock: in-use pages not movable and not yet claimed */
	uint64_t (*cursor)[2][FS_MAX_ORDERS];   /* seeding: per zone, pass and order: where to look next */
};

/* A machine-wide view of pageblock pollution (sim_slabs_pageblocks()). */
struct sim_pb_stats {
	uint64_t pageblocks;               /* not holes */
	uint64_t by_type[SIM_NMT];         /* pageblocks per migratetype */
	uint64_t polluted;                 /* holding an in-use Unmovable or Reclaimable page */
	uint64_t polluted_movable;         /* ... of them typed Movable */
	uint64_t with_slab;                /* holding a page of a simulated slab */
	uint64_t slab_in_movable;          /* ... of them typed Movable (slab pages stole into them) */
};

/* Cache totals now. */
struct sim_kcache_now {
	uint64_t active, total_objs, pages, slabs;
	uint64_t lists[SL_NLISTS];
	uint64_t internal_waste;   /* (slab_size - object_size) x active + slab tail leftovers */
	uint64_t external_waste;   /* free slots in partial slabs (node and per-CPU) x slab_size */
	uint64_t free_slots;       /* all free slots, cpu slab and empty slabs included */
};

int sim_slabs_init(struct sim_slabs *s, struct sim_machine *m, bool cpu_slabs, uint64_t seed);
void sim_slabs_free(struct sim_slabs *s);

/* Add a cache with geometry g and flags; its index, or -ENOMEM / -EEXIST. */
int sim_slabs_add(struct sim_slabs *s, const char *name, const struct slab_geom *g, unsigned flags);
/* The cache called name, or -1. */
int sim_slabs_find(const struct sim_slabs *s, const char *name);

/*
 * Seed cache i with slabs and objects as a kernel listed them: `full`
 * full slabs, `partial` slabs holding `partial_objs` objects between them,
 * and `empty` empty slabs.  Each slab is placed on pages the seed machine
 * has allocated in a pageblock of the cache's migratetype, else of any
 * type, aligned to the slab order (the page counts do not say where the
 * kernel's slabs are), and never on more of a pageblock than its in-use
 * pages that are not counted as movable; a slab that finds no such pages
 * keeps pfn -1 and is dropped without freeing pages when it empties.  The seeded objects
 * belong to the workload: objfree and churn may free them.  0 or -ENOMEM.
 */
int sim_slabs_seed(struct sim_slabs *s, size_t i, uint64_t full, uint64_t partial, uint64_t partial_objs,
		   uint64_t empty);

/* Allocate count objects of cache i for a task on node; the number
 * allocated (fewer when the buddy machine cannot give a slab), or -ENOMEM. */
int64_t sim_slabs_alloc(struct sim_slabs *s, size_t i, uint64_t count, int node);
/* Free count of the objects the workload holds in cache i (at most all),
 * at random or oldest first; the number freed. */
uint64_t sim_slabs_free_objs(struct sim_slabs *s, size_t i, uint64_t count, enum sim_pick pick);
/* Objects the workload holds in cache i. */
uint64_t sim_slabs_held(const struct sim_slabs *s, size_t i);

/* workload.h's op_hook: ctx is the struct sim_slabs; op->cache must name
 * a cache of it (else -ENOENT). */
int sim_slabs_op_hook(struct sim_machine *m, const struct sim_op *op, int node, uint64_t step, size_t phase,
		      void *ctx);

void sim_slabs_cache_now(const struct sim_slabs *s, size_t i, struct sim_kcache_now *out);
/* Pageblocks of the machine now: O(pages). */
int sim_slabs_pageblocks(const struct sim_slabs *s, struct sim_pb_stats *out);

/* The invariants (slab.c's header) of every cache and of the machine:
 * 0, or -EUCLEAN with a line in why. */
int sim_slabs_check(const struct sim_slabs *s, char *why, size_t size);

/* /proc/slabinfo (version 2.1, as SLUB prints it) for the end state: the
 * seed's caches in its order, each simulated one with its simulated
 * counts (active objects = all minus the free ones on the node's partial
 * and empty lists, as SLUB counts), then the simulated caches the seed
 * did not have.  seed may be NULL.  0 or -ENOMEM. */
struct slabinfo;
struct buf;
int sim_emit_slabinfo(const struct sim_slabs *s, const struct slabinfo *seed, struct buf *out);

#endif
