/*
 * test-load.c - machine_load() over the fixture roots: which inputs load,
 * why the others do not, the page size and where it came from, and the
 * zone view that joins buddyinfo, zoneinfo and pagetypeinfo.
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

#include "model/memsum.h"
#include "model/zones.h"
#include "parse/load.h"

static void load_root(const char *name, struct machine *m)
{
	char root[512];
	struct source *src;

	snprintf(root, sizeof(root), "%s/roots/%s", FIXTURES, name);
	assert_int_equal(source_open(root, &src), 0);
	assert_int_equal(machine_load(src, IN_ALL, m), 0);
	source_free(src);
}

static void x86_64_618_complete(void **state)
{
	struct machine m;
	struct zone_view *zv;
	size_t n;

	(void)state;
	load_root("x86_64-6.18", &m);
	/* Every input but sys/kernel/slab, which this capture does not have
	 * (x86_64-6.18-slab does: test-slabsys.c). */
	for (int id = 0; id < IN__COUNT; id++)
		assert_true(m.in[id].loaded || id == IN_SLABSYS);
	assert_int_equal(m.in[IN_SLABSYS].err, -ENOENT);
	assert_int_equal(m.slab.n, 235);
	assert_false(m.live);
	/* No manifest: inferred from meminfo kB against vmstat pages. */
	assert_int_equal(m.page_size, 4096);
	assert_int_equal(m.page_size_src, PAGE_SIZE_INFERRED);
	assert_string_equal(m.kernel_release, "6.18.44-fc-v657");
	assert_int_equal(m.vmstat.n, 192);
	assert_int_equal(m.buddy.n, 3);
	assert_int_equal(m.buddy.nr_orders, 11);
	assert_int_equal(m.buddy.z[2].free[10], 127);
	assert_int_equal(m.vm.min_free_kbytes, 67584);
	assert_int_equal(m.vm.nr_lowmem_reserve_ratio, 5);
	assert_int_equal(m.numa.n, 1);
	assert_int_equal(m.numa.nodes[0].nr_hp, 2);
	assert_true(m.numa.nodes[0].has_meminfo);
	/* Zone view: the three populated zones, all joined. */
	assert_int_equal(zones_collect(&m.buddy, &m.zi, &m.pt, &zv, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(zv[2].name, "Normal");
	assert_int_equal(zv[2].index, 2);
	assert_non_null(zv[2].bz);
	assert_non_null(zv[2].zi);
	assert_non_null(zv[2].pz);
	free(zv);
	machine_free(&m);
}

static void manifest_page_size(void **state)
{
	struct machine m;

	(void)state;
	load_root("arm64-64k-numa4", &m);
	assert_int_equal(m.page_size, 65536);
	assert_int_equal(m.page_size_src, PAGE_SIZE_MANIFEST);
	assert_true(m.in[IN_BUDDYINFO].loaded);
	assert_int_equal(m.buddy.nr_orders, 14);
	assert_false(m.in[IN_ZONEINFO].loaded);
	assert_int_equal(m.in[IN_ZONEINFO].err, -ENOENT);
	assert_false(m.in[IN_ZONEINFO].parse_error);
	machine_free(&m);
}

static void assumed_page_size(void **state)
{
	struct machine m;

	(void)state;
	/* 2.6 i386: meminfo but no vmstat, so nothing to infer from. */
	load_root("i386-highmem-2.6", &m);
	assert_int_equal(m.page_size, 4096);
	assert_int_equal(m.page_size_src, PAGE_SIZE_ASSUMED);
	assert_true(m.in[IN_MEMINFO].loaded);
	assert_false(m.in[IN_VMSTAT].loaded);
	machine_free(&m);
	/* 3.4 ARM HighMem: meminfo and vmstat give 4 KiB. */
	load_root("arm32-highmem-3.4", &m);
	assert_int_equal(m.page_size, 4096);
	assert_int_equal(m.page_size_src, PAGE_SIZE_INFERRED);
	assert_int_equal(m.pt.pageblock_order, 10);
	machine_free(&m);
}

static void malformed_input_is_recorded(void **state)
{
	struct machine m;

	(void)state;
	load_root("bad-zoneinfo", &m);
	assert_false(m.in[IN_ZONEINFO].loaded);
	assert_true(m.in[IN_ZONEINFO].parse_error);
	assert_int_equal(m.in[IN_ZONEINFO].err, -EINVAL);
	assert_int_equal(m.in[IN_ZONEINFO].perr.line, 7);
	assert_ptr_equal(m.in[IN_ZONEINFO].perr.file, m.in[IN_ZONEINFO].path);
	assert_non_null(strstr(m.in[IN_ZONEINFO].path, "bad-zoneinfo/proc/zoneinfo"));
	/* The other inputs still load. */
	assert_true(m.in[IN_BUDDYINFO].loaded);
	assert_true(m.in[IN_MEMINFO].loaded);
	machine_free(&m);

	load_root("bad-truncated", &m);
	assert_true(m.in[IN_BUDDYINFO].parse_error);
	assert_int_equal(m.in[IN_BUDDYINFO].perr.line, 2);
	machine_free(&m);
}

static void empty_root(void **state)
{
	struct machine m;

	(void)state;
	load_root("empty", &m);
	for (int id = 0; id < IN__COUNT; id++) {
		assert_false(m.in[id].loaded);
		assert_int_equal(m.in[id].err, -ENOENT);
	}
	assert_int_equal(m.page_size_src, PAGE_SIZE_ASSUMED);
	assert_string_equal(m.kernel_release, "");
	machine_free(&m);
}

static void numa_zones_without_buddyinfo(void **state)
{
	struct machine m;
	struct zone_view *zv;
	size_t n;

	(void)state;
	load_root("numa2-5.x", &m);
	assert_false(m.in[IN_BUDDYINFO].loaded);
	assert_int_equal(m.zi.n, 10);
	/* Populated: node 0 DMA, DMA32, Normal and node 1 Normal. */
	assert_int_equal(zones_collect(NULL, &m.zi, NULL, &zv, &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(zv[3].node, 1);
	assert_string_equal(zv[3].name, "Normal");
	assert_int_equal(zv[3].index, 2);
	assert_null(zv[3].bz);
	free(zv);
	machine_free(&m);
}

static void memsum_rules(void **state)
{
	struct machine m;
	struct mem_summary s;

	(void)state;
	/* 2006 i386: no MemAvailable, no SReclaimable: the classic rule. */
	load_root("i386-highmem-2.6", &m);
	mem_summary_compute(&m.meminfo, &s);
	assert_false(s.have & MS_AVAILABLE);
	assert_true(s.have & MS_USED);
	assert_string_equal(s.used_rule, "MemTotal - MemFree - Buffers - Cached");
	/* 2066592 - 218552 - 86280 - 1514824 = 246936 kB */
	assert_int_equal(s.used, 246936ull * 1024);
	assert_int_equal(s.buff_cache, (86280ull + 1514824) * 1024);
	machine_free(&m);
	/* 6.18: MemTotal - MemAvailable, like free(1) 4.x. */
	load_root("x86_64-6.18", &m);
	mem_summary_compute(&m.meminfo, &s);
	assert_string_equal(s.used_rule, "MemTotal - MemAvailable");
	assert_int_equal(s.used, s.total - s.available);
	machine_free(&m);
}

static void page_size_inference(void **state)
{
	struct meminfo mi = { 0 };
	struct kvlist vm = { 0 };
	struct meminfo_field f[2] = { { "AnonPages", 1024, true, 1 }, { "Mapped", 512, true, 2 } };
	uint64_t ps = 0;

	(void)state;
	mi.f = f;
	mi.n = 2;
	/* 1536 kB over 24 pages = 64 KiB pages. */
	assert_int_equal(kvlist_add(&vm, "nr_anon_pages", 13, 16), 0);
	assert_int_equal(kvlist_add(&vm, "nr_mapped", 9, 8), 0);
	assert_true(page_size_infer(&mi, &vm, &ps));
	assert_int_equal(ps, 65536);
	/* Slightly off (counters read at different instants) still rounds right. */
	vm.items[0].value = 17;
	assert_true(page_size_infer(&mi, &vm, &ps));
	assert_int_equal(ps, 65536);
	/* Nothing to compare: no answer. */
	vm.items[0].value = 0;
	vm.items[1].value = 0;
	assert_false(page_size_infer(&mi, &vm, &ps));
	kvlist_free(&vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(x86_64_618_complete),
		cmocka_unit_test(manifest_page_size),
		cmocka_unit_test(assumed_page_size),
		cmocka_unit_test(malformed_input_is_recorded),
		cmocka_unit_test(empty_root),
		cmocka_unit_test(numa_zones_without_buddyinfo),
		cmocka_unit_test(memsum_rules),
		cmocka_unit_test(page_size_inference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
