/*
 * test-pagetypeinfo.c - pagetypeinfo_parse() and the pagetypeinfo model
 * helpers over real captures from kernels 3.2 to 6.18 (tests/fixtures/kernel,
 * see PROVENANCE.md there) and over broken input.  Every expected number
 * was read off the fixture by hand; per-type page totals (Σ count << order)
 * were worked out by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fixture.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/parse.h"

/* Fixtures of this test live under tests/fixtures/kernel/. */
static char *read_fixture(const char *rel, size_t *ret_len)
{
	char path[1024];

	snprintf(path, sizeof(path), "kernel/%s", rel);
	return fixture_read(path, ret_len);
}

static void parse_text_ok(const char *buf, size_t len, const char *name, struct pagetypeinfo *pt)
{
	struct parse_error perr = { 0 };
	int r;

	r = pagetypeinfo_parse(buf, len, name, pt, &perr);
	if (r < 0)
		fail_msg("%s:%u: %s (%d)", name, perr.line, perr.what, r);
}

static void parse_fixture(const char *rel, struct pagetypeinfo *pt)
{
	size_t len;
	char *buf = read_fixture(rel, &len);

	parse_text_ok(buf, len, rel, pt);
	free(buf);
}

/* Parsing must fail with code at line, leaving *ret untouched. */
static void expect_fail(const char *text, size_t len, int code, unsigned line)
{
	struct pagetypeinfo *pt, *sentinel;
	struct parse_error perr;
	int r;

	/* the struct is large: keep it off the stack */
	pt = malloc(sizeof(*pt));
	sentinel = malloc(sizeof(*sentinel));
	assert_non_null(pt);
	assert_non_null(sentinel);
	memset(&perr, 0, sizeof(perr));
	memset(pt, 0x5a, sizeof(*pt));
	memcpy(sentinel, pt, sizeof(*pt));
	r = pagetypeinfo_parse(text, len, "t/pagetypeinfo", pt, &perr);
	if (r != code || perr.line != line)
		fail_msg("got %d at line %u (%s), want %d at line %u",
			 r, perr.line, perr.what, code, line);
	assert_string_equal(perr.file, "t/pagetypeinfo");
	assert_true(perr.what[0] != '\0');
	assert_memory_equal(pt, sentinel, sizeof(*pt));
	/* perr is optional */
	assert_int_equal(pagetypeinfo_parse(text, len, "t/pagetypeinfo", pt, NULL), code);
	assert_memory_equal(pt, sentinel, sizeof(*pt));
	free(pt);
	free(sentinel);
}

static void expect_fail_str(const char *text, int code, unsigned line)
{
	expect_fail(text, strlen(text), code, line);
}

/* Replace the first occurrence of from in text by to; a new malloc'ed string. */
static char *replace(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	size_t a, b, c;
	char *out;

	assert_non_null(at);
	a = (size_t)(at - text);
	b = strlen(to);
	c = strlen(at + strlen(from));
	out = malloc(a + b + c + 1);
	assert_non_null(out);
	memcpy(out, text, a);
	memcpy(out + a, to, b);
	memcpy(out + a + b, at + strlen(from), c + 1);
	return out;
}

static void check_names(const struct pagetypeinfo *pt, const char *const *names, unsigned n)
{
	unsigned i;

	assert_int_equal(pt->nr_mt, n);
	for (i = 0; i < n; i++) {
		assert_string_equal(pt->mt_names[i], names[i]);
		assert_int_equal(pagetypeinfo_mt_index(pt, names[i]), i);
	}
}

static void check_row(const struct pagetype_zone *z, unsigned mt, const uint64_t *want, unsigned n)
{
	unsigned o;

	for (o = 0; o < n; o++) {
		assert_int_equal(z->free[mt][o], want[o]);
		assert_false(z->capped[mt][o]);
	}
}

static void check_blocks(const struct pagetype_zone *z, const uint64_t *want, unsigned n)
{
	unsigned i;

	assert_true(z->has_blocks);
	for (i = 0; i < n; i++)
		assert_int_equal(z->blocks[i], want[i]);
}

/* Free pages of one migratetype of a zone: Σ free[mt][o] << o. */
static uint64_t mt_pages(const struct pagetypeinfo *pt, const struct pagetype_zone *z, unsigned mt)
{
	uint64_t sum = 0;
	unsigned o;

	for (o = 0; o < pt->nr_orders && o < FS_MAX_ORDERS; o++)
		sum += z->free[mt][o] << o;
	return sum;
}

static uint64_t zone_pages(const struct pagetypeinfo *pt, const struct pagetype_zone *z)
{
	uint64_t sum = 0;
	unsigned mt;

	for (mt = 0; mt < pt->nr_mt && mt < FS_MAX_MT; mt++)
		sum += mt_pages(pt, z, mt);
	return sum;
}

/* Linux 6.18 x86_64, no CMA. */
static void test_this_machine(void **state)
{
	static const char *const names[] = { "Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate" };
	static const uint64_t n_unmov[] = { 0, 0, 1, 120, 81, 28, 15, 8, 3, 0, 0 };
	static const uint64_t n_mov[] = { 1, 0, 0, 1, 1, 0, 0, 27, 38, 28, 59 };
	static const uint64_t n_recl[] = { 1, 0, 1, 1, 12, 17, 5, 2, 2, 1, 0 };
	static const uint64_t dma32_mov[] = { 1, 1, 4, 2, 5, 4, 3, 3, 4, 2, 752 };
	static const uint64_t zero[11] = { 0 };
	static const uint64_t b_dma[] = { 1, 7, 0, 0, 0 };
	static const uint64_t b_dma32[] = { 0, 1528, 0, 0, 0 };
	static const uint64_t b_normal[] = { 42, 265, 13, 0, 0 };
	struct pagetypeinfo pt;
	const struct pagetype_zone *z;

	(void)state;
	parse_fixture("this-machine/pagetypeinfo", &pt);
	assert_int_equal(pt.pageblock_order, 9);
	assert_int_equal(pt.pages_per_block, 512);
	assert_int_equal(pt.nr_orders, 11);
	check_names(&pt, names, 5);
	assert_int_equal(pagetypeinfo_mt_index(&pt, "CMA"), -1);
	assert_int_equal(pagetypeinfo_mt_index(&pt, "movable"), -1);
	assert_int_equal(pt.n, 3);
	assert_string_equal(pt.z[0].zone, "DMA");
	assert_string_equal(pt.z[1].zone, "DMA32");
	assert_string_equal(pt.z[2].zone, "Normal");

	z = pagetypeinfo_find(&pt, 0, "Normal");
	assert_ptr_equal(z, &pt.z[2]);
	assert_int_equal(z->node, 0);
	assert_true(z->has_free);
	check_row(z, 0, n_unmov, 11);
	check_row(z, 1, n_mov, 11);
	check_row(z, 2, n_recl, 11);
	check_row(z, 3, zero, 11);
	check_row(z, 4, zero, 11);
	check_blocks(z, b_normal, 5);
	assert_false(z->has_mixed);
	/* 4+960+1296+896+960+1024+768 */
	assert_int_equal(mt_pages(&pt, z, 0), 5908);
	/* 1+8+16+3456+9728+14336+60416 */
	assert_int_equal(mt_pages(&pt, z, 1), 87961);
	/* 1+4+8+192+544+320+256+512+512 */
	assert_int_equal(mt_pages(&pt, z, 2), 2349);
	/* buddyinfo says 96272: it was read at another instant, so no equality */
	assert_int_equal(zone_pages(&pt, z), 96218);

	check_row(&pt.z[1], 1, dma32_mov, 11);
	check_blocks(&pt.z[0], b_dma, 5);
	check_blocks(&pt.z[1], b_dma32, 5);
	/* DMA: 256 (Unmovable o8) + 512 + 3*1024 (Movable) */
	assert_int_equal(zone_pages(&pt, &pt.z[0]), 3840);
	assert_null(pagetypeinfo_find(&pt, 1, "Normal"));
	assert_null(pagetypeinfo_find(&pt, 0, "Movable"));

	pagetypeinfo_free(&pt);
	assert_null(pt.z);
	assert_int_equal(pt.n, 0);
	pagetypeinfo_free(&pt);
	pagetypeinfo_free(NULL);
}

/* Two nodes: every header repeated per node; 2.6.3x types with Reserve and CMA. */
static void test_numa(void **state)
{
	static const char *const names[] = { "Unmovable", "Reclaimable", "Movable", "Reserve", "CMA", "Isolate" };
	static const uint64_t n1_unmov[] = { 431, 886, 326, 83, 24, 1, 0, 0, 0, 0, 0 };
	static const uint64_t n1_recl[] = { 33365, 27814, 4087, 439, 23, 1, 0, 0, 0, 0, 0 };
	static const uint64_t n0_recl[] = { 75541, 50530, 7304, 309, 5, 0, 0, 0, 0, 0, 0 };
	static const uint64_t b_n0[] = { 549, 1805, 4814, 0, 0, 0 };
	static const uint64_t b_n1[] = { 548, 1558, 6086, 0, 0, 0 };
	static const uint64_t b_dma[] = { 3, 0, 5, 0, 0, 0 };
	struct pagetypeinfo pt;
	const struct pagetype_zone *z;

	(void)state;
	parse_fixture("notes-numa-pagetypeinfo/pagetypeinfo", &pt);
	assert_int_equal(pt.pageblock_order, 9);
	assert_int_equal(pt.pages_per_block, 512);
	assert_int_equal(pt.nr_orders, 11);
	check_names(&pt, names, 6);
	assert_int_equal(pt.n, 4);
	assert_int_equal(pt.z[3].node, 1);
	assert_string_equal(pt.z[3].zone, "Normal");

	z = pagetypeinfo_find(&pt, 1, "Normal");
	assert_ptr_equal(z, &pt.z[3]);
	check_row(z, 0, n1_unmov, 11);
	check_row(z, 1, n1_recl, 11);
	check_blocks(z, b_n1, 6);
	/* 431+1772+1304+664+384+32 */
	assert_int_equal(mt_pages(&pt, z, 0), 4587);

	z = pagetypeinfo_find(&pt, 0, "Normal");
	assert_ptr_equal(z, &pt.z[2]);
	check_row(z, 1, n0_recl, 11);
	check_blocks(z, b_n0, 6);
	check_blocks(pagetypeinfo_find(&pt, 0, "DMA"), b_dma, 6);
	assert_int_equal(pagetypeinfo_find(&pt, 0, "DMA32")->free[0][1], 5339);
	pagetypeinfo_free(&pt);
}

/* ARM 4.x with CMA counts and CMA pageblocks; pageblock order 10. */
static void test_aepkolol_cma(void **state)
{
	static const char *const names[] = { "Unmovable", "Movable", "Reclaimable", "HighAtomic", "CMA", "Isolate" };
	static const uint64_t cma[] = { 0, 0, 1, 1, 1, 1, 0, 1, 1, 1, 3 };
	static const uint64_t mov[] = { 55, 9, 2, 3, 1, 1, 0, 0, 0, 0, 29 };
	static const uint64_t blocks[] = { 3, 55, 2, 0, 4, 0 };
	struct pagetypeinfo pt;

	(void)state;
	parse_fixture("aepkolol-innofirmware/pagetypeinfo", &pt);
	assert_int_equal(pt.pageblock_order, 10);
	assert_int_equal(pt.pages_per_block, 1024);
	check_names(&pt, names, 6);
	assert_int_equal(pt.n, 1);
	assert_string_equal(pt.z[0].zone, "Normal");
	check_row(&pt.z[0], 4, cma, 11);
	check_row(&pt.z[0], 1, mov, 11);
	check_blocks(&pt.z[0], blocks, 6);
	/* 4+8+16+32+128+256+512+3072 */
	assert_int_equal(mt_pages(&pt, &pt.z[0], 4), 4028);
	pagetypeinfo_free(&pt);
}

/* 3.4 ARM, trailing blanks stripped, Reserve and CMA non-zero. */
static void test_novelinux_aries(void **state)
{
	static const char *const names[] = { "Unmovable", "Reclaimable", "Movable", "Reserve", "CMA", "Isolate" };
	static const uint64_t n_cma[] = { 899, 951, 266, 67, 18, 1, 1, 0, 0, 0, 0 };
	static const uint64_t h_res[] = { 45, 22, 10, 3, 0, 0, 0, 0, 0, 0, 0 };
	static const uint64_t b_normal[] = { 44, 10, 99, 1, 26, 0 };
	static const uint64_t b_high[] = { 7, 0, 311, 1, 0, 0 };
	struct pagetypeinfo pt;

	(void)state;
	parse_fixture("novelinux-aries/pagetypeinfo", &pt);
	assert_int_equal(pt.pageblock_order, 10);
	assert_int_equal(pt.pages_per_block, 1024);
	assert_int_equal(pt.nr_orders, 11);
	check_names(&pt, names, 6);
	assert_int_equal(pt.n, 2);
	assert_string_equal(pt.z[0].zone, "Normal");
	assert_string_equal(pt.z[1].zone, "HighMem");
	check_row(&pt.z[0], 4, n_cma, 11);
	check_row(&pt.z[1], 3, h_res, 11);
	check_blocks(&pt.z[0], b_normal, 6);
	check_blocks(&pt.z[1], b_high, 6);
	/* 45+44+40+24 */
	assert_int_equal(mt_pages(&pt, &pt.z[1], 3), 153);
	pagetypeinfo_free(&pt);
}

/* 3.2 x86_64: Unmovable/Reclaimable/Movable/Reserve/Isolate. */
static void test_twaite_32(void **state)
{
	static const char *const names[] = { "Unmovable", "Reclaimable", "Movable", "Reserve", "Isolate" };
	static const uint64_t n_mov[] = { 5862, 19732, 10114, 4424, 1648, 829, 279, 138, 67, 35, 276 };
	static const uint64_t b_normal[] = { 280, 108, 2026, 2, 0 };
	struct pagetypeinfo pt;
	const struct pagetype_zone *z;

	(void)state;
	parse_fixture("twaite-442proj2/pagetypeinfo", &pt);
	check_names(&pt, names, 5);
	assert_int_equal(pt.n, 3);
	z = pagetypeinfo_find(&pt, 0, "Normal");
	assert_non_null(z);
	check_row(z, 2, n_mov, 11);
	check_blocks(z, b_normal, 5);
	assert_int_equal(z->free[3][10], 1);
	/* Reserve: one order-9 block in DMA, one order-10 block in DMA32 */
	assert_int_equal(mt_pages(&pt, pagetypeinfo_find(&pt, 0, "DMA"), 3), 512);
	assert_int_equal(mt_pages(&pt, pagetypeinfo_find(&pt, 0, "DMA32"), 3), 1024);
	pagetypeinfo_free(&pt);
}

/* Non-zero HighAtomic free lists and one HighAtomic pageblock. */
static void test_heavybrain_highatomic(void **state)
{
	static const uint64_t ha[] = { 34, 31, 24, 10, 3, 3, 0, 0, 0, 0, 0 };
	static const uint64_t b_dma32[] = { 29, 464, 10, 1, 0, 0 };
	struct pagetypeinfo pt;
	const struct pagetype_zone *z;
	int hai;

	(void)state;
	parse_fixture("heavybrain101-youtube/pagetypeinfo", &pt);
	assert_int_equal(pt.nr_mt, 6);
	hai = pagetypeinfo_mt_index(&pt, "HighAtomic");
	assert_int_equal(hai, 3);
	z = pagetypeinfo_find(&pt, 0, "DMA32");
	assert_non_null(z);
	check_row(z, (unsigned)hai, ha, 11);
	check_blocks(z, b_dma32, 6);
	/* 34+62+96+80+48+96 */
	assert_int_equal(mt_pages(&pt, z, (unsigned)hai), 416);
	pagetypeinfo_free(&pt);
}

/* 3.4 ARM with HighMem and Reserve, pageblock order 10. */
static void test_goclever(void **state)
{
	static const char *const names[] = { "Unmovable", "Reclaimable", "Movable", "Reserve", "Isolate" };
	static const uint64_t b_high[] = { 25, 0, 102, 1, 0 };
	struct pagetypeinfo pt;

	(void)state;
	parse_fixture("GoCleverInsignia5-i5_info/pagetypeinfo", &pt);
	assert_int_equal(pt.pageblock_order, 10);
	check_names(&pt, names, 5);
	assert_int_equal(pt.n, 2);
	assert_string_equal(pt.z[1].zone, "HighMem");
	assert_int_equal(pt.z[1].free[2][0], 1774);
	check_blocks(&pt.z[1], b_high, 5);
	pagetypeinfo_free(&pt);
}

/*
 * 5.14 with CMA.  buddyinfo and pagetypeinfo of this capture were read at
 * the same moment: per order, the sum over migratetypes equals buddyinfo.
 */
static void test_khandevops_matches_buddyinfo(void **state)
{
	static const char *const names[] = { "Unmovable", "Movable", "Reclaimable", "HighAtomic", "CMA", "Isolate" };
	struct pagetypeinfo pt;
	struct buddyinfo bi;
	struct parse_error perr = { 0 };
	size_t len, i;
	char *buf;
	unsigned o, mt;

	(void)state;
	parse_fixture("Khandevops1-linux/pagetypeinfo", &pt);
	check_names(&pt, names, 6);
	assert_int_equal(pt.n, 2);
	buf = read_fixture("Khandevops1-linux/buddyinfo", &len);
	assert_int_equal(buddyinfo_parse(buf, len, "buddyinfo", &bi, &perr), 0);
	free(buf);
	assert_int_equal(bi.n, pt.n);
	assert_int_equal(bi.nr_orders, pt.nr_orders);
	for (i = 0; i < bi.n; i++) {
		const struct pagetype_zone *z = pagetypeinfo_find(&pt, bi.z[i].node, bi.z[i].zone);

		assert_non_null(z);
		for (o = 0; o < pt.nr_orders; o++) {
			uint64_t sum = 0;

			for (mt = 0; mt < pt.nr_mt; mt++)
				sum += z->free[mt][o];
			assert_int_equal(sum, bi.z[i].free[o]);
		}
		assert_int_equal(zone_pages(&pt, z), buddy_zone_free_pages(&bi.z[i], bi.nr_orders));
	}
	/* by hand: DMA32 5372+2*2099+4*821+8*419+16*112+32*156+64*78+128*52+256*38+512*21+1024*4 */
	assert_int_equal(zone_pages(&pt, pagetypeinfo_find(&pt, 0, "DMA32")), 59214);
	pagetypeinfo_free(&pt);
	buddyinfo_free(&bi);
}

/*
 * No fixture has a capped count, so take this machine's real file and
 * replace the order-0 Movable count of Normal ("     1") by ">100000", the
 * way the kernel prints it ("%s%6lu " with ">").
 */
static void test_capped(void **state)
{
	struct pagetypeinfo pt;
	size_t len;
	char *buf = read_fixture("this-machine/pagetypeinfo", &len);
	char *text;
	unsigned mt, o;

	(void)state;
	text = replace(buf, "zone   Normal, type      Movable      1 ",
		       "zone   Normal, type      Movable >100000 ");
	free(buf);
	parse_text_ok(text, strlen(text), "capped", &pt);
	assert_int_equal(pt.z[2].free[1][0], 100000);
	assert_true(pt.z[2].capped[1][0]);
	for (mt = 0; mt < pt.nr_mt; mt++)
		for (o = 0; o < pt.nr_orders; o++)
			if (mt != 1 || o != 0)
				assert_false(pt.z[2].capped[mt][o]);
	assert_int_equal(pt.z[2].free[1][10], 59);
	pagetypeinfo_free(&pt);
	free(text);

	/* ">" alone, or in a block table, is not a count */
	expect_fail_str("Page block order: 9\nPages per block:  512\n\n"
			"Free pages count per migrate type at order 0 1\n"
			"Node 0, zone DMA, type Movable > 1\n", -EINVAL, 5);
	expect_fail_str("Page block order: 9\nPages per block:  512\n\n"
			"Free pages count per migrate type at order 0 1\n"
			"Node 0, zone DMA, type Movable >100000 >7\n\n"
			"Number of blocks type Movable\n"
			"Node 0, zone DMA >1\n", -EINVAL, 8);
}

/*
 * Block table listing types in another order than the free rows, a block
 * row for a zone without free rows, and a "Number of mixed blocks" table
 * (page_owner; no fixture has one, so it is written in the kernel's format).
 */
static void test_tables_by_name(void **state)
{
	static const char text[] =
		"Page block order: 9\n"
		"Pages per block:  512\n"
		"\n"
		"Free pages count per migrate type at order       0      1      2 \n"
		"Node    0, zone      DMA, type    Unmovable      1      2      3 \n"
		"Node    0, zone      DMA, type      Movable      4      5      6 \n"
		"\n"
		"Number of blocks type          Movable    Unmovable \n"
		"Node 0, zone      DMA            7            1 \n"
		"Node 0, zone   Normal            9            8 \n"
		"\n"
		"Number of mixed blocks       Movable    Unmovable \n"
		"Node 0, zone      DMA            2            3 \n";
	struct pagetypeinfo pt;

	(void)state;
	parse_text_ok(text, strlen(text), "t", &pt);
	assert_int_equal(pt.nr_orders, 3);
	assert_int_equal(pt.nr_mt, 2);
	assert_int_equal(pt.n, 2);
	assert_int_equal(pt.z[0].free[1][2], 6);
	assert_int_equal(pt.z[0].blocks[0], 1);
	assert_int_equal(pt.z[0].blocks[1], 7);
	assert_true(pt.z[0].has_mixed);
	assert_int_equal(pt.z[0].mixed[0], 3);
	assert_int_equal(pt.z[0].mixed[1], 2);
	assert_string_equal(pt.z[1].zone, "Normal");
	assert_false(pt.z[1].has_free);
	assert_true(pt.z[1].has_blocks);
	assert_false(pt.z[1].has_mixed);
	assert_int_equal(pt.z[1].blocks[0], 8);
	assert_int_equal(pt.z[1].blocks[1], 9);
	pagetypeinfo_free(&pt);

	/* the same, appended to a real file */
	{
		size_t len;
		char *buf = read_fixture("this-machine/pagetypeinfo", &len);
		char *more = replace(buf, "Node 0, zone   Normal           42          265           13            0            0 \n",
				     "Node 0, zone   Normal           42          265           13            0            0 \n"
				     "\n"
				     "Number of mixed blocks    Unmovable      Movable  Reclaimable   HighAtomic      Isolate \n"
				     "Node 0, zone      DMA            0            1            0            0            0 \n"
				     "Node 0, zone    DMA32            0            2            0            0            0 \n"
				     "Node 0, zone   Normal            5           17            3            0            0 \n");

		free(buf);
		parse_text_ok(more, strlen(more), "mixed", &pt);
		assert_true(pt.z[2].has_mixed);
		assert_int_equal(pt.z[2].mixed[1], 17);
		assert_int_equal(pt.z[2].blocks[1], 265);
		pagetypeinfo_free(&pt);
		free(more);
	}
}

/* More migratetypes than FS_MAX_MT fails; exactly FS_MAX_MT is fine. */
static void test_too_many_types(void **state)
{
	char text[4096];
	struct pagetypeinfo pt;
	size_t n;
	int i;

	(void)state;
	n = (size_t)snprintf(text, sizeof(text),
			     "Page block order: 1\nPages per block:  2\n\n"
			     "Free pages count per migrate type at order 0 1\n");
	for (i = 0; i < FS_MAX_MT; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "Node 0, zone DMA, type T%d %d 0\n", i, i);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "\nNumber of blocks type T0 T15\n"
			      "Node 0, zone DMA 1 2\n");
	parse_text_ok(text, n, "t", &pt);
	assert_int_equal(pt.nr_mt, FS_MAX_MT);
	assert_int_equal(pt.z[0].free[15][0], 15);
	assert_int_equal(pt.z[0].blocks[15], 2);
	assert_int_equal(pt.z[0].blocks[0], 1);
	pagetypeinfo_free(&pt);

	n = (size_t)snprintf(text, sizeof(text),
			     "Page block order: 1\nPages per block:  2\n\n"
			     "Free pages count per migrate type at order 0 1\n");
	for (i = 0; i <= FS_MAX_MT; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "Node 0, zone DMA, type T%d %d 0\n", i, i);
	expect_fail(text, n, -EINVAL, 5 + FS_MAX_MT);
}

/* A small but complete file, used to make broken variants. */
static const char small[] =
	"Page block order: 9\n"                                            /* 1 */
	"Pages per block:  512\n"                                          /* 2 */
	"\n"                                                               /* 3 */
	"Free pages count per migrate type at order 0 1 2\n"               /* 4 */
	"Node 0, zone DMA, type Unmovable 1 2 3\n"                         /* 5 */
	"Node 0, zone DMA, type Movable 4 5 6\n"                           /* 6 */
	"Node 0, zone Normal, type Unmovable 7 8 9\n"                      /* 7 */
	"Node 0, zone Normal, type Movable 10 11 12\n"                     /* 8 */
	"\n"                                                               /* 9 */
	"Number of blocks type Unmovable Movable\n"                        /* 10 */
	"Node 0, zone DMA 1 2\n"                                           /* 11 */
	"Node 0, zone Normal 3 4\n";                                       /* 12 */

static void expect_variant_fails(const char *from, const char *to, int code, unsigned line)
{
	char *text = replace(small, from, to);

	expect_fail_str(text, code, line);
	free(text);
}

static void test_small_ok(void **state)
{
	struct pagetypeinfo pt;

	(void)state;
	parse_text_ok(small, strlen(small), "small", &pt);
	assert_int_equal(pt.n, 2);
	assert_int_equal(pt.z[1].free[1][2], 12);
	assert_int_equal(pt.z[1].blocks[1], 4);
	pagetypeinfo_free(&pt);
}

static void test_bad_binary(void **state)
{
	static const char junk[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0\n\xff\xfe";

	(void)state;
	expect_fail(junk, sizeof(junk) - 1, -EINVAL, 1);
}

static void test_bad_rows(void **state)
{
	(void)state;
	/* truncated row: fewer counts than orders */
	expect_variant_fails("Movable 4 5 6", "Movable 4 5", -EINVAL, 6);
	/* too many counts */
	expect_variant_fails("Movable 4 5 6", "Movable 4 5 6 7", -EINVAL, 6);
	/* bad node */
	expect_variant_fails("Node 0, zone Normal, type Unmovable 7 8 9",
			     "Node x, zone", -EINVAL, 7);
	expect_variant_fails("Node 0, zone Normal 3 4", "Node x, zone", -EINVAL, 12);
	/* overflow, with its line */
	expect_variant_fails("Normal, type Movable 10 11 12",
			     "Normal, type Movable 10 18446744073709551616 12", -ERANGE, 8);
	expect_variant_fails("Node 0, zone Normal 3 4",
			     "Node 0, zone Normal 3 99999999999999999999", -ERANGE, 12);
	/* not a number */
	expect_variant_fails("Movable 4 5 6", "Movable 4 five 6", -EINVAL, 6);
	/* missing ", type" */
	expect_variant_fails("Node 0, zone DMA, type Movable 4 5 6",
			     "Node 0, zone DMA Movable 4 5 6", -EINVAL, 6);
	/* a free-list row inside the block table */
	expect_variant_fails("Node 0, zone Normal 3 4",
			     "Node 0, zone Normal, type Movable 3 4", -EINVAL, 12);
	/* a block row among the free-list rows */
	expect_variant_fails("Node 0, zone DMA, type Movable 4 5 6",
			     "Node 0, zone DMA 4 5", -EINVAL, 6);
	/* truncated block row */
	expect_variant_fails("Node 0, zone DMA 1 2", "Node 0, zone DMA 1", -EINVAL, 11);
	/* an unknown line */
	expect_variant_fails("\n\nNumber", "\nHello world\nNumber", -EINVAL, 9);
	/* the same zone's rows twice */
	expect_variant_fails("Node 0, zone Normal 3 4", "Node 0, zone DMA 3 4", -EINVAL, 12);
}

static void test_bad_types(void **state)
{
	(void)state;
	/* the second zone lists the types in another order */
	expect_variant_fails("Normal, type Unmovable 7 8 9\nNode 0, zone Normal, type Movable",
			     "Normal, type Movable 7 8 9\nNode 0, zone Normal, type Unmovable", -EINVAL, 7);
	/* the second zone lacks a type (noticed at the block header) */
	expect_variant_fails("Node 0, zone Normal, type Movable 10 11 12\n", "", -EINVAL, 9);
	/* the second zone has an extra type */
	expect_variant_fails("Movable 10 11 12\n", "Movable 10 11 12\nNode 0, zone Normal, type CMA 0 0 0\n",
			     -EINVAL, 9);
	/* the first zone lists a type twice */
	expect_variant_fails("DMA, type Movable", "DMA, type Unmovable", -EINVAL, 6);
	/* block table names a type the free rows do not have */
	expect_variant_fails("type Unmovable Movable", "type Unmovable CMA", -EINVAL, 10);
	/* ... or one twice */
	expect_variant_fails("type Unmovable Movable", "type Movable Movable", -EINVAL, 10);
	/* ... or none */
	expect_variant_fails("type Unmovable Movable", "type", -EINVAL, 10);
	/* names too long for the model */
	expect_variant_fails("DMA, type Movable", "DMA, type Movable0123456789012345678901234", -EINVAL, 6);
	expect_variant_fails("Node 0, zone DMA 1 2", "Node 0, zone DMA01234567890123456789012345678 1 2",
			     -EINVAL, 11);
}

static void test_bad_headers(void **state)
{
	(void)state;
	/* orders out of sequence, none, or a non-number */
	expect_variant_fails("order 0 1 2", "order 0 2 1", -EINVAL, 4);
	expect_variant_fails("order 0 1 2", "order", -EINVAL, 4);
	expect_variant_fails("order 0 1 2", "order 0 1 two", -EINVAL, 4);
	expect_variant_fails("migrate type at", "migratetype at", -EINVAL, 4);
	/* pages per block that disagrees with the order */
	expect_variant_fails("block:  512", "block:  1024", -EINVAL, 2);
	expect_variant_fails("order: 9", "order: 64", -ERANGE, 1);
	expect_variant_fails("order: 9", "order: nine", -EINVAL, 1);
	expect_variant_fails("order: 9", "order: 9 x", -EINVAL, 1);
	/* headers missing or out of place */
	expect_variant_fails("Pages per block:  512\n", "", -EINVAL, 3);
	expect_variant_fails("Page block order: 9\n", "", -EINVAL, 1);
	expect_variant_fails("\nNumber of blocks", "\nPage block order: 9\nNumber of blocks", -EINVAL, 10);
	expect_variant_fails("Number of blocks type", "Number of blocks", -EINVAL, 10);
	expect_fail_str("Free pages count per migrate type at order 0 1 2\n", -EINVAL, 1);
}

/*
 * The second node of the NUMA capture says another pageblock order (or
 * another number of orders): the file contradicts itself.
 */
static void test_numa_header_mismatch(void **state)
{
	size_t len;
	char *buf = read_fixture("notes-numa-pagetypeinfo/pagetypeinfo", &len);
	const char *second = strstr(strstr(buf, "Page block order") + 1, "Page block order");
	char *text, *text2;
	struct parse_error perr = { 0 };
	struct pagetypeinfo pt;

	(void)state;
	assert_non_null(second);
	text = replace(second, "Page block order: 9\nPages per block:  512",
		       "Page block order: 10\nPages per block:  1024");
	text2 = malloc((size_t)(second - buf) + strlen(text) + 1);
	assert_non_null(text2);
	memcpy(text2, buf, (size_t)(second - buf));
	strcpy(text2 + (second - buf), text);
	expect_fail_str(text2, -EINVAL, 28);
	assert_int_equal(pagetypeinfo_parse(text2, strlen(text2), "t", &pt, &perr), -EINVAL);
	assert_string_equal(perr.what, "page block order 10 differs from 9 given earlier");
	free(text);
	free(text2);

	/* the second node's free header with 10 orders */
	text = replace(second, "      9     10 \n", "      9 \n");
	text2 = malloc((size_t)(second - buf) + strlen(text) + 1);
	assert_non_null(text2);
	memcpy(text2, buf, (size_t)(second - buf));
	strcpy(text2 + (second - buf), text);
	expect_fail_str(text2, -EINVAL, 31);
	free(text);
	free(text2);
	free(buf);
}

/* Real file cut off at various points. */
static void test_cut_off(void **state)
{
	size_t len;
	char *buf = read_fixture("this-machine/pagetypeinfo", &len);
	const char *row = strstr(buf, "Node    0, zone   Normal, type      Movable");
	const char *blk = strstr(buf, "Number of blocks type");
	const char *last = strstr(buf, "Node 0, zone   Normal ");

	(void)state;
	assert_non_null(row);
	assert_non_null(blk);
	assert_non_null(last);
	/* in the middle of a free-list row (line 16) */
	expect_fail(buf, (size_t)(row - buf) + 60, -EINVAL, 16);
	/* after the whole free-list section, before the block table */
	expect_fail(buf, (size_t)(blk - buf), -EINVAL, 20);
	/* in the block table header: "Reclaimable" cut to "Rec" */
	expect_fail(buf, (size_t)(blk - buf) + 53, -EINVAL, 21);
	/* in the middle of the last block row */
	expect_fail(buf, (size_t)(last - buf) + 40, -EINVAL, 24);
	/* exactly before the last block row: Normal has no block counts */
	expect_fail(buf, (size_t)(last - buf), -EINVAL, 23);
	/* the two header lines only */
	expect_fail(buf, 42, -EINVAL, 2);
	/* the same file whole parses, with and without its final newline */
	{
		struct pagetypeinfo pt;

		parse_text_ok(buf, len - 1, "t", &pt);
		assert_int_equal(pt.z[2].blocks[2], 13);
		pagetypeinfo_free(&pt);
	}
	free(buf);
}

static void test_empty(void **state)
{
	struct parse_error perr = { 0 };
	struct pagetypeinfo pt;

	(void)state;
	expect_fail("", 0, -EINVAL, 0);
	expect_fail(NULL, 0, -EINVAL, 0);
	expect_fail_str("\n \n\t\n", -EINVAL, 0);
	assert_int_equal(pagetypeinfo_parse("\n", 1, "t", &pt, &perr), -EINVAL);
	assert_string_equal(perr.what, "no zones");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_this_machine),
		cmocka_unit_test(test_numa),
		cmocka_unit_test(test_aepkolol_cma),
		cmocka_unit_test(test_novelinux_aries),
		cmocka_unit_test(test_twaite_32),
		cmocka_unit_test(test_heavybrain_highatomic),
		cmocka_unit_test(test_goclever),
		cmocka_unit_test(test_khandevops_matches_buddyinfo),
		cmocka_unit_test(test_capped),
		cmocka_unit_test(test_tables_by_name),
		cmocka_unit_test(test_too_many_types),
		cmocka_unit_test(test_small_ok),
		cmocka_unit_test(test_bad_binary),
		cmocka_unit_test(test_bad_rows),
		cmocka_unit_test(test_bad_types),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_numa_header_mismatch),
		cmocka_unit_test(test_cut_off),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
