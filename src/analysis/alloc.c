/*
 * alloc.c - allocation prediction: the zone watermark check, GFP classes,
 * zonelists and the first steps of the slow path (see alloc.h and
 * reference/kernel.md section 2).
 *
 * The model is built once from the parsed files; predictions never change
 * it.  A --count run copies the zonelist's zones and takes blocks from the
 * copies' free lists the way __rmqueue() does (smallest block of the
 * requested migratetype, CMA, then a fallback type), so a run of
 * allocations sees the lists shrink and split exactly as they would.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "frag.h"
#include "../model/kversion.h"
#include "../model/zones.h"

/* GFP masks (include/linux/gfp_types.h). */
#define GFP_RECLAIM (FS_GFP_DIRECT_RECLAIM | FS_GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL_MASK (GFP_RECLAIM | FS_GFP_IO | FS_GFP_FS)
#define GFP_USER_MASK (GFP_KERNEL_MASK | FS_GFP_HARDWALL)
#define GFP_HIGHUSER_MOVABLE_MASK (GFP_USER_MASK | FS_GFP_HIGHMEM | FS_GFP_MOVABLE)
#define GFP_TRANSHUGE_LIGHT_MASK ((GFP_HIGHUSER_MOVABLE_MASK | FS_GFP_COMP | FS_GFP_NOMEMALLOC | \
				   FS_GFP_NOWARN) & ~(uint32_t)GFP_RECLAIM)

const struct gfp_class alloc_classes[] = {
	{ "GFP_KERNEL", "kernel", GFP_KERNEL_MASK, false,
	  "normal kernel allocation: may sleep, reclaim and compact" },
	{ "GFP_ATOMIC", "atomic", FS_GFP_HIGH | FS_GFP_KSWAPD_RECLAIM, false,
	  "cannot sleep; may dip into the min reserve (to about 3/8 of min)" },
	{ "GFP_NOWAIT", "nowait", FS_GFP_KSWAPD_RECLAIM | FS_GFP_NOWARN, false,
	  "cannot sleep, no reserves; wakes kswapd" },
	{ "GFP_NOIO", "noio", GFP_RECLAIM, false,
	  "may reclaim but start no I/O (block layer, filesystems)" },
	{ "GFP_USER", "user", GFP_USER_MASK, false,
	  "kernel allocation on behalf of user space (cpuset hardwall)" },
	{ "GFP_HIGHUSER_MOVABLE", "highuser_movable", GFP_HIGHUSER_MOVABLE_MASK, false,
	  "user pages and page cache: movable, may use Movable and CMA" },
	{ "GFP_DMA", "dma", GFP_KERNEL_MASK | FS_GFP_DMA, false,
	  "GFP_KERNEL limited to ZONE_DMA" },
	{ "GFP_DMA32", "dma32", GFP_KERNEL_MASK | FS_GFP_DMA32, false,
	  "GFP_KERNEL limited to ZONE_DMA32 and below" },
	{ "THP", "GFP_TRANSHUGE", GFP_TRANSHUGE_LIGHT_MASK | FS_GFP_DIRECT_RECLAIM, true,
	  "transparent huge page with direct compaction (defrag=always or madvise)" },
	{ "THP_LIGHT", "GFP_TRANSHUGE_LIGHT", GFP_TRANSHUGE_LIGHT_MASK, true,
	  "transparent huge page without reclaim (the default for a fault)" },
	{ "hugetlb", NULL, GFP_HIGHUSER_MOVABLE_MASK | FS_GFP_COMP | FS_GFP_RETRY_MAYFAIL |
	  FS_GFP_NOWARN | FS_GFP_THISNODE, true,
	  "one default-size hugetlb pool page (2 MiB on x86-64) on one node (nr_hugepages)" },
};

const size_t alloc_nr_classes = sizeof(alloc_classes) / sizeof(alloc_classes[0]);

const struct gfp_class *alloc_class_find(const char *name)
{
	const char *bare = strncasecmp(name, "GFP_", 4) == 0 ? name + 4 : name;

	for (size_t i = 0; i < alloc_nr_classes; i++) {
		const struct gfp_class *c = &alloc_classes[i];
		const char *cbare = strncasecmp(c->name, "GFP_", 4) == 0 ? c->name + 4 : c->name;

		if (strcasecmp(bare, cbare) == 0)
			return c;
		if (c->alias) {
			const char *abare = strncasecmp(c->alias, "GFP_", 4) == 0 ? c->alias + 4 : c->alias;

			if (strcasecmp(bare, abare) == 0)
				return c;
		}
	}
	return NULL;
}

void alloc_flags_str(unsigned flags, char *buf, size_t size)
{
	static const struct { unsigned bit; const char *name; } bits[] = {
		{ ALLOC_OOM, "OOM" }, { ALLOC_NON_BLOCK, "NON_BLOCK" },
		{ ALLOC_MIN_RESERVE, "MIN_RESERVE" }, { ALLOC_CPUSET, "CPUSET" },
		{ ALLOC_CMA, "CMA" }, { ALLOC_NOFRAGMENT, "NOFRAGMENT" },
		{ ALLOC_HIGHATOMIC, "HIGHATOMIC" }, { ALLOC_KSWAPD, "KSWAPD" },
	};
	static const char *const marks[] = { "WMARK_MIN", "WMARK_LOW", "WMARK_HIGH", "NO_WATERMARKS" };
	size_t len;

	snprintf(buf, size, "%s", marks[flags & ALLOC_WMARK_MASK]);
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		len = strlen(buf);
		if ((flags & bits[i].bit) && len < size)
			snprintf(buf + len, size - len, "|%s", bits[i].name);
	}
}

unsigned alloc_pmd_order(const struct meminfo *mi, uint64_t page_size, unsigned nr_orders,
			 bool *from_meminfo)
{
	uint64_t hp;

	*from_meminfo = false;
	if (mi && page_size && meminfo_get_bytes(mi, "Hugepagesize", &hp) && hp >= page_size &&
	    hp % page_size == 0) {
		uint64_t n = hp / page_size;
		unsigned o = 0;

		while ((UINT64_C(1) << o) < n && o < 63)
			o++;
		if ((UINT64_C(1) << o) == n && o < nr_orders) {
			*from_meminfo = true;
			return o;
		}
	}
	return frag_thp_order(page_size);
}

const char *alloc_outcome_name(enum alloc_outcome o)
{
	switch (o) {
	case ALLOC_OK_FAST: return "ok";
	case ALLOC_OK_SLOW: return "ok-slow";
	case ALLOC_COMPACT: return "compact";
	case ALLOC_RECLAIM: return "reclaim";
	case ALLOC_FAIL: return "fail";
	}
	return "?";
}

/* ---- building the model ------------------------------------------------ */

/* The zone order every kernel uses; the configured subset gets indices 0.. */
static const char *const zone_order[] = { "DMA", "DMA32", "Normal", "HighMem", "Movable", "Device" };
#define NR_ZONE_ORDER (sizeof(zone_order) / sizeof(zone_order[0]))

static int zone_rank(const char *name)
{
	for (size_t i = 0; i < NR_ZONE_ORDER; i++)
		if (strcmp(zone_order[i], name) == 0)
			return (int)i;
	return -1;
}

static enum alloc_mt mt_canonical(const char *name)
{
	static const struct { const char *name; enum alloc_mt mt; } map[] = {
		{ "Unmovable", MT_UNMOVABLE }, { "Movable", MT_MOVABLE },
		{ "Reclaimable", MT_RECLAIMABLE }, { "HighAtomic", MT_HIGHATOMIC },
		{ "CMA", MT_CMA }, { "Isolate", MT_ISOLATE }, { "Reserve", MT_RESERVE },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].name, name) == 0)
			return map[i].mt;
	return MT__COUNT;
}

/* The kernel prints every zone of a node (populated or not) since 4.12;
 * then the protection tuple has one entry per zone printed. */
static bool node_prints_all_zones(const struct zoneinfo *zi, int node)
{
	size_t n = 0;
	unsigned nprot = 0;

	for (size_t i = 0; i < zi->n; i++) {
		if (zi->z[i].node != node)
			continue;
		n++;
		if (zi->z[i].have & ZI_PROTECTION)
			nprot = zi->z[i].nr_protection;
	}
	return nprot && n == nprot;
}

/*
 * Kernel zone index of a zone when zoneinfo omitted the unpopulated ones:
 * rank among the zone types the kernel is configured with, taken to be
 * the names seen anywhere in the file plus Movable (always configured).
 */
static int guess_kidx(const struct zoneinfo *zi, const char *name)
{
	bool seen[NR_ZONE_ORDER] = { false };
	int r = zone_rank(name), idx = 0;

	if (r < 0)
		return -1;
	seen[4] = true;
	for (size_t i = 0; i < zi->n; i++) {
		int k = zone_rank(zi->z[i].name);

		if (k >= 0)
			seen[k] = true;
	}
	for (int i = 0; i < r; i++)
		idx += seen[i];
	return idx;
}

static void fill_from_pagetypeinfo(const struct pagetypeinfo *pt, unsigned nr_orders,
				   struct alloc_zone *z)
{
	const struct pagetype_zone *pz = pagetypeinfo_find(pt, z->node, z->name);

	if (!pz || !pz->has_free)
		return;
	z->have_mt = true;
	for (unsigned m = 0; m < pt->nr_mt; m++) {
		enum alloc_mt mt = mt_canonical(pt->mt_names[m]);

		if (mt == MT__COUNT)
			continue;
		for (unsigned o = 0; o < nr_orders && o < pt->nr_orders; o++)
			z->mt_free[mt][o] = pz->free[m][o];
	}
	/* A ">100000" count is a lower bound: give the capped list what
	 * buddyinfo says the order holds beyond the other lists. */
	for (unsigned m = 0; m < pt->nr_mt; m++) {
		enum alloc_mt mt = mt_canonical(pt->mt_names[m]);

		if (mt == MT__COUNT)
			continue;
		for (unsigned o = 0; o < nr_orders && o < pt->nr_orders; o++) {
			uint64_t others = 0;

			if (!pz->capped[m][o])
				continue;
			for (int k = 0; k < MT__COUNT; k++)
				if (k != (int)mt)
					others += z->mt_free[k][o];
			if (z->nr_free[o] > others + z->mt_free[mt][o])
				z->mt_free[mt][o] = z->nr_free[o] - others;
		}
	}
	for (unsigned o = 0; o < nr_orders; o++)
		z->free_highatomic += z->mt_free[MT_HIGHATOMIC][o] << o;
	if (pz->has_blocks) {
		int m = pagetypeinfo_mt_index(pt, "HighAtomic");

		if (m >= 0)
			z->reserved_highatomic = pz->blocks[m] * pt->pages_per_block;
	}
}

static int build_zone(const struct zoneinfo *zi, const struct zone_info *src,
		      const struct buddyinfo *bi, const struct pagetypeinfo *pt,
		      unsigned nr_orders, struct alloc_zone *z)
{
	const struct buddy_zone *bz;

	memset(z, 0, sizeof(*z));
	z->node = src->node;
	snprintf(z->name, sizeof(z->name), "%s", src->name);
	if (node_prints_all_zones(zi, src->node)) {
		z->kidx = (int)src->index;
	} else {
		z->kidx = guess_kidx(zi, src->name);
		z->kidx_guessed = true;
		if (z->kidx < 0)
			z->kidx = (int)src->index;
	}
	z->populated = zone_info_populated(src);
	z->present = src->present;
	z->managed = (src->have & ZI_MANAGED) ? src->managed : src->present;
	z->free = src->pages_free;
	z->min = src->min;
	z->low = src->low;
	z->high = src->high;
	z->boost = (src->have & ZI_BOOST) ? src->boost : 0;
	z->nr_protection = src->nr_protection;
	memcpy(z->protection, src->protection, sizeof(z->protection));
	z->free_cma = (src->have & ZI_CMA) ? src->cma : 0;
	bz = bi ? buddyinfo_find(bi, src->node, src->name) : NULL;
	if (bz)
		memcpy(z->nr_free, bz->free, sizeof(z->nr_free[0]) * nr_orders);
	if (pt)
		fill_from_pagetypeinfo(pt, nr_orders, z);
	if (!(src->have & ZI_PAGES_FREE) && bz)
		z->free = buddy_zone_free_pages(bz, nr_orders);
	return (src->have & ZI_MIN) && (src->have & ZI_LOW) ? 0 : -ENODATA;
}

/* Other nodes by distance from nd (then by id), nd first. */
static int build_node_order(struct alloc_model *am, const struct numa *numa, struct alloc_node *nd)
{
	const struct numa_node *me = numa ? numa_find(numa, nd->id) : NULL;

	nd->order = calloc(am->nn, sizeof(*nd->order));
	if (!nd->order)
		return -ENOMEM;
	nd->norder = 0;
	nd->order[nd->norder++] = nd->id;
	for (size_t i = 0; i < am->nn; i++)
		if (am->nodes[i].id != nd->id)
			nd->order[nd->norder++] = am->nodes[i].id;
	if (!me || !me->distance)
		return 0;
	/* Insertion sort of order[1..] by (distance, id). */
	for (size_t i = 2; i < nd->norder; i++) {
		int id = nd->order[i];
		size_t j = i;

		while (j > 1) {
			int a = nd->order[j - 1];
			long da = -1, db = -1;

			for (size_t k = 0; k < numa->n && k < me->nr_distance; k++) {
				if (numa->nodes[k].id == a)
					da = me->distance[k];
				if (numa->nodes[k].id == id)
					db = me->distance[k];
			}
			if (da < db || (da == db && a < id))
				break;
			nd->order[j] = a;
			j--;
		}
		nd->order[j] = id;
	}
	return 0;
}

struct alloc_node *alloc_model_node(struct alloc_model *am, int id)
{
	for (size_t i = 0; i < am->nn; i++)
		if (am->nodes[i].id == id)
			return &am->nodes[i];
	return NULL;
}

static const struct alloc_node *model_node(const struct alloc_model *am, int id)
{
	return alloc_model_node((struct alloc_model *)am, id);
}

int alloc_model_build(const struct zoneinfo *zi, const struct buddyinfo *bi,
		      const struct pagetypeinfo *pt, const struct sysvm *vm,
		      const struct numa *numa, const char *kernel_release,
		      struct alloc_model *out)
{
	int r = 0;

	memset(out, 0, sizeof(*out));
	if (!kversion_parse(kernel_release, &out->kver_major, &out->kver_minor))
		out->kver_major = out->kver_minor = 0;
	out->nr_orders = bi && bi->nr_orders ? bi->nr_orders : (pt ? pt->nr_orders : 0);
	if (!out->nr_orders || !zi || !zi->n)
		return -ENODATA;
	if (pt && pt->n && pt->pages_per_block) {
		out->pageblock_order = pt->pageblock_order;
		out->have_pageblock_order = true;
	}
	out->extfrag_threshold = 500;
	if (vm && (vm->have & SYSVM_EXTFRAG_THRESHOLD)) {
		out->extfrag_threshold = vm->extfrag_threshold;
		out->extfrag_threshold_known = true;
	}
	for (size_t i = 0; i < zi->n; i++) {
		if (strcmp(zi->z[i].name, "DMA32") == 0)
			out->has_dma32 = true;
		/* zoneinfo prints nr_free_cma even without CONFIG_CMA; only
		 * free CMA pages, or a CMA migratetype, show the kernel has it. */
		if ((zi->z[i].have & ZI_CMA) && zi->z[i].cma > 0)
			out->has_cma = true;
	}
	if (pt && pagetypeinfo_mt_index(pt, "CMA") >= 0)
		out->has_cma = true;

	for (size_t i = 0; i < zi->n; i++) {
		const struct zone_info *src = &zi->z[i];
		struct alloc_node *nd = alloc_model_node(out, src->node);
		struct alloc_zone *zz;

		if (!nd) {
			struct alloc_node *nn = realloc(out->nodes, (out->nn + 1) * sizeof(*nn));

			if (!nn)
				goto nomem;
			out->nodes = nn;
			nd = &out->nodes[out->nn++];
			memset(nd, 0, sizeof(*nd));
			nd->id = src->node;
		}
		zz = realloc(nd->zones, (nd->nz + 1) * sizeof(*zz));
		if (!zz)
			goto nomem;
		nd->zones = zz;
		if (build_zone(zi, src, bi, pt, out->nr_orders, &nd->zones[nd->nz]) < 0 &&
		    zone_info_populated(src))
			r = -ENODATA;
		nd->nz++;
	}
	out->have_mt = true;
	for (size_t i = 0; i < out->nn; i++) {
		struct alloc_node *nd = &out->nodes[i];

		for (size_t k = 0; k < nd->nz; k++)
			if (nd->zones[k].populated && !nd->zones[k].have_mt)
				out->have_mt = false;
		if (build_node_order(out, numa, nd) < 0)
			goto nomem;
	}
	out->distances_known = numa && numa->n > 0;
	for (size_t i = 0; out->distances_known && i < out->nn; i++) {
		const struct numa_node *nn = numa_find(numa, out->nodes[i].id);

		if (!nn || !nn->distance)
			out->distances_known = false;
	}
	if (r < 0)
		alloc_model_free(out);
	return r;
nomem:
	alloc_model_free(out);
	return -ENOMEM;
}

void alloc_model_free(struct alloc_model *am)
{
	for (size_t i = 0; i < am->nn; i++) {
		free(am->nodes[i].zones);
		free(am->nodes[i].order);
	}
	free(am->nodes);
	memset(am, 0, sizeof(*am));
}

/* ---- classes, zones and flags ----------------------------------------- */

static int node_zone_kidx(const struct alloc_node *nd, const char *name)
{
	for (size_t i = 0; i < nd->nz; i++)
		if (strcmp(nd->zones[i].name, name) == 0)
			return nd->zones[i].kidx;
	return -1;
}

/* gfp_zone(): the zone-modifier bits pick the highest usable zone; a zone
 * type the kernel is not built with maps to ZONE_NORMAL. */
int alloc_highest_zone(const struct alloc_node *nd, uint32_t gfp)
{
	const char *want = "Normal";
	int k, normal;

	if (gfp & FS_GFP_DMA)
		want = "DMA";
	else if (gfp & FS_GFP_DMA32)
		want = "DMA32";
	else if ((gfp & FS_GFP_HIGHMEM) && (gfp & FS_GFP_MOVABLE))
		want = "Movable";
	else if (gfp & FS_GFP_HIGHMEM)
		want = "HighMem";
	k = node_zone_kidx(nd, want);
	if (k >= 0)
		return k;
	if (strcmp(want, "Movable") == 0 && (k = node_zone_kidx(nd, "HighMem")) >= 0)
		return k;
	normal = node_zone_kidx(nd, "Normal");
	if (normal >= 0)
		return normal;
	/* No zone named Normal (unusual architectures): the highest zone
	 * ranked at or below Normal. */
	k = -1;
	for (size_t i = 0; i < nd->nz; i++) {
		int r = zone_rank(nd->zones[i].name);

		if (r >= 0 && r <= 2 && nd->zones[i].kidx > k)
			k = nd->zones[i].kidx;
	}
	return k >= 0 ? k : 0;
}

static enum alloc_mt gfp_migratetype(uint32_t gfp)
{
	if (gfp & FS_GFP_MOVABLE)
		return MT_MOVABLE;
	if (gfp & FS_GFP_RECLAIMABLE)
		return MT_RECLAIMABLE;
	return MT_UNMOVABLE;
}

static bool kernel_before(const struct alloc_model *am, unsigned major, unsigned minor)
{
	if (!am->kver_major)
		return false;
	return am->kver_major < major || (am->kver_major == major && am->kver_minor < minor);
}

/* prepare_alloc_pages() + alloc_flags_nofragment(). */
unsigned alloc_flags_fast(const struct alloc_model *am, const struct alloc_node *nd, uint32_t gfp)
{
	unsigned f = ALLOC_WMARK_LOW;
	int hz = alloc_highest_zone(nd, gfp);
	const struct alloc_zone *pref = NULL;

	if (gfp & FS_GFP_KSWAPD_RECLAIM)
		f |= ALLOC_KSWAPD;
	if (am->has_cma && gfp_migratetype(gfp) == MT_MOVABLE)
		f |= ALLOC_CMA;
	/* The preferred zone is the first populated zone at or below hz. */
	for (size_t i = nd->nz; i-- > 0;) {
		const struct alloc_zone *z = &nd->zones[i];

		if (z->populated && z->kidx <= hz) {
			pref = z;
			break;
		}
	}
	/* ALLOC_NOFRAGMENT exists since 5.0. */
	if (am->has_dma32 && pref && strcmp(pref->name, "Normal") == 0 && !kernel_before(am, 5, 0)) {
		bool dma32_populated = false;

		for (size_t i = 0; i < nd->nz; i++)
			if (strcmp(nd->zones[i].name, "DMA32") == 0 && nd->zones[i].populated)
				dma32_populated = true;
		if (am->nn <= 1 || dma32_populated)
			f |= ALLOC_NOFRAGMENT;
	}
	return f;
}

/* gfp_to_alloc_flags(), for a task that is not real-time. */
unsigned alloc_flags_slow(const struct alloc_model *am, uint32_t gfp, unsigned order)
{
	unsigned f = ALLOC_WMARK_MIN | ALLOC_CPUSET;

	if (gfp & FS_GFP_HIGH)
		f |= ALLOC_MIN_RESERVE;
	if (gfp & FS_GFP_KSWAPD_RECLAIM)
		f |= ALLOC_KSWAPD;
	if (!(gfp & FS_GFP_DIRECT_RECLAIM)) {
		if (!(gfp & FS_GFP_NOMEMALLOC)) {
			f |= ALLOC_NON_BLOCK;
			if (order > 0 && (f & ALLOC_MIN_RESERVE))
				f |= ALLOC_HIGHATOMIC;
		}
		if (f & ALLOC_MIN_RESERVE)
			f &= ~(unsigned)ALLOC_CPUSET;
	}
	if (am->has_cma && gfp_migratetype(gfp) == MT_MOVABLE)
		f |= ALLOC_CMA;
	return f;
}

/* ---- the watermark check ---------------------------------------------- */

static bool mt_list_nonempty(const struct alloc_zone *z, enum alloc_mt mt, unsigned o)
{
	return z->mt_free[mt][o] > 0;
}

/* Step 6 of __zone_watermark_ok(): a free block at or above the order on a
 * list the caller may use.  Without per-type lists, any block counts. */
static bool block_available(const struct alloc_model *am, const struct alloc_zone *z,
			    unsigned order, unsigned flags)
{
	for (unsigned o = order; o < am->nr_orders; o++) {
		if (!z->nr_free[o])
			continue;
		if (!z->have_mt)
			return true;
		if (mt_list_nonempty(z, MT_UNMOVABLE, o) || mt_list_nonempty(z, MT_MOVABLE, o) ||
		    mt_list_nonempty(z, MT_RECLAIMABLE, o))
			return true;
		if ((flags & ALLOC_CMA) && mt_list_nonempty(z, MT_CMA, o))
			return true;
		if ((flags & (ALLOC_HIGHATOMIC | ALLOC_OOM)) && mt_list_nonempty(z, MT_HIGHATOMIC, o))
			return true;
		/* < 4.4: the Reserve lists served anyone as a last resort. */
		if (mt_list_nonempty(z, MT_RESERVE, o))
			return true;
	}
	return false;
}

static uint64_t zone_mark(const struct alloc_zone *z, unsigned flags)
{
	switch (flags & ALLOC_WMARK_MASK) {
	case ALLOC_WMARK_MIN: return z->min;
	case ALLOC_WMARK_LOW: return z->low;
	default: return z->high;
	}
}

static uint64_t zone_protection(const struct alloc_zone *z, int hz)
{
	return hz >= 0 && (unsigned)hz < z->nr_protection ? z->protection[hz] : 0;
}

/* __zone_watermark_ok() with mark and free_pages given. */
static void watermark_ok(const struct alloc_model *am, const struct alloc_zone *z, unsigned order,
			 uint64_t mark, int hz, unsigned flags, struct alloc_check *c)
{
	int64_t free = (int64_t)z->free;
	int64_t min = (int64_t)mark;

	memset(c, 0, sizeof(*c));
	c->mark = mark;
	c->protection = zone_protection(z, hz);
	c->minus_order = (UINT64_C(1) << order) - 1;
	free -= (int64_t)c->minus_order;
	if (!(flags & ALLOC_RESERVES)) {
		/* 6.12+ subtract the free HighAtomic pages; before, the
		 * whole reserved pageblocks (an over-estimate). */
		c->minus_highatomic = kernel_before(am, 6, 12) ? z->reserved_highatomic : z->free_highatomic;
		free -= (int64_t)c->minus_highatomic;
	}
	if (!(flags & ALLOC_CMA)) {
		c->minus_cma = z->free_cma;
		free -= (int64_t)c->minus_cma;
	}
	if (flags & ALLOC_RESERVES) {
		if (flags & ALLOC_MIN_RESERVE) {
			min -= min / 2;
			if (flags & ALLOC_NON_BLOCK)
				min -= min / 4;
		}
		if (flags & ALLOC_OOM)
			min -= min / 2;
	}
	c->free = free;
	c->min = (uint64_t)min;
	c->wmark_ok = free > min + (int64_t)c->protection;
	if (!c->wmark_ok) {
		c->block_ok = order == 0 ? true : block_available(am, z, order, flags);
		return;
	}
	if (order == 0) {
		c->block_ok = true;
		c->ok = true;
		return;
	}
	if (kernel_before(am, 4, 4)) {
		/* Before 4.4: for each order below the request, the pages in
		 * smaller blocks are useless and the bar halves. */
		int64_t f = free;
		int64_t m = min;

		c->block_ok = true;
		for (unsigned o = 0; o < order && o < am->nr_orders && o < FS_MAX_ORDERS; o++) {
			f -= (int64_t)(z->nr_free[o] << o);
			m >>= 1;
			if (f <= m) {
				c->block_ok = false;
				break;
			}
		}
	} else {
		c->block_ok = block_available(am, z, order, flags);
	}
	c->ok = c->block_ok;
}

void alloc_zone_check(const struct alloc_model *am, const struct alloc_zone *z, unsigned order,
		      int hz, unsigned flags, struct alloc_check *out)
{
	uint64_t mark = zone_mark(z, flags);

	/* zone_watermark_fast(): order-0 requests first try the cheap test
	 * with every reserve subtracted. */
	if (order == 0) {
		/* __zone_watermark_unusable_free() at order 0. */
		uint64_t highatomic = kernel_before(am, 6, 12) ? z->reserved_highatomic : z->free_highatomic;
		uint64_t reserved = ((flags & ALLOC_RESERVES) ? 0 : highatomic) +
				    ((flags & ALLOC_CMA) ? 0 : z->free_cma);
		uint64_t usable = z->free - (z->free < reserved ? z->free : reserved);

		if (usable > mark + zone_protection(z, hz)) {
			watermark_ok(am, z, order, mark, hz, flags, out);
			/* The shortcut passed: the allocation goes ahead even if
			 * the full test would have subtracted more. */
			out->ok = out->wmark_ok = out->block_ok = true;
			return;
		}
	}
	watermark_ok(am, z, order, mark, hz, flags, out);
	if (!out->ok && order == 0 && (flags & ALLOC_MIN_RESERVE) && z->boost &&
	    (flags & ALLOC_WMARK_MASK) == ALLOC_WMARK_MIN) {
		struct alloc_check again;

		watermark_ok(am, z, order, z->min - z->boost, hz, flags, &again);
		if (again.ok)
			*out = again;
	}
}

/* ---- taking blocks off the free lists (__rmqueue) --------------------- */

static const enum alloc_mt fallbacks[3][2] = {
	[MT_UNMOVABLE] = { MT_RECLAIMABLE, MT_MOVABLE },
	[MT_MOVABLE] = { MT_RECLAIMABLE, MT_UNMOVABLE },
	[MT_RECLAIMABLE] = { MT_UNMOVABLE, MT_MOVABLE },
};

/* Remove a block of order cur from list mt and put the remainders of
 * splitting it down to order on list dst (expand()). */
static void take(const struct alloc_model *am, struct alloc_zone *z, enum alloc_mt mt, unsigned cur,
		 unsigned order, enum alloc_mt dst)
{
	(void)am;
	if (z->have_mt) {
		z->mt_free[mt][cur]--;
		for (unsigned o = order; o < cur; o++)
			z->mt_free[dst][o]++;
	}
	z->nr_free[cur]--;
	for (unsigned o = order; o < cur; o++)
		z->nr_free[o]++;
	z->free -= z->free < (UINT64_C(1) << order) ? z->free : UINT64_C(1) << order;
	if (mt == MT_CMA)
		z->free_cma -= z->free_cma < (UINT64_C(1) << order) ? z->free_cma : UINT64_C(1) << order;
	if (mt == MT_HIGHATOMIC)
		z->free_highatomic -= z->free_highatomic < (UINT64_C(1) << order) ?
			z->free_highatomic : UINT64_C(1) << order;
}

static bool smallest(const struct alloc_model *am, struct alloc_zone *z, unsigned order, enum alloc_mt mt)
{
	for (unsigned cur = order; cur < am->nr_orders; cur++) {
		if (z->mt_free[mt][cur]) {
			take(am, z, mt, cur, order, mt);
			return true;
		}
	}
	return false;
}

/* should_try_claim_block(). */
static bool may_claim(const struct alloc_model *am, unsigned cur, enum alloc_mt mt)
{
	unsigned pb = am->have_pageblock_order ? am->pageblock_order : 9;

	return cur >= pb || cur >= pb / 2 || mt == MT_UNMOVABLE || mt == MT_RECLAIMABLE;
}

/*
 * Serve one block of order from z as __rmqueue() would.  A claim of a
 * fallback block smaller than a pageblock depends on how full that
 * pageblock is, which /proc does not show; it is taken to succeed (the
 * per-order counts are the same either way, only the type label differs).
 */
static bool rmqueue(const struct alloc_model *am, struct alloc_zone *z, unsigned order,
		    enum alloc_mt mt, unsigned flags)
{
	unsigned pb = am->have_pageblock_order ? am->pageblock_order : 9;
	unsigned min_order = order;

	if (!z->have_mt) {
		for (unsigned cur = order; cur < am->nr_orders; cur++) {
			if (z->nr_free[cur]) {
				take(am, z, MT__COUNT, cur, order, MT__COUNT);
				return true;
			}
		}
		return false;
	}
	if ((flags & ALLOC_HIGHATOMIC) && order > 0 && smallest(am, z, order, MT_HIGHATOMIC))
		return true;
	if ((flags & ALLOC_CMA) && z->free_cma > z->free / 2 && smallest(am, z, order, MT_CMA))
		return true;
	if (smallest(am, z, order, mt))
		return true;
	if ((flags & ALLOC_CMA) && smallest(am, z, order, MT_CMA))
		return true;
	if (smallest(am, z, order, MT_RESERVE))
		return true;
	/* Claim: the largest fallback block, from the top order down. */
	if ((flags & ALLOC_NOFRAGMENT) && order < pb)
		min_order = pb;
	for (unsigned cur = am->nr_orders; cur-- > min_order;) {
		if (!may_claim(am, cur, mt))
			break;
		for (int i = 0; i < 2; i++) {
			enum alloc_mt fb = fallbacks[mt][i];

			if (z->mt_free[fb][cur]) {
				take(am, z, fb, cur, order, mt);
				return true;
			}
		}
	}
	/* Steal: the smallest fallback block, keeping its type. */
	if (!(flags & ALLOC_NOFRAGMENT)) {
		for (unsigned cur = order; cur < am->nr_orders; cur++) {
			for (int i = 0; i < 2; i++) {
				enum alloc_mt fb = fallbacks[mt][i];

				if (z->mt_free[fb][cur]) {
					take(am, z, fb, cur, order, fb);
					return true;
				}
			}
		}
	}
	if ((flags & (ALLOC_OOM | ALLOC_NON_BLOCK)) && smallest(am, z, order, MT_HIGHATOMIC))
		return true;
	return false;
}

/* Whether rmqueue() would succeed, without changing z. */
static bool servable(const struct alloc_model *am, const struct alloc_zone *z, unsigned order,
		     enum alloc_mt mt, unsigned flags)
{
	struct alloc_zone copy = *z;

	return rmqueue(am, &copy, order, mt, flags);
}

/* ---- prediction ------------------------------------------------------- */

static bool can_direct_reclaim(uint32_t gfp)
{
	return gfp & FS_GFP_DIRECT_RECLAIM;
}

/*
 * __compaction_suitable() with the slow path's min watermark: an order-0
 * check of mark + 2 * 2^order (+ low - min for costly orders) with
 * ALLOC_CMA; then, for costly orders, the fragmentation index.
 */
static void compaction_check(const struct alloc_model *am, const struct alloc_zone *z, unsigned order,
			     int hz, struct alloc_zone_result *r)
{
	struct alloc_check c;
	uint64_t mark = z->min + (UINT64_C(2) << order);

	if (order > FRAG_COSTLY_ORDER)
		mark += z->low - z->min;
	watermark_ok(am, z, 0, mark, hz, ALLOC_CMA, &c);
	r->compact_wmark_ok = c.ok;
	r->fragindex = frag_extfrag_index(z->nr_free, am->nr_orders, order);
	r->compact_suitable = r->compact_wmark_ok &&
		frag_advice(r->fragindex, order, am->extfrag_threshold) != FRAG_RECLAIM;
}

static void evaluate_zone(const struct alloc_model *am, const struct alloc_prediction *p,
			  const struct alloc_zone *z, struct alloc_zone_result *r)
{
	enum alloc_mt mt = gfp_migratetype(p->req.gfp);
	unsigned order = p->req.order;

	memset(r, 0, sizeof(*r));
	r->z = z;
	alloc_zone_check(am, z, order, p->highest_zone, p->flags_fast, &r->fast);
	alloc_zone_check(am, z, order, p->highest_zone, p->flags_slow, &r->slow);
	r->servable_nofrag = !(p->flags_fast & ALLOC_NOFRAGMENT) || !z->have_mt ||
		servable(am, z, order, mt, p->flags_fast);
	compaction_check(am, z, order, p->highest_zone, r);
	if (r->fast.ok)
		r->outcome = ALLOC_OK_FAST;
	else if (r->slow.ok)
		r->outcome = ALLOC_OK_SLOW;
	else if (!can_direct_reclaim(p->req.gfp))
		r->outcome = ALLOC_FAIL;
	else if (r->slow.wmark_ok && order > 0 && r->compact_suitable)
		r->outcome = ALLOC_COMPACT;
	else
		r->outcome = ALLOC_RECLAIM;
}

enum alloc_outcome alloc_zone_outlook(const struct alloc_model *am, const struct alloc_node *nd,
				      const struct alloc_zone *z, uint32_t gfp, unsigned order, bool *usable)
{
	struct alloc_prediction p;
	struct alloc_zone_result r;

	memset(&p, 0, sizeof(p));
	p.req.gfp = gfp;
	p.req.order = order;
	p.req.node = nd->id;
	p.highest_zone = alloc_highest_zone(nd, gfp);
	*usable = z->populated && z->kidx <= p.highest_zone;
	if (!*usable)
		return ALLOC_FAIL;
	p.flags_fast = alloc_flags_fast(am, nd, gfp);
	p.flags_slow = alloc_flags_slow(am, gfp, order);
	evaluate_zone(am, &p, z, &r);
	return r.outcome;
}

/*
 * One allocation through get_page_from_freelist(): the fast pass (with
 * NOFRAGMENT on the local node first when it applies), then the slow
 * path's first attempt.  Returns the zonelist index that served it and
 * sets *slow, or -1.  With take, the block is removed from that zone.
 */
static int walk(const struct alloc_model *am, const struct alloc_prediction *p,
		struct alloc_zone **zones, bool take_it, bool *slow, unsigned *used_flags)
{
	enum alloc_mt mt = gfp_migratetype(p->req.gfp);
	unsigned order = p->req.order;
	int hz = p->highest_zone;

	for (int pass = 0; pass < 3; pass++) {
		unsigned flags = pass == 2 ? p->flags_slow : p->flags_fast;

		if (pass == 0 && !(flags & ALLOC_NOFRAGMENT))
			continue;
		if (pass == 1)
			flags &= ~(unsigned)ALLOC_NOFRAGMENT;
		for (size_t i = 0; i < p->nzl; i++) {
			struct alloc_zone *z = zones[i];
			struct alloc_check c;

			/* NOFRAGMENT is dropped when the walk reaches a remote node. */
			if (pass == 0 && z->node != p->req.node)
				break;
			alloc_zone_check(am, z, order, hz, flags, &c);
			if (!c.ok)
				continue;
			if (take_it ? rmqueue(am, z, order, mt, flags) : servable(am, z, order, mt, flags)) {
				*slow = pass == 2;
				*used_flags = flags;
				return (int)i;
			}
		}
	}
	return -1;
}

/*
 * After walk() served one allocation from z with flags, how many more
 * would the same zone serve, one after another, up to max?  Runs are
 * counted in bulk where __rmqueue()'s choice is mechanical: first the
 * request's own-type lists, smallest block first; then (with per-type
 * lists) whole-pageblock claims of fallback blocks, largest first, each
 * relabelled and used up before the next (see run_sources()).  Anything
 * else (HighAtomic first, CMA, the pre-4.4 Reserve lists, steals) is left
 * to the one-by-one walk.  Along such a run nothing else
 * changes: the zones before z keep failing (they are untouched), a block
 * at or above the order stays on a usable list until the run ends, and
 * the watermark check is monotonic in the free pages, so a binary search
 * on the count finds where z stops passing.  Without this a run of small
 * allocations on a large machine would take one step per allocation.
 */
struct run_src {
	enum alloc_mt mt;
	unsigned order;
};

static uint64_t *run_list(struct alloc_zone *z, enum alloc_mt mt, unsigned o)
{
	return z->have_mt ? &z->mt_free[mt][o] : &z->nr_free[o];
}

static bool lists_hold(const struct alloc_model *am, const struct alloc_zone *z, enum alloc_mt mt,
		       unsigned order)
{
	for (unsigned o = order; o < am->nr_orders; o++)
		if (z->mt_free[mt][o])
			return true;
	return false;
}

/*
 * The lists a run takes from, in the order it empties them: the request's
 * own lists, smallest first; then the fallback blocks rmqueue() would
 * claim, largest first: at pageblock order and above, and below it as
 * far as should_try_claim_block() lets the request claim (may_claim(): any
 * order for unmovable and reclaimable requests, pageblock_order / 2 and
 * up for the others) unless NOFRAGMENT forbids claims below a pageblock.
 * A claimed block's remainder joins the request's own lists, which the
 * next allocations use up before the next claim, so each claimed list is
 * emptied whole, like the pageblock claims.  Steals (below what may be
 * claimed) keep the block's type and stay one by one.
 */
static size_t run_sources(const struct alloc_model *am, const struct alloc_zone *z, enum alloc_mt mt,
			  unsigned order, unsigned flags, struct run_src *src)
{
	unsigned pb = am->have_pageblock_order ? am->pageblock_order : 9;
	unsigned lowest = (flags & ALLOC_NOFRAGMENT) && order < pb ? pb : order;
	size_t n = 0;

	for (unsigned o = order; o < am->nr_orders; o++)
		src[n++] = (struct run_src){ mt, o };
	if (!z->have_mt || lists_hold(am, z, MT_RESERVE, order) ||
	    ((flags & ALLOC_CMA) && lists_hold(am, z, MT_CMA, order)))
		return n;
	for (unsigned cur = am->nr_orders; cur-- > lowest;) {
		if (!may_claim(am, cur, mt))
			break;
		for (int i = 0; i < 2; i++)
			src[n++] = (struct run_src){ fallbacks[mt][i], cur };
	}
	return n;
}

static uint64_t same_zone_run(const struct alloc_model *am, const struct alloc_prediction *p,
			      struct alloc_zone *z, unsigned flags, uint64_t max)
{
	enum alloc_mt mt = gfp_migratetype(p->req.gfp);
	unsigned order = p->req.order;
	uint64_t step = UINT64_C(1) << order, lo = 0, hi = 0;
	struct run_src src[3 * FS_MAX_ORDERS];
	size_t nsrc;
	struct alloc_zone probe;

	if (am->one_by_one)
		return 0;
	if (z->have_mt && (((flags & ALLOC_HIGHATOMIC) && order > 0) || ((flags & ALLOC_CMA) && z->free_cma)))
		return 0;
	nsrc = run_sources(am, z, mt, order, flags, src);
	/* Allocations of the order those lists hold, capped at max. */
	for (size_t i = 0; i < nsrc && hi < max; i++) {
		uint64_t n = *run_list(z, src[i].mt, src[i].order);
		uint64_t units = UINT64_C(1) << (src[i].order - order);

		hi = n > (max - hi) / units ? max : hi + n * units;
	}
	/* Largest k <= hi such that the k-th further allocation still
	 * passes: the check after k - 1 more have been taken. */
	probe = *z;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo + 1) / 2, taken = (mid - 1) * step;
		struct alloc_check c;

		probe.free = z->free > taken ? z->free - taken : 0;
		alloc_zone_check(am, &probe, order, p->highest_zone, flags, &c);
		if (c.ok)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/*
 * Take k allocations of the order from the run's lists in turn: whole
 * lists, then part of one block.  Taking t of the U order-sized pieces of
 * a block from its low end leaves free exactly one block per set bit of
 * U - t (expand() hands out the lowest half and frees the upper halves,
 * and the smallest remainder is always the next one used); a claimed
 * fallback block's remainder goes to the request's own type.
 */
static void take_run(const struct alloc_model *am, const struct alloc_prediction *p, struct alloc_zone *z,
		     unsigned flags, uint64_t k)
{
	enum alloc_mt mt = gfp_migratetype(p->req.gfp);
	unsigned order = p->req.order;
	uint64_t pages = k << order;
	struct run_src src[3 * FS_MAX_ORDERS];
	size_t nsrc;

	/* Nothing to take (the common case in a run of one-by-one steals):
	 * skip building the list of sources. */
	if (!k)
		return;
	nsrc = run_sources(am, z, mt, order, flags, src);
	for (size_t i = 0; i < nsrc && k; i++) {
		unsigned o = src[i].order;
		uint64_t *list = run_list(z, src[i].mt, o), units = UINT64_C(1) << (o - order);
		uint64_t whole = *list < k / units ? *list : k / units;

		*list -= whole;
		if (z->have_mt)
			z->nr_free[o] -= whole;
		k -= whole * units;
		if (k && k < units && *list) {
			uint64_t rest = units - k;

			(*list)--;
			if (z->have_mt)
				z->nr_free[o]--;
			for (unsigned b = 0; b < o - order; b++) {
				if (rest & (UINT64_C(1) << b)) {
					(*run_list(z, mt, order + b))++;
					if (z->have_mt)
						z->nr_free[order + b]++;
				}
			}
			k = 0;
		}
	}
	z->free -= z->free < pages ? z->free : pages;
}

/* The outcome when no zone serves: compaction if a zone is suitable and
 * the class compacts before reclaiming, else reclaim (or fail). */
static enum alloc_outcome failure_outcome(const struct alloc_prediction *p,
					  const struct alloc_zone_result *r, size_t n)
{
	bool costly = p->req.order > FRAG_COSTLY_ORDER;
	bool movable = gfp_migratetype(p->req.gfp) == MT_MOVABLE;

	if (!can_direct_reclaim(p->req.gfp))
		return ALLOC_FAIL;
	if (p->req.order > 0 && (costly || !movable))
		for (size_t i = 0; i < n; i++)
			if (r[i].outcome == ALLOC_COMPACT)
				return ALLOC_COMPACT;
	return ALLOC_RECLAIM;
}

static int build_zonelist(const struct alloc_model *am, const struct alloc_node *pref,
			  struct alloc_prediction *p)
{
	size_t cap = 0;
	bool thisnode = p->req.gfp & FS_GFP_THISNODE;

	for (size_t i = 0; i < am->nn; i++)
		cap += am->nodes[i].nz;
	p->zl = calloc(cap ? cap : 1, sizeof(*p->zl));
	p->served_per_zone = calloc(cap ? cap : 1, sizeof(*p->served_per_zone));
	if (!p->zl || !p->served_per_zone)
		return -ENOMEM;
	for (size_t k = 0; k < pref->norder; k++) {
		const struct alloc_node *nd = model_node(am, pref->order[k]);
		int hz = nd ? alloc_highest_zone(nd, p->req.gfp) : -1;

		if (!nd || (thisnode && nd != pref))
			continue;
		for (size_t i = nd->nz; i-- > 0;) {
			const struct alloc_zone *z = &nd->zones[i];

			if (z->populated && z->kidx <= hz)
				p->zl[p->nzl++].z = z;
		}
	}
	return 0;
}

int alloc_predict(const struct alloc_model *am, const struct alloc_request *req,
		  struct alloc_prediction *out)
{
	const struct alloc_node *pref = model_node(am, req->node);
	struct alloc_zone *copies = NULL, **ptrs = NULL;
	unsigned flags;
	bool slow;
	int r;

	memset(out, 0, sizeof(*out));
	out->req = *req;
	out->served_by = -1;
	if (!pref)
		return -ENOENT;
	out->highest_zone = alloc_highest_zone(pref, req->gfp);
	out->flags_fast = alloc_flags_fast(am, pref, req->gfp);
	out->flags_slow = alloc_flags_slow(am, req->gfp, req->order);
	out->estimate_no_mt = !am->have_mt;
	r = build_zonelist(am, pref, out);
	if (r < 0)
		goto fail;
	for (size_t i = 0; i < out->nzl; i++)
		evaluate_zone(am, out, out->zl[i].z, &out->zl[i]);

	copies = calloc(out->nzl ? out->nzl : 1, sizeof(*copies));
	ptrs = calloc(out->nzl ? out->nzl : 1, sizeof(*ptrs));
	if (!copies || !ptrs) {
		r = -ENOMEM;
		goto fail;
	}
	for (size_t i = 0; i < out->nzl; i++) {
		copies[i] = *out->zl[i].z;
		ptrs[i] = &copies[i];
	}
	out->served_by = walk(am, out, ptrs, false, &slow, &flags);
	if (out->served_by >= 0) {
		out->outcome = slow ? ALLOC_OK_SLOW : ALLOC_OK_FAST;
		out->nofrag_skipped = out->served_by > 0 && out->zl[0].fast.ok && !slow;
	} else {
		out->outcome = failure_outcome(out, out->zl, out->nzl);
	}

	while (out->served < req->count) {
		int i = walk(am, out, ptrs, true, &slow, &flags);
		uint64_t more;

		if (i < 0) {
			struct alloc_zone_result *now = calloc(out->nzl ? out->nzl : 1, sizeof(*now));

			if (!now) {
				r = -ENOMEM;
				goto fail;
			}
			for (size_t k = 0; k < out->nzl; k++)
				evaluate_zone(am, out, ptrs[k], &now[k]);
			out->stop_outcome = failure_outcome(out, now, out->nzl);
			free(now);
			break;
		}
		more = same_zone_run(am, out, ptrs[i], flags, req->count - out->served - 1);
		take_run(am, out, ptrs[i], flags, more);
		out->served += 1 + more;
		out->served_per_zone[i] += 1 + more;
		if (slow)
			out->served_slow += 1 + more;
	}
	free(copies);
	free(ptrs);
	return 0;
fail:
	free(copies);
	free(ptrs);
	alloc_prediction_free(out);
	return r;
}

/* ---- for the simulator (sim/machine.c) ---------------------------------- */

enum alloc_mt alloc_mt_from_name(const char *name)
{
	return mt_canonical(name);
}

enum alloc_mt alloc_gfp_migratetype(uint32_t gfp)
{
	return gfp_migratetype(gfp);
}

int alloc_zonelist(struct alloc_model *am, int node, uint32_t gfp, struct alloc_zone **out, size_t cap)
{
	const struct alloc_node *pref = model_node(am, node);
	bool thisnode = gfp & FS_GFP_THISNODE;
	size_t n = 0;

	if (!pref)
		return -ENOENT;
	for (size_t k = 0; k < pref->norder; k++) {
		struct alloc_node *nd = alloc_model_node(am, pref->order[k]);
		int hz = nd ? alloc_highest_zone(nd, gfp) : -1;

		if (!nd || (thisnode && nd != pref))
			continue;
		for (size_t i = nd->nz; i-- > 0;) {
			struct alloc_zone *z = &nd->zones[i];

			if (z->populated && z->kidx <= hz && n < cap)
				out[n++] = z;
		}
	}
	return (int)n;
}

enum alloc_outcome alloc_failure_outcome(const struct alloc_model *am, int node, uint32_t gfp,
					 unsigned order, struct alloc_zone *const *zl, size_t n)
{
	const struct alloc_node *pref = model_node(am, node);
	struct alloc_prediction p;
	struct alloc_zone_result r[FS_MAX_ZONES * 4];

	memset(&p, 0, sizeof(p));
	p.req.gfp = gfp;
	p.req.order = order;
	p.req.node = node;
	if (!pref)
		return ALLOC_FAIL;
	p.highest_zone = alloc_highest_zone(pref, gfp);
	p.flags_fast = alloc_flags_fast(am, pref, gfp);
	p.flags_slow = alloc_flags_slow(am, gfp, order);
	if (n > sizeof(r) / sizeof(r[0]))
		n = sizeof(r) / sizeof(r[0]);
	for (size_t i = 0; i < n; i++)
		evaluate_zone(am, &p, zl[i], &r[i]);
	return failure_outcome(&p, r, n);
}

int alloc_predict_all(const struct alloc_model *am, const struct alloc_request *req,
		      struct alloc_prediction *out)
{
	struct alloc_request r = *req;
	uint64_t total = 0;

	for (size_t k = 0; k < am->nn; k++)
		for (size_t i = 0; i < am->nodes[k].nz; i++)
			total += am->nodes[k].zones[i].free;
	r.count = (total >> r.order) + 1;
	return alloc_predict(am, &r, out);
}

void alloc_prediction_free(struct alloc_prediction *p)
{
	free(p->zl);
	free(p->served_per_zone);
	p->zl = NULL;
	p->served_per_zone = NULL;
	p->nzl = 0;
}

/* ---- plain-language reasons ------------------------------------------- */

/* 1234567 -> "1,234,567". */
static const char *grouped(int64_t v, char *buf, size_t size)
{
	char tmp[32];
	size_t len, o = 0;
	const char *s = tmp;

	snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
	if (*s == '-' && o + 1 < size)
		buf[o++] = *s++;
	len = strlen(s);
	for (size_t i = 0; i < len && o + 2 < size; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = s[i];
	}
	buf[o] = '\0';
	return buf;
}

char *alloc_explain_zone(const struct alloc_model *am, const struct alloc_prediction *p,
			 const struct alloc_zone_result *r, char *buf, size_t size)
{
	const struct alloc_check *c = r->outcome == ALLOC_OK_FAST ? &r->fast : &r->slow;
	char a[32], b[32], d[32], ix[16], th[16];
	const char *which = c == &r->fast ? "low" : "min";

	switch (r->outcome) {
	case ALLOC_OK_FAST:
		snprintf(buf, size, "free pages %s are above the low watermark %s plus protection %s",
			 grouped(c->free, a, sizeof(a)), grouped((int64_t)c->min, b, sizeof(b)),
			 grouped((int64_t)c->protection, d, sizeof(d)));
		break;
	case ALLOC_OK_SLOW:
		snprintf(buf, size, "only in the slow path: free pages %s are above the min watermark"
			 " %s (after reserves) plus protection %s, not above low %s; kswapd is woken",
			 grouped(c->free, a, sizeof(a)), grouped((int64_t)c->min, b, sizeof(b)),
			 grouped((int64_t)c->protection, d, sizeof(d)),
			 grouped((int64_t)(r->fast.min + r->fast.protection), ix, sizeof(ix)));
		break;
	default:
		if (!c->wmark_ok) {
			snprintf(buf, size, "free pages %s are at or below the %s watermark %s plus protection %s",
				 grouped(c->free, a, sizeof(a)), which, grouped((int64_t)c->min, b, sizeof(b)),
				 grouped((int64_t)c->protection, d, sizeof(d)));
		} else {
			frag_format_decimal(r->fragindex, ix, sizeof(ix));
			frag_format_decimal((int)am->extfrag_threshold, th, sizeof(th));
			snprintf(buf, size, "no free block of order >= %u on a usable list; fragmentation index %s"
				 " %s extfrag_threshold %s", p->req.order, ix,
				 r->fragindex < 0 ? "(not a fragmentation failure),"
				 : r->fragindex > am->extfrag_threshold ? "is above" : "is at or below", th);
		}
		break;
	}
	return buf;
}

/* "Normal or DMA32" / "Normal, DMA32 or DMA" over the zonelist entries
 * with a given property. */
static void zone_names(const struct alloc_prediction *p, bool (*pick)(const struct alloc_zone_result *),
		       bool with_node, char *buf, size_t size)
{
	size_t n = 0, k = 0, len;

	for (size_t i = 0; i < p->nzl; i++)
		n += pick(&p->zl[i]);
	buf[0] = '\0';
	for (size_t i = 0; i < p->nzl; i++) {
		if (!pick(&p->zl[i]))
			continue;
		len = strlen(buf);
		if (with_node)
			snprintf(buf + len, size - len, "%s%s %d %s", k == 0 ? "" : k + 1 == n ? " or " : ", ",
				 "node", p->zl[i].z->node, p->zl[i].z->name);
		else
			snprintf(buf + len, size - len, "%s%s", k == 0 ? "" : k + 1 == n ? " or " : ", ",
				 p->zl[i].z->name);
		k++;
	}
}

static bool pick_no_block(const struct alloc_zone_result *r)
{
	return r->slow.wmark_ok && !r->slow.block_ok;
}

char *alloc_explain(const struct alloc_model *am, const struct alloc_prediction *p, char *buf, size_t size)
{
	char zones[256], why[512], ix[16], th[16];
	bool multi_node = false;
	const struct alloc_zone_result *first = p->nzl ? &p->zl[0] : NULL;

	for (size_t i = 1; i < p->nzl; i++)
		if (p->zl[i].z->node != p->zl[0].z->node)
			multi_node = true;
	if (!first) {
		snprintf(buf, size, "no zone on node %d can serve this class", p->req.node);
		return buf;
	}
	switch (p->outcome) {
	case ALLOC_OK_FAST:
	case ALLOC_OK_SLOW: {
		const struct alloc_zone_result *r = &p->zl[p->served_by];

		alloc_explain_zone(am, p, r, why, sizeof(why));
		snprintf(buf, size, "served by node %d %s: %s%s", r->z->node, r->z->name, why,
			 p->nofrag_skipped ? " (the first pass avoids mixing pageblocks in the preferred zone)" : "");
		break;
	}
	case ALLOC_COMPACT: {
		const struct alloc_zone_result *r = first;

		for (size_t i = 0; i < p->nzl; i++)
			if (p->zl[i].outcome == ALLOC_COMPACT) {
				r = &p->zl[i];
				break;
			}
		zone_names(p, pick_no_block, multi_node, zones, sizeof(zones));
		frag_format_decimal(r->fragindex, ix, sizeof(ix));
		frag_format_decimal((int)am->extfrag_threshold, th, sizeof(th));
		if (r->fragindex < 0 || p->req.order <= FRAG_COSTLY_ORDER)
			snprintf(buf, size, "no free block of order >= %u in %s; enough pages are free, so the"
				 " kernel would try compaction first", p->req.order, zones);
		else
			snprintf(buf, size, "no free block of order >= %u in %s; the fragmentation index of %s is"
				 " %s, above extfrag_threshold %s, so the kernel would try compaction first",
				 p->req.order, zones, r->z->name, ix, th);
		break;
	}
	case ALLOC_RECLAIM:
	case ALLOC_FAIL: {
		const char *tail = p->outcome == ALLOC_FAIL ?
			"; this class may not reclaim or compact, so the allocation fails" :
			", so the kernel would reclaim";

		alloc_explain_zone(am, p, first, why, sizeof(why));
		if (first->slow.wmark_ok && !first->slow.block_ok && p->req.order > 0) {
			zone_names(p, pick_no_block, multi_node, zones, sizeof(zones));
			frag_format_decimal(first->fragindex, ix, sizeof(ix));
			frag_format_decimal((int)am->extfrag_threshold, th, sizeof(th));
			if (p->outcome == ALLOC_RECLAIM && p->req.order > FRAG_COSTLY_ORDER &&
			    first->fragindex >= 0 && first->compact_wmark_ok)
				snprintf(buf, size, "no free block of order >= %u in %s; the fragmentation index"
					 " of %s is %s, at or below extfrag_threshold %s (lack of memory, not"
					 " fragmentation), so the kernel would reclaim", p->req.order, zones,
					 first->z->name, ix, th);
			else if (p->outcome == ALLOC_RECLAIM && p->req.order > 0 && !first->compact_wmark_ok)
				snprintf(buf, size, "no free block of order >= %u in %s, and too few free pages"
					 " for compaction to work with, so the kernel would reclaim",
					 p->req.order, zones);
			else
				snprintf(buf, size, "no free block of order >= %u in %s%s", p->req.order, zones, tail);
		} else {
			snprintf(buf, size, "in %s, %s%s", first->z->name, why, tail);
		}
		break;
	}
	}
	return buf;
}
