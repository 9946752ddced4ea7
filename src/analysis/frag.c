/*
 * frag.c - the kernel's fragmentation indices and proactive-compaction
 * score, recomputed from one zone's free block counts.
 *
 * Everything here mirrors mm/vmstat.c (fill_contig_page_info,
 * unusable_free_index, __fragmentation_index, extfrag_for_order and the
 * debugfs printers) and mm/compaction.c (fragmentation_score_*), down to
 * the integer types: the accumulators are unsigned long (64 bits on every
 * machine that matters here), divisions truncate, and the final
 * subtraction of __fragmentation_index() is done in unsigned 64-bit
 * arithmetic and then truncated to int.  That is what makes the odd
 * negative values (" 0.-500") come out exactly as debugfs prints them.
 * reference/kernel.md sections 1 and 3.8 work the formulas by hand.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frag.h"
#include "../model/kversion.h"

void frag_contig_info(const uint64_t *n, unsigned nr_orders, unsigned order, struct frag_contig *out)
{
	out->free_pages = 0;
	out->free_blocks_total = 0;
	out->free_blocks_suitable = 0;
	for (unsigned o = 0; o < nr_orders; o++) {
		out->free_blocks_total += n[o];
		out->free_pages += n[o] << o;
		if (o >= order)
			out->free_blocks_suitable += n[o] << (o - order);
	}
}

/*
 * Free pages in blocks of the order or larger: suitable << order, never
 * more than free_pages, so "free - usable" never wraps.  An order past the
 * last column has no suitable blocks (and must not be shifted by).
 */
static uint64_t usable_pages(const struct frag_contig *c, unsigned order)
{
	return c->free_blocks_suitable ? c->free_blocks_suitable << order : 0;
}

int frag_unusable_index(const uint64_t *n, unsigned nr_orders, unsigned order)
{
	struct frag_contig c;

	frag_contig_info(n, nr_orders, order, &c);
	if (c.free_pages == 0)
		return 1000;
	return (int)((c.free_pages - usable_pages(&c, order)) * 1000 / c.free_pages);
}

/*
 * (int) of an unsigned 64-bit value as the kernel's "return u64_expr;"
 * from an int function does it on every Linux ABI: keep the low 32 bits,
 * read them as two's complement.  Spelled out because the plain cast is
 * implementation-defined in ISO C.
 */
static int u64_to_int_truncate(uint64_t v)
{
	uint32_t low = (uint32_t)v;

	if (low <= INT32_MAX)
		return (int)low;
	return -(int)(UINT32_MAX - low) - 1;
}

int frag_extfrag_index(const uint64_t *n, unsigned nr_orders, unsigned order)
{
	struct frag_contig c;
	uint64_t requested, q;

	/* The kernel's WARN_ON_ONCE(order > MAX_PAGE_ORDER) case. */
	if (order >= nr_orders)
		return 0;
	frag_contig_info(n, nr_orders, order, &c);
	if (c.free_blocks_total == 0)
		return 0;
	if (c.free_blocks_suitable)
		return -1000;
	requested = (uint64_t)1 << order;
	q = (1000 + c.free_pages * 1000 / requested) / c.free_blocks_total;
	return u64_to_int_truncate((uint64_t)1000 - q);
}

unsigned frag_extfrag_percent(const uint64_t *n, unsigned nr_orders, unsigned order)
{
	struct frag_contig c;

	frag_contig_info(n, nr_orders, order, &c);
	if (c.free_pages == 0)
		return 0;
	return (unsigned)((c.free_pages - usable_pages(&c, order)) * 100 / c.free_pages);
}

/*
 * C division truncates toward zero, so -500 prints as "0.-500" and -1000
 * as "-1.000", exactly like the kernel's seq_printf with the same format.
 */
int frag_format_unusable(int index, char *buf, size_t size)
{
	return snprintf(buf, size, "%d.%03d", index / 1000, index % 1000);
}

int frag_format_extfrag(int index, char *buf, size_t size)
{
	return snprintf(buf, size, "%2d.%03d", index / 1000, index % 1000);
}

int frag_format_decimal(int index, char *buf, size_t size)
{
	unsigned a = index < 0 ? (unsigned)-index : (unsigned)index;

	return snprintf(buf, size, "%s%u.%03u", index < 0 ? "-" : "", a / 1000, a % 1000);
}

/* Before 5.16 extfrag_index used "%d.%03d" as unusable_index does. */
static int format_extfrag_unpadded(int index, char *buf, size_t size)
{
	return snprintf(buf, size, "%d.%03d", index / 1000, index % 1000);
}

bool frag_extfrag_unpadded(const char *kernel_release)
{
	return kversion_before(kernel_release, 5, 16);
}

static int append_zone_line(const struct buddy_zone *z, unsigned nr_orders, enum frag_file which,
			    bool unpadded, struct buf *out)
{
	/* Indices lie in -1000..1000 (kernel.md 1.3), so a value takes at
	 * most 6 bytes; the buffers leave room to spare. */
	char head[FS_NAME_LEN + 32], val[32];
	int n;

	n = snprintf(head, sizeof(head), "Node %d, zone %8s ", z->node, z->zone);
	if (n < 0 || (size_t)n >= sizeof(head) || buf_append(out, head, (size_t)n) < 0)
		return -ENOMEM;
	for (unsigned o = 0; o < nr_orders; o++) {
		const size_t room = sizeof(val) - 1; /* keep one byte for the blank */

		if (which == FRAG_UNUSABLE)
			n = frag_format_unusable(frag_unusable_index(z->free, nr_orders, o), val, room);
		else if (unpadded)
			n = format_extfrag_unpadded(frag_extfrag_index(z->free, nr_orders, o), val, room);
		else
			n = frag_format_extfrag(frag_extfrag_index(z->free, nr_orders, o), val, room);
		if (n < 0 || (size_t)n >= room)
			return -ENOMEM;
		val[n++] = ' ';
		if (buf_append(out, val, (size_t)n) < 0)
			return -ENOMEM;
	}
	return buf_append(out, "\n", 1) < 0 ? -ENOMEM : 0;
}

int frag_kernel_format_release(const struct buddyinfo *bi, enum frag_file which,
			       const char *kernel_release, struct buf *out)
{
	bool unpadded = which == FRAG_EXTFRAG && frag_extfrag_unpadded(kernel_release);

	for (size_t i = 0; i < bi->n; i++) {
		int r = append_zone_line(&bi->z[i], bi->nr_orders, which, unpadded, out);

		if (r < 0)
			return r;
	}
	/* An empty file still leaves out a valid (empty) string. */
	return buf_append(out, "", 0) < 0 ? -ENOMEM : 0;
}

int frag_kernel_format(const struct buddyinfo *bi, enum frag_file which, struct buf *out)
{
	return frag_kernel_format_release(bi, which, "", out);
}

enum frag_advice frag_advice(int index, unsigned order, int64_t extfrag_threshold)
{
	if (order <= FRAG_COSTLY_ORDER)
		return FRAG_NOT_COSTLY;
	/* compaction_suitable(): only 0 <= index <= threshold vetoes compaction. */
	if (index >= 0 && index <= extfrag_threshold)
		return FRAG_RECLAIM;
	return FRAG_COMPACT;
}

const char *frag_advice_name(enum frag_advice a)
{
	switch (a) {
	case FRAG_COMPACT:
		return "compact";
	case FRAG_RECLAIM:
		return "reclaim";
	case FRAG_NOT_COSTLY:
	default:
		return "not-costly";
	}
}

unsigned frag_score_weighted(unsigned zone_score, uint64_t zone_present, uint64_t node_present)
{
	/* fragmentation_score_zone_weighted(): the + 1 keeps a node with no
	 * present pages from dividing by zero. */
	return (unsigned)(zone_present * zone_score / (node_present + 1));
}

void frag_proactive_marks(int64_t proactiveness, const char *kernel_release,
			  struct frag_proactive_marks *out)
{
	/* The sysctl is clamped to 0..100 by the kernel; do the same for
	 * values a damaged snapshot might hold. */
	unsigned p = proactiveness < 0 ? 0 : proactiveness > 100 ? 100 : (unsigned)proactiveness;
	unsigned low = 100 - p, leeway;

	out->enabled = p != 0;
	out->leeway_rule = !kversion_before(kernel_release, 6, 16);
	if (out->leeway_rule) {
		/* 6.16+: the gap shrinks with low, so p = 100 gives 0/0. */
		leeway = low / 2 < 10 ? low / 2 : 10;
		out->low = low;
		out->high = low + leeway < 100 ? low + leeway : 100;
	} else {
		/* 5.9-6.15: low never goes below 5, the gap is a fixed 10. */
		out->low = low > 5 ? low : 5;
		out->high = out->low + 10 < 100 ? out->low + 10 : 100;
	}
}

unsigned frag_thp_order(uint64_t page_size)
{
	unsigned shift = 0;

	/* HPAGE_PMD_ORDER = PMD_SHIFT - PAGE_SHIFT: a page table holds
	 * page_size / 8 entries (64-bit PTEs), so the order is shift - 3.
	 * An odd or unknown page size is taken as 4 KiB. */
	if (page_size < 4096 || (page_size & (page_size - 1)))
		return 9;
	while ((1ull << shift) < page_size)
		shift++;
	return shift - 3;
}
