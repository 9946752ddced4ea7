/*
 * machine.h - the simulated machine: the engine's zones (buddy.h) strung
 * into nodes and zonelists, with alloc.c's watermark check, GFP classes
 * and zonelist order deciding where each allocation goes, as
 * get_page_from_freelist() does; and seeding from a machine's state.
 *
 * Pure and deterministic: no I/O, no printing.
 */
#ifndef FRAGSCOPE_SIM_MACHINE_H
#define FRAGSCOPE_SIM_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../analysis/alloc.h"
#include "../model/buddyinfo.h"
#include "../model/numa.h"
#include "../model/pageclass.h"
#include "../model/pagetypeinfo.h"
#include "../model/sysvm.h"
#include "../model/zoneinfo.h"
#include "buddy.h"

/* How the seed compares with what it was built from, per zone. */
struct sim_seed_zone {
	bool per_mt;                 /* free blocks placed per migratetype (pagetypeinfo) */
	bool pageblocks_from_file;   /* pageblock types from pagetypeinfo's block counts */
	bool start_guessed;          /* zoneinfo had no start_pfn: placed after the previous zone */
	uint64_t target[SIM_NMT][FS_MAX_ORDERS];   /* blocks asked for */
	uint64_t unplaced[SIM_NMT][FS_MAX_ORDERS]; /* blocks that did not fit (0 when exact) */
	/* Blocks moved to another type's lists because their own type's
	 * pageblocks could not hold them (free pages on a foreign list, which
	 * kernels before 6.10 allowed): + on the list that took them, - on
	 * the one pagetypeinfo named.  target already includes the move. */
	int64_t retyped[SIM_NMT][FS_MAX_ORDERS];
	/* pagetypeinfo and buddyinfo are read at different moments: blocks
	 * per order in buddyinfo minus the sum over pagetypeinfo's types. */
	int64_t buddy_minus_types[FS_MAX_ORDERS];
	uint64_t pageblocks, pageblocks_typed;     /* in the span; typed from the counts */
	uint64_t base_min, base_low, base_high;    /* zoneinfo's watermarks without boost */
	uint64_t pb_count[SIM_NMT];                /* pagetypeinfo's pageblocks per type */
	uint64_t pcp_pages;                        /* pages on per-CPU lists (zoneinfo) */
	uint64_t file_blocks[FS_MAX_ORDERS];       /* buddyinfo's free blocks per order */
	/* Seeded from the pages themselves (sim_machine_place_pages()): the
	 * free blocks found there minus buddyinfo's, per order. */
	bool from_pages;
	int64_t pages_minus_file[FS_MAX_ORDERS];
};

/*
 * Per-CPU page lists (optional, sim_machine_enable_pcp()): one set per
 * zone, as if one CPU did all the work.  Orders 0..SIM_PCP_ORDERS-1 of
 * Unmovable, Movable and Reclaimable: an allocation takes the list's
 * newest block, refilling it first with batch blocks from the free lists;
 * a free puts the block on the list of its pageblock's type, and when the
 * list holds high pages or more, batch pages go back to the free lists,
 * oldest first.  Pages on these lists are free to nobody: buddyinfo does
 * not count them (reference/kernel.md 3.7).
 */
#define SIM_PCP_ORDERS 4

struct sim_pcp_list {
	uint64_t *pfn;           /* oldest first */
	size_t n, cap;
};

struct sim_pcp {
	struct sim_pcp_list list[SIM_PCP_ORDERS][3];
	uint64_t count;          /* pages on all lists */
	uint64_t batch, high;
	uint64_t refills, drains;
};

struct sim_machine {
	struct alloc_model am;       /* watermarks, classes, zonelists */
	struct sim_zone *zones;      /* zones[i] simulates *az[i] */
	struct alloc_zone **az;
	struct sim_seed_zone *seed;  /* one per zone */
	size_t nz;
	unsigned nr_orders, pb_order;
	uint64_t page_size;          /* for the caller's byte figures; the engine counts pages */
	uint64_t boost_factor;       /* vm.watermark_boost_factor, 15000 when not known */
	struct sim_pcp *pcp;         /* per zone, or NULL: no per-CPU lists */
};

/* Turn on the per-CPU lists with each zone's batch and high from
 * zoneinfo (the largest batch and high_min of its pagesets; 63 and 378
 * when zoneinfo has none).  0 or -ENOMEM. */
int sim_machine_enable_pcp(struct sim_machine *m, const struct zoneinfo *zi);

/*
 * Seed from a machine's state: zone spans from zoneinfo (start_pfn,
 * spanned, present), free blocks per order from buddyinfo or per order
 * and migratetype from pagetypeinfo, pageblock types from pagetypeinfo's
 * block counts.  The layout is synthesized: free blocks are placed so
 * that no two free buddies could merge, and everything else is
 * allocated (holes included: to the simulator a hole is a page that is
 * never freed).  0, -ENOMEM,
 * -ENODATA (no zone with watermarks: alloc_model_build()), or -EINVAL (a
 * zone too large for 32-bit page indices).
 */
int sim_machine_seed(const struct zoneinfo *zi, const struct buddyinfo *bi,
		     const struct pagetypeinfo *pt, const struct sysvm *vm, const struct numa *numa,
		     const char *kernel_release, struct sim_machine *out);
void sim_machine_free(struct sim_machine *m);

/*
 * Seeding from the real layout, in two steps: sim_machine_seed_spans()
 * builds the zones as sim_machine_seed() does but places nothing; then,
 * for each zone i, sim_machine_place_pages() takes the class of every page
 * of its span (cls[pfn - start], enum page_class) and places exactly the free blocks the
 * free pages make up (a run of free pages is cut into the largest aligned
 * blocks, as the allocator must hold them).  Pageblock types are then an
 * estimate from the pages around them and pagetypeinfo's counts; the
 * seed records the free blocks per order found minus buddyinfo's.
 */
int sim_machine_seed_spans(const struct zoneinfo *zi, const struct buddyinfo *bi,
			   const struct pagetypeinfo *pt, const struct sysvm *vm, const struct numa *numa,
			   const char *kernel_release, struct sim_machine *out);
int sim_machine_place_pages(struct sim_machine *m, size_t i, const uint8_t *cls);

/* Free blocks of order o, and of (mt, o), in zone i. */
uint64_t sim_machine_blocks(const struct sim_machine *m, size_t i, unsigned o);

/* The result of one allocation. */
struct sim_alloc {
	int64_t pfn;                 /* -1 on failure */
	int zone;                    /* index into m->zones; -1 on failure */
	bool slow;                   /* only the slow path's watermarks let it through */
	enum alloc_outcome outcome;  /* ok/ok-slow, or what the kernel would do next */
};

/*
 * Allocate 2^order pages of a GFP mask for a task on node `node`: the
 * zonelist walk of get_page_from_freelist() with the fast path's flags
 * (ALLOC_NOFRAGMENT on the local node first where it applies), then
 * without NOFRAGMENT, then the slow path's flags.  Reclaim and compaction
 * are not simulated: a request that passes no zone fails, and outcome
 * says whether the kernel would have compacted or reclaimed.
 */
void sim_machine_alloc(struct sim_machine *m, uint32_t gfp, unsigned order, int node,
		       struct sim_alloc *out);
/* Free a block sim_machine_alloc() gave, with the same mask and order. */
void sim_machine_free_block(struct sim_machine *m, int zone, int64_t pfn, unsigned order, uint32_t gfp);

/* Refresh m->az[i]'s free counts from the engine (done before each check). */
void sim_machine_sync(struct sim_machine *m, size_t i);

/* The invariants of every zone; 0 or -EUCLEAN with why naming the zone. */
int sim_machine_check(const struct sim_machine *m, char *why, size_t size);

/* The migratetype a GFP mask allocates from (gfp_migratetype()). */
enum alloc_mt sim_gfp_migratetype(uint32_t gfp);

#endif
