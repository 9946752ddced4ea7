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

#endif
