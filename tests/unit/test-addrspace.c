/*
 * test-addrspace.c - kinds of mappings and gaps (analysis/addrspace.c)
 * over the oddmaps capture (tests/fixtures/kernel/this-machine), with the
 * expected values worked out from the file by hand: each mapping's kind
 * from its permissions, name and neighbour, the gaps from the addresses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/addrspace.h"
#include "parse/parse.h"

static void load(const char *rel, bool smaps, struct maps *m)
{
	struct parse_error perr = { 0 };
	char path[256];
	size_t len = 0;
	char *buf;

	snprintf(path, sizeof(path), "kernel/this-machine/%s", rel);
	buf = fixture_read(path, &len);
	if ((smaps ? smaps_parse : maps_parse)(buf, len, rel, m, &perr) < 0)
		fail_msg("%s:%u: %s", rel, perr.line, perr.what);
	free(buf);
}

static enum space_kind kind_at(const struct maps *m, uint64_t start)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].start == start)
			return space_kind_of(m, i, 4);
	fail_msg("no mapping at %#llx", (unsigned long long)start);
	return SPACE_NR;
}

/* The same rules from maps alone and from smaps (which adds hugetlb by
 * KernelPageSize and VmFlags "ht"). */
static void check_kinds(bool smaps)
{
	struct maps m;

	load(smaps ? "smaps.oddmaps" : "maps.oddmaps", smaps, &m);
	assert_int_equal(m.n, 54);
	assert_int_equal(kind_at(&m, 0x55f5b41e1000), SPACE_FILE);   /* r--p of the binary */
	assert_int_equal(kind_at(&m, 0x55f5b41e2000), SPACE_TEXT);   /* r-xp */
	assert_int_equal(kind_at(&m, 0x55f5b41e5000), SPACE_DATA);   /* rw-p of the binary */
	assert_int_equal(kind_at(&m, 0x55f5b46bf000), SPACE_HEAP);   /* [heap], not adjacent to data */
	assert_int_equal(kind_at(&m, 0x7f658f600000), SPACE_HUGETLB); /* rw-s /anon_hugepage (deleted) */
	assert_int_equal(kind_at(&m, 0x7f658f800000), SPACE_HUGETLB); /* rw-p /anon_hugepage (deleted) */
	assert_int_equal(kind_at(&m, 0x7f658fbe4000), SPACE_ANON);
	assert_int_equal(kind_at(&m, 0x7f6590654000), SPACE_GUARD);  /* ---p */
	assert_int_equal(kind_at(&m, 0x7f6590657000), SPACE_ANON);   /* private /dev/zero */
	assert_int_equal(kind_at(&m, 0x7f659065e000), SPACE_SHM);    /* /SYSV000012ab (deleted) */
	assert_int_equal(kind_at(&m, 0x7f6590664000), SPACE_SHM);    /* shared /dev/zero (deleted) */
	assert_int_equal(kind_at(&m, 0x7f6590669000), SPACE_SHM);    /* memfd */
	assert_int_equal(kind_at(&m, 0x7f659066d000), SPACE_FILE);   /* r--s sparse-5G.dat */
	assert_int_equal(kind_at(&m, 0x7f6590699000), SPACE_TEXT);   /* libc r-xp */
	assert_int_equal(kind_at(&m, 0x7f6590846000), SPACE_DATA);   /* libc rw-p */
	assert_int_equal(kind_at(&m, 0x7f6590848000), SPACE_BSS);    /* anon rw-p right after it */
	assert_int_equal(kind_at(&m, 0x7f6590855000), SPACE_FILE);   /* a file really named [heap] */
	assert_int_equal(kind_at(&m, 0x7f6590859000), SPACE_FILE);   /* "fake (deleted)" */
	assert_int_equal(kind_at(&m, 0x7f659085a000), SPACE_FILE);   /* rw-s deleted-later.dat (deleted) */
	assert_int_equal(kind_at(&m, 0x7f6590862000), SPACE_VDSO);   /* [vvar] */
	assert_int_equal(kind_at(&m, 0x7f6590866000), SPACE_VDSO);   /* [vvar_vclock] */
	assert_int_equal(kind_at(&m, 0x7f6590868000), SPACE_VDSO);   /* [vdso] */
	assert_int_equal(kind_at(&m, 0x7f659089d000), SPACE_DATA);   /* ld.so rw-p */
	assert_int_equal(kind_at(&m, 0x7ffcc6ceb000), SPACE_STACK);
	assert_int_equal(kind_at(&m, 0xffffffffff600000), SPACE_VDSO); /* [vsyscall] --xp */
	maps_free(&m);
}

static void test_kinds_maps(void **state)
{
	(void)state;
	check_kinds(false);
}

static void test_kinds_smaps(void **state)
{
	(void)state;
	check_kinds(true);
}

/* A guard below an anonymous rw mapping: a thread stack (hand-made). */
static void test_thread_stack(void **state)
{
	static const char text[] =
		"7f0000000000-7f0000001000 ---p 00000000 00:00 0 \n"
		"7f0000001000-7f0000801000 rw-p 00000000 00:00 0 \n"
		"7f0000801000-7f0000802000 rw-p 00000000 00:00 0 \n"
		"7f0000900000-7f0000a00000 rw-p 00000000 00:00 0 \n"
		"7f0000a00000-7f0004900000 ---p 00000000 00:00 0 \n";
	struct parse_error perr = { 0 };
	struct maps m;

	(void)state;
	assert_int_equal(maps_parse(text, sizeof(text) - 1, "t", &m, &perr), 0);
	assert_int_equal(space_kind_of(&m, 0, 4), SPACE_GUARD);
	assert_int_equal(space_kind_of(&m, 1, 4), SPACE_THREAD_STACK);
	/* Above an anonymous rw mapping, not a guard: plain anonymous. */
	assert_int_equal(space_kind_of(&m, 2, 4), SPACE_ANON);
	/* A glibc malloc arena: rw below its PROT_NONE reserve. */
	assert_int_equal(space_kind_of(&m, 3, 4), SPACE_ANON);
	assert_int_equal(space_kind_of(&m, 4, 4), SPACE_GUARD);
	maps_free(&m);
}

static void test_summary(void **state)
{
	struct space_summary s;
	struct maps m;

	(void)state;
	load("smaps.oddmaps", true, &m);
	space_summarize(&m, 4, &s);
	assert_true(s.have_smaps);
	assert_int_equal(s.total.vmas, 54);
	/* 17,833,984 bytes below [vsyscall] plus its 4 KiB page. */
	assert_int_equal(s.total.size_kb, (17833984 + 4096) / 1024);
	assert_int_equal(s.kind[SPACE_HUGETLB].vmas, 2);
	assert_int_equal(s.kind[SPACE_HUGETLB].size_kb, 4096);
	/* Rss 0 kB, Private_Hugetlb 2048 kB each: counted as resident. */
	assert_int_equal(s.kind[SPACE_HUGETLB].rss_kb, 4096);
	assert_int_equal(s.kind[SPACE_GUARD].vmas, 1);
	assert_int_equal(s.kind[SPACE_GUARD].size_kb, 12);
	assert_int_equal(s.kind[SPACE_GUARD].rss_kb, 0);
	assert_int_equal(s.kind[SPACE_SHM].vmas, 3);
	assert_int_equal(s.kind[SPACE_SHM].size_kb, 24 + 20 + 12);
	maps_free(&m);
}

static void test_holes(void **state)
{
	struct space_holes h;
	struct maps m;

	(void)state;
	load("maps.oddmaps", false, &m);
	assert_int_equal(space_holes(&m, &h), 0);
	assert_int_equal(h.n, 4);
	assert_int_equal(h.h[0].start, 0x55f5b46e0000);
	assert_int_equal(h.h[0].end, 0x7f658f600000);
	assert_int_equal(h.h[1].start, 0x7f659089f000);
	assert_int_equal(h.h[1].end, 0x7ffcc6ceb000);
	assert_int_equal(h.h[2].end - h.h[2].start, 5083136);
	assert_int_equal(h.h[3].end - h.h[3].start, 1982464);
	assert_int_equal(h.total, 46209849004032ULL);
	assert_int_equal(h.span_start, 0x55f5b41e1000);
	assert_int_equal(h.span_end, 0x7ffcc6d0c000);     /* [stack]'s end: [vsyscall] left out */
	assert_int_equal(h.mapped, 17833984);
	assert_int_equal(h.mapped + h.total, h.span_end - h.span_start);
	/* Neighbours: the heap below the largest gap, hugetlb above it. */
	assert_int_equal(m.v[h.h[0].below].kind, VMA_KIND_HEAP);
	assert_int_equal(m.v[h.h[0].above].start, 0x7f658f600000);
	space_holes_free(&h);
	maps_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds_maps),
		cmocka_unit_test(test_kinds_smaps),
		cmocka_unit_test(test_thread_stack),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_holes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
