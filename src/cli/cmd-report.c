/*
 * cmd-report.c - "fragscope" with no command: the one-screen report.
 * Memory summary, per node and zone the free memory and free blocks per
 * order, the fragmentation indices, the allocation outlook (per zone and
 * order: would GFP_KERNEL, GFP_ATOMIC and THP succeed, or would the kernel
 * compact or reclaim), the top slab caches by size and by waste (from
 * /proc/slabinfo alone, which needs root), and the compaction and
 * direct-reclaim counters since boot.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "views.h"
#include "../analysis/alloc.h"
#include "../analysis/frag.h"
#include "../render/escape.h"
#include "../render/units.h"

/* vmstat counters the report shows: compaction and allocation stalls. */
static bool report_counter(const char *name)
{
	static const char *const prefixes[] = { "compact_", "allocstall", "kcompactd_" };
	static const char *const names[] = { "pgmigrate_success", "pgmigrate_fail",
					     "thp_fault_fallback", "thp_collapse_alloc_failed" };

	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

static struct table *counter_table(const struct kvlist *vm)
{
	struct table *t = table_new("counters");
	int c_name, c_value;

	if (!t)
		return NULL;
	c_name = table_add_column(t, "COUNTER", TABLE_STR, 0, "vmstat counter (since boot)");
	c_value = table_add_column(t, "VALUE", TABLE_U64, TABLE_RIGHT, "its value");
	if (c_value < 0)
		goto fail;
	for (size_t i = 0; i < vm->n; i++) {
		if (!report_counter(vm->items[i].name))
			continue;
		if (table_new_row(t) < 0)
			goto fail;
		table_set_str(t, c_name, vm->items[i].name);
		table_set_u64(t, c_value, vm->items[i].value);
		if ((strcmp(vm->items[i].name, "compact_fail") == 0 ||
		     strncmp(vm->items[i].name, "allocstall", 10) == 0) && vm->items[i].value)
			table_set_color(t, c_value, TABLE_COLOR_WARN);
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

/* Slab caches shown by size and by waste. */
#define REPORT_SLAB_TOP 5

/* The classes the outlook shows. */
static const char *const outlook_classes[] = { "GFP_KERNEL", "GFP_ATOMIC", "THP" };

/* Short cell words: the table is one column per order. */
static const char *outlook_word(enum alloc_outcome o)
{
	switch (o) {
	case ALLOC_OK_FAST: return "ok";
	case ALLOC_OK_SLOW: return "min";
	case ALLOC_COMPACT: return "cmp";
	case ALLOC_RECLAIM: return "rcl";
	case ALLOC_FAIL: return "fail";
	}
	return "?";
}

static enum table_color outlook_color(enum alloc_outcome o)
{
	return o == ALLOC_OK_FAST ? TABLE_COLOR_GOOD : o == ALLOC_OK_SLOW ? TABLE_COLOR_WARN : TABLE_COLOR_BAD;
}

static int order_columns(struct table *t, unsigned nr_orders, int *col)
{
	for (unsigned o = 0; o < nr_orders; o++) {
		char name[12], help[48];

		snprintf(name, sizeof(name), "%u", o);
		snprintf(help, sizeof(help), "order %u", o);
		col[o] = table_add_column(t, name, TABLE_STR, TABLE_RIGHT, help);
		if (col[o] < 0)
			return col[o];
	}
	return 0;
}

/* Per zone, one row per class: the outcome at each order. */
struct table *view_outlook_table(const struct alloc_model *am)
{
	struct table *t = table_new("outlook");
	int c_node, c_zone, c_class, col[FS_MAX_ORDERS];

	if (!t)
		return NULL;
	c_node = table_add_column(t, "NODE", TABLE_U64, TABLE_RIGHT, "NUMA node");
	c_zone = table_add_column(t, "ZONE", TABLE_STR, 0, "zone");
	c_class = table_add_column(t, "CLASS", TABLE_STR, 0, "allocation class (see predict --gfp help)");
	if (order_columns(t, am->nr_orders, col) < 0)
		goto fail;
	for (size_t k = 0; k < am->nn; k++) {
		const struct alloc_node *nd = &am->nodes[k];

		for (size_t i = 0; i < nd->nz; i++) {
			const struct alloc_zone *z = &nd->zones[i];

			if (!z->populated)
				continue;
			for (size_t c = 0; c < ARRAY_SIZE(outlook_classes); c++) {
				uint32_t gfp = alloc_class_find(outlook_classes[c])->gfp;
				bool usable;

				if (table_new_row(t) < 0)
					goto fail;
				table_set_u64(t, c_node, (uint64_t)nd->id);
				table_set_str(t, c_zone, z->name);
				table_set_str(t, c_class, outlook_classes[c]);
				for (unsigned o = 0; o < am->nr_orders; o++) {
					enum alloc_outcome out = alloc_zone_outlook(am, nd, z, gfp, o, &usable);

					if (!usable)
						continue;
					table_set_str(t, col[o], outlook_word(out));
					table_set_color(t, col[o], outlook_color(out));
				}
			}
		}
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

/* Per zone, the two indices at each order (thousandths as 0.000). */
struct table *view_index_table(const struct machine *m)
{
	struct table *t = table_new("indices");
	unsigned nr = m->buddy.nr_orders;
	int c_node, c_zone, c_index, col[FS_MAX_ORDERS];

	if (!t)
		return NULL;
	c_node = table_add_column(t, "NODE", TABLE_U64, TABLE_RIGHT, "NUMA node");
	c_zone = table_add_column(t, "ZONE", TABLE_STR, 0, "zone");
	c_index = table_add_column(t, "INDEX", TABLE_STR, 0,
				   "unusable: share of free memory in smaller blocks; extfrag: -1 = a block is free");
	if (order_columns(t, nr, col) < 0)
		goto fail;
	for (size_t i = 0; i < m->buddy.n; i++) {
		const struct buddy_zone *bz = &m->buddy.z[i];

		for (int which = 0; which < 2; which++) {
			if (table_new_row(t) < 0)
				goto fail;
			table_set_u64(t, c_node, (uint64_t)bz->node);
			table_set_str(t, c_zone, bz->zone);
			table_set_str(t, c_index, which ? "extfrag" : "unusable");
			for (unsigned o = 0; o < nr; o++) {
				char v[16];
				int ix = which ? frag_extfrag_index(bz->free, nr, o) : frag_unusable_index(bz->free, nr, o);

				frag_format_decimal(ix, v, sizeof(v));
				table_set_str(t, col[o], v);
			}
		}
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

void view_indices_json(struct json *j, const struct machine *m)
{
	unsigned nr = m->buddy.nr_orders;

	json_key(j, "fragmentation");
	json_begin_array(j);
	for (size_t i = 0; i < m->buddy.n; i++) {
		const struct buddy_zone *bz = &m->buddy.z[i];

		json_begin_object(j);
		json_kv_i64(j, "node", bz->node);
		json_kv_string(j, "zone", bz->zone);
		json_key(j, "unusable_index_milli");
		json_begin_array(j);
		for (unsigned o = 0; o < nr; o++)
			json_i64(j, frag_unusable_index(bz->free, nr, o));
		json_end_array(j);
		json_key(j, "extfrag_index_milli");
		json_begin_array(j);
		for (unsigned o = 0; o < nr; o++)
			json_i64(j, frag_extfrag_index(bz->free, nr, o));
		json_end_array(j);
		json_end_object(j);
	}
	json_end_array(j);
}

void view_outlook_json(struct json *j, const struct alloc_model *am)
{
	json_key(j, "outlook");
	json_begin_array(j);
	for (size_t k = 0; k < am->nn; k++) {
		const struct alloc_node *nd = &am->nodes[k];

		for (size_t i = 0; i < nd->nz; i++) {
			const struct alloc_zone *z = &nd->zones[i];

			if (!z->populated)
				continue;
			json_begin_object(j);
			json_kv_i64(j, "node", nd->id);
			json_kv_string(j, "zone", z->name);
			for (size_t c = 0; c < ARRAY_SIZE(outlook_classes); c++) {
				uint32_t gfp = alloc_class_find(outlook_classes[c])->gfp;
				bool usable;

				json_key(j, outlook_classes[c]);
				json_begin_array(j);
				for (unsigned o = 0; o < am->nr_orders; o++) {
					enum alloc_outcome out = alloc_zone_outlook(am, nd, z, gfp, o, &usable);

					if (usable)
						json_string(j, alloc_outcome_name(out));
					else
						json_null(j);
				}
				json_end_array(j);
			}
			json_end_object(j);
		}
	}
	json_end_array(j);
}

/*
 * On mainline kernels MemFree equals the zones' free pages (give or take
 * per-CPU drift).  Kernels that initialise memory lazily count the memory
 * not yet initialised in MemTotal/MemFree only (reference/kernel.md §0).
 * Say so rather than leave two totals that silently disagree.  Returns the
 * excess in bytes, 0 when the two agree within 5 %.
 */
static uint64_t memfree_excess(const struct machine *m, const struct mem_summary *s)
{
	uint64_t zone_free = 0;

	if (!(s->have & MS_FREE) || !m->in[IN_ZONEINFO].loaded)
		return 0;
	for (size_t i = 0; i < m->zi.n; i++)
		if (m->zi.z[i].have & ZI_PAGES_FREE)
			zone_free += m->zi.z[i].pages_free * m->page_size;
	if (s->free <= zone_free + zone_free / 20)
		return 0;
	return s->free - zone_free;
}

static const char memfree_note[] =
	"MemFree exceeds the free pages of all zones by more than 5%: the files were read at "
	"different instants (in a capture they may be far apart), or the kernel initialises "
	"memory lazily (deferred init) and counts the not-yet-initialised memory only in "
	"MemTotal and MemFree";

int cmd_report(struct options *o)
{
	const unsigned mask = IN_BIT(IN_MEMINFO) | IN_BIT(IN_VMSTAT) | IN_BIT(IN_BUDDYINFO) |
			      IN_BIT(IN_ZONEINFO) | IN_BIT(IN_PAGETYPEINFO) | IN_BIT(IN_NODES) |
			      IN_BIT(IN_SYSVM) | IN_BIT(IN_SLABINFO);
	struct alloc_model am;
	bool have_am = false;
	struct zone_view *zv = NULL;
	struct source *src = NULL;
	struct mem_summary s;
	struct machine m;
	size_t nz = 0;
	int rc, r;

	/* Everything is optional, but with none of it there is no report. */
	rc = cli_load(o, mask, 0, &src, &m);
	if (!src)
		return rc;
	if (!m.in[IN_MEMINFO].loaded && !m.in[IN_BUDDYINFO].loaded && !m.in[IN_ZONEINFO].loaded) {
		cli_error("nothing to report: none of meminfo, buddyinfo, zoneinfo could be read under '%s'",
			  source_root(src));
		cli_status(&rc, EXIT_INPUT);
		goto out;
	}
	memset(&s, 0, sizeof(s));
	if (m.in[IN_MEMINFO].loaded)
		mem_summary_compute(&m.meminfo, &s);
	r = cli_zones(&m, &zv, &nz);
	if (r) {
		cli_status(&rc, r);
		goto out;
	}
	/* The outlook needs watermarks (zoneinfo) and free blocks (buddyinfo). */
	if (m.in[IN_ZONEINFO].loaded && m.in[IN_BUDDYINFO].loaded) {
		r = alloc_model_build(&m.zi, &m.buddy, m.in[IN_PAGETYPEINFO].loaded ? &m.pt : NULL,
				      m.in[IN_SYSVM].loaded ? &m.vm : NULL,
				      m.in[IN_NODES].loaded ? &m.numa : NULL, m.kernel_release, &am);
		if (r == -ENOMEM) {
			cli_error("out of memory");
			cli_status(&rc, EXIT_INPUT);
			goto out;
		}
		have_am = r == 0;
	}

	if (o->json) {
		struct json *j = cli_json_begin(o, &m, "report");

		if (!j) {
			cli_status(&rc, EXIT_INPUT);
			goto out;
		}
		if (m.in[IN_MEMINFO].loaded)
			view_mem_summary_json(j, &s);
		view_zones_json(j, &m, zv, nz);
		if (m.in[IN_BUDDYINFO].loaded)
			view_indices_json(j, &m);
		if (have_am)
			view_outlook_json(j, &am);
		if (m.slab.n)
			view_slab_top_json(j, &m, REPORT_SLAB_TOP);
		view_nodes_json(j, &m);
		json_key(j, "notes");
		json_begin_array(j);
		if (memfree_excess(&m, &s)) {
			json_begin_object(j);
			json_kv_string(j, "note", memfree_note);
			json_kv_u64(j, "memfree_excess_bytes", memfree_excess(&m, &s));
			json_end_object(j);
		}
		json_end_array(j);
		if (m.in[IN_VMSTAT].loaded) {
			json_key(j, "counters");
			json_begin_object(j);
			for (size_t i = 0; i < m.vmstat.n; i++)
				if (report_counter(m.vmstat.items[i].name))
					json_kv_u64(j, m.vmstat.items[i].name, m.vmstat.items[i].value);
			json_end_object(j);
		}
		cli_json_end(j, &m, mask);
	} else {
		char ps[UNITS_BUFSZ], zt[96];
		struct table *t[8] = {
			m.in[IN_MEMINFO].loaded ? view_mem_summary_table(&s) : NULL,
			view_zone_orders_table(&m, zv, nz),
			m.in[IN_BUDDYINFO].loaded ? view_index_table(&m) : NULL,
			have_am ? view_outlook_table(&am) : NULL,
			m.slab.n ? view_slab_top_table(&m, false, REPORT_SLAB_TOP) : NULL,
			m.slab.n ? view_slab_top_table(&m, true, REPORT_SLAB_TOP) : NULL,
			view_node_table(&m),
			m.in[IN_VMSTAT].loaded ? counter_table(&m.vmstat) : NULL,
		};
		const char *titles[8] = { "Memory:", zt,
			"Fragmentation indices per order (fragscope frag explains them):",
			"Allocation outlook per zone and order (ok: above low; min: slow path only;"
			" cmp: would compact; rcl: would reclaim; fail: may not reclaim):",
			"Top slab caches by size (slot bytes: fragscope slab reads sysfs for object sizes):",
			"Top slab caches by waste:",
			"NUMA nodes:", "Compaction and direct reclaim since boot:" };

		snprintf(zt, sizeof(zt), "Free blocks per order (block = 2^order pages of %s):",
			 units_bytes(m.page_size, ps));
		r = cli_select_columns(o, t, 8);
		if (r) {
			for (int i = 0; i < 8; i++)
				table_free(t[i]);
			if (r > 0)
				rc = r;
			goto out;
		}
		if (!o->raw && !o->noheadings) {
			struct buf rel = BUF_INIT, root = BUF_INIT;

			/* Both strings come from outside: escape them for the terminal. */
			escape_text(m.kernel_release, strlen(m.kernel_release), &rel);
			escape_text(source_root(src), strlen(source_root(src)), &root);
			printf("fragscope report: %s%s, %s%s, page size %s%s\n",
			       m.kernel_release[0] ? "Linux " : "kernel unknown",
			       rel.data ? rel.data : "", m.live ? "live" : "root ",
			       m.live ? "" : root.data ? root.data : "", ps,
			       m.page_size_src == PAGE_SIZE_INFERRED ? " (inferred)" :
			       m.page_size_src == PAGE_SIZE_ASSUMED ? " (assumed)" : "");
			putchar('\n');
			buf_free(&rel);
			buf_free(&root);
		}
		view_print_tables(o, t, titles, 8);
		if (!o->raw && !o->noheadings && memfree_excess(&m, &s)) {
			char ex[UNITS_BUFSZ];

			printf("\nNote: MemFree exceeds the zones' free pages by %s. Either the files were\n"
			       "read at different instants, or the kernel initialises memory lazily (deferred\n"
			       "init) and counts the not-yet-initialised memory only in MemTotal and MemFree.\n"
			       "The zone figures are what the page allocator can hand out now.\n",
			       units_bytes(memfree_excess(&m, &s), ex));
		}
	}
out:
	if (have_am)
		alloc_model_free(&am);
	free(zv);
	machine_free(&m);
	source_free(src);
	return rc;
}
