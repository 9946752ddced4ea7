/*
 * alloc.h - will an allocation succeed now?  The kernel's zone watermark
 * check, GFP classes, zonelists and the first steps of the allocator's
 * slow path, evaluated on the zones as /proc shows them
 * (reference/kernel.md section 2, with the free-list rules of 3.3 and 3.5
 * for serving several allocations in a row).
 *
 * Pure: no I/O and no printing.  alloc_explain() writes plain-language
 * reasons into a caller's buffer for the command layer to print.
 */
#ifndef FRAGSCOPE_ALLOC_H
#define FRAGSCOPE_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/buddyinfo.h"
#include "../model/limits.h"
#include "../model/meminfo.h"
#include "../model/numa.h"
#include "../model/pagetypeinfo.h"
#include "../model/sysvm.h"
#include "../model/zoneinfo.h"

/* GFP bits (include/linux/gfp_types.h; positions as in 6.x). */
enum {
	FS_GFP_DMA = 0x01,
	FS_GFP_HIGHMEM = 0x02,
	FS_GFP_DMA32 = 0x04,
	FS_GFP_MOVABLE = 0x08,
	FS_GFP_RECLAIMABLE = 0x10,
	FS_GFP_HIGH = 0x20,
	FS_GFP_IO = 0x40,
	FS_GFP_FS = 0x80,
	FS_GFP_DIRECT_RECLAIM = 0x400,
	FS_GFP_KSWAPD_RECLAIM = 0x800,
	FS_GFP_NOWARN = 0x2000,
	FS_GFP_RETRY_MAYFAIL = 0x4000,
	FS_GFP_NORETRY = 0x10000,
	FS_GFP_COMP = 0x40000,
	FS_GFP_NOMEMALLOC = 0x80000,
	FS_GFP_HARDWALL = 0x100000,
	FS_GFP_THISNODE = 0x200000,
};

/* alloc_flags (mm/internal.h, 6.18 values). */
enum {
	ALLOC_WMARK_MIN = 0,
	ALLOC_WMARK_LOW = 1,
	ALLOC_WMARK_HIGH = 2,
	ALLOC_WMARK_MASK = 3,
	ALLOC_OOM = 0x08,
	ALLOC_NON_BLOCK = 0x10,
	ALLOC_MIN_RESERVE = 0x20,
	ALLOC_CPUSET = 0x40,
	ALLOC_CMA = 0x80,
	ALLOC_NOFRAGMENT = 0x100,
	ALLOC_HIGHATOMIC = 0x200,
	ALLOC_KSWAPD = 0x800,
};
#define ALLOC_RESERVES (ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | ALLOC_HIGHATOMIC | ALLOC_OOM)

/* Names of the set ALLOC_* bits, "WMARK_LOW|CMA|KSWAPD". */
void alloc_flags_str(unsigned flags, char *buf, size_t size);

/* A named allocation class: a GFP mask as the kernel builds it. */
struct gfp_class {
	const char *name;       /* "GFP_KERNEL" */
	const char *alias;      /* "kernel": also accepted by alloc_class_find() */
	uint32_t gfp;
	bool fixed_order;       /* THP and hugetlb: always the PMD order */
	const char *summary;
};

extern const struct gfp_class alloc_classes[];
extern const size_t alloc_nr_classes;

/* By name, case-insensitive, with or without "GFP_"; NULL if unknown. */
const struct gfp_class *alloc_class_find(const char *name);

/* Canonical migratetypes (pagetypeinfo names are mapped onto these). */
enum alloc_mt {
	MT_UNMOVABLE,
	MT_MOVABLE,
	MT_RECLAIMABLE,
	MT_HIGHATOMIC,   /* "HighAtomic"; "Reserve" (< 4.4) is kept apart below */
	MT_CMA,
	MT_ISOLATE,
	MT_RESERVE,      /* MIGRATE_RESERVE of kernels < 4.4 */
	MT__COUNT
};

/* One zone of one node, everything the check needs. */
struct alloc_zone {
	int node;
	char name[FS_NAME_LEN];
	int kidx;                /* kernel zone index (protection[] index) */
	bool kidx_guessed;       /* zoneinfo lists only populated zones: index from the usual zone order */
	bool populated;
	uint64_t present, managed;
	uint64_t free;           /* NR_FREE_PAGES (zoneinfo "pages free") */
	uint64_t min, low, high, boost;   /* marks include boost */
	uint64_t protection[FS_MAX_ZONES];
	unsigned nr_protection;
	uint64_t free_cma;
	uint64_t free_highatomic;       /* pages on HighAtomic lists (6.12+ subtract this) */
	uint64_t reserved_highatomic;   /* HighAtomic pageblocks * pages per block (< 6.12) */
	uint64_t nr_free[FS_MAX_ORDERS];/* blocks per order, all migratetypes */
	bool have_mt;                   /* per-migratetype lists known (pagetypeinfo) */
	uint64_t mt_free[MT__COUNT][FS_MAX_ORDERS];
};

struct alloc_node {
	int id;
	struct alloc_zone *zones;   /* by kernel zone index order */
	size_t nz;
	int *order;                 /* node ids in fallback order (self first) */
	size_t norder;
};

struct alloc_model {
	struct alloc_node *nodes;
	size_t nn;
	unsigned nr_orders;
	unsigned pageblock_order;
	bool have_pageblock_order;
	int64_t extfrag_threshold;      /* vm.extfrag_threshold, 500 if unknown */
	bool extfrag_threshold_known;
	bool has_dma32;                 /* the kernel has ZONE_DMA32 (NOFRAGMENT) */
	bool has_cma;
	bool distances_known;
	unsigned kver_major, kver_minor;/* 0 when unknown: newest rules */
	bool have_mt;                   /* every zone has per-migratetype lists */
	bool one_by_one;                /* --count runs take one allocation per step (tests compare) */
};

/*
 * Build the model from zoneinfo (required: watermarks, free pages,
 * protection), buddyinfo (free blocks per order; required), and when
 * given pagetypeinfo (per-migratetype lists, HighAtomic, CMA), sysvm
 * (extfrag_threshold) and numa (distances).  0, -ENOMEM, or -ENODATA
 * when zoneinfo has no zones with watermarks.
 */
int alloc_model_build(const struct zoneinfo *zi, const struct buddyinfo *bi,
		      const struct pagetypeinfo *pt, const struct sysvm *vm,
		      const struct numa *numa, const char *kernel_release,
		      struct alloc_model *out);
void alloc_model_free(struct alloc_model *am);
struct alloc_node *alloc_model_node(struct alloc_model *am, int id);

/* The kernel zone index gfp_zone() gives the mask on this node's zones. */
int alloc_highest_zone(const struct alloc_node *nd, uint32_t gfp);

/* gfp_to_alloc_flags() for the slow path; the fast path's flags. */
unsigned alloc_flags_fast(const struct alloc_model *am, const struct alloc_node *nd, uint32_t gfp);
unsigned alloc_flags_slow(const struct alloc_model *am, uint32_t gfp, unsigned order);

/* The outcome of __zone_watermark_ok() and what it compared. */
struct alloc_check {
	bool ok;
	bool wmark_ok;           /* step 4 passed */
	bool block_ok;           /* step 6 passed (true for order 0) */
	int64_t free;            /* free pages after steps 1-2 */
	uint64_t mark;           /* the watermark before reserve reductions */
	uint64_t min;            /* after them */
	uint64_t protection;     /* lowmem_reserve[highest zone] */
	uint64_t minus_order, minus_highatomic, minus_cma;
};

/* zone_watermark_fast(): the order-0 shortcut, __zone_watermark_ok(),
 * and the boost retry.  mark is chosen from flags & ALLOC_WMARK_MASK. */
void alloc_zone_check(const struct alloc_model *am, const struct alloc_zone *z, unsigned order,
		      int highest_zone, unsigned flags, struct alloc_check *out);

enum alloc_outcome {
	ALLOC_OK_FAST,    /* served above the low watermark */
	ALLOC_OK_SLOW,    /* served only in the slow path (min watermark, reserves); kswapd woken */
	ALLOC_COMPACT,    /* blocks too fragmented: the kernel would compact */
	ALLOC_RECLAIM,    /* too few free pages: the kernel would reclaim */
	ALLOC_FAIL,       /* the class may not reclaim or compact: it fails */
};
const char *alloc_outcome_name(enum alloc_outcome o);   /* "ok", "ok-slow", "compact", "reclaim", "fail" */

struct alloc_zone_result {
	const struct alloc_zone *z;
	struct alloc_check fast, slow;
	bool servable_nofrag;    /* a block the NOFRAGMENT pass may take (no per-mt data: true) */
	int fragindex;           /* fragmentation index at the order */
	bool compact_wmark_ok;   /* __compaction_suitable()'s order-0 check with the gap */
	bool compact_suitable;   /* ... and the index allows it (costly orders) */
	enum alloc_outcome outcome;
};

struct alloc_request {
	const struct gfp_class *cls;
	uint32_t gfp;
	unsigned order;
	int node;                /* preferred node */
	uint64_t count;          /* allocations in a row; >= 1 */
};

struct alloc_prediction {
	struct alloc_request req;
	int highest_zone;
	unsigned flags_fast, flags_slow;
	struct alloc_zone_result *zl;   /* the zonelist, in walk order */
	size_t nzl;
	enum alloc_outcome outcome;     /* of the first allocation */
	int served_by;                  /* index into zl, -1 if not served */
	bool nofrag_skipped;            /* NOFRAGMENT moved the first allocation off the preferred zone */
	/* --count: served one after another from the free lists. */
	uint64_t served;                /* before the first failure (<= count) */
	uint64_t served_slow;           /* of those, only in the slow path */
	uint64_t *served_per_zone;      /* indexed like zl */
	enum alloc_outcome stop_outcome;/* outcome of the allocation that failed (valid when served < count) */
	bool estimate_no_mt;            /* no pagetypeinfo: list types unknown */
};

/*
 * Predict req on the model.  The model is not changed (the --count run
 * works on a copy of the zonelist's zones).  0, -ENOMEM, or -ENOENT
 * when the preferred node has no zones.
 */
int alloc_predict(const struct alloc_model *am, const struct alloc_request *req,
		  struct alloc_prediction *out);
void alloc_prediction_free(struct alloc_prediction *p);

/*
 * How many allocations of req's class and order in a row the free lists
 * could serve now, preferring req->node: alloc_predict() with a count no
 * run can reach (req->count is ignored), so the run stops at the first
 * failure.  out->served is the answer, out->served_per_zone where they
 * came from, out->stop_outcome what the next one would need.  This is
 * predict --count's run, and hugepages' "more".  0 or as alloc_predict().
 */
int alloc_predict_all(const struct alloc_model *am, const struct alloc_request *req,
		      struct alloc_prediction *out);

/*
 * The outcome in one zone as if a request of this mask and order reached
 * it through the zonelist (its protection against the mask's highest
 * zone applies).  *usable is false when the zone is above the mask's
 * highest zone (the request never reaches it).
 */
enum alloc_outcome alloc_zone_outlook(const struct alloc_model *am, const struct alloc_node *nd,
				      const struct alloc_zone *z, uint32_t gfp, unsigned order, bool *usable);

/* The plain-language reason for the outcome of the first allocation
 * ("free pages 7,100 are at or below ...").  Returns buf. */
char *alloc_explain(const struct alloc_model *am, const struct alloc_prediction *p, char *buf, size_t size);
/* Same for one zone of the zonelist. */
char *alloc_explain_zone(const struct alloc_model *am, const struct alloc_prediction *p,
			 const struct alloc_zone_result *r, char *buf, size_t size);

/* ---- for the simulator (sim/machine.c), which walks zonelists itself ---- */

/* The canonical migratetype of a pagetypeinfo name ("Reserve" stays
 * MT_RESERVE); MT__COUNT if unknown. */
enum alloc_mt alloc_mt_from_name(const char *name);
/* The migratetype a GFP mask allocates from (gfp_migratetype()). */
enum alloc_mt alloc_gfp_migratetype(uint32_t gfp);
/* The zonelist of a mask on a node, in walk order, into out (at most cap
 * zones); the number of zones, or -ENOENT for an unknown node. */
int alloc_zonelist(struct alloc_model *am, int node, uint32_t gfp, struct alloc_zone **out, size_t cap);
/* After every zone of zl failed: would the kernel compact, reclaim, or
 * fail outright (as predict's verdict for a failed allocation)? */
enum alloc_outcome alloc_failure_outcome(const struct alloc_model *am, int node, uint32_t gfp,
					 unsigned order, struct alloc_zone *const *zl, size_t n);

/*
 * The order of a PMD-sized huge page (a THP, a default hugetlb page): 9
 * on x86-64.  meminfo's Hugepagesize (the default hugetlb size, which is
 * the PMD size unless default_hugepagesz= says otherwise) when given and
 * within the buddy orders; else log2(page_size / 8), the 8-byte page
 * table entries of every 64-bit and PAE/LPAE kernel.  *from_meminfo says
 * which.  mi may be NULL.
 */
unsigned alloc_pmd_order(const struct meminfo *mi, uint64_t page_size, unsigned nr_orders,
			 bool *from_meminfo);

#endif
