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
 * counted as the kernel's failures.  Pure and deterministic.
 */
#ifndef FRAGSCOPE_SIM_REPLAY_H
#define FRAGSCOPE_SIM_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "machine.h"

/* Orders the kernel serves from per-CPU lists (pcp_allowed_order(); THP's
 * order 9 too, left out here: its traffic is rare and mostly buddy). */
#define SIM_PCP_MAX_ORDER 3

enum trace_kind { TRACE_ALLOC, TRACE_ALLOC_FAILED, TRACE_FREE };

struct trace_event {
	uint64_t pfn;
	uint32_t gfp;            /* FS_GFP_* bits of gfp_flags */
	uint32_t line;
	uint8_t kind;            /* enum trace_kind */
	uint8_t order;
	int8_t mt;               /* migratetype= (allocations), -1 if absent */
};

struct trace {
	struct trace_event *ev;
	size_t n;
	uint64_t batched;        /* mm_page_free_batched lines: not frees (kernel.md 6.4) */
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
};

/* Replay t on m.  0 or -ENOMEM.  check: the invariants after every event;
 * a broken one stops the replay with -EUCLEAN and its description in why. */
int sim_replay(struct sim_machine *m, const struct trace *t, bool check, struct replay_result *r,
	       char *why, size_t why_size);

#endif
