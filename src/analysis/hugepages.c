/*
 * hugepages.c - hugetlb pools and what the free lists could add now (see
 * hugepages.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hugepages.h"

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

static int fill_row(const struct alloc_model *am, const struct alloc_node *nd, uint64_t page_size,
		    struct hp_capacity *row)
{
	struct alloc_prediction p;
	struct alloc_request req;

	row->order = log2_u64(row->size / page_size);
	row->buddy = row->order < am->nr_orders;
	if (!row->buddy) {
		row->bound = node_max_order_pages(am, nd) >> row->order;
		return 0;
	}
	memset(&req, 0, sizeof(req));
	req.cls = alloc_class_find("hugetlb");
	req.gfp = req.cls->gfp;
	req.order = row->order;
	req.node = nd->id;
	if (alloc_predict_all(am, &req, &p) < 0)
		return -ENOMEM;
	row->more = p.served;
	row->more_fast = p.served - p.served_slow;
	row->then = p.stop_outcome;
	alloc_prediction_free(&p);
	return 0;
}

static int row_cmp(const void *a, const void *b)
{
	const struct hp_capacity *x = a, *y = b;

	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	return x->size < y->size ? -1 : x->size > y->size;
}

static int add_row(struct hp_capacity **rows, size_t *n, const struct hp_capacity *r)
{
	struct hp_capacity *nr = realloc(*rows, (*n + 1) * sizeof(*nr));

	if (!nr)
		return -ENOMEM;
	*rows = nr;
	nr[(*n)++] = *r;
	return 0;
}

static int collect(const struct alloc_model *am, const struct numa *numa, const struct meminfo *mi,
		   uint64_t page_size, int only_node, struct hp_capacity **rows, size_t *n)
{
	for (size_t k = 0; k < am->nn; k++) {
		const struct alloc_node *nd = &am->nodes[k];
		const struct numa_node *nn = numa ? numa_find(numa, nd->id) : NULL;
		bool gigantic = false;
		struct hp_capacity r;

		if (only_node >= 0 && nd->id != only_node)
			continue;
		for (size_t i = 0; nn && i < nn->nr_hp; i++) {
			memset(&r, 0, sizeof(r));
			r.node = nd->id;
			r.size = nn->hp[i].size_kb * 1024;
			r.have_pool = true;
			r.nr = nn->hp[i].nr;
			r.free = nn->hp[i].free;
			r.surplus = nn->hp[i].surplus;
			if (fill_row(am, nd, page_size, &r) < 0 || add_row(rows, n, &r) < 0)
				return -ENOMEM;
			gigantic |= !r.buddy;
		}
		if (!nn || !nn->nr_hp) {
			bool from_meminfo;
			uint64_t v;

			memset(&r, 0, sizeof(r));
			r.node = nd->id;
			r.size = page_size << alloc_pmd_order(mi, page_size, am->nr_orders, &from_meminfo);
			if (mi && am->nn == 1 && meminfo_get_bytes(mi, "Hugepagesize", &v) && v == r.size) {
				r.have_pool = true;
				meminfo_get(mi, "HugePages_Total", &r.nr);
				meminfo_get(mi, "HugePages_Free", &r.free);
				meminfo_get(mi, "HugePages_Surp", &r.surplus);
			}
			if (fill_row(am, nd, page_size, &r) < 0 || add_row(rows, n, &r) < 0)
				return -ENOMEM;
		}
		if (!gigantic) {
			memset(&r, 0, sizeof(r));
			r.node = nd->id;
			r.size = UINT64_C(1) << 30;
			if (r.size > page_size << (am->nr_orders - 1) &&
			    (fill_row(am, nd, page_size, &r) < 0 || add_row(rows, n, &r) < 0))
				return -ENOMEM;
		}
	}
	return 0;
}

int hp_capacity_collect(const struct alloc_model *am, const struct numa *numa, const struct meminfo *mi,
			uint64_t page_size, int only_node, struct hp_capacity **ret, size_t *ret_n)
{
	struct hp_capacity *rows = NULL;
	size_t n = 0;

	if (collect(am, numa, mi, page_size, only_node, &rows, &n) < 0) {
		free(rows);
		return -ENOMEM;
	}
	/* The sysfs listing is in directory order: sizes ascending. */
	if (n)
		qsort(rows, n, sizeof(*rows), row_cmp);
	*ret = rows;
	*ret_n = n;
	return 0;
}
