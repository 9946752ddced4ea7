/*
 * pagesize.h - what a page is on the machine the data came from.
 *
 * Live, the page size is the host's.  For a snapshot it is recorded in the
 * manifest.  For any other root (a fixture, a sosreport) it is inferred
 * from the data: meminfo reports some counters in kB that vmstat reports
 * in pages, and their ratio is the page size.  Every figure in bytes says
 * where its page size came from.
 */
#ifndef FRAGSCOPE_PAGESIZE_H
#define FRAGSCOPE_PAGESIZE_H

#include <stdint.h>

#include "kv.h"
#include "meminfo.h"

enum page_size_source {
	PAGE_SIZE_HOST,      /* live machine: sysconf(_SC_PAGESIZE) */
	PAGE_SIZE_MANIFEST,  /* recorded by fragscope snapshot */
	PAGE_SIZE_INFERRED,  /* meminfo kB / vmstat pages */
	PAGE_SIZE_ASSUMED,   /* nothing to go on: 4096 assumed */
};

const char *page_size_source_name(enum page_size_source s);

/*
 * Infer the page size from counters that meminfo prints in kB and vmstat
 * in pages (AnonPages/nr_anon_pages, Mapped/nr_mapped, Shmem/nr_shmem,
 * PageTables/nr_page_table_pages, Mlocked/nr_mlock, Dirty/nr_dirty, ...).
 * The sums of each side give a ratio that is rounded to the nearest power
 * of two between 4 KiB and 1 MiB.  Returns true and sets *ret (bytes) when
 * at least one pair with a non-zero page count exists.
 */
bool page_size_infer(const struct meminfo *mi, const struct kvlist *vmstat, uint64_t *ret);

#endif
