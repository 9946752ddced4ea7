/*
 * cmd-hugepages.c - "fragscope hugepages [--node N]": each node's hugetlb
 * pools (/sys/devices/system/node/nodeN/hugepages) and how many more
 * pages of each size the pool could get right now from the free lists
 * alone, with no reclaim or compaction.
 *
 * The computation is in analysis/hugepages.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "views.h"
#include "../analysis/alloc.h"
#include "../analysis/hugepages.h"
#include "../render/units.h"

#define HP_EXTRA (IN_BIT(IN_MEMINFO))

static const char *row_note(const struct alloc_model *am, const struct machine *m, const struct hp_capacity *r,
			    char *buf, size_t size)
{
	char a[UNITS_BUFSZ], b[UNITS_BUFSZ];

	if (!r->buddy) {
		snprintf(buf, size, "%slarger than the largest buddy block (order %u, %s): needs"
			 " alloc_contig_pages() to migrate a whole aligned %s range; free max-order"
			 " blocks alone could make at most %llu",
			 r->have_pool ? "" : "no pool of this size; ", am->nr_orders - 1,
			 units_bytes(m->page_size << (am->nr_orders - 1), a), units_bytes(r->size, b),
			 (unsigned long long)r->bound);
	} else {
		snprintf(buf, size, "%sthe next one would need %s", r->have_pool ? "" : "no pool of this size; ",
			 r->then == ALLOC_COMPACT ? "compaction" : r->then == ALLOC_RECLAIM ? "reclaim" :
			 alloc_outcome_name(r->then));
	}
	return buf;
}

static struct table *hp_table(const struct machine *m, const struct alloc_model *am,
			      const struct hp_capacity *rows, size_t n)
{
	struct table *t = table_new("hugepages");
	int c_node, c_size, c_nr, c_free, c_surp, c_more, c_fast, c_note;

	if (!t)
		return NULL;
	c_node = table_add_column(t, "NODE", TABLE_U64, TABLE_RIGHT, "NUMA node");
	c_size = table_add_column(t, "SIZE", TABLE_BYTES, TABLE_RIGHT, "huge page size");
	c_nr = table_add_column(t, "POOL", TABLE_U64, TABLE_RIGHT, "pages in the pool (nr_hugepages)");
	c_free = table_add_column(t, "FREE", TABLE_U64, TABLE_RIGHT, "pool pages not in use (free_hugepages)");
	c_surp = table_add_column(t, "SURPLUS", TABLE_U64, TABLE_RIGHT, "surplus pages (overcommit)");
	c_more = table_add_column(t, "MORE", TABLE_U64, TABLE_RIGHT,
				  "more pages the pool could get now from free lists alone (no reclaim or compaction)");
	c_fast = table_add_column(t, "ABOVE_LOW", TABLE_U64, TABLE_RIGHT,
				  "of MORE, pages taken above the low watermark (without waking kswapd)");
	c_note = table_add_column(t, "NOTE", TABLE_STR, 0, "what the next page would need");
	for (size_t i = 0; i < n; i++) {
		const struct hp_capacity *r = &rows[i];
		char note[512];

		if (table_new_row(t) < 0)
			break;
		table_set_u64(t, c_node, (uint64_t)r->node);
		table_set_u64(t, c_size, r->size);
		if (r->have_pool) {
			table_set_u64(t, c_nr, r->nr);
			table_set_u64(t, c_free, r->free);
			table_set_u64(t, c_surp, r->surplus);
		}
		if (r->buddy) {
			table_set_u64(t, c_more, r->more);
			table_set_u64(t, c_fast, r->more_fast);
		}
		table_set_str(t, c_note, row_note(am, m, r, note, sizeof(note)));
	}
	return t;
}

static void hp_json(const struct options *o, const struct machine *m, const struct alloc_model *am,
		    const struct hp_capacity *rows, size_t n)
{
	struct json *j = cli_json_begin(o, m, "hugepages");
	char note[512];

	if (!j)
		return;
	json_key(j, "pools");
	json_begin_array(j);
	for (size_t i = 0; i < n; i++) {
		const struct hp_capacity *r = &rows[i];

		json_begin_object(j);
		json_kv_i64(j, "node", r->node);
		json_kv_u64(j, "size_bytes", r->size);
		json_kv_u64(j, "order", r->order);
		json_kv_bool(j, "pool_exists", r->have_pool);
		json_key(j, "nr_hugepages");
		if (r->have_pool) json_u64(j, r->nr); else json_null(j);
		json_key(j, "free_hugepages");
		if (r->have_pool) json_u64(j, r->free); else json_null(j);
		json_key(j, "surplus_hugepages");
		if (r->have_pool) json_u64(j, r->surplus); else json_null(j);
		json_kv_bool(j, "buddy_servable", r->buddy);
		json_key(j, "more_now");
		if (r->buddy) json_u64(j, r->more); else json_null(j);
		json_key(j, "more_above_low");
		if (r->buddy) json_u64(j, r->more_fast); else json_null(j);
		json_key(j, "then");
		if (r->buddy) json_string(j, alloc_outcome_name(r->then)); else json_null(j);
		json_key(j, "max_from_free_max_order_blocks");
		if (!r->buddy) json_u64(j, r->bound); else json_null(j);
		json_kv_string(j, "note", row_note(am, m, r, note, sizeof(note)));
		json_end_object(j);
	}
	json_end_array(j);
	cli_json_end(j, m, IN_BIT(IN_BUDDYINFO) | IN_BIT(IN_ZONEINFO) | IN_BIT(IN_PAGETYPEINFO) |
		     IN_BIT(IN_SYSVM) | IN_BIT(IN_NODES) | HP_EXTRA);
}

int cmd_hugepages(struct options *o)
{
	struct alloc_model am;
	struct source *src = NULL;
	struct hp_capacity *rows = NULL;
	struct machine m;
	size_t n = 0;
	bool built;
	int rc;

	rc = predict_load(o, HP_EXTRA, &src, &m, &am, &built);
	if (!built)
		goto out_nomodel;
	if ((o->used & OPT_NODE) && !alloc_model_node(&am, o->node)) {
		cli_error("node %d has no zones in zoneinfo", o->node);
		rc = EXIT_USAGE;
		goto out;
	}
	if (hp_capacity_collect(&am, m.in[IN_NODES].loaded ? &m.numa : NULL,
				m.in[IN_MEMINFO].loaded ? &m.meminfo : NULL, m.page_size,
				(o->used & OPT_NODE) ? o->node : -1, &rows, &n) < 0) {
		cli_error("out of memory");
		cli_status(&rc, EXIT_INPUT);
		goto out;
	}
	if (o->json) {
		hp_json(o, &m, &am, rows, n);
	} else {
		struct table *t[1] = { hp_table(&m, &am, rows, n) };
		const char *titles[1] = { "Hugetlb pools and what the free lists could add now:" };
		int r = cli_select_columns(o, t, 1);

		if (r) {
			table_free(t[0]);
			if (r > 0)
				rc = r;
			goto out;
		}
		view_print_tables(o, t, titles, 1);
		if (!o->output && !o->raw && !o->noheadings && !am.have_mt)
			printf("\nNote: free lists per migratetype unknown (%s):"
			       " HighAtomic and CMA blocks are counted as usable.\n",
			       m.in[IN_PAGETYPEINFO].err == -EACCES || m.in[IN_PAGETYPEINFO].err == -EPERM ?
			       "pagetypeinfo needs root" : "no pagetypeinfo");
	}
	rc = cli_finish(rc);
out:
	free(rows);
	alloc_model_free(&am);
out_nomodel:
	machine_free(&m);
	source_free(src);
	return rc;
}
