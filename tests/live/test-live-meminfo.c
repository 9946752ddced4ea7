/*
 * test-live-meminfo.c - compare fragscope's reading of this machine's
 * /proc/meminfo with libproc2's (procps 4), an independent reader of the
 * same file.  The two reads happen at different instants, so each
 * comparison brackets libproc2's read between two of ours and accepts a
 * difference no larger than what changed between our two reads; an
 * attempt that fails that is retried (up to 10 times) before the field is
 * declared wrong.  Exits 77 (skip) only if /proc/meminfo cannot be read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libproc2/meminfo.h>

#include "model/memsum.h"
#include "parse/parse.h"
#include "parse/source.h"

static int read_ours(struct meminfo *mi)
{
	struct source *src = NULL;
	struct buf b = BUF_INIT;
	struct parse_error perr;
	int r = source_open("/", &src);

	if (r < 0)
		return r;
	r = source_read(src, "proc/meminfo", &b);
	if (r == 0)
		r = meminfo_parse(b.data, b.len, "/proc/meminfo", mi, &perr);
	buf_free(&b);
	source_free(src);
	return r;
}

static const struct {
	const char *name;
	enum meminfo_item item;
} fields[] = {
	{ "MemTotal", MEMINFO_MEM_TOTAL },
	{ "MemFree", MEMINFO_MEM_FREE },
	{ "MemAvailable", MEMINFO_MEM_AVAILABLE },
	{ "Buffers", MEMINFO_MEM_BUFFERS },
	{ "Cached", MEMINFO_MEM_CACHED },
	{ "Active", MEMINFO_MEM_ACTIVE },
	{ "Inactive", MEMINFO_MEM_INACTIVE },
	{ "Shmem", MEMINFO_MEM_SHARED },
	{ "Slab", MEMINFO_MEM_SLAB },
	{ "SReclaimable", MEMINFO_MEM_SLAB_RECLAIM },
	{ "SUnreclaim", MEMINFO_MEM_SLAB_UNRECLAIM },
	{ "SwapTotal", MEMINFO_SWAP_TOTAL },
	{ "SwapFree", MEMINFO_SWAP_FREE },
	{ "Dirty", MEMINFO_MEM_DIRTY },
	{ "Mapped", MEMINFO_MEM_MAPPED },
	{ "AnonPages", MEMINFO_MEM_ANON },
	{ "PageTables", MEMINFO_MEM_PAGE_TABLES },
	{ "Committed_AS", MEMINFO_MEM_COMMITTED_AS },
	{ "CommitLimit", MEMINFO_MEM_COMMIT_LIMIT },
	{ "HugePages_Total", MEMINFO_MEM_HUGE_TOTAL },
	{ "Hugepagesize", MEMINFO_MEM_HUGE_SIZE },
};

static uint64_t diff(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

/* One bracketed comparison of every field; returns the number of mismatches
 * and names the first in *bad. */
static int compare_once(const char **bad, unsigned long *ours_v, unsigned long *theirs_v)
{
	struct meminfo before = { 0 }, after = { 0 };
	struct meminfo_info *info = NULL;
	int mismatches = 0;

	assert_int_equal(read_ours(&before), 0);
	assert_int_equal(procps_meminfo_new(&info), 0);
	assert_int_equal(read_ours(&after), 0);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		uint64_t a, b;
		unsigned long p;

		/* Absent from this kernel's meminfo: libproc2 then reports 0. */
		if (!meminfo_get(&before, fields[i].name, &a) || !meminfo_get(&after, fields[i].name, &b))
			continue;
		p = MEMINFO_GET(info, fields[i].item, ul_int);
		if (diff(p, a) > diff(a, b) && diff(p, b) > diff(a, b)) {
			if (!mismatches) {
				*bad = fields[i].name;
				*ours_v = (unsigned long)a;
				*theirs_v = p;
			}
			mismatches++;
		}
	}
	/* The derived "used" of free(1) 4.x: MemTotal - MemAvailable. */
	{
		struct mem_summary s1, s2;
		unsigned long used = MEMINFO_GET(info, MEMINFO_MEM_USED, ul_int) * 1024ul;

		mem_summary_compute(&before, &s1);
		mem_summary_compute(&after, &s2);
		if ((s1.have & MS_USED) && diff(used, s1.used) > diff(s1.used, s2.used) &&
		    diff(used, s2.used) > diff(s1.used, s2.used)) {
			if (!mismatches) {
				*bad = "used (MemTotal - MemAvailable)";
				*ours_v = (unsigned long)s1.used;
				*theirs_v = used;
			}
			mismatches++;
		}
	}
	procps_meminfo_unref(&info);
	meminfo_free(&before);
	meminfo_free(&after);
	return mismatches;
}

static void live_meminfo_matches_libproc2(void **state)
{
	const char *bad = NULL;
	unsigned long ours = 0, theirs = 0;
	int attempt;

	(void)state;
	for (attempt = 0; attempt < 10; attempt++)
		if (compare_once(&bad, &ours, &theirs) == 0)
			break;
	if (attempt == 10)
		fail_msg("%s: fragscope read %lu, libproc2 %lu, in 10 bracketed attempts", bad, ours, theirs);
}

static void live_meminfo_has_every_libproc2_field(void **state)
{
	struct meminfo mi = { 0 };

	(void)state;
	assert_int_equal(read_ours(&mi), 0);
	/* Every field of a 6.x meminfo is kept, including ones we do not know. */
	assert_true(mi.n >= 40);
	assert_non_null(meminfo_find(&mi, "MemTotal"));
	assert_non_null(meminfo_find(&mi, "MemAvailable"));
	meminfo_free(&mi);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(live_meminfo_matches_libproc2),
		cmocka_unit_test(live_meminfo_has_every_libproc2_field),
	};
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f) {
		fprintf(stderr, "/proc/meminfo is unreadable: %s\n", strerror(errno));
		return 77;
	}
	fclose(f);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
