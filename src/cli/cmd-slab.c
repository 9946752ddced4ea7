/*
 * cmd-slab.c - "fragscope slab": slab caches as slabtop shows them,
 * corrected and extended with what /sys/kernel/slab knows (object size
 * without metadata, partial slabs, order, merged aliases, reclaimability,
 * per-node counts), sorted, filtered, totalled; and "--watch SECS" to
 * sample growth and flag caches that grow at every sample.
 *
 * Sizes are labelled by what they count.  Object bytes: objects times the
 * object size the cache was created with (sysfs object_size).  Slot bytes:
 * objects times the stride in the slab (slabinfo's objsize = sysfs
 * slab_size, which adds metadata and alignment).  Page bytes: slabs times
 * the slab's pages.  slabtop's "Active Size" and "Total Size" are both
 * slot bytes (active_objs and num_objs times objsize), so neither is the
 * memory the slabs take; fragscope says which is which.
 */
#include <errno.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "views.h"
#include "../model/slab.h"
#include "../render/escape.h"
#include "../render/units.h"
#include "../sim/slabgeom.h"

/* ---- per-cache figures ------------------------------------------------ */

/* The row's figures, by the model's rules (src/model/slab.c): sysfs
 * values where read, /proc/slabinfo's otherwise. */
void slab_row_fill(const struct slab_cache *c, uint64_t page_size, struct slab_row *r)
{
	bool estimate;

	memset(r, 0, sizeof(*r));
	r->c = c;
	r->objs = slab_num_objs(c);
	r->active = slab_active_objs(c);
	if (c->have & SC_SLABINFO) {
		r->slabs = c->num_slabs;
		r->pages_per_slab = c->pagesperslab;
		r->objs_per_slab = c->objperslab;
		r->slot_size = c->objsize;
	}
	if (c->sys & SYS_SLABS)
		r->slabs = c->slabs.total;
	if (c->sys & SYS_ORDER)
		r->pages_per_slab = c->order < 32 ? UINT64_C(1) << c->order : 0;
	if (c->sys & SYS_OBJS_PER_SLAB)
		r->objs_per_slab = c->objs_per_slab;
	if (c->sys & SYS_SLAB_SIZE)
		r->slot_size = c->slab_size;
	if (c->sys & SYS_OBJECT_SIZE)
		r->object_size = c->object_size;
	for (uint64_t p = r->pages_per_slab; p > 1; p >>= 1)
		r->order++;
	r->cache_bytes = slab_cache_bytes(c, page_size);
	r->active_bytes = slab_active_bytes(c, &estimate);
	if (estimate)
		r->object_size = 0;
	r->waste = slab_waste_bytes(c, page_size);
	r->have_partial = c->sys & SYS_PARTIAL;
	r->partial = c->partial.total;
	r->use = slab_use_percent(c);
}

/* ---- sorting ---------------------------------------------------------- */

/* slabtop's letters, and names for fragscope's own keys. */
static const struct { const char *key; const char *name; enum sort_key k; } sort_keys[] = {
	{ "a", "active", SORT_ACTIVE },
	{ "b", "objs-per-slab", SORT_OBJS_PER_SLAB },
	{ "c", "size", SORT_SIZE },
	{ "l", "slabs", SORT_SLABS },
	{ "v", "active-slabs", SORT_ACTIVE_SLABS },
	{ "n", "name", SORT_NAME },
	{ "o", "objs", SORT_OBJS },
	{ "p", "pages-per-slab", SORT_PAGES_PER_SLAB },
	{ "s", "obj-size", SORT_OBJ_SIZE },
	{ "u", "use", SORT_USE },
	{ "w", "waste", SORT_WASTE },
	{ "r", "partial", SORT_PARTIAL },
};

int slab_sort_parse(const char *s, enum sort_key *k)
{
	for (size_t i = 0; i < ARRAY_SIZE(sort_keys); i++) {
		if (strcmp(s, sort_keys[i].key) == 0 || strcmp(s, sort_keys[i].name) == 0) {
			*k = sort_keys[i].k;
			return 0;
		}
	}
	return -EINVAL;
}

static enum sort_key sort_by;

static uint64_t sort_value(const struct slab_row *r)
{
	switch (sort_by) {
	case SORT_ACTIVE: return r->active;
	case SORT_OBJS_PER_SLAB: return r->objs_per_slab;
	case SORT_SIZE: return r->cache_bytes;
	case SORT_SLABS: return r->slabs;
	/* SLUB counts every slab as active (active_slabs = num_slabs), so
	 * slabs is right for it; SLAB's active_slabs is its own count. */
	case SORT_ACTIVE_SLABS:
		return (r->c->have & SC_SLABINFO) && r->c->active_slabs < r->c->num_slabs ?
		       r->c->active_slabs : r->slabs;
	case SORT_OBJS: return r->objs;
	case SORT_PAGES_PER_SLAB: return r->pages_per_slab;
	case SORT_OBJ_SIZE: return r->object_size ? r->object_size : r->slot_size;
	case SORT_USE: return r->use;
	case SORT_WASTE: return r->waste;
	case SORT_PARTIAL: return r->partial;
	case SORT_NAME: return 0;
	}
	return 0;
}

/* Descending by the key (names ascending), ties by name, then file order. */
static int row_cmp(const void *a, const void *b)
{
	const struct slab_row *x = a, *y = b;
	int c;

	if (sort_by != SORT_NAME) {
		uint64_t vx = sort_value(x), vy = sort_value(y);

		if (vx != vy)
			return vx > vy ? -1 : 1;
	}
	c = strcmp(x->c->name, y->c->name);
	if (c)
		return c;
	return x->c < y->c ? -1 : x->c > y->c;
}

/* ---- filtering -------------------------------------------------------- */

bool slab_row_matches(const regex_t *re, const struct slab_cache *c)
{
	if (!re)
		return true;
	if (regexec(re, c->name, 0, NULL, 0) == 0)
		return true;
	for (size_t i = 0; i < c->nr_alias_names; i++)
		if (regexec(re, c->alias_names[i], 0, NULL, 0) == 0)
			return true;
	return false;
}

/* Rows for the caches that pass the filter, sorted.  *ret malloc'd. */
/* A row's sort key and where it is: sorting these (24 bytes) and then
 * placing the rows is cheaper than moving whole rows (the live views sort
 * on every refresh). */
struct row_key {
	uint64_t v;
	const struct slab_row *r;
};

static int key_cmp(const void *a, const void *b)
{
	const struct row_key *x = a, *y = b;

	if (sort_by != SORT_NAME && x->v != y->v)
		return x->v > y->v ? -1 : 1;
	return row_cmp(x->r, y->r);
}

int slab_rows_collect(const struct machine *m, const regex_t *re, enum sort_key by,
		      struct slab_row **ret, size_t *ret_n)
{
	size_t cap = m->slab.n ? m->slab.n : 1, n = 0;
	struct slab_row *rows = malloc(cap * sizeof(*rows)), *sorted = malloc(cap * sizeof(*sorted));
	struct row_key *keys = malloc(cap * sizeof(*keys));

	if (!rows || !sorted || !keys) {
		free(rows);
		free(sorted);
		free(keys);
		return -ENOMEM;
	}
	sort_by = by;
	for (size_t i = 0; i < m->slab.n; i++)
		if (slab_row_matches(re, &m->slab.c[i]))
			slab_row_fill(&m->slab.c[i], m->page_size, &rows[n++]);
	for (size_t i = 0; i < n; i++) {
		keys[i].v = sort_value(&rows[i]);
		keys[i].r = &rows[i];
	}
	qsort(keys, n, sizeof(*keys), key_cmp);
	for (size_t i = 0; i < n; i++)
		sorted[i] = *keys[i].r;
	free(keys);
	free(rows);
	*ret = sorted;
	*ret_n = n;
	return 0;
}

/* ---- totals ----------------------------------------------------------- */


void slab_totals_compute(const struct slab_row *rows, size_t n, bool slab_allocator, struct slab_totals *t)
{
	memset(t, 0, sizeof(*t));
	t->object_sizes_known = n > 0;
	for (size_t i = 0; i < n; i++) {
		const struct slab_row *r = &rows[i];
		uint64_t size = r->object_size ? r->object_size : r->slot_size;

		t->objs += r->objs;
		t->active += r->active;
		t->slabs += r->slabs;
		/* SLAB keeps its own count; SLUB's active_slabs is num_slabs. */
		t->active_slabs += slab_allocator && (r->c->have & SC_SLABINFO) ? r->c->active_slabs : r->slabs;
		t->caches++;
		t->active_caches += r->active > 0;
		t->cache_bytes += r->cache_bytes;
		t->active_bytes += r->active_bytes;
		t->waste += r->waste;
		t->partial += r->partial;
		t->partial_known |= r->have_partial;
		if (!r->object_size)
			t->object_sizes_known = false;
		if (!r->objs)
			continue;
		if (!t->min_size || size < t->min_size)
			t->min_size = size;
		if (size > t->max_size)
			t->max_size = size;
	}
}

static void pct(uint64_t a, uint64_t b, char *buf, size_t n)
{
	if (b)
		snprintf(buf, n, "%.1f%%", (double)a * 100.0 / (double)b);
	else
		snprintf(buf, n, "-");
}

static void totals_print(const struct options *o, const struct machine *m, const struct slab_totals *t)
{
	char a[UNITS_BUFSZ + 8], b[UNITS_BUFSZ + 8], p[16], s1[UNITS_BUFSZ], s2[UNITS_BUFSZ], s3[UNITS_BUFSZ];
	const char *bytes_kind = t->object_sizes_known ? "object bytes" : "object bytes where known, else slot bytes";

	(void)o;
	pct(t->active, t->objs, p, sizeof(p));
	printf("Objects (active / total):    %s / %s (%s)\n", units_group(t->active, a), units_group(t->objs, b), p);
	if (m->slab.slab_allocator) {
		pct(t->active_slabs, t->slabs, p, sizeof(p));
		printf("Slabs (active / total):      %s / %s (%s)\n", units_group(t->active_slabs, a),
		       units_group(t->slabs, b), p);
	} else {
		printf("Slabs:                       %s (SLUB counts every slab as active)", units_group(t->slabs, a));
		if (t->partial_known)
			printf(", %s on partial lists", units_group(t->partial, b));
		putchar('\n');
	}
	pct(t->active_caches, t->caches, p, sizeof(p));
	printf("Caches (active / total):     %s / %s (%s)\n", units_group(t->active_caches, a),
	       units_group(t->caches, b), p);
	pct(t->active_bytes, t->cache_bytes, p, sizeof(p));
	printf("Memory in slabs (page bytes): %s; active objects (%s): %s (%s); waste %s\n",
	       units_bytes(t->cache_bytes, s1), bytes_kind, units_bytes(t->active_bytes, s2), p,
	       units_bytes(t->waste, s3));
	if (t->active)
		printf("Object size (min / avg / max): %s / %s / %s (average: active bytes / active objects)\n",
		       units_bytes(t->min_size, s1), units_bytes(t->active_bytes / t->active, s2),
		       units_bytes(t->max_size, s3));
}

/* A kernel-provided name, with control characters escaped (a driver may
 * name a cache anything). */
static void put_name(const char *name)
{
	struct buf b = BUF_INIT;

	if (escape_text(name, strlen(name), &b) == 0 && b.data)
		fputs(b.data, stdout);
	buf_free(&b);
}

/* Names listed more than once: their sysfs detail cannot be assigned. */
static void duplicates_note(const struct slab_row *rows, size_t n)
{
	size_t shown = 0;

	for (size_t i = 0; i < n; i++) {
		bool first = true;

		if (!(rows[i].c->have & SC_DUPLICATE))
			continue;
		for (size_t k = 0; k < i; k++)
			if (strcmp(rows[k].c->name, rows[i].c->name) == 0)
				first = false;
		if (!first)
			continue;
		fputs(shown ? ", " : "Names listed more than once (sysfs detail cannot be told apart, so none is shown): ",
		      stdout);
		put_name(rows[i].c->name);
		shown++;
	}
	if (shown)
		putchar('\n');
}

/* ---- the table -------------------------------------------------------- */

static unsigned max_node_of(const struct slab_row *rows, size_t n)
{
	unsigned nn = 0;

	for (size_t i = 0; i < n; i++) {
		const struct slab_cache *c = rows[i].c;

		if (c->slabs.nr_node > nn)
			nn = c->slabs.nr_node;
		if (c->total_objects.nr_node > nn)
			nn = c->total_objects.nr_node;
		if (c->partial.nr_node > nn)
			nn = c->partial.nr_node;
	}
	return nn;
}

static uint64_t node_value(const struct slab_counter *c, unsigned node)
{
	return c->node && node < c->nr_node ? c->node[node] : 0;
}

static struct table *slab_table(const struct options *o, const struct slab_row *rows, size_t n)
{
	struct table *t = table_new("slab");
	int c_objs, c_active, c_use, c_osize, c_slot, c_slabs, c_ops, c_csize, c_waste, c_wpct, c_partial,
	    c_order, c_aliases, c_rcl, c_name, c_alnames;
	unsigned nn = o->per_node ? max_node_of(rows, n) : 0;
	int c_node[3 * 64];

	if (!t)
		return NULL;
	if (nn > 64)
		nn = 64;
	c_objs = table_add_column(t, "OBJS", TABLE_U64, TABLE_RIGHT, "objects the slabs hold (capacity)");
	c_active = table_add_column(t, "ACTIVE", TABLE_U64, TABLE_RIGHT,
				    "objects in use (SLUB: free slots in per-CPU slabs count as in use)");
	c_use = table_add_column(t, "USE", TABLE_STR, TABLE_RIGHT, "ACTIVE / OBJS");
	c_osize = table_add_column(t, "OBJ-SIZE", TABLE_BYTES, TABLE_RIGHT,
				   "object size the cache was created with (sysfs object_size)");
	c_slot = table_add_column(t, "SLOT-SIZE", TABLE_BYTES, TABLE_RIGHT,
				  "bytes per object in the slab, with metadata and alignment (slabtop's OBJ SIZE)");
	c_slabs = table_add_column(t, "SLABS", TABLE_U64, TABLE_RIGHT, "slabs");
	c_ops = table_add_column(t, "OBJ/SLAB", TABLE_U64, TABLE_RIGHT, "objects per slab");
	c_csize = table_add_column(t, "CACHE-SIZE", TABLE_BYTES, TABLE_RIGHT,
				   "page bytes: slabs x pages per slab x page size");
	c_waste = table_add_column(t, "WASTE", TABLE_BYTES, TABLE_RIGHT,
				   "CACHE-SIZE minus ACTIVE x OBJ-SIZE (SLOT-SIZE when the object size is unknown)");
	c_wpct = table_add_column(t, "WASTE%", TABLE_STR, TABLE_RIGHT, "WASTE / CACHE-SIZE");
	c_partial = table_add_column(t, "PARTIAL", TABLE_U64, TABLE_RIGHT, "slabs on the node partial lists (sysfs)");
	c_order = table_add_column(t, "ORDER", TABLE_U64, TABLE_RIGHT, "page order of a slab");
	c_aliases = table_add_column(t, "ALIASES", TABLE_U64, TABLE_RIGHT, "caches merged into this one");
	c_rcl = table_add_column(t, "RECLAIMABLE", TABLE_STR, 0,
				 "yes: the cache is reclaim-accounted (SReclaimable), shrinkable under pressure");
	for (unsigned k = 0; k < nn; k++) {
		char name[32], help[96];

		snprintf(name, sizeof(name), "N%u-SLABS", k);
		snprintf(help, sizeof(help), "slabs on node %u", k);
		c_node[3 * k] = table_add_column(t, name, TABLE_U64, TABLE_RIGHT, help);
		snprintf(name, sizeof(name), "N%u-OBJS", k);
		snprintf(help, sizeof(help), "objects the slabs on node %u hold", k);
		c_node[3 * k + 1] = table_add_column(t, name, TABLE_U64, TABLE_RIGHT, help);
		snprintf(name, sizeof(name), "N%u-PARTIAL", k);
		snprintf(help, sizeof(help), "partial slabs on node %u", k);
		c_node[3 * k + 2] = table_add_column(t, name, TABLE_U64, TABLE_RIGHT, help);
	}
	c_name = table_add_column(t, "NAME", TABLE_STR, 0, "cache name");
	c_alnames = table_add_column(t, "ALIAS-NAMES", TABLE_STR, TABLE_HIDDEN, "names of the merged caches");
	if (c_alnames < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		const struct slab_row *r = &rows[i];
		char use[16], w[16];

		if (table_new_row(t) < 0)
			goto fail;
		table_set_u64(t, c_objs, r->objs);
		table_set_u64(t, c_active, r->active);
		pct(r->active, r->objs, use, sizeof(use));
		table_set_str(t, c_use, use);
		if (r->object_size)
			table_set_u64(t, c_osize, r->object_size);
		table_set_u64(t, c_slot, r->slot_size);
		table_set_u64(t, c_slabs, r->slabs);
		table_set_u64(t, c_ops, r->objs_per_slab);
		table_set_u64(t, c_csize, r->cache_bytes);
		table_set_u64(t, c_waste, r->waste);
		pct(r->waste, r->cache_bytes, w, sizeof(w));
		table_set_str(t, c_wpct, w);
		if (r->cache_bytes && r->waste * 2 > r->cache_bytes)
			table_set_color(t, c_wpct, TABLE_COLOR_WARN);
		if (r->have_partial)
			table_set_u64(t, c_partial, r->partial);
		table_set_u64(t, c_order, r->order);
		if (r->c->sys & SYS_ALIASES)
			table_set_u64(t, c_aliases, r->c->aliases);
		else if (r->c->have & SC_SYSFS)
			table_set_u64(t, c_aliases, r->c->nr_alias_names);
		if (r->c->sys & SYS_FLAGS)
			table_set_str(t, c_rcl, (r->c->flags & SF_RECLAIM_ACCOUNT) ? "yes" : "no");
		for (unsigned k = 0; k < nn; k++) {
			if (r->c->sys & SYS_SLABS)
				table_set_u64(t, c_node[3 * k], node_value(&r->c->slabs, k));
			if (r->c->sys & SYS_TOTAL_OBJECTS)
				table_set_u64(t, c_node[3 * k + 1], node_value(&r->c->total_objects, k));
			if (r->c->sys & SYS_PARTIAL)
				table_set_u64(t, c_node[3 * k + 2], node_value(&r->c->partial, k));
		}
		table_set_str(t, c_name, r->c->name);
		if (r->c->nr_alias_names) {
			struct buf b = BUF_INIT;

			for (size_t k = 0; k < r->c->nr_alias_names; k++) {
				if (k && buf_append(&b, ",", 1) < 0)
					break;
				if (buf_append(&b, r->c->alias_names[k], strlen(r->c->alias_names[k])) < 0)
					break;
			}
			if (buf_append(&b, "", 1) == 0)
				table_set_str(t, c_alnames, b.data);
			buf_free(&b);
		}
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

/* ---- JSON ------------------------------------------------------------- */

static void counter_json(struct json *j, const char *key, const struct slab_counter *c)
{
	json_key(j, key);
	json_begin_array(j);
	for (unsigned k = 0; k < c->nr_node; k++)
		json_u64(j, c->node[k]);
	json_end_array(j);
}

static void cache_json(struct json *j, const struct slab_row *r)
{
	const struct slab_cache *c = r->c;

	json_begin_object(j);
	json_kv_string(j, "name", c->name);
	json_key(j, "alias_names");
	json_begin_array(j);
	for (size_t k = 0; k < c->nr_alias_names; k++)
		json_string(j, c->alias_names[k]);
	json_end_array(j);
	json_kv_bool(j, "duplicate_name", c->have & SC_DUPLICATE);
	json_kv_u64(j, "objects", r->objs);
	json_kv_u64(j, "active_objects", r->active);
	if (r->object_size)
		json_kv_u64(j, "object_size_bytes", r->object_size);
	json_kv_u64(j, "slot_size_bytes", r->slot_size);
	json_kv_u64(j, "slabs", r->slabs);
	json_kv_u64(j, "objects_per_slab", r->objs_per_slab);
	json_kv_u64(j, "pages_per_slab", r->pages_per_slab);
	json_kv_u64(j, "order", r->order);
	json_kv_u64(j, "cache_bytes", r->cache_bytes);
	json_kv_u64(j, "active_bytes", r->active_bytes);
	json_kv_bool(j, "active_bytes_estimated", !r->object_size);
	json_kv_u64(j, "waste_bytes", r->waste);
	if (r->have_partial)
		json_kv_u64(j, "partial_slabs", r->partial);
	if (c->sys & SYS_OBJECTS_PARTIAL)
		json_kv_u64(j, "partial_objects", c->objects_partial.total);
	if (c->sys & SYS_CPU_SLABS)
		json_kv_u64(j, "cpu_slabs", c->cpu_slabs.total);
	if (c->sys & SYS_ALIASES)
		json_kv_u64(j, "aliases", c->aliases);
	if (c->sys & SYS_FLAGS) {
		static const struct { unsigned bit; const char *name; } flag_names[] = {
			{ SF_RECLAIM_ACCOUNT, "reclaimable" }, { SF_HWCACHE_ALIGN, "hwcache_align" },
			{ SF_CACHE_DMA, "dma" }, { SF_DESTROY_BY_RCU, "destroy_by_rcu" },
			{ SF_SANITY_CHECKS, "sanity_checks" }, { SF_TRACE, "trace" },
			{ SF_RED_ZONE, "red_zone" }, { SF_POISON, "poison" }, { SF_STORE_USER, "store_user" },
		};

		/* Only the flags whose file was read: unread is not false. */
		for (size_t k = 0; k < ARRAY_SIZE(flag_names); k++)
			if (c->flags_read & flag_names[k].bit)
				json_kv_bool(j, flag_names[k].name, c->flags & flag_names[k].bit);
	}
	if (c->sys & SYS_ALIGN)
		json_kv_u64(j, "align_bytes", c->align);
	if (c->sys & SYS_CPU_PARTIAL)
		json_kv_u64(j, "cpu_partial", c->cpu_partial);
	if (c->sys & SYS_SLABS_CPU_PARTIAL) {
		json_kv_u64(j, "cpu_partial_objects", c->cpu_partial_objs);
		json_kv_u64(j, "cpu_partial_slabs", c->cpu_partial_slabs);
	}
	if (c->sys & SYS_MIN_PARTIAL)
		json_kv_u64(j, "min_partial", c->min_partial);
	if (c->sys & SYS_USERSIZE)
		json_kv_u64(j, "usersize_bytes", c->usersize);
	if (c->sys & SYS_SHEAF_CAPACITY)
		json_kv_u64(j, "sheaf_capacity", c->sheaf_capacity);
	if (c->sys & SYS_CTOR)
		json_kv_string(j, "ctor", c->ctor ? c->ctor : "");
	if (c->have & SC_SLABINFO) {
		json_key(j, "slabinfo");
		json_begin_object(j);
		json_kv_u64(j, "active_objs", c->active_objs);
		json_kv_u64(j, "num_objs", c->num_objs);
		json_kv_u64(j, "objsize", c->objsize);
		json_kv_u64(j, "objperslab", c->objperslab);
		json_kv_u64(j, "pagesperslab", c->pagesperslab);
		json_kv_u64(j, "limit", c->limit);
		json_kv_u64(j, "batchcount", c->batchcount);
		json_kv_u64(j, "sharedfactor", c->sharedfactor);
		json_kv_u64(j, "active_slabs", c->active_slabs);
		json_kv_u64(j, "num_slabs", c->num_slabs);
		json_kv_u64(j, "sharedavail", c->sharedavail);
		json_end_object(j);
	}
	if (c->slabs.nr_node || c->total_objects.nr_node) {
		json_key(j, "per_node");
		json_begin_object(j);
		counter_json(j, "slabs", &c->slabs);
		counter_json(j, "objects", &c->total_objects);
		counter_json(j, "active_objects", &c->objects);
		counter_json(j, "partial_slabs", &c->partial);
		json_end_object(j);
	}
	if (c->stats.n) {
		json_key(j, "stats");
		json_begin_object(j);
		for (size_t k = 0; k < c->stats.n; k++)
			json_kv_u64(j, c->stats.items[k].name, c->stats.items[k].value);
		json_end_object(j);
	}
	json_end_object(j);
}

static void totals_json(struct json *j, const struct slab_totals *t)
{
	json_key(j, "totals");
	json_begin_object(j);
	json_kv_u64(j, "objects", t->objs);
	json_kv_u64(j, "active_objects", t->active);
	json_kv_u64(j, "slabs", t->slabs);
	json_kv_u64(j, "active_slabs", t->active_slabs);
	json_kv_u64(j, "caches", t->caches);
	json_kv_u64(j, "active_caches", t->active_caches);
	json_kv_u64(j, "cache_bytes", t->cache_bytes);
	json_kv_u64(j, "active_bytes", t->active_bytes);
	json_kv_bool(j, "active_bytes_estimated", !t->object_sizes_known);
	json_kv_u64(j, "waste_bytes", t->waste);
	if (t->partial_known)
		json_kv_u64(j, "partial_slabs", t->partial);
	json_kv_u64(j, "min_object_size_bytes", t->min_size);
	json_kv_u64(j, "avg_object_size_bytes", t->active ? t->active_bytes / t->active : 0);
	json_kv_u64(j, "max_object_size_bytes", t->max_size);
	json_end_object(j);
}

/* ---- the report's section --------------------------------------------- */

/*
 * The first k rows in sort_by order, without sorting them all: the report
 * wants 5 of a few hundred, and a full qsort of the rows was a sizeable
 * part of its run.  *ret malloc'd (k entries at most).
 */
static int rows_top(const struct machine *m, size_t k, struct slab_row **ret, size_t *ret_n)
{
	struct slab_row *top = calloc(k ? k : 1, sizeof(*top)), r;
	size_t n = 0;

	if (!top)
		return -ENOMEM;
	for (size_t i = 0; i < m->slab.n && k; i++) {
		size_t at;

		slab_row_fill(&m->slab.c[i], m->page_size, &r);
		if (n == k && row_cmp(&r, &top[k - 1]) >= 0)
			continue;
		at = n < k ? n++ : k - 1;
		while (at > 0 && row_cmp(&r, &top[at - 1]) < 0) {
			top[at] = top[at - 1];
			at--;
		}
		top[at] = r;
	}
	*ret = top;
	*ret_n = n;
	return 0;
}

struct table *view_slab_top_table(const struct machine *m, bool by_waste, size_t top)
{
	struct table *t = table_new(by_waste ? "slab-waste" : "slab-size");
	struct slab_row *rows;
	size_t n = 0;
	int c_name, c_size, c_active, c_waste, c_wpct, c_objs;

	if (!t)
		return NULL;
	sort_by = by_waste ? SORT_WASTE : SORT_SIZE;
	if (rows_top(m, top, &rows, &n) < 0) {
		table_free(t);
		return NULL;
	}
	c_name = table_add_column(t, "CACHE", TABLE_STR, 0, "slab cache name");
	c_objs = table_add_column(t, "OBJS", TABLE_U64, TABLE_RIGHT, "objects the slabs hold");
	c_size = table_add_column(t, "CACHE-SIZE", TABLE_BYTES, TABLE_RIGHT, "page bytes in the cache's slabs");
	c_active = table_add_column(t, "ACTIVE-SIZE", TABLE_BYTES, TABLE_RIGHT,
				    "active objects x object size (slot size without sysfs)");
	c_waste = table_add_column(t, "WASTE", TABLE_BYTES, TABLE_RIGHT, "CACHE-SIZE minus ACTIVE-SIZE");
	c_wpct = table_add_column(t, "WASTE%", TABLE_STR, TABLE_RIGHT, "WASTE / CACHE-SIZE");
	for (size_t i = 0; i < n && i < top && c_wpct >= 0; i++) {
		char w[16];

		if (table_new_row(t) < 0)
			break;
		table_set_str(t, c_name, rows[i].c->name);
		table_set_u64(t, c_objs, rows[i].objs);
		table_set_u64(t, c_size, rows[i].cache_bytes);
		table_set_u64(t, c_active, rows[i].active_bytes);
		table_set_u64(t, c_waste, rows[i].waste);
		pct(rows[i].waste, rows[i].cache_bytes, w, sizeof(w));
		table_set_str(t, c_wpct, w);
	}
	free(rows);
	return t;
}

void view_slab_top_json(struct json *j, const struct machine *m, size_t top)
{
	struct slab_row *rows;
	size_t n = 0;

	for (int by_waste = 0; by_waste < 2; by_waste++) {
		sort_by = by_waste ? SORT_WASTE : SORT_SIZE;
		if (rows_top(m, top, &rows, &n) < 0)
			return;
		json_key(j, by_waste ? "slab_top_by_waste" : "slab_top_by_size");
		json_begin_array(j);
		for (size_t i = 0; i < n && i < top; i++) {
			json_begin_object(j);
			json_kv_string(j, "name", rows[i].c->name);
			json_kv_u64(j, "objects", rows[i].objs);
			json_kv_u64(j, "cache_bytes", rows[i].cache_bytes);
			json_kv_u64(j, "active_bytes", rows[i].active_bytes);
			json_kv_bool(j, "active_bytes_estimated", !rows[i].object_size);
			json_kv_u64(j, "waste_bytes", rows[i].waste);
			json_end_object(j);
		}
		json_end_array(j);
		free(rows);
	}
}

/* ---- loading ---------------------------------------------------------- */

#define SLAB_INPUTS (IN_BIT(IN_SLABINFO) | IN_BIT(IN_SLABSYS))

/*
 * Load /proc/slabinfo and, unless no_sysfs, /sys/kernel/slab at the
 * detail the output needs.  Says once, clearly, when root is needed.
 * Returns the exit code so far; *usable is false when there is nothing
 * to show.
 */
static bool select_cache(const struct slab_cache *c, void *arg)
{
	return slab_row_matches(arg, c);
}

static int slab_load(const struct options *o, unsigned detail, const regex_t *re, struct source **src,
		     struct machine *m, bool *usable)
{
	unsigned mask = o->no_sysfs ? IN_BIT(IN_SLABINFO) : SLAB_INPUTS;
	/* --filter: only the selected caches' sysfs files are read. */
	struct load_opts lo = {
		.slab_detail = (enum slab_detail)detail,
		.slab_select = re ? select_cache : NULL,
		.slab_select_arg = (void *)re,
	};
	int rc = cli_load_slab(o, mask, &lo, src, m);
	const struct input_status *si = &m->in[IN_SLABINFO], *ss = &m->in[IN_SLABSYS];
	bool perm = si->err == -EACCES || si->err == -EPERM ||
		    (!o->no_sysfs && (ss->err == -EACCES || ss->err == -EPERM));

	if (!*src || rc) {
		*usable = false;
		return rc;
	}
	/* Without /proc/slabinfo the counts come from sysfs alone, and only
	 * the full read has them all (objects, objs_per_slab, slab_size). */
	if (!si->loaded && ss->loaded && detail != SLAB_DETAIL_FULL) {
		machine_free(m);
		source_free(*src);
		lo.slab_detail = SLAB_DETAIL_FULL;
		rc = cli_load_slab(o, mask, &lo, src, m);
		if (!*src || rc) {
			*usable = false;
			return rc;
		}
	}
	*usable = m->slab.n > 0;
	if (*usable)
		return cli_check_slab_inputs(m, mask);
	/* Nothing to show: one line that says why. */
	if (perm) {
		cli_error("slab needs root to read /proc/slabinfo%s", o->no_sysfs ? "" : " and /sys/kernel/slab");
		return EXIT_PERM;
	}
	if (si->parse_error || ss->parse_error)
		return cli_check_slab_inputs(m, mask);
	if (o->no_sysfs)
		cli_error("no slab caches: %s could not be read (%s)", si->path[0] ? si->path : "/proc/slabinfo",
			  cli_input_reason(si));
	else
		cli_error("no slab caches: neither %s nor %s could be read",
			  si->path[0] ? si->path : "/proc/slabinfo",
			  ss->path[0] ? ss->path : "/sys/kernel/slab");
	return EXIT_INPUT;
}

int slab_filter_compile(regex_t *re, const char *text, char *err, size_t n)
{
	int r = regcomp(re, text, REG_EXTENDED | REG_NOSUB);
	char msg[256];

	if (!r)
		return 0;
	regerror(r, re, msg, sizeof(msg));
	snprintf(err, n, "'%s': %s", text, msg);
	return -1;
}

static int compile_filter(const struct options *o, regex_t *re)
{
	char err[512];

	if (o->filter && slab_filter_compile(re, o->filter, err, sizeof(err)) < 0) {
		cli_error("invalid --filter regex %s", err);
		return EXIT_USAGE;
	}
	return 0;
}

/* ---- the snapshot view ------------------------------------------------ */

static int slab_once(const struct options *o, regex_t *re)
{
	unsigned detail = o->per_node || o->json ? SLAB_DETAIL_FULL : SLAB_DETAIL_BASIC;
	struct slab_row *rows = NULL;
	struct source *src = NULL;
	struct slab_totals tot;
	struct machine m;
	size_t n = 0;
	bool usable;
	int rc, r;

	rc = slab_load(o, detail, re, &src, &m, &usable);
	if (!usable)
		goto out;
	if (slab_rows_collect(&m, re, sort_by, &rows, &n) < 0) {
		cli_error("out of memory");
		cli_status(&rc, EXIT_INPUT);
		goto out;
	}
	slab_totals_compute(rows, n, m.slab.slab_allocator, &tot);
	if (o->json) {
		struct json *j = cli_json_begin(o, &m, "slab");
		char v[16];

		if (!j) {
			cli_status(&rc, EXIT_INPUT);
			goto out;
		}
		json_kv_string(j, "allocator", m.slab.version_major ? (m.slab.slab_allocator ? "SLAB" : "SLUB") :
			       "SLUB");
		if (m.slab.version_major) {
			snprintf(v, sizeof(v), "%u.%u", m.slab.version_major, m.slab.version_minor);
			json_kv_string(j, "slabinfo_version", v);
		}
		totals_json(j, &tot);
		json_key(j, "caches");
		json_begin_array(j);
		for (size_t i = 0; i < n; i++)
			cache_json(j, &rows[i]);
		json_end_array(j);
		/* A SLAB kernel has no /sys/kernel/slab: it is not missing. */
		cli_json_end(j, &m, o->no_sysfs || m.slab.slab_allocator ? IN_BIT(IN_SLABINFO) : SLAB_INPUTS);
	} else {
		struct table *t[1] = { slab_table(o, rows, n) };
		const char *titles[1] = { NULL };

		r = cli_select_columns(o, t, 1);
		if (r) {
			table_free(t[0]);
			if (r > 0)
				rc = r;
			goto out;
		}
		if (!o->raw && !o->noheadings && !o->output) {
			totals_print(o, &m, &tot);
			duplicates_note(rows, n);
			putchar('\n');
		}
		view_print_tables(o, t, titles, 1);
	}
	rc = cli_finish(rc);
out:
	free(rows);
	machine_free(&m);
	source_free(src);
	return rc;
}


/* ---- --check-geometry ------------------------------------------------- */

int cli_slab_geom_params(const struct options *o, struct source *src, const char *release,
			 struct slab_geom_params *p, char *note, size_t n)
{
	enum slab_rule rule = o->slab_rule ? (strcmp(o->slab_rule, "6.1") == 0 ? SLAB_RULE_6_1 : SLAB_RULE_6_7) :
			      slab_rule_for_release(release);
	unsigned cpus = o->cpus;
	const char *from = "--cpus";
	struct buf b = BUF_INIT;

	if (!cpus && src && source_read(src, "sys/devices/system/cpu/present", &b) == 0 &&
	    slab_geom_cpulist(b.data ? b.data : "", b.len, &cpus) == 0)
		from = source_is_live(src) ? "/sys/devices/system/cpu/present" : "the root's sys/devices/system/cpu/present";
	buf_free(&b);
	if (!cpus && (!src || source_is_live(src))) {
		long v = sysconf(_SC_NPROCESSORS_CONF);

		cpus = v > 0 ? (unsigned)v : 1;
		from = "sysconf";
	}
	if (!cpus) {
		cli_error("the root has no sys/devices/system/cpu/present: give the CPU count with --cpus N");
		return EXIT_USAGE;
	}
	slab_geom_defaults(p, cpus, rule);
	buf_reset(&b);
	if (src && source_read(src, "proc/cmdline", &b) == 0 && b.len)
		slab_geom_cmdline(b.data, b.len, p);
	buf_free(&b);
	snprintf(note, n, "the %s rule, %u CPU%s (%s), min_objects %u, slab_min_order %u, slab_max_order %u",
		 rule == SLAB_RULE_6_1 ? "6.1 (6.6 and before)" : "6.7+", cpus, cpus == 1 ? "" : "s", from,
		 p->min_objects ? p->min_objects : 4 * ((cpus >= 2 ? 32 - (unsigned)__builtin_clz(cpus) : 1) + 1),
		 p->min_order, p->max_order);
	return EXIT_OK;
}

static void flags_str(unsigned f, bool freeptr, char *buf, size_t n)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ SG_HWCACHE_ALIGN, "hwcache_align" }, { SG_RECLAIM_ACCOUNT, "reclaim_account" },
		{ SG_TYPESAFE_BY_RCU, "destroy_by_rcu" }, { SG_CTOR, "ctor" }, { SG_RED_ZONE, "red_zone" },
		{ SG_POISON, "poison" }, { SG_STORE_USER, "store_user" }, { SG_KMALLOC, "kmalloc" },
		{ SG_DEBUG, "debug" }, { SG_CACHE_DMA, "cache_dma" },
	};
	size_t k = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (f & names[i].bit)
			k += (size_t)snprintf(buf + k, k < n ? n - k : 0, "%s%s", k ? "," : "", names[i].name);
	if (freeptr && k < n)
		k += (size_t)snprintf(buf + k, n - k, "%sfreeptr_offset", k ? "," : "");
	if (!k && n > 1)
		snprintf(buf, n, "-");
}

static int check_geometry(const struct options *o, const regex_t *re)
{
	struct load_opts lo = { .slab_detail = SLAB_DETAIL_FULL };
	struct slab_geom_params p;
	struct slab_geom_check *ck = NULL;
	struct source *src = NULL;
	struct machine m;
	struct table *t = NULL;
	char note[256];
	size_t checked = 0, bad = 0, tunable = 0, rcu_off = 0, unchecked = 0;
	int rc;

	if (o->used & (OPT_SORT | OPT_PER_NODE | OPT_WATCH | OPT_COUNT | OPT_NO_SYSFS)) {
		cli_error("--check-geometry reads /sys/kernel/slab: -s, --per-node, --watch, --count and --no-sysfs do not apply");
		return EXIT_USAGE;
	}
	rc = cli_load_slab(o, IN_BIT(IN_SLABINFO) | IN_BIT(IN_SLABSYS), &lo, &src, &m);
	if (!src)
		return rc;
	if (!m.in[IN_SLABSYS].loaded) {
		const struct input_status *ss = &m.in[IN_SLABSYS];

		if (ss->err == -EACCES || ss->err == -EPERM) {
			cli_error("--check-geometry needs root to read %s", ss->path[0] ? ss->path : "/sys/kernel/slab");
			cli_status(&rc, EXIT_PERM);
		} else {
			cli_error("--check-geometry needs %s (SLUB): %s", ss->path[0] ? ss->path : "/sys/kernel/slab",
				  cli_input_reason(ss));
			cli_status(&rc, EXIT_INPUT);
		}
		goto out;
	}
	cli_status(&rc, cli_slab_geom_params(o, src, m.kernel_release, &p, note, sizeof(note)));
	if (rc == EXIT_USAGE)
		goto out;
	ck = calloc(m.slab.n ? m.slab.n : 1, sizeof(*ck));
	t = table_new("geometry");
	if (!ck || !t) {
		cli_error("out of memory");
		cli_status(&rc, EXIT_INPUT);
		goto out;
	}
	for (size_t i = 0; i < m.slab.n; i++) {
		if (re && !slab_row_matches(re, &m.slab.c[i]))
			continue;   /* checkable stays false; not counted */
		slab_geom_check(&m.slab.c[i], &p, &ck[i]);
		if (!ck[i].checkable) {
			unchecked++;
			continue;
		}
		checked++;
		if (ck[i].mismatch & SGC_GEOMETRY)
			bad++;
		if (ck[i].mismatch & (SGC_MIN_PARTIAL | SGC_CPU_PARTIAL))
			tunable++;
		if (ck[i].freeptr_offset)
			rcu_off++;
	}
	if (o->json) {
		struct json *j = cli_json_begin(o, &m, "slab --check-geometry");

		if (!j) {
			cli_status(&rc, EXIT_INPUT);
			goto out;
		}
		json_kv_string(j, "rule", p.rule == SLAB_RULE_6_1 ? "6.1" : "6.7");
		json_kv_u64(j, "cpus", p.nr_cpus);
		json_kv_u64(j, "slab_min_order", p.min_order);
		json_kv_u64(j, "slab_max_order", p.max_order);
		json_kv_u64(j, "slab_min_objects", p.min_objects);
		json_kv_u64(j, "checked", checked);
		json_kv_u64(j, "match", checked - bad);
		json_kv_u64(j, "mismatch", bad);
		json_kv_u64(j, "tunable_differs", tunable);
		json_kv_u64(j, "rcu_freeptr_offset", rcu_off);
		json_kv_u64(j, "without_sysfs", unchecked);
		json_key(j, "caches");
		json_begin_array(j);
		for (size_t i = 0; i < m.slab.n; i++) {
			const struct slab_cache *c = &m.slab.c[i];
			const struct slab_geom_check *k = &ck[i];
			char fl[160];

			if (!k->checkable)
				continue;
			flags_str(k->flags, k->freeptr_offset, fl, sizeof(fl));
			json_begin_object(j);
			json_kv_string(j, "name", c->name);
			json_kv_bool(j, "match", !(k->mismatch & SGC_GEOMETRY));
			json_kv_string(j, "flags", fl);
			json_kv_u64(j, "object_size", c->object_size);
			json_kv_u64(j, "align", c->align);
			json_kv_u64(j, "min_align", k->min_align);
			json_kv_u64(j, "slab_size", c->slab_size);
			json_kv_u64(j, "want_slab_size", k->want_slab_size);
			json_kv_u64(j, "order", c->order);
			json_kv_u64(j, "want_order", k->want.order);
			json_kv_u64(j, "objs_per_slab", c->objs_per_slab);
			json_kv_u64(j, "want_objs_per_slab", k->want.objs_per_slab);
			json_kv_u64(j, "leftover", k->want.leftover);
			if (c->sys & SYS_MIN_PARTIAL) {
				json_kv_u64(j, "min_partial", c->min_partial);
				json_kv_u64(j, "want_min_partial", k->want.min_partial);
			}
			if (c->sys & SYS_CPU_PARTIAL) {
				json_kv_u64(j, "cpu_partial", c->cpu_partial);
				json_kv_u64(j, "want_cpu_partial", k->want.cpu_partial);
			}
			json_end_object(j);
		}
		json_end_array(j);
		cli_json_end(j, &m, IN_BIT(IN_SLABINFO) | IN_BIT(IN_SLABSYS));
	} else {
		int c_name = table_add_column(t, "CACHE", TABLE_STR, 0, "cache name");
		int c_os = table_add_column(t, "OBJ-SIZE", TABLE_U64, TABLE_RIGHT, "sysfs object_size");
		int c_al = table_add_column(t, "ALIGN", TABLE_U64, TABLE_RIGHT, "sysfs align");
		int c_ss = table_add_column(t, "SLAB-SIZE", TABLE_U64, TABLE_RIGHT, "sysfs slab_size");
		int c_wss = table_add_column(t, "RULE", TABLE_U64, TABLE_RIGHT, "slab_size by the rule");
		int c_or = table_add_column(t, "ORDER", TABLE_U64, TABLE_RIGHT, "sysfs order");
		int c_wor = table_add_column(t, "RULE-ORDER", TABLE_U64, TABLE_RIGHT, "order by the rule");
		int c_ob = table_add_column(t, "OBJ/SLAB", TABLE_U64, TABLE_RIGHT, "sysfs objs_per_slab");
		int c_wob = table_add_column(t, "RULE-OBJ/SLAB", TABLE_U64, TABLE_RIGHT, "objects per slab by the rule");
		int c_fl = table_add_column(t, "FLAGS", TABLE_STR, 0, "the flags the layout depends on");
		int c_what = table_add_column(t, "DIFFERS", TABLE_STR, 0, "what differs");

		for (size_t i = 0; i < m.slab.n; i++) {
			const struct slab_cache *c = &m.slab.c[i];
			const struct slab_geom_check *k = &ck[i];
			char fl[160], what[96];
			size_t w = 0;

			if (!k->checkable || !k->mismatch)
				continue;
			flags_str(k->flags, k->freeptr_offset, fl, sizeof(fl));
			what[0] = '\0';
			if (k->mismatch & SGC_SLAB_SIZE)
				w += (size_t)snprintf(what + w, sizeof(what) - w, "%sslab_size", w ? "," : "");
			if (k->mismatch & SGC_ALIGN)
				w += (size_t)snprintf(what + w, sizeof(what) - w, "%salign", w ? "," : "");
			if (k->mismatch & SGC_ORDER)
				w += (size_t)snprintf(what + w, sizeof(what) - w, "%sorder", w ? "," : "");
			if (k->mismatch & SGC_OBJS_PER_SLAB)
				w += (size_t)snprintf(what + w, sizeof(what) - w, "%sobjs_per_slab", w ? "," : "");
			if (k->mismatch & SGC_MIN_PARTIAL)
				w += (size_t)snprintf(what + w, sizeof(what) - w, "%smin_partial", w ? "," : "");
			if (k->mismatch & SGC_CPU_PARTIAL)
				snprintf(what + w, sizeof(what) - w, "%scpu_partial", w ? "," : "");
			table_new_row(t);
			table_set_str(t, c_name, c->name);
			table_set_u64(t, c_os, c->object_size);
			table_set_u64(t, c_al, c->align);
			table_set_u64(t, c_ss, c->slab_size);
			table_set_u64(t, c_wss, k->want_slab_size);
			table_set_u64(t, c_or, c->order);
			table_set_u64(t, c_wor, k->want.order);
			table_set_u64(t, c_ob, c->objs_per_slab);
			table_set_u64(t, c_wob, k->want.objs_per_slab);
			table_set_str(t, c_fl, fl);
			table_set_str(t, c_what, what);
		}
		if (!o->raw && !o->noheadings && !o->output) {
			printf("Geometry by %s.\n", note);
			printf("Caches checked: %zu, match: %zu, mismatch: %zu.\n", checked, checked - bad, bad);
			if (rcu_off)
				printf("RCU caches laid out with a declared free pointer offset (sysfs cannot say; both layouts are the kernel's): %zu.\n",
				       rcu_off);
			if (tunable)
				printf("Caches whose writable min_partial or cpu_partial differs from the default: %zu.\n", tunable);
			if (unchecked)
				printf("Caches without sysfs geometry, not checked: %zu.\n", unchecked);
		}
		if (table_nrows(t)) {
			struct table *ts[1] = { t };
			const char *titles[1] = { NULL };
			int r = cli_select_columns(o, ts, 1);

			t = ts[0];
			if (r) {
				if (r > 0)
					rc = r;
				goto out;
			}
			if (!o->raw && !o->noheadings && !o->output)
				putchar('\n');
			view_print_tables(o, ts, titles, 1);
			t = ts[0];
		}
	}
	if (bad)
		cli_status(&rc, EXIT_NEGATIVE);
	rc = cli_finish(rc);
out:
	table_free(t);
	free(ck);
	machine_free(&m);
	source_free(src);
	return rc;
}

/* ---- --watch ---------------------------------------------------------- */

struct watch_cache {
	char *name;
	unsigned dup;                  /* occurrence of this name (duplicates) */
	uint64_t objs0, bytes0;        /* first sample */
	uint64_t objs, bytes;          /* latest */
	unsigned grew;                 /* samples in which active objects grew */
	bool seen;
};

struct watch {
	struct watch_cache *c;
	size_t n;
	unsigned samples;              /* intervals so far */
};

static volatile sig_atomic_t watch_stop;

static void on_signal(int sig)
{
	(void)sig;
	watch_stop = 1;
}

static struct watch_cache *watch_find(struct watch *w, const char *name, unsigned dup)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->c[i].dup == dup && strcmp(w->c[i].name, name) == 0)
			return &w->c[i];
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Occurrence index of rows[i]'s name among the caches before it. */
static unsigned dup_index(const struct machine *m, const struct slab_cache *c)
{
	unsigned k = 0;

	for (size_t i = 0; i < m->slab.n && &m->slab.c[i] != c; i++)
		k += strcmp(m->slab.c[i].name, c->name) == 0;
	return k;
}

/* One cache's change in an interval.  wc indexes watch.c, which
 * realloc() may move while a sample adds new caches. */
struct watch_delta {
	size_t wc;
	int64_t dobjs, dbytes;
};

static struct watch *delta_watch;  /* for delta_cmp */

static int delta_cmp(const void *a, const void *b)
{
	const struct watch_delta *x = a, *y = b;
	int64_t ax = x->dbytes < 0 ? -x->dbytes : x->dbytes, ay = y->dbytes < 0 ? -y->dbytes : y->dbytes;

	if (ax != ay)
		return ax > ay ? -1 : 1;
	return strcmp(delta_watch->c[x->wc].name, delta_watch->c[y->wc].name);
}

static void watch_print_interval(const struct options *o, struct watch *w, struct watch_delta *d,
				 size_t nd, unsigned sample, double dt, double elapsed)
{
	delta_watch = w;
	qsort(d, nd, sizeof(*d), delta_cmp);
	if (o->json) {
		struct json *j = json_new(stdout, false);

		if (!j)
			return;
		json_begin_object(j);
		json_kv_u64(j, "schema_version", 1);
		json_kv_string(j, "command", "slab --watch");
		json_kv_u64(j, "sample", sample);
		json_key(j, "elapsed_s");
		json_double(j, elapsed, 3);
		json_key(j, "interval_s");
		json_double(j, dt, 3);
		json_key(j, "caches");
		json_begin_array(j);
		for (size_t i = 0; i < nd; i++) {
			json_begin_object(j);
			json_kv_string(j, "name", w->c[d[i].wc].name);
			json_kv_u64(j, "active_objects", w->c[d[i].wc].objs);
			json_kv_i64(j, "delta_objects", d[i].dobjs);
			json_key(j, "objects_per_s");
			json_double(j, (double)d[i].dobjs / dt, 1);
			json_kv_u64(j, "cache_bytes", w->c[d[i].wc].bytes);
			json_kv_i64(j, "delta_bytes", d[i].dbytes);
			json_key(j, "bytes_per_s");
			json_double(j, (double)d[i].dbytes / dt, 1);
			json_kv_u64(j, "grew_samples", w->c[d[i].wc].grew);
			json_end_object(j);
		}
		json_end_array(j);
		json_end_object(j);
		json_finish(j);
		json_free(j);
		fflush(stdout);
		return;
	}
	{
		struct table *t = table_new("watch");
		struct table_opts to = cli_table_opts(o);
		int c_name, c_objs, c_dobjs, c_robjs, c_bytes, c_dbytes, c_rbytes, c_grew;

		if (!t)
			return;
		c_objs = table_add_column(t, "ACTIVE", TABLE_U64, TABLE_RIGHT, "active objects now");
		c_dobjs = table_add_column(t, "DELTA", TABLE_I64, TABLE_RIGHT, "change in active objects this interval");
		c_robjs = table_add_column(t, "OBJS/S", TABLE_STR, TABLE_RIGHT, "change per second");
		c_bytes = table_add_column(t, "CACHE-SIZE", TABLE_BYTES, TABLE_RIGHT, "page bytes now");
		c_dbytes = table_add_column(t, "DELTA-SIZE", TABLE_STR, TABLE_RIGHT, "change in page bytes this interval");
		c_rbytes = table_add_column(t, "SIZE/S", TABLE_STR, TABLE_RIGHT, "change per second");
		c_grew = table_add_column(t, "GREW", TABLE_STR, TABLE_RIGHT, "intervals in which the cache grew / intervals");
		c_name = table_add_column(t, "NAME", TABLE_STR, 0, "cache name");
		for (size_t i = 0; i < nd && c_name >= 0; i++) {
			char v[48], sz[UNITS_BUFSZ];
			uint64_t ab = (uint64_t)(d[i].dbytes < 0 ? -d[i].dbytes : d[i].dbytes);

			if (!d[i].dobjs && !d[i].dbytes)
				continue;
			if (table_new_row(t) < 0)
				break;
			table_set_u64(t, c_objs, w->c[d[i].wc].objs);
			table_set_i64(t, c_dobjs, d[i].dobjs);
			snprintf(v, sizeof(v), "%+.1f", (double)d[i].dobjs / dt);
			table_set_str(t, c_robjs, v);
			table_set_u64(t, c_bytes, w->c[d[i].wc].bytes);
			snprintf(v, sizeof(v), "%s%s", d[i].dbytes < 0 ? "-" : "+",
				 o->bytes ? (snprintf(sz, sizeof(sz), "%llu", (unsigned long long)ab), sz) :
				 units_bytes(ab, sz));
			table_set_str(t, c_dbytes, v);
			if (o->bytes)
				snprintf(v, sizeof(v), "%s%llu/s", d[i].dbytes < 0 ? "-" : "+",
					 (unsigned long long)((double)ab / dt));
			else
				snprintf(v, sizeof(v), "%s%s/s", d[i].dbytes < 0 ? "-" : "+",
					 units_bytes((uint64_t)((double)ab / dt), sz));
			table_set_str(t, c_rbytes, v);
			snprintf(v, sizeof(v), "%u/%u", w->c[d[i].wc].grew, sample);
			table_set_str(t, c_grew, v);
			if (w->c[d[i].wc].grew == sample)
				table_set_color(t, c_grew, TABLE_COLOR_WARN);
			table_set_str(t, c_name, w->c[d[i].wc].name);
		}
		if (!o->raw && !o->noheadings)
			printf("%sSample %u, +%.1f s (interval %.1f s): %zu cache%s changed\n", sample > 1 ? "\n" : "",
			       sample, elapsed, dt, table_nrows(t), table_nrows(t) == 1 ? "" : "s");
		if (table_nrows(t))
			table_print(t, stdout, &to);
		table_free(t);
		fflush(stdout);
	}
}

/* Record one sample; first: the baseline. */
static int watch_sample(struct watch *w, const struct machine *m, const regex_t *re, bool first,
			struct watch_delta **ret, size_t *ret_n)
{
	struct watch_delta *d = calloc(m->slab.n ? m->slab.n : 1, sizeof(*d));
	size_t nd = 0;

	if (!d)
		return -ENOMEM;
	for (size_t i = 0; i < w->n; i++)
		w->c[i].seen = false;
	for (size_t i = 0; i < m->slab.n; i++) {
		const struct slab_cache *c = &m->slab.c[i];
		unsigned dup = dup_index(m, c);
		struct watch_cache *wc;
		struct slab_row r;

		if (!slab_row_matches(re, c))
			continue;
		slab_row_fill(c, m->page_size, &r);
		wc = watch_find(w, c->name, dup);
		if (!wc) {
			struct watch_cache *nc = realloc(w->c, (w->n + 1) * sizeof(*nc));

			if (!nc) {
				free(d);
				return -ENOMEM;
			}
			w->c = nc;
			wc = &w->c[w->n];
			memset(wc, 0, sizeof(*wc));
			wc->name = strdup(c->name);
			if (!wc->name) {
				free(d);
				return -ENOMEM;
			}
			w->n++;
			wc->dup = dup;
			/* A cache that appears mid-watch grew from nothing. */
			if (first) {
				wc->objs0 = wc->objs = r.active;
				wc->bytes0 = wc->bytes = r.cache_bytes;
			}
		}
		wc->seen = true;
		if (!first) {
			d[nd].wc = (size_t)(wc - w->c);
			d[nd].dobjs = (int64_t)r.active - (int64_t)wc->objs;
			d[nd].dbytes = (int64_t)r.cache_bytes - (int64_t)wc->bytes;
			if (r.active > wc->objs)
				wc->grew++;
			nd++;
		}
		wc->objs = r.active;
		wc->bytes = r.cache_bytes;
	}
	*ret = d;
	*ret_n = nd;
	return 0;
}

static void watch_summary(const struct options *o, const struct watch *w)
{
	size_t leaks = 0;

	if (w->samples == 0)
		return;
	if (o->json) {
		struct json *j = json_new(stdout, false);

		if (!j)
			return;
		json_begin_object(j);
		json_kv_u64(j, "schema_version", 1);
		json_kv_string(j, "command", "slab --watch summary");
		json_kv_u64(j, "intervals", w->samples);
		json_key(j, "grew_every_interval");
		json_begin_array(j);
		for (size_t i = 0; i < w->n; i++) {
			const struct watch_cache *c = &w->c[i];

			if (c->grew != w->samples)
				continue;
			json_begin_object(j);
			json_kv_string(j, "name", c->name);
			json_kv_i64(j, "delta_objects", (int64_t)c->objs - (int64_t)c->objs0);
			json_kv_i64(j, "delta_bytes", (int64_t)c->bytes - (int64_t)c->bytes0);
			json_end_object(j);
		}
		json_end_array(j);
		json_end_object(j);
		json_finish(j);
		json_free(j);
		return;
	}
	for (size_t i = 0; i < w->n; i++)
		leaks += w->c[i].grew == w->samples;
	printf("\nAfter %u interval%s: ", w->samples, w->samples == 1 ? "" : "s");
	if (!leaks) {
		printf("no cache grew in every interval.\n");
		return;
	}
	printf("%zu cache%s grew in every interval (possible leak%s):\n", leaks, leaks == 1 ? "" : "s",
	       leaks == 1 ? "" : "s");
	for (size_t i = 0; i < w->n; i++) {
		const struct watch_cache *c = &w->c[i];
		char sz[UNITS_BUFSZ];
		int64_t db = (int64_t)c->bytes - (int64_t)c->bytes0;

		if (c->grew != w->samples)
			continue;
		fputs("  ", stdout);
		put_name(c->name);
		printf(": %+lld objects, %s%s\n", (long long)((int64_t)c->objs - (int64_t)c->objs0),
		       db < 0 ? "-" : "+", units_bytes((uint64_t)(db < 0 ? -db : db), sz));
	}
}

static int slab_watch(const struct options *o, regex_t *re)
{
	struct watch w = { 0 };
	struct sigaction sa;
	double start = now_s(), last = start;
	int rc = EXIT_OK;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (unsigned k = 0; !watch_stop; k++) {
		struct source *src = NULL;
		struct watch_delta *d = NULL;
		struct machine m;
		size_t nd = 0;
		bool usable;
		double t;
		int r = slab_load(o, SLAB_DETAIL_BASIC, re, &src, &m, &usable);

		/* Only the first sample decides the exit status; a later
		 * unreadable sample is skipped, and the watch goes on. */
		if (k == 0)
			rc = r;
		if (!usable && k == 0) {
			machine_free(&m);
			source_free(src);
			break;
		}
		t = now_s();
		if (usable && watch_sample(&w, &m, re, k == 0, &d, &nd) < 0) {
			cli_error("out of memory");
			cli_status(&rc, EXIT_INPUT);
			machine_free(&m);
			source_free(src);
			break;
		}
		if (k == 0 && !o->json && !o->raw && !o->noheadings) {
			printf("Watching %zu slab cache%s every %g s", w.n, w.n == 1 ? "" : "s", o->watch);
			if (o->count)
				printf(" for %llu interval%s", (unsigned long long)o->count, o->count == 1 ? "" : "s");
			printf("; Ctrl-C ends and summarises.\n");
		}
		if (k > 0 && usable) {
			w.samples++;
			watch_print_interval(o, &w, d, nd, w.samples, t - last, t - start);
			last = t;
		} else if (k == 0) {
			last = t;
		}
		free(d);
		machine_free(&m);
		source_free(src);
		if (o->count && k >= o->count)
			break;
		/* Sleep to the next tick; a signal ends the watch. */
		{
			double until = start + o->watch * (k + 1), left = until - now_s();

			while (left > 0 && !watch_stop) {
				struct timespec ts = { (time_t)left, (long)((left - (double)(time_t)left) * 1e9) };

				nanosleep(&ts, NULL);
				left = until - now_s();
			}
		}
	}
	if (w.n)
		watch_summary(o, &w);
	for (size_t i = 0; i < w.n; i++)
		free(w.c[i].name);
	free(w.c);
	return cli_finish(rc);
}

int cmd_slab(struct options *o)
{
	regex_t re;
	int rc;

	if (o->check_geometry) {
		rc = compile_filter(o, &re);
		if (rc)
			return rc;
		rc = check_geometry(o, o->filter ? &re : NULL);
		if (o->filter)
			regfree(&re);
		return rc;
	}
	if (o->used & (OPT_CPUS | OPT_SLAB_RULE)) {
		cli_error("--cpus and --slab-rule go with --check-geometry");
		return EXIT_USAGE;
	}
	sort_by = SORT_SIZE;
	if (o->sort && slab_sort_parse(o->sort, &sort_by) < 0) {
		cli_error("invalid sort key '%s' (a b c l v n o p s u, waste or partial)", o->sort);
		return EXIT_USAGE;
	}
	if ((o->used & OPT_COUNT) && !(o->used & OPT_WATCH)) {
		cli_error("--count applies to slab only with --watch");
		return EXIT_USAGE;
	}
	if ((o->used & OPT_WATCH) && (o->output || o->per_node)) {
		cli_error("%s does not apply to slab --watch", o->output ? "-o/--output" : "--per-node");
		return EXIT_USAGE;
	}
	rc = compile_filter(o, &re);
	if (rc)
		return rc;
	rc = (o->used & OPT_WATCH) ? slab_watch(o, o->filter ? &re : NULL) : slab_once(o, o->filter ? &re : NULL);
	if (o->filter)
		regfree(&re);
	return rc;
}
