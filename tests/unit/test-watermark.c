/*
 * test-watermark.c - wmark_compute(): the watermarks and protection
 * arrays recomputed from managed pages and the vm sysctls.
 *
 * Every fixture root that carries proc/sys/vm (captured on the test VM
 * with different sysctl settings, see roots/README.md) must match its
 * zoneinfo exactly.  Small hand-worked cases cover what those roots
 * cannot: HighMem clamped to 32 and to 128, a populated Movable zone, a
 * zone without managed pages, ratio 0, boost, 64 KiB pages, the old
 * one-fewer ratio count, two nodes, a deliberate mismatch, and every
 * reason a zone cannot be checked.  The expected numbers were worked out
 * by hand from the rules in reference/kernel.md section 2.2 (arithmetic
 * in the comment above each case).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fixture.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis/watermark.h"
#include "parse/load.h"
#include "parse/parse.h"

#ifndef FIXTURES
#error "FIXTURES must be set to the absolute path of tests/fixtures"
#endif

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- fixture roots ------------------------------------------------------ */

static void load_root(const char *name, struct machine *m)
{
	char root[512];
	struct source *src;

	snprintf(root, sizeof(root), "%s/roots/%s", FIXTURES, name);
	assert_int_equal(source_open(root, &src), 0);
	assert_int_equal(machine_load(src, IN_BIT(IN_ZONEINFO) | IN_BIT(IN_SYSVM), m), 0);
	source_free(src);
}

static void fail_zone(const char *root, const struct zone_info *z, const struct wmark_zone *w)
{
	char cp[FS_MAX_ZONES * 24] = "", zp[FS_MAX_ZONES * 24] = "";
	size_t a = 0, b = 0;

	for (unsigned k = 0; k < w->nr_protection; k++)
		a += (size_t)snprintf(cp + a, sizeof(cp) - a, " %llu", (unsigned long long)w->protection[k]);
	for (unsigned k = 0; k < z->nr_protection; k++)
		b += (size_t)snprintf(zp + b, sizeof(zp) - b, " %llu", (unsigned long long)z->protection[k]);
	fail_msg("%s: node %d zone %s: status %d (%s); computed min/low/high/promo %llu/%llu/%llu/%llu "
		 "+ boost %llu, zoneinfo %llu/%llu/%llu/%llu; protection computed [%s ] zoneinfo [%s ]",
		 root, z->node, z->name, (int)w->status, wmark_status_reason(w->status),
		 (unsigned long long)w->min, (unsigned long long)w->low,
		 (unsigned long long)w->high, (unsigned long long)w->promo,
		 (unsigned long long)z->boost, (unsigned long long)z->min,
		 (unsigned long long)z->low, (unsigned long long)z->high,
		 (unsigned long long)z->promo, cp, zp);
}

/* The whole root must check out: every zone OK, every value equal. */
static void check_root_matches(const char *name)
{
	struct wmark_result r;
	struct machine m;

	load_root(name, &m);
	assert_true(m.in[IN_ZONEINFO].loaded);
	assert_true(m.in[IN_SYSVM].loaded);
	assert_int_equal(wmark_compute(&m.zi, &m.vm, m.page_size, &r), 0);
	assert_int_equal(r.n, m.zi.n);
	for (size_t i = 0; i < r.n; i++)
		if (r.z[i].status != WMARK_OK || !r.z[i].wmark_match || !r.z[i].protection_match)
			fail_zone(name, &m.zi.z[i], &r.z[i]);
	assert_int_equal(r.checked, m.zi.n);
	assert_int_equal(r.mismatches, 0);
	assert_int_equal(r.pages_min, (uint64_t)m.vm.min_free_kbytes >> 2);
	wmark_result_free(&r);
	machine_free(&m);
}

static bool has_sysctls(const char *root)
{
	char path[1024];
	struct stat st;

	snprintf(path, sizeof(path), "%s/roots/%s/proc/sys/vm/min_free_kbytes", FIXTURES, root);
	return stat(path, &st) == 0;
}

/* Every root with sysctls, except the deliberately broken bad-* ones. */
static void all_roots_with_sysctls_match(void **state)
{
	char dir[512];
	struct dirent *de;
	unsigned n = 0;
	DIR *d;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/roots", FIXTURES);
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strncmp(de->d_name, "bad-", 4) == 0 ||
		    !has_sysctls(de->d_name))
			continue;
		check_root_matches(de->d_name);
		n++;
	}
	closedir(d);
	/* x86_64-6.18 and the four captures with changed sysctls. */
	assert_true(n >= 5);
}

/*
 * x86_64-6.18 by hand: min_free_kbytes 67584 -> pages_min 16896;
 * lowmem_pages = 3840 + 772917 + 393216 = 1169973.
 * DMA: tmp = 16896 * 3840 / 1169973 = 55; dist = max(13, 3) = 13.
 * Normal: tmp = 16896 * 393216 / 1169973 = 5678; dist = max(1419, 393).
 * Movable (empty): min = clamp(0, 32, 128) = 32, dist 0.
 * DMA protection: 772917 / 256 = 3019, (772917 + 393216) / 256 = 4555.
 */
static void x86_64_618_by_hand(void **state)
{
	struct wmark_result r;
	struct machine m;

	(void)state;
	load_root("x86_64-6.18", &m);
	assert_int_equal(wmark_compute(&m.zi, &m.vm, m.page_size, &r), 0);
	assert_int_equal(r.pages_min, 16896);
	assert_int_equal(r.lowmem_pages, 1169973);
	assert_int_equal(r.z[0].min, 55);
	assert_int_equal(r.z[0].low, 68);
	assert_int_equal(r.z[0].promo, 94);
	assert_int_equal(r.z[0].nr_protection, 5);
	assert_int_equal(r.z[0].protection[1], 3019);
	assert_int_equal(r.z[0].protection[4], 4555);
	assert_int_equal(r.z[2].min, 5678);
	assert_int_equal(r.z[2].high, 8516);
	assert_string_equal(m.zi.z[3].name, "Movable");
	assert_int_equal(r.z[3].min, 32);
	assert_int_equal(r.z[3].promo, 32);
	assert_string_equal(m.zi.z[4].name, "Device");
	assert_int_equal(r.z[4].min, 0);
	assert_int_equal(r.checked, 5);
	wmark_result_free(&r);
	machine_free(&m);
}

/* The hand-edited root: DMA32's low watermark raised by one in zoneinfo. */
static void bad_watermark_root(void **state)
{
	struct wmark_result r;
	struct machine m;

	(void)state;
	load_root("bad-watermark", &m);
	assert_int_equal(wmark_compute(&m.zi, &m.vm, m.page_size, &r), 0);
	assert_int_equal(r.checked, 5);
	assert_int_equal(r.mismatches, 1);
	assert_string_equal(m.zi.z[1].name, "DMA32");
	assert_int_equal(r.z[1].status, WMARK_OK);
	assert_false(r.z[1].wmark_match);
	assert_true(r.z[1].protection_match);
	assert_int_equal(r.z[1].mismatch, WMARK_DIFF_LOW);
	assert_int_equal(r.z[1].low + 1, m.zi.z[1].low);
	wmark_result_free(&r);
	machine_free(&m);
}

/* numa2-5.x has zoneinfo but no sysctls: nothing can be checked. */
static void root_without_sysctls(void **state)
{
	struct wmark_result r;
	struct machine m;

	(void)state;
	load_root("numa2-5.x", &m);
	assert_false(m.in[IN_SYSVM].loaded);
	assert_int_equal(wmark_compute(&m.zi, &m.vm, m.page_size, &r), 0);
	assert_int_equal(r.n, 10);
	for (size_t i = 0; i < r.n; i++)
		assert_int_equal(r.z[i].status, WMARK_NO_SYSCTL);
	assert_int_equal(r.checked, 0);
	assert_int_equal(r.mismatches, 0);
	wmark_result_free(&r);
	machine_free(&m);
}

/* ---- hand-built zoneinfo ------------------------------------------------- */

/* One zone of a synthetic zoneinfo, with the values the kernel would
 * print (the expected recomputation, before boost). */
struct zcase {
	int node;
	const char *name;
	uint64_t managed;
	uint64_t min, low, high, promo;
	uint64_t prot[FS_MAX_ZONES];
	uint64_t boost;
};

/* Build zi from cases: indices are positions within each node and every
 * zone of a node prints as many protection entries as the node has zones
 * (a 4.12+ zoneinfo).  zoneinfo's marks are the expected ones + boost. */
static void build(struct zoneinfo *zi, struct zone_info *z, const struct zcase *c, size_t n)
{
	memset(zi, 0, sizeof(*zi));
	memset(z, 0, n * sizeof(*z));
	for (size_t i = 0; i < n; i++) {
		unsigned nz = 0, idx = 0;

		for (size_t k = 0; k < n; k++)
			if (c[k].node == c[i].node)
				nz++;
		for (size_t k = 0; k < i; k++)
			if (c[k].node == c[i].node)
				idx++;
		z[i].node = c[i].node;
		snprintf(z[i].name, sizeof(z[i].name), "%s", c[i].name);
		z[i].index = idx;
		z[i].have = ZI_MANAGED | ZI_PRESENT | ZI_BOOST | ZI_MIN | ZI_LOW | ZI_HIGH | ZI_PROMO |
			    ZI_PROTECTION;
		z[i].managed = z[i].present = c[i].managed;
		z[i].boost = c[i].boost;
		z[i].min = c[i].min + c[i].boost;
		z[i].low = c[i].low + c[i].boost;
		z[i].high = c[i].high + c[i].boost;
		z[i].promo = c[i].promo + c[i].boost;
		memcpy(z[i].protection, c[i].prot, sizeof(c[i].prot));
		z[i].nr_protection = nz;
	}
	zi->z = z;
	zi->n = n;
}

static struct sysvm make_vm(int64_t min_free_kbytes, int64_t wsf, const int64_t *ratio, unsigned nratio)
{
	struct sysvm vm = { 0 };

	vm.have = SYSVM_MIN_FREE_KBYTES | SYSVM_WATERMARK_SCALE_FACTOR | SYSVM_LOWMEM_RESERVE_RATIO;
	vm.min_free_kbytes = min_free_kbytes;
	vm.watermark_scale_factor = wsf;
	memcpy(vm.lowmem_reserve_ratio, ratio, nratio * sizeof(*ratio));
	vm.nr_lowmem_reserve_ratio = nratio;
	return vm;
}

/* Run the recomputation and require every zone to equal its case. */
static void expect_cases(const struct zcase *c, size_t n, const struct sysvm *vm, uint64_t page_size,
			 uint64_t pages_min, uint64_t lowmem_pages)
{
	struct zone_info z[16];
	struct zoneinfo zi;
	struct wmark_result r;

	assert_true(n <= ARRAY_LEN(z));
	build(&zi, z, c, n);
	assert_int_equal(wmark_compute(&zi, vm, page_size, &r), 0);
	assert_int_equal(r.pages_min, pages_min);
	assert_int_equal(r.lowmem_pages, lowmem_pages);
	for (size_t i = 0; i < n; i++) {
		const struct wmark_zone *w = &r.z[i];

		if (w->status != WMARK_OK || w->min != c[i].min || w->low != c[i].low ||
		    w->high != c[i].high || w->promo != c[i].promo || w->mismatch ||
		    memcmp(w->protection, c[i].prot, w->nr_protection * sizeof(uint64_t)))
			fail_zone("synthetic", &z[i], w);
		assert_true(w->wmark_match);
		assert_true(w->protection_match);
	}
	assert_int_equal(r.checked, n);
	assert_int_equal(r.mismatches, 0);
	wmark_result_free(&r);
}

/*
 * 32-bit layout, every zone populated.  min_free_kbytes 4000 -> 1000
 * pages; lowmem_pages = DMA + Normal = 3000 + 200000 = 203000; wsf 10.
 * DMA:     tmp = 1000*3000/203000 = 14; dist = max(3, 3) = 3.
 * Normal:  tmp = 985; dist = max(246, 200) = 246.
 * HighMem: 500000/1024 = 488 -> clamped to 128; tmp = 2463;
 *          dist = max(615, 500) = 615.
 * Movable: 20000/1024 = 19 -> clamped to 32; tmp = 98; dist = max(24, 20).
 * Ratios 256 32 0 0:
 * DMA:    [0, 200000/256, 700000/256, 720000/256] = [0, 781, 2734, 2812]
 * Normal: [0, 0, 500000/32, 520000/32] = [0, 0, 15625, 16250]
 * HighMem ratio 0 and Movable (top zone): all 0.
 */
static const struct zcase highmem_cases[] = {
	{ 0, "DMA", 3000, 14, 17, 20, 23, { 0, 781, 2734, 2812 }, 0 },
	{ 0, "Normal", 200000, 985, 1231, 1477, 1723, { 0, 0, 15625, 16250 }, 0 },
	{ 0, "HighMem", 500000, 128, 743, 1358, 1973, { 0 }, 0 },
	{ 0, "Movable", 20000, 32, 56, 80, 104, { 0 }, 0 },
};
static const int64_t ratio_highmem[] = { 256, 32, 0, 0 };

static void highmem_clamp_128_and_movable(void **state)
{
	struct sysvm vm = make_vm(4000, 10, ratio_highmem, 4);

	(void)state;
	expect_cases(highmem_cases, ARRAY_LEN(highmem_cases), &vm, 4096, 1000, 203000);
	/* Before about 4.18 the sysctl had no value for the top zone. */
	vm = make_vm(4000, 10, ratio_highmem, 3);
	expect_cases(highmem_cases, ARRAY_LEN(highmem_cases), &vm, 4096, 1000, 203000);
}

/*
 * A zone with no managed pages, a small HighMem, an empty Movable,
 * watermark_scale_factor 100 and 64 KiB pages.  min_free_kbytes 16384 ->
 * 16384 >> 6 = 256 pages; lowmem_pages = 0 + 100000.
 * DMA (empty): tmp 0, min 0, dist 0; protection 0 although its ratio is 256.
 * Normal:  tmp = 256; dist = max(64, 100000*100/10000 = 1000) = 1000.
 * HighMem: 10000/1024 = 9 -> clamped to 32; tmp = 25; dist = max(6, 100).
 * Movable (empty): 32, dist 0.
 * Normal protection: [0, 0, 10000/32, 10000/32] = [0, 0, 312, 312].
 */
static const struct zcase small_cases[] = {
	{ 0, "DMA", 0, 0, 0, 0, 0, { 0 }, 0 },
	{ 0, "Normal", 100000, 256, 1256, 2256, 3256, { 0, 0, 312, 312 }, 0 },
	{ 0, "HighMem", 10000, 32, 132, 232, 332, { 0 }, 0 },
	{ 0, "Movable", 0, 32, 32, 32, 32, { 0 }, 0 },
};

static void highmem_clamp_32_empty_zone(void **state)
{
	struct sysvm vm = make_vm(16384, 100, ratio_highmem, 4);

	(void)state;
	expect_cases(small_cases, ARRAY_LEN(small_cases), &vm, 65536, 256, 100000);
}

/*
 * Two nodes: lowmem_pages sums both (4000 + 100000 + 300000 = 404000),
 * protection stays within each node.  min_free_kbytes 8080 -> 2020 pages.
 * 0/DMA:    tmp = 2020*4000/404000 = 20; dist = max(5, 4) = 5.
 * 0/Normal: tmp = 500; dist = max(125, 100) = 125.
 * 1/DMA (empty): 0.  1/Normal: tmp = 1500; dist = max(375, 300) = 375.
 * Ratios 256 32: node 0 DMA [0, 100000/256] = [0, 390]; node 1 DMA is empty.
 */
static const struct zcase numa_cases[] = {
	{ 0, "DMA", 4000, 20, 25, 30, 35, { 0, 390 }, 0 },
	{ 0, "Normal", 100000, 500, 625, 750, 875, { 0, 0 }, 0 },
	{ 1, "DMA", 0, 0, 0, 0, 0, { 0, 0 }, 0 },
	{ 1, "Normal", 300000, 1500, 1875, 2250, 2625, { 0, 0 }, 0 },
};
static const int64_t ratio_two[] = { 256, 32 };

static void two_nodes(void **state)
{
	struct sysvm vm = make_vm(8080, 10, ratio_two, 2);

	(void)state;
	expect_cases(numa_cases, ARRAY_LEN(numa_cases), &vm, 4096, 2020, 404000);
}

/* Ratio 0 on a populated middle zone: DMA's sums still include it (the
 * 6.x rule; 5.8-5.10 left it out). */
static void ratio_zero_middle(void **state)
{
	static const int64_t ratio[] = { 100, 0, 10, 0 };
	/* DMA 1000, DMA32 50000, Normal 40000, Movable 0; pages_min 910,
	 * lowmem 91000.  DMA: tmp 10, dist max(2, 1) = 2.  DMA32: tmp 500,
	 * dist 125.  Normal: tmp 400, dist 100.  Movable: 32.
	 * DMA: [0, 500, 900, 900]; DMA32 ratio 0; Normal: [0, 0, 0, 0/10]. */
	static const struct zcase c[] = {
		{ 0, "DMA", 1000, 10, 12, 14, 16, { 0, 500, 900, 900 }, 0 },
		{ 0, "DMA32", 50000, 500, 625, 750, 875, { 0 }, 0 },
		{ 0, "Normal", 40000, 400, 500, 600, 700, { 0 }, 0 },
		{ 0, "Movable", 0, 32, 32, 32, 32, { 0 }, 0 },
	};
	struct sysvm vm = make_vm(3640, 10, ratio, 4);

	(void)state;
	expect_cases(c, ARRAY_LEN(c), &vm, 4096, 910, 91000);
}

/* zoneinfo's marks include the boost; the recomputation is the base. */
static void boost_is_added(void **state)
{
	struct zcase c[ARRAY_LEN(highmem_cases)];
	struct sysvm vm = make_vm(4000, 10, ratio_highmem, 4);
	struct zone_info z[ARRAY_LEN(c)];
	struct zoneinfo zi;
	struct wmark_result r;

	(void)state;
	memcpy(c, highmem_cases, sizeof(c));
	c[1].boost = 3000;
	expect_cases(c, ARRAY_LEN(c), &vm, 4096, 1000, 203000);

	/* A kernel without boost (< 5.0): no line, nothing added. */
	build(&zi, z, c, ARRAY_LEN(c));
	z[1].have &= ~ZI_BOOST;
	z[1].boost = 0;
	z[1].min -= 3000;
	z[1].low -= 3000;
	z[1].high -= 3000;
	z[1].promo -= 3000;
	assert_int_equal(wmark_compute(&zi, &vm, 4096, &r), 0);
	assert_int_equal(r.mismatches, 0);
	wmark_result_free(&r);

	/* Boost ignored by the zoneinfo values: that is a mismatch. */
	build(&zi, z, c, ARRAY_LEN(c));
	z[1].min -= 3000;
	assert_int_equal(wmark_compute(&zi, &vm, 4096, &r), 0);
	assert_int_equal(r.mismatches, 1);
	assert_int_equal(r.z[1].mismatch, WMARK_DIFF_MIN);
	wmark_result_free(&r);
}

static void mismatch_detected(void **state)
{
	struct sysvm vm = make_vm(4000, 10, ratio_highmem, 4);
	struct zone_info z[ARRAY_LEN(highmem_cases)];
	struct zoneinfo zi;
	struct wmark_result r;

	(void)state;
	build(&zi, z, highmem_cases, ARRAY_LEN(highmem_cases));
	z[0].low++;
	z[2].protection[3]--;
	z[3].promo = 0;
	assert_int_equal(wmark_compute(&zi, &vm, 4096, &r), 0);
	assert_int_equal(r.checked, 4);
	assert_int_equal(r.mismatches, 3);
	assert_int_equal(r.z[0].status, WMARK_OK);
	assert_false(r.z[0].wmark_match);
	assert_true(r.z[0].protection_match);
	assert_int_equal(r.z[0].mismatch, WMARK_DIFF_LOW);
	assert_true(r.z[1].wmark_match && r.z[1].protection_match);
	assert_int_equal(r.z[1].mismatch, 0);
	assert_true(r.z[2].wmark_match);
	assert_false(r.z[2].protection_match);
	assert_int_equal(r.z[2].mismatch, WMARK_DIFF_PROTECTION);
	assert_int_equal(r.z[3].mismatch, WMARK_DIFF_PROMO);
	/* The computed values are the kernel's, not zoneinfo's. */
	assert_int_equal(r.z[0].low, 17);
	wmark_result_free(&r);

	/* promo is compared only when printed (6.12+). */
	build(&zi, z, highmem_cases, ARRAY_LEN(highmem_cases));
	z[3].promo = 0;
	z[3].have &= ~ZI_PROMO;
	assert_int_equal(wmark_compute(&zi, &vm, 4096, &r), 0);
	assert_int_equal(r.mismatches, 0);
	wmark_result_free(&r);
}

/* ---- zones that cannot be checked --------------------------------------- */

static void expect_all(const struct zoneinfo *zi, const struct sysvm *vm, enum wmark_status s)
{
	struct wmark_result r;

	assert_int_equal(wmark_compute(zi, vm, 4096, &r), 0);
	assert_int_equal(r.n, zi->n);
	for (size_t i = 0; i < r.n; i++)
		assert_int_equal(r.z[i].status, s);
	assert_int_equal(r.checked, 0);
	assert_int_equal(r.mismatches, 0);
	assert_true(wmark_status_reason(s)[0] != '\0');
	wmark_result_free(&r);
}

static void missing_sysctls(void **state)
{
	struct sysvm vm = make_vm(4000, 10, ratio_highmem, 4);
	struct zone_info z[ARRAY_LEN(highmem_cases)];
	struct zoneinfo zi;

	(void)state;
	build(&zi, z, highmem_cases, ARRAY_LEN(highmem_cases));
	expect_all(&zi, NULL, WMARK_NO_SYSCTL);
	vm.have &= ~SYSVM_LOWMEM_RESERVE_RATIO;
	expect_all(&zi, &vm, WMARK_NO_SYSCTL);
	vm = make_vm(4000, 10, ratio_highmem, 4);
	vm.have &= ~SYSVM_WATERMARK_SCALE_FACTOR;   /* kernels < 4.6 */
	expect_all(&zi, &vm, WMARK_NO_SYSCTL);
	vm = make_vm(-1, 10, ratio_highmem, 4);
	expect_all(&zi, &vm, WMARK_NO_SYSCTL);
	/* Two ratios cannot index four zones. */
	vm = make_vm(4000, 10, ratio_highmem, 2);
	expect_all(&zi, &vm, WMARK_BAD_RATIO);
}

static void parse_kernel_zoneinfo(const char *dir, struct zoneinfo *zi)
{
	struct parse_error perr = { 0 };
	char rel[256];
	size_t len = 0;
	char *buf;

	snprintf(rel, sizeof(rel), "kernel/%s/zoneinfo", dir);
	buf = fixture_read(rel, &len);
	memset(zi, 0, sizeof(*zi));
	if (zoneinfo_parse(buf, len, rel, zi, &perr) < 0)
		fail_msg("%s:%u: %s", rel, perr.line, perr.what);
	free(buf);
}

/* A 3.x-4.11 zoneinfo lists only populated zones: 3 zones, 4 protection
 * entries, so positions are not zone indices. */
static void populated_zones_only(void **state)
{
	struct sysvm vm = make_vm(67584, 10, ratio_highmem, 4);
	struct zone_info z[3];
	struct zoneinfo zi;

	(void)state;
	parse_kernel_zoneinfo("pcp-meminfo-root-001", &zi);
	assert_int_equal(zi.n, 3);
	assert_int_equal(zi.z[0].nr_protection, 4);
	assert_true(zi.z[0].have & ZI_MANAGED);
	expect_all(&zi, &vm, WMARK_NO_INDEX);
	zoneinfo_free(&zi);

	/* The same by hand: the empty Movable zone of highmem_cases missing. */
	build(&zi, z, highmem_cases, 3);
	for (int i = 0; i < 3; i++)
		z[i].nr_protection = 4;
	expect_all(&zi, &vm, WMARK_NO_INDEX);
}

/* 3.4 printed no managed: line, so lowmem_pages is unknown. */
static void no_managed(void **state)
{
	struct sysvm vm = make_vm(4000, 10, ratio_highmem, 4);
	struct zoneinfo zi;

	(void)state;
	parse_kernel_zoneinfo("GoCleverInsignia5-i5_info", &zi);
	assert_false(zi.z[0].have & ZI_MANAGED);
	expect_all(&zi, &vm, WMARK_NO_MANAGED);
	zoneinfo_free(&zi);
}

static void bad_page_size(void **state)
{
	struct sysvm vm = make_vm(4000, 10, ratio_highmem, 4);
	struct zone_info z[ARRAY_LEN(highmem_cases)];
	struct zoneinfo zi;
	struct wmark_result r = { .n = 42 };

	(void)state;
	build(&zi, z, highmem_cases, ARRAY_LEN(highmem_cases));
	assert_int_equal(wmark_compute(&zi, &vm, 0, &r), -EINVAL);
	assert_int_equal(wmark_compute(&zi, &vm, 512, &r), -EINVAL);
	assert_int_equal(wmark_compute(&zi, &vm, 3000, &r), -EINVAL);
	assert_int_equal(r.n, 42);  /* untouched on failure */
	/* An empty zoneinfo is fine: nothing to check. */
	memset(&zi, 0, sizeof(zi));
	assert_int_equal(wmark_compute(&zi, &vm, 4096, &r), 0);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.checked, 0);
	wmark_result_free(&r);
}

static void zone_kinds(void **state)
{
	(void)state;
	assert_true(wmark_zone_is_highmem_or_movable("HighMem"));
	assert_true(wmark_zone_is_highmem_or_movable("Movable"));
	assert_false(wmark_zone_is_highmem_or_movable("Normal"));
	assert_false(wmark_zone_is_highmem_or_movable("Device"));
	assert_false(wmark_zone_is_highmem_or_movable("DMA32"));
	assert_string_equal(wmark_status_reason(WMARK_OK), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(all_roots_with_sysctls_match),
		cmocka_unit_test(x86_64_618_by_hand),
		cmocka_unit_test(bad_watermark_root),
		cmocka_unit_test(root_without_sysctls),
		cmocka_unit_test(highmem_clamp_128_and_movable),
		cmocka_unit_test(highmem_clamp_32_empty_zone),
		cmocka_unit_test(two_nodes),
		cmocka_unit_test(ratio_zero_middle),
		cmocka_unit_test(boost_is_added),
		cmocka_unit_test(mismatch_detected),
		cmocka_unit_test(missing_sysctls),
		cmocka_unit_test(populated_zones_only),
		cmocka_unit_test(no_managed),
		cmocka_unit_test(bad_page_size),
		cmocka_unit_test(zone_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
