/*
 * test-workload.c - the buddy simulator's workload spec parser
 * (parse/parse-workload.c) and the runner's rules (sim/workload.c) on a
 * tiny machine worked by hand.
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

#include "parse/parse-workload.h"
#include "sim/slabgeom.h"
#include "sim/workload.h"

static int parse(const char *text, struct sim_workload *w, struct parse_error *perr)
{
	memset(perr, 0, sizeof(*perr));
	return workload_parse(text, strlen(text), "spec", w, perr);
}

static void test_parse_full(void **state)
{
	static const char spec[] =
		"# comment line\n"
		"phase fill steps=1000 target=90% until=target node=1  # trailing comment\n"
		"  alloc order=0 gfp=GFP_HIGHUSER_MOVABLE count=64 weight=7 life=exp:400\n"
		"\n"
		"  alloc order=9 gfp=thp life=fixed:30\n"
		"phase steps=5\n";
	struct sim_workload w;
	struct parse_error perr;

	(void)state;
	assert_int_equal(parse(spec, &w, &perr), 0);
	assert_int_equal(w.n, 2);
	assert_string_equal(w.ph[0].name, "fill");
	assert_int_equal(w.ph[0].steps, 1000);
	assert_int_equal(w.ph[0].target_pct, 90);
	assert_true(w.ph[0].until_target);
	assert_int_equal(w.ph[0].node, 1);
	assert_int_equal(w.ph[0].nops, 2);
	assert_int_equal(w.ph[0].total_weight, 8);          /* 7 + the default 1 */
	assert_int_equal(w.ph[0].ops[0].order, 0);
	assert_string_equal(w.ph[0].ops[0].cls->name, "GFP_HIGHUSER_MOVABLE");
	assert_int_equal(w.ph[0].ops[0].count, 64);
	assert_int_equal(w.ph[0].ops[0].life, SIM_LIFE_EXP);
	assert_int_equal(w.ph[0].ops[0].life_steps, 400);
	assert_int_equal(w.ph[0].ops[0].line, 3);
	assert_string_equal(w.ph[0].ops[1].cls->name, "THP");  /* case-insensitive */
	assert_int_equal(w.ph[0].ops[1].life, SIM_LIFE_FIXED);
	assert_int_equal(w.ph[0].ops[1].line, 5);
	assert_string_equal(w.ph[1].name, "phase2");          /* unnamed: numbered */
	assert_int_equal(w.ph[1].node, -1);
	assert_int_equal(w.ph[1].nops, 0);
	assert_int_equal(sim_workload_steps(&w), 1005);
	sim_workload_free(&w);
}

static void expect_error(const char *spec, int code, unsigned line, const char *what)
{
	struct sim_workload w;
	struct parse_error perr;

	assert_int_equal(parse(spec, &w, &perr), code);
	assert_int_equal(perr.line, line);
	if (!strstr(perr.what, what))
		fail_msg("'%s' does not contain '%s'", perr.what, what);
}

static void test_parse_errors(void **state)
{
	(void)state;
	expect_error("", -EINVAL, 1, "no phase line");
	expect_error("# only\n", -EINVAL, 1, "no phase line");
	expect_error("alloc order=0 gfp=GFP_KERNEL\n", -EINVAL, 1, "alloc before any phase");
	expect_error("phase a\n", -EINVAL, 1, "steps=N is required");
	expect_error("phase a steps=0\n", -ERANGE, 1, "out of range");
	expect_error("phase a steps=99999999999999999999\n", -ERANGE, 1, "steps=");
	expect_error("phase a steps=1 target=101%\n", -ERANGE, 1, "target=101");
	expect_error("phase a steps=1 until=target\n", -EINVAL, 1, "needs target");
	expect_error("phase a steps=1 until=empty\n", -EINVAL, 1, "only until=target");
	expect_error("phase a steps=1 colour=red\n", -EINVAL, 1, "unknown key 'colour'");
	expect_error("phase a steps=1\n alloc gfp=GFP_KERNEL\n", -EINVAL, 2, "order=N and gfp=CLASS");
	expect_error("phase a steps=1\nalloc order=0 gfp=GFP_NOPE\n", -EINVAL, 2, "unknown class");
	expect_error("phase a steps=1\nalloc order=32 gfp=GFP_KERNEL\n", -ERANGE, 2, "order=32");
	expect_error("phase a steps=1\nalloc order=0 gfp=GFP_KERNEL life=soon\n", -EINVAL, 2, "forever, fixed");
	expect_error("phase a steps=1\nalloc order=0 gfp=GFP_KERNEL life=exp:0\n", -ERANGE, 2, "life=0");
	expect_error("phase a steps=1\nalloc order=0 gfp=GFP_KERNEL count=0\n", -ERANGE, 2, "count=0");
	expect_error("phase a steps=1\nalloc order=x gfp=GFP_KERNEL\n", -EINVAL, 2, "not a number");
	expect_error("phase a steps=1\nalloc order=0 gfp=GFP_KERNEL stray\n", -EINVAL, 2, "not key=value");
	expect_error("phase a steps=1\nfree order=0\n", -EINVAL, 2, "unknown line 'free'");
	/* Control bytes never reach the message raw. */
	expect_error("phase a steps=1\n\033[2J order=0\n", -EINVAL, 2, "unknown line '?[2J'");
}

/* The slab simulator's lines: cache declarations and object operations. */
static void test_parse_slab(void **state)
{
	const char *spec =
		"cache inodes size=1120 align=8 flags=reclaim,ctor\n"
		"phase a steps=10\n"
		"  objalloc cache=inodes count=5 weight=3\n"
		"  objfree cache=kmalloc-192 fraction=10% pick=oldest\n"
		"  churn cache=inodes count=7\n"
		"  alloc order=0 gfp=GFP_KERNEL\n"
		"cache big size=40000 flags=hwcache\n";
	struct sim_workload w;
	struct parse_error perr;

	(void)state;
	assert_int_equal(parse(spec, &w, &perr), 0);
	assert_int_equal(w.ncaches, 2);
	assert_string_equal(w.caches[0].name, "inodes");
	assert_int_equal(w.caches[0].size, 1120);
	assert_int_equal(w.caches[0].align, 8);
	assert_int_equal(w.caches[0].flags, SG_RECLAIM_ACCOUNT | SG_CTOR);
	assert_int_equal(w.caches[1].flags, SG_HWCACHE_ALIGN);
	assert_int_equal(w.caches[1].line, 7);
	assert_int_equal(w.ph[0].nops, 4);
	assert_int_equal(w.ph[0].ops[0].kind, SIM_OP_OBJALLOC);
	assert_string_equal(w.ph[0].ops[0].cache, "inodes");
	assert_int_equal(w.ph[0].ops[0].count, 5);
	assert_int_equal(w.ph[0].ops[0].weight, 3);
	assert_int_equal(w.ph[0].ops[1].kind, SIM_OP_OBJFREE);
	assert_int_equal(w.ph[0].ops[1].fraction_pct, 10);
	assert_int_equal(w.ph[0].ops[1].pick, SIM_PICK_OLDEST);
	assert_int_equal(w.ph[0].ops[2].kind, SIM_OP_CHURN);
	assert_int_equal(w.ph[0].ops[2].count, 7);
	assert_int_equal(w.ph[0].ops[2].pick, SIM_PICK_RANDOM);
	assert_int_equal(w.ph[0].ops[3].kind, SIM_OP_PAGES);
	assert_int_equal(w.ph[0].total_weight, 6);
	assert_true(sim_workload_has_slab_ops(&w));
	sim_workload_free(&w);

	expect_error("objalloc cache=x\n", -EINVAL, 1, "objalloc before any phase");
	expect_error("phase a steps=1\nobjalloc count=3\n", -EINVAL, 2, "cache=NAME is required");
	expect_error("phase a steps=1\nobjalloc cache=x fraction=5%\n", -EINVAL, 2, "unknown key 'fraction'");
	expect_error("phase a steps=1\nobjfree cache=x\n", -EINVAL, 2, "count=N or fraction=P%");
	expect_error("phase a steps=1\nchurn cache=x count=1 fraction=5%\n", -EINVAL, 2, "not both");
	expect_error("phase a steps=1\nchurn cache=x fraction=101%\n", -ERANGE, 2, "fraction=101");
	expect_error("phase a steps=1\nobjfree cache=x count=1 pick=newest\n", -EINVAL, 2, "random or oldest");
	expect_error("cache x\nphase a steps=1\n", -EINVAL, 1, "size=N is required");
	expect_error("cache size=8\n", -EINVAL, 1, "a name comes first");
	expect_error("cache x size=8 align=24\n", -EINVAL, 1, "a power of two");
	expect_error("cache x size=0\n", -ERANGE, 1, "size=0");
	expect_error("cache x size=8 flags=hwcache,fast\n", -EINVAL, 1, "unknown flag 'fast'");
	expect_error("cache x size=8\ncache x size=16\n", -EINVAL, 2, "declared again (line 1)");
	expect_error("cache x size=8 colour=red\n", -EINVAL, 1, "unknown key 'colour'");
}

/* Every built-in profile parses, and lists itself. */
static void test_profiles(void **state)
{
	(void)state;
	for (size_t i = 0; sim_profile_names[i]; i++) {
		const char *spec = sim_profile_spec(sim_profile_names[i]);
		struct sim_workload w;
		struct parse_error perr;

		assert_non_null(spec);
		assert_non_null(sim_profile_summary(sim_profile_names[i]));
		if (parse(spec, &w, &perr) != 0)
			fail_msg("%s:%u: %s", sim_profile_names[i], perr.line, perr.what);
		assert_true(w.n >= 1);
		sim_workload_free(&w);
	}
	assert_null(sim_profile_spec("nosuch"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_full),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_slab),
		cmocka_unit_test(test_profiles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
