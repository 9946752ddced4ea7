/*
 * cmd-sim-slab.c - "fragscope sim slab": the slab allocator simulator
 * (sim/slab.c) on the buddy simulator, seeded like "sim buddy" (cmd-sim.c
 * builds the machine and hands it here), run under a workload whose
 * objalloc, objfree and churn lines drive the caches while its alloc
 * lines take pages; a timeline of each cache and of the machine's
 * pageblocks, and a summary.  "--what-if --object-size N" compares the
 * kmalloc size classes with a dedicated cache by the geometry rule.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-sim.h"
#include "views.h"
#include "../model/slab.h"
#include "../render/units.h"
#include "../sim/slab.h"
#include "../sim/slabgeom.h"

static const char *const list_names[SL_NLISTS] = { "full", "partial", "empty", "cpu", "cpu_partial" };

static const char *mt_name(enum alloc_mt mt)
{
	return mt == MT_RECLAIMABLE ? "Reclaimable" : "Unmovable";
}

/* ---- --what-if ------------------------------------------------------------ */

struct what_if_row {
	char name[48];
	bool dedicated;
	struct slab_geom g;
	uint64_t slabs, pages, bytes, used, waste;
};

static void what_if_fill(struct what_if_row *w, uint64_t count, uint64_t object_size, uint64_t page_size)
{
	w->slabs = (count + w->g.objs_per_slab - 1) / w->g.objs_per_slab;
	w->pages = w->slabs << w->g.order;
	w->bytes = w->pages * page_size;
	w->used = count * object_size;
	w->waste = w->bytes - w->used;
}

int sim_slab_what_if(const struct options *o)
{
	struct slab_geom_params p;
	struct source *src = NULL;
	struct what_if_row rows[SLAB_KMALLOC_CLASSES + 1];
	uint64_t size = o->object_size, count = o->count ? o->count : 1000000;
	size_t n = 0, best = 0;
	struct buf rel = BUF_INIT;
	char note[256], release[128] = "";
	int rc;

	if (!(o->used & OPT_OBJECT_SIZE)) {
		cli_error("--what-if needs --object-size N");
		return EXIT_USAGE;
	}
	rc = cli_open_source(o, &src);
	if (rc)
		return rc;
	/* The rule by the kernel release, read as machine_load() reads it. */
	if (source_read(src, "proc/sys/kernel/osrelease", &rel) == 0 && rel.len) {
		snprintf(release, sizeof(release), "%.*s", (int)strcspn(rel.data, "\n"), rel.data);
	} else {
		buf_reset(&rel);
		if (source_read(src, "proc/version", &rel) == 0 && rel.len > 14 &&
		    strncmp(rel.data, "Linux version ", 14) == 0)
			snprintf(release, sizeof(release), "%.*s", (int)strcspn(rel.data + 14, " \n"), rel.data + 14);
	}
	buf_free(&rel);
	rc = cli_slab_geom_params(o, src, release, &p, note, sizeof(note));
	source_free(src);
	if (rc)
		return rc;
	/* The dedicated cache: align 8, no flags (kmem_cache_create(name, N, 0, 0, NULL)). */
	memset(rows, 0, sizeof(rows));
	snprintf(rows[n].name, sizeof(rows[n].name), "dedicated");
	rows[n].dedicated = true;
	if (slab_geom_compute(size, 8, 0, &p, &rows[n].g) < 0) {
		cli_error("--object-size %llu: no slab order holds it", (unsigned long long)size);
		return EXIT_USAGE;
	}
	what_if_fill(&rows[n++], count, size, p.page_size);
	for (size_t k = 0; k < SLAB_KMALLOC_CLASSES; k++) {
		uint64_t cls = slab_kmalloc_sizes[k];

		if (cls < size)
			continue;
		snprintf(rows[n].name, sizeof(rows[n].name), "kmalloc-%llu%s",
			 cls >= 1024 ? (unsigned long long)(cls >> 10) : (unsigned long long)cls, cls >= 1024 ? "k" : "");
		/* kmalloc caches: natural alignment (the largest power of two dividing the size). */
		if (slab_geom_compute(cls, cls & -cls, SG_KMALLOC, &p, &rows[n].g) < 0)
			continue;
		what_if_fill(&rows[n++], count, size, p.page_size);
	}
	for (size_t k = 1; k < n; k++)
		if (rows[k].bytes < rows[best].bytes)
			best = k;
	if (o->json) {
		struct json *j = json_new(stdout, o->pretty);

		if (!j) {
			cli_error("out of memory");
			return EXIT_INPUT;
		}
		json_begin_object(j);
		json_kv_u64(j, "schema_version", 1);
		json_kv_string(j, "command", "sim slab --what-if");
		json_kv_u64(j, "object_size", size);
		json_kv_u64(j, "count", count);
		json_kv_string(j, "rule", p.rule == SLAB_RULE_6_1 ? "6.1" : "6.7");
		json_kv_u64(j, "cpus", p.nr_cpus);
		json_kv_string(j, "least_memory", rows[best].name);
		json_key(j, "caches");
		json_begin_array(j);
		for (size_t k = 0; k < n; k++) {
			json_begin_object(j);
			json_kv_string(j, "cache", rows[k].name);
			json_kv_bool(j, "dedicated", rows[k].dedicated);
			json_kv_u64(j, "slab_size", rows[k].g.slab_size);
			json_kv_u64(j, "order", rows[k].g.order);
			json_kv_u64(j, "objs_per_slab", rows[k].g.objs_per_slab);
			json_kv_u64(j, "slabs", rows[k].slabs);
			json_kv_u64(j, "memory_bytes", rows[k].bytes);
			json_kv_u64(j, "used_bytes", rows[k].used);
			json_kv_u64(j, "waste_bytes", rows[k].waste);
			json_kv_u64(j, "padding_bytes", (rows[k].g.slab_size - size) * count);
			json_kv_u64(j, "leftover_bytes", rows[k].bytes - rows[k].g.slab_size * count);
			json_end_object(j);
		}
		json_end_array(j);
		json_end_object(j);
		json_finish(j);
		json_free(j);
	} else {
		struct table *t = table_new("what-if");
		struct table *ts[1];
		const char *titles[1] = { NULL };
		int c_name = table_add_column(t, "CACHE", TABLE_STR, 0, "a kmalloc size class, or a cache of its own");
		int c_ss = table_add_column(t, "SLOT", TABLE_U64, TABLE_RIGHT, "bytes per object in the slab (slab_size)");
		int c_or = table_add_column(t, "ORDER", TABLE_U64, TABLE_RIGHT, "slab page order");
		int c_ops = table_add_column(t, "OBJ/SLAB", TABLE_U64, TABLE_RIGHT, "objects per slab");
		int c_sl = table_add_column(t, "SLABS", TABLE_U64, TABLE_RIGHT, "slabs for the objects");
		int c_mem = table_add_column(t, "MEMORY", TABLE_BYTES, TABLE_RIGHT, "page bytes of those slabs");
		int c_wst = table_add_column(t, "WASTE", TABLE_BYTES, TABLE_RIGHT,
					     "MEMORY minus the objects' own bytes (padding, slab ends, last slab's free slots)");
		int c_wp = table_add_column(t, "WASTE%", TABLE_STR, TABLE_RIGHT, "WASTE / MEMORY");
		int r;

		if (!t) {
			cli_error("out of memory");
			return EXIT_INPUT;
		}
		for (size_t k = 0; k < n; k++) {
			char pc[16];

			snprintf(pc, sizeof(pc), "%.1f%%", rows[k].bytes ? 100.0 * (double)rows[k].waste / (double)rows[k].bytes : 0.0);
			table_new_row(t);
			table_set_str(t, c_name, rows[k].name);
			table_set_u64(t, c_ss, rows[k].g.slab_size);
			table_set_u64(t, c_or, rows[k].g.order);
			table_set_u64(t, c_ops, rows[k].g.objs_per_slab);
			table_set_u64(t, c_sl, rows[k].slabs);
			table_set_u64(t, c_mem, rows[k].bytes);
			table_set_u64(t, c_wst, rows[k].waste);
			table_set_str(t, c_wp, pc);
		}
		ts[0] = t;
		if (!o->raw && !o->noheadings && !o->output) {
			char g[UNITS_BUFSZ + 8];

			printf("%s objects of %llu bytes, geometry by %s.\n", units_group(count, g),
			       (unsigned long long)size, note);
			printf("A dedicated cache: kmem_cache_create() with align 0 and no flags; kmalloc classes at their natural alignment.\n\n");
		}
		r = cli_select_columns(o, ts, 1);
		if (r == 0)
			view_print_tables(o, ts, titles, 1);
		table_free(ts[0]);
		if (r > 0)
			return r;
		if (!o->raw && !o->noheadings && !o->output && r == 0) {
			char b1[UNITS_BUFSZ], b2[UNITS_BUFSZ];
			size_t k1 = 0;

			/* The smallest kmalloc class that fits, against the dedicated cache. */
			for (size_t k = 1; k < n; k++)
				if (!k1)
					k1 = k;
			if (k1) {
				units_bytes(rows[0].bytes, b1);
				units_bytes(rows[k1].bytes, b2);
				printf("\nLeast memory: %s. A dedicated cache takes %s, %s takes %s.\n", rows[best].name, b1,
				       rows[k1].name, b2);
			} else {
				printf("\nNo kmalloc class holds %llu bytes (the largest is 8 KiB): only a dedicated cache or the page allocator.\n",
				       (unsigned long long)size);
			}
		}
	}
	return cli_finish(EXIT_OK);
}

/* ---- the caches of a workload ------------------------------------------------ */

/* kmalloc-N, kmalloc-rcl-N (N: 8 ... 192, 256 ... 1k, 2k, 4k, 8k): its size and flags, or 0. */
static uint64_t kmalloc_cache(const char *name, unsigned *flags)
{
	const char *p = name;
	char want[32];

	*flags = SG_KMALLOC;
	if (strncmp(p, "kmalloc-rcl-", 12) == 0) {
		p += 12;
		*flags |= SG_RECLAIM_ACCOUNT;
	} else if (strncmp(p, "kmalloc-", 8) == 0) {
		p += 8;
	} else {
		return 0;
	}
	for (size_t k = 0; k < SLAB_KMALLOC_CLASSES; k++) {
		uint64_t c = slab_kmalloc_sizes[k];

		if (c >= 1024)
			snprintf(want, sizeof(want), "%lluk", (unsigned long long)(c >> 10));
		else
			snprintf(want, sizeof(want), "%llu", (unsigned long long)c);
		if (strcmp(p, want) == 0)
			return c;
	}
	return 0;
}

static const struct sim_op *first_use(const struct sim_workload *w, const char *name)
{
	for (size_t p = 0; p < w->n; p++)
		for (size_t k = 0; k < w->ph[p].nops; k++)
			if (w->ph[p].ops[k].kind != SIM_OP_PAGES && strcmp(w->ph[p].ops[k].cache, name) == 0)
				return &w->ph[p].ops[k];
	return NULL;
}

/* Seed cache i from the seed's record c. */
static int seed_cache(struct sim_slabs *s, size_t i, const struct slab_cache *c)
{
	uint64_t per = s->c[i].g.objs_per_slab, slabs, active, partial = 0, po = 0, nonpartial, out, full, rem;

	slabs = (c->sys & SYS_SLABS) ? c->slabs.total : c->num_slabs;
	active = slab_active_objs(c);
	if (c->sys & SYS_PARTIAL) {
		partial = c->partial.total;
		po = (c->sys & SYS_OBJECTS_PARTIAL) ? c->objects_partial.total : 0;
	}
	if (partial > slabs)
		partial = slabs;
	if (po > active)
		po = active;
	nonpartial = slabs - partial;
	out = active - po;
	if (out > nonpartial * per)
		out = nonpartial * per;
	full = out / per;
	rem = out % per;
	if (rem && full < nonpartial) {
		partial++;
		po += rem;
	}
	return sim_slabs_seed(s, i, full, partial, po, nonpartial - full - (rem && full < nonpartial ? 1 : 0));
}

/* Every cache the workload names, in order of first use; prints and
 * returns an exit code on failure. */
static int build_caches(const struct options *o, const struct machine *m, const struct sim_workload *w,
			const struct slab_geom_params *p, struct sim_slabs *s)
{
	for (size_t ph = 0; ph < w->n; ph++) {
		for (size_t k = 0; k < w->ph[ph].nops; k++) {
			const struct sim_op *op = &w->ph[ph].ops[k];
			const struct sim_cache_decl *d = NULL;
			const struct slab_cache *sc = NULL;
			struct slab_geom g;
			unsigned flags = 0;
			uint64_t ksize;
			int r, idx;

			if (op->kind == SIM_OP_PAGES || sim_slabs_find(s, op->cache) >= 0)
				continue;
			if (first_use(w, op->cache) != op)
				continue;
			for (size_t c = 0; c < w->ncaches; c++)
				if (strcmp(w->caches[c].name, op->cache) == 0)
					d = &w->caches[c];
			if (!d && m->slab.n)
				sc = slabinfo_find(&m->slab, op->cache);
			ksize = kmalloc_cache(op->cache, &flags);
			if (d) {
				flags = d->flags;
				r = slab_geom_compute(d->size, slab_geom_align(flags, d->align, d->size, p->cache_line), flags,
						      p, &g);
				if (r < 0) {
					cli_error("%s:%u: cache %s: size %llu fits no slab order", w->name, d->line, d->name,
						  (unsigned long long)d->size);
					return EXIT_USAGE;
				}
			} else if (sc && (sc->have & SC_SLABINFO) && sc->objsize && sc->objperslab && sc->pagesperslab) {
				unsigned order = 0;

				flags = (sc->sys & SYS_FLAGS) ? slab_geom_cache_flags(sc) :
					(strncmp(sc->name, "kmalloc-rcl-", 12) == 0 ? SG_RECLAIM_ACCOUNT : 0);
				if (slab_geom_from_stride(sc->objsize, flags, p, &g) < 0)
					memset(&g, 0, sizeof(g));
				/* The kernel's own geometry, as the seed shows it. */
				while (((uint64_t)1 << order) < sc->pagesperslab && order < 31)
					order++;
				g.slab_size = sc->objsize;
				g.object_size = (sc->sys & SYS_OBJECT_SIZE) ? sc->object_size : sc->objsize;
				g.order = order;
				g.objs_per_slab = sc->objperslab;
				g.leftover = (p->page_size << order) - sc->objperslab * sc->objsize;
				if (g.min_order > order)
					g.min_order = order;
				g.min_objs = (p->page_size << g.min_order) / sc->objsize;
				if ((sc->sys & SYS_MIN_PARTIAL) && sc->min_partial)
					g.min_partial = sc->min_partial;
			} else if (ksize) {
				if (slab_geom_compute(ksize, ksize & -ksize, flags, p, &g) < 0)
					return EXIT_USAGE;
			} else {
				cli_error("%s:%u: cache %s: not declared with a 'cache' line, not a kmalloc cache%s", w->name,
					  op->line, op->cache, m->slab.n ? " and not in the seed's slabinfo" : "");
				return EXIT_USAGE;
			}
			if (g.order >= s->m->nr_orders || g.objs_per_slab == 0 || g.objs_per_slab > 32767) {
				cli_error("%s:%u: cache %s: slabs of order %u do not fit this machine", w->name, op->line,
					  op->cache, g.order);
				return EXIT_USAGE;
			}
			idx = sim_slabs_add(s, op->cache, &g, flags);
			if (idx < 0) {
				cli_error("out of memory");
				return EXIT_INPUT;
			}
			if (!d && sc && seed_cache(s, (size_t)idx, sc) < 0) {
				cli_error("out of memory");
				return EXIT_INPUT;
			}
		}
	}
	(void)o;
	if (!s->n) {
		cli_error("%s: no objalloc, objfree or churn line: nothing for the slab simulator (sim buddy runs page workloads)",
			  w->name);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* ---- the run ----------------------------------------------------------------- */

struct slab_sample {
	uint64_t step;
	size_t phase;
	struct sim_kcache_now *c;    /* per cache */
	struct sim_pb_stats pb;
	uint64_t free_pages;
};

struct slab_run {
	struct sim_slabs *s;
	struct slab_sample *sa;
	size_t n;
	uint64_t every, last_step;
	uint64_t *ends;              /* per phase: the step its last step ends at */
	size_t last_phase;
	bool check;
	int check_failed_step;
	char check_why[256];
	int err;
};

static int take_sample(struct slab_run *run, uint64_t step, size_t phase)
{
	struct slab_sample *sa;

	if (run->n && run->sa[run->n - 1].step == step)
		return 0;
	sa = realloc(run->sa, (run->n + 1) * sizeof(*sa));
	if (!sa)
		return -ENOMEM;
	run->sa = sa;
	sa = &run->sa[run->n];
	memset(sa, 0, sizeof(*sa));
	sa->c = calloc(run->s->n, sizeof(*sa->c));
	if (!sa->c)
		return -ENOMEM;
	run->n++;
	sa->step = step;
	sa->phase = phase;
	for (size_t i = 0; i < run->s->n; i++)
		sim_slabs_cache_now(run->s, i, &sa->c[i]);
	for (size_t z = 0; z < run->s->m->nz; z++)
		sa->free_pages += run->s->m->zones[z].free_pages;
	return sim_slabs_pageblocks(run->s, &sa->pb);
}

static int slab_probe(struct sim_machine *m, uint64_t step, size_t phase, void *ctx)
{
	struct slab_run *run = ctx;

	(void)m;
	if (run->check && step > 0 && sim_slabs_check(run->s, run->check_why, sizeof(run->check_why)) != 0) {
		run->check_failed_step = (int)(step > INT32_MAX ? INT32_MAX : step);
		return 1;
	}
	/* A row at the start, at the end of every phase that runs its
	 * steps, and every `every` steps. */
	if (step == 0 || step == run->ends[phase] || step % run->every == 0) {
		int r = take_sample(run, step, phase);

		if (r < 0) {
			run->err = r;
			return 1;
		}
	}
	run->last_phase = phase;
	run->last_step = step;
	return 0;
}

/* ---- output ------------------------------------------------------------------- */

static struct table *caches_table(const struct sim_slabs *s)
{
	struct table *t = table_new("caches");
	int c_name = table_add_column(t, "CACHE", TABLE_STR, 0, "cache name");
	int c_os = table_add_column(t, "OBJ-SIZE", TABLE_U64, TABLE_RIGHT, "object size");
	int c_ss = table_add_column(t, "SLOT", TABLE_U64, TABLE_RIGHT, "bytes per object in the slab (slab_size)");
	int c_or = table_add_column(t, "ORDER", TABLE_U64, TABLE_RIGHT, "slab page order (fallback order in MIN-ORDER)");
	int c_mo = table_add_column(t, "MIN-ORDER", TABLE_U64, TABLE_RIGHT, "the order tried when ORDER fails");
	int c_ops = table_add_column(t, "OBJ/SLAB", TABLE_U64, TABLE_RIGHT, "objects per slab");
	int c_mp = table_add_column(t, "MIN-PARTIAL", TABLE_U64, TABLE_RIGHT, "partial and empty slabs kept");
	int c_cp = table_add_column(t, "CPU-PARTIAL", TABLE_U64, TABLE_RIGHT, "per-CPU partial slabs (with --cpu-slabs)");
	int c_mt = table_add_column(t, "PAGES-FROM", TABLE_STR, 0, "the migratetype of its slab pages");
	int c_seed = table_add_column(t, "SEEDED", TABLE_U64, TABLE_RIGHT, "slabs from the seed");
	int c_unpl = table_add_column(t, "UNPLACED", TABLE_U64, TABLE_RIGHT,
				      "seeded slabs that found no allocated pages of their type to stand on");

	if (c_unpl < 0) {
		table_free(t);
		return NULL;
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct sim_kcache *c = &s->c[i];

		table_new_row(t);
		table_set_str(t, c_name, c->name);
		table_set_u64(t, c_os, c->g.object_size);
		table_set_u64(t, c_ss, c->g.slab_size);
		table_set_u64(t, c_or, c->g.order);
		table_set_u64(t, c_mo, c->g.min_order);
		table_set_u64(t, c_ops, c->g.objs_per_slab);
		table_set_u64(t, c_mp, c->g.min_partial);
		table_set_u64(t, c_cp, c->g.cpu_partial_slabs);
		table_set_str(t, c_mt, mt_name(c->mt));
		table_set_u64(t, c_seed, c->st.seeded_slabs);
		table_set_u64(t, c_unpl, c->st.unplaced_slabs);
	}
	return t;
}

static struct table *timeline_table(const struct sim_slabs *s, const struct sim_workload *w,
				    const struct slab_run *run)
{
	struct table *t = table_new("timeline");
	int c_step = table_add_column(t, "STEP", TABLE_U64, TABLE_RIGHT, "steps run");
	int c_ph = table_add_column(t, "PHASE", TABLE_STR, 0, "the workload phase");
	int c_name = table_add_column(t, "CACHE", TABLE_STR, 0, "cache name");
	int c_act = table_add_column(t, "ACTIVE", TABLE_U64, TABLE_RIGHT, "objects in use");
	int c_sl = table_add_column(t, "SLABS", TABLE_U64, TABLE_RIGHT, "slabs");
	int c_l[SL_NLISTS];
	int c_pg = table_add_column(t, "MEMORY", TABLE_BYTES, TABLE_RIGHT, "page bytes of the slabs");
	int c_iw = table_add_column(t, "INT-WASTE", TABLE_BYTES, TABLE_RIGHT,
				    "object padding of the objects in use plus the slab ends no object fits");
	int c_ew = table_add_column(t, "EXT-WASTE", TABLE_BYTES, TABLE_RIGHT,
				    "free slots in partial slabs (node and per-CPU)");

	c_l[SL_FULL] = table_add_column(t, "FULL", TABLE_U64, TABLE_RIGHT, "full slabs");
	c_l[SL_PARTIAL] = table_add_column(t, "PARTIAL", TABLE_U64, TABLE_RIGHT, "slabs on the node partial list");
	c_l[SL_EMPTY] = table_add_column(t, "EMPTY", TABLE_U64, TABLE_RIGHT, "empty slabs kept");
	c_l[SL_CPU] = table_add_column(t, "CPU", TABLE_U64, TABLE_RIGHT | (s->cpu_slabs ? 0 : TABLE_HIDDEN),
				       "the per-CPU slab (--cpu-slabs)");
	c_l[SL_CPU_PARTIAL] = table_add_column(t, "CPU-PARTIAL", TABLE_U64, TABLE_RIGHT | (s->cpu_slabs ? 0 : TABLE_HIDDEN),
					       "per-CPU partial slabs (--cpu-slabs)");
	if (c_l[SL_CPU_PARTIAL] < 0) {
		table_free(t);
		return NULL;
	}
	for (size_t k = 0; k < run->n; k++)
		for (size_t i = 0; i < s->n; i++) {
			const struct sim_kcache_now *c = &run->sa[k].c[i];

			table_new_row(t);
			table_set_u64(t, c_step, run->sa[k].step);
			table_set_str(t, c_ph, w->ph[run->sa[k].phase].name);
			table_set_str(t, c_name, s->c[i].name);
			table_set_u64(t, c_act, c->active);
			table_set_u64(t, c_sl, c->slabs);
			for (int l = 0; l < SL_NLISTS; l++)
				table_set_u64(t, c_l[l], c->lists[l]);
			table_set_u64(t, c_pg, c->pages * s->m->page_size);
			table_set_u64(t, c_iw, c->internal_waste);
			table_set_u64(t, c_ew, c->external_waste);
		}
	return t;
}

static struct table *pageblock_table(const struct sim_slabs *s, const struct sim_workload *w,
				     const struct slab_run *run)
{
	struct table *t = table_new("pageblocks");
	int c_step = table_add_column(t, "STEP", TABLE_U64, TABLE_RIGHT, "steps run");
	int c_ph = table_add_column(t, "PHASE", TABLE_STR, 0, "the workload phase");
	int c_free = table_add_column(t, "FREE", TABLE_BYTES, TABLE_RIGHT, "free memory of the machine");
	int c_un = table_add_column(t, "UNMOVABLE", TABLE_U64, TABLE_RIGHT, "pageblocks of type Unmovable");
	int c_rc = table_add_column(t, "RECLAIMABLE", TABLE_U64, TABLE_RIGHT, "pageblocks of type Reclaimable");
	int c_mv = table_add_column(t, "MOVABLE", TABLE_U64, TABLE_RIGHT, "pageblocks of type Movable");
	int c_pol = table_add_column(t, "POLLUTED", TABLE_U64, TABLE_RIGHT,
				     "pageblocks holding an Unmovable or Reclaimable page in use (compaction cannot empty them)");
	int c_polm = table_add_column(t, "POLLUTED-MOVABLE", TABLE_U64, TABLE_RIGHT, "POLLUTED pageblocks typed Movable");
	int c_ws = table_add_column(t, "WITH-SLAB", TABLE_U64, TABLE_RIGHT, "pageblocks holding a simulated slab page");
	int c_wsm = table_add_column(t, "SLAB-IN-MOVABLE", TABLE_U64, TABLE_RIGHT, "WITH-SLAB pageblocks typed Movable");

	if (c_wsm < 0) {
		table_free(t);
		return NULL;
	}
	for (size_t k = 0; k < run->n; k++) {
		const struct sim_pb_stats *pb = &run->sa[k].pb;

		table_new_row(t);
		table_set_u64(t, c_step, run->sa[k].step);
		table_set_str(t, c_ph, w->ph[run->sa[k].phase].name);
		table_set_u64(t, c_free, run->sa[k].free_pages * s->m->page_size);
		table_set_u64(t, c_un, pb->by_type[MT_UNMOVABLE]);
		table_set_u64(t, c_rc, pb->by_type[MT_RECLAIMABLE]);
		table_set_u64(t, c_mv, pb->by_type[MT_MOVABLE]);
		table_set_u64(t, c_pol, pb->polluted);
		table_set_u64(t, c_polm, pb->polluted_movable);
		table_set_u64(t, c_ws, pb->with_slab);
		table_set_u64(t, c_wsm, pb->slab_in_movable);
	}
	return t;
}

static struct table *summary_table(const struct sim_slabs *s)
{
	struct table *t = table_new("summary");
	int c_name = table_add_column(t, "CACHE", TABLE_STR, 0, "cache name");
	int c_held = table_add_column(t, "HELD", TABLE_U64, TABLE_RIGHT, "objects the workload holds");
	int c_all = table_add_column(t, "ALLOCS", TABLE_U64, TABLE_RIGHT, "objects allocated");
	int c_fr = table_add_column(t, "FREES", TABLE_U64, TABLE_RIGHT, "objects freed");
	int c_fail = table_add_column(t, "FAILS", TABLE_U64, TABLE_RIGHT, "object allocations that found no slab");
	int c_sa = table_add_column(t, "NEW-SLABS", TABLE_U64, TABLE_RIGHT, "slabs taken from the buddy machine");
	int c_sf = table_add_column(t, "RELEASED", TABLE_U64, TABLE_RIGHT, "slabs given back to it");
	int c_fb = table_add_column(t, "FALLBACKS", TABLE_U64, TABLE_RIGHT, "new slabs at the fallback order");

	if (c_fb < 0) {
		table_free(t);
		return NULL;
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct sim_kcache *c = &s->c[i];

		table_new_row(t);
		table_set_str(t, c_name, c->name);
		table_set_u64(t, c_held, sim_slabs_held(s, i));
		table_set_u64(t, c_all, c->st.allocs);
		table_set_u64(t, c_fr, c->st.frees);
		table_set_u64(t, c_fail, c->st.alloc_fails);
		table_set_u64(t, c_sa, c->st.slab_allocs);
		table_set_u64(t, c_sf, c->st.slab_frees);
		table_set_u64(t, c_fb, c->st.fallbacks);
	}
	return t;
}

static void pb_json(struct json *j, const struct sim_pb_stats *pb)
{
	json_key(j, "pageblocks");
	json_begin_object(j);
	json_kv_u64(j, "total", pb->pageblocks);
	json_kv_u64(j, "unmovable", pb->by_type[MT_UNMOVABLE]);
	json_kv_u64(j, "reclaimable", pb->by_type[MT_RECLAIMABLE]);
	json_kv_u64(j, "movable", pb->by_type[MT_MOVABLE]);
	json_kv_u64(j, "polluted", pb->polluted);
	json_kv_u64(j, "polluted_movable", pb->polluted_movable);
	json_kv_u64(j, "with_slab", pb->with_slab);
	json_kv_u64(j, "slab_in_movable", pb->slab_in_movable);
	json_end_object(j);
}

static void cache_now_json(struct json *j, const struct sim_slabs *s, size_t i, const struct sim_kcache_now *c)
{
	json_begin_object(j);
	json_kv_string(j, "cache", s->c[i].name);
	json_kv_u64(j, "active_objects", c->active);
	json_kv_u64(j, "total_objects", c->total_objs);
	json_kv_u64(j, "slabs", c->slabs);
	for (int l = 0; l < SL_NLISTS; l++) {
		char key[32];

		snprintf(key, sizeof(key), "slabs_%s", list_names[l]);
		json_kv_u64(j, key, c->lists[l]);
	}
	json_kv_u64(j, "pages", c->pages);
	json_kv_u64(j, "internal_waste_bytes", c->internal_waste);
	json_kv_u64(j, "external_waste_bytes", c->external_waste);
	json_kv_u64(j, "free_slots", c->free_slots);
	json_end_object(j);
}

static void print_json(const struct options *o, const struct machine *m, const struct sim_slabs *s,
		       const struct sim_workload *w, const struct slab_run *run, const struct sim_result *res,
		       const struct slab_geom_params *p, uint64_t seed)
{
	struct json *j = cli_json_begin(o, m, "sim slab");

	if (!j)
		return;
	sim_json_seed(j, o, s->m);
	json_key(j, "workload");
	json_begin_object(j);
	json_kv_string(j, "name", w->name);
	json_kv_u64(j, "rng_seed", seed);
	json_end_object(j);
	json_kv_string(j, "rule", p->rule == SLAB_RULE_6_1 ? "6.1" : "6.7");
	json_kv_u64(j, "cpus", p->nr_cpus);
	json_kv_bool(j, "cpu_slabs", s->cpu_slabs);
	json_key(j, "caches");
	json_begin_array(j);
	for (size_t i = 0; i < s->n; i++) {
		const struct sim_kcache *c = &s->c[i];

		json_begin_object(j);
		json_kv_string(j, "cache", c->name);
		json_kv_u64(j, "object_size", c->g.object_size);
		json_kv_u64(j, "slab_size", c->g.slab_size);
		json_kv_u64(j, "order", c->g.order);
		json_kv_u64(j, "min_order", c->g.min_order);
		json_kv_u64(j, "objs_per_slab", c->g.objs_per_slab);
		json_kv_u64(j, "min_partial", c->g.min_partial);
		json_kv_u64(j, "cpu_partial_slabs", c->g.cpu_partial_slabs);
		json_kv_string(j, "migratetype", mt_name(c->mt));
		json_kv_bool(j, "seeded", c->from_seed);
		json_kv_u64(j, "seeded_slabs", c->st.seeded_slabs);
		json_kv_u64(j, "unplaced_slabs", c->st.unplaced_slabs);
		json_kv_u64(j, "held_objects", sim_slabs_held(s, i));
		json_kv_u64(j, "allocations", c->st.allocs);
		json_kv_u64(j, "frees", c->st.frees);
		json_kv_u64(j, "failures", c->st.alloc_fails);
		json_kv_u64(j, "slabs_allocated", c->st.slab_allocs);
		json_kv_u64(j, "slabs_released", c->st.slab_frees);
		json_kv_u64(j, "fallback_slabs", c->st.fallbacks);
		json_end_object(j);
	}
	json_end_array(j);
	json_key(j, "timeline");
	json_begin_array(j);
	for (size_t k = 0; k < run->n; k++) {
		json_begin_object(j);
		json_kv_u64(j, "step", run->sa[k].step);
		json_kv_string(j, "phase", w->ph[run->sa[k].phase].name);
		json_kv_u64(j, "free_pages", run->sa[k].free_pages);
		pb_json(j, &run->sa[k].pb);
		json_key(j, "caches");
		json_begin_array(j);
		for (size_t i = 0; i < s->n; i++)
			cache_now_json(j, s, i, &run->sa[k].c[i]);
		json_end_array(j);
		json_end_object(j);
	}
	json_end_array(j);
	json_key(j, "pages");
	json_begin_object(j);
	json_kv_u64(j, "steps", res->steps);
	json_kv_u64(j, "allocations", res->allocs);
	json_kv_u64(j, "frees", res->frees);
	json_kv_u64(j, "failures", res->fails);
	json_kv_u64(j, "held_pages", res->live_pages);
	json_end_object(j);
	cli_json_end(j, m, IN_BIT(IN_BUDDYINFO) | IN_BIT(IN_ZONEINFO) | IN_BIT(IN_PAGETYPEINFO) | IN_BIT(IN_SYSVM) |
		     IN_BIT(IN_NODES) | IN_BIT(IN_MEMINFO) | IN_BIT(IN_SLABINFO) | IN_BIT(IN_SLABSYS));
}

static void print_text(const struct options *o, const struct machine *m, const struct sim_slabs *s,
		       const struct sim_workload *w, const struct slab_run *run, const struct sim_result *res,
		       const char *note, uint64_t seed)
{
	char desc[512], what[PATH_MAX + 1024], g1[UNITS_BUFSZ + 8], g2[UNITS_BUFSZ + 8], g3[UNITS_BUFSZ + 8];
	struct table *t[4] = { caches_table(s), timeline_table(s, w, run), pageblock_table(s, w, run),
			       summary_table(s) };
	const char *titles[4] = { "Caches:", "Timeline (per cache):", "Timeline (pageblocks of the machine):",
				  "Objects by cache:" };
	uint64_t free0 = run->n ? run->sa[0].free_pages : 0;
	int r;

	sim_describe_workload(w, desc, sizeof(desc));
	snprintf(what, sizeof(what), "Workload %s (%s), seed %llu.\nSlab geometry by %s; %s.", w->name, desc,
		 (unsigned long long)seed, note,
		 s->cpu_slabs ? "per-CPU slab and per-CPU partial slabs on (one CPU)" :
				"full, partial and empty lists (no per-CPU slabs: --cpu-slabs)");
	sim_print_seed_header(o, m, s->m, free0, what);
	r = cli_select_columns(o, t, 4);
	if (r == 0)
		view_print_tables(o, t, titles, 4);
	for (size_t i = 0; i < 4; i++)
		table_free(t[i]);
	if (r || o->raw || o->noheadings || o->output)
		return;
	if (run->n >= 2) {
		const struct sim_pb_stats *a = &run->sa[0].pb, *b = &run->sa[run->n - 1].pb;

		printf("\nPageblocks polluted (holding Unmovable or Reclaimable pages): %llu at the start, %llu at the end;"
		       " Unmovable + Reclaimable pageblocks: %llu, then %llu.\n",
		       (unsigned long long)a->polluted, (unsigned long long)b->polluted,
		       (unsigned long long)(a->by_type[MT_UNMOVABLE] + a->by_type[MT_RECLAIMABLE]),
		       (unsigned long long)(b->by_type[MT_UNMOVABLE] + b->by_type[MT_RECLAIMABLE]));
	}
	printf("%s steps; page allocations: %s, frees: %s, failed: %llu; the page workload held %s pages at the end.\n",
	       units_group(res->steps, g1), units_group(res->allocs, g2), units_group(res->frees, g3),
	       (unsigned long long)res->fails, units_group(res->live_pages, desc));
}

int sim_slab_run(const struct options *o, const struct machine *m, struct sim_machine *sm,
		 const struct sim_workload *w, struct source *src, unsigned pmd)
{
	struct slab_geom_params p;
	struct sim_run_opts ro = { 0 };
	struct slab_run run = { 0 };
	struct sim_result res;
	struct sim_slabs s;
	char note[256];
	uint64_t total;
	int rc;

	(void)pmd;
	rc = cli_slab_geom_params(o, src, m->kernel_release, &p, note, sizeof(note));
	if (rc)
		return rc;
	ro.seed = (o->used & OPT_SIM_SEED) ? o->sim_seed : 1;
	if (sim_slabs_init(&s, sm, o->cpu_slabs, ro.seed) < 0) {
		sim_slabs_free(&s);
		cli_error("out of memory");
		return EXIT_INPUT;
	}
	rc = build_caches(o, m, w, &p, &s);
	if (rc)
		goto out;
	if (o->check && sim_slabs_check(&s, run.check_why, sizeof(run.check_why)) != 0) {
		cli_error("sim: invariant broken after seeding: %s", run.check_why);
		rc = EXIT_NEGATIVE;
		goto out;
	}
	total = sim_workload_steps(w);
	if (o->sim_steps && o->sim_steps < total)
		total = o->sim_steps;
	run.ends = calloc(w->n ? w->n : 1, sizeof(*run.ends));
	if (!run.ends) {
		cli_error("out of memory");
		rc = EXIT_INPUT;
		goto out;
	}
	for (size_t k = 0, acc = 0; k < w->n; k++) {
		acc += w->ph[k].steps;
		run.ends[k] = acc;
	}
	run.s = &s;
	run.every = o->sim_sample ? o->sim_sample : (total >= 20 ? total / 20 : 1);
	run.check = o->check;
	run.check_failed_step = -1;
	ro.sample_every = o->sim_sample;
	ro.max_steps = o->sim_steps;
	ro.check = o->check;
	ro.probe = slab_probe;
	ro.probe_ctx = &run;
	ro.op_hook = sim_slabs_op_hook;
	ro.op_ctx = &s;
	if (sim_run(sm, w, &ro, &res) < 0 || run.err) {
		cli_error("out of memory");
		rc = EXIT_INPUT;
		goto out_res;
	}
	if (take_sample(&run, res.steps, run.last_phase) < 0) {
		cli_error("out of memory");
		rc = EXIT_INPUT;
		goto out_res;
	}
	if (res.check_failed_step >= 0) {
		cli_error("sim: invariant broken after step %d: %s", res.check_failed_step, res.check_why);
		cli_status(&rc, EXIT_NEGATIVE);
	} else if (run.check_failed_step >= 0) {
		cli_error("sim: invariant broken after step %d: %s", run.check_failed_step, run.check_why);
		cli_status(&rc, EXIT_NEGATIVE);
	}
	if (o->sim_emit_root) {
		struct buf b = BUF_INIT;

		if (sim_emit_slabinfo(&s, m->in[IN_SLABINFO].loaded ? &m->slab : NULL, &b) < 0) {
			cli_error("out of memory");
			cli_status(&rc, EXIT_INPUT);
		} else {
			cli_status(&rc, sim_emit_root(o, m, sm, &b));
		}
		buf_free(&b);
	}
	if (o->json)
		print_json(o, m, &s, w, &run, &res, &p, ro.seed);
	else
		print_text(o, m, &s, w, &run, &res, note, ro.seed);
out_res:
	sim_result_free(&res);
out:
	for (size_t k = 0; k < run.n; k++)
		free(run.sa[k].c);
	free(run.sa);
	free(run.ends);
	sim_slabs_free(&s);
	return rc;
}
