/*
 * zoneinfo.h - /proc/zoneinfo: every zone of every node, populated or not
 * (a zone's position within its node is its zone index), with watermarks,
 * sizes, the protection (lowmem_reserve) array, counters and a summary of
 * the per-CPU pagesets; plus the per-node stats block of kernels >= 4.8.
 *
 * Formats from 2.6.16 to 6.18 differ in which lines exist and where the
 * counters live (nested under each zone before 4.8).  Every "name value"
 * line is kept: known ones in the typed fields, counters in stats, and
 * anything unrecognised in other.
 */
#ifndef FRAGSCOPE_ZONEINFO_H
#define FRAGSCOPE_ZONEINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kv.h"
#include "limits.h"

/* Bits of zone_info.have: which optional lines the kernel printed. */
enum {
	ZI_PAGES_FREE = 1u << 0,
	ZI_BOOST = 1u << 1,        /* >= 5.0 */
	ZI_MIN = 1u << 2,
	ZI_LOW = 1u << 3,
	ZI_HIGH = 1u << 4,
	ZI_PROMO = 1u << 5,        /* 6.12+ print it */
	ZI_SPANNED = 1u << 6,
	ZI_PRESENT = 1u << 7,
	ZI_MANAGED = 1u << 8,      /* >= 3.x */
	ZI_CMA = 1u << 9,          /* 5.x+ */
	ZI_PROTECTION = 1u << 10,
	ZI_START_PFN = 1u << 11,
	ZI_UNRECLAIMABLE = 1u << 12, /* node_unreclaimable or all_unreclaimable */
	ZI_PAGESETS = 1u << 13,
};

/* Totals over the per-CPU pagesets of one zone.  Old kernels (2.6) print
 * two pagesets per CPU (hot and cold); both are counted. */
struct pageset_summary {
	unsigned nr;           /* pagesets seen */
	uint64_t count;        /* sum of count: pages sitting on PCP lists */
	uint64_t high;         /* sum of high: */
	uint64_t batch_max;    /* largest batch: */
	uint64_t high_min_max; /* largest high_min: (6.7+), 0 if absent */
	uint64_t high_max_max; /* largest high_max: (6.7+), 0 if absent */
	uint64_t threshold_max; /* largest "vm stats threshold:" */
};

struct zone_info {
	int node;
	char name[FS_NAME_LEN];
	unsigned index;        /* position within its node: the kernel zone index on
				* 4.12+, which print every zone; older kernels print
				* only populated zones, so there it is just the position */
	unsigned have;         /* ZI_* bits */
	uint64_t pages_free;
	uint64_t boost, min, low, high, promo; /* min/low/high/promo include boost */
	uint64_t spanned, present, managed, cma;
	uint64_t protection[FS_MAX_ZONES];
	unsigned nr_protection;
	uint64_t start_pfn;
	bool unreclaimable;
	struct pageset_summary pcp;
	struct kvlist stats;   /* per-zone counters (nr_free_pages, nr_zone_*, numa_*, ...) */
	struct kvlist other;   /* unrecognised "name value" lines (scanned, inactive_ratio, ...) */
	unsigned line;         /* line of the "Node N, zone NAME" header */
};

struct zoneinfo_node {
	int node;
	struct kvlist stats;   /* the "per-node stats" block (>= 4.8) */
};

struct zoneinfo {
	struct zone_info *z;   /* in file order */
	size_t n;
	struct zoneinfo_node *nodes; /* only nodes that printed a per-node block */
	size_t nn;
	/* Entries allocated, and entries whose lists hold memory (kept by a
	 * re-parse, see zoneinfo_reparse()): n <= zkept <= zcap, likewise nodes. */
	size_t zcap, zkept, ncap, nkept;
};

/* A zone is populated when it has present pages (the kernel's populated_zone()). */
bool zone_info_populated(const struct zone_info *z);
const struct zone_info *zoneinfo_find(const struct zoneinfo *zi, int node, const char *zone);
void zoneinfo_free(struct zoneinfo *zi);

#endif
