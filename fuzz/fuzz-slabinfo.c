/*
 * fuzz-slabinfo.c - libFuzzer harness for slabinfo_parse(), the
 * /proc/slabinfo parser, its in-place re-read slabinfo_update(), and for slabinfo_merge() and the derived figures
 * of model/slab.c.  Any input must either parse, pass the sanity checks
 * below and be freed, or fail cleanly under the error contract in
 * fuzz-check.h.
 *
 * A parsed input is parsed a second time and turned into fake
 * /sys/kernel/slab entries (some renamed to a unique id with their real
 * name and their neighbour's as aliases, as SLUB's merged caches are,
 * some renamed to names slabinfo does not have), which are
 * merged into the first result: whatever the names (duplicates, odd
 * bytes), the merge must consume them, keep every /proc cache in place
 * and never give sysfs detail to a duplicated name.
 */
#include <stddef.h>
#include <stdlib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz-check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_ok(const struct slabinfo *si, size_t len)
{
	size_t i;

	if (si->version_major != 2 || si->version_minor > 1)
		fuzz_fail("slabinfo: version other than 2.0 or 2.1 accepted");
	if (si->n == 0)
		fuzz_fail("slabinfo: parsed with no cache");
	for (i = 0; i < si->n; i++) {
		const struct slab_cache *c = &si->c[i];

		if (!c->name || c->name[0] == '\0' || strlen(c->name) > len)
			fuzz_fail("slabinfo: bad cache name");
		if ((c->have & ~(unsigned)SC_DUPLICATE) != SC_SLABINFO)
			fuzz_fail("slabinfo: unexpected have bits");
		if (c->line < 3 || (i > 0 && c->line <= si->c[i - 1].line))
			fuzz_fail("slabinfo: line numbers not increasing from 3");
		if (c->globalstat.n != si->c[0].globalstat.n)
			fuzz_fail("slabinfo: caches disagree on their sections");
		if ((c->limit || c->batchcount || c->sharedfactor) && !si->slab_allocator)
			fuzz_fail("slabinfo: non-zero tunables but not SLAB");
		if (slabinfo_find(si, c->name) == NULL)
			fuzz_fail("slabinfo: slabinfo_find misses a cache");
		(void)slab_cache_bytes(c, 4096);
		(void)slab_waste_bytes(c, 65536);
		(void)slab_use_percent(c);
		if (slab_waste_bytes(c, 4096) > slab_cache_bytes(c, 4096))
			fuzz_fail("slabinfo: waste above cache bytes");
	}
}

/* Make the caches of si look like /sys/kernel/slab entries. */
static void make_sysfs(struct slabinfo *si)
{
	for (size_t i = 0; i < si->n; i++) {
		struct slab_cache *c = &si->c[i];
		char id[32];

		kvlist_free(&c->globalstat);
		c->have = SC_SYSFS;
		c->sys = SYS_OBJECTS | SYS_SLABS | SYS_ORDER | SYS_OBJECT_SIZE;
		c->objects.total = c->active_objs;
		c->slabs.total = c->num_slabs;
		c->order = c->pagesperslab & 63;
		c->object_size = c->objsize / 2;
		if (i % 3 == 2) {
			/* a cache slabinfo does not list */
			snprintf(id, sizeof(id), "sysfs-only-%zu", i);
			free(c->name);
			c->name = strdup(id);
			continue;
		}
		if (i % 2 == 0)
			continue;
		/* a merged cache: its directory is a unique id and its name a
		 * symlink, next to the name of the cache before it */
		c->alias_names = calloc(2, sizeof(char *));
		if (!c->alias_names)
			continue;
		snprintf(id, sizeof(id), ":%07zu", i);
		c->alias_names[0] = c->name;
		c->alias_names[1] = strdup(si->c[i - 1].name);
		c->nr_alias_names = c->alias_names[1] ? 2 : 1;
		c->name = strdup(id);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_error perr;
	struct slabinfo ret, sys;
	size_t n0;
	int rc;

	memset(&perr, 0, sizeof(perr));
	memset(&ret, FUZZ_POISON, sizeof(ret));
	rc = slabinfo_parse((const char *)data, size, fuzz_file, &ret, &perr);
	fuzz_check_result(rc, &perr, data, size);
	if (rc < 0) {
		if (!fuzz_is_poisoned(&ret, sizeof(ret)))
			fuzz_fail("slabinfo_parse changed *ret on failure");
		return 0;
	}
	check_ok(&ret, size);

	/* The in-place re-read of the same text: 0 or 1, and either way
	 * every number stays what the parse gave. */
	{
		uint64_t *v = malloc((ret.n ? ret.n : 1) * 3 * sizeof(*v));

		if (!v)
			fuzz_fail("out of memory");
		for (size_t i = 0; i < ret.n; i++) {
			v[3 * i] = ret.c[i].active_objs;
			v[3 * i + 1] = ret.c[i].num_objs;
			v[3 * i + 2] = ret.c[i].sharedavail;
		}
		rc = slabinfo_update(&ret, (const char *)data, size);
		if (rc != 0 && rc != 1)
			fuzz_fail("slabinfo_update: not 0 or 1");
		for (size_t i = 0; i < ret.n; i++)
			if (v[3 * i] != ret.c[i].active_objs || v[3 * i + 1] != ret.c[i].num_objs ||
			    v[3 * i + 2] != ret.c[i].sharedavail)
				fuzz_fail("slabinfo_update: the same text changed a number");
		free(v);
	}

	if (slabinfo_parse((const char *)data, size, fuzz_file, &sys, NULL) != 0)
		fuzz_fail("slabinfo_parse: second parse of the same input differs");
	make_sysfs(&sys);
	n0 = ret.n;
	rc = slabinfo_merge(&ret, &sys);
	if (rc == 0) {
		if (sys.n != 0 || sys.c != NULL)
			fuzz_fail("slabinfo_merge: sys not consumed");
		if (ret.n < n0)
			fuzz_fail("slabinfo_merge: lost a cache");
		for (size_t i = 0; i < ret.n; i++) {
			const struct slab_cache *c = &ret.c[i];

			if (i < n0 && !(c->have & SC_SLABINFO))
				fuzz_fail("slabinfo_merge: moved a /proc cache");
			if (i >= n0 && c->have != SC_SYSFS)
				fuzz_fail("slabinfo_merge: appended cache is not sysfs-only");
			if ((c->have & SC_DUPLICATE) && (c->have & SC_SYSFS))
				fuzz_fail("slabinfo_merge: detail given to a duplicated name");
			if (!c->name)
				fuzz_fail("slabinfo_merge: cache without a name");
			(void)slab_waste_bytes(c, 4096);
			(void)slab_use_percent(c);
		}
	} else if (rc != -ENOMEM) {
		fuzz_fail("slabinfo_merge: undocumented error code");
	}
	slabinfo_free(&sys);
	slabinfo_free(&ret);
	return 0;
}
