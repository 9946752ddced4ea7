/*
 * empty.c - an empty machine's inputs (see empty.h).
 *
 * min_free_kbytes is the kernel's default: int_sqrt(lowmem_kbytes * 16)
 * clamped to [128, 262144], raised, as khugepaged does with THP enabled,
 * to pageblock_nr_pages * nr_zones * (2 + MIGRATE_PCPTYPES^2) pages
 * (capped at 5 % of lowmem) (reference/kernel.md 2.2).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/watermark.h"
#include "empty.h"

#define NR_ORDERS 11
#define PB_PAGES 512

static uint64_t isqrt(uint64_t v)
{
	uint64_t r = 0, bit = (uint64_t)1 << 62;

	while (bit > v)
		bit >>= 2;
	while (bit) {
		if (v >= r + bit) {
			v -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

int sim_parse_size(const char *s, uint64_t *bytes)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	switch (*end) {
	case 'K': case 'k': shift = 10; break;
	case 'M': case 'm': shift = 20; break;
	case 'G': case 'g': shift = 30; break;
	case 'T': case 't': shift = 40; break;
	default: return -EINVAL;
	}
	if (end[1] && !(end[1] == 'i' && end[2] == 'B' && !end[3]) && !(end[1] == 'B' && !end[2]))
		return -EINVAL;
	if (v > (UINT64_MAX >> shift))
		return -EINVAL;
	*bytes = (uint64_t)v << shift;
	return 0;
}

/* Free blocks of an all-free span [start, end): the largest aligned block at each pfn. */
static void all_free_blocks(uint64_t start, uint64_t end, uint64_t *free)
{
	for (uint64_t p = start; p < end;) {
		unsigned o = NR_ORDERS - 1;

		while (o > 0 && ((p & (((uint64_t)1 << o) - 1)) || p + ((uint64_t)1 << o) > end))
			o--;
		free[o]++;
		p += (uint64_t)1 << o;
	}
}

int sim_empty_inputs(uint64_t pages, struct zoneinfo *zi, struct buddyinfo *bi, struct sysvm *vm)
{
	static const char *const names[] = { "DMA", "DMA32", "Normal", "Movable", "Device" };
	uint64_t start[5], span[5], lowmem = 0, kbytes, min_kb, rec;
	struct wmark_result wr;
	unsigned populated = 0;
	int r;

	memset(zi, 0, sizeof(*zi));
	memset(bi, 0, sizeof(*bi));
	memset(vm, 0, sizeof(*vm));
	if (pages < 8192 || pages > ((uint64_t)1 << 40))
		return -EINVAL;
	/* DMA [1, 4096), DMA32 [4096, 1M), Normal from 1M (the 4 GiB line). */
	start[0] = 1;
	span[0] = 4095;
	start[1] = 4096;
	span[1] = (pages < (1u << 20) ? pages : (1u << 20)) - 4096;
	start[2] = 1u << 20;
	span[2] = pages > (1u << 20) ? pages - (1u << 20) : 0;
	start[3] = start[4] = 0;
	span[3] = span[4] = 0;

	zi->z = calloc(5, sizeof(*zi->z));
	bi->z = calloc(5, sizeof(*bi->z));
	if (!zi->z || !bi->z) {
		zoneinfo_free(zi);
		buddyinfo_free(bi);
		return -ENOMEM;
	}
	zi->n = 5;
	bi->nr_orders = NR_ORDERS;
	for (unsigned i = 0; i < 5; i++) {
		struct zone_info *z = &zi->z[i];

		z->node = 0;
		snprintf(z->name, sizeof(z->name), "%s", names[i]);
		z->index = i;
		z->spanned = z->present = z->managed = z->pages_free = span[i];
		z->start_pfn = span[i] ? start[i] : 0;
		z->have = ZI_PAGES_FREE | ZI_BOOST | ZI_MIN | ZI_LOW | ZI_HIGH | ZI_PROMO | ZI_SPANNED |
			  ZI_PRESENT | ZI_MANAGED | ZI_PROTECTION | ZI_START_PFN;
		z->nr_protection = 5;
		if (i < 3)
			lowmem += span[i];
		if (span[i] && i < 3)
			populated++;
		if (span[i]) {
			struct buddy_zone *b = &bi->z[bi->n++];

			b->node = 0;
			snprintf(b->zone, sizeof(b->zone), "%s", names[i]);
			all_free_blocks(start[i], start[i] + span[i], b->free);
		}
	}
	kbytes = lowmem * 4;
	min_kb = isqrt(kbytes * 16);
	min_kb = min_kb < 128 ? 128 : min_kb > 262144 ? 262144 : min_kb;
	rec = (uint64_t)PB_PAGES * populated * (2 + 3 * 3);
	if (rec > lowmem / 20)
		rec = lowmem / 20;
	if (rec * 4 > min_kb)
		min_kb = rec * 4;
	vm->have = SYSVM_MIN_FREE_KBYTES | SYSVM_WATERMARK_SCALE_FACTOR | SYSVM_LOWMEM_RESERVE_RATIO |
		   SYSVM_EXTFRAG_THRESHOLD | SYSVM_COMPACTION_PROACTIVENESS | SYSVM_WATERMARK_BOOST_FACTOR;
	vm->min_free_kbytes = (int64_t)min_kb;
	vm->watermark_scale_factor = 10;
	vm->lowmem_reserve_ratio[0] = 256;
	vm->lowmem_reserve_ratio[1] = 256;
	vm->lowmem_reserve_ratio[2] = 32;
	vm->nr_lowmem_reserve_ratio = 5;
	vm->extfrag_threshold = 500;
	vm->compaction_proactiveness = 20;
	vm->watermark_boost_factor = 15000;
	r = wmark_compute(zi, vm, 4096, &wr);
	if (r < 0) {
		zoneinfo_free(zi);
		buddyinfo_free(bi);
		return r;
	}
	for (size_t i = 0; i < wr.n; i++) {
		struct zone_info *z = &zi->z[i];

		z->min = wr.z[i].min;
		z->low = wr.z[i].low;
		z->high = wr.z[i].high;
		z->promo = wr.z[i].promo;
		memcpy(z->protection, wr.z[i].protection, sizeof(z->protection));
	}
	wmark_result_free(&wr);
	return 0;
}
