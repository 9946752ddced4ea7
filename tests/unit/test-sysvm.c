/*
 * test-sysvm.c - the one-line tunables and sysfs files: sysvm_parse()
 * (/proc/sys/vm), nodelist_parse(), distance_parse(), sysfs_u64_parse()
 * (/sys/devices/system/node) and the numa.h model helpers.  The "real"
 * strings are this machine's values (6.18.44 Firecracker VM), read with
 * cat from /proc/sys/vm and /sys/devices/system/node.
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

#include "model/numa.h"
#include "model/sysvm.h"
#include "parse/parse.h"


static int sv(unsigned which, const char *s, struct sysvm *vm,
	      struct parse_error *perr)
{
	return sysvm_parse(which, s, strlen(s), "vm", vm, perr);
}

/* ---- /proc/sys/vm ----------------------------------------------------- */

static void test_sysvm_files(void **state)
{
	(void)state;
	assert_string_equal(sysvm_files[0], "min_free_kbytes");
	assert_string_equal(sysvm_files[1], "watermark_scale_factor");
	assert_string_equal(sysvm_files[2], "lowmem_reserve_ratio");
	assert_string_equal(sysvm_files[3], "extfrag_threshold");
	assert_string_equal(sysvm_files[4], "compaction_proactiveness");
	assert_string_equal(sysvm_files[5], "watermark_boost_factor");
	assert_int_equal(SYSVM_MIN_FREE_KBYTES, 1u << 0);
	assert_int_equal(SYSVM_LOWMEM_RESERVE_RATIO, 1u << 2);
	assert_int_equal(SYSVM_COMPACTION_PROACTIVENESS, 1u << 4);
	assert_int_equal(SYSVM_WATERMARK_BOOST_FACTOR, 1u << 5);
}

/* This machine's six files, parsed into one struct. */
static void test_sysvm_this_machine(void **state)
{
	struct parse_error perr = { 0 };
	struct sysvm vm = { 0 };

	(void)state;
	assert_int_equal(sv(SYSVM_MIN_FREE_KBYTES, "67584\n", &vm, &perr), 0);
	assert_int_equal(vm.have, SYSVM_MIN_FREE_KBYTES);
	assert_int_equal(sv(SYSVM_WATERMARK_SCALE_FACTOR, "10\n", &vm, &perr), 0);
	assert_int_equal(sv(SYSVM_LOWMEM_RESERVE_RATIO, "256\t256\t32\t0\t0\n", &vm, &perr), 0);
	assert_int_equal(sv(SYSVM_EXTFRAG_THRESHOLD, "500\n", &vm, &perr), 0);
	assert_int_equal(sv(SYSVM_COMPACTION_PROACTIVENESS, "20\n", &vm, &perr), 0);
	assert_int_equal(sv(SYSVM_WATERMARK_BOOST_FACTOR, "15000\n", &vm, &perr), 0);

	assert_int_equal(vm.have, 0x3f);
	assert_int_equal(vm.watermark_boost_factor, 15000);
	assert_int_equal(vm.min_free_kbytes, 67584);
	assert_int_equal(vm.watermark_scale_factor, 10);
	assert_int_equal(vm.nr_lowmem_reserve_ratio, 5);
	assert_int_equal(vm.lowmem_reserve_ratio[0], 256);
	assert_int_equal(vm.lowmem_reserve_ratio[1], 256);
	assert_int_equal(vm.lowmem_reserve_ratio[2], 32);
	assert_int_equal(vm.lowmem_reserve_ratio[3], 0);
	assert_int_equal(vm.lowmem_reserve_ratio[4], 0);
	assert_int_equal(vm.extfrag_threshold, 500);
	assert_int_equal(vm.compaction_proactiveness, 20);
}

static void test_sysvm_details(void **state)
{
	struct parse_error perr = { 0 };
	struct sysvm vm = { 0 };

	(void)state;
	/* no newline, blanks, negative, int limits, 32-bit kernel's 3 zones,
	 * 2.6-era 4 zones with a blank, the full FS_MAX_ZONES */
	assert_int_equal(sv(SYSVM_MIN_FREE_KBYTES, "2895", &vm, &perr), 0);
	assert_int_equal(vm.min_free_kbytes, 2895);
	assert_int_equal(sv(SYSVM_MIN_FREE_KBYTES, "  -1 \n\n", &vm, &perr), 0);
	assert_int_equal(vm.min_free_kbytes, -1);
	assert_int_equal(sv(SYSVM_EXTFRAG_THRESHOLD, "2147483647\n", &vm, &perr), 0);
	assert_int_equal(vm.extfrag_threshold, 2147483647);
	assert_int_equal(sv(SYSVM_EXTFRAG_THRESHOLD, "-2147483648\n", &vm, &perr), 0);
	assert_int_equal(vm.extfrag_threshold, -2147483648ll);
	assert_int_equal(sv(SYSVM_LOWMEM_RESERVE_RATIO, "256\t32\t32\n", &vm, &perr), 0);
	assert_int_equal(vm.nr_lowmem_reserve_ratio, 3);
	assert_int_equal(vm.lowmem_reserve_ratio[2], 32);
	assert_int_equal(sv(SYSVM_LOWMEM_RESERVE_RATIO, "256 256 32 1\n", &vm, &perr), 0);
	assert_int_equal(vm.nr_lowmem_reserve_ratio, 4);
	assert_int_equal(vm.lowmem_reserve_ratio[3], 1);
	assert_int_equal(sv(SYSVM_LOWMEM_RESERVE_RATIO, "1\t2\t3\t4\t5\t6\t7\t8\n", &vm, &perr), 0);
	assert_int_equal(vm.nr_lowmem_reserve_ratio, FS_MAX_ZONES);
	assert_int_equal(vm.lowmem_reserve_ratio[FS_MAX_ZONES - 1], 8);
	assert_int_equal(sv(SYSVM_LOWMEM_RESERVE_RATIO, "7\n", &vm, &perr), 0);
	assert_int_equal(vm.nr_lowmem_reserve_ratio, 1);
	assert_int_equal(vm.have, SYSVM_MIN_FREE_KBYTES | SYSVM_EXTFRAG_THRESHOLD |
				  SYSVM_LOWMEM_RESERVE_RATIO);
}

struct sysvm_bad {
	unsigned which;
	const char *in;
	size_t len;
	int rc;
	unsigned line;
};

#define SVBAD(w, s, rc, line) { w, s, sizeof(s) - 1, rc, line }

static const struct sysvm_bad sysvm_bad_cases[] = {
	SVBAD(SYSVM_MIN_FREE_KBYTES, "", -EINVAL, 0),
	SVBAD(SYSVM_MIN_FREE_KBYTES, "\n", -EINVAL, 0),
	SVBAD(SYSVM_MIN_FREE_KBYTES, "abc\n", -EINVAL, 1),
	SVBAD(SYSVM_MIN_FREE_KBYTES, "675x\n", -EINVAL, 1),
	SVBAD(SYSVM_MIN_FREE_KBYTES, "67584 1\n", -EINVAL, 1),
	SVBAD(SYSVM_MIN_FREE_KBYTES, "67584\n1\n", -EINVAL, 2),
	SVBAD(SYSVM_MIN_FREE_KBYTES, "2147483648\n", -ERANGE, 1),
	SVBAD(SYSVM_MIN_FREE_KBYTES, "-2147483649\n", -ERANGE, 1),
	SVBAD(SYSVM_MIN_FREE_KBYTES, "99999999999999999999\n", -ERANGE, 1),
	SVBAD(SYSVM_WATERMARK_SCALE_FACTOR, "1\0\n", -EINVAL, 1),
	SVBAD(SYSVM_WATERMARK_SCALE_FACTOR, "--1\n", -EINVAL, 1),
	SVBAD(SYSVM_WATERMARK_SCALE_FACTOR, "-\n", -EINVAL, 1),
	SVBAD(SYSVM_LOWMEM_RESERVE_RATIO, "1\t2\t3\t4\t5\t6\t7\t8\t9\n", -EINVAL, 1),
	SVBAD(SYSVM_LOWMEM_RESERVE_RATIO, "256\t256\tx\n", -EINVAL, 1),
	SVBAD(SYSVM_LOWMEM_RESERVE_RATIO, "256\t256\n32\n", -EINVAL, 2),
	SVBAD(SYSVM_LOWMEM_RESERVE_RATIO, "\n\n", -EINVAL, 0),
	SVBAD(SYSVM_EXTFRAG_THRESHOLD, "\xff\xfe\x01\n", -EINVAL, 1),
	/* which must be exactly one known bit */
	SVBAD(0, "1\n", -EINVAL, 0),
	SVBAD(SYSVM_MIN_FREE_KBYTES | SYSVM_EXTFRAG_THRESHOLD, "1\n", -EINVAL, 0),
	SVBAD(1u << 6, "1\n", -EINVAL, 0),
};

static void test_sysvm_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(sysvm_bad_cases) / sizeof(sysvm_bad_cases[0]); i++) {
		const struct sysvm_bad *c = &sysvm_bad_cases[i];
		struct parse_error perr = { 0 };
		struct sysvm vm = {
			.have = SYSVM_WATERMARK_SCALE_FACTOR,
			.min_free_kbytes = 11,
			.watermark_scale_factor = 22,
			.lowmem_reserve_ratio = { 33, 34 },
			.nr_lowmem_reserve_ratio = 2,
			.extfrag_threshold = 44,
			.compaction_proactiveness = 55,
		};
		int r = sysvm_parse(c->which, c->in, c->len, "vm", &vm, &perr);

		if (r != c->rc || perr.line != c->line)
			fail_msg("case %zu: rc %d line %u (%s), expected rc %d line %u",
				 i, r, perr.line, perr.what, c->rc, c->line);
		assert_true(perr.what[0] != '\0');
		for (const char *p = perr.what; *p; p++)
			assert_true(*p >= 0x20 && *p < 0x7f);
		assert_int_equal(vm.have, SYSVM_WATERMARK_SCALE_FACTOR);
		assert_int_equal(vm.min_free_kbytes, 11);
		assert_int_equal(vm.watermark_scale_factor, 22);
		assert_int_equal(vm.lowmem_reserve_ratio[0], 33);
		assert_int_equal(vm.lowmem_reserve_ratio[1], 34);
		assert_int_equal(vm.lowmem_reserve_ratio[2], 0);
		assert_int_equal(vm.nr_lowmem_reserve_ratio, 2);
		assert_int_equal(vm.extfrag_threshold, 44);
		assert_int_equal(vm.compaction_proactiveness, 55);
	}
	{
		struct sysvm vm = { 0 };

		assert_int_equal(sysvm_parse(SYSVM_MIN_FREE_KBYTES, "x", 1, "vm", &vm, NULL),
				 -EINVAL);
		assert_int_equal(vm.have, 0);
	}
}

/* ---- node lists ------------------------------------------------------- */

static void check_list(const char *in, const int *want, size_t nwant)
{
	struct parse_error perr = { 0 };
	int sentinel;
	int *ids = &sentinel;
	size_t n = 999;
	int r = nodelist_parse(in, strlen(in), "list", &ids, &n, &perr);

	if (r < 0)
		fail_msg("'%s': %u: %s (%d)", in, perr.line, perr.what, r);
	assert_int_equal(n, nwant);
	if (nwant == 0)
		assert_null(ids);
	for (size_t i = 0; i < nwant; i++)
		assert_int_equal(ids[i], want[i]);
	free(ids);
}

static void test_nodelist(void **state)
{
	static const int zero[] = { 0 };
	static const int a[] = { 0, 1, 2, 3, 5 };
	static const int b[] = { 0, 1, 2, 3, 8, 10, 11 };
	static const int c[] = { 1, 2, 3, 4, 7 };
	static const int d[] = { 65534, 65535 };

	(void)state;
	/* this machine: online and has_memory are both "0\n" */
	check_list("0\n", zero, 1);
	check_list("0", zero, 1);
	check_list("0-3,5\n", a, 5);
	check_list("0-3,8,10-11\n", b, 7);
	check_list("0-0\n", zero, 1);
	/* unsorted and overlapping input comes out sorted and unique */
	check_list("7,3-4,1-3,2\n", c, 5);
	check_list("65534-65535\n", d, 2);
	/* an empty line means no nodes (e.g. has_generic_initiator) */
	check_list("\n", NULL, 0);
	check_list("  \n", NULL, 0);

	/* this machine's node0/distance, and a 4-node one */
	{
		struct parse_error perr = { 0 };
		size_t len, n = 0;
		char *buf = fixture_read("kernel/this-machine-sys/node0-distance", &len);
		int *d0 = NULL;

		assert_int_equal(distance_parse(buf, len, "distance", &d0, &n, &perr), 0);
		assert_int_equal(n, 1);
		assert_int_equal(d0[0], 10);
		free(d0);
		free(buf);
		assert_int_equal(distance_parse("10 21 21 31\n", 12, "d", &d0, &n, &perr), 0);
		assert_int_equal(n, 4);
		assert_int_equal(d0[0], 10);
		assert_int_equal(d0[1], 21);
		assert_int_equal(d0[3], 31);
		free(d0);
	}
}

struct list_bad {
	const char *in;
	size_t len;
	int rc;
	unsigned line;
};

#define LBAD(s, rc, line) { s, sizeof(s) - 1, rc, line }

static const struct list_bad nodelist_bad_cases[] = {
	LBAD("", -EINVAL, 0),
	LBAD("x\n", -EINVAL, 1),
	LBAD("0-\n", -EINVAL, 1),
	LBAD("-1\n", -EINVAL, 1),
	LBAD("3-1\n", -EINVAL, 1),
	LBAD("0,,1\n", -EINVAL, 1),
	LBAD(",0\n", -EINVAL, 1),
	LBAD("0,\n", -EINVAL, 1),
	LBAD("0-1-2\n", -EINVAL, 1),
	LBAD("0 1\n", -EINVAL, 1),
	LBAD("0\n1\n", -EINVAL, 2),
	LBAD("\n0,x\n", -EINVAL, 2),
	LBAD("65536\n", -ERANGE, 1),
	LBAD("0-65536\n", -ERANGE, 1),
	LBAD("99999999999999999999\n", -ERANGE, 1),
	LBAD("0x1\n", -EINVAL, 1),
	LBAD("\xff\x01\n", -EINVAL, 1),
	LBAD("1\0\n", -EINVAL, 1),
};

static const struct list_bad distance_bad_cases[] = {
	LBAD("", -EINVAL, 0),
	LBAD("\n", -EINVAL, 0),
	LBAD("10 x\n", -EINVAL, 1),
	LBAD("10 -21\n", -EINVAL, 1),
	LBAD("10 2147483648\n", -ERANGE, 1),
	LBAD("10 21\n21 10\n", -EINVAL, 2),
	LBAD("\x7f" "ELF\x02\n", -EINVAL, 1),
};

static const struct list_bad u64_bad_cases[] = {
	LBAD("", -EINVAL, 0),
	LBAD(" \n", -EINVAL, 0),
	LBAD("x\n", -EINVAL, 1),
	LBAD("-1\n", -EINVAL, 1),
	LBAD("12 13\n", -EINVAL, 1),
	LBAD("12\n13\n", -EINVAL, 2),
	LBAD("18446744073709551616\n", -ERANGE, 1),
	LBAD("512kB\n", -EINVAL, 1),
};

static void check_bad_list(const struct list_bad *c, size_t i, int r,
			   const struct parse_error *perr)
{
	if (r != c->rc || perr->line != c->line)
		fail_msg("case %zu ('%s'): rc %d line %u (%s), expected rc %d line %u",
			 i, c->in, r, perr->line, perr->what, c->rc, c->line);
	assert_true(perr->what[0] != '\0');
	for (const char *p = perr->what; *p; p++)
		assert_true(*p >= 0x20 && *p < 0x7f);
}

static void test_lists_bad(void **state)
{
	int sentinel;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(nodelist_bad_cases) / sizeof(nodelist_bad_cases[0]); i++) {
		const struct list_bad *c = &nodelist_bad_cases[i];
		struct parse_error perr = { 0 };
		int *ids = &sentinel;
		size_t n = 77;
		int r = nodelist_parse(c->in, c->len, "list", &ids, &n, &perr);

		check_bad_list(c, i, r, &perr);
		assert_ptr_equal(ids, &sentinel);
		assert_int_equal(n, 77);
	}
	for (i = 0; i < sizeof(distance_bad_cases) / sizeof(distance_bad_cases[0]); i++) {
		const struct list_bad *c = &distance_bad_cases[i];
		struct parse_error perr = { 0 };
		int *d = &sentinel;
		size_t n = 77;
		int r = distance_parse(c->in, c->len, "distance", &d, &n, &perr);

		check_bad_list(c, i, r, &perr);
		assert_ptr_equal(d, &sentinel);
		assert_int_equal(n, 77);
	}
	for (i = 0; i < sizeof(u64_bad_cases) / sizeof(u64_bad_cases[0]); i++) {
		const struct list_bad *c = &u64_bad_cases[i];
		struct parse_error perr = { 0 };
		uint64_t v = 77;
		int r = sysfs_u64_parse(c->in, c->len, "nr_hugepages", &v, &perr);

		check_bad_list(c, i, r, &perr);
		assert_int_equal(v, 77);
	}
	{
		int *ids = NULL;
		size_t n = 0;

		assert_int_equal(nodelist_parse("y", 1, "l", &ids, &n, NULL), -EINVAL);
		assert_null(ids);
	}
}

static void test_sysfs_u64(void **state)
{
	struct parse_error perr = { 0 };
	uint64_t v = 0;

	(void)state;
	assert_int_equal(sysfs_u64_parse("0\n", 2, "f", &v, &perr), 0);
	assert_int_equal(v, 0);
	assert_int_equal(sysfs_u64_parse("512\n", 4, "f", &v, &perr), 0);
	assert_int_equal(v, 512);
	assert_int_equal(sysfs_u64_parse("  4 ", 4, "f", &v, &perr), 0);
	assert_int_equal(v, 4);
	assert_int_equal(sysfs_u64_parse("18446744073709551615\n", 21, "f", &v, &perr), 0);
	assert_int_equal(v, UINT64_MAX);
}

/* ---- the numa model --------------------------------------------------- */

static void test_numa_model(void **state)
{
	struct parse_error perr = { 0 };
	struct numa nm = { 0 };
	size_t len;
	char *buf = fixture_read("kernel/this-machine-sys/node0-meminfo", &len);
	uint64_t v;

	(void)state;
	nm.nodes = calloc(2, sizeof(*nm.nodes));
	assert_non_null(nm.nodes);
	nm.n = 2;
	nm.nodes[0].id = 0;
	nm.nodes[1].id = 3;
	assert_int_equal(node_meminfo_parse(buf, len, "m", 0, &nm.nodes[0].meminfo, &perr), 0);
	nm.nodes[0].has_meminfo = true;
	assert_int_equal(distance_parse("10 20\n", 6, "d", &nm.nodes[0].distance,
					&nm.nodes[0].nr_distance, &perr), 0);
	nm.nodes[1].hp = calloc(2, sizeof(*nm.nodes[1].hp));
	assert_non_null(nm.nodes[1].hp);
	nm.nodes[1].nr_hp = 2;
	nm.nodes[1].hp[1].size_kb = 1048576;
	free(buf);

	assert_ptr_equal(numa_find(&nm, 0), &nm.nodes[0]);
	assert_ptr_equal(numa_find(&nm, 3), &nm.nodes[1]);
	assert_null(numa_find(&nm, 1));
	assert_null(numa_find(&nm, -1));
	assert_null(numa_find(NULL, 0));
	assert_true(meminfo_get(&numa_find(&nm, 0)->meminfo, "MemTotal", &v));
	assert_int_equal(v, 4286676);
	assert_int_equal(numa_find(&nm, 0)->distance[1], 20);
	assert_int_equal(numa_find(&nm, 3)->hp[1].size_kb, 1048576);

	numa_free(&nm);
	assert_null(nm.nodes);
	assert_int_equal(nm.n, 0);
	numa_free(&nm);
	numa_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sysvm_files),
		cmocka_unit_test(test_sysvm_this_machine),
		cmocka_unit_test(test_sysvm_details),
		cmocka_unit_test(test_sysvm_bad),
		cmocka_unit_test(test_nodelist),
		cmocka_unit_test(test_lists_bad),
		cmocka_unit_test(test_sysfs_u64),
		cmocka_unit_test(test_numa_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
