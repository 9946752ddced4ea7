/*
 * test-sim-buddy.c - the buddy simulator's engine (sim/buddy.c) on small
 * zones worked out by hand from the kernel's rules (reference/kernel.md
 * section 3), then its invariants after every operation of randomized
 * workloads with fixed seeds, and determinism.
 *
 * The hand-worked zones have 16 pages at pfn 0, orders 0..3 (blocks of
 * 1, 2, 4, 8 pages) and pageblocks of 4 pages (order 2) unless a test
 * says otherwise.  Lists are written head first.
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

#include "sim/buddy.h"
#include "sim/w1.h"

/* The pfns on list (o, mt), head first, as a string "0 8". */
static const char *list_str(const struct sim_zone *z, unsigned o, enum alloc_mt mt)
{
	static char buf[256];
	size_t n = 0;

	buf[0] = '\0';
	for (uint32_t i = sim_zone_list_first(z, o, mt); i != SIM_NIL; i = sim_zone_list_next(z, i))
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%llu", n ? " " : "",
				      (unsigned long long)(z->base + i));
	return buf;
}

static void assert_valid(const struct sim_zone *z)
{
	char why[256] = "";
	int r = sim_zone_check(z, why, sizeof(why));

	if (r != 0)
		fail_msg("invariant: %s", why);
}

/* 16 pages at pfn 0, two free order-3 blocks of type mt, in address order. */
static void zone16(struct sim_zone *z, enum alloc_mt mt)
{
	assert_int_equal(sim_zone_init(z, 0, 16, 4, 2, mt), 0);
	assert_int_equal(sim_zone_add_free(z, 0, 3, true), 0);
	assert_int_equal(sim_zone_add_free(z, 8, 3, true), 0);
	assert_int_equal(z->free_pages, 16);
	assert_string_equal(list_str(z, 3, mt), "0 8");
	assert_valid(z);
}

/*
 * Splitting: an order-0 request takes the head order-3 block at 0 and
 * returns the upper halves 4 (order 2), 2 (order 1), 1 (order 0).  Then
 * an order-1 request finds order 1 first (pfn 2), an order-0 request
 * takes pfn 1.  Freeing 1: its buddy 0 is allocated, so no merge; the
 * order-1 buddy of 0-1 (pfn 2) is allocated, so it goes to the head.
 * Freeing 2 (order 1): buddy 0 allocated; the order-2 buddy of 0-3 is
 * pfn 4, free at order 2, so buddy_merge_likely() puts it at the tail.
 * Freeing 0 merges 0+1, 0-1+2-3, 0-3+4-7 into order 3 at 0, which goes to
 * the head (the largest order is never placed at the tail).
 */
static void test_split_and_merge(void **state)
{
	struct sim_zone z;

	(void)state;
	zone16(&z, MT_MOVABLE);
	assert_int_equal(sim_zone_rmqueue(&z, 0, MT_MOVABLE, 0), 0);
	assert_string_equal(list_str(&z, 3, MT_MOVABLE), "8");
	assert_string_equal(list_str(&z, 2, MT_MOVABLE), "4");
	assert_string_equal(list_str(&z, 1, MT_MOVABLE), "2");
	assert_string_equal(list_str(&z, 0, MT_MOVABLE), "1");
	assert_int_equal(z.free_pages, 15);
	assert_int_equal(z.pbmov[0], 1);
	assert_valid(&z);

	assert_int_equal(sim_zone_rmqueue(&z, 1, MT_MOVABLE, 0), 2);
	assert_int_equal(sim_zone_rmqueue(&z, 0, MT_MOVABLE, 0), 1);
	assert_int_equal(z.free_pages, 12);
	assert_int_equal(z.pbmov[0], 4);
	assert_true(sim_zone_page_free(&z, 5));
	assert_false(sim_zone_page_free(&z, 3));
	assert_valid(&z);

	sim_zone_free(&z, 1, 0, MT_MOVABLE);
	assert_string_equal(list_str(&z, 0, MT_MOVABLE), "1");
	sim_zone_free(&z, 2, 1, MT_MOVABLE);
	assert_string_equal(list_str(&z, 1, MT_MOVABLE), "2");
	assert_int_equal(z.mask[MT_MOVABLE], 0xf);
	assert_valid(&z);

	sim_zone_free(&z, 0, 0, MT_MOVABLE);
	assert_string_equal(list_str(&z, 3, MT_MOVABLE), "0 8");
	assert_string_equal(list_str(&z, 0, MT_MOVABLE), "");
	assert_int_equal(z.mask[MT_MOVABLE], 0x8);
	assert_int_equal(z.free_pages, 16);
	assert_int_equal(z.pbmov[0], 0);
	assert_int_equal(sim_zone_blocks(&z, 3), 2);
	assert_valid(&z);
	sim_zone_free_all(&z);
}

/*
 * buddy_merge_likely(): free order-0 pages 4 and 6 of a zone whose only
 * free block is order 1 at 2.  4's buddy 5 is allocated; its order-1
 * parent 4-5 has buddy 6-7, not free at order 1: head.  Then free 0: its
 * buddy 1 is allocated; the parent 0-1 has buddy 2-3, free at order 1:
 * tail.
 */
static void test_tail_placement(void **state)
{
	struct sim_zone z;

	(void)state;
	assert_int_equal(sim_zone_init(&z, 0, 16, 4, 2, MT_UNMOVABLE), 0);
	assert_int_equal(sim_zone_add_free(&z, 2, 1, false), 0);
	sim_zone_free(&z, 4, 0, MT_UNMOVABLE);
	sim_zone_free(&z, 6, 0, MT_UNMOVABLE);
	assert_string_equal(list_str(&z, 0, MT_UNMOVABLE), "6 4");
	sim_zone_free(&z, 0, 0, MT_UNMOVABLE);
	assert_string_equal(list_str(&z, 0, MT_UNMOVABLE), "6 4 0");
	assert_valid(&z);
	sim_zone_free_all(&z);
}

/*
 * CLAIM of a whole block: only Movable order-3 blocks are free and an
 * Unmovable order-0 request arrives.  The claim loop starts at the top
 * order: order 3 >= the pageblock order, so the head block (0) is
 * relabelled Unmovable (both its pageblocks) and split on the Unmovable
 * lists.
 */
static void test_claim_whole(void **state)
{
	struct sim_zone z;

	(void)state;
	zone16(&z, MT_MOVABLE);
	assert_int_equal(sim_zone_rmqueue(&z, 0, MT_UNMOVABLE, 0), 0);
	assert_int_equal(sim_zone_pb_mt(&z, 0), MT_UNMOVABLE);
	assert_int_equal(sim_zone_pb_mt(&z, 4), MT_UNMOVABLE);
	assert_int_equal(sim_zone_pb_mt(&z, 8), MT_MOVABLE);
	assert_string_equal(list_str(&z, 2, MT_UNMOVABLE), "4");
	assert_string_equal(list_str(&z, 1, MT_UNMOVABLE), "2");
	assert_string_equal(list_str(&z, 0, MT_UNMOVABLE), "1");
	assert_string_equal(list_str(&z, 3, MT_MOVABLE), "8");
	assert_int_equal(z.stats.claims_whole, 1);
	assert_int_equal(z.pbmov[0], 0);
	assert_valid(&z);
	sim_zone_free_all(&z);
}

/* All 16 pages taken by Movable order-0 allocations (4 movable pages in
 * every pageblock). */
static void zone16_full(struct sim_zone *z)
{
	zone16(z, MT_MOVABLE);
	for (int k = 0; k < 16; k++)
		assert_true(sim_zone_rmqueue(z, 0, MT_MOVABLE, 0) >= 0);
	assert_int_equal(z->free_pages, 0);
	assert_int_equal(sim_zone_rmqueue(z, 0, MT_MOVABLE, 0), -1);
	for (int pb = 0; pb < 4; pb++)
		assert_int_equal(z->pbmov[pb], 4);
}

/*
 * CLAIM below the pageblock order, refused, then STEAL: page 0 is freed
 * (Movable pageblock 0-3 now has free = 1, movable in use = 3).  An
 * Unmovable order-0 request: the claim loop reaches order 0 (Unmovable
 * may always try); alike = 4 - 1 - 3 = 0 and 1 + 0 < 4/2, so the
 * pageblock stays Movable.  STEAL then takes page 0 from the Movable list.
 * With boosting on (cap 8 pages), the attempted claim boosted by one
 * pageblock (4 pages).
 */
static void test_claim_refused_then_steal(void **state)
{
	struct sim_zone z;

	(void)state;
	zone16_full(&z);
	z.boost_cap = 8;
	sim_zone_free(&z, 0, 0, MT_MOVABLE);
	assert_int_equal(z.pbmov[0], 3);
	assert_int_equal(sim_zone_rmqueue(&z, 0, MT_UNMOVABLE, 0), 0);
	assert_int_equal(sim_zone_pb_mt(&z, 0), MT_MOVABLE);
	assert_int_equal(z.stats.claims, 0);
	assert_int_equal(z.stats.steals, 1);
	assert_int_equal(z.boost, 4);
	/* Under ALLOC_NOFRAGMENT neither a small claim nor a steal is allowed. */
	sim_zone_free(&z, 0, 0, MT_UNMOVABLE);
	assert_int_equal(sim_zone_rmqueue(&z, 0, MT_UNMOVABLE, ALLOC_NOFRAGMENT), -1);
	assert_int_equal(z.boost, 4);
	assert_valid(&z);
	sim_zone_free_all(&z);
}

/*
 * CLAIM below the pageblock order, granted: pages 0 and 1 are freed and
 * merge into an order-1 block; free = 2 and 2 + 0 >= 4/2, so pageblock
 * 0-3 becomes Unmovable, the order-1 block moves to the Unmovable list
 * and __rmqueue_smallest() splits it: the caller gets 0, page 1 stays
 * free.  The boost reaches its cap of 4 pages.
 */
static void test_claim_granted(void **state)
{
	struct sim_zone z;

	(void)state;
	zone16_full(&z);
	z.boost_cap = 4;
	z.boost = 2;
	sim_zone_free(&z, 0, 0, MT_MOVABLE);
	sim_zone_free(&z, 1, 0, MT_MOVABLE);
	assert_string_equal(list_str(&z, 1, MT_MOVABLE), "0");
	assert_int_equal(sim_zone_rmqueue(&z, 0, MT_UNMOVABLE, 0), 0);
	assert_int_equal(sim_zone_pb_mt(&z, 0), MT_UNMOVABLE);
	assert_string_equal(list_str(&z, 0, MT_UNMOVABLE), "1");
	assert_int_equal(z.stats.claims, 1);
	assert_int_equal(z.stats.claims_whole, 0);
	assert_int_equal(z.boost, 4);
	assert_valid(&z);
	sim_zone_free_all(&z);
}

/*
 * A small Movable request never claims below pageblock_order / 2 (here
 * order 1): with only Unmovable order-0 blocks free (5 and 7, not
 * buddies: half of pageblock 4-7, enough for a claim), the claim search
 * stops at order 0 and the request steals the list head, 7.  Had it
 * tried, the claim would have succeeded and returned 5.
 */
static void test_movable_small_steals(void **state)
{
	struct sim_zone z;

	(void)state;
	assert_int_equal(sim_zone_init(&z, 0, 16, 4, 2, MT_UNMOVABLE), 0);
	assert_int_equal(sim_zone_add_free(&z, 5, 0, false), 0);
	assert_int_equal(sim_zone_add_free(&z, 7, 0, false), 0);
	assert_string_equal(list_str(&z, 0, MT_UNMOVABLE), "7 5");
	assert_int_equal(sim_zone_rmqueue(&z, 0, MT_MOVABLE, 0), 7);
	assert_int_equal(z.stats.claims, 0);
	assert_int_equal(z.stats.steals, 1);
	assert_int_equal(sim_zone_pb_mt(&z, 4), MT_UNMOVABLE);
	assert_int_equal(z.pbmov[1], 1);
	assert_valid(&z);
	sim_zone_free_all(&z);
}

/*
 * From the pageblock order up, HighAtomic does not merge with Movable,
 * while Unmovable and Movable merge and the buddy's pageblock takes the
 * freed block's type.
 */
static void test_mergeable_types(void **state)
{
	struct sim_zone z;

	(void)state;
	assert_int_equal(sim_zone_init(&z, 0, 16, 4, 2, MT_MOVABLE), 0);
	sim_zone_set_pb_mt(&z, 0, 2, MT_HIGHATOMIC);
	assert_int_equal(sim_zone_add_free(&z, 0, 2, false), 0);
	sim_zone_free(&z, 4, 2, MT_UNMOVABLE);
	assert_string_equal(list_str(&z, 2, MT_HIGHATOMIC), "0");
	assert_string_equal(list_str(&z, 2, MT_MOVABLE), "4");
	assert_int_equal(z.free_highatomic, 4);
	assert_int_equal(z.free_pages, 8);
	assert_valid(&z);

	sim_zone_set_pb_mt(&z, 8, 2, MT_UNMOVABLE);
	assert_int_equal(sim_zone_add_free(&z, 8, 2, false), 0);
	sim_zone_free(&z, 12, 2, MT_UNMOVABLE);
	assert_string_equal(list_str(&z, 3, MT_MOVABLE), "8");
	assert_int_equal(sim_zone_pb_mt(&z, 8), MT_MOVABLE);
	assert_int_equal(sim_zone_blocks(&z, 3), 1);
	assert_valid(&z);
	sim_zone_free_all(&z);
}

/*
 * split_large_buddy(): with pageblocks of 2 pages, an order-3 block over
 * pageblocks Unmovable, Movable, Movable, Movable is freed a pageblock at
 * a time: 0-1 (Unmovable), then 2-3 (Movable) merges with it and
 * relabels it Movable, and so on up to one Movable order-3 block.
 */
static void test_free_large(void **state)
{
	struct sim_zone z;

	(void)state;
	assert_int_equal(sim_zone_init(&z, 0, 16, 4, 1, MT_MOVABLE), 0);
	sim_zone_set_pb_mt(&z, 0, 1, MT_UNMOVABLE);
	sim_zone_free(&z, 0, 3, MT_UNMOVABLE);
	assert_string_equal(list_str(&z, 3, MT_MOVABLE), "0");
	assert_int_equal(sim_zone_pb_mt(&z, 0), MT_MOVABLE);
	assert_int_equal(z.free_pages, 8);
	assert_valid(&z);
	sim_zone_free_all(&z);
}

/*
 * The HighAtomic reserve: 512 pages with managed 512, pageblocks of 4:
 * managed / 100 = 5 >= 4, so up to ALIGN(5, 4) = 8 pages (two
 * pageblocks) are reserved.  Each order-1 ALLOC_HIGHATOMIC allocation
 * that is not served from a reserve turns its pageblock into one: the
 * pageblock's free pages move to the HighAtomic lists.
 */
static void test_highatomic_reserve(void **state)
{
	struct sim_zone z;
	int64_t a, b, c;

	(void)state;
	assert_int_equal(sim_zone_init(&z, 0, 512, 4, 2, MT_UNMOVABLE), 0);
	for (uint64_t pfn = 0; pfn < 512; pfn += 8)
		assert_int_equal(sim_zone_add_free(&z, pfn, 3, true), 0);
	a = sim_zone_rmqueue(&z, 1, MT_UNMOVABLE, ALLOC_HIGHATOMIC);
	assert_int_equal(a, 0);
	assert_int_equal(sim_zone_pb_mt(&z, 0), MT_HIGHATOMIC);
	assert_int_equal(z.reserved_highatomic, 4);
	assert_string_equal(list_str(&z, 1, MT_HIGHATOMIC), "2");
	assert_int_equal(z.free_highatomic, 2);
	/* The next one is served from the reserve (pfn 2): nothing new is
	 * reserved. */
	b = sim_zone_rmqueue(&z, 1, MT_UNMOVABLE, ALLOC_HIGHATOMIC);
	assert_int_equal(b, 2);
	assert_int_equal(z.reserved_highatomic, 4);
	c = sim_zone_rmqueue(&z, 1, MT_UNMOVABLE, ALLOC_HIGHATOMIC);
	assert_int_equal(c, 4);
	assert_int_equal(z.reserved_highatomic, 8);
	assert_int_equal(sim_zone_pb_mt(&z, 4), MT_HIGHATOMIC);
	assert_int_equal(sim_zone_rmqueue(&z, 1, MT_UNMOVABLE, ALLOC_HIGHATOMIC), 6);
	assert_int_equal(sim_zone_rmqueue(&z, 1, MT_UNMOVABLE, ALLOC_HIGHATOMIC), 8);
	assert_int_equal(z.reserved_highatomic, 8);   /* the cap */
	assert_int_equal(sim_zone_pb_mt(&z, 8), MT_UNMOVABLE);
	/* Only HighAtomic requests (or non-blocking ones as a last resort)
	 * take HighAtomic blocks. */
	assert_int_equal(z.free_highatomic, 0);
	assert_valid(&z);
	sim_zone_free_all(&z);
}

/*
 * sim_zone_take() (trace replay): take page 5 out of the order-3 block
 * at 0.  The halves that do not hold it go back: 0-3 (order 2), 6-7
 * (order 1), 4 (order 0).  Taking it again fails; the order-3 block at 8
 * is taken whole; an unaligned or partly allocated range is refused.
 */
static void test_take(void **state)
{
	struct sim_zone z;

	(void)state;
	zone16(&z, MT_MOVABLE);
	assert_int_equal(sim_zone_take(&z, 5, 0, MT_MOVABLE), 0);
	assert_string_equal(list_str(&z, 2, MT_MOVABLE), "0");
	assert_string_equal(list_str(&z, 1, MT_MOVABLE), "6");
	assert_string_equal(list_str(&z, 0, MT_MOVABLE), "4");
	assert_int_equal(z.pbmov[1], 1);
	assert_int_equal(z.free_pages, 15);
	assert_int_equal(sim_zone_take(&z, 5, 0, MT_MOVABLE), -22);
	assert_int_equal(sim_zone_take(&z, 4, 1, MT_MOVABLE), -22);   /* 5 is taken */
	assert_int_equal(sim_zone_take(&z, 9, 1, MT_MOVABLE), -22);   /* unaligned */
	assert_int_equal(sim_zone_take(&z, 8, 3, MT_UNMOVABLE), 0);
	assert_string_equal(list_str(&z, 3, MT_MOVABLE), "");
	assert_int_equal(z.free_pages, 7);
	assert_valid(&z);
	sim_zone_free(&z, 5, 0, MT_MOVABLE);
	sim_zone_free(&z, 8, 3, MT_UNMOVABLE);
	assert_string_equal(list_str(&z, 3, MT_MOVABLE), "8 0");
	assert_valid(&z);
	sim_zone_free_all(&z);
}

/* Seeding refuses a misaligned block, one outside the span, an overlap. */
static void test_add_free_rejects(void **state)
{
	struct sim_zone z;

	(void)state;
	assert_int_equal(sim_zone_init(&z, 3, 13, 4, 2, MT_MOVABLE), 0);
	assert_int_equal(z.base, 0);
	assert_int_equal(sim_zone_add_free(&z, 2, 1, false), -22);   /* pfn 2 is outside [3, 16) */
	assert_int_equal(sim_zone_add_free(&z, 6, 2, false), -22);   /* misaligned */
	assert_int_equal(sim_zone_add_free(&z, 8, 3, false), 0);
	assert_int_equal(sim_zone_add_free(&z, 12, 1, false), -22);  /* inside the block at 8 */
	assert_int_equal(sim_zone_add_free(&z, 8, 0, false), -22);
	assert_int_equal(sim_zone_add_free(&z, 16, 0, false), -22);
	/* pfn 3's buddy (2) is outside the span: it can never merge. */
	sim_zone_free(&z, 3, 0, MT_UNMOVABLE);
	assert_string_equal(list_str(&z, 0, MT_MOVABLE), "3");
	assert_valid(&z);
	sim_zone_free_all(&z);
}

/* The checker catches what it promises to catch. */
static void test_check_detects(void **state)
{
	struct sim_zone z;
	char why[256];

	(void)state;
	zone16(&z, MT_MOVABLE);
	z.free_pages++;
	assert_int_equal(sim_zone_check(&z, why, sizeof(why)), -EUCLEAN);
	assert_non_null(strstr(why, "I5"));
	z.free_pages--;
	z.pbmt[3] = MT_UNMOVABLE;
	assert_int_equal(sim_zone_check(&z, why, sizeof(why)), -EUCLEAN);
	assert_non_null(strstr(why, "I4"));
	z.pbmt[3] = MT_MOVABLE;
	z.st[4] = 3;   /* a head inside the block at 0 */
	assert_int_equal(sim_zone_check(&z, why, sizeof(why)), -EUCLEAN);
	assert_non_null(strstr(why, "I2"));
	z.st[4] = 0;
	assert_valid(&z);
	sim_zone_free_all(&z);

	/* Two free buddies left unmerged. */
	assert_int_equal(sim_zone_init(&z, 0, 16, 4, 2, MT_MOVABLE), 0);
	assert_int_equal(sim_zone_add_free(&z, 0, 1, false), 0);
	assert_int_equal(sim_zone_add_free(&z, 2, 1, false), 0);
	assert_int_equal(sim_zone_check(&z, why, sizeof(why)), -EUCLEAN);
	assert_non_null(strstr(why, "I3"));
	sim_zone_free_all(&z);
}

struct live {
	uint64_t pfn;
	unsigned order;
	enum alloc_mt mt;
};

/*
 * A random workload on a zone with an unaligned start and mixed
 * pageblock types: allocations of every order, type and flag mix, frees
 * of random live blocks.  After every operation the invariants hold,
 * and every 97 operations each allocated page is checked not free and
 * the pages add up.  Returns a hash of every result.
 */
static uint64_t random_run(uint64_t seed, unsigned ops)
{
	static const unsigned flags[] = { 0, 0, 0, ALLOC_NOFRAGMENT, ALLOC_HIGHATOMIC, ALLOC_NON_BLOCK };
	struct sim_zone z;
	struct live *live = calloc(8192, sizeof(*live));
	size_t nlive = 0;
	uint64_t s = seed, hash = 1469598103934665603ull, span = 6000, used = 0;

	assert_non_null(live);
	assert_int_equal(sim_zone_init(&z, 300, span, 11, 9, MT_MOVABLE), 0);
	/* A larger managed count than the span, so that the HighAtomic
	 * reserve (1 % of managed, here 2048 pages) comes into play. */
	z.managed = 100 * 2048;
	z.boost_cap = 1024;
	for (uint64_t pfn = 300; pfn < 300 + span; pfn += 512)
		sim_zone_set_pb_mt(&z, pfn, 0, (enum alloc_mt)(sim_xorshift64s(&s) % 3));
	/* Free every page, in a scrambled order, one at a time: merging
	 * builds the blocks. */
	for (uint64_t k = 0; k < span; k++) {
		uint64_t pfn = 300 + (k * 2654435761u) % span;

		sim_zone_free(&z, pfn, 0, MT_UNMOVABLE);
	}
	assert_int_equal(z.free_pages, span);
	assert_valid(&z);
	for (unsigned op = 0; op < ops; op++) {
		uint64_t r = sim_xorshift64s(&s);

		if (nlive == 0 || (r & 3) != 0) {
			unsigned o = (unsigned)((r >> 8) % 100 < 70 ? (r >> 16) % 3 : (r >> 16) % 11);
			enum alloc_mt mt = (enum alloc_mt)((r >> 24) % 3);
			unsigned f = flags[(r >> 32) % 6];
			int64_t pfn;

			if (nlive == 8192)
				continue;
			pfn = sim_zone_rmqueue(&z, o, mt, f);
			hash = (hash ^ (uint64_t)pfn) * 1099511628211ull;
			if (pfn >= 0) {
				assert_int_equal(pfn % (1 << o), 0);
				live[nlive++] = (struct live){ (uint64_t)pfn, o, mt };
				used += 1u << o;
			}
		} else {
			size_t k = (size_t)((r >> 8) % nlive);

			sim_zone_free(&z, live[k].pfn, live[k].order, live[k].mt);
			used -= 1u << live[k].order;
			live[k] = live[--nlive];
		}
		assert_valid(&z);
		if (op % 97 == 0) {
			for (size_t k = 0; k < nlive; k++)
				for (uint64_t p = 0; p < (1u << live[k].order); p++)
					if (sim_zone_page_free(&z, live[k].pfn + p))
						fail_msg("allocated pfn %llu is also free",
							 (unsigned long long)(live[k].pfn + p));
			assert_int_equal(z.free_pages + used, span);
		}
	}
	hash = (hash ^ z.stats.claims) * 1099511628211ull;
	hash = (hash ^ z.stats.steals) * 1099511628211ull;
	/* Free everything: the zone must return to whole blocks. */
	while (nlive) {
		nlive--;
		sim_zone_free(&z, live[nlive].pfn, live[nlive].order, live[nlive].mt);
	}
	assert_int_equal(z.free_pages, span);
	for (size_t pb = 0; pb < z.npb; pb++)
		assert_int_equal(z.pbmov[pb], 0);
	assert_valid(&z);
	sim_zone_free_all(&z);
	free(live);
	return hash;
}

static void test_random_invariants(void **state)
{
	uint64_t a, b, c;

	(void)state;
	a = random_run(1, 4000);
	b = random_run(1, 4000);
	c = random_run(2, 4000);
	assert_true(a == b);
	assert_true(a != c);
}

/* W1 is deterministic: two runs agree on every counter; the zone stays
 * valid; allocated pages stay below 3/4 plus one allocation. */
static void test_w1_deterministic(void **state)
{
	struct sim_w1 a, b;
	char why[256];

	(void)state;
	assert_int_equal(sim_w1_init(&a, 1 << 16), 0);
	assert_int_equal(sim_w1_init(&b, 1 << 16), 0);
	assert_int_equal(sim_w1_run(&a, 200000), 0);
	assert_int_equal(sim_w1_run(&b, 100000), 0);
	assert_int_equal(sim_w1_run(&b, 100000), 0);
	assert_int_equal(a.steps, 200000);
	assert_int_equal(a.allocs, b.allocs);
	assert_int_equal(a.frees, b.frees);
	assert_int_equal(a.fails, b.fails);
	assert_int_equal(a.used, b.used);
	assert_int_equal(a.allocs + a.fails + a.frees, a.steps);
	assert_true(a.used < (1 << 16) / 4 * 3 + 512);
	assert_int_equal(a.z.free_pages + a.used, 1 << 16);
	assert_memory_equal(a.z.st, b.z.st, a.z.npg);
	assert_int_equal(sim_zone_check(&a.z, why, sizeof(why)), 0);
	sim_w1_free(&a);
	sim_w1_free(&b);
}

/*
 * W1 as DESIGN.md words it, with nothing clever: the generator, the order
 * table, a plain live array of (pfn, order).  The benchmark's lookahead
 * and packed live slots must not change a single step: the counters, the
 * free lists, the live allocations and the generator's state agree, also
 * when the steps are run in several calls.  A zone of 3,000 pages makes
 * order-9 allocations fail now and then, so failed steps are covered.
 */
static void w1_reference(struct sim_zone *z, uint64_t pages, uint64_t steps, uint64_t *fails,
			 uint64_t *pfns, unsigned *orders, size_t *nlive_out, uint64_t *rng_out)
{
	static const uint16_t upto[] = { 600, 750, 850, 930, 970, 985, 993, 997, 999 };
	uint64_t rng = SIM_W1_RNG_SEED, used = 0, limit = pages / 4 * 3 + (pages % 4) * 3 / 4;
	size_t nlive = 0;

	*fails = 0;
	for (uint64_t s = 0; s < steps; s++) {
		uint64_t r = sim_xorshift64s(&rng);

		if (used < limit) {
			unsigned o = 0;
			int64_t pfn;

			while (o < 9 && r % 1000 >= upto[o])
				o++;
			pfn = sim_zone_rmqueue(z, o, MT_MOVABLE, 0);
			if (pfn < 0) {
				(*fails)++;
				continue;
			}
			pfns[nlive] = (uint64_t)pfn;
			orders[nlive++] = o;
			used += 1u << o;
		} else {
			size_t k = (size_t)(r % nlive);

			sim_zone_free(z, pfns[k], orders[k], MT_MOVABLE);
			used -= 1u << orders[k];
			pfns[k] = pfns[--nlive];
			orders[k] = orders[nlive];
		}
	}
	*nlive_out = nlive;
	*rng_out = rng;
}

static uint64_t w1_against_reference(uint64_t pages, uint64_t steps)
{
	struct sim_w1 w, ref;
	uint64_t *pfns = calloc(pages, sizeof(*pfns)), fails;
	unsigned *orders = calloc(pages, sizeof(*orders));
	size_t nlive;
	uint64_t rng;

	assert_non_null(pfns);
	assert_non_null(orders);
	assert_int_equal(sim_w1_init(&w, pages), 0);
	assert_int_equal(sim_w1_init(&ref, pages), 0);   /* only its zone is used */
	assert_int_equal(sim_w1_prepare(&w, steps), 0);
	assert_int_equal(sim_w1_run(&w, steps / 3), 0);
	assert_int_equal(sim_w1_run(&w, 1), 0);
	assert_int_equal(sim_w1_run(&w, steps - steps / 3 - 1), 0);
	w1_reference(&ref.z, pages, steps, &fails, pfns, orders, &nlive, &rng);
	assert_int_equal(w.steps, steps);
	assert_int_equal(w.rng, rng);
	assert_int_equal(w.fails, fails);
	assert_int_equal(w.nlive, nlive);
	assert_memory_equal(w.z.st, ref.z.st, w.z.npg);
	assert_memory_equal(w.z.nd, ref.z.nd, w.z.npg * sizeof(*w.z.nd));
	assert_int_equal(w.z.npool, ref.z.npool);
	assert_memory_equal(w.z.pool, ref.z.pool, w.z.npool * sizeof(*w.z.pool));
	assert_memory_equal(w.z.nr_free, ref.z.nr_free, sizeof(w.z.nr_free));
	for (size_t k = 0; k < nlive; k++) {
		uint32_t e = w.live[k];

		assert_int_equal(__builtin_ctz(e), orders[k]);
		assert_int_equal((e & (e - 1)) >> 1, pfns[k]);
	}
	sim_w1_free(&w);
	sim_w1_free(&ref);
	free(pfns);
	free(orders);
	return fails;
}

static void test_w1_reference(void **state)
{
	(void)state;
	assert_int_equal(w1_against_reference(1 << 16, 300000), 0);
	assert_true(w1_against_reference(3000, 200000) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_and_merge),
		cmocka_unit_test(test_tail_placement),
		cmocka_unit_test(test_claim_whole),
		cmocka_unit_test(test_claim_refused_then_steal),
		cmocka_unit_test(test_claim_granted),
		cmocka_unit_test(test_movable_small_steals),
		cmocka_unit_test(test_mergeable_types),
		cmocka_unit_test(test_free_large),
		cmocka_unit_test(test_highatomic_reserve),
		cmocka_unit_test(test_take),
		cmocka_unit_test(test_add_free_rejects),
		cmocka_unit_test(test_check_detects),
		cmocka_unit_test(test_random_invariants),
		cmocka_unit_test(test_w1_deterministic),
		cmocka_unit_test(test_w1_reference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
