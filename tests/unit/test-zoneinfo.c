/*
 * test-zoneinfo.c - zoneinfo_parse() over every real zoneinfo in
 * tests/fixtures/kernel (2.6.16 to 6.18), this machine's live
 * /proc/zoneinfo, and malformed input; plus the model helpers in
 * model/zoneinfo.c.
 *
 * Expected values were read off the fixture files by hand (and cross-
 * checked with awk sums over "pages free" and "count:" lines).  Every
 * input is copied into a buffer of exactly its length, with no NUL
 * after it, so an over-read shows up under ASan.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fixture.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse/parse.h"

#ifndef FIXTURES
#error "FIXTURES must be set to the absolute path of tests/fixtures"
#endif

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Read a whole file into a malloc'ed buffer of exactly its size; NULL if unreadable. */
/* A copy of a string literal without its NUL, so over-reads are caught. */
static char *dup_exact(const char *text, size_t len)
{
	char *p = malloc(len ? len : 1);

	assert_non_null(p);
	memcpy(p, text, len);
	return p;
}

static void parse_fixture(const char *dir, struct zoneinfo *zi)
{
	char path[512];
	struct parse_error perr = { 0 };
	size_t len = 0;
	char *buf;
	int r;

	snprintf(path, sizeof(path), "%s/kernel/%s/zoneinfo", FIXTURES, dir);
	buf = slurp(path, &len);
	if (!buf)
		fail_msg("cannot read %s", path);
	r = zoneinfo_parse(buf, len, path, zi, &perr);
	if (r < 0)
		fail_msg("%s:%u: %s (%d)", path, perr.line, perr.what, r);
	free(buf);
}

static const struct zone_info *zone(const struct zoneinfo *zi, int node, const char *name)
{
	const struct zone_info *z = zoneinfo_find(zi, node, name);

	if (!z)
		fail_msg("no zone %s on node %d", name, node);
	return z;
}

static uint64_t kv(const struct kvlist *l, const char *name)
{
	uint64_t v = 0;

	if (!kvlist_get(l, name, &v))
		fail_msg("no counter '%s'", name);
	return v;
}

static void assert_protection(const struct zone_info *z, const uint64_t *want, unsigned n)
{
	assert_true(z->have & ZI_PROTECTION);
	assert_int_equal(z->nr_protection, n);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(z->protection[i], want[i]);
}

/* What must hold for any well-formed zoneinfo. */
static void check_invariants(const struct zoneinfo *zi, bool snapshot)
{
	const unsigned must = ZI_PAGES_FREE | ZI_MIN | ZI_LOW | ZI_HIGH |
			      ZI_SPANNED | ZI_PRESENT | ZI_PROTECTION;

	assert_true(zi->n > 0);
	for (size_t i = 0; i < zi->n; i++) {
		const struct zone_info *z = &zi->z[i];
		unsigned index = 0;
		uint64_t v;

		for (size_t j = 0; j < i; j++)
			if (zi->z[j].node == z->node)
				index++;
		assert_int_equal(z->index, index);
		assert_int_equal(z->have & must, must);
		assert_true(z->min <= z->low);
		assert_true(z->low <= z->high);
		if (z->have & ZI_PROMO)
			assert_true(z->high <= z->promo);
		assert_true(z->nr_protection >= 1);
		assert_int_equal(z->nr_protection, zi->z[0].nr_protection);
		assert_true(z->name[0] != '\0');
		assert_true(z->line > 0);
		if (z->pcp.nr > 0)
			assert_true(z->have & ZI_PAGESETS);
		/* Read from the same counter; a live file may race. */
		if (snapshot && kvlist_get(&z->stats, "nr_free_pages", &v))
			assert_int_equal(v, z->pages_free);
	}
}

/*
 * One row per fixture: counts and sums taken from the file.  sum_free is
 * the sum of every "pages free", sum_count of every pageset "count:".
 */
struct fixture_case {
	const char *dir;
	size_t nzones;
	size_t nnodes;          /* per-node stats blocks */
	size_t node_stats;      /* counter lines in all of them */
	unsigned populated;
	unsigned pagesets;      /* "cpu:" lines */
	const char *first;      /* first zone's name */
	uint64_t first_free, first_min, first_high;
	uint64_t sum_free, sum_count;
	unsigned nr_protection;
	uint64_t first_prot1;   /* protection[1] of the first zone (0 if absent) */
	unsigned managed, boost, promo, cma, start_pfn; /* zones with the line */
};

static const struct fixture_case cases[] = {
	{ "GoCleverInsignia5-i5_info", 2, 0, 0, 2, 2, "Normal", 38277, 696, 1044,
	  51729, 305, 3, 4038, 0, 0, 0, 0, 2 },
	{ "Khandevops1-linux", 5, 1, 42, 2, 2, "DMA", 3808, 190, 284,
	  63022, 2862, 5, 756, 5, 5, 0, 5, 2 },
	{ "Marioromeo7-issabel", 5, 1, 40, 3, 12, "DMA", 3584, 49, 73,
	  744407, 1128, 5, 2963, 5, 0, 0, 0, 3 },
	{ "RandolphWang1-D2000", 1, 0, 0, 1, 2, "DMA", 5410, 181, 271,
	  5410, 2, 4, 0, 0, 0, 0, 0, 1 },
	{ "aepkolol-innofirmware", 1, 0, 0, 1, 2, "Normal", 34683, 502, 753,
	  34683, 88, 3, 0, 1, 0, 0, 0, 1 },
	{ "apporator-zteorange", 1, 0, 0, 1, 2, "Normal", 388, 306, 459,
	  388, 13, 2, 0, 1, 0, 0, 0, 1 },
	{ "hotsos-kubernetes", 5, 1, 32, 3, 6, "DMA", 3962, 67, 99,
	  30281, 917, 5, 2929, 5, 0, 0, 0, 3 },
	{ "hotsos-openstack", 5, 1, 32, 3, 6, "DMA", 3974, 16, 24,
	  112589, 464, 5, 2962, 5, 0, 0, 0, 3 },
	{ "jds2001-coreos-sosreport", 5, 1, 28, 3, 6, "DMA", 3975, 33, 49,
	  136835, 285, 5, 3828, 5, 0, 0, 0, 3 },
	{ "pcp-meminfo-root-001", 3, 0, 0, 3, 24, "DMA", 3963, 3, 4,
	  1162560, 2156, 4, 1584, 3, 0, 0, 0, 3 },
	{ "pcp-meminfo-root-002", 4, 0, 0, 4, 128, "DMA", 3830, 2, 3,
	  21821632, 6165, 4, 1754, 4, 0, 0, 0, 4 },
	{ "pcp-meminfo-root-004", 3, 1, 26, 3, 12, "DMA", 3975, 67, 99,
	  816109, 736, 5, 2934, 3, 0, 0, 0, 3 },
	{ "pcp-meminfo-root-005", 5, 1, 25, 3, 24, "DMA", 3971, 16, 24,
	  624193, 1594, 5, 1598, 5, 0, 0, 0, 3 },
	{ "pcp-meminfo-root-006", 5, 1, 28, 3, 6, "DMA", 3975, 69, 103,
	  631224, 349, 5, 2779, 5, 0, 0, 0, 3 },
	{ "pcp-meminfo-root-007", 10, 2, 78, 4, 32, "DMA", 3580, 42, 62,
	  1052928, 32230, 5, 1934, 10, 0, 0, 10, 4 },
	{ "prometheus-node_exporter", 5, 1, 33, 3, 24, "DMA", 2949, 8, 14,
	  5071115, 3318, 5, 2039, 5, 0, 0, 0, 3 },
	{ "prometheus-procfs", 5, 1, 30, 3, 24, "DMA", 3952, 33, 49,
	  226757, 4706, 5, 2877, 5, 0, 0, 0, 3 },
	{ "this-machine", 5, 1, 51, 3, 6, "DMA", 3840, 68, 102,
	  872951, 2348, 5, 3019, 5, 5, 5, 5, 3 },
	{ "twaite-442proj2", 3, 0, 0, 3, 24, "DMA", 3960, 32, 48,
	  1435033, 1543, 4, 3237, 0, 0, 0, 0, 3 },
};

static unsigned count_bit(const struct zoneinfo *zi, unsigned bit)
{
	unsigned n = 0;

	for (size_t i = 0; i < zi->n; i++)
		if (zi->z[i].have & bit)
			n++;
	return n;
}

/* Runs once per row of cases[] (the row is the test's initial state). */
static void test_fixture(void **state)
{
	const struct fixture_case *c = *state;
	struct zoneinfo zi;
	uint64_t sum_free = 0, sum_count = 0;
	unsigned populated = 0, pagesets = 0;
	size_t node_stats = 0;

	parse_fixture(c->dir, &zi);
	check_invariants(&zi, true);
	assert_int_equal(zi.n, c->nzones);
	assert_int_equal(zi.nn, c->nnodes);
	for (size_t i = 0; i < zi.nn; i++)
		node_stats += zi.nodes[i].stats.n;
	assert_int_equal(node_stats, c->node_stats);
	for (size_t i = 0; i < zi.n; i++) {
		sum_free += zi.z[i].pages_free;
		sum_count += zi.z[i].pcp.count;
		pagesets += zi.z[i].pcp.nr;
		populated += zone_info_populated(&zi.z[i]);
	}
	assert_int_equal(populated, c->populated);
	assert_int_equal(pagesets, c->pagesets);
	assert_int_equal(sum_free, c->sum_free);
	assert_int_equal(sum_count, c->sum_count);
	assert_string_equal(zi.z[0].name, c->first);
	assert_int_equal(zi.z[0].node, 0);
	assert_int_equal(zi.z[0].index, 0);
	assert_int_equal(zi.z[0].line, 1);
	assert_int_equal(zi.z[0].pages_free, c->first_free);
	assert_int_equal(zi.z[0].min, c->first_min);
	assert_int_equal(zi.z[0].high, c->first_high);
	assert_int_equal(zi.z[0].nr_protection, c->nr_protection);
	assert_int_equal(zi.z[0].protection[0], 0);
	assert_int_equal(zi.z[0].protection[1], c->first_prot1);
	assert_int_equal(count_bit(&zi, ZI_MANAGED), c->managed);
	assert_int_equal(count_bit(&zi, ZI_BOOST), c->boost);
	assert_int_equal(count_bit(&zi, ZI_PROMO), c->promo);
	assert_int_equal(count_bit(&zi, ZI_CMA), c->cma);
	assert_int_equal(count_bit(&zi, ZI_START_PFN), c->start_pfn);
	zoneinfo_free(&zi);
	assert_int_equal(zi.n, 0);
	assert_null(zi.z);
}

/* 6.18: per-node block, boost/promo/cma, nr_free_pages_blocks, high_min/high_max. */
static void test_this_machine(void **state)
{
	static const char *const names[] = { "DMA", "DMA32", "Normal", "Movable", "Device" };
	static const uint64_t dma_prot[] = { 0, 3019, 3659, 3659, 3659 };
	static const uint64_t dma32_prot[] = { 0, 0, 640, 640, 640 };
	const struct zone_info *z;
	struct zoneinfo zi;

	(void)state;
	parse_fixture("this-machine", &zi);
	assert_int_equal(zi.n, 5);
	for (unsigned i = 0; i < 5; i++) {
		assert_string_equal(zi.z[i].name, names[i]);
		assert_int_equal(zi.z[i].index, i);
		assert_int_equal(zi.z[i].node, 0);
		assert_int_equal(zi.z[i].other.n, 0);
	}
	assert_int_equal(zi.z[1].line, 99);
	assert_int_equal(zi.z[4].line, 203);

	z = zone(&zi, 0, "DMA");
	assert_protection(z, dma_prot, 5);
	assert_int_equal(kv(&z->stats, "nr_free_pages_blocks"), 3584);
	assert_int_equal(z->pcp.nr, 2);
	assert_int_equal(z->pcp.batch_max, 1);
	assert_int_equal(z->pcp.high_min_max, 42);
	assert_int_equal(z->pcp.high_max_max, 240);
	assert_int_equal(z->pcp.threshold_max, 4);
	assert_int_equal(z->start_pfn, 1);
	assert_true(z->have & ZI_UNRECLAIMABLE);
	assert_false(z->unreclaimable);

	z = zone(&zi, 0, "DMA32");
	assert_protection(z, dma32_prot, 5);
	assert_int_equal(z->pcp.count, 0);
	assert_int_equal(z->pcp.high, 252 + 8676);
	assert_int_equal(z->pcp.high_max_max, 48307);
	assert_int_equal(z->pcp.threshold_max, 24);

	z = zone(&zi, 0, "Normal");
	assert_int_equal(z->index, 2);
	assert_int_equal(z->line, 145);
	assert_int_equal(z->pages_free, 96196);
	assert_int_equal(z->boost, 0);
	assert_int_equal(z->min, 2943);
	assert_int_equal(z->low, 3678);
	assert_int_equal(z->high, 4413);
	assert_int_equal(z->promo, 5148);
	assert_int_equal(z->spanned, 5505024);
	assert_int_equal(z->present, 5505024);
	assert_int_equal(z->managed, 163840);
	assert_int_equal(z->cma, 0);
	assert_int_equal(z->start_pfn, 1048576);
	assert_int_equal(z->have & (ZI_BOOST | ZI_PROMO | ZI_CMA | ZI_MANAGED | ZI_START_PFN),
			 ZI_BOOST | ZI_PROMO | ZI_CMA | ZI_MANAGED | ZI_START_PFN);
	assert_int_equal(z->pcp.nr, 2);
	assert_int_equal(z->pcp.count, 1298 + 1050);
	assert_int_equal(z->pcp.high, 4927 + 10240);
	assert_int_equal(z->pcp.batch_max, 31);
	assert_int_equal(z->pcp.high_min_max, 1839);
	assert_int_equal(z->pcp.high_max_max, 10240);
	assert_int_equal(z->pcp.threshold_max, 16);
	assert_int_equal(kv(&z->stats, "nr_free_pages"), 96196);
	assert_int_equal(kv(&z->stats, "nr_free_pages_blocks"), 75264);
	assert_int_equal(kv(&z->stats, "numa_hit"), 670660);
	assert_int_equal(kv(&z->stats, "nr_mlock"), 3306);
	assert_int_equal(z->stats.n, 17);
	assert_true(zone_info_populated(z));

	/* Unpopulated zones end right after protection: no pagesets, no trailer. */
	z = zone(&zi, 0, "Movable");
	assert_false(zone_info_populated(z));
	assert_int_equal(z->min, 32);
	assert_int_equal(z->promo, 32);
	assert_false(z->have & (ZI_PAGESETS | ZI_START_PFN | ZI_UNRECLAIMABLE));
	assert_int_equal(z->stats.n, 0);
	assert_int_equal(z->pcp.nr, 0);
	assert_false(zone_info_populated(zone(&zi, 0, "Device")));

	/* The per-node block, printed in the node's first populated zone. */
	assert_int_equal(zi.nn, 1);
	assert_int_equal(zi.nodes[0].node, 0);
	assert_int_equal(zi.nodes[0].stats.n, 51);
	assert_string_equal(zi.nodes[0].stats.items[0].name, "nr_inactive_anon");
	assert_int_equal(kv(&zi.nodes[0].stats, "nr_inactive_anon"), 19963);
	assert_int_equal(kv(&zi.nodes[0].stats, "workingset_refault_file"), 15447);
	assert_int_equal(kv(&zi.nodes[0].stats, "nr_dirtied"), 67380);
	assert_int_equal(kv(&zi.nodes[0].stats, "pgpromote_success"), 0);
	assert_int_equal(kv(&zi.nodes[0].stats, "nr_kernel_file_pages"), 0);
	/* Node counters stay out of the zone's own list. */
	assert_null(kvlist_find(&zi.z[0].stats, "nr_inactive_anon"));
	zoneinfo_free(&zi);
}

/* 2.6.16: active/inactive/scanned lines, hot and cold pagesets, no managed. */
static void test_2_6_16(void **state)
{
	static const uint64_t prot[] = { 0, 0, 0, 0 };
	const struct zone_info *z;
	struct zoneinfo zi;

	(void)state;
	parse_fixture("RandolphWang1-D2000", &zi);
	assert_int_equal(zi.n, 1);
	assert_int_equal(zi.nn, 0);
	z = &zi.z[0];
	assert_string_equal(z->name, "DMA");
	assert_int_equal(z->pages_free, 5410);
	assert_int_equal(z->min, 181);
	assert_int_equal(z->low, 226);
	assert_int_equal(z->high, 271);
	assert_int_equal(z->spanned, 8192);
	assert_int_equal(z->present, 8192);
	assert_false(z->have & (ZI_MANAGED | ZI_BOOST | ZI_PROMO | ZI_CMA));
	assert_protection(z, prot, 4);
	/* "cpu: 0 pcp: 0" (hot) and "cpu: 0 pcp: 1" (cold): two pagesets. */
	assert_true(z->have & ZI_PAGESETS);
	assert_int_equal(z->pcp.nr, 2);
	assert_int_equal(z->pcp.count, 2);
	assert_int_equal(z->pcp.high, 6 + 2);
	assert_int_equal(z->pcp.batch_max, 1);
	assert_int_equal(z->pcp.high_min_max, 0);
	assert_int_equal(z->pcp.threshold_max, 0);
	assert_true(z->have & ZI_UNRECLAIMABLE);
	assert_false(z->unreclaimable);
	assert_int_equal(z->start_pfn, 196608);
	assert_int_equal(z->stats.n, 0);
	assert_int_equal(z->other.n, 5);
	assert_int_equal(kv(&z->other, "active"), 367);
	assert_int_equal(kv(&z->other, "inactive"), 720);
	assert_int_equal(kv(&z->other, "scanned"), 0);
	assert_int_equal(kv(&z->other, "prev_priority"), 12);
	assert_int_equal(kv(&z->other, "temp_priority"), 12);
	assert_true(zone_info_populated(z));
	zoneinfo_free(&zi);
}

/* 3.4 ARM: HighMem, counters nested under each zone, protection after them. */
static void test_highmem(void **state)
{
	static const uint64_t normal_prot[] = { 0, 4038, 4038 };
	static const uint64_t high_prot[] = { 0, 0, 0 };
	const struct zone_info *z;
	struct zoneinfo zi;

	(void)state;
	parse_fixture("GoCleverInsignia5-i5_info", &zi);
	assert_int_equal(zi.n, 2);
	assert_int_equal(zi.nn, 0);

	z = zone(&zi, 0, "Normal");
	assert_int_equal(z->index, 0);
	assert_int_equal(z->present, 121412);
	assert_false(z->have & ZI_MANAGED);
	assert_protection(z, normal_prot, 3);
	assert_int_equal(z->stats.n, 27);
	assert_int_equal(kv(&z->stats, "nr_free_pages"), 38277);
	assert_int_equal(kv(&z->stats, "nr_file_pages"), 63256);
	assert_int_equal(kv(&z->stats, "nr_anon_transparent_hugepages"), 0);
	assert_int_equal(z->other.n, 2);
	assert_int_equal(kv(&z->other, "scanned"), 0);
	assert_int_equal(kv(&z->other, "inactive_ratio"), 1);
	assert_int_equal(z->pcp.nr, 1);
	assert_int_equal(z->pcp.count, 145);
	assert_int_equal(z->pcp.high, 186);
	assert_int_equal(z->pcp.batch_max, 31);
	assert_int_equal(z->pcp.threshold_max, 6);
	assert_int_equal(z->start_pfn, 524288);

	z = zone(&zi, 0, "HighMem");
	assert_int_equal(z->index, 1);
	assert_int_equal(z->line, 46);
	assert_int_equal(z->pages_free, 13452);
	assert_int_equal(z->min, 126);
	assert_int_equal(z->low, 311);
	assert_int_equal(z->high, 496);
	assert_int_equal(z->spanned, 136448);
	assert_int_equal(z->present, 129238);
	assert_protection(z, high_prot, 3);
	assert_int_equal(kv(&z->stats, "nr_mlock"), 11634);
	assert_int_equal(z->pcp.count, 160);
	assert_int_equal(z->start_pfn, 646656);
	assert_true(zone_info_populated(z));
	zoneinfo_free(&zi);
}

/* Pre-4.8 NUMA: two nodes, node 1 prints only its Normal zone. */
static void test_two_nodes_old(void **state)
{
	static const uint64_t prot[] = { 0, 0, 0, 0 };
	const struct zone_info *z;
	struct zoneinfo zi;

	(void)state;
	parse_fixture("pcp-meminfo-root-002", &zi);
	assert_int_equal(zi.n, 4);
	assert_int_equal(zi.nn, 0);
	assert_int_equal(zone(&zi, 0, "Normal")->index, 2);
	assert_int_equal(zone(&zi, 0, "Normal")->line, 425);

	z = zone(&zi, 1, "Normal");
	assert_ptr_equal(z, &zi.z[3]);
	assert_int_equal(z->node, 1);
	assert_int_equal(z->index, 0);
	assert_int_equal(z->line, 637);
	assert_int_equal(z->pages_free, 11093906);
	assert_int_equal(z->min, 11288);
	assert_int_equal(z->low, 14110);
	assert_int_equal(z->high, 16932);
	assert_int_equal(z->spanned, 16777216);
	assert_int_equal(z->present, 16777216);
	assert_int_equal(z->managed, 16514387);
	assert_protection(z, prot, 4);
	assert_int_equal(kv(&z->stats, "numa_hit"), 281361739);
	assert_int_equal(kv(&z->stats, "workingset_refault"), 0);
	assert_int_equal(kv(&z->other, "inactive_ratio"), 24);
	assert_int_equal(z->pcp.nr, 32);
	assert_int_equal(z->pcp.count, 2111);
	assert_int_equal(z->pcp.high, 5952);
	assert_int_equal(z->pcp.batch_max, 31);
	assert_int_equal(z->pcp.threshold_max, 120);
	assert_int_equal(z->start_pfn, 17301504);
	assert_null(zoneinfo_find(&zi, 1, "DMA"));
	assert_null(zoneinfo_find(&zi, 2, "Normal"));
	zoneinfo_free(&zi);
}

/* 2 nodes x 5 zones, a per-node block in each node's first populated zone. */
static void test_two_nodes_new(void **state)
{
	static const char *const names[] = { "DMA", "DMA32", "Normal", "Movable", "Device" };
	const struct zone_info *z;
	struct zoneinfo zi;

	(void)state;
	parse_fixture("pcp-meminfo-root-007", &zi);
	assert_int_equal(zi.n, 10);
	for (unsigned i = 0; i < 10; i++) {
		assert_int_equal(zi.z[i].node, i / 5);
		assert_int_equal(zi.z[i].index, i % 5);
		assert_string_equal(zi.z[i].name, names[i % 5]);
	}
	assert_false(zone_info_populated(zone(&zi, 1, "DMA")));
	assert_false(zone_info_populated(zone(&zi, 1, "DMA32")));

	z = zone(&zi, 1, "Normal");
	assert_int_equal(z->line, 291);
	assert_int_equal(z->pages_free, 762548);
	assert_int_equal(z->min, 11328);
	assert_int_equal(z->low, 14160);
	assert_int_equal(z->high, 16992);
	assert_int_equal(z->present, 1048576);
	assert_int_equal(z->managed, 1020184);
	assert_int_equal(z->cma, 0);
	assert_true(z->have & ZI_CMA);
	assert_false(z->have & ZI_BOOST);
	assert_int_equal(kv(&z->stats, "numa_miss"), 489923);
	assert_int_equal(z->pcp.nr, 8);
	assert_int_equal(z->pcp.count, 21651);
	assert_int_equal(z->pcp.high, 28320);
	assert_int_equal(z->pcp.batch_max, 63);
	assert_int_equal(z->pcp.threshold_max, 48);
	assert_int_equal(z->start_pfn, 1572864);

	assert_int_equal(zi.nn, 2);
	assert_int_equal(zi.nodes[0].node, 0);
	assert_int_equal(zi.nodes[1].node, 1);
	assert_int_equal(zi.nodes[0].stats.n, 39);
	assert_int_equal(zi.nodes[1].stats.n, 39);
	assert_int_equal(kv(&zi.nodes[0].stats, "nr_inactive_anon"), 10469);
	assert_int_equal(kv(&zi.nodes[1].stats, "nr_inactive_anon"), 22434);
	assert_int_equal(kv(&zi.nodes[1].stats, "nr_kernel_stack"), 12512);
	assert_int_equal(kv(&zi.nodes[1].stats, "nr_swapcached"), 0);
	zoneinfo_free(&zi);
}

/* The capture lost its final newline right after the last "protection:". */
static void test_no_final_newline(void **state)
{
	static const uint64_t prot[] = { 0, 0, 0, 0, 0 };
	const struct zone_info *z;
	struct zoneinfo zi;

	(void)state;
	parse_fixture("prometheus-node_exporter", &zi);
	assert_int_equal(zi.n, 5);
	z = &zi.z[4];
	assert_string_equal(z->name, "Device");
	assert_int_equal(z->index, 4);
	assert_protection(z, prot, 5);
	assert_true(z->have & ZI_MANAGED);
	assert_false(z->have & ZI_CMA);
	assert_false(zone_info_populated(z));
	z = zone(&zi, 0, "Normal");
	assert_int_equal(z->pcp.batch_max, 63);
	assert_int_equal(z->pcp.threshold_max, 72);
	assert_int_equal(z->start_pfn, 1048576);
	zoneinfo_free(&zi);
}

/* RHEL 9 5.14: the Normal zone is printed but empty. */
static void test_empty_normal(void **state)
{
	static const uint64_t dma_prot[] = { 0, 756, 756, 756, 756 };
	const struct zone_info *z;
	struct zoneinfo zi;

	(void)state;
	parse_fixture("Khandevops1-linux", &zi);
	z = zone(&zi, 0, "Normal");
	assert_int_equal(z->index, 2);
	assert_true(z->have & ZI_PRESENT);
	assert_int_equal(z->present, 0);
	assert_int_equal(z->managed, 0);
	assert_false(zone_info_populated(z));
	assert_false(z->have & (ZI_PAGESETS | ZI_START_PFN));

	z = zone(&zi, 0, "DMA");
	assert_protection(z, dma_prot, 5);
	assert_int_equal(z->low, 237);
	assert_true(z->have & ZI_BOOST);
	assert_false(z->have & ZI_PROMO);
	assert_int_equal(z->pcp.high, 237);
	assert_int_equal(z->pcp.threshold_max, 2);

	z = zone(&zi, 0, "DMA32");
	assert_true(zone_info_populated(z));
	assert_int_equal(z->pages_free, 59214);
	assert_int_equal(z->managed, 193648);
	assert_int_equal(z->pcp.nr, 1);
	assert_int_equal(z->pcp.count, 2862);
	assert_int_equal(z->pcp.high, 10557);
	assert_int_equal(z->pcp.batch_max, 31);
	assert_int_equal(z->start_pfn, 4096);
	assert_int_equal(kv(&zi.nodes[0].stats, "nr_kernel_stack"), 1872);
	zoneinfo_free(&zi);
}

/* 4.18 RHEL 8 printed one node counter with an empty name: kept under "". */
static void test_unnamed_counter(void **state)
{
	struct zoneinfo zi;

	(void)state;
	parse_fixture("jds2001-coreos-sosreport", &zi);
	assert_int_equal(kv(&zi.nodes[0].stats, ""), 537792);
	assert_int_equal(kv(&zi.nodes[0].stats, "nr_written"), 260861);
	zoneinfo_free(&zi);

	/* 4.9: node_scanned inside the watermarks, node_inactive_ratio last. */
	parse_fixture("pcp-meminfo-root-004", &zi);
	assert_int_equal(kv(&zi.z[0].other, "node_scanned"), 0);
	assert_int_equal(kv(&zi.z[0].other, "node_inactive_ratio"), 0);
	assert_int_equal(zi.z[0].managed, 3977);
	zoneinfo_free(&zi);
}

/* Unknown keyed lines are kept, not fatal; blank lines are skipped. */
static void test_tolerant(void **state)
{
	static const char text[] =
		"Node 3, zone   Normal\n"
		"  pages free     10\n"
		"        min      1\n"
		"        low      2\n"
		"        high     3\n"
		"        future_mark 4\n"
		"  some new thing: 5 extra words\n"
		"\n"
		"      nr_something_new 6\n"
		"        protection: ( 0 ,7 )\n"
		"  pagesets\n"
		"    cpu: 0\n"
		"              count: 1\n"
		"    cpu: 1\n"
		"              count: 2\n"
		"  start_pfn:           9\r\n"
		"Node 3, zone  Movable\n"
		"  pages free     0\n"
		"        protection: (0, 0)";
	struct parse_error perr = { 0 };
	const struct zone_info *z;
	struct zoneinfo zi;
	char *buf = dup_exact(text, sizeof(text) - 1);

	(void)state;
	assert_int_equal(zoneinfo_parse(buf, sizeof(text) - 1, "t", &zi, &perr), 0);
	free(buf);
	assert_int_equal(zi.n, 2);
	z = zone(&zi, 3, "Normal");
	assert_int_equal(z->index, 0);
	assert_int_equal(kv(&z->other, "future_mark"), 4);
	assert_int_equal(kv(&z->other, "some new thing"), 5);
	assert_int_equal(kv(&z->stats, "nr_something_new"), 6);
	assert_int_equal(z->nr_protection, 2);
	assert_int_equal(z->protection[1], 7);
	assert_int_equal(z->pcp.nr, 2);
	assert_int_equal(z->pcp.count, 3);
	assert_int_equal(z->start_pfn, 9);
	assert_false(z->have & ZI_PRESENT);
	/* No present/managed/spanned line: not populated. */
	assert_false(zone_info_populated(z));
	assert_int_equal(zone(&zi, 3, "Movable")->index, 1);
	assert_int_equal(zone(&zi, 3, "Movable")->line, 17);
	zoneinfo_free(&zi);
	zoneinfo_free(&zi);
	zoneinfo_free(NULL);
}

static void test_populated_fallback(void **state)
{
	struct zone_info z;

	(void)state;
	memset(&z, 0, sizeof(z));
	assert_false(zone_info_populated(&z));
	z.have = ZI_SPANNED;
	z.spanned = 5;
	assert_true(zone_info_populated(&z));
	z.have |= ZI_MANAGED;
	assert_false(zone_info_populated(&z));
	z.managed = 1;
	assert_true(zone_info_populated(&z));
	z.have |= ZI_PRESENT;
	assert_false(zone_info_populated(&z));
	z.present = 1;
	assert_true(zone_info_populated(&z));
}

static void test_live(void **state)
{
	struct parse_error perr = { 0 };
	struct zoneinfo zi;
	unsigned populated = 0;
	size_t len = 0;
	char *buf;
	int r;

	(void)state;
	buf = slurp("/proc/zoneinfo", &len);
	if (!buf) {
		skip();
		return;
	}
	r = zoneinfo_parse(buf, len, "/proc/zoneinfo", &zi, &perr);
	if (r < 0)
		fail_msg("/proc/zoneinfo:%u: %s (%d)", perr.line, perr.what, r);
	free(buf);
	check_invariants(&zi, false);
	for (size_t i = 0; i < zi.n; i++)
		populated += zone_info_populated(&zi.z[i]);
	assert_true(populated >= 1);
	assert_true(zi.nn >= 1);
	assert_non_null(zoneinfo_find(&zi, zi.z[0].node, zi.z[0].name));
	zoneinfo_free(&zi);
}

static const char bad_name[] = "bad";

/* Parse text that must fail with code at line; *ret must stay untouched. */
static void expect_fail(const char *text, size_t len, int code, unsigned line)
{
	struct parse_error perr;
	struct zoneinfo zi, before;
	char *buf = dup_exact(text, len);
	int r;

	memset(&perr, 0, sizeof(perr));
	memset(&zi, 0xa5, sizeof(zi));
	memcpy(&before, &zi, sizeof(zi));
	r = zoneinfo_parse(buf, len, bad_name, &zi, &perr);
	free(buf);
	if (r != code)
		fail_msg("expected %d, got %d (%u: %s)", code, r, perr.line, perr.what);
	assert_int_equal(perr.line, line);
	assert_ptr_equal(perr.file, bad_name);
	assert_true(perr.what[0] != '\0');
	assert_memory_equal(&zi, &before, sizeof(zi));
	/* perr is optional. */
	buf = dup_exact(text, len);
	assert_int_equal(zoneinfo_parse(buf, len, bad_name, &zi, NULL), code);
	free(buf);
}

#define EXPECT_FAIL(text, code, line) expect_fail(text, sizeof(text) - 1, code, line)

#define HDR "Node 0, zone      DMA\n"
#define WM "  pages free     1\n        min      1\n        low      2\n        high     3\n"

static void test_garbage(void **state)
{
	static const char junk[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\xff\xfe\n\x01\x02\x03";

	(void)state;
	expect_fail("", 0, -EINVAL, 0);
	EXPECT_FAIL("\n\n   \n", -EINVAL, 0);
	expect_fail(junk, sizeof(junk) - 1, -EINVAL, 1);
	/* Content before any header. */
	EXPECT_FAIL("      nr_free_pages 3840\n" HDR WM, -EINVAL, 1);
	EXPECT_FAIL("  per-node stats\n" HDR WM, -EINVAL, 1);
	/* Malformed headers. */
	EXPECT_FAIL("Node 0 zone DMA\n" WM, -EINVAL, 1);
	EXPECT_FAIL("Node x, zone DMA\n" WM, -EINVAL, 1);
	EXPECT_FAIL("Node 0, zone\n" WM, -EINVAL, 1);
	EXPECT_FAIL("Node 0, zone DMA extra\n" WM, -EINVAL, 1);
	EXPECT_FAIL("Node 0, area DMA\n" WM, -EINVAL, 1);
	EXPECT_FAIL("Node 99999999999999999999, zone DMA\n" WM, -ERANGE, 1);
	EXPECT_FAIL("Node 4294967296, zone DMA\n" WM, -ERANGE, 1);
	EXPECT_FAIL("Node 0, zone ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456\n" WM, -EINVAL, 1);
	/* A line with no value that is not a section marker. */
	EXPECT_FAIL(HDR WM "  hello world\n", -EINVAL, 6);
	/* Non-numbers and overflow. */
	EXPECT_FAIL(HDR "  pages free     12x\n", -EINVAL, 2);
	EXPECT_FAIL(HDR WM "        spanned  99999999999999999999\n", -ERANGE, 6);
	EXPECT_FAIL(HDR WM "      nr_free_pages 18446744073709551616\n", -ERANGE, 6);
	EXPECT_FAIL(HDR WM "  weird 18446744073709551616\n", -ERANGE, 6);
	EXPECT_FAIL(HDR WM "        min      1 2\n", -EINVAL, 6);
	/* A count beyond FS_MAX_PAGES is rejected where it appears. */
	EXPECT_FAIL(HDR WM "  pagesets\n    cpu: 0\n              count: 18446744073709551615\n"
		    "    cpu: 1\n              count: 1\n", -ERANGE, 8);
	/* Counts that are each possible but sum beyond the bound fail at the sum. */
	EXPECT_FAIL(HDR WM "  pagesets\n    cpu: 0\n              count: 281474976710656\n"
		    "    cpu: 1\n              count: 1\n", -ERANGE, 10);
	EXPECT_FAIL(HDR "  pages free     1\n        managed  281474976710657\n", -ERANGE, 3);
}

static void test_truncated(void **state)
{
	(void)state;
	/* A header and then nothing. */
	EXPECT_FAIL("Node 0, zone      DMA\n", -EINVAL, 1);
	EXPECT_FAIL("Node 0, zone      DMA", -EINVAL, 1);
	/* A header immediately followed by another (reported at the first). */
	EXPECT_FAIL(HDR "Node 0, zone    DMA32\n" WM, -EINVAL, 1);
	EXPECT_FAIL(HDR WM "Node 0, zone    DMA32\n", -EINVAL, 6);
	/* A per-node block cut before "pages free". */
	EXPECT_FAIL(HDR "  per-node stats\n      nr_inactive_anon 1\n", -EINVAL, 1);
	EXPECT_FAIL(HDR "  per-node stats\n  per-node stats\n" WM, -EINVAL, 3);
	EXPECT_FAIL(HDR WM "  per-node stats\n", -EINVAL, 6);
	/* Protection tuples. */
	EXPECT_FAIL(HDR WM "        protection: (0, 1, ", -EINVAL, 6);
	EXPECT_FAIL(HDR WM "        protection: (0, 1, \n", -EINVAL, 6);
	EXPECT_FAIL(HDR WM "        protection: (0, 1\n", -EINVAL, 6);
	EXPECT_FAIL(HDR WM "        protection: 0, 1)\n", -EINVAL, 6);
	EXPECT_FAIL(HDR WM "        protection: ()\n", -EINVAL, 6);
	EXPECT_FAIL(HDR WM "        protection: (0,, 1)\n", -EINVAL, 6);
	EXPECT_FAIL(HDR WM "        protection: (0, 1x)\n", -EINVAL, 6);
	EXPECT_FAIL(HDR WM "        protection: (0, 1) junk\n", -EINVAL, 6);
	EXPECT_FAIL(HDR WM "        protection:\n", -EINVAL, 6);
	EXPECT_FAIL(HDR WM "        protection: (0, 99999999999999999999)\n", -ERANGE, 6);
	EXPECT_FAIL(HDR WM "        protection: (0, 0, 0, 0, 0, 0, 0, 0, 0)\n", -ERANGE, 6);
	/* Too many zones on one node. */
	EXPECT_FAIL(HDR WM HDR WM HDR WM HDR WM HDR WM HDR WM HDR WM HDR WM HDR WM, -ERANGE, 41);
}

/* A real file cut inside a zone fails, with the partial result freed (ASan). */
static void test_truncated_fixture(void **state)
{
	char path[512];
	struct parse_error perr = { 0 };
	struct zoneinfo zi;
	size_t len = 0, cut;
	char *buf, *hit;

	(void)state;
	snprintf(path, sizeof(path), "%s/kernel/this-machine/zoneinfo", FIXTURES);
	buf = slurp(path, &len);
	assert_non_null(buf);
	/* Keep everything up to and including "Node 0, zone   Device\n" (line 203). */
	hit = memmem(buf, len, "Node 0, zone   Device\n", 22);
	assert_non_null(hit);
	cut = (size_t)(hit - buf) + 22;
	assert_int_equal(zoneinfo_parse(buf, cut, path, &zi, &perr), -EINVAL);
	assert_int_equal(perr.line, 203);
	/* Corrupt one value in the middle (line 150, Normal's "high"). */
	hit = memmem(buf, len, "        high     4413\n", 22);
	assert_non_null(hit);
	hit[19] = 'x';
	assert_int_equal(zoneinfo_parse(buf, len, path, &zi, &perr), -EINVAL);
	assert_int_equal(perr.line, 150);
	assert_ptr_equal(perr.file, path);
	free(buf);
}

/* Found by fuzz-zoneinfo: raw input bytes reached parse_error.what.
 * Every quoted token must come out as printable ASCII. */
static void test_error_text_is_printable(void **state)
{
	static const char *const inputs[] = {
		"\r\x10",
		"\x1b]0;pwned\x07 12\n",
		"Node 0, zone \x1b[31mDMA\n  pages free 1\n",
		"Node 0, zone DMA\n  pages free \x01\x02\n",
		"Node 0, zone DMA\n  pages free 1 \x7f\xff\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		struct parse_error perr = { 0 };
		struct zoneinfo zi;
		int r = zoneinfo_parse(inputs[i], strlen(inputs[i]), "t", &zi, &perr);

		if (r == 0) {
			zoneinfo_free(&zi);
			continue;
		}
		for (const char *c = perr.what; *c; c++)
			if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
				fail_msg("input %zu: byte 0x%02x in error text '%s'", i, (unsigned char)*c, perr.what);
	}
}

static void kv_equal(const struct kvlist *a, const struct kvlist *b)
{
	assert_int_equal(a->n, b->n);
	for (size_t k = 0; k < a->n; k++) {
		assert_string_equal(a->items[k].name, b->items[k].name);
		assert_int_equal(a->items[k].value, b->items[k].value);
	}
}

/*
 * A re-parse over the last model (what a live view does every refresh)
 * gives what a fresh parse gives, whatever the last file was: every
 * fixture in turn (one node or several, 2.6 to 6.18 layouts), then the
 * first again; a bad file leaves the model empty.  ASan checks that the
 * zones, nodes and names kept or dropped are neither lost nor freed twice.
 */
static void test_reparse(void **state)
{
	struct parse_error perr = { 0 };
	struct zoneinfo re = { 0 }, fresh;

	(void)state;
	for (size_t i = 0; i <= ARRAY_LEN(cases); i++) {
		const char *dir = cases[i % ARRAY_LEN(cases)].dir;
		char path[512];
		size_t len = 0;
		char *buf;

		snprintf(path, sizeof(path), "%s/kernel/%s/zoneinfo", FIXTURES, dir);
		buf = slurp(path, &len);
		assert_non_null(buf);
		parse_fixture(dir, &fresh);
		if (zoneinfo_reparse(buf, len, path, &re, &perr) < 0)
			fail_msg("%s:%u: %s", path, perr.line, perr.what);
		assert_int_equal(re.n, fresh.n);
		assert_int_equal(re.nn, fresh.nn);
		for (size_t z = 0; z < fresh.n; z++) {
			const struct zone_info *a = &re.z[z], *b = &fresh.z[z];

			assert_int_equal(a->node, b->node);
			assert_string_equal(a->name, b->name);
			assert_int_equal(a->index, b->index);
			assert_int_equal(a->have, b->have);
			assert_int_equal(a->pages_free, b->pages_free);
			assert_int_equal(a->boost, b->boost);
			assert_int_equal(a->min, b->min);
			assert_int_equal(a->low, b->low);
			assert_int_equal(a->high, b->high);
			assert_int_equal(a->promo, b->promo);
			assert_int_equal(a->spanned, b->spanned);
			assert_int_equal(a->present, b->present);
			assert_int_equal(a->managed, b->managed);
			assert_int_equal(a->cma, b->cma);
			assert_int_equal(a->nr_protection, b->nr_protection);
			assert_memory_equal(a->protection, b->protection, sizeof(a->protection));
			assert_int_equal(a->start_pfn, b->start_pfn);
			assert_int_equal(a->unreclaimable, b->unreclaimable);
			assert_memory_equal(&a->pcp, &b->pcp, sizeof(a->pcp));
			assert_int_equal(a->line, b->line);
			kv_equal(&a->stats, &b->stats);
			kv_equal(&a->other, &b->other);
		}
		for (size_t k = 0; k < fresh.nn; k++) {
			assert_int_equal(re.nodes[k].node, fresh.nodes[k].node);
			kv_equal(&re.nodes[k].stats, &fresh.nodes[k].stats);
		}
		zoneinfo_free(&fresh);
		free(buf);
	}
	assert_true(zoneinfo_reparse("Node 0, zone DMA\n  nr_free_pages 3\n", 35, "x", &re, &perr) < 0);
	assert_int_equal(re.n, 0);
	assert_null(re.z);
	zoneinfo_free(&re);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_this_machine),
		cmocka_unit_test(test_2_6_16),
		cmocka_unit_test(test_highmem),
		cmocka_unit_test(test_two_nodes_old),
		cmocka_unit_test(test_two_nodes_new),
		cmocka_unit_test(test_no_final_newline),
		cmocka_unit_test(test_empty_normal),
		cmocka_unit_test(test_unnamed_counter),
		cmocka_unit_test(test_tolerant),
		cmocka_unit_test(test_populated_fallback),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_reparse),
		cmocka_unit_test(test_error_text_is_printable),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_truncated_fixture),
		cmocka_unit_test(test_live),
	};
	struct CMUnitTest tests[ARRAY_LEN(cases) + ARRAY_LEN(fixed)];
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		tests[n] = (struct CMUnitTest){
			.name = cases[i].dir,
			.test_func = test_fixture,
			.initial_state = (void *)&cases[i],
		};
		n++;
	}
	for (size_t i = 0; i < ARRAY_LEN(fixed); i++)
		tests[n++] = fixed[i];
	return cmocka_run_group_tests_name("zoneinfo", tests, NULL, NULL);
}
