/*
 * frag.h - the kernel's fragmentation indices (mm/vmstat.c) and the
 * proactive-compaction score (mm/compaction.c), computed from the free
 * block counts of one zone (a /proc/buddyinfo row) with the kernel's own
 * integer arithmetic.  See reference/kernel.md sections 1 and 3.8.
 *
 * Pure functions: no I/O, no allocation except frag_kernel_format().
 */
#ifndef FRAGSCOPE_FRAG_H
#define FRAGSCOPE_FRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/buddyinfo.h"
#include "../util/util.h"

/* fill_contig_page_info(): n[o] = free blocks of order o, o < nr_orders. */
struct frag_contig {
	uint64_t free_pages;           /* sum n[o] << o */
	uint64_t free_blocks_total;    /* sum n[o] */
	uint64_t free_blocks_suitable; /* sum_{o >= order} n[o] << (o - order) */
};

void frag_contig_info(const uint64_t *n, unsigned nr_orders, unsigned order, struct frag_contig *out);

/* unusable_free_index(): thousandths, 0..1000 (1000 when nothing is free). */
int frag_unusable_index(const uint64_t *n, unsigned nr_orders, unsigned order);

/*
 * __fragmentation_index(): thousandths.  0 when nothing is free or order
 * >= nr_orders (the kernel's WARN case); -1000 when a block of the order
 * is free; otherwise 1000 - (1000 + free*1000/2^order) / blocks, which
 * is negative (but not -1000) only when exactly one block is free.
 */
int frag_extfrag_index(const uint64_t *n, unsigned nr_orders, unsigned order);

/* extfrag_for_order(): percent of free memory in blocks below the order,
 * 0..100, and 0 (not 100) when nothing is free. */
unsigned frag_extfrag_percent(const uint64_t *n, unsigned nr_orders, unsigned order);

/* Print an index as debugfs does: unusable "%d.%03d", extfrag "%2d.%03d"
 * (so -500 prints " 0.-500").  Returns snprintf's value. */
int frag_format_unusable(int index, char *buf, size_t size);
int frag_format_extfrag(int index, char *buf, size_t size);

/* An index as the decimal it stands for, for tables: -500 is "-0.500"
 * (debugfs prints "0.-500"), -1000 "-1.000", 807 "0.807". */
int frag_format_decimal(int index, char *buf, size_t size);

enum frag_file { FRAG_UNUSABLE, FRAG_EXTFRAG };

/* The whole text of /sys/kernel/debug/extfrag/unusable_index or
 * extfrag_index for this buddyinfo, byte for byte, appended to out (which
 * is NUL-terminated afterwards, even with no zones), as kernels since
 * 5.16 print it.  0 or -ENOMEM. */
int frag_kernel_format(const struct buddyinfo *bi, enum frag_file which, struct buf *out);

/*
 * The same, as the kernel of that release prints it.  Before 5.16
 * extfrag_index used "%d.%03d" like unusable_index ("-1.000 0.931"); 5.16
 * padded it to "%2d.%03d" ("-1.000  0.931", commit "mm: vmstat.c: make
 * extfrag_index show more pretty").  unusable_index never changed.
 * kernel_release "" or unparsable: the current format.  0 or -ENOMEM.
 */
int frag_kernel_format_release(const struct buddyinfo *bi, enum frag_file which,
			       const char *kernel_release, struct buf *out);
/* True when that release prints extfrag_index unpadded (< 5.16). */
bool frag_extfrag_unpadded(const char *kernel_release);

/*
 * What compaction_suitable() makes of a fragmentation index for an order
 * (only costly orders, > PAGE_ALLOC_COSTLY_ORDER = 3, consult it):
 * FRAG_NOT_COSTLY  order <= 3: the index is not consulted;
 * FRAG_COMPACT     index < 0 or > threshold: failure is fragmentation, compact;
 * FRAG_RECLAIM     0 <= index <= threshold: failure is lack of memory, reclaim.
 */
enum frag_advice { FRAG_NOT_COSTLY, FRAG_COMPACT, FRAG_RECLAIM };
#define FRAG_COSTLY_ORDER 3
enum frag_advice frag_advice(int index, unsigned order, int64_t extfrag_threshold);
/* "compact", "reclaim", "not-costly". */
const char *frag_advice_name(enum frag_advice a);

/*
 * Proactive compaction (kcompactd, kernels >= 5.9).  A zone's score is
 * frag_extfrag_percent() at the THP order; the node's score is the sum of
 * zone_score * zone_present / (node_present + 1) over its populated zones.
 * Compaction starts when the node score exceeds wmark_high and runs until
 * it is at or below wmark_low; proactiveness 0 disables it.
 */
unsigned frag_score_weighted(unsigned zone_score, uint64_t zone_present, uint64_t node_present);

struct frag_proactive_marks {
	bool enabled;          /* proactiveness != 0 */
	unsigned low, high;
	bool leeway_rule;      /* true: the >= 6.16 rule, else the 5.9-6.15 rule */
};

/*
 * The watermarks fragmentation_score_wmark() derives from
 * vm.compaction_proactiveness.  6.16+: low = 100 - p, high = min(low +
 * min(10, low / 2), 100).  5.9-6.15: low = max(100 - p, 5), high =
 * min(low + 10, 100).  kernel_release picks the rule ("" or unparsable:
 * the newer one).
 */
void frag_proactive_marks(int64_t proactiveness, const char *kernel_release,
			  struct frag_proactive_marks *out);

/* The order proactive compaction scores: HPAGE_PMD_ORDER, the order of a
 * PMD-mapped page (page_size / 8 entries per page table): 9 with 4 KiB
 * pages, 11 with 16 KiB, 13 with 64 KiB. */
unsigned frag_thp_order(uint64_t page_size);

#endif
