/*
 * watermark.c - recompute the zone watermarks and the protection
 * (lowmem_reserve) arrays the way the kernel does, from nothing but the
 * managed page counts in /proc/zoneinfo and three vm sysctls, and compare
 * them with what zoneinfo prints.  reference/kernel.md section 2.2.
 *
 * Watermarks (__setup_per_zone_wmarks(), 6.x):
 *	pages_min    = min_free_kbytes >> (PAGE_SHIFT - 10)
 *	lowmem_pages = sum of managed over every zone of every node that is
 *	               neither HighMem nor Movable
 *	tmp  = pages_min * managed / lowmem_pages           (u64, truncated)
 *	min  = HighMem/Movable ? clamp(managed / 1024, 32, 128) : tmp
 *	dist = max(tmp >> 2, managed * watermark_scale_factor / 10000)
 *	low  = min + dist, high = low + dist, promo = high + dist
 * zoneinfo prints every mark plus watermark_boost, so a zone matches when
 * zoneinfo's value == computed + boost.
 *
 * Protection (setup_per_zone_lowmem_reserve(), 5.11+ and 6.x): for the
 * zone with index i and every higher index j of the same node,
 *	lowmem_reserve[i][j] = (managed[i+1] + ... + managed[j]) / ratio[i]
 * or 0 when ratio[i] is 0 or zone i has no managed pages; entries j <= i
 * are 0.  The last zone is nobody's lower zone, which is why kernels
 * before about 4.18 had only MAX_NR_ZONES - 1 ratios.
 *
 * Older and intermediate kernels compute protection differently; only
 * the current rule is implemented, so on these a zone can honestly show
 * a mismatch:
 *  - up to about 4.17 a ratio below 1 was forced to 1 (reserve = whole
 *    sum).  The sysctl reads back the forced 1, so the formula above
 *    still gives the kernel's numbers.
 *  - from about 4.18 (Joonsoo Kim's "don't reserve ZONE_HIGHMEM for
 *    ZONE_MOVABLE request") the walk went downwards from each upper
 *    zone; a ratio of 0 gave 0, but a lower zone with no managed pages
 *    still got sum / ratio (now 0).
 *  - about 5.8 to 5.10 (Baoquan He's "clear out zone->lowmem_reserve[]
 *    if the zone is empty") that downward walk did "continue" on a lower
 *    zone with ratio 0, which also skipped adding that zone's managed
 *    pages to the sums of the zones below it: with a populated middle
 *    zone whose ratio is 0 (HighMem on 32-bit, Movable) the lower zones'
 *    reserves leave its pages out.  Lorenzo Stoakes' rewrite
 *    (470c61d70299, 5.11, also in 5.10.y) gave the rule above.
 *  - about 6.10 to 6.13 (commit 96a5c186efff, reverted by eae116d1f044
 *    in 6.14 and in the 6.12 stable series) set lowmem_reserve[i][j] to
 *    0 whenever the upper zone j had no managed pages.
 * The watermark rule changed too: before about 6.0 (Ma Wupeng's "cap
 * pages_min for zone movable") only HighMem got the clamped min and a
 * populated Movable zone had a proportional share and counted in
 * lowmem_pages; before 5.0 there was no boost (ZI_BOOST clear, taken as
 * 0); before 4.6 there was no watermark_scale_factor (low = min + min/4,
 * high = min + min/2), and its missing sysctl file makes those kernels
 * WMARK_NO_SYSCTL rather than a false mismatch.
 *
 * A zone's index (its position in lowmem_reserve_ratio and protection) is
 * its position within its node in zoneinfo only when zoneinfo prints
 * every zone, populated or not (4.12+).  That is detected per node: the
 * protection tuple always has MAX_NR_ZONES entries, so the node printed
 * every zone exactly when it printed that many zones.
 *
 * Pure: no I/O, no printing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "watermark.h"

#define WMARK_SWAP_CLUSTER_MAX 32 /* SWAP_CLUSTER_MAX: lowest clamped min */
#define WMARK_HIGHMEM_MIN_MAX 128 /* highest clamped min */

bool wmark_zone_is_highmem_or_movable(const char *name)
{
	return strcmp(name, "HighMem") == 0 || strcmp(name, "Movable") == 0;
}

const char *wmark_status_reason(enum wmark_status s)
{
	switch (s) {
	case WMARK_OK:
		return "";
	case WMARK_NO_SYSCTL:
		return "min_free_kbytes, watermark_scale_factor or lowmem_reserve_ratio unavailable";
	case WMARK_NO_MANAGED:
		return "zoneinfo has no managed pages (kernel older than 3.x)";
	case WMARK_NO_INDEX:
		return "zone index unknown (zoneinfo lists only populated zones, kernel older than 4.12)";
	case WMARK_BAD_RATIO:
		return "lowmem_reserve_ratio does not have one value per zone";
	}
	return "unknown";
}

/* mult_frac(): x * n / d without overflowing the product. */
static uint64_t mult_frac(uint64_t x, uint64_t n, uint64_t d)
{
	return (x / d) * n + (x % d) * n / d;
}

static bool sysctls_usable(const struct sysvm *vm)
{
	const unsigned need = SYSVM_MIN_FREE_KBYTES | SYSVM_WATERMARK_SCALE_FACTOR |
			      SYSVM_LOWMEM_RESERVE_RATIO;

	/* The kernel's sysctl handlers reject negative values, so one can
	 * only come from a damaged snapshot: nothing to check against. */
	return vm && (vm->have & need) == need && vm->min_free_kbytes >= 0 &&
	       vm->watermark_scale_factor >= 0;
}

/* Zones [*start, *end) of the node that zone i belongs to (zoneinfo
 * prints each node's zones together). */
static void node_range(const struct zoneinfo *zi, size_t i, size_t *start, size_t *end)
{
	size_t s = i, e = i + 1;

	while (s > 0 && zi->z[s - 1].node == zi->z[i].node)
		s--;
	while (e < zi->n && zi->z[e].node == zi->z[i].node)
		e++;
	*start = s;
	*end = e;
}

/* Did the node print every zone, so that position == kernel zone index? */
static bool node_indexed(const struct zoneinfo *zi, size_t start, size_t end)
{
	size_t nz = end - start;

	if (nz > FS_MAX_ZONES)
		return false;
	for (size_t k = start; k < end; k++) {
		const struct zone_info *z = &zi->z[k];

		if (!(z->have & ZI_PROTECTION) || z->nr_protection != nz || z->index != k - start)
			return false;
	}
	return true;
}

/* One value per zone, or the pre-4.18 one fewer (the top zone has none). */
static bool ratio_fits(const struct sysvm *vm, size_t nz)
{
	return vm->nr_lowmem_reserve_ratio == nz || vm->nr_lowmem_reserve_ratio + 1 == nz;
}

static void compute_marks(const struct zone_info *z, uint64_t pages_min, uint64_t lowmem_pages,
			  uint64_t scale_factor, struct wmark_zone *w)
{
	/* The kernel multiplies in u64 as well; for any real zone the
	 * product is far below 2^64 (pages_min < 2^29, managed < 2^40). */
	uint64_t tmp = lowmem_pages ? pages_min * z->managed / lowmem_pages : 0;
	uint64_t dist = mult_frac(z->managed, scale_factor, 10000);

	if (wmark_zone_is_highmem_or_movable(z->name)) {
		/* __GFP_HIGH and PF_MEMALLOC allocations rarely need these
		 * zones, so their min is only a token amount. */
		w->min = z->managed / 1024;
		if (w->min < WMARK_SWAP_CLUSTER_MAX)
			w->min = WMARK_SWAP_CLUSTER_MAX;
		if (w->min > WMARK_HIGHMEM_MIN_MAX)
			w->min = WMARK_HIGHMEM_MIN_MAX;
	} else {
		w->min = tmp;
	}
	/* The low/high/promo steps are never clamped: they pace kswapd. */
	if (tmp >> 2 > dist)
		dist = tmp >> 2;
	w->low = w->min + dist;
	w->high = w->low + dist;
	w->promo = w->high + dist;
}

/* lowmem_reserve[] of the zone at position i of the node's zones nz[0..n). */
static void compute_protection(const struct zone_info *nz, size_t n, size_t i,
			       const struct sysvm *vm, struct wmark_zone *w)
{
	int64_t ratio = i < vm->nr_lowmem_reserve_ratio ? vm->lowmem_reserve_ratio[i] : 0;
	uint64_t sum = 0;

	memset(w->protection, 0, sizeof(w->protection));
	w->nr_protection = (unsigned)n;
	/* The sysctl handler turns any ratio below 1 into 0. */
	if (ratio < 1 || nz[i].managed == 0)
		return;
	for (size_t j = i + 1; j < n; j++) {
		sum += nz[j].managed;
		w->protection[j] = sum / (uint64_t)ratio;
	}
}

static void compare(const struct zone_info *z, struct wmark_zone *w)
{
	const uint64_t boost = (z->have & ZI_BOOST) ? z->boost : 0;

	w->mismatch = 0;
	if ((z->have & ZI_MIN) && z->min != w->min + boost)
		w->mismatch |= WMARK_DIFF_MIN;
	if ((z->have & ZI_LOW) && z->low != w->low + boost)
		w->mismatch |= WMARK_DIFF_LOW;
	if ((z->have & ZI_HIGH) && z->high != w->high + boost)
		w->mismatch |= WMARK_DIFF_HIGH;
	if ((z->have & ZI_PROMO) && z->promo != w->promo + boost)
		w->mismatch |= WMARK_DIFF_PROMO;
	if (z->nr_protection != w->nr_protection ||
	    memcmp(z->protection, w->protection, w->nr_protection * sizeof(w->protection[0])))
		w->mismatch |= WMARK_DIFF_PROTECTION;
	w->wmark_match = !(w->mismatch & ~WMARK_DIFF_PROTECTION);
	w->protection_match = !(w->mismatch & WMARK_DIFF_PROTECTION);
}

/* The status shared by every zone, or WMARK_OK if it depends on the node. */
static enum wmark_status global_status(const struct zoneinfo *zi, const struct sysvm *vm)
{
	if (!sysctls_usable(vm))
		return WMARK_NO_SYSCTL;
	for (size_t i = 0; i < zi->n; i++)
		if (!(zi->z[i].have & ZI_MANAGED))
			return WMARK_NO_MANAGED;
	return WMARK_OK;
}

int wmark_compute(const struct zoneinfo *zi, const struct sysvm *vm, uint64_t page_size,
		  struct wmark_result *out)
{
	struct wmark_result r = { 0 };
	enum wmark_status all;
	uint64_t scale_factor = 0;
	unsigned shift;

	if (page_size < 1024 || (page_size & (page_size - 1)))
		return -EINVAL;
	shift = (unsigned)__builtin_ctzll(page_size);
	r.n = zi->n;
	r.z = calloc(zi->n ? zi->n : 1, sizeof(*r.z));
	if (!r.z)
		return -ENOMEM;

	all = global_status(zi, vm);
	if (all == WMARK_OK) {
		r.pages_min = (uint64_t)vm->min_free_kbytes >> (shift - 10);
		scale_factor = (uint64_t)vm->watermark_scale_factor;
	}
	for (size_t i = 0; all != WMARK_NO_MANAGED && i < zi->n; i++)
		if (!wmark_zone_is_highmem_or_movable(zi->z[i].name))
			r.lowmem_pages += zi->z[i].managed;

	for (size_t i = 0; i < zi->n; i++) {
		struct wmark_zone *w = &r.z[i];
		size_t start, end;

		w->status = all;
		if (all != WMARK_OK)
			continue;
		node_range(zi, i, &start, &end);
		if (!node_indexed(zi, start, end)) {
			w->status = WMARK_NO_INDEX;
			continue;
		}
		if (!ratio_fits(vm, end - start)) {
			w->status = WMARK_BAD_RATIO;
			continue;
		}
		compute_marks(&zi->z[i], r.pages_min, r.lowmem_pages, scale_factor, w);
		compute_protection(&zi->z[start], end - start, i - start, vm, w);
		compare(&zi->z[i], w);
		r.checked++;
		if (w->mismatch)
			r.mismatches++;
	}
	*out = r;
	return 0;
}

void wmark_result_free(struct wmark_result *r)
{
	if (!r)
		return;
	free(r->z);
	memset(r, 0, sizeof(*r));
}
