/*
 * slab.h - slab caches from /proc/slabinfo and /sys/kernel/slab, merged
 * into one record per cache (reference/kernel.md sections 4 and 5.4).
 *
 * /proc/slabinfo (versions 2.0 and 2.1, SLAB and SLUB) gives every cache
 * the allocator lists, under its surviving name.  /sys/kernel/slab (SLUB
 * only) gives the geometry, per-node counts, flags and, through its
 * symlinks, the names merged into each cache.  Either may be missing.
 * Names are not unique: some drivers create two caches of one name, so
 * the list is an array in file order, never a map.
 */
#ifndef FRAGSCOPE_SLAB_H
#define FRAGSCOPE_SLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kv.h"

/* One multi-value sysfs attribute: "total N0=a N1=b" (node values are
 * printed only for nodes where they are non-zero, and only on NUMA). */
struct slab_counter {
	uint64_t total;
	uint64_t *node;     /* node[i] for node id i < nr_node; NULL when none printed */
	unsigned nr_node;
};

/* slab_cache.have: which sources described the cache. */
enum {
	SC_SLABINFO = 1u << 0,   /* a /proc/slabinfo line */
	SC_SYSFS = 1u << 1,      /* a /sys/kernel/slab/NAME directory */
	SC_DUPLICATE = 1u << 2,  /* another cache has the same name */
};

/* slab_cache.sys: which sysfs attributes were read (SYS_* bits). */
enum {
	SYS_OBJECT_SIZE = 1u << 0,
	SYS_SLAB_SIZE = 1u << 1,
	SYS_ALIGN = 1u << 2,
	SYS_OBJS_PER_SLAB = 1u << 3,
	SYS_ORDER = 1u << 4,
	SYS_OBJECTS = 1u << 5,
	SYS_TOTAL_OBJECTS = 1u << 6,
	SYS_SLABS = 1u << 7,
	SYS_PARTIAL = 1u << 8,
	SYS_OBJECTS_PARTIAL = 1u << 9,
	SYS_CPU_SLABS = 1u << 10,
	SYS_CPU_PARTIAL = 1u << 11,
	SYS_SLABS_CPU_PARTIAL = 1u << 12,
	SYS_ALIASES = 1u << 13,
	SYS_FLAGS = 1u << 14,     /* the 0/1 flag files (flags below) */
	SYS_MIN_PARTIAL = 1u << 15,
	SYS_USERSIZE = 1u << 16,
	SYS_CTOR = 1u << 17,
	SYS_STATS = 1u << 18,     /* CONFIG_SLUB_STATS counters */
	SYS_SHEAF_CAPACITY = 1u << 19,  /* 6.18 */
};

/* slab_cache.flags: the sysfs 0/1 files that were 1. */
enum {
	SF_RECLAIM_ACCOUNT = 1u << 0,
	SF_HWCACHE_ALIGN = 1u << 1,
	SF_CACHE_DMA = 1u << 2,
	SF_DESTROY_BY_RCU = 1u << 3,
	SF_SANITY_CHECKS = 1u << 4,
	SF_TRACE = 1u << 5,
	SF_RED_ZONE = 1u << 6,
	SF_POISON = 1u << 7,
	SF_STORE_USER = 1u << 8,
};

struct slab_cache {
	char *name;                     /* owned */
	unsigned have;                  /* SC_* */

	/* /proc/slabinfo: the columns as printed. */
	uint64_t active_objs, num_objs;
	uint64_t objsize;               /* SLUB: s->size (slab_size), not object_size */
	uint64_t objperslab, pagesperslab;
	uint64_t limit, batchcount, sharedfactor;   /* SLAB only; SLUB prints 0 0 0 */
	uint64_t active_slabs, num_slabs, sharedavail;
	struct kvlist globalstat;       /* "(statistics)" kernels: globalstat and cpustat fields
					 * by header name ("listallocs"), other ": NAME" groups
					 * as "NAME.field" */
	unsigned line;                  /* its line in /proc/slabinfo, 0 if none */

	/* /sys/kernel/slab/NAME (SLUB). */
	unsigned sys;                   /* SYS_* */
	uint64_t object_size, slab_size, align, objs_per_slab, order;
	uint64_t cpu_partial, min_partial, aliases, usersize;
	struct slab_counter objects, total_objects, slabs, partial, objects_partial, cpu_slabs;
	uint64_t cpu_partial_objs, cpu_partial_slabs;   /* slabs_cpu_partial "objs(slabs)" total */
	unsigned flags;                 /* SF_* */
	unsigned flags_read;            /* SF_* whose file was read: a clear bit in flags is a 0 only here */
	uint64_t sheaf_capacity;        /* 6.18 per-CPU sheaves, 0 if unused */
	char *ctor;                     /* owned; NULL if none */
	struct kvlist stats;            /* alloc_fastpath ... (totals) */
	char **alias_names;             /* merged caches: symlink names pointing here; owned */
	size_t nr_alias_names;
	char *sys_name;                 /* owned; the /sys/kernel/slab directory when it is not
					 * name (a merged cache's ":A-0000192"); NULL otherwise */
};

struct slabinfo {
	unsigned version_major, version_minor;  /* 0.0 when /proc/slabinfo was not read */
	bool statistics;                /* "(statistics)" header: SLAB with DEBUG_SLAB */
	bool slab_allocator;            /* SLAB (non-zero tunables); false: SLUB or unknown */
	struct slab_cache *c;           /* in /proc/slabinfo order, then sysfs-only caches */
	size_t n;
};

void slab_counter_free(struct slab_counter *c);
/* Free what c owns and zero it; harmless twice and on NULL. */
void slab_cache_free(struct slab_cache *c);
/* Free every cache and the array, and zero *si; harmless twice and on NULL. */
void slabinfo_free(struct slabinfo *si);

/*
 * Merge the /sys/kernel/slab caches of sys (every entry one directory,
 * SC_SYSFS) into proc (from slabinfo_parse(), or empty).  sys is consumed:
 * it is left empty whatever happens to its entries.
 *
 *   - A sys entry whose name is the name of exactly one proc cache moves its
 *     sysfs part (sys and every field after it in struct slab_cache) there.
 *   - Otherwise, if one of its alias_names is the name of exactly one proc
 *     cache, it goes there: on SLUB /proc/slabinfo shows a merged cache
 *     under its surviving name, one of the symlinks to a ":A-0000192"
 *     directory.  The directory name goes to sys_name, and the proc
 *     cache's own name is dropped from alias_names.
 *   - A name shared by several proc caches cannot be resolved: the sys
 *     entry is dropped and those caches get SC_DUPLICATE.  So is an entry
 *     whose aliases name two different proc caches, or one whose proc
 *     cache already took another directory's detail.
 *   - An entry no proc cache names is appended (SC_SYSFS only): sysfs can
 *     list caches that slabinfo omits, and proc is empty when
 *     /proc/slabinfo was not readable.
 *
 * Returns 0, or -ENOMEM with proc and sys unchanged.
 */
int slabinfo_merge(struct slabinfo *proc, struct slabinfo *sys);

/*
 * A live view's refresh: make fresh (a new parse of /proc/slabinfo) the
 * slab list of si, carrying over to each cache the sysfs part (sys and
 * every field after it, SC_SYSFS, SC_DUPLICATE) that si held for the same
 * name; the k-th cache of a name gets the k-th one's.  Caches that
 * vanished are freed with the rest of si; new ones have no sysfs part.
 * fresh is consumed (left empty).  Returns 0, or -ENOMEM with si and
 * fresh unchanged.
 */
int slabinfo_refresh(struct slabinfo *si, struct slabinfo *fresh);

/* The first cache called name, or NULL. */
const struct slab_cache *slabinfo_find(const struct slabinfo *si, const char *name);

/*
 * Derived figures of one cache (formulas from reference/kernel.md 4.4 and
 * slabtop).  All saturate at UINT64_MAX (UINT_MAX for the percentage)
 * instead of wrapping, and are 0 when the inputs are missing.
 *
 * "Active objects" is sysfs objects when it was read, else slabinfo's
 * active_objs: the same count from the same kernel function on SLUB.  On
 * SLUB it includes the free slots of CPU slabs and per-CPU partial slabs
 * (only free objects on the node partial lists are subtracted; 6.10+
 * samples those lists past 10000 slabs); on SLAB it includes the free
 * objects parked in the per-CPU array caches.  It over-counts use, so
 * active bytes are an upper bound and waste a lower bound.
 */
uint64_t slab_active_objs(const struct slab_cache *c);
/* Capacity: sysfs total_objects when read, else slabinfo's num_objs. */
uint64_t slab_num_objs(const struct slab_cache *c);
/* Page bytes: sysfs slabs x (page_size << order) when both were read, else
 * slabinfo's num_slabs x pagesperslab x page_size (slabtop's CACHE SIZE). */
uint64_t slab_cache_bytes(const struct slab_cache *c, uint64_t page_size);
/* Active objects x object_size (sysfs), or when that is unknown x the slot
 * size (slabinfo objsize, else sysfs slab_size), which includes metadata and
 * alignment: *ret_estimate (may be NULL) is then true. */
uint64_t slab_active_bytes(const struct slab_cache *c, bool *ret_estimate);
/* slab_cache_bytes() - slab_active_bytes(), never below 0. */
uint64_t slab_waste_bytes(const struct slab_cache *c, uint64_t page_size);
/* slabtop's USE: active x 100 / capacity rounded down; 0 without capacity. */
unsigned slab_use_percent(const struct slab_cache *c);

#endif
