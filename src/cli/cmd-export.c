/*
 * cmd-export.c - "fragscope export [-o FILE] [--select GROUPS] [--order
 * LIST] [--gfp LIST] [--format FMT]": the model and its analyses as
 * OpenMetrics text, for Prometheus through node_exporter's textfile
 * collector.
 *
 * Nothing is computed here that another command does not already
 * compute: the free lists come from the buddyinfo and pagetypeinfo
 * models, the indices from analysis/frag.c, the recomputed watermarks
 * from analysis/watermark.c, the verdicts and "how many more" from
 * predict's run (analysis/alloc.c), the hugetlb capacity from
 * analysis/hugepages.c and the slab figures from model/slab.c.  This file
 * only names the metrics (fragscope_ prefix, base units, _total for
 * counters) and picks the groups.
 *
 * The text is built in memory and written in one piece: to stdout, or
 * with -o to a temporary file that is renamed onto FILE, so the collector
 * never reads half a file.  A missing input is reported once on stderr
 * and its metrics are left out (fragscope_input_available says which);
 * only when nothing at all could be read does export fail (exit 3) and
 * leave FILE as it was.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "outdir.h"
#include "views.h"
#include "../analysis/alloc.h"
#include "../analysis/frag.h"
#include "../analysis/hugepages.h"
#include "../analysis/watermark.h"
#include "../model/zones.h"
#include "../render/openmetrics.h"

enum {
	G_BUDDY = 1u << 0,
	G_FRAG = 1u << 1,
	G_WATERMARKS = 1u << 2,
	G_PREDICT = 1u << 3,
	G_HUGEPAGES = 1u << 4,
	G_SLAB = 1u << 5,
	G_MEMINFO = 1u << 6,
	G_COMPACTION = 1u << 7,
};

#define MODEL_INPUTS (IN_BIT(IN_BUDDYINFO) | IN_BIT(IN_ZONEINFO) | IN_BIT(IN_PAGETYPEINFO) | \
		      IN_BIT(IN_SYSVM) | IN_BIT(IN_NODES) | IN_BIT(IN_MEMINFO))

static const struct {
	const char *name;
	unsigned bit;
	unsigned inputs;
	const char *help;
} groups[] = {
	{ "buddy", G_BUDDY, IN_BIT(IN_BUDDYINFO) | IN_BIT(IN_PAGETYPEINFO),
	  "free blocks and pages per node, zone, order (and migratetype); pageblocks" },
	{ "frag", G_FRAG, IN_BIT(IN_BUDDYINFO), "unusable and extfrag indices per node, zone and order" },
	{ "watermarks", G_WATERMARKS, IN_BIT(IN_ZONEINFO) | IN_BIT(IN_SYSVM),
	  "zone watermarks, boost, free/managed/present pages, recomputation check" },
	{ "predict", G_PREDICT, MODEL_INPUTS,
	  "verdict and allocations servable now per node and zone, for --gfp classes and --order orders" },
	{ "hugepages", G_HUGEPAGES, MODEL_INPUTS, "hugetlb pools per node and the pages the free lists could add" },
	{ "slab", G_SLAB, IN_BIT(IN_SLABINFO) | IN_BIT(IN_SLABSYS),
	  "bytes, active bytes, waste and objects per slab cache" },
	{ "meminfo", G_MEMINFO, IN_BIT(IN_MEMINFO), "every /proc/meminfo field" },
	{ "compaction", G_COMPACTION, IN_BIT(IN_VMSTAT), "the compact_* counters of /proc/vmstat" },
};

#define DEFAULT_GFP "GFP_KERNEL,GFP_ATOMIC,THP"
#define DEFAULT_ORDERS ((UINT64_C(1) << 0) | (UINT64_C(1) << 3) | (UINT64_C(1) << 9))
#define MAX_CLASSES 16

struct export_ctx {
	const struct options *o;
	struct machine *m;
	struct om w;
	unsigned groups;
	struct zone_view *zv;
	size_t nzv;
	const struct gfp_class *cls[MAX_CLASSES];
	size_t ncls;
	uint64_t orders;
};

static int parse_select(const char *s, unsigned *ret)
{
	unsigned g = 0;

	if (strcmp(s, "help") == 0) {
		fputs("Metric groups (--select):\n", stdout);
		for (size_t i = 0; i < ARRAY_SIZE(groups); i++)
			printf("  %-11s %s\n", groups[i].name, groups[i].help);
		return -1;
	}
	while (*s) {
		size_t len = strcspn(s, ","), i;

		for (i = 0; i < ARRAY_SIZE(groups); i++)
			if (strlen(groups[i].name) == len && strncmp(groups[i].name, s, len) == 0)
				break;
		if (i == ARRAY_SIZE(groups) || !len) {
			fprintf(stderr, "fragscope: unknown metric group '%.*s' (try --select help)\n", (int)len, s);
			return EXIT_USAGE;
		}
		g |= groups[i].bit;
		s += len;
		if (*s == ',')
			s++;
	}
	if (!g) {
		cli_error("--select needs at least one group (try --select help)");
		return EXIT_USAGE;
	}
	*ret = g;
	return EXIT_OK;
}

static int parse_classes(struct export_ctx *x, const char *s)
{
	char name[64];

	while (*s) {
		size_t len = strcspn(s, ",");
		const struct gfp_class *c;
		bool seen = false;

		if (len >= sizeof(name))
			len = sizeof(name) - 1;
		memcpy(name, s, len);
		name[len] = '\0';
		c = alloc_class_find(name);
		if (!c) {
			cli_error("unknown allocation class '%s' (try fragscope predict --gfp help)", name);
			return EXIT_USAGE;
		}
		for (size_t i = 0; i < x->ncls; i++)
			seen |= x->cls[i] == c;
		if (!seen && x->ncls < MAX_CLASSES)
			x->cls[x->ncls++] = c;
		s += strcspn(s, ",");
		if (*s == ',')
			s++;
	}
	if (!x->ncls) {
		cli_error("--gfp needs at least one class");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* ---- labels ------------------------------------------------------------ */

struct lbl {
	struct om_label l[6];
	size_t n;
	char num[6][24];
};

static void lbl_reset(struct lbl *b)
{
	b->n = 0;
}

static void lbl_str(struct lbl *b, const char *name, const char *value)
{
	b->l[b->n].name = name;
	b->l[b->n].value = value;
	b->n++;
}

static void lbl_int(struct lbl *b, const char *name, long long v)
{
	snprintf(b->num[b->n], sizeof(b->num[b->n]), "%lld", v);
	lbl_str(b, name, b->num[b->n]);
}

static void lbl_zone(struct lbl *b, int node, const char *zone)
{
	lbl_reset(b);
	lbl_int(b, "node", node);
	lbl_str(b, "zone", zone);
}

static uint64_t shl_sat(uint64_t v, unsigned s)
{
	return s < 64 && v <= UINT64_MAX >> s ? v << s : UINT64_MAX;
}

/* ---- always: which inputs were read ------------------------------------ */

static void export_meta(struct export_ctx *x, unsigned mask)
{
	struct lbl b;

	om_family(&x->w, "fragscope_input_available", OM_GAUGE,
		  "1 when the input file was read, 0 when it was missing, unreadable or malformed");
	for (int id = 0; id < IN__COUNT; id++) {
		if (!(mask & IN_BIT(id)) || !x->m->in[id].attempted)
			continue;
		/* A SLAB kernel has no /sys/kernel/slab: nothing is missing. */
		if (id == IN_SLABSYS && x->m->slab.slab_allocator)
			continue;
		lbl_reset(&b);
		lbl_str(&b, "input", input_name((enum input_id)id));
		om_sample_u64(&x->w, b.l, b.n, x->m->in[id].loaded);
	}
	om_family(&x->w, "fragscope_page_size_bytes", OM_GAUGE, "the base page size");
	om_sample_u64(&x->w, NULL, 0, x->m->page_size);
}

/* ---- buddy ------------------------------------------------------------- */

static void export_buddy(struct export_ctx *x)
{
	const struct pagetypeinfo *pt = &x->m->pt;
	unsigned nr = x->m->buddy.nr_orders;
	struct lbl b;

	for (int pages = 0; pages < 2; pages++) {
		om_family(&x->w, pages ? "fragscope_buddy_free_pages" : "fragscope_buddy_free_blocks", OM_GAUGE,
			  pages ? "free pages in blocks of the order (blocks x 2^order), from /proc/buddyinfo" :
			  "free blocks of the order, from /proc/buddyinfo");
		for (size_t i = 0; i < x->nzv; i++) {
			const struct buddy_zone *bz = x->zv[i].bz;

			for (unsigned k = 0; bz && k < nr; k++) {
				lbl_zone(&b, x->zv[i].node, x->zv[i].name);
				lbl_int(&b, "order", k);
				om_sample_u64(&x->w, b.l, b.n, pages ? shl_sat(bz->free[k], k) : bz->free[k]);
			}
		}
	}
	if (!x->m->in[IN_PAGETYPEINFO].loaded)
		return;
	for (int pages = 0; pages < 2; pages++) {
		om_family(&x->w, pages ? "fragscope_buddy_migratetype_free_pages" :
			  "fragscope_buddy_migratetype_free_blocks", OM_GAUGE,
			  pages ? "free pages in blocks of the order on the migratetype's lists, from /proc/pagetypeinfo" :
			  "free blocks of the order on the migratetype's lists, from /proc/pagetypeinfo"
			  " (the kernel stops counting at 100000)");
		for (size_t i = 0; i < x->nzv; i++) {
			const struct pagetype_zone *pz = x->zv[i].pz;

			if (!pz || !pz->has_free)
				continue;
			for (unsigned t = 0; t < pt->nr_mt; t++) {
				for (unsigned k = 0; k < pt->nr_orders; k++) {
					lbl_zone(&b, x->zv[i].node, x->zv[i].name);
					lbl_str(&b, "migratetype", pt->mt_names[t]);
					lbl_int(&b, "order", k);
					om_sample_u64(&x->w, b.l, b.n, pages ? shl_sat(pz->free[t][k], k) : pz->free[t][k]);
				}
			}
		}
	}
	om_family(&x->w, "fragscope_buddy_pageblocks", OM_GAUGE,
		  "pageblocks of the migratetype, from /proc/pagetypeinfo");
	for (size_t i = 0; i < x->nzv; i++) {
		const struct pagetype_zone *pz = x->zv[i].pz;

		for (unsigned t = 0; pz && pz->has_blocks && t < pt->nr_mt; t++) {
			lbl_zone(&b, x->zv[i].node, x->zv[i].name);
			lbl_str(&b, "migratetype", pt->mt_names[t]);
			om_sample_u64(&x->w, b.l, b.n, pz->blocks[t]);
		}
	}
}

/* ---- frag -------------------------------------------------------------- */

static void export_frag(struct export_ctx *x)
{
	unsigned nr = x->m->buddy.nr_orders;
	struct lbl b;

	for (int ext = 0; ext < 2; ext++) {
		om_family(&x->w, ext ? "fragscope_frag_extfrag_index" : "fragscope_frag_unusable_index", OM_GAUGE,
			  ext ? "fragmentation index at the order as the kernel computes it (-1: a block of the"
			  " order is free; towards 1: failure would be fragmentation, towards 0: lack of memory)" :
			  "unusable free space index at the order, 0 to 1 (the share of free memory in smaller blocks)");
		for (size_t i = 0; i < x->nzv; i++) {
			const struct buddy_zone *bz = x->zv[i].bz;

			for (unsigned k = 0; bz && k < nr; k++) {
				lbl_zone(&b, x->zv[i].node, x->zv[i].name);
				lbl_int(&b, "order", k);
				om_sample_milli(&x->w, b.l, b.n, ext ? frag_extfrag_index(bz->free, nr, k) :
						frag_unusable_index(bz->free, nr, k));
			}
		}
	}
}

/* ---- watermarks -------------------------------------------------------- */

static void export_watermarks(struct export_ctx *x)
{
	static const struct { const char *name; unsigned bit; } marks[] = {
		{ "min", ZI_MIN }, { "low", ZI_LOW }, { "high", ZI_HIGH }, { "promo", ZI_PROMO },
	};
	static const struct { const char *name; unsigned bit; const char *help; } sizes[] = {
		{ "fragscope_zone_free_pages", ZI_PAGES_FREE, "free pages in the zone (zoneinfo pages free)" },
		{ "fragscope_zone_managed_pages", ZI_MANAGED, "pages managed by the buddy allocator" },
		{ "fragscope_zone_present_pages", ZI_PRESENT, "physical pages present in the zone" },
	};
	struct wmark_result wr;
	bool have_wr;
	struct lbl b;

	if (!x->m->in[IN_ZONEINFO].loaded)
		return;
	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
		om_family(&x->w, sizes[s].name, OM_GAUGE, sizes[s].help);
		for (size_t i = 0; i < x->nzv; i++) {
			const struct zone_info *z = x->zv[i].zi;

			if (!z || !(z->have & sizes[s].bit))
				continue;
			lbl_zone(&b, z->node, z->name);
			om_sample_u64(&x->w, b.l, b.n, s == 0 ? z->pages_free : s == 1 ? z->managed : z->present);
		}
	}
	om_family(&x->w, "fragscope_zone_watermark_pages", OM_GAUGE,
		  "zone watermark as /proc/zoneinfo prints it (boost included)");
	for (size_t i = 0; i < x->nzv; i++) {
		const struct zone_info *z = x->zv[i].zi;

		for (size_t k = 0; z && k < ARRAY_SIZE(marks); k++) {
			if (!(z->have & marks[k].bit))
				continue;
			lbl_zone(&b, z->node, z->name);
			lbl_str(&b, "watermark", marks[k].name);
			om_sample_u64(&x->w, b.l, b.n, k == 0 ? z->min : k == 1 ? z->low : k == 2 ? z->high : z->promo);
		}
	}
	om_family(&x->w, "fragscope_zone_watermark_boost_pages", OM_GAUGE,
		  "watermark boost after a fragmenting fallback (included in the watermarks)");
	for (size_t i = 0; i < x->nzv; i++) {
		const struct zone_info *z = x->zv[i].zi;

		if (!z || !(z->have & ZI_BOOST))
			continue;
		lbl_zone(&b, z->node, z->name);
		om_sample_u64(&x->w, b.l, b.n, z->boost);
	}
	have_wr = wmark_compute(&x->m->zi, x->m->in[IN_SYSVM].loaded ? &x->m->vm : NULL, x->m->page_size,
				&wr) == 0;
	if (!have_wr)
		return;
	om_family(&x->w, "fragscope_zone_watermark_computed_pages", OM_GAUGE,
		  "zone watermark recomputed from managed pages and the vm sysctls (boost not included)");
	for (size_t i = 0; i < x->nzv; i++) {
		const struct zone_info *z = x->zv[i].zi;
		const struct wmark_zone *c;

		if (!z)
			continue;
		c = &wr.z[z - x->m->zi.z];
		for (size_t k = 0; c->status == WMARK_OK && k < ARRAY_SIZE(marks); k++) {
			if (k == 3 && !(z->have & ZI_PROMO))
				continue;
			lbl_zone(&b, z->node, z->name);
			lbl_str(&b, "watermark", marks[k].name);
			om_sample_u64(&x->w, b.l, b.n, k == 0 ? c->min : k == 1 ? c->low : k == 2 ? c->high : c->promo);
		}
	}
	om_family(&x->w, "fragscope_zone_watermark_consistent", OM_GAUGE,
		  "1 when zoneinfo's watermarks and protection match the recomputation (buddy --check), else 0");
	for (size_t i = 0; i < x->nzv; i++) {
		const struct zone_info *z = x->zv[i].zi;
		const struct wmark_zone *c;

		if (!z)
			continue;
		c = &wr.z[z - x->m->zi.z];
		if (c->status != WMARK_OK)
			continue;
		lbl_zone(&b, z->node, z->name);
		om_sample_u64(&x->w, b.l, b.n, c->wmark_match && c->protection_match);
	}
	wmark_result_free(&wr);
}

/* ---- predict ----------------------------------------------------------- */

struct pred {
	size_t node;                   /* index into am->nodes */
	const struct gfp_class *cls;
	unsigned order;
	enum alloc_outcome outcome;    /* preferring the node */
	uint64_t served;
	uint64_t zone_served[FS_MAX_ZONES];
	enum alloc_outcome zone_outcome[FS_MAX_ZONES];
	bool zone_usable[FS_MAX_ZONES];
};

static const enum alloc_outcome all_outcomes[] = {
	ALLOC_OK_FAST, ALLOC_OK_SLOW, ALLOC_COMPACT, ALLOC_RECLAIM, ALLOC_FAIL,
};

static void pred_labels(struct lbl *b, const struct alloc_model *am, const struct pred *p, size_t zone)
{
	const struct alloc_node *nd = &am->nodes[p->node];

	lbl_reset(b);
	lbl_int(b, "node", nd->id);
	if (zone < nd->nz)
		lbl_str(b, "zone", nd->zones[zone].name);
	lbl_str(b, "class", p->cls->name);
	lbl_int(b, "order", p->order);
}

static int predict_all(struct export_ctx *x, const struct alloc_model *am, struct pred **ret, size_t *ret_n)
{
	struct pred *v = NULL;
	size_t n = 0;
	bool from_meminfo;
	unsigned pmd = alloc_pmd_order(x->m->in[IN_MEMINFO].loaded ? &x->m->meminfo : NULL, x->m->page_size,
				       am->nr_orders, &from_meminfo);

	for (size_t k = 0; k < am->nn; k++) {
		const struct alloc_node *nd = &am->nodes[k];

		for (size_t c = 0; c < x->ncls; c++) {
			for (unsigned order = 0; order < am->nr_orders && order < 64; order++) {
				struct alloc_prediction p;
				struct alloc_request req;
				struct pred *pr, *nv;

				if (x->cls[c]->fixed_order ? order != pmd : !(x->orders & UINT64_C(1) << order))
					continue;
				nv = realloc(v, (n + 1) * sizeof(*v));
				if (!nv)
					goto fail;
				v = nv;
				pr = &v[n];
				memset(pr, 0, sizeof(*pr));
				pr->node = k;
				pr->cls = x->cls[c];
				pr->order = order;
				memset(&req, 0, sizeof(req));
				req.cls = x->cls[c];
				req.gfp = req.cls->gfp;
				req.order = order;
				req.node = nd->id;
				if (alloc_predict_all(am, &req, &p) < 0)
					goto fail;
				pr->outcome = p.outcome;
				pr->served = p.served;
				for (size_t z = 0; z < nd->nz && z < FS_MAX_ZONES; z++) {
					for (size_t i = 0; i < p.nzl; i++)
						if (p.zl[i].z == &nd->zones[z])
							pr->zone_served[z] += p.served_per_zone[i];
					pr->zone_outcome[z] = alloc_zone_outlook(am, nd, &nd->zones[z], req.gfp, order,
										 &pr->zone_usable[z]);
					pr->zone_usable[z] &= nd->zones[z].populated;
				}
				alloc_prediction_free(&p);
				n++;
			}
		}
	}
	*ret = v;
	*ret_n = n;
	return 0;
fail:
	free(v);
	return -ENOMEM;
}

static int export_predict(struct export_ctx *x, const struct alloc_model *am)
{
	struct pred *v;
	size_t n;
	struct lbl b;

	if (predict_all(x, am, &v, &n) < 0)
		return -ENOMEM;
	om_family(&x->w, "fragscope_predict_outcome", OM_GAUGE,
		  "1 for the outcome of one allocation of the class and order preferring the node, now"
		  " (ok, ok-slow: only below the low watermark, compact, reclaim, fail), 0 for the others");
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < ARRAY_SIZE(all_outcomes); k++) {
			pred_labels(&b, am, &v[i], SIZE_MAX);
			lbl_str(&b, "outcome", alloc_outcome_name(all_outcomes[k]));
			om_sample_u64(&x->w, b.l, b.n, v[i].outcome == all_outcomes[k]);
		}
	}
	om_family(&x->w, "fragscope_predict_servable_allocations", OM_GAUGE,
		  "allocations of the class and order in a row that the free lists could serve now,"
		  " preferring the node, before the first that needs reclaim or compaction");
	for (size_t i = 0; i < n; i++) {
		pred_labels(&b, am, &v[i], SIZE_MAX);
		om_sample_u64(&x->w, b.l, b.n, v[i].served);
	}
	om_family(&x->w, "fragscope_predict_zone_outcome", OM_GAUGE,
		  "1 for the outcome an allocation of the class and order would meet in this zone, 0 for the others");
	for (size_t i = 0; i < n; i++) {
		const struct alloc_node *nd = &am->nodes[v[i].node];

		for (size_t z = 0; z < nd->nz && z < FS_MAX_ZONES; z++) {
			for (size_t k = 0; v[i].zone_usable[z] && k < ARRAY_SIZE(all_outcomes); k++) {
				pred_labels(&b, am, &v[i], z);
				lbl_str(&b, "outcome", alloc_outcome_name(all_outcomes[k]));
				om_sample_u64(&x->w, b.l, b.n, v[i].zone_outcome[z] == all_outcomes[k]);
			}
		}
	}
	om_family(&x->w, "fragscope_predict_zone_servable_allocations", OM_GAUGE,
		  "of fragscope_predict_servable_allocations, those this zone of the node would serve");
	for (size_t i = 0; i < n; i++) {
		const struct alloc_node *nd = &am->nodes[v[i].node];

		for (size_t z = 0; z < nd->nz && z < FS_MAX_ZONES; z++) {
			if (!v[i].zone_usable[z])
				continue;
			pred_labels(&b, am, &v[i], z);
			om_sample_u64(&x->w, b.l, b.n, v[i].zone_served[z]);
		}
	}
	free(v);
	return 0;
}

/* ---- hugepages --------------------------------------------------------- */

static int export_hugepages(struct export_ctx *x, const struct alloc_model *am)
{
	static const char *const names[] = {
		"fragscope_hugepages_pool", "fragscope_hugepages_free", "fragscope_hugepages_surplus",
		"fragscope_hugepages_available", "fragscope_hugepages_available_above_low",
		"fragscope_hugepages_available_max",
	};
	static const char *const helps[] = {
		"huge pages in the pool (nr_hugepages)",
		"pool huge pages not in use (free_hugepages)",
		"surplus huge pages (overcommit)",
		"more huge pages the pool could get now from the free lists alone (no reclaim or compaction)",
		"of fragscope_hugepages_available, those taken above the low watermark",
		("pages larger than the largest buddy block: at most this many could be made of free max-order"
		 " blocks (alloc_contig_pages() decides)"),
	};
	struct hp_capacity *rows;
	size_t n;
	struct lbl b;

	if (hp_capacity_collect(am, x->m->in[IN_NODES].loaded ? &x->m->numa : NULL,
				x->m->in[IN_MEMINFO].loaded ? &x->m->meminfo : NULL, x->m->page_size, -1,
				&rows, &n) < 0)
		return -ENOMEM;
	for (size_t f = 0; f < ARRAY_SIZE(names); f++) {
		om_family(&x->w, names[f], OM_GAUGE, helps[f]);
		for (size_t i = 0; i < n; i++) {
			const struct hp_capacity *r = &rows[i];
			uint64_t v;

			if (f < 3 ? !r->have_pool : f < 5 ? !r->buddy : r->buddy)
				continue;
			v = f == 0 ? r->nr : f == 1 ? r->free : f == 2 ? r->surplus : f == 3 ? r->more :
			    f == 4 ? r->more_fast : r->bound;
			lbl_reset(&b);
			lbl_int(&b, "node", r->node);
			lbl_int(&b, "size_bytes", (long long)r->size);
			om_sample_u64(&x->w, b.l, b.n, v);
		}
	}
	free(rows);
	return 0;
}

/* ---- slab -------------------------------------------------------------- */

static void export_slab(struct export_ctx *x)
{
	static const char *const names[] = {
		"fragscope_slab_cache_bytes", "fragscope_slab_active_bytes", "fragscope_slab_waste_bytes",
		"fragscope_slab_objects", "fragscope_slab_active_objects",
	};
	static const char *const helps[] = {
		"bytes of the pages in the cache's slabs",
		"active objects x object size (the slot size when object_size is unknown)",
		"cache bytes not holding active objects",
		"object slots in the cache's slabs",
		"active objects (an upper bound: includes free slots of per-CPU slabs)",
	};
	const struct slabinfo *si = &x->m->slab;
	unsigned *dup;
	struct lbl b;

	if (!si->n)
		return;
	/* Two caches may share a name: "dup" tells them apart (0, 1, ...). */
	dup = calloc(si->n, sizeof(*dup));
	if (!dup) {
		x->w.err = -ENOMEM;
		return;
	}
	for (size_t i = 0; i < si->n; i++)
		for (size_t k = 0; k < i; k++)
			if (strcmp(si->c[k].name, si->c[i].name) == 0)
				dup[i]++;
	for (size_t f = 0; f < ARRAY_SIZE(names); f++) {
		om_family(&x->w, names[f], OM_GAUGE, helps[f]);
		for (size_t i = 0; i < si->n; i++) {
			const struct slab_cache *c = &si->c[i];
			uint64_t v = f == 0 ? slab_cache_bytes(c, x->m->page_size) :
				     f == 1 ? slab_active_bytes(c, NULL) :
				     f == 2 ? slab_waste_bytes(c, x->m->page_size) :
				     f == 3 ? slab_num_objs(c) : slab_active_objs(c);

			lbl_reset(&b);
			lbl_str(&b, "cache", c->name);
			lbl_int(&b, "dup", dup[i]);
			om_sample_u64(&x->w, b.l, b.n, v);
		}
	}
	free(dup);
}

/* ---- meminfo and vmstat ------------------------------------------------ */

static bool seen_before(const struct meminfo *mi, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (strcmp(mi->f[k].name, mi->f[i].name) == 0)
			return true;
	return false;
}

static void export_meminfo(struct export_ctx *x)
{
	const struct meminfo *mi = &x->m->meminfo;
	struct lbl b;

	for (int kb = 1; kb >= 0; kb--) {
		om_family(&x->w, kb ? "fragscope_meminfo_bytes" : "fragscope_meminfo_hugepages", OM_GAUGE,
			  kb ? "a /proc/meminfo field printed in kB, in bytes" :
			  "a /proc/meminfo field printed without a unit: the HugePages_* counts of huge pages");
		for (size_t i = 0; i < mi->n; i++) {
			uint64_t v;

			if (mi->f[i].kb != kb || seen_before(mi, i) || !meminfo_get_bytes(mi, mi->f[i].name, &v))
				continue;
			lbl_reset(&b);
			lbl_str(&b, "field", mi->f[i].name);
			om_sample_u64(&x->w, b.l, b.n, v);
		}
	}
}

static void export_compaction(struct export_ctx *x)
{
	const struct kvlist *vm = &x->m->vmstat;

	for (size_t i = 0; i < vm->n; i++) {
		char name[128], help[160];

		if (strncmp(vm->items[i].name, "compact_", 8) != 0)
			continue;
		/* A name that is not a valid metric name, or repeated, is skipped by om_family. */
		if (snprintf(name, sizeof(name), "fragscope_vmstat_%s", vm->items[i].name) >= (int)sizeof(name) ||
		    !om_valid_name(name))
			continue;
		snprintf(help, sizeof(help), "/proc/vmstat %s since boot", vm->items[i].name);
		if (om_family(&x->w, name, OM_COUNTER, help) == 0)
			om_sample_u64(&x->w, NULL, 0, vm->items[i].value);
	}
}

/* ---- the command ------------------------------------------------------- */

/* Without /proc/slabinfo (not root, or no CONFIG_SLUB_DEBUG) the counts
 * come from /sys/kernel/slab alone, and only its full read has them all,
 * as slab does. */
static void slab_sysfs_full(struct source *src, struct machine *m)
{
	struct load_opts lo = { .slab_detail = SLAB_DETAIL_FULL };
	struct machine m2;
	struct slabinfo t;

	if (machine_load_opts(src, IN_BIT(IN_SLABSYS), &lo, &m2) < 0)
		return;
	if (m2.in[IN_SLABSYS].loaded) {
		t = m->slab;
		m->slab = m2.slab;
		m2.slab = t;
	}
	machine_free(&m2);
}

int cmd_export(struct options *o)
{
	struct export_ctx x;
	struct load_opts lo = { .slab_detail = SLAB_DETAIL_BASIC };
	struct buf out = BUF_INIT;
	struct source *src = NULL;
	struct machine m;
	struct alloc_model am;
	bool built = false, any = false;
	unsigned mask = 0;
	int rc, r;

	memset(&x, 0, sizeof(x));
	x.o = o;
	x.m = &m;
	x.groups = ~0u;
	x.orders = (o->used & OPT_ORDER) ? o->order_mask : DEFAULT_ORDERS;
	if (o->select) {
		r = parse_select(o->select, &x.groups);
		if (r)
			return r < 0 ? cli_finish(EXIT_OK) : r;
	}
	if (o->format && strcmp(o->format, "openmetrics") && strcmp(o->format, "prometheus")) {
		cli_error("unknown --format '%s' (openmetrics or prometheus)", o->format);
		return EXIT_USAGE;
	}
	r = parse_classes(&x, o->gfp ? o->gfp : DEFAULT_GFP);
	if (r)
		return r;
	for (size_t i = 0; i < ARRAY_SIZE(groups); i++)
		if (x.groups & groups[i].bit)
			mask |= groups[i].inputs;

	rc = cli_load_slab(o, mask, &lo, &src, &m);
	if (!src)
		return rc;
	if ((mask & IN_BIT(IN_SLABINFO)) && !m.in[IN_SLABINFO].loaded && m.in[IN_SLABSYS].loaded)
		slab_sysfs_full(src, &m);
	cli_status(&rc, cli_check_slab_inputs(&m, mask));
	for (int id = 0; id < IN__COUNT; id++)
		any |= (mask & IN_BIT(id)) && m.in[id].loaded;
	if (!any) {
		cli_error("nothing to export: no input could be read");
		cli_status(&rc, EXIT_INPUT);
		goto out;
	}
	cli_status(&rc, cli_zones(&m, &x.zv, &x.nzv));
	if (x.groups & (G_PREDICT | G_HUGEPAGES))
		cli_status(&rc, predict_model(&m, &am, &built));

	om_init(&x.w, &out, o->format && strcmp(o->format, "prometheus") == 0 ? OM_PROMETHEUS : OM_OPENMETRICS);
	export_meta(&x, mask);
	if ((x.groups & G_BUDDY) && (m.in[IN_BUDDYINFO].loaded || m.in[IN_PAGETYPEINFO].loaded))
		export_buddy(&x);
	if ((x.groups & G_FRAG) && m.in[IN_BUDDYINFO].loaded)
		export_frag(&x);
	if (x.groups & G_WATERMARKS)
		export_watermarks(&x);
	if ((x.groups & G_PREDICT) && built && export_predict(&x, &am) < 0)
		x.w.err = -ENOMEM;
	if ((x.groups & G_HUGEPAGES) && built && export_hugepages(&x, &am) < 0)
		x.w.err = -ENOMEM;
	if ((x.groups & G_SLAB) && (m.in[IN_SLABINFO].loaded || m.in[IN_SLABSYS].loaded))
		export_slab(&x);
	if ((x.groups & G_MEMINFO) && m.in[IN_MEMINFO].loaded)
		export_meminfo(&x);
	if ((x.groups & G_COMPACTION) && m.in[IN_VMSTAT].loaded)
		export_compaction(&x);
	if (om_finish(&x.w) < 0) {
		cli_error("out of memory");
		cli_status(&rc, EXIT_INPUT);
		goto out;
	}
	if (o->output && strcmp(o->output, "-") != 0) {
		cli_status(&rc, outfile_write_atomic(o->output, out.data, out.len));
	} else {
		fwrite(out.data, 1, out.len, stdout);
		rc = cli_finish(rc);
	}
out:
	if (built)
		alloc_model_free(&am);
	free(x.zv);
	buf_free(&out);
	machine_free(&m);
	source_free(src);
	return rc;
}
