/*
 * replay.h - replaying a recorded ftrace kmem trace (mm_page_alloc and
 * mm_page_free events, reference/kernel.md section 6) on the simulated
 * machine.  The parser is parse/parse-trace.c.
 *
 * Where the zone was seeded from the page flags (the real layout), an
 * allocation event takes exactly the pages the kernel gave when they are
 * free in the simulation (sim_zone_take()); pages of an order up to 3
 * that are in use here came off a per-CPU list, which the buddy lists
 * never saw, so nothing changes (and their free puts them back there).
 * Otherwise, and always on a layout synthesized from counts, the
 * simulator allocates by its own rules with the event's GFP flags and
 * remembers which simulated block stands for the traced pfn.  A free
 * event frees that block, or, on the real layout, the traced pages
 * themselves when they were allocated before the trace began; other frees
 * are counted and skipped.  Failed allocations in the trace (pfn 0) are
 * counted as the kernel's failures.
 *
 * Buddy-exact replay: when the trace also has the buddy lists' own events
 * (mm_page_alloc_zone_locked, mm_page_pcpu_drain) and every zone was
 * seeded from the page flags, the per-CPU layer needs no guessing.  A
 * zone_locked event takes exactly its pages off the buddy lists; a
 * pcpu_drain event frees its pages to them; an mm_page_free of an order
 * the per-CPU lists take (up to 3, and the pageblock order for THP) goes
 * onto such a list and changes nothing until drained; one of a larger
 * order frees to the buddy lists at once; mm_page_alloc only counts.
 * What it misses: frees of per-CPU orders that bypassed the lists (a
 * contended list lock, an isolated pageblock) stay allocated.  Without
 * those conditions (or with --pcp) the buddy events are counted and
 * ignored.  Pure and deterministic.
 */
#ifndef FRAGSCOPE_SIM_REPLAY_H
#define FRAGSCOPE_SIM_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "machine.h"

/* Orders the kernel serves from per-CPU lists (pcp_allowed_order(); THP's
 * order 9 too, left out here: its traffic is rare and mostly buddy). */
#define SIM_PCP_MAX_ORDER 3

enum trace_kind {
	TRACE_ALLOC,            /* mm_page_alloc: a client got pages */
	TRACE_ALLOC_FAILED,     /* mm_page_alloc with pfn 0 */
	TRACE_FREE,             /* mm_page_free: a client freed pages */
	TRACE_BUDDY_TAKE,       /* mm_page_alloc_zone_locked: taken off the buddy lists */
	TRACE_BUDDY_GIVE,       /* mm_page_pcpu_drain: a per-CPU list gave pages back */
};

struct trace_event {
	uint64_t pfn;
	uint32_t gfp;            /* FS_GFP_* bits of gfp_flags */
	uint32_t line;
	uint8_t kind;            /* enum trace_kind */
	uint8_t order;
	int8_t mt;               /* migratetype= (all but frees), -1 if absent */
};

struct trace {
	struct trace_event *ev;
	size_t n;
	uint64_t batched;        /* mm_page_free_batched lines: not frees (kernel.md 6.4) */
	uint64_t buddy_events;   /* TRACE_BUDDY_TAKE and TRACE_BUDDY_GIVE events */
	uint64_t other_events;   /* other events, kept out */
	uint64_t unknown_flags;  /* gfp_flags tokens this program does not know */
};

void trace_free(struct trace *t);

struct replay_result {
	uint64_t allocs_exact;   /* got the traced pages themselves */
	uint64_t allocs_pcp;     /* order <= 3 pages in use here: taken off a per-CPU list */
	uint64_t allocs_moved;   /* allocated elsewhere: those pages were not free here */
	uint64_t allocs_failed;  /* could not be allocated at all in the simulation */
	uint64_t kernel_failures;/* failed in the trace itself */
	uint64_t frees_pcp;      /* of blocks taken off a per-CPU list: back on it */
	uint64_t frees_mapped;   /* freed the block that stands for the traced one */
	uint64_t frees_direct;   /* freed pages allocated before the trace */
	uint64_t frees_skipped;  /* pages already free here, or outside every zone */
	uint64_t outside;        /* allocation pfns outside every simulated zone */
	uint64_t buddy_ignored;  /* buddy events in a replay that is not buddy-exact */
	/* Buddy-exact replay only: */
	bool buddy_exact;
	uint64_t allocs_client;  /* mm_page_alloc events, counted */
	uint64_t takes_exact;    /* zone_locked: those pages taken off the lists here too */
	uint64_t takes_missed;   /* zone_locked: not all free here (outside, or already taken) */
	uint64_t gives_exact;    /* pcpu_drain: freed to the lists */
	uint64_t gives_skipped;  /* pcpu_drain: not all allocated here */
};

/* Replay t on m.  0 or -ENOMEM.  check: the invariants after every event;
 * a broken one stops the replay with -EUCLEAN and its description in why. */
int sim_replay(struct sim_machine *m, const struct trace *t, bool check, struct replay_result *r,
	       char *why, size_t why_size);

#endif
