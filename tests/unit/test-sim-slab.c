/*
 * test-sim-slab.c - the slab simulator (sim/slab.c) on empty machines
 * built as "sim slab --seed-from empty:SIZE" builds them: list moves and
 * releases worked out by hand, migratetypes of slab pages, the per-CPU
 * lists, seeding on allocated pages, the invariants after every operation
 * of random runs, determinism, and the pollution comparison: a slab-heavy
 * workload raises Unmovable/Reclaimable pageblock pollution over the same
 * page workload alone.
 *
 * kmalloc-192 (2 CPUs, 6.7 rule): 21 objects per order-0 slab, min_partial 5.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/parse-workload.h"
#include "sim/empty.h"
#include "sim/machine.h"
#include "sim/slab.h"
#include "sim/w1.h"
#include "sim/workload.h"

static void machine(uint64_t mib, struct sim_machine *sm)
{
	struct zoneinfo zi;
	struct buddyinfo bi;
	struct sysvm vm;

	memset(&zi, 0, sizeof(zi));
	memset(&bi, 0, sizeof(bi));
	memset(&vm, 0, sizeof(vm));
	assert_int_equal(sim_empty_inputs(mib * 256, &zi, &bi, &vm), 0);
	assert_int_equal(sim_machine_seed(&zi, &bi, NULL, &vm, NULL, "", sm), 0);
	sm->page_size = 4096;
	zoneinfo_free(&zi);
	buddyinfo_free(&bi);
}

static uint64_t free_pages(const struct sim_machine *sm)
{
	uint64_t n = 0;

	for (size_t i = 0; i < sm->nz; i++)
		n += sm->zones[i].free_pages;
	return n;
}

static void check(const struct sim_slabs *s)
{
	char why[256] = "";

	if (sim_slabs_check(s, why, sizeof(why)) != 0)
		fail_msg("invariant: %s", why);
}

static int add(struct sim_slabs *s, const char *name, uint64_t size, uint64_t align, unsigned flags)
{
	struct slab_geom_params p;
	struct slab_geom g;
	int i;

	slab_geom_defaults(&p, 2, SLAB_RULE_6_7);
	assert_int_equal(slab_geom_compute(size, align, flags, &p, &g), 0);
	i = sim_slabs_add(s, name, &g, flags);
	assert_true(i >= 0);
	return i;
}

/* Without per-CPU slabs. */
static void test_lists_and_release(void **state)
{
	struct sim_machine sm;
	struct sim_slabs s;
	uint64_t free0;
	int c;

	(void)state;
	machine(64, &sm);
	free0 = free_pages(&sm);
	assert_int_equal(sim_slabs_init(&s, &sm, false, 1), 0);
	c = add(&s, "kmalloc-192", 192, 64, SG_KMALLOC);
	assert_int_equal(s.c[c].g.objs_per_slab, 21);
	assert_int_equal(s.c[c].g.min_partial, 5);
	/* 21 objects fill one slab; one more opens a partial one. */
	assert_int_equal(sim_slabs_alloc(&s, (size_t)c, 21, 0), 21);
	assert_int_equal(s.c[c].nslabs[SL_FULL], 1);
	assert_int_equal(s.c[c].nslabs[SL_PARTIAL], 0);
	assert_int_equal(sim_slabs_alloc(&s, (size_t)c, 1, 0), 1);
	assert_int_equal(s.c[c].nslabs[SL_PARTIAL], 1);
	assert_int_equal(free_pages(&sm), free0 - 2);
	check(&s);
	/* One free from the full slab makes it partial. */
	assert_int_equal(sim_slabs_free_objs(&s, (size_t)c, 1, SIM_PICK_OLDEST), 1);
	assert_int_equal(s.c[c].nslabs[SL_FULL], 0);
	assert_int_equal(s.c[c].nslabs[SL_PARTIAL], 2);
	/* Free everything: 2 empty slabs, fewer than min_partial: both kept. */
	assert_int_equal(sim_slabs_free_objs(&s, (size_t)c, 100, SIM_PICK_OLDEST), 21);
	assert_int_equal(s.c[c].nslabs[SL_EMPTY], 2);
	assert_int_equal(s.c[c].active, 0);
	assert_int_equal(free_pages(&sm), free0 - 2);
	check(&s);
	/* 210 objects: the 2 kept slabs and 8 new; all freed: 5 kept, 5 released. */
	assert_int_equal(sim_slabs_alloc(&s, (size_t)c, 210, 0), 210);
	assert_int_equal(s.c[c].nslabs[SL_FULL], 10);
	assert_int_equal(s.c[c].st.slab_allocs, 10);
	assert_int_equal(free_pages(&sm), free0 - 10);
	assert_int_equal(sim_slabs_free_objs(&s, (size_t)c, 210, SIM_PICK_RANDOM), 210);
	assert_int_equal(s.c[c].nslabs[SL_EMPTY], 5);
	assert_int_equal(s.c[c].nslabs[SL_PARTIAL] + s.c[c].nslabs[SL_FULL], 0);
	assert_int_equal(s.c[c].st.slab_frees, 5);
	assert_int_equal(free_pages(&sm), free0 - 5);
	assert_int_equal(sim_slabs_held(&s, (size_t)c), 0);
	check(&s);
	sim_slabs_free(&s);
	sim_machine_free(&sm);
}

/* Slab pages come from pageblocks of the cache's type: Unmovable, and
 * Reclaimable for reclaim_account caches; an order-3 cache takes order-3
 * blocks. */
static void test_migratetype(void **state)
{
	struct sim_machine sm;
	struct sim_slabs s;
	int u, r, big;

	(void)state;
	machine(64, &sm);
	assert_int_equal(sim_slabs_init(&s, &sm, false, 1), 0);
	u = add(&s, "plain", 192, 8, 0);
	r = add(&s, "inodes", 1128, 8, SG_RECLAIM_ACCOUNT);
	big = add(&s, "big", 5888, 64, SG_HWCACHE_ALIGN);
	assert_int_equal(s.c[r].g.order, 2);
	assert_int_equal(s.c[big].g.order, 3);
	assert_int_equal(sim_slabs_alloc(&s, (size_t)u, 1, 0), 1);
	assert_int_equal(sim_slabs_alloc(&s, (size_t)r, 1, 0), 1);
	assert_int_equal(sim_slabs_alloc(&s, (size_t)big, 1, 0), 1);
	{
		const struct sim_slab *a = &s.c[u].slab[s.c[u].head[SL_PARTIAL]];
		const struct sim_slab *b = &s.c[r].slab[s.c[r].head[SL_PARTIAL]];
		const struct sim_slab *d = &s.c[big].slab[s.c[big].head[SL_PARTIAL]];

		assert_int_equal(sim_zone_pb_mt(&sm.zones[a->zone], (uint64_t)a->pfn), MT_UNMOVABLE);
		assert_int_equal(sim_zone_pb_mt(&sm.zones[b->zone], (uint64_t)b->pfn), MT_RECLAIMABLE);
		assert_int_equal(sim_zone_pb_mt(&sm.zones[d->zone], (uint64_t)d->pfn), MT_UNMOVABLE);
		assert_int_equal(b->order, 2);
		assert_int_equal(d->order, 3);
		assert_int_equal(d->pfn % 8, 0);
	}
	check(&s);
	sim_slabs_free(&s);
	sim_machine_free(&sm);
}

/* Per-CPU slab and partial list, with cpu_partial_slabs set to 1. */
static void test_cpu_slabs(void **state)
{
	struct sim_machine sm;
	struct sim_slabs s;
	int c;

	(void)state;
	machine(64, &sm);
	assert_int_equal(sim_slabs_init(&s, &sm, true, 1), 0);
	c = add(&s, "kmalloc-192", 192, 64, SG_KMALLOC);
	s.c[c].g.cpu_partial_slabs = 1;
	/* 84 objects: slabs 0, 1, 2 full, slab 3 the CPU slab (full, still the CPU's). */
	assert_int_equal(sim_slabs_alloc(&s, (size_t)c, 84, 0), 84);
	assert_int_equal(s.c[c].nslabs[SL_FULL], 3);
	assert_int_equal(s.c[c].nslabs[SL_CPU], 1);
	check(&s);
	/* A free in full slab 0 puts it on the per-CPU partial list. */
	assert_int_equal(sim_slabs_free_objs(&s, (size_t)c, 1, SIM_PICK_OLDEST), 1);
	assert_int_equal(s.c[c].nslabs[SL_CPU_PARTIAL], 1);
	assert_int_equal(s.c[c].nslabs[SL_FULL], 2);
	/* The rest of slab 0 stays there (frozen), then one from slab 1 makes two
	 * per-CPU partial slabs, more than 1: both go to the node, slab 0 empty
	 * (kept: the node has fewer than 5), slab 1 partial. */
	assert_int_equal(sim_slabs_free_objs(&s, (size_t)c, 20, SIM_PICK_OLDEST), 20);
	assert_int_equal(s.c[c].nslabs[SL_CPU_PARTIAL], 1);
	assert_int_equal(sim_slabs_free_objs(&s, (size_t)c, 1, SIM_PICK_OLDEST), 1);
	assert_int_equal(s.c[c].nslabs[SL_CPU_PARTIAL], 0);
	assert_int_equal(s.c[c].nslabs[SL_EMPTY], 1);
	assert_int_equal(s.c[c].nslabs[SL_PARTIAL], 1);
	assert_int_equal(s.c[c].nslabs[SL_FULL], 1);
	check(&s);
	/* The next allocations fill the CPU slab's free... it is full: the CPU takes
	 * the node partial slab 1 (one free slot), then the empty slab. */
	assert_int_equal(sim_slabs_alloc(&s, (size_t)c, 2, 0), 2);
	assert_int_equal(s.c[c].nslabs[SL_PARTIAL], 0);
	assert_int_equal(s.c[c].nslabs[SL_EMPTY], 0);
	assert_int_equal(s.c[c].nslabs[SL_CPU], 1);
	assert_int_equal(s.c[c].slab[s.c[c].head[SL_CPU]].inuse, 1);
	check(&s);
	sim_slabs_free(&s);
	sim_machine_free(&sm);
}

/* Seeded slabs stand on pages the machine has allocated, of their type;
 * when they empty, their pages go back. */
static void test_seed_on_allocated(void **state)
{
	struct sim_machine sm;
	struct sim_slabs s;
	struct sim_alloc a;
	const struct gfp_class *k = alloc_class_find("GFP_KERNEL");
	uint64_t free0, free1;
	int c;

	(void)state;
	machine(64, &sm);
	free0 = free_pages(&sm);
	for (int i = 0; i < 100; i++) {
		sim_machine_alloc(&sm, k->gfp, 0, 0, &a);
		assert_true(a.pfn >= 0);
	}
	free1 = free_pages(&sm);
	assert_int_equal(free1, free0 - 100);
	assert_int_equal(sim_slabs_init(&s, &sm, false, 1), 0);
	c = add(&s, "kmalloc-192", 192, 64, SG_KMALLOC);
	/* 10 full slabs, 2 partial with 11 objects, 1 empty. */
	assert_int_equal(sim_slabs_seed(&s, (size_t)c, 10, 2, 11, 1), 0);
	assert_int_equal(s.c[c].st.seeded_slabs, 13);
	assert_int_equal(s.c[c].st.unplaced_slabs, 0);
	assert_int_equal(s.c[c].active, 221);
	assert_int_equal(s.c[c].nslabs[SL_PARTIAL], 2);
	assert_int_equal(sim_slabs_held(&s, (size_t)c), 221);
	assert_int_equal(free_pages(&sm), free1);
	check(&s);
	/* Free them all: 5 kept empty, 8 released to the buddy machine. */
	assert_int_equal(sim_slabs_free_objs(&s, (size_t)c, 221, SIM_PICK_RANDOM), 221);
	assert_int_equal(s.c[c].nslabs[SL_EMPTY], 5);
	assert_int_equal(free_pages(&sm), free1 + 8);
	check(&s);
	/* More seeded slabs than allocated pages: the rest are unplaced. */
	assert_int_equal(sim_slabs_seed(&s, (size_t)c, 200, 0, 0, 0), 0);
	assert_int_equal(s.c[c].st.unplaced_slabs, 200 - (100 - 13));
	check(&s);
	sim_slabs_free(&s);
	sim_machine_free(&sm);
}

/* Random operations, the invariants after each, both modes. */
static void random_run(bool cpu, uint64_t seed)
{
	struct sim_machine sm;
	struct sim_slabs s;
	uint64_t rng = seed;
	const struct gfp_class *mov = alloc_class_find("GFP_HIGHUSER_MOVABLE");
	int c[3];

	machine(64, &sm);
	assert_int_equal(sim_slabs_init(&s, &sm, cpu, seed), 0);
	c[0] = add(&s, "a", 192, 64, SG_KMALLOC);
	c[1] = add(&s, "b", 1128, 8, SG_RECLAIM_ACCOUNT | SG_CTOR);
	c[2] = add(&s, "c", 5888, 64, SG_HWCACHE_ALIGN);
	for (int step = 0; step < 400; step++) {
		uint64_t x = sim_xorshift64s(&rng);
		size_t ci = (size_t)c[x % 3];

		switch ((x >> 8) % 4) {
		case 0:
		case 1:
			assert_true(sim_slabs_alloc(&s, ci, 1 + (x >> 16) % 200, 0) >= 0);
			break;
		case 2:
			sim_slabs_free_objs(&s, ci, 1 + (x >> 16) % 150, (x >> 40) & 1 ? SIM_PICK_OLDEST : SIM_PICK_RANDOM);
			break;
		default: {
			struct sim_alloc a;

			sim_machine_alloc(&sm, mov->gfp, (unsigned)((x >> 16) % 3), 0, &a);
			break;
		}
		}
		check(&s);
	}
	sim_slabs_free(&s);
	sim_machine_free(&sm);
}

static void test_invariants(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 4; seed++) {
		random_run(false, seed);
		random_run(true, seed);
	}
}

/* A run of a spec through sim_run(); the end figures. */
struct end {
	uint64_t active[2], pages[2], slab_allocs[2], free, polluted, unmov_rcl, page_allocs;
};

static int noop_hook(struct sim_machine *m, const struct sim_op *op, int node, uint64_t step, size_t phase,
		     void *ctx)
{
	(void)m, (void)op, (void)node, (void)step, (void)phase, (void)ctx;
	return 0;
}

static void run_spec(const char *spec, uint64_t seed, bool slab_on, bool cpu, struct end *e)
{
	struct sim_workload w;
	struct parse_error perr = { 0 };
	struct sim_machine sm;
	struct sim_slabs s;
	struct sim_run_opts ro = { 0 };
	struct sim_result r;
	struct sim_pb_stats pb;

	assert_int_equal(workload_parse(spec, strlen(spec), "spec", &w, &perr), 0);
	machine(256, &sm);
	assert_int_equal(sim_slabs_init(&s, &sm, cpu, seed), 0);
	add(&s, "kmalloc-192", 192, 64, SG_KMALLOC);
	add(&s, "dentry", 192, 8, SG_RECLAIM_ACCOUNT);
	ro.seed = seed;
	ro.op_hook = slab_on ? sim_slabs_op_hook : noop_hook;
	ro.op_ctx = &s;
	assert_int_equal(sim_run(&sm, &w, &ro, &r), 0);
	check(&s);
	assert_int_equal(sim_slabs_pageblocks(&s, &pb), 0);
	memset(e, 0, sizeof(*e));
	for (int i = 0; i < 2; i++) {
		e->active[i] = s.c[i].active;
		e->pages[i] = s.c[i].pages;
		e->slab_allocs[i] = s.c[i].st.slab_allocs;
	}
	e->free = free_pages(&sm);
	e->polluted = pb.polluted;
	e->unmov_rcl = pb.by_type[MT_UNMOVABLE] + pb.by_type[MT_RECLAIMABLE];
	e->page_allocs = r.allocs;
	sim_result_free(&r);
	sim_slabs_free(&s);
	sim_machine_free(&sm);
	sim_workload_free(&w);
}

static const char spec[] =
	"phase grow steps=4000\n"
	"  alloc order=0 gfp=GFP_HIGHUSER_MOVABLE count=16 life=exp:3000 weight=2\n"
	"  alloc order=0 gfp=GFP_KERNEL count=4 life=exp:3000\n"
	"  objalloc cache=kmalloc-192 count=48\n"
	"  objalloc cache=dentry count=24\n"
	"phase churn steps=4000\n"
	"  alloc order=0 gfp=GFP_HIGHUSER_MOVABLE count=16 life=exp:3000 weight=2\n"
	"  alloc order=0 gfp=GFP_KERNEL count=4 life=exp:3000\n"
	"  churn cache=kmalloc-192 fraction=2% pick=random\n"
	"  objfree cache=dentry count=10 pick=random\n";

static void test_determinism(void **state)
{
	struct end a, b, c;

	(void)state;
	run_spec(spec, 7, true, false, &a);
	run_spec(spec, 7, true, false, &b);
	assert_memory_equal(&a, &b, sizeof(a));
	run_spec(spec, 8, true, false, &c);
	assert_true(memcmp(&a, &c, sizeof(a)) != 0);
	run_spec(spec, 7, true, true, &a);
	run_spec(spec, 7, true, true, &b);
	assert_memory_equal(&a, &b, sizeof(a));
}

/* The same page workload with and without its slab operations (the
 * same lines and random picks; without, the slab lines do nothing): the
 * slab objects take Unmovable and Reclaimable pages scattered through
 * the machine. */
static void test_pollution(void **state)
{
	struct end pages, both;

	(void)state;
	run_spec(spec, 1, false, false, &pages);
	run_spec(spec, 1, true, false, &both);
	print_message("page workload alone: %llu pageblocks polluted, %llu Unmovable+Reclaimable, %llu page allocations\n",
		      (unsigned long long)pages.polluted, (unsigned long long)pages.unmov_rcl,
		      (unsigned long long)pages.page_allocs);
	print_message("with slab objects:   %llu pageblocks polluted, %llu Unmovable+Reclaimable, %llu page allocations,"
		      " %llu + %llu slab pages\n",
		      (unsigned long long)both.polluted, (unsigned long long)both.unmov_rcl,
		      (unsigned long long)both.page_allocs, (unsigned long long)both.pages[0],
		      (unsigned long long)both.pages[1]);
	assert_int_equal(pages.page_allocs, both.page_allocs);   /* the same page workload */
	assert_int_equal(pages.pages[0] + pages.pages[1], 0);
	assert_true(both.pages[0] > 0 && both.pages[1] > 0);
	assert_true(both.polluted > pages.polluted);
	assert_true(both.unmov_rcl > pages.unmov_rcl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lists_and_release),
		cmocka_unit_test(test_migratetype),
		cmocka_unit_test(test_cpu_slabs),
		cmocka_unit_test(test_seed_on_allocated),
		cmocka_unit_test(test_invariants),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_pollution),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
