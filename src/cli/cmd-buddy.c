/*
 * cmd-buddy.c - "fragscope buddy": free blocks per node, zone and order
 * (and per migratetype when pagetypeinfo is readable), free pages per
 * order, cumulative free pages at or above each order, pageblock counts,
 * watermarks and protection.  Also the zone views used by the report.
 *
 * "buddy --check" recomputes every zone's watermarks and protection from
 * its managed pages and the vm sysctls (analysis/watermark.c) and shows
 * them beside what zoneinfo prints; a difference exits 1.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "views.h"
#include "../analysis/watermark.h"
#include "../render/units.h"

static unsigned nr_orders_of(const struct machine *m)
{
	unsigned n = 0;

	if (m->in[IN_BUDDYINFO].loaded)
		n = m->buddy.nr_orders;
	else if (m->in[IN_PAGETYPEINFO].loaded)
		n = m->pt.nr_orders;
	/* The parsers never exceed the bound; say so to the compiler too. */
	return n < FS_MAX_ORDERS ? n : FS_MAX_ORDERS;
}

/* Free blocks per order of a zone: buddyinfo, or summed from pagetypeinfo. */
static bool zone_free_blocks(const struct machine *m, const struct zone_view *z, uint64_t *out)
{
	unsigned n = nr_orders_of(m);

	memset(out, 0, FS_MAX_ORDERS * sizeof(*out));
	if (z->bz) {
		memcpy(out, z->bz->free, n * sizeof(*out));
		return true;
	}
	if (z->pz && z->pz->has_free) {
		for (unsigned mt = 0; mt < m->pt.nr_mt; mt++)
			for (unsigned o = 0; o < n; o++)
				out[o] += z->pz->free[mt][o];
		return true;
	}
	return false;
}

static void upper(const char *s, char *out, size_t n)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < n; i++)
		out[i] = (char)toupper((unsigned char)s[i]);
	out[i] = '\0';
}

struct table *view_order_table(const struct machine *m, const struct zone_view *zv, size_t n)
{
	struct table *t = table_new("orders");
	unsigned nr = nr_orders_of(m);
	bool mt = m->in[IN_PAGETYPEINFO].loaded;
	int c_node, c_zone, c_order, c_bsize, c_blocks, c_pages, c_free, c_cum, c_cumpages;
	int c_mt[FS_MAX_MT];

	if (!t)
		return NULL;
	c_node = table_add_column(t, "NODE", TABLE_U64, TABLE_RIGHT, "NUMA node");
	c_zone = table_add_column(t, "ZONE", TABLE_STR, 0, "zone");
	c_order = table_add_column(t, "ORDER", TABLE_U64, TABLE_RIGHT, "block order (2^order pages)");
	c_bsize = table_add_column(t, "BLOCK", TABLE_BYTES, TABLE_RIGHT, "size of one block of this order");
	c_blocks = table_add_column(t, "BLOCKS", TABLE_U64, TABLE_RIGHT, "free blocks of this order (buddyinfo)");
	c_pages = table_add_column(t, "PAGES", TABLE_U64, TABLE_RIGHT | TABLE_HIDDEN, "free pages in blocks of this order");
	c_free = table_add_column(t, "FREE", TABLE_BYTES, TABLE_RIGHT, "free memory in blocks of this order");
	c_cumpages = table_add_column(t, "CUMPAGES", TABLE_U64, TABLE_RIGHT | TABLE_HIDDEN,
				      "free pages in blocks of this order or larger");
	c_cum = table_add_column(t, "CUMUL", TABLE_BYTES, TABLE_RIGHT,
				 "free memory in blocks of this order or larger");
	for (unsigned k = 0; mt && k < m->pt.nr_mt; k++) {
		char name[FS_NAME_LEN], help[96];

		upper(m->pt.mt_names[k], name, sizeof(name));
		snprintf(help, sizeof(help), "free %s blocks of this order (pagetypeinfo)", m->pt.mt_names[k]);
		c_mt[k] = table_add_column(t, name, TABLE_STR, TABLE_RIGHT, help);
	}
	if (c_cum < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		uint64_t free[FS_MAX_ORDERS], cum[FS_MAX_ORDERS];

		if (!zone_free_blocks(m, &zv[i], free))
			continue;
		zones_cumulative(free, nr, cum);
		for (unsigned o = 0; o < nr; o++) {
			if (table_new_row(t) < 0)
				goto fail;
			table_set_u64(t, c_node, (uint64_t)zv[i].node);
			table_set_str(t, c_zone, zv[i].name);
			table_set_u64(t, c_order, o);
			table_set_u64(t, c_bsize, m->page_size << o);
			table_set_u64(t, c_blocks, free[o]);
			table_set_u64(t, c_pages, free[o] << o);
			table_set_u64(t, c_free, (free[o] << o) * m->page_size);
			table_set_u64(t, c_cumpages, cum[o]);
			table_set_u64(t, c_cum, cum[o] * m->page_size);
			for (unsigned k = 0; mt && zv[i].pz && zv[i].pz->has_free && k < m->pt.nr_mt; k++) {
				char v[32];

				snprintf(v, sizeof(v), "%s%llu", zv[i].pz->capped[k][o] ? ">" : "",
					 (unsigned long long)zv[i].pz->free[k][o]);
				table_set_str(t, c_mt[k], v);
			}
		}
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

/* "0,3019,5835" */
static void u64_list_text(const uint64_t *v, unsigned nv, char *out, size_t n)
{
	size_t o = 0;

	out[0] = '\0';
	for (unsigned k = 0; k < nv && o < n; k++)
		o += (size_t)snprintf(out + o, n - o, "%s%llu", k ? "," : "", (unsigned long long)v[k]);
}

static void protection_text(const struct zone_info *z, char *out, size_t n)
{
	u64_list_text(z->protection, z->nr_protection, out, n);
}

struct table *view_zone_table(const struct machine *m, const struct zone_view *zv, size_t n)
{
	struct table *t = table_new("zones");
	int c_node, c_zone, c_idx, c_free, c_fpages, c_managed, c_present, c_spanned, c_min, c_low,
	    c_high, c_promo, c_boost, c_prot, c_pcp;

	if (!t)
		return NULL;
	c_node = table_add_column(t, "NODE", TABLE_U64, TABLE_RIGHT, "NUMA node");
	c_zone = table_add_column(t, "ZONE", TABLE_STR, 0, "zone");
	c_idx = table_add_column(t, "IDX", TABLE_U64, TABLE_RIGHT | TABLE_HIDDEN, "zone index within the node");
	c_free = table_add_column(t, "FREEMEM", TABLE_BYTES, TABLE_RIGHT, "free memory (zoneinfo pages free)");
	c_fpages = table_add_column(t, "FREEPAGES", TABLE_U64, TABLE_RIGHT, "free pages (zoneinfo pages free)");
	c_managed = table_add_column(t, "MANAGED", TABLE_BYTES, TABLE_RIGHT, "memory managed by the buddy allocator");
	c_present = table_add_column(t, "PRESENT", TABLE_BYTES, TABLE_RIGHT | TABLE_HIDDEN, "physical memory present in the zone");
	c_spanned = table_add_column(t, "SPANNED", TABLE_BYTES, TABLE_RIGHT | TABLE_HIDDEN, "address range the zone spans, holes included");
	c_min = table_add_column(t, "MIN", TABLE_U64, TABLE_RIGHT, "min watermark, pages (boost included)");
	c_low = table_add_column(t, "LOW", TABLE_U64, TABLE_RIGHT, "low watermark, pages (boost included)");
	c_high = table_add_column(t, "HIGH", TABLE_U64, TABLE_RIGHT, "high watermark, pages (boost included)");
	c_promo = table_add_column(t, "PROMO", TABLE_U64, TABLE_RIGHT | TABLE_HIDDEN, "promo watermark, pages (6.12+)");
	c_boost = table_add_column(t, "BOOST", TABLE_U64, TABLE_RIGHT, "watermark boost, pages (5.0+)");
	c_prot = table_add_column(t, "PROTECTION", TABLE_STR, 0,
				  "pages kept free against allocations whose highest zone is 0,1,2,...");
	c_pcp = table_add_column(t, "PCP", TABLE_BYTES, TABLE_RIGHT,
				 "memory on per-CPU page lists (invisible to buddyinfo)");
	if (c_pcp < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		const struct zone_info *z = zv[i].zi;
		const uint64_t ps = m->page_size;
		char prot[FS_MAX_ZONES * 24];

		if (!z)
			continue;
		if (table_new_row(t) < 0)
			goto fail;
		table_set_u64(t, c_node, (uint64_t)z->node);
		table_set_str(t, c_zone, z->name);
		table_set_u64(t, c_idx, z->index);
		if (z->have & ZI_PAGES_FREE) {
			table_set_u64(t, c_free, z->pages_free * ps);
			table_set_u64(t, c_fpages, z->pages_free);
			if ((z->have & ZI_MIN) && z->pages_free <= z->min)
				table_set_color(t, c_fpages, TABLE_COLOR_BAD);
			else if ((z->have & ZI_LOW) && z->pages_free <= z->low)
				table_set_color(t, c_fpages, TABLE_COLOR_WARN);
		}
		if (z->have & ZI_MANAGED)
			table_set_u64(t, c_managed, z->managed * ps);
		if (z->have & ZI_PRESENT)
			table_set_u64(t, c_present, z->present * ps);
		if (z->have & ZI_SPANNED)
			table_set_u64(t, c_spanned, z->spanned * ps);
		if (z->have & ZI_MIN)
			table_set_u64(t, c_min, z->min);
		if (z->have & ZI_LOW)
			table_set_u64(t, c_low, z->low);
		if (z->have & ZI_HIGH)
			table_set_u64(t, c_high, z->high);
		if (z->have & ZI_PROMO)
			table_set_u64(t, c_promo, z->promo);
		if (z->have & ZI_BOOST)
			table_set_u64(t, c_boost, z->boost);
		if (z->have & ZI_PROTECTION) {
			protection_text(z, prot, sizeof(prot));
			table_set_str(t, c_prot, prot);
		}
		if (z->have & ZI_PAGESETS)
			table_set_u64(t, c_pcp, z->pcp.count * ps);
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

struct table *view_pageblock_table(const struct machine *m, const struct zone_view *zv, size_t n)
{
	struct table *t;
	int c_node, c_zone, c_mt[FS_MAX_MT];
	bool any = false;

	if (!m->in[IN_PAGETYPEINFO].loaded)
		return NULL;
	for (size_t i = 0; i < n; i++)
		any |= zv[i].pz && zv[i].pz->has_blocks;
	if (!any)
		return NULL;
	t = table_new("pageblocks");
	if (!t)
		return NULL;
	c_node = table_add_column(t, "NODE", TABLE_U64, TABLE_RIGHT, "NUMA node");
	c_zone = table_add_column(t, "ZONE", TABLE_STR, 0, "zone");
	for (unsigned k = 0; k < m->pt.nr_mt; k++) {
		char name[FS_NAME_LEN + 8], help[96];

		upper(m->pt.mt_names[k], name, FS_NAME_LEN);
		strcat(name, "_PB");
		snprintf(help, sizeof(help), "pageblocks of type %s", m->pt.mt_names[k]);
		c_mt[k] = table_add_column(t, name, TABLE_U64, TABLE_RIGHT, help);
		if (c_mt[k] < 0)
			goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		if (!zv[i].pz || !zv[i].pz->has_blocks)
			continue;
		if (table_new_row(t) < 0)
			goto fail;
		table_set_u64(t, c_node, (uint64_t)zv[i].node);
		table_set_str(t, c_zone, zv[i].name);
		for (unsigned k = 0; k < m->pt.nr_mt; k++)
			table_set_u64(t, c_mt[k], zv[i].pz->blocks[k]);
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

struct table *view_zone_orders_table(const struct machine *m, const struct zone_view *zv, size_t n)
{
	struct table *t = table_new("zone-orders");
	unsigned nr = nr_orders_of(m);
	int c_node, c_zone, c_free, c_low, c_o[FS_MAX_ORDERS];

	if (!t)
		return NULL;
	c_node = table_add_column(t, "NODE", TABLE_U64, TABLE_RIGHT, "NUMA node");
	c_zone = table_add_column(t, "ZONE", TABLE_STR, 0, "zone");
	c_free = table_add_column(t, "FREE", TABLE_BYTES, TABLE_RIGHT, "free memory (buddy lists)");
	c_low = table_add_column(t, "WMLOW", TABLE_BYTES, TABLE_RIGHT, "low watermark as a size (zoneinfo)");
	for (unsigned o = 0; o < nr; o++) {
		char name[16], help[64];

		snprintf(name, sizeof(name), "%u", o);
		snprintf(help, sizeof(help), "free blocks of order %u", o);
		c_o[o] = table_add_column(t, name, TABLE_U64, TABLE_RIGHT, help);
		if (c_o[o] < 0)
			goto fail;
	}
	if (c_low < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		uint64_t free[FS_MAX_ORDERS], pages = 0;
		bool have = zone_free_blocks(m, &zv[i], free);

		if (table_new_row(t) < 0)
			goto fail;
		table_set_u64(t, c_node, (uint64_t)zv[i].node);
		table_set_str(t, c_zone, zv[i].name);
		for (unsigned o = 0; have && o < nr; o++) {
			pages += free[o] << o;
			table_set_u64(t, c_o[o], free[o]);
		}
		if (have)
			table_set_u64(t, c_free, pages * m->page_size);
		else if (zv[i].zi && (zv[i].zi->have & ZI_PAGES_FREE))
			table_set_u64(t, c_free, zv[i].zi->pages_free * m->page_size);
		if (zv[i].zi && (zv[i].zi->have & ZI_LOW))
			table_set_u64(t, c_low, zv[i].zi->low * m->page_size);
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

static void json_u64_array(struct json *j, const char *key, const uint64_t *v, unsigned n)
{
	json_key(j, key);
	json_begin_array(j);
	for (unsigned i = 0; i < n; i++)
		json_u64(j, v[i]);
	json_end_array(j);
}

void view_zones_json(struct json *j, const struct machine *m, const struct zone_view *zv, size_t n)
{
	unsigned nr = nr_orders_of(m);

	json_key(j, "nr_orders");
	json_u64(j, nr);
	if (m->in[IN_PAGETYPEINFO].loaded) {
		json_kv_u64(j, "pageblock_order", m->pt.pageblock_order);
		json_kv_u64(j, "pages_per_block", m->pt.pages_per_block);
		json_key(j, "migratetypes");
		json_begin_array(j);
		for (unsigned k = 0; k < m->pt.nr_mt; k++)
			json_string(j, m->pt.mt_names[k]);
		json_end_array(j);
	}
	json_key(j, "zones");
	json_begin_array(j);
	for (size_t i = 0; i < n; i++) {
		const struct zone_view *v = &zv[i];
		const struct zone_info *z = v->zi;
		uint64_t free[FS_MAX_ORDERS], pages[FS_MAX_ORDERS], cum[FS_MAX_ORDERS];

		json_begin_object(j);
		json_kv_u64(j, "node", (uint64_t)v->node);
		json_kv_string(j, "zone", v->name);
		if (v->index >= 0)
			json_kv_u64(j, "zone_index", (uint64_t)v->index);
		if (zone_free_blocks(m, v, free)) {
			for (unsigned o = 0; o < nr; o++)
				pages[o] = free[o] << o;
			zones_cumulative(free, nr, cum);
			json_kv_string(j, "free_blocks_source", v->bz ? "buddyinfo" : "pagetypeinfo");
			json_u64_array(j, "free_blocks", free, nr);
			json_u64_array(j, "free_pages", pages, nr);
			json_u64_array(j, "cumulative_free_pages", cum, nr);
		}
		if (v->pz && v->pz->has_free) {
			bool capped = false;

			json_key(j, "free_blocks_by_migratetype");
			json_begin_object(j);
			for (unsigned k = 0; k < m->pt.nr_mt; k++) {
				json_u64_array(j, m->pt.mt_names[k], v->pz->free[k], nr);
				for (unsigned o = 0; o < nr; o++)
					capped |= v->pz->capped[k][o];
			}
			json_end_object(j);
			if (capped) {
				/* ">100000": the kernel stopped counting; the value is a lower bound. */
				json_key(j, "capped_by_migratetype");
				json_begin_object(j);
				for (unsigned k = 0; k < m->pt.nr_mt; k++) {
					json_key(j, m->pt.mt_names[k]);
					json_begin_array(j);
					for (unsigned o = 0; o < nr; o++)
						json_bool(j, v->pz->capped[k][o]);
					json_end_array(j);
				}
				json_end_object(j);
			}
		}
		if (v->pz && v->pz->has_blocks) {
			json_key(j, "pageblocks");
			json_begin_object(j);
			for (unsigned k = 0; k < m->pt.nr_mt; k++)
				json_kv_u64(j, m->pt.mt_names[k], v->pz->blocks[k]);
			json_end_object(j);
		}
		if (z) {
			if (z->have & ZI_PAGES_FREE)
				json_kv_u64(j, "free_pages_total", z->pages_free);
			if (z->have & ZI_MANAGED)
				json_kv_u64(j, "managed_pages", z->managed);
			if (z->have & ZI_PRESENT)
				json_kv_u64(j, "present_pages", z->present);
			if (z->have & ZI_SPANNED)
				json_kv_u64(j, "spanned_pages", z->spanned);
			if (z->have & ZI_CMA)
				json_kv_u64(j, "cma_pages", z->cma);
			if (z->have & ZI_START_PFN)
				json_kv_u64(j, "start_pfn", z->start_pfn);
			json_key(j, "watermark_pages");
			json_begin_object(j);
			if (z->have & ZI_MIN)
				json_kv_u64(j, "min", z->min);
			if (z->have & ZI_LOW)
				json_kv_u64(j, "low", z->low);
			if (z->have & ZI_HIGH)
				json_kv_u64(j, "high", z->high);
			if (z->have & ZI_PROMO)
				json_kv_u64(j, "promo", z->promo);
			if (z->have & ZI_BOOST)
				json_kv_u64(j, "boost", z->boost);
			json_end_object(j);
			if (z->have & ZI_PROTECTION)
				json_u64_array(j, "protection_pages", z->protection, z->nr_protection);
			if (z->have & ZI_PAGESETS) {
				json_key(j, "pcp");
				json_begin_object(j);
				json_kv_u64(j, "pagesets", z->pcp.nr);
				json_kv_u64(j, "count_pages", z->pcp.count);
				json_kv_u64(j, "high_pages", z->pcp.high);
				json_kv_u64(j, "batch_max", z->pcp.batch_max);
				json_end_object(j);
			}
		}
		json_end_object(j);
	}
	json_end_array(j);
}

void view_print_tables(const struct options *o, struct table **t, const char **titles, size_t n)
{
	struct table_opts to = cli_table_opts(o);
	bool first = true;

	for (size_t i = 0; i < n; i++) {
		if (!t[i] || table_nrows(t[i]) == 0) {
			table_free(t[i]);
			t[i] = NULL;
			continue;
		}
		if (!first && !o->raw)
			fputc('\n', stdout);
		if (titles[i] && !o->raw && !o->noheadings)
			printf("%s\n", titles[i]);
		if (table_print(t[i], stdout, &to) < 0)
			cli_error("out of memory");
		first = false;
		table_free(t[i]);
		t[i] = NULL;
	}
}

/* ---- buddy --check ------------------------------------------------------ */

/* WMARK_DIFF_* bit k is named check_diff_names[k]. */
static const char *const check_diff_names[] = { "min", "low", "high", "promo", "protection" };

static const char *check_status_word(const struct wmark_zone *w)
{
	if (w->status != WMARK_OK)
		return "cannot_check";
	return w->mismatch ? "mismatch" : "ok";
}

/* "ok", "MISMATCH: low,protection" or "cannot check: <why>". */
static void check_status_text(const struct wmark_zone *w, char *out, size_t n)
{
	size_t o;

	if (w->status != WMARK_OK) {
		snprintf(out, n, "cannot check: %s", wmark_status_reason(w->status));
		return;
	}
	if (!w->mismatch) {
		snprintf(out, n, "ok");
		return;
	}
	o = (size_t)snprintf(out, n, "MISMATCH:");
	for (unsigned k = 0; k < ARRAY_SIZE(check_diff_names) && o < n; k++)
		if (w->mismatch & (1u << k))
			o += (size_t)snprintf(out + o, n - o, "%s%s", out[o - 1] == ':' ? " " : ",",
					      check_diff_names[k]);
}

/* "computed/zoneinfo" with "-" for a side that is unknown.  The computed
 * side has the boost added, as zoneinfo's has, so a match reads "x/x". */
static void check_pair_text(bool computed, uint64_t c, bool shown, uint64_t z, char *out, size_t n)
{
	char a[24] = "-", b[24] = "-";

	if (computed)
		snprintf(a, sizeof(a), "%llu", (unsigned long long)c);
	if (shown)
		snprintf(b, sizeof(b), "%llu", (unsigned long long)z);
	snprintf(out, n, "%s/%s", a, b);
}

static void check_protection_text(const struct zone_info *z, const struct wmark_zone *w,
				  char *out, size_t n)
{
	char a[FS_MAX_ZONES * 24] = "-", b[FS_MAX_ZONES * 24] = "-";

	if (w->status == WMARK_OK)
		u64_list_text(w->protection, w->nr_protection, a, sizeof(a));
	if (z->have & ZI_PROTECTION)
		protection_text(z, b, sizeof(b));
	snprintf(out, n, "%s/%s", a, b);
}

struct check_cols {
	int node, zone, managed, mark[4], boost, prot, status;
};

static int check_columns(struct table *t, struct check_cols *c)
{
	static const char *const names[4] = { "MIN", "LOW", "HIGH", "PROMO" };
	static const char *const helps[4] = {
		"min watermark, pages: recomputed + boost / zoneinfo",
		"low watermark, pages: recomputed + boost / zoneinfo",
		"high watermark, pages: recomputed + boost / zoneinfo",
		"promo watermark, pages: recomputed + boost / zoneinfo (6.12+ print it)",
	};

	c->node = table_add_column(t, "NODE", TABLE_U64, TABLE_RIGHT, "NUMA node");
	c->zone = table_add_column(t, "ZONE", TABLE_STR, 0, "zone");
	c->managed = table_add_column(t, "MANAGED", TABLE_U64, TABLE_RIGHT,
				      "managed pages (zoneinfo), the input of the recomputation");
	for (int k = 0; k < 4; k++)
		c->mark[k] = table_add_column(t, names[k], TABLE_STR, TABLE_RIGHT, helps[k]);
	c->boost = table_add_column(t, "BOOST", TABLE_U64, TABLE_RIGHT,
				    "watermark boost, pages (zoneinfo, 5.0+)");
	c->prot = table_add_column(t, "PROTECTION", TABLE_STR, 0,
				   "lowmem_reserve pages: recomputed / zoneinfo");
	c->status = table_add_column(t, "STATUS", TABLE_STR, 0,
				     "ok, MISMATCH: what differs, or cannot check: why");
	return c->status < 0 ? c->status : 0;
}

static void check_row(struct table *t, const struct check_cols *c, const struct zone_info *z,
		      const struct wmark_zone *w)
{
	const bool ok = w->status == WMARK_OK;
	const uint64_t boost = (z->have & ZI_BOOST) ? z->boost : 0;
	const uint64_t computed[4] = { w->min, w->low, w->high, w->promo };
	const uint64_t shown[4] = { z->min, z->low, z->high, z->promo };
	const unsigned have[4] = { ZI_MIN, ZI_LOW, ZI_HIGH, ZI_PROMO };
	char text[FS_MAX_ZONES * 48 + 8];

	table_set_u64(t, c->node, (uint64_t)z->node);
	table_set_str(t, c->zone, z->name);
	if (z->have & ZI_MANAGED)
		table_set_u64(t, c->managed, z->managed);
	for (int k = 0; k < 4; k++) {
		check_pair_text(ok, computed[k] + boost, z->have & have[k], shown[k], text, sizeof(text));
		table_set_str(t, c->mark[k], text);
		if (ok && (w->mismatch & (1u << k)))
			table_set_color(t, c->mark[k], TABLE_COLOR_BAD);
	}
	if (z->have & ZI_BOOST)
		table_set_u64(t, c->boost, z->boost);
	check_protection_text(z, w, text, sizeof(text));
	table_set_str(t, c->prot, text);
	if (ok && (w->mismatch & WMARK_DIFF_PROTECTION))
		table_set_color(t, c->prot, TABLE_COLOR_BAD);
	check_status_text(w, text, sizeof(text));
	table_set_str(t, c->status, text);
	table_set_color(t, c->status, !ok ? TABLE_COLOR_WARN : w->mismatch ? TABLE_COLOR_BAD : TABLE_COLOR_GOOD);
}

static struct table *check_table(const struct machine *m, const struct wmark_result *r)
{
	struct table *t = table_new("check");
	struct check_cols c;

	if (!t)
		return NULL;
	if (check_columns(t, &c) < 0)
		goto fail;
	for (size_t i = 0; i < r->n; i++) {
		if (table_new_row(t) < 0)
			goto fail;
		check_row(t, &c, &m->zi.z[i], &r->z[i]);
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

static void check_json_marks(struct json *j, const uint64_t *v, bool promo)
{
	json_kv_u64(j, "min", v[0]);
	json_kv_u64(j, "low", v[1]);
	json_kv_u64(j, "high", v[2]);
	if (promo)
		json_kv_u64(j, "promo", v[3]);
}

static void check_json_zone(struct json *j, const struct zone_info *z, const struct wmark_zone *w)
{
	const uint64_t computed[4] = { w->min, w->low, w->high, w->promo };
	const uint64_t shown[4] = { z->min, z->low, z->high, z->promo };

	json_begin_object(j);
	json_kv_u64(j, "node", (uint64_t)z->node);
	json_kv_string(j, "zone", z->name);
	/* The position is the kernel's zone index only where that was verified. */
	if (w->status == WMARK_OK || w->status == WMARK_BAD_RATIO)
		json_kv_u64(j, "zone_index", z->index);
	if (z->have & ZI_MANAGED)
		json_kv_u64(j, "managed_pages", z->managed);
	json_kv_string(j, "status", check_status_word(w));
	if (w->status != WMARK_OK)
		json_kv_string(j, "reason", wmark_status_reason(w->status));
	if (w->status == WMARK_OK) {
		json_key(j, "computed_pages");
		json_begin_object(j);
		check_json_marks(j, computed, true);
		json_key(j, "protection");
		json_begin_array(j);
		for (unsigned k = 0; k < w->nr_protection; k++)
			json_u64(j, w->protection[k]);
		json_end_array(j);
		json_end_object(j);
	}
	json_key(j, "zoneinfo_pages");
	json_begin_object(j);
	if ((z->have & (ZI_MIN | ZI_LOW | ZI_HIGH)) == (ZI_MIN | ZI_LOW | ZI_HIGH))
		check_json_marks(j, shown, z->have & ZI_PROMO);
	if (z->have & ZI_BOOST)
		json_kv_u64(j, "boost", z->boost);
	if (z->have & ZI_PROTECTION) {
		json_key(j, "protection");
		json_begin_array(j);
		for (unsigned k = 0; k < z->nr_protection; k++)
			json_u64(j, z->protection[k]);
		json_end_array(j);
	}
	json_end_object(j);
	if (w->status == WMARK_OK) {
		json_key(j, "match");
		json_begin_object(j);
		json_kv_bool(j, "watermarks", w->wmark_match);
		json_kv_bool(j, "protection", w->protection_match);
		json_end_object(j);
		json_key(j, "differs");
		json_begin_array(j);
		for (unsigned k = 0; k < ARRAY_SIZE(check_diff_names); k++)
			if (w->mismatch & (1u << k))
				json_string(j, check_diff_names[k]);
		json_end_array(j);
	}
	json_end_object(j);
}

static void check_json(struct json *j, const struct machine *m, const struct wmark_result *r)
{
	json_key(j, "check");
	json_begin_object(j);
	json_kv_u64(j, "min_free_pages", r->pages_min);
	json_kv_u64(j, "lowmem_pages", r->lowmem_pages);
	json_kv_u64(j, "checked", r->checked);
	json_kv_u64(j, "mismatches", r->mismatches);
	json_key(j, "zones");
	json_begin_array(j);
	for (size_t i = 0; i < r->n; i++)
		check_json_zone(j, &m->zi.z[i], &r->z[i]);
	json_end_array(j);
	json_end_object(j);
}

/* The verdict on stderr and as the exit status: 0 all match, 1 a
 * mismatch, 3 nothing could be checked. */
static int check_verdict(const struct machine *m, const struct wmark_result *r)
{
	if (r->checked == 0) {
		const char *why = "zoneinfo lists no zones";

		for (size_t i = 0; i < r->n; i++)
			if (r->z[i].status != WMARK_OK) {
				why = wmark_status_reason(r->z[i].status);
				break;
			}
		cli_error("nothing could be checked: %s", why);
		return EXIT_INPUT;
	}
	if (r->mismatches) {
		char names[256] = "";
		size_t o = 0;

		for (size_t i = 0; i < r->n && o < sizeof(names); i++)
			if (r->z[i].status == WMARK_OK && r->z[i].mismatch)
				o += (size_t)snprintf(names + o, sizeof(names) - o, "%snode %d %s", o ? ", " : "",
						      m->zi.z[i].node, m->zi.z[i].name);
		cli_error("%zu of %zu zones %s from the recomputation (%s): a kernel rule fragscope "
			  "does not model, or managed pages changed since the kernel last recomputed",
			  r->mismatches, r->checked, r->mismatches == 1 ? "differs" : "differ", names);
		return EXIT_NEGATIVE;
	}
	return EXIT_OK;
}

static void check_summary_line(const struct options *o, const struct machine *m,
			       const struct wmark_result *r)
{
	char ps[UNITS_BUFSZ];

	if (o->raw || o->noheadings || o->output || r->checked == 0)
		return;
	printf("\npages_min %llu (min_free_kbytes %lld, %s pages%s), lowmem_pages %llu "
	       "(managed pages outside HighMem and Movable); %zu of %zu zones checked, %zu %s\n",
	       (unsigned long long)r->pages_min, (long long)m->vm.min_free_kbytes,
	       units_bytes(m->page_size, ps), m->page_size_src == PAGE_SIZE_ASSUMED ? " assumed" : "",
	       (unsigned long long)r->lowmem_pages, r->checked, r->n, r->mismatches,
	       r->mismatches == 1 ? "mismatch" : "mismatches");
}

static int check_text(struct options *o, const struct machine *m, const struct wmark_result *r)
{
	struct table *t[1] = { check_table(m, r) };
	const char *titles[1] = {
		"Watermarks and protection in pages, recomputed/zoneinfo (boost included):"
	};
	int rc;

	if (!t[0]) {
		cli_error("out of memory");
		return EXIT_INPUT;
	}
	rc = cli_select_columns(o, t, 1);
	if (rc) {
		table_free(t[0]);
		return rc;
	}
	view_print_tables(o, t, titles, 1);
	check_summary_line(o, m, r);
	return EXIT_OK;
}

/* buddy --check: zoneinfo and the sysctls are both required. */
static int cmd_buddy_check(struct options *o)
{
	const unsigned mask = IN_BIT(IN_ZONEINFO) | IN_BIT(IN_SYSVM);
	struct wmark_result r = { 0 };
	struct source *src = NULL;
	struct machine m;
	int rc, r2;

	rc = cli_load(o, mask, mask, &src, &m);
	if (!src)
		return rc;
	if (!m.in[IN_ZONEINFO].loaded || !m.in[IN_SYSVM].loaded) {
		cli_error("buddy --check recomputes the watermarks from zoneinfo and the vm sysctls "
			  "(min_free_kbytes, watermark_scale_factor, lowmem_reserve_ratio): nothing to check");
		goto out;
	}
	if (wmark_compute(&m.zi, &m.vm, m.page_size, &r) < 0) {
		cli_error("out of memory");
		cli_status(&rc, EXIT_INPUT);
		goto out;
	}
	if (o->json) {
		struct json *j = cli_json_begin(o, &m, "buddy");

		if (!j) {
			cli_status(&rc, EXIT_INPUT);
			goto out;
		}
		check_json(j, &m, &r);
		view_sysvm_json(j, &m);
		cli_json_end(j, &m, mask);
	} else {
		r2 = check_text(o, &m, &r);
		if (r2) {
			/* -o help printed the columns (-1): exit 0. */
			if (r2 > 0)
				rc = r2;
			goto out;
		}
	}
	cli_status(&rc, check_verdict(&m, &r));
out:
	wmark_result_free(&r);
	machine_free(&m);
	source_free(src);
	return rc;
}

int cmd_buddy(struct options *o)
{
	const unsigned mask = IN_BIT(IN_BUDDYINFO) | IN_BIT(IN_PAGETYPEINFO) | IN_BIT(IN_ZONEINFO) |
			      IN_BIT(IN_SYSVM);
	struct zone_view *zv = NULL;
	struct source *src = NULL;
	struct machine m;
	size_t nz = 0;
	int rc, r;

	if (o->check)
		return cmd_buddy_check(o);
	/* buddyinfo is the subject; without it, print what zoneinfo and
	 * pagetypeinfo still tell and exit 3. */
	rc = cli_load(o, mask, IN_BIT(IN_BUDDYINFO), &src, &m);
	if (!src)
		return rc;
	if (!m.in[IN_BUDDYINFO].loaded && !m.in[IN_PAGETYPEINFO].loaded && !m.in[IN_ZONEINFO].loaded)
		goto out;
	r = cli_zones(&m, &zv, &nz);
	if (r) {
		cli_status(&rc, r);
		goto out;
	}
	if (o->json) {
		struct json *j = cli_json_begin(o, &m, "buddy");

		if (!j) {
			cli_status(&rc, EXIT_INPUT);
			goto out;
		}
		view_zones_json(j, &m, zv, nz);
		view_sysvm_json(j, &m);
		cli_json_end(j, &m, mask);
	} else {
		char title[128], ps[UNITS_BUFSZ];
		struct table *t[3] = {
			view_order_table(&m, zv, nz),
			view_zone_table(&m, zv, nz),
			view_pageblock_table(&m, zv, nz),
		};
		const char *titles[3] = { title, "Zones (watermarks in pages):", NULL };

		snprintf(title, sizeof(title), "Free blocks by order (page size %s%s):",
			 units_bytes(m.page_size, ps),
			 m.page_size_src == PAGE_SIZE_INFERRED ? ", inferred from meminfo/vmstat" :
			 m.page_size_src == PAGE_SIZE_ASSUMED ? ", assumed" : "");
		if (t[2])
			titles[2] = m.pt.pages_per_block ? "Pageblocks by migratetype:" : NULL;
		r = cli_select_columns(o, t, 3);
		if (r) {
			for (int i = 0; i < 3; i++)
				table_free(t[i]);
			if (r > 0)
				rc = r;
			goto out;
		}
		view_print_tables(o, t, titles, 3);
		if (!o->raw && !o->noheadings && !o->output) {
			char line[512];

			view_sysvm_line(&m, line, sizeof(line));
			if (line[0])
				printf("\nSysctls behind the watermarks and protection:%s\n", line);
		}
	}
out:
	free(zv);
	machine_free(&m);
	source_free(src);
	return rc;
}
