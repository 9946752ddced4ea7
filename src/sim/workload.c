/*
 * workload.c - built-in workload profiles and the runner (workload.h).
 *
 * The runner keeps every live allocation in a slot array and the ones
 * with a finite lifetime in a binary min-heap keyed by the step they end,
 * so each step costs O(log live) per expiry plus the allocations it
 * makes.  All randomness comes from one xorshift64* stream seeded by the
 * caller: the same machine, workload and seed give the same run.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "w1.h"
#include "workload.h"

/* ---- profiles ------------------------------------------------------------ */

struct profile {
	const char *name, *summary, *spec;
};

static const struct profile profiles[] = {
	{ "default",
	  "fill 90% of free memory with page cache, anonymous and kernel memory, then churn with THP faults",
	  "# default: what a busy general-purpose machine does to its free lists.\n"
	  "phase fill steps=2000000 target=90% until=target\n"
	  "  alloc order=0 gfp=GFP_HIGHUSER_MOVABLE count=64 weight=70 life=exp:400000\n"
	  "  alloc order=0 gfp=GFP_KERNEL count=8 weight=20 life=exp:1000000\n"
	  "  alloc order=2 gfp=GFP_KERNEL weight=5 life=exp:200000\n"
	  "  alloc order=9 gfp=THP weight=5 life=exp:100000\n"
	  "phase churn steps=100000 target=90%\n"
	  "  alloc order=0 gfp=GFP_HIGHUSER_MOVABLE count=64 weight=60 life=exp:20000\n"
	  "  alloc order=0 gfp=GFP_KERNEL count=4 weight=20 life=exp:200000\n"
	  "  alloc order=3 gfp=GFP_KERNEL weight=5 life=exp:50000\n"
	  "  alloc order=9 gfp=THP weight=15 life=exp:20000\n" },
	{ "thp-churn",
	  "anonymous memory faulted as THP and base pages, short lifetimes, under kernel pinning",
	  "# thp-churn: THP faults compete with order-0 anonymous memory while\n"
	  "# long-lived kernel pages accumulate.\n"
	  "phase fill steps=2000000 target=85% until=target\n"
	  "  alloc order=9 gfp=THP weight=30 life=exp:50000\n"
	  "  alloc order=0 gfp=GFP_HIGHUSER_MOVABLE count=64 weight=60 life=exp:50000\n"
	  "  alloc order=0 gfp=GFP_KERNEL count=4 weight=10 life=forever\n"
	  "phase churn steps=100000 target=85%\n"
	  "  alloc order=9 gfp=THP weight=40 life=exp:10000\n"
	  "  alloc order=0 gfp=GFP_HIGHUSER_MOVABLE count=64 weight=55 life=exp:10000\n"
	  "  alloc order=0 gfp=GFP_KERNEL count=2 weight=5 life=forever\n" },
	{ "pagecache",
	  "streaming file reads: order-0 page cache in large batches, mostly short-lived",
	  "# pagecache: a streaming reader fills the page cache, which is dropped\n"
	  "# as it ages; a little kernel memory stays behind.\n"
	  "phase stream steps=200000 target=95%\n"
	  "  alloc order=0 gfp=GFP_HIGHUSER_MOVABLE count=256 weight=95 life=exp:30000\n"
	  "  alloc order=0 gfp=GFP_KERNEL count=4 weight=5 life=exp:500000\n" },
	{ "slab-heavy",
	  "kernel work: unmovable order-0 to order-3 slab pages with long lifetimes, atomic bursts",
	  "# slab-heavy: slab caches grow (order 0-3, unmovable) next to movable\n"
	  "# user memory; network bursts allocate GFP_ATOMIC order-3 buffers.\n"
	  "phase grow steps=100000 target=80%\n"
	  "  alloc order=0 gfp=GFP_KERNEL count=16 weight=40 life=exp:200000\n"
	  "  alloc order=1 gfp=GFP_KERNEL count=4 weight=10 life=exp:200000\n"
	  "  alloc order=3 gfp=GFP_KERNEL weight=10 life=exp:100000\n"
	  "  alloc order=3 gfp=GFP_ATOMIC weight=5 life=fixed:200\n"
	  "  alloc order=0 gfp=GFP_HIGHUSER_MOVABLE count=64 weight=35 life=exp:50000\n" },
	{ "slab-churn",
	  "sim slab: kmalloc-192 and kmalloc-rcl-512 objects grow next to page cache, then churn",
	  "# slab-churn (sim slab): kernel objects accumulate next to streaming page\n"
	  "# cache, then are freed at random and reallocated.\n"
	  "phase grow steps=20000\n"
	  "  objalloc cache=kmalloc-192 count=64 weight=40\n"
	  "  objalloc cache=kmalloc-rcl-512 count=16 weight=20\n"
	  "  alloc order=0 gfp=GFP_HIGHUSER_MOVABLE count=64 weight=40 life=exp:20000\n"
	  "phase churn steps=20000\n"
	  "  churn cache=kmalloc-192 count=64 pick=random weight=40\n"
	  "  objfree cache=kmalloc-rcl-512 fraction=1% pick=oldest weight=10\n"
	  "  objalloc cache=kmalloc-rcl-512 count=16 weight=10\n"
	  "  alloc order=0 gfp=GFP_HIGHUSER_MOVABLE count=64 weight=40 life=exp:20000\n" },
};

const char *const sim_profile_names[] = { "default", "thp-churn", "pagecache", "slab-heavy", "slab-churn", NULL };

const char *sim_profile_spec(const char *name)
{
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (strcmp(profiles[i].name, name) == 0)
			return profiles[i].spec;
	return NULL;
}

const char *sim_profile_summary(const char *name)
{
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (strcmp(profiles[i].name, name) == 0)
			return profiles[i].summary;
	return NULL;
}

void sim_workload_free(struct sim_workload *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->ph[i].ops);
	free(w->ph);
	w->ph = NULL;
	w->n = 0;
	free(w->caches);
	w->caches = NULL;
	w->ncaches = 0;
}

bool sim_workload_has_slab_ops(const struct sim_workload *w)
{
	for (size_t p = 0; p < w->n; p++)
		for (size_t k = 0; k < w->ph[p].nops; k++)
			if (w->ph[p].ops[k].kind != SIM_OP_PAGES)
				return true;
	return false;
}

uint64_t sim_workload_steps(const struct sim_workload *w)
{
	uint64_t n = 0;

	for (size_t i = 0; i < w->n; i++)
		n += w->ph[i].steps;
	return n;
}

/* ---- the runner ----------------------------------------------------------- */

struct live {
	int64_t pfn;
	uint32_t gfp;
	int16_t zone;
	uint8_t order;
};

struct expiry {
	uint64_t step;
	uint32_t slot;
};

struct run {
	struct sim_machine *m;
	struct sim_result *r;
	uint64_t rng;
	struct live *live;
	uint32_t *free_slots;
	size_t nlive, cap, nfree_slots;
	struct expiry *heap;
	size_t nheap, heap_cap;
	uint64_t free0;          /* free pages when the run started */
};

static void heap_push(struct run *run, struct expiry e)
{
	size_t i = run->nheap++;

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (run->heap[parent].step <= e.step)
			break;
		run->heap[i] = run->heap[parent];
		i = parent;
	}
	run->heap[i] = e;
}

static struct expiry heap_pop(struct run *run)
{
	struct expiry top = run->heap[0], last = run->heap[--run->nheap];
	size_t i = 0, n = run->nheap;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && run->heap[c + 1].step < run->heap[c].step)
			c++;
		if (last.step <= run->heap[c].step)
			break;
		run->heap[i] = run->heap[c];
		i = c;
	}
	if (n)
		run->heap[i] = last;
	return top;
}

static int heap_reserve(struct run *run)
{
	size_t cap = run->heap_cap ? run->heap_cap * 2 : 1024;
	struct expiry *h;

	if (run->nheap < run->heap_cap)
		return 0;
	h = realloc(run->heap, cap * sizeof(*h));
	if (!h)
		return -ENOMEM;
	run->heap = h;
	run->heap_cap = cap;
	return 0;
}

static uint64_t machine_free_pages(const struct sim_machine *m)
{
	uint64_t n = 0;

	for (size_t i = 0; i < m->nz; i++)
		n += m->zones[i].free_pages;
	return n;
}

static struct sim_class_count *class_count(struct sim_result *r, const struct gfp_class *cls)
{
	for (size_t i = 0; i < r->nclasses; i++)
		if (r->classes[i].cls == cls)
			return &r->classes[i];
	return NULL;
}

static uint64_t lifetime(struct run *run, const struct sim_op *op)
{
	double u;
	uint64_t n;

	switch (op->life) {
	case SIM_LIFE_FIXED:
		return op->life_steps;
	case SIM_LIFE_EXP:
		/* u in (0, 1]: 53 random bits. */
		u = ((double)(sim_xorshift64s(&run->rng) >> 11) + 1.0) / 9007199254740992.0;
		n = (uint64_t)llround(-(double)op->life_steps * log(u));
		return n ? n : 1;
	case SIM_LIFE_FOREVER:
		break;
	}
	return UINT64_MAX;
}

static int sample(struct run *run, uint64_t step, size_t phase)
{
	struct sim_result *r = run->r;
	struct sim_sample *s;
	struct sim_machine *m = run->m;

	if (r->nsamples && r->samples[r->nsamples - 1].step == step)
		return 0;
	s = realloc(r->samples, (r->nsamples + 1) * sizeof(*s));
	if (!s)
		return -ENOMEM;
	r->samples = s;
	s = &r->samples[r->nsamples];
	memset(s, 0, sizeof(*s));
	s->z = calloc(m->nz ? m->nz : 1, sizeof(*s->z));
	if (!s->z)
		return -ENOMEM;
	r->nsamples++;
	s->step = step;
	s->phase = phase;
	s->live_pages = r->live_pages;
	s->fails = r->fails;
	for (size_t i = 0; i < m->nz; i++) {
		s->z[i].free_pages = m->zones[i].free_pages;
		for (unsigned o = 0; o < m->nr_orders; o++)
			s->z[i].blocks[o] = sim_zone_blocks(&m->zones[i], o);
	}
	return 0;
}

static void release(struct run *run, uint32_t slot)
{
	struct live *l = &run->live[slot];

	sim_machine_free_block(run->m, l->zone, l->pfn, l->order, l->gfp);
	run->r->frees++;
	run->r->live_pages -= (uint64_t)1 << l->order;
	run->free_slots[run->nfree_slots++] = slot;
	run->nlive--;
}

/* Record a failed allocation; the first of its order gets its reason. */
static void failed(struct run *run, const struct sim_op *op, enum alloc_outcome outcome, int node,
		   uint64_t step, size_t phase)
{
	struct sim_result *r = run->r;
	struct sim_class_count *c = class_count(r, op->cls);

	r->fails++;
	if (c)
		c->fail[outcome]++;
	if (!r->first[op->order].seen) {
		struct sim_first_fail *f = &r->first[op->order];
		struct alloc_request req = { .cls = op->cls, .gfp = op->cls->gfp, .order = op->order,
					     .node = node, .count = 1 };
		struct alloc_prediction p;

		f->seen = true;
		f->step = step;
		f->phase = phase;
		f->cls = op->cls;
		f->outcome = outcome;
		/* predict's reason, on the zones as they are now. */
		if (alloc_predict(&run->m->am, &req, &p) == 0) {
			alloc_explain(&run->m->am, &p, f->why, sizeof(f->why));
			alloc_prediction_free(&p);
		}
	}
}

static int do_alloc(struct run *run, const struct sim_op *op, int node, uint64_t step, size_t phase)
{
	struct sim_result *r = run->r;
	struct sim_class_count *c = class_count(r, op->cls);

	for (uint32_t k = 0; k < op->count; k++) {
		struct sim_alloc a;
		uint32_t slot;
		uint64_t life;

		sim_machine_alloc(run->m, op->cls->gfp, op->order, node, &a);
		if (a.pfn < 0) {
			failed(run, op, a.outcome, node, step, phase);
			break;
		}
		r->allocs++;
		if (a.slow)
			c->ok_slow++;
		else
			c->ok++;
		if (run->nfree_slots) {
			slot = run->free_slots[--run->nfree_slots];
		} else {
			slot = (uint32_t)run->nlive;   /* every slot below is in use */
			if (slot == run->cap) {
				size_t cap = run->cap ? run->cap * 2 : 1024;
				struct live *l = realloc(run->live, cap * sizeof(*l));
				uint32_t *f;

				if (!l)
					return -ENOMEM;
				run->live = l;
				f = realloc(run->free_slots, cap * sizeof(*f));
				if (!f)
					return -ENOMEM;
				run->free_slots = f;
				run->cap = cap;
			}
		}
		run->live[slot] = (struct live){ a.pfn, op->cls->gfp, (int16_t)a.zone, (uint8_t)op->order };
		run->nlive++;
		r->live_pages += (uint64_t)1 << op->order;
		if (r->live_pages > r->peak_live_pages)
			r->peak_live_pages = r->live_pages;
		life = lifetime(run, op);
		if (life != UINT64_MAX) {
			if (heap_reserve(run) < 0)
				return -ENOMEM;
			heap_push(run, (struct expiry){ step + life, slot });
		}
	}
	return 0;
}

int sim_run(struct sim_machine *m, const struct sim_workload *w, const struct sim_run_opts *o,
	    struct sim_result *r)
{
	struct run run = { 0 };
	uint64_t total = sim_workload_steps(w), every, step = 0;
	int err = 0;

	memset(r, 0, sizeof(*r));
	r->check_failed_step = -1;
	if (o->max_steps && o->max_steps < total)
		total = o->max_steps;
	every = o->sample_every;
	run.m = m;
	run.r = r;
	run.rng = o->seed ? o->seed : 1;
	run.free0 = machine_free_pages(m);
	/* One class entry per class the workload uses, in order of use. */
	for (size_t p = 0; p < w->n; p++) {
		for (size_t k = 0; k < w->ph[p].nops; k++) {
			const struct gfp_class *cls = w->ph[p].ops[k].cls;
			struct sim_class_count *c;

			if (w->ph[p].ops[k].kind != SIM_OP_PAGES || class_count(r, cls))
				continue;
			c = realloc(r->classes, (r->nclasses + 1) * sizeof(*c));
			if (!c)
				return -ENOMEM;
			r->classes = c;
			memset(&c[r->nclasses], 0, sizeof(*c));
			c[r->nclasses++].cls = cls;
		}
	}
	err = sample(&run, 0, 0);
	if (!err && o->probe && o->probe(m, 0, 0, o->probe_ctx)) {
		r->probe_stopped = true;
		goto out;
	}
	for (size_t p = 0; p < w->n && !err && step < total; p++) {
		const struct sim_phase *ph = &w->ph[p];
		int node = ph->node >= 0 ? ph->node : (m->am.nn ? m->am.nodes[0].id : 0);

		/* Without --sample: ten samples a phase, and in a phase that
		 * runs until its target, one at every 5 % of occupancy. */
		uint64_t pevery = every ? every : (ph->steps >= 10 ? ph->steps / 10 : 1);
		unsigned last_pct = run.free0 ? (unsigned)(r->live_pages * 20 / run.free0) : 0;

		for (uint64_t s = 0; s < ph->steps && step < total && !err; s++) {
			bool full;

			while (run.nheap && run.heap[0].step <= step)
				release(&run, heap_pop(&run).slot);
			full = ph->target_pct && r->live_pages * 100 >= run.free0 * ph->target_pct;
			if (full && ph->until_target)
				break;
			if (!full && ph->total_weight) {
				uint64_t pick = sim_xorshift64s(&run.rng) % ph->total_weight;
				size_t k = 0;

				while (pick >= ph->ops[k].weight) {
					pick -= ph->ops[k].weight;
					k++;
				}
				if (ph->ops[k].kind == SIM_OP_PAGES)
					err = do_alloc(&run, &ph->ops[k], node, step, p);
				else
					err = o->op_hook ? o->op_hook(m, &ph->ops[k], node, step, p, o->op_ctx) : -EINVAL;
			}
			step++;
			if (o->check && !err && sim_machine_check(m, r->check_why, sizeof(r->check_why)) != 0) {
				r->check_failed_step = (int)(step > INT32_MAX ? INT32_MAX : step);
				r->steps = step;
				goto out;
			}
			if (!err && o->probe && o->probe(m, step, p, o->probe_ctx)) {
				r->probe_stopped = true;
				r->steps = step;
				err = sample(&run, step, p);
				goto out;
			}
			if (!err && ph->until_target && !every) {
				unsigned pct = run.free0 ? (unsigned)(r->live_pages * 20 / run.free0) : 0;

				if (pct > last_pct) {
					last_pct = pct;
					err = sample(&run, step, p);
				}
			} else if (!err && (every ? step % every : (s + 1) % pevery) == 0) {
				err = sample(&run, step, p);
			}
		}
		if (!err)
			err = sample(&run, step, p);
	}
	r->steps = step;
out:
	free(run.live);
	free(run.free_slots);
	free(run.heap);
	return err;
}

void sim_result_free(struct sim_result *r)
{
	for (size_t i = 0; i < r->nsamples; i++)
		free(r->samples[i].z);
	free(r->samples);
	free(r->classes);
	memset(r, 0, sizeof(*r));
}
