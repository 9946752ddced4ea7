/*
 * fuzz-slabsys.c - libFuzzer harness for the /sys/kernel/slab attribute
 * parsers (parse-slabsys.c).  The input is the attribute's file name, a
 * newline, then the file ("slabs\n937 N0=937\n"), so the fuzzer explores
 * known, control and unknown names as well as contents.  The content goes
 * to slabsys_attr_parse() under that name and, whatever the name, to each
 * form's own parser: slabsys_counter_parse(), slabsys_cpu_partial_parse(),
 * slabsys_flag_parse(), slabsys_ctor_parse().
 *
 * Beyond the parse.h contract (fuzz-check.h): on failure the cache and
 * the outputs are untouched; on success a counter's node array has
 * nr_node entries (at most 1024, NULL exactly when there are none), slab
 * counts stay within the page bound, order within FS_MAX_ORDERS, a flag
 * sets its bit in flags_read, a constructor is a short C string, and
 * everything the cache owns is freed (LeakSanitizer checks it).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-check.h"
#include "model/limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_counter(const struct slab_counter *c)
{
	volatile uint64_t sum = 0;

	if (c->nr_node > 1024)
		fuzz_fail("slab counter: more than 1024 nodes");
	if ((c->node == NULL) != (c->nr_node == 0))
		fuzz_fail("slab counter: node array and nr_node disagree");
	for (unsigned i = 0; i < c->nr_node; i++)
		sum += c->node[i];
	(void)sum;
}

static void check_cache(const struct slab_cache *c)
{
	check_counter(&c->objects);
	check_counter(&c->total_objects);
	check_counter(&c->slabs);
	check_counter(&c->partial);
	check_counter(&c->objects_partial);
	check_counter(&c->cpu_slabs);
	if ((c->sys & SYS_SLABS) && c->slabs.total > FS_MAX_PAGES)
		fuzz_fail("slabsys_attr_parse: slabs beyond the page bound");
	if ((c->sys & SYS_ORDER) && c->order >= FS_MAX_ORDERS)
		fuzz_fail("slabsys_attr_parse: order out of range");
	if ((c->sys & SYS_FLAGS) && !c->flags_read)
		fuzz_fail("slabsys_attr_parse: SYS_FLAGS without a flag read");
	if (c->flags & ~c->flags_read)
		fuzz_fail("slabsys_attr_parse: a flag set that was not read");
	if (c->ctor && strlen(c->ctor) > 1024)
		fuzz_fail("slabsys_attr_parse: constructor name too long");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size < 65 ? size : 65);
	const char *buf;
	struct parse_error perr;
	struct slab_cache c, before;
	struct slab_counter sc;
	char name[65], *s;
	uint64_t o, sl;
	size_t len;
	bool flag;
	int rc;

	if (!nl || memchr(data, '\0', (size_t)(nl - data)))
		return 0;
	memcpy(name, data, (size_t)(nl - data));
	name[nl - data] = '\0';
	buf = (const char *)nl + 1;
	len = size - (size_t)(nl - data) - 1;

	memset(&c, 0, sizeof(c));
	memcpy(&before, &c, sizeof(c));
	memset(&perr, 0, sizeof(perr));
	rc = slabsys_attr_parse(name, buf, len, fuzz_file, &c, &perr);
	fuzz_check_result(rc, &perr, (const uint8_t *)buf, len);
	if (rc < 0) {
		if (memcmp(&c, &before, sizeof(c)) != 0)
			fuzz_fail("slabsys_attr_parse changed the cache on failure");
	} else {
		check_cache(&c);
		if (c.stats.n > 1)
			fuzz_fail("slabsys_attr_parse: more than one stats entry from one file");
		if (slabsys_attr_class(name) == SLABSYS_CONTROL && memcmp(&c, &before, sizeof(c)) != 0)
			fuzz_fail("slabsys_attr_parse stored a control file");
		/* A second parse of the same file replaces, never leaks. */
		rc = slabsys_attr_parse(name, buf, len, fuzz_file, &c, &perr);
		if (rc < 0 && rc != -ENOMEM)
			fuzz_fail("slabsys_attr_parse failed the second time");
		check_cache(&c);
	}
	slab_cache_free(&c);

	memset(&sc, FUZZ_POISON, sizeof(sc));
	memset(&perr, 0, sizeof(perr));
	rc = slabsys_counter_parse(buf, len, fuzz_file, &sc, &perr);
	fuzz_check_result(rc, &perr, (const uint8_t *)buf, len);
	if (rc < 0) {
		if (!fuzz_is_poisoned(&sc, sizeof(sc)))
			fuzz_fail("slabsys_counter_parse changed *ret on failure");
	} else {
		check_counter(&sc);
		slab_counter_free(&sc);
	}

	o = sl = 0xa5a5a5a5a5a5a5a5ull;
	memset(&perr, 0, sizeof(perr));
	rc = slabsys_cpu_partial_parse(buf, len, fuzz_file, &o, &sl, &perr);
	fuzz_check_result(rc, &perr, (const uint8_t *)buf, len);
	if (rc < 0 && (o != 0xa5a5a5a5a5a5a5a5ull || sl != 0xa5a5a5a5a5a5a5a5ull))
		fuzz_fail("slabsys_cpu_partial_parse changed its outputs on failure");

	memset(&flag, FUZZ_POISON, sizeof(flag));
	memset(&perr, 0, sizeof(perr));
	rc = slabsys_flag_parse(buf, len, fuzz_file, &flag, &perr);
	fuzz_check_result(rc, &perr, (const uint8_t *)buf, len);
	if (rc < 0 && !fuzz_is_poisoned(&flag, sizeof(flag)))
		fuzz_fail("slabsys_flag_parse changed *ret on failure");

	s = (char *)(uintptr_t)1;
	memset(&perr, 0, sizeof(perr));
	rc = slabsys_ctor_parse(buf, len, fuzz_file, &s, &perr);
	fuzz_check_result(rc, &perr, (const uint8_t *)buf, len);
	if (rc < 0) {
		if (s != (char *)(uintptr_t)1)
			fuzz_fail("slabsys_ctor_parse changed *ret on failure");
	} else {
		if (s && (strlen(s) == 0 || strlen(s) > 1024))
			fuzz_fail("slabsys_ctor_parse: empty or too long name");
		free(s);
	}
	return 0;
}
