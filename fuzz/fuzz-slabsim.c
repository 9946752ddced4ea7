/*
 * fuzz-slabsim.c - libFuzzer harness for the slab simulator (sim/slab.c)
 * and the geometry rule (sim/slabgeom.c).  The input is a program: the
 * first bytes choose a cache (object size, alignment, flags, CPUs, rule)
 * and whether per-CPU slabs are on; the geometry must be consistent
 * (objects x slot size fit the slab, the slot holds the object); then
 * operations on an empty 32 MiB machine (allocate, free at random or
 * oldest first, seed slabs, allocate pages in between), and after every
 * one the simulator's invariants (and the buddy machine's) must hold.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-check.h"
#include "sim/empty.h"
#include "sim/machine.h"
#include "sim/slab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct slab_geom_params p;
	struct slab_geom g;
	struct sim_machine sm;
	struct sim_slabs s;
	struct zoneinfo zi;
	struct buddyinfo bi;
	struct sysvm vm;
	uint64_t osize, align;
	unsigned flags;
	char why[256];
	int c, r;

	if (size < 6)
		return 0;
	osize = 1 + (((uint64_t)data[0] << 8 | data[1]) % 20000);
	align = (uint64_t)1 << (data[2] % 10);
	flags = data[3] & (SG_HWCACHE_ALIGN | SG_RED_ZONE | SG_POISON | SG_STORE_USER | SG_TYPESAFE_BY_RCU | SG_CTOR |
			   SG_KMALLOC | SG_RECLAIM_ACCOUNT);
	slab_geom_defaults(&p, 1u + data[4] % 64, (data[5] & 1) ? SLAB_RULE_6_1 : SLAB_RULE_6_7);
	align = slab_geom_align(flags, align, osize, p.cache_line);
	r = slab_geom_compute(osize, align, flags, &p, &g);
	if (r < 0)
		return 0;
	if (g.slab_size < osize || g.slab_size % align || g.objs_per_slab < 1 ||
	    g.objs_per_slab * g.slab_size > (p.page_size << g.order) || g.order > p.max_page_order ||
	    g.min_order > g.order || g.min_partial < 5 || g.min_partial > 10)
		fuzz_fail("slab_geom_compute: inconsistent geometry");
	if (g.objs_per_slab > 32767)
		return 0;
	memset(&zi, 0, sizeof(zi));
	memset(&bi, 0, sizeof(bi));
	memset(&vm, 0, sizeof(vm));
	if (sim_empty_inputs(8192, &zi, &bi, &vm) < 0)
		return 0;
	r = sim_machine_seed(&zi, &bi, NULL, &vm, NULL, "", &sm);
	zoneinfo_free(&zi);
	buddyinfo_free(&bi);
	if (r < 0)
		return 0;
	sm.page_size = 4096;
	if (sim_slabs_init(&s, &sm, data[5] & 2, data[4]) < 0 ||
	    (c = sim_slabs_add(&s, "fuzz", &g, flags)) < 0) {
		sim_slabs_free(&s);
		sim_machine_free(&sm);
		return 0;
	}
	for (size_t i = 6; i + 2 < size; i += 3) {
		uint64_t n = 1 + ((uint64_t)data[i + 1] << 8 | data[i + 2]) % 2000;
		struct sim_alloc a;

		switch (data[i] % 5) {
		case 0:
		case 1:
			if (sim_slabs_alloc(&s, (size_t)c, n, 0) < 0)
				goto out;
			break;
		case 2:
			sim_slabs_free_objs(&s, (size_t)c, n, (data[i] & 8) ? SIM_PICK_OLDEST : SIM_PICK_RANDOM);
			break;
		case 3:
			if (sim_slabs_seed(&s, (size_t)c, n % 7, n % 5, n % 11, n % 3) < 0)
				goto out;
			break;
		default:
			sim_machine_alloc(&sm, alloc_class_find("GFP_KERNEL")->gfp, (unsigned)(n % 4), 0, &a);
			break;
		}
		if (sim_slabs_check(&s, why, sizeof(why)) != 0)
			fuzz_fail(why);
	}
out:
	sim_slabs_free(&s);
	sim_machine_free(&sm);
	return 0;
}
