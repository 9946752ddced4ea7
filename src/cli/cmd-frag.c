/*
 * cmd-frag.c - "fragscope frag": the kernel's fragmentation indices per
 * zone and order, what compaction would make of them, and the proactive
 * compaction score per node (analysis/frag.h, reference/kernel.md 1 and
 * 3.8).  Everything is recomputed from /proc/buddyinfo with the kernel's
 * integer arithmetic, so it works without root or debugfs.
 *
 * Inputs: buddyinfo (required); zoneinfo (present pages, for the score)
 * and the vm sysctls (extfrag_threshold, compaction_proactiveness) are
 * optional.  Without the threshold the kernel default 500 is assumed and
 * the title says so: the check has existed with that default since
 * compaction itself.  Without compaction_proactiveness there is no
 * verdict, only the score: proactive compaction exists only since 5.9.
 *
 * --kernel-format prints the two debugfs files exactly as the kernel
 * whose release the source reports would (extfrag_index is unpadded
 * before 5.16), in the layout of head(1) for several files:
 *
 *	==> unusable_index <==
 *	Node 0, zone      DMA 0.000 ... 0.200 
 *	...
 *	(blank line)
 *	==> extfrag_index <==
 *	Node 0, zone      DMA -1.000 ... -1.000 
 *
 * "-o unusable" or "-o extfrag" (also "unusable_index", "extfrag_index")
 * prints that one file alone, without header, so that
 *	diff <(fragscope frag --kernel-format -o unusable) \
 *	     /sys/kernel/debug/extfrag/unusable_index
 * is empty.  --kernel-format with -J is a usage error; -r, -n and -b do
 * not change it.  Only buddyinfo is read.
 *
 * JSON (-J), for the man page:
 *
 *   "nr_orders": N,
 *   "extfrag_threshold": 500,             vm.extfrag_threshold, or the default
 *   "extfrag_threshold_source": "sysctl" | "kernel default",
 *   "compaction_proactiveness": 20 | null, null when the sysctl is absent
 *   "zones": [ {                          one per zone of buddyinfo
 *     "node": 0, "zone": "Normal",
 *     "free_pages": 96272,                sum of free_blocks[o] << o
 *     "free_blocks": [N, ...],            per order, from buddyinfo
 *     "unusable_index": [0.0, ...],       per order, 3 decimals (0..1)
 *     "unusable_index_milli": [0, ...],   the same in exact thousandths
 *     "extfrag_index": [-1.0, ...],       per order, 3 decimals (-1: a block is free)
 *     "extfrag_index_milli": [-1000, ...],
 *     "advice": ["ok", ...],              per order: "ok" (a block of the order
 *                                         is free), "not-costly" (order <= 3:
 *                                         the index is not consulted),
 *                                         "compact" or "reclaim" (what
 *                                         compaction_suitable() decides)
 *     "compaction_score": 12,             percent of free memory in blocks
 *                                         below thp_order (extfrag_for_order)
 *     "present_pages": N,                 with zoneinfo only
 *     "compaction_score_weighted": N      with zoneinfo only
 *   } ],
 *   "compaction": [ {                     per node; empty without zoneinfo
 *     "node": 0,
 *     "thp_order": 9,                     the order proactive compaction scores
 *     "present_pages": N,                 node_present_pages
 *     "score": 1,                         sum of the weighted zone scores
 *     "wmark_low": 80, "wmark_high": 90,  null without compaction_proactiveness
 *     "wmark_rule": "6.16+" | "5.9-6.15", null likewise
 *     "would_start": false,               score > wmark_high and enabled; null likewise
 *     "state": "would start" | "idle" | "disabled" | null
 *   } ],
 *   "unavailable": [...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "views.h"
#include "../analysis/frag.h"
#include "../render/units.h"

#define DEFAULT_EXTFRAG_THRESHOLD 500

/* One node's proactive compaction state. */
struct node_score {
	int node;
	uint64_t present;   /* node_present_pages: every zone's present, populated or not */
	unsigned score;     /* sum of the weighted zone scores */
	bool complete;      /* every populated zone had present pages to weigh */
};

struct frag_ctx {
	const struct machine *m;
	const struct zone_view *zv;
	size_t nz;
	unsigned nr;               /* orders */
	int64_t threshold;
	bool threshold_known;
	bool proactiveness_known;
	struct frag_proactive_marks marks;
	unsigned thp_order;
	struct node_score *nodes;  /* empty without zoneinfo */
	size_t nn;
};

/* ---- --kernel-format ------------------------------------------------ */

static int kernel_format_pick(const struct options *o, bool *unusable, bool *extfrag)
{
	*unusable = *extfrag = true;
	if (!o->output)
		return EXIT_OK;
	if (strcmp(o->output, "help") == 0) {
		printf("Files of 'frag --kernel-format' (-o NAME prints one, without header):\n"
		       "  unusable        /sys/kernel/debug/extfrag/unusable_index\n"
		       "  extfrag         /sys/kernel/debug/extfrag/extfrag_index\n");
		return -1;
	}
	if (!strcasecmp(o->output, "unusable") || !strcasecmp(o->output, "unusable_index")) {
		*extfrag = false;
		return EXIT_OK;
	}
	if (!strcasecmp(o->output, "extfrag") || !strcasecmp(o->output, "extfrag_index")) {
		*unusable = false;
		return EXIT_OK;
	}
	fprintf(stderr, "fragscope: unknown file '%s' for --kernel-format (use unusable or extfrag)\n",
		o->output);
	fputs("Try 'fragscope frag --kernel-format -o help' for the list.\n", stderr);
	return EXIT_USAGE;
}

static int kernel_format_print(const struct machine *m, enum frag_file which, const char *header)
{
	struct buf b = BUF_INIT;

	if (frag_kernel_format_release(&m->buddy, which, m->kernel_release, &b) < 0) {
		buf_free(&b);
		cli_error("out of memory");
		return EXIT_INPUT;
	}
	if (header)
		printf("==> %s <==\n", header);
	fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
	return EXIT_OK;
}

static int kernel_format(const struct options *o)
{
	struct source *src = NULL;
	struct machine m;
	bool unusable, extfrag;
	int rc;

	if (o->json) {
		fputs("fragscope: --kernel-format prints the kernel's text; it does not apply to --json\n"
		      "Try 'fragscope --help' for more information.\n", stderr);
		return EXIT_USAGE;
	}
	rc = kernel_format_pick(o, &unusable, &extfrag);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	/* Only buddyinfo: nothing else shapes these files. */
	rc = cli_load(o, IN_BIT(IN_BUDDYINFO), IN_BIT(IN_BUDDYINFO), &src, &m);
	if (src && m.in[IN_BUDDYINFO].loaded) {
		bool both = unusable && extfrag;

		if (unusable)
			cli_status(&rc, kernel_format_print(&m, FRAG_UNUSABLE, both ? "unusable_index" : NULL));
		if (both)
			fputc('\n', stdout);
		if (extfrag)
			cli_status(&rc, kernel_format_print(&m, FRAG_EXTFRAG, both ? "extfrag_index" : NULL));
	}
	machine_free(&m);
	source_free(src);
	return rc;
}

/* ---- the numbers ---------------------------------------------------- */

/*
 * Per order, what the kernel does about a failed allocation of that order
 * (JSON names; the table prints "-" for "not-costly").  "ok": a block of
 * the order is free, the index is -1000 and not consulted.
 */
static const char *order_advice(const struct frag_ctx *c, const uint64_t *free, unsigned order)
{
	int index = frag_extfrag_index(free, c->nr, order);

	if (index == -1000)
		return "ok";
	return frag_advice_name(frag_advice(index, order, c->threshold));
}

/* Index of node in c->nodes, or c->nn. */
static size_t node_index(const struct frag_ctx *c, int node)
{
	size_t i;

	for (i = 0; i < c->nn; i++)
		if (c->nodes[i].node == node)
			break;
	return i;
}

static const struct node_score *node_find(const struct frag_ctx *c, int node)
{
	size_t i = node_index(c, node);

	return i < c->nn ? &c->nodes[i] : NULL;
}

/* present pages of a zone, when zoneinfo printed them. */
static bool zone_present(const struct zone_view *v, uint64_t *ret)
{
	if (!v->zi || !(v->zi->have & ZI_PRESENT))
		return false;
	*ret = v->zi->present;
	return true;
}

/*
 * fragmentation_score_node() for every node with a zone in buddyinfo.
 * node_present_pages sums every zone of the node in zoneinfo, populated
 * or not (unpopulated ones add 0).  Needs zoneinfo; else no nodes.
 */
static int compute_nodes(struct frag_ctx *c)
{
	const struct zoneinfo *zi = &c->m->zi;

	if (!c->m->in[IN_ZONEINFO].loaded || c->nz == 0)
		return 0;
	c->nodes = calloc(c->nz, sizeof(*c->nodes));
	if (!c->nodes)
		return -1;
	for (size_t i = 0; i < c->nz; i++) {
		if (!c->zv[i].bz || node_index(c, c->zv[i].node) < c->nn)
			continue;
		c->nodes[c->nn].node = c->zv[i].node;
		c->nodes[c->nn].complete = true;
		for (size_t k = 0; k < zi->n; k++)
			if (zi->z[k].node == c->zv[i].node && (zi->z[k].have & ZI_PRESENT))
				c->nodes[c->nn].present += zi->z[k].present;
		c->nn++;
	}
	for (size_t i = 0; i < c->nz; i++) {
		const struct zone_view *v = &c->zv[i];
		size_t k = node_index(c, v->node);
		struct node_score *ns;
		uint64_t present;

		if (!v->bz || k == c->nn)
			continue;
		ns = &c->nodes[k];
		if (!zone_present(v, &present)) {
			ns->complete = false;
			continue;
		}
		ns->score += frag_score_weighted(frag_extfrag_percent(v->bz->free, c->nr, c->thp_order),
						 present, ns->present);
	}
	return 0;
}

static const char *node_state(const struct frag_ctx *c, const struct node_score *ns)
{
	if (!c->proactiveness_known || !ns->complete)
		return NULL;
	if (!c->marks.enabled)
		return "disabled";
	return ns->score > c->marks.high ? "would start" : "idle";
}

static void ctx_init(struct frag_ctx *c, const struct machine *m, const struct zone_view *zv, size_t nz)
{
	const struct sysvm *vm = &m->vm;
	bool have_vm = m->in[IN_SYSVM].loaded;

	memset(c, 0, sizeof(*c));
	c->m = m;
	c->zv = zv;
	c->nz = nz;
	c->nr = m->buddy.nr_orders < FS_MAX_ORDERS ? m->buddy.nr_orders : FS_MAX_ORDERS;
	c->threshold_known = have_vm && (vm->have & SYSVM_EXTFRAG_THRESHOLD);
	c->threshold = c->threshold_known ? vm->extfrag_threshold : DEFAULT_EXTFRAG_THRESHOLD;
	c->proactiveness_known = have_vm && (vm->have & SYSVM_COMPACTION_PROACTIVENESS);
	if (c->proactiveness_known)
		frag_proactive_marks(vm->compaction_proactiveness, m->kernel_release, &c->marks);
	c->thp_order = frag_thp_order(m->page_size);
}

/* ---- text ----------------------------------------------------------- */

static struct table *index_table(const struct frag_ctx *c)
{
	struct table *t = table_new("indices");
	int c_node, c_zone, c_order, c_bsize, c_blocks, c_suit, c_usable, c_unus, c_ext, c_adv;

	if (!t)
		return NULL;
	c_node = table_add_column(t, "NODE", TABLE_U64, TABLE_RIGHT, "NUMA node");
	c_zone = table_add_column(t, "ZONE", TABLE_STR, 0, "zone");
	c_order = table_add_column(t, "ORDER", TABLE_U64, TABLE_RIGHT, "allocation order (2^order pages)");
	c_bsize = table_add_column(t, "BLOCK", TABLE_BYTES, TABLE_RIGHT | TABLE_HIDDEN,
				   "size of one block of this order");
	c_blocks = table_add_column(t, "BLOCKS", TABLE_U64, TABLE_RIGHT, "free blocks of this order (buddyinfo)");
	c_suit = table_add_column(t, "SUITABLE", TABLE_U64, TABLE_RIGHT | TABLE_HIDDEN,
				  "order-sized pieces the free blocks of this order or larger give");
	c_usable = table_add_column(t, "USABLE", TABLE_BYTES, TABLE_RIGHT | TABLE_HIDDEN,
				    "free memory in blocks of this order or larger");
	c_unus = table_add_column(t, "UNUSABLE", TABLE_STR, TABLE_RIGHT,
				  "unusable free space index: share of free memory in smaller blocks");
	c_ext = table_add_column(t, "EXTFRAG", TABLE_STR, TABLE_RIGHT,
				 "fragmentation index: towards 0 lack of memory, towards 1 fragmentation; -1 a block is free");
	c_adv = table_add_column(t, "ADVICE", TABLE_STR, 0,
				 "ok: a block is free; else, for orders > 3, compact or reclaim as the kernel would");
	if (c_adv < 0)
		goto fail;
	for (size_t i = 0; i < c->nz; i++) {
		const struct buddy_zone *bz = c->zv[i].bz;

		if (!bz)
			continue;
		for (unsigned o = 0; o < c->nr; o++) {
			struct frag_contig ci;
			const char *adv = order_advice(c, bz->free, o);
			char v[32];

			if (table_new_row(t) < 0)
				goto fail;
			frag_contig_info(bz->free, c->nr, o, &ci);
			table_set_u64(t, c_node, (uint64_t)bz->node);
			table_set_str(t, c_zone, bz->zone);
			table_set_u64(t, c_order, o);
			table_set_u64(t, c_bsize, c->m->page_size << o);
			table_set_u64(t, c_blocks, bz->free[o]);
			table_set_u64(t, c_suit, ci.free_blocks_suitable);
			table_set_u64(t, c_usable, (ci.free_blocks_suitable << o) * c->m->page_size);
			frag_format_decimal(frag_unusable_index(bz->free, c->nr, o), v, sizeof(v));
			table_set_str(t, c_unus, v);
			frag_format_decimal(frag_extfrag_index(bz->free, c->nr, o), v, sizeof(v));
			table_set_str(t, c_ext, v);
			table_set_str(t, c_adv, strcmp(adv, "not-costly") ? adv : "-");
			if (!strcmp(adv, "ok"))
				table_set_color(t, c_adv, TABLE_COLOR_GOOD);
			else if (!strcmp(adv, "compact"))
				table_set_color(t, c_adv, TABLE_COLOR_WARN);
			else if (!strcmp(adv, "reclaim"))
				table_set_color(t, c_adv, TABLE_COLOR_BAD);
		}
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

static struct table *zone_score_table(const struct frag_ctx *c)
{
	struct table *t;
	int c_node, c_zone, c_present, c_score, c_weighted;

	t = table_new("zone-scores");
	if (!t)
		return NULL;
	c_node = table_add_column(t, "NODE", TABLE_U64, TABLE_RIGHT, "NUMA node");
	c_zone = table_add_column(t, "ZONE", TABLE_STR, 0, "zone");
	c_present = table_add_column(t, "PRESENT", TABLE_BYTES, TABLE_RIGHT, "memory present in the zone (zoneinfo)");
	c_score = table_add_column(t, "ZONESCORE", TABLE_U64, TABLE_RIGHT,
				   "percent of the zone's free memory in blocks below the THP order");
	c_weighted = table_add_column(t, "WEIGHTED", TABLE_U64, TABLE_RIGHT,
				      "zone score x present / (node present + 1): its share of the node score");
	if (c_weighted < 0)
		goto fail;
	for (size_t i = 0; i < c->nz; i++) {
		const struct zone_view *v = &c->zv[i];
		const struct node_score *ns;
		uint64_t present;
		unsigned score;

		if (!v->bz)
			continue;
		if (table_new_row(t) < 0)
			goto fail;
		score = frag_extfrag_percent(v->bz->free, c->nr, c->thp_order);
		table_set_u64(t, c_node, (uint64_t)v->node);
		table_set_str(t, c_zone, v->name);
		table_set_u64(t, c_score, score);
		/* Without zoneinfo there is nothing to weigh by. */
		ns = node_find(c, v->node);
		if (ns && zone_present(v, &present)) {
			table_set_u64(t, c_present, present * c->m->page_size);
			table_set_u64(t, c_weighted, frag_score_weighted(score, present, ns->present));
		}
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

static struct table *node_table(const struct frag_ctx *c)
{
	struct table *t;
	int c_node, c_score, c_low, c_high, c_verdict;

	if (c->nn == 0)
		return NULL;
	t = table_new("nodes");
	if (!t)
		return NULL;
	c_node = table_add_column(t, "NODE", TABLE_U64, TABLE_RIGHT, "NUMA node");
	c_score = table_add_column(t, "SCORE", TABLE_U64, TABLE_RIGHT,
				   "node fragmentation score: sum of the weighted zone scores");
	c_low = table_add_column(t, "LOW", TABLE_U64, TABLE_RIGHT, "proactive compaction stops at or below this score");
	c_high = table_add_column(t, "HIGH", TABLE_U64, TABLE_RIGHT, "proactive compaction starts above this score");
	c_verdict = table_add_column(t, "VERDICT", TABLE_STR, 0,
				     "would start (score > HIGH), idle, or disabled (proactiveness 0)");
	if (c_verdict < 0)
		goto fail;
	for (size_t i = 0; i < c->nn; i++) {
		const struct node_score *ns = &c->nodes[i];
		const char *state = node_state(c, ns);

		if (table_new_row(t) < 0)
			goto fail;
		table_set_u64(t, c_node, (uint64_t)ns->node);
		if (ns->complete)
			table_set_u64(t, c_score, ns->score);
		if (c->proactiveness_known) {
			table_set_u64(t, c_low, c->marks.low);
			table_set_u64(t, c_high, c->marks.high);
		}
		if (state) {
			table_set_str(t, c_verdict, state);
			table_set_color(t, c_verdict, !strcmp(state, "would start") ? TABLE_COLOR_WARN :
					!strcmp(state, "idle") ? TABLE_COLOR_GOOD : TABLE_COLOR_DIM);
		}
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

static void index_title(const struct frag_ctx *c, char *out, size_t n)
{
	if (c->threshold_known)
		snprintf(out, n, "Fragmentation indices per order (vm.extfrag_threshold %lld):",
			 (long long)c->threshold);
	else
		snprintf(out, n, "Fragmentation indices per order (vm.extfrag_threshold unknown, "
			 "kernel default %d assumed):", DEFAULT_EXTFRAG_THRESHOLD);
}

/* The THP order follows from the page size, so say where that came from. */
static void zone_title(const struct frag_ctx *c, char *out, size_t n)
{
	char ps[UNITS_BUFSZ];
	enum page_size_source src = c->m->page_size_src;

	snprintf(out, n, "Proactive compaction score per zone at order %u (THP with %s pages%s):",
		 c->thp_order, units_bytes(c->m->page_size, ps),
		 src == PAGE_SIZE_ASSUMED ? ", page size assumed" :
		 src == PAGE_SIZE_INFERRED ? ", page size inferred from meminfo/vmstat" : "");
}

static void node_title(const struct frag_ctx *c, char *out, size_t n)
{
	const char *rule = !c->m->kernel_release[0] ? ", marks by the 6.16+ rule (kernel release unknown)" : "";

	if (!c->proactiveness_known)
		snprintf(out, n, "Proactive compaction per node (vm.compaction_proactiveness unknown: no verdict):");
	else
		snprintf(out, n, "Proactive compaction per node (vm.compaction_proactiveness %lld%s):",
			 (long long)c->m->vm.compaction_proactiveness, rule);
}

static const char legend[] =
	"UNUSABLE: share of free memory in blocks too small for the order.  EXTFRAG: why an\n"
	"allocation of the order would fail: towards 0 lack of memory, towards 1 fragmentation;\n"
	"-1.000 when a block of the order is free.  ADVICE for orders above 3 with no free block:\n"
	"compact, or reclaim when 0 <= EXTFRAG <= extfrag_threshold (the kernel's rule).\n";

static int frag_text(const struct options *o, const struct frag_ctx *c)
{
	char t0[128], t1[160], t2[192];
	struct table *t[3] = { index_table(c), zone_score_table(c), node_table(c) };
	const char *titles[3] = { t0, t1, t2 };
	int r;

	index_title(c, t0, sizeof(t0));
	zone_title(c, t1, sizeof(t1));
	node_title(c, t2, sizeof(t2));
	r = cli_select_columns(o, t, 3);
	if (r) {
		for (int i = 0; i < 3; i++)
			table_free(t[i]);
		return r > 0 ? r : EXIT_OK; /* -1: "-o help" was printed */
	}
	view_print_tables(o, t, titles, 3);
	if (!o->raw && !o->noheadings && !o->output)
		printf("\n%s", legend);
	return EXIT_OK;
}

/* ---- JSON ----------------------------------------------------------- */

static void json_index_arrays(struct json *j, const char *key, const char *key_milli,
			      const uint64_t *free, unsigned nr, enum frag_file which)
{
	int v[FS_MAX_ORDERS];

	for (unsigned o = 0; o < nr; o++)
		v[o] = which == FRAG_UNUSABLE ? frag_unusable_index(free, nr, o) : frag_extfrag_index(free, nr, o);
	json_key(j, key);
	json_begin_array(j);
	for (unsigned o = 0; o < nr; o++)
		json_double(j, v[o] / 1000.0, 3);
	json_end_array(j);
	json_key(j, key_milli);
	json_begin_array(j);
	for (unsigned o = 0; o < nr; o++)
		json_i64(j, v[o]);
	json_end_array(j);
}

static void json_zone(struct json *j, const struct frag_ctx *c, const struct zone_view *v)
{
	const struct buddy_zone *bz = v->bz;
	const struct node_score *ns = node_find(c, v->node);
	unsigned score = frag_extfrag_percent(bz->free, c->nr, c->thp_order);
	uint64_t present;

	json_begin_object(j);
	json_kv_u64(j, "node", (uint64_t)bz->node);
	json_kv_string(j, "zone", bz->zone);
	json_kv_u64(j, "free_pages", buddy_zone_free_pages(bz, c->nr));
	json_key(j, "free_blocks");
	json_begin_array(j);
	for (unsigned o = 0; o < c->nr; o++)
		json_u64(j, bz->free[o]);
	json_end_array(j);
	json_index_arrays(j, "unusable_index", "unusable_index_milli", bz->free, c->nr, FRAG_UNUSABLE);
	json_index_arrays(j, "extfrag_index", "extfrag_index_milli", bz->free, c->nr, FRAG_EXTFRAG);
	json_key(j, "advice");
	json_begin_array(j);
	for (unsigned o = 0; o < c->nr; o++)
		json_string(j, order_advice(c, bz->free, o));
	json_end_array(j);
	json_kv_u64(j, "compaction_score", score);
	if (ns && zone_present(v, &present)) {
		json_kv_u64(j, "present_pages", present);
		json_kv_u64(j, "compaction_score_weighted", frag_score_weighted(score, present, ns->present));
	}
	json_end_object(j);
}

static void json_node(struct json *j, const struct frag_ctx *c, const struct node_score *ns)
{
	const char *state = node_state(c, ns);

	json_begin_object(j);
	json_kv_u64(j, "node", (uint64_t)ns->node);
	json_kv_u64(j, "thp_order", c->thp_order);
	json_kv_u64(j, "present_pages", ns->present);
	json_key(j, "score");
	if (ns->complete)
		json_u64(j, ns->score);
	else
		json_null(j);
	json_key(j, "wmark_low");
	if (c->proactiveness_known)
		json_u64(j, c->marks.low);
	else
		json_null(j);
	json_key(j, "wmark_high");
	if (c->proactiveness_known)
		json_u64(j, c->marks.high);
	else
		json_null(j);
	json_kv_string(j, "wmark_rule", !c->proactiveness_known ? NULL :
		       c->marks.leeway_rule ? "6.16+" : "5.9-6.15");
	json_key(j, "would_start");
	if (state)
		json_bool(j, !strcmp(state, "would start"));
	else
		json_null(j);
	json_kv_string(j, "state", state);
	json_end_object(j);
}

static void frag_json(struct json *j, const struct frag_ctx *c)
{
	json_kv_u64(j, "nr_orders", c->nr);
	json_kv_i64(j, "extfrag_threshold", c->threshold);
	json_kv_string(j, "extfrag_threshold_source", c->threshold_known ? "sysctl" : "kernel default");
	json_key(j, "compaction_proactiveness");
	if (c->proactiveness_known)
		json_i64(j, c->m->vm.compaction_proactiveness);
	else
		json_null(j);
	json_key(j, "zones");
	json_begin_array(j);
	for (size_t i = 0; i < c->nz; i++)
		if (c->zv[i].bz)
			json_zone(j, c, &c->zv[i]);
	json_end_array(j);
	json_key(j, "compaction");
	json_begin_array(j);
	for (size_t i = 0; i < c->nn; i++)
		json_node(j, c, &c->nodes[i]);
	json_end_array(j);
}

/* ---- the command ---------------------------------------------------- */

/* What the missing optional inputs take away, beyond cli_check_inputs'
 * generic line. */
static void report_gaps(const struct options *o, const struct frag_ctx *c)
{
	if (o->json)
		return;
	if (!c->m->in[IN_ZONEINFO].loaded)
		fputs("fragscope: node compaction scores not shown: they weigh zones by present pages "
		      "(zoneinfo)\n", stderr);
	else if (c->m->in[IN_SYSVM].loaded && !c->proactiveness_known)
		fputs("fragscope: no vm.compaction_proactiveness (kernels before 5.9 have no proactive "
		      "compaction): score without verdict\n", stderr);
}

int cmd_frag(struct options *o)
{
	const unsigned mask = IN_BIT(IN_BUDDYINFO) | IN_BIT(IN_ZONEINFO) | IN_BIT(IN_SYSVM);
	struct zone_view *zv = NULL;
	struct source *src = NULL;
	struct frag_ctx c = { 0 };
	struct machine m;
	size_t nz = 0;
	int rc, r;

	if (o->kernel_format)
		return kernel_format(o);
	rc = cli_load(o, mask, IN_BIT(IN_BUDDYINFO), &src, &m);
	if (!src || !m.in[IN_BUDDYINFO].loaded)
		goto out;
	r = cli_zones(&m, &zv, &nz);
	if (r) {
		cli_status(&rc, r);
		goto out;
	}
	ctx_init(&c, &m, zv, nz);
	if (compute_nodes(&c) < 0) {
		cli_error("out of memory");
		cli_status(&rc, EXIT_INPUT);
		goto out;
	}
	report_gaps(o, &c);
	if (o->json) {
		struct json *j = cli_json_begin(o, &m, "frag");

		if (!j) {
			cli_status(&rc, EXIT_INPUT);
			goto out;
		}
		frag_json(j, &c);
		cli_json_end(j, &m, mask);
	} else {
		r = frag_text(o, &c);
		if (r == EXIT_USAGE)
			rc = r; /* a bad -o wins over any input status, as in buddy */
		else
			cli_status(&rc, r);
	}
out:
	free(c.nodes);
	free(zv);
	machine_free(&m);
	source_free(src);
	return rc;
}
