/*
 * test-procs.c - the process model (model/procs.c: values from
 * smaps_rollup, sorting, totals) and the snapshot-root loader
 * (load-procs.c) over tests/fixtures/roots/x86_64-6.18-procs and the
 * bad-procs-* roots.  Expected values were read off the fixture files by
 * hand (their smaps_rollup and status lines are quoted in comments).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fixture.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/load-procs.h"
#include "parse/parse.h"

static struct source *open_root(const char *name)
{
	struct source *src;
	char root[4096];

	snprintf(root, sizeof(root), "%s/roots/%s", FIXTURES, name);
	assert_int_equal(source_open(root, &src), 0);
	return src;
}

static struct proc_row *row_of(struct procs_table *t, int pid)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->rows[i].pid == pid)
			return &t->rows[i];
	fail_msg("no row for pid %d", pid);
	return NULL;
}

static void add_rollups(struct source *src, struct procs_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct smaps_rollup r;
		struct input_status st;

		assert_int_equal(proc_load_rollup(src, t->rows[i].pid, &r, &st), 0);
		if (st.loaded) {
			proc_row_set_rollup(&t->rows[i], &r);
			smaps_rollup_free(&r);
		}
	}
}

static void test_root(void **state)
{
	struct source *src = open_root("x86_64-6.18-procs");
	struct procs_table t;
	struct input_status dir;
	struct proc_row *r;
	uint64_t v;

	(void)state;
	assert_int_equal(procs_load_root(src, &t, &dir), 0);
	assert_true(dir.loaded);
	/* 1, 16157, 10668, 10669, 4242; kthreadd (Kthread: 1) left out. */
	assert_int_equal(t.n, 5);
	assert_int_equal(t.kernel_threads, 1);
	assert_int_equal(t.no_mm, 0);
	assert_int_equal(t.nfail, 0);

	r = row_of(&t, 10668);
	/* cmdline: ESC "[2Jevil" TAB "name" NUL "100000" NUL, raw. */
	assert_string_equal(r->cmd, "\033[2Jevil\tname 100000");
	assert_null(r->user);   /* no etc/passwd in this root */
	assert_int_equal(r->uid, 0);
	assert_int_equal(r->vm_rss_kb, 1820);
	assert_false(r->rollup);

	add_rollups(src, &t);
	/* proc/1 has no smaps_rollup (EACCES when captured). */
	assert_false(row_of(&t, 1)->rollup);
	assert_false(proc_row_rollup(row_of(&t, 1), PR_PSS, &v));
	/* ... so its swap is status VmSwap (0), not unknown. */
	assert_true(proc_row_swap(row_of(&t, 1), &v));
	assert_int_equal(v, 0);

	/* 16157: Pss 1326, Private_Clean 124, Private_Dirty 364, SwapPss 0. */
	r = row_of(&t, 16157);
	assert_true(proc_row_rollup(r, PR_PSS, &v));
	assert_int_equal(v, 1326);
	assert_true(proc_row_rollup(r, PR_USS, &v));
	assert_int_equal(v, 124 + 364);
	assert_true(proc_row_rollup(r, PR_SWAP_PSS, &v));
	assert_int_equal(v, 0);
	/* 4242: Private_Clean 316 + Private_Dirty 8428; Private_Hugetlb 4096
	 * is not part of the USS. */
	r = row_of(&t, 4242);
	assert_true(proc_row_rollup(r, PR_USS, &v));
	assert_int_equal(v, 8744);
	assert_true(proc_row_rollup(r, PR_PRIVATE_HUGETLB, &v));
	assert_int_equal(v, 4096);
	assert_true(proc_row_rollup(r, PR_PSS_SHMEM, &v));
	assert_int_equal(v, 24);

	/* Sorting by PSS: 10669 (19917), 4242 (8921), 16157 (1326),
	 * 10668 (361), then 1 (unknown) last. */
	procs_sort(t.rows, t.n, PROCS_SORT_PSS);
	assert_int_equal(t.rows[0].pid, 10669);
	assert_int_equal(t.rows[1].pid, 4242);
	assert_int_equal(t.rows[2].pid, 16157);
	assert_int_equal(t.rows[3].pid, 10668);
	assert_int_equal(t.rows[4].pid, 1);
	/* RSS: 21740, 10260, 9308, 4176, 1820. */
	procs_sort(t.rows, t.n, PROCS_SORT_RSS);
	assert_int_equal(t.rows[0].pid, 10669);
	assert_int_equal(t.rows[2].pid, 1);
	assert_int_equal(t.rows[4].pid, 10668);
	/* Command, in byte order: ESC (0x1b) sorts before '/' and 'b'. */
	procs_sort(t.rows, t.n, PROCS_SORT_COMMAND);
	assert_int_equal(t.rows[0].pid, 10668);
	assert_int_equal(t.rows[4].pid, 16157);
	procs_sort(t.rows, t.n, PROCS_SORT_PID);
	assert_int_equal(t.rows[0].pid, 1);
	assert_int_equal(t.rows[4].pid, 16157);

	{
		struct procs_totals tot;

		procs_total(t.rows, t.n, &tot);
		assert_int_equal(tot.rows, 5);
		assert_int_equal(tot.rss_kb, 21740 + 10260 + 9308 + 4176 + 1820);
		assert_int_equal(tot.pss_n, 4);
		assert_int_equal(tot.pss_kb, 19917 + 8921 + 1326 + 361);
		assert_int_equal(tot.uss_kb, (4352 + 15080) + 8744 + (124 + 364) + (40 + 108));
		assert_int_equal(tot.swap_n, 5);
	}
	procs_table_free(&t);
	source_free(src);
}

static void test_sort_keys(void **state)
{
	enum procs_sort_key k;

	(void)state;
	assert_int_equal(procs_sort_parse("pss", &k), 0);
	assert_int_equal(k, PROCS_SORT_PSS);
	assert_int_equal(procs_sort_parse("COMMAND", &k), 0);
	assert_int_equal(k, PROCS_SORT_COMMAND);
	assert_int_equal(procs_sort_parse("vsz", &k), -EINVAL);
	assert_int_equal(procs_sort_parse("", &k), -EINVAL);
	assert_string_equal(procs_sort_name(PROCS_SORT_USS), "uss");
}

/* Users: by name, a row without one by its uid in decimal; ties by pid. */
static void test_sort_user(void **state)
{
	struct proc_row rows[4] = {
		{ .pid = 9, .uid = 1000, .user = (char *)"zed" },
		{ .pid = 3, .uid = 42 },
		{ .pid = 7, .uid = 0, .user = (char *)"root" },
		{ .pid = 2, .uid = 0, .user = (char *)"root" },
	};

	(void)state;
	procs_sort(rows, 4, PROCS_SORT_USER);
	/* "42" < "root" < "zed" in byte order. */
	assert_int_equal(rows[0].pid, 3);
	assert_int_equal(rows[1].pid, 2);
	assert_int_equal(rows[2].pid, 7);
	assert_int_equal(rows[3].pid, 9);
}

/* A rollup with no counters is a process that lost its mm: all zero. */
static void test_rollup_no_mm(void **state)
{
	static const char partial[] =
		"55d0a5a00000-7ffc5a1ff000 ---p 00000000 00:00 0                          [rollup]\n"
		"Pss:                  10 kB\n"
		"Private_Clean:         4 kB\n";
	struct smaps_rollup ro;
	struct parse_error perr = { 0 };
	struct proc_row r = { .pid = 5 };
	uint64_t v = 99;

	(void)state;
	memset(&ro, 0, sizeof(ro));
	proc_row_set_rollup(&r, &ro);
	assert_true(proc_row_rollup(&r, PR_PSS, &v));
	assert_int_equal(v, 0);
	assert_true(proc_row_rollup(&r, PR_USS, &v));
	assert_int_equal(v, 0);
	/* Counters an old kernel lacks stay unknown, never 0. */
	assert_int_equal(smaps_rollup_parse(partial, strlen(partial), "rollup", &ro, &perr), 0);
	proc_row_set_rollup(&r, &ro);
	assert_true(proc_row_rollup(&r, PR_PSS, &v));
	assert_int_equal(v, 10);
	assert_false(proc_row_rollup(&r, PR_USS, &v));     /* no Private_Dirty */
	assert_false(proc_row_rollup(&r, PR_SWAP_PSS, &v));
	assert_false(proc_row_swap(&r, &v));             /* rollup read, no Swap line */
	smaps_rollup_free(&ro);
}

static void test_bad_status_root(void **state)
{
	struct source *src = open_root("bad-procs-status");
	struct procs_table t;
	struct input_status dir;

	(void)state;
	assert_int_equal(procs_load_root(src, &t, &dir), 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.nfail, 2);
	/* proc/300: VmRSS 99999999999999999999 kB on line 23. */
	assert_int_equal(t.fail[0].pid, 300);
	assert_true(t.fail[0].st.parse_error);
	assert_int_equal(t.fail[0].st.err, -ERANGE);
	assert_int_equal(t.fail[0].st.perr.line, 23);
	/* proc/301: cut inside the VmRSS line (23). */
	assert_int_equal(t.fail[1].pid, 301);
	assert_int_equal(t.fail[1].st.err, -EINVAL);
	assert_int_equal(t.fail[1].st.perr.line, 23);
	procs_table_free(&t);
	source_free(src);
}

static void test_passwd_root(void **state)
{
	struct source *src = open_root("bad-procs-rollup");
	struct procs_table t;
	struct input_status dir;

	(void)state;
	assert_int_equal(procs_load_root(src, &t, &dir), 0);
	assert_int_equal(t.n, 3);
	assert_string_equal(row_of(&t, 400)->user, "root");
	assert_string_equal(row_of(&t, 401)->user, "alice");
	assert_int_equal(row_of(&t, 402)->uid, 4321);
	assert_null(row_of(&t, 402)->user);
	procs_table_free(&t);
	source_free(src);
}

static void test_missing_proc(void **state)
{
	struct source *src = open_root("empty");
	struct procs_table t;
	struct input_status dir;

	(void)state;
	assert_int_equal(procs_load_root(src, &t, &dir), 0);
	assert_false(dir.loaded);
	assert_int_equal(dir.err, -ENOENT);
	assert_int_equal(t.n, 0);
	source_free(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root),
		cmocka_unit_test(test_sort_keys),
		cmocka_unit_test(test_sort_user),
		cmocka_unit_test(test_rollup_no_mm),
		cmocka_unit_test(test_bad_status_root),
		cmocka_unit_test(test_passwd_root),
		cmocka_unit_test(test_missing_proc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
