/*
 * test-live-slab.c - fragscope's /proc/slabinfo totals against libproc2's
 * (procps 4, the library behind slabtop), an independent reader of the
 * same file.  The two reads happen at different instants, so each
 * comparison brackets libproc2's read between two of ours and accepts a
 * difference no larger than what changed between our two reads, retrying
 * up to 10 times.  Exits 77 (skip) only when /proc/slabinfo cannot be
 * read (it is 0400: not root).
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
#include <unistd.h>
#include <libproc2/slabinfo.h>

#include "parse/load.h"

struct totals {
	uint64_t caches, active_caches, objs, active, slabs, active_slabs, pages;
};

static int read_ours(struct totals *t)
{
	struct source *src = NULL;
	struct machine m;
	int r = source_open("/", &src);

	memset(t, 0, sizeof(*t));
	if (r < 0)
		return r;
	r = machine_load(src, IN_BIT(IN_SLABINFO), &m);
	if (r == 0 && !m.in[IN_SLABINFO].loaded)
		r = m.in[IN_SLABINFO].err ? m.in[IN_SLABINFO].err : -EINVAL;
	for (size_t i = 0; r == 0 && i < m.slab.n; i++) {
		const struct slab_cache *c = &m.slab.c[i];

		t->caches++;
		t->active_caches += c->active_objs > 0;
		t->objs += c->num_objs;
		t->active += c->active_objs;
		t->slabs += c->num_slabs;
		t->active_slabs += c->active_slabs;
		t->pages += c->num_slabs * c->pagesperslab;
	}
	machine_free(&m);
	source_free(src);
	return r;
}

static int read_theirs(struct totals *t)
{
	struct slabinfo_info *info = NULL;

	memset(t, 0, sizeof(*t));
	if (procps_slabinfo_new(&info) < 0)
		return -errno;
	t->caches = SLABINFO_GET(info, SLABS_CACHES_TOTAL, u_int);
	t->active_caches = SLABINFO_GET(info, SLABS_CACHES_ACTIVE, u_int);
	t->objs = SLABINFO_GET(info, SLABS_NUM_OBJS, u_int);
	t->active = SLABINFO_GET(info, SLABS_ACTIVE_OBJS, u_int);
	t->slabs = SLABINFO_GET(info, SLABS_NUMS_SLABS, u_int);
	t->active_slabs = SLABINFO_GET(info, SLABS_ACTIVE_SLABS, u_int);
	t->pages = SLABINFO_GET(info, SLABS_PAGES_TOTAL, u_int);
	procps_slabinfo_unref(&info);
	return 0;
}

static uint64_t diff(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

#define NFIELDS 7
static const char *const names[NFIELDS] = {
	"caches", "active caches", "objects", "active objects", "slabs", "active slabs", "pages",
};

static void fields(const struct totals *t, uint64_t *v)
{
	v[0] = t->caches;
	v[1] = t->active_caches;
	v[2] = t->objs;
	v[3] = t->active;
	v[4] = t->slabs;
	v[5] = t->active_slabs;
	v[6] = t->pages;
}

static void test_totals_match_libproc2(void **state)
{
	struct totals before, theirs, after;
	uint64_t a[NFIELDS], b[NFIELDS], c[NFIELDS];
	int bad = -1;

	(void)state;
	for (int attempt = 0; attempt < 10; attempt++) {
		assert_int_equal(read_ours(&before), 0);
		assert_int_equal(read_theirs(&theirs), 0);
		assert_int_equal(read_ours(&after), 0);
		fields(&before, a);
		fields(&theirs, b);
		fields(&after, c);
		bad = -1;
		for (int k = 0; k < NFIELDS && bad < 0; k++) {
			uint64_t lo = a[k] < c[k] ? a[k] : c[k], hi = a[k] < c[k] ? c[k] : a[k];

			/* libproc2's read lies between ours: within their range. */
			if (b[k] < lo || b[k] > hi)
				bad = k;
		}
		if (bad < 0)
			return;
		usleep(50000);
	}
	fail_msg("%s: libproc2 %llu, fragscope %llu then %llu (10 attempts; largest drift %llu)",
		 names[bad], (unsigned long long)b[bad], (unsigned long long)a[bad],
		 (unsigned long long)c[bad], (unsigned long long)diff(a[bad], c[bad]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_totals_match_libproc2),
	};

	if (access("/proc/slabinfo", R_OK) != 0) {
		printf("1..0 # SKIP /proc/slabinfo is not readable (%s): needs root\n", strerror(errno));
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
