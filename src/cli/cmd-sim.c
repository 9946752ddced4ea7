/*
 * cmd-sim.c - "fragscope sim buddy": the buddy allocator simulator seeded
 * from this machine's (or a snapshot's) state, run under a workload (a
 * built-in profile or a spec file), with a timeline of free blocks and
 * fragmentation indices, the first failure of each order and why, and
 * counts per allocation class.  "--bench W1" runs DESIGN.md's throughput
 * workload instead.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cmd-sim.h"
#include "outdir.h"
#include "views.h"
#include "../analysis/frag.h"
#include "../parse/kpageflags.h"
#include "../parse/parse-trace.h"
#include "../parse/parse-workload.h"
#include "../render/units.h"
#include "../sim/emit.h"
#include "../sim/empty.h"
#include "../sim/machine.h"
#include "../sim/replay.h"
#include "../sim/w1.h"
#include "../sim/workload.h"

#define SIM_INPUTS (IN_BIT(IN_BUDDYINFO) | IN_BIT(IN_ZONEINFO) | IN_BIT(IN_PAGETYPEINFO) | \
		    IN_BIT(IN_SYSVM) | IN_BIT(IN_NODES) | IN_BIT(IN_MEMINFO))
#define SIM_REQUIRED (IN_BIT(IN_BUDDYINFO) | IN_BIT(IN_ZONEINFO))
#define SPEC_MAX (1u << 20)
#define TRACE_MAX ((size_t)1 << 30)

static double seconds(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* ---- --bench W1 ------------------------------------------------------------ */

static int run_bench(const struct options *o)
{
	uint64_t pages = o->sim_pages ? o->sim_pages : SIM_W1_PAGES;
	uint64_t steps = o->sim_steps ? o->sim_steps : SIM_W1_STEPS;
	struct timespec a, b, ca, cb;
	struct sim_w1 w;
	double s, cpu, rate, bpp;
	int r;

	if (strcmp(o->sim_bench, "W1") != 0 && strcmp(o->sim_bench, "w1") != 0) {
		cli_error("--bench %s: the only benchmark is W1", o->sim_bench);
		return EXIT_USAGE;
	}
	r = sim_w1_init(&w, pages);
	if (r == -EINVAL) {
		cli_error("--pages %llu: W1 needs 1 to %llu pages", (unsigned long long)pages,
			  (unsigned long long)SIM_W1_MAX_PAGES);
		return EXIT_USAGE;
	}
	if (r < 0) {
		cli_error("out of memory for %llu pages", (unsigned long long)pages);
		return EXIT_INPUT;
	}
	r = sim_w1_prepare(&w, steps);
	if (r < 0) {
		sim_w1_free(&w);
		cli_error("out of memory for %llu pages", (unsigned long long)pages);
		return EXIT_INPUT;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ca);
	r = sim_w1_run(&w, steps);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cb);
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (r < 0) {
		sim_w1_free(&w);
		cli_error("out of memory");
		return EXIT_INPUT;
	}
	s = seconds(&a, &b);
	cpu = seconds(&ca, &cb);
	rate = s > 0 ? (double)w.steps / s : 0;
	bpp = (double)sim_w1_engine_bytes(&w) / (double)pages;
	if (o->json) {
		struct json *j = json_new(stdout, o->pretty);

		if (!j) {
			sim_w1_free(&w);
			cli_error("out of memory");
			return EXIT_INPUT;
		}
		json_begin_object(j);
		json_kv_u64(j, "schema_version", 1);
		json_kv_string(j, "command", "sim buddy --bench");
		json_kv_string(j, "workload", "W1");
		json_kv_u64(j, "pages", pages);
		json_kv_u64(j, "steps", w.steps);
		json_kv_u64(j, "fails", w.fails);
		json_kv_u64(j, "allocations", w.allocs);
		json_kv_u64(j, "frees", w.frees);
		json_key(j, "seconds");
		json_double(j, s, 6);
		json_key(j, "steps_per_s");
		json_double(j, rate, 0);
		/* CPU time of the loop: on a shared machine, wall time also
		 * counts the time other tasks had the CPU. */
		json_key(j, "cpu_seconds");
		json_double(j, cpu, 6);
		json_key(j, "steps_per_cpu_s");
		json_double(j, cpu > 0 ? (double)w.steps / cpu : 0, 0);
		json_key(j, "bytes_per_page");
		json_double(j, bpp, 3);
		json_kv_u64(j, "engine_bytes", sim_w1_engine_bytes(&w));
		json_kv_u64(j, "live_array_bytes", sim_w1_live_bytes(&w));
		json_end_object(j);
		json_finish(j);
		json_free(j);
	} else {
		printf("W1 pages=%llu steps=%llu fails=%llu steps_per_s=%.0f bytes_per_page=%.2f\n",
		       (unsigned long long)pages, (unsigned long long)w.steps, (unsigned long long)w.fails, rate, bpp);
	}
	sim_w1_free(&w);
	return cli_finish(EXIT_OK);
}

/* ---- the workload ----------------------------------------------------------- */

static void list_profiles(void)
{
	printf("Built-in workloads (--workload NAME), or give a spec file (see fragscope(1), WORKLOADS):\n");
	for (size_t i = 0; sim_profile_names[i]; i++)
		printf("  %-12s %s\n", sim_profile_names[i], sim_profile_summary(sim_profile_names[i]));
}

/* A spec or trace that did not parse: one line, exit 3. */
static int parse_failed(int r, const struct parse_error *perr)
{
	if (r == -ENOMEM)
		cli_error("out of memory");
	else
		cli_error("%s:%u: %s", perr->file, perr->line, perr->what);
	return EXIT_INPUT;
}

/* The workload named by --workload (a profile or a file); prints and
 * returns an exit code on failure. */
int sim_load_workload(const char *name, struct sim_workload *w)
{
	const char *spec = sim_profile_spec(name);
	struct parse_error perr = { 0 };
	char *buf = NULL;
	size_t len = 0;
	int r;

	if (spec) {
		r = workload_parse(spec, strlen(spec), name, w, &perr);
	} else {
		r = cli_read_file(name, SPEC_MAX, &buf, &len);
		if (r == -ENOENT && !strchr(name, '/')) {
			cli_error("--workload %s: no such profile or file (--workload help lists the profiles)", name);
			return EXIT_USAGE;
		}
		if (r < 0) {
			cli_error("%s: %s", name, r == -EFBIG ? "larger than 1 MiB" : strerror(-r));
			return r == -EACCES || r == -EPERM ? EXIT_PERM : EXIT_INPUT;
		}
		r = workload_parse(buf, len, name, w, &perr);
		free(buf);
	}
	if (r < 0)
		return parse_failed(r, &perr);
	snprintf(w->name, sizeof(w->name), "%s", name);
	return EXIT_OK;
}

/* Orders, fixed-order classes and nodes of the workload against the
 * machine; prints the first problem. */
int sim_check_workload(const struct sim_workload *w, struct sim_machine *sm, unsigned pmd, bool slab)
{
	for (size_t p = 0; p < w->n; p++) {
		const struct sim_phase *ph = &w->ph[p];

		if (ph->node >= 0 && !alloc_model_node(&sm->am, ph->node)) {
			cli_error("%s: phase %s: node %d has no zones here", w->name, ph->name, ph->node);
			return EXIT_USAGE;
		}
		for (size_t k = 0; k < ph->nops; k++) {
			const struct sim_op *op = &ph->ops[k];

			if (op->kind != SIM_OP_PAGES) {
				if (slab)
					continue;
				cli_error("%s:%u: objalloc, objfree and churn lines run under 'fragscope sim slab'",
					  w->name, op->line);
				return EXIT_USAGE;
			}
			if (op->order >= sm->nr_orders) {
				cli_error("%s:%u: order %u: this machine's largest order is %u", w->name, op->line,
					  op->order, sm->nr_orders - 1);
				return EXIT_USAGE;
			}
			if (op->cls->fixed_order && op->order != pmd) {
				cli_error("%s:%u: %s allocations are always order %u here", w->name, op->line,
					  op->cls->name, pmd);
				return EXIT_USAGE;
			}
		}
	}
	return EXIT_OK;
}

/* ---- output ------------------------------------------------------------------ */

static uint64_t machine_managed(const struct sim_machine *sm)
{
	uint64_t n = 0;

	for (size_t i = 0; i < sm->nz; i++)
		n += sm->az[i]->managed;
	return n;
}

/* Seed notes: one line each, into notes[]; returns how many. */
static size_t seed_notes(const struct sim_machine *sm, char notes[][320], size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < sm->nz && n < max; i++) {
		const struct sim_seed_zone *sz = &sm->seed[i];
		const struct sim_zone *z = &sm->zones[i];
		uint64_t retyped = 0, unplaced = 0, skew = 0;

		for (int mt = 0; mt < SIM_NMT; mt++)
			for (unsigned o = 0; o < sm->nr_orders; o++) {
				retyped += sz->retyped[mt][o] > 0 ? (uint64_t)sz->retyped[mt][o] : 0;
				unplaced += sz->unplaced[mt][o];
			}
		for (unsigned o = 0; o < sm->nr_orders; o++)
			skew += sz->buddy_minus_types[o] < 0 ? (uint64_t)-sz->buddy_minus_types[o] :
							       (uint64_t)sz->buddy_minus_types[o];
		if (sz->from_pages) {
			char diff[160] = "";
			size_t d = 0;

			for (unsigned o = 0; o < sm->nr_orders && d < sizeof(diff); o++)
				if (sz->pages_minus_file[o])
					d += (size_t)snprintf(diff + d, sizeof(diff) - d, "%s%u:%+lld", d ? " " : "", o,
							      (long long)sz->pages_minus_file[o]);
			if (n < max)
				snprintf(notes[n++], sizeof(notes[0]),
					 "node %d %s: free blocks from the page flags minus buddyinfo, per order: %s (%llu pages sat on per-CPU lists, which the page flags show in use; the two files are read moments apart)",
					 z->node, z->name, d ? diff : "none", (unsigned long long)sz->pcp_pages);
			if (n < max)
				snprintf(notes[n++], sizeof(notes[0]),
					 "node %d %s: pageblock types are an estimate from the pages in each pageblock%s (the kernel does not export them)",
					 z->node, z->name, sz->pageblocks_from_file ? " and pagetypeinfo's counts" : "");
			continue;
		}
		if (!sz->per_mt && n < max)
			snprintf(notes[n++], sizeof(notes[0]),
				 "node %d %s: no per-migratetype counts (pagetypeinfo %s): every free block is seeded Movable",
				 z->node, z->name, sz->pageblocks_from_file ? "has no free-list rows" : "not read");
		if (skew && n < max)
			snprintf(notes[n++], sizeof(notes[0]),
				 "node %d %s: buddyinfo and pagetypeinfo (read moments apart) differ by %llu blocks; the seed follows pagetypeinfo",
				 z->node, z->name, (unsigned long long)skew);
		if (retyped && n < max)
			snprintf(notes[n++], sizeof(notes[0]),
				 "node %d %s: %llu free block%s did not fit %s type's pageblocks (free pages on a foreign list, as kernels before 6.10 allowed): seeded on another type's list",
				 z->node, z->name, (unsigned long long)retyped, retyped == 1 ? "" : "s",
				 retyped == 1 ? "its" : "their");
		if (unplaced && n < max)
			snprintf(notes[n++], sizeof(notes[0]),
				 "node %d %s: %llu free blocks could not be placed; the simulated zone starts with fewer",
				 z->node, z->name, (unsigned long long)unplaced);
		if (sz->start_guessed && n < max)
			snprintf(notes[n++], sizeof(notes[0]),
				 "node %d %s: zoneinfo has no start_pfn; the zone is placed after the previous one",
				 z->node, z->name);
	}
	return n;
}

static const char *life_name(enum sim_life l)
{
	return l == SIM_LIFE_FIXED ? "fixed" : l == SIM_LIFE_EXP ? "exp" : "forever";
}

static void index_pair(const struct sim_machine *sm, const struct sim_sample_zone *z, unsigned order,
		       int *unusable, int *extfrag)
{
	*unusable = frag_unusable_index(z->blocks, sm->nr_orders, order);
	*extfrag = frag_extfrag_index(z->blocks, sm->nr_orders, order);
}

static struct table *timeline_table(const struct sim_machine *sm, const struct sim_workload *w,
				    const struct sim_result *r, unsigned pmd)
{
	struct table *t = table_new("timeline");
	int c_step, c_phase, c_zone, c_free, c_ord0 = -1, c_unus, c_extf, c_live, c_fails;
	char name[32];

	if (!t)
		return NULL;
	c_step = table_add_column(t, "STEP", TABLE_U64, TABLE_RIGHT, "steps run");
	c_phase = table_add_column(t, "PHASE", TABLE_STR, 0, "the workload phase");
	c_zone = table_add_column(t, "ZONE", TABLE_STR, 0, "node and zone");
	c_free = table_add_column(t, "FREE", TABLE_BYTES, TABLE_RIGHT, "free memory in the zone");
	for (unsigned o = 0; o < sm->nr_orders; o++) {
		int c;

		snprintf(name, sizeof(name), "%u", o);
		c = table_add_column(t, name, TABLE_U64, TABLE_RIGHT, "free blocks of this order");
		if (o == 0)
			c_ord0 = c;
	}
	snprintf(name, sizeof(name), "UNUSABLE%u", pmd);
	c_unus = table_add_column(t, name, TABLE_STR, TABLE_RIGHT,
				  "unusable free space index at the THP order (debugfs unusable_index)");
	snprintf(name, sizeof(name), "EXTFRAG%u", pmd);
	c_extf = table_add_column(t, name, TABLE_STR, TABLE_RIGHT,
				  "fragmentation index at the THP order (debugfs extfrag_index)");
	c_live = table_add_column(t, "HELD", TABLE_BYTES, TABLE_RIGHT, "memory the workload holds");
	c_fails = table_add_column(t, "FAILS", TABLE_U64, TABLE_RIGHT, "failed allocations so far");
	if (c_fails < 0)
		goto fail;
	for (size_t s = 0; s < r->nsamples; s++) {
		const struct sim_sample *sa = &r->samples[s];

		for (size_t i = 0; i < sm->nz; i++) {
			char zname[64], ib[16], eb[16];
			int ui, ei;

			if (table_new_row(t) < 0)
				goto fail;
			snprintf(zname, sizeof(zname), "%d/%s", sm->zones[i].node, sm->zones[i].name);
			table_set_u64(t, c_step, sa->step);
			table_set_str(t, c_phase, w->ph[sa->phase].name);
			table_set_str(t, c_zone, zname);
			table_set_u64(t, c_free, sa->z[i].free_pages * sm->page_size);
			for (unsigned o = 0; o < sm->nr_orders; o++)
				table_set_u64(t, c_ord0 + (int)o, sa->z[i].blocks[o]);
			index_pair(sm, &sa->z[i], pmd, &ui, &ei);
			frag_format_decimal(ui, ib, sizeof(ib));
			frag_format_decimal(ei, eb, sizeof(eb));
			table_set_str(t, c_unus, ib);
			table_set_str(t, c_extf, eb);
			table_set_u64(t, c_live, sa->live_pages * sm->page_size);
			table_set_u64(t, c_fails, sa->fails);
		}
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

static struct table *first_fail_table(const struct sim_workload *w, const struct sim_result *r, unsigned nr_orders)
{
	struct table *t = table_new("first-failures");
	int c_order, c_class, c_step, c_phase, c_out, c_why;

	if (!t)
		return NULL;
	c_order = table_add_column(t, "ORDER", TABLE_U64, TABLE_RIGHT, "allocation order");
	c_class = table_add_column(t, "CLASS", TABLE_STR, 0, "allocation class of the first failure");
	c_step = table_add_column(t, "STEP", TABLE_U64, TABLE_RIGHT, "step of the first failure");
	c_phase = table_add_column(t, "PHASE", TABLE_STR, 0, "phase of the first failure");
	c_out = table_add_column(t, "OUTCOME", TABLE_STR, 0, "what the kernel would do next");
	c_why = table_add_column(t, "REASON", TABLE_STR, 0, "predict's reason on the simulated state");
	if (c_why < 0)
		goto fail;
	for (unsigned o = 0; o < nr_orders; o++) {
		const struct sim_first_fail *f = &r->first[o];

		if (!f->seen)
			continue;
		if (table_new_row(t) < 0)
			goto fail;
		table_set_u64(t, c_order, o);
		table_set_str(t, c_class, f->cls->name);
		table_set_u64(t, c_step, f->step);
		table_set_str(t, c_phase, w->ph[f->phase].name);
		table_set_str(t, c_out, alloc_outcome_name(f->outcome));
		table_set_str(t, c_why, f->why);
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

static struct table *class_table(const struct sim_result *r)
{
	struct table *t = table_new("classes");
	int c_class, c_ok, c_slow, c_comp, c_recl, c_fail;

	if (!t)
		return NULL;
	c_class = table_add_column(t, "CLASS", TABLE_STR, 0, "allocation class");
	c_ok = table_add_column(t, "OK", TABLE_U64, TABLE_RIGHT, "served above the low watermark");
	c_slow = table_add_column(t, "OK-SLOW", TABLE_U64, TABLE_RIGHT, "served only by the slow path's watermarks");
	c_comp = table_add_column(t, "COMPACT", TABLE_U64, TABLE_RIGHT, "failed; the kernel would compact");
	c_recl = table_add_column(t, "RECLAIM", TABLE_U64, TABLE_RIGHT, "failed; the kernel would reclaim");
	c_fail = table_add_column(t, "FAIL", TABLE_U64, TABLE_RIGHT, "failed; the class may not reclaim or compact");
	if (c_fail < 0)
		goto fail;
	for (size_t i = 0; i < r->nclasses; i++) {
		const struct sim_class_count *c = &r->classes[i];

		if (table_new_row(t) < 0)
			goto fail;
		table_set_str(t, c_class, c->cls->name);
		table_set_u64(t, c_ok, c->ok);
		table_set_u64(t, c_slow, c->ok_slow);
		table_set_u64(t, c_comp, c->fail[ALLOC_COMPACT]);
		table_set_u64(t, c_recl, c->fail[ALLOC_RECLAIM]);
		table_set_u64(t, c_fail, c->fail[ALLOC_FAIL]);
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

void sim_describe_workload(const struct sim_workload *w, char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "%zu phase%s:", w->n, w->n == 1 ? "" : "s");

	for (size_t p = 0; p < w->n && n < size; p++) {
		const struct sim_phase *ph = &w->ph[p];
		char g[UNITS_BUFSZ + 8];

		if (ph->until_target)
			n += (size_t)snprintf(buf + n, size - n, "%s %s until it holds %u%% of the free memory",
					      p ? "," : "", ph->name, ph->target_pct);
		else
			n += (size_t)snprintf(buf + n, size - n, "%s %s %s steps", p ? "," : "", ph->name,
					      units_group(ph->steps, g));
		if (!ph->until_target && ph->target_pct && n < size)
			n += (size_t)snprintf(buf + n, size - n, " holding up to %u%%", ph->target_pct);
	}
}

static bool is_empty_seed(const struct options *o)
{
	return o->sim_seed_from && strncmp(o->sim_seed_from, "empty:", 6) == 0;
}

/* The lines that say where the seed came from, what ran, and that the
 * figures are an estimate; what is a sentence about the run. */
void sim_print_seed_header(const struct options *o, const struct machine *m, const struct sim_machine *sm,
			      uint64_t free0, const char *what)
{
	char notes[16][320], g1[UNITS_BUFSZ + 8], g2[UNITS_BUFSZ + 8];
	/* An empty machine is what it says: nothing to note about its seed. */
	size_t nn = is_empty_seed(o) ? 0 : seed_notes(sm, notes, 16);

	if (o->raw || o->noheadings)
		return;
	if (is_empty_seed(o))
		printf("Seeded from an empty machine of %s (x86-64 zones, 4 KiB pages, default vm sysctls): "
		       "%zu zone%s, %s pages managed, %s free.\n", o->sim_seed_from + 6,
		       sm->nz, sm->nz == 1 ? "" : "s", units_group(machine_managed(sm), g1), units_group(free0, g2));
	else
		printf("Seeded from %s%s%s%s%s%s: %zu zone%s, %s pages managed, %s free.\n",
		       o->root ? "the snapshot " : "this machine", o->root ? o->root : "",
		       sm->nz && sm->seed[0].from_pages ? "'s page flags (kpageflags)" : "",
		       m->kernel_release[0] ? " (Linux " : "", m->kernel_release, m->kernel_release[0] ? ")" : "",
		       sm->nz, sm->nz == 1 ? "" : "s", units_group(machine_managed(sm), g1), units_group(free0, g2));
	printf("%s\n", what);
	if (sm->nz && sm->seed[0].from_pages)
		printf("Estimate: free blocks lie where the page flags show them, pageblock types are\n"
		       "inferred; reclaim, compaction and kswapd are not simulated%s.\n",
		       sm->pcp ? "" : ", nor per-CPU lists");
	else
		printf("Estimate: where free blocks lie is synthesized from the counts (no two free buddies\n"
		       "left unmerged); reclaim, compaction and kswapd are not simulated%s.\n",
		       sm->pcp ? "" : ", nor per-CPU lists");
	for (size_t i = 0; sm->pcp && i < sm->nz; i++)
		printf("Per-CPU lists: node %d %s: batch %llu, high %llu pages.\n", sm->zones[i].node, sm->zones[i].name,
		       (unsigned long long)sm->pcp[i].batch, (unsigned long long)sm->pcp[i].high);
	for (size_t i = 0; i < nn; i++)
		printf("Note: %s.\n", notes[i]);
	printf("\n");
}

static void print_text(const struct options *o, const struct machine *m, const struct sim_machine *sm,
		       const struct sim_workload *w, const struct sim_result *r, unsigned pmd, uint64_t seed)
{
	char g1[UNITS_BUFSZ + 8], g2[UNITS_BUFSZ + 8], g3[UNITS_BUFSZ + 8];
	char g4[UNITS_BUFSZ + 8], g5[UNITS_BUFSZ + 8], desc[512], what[PATH_MAX + 640];
	struct table *t[3] = { timeline_table(sm, w, r, pmd), first_fail_table(w, r, sm->nr_orders),
			       class_table(r) };
	const char *titles[3] = { "Timeline (free blocks per order, per zone):",
				  "First failure of each order:", "Allocations by class:" };
	size_t nt = 3;
	uint64_t free0 = 0;

	for (size_t i = 0; i < sm->nz; i++)
		free0 += r->nsamples ? r->samples[0].z[i].free_pages : 0;
	sim_describe_workload(w, desc, sizeof(desc));
	snprintf(what, sizeof(what), "Workload %s (%s), seed %llu.", w->name, desc, (unsigned long long)seed);
	sim_print_seed_header(o, m, sm, free0, what);
	if (!t[1] || table_nrows(t[1]) == 0) {
		table_free(t[1]);
		t[1] = t[2];
		titles[1] = titles[2];
		nt = 2;
	}
	if (cli_select_columns(o, t, nt) == 0)
		view_print_tables(o, t, titles, nt);
	for (size_t i = 0; i < nt; i++)
		table_free(t[i]);
	if (!o->raw && !o->noheadings && !o->output) {
		if (r->nsamples && r->first[pmd].seen == false)
			printf("\nNo allocation of order %u failed.\n", pmd);
		printf("\n%s steps, %s allocations, %s frees, %llu failed; the workload held %s pages at the end (peak %s).\n",
		       units_group(r->steps, g1), units_group(r->allocs, g2), units_group(r->frees, g3),
		       (unsigned long long)r->fails, units_group(r->live_pages, g4),
		       units_group(r->peak_live_pages, g5));
	}
}

/* The "seed" object: where the simulation started. */
void sim_json_seed(struct json *j, const struct options *o, const struct sim_machine *sm)
{
	char notes[16][320];
	size_t nn;

	json_key(j, "seed");
	json_begin_object(j);
	json_kv_string(j, "from", is_empty_seed(o) ? o->sim_seed_from : sm->nz && sm->seed[0].from_pages ? "kpageflags" :
				  o->root ? "root" : "live");
	json_kv_u64(j, "pageblock_order", sm->pb_order);
	json_kv_u64(j, "nr_orders", sm->nr_orders);
	json_key(j, "zones");
	json_begin_array(j);
	for (size_t i = 0; i < sm->nz; i++) {
		const struct sim_zone *z = &sm->zones[i];
		const struct sim_seed_zone *sz = &sm->seed[i];

		json_begin_object(j);
		json_kv_i64(j, "node", z->node);
		json_kv_string(j, "zone", z->name);
		json_kv_u64(j, "start_pfn", z->start);
		json_kv_u64(j, "spanned_pages", z->end - z->start);
		json_kv_u64(j, "managed_pages", sm->az[i]->managed);
		json_kv_u64(j, "pageblocks", sz->pageblocks);
		json_kv_u64(j, "pageblocks_typed", sz->pageblocks_typed);
		json_kv_bool(j, "per_migratetype", sz->per_mt);
		json_kv_bool(j, "start_guessed", sz->start_guessed);
		json_key(j, "buddyinfo_minus_pagetypeinfo");
		json_begin_array(j);
		for (unsigned k = 0; k < sm->nr_orders; k++)
			json_i64(j, sz->buddy_minus_types[k]);
		json_end_array(j);
		if (sz->from_pages) {
			json_key(j, "kpageflags_minus_buddyinfo");
			json_begin_array(j);
			for (unsigned k = 0; k < sm->nr_orders; k++)
				json_i64(j, sz->pages_minus_file[k]);
			json_end_array(j);
			json_kv_u64(j, "pcp_pages", sz->pcp_pages);
		}
		json_end_object(j);
	}
	json_end_array(j);
	nn = is_empty_seed(o) ? 0 : seed_notes(sm, notes, 16);
	json_key(j, "notes");
	json_begin_array(j);
	for (size_t i = 0; i < nn; i++)
		json_string(j, notes[i]);
	json_end_array(j);
	json_end_object(j);

}

static void print_json(const struct options *o, const struct machine *m, const struct sim_machine *sm,
		       const struct sim_workload *w, const struct sim_result *r, unsigned pmd, uint64_t seed)
{
	struct json *j = cli_json_begin(o, m, "sim buddy");

	if (!j)
		return;
	sim_json_seed(j, o, sm);
	json_key(j, "workload");
	json_begin_object(j);
	json_kv_string(j, "name", w->name);
	json_kv_u64(j, "rng_seed", seed);
	json_key(j, "phases");
	json_begin_array(j);
	for (size_t p = 0; p < w->n; p++) {
		const struct sim_phase *ph = &w->ph[p];

		json_begin_object(j);
		json_kv_string(j, "name", ph->name);
		json_kv_u64(j, "steps", ph->steps);
		json_kv_u64(j, "target_percent", ph->target_pct);
		json_kv_bool(j, "until_target", ph->until_target);
		json_kv_i64(j, "node", ph->node);
		json_key(j, "allocs");
		json_begin_array(j);
		for (size_t k = 0; k < ph->nops; k++) {
			const struct sim_op *op = &ph->ops[k];

			json_begin_object(j);
			json_kv_u64(j, "order", op->order);
			json_kv_string(j, "class", op->cls->name);
			json_kv_u64(j, "weight", op->weight);
			json_kv_u64(j, "count", op->count);
			json_kv_string(j, "life", life_name(op->life));
			json_kv_u64(j, "life_steps", op->life_steps);
			json_end_object(j);
		}
		json_end_array(j);
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);

	json_kv_u64(j, "thp_order", pmd);
	json_key(j, "timeline");
	json_begin_array(j);
	for (size_t s = 0; s < r->nsamples; s++) {
		const struct sim_sample *sa = &r->samples[s];

		json_begin_object(j);
		json_kv_u64(j, "step", sa->step);
		json_kv_string(j, "phase", w->ph[sa->phase].name);
		json_kv_u64(j, "held_pages", sa->live_pages);
		json_kv_u64(j, "failures", sa->fails);
		json_key(j, "zones");
		json_begin_array(j);
		for (size_t i = 0; i < sm->nz; i++) {
			int ui, ei;

			json_begin_object(j);
			json_kv_i64(j, "node", sm->zones[i].node);
			json_kv_string(j, "zone", sm->zones[i].name);
			json_kv_u64(j, "free_pages", sa->z[i].free_pages);
			json_key(j, "free_blocks");
			json_begin_array(j);
			for (unsigned k = 0; k < sm->nr_orders; k++)
				json_u64(j, sa->z[i].blocks[k]);
			json_end_array(j);
			index_pair(sm, &sa->z[i], pmd, &ui, &ei);
			json_key(j, "unusable_index");
			json_double(j, ui / 1000.0, 3);
			json_key(j, "extfrag_index");
			json_double(j, ei / 1000.0, 3);
			json_end_object(j);
		}
		json_end_array(j);
		json_end_object(j);
	}
	json_end_array(j);

	json_key(j, "first_failures");
	json_begin_array(j);
	for (unsigned k = 0; k < sm->nr_orders; k++) {
		const struct sim_first_fail *f = &r->first[k];

		if (!f->seen)
			continue;
		json_begin_object(j);
		json_kv_u64(j, "order", k);
		json_kv_string(j, "class", f->cls->name);
		json_kv_u64(j, "step", f->step);
		json_kv_string(j, "phase", w->ph[f->phase].name);
		json_kv_string(j, "outcome", alloc_outcome_name(f->outcome));
		json_kv_string(j, "reason", f->why);
		json_end_object(j);
	}
	json_end_array(j);

	json_key(j, "classes");
	json_begin_array(j);
	for (size_t i = 0; i < r->nclasses; i++) {
		const struct sim_class_count *c = &r->classes[i];

		json_begin_object(j);
		json_kv_string(j, "class", c->cls->name);
		json_kv_u64(j, "ok", c->ok);
		json_kv_u64(j, "ok_slow", c->ok_slow);
		json_kv_u64(j, "compact", c->fail[ALLOC_COMPACT]);
		json_kv_u64(j, "reclaim", c->fail[ALLOC_RECLAIM]);
		json_kv_u64(j, "fail", c->fail[ALLOC_FAIL]);
		json_end_object(j);
	}
	json_end_array(j);

	json_key(j, "summary");
	json_begin_object(j);
	json_kv_u64(j, "steps", r->steps);
	json_kv_u64(j, "allocations", r->allocs);
	json_kv_u64(j, "frees", r->frees);
	json_kv_u64(j, "failures", r->fails);
	json_kv_u64(j, "held_pages", r->live_pages);
	json_kv_u64(j, "peak_held_pages", r->peak_live_pages);
	json_kv_bool(j, "checked", o->check);
	json_end_object(j);
	if (sm->pcp) {
		json_key(j, "pcp");
		json_begin_array(j);
		for (size_t i = 0; i < sm->nz; i++) {
			json_begin_object(j);
			json_kv_i64(j, "node", sm->zones[i].node);
			json_kv_string(j, "zone", sm->zones[i].name);
			json_kv_u64(j, "batch", sm->pcp[i].batch);
			json_kv_u64(j, "high", sm->pcp[i].high);
			json_kv_u64(j, "pages", sm->pcp[i].count);
			json_kv_u64(j, "refills", sm->pcp[i].refills);
			json_kv_u64(j, "drains", sm->pcp[i].drains);
			json_end_object(j);
		}
		json_end_array(j);
	}
	cli_json_end(j, m, SIM_INPUTS);
}

/* ---- trace replay -------------------------------------------------------------- */

/* Free blocks per order of every zone, before the replay. */
struct zone_blocks {
	uint64_t free_pages;
	uint64_t blocks[FS_MAX_ORDERS];
};

static struct zone_blocks *zone_blocks_now(const struct sim_machine *sm)
{
	struct zone_blocks *b = calloc(sm->nz ? sm->nz : 1, sizeof(*b));

	for (size_t i = 0; b && i < sm->nz; i++) {
		b[i].free_pages = sm->zones[i].free_pages;
		for (unsigned o = 0; o < sm->nr_orders; o++)
			b[i].blocks[o] = sim_zone_blocks(&sm->zones[i], o);
	}
	return b;
}

static struct table *replay_table(const struct sim_machine *sm, const struct zone_blocks *before)
{
	struct table *t = table_new("replay");
	int c_zone, c_when, c_free, c_ord0 = -1;

	if (!t)
		return NULL;
	c_zone = table_add_column(t, "ZONE", TABLE_STR, 0, "node and zone");
	c_when = table_add_column(t, "WHEN", TABLE_STR, 0, "before or after the replay");
	c_free = table_add_column(t, "FREE", TABLE_BYTES, TABLE_RIGHT, "free memory in the zone");
	for (unsigned o = 0; o < sm->nr_orders; o++) {
		char name[16];
		int c;

		snprintf(name, sizeof(name), "%u", o);
		c = table_add_column(t, name, TABLE_U64, TABLE_RIGHT, "free blocks of this order");
		if (o == 0)
			c_ord0 = c;
	}
	if (c_ord0 < 0)
		goto fail;
	for (size_t i = 0; i < sm->nz; i++) {
		char zname[64];

		snprintf(zname, sizeof(zname), "%d/%s", sm->zones[i].node, sm->zones[i].name);
		for (int after = 0; after < 2; after++) {
			if (table_new_row(t) < 0)
				goto fail;
			table_set_str(t, c_zone, zname);
			table_set_str(t, c_when, after ? "after" : "before");
			table_set_u64(t, c_free, (after ? sm->zones[i].free_pages : before[i].free_pages) * sm->page_size);
			for (unsigned o = 0; o < sm->nr_orders; o++)
				table_set_u64(t, c_ord0 + (int)o,
					      after ? sim_zone_blocks(&sm->zones[i], o) : before[i].blocks[o]);
		}
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

static void replay_text(const struct options *o, const struct machine *m, const struct sim_machine *sm,
			const struct zone_blocks *before, const struct trace *t, const struct replay_result *r)
{
	char what[PATH_MAX + 640];
	struct table *tb[1] = { replay_table(sm, before) };
	const char *titles[1] = { "Free blocks per order, before and after the replay:" };
	uint64_t free0 = 0, allocs = r->allocs_exact + r->allocs_pcp + r->allocs_moved + r->allocs_failed +
				     r->allocs_client;
	uint64_t frees = r->frees_pcp + r->frees_mapped + r->frees_direct + r->frees_skipped;

	for (size_t i = 0; i < sm->nz; i++)
		free0 += before[i].free_pages;
	snprintf(what, sizeof(what),
		 "Replay of %s%s: %zu events (%llu allocations, %llu failed in the kernel; %llu frees; "
		 "%llu of the buddy lists' own%s); %llu mm_page_free_batched lines skipped, %llu other events.",
		 o->sim_replay, r->buddy_exact ? ", buddy-exact" : "", t->n, (unsigned long long)allocs,
		 (unsigned long long)r->kernel_failures, (unsigned long long)frees,
		 (unsigned long long)t->buddy_events, r->buddy_exact || !t->buddy_events ? "" : ", ignored",
		 (unsigned long long)t->batched, (unsigned long long)t->other_events);
	sim_print_seed_header(o, m, sm, free0, what);
	if (cli_select_columns(o, tb, 1) == 0)
		view_print_tables(o, tb, titles, 1);
	table_free(tb[0]);
	if (!o->raw && !o->noheadings && !o->output && r->buddy_exact)
		printf("\nThe buddy lists: %llu blocks taken off them as the kernel took them (%llu were not free here),\n"
		       "%llu given back from per-CPU lists (%llu were not in use here), %llu larger frees straight to them\n"
		       "(%llu were not in use here); %llu frees went onto per-CPU lists.\n",
		       (unsigned long long)r->takes_exact, (unsigned long long)r->takes_missed,
		       (unsigned long long)r->gives_exact, (unsigned long long)r->gives_skipped,
		       (unsigned long long)r->frees_direct, (unsigned long long)r->frees_skipped,
		       (unsigned long long)r->frees_pcp);
	else if (!o->raw && !o->noheadings && !o->output)
		printf("\nAllocations: %llu took the traced pages from the free lists, %llu came off per-CPU lists\n"
		       "(in use here, order 3 or less), %llu were placed by the simulator's own rules, %llu failed here.\n"
		       "Frees: %llu back to per-CPU lists, %llu of blocks the replay allocated, %llu of pages allocated\n"
		       "before the trace, %llu skipped (already free here, or no real layout to find them in).\n",
		       (unsigned long long)r->allocs_exact, (unsigned long long)r->allocs_pcp,
		       (unsigned long long)r->allocs_moved, (unsigned long long)r->allocs_failed,
		       (unsigned long long)r->frees_pcp, (unsigned long long)r->frees_mapped,
		       (unsigned long long)r->frees_direct, (unsigned long long)r->frees_skipped);
}

static void replay_json(const struct options *o, const struct machine *m, const struct sim_machine *sm,
			const struct zone_blocks *before, const struct trace *t, const struct replay_result *r)
{
	struct json *j = cli_json_begin(o, m, "sim buddy --replay");

	if (!j)
		return;
	sim_json_seed(j, o, sm);
	json_key(j, "replay");
	json_begin_object(j);
	json_kv_string(j, "file", o->sim_replay);
	json_kv_u64(j, "events", t->n);
	json_kv_u64(j, "batched_skipped", t->batched);
	json_kv_u64(j, "other_events", t->other_events);
	json_kv_u64(j, "unknown_gfp_flags", t->unknown_flags);
	json_kv_string(j, "mode", r->buddy_exact ? "buddy-exact" : "clients");
	json_kv_u64(j, "buddy_events", t->buddy_events);
	json_kv_u64(j, "buddy_ignored", r->buddy_ignored);
	json_kv_u64(j, "allocs_client", r->allocs_client);
	json_kv_u64(j, "takes_exact", r->takes_exact);
	json_kv_u64(j, "takes_missed", r->takes_missed);
	json_kv_u64(j, "gives_exact", r->gives_exact);
	json_kv_u64(j, "gives_skipped", r->gives_skipped);
	json_kv_u64(j, "kernel_failures", r->kernel_failures);
	json_kv_u64(j, "allocs_exact", r->allocs_exact);
	json_kv_u64(j, "allocs_pcp", r->allocs_pcp);
	json_kv_u64(j, "allocs_moved", r->allocs_moved);
	json_kv_u64(j, "allocs_failed", r->allocs_failed);
	json_kv_u64(j, "frees_pcp", r->frees_pcp);
	json_kv_u64(j, "frees_mapped", r->frees_mapped);
	json_kv_u64(j, "frees_direct", r->frees_direct);
	json_kv_u64(j, "frees_skipped", r->frees_skipped);
	json_kv_u64(j, "outside_zones", r->outside);
	json_end_object(j);
	json_key(j, "zones");
	json_begin_array(j);
	for (size_t i = 0; i < sm->nz; i++) {
		json_begin_object(j);
		json_kv_i64(j, "node", sm->zones[i].node);
		json_kv_string(j, "zone", sm->zones[i].name);
		for (int after = 0; after < 2; after++) {
			json_key(j, after ? "after" : "before");
			json_begin_object(j);
			json_kv_u64(j, "free_pages", after ? sm->zones[i].free_pages : before[i].free_pages);
			json_key(j, "free_blocks");
			json_begin_array(j);
			for (unsigned k = 0; k < sm->nr_orders; k++)
				json_u64(j, after ? sim_zone_blocks(&sm->zones[i], k) : before[i].blocks[k]);
			json_end_array(j);
			json_end_object(j);
		}
		json_end_object(j);
	}
	json_end_array(j);
	cli_json_end(j, m, SIM_INPUTS);
}

/* Read and parse --replay's trace; prints and returns an exit code. */
static int load_trace(const struct options *o, struct trace *t)
{
	struct parse_error perr = { 0 };
	char *buf = NULL;
	size_t len = 0;
	int r = cli_read_file(o->sim_replay, TRACE_MAX, &buf, &len);

	if (r < 0) {
		cli_error("%s: %s", o->sim_replay, r == -EFBIG ? "larger than 1 GiB" : strerror(-r));
		return r == -EACCES || r == -EPERM ? EXIT_PERM : EXIT_INPUT;
	}
	r = trace_parse(buf, len, o->sim_replay, t, &perr);
	free(buf);
	return r < 0 ? parse_failed(r, &perr) : EXIT_OK;
}

/* Place every zone's free blocks from /proc/kpageflags; prints and
 * returns an exit code on failure. */
static int seed_from_pages(struct source *src, struct sim_machine *sm)
{
	for (size_t i = 0; i < sm->nz; i++) {
		struct sim_zone *z = &sm->zones[i];
		uint64_t n = z->end - z->start;
		struct input_status st;
		uint8_t *cls = malloc(n ? n : 1);
		int r;

		if (!cls) {
			cli_error("out of memory");
			return EXIT_INPUT;
		}
		r = kpageflags_classify(src, z->start, n, cls, &st);
		if (r == 0 && !st.loaded) {
			const char *path = source_is_live(src) ? "/proc/kpageflags" : "proc/kpageflags (in the root)";

			free(cls);
			if (st.err == -EACCES || st.err == -EPERM) {
				cli_error("cannot read '%s': permission denied (needs root)", path);
				return EXIT_PERM;
			}
			cli_error("cannot read '%s': %s%s", path, strerror(-st.err),
				  st.err == -ENOENT && !source_is_live(src) ?
				  " (take the snapshot with 'fragscope snapshot --kpageflags')" : "");
			return EXIT_INPUT;
		}
		if (r == 0)
			r = sim_machine_place_pages(sm, i, cls);
		free(cls);
		if (r < 0) {
			cli_error("out of memory");
			return EXIT_INPUT;
		}
	}
	return EXIT_OK;
}

/* Write the end state as a root: the three /proc files in the kernel's
 * formats, the vm sysctls and release it ran with, and a manifest. */
int sim_emit_root(const struct options *o, const struct machine *m, const struct sim_machine *sm,
		  const struct buf *slabinfo)
{
	struct buf b = BUF_INIT;
	struct outdir out;
	char rel[192];
	int rc, r;

	rc = outdir_begin(&out, o->sim_emit_root);
	if (rc)
		return rc;
	r = sim_emit_buddyinfo(sm, &b);
	if (!r)
		r = outdir_put(&out, "proc/buddyinfo", b.data, b.len);
	buf_reset(&b);
	if (!r)
		r = sim_emit_pagetypeinfo(sm, m->in[IN_PAGETYPEINFO].loaded ? &m->pt : NULL, &b);
	if (!r)
		r = outdir_put(&out, "proc/pagetypeinfo", b.data, b.len);
	buf_reset(&b);
	if (!r)
		r = sim_emit_zoneinfo(sm, &m->zi, &b);
	if (!r)
		r = outdir_put(&out, "proc/zoneinfo", b.data, b.len);
	for (unsigned k = 0; k < ARRAY_SIZE(sysvm_files) && !r; k++) {
		char val[256];
		int n = 0;

		if (!(m->vm.have & (1u << k)))
			continue;
		if ((1u << k) == SYSVM_LOWMEM_RESERVE_RATIO) {
			for (unsigned i = 0; i < m->vm.nr_lowmem_reserve_ratio; i++)
				n += snprintf(val + n, sizeof(val) - (size_t)n, "%s%lld", i ? "\t" : "",
					      (long long)m->vm.lowmem_reserve_ratio[i]);
			n += snprintf(val + n, sizeof(val) - (size_t)n, "\n");
		} else {
			int64_t v = (1u << k) == SYSVM_MIN_FREE_KBYTES ? m->vm.min_free_kbytes :
				    (1u << k) == SYSVM_WATERMARK_SCALE_FACTOR ? m->vm.watermark_scale_factor :
				    (1u << k) == SYSVM_EXTFRAG_THRESHOLD ? m->vm.extfrag_threshold :
				    (1u << k) == SYSVM_WATERMARK_BOOST_FACTOR ? m->vm.watermark_boost_factor :
				    m->vm.compaction_proactiveness;

			n = snprintf(val, sizeof(val), "%lld\n", (long long)v);
		}
		snprintf(rel, sizeof(rel), "proc/sys/vm/%s", sysvm_files[k]);
		r = outdir_put(&out, rel, val, (size_t)n);
	}
	if (!r && slabinfo)
		r = outdir_put(&out, "proc/slabinfo", slabinfo->data ? slabinfo->data : "", slabinfo->len);
	if (!r && m->kernel_release[0]) {
		snprintf(rel, sizeof(rel), "%s\n", m->kernel_release);
		r = outdir_put(&out, "proc/sys/kernel/osrelease", rel, strlen(rel));
	}
	if (!r) {
		char manifest[640];
		int n = snprintf(manifest, sizeof(manifest),
				 "{\n  \"schema_version\": 1,\n  \"kind\": \"simulation\",\n"
				 "  \"note\": \"The end state of fragscope sim %s: buddyinfo, pagetypeinfo%s and zoneinfo as the kernel would print them; other zoneinfo counters are the seed's.\",\n"
				 "  \"page_size\": %llu\n}\n", slabinfo ? "slab" : "buddy", slabinfo ? ", slabinfo" : "",
				 (unsigned long long)m->page_size);

		r = outdir_put(&out, "fragscope-snapshot.json", manifest, (size_t)n);
	}
	buf_free(&b);
	if (r < 0) {
		cli_error("cannot write '%s': %s", o->sim_emit_root, strerror(-r));
		outdir_abort(&out);
		return r == -EACCES ? EXIT_PERM : EXIT_OUTPUT;
	}
	return outdir_commit(&out);
}

/* ---- predict --simulate ---------------------------------------------------------- */

struct forecast {
	struct alloc_request req;
	bool failed;
	uint64_t step;
	size_t phase;
	enum alloc_outcome outcome;
	char why[320];
};

/* After every step: would the request be served now? */
static int forecast_probe(struct sim_machine *m, uint64_t step, size_t phase, void *ctx)
{
	struct forecast *f = ctx;
	struct alloc_prediction p;

	for (size_t i = 0; i < m->nz; i++)
		sim_machine_sync(m, i);
	if (alloc_predict(&m->am, &f->req, &p) < 0)
		return 0;
	if (p.served_by < 0) {
		f->failed = true;
		f->step = step;
		f->phase = phase;
		f->outcome = p.outcome;
		alloc_explain(&m->am, &p, f->why, sizeof(f->why));
	}
	alloc_prediction_free(&p);
	return f->failed;
}

int sim_forecast(const struct options *o, const struct machine *m, const struct alloc_request *req)
{
	struct sim_workload w = { 0 };
	struct sim_run_opts ro = { 0 };
	struct forecast f = { .req = *req };
	struct sim_machine sm;
	struct sim_result res;
	unsigned pmd;
	bool pmd_from_meminfo;
	int rc, r;

	f.req.count = 1;
	rc = sim_load_workload(o->simulate, &w);
	if (rc)
		return rc;
	r = sim_machine_seed(&m->zi, &m->buddy, m->in[IN_PAGETYPEINFO].loaded ? &m->pt : NULL,
			     m->in[IN_SYSVM].loaded ? &m->vm : NULL, m->in[IN_NODES].loaded ? &m->numa : NULL,
			     m->kernel_release, &sm);
	if (r < 0) {
		cli_error(r == -ENOMEM ? "out of memory" : "%s: cannot seed the simulator from it",
			  m->in[IN_ZONEINFO].path);
		sim_workload_free(&w);
		return EXIT_INPUT;
	}
	sm.page_size = m->page_size;
	pmd = alloc_pmd_order(m->in[IN_MEMINFO].loaded ? &m->meminfo : NULL, m->page_size, sm.nr_orders,
			      &pmd_from_meminfo);
	rc = sim_check_workload(&w, &sm, pmd, false);
	if (rc)
		goto out;
	ro.seed = (o->used & OPT_SIM_SEED) ? o->sim_seed : 1;
	ro.max_steps = o->sim_steps;
	ro.probe = forecast_probe;
	ro.probe_ctx = &f;
	if (sim_run(&sm, &w, &ro, &res) < 0) {
		cli_error("out of memory");
		rc = EXIT_INPUT;
		goto out;
	}
	if (o->json) {
		struct json *j = cli_json_begin(o, m, "predict --simulate");

		if (j) {
			json_key(j, "forecast");
			json_begin_object(j);
			json_kv_string(j, "workload", w.name);
			json_kv_u64(j, "rng_seed", ro.seed);
			json_kv_string(j, "class", f.req.cls->name);
			json_kv_u64(j, "order", f.req.order);
			json_kv_i64(j, "node", f.req.node);
			json_kv_bool(j, "fails", f.failed);
			json_kv_u64(j, "steps_run", res.steps);
			if (f.failed) {
				json_kv_u64(j, "step", f.step);
				json_kv_string(j, "phase", w.ph[f.phase].name);
				json_kv_string(j, "outcome", alloc_outcome_name(f.outcome));
				json_kv_string(j, "reason", f.why);
			}
			json_kv_u64(j, "held_pages", res.live_pages);
			json_end_object(j);
			cli_json_end(j, m, SIM_INPUTS);
		}
	} else {
		char g1[UNITS_BUFSZ + 8], g2[UNITS_BUFSZ + 8];

		if (f.failed)
			printf("Under workload %s (seed %llu), an order-%u %s allocation on node %d first fails at step %s"
			       " (phase %s), with %s pages held by the workload: %s: %s.\n",
			       w.name, (unsigned long long)ro.seed, f.req.order, f.req.cls->name, f.req.node,
			       units_group(f.step, g1), w.ph[f.phase].name, units_group(res.live_pages, g2),
			       alloc_outcome_name(f.outcome), f.why);
		else
			printf("Under workload %s (seed %llu), an order-%u %s allocation on node %d did not fail in %s steps"
			       " (the workload held up to %s pages).\n",
			       w.name, (unsigned long long)ro.seed, f.req.order, f.req.cls->name, f.req.node,
			       units_group(res.steps, g1), units_group(res.peak_live_pages, g2));
		printf("Estimate: a simulation from the free block counts (see fragscope(1), SIMULATOR); reclaim,\n"
		       "compaction and kswapd are not simulated, so the kernel would try those first.\n");
	}
	rc = cli_finish(f.failed ? EXIT_NEGATIVE : EXIT_OK);
	sim_result_free(&res);
out:
	sim_machine_free(&sm);
	sim_workload_free(&w);
	return rc;
}

int cmd_sim(struct options *o)
{
	struct sim_workload w = { 0 };
	struct trace tr = { 0 };
	struct sim_run_opts ro = { 0 };
	struct sim_machine sm;
	struct sim_result res;
	struct source *src = NULL;
	struct machine m;
	unsigned pmd;
	bool pmd_from_meminfo, from_pages;
	uint64_t empty_bytes = 0;
	bool slab;
	int rc, r;

	if (strcmp(o->argv[0], "record") == 0)
		return sim_record(o);
	slab = strcmp(o->argv[0], "slab") == 0;
	if (strcmp(o->argv[0], "buddy") != 0 && !slab) {
		cli_error("sim: unknown simulator '%s' (buddy, slab, record)", o->argv[0]);
		return EXIT_USAGE;
	}
	if (o->argc > 1) {
		cli_error(slab ? "sim slab takes no argument after 'slab'" :
			  "sim buddy takes no argument after 'buddy' (a trace goes with --replay FILE)");
		return EXIT_USAGE;
	}
	if (!slab && (o->used & (OPT_CPUS | OPT_SLAB_RULE | OPT_CPU_SLABS | OPT_WHAT_IF | OPT_OBJECT_SIZE | OPT_COUNT))) {
		cli_error("--cpus, --slab-rule, --cpu-slabs, --what-if, --object-size and --count go with 'sim slab'");
		return EXIT_USAGE;
	}
	if (slab && (o->used & (OPT_REPLAY | OPT_BENCH | OPT_PAGES))) {
		cli_error("--replay, --bench and --pages go with 'sim buddy'");
		return EXIT_USAGE;
	}
	if (slab && !o->what_if && (o->used & (OPT_OBJECT_SIZE | OPT_COUNT))) {
		cli_error("--object-size and --count go with --what-if");
		return EXIT_USAGE;
	}
	if (slab && o->what_if) {
		if (o->used & (OPT_SEED_FROM | OPT_WORKLOAD | OPT_STEPS | OPT_SIM_SEED | OPT_SAMPLE | OPT_CHECK |
			       OPT_EMIT_ROOT | OPT_FORCE | OPT_PCP | OPT_CPU_SLABS)) {
			cli_error("--what-if computes geometry only: no seed, workload or simulation options");
			return EXIT_USAGE;
		}
		return sim_slab_what_if(o);
	}
	if (o->used & OPT_SECONDS) {
		cli_error("--seconds goes with 'sim record'");
		return EXIT_USAGE;
	}
	if (o->sim_replay && (o->used & (OPT_WORKLOAD | OPT_STEPS | OPT_SAMPLE | OPT_SIM_SEED))) {
		cli_error("--replay runs the trace: --workload, --steps, --sample and --seed do not apply");
		return EXIT_USAGE;
	}
	if (o->sim_bench)
		return run_bench(o);
	if (o->sim_workload && strcmp(o->sim_workload, "help") == 0) {
		list_profiles();
		return cli_finish(EXIT_OK);
	}
	from_pages = o->sim_seed_from && strcmp(o->sim_seed_from, "kpageflags") == 0;
	if (is_empty_seed(o)) {
		if (sim_parse_size(o->sim_seed_from + 6, &empty_bytes) < 0 || empty_bytes < ((uint64_t)32 << 20) ||
		    empty_bytes > ((uint64_t)1 << 52)) {
			cli_error("--seed-from %s: SIZE is a number with K, M, G or T, from 32M to 4096T (empty:16G)",
				  o->sim_seed_from);
			return EXIT_USAGE;
		}
		if (o->root) {
			cli_error("--seed-from empty:SIZE builds its machine: --root does not apply");
			return EXIT_USAGE;
		}
	} else if (o->sim_seed_from && !from_pages && strcmp(o->sim_seed_from, o->root ? "root" : "live") != 0) {
		cli_error("--seed-from %s: %s", o->sim_seed_from,
			  o->root ? "with --root the seed is the root ('root') or its proc/kpageflags ('kpageflags')" :
				    "'live' (this machine's counts), 'kpageflags' (its page layout) or, with --root DIR, 'root'");
		return EXIT_USAGE;
	}
	if (o->sim_emit_root) {
		rc = outdir_check(o->sim_emit_root, o->force, "root");
		if (rc)
			return rc;
	} else if (o->force) {
		cli_error("--force goes with --emit-root DIR");
		return EXIT_USAGE;
	}
	rc = o->sim_replay ? load_trace(o, &tr) : sim_load_workload(o->sim_workload ? o->sim_workload : (slab ? "slab-churn" : "default"), &w);
	if (rc)
		return rc;
	if (empty_bytes) {
		memset(&m, 0, sizeof(m));
		r = sim_empty_inputs(empty_bytes / 4096, &m.zi, &m.buddy, &m.vm);
		if (r < 0) {
			cli_error(r == -ENOMEM ? "out of memory" : "--seed-from %s: cannot build that machine",
				  o->sim_seed_from);
			rc = r == -ENOMEM ? EXIT_INPUT : EXIT_USAGE;
			goto out_nomachine;
		}
		m.in[IN_ZONEINFO].loaded = m.in[IN_BUDDYINFO].loaded = m.in[IN_SYSVM].loaded = true;
		m.page_size = 4096;
	} else {
		struct load_opts lo = { .slab_detail = SLAB_DETAIL_NODES };

		rc = cli_load_opts(o, SIM_INPUTS | (slab ? IN_BIT(IN_SLABINFO) | IN_BIT(IN_SLABSYS) : 0), SIM_REQUIRED,
				   &lo, &src, &m);
		if (!src || !m.in[IN_BUDDYINFO].loaded || !m.in[IN_ZONEINFO].loaded)
			goto out_nomachine;
	}
	r = (from_pages ? sim_machine_seed_spans : sim_machine_seed)(
		&m.zi, &m.buddy, m.in[IN_PAGETYPEINFO].loaded ? &m.pt : NULL,
		m.in[IN_SYSVM].loaded ? &m.vm : NULL, m.in[IN_NODES].loaded ? &m.numa : NULL,
		m.kernel_release, &sm);
	if (r < 0) {
		if (r == -ENOMEM)
			cli_error("out of memory");
		else if (r == -ENODATA)
			cli_error("%s: no zone has watermarks (min/low lines)", m.in[IN_ZONEINFO].path);
		else
			cli_error("%s: a zone spans more pages than the simulator can index", m.in[IN_ZONEINFO].path);
		cli_status(&rc, EXIT_INPUT);
		goto out_nomachine;
	}
	sm.page_size = m.page_size;
	if (o->pcp && sim_machine_enable_pcp(&sm, &m.zi) < 0) {
		cli_error("out of memory");
		cli_status(&rc, EXIT_INPUT);
		goto out;
	}
	if (from_pages) {
		r = seed_from_pages(src, &sm);
		if (r) {
			cli_status(&rc, r);
			goto out;
		}
	}
	if (o->sim_replay) {
		struct zone_blocks *before = zone_blocks_now(&sm);
		struct replay_result rr;
		char why[256] = "";

		r = before ? sim_replay(&sm, &tr, o->check, &rr, why, sizeof(why)) : -ENOMEM;
		if (r == -ENOMEM) {
			cli_error("out of memory");
			cli_status(&rc, EXIT_INPUT);
		} else {
			if (r == -EUCLEAN) {
				cli_error("sim: invariant broken during the replay: %s", why);
				cli_status(&rc, EXIT_NEGATIVE);
			}
			if (o->sim_emit_root)
				cli_status(&rc, sim_emit_root(o, &m, &sm, NULL));
			if (o->json)
				replay_json(o, &m, &sm, before, &tr, &rr);
			else
				replay_text(o, &m, &sm, before, &tr, &rr);
			rc = cli_finish(rc);
		}
		free(before);
		goto out;
	}
	pmd = alloc_pmd_order(m.in[IN_MEMINFO].loaded ? &m.meminfo : NULL, m.page_size, sm.nr_orders,
			      &pmd_from_meminfo);
	r = sim_check_workload(&w, &sm, pmd, slab);
	if (r) {
		rc = r;
		goto out;
	}
	if (slab) {
		cli_status(&rc, sim_slab_run(o, &m, &sm, &w, empty_bytes ? NULL : src, pmd));
		rc = cli_finish(rc);
		goto out;
	}
	ro.seed = (o->used & OPT_SIM_SEED) ? o->sim_seed : 1;
	ro.sample_every = o->sim_sample;
	ro.max_steps = o->sim_steps;
	ro.check = o->check;
	if (sim_run(&sm, &w, &ro, &res) < 0) {
		cli_error("out of memory");
		cli_status(&rc, EXIT_INPUT);
		goto out;
	}
	if (res.check_failed_step >= 0) {
		cli_error("sim: invariant broken after step %d: %s", res.check_failed_step, res.check_why);
		cli_status(&rc, EXIT_NEGATIVE);
	}
	if (o->sim_emit_root)
		cli_status(&rc, sim_emit_root(o, &m, &sm, NULL));
	if (o->json)
		print_json(o, &m, &sm, &w, &res, pmd, ro.seed);
	else
		print_text(o, &m, &sm, &w, &res, pmd, ro.seed);
	sim_result_free(&res);
	rc = cli_finish(rc);
out:
	sim_machine_free(&sm);
out_nomachine:
	sim_workload_free(&w);
	trace_free(&tr);
	machine_free(&m);
	source_free(src);
	return rc;
}
