/*
 * test-slabgeom.c - SLUB's slab geometry (sim/slabgeom.c) against values
 * worked out by hand from the kernel's rules (reference/kernel.md 4.1,
 * 4.2), with 4 KiB pages, slub_max_order 3 and, unless a test says
 * otherwise, 2 CPUs (min_objects = 4 * (fls(2) + 1) = 12).  The comments
 * show the arithmetic.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "model/slab.h"
#include "sim/slabgeom.h"

static struct slab_geom_params P(enum slab_rule rule)
{
	struct slab_geom_params p;

	slab_geom_defaults(&p, 2, rule);
	return p;
}

static void geom(uint64_t size, uint64_t align, unsigned flags, enum slab_rule rule, struct slab_geom *g)
{
	struct slab_geom_params p = P(rule);

	assert_int_equal(slab_geom_compute(size, align, flags, &p, g), 0);
}

/* kmalloc-192 (align 64, natural for a kmalloc class): stride 192.
 * 12 x 192 = 2304 fits order 0; 4096 % 192 = 64 <= 4096/16 = 256:
 * order 0, 21 objects, 64 bytes left over.  min_partial = ilog2(192)/2 = 3
 * -> 5; cpu_partial 120 (< 256 bytes); cpu_partial_slabs = ceil(240/21) = 12. */
static void test_kmalloc_192(void **state)
{
	struct slab_geom g;

	(void)state;
	geom(192, 64, SG_KMALLOC, SLAB_RULE_6_7, &g);
	assert_int_equal(g.slab_size, 192);
	assert_int_equal(g.order, 0);
	assert_int_equal(g.objs_per_slab, 21);
	assert_int_equal(g.leftover, 64);
	assert_int_equal(g.min_partial, 5);
	assert_int_equal(g.cpu_partial, 120);
	assert_int_equal(g.cpu_partial_slabs, 12);
	assert_int_equal(g.min_objects, 12);
}

/* 8 bytes: 4096 % 8 = 0 at order 0: 512 objects. */
static void test_tiny(void **state)
{
	struct slab_geom g;

	(void)state;
	geom(8, 8, SG_KMALLOC, SLAB_RULE_6_7, &g);
	assert_int_equal(g.slab_size, 8);
	assert_int_equal(g.order, 0);
	assert_int_equal(g.objs_per_slab, 512);
	/* 5 bytes round up to a word. */
	geom(5, 8, 0, SLAB_RULE_6_7, &g);
	assert_int_equal(g.slab_size, 8);
}

/* ext4_inode_cache: 1120 bytes with a constructor, align 8: the free
 * pointer goes after the object: 1128.  12 x 1128 = 13536 -> order 2;
 * 16384 - 14 x 1128 = 592 <= 1024: order 2, 14 objects (slabinfo: 14, 4). */
static void test_ctor_moves_freeptr(void **state)
{
	struct slab_geom g;

	(void)state;
	geom(1120, 8, SG_CTOR | SG_RECLAIM_ACCOUNT, SLAB_RULE_6_7, &g);
	assert_int_equal(g.slab_size, 1128);
	assert_int_equal(g.order, 2);
	assert_int_equal(g.objs_per_slab, 14);
	assert_int_equal(g.leftover, 592);
	assert_int_equal(g.cpu_partial, 24);
	/* An RCU cache that declared its free pointer offset keeps 192 (vm_area_struct);
	 * one that did not takes a word more, aligned to 64: 256. */
	geom(192, 64, SG_TYPESAFE_BY_RCU | SG_FREEPTR_OFFSET, SLAB_RULE_6_7, &g);
	assert_int_equal(g.slab_size, 192);
	geom(192, 64, SG_TYPESAFE_BY_RCU, SLAB_RULE_6_7, &g);
	assert_int_equal(g.slab_size, 256);
}

/* task_struct 5888: max_objects = 32768 / 5888 = 5, so min_objects 5;
 * get_order(29440) = 3; 32768 % 5888 = 3328 > 2048 (1/16) but <= 4096
 * (1/8): order 3, 5 objects (slabinfo: 5, 8 pages).  min_partial:
 * ilog2(5888)/2 = 6; cpu_partial 6 (>= PAGE_SIZE). */
static void test_task_struct(void **state)
{
	struct slab_geom g;

	(void)state;
	geom(5888, 64, SG_HWCACHE_ALIGN, SLAB_RULE_6_7, &g);
	assert_int_equal(g.slab_size, 5888);
	assert_int_equal(g.order, 3);
	assert_int_equal(g.objs_per_slab, 5);
	assert_int_equal(g.min_partial, 6);
	assert_int_equal(g.cpu_partial, 6);
	assert_int_equal(g.min_order, 1);       /* get_order(5888): the fallback */
	assert_int_equal(g.min_objs, 1);
}

/* SLAB_HWCACHE_ALIGN: the 64-byte line is halved while the object fits
 * in half of it: 72 -> 64 (kmem_cache_node: stride 128), 24 -> 32,
 * 16 -> 16, 8 -> 8; a larger caller alignment wins. */
static void test_hwcache_align(void **state)
{
	struct slab_geom g;

	(void)state;
	assert_int_equal(slab_geom_align(SG_HWCACHE_ALIGN, 0, 72, 64), 64);
	assert_int_equal(slab_geom_align(SG_HWCACHE_ALIGN, 0, 24, 64), 32);
	assert_int_equal(slab_geom_align(SG_HWCACHE_ALIGN, 0, 16, 64), 16);
	assert_int_equal(slab_geom_align(SG_HWCACHE_ALIGN, 0, 8, 64), 8);
	assert_int_equal(slab_geom_align(SG_HWCACHE_ALIGN, 256, 72, 64), 256);
	assert_int_equal(slab_geom_align(0, 0, 72, 64), 8);
	assert_int_equal(slab_geom_align(0, 4, 3, 64), 8);
	geom(72, 64, SG_HWCACHE_ALIGN, SLAB_RULE_6_7, &g);
	assert_int_equal(g.slab_size, 128);
	assert_int_equal(g.objs_per_slab, 32);
	/* 1240 bytes aligned to 64 (AF_VSOCK): 1280; 12 x 1280 = 15360 -> order 2;
	 * 16384 % 1280 = 1024 <= 1024: order 2, 12 objects. */
	geom(1240, 64, SG_HWCACHE_ALIGN, SLAB_RULE_6_7, &g);
	assert_int_equal(g.slab_size, 1280);
	assert_int_equal(g.order, 2);
	assert_int_equal(g.objs_per_slab, 12);
	/* Not a power of two: rejected. */
	{
		struct slab_geom_params p = P(SLAB_RULE_6_7);
		uint64_t s;

		assert_int_equal(slab_geom_size(100, 24, 0, &p, &s), -EINVAL);
		assert_int_equal(slab_geom_size(0, 8, 0, &p, &s), -EINVAL);
	}
}

/* Debug layouts.  100 bytes, align 8, red zone + poison + store_user:
 * 104 (word); the slack means no extra red-zone word; poison moves the
 * free pointer out: 112; two tracks of 32: 176; red zone: a word after
 * and an aligned word before: 192.  kmalloc-192 with the same flags
 * (6.7 rule): 192 has no slack, +8 = 200; +8 free pointer = 208; +64 =
 * 272; +4 for the request size = 276; +8 +64 (left pad aligned to 64) =
 * 348 -> 384.  A red-zoned 4-byte object (8 with its slack, so no
 * extra red-zone word) moves the free pointer out: 8 + 8 + 8 + 8 = 32. */
static void test_debug_layout(void **state)
{
	struct slab_geom_params p = P(SLAB_RULE_6_7), old = P(SLAB_RULE_6_1);
	uint64_t s;

	(void)state;
	assert_int_equal(slab_geom_size(100, 8, SG_RED_ZONE | SG_POISON | SG_STORE_USER, &p, &s), 0);
	assert_int_equal(s, 192);
	assert_int_equal(slab_geom_size(192, 64, SG_RED_ZONE | SG_POISON | SG_STORE_USER | SG_KMALLOC, &p, &s), 0);
	assert_int_equal(s, 384);
	/* Align 8, no poison: the kmalloc orig_size rule still moves the free
	 * pointer (6.2+) but did not in 6.1, which already kept the request
	 * size: 200 + 8 + 64 + 4 + 8 + 8 = 292 -> 296; 6.1: 200 + 64 + 4 + 8 + 8
	 * = 284 -> 288. */
	assert_int_equal(slab_geom_size(192, 8, SG_RED_ZONE | SG_STORE_USER | SG_KMALLOC, &p, &s), 0);
	assert_int_equal(s, 296);
	assert_int_equal(slab_geom_size(192, 8, SG_RED_ZONE | SG_STORE_USER | SG_KMALLOC, &old, &s), 0);
	assert_int_equal(s, 288);
	assert_int_equal(slab_geom_size(4, 8, SG_RED_ZONE, &p, &s), 0);
	assert_int_equal(s, 32);
	/* Debug caches have no per-CPU partial slabs. */
	{
		struct slab_geom g;

		geom(100, 8, SG_RED_ZONE, SLAB_RULE_6_7, &g);
		assert_int_equal(g.cpu_partial, 0);
	}
}

/* Where the two rules differ: 11000 bytes.  6.7: max_objects =
 * 32768 / 11000 = 2, min_order = get_order(22000) = 3; 32768 % 11000 =
 * 10768 passes only at fraction 2 (<= 16384): order 3, 2 objects.  6.1:
 * min_objects 2 at order 3 fails fractions 16, 8, 4 (10768 > 8192); with 1
 * object any waste goes from get_order(11000) = 2: order 2, 1 object. */
static void test_rules_differ(void **state)
{
	struct slab_geom g;

	(void)state;
	geom(11000, 8, 0, SLAB_RULE_6_7, &g);
	assert_int_equal(g.order, 3);
	assert_int_equal(g.objs_per_slab, 2);
	geom(11000, 8, 0, SLAB_RULE_6_1, &g);
	assert_int_equal(g.order, 2);
	assert_int_equal(g.objs_per_slab, 1);
	/* Where they agree: kmalloc-192 and task_struct. */
	geom(192, 64, 0, SLAB_RULE_6_1, &g);
	assert_int_equal(g.order, 0);
	geom(5888, 64, 0, SLAB_RULE_6_1, &g);
	assert_int_equal(g.order, 3);
	assert_int_equal(slab_rule_for_release("6.1.0-18-amd64"), SLAB_RULE_6_1);
	assert_int_equal(slab_rule_for_release("6.6.30"), SLAB_RULE_6_1);
	assert_int_equal(slab_rule_for_release("6.7.0"), SLAB_RULE_6_7);
	assert_int_equal(slab_rule_for_release("6.18.44-fc-v1252"), SLAB_RULE_6_7);
	assert_int_equal(slab_rule_for_release("4.18.0"), SLAB_RULE_6_1);
	assert_int_equal(slab_rule_for_release(""), SLAB_RULE_6_7);
}

/* Objects larger than a max-order slab (32 KiB): 40000 bytes.  6.7:
 * min_objects = max(32768/40000, 1) = 1, min_order = get_order(40000) =
 * 4 > 3, so no fraction finds an order: get_order(40000) = 4, 1 object.
 * 6.1: min_objects 0 skips the loop; up to order 3 nothing; up to
 * MAX_ORDER from order 4: 65536 % 40000 <= 65536: order 4. */
static void test_larger_than_max_order(void **state)
{
	struct slab_geom g;

	(void)state;
	geom(40000, 8, 0, SLAB_RULE_6_7, &g);
	assert_int_equal(g.order, 4);
	assert_int_equal(g.objs_per_slab, 1);
	assert_int_equal(g.leftover, 65536 - 40000);
	geom(40000, 8, 0, SLAB_RULE_6_1, &g);
	assert_int_equal(g.order, 4);
	assert_int_equal(g.objs_per_slab, 1);
}

/* The largest order: 4 MiB is order 10 (MAX_PAGE_ORDER), one object; a
 * byte more fits no order. */
static void test_largest_order(void **state)
{
	struct slab_geom_params p = P(SLAB_RULE_6_7), old = P(SLAB_RULE_6_1);
	unsigned o;

	(void)state;
	assert_int_equal(slab_geom_order(4194304, &p, &o), 0);
	assert_int_equal(o, 10);
	assert_int_equal(slab_geom_order(4194304, &old, &o), 0);
	assert_int_equal(o, 10);
	assert_int_equal(slab_geom_order(4194312, &p, &o), -E2BIG);
	assert_int_equal(slab_geom_order(4194312, &old, &o), -E2BIG);
	/* 2 MiB + 8: order 10 holds one. */
	assert_int_equal(slab_geom_order(2097160, &p, &o), 0);
	assert_int_equal(o, 10);
}

/* CPU count and the boot settings.  1 CPU: min_objects 8; 4: 16; 64: 32.
 * 256 bytes with 64 CPUs: 32 x 256 = 8192 -> order 1 (16 x 2 = 32 objects);
 * with 2 CPUs order 0 (16 objects).  slub_min_order=2 forces order 2 (64);
 * slub_max_order=0 with 4000-byte objects: min_objects 1, order 0 passes
 * at fraction 16 (96 <= 256): 1 object.  slub_min_objects=4 for 1128:
 * get_order(4512) = 1; 8192 % 1128 = 296 <= 512: order 1, 7 objects. */
static void test_settings(void **state)
{
	struct slab_geom_params p;
	unsigned o;

	(void)state;
	slab_geom_defaults(&p, 64, SLAB_RULE_6_7);
	assert_int_equal(slab_geom_order(256, &p, &o), 0);
	assert_int_equal(o, 1);
	slab_geom_defaults(&p, 2, SLAB_RULE_6_7);
	assert_int_equal(slab_geom_order(256, &p, &o), 0);
	assert_int_equal(o, 0);
	p.min_order = 2;
	assert_int_equal(slab_geom_order(256, &p, &o), 0);
	assert_int_equal(o, 2);
	slab_geom_defaults(&p, 2, SLAB_RULE_6_7);
	p.max_order = 0;
	assert_int_equal(slab_geom_order(4000, &p, &o), 0);
	assert_int_equal(o, 0);
	slab_geom_defaults(&p, 2, SLAB_RULE_6_7);
	p.min_objects = 4;
	assert_int_equal(slab_geom_order(1128, &p, &o), 0);
	assert_int_equal(o, 1);
	{
		struct slab_geom g;

		slab_geom_defaults(&p, 1, SLAB_RULE_6_7);
		assert_int_equal(slab_geom_compute(64, 8, 0, &p, &g), 0);
		assert_int_equal(g.min_objects, 8);
		slab_geom_defaults(&p, 4, SLAB_RULE_6_7);
		assert_int_equal(slab_geom_compute(64, 8, 0, &p, &g), 0);
		assert_int_equal(g.min_objects, 16);
		slab_geom_defaults(&p, 64, SLAB_RULE_6_7);
		assert_int_equal(slab_geom_compute(64, 8, 0, &p, &g), 0);
		assert_int_equal(g.min_objects, 32);
	}
	/* The command line. */
	slab_geom_defaults(&p, 2, SLAB_RULE_6_7);
	{
		const char *cl = "BOOT_IMAGE=/vmlinuz slub_min_order=1 quiet slab_max_order=5 slub_min_objects=20 slab_min_order=x\n";

		assert_int_equal(slab_geom_cmdline(cl, strlen(cl), &p), 3);
		assert_int_equal(p.min_order, 1);
		assert_int_equal(p.max_order, 5);
		assert_int_equal(p.min_objects, 20);
	}
}

static void test_cpulist(void **state)
{
	unsigned n;

	(void)state;
	assert_int_equal(slab_geom_cpulist("0-1\n", 4, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(slab_geom_cpulist("0,2-5,7\n", 8, &n), 0);
	assert_int_equal(n, 6);
	assert_int_equal(slab_geom_cpulist("0", 1, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(slab_geom_cpulist("", 0, &n), -EINVAL);
	assert_int_equal(slab_geom_cpulist("3-1", 3, &n), -EINVAL);
	assert_int_equal(slab_geom_cpulist("0,", 2, &n), -EINVAL);
	assert_int_equal(slab_geom_cpulist("a", 1, &n), -EINVAL);
}

static void test_kmalloc_classes(void **state)
{
	(void)state;
	assert_int_equal(slab_kmalloc_class(1), 8);
	assert_int_equal(slab_kmalloc_class(65), 96);
	assert_int_equal(slab_kmalloc_class(97), 128);
	assert_int_equal(slab_kmalloc_class(129), 192);
	assert_int_equal(slab_kmalloc_class(193), 256);
	assert_int_equal(slab_kmalloc_class(200), 256);
	assert_int_equal(slab_kmalloc_class(4097), 8192);
	assert_int_equal(slab_kmalloc_class(8192), 8192);
	assert_int_equal(slab_kmalloc_class(8193), 0);
	assert_int_equal(slab_kmalloc_class(0), 0);
}

/* slab_geom_check() on records shaped like sysfs. */
static void test_check(void **state)
{
	struct slab_geom_params p = P(SLAB_RULE_6_7);
	struct slab_cache c;
	struct slab_geom_check ck;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.name = (char *)"kmalloc-192";
	c.sys = SYS_OBJECT_SIZE | SYS_SLAB_SIZE | SYS_ALIGN | SYS_ORDER | SYS_OBJS_PER_SLAB | SYS_FLAGS |
		SYS_MIN_PARTIAL | SYS_CPU_PARTIAL;
	c.object_size = 192;
	c.slab_size = 192;
	c.align = 64;
	c.order = 0;
	c.objs_per_slab = 21;
	c.min_partial = 5;
	c.cpu_partial = 120;
	slab_geom_check(&c, &p, &ck);
	assert_true(ck.checkable);
	assert_int_equal(ck.mismatch, 0);
	assert_true(ck.flags & SG_KMALLOC);
	/* A wrong order is found, and a changed tunable is told apart. */
	c.order = 1;
	c.cpu_partial = 30;
	slab_geom_check(&c, &p, &ck);
	assert_int_equal(ck.mismatch, SGC_ORDER | SGC_CPU_PARTIAL);
	/* vm_area_struct: RCU, 192 in 192: the declared-offset layout. */
	c.name = (char *)"vm_area_struct";
	c.order = 0;
	c.cpu_partial = 120;
	c.flags = SF_DESTROY_BY_RCU | SF_HWCACHE_ALIGN;
	slab_geom_check(&c, &p, &ck);
	assert_int_equal(ck.mismatch, 0);
	assert_true(ck.freeptr_offset);
	/* Without sysfs: not checkable. */
	c.sys = 0;
	slab_geom_check(&c, &p, &ck);
	assert_false(ck.checkable);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kmalloc_192),
		cmocka_unit_test(test_tiny),
		cmocka_unit_test(test_ctor_moves_freeptr),
		cmocka_unit_test(test_task_struct),
		cmocka_unit_test(test_hwcache_align),
		cmocka_unit_test(test_debug_layout),
		cmocka_unit_test(test_rules_differ),
		cmocka_unit_test(test_larger_than_max_order),
		cmocka_unit_test(test_largest_order),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_cpulist),
		cmocka_unit_test(test_kmalloc_classes),
		cmocka_unit_test(test_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
