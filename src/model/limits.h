/*
 * limits.h - fixed upper bounds of the memory model.  Counts inside these
 * bounds are always taken from the files (number of orders, migratetypes,
 * zones); a file that exceeds a bound is rejected with a clear error
 * rather than truncated.
 */
#ifndef FRAGSCOPE_LIMITS_H
#define FRAGSCOPE_LIMITS_H

/* Orders per zone.  x86-64 has 11, arm64 with 64 KiB pages 14. */
#define FS_MAX_ORDERS 32
/* Migratetypes in pagetypeinfo.  6.x prints at most 6. */
#define FS_MAX_MT 16
/* Zones per node (MAX_NR_ZONES is at most 6 in mainline). */
#define FS_MAX_ZONES 8
/* Buffer size for a zone name ("Normal", "DMA32", ...). */
#define FS_NAME_LEN 32

/*
 * No zone holds more pages than this: 2^48 pages is 1 EiB of 4 KiB pages
 * and 16 EiB of 64 KiB pages, beyond any physical address space (x86-64
 * with 5-level paging reaches 4 PiB).  Parsers reject page counts above
 * it, so that pages << order and pages * page_size never overflow 64 bits.
 */
#define FS_MAX_PAGES (1ull << 48)

#endif
