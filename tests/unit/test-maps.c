/*
 * test-maps.c - maps_parse(), smaps_parse() and smaps_rollup_parse() over
 * real captures (tests/fixtures/kernel, see PROVENANCE.md there) and over
 * broken input.  Every expected value below was read off the fixture by
 * hand (line numbers in the comments).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fixture.h"

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/parse.h"
#include "util/util.h"

enum which { W_MAPS, W_SMAPS };

static void parse_fixture(enum which w, const char *rel, struct maps *m)
{
	struct parse_error perr = { 0 };
	char path[1024];
	size_t len;
	char *buf;
	int r;

	snprintf(path, sizeof(path), "kernel/%s", rel);
	buf = fixture_read(path, &len);
	r = w == W_MAPS ? maps_parse(buf, len, rel, m, &perr)
			: smaps_parse(buf, len, rel, m, &perr);
	if (r < 0)
		fail_msg("%s:%u: %s", rel, perr.line, perr.what);
	free(buf);
}

static void parse_rollup_fixture(const char *rel, struct smaps_rollup *ro)
{
	struct parse_error perr = { 0 };
	char path[1024];
	size_t len;
	char *buf;
	int r;

	snprintf(path, sizeof(path), "kernel/%s", rel);
	buf = fixture_read(path, &len);
	r = smaps_rollup_parse(buf, len, rel, ro, &perr);
	if (r < 0)
		fail_msg("%s:%u: %s", rel, perr.line, perr.what);
	free(buf);
}

/* Index of the VMA starting at start; fails the test if none. */
static size_t find(const struct maps *m, uint64_t start)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].start == start)
			return i;
	fail_msg("no VMA at %#llx", (unsigned long long)start);
	return 0;
}

/* Check the fixed columns, the path (without " (deleted)"), kind and flag. */
static void check_vma(const struct maps *m, size_t i, uint64_t start, uint64_t end,
		      const char *perms, uint64_t offset, unsigned maj, unsigned min,
		      uint64_t inode, const char *path, enum vma_kind kind, bool deleted)
{
	const struct vma *v = &m->v[i];
	const char *p;
	size_t n;

	assert_int_equal(v->start, start);
	assert_int_equal(v->end, end);
	assert_string_equal(v->perm_chars, perms);
	assert_int_equal(v->offset, offset);
	assert_int_equal(v->dev_major, maj);
	assert_int_equal(v->dev_minor, min);
	assert_int_equal(v->inode, inode);
	p = vma_path(m, v, &n);
	assert_int_equal(n, strlen(path));
	assert_memory_equal(p, path, n);
	assert_int_equal(v->kind, kind);
	assert_int_equal(v->deleted, deleted);
}

static uint64_t counter(const struct smaps_fields *t, const struct smaps_counters *c,
			enum smaps_counter k)
{
	uint64_t v = 0;

	if (!smaps_counter_get(t, c, k, &v))
		fail_msg("counter %s absent", smaps_counter_name(k));
	return v;
}

static void check_vmflags(const struct maps *m, size_t i, const char *want)
{
	size_t n;
	const char *s = vma_vmflags(m, i, &n);

	assert_int_equal(n, strlen(want));
	assert_memory_equal(s, want, n);
}

/* ---- maps ---- */

static void test_oddmaps(void **state)
{
	struct maps m;
	char buf[128];
	const char *p;
	size_t i, n;

	(void)state;
	parse_fixture(W_MAPS, "this-machine/maps.oddmaps", &m);
	assert_int_equal(m.n, 54);
	assert_null(m.smaps);
	/* line 1 */
	check_vma(&m, 0, 0x55f5b41e1000, 0x55f5b41e2000, "r--p", 0, 0xfe, 0, 10953202,
		  "/var/tmp/demo/tools/oddmaps", VMA_KIND_FILE, false);
	assert_int_equal(m.v[0].perms, VMA_READ);
	assert_int_equal(m.v[0].line, 1);
	/* line 6 */
	check_vma(&m, 5, 0x55f5b46bf000, 0x55f5b46e0000, "rw-p", 0, 0, 0, 0, "[heap]",
		  VMA_KIND_HEAP, false);
	/* line 7: hugetlb, shared */
	check_vma(&m, 6, 0x7f658f600000, 0x7f658f800000, "rw-s", 0, 0, 0x11, 18897,
		  "/anon_hugepage", VMA_KIND_FILE, true);
	assert_int_equal(m.v[6].perms, VMA_READ | VMA_WRITE | VMA_SHARED);
	/* line 9: anonymous, "0 " then end of line */
	check_vma(&m, 8, 0x7f658fbe4000, 0x7f658fbe8000, "rw-p", 0, 0, 0, 0, "",
		  VMA_KIND_ANON, false);
	assert_int_equal(m.v[8].name_len, 0);
	/* line 21: rwx, line 22: PROT_NONE */
	assert_string_equal(m.v[20].perm_chars, "rwxp");
	assert_int_equal(m.v[20].perms, VMA_READ | VMA_WRITE | VMA_EXEC);
	assert_string_equal(m.v[21].perm_chars, "---p");
	assert_int_equal(m.v[21].perms, 0);
	/* line 24: SysV shm */
	check_vma(&m, 23, 0x7f659065e000, 0x7f6590664000, "rw-s", 0, 0, 1, 15,
		  "/SYSV000012ab", VMA_KIND_SYSV_SHM, true);
	/* line 25: shared anonymous */
	check_vma(&m, 24, 0x7f6590664000, 0x7f6590669000, "rw-s", 0, 0, 1, 1057,
		  "/dev/zero", VMA_KIND_FILE, true);
	/* line 26: memfd with spaces in the name */
	check_vma(&m, 25, 0x7f6590669000, 0x7f659066c000, "rw-s", 0, 0, 1, 1056,
		  "/memfd:memfd with spaces", VMA_KIND_MEMFD, true);
	/* line 27: a 3855-byte path (the line is 3928 bytes, the name starts at 73) */
	p = vma_name(&m, &m.v[26], &n);
	assert_int_equal(n, 3928 - 73);
	assert_memory_equal(p, "/var/tmp/demo/oddfiles/00LLLL", 29);
	assert_int_equal(p[n], '\0');
	/* line 28: 9 hex digits of offset */
	check_vma(&m, 27, 0x7f659066d000, 0x7f659066f000, "r--s", 0x100010000ULL, 0xfe, 0,
		  10963166, "/var/tmp/demo/oddfiles/sparse-5G.dat", VMA_KIND_FILE, false);
	/* line 29: UTF-8, raw bytes */
	check_vma(&m, 28, 0x7f659066f000, 0x7f6590670000, "r--p", 0, 0xfe, 0, 10963165,
		  "/var/tmp/demo/oddfiles/\xc3\xbcn\xc3\xaf\x63\xc3\xb8\x64\xc3\xa9-"
		  "\xe5\x90\x8d\xe5\x89\x8d.dat",
		  VMA_KIND_FILE, false);
	/* line 37: a file named [heap] is a file */
	check_vma(&m, 36, 0x7f6590855000, 0x7f6590856000, "r--p", 0, 0xfe, 0, 10963164,
		  "/var/tmp/demo/oddfiles/[heap]", VMA_KIND_FILE, false);
	/* line 38: the trailing blank is part of the name */
	check_vma(&m, 37, 0x7f6590856000, 0x7f6590857000, "r--p", 0, 0xfe, 0, 10963163,
		  "/var/tmp/demo/oddfiles/trailing space ", VMA_KIND_FILE, false);
	/* line 39: a tab */
	check_vma(&m, 38, 0x7f6590857000, 0x7f6590858000, "r--p", 0, 0xfe, 0, 10963162,
		  "/var/tmp/demo/oddfiles/tab\there.dat", VMA_KIND_FILE, false);
	/* line 40: a newline, escaped by the kernel */
	check_vma(&m, 39, 0x7f6590858000, 0x7f6590859000, "r--p", 0, 0xfe, 0, 10963161,
		  "/var/tmp/demo/oddfiles/new\\012line.dat", VMA_KIND_FILE, false);
	p = vma_name(&m, &m.v[39], &n);
	assert_true(n < sizeof(buf));
	n = vma_unescape(p, n, buf);
	assert_string_equal(buf, "/var/tmp/demo/oddfiles/new\nline.dat");
	assert_int_equal(n, strlen(buf));
	/* line 41: a live file really named "fake (deleted)": indistinguishable
	 * from a deleted "fake" in maps, so flagged the same way */
	check_vma(&m, 40, 0x7f6590859000, 0x7f659085a000, "r--p", 0, 0xfe, 0, 10963160,
		  "/var/tmp/demo/oddfiles/fake", VMA_KIND_FILE, true);
	p = vma_name(&m, &m.v[40], &n);
	assert_int_equal(n, strlen("/var/tmp/demo/oddfiles/fake (deleted)"));
	assert_string_equal(p, "/var/tmp/demo/oddfiles/fake (deleted)");
	/* line 42: really deleted */
	check_vma(&m, 41, 0x7f659085a000, 0x7f659085c000, "rw-s", 0, 0xfe, 0, 10963159,
		  "/var/tmp/demo/oddfiles/deleted-later.dat", VMA_KIND_FILE, true);
	/* line 43: spaces */
	check_vma(&m, 42, 0x7f659085c000, 0x7f6590860000, "r--s", 0, 0xfe, 0, 10963158,
		  "/var/tmp/demo/oddfiles/name with spaces.dat", VMA_KIND_FILE, false);
	/* lines 45-47, 53, 54: special mappings */
	assert_int_equal(m.v[44].kind, VMA_KIND_VVAR);
	assert_int_equal(m.v[45].kind, VMA_KIND_VVAR_VCLOCK);
	assert_int_equal(m.v[46].kind, VMA_KIND_VDSO);
	check_vma(&m, 52, 0x7ffcc6ceb000, 0x7ffcc6d0c000, "rw-p", 0, 0, 0, 0, "[stack]",
		  VMA_KIND_STACK, false);
	check_vma(&m, 53, 0xffffffffff600000ULL, 0xffffffffff601000ULL, "--xp", 0, 0, 0, 0,
		  "[vsyscall]", VMA_KIND_VSYSCALL, false);
	assert_int_equal(m.v[53].perms, VMA_EXEC);
	assert_int_equal(m.v[53].line, 54);
	for (i = 0; i < m.n; i++)
		assert_true(m.v[i].start < m.v[i].end);
	maps_free(&m);
}

static void test_manymaps(void **state)
{
	struct maps m;

	(void)state;
	parse_fixture(W_MAPS, "this-machine/maps.manymaps", &m);
	assert_int_equal(m.n, 5024);
	check_vma(&m, 0, 0x5628ad686000, 0x5628ad687000, "r--p", 0, 0xfe, 0, 10953202,
		  "/var/tmp/demo/tools/oddmaps", VMA_KIND_FILE, false);
	/* line 5000 */
	check_vma(&m, 4999, 0x7f97b66f7000, 0x7f97b66fb000, "r--p", 0x1cf000, 0xfe, 0, 332835,
		  "/usr/lib/x86_64-linux-gnu/libc.so.6", VMA_KIND_FILE, false);
	check_vma(&m, 5023, 0xffffffffff600000ULL, 0xffffffffff601000ULL, "--xp", 0, 0, 0, 0,
		  "[vsyscall]", VMA_KIND_VSYSCALL, false);
	maps_free(&m);
}

static void test_arm32(void **state)
{
	struct maps m;

	(void)state;
	parse_fixture(W_MAPS, "apporator-zteorange/maps.pid606", &m);
	assert_int_equal(m.n, 49);
	/* lines 6-8 */
	check_vma(&m, 5, 0x68000000, 0x68020000, "rw-s", 0, 0, 5, 32769, "/SYSV0000abab",
		  VMA_KIND_SYSV_SHM, true);
	check_vma(&m, 6, 0x69000000, 0x69001000, "rw-s", 0, 0, 5, 0, "/SYSV0000aaaa",
		  VMA_KIND_SYSV_SHM, true);
	check_vma(&m, 7, 0xb6dcc000, 0xb6e40000, "rw-s", 0x46680000, 0x1f, 0x0a, 149,
		  "/dev/mem", VMA_KIND_FILE, false);
	/* lines 48, 49 */
	check_vma(&m, 47, 0xbed6c000, 0xbed6d000, "r-xp", 0, 0, 0, 0, "[sigpage]",
		  VMA_KIND_BRACKETED, false);
	check_vma(&m, 48, 0xffff0000, 0xffff1000, "r-xp", 0, 0, 0, 0, "[vectors]",
		  VMA_KIND_BRACKETED, false);
	maps_free(&m);
}

static void test_old_no_trailing_blank(void **state)
{
	struct maps m;

	(void)state;
	/* 2.6-era maps: one blank before the name, no trailing blank on anon lines */
	parse_fixture(W_MAPS, "prometheus-procfs/maps.pid26234", &m);
	assert_int_equal(m.n, 4);
	check_vma(&m, 0, 0x08048000, 0x08089000, "r-xp", 0, 3, 1, 104219, "/bin/tcsh",
		  VMA_KIND_FILE, false);
	check_vma(&m, 2, 0x0808c000, 0x08146000, "rwxp", 0, 0, 0, 0, "", VMA_KIND_ANON, false);
	maps_free(&m);
}

static void test_android_maps(void **state)
{
	struct maps m;

	(void)state;
	parse_fixture(W_MAPS, "aosp-libmeminfo/maps_short", &m);
	assert_int_equal(m.n, 6);
	check_vma(&m, 0, 0x54c00000, 0x56c00000, "r-xp", 0, 0, 0, 0,
		  "[anon:dalvik-zygote-jit-code-cache]", VMA_KIND_ANON_NAMED, false);
	check_vma(&m, 2, 0x70074dd8d000, 0x70074ee0d000, "rw-p", 0, 0, 0, 0,
		  "[anon:libc_malloc]", VMA_KIND_ANON_NAMED, false);
	maps_free(&m);
}

/* Every maps and smaps fixture parses, and every smaps Size is the range. */
static void test_all_fixtures(void **state)
{
	static const char *const pats[] = { "/kernel/*/maps*", "/kernel/*/smaps.*",
					    "/kernel/*/smaps_short" };
	size_t total = 0;

	(void)state;
	for (size_t k = 0; k < 3; k++) {
		glob_t g;
		char pat[1024];

		snprintf(pat, sizeof(pat), "%s%s", FIXTURES, pats[k]);
		assert_int_equal(glob(pat, 0, NULL, &g), 0);
		for (size_t j = 0; j < g.gl_pathc; j++) {
			const char *rel = strstr(g.gl_pathv[j], "/kernel/") + 8;
			struct maps m;

			parse_fixture(k == 0 ? W_MAPS : W_SMAPS, rel, &m);
			if (k > 0) {
				assert_non_null(m.smaps);
				for (size_t i = 0; i < m.n; i++) {
					uint64_t sz;

					/* Kernels 2.6.36-4.11 hid the stack guard
					 * page from the start printed in maps,
					 * not from Size. */
					if (smaps_counter_get(&m.fields, &m.smaps[i].c, SMAPS_SIZE, &sz) &&
					    sz * 1024 != m.v[i].end - m.v[i].start) {
						assert_int_equal(m.v[i].kind, VMA_KIND_STACK);
						assert_int_equal(sz * 1024 - 4096,
								 m.v[i].end - m.v[i].start);
					}
				}
			}
			maps_free(&m);
			total++;
		}
		globfree(&g);
	}
	assert_int_equal(total, 14);
}

/* ---- smaps ---- */

static void test_smaps_oddmaps(void **state)
{
	struct maps m, mm;
	size_t i, n;
	char code[3];
	uint64_t v;

	(void)state;
	parse_fixture(W_SMAPS, "this-machine/smaps.oddmaps", &m);
	assert_int_equal(m.n, 54);
	assert_non_null(m.smaps);
	/* The same process as maps.oddmaps: the same VMAs and names. */
	parse_fixture(W_MAPS, "this-machine/maps.oddmaps", &mm);
	for (i = 0; i < m.n; i++) {
		const char *a, *b;
		size_t na, nb;

		assert_int_equal(m.v[i].start, mm.v[i].start);
		assert_int_equal(m.v[i].end, mm.v[i].end);
		a = vma_name(&m, &m.v[i], &na);
		b = vma_name(&mm, &mm.v[i], &nb);
		assert_int_equal(na, nb);
		assert_memory_equal(a, b, na);
		assert_int_equal(m.v[i].kind, mm.v[i].kind);
	}
	maps_free(&mm);

	/* lines 176-200: hugetlb */
	i = find(&m, 0x7f658f800000);
	assert_int_equal(m.v[i].line, 176);
	assert_int_equal(counter(&m.fields, &m.smaps[i].c, SMAPS_SIZE), 2048);
	assert_int_equal(counter(&m.fields, &m.smaps[i].c, SMAPS_KERNEL_PAGE_SIZE), 2048);
	assert_int_equal(counter(&m.fields, &m.smaps[i].c, SMAPS_RSS), 0);
	assert_int_equal(counter(&m.fields, &m.smaps[i].c, SMAPS_PRIVATE_HUGETLB), 2048);
	assert_true(m.smaps[i].c.have & SMAPS_HAVE_THP_ELIGIBLE);
	assert_int_equal(counter(&m.fields, &m.smaps[i].c, SMAPS_THP_ELIGIBLE), 0);
	check_vmflags(&m, i, "rd wr mr mw me de ht");
	assert_int_equal(m.smaps[i].nvmflags, 7);
	assert_true(vma_vmflag(&m, i, 6, code));
	assert_string_equal(code, "ht");
	assert_false(vma_vmflag(&m, i, 7, code));
	assert_true(m.smaps[i].vmflags_known & (UINT64_C(1) << vmflag_bit("ht")));
	assert_false(m.smaps[i].vmflags_known & (UINT64_C(1) << vmflag_bit("ex")));
	/* 23 number lines in 6.18 order */
	assert_int_equal(m.smaps[i].c.n, 23);
	assert_string_equal(m.fields.names[smaps_field_name(&m.fields.f[m.smaps[i].c.first])], "Size");
	assert_string_equal(m.fields.names[smaps_field_name(&m.fields.f[m.smaps[i].c.first + 22])],
			    "THPeligible");
	assert_false(smaps_field_kb(&m.fields.f[m.smaps[i].c.first + 22]));
	assert_true(vma_field_get(&m, i, "Pss_Dirty", &v));
	assert_int_equal(v, 0);
	assert_false(smaps_counter_get(&m.fields, &m.smaps[i].c, SMAPS_PSS_ANON, &v));
	assert_null(vma_android_name(&m, i, &n));

	/* lines 376-400: THP */
	i = find(&m, 0x7f658fc00000);
	assert_int_equal(counter(&m.fields, &m.smaps[i].c, SMAPS_RSS), 8192);
	assert_int_equal(counter(&m.fields, &m.smaps[i].c, SMAPS_PSS), 8192);
	assert_int_equal(counter(&m.fields, &m.smaps[i].c, SMAPS_ANON_HUGE_PAGES), 8192);
	assert_int_equal(counter(&m.fields, &m.smaps[i].c, SMAPS_SWAP), 0);
	assert_int_equal(counter(&m.fields, &m.smaps[i].c, SMAPS_THP_ELIGIBLE), 1);
	check_vmflags(&m, i, "rd wr mr mw me ac hg");

	/* lines 926-950: the name with a trailing blank */
	i = find(&m, 0x7f6590856000);
	assert_int_equal(counter(&m.fields, &m.smaps[i].c, SMAPS_RSS), 4);
	assert_int_equal(counter(&m.fields, &m.smaps[i].c, SMAPS_PSS), 4);
	check_vmflags(&m, i, "rd mr mw me");

	/* line 450: sealed */
	for (i = 0; i < m.n; i++)
		if (m.smaps[i].vmflags_known & (UINT64_C(1) << vmflag_bit("sl")))
			break;
	assert_true(i < m.n);
	maps_free(&m);
}

static void test_smaps_old_kernel(void **state)
{
	struct maps m;
	size_t i;
	uint64_t v;

	(void)state;
	/* 4.4: [stack:TID], KernelPageSize after SwapPss, no THPeligible */
	parse_fixture(W_SMAPS, "aepkolol-innofirmware/smaps.pid18268", &m);
	assert_int_equal(m.n, 85);
	i = find(&m, 0xb0101000);
	check_vma(&m, i, 0xb0101000, 0xb0900000, "rw-p", 0, 0, 0, 0, "[stack:20824]",
		  VMA_KIND_STACK, false);
	assert_int_equal(m.v[i].line, 191);
	assert_int_equal(counter(&m.fields, &m.smaps[i].c, SMAPS_RSS), 32);
	assert_int_equal(counter(&m.fields, &m.smaps[i].c, SMAPS_PSS), 32);
	assert_int_equal(counter(&m.fields, &m.smaps[i].c, SMAPS_SWAP), 0);
	assert_int_equal(counter(&m.fields, &m.smaps[i].c, SMAPS_KERNEL_PAGE_SIZE), 4);
	assert_false(m.smaps[i].c.have & SMAPS_HAVE_THP_ELIGIBLE);
	assert_false(smaps_counter_get(&m.fields, &m.smaps[i].c, SMAPS_PSS_DIRTY, &v));
	check_vmflags(&m, i, "rd wr mr mw me ac");
	/* lines 1-18: first entry, "dw" (an old code) */
	assert_string_equal(m.fields.names[smaps_field_name(&m.fields.f[m.smaps[0].c.first + 14])],
			    "KernelPageSize");
	check_vmflags(&m, 0, "rd ex mr mw me dw");
	assert_true(m.smaps[0].vmflags_known & (UINT64_C(1) << vmflag_bit("dw")));
	maps_free(&m);

	/* "THPeligible:    0": fewer blanks than the others */
	parse_fixture(W_SMAPS, "sysstat/smaps.pid8741", &m);
	assert_int_equal(m.n, 3);
	assert_true(m.smaps[0].c.have & SMAPS_HAVE_THP_ELIGIBLE);
	assert_int_equal(counter(&m.fields, &m.smaps[0].c, SMAPS_THP_ELIGIBLE), 0);
	check_vmflags(&m, 0, "rd wr mr mw me ac sd");
	maps_free(&m);

	/* a kernel thread: empty */
	parse_fixture(W_SMAPS, "hotsos-kubernetes/smaps.pid10", &m);
	assert_int_equal(m.n, 0);
	maps_free(&m);
}

static void test_smaps_android(void **state)
{
	struct maps m;
	const char *s;
	size_t n;

	(void)state;
	parse_fixture(W_SMAPS, "aosp-libmeminfo/smaps_short", &m);
	assert_int_equal(m.n, 6);
	/* lines 1-21 */
	check_vma(&m, 0, 0x54c00000, 0x56c00000, "r-xp", 0, 0, 0, 0,
		  "[anon:dalvik-zygote-jit-code-cache]", VMA_KIND_ANON_NAMED, false);
	s = vma_android_name(&m, 0, &n);
	assert_non_null(s);
	assert_int_equal(n, strlen("[anon:dalvik-zygote-jit-code-cache]"));
	assert_memory_equal(s, "[anon:dalvik-zygote-jit-code-cache]", n);
	assert_int_equal(counter(&m.fields, &m.smaps[0].c, SMAPS_SIZE), 32768);
	assert_int_equal(counter(&m.fields, &m.smaps[0].c, SMAPS_RSS), 2048);
	assert_int_equal(counter(&m.fields, &m.smaps[0].c, SMAPS_PSS), 113);
	assert_int_equal(counter(&m.fields, &m.smaps[0].c, SMAPS_ANON_HUGE_PAGES), 2048);
	check_vmflags(&m, 0, "rd ex mr mw me ac");
	/* "Name:" is not a number field */
	assert_int_equal(m.smaps[0].c.n, 18);
	/* line 22: no Name line for a file */
	assert_null(vma_android_name(&m, 1, &n));
	maps_free(&m);
}

/* ---- smaps_rollup ---- */

static void test_rollup(void **state)
{
	struct smaps_rollup ro;
	uint64_t v;

	(void)state;
	parse_rollup_fixture("this-machine/smaps_rollup.oddmaps", &ro);
	assert_int_equal(ro.start, 0x55f5b41e1000);
	assert_int_equal(ro.end, 0x7ffcc6d0c000);
	assert_int_equal(ro.fields.n, 22);
	assert_int_equal(counter(&ro.fields, &ro.c, SMAPS_RSS), 10260);
	assert_int_equal(counter(&ro.fields, &ro.c, SMAPS_PSS), 8921);
	assert_int_equal(counter(&ro.fields, &ro.c, SMAPS_PSS_DIRTY), 8428);
	assert_int_equal(counter(&ro.fields, &ro.c, SMAPS_PSS_ANON), 8648);
	assert_int_equal(counter(&ro.fields, &ro.c, SMAPS_PSS_FILE), 249);
	assert_int_equal(counter(&ro.fields, &ro.c, SMAPS_PSS_SHMEM), 24);
	assert_int_equal(counter(&ro.fields, &ro.c, SMAPS_LAZYFREE), 256);
	assert_int_equal(counter(&ro.fields, &ro.c, SMAPS_ANON_HUGE_PAGES), 8192);
	assert_int_equal(counter(&ro.fields, &ro.c, SMAPS_PRIVATE_HUGETLB), 4096);
	assert_int_equal(counter(&ro.fields, &ro.c, SMAPS_LOCKED), 64);
	assert_false(smaps_counter_get(&ro.fields, &ro.c, SMAPS_SIZE, &v));
	assert_false(ro.c.have & SMAPS_HAVE_THP_ELIGIBLE);
	assert_true(smaps_rollup_field_get(&ro, "KSM", &v));
	assert_int_equal(v, 0);
	smaps_rollup_free(&ro);

	parse_rollup_fixture("this-machine/smaps_rollup.manymaps", &ro);
	assert_int_equal(ro.start, 0x5628ad686000);
	assert_int_equal(ro.end, 0x7ffc00ccc000);
	assert_int_equal(counter(&ro.fields, &ro.c, SMAPS_RSS), 7012);
	assert_int_equal(counter(&ro.fields, &ro.c, SMAPS_PSS), 5635);
	smaps_rollup_free(&ro);

	/* pcp 5.5.7: "FilePmdMapped:        0 kB" misaligned, swap in use */
	parse_rollup_fixture("pcp-procpid-5.5.7/smaps_rollup.pid1", &ro);
	assert_int_equal(ro.start, 0x5651255b1000);
	assert_int_equal(counter(&ro.fields, &ro.c, SMAPS_FILE_PMD_MAPPED), 0);
	assert_int_equal(counter(&ro.fields, &ro.c, SMAPS_SWAP), 2000);
	assert_int_equal(counter(&ro.fields, &ro.c, SMAPS_SWAP_PSS), 717);
	assert_false(smaps_counter_get(&ro.fields, &ro.c, SMAPS_PSS_DIRTY, &v));
	smaps_rollup_free(&ro);

	parse_rollup_fixture("this-machine/smaps_rollup.bash", &ro);
	smaps_rollup_free(&ro);
	parse_rollup_fixture("prometheus-procfs/smaps_rollup.pid26231", &ro);
	smaps_rollup_free(&ro);
}

/* ---- hand-made input ---- */

static void test_unknown_and_edge(void **state)
{
	static const char text[] =
		"00400000-00452000 r-xp 00000000 08:02 173521      /usr/bin/dbus-daemon\n"
		"Size:                328 kB\n"
		"FutureField:          7 kB\n"
		"FutureCount:          3\n"
		"Rss:                  1 kB\n"
		"Rss:                  2 kB\n"
		"ProtectionKey:        5\n"
		"VmFlags: \n"
		"\n"
		"00652000-00653000 r--p 00052000 103:1f 4294967296 [anon_shmem:x y]\n"
		"00653000-00654000 rw-p 00000000 00:00 0                  anon_inode:[eventfd]\n"
		"7fff0000-7fff1000 rw-p 00000000 00:00 0   [uprobes]";
	struct maps m;
	struct parse_error perr = { 0 };
	uint64_t v;

	(void)state;
	assert_int_equal(smaps_parse(text, sizeof(text) - 1, "t", &m, &perr), 0);
	assert_int_equal(m.n, 4);
	assert_int_equal(m.smaps[0].c.n, 6);
	assert_true(vma_field_get(&m, 0, "FutureField", &v));
	assert_int_equal(v, 7);
	assert_true(smaps_field_kb(&m.fields.f[1]));
	assert_false(smaps_field_kb(&m.fields.f[2]));
	assert_int_equal(counter(&m.fields, &m.smaps[0].c, SMAPS_RSS), 1); /* first wins */
	assert_int_equal(counter(&m.fields, &m.smaps[0].c, SMAPS_PROTECTION_KEY), 5);
	assert_true(m.smaps[0].c.have & SMAPS_HAVE_VMFLAGS);
	assert_int_equal(m.smaps[0].nvmflags, 0);
	check_vmflags(&m, 0, "");
	assert_int_equal(m.v[1].dev_major, 0x103);
	assert_int_equal(m.v[1].dev_minor, 0x1f);
	assert_int_equal(m.v[1].inode, 4294967296ULL);
	assert_int_equal(m.v[1].kind, VMA_KIND_ANON_SHMEM);
	assert_int_equal(m.v[1].line, 10);
	assert_int_equal(m.v[2].kind, VMA_KIND_OTHER);
	assert_int_equal(m.v[3].kind, VMA_KIND_BRACKETED);
	assert_int_equal(m.smaps[3].c.n, 0);
	maps_free(&m);

	assert_string_equal(vma_kind_name(VMA_KIND_SYSV_SHM), "sysv_shm");
	assert_int_equal(vma_kind_of("/SYSV0000abcg", 13), VMA_KIND_FILE);
	assert_int_equal(vma_kind_of("[stack:12]", 10), VMA_KIND_STACK);
	assert_int_equal(vma_kind_of("[", 1), VMA_KIND_OTHER);
	assert_int_equal(vma_kind_of(" (deleted)", 0), VMA_KIND_ANON);
}

static void expect_fail(enum which w, const char *text, int code, unsigned line)
{
	struct maps m, sentinel;
	struct parse_error perr;
	int r;

	memset(&perr, 0, sizeof(perr));
	memset(&m, 0x5a, sizeof(m));
	memcpy(&sentinel, &m, sizeof(m));
	r = w == W_MAPS ? maps_parse(text, strlen(text), "t/maps", &m, &perr)
			: smaps_parse(text, strlen(text), "t/maps", &m, &perr);
	if (r != code || perr.line != line)
		fail_msg("'%s': got %d at line %u (%s), want %d at %u", text, r, perr.line,
			 perr.what, code, line);
	assert_string_equal(perr.file, "t/maps");
	assert_true(perr.what[0] != '\0');
	assert_memory_equal(&m, &sentinel, sizeof(m));
	r = w == W_MAPS ? maps_parse(text, strlen(text), "t/maps", &m, NULL)
			: smaps_parse(text, strlen(text), "t/maps", &m, NULL);
	assert_int_equal(r, code);
	assert_memory_equal(&m, &sentinel, sizeof(m));
}

#define L1 "00400000-00452000 r-xp 00000000 08:02 173521 /bin/x\n"

static void test_broken_maps(void **state)
{
	(void)state;
	/* truncated lines */
	expect_fail(W_MAPS, L1 "00400000-00452000 r-xp 00000000 08:02\n", -EINVAL, 2);
	expect_fail(W_MAPS, L1 "00400000-00452000 r-xp 00000000 08:02 ", -EINVAL, 2);
	expect_fail(W_MAPS, L1 L1 "00400000-00452000 r-xp\n", -EINVAL, 3);
	expect_fail(W_MAPS, "00400000-\n", -EINVAL, 1);
	expect_fail(W_MAPS, "00400000\n", -EINVAL, 1);
	expect_fail(W_MAPS, "00400000-00452000 r-\n", -EINVAL, 1);
	/* bad hex and numbers */
	expect_fail(W_MAPS, "0040g000-00452000 r-xp 00000000 08:02 1\n", -EINVAL, 1);
	expect_fail(W_MAPS, "00400000-0045z000 r-xp 00000000 08:02 1\n", -EINVAL, 1);
	expect_fail(W_MAPS, "00400000-00452000 r-xp 0000x000 08:02 1\n", -EINVAL, 1);
	expect_fail(W_MAPS, "00400000-00452000 r-xp 00000000 0g:02 1\n", -EINVAL, 1);
	expect_fail(W_MAPS, "00400000-00452000 r-xp 00000000 08-02 1\n", -EINVAL, 1);
	expect_fail(W_MAPS, "00400000-00452000 r-xp 00000000 08:02 1x /a\n", -EINVAL, 1);
	expect_fail(W_MAPS, "-00452000 r-xp 00000000 08:02 1\n", -EINVAL, 1);
	/* overflow */
	expect_fail(W_MAPS, "10000000000000000-10000000000000001 r-xp 0 0:0 0\n", -ERANGE, 1);
	expect_fail(W_MAPS, "0-1 r-xp 10000000000000000 0:0 0\n", -ERANGE, 1);
	expect_fail(W_MAPS, "0-1 r-xp 0 100000000:0 0\n", -ERANGE, 1);
	expect_fail(W_MAPS, "0-1 r-xp 0 0:0 18446744073709551616\n", -ERANGE, 1);
	/* perms */
	expect_fail(W_MAPS, "0-1 rwzp 0 0:0 0\n", -EINVAL, 1);
	expect_fail(W_MAPS, "0-1 rwxpp 0 0:0 0\n", -EINVAL, 1);
	expect_fail(W_MAPS, "0-1 rwx 0 0:0 0\n", -EINVAL, 1);
	/* empty or reversed range */
	expect_fail(W_MAPS, "2000-1000 rw-p 0 0:0 0\n", -EINVAL, 1);
	expect_fail(W_MAPS, "1000-1000 rw-p 0 0:0 0\n", -EINVAL, 1);
	/* a field line in maps, garbage */
	expect_fail(W_MAPS, L1 "Rss: 4 kB\n", -EINVAL, 2);
	expect_fail(W_MAPS, L1 "hello world\n", -EINVAL, 2);
}

static void test_broken_smaps(void **state)
{
	(void)state;
	expect_fail(W_SMAPS, "Rss: 4 kB\n" L1, -EINVAL, 1);
	expect_fail(W_SMAPS, "\n\nVmFlags: rd\n", -EINVAL, 3);
	expect_fail(W_SMAPS, L1 "Rss: 4 MB\n", -EINVAL, 2);
	expect_fail(W_SMAPS, L1 "Rss: 4\n", -EINVAL, 2);
	expect_fail(W_SMAPS, L1 "Rss:\n", -EINVAL, 2);
	expect_fail(W_SMAPS, L1 "Rss: x kB\n", -EINVAL, 2);
	expect_fail(W_SMAPS, L1 "Rss: 4 kB 5\n", -EINVAL, 2);
	expect_fail(W_SMAPS, L1 "Rss: 18446744073709551616 kB\n", -ERANGE, 2);
	expect_fail(W_SMAPS, L1 "Rss: 18014398509481984 kB\n", -ERANGE, 2);
	expect_fail(W_SMAPS, L1 "THPeligible: 1 kB\n", -EINVAL, 2);
	expect_fail(W_SMAPS, L1 "Future: soon\n", -EINVAL, 2);
	expect_fail(W_SMAPS, L1 "Rss: 4 kB\nnot a field\n", -EINVAL, 3);
	expect_fail(W_SMAPS, L1 "R\x01ss: 4 kB\n", -EINVAL, 2);
	expect_fail(W_SMAPS, L1 "Size: 4 kB\n0-1 r-xp 0 0:0\n", -EINVAL, 3);
}

static void expect_fail_rollup(const char *text, int code, unsigned line)
{
	struct smaps_rollup ro, sentinel;
	struct parse_error perr;
	int r;

	memset(&perr, 0, sizeof(perr));
	memset(&ro, 0x5a, sizeof(ro));
	memcpy(&sentinel, &ro, sizeof(ro));
	r = smaps_rollup_parse(text, strlen(text), "t/rollup", &ro, &perr);
	if (r != code || perr.line != line)
		fail_msg("'%s': got %d at line %u (%s), want %d at %u", text, r, perr.line,
			 perr.what, code, line);
	assert_string_equal(perr.file, "t/rollup");
	assert_memory_equal(&ro, &sentinel, sizeof(ro));
	assert_int_equal(smaps_rollup_parse(text, strlen(text), "t/rollup", &ro, NULL), code);
	assert_memory_equal(&ro, &sentinel, sizeof(ro));
}

#define RH "55f5b41e1000-7ffcc6d0c000 ---p 00000000 00:00 0                          [rollup]\n"

static void test_broken_rollup(void **state)
{
	struct smaps_rollup ro;

	(void)state;
	{
	expect_fail_rollup("", -EINVAL, 0);
	expect_fail_rollup("\n\n", -EINVAL, 0);
	expect_fail_rollup("Rss: 4 kB\n", -EINVAL, 1);
	expect_fail_rollup(L1 "Rss: 4 kB\n", -EINVAL, 1);
	expect_fail_rollup(RH RH, -EINVAL, 2);
	expect_fail_rollup(RH "Rss: 4 kB\nVmFlags: rd\n", -EINVAL, 3);
	expect_fail_rollup(RH "Rss: 4\n", -EINVAL, 2);
	expect_fail_rollup(RH "Pss: 99999999999999999999 kB\n", -ERANGE, 2);
	expect_fail_rollup("55f5b41e1000-7ffcc6d0c000 ---p 00000000 00:00\n", -EINVAL, 1);

	/* an mm without VMAs: 0-0 */
	static const char empty[] = "00000000-00000000 ---p 00000000 00:00 0  [rollup]\n"
				    "Rss: 0 kB\n";

	assert_int_equal(smaps_rollup_parse(empty, sizeof(empty) - 1, "t", &ro, NULL), 0);
	assert_int_equal(ro.start, 0);
	assert_int_equal(ro.end, 0);
	assert_int_equal(counter(&ro.fields, &ro.c, SMAPS_RSS), 0);
	smaps_rollup_free(&ro);
	}
}

/* ---- incremental parsing: any split gives the one-shot result ---- */

/* Entry ia of a equals entry ib of b: columns, name, smaps fields by name. */
static void check_same_entry(const struct maps *a, size_t ia, const struct maps *b, size_t ib)
{
	const struct vma *x = &a->v[ia], *y = &b->v[ib];
	const char *s, *t;
	size_t n1, n2;

	assert_int_equal(x->start, y->start);
	assert_int_equal(x->end, y->end);
	assert_int_equal(x->offset, y->offset);
	assert_int_equal(x->inode, y->inode);
	assert_int_equal(x->dev_major, y->dev_major);
	assert_int_equal(x->dev_minor, y->dev_minor);
	assert_int_equal(x->line, y->line);
	assert_int_equal(x->perms, y->perms);
	assert_int_equal(x->kind, y->kind);
	assert_int_equal(x->deleted, y->deleted);
	assert_string_equal(x->perm_chars, y->perm_chars);
	s = vma_name(a, x, &n1);
	t = vma_name(b, y, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(s, t, n1);
	assert_int_equal(a->smaps != NULL, b->smaps != NULL);
	if (a->smaps) {
		const struct vma_smaps *p = &a->smaps[ia], *q = &b->smaps[ib];

		assert_int_equal(p->c.have, q->c.have);
		assert_int_equal(p->c.n, q->c.n);
		for (uint32_t k = 0; k < p->c.n; k++) {
			const struct smaps_field *f = &a->fields.f[p->c.first + k];
			const struct smaps_field *g = &b->fields.f[q->c.first + k];

			assert_string_equal(a->fields.names[smaps_field_name(f)],
					    b->fields.names[smaps_field_name(g)]);
			assert_int_equal(smaps_field_kb(f), smaps_field_kb(g));
			assert_int_equal(f->value, g->value);
		}
		for (int c = 0; c < SMAPS_NR_COUNTERS; c++) {
			uint64_t u = 1, w = 2;
			bool h1 = smaps_counter_get(&a->fields, &p->c, (enum smaps_counter)c, &u);
			bool h2 = smaps_counter_get(&b->fields, &q->c, (enum smaps_counter)c, &w);

			assert_int_equal(h1, h2);
			if (h1)
				assert_int_equal(u, w);
		}
		s = vma_vmflags(a, ia, &n1);
		t = vma_vmflags(b, ib, &n2);
		assert_int_equal(n1, n2);
		assert_memory_equal(s, t, n1);
		assert_int_equal(p->nvmflags, q->nvmflags);
		assert_int_equal(p->vmflags_known, q->vmflags_known);
		s = vma_android_name(a, ia, &n1);
		t = vma_android_name(b, ib, &n2);
		assert_int_equal(s != NULL, t != NULL);
		if (s) {
			assert_int_equal(n1, n2);
			assert_memory_equal(s, t, n1);
		}
	}
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

/* Chunk sizes: 0 random (1..300), otherwise fixed. */
static size_t next_chunk(size_t how, size_t left)
{
	size_t n = how ? how : 1 + (size_t)(rnd() % 300);

	return n < left ? n : left;
}

/*
 * Feed buf to a parser in chunks (each its own exact-size allocation, so
 * that ASan catches a read past a chunk); the result or error code.
 */
static int parse_chunked(bool smaps, const char *buf, size_t len, size_t how, struct maps *ret,
			 struct parse_error *perr)
{
	struct maps_parser *ps;
	size_t off = 0;
	int r = maps_parser_new(smaps, "t/maps", &ps, perr);

	assert_int_equal(r, 0);
	while (off < len) {
		size_t n = next_chunk(how, len - off);
		char *c = malloc(n);

		assert_non_null(c);
		memcpy(c, buf + off, n);
		r = maps_parser_feed(ps, c, n, perr);
		/* The chunk is not needed after the call. */
		memset(c, 'X', n);
		free(c);
		if (r < 0)
			break;
		off += n;
	}
	if (r == 0)
		r = maps_parser_finish(ps, ret, perr);
	maps_parser_free(ps);
	return r;
}

static const size_t chunkings[] = { 1, 2, 3, 7, 13, 64, 4093, 0, 0, 0 };

static void check_chunked(bool smaps, const char *buf, size_t len)
{
	struct parse_error e1 = { 0 };
	struct maps whole;
	int r1 = (smaps ? smaps_parse : maps_parse)(buf, len, "t/maps", &whole, &e1);

	for (size_t k = 0; k < ARRAY_SIZE(chunkings); k++) {
		struct parse_error e2 = { 0 };
		struct maps m;
		int r2;

		/* Byte by byte only for small files: a large one gets the
		 * other splits (time under sanitizers). */
		if (len > 64 * 1024 && chunkings[k] && chunkings[k] < 7)
			continue;
		r2 = parse_chunked(smaps, buf, len, chunkings[k], &m, &e2);

		if (r1 != r2 || (r1 < 0 && (e1.line != e2.line || strcmp(e1.what, e2.what))))
			fail_msg("chunks of %zu: got %d at %u (%s), whole %d at %u (%s)",
				 chunkings[k], r2, e2.line, e2.what, r1, e1.line, e1.what);
		if (r1 < 0)
			continue;
		assert_int_equal(m.n, whole.n);
		assert_int_equal(m.fields.n, whole.fields.n);
		for (size_t i = 0; i < m.n; i++)
			check_same_entry(&whole, i, &m, i);
		maps_free(&m);
	}
	if (r1 == 0)
		maps_free(&whole);
}

/*
 * The streaming use: take the complete entries after each chunk, check
 * them against the one-shot parse and drop all but the last, as
 * proc_maps_next() does.
 */
static void check_streamed(bool smaps, const char *buf, size_t len, size_t how)
{
	struct parse_error e = { 0 };
	struct maps whole, last;
	struct maps_parser *ps;
	size_t off = 0, seen = 0, shown = 0, max_window = 0;
	const struct maps *w;
	size_t complete, first;

	assert_int_equal((smaps ? smaps_parse : maps_parse)(buf, len, "t/maps", &whole, &e), 0);
	assert_int_equal(maps_parser_new(smaps, "t/maps", &ps, NULL), 0);
	for (;;) {
		size_t n = off < len ? next_chunk(how, len - off) : 0;

		e.line = 0;
		if (n ? maps_parser_feed(ps, buf + off, n, &e) : maps_parser_end(ps, &e))
			fail_msg("streamed in chunks of %zu: %u: %s", how, e.line, e.what);
		off += n;
		w = maps_parser_window(ps, &complete, &first);
		assert_true(complete <= w->n);
		if (w->n > max_window)
			max_window = w->n;
		for (size_t i = shown; i < complete; i++) {
			assert_int_equal(first + i, seen);
			check_same_entry(&whole, seen, w, i);
			seen++;
		}
		shown = complete;
		if (shown > 1) {
			maps_parser_drop(ps, shown - 1);
			shown = 1;
		}
		if (!n)
			break;
	}
	assert_int_equal(seen, whole.n);
	/* Nothing accumulates: the window holds a chunk's worth at most. */
	if (how && how < 4096 && max_window > 3 + how / 20)
		fail_msg("window of %zu entries with chunks of %zu", max_window, how);
	assert_int_equal(maps_parser_finish(ps, &last, NULL), 0);
	assert_true(last.n <= 1);
	maps_free(&last);
	maps_parser_free(ps);
	maps_free(&whole);
}

static void test_chunked_fixtures(void **state)
{
	static const char *const pats[] = { "/kernel/*/maps*", "/kernel/*/smaps.*",
					    "/kernel/*/smaps_short" };

	(void)state;
	for (size_t k = 0; k < 3; k++) {
		glob_t g;
		char pat[1024];

		snprintf(pat, sizeof(pat), "%s%s", FIXTURES, pats[k]);
		assert_int_equal(glob(pat, 0, NULL, &g), 0);
		for (size_t j = 0; j < g.gl_pathc; j++) {
			const char *rel = strstr(g.gl_pathv[j], "/kernel/") + 1;
			size_t len;
			char *buf = fixture_read(rel, &len);

			check_chunked(k > 0, buf, len);
			if (len <= 64 * 1024)
				check_streamed(k > 0, buf, len, 1);
			check_streamed(k > 0, buf, len, 97);
			check_streamed(k > 0, buf, len, 0);
			free(buf);
		}
		globfree(&g);
	}
}

static void test_chunked_edges(void **state)
{
	static const char *const ok_maps[] = {
		"",
		"\n",
		"\n\n  \n",
		L1,
		L1 L1,
		L1 "00452000-00453000 rw-p 00000000 00:00 0",           /* no final newline */
		L1 "\n\n" L1,
		"00400000-00452000 r-xp 00000000 08:02 173521      /usr/bin/a b (deleted)\n",
		"0000000000400000-0000000000452000 r-xp 0000000000000000 0008:0002 00173521 x\n",
		"00400000-00452000\tr-xp\t00000000\t08:02\t173521\tname\n",
		"00400000-00452000 r-xp 00000000 08:02 173521 \\012new\\012line\n",
		"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]",
	};
	static const char *const ok_smaps[] = {
		"",
		L1 "Size:                328 kB\nRss:                  1 kB\n",
		L1 "Size: 328 kB\nFutureField:          7 kB\nFutureCount:          3\n"
		   "Rss:                  1 kB\nRss:                  2 kB\n"
		   "ProtectionKey:        5\nVmFlags: \n\n",
		L1 "VmFlags: rd  wr\tex zz mpx \n" L1 "Name: [anon:x y]\nVmFlags: rd",
		L1 "VmFlags: rd wr zz \n" L1 "VmFlags: rd ex\n" L1 "VmFlags:  \n"
		   L1 "VmFlags: rd wr \nVmFlags: ac \n" L1 "VmFlags: rD \n" L1 "VmFlags: rd wr\t\n",
		L1 "Rss:                   4 kB\r\nPss:\t4 kB\n",
		L1 "Rss:             12345678 kB\nPss:           123456789 kB\n"
		   "Swap:     00000000000000000000001 kB\nTHPeligible:    1\n",
		L1 "Private_Hugetlb:       0 kB\nShmemPmdMapped: 12345678 kB\n"
		   "Rss:                   4 kB\n" L1 "Rss:                   5 kB\n",
		/* off the kernel's columns by one (found by fuzz-maps) */
		L1 "Rss:                   4 kB\nReferenced:            4 kB\n"
		L1 "Rss:                   4 kB\nReferenced:          5864 kB\n"
		   "Swap:                   0 kB\nSwapPss:             0 kB\n",
	};
	static const char *const bad_maps[] = {
		L1 "00400000-00452000 r-xp 00000000 08:02\n",
		L1 L1 "00400000-00452000 r-xp",
		L1 "Rss: 4 kB\n",
		"0-1 r-xp 0 0:0 18446744073709551616\n",
		("2000-1000 rw-p 0 0:0 0\n" L1),
	};
	static const char *const bad_smaps[] = {
		"Rss: 4 kB\n" L1,
		L1 "Rss:                   4 MB\n",
		L1 "Rss:                   4\n",
		L1 "THPeligible:           1 kB\n",
		L1 "Rss: 18446744073709551616 kB\n",
		L1 "Rss:                   4 kB\nSize:                  4 kB\nnot a field\n",
		L1 "Size:                  4 kB\n0-1 r-xp 0 0:0",
		/* after a 15-letter name a blank must follow the ':' */
		L1 "Rss:                   4 kB\nShmemPmdMapped:12345678 kB\n",
		L1 "Rss:                   4 kB\n" L1 "Rss:                  4x kB\n",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(ok_maps); i++) {
		check_chunked(false, ok_maps[i], strlen(ok_maps[i]));
		check_streamed(false, ok_maps[i], strlen(ok_maps[i]), 1);
		check_streamed(false, ok_maps[i], strlen(ok_maps[i]), 5);
	}
	for (size_t i = 0; i < ARRAY_SIZE(ok_smaps); i++) {
		check_chunked(true, ok_smaps[i], strlen(ok_smaps[i]));
		check_streamed(true, ok_smaps[i], strlen(ok_smaps[i]), 1);
		check_streamed(true, ok_smaps[i], strlen(ok_smaps[i]), 5);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad_maps); i++)
		check_chunked(false, bad_maps[i], strlen(bad_maps[i]));
	for (size_t i = 0; i < ARRAY_SIZE(bad_smaps); i++)
		check_chunked(true, bad_smaps[i], strlen(bad_smaps[i]));
	/* The value of a line just off the kernel's layout, read whole. */
	{
		static const char t[] =
			L1 "Rss:                   4 kB\nReferenced:            4 kB\n"
			L1 "Rss:                   4 kB\nReferenced:          5864 kB\n";
		struct maps m;
		uint64_t v = 0;

		assert_int_equal(smaps_parse(t, sizeof(t) - 1, "t", &m, NULL), 0);
		assert_true(vma_counter(&m, 1, SMAPS_REFERENCED, &v));
		assert_int_equal(v, 5864);
		maps_free(&m);
	}
	/* Errors stay: the next call reports the same failure. */
	{
		struct maps_parser *ps;
		struct parse_error e = { 0 };
		struct maps m;

		assert_int_equal(maps_parser_new(false, "t/maps", &ps, NULL), 0);
		assert_int_equal(maps_parser_feed(ps, "x\n", 2, &e), -EINVAL);
		assert_int_equal(e.line, 1);
		memset(&e, 0, sizeof(e));
		assert_int_equal(maps_parser_feed(ps, L1, strlen(L1), &e), -EINVAL);
		assert_int_equal(e.line, 1);
		assert_int_equal(maps_parser_finish(ps, &m, NULL), -EINVAL);
		maps_parser_free(ps);
	}
}

/* Random hex of 1..18 digits, mixed case, sometimes a stray character. */
static void rand_hex(char *out, size_t *o)
{
	static const char hx[] = "0123456789abcdefABCDEF";
	unsigned n = 1 + (unsigned)(rnd() % 18);

	for (unsigned i = 0; i < n; i++)
		out[(*o)++] = hx[rnd() % 22];
	if (rnd() % 40 == 0)
		out[(*o)++] = "g-:Gz\x80 "[rnd() % 7];
}

/*
 * Maps lines with random column widths (the fast path reads eight hex
 * digits at a time), a few broken: whole and chunked parses agree, and
 * every error is worded the same (check_chunked: the one-byte chunks go
 * through the general path).
 */
static void test_random_lines(void **state)
{
	char buf[512];

	(void)state;
	for (int k = 0; k < 3000; k++) {
		size_t o = 0;

		rand_hex(buf, &o);
		buf[o++] = '-';
		rand_hex(buf, &o);
		buf[o++] = ' ';
		memcpy(buf + o, (const char *[]){ "r-xp", "rw-s", "---p", "rwxq" }[rnd() % 4], 4);
		o += 4;
		buf[o++] = rnd() % 9 ? ' ' : '\t';
		rand_hex(buf, &o);
		buf[o++] = ' ';
		rand_hex(buf, &o);
		buf[o++] = ':';
		rand_hex(buf, &o);
		buf[o++] = ' ';
		for (unsigned i = 0, n = 1 + (unsigned)(rnd() % 21); i < n; i++)
			buf[o++] = (char)('0' + rnd() % 10);
		if (rnd() % 3)
			o += (size_t)sprintf(buf + o, "%*s/lib/x%u.so", (int)(rnd() % 20), "",
					     (unsigned)(rnd() % 1000));
		buf[o++] = '\n';
		/* Enough after the line for the eight-byte reads. */
		o += (size_t)sprintf(buf + o, "%s", L1);
		check_chunked(false, buf, o);
		check_chunked(true, buf, o);
	}
}

/* The 65,535-line limit of an smaps entry and the line-length limit. */
static void test_limits(void **state)
{
	struct parse_error e = { 0 };
	size_t n = SMAPS_MAX_ENTRY_LINES, len = strlen(L1) + 16 * (n + 2);
	char *buf = malloc(len + 1), *p = buf;
	struct maps m;

	(void)state;
	assert_non_null(buf);
	p += sprintf(p, "%s", L1);
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "F%04zx: 1 kB\n", i % 0x10000);
	/* Exactly the limit is fine, and each field is kept. */
	assert_int_equal(smaps_parse(buf, (size_t)(p - buf), "t", &m, &e), 0);
	assert_int_equal(m.smaps[0].c.n, n);
	maps_free(&m);
	p += sprintf(p, "G: 1 kB\n");
	assert_int_equal(smaps_parse(buf, (size_t)(p - buf), "t", &m, &e), -EINVAL);
	assert_int_equal(e.line, n + 2);
	assert_non_null(strstr(e.what, "65535"));
	free(buf);

	len = MAPS_MAX_LINE + 64;
	buf = malloc(len);
	assert_non_null(buf);
	memcpy(buf, L1, strlen(L1));
	memcpy(buf + strlen(L1), "00400000-00452000 r-xp 00000000 08:02 1 /", 41);
	memset(buf + strlen(L1) + 41, 'a', len - strlen(L1) - 41);
	memset(&e, 0, sizeof(e));
	assert_int_equal(maps_parse(buf, len, "t", &m, &e), -EINVAL);
	assert_int_equal(e.line, 2);
	assert_non_null(strstr(e.what, "line longer than"));
	/* The same error when the long line comes in pieces. */
	memset(&e, 0, sizeof(e));
	assert_int_equal(parse_chunked(false, buf, len, 4093, &m, &e), -EINVAL);
	assert_int_equal(e.line, 2);
	assert_non_null(strstr(e.what, "line longer than"));
	free(buf);
}

/* The VmFlags index agrees with the list of codes. */
static void test_vmflag_codes(void **state)
{
	(void)state;
	for (unsigned i = 0; i < vmflag_nr_codes; i++)
		assert_int_equal(vmflag_bit(vmflag_codes[i]), (int)i);
	assert_int_equal(vmflag_bit("zz"), -1);
	assert_int_equal(vmflag_bit("r"), -1);
	assert_int_equal(vmflag_bit("rdx"), -1);
	assert_int_equal(vmflag_bit("RD"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oddmaps),
		cmocka_unit_test(test_manymaps),
		cmocka_unit_test(test_arm32),
		cmocka_unit_test(test_old_no_trailing_blank),
		cmocka_unit_test(test_android_maps),
		cmocka_unit_test(test_all_fixtures),
		cmocka_unit_test(test_smaps_oddmaps),
		cmocka_unit_test(test_smaps_old_kernel),
		cmocka_unit_test(test_smaps_android),
		cmocka_unit_test(test_rollup),
		cmocka_unit_test(test_unknown_and_edge),
		cmocka_unit_test(test_broken_maps),
		cmocka_unit_test(test_broken_smaps),
		cmocka_unit_test(test_broken_rollup),
		cmocka_unit_test(test_chunked_fixtures),
		cmocka_unit_test(test_chunked_edges),
		cmocka_unit_test(test_random_lines),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_vmflag_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
