/*
 * w1.h - benchmark workload W1 (DESIGN.md, "Benchmark workload W1"): one
 * zone, all free, orders 0..10, no watermarks, one migratetype; each step
 * allocates an order drawn from a fixed table while less than 3/4 of the
 * zone is allocated, else frees a random live allocation.
 *
 * Pure and deterministic; the caller times sim_w1_run().
 */
#ifndef FRAGSCOPE_SIM_W1_H
#define FRAGSCOPE_SIM_W1_H

#include <stddef.h>
#include <stdint.h>

#include "buddy.h"

#define SIM_W1_PAGES 4194304ull      /* 16 GiB of 4 KiB pages */
#define SIM_W1_STEPS 20000000ull
#define SIM_W1_MAX_PAGES (1ull << 31)    /* 8 TiB: live allocations pack in 32 bits */
#define SIM_W1_RNG_SEED 0x9E3779B97F4A7C15ull

struct sim_w1 {
	struct sim_zone z;
	uint64_t rng;
	uint32_t *live;         /* live allocations, see live_pack() in w1.c */
	size_t nlive, cap;
	uint64_t pages, used;   /* zone pages; pages allocated now */
	uint64_t steps, fails, allocs, frees;
};

/* A zone of `pages` (1 .. SIM_W1_MAX_PAGES) pages at pfn 0, all free (order-10 blocks at the list
 * tails in address order, as boot frees memory).  0, -EINVAL, -ENOMEM. */
int sim_w1_init(struct sim_w1 *w, uint64_t pages);
/* Set up, untimed, what n more steps will touch: the live array grown to
 * its largest size for them, and the pages of every array mapped now
 * rather than faulted in during the run.  0 or -ENOMEM. */
int sim_w1_prepare(struct sim_w1 *w, uint64_t n);
/* Run n more steps.  0 or -ENOMEM (the live array could not grow). */
int sim_w1_run(struct sim_w1 *w, uint64_t n);
/* Bytes held: the engine, and the workload's live array. */
size_t sim_w1_engine_bytes(const struct sim_w1 *w);
size_t sim_w1_live_bytes(const struct sim_w1 *w);
void sim_w1_free(struct sim_w1 *w);

/* xorshift64* exactly as DESIGN.md gives it. */
static inline uint64_t sim_xorshift64s(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

#endif
