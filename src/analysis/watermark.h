/*
 * watermark.h - recompute every zone's watermarks (min, low, high,
 * promo) and protection (lowmem_reserve) array from zoneinfo managed
 * pages and the vm sysctls, as __setup_per_zone_wmarks() and
 * setup_per_zone_lowmem_reserve() do (reference/kernel.md section 2.2),
 * and compare them with what zoneinfo prints.
 *
 * Pure: no I/O, no printing.
 */
#ifndef FRAGSCOPE_WATERMARK_H
#define FRAGSCOPE_WATERMARK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/limits.h"
#include "../model/sysvm.h"
#include "../model/zoneinfo.h"

/* Why a zone could not be recomputed (wmark_zone.status). */
enum wmark_status {
	WMARK_OK,            /* recomputed; see the match flags */
	WMARK_NO_SYSCTL,     /* min_free_kbytes / watermark_scale_factor / lowmem_reserve_ratio missing */
	WMARK_NO_MANAGED,    /* zoneinfo has no managed: line (kernels < 3.x) */
	WMARK_NO_INDEX,      /* zoneinfo lists only populated zones (< 4.12): zone indices unknown */
	WMARK_BAD_RATIO,     /* lowmem_reserve_ratio has too few (or too many) values for the node's zones */
};

/* Bits of wmark_zone.mismatch: which zoneinfo values differ from the recomputation. */
enum {
	WMARK_DIFF_MIN = 1u << 0,
	WMARK_DIFF_LOW = 1u << 1,
	WMARK_DIFF_HIGH = 1u << 2,
	WMARK_DIFF_PROMO = 1u << 3,
	WMARK_DIFF_PROTECTION = 1u << 4,
};

struct wmark_zone {
	enum wmark_status status;
	uint64_t min, low, high, promo;      /* computed base marks (without boost) */
	uint64_t protection[FS_MAX_ZONES];   /* computed lowmem_reserve[] */
	unsigned nr_protection;
	bool wmark_match;       /* zoneinfo min/low/high (and promo when printed) == computed + boost */
	bool protection_match;  /* zoneinfo protection: == computed (when printed) */
	unsigned mismatch;      /* WMARK_DIFF_* bits; 0 when both flags are true */
};

struct wmark_result {
	uint64_t pages_min;     /* min_free_kbytes in pages */
	uint64_t lowmem_pages;  /* managed pages of zones that are not HighMem or Movable */
	struct wmark_zone *z;   /* one per zoneinfo zone, same order; malloc'd */
	size_t n;
	size_t mismatches;      /* zones with status WMARK_OK and a false match flag */
	size_t checked;         /* zones with status WMARK_OK */
};

/*
 * Recompute for every zone of zi.  page_size (a power of two >= 1 KiB)
 * converts min_free_kbytes; vm may be NULL (every zone WMARK_NO_SYSCTL).
 * 0, -EINVAL for a bad page size, or -ENOMEM; *out is filled only on
 * success and then owns out->z (wmark_result_free()).  Zones that cannot
 * be recomputed get a status saying why and are not counted as checked.
 *
 * Example:
 *	struct wmark_result r;
 *	if (wmark_compute(&m->zi, &m->vm, m->page_size, &r) == 0) {
 *		... r.z[i] belongs to m->zi.z[i] ...
 *		wmark_result_free(&r);
 *	}
 */
int wmark_compute(const struct zoneinfo *zi, const struct sysvm *vm, uint64_t page_size,
		  struct wmark_result *out);
void wmark_result_free(struct wmark_result *r);

/* HighMem and Movable zones get min = clamp(managed / 1024, 32, 128). */
bool wmark_zone_is_highmem_or_movable(const char *name);

/* Why a zone could not be checked, for messages: "zone index unknown
 * (zoneinfo lists only populated zones)".  "" for WMARK_OK. */
const char *wmark_status_reason(enum wmark_status s);

#endif
