/*
 * fuzz-simzone.c - libFuzzer harness for the buddy simulator's engine
 * (sim/buddy.c).  The input is a program: the first bytes choose the
 * zone (start pfn, span, orders, pageblock order, pageblock type), the
 * rest are operations (allocate an order and migratetype with some
 * flags, free a live block, relabel a pageblock that holds no free
 * page), and after every operation the engine's invariants must hold
 * and no allocated page may be free.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-check.h"
#include "sim/buddy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct blk {
	uint64_t pfn;
	unsigned order;
	enum alloc_mt mt;
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned flagset[8] = { 0, ALLOC_NOFRAGMENT, ALLOC_HIGHATOMIC, ALLOC_NON_BLOCK,
					     ALLOC_CMA, ALLOC_OOM, ALLOC_NOFRAGMENT | ALLOC_CMA, ALLOC_HIGHATOMIC | ALLOC_OOM };
	struct sim_zone z;
	struct blk live[512];
	size_t nlive = 0;
	uint64_t span, start;
	unsigned orders, pbo;
	char why[256];

	if (size < 6)
		return 0;
	orders = 1 + data[0] % 11;
	pbo = data[1] % orders;
	start = data[2] * 7u;
	span = 1 + (((uint64_t)data[3] << 8 | data[4]) % 4096);
	if (sim_zone_init(&z, start, span, orders, pbo, (enum alloc_mt)(data[5] % SIM_NMT)) != 0)
		fuzz_fail("sim_zone_init refused a valid zone");
	z.managed = span * (1 + data[5] % 200);
	z.boost_cap = data[5] & 1 ? 64 : 0;
	z.mobility_grouping = !(data[5] & 0x80);
	/* Free every page one at a time: merging must build whole blocks. */
	for (uint64_t p = start; p < start + span; p++)
		sim_zone_free(&z, p, 0, MT_UNMOVABLE);
	for (size_t i = 6; i + 2 < size; i += 3) {
		unsigned op = data[i] % 3, a = data[i + 1], b = data[i + 2];

		switch (op) {
		case 0: {        /* allocate */
			unsigned o = a % orders;
			enum alloc_mt mt = (enum alloc_mt)(b % 3);
			int64_t pfn;

			if (nlive == sizeof(live) / sizeof(live[0]))
				break;
			pfn = sim_zone_rmqueue(&z, o, mt, flagset[(b >> 2) & 7]);
			if (pfn >= 0) {
				if ((uint64_t)pfn % (1u << o) || (uint64_t)pfn < start ||
				    (uint64_t)pfn + (1u << o) > start + span)
					fuzz_fail("sim_zone_rmqueue returned a block outside the zone or misaligned");
				for (uint64_t p = 0; p < (1u << o); p++)
					if (sim_zone_page_free(&z, (uint64_t)pfn + p))
						fuzz_fail("an allocated page is still free");
				live[nlive++] = (struct blk){ (uint64_t)pfn, o, mt };
			}
			break;
		}
		case 1:          /* free a live block */
			if (nlive) {
				size_t k = (size_t)(a | b << 8) % nlive;

				sim_zone_free(&z, live[k].pfn, live[k].order, live[k].mt);
				live[k] = live[--nlive];
			}
			break;
		default:         /* relabel a pageblock with no free page in it */
			if (!sim_zone_page_free(&z, start + (a * 37u + b) % span)) {
				uint64_t pfn = start + (a * 37u + b) % span;
				uint64_t pb = pfn >> pbo << pbo, n = (uint64_t)1 << pbo;
				bool any = false;

				for (uint64_t p = pb; p < pb + n; p++)
					if (p >= start && p < start + span && sim_zone_page_free(&z, p))
						any = true;
				if (!any)
					sim_zone_set_pb_mt(&z, pfn, 0, (enum alloc_mt)(b % SIM_NMT));
			}
			break;
		}
		if (sim_zone_check(&z, why, sizeof(why)) != 0) {
			fprintf(stderr, "%s\n", why);
			fuzz_fail("an invariant broke");
		}
	}
	sim_zone_free_all(&z);
	return 0;
}
