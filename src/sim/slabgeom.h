/*
 * slabgeom.h - SLUB's slab geometry (reference/kernel.md 4.1, 4.2):
 * from a cache's object size, alignment and flags, the stride of an
 * object in the slab (slab_size: calculate_sizes()), the slab's page
 * order and objects per slab (calculate_order(): the 6.7+ rule and the
 * rule of 6.6 and before), and the per-cache tunables min_partial and
 * cpu_partial.  Also the kmalloc size classes (4.5).
 *
 * Pure: no I/O, no printing.
 */
#ifndef FRAGSCOPE_SIM_SLABGEOM_H
#define FRAGSCOPE_SIM_SLABGEOM_H

#include <stdbool.h>
#include <stdint.h>

/* Which calculate_order(). */
enum slab_rule {
	SLAB_RULE_6_7,   /* 6.7 and later: the smallest order from min_objects, fractions 16..2 */
	SLAB_RULE_6_1,   /* 6.6 and before (e.g. 6.1): min_objects counted down, fractions 16..4 */
};

/* Cache flags the layout depends on (sysfs files, kernel.md 4.3). */
enum {
	SG_HWCACHE_ALIGN = 1u << 0,
	SG_RED_ZONE = 1u << 1,
	SG_POISON = 1u << 2,
	SG_STORE_USER = 1u << 3,
	SG_TYPESAFE_BY_RCU = 1u << 4,  /* sysfs destroy_by_rcu */
	SG_CTOR = 1u << 5,             /* the cache has a constructor */
	SG_KMALLOC = 1u << 6,          /* a kmalloc cache (store_user keeps the request size) */
	SG_RECLAIM_ACCOUNT = 1u << 7,  /* slabs are Reclaimable, not Unmovable */
	SG_FREEPTR_OFFSET = 1u << 8,   /* an RCU cache that declared where its free pointer lives (6.12+) */
	SG_DEBUG = 1u << 9,            /* any slab_debug option: no per-CPU partial slabs */
	SG_CACHE_DMA = 1u << 10,       /* SLAB_CACHE_DMA: slabs from ZONE_DMA */
};

struct slab_geom_params {
	uint64_t page_size;        /* 4096 */
	unsigned nr_cpus;          /* present CPUs (nr_cpu_ids when 1) */
	unsigned min_order;        /* slub_min_order, 0 */
	unsigned max_order;        /* slub_max_order, 3 (PAGE_ALLOC_COSTLY_ORDER) */
	unsigned min_objects;      /* slub_min_objects, 0 = from nr_cpus */
	unsigned max_page_order;   /* MAX_PAGE_ORDER, 10 (MAX_ORDER - 1 before 6.4) */
	unsigned track_size;       /* sizeof(struct track): 32 with STACKDEPOT on 64-bit */
	unsigned cache_line;       /* cache_line_size(): 64 */
	enum slab_rule rule;
};

/* x86-64 defaults for a kernel of that many CPUs and rule. */
void slab_geom_defaults(struct slab_geom_params *p, unsigned nr_cpus, enum slab_rule rule);

/* The rule a kernel release uses ("6.1.0-18-amd64" -> 6.1); 6.7 when unknown. */
enum slab_rule slab_rule_for_release(const char *release);

struct slab_geom {
	uint64_t object_size, align, slab_size;
	unsigned order;              /* the preferred order (s->oo) */
	uint64_t objs_per_slab;
	unsigned min_order;          /* the fallback order get_order(slab_size) (s->min) */
	uint64_t min_objs;           /* objects in a fallback slab */
	uint64_t leftover;           /* bytes at the slab's end no object uses */
	uint64_t min_partial;        /* clamp(ilog2(slab_size) / 2, 5, 10) */
	uint64_t cpu_partial;        /* objects; 0 for debug caches */
	uint64_t cpu_partial_slabs;  /* DIV_ROUND_UP(cpu_partial * 2, objs_per_slab) */
	unsigned min_objects;        /* the min_objects the rule started from */
};

/* calculate_alignment(): the alignment of a cache created with align and
 * flags (SG_HWCACHE_ALIGN halves the cache line while the object fits in
 * half of it); at least 8. */
uint64_t slab_geom_align(unsigned flags, uint64_t align, uint64_t object_size, unsigned cache_line);

/* calculate_sizes(): slab_size for object_size, the cache's (final)
 * alignment and flags.  0, or -EINVAL (size 0, align not a power of two,
 * or an absurd size). */
int slab_geom_size(uint64_t object_size, uint64_t align, unsigned flags, const struct slab_geom_params *p,
		   uint64_t *slab_size);

/* calculate_order() for a stride of slab_size bytes.  0, or -E2BIG when no
 * order up to max_page_order holds one object. */
int slab_geom_order(uint64_t slab_size, const struct slab_geom_params *p, unsigned *order);

/* Everything: slab_geom_size(), then slab_geom_order() and the tunables.
 * 0, -EINVAL or -E2BIG. */
int slab_geom_compute(uint64_t object_size, uint64_t align, unsigned flags, const struct slab_geom_params *p,
		      struct slab_geom *g);

/* The geometry of a known stride (a cache seen in /proc/slabinfo, whose
 * objsize column is slab_size): as slab_geom_compute() from slab_size. */
int slab_geom_from_stride(uint64_t slab_size, unsigned flags, const struct slab_geom_params *p,
			  struct slab_geom *g);

/* kmalloc size classes on x86-64 SLUB: 8 16 32 64 96 128 192 256 512 1k
 * 2k 4k 8k.  slab_kmalloc_class() is the class kmalloc(size) uses, or 0
 * when size is 0 or above 8 KiB (the page allocator's). */
#define SLAB_KMALLOC_CLASSES 13
extern const uint64_t slab_kmalloc_sizes[SLAB_KMALLOC_CLASSES];
uint64_t slab_kmalloc_class(uint64_t size);

/* ---- checking the rule against a kernel's caches ------------------------ */

struct slab_cache;

/* slab_geom_check() result: which sysfs values differ from the rule. */
enum {
	SGC_SLAB_SIZE = 1u << 0,
	SGC_ORDER = 1u << 1,
	SGC_OBJS_PER_SLAB = 1u << 2,
	SGC_ALIGN = 1u << 3,          /* below what the flags demand */
	SGC_MIN_PARTIAL = 1u << 4,    /* writable tunable: reported, not a geometry mismatch */
	SGC_CPU_PARTIAL = 1u << 5,    /* ditto */
};
#define SGC_GEOMETRY (SGC_SLAB_SIZE | SGC_ORDER | SGC_OBJS_PER_SLAB | SGC_ALIGN)

struct slab_geom_check {
	bool checkable;               /* sysfs gave object_size, slab_size, align, order, objs_per_slab, flags */
	unsigned flags;               /* SG_* derived from sysfs (and the name for SG_KMALLOC) */
	unsigned mismatch;            /* SGC_* */
	bool freeptr_offset;          /* an RCU cache laid out as if it declared its free pointer offset */
	struct slab_geom want;        /* the rule's values (order and objs from sysfs slab_size) */
	uint64_t want_slab_size;      /* from object_size, align and flags */
	uint64_t min_align;           /* what the flags demand */
};

/* The SG_* flags sysfs shows for c (SG_KMALLOC from its name). */
unsigned slab_geom_cache_flags(const struct slab_cache *c);

/* Compare c's sysfs geometry with the rule. */
void slab_geom_check(const struct slab_cache *c, const struct slab_geom_params *p, struct slab_geom_check *out);

/* The number of CPUs in a sysfs CPU list ("0-1", "0,2-5\n").  0, or
 * -EINVAL when it is not one. */
int slab_geom_cpulist(const char *s, size_t n, unsigned *count);

/* Apply slab_min_order=, slab_max_order=, slab_min_objects= (and their
 * slub_ spellings) from a kernel command line to p; unknown words are
 * ignored, as the kernel ignores them here.  The number of settings found. */
unsigned slab_geom_cmdline(const char *s, size_t n, struct slab_geom_params *p);

#endif
