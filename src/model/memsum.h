/*
 * memsum.h - the free(1)-style summary derived from meminfo.
 *
 * used follows procps 4 (free 4.x): MemTotal - MemAvailable when the
 * kernel reports MemAvailable (3.14+); on older kernels the classic
 * MemTotal - MemFree - Buffers - Cached - SReclaimable.  The rule used is
 * recorded so output can say which.
 */
#ifndef FRAGSCOPE_MEMSUM_H
#define FRAGSCOPE_MEMSUM_H

#include <stdbool.h>
#include <stdint.h>

#include "meminfo.h"

/* Bits of mem_summary.have. */
enum {
	MS_TOTAL = 1u << 0,
	MS_FREE = 1u << 1,
	MS_AVAILABLE = 1u << 2,   /* reported by the kernel */
	MS_USED = 1u << 3,
	MS_SHARED = 1u << 4,
	MS_BUFF_CACHE = 1u << 5,
	MS_SWAP = 1u << 6,        /* SwapTotal and SwapFree */
	MS_SLAB = 1u << 7,
};

struct mem_summary {
	unsigned have;
	uint64_t total, free, available, used, shared, buff_cache;
	uint64_t swap_total, swap_free, swap_used;
	uint64_t slab;
	const char *used_rule;    /* e.g. "MemTotal - MemAvailable" */
};

void mem_summary_compute(const struct meminfo *mi, struct mem_summary *ret);

#endif
