/*
 * memsum.c - free(1)-style summary of meminfo (see memsum.h).  All values
 * are bytes; subtraction saturates at 0 because the fields are read from
 * different per-CPU counters and can disagree by a little.
 */
#include <string.h>

#include "memsum.h"

static uint64_t sat_sub(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

void mem_summary_compute(const struct meminfo *mi, struct mem_summary *ret)
{
	struct mem_summary s;
	uint64_t buffers = 0, cached = 0, srecl = 0;
	bool have_buffers, have_cached, have_srecl;

	memset(&s, 0, sizeof(s));
	if (meminfo_get_bytes(mi, "MemTotal", &s.total))
		s.have |= MS_TOTAL;
	if (meminfo_get_bytes(mi, "MemFree", &s.free))
		s.have |= MS_FREE;
	if (meminfo_get_bytes(mi, "MemAvailable", &s.available))
		s.have |= MS_AVAILABLE;
	if (meminfo_get_bytes(mi, "Shmem", &s.shared))
		s.have |= MS_SHARED;
	if (meminfo_get_bytes(mi, "Slab", &s.slab))
		s.have |= MS_SLAB;
	have_buffers = meminfo_get_bytes(mi, "Buffers", &buffers);
	have_cached = meminfo_get_bytes(mi, "Cached", &cached);
	have_srecl = meminfo_get_bytes(mi, "SReclaimable", &srecl);
	if (have_buffers && have_cached) {
		s.buff_cache = buffers + cached + (have_srecl ? srecl : 0);
		s.have |= MS_BUFF_CACHE;
	}
	if ((s.have & MS_TOTAL) && (s.have & MS_AVAILABLE)) {
		s.used = sat_sub(s.total, s.available);
		s.used_rule = "MemTotal - MemAvailable";
		s.have |= MS_USED;
	} else if ((s.have & MS_TOTAL) && (s.have & MS_FREE) && (s.have & MS_BUFF_CACHE)) {
		s.used = sat_sub(s.total, s.free + s.buff_cache);
		s.used_rule = have_srecl ? "MemTotal - MemFree - Buffers - Cached - SReclaimable" :
					   "MemTotal - MemFree - Buffers - Cached";
		s.have |= MS_USED;
	}
	if (meminfo_get_bytes(mi, "SwapTotal", &s.swap_total) &&
	    meminfo_get_bytes(mi, "SwapFree", &s.swap_free)) {
		s.swap_used = sat_sub(s.swap_total, s.swap_free);
		s.have |= MS_SWAP;
	}
	*ret = s;
}
