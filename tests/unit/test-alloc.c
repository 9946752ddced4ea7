/*
 * test-alloc.c - the allocation predictor: GFP classes and their
 * alloc_flags, the zone watermark check, zonelists, verdicts, the --count
 * run, and the model built from real captures.
 *
 * The zones are synthetic so every number can be worked by hand from the
 * rules in reference/kernel.md section 2; each case says how its expected
 * verdict follows.  The default machine is one x86-64 node with
 *   DMA    (index 0): free 4000,  min 40,   low 50,   protection 0 2000 5000 5000
 *   DMA32  (index 1): free 50000, min 5000, low 6250, protection 0 0 3000 3000
 *   Normal (index 2): free 10000, min 1000, low 1250, protection 0
 *   Movable(index 3): unpopulated
 * and free blocks on the Unmovable and Movable lists at every order.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/alloc.h"
#include "parse/load.h"

#define NR_ORDERS 11

static struct alloc_zone zones0[4];
static struct alloc_node node0;
static int node0_order[1] = { 0 };
static struct alloc_model model;

/* Put free pages on a list and keep nr_free in step. */
static void add_blocks(struct alloc_zone *z, enum alloc_mt mt, unsigned order, uint64_t n)
{
	z->mt_free[mt][order] += n;
	z->nr_free[order] += n;
}

static void clear_lists(struct alloc_zone *z)
{
	memset(z->mt_free, 0, sizeof(z->mt_free));
	memset(z->nr_free, 0, sizeof(z->nr_free));
}

static void set_zone(struct alloc_zone *z, const char *name, int kidx, uint64_t free, uint64_t min,
		     uint64_t low, const uint64_t *prot)
{
	memset(z, 0, sizeof(*z));
	z->node = 0;
	snprintf(z->name, sizeof(z->name), "%s", name);
	z->kidx = kidx;
	z->populated = free > 0;
	z->present = z->managed = free * 2;
	z->free = free;
	z->min = min;
	z->low = low;
	z->high = low + (low - min);
	z->nr_protection = 4;
	memcpy(z->protection, prot, 4 * sizeof(*prot));
	z->have_mt = true;
	for (unsigned o = 0; o < NR_ORDERS && free; o++) {
		add_blocks(z, MT_UNMOVABLE, o, 1);
		add_blocks(z, MT_MOVABLE, o, 1);
	}
}

static int setup(void **state)
{
	static const uint64_t p_dma[4] = { 0, 2000, 5000, 5000 };
	static const uint64_t p_dma32[4] = { 0, 0, 3000, 3000 };
	static const uint64_t p_none[4] = { 0, 0, 0, 0 };

	(void)state;
	set_zone(&zones0[0], "DMA", 0, 4000, 40, 50, p_dma);
	set_zone(&zones0[1], "DMA32", 1, 50000, 5000, 6250, p_dma32);
	set_zone(&zones0[2], "Normal", 2, 10000, 1000, 1250, p_none);
	set_zone(&zones0[3], "Movable", 3, 0, 32, 32, p_none);
	memset(&node0, 0, sizeof(node0));
	node0.id = 0;
	node0.zones = zones0;
	node0.nz = 4;
	node0.order = node0_order;
	node0.norder = 1;
	memset(&model, 0, sizeof(model));
	model.nodes = &node0;
	model.nn = 1;
	model.nr_orders = NR_ORDERS;
	model.pageblock_order = 9;
	model.have_pageblock_order = true;
	model.extfrag_threshold = 500;
	model.extfrag_threshold_known = true;
	model.has_dma32 = true;
	model.kver_major = 6;
	model.kver_minor = 18;
	model.have_mt = true;
	return 0;
}

static const struct gfp_class *cls(const char *name)
{
	const struct gfp_class *c = alloc_class_find(name);

	assert_non_null(c);
	return c;
}

/* Predict one allocation (or count) and return the result (caller frees). */
static void predict(const char *class, unsigned order, uint64_t count, struct alloc_prediction *p)
{
	struct alloc_request req = { 0 };

	req.cls = cls(class);
	req.gfp = req.cls->gfp;
	req.order = order;
	req.node = 0;
	req.count = count;
	assert_int_equal(alloc_predict(&model, &req, p), 0);
}

static const char *served_zone(const struct alloc_prediction *p)
{
	return p->served_by >= 0 ? p->zl[p->served_by].z->name : "-";
}

/* ---- classes and flags ------------------------------------------------ */

static void test_class_names(void **state)
{
	(void)state;
	assert_string_equal(cls("GFP_KERNEL")->name, "GFP_KERNEL");
	assert_string_equal(cls("kernel")->name, "GFP_KERNEL");
	assert_string_equal(cls("gfp_atomic")->name, "GFP_ATOMIC");
	assert_string_equal(cls("GFP_TRANSHUGE")->name, "THP");
	assert_string_equal(cls("transhuge_light")->name, "THP_LIGHT");
	assert_string_equal(cls("HUGETLB")->name, "hugetlb");
	assert_null(alloc_class_find("GFP_BOGUS"));
	assert_null(alloc_class_find(""));
	/* The masks of include/linux/gfp_types.h (6.18). */
	assert_int_equal(cls("GFP_KERNEL")->gfp, 0xcc0);
	assert_int_equal(cls("GFP_ATOMIC")->gfp, 0x820);
	assert_int_equal(cls("GFP_NOWAIT")->gfp, 0x2800);
	assert_int_equal(cls("GFP_NOIO")->gfp, 0xc00);
	assert_int_equal(cls("GFP_USER")->gfp, 0x100cc0);
	assert_int_equal(cls("GFP_HIGHUSER_MOVABLE")->gfp, 0x100cca);
	assert_int_equal(cls("GFP_DMA")->gfp, 0xcc1);
	assert_int_equal(cls("GFP_DMA32")->gfp, 0xcc4);
	/* GFP_TRANSHUGE_LIGHT = (HIGHUSER_MOVABLE | COMP | NOMEMALLOC | NOWARN) & ~RECLAIM */
	assert_int_equal(cls("THP_LIGHT")->gfp, 0x1c20ca);
	assert_int_equal(cls("THP")->gfp, 0x1c24ca);
	assert_int_equal(cls("hugetlb")->gfp, 0x346cca);
}

static void test_flags(void **state)
{
	char buf[128];

	(void)state;
	/* Slow path, gfp_to_alloc_flags() by hand (kernel.md 2.5 table). */
	assert_int_equal(alloc_flags_slow(&model, 0xcc0, 0), ALLOC_CPUSET | ALLOC_KSWAPD);
	assert_int_equal(alloc_flags_slow(&model, 0x820, 0), ALLOC_KSWAPD | ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK);
	assert_int_equal(alloc_flags_slow(&model, 0x820, 1),
			 ALLOC_KSWAPD | ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK | ALLOC_HIGHATOMIC);
	assert_int_equal(alloc_flags_slow(&model, 0x2800, 0), ALLOC_CPUSET | ALLOC_KSWAPD | ALLOC_NON_BLOCK);
	/* THP_LIGHT has no reclaim bits but NOMEMALLOC: no NON_BLOCK. */
	assert_int_equal(alloc_flags_slow(&model, cls("THP_LIGHT")->gfp, 9), ALLOC_CPUSET);
	assert_int_equal(alloc_flags_slow(&model, cls("THP")->gfp, 9), ALLOC_CPUSET);
	model.has_cma = true;
	assert_int_equal(alloc_flags_slow(&model, 0x100cca, 0), ALLOC_CPUSET | ALLOC_KSWAPD | ALLOC_CMA);
	assert_int_equal(alloc_flags_slow(&model, 0xcc0, 0), ALLOC_CPUSET | ALLOC_KSWAPD);
	/* Fast path: low mark; NOFRAGMENT because the preferred zone is
	 * Normal and DMA32 exists; CMA only for movable requests. */
	assert_int_equal(alloc_flags_fast(&model, &node0, 0xcc0), ALLOC_WMARK_LOW | ALLOC_KSWAPD | ALLOC_NOFRAGMENT);
	assert_int_equal(alloc_flags_fast(&model, &node0, 0x100cca),
			 ALLOC_WMARK_LOW | ALLOC_KSWAPD | ALLOC_NOFRAGMENT | ALLOC_CMA);
	/* GFP_DMA32 prefers DMA32: no NOFRAGMENT. */
	assert_int_equal(alloc_flags_fast(&model, &node0, 0xcc4), ALLOC_WMARK_LOW | ALLOC_KSWAPD);
	alloc_flags_str(ALLOC_WMARK_LOW | ALLOC_KSWAPD | ALLOC_CMA, buf, sizeof(buf));
	assert_string_equal(buf, "WMARK_LOW|CMA|KSWAPD");
}

static void test_highest_zone(void **state)
{
	(void)state;
	assert_int_equal(alloc_highest_zone(&node0, 0xcc0), 2);       /* Normal */
	assert_int_equal(alloc_highest_zone(&node0, 0xcc1), 0);       /* DMA */
	assert_int_equal(alloc_highest_zone(&node0, 0xcc4), 1);       /* DMA32 */
	assert_int_equal(alloc_highest_zone(&node0, 0x100cca), 3);    /* HIGHMEM|MOVABLE: Movable */
	assert_int_equal(alloc_highest_zone(&node0, 0x100cc2), 2);    /* HIGHMEM, no HighMem zone: Normal */
}

/* ---- verdicts, one table ---------------------------------------------- */

enum tweak {
	T_NONE,
	T_NORMAL_AT_LOW,       /* Normal free == low: "free > mark" fails exactly at the mark */
	T_NORMAL_LOW_PLUS_1,   /* one page more passes */
	T_NORMAL_BELOW_LOW,    /* Normal 1100 (between min and low), DMA32 8000 (below low+protection) */
	T_STARVED,             /* Normal 600 (below min); DMA32 and DMA below min + protection */
	T_HIGHATOMIC,          /* Normal 2000 free, 900 of them on HighAtomic lists (order 0..2) */
	T_CMA,                 /* Normal 3000 free, 2000 of them CMA; large blocks only on CMA lists */
	T_FRAGMENTED,          /* Normal: 2560 free order-0 pages only; others empty */
	T_LOW_MEMORY,          /* Normal: ten free order-8 blocks only; others empty */
	T_BOOST,               /* Normal min 1000 includes boost 600; free 300; others empty */
};

static void starve_others(void)
{
	/* DMA32 and DMA at their min plus protection against Normal. */
	zones0[1].free = 5000 + 3000;
	zones0[0].free = 40 + 5000;
}

static void apply(enum tweak t)
{
	struct alloc_zone *n = &zones0[2];

	switch (t) {
	case T_NONE:
		break;
	case T_NORMAL_AT_LOW:
		n->free = 1250;
		break;
	case T_NORMAL_LOW_PLUS_1:
		n->free = 1251;
		break;
	case T_NORMAL_BELOW_LOW:
		n->free = 1100;
		zones0[1].free = 8000;
		break;
	case T_STARVED:
		n->free = 600;
		starve_others();
		break;
	case T_HIGHATOMIC:
		n->free = 2000;
		clear_lists(n);
		add_blocks(n, MT_HIGHATOMIC, 0, 100);
		add_blocks(n, MT_HIGHATOMIC, 1, 100);
		add_blocks(n, MT_HIGHATOMIC, 2, 150);   /* 100 + 200 + 600 = 900 pages */
		add_blocks(n, MT_UNMOVABLE, 0, 1100);
		n->free_highatomic = 900;
		n->reserved_highatomic = 512;
		starve_others();
		break;
	case T_CMA:
		n->free = 3000;
		clear_lists(n);
		add_blocks(n, MT_UNMOVABLE, 0, 1000);
		add_blocks(n, MT_CMA, 9, 2);
		add_blocks(n, MT_CMA, 8, 4);            /* 1024 + 1024 = 2048 ~ free_cma */
		n->free_cma = 2000;
		model.has_cma = true;
		starve_others();
		break;
	case T_FRAGMENTED:
		n->free = 2560;
		clear_lists(n);
		add_blocks(n, MT_MOVABLE, 0, 2560);
		starve_others();
		break;
	case T_LOW_MEMORY:
		n->free = 2560;
		clear_lists(n);
		add_blocks(n, MT_MOVABLE, 8, 10);
		starve_others();
		break;
	case T_BOOST:
		n->free = 300;
		n->boost = 600;
		starve_others();
		break;
	}
}

struct verdict_case {
	const char *what;
	enum tweak tweak;
	const char *class;
	unsigned order;
	enum alloc_outcome outcome;
	const char *served;             /* zone name or "-" */
	bool normal_fast, normal_slow;  /* the Normal zone's own checks (when in the zonelist) */
};

static const struct verdict_case cases[] = {
	/* Plenty everywhere: Normal passes the low mark (10000-0 > 1250). */
	{ "kernel o0 healthy", T_NONE, "GFP_KERNEL", 0, ALLOC_OK_FAST, "Normal", true, true },
	{ "noio o0 healthy", T_NONE, "GFP_NOIO", 0, ALLOC_OK_FAST, "Normal", true, true },
	{ "user o3 healthy", T_NONE, "GFP_USER", 3, ALLOC_OK_FAST, "Normal", true, true },
	{ "movable o0 healthy", T_NONE, "GFP_HIGHUSER_MOVABLE", 0, ALLOC_OK_FAST, "Normal", true, true },
	{ "nowait o0 healthy", T_NONE, "GFP_NOWAIT", 0, ALLOC_OK_FAST, "Normal", true, true },
	{ "atomic o1 healthy", T_NONE, "GFP_ATOMIC", 1, ALLOC_OK_FAST, "Normal", true, true },
	/* Order 9: 10000 - 511 = 9489 > 1250, and order 9 and 10 blocks exist. */
	{ "thp o9 healthy", T_NONE, "THP", 9, ALLOC_OK_FAST, "Normal", true, true },
	{ "thp-light o9 healthy", T_NONE, "THP_LIGHT", 9, ALLOC_OK_FAST, "Normal", true, true },
	{ "hugetlb o9 healthy", T_NONE, "hugetlb", 9, ALLOC_OK_FAST, "Normal", true, true },
	/* GFP_DMA / GFP_DMA32 start at their own zone (Normal is not in the list). */
	{ "dma o0", T_NONE, "GFP_DMA", 0, ALLOC_OK_FAST, "DMA", false, false },
	{ "dma32 o0", T_NONE, "GFP_DMA32", 0, ALLOC_OK_FAST, "DMA32", false, false },

	/* Exactly at the low mark: 1250 > 1250 is false, so the fast pass
	 * moves on; DMA32 has 50000 > 6250 + 3000 and serves. */
	{ "at low: fallback", T_NORMAL_AT_LOW, "GFP_KERNEL", 0, ALLOC_OK_FAST, "DMA32", false, true },
	{ "low + 1 passes", T_NORMAL_LOW_PLUS_1, "GFP_KERNEL", 0, ALLOC_OK_FAST, "Normal", true, true },

	/* Normal 1100 is below low 1250; DMA32's 8000 is above its low 6250
	 * but not above low + protection[Normal] 3000 = 9250, and DMA's 4000
	 * is below 50 + 5000: the fast pass fails everywhere.  The slow pass
	 * takes Normal: 1100 > min 1000. */
	{ "protection: slow in Normal", T_NORMAL_BELOW_LOW, "GFP_KERNEL", 0, ALLOC_OK_SLOW, "Normal", false, true },
	/* GFP_DMA32 is not protected against in DMA32 (protection[1] = 0):
	 * 8000 > 6250 passes the fast path. */
	{ "protection: dma32 class", T_NORMAL_BELOW_LOW, "GFP_DMA32", 0, ALLOC_OK_FAST, "DMA32", false, false },

	/* Normal 600 < min 1000; DMA32 8000 = min 5000 + 3000 and DMA 5040 =
	 * 40 + 5000: at the mark, not above.  GFP_KERNEL must reclaim. */
	{ "starved kernel", T_STARVED, "GFP_KERNEL", 0, ALLOC_RECLAIM, "-", false, false },
	/* GFP_ATOMIC's min: 1000 - 500 = 500, 500 - 125 = 375; 600 > 375. */
	{ "starved atomic", T_STARVED, "GFP_ATOMIC", 0, ALLOC_OK_SLOW, "Normal", false, true },
	/* GFP_NOWAIT keeps the full min and cannot reclaim: it fails. */
	{ "starved nowait", T_STARVED, "GFP_NOWAIT", 0, ALLOC_FAIL, "-", false, false },
	{ "starved thp-light", T_STARVED, "THP_LIGHT", 9, ALLOC_FAIL, "-", false, false },

	/* HighAtomic: 2000 free, 900 on HighAtomic lists.  GFP_KERNEL
	 * subtracts them: 1100 <= low 1250 (fast fails), 1100 > min 1000
	 * (slow passes). */
	{ "highatomic kernel o0", T_HIGHATOMIC, "GFP_KERNEL", 0, ALLOC_OK_SLOW, "Normal", false, true },
	/* Order 2: only HighAtomic lists have blocks >= 2; GFP_KERNEL may not
	 * use them.  1100 - 3 > 1000 so the watermark holds; compaction's
	 * order-0 check 1100 > 1000 + 8 passes; order 2 is not costly and
	 * the request is unmovable, so the kernel compacts first. */
	{ "highatomic kernel o2", T_HIGHATOMIC, "GFP_KERNEL", 2, ALLOC_COMPACT, "-", false, false },
	/* GFP_ATOMIC order 2 has ALLOC_HIGHATOMIC: 2000 - 3 > 375 and the
	 * HighAtomic order-2 list counts. */
	{ "highatomic atomic o2", T_HIGHATOMIC, "GFP_ATOMIC", 2, ALLOC_OK_SLOW, "Normal", false, true },

	/* CMA: 3000 free, 2000 CMA.  Unmovable requests subtract CMA:
	 * 1000 <= 1250 and 1000 <= 1000 (exactly at min): reclaim. */
	{ "cma kernel o0", T_CMA, "GFP_KERNEL", 0, ALLOC_RECLAIM, "-", false, false },
	/* Movable requests count CMA: 3000 > 1250. */
	{ "cma movable o0", T_CMA, "GFP_HIGHUSER_MOVABLE", 0, ALLOC_OK_FAST, "Normal", true, true },
	/* THP order 9: 3000 - 511 = 2489 > 1250 and the CMA order-9 list
	 * counts with ALLOC_CMA. */
	{ "cma thp o9", T_CMA, "THP", 9, ALLOC_OK_FAST, "Normal", true, true },

	/* 2560 order-0 pages.  Order 9: watermark 2560 - 511 = 2049 > 1000
	 * holds but no block.  Compaction: 2560 > 1000 + 1024 + 250; the index
	 * is 1000 - (1000 + 2560000/512) / 2560 = 1000 - 2 = 998 > 500. */
	{ "fragmented thp", T_FRAGMENTED, "THP", 9, ALLOC_COMPACT, "-", false, false },
	{ "fragmented kernel o9", T_FRAGMENTED, "GFP_KERNEL", 9, ALLOC_COMPACT, "-", false, false },
	{ "fragmented thp-light", T_FRAGMENTED, "THP_LIGHT", 9, ALLOC_FAIL, "-", false, false },
	/* Ten order-8 blocks: index 1000 - (1000 + 5000) / 10 = 400 <= 500:
	 * lack of memory, not fragmentation; reclaim. */
	{ "low memory thp", T_LOW_MEMORY, "THP", 9, ALLOC_RECLAIM, "-", false, false },
	/* Order 1, movable: no block of order >= 1; the zone is suitable for
	 * compaction (2560 > 1000 + 4), but a small movable request reclaims
	 * before it compacts. */
	{ "fragmented movable o1", T_FRAGMENTED, "GFP_HIGHUSER_MOVABLE", 1, ALLOC_RECLAIM, "-", false, false },

	/* Boost: min 1000 includes boost 600.  GFP_ATOMIC order 0: 300 <=
	 * 375 fails, then the retry with min 400: 400 - 200 = 200,
	 * 200 - 50 = 150, and 300 > 150 passes. */
	{ "boost retry atomic", T_BOOST, "GFP_ATOMIC", 0, ALLOC_OK_SLOW, "Normal", false, true },
	/* GFP_KERNEL has no MIN_RESERVE: no retry; reclaim. */
	{ "boost kernel", T_BOOST, "GFP_KERNEL", 0, ALLOC_RECLAIM, "-", false, false },
};

static void test_verdicts(void **state)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct verdict_case *c = &cases[i];
		struct alloc_prediction p;

		setup(state);
		apply(c->tweak);
		predict(c->class, c->order, 1, &p);
		if (p.outcome != c->outcome || strcmp(served_zone(&p), c->served) != 0)
			fail_msg("%s: outcome %s served by %s, expected %s by %s", c->what,
				 alloc_outcome_name(p.outcome), served_zone(&p),
				 alloc_outcome_name(c->outcome), c->served);
		for (size_t k = 0; k < p.nzl; k++) {
			if (strcmp(p.zl[k].z->name, "Normal") != 0)
				continue;
			if (p.zl[k].fast.ok != c->normal_fast || p.zl[k].slow.ok != c->normal_slow)
				fail_msg("%s: Normal fast %d slow %d, expected %d %d", c->what,
					 p.zl[k].fast.ok, p.zl[k].slow.ok, c->normal_fast, c->normal_slow);
		}
		/* Success exactly when one zone served it. */
		assert_int_equal(p.served == 1, p.outcome == ALLOC_OK_FAST || p.outcome == ALLOC_OK_SLOW);
		alloc_prediction_free(&p);
	}
}

/* The numbers behind one check, by hand. */
static void test_check_numbers(void **state)
{
	struct alloc_check c;

	setup(state);
	apply(T_HIGHATOMIC);
	/* GFP_KERNEL slow, order 2: 2000 - 3 - 900 = 1097 against 1000 + 0. */
	alloc_zone_check(&model, &zones0[2], 2, 2, alloc_flags_slow(&model, 0xcc0, 2), &c);
	assert_int_equal(c.free, 1097);
	assert_int_equal(c.minus_order, 3);
	assert_int_equal(c.minus_highatomic, 900);
	assert_int_equal(c.min, 1000);
	assert_true(c.wmark_ok);
	assert_false(c.block_ok);
	/* Before 6.12 the whole reserved pageblock (512) is subtracted. */
	model.kver_minor = 6;
	alloc_zone_check(&model, &zones0[2], 2, 2, alloc_flags_slow(&model, 0xcc0, 2), &c);
	assert_int_equal(c.minus_highatomic, 512);
	assert_int_equal(c.free, 2000 - 3 - 512);
	/* GFP_ATOMIC's reserves: min 1000 -> 500 -> 375. */
	alloc_zone_check(&model, &zones0[2], 0, 2, alloc_flags_slow(&model, 0x820, 0), &c);
	assert_int_equal(c.min, 375);
	assert_int_equal(c.minus_highatomic, 0);
	/* DMA32 against a Normal request: protection[2] = 3000. */
	alloc_zone_check(&model, &zones0[1], 0, 2, ALLOC_WMARK_LOW, &c);
	assert_int_equal(c.protection, 3000);
}

/* Before 4.4: for each order below the request, smaller blocks are
 * subtracted and the bar halves.  Normal: 10000 free, min 1000; order 2
 * with 9000 order-0 pages: 10000 - 3 = 9997; o=0: 9997 - 9000 = 997,
 * min 500 -> ok; o=1: 997 - 1*2 = 995 (one order-1 block of each of two
 * types: 2 blocks = 4 pages -> 993), min 250 -> ok. */
static void test_pre_44(void **state)
{
	struct alloc_check c;

	setup(state);
	model.kver_major = 4;
	model.kver_minor = 1;
	clear_lists(&zones0[2]);
	add_blocks(&zones0[2], MT_UNMOVABLE, 0, 9000);
	add_blocks(&zones0[2], MT_UNMOVABLE, 1, 2);
	alloc_zone_check(&model, &zones0[2], 2, 2, ALLOC_WMARK_MIN, &c);
	assert_true(c.wmark_ok);
	assert_true(c.ok);
	/* 9800 order-0 pages: 9997 - 9800 = 197 <= 500: fails. */
	zones0[2].mt_free[MT_UNMOVABLE][0] = zones0[2].nr_free[0] = 9800;
	alloc_zone_check(&model, &zones0[2], 2, 2, ALLOC_WMARK_MIN, &c);
	assert_false(c.ok);
}

/* NOFRAGMENT: Normal holds only Movable blocks below pageblock order; an
 * unmovable order-3 request may not claim them on the first pass, and
 * DMA32 has an Unmovable order-3 block, so DMA32 serves. */
static void test_nofragment(void **state)
{
	struct alloc_prediction p;

	setup(state);
	clear_lists(&zones0[2]);
	add_blocks(&zones0[2], MT_MOVABLE, 5, 200);
	clear_lists(&zones0[1]);
	add_blocks(&zones0[1], MT_UNMOVABLE, 3, 1);
	predict("GFP_KERNEL", 3, 1, &p);
	assert_int_equal(p.outcome, ALLOC_OK_FAST);
	assert_string_equal(served_zone(&p), "DMA32");
	assert_true(p.nofrag_skipped);
	alloc_prediction_free(&p);
	/* Without per-type lists the pass cannot be modelled: Normal. */
	setup(state);
	clear_lists(&zones0[2]);
	add_blocks(&zones0[2], MT_MOVABLE, 5, 200);
	zones0[2].have_mt = false;
	predict("GFP_KERNEL", 3, 1, &p);
	assert_string_equal(served_zone(&p), "Normal");
	alloc_prediction_free(&p);
}

/* --count: one order-10 block is split into two order-9 blocks; with the
 * marks at 0, the first takes 1024 - 511 = 513 > 0, the second 512 - 511
 * = 1 > 0, the third has 0 - 511 < 0: reclaim. */
static void test_count_split(void **state)
{
	static const uint64_t p0[4] = { 0 };
	struct alloc_prediction p;

	setup(state);
	set_zone(&zones0[2], "Normal", 2, 1024, 0, 0, p0);
	clear_lists(&zones0[2]);
	add_blocks(&zones0[2], MT_MOVABLE, 10, 1);
	zones0[0].populated = zones0[1].populated = false;
	predict("GFP_HIGHUSER_MOVABLE", 9, 5, &p);
	assert_int_equal(p.served, 2);
	assert_int_equal(p.served_per_zone[0], 2);
	assert_int_equal(p.stop_outcome, ALLOC_RECLAIM);
	/* The model itself is unchanged. */
	assert_int_equal(zones0[2].nr_free[10], 1);
	assert_int_equal(zones0[2].free, 1024);
	alloc_prediction_free(&p);
}

/* --count across zones: Normal (3 order-9 blocks) then DMA32. */
static void test_count_fallback(void **state)
{
	struct alloc_prediction p;

	setup(state);
	clear_lists(&zones0[2]);
	add_blocks(&zones0[2], MT_MOVABLE, 9, 3);
	zones0[2].free = 3 * 512 + 5000;
	add_blocks(&zones0[2], MT_MOVABLE, 0, 5000);
	clear_lists(&zones0[1]);
	add_blocks(&zones0[1], MT_MOVABLE, 9, 4);
	zones0[1].free = 4 * 512 + 9000 + 1000;   /* above low 6250 + 3000 until the last ones */
	add_blocks(&zones0[1], MT_MOVABLE, 0, 10000 - 4 * 512 + 1000);
	predict("GFP_HIGHUSER_MOVABLE", 9, 100, &p);
	/* Normal: 3 (lists run dry while 5000 + ... pages stay free).
	 * DMA32 (protection[3] = 3000): free 12048; after k allocations
	 * 12048 - 512k - 511 must exceed 9250 (fast): k = 0..3 pass, and
	 * then its 4 blocks are gone.  DMA: 4000 <= 50 + 5000. */
	assert_int_equal(p.served_per_zone[0], 3);
	assert_int_equal(p.served_per_zone[1], 4);
	assert_int_equal(p.served, 7);
	alloc_prediction_free(&p);
}

/*
 * The --count run counts plain stretches in bulk (same_zone_run and
 * take_run).  It must give exactly what one step per allocation gives:
 * compare both on zones with lists at many orders, several classes,
 * orders and counts, tight and loose watermarks.
 */
static void test_count_bulk_equals_steps(void **state)
{
	static const char *const classes[] = { "GFP_KERNEL", "GFP_HIGHUSER_MOVABLE", "GFP_ATOMIC", "GFP_DMA32" };
	static const uint64_t counts[] = { 1, 2, 3, 7, 64, 1000, 100000 };
	uint64_t seed = 0x9E3779B97F4A7C15u;

	for (int round = 0; round < 40; round++) {
		setup(state);
		for (int zi = 0; zi < 3; zi++) {
			struct alloc_zone *z = &zones0[zi];
			uint64_t pages = 0;

			clear_lists(z);
			for (unsigned o = 0; o < NR_ORDERS; o++) {
				for (int mt = 0; mt < 3; mt++) {
					seed ^= seed >> 12;
					seed ^= seed << 25;
					seed ^= seed >> 27;
					add_blocks(z, (enum alloc_mt)mt, o, (seed * 2685821657736338717u) % 7);
					pages += ((seed * 2685821657736338717u) % 7) << o;
				}
			}
			/* Free pages from a little above the lists (PCP drift) to
			 * far above the marks. */
			z->free = pages + (uint64_t)round;
		}
		for (size_t c = 0; c < sizeof(classes) / sizeof(classes[0]); c++) {
			for (unsigned order = 0; order < NR_ORDERS; order += 3) {
				for (size_t k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
					struct alloc_prediction bulk, steps;

					model.one_by_one = false;
					predict(classes[c], order, counts[k], &bulk);
					model.one_by_one = true;
					predict(classes[c], order, counts[k], &steps);
					if (bulk.served != steps.served || bulk.served_slow != steps.served_slow ||
					    bulk.stop_outcome != steps.stop_outcome)
						fail_msg("round %d %s order %u count %llu: bulk %llu (%llu slow) vs steps %llu (%llu slow)",
							 round, classes[c], order, (unsigned long long)counts[k],
							 (unsigned long long)bulk.served, (unsigned long long)bulk.served_slow,
							 (unsigned long long)steps.served, (unsigned long long)steps.served_slow);
					for (size_t i = 0; i < bulk.nzl; i++)
						assert_int_equal(bulk.served_per_zone[i], steps.served_per_zone[i]);
					alloc_prediction_free(&bulk);
					alloc_prediction_free(&steps);
				}
			}
		}
	}
	model.one_by_one = false;
}

/* Two nodes, distances 10/20/15: node 0's list is 0, 2, 1; THISNODE keeps node 0 only. */
static void test_numa(void **state)
{
	struct alloc_zone z1[4], z2[4];
	struct alloc_node nodes[3];
	int order0[3] = { 0, 2, 1 }, order1[3] = { 1, 0, 2 }, order2[3] = { 2, 0, 1 };
	struct alloc_prediction p;

	setup(state);
	clear_lists(&zones0[2]);            /* node 0 Normal: no order-9 block */
	clear_lists(&zones0[1]);
	clear_lists(&zones0[0]);
	add_blocks(&zones0[2], MT_MOVABLE, 0, 10000);
	memcpy(z1, zones0, sizeof(z1));
	memcpy(z2, zones0, sizeof(z2));
	for (int i = 0; i < 4; i++) {
		z1[i].node = 1;
		z2[i].node = 2;
	}
	add_blocks(&z1[2], MT_MOVABLE, 9, 8);
	add_blocks(&z2[2], MT_MOVABLE, 9, 8);
	nodes[0] = node0;
	nodes[0].order = order0;
	nodes[0].norder = 3;
	nodes[1] = (struct alloc_node){ .id = 1, .zones = z1, .nz = 4, .order = order1, .norder = 3 };
	nodes[2] = (struct alloc_node){ .id = 2, .zones = z2, .nz = 4, .order = order2, .norder = 3 };
	model.nodes = nodes;
	model.nn = 3;
	predict("GFP_HIGHUSER_MOVABLE", 9, 1, &p);
	assert_int_equal(p.outcome, ALLOC_OK_FAST);
	assert_int_equal(p.zl[p.served_by].z->node, 2);   /* the nearer node */
	assert_int_equal(p.nzl, 9);                        /* 3 populated zones x 3 nodes */
	alloc_prediction_free(&p);
	predict("hugetlb", 9, 1, &p);
	assert_int_equal(p.nzl, 3);
	assert_int_equal(p.served_by, -1);
	assert_int_equal(p.outcome, ALLOC_COMPACT);
	alloc_prediction_free(&p);
}

static void test_explain(void **state)
{
	struct alloc_prediction p;
	char buf[1024];

	setup(state);
	apply(T_STARVED);
	predict("GFP_KERNEL", 0, 1, &p);
	alloc_explain(&model, &p, buf, sizeof(buf));
	assert_non_null(strstr(buf, "free pages 600 are at or below the min watermark 1,000 plus protection 0"));
	assert_non_null(strstr(buf, "so the kernel would reclaim"));
	alloc_prediction_free(&p);
	setup(state);
	apply(T_FRAGMENTED);
	predict("THP", 9, 1, &p);
	alloc_explain(&model, &p, buf, sizeof(buf));
	assert_non_null(strstr(buf, "no free block of order >= 9 in Normal"));
	assert_non_null(strstr(buf, "0.998, above extfrag_threshold 0.500, so the kernel would try compaction first"));
	alloc_prediction_free(&p);
}

/* The model built from a real capture of this machine (6.18, root). */
static void test_model_from_fixture(void **state)
{
	struct source *src = NULL;
	struct machine m;
	struct alloc_model am;
	struct alloc_prediction p;
	struct alloc_request req = { 0 };
	char root[1024];

	(void)state;
	snprintf(root, sizeof(root), "%s/roots/x86_64-6.18", FIXTURES);
	assert_int_equal(source_open(root, &src), 0);
	assert_int_equal(machine_load(src, IN_ALL, &m), 0);
	assert_int_equal(alloc_model_build(&m.zi, &m.buddy, &m.pt, &m.vm, &m.numa, m.kernel_release, &am), 0);
	assert_int_equal(am.nn, 1);
	assert_int_equal(am.nr_orders, 11);
	assert_int_equal(am.nodes[0].nz, 5);              /* DMA DMA32 Normal Movable Device */
	assert_string_equal(am.nodes[0].zones[2].name, "Normal");
	assert_int_equal(am.nodes[0].zones[2].kidx, 2);
	assert_false(am.nodes[0].zones[2].kidx_guessed);
	assert_true(am.have_mt);
	assert_false(am.has_cma);                          /* no CMA type in this pagetypeinfo */
	assert_int_equal(am.extfrag_threshold, 500);
	req.cls = alloc_class_find("GFP_DMA32");
	req.gfp = req.cls->gfp;
	req.count = 1;
	assert_int_equal(alloc_predict(&am, &req, &p), 0);
	assert_int_equal(p.nzl, 2);                         /* DMA32 then DMA */
	assert_string_equal(p.zl[0].z->name, "DMA32");
	assert_string_equal(p.zl[1].z->name, "DMA");
	alloc_prediction_free(&p);
	alloc_model_free(&am);
	machine_free(&m);
	source_free(src);
}

/* A pre-4.12 capture lists only populated zones: the index is guessed
 * from the usual order (ARM 3.4: Normal 0, HighMem 1, Movable 2), and
 * protection is read at that index: Normal keeps 4038 pages against
 * HighMem-capable requests. */
static void test_model_pre_412(void **state)
{
	struct source *src = NULL;
	struct machine m;
	struct alloc_model am;
	struct alloc_prediction p;
	struct alloc_request req = { 0 };
	char root[1024];

	(void)state;
	snprintf(root, sizeof(root), "%s/roots/arm32-highmem-3.4", FIXTURES);
	assert_int_equal(source_open(root, &src), 0);
	assert_int_equal(machine_load(src, IN_ALL, &m), 0);
	assert_int_equal(alloc_model_build(&m.zi, &m.buddy, NULL, NULL, NULL, m.kernel_release, &am), 0);
	assert_int_equal(am.nn, 1);
	assert_int_equal(am.nodes[0].nz, 2);
	assert_string_equal(am.nodes[0].zones[0].name, "Normal");
	assert_int_equal(am.nodes[0].zones[0].kidx, 0);
	assert_true(am.nodes[0].zones[0].kidx_guessed);
	assert_int_equal(am.nodes[0].zones[1].kidx, 1);
	req.cls = alloc_class_find("GFP_HIGHUSER_MOVABLE");
	req.gfp = req.cls->gfp;
	req.count = 1;
	assert_int_equal(alloc_predict(&am, &req, &p), 0);
	assert_int_equal(p.nzl, 2);
	assert_string_equal(p.zl[0].z->name, "HighMem");
	assert_string_equal(p.zl[1].z->name, "Normal");
	assert_int_equal(p.zl[1].fast.protection, 4038);
	alloc_prediction_free(&p);
	alloc_model_free(&am);
	machine_free(&m);
	source_free(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_class_names, setup),
		cmocka_unit_test_setup(test_flags, setup),
		cmocka_unit_test_setup(test_highest_zone, setup),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_check_numbers),
		cmocka_unit_test(test_pre_44),
		cmocka_unit_test(test_nofragment),
		cmocka_unit_test(test_count_split),
		cmocka_unit_test(test_count_fallback),
		cmocka_unit_test(test_count_bulk_equals_steps),
		cmocka_unit_test_setup(test_numa, setup),
		cmocka_unit_test(test_explain),
		cmocka_unit_test(test_model_from_fixture),
		cmocka_unit_test(test_model_pre_412),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
