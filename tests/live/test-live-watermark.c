/*
 * test-live-watermark.c - recompute this machine's watermarks and
 * protection arrays from its own zoneinfo and vm sysctls and require
 * every zone to match exactly.
 *
 * zoneinfo is one read, so its managed counts, watermarks and protection
 * are consistent with each other; but on the test VM the Normal zone's
 * managed count grows lazily and the kernel recomputes the marks as it
 * grows, and a sysctl could change between the two reads.  A mismatching
 * attempt is therefore retried (up to 5 times) before the zone is
 * declared wrong.  Exits 77 (skip) only if /proc/zoneinfo or the sysctls
 * cannot be read at all.
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

#include "analysis/watermark.h"
#include "parse/load.h"

#define ATTEMPTS 5

static void load_live(struct machine *m)
{
	struct source *src;

	assert_int_equal(source_open(NULL, &src), 0);
	assert_int_equal(machine_load(src, IN_BIT(IN_ZONEINFO) | IN_BIT(IN_SYSVM), m), 0);
	source_free(src);
	if (!m->in[IN_ZONEINFO].loaded || !m->in[IN_SYSVM].loaded)
		fail_msg("live inputs did not load: zoneinfo err %d, vm sysctls err %d",
			 m->in[IN_ZONEINFO].err, m->in[IN_SYSVM].err);
}

static size_t protection_text(const uint64_t *p, unsigned n, char *out, size_t size)
{
	size_t o = 0;

	out[0] = '\0';
	for (unsigned k = 0; k < n && o < size; k++)
		o += (size_t)snprintf(out + o, size - o, "%s%llu", k ? ", " : "", (unsigned long long)p[k]);
	return o;
}

/* Describe the first zone that does not match (or cannot be checked). */
static void describe(const struct machine *m, const struct wmark_result *r, char *msg, size_t size)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct zone_info *z = &m->zi.z[i];
		const struct wmark_zone *w = &r->z[i];
		char cp[FS_MAX_ZONES * 24], zp[FS_MAX_ZONES * 24];

		if (w->status == WMARK_OK && !w->mismatch)
			continue;
		if (w->status != WMARK_OK) {
			snprintf(msg, size, "node %d zone %s cannot be checked: %s", z->node, z->name,
				 wmark_status_reason(w->status));
			return;
		}
		protection_text(w->protection, w->nr_protection, cp, sizeof(cp));
		protection_text(z->protection, z->nr_protection, zp, sizeof(zp));
		snprintf(msg, size,
			 "node %d zone %s (managed %llu): computed min/low/high/promo %llu/%llu/%llu/%llu "
			 "+ boost %llu, zoneinfo %llu/%llu/%llu/%llu; protection computed (%s), zoneinfo (%s); "
			 "pages_min %llu, lowmem_pages %llu",
			 z->node, z->name, (unsigned long long)z->managed,
			 (unsigned long long)w->min, (unsigned long long)w->low,
			 (unsigned long long)w->high, (unsigned long long)w->promo,
			 (unsigned long long)z->boost, (unsigned long long)z->min,
			 (unsigned long long)z->low, (unsigned long long)z->high,
			 (unsigned long long)z->promo, cp, zp,
			 (unsigned long long)r->pages_min, (unsigned long long)r->lowmem_pages);
		return;
	}
	snprintf(msg, size, "no zone was checked");
}

/* One attempt: true when every zone was checked and matches. */
static bool attempt_once(char *msg, size_t size)
{
	struct wmark_result r;
	struct machine m;
	bool ok;

	load_live(&m);
	assert_true(m.zi.n > 0);
	assert_int_equal(wmark_compute(&m.zi, &m.vm, m.page_size, &r), 0);
	ok = r.checked == m.zi.n && r.mismatches == 0;
	if (!ok)
		describe(&m, &r, msg, size);
	wmark_result_free(&r);
	machine_free(&m);
	return ok;
}

static void live_watermarks_match(void **state)
{
	char msg[1024] = "";
	int attempt;

	(void)state;
	for (attempt = 0; attempt < ATTEMPTS; attempt++) {
		if (attempt_once(msg, sizeof(msg)))
			return;
		usleep(200 * 1000);
	}
	fail_msg("%s (in %d attempts)", msg, ATTEMPTS);
}

/* This kernel prints every zone (4.12+), so none is left unchecked. */
static void live_every_zone_indexed(void **state)
{
	struct wmark_result r;
	struct machine m;

	(void)state;
	load_live(&m);
	assert_int_equal(wmark_compute(&m.zi, &m.vm, m.page_size, &r), 0);
	for (size_t i = 0; i < r.n; i++) {
		if (r.z[i].status != WMARK_OK)
			fail_msg("node %d zone %s: %s", m.zi.z[i].node, m.zi.z[i].name,
				 wmark_status_reason(r.z[i].status));
		assert_int_equal(r.z[i].nr_protection, m.zi.z[i].nr_protection);
	}
	wmark_result_free(&r);
	machine_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(live_watermarks_match),
		cmocka_unit_test(live_every_zone_indexed),
	};
	static const char *const need[] = { "/proc/zoneinfo", "/proc/sys/vm/min_free_kbytes" };

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		if (access(need[i], R_OK) != 0) {
			fprintf(stderr, "%s is unreadable: %s\n", need[i], strerror(errno));
			return 77;
		}
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
