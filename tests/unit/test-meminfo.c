/*
 * test-meminfo.c - meminfo_parse() and node_meminfo_parse() over real
 * captures from many kernels and architectures (tests/fixtures/kernel),
 * plus malformed and truncated inputs, and the meminfo.h lookups.
 * Every expected value below was read by hand from the fixture file.
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

#include "model/meminfo.h"
#include "parse/parse.h"


/* Parse a fixture; fail the test on any parse error. */
static void parse_fixture(const char *rel, struct meminfo *mi)
{
	struct parse_error perr = { 0 };
	size_t len;
	char *buf = fixture_read(rel, &len);
	int r = meminfo_parse(buf, len, rel, mi, &perr);

	if (r < 0)
		fail_msg("%s:%u: %s (%d)", rel, perr.line, perr.what, r);
	free(buf);
}

static void check_field(const struct meminfo *mi, const char *name,
			uint64_t value, bool kb, unsigned line)
{
	const struct meminfo_field *f = meminfo_find(mi, name);

	if (!f)
		fail_msg("field '%s' missing", name);
	assert_int_equal(f->value, value);
	assert_int_equal(f->kb, kb);
	assert_int_equal(f->line, line);
}

static void check_absent(const struct meminfo *mi, const char *name)
{
	uint64_t v = 4242;

	assert_null(meminfo_find(mi, name));
	assert_false(meminfo_get(mi, name, &v));
	assert_false(meminfo_get_bytes(mi, name, &v));
	assert_int_equal(v, 4242);
}

/* First and last field by position (file order is kept). */
static void check_ends(const struct meminfo *mi, size_t n, const char *first,
		       const char *last)
{
	assert_int_equal(mi->n, n);
	assert_string_equal(mi->f[0].name, first);
	assert_string_equal(mi->f[n - 1].name, last);
}

/* ---- real captures ---------------------------------------------------- */

static void test_this_machine(void **state)
{
	struct meminfo mi;
	uint64_t v;

	(void)state;
	parse_fixture("kernel/this-machine/meminfo", &mi);
	check_ends(&mi, 54, "MemTotal", "DirectMap1G");
	assert_false(mi.legacy_header);
	check_field(&mi, "MemTotal", 24684084, true, 1);
	check_field(&mi, "MemAvailable", 24350732, true, 3);
	check_field(&mi, "Active(anon)", 1552, true, 9);
	check_field(&mi, "Inactive(file)", 48576, true, 12);
	check_field(&mi, "KernelStack", 1568, true, 28);
	check_field(&mi, "VmallocTotal", 34359738367ull, true, 36);
	check_field(&mi, "Balloon", 0, true, 45);
	check_field(&mi, "HugePages_Total", 0, false, 46);
	check_field(&mi, "HugePages_Surp", 0, false, 49);
	check_field(&mi, "Hugepagesize", 2048, true, 50);
	check_field(&mi, "DirectMap1G", 25165824, true, 54);
	check_absent(&mi, "CmaTotal");
	check_absent(&mi, "HighTotal");
	check_absent(&mi, "memtotal");
	check_absent(&mi, "MemTotal:");

	assert_true(meminfo_get(&mi, "MemTotal", &v));
	assert_int_equal(v, 24684084);
	assert_true(meminfo_get_bytes(&mi, "MemTotal", &v));
	assert_int_equal(v, 24684084ull * 1024);
	assert_true(meminfo_get_bytes(&mi, "VmallocTotal", &v));
	assert_int_equal(v, 34359738367ull * 1024);
	meminfo_free(&mi);
	assert_null(mi.f);
	assert_int_equal(mi.n, 0);
}

/* 2.6 i386 with HighMem, 22 fields, no MemAvailable or (anon)/(file). */
static void test_lkml_2006_i386(void **state)
{
	struct meminfo mi;

	(void)state;
	parse_fixture("kernel/lkml-2006-rstuart-i386/meminfo", &mi);
	check_ends(&mi, 22, "MemTotal", "VmallocChunk");
	check_field(&mi, "MemTotal", 2066592, true, 1);
	check_field(&mi, "HighTotal", 1169944, true, 8);
	check_field(&mi, "HighFree", 1024, true, 9);
	check_field(&mi, "LowFree", 217528, true, 11);
	check_field(&mi, "Committed_AS", 554800, true, 18);
	check_field(&mi, "VmallocChunk", 108680, true, 22);
	check_absent(&mi, "MemAvailable");
	check_absent(&mi, "Active(anon)");
	check_absent(&mi, "HugePages_Total");
	meminfo_free(&mi);
}

/* 2.4-style byte table on top, then fields (MemShared, MemAvailable out of
 * the usual place).  The three table lines are skipped. */
static void test_gopsutil_legacy(void **state)
{
	struct meminfo mi;

	(void)state;
	parse_fixture("kernel/gopsutil/meminfo.issue1002", &mi);
	assert_true(mi.legacy_header);
	check_ends(&mi, 39, "MemTotal", "VmallocChunk");
	check_field(&mi, "MemTotal", 254472, true, 4);
	check_field(&mi, "MemShared", 0, true, 6);
	check_field(&mi, "MemAvailable", 210156, true, 12);
	check_field(&mi, "HighTotal", 131072, true, 19);
	check_field(&mi, "LowFree", 55392, true, 22);
	check_field(&mi, "VmallocTotal", 1949696, true, 40);
	check_field(&mi, "VmallocChunk", 0, true, 42);
	check_absent(&mi, "Mem");
	check_absent(&mi, "Swap");
	check_absent(&mi, "total");
	meminfo_free(&mi);
}

/* MIPS router capture that lost its final newline. */
static void test_adde88_no_final_newline(void **state)
{
	struct meminfo mi;

	(void)state;
	parse_fixture("kernel/adde88-dwr-956/meminfo", &mi);
	check_ends(&mi, 33, "MemTotal", "VmallocChunk");
	check_field(&mi, "MemTotal", 122976, true, 1);
	check_field(&mi, "KernelStack", 568, true, 24);
	check_field(&mi, "VmallocTotal", 1048372, true, 31);
	check_field(&mi, "VmallocChunk", 1011360, true, 33);
	check_absent(&mi, "MemAvailable");
	meminfo_free(&mi);
}

/* ppc64: 16 MiB default huge pages, 10-digit VmallocTotal, ends with
 * Hugepagesize (no DirectMap lines off x86). */
static void test_hwloc_ppc64(void **state)
{
	struct meminfo mi;
	uint64_t v;

	(void)state;
	parse_fixture("kernel/hwloc-256ppc-8n8s4t/meminfo", &mi);
	check_ends(&mi, 38, "MemTotal", "Hugepagesize");
	check_field(&mi, "MemTotal", 514318208, true, 1);
	check_field(&mi, "Inactive(file)", 2658368, true, 11);
	check_field(&mi, "VmallocTotal", 8589934592ull, true, 31);
	check_field(&mi, "VmallocChunk", 8589053248ull, true, 33);
	check_field(&mi, "HugePages_Total", 0, false, 34);
	check_field(&mi, "Hugepagesize", 16384, true, 38);
	assert_true(meminfo_get_bytes(&mi, "Hugepagesize", &v));
	assert_int_equal(v, 16 * 1024 * 1024);
	check_absent(&mi, "DirectMap4k");
	check_absent(&mi, "MemAvailable");
	meminfo_free(&mi);
}

/* s390x: 1 MiB huge pages. */
static void test_hwloc_s390x(void **state)
{
	struct meminfo mi;

	(void)state;
	parse_fixture("kernel/hwloc-20s390-2g6s4c/meminfo", &mi);
	check_ends(&mi, 38, "MemTotal", "Hugepagesize");
	check_field(&mi, "MemTotal", 2053992, true, 1);
	check_field(&mi, "Dirty", 32, true, 16);
	check_field(&mi, "VmallocTotal", 134217728, true, 31);
	check_field(&mi, "VmallocChunk", 134192640, true, 33);
	check_field(&mi, "Hugepagesize", 1024, true, 38);
	check_absent(&mi, "DirectMap2M");
	meminfo_free(&mi);
}

/* 1.5 TB machine: 10-digit values wider than the kernel's %8lu column. */
static void test_hwloc_memorysidecaches(void **state)
{
	struct meminfo mi;
	uint64_t v;

	(void)state;
	parse_fixture("kernel/hwloc-memorysidecaches/meminfo", &mi);
	check_ends(&mi, 49, "MemTotal", "DirectMap1G");
	check_field(&mi, "MemTotal", 1558982816ull, true, 1);
	check_field(&mi, "MemFree", 1557187072ull, true, 2);
	check_field(&mi, "MemAvailable", 1552836908ull, true, 3);
	check_field(&mi, "HardwareCorrupted", 0, true, 37);
	check_field(&mi, "AnonHugePages", 92160, true, 38);
	check_field(&mi, "DirectMap1G", 1579155456ull, true, 49);
	assert_true(meminfo_get_bytes(&mi, "MemTotal", &v));
	assert_int_equal(v, 1596398403584ull);
	check_absent(&mi, "FileHugePages");
	meminfo_free(&mi);
}

/* Reserved huge pages: HugePages_* are counts, Hugetlb is kB. */
static void test_telegraf_hugepages(void **state)
{
	struct meminfo mi;
	uint64_t v;

	(void)state;
	parse_fixture("kernel/telegraf/meminfo.hugepages", &mi);
	check_ends(&mi, 51, "MemTotal", "DirectMap1G");
	check_field(&mi, "MemTotal", 264026876, true, 1);
	check_field(&mi, "HugePages_Total", 2048, false, 43);
	check_field(&mi, "HugePages_Free", 883, false, 44);
	check_field(&mi, "HugePages_Rsvd", 0, false, 45);
	check_field(&mi, "Hugetlb", 12582912, true, 48);
	check_field(&mi, "DirectMap1G", 263192576, true, 51);
	/* a unitless field is returned as the count, not multiplied */
	assert_true(meminfo_get_bytes(&mi, "HugePages_Total", &v));
	assert_int_equal(v, 2048);
	assert_true(meminfo_get_bytes(&mi, "Hugetlb", &v));
	assert_int_equal(v, 12582912ull * 1024);
	meminfo_free(&mi);
}

/* arm64 (NVIDIA GB10): ShadowCallStack, CMA, 12-digit VmallocTotal. */
static void test_hwloc_dgx_gb10_arm64(void **state)
{
	struct meminfo mi;

	(void)state;
	parse_fixture("kernel/hwloc-nvidia-dgx-gb10/meminfo", &mi);
	check_ends(&mi, 55, "MemTotal", "Hugetlb");
	check_field(&mi, "MemTotal", 125508468, true, 1);
	check_field(&mi, "Inactive(file)", 41236396, true, 12);
	check_field(&mi, "KernelStack", 14128, true, 28);
	check_field(&mi, "ShadowCallStack", 3612, true, 29);
	check_field(&mi, "SecPageTables", 7372, true, 31);
	check_field(&mi, "VmallocTotal", 135288315904ull, true, 37);
	check_field(&mi, "CmaTotal", 131072, true, 47);
	check_field(&mi, "CmaFree", 69320, true, 48);
	check_field(&mi, "HugePages_Total", 0, false, 50);
	check_field(&mi, "Hugetlb", 0, true, 55);
	check_absent(&mi, "DirectMap4k");
	meminfo_free(&mi);
}

/* 32-bit ARM Android 3.4 with HighMem. */
static void test_goclever_arm32_highmem(void **state)
{
	struct meminfo mi;

	(void)state;
	parse_fixture("kernel/GoCleverInsignia5-i5_info/meminfo", &mi);
	check_ends(&mi, 37, "MemTotal", "VmallocChunk");
	check_field(&mi, "MemTotal", 990732, true, 1);
	check_field(&mi, "Mlocked", 37196, true, 13);
	check_field(&mi, "HighTotal", 521216, true, 14);
	check_field(&mi, "HighFree", 69136, true, 15);
	check_field(&mi, "LowTotal", 469516, true, 16);
	check_field(&mi, "LowFree", 151996, true, 17);
	check_field(&mi, "Committed_AS", 5714904, true, 34);
	check_field(&mi, "VmallocChunk", 141316, true, 37);
	check_absent(&mi, "MemAvailable");
	check_absent(&mi, "HugePages_Total");
	meminfo_free(&mi);
}

/* ---- format details --------------------------------------------------- */

static void parse_str_ok(const char *s, struct meminfo *mi)
{
	struct parse_error perr = { 0 };
	int r = meminfo_parse(s, strlen(s), "t", mi, &perr);

	if (r < 0)
		fail_msg("unexpected failure: %u: %s (%d)", perr.line, perr.what, r);
}

static void test_details(void **state)
{
	struct meminfo mi;
	uint64_t v;

	(void)state;
	/* no blank before the number, CRLF, blank lines, duplicates, unknown
	 * field, a unitless value larger than 2^54 */
	parse_str_ok("KernelStack:1428 kB\r\n"
		     "\n"
		     "MemTotal:   5 kB\n"
		     "   \t\n"
		     "MemTotal:   7 kB\n"
		     "Weird_New(x):\t18014398509481984\n"
		     "Max: 18014398509481983 kB", &mi);
	assert_int_equal(mi.n, 5);
	check_field(&mi, "KernelStack", 1428, true, 1);
	check_field(&mi, "MemTotal", 5, true, 3);
	assert_string_equal(mi.f[2].name, "MemTotal");
	assert_int_equal(mi.f[2].value, 7);
	assert_int_equal(mi.f[2].line, 5);
	check_field(&mi, "Weird_New(x)", 18014398509481984ull, false, 6);
	check_field(&mi, "Max", 18014398509481983ull, true, 7);
	assert_true(meminfo_get_bytes(&mi, "Max", &v));
	assert_int_equal(v, UINT64_MAX - 1023);
	meminfo_free(&mi);

	/* a file cut in the middle of a number cannot be detected */
	parse_str_ok("MemTotal:       24684084 kB\nMemFree:   12", &mi);
	assert_int_equal(mi.n, 2);
	check_field(&mi, "MemFree", 12, false, 2);
	meminfo_free(&mi);
}

/* meminfo_get_bytes on a kB value that a hand-built model overflows */
static void test_get_bytes_overflow(void **state)
{
	struct meminfo_field f[2] = {
		{ .name = (char *)"Big", .value = UINT64_MAX / 1024 + 1, .kb = true, .line = 1 },
		{ .name = (char *)"Count", .value = UINT64_MAX, .kb = false, .line = 2 },
	};
	struct meminfo mi = { .f = f, .n = 2, .cap = 2 };
	uint64_t v = 7;

	(void)state;
	assert_false(meminfo_get_bytes(&mi, "Big", &v));
	assert_int_equal(v, 7);
	assert_true(meminfo_get(&mi, "Big", &v));
	assert_int_equal(v, UINT64_MAX / 1024 + 1);
	assert_true(meminfo_get_bytes(&mi, "Count", &v));
	assert_int_equal(v, UINT64_MAX);
	assert_null(meminfo_find(NULL, "Big"));
	meminfo_free(NULL);
}

/* ---- malformed input -------------------------------------------------- */

struct bad_case {
	const char *in;
	size_t len;     /* 0: strlen(in) */
	int rc;
	unsigned line;
};

#define BAD(s, rc, line) { s, sizeof(s) - 1, rc, line }

static const struct bad_case bad_cases[] = {
	BAD("", -EINVAL, 0),
	BAD(" \n\t\n\n", -EINVAL, 0),
	BAD("MemTotal:\n", -EINVAL, 1),
	BAD("MemTotal:     \t \n", -EINVAL, 1),
	BAD("MemTotal:       24684084 kB\nMemFree:\n", -EINVAL, 2),
	BAD("MemTotal: 12x kB\n", -EINVAL, 1),
	BAD("MemTotal: x12 kB\n", -EINVAL, 1),
	BAD("MemTotal: -5 kB\n", -EINVAL, 1),
	BAD("MemTotal: +5 kB\n", -EINVAL, 1),
	BAD("MemTotal: 0x10 kB\n", -EINVAL, 1),
	BAD("A: 1 kB\nB: 2 kB\nMemTotal: 99999999999999999999 kB\n", -ERANGE, 3),
	BAD("MemTotal: 18446744073709551616\n", -ERANGE, 1),
	BAD("MemTotal: 18014398509481984 kB\n", -ERANGE, 1),
	BAD("MemTotal: 1024 MB\n", -EINVAL, 1),
	BAD("MemTotal: 1024 kb\n", -EINVAL, 1),
	BAD("MemTotal: 1024 KiB\n", -EINVAL, 1),
	BAD("MemTotal: 1024 kB kB\n", -EINVAL, 1),
	BAD("MemTotal: 1024 kB 5\n", -EINVAL, 1),
	BAD("MemTotal 1024 kB\n", -EINVAL, 1),
	BAD(": 1024 kB\n", -EINVAL, 1),
	BAD("Mem Total: 1024 kB\n", -EINVAL, 1),
	BAD("MemTotal:       24684084 kB\nMemFr", -EINVAL, 2),
	BAD("MemTotal:       24684084 kB\nMemFree:        24413108 k", -EINVAL, 2),
	BAD("MemTotal: 1\0 kB\n", -EINVAL, 1),
	BAD("\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0", -EINVAL, 1),
	BAD("\x01\x02:\x03 5 kB\n", -EINVAL, 1),
	BAD("MemTotal: 5 kB\n\xff\xfe\xfd\n", -EINVAL, 2),
	/* the 2.4 rows are only skipped right after their header */
	BAD("Mem:  260579328 136073216 124506112\n", -EINVAL, 1),
	BAD("MemTotal: 5 kB\n        total:    used:    free:\n", -EINVAL, 2),
	BAD("        total:    used:    free:  shared: buffers:  cached:\n"
	    "Mem:  260579328 136073216 124506112        0  4915200 94064640\n"
	    "Swap:        0        0        0\n", -EINVAL, 0),
};

static void test_bad_input(void **state)
{
	static const char file[] = "/proc/meminfo";
	int sentinel;

	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct parse_error perr = { 0 };
		struct meminfo mi = { .f = (void *)&sentinel, .n = 11, .cap = 22,
				      .legacy_header = true };
		int r = meminfo_parse(c->in, c->len, file, &mi, &perr);

		if (r != c->rc || perr.line != c->line)
			fail_msg("case %zu: rc %d line %u (%s), expected rc %d line %u",
				 i, r, perr.line, perr.what, c->rc, c->line);
		assert_ptr_equal(perr.file, file);
		assert_true(perr.what[0] != '\0');
		/* nothing unprintable leaks into the message */
		for (const char *p = perr.what; *p; p++)
			assert_true(*p >= 0x20 && *p < 0x7f);
		assert_ptr_equal(mi.f, &sentinel);
		assert_int_equal(mi.n, 11);
		assert_int_equal(mi.cap, 22);
		assert_true(mi.legacy_header);
	}
}

/* perr may be NULL */
static void test_bad_no_perr(void **state)
{
	struct meminfo mi = { 0 };

	(void)state;
	assert_int_equal(meminfo_parse("X: 1 GB\n", 8, "t", &mi, NULL), -EINVAL);
	assert_int_equal(node_meminfo_parse("Node 1 X: 1 kB\n", 15, "t", 0, &mi, NULL),
			 -EINVAL);
	assert_null(mi.f);
}

static void test_messages(void **state)
{
	struct parse_error perr = { 0 };
	struct meminfo mi = { 0 };
	static const char in[] = "MemTotal: 1024 MB\n";

	(void)state;
	assert_int_equal(meminfo_parse(in, sizeof(in) - 1, "m", &mi, &perr), -EINVAL);
	assert_non_null(strstr(perr.what, "MB"));
	assert_non_null(strstr(perr.what, "MemTotal"));
	assert_int_equal(meminfo_parse("", 0, "m", &mi, &perr), -EINVAL);
	assert_string_equal(perr.what, "empty file");
}

/* ---- per-node meminfo ------------------------------------------------- */

static void test_node0_this_machine(void **state)
{
	struct parse_error perr = { 0 };
	struct meminfo mi;
	size_t len;
	char *buf = fixture_read("kernel/this-machine-sys/node0-meminfo", &len);
	int r = node_meminfo_parse(buf, len, "node0/meminfo", 0, &mi, &perr);

	(void)state;
	if (r < 0)
		fail_msg("%u: %s", perr.line, perr.what);
	check_ends(&mi, 36, "MemTotal", "HugePages_Surp");
	assert_false(mi.legacy_header);
	check_field(&mi, "MemTotal", 4286676, true, 1);
	check_field(&mi, "MemFree", 3890860, true, 2);
	check_field(&mi, "MemUsed", 395816, true, 3);
	check_field(&mi, "Active(anon)", 1536, true, 7);
	check_field(&mi, "FilePages", 261460, true, 15);
	check_field(&mi, "SUnreclaim", 21804, true, 28);
	check_field(&mi, "HugePages_Total", 0, false, 34);
	check_field(&mi, "HugePages_Surp", 0, false, 36);
	check_absent(&mi, "Node");
	check_absent(&mi, "MemAvailable");
	meminfo_free(&mi);

	/* the same file read as node 1 is refused at line 1 */
	{
		struct meminfo keep = { .n = 3 };

		r = node_meminfo_parse(buf, len, "node1/meminfo", 1, &keep, &perr);
		assert_int_equal(r, -EINVAL);
		assert_int_equal(perr.line, 1);
		assert_string_equal(perr.what, "line is for node 0, expected 1");
		assert_int_equal(keep.n, 3);
		assert_null(keep.f);
	}
	free(buf);
}

static void test_node_details(void **state)
{
	struct parse_error perr = { 0 };
	struct meminfo mi;
	static const char ok[] = "Node 12 MemTotal:1 kB\nNode 12   HugePages_Free:  3\n";

	(void)state;
	assert_int_equal(node_meminfo_parse(ok, sizeof(ok) - 1, "n", 12, &mi, &perr), 0);
	check_ends(&mi, 2, "MemTotal", "HugePages_Free");
	check_field(&mi, "HugePages_Free", 3, false, 2);
	meminfo_free(&mi);
}

static const struct bad_case node_bad_cases[] = {
	BAD("", -EINVAL, 0),
	BAD("\n", -EINVAL, 0),
	BAD("MemTotal: 5 kB\n", -EINVAL, 1),
	BAD("Node 0 MemTotal: 5 kB\nNode 1 MemFree: 5 kB\n", -EINVAL, 2),
	BAD("Node x MemTotal: 5 kB\n", -EINVAL, 1),
	BAD("Node -0 MemTotal: 5 kB\n", -EINVAL, 1),
	BAD("Node\n", -EINVAL, 1),
	BAD("Node 0\n", -EINVAL, 1),
	BAD("Node 0 MemTotal:\n", -EINVAL, 1),
	BAD("Node 0 MemTotal: 5 MB\n", -EINVAL, 1),
	BAD("Node 0 MemTotal: 18014398509481984 kB\n", -ERANGE, 1),
	BAD("Node 0 MemTotal: 5 kB\nNode 0 MemFr", -EINVAL, 2),
	/* no legacy header in per-node files */
	BAD("        total:    used:    free:\nNode 0 MemTotal: 5 kB\n", -EINVAL, 1),
};

static void test_node_bad_input(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(node_bad_cases) / sizeof(node_bad_cases[0]); i++) {
		const struct bad_case *c = &node_bad_cases[i];
		struct parse_error perr = { 0 };
		struct meminfo mi = { .n = 5 };
		int r = node_meminfo_parse(c->in, c->len, "n", 0, &mi, &perr);

		if (r != c->rc || perr.line != c->line)
			fail_msg("case %zu: rc %d line %u (%s), expected rc %d line %u",
				 i, r, perr.line, perr.what, c->rc, c->line);
		assert_true(perr.what[0] != '\0');
		assert_int_equal(mi.n, 5);
		assert_null(mi.f);
	}
	{
		struct parse_error perr = { 0 };
		struct meminfo mi = { 0 };

		assert_int_equal(node_meminfo_parse("Node 0 A: 1 kB\n", 15, "n", -1,
						    &mi, &perr), -EINVAL);
		assert_true(perr.what[0] != '\0');
	}
}

/*
 * A re-parse over the last model (what a live view does every refresh)
 * gives what a fresh parse gives, whatever the last file was: the same
 * file, a 2.4 file with the legacy header, fewer fields, more; and a bad
 * file leaves the model empty.  ASan checks the names kept or dropped.
 */
static void test_reparse(void **state)
{
	static const char *const seq[] = {
		"kernel/this-machine/meminfo", "kernel/this-machine/meminfo",
		"kernel/gopsutil/meminfo.issue1002", "kernel/lkml-2006-rstuart-i386/meminfo",
		"kernel/hwloc-20s390-2g6s4c/meminfo", "kernel/this-machine/meminfo",
	};
	struct parse_error perr = { 0 };
	struct meminfo re = { 0 }, fresh;

	(void)state;
	for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		size_t len;
		char *buf = fixture_read(seq[i], &len);

		parse_fixture(seq[i], &fresh);
		assert_int_equal(meminfo_reparse(buf, len, seq[i], &re, &perr), 0);
		assert_int_equal(re.n, fresh.n);
		assert_int_equal(re.legacy_header, fresh.legacy_header);
		for (size_t k = 0; k < fresh.n; k++) {
			assert_string_equal(re.f[k].name, fresh.f[k].name);
			assert_int_equal(re.f[k].value, fresh.f[k].value);
			assert_int_equal(re.f[k].kb, fresh.f[k].kb);
			assert_int_equal(re.f[k].line, fresh.f[k].line);
		}
		meminfo_free(&fresh);
		free(buf);
	}
	assert_true(meminfo_reparse("MemTotal: 1 kB\nMemFree: x\n", 26, "x", &re, &perr) < 0);
	assert_int_equal(re.n, 0);
	assert_null(re.f);
	assert_int_equal(meminfo_reparse("MemFree: 7 kB\n", 14, "x", &re, &perr), 0);
	check_field(&re, "MemFree", 7, true, 1);
	meminfo_free(&re);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_this_machine),
		cmocka_unit_test(test_reparse),
		cmocka_unit_test(test_lkml_2006_i386),
		cmocka_unit_test(test_gopsutil_legacy),
		cmocka_unit_test(test_adde88_no_final_newline),
		cmocka_unit_test(test_hwloc_ppc64),
		cmocka_unit_test(test_hwloc_s390x),
		cmocka_unit_test(test_hwloc_memorysidecaches),
		cmocka_unit_test(test_telegraf_hugepages),
		cmocka_unit_test(test_hwloc_dgx_gb10_arm64),
		cmocka_unit_test(test_goclever_arm32_highmem),
		cmocka_unit_test(test_details),
		cmocka_unit_test(test_get_bytes_overflow),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_bad_no_perr),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_node0_this_machine),
		cmocka_unit_test(test_node_details),
		cmocka_unit_test(test_node_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
