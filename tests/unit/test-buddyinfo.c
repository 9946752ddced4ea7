/*
 * test-buddyinfo.c - buddyinfo_parse() and the buddyinfo model helpers over
 * real captures (tests/fixtures/kernel, see PROVENANCE.md there) and over
 * broken input.  Every expected number below was read off the fixture by
 * hand; free-page totals are Σ count << order worked out by hand.
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

/* Parse a fixture that must parse. */
static void parse_fixture(const char *rel, struct buddyinfo *bi)
{
	struct parse_error perr = { 0 };
	size_t len;
	char *buf = read_fixture(rel, &len);
	int r;

	r = buddyinfo_parse(buf, len, rel, bi, &perr);
	if (r < 0)
		fail_msg("%s:%u: %s", rel, perr.line, perr.what);
	free(buf);
}

static void check_zone(const struct buddy_zone *z, int node, const char *zone,
		       const uint64_t *want, unsigned n)
{
	unsigned o;

	assert_int_equal(z->node, node);
	assert_string_equal(z->zone, zone);
	for (o = 0; o < n; o++)
		assert_int_equal(z->free[o], want[o]);
}

/* Parsing text must fail with code at line, leaving *ret untouched. */
static void expect_fail(const char *text, size_t len, int code, unsigned line)
{
	struct buddyinfo bi, sentinel;
	struct parse_error perr;
	int r;

	memset(&perr, 0, sizeof(perr));
	memset(&bi, 0x5a, sizeof(bi));
	memcpy(&sentinel, &bi, sizeof(bi));
	r = buddyinfo_parse(text, len, "t/buddyinfo", &bi, &perr);
	assert_int_equal(r, code);
	assert_int_equal(perr.line, line);
	assert_non_null(perr.file);
	assert_string_equal(perr.file, "t/buddyinfo");
	assert_true(perr.what[0] != '\0');
	assert_memory_equal(&bi, &sentinel, sizeof(bi));
	/* perr is optional */
	assert_int_equal(buddyinfo_parse(text, len, "t/buddyinfo", &bi, NULL), code);
	assert_memory_equal(&bi, &sentinel, sizeof(bi));
}

static void expect_fail_str(const char *text, int code, unsigned line)
{
	expect_fail(text, strlen(text), code, line);
}

/* Linux 6.18 x86_64: DMA/DMA32/Normal, 11 orders, trailing blanks. */
static void test_this_machine(void **state)
{
	static const uint64_t dma[] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 3 };
	static const uint64_t dma32[] = { 1, 1, 4, 2, 5, 4, 3, 3, 4, 2, 752 };
	static const uint64_t normal[] = { 2, 1, 3, 122, 93, 45, 21, 37, 43, 29, 59 };
	struct buddyinfo bi;

	(void)state;
	parse_fixture("this-machine/buddyinfo", &bi);
	assert_int_equal(bi.n, 3);
	assert_int_equal(bi.nr_orders, 11);
	check_zone(&bi.z[0], 0, "DMA", dma, 11);
	check_zone(&bi.z[1], 0, "DMA32", dma32, 11);
	check_zone(&bi.z[2], 0, "Normal", normal, 11);
	/* 256 + 512 + 3*1024 */
	assert_int_equal(buddy_zone_free_pages(&bi.z[0], bi.nr_orders), 3840);
	/* 1+2+16+16+80+128+192+384+1024+1024+752*1024 */
	assert_int_equal(buddy_zone_free_pages(&bi.z[1], bi.nr_orders), 772915);
	/* 2+2+12+976+1488+1440+1344+4736+11008+14848+60416 */
	assert_int_equal(buddy_zone_free_pages(&bi.z[2], bi.nr_orders), 96272);
	assert_ptr_equal(buddyinfo_find(&bi, 0, "DMA32"), &bi.z[1]);
	assert_ptr_equal(buddyinfo_find(&bi, 0, "Normal"), &bi.z[2]);
	assert_null(buddyinfo_find(&bi, 0, "Movable"));
	assert_null(buddyinfo_find(&bi, 1, "DMA"));
	assert_null(buddyinfo_find(&bi, 0, "dma"));
	buddyinfo_free(&bi);
	assert_null(bi.z);
	assert_int_equal(bi.n, 0);
	buddyinfo_free(&bi); /* twice is harmless */
	buddyinfo_free(NULL);
}

/* arm64 with 64 KiB pages: 14 orders, 4 nodes, last line without trailing blank. */
static void test_hisilicon_d05(void **state)
{
	static const uint64_t dma[] = { 22, 9, 15, 13, 11, 9, 6, 6, 4, 5, 5, 2, 0, 0 };
	static const uint64_t n0[] = { 5, 9, 16, 5, 3, 2, 1, 2, 2, 1, 2, 2, 1, 250 };
	static const uint64_t n3[] = { 74, 95, 117, 66, 43, 29, 20, 16, 7, 11, 6, 6, 1, 237 };
	struct buddyinfo bi;

	(void)state;
	parse_fixture("notes-hisilicon-arm64-64k/buddyinfo.d05", &bi);
	assert_int_equal(bi.n, 5);
	assert_int_equal(bi.nr_orders, 14);
	check_zone(&bi.z[0], 0, "DMA", dma, 14);
	check_zone(&bi.z[1], 0, "Normal", n0, 14);
	assert_int_equal(bi.z[2].node, 1);
	assert_string_equal(bi.z[2].zone, "Normal");
	assert_int_equal(bi.z[2].free[13], 252);
	assert_int_equal(bi.z[3].node, 2);
	assert_int_equal(bi.z[3].free[1], 86);
	assert_int_equal(bi.z[3].free[13], 253);
	check_zone(&bi.z[4], 3, "Normal", n3, 14);
	/* 22+18+60+104+176+288+384+768+1024+2560+5120+4096 */
	assert_int_equal(buddy_zone_free_pages(&bi.z[0], bi.nr_orders), 14620);
	assert_ptr_equal(buddyinfo_find(&bi, 3, "Normal"), &bi.z[4]);
	assert_null(buddyinfo_find(&bi, 3, "DMA"));
	buddyinfo_free(&bi);
}

/* 2006 i386 (2.6): DMA/Normal/HighMem; the total equals MemFree 218552 kB. */
static void test_lkml_2006_i386(void **state)
{
	static const uint64_t dma[] = { 634, 365, 106, 6, 0, 0, 0, 0, 0, 0, 0 };
	static const uint64_t normal[] = { 42, 18994, 3271, 131, 0, 0, 0, 1, 1, 0, 0 };
	static const uint64_t high[] = { 0, 0, 0, 0, 2, 1, 1, 1, 0, 0, 0 };
	struct buddyinfo bi;
	uint64_t total = 0;
	size_t i;

	(void)state;
	parse_fixture("lkml-2006-rstuart-i386/buddyinfo", &bi);
	assert_int_equal(bi.n, 3);
	assert_int_equal(bi.nr_orders, 11);
	check_zone(&bi.z[0], 0, "DMA", dma, 11);
	check_zone(&bi.z[1], 0, "Normal", normal, 11);
	check_zone(&bi.z[2], 0, "HighMem", high, 11);
	/* 634+730+424+48 */
	assert_int_equal(buddy_zone_free_pages(&bi.z[0], 11), 1836);
	/* 42+37988+13084+1048+128+256 */
	assert_int_equal(buddy_zone_free_pages(&bi.z[1], 11), 52546);
	/* 32+32+64+128 */
	assert_int_equal(buddy_zone_free_pages(&bi.z[2], 11), 256);
	for (i = 0; i < bi.n; i++)
		total += buddy_zone_free_pages(&bi.z[i], bi.nr_orders);
	assert_int_equal(total * 4, 218552);
	buddyinfo_free(&bi);
}

/* 3.4 ARM Android: Normal + HighMem, no DMA. */
static void test_goclever_arm(void **state)
{
	static const uint64_t normal[] = { 183, 73, 28, 10, 5, 7, 4, 3, 2, 0, 35 };
	static const uint64_t high[] = { 614, 883, 402, 207, 76, 25, 6, 4, 1, 1, 6 };
	struct buddyinfo bi;

	(void)state;
	parse_fixture("GoCleverInsignia5-i5_info/buddyinfo", &bi);
	assert_int_equal(bi.n, 2);
	assert_int_equal(bi.nr_orders, 11);
	check_zone(&bi.z[0], 0, "Normal", normal, 11);
	check_zone(&bi.z[1], 0, "HighMem", high, 11);
	/* 614+1766+1608+1656+1216+800+384+512+256+512+6144 */
	assert_int_equal(buddy_zone_free_pages(&bi.z[1], 11), 15468);
	assert_null(buddyinfo_find(&bi, 0, "DMA"));
	buddyinfo_free(&bi);
}

/* 8 NUMA nodes, trailing blanks stripped by the mail client. */
static void test_qiuxishi_8node(void **state)
{
	static const uint64_t dma[] = { 3, 0, 2, 1, 3, 2, 2, 1, 0, 1, 3 };
	static const uint64_t n5[] = { 4330, 9785, 6265, 2612, 1404, 703, 276, 113, 33, 7, 15730 };
	struct buddyinfo bi;
	int node;

	(void)state;
	parse_fixture("lkml-2016-qiuxishi-8node/buddyinfo.nopatch", &bi);
	assert_int_equal(bi.n, 10);
	assert_int_equal(bi.nr_orders, 11);
	check_zone(&bi.z[0], 0, "DMA", dma, 11);
	assert_string_equal(bi.z[1].zone, "DMA32");
	assert_int_equal(bi.z[1].free[10], 447);
	assert_string_equal(bi.z[2].zone, "Normal");
	assert_int_equal(bi.z[2].free[0], 2389);
	assert_int_equal(bi.z[2].free[10], 15147);
	for (node = 1; node <= 7; node++) {
		const struct buddy_zone *z = buddyinfo_find(&bi, node, "Normal");

		assert_non_null(z);
		assert_ptr_equal(z, &bi.z[node + 2]);
		assert_int_equal(z->node, node);
	}
	check_zone(&bi.z[7], 5, "Normal", n5, 11);
	assert_int_equal(bi.z[9].free[10], 15500);
	/* 3+8+8+48+64+128+128+512+3072 */
	assert_int_equal(buddy_zone_free_pages(&bi.z[0], 11), 3971);
	buddyinfo_free(&bi);
}

/* 2.6.16 ARMv4T: one DMA zone. */
static void test_randolph_d2000(void **state)
{
	static const uint64_t dma[] = { 8, 7, 5, 3, 4, 5, 2, 1, 1, 1, 4 };
	struct buddyinfo bi;

	(void)state;
	parse_fixture("RandolphWang1-D2000/buddyinfo", &bi);
	assert_int_equal(bi.n, 1);
	assert_int_equal(bi.nr_orders, 11);
	check_zone(&bi.z[0], 0, "DMA", dma, 11);
	/* 8+14+20+24+64+160+128+128+256+512+4096 */
	assert_int_equal(buddy_zone_free_pages(&bi.z[0], 11), 5410);
	buddyinfo_free(&bi);
}

/* Blank lines, tabs, CRLF, no final newline, wide zone names and counts. */
static void test_layout_tolerance(void **state)
{
	static const char text[] =
		"\n"
		"Node 0, zone DMA 1 2 3\r\n"
		"   \n"
		"Node\t12,\tzone\tVeryLongZoneNameBeyond8 281474976710656 0 0";
	struct buddyinfo bi;
	struct parse_error perr = { 0 };

	(void)state;
	assert_int_equal(buddyinfo_parse(text, strlen(text), "t", &bi, &perr), 0);
	assert_int_equal(bi.n, 2);
	assert_int_equal(bi.nr_orders, 3);
	assert_string_equal(bi.z[1].zone, "VeryLongZoneNameBeyond8");
	assert_int_equal(bi.z[1].node, 12);
	/* The largest count any zone can have (FS_MAX_PAGES) is accepted... */
	assert_int_equal(bi.z[1].free[0], 281474976710656ull);
	assert_int_equal(buddy_zone_free_pages(&bi.z[1], 3), 281474976710656ull);
	/* 1 + 4 + 12 */
	assert_int_equal(buddy_zone_free_pages(&bi.z[0], 3), 17);
	buddyinfo_free(&bi);
}

/* ...and counts that no zone can have are rejected, so pages << order and
 * bytes never overflow later. */
static void test_impossible_counts(void **state)
{
	static const char *const bad[] = {
		"Node 0, zone DMA 18446744073709551615\n",
		"Node 0, zone DMA 281474976710657\n",
		"Node 0, zone DMA 0 140737488355329\n",  /* (2^47 + 1) << 1 > 2^48 */
		"Node 0, zone DMA 281474976710656 1\n",   /* the sum exceeds the bound */
	};
	struct buddyinfo bi;
	struct parse_error perr;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&perr, 0, sizeof(perr));
		assert_int_equal(buddyinfo_parse(bad[i], strlen(bad[i]), "t", &bi, &perr), -ERANGE);
		assert_int_equal(perr.line, 1);
	}
}

/* Limits: 32 orders and 31-character zone names are fine, one more is not. */
static void test_limits(void **state)
{
	char line[512], name[64];
	struct buddyinfo bi;
	size_t n;
	int i;

	(void)state;
	n = (size_t)snprintf(line, sizeof(line), "Node 0, zone Normal");
	for (i = 0; i < FS_MAX_ORDERS; i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, " %d", i);
	assert_int_equal(buddyinfo_parse(line, n, "t", &bi, NULL), 0);
	assert_int_equal(bi.nr_orders, FS_MAX_ORDERS);
	assert_int_equal(bi.z[0].free[FS_MAX_ORDERS - 1], FS_MAX_ORDERS - 1);
	buddyinfo_free(&bi);
	snprintf(line + n, sizeof(line) - n, " 99\n");
	expect_fail_str(line, -EINVAL, 1);

	memset(name, 'z', FS_NAME_LEN - 1);
	name[FS_NAME_LEN - 1] = '\0';
	n = (size_t)snprintf(line, sizeof(line), "Node 0, zone %s 1\n", name);
	assert_int_equal(buddyinfo_parse(line, n, "t", &bi, NULL), 0);
	assert_string_equal(bi.z[0].zone, name);
	buddyinfo_free(&bi);
	snprintf(line, sizeof(line), "Node 0, zone %sz 1\n", name);
	expect_fail_str(line, -EINVAL, 1);
}

static void test_bad_binary(void **state)
{
	static const char junk[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0\n\xff\xfe";

	(void)state;
	expect_fail(junk, sizeof(junk) - 1, -EINVAL, 1);
}

static void test_bad_node(void **state)
{
	(void)state;
	expect_fail_str("Node x, zone DMA 1 2 3\n", -EINVAL, 1);
	expect_fail_str("Node 0, zone DMA 1 2 3\nNode -1, zone DMA 1 2 3\n", -EINVAL, 2);
	expect_fail_str("Node 99999999999, zone DMA 1 2 3\n", -ERANGE, 1);
	expect_fail_str("Node , zone DMA 1 2 3\n", -EINVAL, 1);
	expect_fail_str("Node 0 zone DMA 1 2 3\n", -EINVAL, 1);
	expect_fail_str("Node\n", -EINVAL, 1);
	expect_fail_str("node 0, zone DMA 1 2 3\n", -EINVAL, 1);
	expect_fail_str("Nodes 0, zone DMA 1 2 3\n", -EINVAL, 1);
}

static void test_bad_zone(void **state)
{
	(void)state;
	expect_fail_str("Node x, zone\n", -EINVAL, 1);
	expect_fail_str("Node 0, zone\n", -EINVAL, 1);
	expect_fail_str("Node 0, DMA 1 2 3\n", -EINVAL, 1);
	expect_fail_str("Node 0, zone DMA\n", -EINVAL, 1);
	expect_fail_str("Node 0, zone DMA   \n", -EINVAL, 1);
	/* the same zone twice */
	expect_fail_str("Node 0, zone DMA 1\nNode 0, zone DMA 2\n", -EINVAL, 2);
}

static void test_bad_counts(void **state)
{
	(void)state;
	expect_fail_str("Node 0, zone DMA 1 2 x3\n", -EINVAL, 1);
	expect_fail_str("Node 0, zone DMA 1 -2 3\n", -EINVAL, 1);
	expect_fail_str("Node 0, zone DMA 1 2.5 3\n", -EINVAL, 1);
	expect_fail_str("Node 0, zone DMA 1 2 3\n"
			"Node 0, zone Normal 1 18446744073709551616 3\n", -ERANGE, 2);
}

/* A line with another number of orders names both counts. */
static void test_order_mismatch(void **state)
{
	static const char text[] =
		"Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3 \n"
		"Node 0, zone    DMA32      1      1      4      2      5      4      3      3      4      2 \n";
	struct parse_error perr = { 0 };
	struct buddyinfo bi;

	(void)state;
	expect_fail_str(text, -EINVAL, 2);
	assert_int_equal(buddyinfo_parse(text, strlen(text), "t", &bi, &perr), -EINVAL);
	assert_string_equal(perr.what, "line has 10 orders, earlier lines have 11");
}

/* A real file cut off in the middle of its last row. */
static void test_cut_off(void **state)
{
	size_t len;
	char *buf = read_fixture("this-machine/buddyinfo", &len);
	const char *last = strstr(buf, "Node 0, zone   Normal");
	size_t cut;

	(void)state;
	assert_non_null(last);
	cut = (size_t)(last - buf) + strlen("Node 0, zone   Normal      2      1      3    1");
	expect_fail(buf, cut, -EINVAL, 3);
	/* cut right after the zone name: no counts at all */
	cut = (size_t)(last - buf) + strlen("Node 0, zone   Normal");
	expect_fail(buf, cut, -EINVAL, 3);
	/* cut inside the prefix */
	cut = (size_t)(last - buf) + strlen("Node 0, zo");
	expect_fail(buf, cut, -EINVAL, 3);
	free(buf);
}

static void test_empty(void **state)
{
	struct parse_error perr = { 0 };
	struct buddyinfo bi;

	(void)state;
	expect_fail("", 0, -EINVAL, 0);
	expect_fail(NULL, 0, -EINVAL, 0);
	expect_fail_str("\n\n  \t\n", -EINVAL, 0);
	assert_int_equal(buddyinfo_parse("\n", 1, "t", &bi, &perr), -EINVAL);
	assert_string_equal(perr.what, "no zones");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_this_machine),
		cmocka_unit_test(test_hisilicon_d05),
		cmocka_unit_test(test_lkml_2006_i386),
		cmocka_unit_test(test_goclever_arm),
		cmocka_unit_test(test_qiuxishi_8node),
		cmocka_unit_test(test_randolph_d2000),
		cmocka_unit_test(test_layout_tolerance),
		cmocka_unit_test(test_impossible_counts),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_bad_binary),
		cmocka_unit_test(test_bad_node),
		cmocka_unit_test(test_bad_zone),
		cmocka_unit_test(test_bad_counts),
		cmocka_unit_test(test_order_mismatch),
		cmocka_unit_test(test_cut_off),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
