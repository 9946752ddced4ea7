/*
 * test-status.c - status_parse() over the status files of the procs
 * fixture root (tests/fixtures/roots/x86_64-6.18-procs, see its
 * PROVENANCE) and over broken input; passwd_parse() over hand-made
 * files.  Every expected value was read off the fixture by hand.
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

#include "parse/parse-procs.h"

#define ROOT "roots/x86_64-6.18-procs/proc/"

static void parse_fixture(const char *rel, struct proc_status *s)
{
	struct parse_error perr = { 0 };
	size_t len;
	char *buf = fixture_read(rel, &len);

	if (status_parse(buf, len, rel, s, &perr) < 0)
		fail_msg("%s:%u: %s", rel, perr.line, perr.what);
	free(buf);
}

/* Parse a string; returns the code, perr filled. */
static int parse_str(const char *text, struct proc_status *s, struct parse_error *perr)
{
	memset(perr, 0, sizeof(*perr));
	return status_parse(text, strlen(text), "status", s, perr);
}

static void test_bash(void **state)
{
	struct proc_status s;

	(void)state;
	parse_fixture(ROOT "16157/status", &s);
	assert_string_equal(s.name, "bash");
	assert_int_equal(s.state, 'S');
	/* Uid:	0	0	0	0 */
	assert_int_equal(s.uid[0], 0);
	assert_int_equal(s.uid[1], 0);
	assert_true(s.have & STATUS_KTHREAD);
	assert_false(s.kthread);
	assert_int_equal(s.vm_rss_kb, 4176);
	assert_int_equal(s.rss_anon_kb, 1152);
	assert_int_equal(s.rss_file_kb, 3024);
	assert_int_equal(s.rss_shmem_kb, 0);
	assert_true(s.have & STATUS_RSS_SHMEM);
	assert_int_equal(s.vm_swap_kb, 0);
	assert_true(s.have & STATUS_VM_SWAP);
	assert_int_equal(s.threads, 1);
	assert_int_equal(proc_status_kind(&s), PROC_USER);
	proc_status_free(&s);
}

static void test_python_and_init(void **state)
{
	struct proc_status s;

	(void)state;
	parse_fixture(ROOT "10669/status", &s);
	assert_string_equal(s.name, "python3");
	assert_int_equal(s.vm_rss_kb, 21740);
	assert_int_equal(s.rss_anon_kb, 6888);
	assert_int_equal(s.rss_file_kb, 6660);
	/* RssShmem 8192: the 8 MiB mmap(-1) is shared anonymous memory. */
	assert_int_equal(s.rss_shmem_kb, 8192);
	assert_int_equal(s.rss_anon_kb + s.rss_file_kb + s.rss_shmem_kb, s.vm_rss_kb);
	proc_status_free(&s);

	parse_fixture(ROOT "1/status", &s);
	assert_string_equal(s.name, "process_api");
	assert_int_equal(s.vm_rss_kb, 9308);
	assert_int_equal(s.rss_shmem_kb, 6428);
	assert_int_equal(s.threads, 13);
	assert_int_equal(proc_status_kind(&s), PROC_USER);
	proc_status_free(&s);
}

static void test_kthread(void **state)
{
	struct proc_status s;

	(void)state;
	parse_fixture(ROOT "2/status", &s);
	assert_string_equal(s.name, "kthreadd");
	assert_true(s.kthread);
	/* No mm: no Vm or Rss line at all. */
	assert_false(s.have & (STATUS_VM_RSS | STATUS_RSS_ANON | STATUS_VM_SWAP));
	assert_int_equal(proc_status_kind(&s), PROC_KTHREAD);
	proc_status_free(&s);
}

/* The hand-written status of proc/4242: no Kthread, no Rss split. */
static void test_handwritten(void **state)
{
	struct proc_status s;

	(void)state;
	parse_fixture(ROOT "4242/status", &s);
	assert_string_equal(s.name, "oddmaps");
	assert_false(s.have & STATUS_KTHREAD);
	assert_false(s.have & (STATUS_RSS_ANON | STATUS_RSS_FILE | STATUS_RSS_SHMEM));
	assert_int_equal(s.vm_rss_kb, 10260);
	assert_int_equal(proc_status_kind(&s), PROC_USER);
	proc_status_free(&s);
}

/* Older kernels print no Kthread: line; zombies have no Vm lines either. */
static void test_kinds_without_kthread_line(void **state)
{
	struct parse_error perr;
	struct proc_status s;

	(void)state;
	assert_int_equal(parse_str("Name:\tkworker/0:1\nState:\tI (idle)\nUid:\t0\t0\t0\t0\nThreads:\t1\n",
				   &s, &perr), 0);
	assert_int_equal(proc_status_kind(&s), PROC_KTHREAD);
	proc_status_free(&s);
	assert_int_equal(parse_str("Name:\tdefunct\nState:\tZ (zombie)\nUid:\t1000\t1000\t1000\t1000\nThreads:\t1\n",
				   &s, &perr), 0);
	assert_int_equal(proc_status_kind(&s), PROC_NO_MM);
	assert_int_equal(s.uid[1], 1000);
	proc_status_free(&s);
	/* A 6.x zombie: Kthread: 0 and no mm. */
	assert_int_equal(parse_str("Name:\tx\nState:\tZ (zombie)\nUid:\t0\t0\t0\t0\nKthread:\t0\nThreads:\t1\n",
				   &s, &perr), 0);
	assert_int_equal(proc_status_kind(&s), PROC_NO_MM);
	proc_status_free(&s);
}

/* Names keep blanks and the kernel's escapes; effective uid is field 2. */
static void test_name_and_uids(void **state)
{
	struct parse_error perr;
	struct proc_status s;

	(void)state;
	assert_int_equal(parse_str("Name:\tmy prog\\nx\nState:\tR (running)\n"
				   "Uid:\t1000\t0\t4294967295\t7\nThreads:\t2\nFuture_key:\twhatever: 12 kB\n",
				   &s, &perr), 0);
	assert_string_equal(s.name, "my prog\\nx");
	assert_int_equal(s.uid[0], 1000);
	assert_int_equal(s.uid[1], 0);
	assert_int_equal(s.uid[2], 4294967295u);
	assert_int_equal(s.uid[3], 7);
	assert_int_equal(s.threads, 2);
	proc_status_free(&s);
}

static void expect_fail(const char *text, int code, unsigned line, const char *what)
{
	struct parse_error perr;
	struct proc_status s;

	memset(&s, 0xa5, sizeof(s));
	assert_int_equal(parse_str(text, &s, &perr), code);
	assert_string_equal(perr.file, "status");
	assert_int_equal(perr.line, line);
	if (!strstr(perr.what, what))
		fail_msg("'%s' does not contain '%s'", perr.what, what);
	/* *ret untouched on failure. */
	for (size_t i = 0; i < sizeof(s); i++)
		assert_int_equal(((unsigned char *)&s)[i], 0xa5);
}

#define HEAD "Name:\tx\nState:\tS (sleeping)\nUid:\t0\t0\t0\t0\n"

static void test_broken(void **state)
{
	(void)state;
	expect_fail("", -EINVAL, 0, "empty file");
	expect_fail(HEAD "VmRSS:\t99999999999999999999 kB\nThreads:\t1\n", -ERANGE, 4, "number too large");
	/* 2^54 kB is 2^64 bytes. */
	expect_fail(HEAD "VmRSS:\t18014398509481984 kB\nThreads:\t1\n", -ERANGE, 4, "overflows 64 bits");
	expect_fail(HEAD "VmRSS:\t    41", -EINVAL, 4, "no unit");
	expect_fail(HEAD "VmRS", -EINVAL, 4, "expected 'Key: value'");
	expect_fail(HEAD "VmRSS:\t12 MB\nThreads:\t1\n", -EINVAL, 4, "unknown unit 'MB'");
	expect_fail(HEAD "VmRSS:\t12 kB extra\nThreads:\t1\n", -EINVAL, 4, "unexpected text");
	expect_fail(HEAD "VmSwap:\t-1 kB\nThreads:\t1\n", -EINVAL, 4, "not a number");
	expect_fail(HEAD "VmRSS:\t1 kB\nVmRSS:\t2 kB\nThreads:\t1\n", -EINVAL, 5, "appears twice");
	expect_fail(HEAD "Kthread:\t2\nThreads:\t1\n", -EINVAL, 4, "expected 0 or 1");
	expect_fail("Name:\tx\nState:\tS (sleeping)\nUid:\t0\t0\t0\nThreads:\t1\n", -EINVAL, 3, "missing value for 'Uid'");
	expect_fail("Name:\tx\nState:\tS (sleeping)\nUid:\t0\t0\t0\t4294967296\nThreads:\t1\n", -ERANGE, 3,
		    "number too large");
	expect_fail("Name:\tx\nState:\tsleeping\nUid:\t0\t0\t0\t0\nThreads:\t1\n", -EINVAL, 2, "bad state");
	expect_fail(":\t1\n", -EINVAL, 1, "key missing");
	/* Cut at a line boundary inside the memory lines: no Threads. */
	expect_fail(HEAD "VmPeak:\t    5268 kB\n", -EINVAL, 0, "no 'Threads:' line");
	expect_fail("State:\tS (sleeping)\nPid:\t80\n", -EINVAL, 0, "no 'Name:' line");
}

/* The fixture files cut at every byte: parse, or fail cleanly. */
static void test_every_prefix(void **state)
{
	static const char *const files[] = { "1", "2", "16157", "10668", "10669", "4242" };

	(void)state;
	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		char rel[128];
		size_t len;
		char *buf;

		snprintf(rel, sizeof(rel), ROOT "%s/status", files[f]);
		buf = fixture_read(rel, &len);
		for (size_t n = 0; n < len; n++) {
			struct parse_error perr = { 0 };
			struct proc_status s;
			char *copy = malloc(n ? n : 1);

			memcpy(copy, buf, n);
			if (status_parse(copy, n, "status", &s, &perr) == 0) {
				/* Only a cut after Threads: can parse. */
				assert_true(s.have & STATUS_THREADS);
				proc_status_free(&s);
			} else {
				assert_true(perr.what[0] != '\0');
			}
			free(copy);
		}
		free(buf);
	}
}

static void test_passwd(void **state)
{
	static const char text[] =
		"root:x:0:0:root:/root:/bin/bash\n"
		"# a comment\n"
		"+::::::\n"
		"\n"
		"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
		"bad:x:notanumber:1::/:/bin/sh\n"
		"huge:x:4294967296:1::/:/bin/sh\n"
		"short:x\n"
		"alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash\n"
		"toor:x:0:0:second root:/root:/bin/sh\n"
		"nouid:x::1::/:/bin/sh\n"
		"last:x:65534";
	struct parse_error perr = { 0 };
	struct passwd_db db;

	(void)state;
	assert_int_equal(passwd_parse(text, sizeof(text) - 1, "passwd", &db, &perr), 0);
	assert_int_equal(db.n, 5);
	assert_string_equal(passwd_db_name(&db, 0), "root");  /* the first of two */
	assert_string_equal(passwd_db_name(&db, 1), "daemon");
	assert_string_equal(passwd_db_name(&db, 1000), "alice");
	assert_string_equal(passwd_db_name(&db, 65534), "last");
	assert_null(passwd_db_name(&db, 2));
	passwd_db_free(&db);

	assert_int_equal(passwd_parse("", 0, "passwd", &db, &perr), 0);
	assert_int_equal(db.n, 0);
	passwd_db_free(&db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bash),
		cmocka_unit_test(test_python_and_init),
		cmocka_unit_test(test_kthread),
		cmocka_unit_test(test_handwritten),
		cmocka_unit_test(test_kinds_without_kthread_line),
		cmocka_unit_test(test_name_and_uids),
		cmocka_unit_test(test_broken),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_passwd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
