/*
 * pagesize.c - page size inference for snapshot and fixture roots
 * (see pagesize.h).
 */
#include <stdbool.h>

#include "pagesize.h"

const char *page_size_source_name(enum page_size_source s)
{
	switch (s) {
	case PAGE_SIZE_HOST:
		return "host";
	case PAGE_SIZE_MANIFEST:
		return "manifest";
	case PAGE_SIZE_INFERRED:
		return "inferred";
	case PAGE_SIZE_ASSUMED:
	default:
		return "assumed";
	}
}

/* meminfo field (kB) and the vmstat counter (pages) of the same quantity. */
static const struct {
	const char *meminfo;
	const char *vmstat;
} pairs[] = {
	{ "AnonPages", "nr_anon_pages" },
	{ "Mapped", "nr_mapped" },
	{ "Shmem", "nr_shmem" },
	{ "PageTables", "nr_page_table_pages" },
	{ "Mlocked", "nr_mlock" },
	{ "Dirty", "nr_dirty" },
	{ "Writeback", "nr_writeback" },
	{ "SUnreclaim", "nr_slab_unreclaimable" },
	{ "SReclaimable", "nr_slab_reclaimable" },
};

bool page_size_infer(const struct meminfo *mi, const struct kvlist *vmstat, uint64_t *ret)
{
	uint64_t kb_sum = 0, page_sum = 0, best = 0;
	double ratio, best_err = 0;

	if (!mi || !vmstat)
		return false;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		uint64_t kb, pages;

		if (!meminfo_get(mi, pairs[i].meminfo, &kb) ||
		    !kvlist_get(vmstat, pairs[i].vmstat, &pages) || pages == 0)
			continue;
		/* Skip pairs that would overflow the sums; they are rare and not needed. */
		if (kb > UINT64_MAX / 4 || pages > UINT64_MAX / 4)
			continue;
		kb_sum += kb;
		page_sum += pages;
	}
	if (page_sum == 0)
		return false;
	ratio = (double)kb_sum / (double)page_sum; /* kB per page */
	for (uint64_t kb = 4; kb <= 1024; kb *= 2) {
		double err = ratio > (double)kb ? ratio / (double)kb : (double)kb / ratio;

		if (!best || err < best_err) {
			best = kb;
			best_err = err;
		}
	}
	*ret = best * 1024;
	return true;
}
