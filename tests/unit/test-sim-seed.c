/*
 * test-sim-seed.c - seeding the simulator from a machine's state
 * (sim/machine.c) on every fixture root that has zoneinfo and buddyinfo:
 * the synthesized layout must hold exactly the free blocks per order
 * (buddyinfo) and per order and migratetype (pagetypeinfo) it was asked
 * for, pageblocks of each type as pagetypeinfo counts them, and satisfy
 * the engine's invariants (no two free buddies, aligned, no overlap).
 * Then a few allocations through the zonelists, checked by hand on this
 * machine's capture.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"

#include "parse/load.h"
#include "parse/source.h"
#include "sim/machine.h"

static int load_root(const char *name, struct source **src, struct machine *m)
{
	char root[1024];

	snprintf(root, sizeof(root), "%s/roots/%s", FIXTURES, name);
	if (source_open(root, src) != 0)
		return -1;
	assert_int_equal(machine_load(*src, IN_ALL, m), 0);
	return 0;
}

/* Check one seeded machine against its inputs; returns zones checked. */
static size_t check_seed(const char *root, const struct machine *m, const struct sim_machine *sm,
			 size_t *retyped)
{
	char why[512];

	if (sim_machine_check(sm, why, sizeof(why)) != 0)
		fail_msg("%s: %s", root, why);
	for (size_t i = 0; i < sm->nz; i++) {
		const struct sim_zone *z = &sm->zones[i];
		const struct sim_seed_zone *sz = &sm->seed[i];
		const struct buddy_zone *bz = buddyinfo_find(&m->buddy, z->node, z->name);
		const struct pagetype_zone *pz = pagetypeinfo_find(&m->pt, z->node, z->name);

		assert_non_null(bz);
		for (unsigned o = 0; o < sm->nr_orders; o++) {
			for (int mt = 0; mt < SIM_NMT; mt++) {
				if (sz->unplaced[mt][o])
					fail_msg("%s node %d %s: %llu blocks of order %u (type %d) not placed", root,
						 z->node, z->name, (unsigned long long)sz->unplaced[mt][o], o, mt);
				assert_int_equal(z->nr_free[o][mt], sz->target[mt][o]);
				if (sz->retyped[mt][o]) {
					/* Only where the kernel let free pages drift (before 6.10). */
					assert_true(sm->am.kver_major < 6 ||
						    (sm->am.kver_major == 6 && sm->am.kver_minor < 10));
					(*retyped)++;
				}
			}
			/* buddyinfo, less what pagetypeinfo's later read saw differently. */
			assert_int_equal((int64_t)sim_zone_blocks(z, o) + sz->buddy_minus_types[o], bz->free[o]);
		}
		if (sz->per_mt) {
			for (unsigned k = 0; k < m->pt.nr_mt; k++) {
				enum alloc_mt mt = alloc_mt_from_name(m->pt.mt_names[k]);

				if (mt == MT_RESERVE)
					mt = MT_HIGHATOMIC;
				for (unsigned o = 0; o < sm->nr_orders && mt < SIM_NMT; o++)
					if (!pz->capped[k][o])
						assert_int_equal((int64_t)z->nr_free[o][mt] - sz->retyped[mt][o],
								 pz->free[k][o]);
			}
		}
		if (sz->pageblocks_from_file) {
			uint64_t want[SIM_NMT] = { 0 }, got[SIM_NMT + 1] = { 0 }, total = 0;
			size_t first = (size_t)((z->start - z->base) >> z->pb_order);
			size_t last = (size_t)((z->end - 1 - z->base) >> z->pb_order);

			for (unsigned k = 0; k < m->pt.nr_mt; k++) {
				enum alloc_mt mt = alloc_mt_from_name(m->pt.mt_names[k]);

				if (mt == MT_RESERVE)
					mt = MT_HIGHATOMIC;
				if (mt < SIM_NMT) {
					want[mt] += pz->blocks[k];
					total += pz->blocks[k];
				}
			}
			for (size_t pb = first; pb <= last; pb++)
				got[z->pbmt[pb]]++;
			/* Pageblocks the kernel did not count are holes. */
			assert_true(total <= last - first + 1);
			assert_int_equal(got[SIM_PB_HOLE], last - first + 1 - total);
			for (int mt = 0; mt < SIM_NMT; mt++)
				assert_int_equal(got[mt], want[mt]);
		}
	}
	return sm->nz;
}

static void test_every_root(void **state)
{
	char dir[1024];
	DIR *d;
	struct dirent *e;
	size_t roots = 0, zones = 0, retyped = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/roots", FIXTURES);
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d))) {
		struct source *src = NULL;
		struct machine m;
		struct sim_machine sm;
		int r;

		if (e->d_name[0] == '.' || strncmp(e->d_name, "bad-", 4) == 0 || strcmp(e->d_name, "README.md") == 0)
			continue;
		if (load_root(e->d_name, &src, &m) < 0)
			continue;
		if (m.in[IN_ZONEINFO].loaded && m.in[IN_BUDDYINFO].loaded) {
			r = sim_machine_seed(&m.zi, &m.buddy, m.in[IN_PAGETYPEINFO].loaded ? &m.pt : NULL,
					     &m.vm, &m.numa, m.kernel_release, &sm);
			if (r != 0)
				fail_msg("%s: seeding failed: %d", e->d_name, r);
			zones += check_seed(e->d_name, &m, &sm, &retyped);
			roots++;
			sim_machine_free(&sm);
		}
		machine_free(&m);
		source_free(src);
	}
	closedir(d);
	print_message("seeded %zu roots, %zu zones; %zu (type, order) lists retyped\n", roots, zones, retyped);
	assert_true(roots >= 6);
}

/* Copy FIXTURES/kernel/<name>/<file> to <root>/proc/<file> if it exists. */
static void copy_in(const char *name, const char *file, const char *root)
{
	char src[2048], dst[2048];
	size_t len;
	char *buf;
	FILE *f;

	snprintf(src, sizeof(src), "%s/kernel/%s/%s", FIXTURES, name, file);
	buf = slurp(src, &len);
	if (!buf)
		return;
	snprintf(dst, sizeof(dst), "%s/proc/%s", root, file);
	f = fopen(dst, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(buf);
}

/*
 * Every capture in tests/fixtures/kernel with a zoneinfo and a buddyinfo
 * (12 machines: x86_64, ARM, RHEL, Android, OpenStack and Kubernetes
 * hosts), copied into a temporary root.
 */
static void test_every_capture(void **state)
{
	char dir[1024], tmpl[] = "/tmp/fragscope-seed-XXXXXX";
	static const char *const files[] = { "zoneinfo", "buddyinfo", "pagetypeinfo", "version", "meminfo" };
	DIR *d;
	struct dirent *e;
	size_t captures = 0, zones = 0, retyped = 0;
	char *root = mkdtemp(tmpl);

	(void)state;
	assert_non_null(root);
	snprintf(dir, sizeof(dir), "%s/kernel", FIXTURES);
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[2048];
		struct source *src = NULL;
		struct machine m;
		struct sim_machine sm;
		int r;

		snprintf(path, sizeof(path), "%s/%s/zoneinfo", dir, e->d_name);
		if (e->d_name[0] == '.' || access(path, R_OK) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s/buddyinfo", dir, e->d_name);
		if (access(path, R_OK) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/proc", root);
		assert_int_equal(mkdir(path, 0700), 0);
		for (size_t k = 0; k < sizeof(files) / sizeof(files[0]); k++)
			copy_in(e->d_name, files[k], root);
		assert_int_equal(source_open(root, &src), 0);
		assert_int_equal(machine_load(src, IN_ALL, &m), 0);
		assert_true(m.in[IN_ZONEINFO].loaded && m.in[IN_BUDDYINFO].loaded);
		r = sim_machine_seed(&m.zi, &m.buddy, m.in[IN_PAGETYPEINFO].loaded ? &m.pt : NULL,
				     &m.vm, &m.numa, m.kernel_release, &sm);
		if (r != 0)
			fail_msg("%s: seeding failed: %d", e->d_name, r);
		zones += check_seed(e->d_name, &m, &sm, &retyped);
		captures++;
		sim_machine_free(&sm);
		machine_free(&m);
		source_free(src);
		for (size_t k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
			snprintf(path, sizeof(path), "%s/proc/%s", root, files[k]);
			unlink(path);
		}
		snprintf(path, sizeof(path), "%s/proc", root);
		assert_int_equal(rmdir(path), 0);
	}
	closedir(d);
	assert_int_equal(rmdir(root), 0);
	print_message("seeded %zu captures, %zu zones; %zu (type, order) lists retyped\n", captures, zones,
		      retyped);
	assert_true(captures >= 12);
}

/*
 * vm.watermark_boost_factor sets how far a claim may boost a zone's
 * watermarks (boost_watermark()): max(pageblock, high * factor / 10000),
 * none at 0, none in a zone under 4 pageblocks; 15000 when the file is
 * not in the root.  x86_64-6.18's populated zones all have 4 pageblocks
 * (2,048 pages) or more: DMA 3,840 managed, DMA32 772,917, Normal 393,216.
 */
static void test_boost_factor(void **state)
{
	static const int64_t factors[] = { -1, 0, 15000, 30000 };
	struct source *src;
	struct machine m;

	(void)state;
	assert_int_equal(load_root("x86_64-6.18", &src, &m), 0);
	for (size_t f = 0; f < sizeof(factors) / sizeof(factors[0]); f++) {
		struct sim_machine sm;
		uint64_t factor = factors[f] < 0 ? 15000 : (uint64_t)factors[f];
		size_t boosted = 0;

		m.vm.have &= ~SYSVM_WATERMARK_BOOST_FACTOR;
		if (factors[f] >= 0) {
			m.vm.have |= SYSVM_WATERMARK_BOOST_FACTOR;
			m.vm.watermark_boost_factor = factors[f];
		}
		assert_int_equal(sim_machine_seed(&m.zi, &m.buddy, &m.pt, &m.vm, &m.numa, m.kernel_release,
						  &sm), 0);
		assert_int_equal(sm.boost_factor, factor);
		for (size_t i = 0; i < sm.nz; i++) {
			uint64_t pbn = (uint64_t)1 << sm.pb_order, want = 0;

			if (factor && sm.az[i]->managed >= 4 * pbn) {
				want = sm.seed[i].base_high * factor / 10000;
				if (want < pbn)
					want = pbn;
			}
			assert_int_equal(sm.zones[i].boost_cap, want);
			boosted += want != 0;
		}
		/* All three can be boosted unless the factor is 0. */
		assert_int_equal(boosted, factor ? 3 : 0);
		sim_machine_free(&sm);
	}
	machine_free(&m);
	source_free(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_root),
		cmocka_unit_test(test_every_capture),
		cmocka_unit_test(test_boost_factor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
