/*
 * cmd-predict.c - "fragscope predict --order N [--gfp CLASS] [--node N]
 * [--count K]": would an allocation of that class and order succeed now,
 * from which zone, and if not, why not and what the kernel would do; and
 * how many in a row would succeed before the first failure.
 *
 * Exit status 0 when all K would be served from the free lists (fast or
 * slow path, no reclaim or compaction), 1 when not, so scripts can gate
 * on it:  fragscope predict --gfp hugetlb --count 512 && reserve-hugepages
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "views.h"
#include "../analysis/alloc.h"
#include "../analysis/frag.h"
#include "../render/units.h"

#define PREDICT_INPUTS (IN_BIT(IN_BUDDYINFO) | IN_BIT(IN_ZONEINFO) | IN_BIT(IN_PAGETYPEINFO) | \
			IN_BIT(IN_SYSVM) | IN_BIT(IN_NODES) | IN_BIT(IN_MEMINFO))
#define PREDICT_REQUIRED (IN_BIT(IN_BUDDYINFO) | IN_BIT(IN_ZONEINFO))

static void list_classes(FILE *f)
{
	fputs("Allocation classes (--gfp):\n", f);
	for (size_t i = 0; i < alloc_nr_classes; i++) {
		const struct gfp_class *c = &alloc_classes[i];

		fprintf(f, "  %-22s 0x%-7x %s%s\n", c->name, (unsigned)c->gfp, c->summary,
			c->fixed_order ? " [order: the PMD size]" : "");
	}
}

/*
 * The class and order from the options.  Returns EXIT_OK, EXIT_USAGE
 * (after printing why), or -1 for "--gfp help" (listed, exit 0).
 */
int predict_parse_request(const struct options *o, const struct machine *m,
			  const struct alloc_model *am, struct alloc_request *req)
{
	const struct gfp_class *cls = alloc_class_find(o->gfp ? o->gfp : "GFP_KERNEL");
	bool from_meminfo;
	unsigned pmd = alloc_pmd_order(m->in[IN_MEMINFO].loaded ? &m->meminfo : NULL, m->page_size,
				       am->nr_orders, &from_meminfo);

	memset(req, 0, sizeof(*req));
	if (o->gfp && strcmp(o->gfp, "help") == 0) {
		list_classes(stdout);
		return -1;
	}
	if (!cls) {
		cli_error("unknown allocation class '%s' (try --gfp help)", o->gfp);
		return EXIT_USAGE;
	}
	req->cls = cls;
	req->gfp = cls->gfp;
	req->count = o->count ? o->count : 1;
	if (cls->fixed_order) {
		if ((o->used & OPT_ORDER) && (unsigned)o->order != pmd) {
			char sz[UNITS_BUFSZ];

			cli_error("%s allocations are order %u (%s with %llu-byte pages%s), not order %d",
				  cls->name, pmd, units_bytes(m->page_size << pmd, sz),
				  (unsigned long long)m->page_size,
				  from_meminfo ? ", Hugepagesize in meminfo" : "", o->order);
			return EXIT_USAGE;
		}
		req->order = pmd;
	} else if (!(o->used & OPT_ORDER)) {
		cli_error("predict needs --order N (the allocation is 2^N pages)");
		return EXIT_USAGE;
	} else {
		req->order = (unsigned)o->order;
	}
	if (req->order >= am->nr_orders) {
		char sz[UNITS_BUFSZ];

		cli_error("order %u is above the largest order the buddy allocator keeps here"
			  " (%u: blocks of %s); such allocations need alloc_contig_pages()",
			  req->order, am->nr_orders - 1,
			  units_bytes(m->page_size << (am->nr_orders - 1), sz));
		return EXIT_USAGE;
	}
	if (o->used & OPT_NODE) {
		if (!alloc_model_node((struct alloc_model *)am, o->node)) {
			cli_error("node %d has no zones in zoneinfo", o->node);
			return EXIT_USAGE;
		}
		req->node = o->node;
	} else {
		unsigned cpu, node;

		/* As the kernel would: the node of the CPU we run on (on the
		 * live machine), else the first node with zones. */
		req->node = am->nodes[0].id;
		if (m->live && getcpu(&cpu, &node) == 0 && node <= INT_MAX &&
		    alloc_model_node((struct alloc_model *)am, (int)node))
			req->node = (int)node;
	}
	return EXIT_OK;
}

/* Notes on what the prediction cannot see, for text and JSON. */
static size_t predict_notes(const struct machine *m, const struct alloc_model *am,
			    const struct alloc_prediction *p, const char **notes, size_t max)
{
	size_t n = 0;
	bool guessed = false;

	for (size_t i = 0; i < p->nzl; i++)
		guessed |= p->zl[i].z->kidx_guessed;
	if (p->estimate_no_mt && n < max)
		notes[n++] = (m->in[IN_PAGETYPEINFO].err == -EACCES || m->in[IN_PAGETYPEINFO].err == -EPERM) ?
			"free lists per migratetype unknown (pagetypeinfo needs root): every free block is"
			" taken to be usable, so HighAtomic and CMA reserves are not excluded" :
			"free lists per migratetype unknown (no pagetypeinfo): every free block is taken to be"
			" usable, so HighAtomic and CMA reserves are not excluded";
	if (!am->extfrag_threshold_known && n < max)
		notes[n++] = "vm.extfrag_threshold not readable: the default 500 is assumed";
	if (am->nn > 1 && !am->distances_known && n < max)
		notes[n++] = "NUMA distances unknown: other nodes are tried in id order";
	if (guessed && n < max)
		notes[n++] = "zoneinfo lists only populated zones (kernel < 4.12): zone indices for the"
			" protection array follow the usual zone order";
	if (p->req.order <= 3 && n < max)
		notes[n++] = "pages on per-CPU lists (zoneinfo pagesets) can also serve orders <= 3 and are"
			" not counted as free";
	if (p->req.count > 1 && n < max)
		notes[n++] = "the run takes blocks from the free lists as the kernel would, with no reclaim,"
			" compaction, kswapd or other allocations in between";
	return n;
}

static const char *yes_no(bool v)
{
	return v ? "yes" : "no";
}

static struct table *zonelist_table(const struct alloc_model *am, const struct alloc_prediction *p)
{
	struct table *t = table_new("zonelist");
	int c_node, c_zone, c_free, c_usable, c_low, c_min, c_prot, c_block, c_ix, c_fast, c_slow,
	    c_out, c_served = -1, c_why;

	if (!t)
		return NULL;
	c_node = table_add_column(t, "NODE", TABLE_U64, TABLE_RIGHT, "NUMA node");
	c_zone = table_add_column(t, "ZONE", TABLE_STR, 0, "zone, in the order the allocator tries them");
	c_free = table_add_column(t, "FREE", TABLE_U64, TABLE_RIGHT, "free pages (zoneinfo pages free)");
	c_usable = table_add_column(t, "USABLE", TABLE_I64, TABLE_RIGHT,
				    "free pages the check counts: minus 2^order-1, HighAtomic and CMA unless allowed");
	c_low = table_add_column(t, "LOW", TABLE_U64, TABLE_RIGHT, "low watermark (fast path), pages");
	c_min = table_add_column(t, "MIN", TABLE_U64, TABLE_RIGHT,
				 "min watermark after the class's reserve reductions (slow path), pages");
	c_prot = table_add_column(t, "PROT", TABLE_U64, TABLE_RIGHT,
				  "protection (lowmem_reserve) against this class's highest zone, pages");
	c_block = table_add_column(t, "BLOCK", TABLE_STR, 0, "a free block of the order or larger on a usable list");
	c_ix = table_add_column(t, "EXTFRAG", TABLE_STR, TABLE_RIGHT, "fragmentation index at the order");
	c_fast = table_add_column(t, "FAST", TABLE_STR, 0, "passes the fast-path check (low watermark)");
	c_slow = table_add_column(t, "SLOW", TABLE_STR, 0, "passes the slow-path check (min watermark, reserves)");
	c_out = table_add_column(t, "OUTCOME", TABLE_STR, 0, "ok, ok-slow, compact, reclaim or fail in this zone");
	if (p->req.count > 1)
		c_served = table_add_column(t, "SERVED", TABLE_U64, TABLE_RIGHT,
					    "allocations of the --count run this zone served");
	c_why = table_add_column(t, "WHY", TABLE_STR, TABLE_HIDDEN, "the reason for the zone's outcome");
	for (size_t i = 0; i < p->nzl; i++) {
		const struct alloc_zone_result *r = &p->zl[i];
		char ix[16], why[512];

		if (table_new_row(t) < 0)
			break;
		table_set_u64(t, c_node, (uint64_t)r->z->node);
		table_set_str(t, c_zone, r->z->name);
		table_set_u64(t, c_free, r->z->free);
		table_set_i64(t, c_usable, r->fast.free);
		table_set_u64(t, c_low, r->fast.min);
		table_set_u64(t, c_min, r->slow.min);
		table_set_u64(t, c_prot, r->fast.protection);
		table_set_str(t, c_block, yes_no(r->slow.block_ok));
		frag_format_decimal(r->fragindex, ix, sizeof(ix));
		table_set_str(t, c_ix, ix);
		table_set_str(t, c_fast, r->fast.ok ? "ok" : "no");
		table_set_color(t, c_fast, r->fast.ok ? TABLE_COLOR_GOOD : TABLE_COLOR_WARN);
		table_set_str(t, c_slow, r->slow.ok ? "ok" : "no");
		table_set_color(t, c_slow, r->slow.ok ? TABLE_COLOR_GOOD : TABLE_COLOR_BAD);
		table_set_str(t, c_out, alloc_outcome_name(r->outcome));
		if (c_served >= 0)
			table_set_u64(t, c_served, p->served_per_zone[i]);
		table_set_str(t, c_why, alloc_explain_zone(am, p, r, why, sizeof(why)));
	}
	return t;
}

static void print_text(const struct options *o, const struct machine *m, const struct alloc_model *am,
		       const struct alloc_prediction *p, const char **notes, size_t nn, int *rc)
{
	struct table *t[1] = { zonelist_table(am, p) };
	const char *titles[1];
	char head[256], fast[128], slow[128], sz[UNITS_BUFSZ], why[1024];
	bool all = p->served >= p->req.count;
	int r;

	alloc_flags_str(p->flags_fast, fast, sizeof(fast));
	alloc_flags_str(p->flags_slow, slow, sizeof(slow));
	snprintf(head, sizeof(head), "%s (gfp 0x%x), order %u (%s), preferred node %d:",
		 p->req.cls->name, (unsigned)p->req.gfp, p->req.order,
		 units_bytes(m->page_size << p->req.order, sz), p->req.node);
	titles[0] = head;
	r = cli_select_columns(o, t, 1);
	if (r) {
		table_free(t[0]);
		if (r > 0)
			*rc = r;
		return;
	}
	view_print_tables(o, t, titles, 1);
	if (o->output || o->raw || o->noheadings)
		return;
	printf("\nFlags: fast path %s; slow path %s\n", fast, slow);
	printf("Verdict: %s: %s\n", alloc_outcome_name(p->outcome), alloc_explain(am, p, why, sizeof(why)));
	if (p->req.count > 1) {
		char a[UNITS_BUFSZ + 8], b[UNITS_BUFSZ + 8];

		printf("Count: %s of %s would succeed", units_group(p->served, a), units_group(p->req.count, b));
		if (p->served_slow)
			printf(" (%s only in the slow path)", units_group(p->served_slow, a));
		if (!all)
			printf("; the next one: %s", alloc_outcome_name(p->stop_outcome));
		putchar('\n');
	}
	for (size_t i = 0; i < nn; i++)
		printf("%s %s\n", i ? "      " : "Notes:", notes[i]);
}

static void print_check_json(struct json *j, const char *key, const struct alloc_check *c)
{
	json_key(j, key);
	json_begin_object(j);
	json_kv_bool(j, "ok", c->ok);
	json_kv_bool(j, "watermark_ok", c->wmark_ok);
	json_kv_bool(j, "block_available", c->block_ok);
	json_kv_i64(j, "usable_pages", c->free);
	json_kv_u64(j, "watermark_pages", c->mark);
	json_kv_u64(j, "effective_min_pages", c->min);
	json_kv_u64(j, "protection_pages", c->protection);
	json_kv_u64(j, "minus_order_pages", c->minus_order);
	json_kv_u64(j, "minus_highatomic_pages", c->minus_highatomic);
	json_kv_u64(j, "minus_cma_pages", c->minus_cma);
	json_end_object(j);
}

static void print_json(const struct options *o, const struct machine *m, const struct alloc_model *am,
		       const struct alloc_prediction *p, const char **notes, size_t nn)
{
	struct json *j = cli_json_begin(o, m, "predict");
	char buf[1024];

	if (!j)
		return;
	json_key(j, "request");
	json_begin_object(j);
	json_kv_string(j, "class", p->req.cls->name);
	snprintf(buf, sizeof(buf), "0x%x", (unsigned)p->req.gfp);
	json_kv_string(j, "gfp_mask", buf);
	json_kv_u64(j, "order", p->req.order);
	json_kv_u64(j, "pages", UINT64_C(1) << p->req.order);
	json_kv_u64(j, "bytes", m->page_size << p->req.order);
	json_kv_i64(j, "node", p->req.node);
	json_kv_u64(j, "count", p->req.count);
	json_end_object(j);
	json_key(j, "alloc_flags");
	json_begin_object(j);
	alloc_flags_str(p->flags_fast, buf, sizeof(buf));
	json_kv_string(j, "fast", buf);
	alloc_flags_str(p->flags_slow, buf, sizeof(buf));
	json_kv_string(j, "slow", buf);
	json_end_object(j);
	json_kv_i64(j, "extfrag_threshold", am->extfrag_threshold);
	json_key(j, "zonelist");
	json_begin_array(j);
	for (size_t i = 0; i < p->nzl; i++) {
		const struct alloc_zone_result *r = &p->zl[i];

		json_begin_object(j);
		json_kv_i64(j, "node", r->z->node);
		json_kv_string(j, "zone", r->z->name);
		json_kv_i64(j, "zone_index", r->z->kidx);
		json_kv_u64(j, "free_pages", r->z->free);
		print_check_json(j, "fast", &r->fast);
		print_check_json(j, "slow", &r->slow);
		json_kv_i64(j, "extfrag_index_milli", r->fragindex);
		json_kv_bool(j, "compaction_suitable", r->compact_suitable);
		json_kv_string(j, "outcome", alloc_outcome_name(r->outcome));
		json_kv_string(j, "reason", alloc_explain_zone(am, p, r, buf, sizeof(buf)));
		json_kv_u64(j, "served", p->served_per_zone[i]);
		json_end_object(j);
	}
	json_end_array(j);
	json_key(j, "verdict");
	json_begin_object(j);
	json_kv_string(j, "outcome", alloc_outcome_name(p->outcome));
	json_kv_bool(j, "success", p->outcome == ALLOC_OK_FAST || p->outcome == ALLOC_OK_SLOW);
	json_key(j, "served_by");
	if (p->served_by >= 0) {
		json_begin_object(j);
		json_kv_i64(j, "node", p->zl[p->served_by].z->node);
		json_kv_string(j, "zone", p->zl[p->served_by].z->name);
		json_kv_string(j, "path", p->outcome == ALLOC_OK_FAST ? "fast" : "slow");
		json_end_object(j);
	} else {
		json_null(j);
	}
	json_kv_string(j, "reason", alloc_explain(am, p, buf, sizeof(buf)));
	json_end_object(j);
	json_key(j, "count");
	json_begin_object(j);
	json_kv_u64(j, "requested", p->req.count);
	json_kv_u64(j, "would_succeed", p->served);
	json_kv_u64(j, "slow_path", p->served_slow);
	json_kv_bool(j, "all_succeed", p->served >= p->req.count);
	json_key(j, "then");
	if (p->served < p->req.count)
		json_string(j, alloc_outcome_name(p->stop_outcome));
	else
		json_null(j);
	json_end_object(j);
	json_key(j, "notes");
	json_begin_array(j);
	for (size_t i = 0; i < nn; i++)
		json_string(j, notes[i]);
	json_end_array(j);
	cli_json_end(j, m, PREDICT_INPUTS);
}

int predict_model(const struct machine *m, struct alloc_model *am, bool *built)
{
	int r;

	*built = false;
	if (!m->in[IN_BUDDYINFO].loaded || !m->in[IN_ZONEINFO].loaded)
		return EXIT_OK;
	r = alloc_model_build(&m->zi, &m->buddy, m->in[IN_PAGETYPEINFO].loaded ? &m->pt : NULL,
			      m->in[IN_SYSVM].loaded ? &m->vm : NULL,
			      m->in[IN_NODES].loaded ? &m->numa : NULL, m->kernel_release, am);
	if (r == -ENOMEM) {
		cli_error("out of memory");
		return EXIT_INPUT;
	} else if (r < 0) {
		cli_error("%s: no zone has watermarks (min/low lines)", m->in[IN_ZONEINFO].path);
		return EXIT_INPUT;
	}
	*built = true;
	return EXIT_OK;
}

/* Load the inputs and build the allocation model; shared with hugepages.
 * Returns the exit code so far; am is built only when it is EXIT_OK-ish. */
int predict_load(const struct options *o, unsigned extra, struct source **src, struct machine *m,
		 struct alloc_model *am, bool *built)
{
	int rc = cli_load(o, PREDICT_INPUTS | extra, PREDICT_REQUIRED, src, m);

	*built = false;
	if (!*src)
		return rc;
	cli_status(&rc, predict_model(m, am, built));
	return rc;
}

int cmd_predict(struct options *o)
{
	struct alloc_prediction p;
	struct alloc_request req;
	struct alloc_model am;
	struct source *src = NULL;
	struct machine m;
	const char *notes[8];
	size_t nn;
	bool built;
	int rc, r;

	/* "--gfp help" and unknown classes need no input. */
	if (o->gfp && (strcmp(o->gfp, "help") == 0 || !alloc_class_find(o->gfp))) {
		memset(&am, 0, sizeof(am));
		memset(&m, 0, sizeof(m));
		r = predict_parse_request(o, &m, &am, &req);
		return r < 0 ? cli_finish(EXIT_OK) : r;
	}
	if (!(o->used & OPT_ORDER) && !alloc_class_find(o->gfp ? o->gfp : "GFP_KERNEL")->fixed_order) {
		cli_error("predict needs --order N (the allocation is 2^N pages)");
		return EXIT_USAGE;
	}
	rc = predict_load(o, 0, &src, &m, &am, &built);
	if (!built)
		goto out_nomodel;
	r = predict_parse_request(o, &m, &am, &req);
	if (r) {
		rc = r;
		goto out;
	}
	if (o->simulate) {
		if (o->count) {
			cli_error("--simulate forecasts one allocation: --count does not apply");
			rc = EXIT_USAGE;
		} else {
			cli_status(&rc, sim_forecast(o, &m, &req));
		}
		goto out;
	}
	if (o->used & (OPT_STEPS | OPT_SIM_SEED)) {
		cli_error("--steps and --seed go with --simulate");
		rc = EXIT_USAGE;
		goto out;
	}
	if (alloc_predict(&am, &req, &p) < 0) {
		cli_error("out of memory");
		cli_status(&rc, EXIT_INPUT);
		goto out;
	}
	nn = predict_notes(&m, &am, &p, notes, sizeof(notes) / sizeof(notes[0]));
	if (o->json)
		print_json(o, &m, &am, &p, notes, nn);
	else
		print_text(o, &m, &am, &p, notes, nn, &rc);
	if (rc == EXIT_OK && p.served < req.count)
		rc = EXIT_NEGATIVE;
	alloc_prediction_free(&p);
	rc = cli_finish(rc);
out:
	alloc_model_free(&am);
out_nomodel:
	machine_free(&m);
	source_free(src);
	return rc;
}
