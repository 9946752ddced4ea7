/*
 * test-slabinfo.c - slabinfo_parse() over every real /proc/slabinfo in
 * tests/fixtures (2.6 to 6.18, SLAB and SLUB, see PROVENANCE.md there)
 * and over broken input; and the slab model (model/slab.c): merging
 * /sys/kernel/slab entries into the /proc caches, lookup and the derived
 * figures.
 *
 * Every expected number was read off the fixture by hand (line numbers
 * with grep -n); the derived figures are worked out by hand in the
 * comments.  Hand-written inputs are copied into buffers of exactly
 * their length, with no NUL after them, so an over-read shows under ASan.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fixture.h"

#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/parse.h"

#ifndef FIXTURES
#error "FIXTURES must be set to the absolute path of tests/fixtures"
#endif

#define HEADER21 "slabinfo - version: 2.1\n" \
	"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>" \
	" : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n"

/* A copy of text without its NUL, so over-reads are caught. */
static char *dup_exact(const char *text, size_t len)
{
	char *p = malloc(len ? len : 1);

	assert_non_null(p);
	if (len)
		memcpy(p, text, len);
	return p;
}

static void parse_path(const char *path, struct slabinfo *si)
{
	struct parse_error perr = { 0 };
	size_t len = 0;
	char *buf = slurp(path, &len), *exact;
	int r;

	if (!buf)
		fail_msg("cannot read %s", path);
	exact = dup_exact(buf, len);
	free(buf);
	r = slabinfo_parse(exact, len, path, si, &perr);
	if (r < 0)
		fail_msg("%s:%u: %s (%d)", path, perr.line, perr.what, r);
	free(exact);
}

static void parse_fixture(const char *rel, struct slabinfo *si)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, rel);
	parse_path(path, si);
}

static void parse_text(const char *text, struct slabinfo *si)
{
	struct parse_error perr = { 0 };
	size_t len = strlen(text);
	char *exact = dup_exact(text, len);
	int r = slabinfo_parse(exact, len, "t", si, &perr);

	if (r < 0)
		fail_msg("t:%u: %s (%d)", perr.line, perr.what, r);
	free(exact);
}

/* Parsing text must fail with code at line, leaving *ret untouched;
 * returns the message for further checks. */
static const char *expect_fail_n(const char *text, size_t len, int code, unsigned line)
{
	static struct parse_error perr;
	struct slabinfo si, sentinel;
	char *exact = dup_exact(text, len);
	int r;

	memset(&perr, 0, sizeof(perr));
	memset(&si, 0x5a, sizeof(si));
	memcpy(&sentinel, &si, sizeof(si));
	r = slabinfo_parse(exact, len, "t/slabinfo", &si, &perr);
	if (r != code || perr.line != line)
		fail_msg("want %d at line %u, got %d at line %u: %s", code, line, r, perr.line, perr.what);
	assert_non_null(perr.file);
	assert_string_equal(perr.file, "t/slabinfo");
	assert_true(perr.what[0] != '\0');
	assert_memory_equal(&si, &sentinel, sizeof(si));
	assert_int_equal(slabinfo_parse(exact, len, "t/slabinfo", &si, NULL), code);
	assert_memory_equal(&si, &sentinel, sizeof(si));
	free(exact);
	return perr.what;
}

static const char *expect_fail(const char *text, int code, unsigned line)
{
	return expect_fail_n(text, strlen(text), code, line);
}

static const struct slab_cache *cache(const struct slabinfo *si, const char *name)
{
	const struct slab_cache *c = slabinfo_find(si, name);

	if (!c)
		fail_msg("no cache '%s'", name);
	return c;
}

/* The eleven columns of a cache line and its line number. */
static void check_cols(const struct slab_cache *c, unsigned line, const uint64_t want[11])
{
	const uint64_t got[11] = {
		c->active_objs, c->num_objs, c->objsize, c->objperslab, c->pagesperslab,
		c->limit, c->batchcount, c->sharedfactor,
		c->active_slabs, c->num_slabs, c->sharedavail,
	};

	assert_int_equal(c->line, line);
	assert_int_equal(c->have, SC_SLABINFO);
	for (int i = 0; i < 11; i++)
		if (got[i] != want[i])
			fail_msg("%s column %d: got %llu, want %llu", c->name, i + 1,
				 (unsigned long long)got[i], (unsigned long long)want[i]);
}

/* ---- every fixture ------------------------------------------------------ */

/*
 * Each fixture must parse; the result is checked against the file by
 * independent means: one cache per non-blank line after the two header
 * lines, each line number pointing at a line that starts with the
 * cache's name, SC_DUPLICATE exactly on shared names (brute force), and
 * slab_allocator exactly when some tunable is non-zero.
 */
static void check_fixture(const char *path)
{
	struct slabinfo si;
	size_t len = 0, lines = 0, i, j;
	char *buf = slurp(path, &len), *p, *end;
	char **start;
	bool tunables = false;

	assert_non_null(buf);
	parse_path(path, &si);
	assert_int_equal(si.version_major, 2);
	assert_true(si.version_minor <= 1);
	assert_false(si.statistics);
	start = calloc(len + 2, sizeof(*start));
	assert_non_null(start);
	for (p = buf, end = buf + len; p < end; ) {
		char *nl = memchr(p, '\n', (size_t)(end - p));

		start[++lines] = p;
		p = nl ? nl + 1 : end;
	}
	for (i = 0, j = 0; i < lines; i++) {
		char *l = start[i + 1];

		if (*l != '\n' && l < end)
			j++;
	}
	assert_int_equal(si.n, j - 2);
	for (i = 0; i < si.n; i++) {
		const struct slab_cache *c = &si.c[i];
		size_t n = strlen(c->name);
		bool shared = false;

		assert_true(c->line >= 3 && c->line <= lines);
		assert_true(i == 0 || c->line > si.c[i - 1].line);
		assert_memory_equal(start[c->line], c->name, n);
		assert_true(start[c->line][n] == ' ');
		for (j = 0; j < si.n; j++)
			if (j != i && strcmp(si.c[j].name, c->name) == 0)
				shared = true;
		assert_int_equal(!!(c->have & SC_DUPLICATE), shared);
		assert_int_equal(c->have & ~SC_DUPLICATE, SC_SLABINFO);
		assert_int_equal(c->globalstat.n, 0);
		if (c->limit || c->batchcount || c->sharedfactor)
			tunables = true;
	}
	assert_int_equal(si.slab_allocator, tunables);
	free(start);
	free(buf);
	slabinfo_free(&si);
}

static void test_all_fixtures(void **state)
{
	static const char *const patterns[] = {
		FIXTURES "/kernel/*/slabinfo",
		FIXTURES "/roots/*/proc/slabinfo",
	};
	size_t total = 0;

	(void)state;
	for (size_t k = 0; k < sizeof(patterns) / sizeof(patterns[0]); k++) {
		glob_t g;

		assert_int_equal(glob(patterns[k], 0, NULL, &g), 0);
		for (size_t i = 0; i < g.gl_pathc; i++)
			check_fixture(g.gl_pathv[i]);
		total += g.gl_pathc;
		globfree(&g);
	}
	/* 18 kernel captures and 4 roots when this was written */
	assert_true(total >= 22);
}

/* ---- real files, values by hand ------------------------------------------ */

/* Linux 2.6.16 ARMv4T, SLAB on a uniprocessor: sharedfactor 0, names up
 * to 20 characters. */
static void test_randolph_slab(void **state)
{
	static const uint64_t tipc[] = { 0, 0, 320, 12, 1, 54, 27, 0, 0, 0, 0 };
	static const uint64_t ntfs[] = { 0, 0, 480, 8, 1, 54, 27, 0, 0, 0, 0 };
	static const uint64_t size32[] = { 1243, 1243, 32, 113, 1, 120, 60, 0, 11, 11, 0 };
	static const uint64_t kmem[] = { 160, 160, 96, 40, 1, 120, 60, 0, 4, 4, 0 };
	struct slabinfo si;
	bool est = false;

	(void)state;
	parse_fixture("kernel/RandolphWang1-D2000/slabinfo", &si);
	assert_int_equal(si.version_major, 2);
	assert_int_equal(si.version_minor, 1);
	assert_true(si.slab_allocator);
	assert_false(si.statistics);
	assert_int_equal(si.n, 126);
	assert_string_equal(si.c[0].name, "TIPC");
	check_cols(&si.c[0], 3, tipc);
	check_cols(cache(&si, "ntfs_big_inode_cache"), 37, ntfs);
	check_cols(cache(&si, "size-32"), 127, size32);
	check_cols(&si.c[125], 128, kmem);
	assert_string_equal(si.c[125].name, "kmem_cache");

	/* size-32: 11 slabs x 1 page x 4096 = 45056; 1243 x 32 = 39776 bytes
	 * (slot size, no sysfs: an estimate); waste 5280; use 100 */
	const struct slab_cache *c = cache(&si, "size-32");
	assert_int_equal(slab_cache_bytes(c, 4096), 45056);
	assert_int_equal(slab_active_bytes(c, &est), 39776);
	assert_true(est);
	assert_int_equal(slab_waste_bytes(c, 4096), 5280);
	assert_int_equal(slab_use_percent(c), 100);
	assert_int_equal(slab_active_objs(c), 1243);
	assert_int_equal(slab_num_objs(c), 1243);
	/* TIPC: empty */
	assert_int_equal(slab_cache_bytes(&si.c[0], 4096), 0);
	assert_int_equal(slab_use_percent(&si.c[0]), 0);
	slabinfo_free(&si);
}

/* Linux 4.4 ARMv7 SMP, SLAB: sharedfactor 8, sharedavail non-zero,
 * active_slabs below num_slabs. */
static void test_aepkolol_slab(void **state)
{
	static const uint64_t fclone[] = { 25, 70, 384, 10, 1, 54, 27, 8, 6, 7, 0 };
	static const uint64_t vma[] = { 828, 828, 88, 46, 1, 120, 60, 8, 18, 18, 180 };
	static const uint64_t k192[] = { 1456, 1554, 192, 21, 1, 120, 60, 8, 74, 74, 240 };
	static const uint64_t gw[] = { 0, 0, 480, 8, 1, 54, 27, 8, 0, 0, 0 };
	struct slabinfo si;
	const struct slab_cache *c;

	(void)state;
	parse_fixture("kernel/aepkolol-innofirmware/slabinfo", &si);
	assert_int_equal(si.version_minor, 1);
	assert_true(si.slab_allocator);
	assert_int_equal(si.n, 84);
	check_cols(&si.c[0], 3, gw);
	check_cols(cache(&si, "skbuff_fclone_cache"), 48, fclone);
	check_cols(cache(&si, "vm_area_struct"), 59, vma);
	check_cols(cache(&si, "kmalloc-192"), 83, k192);
	assert_string_equal(si.c[83].name, "kmem_cache");
	assert_int_equal(si.c[83].line, 86);

	/* skbuff_fclone_cache: 7 x 1 x 4096 = 28672 bytes; 25 x 384 = 9600
	 * active; waste 19072; use 25 x 100 / 70 = 35.7 -> 35 */
	c = cache(&si, "skbuff_fclone_cache");
	assert_int_equal(slab_cache_bytes(c, 4096), 28672);
	assert_int_equal(slab_active_bytes(c, NULL), 9600);
	assert_int_equal(slab_waste_bytes(c, 4096), 19072);
	assert_int_equal(slab_use_percent(c), 35);
	/* kmalloc-192: 74 x 4096 = 303104; 1456 x 192 = 279552; waste 23552;
	 * use 145600 / 1554 = 93.7 -> 93 */
	c = cache(&si, "kmalloc-192");
	assert_int_equal(slab_cache_bytes(c, 4096), 303104);
	assert_int_equal(slab_active_bytes(c, NULL), 279552);
	assert_int_equal(slab_waste_bytes(c, 4096), 23552);
	assert_int_equal(slab_use_percent(c), 93);
	slabinfo_free(&si);
}

/* 2006 i386, version 2.0: the header says "<batchcount> <limit>" but the
 * values are limit first (54 27 8); names with parentheses; a 6-digit
 * objsize; 32 pages per slab. */
static void test_lkml_2006_v20(void **state)
{
	static const uint64_t bt[] = { 3, 14, 512, 7, 1, 54, 27, 8, 2, 2, 0 };
	static const uint64_t blk[] = { 329, 425, 160, 25, 1, 120, 60, 8, 16, 17, 204 };
	static const uint64_t bio256[] = { 256, 256, 3072, 2, 2, 24, 12, 8, 128, 128, 0 };
	static const uint64_t big[] = { 0, 0, 131072, 1, 32, 8, 4, 0, 0, 0, 0 };
	static const uint64_t mq[] = { 1, 7, 512, 7, 1, 54, 27, 8, 1, 1, 0 };
	static const uint64_t kmem[] = { 135, 135, 256, 15, 1, 120, 60, 8, 9, 9, 0 };
	struct slabinfo si;
	const struct slab_cache *c;

	(void)state;
	parse_fixture("kernel/lkml-2006-rstuart-i386/slabinfo", &si);
	assert_int_equal(si.version_major, 2);
	assert_int_equal(si.version_minor, 0);
	assert_true(si.slab_allocator);
	assert_int_equal(si.n, 116);
	check_cols(&si.c[0], 3, bt);
	assert_string_equal(si.c[0].name, "bt_sock");
	check_cols(cache(&si, "mqueue_inode_cache"), 42, mq);
	check_cols(cache(&si, "blkdev_requests"), 61, blk);
	check_cols(cache(&si, "biovec-(256)"), 62, bio256);
	check_cols(cache(&si, "size-131072(DMA)"), 92, big);
	check_cols(cache(&si, "size-131072"), 93, big);
	check_cols(&si.c[115], 118, kmem);

	/* biovec-(256): 128 slabs x 2 pages x 4096 = 1048576; 256 x 3072 =
	 * 786432; waste 262144 */
	c = cache(&si, "biovec-(256)");
	assert_int_equal(slab_cache_bytes(c, 4096), 1048576);
	assert_int_equal(slab_active_bytes(c, NULL), 786432);
	assert_int_equal(slab_waste_bytes(c, 4096), 262144);
	assert_int_equal(slab_use_percent(c), 100);
	/* blkdev_requests: 17 x 4096 = 69632; 329 x 160 = 52640; use
	 * 32900 / 425 = 77.4 -> 77 */
	c = cache(&si, "blkdev_requests");
	assert_int_equal(slab_cache_bytes(c, 4096), 69632);
	assert_int_equal(slab_waste_bytes(c, 4096), 16992);
	assert_int_equal(slab_use_percent(c), 77);
	slabinfo_free(&si);
}

/* Linux 6.18 x86_64, SLUB: tunables 0 0 0, names up to 23 characters. */
static void test_this_machine_slub(void **state)
{
	static const uint64_t subflow[] = { 0, 0, 392, 20, 2, 0, 0, 0, 0, 0, 0 };
	static const uint64_t mq[] = { 17, 17, 960, 17, 4, 0, 0, 0, 1, 1, 0 };
	static const uint64_t dentry[] = { 11697, 11697, 192, 21, 1, 0, 0, 0, 557, 557, 0 };
	static const uint64_t task[] = { 110, 125, 5888, 5, 8, 0, 0, 0, 25, 25, 0 };
	static const uint64_t k192[] = { 1155, 1155, 192, 21, 1, 0, 0, 0, 55, 55, 0 };
	static const uint64_t kmem[] = { 256, 256, 256, 16, 1, 0, 0, 0, 16, 16, 0 };
	struct slabinfo si;
	const struct slab_cache *c;
	bool est = false;

	(void)state;
	parse_fixture("kernel/this-machine/slabinfo", &si);
	assert_int_equal(si.version_minor, 1);
	assert_false(si.slab_allocator);
	assert_int_equal(si.n, 235);
	assert_string_equal(si.c[0].name, "btrfs_delayed_node");
	assert_int_equal(si.c[0].line, 3);
	c = cache(&si, "request_sock_subflow_v6");
	assert_int_equal(strlen(c->name), 23);
	check_cols(c, 15, subflow);
	check_cols(cache(&si, "mqueue_inode_cache"), 27, mq);
	check_cols(cache(&si, "dentry"), 155, dentry);
	check_cols(cache(&si, "task_struct"), 167, task);
	check_cols(cache(&si, "kmalloc-192"), 234, k192);
	check_cols(&si.c[234], 237, kmem);
	assert_string_equal(si.c[234].name, "kmem_cache");

	/* task_struct: 25 slabs x 8 pages x 4096 = 819200; 110 x 5888 =
	 * 647680 (slab_size: an estimate without sysfs); waste 171520; use
	 * 11000 / 125 = 88 */
	c = cache(&si, "task_struct");
	assert_int_equal(slab_cache_bytes(c, 4096), 819200);
	assert_int_equal(slab_active_bytes(c, &est), 647680);
	assert_true(est);
	assert_int_equal(slab_waste_bytes(c, 4096), 171520);
	assert_int_equal(slab_use_percent(c), 88);
	/* 64 KiB pages: 25 x 8 x 65536 */
	assert_int_equal(slab_cache_bytes(c, 65536), 13107200);
	slabinfo_free(&si);
}

/* A laptop's SLUB file: names with colons ("iwl_cmd_pool:0000:04:00.0")
 * are not separators. */
static void test_procfs_colon_names(void **state)
{
	struct slabinfo si;
	const struct slab_cache *c = NULL;

	(void)state;
	parse_fixture("kernel/prometheus-procfs/slabinfo", &si);
	for (size_t i = 0; i < si.n; i++)
		if (strchr(si.c[i].name, ':'))
			c = &si.c[i];
	assert_non_null(c);
	assert_non_null(strstr(c->name, "0000:"));
	slabinfo_free(&si);
}

/* ---- hand-written input ------------------------------------------------- */

/*
 * The "(statistics)" variant (CONFIG_DEBUG_SLAB).  No capture of it is in
 * the fixtures: this sample is hand-made after the format in
 * reference/kernel.md 5.4 (print_slabinfo_header() of 3.x-6.7), with
 * invented values.
 */
static void test_statistics(void **state)
{
	static const char text[] =
		"slabinfo - version: 2.1 (statistics)\n"
		"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
		" : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>"
		" : globalstat <listallocs> <maxobjs> <grown> <reaped> <error> <maxfreeable> <nodeallocs> <remotefrees> <alienoverflow>"
		" : cpustat <allochit> <allocmiss> <freehit> <freemiss>\n"
		"kmalloc-64          3324   3355     64   61    1 : tunables  120   60    8 : slabdata     55     55      0"
		" : globalstat    5200   3355    60    5    0    1    7    3    2 : cpustat   5675    213   3945      2\n"
		"a_rather_long_cache_name      1      2   2048    2    1 : tunables   24   12    8 : slabdata      1      1      0"
		" : globalstat       1      2     1    0    0    0    0    0    0 : cpustat      9      8      7      6\n";
	static const char *const names[] = {
		"listallocs", "maxobjs", "grown", "reaped", "error", "maxfreeable",
		"nodeallocs", "remotefrees", "alienoverflow",
		"allochit", "allocmiss", "freehit", "freemiss",
	};
	static const uint64_t vals[] = { 5200, 3355, 60, 5, 0, 1, 7, 3, 2, 5675, 213, 3945, 2 };
	static const uint64_t cols[] = { 3324, 3355, 64, 61, 1, 120, 60, 8, 55, 55, 0 };
	struct slabinfo si;
	uint64_t v;

	(void)state;
	parse_text(text, &si);
	assert_true(si.statistics);
	assert_true(si.slab_allocator);
	assert_int_equal(si.n, 2);
	check_cols(&si.c[0], 3, cols);
	assert_int_equal(si.c[0].globalstat.n, 13);
	for (size_t i = 0; i < 13; i++) {
		assert_string_equal(si.c[0].globalstat.items[i].name, names[i]);
		assert_int_equal(si.c[0].globalstat.items[i].value, vals[i]);
	}
	assert_true(kvlist_get(&si.c[1].globalstat, "freemiss", &v));
	assert_int_equal(v, 6);
	assert_string_equal(si.c[1].name, "a_rather_long_cache_name");
	assert_int_equal(si.c[1].objsize, 2048);
	slabinfo_free(&si);
}

/* Version 2.0 with statistics (2.6.0 era): globalstat had <freelimit>
 * and 7 fields.  Hand-made, shaped like a 2003 LKML capture. */
static void test_statistics_v20(void **state)
{
	static const char text[] =
		"slabinfo - version: 2.0 (statistics)\n"
		"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
		" : tunables <batchcount> <limit> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>"
		" : globalstat <listallocs> <maxobjs> <grown> <reaped> <error> <maxfreeable> <freelimit>"
		" : cpustat <allochit> <allocmiss> <freehit <freemiss>\n"
		"size-40             2088   9760     64   61    1 : tunables   32   16    8 : slabdata    160    160      0"
		" : globalstat    3324   2010   160    0    0    0  173 : cpustat   5675    213   3945      2\n";
	struct slabinfo si;
	uint64_t v = 0;

	(void)state;
	parse_text(text, &si);
	assert_int_equal(si.version_minor, 0);
	assert_true(si.statistics);
	assert_int_equal(si.c[0].limit, 32);
	assert_int_equal(si.c[0].batchcount, 16);
	assert_int_equal(si.c[0].globalstat.n, 11);
	assert_true(kvlist_get(&si.c[0].globalstat, "freelimit", &v));
	assert_int_equal(v, 173);
	/* "<freehit" lost its '>' in that kernel: still a name */
	assert_true(kvlist_get(&si.c[0].globalstat, "freehit", &v));
	assert_int_equal(v, 3945);
	assert_true(kvlist_get(&si.c[0].globalstat, "freemiss", &v));
	assert_int_equal(v, 2);
	slabinfo_free(&si);
}

/* A section no kernel printed yet is kept as "section.field". */
static void test_unknown_section(void **state)
{
	static const char text[] =
		"slabinfo - version: 2.1\n"
		"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
		" : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>"
		" : sheaves <capacity> <full> : empty\n"
		"foo 1 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0 : sheaves 32 7 : empty\n";
	struct slabinfo si;

	(void)state;
	parse_text(text, &si);
	assert_int_equal(si.c[0].globalstat.n, 2);
	assert_string_equal(si.c[0].globalstat.items[0].name, "sheaves.capacity");
	assert_int_equal(si.c[0].globalstat.items[0].value, 32);
	assert_string_equal(si.c[0].globalstat.items[1].name, "sheaves.full");
	assert_int_equal(si.c[0].globalstat.items[1].value, 7);
	assert_false(si.statistics);
	assert_false(si.slab_allocator);
	slabinfo_free(&si);
	/* the data must follow the header's sections */
	expect_fail("slabinfo - version: 2.1\n"
		    "# name <a> <b> <c> <d> <e> : tunables <l> <b> <s> : slabdata <a> <n> <s> : sheaves <capacity>\n"
		    "foo 1 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0\n", -EINVAL, 3);
	expect_fail("slabinfo - version: 2.1\n"
		    "# name <a> <b> <c> <d> <e> : tunables <l> <b> <s> : slabdata <a> <n> <s> : sheaves <capacity>\n"
		    "foo 1 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0 : sheafs 3\n", -EINVAL, 3);
	expect_fail("slabinfo - version: 2.1\n"
		    "# name <a> <b> <c> <d> <e> : tunables <l> <b> <s> : slabdata <a> <n> <s> : sheaves <capacity>\n"
		    "foo 1 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0 : sheaves 3 4\n", -EINVAL, 3);
}

/* Names: any non-blank bytes, kept raw; duplicates all kept and marked. */
static void test_names_and_duplicates(void **state)
{
	static const char text[] = HEADER21
		"foo                    1      2     64   64    1 : tunables    0    0    0 : slabdata      1      1      0\n"
		"#hash                  3      4     64   64    1 : tunables    0    0    0 : slabdata      1      1      0\n"
		"odd\x01\xc3\xa9\x7f:name   5      6     64   64    1 : tunables    0    0    0 : slabdata      1      1      0\n"
		"foo                    7      8     64   64    1 : tunables    0    0    0 : slabdata      1      1      0\n"
		"bar                    9     10     64   64    1 : tunables    0    0    0 : slabdata      1      1      0\n"
		"foo                   11     12     64   64    1 : tunables    0    0    0 : slabdata      1      1      0\n";
	struct slabinfo si;

	(void)state;
	parse_text(text, &si);
	assert_int_equal(si.n, 6);
	assert_string_equal(si.c[1].name, "#hash");
	assert_string_equal(si.c[2].name, "odd\x01\xc3\xa9\x7f:name");
	assert_int_equal(si.c[0].have, SC_SLABINFO | SC_DUPLICATE);
	assert_int_equal(si.c[1].have, SC_SLABINFO);
	assert_int_equal(si.c[2].have, SC_SLABINFO);
	assert_int_equal(si.c[3].have, SC_SLABINFO | SC_DUPLICATE);
	assert_int_equal(si.c[4].have, SC_SLABINFO);
	assert_int_equal(si.c[5].have, SC_SLABINFO | SC_DUPLICATE);
	assert_int_equal(si.c[3].active_objs, 7);
	assert_int_equal(si.c[5].line, 8);
	/* the first of them */
	assert_ptr_equal(slabinfo_find(&si, "foo"), &si.c[0]);
	assert_ptr_equal(slabinfo_find(&si, "bar"), &si.c[4]);
	assert_null(slabinfo_find(&si, "fo"));
	assert_null(slabinfo_find(&si, "foo "));
	slabinfo_free(&si);
	assert_null(si.c);
	assert_int_equal(si.n, 0);
	slabinfo_free(&si);     /* twice is harmless */
	slabinfo_free(NULL);
}

/* Blank lines, tabs, CRLF, no final newline, single blanks. */
static void test_layout_tolerance(void **state)
{
	static const char text[] =
		"\n"
		"slabinfo - version: 2.1\r\n"
		"# name <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\r\n"
		"\r\n"
		"a\t1\t2\t3\t4\t1\t:\ttunables\t0\t0\t0\t:\tslabdata\t1\t1\t0 \r\n"
		"   \n"
		"  b 18446744073709551615 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0";
	struct slabinfo si;

	(void)state;
	parse_text(text, &si);
	assert_int_equal(si.n, 2);
	assert_string_equal(si.c[0].name, "a");
	assert_int_equal(si.c[0].line, 5);
	assert_int_equal(si.c[0].sharedavail, 0);
	assert_string_equal(si.c[1].name, "b");
	assert_int_equal(si.c[1].line, 7);
	assert_int_equal(si.c[1].active_objs, UINT64_MAX);
	/* the largest count saturates the percentage, not wraps */
	assert_int_equal(slab_use_percent(&si.c[1]), UINT_MAX);
	assert_int_equal(slab_active_bytes(&si.c[1], NULL), UINT64_MAX);
	slabinfo_free(&si);
}

static void test_bad_version(void **state)
{
	static const char cols[] =
		"# name <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n"
		"a 1 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0\n";
	static const char *const bad[] = {
		"slabinfo - version: 1.1\n",
		"slabinfo - version: 1.1 (SMP)\n",
		"slabinfo - version: 2.2\n",
		"slabinfo - version: 3.0\n",
		"slabinfo - version: 2\n",
		"slabinfo - version: 2.x\n",
		"slabinfo - version: .1\n",
		"slabinfo - version: 2.1.0\n",
		"slabinfo - version: 99999999999999999999999.1\n",
		"slabinfo - version:\n",
		"slabinfo - version: 2.1 (SMP)\n",
		"slabinfo - version: 2.1 (statistics) extra\n",
		"slabinfo version: 2.1\n",
		"slabinfo - Version: 2.1\n",
	};
	char text[512];
	const char *what;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "%s%s", bad[i], cols);
		expect_fail(text, -EINVAL, 1);
	}
	snprintf(text, sizeof(text), "slabinfo - version: 1.1\n%s", cols);
	what = expect_fail(text, -EINVAL, 1);
	assert_string_equal(what, "unsupported slabinfo version 1.1 (fragscope reads 2.0 and 2.1)");
}

static void test_missing_header(void **state)
{
	const char *what;

	(void)state;
	/* a file that starts with a cache line */
	what = expect_fail("kmalloc-8 1 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0\n", -EINVAL, 1);
	assert_string_equal(what, "expected 'slabinfo - version: 2.x' as the first line");
	/* the column header missing */
	what = expect_fail("slabinfo - version: 2.1\n"
			   "kmalloc-8 1 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0\n", -EINVAL, 2);
	assert_string_equal(what, "expected the column header '# name <active_objs> ...'");
	/* the file ends after the version */
	expect_fail("slabinfo - version: 2.1\n", -EINVAL, 2);
	expect_fail("slabinfo - version: 2.1", -EINVAL, 2);
	/* nothing at all */
	expect_fail_n("", 0, -EINVAL, 0);
	expect_fail_n(NULL, 0, -EINVAL, 0);
	expect_fail("\n \n\t\n", -EINVAL, 0);
	/* a header but no cache */
	what = expect_fail(HEADER21, -EINVAL, 0);
	assert_string_equal(what, "no caches after the header");
	expect_fail(HEADER21 "\n\n", -EINVAL, 0);
}

/* Column headers that do not have the 5 + tunables 3 + slabdata 3 layout. */
static void test_bad_column_header(void **state)
{
	static const char *const bad[] = {
		"# name <a> <b> <c> <d> : tunables <l> <b> <s> : slabdata <a> <n> <s>\n",
		"# name <a> <b> <c> <d> <e> <f> : tunables <l> <b> <s> : slabdata <a> <n> <s>\n",
		"# name <a> <b> <c> <d> <e> : tunables <l> <b> : slabdata <a> <n> <s>\n",
		"# name <a> <b> <c> <d> <e> : tunables <l> <b> <s> : slabdata <a> <n>\n",
		"# name <a> <b> <c> <d> <e> : slabdata <a> <n> <s> : tunables <l> <b> <s>\n",
		"# name <a> <b> <c> <d> <e> : tunables <l> <b> <s>\n",
		"# name <a> <b> <c> <d> <e> : tunables <l> <b> <s> : slabdata <a> <n> <s> :\n",
		"# name <a> <b> <c> <d> <e> : tunables <l> <b> <s> : slabdata <a> <n> <s> : : x\n",
		"# name <a> <b> <c> <d> <e> : tunables <l> <b> <s> : slabdata <a> <n> <s> : x <1> : x <2>\n",
		"# name <a> <b> <c> <d> <e> : tunables <l> <b> <s> : slabdata <a> <n> <s> : <x>\n",
		"# name <a> <b> <c> <d> <> : tunables <l> <b> <s> : slabdata <a> <n> <s>\n",
		"#name <a> <b> <c> <d> <e> : tunables <l> <b> <s> : slabdata <a> <n> <s>\n",
		"# nom <a> <b> <c> <d> <e> : tunables <l> <b> <s> : slabdata <a> <n> <s>\n",
		"#\n",
	};
	char text[512];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "slabinfo - version: 2.1\n%s"
			 "a 1 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0\n", bad[i]);
		expect_fail(text, -EINVAL, 2);
	}
}

/* Limits on the header: 64 columns and 16 sections are fine... */
static void test_header_limits(void **state)
{
	char hdr[4096], line[4096];
	size_t h, l;
	struct slabinfo si;
	struct parse_error perr = { 0 };
	int i;

	(void)state;
	h = (size_t)snprintf(hdr, sizeof(hdr), "slabinfo - version: 2.1\n# name <a> <b> <c> <d> <e>"
			     " : tunables <l> <b> <s> : slabdata <a> <n> <s>");
	l = (size_t)snprintf(line, sizeof(line), "x 1 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0");
	for (i = 0; i < 13; i++) {
		h += (size_t)snprintf(hdr + h, sizeof(hdr) - h, " : s%d", i);
		l += (size_t)snprintf(line + l, sizeof(line) - l, " : s%d", i);
	}
	/* 11 fields so far; 53 more in the last section makes 64 */
	for (i = 0; i < 53; i++) {
		h += (size_t)snprintf(hdr + h, sizeof(hdr) - h, " <f%d>", i);
		l += (size_t)snprintf(line + l, sizeof(line) - l, " %d", i);
	}
	snprintf(hdr + h, sizeof(hdr) - h, "\n%s\n", line);
	assert_int_equal(slabinfo_parse(hdr, strlen(hdr), "t", &si, &perr), 0);
	assert_int_equal(si.c[0].globalstat.n, 53);
	assert_string_equal(si.c[0].globalstat.items[52].name, "s12.f52");
	assert_int_equal(si.c[0].globalstat.items[52].value, 52);
	slabinfo_free(&si);
	/* ...one more of either is not */
	snprintf(hdr + h, sizeof(hdr) - h, " <f53>\n%s 53\n", line);
	expect_fail(hdr, -EINVAL, 2);
	snprintf(hdr + h, sizeof(hdr) - h, " : s13 : s14\n%s : s13 : s14\n", line);
	expect_fail(hdr, -EINVAL, 2);
}

static void test_bad_numbers(void **state)
{
	const char *what;

	(void)state;
	what = expect_fail(HEADER21 "a 1 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0\n"
			   "b 1 x2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0\n", -EINVAL, 4);
	assert_string_equal(what, "<num_objs>: not a number: 'x2'");
	expect_fail(HEADER21 "a 1 2 3 4 1 : tunables 0 0 -1 : slabdata 1 1 0\n", -EINVAL, 3);
	expect_fail(HEADER21 "a 1 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0.5\n", -EINVAL, 3);
	expect_fail(HEADER21 "a 1 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 +0\n", -EINVAL, 3);
	expect_fail(HEADER21 "a 1 2 3 4 0x1 : tunables 0 0 0 : slabdata 1 1 0\n", -EINVAL, 3);
	/* a 25-digit number */
	what = expect_fail(HEADER21 "a 1 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0\n"
			   "b 1 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0\n"
			   "c 1 2 3 4 1 : tunables 0 0 0 : slabdata 1234567890123456789012345 1 0\n",
			   -ERANGE, 5);
	assert_string_equal(what, "<active_slabs>: number too large: '1234567890123456789012345'");
	expect_fail(HEADER21 "a 18446744073709551616 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0\n",
		    -ERANGE, 3);
	/* statistics numbers too */
	expect_fail("slabinfo - version: 2.1 (statistics)\n"
		    "# name <a> <b> <c> <d> <e> : tunables <l> <b> <s> : slabdata <a> <n> <s> : globalstat <x> : cpustat <y>\n"
		    "a 1 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0 : globalstat 99999999999999999999 : cpustat 1\n",
		    -ERANGE, 3);
}

static void test_bad_lines(void **state)
{
	const char *what;

	(void)state;
	/* extra column */
	what = expect_fail(HEADER21 "a 1 2 3 4 1 5 : tunables 0 0 0 : slabdata 1 1 0\n", -EINVAL, 3);
	assert_string_equal(what, "expected ': tunables', got '5' (more columns than the header?)");
	what = expect_fail(HEADER21 "a 1 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0 0\n", -EINVAL, 3);
	assert_string_equal(what, "unexpected '0' after the last column");
	/* a name with a blank in it shifts everything */
	expect_fail(HEADER21 "two words 1 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0\n", -EINVAL, 3);
	/* wrong or missing section names */
	expect_fail(HEADER21 "a 1 2 3 4 1 : tunable 0 0 0 : slabdata 1 1 0\n", -EINVAL, 3);
	expect_fail(HEADER21 "a 1 2 3 4 1 : slabdata 1 1 0 : tunables 0 0 0\n", -EINVAL, 3);
	expect_fail(HEADER21 "a 1 2 3 4 1 tunables 0 0 0 : slabdata 1 1 0\n", -EINVAL, 3);
	expect_fail(HEADER21 "a 1 2 3 4 1 :tunables 0 0 0 : slabdata 1 1 0\n", -EINVAL, 3);
	/* too few columns */
	expect_fail(HEADER21 "a 1 2 3 4 : tunables 0 0 0 : slabdata 1 1 0\n", -EINVAL, 3);
	expect_fail(HEADER21 "a\n", -EINVAL, 3);
	/* statistics sections missing on a line */
	expect_fail("slabinfo - version: 2.1 (statistics)\n"
		    "# name <a> <b> <c> <d> <e> : tunables <l> <b> <s> : slabdata <a> <n> <s> : globalstat <x> : cpustat <y>\n"
		    "a 1 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0 : globalstat 1 : cpustat 1\n"
		    "b 1 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0\n", -EINVAL, 4);
	/* ...or present without a header for them */
	expect_fail(HEADER21 "a 1 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0 : globalstat 1\n", -EINVAL, 3);
	/* a NUL byte in a name */
	what = expect_fail_n(HEADER21 "a\0b 1 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0\n",
			     sizeof(HEADER21 "a\0b 1 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0\n") - 1,
			     -EINVAL, 3);
	assert_string_equal(what, "cache name contains a NUL byte");
	/* binary junk after the header */
	expect_fail_n(HEADER21 "\x7f" "ELF\x02\x01\x01\0\0\0\n", sizeof(HEADER21) - 1 + 11, -EINVAL, 3);
}

/* A real file cut off at every byte of its last line fails at that line
 * (and only a cut at the end of the line, which drops nothing, parses). */
static void test_cut_off(void **state)
{
	char path[1024];
	size_t len = 0, last, cut;
	char *buf;
	struct slabinfo si;

	(void)state;
	snprintf(path, sizeof(path), "%s/kernel/this-machine/slabinfo", FIXTURES);
	buf = slurp(path, &len);
	assert_non_null(buf);
	assert_true(len > 1 && buf[len - 1] == '\n');
	for (last = len - 1; last > 0 && buf[last - 1] != '\n'; last--)
		;
	/* "kmem_cache           256    256    256   16    1 : tunables ..." */
	for (cut = last + 1; cut < len - 1; cut++) {
		/* cuts inside a number that leave a valid shorter number still
		 * lose the columns after it */
		expect_fail_n(buf, cut, -EINVAL, 237);
	}
	assert_int_equal(slabinfo_parse(buf, len - 1, "t", &si, NULL), 0);
	assert_int_equal(si.n, 235);
	slabinfo_free(&si);
	/* cut before the last line: the other lines are whole */
	assert_int_equal(slabinfo_parse(buf, last, "t", &si, NULL), 0);
	assert_int_equal(si.n, 234);
	slabinfo_free(&si);
	free(buf);
}

/* ---- merging with /sys/kernel/slab ------------------------------------- */

static char *xs(const char *s)
{
	char *p = strdup(s);

	assert_non_null(p);
	return p;
}

/* A sysfs entry as the loader makes it: one directory, its geometry and
 * counts, and the symlink names pointing at it (NULL-terminated list). */
static struct slab_cache sys_entry(const char *dir, uint64_t object_size, uint64_t objects,
				   const char *const *aliases)
{
	struct slab_cache c;
	size_t n = 0;

	memset(&c, 0, sizeof(c));
	c.name = xs(dir);
	c.have = SC_SYSFS;
	c.sys = SYS_OBJECT_SIZE | SYS_OBJECTS | SYS_CTOR | SYS_ALIASES;
	c.object_size = object_size;
	c.objects.total = objects;
	c.objects.node = calloc(2, sizeof(uint64_t));
	assert_non_null(c.objects.node);
	c.objects.node[1] = objects;
	c.objects.nr_node = 2;
	c.ctor = xs("some_ctor+0x0/0x10");
	assert_int_equal(kvlist_add(&c.stats, "alloc_fastpath", 14, objects * 10), 0);
	while (aliases && aliases[n])
		n++;
	c.aliases = n ? n - 1 : 0;
	if (n) {
		c.alias_names = calloc(n, sizeof(char *));
		assert_non_null(c.alias_names);
		for (size_t i = 0; i < n; i++)
			c.alias_names[i] = xs(aliases[i]);
		c.nr_alias_names = n;
	}
	return c;
}

static void sys_make(struct slabinfo *sys, const struct slab_cache *entries, size_t n)
{
	memset(sys, 0, sizeof(*sys));
	sys->c = calloc(n, sizeof(*sys->c));
	assert_non_null(sys->c);
	memcpy(sys->c, entries, n * sizeof(*entries));
	sys->n = n;
}

static const char proc_text[] = HEADER21
	"alpha        10     20    128   32    1 : tunables    0    0    0 : slabdata      1      1      0\n"
	"dup          11     21     64   64    1 : tunables    0    0    0 : slabdata      1      1      0\n"
	"cred         12     22    192   21    1 : tunables    0    0    0 : slabdata      2      2      0\n"
	"dup          13     23     64   64    1 : tunables    0    0    0 : slabdata      1      1      0\n"
	"vmap_area    14     24     64   64    1 : tunables    0    0    0 : slabdata      1      1      0\n";

static void test_merge(void **state)
{
	static const char *const cred_aliases[] = { "pid_namespace", "cred", "user_ns", NULL };
	static const char *const dup_aliases[] = { "dup", "other", NULL };
	struct slab_cache e[5];
	struct slabinfo proc, sys;
	const struct slab_cache *c;

	(void)state;
	parse_text(proc_text, &proc);
	/* by name */
	e[0] = sys_entry("alpha", 100, 10, NULL);
	/* a name slabinfo has twice: cannot be assigned */
	e[1] = sys_entry("dup", 50, 11, NULL);
	/* a merged cache: the directory is the unique id, slabinfo shows the
	 * surviving name, one of the symlinks */
	e[2] = sys_entry(":A-0000192", 168, 12, cred_aliases);
	/* only in sysfs */
	e[3] = sys_entry("only_sysfs", 32, 0, NULL);
	/* a merged cache whose surviving name is the duplicated one */
	e[4] = sys_entry(":0000064", 64, 13, dup_aliases);
	sys_make(&sys, e, 5);

	assert_int_equal(slabinfo_merge(&proc, &sys), 0);
	assert_int_equal(sys.n, 0);
	assert_null(sys.c);
	assert_int_equal(proc.n, 6);

	c = &proc.c[0];
	assert_string_equal(c->name, "alpha");
	assert_int_equal(c->have, SC_SLABINFO | SC_SYSFS);
	assert_int_equal(c->line, 3);
	assert_int_equal(c->active_objs, 10);
	assert_int_equal(c->objsize, 128);
	assert_int_equal(c->object_size, 100);
	assert_int_equal(c->objects.total, 10);
	assert_int_equal(c->objects.nr_node, 2);
	assert_string_equal(c->ctor, "some_ctor+0x0/0x10");
	assert_int_equal(c->stats.n, 1);
	assert_null(c->sys_name);
	assert_int_equal(c->nr_alias_names, 0);

	/* both "dup" caches: marked, no sysfs detail from either directory */
	assert_int_equal(proc.c[1].have, SC_SLABINFO | SC_DUPLICATE);
	assert_int_equal(proc.c[3].have, SC_SLABINFO | SC_DUPLICATE);
	assert_int_equal(proc.c[1].sys, 0);
	assert_null(proc.c[1].ctor);

	c = &proc.c[2];
	assert_string_equal(c->name, "cred");
	assert_int_equal(c->have, SC_SLABINFO | SC_SYSFS);
	assert_int_equal(c->line, 5);
	assert_int_equal(c->object_size, 168);
	assert_int_equal(c->aliases, 2);
	assert_string_equal(c->sys_name, ":A-0000192");
	assert_int_equal(c->nr_alias_names, 2);
	assert_string_equal(c->alias_names[0], "pid_namespace");
	assert_string_equal(c->alias_names[1], "user_ns");

	c = &proc.c[4];
	assert_string_equal(c->name, "vmap_area");
	assert_int_equal(c->have, SC_SLABINFO);

	c = &proc.c[5];
	assert_string_equal(c->name, "only_sysfs");
	assert_int_equal(c->have, SC_SYSFS);
	assert_int_equal(c->line, 0);
	assert_int_equal(c->object_size, 32);
	assert_null(c->sys_name);
	assert_ptr_equal(slabinfo_find(&proc, "only_sysfs"), c);
	assert_null(slabinfo_find(&proc, ":A-0000192"));
	assert_null(slabinfo_find(&proc, ":0000064"));

	slabinfo_free(&proc);
	slabinfo_free(&sys);
}

/* Directories that cannot be placed: two for one cache, aliases naming two
 * caches.  They are dropped (and freed: ASan / valgrind see leaks). */
static void test_merge_conflicts(void **state)
{
	static const char *const alpha_alias[] = { "alpha", NULL };
	static const char *const two[] = { "cred", "vmap_area", NULL };
	static const char *const none[] = { "not_there", NULL };
	struct slab_cache e[4];
	struct slabinfo proc, sys;

	(void)state;
	parse_text(proc_text, &proc);
	e[0] = sys_entry("alpha", 100, 10, NULL);
	e[1] = sys_entry(":0000128", 128, 10, alpha_alias);   /* alpha again */
	e[2] = sys_entry(":0000064", 64, 10, two);
	e[3] = sys_entry(":0000008", 8, 10, none);          /* no proc cache: appended */
	sys_make(&sys, e, 4);
	assert_int_equal(slabinfo_merge(&proc, &sys), 0);
	assert_int_equal(sys.n, 0);
	assert_int_equal(proc.n, 6);
	assert_int_equal(proc.c[0].object_size, 100);
	assert_null(proc.c[0].sys_name);
	assert_int_equal(proc.c[2].have, SC_SLABINFO);
	assert_int_equal(proc.c[4].have, SC_SLABINFO);
	assert_string_equal(proc.c[5].name, ":0000008");
	assert_int_equal(proc.c[5].have, SC_SYSFS);
	assert_int_equal(proc.c[5].nr_alias_names, 1);
	assert_string_equal(proc.c[5].alias_names[0], "not_there");
	slabinfo_free(&proc);
}

/* No /proc/slabinfo (unreadable): every directory is a cache.  No sysfs
 * (SLAB, or not mounted): proc stays as it was. */
static void test_merge_one_side(void **state)
{
	struct slab_cache e[2];
	struct slabinfo proc, sys, empty;

	(void)state;
	memset(&proc, 0, sizeof(proc));
	e[0] = sys_entry("a", 1, 1, NULL);
	e[1] = sys_entry("b", 2, 2, NULL);
	sys_make(&sys, e, 2);
	assert_int_equal(slabinfo_merge(&proc, &sys), 0);
	assert_int_equal(proc.n, 2);
	assert_int_equal(proc.version_major, 0);
	assert_string_equal(proc.c[1].name, "b");
	assert_int_equal(proc.c[1].have, SC_SYSFS);
	slabinfo_free(&proc);

	parse_text(proc_text, &proc);
	memset(&empty, 0, sizeof(empty));
	assert_int_equal(slabinfo_merge(&proc, &empty), 0);
	assert_int_equal(proc.n, 5);
	assert_int_equal(proc.c[0].have, SC_SLABINFO);
	slabinfo_free(&proc);
}

/* ---- derived figures ---------------------------------------------------- */

/*
 * kmalloc-192 from reference/kernel.md 4.3 (sysfs of the 6.18 machine):
 * object_size 192, objects = total_objects = 10437, slabs 497, order 0.
 * tools/mm/slabinfo: Space = 497 x 4096 = 2035712; Used = 10437 x 192 =
 * 2003904; Loss = 31808.  Its slabinfo line (section 5.4, read at another
 * moment) says 10374 objects in 494 slabs: the sysfs figures win.
 */
static void test_metrics_sysfs(void **state)
{
	struct slab_cache c;
	bool est = true;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.have = SC_SLABINFO | SC_SYSFS;
	c.active_objs = c.num_objs = 10374;
	c.objsize = 192;
	c.pagesperslab = 1;
	c.active_slabs = c.num_slabs = 494;
	c.sys = SYS_OBJECT_SIZE | SYS_SLAB_SIZE | SYS_ORDER | SYS_OBJECTS |
		SYS_TOTAL_OBJECTS | SYS_SLABS;
	c.object_size = c.slab_size = 192;
	c.order = 0;
	c.objects.total = c.total_objects.total = 10437;
	c.slabs.total = 497;
	assert_int_equal(slab_cache_bytes(&c, 4096), 2035712);
	assert_int_equal(slab_active_bytes(&c, &est), 2003904);
	assert_false(est);
	assert_int_equal(slab_waste_bytes(&c, 4096), 31808);
	assert_int_equal(slab_active_objs(&c), 10437);
	assert_int_equal(slab_num_objs(&c), 10437);
	assert_int_equal(slab_use_percent(&c), 100);

	/* a cache padded for alignment: object_size 100 in 128-byte slots,
	 * order 1, 3 slabs x 8192 = 24576; 50 x 100 = 5000; waste 19576; use
	 * 50 x 100 / 192 = 26.04 -> 26 */
	c.object_size = 100;
	c.slab_size = 128;
	c.order = 1;
	c.slabs.total = 3;
	c.objects.total = 50;
	c.total_objects.total = 192;
	assert_int_equal(slab_cache_bytes(&c, 4096), 24576);
	assert_int_equal(slab_active_bytes(&c, &est), 5000);
	assert_false(est);
	assert_int_equal(slab_waste_bytes(&c, 4096), 19576);
	assert_int_equal(slab_use_percent(&c), 26);

	/* sysfs without object_size and no slabinfo: slot size, an estimate */
	c.have = SC_SYSFS;
	c.sys &= ~(unsigned)SYS_OBJECT_SIZE;
	assert_int_equal(slab_active_bytes(&c, &est), 6400);
	assert_true(est);
	/* sysfs without slabs: the slabinfo columns, if any */
	c.sys &= ~(unsigned)SYS_SLABS;
	assert_int_equal(slab_cache_bytes(&c, 4096), 0);
	c.have |= SC_SLABINFO;
	assert_int_equal(slab_cache_bytes(&c, 4096), 494 * 4096);
	/* active bytes above cache bytes (counts read at other moments): no
	 * negative waste */
	c.num_slabs = 0;
	assert_int_equal(slab_waste_bytes(&c, 4096), 0);
}

static void test_metrics_edges(void **state)
{
	struct slab_cache c;
	bool est = false;

	(void)state;
	memset(&c, 0, sizeof(c));
	/* nothing known */
	assert_int_equal(slab_cache_bytes(&c, 4096), 0);
	assert_int_equal(slab_active_bytes(&c, &est), 0);
	assert_true(est);
	assert_int_equal(slab_waste_bytes(&c, 4096), 0);
	assert_int_equal(slab_use_percent(&c), 0);
	assert_int_equal(slab_active_objs(&c), 0);
	assert_int_equal(slab_num_objs(&c), 0);
	/* saturation instead of wrapping */
	c.have = SC_SYSFS;
	c.sys = SYS_SLABS | SYS_ORDER;
	c.slabs.total = 2;
	c.order = 63;
	assert_int_equal(slab_cache_bytes(&c, 4096), UINT64_MAX);
	c.order = 64;
	assert_int_equal(slab_cache_bytes(&c, 1), UINT64_MAX);
	c.order = 200;
	assert_int_equal(slab_cache_bytes(&c, 4096), UINT64_MAX);
	c.slabs.total = 0;
	assert_int_equal(slab_cache_bytes(&c, 4096), 0);
	c.slabs.total = UINT64_MAX / 2;
	c.order = 0;
	assert_int_equal(slab_cache_bytes(&c, 2), UINT64_MAX - 1);
	assert_int_equal(slab_cache_bytes(&c, 4), UINT64_MAX);
	c.have = SC_SLABINFO;
	c.sys = 0;
	c.num_slabs = UINT64_MAX;
	c.pagesperslab = 2;
	assert_int_equal(slab_cache_bytes(&c, 4096), UINT64_MAX);
	/* more active than capacity (bad input): over 100, no overflow */
	c.active_objs = 300;
	c.num_objs = 100;
	assert_int_equal(slab_use_percent(&c), 300);
	c.active_objs = UINT64_MAX / 10;
	c.num_objs = 1;
	assert_int_equal(slab_use_percent(&c), UINT_MAX);
}

/*
 * slabinfo_refresh(), the live views' re-read: each cache of the fresh
 * parse gets the sysfs part of the old cache of the same name (the k-th
 * of a duplicated name the k-th's), with its owned pointers moved, not
 * copied; a vanished cache goes, a new one has no sysfs part, and a
 * sysfs-only cache stays at the end.
 */
#define REFRESH_HEAD "slabinfo - version: 2.1\n" \
	"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n"

static void give_sysfs(struct slab_cache *c, uint64_t object_size, uint64_t partial)
{
	c->have |= SC_SYSFS;
	c->sys |= SYS_OBJECT_SIZE | SYS_PARTIAL;
	c->object_size = object_size;
	c->partial.total = partial;
	c->partial.node = calloc(1, sizeof(uint64_t));
	assert_non_null(c->partial.node);
	c->partial.node[0] = partial;
	c->partial.nr_node = 1;
}

static void test_refresh_carries_sysfs(void **state)
{
	struct slabinfo old = { 0 }, fresh = { 0 };
	struct slab_cache *sysonly;

	(void)state;
	parse_text(REFRESH_HEAD
		   "dentry            100 200 192 21 1 : tunables 0 0 0 : slabdata 10 10 0\n"
		   "gone               10  20  64 64 1 : tunables 0 0 0 : slabdata  1  1 0\n"
		   "dup                 1   2  32 128 1 : tunables 0 0 0 : slabdata 1 1 0\n"
		   "dup                 3   4  32 128 1 : tunables 0 0 0 : slabdata 1 1 0\n", &old);
	assert_int_equal(old.n, 4);
	give_sysfs(&old.c[0], 184, 7);
	give_sysfs(&old.c[1], 60, 1);
	give_sysfs(&old.c[2], 30, 2);
	give_sysfs(&old.c[3], 31, 3);
	/* A cache only sysfs knows. */
	old.c = realloc(old.c, (old.n + 1) * sizeof(*old.c));
	assert_non_null(old.c);
	sysonly = &old.c[old.n++];
	memset(sysonly, 0, sizeof(*sysonly));
	sysonly->name = strdup("sysonly");
	give_sysfs(sysonly, 8, 0);
	sysonly->have = SC_SYSFS;

	parse_text(REFRESH_HEAD
		   "new                 5   8  16 256 1 : tunables 0 0 0 : slabdata 1 1 0\n"
		   "dup                 2   2  32 128 1 : tunables 0 0 0 : slabdata 1 1 0\n"
		   "dentry            150 210 192 21 1 : tunables 0 0 0 : slabdata 10 10 0\n"
		   "dup                 4   4  32 128 1 : tunables 0 0 0 : slabdata 1 1 0\n", &fresh);
	assert_int_equal(slabinfo_refresh(&old, &fresh), 0);
	assert_int_equal(fresh.n, 0);
	assert_null(fresh.c);
	assert_int_equal(old.n, 5);
	assert_string_equal(old.c[0].name, "new");
	assert_false(old.c[0].have & SC_SYSFS);
	assert_int_equal(old.c[0].sys, 0);
	assert_string_equal(old.c[1].name, "dup");
	assert_int_equal(old.c[1].active_objs, 2);        /* the new numbers */
	assert_int_equal(old.c[1].object_size, 30);       /* the first dup's sysfs */
	assert_true(old.c[1].have & SC_DUPLICATE);
	assert_string_equal(old.c[2].name, "dentry");
	assert_int_equal(old.c[2].active_objs, 150);
	assert_int_equal(old.c[2].object_size, 184);
	assert_int_equal(old.c[2].partial.total, 7);
	assert_int_equal(old.c[2].partial.node[0], 7);    /* moved, still owned once */
	assert_int_equal(old.c[3].object_size, 31);       /* the second dup's */
	assert_string_equal(old.c[4].name, "sysonly");
	assert_int_equal(old.c[4].have, SC_SYSFS);
	assert_int_equal(slab_active_objs(&old.c[2]), 150);
	slabinfo_free(&old);
}

/*
 * slabinfo_update(), the live views' re-read in place: the same caches in
 * the same order change only their numbers; anything else (a cache more
 * or less, another name or order, a malformed number, another version)
 * says 1 so that the caller parses afresh.
 */
#define UPD_LINE(name, a) name "  " a "     12     64   64    1 : tunables    0    0    0 : slabdata      1      1      0\n"

static void test_update_in_place(void **state)
{
	static const char before[] = HEADER21 UPD_LINE("foo", "1") UPD_LINE("bar", "2") UPD_LINE("foo", "3");
	static const char after[] = HEADER21 UPD_LINE("foo", "10") UPD_LINE("bar", "11") UPD_LINE("foo", "12");
	static const char *const differ[] = {
		HEADER21 UPD_LINE("foo", "10") UPD_LINE("bar", "11"),                       /* one less */
		HEADER21 UPD_LINE("foo", "10") UPD_LINE("bar", "11") UPD_LINE("foo", "12")
			 UPD_LINE("baz", "13"),                                             /* one more */
		HEADER21 UPD_LINE("bar", "10") UPD_LINE("foo", "11") UPD_LINE("foo", "12"), /* order */
		HEADER21 UPD_LINE("fox", "10") UPD_LINE("bar", "11") UPD_LINE("foo", "12"), /* name */
		HEADER21 UPD_LINE("fo", "10") UPD_LINE("bar", "11") UPD_LINE("foo", "12"),  /* prefix */
		HEADER21 UPD_LINE("foo", "1x") UPD_LINE("bar", "11") UPD_LINE("foo", "12"), /* number */
		HEADER21 UPD_LINE("foo", "99999999999999999999") UPD_LINE("bar", "11")
			 UPD_LINE("foo", "12"),                                             /* overflow */
		HEADER21 "foo  10     12     64   64    1 : tunables    0    0    0 : slabdata      1      1\n"
			 UPD_LINE("bar", "11") UPD_LINE("foo", "12"),                       /* cut */
		"slabinfo - version: 2.0\n# name <active_objs>\n" UPD_LINE("foo", "10"),    /* version */
	};
	struct slabinfo si;

	(void)state;
	parse_text(before, &si);
	assert_int_equal(slabinfo_update(&si, after, strlen(after)), 0);
	assert_int_equal(si.n, 3);
	assert_int_equal(si.c[0].active_objs, 10);
	assert_int_equal(si.c[1].active_objs, 11);
	assert_int_equal(si.c[2].active_objs, 12);
	assert_string_equal(si.c[2].name, "foo");
	assert_int_equal(si.c[2].have, SC_SLABINFO | SC_DUPLICATE);
	assert_int_equal(si.c[1].num_slabs, 1);
	for (size_t i = 0; i < sizeof(differ) / sizeof(differ[0]); i++)
		if (slabinfo_update(&si, differ[i], strlen(differ[i])) != 1)
			fail_msg("case %zu: updated in place", i);
	slabinfo_free(&si);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_fixtures),
		cmocka_unit_test(test_randolph_slab),
		cmocka_unit_test(test_aepkolol_slab),
		cmocka_unit_test(test_lkml_2006_v20),
		cmocka_unit_test(test_this_machine_slub),
		cmocka_unit_test(test_procfs_colon_names),
		cmocka_unit_test(test_statistics),
		cmocka_unit_test(test_statistics_v20),
		cmocka_unit_test(test_unknown_section),
		cmocka_unit_test(test_names_and_duplicates),
		cmocka_unit_test(test_layout_tolerance),
		cmocka_unit_test(test_bad_version),
		cmocka_unit_test(test_missing_header),
		cmocka_unit_test(test_bad_column_header),
		cmocka_unit_test(test_header_limits),
		cmocka_unit_test(test_refresh_carries_sysfs),
		cmocka_unit_test(test_update_in_place),
		cmocka_unit_test(test_bad_numbers),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_cut_off),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_merge_conflicts),
		cmocka_unit_test(test_merge_one_side),
		cmocka_unit_test(test_metrics_sysfs),
		cmocka_unit_test(test_metrics_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
