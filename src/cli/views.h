/*
 * views.h - tables and JSON sections shared by several commands (the
 * report reuses the memory summary of "mem" and the zone tables of
 * "buddy").
 */
#ifndef FRAGSCOPE_VIEWS_H
#define FRAGSCOPE_VIEWS_H

#include "cli.h"
#include "../model/memsum.h"
#include "../model/zones.h"

/* free(1)-like two-row table (Mem:, Swap:).  NULL on ENOMEM. */
struct table *view_mem_summary_table(const struct mem_summary *s);
/* "memory": {...} members of the summary. */
void view_mem_summary_json(struct json *j, const struct mem_summary *s);

/* Zone table: sizes, free pages, watermarks, protection, PCP pages. */
struct table *view_zone_table(const struct machine *m, const struct zone_view *zv, size_t n);
/* One row per (zone, order): blocks, free, cumulative, per migratetype. */
struct table *view_order_table(const struct machine *m, const struct zone_view *zv, size_t n);
/* Pageblocks per migratetype. NULL if pagetypeinfo has no block table. */
struct table *view_pageblock_table(const struct machine *m, const struct zone_view *zv, size_t n);
/* Compact report table: one row per zone, free blocks per order as columns. */
struct table *view_zone_orders_table(const struct machine *m, const struct zone_view *zv, size_t n);

/* The "zones": [...] array (everything buddy knows per zone). */
void view_zones_json(struct json *j, const struct machine *m, const struct zone_view *zv, size_t n);

/* Per NUMA node: memory from the node's meminfo, hugepage pools, distances.
 * NULL when the node directory was not readable. */
struct table *view_node_table(const struct machine *m);
void view_nodes_json(struct json *j, const struct machine *m);
/* The vm sysctls that watermarks and compaction depend on. */
void view_sysvm_json(struct json *j, const struct machine *m);
/* " min_free_kbytes 67584, watermark_scale_factor 10, ..." or "" when not loaded. */
void view_sysvm_line(const struct machine *m, char *out, size_t n);

/* predict (cmd-predict.c), shared with hugepages and the report: load the
 * inputs and build the allocation model (*built says whether it was), and
 * turn the options into a request (EXIT_OK, EXIT_USAGE, or -1 after
 * "--gfp help"). */
struct alloc_model;
struct alloc_request;
int predict_load(const struct options *o, unsigned extra, struct source **src, struct machine *m,
		 struct alloc_model *am, bool *built);
/* Build the allocation model from what m loaded (buddyinfo and zoneinfo
 * are needed: without them *built is false and nothing is said).  Exit
 * code after saying what went wrong. */
int predict_model(const struct machine *m, struct alloc_model *am, bool *built);
int predict_parse_request(const struct options *o, const struct machine *m,
			  const struct alloc_model *am, struct alloc_request *req);

/* The report's outlook and index tables and JSON (cmd-report.c), shared
 * with top: per zone and class the outcome at each order; per zone the
 * unusable and extfrag indices at each order. */
struct table *view_outlook_table(const struct alloc_model *am);
struct table *view_index_table(const struct machine *m);
void view_indices_json(struct json *j, const struct machine *m);
void view_outlook_json(struct json *j, const struct alloc_model *am);

/* maps --summary's table (cmd-maps.c), shared with top's maps pane.
 * *ret is set (maybe to a partial table) even on -ENOMEM. */
int view_maps_summary_table(const struct machine *mach, const struct maps *m, struct table **ret);

/*
 * Slab growth between refreshes (cmd-slabtop.c), for slabtop and top:
 * active objects per cache (matched by name) at the last update, and per
 * cache index of the current slabinfo the rate in objects per second.
 */
struct slab_growth {
	char **name;
	uint64_t *active;
	size_t n;
	double t;
	double *rate;
	bool have_rate;      /* false until the second update */
};
int slab_growth_update(struct slab_growth *g, const struct slabinfo *si, double now);
void slab_growth_free(struct slab_growth *g);

/* The report's slab section (cmd-slab.c): the top caches by page bytes
 * or by waste, from whatever slab detail m holds. */
struct table *view_slab_top_table(const struct machine *m, bool by_waste, size_t top);
void view_slab_top_json(struct json *j, const struct machine *m, size_t top);

/* ---- slab rows (cmd-slab.c), shared with the slabtop view ---- */

#include <regex.h>

/* What one row shows, computed once. */
struct slab_row {
	const struct slab_cache *c;
	uint64_t objs, active, slabs, pages_per_slab, order, objs_per_slab;
	uint64_t slot_size, object_size;    /* object_size 0: unknown (no sysfs) */
	uint64_t cache_bytes;               /* page bytes */
	uint64_t active_bytes;              /* object bytes (slot bytes when object_size unknown) */
	uint64_t waste;                     /* cache_bytes - active_bytes */
	bool have_partial;
	uint64_t partial;
	unsigned use;                       /* active * 100 / objs */
};

/* The row's figures by the model's rules: sysfs where read, else slabinfo. */
void slab_row_fill(const struct slab_cache *c, uint64_t page_size, struct slab_row *r);

/* Sort keys: slabtop's letters and fragscope's names (slab_sort_parse). */
enum sort_key {
	SORT_ACTIVE, SORT_OBJS_PER_SLAB, SORT_SIZE, SORT_SLABS, SORT_ACTIVE_SLABS, SORT_NAME,
	SORT_OBJS, SORT_PAGES_PER_SLAB, SORT_OBJ_SIZE, SORT_USE, SORT_WASTE, SORT_PARTIAL,
};

int slab_sort_parse(const char *s, enum sort_key *k);
/* A cache filter (POSIX extended, no subexpressions) into *re.  0, or -1
 * with "'TEXT': why" in err (and nothing to free). */
int slab_filter_compile(regex_t *re, const char *text, char *err, size_t n);
/* re NULL: every cache.  Names and alias names are matched. */
bool slab_row_matches(const regex_t *re, const struct slab_cache *c);
/* Rows of the caches that pass re, sorted by by (descending; names
 * ascending), ties by name.  *ret malloc'd.  0 or -ENOMEM. */
int slab_rows_collect(const struct machine *m, const regex_t *re, enum sort_key by,
		      struct slab_row **ret, size_t *ret_n);

struct slab_totals {
	uint64_t objs, active, slabs, active_slabs, caches, active_caches;
	uint64_t cache_bytes, active_bytes, waste, partial;
	bool partial_known;             /* some cache's partial count was read (sysfs) */
	uint64_t min_size, max_size;     /* over caches with objects */
	bool object_sizes_known;        /* every cache had sysfs object_size */
};
void slab_totals_compute(const struct slab_row *rows, size_t n, bool slab_allocator,
			 struct slab_totals *t);

/* Print tables separated by blank lines, each with its title unless raw or
 * noheadings.  NULL entries are skipped.  Frees them. */
void view_print_tables(const struct options *o, struct table **t, const char **titles, size_t n);

/* slab --check-geometry and sim slab: the geometry rule's settings for
 * this machine or root: --cpus or its present CPUs, --slab-rule or the
 * kernel release, slab_*_order and slab_min_objects from its command line;
 * note describes them.  src may be NULL (no machine: --cpus or this
 * machine's CPUs).  Prints and returns an exit code on failure. */
struct slab_geom_params;
struct source;
int cli_slab_geom_params(const struct options *o, struct source *src, const char *release,
			 struct slab_geom_params *p, char *note, size_t n);

#endif
