/*
 * test-trace.c - the kmem trace parser (parse/parse-trace.c) on lines
 * from this machine's captures (reference/kernel.md 6.5), and the replay
 * rules (sim/replay.c) on a small zone worked by hand.
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

#include "parse/parse-trace.h"

static const char sample[] =
	"# tracer: nop\n"
	"#\n"
	"# entries-in-buffer/entries-written: 9/9   #P:2\n"
	"            bash-16559   [000] .....   591.433005: mm_page_alloc: page=000000003018a14d pfn=0x15339a order=0 migratetype=0 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO|__GFP_COMP\n"
	"           sleep-16561   [001] .....   591.439743: mm_page_alloc: page=00000000dc8f8ec3 pfn=0x18091f order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_COMP\n"
	"              ls-16562   [001] .....   591.440790: mm_page_free: page=000000003e7de157 pfn=0x17d827 order=0\n"
	"              ls-16562   [001] .....   591.446190: mm_page_alloc: page=000000002aee5cd7 pfn=0x162cc4 order=2 migratetype=2 gfp_flags=__GFP_RECLAIMABLE|__GFP_IO|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP|__GFP_NOMEMALLOC\n"
	"              rm-16565   [001] .....   591.463650: mm_page_free: page=00000000696ca53a pfn=0x181340 order=4\n"
	"         python3-17007   [001] ...4.   614.679926: mm_page_free_batched: page=0000000001d27b00 pfn=0x179487 order=0\n"
	"         python3-16647   [001] d..3.   600.557837: mm_page_alloc_zone_locked: page=00000000c4070b90 pfn=0x172787 order=0 migratetype=1 percpu_refill=1\n"
	"          <idle>-0       [001] d.s3.   600.600001: mm_page_pcpu_drain: page=00000000aa04c3f0 pfn=0x17fa70 order=0 migratetype=1\n"
	"          <idle>-0       [001] d.s3.   600.600002: mm_page_alloc_extfrag: page=00000000aa04c3f0 pfn=0x17fa70 alloc_order=0 fallback_order=3 pageblock_order=9 alloc_migratetype=0 fallback_migratetype=1 fragmenting=1 change_ownership=0\n"
	"   kworker/u4:1-99      [000] .....   700.000001: mm_page_alloc: page=0000000000000000 pfn=0x0 order=9 migratetype=1 gfp_flags=GFP_TRANSHUGE|__GFP_NEWBIT\n"
	"    old kernel-7        [000] ....   5.000001: mm_page_free: page=ffff88000 pfn=4096 order=1\n";

static void test_sample(void **state)
{
	struct trace t;
	struct parse_error perr = { 0 };

	(void)state;
	assert_int_equal(trace_parse(sample, strlen(sample), "t", &t, &perr), 0);
	assert_int_equal(t.n, 9);
	assert_int_equal(t.batched, 1);
	assert_int_equal(t.other_events, 1);          /* mm_page_alloc_extfrag */
	assert_int_equal(t.buddy_events, 2);          /* zone_locked, pcpu_drain */
	assert_int_equal(t.unknown_flags, 1);         /* __GFP_NEWBIT */
	assert_int_equal(t.ev[0].kind, TRACE_ALLOC);
	assert_int_equal(t.ev[0].pfn, 0x15339a);
	assert_int_equal(t.ev[0].gfp, 0x400cc0 | 0x100 | 0x40000);
	assert_int_equal(t.ev[0].mt, 0);
	assert_int_equal(t.ev[0].line, 4);
	assert_int_equal(t.ev[1].gfp, 0x100cca | 0x40000);
	assert_int_equal(t.ev[2].kind, TRACE_FREE);
	assert_int_equal(t.ev[2].pfn, 0x17d827);
	assert_int_equal(t.ev[3].order, 2);
	assert_int_equal(t.ev[3].mt, 2);
	assert_int_equal(t.ev[3].gfp, 0x10 | 0x40 | 0x2000 | 0x10000 | 0x40000 | 0x80000);
	assert_int_equal(t.ev[4].order, 4);
	assert_int_equal(t.ev[4].mt, -1);                     /* frees carry none */
	assert_int_equal(t.ev[5].kind, TRACE_BUDDY_TAKE);
	assert_int_equal(t.ev[5].pfn, 0x172787);
	assert_int_equal(t.ev[5].mt, 1);
	assert_int_equal(t.ev[5].line, 10);
	assert_int_equal(t.ev[6].kind, TRACE_BUDDY_GIVE);
	assert_int_equal(t.ev[6].pfn, 0x17fa70);
	assert_int_equal(t.ev[6].order, 0);
	assert_int_equal(t.ev[6].mt, 1);
	assert_int_equal(t.ev[7].kind, TRACE_ALLOC_FAILED);   /* pfn 0: the kernel failed */
	assert_int_equal(t.ev[7].gfp, 0x1c24ca);
	assert_int_equal(t.ev[8].pfn, 4096);                  /* decimal before 5.14 */
	assert_int_equal(t.ev[8].order, 1);
	trace_free(&t);
}

static void expect_error(const char *text, unsigned line, const char *what)
{
	struct trace t;
	struct parse_error perr = { 0 };

	assert_true(trace_parse(text, strlen(text), "t", &t, &perr) < 0);
	assert_int_equal(perr.line, line);
	if (!strstr(perr.what, what))
		fail_msg("'%s' lacks '%s'", perr.what, what);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("# x\n a-1 [000] ..... 1.0: mm_page_free: page=0 order=0\n", 2, "without pfn=");
	expect_error("a-1 [000] ..... 1.0: mm_page_alloc: pfn=0xzz order=0\n", 1, "pfn=0xzz");
	expect_error("a-1 [000] ..... 1.0: mm_page_alloc: pfn=0x10 order=40\n", 1, "order=");
	expect_error("a-1 [000] ..... 1.0: mm_page_free: pfn=0x10\n", 1, "order=");
	expect_error("a-1 [000] ..... 1.0: mm_page_free: pfn=99999999999999999999999 order=0\n", 1, "pfn=");
	expect_error("a-1 [000] ..... 1.0: mm_page_pcpu_drain: page=0 order=0\n", 1,
		     "mm_page_pcpu_drain without pfn=");
	expect_error("x\na-1 [000] ..... 1.0: mm_page_alloc_zone_locked: pfn=0x10 order=x\n", 2,
		     "mm_page_alloc_zone_locked: order=");
}

static void test_gfp(void **state)
{
	uint64_t unknown = 0;

	(void)state;
	assert_int_equal(trace_gfp_mask("none", 4, &unknown), 0);
	assert_int_equal(trace_gfp_mask("GFP_NOWAIT", 10, &unknown), 0x2800);
	assert_int_equal(trace_gfp_mask("GFP_ATOMIC|0x1000000", 20, &unknown), 0x820 | 0x1000000);
	assert_int_equal(unknown, 0);
	assert_int_equal(trace_gfp_mask("GFP_KERNEL|__GFP_WHATEVER", 25, &unknown), 0xcc0);
	assert_int_equal(unknown, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_gfp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
