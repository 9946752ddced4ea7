/*
 * cmd-hugepages.c - "fragscope hugepages [--node N]": each node's hugetlb
 * pools (/sys/devices/system/node/nodeN/hugepages) and how many more
 * pages of each size the pool could get right now from the free lists
 * alone, with no reclaim or compaction.
 *
 * Growing a pool allocates one page at a time on one node with
 * htlb_alloc_mask | __GFP_COMP | __GFP_RETRY_MAYFAIL | __GFP_NOWARN |
 * __GFP_THISNODE (the "hugetlb" class of predict), so the count is a
 * predict --count run on that node until the first failure.  Pages above
 * the buddy allocator's largest order (1 GiB on x86-64) come from
 * alloc_contig_pages(), which migrates a whole aligned range: the free
 * lists alone cannot tell whether that would work, so only an upper bound
 * is given.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "views.h"
#include "../analysis/alloc.h"
#include "../render/units.h"

#define HP_EXTRA (IN_BIT(IN_MEMINFO))

struct hp_row {
	int node;
	uint64_t size;          /* bytes */
	unsigned order;         /* log2(size / page size) */
	bool have_pool;         /* the kernel has this pool size on the node */
	uint64_t nr, free, surplus;
	bool buddy;             /* order < nr_orders: served by the buddy allocator */
	uint64_t more;          /* from free lists (fast or slow path) */
	uint64_t more_fast;     /* of which above the low watermark */
	enum alloc_outcome then;/* what the next one would need */
	uint64_t bound;         /* gigantic: free max-order blocks / blocks per page */
};

static unsigned log2_u64(uint64_t v)
{
	unsigned r = 0;

	while (v > 1) {
		v >>= 1;
		r++;
	}
	return r;
}

/* Free pages in max-order blocks on a node: the only memory a gigantic
 * page could be made of without migration. */
static uint64_t node_max_order_pages(const struct alloc_model *am, const struct alloc_node *nd)
{
	unsigned top = am->nr_orders - 1;
	uint64_t n = 0;

	for (size_t i = 0; i < nd->nz; i++)
		n += nd->zones[i].nr_free[top] << top;
	return n;
}

static int fill_row(const struct machine *m, const struct alloc_model *am, const struct alloc_node *nd,
		    struct hp_row *row)
{
	struct alloc_prediction p;
	struct alloc_request req;
	uint64_t total = 0;

	row->order = log2_u64(row->size / m->page_size);
	row->buddy = row->order < am->nr_orders;
	if (!row->buddy) {
		row->bound = node_max_order_pages(am, nd) >> row->order;
		return 0;
	}
	for (size_t i = 0; i < nd->nz; i++)
		total += nd->zones[i].free;
	memset(&req, 0, sizeof(req));
	req.cls = alloc_class_find("hugetlb");
	req.gfp = req.cls->gfp;
	req.order = row->order;
	req.node = nd->id;
	req.count = (total >> row->order) + 1;
	if (alloc_predict(am, &req, &p) < 0)
		return -ENOMEM;
	row->more = p.served;
	row->more_fast = p.served - p.served_slow;
	row->then = p.stop_outcome;
	alloc_prediction_free(&p);
	return 0;
}

static int row_cmp(const void *a, const void *b)
{
	const struct hp_row *x = a, *y = b;

	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	return x->size < y->size ? -1 : x->size > y->size;
}

static int add_row(struct hp_row **rows, size_t *n, const struct hp_row *r)
{
	struct hp_row *nr = realloc(*rows, (*n + 1) * sizeof(*nr));

	if (!nr)
		return -ENOMEM;
	*rows = nr;
	nr[(*n)++] = *r;
	return 0;
}

/*
 * One row per (node, pool size).  Without per-node directories the
 * default size comes from meminfo (Hugepagesize, HugePages_*), for the
 * whole machine, counted on the first node.  A 1 GiB row is added when
 * no pool is larger than the buddy allocator's largest block.
 */
static int collect(const struct options *o, const struct machine *m, const struct alloc_model *am,
		   struct hp_row **rows, size_t *n)
{
	for (size_t k = 0; k < am->nn; k++) {
		const struct alloc_node *nd = &am->nodes[k];
		const struct numa_node *nn = m->in[IN_NODES].loaded ? numa_find(&m->numa, nd->id) : NULL;
		bool gigantic = false;
		struct hp_row r;

		if ((o->used & OPT_NODE) && nd->id != o->node)
			continue;
		for (size_t i = 0; nn && i < nn->nr_hp; i++) {
			memset(&r, 0, sizeof(r));
			r.node = nd->id;
			r.size = nn->hp[i].size_kb * 1024;
			r.have_pool = true;
			r.nr = nn->hp[i].nr;
			r.free = nn->hp[i].free;
			r.surplus = nn->hp[i].surplus;
			if (fill_row(m, am, nd, &r) < 0 || add_row(rows, n, &r) < 0)
				return -ENOMEM;
			gigantic |= !r.buddy;
		}
		if (!nn || !nn->nr_hp) {
			uint64_t v;

			bool from_meminfo;

			memset(&r, 0, sizeof(r));
			r.node = nd->id;
			r.size = m->page_size << alloc_pmd_order(m->in[IN_MEMINFO].loaded ? &m->meminfo : NULL,
								 m->page_size, am->nr_orders, &from_meminfo);
			if (m->in[IN_MEMINFO].loaded && am->nn == 1 &&
			    meminfo_get_bytes(&m->meminfo, "Hugepagesize", &v) && v == r.size) {
				r.have_pool = true;
				meminfo_get(&m->meminfo, "HugePages_Total", &r.nr);
				meminfo_get(&m->meminfo, "HugePages_Free", &r.free);
				meminfo_get(&m->meminfo, "HugePages_Surp", &r.surplus);
			}
			if (fill_row(m, am, nd, &r) < 0 || add_row(rows, n, &r) < 0)
				return -ENOMEM;
		}
		if (!gigantic) {
			memset(&r, 0, sizeof(r));
			r.node = nd->id;
			r.size = UINT64_C(1) << 30;
			if (r.size > m->page_size << (am->nr_orders - 1) &&
			    (fill_row(m, am, nd, &r) < 0 || add_row(rows, n, &r) < 0))
				return -ENOMEM;
		}
	}
	return 0;
}

static const char *row_note(const struct alloc_model *am, const struct machine *m, const struct hp_row *r,
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
			      const struct hp_row *rows, size_t n)
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
		const struct hp_row *r = &rows[i];
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
		    const struct hp_row *rows, size_t n)
{
	struct json *j = cli_json_begin(o, m, "hugepages");
	char note[512];

	if (!j)
		return;
	json_key(j, "pools");
	json_begin_array(j);
	for (size_t i = 0; i < n; i++) {
		const struct hp_row *r = &rows[i];

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
	struct hp_row *rows = NULL;
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
	if (collect(o, &m, &am, &rows, &n) < 0) {
		cli_error("out of memory");
		cli_status(&rc, EXIT_INPUT);
		goto out;
	}
	/* The sysfs listing is in directory order: show sizes ascending. */
	qsort(rows, n, sizeof(*rows), row_cmp);
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
